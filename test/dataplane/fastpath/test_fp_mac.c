/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MAC churn must not cost other tenants (hardening, defect 6). With one
 * catch-all rule to NORMAL, the fast path caches one megaflow per (in_port,
 * vlan, eth_src, eth_dst). Before the fix every MAC learned, moved or aged
 * bumped the tables version with a GLOBAL record: every megaflow of every
 * tenant was translated again on its next hit, and those translations were
 * not bounded by the miss budget. Now:
 *  - a MAC change re-translates only the entries whose eth_src or eth_dst
 *    it names (the others are kept by the change log, reval_skipped);
 *  - those re-translations share the per-iteration miss budget; past it an
 *    entry forwards by its old decision once more (reval_deferred) and is
 *    revalidated on a later hit;
 *  - an OpenFlow change is never deferred: after a flow-mod every stale
 *    entry is translated before its packet goes out, budget or not.
 *
 * Runs without hugepages; the ports are net_null devices whose tx callbacks
 * count what each port transmits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "fp_testbed.h"
#include "sl_mac_learning.h"
#include "sl_match.h"
#include "sl_worker_tx.h"

#define N_PORTS 4
#define N_FLOWS 32 /* one burst (SL_BURST) */
#define BUDGET 8

static struct sl_datapath dp;
static struct sl_config cfg;
static uint64_t sent[N_PORTS + 1];

static uint16_t
tx_count(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	(void)port_id; (void)queue; (void)pkts;
	sent[(uintptr_t)arg] += n;
	return n;
}

/* Host @i's MAC in group @g: 02:00:00:00:g:i. */
static void
host_mac(uint8_t g, uint8_t i, uint8_t mac[6])
{
	static const uint8_t base[6] = { 2, 0, 0, 0, 0, 0 };

	memcpy(mac, base, 6);
	mac[4] = g;
	mac[5] = i;
}

/* IPv4/UDP from @src to @dst. */
static struct rte_mbuf *
packet(const uint8_t src[6], const uint8_t dst[6])
{
	static const uint8_t l3[] = {
		0x08, 0x00, 0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x30, 0x39, 0, 53, 0, 8, 0, 0,
	};
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, 60) : NULL;

	if (p == NULL)
		abort();
	memset(p, 0, 60);
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	memcpy(p + 12, l3, sizeof(l3));
	return m;
}

static void
learn(uint32_t port, uint8_t g, uint8_t i)
{
	uint8_t mac[6];

	host_mac(g, i, mac);
	sl_pipeline_mac_learn(dp.pipeline, port, 0, mac, 1);
}

/* One burst on port 1: host (1, i) -> host (@dst_g, i) for each flow i. */
static void
burst(struct sl_fastpath *fp, uint8_t dst_g)
{
	struct rte_mbuf *pkts[N_FLOWS];

	for (uint8_t i = 0; i < N_FLOWS; i++) {
		uint8_t s[6], d[6];

		host_mac(1, i, s);
		host_mac(dst_g, i, d);
		pkts[i] = packet(s, d);
	}
	sl_fastpath_begin(fp, rte_rdtsc());
	sl_fastpath_process(fp, 0, pkts, N_FLOWS);
	sl_worker_flush_all(dp.workers[0]);
	sl_fastpath_end(fp, false);
}

static void
rule(uint32_t port)
{
	struct sl_action a = { .type = OFPAT_OUTPUT, .output = { .port = port } };
	struct sl_flow_mod fm;

	memset(&fm, 0, sizeof(fm));
	fm.command = OFPFC_ADD;
	fm.table_id = 0;
	fm.out_port = OFPP_ANY;
	fm.out_group = OFPG_ANY;
	sl_match_init_catchall(&fm.match);
	fm.ins.apply = &a;
	fm.ins.n_apply = 1;
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
	sl_pipeline_synchronize(dp.pipeline);
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
}

/* A fast path on worker 0 whose drop counts start from 0 (the worker's
 * accounting, where drops are counted, outlives each case's fast path). */
static struct sl_fastpath *
fresh_fastpath(const struct sl_fastpath_config *fc)
{
	memset(dp.workers[0]->acct, 0, sizeof(dp.workers[0]->acct));
	return sl_fastpath_create(dp.workers[0], dp.pipeline, fc);
}

static struct sl_fastpath *
setup(uint32_t budget)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1, .miss_budget = budget };
	struct sl_fastpath *fp;

	rule(OFPP_NORMAL);
	sl_pipeline_mac_flush(dp.pipeline, OFPP_ANY);
	fp = fresh_fastpath(&fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	memset(sent, 0, sizeof(sent));
	return fp;
}

/* Misses take BUDGET translations per burst: burst until every flow has
 * its entry (the packets over the budget are dropped meanwhile). */
static void
warm_up(struct sl_fastpath *fp)
{
	const struct sl_fastpath_stats *st = sl_fastpath_stats(fp);

	for (unsigned int i = 0; i <= N_FLOWS / BUDGET; i++)
		burst(fp, 2);
	CU_ASSERT_EQUAL(st->translations, N_FLOWS);
	CU_ASSERT_EQUAL(sl_fastpath_drops(fp, SL_DROP_MISS_BUDGET), N_FLOWS * (N_FLOWS / BUDGET - 1) / 2);
	memset(sent, 0, sizeof(sent));
}

/* Flows to learned hosts are not translated again when someone else's MAC
 * is learned, moves or ages; flows to the host that changed are. */
static void
test_narrow(void)
{
	struct sl_fastpath *fp = setup(1000);
	const struct sl_fastpath_stats *st = sl_fastpath_stats(fp);
	uint64_t rv, sk;

	for (uint8_t i = 0; i < N_FLOWS; i++) {
		learn(1, 1, i);
		learn(2, 2, i);
	}
	burst(fp, 2); /* misses: unicast to port 2 */
	burst(fp, 2); /* hits */
	CU_ASSERT_EQUAL(sent[2], 2 * N_FLOWS);
	CU_ASSERT_EQUAL(sent[3] + sent[4], 0);
	/* another tenant's host appears, moves and is flushed */
	learn(3, 9, 1);
	learn(4, 9, 1);
	rv = st->revalidations;
	sk = st->reval_skipped;
	burst(fp, 2);
	CU_ASSERT_EQUAL(st->revalidations, rv);
	CU_ASSERT_EQUAL(st->reval_skipped, sk + N_FLOWS);
	CU_ASSERT_EQUAL(sent[2], 3 * N_FLOWS);
	/* one destination moves to port 3: its flow, only, follows it */
	learn(3, 2, 5);
	rv = st->revalidations;
	burst(fp, 2);
	CU_ASSERT_EQUAL(st->revalidations, rv + 1);
	CU_ASSERT_EQUAL(sent[2], 4 * N_FLOWS - 1);
	CU_ASSERT_EQUAL(sent[3], 1);
	if (st->revalidations != rv + 1)
		fprintf(stderr, "\n  %llu re-translations for one MAC move\n",
			(unsigned long long)(st->revalidations - rv));
	fp_testbed_idle(fp);
	sl_fastpath_destroy(fp);
}

/* N_FLOWS flows flood to an unknown host each; all of them are learned at
 * once. The re-translations then take at most the budget per iteration;
 * the rest flood once more and follow later. */
static void
test_budget(void)
{
	struct sl_fastpath *fp = setup(BUDGET);
	const struct sl_fastpath_stats *st = sl_fastpath_stats(fp);
	uint64_t rv, n_uni;
	unsigned int bursts = 0;

	for (uint8_t i = 0; i < N_FLOWS; i++)
		learn(1, 1, i);
	warm_up(fp);
	burst(fp, 2); /* every flow floods: ports 2, 3 and 4 */
	CU_ASSERT_EQUAL(sent[2], N_FLOWS);
	CU_ASSERT_EQUAL(sent[4], N_FLOWS);
	for (uint8_t i = 0; i < N_FLOWS; i++)
		learn(3, 2, i);
	rv = st->revalidations;
	memset(sent, 0, sizeof(sent));
	burst(fp, 2);
	CU_ASSERT_EQUAL(st->revalidations - rv, BUDGET);
	CU_ASSERT_EQUAL(st->reval_deferred, N_FLOWS - BUDGET);
	CU_ASSERT_EQUAL(sent[3], N_FLOWS);          /* unicast or flood: all reach 3 */
	CU_ASSERT_EQUAL(sent[2], N_FLOWS - BUDGET); /* the deferred ones flooded */
	/* later iterations finish the job, BUDGET entries at a time */
	for (n_uni = BUDGET; sent[2] != 0 && bursts < 2 * N_FLOWS / BUDGET; bursts++) {
		memset(sent, 0, sizeof(sent));
		burst(fp, 2);
		CU_ASSERT(st->revalidations - rv <= (uint64_t)BUDGET * (bursts + 2));
	}
	CU_ASSERT_EQUAL(sent[2], 0);
	CU_ASSERT_EQUAL(sent[3], N_FLOWS);
	CU_ASSERT_EQUAL(st->revalidations - rv, N_FLOWS);
	CU_ASSERT_EQUAL(bursts, N_FLOWS / BUDGET - 1);
	(void)n_uni;
	fp_testbed_idle(fp);
	sl_fastpath_destroy(fp);
}

/* After MAC changes and then a flow-mod, the flow-mod wins at once for
 * every packet: OpenFlow changes are never deferred. */
static void
test_openflow_not_deferred(void)
{
	struct sl_fastpath *fp = setup(BUDGET);
	const struct sl_fastpath_stats *st = sl_fastpath_stats(fp);
	uint64_t rv, df;

	for (uint8_t i = 0; i < N_FLOWS; i++)
		learn(1, 1, i);
	warm_up(fp);
	for (uint8_t i = 0; i < N_FLOWS; i++)
		learn(3, 2, i);
	rule(4); /* replaces NORMAL: output:4 */
	rv = st->revalidations;
	df = st->reval_deferred;
	memset(sent, 0, sizeof(sent));
	burst(fp, 2);
	CU_ASSERT_EQUAL(st->revalidations - rv, N_FLOWS);
	CU_ASSERT_EQUAL(st->reval_deferred, df);
	CU_ASSERT_EQUAL(sent[4], N_FLOWS);
	CU_ASSERT_EQUAL(sent[2] + sent[3], 0);
	fp_testbed_idle(fp);
	sl_fastpath_destroy(fp);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "a MAC change re-translates its own flows only", test_narrow },
		{ "MAC re-translations within the miss budget", test_budget },
		{ "OpenFlow changes are never deferred", test_openflow_not_deferred },
	};

	if (fp_testbed_init(&dp, &cfg, "mac", N_PORTS, "", NULL, tx_count) < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	return cunit_run_suite("MAC churn", tests, CUNIT_N_TESTS(tests));
}
