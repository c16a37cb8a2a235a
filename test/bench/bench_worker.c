/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker-loop benchmark: what a worker iteration costs per packet around the
 * fast path, with real ports. Each iteration does what sl_worker_main does
 * for one rx queue: an rx burst from a net_null port (it makes the mbufs),
 * the rx accounting and capture hook, sl_fastpath_process (no rules: the
 * standalone switch's NORMAL floods to the other net_null port, megaflow
 * hits after the first packet), then sl_worker_flush_all (the tx capture
 * hook, the tx burst, which frees them).
 *
 * Its purpose is the cost of the capture hooks while no capture is armed
 * (issue 22: nothing measurable): the program is built twice, the second
 * time with SL_BENCH_NO_CAPTURE_HOOK, which compiles sl_capture_hook to
 * nothing in this file (the rx hook, and the tx hook of the end-of-iteration
 * flush; bursts are shorter than SL_BURST so that no tx burst happens
 * inside the fast-path library, which keeps its hook). Run the two in turn,
 * several rounds on a noisy machine, and compare:
 *   for i in 1 2 3 4 5; do bench_worker; bench_worker_nohook; done
 *
 * Cycles are this thread's CPU time at the TSC rate (time lost to other
 * processes not counted); prints the median and best of R runs.
 * usage: bench_worker [packets per run (4000000)] [runs (7)] [burst (24)]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "sl_capture.h"
#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_fastpath.h"
#include "sl_tables.h"
#include "sl_worker.h"
#include "sl_worker_tx.h"

static struct sl_datapath dp;
static struct sl_config cfg;

static uint64_t
thread_cycles(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)((double)((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) *
			  (double)rte_get_tsc_hz() / 1e9);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* @n packets through the worker's steps, in bursts of @burst: cycles per packet. */
static double
run(struct sl_fastpath *fp, uint64_t n, uint16_t burst)
{
	struct sl_worker *w = dp.workers[0];
	struct sl_port *in = dp.ports[0];
	struct rte_mbuf *pkts[SL_BURST];
	uint64_t t0 = thread_cycles(), done = 0;

	while (done < n) {
		uint16_t k;

		sl_fastpath_begin(fp, rte_rdtsc());
		k = sl_port_rx(in, 0, pkts, burst);
		if (k > 0) {
			done += k;
			w->acct[0].rx += k;
			sl_capture_hook(0, SL_CAPTURE_RX, pkts, k);
			sl_fastpath_process(fp, 0, pkts, k);
		}
		sl_worker_flush_all(w);
		sl_fastpath_end(fp, false);
	}
	return (double)(thread_cycles() - t0) / (double)done;
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0,1", "--no-huge", "-m", "512", "--no-pci",
			"--no-shconf", "--file-prefix=sl-bench-worker", "--log-level=warning", NULL };
	static const char text[] =
		"[switch]\nmain_lcore = 0\nworkers = 1\nmbufs_per_socket = 16384\n"
		"[openflow]\nlisten = none\n"
		"[port:in]\ntype = dpdk\ndevargs = net_null_bwin,size=64\nofport = 1\n"
		"[port:out]\ntype = dpdk\ndevargs = net_null_bwout\nofport = 2\n";
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 4000000;
	int runs = argc > 2 ? atoi(argv[2]) : 7;
	int burst = argc > 3 ? atoi(argv[3]) : 24;
	struct sl_fastpath_config fc = { .emc_inv_prob = 0, .emc_off = true };
	struct sl_fastpath *fp;
	char err[256] = "";
	double r[64];

	if (runs < 1 || runs > 64 || burst < 1 || burst >= SL_BURST || n < 1000) {
		fprintf(stderr, "usage: bench_worker [packets] [runs 1..64] [burst 1..%d]\n",
			SL_BURST - 1);
		return 2;
	}
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0 ||
	    sl_config_load_string(&cfg, text, "<bench>", err, sizeof(err)) < 0 ||
	    sl_datapath_init(&dp, &cfg) < 0 || sl_tables_init(&dp, NULL, NULL) < 0) {
		fprintf(stderr, "bench_worker: setup failed %s\n", err);
		return 1;
	}
	for (unsigned int p = 0; p < dp.n_ports; p++) {
		if (dp.ports[p] == NULL || dp.ports[p]->ops->start(dp.ports[p]) != 0)
			return 1;
		dp.ports[p]->started = true;
	}
	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	if (fp == NULL)
		return 1;
	run(fp, 100000, (uint16_t)burst); /* the megaflow made, caches warm */
	for (int i = 0; i < runs; i++)
		r[i] = run(fp, n, (uint16_t)burst);
	qsort(r, (size_t)runs, sizeof(r[0]), cmp_double);
	printf("bench_worker (capture hook %s): %d runs of %" PRIu64 " packets, bursts of %d: "
	       "cycles per packet median %.2f best %.2f\n",
#ifdef SL_BENCH_NO_CAPTURE_HOOK
	       "compiled out",
#else
	       "in, off",
#endif
	       runs, n, burst, r[runs / 2], r[0]);
	return 0;
}
