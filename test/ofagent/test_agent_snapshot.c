/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The agent's state through a snapshot (ofagent/sl_agent_snapshot.h):
 * meters, groups (one naming a group with a higher id, one watching
 * another), rules with cookies, timeouts, flags and counters, and the
 * generation id, and two tables' OF1.4 vacancy config, made by a controller
 * over OpenFlow (the table config set as table-mods leave it), saved, restored into
 * a fresh agent and pipeline, and saved again: the two snapshots hold the
 * same OpenFlow messages and counters, ages moved on by the time stopped,
 * and the restored agent answers flow stats with them. A snapshot whose
 * last rule cannot be made leaves the tables empty (all or nothing).
 *
 * `test_agent_snapshot bench N` times saving and restoring N rules (wall
 * and CPU time: the CPU time is what a loaded machine does not inflate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include <CUnit/Basic.h>

#include "agent_fixture.h"
#include "agent_private.h"
#include "agent_table14.h"
#include "cunit_main.h"
#include "sl_agent_snapshot.h"
#include "sl_meter.h"
#include "sl_snap_records.h"

#define STOPPED_NS 2500000000ull

static struct sl_meter_table *meters;

static void
own_meters(struct sl_agent_config *cfg)
{
	cfg->service_roles = true;
	cfg->meters = meters;
}

static void
up(void)
{
	meters = sl_meter_table_create(1024, NULL, NULL);
	CU_ASSERT_FATAL(meters != NULL);
	CU_ASSERT_FATAL(fixture_up(own_meters) == 0);
}

static void
down(void)
{
	fixture_down();
	sl_meter_table_destroy(meters);
}

static void
send_meter(uint32_t id, uint32_t rate)
{
	struct sl_ofp_msg m;
	struct sl_ofp_meter_band *b;

	sl_ofp_msg_init(&m, OFPT_METER_MOD, 0);
	m.u.meter_mod.command = OFPMC_ADD;
	m.u.meter_mod.flags = OFPMF_PKTPS | OFPMF_STATS | OFPMF_BURST;
	m.u.meter_mod.meter_id = id;
	b = sl_ofp_msg_alloc(&m, 2 * sizeof(*b));
	b[0].type = OFPMBT_DROP;
	b[0].rate = rate;
	b[0].burst_size = 10;
	b[1].type = OFPMBT_DSCP_REMARK;
	b[1].rate = rate / 2;
	b[1].burst_size = 5;
	b[1].prec_level = 1;
	m.u.meter_mod.bands = b;
	m.u.meter_mod.n_bands = 2;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
}

/* A group whose one bucket outputs to @p port, or goes to group @p to
 * (when not 0), watching @p watch_group. */
static void
send_group(uint8_t type, uint32_t id, uint32_t port, uint32_t to, uint32_t watch_group)
{
	struct sl_ofp_msg m;
	struct sl_ofp_bucket *b;
	struct sl_ofp_action *a;

	sl_ofp_msg_init(&m, OFPT_GROUP_MOD, 0);
	m.u.group_mod.command = OFPGC_ADD;
	m.u.group_mod.type = type;
	m.u.group_mod.group_id = id;
	b = sl_ofp_msg_alloc(&m, sizeof(*b));
	a = sl_ofp_msg_alloc(&m, sizeof(*a));
	a->type = to ? OFPAT_GROUP : OFPAT_OUTPUT;
	if (to)
		a->u.group.group_id = to;
	else
		a->u.output.port = port;
	b->watch_port = type == OFPGT_FF ? port : OFPP_ANY;
	b->watch_group = watch_group;
	b->actions = a;
	b->n_actions = 1;
	m.u.group_mod.buckets = b;
	m.u.group_mod.n_buckets = 1;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
}

/* Rule in @p table, priority @p prio, in_port @p in_port; output to
 * @p out, or group @p group, with meter @p meter when not 0. */
static void
rule_msg(struct sl_ofp_msg *m, uint8_t table, uint16_t prio, uint32_t in_port, uint32_t out,
	 uint32_t group, uint32_t meter, uint64_t cookie, uint16_t idle, uint16_t hard,
	 uint16_t flags)
{
	build_flow_mod(m, OFPFC_ADD, table, prio, in_port, 0, out ? out : 1);
	if (group) {
		m->u.flow_mod.instructions[0].u.actions.actions[0].type = OFPAT_GROUP;
		m->u.flow_mod.instructions[0].u.actions.actions[0].u.group.group_id = group;
	}
	if (meter) {
		struct sl_ofp_instruction *in = sl_ofp_msg_alloc(m, 2 * sizeof(*in));

		in[0].type = OFPIT_METER;
		in[0].u.meter.meter_id = meter;
		in[1] = m->u.flow_mod.instructions[0];
		m->u.flow_mod.instructions = in;
		m->u.flow_mod.n_instructions = 2;
	}
	m->u.flow_mod.cookie = cookie;
	m->u.flow_mod.idle_timeout = idle;
	m->u.flow_mod.hard_timeout = hard;
	m->u.flow_mod.flags = flags;
}

static void
send_rule(uint8_t table, uint16_t prio, uint32_t in_port, uint32_t out, uint32_t group,
	  uint32_t meter, uint64_t cookie, uint16_t idle, uint16_t hard, uint16_t flags)
{
	struct sl_ofp_msg m;

	rule_msg(&m, table, prio, in_port, out, group, meter, cookie, idle, hard, flags);
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
}

/* Counters for everything, as traffic would have left them. */
static void
count_traffic(void)
{
	struct sl_meter_verdict v[3];
	uint32_t lens[3] = { 60, 1500, 9000 };

	for (unsigned int t = 0; t < 2; t++) {
		const struct sl_classifier *cls = sl_pipeline_table_cls(fx.pl, (uint8_t)t);

		for (struct sl_cls_rule *cr = sl_cls_first(cls); cr; cr = cr->all_next)
			sl_rule_credit((struct sl_rule *)cr, 1000 + cr->priority,
				       64000 + cr->priority, 1);
	}
	for (uint32_t g = 1; g <= 3; g++) {
		struct sl_group *grp = (struct sl_group *)sl_pipeline_group(fx.pl, g);

		__atomic_fetch_add(&grp->stats->n_packets, 10 * g, __ATOMIC_RELAXED);
		__atomic_fetch_add(&grp->stats->n_bytes, 1000 * g, __ATOMIC_RELAXED);
		__atomic_fetch_add(&grp->buckets[0].n_packets, 10 * g, __ATOMIC_RELAXED);
		__atomic_fetch_add(&grp->buckets[0].n_bytes, 1000 * g, __ATOMIC_RELAXED);
	}
	sl_meter_apply_burst(sl_meter_table_lookup(meters, 1), 1, lens, 3, v);
}

/* The state a controller made: what test_round_trip saves. */
static void
make_state(void)
{
	send_meter(1, 1000);
	send_meter(7, 64);
	send_group(OFPGT_ALL, 2, 2, 0, OFPG_ANY);
	send_group(OFPGT_INDIRECT, 1, 0, 2, OFPG_ANY); /* names a higher id */
	send_group(OFPGT_FF, 3, 3, 0, 1);              /* watches group 1 */
	send_rule(0, 100, 1, 2, 0, 1, 0xc0ffee0000000001ull, 300, 0,
		  OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP);
	send_rule(0, 50, 2, 0, 1, 0, 0xc0ffee0000000002ull, 0, 600, OFPFF_NO_BYT_COUNTS);
	send_rule(0, 0, 0, 3, 0, 7, 3, 0, 0, 0); /* table-miss */
	send_rule(1, 10, 3, 0, 3, 0, 4, 60, 120, OFPFF_RESET_COUNTS);
	send_role(&fx.c, OFPCR_ROLE_MASTER, 0x1234567890ull);
	CU_ASSERT_EQUAL(role_reply(&fx.c), OFPCR_ROLE_MASTER);
	CU_ASSERT_FATAL(ofc_barrier(&fx.c) == 0);
	CU_ASSERT_EQUAL(sl_pipeline_n_groups(fx.pl), 3);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 3);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 1), 1);
	count_traffic();
}

static void
save(struct sl_snap_writer *w)
{
	char err[256];

	CU_ASSERT_FATAL(sl_snap_writer_init(w, 0x1234, 1, "test") == 0);
	if (sl_agent_snapshot_save(fx.agent, w, err, sizeof(err)) < 0)
		fprintf(stderr, "save: %s\n", err);
	CU_ASSERT_FATAL(sl_snap_finish(w) == 0);
}

/* The record of @p r with the same type and OpenFlow message as @p x
 * (rules of a table may come in another order). */
static bool
find_same(const struct sl_snap_reader *r, const struct sl_snap_rec *x,
	  const struct sl_snap_obj *ox, struct sl_snap_obj *out)
{
	struct sl_snap_reader it = *r;
	struct sl_snap_rec y;
	char err[256];

	while (sl_snap_next(&it, &y)) {
		if (y.type != x->type || sl_snap_obj_decode(&y, out, err, sizeof(err)) < 0)
			continue;
		if (out->msg_len == ox->msg_len && memcmp(out->msg, ox->msg, ox->msg_len) == 0)
			return true;
	}
	return false;
}

/* Same records, same OpenFlow messages and counters; ages moved on by at
 * least @p stopped_ns (idle times too). */
static void
compare(const struct sl_snap_writer *a, const struct sl_snap_writer *b, uint64_t stopped_ns)
{
	struct sl_snap_reader ra, rb;
	struct sl_snap_rec xa;
	unsigned int n = 0;
	char err[256];

	CU_ASSERT_FATAL(sl_snap_open(a->buf, a->len, &ra, err, sizeof(err)) == 0);
	CU_ASSERT_FATAL(sl_snap_open(b->buf, b->len, &rb, err, sizeof(err)) == 0);
	CU_ASSERT_EQUAL(ra.info.n_records, rb.info.n_records);
	while (sl_snap_next(&ra, &xa)) {
		struct sl_snap_obj oa, ob;

		n++;
		if (xa.type == SL_SNAP_ROLE || xa.type == SL_SNAP_TABLE) { /* the same bytes */
			struct sl_snap_reader it = rb;
			struct sl_snap_rec xb;
			bool same = false;

			while (!same && sl_snap_next(&it, &xb))
				same = xb.type == xa.type && xa.len == xb.len &&
				       memcmp(xa.payload, xb.payload, xa.len) == 0;
			CU_ASSERT(same);
			continue;
		}
		CU_ASSERT_FATAL(sl_snap_obj_decode(&xa, &oa, err, sizeof(err)) == 0);
		CU_ASSERT_FATAL(find_same(&rb, &xa, &oa, &ob));
		CU_ASSERT_EQUAL(oa.packets, ob.packets);
		CU_ASSERT_EQUAL(oa.bytes, ob.bytes);
		CU_ASSERT(oa.packets != 0 || xa.type == SL_SNAP_METER);
		CU_ASSERT(oa.n_counts == ob.n_counts &&
			  memcmp(oa.counts_raw, ob.counts_raw, 16 * (size_t)oa.n_counts) == 0);
		CU_ASSERT(ob.age_ns >= oa.age_ns + stopped_ns);
		CU_ASSERT(ob.age_ns < oa.age_ns + stopped_ns + 60000000000ull);
		if (xa.type == SL_SNAP_RULE)
			CU_ASSERT(ob.idle_ns >= oa.idle_ns + stopped_ns);
	}
	CU_ASSERT_EQUAL(n, 2 + 3 + 4 + 1 + 2);
}

/* Flow stats of the restored agent, as a controller asks for them. */
static void
check_flow_stats(void)
{
	struct sl_ofp_msg m;
	bool seen = false;

	build_flow_stats_req(&m, OFPMP_FLOW, 0);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.multipart.body.flow_stats.n, 3);
	for (uint32_t i = 0; i < m.u.multipart.body.flow_stats.n; i++) {
		const struct sl_ofp_flow_stats *f = &m.u.multipart.body.flow_stats.items[i];

		if (f->cookie != 0xc0ffee0000000001ull)
			continue;
		seen = true;
		CU_ASSERT_EQUAL(f->priority, 100);
		CU_ASSERT_EQUAL(f->idle_timeout, 300);
		CU_ASSERT_EQUAL(f->flags, OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP);
		CU_ASSERT_EQUAL(f->packet_count, 1100);
		CU_ASSERT_EQUAL(f->byte_count, 64100);
		CU_ASSERT(f->duration_sec >= 2);
	}
	CU_ASSERT(seen);
	sl_ofp_msg_free(&m);
}

static void
test_round_trip(void)
{
	struct sl_agent_restore_stats st;
	struct sl_snap_writer w1, w2;
	struct sl_snap_reader r;
	char err[256];

	up();
	make_state();
	/* two tables' OF1.4 config, as table-mods leave it (agent_table14.c):
	 * events on with DOWN armed, and thresholds with events off */
	fx.agent->t14 = calloc(1, sizeof(*fx.agent->t14));
	CU_ASSERT_FATAL(fx.agent->t14 != NULL);
	fx.agent->t14->armed[0] = SL_OFPTR_VACANCY_DOWN;
	fx.agent->t14->down[0] = 10;
	fx.agent->t14->up[0] = 90;
	fx.agent->t14->n_on = 1;
	fx.agent->t14->up[2] = 50;
	save(&w1);
	down();

	up();
	CU_ASSERT_FATAL(sl_snap_open(w1.buf, w1.len, &r, err, sizeof(err)) == 0);
	if (sl_agent_snapshot_restore(fx.agent, &r, STOPPED_NS, &st, err, sizeof(err)) < 0)
		fprintf(stderr, "restore: %s\n", err);
	CU_ASSERT_EQUAL(st.meters, 2);
	CU_ASSERT_EQUAL(st.groups, 3);
	CU_ASSERT_EQUAL(st.rules, 4);
	CU_ASSERT_EQUAL(st.role, 1);
	CU_ASSERT_EQUAL(st.tables, 2);
	CU_ASSERT_FATAL(fx.agent->t14 != NULL);
	CU_ASSERT_EQUAL(fx.agent->t14->armed[0], SL_OFPTR_VACANCY_DOWN);
	CU_ASSERT_EQUAL(fx.agent->t14->down[0], 10);
	CU_ASSERT_EQUAL(fx.agent->t14->up[0], 90);
	CU_ASSERT_EQUAL(fx.agent->t14->n_on, 1);
	CU_ASSERT(fx.agent->t14->armed[2] == 0 && fx.agent->t14->up[2] == 50);
	CU_ASSERT(fx.dp.n_tables_changed > 0);
	/* the role's generation: a stale one is refused as before the restart */
	send_role(&fx.c, OFPCR_ROLE_MASTER, 0x1234567880ull);
	expect_error(&fx.c, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_STALE, 24, "stale generation");
	check_flow_stats();
	save(&w2);
	compare(&w1, &w2, STOPPED_NS);
	/* a second restore into tables that are no longer empty */
	CU_ASSERT(sl_agent_snapshot_restore(fx.agent, &r, 0, NULL, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "not empty") != NULL);
	down();
	sl_snap_writer_free(&w1);
	sl_snap_writer_free(&w2);
}

/* The snapshot of test_round_trip, plus a last rule naming meter 99,
 * which it does not hold: refused with the record and the OpenFlow error,
 * and everything restored before it is gone again. */
static void
test_all_or_nothing(void)
{
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	struct sl_ofp_buf b = { 0 };
	struct sl_ofp_msg m;
	struct sl_snap_obj o = { .packets = 1 };
	uint32_t n = 0;
	char err[256];

	up();
	make_state();
	CU_ASSERT_FATAL(sl_snap_writer_init(&w, 0x1234, 1, "test") == 0);
	CU_ASSERT_FATAL(sl_agent_snapshot_save(fx.agent, &w, err, sizeof(err)) == 0);
	down();
	rule_msg(&m, 2, 1, 1, 2, 0, 99, 5, 0, 0, 0);
	CU_ASSERT_FATAL(sl_ofp_encode(&m, &b) == 0);
	sl_ofp_msg_free(&m);
	o.msg = b.data;
	o.msg_len = (uint32_t)b.len;
	CU_ASSERT_FATAL(sl_snap_add_obj(&w, SL_SNAP_RULE, &o) == 0);
	CU_ASSERT_FATAL(sl_snap_finish(&w) == 0);
	sl_ofp_buf_free(&b);

	up();
	CU_ASSERT_FATAL(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) == 0);
	CU_ASSERT(sl_agent_snapshot_restore(fx.agent, &r, 0, NULL, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "record 10 (rule): flow-mod: OFPET_METER_MOD_FAILED/"
			      "OFPMMFC_UNKNOWN_METER") != NULL);
	if (strstr(err, "record 10") == NULL)
		fprintf(stderr, "got: %s\n", err);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 0);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 1), 0);
	CU_ASSERT_EQUAL(sl_pipeline_n_groups(fx.pl), 0);
	CU_ASSERT_EQUAL(sl_meter_table_count(meters), 0);
	build_mp_req(&m, OFPMP_GROUP_DESC);
	ofc_send(&fx.c, &m);
	CU_ASSERT_EQUAL(recv_mp_reply(&fx.c, OFPMP_GROUP_DESC, &n, 2000), 1);
	CU_ASSERT_EQUAL(n, 0);
	/* and the generation id is not the snapshot's */
	send_role(&fx.c, OFPCR_ROLE_MASTER, 1);
	CU_ASSERT_EQUAL(role_reply(&fx.c), OFPCR_ROLE_MASTER);
	down();
	sl_snap_writer_free(&w);
}

static double
secs(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* `bench N`: N rules (table 0, exact in_port + eth_type + ipv4_dst, one
 * output), saved and restored; prints the times (no assertion). */
static unsigned int bench_n;

static void
bench(void)
{
	unsigned int n = bench_n;
	struct sl_agent_restore_stats st;
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	struct timespec t0, t1, t2, t3, c0, c1, c2, c3;
	char err[256];

	up();
	for (unsigned int i = 0; i < n; i++) {
		struct sl_flow_mod fm = { .command = OFPFC_ADD, .priority = 100, .cookie = i,
					  .out_port = OFPP_ANY, .out_group = OFPG_ANY,
					  .idle_timeout = 300 };
		struct sl_action out = { .type = OFPAT_OUTPUT, .output = { .port = 2 } };
		uint32_t in_port = htonl(1 + i % 3), dst = htonl(0x0a000000u + i);
		uint16_t eth_type = htons(0x0800);

		sl_match_init_catchall(&fm.match);
		sl_match_set_oxm(&fm.match, OFPXMT_OFB_IN_PORT, &in_port, NULL, 4);
		sl_match_set_oxm(&fm.match, OFPXMT_OFB_ETH_TYPE, &eth_type, NULL, 2);
		sl_match_set_oxm(&fm.match, OFPXMT_OFB_IPV4_DST, &dst, NULL, 4);
		fm.ins.apply = &out;
		fm.ins.n_apply = 1;
		CU_ASSERT_FATAL(sl_pipeline_flow_mod(fx.pl, &fm, NULL) == 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	save(&w);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	down();
	up();
	clock_gettime(CLOCK_MONOTONIC, &t2);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c2);
	CU_ASSERT_FATAL(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) == 0);
	CU_ASSERT_FATAL(sl_agent_snapshot_restore(fx.agent, &r, 0, &st, err, sizeof(err)) == 0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c3);
	clock_gettime(CLOCK_MONOTONIC, &t3);
	printf("bench: %u rules, %zu bytes: saved in %.3f s (CPU %.3f s), checked and "
	       "restored in %.3f s (CPU %.3f s)\n", n, w.len, secs(&t0, &t1), secs(&c0, &c1),
	       secs(&t2, &t3), secs(&c2, &c3));
	CU_ASSERT_EQUAL(st.rules, n);
	down();
	sl_snap_writer_free(&w);
}

int
main(int argc, char **argv)
{
	static const struct cunit_test tests[] = {
		{ "round trip", test_round_trip },
		{ "all or nothing", test_all_or_nothing },
	};

	static const struct cunit_test bench_test[] = { { "bench", bench } };

	if (argc == 3 && strcmp(argv[1], "bench") == 0) {
		bench_n = (unsigned int)strtoul(argv[2], NULL, 0);
		return cunit_run_suite("agent_snapshot", bench_test, 1);
	}
	return cunit_run_suite("agent_snapshot", tests, CUNIT_N_TESTS(tests));
}
