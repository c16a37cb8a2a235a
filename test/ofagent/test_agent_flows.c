/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests of the agent's table side against the real pipeline and a
 * fake runtime: flow-mods (all commands, filters, flags, errors), timeouts
 * and flow-removed, counters, groups, meters, packet-out, table-mod and the
 * multipart statistics that read them. */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "agent_fixture.h"

static void
send_fm(uint8_t cmd, uint8_t table, uint16_t prio, uint32_t in_port, uint16_t eth_type,
	uint32_t out, uint16_t flags, uint64_t cookie)
{
	struct sl_ofp_msg m;

	build_flow_mod(&m, cmd, table, prio, in_port, eth_type, out);
	m.u.flow_mod.flags = flags;
	m.u.flow_mod.cookie = cookie;
	m.u.flow_mod.cookie_mask = cmd == OFPFC_ADD ? 0 : (cookie ? UINT64_MAX : 0);
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
}

/* Number of flows a flow-stats request for @p table (and @p out_port) returns. */
static uint32_t
count_flows(uint8_t table, uint32_t out_port)
{
	struct sl_ofp_msg m;
	uint32_t n = 0;

	build_flow_stats_req(&m, OFPMP_FLOW, table);
	m.u.multipart.body.flow_request.out_port = out_port;
	ofc_send(&fx.c, &m);
	if (recv_mp_reply(&fx.c, OFPMP_FLOW, &n, 5000) < 1)
		return 0xffffffff;
	return n;
}

/* Decode a single-part flow-stats reply for table 0 into @p m. */
static int
dump_table0(struct sl_ofp_msg *m)
{
	build_flow_stats_req(m, OFPMP_FLOW, 0);
	ofc_send(&fx.c, m);
	return ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, m, 2000);
}

static void
test_flow_add_dump(void)
{
	struct sl_ofp_msg m;
	const struct sl_ofp_flow_stats *fs;
	unsigned int changed;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	send_fm(OFPFC_ADD, 0, 100, 1, 0, 2, 0, 0x55);
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	CU_ASSERT(fx.dp.n_sync >= 1);
	changed = fx.dp.n_tables_changed;
	CU_ASSERT(changed >= 1);
	CU_ASSERT_FATAL(dump_table0(&m) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.flow_stats.n, 1);
	fs = &m.u.multipart.body.flow_stats.items[0];
	CU_ASSERT_EQUAL(fs->priority, 100);
	CU_ASSERT_EQUAL(fs->cookie, 0x55);
	CU_ASSERT_EQUAL_FATAL(fs->match.n_fields, 1);
	CU_ASSERT_EQUAL(fs->match.fields[0].field, 0);
	CU_ASSERT_EQUAL(sl_ofp_oxm_value_u64(&fs->match.fields[0]), 1);
	CU_ASSERT_EQUAL_FATAL(fs->n_instructions, 1);
	CU_ASSERT_EQUAL(fs->instructions[0].type, OFPIT_APPLY_ACTIONS);
	CU_ASSERT_EQUAL_FATAL(fs->instructions[0].u.actions.n_actions, 1);
	CU_ASSERT_EQUAL(fs->instructions[0].u.actions.actions[0].u.output.port, 2);
	CU_ASSERT_EQUAL(fs->packet_count, 0);
	sl_ofp_msg_free(&m);

	/* Counters credited by the fast path show up, also in aggregate. */
	{
		const struct sl_classifier *cls = sl_pipeline_table_cls(fx.pl, 0);
		struct sl_rule *r = (struct sl_rule *)sl_cls_first(cls);

		sl_rule_credit(r, 3, 300, 0);
	}
	CU_ASSERT_FATAL(dump_table0(&m) == 0);
	CU_ASSERT_EQUAL(m.u.multipart.body.flow_stats.items[0].packet_count, 3);
	CU_ASSERT_EQUAL(m.u.multipart.body.flow_stats.items[0].byte_count, 300);
	sl_ofp_msg_free(&m);
	send_fm(OFPFC_ADD, 0, 50, 2, 0, 1, 0, 0);
	build_flow_stats_req(&m, OFPMP_AGGREGATE, OFPTT_ALL);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.multipart.body.aggregate.flow_count, 2);
	CU_ASSERT_EQUAL(m.u.multipart.body.aggregate.packet_count, 3);
	CU_ASSERT_EQUAL(m.u.multipart.body.aggregate.byte_count, 300);
	sl_ofp_msg_free(&m);
	/* out_port filter and table filter. */
	CU_ASSERT_EQUAL(count_flows(OFPTT_ALL, 2), 1);
	CU_ASSERT_EQUAL(count_flows(OFPTT_ALL, OFPP_ANY), 2);
	CU_ASSERT_EQUAL(count_flows(1, OFPP_ANY), 0);
	fixture_down();
}

static void
test_flow_modify_delete(void)
{
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	send_fm(OFPFC_ADD, 0, 100, 1, 0, 2, 0, 0x1);
	send_fm(OFPFC_ADD, 0, 200, 1, 0x800, 2, 0, 0x2);
	send_fm(OFPFC_ADD, 0, 300, 2, 0, 3, 0, 0x3);
	/* Overlap check: same priority, both can match in_port=1,eth_type=ip. */
	send_fm(OFPFC_ADD, 0, 100, 0, 0x800, 3, OFPFF_CHECK_OVERLAP, 0);
	expect_error(&fx.c, OFPET_FLOW_MOD_FAILED, OFPFMFC_OVERLAP, 64, "overlap");
	CU_ASSERT_EQUAL(count_flows(0, OFPP_ANY), 3);
	/* Non-strict modify of every in_port=1 rule: output 3. */
	send_fm(OFPFC_MODIFY, 0, 0, 1, 0, 3, 0, 0);
	CU_ASSERT_EQUAL(count_flows(0, 3), 3);
	/* Strict modify with a priority nobody has: nothing changes. */
	send_fm(OFPFC_MODIFY_STRICT, 0, 999, 1, 0, 1, 0, 0);
	CU_ASSERT_EQUAL(count_flows(0, 1), 0);
	/* Delete by cookie (exact mask). */
	send_fm(OFPFC_DELETE, OFPTT_ALL, 0, 0, 0, 0, 0, 0x3);
	CU_ASSERT_EQUAL(count_flows(0, OFPP_ANY), 2);
	/* Strict delete needs the exact match and priority. */
	send_fm(OFPFC_DELETE_STRICT, 0, 100, 1, 0x800, 0, 0, 0);
	CU_ASSERT_EQUAL(count_flows(0, OFPP_ANY), 2);
	send_fm(OFPFC_DELETE_STRICT, 0, 200, 1, 0x800, 0, 0, 0);
	CU_ASSERT_EQUAL(count_flows(0, OFPP_ANY), 1);
	/* Delete with an out_port filter that does not match leaves it. */
	build_flow_mod(&m, OFPFC_DELETE, OFPTT_ALL, 0, 0, 0, 0);
	m.u.flow_mod.out_port = 2;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(count_flows(0, OFPP_ANY), 1);
	send_fm(OFPFC_DELETE, OFPTT_ALL, 0, 0, 0, 0, 0, 0);
	CU_ASSERT_EQUAL(count_flows(OFPTT_ALL, OFPP_ANY), 0);
	fixture_down();
}

static void
test_flow_mod_errors(void)
{
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	build_flow_mod(&m, OFPFC_ADD, 0, 1, 1, 0, 2);
	m.u.flow_mod.buffer_id = 7;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN, 64, "buffer");
	build_flow_mod(&m, OFPFC_ADD, OFPTT_ALL, 1, 1, 0, 2);
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	expect_error(&fx.c, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_TABLE_ID, 64, "table all");
	/* goto_table must go forward. */
	build_flow_mod(&m, OFPFC_ADD, 5, 1, 1, 0, 0);
	{
		struct sl_ofp_instruction *in = sl_ofp_msg_alloc(&m, sizeof(*in));

		in->type = OFPIT_GOTO_TABLE;
		in->u.goto_table.table_id = 3;
		m.u.flow_mod.instructions = in;
		m.u.flow_mod.n_instructions = 1;
	}
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	expect_error(&fx.c, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID, 64, "goto back");
	/* A meter that does not exist. */
	build_flow_mod(&m, OFPFC_ADD, 0, 1, 1, 0, 0);
	{
		struct sl_ofp_instruction *in = sl_ofp_msg_alloc(&m, sizeof(*in));

		in->type = OFPIT_METER;
		in->u.meter.meter_id = 9;
		m.u.flow_mod.instructions = in;
		m.u.flow_mod.n_instructions = 1;
	}
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	expect_error(&fx.c, OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER, 64, "meter");
	/* Output to a group that does not exist. */
	build_flow_mod(&m, OFPFC_ADD, 0, 1, 1, 0, 2);
	m.u.flow_mod.instructions[0].u.actions.actions[0].type = OFPAT_GROUP;
	m.u.flow_mod.instructions[0].u.actions.actions[0].u.group.group_id = 77;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	expect_error(&fx.c, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP, 64, "group");
	CU_ASSERT_EQUAL(count_flows(OFPTT_ALL, OFPP_ANY), 0);
	/* Table-miss rule (priority 0, empty match) to the controller. */
	send_fm(OFPFC_ADD, 0, 0, 0, 0, OFPP_CONTROLLER, 0, 0);
	CU_ASSERT_EQUAL(count_flows(0, OFPP_CONTROLLER), 1);
	fixture_down();
}

static void
test_timeouts_flow_removed(void)
{
	struct sl_ofp_msg m;
	struct sl_agent_stats st;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	build_flow_mod(&m, OFPFC_ADD, 0, 10, 1, 0, 2);
	m.u.flow_mod.hard_timeout = 1;
	m.u.flow_mod.flags = OFPFF_SEND_FLOW_REM;
	m.u.flow_mod.cookie = 0xc1;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	build_flow_mod(&m, OFPFC_ADD, 0, 20, 2, 0, 1);
	m.u.flow_mod.idle_timeout = 1;
	ofc_send(&fx.c, &m); /* no SEND_FLOW_REM: silent */
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(count_flows(0, OFPP_ANY), 2);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_FLOW_REMOVED, &m, 3000) == 0);
	CU_ASSERT_EQUAL(m.u.flow_removed.reason, OFPRR_HARD_TIMEOUT);
	CU_ASSERT_EQUAL(m.u.flow_removed.cookie, 0xc1);
	CU_ASSERT_EQUAL(m.u.flow_removed.priority, 10);
	CU_ASSERT_EQUAL(m.u.flow_removed.hard_timeout, 1);
	CU_ASSERT(m.u.flow_removed.duration_sec >= 1);
	CU_ASSERT_EQUAL(m.u.flow_removed.match.n_fields, 1);
	sl_ofp_msg_free(&m);
	ofc_pump(fx.agent, 300);
	CU_ASSERT_EQUAL(count_flows(0, OFPP_ANY), 0);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.rules_expired, 2);
	CU_ASSERT_EQUAL(st.flow_removed_sent, 1);

	/* Delete of a SEND_FLOW_REM rule says OFPRR_DELETE. */
	send_fm(OFPFC_ADD, 0, 10, 1, 0, 2, OFPFF_SEND_FLOW_REM, 0);
	send_fm(OFPFC_DELETE, 0, 0, 0, 0, 0, 0, 0);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_FLOW_REMOVED, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.flow_removed.reason, OFPRR_DELETE);
	sl_ofp_msg_free(&m);
	fixture_down();
}

static void
send_group(uint16_t cmd, uint8_t type, uint32_t id, uint32_t out_port)
{
	struct sl_ofp_msg m;
	struct sl_ofp_bucket *b;
	struct sl_ofp_action *a;

	sl_ofp_msg_init(&m, OFPT_GROUP_MOD, 0);
	m.u.group_mod.command = cmd;
	m.u.group_mod.type = type;
	m.u.group_mod.group_id = id;
	if (out_port) {
		b = sl_ofp_msg_alloc(&m, sizeof(*b));
		a = sl_ofp_msg_alloc(&m, sizeof(*a));
		a->type = OFPAT_OUTPUT;
		a->u.output.port = out_port;
		b->weight = type == OFPGT_SELECT ? 1 : 0;
		b->watch_port = OFPP_ANY;
		b->watch_group = OFPG_ANY;
		b->actions = a;
		b->n_actions = 1;
		m.u.group_mod.buckets = b;
		m.u.group_mod.n_buckets = 1;
	}
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
}

static void
test_groups(void)
{
	struct sl_ofp_msg m;
	uint32_t n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	send_group(OFPGC_ADD, OFPGT_ALL, 1, 2);
	send_group(OFPGC_ADD, OFPGT_INDIRECT, 2, 3);
	send_group(OFPGC_ADD, OFPGT_ALL, 1, 2);
	expect_error(&fx.c, OFPET_GROUP_MOD_FAILED, OFPGMFC_GROUP_EXISTS, 48, "exists");
	send_group(OFPGC_MODIFY, OFPGT_ALL, 5, 2);
	expect_error(&fx.c, OFPET_GROUP_MOD_FAILED, OFPGMFC_UNKNOWN_GROUP, 48, "unknown");
	build_mp_req(&m, OFPMP_GROUP_DESC);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.group_desc.n, 2);
	CU_ASSERT_EQUAL(m.u.multipart.body.group_desc.items[0].group_id, 1);
	CU_ASSERT_EQUAL(m.u.multipart.body.group_desc.items[1].type, OFPGT_INDIRECT);
	CU_ASSERT_EQUAL(m.u.multipart.body.group_desc.items[1].buckets[0].actions[0].u.output.port, 3);
	sl_ofp_msg_free(&m);
	/* A rule using group 2: ref_count 1; deleting the group deletes the rule. */
	build_flow_mod(&m, OFPFC_ADD, 0, 1, 1, 0, 2);
	m.u.flow_mod.instructions[0].u.actions.actions[0].type = OFPAT_GROUP;
	m.u.flow_mod.instructions[0].u.actions.actions[0].u.group.group_id = 2;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	build_mp_req(&m, OFPMP_GROUP);
	m.u.multipart.body.group_request.group_id = 2;
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.group_stats.n, 1);
	CU_ASSERT_EQUAL(m.u.multipart.body.group_stats.items[0].ref_count, 1);
	CU_ASSERT_EQUAL(m.u.multipart.body.group_stats.items[0].n_bucket_stats, 1);
	sl_ofp_msg_free(&m);
	send_group(OFPGC_DELETE, OFPGT_ALL, 2, 0);
	CU_ASSERT_EQUAL(count_flows(OFPTT_ALL, OFPP_ANY), 0);
	build_mp_req(&m, OFPMP_GROUP);
	ofc_send(&fx.c, &m);
	CU_ASSERT_EQUAL(recv_mp_reply(&fx.c, OFPMP_GROUP, &n, 2000), 1);
	CU_ASSERT_EQUAL(n, 1);
	build_mp_req(&m, OFPMP_GROUP_FEATURES);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.multipart.body.group_features.types, 0xf);
	sl_ofp_msg_free(&m);
	send_group(OFPGC_DELETE, OFPGT_ALL, OFPG_ALL, 0);
	build_mp_req(&m, OFPMP_GROUP_DESC);
	ofc_send(&fx.c, &m);
	CU_ASSERT_EQUAL(recv_mp_reply(&fx.c, OFPMP_GROUP_DESC, &n, 2000), 1);
	CU_ASSERT_EQUAL(n, 0);
	fixture_down();
}

static void
send_meter(uint16_t cmd, uint32_t id, uint32_t rate)
{
	struct sl_ofp_msg m;
	struct sl_ofp_meter_band *b;

	sl_ofp_msg_init(&m, OFPT_METER_MOD, 0);
	m.u.meter_mod.command = cmd;
	m.u.meter_mod.flags = OFPMF_KBPS | OFPMF_STATS;
	m.u.meter_mod.meter_id = id;
	if (rate) {
		b = sl_ofp_msg_alloc(&m, sizeof(*b));
		b->type = OFPMBT_DROP;
		b->rate = rate;
		m.u.meter_mod.bands = b;
		m.u.meter_mod.n_bands = 1;
	}
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
}

static void
test_meters(void)
{
	struct sl_ofp_msg m;
	uint32_t n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	send_meter(OFPMC_ADD, 1, 1000);
	send_meter(OFPMC_ADD, 1, 1000);
	expect_error(&fx.c, OFPET_METER_MOD_FAILED, OFPMMFC_METER_EXISTS, 32, "exists");
	send_meter(OFPMC_MODIFY, 4, 1000);
	expect_error(&fx.c, OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER, 32, "unknown");
	build_flow_mod(&m, OFPFC_ADD, 0, 1, 1, 0, 0);
	{
		struct sl_ofp_instruction *in = sl_ofp_msg_alloc(&m, sizeof(*in));

		in->type = OFPIT_METER;
		in->u.meter.meter_id = 1;
		m.u.flow_mod.instructions = in;
		m.u.flow_mod.n_instructions = 1;
	}
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	build_mp_req(&m, OFPMP_METER_CONFIG);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.meter_config.n, 1);
	CU_ASSERT_EQUAL(m.u.multipart.body.meter_config.items[0].bands[0].rate, 1000);
	sl_ofp_msg_free(&m);
	build_mp_req(&m, OFPMP_METER);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.meter_stats.n, 1);
	CU_ASSERT_EQUAL(m.u.multipart.body.meter_stats.items[0].flow_count, 1);
	sl_ofp_msg_free(&m);
	build_mp_req(&m, OFPMP_METER_FEATURES);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.meter_features.n, 1);
	CU_ASSERT(m.u.multipart.body.meter_features.items[0].max_meter > 0);
	sl_ofp_msg_free(&m);
	/* Deleting the meter takes its rule along. */
	send_meter(OFPMC_DELETE, 1, 0);
	CU_ASSERT_EQUAL(count_flows(OFPTT_ALL, OFPP_ANY), 0);
	build_mp_req(&m, OFPMP_METER);
	ofc_send(&fx.c, &m);
	CU_ASSERT_EQUAL(recv_mp_reply(&fx.c, OFPMP_METER, &n, 2000), 1);
	CU_ASSERT_EQUAL(n, 0);
	fixture_down();
}

static void
send_packet_out(uint32_t buffer_id, uint32_t in_port, uint32_t out)
{
	static const uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1,
					   0x08, 0x06 };
	struct sl_ofp_msg m;
	struct sl_ofp_action *a;

	sl_ofp_msg_init(&m, OFPT_PACKET_OUT, 0);
	a = sl_ofp_msg_alloc(&m, sizeof(*a));
	a->type = OFPAT_OUTPUT;
	a->u.output.port = out;
	m.u.packet_out.buffer_id = buffer_id;
	m.u.packet_out.in_port = in_port;
	m.u.packet_out.actions = a;
	m.u.packet_out.n_actions = 1;
	m.u.packet_out.data = frame;
	m.u.packet_out.data_len = sizeof(frame);
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
}

static void
test_packet_out(void)
{
	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	send_packet_out(OFP_NO_BUFFER, OFPP_CONTROLLER, 2);
	send_packet_out(OFP_NO_BUFFER, 1, OFPP_TABLE);
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	CU_ASSERT_EQUAL_FATAL(fx.dp.n_pouts, 2);
	CU_ASSERT_EQUAL(fx.dp.pouts[0].in_port, OFPP_CONTROLLER);
	CU_ASSERT_EQUAL(fx.dp.pouts[0].first_type, OFPAT_OUTPUT);
	CU_ASSERT_EQUAL(fx.dp.pouts[0].first_port, 2);
	CU_ASSERT_EQUAL(fx.dp.pouts[0].len, 60);
	CU_ASSERT_EQUAL(fx.dp.pouts[1].first_port, OFPP_TABLE);
	CU_ASSERT_EQUAL(fx.dp.pouts[0].first_dp_port, 2);
	CU_ASSERT_EQUAL(fx.dp.pouts[1].n_dp_actions, 0); /* empty table: drop */

	/* Output to TABLE runs the rules: counters and the controller loop. */
	send_fm(OFPFC_ADD, 0, 10, 1, 0, 3, 0, 0);
	send_fm(OFPFC_ADD, 0, 0, 0, 0, OFPP_CONTROLLER, 0, 0x77);
	send_packet_out(OFP_NO_BUFFER, 1, OFPP_TABLE);
	send_packet_out(OFP_NO_BUFFER, 2, OFPP_TABLE);
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	CU_ASSERT_EQUAL_FATAL(fx.dp.n_pouts, 4);
	CU_ASSERT_EQUAL(fx.dp.pouts[2].first_dp_port, 3);
	{
		struct sl_ofp_msg m;

		CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PACKET_IN, &m, 2000) == 0);
		CU_ASSERT_EQUAL(m.u.packet_in.reason, OFPR_NO_MATCH);
		CU_ASSERT_EQUAL(m.u.packet_in.cookie, 0x77);
		CU_ASSERT_EQUAL(sl_ofp_oxm_value_u64(&m.u.packet_in.match.fields[0]), 2);
		CU_ASSERT_EQUAL(m.u.packet_in.total_len, 60);
		sl_ofp_msg_free(&m);
		build_flow_stats_req(&m, OFPMP_AGGREGATE, OFPTT_ALL);
		ofc_send(&fx.c, &m);
		CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
		CU_ASSERT_EQUAL(m.u.multipart.body.aggregate.packet_count, 2);
		CU_ASSERT_EQUAL(m.u.multipart.body.aggregate.byte_count, 120);
		sl_ofp_msg_free(&m);
	}
	fx.dp.n_pouts = 2;
	send_packet_out(5, OFPP_CONTROLLER, 2);
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN, 64, "pout buffer");
	send_packet_out(OFP_NO_BUFFER, 33, 2);
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT, 64, "pout in_port");
	CU_ASSERT_EQUAL(fx.dp.n_pouts, 2);
	fixture_down();
}

static void
test_tables_and_split(void)
{
	struct sl_ofp_msg m;
	uint32_t n;
	int parts;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	build_mp_req(&m, OFPMP_TABLE);
	ofc_send(&fx.c, &m);
	CU_ASSERT_EQUAL(recv_mp_reply(&fx.c, OFPMP_TABLE, &n, 2000), 1);
	CU_ASSERT_EQUAL(n, 254);
	build_mp_req(&m, OFPMP_TABLE_FEATURES);
	ofc_send(&fx.c, &m);
	parts = recv_mp_reply(&fx.c, OFPMP_TABLE_FEATURES, &n, 5000);
	CU_ASSERT(parts > 1);
	CU_ASSERT_EQUAL(n, 254);
	sl_ofp_msg_init(&m, OFPT_TABLE_MOD, 0);
	m.u.table_mod.table_id = 254;
	ofc_send(&fx.c, &m);
	expect_error(&fx.c, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_TABLE, 16, "table-mod");
	/* 1500 rules do not fit one 64 KiB reply. */
	for (unsigned int i = 0; i < 1500; i++)
		send_fm(OFPFC_ADD, 1, (uint16_t)(1000 + i), 0, 0, 2, 0, i);
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	build_flow_stats_req(&m, OFPMP_FLOW, OFPTT_ALL);
	ofc_send(&fx.c, &m);
	parts = recv_mp_reply(&fx.c, OFPMP_FLOW, &n, 5000);
	CU_ASSERT(parts > 1);
	CU_ASSERT_EQUAL(n, 1500);
	fixture_down();
}

/* First rule of table 0 (tests with one rule). */
static struct sl_rule *
rule0(void)
{
	return (struct sl_rule *)sl_cls_first(sl_pipeline_table_cls(fx.pl, 0));
}

static uint64_t
packets0(void)
{
	struct sl_ofp_msg m;
	uint64_t n = 0xdead;

	if (dump_table0(&m) == 0 && m.u.multipart.body.flow_stats.n == 1)
		n = m.u.multipart.body.flow_stats.items[0].packet_count;
	sl_ofp_msg_free(&m);
	return n;
}

/* Counter flags: modify keeps counters unless RESET_COUNTS; NO_PKT_COUNTS
 * reports "not available" (all ones). */
static void
test_counter_flags(void)
{
	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	send_fm(OFPFC_ADD, 0, 10, 1, 0, 2, 0, 0);
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	sl_rule_credit(rule0(), 5, 500, 0);
	send_fm(OFPFC_MODIFY, 0, 10, 1, 0, 3, 0, 0);
	CU_ASSERT_EQUAL(packets0(), 5);
	send_fm(OFPFC_MODIFY_STRICT, 0, 10, 1, 0, 2, OFPFF_RESET_COUNTS, 0);
	CU_ASSERT_EQUAL(packets0(), 0);
	send_fm(OFPFC_DELETE, OFPTT_ALL, 0, 0, 0, 0, 0, 0);
	send_fm(OFPFC_ADD, 0, 10, 1, 0, 2, OFPFF_NO_PKT_COUNTS, 0);
	CU_ASSERT_EQUAL(packets0(), UINT64_MAX);
	fixture_down();
}

/* Cookie-masked modify touches only the rules whose cookie matches. */
static void
test_cookie_mask(void)
{
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	send_fm(OFPFC_ADD, 0, 10, 1, 0, 2, 0, 0x1100);
	send_fm(OFPFC_ADD, 0, 11, 2, 0, 2, 0, 0x2200);
	build_flow_mod(&m, OFPFC_MODIFY, 0, 0, 0, 0, 3);
	m.u.flow_mod.cookie = 0x1000;
	m.u.flow_mod.cookie_mask = 0xf000;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(count_flows(0, 3), 1);
	CU_ASSERT_EQUAL(count_flows(0, 2), 1);
	/* Flow stats filter on cookie too. */
	build_flow_stats_req(&m, OFPMP_FLOW, OFPTT_ALL);
	m.u.multipart.body.flow_request.cookie = 0x2200;
	m.u.multipart.body.flow_request.cookie_mask = UINT64_MAX;
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.flow_stats.n, 1);
	CU_ASSERT_EQUAL(m.u.multipart.body.flow_stats.items[0].priority, 11);
	sl_ofp_msg_free(&m);
	fixture_down();
}

/* Set-field and write-metadata survive the round trip to flow stats. */
static void
test_instructions_round_trip(void)
{
	struct sl_ofp_msg m;
	struct sl_ofp_instruction *in;
	struct sl_ofp_action *ac;
	const struct sl_ofp_flow_stats *fs;
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	build_flow_mod(&m, OFPFC_ADD, 2, 9, 1, 0, 0);
	in = sl_ofp_msg_alloc(&m, 3 * sizeof(*in));
	ac = sl_ofp_msg_alloc(&m, 2 * sizeof(*ac));
	ac[0].type = OFPAT_SET_FIELD;
	sl_ofp_oxm_set_bytes(&ac[0].u.set_field, 3 /* eth_dst */, mac, NULL);
	ac[1].type = OFPAT_OUTPUT;
	ac[1].u.output.port = 3;
	in[0].type = OFPIT_APPLY_ACTIONS;
	in[0].u.actions.actions = ac;
	in[0].u.actions.n_actions = 2;
	in[1].type = OFPIT_WRITE_METADATA;
	in[1].u.write_metadata.metadata = 0xab;
	in[1].u.write_metadata.metadata_mask = 0xff;
	in[2].type = OFPIT_GOTO_TABLE;
	in[2].u.goto_table.table_id = 7;
	m.u.flow_mod.instructions = in;
	m.u.flow_mod.n_instructions = 3;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	build_flow_stats_req(&m, OFPMP_FLOW, 2);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.flow_stats.n, 1);
	fs = &m.u.multipart.body.flow_stats.items[0];
	CU_ASSERT_EQUAL_FATAL(fs->n_instructions, 3);
	CU_ASSERT_EQUAL(fs->instructions[0].type, OFPIT_APPLY_ACTIONS);
	CU_ASSERT_EQUAL_FATAL(fs->instructions[0].u.actions.n_actions, 2);
	CU_ASSERT_EQUAL(fs->instructions[0].u.actions.actions[0].type, OFPAT_SET_FIELD);
	CU_ASSERT(memcmp(fs->instructions[0].u.actions.actions[0].u.set_field.value, mac, 6) == 0);
	CU_ASSERT_EQUAL(fs->instructions[1].type, OFPIT_WRITE_METADATA);
	CU_ASSERT_EQUAL(fs->instructions[1].u.write_metadata.metadata, 0xab);
	CU_ASSERT_EQUAL(fs->instructions[2].u.goto_table.table_id, 7);
	sl_ofp_msg_free(&m);
	fixture_down();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "flow_add_dump", test_flow_add_dump },
		{ "flow_modify_delete", test_flow_modify_delete },
		{ "flow_mod_errors", test_flow_mod_errors },
		{ "timeouts_flow_removed", test_timeouts_flow_removed },
		{ "groups", test_groups },
		{ "meters", test_meters },
		{ "packet_out", test_packet_out },
		{ "tables_and_split", test_tables_and_split },
		{ "counter_flags", test_counter_flags },
		{ "cookie_mask", test_cookie_mask },
		{ "instructions_round_trip", test_instructions_round_trip },
	};

	return cunit_run_suite("agent_flows", tests, CUNIT_N_TESTS(tests));
}
