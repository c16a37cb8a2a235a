/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_flow_key.h
 * The fixed-layout flow key: every OpenFlow 1.3 OXM field of a packet, in
 * 64-bit words so that a masked compare or hash is a word loop.
 *
 * Layout decisions (stable: the megaflow cache builds against this shape):
 *  - Every multi-byte field is stored in NETWORK byte order, exactly as its OXM
 *    value is encoded on the wire, so OXM conversion is a memcpy and a set-field
 *    action can copy key bytes straight into the packet.
 *  - One OXM field = one key field (no sharing between TCP/UDP/SCTP ports), so a
 *    mask bit always means one thing.
 *  - Words are ordered by layer: metadata (in_port, metadata, tunnel), L2, L3,
 *    L4. Staged lookup compares word ranges [0, SL_FLOW_STAGE_META_END),
 *    [.., SL_FLOW_STAGE_L2_END), ... and stops at the first stage that differs,
 *    so the megaflow mask only gains the stages that were actually consulted.
 *  - A mask is the same struct: a set bit means "this bit matters".
 *  - Padding bytes are always zero in keys produced by the parser and in masks.
 *  - recirc_id (in what was an L3 pad) is not an OXM
 *    field: the parser leaves it 0; a worker sets it when a packet comes back
 *    from a recirculation, and translation puts it in every megaflow mask.
 */
#ifndef SL_FLOW_KEY_H
#define SL_FLOW_KEY_H

#include <stdint.h>
#include <stddef.h>

#include "openflow.h" /* OFPVID_PRESENT, set in vlan_vid when the packet has a VLAN tag */

/** Number of 64-bit words in a flow key. */
#define SL_FLOW_KEY_WORDS 29

/** Stage boundaries (word indexes, exclusive ends) for staged lookup. */
#define SL_FLOW_STAGE_META_END 9   /**< w0..w8: metadata, tunnel, in_port, actset_output */
#define SL_FLOW_STAGE_L2_END 13    /**< w9..w12: Ethernet, VLAN, MPLS, PBB */
#define SL_FLOW_STAGE_L3_END 23    /**< w13..w22: IPv4/IPv6/ARP */
#define SL_FLOW_STAGE_L4_END 29    /**< w23..w28: TCP/UDP/SCTP/ICMP/ND */
#define SL_FLOW_N_STAGES 4 /**< stages: META, L2, L3, L4 */

/** nw_frag bits (not an OF1.3 OXM field; kept for the datapath and megaflows). */
#define SL_FRAG_ANY 0x01   /**< the packet is an IP fragment */
#define SL_FRAG_LATER 0x02 /**< ... and not the first one (no L4 header) */

/** The flow key (and, with the same type, a mask). */
struct sl_flow_key {
	union {
		uint64_t w[SL_FLOW_KEY_WORDS];
		struct {
			/* --- stage META: w0..w8 --- */
			uint64_t metadata;      /* w0  OXM METADATA */
			uint64_t tunnel_id;     /* w1  OXM TUNNEL_ID */
			uint32_t in_port;       /* w2  OXM IN_PORT */
			uint32_t in_phy_port;   /*     OXM IN_PHY_PORT */
			uint32_t tun_ipv4_src;  /* w3  NXM_NX_TUN_IPV4_SRC (outer source of a
			                         *     decapsulated packet; 0 otherwise) */
			uint32_t tun_ipv4_dst;  /*     NXM_NX_TUN_IPV4_DST */
			uint8_t tun_ipv6_src[16]; /* w4-5 NXM_NX_TUN_IPV6_SRC */
			uint8_t tun_ipv6_dst[16]; /* w6-7 NXM_NX_TUN_IPV6_DST */
			uint32_t actset_output; /* w8  OXM ACTSET_OUTPUT (OF1.5): the action
			                         *     set's output port at this lookup, not a
			                         *     packet field; the parser leaves it 0 */
			uint32_t pad_meta;
			/* --- stage L2: w9..w12 --- */
			uint8_t eth_dst[6];     /* w9  OXM ETH_DST */
			uint16_t eth_type;      /*     OXM ETH_TYPE (innermost, after VLAN tags) */
			uint8_t eth_src[6];     /* w10 OXM ETH_SRC */
			uint16_t vlan_vid;      /*     OXM VLAN_VID (outer tag; | OFPVID_PRESENT) */
			uint32_t mpls_label;    /* w11 OXM MPLS_LABEL (low 20 bits) */
			uint8_t pbb_isid[3];    /*     OXM PBB_ISID */
			uint8_t vlan_pcp;       /*     OXM VLAN_PCP */
			uint8_t mpls_tc;        /* w12 OXM MPLS_TC */
			uint8_t mpls_bos;       /*     OXM MPLS_BOS */
			uint16_t vlan_tpid;     /*     outer TPID (0x8100/0x88a8), not OXM */
			uint8_t n_vlan;         /*     VLAN tags seen (0..255), not OXM */
			uint8_t pad_l2;
			uint16_t vlan_inner;    /*     2nd tag: pcp << 13 | OFPVID_PRESENT | vid, not OXM */
			/* --- stage L3: w13..w22 --- */
			uint32_t ipv4_src;      /* w13 OXM IPV4_SRC */
			uint32_t ipv4_dst;      /*     OXM IPV4_DST */
			uint8_t ip_proto;       /* w14 OXM IP_PROTO (IPv4 proto / IPv6 next hdr) */
			uint8_t ip_dscp;        /*     OXM IP_DSCP (6 bits, low-aligned) */
			uint8_t ip_ecn;         /*     OXM IP_ECN */
			uint8_t nw_ttl;         /*     IPv4 TTL / IPv6 hop limit */
			uint8_t nw_frag;        /*     SL_FRAG_* */
			uint8_t pad_l3a;
			uint16_t ipv6_exthdr;   /*     OXM IPV6_EXTHDR (OFPIEH_* bits) */
			uint32_t ipv6_flabel;   /* w15 OXM IPV6_FLABEL (low 20 bits) */
			uint16_t arp_op;        /*     OXM ARP_OP */
			uint8_t pad_l3b[2];
			uint32_t arp_spa;       /* w16 OXM ARP_SPA */
			uint32_t arp_tpa;       /*     OXM ARP_TPA */
			uint8_t arp_sha[6];     /* w17 OXM ARP_SHA */
			uint8_t arp_tha[6];     /* w17-18 OXM ARP_THA */
			uint32_t recirc_id;     /*     not OXM: 0 on the first pass, else the
			                         *     recirculation that re-parsed it (lib/pipeline) */
			uint8_t ipv6_src[16];   /* w19-20 OXM IPV6_SRC */
			uint8_t ipv6_dst[16];   /* w21-22 OXM IPV6_DST */
			/* --- stage L4: w23..w28 --- */
			uint16_t tcp_src;       /* w23 OXM TCP_SRC */
			uint16_t tcp_dst;       /*     OXM TCP_DST */
			uint16_t udp_src;       /*     OXM UDP_SRC */
			uint16_t udp_dst;       /*     OXM UDP_DST */
			uint16_t sctp_src;      /* w24 OXM SCTP_SRC */
			uint16_t sctp_dst;      /*     OXM SCTP_DST */
			uint16_t tcp_flags;     /*     TCP flags (OF1.5 / ONF ext., 12 bits) */
			uint8_t icmpv4_type;    /*     OXM ICMPV4_TYPE */
			uint8_t icmpv4_code;    /*     OXM ICMPV4_CODE */
			uint8_t icmpv6_type;    /* w25 OXM ICMPV6_TYPE */
			uint8_t icmpv6_code;    /*     OXM ICMPV6_CODE */
			uint8_t ipv6_nd_sll[6]; /*     OXM IPV6_ND_SLL */
			uint8_t ipv6_nd_tll[6]; /* w26 OXM IPV6_ND_TLL */
			uint8_t pad_l4[2];
			uint8_t ipv6_nd_target[16]; /* w27-28 OXM IPV6_ND_TARGET */
		};
	};
};

_Static_assert(sizeof(struct sl_flow_key) == SL_FLOW_KEY_WORDS * 8,
	       "flow key must be exactly SL_FLOW_KEY_WORDS words");
_Static_assert(offsetof(struct sl_flow_key, actset_output) == 8 * 8,
	       "actset_output is w8, the last META word");
_Static_assert(offsetof(struct sl_flow_key, eth_dst) == SL_FLOW_STAGE_META_END * 8,
	       "L2 stage must start at SL_FLOW_STAGE_META_END");
_Static_assert(offsetof(struct sl_flow_key, ipv4_src) == SL_FLOW_STAGE_L2_END * 8,
	       "L3 stage must start at SL_FLOW_STAGE_L2_END");
_Static_assert(offsetof(struct sl_flow_key, tcp_src) == SL_FLOW_STAGE_L3_END * 8,
	       "L4 stage must start at SL_FLOW_STAGE_L3_END");
_Static_assert(offsetof(struct sl_flow_key, ipv6_nd_target) + 16 == SL_FLOW_STAGE_L4_END * 8,
	       "L4 stage must end at SL_FLOW_STAGE_L4_END");

/**
 * Hash of the key bits selected by @p mask (key & mask), CRC32 over the words.
 * Two keys equal under the mask hash equal. @p mask may not be NULL.
 * @param k     the key
 * @param mask  the bits that count
 * @param basis hash seed
 * @return the hash.
 */
uint32_t sl_flow_hash_masked(const struct sl_flow_key *k, const struct sl_flow_key *mask,
			     uint32_t basis);

/**
 * Hash of the whole key (all words).
 * @param k     the key
 * @param basis hash seed
 * @return the hash.
 */
uint32_t sl_flow_hash(const struct sl_flow_key *k, uint32_t basis);

/**
 * Hash of words [begin, end) of (key & mask); used by staged lookup.
 * @param k     the key
 * @param mask  the bits that count
 * @param begin first word
 * @param end   word after the last
 * @param basis hash seed
 * @return the hash.
 */
uint32_t sl_flow_hash_masked_range(const struct sl_flow_key *k, const struct sl_flow_key *mask,
				   unsigned int begin, unsigned int end, uint32_t basis);

/**
 * Compare two keys under a mask.
 * @param a    a key
 * @param b    another key
 * @param mask the bits that count
 * @return true (1) iff (a & mask) == (b & mask) on every word.
 */
static inline int
sl_flow_key_equal_masked(const struct sl_flow_key *a, const struct sl_flow_key *b,
			 const struct sl_flow_key *mask)
{
	uint64_t diff = 0;
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		diff |= (a->w[i] ^ b->w[i]) & mask->w[i];
	return diff == 0;
}

/**
 * dst = src & mask, word by word.
 * @param dst  out: the masked key (may be @p src)
 * @param src  the key
 * @param mask the mask
 */
static inline void
sl_flow_key_and(struct sl_flow_key *dst, const struct sl_flow_key *src,
		const struct sl_flow_key *mask)
{
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		dst->w[i] = src->w[i] & mask->w[i];
}

/**
 * dst |= src (used to accumulate the megaflow mask).
 * @param dst the mask that grows
 * @param src the bits to add
 */
static inline void
sl_flow_key_or(struct sl_flow_key *dst, const struct sl_flow_key *src)
{
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		dst->w[i] |= src->w[i];
}

/**
 * Number of set bits in a mask (how many key bits a megaflow un-wildcards).
 * @param mask the mask
 * @return the count.
 */
unsigned int sl_flow_mask_popcount(const struct sl_flow_key *mask);

#endif /* SL_FLOW_KEY_H */
