/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every packet's fate is counted (dataplane/worker/sl_drops.h), through the
 * real worker fast path: bursts of frames from port 1 that miss every table,
 * hit a rule with no actions, a FLOOD, an output, and a dec_ttl on TTL 1;
 * the counters per port and reason are exact, and rx + replicas = tx +
 * to_controller + drops. Then the live trace (sl_live_trace.h): an armed
 * port's next packets are reported with their classification, actions and
 * fate, the budget runs out, and nothing is reported unarmed.
 *
 * Runs without hugepages (EAL --no-huge); the ports are net_null devices
 * whose tx callbacks count what the worker transmits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "test_flow_mod.h"

#include "fp_testbed.h"
#include "sl_datapath.h"
#include "sl_drops.h"
#include "sl_fastpath.h"
#include "sl_live_trace.h"
#include "sl_tables.h"
#include "sl_worker_tx.h"

#define N_PORTS 3

static struct sl_datapath dp;
static struct sl_config cfg;
static unsigned int sent[N_PORTS + 1]; /* by ofport */

static uint16_t
tx_count(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	(void)port_id; (void)queue; (void)pkts;
	sent[(uintptr_t)arg] += n;
	return n;
}

/* A 64-byte frame of @ethertype; IPv4 gets a header with TTL 1. */
static struct rte_mbuf *
frame(uint16_t ethertype)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, 64) : NULL;

	if (p == NULL) {
		fprintf(stderr, "mempool empty\n");
		abort();
	}
	memset(p, 0, 64);
	memcpy(p, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01", 12);
	p[12] = (uint8_t)(ethertype >> 8);
	p[13] = (uint8_t)ethertype;
	if (ethertype == 0x0800) {
		static const uint8_t ip[] = { 0x45, 0, 0, 50, 0, 0, 0x40, 0, 1, 17, 0, 0,
					      10, 0, 0, 1, 10, 0, 0, 2 };

		memcpy(p + 14, ip, sizeof(ip));
	}
	return m;
}

static void
add_rule(uint16_t ethertype, const struct sl_action *acts, unsigned int n)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 10);
	uint16_t et = rte_cpu_to_be_16(ethertype);

	sl_match_set_oxm(&fm.match, OFPXMT_OFB_ETH_TYPE, &et, NULL, 2);
	fm.ins.apply = (struct sl_action *)(uintptr_t)acts;
	fm.ins.n_apply = n;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
}

/* The burst's ethertypes, in order. */
static const uint16_t kinds[] = { 0x88b5, 0x88b6, 0x88b8, 0x88b9, 0x0800 };
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static void
run_burst(struct sl_fastpath *fp, unsigned int n)
{
	struct rte_mbuf *burst[SL_BURST];

	for (unsigned int i = 0; i < n; i++)
		burst[i] = frame(kinds[i % N_KINDS]);
	dp.workers[0]->acct[0].rx += n; /* as the worker loop counts its rx burst */
	sl_fastpath_begin(fp, rte_rdtsc());
	sl_fastpath_process(fp, 0, burst, (uint16_t)n);
	sl_worker_flush_all(dp.workers[0]);
	sl_fastpath_end(fp, false);
}

static void
test_reasons_add_up(void)
{
	static const struct sl_action flood = { .type = OFPAT_OUTPUT,
						.output = { .port = OFPP_FLOOD } };
	static const struct sl_action out2 = { .type = OFPAT_OUTPUT, .output = { .port = 2 } };
	static const struct sl_action ttl[] = { { .type = OFPAT_DEC_NW_TTL },
						{ .type = OFPAT_OUTPUT, .output = { .port = 2 } } };
	struct sl_fastpath_config fc = { .emc_inv_prob = 1 };
	struct sl_acct_balance bal = { 0 };
	const struct sl_worker *w = dp.workers[0];
	uint64_t r[SL_DROP_ALL];
	struct sl_fastpath *fp;
	const unsigned int rounds = 4, per = N_KINDS * 6; /* 30 packets, 6 of each */

	add_rule(0x88b6, NULL, 0);
	add_rule(0x88b8, &flood, 1);
	add_rule(0x88b9, &out2, 1);
	add_rule(0x0800, ttl, 2);
	sl_pipeline_synchronize(dp.pipeline);
	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	for (unsigned int i = 0; i < rounds; i++)
		run_burst(fp, per);
	fp_testbed_idle(fp);

	sl_drop_reasons(&w->acct[0], r);
	CU_ASSERT_EQUAL(w->acct[0].rx, rounds * per);
	CU_ASSERT_EQUAL(r[SL_DROP_TABLE_MISS], rounds * 6);
	CU_ASSERT_EQUAL(r[SL_DROP_EXPLICIT], rounds * 6);
	CU_ASSERT_EQUAL(r[SL_DROP_N + SL_DROP_X_TTL], rounds * 6);
	/* the flood: ports 2 and 3 (not the ingress), one replica each */
	CU_ASSERT_EQUAL(sl_acct_replicas(&w->acct[0]), rounds * 6);
	CU_ASSERT_EQUAL(w->acct[1].tx, rounds * 12);
	CU_ASSERT_EQUAL(w->acct[2].tx, rounds * 6);
	CU_ASSERT_EQUAL(sent[2], rounds * 12);
	CU_ASSERT_EQUAL(sent[3], rounds * 6);
	for (unsigned int s = 0; s < SL_ACCT_SLOTS; s++)
		sl_acct_balance_add(&w->acct[s], &bal);
	CU_ASSERT_EQUAL(bal.rx + bal.replicas, bal.tx + bal.to_controller + bal.drops);
	CU_ASSERT_EQUAL(bal.drops, rounds * 18);
	printf("(rx %llu replicas %llu tx %llu drops %llu) ", (unsigned long long)bal.rx,
	       (unsigned long long)bal.replicas, (unsigned long long)bal.tx,
	       (unsigned long long)bal.drops);
	sl_fastpath_destroy(fp);
}

static void
test_live_trace(void)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1 };
	struct sl_live_trace_rec recs[SL_LIVE_TRACE_MAX];
	struct sl_fastpath *fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	unsigned int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	/* unarmed: nothing reported */
	run_burst(fp, N_KINDS);
	CU_ASSERT_EQUAL(sl_live_trace_collect(recs, SL_LIVE_TRACE_MAX), 0);
	CU_ASSERT_EQUAL_FATAL(sl_live_trace_arm(0, 7), 0);
	CU_ASSERT_FALSE(sl_live_trace_armed(1));
	/* the first 7 of two bursts of 5: all of the first, 2 of the second */
	run_burst(fp, N_KINDS);
	run_burst(fp, N_KINDS);
	CU_ASSERT_FALSE(sl_live_trace_armed(0));
	n = sl_live_trace_collect(recs, SL_LIVE_TRACE_MAX);
	CU_ASSERT_EQUAL_FATAL(n, 7);
	for (unsigned int i = 0; i < n; i++) {
		const struct sl_live_trace_rec *t = &recs[i];
		uint16_t et = rte_be_to_cpu_16(t->key.eth_type);

		CU_ASSERT_EQUAL(et, kinds[i % N_KINDS]);
		CU_ASSERT_EQUAL(t->in_idx, 0);
		CU_ASSERT_EQUAL(t->len, 64);
		/* the entries were made by the unarmed burst: cache hits */
		CU_ASSERT(t->path == SL_LT_EMC || t->path == SL_LT_MEGAFLOW);
		switch (et) {
		case 0x88b5:
			CU_ASSERT_EQUAL(t->drop_reason, 1 + SL_DROP_TABLE_MISS);
			break;
		case 0x88b6:
			CU_ASSERT_EQUAL(t->drop_reason, 1 + SL_DROP_EXPLICIT);
			break;
		case 0x88b8:
			CU_ASSERT_EQUAL(t->n_outs, 1);
			CU_ASSERT_EQUAL(t->outs[0], OFPP_FLOOD);
			CU_ASSERT_EQUAL(t->drop_reason, 0);
			break;
		case 0x88b9:
			CU_ASSERT_EQUAL(t->n_outs, 1);
			CU_ASSERT_EQUAL(t->outs[0], 2);
			CU_ASSERT_EQUAL(t->drop_reason, 0);
			break;
		default:
			CU_ASSERT_EQUAL(t->n_outs, 0);
			CU_ASSERT_EQUAL(t->drop_reason, 1 + SL_DROP_N + SL_DROP_X_TTL);
		}
	}
	/* a new flow while armed: a miss, translated on the worker (inline) */
	CU_ASSERT_EQUAL_FATAL(sl_live_trace_arm(0, 1), 0);
	{
		struct rte_mbuf *m = frame(0x88bb); /* no entry has this ethertype */

		dp.workers[0]->acct[0].rx++;
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, 0, &m, 1);
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false);
	}
	CU_ASSERT_EQUAL_FATAL(sl_live_trace_collect(recs, SL_LIVE_TRACE_MAX), 1);
	CU_ASSERT_EQUAL(recs[0].path, SL_LT_TRANSLATED);
	CU_ASSERT_EQUAL(recs[0].n_acts, 0);
	CU_ASSERT_EQUAL(recs[0].drop_reason, 1 + SL_DROP_TABLE_MISS);
	/* every mark was taken off what left */
	CU_ASSERT_EQUAL(sl_live_trace.lost, 0);
	fp_testbed_idle(fp);
	sl_fastpath_destroy(fp);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "drop reasons and the identity", test_reasons_add_up },
		{ "live trace", test_live_trace },
	};

	if (fp_testbed_init(&dp, &cfg, "h4acct", N_PORTS, "miss_handling = inline\n", NULL,
			    tx_count) < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	return cunit_run_suite("fast path accounting and live trace", tests, CUNIT_N_TESTS(tests));
}
