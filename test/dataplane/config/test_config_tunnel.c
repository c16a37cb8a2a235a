/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [port:NAME] type = vxlan | geneve (config_tunnel.c): its keys and defaults, the
 * local VTEP list, and every wrong combination refused with its line.
 */
#include "cunit_main.h"
#include "config_test_util.h"

#define UNDERLAY "[port:phy]\ntype = afpacket\niface = v1-u0\n" /* lines 1-3 */

static void
test_vxlan_port(void)
{
	const char *t = UNDERLAY
		"[port:vx1]\ntype = vxlan\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		"remote_ip = 10.0.0.2\nkey = 5\nofport = 9\n"
		"[port:vx2]\ntype = vxlan\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		"remote_ip = flow\nkey = flow\ndst_port = 8472\nttl = 9\ndf = no\n"
		"[port:vx6]\ntype = vxlan\nunderlay = phy\nlocal_ip = 2001:db8::1\n"
		"remote_ip = 2001:db8::2\nkey = 16777215\n";
	struct sl_ip_addr v[4];

	CU_ASSERT_EQUAL_FATAL(load(t), 0);
	CU_ASSERT_EQUAL_FATAL(cfg.n_ports, 4);
	const struct sl_port_params *a = &cfg.ports[1], *b = &cfg.ports[2], *c6 = &cfg.ports[3];
	CU_ASSERT_EQUAL(a->type, SL_PORT_TUNNEL);
	CU_ASSERT_STRING_EQUAL(sl_port_type_name(a->type), "vxlan");
	CU_ASSERT_STRING_EQUAL(a->tnl.underlay, "phy");
	CU_ASSERT_EQUAL(a->tnl.local.family, AF_INET);
	CU_ASSERT_EQUAL(a->tnl.local.addr[3], 1);
	CU_ASSERT_EQUAL(a->tnl.remote.addr[3], 2);
	CU_ASSERT_FALSE(a->tnl.remote_flow);
	CU_ASSERT_EQUAL(a->tnl.vni, 5);
	CU_ASSERT_EQUAL(a->tnl.dst_port, 4789); /* defaults */
	CU_ASSERT_EQUAL(a->tnl.ttl, 64);
	CU_ASSERT_TRUE(a->tnl.df);
	CU_ASSERT_EQUAL(a->ofport, 9);
	CU_ASSERT_TRUE(b->tnl.remote_flow);
	CU_ASSERT_TRUE(b->tnl.key_flow);
	CU_ASSERT_EQUAL(b->tnl.dst_port, 8472);
	CU_ASSERT_EQUAL(b->tnl.ttl, 9);
	CU_ASSERT_FALSE(b->tnl.df);
	CU_ASSERT_EQUAL(c6->tnl.local.family, AF_INET6);
	CU_ASSERT_EQUAL(c6->tnl.vni, 16777215);
	CU_ASSERT_EQUAL(sl_config_vteps(&cfg, "phy", v, 4), 2); /* 10.0.0.1 once, 2001:db8::1 */
	CU_ASSERT(sl_ip_addr_eq(&v[0], &a->tnl.local));
	CU_ASSERT(sl_ip_addr_eq(&v[1], &c6->tnl.local));
	CU_ASSERT_EQUAL(sl_config_vteps(&cfg, "phy", v, 1), 1);
	CU_ASSERT_EQUAL(sl_config_vteps(&cfg, "vx1", v, 4), 0);
}

static void
test_vxlan_errors(void)
{
	const char *base = UNDERLAY "[port:vx]\ntype = vxlan\nunderlay = phy\n"; /* vx: line 4 */
	char t[512];

#define WITH(extra) (snprintf(t, sizeof(t), "%s%s", base, extra), t)
	expect_error(WITH("remote_ip = 10.0.0.2\nkey = 1\n"), 4, "needs 'local_ip'");
	expect_error(WITH("local_ip = 10.0.0.1\nkey = 1\n"), 4, "needs 'remote_ip'");
	expect_error(WITH("local_ip = 10.0.0.1\nremote_ip = 2001:db8::2\nkey = 1\n"), 4,
		     "mix IPv4 and IPv6");
	expect_error(WITH("local_ip = 10.0.0.1\nremote_ip = 10.0.0.2\nkey = 16777216\n"), 9,
		     "a VNI between 0 and 16777215");
	expect_error(WITH("local_ip = host.example\nremote_ip = flow\n"), 7, "an IPv4 or IPv6");
	expect_error(WITH("local_ip = 10.0.0.1\nremote_ip = flow\ndst_port = 0\n"), 9,
		     "a UDP port");
	expect_error(WITH("local_ip = 10.0.0.1\nremote_ip = flow\nttl = 256\n"), 9, "a TTL");
	expect_error(WITH("local_ip = 10.0.0.1\nremote_ip = flow\ndf = maybe\n"), 9, "\"yes\" or");
	expect_error(WITH("local_ip = 10.0.0.1\nremote_ip = flow\niface = x\n"), 9,
		     "unknown key 'iface' in [port:vx]");
	expect_error(WITH("local_ip = 2001:db8::1\nremote_ip = flow\ndf = yes\n"), 9,
		     "IPv6 has no Don't Fragment");
	expect_error(UNDERLAY "[port:vx]\ntype = vxlan\nlocal_ip = 10.0.0.1\nremote_ip = flow\n",
		     4, "needs 'underlay'");
	expect_error(UNDERLAY "[port:vx]\ntype = vxlan\nunderlay = nope\nlocal_ip = 10.0.0.1\n"
		     "remote_ip = flow\n", 6, "'nope' is not a configured port");
	expect_error("[port:vm]\ntype = vhost-user\npath = /x\n"
		     "[port:vx]\ntype = vxlan\nunderlay = vm\nlocal_ip = 10.0.0.1\nremote_ip = flow\n",
		     6, "'vm' is a vhost-user port; expected a dpdk or afpacket port");
	expect_error(WITH("local_ip = 10.0.0.1\nremote_ip = 10.0.0.2\nkey = 3\n"
			  "[port:vy]\ntype = vxlan\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
			  "remote_ip = 10.0.0.2\nkey = 3\n"), 10, "port 'vx' has the same underlay");
	expect_error(WITH("local_ip = 10.0.0.1\nremote_ip = 10.0.0.2\nkey = flow\n"
			  "[port:vy]\ntype = vxlan\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
			  "remote_ip = 10.0.0.2\nkey = flow\n"), 10, "same underlay");
	/* the same remote with another key, or another dst_port: two ports */
	CU_ASSERT_EQUAL(load(WITH("local_ip = 10.0.0.1\nremote_ip = 10.0.0.2\nkey = 3\n"
				  "[port:vy]\ntype = vxlan\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
				  "remote_ip = 10.0.0.2\nkey = flow\n")), 0);
	CU_ASSERT_EQUAL(load(WITH("local_ip = 10.0.0.1\nremote_ip = 10.0.0.2\nkey = 3\n"
				  "[port:vy]\ntype = vxlan\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
				  "remote_ip = 10.0.0.2\nkey = 3\ndst_port = 4790\n")), 0);
#undef WITH
}

/* sl_config_parse_port (sluicectl add-port) on space-separated words. */
static int
parse_words(const char *line, struct sl_port_params *pp, char *why, size_t len)
{
	char buf[512], *words[16], *save = NULL;
	unsigned int n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	why[0] = '\0';
	return sl_config_parse_port("vx", words, n, pp, why, len);
}

/* add-port: the underlay is the running switch's (checked by the datapath,
 * sl_tunnel_port_check), every check of the port alone still applies. */
static void
test_vxlan_add_port(void)
{
	struct sl_port_params pp;
	char why[512];

	CU_ASSERT_EQUAL_FATAL(parse_words("type=vxlan underlay=phy0 local_ip=192.0.2.1 "
					  "remote_ip=192.0.2.2 key=5 ttl=9", &pp, why,
					  sizeof(why)), 0);
	CU_ASSERT_EQUAL(pp.type, SL_PORT_TUNNEL);
	CU_ASSERT_STRING_EQUAL(pp.tnl.underlay, "phy0");
	CU_ASSERT_EQUAL(pp.tnl.vni, 5);
	CU_ASSERT_EQUAL(pp.tnl.ttl, 9);
	CU_ASSERT_EQUAL(pp.tnl.dst_port, 4789);
	CU_ASSERT_TRUE(pp.tnl.df);
	CU_ASSERT_EQUAL(pp.ofport, 0); /* the caller picks one */
	CU_ASSERT_EQUAL(parse_words("type=vxlan underlay=phy0 local_ip=192.0.2.1 key=5", &pp,
				    why, sizeof(why)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "needs 'remote_ip'"));
	CU_ASSERT_EQUAL(parse_words("type=vxlan underlay=phy0 local_ip=192.0.2.1 "
				    "remote_ip=2001:db8::2", &pp, why, sizeof(why)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "mix IPv4 and IPv6"));
	CU_ASSERT_EQUAL(parse_words("type=vxlan local_ip=192.0.2.1 remote_ip=192.0.2.2", &pp,
				    why, sizeof(why)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "needs 'underlay'"));
	CU_ASSERT_EQUAL(parse_words("type=vxlan underlay=phy0 local_ip=2001:db8::1 "
				    "remote_ip=2001:db8::2 df=no", &pp, why, sizeof(why)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "IPv6 has no Don't Fragment"));
	/* the file keeps its check of the underlay (test_vxlan_errors) */
}

/* type = geneve: the same keys, UDP port 6081 by default; a VTEP (underlay,
 * local_ip, dst_port) has one protocol. */
static void
test_geneve_port(void)
{
	const char *t = UNDERLAY
		"[port:gn1]\ntype = geneve\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		"remote_ip = 10.0.0.2\nkey = 5\n"
		"[port:vx1]\ntype = vxlan\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		"remote_ip = 10.0.0.2\nkey = 5\n"
		"[port:gn2]\ndst_port = 7000\ntype = geneve\nunderlay = phy\n"
		"local_ip = 2001:db8::1\nremote_ip = flow\nkey = flow\nttl = 3\n";
	struct sl_port_params pp;
	char why[512];

	CU_ASSERT_EQUAL_FATAL(load(t), 0);
	CU_ASSERT_EQUAL_FATAL(cfg.n_ports, 4);
	const struct sl_port_params *g = &cfg.ports[1], *v = &cfg.ports[2], *g2 = &cfg.ports[3];
	CU_ASSERT_EQUAL(g->type, SL_PORT_TUNNEL); /* a tunnel port ... */
	CU_ASSERT_EQUAL(g->tnl.proto, SL_TNL_PROTO_GENEVE); /* ... of Geneve */
	CU_ASSERT_STRING_EQUAL(sl_port_params_type_name(g), "geneve");
	CU_ASSERT_STRING_EQUAL(sl_port_params_type_name(v), "vxlan");
	CU_ASSERT_EQUAL(g->tnl.dst_port, 6081);
	CU_ASSERT_EQUAL(g->tnl.vni, 5);
	CU_ASSERT_TRUE(g->tnl.df);
	CU_ASSERT_EQUAL(v->tnl.proto, SL_TNL_PROTO_VXLAN);
	CU_ASSERT_EQUAL(v->tnl.dst_port, 4789);
	CU_ASSERT_EQUAL(g2->tnl.dst_port, 7000); /* given before the type */
	CU_ASSERT_TRUE(g2->tnl.remote_flow && g2->tnl.key_flow);
	CU_ASSERT_EQUAL(g2->tnl.ttl, 3);

	expect_error(UNDERLAY "[port:gn]\ntype = geneve\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		     "key = 1\n", 4, "a geneve port needs 'remote_ip'");
	expect_error(UNDERLAY "[port:gn]\ntype = geneve\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		     "remote_ip = flow\nkey = 16777216\n", 9, "a VNI between 0 and 16777215");
	expect_error(UNDERLAY "[port:gn]\ntype = gre\n", 5, "\"vxlan\" or \"geneve\", got \"gre\"");
	/* a Geneve port on a VXLAN port's VTEP: refused, on its type line */
	expect_error(UNDERLAY "[port:vx]\ntype = vxlan\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		     "remote_ip = 10.0.0.2\nkey = 1\n"
		     "[port:gn]\ntype = geneve\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		     "remote_ip = 10.0.0.3\nkey = 2\ndst_port = 4789\n", 11,
		     "port 'vx' is a vxlan port on the same underlay, local_ip and dst_port");
	expect_error(UNDERLAY "[port:g1]\ntype = geneve\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		     "remote_ip = flow\nkey = flow\n"
		     "[port:g2]\ntype = geneve\nunderlay = phy\nlocal_ip = 10.0.0.1\n"
		     "remote_ip = flow\nkey = flow\n", 10, "port 'g1' has the same underlay");

	CU_ASSERT_EQUAL_FATAL(parse_words("type=geneve underlay=phy0 local_ip=192.0.2.1 "
					  "remote_ip=192.0.2.2 key=5", &pp, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(pp.tnl.proto, SL_TNL_PROTO_GENEVE);
	CU_ASSERT_EQUAL(pp.tnl.dst_port, 6081);
	CU_ASSERT_EQUAL(parse_words("type=geneve underlay=phy0 local_ip=192.0.2.1", &pp, why,
				    sizeof(why)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "a geneve port needs 'remote_ip'"));
}

int
main(void)
{
	const struct cunit_test tests[] = {
		{ "type = vxlan", test_vxlan_port },
		{ "type = vxlan: errors", test_vxlan_errors },
		{ "type = vxlan: add-port", test_vxlan_add_port },
		{ "type = geneve", test_geneve_port },
	};

	return cunit_run_suite("config_tunnel", tests, sizeof(tests) / sizeof(tests[0]));
}
