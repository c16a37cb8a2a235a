/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the executor's set-field actions (dataplane/execute/execute_hdr.c)
 * and their checksum fix-ups, checked by full recomputation. The actions
 * come from the real translation (sl_xlate_actions) so the byte placements
 * tested are the ones the pipeline emits; the re-parsed output must equal
 * the key translation predicts (sl_field_set on the input key). Every test
 * checks that the pool's free count returns to where it started (no leak).
 * Split from test_execute.c.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "exec_test_util.h"
#include "sl_flow_consts.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"

static struct sl_pipeline *pl;
static unsigned int avail0;

#define LEAK_CHECK_START() (avail0 = xt_avail())
#define LEAK_CHECK_END() CU_ASSERT_EQUAL(xt_avail(), avail0)

static const uint8_t set_ethdst[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

/* ----------------------------------------------- set-field + checksums ---- */

static struct sl_pipeline *
pipeline(void)
{
	if (pl == NULL) {
		struct sl_pipeline_config cfg = { .max_readers = 1 };
		pl = sl_pipeline_create(&cfg);
	}
	return pl;
}

struct sf_case {
	enum xt_kind kind;
	uint8_t field;
	uint8_t len;
	uint8_t value[16];
};

static const struct sf_case sf_cases[] = {
	{ XK_TCP4, OFPXMT_OFB_ETH_DST, 6, { 0x02, 1, 2, 3, 4, 5 } },
	{ XK_TCP4, OFPXMT_OFB_ETH_SRC, 6, { 0x02, 9, 8, 7, 6, 5 } },
	{ XK_VLAN_TCP4, OFPXMT_OFB_VLAN_VID, 2, { 0x1f, 0xfe } },
	{ XK_VLAN_TCP4, OFPXMT_OFB_VLAN_PCP, 1, { 2 } },
	{ XK_TCP4, OFPXMT_OFB_IP_DSCP, 1, { 46 } },
	{ XK_TCP4, OFPXMT_OFB_IP_ECN, 1, { 3 } },
	{ XK_TCP6, OFPXMT_OFB_IP_DSCP, 1, { 46 } },
	{ XK_TCP6, OFPXMT_OFB_IP_ECN, 1, { 2 } },
	{ XK_TCP4, OFPXMT_OFB_IPV4_SRC, 4, { 172, 16, 255, 1 } },
	{ XK_TCP4, OFPXMT_OFB_IPV4_DST, 4, { 8, 8, 4, 4 } },
	{ XK_UDP4, OFPXMT_OFB_IPV4_SRC, 4, { 172, 16, 255, 1 } },
	{ XK_UDP4, OFPXMT_OFB_IPV4_DST, 4, { 255, 254, 253, 252 } },
	{ XK_UDP4_NOCSUM, OFPXMT_OFB_IPV4_DST, 4, { 1, 2, 3, 4 } },
	{ XK_UDP4_NOCSUM, OFPXMT_OFB_UDP_SRC, 2, { 0x12, 0x34 } },
	{ XK_ICMP4, OFPXMT_OFB_IPV4_SRC, 4, { 1, 1, 1, 1 } },
	{ XK_SCTP4, OFPXMT_OFB_IPV4_DST, 4, { 1, 1, 1, 1 } },
	{ XK_FRAG4_LATER, OFPXMT_OFB_IPV4_DST, 4, { 9, 9, 9, 9 } },
	{ XK_TCP4_OPTS, OFPXMT_OFB_IPV4_SRC, 4, { 172, 16, 255, 1 } },
	{ XK_TCP4_OPTS, OFPXMT_OFB_TCP_DST, 2, { 0x1f, 0x90 } },
	{ XK_TCP4, OFPXMT_OFB_TCP_SRC, 2, { 0xab, 0xcd } },
	{ XK_TCP4, OFPXMT_OFB_TCP_DST, 2, { 0x1f, 0x90 } },
	{ XK_TCP4, OFPXMT_OFB_TCP_FLAGS, 2, { 0x0f, 0xff } },
	{ XK_UDP4, OFPXMT_OFB_UDP_SRC, 2, { 0xff, 0xff } },
	{ XK_UDP4, OFPXMT_OFB_UDP_DST, 2, { 0x00, 0x01 } },
	{ XK_SCTP4, OFPXMT_OFB_SCTP_SRC, 2, { 0x0b, 0x59 } },
	{ XK_SCTP4, OFPXMT_OFB_SCTP_DST, 2, { 0xbe, 0xef } },
	{ XK_SCTP6, OFPXMT_OFB_SCTP_DST, 2, { 0xbe, 0xef } },
	{ XK_ICMP4, OFPXMT_OFB_ICMPV4_TYPE, 1, { 0 } },
	{ XK_ICMP4, OFPXMT_OFB_ICMPV4_CODE, 1, { 77 } },
	{ XK_ARP, OFPXMT_OFB_ARP_OP, 2, { 0, 2 } },
	{ XK_ARP, OFPXMT_OFB_ARP_SPA, 4, { 10, 1, 1, 1 } },
	{ XK_ARP, OFPXMT_OFB_ARP_TPA, 4, { 10, 2, 2, 2 } },
	{ XK_ARP, OFPXMT_OFB_ARP_SHA, 6, { 0x02, 0xde, 0xad, 0, 0, 1 } },
	{ XK_ARP, OFPXMT_OFB_ARP_THA, 6, { 0x02, 0xbe, 0xef, 0, 0, 2 } },
	{ XK_TCP6, OFPXMT_OFB_IPV6_SRC, 16, { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ XK_TCP6, OFPXMT_OFB_IPV6_DST, 16, { 0x20, 0x01, 0xdb, 8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
	{ XK_UDP6, OFPXMT_OFB_IPV6_SRC, 16, { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ XK_ICMP6, OFPXMT_OFB_IPV6_DST, 16, { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
	{ XK_TCP6, OFPXMT_OFB_IPV6_FLABEL, 4, { 0, 0x0f, 0xed, 0xcb } },
	{ XK_ICMP6, OFPXMT_OFB_ICMPV6_TYPE, 1, { 129 } },
	{ XK_ICMP6, OFPXMT_OFB_ICMPV6_CODE, 1, { 3 } },
	{ XK_NS_SLL, OFPXMT_OFB_IPV6_ND_TARGET, 16, { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9 } },
	{ XK_NS_SLL, OFPXMT_OFB_IPV6_ND_SLL, 6, { 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a } },
	{ XK_NA_TLL, OFPXMT_OFB_IPV6_ND_TLL, 6, { 0x02, 0x9a, 0x78, 0x56, 0x34, 0x12 } },
	{ XK_MPLS, OFPXMT_OFB_MPLS_LABEL, 4, { 0, 0x0f, 0xab, 0xcd } },
	{ XK_MPLS, OFPXMT_OFB_MPLS_TC, 1, { 2 } },
	{ XK_MPLS, OFPXMT_OFB_MPLS_BOS, 1, { 0 } },
	{ XK_PBB, OFPXMT_OFB_PBB_ISID, 3, { 0xfe, 0xdc, 0xba } },
};

/* set_field via translation, execute, then: checksums right, re-parsed key == predicted key. */
static void
run_sf_case(const struct sf_case *sc)
{
	struct xt_pb b;
	struct xt_cap c;
	struct sl_exec_env env;
	struct sl_exec_stats st = { 0 };
	struct sl_flow_key key, expect, got;
	struct sl_pkt_layout lay;
	static struct sl_xlate_result res;

	xt_build(sc->kind, &b);
	CU_ASSERT_EQUAL(xt_check_csums(b.d, b.len), 0);
	struct rte_mbuf *m = xt_mbuf(b.d, b.len);
	sl_flow_parse_mbuf(m, 7, 7, 0, &key, &lay);
	struct sl_action ofa[2];
	memset(ofa, 0, sizeof(ofa));
	ofa[0].type = OFPAT_SET_FIELD;
	ofa[0].set_field.field = sc->field;
	ofa[0].set_field.len = sc->len;
	memcpy(ofa[0].set_field.value, sc->value, sc->len);
	ofa[1].type = OFPAT_OUTPUT;
	ofa[1].output.port = 2;
	CU_ASSERT_EQUAL(sl_xlate_actions(pipeline(), &key, ofa, 2, &res), 0);
	CU_ASSERT_EQUAL(res.n_actions, 2);
	CU_ASSERT_EQUAL(res.actions[0].type, SL_EXEC_SET_FIELD);

	xt_env(&env, &c);
	sl_execute(res.actions, res.n_actions, m, &key, &lay, &env, &st);
	CU_ASSERT_EQUAL_FATAL(c.n_out, 1);
	const uint8_t *d = xt_data(c.out[0].m);
	unsigned int len = rte_pktmbuf_pkt_len(c.out[0].m);
	CU_ASSERT_EQUAL(len, b.len);
	CU_ASSERT_EQUAL(st.bad_layout + st.truncated, 0);
	int bad = xt_check_csums(d, len);
	CU_ASSERT_EQUAL(bad, 0);

	expect = key;
	sl_field_set(sl_field_by_oxm(sc->field), &expect, sc->value, NULL);
	if (sc->field == OFPXMT_OFB_VLAN_VID)
		expect.vlan_vid |= rte_cpu_to_be_16(OFPVID_PRESENT);
	sl_flow_parse(d, len, 7, 7, 0, &got, NULL);
	bool same = memcmp(&got, &expect, sizeof(got)) == 0;
	CU_ASSERT(same);
	if (bad || !same)
		fprintf(stderr, "\n  set_field case kind %d field %s: bad csums %d, key %s\n",
			sc->kind, sl_field_by_oxm(sc->field)->name, bad, same ? "ok" : "DIFFERS");
	if (sc->kind == XK_UDP4_NOCSUM) /* a zero UDP checksum stays zero */
		CU_ASSERT(d[b.l4 + 6] == 0 && d[b.l4 + 7] == 0);
	if (sc->kind == XK_FRAG4_LATER) /* later fragment: the L4 bytes are not touched */
		CU_ASSERT_EQUAL(memcmp(d + b.l3 + 20, b.d + b.l3 + 20, len - b.l3 - 20), 0);
	xt_cap_free(&c);
}

static void
test_set_field_all(void)
{
	LEAK_CHECK_START();
	for (unsigned int i = 0; i < sizeof(sf_cases) / sizeof(sf_cases[0]); i++)
		run_sf_case(&sf_cases[i]);
	LEAK_CHECK_END();
}

/*
 * Random sequences of 1..5 set-fields on one packet (the same field may come
 * twice): the checksum updates compose, and the re-parsed packet is the key
 * translation predicts (sl_field_set in order).
 */
static void
test_set_field_sequences(void)
{
	static struct sl_xlate_result res;
	const unsigned int n_cases = sizeof(sf_cases) / sizeof(sf_cases[0]);
	struct xt_cap c;
	struct sl_exec_env env;
	srand(4242);
	LEAK_CHECK_START();
	xt_env(&env, &c);
	for (int iter = 0; iter < 1500; iter++) {
		const struct sf_case *first = &sf_cases[rand() % (int)n_cases];
		const struct sf_case *seq[5];
		unsigned int n = 0, want = 1 + (unsigned int)(rand() % 5);
		for (unsigned int tries = 0; n < want && tries < 200; tries++) {
			const struct sf_case *sc = &sf_cases[rand() % (int)n_cases];
			if (sc->kind == first->kind)
				seq[n++] = sc;
		}
		struct xt_pb b;
		struct sl_flow_key key, expect, got;
		struct sl_pkt_layout lay;
		struct sl_exec_stats st = { 0 };
		xt_build(first->kind, &b);
		struct rte_mbuf *m = xt_mbuf(b.d, b.len);
		sl_flow_parse_mbuf(m, 7, 7, 0, &key, &lay);
		struct sl_action ofa[6];
		memset(ofa, 0, sizeof(ofa));
		expect = key;
		for (unsigned int i = 0; i < n; i++) {
			ofa[i].type = OFPAT_SET_FIELD;
			ofa[i].set_field.field = seq[i]->field;
			ofa[i].set_field.len = seq[i]->len;
			memcpy(ofa[i].set_field.value, seq[i]->value, seq[i]->len);
			sl_field_set(sl_field_by_oxm(seq[i]->field), &expect, seq[i]->value, NULL);
			if (seq[i]->field == OFPXMT_OFB_VLAN_VID)
				expect.vlan_vid |= rte_cpu_to_be_16(OFPVID_PRESENT);
		}
		ofa[n].type = OFPAT_OUTPUT;
		ofa[n].output.port = 2;
		CU_ASSERT_EQUAL(sl_xlate_actions(pipeline(), &key, ofa, n + 1, &res), 0);
		sl_execute(res.actions, res.n_actions, m, &key, &lay, &env, &st);
		CU_ASSERT_EQUAL_FATAL(c.n_out, 1);
		const uint8_t *d = xt_data(c.out[0].m);
		int bad = xt_check_csums(d, b.len);
		sl_flow_parse(d, b.len, 7, 7, 0, &got, NULL);
		bool same = memcmp(&got, &expect, sizeof(got)) == 0;
		CU_ASSERT_EQUAL(bad, 0);
		CU_ASSERT(same);
		if (bad || !same)
			fprintf(stderr, "\n  iter %d kind %d: %u set-fields, bad csums %d, key %s\n",
				iter, first->kind, n, bad, same ? "ok" : "DIFFERS");
		xt_cap_free(&c);
	}
	LEAK_CHECK_END();
}

static void
test_set_field_meta_and_absent(void)
{
	struct xt_fx f;
	xt_build(XK_TCP4, &f.b);
	xt_fx_start(&f);
	uint8_t tun[8] = { 0, 0, 0, 0, 0, 0, 0x12, 0x34 }, vid[2] = { 0x10, 0x05 };
	uint8_t port[2] = { 0, 99 };
	struct sl_exec_action acts[] = {
		xt_set(OFPXMT_OFB_TUNNEL_ID, SL_LAYER_META, 0, 8, 0, tun, NULL),
		xt_set(OFPXMT_OFB_VLAN_VID, SL_LAYER_VLAN, 2, 2, 0, vid, NULL),       /* untagged */
		xt_set(OFPXMT_OFB_MPLS_TC, SL_LAYER_MPLS, 2, 1, 0, vid, NULL),        /* no MPLS */
		xt_set(OFPXMT_OFB_IPV6_ND_SLL, SL_LAYER_ND_OPT, 2, 6, SL_CSUM_ICMP, set_ethdst, NULL),
		xt_set(OFPXMT_OFB_TCP_DST, SL_LAYER_L4, 1000, 2, SL_CSUM_L4, port, NULL), /* past the end */
		xt_output(1),
	};
	xt_exec(acts, 6, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 1);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m), f.b.d, f.b.len), 0);
	CU_ASSERT_EQUAL(f.st.bad_layout, 3);
	CU_ASSERT_EQUAL(f.st.truncated, 1);
	xt_fx_end(&f);
}

/* Random masked writes at random (odd and even) offsets: incremental == recomputed. */
static void
test_csum_random_writes(void)
{
	static const enum xt_kind kinds[] = { XK_TCP4, XK_UDP4, XK_ICMP4, XK_TCP6, XK_UDP6, XK_ICMP6,
					       XK_TCP4_OPTS };
	struct xt_cap c;
	struct sl_exec_env env;
	srand(12345);
	LEAK_CHECK_START();
	xt_env(&env, &c);
	for (int iter = 0; iter < 3000; iter++) {
		struct xt_pb b;
		struct sl_exec_stats st = { 0 };
		enum xt_kind k = kinds[rand() % (int)(sizeof(kinds) / sizeof(kinds[0]))];
		xt_build(k, &b);
		bool v4 = b.ipver == 4;
		uint8_t layer, csum, ofs, len = (uint8_t)(1 + rand() % 5);
		if (rand() % 3 == 0) {
			/* L3: IPv4 TOS/TTL/addresses or IPv6 addresses (pseudo-header) */
			layer = SL_LAYER_L3;
			if (v4) {
				static const uint8_t okv4[] = { 1, 8, 12, 13, 14, 15, 16, 17, 18 };
				ofs = okv4[rand() % 9];
				if (ofs == 1 || ofs == 8)
					len = 1;
				else if (ofs + len > 20)
					len = (uint8_t)(20 - ofs);
			} else {
				ofs = (uint8_t)(8 + rand() % 32);
				if (ofs + len > 40)
					len = (uint8_t)(40 - ofs);
			}
			csum = SL_CSUM_IP4 | (ofs >= 12 || !v4 ? SL_CSUM_L4 : 0);
		} else {
			/* L4 header bytes, avoiding the checksum field and UDP length */
			layer = SL_LAYER_L4;
			unsigned int hl = b.proto == SL_IPPROTO_TCP ? 20 : 8;
			unsigned int co = b.proto == SL_IPPROTO_TCP ? 16 : b.proto == SL_IPPROTO_UDP ? 4 : 2;
			do {
				ofs = (uint8_t)(rand() % (int)hl);
				len = (uint8_t)(1 + rand() % 4);
				if (ofs + len > hl)
					len = (uint8_t)(hl - ofs);
			} while (ofs < co + (b.proto == SL_IPPROTO_UDP ? 4 : 2) && ofs + len > co);
			bool icmp = b.proto == SL_IPPROTO_ICMP || b.proto == SL_IPPROTO_ICMPV6;
			csum = icmp ? SL_CSUM_ICMP : SL_CSUM_L4;
		}
		uint8_t val[16], mask[16];
		for (int i = 0; i < len; i++) {
			val[i] = (uint8_t)rand();
			mask[i] = rand() % 2 ? 0xff : (uint8_t)rand();
		}
		struct sl_exec_action acts[] = { xt_set(OFPXMT_OFB_ETH_DST /* any */, layer, ofs, len, csum,
						      val, mask), xt_output(1) };
		xt_exec(acts, 2, xt_mbuf(b.d, b.len), &env, &st);
		CU_ASSERT_EQUAL_FATAL(c.n_out, 1);
		int bad = xt_check_csums(xt_data(c.out[0].m), b.len);
		CU_ASSERT_EQUAL(bad, 0);
		if (bad)
			fprintf(stderr, "\n  iter %d kind %d layer %u ofs %u len %u\n", iter, k, layer,
				ofs, len);
		xt_cap_free(&c);
	}
	LEAK_CHECK_END();
}

static void
test_sctp_crc(void)
{
	/* RFC 3720 B.4 / the usual check value. */
	CU_ASSERT_EQUAL(sl_exec_crc32c("123456789", 9), 0xe3069283u);
	CU_ASSERT_EQUAL(xt_crc32c_ref((const uint8_t *)"123456789", 9), 0xe3069283u);
	uint8_t buf[300];
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 31 + 7);
	for (unsigned int off = 0; off < 9; off++)
		for (unsigned int len = 0; len < 280; len += 13)
			CU_ASSERT_EQUAL(sl_exec_crc32c(buf + off, len), xt_crc32c_ref(buf + off, len));
}

/* ip_proto rewrites move the pseudo-header too (IPv4: low byte at odd offset 9; IPv6: next header). */
static void
test_set_ip_proto(void)
{
	static struct sl_xlate_result res;
	struct xt_fx f;
	xt_fx_start(&f);
	static const enum xt_kind kinds[] = { XK_UDP4, XK_UDP6, XK_TCP4, XK_TCP6 };
	for (int k = 0; k < 4; k++) {
		struct xt_pb b;
		struct sl_flow_key key;
		struct sl_pkt_layout lay;
		xt_build(kinds[k], &b);
		uint8_t orig = b.proto, other = 136; /* UDP-Lite: not checked by xt_check_csums */
		struct sl_action ofa[4];
		memset(ofa, 0, sizeof(ofa));
		ofa[0].type = ofa[2].type = OFPAT_SET_FIELD;
		ofa[0].set_field.field = ofa[2].set_field.field = OFPXMT_OFB_IP_PROTO;
		ofa[0].set_field.len = ofa[2].set_field.len = 1;
		ofa[0].set_field.value[0] = other;
		ofa[2].set_field.value[0] = orig;
		ofa[1].type = ofa[3].type = OFPAT_OUTPUT;
		ofa[1].output.port = 1;
		ofa[3].output.port = 2;
		struct rte_mbuf *m = xt_mbuf(b.d, b.len);
		sl_flow_parse_mbuf(m, 7, 7, 0, &key, &lay);
		CU_ASSERT_EQUAL(sl_xlate_actions(pipeline(), &key, ofa, 4, &res), 0);
		CU_ASSERT_EQUAL(res.n_actions, 4);
		sl_execute(res.actions, res.n_actions, m, &key, &lay, &f.env, &f.st);
		CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
		const uint8_t *d1 = xt_data(f.c.out[0].m), *d2 = xt_data(f.c.out[1].m);
		CU_ASSERT_EQUAL(d1[b.l3 + (b.ipver == 4 ? 9 : 6)], other);
		CU_ASSERT(xt_l4_ok_as(d1, b.l3, b.ipver, other));
		CU_ASSERT(!xt_l4_ok_as(d1, b.l3, b.ipver, orig));
		CU_ASSERT_EQUAL(xt_check_csums(d1, b.len), 0); /* IPv4 header checksum */
		CU_ASSERT_EQUAL(memcmp(d2, b.d, b.len), 0); /* and back */
		xt_cap_free(&f.c);
	}
	xt_fx_end(&f);
}

/* A UDP checksum whose new value is 0 is sent as 0xffff (0 means "none"). */
static void
test_udp_zero_result(void)
{
	struct xt_fx f;
	xt_build(XK_UDP4, &f.b);
	/* Find the source port that makes the true checksum 0 (full recomputation). */
	int found = -1;
	for (uint32_t sp = 0; sp < 65536 && found < 0; sp++) {
		struct xt_pb t = f.b;
		t.d[t.l4] = (uint8_t)(sp >> 8);
		t.d[t.l4 + 1] = (uint8_t)sp;
		t.d[t.l4 + 6] = t.d[t.l4 + 7] = 0; /* a zero field: the sum is then ~checksum */
		if (xt_l4_ok_as(t.d, t.l3, 4, SL_IPPROTO_UDP))
			found = (int)sp;
	}
	CU_ASSERT_FATAL(found >= 0);
	xt_fx_start(&f);
	uint8_t v[2] = { (uint8_t)(found >> 8), (uint8_t)found };
	struct sl_exec_action acts[] = { xt_set(OFPXMT_OFB_UDP_SRC, SL_LAYER_L4, 0, 2, SL_CSUM_L4, v, NULL),
				       xt_output(1) };
	xt_exec(acts, 2, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 1);
	const uint8_t *d = xt_data(f.c.out[0].m);
	CU_ASSERT(d[f.b.l4 + 6] == 0xff && d[f.b.l4 + 7] == 0xff);
	CU_ASSERT_EQUAL(xt_check_csums(d, f.b.len), 0);
	xt_fx_end(&f);
}

static void
destroy_pl(void)
{
	if (pl != NULL)
		sl_pipeline_destroy(pl);
}

static const struct cunit_test tests[] = {
	{ "set_field_all", test_set_field_all },
	{ "set_field_sequences", test_set_field_sequences },
	{ "set_field_meta_and_absent", test_set_field_meta_and_absent },
	{ "csum_random_writes", test_csum_random_writes },
	{ "sctp_crc", test_sctp_crc },
	{ "set_ip_proto", test_set_ip_proto },
	{ "udp_zero_result", test_udp_zero_result },
};

int
main(void)
{
	return xt_run_suite("execute_set_field", tests, RTE_DIM(tests), NULL, destroy_pl);
}
