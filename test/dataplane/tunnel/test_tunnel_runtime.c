/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxlan ports added and removed while the switch runs (sluicectl add-port /
 * del-port: sl_datapath_port_add / _del and tunnel_dp.c's run-time half),
 * on a real datapath of net_null ports (EAL without hugepages, the test
 * thread acting as worker 0), started with no tunnel port:
 *  - add-port parses like the file and binds the port: a decap table
 *    appears, the underlay is one, a VXLAN frame for the port is taken
 *    (rx of the tunnel port, not of the underlay), the local VTEP address
 *    is the neighbour table's;
 *  - refused, changing nothing: a port taking the same packets, an
 *    underlay the switch lacks or that is no dpdk / afpacket port, deleting
 *    the underlay under its tunnel;
 *  - del-port: a table without it, the same frame is an ordinary frame of
 *    the underlay again, the address forgotten; added again, it decaps
 *    again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "cunit_main.h"
#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_fastpath.h"
#include "sl_neigh.h"
#include "sl_tables.h"
#include "sl_tunnel.h"
#include "sl_tunnel_dp.h"
#include "sl_vxlan.h"
#include "sl_worker_tx.h"
#include "tunnel_dp_fixture.h"

#define U1 0 /* the underlay's slot (ofport 1) */

static struct sl_datapath dp;
static struct sl_config cfg;
static char err[512];

/* sluicectl add-port NAME WORDS... */
static int
add_port(const char *name, const char *line)
{
	char buf[512], *words[16], *save = NULL;
	struct sl_port_params pp;
	unsigned int n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	err[0] = '\0';
	if (sl_config_parse_port(name, words, n, &pp, err, sizeof(err)) < 0)
		return -1;
	return sl_datapath_port_add(&dp, &pp, err, sizeof(err));
}

static int
del_port(const char *name)
{
	int idx = sl_datapath_port_find(&dp, name);

	err[0] = '\0';
	return idx < 0 ? -2 : sl_datapath_port_del(&dp, (unsigned int)idx, err, sizeof(err));
}

/* A VXLAN frame from 10.0.0.2 to 10.0.0.1:4789, VNI @vni, inner 64 bytes. */
static struct rte_mbuf *
vxlan_frame(uint32_t vni)
{
	static const struct rte_ether_addr smac = { { 2, 0, 0, 0, 0, 2 } };
	struct sl_ip_addr l = { .family = AF_INET, .addr = { 10, 0, 0, 2 } };
	struct sl_ip_addr r = { .family = AF_INET, .addr = { 10, 0, 0, 1 } };
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	struct sl_vxlan_encap e;
	uint8_t *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	p = (uint8_t *)rte_pktmbuf_append(m, 64);
	memset(p, 0, 64);
	memcpy(p, "\x02\x00\x00\x00\x00\x22\x02\x00\x00\x00\x00\x11\x88\xb5", 14);
	CU_ASSERT_FATAL(sl_vxlan_encap_init(&e, &l, &r, vni, 4789, 64, true, &smac) == 0);
	CU_ASSERT_FATAL(sl_vxlan_encap(&m, &e, (const struct rte_ether_addr *)dp.ports[U1]->mac,
				       1, 0, 9000, dp.pools[0]) == SL_TNL_OK);
	return m;
}

/* The frame through the underlay's rx hook as a worker runs it; true when
 * the tunnel code took it (decapsulated or dropped by reason). */
static bool
underlay_takes(struct rte_mbuf *m)
{
	struct sl_fastpath *fp = dp.workers[0]->fp;
	struct rte_mbuf *pk[1] = { m };
	uint16_t left = 1;

	/* the test thread is worker 0 only here: offline while it changes
	 * ports, or its grace periods would wait for itself */
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	sl_fastpath_begin(fp, rte_rdtsc());
	if (dp.tunnels != NULL && dp.tunnels->underlay[U1])
		left = sl_tunnel_rx(dp.workers[0], U1, pk, 1);
	sl_worker_flush_all(dp.workers[0]);
	sl_fastpath_end(fp, false);
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	if (left)
		rte_pktmbuf_free(pk[0]);
	return left == 0;
}

static bool
vtep_known(void)
{
	struct sl_ip_addr v[2];

	return dp.tunnels != NULL && sl_tunnel_vteps(dp.tunnels, U1, v, 2) == 1 &&
	       v[0].addr[3] == 1;
}

static const char VX[] = "type=vxlan underlay=u1 local_ip=10.0.0.1 remote_ip=10.0.0.2 key=5";

static void
test_add_del(void)
{
	char line[256];
	int idx;

	CU_ASSERT_PTR_NULL(dp.tunnels); /* no tunnel port at start */
	snprintf(line, sizeof(line), "%s ofport=10", VX);
	idx = add_port("vx", line);
	CU_ASSERT_FATAL(idx >= 0);
	CU_ASSERT_EQUAL(dp.ports[idx]->params.type, SL_PORT_TUNNEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dp.tunnels);
	CU_ASSERT_EQUAL(dp.tunnels->n, 1);
	CU_ASSERT_TRUE(sl_tunnel_is_underlay(dp.tunnels, U1));
	CU_ASSERT_TRUE(vtep_known());
	CU_ASSERT_TRUE(dp.ports[idx]->ops->link_up(dp.ports[idx])); /* bound */
	CU_ASSERT_EQUAL(sl_neigh_local_add(dp.neigh, U1, &dp.ports[idx]->params.tnl.local,
					   (const struct rte_ether_addr *)dp.ports[U1]->mac),
			-EEXIST); /* sluiced answers ARP for it */

	/* VNI 5 from 10.0.0.2: the tunnel port's rx */
	uint64_t rx0 = dp.workers[0]->acct[idx].rx, urx0 = dp.workers[0]->acct[U1].rx;
	CU_ASSERT_TRUE(underlay_takes(vxlan_frame(5)));
	CU_ASSERT_EQUAL(dp.workers[0]->acct[idx].rx, rx0 + 1);
	CU_ASSERT_EQUAL(dp.workers[0]->acct[U1].rx, urx0 - 1); /* moved to the tunnel port */

	/* refused, nothing changed */
	snprintf(line, sizeof(line), "%s ofport=11", VX);
	CU_ASSERT_EQUAL(add_port("vx2", line), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "port 'vx' has the same underlay"));
	CU_ASSERT_EQUAL(add_port("vx2", "type=vxlan underlay=nope local_ip=10.0.0.1 "
				 "remote_ip=10.0.0.3 key=5 ofport=13"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'nope' is not a port of this switch"));
	CU_ASSERT_EQUAL(add_port("vx2", "type=vxlan underlay=vx local_ip=10.0.0.1 "
				 "remote_ip=10.0.0.3 key=5 ofport=13"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'vx' is a vxlan port"));
	CU_ASSERT_EQUAL(del_port("u1"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "u1 is the underlay of vxlan port vx"));
	CU_ASSERT_EQUAL(dp.tunnels->n, 1);
	CU_ASSERT_EQUAL(sl_datapath_port_find(&dp, "vx2"), -1);

	/* a second port to another remote, same VTEP: both in the table */
	int idx2 = add_port("vx3", "type=vxlan underlay=u1 local_ip=10.0.0.1 remote_ip=10.0.0.3 "
			    "key=5 ofport=12");
	CU_ASSERT_FATAL(idx2 >= 0);
	CU_ASSERT_EQUAL(dp.tunnels->n, 2);

	/* del-port vx: out of the table, its frames are nobody's tunnel's */
	CU_ASSERT_EQUAL(del_port("vx"), 0);
	CU_ASSERT_EQUAL(dp.tunnels->n, 1);
	CU_ASSERT_TRUE(vtep_known()); /* vx3 keeps the address */
	rx0 = dp.workers[0]->acct[idx2].rx;
	uint64_t drops0 = dp.workers[0]->acct[U1].drops[SL_DROP_TNL_UNKNOWN_REMOTE];
	CU_ASSERT_TRUE(underlay_takes(vxlan_frame(5))); /* the VTEP is vx3's: dropped */
	CU_ASSERT_EQUAL(dp.workers[0]->acct[U1].drops[SL_DROP_TNL_UNKNOWN_REMOTE], drops0 + 1);
	CU_ASSERT_EQUAL(dp.workers[0]->acct[idx2].rx, rx0);
	CU_ASSERT_EQUAL(del_port("vx3"), 0);
	CU_ASSERT_EQUAL(dp.tunnels->n, 0);
	CU_ASSERT_FALSE(dp.tunnels->underlay[U1]);
	CU_ASSERT_FALSE(underlay_takes(vxlan_frame(5))); /* an ordinary frame of u1 */
	CU_ASSERT_EQUAL(sl_neigh_local_del(dp.neigh, U1, &(struct sl_ip_addr){
		.family = AF_INET, .addr = { 10, 0, 0, 1 } }), -ENOENT); /* forgotten */
	CU_ASSERT_PTR_NULL(sl_tunnel_underlay_user(&dp, U1)); /* u1 could go now */

	/* added again: decapsulated again */
	snprintf(line, sizeof(line), "%s ofport=10", VX);
	idx = add_port("vx", line);
	CU_ASSERT_FATAL(idx >= 0);
	rx0 = dp.workers[0]->acct[idx].rx;
	CU_ASSERT_TRUE(underlay_takes(vxlan_frame(5)));
	CU_ASSERT_EQUAL(dp.workers[0]->acct[idx].rx, rx0 + 1);
}

static int
setup(void)
{
	static const char text[] =
		"[switch]\nmain_lcore = 0\nworkers = 1\nmbufs_per_socket = 8192\n"
		"[openflow]\nlisten = none\n"
		"[port:u1]\ntype = dpdk\ndevargs = net_null_trt1\nofport = 1\nmtu = 9000\n"
		"[port:vm]\ntype = dpdk\ndevargs = net_null_trt2\nofport = 2\n";

	if (tdp_setup(&dp, &cfg, "sl-test-tunnel-rt", text) < 0 || dp.neigh == NULL)
		return -1;
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	return 0;
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "add_del", test_add_del },
	};

	int rc;

	if (setup() < 0)
		return 1;
	rc = tdp_run(&dp, "tunnel_runtime", tests, sizeof(tests) / sizeof(tests[0]));
	sl_datapath_stop(&dp, NULL); /* the tunnel table and the ports too */
	sl_tables_fini(&dp);
	return rc;
}
