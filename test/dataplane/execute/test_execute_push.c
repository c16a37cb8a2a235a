/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Executor tests: push/pop of VLAN, MPLS and PBB headers (bytes checked
 * against frames built by hand), the TTL actions (IPv4 checksum by full
 * recomputation, expiry to the controller), and pushes without headroom.
 */
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "exec_test_util.h"
#include "sl_flow_consts.h"

static unsigned int avail0;
static struct xt_cap cap;
static struct sl_exec_env env;
static struct sl_exec_stats st;

#define IP_TTL 64

/* Ethernet [+ tags] [+ MPLS labels] + IPv4/UDP with a payload. */
static void
frame(struct xt_pb *b, unsigned int n_tags, const uint16_t *tpid, const uint16_t *tci,
      unsigned int n_labels, const uint32_t *labels, uint8_t ttl)
{
	xt_pb_eth(b, 1, 2);
	for (unsigned int i = 0; i < n_tags; i++)
		xt_pb_vlan(b, tpid[i], tci[i]);
	xt_pb_u16(b, n_labels ? SL_ETH_MPLS : SL_ETH_IPV4);
	for (unsigned int i = 0; i < n_labels; i++)
		xt_pb_mpls(b, labels[i] >> 12, (labels[i] >> 9) & 7, i + 1 == n_labels,
			   (uint8_t)labels[i]);
	xt_pb_ipv4(b, SL_IPPROTO_UDP, 0x0a000001, 0x0a000002, ttl, 0, 0);
	xt_pb_udp(b, 1000, 2000);
	xt_pb_payload(b, 26);
	xt_pb_finish(b);
}

/* Run @acts + output on @in; the output must equal @want byte for byte. */
static void
expect_frame(const struct sl_exec_action *acts, unsigned int n, const struct xt_pb *in,
	     const struct xt_pb *want)
{
	struct sl_exec_action list[8];
	memcpy(list, acts, n * sizeof(*acts));
	list[n] = xt_output(9);
	memset(&st, 0, sizeof(st));
	xt_exec(list, n + 1, xt_mbuf(in->d, in->len), &env, &st);
	CU_ASSERT_EQUAL_FATAL(cap.n_out, 1);
	struct rte_mbuf *m = cap.out[0].m;
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m), want->len);
	bool same = rte_pktmbuf_pkt_len(m) == want->len &&
		    memcmp(xt_data(m), want->d, want->len) == 0;
	CU_ASSERT(same);
	if (!same) {
		fprintf(stderr, "\n  got :");
		for (unsigned int i = 0; i < rte_pktmbuf_pkt_len(m) && i < 40; i++)
			fprintf(stderr, " %02x", xt_data(m)[i]);
		fprintf(stderr, "\n  want:");
		for (unsigned int i = 0; i < want->len && i < 40; i++)
			fprintf(stderr, " %02x", want->d[i]);
		fprintf(stderr, "\n");
	}
	CU_ASSERT_EQUAL(xt_check_csums(xt_data(m), rte_pktmbuf_pkt_len(m)), 0);
	CU_ASSERT_EQUAL(st.bad_layout + st.truncated + st.push_failures, 0);
	xt_cap_free(&cap);
}

static void
test_vlan(void)
{
	struct xt_pb in, want;
	const uint16_t t8100[] = { SL_ETH_VLAN, SL_ETH_VLAN }, tqinq[] = { SL_ETH_QINQ, SL_ETH_VLAN };
	const uint16_t tci1[] = { 0xa123 }, tci2[] = { 0xa123, 0xa123 }, tci3[] = { 0x3005, 0xa123 };
	avail0 = xt_avail();

	/* Untagged + push 0x8100: new tag, TCI 0. */
	struct sl_exec_action push8100 = xt_simple(SL_EXEC_PUSH_VLAN, SL_ETH_VLAN);
	struct sl_exec_action push88a8 = xt_simple(SL_EXEC_PUSH_VLAN, SL_ETH_QINQ);
	struct sl_exec_action pop = xt_simple(SL_EXEC_POP_VLAN, 0);
	const uint16_t zero[] = { 0 };
	frame(&in, 0, NULL, NULL, 0, NULL, IP_TTL);
	frame(&want, 1, t8100, zero, 0, NULL, IP_TTL);
	expect_frame(&push8100, 1, &in, &want);

	/* Tagged + push 0x88a8: the new outer tag copies PCP and VID. */
	const uint16_t tci_outer[] = { 0xa123, 0xa123 };
	frame(&in, 1, t8100, tci1, 0, NULL, IP_TTL);
	frame(&want, 2, tqinq, tci_outer, 0, NULL, IP_TTL);
	expect_frame(&push88a8, 1, &in, &want);
	(void)tci2;

	/* DEI is not copied. */
	const uint16_t tci_dei[] = { 0xb123 }, tci_nodei[] = { 0xa123, 0xb123 };
	frame(&in, 1, t8100, tci_dei, 0, NULL, IP_TTL);
	frame(&want, 2, t8100, tci_nodei, 0, NULL, IP_TTL);
	expect_frame(&push8100, 1, &in, &want);

	/* QinQ + pop: the inner tag is now the outer one. */
	frame(&in, 2, tqinq, tci3, 0, NULL, IP_TTL);
	const uint16_t inner[] = { SL_ETH_VLAN }, inner_tci[] = { 0xa123 };
	frame(&want, 1, inner, inner_tci, 0, NULL, IP_TTL);
	expect_frame(&pop, 1, &in, &want);

	/* push, push, pop, pop = identity; pop on untagged = bad layout, unchanged. */
	struct sl_exec_action ppp[] = { push8100, push88a8, pop, pop };
	frame(&in, 1, t8100, tci1, 0, NULL, IP_TTL);
	expect_frame(ppp, 4, &in, &in);
	frame(&in, 0, NULL, NULL, 0, NULL, IP_TTL);
	struct sl_exec_action l[] = { pop, xt_output(1) };
	memset(&st, 0, sizeof(st));
	xt_exec(l, 2, xt_mbuf(in.d, in.len), &env, &st);
	CU_ASSERT_EQUAL(st.bad_layout, 1);
	CU_ASSERT_EQUAL_FATAL(cap.n_out, 1);
	CU_ASSERT_EQUAL(memcmp(xt_data(cap.out[0].m), in.d, in.len), 0);
	xt_cap_free(&cap);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

static void
test_mpls(void)
{
	struct xt_pb in, want;
	const uint16_t t8100[] = { SL_ETH_VLAN }, tci[] = { 0x2064 };
	struct sl_exec_action push = xt_simple(SL_EXEC_PUSH_MPLS, SL_ETH_MPLS);
	struct sl_exec_action pop_ip = xt_simple(SL_EXEC_POP_MPLS, SL_ETH_IPV4);
	struct sl_exec_action pop_mpls = xt_simple(SL_EXEC_POP_MPLS, SL_ETH_MPLS);
	avail0 = xt_avail();

	/* IPv4 + push: label 0, TC 0, BOS, TTL from IP. */
	const uint32_t l0[] = { 0 << 12 | IP_TTL };
	frame(&in, 0, NULL, NULL, 0, NULL, IP_TTL);
	frame(&want, 0, NULL, NULL, 1, l0, IP_TTL);
	expect_frame(&push, 1, &in, &want);

	/* After the VLAN tag, not before it. */
	frame(&in, 1, t8100, tci, 0, NULL, 17);
	const uint32_t l17[] = { 17 };
	frame(&want, 1, t8100, tci, 1, l17, 17);
	expect_frame(&push, 1, &in, &want);

	/* MPLS + push: copies label, TC and TTL; the old label stays the bottom. */
	const uint32_t one[] = { 1000u << 12 | 5u << 9 | 9 };
	const uint32_t two[] = { 1000u << 12 | 5u << 9 | 9, 1000u << 12 | 5u << 9 | 9 };
	frame(&in, 0, NULL, NULL, 1, one, IP_TTL);
	frame(&want, 0, NULL, NULL, 2, two, IP_TTL);
	expect_frame(&push, 1, &in, &want);

	/* Pops: to MPLS (one label left), then to IPv4 (the original frame). */
	const uint32_t inner[] = { 2000u << 12 | 9 };
	const uint32_t stack[] = { 1000u << 12 | 5u << 9 | 9, 2000u << 12 | 9 };
	frame(&in, 0, NULL, NULL, 2, stack, IP_TTL);
	frame(&want, 0, NULL, NULL, 1, inner, IP_TTL);
	expect_frame(&pop_mpls, 1, &in, &want);
	struct sl_exec_action pp[] = { pop_mpls, pop_ip };
	frame(&want, 0, NULL, NULL, 0, NULL, IP_TTL);
	expect_frame(pp, 2, &in, &want);

	/* After a pop to IPv4 the IP header is visible again: dec_ttl works on it. */
	struct sl_exec_action pd[] = { pop_ip, xt_ttl(SL_EXEC_DEC_NW_TTL, 0, 0) };
	frame(&in, 0, NULL, NULL, 1, inner, 30);
	frame(&want, 0, NULL, NULL, 0, NULL, 29);
	expect_frame(pd, 2, &in, &want);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

static void
test_pbb(void)
{
	struct xt_pb in, want;
	const uint16_t t8100[] = { SL_ETH_VLAN }, tci[] = { 0xa123 };
	avail0 = xt_avail();
	frame(&in, 1, t8100, tci, 0, NULL, IP_TTL);
	/* B-DA/B-SA = C-DA/C-SA, 0x88e7, I-TAG (I-PCP 5 from the VLAN, I-SID 0), customer frame. */
	xt_pb_eth(&want, 1, 2);
	xt_pb_u16(&want, SL_ETH_PBB);
	uint8_t itag[4] = { 5 << 5, 0, 0, 0 };
	xt_pb_bytes(&want, itag, 4);
	xt_pb_bytes(&want, in.d, in.len);
	struct sl_exec_action push = xt_simple(SL_EXEC_PUSH_PBB, SL_ETH_PBB);
	struct sl_exec_action pop = xt_simple(SL_EXEC_POP_PBB, 0);
	expect_frame(&push, 1, &in, &want);
	expect_frame(&pop, 1, &want, &in);
	uint8_t isid[3] = { 1, 2, 3 };
	struct sl_exec_action push_set[] = {
		push, xt_set(OFPXMT_OFB_PBB_ISID, SL_LAYER_PBB, 1, 3, 0, isid, NULL),
	};
	memcpy(want.d + 15, isid, 3);
	expect_frame(push_set, 2, &in, &want);
	struct sl_exec_action roundtrip[] = { push, pop };
	expect_frame(roundtrip, 2, &in, &in);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

static void
test_nw_ttl(void)
{
	struct xt_pb in, want;
	avail0 = xt_avail();
	frame(&in, 0, NULL, NULL, 0, NULL, 64);
	frame(&want, 0, NULL, NULL, 0, NULL, 63);
	struct sl_exec_action dec = xt_ttl(SL_EXEC_DEC_NW_TTL, 0, 1);
	expect_frame(&dec, 1, &in, &want);
	frame(&want, 0, NULL, NULL, 0, NULL, 200);
	struct sl_exec_action set = xt_ttl(SL_EXEC_SET_NW_TTL, 200, 0);
	expect_frame(&set, 1, &in, &want);

	/* IPv6 hop limit. */
	xt_pb_eth(&in, 1, 2);
	xt_pb_u16(&in, SL_ETH_IPV6);
	xt_pb_ipv6(&in, SL_IPPROTO_UDP, 1, 2, 5, 0, 0);
	xt_pb_udp(&in, 1, 2);
	xt_pb_payload(&in, 10);
	xt_pb_finish(&in);
	want = in;
	want.d[want.l3 + 7] = 4;
	expect_frame(&dec, 1, &in, &want);

	/* TTL 1 and 0: dropped; with to_controller a packet-in (reason INVALID_TTL). */
	for (uint8_t ttl = 0; ttl <= 1; ttl++) {
		frame(&in, 0, NULL, NULL, 0, NULL, ttl);
		struct sl_exec_action acts[] = { xt_output(1), xt_ttl(SL_EXEC_DEC_NW_TTL, 0, 0),
					       xt_output(2) };
		memset(&st, 0, sizeof(st));
		xt_exec(acts, 3, xt_mbuf(in.d, in.len), &env, &st);
		CU_ASSERT_EQUAL(cap.n_out, 1);
		CU_ASSERT_EQUAL(cap.n_pin, 0);
		CU_ASSERT_EQUAL(st.ttl_drops, 1);
		xt_cap_free(&cap);
		acts[1] = xt_ttl(SL_EXEC_DEC_NW_TTL, 0, 1);
		xt_exec(acts, 3, xt_mbuf(in.d, in.len), &env, &st);
		CU_ASSERT_EQUAL(cap.n_out, 1);
		CU_ASSERT_EQUAL_FATAL(cap.n_pin, 1);
		CU_ASSERT_EQUAL(cap.pin[0].reason, OFPR_INVALID_TTL);
		CU_ASSERT_EQUAL(cap.pin[0].table_id, 3);
		CU_ASSERT_EQUAL(cap.pin[0].cookie, 0xc00c1e);
		CU_ASSERT_EQUAL(cap.pin[0].in_port, 7);
		CU_ASSERT_EQUAL(memcmp(xt_data(cap.pin[0].m), in.d, in.len), 0);
		xt_cap_free(&cap);
	}

	/* Inside a clone only the copy stops. */
	frame(&in, 0, NULL, NULL, 0, NULL, 1);
	struct sl_exec_action cl[] = { xt_clone(2), xt_ttl(SL_EXEC_DEC_NW_TTL, 0, 0), xt_output(2),
				     xt_output(1) };
	xt_exec(cl, 4, xt_mbuf(in.d, in.len), &env, &st);
	CU_ASSERT_EQUAL_FATAL(cap.n_out, 1);
	CU_ASSERT_EQUAL(cap.out[0].port, 1);
	xt_cap_free(&cap);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

static void
test_mpls_ttl(void)
{
	struct xt_pb in, want;
	avail0 = xt_avail();
	const uint32_t l9[] = { 77u << 12 | 9 }, l8[] = { 77u << 12 | 8 }, l33[] = { 77u << 12 | 33 };
	frame(&in, 0, NULL, NULL, 1, l9, IP_TTL);
	frame(&want, 0, NULL, NULL, 1, l8, IP_TTL);
	struct sl_exec_action dec = xt_ttl(SL_EXEC_DEC_MPLS_TTL, 0, 1);
	expect_frame(&dec, 1, &in, &want);
	frame(&want, 0, NULL, NULL, 1, l33, IP_TTL);
	struct sl_exec_action set = xt_ttl(SL_EXEC_SET_MPLS_TTL, 33, 0);
	expect_frame(&set, 1, &in, &want);

	/* copy_ttl_out: IP -> label; copy_ttl_in: label -> IP (checksum fixed). */
	const uint32_t l64[] = { 77u << 12 | IP_TTL };
	struct sl_exec_action out = xt_ttl(SL_EXEC_COPY_TTL_OUT, 0, 0);
	struct sl_exec_action cin = xt_ttl(SL_EXEC_COPY_TTL_IN, 0, 0);
	frame(&want, 0, NULL, NULL, 1, l64, IP_TTL);
	expect_frame(&out, 1, &in, &want);
	frame(&want, 0, NULL, NULL, 1, l9, 9);
	expect_frame(&cin, 1, &in, &want);

	/* Between two labels. */
	const uint32_t s_in[] = { 1u << 12 | 20, 2u << 12 | 30 };
	const uint32_t s_out[] = { 1u << 12 | 30, 2u << 12 | 30 };
	const uint32_t s_cin[] = { 1u << 12 | 20, 2u << 12 | 20 };
	frame(&in, 0, NULL, NULL, 2, s_in, IP_TTL);
	frame(&want, 0, NULL, NULL, 2, s_out, IP_TTL);
	expect_frame(&out, 1, &in, &want);
	frame(&want, 0, NULL, NULL, 2, s_cin, IP_TTL);
	expect_frame(&cin, 1, &in, &want);

	/* Expiry. */
	const uint32_t l1[] = { 77u << 12 | 1 };
	frame(&in, 0, NULL, NULL, 1, l1, IP_TTL);
	struct sl_exec_action acts[] = { dec, xt_output(1) };
	memset(&st, 0, sizeof(st));
	xt_exec(acts, 2, xt_mbuf(in.d, in.len), &env, &st);
	CU_ASSERT_EQUAL(cap.n_out, 0);
	CU_ASSERT_EQUAL_FATAL(cap.n_pin, 1);
	CU_ASSERT_EQUAL(cap.pin[0].reason, OFPR_INVALID_TTL);
	CU_ASSERT_EQUAL(st.ttl_drops, 1);
	xt_cap_free(&cap);

	/* Not MPLS: skipped and counted. */
	frame(&in, 0, NULL, NULL, 0, NULL, IP_TTL);
	memset(&st, 0, sizeof(st));
	struct sl_exec_action acts2[] = { dec, out, xt_output(1) };
	xt_exec(acts2, 3, xt_mbuf(in.d, in.len), &env, &st);
	CU_ASSERT_EQUAL(st.bad_layout, 2);
	CU_ASSERT_EQUAL(cap.n_out, 1);
	xt_cap_free(&cap);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

/* Pushes with no headroom (tailroom path), with no room at all (a fresh first
 * segment takes the headers) and with no room and an empty pool. */
static void
test_push_room(void)
{
	struct xt_pb in, want;
	const uint16_t t8100[] = { SL_ETH_VLAN }, zero[] = { 0 };
	avail0 = xt_avail();
	frame(&in, 0, NULL, NULL, 0, NULL, IP_TTL);
	frame(&want, 1, t8100, zero, 0, NULL, IP_TTL);
	struct rte_mbuf *m = rte_pktmbuf_alloc(xt_pool());
	m->data_off = 0;
	memcpy(rte_pktmbuf_append(m, in.len), in.d, in.len);
	struct sl_exec_action acts[] = { xt_simple(SL_EXEC_PUSH_VLAN, SL_ETH_VLAN), xt_output(1) };
	memset(&st, 0, sizeof(st));
	xt_exec(acts, 2, m, &env, &st);
	CU_ASSERT_EQUAL_FATAL(cap.n_out, 1);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(cap.out[0].m), want.len);
	CU_ASSERT_EQUAL(memcmp(xt_data(cap.out[0].m), want.d, want.len), 0);
	xt_cap_free(&cap);

	m = rte_pktmbuf_alloc(xt_pool());
	m->data_off = 0;
	uint16_t full = (uint16_t)rte_pktmbuf_tailroom(m);
	uint8_t *d = (uint8_t *)rte_pktmbuf_append(m, full);
	memset(d, 0, full);
	memcpy(d, in.d, in.len);
	xt_exec(acts, 2, m, &env, &st);
	CU_ASSERT_EQUAL(st.pullups, 1);
	CU_ASSERT_EQUAL(st.push_failures, 0);
	CU_ASSERT_EQUAL_FATAL(cap.n_out, 1);
	CU_ASSERT_EQUAL(cap.out[0].m->nb_segs, 2); /* fresh head with the headers, then the rest */
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(cap.out[0].m), full + 4u);
	uint8_t buf[4096];
	const uint8_t *o = rte_pktmbuf_read(cap.out[0].m, 0, want.len, buf);
	CU_ASSERT_EQUAL(memcmp(o, want.d, want.len), 0);
	xt_cap_free(&cap);

	/* Neither room nor an mbuf for a fresh head: dropped, counted. */
	m = rte_pktmbuf_alloc(xt_pool());
	m->data_off = 0;
	d = (uint8_t *)rte_pktmbuf_append(m, full);
	memset(d, 0, full);
	memcpy(d, in.d, in.len);
	struct rte_mbuf *hold[8192];
	unsigned int held = 0;
	while (held < RTE_DIM(hold) && (hold[held] = rte_pktmbuf_alloc(xt_pool())) != NULL)
		held++;
	memset(&st, 0, sizeof(st));
	xt_exec(acts, 2, m, &env, &st);
	CU_ASSERT_EQUAL(cap.n_out, 0);
	CU_ASSERT_EQUAL(st.push_failures, 1);
	while (held > 0)
		rte_pktmbuf_free(hold[--held]);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

static void
init_env(void)
{
	xt_env(&env, &cap);
}

static const struct cunit_test tests[] = {
	{ "vlan", test_vlan },
	{ "mpls", test_mpls },
	{ "pbb", test_pbb },
	{ "nw_ttl", test_nw_ttl },
	{ "mpls_ttl", test_mpls_ttl },
	{ "push_room", test_push_room },
};

int
main(void)
{
	return xt_run_suite("execute_push", tests, RTE_DIM(tests), init_env, NULL);
}
