/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipeline tests: flow-mod semantics and errors, instructions and the action
 * set order, table-miss and packet-in reasons, meters, timeouts, versions and
 * packet-out. Groups, set_field placement and concurrency: test_groups.c.
 */
#include <rte_rcu_qsbr.h>

#include "cunit_main.h"

#include "pipeline_test_util.h"

static void
test_flow_mod_errors(void)
{
	setup();
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 10);
	m16(&fm.match, OFPXMT_OFB_TCP_DST, 80);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ));
	fm = fm_new(OFPFC_ADD, 254, 10);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_TABLE_ID));
	fm = fm_new(9, 0, 10);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND));
	/* goto backwards / to itself */
	fm = fm_new(OFPFC_ADD, 3, 10);
	fm.ins.has_goto = true;
	fm.ins.goto_table = 3;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID));
	/* unknown group */
	struct sl_action g = { .type = OFPAT_GROUP, .group_id = 7 };
	fm = fm_new(OFPFC_ADD, 0, 10);
	fm.ins.apply = &g;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP));
	/* set_field ipv4_dst without eth_type=0x0800 in the match */
	uint32_t ip = rte_cpu_to_be_32(0x0a000009);
	struct sl_action sf = setf(OFPXMT_OFB_IPV4_DST, &ip, 4);
	fm = fm_new(OFPFC_ADD, 0, 10);
	fm.ins.apply = &sf;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT));
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, 0x0800);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	/* bad output port, non-writable field */
	struct sl_action bad = out(0);
	fm = fm_new(OFPFC_ADD, 0, 11);
	fm.ins.apply = &bad;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT));
	uint32_t port = rte_cpu_to_be_32(3);
	bad = setf(OFPXMT_OFB_IN_PORT, &port, 4);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE));
	/* push_vlan then set vlan_pcp is consistent (the push makes the tag) */
	struct sl_action pv[2] = { { .type = OFPAT_PUSH_VLAN, .ethertype = 0x8100 } };
	uint8_t pcp = 5;
	pv[1] = setf(OFPXMT_OFB_VLAN_PCP, &pcp, 1);
	fm.ins.apply = pv;
	fm.ins.n_apply = 2;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	/* overlap check */
	fm = fm_new(OFPFC_ADD, 1, 5);
	m32(&fm.match, OFPXMT_OFB_IN_PORT, 1);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	fm = fm_new(OFPFC_ADD, 1, 5);
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, 0x0800);
	fm.flags = OFPFF_CHECK_OVERLAP;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_OVERLAP));
	fm.priority = 6;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	/* table full (limit 8 in setup) */
	int rc = 0;
	for (uint16_t p = 100; p < 120 && rc == 0; p++) {
		fm = fm_new(OFPFC_ADD, 2, p);
		rc = sl_pipeline_flow_mod(pl, &fm, NULL);
	}
	CU_ASSERT_EQUAL(rc, SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_TABLE_FULL));
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 2), 8);
	teardown();
}

/* The rules of all tables together are capped (max_rules): 254 tables of
 * max_rules_per_table each were a way to run the process out of memory.
 * Past the cap an ADD fails with TABLE_FULL in any table; a removal makes
 * room again. */
static void
test_overall_rule_cap(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2, .max_rules_per_table = 8,
					  .max_rules = 20 };
	struct sl_flow_mod fm;
	int rc = 0;
	unsigned int added = 0;

	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	for (uint8_t t = 0; t < 10 && rc == 0; t++)
		for (uint16_t p = 1; p <= 3 && rc == 0; p++) {
			fm = fm_new(OFPFC_ADD, t, p);
			rc = sl_pipeline_flow_mod(pl, &fm, NULL);
			added += rc == 0;
		}
	CU_ASSERT_EQUAL(rc, SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_TABLE_FULL));
	CU_ASSERT_EQUAL(added, 20);
	/* a MODIFY of an existing rule is no new rule: it still works */
	fm = fm_new(OFPFC_MODIFY_STRICT, 0, 1);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	fm = fm_new(OFPFC_DELETE_STRICT, 0, 1);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	fm = fm_new(OFPFC_ADD, 200, 1);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	fm = fm_new(OFPFC_ADD, 201, 1);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_TABLE_FULL));
	teardown();
}

static void
test_priority_miss_and_reasons(void)
{
	setup();
	struct sl_flow_key k = pkt_key(1);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "drop"); /* empty table: drop */
	CU_ASSERT_EQUAL(res.n_rules, 0);
	CU_ASSERT_EQUAL(res.n_tables, 1); /* one lookup, a miss */
	/* table-miss entry to controller: reason NO_MATCH */
	struct sl_action ctl = out(OFPP_CONTROLLER);
	ctl.output.max_len = 128;
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 0);
	fm.cookie = 0xabc;
	fm.ins.apply = &ctl;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "controller");
	CU_ASSERT_EQUAL(res.actions[0].controller.reason, 0);
	CU_ASSERT_EQUAL(res.actions[0].controller.cookie, 0xabc);
	CU_ASSERT_EQUAL(res.actions[0].controller.max_len, 128);
	/* A non-miss rule to controller: reason ACTION */
	fm = fm_new(OFPFC_ADD, 0, 5);
	m32(&fm.match, OFPXMT_OFB_IN_PORT, 1);
	fm.ins.apply = &ctl;
	fm.ins.n_apply = 1;
	sl_pipeline_flow_mod(pl, &fm, NULL);
	xlate_str(&k);
	CU_ASSERT_EQUAL(res.actions[0].controller.reason, 1);
	CU_ASSERT_EQUAL(res.mask.in_port, 0xffffffff);
	/* Higher priority wins; output to the ingress port is dropped, IN_PORT is not */
	struct sl_action acts[3] = { out(1), out(OFPP_IN_PORT), out(2) };
	fm = fm_new(OFPFC_ADD, 0, 50);
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, 0x0800);
	fm.ins.apply = acts;
	fm.ins.n_apply = 3;
	sl_pipeline_flow_mod(pl, &fm, NULL);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "output:4294967288,output:2");
	CU_ASSERT_EQUAL(res.n_rules, 1);
	CU_ASSERT_EQUAL(res.rules[0]->cr.priority, 50);
	uint64_t lookups, matched;
	sl_pipeline_table_stats(pl, 0, &lookups, &matched);
	CU_ASSERT_EQUAL(lookups, 4);
	CU_ASSERT_EQUAL(matched, 3);
	/* 10 more packets forwarded from a cache entry of this result */
	CU_ASSERT_EQUAL(res.n_tables, 1);
	sl_xlate_credit_tables(pl, &res, 10);
	sl_pipeline_table_stats(pl, 0, &lookups, &matched);
	CU_ASSERT_EQUAL(lookups, 14);
	CU_ASSERT_EQUAL(matched, 13);
	teardown();
}

static void
test_instructions_and_action_set(void)
{
	setup();
	struct sl_flow_key k = pkt_key(1);
	/* table 0: apply output:5, write [output:7, dec_ttl, set eth_dst, push_vlan],
	 * metadata 0x2/0x3, goto 3. Table 3 matches metadata 2 and writes output:8. */
	uint8_t mac[6] = { 0xaa, 0, 0, 0, 0, 1 };
	struct sl_action apply[1] = { out(5) };
	struct sl_action write[4] = { out(7), { .type = OFPAT_DEC_NW_TTL },
				      setf(OFPXMT_OFB_ETH_DST, mac, 6),
				      { .type = OFPAT_PUSH_VLAN, .ethertype = 0x8100 } };
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 1);
	fm.ins.apply = apply;
	fm.ins.n_apply = 1;
	fm.ins.has_write = true;
	fm.ins.write = write;
	fm.ins.n_write = 4;
	fm.ins.has_write_metadata = true;
	fm.ins.metadata = 2;
	fm.ins.metadata_mask = 3;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 3;
	fm.ins.has_meter = true;
	fm.ins.meter_id = 9;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	struct sl_action w3 = out(8);
	fm = fm_new(OFPFC_ADD, 3, 1);
	uint64_t md = rte_cpu_to_be_64(2);
	sl_match_set_oxm(&fm.match, OFPXMT_OFB_METADATA, &md, NULL, 8);
	fm.ins.has_write = true;
	fm.ins.write = &w3;
	fm.ins.n_write = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	/* push before dec_ttl before set_field, output last and replaced by table 3's */
	CU_ASSERT_STRING_EQUAL(xlate_str(&k),
			       "meter:9,output:5,push_vlan,dec_ttl,set_field(eth_dst),output:8");
	/* dec_ttl carries what the worker needs for an OFPR_INVALID_TTL packet-in */
	CU_ASSERT_EQUAL(res.actions[3].type, SL_EXEC_DEC_NW_TTL);
	CU_ASSERT_EQUAL(res.actions[3].ttl.table_id, 3);
	CU_ASSERT_EQUAL(res.actions[3].ttl.to_controller, 0);
	CU_ASSERT_EQUAL(res.mask.nw_ttl, 0); /* TTLs never narrow megaflows */
	CU_ASSERT_EQUAL(res.n_rules, 2);
	/* metadata is pipeline state: it never widens/narrows the packet's megaflow */
	CU_ASSERT_EQUAL(res.mask.metadata, 0);
	/* clear_actions in table 3 empties the set */
	fm.ins.clear_actions = true;
	fm.ins.has_write = false;
	fm.command = OFPFC_MODIFY_STRICT;
	unsigned int n = 0;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "meter:9,output:5");
	/* group in the action set overrides output */
	struct sl_bucket b = { .watch_port = OFPP_ANY, .watch_group = OFPG_ANY,
			       .n_actions = 1 };
	struct sl_action bo = out(11);
	b.actions = &bo;
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = OFPGT_INDIRECT,
				   .group_id = 1, .n_buckets = 1, .buckets = &b };
	CU_ASSERT_EQUAL(sl_pipeline_group_mod(pl, &gm), 0);
	struct sl_action w3b[2] = { out(8), { .type = OFPAT_GROUP, .group_id = 1 } };
	fm.ins.clear_actions = false;
	fm.ins.has_write = true;
	fm.ins.write = w3b;
	fm.ins.n_write = 2;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k),
			       "meter:9,output:5,push_vlan,dec_ttl,set_field(eth_dst),clone(1),output:11");
	CU_ASSERT_EQUAL(res.n_buckets, 1);
	teardown();
}

static void
test_modify_delete_filters(void)
{
	setup();
	struct sl_action o1 = out(1), o2 = out(2);
	for (uint16_t p = 1; p <= 4; p++) {
		struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, p);
		m32(&fm.match, OFPXMT_OFB_IN_PORT, p);
		fm.cookie = p;
		fm.ins.apply = p % 2 ? &o1 : &o2;
		fm.ins.n_apply = 1;
		CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	}
	uint64_t v0 = sl_pipeline_version(pl);
	/* non-strict modify by cookie mask: cookies 1 and 3 (odd) */
	struct sl_flow_mod fm = fm_new(OFPFC_MODIFY, 0, 0);
	fm.cookie = 1;
	fm.cookie_mask = 1;
	fm.ins.apply = &o2;
	fm.ins.n_apply = 1;
	unsigned int n = 0;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(sl_pipeline_version(pl) > v0);
	/* delete with out_port filter: nothing outputs to 1 anymore */
	fm = fm_new(OFPFC_DELETE, OFPTT_ALL, 0);
	fm.out_port = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	/* strict delete needs the exact priority */
	fm = fm_new(OFPFC_DELETE_STRICT, 0, 9);
	m32(&fm.match, OFPXMT_OFB_IN_PORT, 2);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	fm.priority = 2;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	/* non-strict delete with a wider match removes the rest */
	fm = fm_new(OFPFC_DELETE, 0, 0);
	fm.out_port = 2;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, &n), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 0);
	/* out_group filter, across all tables */
	struct sl_bucket b = { .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1,
			       .actions = &o1 };
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = OFPGT_INDIRECT, .group_id = 3,
				   .n_buckets = 1, .buckets = &b };
	CU_ASSERT_EQUAL(sl_pipeline_group_mod(pl, &gm), 0);
	struct sl_action g3 = { .type = OFPAT_GROUP, .group_id = 3 };
	for (uint8_t t = 0; t < 3; t++) {
		fm = fm_new(OFPFC_ADD, t, 1);
		fm.ins.has_write = true;
		fm.ins.write = t == 2 ? &o1 : &g3;
		fm.ins.n_write = 1;
		CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	}
	CU_ASSERT_EQUAL(sl_pipeline_group(pl, 3)->stats->ref_count, 2);
	fm = fm_new(OFPFC_DELETE, OFPTT_ALL, 0);
	fm.out_group = 3;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 2), 1);
	CU_ASSERT_EQUAL(sl_pipeline_group(pl, 3)->stats->ref_count, 0);
	sl_pipeline_synchronize(pl);
	teardown();
}

/* The only rule of table 0. */
static struct sl_rule *
table0_rule(void)
{
	return (struct sl_rule *)sl_cls_first((struct sl_classifier *)sl_pipeline_table_cls(pl, 0));
}

static void
add_in_port_rule(uint32_t port)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 1);

	m32(&fm.match, OFPXMT_OFB_IN_PORT, port);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
}

/* A removed rule's counter slot is reused only after a second grace period
 * (workers push counts they owe it up to their first quiescent report
 * after the removal: sl_rule_stats.h, Lifetime). */
static void
test_counter_slot_two_grace_periods(void)
{
	struct rte_rcu_qsbr *q;
	struct sl_flow_mod del;
	uint32_t slot;

	setup();
	q = sl_pipeline_qsbr(pl);
	CU_ASSERT_EQUAL_FATAL(rte_rcu_qsbr_thread_register(q, 0), 0);
	rte_rcu_qsbr_thread_online(q, 0);
	add_in_port_rule(1);
	slot = table0_rule()->stats_idx;
	del = fm_new(OFPFC_DELETE, 0, 0);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &del, NULL), 0);
	rte_rcu_qsbr_quiescent(q, 0);
	sl_pipeline_reclaim(pl);             /* first grace period: the rule is gone */
	add_in_port_rule(2);
	CU_ASSERT_NOT_EQUAL(table0_rule()->stats_idx, slot);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &del, NULL), 0);
	rte_rcu_qsbr_quiescent(q, 0);
	sl_pipeline_reclaim(pl);             /* second: the first slot is free */
	add_in_port_rule(3);
	CU_ASSERT_EQUAL(table0_rule()->stats_idx, slot);
	rte_rcu_qsbr_thread_offline(q, 0);
	rte_rcu_qsbr_thread_unregister(q, 0);
	sl_pipeline_synchronize(pl);
	teardown();
}

static unsigned int removed_idle, removed_hard;

static void
on_removed(void *ctx, const struct sl_rule *r, uint8_t reason)
{
	(void)ctx;
	(void)r;
	if (reason == OFPRR_IDLE_TIMEOUT)
		removed_idle++;
	if (reason == OFPRR_HARD_TIMEOUT)
		removed_hard++;
}

static bool
only_meter_1(void *ctx, uint32_t id)
{
	(void)ctx;
	return id == 1;
}

static void
test_meter_instruction(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 1, .meter_exists = only_meter_1 };
	pl = sl_pipeline_create(&cfg);
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 1);
	fm.ins.has_meter = true;
	fm.ins.meter_id = 2;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL),
			SL_OFPERR(OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER));
	fm.ins.meter_id = 1;
	struct sl_action o = out(3);
	fm.ins.apply = &o;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	struct sl_flow_key k = pkt_key(1);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "meter:1,output:3");
	CU_ASSERT_EQUAL(res.actions[0].meter_id, 1);
	teardown();
}

static void
test_timeouts(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 1, .on_removed = on_removed };
	pl = sl_pipeline_create(&cfg);
	const uint64_t s = 1000000000ull;
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 1);
	fm.idle_timeout = 10;
	fm.now_ns = 100 * s;
	sl_pipeline_flow_mod(pl, &fm, NULL);
	fm = fm_new(OFPFC_ADD, 0, 2);
	fm.hard_timeout = 5;
	fm.now_ns = 100 * s;
	sl_pipeline_flow_mod(pl, &fm, NULL);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 104 * s), 0);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 105 * s), 1);
	CU_ASSERT_EQUAL(removed_hard, 1);
	/* a hit keeps the idle rule alive */
	struct sl_flow_key k = pkt_key(1);
	sl_xlate(pl, &k, &res);
	CU_ASSERT_EQUAL(res.n_rules, 1);
	sl_rule_credit(res.rules[0], 1, 60, 108 * s);
	CU_ASSERT_EQUAL(res.rules[0]->base_bytes, 60);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 117 * s), 0);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 118 * s), 1);
	CU_ASSERT_EQUAL(removed_idle, 1);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 0);
	teardown();
}

/* Expiry only walks tables that hold timed rules: an ADD that replaces a rule
 * (same match and priority) with other timeouts, and a delete, must keep that
 * bookkeeping right. */
static void
test_timeouts_replaced(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 1, .on_removed = on_removed };
	pl = sl_pipeline_create(&cfg);
	const uint64_t s = 1000000000ull;
	removed_hard = removed_idle = 0;
	/* permanent, then replaced by one with a hard timeout: expires */
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 1);
	fm.now_ns = 100 * s;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 1000 * s), 0);
	fm.hard_timeout = 5;
	fm.now_ns = 1000 * s;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 1);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 1004 * s), 0);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 1005 * s), 1);
	CU_ASSERT_EQUAL(removed_hard, 1);
	/* timed, then replaced by a permanent one: stays */
	fm = fm_new(OFPFC_ADD, 0, 2);
	fm.idle_timeout = 3;
	fm.now_ns = 2000 * s;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	fm.idle_timeout = 0;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 3000 * s), 0);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 1);
	/* a timed rule next to it, deleted before it expires; then a new timed
	 * one in another table still expires */
	struct sl_flow_mod t = fm_new(OFPFC_ADD, 0, 3);
	t.hard_timeout = 1;
	t.now_ns = 3000 * s;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &t, NULL), 0);
	t.command = OFPFC_DELETE_STRICT;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &t, NULL), 0);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 3010 * s), 0);
	t = fm_new(OFPFC_ADD, 1, 3);
	t.hard_timeout = 1;
	t.now_ns = 3000 * s;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &t, NULL), 0);
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 3001 * s), 1);
	CU_ASSERT_EQUAL(removed_hard, 2);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 1);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 1), 0);
	teardown();
}

static void
test_packet_out_and_vlan(void)
{
	setup();
	/* table 0: push_vlan, set vid 10, goto 1; table 1 matches vid 10 -> output:4 */
	uint16_t vid = rte_cpu_to_be_16(OFPVID_PRESENT | 10);
	struct sl_action a0[2] = { { .type = OFPAT_PUSH_VLAN, .ethertype = 0x8100 },
				   setf(OFPXMT_OFB_VLAN_VID, &vid, 2) };
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 1);
	fm.ins.apply = a0;
	fm.ins.n_apply = 2;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	struct sl_action o4 = out(4), pop = { .type = OFPAT_POP_VLAN };
	struct sl_action a1[2] = { pop, o4 };
	fm = fm_new(OFPFC_ADD, 1, 1);
	sl_match_set_oxm(&fm.match, OFPXMT_OFB_VLAN_VID, &vid, NULL, 2);
	fm.ins.apply = a1;
	fm.ins.n_apply = 2;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	struct sl_flow_key k = pkt_key(1);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "push_vlan,set_field(vlan_vid),pop_vlan,output:4");
	/* the VID table 1 matched was written by table 0: not a packet bit */
	CU_ASSERT_EQUAL(res.mask.vlan_vid, 0xffff); /* push consulted the original tag */
	/* packet-out: output:TABLE runs the pipeline */
	struct sl_action po[2] = { out(7), out(OFPP_TABLE) };
	CU_ASSERT_EQUAL(sl_actions_validate(po, 2, &fm.match, false),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT));
	CU_ASSERT_EQUAL(sl_actions_validate(po, 2, &fm.match, true), 0);
	sl_xlate_actions(pl, &k, po, 2, &res);
	char buf[256];
	sl_xlate_format(&res, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "output:7,push_vlan,set_field(vlan_vid),pop_vlan,output:4");
	CU_ASSERT_EQUAL(res.n_rules, 2);
	teardown();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "flow_mod_errors", test_flow_mod_errors },
		{ "priority_miss_and_reasons", test_priority_miss_and_reasons },
		{ "instructions_and_action_set", test_instructions_and_action_set },
		{ "modify_delete_filters", test_modify_delete_filters },
		{ "counter_slot_two_grace_periods", test_counter_slot_two_grace_periods },
		{ "timeouts", test_timeouts },
		{ "timeouts_replaced", test_timeouts_replaced },
		{ "meter_instruction", test_meter_instruction },
		{ "packet_out_and_vlan", test_packet_out_and_vlan },
		{ "overall rule cap", test_overall_rule_cap },
	};

	return cunit_run_suite("pipeline", tests, CUNIT_N_TESTS(tests));
}
