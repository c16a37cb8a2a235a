/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet parser. Each layer checks that its whole minimal header is inside the
 * frame before reading it; on failure it returns "stop" and the fields of that
 * layer stay zero, so malformed packets still get a usable (shorter) key.
 * Multi-byte key fields are copied in network byte order (see sl_flow_key.h).
 */
#include "sl_flow_parse.h"

#include <stdbool.h>
#include <string.h>

#include <emmintrin.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "sl_flow_consts.h"

struct cursor {
	const uint8_t *pkt;
	size_t len;
};

static inline int
has(const struct cursor *c, size_t ofs, size_t n)
{
	return ofs <= c->len && n <= c->len - ofs;
}

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* ---------------------------------------------------------------- L4 ---- */

/* ND options: take the first SLL (for NS) or TLL (for NA) option. */
static int
parse_nd_options(const struct cursor *c, size_t ofs, size_t end, uint8_t icmp_type,
		 struct sl_flow_key *key)
{
	while (ofs + 2 <= end) {
		uint8_t opt = c->pkt[ofs];
		size_t olen = (size_t)c->pkt[ofs + 1] * 8;
		if (olen == 0 || ofs + olen > end)
			return 1; /* malformed option: keep what we have */
		if (olen == 8) {
			if (opt == SL_ND_OPT_SLL && icmp_type == SL_ND_NS)
				memcpy(key->ipv6_nd_sll, c->pkt + ofs + 2, 6);
			else if (opt == SL_ND_OPT_TLL && icmp_type == SL_ND_NA)
				memcpy(key->ipv6_nd_tll, c->pkt + ofs + 2, 6);
		}
		ofs += olen;
	}
	return ofs == end ? 0 : 1;
}

static int
parse_icmpv6(const struct cursor *c, size_t ofs, size_t end, struct sl_flow_key *key)
{
	if (ofs + 4 > end)
		return 1;
	key->icmpv6_type = c->pkt[ofs];
	key->icmpv6_code = c->pkt[ofs + 1];
	if ((key->icmpv6_type == SL_ND_NS || key->icmpv6_type == SL_ND_NA) && key->icmpv6_code == 0) {
		if (ofs + 24 > end)
			return 1;
		memcpy(key->ipv6_nd_target, c->pkt + ofs + 8, 16);
		return parse_nd_options(c, ofs + 24, end, key->icmpv6_type, key);
	}
	return 0;
}

static int
parse_l4(const struct cursor *c, size_t ofs, size_t end, struct sl_flow_key *key,
	 struct sl_pkt_layout *lay)
{
	const uint8_t *p = c->pkt + ofs;
	lay->l4_ofs = (uint16_t)ofs;
	switch (key->ip_proto) {
	case SL_IPPROTO_TCP:
		if (ofs + 20 > end)
			return 1;
		memcpy(&key->tcp_src, p, 2);
		memcpy(&key->tcp_dst, p + 2, 2);
		key->tcp_flags = rte_cpu_to_be_16(rd16(p + 12) & 0x0fff);
		return 0;
	case SL_IPPROTO_UDP:
		if (ofs + 8 > end)
			return 1;
		memcpy(&key->udp_src, p, 2);
		memcpy(&key->udp_dst, p + 2, 2);
		return 0;
	case SL_IPPROTO_SCTP:
		if (ofs + 12 > end)
			return 1;
		memcpy(&key->sctp_src, p, 2);
		memcpy(&key->sctp_dst, p + 2, 2);
		return 0;
	case SL_IPPROTO_ICMP:
		if (key->eth_type != rte_cpu_to_be_16(SL_ETH_IPV4))
			return 0;
		if (ofs + 4 > end)
			return 1;
		key->icmpv4_type = p[0];
		key->icmpv4_code = p[1];
		return 0;
	case SL_IPPROTO_ICMPV6:
		if (key->eth_type != rte_cpu_to_be_16(SL_ETH_IPV6))
			return 0;
		return parse_icmpv6(c, ofs, end, key);
	default:
		lay->l4_ofs = SL_OFS_NONE;
		return 0;
	}
}

/* ---------------------------------------------------------------- L3 ---- */

static int
parse_ipv4(const struct cursor *c, size_t ofs, struct sl_flow_key *key, struct sl_pkt_layout *lay)
{
	const uint8_t *p = c->pkt + ofs;
	if (!has(c, ofs, 20) || (p[0] >> 4) != 4)
		return 1;
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;
	size_t tot = rd16(p + 2);
	if (ihl < 20 || !has(c, ofs, ihl))
		return 1;
	lay->l3_ofs = (uint16_t)ofs;
	memcpy(&key->ipv4_src, p + 12, 4);
	memcpy(&key->ipv4_dst, p + 16, 4);
	key->ip_proto = p[9];
	key->ip_dscp = p[1] >> 2;
	key->ip_ecn = p[1] & 0x03;
	key->nw_ttl = p[8];
	/* Ethernet padding may follow the datagram; a lying total length is capped. */
	size_t end = c->len;
	int bad_len = 0;
	if (tot >= ihl && ofs + tot <= c->len)
		end = ofs + tot;
	else if (tot < ihl || ofs + tot > c->len)
		bad_len = 1;
	lay->l3_end = (uint16_t)end;
	uint16_t frag = rd16(p + 6);
	if (frag & 0x3fff) {
		key->nw_frag = SL_FRAG_ANY;
		if (frag & 0x1fff) {
			key->nw_frag |= SL_FRAG_LATER;
			return bad_len; /* no L4 header in later fragments */
		}
	}
	return parse_l4(c, ofs + ihl, end, key, lay) | bad_len;
}

/* Position of each extension header in the RFC 8200 recommended order. */
static int
exthdr_rank(uint8_t nh, int after_routing)
{
	switch (nh) {
	case SL_IPPROTO_HOPOPTS: return 0;
	case SL_IPPROTO_DSTOPTS: return after_routing ? 6 : 1;
	case SL_IPPROTO_ROUTING: return 2;
	case SL_IPPROTO_FRAGMENT: return 3;
	case SL_IPPROTO_AH: return 4;
	case SL_IPPROTO_ESP: return 5;
	default: return -1;
	}
}

static uint16_t
exthdr_bit(uint8_t nh)
{
	switch (nh) {
	case SL_IPPROTO_HOPOPTS: return OFPIEH_HOP;
	case SL_IPPROTO_DSTOPTS: return OFPIEH_DEST;
	case SL_IPPROTO_ROUTING: return OFPIEH_ROUTER;
	case SL_IPPROTO_FRAGMENT: return OFPIEH_FRAG;
	case SL_IPPROTO_AH: return OFPIEH_AUTH;
	case SL_IPPROTO_ESP: return OFPIEH_ESP;
	default: return 0;
	}
}

/*
 * Walk the extension header chain. Sets ip_proto to the upper-layer protocol
 * and *l4 to its offset; returns 1 if the chain is truncated, 2 if it ends in
 * a later fragment or ESP (no parsable L4), 0 otherwise.
 */
static int
walk_ipv6_exthdrs(const struct cursor *c, size_t ofs, size_t end, uint8_t nh,
		  struct sl_flow_key *key, size_t *l4)
{
	uint16_t seen = 0, flags = 0;
	int last_rank = -1, after_routing = 0, first = 1;
	for (;;) {
		int rank = exthdr_rank(nh, after_routing);
		if (nh == SL_IPPROTO_NONE) {
			flags |= OFPIEH_NONEXT;
			break;
		}
		if (rank < 0)
			break;
		uint16_t bit = exthdr_bit(nh);
		if ((nh == SL_IPPROTO_HOPOPTS && !first) || rank < last_rank)
			flags |= OFPIEH_UNSEQ;
		if (seen & bit && !(nh == SL_IPPROTO_DSTOPTS && rank == 6 && last_rank < 6))
			flags |= OFPIEH_UNREP;
		seen |= bit;
		flags |= bit;
		last_rank = rank > last_rank ? rank : last_rank;
		first = 0;
		if (nh == SL_IPPROTO_ROUTING)
			after_routing = 1;
		if (nh == SL_IPPROTO_ESP) {
			key->ip_proto = nh;
			key->ipv6_exthdr = rte_cpu_to_be_16(flags);
			return 2;
		}
		if (ofs + 8 > end) {
			key->ipv6_exthdr = rte_cpu_to_be_16(flags);
			return 1;
		}
		const uint8_t *p = c->pkt + ofs;
		size_t hlen;
		if (nh == SL_IPPROTO_FRAGMENT) {
			uint16_t fo = rd16(p + 2);
			hlen = 8;
			if (fo & 0xfff9) {
				key->nw_frag = SL_FRAG_ANY;
				if (fo & 0xfff8) {
					key->nw_frag |= SL_FRAG_LATER;
					key->ip_proto = p[0];
					key->ipv6_exthdr = rte_cpu_to_be_16(flags);
					return 2;
				}
			}
		} else if (nh == SL_IPPROTO_AH) {
			hlen = ((size_t)p[1] + 2) * 4;
		} else {
			hlen = ((size_t)p[1] + 1) * 8;
		}
		if (ofs + hlen > end) {
			key->ipv6_exthdr = rte_cpu_to_be_16(flags);
			return 1;
		}
		nh = p[0];
		ofs += hlen;
	}
	key->ip_proto = nh;
	key->ipv6_exthdr = rte_cpu_to_be_16(flags);
	*l4 = ofs;
	return nh == SL_IPPROTO_NONE ? 2 : 0;
}

static int
parse_ipv6(const struct cursor *c, size_t ofs, struct sl_flow_key *key, struct sl_pkt_layout *lay)
{
	const uint8_t *p = c->pkt + ofs;
	if (!has(c, ofs, 40) || (p[0] >> 4) != 6)
		return 1;
	lay->l3_ofs = (uint16_t)ofs;
	uint32_t vtcfl = rd32(p);
	uint8_t tc = (uint8_t)(vtcfl >> 20);
	key->ip_dscp = tc >> 2;
	key->ip_ecn = tc & 0x03;
	key->ipv6_flabel = rte_cpu_to_be_32(vtcfl & 0x000fffff);
	key->nw_ttl = p[7];
	memcpy(key->ipv6_src, p + 8, 16);
	memcpy(key->ipv6_dst, p + 24, 16);
	size_t plen = rd16(p + 4);
	size_t end = c->len;
	int bad_len = 0;
	if (ofs + 40 + plen <= c->len)
		end = ofs + 40 + plen;
	else
		bad_len = 1;
	lay->l3_end = (uint16_t)end;
	size_t l4 = 0;
	int rc = walk_ipv6_exthdrs(c, ofs + 40, end, p[6], key, &l4);
	if (rc == 1)
		return 1;
	if (rc == 2)
		return bad_len;
	return parse_l4(c, l4, end, key, lay) | bad_len;
}

static int
parse_arp(const struct cursor *c, size_t ofs, struct sl_flow_key *key, struct sl_pkt_layout *lay)
{
	const uint8_t *p = c->pkt + ofs;
	if (!has(c, ofs, 28))
		return 1;
	/* Only Ethernet/IPv4 ARP has the fields OpenFlow names. */
	if (rd16(p) != 1 || rd16(p + 2) != SL_ETH_IPV4 || p[4] != 6 || p[5] != 4)
		return 1;
	lay->l3_ofs = (uint16_t)ofs;
	lay->l3_end = (uint16_t)(ofs + 28);
	memcpy(&key->arp_op, p + 6, 2);
	memcpy(key->arp_sha, p + 8, 6);
	memcpy(&key->arp_spa, p + 14, 4);
	memcpy(key->arp_tha, p + 18, 6);
	memcpy(&key->arp_tpa, p + 24, 4);
	return 0;
}

/* ---------------------------------------------------------------- L2 ---- */

/* Returns the offset just past the innermost ethertype, or 0 if truncated. */
static size_t
parse_l2(const struct cursor *c, struct sl_flow_key *key, struct sl_pkt_layout *lay, int *trunc)
{
	const uint8_t *p = c->pkt;
	memcpy(key->eth_dst, p, 6);
	memcpy(key->eth_src, p + 6, 6);
	size_t ofs = 12;
	uint16_t type = rd16(p + 12);
	while (type == SL_ETH_VLAN || type == SL_ETH_QINQ || type == SL_ETH_QINQ_OLD) {
		if (!has(c, ofs, 6)) { /* TPID + TCI + next type */
			*trunc = 1;
			break;
		}
		uint16_t tci = rd16(p + ofs + 2);
		if (key->n_vlan == 0) {
			lay->vlan_ofs = (uint16_t)ofs;
			key->vlan_vid = rte_cpu_to_be_16((tci & 0x0fff) | OFPVID_PRESENT);
			key->vlan_pcp = (uint8_t)(tci >> 13);
			key->vlan_tpid = rte_cpu_to_be_16(type);
		} else if (key->n_vlan == 1) {
			/* Kept so that pop_vlan in a pipeline knows the new outer tag. */
			key->vlan_inner = rte_cpu_to_be_16((tci & 0xefff) | OFPVID_PRESENT);
		}
		if (key->n_vlan < 255)
			key->n_vlan++;
		ofs += 4;
		type = rd16(p + ofs);
	}
	if (type < SL_ETH_TYPE_MIN && !*trunc) {
		/* 802.3 length field: LLC/SNAP carries a real ethertype, else "none". */
		const uint8_t *llc = p + ofs + 2;
		if (has(c, ofs + 2, 8) && llc[0] == 0xaa && llc[1] == 0xaa && llc[2] == 0x03 &&
		    llc[3] == 0 && llc[4] == 0 && llc[5] == 0 && rd16(llc + 6) >= SL_ETH_TYPE_MIN) {
			lay->eth_type_ofs = (uint16_t)(ofs + 8);
			type = rd16(llc + 6);
			ofs += 8;
		} else {
			type = SL_ETH_TYPE_NONE;
		}
	}
	if (lay->eth_type_ofs == SL_OFS_NONE)
		lay->eth_type_ofs = (uint16_t)ofs;
	key->eth_type = rte_cpu_to_be_16(type);
	return ofs + 2;
}

static int
parse_mpls(const struct cursor *c, size_t ofs, struct sl_flow_key *key, struct sl_pkt_layout *lay)
{
	if (!has(c, ofs, 4))
		return 1;
	uint32_t lse = rd32(c->pkt + ofs);
	lay->mpls_ofs = (uint16_t)ofs;
	key->mpls_label = rte_cpu_to_be_32(lse >> 12);
	key->mpls_tc = (uint8_t)((lse >> 9) & 0x7);
	key->mpls_bos = (uint8_t)((lse >> 8) & 0x1);
	return 0;
}

static int
parse_pbb(const struct cursor *c, size_t ofs, struct sl_flow_key *key, struct sl_pkt_layout *lay)
{
	if (!has(c, ofs, 4))
		return 1;
	lay->pbb_ofs = (uint16_t)ofs;
	memcpy(key->pbb_isid, c->pkt + ofs + 1, 3);
	return 0;
}

/* Clear a key with plain 16-byte stores: for a 232-byte key, the
 * `rep stos` that memset() becomes was half of the parse time (its
 * start-up cost dominates at this size; measured with bench_datapath).
 * Written out, not as a loop: GCC -O3 recognises a loop of zero stores as
 * memset and emits `rep stos` again. */
static inline void
key_zero(struct sl_flow_key *key)
{
	__m128i z = _mm_setzero_si128();
	__m128i *p = (__m128i *)key;

	_Static_assert(sizeof(*key) == 14 * 16 + 8, "key_zero writes 14 x 16 + 8 bytes");
	_mm_storeu_si128(p + 0, z);
	_mm_storeu_si128(p + 1, z);
	_mm_storeu_si128(p + 2, z);
	_mm_storeu_si128(p + 3, z);
	_mm_storeu_si128(p + 4, z);
	_mm_storeu_si128(p + 5, z);
	_mm_storeu_si128(p + 6, z);
	_mm_storeu_si128(p + 7, z);
	_mm_storeu_si128(p + 8, z);
	_mm_storeu_si128(p + 9, z);
	_mm_storeu_si128(p + 10, z);
	_mm_storeu_si128(p + 11, z);
	_mm_storeu_si128(p + 12, z);
	_mm_storeu_si128(p + 13, z);
	key->w[SL_FLOW_KEY_WORDS - 1] = 0;
}

/* ------------------------------------------------ IPv4 shortcut ---- */

static inline uint64_t
ld64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t
ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint16_t
ld16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

/*
 * Untagged Ethernet / IPv4 without options, not a fragment, total length
 * inside the frame / TCP or UDP: most of the traffic a switch sees. Builds
 * the key a word at a time in registers and stores each word once (zero
 * words with 16-byte stores), instead of zeroing all 29 words and then
 * patching bytes into them; whole-word stores also let the hash and compare
 * loads that follow forward from the store buffer. Produces exactly what the
 * general parser produces (test_flow_parse checks both on the same packets).
 * Returns false, having written nothing, when the packet is anything else.
 * Byte order: key fields are network order in memory, so little-endian loads
 * of packet bytes give the right word values as long as bytes land at the
 * right offsets (x86 only, like the CRC32 instructions the hashes use).
 */
static inline bool
parse_ipv4_l4_fast(const uint8_t *p, size_t len, uint32_t in_port, uint32_t in_phy_port,
		   uint64_t tunnel_id, struct sl_flow_key *key, struct sl_pkt_layout *lay)
{
	enum { L3 = 14, L4 = 14 + 20 };
	if (len < L4 + 8 || ld16(p + 12) != rte_cpu_to_be_16(SL_ETH_IPV4) || p[L3] != 0x45)
		return false;
	const uint8_t *ip = p + L3, *l4 = p + L4;
	size_t tot = rd16(ip + 2);
	uint8_t proto = ip[9];
	size_t l4_min = proto == SL_IPPROTO_TCP ? 20 : 8;
	if ((proto != SL_IPPROTO_TCP && proto != SL_IPPROTO_UDP) || tot < 20 + l4_min ||
	    L3 + tot > len || (ld16(ip + 6) & rte_cpu_to_be_16(0x3fff)) != 0)
		return false;

	/* word indexes; the asserts pin the layout this code writes */
	enum {
		W_TUN = offsetof(struct sl_flow_key, tun_ipv4_src) / 8, /* w3..w8: tunnel, actset */
		W_ETH = offsetof(struct sl_flow_key, eth_dst) / 8,
		W_MPLS = offsetof(struct sl_flow_key, mpls_label) / 8,
		W_IP4 = offsetof(struct sl_flow_key, ipv4_src) / 8,
		W_L4 = offsetof(struct sl_flow_key, tcp_src) / 8,
	};
	_Static_assert(W_TUN == 3 && W_ETH == 9 && W_MPLS == W_ETH + 2 && W_IP4 == W_ETH + 4 &&
			       W_L4 == W_IP4 + 10 && SL_FLOW_KEY_WORDS == W_L4 + 6,
		       "parse_ipv4_l4_fast writes this key layout");
	__m128i z = _mm_setzero_si128();
	uint8_t *kb = (uint8_t *)key;
	uint64_t *w = key->w;
	w[0] = 0;
	w[1] = rte_cpu_to_be_64(tunnel_id);
	w[2] = (uint64_t)rte_cpu_to_be_32(in_port) |
	       (uint64_t)rte_cpu_to_be_32(in_phy_port) << 32;
	for (unsigned int i = W_TUN; i < W_ETH; i += 2) /* tunnel addresses, actset_output */
		_mm_storeu_si128((__m128i *)(void *)(kb + i * 8), z);
	w[W_ETH] = (ld64(p) & UINT64_C(0xffffffffffff)) | (uint64_t)ld16(p + 12) << 48;
	w[W_ETH + 1] = ld64(p + 6) & UINT64_C(0xffffffffffff); /* vlan_vid 0 */
	_mm_storeu_si128((__m128i *)(void *)(kb + W_MPLS * 8), z); /* MPLS, PBB, VLAN */
	w[W_IP4] = ld64(ip + 12);                                   /* ipv4_src, ipv4_dst */
	w[W_IP4 + 1] = (uint64_t)proto | (uint64_t)(ip[1] >> 2) << 8 |
		       (uint64_t)(ip[1] & 3) << 16 | (uint64_t)ip[8] << 24; /* nw_frag, exthdr 0 */
	for (unsigned int i = W_IP4 + 2; i < W_L4; i += 2) /* IPv6, ARP, recirc_id */
		_mm_storeu_si128((__m128i *)(void *)(kb + i * 8), z);
	if (proto == SL_IPPROTO_TCP) {
		w[W_L4] = ld32(l4);                                    /* tcp_src, tcp_dst */
		w[W_L4 + 1] = (uint64_t)(ld16(l4 + 12) & rte_cpu_to_be_16(0x0fff)) << 32; /* flags */
	} else {
		w[W_L4] = (uint64_t)ld32(l4) << 32;                    /* udp_src, udp_dst */
		w[W_L4 + 1] = 0;
	}
	_mm_storeu_si128((__m128i *)(void *)(kb + (W_L4 + 2) * 8), z);
	_mm_storeu_si128((__m128i *)(void *)(kb + (W_L4 + 4) * 8), z);

	lay->vlan_ofs = SL_OFS_NONE;
	lay->mpls_ofs = SL_OFS_NONE;
	lay->pbb_ofs = SL_OFS_NONE;
	lay->l3_ofs = L3;
	lay->l4_ofs = L4;
	lay->l3_end = (uint16_t)(L3 + tot);
	lay->eth_type_ofs = 12;
	return true;
}

/* ------------------------------------------------------------ entry ---- */

int
sl_flow_parse(const uint8_t *pkt, size_t len, uint32_t in_port, uint32_t in_phy_port,
	      uint64_t tunnel_id, struct sl_flow_key *key, struct sl_pkt_layout *layout)
{
	struct sl_pkt_layout dummy;
	if (pkt != NULL && parse_ipv4_l4_fast(pkt, len, in_port, in_phy_port, tunnel_id, key,
					       layout ? layout : &dummy))
		return 0;
	return sl_flow_parse_slow(pkt, len, in_port, in_phy_port, tunnel_id, key, layout);
}

int
sl_flow_parse_slow(const uint8_t *pkt, size_t len, uint32_t in_port, uint32_t in_phy_port,
		   uint64_t tunnel_id, struct sl_flow_key *key, struct sl_pkt_layout *layout)
{
	struct sl_pkt_layout dummy;
	struct sl_pkt_layout *lay = layout ? layout : &dummy;
	struct cursor c = { pkt, len };
	int trunc = 0;

	key_zero(key);
	memset(lay, 0xff, sizeof(*lay));
	lay->l3_end = 0;
	key->in_port = rte_cpu_to_be_32(in_port);
	key->in_phy_port = rte_cpu_to_be_32(in_phy_port);
	key->tunnel_id = rte_cpu_to_be_64(tunnel_id);
	if (pkt == NULL || len < 14)
		return 1;
	size_t ofs = parse_l2(&c, key, lay, &trunc);
	if (trunc)
		return 1;
	switch (rte_be_to_cpu_16(key->eth_type)) {
	case SL_ETH_IPV4:
		return parse_ipv4(&c, ofs, key, lay);
	case SL_ETH_IPV6:
		return parse_ipv6(&c, ofs, key, lay);
	case SL_ETH_ARP:
		return parse_arp(&c, ofs, key, lay);
	case SL_ETH_MPLS:
	case SL_ETH_MPLS_MC:
		return parse_mpls(&c, ofs, key, lay);
	case SL_ETH_PBB:
		return parse_pbb(&c, ofs, key, lay);
	default:
		return 0;
	}
}

int
sl_flow_parse_mbuf(const struct rte_mbuf *m, uint32_t in_port, uint32_t in_phy_port,
		   uint64_t tunnel_id, struct sl_flow_key *key, struct sl_pkt_layout *layout)
{
	uint8_t buf[SL_PARSE_MAX_HDR];
	uint32_t n = rte_pktmbuf_pkt_len(m);
	if (n > SL_PARSE_MAX_HDR)
		n = SL_PARSE_MAX_HDR;
	const uint8_t *p = rte_pktmbuf_read(m, 0, n, buf);
	return sl_flow_parse(p, p ? n : 0, in_port, in_phy_port, tunnel_id, key, layout);
}
