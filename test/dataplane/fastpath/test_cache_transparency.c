/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cache transparency at the datapath level: random rule sets and random
 * packets go through the real worker fast path (EMC + megaflow cache +
 * lazy revalidation + executor) and, packet by packet, through translation
 * and execution without any cache. The packets each port receives must be
 * the same, byte for byte and in order, also while rules change between
 * bursts. Rule counters must gain exactly the packets (and bytes) that
 * the reference translations say hit them. Rules may use NORMAL: the
 * worker's learn reports are applied between bursts (sl_learn_run), and the
 * caches must follow the MAC table through version bumps.
 *
 * Runs without hugepages (EAL --no-huge); output ports are net_null devices
 * whose tx callbacks record every packet the worker transmits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "cunit_main.h"
#include "test_rng.h"

#include "fp_random.h"
#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_tables.h"
#include "sl_execute.h"
#include "sl_fastpath.h"
#include "sl_learn.h"
#include "sl_mac_learning.h"
#include "sl_match.h"
#include "sl_pipeline.h"
#include "sl_worker_tx.h"
#include "sl_xlate.h"
#include "fp_testbed.h"

static void
one_round(struct sl_fastpath *fp, struct sl_xlate_result *xr, unsigned int n_pkts)
{
	struct sl_worker *w = dp.workers[0];
	struct rte_mbuf *burst[SL_BURST];

	memset(got, 0, sizeof(got));
	memset(want, 0, sizeof(want));
	expect_hits_reset();
	for (unsigned int done = 0; done < n_pkts; done += SL_BURST) {
		uint16_t in_idx = (uint16_t)rnd(N_PORTS);
		uint32_t in_port = dp.ports[in_idx]->params.ofport;

		for (unsigned int i = 0; i < SL_BURST; i++)
			burst[i] = random_packet_referenced(in_port, xr);
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, in_idx, burst, SL_BURST);
		collect_fastpath_output(w);
		/* NORMAL's learn reports reach the MAC table between bursts, so the
		 * reference of the next burst sees what the caches must revalidate to */
		sl_learn_run(&dp, now_ns());
		sl_fastpath_end(fp, false);
	}
	fp_testbed_idle(fp);
}

static void
test_transparency(void)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1, .emc_ungated = true,
					 .miss_budget = 1u << 20,
					 .emc_off = getenv("NOEMC") != NULL };
	struct sl_xlate_result *xr = calloc(1, sizeof(*xr));
	unsigned int checked = 0;
	uint64_t revals = 0, skipped = 0;

	for (unsigned int set = 0; set < 40; set++) {
		struct sl_fastpath *fp;
		struct sl_flow_mod del;

		rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
		memset(&del, 0, sizeof(del));
		del.command = OFPFC_DELETE;
		del.table_id = OFPTT_ALL;
		del.out_port = OFPP_ANY;
		del.out_group = OFPG_ANY;
		sl_match_init_catchall(&del.match);
		sl_pipeline_flow_mod(dp.pipeline, &del, NULL);
		for (unsigned int r = 0; r < 5 + rnd(30); r++)
			random_flow_mod(OFPFC_ADD);
		sl_pipeline_synchronize(dp.pipeline);
		rte_rcu_qsbr_thread_online(dp.qsbr, 0);
		fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		for (unsigned int round = 0; round < 8; round++) {
			uint64_t lk0, lk1, m0, m1;

			sl_pipeline_table_stats(dp.pipeline, 0, &lk0, &m0);
			one_round(fp, xr, 256);
			/* every packet is looked up in table 0 once by the reference
			 * translation and once by the fast path (translated or not) */
			sl_pipeline_table_stats(dp.pipeline, 0, &lk1, &m1);
			CU_ASSERT_EQUAL(lk1 - lk0, 2 * 256);
			if (lk1 - lk0 != 2 * 256)
				fprintf(stderr, "\n  table 0 lookups +%llu for 256 packets\n",
					(unsigned long long)(lk1 - lk0));
			CU_ASSERT_TRUE(captures_equal());
			CU_ASSERT_TRUE(rule_counters_exact());
			checked++;
			/* change rules under the caches: add, modify, delete */
			for (unsigned int c = 0; getenv("NOCHG") == NULL && c < 1 + rnd(3); c++)
				random_flow_mod((uint8_t)(rnd(3) == 0 ? OFPFC_DELETE :
							  rnd(2) ? OFPFC_MODIFY : OFPFC_ADD));
		}
		/* stale entries were hit: re-translated, or kept by the change log */
		CU_ASSERT(sl_fastpath_stats(fp)->revalidations +
			  sl_fastpath_stats(fp)->reval_skipped > 0 || set < 2);
		revals += sl_fastpath_stats(fp)->revalidations;
		skipped += sl_fastpath_stats(fp)->reval_skipped;
		sl_fastpath_destroy(fp);
	}
	/* both ways were taken: the captures above compared skipped entries too */
	CU_ASSERT(revals > 0);
	CU_ASSERT(skipped > 0);
	printf("(%llu re-translated, %llu kept by the change log) ",
	       (unsigned long long)revals, (unsigned long long)skipped);
	free(xr);
	{
		struct sl_mac_stats ms;

		sl_pipeline_mac_stats(dp.pipeline, &ms);
		CU_ASSERT(ms.learned > 0); /* NORMAL rules ran and the workers' reports arrived */
		printf("(%u rounds compared, %llu MACs learned, %llu moved) ", checked,
		       (unsigned long long)ms.learned, (unsigned long long)ms.moved);
	}
}

static int
setup(void)
{
	return fp_testbed_init(&dp, &cfg, "tc", N_PORTS, "", NULL, tx_capture);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "cache transparency under rule changes", test_transparency },
	};

	rng = test_rng_seed(rng);
	if (setup() < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	return cunit_run_suite("fast path", tests, CUNIT_N_TESTS(tests));
}
