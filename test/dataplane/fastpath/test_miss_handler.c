/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Miss handling in handler mode (sl_miss_handler.h): the worker fast path sends
 * its misses to a handler thread (a pthread registered as an RCU reader of
 * the workers' QSBR, as in the benchmark) and installs and runs what comes
 * back at the start of its next iteration.
 *
 * 1. Transparency: random rule sets and random packets go through the fast
 *    path in handler mode and, packet by packet, through translation and
 *    execution without caches. Each port must receive the same packets
 *    (as a multiset: a missed packet now leaves after the hits of its burst),
 *    rule counters must gain exactly the reference's packets and bytes, and
 *    table 0 must count each packet exactly once, while rules change between
 *    rounds and NORMAL learns MACs between bursts.
 * 2. Stale returns: records translated at version V come back after the
 *    rule they hit was modified; the worker must not use their handles but
 *    translate again: the packets follow the new actions, the rule counts
 *    each once, and table 0 counts each lookup once (the handler's
 *    translation counts none).
 * 3. A full pool drops and counts (the worker never waits) with spilling
 *    off; with it on (the default), a miss whose flow has no record out is
 *    translated by the worker, one whose flow has is dropped (it would
 *    overtake that record), and every counter stays exact.
 * 4. Handles the worker does not cache go back with their record (the
 *    spare) and the handler compiles the next translation into them, so
 *    that the thread that allocates handles is the one that frees them.
 * 5. A new flow's packets that miss before its megaflow exists park behind
 *    its record (up to SL_MISS_PARK each), leave in arrival order with
 *    its translation, and are counted; consecutive records of one flow
 *    share one translation at the handler. Tests 2-4 turn parking off:
 *    they need one record per miss.
 */
#include <pthread.h>
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
#include "test_flow_mod.h"

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
#include "sl_miss_handler.h"
#include "sl_worker_tx.h"
#include "sl_xlate.h"
#include "fp_testbed.h"

static struct sl_miss_channel *chan;
static struct sl_miss_handler *handler;
static volatile bool handler_stop;

static int
cmp_pkt(const void *a, const void *b)
{
	return memcmp(a, b, 130);
}

/* Sort each port's packets: handler mode keeps per-flow order only. */
static void
sort_captures(struct capture *c)
{
	static uint8_t tmp[MAX_OUT][130];

	for (int p = 0; p <= N_PORTS; p++) {
		for (unsigned int k = 0; k < c[p].n; k++) {
			memset(tmp[k], 0, 130);
			memcpy(tmp[k], &c[p].len[k], 2);
			memcpy(tmp[k] + 2, c[p].data[k], RTE_MIN(c[p].len[k], 128));
		}
		qsort(tmp, c[p].n, 130, cmp_pkt);
		for (unsigned int k = 0; k < c[p].n; k++) {
			memcpy(&c[p].len[k], tmp[k], 2);
			memset(c[p].data[k], 0, 128);
			memcpy(c[p].data[k], tmp[k] + 2, RTE_MIN(c[p].len[k], 128));
		}
	}
}

static void
sort_both(void)
{
	sort_captures(got);
	sort_captures(want);
}

/* Let the worker install and run everything the handler sent back. */
static void
drain_all(struct sl_fastpath *fp)
{
	while (sl_miss_in_flight(chan) != 0) {
		sl_fastpath_begin(fp, rte_rdtsc());
		collect_fastpath_output(dp.workers[0]);
	}
}

/* A fast path on worker 0 whose drop counts start from 0 (the worker's
 * accounting, where drops are counted, outlives each case's fast path). */
static struct sl_fastpath *
fresh_fastpath(const struct sl_fastpath_config *fc)
{
	memset(dp.workers[0]->acct, 0, sizeof(dp.workers[0]->acct));
	return sl_fastpath_create(dp.workers[0], dp.pipeline, fc);
}

static void
test_transparency(void)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1, .emc_ungated = true,
					 .miss_budget = 1u << 20,
					 .emc_off = getenv("NOEMC") != NULL, .miss_channel = chan };
	struct sl_xlate_result *xr = calloc(1, sizeof(*xr));
	unsigned int checked = 0;
	uint64_t handler_sent = 0, skipped = 0;

	for (unsigned int set = 0; set < 40; set++) {
		struct sl_fastpath *fp;

		rules_replace(random_rules);
		fp = fresh_fastpath(&fc);
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		/* the reference translated at this MAC table: every miss comes
		 * back and runs before the learn reports change it (drain_all);
		 * handler mode keeps per-flow order only (sort_both) */
		checked += random_rounds_compared(fp, xr, drain_all, sort_both);
		/* stale entries were hit: re-translated, or kept by the change log */
		CU_ASSERT(sl_fastpath_stats(fp)->revalidations +
			  sl_fastpath_stats(fp)->reval_skipped > 0 || set < 2);
		skipped += sl_fastpath_stats(fp)->reval_skipped;
		/* every miss went to the handler, none was dropped or translated inline */
		CU_ASSERT_EQUAL(sl_fastpath_drops(fp, SL_DROP_MISS_HANDLER), 0);
		CU_ASSERT_EQUAL(sl_fastpath_stats(fp)->handler_returns, sl_fastpath_stats(fp)->handler_sent);
		CU_ASSERT_EQUAL(sl_fastpath_stats(fp)->translations,
				sl_fastpath_stats(fp)->revalidations +
				sl_fastpath_stats(fp)->stale_returns);
		handler_sent += sl_fastpath_stats(fp)->handler_sent;
		sl_fastpath_destroy(fp);
	}
	free(xr);
	{
		struct sl_mac_stats ms;

		sl_pipeline_mac_stats(dp.pipeline, &ms);
		CU_ASSERT(ms.learned > 0); /* NORMAL rules ran and the workers' reports arrived */
		CU_ASSERT(handler_sent > 0);
		CU_ASSERT(skipped > 0); /* the change log kept some stale entries */
		printf("(%u rounds compared, %llu handler_sent, %llu MACs learned, %llu kept by "
		       "the change log) ", checked, (unsigned long long)handler_sent,
		       (unsigned long long)ms.learned, (unsigned long long)skipped);
	}
}

static int
setup(void)
{
	if (fp_testbed_init(&dp, &cfg, "misshandler", N_PORTS, "", NULL, tx_capture) < 0)
		return -1;
	/* the datapath's own channel (miss_handling = handler, the default) */
	chan = dp.workers[0]->miss_channel;
	handler = sl_miss_handler_create(&dp);
	return chan && handler ? 0 : -1;
}

/* The handler thread: a reader of the workers' QSBR that reports
 * quiescence only between passes. */
static void *
handler_main(void *arg)
{
	sl_miss_handler_loop(arg, &handler_stop);
	return NULL;
}

static void
test_threaded(void)
{
	pthread_t t;

	handler_stop = false;
	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, handler_main, handler), 0);
	test_transparency();
	handler_stop = true;
	pthread_join(t, NULL);
	CU_ASSERT(handler->stats.translations > 0);
}

/* Table 0: one catch-all rule that outputs to @port (ADD, or MODIFY). */
static void
catchall_rule(uint8_t cmd, uint32_t port)
{
	struct sl_action out = { .type = OFPAT_OUTPUT, .output = { .port = port } };
	struct sl_flow_mod fm = fm_new(cmd, 0, 10);

	fm.ins.n_apply = 1;
	fm.ins.apply = &out;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
}

/* Packets of the burst(s) that went through the catch-all rule. */
static uint64_t
catchall_packets(struct sl_xlate_result *xr)
{
	struct sl_flow_key key;
	struct sl_rule_counts c;

	memset(&key, 0, sizeof(key));
	key.in_port = 1;
	sl_xlate(dp.pipeline, &key, xr);
	if (xr->n_rules != 1)
		return UINT64_MAX;
	sl_rule_get_counts(xr->rules[0], &c);
	return c.packets;
}

static void
add_catchall(void)
{
	catchall_rule(OFPFC_ADD, 2);
}

static void
reset_rules(void)
{
	rules_replace(add_catchall);
}

/* The catch-all rule alone (its packets so far in *@before) and a new fast
 * path: an empty cache, empty captures. */
static struct sl_fastpath *
fresh_case(const struct sl_fastpath_config *fc, struct sl_xlate_result *xr, uint64_t *before)
{
	struct sl_fastpath *fp;

	reset_rules();
	*before = catchall_packets(xr);
	fp = fresh_fastpath(fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	memset(got, 0, sizeof(got));
	return fp;
}

/* @bursts bursts of misses queued with no handler running; then the rule
 * changes to output:3, the handler (this thread) translates, and the worker
 * drains. Returns the fast path for the caller's checks. */
static struct sl_fastpath *
queue_then_modify(unsigned int bursts, uint64_t *lookups)
{
	struct sl_fastpath_config fc = { .emc_off = true, .miss_channel = chan, .no_spill = true };
	struct sl_fastpath *fp = fresh_fastpath(&fc);
	struct rte_mbuf *burst[SL_BURST];
	uint64_t lk0, lk1, m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	memset(got, 0, sizeof(got));
	sl_pipeline_table_stats(dp.pipeline, 0, &lk0, &m);
	for (unsigned int b = 0; b < bursts; b++) {
		for (unsigned int i = 0; i < SL_BURST; i++)
			burst[i] = random_packet();
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, 0, burst, SL_BURST);
		collect_fastpath_output(dp.workers[0]);
	}
	sl_miss_handle(handler, chan, SL_MISS_RECORDS); /* at the old version */
	catchall_rule(OFPFC_MODIFY, 3);
	drain_all(fp);
	sl_pipeline_table_stats(dp.pipeline, 0, &lk1, &m);
	*lookups = lk1 - lk0;
	return fp;
}

static void
test_stale_returns(void)
{
	struct sl_xlate_result *xr = calloc(1, sizeof(*xr));
	const struct sl_fastpath_stats *st;
	struct sl_fastpath *fp;
	uint64_t lookups, before;

	chan->park_max = 0; /* one record per miss */

	reset_rules();
	before = catchall_packets(xr);
	fp = queue_then_modify(1, &lookups);
	st = sl_fastpath_stats(fp);
	CU_ASSERT_EQUAL(st->handler_sent, SL_BURST);
	CU_ASSERT_EQUAL(st->stale_returns, SL_BURST);
	/* the old handles (output:2) were not used */
	CU_ASSERT_EQUAL(got[2].n, 0);
	CU_ASSERT_EQUAL(got[3].n, SL_BURST);
	CU_ASSERT_EQUAL(catchall_packets(xr) - before, SL_BURST);
	/* one lookup per packet: the handler's translations count none */
	CU_ASSERT_EQUAL(lookups, SL_BURST);
	sl_fastpath_destroy(fp);
	free(xr);
	chan->park_max = SL_MISS_PARK;
}

static void
test_pool_full(void)
{
	struct sl_xlate_result *xr = calloc(1, sizeof(*xr));
	const struct sl_fastpath_stats *st;
	struct sl_fastpath *fp;
	unsigned int bursts = SL_MISS_RECORDS / SL_BURST + 4;
	uint64_t lookups, before;

	chan->park_max = 0; /* one record per miss */

	reset_rules();
	before = catchall_packets(xr);
	fp = queue_then_modify(bursts, &lookups);
	st = sl_fastpath_stats(fp);
	CU_ASSERT_EQUAL(st->handler_sent, SL_MISS_RECORDS);
	CU_ASSERT_EQUAL(sl_fastpath_drops(fp, SL_DROP_MISS_HANDLER), bursts * SL_BURST - SL_MISS_RECORDS);
	CU_ASSERT_EQUAL(st->handler_returns, SL_MISS_RECORDS);
	CU_ASSERT_EQUAL(got[3].n, SL_MISS_RECORDS);
	CU_ASSERT_EQUAL(catchall_packets(xr) - before, SL_MISS_RECORDS);
	/* dropped packets were looked up in no table */
	CU_ASSERT_EQUAL(lookups, SL_MISS_RECORDS);
	sl_fastpath_destroy(fp);
	free(xr);
	/* every mbuf came back (none leaked in the channel) */
	CU_ASSERT_EQUAL(rte_mempool_in_use_count(dp.pools[0]), 0);
	chan->park_max = SL_MISS_PARK;
}

/* Flow hash slot (sl_miss_flow_slot) of @m's flow as the worker on port index 0 parses it. */
static uint16_t
flow_slot_of(const struct rte_mbuf *m)
{
	struct sl_flow_key key;
	struct sl_pkt_layout lay;

	sl_flow_parse_mbuf(m, dp.ports[0]->params.ofport, dp.ports[0]->params.ofport, 0, &key,
			   &lay);
	return sl_miss_flow_slot(&key);
}

/* One burst of copies of @proto through the fast path. */
static void
burst_of_copies(struct sl_fastpath *fp, const struct rte_mbuf *proto)
{
	struct rte_mbuf *burst[SL_BURST];

	for (unsigned int i = 0; i < SL_BURST; i++) {
		burst[i] = rte_pktmbuf_copy(proto, dp.pools[0], 0, UINT32_MAX);
		CU_ASSERT_PTR_NOT_NULL_FATAL(burst[i]);
	}
	sl_fastpath_begin(fp, rte_rdtsc());
	sl_fastpath_process(fp, 0, burst, SL_BURST);
	collect_fastpath_output(dp.workers[0]);
}

static void
test_spill(void)
{
	struct sl_fastpath_config fc = { .emc_off = true, .miss_channel = chan };
	struct sl_xlate_result *xr = calloc(1, sizeof(*xr));
	const struct sl_fastpath_stats *st;
	struct sl_fastpath *fp;
	struct rte_mbuf *p = random_packet(), *q = random_packet();
	uint64_t before, lk0, lk1, m;
	unsigned int bursts = SL_MISS_RECORDS / SL_BURST;

	chan->park_max = 0; /* one record per miss */

	/* q: another flow, in another slot than p's */
	while (flow_slot_of(q) == flow_slot_of(p)) {
		rte_pktmbuf_free(q);
		q = random_packet();
	}
	fp = fresh_case(&fc, xr, &before);
	st = sl_fastpath_stats(fp);
	sl_pipeline_table_stats(dp.pipeline, 0, &lk0, &m); /* after catchall_packets() */
	/* the whole pool out at the (stopped) handler, all of flow p */
	for (unsigned int b = 0; b < bursts; b++)
		burst_of_copies(fp, p);
	CU_ASSERT_EQUAL(st->handler_sent, SL_MISS_RECORDS);
	CU_ASSERT(sl_miss_full(chan));
	/* more of p: translating them here would overtake p's records */
	burst_of_copies(fp, p);
	CU_ASSERT_EQUAL(st->handler_spills, 0);
	CU_ASSERT_EQUAL(sl_fastpath_drops(fp, SL_DROP_MISS_HANDLER), SL_BURST);
	CU_ASSERT_EQUAL(got[2].n, 0);
	/* q has nothing out: its first packet is translated here (the
	 * catch-all's megaflow then serves the rest of the burst) */
	burst_of_copies(fp, q);
	CU_ASSERT_EQUAL(st->handler_spills, 1);
	CU_ASSERT_EQUAL(sl_fastpath_drops(fp, SL_DROP_MISS_HANDLER), SL_BURST);
	CU_ASSERT_EQUAL(st->handler_sent, SL_MISS_RECORDS);
	CU_ASSERT_EQUAL(got[2].n, SL_BURST);
	/* the handler catches up: p's records are installed and forwarded */
	sl_miss_handle(handler, chan, SL_MISS_RECORDS);
	drain_all(fp);
	CU_ASSERT_EQUAL(st->handler_returns, SL_MISS_RECORDS);
	CU_ASSERT_EQUAL(got[2].n, SL_BURST + SL_MISS_RECORDS);
	/* exact counters: every forwarded packet once, the dropped ones never
	 * (table stats first: catchall_packets() translates, which counts) */
	sl_pipeline_table_stats(dp.pipeline, 0, &lk1, &m);
	CU_ASSERT_EQUAL(lk1 - lk0, SL_BURST + SL_MISS_RECORDS);
	CU_ASSERT_EQUAL(catchall_packets(xr) - before, SL_BURST + SL_MISS_RECORDS);
	for (unsigned int i = 0; i < SL_MISS_FLOW_SLOTS; i++)
		CU_ASSERT_EQUAL_FATAL(chan->flow_out[i], 0);
	sl_fastpath_destroy(fp);
	rte_pktmbuf_free(p);
	rte_pktmbuf_free(q);
	free(xr);
	CU_ASSERT_EQUAL(rte_mempool_in_use_count(dp.pools[0]), 0);
	chan->park_max = SL_MISS_PARK;
}

static void
test_parking(void)
{
	struct sl_fastpath_config fc = { .emc_off = true, .miss_channel = chan };
	struct sl_xlate_result *xr = calloc(1, sizeof(*xr));
	const struct sl_fastpath_stats *st;
	struct rte_mbuf *p = random_packet(), *burst[SL_BURST];
	struct sl_fastpath *fp;
	uint64_t before, t0, r0, lk0, lk1, m;
	uint16_t len0 = (uint16_t)rte_pktmbuf_pkt_len(p);

	fp = fresh_case(&fc, xr, &before);
	st = sl_fastpath_stats(fp);
	sl_pipeline_table_stats(dp.pipeline, 0, &lk0, &m);
	t0 = handler->stats.translations;
	r0 = handler->stats.reused;
	/* one burst of one flow, copy k with k bytes of padding after the
	 * frame (not in the key): the length tells the order on the wire */
	for (unsigned int k = 0; k < SL_BURST; k++) {
		burst[k] = rte_pktmbuf_copy(p, dp.pools[0], 0, UINT32_MAX);
		CU_ASSERT_PTR_NOT_NULL_FATAL(burst[k]);
		if (k)
			memset(rte_pktmbuf_append(burst[k], (uint16_t)k), 0, k);
	}
	sl_fastpath_begin(fp, rte_rdtsc());
	sl_fastpath_process(fp, 0, burst, SL_BURST);
	collect_fastpath_output(dp.workers[0]);
	/* two records, the other 30 copies parked behind them */
	CU_ASSERT_EQUAL(st->handler_sent, 2);
	CU_ASSERT_EQUAL(st->handler_parked, SL_BURST - 2);
	CU_ASSERT_EQUAL(sl_miss_in_flight(chan), 2);
	sl_miss_handle(handler, chan, SL_MISS_RECORDS);
	CU_ASSERT_EQUAL(handler->stats.translations - t0, 1);
	CU_ASSERT_EQUAL(handler->stats.reused - r0, 1);
	drain_all(fp);
	CU_ASSERT_EQUAL_FATAL(got[2].n, SL_BURST);
	for (unsigned int k = 0; k < SL_BURST; k++)
		CU_ASSERT_EQUAL(got[2].len[k], len0 + k);
	/* every copy counted once: by the rule and by table 0 */
	sl_pipeline_table_stats(dp.pipeline, 0, &lk1, &m);
	CU_ASSERT_EQUAL(lk1 - lk0, SL_BURST);
	CU_ASSERT_EQUAL(catchall_packets(xr) - before, SL_BURST);
	CU_ASSERT_EQUAL(chan->n_parked, 0);
	sl_fastpath_destroy(fp);

	/* A flow that keeps coming while the handler is stopped: parking
	 * stops at SL_MISS_PARKED_MAX for the channel, then each miss takes
	 * a record until the pool is full: the mbufs held stay bounded. */
	fp = fresh_fastpath(&fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	st = sl_fastpath_stats(fp);
	memset(got, 0, sizeof(got));
	for (unsigned int b = 0; b < (SL_MISS_RECORDS + SL_MISS_PARKED_MAX) / SL_BURST; b++)
		burst_of_copies(fp, p);
	CU_ASSERT_EQUAL(st->handler_parked, SL_MISS_PARKED_MAX);
	CU_ASSERT_EQUAL(chan->n_parked, SL_MISS_PARKED_MAX);
	CU_ASSERT_EQUAL(st->handler_sent, SL_MISS_RECORDS);
	CU_ASSERT(sl_miss_full(chan));
	CU_ASSERT_EQUAL(sl_fastpath_drops(fp, SL_DROP_MISS_HANDLER), 0);
	sl_miss_handle(handler, chan, SL_MISS_RECORDS);
	drain_all(fp);
	CU_ASSERT_EQUAL(got[2].n, SL_MISS_RECORDS + SL_MISS_PARKED_MAX);
	CU_ASSERT_EQUAL(chan->n_parked, 0);
	sl_fastpath_destroy(fp);
	rte_pktmbuf_free(p);
	free(xr);
	CU_ASSERT_EQUAL(rte_mempool_in_use_count(dp.pools[0]), 0);
}

/* The spares of the last @n records the worker recycled (the top of its
 * free list: the records the next handler_sent take). */
static unsigned int
recent_spares(void **spares, unsigned int n)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < n; i++) {
		void *sp = chan->free_list[chan->n_free - 1 - i]->spare;

		if (sp != NULL)
			spares[k++] = sp;
	}
	return k;
}

static void
test_spare_handles(void)
{
	struct sl_fastpath_config fc = { .emc_off = true, .miss_channel = chan, .no_spill = true };
	struct sl_miss_rec *recs[SL_BURST];
	struct rte_mbuf *burst[SL_BURST];
	void *spares[SL_BURST];
	unsigned int n_spares = 0;

	chan->park_max = 0; /* one record per miss */

	reset_rules();
	for (int round = 0; round < 2; round++) {
		/* a fresh cache each round: the same packets miss again */
		struct sl_fastpath *fp = fresh_fastpath(&fc);
		unsigned int n, reused = 0;

		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		memset(got, 0, sizeof(got));
		for (unsigned int i = 0; i < SL_BURST; i++)
			burst[i] = random_packet();
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, 0, burst, SL_BURST);
		collect_fastpath_output(dp.workers[0]);
		sl_miss_handle(handler, chan, SL_MISS_RECORDS);
		/* look at what the handler sent back, then put it back in order */
		n = sl_miss_answers(chan, recs, SL_BURST);
		CU_ASSERT_EQUAL(n, SL_BURST);
		for (unsigned int i = 0; i < n; i++) {
			CU_ASSERT_PTR_NULL(recs[i]->spare);
			for (unsigned int k = 0; k < n_spares; k++)
				reused += recs[i]->handle == spares[k];
		}
		CU_ASSERT_EQUAL(rte_ring_sp_enqueue_bulk(chan->to_worker, (void **)recs, n, NULL), n);
		drain_all(fp);
		CU_ASSERT_EQUAL(got[2].n, SL_BURST);
		/* round 2 took the same records (the free list is a stack) and
		 * compiled into every spare round 1 left in them */
		CU_ASSERT_EQUAL(reused, round == 0 ? 0 : n_spares);
		/* the catch-all is one megaflow: the first handle is cached, the
		 * other translations found it cached and went back as spares */
		n_spares = recent_spares(spares, SL_BURST);
		CU_ASSERT_EQUAL(n_spares, SL_BURST - 1);
		sl_fastpath_destroy(fp);
	}
	CU_ASSERT_EQUAL(rte_mempool_in_use_count(dp.pools[0]), 0);
	chan->park_max = SL_MISS_PARK;
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "handler thread: transparency and exact counters", test_threaded },
		{ "stale handler_returns are translated again", test_stale_returns },
		{ "full pool: drops counted, nothing leaks", test_pool_full },
		{ "full pool: spills that keep flow order, exact counters", test_spill },
		{ "handles not cached go back to the handler and are reused", test_spare_handles },
		{ "a new flow's misses park behind its record, in order, counted", test_parking },
	};
	int rc;

	rng = test_rng_seed(rng);
	if (setup() < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	rc = cunit_run_suite("fast path", tests, CUNIT_N_TESTS(tests));
	/* The channel's records keep spare handles in DPDK memory, which the
	 * leak checker does not scan: tear down so that they are freed. */
	sl_miss_handler_destroy(handler);
	sl_datapath_stop(&dp, NULL);
	return rc;
}
