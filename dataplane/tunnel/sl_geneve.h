/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_geneve.h
 * Geneve (RFC 8926) on the wire: what differs from VXLAN (sl_vxlan.h),
 * whose decap parse, trim, encap push and port table serve both.
 *
 * The Geneve header is 8 bytes like VXLAN's, with the VNI at the same
 * place:
 *
 *     Ver(2) Opt Len(6) | O(1) C(1) Rsvd(6) | Protocol Type(16)
 *     Virtual Network Identifier (24)       | Reserved(8)
 *     Variable-length options (Opt Len x 4 bytes)
 *
 * Sluice processes no option. Received options are skipped (Opt Len
 * tells how many bytes) when the C bit is clear; with the C bit set the
 * packet is dropped (RFC 8926 3.4: an endpoint that does not process
 * options must drop packets with critical options), counted
 * tnl_geneve_critical. None are sent. A control packet (O bit) is
 * dropped, counted tnl_geneve_control: its payload is for the tunnel
 * endpoint, never forwarded to a tenant (RFC 8926 3.4). Version other
 * than 0 and protocol types other than Ethernet (0x6558) are dropped,
 * counted. Reserved bits are ignored on receipt and sent as 0.
 */
#ifndef SL_GENEVE_H
#define SL_GENEVE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "sl_ip_addr.h"
#include "sl_vxlan.h"

/** IANA's Geneve UDP port (RFC 8926), the default dst_port of type = geneve. */
#define SL_GENEVE_UDP_PORT 6081
/** The Geneve protocol type of an Ethernet frame (Transparent Ethernet Bridging). */
#define SL_GENEVE_PROTO_ETH 0x6558

/**
 * Judge a Geneve header's first word (host order) against the UDP
 * datagram's length, in this order: version, protocol type, options and
 * an inner Ethernet header within the datagram, C bit, O bit. A VXLAN
 * header (0x08000000) reads as version 0, protocol type 0: SL_TNL_GENEVE_PROTO.
 * @param w0      the header's first 4 bytes (host order)
 * @param udp_len the UDP length (header included)
 * @return SL_TNL_OK or the drop verdict.
 */
static inline enum sl_tnl_verdict
sl_geneve_check(uint32_t w0, uint32_t udp_len)
{
	if ((w0 >> 30) != 0)
		return SL_TNL_GENEVE_VERSION;
	if ((w0 & 0xffffu) != SL_GENEVE_PROTO_ETH)
		return SL_TNL_GENEVE_PROTO;
	/* UDP header, Geneve header, options, the inner Ethernet header */
	if (udp_len < 8u + 8u + ((w0 >> 22) & 0xfcu) + RTE_ETHER_HDR_LEN)
		return SL_TNL_TRUNCATED;
	if (w0 & 0x00400000u)
		return SL_TNL_GENEVE_CRITICAL;
	if (w0 & 0x00800000u)
		return SL_TNL_GENEVE_CONTROL;
	return SL_TNL_OK;
}

/**
 * The option bytes of a Geneve header (Opt Len x 4), from its first word.
 * @param w0 the header's first 4 bytes (host order)
 * @return 0..252
 */
static inline uint32_t
sl_geneve_opt_len(uint32_t w0)
{
	return (w0 >> 22) & 0xfcu;
}

/**
 * Build the outer headers of a Geneve port (no options): as
 * sl_vxlan_encap_init() (same lengths, pushed by sl_vxlan_encap()), with
 * the Geneve header in place of VXLAN's.
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
int sl_geneve_encap_init(struct sl_vxlan_encap *e, const struct sl_ip_addr *local,
			 const struct sl_ip_addr *remote, uint32_t vni, uint16_t dst_port,
			 uint8_t ttl, bool df, const struct rte_ether_addr *src_mac);

/**
 * Build the outer headers of a tunnel port of either protocol.
 * @param proto enum sl_tnl_proto of the port
 * @param e     out; the rest as sl_vxlan_encap_init()
 * @param local    outer source
 * @param remote   outer destination
 * @param vni      the VNI
 * @param dst_port UDP destination port (host order)
 * @param ttl      TTL / hop limit
 * @param df       IPv4 DF
 * @param src_mac  the underlay's MAC
 * @return 0 or -EINVAL.
 */
static inline int
sl_tnl_encap_init(uint8_t proto, struct sl_vxlan_encap *e, const struct sl_ip_addr *local,
		  const struct sl_ip_addr *remote, uint32_t vni, uint16_t dst_port, uint8_t ttl,
		  bool df, const struct rte_ether_addr *src_mac)
{
	return (proto == SL_TNL_PROTO_GENEVE ? sl_geneve_encap_init : sl_vxlan_encap_init)(
		e, local, remote, vni, dst_port, ttl, df, src_mac);
}

/**
 * The configuration's word for a tunnel protocol.
 * @param proto enum sl_tnl_proto
 * @return "vxlan" or "geneve"
 */
static inline const char *
sl_tnl_proto_name(uint8_t proto)
{
	return proto == SL_TNL_PROTO_GENEVE ? "geneve" : "vxlan";
}

#endif /* SL_GENEVE_H */
