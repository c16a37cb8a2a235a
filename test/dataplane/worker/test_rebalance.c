/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests for the rx queue balancing policy on recorded loads. */
#include <string.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "sl_rebalance.h"

static const struct sl_rebalance_params params = { .threshold_pct = 25, .min_load = 1000 };

#define Q(p, q, s, load, cur) { (p), (q), (s), (load), (cur), -1 }

/* The integration test's case, with loads recorded from it (cycles per
 * 200 ms interval): two queues on worker 0, one heavy, one light. */
static void
test_two_queues_one_worker_split(void)
{
	struct sl_rebalance_q qs[] = { Q(0, 0, 0, 51200000, 0), Q(1, 0, 0, 30100000, 0) };
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 } };
	struct sl_rebalance_result r;

	CU_ASSERT_EQUAL_FATAL(sl_rebalance_plan(qs, 2, w, 2, &params, &r), 0);
	CU_ASSERT_EQUAL(qs[0].next, 0); /* heaviest stays: tie goes to its worker */
	CU_ASSERT_EQUAL(qs[1].next, 1);
	CU_ASSERT_EQUAL(r.n_moves, 1);
	CU_ASSERT_EQUAL(r.cur_max, 81300000);
	CU_ASSERT_EQUAL(r.new_max, 51200000);
	CU_ASSERT(r.worth); /* 37 % better */
}

/* The threshold: a gain of exactly 25 % or less is not worth a move. */
static void
test_threshold(void)
{
	struct sl_rebalance_q qs[] = { Q(0, 0, 0, 3000000, 0), Q(0, 1, 0, 1000000, 0) };
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 } };
	struct sl_rebalance_result r;

	/* 4M -> 3M is exactly 25 %: not more than the threshold */
	CU_ASSERT_EQUAL_FATAL(sl_rebalance_plan(qs, 2, w, 2, &params, &r), 0);
	CU_ASSERT_EQUAL(r.n_moves, 1);
	CU_ASSERT_FALSE(r.worth);
	qs[1].load = 1100000; /* 4.1M -> 3M: 26.8 % */
	CU_ASSERT_EQUAL_FATAL(sl_rebalance_plan(qs, 2, w, 2, &params, &r), 0);
	CU_ASSERT(r.worth);
	/* below min_load nothing is worth it, whatever the ratio */
	qs[0].load = 300;
	qs[1].load = 200;
	CU_ASSERT_EQUAL_FATAL(sl_rebalance_plan(qs, 2, w, 2, &params, &r), 0);
	CU_ASSERT_FALSE(r.worth);
}

/* Balanced already: the plan keeps every queue where it is. */
static void
test_balanced_stays(void)
{
	struct sl_rebalance_q qs[] = { Q(0, 0, 0, 5000000, 1), Q(0, 1, 0, 4800000, 0),
				       Q(1, 0, 0, 100000, 0), Q(1, 1, 0, 0, 1) };
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 } };
	struct sl_rebalance_result r;

	CU_ASSERT_EQUAL_FATAL(sl_rebalance_plan(qs, 4, w, 2, &params, &r), 0);
	CU_ASSERT_FALSE(r.worth);
	CU_ASSERT_EQUAL(r.cur_max, 5000000);
	CU_ASSERT(r.new_max <= r.cur_max);
}

/* Many queues over three workers: the busiest worker after the plan is
 * within the heaviest queue of the mean, as the greedy bound says. */
static void
test_greedy_spreads(void)
{
	static const uint64_t loads[] = { 90, 80, 70, 60, 50, 40, 30, 20, 10, 5, 5, 5 };
	struct sl_rebalance_q qs[12];
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 }, { 3, 0 } };
	struct sl_rebalance_params p = { .threshold_pct = 10, .min_load = 1 };
	struct sl_rebalance_result r;
	uint64_t per[3] = { 0 }, total = 0;

	for (unsigned int i = 0; i < 12; i++) {
		qs[i] = (struct sl_rebalance_q)Q(i / 4, i % 4, 0, loads[i] * 1000, 0);
		total += qs[i].load;
	}
	CU_ASSERT_EQUAL_FATAL(sl_rebalance_plan(qs, 12, w, 3, &p, &r), 0);
	CU_ASSERT(r.worth);
	for (unsigned int i = 0; i < 12; i++)
		per[qs[i].next] += qs[i].load;
	for (unsigned int k = 0; k < 3; k++)
		CU_ASSERT(per[k] <= total / 3 + 90000);
	CU_ASSERT_EQUAL(r.cur_max, total);
	CU_ASSERT_EQUAL(r.new_max, per[0] > per[1] ? (per[0] > per[2] ? per[0] : per[2])
						   : (per[1] > per[2] ? per[1] : per[2]));
}

/* NUMA: a queue goes to a worker of its port's socket even when a remote
 * worker is idle; a socket without workers falls back to any. */
static void
test_numa(void)
{
	struct sl_rebalance_q qs[] = { Q(0, 0, 0, 600, 0), Q(0, 1, 0, 500, 0),
				       Q(1, 0, 1, 400, 2), Q(2, 0, 3, 300, 2) };
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 }, { 3, 1 } };
	struct sl_rebalance_params p = { .threshold_pct = 10, .min_load = 1 };
	struct sl_rebalance_result r;

	CU_ASSERT_EQUAL_FATAL(sl_rebalance_plan(qs, 4, w, 3, &p, &r), 0);
	CU_ASSERT_EQUAL(w[qs[0].next].socket, 0);
	CU_ASSERT_EQUAL(w[qs[1].next].socket, 0);
	CU_ASSERT_NOT_EQUAL(qs[0].next, qs[1].next);
	CU_ASSERT_EQUAL(qs[2].next, 2);
	/* socket 3 has no worker: the least loaded of all (worker 2: 400) */
	CU_ASSERT_EQUAL(qs[3].next, 2);
	CU_ASSERT(r.worth);
}

/* Recorded from a flapping candidate: loads that swing between two queues
 * each interval. The plan is worth it in only some intervals, so the
 * hysteresis never acts; a sustained imbalance acts after `need` intervals. */
static void
test_hysteresis(void)
{
	struct sl_rebalance_hyst h = { .need = 3 };

	CU_ASSERT_FALSE(sl_rebalance_sustained(&h, true));
	CU_ASSERT_FALSE(sl_rebalance_sustained(&h, false));
	CU_ASSERT_FALSE(sl_rebalance_sustained(&h, true));
	CU_ASSERT_FALSE(sl_rebalance_sustained(&h, true));
	CU_ASSERT_FALSE(sl_rebalance_sustained(&h, false));
	CU_ASSERT_FALSE(sl_rebalance_sustained(&h, true));
	CU_ASSERT_FALSE(sl_rebalance_sustained(&h, true));
	CU_ASSERT(sl_rebalance_sustained(&h, true));
	CU_ASSERT_EQUAL(h.streak, 0);
	CU_ASSERT_FALSE(sl_rebalance_sustained(&h, true));
}

/* A guest back on socket 1 (fake dual-socket host, workers 0 and 1 on
 * socket 0, 2 and 3 on socket 1): its port's queues leave socket 0 for the
 * least loaded workers of socket 1, one each when their loads tie; the
 * other ports' queues stay. */
static void
test_follow_guest_socket(void)
{
	struct sl_rebalance_q qs[] = { Q(0, 0, 1, 100, 0), Q(0, 1, 1, 100, 1),
				       Q(1, 0, 1, 500, 2), Q(2, 0, 0, 50, 0),
				       Q(3, 0, 1, 10, 3) };
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 }, { 3, 1 }, { 4, 1 } };

	CU_ASSERT_EQUAL_FATAL(sl_rebalance_follow(qs, 5, w, 4, 0, 1, 16), 2);
	/* worker 3 (10) before worker 2 (500); then worker 3 carries 110 */
	CU_ASSERT_EQUAL(qs[0].next, 3);
	CU_ASSERT_EQUAL(qs[1].next, 3);
	CU_ASSERT_EQUAL(qs[2].next, 2);
	CU_ASSERT_EQUAL(qs[3].next, 0);
	CU_ASSERT_EQUAL(qs[4].next, 3);

	/* equal loads: the one that polls fewer queues, then spread */
	struct sl_rebalance_q q2[] = { Q(0, 0, 1, 0, 0), Q(0, 1, 1, 0, 0),
				       Q(1, 0, 1, 0, 2) };

	CU_ASSERT_EQUAL_FATAL(sl_rebalance_follow(q2, 3, w, 4, 0, 1, 16), 2);
	CU_ASSERT_EQUAL(q2[0].next, 3);
	CU_ASSERT_EQUAL(q2[1].next, 2);
	CU_ASSERT_EQUAL(q2[2].next, 2);
}

/* Back on socket 0: the queues go back; already there, or a socket with
 * no worker, or full workers: nothing moves. */
static void
test_follow_back_and_nothing(void)
{
	struct sl_rebalance_q qs[] = { Q(0, 0, 0, 100, 2), Q(1, 0, 1, 100, 2) };
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 }, { 3, 1 } };

	CU_ASSERT_EQUAL_FATAL(sl_rebalance_follow(qs, 2, w, 3, 0, 0, 16), 1);
	CU_ASSERT_EQUAL(qs[0].next, 0);
	CU_ASSERT_EQUAL(qs[1].next, 2);
	qs[0].cur = 0;
	CU_ASSERT_EQUAL(sl_rebalance_follow(qs, 2, w, 3, 0, 0, 16), 0);
	CU_ASSERT_EQUAL(qs[0].next, 0);
	/* socket 1's worker: the port's queue may go there... */
	CU_ASSERT_EQUAL(sl_rebalance_follow(qs, 2, w, 3, 0, 1, 16), 1);
	/* ...unless it polls as many queues as it may */
	CU_ASSERT_EQUAL(sl_rebalance_follow(qs, 2, w, 3, 0, 1, 1), -1);
	/* socket 2 has no worker */
	CU_ASSERT_EQUAL(sl_rebalance_follow(qs, 2, w, 3, 0, 2, 16), 0);
	CU_ASSERT_EQUAL(qs[0].next, 0);
	qs[1].cur = 7;
	CU_ASSERT_EQUAL(sl_rebalance_follow(qs, 2, w, 3, 0, 1, 16), -1);
	CU_ASSERT_EQUAL(sl_rebalance_follow(qs, 2, w, 0, 0, 1, 16), -1);
}

static void
test_invalid_input(void)
{
	struct sl_rebalance_q qs[] = { Q(0, 0, 0, 1, 5) };
	struct sl_sched_worker w[] = { { 1, 0 } };
	struct sl_rebalance_result r;

	CU_ASSERT_EQUAL(sl_rebalance_plan(qs, 1, w, 0, &params, &r), -1);
	CU_ASSERT_EQUAL(sl_rebalance_plan(qs, 1, w, 1, &params, &r), -1);
	CU_ASSERT_EQUAL(sl_rebalance_plan(qs, 0, w, 1, &params, &r), 0);
	CU_ASSERT_FALSE(r.worth);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "two queues on one worker split", test_two_queues_one_worker_split },
		{ "threshold and min_load", test_threshold },
		{ "balanced stays", test_balanced_stays },
		{ "greedy spreads", test_greedy_spreads },
		{ "numa", test_numa },
		{ "hysteresis", test_hysteresis },
		{ "follow the guest's socket", test_follow_guest_socket },
		{ "follow back, or nothing", test_follow_back_and_nothing },
		{ "invalid input", test_invalid_input },
	};

	return cunit_run_suite("rxq rebalance", tests, CUNIT_N_TESTS(tests));
}
