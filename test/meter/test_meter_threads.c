/* SPDX-License-Identifier: BSD-3-Clause */
/* Meters under concurrency, with pthreads standing in for worker lcores:
 * exact aggregate rate when several threads apply one meter, stats that add
 * up, and lookups racing with add/modify/delete while frees wait for a
 * grace period (a tiny QSBR in this file plays the caller's RCU). */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "cunit_main.h"

#include "meter_test_util.h"

#define N_THREADS 4

/* -------------------------------------------------- frozen and stepped time */

struct frozen_arg {
	struct sl_meter *m;
	pthread_barrier_t *start;
	unsigned packets, passed, fired[2];
};

static void *
frozen_worker(void *p)
{
	struct frozen_arg *a = p;
	uint32_t lens[SL_METER_BURST_MAX];
	struct sl_meter_verdict v[SL_METER_BURST_MAX];
	unsigned sent = 0, round = 0;

	for (int i = 0; i < SL_METER_BURST_MAX; i++)
		lens[i] = 100;
	pthread_barrier_wait(a->start);
	while (sent < a->packets) {
		/* Alternate single packets and bursts of various sizes. */
		unsigned n = (round++ % 3 == 0) ? 1 : 1 + round % SL_METER_BURST_MAX;

		if (n > a->packets - sent)
			n = a->packets - sent;
		if (n == 1)
			v[0] = sl_meter_apply(a->m, 777, lens[0]);
		else
			sl_meter_apply_burst(a->m, 777, lens, n, v);
		for (unsigned i = 0; i < n; i++) {
			if (v[i].band == SL_METER_BAND_NONE)
				a->passed++;
			else
				a->fired[v[i].band]++;
		}
		sent += n;
	}
	return NULL;
}

static void
test_threads_frozen_time(void)
{
	/* Time stands still: band 0 can pass exactly its burst of 5000 packets
	 * and band 1 exactly 8000, however the threads interleave. */
	struct sl_meter_band b[2] = { drop_band(1000, 5000), drop_band(2000, 8000) };
	struct sl_meter *m =
		make_meter(OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS, b, 2, 777);
	struct frozen_arg args[N_THREADS];
	pthread_t th[N_THREADS];
	pthread_barrier_t start;
	unsigned passed = 0, fired0 = 0, fired1 = 0, total = 0;
	struct sl_meter_stats st;

	pthread_barrier_init(&start, NULL, N_THREADS);
	for (int i = 0; i < N_THREADS; i++) {
		args[i] = (struct frozen_arg){ .m = m, .start = &start, .packets = 5000 };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, frozen_worker, &args[i]), 0);
	}
	for (int i = 0; i < N_THREADS; i++) {
		pthread_join(th[i], NULL);
		passed += args[i].passed;
		fired0 += args[i].fired[0];
		fired1 += args[i].fired[1];
		total += args[i].packets;
	}
	pthread_barrier_destroy(&start);
	/* Band 1 (higher rate) fires exactly for the packets its bucket refused. */
	CU_ASSERT_EQUAL(fired1, total - 8000);
	CU_ASSERT(passed <= 5000);
	CU_ASSERT_EQUAL(passed + fired0 + fired1, total);
	sl_meter_get_stats(m, 777, &st);
	CU_ASSERT_EQUAL(st.packet_in_count, total);
	CU_ASSERT_EQUAL(st.byte_in_count, 100ull * total);
	CU_ASSERT_EQUAL(st.bands[0].packet_band_count, fired0);
	CU_ASSERT_EQUAL(st.bands[1].packet_band_count, fired1);
	CU_ASSERT_EQUAL(st.bands[1].byte_band_count, 100ull * fired1);
	sl_meter_destroy(m);
}

#define STEPS 300
#define PER_STEP 3

struct stepped_arg {
	struct sl_meter *m;
	pthread_barrier_t *step;
	const uint64_t *times;
	unsigned *passed_per_step; /* shared, atomic adds */
};

static void *
stepped_worker(void *p)
{
	struct stepped_arg *a = p;

	for (int s = 0; s < STEPS; s++) {
		unsigned passed = 0;

		pthread_barrier_wait(a->step);
		for (int k = 0; k < PER_STEP; k++)
			passed += sl_meter_apply(a->m, a->times[s], 1000).action == SL_METER_PASS;
		__atomic_fetch_add(&a->passed_per_step[s], passed, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void
test_threads_stepped_time(void)
{
	/* Threads share a clock that advances in random steps.  Within a step all
	 * packets cost the same, so the number that pass is independent of the
	 * interleaving and must equal what one thread alone gets. */
	struct sl_meter_band b = drop_band(8000, 24); /* 1 MB/s, 3000-byte burst */
	const uint16_t flags = OFPMF_KBPS | OFPMF_BURST;
	struct sl_meter *shared = make_meter(flags, &b, 1, 0), *serial = make_meter(flags, &b, 1, 0);
	static uint64_t times[STEPS];
	static unsigned passed_per_step[STEPS];
	struct stepped_arg args[N_THREADS];
	pthread_t th[N_THREADS];
	pthread_barrier_t step;
	uint64_t rng = test_seed() ^ 3, t = 0;

	memset(passed_per_step, 0, sizeof(passed_per_step));
	for (int s = 0; s < STEPS; s++) {
		t += test_rng_splitmix(&rng) % 4000000; /* 0..4 ms: 0..4 packets of credit */
		times[s] = t;
	}
	pthread_barrier_init(&step, NULL, N_THREADS);
	for (int i = 0; i < N_THREADS; i++) {
		args[i] = (struct stepped_arg){ shared, &step, times, passed_per_step };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, stepped_worker, &args[i]), 0);
	}
	for (int i = 0; i < N_THREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&step);
	/* The last step is complete once every thread has joined; earlier steps
	 * are complete when the next barrier opens, so all counts are final. */
	unsigned total = 0;

	for (int s = 0; s < STEPS; s++) {
		unsigned want = 0;

		for (int k = 0; k < N_THREADS * PER_STEP; k++)
			want += sl_meter_apply(serial, times[s], 1000).action == SL_METER_PASS;
		CU_ASSERT_EQUAL_FATAL(passed_per_step[s], want);
		total += want;
	}
	CU_ASSERT(total > STEPS); /* the test exercised both passes and drops */
	CU_ASSERT(total < STEPS * N_THREADS * PER_STEP);
	sl_meter_destroy(shared);
	sl_meter_destroy(serial);
}

struct skew_arg {
	struct sl_meter *m;
	pthread_barrier_t *start;
	uint64_t skew_ns, seed, last_ns, passed;
};

#define SKEW_PACKETS 100000
#define SKEW_GAP_NS 5000 /* per thread: 200 kpps, twice the meter rate alone */

static void *
skew_worker(void *p)
{
	struct skew_arg *a = p;
	uint64_t rng = a->seed, t = 0;

	pthread_barrier_wait(a->start);
	for (int k = 0; k < SKEW_PACKETS; k++) {
		t = a->skew_ns + (uint64_t)k * SKEW_GAP_NS + test_rng_splitmix(&rng) % 3000;
		a->passed += sl_meter_apply(a->m, t, 64).action == SL_METER_PASS;
	}
	a->last_ns = t;
	return NULL;
}

static void
test_threads_skewed_clocks(void)
{
	/* Each thread has its own clock, offset by up to 0.6 ms and jittered, and
	 * runs at its own real speed: some calls come with a clock older than the
	 * bucket.  Credit accrues along the latest clock seen, so what passes is
	 * the rate times the time spanned (plus the burst), never more. */
	const uint64_t rate = 100000, burst = 100, t0 = 1000000;
	struct sl_meter_band b = drop_band((uint32_t)rate, (uint32_t)burst);
	struct sl_meter *m = make_meter(OFPMF_PKTPS | OFPMF_BURST, &b, 1, 0);
	struct skew_arg args[N_THREADS];
	pthread_t th[N_THREADS];
	pthread_barrier_t start;
	uint64_t passed = 0, t_max = 0;

	/* Fill the bucket at t0 so the span starts there. */
	CU_ASSERT_EQUAL(sl_meter_apply(m, t0, 64).action, SL_METER_PASS);
	pthread_barrier_init(&start, NULL, N_THREADS);
	for (int i = 0; i < N_THREADS; i++) {
		args[i] = (struct skew_arg){ .m = m, .start = &start, .seed = test_seed() + (uint64_t)i,
					     .skew_ns = t0 + (uint64_t)i * 200000 };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, skew_worker, &args[i]), 0);
	}
	for (int i = 0; i < N_THREADS; i++) {
		pthread_join(th[i], NULL);
		passed += args[i].passed;
		if (args[i].last_ns > t_max)
			t_max = args[i].last_ns;
	}
	pthread_barrier_destroy(&start);
	uint64_t earned = rate * (t_max - t0) / NS_PER_SEC; /* ~50000 packets */

	passed += 1; /* the packet at t0 */
	CU_ASSERT(passed <= burst + earned);
	CU_ASSERT(passed + burst + earned / 100 >= earned); /* within 1% + burst below */
	printf("(passed %llu, rate x span %llu) ", (unsigned long long)passed,
	       (unsigned long long)earned);
	sl_meter_destroy(m);
}

/* ------------------------------------ readers vs. the control thread (QSBR) */

struct qsbr {
	uint64_t counters[N_THREADS]; /* bumped by each reader when quiescent */
	int stop;
};

/* Waits until every reader has been quiescent at least once: afterwards
 * none of them can hold a pointer it read before the call. */
static void
qsbr_synchronize(struct qsbr *q)
{
	uint64_t snap[N_THREADS];

	for (int i = 0; i < N_THREADS; i++)
		snap[i] = __atomic_load_n(&q->counters[i], __ATOMIC_ACQUIRE);
	for (int i = 0; i < N_THREADS; i++)
		while (__atomic_load_n(&q->counters[i], __ATOMIC_ACQUIRE) == snap[i])
			sched_yield();
}

struct reader_arg {
	struct sl_meter_table *table;
	struct qsbr *q;
	int index;
	uint64_t found, bad_id, packets, bytes;
	uint32_t only_id; /* 0: random ids */
};

static void *
reader(void *p)
{
	struct reader_arg *a = p;
	uint64_t rng = test_seed() + (uint64_t)a->index * 7919, t = 0;
	uint32_t lens[8];
	struct sl_meter_verdict v[8];

	while (!__atomic_load_n(&a->q->stop, __ATOMIC_ACQUIRE)) {
		uint32_t id = a->only_id ? a->only_id : 1 + (uint32_t)(test_rng_splitmix(&rng) % 40);
		struct sl_meter *m = sl_meter_table_lookup(a->table, id);
		unsigned n = 1 + (unsigned)(test_rng_splitmix(&rng) % 8);

		t += test_rng_splitmix(&rng) % 100000;
		for (unsigned i = 0; i < n; i++)
			lens[i] = 64 + (uint32_t)(test_rng_splitmix(&rng) % 1000);
		if (m != NULL) {
			a->found++;
			a->bad_id += sl_meter_id(m) != id;
			sl_meter_apply_burst(m, t, lens, n, v);
			a->packets += n;
			for (unsigned i = 0; i < n; i++)
				a->bytes += lens[i];
		}
		/* Quiescent: no meter pointer is held past this point. */
		__atomic_store_n(&a->q->counters[a->index], a->q->counters[a->index] + 1,
				 __ATOMIC_RELEASE);
	}
	return NULL;
}

static void
start_readers(pthread_t *th, struct reader_arg *args, struct sl_meter_table *t, struct qsbr *q,
	      uint32_t only_id)
{
	memset(q, 0, sizeof(*q));
	for (int i = 0; i < N_THREADS; i++) {
		args[i] = (struct reader_arg){ .table = t, .q = q, .index = i, .only_id = only_id };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, reader, &args[i]), 0);
	}
}

static void
stop_readers(pthread_t *th, struct qsbr *q)
{
	__atomic_store_n(&q->stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < N_THREADS; i++)
		pthread_join(th[i], NULL);
}

static void
test_threads_lookup_vs_mods(void)
{
	struct defer_list deferred = { 0 };
	struct sl_meter_table *t = sl_meter_table_create(32, defer_collect, &deferred);
	struct sl_meter_band bands[2] = { drop_band(100000, 0), remark_band(50000, 0, 1) };
	struct reader_arg args[N_THREADS];
	pthread_t th[N_THREADS];
	struct qsbr q;
	uint64_t rng = test_seed() ^ 4, freed = 0, found = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	start_readers(th, args, t, &q, 0);
	for (int op = 0; op < 20000; op++) {
		uint32_t id = 1 + (uint32_t)(test_rng_splitmix(&rng) % 40);
		uint16_t cmd = (uint16_t)(test_rng_splitmix(&rng) % 3), err;
		struct sl_meter_mod mm = meter_mod(cmd, id, OFPMF_STATS, bands,
						   (uint16_t)(test_rng_splitmix(&rng) % 3));

		if (test_rng_splitmix(&rng) % 500 == 0)
			mm = meter_mod(OFPMC_DELETE, OFPM_ALL, 0, NULL, 0);
		sl_meter_table_mod(t, &mm, (uint64_t)op, &err);
		/* A grace period costs every reader a time slice on a loaded
		 * machine: batch the frees as a real RCU defer queue does. */
		if (deferred.n >= 512) {
			qsbr_synchronize(&q); /* grace period, then free */
			freed += deferred.n;
			defer_flush(&deferred);
		}
	}
	stop_readers(th, &q);
	freed += deferred.n;
	defer_flush(&deferred);
	for (int i = 0; i < N_THREADS; i++) {
		CU_ASSERT_EQUAL(args[i].bad_id, 0);
		found += args[i].found;
	}
	CU_ASSERT(freed > 1000); /* the control thread really churned */
	printf("(%llu lookups hit, %llu objects freed) ", (unsigned long long)found,
	       (unsigned long long)freed);
	sl_meter_table_destroy(t);
}

static void
test_threads_modify_keeps_counts(void)
{
	struct defer_list deferred = { 0 };
	struct sl_meter_table *t = sl_meter_table_create(4, defer_collect, &deferred);
	struct sl_meter_band cfg_a[2] = { drop_band(2000, 0), remark_band(1000, 0, 2) };
	struct sl_meter_band cfg_b[1] = { drop_band(300, 0) };
	struct reader_arg args[N_THREADS];
	pthread_t th[N_THREADS];
	struct qsbr q;
	uint64_t packets = 0, bytes = 0;
	struct sl_meter_stats st;
	uint16_t err;
	struct sl_meter_mod mm = meter_mod(OFPMC_ADD, 9, OFPMF_KBPS | OFPMF_STATS, cfg_a, 2);

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL_FATAL(sl_meter_table_mod(t, &mm, 0, &err), 0);
	start_readers(th, args, t, &q, 9);
	for (int op = 0; op < 3000; op++) {
		if (op % 2)
			mm = meter_mod(OFPMC_MODIFY, 9, OFPMF_PKTPS | OFPMF_STATS, cfg_b, 1);
		else
			mm = meter_mod(OFPMC_MODIFY, 9, OFPMF_KBPS | OFPMF_STATS, cfg_a, 2);
		CU_ASSERT_EQUAL_FATAL(sl_meter_table_mod(t, &mm, 0, &err), 0);
		if (deferred.n >= 256) {
			qsbr_synchronize(&q);
			defer_flush(&deferred);
		}
	}
	stop_readers(th, &q);
	for (int i = 0; i < N_THREADS; i++) {
		packets += args[i].packets;
		bytes += args[i].bytes;
	}
	sl_meter_get_stats(sl_meter_table_lookup(t, 9), 0, &st);
	CU_ASSERT_EQUAL(st.packet_in_count, packets);
	CU_ASSERT_EQUAL(st.byte_in_count, bytes);
	CU_ASSERT(packets > 0);
	sl_meter_table_destroy(t);
	defer_flush(&deferred);
}

static const struct cunit_test tests[] = {
	{ "threads_frozen_time", test_threads_frozen_time },
	{ "threads_stepped_time", test_threads_stepped_time },
	{ "threads_skewed_clocks", test_threads_skewed_clocks },
	{ "threads_lookup_vs_mods", test_threads_lookup_vs_mods },
	{ "threads_modify_keeps_counts", test_threads_modify_keeps_counts },
};

int
main(void)
{
	return cunit_run_suite("meter_threads", tests, CUNIT_N_TESTS(tests));
}
