/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The port model's configuration side (no EAL): [switch] local_port (the
 * LOCAL port as the last port, OFPP_LOCAL) and `sluicectl add-port`'s
 * KEY=VALUE words read with the file's rules and messages (the numbers
 * run-time ports keep: test/sluiced/test_runtime_ports.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_test_util.h"
#include "cunit_main.h"
#include "openflow.h"

#define HEAD "[switch]\nworkers = 1\n"
#define PORT_A "[port:a]\ntype = dpdk\ndevargs = net_null0\n"

static void
test_local_port(void)
{
	const struct sl_port_params *l;

	/* absent, or none: no LOCAL port */
	CU_ASSERT_EQUAL_FATAL(load(HEAD PORT_A), 0);
	CU_ASSERT_EQUAL(cfg.n_ports, 1);
	CU_ASSERT_EQUAL(load(HEAD "local_port = none\n" PORT_A), 0);
	CU_ASSERT_EQUAL(cfg.n_ports, 1);
	/* a net_tap after the [port:NAME] ports, with a MAC from the datapath id */
	CU_ASSERT_EQUAL_FATAL(load("[switch]\ndatapath_id = 0x1a2b3c4d5e\nlocal_port = br-int\n"
				   PORT_A), 0);
	CU_ASSERT_EQUAL_FATAL(cfg.n_ports, 2);
	l = &cfg.ports[1];
	CU_ASSERT_STRING_EQUAL(l->name, "br-int");
	CU_ASSERT_EQUAL(l->ofport, OFPP_LOCAL);
	CU_ASSERT_EQUAL(l->type, SL_PORT_ETHDEV);
	CU_ASSERT_STRING_EQUAL(l->args, "net_tap_sl_local,iface=br-int,mac=02:4c:2b:3c:4d:5e");
	/* the other ports' numbers are not affected */
	CU_ASSERT_EQUAL(cfg.ports[0].ofport, 1);
	CU_ASSERT_EQUAL(sl_config_port_index(&cfg, "br-int"), 1);
	/* bad names, a name a port has */
	expect_error(HEAD "local_port = a-very-long-name0\n", 3, "interface name of 1 to 15");
	expect_error(HEAD "local_port = br,x\n", 3, "expected \"none\" or an interface name");
	expect_error(HEAD "local_port = a\n" PORT_A, 3,
		     "local_port: 'a' is already the name of a [port:a]");
}

/* sl_config_parse_port on the words of @line (split at spaces). */
static int
parse(const char *name, const char *line, struct sl_port_params *pp)
{
	char buf[512], *words[16], *save = NULL;
	unsigned int n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	err[0] = '\0';
	return sl_config_parse_port(name, words, n, pp, err, sizeof(err));
}

static void
expect_parse_error(const char *line, const char *needle)
{
	struct sl_port_params pp;
	bool ok;

	CU_ASSERT_EQUAL(parse("p", line, &pp), -1);
	ok = strstr(err, needle) != NULL && strncmp(err, "add-port", 8) != 0;
	CU_ASSERT_TRUE(ok);
	if (!ok)
		fprintf(stderr, "\n  got error: %s (wanted ...%s)\n", err, needle);
}

static void
test_parse_port(void)
{
	struct sl_port_params pp;

	CU_ASSERT_EQUAL_FATAL(parse("vm3", "type=vhost-user path=/run/vm3.sock queues=2 "
				    "ofport=7", &pp), 0);
	CU_ASSERT_STRING_EQUAL(pp.name, "vm3");
	CU_ASSERT_EQUAL(pp.type, SL_PORT_VHOST);
	CU_ASSERT_STRING_EQUAL(pp.args, "/run/vm3.sock");
	CU_ASSERT_EQUAL(pp.n_rxq, 2);
	CU_ASSERT_EQUAL(pp.n_txq, 2);
	CU_ASSERT_EQUAL(pp.ofport, 7);
	/* devargs keep their commas and '='; no ofport: 0, the caller picks */
	CU_ASSERT_EQUAL_FATAL(parse("t", "type=dpdk devargs=net_tap1,iface=t1,mac=fixed mtu=9000",
				    &pp), 0);
	CU_ASSERT_STRING_EQUAL(pp.args, "net_tap1,iface=t1,mac=fixed");
	CU_ASSERT_EQUAL(pp.mtu, 9000);
	CU_ASSERT_EQUAL(pp.ofport, 0);
	/* the file's checks and messages, without its line numbers */
	expect_parse_error("type=dpdk", "[port:p]: a dpdk port needs 'devargs'");
	expect_parse_error("type=dpdk devargs=net_null0 ofport=0", "ofport: expected an OpenFlow "
			   "port number between 1 and 0xffffff00, got \"0\"");
	expect_parse_error("type=dpdk devargs=net_null0 ofport=4294967294", "got \"4294967294\"");
	expect_parse_error("type=dpdk devargs=net_null0 colour=red", "unknown key 'colour'");
	expect_parse_error("type=dpdk devargs=x devargs=y", "key 'devargs' already set");
	expect_parse_error("type=dpdk devargs", "expected KEY=VALUE");
	expect_parse_error("type=dpdk devargs=a;b", "expected KEY=VALUE");
	expect_parse_error("type=dpdk =x", "expected KEY=VALUE");
	expect_parse_error("", "missing 'type'");
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "[switch] local_port", test_local_port },
		{ "add-port words", test_parse_port },
	};

	return cunit_run_suite("config_ports", tests, CUNIT_N_TESTS(tests));
}
