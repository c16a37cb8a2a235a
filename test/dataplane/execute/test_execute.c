/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the datapath action executor (dataplane/execute/execute*.c): copy and
 * reference-count rules, CLONE contexts, packet-ins, meters, queues. Every
 * test checks that the pool's free count returns to where it started (no
 * leak). Set-field and checksum fix-ups: test_execute_set_field.c; push/pop
 * and TTL tests: test_execute_push.c; truncated, multi-segment and fuzzed
 * input: test_execute_robust.c.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "exec_test_util.h"
#include "sl_flow_consts.h"
#include "sl_meter.h"

static unsigned int avail0;

#define LEAK_CHECK_START() (avail0 = xt_avail())
#define LEAK_CHECK_END() CU_ASSERT_EQUAL(xt_avail(), avail0)

static const uint8_t set_ethdst[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

static struct sl_exec_action
set_eth_dst(void)
{
	return xt_set(OFPXMT_OFB_ETH_DST, SL_LAYER_ETH, 0, 6, 0, set_ethdst, NULL);
}

static void
build_tcp4(struct xt_pb *b, uint8_t ttl)
{
	xt_pb_eth(b, 1, 2);
	xt_pb_u16(b, SL_ETH_IPV4);
	xt_pb_ipv4(b, SL_IPPROTO_TCP, 0x0a000001, 0x0a000002, ttl, 0x28, 0);
	xt_pb_tcp(b, 1234, 80, 0x018);
	xt_pb_payload(b, 37);
	xt_pb_finish(b);
}

/* ------------------------------------------------------- copy rules ---- */

static void
test_output_single(void)
{
	struct xt_fx f;
	build_tcp4(&f.b, 64);
	xt_fx_start(&f);
	struct rte_mbuf *m = xt_mbuf(f.b.d, f.b.len);
	struct sl_exec_action acts[] = { xt_output(3) };
	xt_exec(acts, 1, m, &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 1);
	CU_ASSERT_PTR_EQUAL(f.c.out[0].m, m); /* the last use gets the original */
	CU_ASSERT_EQUAL(f.c.out[0].port, 3);
	CU_ASSERT_EQUAL(f.c.out[0].in_port, 7);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1);
	CU_ASSERT_EQUAL(f.st.copies, 0);
	xt_fx_end(&f);
}

static void
test_output_twice_shares(void)
{
	struct xt_fx f;
	build_tcp4(&f.b, 64);
	xt_fx_start(&f);
	struct sl_exec_action acts[] = { xt_output(1), xt_output(2), xt_output(OFPP_IN_PORT) };
	xt_exec(acts, 3, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 3);
	CU_ASSERT_PTR_EQUAL(f.c.out[0].m, f.c.out[1].m);
	CU_ASSERT_PTR_EQUAL(f.c.out[1].m, f.c.out[2].m);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(f.c.out[0].m), 3);
	CU_ASSERT_EQUAL(f.c.out[2].port, OFPP_IN_PORT);
	CU_ASSERT_EQUAL(f.st.copies, 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m), f.b.d, f.b.len), 0);
	xt_fx_end(&f);
}

static void
test_output_modify_output_copies(void)
{
	struct xt_fx f;
	build_tcp4(&f.b, 64);
	xt_fx_start(&f);
	struct sl_exec_action acts[] = { xt_output(1), set_eth_dst(), xt_output(2) };
	xt_exec(acts, 3, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_PTR_NOT_EQUAL(f.c.out[0].m, f.c.out[1].m);
	CU_ASSERT_EQUAL(f.st.copies, 1);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(f.c.out[0].m), f.b.len);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m), f.b.d, f.b.len), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[1].m), set_ethdst, 6), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[1].m) + 6, f.b.d + 6, f.b.len - 6), 0);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(f.c.out[0].m), 1);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(f.c.out[1].m), 1);
	xt_fx_end(&f);
}

static void
test_clone_rules(void)
{
	struct xt_fx f;
	build_tcp4(&f.b, 64);
	xt_fx_start(&f);

	/* A modifying clone followed by a use runs on a copy; the original is restored. */
	struct sl_exec_action a1[] = { xt_clone(2), set_eth_dst(), xt_output(2), xt_output(1) };
	xt_exec(a1, 4, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_EQUAL(f.c.out[0].port, 2);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m), set_ethdst, 6), 0);
	CU_ASSERT_EQUAL(f.c.out[1].port, 1);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[1].m), f.b.d, f.b.len), 0);
	CU_ASSERT_EQUAL(f.st.copies, 1);
	xt_cap_free(&f.c);

	/* A clone that modifies nothing needs no copy. */
	memset(&f.st, 0, sizeof(f.st));
	struct sl_exec_action a2[] = { xt_clone(1), xt_output(2), xt_output(1) };
	xt_exec(a2, 3, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_PTR_EQUAL(f.c.out[0].m, f.c.out[1].m);
	CU_ASSERT_EQUAL(f.st.copies, 0);
	xt_cap_free(&f.c);

	/* The last clone (nothing after it) takes the original. */
	memset(&f.st, 0, sizeof(f.st));
	struct sl_exec_action a3[] = { xt_output(1), xt_clone(2), set_eth_dst(), xt_output(2) };
	xt_exec(a3, 4, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_EQUAL(f.st.copies, 1); /* only output:1 copies (a later action modifies) */
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m), f.b.d, f.b.len), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[1].m), set_ethdst, 6), 0);
	xt_cap_free(&f.c);

	/* Nested clones: each body sees its parent's state at the clone. */
	memset(&f.st, 0, sizeof(f.st));
	uint8_t src[6] = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x11 };
	struct sl_exec_action a4[] = {
		xt_clone(6), set_eth_dst(), xt_output(2),
		xt_clone(2), xt_set(OFPXMT_OFB_ETH_SRC, SL_LAYER_ETH, 6, 6, 0, src, NULL), xt_output(3),
		xt_output(4),
		xt_output(1),
	};
	xt_exec(a4, 8, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 4);
	CU_ASSERT_EQUAL(f.c.out[0].port, 2);
	CU_ASSERT_EQUAL(f.c.out[1].port, 3);
	CU_ASSERT_EQUAL(f.c.out[2].port, 4);
	CU_ASSERT_EQUAL(f.c.out[3].port, 1);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m), set_ethdst, 6), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m) + 6, f.b.d + 6, 6), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[1].m), set_ethdst, 6), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[1].m) + 6, src, 6), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[2].m), set_ethdst, 6), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[2].m) + 6, f.b.d + 6, 6), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[3].m), f.b.d, f.b.len), 0);
	xt_cap_free(&f.c);

	/* A clone without any consumer is skipped; a body longer than the list is clamped. */
	memset(&f.st, 0, sizeof(f.st));
	struct sl_exec_action a5[] = { xt_clone(1), set_eth_dst(), xt_output(1), xt_clone(9),
				     xt_output(5) };
	xt_exec(a5, 5, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_EQUAL(f.c.out[1].port, 5);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m), f.b.d, f.b.len), 0);
	CU_ASSERT_EQUAL(f.st.copies, 0);
	xt_fx_end(&f);
}

static void
test_controller_and_drop(void)
{
	struct xt_fx f;
	build_tcp4(&f.b, 64);
	xt_fx_start(&f);
	struct sl_exec_action ctl;
	memset(&ctl, 0, sizeof(ctl));
	ctl.type = SL_EXEC_CONTROLLER;
	ctl.controller.reason = 1;
	ctl.controller.table_id = 4;
	ctl.controller.cookie = 0xabcdef;
	ctl.controller.max_len = 128;
	struct sl_exec_action acts[] = { ctl, set_eth_dst(), xt_output(2) };
	xt_exec(acts, 3, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_pin, 1);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 1);
	CU_ASSERT_EQUAL(f.c.pin[0].reason, 1);
	CU_ASSERT_EQUAL(f.c.pin[0].table_id, 4);
	CU_ASSERT_EQUAL(f.c.pin[0].cookie, 0xabcdef);
	CU_ASSERT_EQUAL(f.c.pin[0].max_len, 128);
	CU_ASSERT_EQUAL(f.c.pin[0].in_port, 7);
	CU_ASSERT_EQUAL(f.c.pin[0].metadata, 0x1122334455667788ull);
	CU_ASSERT_EQUAL(f.c.pin[0].tunnel_id, 0x55);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.pin[0].m), f.b.d, f.b.len), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(f.c.out[0].m), set_ethdst, 6), 0);
	xt_cap_free(&f.c);

	/* Empty list and lists without consumers drop (free) the packet. */
	xt_exec(NULL, 0, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	struct sl_exec_action only_set[] = { set_eth_dst(), xt_simple(SL_EXEC_POP_VLAN, 0) };
	memset(&f.st, 0, sizeof(f.st));
	xt_exec(only_set, 2, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL(f.c.n_out + f.c.n_pin, 0);
	CU_ASSERT_EQUAL(f.st.bad_layout, 0); /* dead actions are not even run */
	xt_fx_end(&f);
}

static void
test_copy_failure(void)
{
	struct xt_fx f;
	build_tcp4(&f.b, 64);
	xt_fx_start(&f);
	struct rte_mbuf *m = xt_mbuf(f.b.d, f.b.len);
	unsigned int n = xt_avail();
	struct rte_mbuf **hoard = calloc(n, sizeof(*hoard));
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_alloc_bulk(xt_pool(), hoard, n), 0);
	struct sl_exec_action acts[] = { xt_output(1), set_eth_dst(), xt_output(2), xt_clone(2),
				       set_eth_dst(), xt_output(3), xt_output(4) };
	xt_exec(acts, 7, m, &f.env, &f.st);
	CU_ASSERT_EQUAL(f.st.copy_failures, 2);
	CU_ASSERT_EQUAL(f.st.copies, 0);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_EQUAL(f.c.out[0].port, 2);
	CU_ASSERT_EQUAL(f.c.out[1].port, 4);
	CU_ASSERT_PTR_EQUAL(f.c.out[1].m, m);
	rte_pktmbuf_free_bulk(hoard, n);
	free(hoard);
	xt_fx_end(&f);
}

/* Without callbacks, whatever would have been sent is freed. */
static void
test_null_callbacks(void)
{
	struct xt_pb b;
	struct sl_exec_env env = { .pool = xt_pool() };
	struct sl_exec_action ctl;
	memset(&ctl, 0, sizeof(ctl));
	ctl.type = SL_EXEC_CONTROLLER;
	xt_build(XK_TCP4, &b);
	LEAK_CHECK_START();
	struct sl_exec_action acts[] = { xt_output(1), ctl, set_eth_dst(), xt_output(2),
				       (struct sl_exec_action){ .type = SL_EXEC_METER, .meter_id = 1 },
				       xt_output(3) };
	xt_exec(acts, 6, xt_mbuf(b.d, b.len), &env, NULL);
	xt_exec(acts, 1, xt_mbuf(b.d, b.len), &env, NULL);
	LEAK_CHECK_END();
}

/* ---------------------------------------------------- meters / queue ---- */

static void
test_meter(void)
{
	struct xt_fx f;
	struct sl_exec_action meter, meter9;
	memset(&meter, 0, sizeof(meter));
	meter.type = SL_EXEC_METER;
	meter.meter_id = 1;
	meter9 = meter;
	meter9.meter_id = 9;
	xt_fx_start(&f);
	f.c.meter = xt_meter(OFPMBT_DROP, 0);
	struct sl_exec_action acts[] = { meter, xt_output(1) };
	xt_build(XK_TCP4, &f.b);
	for (int i = 0; i < 3; i++) /* burst 1 packet: the first passes, the others drop */
		xt_exec(acts, 2, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL(f.c.n_out, 1);
	CU_ASSERT_EQUAL(f.st.meter_drops, 2);
	struct sl_meter_stats ms;
	sl_meter_get_stats(f.c.meter, f.env.now_ns, &ms);
	CU_ASSERT_EQUAL(ms.packet_in_count, 3);
	CU_ASSERT_EQUAL(ms.byte_in_count, 3ull * f.b.len);
	sl_meter_destroy(f.c.meter);
	xt_cap_free(&f.c);

	/* Unknown meter: pass. */
	memset(&f.st, 0, sizeof(f.st));
	struct sl_exec_action a9[] = { meter9, xt_output(1) };
	xt_exec(a9, 2, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL(f.c.n_out, 1);
	xt_cap_free(&f.c);

	/* DSCP remark: AF11 (10) -> AF12 (12) on IPv4 (checksum) and IPv6. */
	static const enum xt_kind kinds[] = { XK_TCP4, XK_TCP6 };
	for (int k = 0; k < 2; k++) {
		f.c.meter = xt_meter(OFPMBT_DSCP_REMARK, 1);
		xt_build(kinds[k], &f.b);
		uint8_t tos = 10 << 2 | 1; /* AF11, ECN 1 */
		if (f.b.ipver == 4) {
			f.b.d[f.b.l3 + 1] = tos;
		} else {
			f.b.d[f.b.l3] = (uint8_t)(0x60 | tos >> 4);
			f.b.d[f.b.l3 + 1] = (uint8_t)((tos & 0x0f) << 4 | (f.b.d[f.b.l3 + 1] & 0x0f));
		}
		xt_pb_finish(&f.b);
		struct sl_flow_key k0;
		sl_flow_parse(f.b.d, f.b.len, 0, 0, 0, &k0, NULL);
		CU_ASSERT_EQUAL(k0.ip_dscp, 10);
		xt_exec(acts, 2, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st); /* conforms */
		xt_exec(acts, 2, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st); /* exceeds: remark */
		CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
		struct sl_flow_key k1, k2;
		sl_flow_parse(xt_data(f.c.out[0].m), f.b.len, 0, 0, 0, &k1, NULL);
		sl_flow_parse(xt_data(f.c.out[1].m), f.b.len, 0, 0, 0, &k2, NULL);
		CU_ASSERT_EQUAL(k1.ip_dscp, 10);
		CU_ASSERT_EQUAL(k2.ip_dscp, 12);
		CU_ASSERT_EQUAL(k2.ip_ecn, k0.ip_ecn);
		CU_ASSERT_EQUAL(xt_check_csums(xt_data(f.c.out[1].m), f.b.len), 0);
		sl_meter_destroy(f.c.meter);
		xt_cap_free(&f.c);
	}
	xt_fx_end(&f);
}

static void
test_set_queue(void)
{
	struct xt_fx f;
	struct sl_exec_action q;
	memset(&q, 0, sizeof(q));
	q.type = SL_EXEC_SET_QUEUE;
	q.queue_id = 5;
	xt_build(XK_TCP4, &f.b);
	xt_fx_start(&f);
	struct sl_exec_action acts[] = { xt_output(1), q, xt_output(2) };
	xt_exec(acts, 3, xt_mbuf(f.b.d, f.b.len), &f.env, &f.st);
	CU_ASSERT_EQUAL_FATAL(f.c.n_out, 2);
	CU_ASSERT_PTR_NOT_EQUAL(f.c.out[0].m, f.c.out[1].m); /* metadata change: no sharing */
	CU_ASSERT_EQUAL(f.c.out[1].m->hash.sched.queue_id, 5);
	xt_fx_end(&f);
}

static const struct cunit_test tests[] = {
	{ "output_single", test_output_single },
	{ "output_twice_shares", test_output_twice_shares },
	{ "output_modify_output_copies", test_output_modify_output_copies },
	{ "clone_rules", test_clone_rules },
	{ "controller_and_drop", test_controller_and_drop },
	{ "copy_failure", test_copy_failure },
	{ "meter", test_meter },
	{ "set_queue", test_set_queue },
	{ "null_callbacks", test_null_callbacks },
};

int
main(void)
{
	return xt_run_suite("execute", tests, RTE_DIM(tests), NULL, NULL);
}
