/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Meter benchmark (prints numbers, asserts nothing).
 *   bench_meter [max_threads] [seconds_per_case]
 * For 1..max_threads threads, each thread meters bursts of 32 packets taking
 * one clock reading per burst (as a worker does per poll iteration), either
 * packet by packet (sl_meter_apply) or per burst (sl_meter_apply_burst), on
 * one shared meter or on a meter of its own.  Reported: total Mpps and ns
 * per packet per thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_meter.h"

#define BURST 32
#define MAX_THREADS 64

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct worker {
	pthread_t th;
	struct sl_meter *meter;
	int use_burst;
	double seconds;
	pthread_barrier_t *start;
	uint64_t packets, dropped, elapsed_ns;
};

static void *
run(void *p)
{
	struct worker *w = p;
	uint32_t lens[BURST];
	struct sl_meter_verdict v[BURST];
	uint64_t t0, t, end;

	for (int i = 0; i < BURST; i++)
		lens[i] = 64 + (uint32_t)(i * 97 % 1455);
	pthread_barrier_wait(w->start);
	t0 = now_ns();
	end = t0 + (uint64_t)(w->seconds * 1e9);
	do {
		for (int rep = 0; rep < 64; rep++) {
			t = now_ns();
			if (w->use_burst) {
				w->dropped += sl_meter_apply_burst(w->meter, t, lens, BURST, v);
			} else {
				for (int i = 0; i < BURST; i++)
					w->dropped += sl_meter_apply(w->meter, t, lens[i]).action ==
						      SL_METER_DROP;
			}
			w->packets += BURST;
		}
		t = now_ns();
	} while (t < end);
	w->elapsed_ns = t - t0;
	return NULL;
}

static struct sl_meter *
new_meter(int n_bands, int conforming)
{
	/* overload: rates well below what one core offers, buckets run empty
	 * and most packets fire a band (no bucket write); conforming: rates so
	 * high that every packet passes (every packet writes each bucket).
	 * STATS on (the costly case). */
	struct sl_meter_band bands[3] = {
		{ .type = OFPMBT_DROP, .rate = 1000000, .burst_size = 1000 },
		{ .type = OFPMBT_DSCP_REMARK, .prec_level = 1, .rate = 500000, .burst_size = 500 },
		{ .type = OFPMBT_DSCP_REMARK, .prec_level = 2, .rate = 800000, .burst_size = 800 },
	};
	struct sl_meter_mod mm = { .command = OFPMC_ADD, .meter_id = 1,
				   .flags = OFPMF_KBPS | OFPMF_BURST | OFPMF_STATS,
				   .n_bands = (uint16_t)n_bands, .bands = bands };
	uint16_t err;
	struct sl_meter *m;

	for (int i = 0; conforming && i < 3; i++)
		bands[i].rate = bands[i].burst_size = UINT32_MAX;
	m = sl_meter_create(&mm, now_ns(), &err);

	if (m == NULL) {
		fprintf(stderr, "sl_meter_create failed: %u\n", err);
		exit(1);
	}
	return m;
}

static void
run_case(int threads, int shared, int use_burst, int n_bands, int conforming, double seconds)
{
	struct worker w[MAX_THREADS];
	pthread_barrier_t start;
	struct sl_meter *meters[MAX_THREADS];
	uint64_t packets = 0, dropped = 0, elapsed = 0;

	pthread_barrier_init(&start, NULL, (unsigned)threads);
	for (int i = 0; i < threads; i++) {
		meters[i] = (shared && i > 0) ? meters[0] : new_meter(n_bands, conforming);
		w[i] = (struct worker){ .meter = meters[i], .use_burst = use_burst,
					.seconds = seconds, .start = &start };
		pthread_create(&w[i].th, NULL, run, &w[i]);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(w[i].th, NULL);
		packets += w[i].packets;
		dropped += w[i].dropped;
		if (w[i].elapsed_ns > elapsed)
			elapsed = w[i].elapsed_ns;
	}
	for (int i = 0; i < threads; i++)
		if (!shared || i == 0)
			sl_meter_destroy(meters[i]);
	pthread_barrier_destroy(&start);
	printf("threads=%d meter=%-7s api=%-5s bands=%d load=%-10s %8.2f Mpps total  %6.1f ns/pkt/thread  drop=%.0f%%\n",
	       threads, shared ? "shared" : "private", use_burst ? "burst" : "apply", n_bands,
	       conforming ? "conforming" : "overload",
	       packets * 1e3 / (double)elapsed, (double)elapsed * threads / (double)packets,
	       packets ? 100.0 * (double)dropped / (double)packets : 0.0);
}

int
main(int argc, char **argv)
{
	int max_threads = argc > 1 ? atoi(argv[1]) : 2;
	double seconds = argc > 2 ? atof(argv[2]) : 1.0;

	if (max_threads < 1 || max_threads > MAX_THREADS)
		max_threads = 2;
	for (int conforming = 0; conforming <= 1; conforming++)
		for (int bands = 1; bands <= 3; bands += 2)
			for (int use_burst = 0; use_burst <= 1; use_burst++)
				run_case(1, 1, use_burst, bands, conforming, seconds);
	for (int t = 2; t <= max_threads; t *= 2)
		for (int conforming = 0; conforming <= 1; conforming++)
			for (int shared = 1; shared >= 0; shared--)
				for (int use_burst = 0; use_burst <= 1; use_burst++)
					run_case(t, shared, use_burst, 1, conforming, seconds);
	return 0;
}
