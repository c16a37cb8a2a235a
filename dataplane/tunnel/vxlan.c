/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN on the wire: the decap classifier and trim, the encap push
 * (sl_vxlan.h). Byte order: header fields are read and written through
 * rd16 / wr16 in network order; checksums are one's-complement sums of
 * 16-bit words as they lie in memory (rte_raw_cksum), so a field is added
 * in network order and the result stored without a swap.
 */
#include "sl_vxlan.h"

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "sl_csum.h"
#include "sl_geneve.h"

enum {
	ETH_LEN = 14,
	IP6_LEN = 40,
	UDP_LEN = 8,
	VXLAN_LEN = 8,
	ETH_IPV4 = 0x0800,
	ETH_IPV6 = 0x86dd,
	PROTO_UDP = 17,
	VXLAN_FLAGS_I = 0x08000000, /* flags byte 0x08, 24 reserved bits 0 */
	/* inner bytes a fresh head takes: the inner headers the parser reads */
	STRIP_COPY = 128,
};

static const char *const verdict_names[SL_TNL_N] = {
	[SL_TNL_OK] = "tnl_ok",
	[SL_TNL_NOT_OURS] = "tnl_not_ours",
	[SL_TNL_TRUNCATED] = "tnl_truncated",
	[SL_TNL_BAD_OUTER] = "tnl_bad_outer",
	[SL_TNL_BAD_FLAGS] = "tnl_bad_flags",
	[SL_TNL_UNKNOWN_REMOTE] = "tnl_unknown_remote",
	[SL_TNL_UNKNOWN_VNI] = "tnl_unknown_vni",
	[SL_TNL_NO_MBUF] = "tnl_no_mbuf",
	[SL_TNL_TOO_BIG] = "tnl_too_big",
	[SL_TNL_NO_REMOTE] = "tnl_no_remote",
	[SL_TNL_NO_NEIGH] = "tnl_no_neighbour",
	[SL_TNL_GENEVE_VERSION] = "tnl_geneve_version",
	[SL_TNL_GENEVE_PROTO] = "tnl_geneve_proto",
	[SL_TNL_GENEVE_CRITICAL] = "tnl_geneve_critical",
	[SL_TNL_GENEVE_CONTROL] = "tnl_geneve_control",
};

const char *
sl_tnl_verdict_name(enum sl_tnl_verdict v)
{
	return (unsigned int)v < SL_TNL_N ? verdict_names[v] : "?";
}

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* One's-complement sum of an IPv4 header (ihl a multiple of 4) in 32-bit
 * words: a third of rte_raw_cksum's instructions on 20 bytes. */
static inline uint16_t
ip4_hdr_sum(const uint8_t *ip, uint32_t ihl)
{
	uint64_t s = 0;
	uint32_t i = 0;

	if (likely(ihl == 20)) { /* no options: five loads, no loop to count */
		uint64_t a, b;
		uint32_t c;

		memcpy(&a, ip, 8);
		memcpy(&b, ip + 8, 8);
		memcpy(&c, ip + 16, 4);
		s = (a & 0xffffffffu) + (a >> 32) + (b & 0xffffffffu) + (b >> 32) + c;
		i = ihl;
	}
	for (; i < ihl; i += 4) {
		uint32_t v;
		memcpy(&v, ip + i, 4);
		s += v;
	}
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return sl_csum_fold((uint32_t)(s & 0xffff) + (uint32_t)(s >> 16));
}

/* The address in one 16-byte store: the tunnel table loads it right after
 * (as 16 bytes or two 8-byte words), and a load that spans several smaller
 * stores cannot take its bytes from the store buffer (a stall of a dozen
 * cycles per packet). */
static inline void
set_addr(struct sl_ip_addr *a, uint8_t family, const uint8_t *bytes, size_t n)
{
	uint64_t w[2] = { 0, 0 };

	if (n == 4) {
		uint32_t v4;
		memcpy(&v4, bytes, 4);
		/* the 4 bytes first in memory, in order */
		w[0] = RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN ? v4 : (uint64_t)v4 << 32;
	} else {
		memcpy(w, bytes, 16);
	}
	a->family = family;
	memcpy(a->addr, w, 16);
}

/* IPv4: where the UDP header starts (0: not a UDP datagram we can see). The
 * verdict for a VTEP's eyes goes to o->verdict, the datagram's end to *end. */
static __rte_always_inline uint32_t
parse_ipv4(const uint8_t *p, uint32_t len, uint32_t frame_len, bool csum_ok,
	   struct sl_vxlan_outer *o, uint32_t *end)
{
	const uint8_t *ip = p + ETH_LEN;
	uint32_t ihl, tot, frag;

	if (len < ETH_LEN + 20 || (ip[0] >> 4) != 4 || ip[9] != PROTO_UDP)
		return 0;
	ihl = (ip[0] & 0xfu) * 4u;
	frag = rd16(ip + 6);
	/* a later fragment has no UDP header: whose it is cannot be told */
	if (ihl < 20 || len < ETH_LEN + ihl + UDP_LEN || (frag & 0x1fff) != 0)
		return 0;
	set_addr(&o->src, AF_INET, ip + 12, 4);
	set_addr(&o->dst, AF_INET, ip + 16, 4);
	tot = rd16(ip + 2);
	*end = ETH_LEN + tot;
	if (tot < ihl + UDP_LEN)
		o->verdict = SL_TNL_BAD_OUTER;
	else if (*end > frame_len)
		o->verdict = SL_TNL_TRUNCATED;
	else if ((frag & 0x2000) != 0) /* a first fragment: no reassembly */
		o->verdict = SL_TNL_BAD_OUTER;
	else if (!csum_ok && ip4_hdr_sum(ip, ihl) != 0xffff)
		o->verdict = SL_TNL_BAD_OUTER;
	return ETH_LEN + ihl;
}

/* IPv6 without extension headers, as parse_ipv4. */
static __rte_always_inline uint32_t
parse_ipv6(const uint8_t *p, uint32_t len, uint32_t frame_len, struct sl_vxlan_outer *o,
	   uint32_t *end)
{
	const uint8_t *ip = p + ETH_LEN;

	if (len < ETH_LEN + IP6_LEN + UDP_LEN || (ip[0] >> 4) != 6 || ip[6] != PROTO_UDP)
		return 0;
	set_addr(&o->src, AF_INET6, ip + 8, 16);
	set_addr(&o->dst, AF_INET6, ip + 24, 16);
	*end = ETH_LEN + IP6_LEN + rd16(ip + 4);
	if (*end > frame_len)
		o->verdict = SL_TNL_TRUNCATED;
	return ETH_LEN + IP6_LEN;
}

/* sl_vxlan_parse's body, inlined into sl_vxlan_parse_mbuf: the decap
 * calls the latter per frame, and a call more costs its arguments' moves
 * and the callee's saves. */
static __rte_always_inline enum sl_tnl_verdict
parse(const uint8_t *p, uint32_t len, uint32_t frame_len, bool ip_csum_ok,
      struct sl_vxlan_outer *o)
{
	uint32_t l4 = 0, end = 0, udp_len, w0, opt = 0;
	uint16_t et;

	if (len > frame_len)
		len = frame_len;
	if (len < ETH_LEN)
		return SL_TNL_NOT_OURS;
	o->verdict = SL_TNL_OK;
	et = rd16(p + 12);
	if (et == ETH_IPV4)
		l4 = parse_ipv4(p, len, frame_len, ip_csum_ok, o, &end);
	else if (et == ETH_IPV6)
		l4 = parse_ipv6(p, len, frame_len, o, &end);
	if (l4 == 0)
		return SL_TNL_NOT_OURS;
	o->udp_dst = rd16(p + l4 + 2);
	o->vni = 0;
	o->hdr_len = (uint16_t)(l4 + UDP_LEN + VXLAN_LEN);
	o->inner_len = 0;
	o->proto = SL_TNL_PROTO_VXLAN;
	if (o->verdict != SL_TNL_OK)
		goto bad;
	udp_len = rd16(p + l4 + 4);
	if (udp_len != end - l4) {
		o->verdict = SL_TNL_BAD_OUTER;
		goto bad;
	}
	/* l4 + 30 <= end <= frame_len, and l4 + 30 <= SL_VXLAN_PARSE_MAX: in p */
	if (udp_len < UDP_LEN + VXLAN_LEN + ETH_LEN || len < l4 + UDP_LEN + VXLAN_LEN) {
		o->verdict = SL_TNL_TRUNCATED;
		goto bad;
	}
	w0 = rd32(p + l4 + UDP_LEN);
	if (likely(w0 == VXLAN_FLAGS_I)) {
		o->geneve_verdict = SL_TNL_GENEVE_PROTO; /* sl_geneve_check's, for I alone */
	} else {
		/* Geneve's header has the VNI where VXLAN's has it; its options
		 * are skipped (sl_geneve.h). Whose header it must be is the
		 * VTEP's to say (sl_tunnel_rx_match). */
		o->geneve_verdict = sl_geneve_check(w0, udp_len);
		if (o->geneve_verdict != SL_TNL_OK) {
			o->verdict = SL_TNL_BAD_FLAGS;
			return SL_TNL_OK;
		}
		o->proto = SL_TNL_PROTO_GENEVE;
		opt = sl_geneve_opt_len(w0);
		o->hdr_len = (uint16_t)(o->hdr_len + opt);
	}
	/* the VNI's low reserved byte is ignored on receipt (RFC 7348 5.) */
	o->vni = rd32(p + l4 + UDP_LEN + 4) >> 8;
	o->inner_len = udp_len - UDP_LEN - VXLAN_LEN - opt;
	return SL_TNL_OK;
bad:
	o->geneve_verdict = o->verdict;
	return SL_TNL_OK;
}

enum sl_tnl_verdict
sl_vxlan_parse(const uint8_t *p, uint32_t len, uint32_t frame_len, bool ip_csum_ok,
	       struct sl_vxlan_outer *o)
{
	return parse(p, len, frame_len, ip_csum_ok, o);
}

enum sl_tnl_verdict
sl_vxlan_parse_mbuf(const struct rte_mbuf *m, struct sl_vxlan_outer *o)
{
	uint8_t buf[SL_VXLAN_PARSE_MAX];
	uint32_t n = RTE_MIN(rte_pktmbuf_pkt_len(m), (uint32_t)SL_VXLAN_PARSE_MAX);
	const uint8_t *p = rte_pktmbuf_read(m, 0, n, buf);
	bool csum_ok = (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD;

	if (p == NULL)
		return SL_TNL_NOT_OURS;
	return parse(p, n, rte_pktmbuf_pkt_len(m), csum_ok, o);
}

/* The RX flags described the outer packet: the inner one is unchecked and
 * has no RSS hash of its own (the EMC must not take the outer one for it). */
static inline void
inner_rx_flags(struct rte_mbuf *m)
{
	m->ol_flags &= ~(RTE_MBUF_F_RX_IP_CKSUM_MASK | RTE_MBUF_F_RX_L4_CKSUM_MASK |
			 RTE_MBUF_F_RX_OUTER_L4_CKSUM_MASK | RTE_MBUF_F_RX_OUTER_IP_CKSUM_BAD |
			 RTE_MBUF_F_RX_RSS_HASH | RTE_MBUF_F_RX_FDIR | RTE_MBUF_F_RX_VLAN |
			 RTE_MBUF_F_RX_VLAN_STRIPPED | RTE_MBUF_F_RX_QINQ |
			 RTE_MBUF_F_RX_QINQ_STRIPPED);
	m->packet_type = 0;
}

static void
copy_meta(struct rte_mbuf *h, const struct rte_mbuf *m)
{
	h->port = m->port;
	h->hash = m->hash;
	h->vlan_tci = m->vlan_tci;
	h->vlan_tci_outer = m->vlan_tci_outer;
	h->tx_offload = m->tx_offload;
	h->packet_type = m->packet_type;
	h->ol_flags = m->ol_flags & ~(RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT);
	rte_mbuf_dynfield_copy(h, m);
}

/* The slow strip: a fresh head holding the inner frame's first bytes, then
 * the rest of the chain from where those end. Segments wholly before the
 * cut lose our reference; the cut one is moved in place when its struct is
 * ours alone, else replaced by an indirect mbuf onto its buffer. */
static enum sl_tnl_verdict
strip_slow(struct rte_mbuf **mp, uint32_t hdr, uint32_t inner, uint32_t tail,
	   struct rte_mempool *pool)
{
	struct rte_mbuf *m = *mp, *h, *s, *next, *c = NULL;
	uint32_t take, skip;
	uint16_t nb = 1;
	const void *src;
	uint8_t *dst;

	h = rte_pktmbuf_alloc(pool);
	if (h == NULL)
		return SL_TNL_NO_MBUF;
	take = RTE_MIN(inner, RTE_MIN((uint32_t)STRIP_COPY, (uint32_t)rte_pktmbuf_tailroom(h)));
	if (tail != 0 && take < inner) {
		rte_pktmbuf_free(h); /* padding on a long chained frame: never sent by a VTEP */
		return SL_TNL_BAD_OUTER;
	}
	skip = hdr + take;
	for (s = m; s != NULL && skip >= s->data_len; s = s->next)
		skip -= s->data_len;
	if (take < inner && s != NULL && rte_mbuf_refcnt_read(s) != 1) {
		c = rte_pktmbuf_alloc(pool); /* before anything is released */
		if (c == NULL) {
			rte_pktmbuf_free(h);
			return SL_TNL_NO_MBUF;
		}
	}
	dst = rte_pktmbuf_mtod(h, uint8_t *);
	src = rte_pktmbuf_read(m, hdr, take, dst); /* copies only across segments */
	if (src != dst)
		rte_memcpy(dst, src, take);
	copy_meta(h, m);
	if (take == inner) { /* the whole inner frame moved */
		rte_pktmbuf_free(m);
		s = NULL;
	} else {
		for (skip = hdr + take, s = m; skip >= s->data_len; s = next) {
			skip -= s->data_len;
			next = s->next;
			rte_pktmbuf_free_seg(s);
		}
		if (c != NULL) {
			next = s->next;
			rte_pktmbuf_attach(c, s);
			rte_pktmbuf_free_seg(s);
			c->next = next;
			s = c;
		}
		s->data_off = (uint16_t)(s->data_off + skip);
		s->data_len = (uint16_t)(s->data_len - skip);
	}
	h->data_len = (uint16_t)take;
	h->next = s;
	for (; s != NULL; s = s->next)
		nb++;
	h->nb_segs = nb;
	h->pkt_len = inner;
	inner_rx_flags(h);
	*mp = h;
	return SL_TNL_OK;
}

enum sl_tnl_verdict
sl_vxlan_strip(struct rte_mbuf **mp, const struct sl_vxlan_outer *o, struct rte_mempool *pool)
{
	struct rte_mbuf *m = *mp, *last;
	uint32_t hdr = o->hdr_len, inner = o->inner_len, tail;

	if (o->verdict != SL_TNL_OK || (uint64_t)hdr + inner > rte_pktmbuf_pkt_len(m))
		return SL_TNL_BAD_OUTER;
	tail = rte_pktmbuf_pkt_len(m) - hdr - inner;
	if (likely(rte_mbuf_refcnt_read(m) == 1 && (uint32_t)m->data_len > hdr)) {
		if (unlikely(tail != 0)) {
			last = rte_pktmbuf_lastseg(m);
			if (rte_mbuf_refcnt_read(last) != 1 || last->data_len < tail ||
			    (last == m && m->data_len - tail <= hdr))
				return strip_slow(mp, hdr, inner, tail, pool);
			rte_pktmbuf_trim(m, (uint16_t)tail);
		}
		rte_pktmbuf_adj(m, (uint16_t)hdr);
		inner_rx_flags(m);
		return SL_TNL_OK;
	}
	return strip_slow(mp, hdr, inner, tail, pool);
}

int
sl_vxlan_encap_init(struct sl_vxlan_encap *e, const struct sl_ip_addr *local,
		    const struct sl_ip_addr *remote, uint32_t vni, uint16_t dst_port,
		    uint8_t ttl, bool df, const struct rte_ether_addr *src_mac)
{
	uint8_t *h = e->hdr, *ip = h + ETH_LEN, *udp;

	if (local->family != remote->family || vni > SL_VXLAN_VNI_MAX ||
	    (local->family != AF_INET && local->family != AF_INET6))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->ipv6 = local->family == AF_INET6;
	e->df = df && !e->ipv6;
	e->len = e->ipv6 ? SL_VXLAN_OUTER6_LEN : SL_VXLAN_OUTER4_LEN;
	memcpy(h + 6, src_mac, 6);
	if (e->ipv6) {
		wr16(h + 12, ETH_IPV6);
		ip[0] = 0x60;
		ip[6] = PROTO_UDP;
		ip[7] = ttl;
		memcpy(ip + 8, local->addr, 16);
		memcpy(ip + 24, remote->addr, 16);
		udp = ip + IP6_LEN;
		/* the UDP checksum's constant part: the pseudo-header's addresses
		 * and next header, the UDP destination port, the VXLAN header
		 * (filled below); the lengths and source port per packet */
		udp = ip + IP6_LEN;
		wr16(udp + 2, dst_port);
		udp[UDP_LEN] = 0x08;
		udp[UDP_LEN + 4] = (uint8_t)(vni >> 16);
		udp[UDP_LEN + 5] = (uint8_t)(vni >> 8);
		udp[UDP_LEN + 6] = (uint8_t)vni;
		e->csum_base = rte_raw_cksum(ip + 8, 32) + rte_cpu_to_be_16(PROTO_UDP) +
			       rte_raw_cksum(udp, UDP_LEN + VXLAN_LEN);
	} else {
		wr16(h + 12, ETH_IPV4);
		ip[0] = 0x45;
		if (e->df)
			wr16(ip + 6, 0x4000);
		ip[8] = ttl;
		ip[9] = PROTO_UDP;
		memcpy(ip + 12, local->addr, 4);
		memcpy(ip + 16, remote->addr, 4);
		udp = ip + 20;
		e->csum_base = rte_raw_cksum(ip, 20); /* total length, id, checksum 0 */
	}
	wr16(udp + 2, dst_port);
	udp[UDP_LEN] = 0x08;
	udp[UDP_LEN + 4] = (uint8_t)(vni >> 16);
	udp[UDP_LEN + 5] = (uint8_t)(vni >> 8);
	udp[UDP_LEN + 6] = (uint8_t)vni;
	return 0;
}

int
sl_vxlan_encap_retarget(struct sl_vxlan_encap *e, const struct sl_ip_addr *remote, uint32_t vni)
{
	uint8_t *ip = e->hdr + ETH_LEN, *tnl;

	if (remote->family != (e->ipv6 ? AF_INET6 : AF_INET) || vni > SL_VXLAN_VNI_MAX)
		return -EINVAL;
	tnl = ip + (e->ipv6 ? IP6_LEN : 20) + UDP_LEN;
	/* the VNI is the tunnel header's bytes 4-6 in VXLAN and Geneve alike */
	tnl[4] = (uint8_t)(vni >> 16);
	tnl[5] = (uint8_t)(vni >> 8);
	tnl[6] = (uint8_t)vni;
	if (e->ipv6) {
		memcpy(ip + 24, remote->addr, 16);
		/* as sl_vxlan_encap_init: addresses, next header, UDP and tunnel
		 * header (their per-packet fields 0 in the template) */
		e->csum_base = sl_csum_bytes(ip + 8, 32) + rte_cpu_to_be_16(PROTO_UDP) +
			       sl_csum_bytes(ip + IP6_LEN, UDP_LEN + VXLAN_LEN);
	} else {
		memcpy(ip + 16, remote->addr, 4);
		e->csum_base = ip4_hdr_sum(ip, 20); /* total length, id, checksum 0 */
	}
	return 0;
}

/* Room for the outer headers: the packet's own headroom when its buffer is
 * ours alone, else a fresh head segment leading the untouched packet. */
static uint8_t *
push_room(struct rte_mbuf **mp, uint8_t len, struct rte_mempool *pool)
{
	struct rte_mbuf *m = *mp, *h;

	if (likely(RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1 &&
		   rte_pktmbuf_headroom(m) >= len))
		return (uint8_t *)rte_pktmbuf_prepend(m, len);
	h = rte_pktmbuf_alloc(pool);
	if (h == NULL)
		return NULL;
	copy_meta(h, m);
	h->data_len = len;
	h->pkt_len = rte_pktmbuf_pkt_len(m) + len;
	h->nb_segs = (uint16_t)(m->nb_segs + 1);
	h->next = m;
	*mp = h;
	return rte_pktmbuf_mtod(h, uint8_t *);
}

/* The one's-complement sum of one segment's bytes, unfolded: a value
 * below 2^34 equal to sl_csum_bytes' modulo 0xffff, for the caller's one
 * fold. 8-byte words added with their carries (an add and an
 * add-with-carry a word, where sl_csum_bytes splits each into 32-bit
 * halves), two chains for two adders; 2^64 = 1 modulo 0xffff, so a carry
 * out of bit 63 is added back as 1. A tail under 16 bytes goes to
 * sl_csum_bytes. */
static inline uint64_t
csum_flat(const uint8_t *p, uint32_t n)
{
	unsigned __int128 a = 0, b = 0;
	uint64_t lo, hi, s;

	for (; n >= 16; p += 16, n -= 16) {
		uint64_t x, y;

		memcpy(&x, p, 8);
		memcpy(&y, p + 8, 8);
		a += x;
		b += y;
	}
	a += b;
	lo = (uint64_t)a;
	hi = (uint64_t)(a >> 64); /* carries: each one a 2^64, i.e. 1 */
	s = lo + hi;
	s += s < hi; /* end-around carry of that add */
	s = (s & 0xffffffffu) + (s >> 32);
	return n != 0 ? s + sl_csum_bytes(p, n) : s;
}

/* Fold a sum below 2^63 to 16 bits (not complemented). */
static inline uint16_t
fold64(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return sl_csum_fold((uint32_t)s);
}

enum sl_tnl_verdict
sl_vxlan_encap(struct rte_mbuf **mp, const struct sl_vxlan_encap *e,
	       const struct rte_ether_addr *dst_mac, uint32_t hash, uint16_t ip_id, uint16_t mtu,
	       struct rte_mempool *pool)
{
	uint32_t inner_len = rte_pktmbuf_pkt_len(*mp), ip_len = inner_len + e->len - ETH_LEN;
	uint16_t sport = rte_cpu_to_be_16(sl_vxlan_src_port(hash)), udp_len;
	uint64_t inner_sum = 0;
	uint8_t *h, *ip, *udp;

	if (ip_len > mtu)
		return SL_TNL_TOO_BIG;
	/* IPv6's UDP checksum (mandatory, RFC 8200 8.1): the inner frame's sum,
	 * read before the headers are written, plus what csum_base holds */
	if (e->ipv6)
		inner_sum = (*mp)->next == NULL ? csum_flat(rte_pktmbuf_mtod(*mp, const uint8_t *),
							    inner_len)
						: sl_csum_mbuf(*mp, 0, inner_len);
	h = push_room(mp, e->len, pool);
	if (h == NULL)
		return SL_TNL_NO_MBUF;
	ip = h + ETH_LEN;
	if (!e->ipv6) {
		uint16_t id = e->df ? 0 : rte_cpu_to_be_16(ip_id);
		uint16_t tot = rte_cpu_to_be_16((uint16_t)ip_len);
		uint16_t sum = (uint16_t)~sl_csum_fold(e->csum_base + tot + id);

		memcpy(h, e->hdr, SL_VXLAN_OUTER4_LEN); /* a constant size: a few moves */
		memcpy(ip + 2, &tot, 2);
		memcpy(ip + 4, &id, 2);
		memcpy(ip + 10, &sum, 2);
		udp = ip + 20;
		udp_len = rte_cpu_to_be_16((uint16_t)(ip_len - 20));
	} else {
		uint16_t sum;

		memcpy(h, e->hdr, SL_VXLAN_OUTER6_LEN);
		udp_len = rte_cpu_to_be_16((uint16_t)(ip_len - IP6_LEN));
		memcpy(ip + 4, &udp_len, 2);
		udp = ip + IP6_LEN;
		/* the length twice: the pseudo-header's and the UDP header's */
		sum = (uint16_t)~fold64(e->csum_base + 2u * udp_len + sport + inner_sum);
		if (sum == 0)
			sum = 0xffff;
		memcpy(udp + 6, &sum, 2);
	}
	if (dst_mac != NULL)
		memcpy(h, dst_mac, 6);
	memcpy(udp, &sport, 2);
	memcpy(udp + 4, &udp_len, 2);
	return SL_TNL_OK;
}

static inline uint64_t
ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8); /* any alignment (a header field: UBSan checks) */
	return v;
}

static inline uint64_t
rotl64(uint64_t v, unsigned int r)
{
	return v << r | v >> (64 - r);
}

/* A hash of the inner flow's stable fields (addresses, protocol, ports; never
 * the IPv4 id or checksum): one flow keeps one outer source port, so ECMP
 * does not reorder it. The fields are folded into two words (rotated apart,
 * so that equal fields do not cancel) and go through two CRC32 steps: a
 * CRC per field would chain a dozen of them, 3 cycles each. */
uint32_t
sl_vxlan_inner_hash(const struct rte_mbuf *m)
{
	uint8_t buf[58];
	uint32_t n = RTE_MIN(rte_pktmbuf_pkt_len(m), (uint32_t)sizeof(buf));
	const uint8_t *p = rte_pktmbuf_read(m, 0, n, buf);
	uint64_t l2, l3 = 0;
	uint32_t ports = 0;

	if (p == NULL || n < 14)
		return 0;
	l2 = ld64(p) ^ rotl64(ld64(p + 6), 24); /* MACs and Ethernet type */
	if (p[12] == 0x08 && p[13] == 0x00 && n >= 34) {
		uint32_t l4 = 14 + (p[14] & 0xfu) * 4u;
		l3 = ld64(p + 26) ^ (uint64_t)p[23] << 56;
		if ((p[23] == 6 || p[23] == 17) && n >= l4 + 4 && (p[20] & 0x1f) == 0 && p[21] == 0)
			memcpy(&ports, p + l4, 4);
	} else if (p[12] == 0x86 && p[13] == 0xdd && n >= 54) {
		l3 = ld64(p + 22) ^ rotl64(ld64(p + 30), 16) ^ rotl64(ld64(p + 38), 32) ^
		     rotl64(ld64(p + 46), 48) ^ (uint64_t)p[20] << 56;
		if ((p[20] == 6 || p[20] == 17) && n >= 58)
			memcpy(&ports, p + 54, 4);
	}
	return rte_hash_crc_8byte(l3 ^ rotl64(ports, 8), rte_hash_crc_8byte(l2, 0));
}
