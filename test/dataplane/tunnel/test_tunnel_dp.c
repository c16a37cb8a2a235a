/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tunnel port's worker hooks on a real datapath (net_null ports, EAL
 * without hugepages, the test thread acting as worker 0):
 *  - a TSO frame (chained, as a guest with offloads sends it) output to a
 *    vxlan port is cut into MSS segments and checksummed before the encap
 *    (the underlay takes no inner offloads), not dropped as tso_malformed;
 *    a checksum request gets the inner checksum written;
 *  - `capture` on a vxlan port sees the decapsulated frames on rx and the
 *    frames handed to the encap on tx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "cunit_main.h"
#include "sl_capture.h"
#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_drops.h"
#include "sl_fastpath.h"
#include "sl_tables.h"
#include "sl_tunnel_dp.h"
#include "sl_vxlan.h"
#include "sl_worker_tx.h"
#include "tunnel_dp_fixture.h"

#define U1 0      /* the underlay's slot (ofport 1) */
#define VX 2      /* the vxlan port's slot (ofport 10) */
#define MSS 1000
#define PAYLOAD 3000
#define HDRS (14 + 20 + 20)
#define MAX_SEEN 8
#define OUTER4 SL_VXLAN_OUTER4_LEN

static struct sl_datapath dp;
static struct sl_config cfg;
static uint8_t seen[MAX_SEEN][2048]; /* frames the underlay sent, flat */
static uint32_t seen_len[MAX_SEEN];
static unsigned int n_seen;
static uint64_t seen_flags; /* tx offload flags still set on a sent frame */

static uint16_t
tx_seen(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	(void)port_id; (void)queue; (void)arg;
	for (uint16_t i = 0; i < n; i++) {
		uint32_t len = rte_pktmbuf_pkt_len(pkts[i]);

		const void *p;

		seen_flags |= pkts[i]->ol_flags & SL_TX_OL_REQ;
		if (n_seen == MAX_SEEN || len > sizeof(seen[0]))
			continue;
		p = rte_pktmbuf_read(pkts[i], 0, len, seen[n_seen]);
		if (p != NULL && p != seen[n_seen])
			memcpy(seen[n_seen], p, len);
		seen_len[n_seen++] = len;
	}
	return n;
}

static uint8_t
payload_byte(uint32_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* An inner IPv4/TCP frame with @payload bytes, in segments of @seg bytes. */
static struct rte_mbuf *
tcp_frame(uint32_t payload, uint32_t seg)
{
	uint8_t f[HDRS + PAYLOAD];
	uint32_t len = HDRS + payload;
	struct rte_mbuf *head = NULL;
	static const uint8_t hdr[HDRS] = {
		2, 0, 0, 0, 0, 0x22, 2, 0, 0, 0, 0, 0x11, 0x08, 0x00,
		0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6, 0, 0, 172, 16, 0, 1, 172, 16, 0, 2,
		0x30, 0x39, 0x00, 0x50, 0, 0, 0x10, 0, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff,
		0xde, 0xad, 0, 0, /* checksum: garbage, a request says "fill it in" */
	};

	memcpy(f, hdr, HDRS);
	f[16] = (uint8_t)((len - 14) >> 8);
	f[17] = (uint8_t)(len - 14);
	{ /* a guest fills the IPv4 checksum itself (virtio offloads only L4's) */
		uint16_t c = rte_ipv4_cksum((const struct rte_ipv4_hdr *)(f + 14));
		memcpy(f + 24, &c, 2);
	}
	for (uint32_t i = 0; i < payload; i++)
		f[HDRS + i] = payload_byte(i);
	for (uint32_t off = 0; off < len; off += seg) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
		uint32_t n = RTE_MIN(seg, len - off);

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		memcpy(rte_pktmbuf_append(m, (uint16_t)n), f + off, n);
		if (head == NULL)
			head = m;
		else
			CU_ASSERT_FATAL(rte_pktmbuf_chain(head, m) == 0);
	}
	/* what the virtio rx path leaves for a TSO frame (sl_tx_ol_from_virtio) */
	head->ol_flags |= RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_IPV4;
	return head;
}

/* Frame @k the underlay sent: VXLAN to 10.0.0.2 (its MAC), VNI 5, outer
 * IPv4 checksum right; the inner IPv4 and TCP checksums right; returns the
 * inner TCP payload's length (0: not so). */
static uint32_t
check_vxlan_tcp(unsigned int k, uint32_t *seq)
{
	const uint8_t *f = seen[k], *in = f + OUTER4;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 2 };
	const struct rte_ipv4_hdr *ip = (const void *)(in + 14);
	uint32_t s;

	if (seen_len[k] < OUTER4 + HDRS || memcmp(f, mac, 6) != 0 || f[12] != 0x08 ||
	    f[23] != 17 || f[36] != 0x12 || f[37] != 0xb5 || f[42] != 0x08 || f[48] != 5 ||
	    rte_raw_cksum(f + 14, 20) != 0xffff)
		return 0;
	if (rte_raw_cksum(ip, 20) != 0xffff ||
	    rte_be_to_cpu_16(ip->total_length) != seen_len[k] - OUTER4 - 14)
		return 0;
	/* the TCP checksum: pseudo-header and segment sum to 0xffff */
	s = (uint32_t)rte_ipv4_phdr_cksum(ip, 0) + rte_raw_cksum(in + 34, seen_len[k] - OUTER4 - 34);
	s = (s & 0xffff) + (s >> 16);
	if (((s & 0xffff) + (s >> 16)) != 0xffff)
		return 0;
	memcpy(&s, in + 38, 4);
	*seq = rte_be_to_cpu_32(s);
	return seen_len[k] - OUTER4 - HDRS;
}

/* What a worker's iteration does after its rx bursts. */
static void
flush(void)
{
	sl_worker_flush_all(dp.workers[0]);
}

/* sl_tunnel_rx as the worker's loop calls it, then its flush. */
static uint16_t
underlay_rx(struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_fastpath *fp = dp.workers[0]->fp;
	uint16_t left;

	sl_fastpath_begin(fp, rte_rdtsc());
	left = sl_tunnel_rx(dp.workers[0], U1, pkts, n);
	flush();
	sl_fastpath_end(fp, false);
	return left;
}

static void
test_tso_into_tunnel(void)
{
	struct sl_port_acct *a = &dp.workers[0]->acct[VX];
	struct rte_mbuf *m = tcp_frame(PAYLOAD, 1018); /* 3 segments, cut mid-payload */
	uint32_t got = 0, seq;
	bool payload_ok = true;

	m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG;
	m->tso_segsz = MSS;
	n_seen = 0;
	seen_flags = 0;
	memset(a, 0, sizeof(*a));
	sl_worker_output(dp.workers[0], VX, m);
	flush();
	CU_ASSERT_EQUAL(a->drops[SL_DROP_TSO_MALFORMED], 0);
	CU_ASSERT_EQUAL(a->replicas, PAYLOAD / MSS - 1);
	CU_ASSERT_EQUAL_FATAL(n_seen, PAYLOAD / MSS);
	CU_ASSERT_EQUAL(seen_flags, 0);
	for (unsigned int k = 0; k < n_seen; k++) {
		uint32_t n = check_vxlan_tcp(k, &seq);

		CU_ASSERT_EQUAL(n, MSS);
		CU_ASSERT_EQUAL(seq, 0x1000 + got); /* in order, each MSS bytes on */
		for (uint32_t i = 0; i < n; i++)
			payload_ok &= seen[k][OUTER4 + HDRS + i] == payload_byte(got + i);
		got += n;
	}
	CU_ASSERT_EQUAL(got, PAYLOAD);
	CU_ASSERT(payload_ok);
}

static void
test_csum_into_tunnel(void)
{
	struct sl_port_acct *a = &dp.workers[0]->acct[VX];
	struct rte_mbuf *m = tcp_frame(300, 100); /* checksum request, chained, shared */
	uint32_t seq;

	struct sl_port_stats st0, st1;

	rte_mbuf_refcnt_update(m, 1); /* another holder must keep its frame as it was */
	n_seen = 0;
	memset(a, 0, sizeof(*a));
	dp.ports[VX]->ops->stats_get(dp.ports[VX], &st0);
	sl_worker_output(dp.workers[0], VX, m);
	flush();
	dp.ports[VX]->ops->stats_get(dp.ports[VX], &st1);
	CU_ASSERT_EQUAL(st1.tx_packets - st0.tx_packets, 1);
	CU_ASSERT_EQUAL(st1.tx_bytes - st0.tx_bytes, HDRS + 300); /* the inner frame's bytes */
	CU_ASSERT_EQUAL(a->drops[SL_DROP_TSO_MALFORMED], 0);
	CU_ASSERT_EQUAL_FATAL(n_seen, 1);
	CU_ASSERT_EQUAL(check_vxlan_tcp(0, &seq), 300);
	CU_ASSERT_EQUAL(rte_pktmbuf_mtod_offset(m, uint8_t *, 50)[0], 0xde); /* untouched */
	rte_pktmbuf_free(m);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Whether @len bytes at @p are somewhere in file @path. */
static bool
file_has(const char *path, const uint8_t *p, size_t len)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;

	if (f)
		fclose(f);
	for (size_t i = 0; i + len <= n; i++)
		if (memcmp(buf + i, p, len) == 0)
			return true;
	return false;
}

static void
test_capture_tunnel(void)
{
	static const struct rte_ether_addr smac = { { 2, 0, 0, 0, 0, 2 } };
	struct sl_ip_addr l = { .family = AF_INET, .addr = { 10, 0, 0, 2 } };
	struct sl_ip_addr r = { .family = AF_INET, .addr = { 10, 0, 0, 1 } };
	const char *path = "/tmp/sl-test-tunnel-dp.pcapng";
	struct sl_capture_info info;
	struct sl_vxlan_encap e;
	struct rte_mbuf *m = tcp_frame(100, 2048), *pk[1];
	uint8_t inner[HDRS + 100], outer[OUTER4 + HDRS + 100], tx_inner[HDRS + 100];
	char err[160];
	int id;

	/* rx: a VXLAN frame from 10.0.0.2 to our VTEP, VNI 5 */
	m->ol_flags = 0;
	memcpy(inner, rte_pktmbuf_mtod(m, uint8_t *), sizeof(inner));
	CU_ASSERT_FATAL(sl_vxlan_encap_init(&e, &l, &r, 5, 4789, 64, true, &smac) == 0);
	CU_ASSERT_FATAL(sl_vxlan_encap(&m, &e, (const struct rte_ether_addr *)dp.ports[U1]->mac,
				       1, 0, 9000, dp.pools[0]) == SL_TNL_OK);
	memcpy(outer, rte_pktmbuf_mtod(m, uint8_t *), sizeof(outer));
	id = sl_capture_start(&dp, VX, SL_CAPTURE_RX | SL_CAPTURE_TX, 0, 65535, path, err,
			      sizeof(err));
	CU_ASSERT_FATAL(id >= 0);
	pk[0] = m;
	CU_ASSERT_EQUAL(underlay_rx(pk, 1), 0); /* decapsulated (and flooded: NORMAL) */
	/* tx: a frame the switch outputs to the tunnel port */
	m = tcp_frame(100, 2048);
	m->ol_flags = 0;
	rte_pktmbuf_mtod(m, uint8_t *)[HDRS] = 0x5a; /* told apart from the rx frame */
	memcpy(tx_inner, rte_pktmbuf_mtod(m, uint8_t *), sizeof(tx_inner));
	n_seen = 0;
	sl_worker_output(dp.workers[0], VX, m);
	flush();
	CU_ASSERT_EQUAL(n_seen, 1);
	sl_capture_run(&dp, now_ms());
	/* the stop waits for the workers' grace period: this thread is worker 0 */
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	CU_ASSERT_EQUAL_FATAL(sl_capture_stop(&dp, (unsigned int)id, &info), 0);
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	CU_ASSERT_EQUAL(info.written, 2);
	CU_ASSERT(file_has(path, inner, sizeof(inner)));     /* the decapsulated frame */
	CU_ASSERT(file_has(path, tx_inner, sizeof(tx_inner))); /* the frame the encap got */
	CU_ASSERT(!file_has(path, outer, OUTER4 + 14));      /* no outer headers */
	remove(path);
}

static int
setup(void)
{
	static const char text[] =
		"[switch]\nmain_lcore = 0\nworkers = 1\nmbufs_per_socket = 16384\n"
		"[openflow]\nlisten = none\n"
		"[port:u1]\ntype = dpdk\ndevargs = net_null_tdp1\nofport = 1\nmtu = 9000\n"
		"[port:vm]\ntype = dpdk\ndevargs = net_null_tdp2\nofport = 2\nmtu = 9000\n"
		"[port:vx]\ntype = vxlan\nunderlay = u1\nlocal_ip = 10.0.0.1\n"
		"remote_ip = 10.0.0.2\nkey = 5\nofport = 10\n"
		"[neighbours]\n10.0.0.2 = 02:00:00:00:00:02@u1\n";

	if (tdp_setup(&dp, &cfg, "sl-test-tunnel-dp", text) < 0)
		return -1;
	if (dp.n_ports != 3 || dp.ports[VX] == NULL ||
	    dp.ports[VX]->params.type != SL_PORT_TUNNEL || dp.tunnels == NULL)
		return -1;
	return rte_eth_add_tx_callback(dp.ports[U1]->port_id, 0, tx_seen, NULL) != NULL ? 0 : -1;
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "tso_into_tunnel", test_tso_into_tunnel },
		{ "csum_into_tunnel", test_csum_into_tunnel },
		{ "capture_tunnel", test_capture_tunnel },
	};

	if (setup() < 0)
		return 1;
	return tdp_run(&dp, "tunnel_dp", tests, sizeof(tests) / sizeof(tests[0]));
}
