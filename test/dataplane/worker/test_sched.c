/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests for rx queue assignment, including a fake two-socket host. */
#include <string.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "sl_sched.h"

static int assign[8 * SL_SCHED_MAX_RXQ];

#define A(p, q) assign[(p) * SL_SCHED_MAX_RXQ + (q)]

static void
test_one_socket_spreads_evenly(void)
{
	struct sl_sched_port ports[] = { { 0, 4 }, { 0, 2 } };
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 }, { 3, 0 } };
	unsigned int remote, load[3] = { 0 };

	CU_ASSERT_EQUAL_FATAL(sl_sched_assign_roundrobin(ports, 2, w, 3, assign, &remote), 0);
	CU_ASSERT_EQUAL(remote, 0);
	for (int p = 0; p < 2; p++)
		for (int q = 0; q < ports[p].n_rxq; q++)
			load[A(p, q)]++;
	CU_ASSERT_EQUAL(load[0], 2);
	CU_ASSERT_EQUAL(load[1], 2);
	CU_ASSERT_EQUAL(load[2], 2);
	/* the rotation continues across ports */
	CU_ASSERT_EQUAL(A(1, 0), 1);
}

static void
test_two_sockets_stay_local(void)
{
	/* workers 0,1 on socket 0; 2,3 on socket 1 (interleaved in lcore order) */
	struct sl_sched_port ports[] = { { 1, 3 }, { 0, 2 }, { 1, 1 } };
	struct sl_sched_worker w[] = { { 2, 0 }, { 3, 1 }, { 4, 0 }, { 5, 1 } };
	unsigned int remote;

	CU_ASSERT_EQUAL_FATAL(sl_sched_assign_roundrobin(ports, 3, w, 4, assign, &remote), 0);
	CU_ASSERT_EQUAL(remote, 0);
	for (int p = 0; p < 3; p++)
		for (int q = 0; q < ports[p].n_rxq; q++)
			CU_ASSERT_EQUAL(w[A(p, q)].socket, ports[p].socket);
	CU_ASSERT_EQUAL(A(0, 0), 1);
	CU_ASSERT_EQUAL(A(0, 1), 3);
	CU_ASSERT_EQUAL(A(0, 2), 1);
	CU_ASSERT_EQUAL(A(2, 0), 3);
	CU_ASSERT_EQUAL(A(1, 0), 0);
	CU_ASSERT_EQUAL(A(1, 1), 2);
}

static void
test_socket_without_workers_falls_back(void)
{
	struct sl_sched_port ports[] = { { 1, 2 }, { -1, 1 } };
	struct sl_sched_worker w[] = { { 1, 0 }, { 2, 0 } };
	unsigned int remote;

	CU_ASSERT_EQUAL_FATAL(sl_sched_assign_roundrobin(ports, 2, w, 2, assign, &remote), 0);
	/* socket 1 has no worker: both its queues are remote; the unknown
	 * socket port (-1) is not counted as remote */
	CU_ASSERT_EQUAL(remote, 2);
	CU_ASSERT_NOT_EQUAL(A(0, 0), A(0, 1));
	CU_ASSERT(A(1, 0) == 0 || A(1, 0) == 1);
}

static void
test_invalid_input(void)
{
	struct sl_sched_port ports[] = { { 0, SL_SCHED_MAX_RXQ + 1 } };
	struct sl_sched_worker w[] = { { 1, 0 } };
	unsigned int remote;

	CU_ASSERT_EQUAL(sl_sched_assign_roundrobin(ports, 1, w, 0, assign, &remote), -1);
	CU_ASSERT_EQUAL(sl_sched_assign_roundrobin(ports, 1, w, 1, assign, &remote), -1);
	CU_ASSERT_PTR_EQUAL(sl_sched_policy_by_name("roundrobin"), sl_sched_assign_roundrobin);
	CU_ASSERT_PTR_NULL(sl_sched_policy_by_name("nope"));
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "one socket spreads evenly", test_one_socket_spreads_evenly },
		{ "two sockets stay local", test_two_sockets_stay_local },
		{ "socket without workers", test_socket_without_workers_falls_back },
		{ "invalid input", test_invalid_input },
	};

	return cunit_run_suite("rxq assignment", tests, CUNIT_N_TESTS(tests));
}
