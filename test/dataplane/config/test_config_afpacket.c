/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [port:NAME] type = afpacket (Sluice's own af_packet port): its keys, the
 * keys of other types it refuses, and 'iface' refused on other types.
 */
#include "cunit_main.h"
#include "config_test_util.h"

static void
test_afpacket_port(void)
{
	const char *t =
		"[port:k1]\ntype = afpacket\niface = veth-k1.10\nofport = 7\n"
		"queues = 4\nrxd = 4096\ntxd = 512\nmtu = 9000\n"
		"[port:k2]\ntype = afpacket\niface = eth0\n";

	CU_ASSERT_EQUAL_FATAL(load(t), 0);
	CU_ASSERT_EQUAL_FATAL(cfg.n_ports, 2);
	CU_ASSERT_EQUAL(cfg.ports[0].type, SL_PORT_AFPACKET);
	CU_ASSERT_STRING_EQUAL(cfg.ports[0].args, "veth-k1.10");
	CU_ASSERT_EQUAL(cfg.ports[0].ofport, 7);
	CU_ASSERT_EQUAL(cfg.ports[0].n_rxq, 4);
	CU_ASSERT_EQUAL(cfg.ports[0].n_txq, 0); /* one per worker */
	CU_ASSERT_EQUAL(cfg.ports[0].rxd, 4096);
	CU_ASSERT_EQUAL(cfg.ports[0].txd, 512);
	CU_ASSERT_EQUAL(cfg.ports[0].mtu, 9000);
	CU_ASSERT_STRING_EQUAL(cfg.ports[1].args, "eth0");
	CU_ASSERT_EQUAL(cfg.ports[1].n_rxq, 0);
	CU_ASSERT_STRING_EQUAL(sl_port_type_name(cfg.ports[0].type), "afpacket");
}

static void
test_afpacket_errors(void)
{
	expect_error("[port:p]\ntype = afpacket\n", 1, "an afpacket port needs 'iface'");
	expect_error("[port:p]\ntype = afpacket\niface = 0123456789abcdef\n", 3,
		     "a kernel interface name of 1 to 15 characters");
	expect_error("[port:p]\ntype = afpacket\niface = a/b\n", 3, "no '/'");
	expect_error("[port:p]\ntype = afpacket\niface = a b\n", 3, "got \"a b\"");
	expect_error("[port:p]\ntype = afpacket\niface = e0\ndevargs = net_null0\n", 4,
		     "'devargs' is not a key of afpacket ports");
	expect_error("[port:p]\ntype = afpacket\niface = e0\ntx_queues = 2\n", 4,
		     "'tx_queues' is not a key of afpacket ports");
	expect_error("[port:p]\ntype = afpacket\niface = e0\npath = /x\n", 4,
		     "'path' is not a key");
	expect_error("[port:p]\ntype = afpacket\niface = e0\nqueues = 17\n", 4, "between 1 and 16");
	expect_error("[port:p]\ntype = dpdk\ndevargs = net_null0\niface = e0\n", 1,
		     "'iface' is for afpacket ports");
	expect_error("[port:p]\ntype = vhost-user\npath = /x\niface = e0\n", 1,
		     "'iface' is for afpacket ports");
}

int
main(void)
{
	const struct cunit_test tests[] = {
		{ "type = afpacket", test_afpacket_port },
		{ "type = afpacket: errors", test_afpacket_errors },
	};

	return cunit_run_suite("config_afpacket", tests, CUNIT_N_TESTS(tests));
}
