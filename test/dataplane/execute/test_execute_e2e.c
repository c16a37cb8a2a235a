/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * End to end: OpenFlow rules and groups in a real pipeline, a packet parsed,
 * translated (sl_xlate) and executed (sl_execute). The output packets are
 * re-parsed and compared with the key OpenFlow semantics predict, and their
 * checksums are verified by full recomputation.
 */
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "test_flow_mod.h"

#include "exec_test_util.h"
#include "sl_flow_consts.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"

static struct sl_pipeline *pl;
static struct xt_cap cap;
static struct sl_exec_env env;
static struct sl_exec_stats st;

#define COOKIE_WEB 0x1000
#define COOKIE_MISS 0x2000

static struct sl_action
of_set(uint8_t field, const void *v)
{
	struct sl_action a;
	memset(&a, 0, sizeof(a));
	a.type = OFPAT_SET_FIELD;
	a.set_field.field = field;
	a.set_field.len = sl_field_by_oxm(field)->len;
	memcpy(a.set_field.value, v, a.set_field.len);
	return a;
}

static struct sl_action
of_type(uint16_t type, uint32_t arg)
{
	struct sl_action a;
	memset(&a, 0, sizeof(a));
	a.type = type;
	if (type == OFPAT_OUTPUT)
		a.output.port = arg, a.output.max_len = 0xffff;
	else if (type == OFPAT_GROUP)
		a.group_id = arg;
	else
		a.ethertype = (uint16_t)arg;
	return a;
}

static void
match_field(struct sl_match *m, uint8_t field, const void *v)
{
	CU_ASSERT_EQUAL(sl_match_set_oxm(m, field, v, NULL, sl_field_by_oxm(field)->len), 0);
}

static void
add_rule(uint16_t prio, uint64_t cookie, const struct sl_match *m, struct sl_action *acts,
	 uint16_t n)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, prio);
	fm.cookie = cookie;
	fm.match = *m;
	fm.ins.n_apply = n;
	fm.ins.apply = acts;
	int rc = sl_pipeline_flow_mod(pl, &fm, NULL);
	CU_ASSERT_EQUAL(rc, 0);
}

static const uint32_t web_dst = 0x0a090909;
static const uint16_t web_port = 8080, vid = OFPVID_PRESENT | 42, sport = 999;
static const uint8_t grp_mac[6] = { 0x02, 0x77, 0x77, 0x77, 0x77, 0x77 };
static const uint32_t mpls_label = 77;

static void
build_rules(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 1, .invalid_ttl_to_controller = true };
	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	uint16_t ipv4 = rte_cpu_to_be_16(SL_ETH_IPV4);
	uint8_t tcp = SL_IPPROTO_TCP, udp = SL_IPPROTO_UDP, icmp = SL_IPPROTO_ICMP;
	uint16_t p80 = rte_cpu_to_be_16(80);

	/* Web: rewrite destination, dec TTL, tag, out 2. */
	struct sl_match m;
	sl_match_init_catchall(&m);
	match_field(&m, OFPXMT_OFB_ETH_TYPE, &ipv4);
	match_field(&m, OFPXMT_OFB_IP_PROTO, &tcp);
	match_field(&m, OFPXMT_OFB_TCP_DST, &p80);
	uint32_t dst = rte_cpu_to_be_32(web_dst);
	uint16_t port = rte_cpu_to_be_16(web_port), v = rte_cpu_to_be_16(vid);
	struct sl_action web[] = {
		of_set(OFPXMT_OFB_IPV4_DST, &dst), of_set(OFPXMT_OFB_TCP_DST, &port),
		of_type(OFPAT_DEC_NW_TTL, 0), of_type(OFPAT_PUSH_VLAN, SL_ETH_VLAN),
		of_set(OFPXMT_OFB_VLAN_VID, &v), of_type(OFPAT_OUTPUT, 2),
	};
	add_rule(100, COOKIE_WEB, &m, web, 6);

	/* UDP: group ALL (two modifying buckets), then out 5 unmodified. */
	uint16_t sp = rte_cpu_to_be_16(sport);
	struct sl_action b0[] = { of_set(OFPXMT_OFB_ETH_DST, grp_mac), of_type(OFPAT_OUTPUT, 3) };
	struct sl_action b1[] = { of_set(OFPXMT_OFB_UDP_SRC, &sp), of_type(OFPAT_OUTPUT, 4) };
	struct sl_bucket bk[2] = {
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 2, .actions = b0 },
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 2, .actions = b1 },
	};
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = OFPGT_ALL, .group_id = 1,
				   .n_buckets = 2, .buckets = bk };
	CU_ASSERT_EQUAL(sl_pipeline_group_mod(pl, &gm), 0);
	sl_match_init_catchall(&m);
	match_field(&m, OFPXMT_OFB_ETH_TYPE, &ipv4);
	match_field(&m, OFPXMT_OFB_IP_PROTO, &udp);
	struct sl_action u[] = { of_type(OFPAT_GROUP, 1), of_type(OFPAT_OUTPUT, 5) };
	add_rule(90, 0, &m, u, 2);

	/* ICMP: MPLS label 77, out 6. */
	sl_match_init_catchall(&m);
	match_field(&m, OFPXMT_OFB_ETH_TYPE, &ipv4);
	match_field(&m, OFPXMT_OFB_IP_PROTO, &icmp);
	uint32_t lbl = rte_cpu_to_be_32(mpls_label);
	struct sl_action mp[] = { of_type(OFPAT_PUSH_MPLS, SL_ETH_MPLS),
				  of_set(OFPXMT_OFB_MPLS_LABEL, &lbl), of_type(OFPAT_OUTPUT, 6) };
	add_rule(80, 0, &m, mp, 3);

	/* Table miss: controller. */
	sl_match_init_catchall(&m);
	struct sl_action miss[] = { of_type(OFPAT_OUTPUT, OFPP_CONTROLLER) };
	add_rule(0, COOKIE_MISS, &m, miss, 1);
}

/* Parse, translate, execute; @key receives the parsed input key. */
static void
forward(const struct xt_pb *b, struct sl_flow_key *key)
{
	static struct sl_xlate_result res;
	struct sl_pkt_layout lay;
	struct rte_mbuf *m = xt_mbuf(b->d, b->len);
	sl_flow_parse_mbuf(m, 7, 7, 0, key, &lay);
	CU_ASSERT_EQUAL(sl_xlate(pl, key, &res), 0);
	memset(&st, 0, sizeof(st));
	sl_execute(res.actions, res.n_actions, m, key, &lay, &env, &st);
	CU_ASSERT_EQUAL(st.bad_layout + st.truncated + st.copy_failures, 0);
}

static void
reparse(const struct rte_mbuf *m, struct sl_flow_key *k)
{
	sl_flow_parse(xt_data(m), rte_pktmbuf_pkt_len(m), 7, 7, 0, k, NULL);
	CU_ASSERT_EQUAL(xt_check_csums(xt_data(m), rte_pktmbuf_pkt_len(m)), 0);
}

static void
build_ip(struct xt_pb *b, uint8_t proto, uint8_t ttl)
{
	xt_pb_eth(b, 1, 2);
	xt_pb_u16(b, SL_ETH_IPV4);
	xt_pb_ipv4(b, proto, 0x0a000001, 0x0a000002, ttl, 0, 0);
	if (proto == SL_IPPROTO_TCP)
		xt_pb_tcp(b, 33000, 80, 0x018);
	else if (proto == SL_IPPROTO_UDP)
		xt_pb_udp(b, 5000, 53);
	else
		xt_pb_icmp(b, 8, 0);
	xt_pb_payload(b, 51);
	xt_pb_finish(b);
}

static void
test_web(void)
{
	struct xt_pb b;
	struct sl_flow_key key, got;
	unsigned int avail0 = xt_avail();
	build_ip(&b, SL_IPPROTO_TCP, 64);
	forward(&b, &key);
	CU_ASSERT_EQUAL_FATAL(cap.n_out, 1);
	CU_ASSERT_EQUAL(cap.out[0].port, 2);
	CU_ASSERT_EQUAL(st.copies, 0);
	struct sl_flow_key want = key;
	want.ipv4_dst = rte_cpu_to_be_32(web_dst);
	want.tcp_dst = rte_cpu_to_be_16(web_port);
	want.nw_ttl = 63;
	want.vlan_vid = rte_cpu_to_be_16(vid);
	want.vlan_tpid = rte_cpu_to_be_16(SL_ETH_VLAN);
	want.n_vlan = 1;
	reparse(cap.out[0].m, &got);
	CU_ASSERT_EQUAL(memcmp(&got, &want, sizeof(got)), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(cap.out[0].m), b.len + 4u);
	xt_cap_free(&cap);

	/* TTL 1: invalid TTL to the controller with the rule's table and cookie. */
	build_ip(&b, SL_IPPROTO_TCP, 1);
	forward(&b, &key);
	CU_ASSERT_EQUAL(cap.n_out, 0);
	CU_ASSERT_EQUAL_FATAL(cap.n_pin, 1);
	CU_ASSERT_EQUAL(cap.pin[0].reason, OFPR_INVALID_TTL);
	CU_ASSERT_EQUAL(cap.pin[0].table_id, 0);
	CU_ASSERT_EQUAL(cap.pin[0].cookie, COOKIE_WEB);
	CU_ASSERT_EQUAL(st.ttl_drops, 1);
	xt_cap_free(&cap);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

static void
test_group_all(void)
{
	struct xt_pb b;
	struct sl_flow_key key, got;
	unsigned int avail0 = xt_avail();
	build_ip(&b, SL_IPPROTO_UDP, 64);
	forward(&b, &key);
	CU_ASSERT_EQUAL_FATAL(cap.n_out, 3);
	CU_ASSERT_EQUAL(cap.out[0].port, 3);
	CU_ASSERT_EQUAL(cap.out[1].port, 4);
	CU_ASSERT_EQUAL(cap.out[2].port, 5);
	CU_ASSERT_EQUAL(st.copies, 2); /* each modifying bucket, none for the last output */
	struct sl_flow_key w0 = key, w1 = key;
	memcpy(w0.eth_dst, grp_mac, 6);
	w1.udp_src = rte_cpu_to_be_16(sport);
	reparse(cap.out[0].m, &got);
	CU_ASSERT_EQUAL(memcmp(&got, &w0, sizeof(got)), 0);
	reparse(cap.out[1].m, &got);
	CU_ASSERT_EQUAL(memcmp(&got, &w1, sizeof(got)), 0);
	CU_ASSERT_EQUAL(memcmp(xt_data(cap.out[2].m), b.d, b.len), 0);
	xt_cap_free(&cap);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

static void
test_mpls_and_miss(void)
{
	struct xt_pb b;
	struct sl_flow_key key, got;
	unsigned int avail0 = xt_avail();
	build_ip(&b, SL_IPPROTO_ICMP, 64);
	forward(&b, &key);
	CU_ASSERT_EQUAL_FATAL(cap.n_out, 1);
	CU_ASSERT_EQUAL(cap.out[0].port, 6);
	reparse(cap.out[0].m, &got);
	CU_ASSERT_EQUAL(got.eth_type, rte_cpu_to_be_16(SL_ETH_MPLS));
	CU_ASSERT_EQUAL(got.mpls_label, rte_cpu_to_be_32(mpls_label));
	CU_ASSERT_EQUAL(got.mpls_bos, 1);
	CU_ASSERT_EQUAL(got.mpls_tc, 0);
	const uint8_t *d = xt_data(cap.out[0].m);
	CU_ASSERT_EQUAL(d[14 + 3], 64); /* TTL copied from IP */
	CU_ASSERT_EQUAL(memcmp(d + 18, b.d + 14, b.len - 14u), 0);
	xt_cap_free(&cap);

	/* ARP: no rule but the miss rule: packet-in reason NO_MATCH. */
	xt_pb_eth(&b, 0xff, 2);
	xt_pb_u16(&b, SL_ETH_ARP);
	xt_pb_arp(&b, 1, 0x0a000001, 0x0a000002);
	forward(&b, &key);
	CU_ASSERT_EQUAL(cap.n_out, 0);
	CU_ASSERT_EQUAL_FATAL(cap.n_pin, 1);
	CU_ASSERT_EQUAL(cap.pin[0].reason, 0);
	CU_ASSERT_EQUAL(cap.pin[0].cookie, COOKIE_MISS);
	CU_ASSERT_EQUAL(cap.pin[0].max_len, 0xffff);
	CU_ASSERT_EQUAL(cap.pin[0].in_port, 7);
	CU_ASSERT_EQUAL(memcmp(xt_data(cap.pin[0].m), b.d, b.len), 0);
	xt_cap_free(&cap);
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

static void
init_env(void)
{
	xt_env(&env, &cap);
}

static void
destroy_pl(void)
{
	if (pl != NULL)
		sl_pipeline_destroy(pl);
}

static const struct cunit_test tests[] = {
	{ "build_rules", build_rules },
	{ "web", test_web },
	{ "group_all", test_group_all },
	{ "mpls_and_miss", test_mpls_and_miss },
};

int
main(void)
{
	return xt_run_suite("execute_e2e", tests, RTE_DIM(tests), init_env, destroy_pl);
}
