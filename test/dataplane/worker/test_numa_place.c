/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests of a vhost-user port's NUMA socket choice (sl_numa_place.h)
 * on fake topologies: the host these tests run on has one node. */
#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "sl_numa_place.h"

/* Two sockets, as numactl --hardware prints a common dual-socket host. */
static int
dist2(int a, int b)
{
	return a == b ? 10 : 21;
}

/* Four nodes in a ring: 0-1-2-3-0, neighbours 16, across 22; node 4
 * (an empty memory-only node, CXL say) nearest to 3. */
static int
dist_ring(int a, int b)
{
	static const int d[5][5] = {
		{ 10, 16, 22, 16, 30 }, { 16, 10, 16, 22, 30 }, { 22, 16, 10, 16, 30 },
		{ 16, 22, 16, 10, 20 }, { 30, 30, 30, 20, 10 },
	};

	return d[a][b];
}

static int
dist_unknown(int a, int b)
{
	(void)a;
	(void)b;
	return 0;
}

static void
test_guest_socket_with_workers(void)
{
	const bool w[2] = { true, true };

	CU_ASSERT_EQUAL(sl_numa_pick_socket(1, w, 2, dist2, 0), 1);
	CU_ASSERT_EQUAL(sl_numa_pick_socket(0, w, 2, dist2, 1), 0);
	/* the guest moved back after a reconnection: the choice follows */
	CU_ASSERT_EQUAL(sl_numa_pick_socket(1, w, 2, dist2, 1), 1);
}

static void
test_guest_socket_without_workers(void)
{
	const bool w2[2] = { true, false };
	const bool w4[5] = { true, false, true, false, false };

	/* dual socket, workers on 0 only: 0, whatever it used */
	CU_ASSERT_EQUAL(sl_numa_pick_socket(1, w2, 2, dist2, 1), 0);
	/* ring: node 1 is 16 from 0 and from 2: the lowest */
	CU_ASSERT_EQUAL(sl_numa_pick_socket(1, w4, 5, dist_ring, 2), 0);
	/* node 3: 16 from 0 and 2 as well */
	CU_ASSERT_EQUAL(sl_numa_pick_socket(3, w4, 5, dist_ring, 2), 0);
	/* node 4 is nearer 3 (no workers) than 0 or 2 (30 each): lowest */
	CU_ASSERT_EQUAL(sl_numa_pick_socket(4, w4, 5, dist_ring, 2), 0);
	{
		const bool w[5] = { false, false, true, true, false };

		CU_ASSERT_EQUAL(sl_numa_pick_socket(4, w, 5, dist_ring, 2), 3);
		CU_ASSERT_EQUAL(sl_numa_pick_socket(0, w, 5, dist_ring, 2), 3);
		CU_ASSERT_EQUAL(sl_numa_pick_socket(1, w, 5, dist_ring, 3), 2);
	}
}

static void
test_nothing_known_keeps_current(void)
{
	const bool w[2] = { true, false };

	/* rte_vhost could not read the guest's node */
	CU_ASSERT_EQUAL(sl_numa_pick_socket(-1, w, 2, dist2, 0), 0);
	/* a node beyond those the switch has pools for, no distances */
	CU_ASSERT_EQUAL(sl_numa_pick_socket(7, w, 2, NULL, 0), 0);
	CU_ASSERT_EQUAL(sl_numa_pick_socket(1, w, 2, NULL, 0), 0);
	CU_ASSERT_EQUAL(sl_numa_pick_socket(1, w, 2, dist_unknown, 0), 0);
	/* one node (this host): always 0 */
	CU_ASSERT_EQUAL(sl_numa_pick_socket(0, w, 1, dist2, 0), 0);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "guest's socket has workers", test_guest_socket_with_workers },
		{ "guest's socket has none: nearest", test_guest_socket_without_workers },
		{ "nothing known: current socket", test_nothing_known_keeps_current },
	};

	return cunit_run_suite("vhost NUMA placement", tests, CUNIT_N_TESTS(tests));
}
