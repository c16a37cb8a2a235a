/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cycles per packet of VXLAN decap and encap on 64-byte inner frames: the
 * work a worker adds to a megaflow hit for a packet that enters through, or
 * leaves by, a tunnel port (dataplane/tunnel, target <= 40 cycles each).
 *  decap: sl_vxlan_parse_mbuf + sl_tunnel_rx_match (8 tunnel ports, the
 *         match last) + sl_vxlan_strip, on a 114-byte IPv4 VXLAN frame;
 *  encap: sl_vxlan_inner_hash + sl_vxlan_encap (IPv4, DF; IPv6 separately:
 *         its UDP checksum reads the whole frame).
 * Bursts of 32 are timed with the TSC; the mbufs are put back between
 * bursts, untimed. Prints the median of R runs of N packets of the mean
 * per packet and, beside it, of the median burst's cost per packet.
 * On a shared machine the TSC also counts the time other tasks ran, which
 * lands on a few bursts (a time slice is hundreds of bursts): the median
 * burst is what a packet costs, the mean what this run got. Where the CPU
 * has counters, perf counts this task's cycles only: run one operation
 * alone and subtract the same run with no operation (the put-back work):
 *   perf stat -e cycles:u bench_tunnel N 1 decap|encap4|encap6|none
 * usage: bench_tunnel [N packets per run (2000000)] [R runs (7)] [only]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "sl_tunnel.h"
#include "sl_vxlan.h"
#include "tunnel_test_util.h"

#define BURST 32

static struct sl_tunnel_table tab;
static struct rte_mbuf *pk[BURST];
static const char *only; /* one operation (or "none") for perf stat */
static uint64_t *burst_cyc; /* one run's bursts, for their median */
static uint64_t n_burst;

/* One run's result: mean cycles per packet and the median burst's. */
struct run_res {
	double mean, burst;
};

static bool
doing(const char *op)
{
	return only == NULL || strcmp(only, op) == 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Close a run: its mean, and its median burst per packet. */
static struct run_res
run_end(uint64_t cycles, uint64_t done)
{
	struct run_res r = { (double)cycles / (double)done, 0 };

	qsort(burst_cyc, n_burst, sizeof(burst_cyc[0]), cmp_u64);
	r.burst = (double)burst_cyc[n_burst / 2] / BURST;
	n_burst = 0;
	return r;
}

static struct run_res
run_decap(uint64_t n, const uint8_t *frame, uint32_t len)
{
	uint64_t cycles = 0, done = 0;
	volatile uint32_t sink = 0;

	for (int i = 0; i < BURST; i++)
		pk[i] = tt_mbuf(frame, len, 0);
	while (done < n) {
		uint64_t t0 = rte_rdtsc();
		for (int i = 0; i < BURST && doing("decap"); i++) {
			const struct sl_tunnel_entry *e = NULL;
			struct sl_vxlan_outer o;
			if (sl_vxlan_parse_mbuf(pk[i], &o) != SL_TNL_OK ||
			    sl_tunnel_rx_match(&tab, 1, &o, &e) != SL_TNL_OK ||
			    sl_vxlan_strip(&pk[i], &o, tt_pool()) != SL_TNL_OK)
				abort();
			sink += e->slot;
		}
		burst_cyc[n_burst] = rte_rdtsc() - t0;
		cycles += burst_cyc[n_burst++];
		for (int i = 0; i < BURST && doing("decap"); i++) /* untimed: headers back */
			rte_pktmbuf_prepend(pk[i], SL_VXLAN_OUTER4_LEN);
		done += BURST;
	}
	for (int i = 0; i < BURST; i++)
		rte_pktmbuf_free(pk[i]);
	return run_end(cycles, done);
}

static struct run_res
run_encap(uint64_t n, const struct sl_vxlan_encap *e, const uint8_t *inner, const char *op)
{
	static const struct rte_ether_addr mac = { { 2, 0, 0, 0, 0, 9 } };
	uint64_t cycles = 0, done = 0;

	for (int i = 0; i < BURST; i++)
		pk[i] = tt_mbuf(inner, 64, 0);
	while (done < n) {
		uint64_t t0 = rte_rdtsc();
		for (int i = 0; i < BURST && doing(op); i++)
			if (sl_vxlan_encap(&pk[i], e, &mac, sl_vxlan_inner_hash(pk[i]), (uint16_t)i,
					   1500, tt_pool()) != SL_TNL_OK)
				abort();
		burst_cyc[n_burst] = rte_rdtsc() - t0;
		cycles += burst_cyc[n_burst++];
		for (int i = 0; i < BURST && doing(op); i++)
			rte_pktmbuf_adj(pk[i], e->len);
		done += BURST;
	}
	for (int i = 0; i < BURST; i++)
		rte_pktmbuf_free(pk[i]);
	return run_end(cycles, done);
}

/* One operation's line: the runs' means (median, min-max), their bursts' median. */
static void
report(const char *what, const struct run_res *r, int runs)
{
	double mean[64], burst[64];

	for (int i = 0; i < runs; i++) {
		mean[i] = r[i].mean;
		burst[i] = r[i].burst;
	}
	qsort(mean, (size_t)runs, sizeof(mean[0]), cmp_double);
	qsort(burst, (size_t)runs, sizeof(burst[0]), cmp_double);
	printf("  %s %6.1f (%.1f-%.1f)  burst %6.1f\n", what, mean[runs / 2], mean[0],
	       mean[runs - 1], burst[runs / 2]);
}

int
main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000000;
	int runs = argc > 2 ? atoi(argv[2]) : 7;
	only = argc > 3 ? argv[3] : NULL;
	static const struct rte_ether_addr smac = { { 2, 0, 0, 0, 0, 1 } };
	struct sl_ip_addr l4 = tt_ip("10.0.0.1"), r4 = tt_ip("10.0.0.2");
	struct sl_ip_addr l6 = tt_ip("2001:db8::1"), r6 = tt_ip("2001:db8::2");
	struct sl_vxlan_encap e4, e6, back;
	struct run_res d[64], en4[64], en6[64];
	uint8_t inner[64], frame[256];
	struct rte_mbuf *m;
	uint32_t flen;

	burst_cyc = malloc((n / BURST + 1) * sizeof(*burst_cyc));
	if (runs < 1 || runs > 64 || n < BURST || burst_cyc == NULL ||
	    tt_init("sl-bench-tunnel") != 0) {
		fprintf(stderr, "usage: bench_tunnel [packets per run] [runs 1..64]\n");
		return 2;
	}
	/* 8 ports on the VTEP; the frame's (remote 10.0.0.2, VNI 5) is the last */
	for (unsigned int i = 0; i < 8; i++) {
		struct sl_tunnel_params p = { .local = l4, .vni = 5, .dst_port = 4789 };
		p.remote = i == 7 ? r4 : tt_ip("10.0.0.9");
		if (i != 7)
			p.remote.addr[3] = (uint8_t)(100 + i);
		sl_tunnel_table_add(&tab, &p, (uint16_t)(10 + i), 1, 0);
	}
	tt_inner_frame(inner, 64, 1234);
	sl_vxlan_encap_init(&e4, &l4, &r4, 5, 4789, 64, true, &smac);
	sl_vxlan_encap_init(&e6, &l6, &r6, 5, 4789, 64, false, &smac);
	sl_vxlan_encap_init(&back, &r4, &l4, 5, 4789, 64, true, &smac); /* 10.0.0.2 -> .1 */
	m = tt_mbuf(inner, 64, 0);
	sl_vxlan_encap(&m, &back, &smac, 7, 0, 1500, tt_pool());
	flen = tt_flat(m, frame);
	rte_pktmbuf_free(m);
	for (int r = 0; r < runs; r++) {
		d[r] = run_decap(n, frame, flen);
		en4[r] = run_encap(n, &e4, inner, "encap4");
		en6[r] = run_encap(n, &e6, inner, "encap6");
	}
	printf("bench_tunnel: %d runs of %llu packets, 64-byte inner frames, cycles per packet "
	       "at %.2f GHz: median run's mean (min-max), median run's median burst\n", runs,
	       (unsigned long long)n, (double)rte_get_tsc_hz() / 1e9);
	report("decap IPv4 (parse, match among 8 ports, strip):", d, runs);
	report("encap IPv4 (inner hash, push, checksum):       ", en4, runs);
	report("encap IPv6 (inner hash, push, UDP checksum):   ", en6, runs);
	tt_fini();
	return 0;
}
