/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Offload requests at the tx burst (dataplane/worker/sl_tx_offload.h): TSO
 * frames cut by rte_gso with every checksum right, passed on whole to a port
 * that takes them, checksum requests carried out in place or in a copy,
 * chained and shared inputs left as they were, malformed requests refused,
 * an empty pool survived, no mbuf leaked; rte_vhost's rx flags turned into
 * requests; the executor keeping a partial checksum right across address
 * rewrites. Lives beside the executor's tests for their packet builder.
 */
#include <errno.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "exec_test_util.h"
#include "sl_flow_consts.h"
#include "sl_tx_offload.h"

static unsigned int avail0;

#define LEAK_CHECK_START() (avail0 = xt_avail())
#define LEAK_CHECK_END() CU_ASSERT_EQUAL(xt_avail(), avail0)

#define HDR4 (14 + 20 + 20)
#define HDR6 (14 + 40 + 20)

static uint8_t
pattern(unsigned int i)
{
	return (uint8_t)(i * 7 + 3);
}

/* Set the L4 checksum field to the partial sum a guest leaves: the
 * pseudo-header's, not complemented. */
static void
set_partial(struct rte_mbuf *m, int ipver, unsigned int ck_ofs)
{
	uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, 14);
	uint16_t ph = ipver == 4 ? rte_ipv4_phdr_cksum((struct rte_ipv4_hdr *)ip, 0)
				 : rte_ipv6_phdr_cksum((struct rte_ipv6_hdr *)ip, 0);

	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, ck_ofs), &ph, 2);
}

/* A TCP frame of @payload bytes (a pattern), its payload in segments of
 * @seg_len bytes after the headers, the checksum left partial and a TSO
 * request of MSS @mss (0: a checksum request only). */
static struct rte_mbuf *
tcp_frame(int ipver, unsigned int payload, unsigned int seg_len, uint16_t mss)
{
	struct xt_pb b;
	struct rte_mbuf *m = rte_pktmbuf_alloc(xt_pool()), *s;
	unsigned int hdr;

	memset(&b, 0, sizeof(b));
	xt_pb_eth(&b, 1, 2);
	if (ipver == 4) {
		xt_pb_u16(&b, SL_ETH_IPV4);
		xt_pb_ipv4(&b, SL_IPPROTO_TCP, 0x0a000001, 0x0a000002, 64, 0, 0);
	} else {
		xt_pb_u16(&b, SL_ETH_IPV6);
		xt_pb_ipv6(&b, SL_IPPROTO_TCP, 1, 2, 64, 0, 0);
	}
	xt_pb_tcp(&b, 40000, 5201, 0x18); /* PSH|ACK */
	xt_pb_finish(&b);
	hdr = b.len;
	memcpy(rte_pktmbuf_append(m, (uint16_t)hdr), b.d, hdr);
	s = m;
	for (unsigned int i = 0; i < payload; i++) {
		if (s->data_len >= (s == m ? hdr : 0) + seg_len) {
			struct rte_mbuf *n = rte_pktmbuf_alloc(xt_pool());

			CU_ASSERT_FATAL(n != NULL);
			CU_ASSERT_FATAL(rte_pktmbuf_chain(m, n) == 0);
			s = n;
		}
		*(uint8_t *)rte_pktmbuf_append(m, 1) = pattern(i); /* into the last segment */
	}
	if (ipver == 4) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);

		ip->total_length = rte_cpu_to_be_16((uint16_t)(hdr - 14 + payload));
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, 14);

		ip->payload_len = rte_cpu_to_be_16((uint16_t)(hdr - 54 + payload));
	}
	set_partial(m, ipver, hdr - 20 + 16);
	m->ol_flags = RTE_MBUF_F_TX_TCP_CKSUM |
		      (ipver == 4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6) |
		      (mss ? RTE_MBUF_F_TX_TCP_SEG : 0);
	m->tso_segsz = mss;
	return m;
}

/* The frame's bytes, linear. */
static unsigned int
lin(const struct rte_mbuf *m, uint8_t *buf)
{
	const uint8_t *p = rte_pktmbuf_read(m, 0, rte_pktmbuf_pkt_len(m), buf);

	if (p != buf)
		memcpy(buf, p, rte_pktmbuf_pkt_len(m));
	return rte_pktmbuf_pkt_len(m);
}

static uint8_t buf[70000], ref[70000];

/* Segments of a TCP/IPv@ipver TSO frame of @payload bytes at MSS @mss:
 * lengths (frame and IP), sequence numbers, payload bytes, flags and every
 * checksum. */
static void
check_segments_ip(int ipver, struct rte_mbuf **out, int k, unsigned int payload, uint16_t mss)
{
	unsigned int hdr = ipver == 4 ? HDR4 : HDR6;
	uint32_t seq0 = 0;

	CU_ASSERT_EQUAL(k, (int)((payload + mss - 1) / mss));
	for (int i = 0; i < k; i++) {
		unsigned int len = lin(out[i], buf), want = RTE_MIN(mss, payload - i * mss);
		const struct rte_tcp_hdr *th = (const void *)(buf + hdr - 20);
		uint32_t seq = rte_be_to_cpu_32(th->sent_seq);
		uint16_t ip_len = ipver == 4 ? rte_be_to_cpu_16(((struct rte_ipv4_hdr *)(buf + 14))->total_length)
					     : 40 + rte_be_to_cpu_16(((struct rte_ipv6_hdr *)(buf + 14))->payload_len);

		CU_ASSERT_EQUAL(len, hdr + want);
		CU_ASSERT_EQUAL(ip_len, len - 14);
		CU_ASSERT_EQUAL(xt_check_csums(buf, len), 0);
		CU_ASSERT_EQUAL(out[i]->ol_flags & (SL_TX_OL_REQ | RTE_MBUF_F_TX_IPV4 |
						    RTE_MBUF_F_TX_IPV6), 0);
		if (i == 0)
			seq0 = seq;
		CU_ASSERT_EQUAL(seq - seq0, (uint32_t)i * mss);
		CU_ASSERT_EQUAL(!!(th->tcp_flags & RTE_TCP_PSH_FLAG), i == k - 1);
		CU_ASSERT(th->tcp_flags & RTE_TCP_ACK_FLAG);
		for (unsigned int j = 0; j < want; j++)
			if (buf[hdr + j] != pattern(i * mss + j)) {
				CU_FAIL("payload byte differs");
				break;
			}
	}
}

static void
check_segments(struct rte_mbuf **out, int k, unsigned int payload, uint16_t mss)
{
	check_segments_ip(4, out, k, payload, mss);
}

static void
free_all(struct rte_mbuf **out, int k)
{
	for (int i = 0; i < k; i++)
		rte_pktmbuf_free(out[i]);
}

/* TSO over IPv4 to a port without TSO: cut by rte_gso, from a chained input. */
static void
test_segment_v4(void)
{
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS];

	LEAK_CHECK_START();
	struct rte_mbuf *m = tcp_frame(4, 5000, 1000, 1448);
	CU_ASSERT(m->nb_segs > 4);
	int k = sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS);
	check_segments(out, k, 5000, 1448);
	free_all(out, k);
	/* a 64 KiB one, as Linux guests send */
	m = tcp_frame(4, 65000, 1900, 1448);
	k = sl_tx_ol_prepare(m, SL_TX_OL_CSUM | SL_TX_OL_TSO6, xt_pool(), out, SL_TX_OL_MAX_SEGS);
	check_segments(out, k, 65000, 1448);
	free_all(out, k);
	LEAK_CHECK_END();
}

/* TSO over IPv6 to a port without TSO6: cut in software (rte_gso of DPDK
 * 22.11 has no TCP/IPv6), from chained inputs with odd and even segment
 * lengths, and from a shared one, which stays as it was. */
static void
test_segment_v6(void)
{
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS], *m;
	unsigned int len;
	uint64_t ol;
	int k;

	LEAK_CHECK_START();
	for (unsigned int seg_len = 999; seg_len <= 1900; seg_len += 901) {
		m = tcp_frame(6, 5000, seg_len, 1428);
		CU_ASSERT(m->nb_segs > 2);
		k = sl_tx_ol_prepare(m, SL_TX_OL_TSO4 | SL_TX_OL_CSUM, xt_pool(), out,
				     SL_TX_OL_MAX_SEGS);
		check_segments_ip(6, out, k, 5000, 1428);
		free_all(out, k);
	}
	m = tcp_frame(6, 65000, 1900, 1428); /* as Linux guests send */
	k = sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS);
	check_segments_ip(6, out, k, 65000, 1428);
	free_all(out, k);
	m = tcp_frame(6, 4000, 1500, 1000);
	len = lin(m, ref);
	ol = m->ol_flags;
	rte_pktmbuf_refcnt_update(m, 1);
	k = sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS);
	check_segments_ip(6, out, k, 4000, 1000);
	CU_ASSERT_EQUAL(m->ol_flags, ol);
	CU_ASSERT_EQUAL(lin(m, buf), len);
	CU_ASSERT(memcmp(buf, ref, len) == 0);
	free_all(out, k);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1);
	rte_pktmbuf_free(m);
	m = tcp_frame(6, 5000, 1900, 1428); /* a port with TSO6 takes it whole */
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, SL_TX_OL_TSO6, xt_pool(), out, SL_TX_OL_MAX_SEGS), 1);
	CU_ASSERT_PTR_EQUAL(out[0], m);
	rte_pktmbuf_free(m);
	LEAK_CHECK_END();
}

/* Segments of odd lengths (a guest's page fragments can end anywhere):
 * the sums of the parts after an odd one are byte-swapped, carries kept. */
static void
test_odd_segments(void)
{
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS];
	int k;

	LEAK_CHECK_START();
	for (unsigned int seg_len = 997; seg_len <= 1001; seg_len += 2) {
		struct rte_mbuf *m = tcp_frame(4, 9000, seg_len, 1448);

		k = sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS);
		check_segments(out, k, 9000, 1448);
		free_all(out, k);
		m = tcp_frame(4, 1900, seg_len, 0); /* checksum only (the checker reads 2 KiB) */
		CU_ASSERT_EQUAL_FATAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, 4), 1);
		CU_ASSERT_EQUAL(xt_check_csums(buf, lin(out[0], buf)), 0);
		rte_pktmbuf_free(out[0]);
	}
	LEAK_CHECK_END();
}

/* A shared frame (a flood also sends it elsewhere) is only read: its bytes
 * and its request stay for the other reference. */
static void
test_segment_shared(void)
{
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS];

	LEAK_CHECK_START();
	struct rte_mbuf *m = tcp_frame(4, 4000, 1500, 1000);
	unsigned int len = lin(m, ref);
	uint64_t ol = m->ol_flags;

	rte_pktmbuf_refcnt_update(m, 1);
	int k = sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS);
	check_segments(out, k, 4000, 1000);
	CU_ASSERT(rte_mbuf_refcnt_read(m) >= 2); /* ours, and the segments' on its payload */
	CU_ASSERT_EQUAL(m->ol_flags, ol);
	CU_ASSERT_EQUAL(lin(m, buf), len);
	CU_ASSERT(memcmp(buf, ref, len) == 0);
	free_all(out, k);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1);
	rte_pktmbuf_free(m);
	LEAK_CHECK_END();
}

/* A port that takes the request gets the frame whole, lengths set; the MTU
 * judges its segments. A port with checksum offload only still gets it cut. */
static void
test_pass_on(void)
{
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS];

	LEAK_CHECK_START();
	struct rte_mbuf *m = tcp_frame(4, 9000, 1900, 1448);
	int k = sl_tx_ol_prepare(m, SL_TX_OL_CSUM | SL_TX_OL_TSO4, xt_pool(), out, 4);
	CU_ASSERT_EQUAL(k, 1);
	CU_ASSERT(out[0] == m);
	CU_ASSERT_EQUAL(m->l2_len + m->l3_len + m->l4_len, HDR4);
	CU_ASSERT_EQUAL(sl_tx_ol_wire_len(m), HDR4 + 1448u);
	CU_ASSERT((m->ol_flags & RTE_MBUF_F_TX_TCP_SEG) != 0);
	k = sl_tx_ol_prepare(m, SL_TX_OL_CSUM, xt_pool(), out, SL_TX_OL_MAX_SEGS);
	check_segments(out, k, 9000, 1448);
	free_all(out, k);

	m = tcp_frame(6, 9000, 1900, 1400);
	k = sl_tx_ol_prepare(m, SL_TX_OL_CSUM | SL_TX_OL_TSO6, xt_pool(), out, 4);
	CU_ASSERT_EQUAL(k, 1);
	CU_ASSERT_EQUAL(sl_tx_ol_wire_len(m), HDR6 + 1400u);
	rte_pktmbuf_free(m);

	m = tcp_frame(6, 1000, 1900, 0); /* checksum request, port takes it */
	k = sl_tx_ol_prepare(m, SL_TX_OL_CSUM, xt_pool(), out, 4);
	CU_ASSERT_EQUAL(k, 1);
	CU_ASSERT(out[0] == m && (m->ol_flags & RTE_MBUF_F_TX_TCP_CKSUM) != 0);
	CU_ASSERT_EQUAL(m->l2_len + m->l3_len, 54);
	rte_pktmbuf_free(m);
	LEAK_CHECK_END();
}

/* A DPDK device that takes the request (SL_TX_OL_DEV, a NIC with
 * `offloads = yes`) gets it in DPDK's form: IPv4 header checksum left to it,
 * the TCP field holding rte_ipv4/6_phdr_cksum()'s sum (without the length
 * under TSO); a shared frame is copied, the other reference keeps the
 * guest's partial sum. */
static void
test_pass_to_device(void)
{
	const uint32_t dev = SL_TX_OL_CSUM | SL_TX_OL_TSO4 | SL_TX_OL_TSO6 | SL_TX_OL_DEV;
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS];
	uint16_t ck, want;

	LEAK_CHECK_START();
	struct rte_mbuf *m = tcp_frame(4, 9000, 1900, 1448);
	int k = sl_tx_ol_prepare(m, dev, xt_pool(), out, 4);
	CU_ASSERT_EQUAL_FATAL(k, 1);
	CU_ASSERT(out[0] == m); /* ours alone: in place */
	struct rte_ipv4_hdr *ip4 = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	CU_ASSERT_EQUAL(ip4->hdr_checksum, 0);
	CU_ASSERT((m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4 |
				  RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM)) ==
		  (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG |
		   RTE_MBUF_F_TX_TCP_CKSUM));
	memcpy(&ck, rte_pktmbuf_mtod_offset(m, uint8_t *, HDR4 - 20 + 16), 2);
	want = rte_ipv4_phdr_cksum(ip4, RTE_MBUF_F_TX_TCP_SEG);
	CU_ASSERT_EQUAL(ck, want);
	CU_ASSERT_NOT_EQUAL(ck, rte_ipv4_phdr_cksum(ip4, 0)); /* not the guest's, with length */
	CU_ASSERT_EQUAL(m->l2_len + m->l3_len + m->l4_len, HDR4);
	CU_ASSERT_EQUAL(m->tso_segsz, 1448);
	rte_pktmbuf_free(m);

	/* IPv6, a checksum request: the sum with the length, no IP checksum flag */
	m = tcp_frame(6, 1000, 1900, 0);
	k = sl_tx_ol_prepare(m, dev, xt_pool(), out, 4);
	CU_ASSERT_EQUAL_FATAL(k, 1);
	struct rte_ipv6_hdr *ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, 14);
	memcpy(&ck, rte_pktmbuf_mtod_offset(m, uint8_t *, HDR6 - 20 + 16), 2);
	CU_ASSERT_EQUAL(ck, rte_ipv6_phdr_cksum(ip6, 0));
	CU_ASSERT((m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4)) == 0);
	CU_ASSERT((m->ol_flags & RTE_MBUF_F_TX_IPV6) != 0);
	rte_pktmbuf_free(m);

	/* shared: a copy goes to the device, the original is untouched */
	m = tcp_frame(4, 4000, 1500, 1000);
	unsigned int len = lin(m, ref);
	uint64_t ol = m->ol_flags;
	rte_pktmbuf_refcnt_update(m, 1);
	k = sl_tx_ol_prepare(m, dev, xt_pool(), out, 4);
	CU_ASSERT_EQUAL_FATAL(k, 1);
	CU_ASSERT(out[0] != m);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1);
	CU_ASSERT_EQUAL(m->ol_flags, ol);
	CU_ASSERT_EQUAL(lin(m, buf), len);
	CU_ASSERT(memcmp(buf, ref, len) == 0);
	CU_ASSERT_EQUAL(lin(out[0], buf), len);
	CU_ASSERT(memcmp(buf + HDR4, ref + HDR4, len - HDR4) == 0); /* payload as it was */
	CU_ASSERT((out[0]->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) != 0);
	rte_pktmbuf_free(out[0]);
	rte_pktmbuf_free(m);
	LEAK_CHECK_END();
}

/* Checksum requests carried out: in place when the frame is ours, in a copy
 * when shared (the other reference keeps its partial sum). */
static void
test_checksum(void)
{
	struct rte_mbuf *out[4];

	LEAK_CHECK_START();
	for (int ipver = 4; ipver <= 6; ipver += 2) {
		/* chained; under 2048 bytes for xt_check_csums */
		struct rte_mbuf *m = tcp_frame(ipver, 1900, 700, 0);
		unsigned int len;
		int k = sl_tx_ol_prepare(m, SL_TX_OL_TSO4 | SL_TX_OL_TSO6, xt_pool(), out, 4);

		CU_ASSERT_EQUAL(k, 1);
		CU_ASSERT(out[0] == m);
		len = lin(m, buf);
		CU_ASSERT_EQUAL(xt_check_csums(buf, len), 0);
		CU_ASSERT_EQUAL(m->ol_flags & SL_TX_OL_REQ, 0);
		rte_pktmbuf_free(m);

		m = tcp_frame(ipver, 1900, 700, 0);
		rte_pktmbuf_refcnt_update(m, 1);
		len = lin(m, ref);
		k = sl_tx_ol_prepare(m, 0, xt_pool(), out, 4);
		CU_ASSERT_EQUAL(k, 1);
		CU_ASSERT(out[0] != m);
		CU_ASSERT_EQUAL(lin(out[0], buf), len);
		CU_ASSERT_EQUAL(xt_check_csums(buf, len), 0);
		CU_ASSERT_EQUAL(lin(m, buf), len);
		CU_ASSERT(memcmp(buf, ref, len) == 0); /* still the partial sum */
		CU_ASSERT((m->ol_flags & RTE_MBUF_F_TX_TCP_CKSUM) != 0);
		rte_pktmbuf_free(out[0]);
		rte_pktmbuf_free(m);
	}
	/* UDP over IPv4 with an Ethernet trailer: the sum stops at the IP end */
	struct xt_pb b;
	xt_build(XK_UDP4, &b);
	struct rte_mbuf *m = xt_mbuf(b.d, b.len);
	memset(rte_pktmbuf_append(m, 6), 0xee, 6);
	set_partial(m, 4, b.l4 + 6);
	m->ol_flags = RTE_MBUF_F_TX_UDP_CKSUM | RTE_MBUF_F_TX_IPV4;
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, 4), 1);
	CU_ASSERT_EQUAL(xt_check_csums(rte_pktmbuf_mtod(out[0], uint8_t *), b.len), 0);
	rte_pktmbuf_free(out[0]);
	LEAK_CHECK_END();
}

/* Requests whose headers do not add up, or that cannot be carried out:
 * refused and freed. */
static void
test_malformed(void)
{
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS], *m;
	struct xt_pb b;

	LEAK_CHECK_START();
	m = tcp_frame(4, 5000, 1900, 1448); /* IP total length one too long */
	rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14)->total_length =
		rte_cpu_to_be_16(HDR4 - 14 + 5001);
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS), -EINVAL);
	m = tcp_frame(4, 5000, 1900, 1448); /* ... too short for a TSO frame */
	rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14)->total_length =
		rte_cpu_to_be_16(HDR4 - 14 + 4000);
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS), -EINVAL);
	m = tcp_frame(4, 5000, 1900, 1448); /* TSO with no MSS */
	m->tso_segsz = 0;
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS), -EINVAL);
	m = tcp_frame(4, 60000, 1900, 100); /* 600 segments */
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS), -EINVAL);
	m = tcp_frame(6, 60000, 1900, 100); /* TCP/IPv6: 600 segments */
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, SL_TX_OL_TSO4, xt_pool(), out, SL_TX_OL_MAX_SEGS),
			-EINVAL);
	m = tcp_frame(6, 5000, 1900, 1448); /* ... IPv6 payload length one too long */
	rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, 14)->payload_len =
		rte_cpu_to_be_16(HDR6 - 54 + 5001);
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS), -EINVAL);
	m = tcp_frame(4, 100, 1900, 0); /* a UDP request on TCP */
	m->ol_flags = RTE_MBUF_F_TX_UDP_CKSUM | RTE_MBUF_F_TX_IPV4;
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, 4), -EINVAL);
	xt_build(XK_UDP4, &b); /* TSO on UDP */
	m = xt_mbuf(b.d, b.len);
	m->ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_IPV4;
	m->tso_segsz = 100;
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, 4), -EINVAL);
	xt_build(XK_SCTP4, &b); /* SCTP's CRC */
	m = xt_mbuf(b.d, b.len);
	m->ol_flags = RTE_MBUF_F_TX_SCTP_CKSUM | RTE_MBUF_F_TX_IPV4;
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, 4), -EINVAL);
	xt_build(XK_FRAG4_LATER, &b); /* a fragment */
	m = xt_mbuf(b.d, b.len);
	m->ol_flags = RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_IPV4;
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, 4), -EINVAL);
	xt_build(XK_ARP, &b); /* no IP at all */
	m = xt_mbuf(b.d, b.len);
	m->ol_flags = RTE_MBUF_F_TX_TCP_CKSUM;
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, 4), -EINVAL);
	m = tcp_frame(4, 100, 1900, 0); /* truncated inside the TCP header */
	rte_pktmbuf_trim(m, 110);
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, xt_pool(), out, 4), -EINVAL);
	LEAK_CHECK_END();
}

/* A pool that runs out half way: -ENOMEM, nothing leaked in either pool. */
static void
test_no_mbuf(void)
{
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS];
	struct rte_mempool *small = rte_pktmbuf_pool_create("txol_small", 7, 0, 0,
							     RTE_MBUF_DEFAULT_BUF_SIZE,
							     SOCKET_ID_ANY);

	CU_ASSERT_FATAL(small != NULL);
	LEAK_CHECK_START();
	struct rte_mbuf *m = tcp_frame(4, 20000, 1900, 1000);
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, small, out, SL_TX_OL_MAX_SEGS), -ENOMEM);
	m = tcp_frame(6, 20000, 1900, 1000); /* cut in software, out of mbufs half way */
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, small, out, SL_TX_OL_MAX_SEGS), -ENOMEM);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(small), 7);
	m = tcp_frame(4, 1000, 1900, 0);
	rte_pktmbuf_refcnt_update(m, 1); /* shared: needs a copy */
	struct rte_mbuf *hold[7];
	CU_ASSERT_EQUAL(rte_pktmbuf_alloc_bulk(small, hold, 7), 0);
	CU_ASSERT_EQUAL(sl_tx_ol_prepare(m, 0, small, out, 4), -ENOMEM);
	rte_pktmbuf_free_bulk(hold, 7);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1);
	rte_pktmbuf_free(m);
	LEAK_CHECK_END();
	CU_ASSERT_EQUAL(rte_mempool_avail_count(small), 7);
	rte_mempool_free(small);
}

/* rte_vhost's compliant rx flags become requests; other frames are left. */
static void
test_from_virtio(void)
{
	struct rte_mbuf *m[4];

	CU_ASSERT_FATAL(rte_pktmbuf_alloc_bulk(xt_pool(), m, 4) == 0);
	m[0]->ol_flags = RTE_MBUF_F_RX_LRO | RTE_MBUF_F_RX_L4_CKSUM_NONE;
	m[0]->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP;
	m[1]->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_NONE;
	m[1]->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_UDP;
	m[2]->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	m[2]->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP;
	m[3]->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_NONE;
	m[3]->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_SCTP;
	sl_tx_ol_from_virtio(m, 4);
	CU_ASSERT_EQUAL(m[0]->ol_flags, RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM |
					    RTE_MBUF_F_TX_IPV4);
	CU_ASSERT_EQUAL(m[1]->ol_flags, RTE_MBUF_F_TX_UDP_CKSUM | RTE_MBUF_F_TX_IPV6);
	CU_ASSERT_EQUAL(m[2]->ol_flags, RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	CU_ASSERT_EQUAL(m[3]->ol_flags, RTE_MBUF_F_TX_SCTP_CKSUM | RTE_MBUF_F_TX_IPV4);
	CU_ASSERT(!sl_tx_ol_requested(m[2]) && sl_tx_ol_requested(m[3]));
	rte_pktmbuf_free_bulk(m, 4);
}

/* The executor rewrites addresses and ports of a frame whose checksum is
 * left partial: the pseudo-header sum follows the addresses, the ports are
 * not in it; the checksum computed at the out port is then right. */
static void
test_exec_partial(void)
{
	struct xt_cap c;
	struct sl_exec_env env;
	struct sl_exec_stats st = { 0 };
	struct rte_mbuf *out[SL_TX_OL_MAX_SEGS];
	uint8_t dst[4] = { 10, 9, 9, 9 }, src[4] = { 192, 168, 7, 1 }, port[2] = { 0x1f, 0x90 };
	struct sl_exec_action acts[] = {
		xt_set(OFPXMT_OFB_IPV4_DST, SL_LAYER_L3, 16, 4, SL_CSUM_IP4 | SL_CSUM_L4, dst, NULL),
		xt_set(OFPXMT_OFB_IPV4_SRC, SL_LAYER_L3, 12, 4, SL_CSUM_IP4 | SL_CSUM_L4, src, NULL),
		xt_set(OFPXMT_OFB_TCP_DST, SL_LAYER_L4, 2, 2, SL_CSUM_L4, port, NULL),
		xt_output(1),
	};

	LEAK_CHECK_START();
	for (int tso = 0; tso <= 1; tso++) {
		xt_env(&env, &c);
		xt_exec(acts, RTE_DIM(acts), tcp_frame(4, 1900, 1000, tso ? 700 : 0), &env, &st);
		CU_ASSERT_FATAL(c.n_out == 1);
		struct rte_mbuf *m = c.out[0].m;
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		uint16_t want = rte_ipv4_phdr_cksum(ip, 0), got;

		memcpy(&got, rte_pktmbuf_mtod_offset(m, uint8_t *, 34 + 16), 2);
		CU_ASSERT_EQUAL(got, want);
		c.n_out = 0;
		int k = sl_tx_ol_prepare(m, 0, xt_pool(), out, SL_TX_OL_MAX_SEGS);
		CU_ASSERT_EQUAL(k, tso ? 3 : 1);
		for (int i = 0; i < k; i++) {
			unsigned int len = lin(out[i], buf);

			CU_ASSERT_EQUAL(xt_check_csums(buf, len), 0);
			CU_ASSERT(memcmp(buf + 26, src, 4) == 0 && memcmp(buf + 30, dst, 4) == 0);
		}
		free_all(out, k);
		xt_cap_free(&c);
	}
	LEAK_CHECK_END();
}

static const struct cunit_test tests[] = {
	{ "segment_v4", test_segment_v4 },
	{ "segment_shared", test_segment_shared },
	{ "odd_segments", test_odd_segments },
	{ "segment_v6", test_segment_v6 },
	{ "pass_on", test_pass_on },
	{ "pass_to_device", test_pass_to_device },
	{ "checksum", test_checksum },
	{ "malformed", test_malformed },
	{ "no_mbuf", test_no_mbuf },
	{ "from_virtio", test_from_virtio },
	{ "exec_partial", test_exec_partial },
};

int
main(void)
{
	return xt_run_suite("tx_offload", tests, RTE_DIM(tests), NULL, NULL);
}
