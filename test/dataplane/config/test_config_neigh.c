/* SPDX-License-Identifier: BSD-3-Clause */
/* [switch] neighbour_* and [neighbours] (static underlay neighbours): what
 * is accepted, and every refusal with its line. No EAL. */
#include <sys/socket.h>

#include "config_test_util.h"
#include "cunit_main.h"

#define HEAD "[switch]\nworkers = 1\n" /* lines 1-2 */
#define PORTS "[port:und]\ntype = afpacket\niface = v2x0\n" /* lines 3-5 */ \
	"[port:vm]\ntype = vhost-user\npath = /tmp/v2-vm.sock\n" /* lines 6-8 */

static void
test_defaults_and_keys(void)
{
	CU_ASSERT_EQUAL_FATAL(load(HEAD), 0);
	CU_ASSERT_EQUAL(cfg.neigh_timeout_ms, 300000);
	CU_ASSERT_EQUAL(cfg.neigh_retries, 3);
	CU_ASSERT_EQUAL(cfg.neigh_queue_len, 16);
	CU_ASSERT_EQUAL(cfg.n_neighbours, 0);
	CU_ASSERT_EQUAL_FATAL(load(HEAD "neighbour_timeout = 30\nneighbour_retries = 5\n"
				   "neighbour_queue = 64\n"), 0);
	CU_ASSERT_EQUAL(cfg.neigh_timeout_ms, 30000);
	CU_ASSERT_EQUAL(cfg.neigh_retries, 5);
	CU_ASSERT_EQUAL(cfg.neigh_queue_len, 64);
	expect_error(HEAD "neighbour_timeout = 0\n", 3, "seconds between 1 and 86400");
	expect_error(HEAD "neighbour_retries = 11\n", 3, "between 1 and 10");
	expect_error(HEAD "neighbour_queue = 2000\n", 3, "between 1 and 1024");
}

static void
test_static_entries(void)
{
	CU_ASSERT_EQUAL_FATAL(load(HEAD PORTS "[neighbours]\n192.0.2.2 = 02:00:00:00:00:02\n"
				   "2001:db8::2 = 02:00:00:00:00:03@und\n"), 0);
	CU_ASSERT_EQUAL_FATAL(cfg.n_neighbours, 2);
	CU_ASSERT_EQUAL(cfg.neighbours[0].ip.family, AF_INET);
	CU_ASSERT_EQUAL(cfg.neighbours[0].ip.addr[3], 2);
	CU_ASSERT_EQUAL(cfg.neighbours[0].port, -1);
	CU_ASSERT_EQUAL(cfg.neighbours[0].mac[5], 2);
	CU_ASSERT_EQUAL(cfg.neighbours[1].ip.family, AF_INET6);
	CU_ASSERT_EQUAL(cfg.neighbours[1].port, 0);
	CU_ASSERT_EQUAL(cfg.neighbours[1].mac[5], 3);
}

static void
test_bad_entries(void)
{
	expect_error(HEAD PORTS "[neighbours]\nhost2 = 02:00:00:00:00:02\n", 10,
		     "expected an IPv4 or IPv6 address");
	expect_error(HEAD PORTS "[neighbours]\n192.0.2.2 = 02:00:00:00:00\n", 10,
		     "expected a unicast MAC address");
	expect_error(HEAD PORTS "[neighbours]\n192.0.2.2 = 01:00:5e:00:00:01\n", 10,
		     "expected a unicast MAC address");
	expect_error(HEAD PORTS "[neighbours]\n224.0.0.1 = 02:00:00:00:00:02\n", 10,
		     "multicast, broadcast or zero");
	expect_error(HEAD PORTS "[neighbours]\n192.0.2.2 = 02:00:00:00:00:02@nope\n", 10,
		     "'nope' is not a configured port");
	expect_error(HEAD PORTS "[neighbours]\n192.0.2.2 = 02:00:00:00:00:02@vm\n", 10,
		     "not an underlay");
	/* one address written two ways */
	expect_error(HEAD PORTS "[neighbours]\n2001:db8::2 = 02:00:00:00:00:02\n"
		     "2001:db8:0::2 = 02:00:00:00:00:03\n", 11, "already given");
	expect_error(HEAD PORTS "[neighbours]\n192.0.2.2 = 02:00:00:00:00:02\n"
		     "192.0.2.2 = 02:00:00:00:00:03\n", 11, "already set");
}

int
main(void)
{
	const struct cunit_test tests[] = {
		{ "[switch] neighbour_* defaults and ranges", test_defaults_and_keys },
		{ "[neighbours] IP = MAC[@PORT]", test_static_entries },
		{ "[neighbours] bad lines name their line", test_bad_entries },
	};

	return cunit_run_suite("config_neigh", tests, CUNIT_N_TESTS(tests));
}
