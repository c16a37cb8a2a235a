/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Executor robustness: layouts that claim more than the packet holds,
 * multi-segment mbufs (shared per segment, headers pulled up into a fresh
 * first segment before writes, jumbo chains written like flat frames), and
 * random action lists on random and
 * truncated frames (no crash, nothing written past the packet, no leak).
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "exec_test_util.h"
#include "sl_flow_consts.h"
#include "sl_meter.h"

/* ------------------------------------------- truncated / multi-segment ---- */

static void
test_truncated_layout(void)
{
	struct xt_fx f;
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	xt_build(XK_TCP4, &f.b);
	xt_fx_start(&f);
	/* The layout says TCP, but the frame now ends inside the TCP header. */
	struct rte_mbuf *m = xt_mbuf(f.b.d, f.b.len);
	sl_flow_parse_mbuf(m, 7, 7, 0, &key, &lay);
	rte_pktmbuf_trim(m, (uint16_t)(f.b.len - (f.b.l4 + 10)));
	uint8_t port[2] = { 0x12, 0x34 }, addr[4] = { 1, 2, 3, 4 };
	struct sl_exec_action acts[] = {
		xt_set(OFPXMT_OFB_TCP_SRC, SL_LAYER_L4, 0, 2, SL_CSUM_L4, port, NULL), /* ok, csum absent */
		xt_set(OFPXMT_OFB_TCP_FLAGS, SL_LAYER_L4, 12, 2, SL_CSUM_L4, port, NULL), /* truncated */
		xt_set(OFPXMT_OFB_IPV4_DST, SL_LAYER_L3, 16, 4, SL_CSUM_IP4 | SL_CSUM_L4, addr, NULL),
		xt_ttl(SL_EXEC_DEC_NW_TTL, 0, 0),
		xt_output(1),
	};
	sl_execute(acts, 5, m, &key, &lay, &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 1);
	CU_ASSERT_EQUAL(f.st.truncated, 1);
	const uint8_t *d = xt_data(f.c.out[0].m);
	CU_ASSERT_EQUAL(d[f.b.l4], 0x12);
	CU_ASSERT_EQUAL(d[f.b.l3 + 19], 4);
	CU_ASSERT_EQUAL(d[f.b.l3 + 8], 63);
	xt_fx_end(&f);
}

/* A two-segment mbuf: split @b at @split bytes. */
static struct rte_mbuf *
chain2(const struct xt_pb *b, unsigned int split)
{
	struct rte_mbuf *m1 = xt_mbuf(b->d, split), *m2 = xt_mbuf(b->d + split, b->len - split);
	CU_ASSERT_EQUAL(rte_pktmbuf_chain(m1, m2), 0);
	return m1;
}

static void
test_multi_segment(void)
{
	struct xt_fx f;
	xt_build(XK_TCP4, &f.b);
	xt_fx_start(&f);
	/* Shared, not modified: every segment's reference count goes up. */
	struct sl_exec_action a1[] = { xt_output(1), xt_output(2) };
	xt_exec(a1, 2, chain2(&f.b, 20), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_PTR_EQUAL(f.c.out[0].m, f.c.out[1].m);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(f.c.out[0].m->next), 2);
	xt_cap_free(&f.c);
	CU_ASSERT_EQUAL(xt_avail(), f.avail0);

	/* Modified: the headers (split at byte 30) are pulled up into a fresh
	 * first segment, the payload stays where it was; checksums right. */
	uint8_t addr[4] = { 9, 8, 7, 6 };
	struct sl_exec_action a2[] = {
		xt_output(1),
		xt_set(OFPXMT_OFB_IPV4_DST, SL_LAYER_L3, 16, 4, SL_CSUM_IP4 | SL_CSUM_L4, addr, NULL),
		xt_output(2),
	};
	xt_exec(a2, 3, chain2(&f.b, 30), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_EQUAL(f.st.pullups, 1);
	CU_ASSERT_EQUAL(rte_mbuf_check(f.c.out[1].m, 1, NULL), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(f.c.out[1].m), f.b.len);
	uint8_t flat[2048];
	const uint8_t *p = rte_pktmbuf_read(f.c.out[1].m, 0, f.b.len, flat);
	CU_ASSERT_EQUAL(xt_check_csums(p, f.b.len), 0);
	CU_ASSERT_EQUAL(p[f.b.l3 + 16], 9);
	uint8_t orig[2048];
	const uint8_t *o = rte_pktmbuf_read(f.c.out[0].m, 0, f.b.len, orig);
	CU_ASSERT_EQUAL(memcmp(o, f.b.d, f.b.len), 0);
	xt_fx_end(&f);
}

/* ----------------------------------------------------------- fuzzing ---- */

/* A chain too long for one segment (a jumbo frame): set-field, push and pop
 * work on it as on a flat frame; the chain stays a chain. */
static void
test_long_chain(void)
{
	struct xt_fx f;
	xt_build(XK_UDP4, &f.b);
	xt_fx_start(&f);
	/* Head: the frame; then two 1400-byte segments: 2.8 KB do not fit in one 2 KB buffer. */
	struct rte_mbuf *m = xt_mbuf(f.b.d, f.b.len);
	static uint8_t fill[1400];
	for (unsigned int i = 0; i < sizeof(fill); i++)
		fill[i] = (uint8_t)(i * 7);
	for (int i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(rte_pktmbuf_chain(m, xt_mbuf(fill, sizeof(fill))), 0);
	uint32_t len = rte_pktmbuf_pkt_len(m);
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	sl_flow_parse_mbuf(m, 7, 7, 0, &key, &lay);
	uint8_t mac[6] = { 2, 4, 6, 8, 10, 12 };
	struct sl_exec_action acts[] = {
		xt_output(1),
		xt_set(OFPXMT_OFB_ETH_DST, SL_LAYER_ETH, 0, 6, 0, mac, NULL),
		xt_output(2),
		xt_simple(SL_EXEC_PUSH_VLAN, 0x8100),
		xt_output(3),
		xt_simple(SL_EXEC_POP_VLAN, 0),
		xt_output(4),
	};
	sl_execute(acts, 7, m, &key, &lay, &f.env, &f.st);
	CU_ASSERT_EQUAL(f.st.pullup_failures + f.st.push_failures + f.st.truncated, 0);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 4);
	static uint8_t buf[4][4096];
	const uint8_t *o[4];
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(f.c.out[i].port, (uint32_t)i + 1);
		CU_ASSERT_EQUAL(rte_mbuf_check(f.c.out[i].m, 1, NULL), 0);
		CU_ASSERT(f.c.out[i].m->nb_segs > 1);
		o[i] = rte_pktmbuf_read(f.c.out[i].m, 0, rte_pktmbuf_pkt_len(f.c.out[i].m), buf[i]);
	}
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(f.c.out[0].m), len);
	CU_ASSERT_EQUAL(memcmp(o[0], f.b.d, f.b.len), 0);
	CU_ASSERT_EQUAL(memcmp(o[1], mac, 6), 0);
	CU_ASSERT_EQUAL(memcmp(o[1] + 6, o[0] + 6, len - 6), 0);
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_pkt_len(f.c.out[2].m), len + 4);
	CU_ASSERT_EQUAL(memcmp(o[2], o[1], 12), 0);
	CU_ASSERT_EQUAL(o[2][12], 0x81);
	CU_ASSERT_EQUAL(o[2][13], 0x00);
	CU_ASSERT_EQUAL(memcmp(o[2] + 16, o[1] + 12, len - 12), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(f.c.out[3].m), len);
	CU_ASSERT_EQUAL(memcmp(o[3], o[1], len), 0);
	xt_fx_end(&f);
}

/* Headers split across segments, the later one shared with someone else
 * (refcnt 2): the pull-up and the push leave the shared segment's bytes and
 * data_off as they were. */
static void
test_pullup_shared(void)
{
	struct xt_fx f;
	xt_build(XK_TCP4, &f.b);
	xt_fx_start(&f);
	struct rte_mbuf *m = chain2(&f.b, 20), *tail = m->next;
	rte_pktmbuf_refcnt_update(tail, 1); /* the other holder */
	uint16_t tail_off = tail->data_off, tail_len = tail->data_len;
	uint8_t tail_bytes[2048];
	memcpy(tail_bytes, rte_pktmbuf_mtod(tail, uint8_t *), tail_len);
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	sl_flow_parse_mbuf(m, 7, 7, 0, &key, &lay);
	uint8_t port[2] = { 0x43, 0x21 };
	struct sl_exec_action acts[] = {
		xt_set(OFPXMT_OFB_TCP_DST, SL_LAYER_L4, 2, 2, SL_CSUM_L4, port, NULL),
		xt_simple(SL_EXEC_PUSH_MPLS, 0x8847),
		xt_output(1),
	};
	sl_execute(acts, 3, m, &key, &lay, &f.env, &f.st);
	CU_ASSERT_EQUAL(f.st.pullups, 1);
	CU_ASSERT_EQUAL(f.st.pullup_failures + f.st.push_failures + f.st.truncated, 0);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 1);
	CU_ASSERT_EQUAL(rte_mbuf_check(f.c.out[0].m, 1, NULL), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(f.c.out[0].m), f.b.len + 4);
	uint8_t buf[2048];
	const uint8_t *o = rte_pktmbuf_read(f.c.out[0].m, 0, f.b.len + 4, buf);
	CU_ASSERT_EQUAL(o[12], 0x88);
	CU_ASSERT_EQUAL(o[13], 0x47);
	CU_ASSERT_EQUAL(memcmp(o + 18, f.b.d + 14, f.b.l4 + 2 - 14), 0);
	CU_ASSERT_EQUAL(o[4 + f.b.l4 + 2], 0x43);
	CU_ASSERT_EQUAL(o[4 + f.b.l4 + 3], 0x21);
	CU_ASSERT_EQUAL(xt_check_csums(o + 4, f.b.len), 0); /* as IPv4 behind a label */
	CU_ASSERT_EQUAL(tail->data_off, tail_off);
	CU_ASSERT_EQUAL(tail->data_len, tail_len);
	CU_ASSERT_EQUAL(memcmp(rte_pktmbuf_mtod(tail, uint8_t *), tail_bytes, tail_len), 0);
	xt_cap_free(&f.c);
	rte_pktmbuf_free_seg(tail);
	xt_fx_end(&f);
}

/* ------------------------------------------- copy rules vs a reference ---- */

#define REF_LEN 64
#define REF_MAX_OUT 64

struct ref_out {
	uint32_t port;       /* OFPP_CONTROLLER for packet-ins */
	uint8_t d[REF_LEN];
};

struct ref {
	unsigned int n;
	struct ref_out out[REF_MAX_OUT];
};

/* The naive semantics: every CLONE body works on its own copy, nothing is shared. */
static void
ref_run(const struct sl_exec_action *acts, unsigned int s, unsigned int e, uint8_t *pkt,
	struct ref *ref)
{
	for (unsigned int i = s; i < e;) {
		const struct sl_exec_action *a = &acts[i];
		if (a->type == SL_EXEC_CLONE) {
			unsigned int be = i + 1 + a->clone.n < e ? i + 1 + a->clone.n : e;
			uint8_t copy[REF_LEN];
			memcpy(copy, pkt, REF_LEN);
			ref_run(acts, i + 1, be, copy, ref);
			i = be;
			continue;
		}
		if (a->type == SL_EXEC_OUTPUT || a->type == SL_EXEC_CONTROLLER) {
			struct ref_out *o = &ref->out[ref->n++];
			o->port = a->type == SL_EXEC_OUTPUT ? a->output.port : OFPP_CONTROLLER;
			memcpy(o->d, pkt, REF_LEN);
		} else if (a->type == SL_EXEC_SET_FIELD) {
			for (unsigned int k = 0; k < a->set_field.len; k++) {
				uint8_t *b = &pkt[a->set_field.offset + k], m = a->set_field.mask[k];
				*b = (uint8_t)((*b & ~m) | (a->set_field.value[k] & m));
			}
		}
		i++;
	}
}

/* A random list of outputs, packet-ins, Ethernet rewrites and nested clones. */
static unsigned int
gen_list(struct sl_exec_action *acts, unsigned int pos, unsigned int max, int depth)
{
	unsigned int count = 1 + (unsigned int)(rand() % 4);
	for (unsigned int k = 0; k < count && pos < max; k++) {
		int r = rand() % 10;
		if (r < 3 && depth < 3 && pos + 2 < max) {
			unsigned int at = pos;
			unsigned int end = gen_list(acts, pos + 1, max, depth + 1);
			acts[at] = xt_clone((uint16_t)(end - at - 1));
			if (rand() % 10 == 0) /* a wrong length: clamped the same way by both */
				acts[at].clone.n = (uint16_t)(rand() % 12);
			pos = end;
		} else if (r < 6) {
			acts[pos++] = xt_output((uint32_t)(1 + rand() % 4));
		} else if (r < 7) {
			struct sl_exec_action a;
			memset(&a, 0, sizeof(a));
			a.type = SL_EXEC_CONTROLLER;
			a.controller.max_len = 0xffff;
			acts[pos++] = a;
		} else {
			uint8_t v[4], m[4];
			uint8_t len = (uint8_t)(1 + rand() % 4);
			for (int i = 0; i < 4; i++) {
				v[i] = (uint8_t)rand();
				m[i] = rand() % 2 ? 0xff : (uint8_t)rand();
			}
			acts[pos++] = xt_set(OFPXMT_OFB_ETH_DST, SL_LAYER_ETH, (uint16_t)(rand() % 9), len, 0,
					     v, m);
		}
	}
	return pos;
}

/*
 * Sharing by reference count, moving the original to the last use and
 * running clones inline are optimisations: the packets sent must be exactly
 * those of the copy-everything reference, in the same order. A shared mbuf
 * modified after being sent would show up as a difference here.
 */
static void
test_copy_rules_vs_reference(void)
{
	struct xt_fx f;
	xt_build(XK_TCP4, &f.b);
	srand(99);
	xt_fx_start(&f);
	uint64_t copies = 0, outs = 0;
	for (int iter = 0; iter < 3000; iter++) {
		struct sl_exec_action acts[24];
		unsigned int n = gen_list(acts, 0, 24, 0);
		struct ref ref = { 0 };
		uint8_t pkt[REF_LEN];
		memcpy(pkt, f.b.d, REF_LEN);
		ref_run(acts, 0, n, pkt, &ref);
		memset(&f.st, 0, sizeof(f.st));
		xt_exec(acts, n, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
		CU_ASSERT_EQUAL_FATAL(f.c.n_out + f.c.n_pin, ref.n);
		unsigned int io = 0, ip = 0;
		for (unsigned int k = 0; k < ref.n; k++) {
			const struct rte_mbuf *m;
			if (ref.out[k].port == OFPP_CONTROLLER) {
				m = f.c.pin[ip++].m;
			} else {
				CU_ASSERT_EQUAL(f.c.out[io].port, ref.out[k].port);
				m = f.c.out[io++].m;
			}
			CU_ASSERT_EQUAL(memcmp(xt_data(m), ref.out[k].d, REF_LEN), 0);
		}
		/* Never more copies than the uses that are not the last one. */
		CU_ASSERT(f.st.copies < ref.n || ref.n == 0);
		copies += f.st.copies;
		outs += ref.n;
		xt_cap_free(&f.c);
	}
	printf("(%lu packets sent, %lu copies) ", (unsigned long)outs, (unsigned long)copies);
	xt_fx_end(&f);
}

static struct sl_exec_action
random_action(const struct xt_pb *b)
{
	struct sl_exec_action a;
	memset(&a, 0, sizeof(a));
	a.type = (uint8_t)(1 + rand() % SL_EXEC_METER);
	switch (a.type) {
	case SL_EXEC_OUTPUT: a.output.port = (uint32_t)(rand() % 4); break;
	case SL_EXEC_CONTROLLER: a.controller.max_len = 64; break;
	case SL_EXEC_CLONE: a.clone.n = (uint16_t)(rand() % 6); break;
	case SL_EXEC_SET_FIELD:
		a.set_field.layer = (uint8_t)(rand() % (SL_LAYER_META + 1));
		a.set_field.field = rand() % 2 ? OFPXMT_OFB_IPV6_ND_SLL : OFPXMT_OFB_IPV6_ND_TLL;
		a.set_field.offset = (uint16_t)(rand() % (rand() % 8 ? 48 : 2000));
		a.set_field.len = (uint8_t)(rand() % 18);
		a.set_field.csum = (uint8_t)(rand() % 16);
		for (int i = 0; i < 16; i++) {
			a.set_field.value[i] = (uint8_t)rand();
			a.set_field.mask[i] = (uint8_t)rand();
		}
		break;
	case SL_EXEC_PUSH_VLAN: a.push.ethertype = SL_ETH_VLAN; break;
	case SL_EXEC_PUSH_MPLS: a.push.ethertype = SL_ETH_MPLS; break;
	case SL_EXEC_POP_MPLS: a.push.ethertype = rand() % 2 ? SL_ETH_IPV4 : SL_ETH_MPLS; break;
	case SL_EXEC_PUSH_PBB: a.push.ethertype = SL_ETH_PBB; break;
	case SL_EXEC_DEC_NW_TTL: case SL_EXEC_DEC_MPLS_TTL:
		a.ttl.to_controller = (uint8_t)(rand() % 2);
		break;
	case SL_EXEC_SET_NW_TTL: case SL_EXEC_SET_MPLS_TTL: a.ttl.ttl = (uint8_t)rand(); break;
	case SL_EXEC_METER: a.meter_id = 1; break;
	default: break;
	}
	(void)b;
	return a;
}

static void
test_fuzz(void)
{
	struct xt_fx f;
	srand(777);
	xt_fx_start(&f);
	f.c.meter = xt_meter(OFPMBT_DSCP_REMARK, 2);
	for (int iter = 0; iter < 4000; iter++) {
		struct xt_pb b;
		xt_build((enum xt_kind)(rand() % (XK_TCP4_OPTS + 1)), &b);
		unsigned int len = rand() % 4 ? b.len : (unsigned int)(rand() % (b.len + 1));
		struct sl_exec_action acts[12];
		unsigned int n = (unsigned int)(rand() % 12);
		for (unsigned int i = 0; i < n; i++)
			acts[i] = random_action(&b);
		struct rte_mbuf *m = len >= 30 && rand() % 4 == 0 ? chain2(&b, 14 + rand() % 16)
								  : xt_mbuf(b.d, len);
		if (len < b.len && m->nb_segs > 1)
			rte_pktmbuf_trim(m, (uint16_t)(b.len - len));
		f.env.now_ns += 1000;
		xt_exec(acts, n, m, &f.env, &f.st);
		for (unsigned int i = 0; i < f.c.n_out; i++) {
			/* Nothing written past the end (the original still has its canary). */
			if (f.c.out[i].m == m && m->nb_segs == 1)
				CU_ASSERT(xt_canary_ok(m));
			/* Whatever was done, the packet is a well-formed mbuf. */
			CU_ASSERT(rte_pktmbuf_pkt_len(f.c.out[i].m) <= b.len + 12u * 18);
			CU_ASSERT(rte_mbuf_check(f.c.out[i].m, 1, NULL) == 0);
		}
		xt_cap_free(&f.c);
	}
	sl_meter_destroy(f.c.meter);
	xt_fx_end(&f);
}

static const struct cunit_test tests[] = {
	{ "truncated_layout", test_truncated_layout },
	{ "multi_segment", test_multi_segment },
	{ "long_chain", test_long_chain },
	{ "pullup_shared", test_pullup_shared },
	{ "copy_rules_vs_reference", test_copy_rules_vs_reference },
	{ "fuzz", test_fuzz },
};

int
main(void)
{
	return xt_run_suite("execute_robust", tests, RTE_DIM(tests), NULL, NULL);
}
