/* SPDX-License-Identifier: BSD-3-Clause */
/* Offload requests at the tx burst: pass on, segment, checksum (sl_tx_offload.h). */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_ip.h>
#include <rte_net.h>
#include <rte_tcp.h>

#include "sl_csum.h"
#include "sl_tx_offload.h"

uint32_t sl_tx_ol_ports;

/* Everything a request sets, cleared once it is carried out in software. */
#define OL_CLEAR (SL_TX_OL_REQ | RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_IP_CKSUM)

void
sl_tx_ol_from_virtio(struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint64_t ol = m->ol_flags, req;
		bool lro = (ol & RTE_MBUF_F_RX_LRO) != 0;
		uint32_t pt = m->packet_type;

		/* RX_L4_CKSUM_NONE: "the checksum in the frame is not right, the
		 * data is": virtio's NEEDS_CSUM, a partial sum */
		if (!lro && (ol & RTE_MBUF_F_RX_L4_CKSUM_MASK) != RTE_MBUF_F_RX_L4_CKSUM_NONE)
			continue;
		switch (pt & RTE_PTYPE_L4_MASK) {
		case RTE_PTYPE_L4_TCP:
			req = RTE_MBUF_F_TX_TCP_CKSUM | (lro ? RTE_MBUF_F_TX_TCP_SEG : 0);
			break;
		case RTE_PTYPE_L4_UDP:
			req = RTE_MBUF_F_TX_UDP_CKSUM | (lro ? RTE_MBUF_F_TX_UDP_SEG : 0);
			break;
		default: /* SCTP's CRC: never offered, refused at tx */
			req = RTE_MBUF_F_TX_SCTP_CKSUM;
			break;
		}
		if (RTE_ETH_IS_IPV4_HDR(pt))
			req |= RTE_MBUF_F_TX_IPV4;
		else if (RTE_ETH_IS_IPV6_HDR(pt))
			req |= RTE_MBUF_F_TX_IPV6;
		m->ol_flags = (ol & ~(RTE_MBUF_F_RX_LRO | RTE_MBUF_F_RX_L4_CKSUM_MASK)) | req;
	}
}

/* Where a request's headers are, parsed at tx. */
struct ol_layout {
	uint32_t l2, l3, l4; /* header lengths */
	uint32_t end;        /* end of the IP packet: Ethernet padding excluded */
	bool v4;
	bool tcp;
};

static uint16_t
read_be16(const struct rte_mbuf *m, uint32_t off)
{
	uint16_t buf;
	const uint16_t *p = rte_pktmbuf_read(m, off, 2, &buf);

	return p == NULL ? 0 : rte_be_to_cpu_16(*p);
}

/* The request's frame: IPv4/IPv6, the L4 the request names (not a
 * fragment), IP lengths that match the frame; for TSO the frame ends where
 * the IP packet does, and there is a payload and an MSS. */
static int
parse(const struct rte_mbuf *m, struct ol_layout *lo)
{
	struct rte_net_hdr_lens hl;
	uint32_t pt = rte_net_get_ptype(m, &hl, RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK |
						RTE_PTYPE_L4_MASK);
	uint64_t l4req = m->ol_flags & RTE_MBUF_F_TX_L4_MASK;
	bool tso = (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG) != 0;
	uint32_t pkt = rte_pktmbuf_pkt_len(m), ip_len, hdr;

	if (m->ol_flags & RTE_MBUF_F_TX_UDP_SEG)
		return -EINVAL; /* UFO is never offered */
	if (RTE_ETH_IS_IPV4_HDR(pt))
		lo->v4 = true;
	else if (RTE_ETH_IS_IPV6_HDR(pt))
		lo->v4 = false;
	else
		return -EINVAL;
	lo->tcp = l4req == RTE_MBUF_F_TX_TCP_CKSUM;
	if (lo->tcp ? (pt & RTE_PTYPE_L4_MASK) != RTE_PTYPE_L4_TCP || hl.l4_len < 20
		    : l4req != RTE_MBUF_F_TX_UDP_CKSUM || tso ||
		      (pt & RTE_PTYPE_L4_MASK) != RTE_PTYPE_L4_UDP)
		return -EINVAL;
	lo->l2 = hl.l2_len;
	lo->l3 = hl.l3_len;
	lo->l4 = hl.l4_len;
	hdr = lo->l2 + lo->l3 + lo->l4;
	ip_len = lo->v4 ? read_be16(m, lo->l2 + 2) : 40u + read_be16(m, lo->l2 + 4);
	if (ip_len < lo->l3 + lo->l4 || lo->l2 + ip_len > pkt)
		return -EINVAL;
	lo->end = lo->l2 + ip_len;
	if (tso && (lo->end != pkt || m->tso_segsz == 0 || hdr >= pkt ||
		    hdr + m->tso_segsz > UINT16_MAX))
		return -EINVAL;
	return 0;
}

/* The full TCP/UDP checksum of a frame whose headers are in its first
 * segment, which is ours to write; the IP packet ends at @end. */
static void
l4_csum(struct rte_mbuf *m, const struct ol_layout *lo, uint32_t end)
{
	uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, lo->l2);
	uint32_t l4_off = lo->l2 + lo->l3, l4_len = end - l4_off, sum;
	uint8_t *ck = ip + lo->l3 + (lo->tcp ? 16 : 6);
	struct { uint32_t len; uint8_t zero[3]; uint8_t proto; } __rte_packed ph = {
		.len = rte_cpu_to_be_32(l4_len),
		.proto = lo->tcp ? IPPROTO_TCP : IPPROTO_UDP,
	};
	uint16_t res;

	memset(ck, 0, 2);
	/* the pseudo-header: addresses, then length and protocol (the sum is
	 * the same whichever of IPv4's and IPv6's layouts holds them) */
	sum = lo->v4 ? rte_raw_cksum(ip + 12, 8) : rte_raw_cksum(ip + 8, 32);
	sum += rte_raw_cksum(&ph, sizeof(ph));
	sum += sl_csum_mbuf(m, l4_off, l4_len); /* not rte_raw_cksum_mbuf: sl_csum.h */
	res = (uint16_t)~sl_csum_fold(sum);
	if (!lo->tcp && res == 0)
		res = 0xffff; /* 0 would mean "no checksum" */
	memcpy(ck, &res, 2);
}

/* Make *@p m a frame whose headers are in a first segment of its own. */
static int
own_headers(struct rte_mbuf **m, const struct ol_layout *lo, struct rte_mempool *pool)
{
	struct rte_mbuf *c;
	uint32_t hdr = lo->l2 + lo->l3 + lo->l4;

	if (RTE_MBUF_DIRECT(*m) && rte_mbuf_refcnt_read(*m) == 1 &&
	    rte_pktmbuf_data_len(*m) >= hdr)
		return 0;
	/* shared (another port may want the partial sum), indirect or split */
	c = rte_pktmbuf_copy(*m, pool, 0, UINT32_MAX);
	rte_pktmbuf_free(*m);
	*m = c;
	if (c == NULL)
		return -ENOMEM;
	if (rte_pktmbuf_data_len(c) < hdr) {
		rte_pktmbuf_free(c);
		return -EINVAL;
	}
	return 0;
}

/* Checksum request carried out in software: the one frame in out[0]. */
static int
csum_whole(struct rte_mbuf *m, const struct ol_layout *lo, struct rte_mempool *pool,
	   struct rte_mbuf **out)
{
	int rc = own_headers(&m, lo, pool);

	if (rc < 0)
		return rc;
	l4_csum(m, lo, lo->end);
	m->ol_flags &= ~OL_CLEAR;
	out[0] = m;
	return 1;
}

/* TCP/IPv4 TSO in software: rte_gso, then each segment's checksums. */
static int
segment(struct rte_mbuf *m, const struct ol_layout *lo, struct rte_mempool *pool,
	struct rte_mbuf **out, uint16_t max_out)
{
	uint32_t hdr = lo->l2 + lo->l3 + lo->l4, seg = m->tso_segsz;
	struct rte_gso_ctx ctx = {
		.direct_pool = pool,
		.indirect_pool = pool,
		.gso_types = RTE_ETH_TX_OFFLOAD_TCP_TSO,
		.gso_size = (uint16_t)(hdr + seg),
	};
	uint64_t saved;
	int n;

	if ((lo->end - hdr + seg - 1) / seg > (uint32_t)RTE_MIN(max_out, SL_TX_OL_MAX_SEGS)) {
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	if (rte_pktmbuf_data_len(m) < hdr) { /* rte_gso copies headers from the first */
		struct rte_mbuf *c = rte_pktmbuf_copy(m, pool, 0, UINT32_MAX);

		rte_pktmbuf_free(m);
		if (c == NULL)
			return -ENOMEM;
		m = c;
		if (rte_pktmbuf_data_len(m) < hdr) {
			rte_pktmbuf_free(m);
			return -EINVAL;
		}
	}
	/* rte_gso clears TX_TCP_SEG on its input: another reference to a shared
	 * frame (a flood to a port that takes TSO) must still see it */
	saved = m->ol_flags;
	m->ol_flags = (saved & ~OL_CLEAR) | RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	n = rte_gso_segment(m, &ctx, out, max_out);
	m->ol_flags = saved;
	if (n == 0) /* one MSS or less: no cutting needed */
		return csum_whole(m, lo, pool, out);
	rte_pktmbuf_free(m); /* the segments hold their own references */
	if (n < 0)
		return n == -ENOMEM ? -ENOMEM : -EINVAL;
	for (int i = 0; i < n; i++) {
		struct rte_mbuf *s = out[i];
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(s, struct rte_ipv4_hdr *, lo->l2);

		/* the header mbuf is a fresh one of ours: written in place */
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		l4_csum(s, lo, rte_pktmbuf_pkt_len(s));
		s->ol_flags &= ~OL_CLEAR;
	}
	return n;
}

/* Most header bytes a software-cut TCP/IPv6 segment copies (Ethernet and
 * VLANs, IPv6 and its extension headers, TCP with options). */
#define TSO6_MAX_HDR 256

/* Fix up segment @s (headers copied from the super-frame, then @len
 * payload bytes @at bytes into it): IPv6 payload length, sequence number,
 * flags that belong to the first or the last segment only, checksum. */
static void
tso6_fixup(struct rte_mbuf *s, const struct ol_layout *lo, uint32_t at, uint32_t len, bool last)
{
	uint8_t *ip = rte_pktmbuf_mtod_offset(s, uint8_t *, lo->l2), *th = ip + lo->l3;
	uint16_t plen = rte_cpu_to_be_16((uint16_t)(lo->l3 - 40 + lo->l4 + len));
	uint32_t seq;

	memcpy(ip + 4, &plen, 2);
	memcpy(&seq, th + 4, 4);
	seq = rte_cpu_to_be_32(rte_be_to_cpu_32(seq) + at);
	memcpy(th + 4, &seq, 4);
	if (at > 0)
		th[13] &= (uint8_t)~RTE_TCP_CWR_FLAG;
	if (!last)
		th[13] &= (uint8_t)~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
	l4_csum(s, lo, lo->l2 + lo->l3 + lo->l4 + len);
}

/* TCP/IPv6 TSO in software (DPDK 22.11's rte_gso has none): each segment
 * is a fresh mbuf with a copy of the headers, chained to a copy of its
 * part of the payload. The input, shared or chained, is only read. */
static int
segment6(struct rte_mbuf *m, const struct ol_layout *lo, struct rte_mempool *pool,
	 struct rte_mbuf **out, uint16_t max_out)
{
	uint32_t hdr = lo->l2 + lo->l3 + lo->l4, mss = m->tso_segsz, pay = lo->end - hdr;
	uint8_t copy[TSO6_MAX_HDR];
	const uint8_t *h;
	int n = 0;

	if (hdr > TSO6_MAX_HDR || (pay + mss - 1) / mss > (uint32_t)RTE_MIN(max_out, SL_TX_OL_MAX_SEGS) ||
	    (h = rte_pktmbuf_read(m, 0, hdr, copy)) == NULL) {
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	for (uint32_t at = 0; at < pay; at += mss) {
		uint32_t len = RTE_MIN(mss, pay - at);
		struct rte_mbuf *s = rte_pktmbuf_alloc(pool), *p = NULL;
		char *d = s == NULL ? NULL : rte_pktmbuf_append(s, (uint16_t)hdr);

		if (d != NULL)
			p = rte_pktmbuf_copy(m, pool, hdr + at, len);
		if (p == NULL || rte_pktmbuf_chain(s, p) != 0) {
			rte_pktmbuf_free(p);
			rte_pktmbuf_free(s);
			while (n > 0)
				rte_pktmbuf_free(out[--n]);
			rte_pktmbuf_free(m);
			return -ENOMEM; /* the header always fits a fresh mbuf */
		}
		memcpy(d, h, hdr);
		tso6_fixup(s, lo, at, len, at + len == pay);
		out[n++] = s;
	}
	rte_pktmbuf_free(m);
	return n;
}

/* A request passed on to a DPDK device (SL_TX_OL_DEV): its headers in
 * DPDK's form, written in a frame of ours (a shared one is copied: another
 * port may want virtio's partial sum, which includes the length). */
static int
pass_to_device(struct rte_mbuf *m, const struct ol_layout *lo, struct rte_mempool *pool,
	       struct rte_mbuf **out)
{
	uint64_t ol = m->ol_flags; /* a copy may not have them */
	uint16_t mss = m->tso_segsz;
	int rc = own_headers(&m, lo, pool);
	uint8_t *ip, *ck;
	uint16_t phdr;

	if (rc < 0)
		return rc;
	m->ol_flags = ol;
	m->tso_segsz = mss;
	ip = rte_pktmbuf_mtod_offset(m, uint8_t *, lo->l2);
	ck = ip + lo->l3 + (lo->tcp ? 16 : 6);
	m->l2_len = lo->l2;
	m->l3_len = lo->l3;
	m->l4_len = lo->l4;
	if (lo->v4) {
		struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)ip;

		m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_IPV6) | RTE_MBUF_F_TX_IPV4 |
			      RTE_MBUF_F_TX_IP_CKSUM;
		h->hdr_checksum = 0;
		phdr = rte_ipv4_phdr_cksum(h, m->ol_flags);
	} else {
		m->ol_flags = (m->ol_flags & ~(RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM)) |
			      RTE_MBUF_F_TX_IPV6;
		phdr = rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)ip, m->ol_flags);
	}
	memcpy(ck, &phdr, 2);
	out[0] = m;
	return 1;
}

int
sl_tx_ol_prepare(struct rte_mbuf *m, uint32_t caps, struct rte_mempool *pool,
		 struct rte_mbuf **out, uint16_t max_out)
{
	struct ol_layout lo;

	if (max_out == 0 || parse(m, &lo) < 0) {
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	/* the same values for every reference to a shared frame */
	m->l2_len = lo.l2;
	m->l3_len = lo.l3;
	m->l4_len = lo.l4;
	if (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG) {
		if (caps & (lo.v4 ? SL_TX_OL_TSO4 : SL_TX_OL_TSO6)) {
			if (caps & SL_TX_OL_DEV)
				return pass_to_device(m, &lo, pool, out);
			out[0] = m;
			return 1;
		}
		if (!lo.v4) /* rte_gso of DPDK 22.11 has no TCP/IPv6 */
			return segment6(m, &lo, pool, out, max_out);
		return segment(m, &lo, pool, out, max_out);
	}
	if (caps & SL_TX_OL_CSUM) {
		if (caps & SL_TX_OL_DEV)
			return pass_to_device(m, &lo, pool, out);
		out[0] = m;
		return 1;
	}
	return csum_whole(m, &lo, pool, out);
}
