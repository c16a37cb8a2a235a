/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_NEIGH_PROTO_H
#define SL_NEIGH_PROTO_H

/**
 * @file
 * ARP (RFC 826) and IPv6 neighbour discovery (RFC 4861, NS and NA only)
 * frames: a parser that checks everything the control lcore relies on, and
 * builders of the frames it sends. Pure functions over byte buffers: no
 * EAL, no mbuf, so that the fuzz target (test/fuzz/fuzz_neigh.c) and the
 * unit tests run them alone.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "sl_neigh.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a parsed frame is. */
enum sl_neigh_msg_kind {
	SL_NEIGH_ARP_REQUEST, /**< ARP request (a probe when the sender is 0.0.0.0) */
	SL_NEIGH_ARP_REPLY,   /**< ARP reply */
	SL_NEIGH_NS,          /**< neighbour solicitation */
	SL_NEIGH_NA,          /**< neighbour advertisement */
};

/** Why a frame was refused (sl_neigh_parse), 0 = none. */
enum sl_neigh_bad {
	SL_NEIGH_OK,
	SL_NEIGH_BAD_SHORT,     /**< shorter than its headers say */
	SL_NEIGH_BAD_ETHERTYPE, /**< neither ARP nor IPv6 (VLAN tags are not looked through) */
	SL_NEIGH_BAD_ARP,       /**< not Ethernet/IPv4 ARP, or an unknown operation */
	SL_NEIGH_BAD_IP6,       /**< not ICMPv6 NS/NA: version, next header, type, code */
	SL_NEIGH_BAD_HOPLIMIT,  /**< ND hop limit not 255 (RFC 4861 7.1: from off-link) */
	SL_NEIGH_BAD_CSUM,      /**< ICMPv6 checksum wrong */
	SL_NEIGH_BAD_OPTION,    /**< an ND option of length 0 or past the end */
	SL_NEIGH_BAD_ADDRESS,   /**< a multicast / broadcast sender or target, NA to multicast with S set */
	SL_NEIGH_BAD_N
};

/** A parsed ARP or ND frame. */
struct sl_neigh_msg {
	enum sl_neigh_msg_kind kind;   /**< what it is */
	struct rte_ether_addr eth_src; /**< Ethernet source */
	struct rte_ether_addr eth_dst; /**< Ethernet destination */
	struct sl_ip_addr sender;      /**< ARP sender / IPv6 source (unspecified: 0) */
	struct sl_ip_addr target;      /**< ARP target / ND target address */
	struct sl_ip_addr ip_dst;      /**< IPv6 destination (ARP: the target) */
	struct rte_ether_addr lladdr;  /**< ARP sender MAC; ND source (NS) or target (NA) link-layer option */
	bool has_lladdr;               /**< ND: the option was there (ARP: always) */
	bool solicited;                /**< NA: S flag */
	bool override;                 /**< NA: O flag (ARP: true) */
	bool gratuitous;               /**< ARP with sender == target, NA to a multicast address */
};

/** Names of enum sl_neigh_bad, for counters and logs. */
extern const char *const sl_neigh_bad_names[SL_NEIGH_BAD_N];

/**
 * Parse and check an ARP or ND frame (from its Ethernet header; Ethernet
 * padding after the message allowed).
 * @param f   the frame
 * @param len its length
 * @param msg out: what it says (valid when 0 is returned)
 * @return SL_NEIGH_OK, or why it is refused.
 */
enum sl_neigh_bad sl_neigh_parse(const uint8_t *f, size_t len, struct sl_neigh_msg *msg);

/** Largest frame the builders write (an NS/NA with its option, padded). */
#define SL_NEIGH_FRAME_MAX 86

/**
 * Build an ARP frame, padded to 60 bytes.
 * @param buf     out: SL_NEIGH_FRAME_MAX bytes
 * @param reply   true: reply; false: request
 * @param eth_dst Ethernet destination (broadcast for a request)
 * @param sha     sender MAC (also the Ethernet source)
 * @param spa     sender IPv4 (4 bytes)
 * @param tha     target MAC (zero in a request)
 * @param tpa     target IPv4 (4 bytes)
 * @return the frame's length.
 */
size_t sl_neigh_build_arp(uint8_t *buf, bool reply, const struct rte_ether_addr *eth_dst,
			  const struct rte_ether_addr *sha, const uint8_t *spa,
			  const struct rte_ether_addr *tha, const uint8_t *tpa);

/**
 * Build a neighbour solicitation with a source link-layer option.
 * @param buf     out: SL_NEIGH_FRAME_MAX bytes
 * @param src_mac our MAC
 * @param src_ip  our IPv6 address (16 bytes)
 * @param target  the address asked for (16 bytes)
 * @param dst_mac NULL: multicast to the target's solicited-node group;
 *                else unicast to this MAC and the target itself (a refresh)
 * @return the frame's length.
 */
size_t sl_neigh_build_ns(uint8_t *buf, const struct rte_ether_addr *src_mac, const uint8_t *src_ip,
			 const uint8_t *target, const struct rte_ether_addr *dst_mac);

/**
 * Build a neighbour advertisement with a target link-layer option (R 0, O 1).
 * @param buf       out: SL_NEIGH_FRAME_MAX bytes
 * @param src_mac   our MAC (the option and the Ethernet source)
 * @param target    our address, the one advertised (also the IPv6 source)
 * @param dst_mac   Ethernet destination
 * @param dst_ip    IPv6 destination (16 bytes)
 * @param solicited the S flag
 * @return the frame's length.
 */
size_t sl_neigh_build_na(uint8_t *buf, const struct rte_ether_addr *src_mac, const uint8_t *target,
			 const struct rte_ether_addr *dst_mac, const uint8_t *dst_ip, bool solicited);

/**
 * Whether a frame may be ARP / ND at all, from its first bytes: the cheap
 * test a worker makes before anything else (ethertype ARP, or IPv6 with
 * next header ICMPv6, hop limit 255 and type 135 or 136).
 * @param f   the frame's first bytes
 * @param len how many (at least 14 for an answer other than false)
 * @return true if sl_neigh_parse may accept it.
 */
bool sl_neigh_maybe(const uint8_t *f, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* SL_NEIGH_PROTO_H */
