/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_vxlan.h
 * VXLAN (RFC 7348) on the wire: the worker's decap classifier and trim, and
 * the encap push. Pure packet code over mbufs: no port table, no EAL state
 * but a mempool for fresh head segments; the tunnel port table
 * (sl_tunnel.h) decides whose packet it is. No syscalls, no locks, no
 * allocation but one head mbuf where a packet's first segment cannot be
 * written (shared, indirect, or no headroom).
 *
 * Decap, in two steps so that a frame that is not for a local VTEP costs
 * one parse and goes on untouched:
 *  1. sl_vxlan_parse() reads the outer Ethernet / IPv4|IPv6 / UDP headers
 *     and says whether the frame is a UDP datagram at all (else
 *     SL_TNL_NOT_OURS); it fills the outer addresses and UDP port, and the
 *     verdict that applies if the datagram is for a local VTEP (truncated,
 *     bad outer header, bad VXLAN flags, or OK with the VNI).
 *  2. the tunnel table matches (underlay, outer dst, UDP port) to a VTEP,
 *     then the remote and VNI to a port; sl_vxlan_strip() then removes the
 *     outer headers (and any Ethernet padding behind the datagram).
 *
 * Encap: sl_vxlan_encap_init() builds the outer headers once per (port,
 * remote, VNI); sl_vxlan_encap() pushes them per packet, filling only
 * lengths, the IPv4 id and checksum (incrementally), the UDP source port
 * (from a hash of the inner flow) and, for IPv6, the UDP checksum over the
 * whole (chained) datagram. The inner frame is never written.
 */
#ifndef SL_VXLAN_H
#define SL_VXLAN_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sl_ip_addr.h"

/** IANA's VXLAN UDP port (RFC 7348), the default dst_port. */
#define SL_VXLAN_UDP_PORT 4789
/** Outer headers pushed for an IPv4 underlay: Ethernet, IPv4, UDP, VXLAN. */
#define SL_VXLAN_OUTER4_LEN (14 + 20 + 8 + 8)
/** ... for an IPv6 underlay. */
#define SL_VXLAN_OUTER6_LEN (14 + 40 + 8 + 8)
/** Bytes sl_vxlan_parse() may need: Ethernet, IPv4 with 40 bytes of
 *  options (IPv6 needs less), UDP, VXLAN, the inner Ethernet header. */
#define SL_VXLAN_PARSE_MAX (14 + 60 + 8 + 8 + 14)
/** Largest VNI (24 bits). */
#define SL_VXLAN_VNI_MAX 0xffffffu

/**
 * What becomes of a frame on the tunnel paths. Every value but OK and
 * NOT_OURS is a drop reason with its own counter (`sluicectl drops`,
 * docs/drops.md).
 */
enum sl_tnl_verdict {
	SL_TNL_OK = 0,         /**< decapsulated / encapsulated */
	SL_TNL_NOT_OURS,       /**< not VXLAN to a local VTEP: an ordinary underlay frame */
	SL_TNL_TRUNCATED,      /**< to a VTEP, but the frame ends inside UDP, VXLAN or the inner
	                        *   Ethernet header, or before the IP/UDP length */
	SL_TNL_BAD_OUTER,      /**< to a VTEP, but a fragment, a wrong IPv4 header checksum, a UDP
	                        *   length that disagrees with the IP length, or padding that is
	                        *   not ours to trim */
	SL_TNL_BAD_FLAGS,      /**< VXLAN flags other than exactly I (0x08), or reserved bits set */
	SL_TNL_UNKNOWN_REMOTE, /**< no tunnel port of that VTEP takes this outer source */
	SL_TNL_UNKNOWN_VNI,    /**< the remote is known, but no port of it takes this VNI */
	SL_TNL_NO_MBUF,        /**< a head segment was needed and the pool is empty */
	SL_TNL_TOO_BIG,        /**< encap: the outer IP packet exceeds the underlay's MTU */
	SL_TNL_NO_REMOTE,      /**< encap on a remote_ip = flow port: the packet has no tun_dst
	                        *   (or one of the other family than the port's local_ip) */
	SL_TNL_NO_NEIGH,       /**< encap: outer next hop unresolved and could not be parked */
	SL_TNL_GENEVE_VERSION, /**< Geneve version other than 0 (RFC 8926 3.4) */
	SL_TNL_GENEVE_PROTO,   /**< Geneve protocol type other than 0x6558 (Ethernet) */
	SL_TNL_GENEVE_CRITICAL,/**< Geneve C bit: critical options, which Sluice does not process */
	SL_TNL_GENEVE_CONTROL, /**< Geneve O bit: a control packet, never a tenant's frame */
	SL_TNL_N               /**< number of verdicts */
};

/**
 * The tunnel protocol of a port (sl_tunnel_params.proto) and of a
 * datagram's header (sl_vxlan_outer.proto). VXLAN is 0: a zeroed
 * sl_tunnel_params is a VXLAN port's.
 */
enum sl_tnl_proto {
	SL_TNL_PROTO_VXLAN = 0,  /**< VXLAN (RFC 7348), type = vxlan */
	SL_TNL_PROTO_GENEVE = 1, /**< Geneve (RFC 8926), type = geneve (sl_geneve.h) */
};

/**
 * A verdict's name, as the drop counters print it ("tnl_truncated", ...).
 * @param v the verdict
 * @return a static string ("?" when out of range).
 */
const char *sl_tnl_verdict_name(enum sl_tnl_verdict v);

/** What sl_vxlan_parse() found in the outer headers. */
struct sl_vxlan_outer {
	struct sl_ip_addr src;  /**< outer source address (the remote VTEP) */
	struct sl_ip_addr dst;  /**< outer destination address (a local VTEP?) */
	uint32_t vni;           /**< VNI (host order), valid when verdict is OK */
	uint16_t udp_dst;       /**< outer UDP destination port (host order) */
	uint16_t hdr_len;       /**< outer bytes to strip: Ethernet through VXLAN */
	uint32_t inner_len;     /**< the inner frame's length (UDP length - 16 - options) */
	/** enum sl_tnl_verdict if the datagram is for a VTEP: OK when its
	 *  outer headers are right and its tunnel header a well-formed one of
	 *  @c proto; else the verdict at a VXLAN VTEP */
	uint8_t verdict;
	uint8_t proto;          /**< enum sl_tnl_proto: the header's, when verdict is OK */
	/** the verdict at a Geneve VTEP when verdict is not OK or proto is not
	 *  Geneve (a VXLAN header: SL_TNL_GENEVE_PROTO); OK otherwise */
	uint8_t geneve_verdict;
};

/**
 * Classify a frame's outer headers (step 1 of decap). Reads at most
 * SL_VXLAN_PARSE_MAX bytes of @p p. Untagged Ethernet, IPv4 (with options)
 * or IPv6 (no extension headers), UDP: anything else, and an IP header that
 * does not fit, is SL_TNL_NOT_OURS (an ordinary frame). Otherwise the
 * return is SL_TNL_OK and @p o says where the datagram goes and, in
 * o->verdict and o->proto, whether it is a well-formed VXLAN or Geneve
 * packet (Geneve options are skipped, not read: sl_geneve.h); the tunnel
 * table then judges it by the protocol of the VTEP it is for.
 * @param p         the frame's first bytes
 * @param len       how many bytes @p p holds (at least min(frame_len, SL_VXLAN_PARSE_MAX))
 * @param frame_len the whole frame's length
 * @param ip_csum_ok true when the NIC already checked the IPv4 header checksum
 * @param o         out: the outer addresses, port, VNI and verdict
 * @return SL_TNL_OK (a UDP datagram: see o->verdict) or SL_TNL_NOT_OURS.
 */
enum sl_tnl_verdict sl_vxlan_parse(const uint8_t *p, uint32_t len, uint32_t frame_len,
				   bool ip_csum_ok, struct sl_vxlan_outer *o);

/**
 * Parse the outer headers of an mbuf (chained or not) with sl_vxlan_parse().
 * @param m the frame
 * @param o out: as sl_vxlan_parse()
 * @return as sl_vxlan_parse()
 */
enum sl_tnl_verdict sl_vxlan_parse_mbuf(const struct rte_mbuf *m, struct sl_vxlan_outer *o);

/**
 * Remove the outer headers of a parsed VXLAN frame (step 2 of decap): the
 * first @p o->hdr_len bytes, and any bytes behind the datagram (Ethernet
 * padding). A private first segment that holds the headers is trimmed in
 * place (rte_pktmbuf_adj); otherwise (shared or indirect first segment,
 * headers across segments) the inner frame's first bytes go into a fresh
 * head segment from @p pool and the rest of the chain follows, shared
 * segments untouched (their holders' views do not move).
 * @param mp   in/out: the frame; on success the inner frame (maybe a new head)
 * @param o    what sl_vxlan_parse() found (verdict OK)
 * @param pool for a fresh head segment
 * @return SL_TNL_OK; SL_TNL_NO_MBUF or SL_TNL_BAD_OUTER with *mp unchanged
 *         (the caller drops it).
 */
enum sl_tnl_verdict sl_vxlan_strip(struct rte_mbuf **mp, const struct sl_vxlan_outer *o,
				   struct rte_mempool *pool);

/** The outer headers of one (port, remote, VNI), built once, pushed per packet. */
struct sl_vxlan_encap {
	uint8_t hdr[SL_VXLAN_OUTER6_LEN]; /**< Ethernet (dst MAC 0), IP, UDP, VXLAN */
	uint8_t len;            /**< SL_VXLAN_OUTER4_LEN or SL_VXLAN_OUTER6_LEN */
	bool ipv6;              /**< IPv6 underlay */
	bool df;                /**< IPv4: DF set (id 0); else the id varies */
	uint32_t csum_base;     /**< IPv4: header sum without length and id;
	                         *   IPv6: UDP checksum sum without the lengths,
	                         *   the source port and the inner frame */
};

/**
 * Build the outer headers.
 * @param e        out
 * @param local    outer source (the local VTEP)
 * @param remote   outer destination (same family as @p local)
 * @param vni      0..SL_VXLAN_VNI_MAX
 * @param dst_port UDP destination port (host order)
 * @param ttl      IPv4 TTL / IPv6 hop limit
 * @param df       IPv4: set Don't Fragment
 * @param src_mac  the underlay port's MAC
 * @return 0, or -EINVAL for mixed families or a VNI out of range.
 */
int sl_vxlan_encap_init(struct sl_vxlan_encap *e, const struct sl_ip_addr *local,
			const struct sl_ip_addr *remote, uint32_t vni, uint16_t dst_port,
			uint8_t ttl, bool df, const struct rte_ether_addr *src_mac);

/**
 * Point built outer headers at another remote and VNI, keeping the rest
 * (local address, UDP port, TTL, DF, tunnel header, source MAC): what a
 * flow-based port does when a packet's (remote, VNI) differs from the
 * previous one's, for a fraction of sl_vxlan_encap_init()'s work. The
 * destination MAC is left as it is (the caller's next hop).
 * @param e      in/out: headers from sl_vxlan_encap_init() or another init
 *               of the same layout (sl_geneve_encap_init)
 * @param remote the new outer destination (the family of @p e)
 * @param vni    0..SL_VXLAN_VNI_MAX
 * @return 0, or -EINVAL for the other family or a VNI out of range
 *         (@p e unchanged).
 */
int sl_vxlan_encap_retarget(struct sl_vxlan_encap *e, const struct sl_ip_addr *remote,
			    uint32_t vni);

/**
 * The outer UDP source port for an inner flow hash: 49152..65535 (RFC 7348,
 * the dynamic range), so ECMP on the underlay spreads flows.
 * @param hash the inner flow's hash
 * @return the port (host order)
 */
static inline uint16_t
sl_vxlan_src_port(uint32_t hash)
{
	return (uint16_t)(0xc000u | ((hash ^ (hash >> 16)) & 0x3fffu));
}

/**
 * A hash of the inner frame's flow: MACs and Ethernet type, IPv4 / IPv6
 * addresses and protocol, TCP / UDP ports (not of a fragment); never a field
 * that changes within a flow (IPv4 id, checksums), so a flow keeps one outer
 * source port and ECMP does not reorder it. About 10 cycles (CRC32).
 * @param m the inner frame (chained or not)
 * @return the hash, for sl_vxlan_src_port()
 */
uint32_t sl_vxlan_inner_hash(const struct rte_mbuf *m);

/**
 * Push the outer headers of @p e onto @p *mp: into the headroom of a
 * private direct first segment, else into a fresh head segment from
 * @p pool that leads the unchanged packet. The inner frame is not written.
 * @param mp      in/out: the inner frame; on success the VXLAN frame
 * @param e       the outer headers
 * @param dst_mac the next hop's MAC, NULL to leave 00:00:00:00:00:00 (for
 *                the neighbour code to fill)
 * @param hash    the inner flow's hash (UDP source port)
 * @param ip_id   IPv4 id when DF is not set
 * @param mtu     the underlay port's MTU: a longer outer IP packet is refused
 * @param pool    for a fresh head segment
 * @return SL_TNL_OK; SL_TNL_TOO_BIG or SL_TNL_NO_MBUF with *mp unchanged.
 */
enum sl_tnl_verdict sl_vxlan_encap(struct rte_mbuf **mp, const struct sl_vxlan_encap *e,
				   const struct rte_ether_addr *dst_mac, uint32_t hash,
				   uint16_t ip_id, uint16_t mtu, struct rte_mempool *pool);

#endif /* SL_VXLAN_H */
