/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential property test of classifier + translation.
 *
 * Thousands of random rule sets (several tables, random masks and priorities,
 * goto chains, write-metadata, apply/write/clear actions, all/select/indirect/
 * fast-failover groups with chaining and liveness) and random packets. For each
 * packet:
 *  1. the datapath actions returned by sl_xlate, executed by a tiny interpreter
 *     (xlate_ref.c), produce the same observable events (outputs with the packet
 *     state, packet-ins, meters, TTL decrements) as a naive reference pipeline
 *     written from the OpenFlow 1.3 text (xlate_ref.c: linear scan, no classifier);
 *     MPLS packets carry their IPv4 payload (struct pstate.inner): after a
 *     pop_mpls the reference parses it again (later tables see it); the
 *     interpreter does the same and, on RECIRC, translates the key with its
 *     recirc_id and runs the result (rules of all passes compared in order);
 *  2. cache transparency: for packets Q agreeing with P on the returned megaflow
 *     mask, translating Q gives the same actions, and running P's actions on Q
 *     gives the reference events of Q.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>

#include "cunit_main.h"
#include "test_rng.h"

#include "sl_flow_consts.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"
#include "xlate_gen.h"

/* ------------------------------------------------------------- random ---- */

static uint64_t rs = 0x9e3779b97f4a7c15ull;

uint32_t
xg_rnd(uint32_t n)
{
	return test_rng_below(&rs, n);
}

/* An expectation of the generator, checked like the test's own. */
void
xg_check(bool ok, const char *what)
{
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, __LINE__, what, __FILE__, "", CU_FALSE);
}

static unsigned long n_with_events, n_with_groups, n_multi_table;

static unsigned long n_recirculated;

/* Compare one translation of @p pkt with the reference. */
static bool
check_packet(struct world *w, const struct pstate *pkt, struct sl_xlate_result *res)
{
	static struct evlog ref_log, dp_log;
	struct ref x;
	const struct sl_flow_key *key = &pkt->key;
	int rc = sl_xlate(w->pl, key, res);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc)
		return false;
	ref_run(w, pkt, &ref_log, &x);
	struct pstate st = *pkt;
	dp_log.n = 0;
	dp_log.overflow = false;
	dp_exec_pl = w->pl;
	dp_n_recirc_rules = dp_n_recircs = 0;
	dp_exec(res->actions, res->n_actions, &st, &dp_log);
	bool ok = same_events(&ref_log, &dp_log);
	CU_ASSERT(ok);
	n_with_events += ref_log.n > 0;
	n_with_groups += res->n_buckets > 0;
	n_multi_table += res->n_rules > 1;
	n_recirculated += dp_n_recircs > 0;
	static int dumped;
	if (!ok && dumped++ < 3 && getenv("XLATE_DIFF_DEBUG")) {
		char buf[1024];
		sl_xlate_format(res, buf, sizeof(buf));
		printf("\nMISMATCH: dp=%s\n", buf);
		for (unsigned int i = 0; i < ref_log.n; i++)
			printf(" ref ev kind=%u a=%x b=%u c=%lu\n", ref_log.ev[i].kind, ref_log.ev[i].a,
			       ref_log.ev[i].b, (unsigned long)ref_log.ev[i].c);
		for (unsigned int i = 0; i < dp_log.n; i++)
			printf(" dp  ev kind=%u a=%x b=%u c=%lu snapdiff=%d\n", dp_log.ev[i].kind, dp_log.ev[i].a,
			       dp_log.ev[i].b, (unsigned long)dp_log.ev[i].c,
			       i < ref_log.n ? memcmp(&dp_log.ev[i].snap, &ref_log.ev[i].snap, sizeof(struct sl_flow_key)) : -9);
	}
	/* Rules hit: the first pass, then the recirculated passes, each once. */
	CU_ASSERT_EQUAL(res->n_rules + dp_n_recirc_rules, x.n_hit);
	for (unsigned int i = 0; i < res->n_rules + dp_n_recirc_rules && i < x.n_hit; i++) {
		const struct sl_rule *r = i < res->n_rules ? res->rules[i] : dp_recirc_rules[i - res->n_rules];
		CU_ASSERT_EQUAL(r->cookie, x.hit[i]);
	}
	return ok;
}

static unsigned long n_packets_checked, n_transparency_checked, total_mask_bits;

static void
check_transparency(struct world *w, const struct pstate *pp, const struct sl_xlate_result *rp)
{
	static struct sl_xlate_result rq;
	static struct evlog ref_log, dp_log;
	const struct sl_flow_key *p = &pp->key;
	for (int t = 0; t < 4; t++) {
		struct pstate qs;
		xg_random_packet(&qs);
		struct sl_flow_key q = qs.key;
		for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
			q.w[i] = (p->w[i] & rp->mask.w[i]) | (q.w[i] & ~rp->mask.w[i]);
		qs.key = q;
		/* (a) translating Q gives the very same datapath actions */
		CU_ASSERT_EQUAL_FATAL(sl_xlate(w->pl, &q, &rq), 0);
		CU_ASSERT_EQUAL(rq.n_actions, rp->n_actions);
		CU_ASSERT(rq.n_actions == rp->n_actions &&
			  memcmp(rq.actions, rp->actions, rp->n_actions * sizeof(rp->actions[0])) == 0);
		CU_ASSERT_EQUAL(rq.n_rules, rp->n_rules);
		/* (b) P's megaflow applied to Q behaves like the reference on Q */
		struct ref x;
		ref_run(w, &qs, &ref_log, &x);
		struct pstate st = qs;
		dp_log.n = 0;
		dp_exec_pl = w->pl;
		dp_exec(rp->actions, rp->n_actions, &st, &dp_log);
		CU_ASSERT(same_events(&ref_log, &dp_log));
		n_transparency_checked++;
	}
}

static void
test_differential(void)
{
	static struct world w;
	static struct sl_xlate_result res;
	/* 1000 random worlds, each checked before and after a random change: 2000 rule sets.
	 * SL_DIFF_WORLDS=n runs longer (or shorter) campaigns. */
	unsigned int n_worlds = getenv("SL_DIFF_WORLDS") ? (unsigned int)atoi(getenv("SL_DIFF_WORLDS")) : 1000;
	for (unsigned int i = 0; i < n_worlds; i++) {
		if (CU_get_number_of_failures() > 50)
			break; /* enough evidence; keep the failure report short */
		CU_ASSERT_FATAL(xg_build_world(&w, NULL));
		for (int p = 0; p < 40; p++) {
			struct pstate pkt;
			xg_random_packet(&pkt);
			if (!check_packet(&w, &pkt, &res))
				continue;
			n_packets_checked++;
			total_mask_bits += sl_flow_mask_popcount(&res.mask);
			check_transparency(&w, &pkt, &res);
		}
		/* Change the world a little and check again. */
		xg_change_world(&w);
		for (int p = 0; p < 20; p++) {
			struct pstate pkt;
			xg_random_packet(&pkt);
			if (check_packet(&w, &pkt, &res)) {
				n_packets_checked++;
				check_transparency(&w, &pkt, &res);
			}
		}
		sl_pipeline_destroy(w.pl);
	}
	printf("\n  %lu packets, %lu transparency checks, avg mask bits %.1f; %lu with output/packet-in/"
	       "meter events, %lu through groups, %lu through 2+ tables, %lu recirculated, "
	       "%lu actset_output=port hits\n",
	       n_packets_checked, n_transparency_checked,
	       (double)total_mask_bits / (double)n_packets_checked, n_with_events, n_with_groups,
	       n_multi_table, n_recirculated, ref_n_actset_hits);
	/* The campaign must exercise something: a generator that only produced drops would pass. */
	CU_ASSERT(n_with_events > n_packets_checked / 2);
	CU_ASSERT(n_with_groups > n_packets_checked / 20);
	CU_ASSERT(n_multi_table > n_packets_checked / 10);
	CU_ASSERT(n_recirculated > n_packets_checked / 200);
	CU_ASSERT(ref_n_actset_hits > n_packets_checked / 200);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "differential", test_differential },
	};

	return cunit_run_suite("xlate_differential", tests, CUNIT_N_TESTS(tests));
}
