/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a worker hands a port's driver (sl_worker_tx.h): never a frame
 * longer than the port's MTU allows, shorter than an Ethernet header, in
 * more segments than the device chains, or refused by the driver's
 * tx_prepare. Each is dropped before the driver and counted under its own
 * name; the frames around it still go out, in order. Before the hardening
 * fix every frame went to the driver as it was.
 *
 * Runs without hugepages: net_null ports whose tx callback records what the
 * driver was given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "fp_testbed.h"
#include "sl_worker_tx.h"

#define N_PORTS 2
#define OUT 1 /* port index 1: ofport 2 */

static struct sl_datapath dp;
static struct sl_config cfg;
static uint32_t seen_len[64];
static unsigned int n_seen;

static uint16_t
tx_record(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	(void)port_id; (void)queue; (void)arg;
	for (uint16_t i = 0; i < n && n_seen < RTE_DIM(seen_len); i++)
		seen_len[n_seen++] = rte_pktmbuf_pkt_len(pkts[i]);
	return n;
}

/* A frame of @len bytes in @segs segments (the last holds the rest). */
static struct rte_mbuf *
frame(uint32_t len, unsigned int segs)
{
	struct rte_mbuf *head = NULL;

	for (unsigned int s = 0; s < segs; s++) {
		uint32_t part = s + 1 < segs ? len / segs : len - (len / segs) * (segs - 1);
		struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);

		if (m == NULL || rte_pktmbuf_append(m, (uint16_t)part) == NULL)
			abort();
		memset(rte_pktmbuf_mtod(m, void *), 0xab, part);
		if (head == NULL)
			head = m;
		else if (rte_pktmbuf_chain(head, m) != 0)
			abort();
	}
	return head;
}

static void
send_all(struct rte_mbuf **m, unsigned int n)
{
	struct sl_worker *w = dp.workers[0];

	n_seen = 0;
	for (unsigned int i = 0; i < n; i++)
		sl_worker_output(w, OUT, m[i]);
	sl_worker_flush_all(w);
}

static void
test_mtu_runt_segments(void)
{
	struct sl_port *p = dp.ports[OUT];
	struct sl_worker_stats now, *st = &now, before;
	unsigned int avail = rte_mempool_avail_count(dp.pools[0]);

	/* the testbed's ports have mtu = 9000; play a port of MTU 1500 */
	CU_ASSERT_EQUAL(p->max_frame, sl_port_max_frame(9000));
	p->max_frame = sl_port_max_frame(1500);
	p->max_segs = 2;
	struct rte_mbuf *m[] = {
		frame(64, 1),
		frame(sl_port_max_frame(1500), 2),     /* the longest that fits */
		frame(sl_port_max_frame(1500) + 1, 2), /* one byte too long */
		frame(13, 1),                          /* runt */
		frame(1000, 3),                        /* one segment too many */
		frame(60, 1),
	};
	sl_worker_stats_get(dp.workers[0], &before);
	send_all(m, RTE_DIM(m));
	sl_worker_stats_get(dp.workers[0], &now); /* drops from the accounting */
	CU_ASSERT_EQUAL(n_seen, 3);
	CU_ASSERT_EQUAL(seen_len[0], 64);
	CU_ASSERT_EQUAL(seen_len[1], sl_port_max_frame(1500));
	CU_ASSERT_EQUAL(seen_len[2], 60);
	CU_ASSERT_EQUAL(st->mtu_drops - before.mtu_drops, 1);
	CU_ASSERT_EQUAL(st->runt_drops - before.runt_drops, 1);
	CU_ASSERT_EQUAL(st->seg_drops - before.seg_drops, 1);
	CU_ASSERT_EQUAL(st->tx_packets - before.tx_packets, 3);
	CU_ASSERT_EQUAL(st->tx_dropped - before.tx_dropped, 0);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(dp.pools[0]), avail); /* nothing leaked */
	p->max_segs = UINT16_MAX;
	p->max_frame = sl_port_max_frame(9000);
}

/* A driver whose tx_prepare refuses frames of an odd length. */
static const struct sl_port_ops *real_ops;

static uint16_t
prepare_no_odd(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	(void)p; (void)q;
	for (uint16_t i = 0; i < n; i++)
		if (rte_pktmbuf_pkt_len(pkts[i]) % 2)
			return i;
	return n;
}

static void
test_tx_prepare(void)
{
	struct sl_port *p = dp.ports[OUT];
	struct sl_worker_stats now, *st = &now;
	uint64_t refused;
	struct sl_port_ops ops = *p->ops;

	sl_worker_stats_get(dp.workers[0], &now);
	refused = st->tx_prepare_drops;

	real_ops = p->ops;
	ops.tx_prepare = prepare_no_odd;
	p->ops = &ops;
	struct rte_mbuf *m[] = { frame(61, 1), frame(62, 1), frame(63, 1), frame(65, 1),
				 frame(64, 1) };
	send_all(m, RTE_DIM(m));
	p->ops = real_ops;
	sl_worker_stats_get(dp.workers[0], &now);
	CU_ASSERT_EQUAL(n_seen, 2);
	CU_ASSERT_EQUAL(seen_len[0], 62);
	CU_ASSERT_EQUAL(seen_len[1], 64);
	CU_ASSERT_EQUAL(st->tx_prepare_drops - refused, 3);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "over the MTU, runts, too many segments: dropped, counted", test_mtu_runt_segments },
		{ "tx_prepare refusals: dropped, counted, the rest sent", test_tx_prepare },
	};

	if (fp_testbed_init(&dp, &cfg, "txc", N_PORTS, "", NULL, tx_record) < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	return cunit_run_suite("tx checks", tests, CUNIT_N_TESTS(tests));
}
