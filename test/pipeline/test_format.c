/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_format.h and sl_xlate_trace.h: matches, actions, instructions, rules,
 * groups and meters against the strings ovs-ofctl 3.1 prints for the same
 * flows (`ovs-ofctl -O OpenFlow13 parse-flow/parse-group`, and its
 * dump-flows/dump-meters of the suite in test/integration), the parser's
 * round trip and its refusals, and traced translations: their steps, and
 * that they change no counter.
 */
#include <inttypes.h>

#include "cunit_main.h"

#include "pipeline_test_util.h"
#include "sl_format.h"
#include "sl_xlate_trace.h"

static char buf[4096];

/* ---------------------------------------------------------- matches ---- */

/* ovs-ofctl's input (add-flow syntax) and what it printed back. */
static const struct {
	const char *in, *ovs;
} matches[] = {
	{ "priority=100,in_port=1,dl_vlan=10,dl_dst=02:00:00:00:00:02",
	  "priority=100,in_port=1,dl_vlan=10,dl_dst=02:00:00:00:00:02" },
	{ "tcp,nw_src=10.0.0.0/8,ip_dscp=10,tp_dst=80", "tcp,nw_src=10.0.0.0/8,nw_tos=40,tp_dst=80" },
	{ "tp_dst=80,tcp", "tcp,tp_dst=80" },
	{ "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/255.0.255.0,arp_op=1,arp_sha=00:11:22:33:44:55",
	  "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/255.0.255.0,arp_op=1,arp_sha=00:11:22:33:44:55" },
	{ "arp,nw_src=10.0.0.1,nw_proto=2", "arp,arp_spa=10.0.0.1,arp_op=2" },
	{ "icmp,icmp_type=8,icmp_code=0", "icmp,icmp_type=8,icmp_code=0" },
	{ "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:11:22:33:44:55",
	  "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:11:22:33:44:55" },
	{ "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::1,ipv6_label=0x12345",
	  "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::1,ipv6_label=0x12345" },
	{ "udp6,tp_src=53", "udp6,tp_src=53" },
	{ "mpls,mpls_label=100,mpls_tc=3,mpls_bos=1", "mpls,mpls_label=100,mpls_tc=3,mpls_bos=1" },
	{ "dl_vlan=10,dl_vlan_pcp=3", "dl_vlan=10,dl_vlan_pcp=3" },
	{ "vlan_tci=0x0000", "vlan_tci=0x0000/0x1fff" },
	{ "vlan_tci=0x1000/0x1000", "vlan_tci=0x1000/0x1000" },
	{ "tun_id=0x5,metadata=0x10/0xff,dl_src=00:00:00:00:00:01/ff:ff:ff:00:00:00,dl_type=0x88cc",
	  "tun_id=0x5,metadata=0x10/0xff,dl_src=00:00:00:00:00:00/ff:ff:ff:00:00:00,dl_type=0x88cc" },
	{ "tcp,tcp_flags=0x002/0x012", "tcp,tcp_flags=+syn-ack" },
	{ "ip,nw_ecn=2,nw_proto=89", "ip,nw_proto=89,nw_ecn=2" },
	{ "ip,nw_dst=10.0.0.0/8,nw_src=1.2.3.4/255.0.255.0",
	  "ip,nw_src=1.0.3.0/255.0.255.0,nw_dst=10.0.0.0/8" },
	{ "dl_vlan_pcp=3", "dl_vlan_pcp=3" },
	{ "vlan_tci=0x1005/0x1fff", "dl_vlan=5" },
	{ "vlan_tci=0x1005/0x1ff0", "vlan_tci=0x1000/0x1ff0" },
	{ "ipv6,ipv6_label=0x1/0xf", "ipv6,ipv6_label=0x00001/0x0000f" },
	{ "in_port=LOCAL,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
	  "in_port=LOCAL,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00" },
	{ "ipv6,ipv6_src=2001:db8::1/ffff::1", "ipv6,ipv6_src=2001::1/ffff::1" },
	{ "ip,nw_src=0.0.0.0/0.0.0.1", "ip,nw_src=0.0.0.0/0.0.0.1" },
	{ "tun_id=0,metadata=0", "tun_id=0,metadata=0" },
	{ "ipv6,ipv6_label=0", "ipv6,ipv6_label=0x00000" },
	{ "", "" },
	/* Sluice's own fields, printed under their OXM names at the end */
	{ "in_port=1,in_phy_port=1", "in_port=1,in_phy_port=1" },
	{ "dl_type=0x88e7,pbb_isid=0x10", "dl_type=0x88e7,pbb_isid=0x10" },
};

/* For messages: gcc's ASan build cannot tell that the tables hold no NULL
 * (-Werror=format-overflow). */
static const char *
nonnull(const char *s)
{
	return s ? s : "(null)";
}

static void
test_match_round_trip(void)
{
	for (unsigned int i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		struct sl_flow_filter f;
		char err[256];
		int prio = -1;

		if (sl_parse_flow_filter(matches[i].in, &f, err, sizeof(err)) != 0)
			printf("\n  %s: %s\n", matches[i].in, err);
		CU_ASSERT_EQUAL_FATAL(sl_parse_flow_filter(matches[i].in, &f, err, sizeof(err)), 0);
		prio = f.priority;
		sl_format_match(&f.match.key, &f.match.mask, prio, buf, sizeof(buf));
		if (strcmp(buf, matches[i].ovs) != 0)
			printf("\n  %s: got %s, ovs-ofctl printed %s\n", matches[i].in, buf,
			       nonnull(matches[i].ovs));
		CU_ASSERT_STRING_EQUAL(buf, matches[i].ovs);
	}
	/* the default priority is left out, as ovs-ofctl does */
	struct sl_match m;

	sl_match_init_catchall(&m);
	CU_ASSERT_EQUAL(sl_format_match(&m.key, &m.mask, SL_FORMAT_DEFAULT_PRIORITY, buf,
					sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	/* cut text: snprintf's contract */
	CU_ASSERT_EQUAL(sl_format_match(&m.key, &m.mask, 7, buf, 5), 10);
	CU_ASSERT_STRING_EQUAL(buf, "prio");
}

/* Megaflow masks: recirc_id and the key's own fields. */
static void
test_megaflow_fields(void)
{
	struct sl_flow_key k, m;

	memset(&k, 0, sizeof(k));
	memset(&m, 0, sizeof(m));
	k.in_port = rte_cpu_to_be_32(1);
	m.in_port = UINT32_MAX;
	m.recirc_id = UINT32_MAX;
	k.eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
	m.eth_type = 0xffff;
	k.nw_ttl = 64;
	m.nw_ttl = 0xff;
	k.nw_frag = SL_FRAG_ANY;
	m.nw_frag = SL_FRAG_ANY | SL_FRAG_LATER;
	sl_format_match(&k, &m, -1, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "recirc_id=0,ip,in_port=1,nw_ttl=64,nw_frag=first");
	/* a partial port, as OVS prints tp_src=0x50/0xfff0 */
	k.ip_proto = SL_IPPROTO_TCP;
	m.ip_proto = 0xff;
	k.tcp_src = rte_cpu_to_be_16(0x50);
	m.tcp_src = rte_cpu_to_be_16(0xfff0);
	m.nw_ttl = m.nw_frag = 0;
	sl_format_match(&k, &m, -1, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "recirc_id=0,tcp,in_port=1,tp_src=0x50/0xfff0");
}

static const struct {
	const char *in, *why;
} bad[] = {
	{ "tp_dst=80", "tp_dst needs tcp, udp or sctp" },
	{ "nw_dst=10.0.0.1", "nw_dst needs ip or arp" },
	{ "bogus=1", "unknown field \"bogus\"" },
	{ "in_port=1,in_port=2", "in_port given twice" },
	{ "tcp,tcp_flags=+syn", "not a valid tcp_flags" },
	{ "ip,nw_src=10.0.0.300", "not a valid nw_src" },
	{ "ip,nw_proto=6/0xff", "nw_proto cannot be masked" },
	{ "tcp,tp_src=0x50/0xfff0", "tp_src cannot be masked" }, /* OVS can, OpenFlow 1.3 not */
	{ "ip,nw_tos=3", "a multiple of 4" },
	{ "dl_vlan=5000", "a VLAN id" },
	{ "ipv4_dst=10.0.0.1", "ipv4_dst needs what it belongs to" },
	{ "table=254", "not a valid table" },
	{ "in_port", "give a value" },
};

static void
test_parse_errors(void)
{
	struct sl_flow_filter f;
	struct sl_flow_key k;
	char err[256];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(sl_parse_flow_filter(bad[i].in, &f, err, sizeof(err)), -1);
		if (strstr(err, bad[i].why) == NULL)
			printf("\n  %s: \"%s\", expected \"%s\"\n", bad[i].in, err,
			       nonnull(bad[i].why));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].why));
	}
	/* a flow has values only, and no dump keys */
	CU_ASSERT_EQUAL(sl_parse_flow_key("ip,nw_dst=10.0.0.0/8", &k, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "values, not masks"));
	CU_ASSERT_EQUAL(sl_parse_flow_key("in_port=1,table=0", &k, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a field of a packet"));
	/* the filter's own keys */
	CU_ASSERT_EQUAL(sl_parse_flow_filter("table=3,cookie=0x15/0xf,priority=7,out_port=2,"
					     "out_group=9", &f, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(f.table, 3);
	CU_ASSERT_EQUAL(f.priority, 7);
	CU_ASSERT_EQUAL(f.cookie, 5);
	CU_ASSERT_EQUAL(f.cookie_mask, 0xf);
	CU_ASSERT_EQUAL(f.out_port, 2);
	CU_ASSERT_EQUAL(f.out_group, 9);
	/* a flow key: the values, a tag for dl_vlan, in_phy_port = in_port */
	CU_ASSERT_EQUAL(sl_parse_flow_key("in_port=3,dl_vlan=7,tcp,tp_dst=80", &k, err,
					  sizeof(err)), 0);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(k.in_phy_port), 3);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(k.vlan_vid), OFPVID_PRESENT | 7);
	CU_ASSERT_EQUAL(k.n_vlan, 1);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(k.tcp_dst), 80);
	CU_ASSERT_EQUAL(k.ip_proto, 6);
}

/* ---------------------------------------------------------- actions ---- */

static struct sl_action
act(uint16_t type, uint32_t arg)
{
	struct sl_action a = { .type = type };

	switch (type) {
	case OFPAT_GROUP: a.group_id = arg; break;
	case OFPAT_SET_QUEUE: a.queue_id = arg; break;
	case OFPAT_SET_MPLS_TTL: case OFPAT_SET_NW_TTL: a.ttl = (uint8_t)arg; break;
	default: a.ethertype = (uint16_t)arg;
	}
	return a;
}

static struct sl_action
ctl(uint16_t max_len)
{
	struct sl_action a = out(OFPP_CONTROLLER);

	a.output.max_len = max_len;
	return a;
}

static struct sl_action
sf16(unsigned int field, uint16_t v)
{
	uint16_t be = rte_cpu_to_be_16(v);

	return setf(field, &be, 2);
}

static struct sl_action
sf8(unsigned int field, uint8_t v)
{
	return setf(field, &v, 1);
}

static void
expect_actions(const struct sl_action *a, unsigned int n, const char *ovs)
{
	sl_format_actions(a, n, buf, sizeof(buf));
	if (strcmp(buf, ovs) != 0)
		printf("\n  got %s, ovs-ofctl printed %s\n", buf, ovs);
	CU_ASSERT_STRING_EQUAL(buf, ovs);
}

static void
test_actions(void)
{
	static const uint8_t mac9[6] = { 2, 0, 0, 0, 0, 9 }, mac1[6] = { 0, 0, 0, 0, 0, 1 };
	static const uint8_t ip[4] = { 10, 1, 1, 1 }, v6[16] = { 0xfe, 0x80, [15] = 5 };
	static const uint8_t tun[8] = { [7] = 5 }, flabel[4] = { [3] = 0x12 };
	struct sl_action a[8];

	a[0] = sf16(OFPXMT_OFB_VLAN_VID, 4196);
	a[1] = setf(OFPXMT_OFB_ETH_DST, mac9, 6);
	a[2] = out(2);
	expect_actions(a, 3, "set_field:4196->vlan_vid,set_field:02:00:00:00:00:09->eth_dst,output:2");
	a[0] = ctl(65535), a[1] = out(OFPP_IN_PORT), a[2] = out(OFPP_LOCAL), a[3] = out(OFPP_FLOOD);
	a[4] = out(OFPP_ALL), a[5] = out(OFPP_NORMAL), a[6] = act(OFPAT_SET_QUEUE, 3);
	a[7] = act(OFPAT_GROUP, 5);
	expect_actions(a, 8, "CONTROLLER:65535,IN_PORT,LOCAL,FLOOD,ALL,NORMAL,set_queue:3,group:5");
	a[0] = act(OFPAT_PUSH_VLAN, 0x8100), a[1] = out(2), a[2] = act(OFPAT_POP_VLAN, 0);
	a[3] = act(OFPAT_DEC_NW_TTL, 0), a[4] = act(OFPAT_SET_NW_TTL, 5);
	expect_actions(a, 5, "push_vlan:0x8100,output:2,pop_vlan,dec_ttl,mod_nw_ttl:5");
	a[0] = act(OFPAT_SET_MPLS_TTL, 5), a[1] = act(OFPAT_DEC_MPLS_TTL, 0);
	a[2] = act(OFPAT_POP_MPLS, 0x0800), a[3] = act(OFPAT_PUSH_MPLS, 0x8847), a[4] = ctl(128);
	expect_actions(a, 5, "set_mpls_ttl(5),dec_mpls_ttl,pop_mpls:0x0800,push_mpls:0x8847,"
			     "CONTROLLER:128");
	a[0] = setf(OFPXMT_OFB_TUNNEL_ID, tun, 8), a[1] = sf8(OFPXMT_OFB_IP_ECN, 2);
	a[2] = sf16(OFPXMT_OFB_SCTP_SRC, 1);
	expect_actions(a, 3, "set_field:0x5->tun_id,set_field:2->nw_ecn,set_field:1->sctp_src");
	a[0] = sf16(OFPXMT_OFB_UDP_DST, 53), a[1] = setf(OFPXMT_OFB_IPV4_SRC, ip, 4);
	a[2] = setf(OFPXMT_OFB_ETH_SRC, mac1, 6), a[3] = sf16(OFPXMT_OFB_TCP_SRC, 53);
	a[4] = sf8(OFPXMT_OFB_IP_DSCP, 1);
	expect_actions(a, 5, "set_field:53->udp_dst,set_field:10.1.1.1->ip_src,"
			     "set_field:00:00:00:00:00:01->eth_src,set_field:53->tcp_src,"
			     "set_field:1->ip_dscp");
	a[0] = setf(OFPXMT_OFB_IPV6_SRC, v6, 16), a[1] = setf(OFPXMT_OFB_IPV6_FLABEL, flabel, 4);
	a[2] = sf8(OFPXMT_OFB_ICMPV4_TYPE, 7), a[3] = sf8(OFPXMT_OFB_ICMPV6_CODE, 1);
	expect_actions(a, 4, "set_field:fe80::5->ipv6_src,set_field:0x12->ipv6_label,"
			     "set_field:7->icmp_type,set_field:1->icmpv6_code");
	memset(a[0].set_field.value, 0, 8);
	a[0] = setf(OFPXMT_OFB_TUNNEL_ID, a[0].set_field.value, 8);
	expect_actions(a, 1, "set_field:0->tun_id");
	a[0] = out(65279);
	expect_actions(a, 1, "output:65279");
	expect_actions(a, 0, "drop");
}

static void
test_instructions(void)
{
	static const uint8_t ip[4] = { 10, 0, 0, 1 }, mac1[6] = { 2, 0, 0, 0, 0, 1 };
	struct sl_action apply[3] = { sf8(OFPXMT_OFB_IP_DSCP, 5), setf(OFPXMT_OFB_IPV4_DST, ip, 4),
				      sf16(OFPXMT_OFB_TCP_DST, 80) };
	struct sl_action write[2] = { out(3), act(OFPAT_GROUP, 2) };
	struct sl_instructions ins = { .has_meter = true, .meter_id = 1, .n_apply = 3,
				       .apply = apply, .clear_actions = true, .has_write = true,
				       .n_write = 2, .write = write, .has_write_metadata = true,
				       .metadata = 1, .metadata_mask = 0xff, .has_goto = true,
				       .goto_table = 2 };

	sl_format_instructions(&ins, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "meter:1,set_field:5->ip_dscp,set_field:10.0.0.1->ip_dst,"
				    "set_field:80->tcp_dst,clear_actions,write_actions(output:3,"
				    "group:2),write_metadata:0x1/0xff,goto_table:2");
	write[0] = setf(OFPXMT_OFB_ETH_DST, mac1, 6), write[1] = out(1);
	ins = (struct sl_instructions){ .has_write = true, .n_write = 2, .write = write,
					.has_goto = true, .goto_table = 3 };
	sl_format_instructions(&ins, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "write_actions(set_field:02:00:00:00:00:01->eth_dst,output:1),"
				    "goto_table:3");
	ins = (struct sl_instructions){ .has_write_metadata = true, .metadata = 0,
					.metadata_mask = 1 };
	sl_format_instructions(&ins, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "write_metadata:0/0x1");
	ins = (struct sl_instructions){ 0 };
	sl_format_instructions(&ins, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "drop");
}

/* A rule's line, as ovs-ofctl's dump-flows of the same rule (duration
 * aside: milliseconds here, however many digits ovs-ofctl needs there). */
static void
test_rule_line(void)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 5);
	struct sl_action o2 = out(2);
	const struct sl_rule *r;

	setup();
	fm.cookie = 5;
	fm.idle_timeout = 10;
	fm.hard_timeout = 20;
	fm.flags = OFPFF_SEND_FLOW_REM;
	fm.now_ns = 1000000000ull;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	fm = fm_new(OFPFC_ADD, 1, 100);
	m32(&fm.match, OFPXMT_OFB_IN_PORT, 1);
	fm.ins.apply = &o2;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	r = (const struct sl_rule *)sl_cls_first(sl_pipeline_table_cls(pl, 0));
	sl_format_rule(r, 2250000000ull, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, " cookie=0x5, duration=1.250s, table=0, n_packets=0, n_bytes=0, "
				    "idle_timeout=10, hard_timeout=20, send_flow_rem priority=5 "
				    "actions=drop");
	r = (const struct sl_rule *)sl_cls_first(sl_pipeline_table_cls(pl, 1));
	sl_rule_credit((struct sl_rule *)r, 3, 180, 0);
	sl_format_rule(r, 0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, " cookie=0x0, duration=0.000s, table=1, n_packets=3, "
				    "n_bytes=180, priority=100,in_port=1 actions=output:2");
	teardown();
}

static int
add_group(uint32_t id, uint8_t type, struct sl_bucket *b, uint16_t n)
{
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = type, .group_id = id,
				   .n_buckets = n, .buckets = b };

	return sl_pipeline_group_mod(pl, &gm);
}

static void
test_groups_meters(void)
{
	struct sl_action o[3] = { out(2), out(3), act(OFPAT_GROUP, 5) };
	struct sl_bucket sel[2] = {
		{ .weight = 50, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1,
		  .actions = &o[0] },
		{ .weight = 1, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1,
		  .actions = &o[1] },
	};
	struct sl_bucket ff[2] = {
		{ .watch_port = 2, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &o[0] },
		{ .watch_port = OFPP_ANY, .watch_group = 5, .n_actions = 1, .actions = &o[2] },
	};
	struct sl_bucket all[2] = { sel[0], sel[1] };
	uint32_t ids[8];

	setup();
	all[0].weight = all[1].weight = 0;
	CU_ASSERT_EQUAL_FATAL(add_group(5, OFPGT_ALL, all, 2), 0);
	CU_ASSERT_EQUAL_FATAL(add_group(2, OFPGT_SELECT, sel, 2), 0);
	CU_ASSERT_EQUAL_FATAL(add_group(3, OFPGT_FF, ff, 2), 0);
	CU_ASSERT_EQUAL_FATAL(add_group(4, OFPGT_INDIRECT, all, 1), 0);
	sl_format_group(sl_pipeline_group(pl, 2), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "group_id=2,type=select,bucket=weight:50,actions=output:2,"
				    "bucket=actions=output:3");
	sl_format_group(sl_pipeline_group(pl, 3), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "group_id=3,type=ff,bucket=watch_port:2,actions=output:2,"
				    "bucket=watch_group:5,actions=group:5");
	sl_format_group(sl_pipeline_group(pl, 5), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "group_id=5,type=all,bucket=actions=output:2,"
				    "bucket=actions=output:3");
	sl_format_group(sl_pipeline_group(pl, 4), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "group_id=4,type=indirect,bucket=actions=output:2");
	CU_ASSERT_EQUAL(sl_pipeline_group_ids(pl, ids, 8), 4);
	CU_ASSERT(ids[0] == 2 && ids[1] == 3 && ids[2] == 4 && ids[3] == 5);
	teardown();

	struct sl_meter_config mc = { .meter_id = 1, .flags = OFPMF_PKTPS | OFPMF_STATS,
				      .n_bands = 1,
				      .bands = { { .type = OFPMBT_DROP, .rate = 100000 } } };

	sl_format_meter(&mc, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "meter=1 pktps stats bands=\ntype=drop rate=100000");
	mc = (struct sl_meter_config){ .meter_id = 7, .flags = OFPMF_KBPS | OFPMF_BURST, .n_bands = 2,
				       .bands = { { .type = OFPMBT_DROP, .rate = 1000,
						    .burst_size = 100 },
						  { .type = OFPMBT_DSCP_REMARK, .rate = 500,
						    .burst_size = 50, .prec_level = 1 } } };
	sl_format_meter(&mc, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "meter=7 kbps burst bands=\ntype=drop rate=1000 burst_size=100"
				    "\ntype=dscp_remark rate=500 burst_size=50 prec_level=1");
}

/* ------------------------------------------------------------ trace ---- */

struct steps {
	char text[16][160];
	unsigned int n;
};

static void
record(void *ctx, const struct sl_xlate_trace_event *ev)
{
	struct steps *s = ctx;
	char *t = s->text[s->n];

	if (s->n == 16)
		return;
	switch (ev->kind) {
	case SL_TRACE_TABLE:
		if (ev->rule)
			snprintf(t, 160, "table %u: prio %u", ev->table_id, ev->rule->cr.priority);
		else
			snprintf(t, 160, "table %u: miss", ev->table_id);
		break;
	case SL_TRACE_BUCKET:
		snprintf(t, 160, "group %u bucket %d depth %u", ev->group->group_id, ev->bucket,
			 ev->depth);
		break;
	case SL_TRACE_ACTION_SET:
		strcpy(t, "action set: ");
		sl_format_actions(ev->acts, ev->n_acts, t + strlen(t), 160 - strlen(t));
		break;
	case SL_TRACE_NORMAL:
		snprintf(t, 160, "normal: %" PRIu32, ev->port);
		break;
	default:
		snprintf(t, 160, "fail open");
	}
	s->n++;
}

/* table 0 -> goto 1 -> group 1 (all: output 2, 3), write_actions(output:4);
 * another in_port misses table 0. The trace reports each step, and counts
 * nothing: no table lookup, no rule or group credit. */
static void
test_trace(void)
{
	struct sl_action o[3] = { out(2), out(3), out(4) }, g1 = act(OFPAT_GROUP, 1);
	struct sl_bucket b[2] = {
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &o[0] },
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &o[1] },
	};
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 10);
	struct steps s = { .n = 0 };
	struct sl_flow_key k;
	uint64_t lookups, matched;
	struct sl_rule_counts c;

	setup();
	CU_ASSERT_EQUAL_FATAL(add_group(1, OFPGT_ALL, b, 2), 0);
	m32(&fm.match, OFPXMT_OFB_IN_PORT, 1);
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	fm = fm_new(OFPFC_ADD, 1, 20);
	fm.ins.apply = &g1;
	fm.ins.n_apply = 1;
	fm.ins.has_write = true;
	fm.ins.write = &o[2];
	fm.ins.n_write = 1;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);

	k = pkt_key(1);
	CU_ASSERT_EQUAL(sl_xlate_trace(pl, &k, &res, record, &s), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 5);
	CU_ASSERT_STRING_EQUAL(s.text[0], "table 0: prio 10");
	CU_ASSERT_STRING_EQUAL(s.text[1], "table 1: prio 20");
	CU_ASSERT_STRING_EQUAL(s.text[2], "group 1 bucket 0 depth 1");
	CU_ASSERT_STRING_EQUAL(s.text[3], "group 1 bucket 1 depth 1");
	CU_ASSERT_STRING_EQUAL(s.text[4], "action set: output:4");
	sl_format_dp_actions(res.actions, res.n_actions, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "clone(output:2),clone(output:3),output:4");
	/* the same translation untraced, and the mask it installs */
	s.n = 0;
	CU_ASSERT_EQUAL(sl_xlate_uncounted(pl, &k, &res), 0);
	CU_ASSERT_EQUAL(s.n, 0);
	sl_format_match(&k, &res.mask, -1, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "recirc_id=0,in_port=1");

	k = pkt_key(2);
	CU_ASSERT_EQUAL(sl_xlate_trace(pl, &k, &res, record, &s), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 1);
	CU_ASSERT_STRING_EQUAL(s.text[0], "table 0: miss");
	CU_ASSERT_EQUAL(res.n_actions, 0);

	sl_pipeline_table_stats(pl, 0, &lookups, &matched);
	CU_ASSERT_EQUAL(lookups, 0);
	sl_rule_get_counts((const struct sl_rule *)sl_cls_first(sl_pipeline_table_cls(pl, 1)), &c);
	CU_ASSERT_EQUAL(c.packets, 0);
	CU_ASSERT_EQUAL(sl_pipeline_group(pl, 1)->stats->n_packets, 0);
	teardown();
}

/* Datapath actions with values; NORMAL's decision in a trace. */
static void
test_dp_actions_normal(void)
{
	static const uint8_t mac9[6] = { 2, 0, 0, 0, 0, 9 };
	struct sl_action a[3] = { setf(OFPXMT_OFB_ETH_DST, mac9, 6), sf8(OFPXMT_OFB_IP_DSCP, 10),
				  out(OFPP_NORMAL) };
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 1);
	struct steps s = { .n = 0 };
	struct sl_flow_key k = pkt_key(1);

	setup();
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, SL_ETH_IPV4);
	fm.ins.apply = a;
	fm.ins.n_apply = 3;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_EQUAL(sl_xlate_trace(pl, &k, &res, record, &s), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 2);
	CU_ASSERT_STRING_EQUAL(s.text[1], "normal: 4294967291"); /* OFPP_FLOOD */
	CU_ASSERT_EQUAL(res.n_learn, 1); /* reported, not learned */
	sl_format_dp_actions(res.actions, res.n_actions, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "set_field(eth_dst=02:00:00:00:00:09),set_field(ip_dscp=10),"
				    "FLOOD");
	teardown();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "match_round_trip", test_match_round_trip },
		{ "megaflow_fields", test_megaflow_fields },
		{ "parse_errors", test_parse_errors },
		{ "actions", test_actions },
		{ "instructions", test_instructions },
		{ "rule_line", test_rule_line },
		{ "groups_meters", test_groups_meters },
		{ "trace", test_trace },
		{ "dp_actions_normal", test_dp_actions_normal },
	};

	return cunit_run_suite("format", tests, CUNIT_N_TESTS(tests));
}
