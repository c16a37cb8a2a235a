/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests for the configuration parser: good files, and bad ones whose
 * errors must name the file, the line and what was expected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "config_test_util.h"

static void
test_embedded_default(void)
{
	CU_ASSERT_EQUAL(sl_config_load_string(&cfg, sl_config_embedded_default,
					      "<embedded>", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(cfg.n_ports, 3);
	CU_ASSERT_EQUAL(cfg.n_workers, 1);
	CU_ASSERT_EQUAL(cfg.worker_lcores[0], 1);
	CU_ASSERT_EQUAL(cfg.ports[0].type, SL_PORT_VHOST);
	CU_ASSERT_FALSE(cfg.ports[0].vhost_server);
	CU_ASSERT_EQUAL(cfg.ports[2].type, SL_PORT_ETHDEV);
	CU_ASSERT_EQUAL(cfg.xconnect[0], -1);
	CU_ASSERT_FALSE(cfg.xconnect_only);
	CU_ASSERT_TRUE(cfg.miss_handler); /* handler unless asked */
	CU_ASSERT_EQUAL(cfg.n_of_targets, 1);
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[0], "ptcp:6653:127.0.0.1");
	CU_ASSERT_TRUE(cfg.fail_standalone);
	CU_ASSERT_EQUAL(cfg.miss_send_len, 128);
	CU_ASSERT_EQUAL(cfg.emc_insert_inv_prob, SL_CONFIG_EMC_DEFAULT_INV_PROB); /* EMC on */
}

static void
test_openflow_section(void)
{
	const char *t =
		"[openflow]\n"
		"controllers = tcp:127.0.0.1:6653, tcp:[::1]:6633\n"
		"listen = ptcp:16653\n"
		"fail_mode = standalone\n"
		"service_roles = yes\n"
		"max_rules = 5000\n"
		"mac_limit_per_port = 256\n"
		"miss_send_len = 0\n"
		"packet_in_rate = 500\n"
		"packet_in_burst = 50\n"
		"probe_interval = 3\n"
		"max_backoff = 30\n";

	CU_ASSERT_EQUAL_FATAL(load(t), 0);
	CU_ASSERT_EQUAL(cfg.n_of_targets, 3);
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[0], "tcp:127.0.0.1:6653");
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[1], "tcp:[::1]:6633");
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[2], "ptcp:16653");
	CU_ASSERT_TRUE(cfg.fail_standalone);
	CU_ASSERT_TRUE(cfg.service_roles);
	CU_ASSERT_EQUAL(cfg.max_rules, 5000);
	CU_ASSERT_EQUAL(cfg.mac_limit_per_port, 256);
	CU_ASSERT_EQUAL(cfg.miss_send_len, 0);
	CU_ASSERT_EQUAL(cfg.packet_in_rate, 500);
	CU_ASSERT_EQUAL(cfg.packet_in_burst, 50);
	CU_ASSERT_EQUAL(cfg.probe_interval_ms, 3000);
	CU_ASSERT_EQUAL(cfg.max_backoff_ms, 30000);
	CU_ASSERT_FALSE(cfg.xconnect_only);
	CU_ASSERT_EQUAL(load("[openflow]\nlisten = none\n"), 0);
	CU_ASSERT_FALSE(cfg.fail_standalone); /* secure unless asked */
	CU_ASSERT_FALSE(cfg.service_roles);
	CU_ASSERT_EQUAL(cfg.max_rules, 1000000);
	CU_ASSERT_EQUAL(cfg.mac_limit_per_port, 0);
	CU_ASSERT_EQUAL(cfg.n_of_targets, 0);
	expect_error("[openflow]\nlisten = tcp:1.2.3.4:5\n", 2, "passive targets");
	expect_error("[openflow]\ncontrollers = ptcp:5\n", 2, "active targets");
	expect_error("[openflow]\nfail_mode = open\n", 2, "\"secure\" or \"standalone\"");
	expect_error("[openflow]\nprobe_interval = 0\n", 2, "seconds between 1 and 3600");
	expect_error("[openflow]\nroles = x\n", 2, "unknown key 'roles' in [openflow]");
	expect_error("[openflow]\nmax_rules = 0\n", 2, "a rule count, 1 to 100000000");
	expect_error("[openflow]\nservice_roles = 1\n", 2, "expected \"yes\" or \"no\", got \"1\"");
}

static void
test_full_file(void)
{
	const char *t =
		"; comment\n"
		"[switch]\n"
		"datapath_id = 0xabcdef  ; trailing comment\n"
		"main_lcore = 2\n"
		"workers = 4-5,7\n"
		"mbufs_per_socket = 32768\n"
		"prefix_tracking = no\n"
		"miss_handling = inline\n"
		"handler_spill = no\n"
		"heap_reserve_mb = 128\n"
		"emc_insert_inv_prob = 0\n"
		"[dpdk]\n"
		"eal_args = --no-pci --file-prefix=x\n"
		"[xconnect]\n"
		"a = b\n"
		"[port:a]\n"
		"type = dpdk\n"
		"devargs = net_ring0\n"
		"rx_queues = 4\n"
		"tx_queues = 2\n"
		"rxd = 512\n"
		"[port:b]\n"
		"type = vhost-user\n"
		"path = /tmp/b.sock\n"
		"mode = server\n"
		"queues = 2\n"
		"ofport = 7\n"
		"[port:c]\n"
		"type = dpdk\n"
		"devargs = net_null0\n";

	CU_ASSERT_EQUAL_FATAL(load(t), 0);
	CU_ASSERT_EQUAL(cfg.datapath_id, 0xabcdef);
	CU_ASSERT_EQUAL(cfg.main_lcore, 2);
	CU_ASSERT_EQUAL(cfg.n_workers, 3);
	CU_ASSERT_EQUAL(cfg.worker_lcores[0], 4);
	CU_ASSERT_EQUAL(cfg.worker_lcores[2], 7);
	CU_ASSERT_EQUAL(cfg.mbufs_per_socket, 32768);
	CU_ASSERT_TRUE(cfg.no_prefix_tracking);
	CU_ASSERT_FALSE(cfg.miss_handler);
	CU_ASSERT_TRUE(cfg.no_handler_spill);
	CU_ASSERT_EQUAL(cfg.heap_reserve_mb, 128);
	CU_ASSERT_EQUAL(cfg.emc_insert_inv_prob, 0);
	CU_ASSERT_STRING_EQUAL(cfg.eal_args, "--no-pci --file-prefix=x");
	CU_ASSERT_EQUAL(cfg.n_ports, 3);
	CU_ASSERT_STRING_EQUAL(cfg.ports[0].args, "net_ring0");
	CU_ASSERT_EQUAL(cfg.ports[0].n_rxq, 4);
	CU_ASSERT_EQUAL(cfg.ports[0].n_txq, 2);
	CU_ASSERT_EQUAL(cfg.ports[0].rxd, 512);
	CU_ASSERT_TRUE(cfg.ports[1].vhost_server);
	CU_ASSERT_EQUAL(cfg.ports[1].n_rxq, 2);
	CU_ASSERT_EQUAL(cfg.ports[1].n_txq, 2);
	/* explicit ofport kept; others take the lowest free numbers in order */
	CU_ASSERT_EQUAL(cfg.ports[1].ofport, 7);
	CU_ASSERT_EQUAL(cfg.ports[0].ofport, 1);
	CU_ASSERT_EQUAL(cfg.ports[2].ofport, 2);
	CU_ASSERT_EQUAL(cfg.xconnect[0], 1);
	CU_ASSERT_EQUAL(cfg.xconnect[1], -1);
}

static void
test_real_file_and_missing_file(void)
{
	char path[] = "/tmp/sl-test-config-XXXXXX";
	int fd = mkstemp(path);
	const char *t = "[switch]\nworkers = 1\n[port:p]\ntype = dpdk\ndevargs = net_null0\nbogus = 1\n";

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, t, strlen(t)), (ssize_t)strlen(t));
	close(fd);
	CU_ASSERT_EQUAL(sl_config_load(&cfg, path, err, sizeof(err)), -1);
	{
		char want[128];

		snprintf(want, sizeof(want), "%s:6: unknown key 'bogus' in [port:p]", path);
		CU_ASSERT_STRING_EQUAL(err, want);
	}
	unlink(path);
	CU_ASSERT_EQUAL(sl_config_load(&cfg, "/nonexistent/x.ini", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/x.ini: cannot open"));
}

static void
test_syntax_errors(void)
{
	expect_error("[switch]\nworkers 1\n", 2, "expected 'key = value'");
	expect_error("workers = 1\n", 1, "before any [section]");
	expect_error("[switch\n", 1, "expected '[section]'");
	expect_error("# hi\n", 1, "comments start with ';'");
	expect_error("[switch]\n[switch]\n", 2, "already defined at line 1");
	expect_error("[switch]\nworkers = 1\nworkers = 2\n", 3, "already set in [switch] at line 2");
	expect_error("[switch]\n = 3\n", 2, "key empty");
}

static void
test_semantic_errors(void)
{
	expect_error("[switch]\n\nfoo = 1\n", 3, "unknown key 'foo' in [switch]");
	expect_error("[bridge]\n", 1, "unknown section [bridge]");
	expect_error("[switch]\nworkers = 3-1\n", 2, "reversed");
	expect_error("[switch]\nworkers = x\n", 2, "lcore list");
	expect_error("[switch]\nworkers = 0\n", 2, "main (control) lcore");
	expect_error("[switch]\ndatapath_id = 12q\n", 2, "expected a 64-bit number");
	expect_error("[switch]\nmbufs_per_socket = 10\n", 2, "between 1024");
	expect_error("[switch]\nprefix_tracking = off\n", 2, "expected \"yes\" or \"no\", got \"off\"");
	expect_error("[switch]\nhandler_spill = 1\n", 2, "expected \"yes\" or \"no\", got \"1\"");
	expect_error("[switch]\nheap_reserve_mb = 70000\n", 2, "between 0 and 65536");
	expect_error("[switch]\n\nemc_insert_inv_prob = -1\n", 3, "0 (no EMC) or N");
	expect_error("[switch]\nmiss_handling = lcore\n", 2,
		     "expected \"inline\" or \"handler\", got \"lcore\"");
	expect_error("[port:p]\ntype = nic\n", 2,
		     "expected \"dpdk\", \"vhost-user\", \"afpacket\", \"vxlan\" or "
		     "\"geneve\", got \"nic\"");
	expect_error("[port:p]\ndevargs = net_null0\n", 1, "missing 'type'");
	expect_error("[port:p]\ntype = dpdk\n", 1, "needs 'devargs'");
	expect_error("[port:p]\ntype = vhost-user\n", 1, "needs 'path'");
	expect_error("[port:p]\ntype = vhost-user\npath = /x\nmode = both\n", 4,
		     "\"client\" or \"server\"");
	expect_error("[port:p]\ntype = dpdk\ndevargs = a\nqueues = 2\n", 1, "are for vhost-user");
	expect_error("[port:p]\ntype = vhost-user\npath = /x\nrx_queues = 2\n", 1, "are for dpdk");
	expect_error("[port:p]\ntype = dpdk\ndevargs = a\nofport = 0\n", 4, "between 1 and 0xffffff00");
	expect_error("[port:p]\ntype = dpdk\ndevargs = a\nofport = 0xffffff01\n", 4, "ofport");
	expect_error("[port:p]\ntype = dpdk\ndevargs = a\nrx_queues = 17\n", 4, "between 1 and 16");
	expect_error("[port:p]\ntype = dpdk\ndevargs = a\nrxd = 100\n", 4, "power of two");
	expect_error("[port:p]\ntype = dpdk\ndevargs = a\nofport = 5\n"
		     "[port:q]\ntype = dpdk\ndevargs = b\nofport = 5\n", 8, "already used by port 'p'");
	expect_error("[port:]\ntype = dpdk\ndevargs = a\n", 1, "[port:NAME]");
	expect_error("[port:p]\ntype = dpdk\ndevargs = a\n[xconnect]\np = q\n", 5,
		     "expected a configured port name, got \"q\"");
	expect_error("[xconnect]\nz = z\n", 2, "'z' is not a configured port");
}

static void
test_lcore_lists(void)
{
	unsigned int out[8];

	CU_ASSERT_EQUAL(sl_config_parse_lcores("3", out, 8, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(out[0], 3);
	CU_ASSERT_EQUAL(sl_config_parse_lcores("5,1-2,2", out, 8, err, sizeof(err)), 3);
	CU_ASSERT_EQUAL(out[0], 1);
	CU_ASSERT_EQUAL(out[1], 2);
	CU_ASSERT_EQUAL(out[2], 5);
	CU_ASSERT_EQUAL(sl_config_parse_lcores("0-9", out, 8, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(sl_config_parse_lcores("128", out, 8, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(sl_config_parse_lcores("-1", out, 8, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(sl_config_parse_lcores("", out, 8, err, sizeof(err)), -1);
}

static void
test_config_examples(void)
{
	/* Every documented example in config/ must load. */
	static const char *const files[] = {
		SL_SOURCE_ROOT "/config/default.ini",
		SL_SOURCE_ROOT "/config/vhost-pair.ini",
		SL_SOURCE_ROOT "/config/lab-ports.ini",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int rc = sl_config_load(&cfg, files[i], err, sizeof(err));

		if (rc != 0)
			fprintf(stderr, "\n  %s\n", err);
		CU_ASSERT_EQUAL(rc, 0);
	}
}

/* vhost-user offloads and tx retries: defaults (off, 8), values, refusals. */
static void
test_vhost_offload_keys(void)
{
	CU_ASSERT_EQUAL_FATAL(load("[port:v]\ntype = vhost-user\npath = /x\n"), 0);
	CU_ASSERT_FALSE(cfg.ports[0].offloads);
	CU_ASSERT_EQUAL(cfg.ports[0].tx_retries, SL_PORT_TX_RETRIES_DEFAULT);
	CU_ASSERT_EQUAL_FATAL(load("[port:v]\ntype = vhost-user\npath = /x\noffloads = yes\n"
				   "tx_retries = 0\nmtu = 9000\n"), 0);
	CU_ASSERT_TRUE(cfg.ports[0].offloads);
	CU_ASSERT_EQUAL(cfg.ports[0].tx_retries, 0);
	CU_ASSERT_EQUAL(cfg.ports[0].mtu, 9000);
	expect_error("[port:v]\ntype = vhost-user\npath = /x\noffloads = on\n", 4,
		     "expected \"yes\" or \"no\" (vhost-user and dpdk ports), got \"on\"");
	expect_error("[port:v]\ntype = vhost-user\npath = /x\ntx_retries = 33\n", 4,
		     "between 0 and 32");
	/* a dpdk port: the device's checksum / TSO offloads (sl_port_offload.h) */
	CU_ASSERT_EQUAL_FATAL(load("[port:p]\ntype = dpdk\ndevargs = a\noffloads = yes\n"), 0);
	CU_ASSERT_TRUE(cfg.ports[0].offloads);
	expect_error("[port:p]\ntype = dpdk\ndevargs = a\ntx_retries = 2\n", 1,
		     "'tx_retries' is for vhost-user ports");
	expect_error("[port:p]\ntype = afpacket\niface = x\noffloads = no\n", 4,
		     "'offloads' is not a key of afpacket ports");
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "offloads (vhost, dpdk), tx_retries", test_vhost_offload_keys },
		{ "embedded default", test_embedded_default },
		{ "full file", test_full_file },
		{ "real file, missing file", test_real_file_and_missing_file },
		{ "syntax errors", test_syntax_errors },
		{ "semantic errors", test_semantic_errors },
		{ "lcore lists", test_lcore_lists },
		{ "[openflow]", test_openflow_section },
		{ "config/ examples", test_config_examples },
	};

	return cunit_run_suite("config", tests, CUNIT_N_TESTS(tests));
}
