/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_flow_parse.h
 * Packet parser: bytes (or an mbuf) -> struct sl_flow_key + header offsets.
 *
 * Never reads past the packet. A truncated or malformed header stops parsing at
 * that layer: the fields of valid outer layers are set, the rest stay zero
 * (e.g. an IPv4 packet with a 3-byte TCP header has ip_proto = 6 and zero ports).
 */
#ifndef SL_FLOW_PARSE_H
#define SL_FLOW_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "sl_flow_key.h"

struct rte_mbuf;

/** Offset value meaning "this layer is absent". */
#define SL_OFS_NONE 0xffff

/** Where the headers of a parsed packet are (byte offsets from the frame start). */
struct sl_pkt_layout {
	uint16_t vlan_ofs;  /**< outermost VLAN tag (TPID) or SL_OFS_NONE */
	uint16_t mpls_ofs;  /**< first MPLS label stack entry or SL_OFS_NONE */
	uint16_t pbb_ofs;   /**< PBB I-TAG (after its 0x88e7 ethertype) or SL_OFS_NONE */
	uint16_t l3_ofs;    /**< IPv4/IPv6/ARP header or SL_OFS_NONE */
	uint16_t l4_ofs;    /**< TCP/UDP/SCTP/ICMP header or SL_OFS_NONE */
	uint16_t l3_end;    /**< end of the L3 payload (IP total length, capped by the frame) */
	uint16_t eth_type_ofs; /**< offset of the innermost ethertype field */
};

/**
 * Parse @p len bytes of an Ethernet frame.
 * @param pkt     the frame
 * @param len     its length
 * @param in_port, in_phy_port, tunnel_id  metadata written into the key
 * @param key     out: the flow key (fully written)
 * @param layout  out: where the headers are; may be NULL
 * @return 0 if every header present was parsed completely, 1 if parsing stopped
 *         early on a truncated/malformed header (the key is still usable).
 */
int sl_flow_parse(const uint8_t *pkt, size_t len, uint32_t in_port, uint32_t in_phy_port,
		  uint64_t tunnel_id, struct sl_flow_key *key, struct sl_pkt_layout *layout);

/**
 * The general parser alone, without the shortcut sl_flow_parse() takes for
 * untagged Ethernet/IPv4 (no options, not a fragment)/TCP or UDP. Same
 * results, slower; for tests that check the shortcut agrees with it.
 * Parameters and return value as for sl_flow_parse().
 * @param pkt     the frame
 * @param len     its length
 * @param in_port, in_phy_port, tunnel_id  metadata written into the key
 * @param key     out: the flow key (fully written)
 * @param layout  out: where the headers are; may be NULL
 * @return 0, or 1 if parsing stopped early.
 */
int sl_flow_parse_slow(const uint8_t *pkt, size_t len, uint32_t in_port, uint32_t in_phy_port,
		       uint64_t tunnel_id, struct sl_flow_key *key, struct sl_pkt_layout *layout);

/**
 * Parse an mbuf (multi-segment chains are linearised through rte_pktmbuf_read for
 * the first SL_PARSE_MAX_HDR bytes). Same return values as sl_flow_parse().
 * @param m       the packet
 * @param in_port, in_phy_port, tunnel_id  metadata written into the key
 * @param key     out: the flow key (fully written)
 * @param layout  out: where the headers are; may be NULL
 * @return 0, or 1 if parsing stopped early.
 */
int sl_flow_parse_mbuf(const struct rte_mbuf *m, uint32_t in_port, uint32_t in_phy_port,
		       uint64_t tunnel_id, struct sl_flow_key *key, struct sl_pkt_layout *layout);

/** Headers beyond this many bytes are not looked at (ext-header chains, ND options). */
#define SL_PARSE_MAX_HDR 512

#endif /* SL_FLOW_PARSE_H */
