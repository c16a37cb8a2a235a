/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_tunnel_rx_cache.h
 * The decap's burst cache: the outer headers of the last tunnel frame a
 * burst decapsulated, with what sl_vxlan_parse() and sl_tunnel_rx_match()
 * made of them, so that the next frames of the same tunnel (the common
 * burst: one remote VTEP, one VNI) skip both.
 *
 * A frame is the cached tunnel's when its outer headers equal the cached
 * ones in every byte the parse and the match read, but the per-packet
 * fields: the MACs, IPv4 TOS / TTL / total length / id / header checksum,
 * IPv6 traffic class / flow label / payload length / hop limit, UDP source
 * port / length / checksum. Those the fast path checks itself as the parse
 * does: the IP length against the frame's, the UDP length against the IP
 * length and the VXLAN minimum, the IPv4 header checksum (unless the NIC
 * checked it). A frame that passes gets the cached verdict, port and
 * outer fields, with its own inner length; any other frame (another tunnel,
 * a malformed one, IP or Geneve options, outer headers across segments)
 * takes the full parse and lookup, and a good one then fills the cache.
 * So the fast path answers exactly what the slow one would
 * (test_vxlan.c: rx_cache_model), for about a third of its instructions.
 *
 * Per burst: the worker's sl_tunnel_rx() keeps one on its stack for one
 * underlay and one table (both recorded: a cache is never answered from
 * for another). Pure reads of the mbuf: no writes, no allocation.
 */
#ifndef SL_TUNNEL_RX_CACHE_H
#define SL_TUNNEL_RX_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

#include "sl_csum.h"
#include "sl_tunnel.h"
#include "sl_vxlan.h"

/** Outer bytes compared: IPv4 (Ethernet, IPv4 without options, UDP,
 *  VXLAN: 50) rounded up to 16-byte words; its inner Ethernet header makes
 *  a frame at least this long. */
#define SL_TNL_RXC_LEN4 64
/** ... IPv6 (70 bytes of headers; 84 with the inner Ethernet header). */
#define SL_TNL_RXC_LEN6 80

/** Two 64-bit lanes: the compare runs 16 bytes an operation (GCC/Clang
 *  vector extension; SSE2 on x86, NEON on Arm). */
typedef uint64_t sl_tnl_rxc_v __attribute__((vector_size(16)));

/** One burst's cache (empty when len is 0: sl_tunnel_rx_cache_init). */
struct sl_tunnel_rx_cache {
	uint8_t hdr[SL_TNL_RXC_LEN6] __rte_aligned(16); /**< cached bytes, masked */
	const uint8_t *mask;          /**< which bytes count (sl_tnl_rxc_mask4 / 6) */
	struct sl_vxlan_outer o;      /**< the cached frame's parse (inner_len: per frame) */
	const struct sl_tunnel_table *t;     /**< the table of the match */
	const struct sl_tunnel_entry *entry; /**< the port it found */
	uint16_t underlay;            /**< the underlay it came in on */
	uint8_t len;                  /**< bytes compared: 0 (empty), 64 or 80 */
	uint8_t misses;               /**< frames in a row it did not answer (to 255) */
};

/** The bytes of an IPv4 frame the parse and the match read (0xff:
 *  compared; 0: per packet, or not read). */
static const uint8_t sl_tnl_rxc_mask4[SL_TNL_RXC_LEN4] __rte_aligned(16) = {
	[12] = 0xff, 0xff,              /* Ethernet type */
	[14] = 0xff,                    /* version, IHL */
	[20] = 0xff, 0xff,              /* flags, fragment offset */
	[23] = 0xff,                    /* protocol */
	[26] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* source, destination */
	[36] = 0xff, 0xff,              /* UDP destination port */
	[42] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* VXLAN / Geneve */
};
/** ... of an IPv6 frame. */
static const uint8_t sl_tnl_rxc_mask6[SL_TNL_RXC_LEN6] __rte_aligned(16) = {
	[12] = 0xff, 0xff,              /* Ethernet type */
	[14] = 0xf0,                    /* version */
	[20] = 0xff,                    /* next header */
	[22] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* source */
	[30] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	[38] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* destination */
	[46] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	[56] = 0xff, 0xff,              /* UDP destination port */
	[62] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* VXLAN / Geneve */
};

/**
 * Empty a cache (before a burst).
 * @param c the cache
 */
static inline void
sl_tunnel_rx_cache_init(struct sl_tunnel_rx_cache *c)
{
	c->len = 0;
	c->misses = 0;
}

/**
 * A 16-bit header field (network order).
 * @param p its first byte
 * @return its value
 */
static inline uint16_t
sl_tnl_rxc_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/**
 * Take a decapsulated frame's outer headers as the burst's tunnel: call it
 * after sl_vxlan_parse_mbuf() and sl_tunnel_rx_match() said SL_TNL_OK. It
 * does when the cache is empty or the frame before this one missed it
 * too: a new tunnel takes over after two frames, and two tunnels
 * interleaved frame by frame keep the first (half the frames hit, none
 * pays for a refill). A frame the fast path could not judge (IP or Geneve
 * options, headers not in the first segment) leaves the cache as it was.
 * @param c        the burst's cache
 * @param t        the table that matched
 * @param underlay the underlay's slot
 * @param m        the frame, before the strip
 * @param o        its parse
 * @param e        the port it matched
 */
static inline void
sl_tunnel_rx_cache_fill(struct sl_tunnel_rx_cache *c, const struct sl_tunnel_table *t,
			uint16_t underlay, const struct rte_mbuf *m,
			const struct sl_vxlan_outer *o, const struct sl_tunnel_entry *e)
{
	bool v6 = o->dst.family == AF_INET6;
	unsigned int len = v6 ? SL_TNL_RXC_LEN6 : SL_TNL_RXC_LEN4;
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	if ((c->len != 0 && c->misses < 2) || o->verdict != SL_TNL_OK ||
	    o->hdr_len != (v6 ? 70 : 50) || m->data_len < len)
		return;
	c->mask = v6 ? sl_tnl_rxc_mask6 : sl_tnl_rxc_mask4;
	for (unsigned int i = 0; i < len; i += 16) {
		sl_tnl_rxc_v x, k;

		memcpy(&x, p + i, 16);
		memcpy(&k, c->mask + i, 16);
		x &= k;
		memcpy(c->hdr + i, &x, 16);
	}
	c->o = *o;
	c->t = t;
	c->entry = e;
	c->underlay = underlay;
	c->len = (uint8_t)len;
	c->misses = 0;
}

/**
 * sl_tunnel_rx_cached() without counting a miss (for tests).
 * @param c        the burst's cache
 * @param t        the table the burst matches against
 * @param underlay the underlay's slot
 * @param m        the frame
 * @param o        out: its parse, when answered
 * @param entry    out: its port, when answered
 * @return true when answered.
 */
static inline bool
sl_tunnel_rx_cache_hit(const struct sl_tunnel_rx_cache *c, const struct sl_tunnel_table *t,
		       uint16_t underlay, const struct rte_mbuf *m, struct sl_vxlan_outer *o,
		       const struct sl_tunnel_entry **entry)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	sl_tnl_rxc_v acc = { 0, 0 };
	uint32_t ip_len, udp_len, l4;

	if (c->len == 0 || m->data_len < c->len || c->t != t || c->underlay != underlay)
		return false;
	for (unsigned int i = 0; i < c->len; i += 16) {
		sl_tnl_rxc_v x, h, k;

		memcpy(&x, p + i, 16);
		memcpy(&h, c->hdr + i, 16);
		memcpy(&k, c->mask + i, 16);
		acc |= (x & k) ^ h;
	}
	if ((acc[0] | acc[1]) != 0)
		return false;
	if (c->len == SL_TNL_RXC_LEN4) {
		/* as the parse: the datagram within the frame, UDP's length
		 * IP's, room for VXLAN and the inner Ethernet header, the sum */
		ip_len = sl_tnl_rxc_rd16(p + 16);
		l4 = 34;
		if (14 + ip_len > m->pkt_len || ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) !=
						 RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
						 sl_csum_bytes(p + 14, 20) != 0xffff))
			return false;
		ip_len -= 20;
	} else {
		ip_len = sl_tnl_rxc_rd16(p + 18);
		l4 = 54;
		if (54 + ip_len > m->pkt_len)
			return false;
	}
	udp_len = sl_tnl_rxc_rd16(p + l4 + 4);
	if (udp_len != ip_len || udp_len < 8 + 8 + 14)
		return false;
	*o = c->o;
	o->inner_len = udp_len - 16;
	*entry = c->entry;
	return true;
}

/**
 * Whether a frame is the burst's cached tunnel's; if so, its parse and
 * port, as sl_vxlan_parse_mbuf() and sl_tunnel_rx_match() would give them
 * (SL_TNL_OK). False: ask them (the miss is counted, for the fill).
 * @param c        the burst's cache
 * @param t        the table the burst matches against
 * @param underlay the underlay's slot
 * @param m        the frame
 * @param o        out: its parse (inner_len its own)
 * @param entry    out: its port
 * @return true when answered.
 */
static inline bool
sl_tunnel_rx_cached(struct sl_tunnel_rx_cache *c, const struct sl_tunnel_table *t,
		    uint16_t underlay, const struct rte_mbuf *m, struct sl_vxlan_outer *o,
		    const struct sl_tunnel_entry **entry)
{
	if (likely(sl_tunnel_rx_cache_hit(c, t, underlay, m, o, entry))) {
		c->misses = 0;
		return true;
	}
	c->misses = (uint8_t)(c->misses + (c->misses < UINT8_MAX));
	return false;
}

#endif /* SL_TUNNEL_RX_CACHE_H */
