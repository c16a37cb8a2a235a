/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow-based tunnel ports (remote_ip = flow, key = flow) on a real datapath
 * (net_null ports, EAL without hugepages, the test thread as worker 0):
 *  - the executor's set_field on tun_dst / tunnel_id leaves the packet's
 *    (remote, VNI) in its tunnel metadata, per output;
 *  - the encap sends each packet to its own remote with its own VNI (two
 *    packets of one burst, two remotes: two outer destinations), takes the
 *    low 24 bits of a wider tunnel_id, and drops a packet without a remote
 *    of the port's family as tnl_no_remote;
 *  - a decapsulated packet keeps its VNI into a key = flow port without a
 *    set_field (the rx metadata), and its outer source and the port's
 *    local_ip are what the key's tun_src / tun_dst get;
 *  - decap on a flow port takes any remote and VNI, and a fixed port still
 *    wins for its own (remote, VNI).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_drops.h"
#include "sl_execute.h"
#include "sl_fastpath.h"
#include "sl_match.h"
#include "sl_tables.h"
#include "sl_tunnel.h"
#include "sl_tunnel_dp.h"
#include "sl_vxlan.h"
#include "sl_worker_tx.h"
#include "tunnel_dp_fixture.h"

#define U1 0 /* the underlay's slot (ofport 1) */
#define VF 2 /* the flow-based vxlan port (ofport 10) */
#define VX 3 /* a fixed one: remote 10.0.0.2, VNI 5 (ofport 11) */
#define MAX_SEEN 8
#define OUTER4 SL_VXLAN_OUTER4_LEN
#define INNER 60

static struct sl_datapath dp;
static struct sl_config cfg;
static uint8_t seen[MAX_SEEN][256]; /* frames the underlay sent, their first bytes */
static unsigned int n_seen;

static uint16_t
tx_seen(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	(void)port_id; (void)queue; (void)arg;
	for (uint16_t i = 0; i < n && n_seen < MAX_SEEN; i++) {
		const void *p = rte_pktmbuf_read(pkts[i], 0, OUTER4 + 14, seen[n_seen]);

		if (p != NULL && p != seen[n_seen])
			memcpy(seen[n_seen], p, OUTER4 + 14);
		n_seen++;
	}
	return n;
}

/* A 60-byte inner Ethernet frame. */
static struct rte_mbuf *
frame(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	uint8_t *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	p = (uint8_t *)rte_pktmbuf_append(m, INNER);
	memset(p, 0, INNER);
	p[5] = 0x22;
	p[11] = 0x11;
	p[12] = 0x88; /* a type nobody parses */
	p[13] = 0xb5;
	return m;
}

/* What the executor leaves after set_field:@ip->tun_dst (0: none),
 * set_field:@vni->tun_id. */
static void
set_md(struct rte_mbuf *m, const uint8_t *ip, uint32_t vni)
{
	struct sl_tunnel_md *md = RTE_MBUF_DYNFIELD(m, sl_tunnel_md.ofs, struct sl_tunnel_md *);

	memset(md, 0, sizeof(*md));
	md->vni = vni;
	if (ip != NULL) {
		md->family = AF_INET;
		memcpy(md->addr, ip, 4);
	}
	m->ol_flags |= sl_tunnel_md.tx_flag;
}

/* Outer IPv4 destination and VNI of sent frame @k. */
static void
outer_of(unsigned int k, uint8_t *dst, uint32_t *vni)
{
	memcpy(dst, seen[k] + 14 + 16, 4);
	*vni = (uint32_t)seen[k][46] << 16 | (uint32_t)seen[k][47] << 8 | seen[k][48];
}

static void
flush(void)
{
	sl_worker_flush_all(dp.workers[0]);
}

static void
test_encap_per_packet(void)
{
	static const uint8_t r2[4] = { 10, 0, 0, 2 }, r3[4] = { 10, 0, 0, 3 };
	static const uint8_t mac2[6] = { 2, 0, 0, 0, 0, 2 }, mac3[6] = { 2, 0, 0, 0, 0, 3 };
	struct sl_port_acct *a = &dp.workers[0]->acct[VF];
	struct rte_mbuf *m[4];
	uint8_t dst[4];
	uint32_t vni;

	memset(a, 0, sizeof(*a));
	n_seen = 0;
	for (int i = 0; i < 4; i++)
		m[i] = frame();
	set_md(m[0], r2, 5001);
	set_md(m[1], r3, 5002);
	set_md(m[2], r2, 0x7005003); /* wider than 24 bits: the low 24 go out */
	m[3]->ol_flags &= ~(sl_tunnel_md.tx_flag | sl_tunnel_md.rx_flag); /* no metadata */
	for (int i = 0; i < 4; i++)
		sl_worker_output(dp.workers[0], VF, m[i]);
	flush();
	CU_ASSERT_EQUAL_FATAL(n_seen, 3);
	outer_of(0, dst, &vni);
	CU_ASSERT(memcmp(dst, r2, 4) == 0 && vni == 5001 && memcmp(seen[0], mac2, 6) == 0);
	outer_of(1, dst, &vni);
	CU_ASSERT(memcmp(dst, r3, 4) == 0 && vni == 5002 && memcmp(seen[1], mac3, 6) == 0);
	outer_of(2, dst, &vni);
	CU_ASSERT(memcmp(dst, r2, 4) == 0 && vni == 0x005003);
	for (unsigned int k = 0; k < n_seen; k++) { /* the outer source: the port's local_ip */
		CU_ASSERT(seen[k][26] == 10 && seen[k][29] == 1);
		CU_ASSERT_EQUAL(rte_raw_cksum(seen[k] + 14, 20), 0xffff);
	}
	CU_ASSERT_EQUAL(a->drops[SL_DROP_TNL_NO_REMOTE], 1);
}

/* An IPv6 tun_ipv6_dst on an IPv4 port is no remote of its family. */
static void
test_encap_family(void)
{
	struct sl_port_acct *a = &dp.workers[0]->acct[VF];
	struct rte_mbuf *m = frame();
	struct sl_tunnel_md *md = RTE_MBUF_DYNFIELD(m, sl_tunnel_md.ofs, struct sl_tunnel_md *);

	memset(a, 0, sizeof(*a));
	n_seen = 0;
	memset(md, 0, sizeof(*md));
	md->family = AF_INET6;
	md->addr[0] = 0x20;
	m->ol_flags |= sl_tunnel_md.tx_flag;
	sl_worker_output(dp.workers[0], VF, m);
	flush();
	CU_ASSERT_EQUAL(n_seen, 0);
	CU_ASSERT_EQUAL(a->drops[SL_DROP_TNL_NO_REMOTE], 1);
}

/* The executor: set_field tun_dst / tunnel_id, output, set_field, output. */
static struct rte_mbuf *out_m[4];
static unsigned int n_out;

static void
cap_output(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m)
{
	(void)ctx; (void)ofport; (void)in_port;
	if (n_out < 4)
		out_m[n_out++] = m;
	else
		rte_pktmbuf_free(m);
}

static void
sf(struct sl_exec_action *a, unsigned int field, const uint8_t *v, unsigned int len)
{
	memset(a, 0, sizeof(*a));
	a->type = SL_EXEC_SET_FIELD;
	a->set_field.field = (uint8_t)field;
	a->set_field.layer = SL_LAYER_META;
	a->set_field.len = (uint8_t)len;
	memcpy(a->set_field.value, v, len);
	memset(a->set_field.mask, 0xff, len);
}

static void
test_executor_md(void)
{
	static const uint8_t ip2[4] = { 10, 0, 0, 2 }, ip3[4] = { 10, 0, 0, 3 };
	static const uint8_t id7[8] = { 0, 0, 0, 0, 0, 0, 0, 7 };
	struct sl_exec_env env = { .output = cap_output, .pool = dp.pools[0], .tnl = &sl_tunnel_md };
	struct sl_exec_action acts[6];
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	struct rte_mbuf *m = frame();

	memset(acts, 0, sizeof(acts));
	acts[0].type = SL_EXEC_OUTPUT; /* before any set_field: no tx metadata */
	acts[0].output.port = 2;
	sf(&acts[1], SL_OXM_TUN_IPV4_DST, ip2, 4);
	sf(&acts[2], OFPXMT_OFB_TUNNEL_ID, id7, 8);
	acts[3].type = SL_EXEC_OUTPUT;
	acts[3].output.port = 10;
	sf(&acts[4], SL_OXM_TUN_IPV4_DST, ip3, 4);
	acts[5].type = SL_EXEC_OUTPUT;
	acts[5].output.port = 10;
	sl_flow_parse_mbuf(m, 1, 1, 42, &key, &lay); /* came with tunnel_id 42 */
	n_out = 0;
	sl_execute(acts, 6, m, &key, &lay, &env, NULL);
	CU_ASSERT_EQUAL_FATAL(n_out, 3);
	CU_ASSERT(!(out_m[0]->ol_flags & sl_tunnel_md.tx_flag));
	for (unsigned int i = 1; i < 3; i++) {
		const struct sl_tunnel_md *md =
			RTE_MBUF_DYNFIELD(out_m[i], sl_tunnel_md.ofs, const struct sl_tunnel_md *);

		CU_ASSERT(out_m[i]->ol_flags & sl_tunnel_md.tx_flag);
		CU_ASSERT_EQUAL(md->vni, 7);
		CU_ASSERT_EQUAL(md->family, AF_INET);
		CU_ASSERT(memcmp(md->addr, i == 1 ? ip2 : ip3, 4) == 0);
	}
	/* each output its own mbuf: a later set_field never rewrites an earlier one's */
	CU_ASSERT(out_m[1] != out_m[2] && out_m[0] != out_m[1]);
	for (unsigned int i = 0; i < n_out; i++)
		rte_pktmbuf_free(out_m[i]);
	/* set_field on tunnel_id alone: the VNI changes, no remote yet */
	m = frame();
	sl_flow_parse_mbuf(m, 1, 1, 42, &key, &lay);
	n_out = 0;
	sl_execute(&acts[2], 2, m, &key, &lay, &env, NULL);
	CU_ASSERT_EQUAL_FATAL(n_out, 1);
	const struct sl_tunnel_md *md =
		RTE_MBUF_DYNFIELD(out_m[0], sl_tunnel_md.ofs, const struct sl_tunnel_md *);
	CU_ASSERT(md->vni == 7 && md->family == 0);
	rte_pktmbuf_free(out_m[0]);
}

/* Decap: the flow port takes VNI 77 from 10.0.0.3; the fixed port keeps
 * (10.0.0.2, 5); (10.0.0.2, 6) is the flow port's. */
static void
test_decap_precedence(void)
{
	static const struct { uint8_t src; uint32_t vni; uint16_t slot; } c[] = {
		{ 3, 77, VF }, { 2, 5, VX }, { 2, 6, VF },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct sl_vxlan_outer o;
		const struct sl_tunnel_entry *e = NULL;

		memset(&o, 0, sizeof(o));
		o.src = (struct sl_ip_addr){ .family = AF_INET, .addr = { 10, 0, 0, c[i].src } };
		o.dst = (struct sl_ip_addr){ .family = AF_INET, .addr = { 10, 0, 0, 1 } };
		o.vni = c[i].vni;
		o.udp_dst = 4789;
		o.verdict = SL_TNL_OK;
		CU_ASSERT_EQUAL_FATAL(sl_tunnel_rx_match(dp.tunnels, U1, &o, &e), SL_TNL_OK);
		CU_ASSERT_EQUAL(e->slot, c[i].slot);
	}
}

/* The key of a decapsulated packet on the flow port: tunnel_id the VNI,
 * tun_src the outer source, tun_dst the port's local_ip. */
static void
test_decap_key(void)
{
	struct rte_mbuf *m = frame();
	struct sl_tunnel_md *md = RTE_MBUF_DYNFIELD(m, sl_tunnel_md.ofs, struct sl_tunnel_md *);
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	const uint8_t src[4] = { 10, 0, 0, 3 }, local[4] = { 10, 0, 0, 1 };

	md->vni = 77;
	md->family = AF_INET;
	memcpy(md->addr, src, 4);
	m->ol_flags |= sl_tunnel_md.rx_flag;
	sl_flow_parse_mbuf(m, 10, 10, sl_tunnel_pkt_id(dp.ports[VF], m), &key, &lay);
	sl_tunnel_pkt_addrs(dp.ports[VF], m, &key);
	CU_ASSERT_EQUAL(rte_be_to_cpu_64(key.tunnel_id), 77);
	CU_ASSERT(memcmp(&key.tun_ipv4_src, src, 4) == 0);
	CU_ASSERT(memcmp(&key.tun_ipv4_dst, local, 4) == 0);
	/* a packet of another port: nothing, whatever its mbuf holds */
	sl_flow_parse_mbuf(m, 2, 2, sl_tunnel_pkt_id(dp.ports[1], m), &key, &lay);
	sl_tunnel_pkt_addrs(dp.ports[1], m, &key);
	CU_ASSERT(key.tunnel_id == 0 && key.tun_ipv4_src == 0 && key.tun_ipv4_dst == 0);
	/* ... out of a remote_ip = flow port without a set_field: its own
	 * tun_dst (this host) is no remote, so it is counted, not sent */
	n_seen = 0;
	sl_worker_output(dp.workers[0], VF, m);
	flush();
	CU_ASSERT_EQUAL(n_seen, 0);
}

static int
setup(void)
{
	static const char text[] =
		"[switch]\nmain_lcore = 0\nworkers = 1\nmbufs_per_socket = 8192\n"
		"[openflow]\nlisten = none\n"
		"[port:u1]\ntype = dpdk\ndevargs = net_null_tfl1\nofport = 1\nmtu = 9000\n"
		"[port:vm]\ntype = dpdk\ndevargs = net_null_tfl2\nofport = 2\n"
		"[port:vf]\ntype = vxlan\nunderlay = u1\nlocal_ip = 10.0.0.1\n"
		"remote_ip = flow\nkey = flow\nofport = 10\n"
		"[port:vx]\ntype = vxlan\nunderlay = u1\nlocal_ip = 10.0.0.1\n"
		"remote_ip = 10.0.0.2\nkey = 5\nofport = 11\n"
		"[neighbours]\n10.0.0.2 = 02:00:00:00:00:02@u1\n10.0.0.3 = 02:00:00:00:00:03@u1\n";

	if (tdp_setup(&dp, &cfg, "sl-test-tunnel-flow", text) < 0)
		return -1;
	if (dp.n_ports != 4 || dp.ports[VF] == NULL || !dp.ports[VF]->params.tnl.remote_flow ||
	    dp.tunnels == NULL)
		return -1;
	return rte_eth_add_tx_callback(dp.ports[U1]->port_id, 0, tx_seen, NULL) != NULL ? 0 : -1;
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "encap per packet", test_encap_per_packet },
		{ "encap family", test_encap_family },
		{ "executor metadata", test_executor_md },
		{ "decap precedence", test_decap_precedence },
		{ "decap key", test_decap_key },
	};

	if (setup() < 0)
		return 1;
	return tdp_run(&dp, "tunnel_flow", tests, sizeof(tests) / sizeof(tests[0]));
}
