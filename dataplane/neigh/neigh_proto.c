/* SPDX-License-Identifier: BSD-3-Clause */
/* ARP and ND frames: parse and check, build (sl_neigh_proto.h). Byte
 * offsets rather than DPDK's header structs: the input may be unaligned
 * and shorter than a struct, and every read is checked against len. */
#include <string.h>
#include <sys/socket.h>

#include "sl_neigh_proto.h"

#define ETH_LEN 14
#define ARP_LEN 28
#define IP6_LEN 40
#define ND_LEN 24   /* ICMPv6 header + reserved/flags + target */
#define OPT_SLLA 1
#define OPT_TLLA 2
#define ICMP6_NS 135
#define ICMP6_NA 136
#define PROTO_ICMP6 58

const char *const sl_neigh_bad_names[SL_NEIGH_BAD_N] = {
	[SL_NEIGH_OK] = "ok",
	[SL_NEIGH_BAD_SHORT] = "short",
	[SL_NEIGH_BAD_ETHERTYPE] = "ethertype",
	[SL_NEIGH_BAD_ARP] = "arp_format",
	[SL_NEIGH_BAD_IP6] = "not_nd",
	[SL_NEIGH_BAD_HOPLIMIT] = "hop_limit",
	[SL_NEIGH_BAD_CSUM] = "checksum",
	[SL_NEIGH_BAD_OPTION] = "option",
	[SL_NEIGH_BAD_ADDRESS] = "address",
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
ip_set(struct sl_ip_addr *ip, int family, const uint8_t *a)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = (uint8_t)family;
	memcpy(ip->addr, a, family == AF_INET ? 4 : 16);
}

/* One's complement sum of the IPv6 pseudo header and the ICMPv6 message
 * (RFC 4443 2.3); 0 when a received message is right. */
static uint16_t
icmp6_csum(const uint8_t *ip6, const uint8_t *icmp, uint32_t len)
{
	uint32_t sum = 0;

	for (unsigned int i = 8; i < IP6_LEN; i += 2) /* source and destination */
		sum += rd16(ip6 + i);
	sum += len >> 16;
	sum += len & 0xffff;
	sum += PROTO_ICMP6;
	for (uint32_t i = 0; i + 1 < len; i += 2)
		sum += rd16(icmp + i);
	if (len & 1)
		sum += (uint32_t)icmp[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static bool
ip4_bad_sender(const uint8_t *a)
{
	return a[0] >= 224 || (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255);
}

static enum sl_neigh_bad
parse_arp(const uint8_t *a, size_t len, struct sl_neigh_msg *msg)
{
	uint16_t op;

	if (len < ARP_LEN)
		return SL_NEIGH_BAD_SHORT;
	if (rd16(a) != 1 || rd16(a + 2) != RTE_ETHER_TYPE_IPV4 || a[4] != 6 || a[5] != 4)
		return SL_NEIGH_BAD_ARP;
	op = rd16(a + 6);
	if (op != 1 && op != 2)
		return SL_NEIGH_BAD_ARP;
	msg->kind = op == 1 ? SL_NEIGH_ARP_REQUEST : SL_NEIGH_ARP_REPLY;
	memcpy(&msg->lladdr, a + 8, 6);
	ip_set(&msg->sender, AF_INET, a + 14);
	ip_set(&msg->target, AF_INET, a + 24);
	msg->ip_dst = msg->target;
	msg->has_lladdr = true;
	msg->override = true;
	msg->gratuitous = memcmp(a + 14, a + 24, 4) == 0;
	if (!rte_is_unicast_ether_addr(&msg->lladdr) || rte_is_zero_ether_addr(&msg->lladdr) ||
	    ip4_bad_sender(a + 14) || ip4_bad_sender(a + 24))
		return SL_NEIGH_BAD_ADDRESS;
	return SL_NEIGH_OK;
}

/* The ND options after the fixed part: the link-layer address one that
 * the message type carries, every option's length checked (RFC 4861
 * 7.1.1: a zero length is invalid). */
static enum sl_neigh_bad
parse_nd_options(const uint8_t *o, size_t len, uint8_t want, struct sl_neigh_msg *msg)
{
	while (len > 0) {
		size_t olen;

		if (len < 2 || o[1] == 0)
			return SL_NEIGH_BAD_OPTION;
		olen = (size_t)o[1] * 8;
		if (olen > len)
			return SL_NEIGH_BAD_OPTION;
		if (o[0] == want && olen == 8) {
			memcpy(&msg->lladdr, o + 2, 6);
			msg->has_lladdr = true;
		}
		o += olen;
		len -= olen;
	}
	if (msg->has_lladdr && (!rte_is_unicast_ether_addr(&msg->lladdr) ||
				rte_is_zero_ether_addr(&msg->lladdr)))
		return SL_NEIGH_BAD_ADDRESS;
	return SL_NEIGH_OK;
}

static bool
ip6_unspecified(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

static enum sl_neigh_bad
parse_nd(const uint8_t *ip6, size_t len, struct sl_neigh_msg *msg)
{
	const uint8_t *icmp = ip6 + IP6_LEN;
	uint32_t plen;

	if (len < IP6_LEN)
		return SL_NEIGH_BAD_SHORT;
	plen = rd16(ip6 + 4);
	if ((ip6[0] >> 4) != 6 || ip6[6] != PROTO_ICMP6)
		return SL_NEIGH_BAD_IP6;
	if (plen > len - IP6_LEN || plen < ND_LEN)
		return SL_NEIGH_BAD_SHORT;
	if ((icmp[0] != ICMP6_NS && icmp[0] != ICMP6_NA) || icmp[1] != 0)
		return SL_NEIGH_BAD_IP6;
	if (ip6[7] != 255)
		return SL_NEIGH_BAD_HOPLIMIT;
	if (icmp6_csum(ip6, icmp, plen) != 0)
		return SL_NEIGH_BAD_CSUM;
	msg->kind = icmp[0] == ICMP6_NS ? SL_NEIGH_NS : SL_NEIGH_NA;
	ip_set(&msg->sender, AF_INET6, ip6 + 8);
	ip_set(&msg->ip_dst, AF_INET6, ip6 + 24);
	ip_set(&msg->target, AF_INET6, icmp + 8);
	msg->solicited = msg->kind == SL_NEIGH_NA && (icmp[4] & 0x40);
	msg->override = msg->kind == SL_NEIGH_NA && (icmp[4] & 0x20);
	msg->gratuitous = msg->kind == SL_NEIGH_NA && ip6[24] == 0xff;
	if (icmp[8] == 0xff || ip6[8] == 0xff || (msg->gratuitous && msg->solicited))
		return SL_NEIGH_BAD_ADDRESS;
	/* a duplicate address detection probe has no source and may carry no
	 * link-layer option (RFC 4861 7.1.1) */
	if (msg->kind == SL_NEIGH_NS && ip6_unspecified(ip6 + 8) && ip6[24] != 0xff)
		return SL_NEIGH_BAD_ADDRESS;
	return parse_nd_options(icmp + ND_LEN, plen - ND_LEN,
				msg->kind == SL_NEIGH_NS ? OPT_SLLA : OPT_TLLA, msg);
}

enum sl_neigh_bad
sl_neigh_parse(const uint8_t *f, size_t len, struct sl_neigh_msg *msg)
{
	enum sl_neigh_bad bad;
	uint16_t type;

	memset(msg, 0, sizeof(*msg));
	if (len < ETH_LEN)
		return SL_NEIGH_BAD_SHORT;
	memcpy(&msg->eth_dst, f, 6);
	memcpy(&msg->eth_src, f + 6, 6);
	type = rd16(f + 12);
	if (type == RTE_ETHER_TYPE_ARP)
		bad = parse_arp(f + ETH_LEN, len - ETH_LEN, msg);
	else if (type == RTE_ETHER_TYPE_IPV6)
		bad = parse_nd(f + ETH_LEN, len - ETH_LEN, msg);
	else
		return SL_NEIGH_BAD_ETHERTYPE;
	if (bad == SL_NEIGH_OK && !rte_is_unicast_ether_addr(&msg->eth_src))
		bad = SL_NEIGH_BAD_ADDRESS;
	if (bad == SL_NEIGH_OK && msg->kind == SL_NEIGH_NS && msg->has_lladdr &&
	    ip6_unspecified(msg->sender.addr))
		bad = SL_NEIGH_BAD_OPTION;
	return bad;
}

bool
sl_neigh_maybe(const uint8_t *f, size_t len)
{
	uint16_t type;

	if (len < ETH_LEN)
		return false;
	type = rd16(f + 12);
	if (type == RTE_ETHER_TYPE_ARP)
		return true;
	if (type != RTE_ETHER_TYPE_IPV6 || len < ETH_LEN + IP6_LEN + 1)
		return false;
	return f[ETH_LEN + 6] == PROTO_ICMP6 && f[ETH_LEN + 7] == 255 &&
	       (f[ETH_LEN + IP6_LEN] == ICMP6_NS || f[ETH_LEN + IP6_LEN] == ICMP6_NA);
}

static void
eth_hdr(uint8_t *buf, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	uint16_t type)
{
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	wr16(buf + 12, type);
}

size_t
sl_neigh_build_arp(uint8_t *buf, bool reply, const struct rte_ether_addr *eth_dst,
		   const struct rte_ether_addr *sha, const uint8_t *spa,
		   const struct rte_ether_addr *tha, const uint8_t *tpa)
{
	uint8_t *a = buf + ETH_LEN;

	memset(buf, 0, 60);
	eth_hdr(buf, eth_dst, sha, RTE_ETHER_TYPE_ARP);
	wr16(a, 1);
	wr16(a + 2, RTE_ETHER_TYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	wr16(a + 6, reply ? 2 : 1);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	return 60; /* the Ethernet minimum: some devices do not pad */
}

/* IPv6 header and ICMPv6 NS/NA with one link-layer option; the checksum last. */
static size_t
build_nd(uint8_t *buf, uint8_t type, const struct rte_ether_addr *src_mac, const uint8_t *src_ip,
	 const uint8_t *dst_ip, const uint8_t *target, uint8_t flags)
{
	uint8_t *ip6 = buf + ETH_LEN, *icmp = ip6 + IP6_LEN;
	const uint16_t plen = ND_LEN + 8;

	memset(ip6, 0, IP6_LEN + plen);
	ip6[0] = 0x60;
	wr16(ip6 + 4, plen);
	ip6[6] = PROTO_ICMP6;
	ip6[7] = 255;
	memcpy(ip6 + 8, src_ip, 16);
	memcpy(ip6 + 24, dst_ip, 16);
	icmp[0] = type;
	icmp[4] = flags;
	memcpy(icmp + 8, target, 16);
	icmp[ND_LEN] = type == ICMP6_NS ? OPT_SLLA : OPT_TLLA;
	icmp[ND_LEN + 1] = 1;
	memcpy(icmp + ND_LEN + 2, src_mac, 6);
	wr16(icmp + 2, icmp6_csum(ip6, icmp, plen));
	return ETH_LEN + IP6_LEN + plen;
}

size_t
sl_neigh_build_ns(uint8_t *buf, const struct rte_ether_addr *src_mac, const uint8_t *src_ip,
		  const uint8_t *target, const struct rte_ether_addr *dst_mac)
{
	uint8_t dst_ip[16] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };
	struct rte_ether_addr mc = { { 0x33, 0x33, 0xff } };

	if (dst_mac) {
		memcpy(dst_ip, target, 16);
		mc = *dst_mac;
	} else {
		/* solicited-node group: ff02::1:ffXX:XXXX, 33:33:ff:XX:XX:XX */
		memcpy(dst_ip + 13, target + 13, 3);
		memcpy(&mc.addr_bytes[3], target + 13, 3);
	}
	eth_hdr(buf, &mc, src_mac, RTE_ETHER_TYPE_IPV6);
	return build_nd(buf, ICMP6_NS, src_mac, src_ip, dst_ip, target, 0);
}

size_t
sl_neigh_build_na(uint8_t *buf, const struct rte_ether_addr *src_mac, const uint8_t *target,
		  const struct rte_ether_addr *dst_mac, const uint8_t *dst_ip, bool solicited)
{
	eth_hdr(buf, dst_mac, src_mac, RTE_ETHER_TYPE_IPV6);
	return build_nd(buf, ICMP6_NA, src_mac, target, dst_ip, target,
			(uint8_t)(0x20 | (solicited ? 0x40 : 0)));
}
