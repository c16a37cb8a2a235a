/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parser tests: packets written byte by byte for every protocol the key
 * covers, then truncated at every length and corrupted, parsed from exact-size
 * heap copies so ASan flags any read past the end.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "cunit_main.h"

#include "sl_flow_consts.h"
#include "sl_flow_parse.h"

#define BE16(x) rte_cpu_to_be_16(x)
#define BE32(x) rte_cpu_to_be_32(x)

/* Parse from an exact-size heap copy so that over-reads are caught by ASan. */
static int
parse_exact(const uint8_t *bytes, size_t len, struct sl_flow_key *k, struct sl_pkt_layout *l)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, bytes, len);
	int rc = sl_flow_parse(copy, len, 7, 8, 0x1122334455667788ull, k, l);
	free(copy);
	return rc;
}

static const uint8_t ETH_HDR_IPV4[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, /* dst */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* src */
	0x08, 0x00,
};

/* IPv4/TCP: 10.0.0.1:1234 -> 192.168.1.2:80, tos 0xb9 (dscp 46, ecn 1), ttl 64, SYN|ACK */
static const uint8_t PKT_TCP4[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	0x45, 0xb9, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0xc0, 0xa8, 0x01, 0x02,
	0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x12, 0xff, 0xff, 0, 0, 0, 0,
};

static void
test_ipv4_tcp(void)
{
	struct sl_flow_key k;
	struct sl_pkt_layout l;
	CU_ASSERT_EQUAL(parse_exact(PKT_TCP4, sizeof(PKT_TCP4), &k, &l), 0);
	CU_ASSERT_EQUAL(k.in_port, BE32(7));
	CU_ASSERT_EQUAL(k.in_phy_port, BE32(8));
	CU_ASSERT_EQUAL(k.tunnel_id, rte_cpu_to_be_64(0x1122334455667788ull));
	CU_ASSERT(memcmp(k.eth_dst, PKT_TCP4, 6) == 0);
	CU_ASSERT(memcmp(k.eth_src, PKT_TCP4 + 6, 6) == 0);
	CU_ASSERT_EQUAL(k.eth_type, BE16(0x0800));
	CU_ASSERT_EQUAL(k.vlan_vid, 0);
	CU_ASSERT_EQUAL(k.ipv4_src, BE32(0x0a000001));
	CU_ASSERT_EQUAL(k.ipv4_dst, BE32(0xc0a80102));
	CU_ASSERT_EQUAL(k.ip_proto, 6);
	CU_ASSERT_EQUAL(k.ip_dscp, 46);
	CU_ASSERT_EQUAL(k.ip_ecn, 1);
	CU_ASSERT_EQUAL(k.nw_ttl, 64);
	CU_ASSERT_EQUAL(k.nw_frag, 0);
	CU_ASSERT_EQUAL(k.tcp_src, BE16(1234));
	CU_ASSERT_EQUAL(k.tcp_dst, BE16(80));
	CU_ASSERT_EQUAL(k.tcp_flags, BE16(0x012));
	CU_ASSERT_EQUAL(k.udp_src, 0);
	CU_ASSERT_EQUAL(l.l3_ofs, 14);
	CU_ASSERT_EQUAL(l.l4_ofs, 34);
	CU_ASSERT_EQUAL(l.vlan_ofs, SL_OFS_NONE);
}

/* Every prefix of a valid packet parses without over-read; fields are either right or 0. */
static void
check_truncations(const uint8_t *pkt, size_t len)
{
	struct sl_flow_key full, k;
	parse_exact(pkt, len, &full, NULL);
	for (size_t n = 0; n < len; n++) {
		int rc = parse_exact(pkt, n, &k, NULL);
		CU_ASSERT(rc == 0 || rc == 1);
		for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++) {
			/* A truncated parse never invents bits the full parse does not have,
			 * except the eth_type / VLAN words of a cut VLAN tag / 802.3 frame. */
			if (w == offsetof(struct sl_flow_key, eth_dst) / 8 ||
			    w == offsetof(struct sl_flow_key, eth_src) / 8 ||
			    w == offsetof(struct sl_flow_key, mpls_tc) / 8)
				continue;
			CU_ASSERT_EQUAL(k.w[w] & ~full.w[w], 0);
		}
	}
}

static void
test_ipv4_tcp_truncated(void)
{
	check_truncations(PKT_TCP4, sizeof(PKT_TCP4));
	struct sl_flow_key k;
	/* Cut in the TCP header: L3 is kept, ports are zero, rc says "stopped early". */
	CU_ASSERT_EQUAL(parse_exact(PKT_TCP4, 14 + 20 + 10, &k, NULL), 1);
	CU_ASSERT_EQUAL(k.ip_proto, 6);
	CU_ASSERT_EQUAL(k.ipv4_dst, BE32(0xc0a80102));
	CU_ASSERT_EQUAL(k.tcp_dst, 0);
	/* Cut in the IP header: eth fields only. */
	CU_ASSERT_EQUAL(parse_exact(PKT_TCP4, 14 + 19, &k, NULL), 1);
	CU_ASSERT_EQUAL(k.eth_type, BE16(0x0800));
	CU_ASSERT_EQUAL(k.ipv4_src, 0);
	CU_ASSERT_EQUAL(k.ip_proto, 0);
	/* Shorter than Ethernet: only metadata. */
	CU_ASSERT_EQUAL(parse_exact(PKT_TCP4, 13, &k, NULL), 1);
	CU_ASSERT_EQUAL(k.eth_type, 0);
	CU_ASSERT_EQUAL(k.in_port, BE32(7));
	CU_ASSERT_EQUAL(sl_flow_parse(NULL, 0, 1, 1, 0, &k, NULL), 1);
}

static void
test_ipv4_malformed(void)
{
	uint8_t p[sizeof(PKT_TCP4)];
	struct sl_flow_key k;
	/* Wrong version */
	memcpy(p, PKT_TCP4, sizeof(p));
	p[14] = 0x65;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 1);
	CU_ASSERT_EQUAL(k.ip_proto, 0);
	/* IHL < 5 */
	memcpy(p, PKT_TCP4, sizeof(p));
	p[14] = 0x44;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 1);
	CU_ASSERT_EQUAL(k.ipv4_src, 0);
	/* IHL larger than the packet */
	memcpy(p, PKT_TCP4, sizeof(p));
	p[14] = 0x4f;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 1);
	CU_ASSERT_EQUAL(k.ipv4_src, 0);
	/* Total length shorter than the TCP header: L4 is outside the datagram. */
	memcpy(p, PKT_TCP4, sizeof(p));
	p[17] = 24;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 1);
	CU_ASSERT_EQUAL(k.ip_proto, 6);
	CU_ASSERT_EQUAL(k.tcp_dst, 0);
	/* Total length beyond the frame: flagged, but parsed up to the frame end. */
	memcpy(p, PKT_TCP4, sizeof(p));
	p[16] = 0x05;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 1);
	CU_ASSERT_EQUAL(k.tcp_dst, BE16(80));
}

static void
test_ipv4_fragments(void)
{
	uint8_t p[sizeof(PKT_TCP4)];
	struct sl_flow_key k;
	/* First fragment: MF set, offset 0 -> L4 parsed. */
	memcpy(p, PKT_TCP4, sizeof(p));
	p[20] = 0x20;
	p[21] = 0x00;
	parse_exact(p, sizeof(p), &k, NULL);
	CU_ASSERT_EQUAL(k.nw_frag, SL_FRAG_ANY);
	CU_ASSERT_EQUAL(k.tcp_dst, BE16(80));
	/* Later fragment: offset != 0 -> no L4. */
	p[20] = 0x00;
	p[21] = 0x10;
	parse_exact(p, sizeof(p), &k, NULL);
	CU_ASSERT_EQUAL(k.nw_frag, SL_FRAG_ANY | SL_FRAG_LATER);
	CU_ASSERT_EQUAL(k.tcp_dst, 0);
	CU_ASSERT_EQUAL(k.ip_proto, 6);
	/* DF only: not a fragment. */
	p[20] = 0x40;
	p[21] = 0x00;
	parse_exact(p, sizeof(p), &k, NULL);
	CU_ASSERT_EQUAL(k.nw_frag, 0);
}

/* IPv4 with 4 bytes of options, UDP 53 -> 5353, plus 4 bytes of Ethernet padding */
static const uint8_t PKT_UDP4_OPTS[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	0x46, 0x00, 0x00, 0x20, 0, 0, 0, 0, 0x01, 0x11, 0, 0,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x01, 0x01, 0x01, 0x00, /* options: NOP NOP NOP EOL */
	0x00, 0x35, 0x14, 0xe9, 0x00, 0x08, 0x00, 0x00,
	0xde, 0xad, 0xbe, 0xef, /* padding */
};

static void
test_ipv4_udp_options(void)
{
	struct sl_flow_key k;
	struct sl_pkt_layout l;
	CU_ASSERT_EQUAL(parse_exact(PKT_UDP4_OPTS, sizeof(PKT_UDP4_OPTS), &k, &l), 0);
	CU_ASSERT_EQUAL(k.ip_proto, 17);
	CU_ASSERT_EQUAL(k.nw_ttl, 1);
	CU_ASSERT_EQUAL(k.udp_src, BE16(53));
	CU_ASSERT_EQUAL(k.udp_dst, BE16(5353));
	CU_ASSERT_EQUAL(k.tcp_src, 0);
	CU_ASSERT_EQUAL(l.l4_ofs, 38);
	CU_ASSERT_EQUAL(l.l3_end, 14 + 32);
	check_truncations(PKT_UDP4_OPTS, sizeof(PKT_UDP4_OPTS));
}

/* QinQ: 802.1ad outer (vid 100 pcp 5), 802.1Q inner (vid 200), IPv4 SCTP 1->2 */
static const uint8_t PKT_QINQ_SCTP[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
	0x88, 0xa8, 0xa0, 0x64, 0x81, 0x00, 0x00, 0xc8, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x20, 0, 0, 0, 0, 0x40, 0x84, 0, 0,
	0x0a, 0, 0, 1, 0x0a, 0, 0, 2,
	0x00, 0x01, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,
};

static void
test_qinq_sctp(void)
{
	struct sl_flow_key k;
	struct sl_pkt_layout l;
	CU_ASSERT_EQUAL(parse_exact(PKT_QINQ_SCTP, sizeof(PKT_QINQ_SCTP), &k, &l), 0);
	CU_ASSERT_EQUAL(k.vlan_vid, BE16(100 | OFPVID_PRESENT));
	CU_ASSERT_EQUAL(k.vlan_pcp, 5);
	CU_ASSERT_EQUAL(k.vlan_tpid, BE16(0x88a8));
	CU_ASSERT_EQUAL(k.n_vlan, 2);
	CU_ASSERT_EQUAL(k.vlan_inner, BE16(200 | OFPVID_PRESENT)); /* pcp 0 */
	CU_ASSERT_EQUAL(k.eth_type, BE16(0x0800));
	CU_ASSERT_EQUAL(k.ip_proto, 132);
	CU_ASSERT_EQUAL(k.sctp_src, BE16(1));
	CU_ASSERT_EQUAL(k.sctp_dst, BE16(2));
	CU_ASSERT_EQUAL(l.vlan_ofs, 12);
	CU_ASSERT_EQUAL(l.l3_ofs, 22);
	check_truncations(PKT_QINQ_SCTP, sizeof(PKT_QINQ_SCTP));
	/* Cut inside the inner tag: outer VLAN kept, parse stops. */
	CU_ASSERT_EQUAL(parse_exact(PKT_QINQ_SCTP, 18, &k, NULL), 1);
	CU_ASSERT_EQUAL(k.vlan_vid, BE16(100 | OFPVID_PRESENT));
	CU_ASSERT_EQUAL(k.ipv4_src, 0);
}

/* 802.1Q vid 0 (priority tag) pcp 3, ARP request */
static const uint8_t PKT_VLAN_ARP[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x81, 0x00, 0x60, 0x00, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x02,
};

static void
test_vlan_arp(void)
{
	struct sl_flow_key k;
	CU_ASSERT_EQUAL(parse_exact(PKT_VLAN_ARP, sizeof(PKT_VLAN_ARP), &k, NULL), 0);
	CU_ASSERT_EQUAL(k.vlan_vid, BE16(OFPVID_PRESENT));
	CU_ASSERT_EQUAL(k.vlan_pcp, 3);
	CU_ASSERT_EQUAL(k.eth_type, BE16(0x0806));
	CU_ASSERT_EQUAL(k.arp_op, BE16(1));
	CU_ASSERT_EQUAL(k.arp_spa, BE32(0x0a000001));
	CU_ASSERT_EQUAL(k.arp_tpa, BE32(0x0a000002));
	CU_ASSERT(memcmp(k.arp_sha, PKT_VLAN_ARP + 6, 6) == 0);
	static const uint8_t zero[6];
	CU_ASSERT(memcmp(k.arp_tha, zero, 6) == 0);
	CU_ASSERT_EQUAL(k.ipv4_src, 0);
	check_truncations(PKT_VLAN_ARP, sizeof(PKT_VLAN_ARP));
	/* Non-Ethernet ARP (htype 6) is not decoded. */
	uint8_t p[sizeof(PKT_VLAN_ARP)];
	memcpy(p, PKT_VLAN_ARP, sizeof(p));
	p[19] = 6;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 1);
	CU_ASSERT_EQUAL(k.arp_op, 0);
}

/* IPv6 / hop-by-hop / TCP, tc 0x2a, flow label 0xabcde */
static const uint8_t PKT_TCP6_HOP[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x86, 0xdd,
	0x62, 0xaa, 0xbc, 0xde, 0x00, 0x1c, 0x00, 0x20,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0x06, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, /* HBH: next TCP, len 0, PadN */
	0x01, 0xbb, 0xc3, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x01, 0, 0, 0, 0, 0, 0,
};

static void
test_ipv6_tcp_hop(void)
{
	struct sl_flow_key k;
	struct sl_pkt_layout l;
	CU_ASSERT_EQUAL(parse_exact(PKT_TCP6_HOP, sizeof(PKT_TCP6_HOP), &k, &l), 0);
	CU_ASSERT_EQUAL(k.eth_type, BE16(0x86dd));
	CU_ASSERT_EQUAL(k.ip_dscp, 0x2a >> 2);
	CU_ASSERT_EQUAL(k.ip_ecn, 0x2a & 3);
	CU_ASSERT_EQUAL(k.ipv6_flabel, BE32(0xabcde));
	CU_ASSERT_EQUAL(k.nw_ttl, 32);
	CU_ASSERT_EQUAL(k.ip_proto, 6);
	CU_ASSERT_EQUAL(k.ipv6_src[15], 1);
	CU_ASSERT_EQUAL(k.ipv6_dst[15], 2);
	CU_ASSERT_EQUAL(k.ipv6_dst[0], 0x20);
	CU_ASSERT_EQUAL(k.ipv6_exthdr, BE16(OFPIEH_HOP));
	CU_ASSERT_EQUAL(k.tcp_src, BE16(443));
	CU_ASSERT_EQUAL(k.tcp_dst, BE16(50000));
	CU_ASSERT_EQUAL(k.tcp_flags, BE16(0x001));
	CU_ASSERT_EQUAL(l.l4_ofs, 14 + 40 + 8);
	check_truncations(PKT_TCP6_HOP, sizeof(PKT_TCP6_HOP));
}

/* Build an IPv6 packet with an arbitrary extension header chain ending in UDP. */
static size_t
build_ipv6_chain(uint8_t *p, const uint8_t *nhs, unsigned int n, uint8_t final_nh)
{
	static const uint8_t eth[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x86, 0xdd };
	memcpy(p, eth, 14);
	uint8_t *ip = p + 14;
	memset(ip, 0, 40);
	ip[0] = 0x60;
	ip[6] = n ? nhs[0] : final_nh;
	ip[7] = 64;
	size_t ofs = 54;
	for (unsigned int i = 0; i < n; i++) {
		uint8_t next = i + 1 < n ? nhs[i + 1] : final_nh;
		memset(p + ofs, 0, 8);
		p[ofs] = next;
		if (nhs[i] == SL_IPPROTO_FRAGMENT)
			p[ofs + 1] = 0;
		ofs += 8;
	}
	memset(p + ofs, 0, 8);
	p[ofs + 1] = 7; /* udp src 7 */
	p[ofs + 3] = 9; /* udp dst 9 */
	p[ofs + 5] = 8;
	ofs += 8;
	uint16_t plen = (uint16_t)(ofs - 54);
	ip[4] = (uint8_t)(plen >> 8);
	ip[5] = (uint8_t)plen;
	return ofs;
}

static void
test_ipv6_exthdr_flags(void)
{
	uint8_t p[256];
	struct sl_flow_key k;
	size_t n;
	const uint8_t ok_chain[] = { SL_IPPROTO_HOPOPTS, SL_IPPROTO_DSTOPTS, SL_IPPROTO_ROUTING,
				     SL_IPPROTO_FRAGMENT, SL_IPPROTO_DSTOPTS };
	n = build_ipv6_chain(p, ok_chain, 5, SL_IPPROTO_UDP);
	CU_ASSERT_EQUAL(parse_exact(p, n, &k, NULL), 0);
	CU_ASSERT_EQUAL(k.ipv6_exthdr,
			BE16(OFPIEH_HOP | OFPIEH_DEST | OFPIEH_ROUTER | OFPIEH_FRAG));
	CU_ASSERT_EQUAL(k.ip_proto, 17);
	CU_ASSERT_EQUAL(k.udp_dst, BE16(9));
	CU_ASSERT_EQUAL(k.nw_frag, 0); /* atomic fragment header: offset 0, M=0 */
	check_truncations(p, n);

	const uint8_t unseq[] = { SL_IPPROTO_ROUTING, SL_IPPROTO_HOPOPTS };
	n = build_ipv6_chain(p, unseq, 2, SL_IPPROTO_UDP);
	parse_exact(p, n, &k, NULL);
	CU_ASSERT(rte_be_to_cpu_16(k.ipv6_exthdr) & OFPIEH_UNSEQ);
	CU_ASSERT_EQUAL(k.udp_src, BE16(7));

	const uint8_t unrep[] = { SL_IPPROTO_ROUTING, SL_IPPROTO_ROUTING };
	n = build_ipv6_chain(p, unrep, 2, SL_IPPROTO_UDP);
	parse_exact(p, n, &k, NULL);
	CU_ASSERT(rte_be_to_cpu_16(k.ipv6_exthdr) & OFPIEH_UNREP);

	n = build_ipv6_chain(p, NULL, 0, SL_IPPROTO_NONE);
	parse_exact(p, n, &k, NULL);
	CU_ASSERT_EQUAL(k.ipv6_exthdr, BE16(OFPIEH_NONEXT));
	CU_ASSERT_EQUAL(k.ip_proto, SL_IPPROTO_NONE);

	const uint8_t esp[] = { SL_IPPROTO_ESP };
	n = build_ipv6_chain(p, esp, 1, SL_IPPROTO_UDP);
	parse_exact(p, n, &k, NULL);
	CU_ASSERT_EQUAL(k.ipv6_exthdr, BE16(OFPIEH_ESP));
	CU_ASSERT_EQUAL(k.ip_proto, SL_IPPROTO_ESP);
	CU_ASSERT_EQUAL(k.udp_src, 0);

	/* Later fragment: offset 8 -> no L4. First fragment: M=1 -> L4 parsed. */
	const uint8_t frag[] = { SL_IPPROTO_FRAGMENT };
	n = build_ipv6_chain(p, frag, 1, SL_IPPROTO_UDP);
	p[54 + 3] = 0x08;
	parse_exact(p, n, &k, NULL);
	CU_ASSERT_EQUAL(k.nw_frag, SL_FRAG_ANY | SL_FRAG_LATER);
	CU_ASSERT_EQUAL(k.ip_proto, 17);
	CU_ASSERT_EQUAL(k.udp_src, 0);
	p[54 + 3] = 0x01;
	parse_exact(p, n, &k, NULL);
	CU_ASSERT_EQUAL(k.nw_frag, SL_FRAG_ANY);
	CU_ASSERT_EQUAL(k.udp_src, BE16(7));

	/* Extension header whose length runs past the payload. */
	const uint8_t hop[] = { SL_IPPROTO_HOPOPTS };
	n = build_ipv6_chain(p, hop, 1, SL_IPPROTO_UDP);
	p[55] = 20;
	CU_ASSERT_EQUAL(parse_exact(p, n, &k, NULL), 1);
	CU_ASSERT_EQUAL(k.udp_src, 0);
	CU_ASSERT_EQUAL(k.ipv6_exthdr, BE16(OFPIEH_HOP));
}

/* ICMPv6 neighbour solicitation for 2001:db8::2 with a source LL address option */
static const uint8_t PKT_ND_NS[] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x02, 0x02, 0, 0, 0, 0, 1, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2,
	135, 0, 0, 0, 0, 0, 0, 0,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0x01, 0x01, 0x02, 0, 0, 0, 0, 1,
};

static void
test_icmpv6_nd(void)
{
	struct sl_flow_key k;
	CU_ASSERT_EQUAL(parse_exact(PKT_ND_NS, sizeof(PKT_ND_NS), &k, NULL), 0);
	CU_ASSERT_EQUAL(k.ip_proto, 58);
	CU_ASSERT_EQUAL(k.icmpv6_type, 135);
	CU_ASSERT_EQUAL(k.icmpv6_code, 0);
	CU_ASSERT_EQUAL(k.ipv6_nd_target[0], 0x20);
	CU_ASSERT_EQUAL(k.ipv6_nd_target[15], 2);
	CU_ASSERT(memcmp(k.ipv6_nd_sll, PKT_ND_NS + 6, 6) == 0);
	static const uint8_t zero[6];
	CU_ASSERT(memcmp(k.ipv6_nd_tll, zero, 6) == 0);
	check_truncations(PKT_ND_NS, sizeof(PKT_ND_NS));

	/* Same as NA with a TLL option. */
	uint8_t p[sizeof(PKT_ND_NS)];
	memcpy(p, PKT_ND_NS, sizeof(p));
	p[54] = 136;
	p[78] = 2;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 0);
	CU_ASSERT(memcmp(k.ipv6_nd_tll, PKT_ND_NS + 6, 6) == 0);
	CU_ASSERT(memcmp(k.ipv6_nd_sll, zero, 6) == 0);
	/* Zero-length option is malformed: target kept, parse flagged. */
	memcpy(p, PKT_ND_NS, sizeof(p));
	p[79] = 0;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 1);
	CU_ASSERT_EQUAL(k.ipv6_nd_target[15], 2);
	CU_ASSERT(memcmp(k.ipv6_nd_sll, zero, 6) == 0);
	/* Echo request: type/code only */
	memcpy(p, PKT_ND_NS, sizeof(p));
	p[54] = 128;
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 0);
	CU_ASSERT_EQUAL(k.icmpv6_type, 128);
	CU_ASSERT_EQUAL(k.ipv6_nd_target[0], 0);
}

static void
test_icmpv4(void)
{
	uint8_t p[14 + 20 + 8];
	struct sl_flow_key k;
	memcpy(p, ETH_HDR_IPV4, 14);
	memset(p + 14, 0, 28);
	p[14] = 0x45;
	p[17] = 28;
	p[22] = 64;
	p[23] = 1;
	p[34] = 3; /* dest unreachable */
	p[35] = 4; /* frag needed */
	CU_ASSERT_EQUAL(parse_exact(p, sizeof(p), &k, NULL), 0);
	CU_ASSERT_EQUAL(k.icmpv4_type, 3);
	CU_ASSERT_EQUAL(k.icmpv4_code, 4);
	CU_ASSERT_EQUAL(k.tcp_src, 0);
	check_truncations(p, sizeof(p));
}

static void
test_mpls_pbb_llc(void)
{
	/* MPLS: label 0x12345, tc 5, bos 1, ttl 64 */
	const uint8_t mpls[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0x47,
				 0x12, 0x34, 0x5b, 0x40, 0x45, 0, 0, 20 };
	struct sl_flow_key k;
	struct sl_pkt_layout l;
	CU_ASSERT_EQUAL(parse_exact(mpls, sizeof(mpls), &k, &l), 0);
	CU_ASSERT_EQUAL(k.eth_type, BE16(0x8847));
	CU_ASSERT_EQUAL(k.mpls_label, BE32(0x12345));
	CU_ASSERT_EQUAL(k.mpls_tc, 5);
	CU_ASSERT_EQUAL(k.mpls_bos, 1);
	CU_ASSERT_EQUAL(k.ipv4_src, 0); /* payload behind MPLS is not parsed */
	CU_ASSERT_EQUAL(l.mpls_ofs, 14);
	check_truncations(mpls, sizeof(mpls));

	/* PBB I-TAG with I-SID 0xabcdef */
	const uint8_t pbb[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0xe7,
				0x00, 0xab, 0xcd, 0xef };
	CU_ASSERT_EQUAL(parse_exact(pbb, sizeof(pbb), &k, NULL), 0);
	CU_ASSERT_EQUAL(k.pbb_isid[0], 0xab);
	CU_ASSERT_EQUAL(k.pbb_isid[2], 0xef);
	CU_ASSERT_EQUAL(parse_exact(pbb, sizeof(pbb) - 1, &k, NULL), 1);
	CU_ASSERT_EQUAL(k.pbb_isid[0], 0);

	/* 802.3 + LLC/SNAP carrying IPv4 ethertype; plain 802.3 LLC -> 0x05ff */
	uint8_t snap[14 + 8 + 20];
	memcpy(snap, ETH_HDR_IPV4, 12);
	snap[12] = 0;
	snap[13] = 28;
	const uint8_t llc[] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
	memcpy(snap + 14, llc, 8);
	memset(snap + 22, 0, 20);
	snap[22] = 0x45;
	snap[25] = 20;
	snap[31] = 17;
	snap[37] = 9;
	CU_ASSERT_EQUAL(parse_exact(snap, sizeof(snap), &k, &l), 1); /* UDP header cut */
	CU_ASSERT_EQUAL(k.eth_type, BE16(0x0800));
	CU_ASSERT_EQUAL(k.ip_proto, 17);
	CU_ASSERT_EQUAL(k.ipv4_src, BE32(9));
	CU_ASSERT_EQUAL(l.l3_ofs, 22);
	snap[14] = 0x42;
	CU_ASSERT_EQUAL(parse_exact(snap, sizeof(snap), &k, NULL), 0);
	CU_ASSERT_EQUAL(k.eth_type, BE16(SL_ETH_TYPE_NONE));
	CU_ASSERT_EQUAL(k.ipv4_src, 0);
}

/* Random bytes behind every ethertype: never crash, never over-read. */
static void
test_random_garbage(void)
{
	static const uint16_t types[] = { 0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x8847, 0x88e7, 0x0040 };
	uint8_t p[200];
	struct sl_flow_key k;
	srand(42);
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = (size_t)(rand() % (int)sizeof(p));
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)rand();
		if (n >= 14) {
			uint16_t t = types[rand() % 8];
			p[12] = (uint8_t)(t >> 8);
			p[13] = (uint8_t)t;
			if (n > 14 && t == 0x0800)
				p[14] = (uint8_t)(0x45 + (rand() % 3));
			if (n > 14 && t == 0x86dd)
				p[14] = 0x60;
		}
		int rc = parse_exact(p, n, &k, NULL);
		CU_ASSERT(rc == 0 || rc == 1);
	}
}

/* Bit flips and truncations of every valid sample packet: no crash, no over-read. */
static void
test_mutations(void)
{
	static const struct {
		const uint8_t *p;
		size_t n;
	} samples[] = {
		{ PKT_TCP4, sizeof(PKT_TCP4) }, { PKT_UDP4_OPTS, sizeof(PKT_UDP4_OPTS) },
		{ PKT_QINQ_SCTP, sizeof(PKT_QINQ_SCTP) }, { PKT_VLAN_ARP, sizeof(PKT_VLAN_ARP) },
		{ PKT_TCP6_HOP, sizeof(PKT_TCP6_HOP) }, { PKT_ND_NS, sizeof(PKT_ND_NS) },
	};
	uint8_t p[128];
	struct sl_flow_key k;
	srand(7);
	for (unsigned int s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		for (int iter = 0; iter < 5000; iter++) {
			size_t n = samples[s].n;
			memcpy(p, samples[s].p, n);
			int flips = 1 + rand() % 4;
			for (int f = 0; f < flips; f++) {
				size_t at = 12 + (size_t)rand() % (n - 12); /* keep it Ethernet-ish */
				p[at] ^= (uint8_t)(1u << (rand() % 8));
			}
			if (rand() % 3 == 0)
				n = (size_t)rand() % (n + 1);
			int rc = parse_exact(p, n, &k, NULL);
			CU_ASSERT(rc == 0 || rc == 1);
		}
	}
}

/* Plain IPv4/UDP 10.0.0.1:53 -> 10.0.0.2:5353, tos 0x03, ttl 1, DF. */
static const uint8_t PKT_UDP4[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	0x45, 0x03, 0x00, 0x1e, 0x00, 0x01, 0x40, 0x00, 0x01, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x00, 0x35, 0x14, 0xe9, 0x00, 0x0a, 0x00, 0x00, 0xde, 0xad, 0, 0, 0, 0,
};

/* sl_flow_parse() takes a shortcut for plain IPv4/TCP|UDP: on the same bytes
 * it must give exactly the key, layout and return value of the general parser
 * (sl_flow_parse_slow), for valid packets, mutated ones (flags, fragments,
 * options, lengths, protocols) and every truncation. */
static void
test_ipv4_shortcut_same(void)
{
	static const struct {
		const uint8_t *p;
		size_t n;
	} samples[] = {
		{ PKT_TCP4, sizeof(PKT_TCP4) }, { PKT_UDP4, sizeof(PKT_UDP4) },
		{ PKT_UDP4_OPTS, sizeof(PKT_UDP4_OPTS) },
	};
	uint8_t p[128];
	unsigned int differ = 0, plain_ok = 0;
	srand(11);
	for (unsigned int s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		for (int iter = 0; iter < 6000; iter++) {
			size_t n = samples[s].n;
			memcpy(p, samples[s].p, n);
			/* the first rounds keep the packet valid; then flip bits in
			 * the headers the shortcut looks at, sometimes truncate */
			int flips = iter < 64 ? 0 : 1 + rand() % 3;
			for (int f = 0; f < flips; f++) {
				size_t at = 12 + (size_t)rand() % (n - 12 < 36 ? n - 12 : 36);
				p[at] ^= (uint8_t)(1u << (rand() % 8));
			}
			if (iter >= 64 && rand() % 3 == 0)
				n = (size_t)rand() % (n + 1);
			uint8_t *copy = malloc(n ? n : 1);
			memcpy(copy, p, n);
			for (int with_lay = 0; with_lay < 2; with_lay++) {
				struct sl_flow_key kf, ks;
				struct sl_pkt_layout lf, ls;
				memset(&kf, 0xa5, sizeof(kf)); /* stale contents must not leak */
				memset(&ks, 0x5a, sizeof(ks));
				memset(&lf, 0xa5, sizeof(lf));
				memset(&ls, 0xa5, sizeof(ls));
				int rf = sl_flow_parse(copy, n, 3, 4, iter, &kf, with_lay ? &lf : NULL);
				int rs = sl_flow_parse_slow(copy, n, 3, 4, iter, &ks,
							    with_lay ? &ls : NULL);
				differ += rf != rs || memcmp(&kf, &ks, sizeof(kf)) != 0 ||
					  memcmp(&lf, &ls, sizeof(lf)) != 0;
				plain_ok += iter < 64 && rf == 0;
			}
			free(copy);
		}
	}
	CU_ASSERT_EQUAL(differ, 0);
	CU_ASSERT_EQUAL(plain_ok, 3 * 64 * 2);
}

static void
test_mbuf(void)
{
	/* A plain malloc'd mbuf: no EAL, no mempool. */
	size_t sz = sizeof(struct rte_mbuf) + RTE_PKTMBUF_HEADROOM + 256;
	struct rte_mbuf *m = calloc(1, sz);
	m->buf_addr = (uint8_t *)m + sizeof(struct rte_mbuf);
	m->buf_len = (uint16_t)(sz - sizeof(struct rte_mbuf));
	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->nb_segs = 1;
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), PKT_TCP4, sizeof(PKT_TCP4));
	m->data_len = sizeof(PKT_TCP4);
	m->pkt_len = sizeof(PKT_TCP4);
	struct sl_flow_key k1, k2;
	CU_ASSERT_EQUAL(sl_flow_parse_mbuf(m, 7, 8, 0x1122334455667788ull, &k1, NULL), 0);
	parse_exact(PKT_TCP4, sizeof(PKT_TCP4), &k2, NULL);
	CU_ASSERT(memcmp(&k1, &k2, sizeof(k1)) == 0);
	free(m);
}

static void
test_hash(void)
{
	struct sl_flow_key a, b, mask;
	parse_exact(PKT_TCP4, sizeof(PKT_TCP4), &a, NULL);
	b = a;
	b.tcp_src = BE16(999);
	memset(&mask, 0, sizeof(mask));
	mask.ipv4_dst = 0xffffffff;
	mask.eth_type = 0xffff;
	CU_ASSERT_EQUAL(sl_flow_hash_masked(&a, &mask, 1), sl_flow_hash_masked(&b, &mask, 1));
	CU_ASSERT_NOT_EQUAL(sl_flow_hash(&a, 1), sl_flow_hash(&b, 1));
	CU_ASSERT_NOT_EQUAL(sl_flow_hash(&a, 1), sl_flow_hash(&a, 2));
	mask.tcp_src = 0xffff;
	CU_ASSERT_NOT_EQUAL(sl_flow_hash_masked(&a, &mask, 1), sl_flow_hash_masked(&b, &mask, 1));
	CU_ASSERT(sl_flow_key_equal_masked(&a, &a, &mask));
	CU_ASSERT(!sl_flow_key_equal_masked(&a, &b, &mask));
	CU_ASSERT_EQUAL(sl_flow_mask_popcount(&mask), 32 + 16 + 16);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "ipv4_tcp", test_ipv4_tcp },
		{ "ipv4_tcp_truncated", test_ipv4_tcp_truncated },
		{ "ipv4_malformed", test_ipv4_malformed },
		{ "ipv4_fragments", test_ipv4_fragments },
		{ "ipv4_udp_options", test_ipv4_udp_options },
		{ "qinq_sctp", test_qinq_sctp },
		{ "vlan_arp", test_vlan_arp },
		{ "ipv6_tcp_hop", test_ipv6_tcp_hop },
		{ "ipv6_exthdr_flags", test_ipv6_exthdr_flags },
		{ "icmpv6_nd", test_icmpv6_nd },
		{ "icmpv4", test_icmpv4 },
		{ "mpls_pbb_llc", test_mpls_pbb_llc },
		{ "random_garbage", test_random_garbage },
		{ "mutations", test_mutations },
		{ "ipv4_shortcut_same", test_ipv4_shortcut_same },
		{ "mbuf", test_mbuf },
		{ "hash", test_hash },
	};

	return cunit_run_suite("flow_parse", tests, CUNIT_N_TESTS(tests));
}
