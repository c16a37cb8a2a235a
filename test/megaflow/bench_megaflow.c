/* SPDX-License-Identifier: BSD-3-Clause */
/* bench_megaflow: throughput of the per-worker caches alone (no packets, no
 * EAL): EMC hits (EMC hash or caller's hash), skewed traffic with and without
 * subtable re-ranking, megaflow hits across 1/10/50 subtables at
 * 10k/100k/1M flows, and insert rate. Prints Mpps and TSC cycles per packet.
 *
 * Usage: bench_megaflow [--quick] [--packets N]
 * Each lookup run feeds bursts of 32 keys in a random flow order, does EMC
 * lookup (when enabled), megaflow lookup for the rest, and credits each hit
 * as a worker would. Runs on a noisy machine: compare the minimum over
 * several runs, and compare builds only on the same machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "test_rng.h"

#include "sl_emc.h"
#include "sl_megaflow.h"

#define BURST 32

static uint64_t brng = 0x243f6a8885a308d3ull;

static uint64_t
brnd(void)
{
	return test_rng_next_star(&brng);
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: on a shared machine, time spent preempted is not
 * the cache's cost, so insert rates are computed from it. */
static double
cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double tsc_per_s;

/* rte_get_tsc_hz() needs the EAL; measure the TSC against the clock. */
static double
tsc_hz(void)
{
	double t0 = now_s();
	uint64_t c0 = rte_rdtsc();
	while (now_s() - t0 < 0.2)
		;
	return (double)(rte_rdtsc() - c0) / (now_s() - t0);
}

/* Mask i: in_port, an IPv4 word with i-dependent low bits wildcarded, and
 * from i >= 25 on also the L4 ports word: up to 50 distinct masks that look
 * like what OpenFlow pipelines produce (in_port + prefix + optional ports). */
static void
make_mask(struct sl_flow_key *m, unsigned int i)
{
	memset(m, 0, sizeof(*m));
	m->in_port = 0xffffffffu;
	m->w[7] = ~0ull << (i % 25);
	if (i >= 25)
		m->w[17] = 0xffffffffull;
}

/* Flow f is unique under every mask: its number sits in the high half of
 * word 7, which no mask wildcards. */
static void
make_key(struct sl_flow_key *k, uint32_t f)
{
	memset(k, 0, sizeof(*k));
	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
		k->w[w] = brnd() & 0xff; /* noise in unmasked words */
	k->in_port = 1 + (f & 3);
	k->w[7] = ((uint64_t)f << 32) | (brnd() & 0xffffffffu);
	k->w[17] = brnd();
}

struct result {
	double mpps;           /* TSC rate / cycles per packet */
	double cycles_per_pkt; /* rte_rdtsc around the cache work only */
	double wall_mpps;      /* whole loop incl. key copies, wall clock */
	double hit_rate;
	uint64_t preempted;    /* bursts left out: the thread was descheduled */
};

/* A burst this slow was interrupted (noisy shared machine): leave it out. */
#define PREEMPTED_CYCLES 1000000u

/* Feed n_packets keys in @order through EMC (optional) and megaflow cache.
 * Each burst's keys are first copied into a local array, as the parser would
 * write them (so they are in L1, as in a worker); only the cache work
 * (EMC lookup, megaflow lookup, credit, EMC insert) is timed with rte_rdtsc. */
static struct result
run_lookups(struct sl_megaflow_cache *c, struct sl_emc *emc, const struct sl_flow_key *keys,
	    const uint32_t *flow_hashes, const uint32_t *order, uint32_t n_order,
	    uint64_t n_packets)
{
	static struct sl_flow_key burst[BURST];
	const struct sl_flow_key *kp[BURST];
	struct sl_megaflow *out[BURST];
	uint32_t hashes[BURST];
	uint64_t hits = 0, pos = 0, cycles = 0, timed = 0, preempted = 0;
	for (unsigned int j = 0; j < BURST; j++)
		kp[j] = &burst[j];
	double t0 = now_s();
	for (uint64_t p = 0; p < n_packets; p += BURST) {
		for (unsigned int j = 0; j < BURST; j++) {
			burst[j] = keys[order[pos]];
			if (flow_hashes != NULL)
				hashes[j] = flow_hashes[order[pos]];
			pos = pos + 1 == n_order ? 0 : pos + 1;
		}
		uint64_t c0 = rte_rdtsc();
		uint64_t hit = 0;
		if (emc != NULL && flow_hashes != NULL)
			sl_emc_lookup_batch_hashed(emc, kp, BURST, hashes, out, &hit);
		else if (emc != NULL)
			sl_emc_lookup_batch(emc, kp, BURST, hashes, out, &hit);
		uint64_t emc_hit = hit;
		if (hit != (1ull << BURST) - 1)
			sl_megaflow_lookup_batch(c, kp, BURST, out, &hit);
		for (unsigned int j = 0; j < BURST; j++) {
			if (!(hit >> j & 1))
				continue;
			sl_megaflow_credit(out[j], 1, 64, c0);
			if (emc != NULL && !(emc_hit >> j & 1))
				sl_emc_maybe_insert(emc, kp[j], hashes[j], out[j]);
		}
		uint64_t dt = rte_rdtsc() - c0;
		if (dt > PREEMPTED_CYCLES) {
			preempted++;
		} else {
			cycles += dt;
			timed += BURST;
		}
		hits += (uint64_t)__builtin_popcountll(hit);
	}
	double secs = now_s() - t0;
	struct result r = {
		.cycles_per_pkt = timed ? (double)cycles / (double)timed : 0,
		.wall_mpps = (double)n_packets / secs / 1e6,
		.hit_rate = (double)hits / (double)n_packets,
		.preempted = preempted,
	};
	r.mpps = r.cycles_per_pkt > 0 ? tsc_per_s / r.cycles_per_pkt / 1e6 : 0;
	return r;
}

static void
shuffle(uint32_t *a, uint32_t n)
{
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(brnd() % (i + 1));
		uint32_t t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/* Build a cache holding n_flows megaflows spread over n_sub subtables;
 * reports the insert rate through *insert_mps. */
static struct sl_megaflow_cache *
build_cache(struct sl_flow_key *keys, uint32_t n_flows, unsigned int n_sub, double *insert_mps,
	    uint32_t rerank_interval)
{
	struct sl_megaflow_config cfg = { .max_entries = n_flows, .rerank_interval = rerank_interval };
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(&cfg);
	if (c == NULL)
		return NULL;
	struct sl_flow_key masks[64];
	for (unsigned int s = 0; s < n_sub; s++)
		make_mask(&masks[s], s);
	double t0 = cpu_s();
	for (uint32_t f = 0; f < n_flows; f++) {
		int rc = sl_megaflow_insert(c, &keys[f], &masks[f % n_sub], NULL, 1, 0, NULL);
		if (rc != 0) {
			fprintf(stderr, "insert %u failed: %d\n", f, rc);
			sl_megaflow_cache_destroy(c);
			return NULL;
		}
	}
	*insert_mps = n_flows / (cpu_s() - t0) / 1e6; /* CPU time */
	sl_megaflow_rerank(c);
	return c;
}

static void
print_row(const char *what, uint32_t flows, unsigned int subtables, struct result r)
{
	printf("%-14s %8u %4u %8.2f %9.1f %9.2f %6.3f %6llu\n", what, flows, subtables, r.mpps,
	       r.cycles_per_pkt, r.wall_mpps, r.hit_rate, (unsigned long long)r.preempted);
}

/* EMC hits, with the EMC hashing the key, then with a hash handed in by
 * the caller (standing in for the NIC's RSS hash). */
static int
bench_emc(struct sl_flow_key *keys, uint32_t *order, uint64_t n_packets)
{
	static const uint32_t flow_counts[] = { 1, 1000, 1, 1000 };
	static uint32_t flow_hashes[1000];
	for (unsigned int i = 0; i < 4; i++) {
		uint32_t n = flow_counts[i];
		const uint32_t *given = i >= 2 ? flow_hashes : NULL;
		double ins;
		struct sl_megaflow_cache *c = build_cache(keys, n, 1, &ins, 0);
		struct sl_emc_config ecfg = { .insert_inv_prob = 1 };
		struct sl_emc *emc = sl_emc_create(&ecfg);
		if (c == NULL || emc == NULL)
			return -1;
		for (uint32_t f = 0; f < n; f++)
			order[f] = f;
		shuffle(order, n);
		for (uint32_t f = 0; f < n; f++)
			flow_hashes[f] = sl_flow_hash(&keys[f], 12345);
		run_lookups(c, emc, keys, given, order, n, 4 * (uint64_t)n + BURST); /* warm */
		struct result r = run_lookups(c, emc, keys, given, order, n, n_packets);
		print_row(given ? "emc_hit_rss" : "emc_hit", n, 1, r);
		sl_emc_destroy(emc);
		sl_megaflow_cache_destroy(c);
	}
	return 0;
}

static int
bench_megaflow(struct sl_flow_key *keys, uint32_t *order, uint64_t n_packets,
	       const uint32_t *flow_counts, unsigned int n_counts)
{
	static const unsigned int subtables[] = { 1, 10, 50 };
	double insert_rate[3][3] = { { 0 } };
	for (unsigned int fi = 0; fi < n_counts; fi++) {
		uint32_t n = flow_counts[fi];
		for (uint32_t f = 0; f < n; f++)
			order[f] = f;
		shuffle(order, n);
		for (unsigned int si = 0; si < 3; si++) {
			struct sl_megaflow_cache *c = build_cache(keys, n, subtables[si],
								  &insert_rate[fi][si], 0);
			if (c == NULL)
				return -1;
			run_lookups(c, NULL, keys, NULL, order, n, n_packets / 4); /* warm */
			struct result r = run_lookups(c, NULL, keys, NULL, order, n, n_packets);
			print_row("megaflow_hit", n, subtables[si], r);
			sl_megaflow_cache_destroy(c);
		}
	}
	printf("\n%-14s %8s %4s %10s\n", "insert", "flows", "subt", "Minsert/s");
	for (unsigned int fi = 0; fi < n_counts; fi++)
		for (unsigned int si = 0; si < 3; si++)
			printf("%-14s %8u %4u %10.2f\n", "megaflow_ins", flow_counts[fi],
			       subtables[si], insert_rate[fi][si]);
	return 0;
}

/* Skewed traffic: 90% of packets hit the subtable created last (ranked last
 * at first). With re-ranking (default interval) it moves to the front;
 * without (interval UINT32_MAX) every hot packet probes all 50 subtables. */
static int
bench_rerank(struct sl_flow_key *keys, uint32_t *order, uint64_t n_packets)
{
	enum { FLOWS = 10000, SUB = 50 };
	for (uint32_t i = 0; i < FLOWS; i++) {
		uint32_t f = (uint32_t)(brnd() % FLOWS);
		if (brnd() % 10 != 0)
			f = f - f % SUB + (SUB - 1); /* a flow of the last subtable */
		order[i] = f < FLOWS ? f : SUB - 1;
	}
	static const uint32_t intervals[] = { 0, UINT32_MAX };
	for (unsigned int i = 0; i < 2; i++) {
		double ins;
		struct sl_megaflow_cache *c = build_cache(keys, FLOWS, SUB, &ins, intervals[i]);
		if (c == NULL)
			return -1;
		run_lookups(c, NULL, keys, NULL, order, FLOWS, n_packets / 4); /* warm */
		struct result r = run_lookups(c, NULL, keys, NULL, order, FLOWS, n_packets);
		print_row(i == 0 ? "skew_rerank" : "skew_norerank", FLOWS, SUB, r);
		sl_megaflow_cache_destroy(c);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* rows appear as they are measured */
	uint64_t n_packets = 4u << 20;
	uint32_t flow_counts[3] = { 10000, 100000, 1000000 };
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			n_packets = 1u << 20;
			flow_counts[2] = 300000;
		} else if (strcmp(argv[i], "--packets") == 0 && i + 1 < argc) {
			n_packets = strtoull(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: %s [--quick] [--packets N]\n", argv[0]);
			return 2;
		}
	}
	uint32_t max_flows = flow_counts[2];
	struct sl_flow_key *keys = malloc((size_t)max_flows * sizeof(*keys));
	uint32_t *order = malloc((size_t)max_flows * sizeof(*order));
	if (keys == NULL || order == NULL) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	for (uint32_t f = 0; f < max_flows; f++)
		make_key(&keys[f], f);
	double hz = tsc_hz();
	tsc_per_s = hz;
	printf("TSC %.2f GHz, %llu packets per run, bursts of %d, key %zu bytes, entry %zu bytes\n\n",
	       hz / 1e9, (unsigned long long)n_packets, BURST, sizeof(struct sl_flow_key),
	       sizeof(struct sl_megaflow));
	printf("cyc/pkt: rte_rdtsc over EMC+megaflow lookup, credit, EMC insert (keys already in\n"
	       "L1 as after parsing); Mpps = TSC rate / cyc/pkt; loop Mpps: whole loop, wall\n"
	       "clock, including copying keys from a big array; preempt: bursts left out\n\n");
	printf("%-14s %8s %4s %8s %9s %9s %6s %6s\n", "case", "flows", "subt", "Mpps",
	       "cyc/pkt", "loop Mpps", "hits", "preempt");
	if (bench_emc(keys, order, n_packets) != 0 || bench_rerank(keys, order, n_packets) != 0 ||
	    bench_megaflow(keys, order, n_packets, flow_counts, 3) != 0) {
		fprintf(stderr, "benchmark setup failed\n");
		return 1;
	}
	free(keys);
	free(order);
	return 0;
}
