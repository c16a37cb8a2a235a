/* SPDX-License-Identifier: BSD-3-Clause */
/* Pipeline transactions (sl_pipeline_txn.h): a commit shows all of its
 * flow-mods under one version bump, an abort leaves exactly the rules,
 * instructions, counters and version that were there, and translations
 * running on other threads never see half a transaction. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include <rte_rcu_qsbr.h>

#include "cunit_main.h"
#include "pipeline_test_util.h"
#include "sl_pipeline_txn.h"

#define N_FLOWS 64u
#define OUT_BASE 1000u /* above the flows' in_ports (output to in_port drops) */

static unsigned int n_removed; /* on_removed calls */

static void
count_removed(void *ctx, const struct sl_rule *r, uint8_t reason)
{
	(void)ctx;
	(void)r;
	(void)reason;
	n_removed++;
}

static void
txn_setup(uint32_t max_per_table)
{
	struct sl_pipeline_config cfg = { .max_readers = 4, .max_rules_per_table = max_per_table,
					  .on_removed = count_removed };

	n_removed = 0;
	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
}

static void
m64(struct sl_match *m, unsigned int f, uint64_t v)
{
	uint64_t be = rte_cpu_to_be_64(v);

	CU_ASSERT_EQUAL(sl_match_set_oxm(m, f, &be, NULL, 8), 0);
}

/* Table 0: in_port=p -> write_metadata(gen), goto 1. */
static int
t0_rule(uint8_t cmd, uint32_t p, uint64_t gen)
{
	struct sl_flow_mod fm = fm_new(cmd, 0, 10);

	m32(&fm.match, OFPXMT_OFB_IN_PORT, p);
	fm.ins.has_write_metadata = true;
	fm.ins.metadata = gen;
	fm.ins.metadata_mask = UINT64_MAX;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	fm.cookie = gen;
	fm.flags = OFPFF_SEND_FLOW_REM;
	return sl_pipeline_flow_mod(pl, &fm, NULL);
}

/* Table 1: metadata=gen, in_port=p -> output:(OUT_BASE + gen % 2). */
static int
t1_rule(uint8_t cmd, uint32_t p, uint64_t gen)
{
	struct sl_flow_mod fm = fm_new(cmd, 1, 10);
	struct sl_action o = out(OUT_BASE + (uint32_t)(gen % 2));

	m32(&fm.match, OFPXMT_OFB_IN_PORT, p);
	m64(&fm.match, OFPXMT_OFB_METADATA, gen);
	fm.ins.apply = &o;
	fm.ins.n_apply = 1;
	fm.cookie = gen;
	return sl_pipeline_flow_mod(pl, &fm, NULL);
}

/* Delete every table-1 rule of generation @p gen (one non-strict delete). */
static int
t1_delete_gen(uint64_t gen)
{
	struct sl_flow_mod fm = fm_new(OFPFC_DELETE, 1, 0);

	m64(&fm.match, OFPXMT_OFB_METADATA, gen);
	return sl_pipeline_flow_mod(pl, &fm, NULL);
}

/* A flow-mod that always fails: goto backwards (BAD_INSTRUCTION). */
static int
failing_mod(void)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 1, 5);

	fm.ins.has_goto = true;
	fm.ins.goto_table = 0;
	return sl_pipeline_flow_mod(pl, &fm, NULL);
}

static void
install_gen(uint64_t gen)
{
	for (uint32_t p = 1; p <= N_FLOWS; p++) {
		CU_ASSERT_EQUAL(t0_rule(OFPFC_ADD, p, gen), 0);
		CU_ASSERT_EQUAL(t1_rule(OFPFC_ADD, p, gen), 0);
	}
}

/* Move every flow from generation @p gen - 1 to @p gen; with @p fail a last
 * flow-mod fails. Returns the first error. */
static int
swap_gen(uint64_t gen, bool fail)
{
	int rc = 0;

	for (uint32_t p = 1; p <= N_FLOWS && rc == 0; p++)
		rc = t0_rule(OFPFC_MODIFY_STRICT, p, gen);
	if (rc == 0)
		rc = t1_delete_gen(gen - 1);
	for (uint32_t p = 1; p <= N_FLOWS && rc == 0; p++)
		rc = t1_rule(OFPFC_ADD, p, gen);
	if (rc == 0 && fail)
		rc = failing_mod();
	return rc;
}

/* The output port flow @p p gets now (0: dropped). */
static uint32_t
out_port_of(uint32_t p)
{
	struct sl_flow_key k = pkt_key(p);

	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), 0);
	if (res.n_actions != 1 || res.actions[0].type != SL_EXEC_OUTPUT)
		return 0;
	return res.actions[0].output.port;
}

/* What a rule looked like, to compare after an abort. */
struct rule_snap {
	const struct sl_rule *r;
	const struct sl_instructions *ins;
	uint64_t cookie, created_ns;
	uint16_t flags, idle, hard;
	struct sl_rule_counts c;
};

static unsigned int
snapshot(struct rule_snap *s, unsigned int cap)
{
	unsigned int n = 0;

	for (uint8_t t = 0; t < 2; t++)
		for (const struct sl_cls_rule *cr = sl_cls_first(sl_pipeline_table_cls(pl, t)); cr;
		     cr = cr->all_next) {
			const struct sl_rule *r = (const struct sl_rule *)cr;

			CU_ASSERT_FATAL(n < cap);
			s[n].r = r;
			s[n].ins = r->ins;
			s[n].cookie = r->cookie;
			s[n].created_ns = r->created_ns;
			s[n].flags = r->flags;
			s[n].idle = r->idle_timeout;
			s[n].hard = r->hard_timeout;
			sl_rule_get_counts(r, &s[n].c);
			n++;
		}
	return n;
}

static void
expect_same(const struct rule_snap *a, unsigned int na)
{
	static struct rule_snap b[4 * N_FLOWS];
	unsigned int nb = snapshot(b, 4 * N_FLOWS);

	CU_ASSERT_EQUAL_FATAL(na, nb);
	for (unsigned int i = 0; i < na; i++) {
		CU_ASSERT_PTR_EQUAL(a[i].r, b[i].r);
		CU_ASSERT_PTR_EQUAL(a[i].ins, b[i].ins);
		CU_ASSERT_EQUAL(a[i].cookie, b[i].cookie);
		CU_ASSERT_EQUAL(a[i].created_ns, b[i].created_ns);
		CU_ASSERT_EQUAL(a[i].flags, b[i].flags);
		CU_ASSERT_EQUAL(a[i].idle, b[i].idle);
		CU_ASSERT_EQUAL(a[i].hard, b[i].hard);
		CU_ASSERT_EQUAL(a[i].c.packets, b[i].c.packets);
		CU_ASSERT_EQUAL(a[i].c.bytes, b[i].c.bytes);
		CU_ASSERT_EQUAL(a[i].c.used_ns, b[i].c.used_ns);
	}
}

/* A commit: nothing moves before it, everything at it, one version bump;
 * the rules it deleted are reported removed then, not before. */
static void
test_commit(void)
{
	txn_setup(0);
	install_gen(1);
	uint64_t v0 = sl_pipeline_version(pl);

	CU_ASSERT_EQUAL(sl_pipeline_txn_begin(pl), 0);
	CU_ASSERT_EQUAL(sl_pipeline_txn_begin(pl), -EBUSY);
	CU_ASSERT_EQUAL(swap_gen(2, false), 0);
	CU_ASSERT_EQUAL(sl_pipeline_version(pl), v0);
	CU_ASSERT_EQUAL(n_removed, 0);
	/* A translation while it is open (here on the writer's own thread,
	 * which a lock would deadlock) sees the old rules: version V is
	 * published, the transaction's changes are at V + 1. */
	for (uint32_t p = 1; p <= N_FLOWS; p++)
		CU_ASSERT_EQUAL(out_port_of(p), OUT_BASE + 1);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 1), 2 * N_FLOWS); /* hidden ones stay */
	CU_ASSERT(sl_pipeline_txn_commit(pl) > 0);
	CU_ASSERT_FALSE(sl_pipeline_txn_open(pl));
	CU_ASSERT_EQUAL(sl_pipeline_version(pl), v0 + 1);
	CU_ASSERT_EQUAL(n_removed, N_FLOWS);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), N_FLOWS);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 1), N_FLOWS);
	for (uint32_t p = 1; p <= N_FLOWS; p++)
		CU_ASSERT_EQUAL(out_port_of(p), OUT_BASE);
	/* information only: how long a transaction stays open, no reader */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t g = 3; g < 53; g++) {
		CU_ASSERT_EQUAL(sl_pipeline_txn_begin(pl), 0);
		CU_ASSERT_EQUAL(swap_gen(g, false), 0);
		sl_pipeline_txn_commit(pl);
		sl_pipeline_reclaim(pl);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("(%ld us per transaction of %u flow-mods) ",
	       ((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec) / 50 / 1000,
	       2 * N_FLOWS + 1);
	v0 += 50;
	/* an empty transaction changes nothing */
	CU_ASSERT_EQUAL(sl_pipeline_txn_begin(pl), 0);
	CU_ASSERT_EQUAL(sl_pipeline_txn_commit(pl), 0);
	CU_ASSERT_EQUAL(sl_pipeline_version(pl), v0 + 1);
	sl_pipeline_synchronize(pl);
	teardown();
}

/* An abort after adds, a non-strict delete, modifies with reset_counts,
 * a replacing ADD and a delete + re-add of one rule: the very same rule
 * objects, instructions, fields and counters, and the same version. */
static void
test_abort_restores(void)
{
	static struct rule_snap before[4 * N_FLOWS];
	struct sl_flow_mod fm;
	unsigned int n;

	txn_setup(0);
	install_gen(1);
	for (uint8_t t = 0; t < 2; t++)
		for (struct sl_cls_rule *cr = (struct sl_cls_rule *)sl_cls_first(
			     sl_pipeline_table_cls(pl, t));
		     cr; cr = cr->all_next)
			sl_rule_credit((struct sl_rule *)cr, 7 + t, 700 + t, 1000 + t);
	n = snapshot(before, 4 * N_FLOWS);
	uint64_t v0 = sl_pipeline_version(pl);

	CU_ASSERT_EQUAL(sl_pipeline_txn_begin(pl), 0);
	CU_ASSERT_EQUAL(swap_gen(2, false), 0);
	fm = fm_new(OFPFC_MODIFY, 0, 0); /* every table-0 rule, counters reset */
	fm.flags = OFPFF_RESET_COUNTS;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_EQUAL(t0_rule(OFPFC_ADD, 1, 9), 0);            /* replaces */
	CU_ASSERT_EQUAL(t1_rule(OFPFC_ADD, 1, 2), 0);            /* replaces a new one */
	fm = fm_new(OFPFC_DELETE_STRICT, 0, 10);
	m32(&fm.match, OFPXMT_OFB_IN_PORT, 2);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0); /* hidden ... */
	CU_ASSERT_EQUAL(t0_rule(OFPFC_ADD, 2, 5), 0);            /* ... and revived */
	CU_ASSERT_NOT_EQUAL(failing_mod(), 0);
	for (uint32_t p = 1; p <= N_FLOWS; p++) /* still the old rules for readers */
		CU_ASSERT_EQUAL(out_port_of(p), OUT_BASE + 1);
	sl_pipeline_txn_abort(pl);

	CU_ASSERT_EQUAL(sl_pipeline_version(pl), v0);
	CU_ASSERT_EQUAL(n_removed, 0);
	expect_same(before, n);
	for (uint32_t p = 1; p <= N_FLOWS; p++)
		CU_ASSERT_EQUAL(out_port_of(p), OUT_BASE + 1);
	uint64_t commits, aborts;
	sl_pipeline_txn_counts(pl, &commits, &aborts);
	CU_ASSERT_EQUAL(commits, 0);
	CU_ASSERT_EQUAL(aborts, 1);
	sl_pipeline_synchronize(pl);
	teardown();
}

/* Rules a transaction deletes do not count against the table's limit
 * (its own adds may take their places); a rule it adds and deletes again
 * is never reported removed. */
static void
test_limits_and_transient(void)
{
	txn_setup(8);
	for (uint32_t p = 1; p <= 8; p++)
		CU_ASSERT_EQUAL(t1_rule(OFPFC_ADD, p, 1), 0);
	CU_ASSERT_EQUAL(sl_pipeline_txn_begin(pl), 0);
	CU_ASSERT_EQUAL(t1_delete_gen(1), 0);
	for (uint32_t p = 1; p <= 8; p++)
		CU_ASSERT_EQUAL(t1_rule(OFPFC_ADD, p, 2), 0);
	CU_ASSERT_EQUAL(t1_rule(OFPFC_ADD, 9, 2),
			SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_TABLE_FULL));
	CU_ASSERT_EQUAL(t1_delete_gen(2), 0); /* the transaction's own adds */
	CU_ASSERT(sl_pipeline_txn_commit(pl) > 0);
	CU_ASSERT_EQUAL(n_removed, 8);       /* the 8 of generation 1 only */
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 1), 0);
	sl_pipeline_synchronize(pl);
	teardown();
}

/* Allocation N of a transaction fails, for N = 1.. until none does: the
 * flow-mod that met it fails, the abort gives back exactly what was there
 * (the undo records were reserved before each change). */
static void
test_alloc_fail(void)
{
	static struct rule_snap before[4 * N_FLOWS];
	bool failed = true;

	for (unsigned long nth = 1; failed && nth < 100000; nth++) {
		txn_setup(0);
		install_gen(1);
		unsigned int n = snapshot(before, 4 * N_FLOWS);
		uint64_t v0 = sl_pipeline_version(pl);

		sl_pipeline_fail_alloc(nth);
		if (sl_pipeline_txn_begin(pl) != 0) {
			sl_pipeline_fail_alloc(0);
			teardown();
			continue;
		}
		failed = swap_gen(2, false) != 0;
		sl_pipeline_fail_alloc(0);
		if (failed) {
			sl_pipeline_txn_abort(pl);
			CU_ASSERT_EQUAL(sl_pipeline_version(pl), v0);
			expect_same(before, n);
			for (uint32_t p = 1; p <= N_FLOWS; p++)
				CU_ASSERT_EQUAL(out_port_of(p), OUT_BASE + 1);
		} else {
			sl_pipeline_txn_commit(pl);
			for (uint32_t p = 1; p <= N_FLOWS; p++)
				CU_ASSERT_EQUAL(out_port_of(p), OUT_BASE);
		}
		sl_pipeline_synchronize(pl);
		teardown();
	}
	CU_ASSERT_FALSE(failed);
}

/* ---- group-mods in transactions ---- */

/* Group @p id: indirect, one bucket output:@p port (DELETE: no bucket);
 * with @p via set, type all and its bucket goes to group @p via. */
static int
group_mod(uint16_t cmd, uint32_t id, uint32_t port, uint32_t via)
{
	struct sl_action a = via ? (struct sl_action){ .type = OFPAT_GROUP, .group_id = via }
				 : out(port);
	struct sl_bucket b = { .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1,
			       .actions = &a };
	struct sl_group_mod gm = { .command = cmd, .type = via ? OFPGT_ALL : OFPGT_INDIRECT,
				   .group_id = id, .n_buckets = cmd == OFPGC_DELETE ? 0 : 1,
				   .buckets = &b };

	return sl_pipeline_group_mod(pl, &gm);
}

/* Table 0: in_port=p -> group:g. */
static int
t0_group_rule(uint8_t cmd, uint32_t p, uint32_t g)
{
	struct sl_action a = { .type = OFPAT_GROUP, .group_id = g };
	struct sl_flow_mod fm = fm_new(cmd, 0, 20);

	m32(&fm.match, OFPXMT_OFB_IN_PORT, p);
	fm.ins.apply = &a;
	fm.ins.n_apply = 1;
	return sl_pipeline_flow_mod(pl, &fm, NULL);
}

/* The port flow @p p leaves by (through its group's bucket), 0: dropped. */
static uint32_t
group_out_of(uint32_t p)
{
	struct sl_flow_key k = pkt_key(p);

	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), 0);
	for (unsigned int i = 0; i < res.n_actions; i++)
		if (res.actions[i].type == SL_EXEC_OUTPUT)
			return res.actions[i].output.port;
	return 0;
}

/* Modify group 1, add group 2 and move flow 2 to it, delete group 3 (and
 * flow 3 with it) and group 4 (which chains to group 1): translations see
 * none of it while the transaction is open; an abort gives back the very
 * same group objects and their flow and group references; a commit shows
 * all of it at once. */
static void
test_groups(void)
{
	txn_setup(0);
	CU_ASSERT_EQUAL(group_mod(OFPGC_ADD, 1, 2001, 0), 0);
	CU_ASSERT_EQUAL(group_mod(OFPGC_ADD, 3, 2003, 0), 0);
	CU_ASSERT_EQUAL(group_mod(OFPGC_ADD, 4, 0, 1), 0);
	CU_ASSERT_EQUAL(t0_group_rule(OFPFC_ADD, 1, 1), 0);
	CU_ASSERT_EQUAL(t0_group_rule(OFPFC_ADD, 2, 1), 0);
	CU_ASSERT_EQUAL(t0_group_rule(OFPFC_ADD, 3, 3), 0);
	const struct sl_group *g1 = sl_pipeline_group(pl, 1), *g3 = sl_pipeline_group(pl, 3);
	struct sl_group_stats *s1 = g1->stats;
	uint64_t v0 = sl_pipeline_version(pl);

	CU_ASSERT_EQUAL(s1->ref_count, 2);
	CU_ASSERT_EQUAL(s1->group_refs, 1);
	for (int round = 0; round < 2; round++) {
		bool commit = round == 1;

		CU_ASSERT_EQUAL_FATAL(sl_pipeline_txn_begin(pl), 0);
		CU_ASSERT_EQUAL(group_mod(OFPGC_MODIFY, 1, 2011, 0), 0);
		CU_ASSERT_EQUAL(group_mod(OFPGC_ADD, 2, 2002, 0), 0);
		CU_ASSERT_EQUAL(t0_group_rule(OFPFC_MODIFY_STRICT, 2, 2), 0); /* needs group 2 */
		CU_ASSERT_EQUAL(t0_group_rule(OFPFC_ADD, 4, 3), 0);  /* added, then taken ... */
		struct sl_flow_mod del = fm_new(OFPFC_DELETE_STRICT, 0, 20);
		m32(&del.match, OFPXMT_OFB_IN_PORT, 3);
		CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &del, NULL), 0); /* hidden before ... */
		CU_ASSERT_EQUAL(group_mod(OFPGC_DELETE, 3, 0, 0), 0);    /* ... its group goes */
		CU_ASSERT_EQUAL(group_mod(OFPGC_DELETE, 4, 0, 0), 0);
		CU_ASSERT_EQUAL(s1->group_refs, 0);
		CU_ASSERT_PTR_NULL(sl_pipeline_group(pl, 3));   /* the writer's view */
		CU_ASSERT_PTR_NOT_NULL(sl_pipeline_group(pl, 2));
		CU_ASSERT_EQUAL(group_out_of(1), 2001);          /* the readers' */
		CU_ASSERT_EQUAL(group_out_of(2), 2001);
		CU_ASSERT_EQUAL(group_out_of(3), 2003);
		if (!commit) {
			CU_ASSERT_NOT_EQUAL(t0_group_rule(OFPFC_ADD, 5, 3), 0); /* deleted */
			sl_pipeline_txn_abort(pl);
			CU_ASSERT_PTR_EQUAL(sl_pipeline_group(pl, 1), g1);
			CU_ASSERT_PTR_EQUAL(sl_pipeline_group(pl, 3), g3);
			CU_ASSERT_PTR_NULL(sl_pipeline_group(pl, 2));
			CU_ASSERT_PTR_NOT_NULL(sl_pipeline_group(pl, 4));
			CU_ASSERT_EQUAL(sl_pipeline_n_groups(pl), 3);
			CU_ASSERT_EQUAL(s1->ref_count, 2);
			CU_ASSERT_EQUAL(s1->group_refs, 1);
			CU_ASSERT_EQUAL(g3->stats->ref_count, 1);
			CU_ASSERT_EQUAL(sl_pipeline_version(pl), v0);
			CU_ASSERT_EQUAL(n_removed, 0);
			CU_ASSERT_EQUAL(group_out_of(2), 2001);
			CU_ASSERT_EQUAL(group_out_of(3), 2003);
			CU_ASSERT_EQUAL(group_out_of(4), 0);
			CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 3);
			continue;
		}
		CU_ASSERT(sl_pipeline_txn_commit(pl) > 0);
		CU_ASSERT_EQUAL(sl_pipeline_version(pl), v0 + 1);
		CU_ASSERT_EQUAL(group_out_of(1), 2011);
		CU_ASSERT_EQUAL(group_out_of(2), 2002);
		CU_ASSERT_EQUAL(group_out_of(3), 0);             /* deleted, as group 3 */
		CU_ASSERT_EQUAL(group_out_of(4), 0);             /* added and taken by it */
		CU_ASSERT_EQUAL(n_removed, 1);                   /* once; flow 4 never seen */
		CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 2);
		CU_ASSERT_EQUAL(sl_pipeline_n_groups(pl), 2);
		CU_ASSERT_PTR_EQUAL(sl_pipeline_group(pl, 1)->stats, s1); /* counters survive */
		CU_ASSERT_EQUAL(s1->ref_count, 1);
		CU_ASSERT_EQUAL(s1->group_refs, 0);
		CU_ASSERT_EQUAL(sl_pipeline_group(pl, 2)->stats->ref_count, 1);
	}
	sl_pipeline_synchronize(pl);
	teardown();
}

/* ---- translations on other threads while transactions commit ---- */

struct reader {
	unsigned int id;
	const int *stop;
	unsigned long n, bad;
};

/* Like a worker: quiescent between translations only. Every translation
 * must find both rules of one generation: a table-0 rule of generation g
 * with table 1 still at g - 1 (or the other way round) misses. */
static void *
reader_main(void *p)
{
	struct reader *rd = p;
	struct rte_rcu_qsbr *q = sl_pipeline_qsbr(pl);
	static __thread struct sl_xlate_result r;

	rte_rcu_qsbr_thread_register(q, rd->id);
	rte_rcu_qsbr_thread_online(q, rd->id);
	for (uint32_t i = 0; !__atomic_load_n(rd->stop, __ATOMIC_ACQUIRE); i++) {
		struct sl_flow_key k = pkt_key(1 + i % N_FLOWS);

		if (sl_xlate(pl, &k, &r) != 0 || r.n_actions != 1 ||
		    r.actions[0].type != SL_EXEC_OUTPUT)
			rd->bad++;
		__atomic_store_n(&rd->n, rd->n + 1, __ATOMIC_RELAXED);
		rte_rcu_qsbr_quiescent(q, rd->id);
	}
	rte_rcu_qsbr_thread_offline(q, rd->id);
	rte_rcu_qsbr_thread_unregister(q, rd->id);
	return NULL;
}

static void
test_concurrent_readers(void)
{
	struct reader rd[2] = { { .id = 0 }, { .id = 1 } };
	pthread_t th[2];
	int stop = 0;
	uint64_t gen = 1, commits, aborts, open_ns = 0;

	txn_setup(0);
	install_gen(1);
	for (int i = 0; i < 2; i++) {
		rd[i].stop = &stop;
		pthread_create(&th[i], NULL, reader_main, &rd[i]);
	}
	/* both translating before the first transaction (a loaded machine
	 * may start them late) */
	while (__atomic_load_n(&rd[0].n, __ATOMIC_RELAXED) == 0 ||
	       __atomic_load_n(&rd[1].n, __ATOMIC_RELAXED) == 0)
		sched_yield();
	for (unsigned int it = 0; it < 600; it++) {
		bool fail = it % 3 == 2; /* every third one rolls back */
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		CU_ASSERT_EQUAL_FATAL(sl_pipeline_txn_begin(pl), 0);
		if (swap_gen(gen + 1, fail) == 0) {
			sl_pipeline_txn_commit(pl);
			gen++;
		} else {
			sl_pipeline_txn_abort(pl);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		open_ns += (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u + (uint64_t)t1.tv_nsec -
			   (uint64_t)t0.tv_nsec;
		sl_pipeline_reclaim(pl);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	sl_pipeline_txn_counts(pl, &commits, &aborts);
	/* information only (no timing assertions): how long the writer takes */
	printf("(%lu translations, %lu half-made; %lu commits, %lu aborts; %lu us open per "
	       "transaction of %u flow-mods) ", rd[0].n + rd[1].n, rd[0].bad + rd[1].bad,
	       (unsigned long)commits, (unsigned long)aborts, (unsigned long)(open_ns / 600 / 1000),
	       2 * N_FLOWS + 1);
	CU_ASSERT_EQUAL(rd[0].bad + rd[1].bad, 0);
	CU_ASSERT(rd[0].n + rd[1].n > 0);
	CU_ASSERT_EQUAL(commits, 400);
	CU_ASSERT_EQUAL(aborts, 200);
	for (uint32_t p = 1; p <= N_FLOWS; p++)
		CU_ASSERT_EQUAL(out_port_of(p), OUT_BASE + gen % 2);
	sl_pipeline_synchronize(pl);
	teardown();
}

/* ---- translations go on while a transaction stays open ---- */

struct open_reader {
	unsigned int id;
	const int *stop;
	const uint32_t *open_port; /* the old generation's port while one is open, 0: none */
	unsigned long n_open, wrong, bad;
};

/* A translation counts as made inside an open transaction when the writer's
 * open_port was the same nonzero value before and after it (the writer
 * clears it before it commits or aborts). */
static void *
open_reader_main(void *p)
{
	struct open_reader *rd = p;
	struct rte_rcu_qsbr *q = sl_pipeline_qsbr(pl);
	static __thread struct sl_xlate_result r;

	rte_rcu_qsbr_thread_register(q, rd->id);
	rte_rcu_qsbr_thread_online(q, rd->id);
	for (uint32_t i = 0; !__atomic_load_n(rd->stop, __ATOMIC_ACQUIRE); i++) {
		struct sl_flow_key k = pkt_key(1 + i % N_FLOWS);
		uint32_t o = __atomic_load_n(rd->open_port, __ATOMIC_ACQUIRE);
		bool ok = sl_xlate(pl, &k, &r) == 0 && r.n_actions == 1 &&
			  r.actions[0].type == SL_EXEC_OUTPUT;

		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		rd->bad += !ok;
		if (o != 0 && __atomic_load_n(rd->open_port, __ATOMIC_RELAXED) == o) {
			rd->wrong += !ok || r.actions[0].output.port != o;
			__atomic_store_n(&rd->n_open, rd->n_open + 1, __ATOMIC_RELEASE);
		}
		rte_rcu_qsbr_quiescent(q, rd->id);
	}
	rte_rcu_qsbr_thread_offline(q, rd->id);
	rte_rcu_qsbr_thread_unregister(q, rd->id);
	return NULL;
}

/* Wait (no time limit but a generous deadline, for a stuck run) until each
 * reader made @p more translations inside the open transaction. */
static bool
readers_progress(struct open_reader *rd, unsigned int n_rd, unsigned long more)
{
	unsigned long base[4];
	struct timespec t0, t;

	for (unsigned int i = 0; i < n_rd; i++)
		base[i] = __atomic_load_n(&rd[i].n_open, __ATOMIC_ACQUIRE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int i = 0; i < n_rd;) {
		if (__atomic_load_n(&rd[i].n_open, __ATOMIC_ACQUIRE) >= base[i] + more) {
			i++;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 120)
			return false;
		sched_yield();
	}
	return true;
}

/* Readers never wait for the writer: while a transaction stays open (its
 * flow-mods made, the writer waiting), translations on two other threads
 * go on, each giving the old generation's answer; then the commit or
 * abort. A reader that waited for the transaction (a lock) would make no
 * progress and the writer's wait would run into its deadline. */
static void
test_readers_never_wait(void)
{
	struct open_reader rd[2] = { { .id = 0 }, { .id = 1 } };
	pthread_t th[2];
	int stop = 0;
	uint32_t open_port = 0;
	uint64_t gen = 1;
	bool progressed = true;

	txn_setup(0);
	install_gen(1);
	for (int i = 0; i < 2; i++) {
		rd[i].stop = &stop;
		rd[i].open_port = &open_port;
		pthread_create(&th[i], NULL, open_reader_main, &rd[i]);
	}
	for (unsigned int it = 0; it < 30 && progressed; it++) {
		bool fail = it % 3 == 2;

		CU_ASSERT_EQUAL_FATAL(sl_pipeline_txn_begin(pl), 0);
		int rc = swap_gen(gen + 1, fail);
		__atomic_store_n(&open_port, OUT_BASE + (uint32_t)(gen % 2), __ATOMIC_RELEASE);
		progressed = readers_progress(rd, 2, 100);
		__atomic_store_n(&open_port, 0, __ATOMIC_RELEASE);
		if (rc == 0) {
			sl_pipeline_txn_commit(pl);
			gen++;
		} else {
			sl_pipeline_txn_abort(pl);
		}
		sl_pipeline_reclaim(pl);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("(%lu translations inside open transactions, %lu gave the new rules, "
	       "%lu half-made) ", rd[0].n_open + rd[1].n_open, rd[0].wrong + rd[1].wrong,
	       rd[0].bad + rd[1].bad);
	CU_ASSERT_TRUE(progressed);
	CU_ASSERT_EQUAL(rd[0].wrong + rd[1].wrong, 0);
	CU_ASSERT_EQUAL(rd[0].bad + rd[1].bad, 0);
	CU_ASSERT_EQUAL(gen, 21); /* 20 commits, 10 aborts */
	for (uint32_t p = 1; p <= N_FLOWS; p++)
		CU_ASSERT_EQUAL(out_port_of(p), OUT_BASE + gen % 2);
	sl_pipeline_synchronize(pl);
	teardown();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "commit", test_commit },
		{ "abort_restores", test_abort_restores },
		{ "limits_and_transient", test_limits_and_transient },
		{ "alloc_fail", test_alloc_fail },
		{ "groups", test_groups },
		{ "concurrent_readers", test_concurrent_readers },
		{ "readers_never_wait", test_readers_never_wait },
	};

	return cunit_run_suite("pipeline_txn", tests, CUNIT_N_TESTS(tests));
}
