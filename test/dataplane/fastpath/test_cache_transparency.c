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

		rules_replace(random_rules);
		fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		checked += random_rounds_compared(fp, xr, NULL, NULL);
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
