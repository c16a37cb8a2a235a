/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A match (or a megaflow's key and mask) as ovs-ofctl prints it: OVS's
 * match_format(), field by field in its order (priority, the ip/tcp/arp...
 * shorthand, tun_id, metadata, in_port, VLAN, dl_src, dl_dst, dl_type,
 * addresses, nw_proto, nw_tos..., L4), with OVS's names and value styles.
 *
 * OVS's flow has one field where the OXM key has several (tp_src is the TCP,
 * UDP or SCTP port; nw_src the IPv4 source or, for ARP, the sender address),
 * and OVS picks the name by the packet type. Every field printed here is
 * marked; a masked field that OVS's order had no place for (one OVS lacks,
 * such as pbb_isid, or one under an unexpected packet type in a megaflow)
 * is printed last under its OXM name: no masked bit is ever left out.
 */
#include <inttypes.h>

#include <rte_byteorder.h>

#include "format_private.h"
#include "sl_flow_consts.h"

struct mctx {
	struct fb *b;
	const struct sl_flow_key *k, *m;
	uint64_t done; /* OXM fields printed */
};

static bool
nonzero(const void *p, size_t n)
{
	const uint8_t *q = p;

	for (size_t i = 0; i < n; i++)
		if (q[i])
			return true;
	return false;
}

static bool
masked(const struct mctx *c, unsigned int oxm)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);

	return d && nonzero((const uint8_t *)c->m + d->ofs, d->len);
}

static const uint8_t *
kbytes(const struct mctx *c, unsigned int oxm)
{
	return (const uint8_t *)c->k + sl_field_by_oxm(oxm)->ofs;
}

static const uint8_t *
mbytes(const struct mctx *c, unsigned int oxm)
{
	return (const uint8_t *)c->m + sl_field_by_oxm(oxm)->ofs;
}

/* Is the field's mask all of its valid bits? */
static bool
exact(const struct mctx *c, unsigned int oxm)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	const uint8_t *m = mbytes(c, oxm);

	if (d->len > 8) {
		for (unsigned int i = 0; i < d->len; i++)
			if (m[i] != 0xff)
				return false;
		return true;
	}
	uint64_t v = 0;

	for (unsigned int i = 0; i < d->len; i++)
		v = v << 8 | m[i];
	return v == d->valid_bits;
}

static uint64_t
kval(const struct mctx *c, unsigned int oxm)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	const uint8_t *p = kbytes(c, oxm);
	uint64_t v = 0;

	for (unsigned int i = 0; i < d->len && i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static uint64_t
mval(const struct mctx *c, unsigned int oxm)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	const uint8_t *p = mbytes(c, oxm);
	uint64_t v = 0;

	for (unsigned int i = 0; i < d->len && i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* OVS's format_*_masked families, each for the fields printed its way. */

/* format_be64_masked / format_uint32_masked: "%#x", "/%#x" when partial. */
static void
put_hex(struct mctx *c, const char *name, unsigned int oxm)
{
	if (!masked(c, oxm))
		return;
	fb_add(c->b, "%s=%#" PRIx64, name, kval(c, oxm));
	if (!exact(c, oxm))
		fb_add(c->b, "/%#" PRIx64, mval(c, oxm));
	fb_str(c->b, ",");
	c->done |= 1ull << oxm;
}

/* format_be16_masked: decimal when exact, else "0x%x/0x%x". */
static void
put_num(struct mctx *c, const char *name, unsigned int oxm)
{
	if (!masked(c, oxm))
		return;
	if (exact(c, oxm))
		fb_add(c->b, "%s=%" PRIu64 ",", name, kval(c, oxm));
	else
		fb_add(c->b, "%s=0x%" PRIx64 "/0x%" PRIx64 ",", name, kval(c, oxm), mval(c, oxm));
	c->done |= 1ull << oxm;
}

/* format_eth_masked */
static void
put_mac(struct mctx *c, const char *name, unsigned int oxm)
{
	if (!masked(c, oxm))
		return;
	fb_add(c->b, "%s=", name);
	fmt_mac(c->b, kbytes(c, oxm));
	if (!exact(c, oxm)) {
		fb_str(c->b, "/");
		fmt_mac(c->b, mbytes(c, oxm));
	}
	fb_str(c->b, ",");
	c->done |= 1ull << oxm;
}

/* Leading ones of a mask of @n bytes, or -1 when it is not a prefix. */
static int
cidr_bits(const uint8_t *m, unsigned int n)
{
	unsigned int bits = 0, i = 0;

	for (; i < n && m[i] == 0xff; i++)
		bits += 8;
	if (i < n) {
		uint8_t x = m[i++];

		if ((uint8_t)(x | (x - 1)) != 0xff && x != 0)
			return -1; /* ones not followed only by zeros */
		for (; x & 0x80; x = (uint8_t)(x << 1))
			bits++;
	}
	for (; i < n; i++)
		if (m[i])
			return -1;
	return (int)bits;
}

/* format_ip_netmask / format_ipv6_netmask: "/N" for a prefix, else the mask. */
static void
put_ip(struct mctx *c, const char *name, unsigned int oxm)
{
	unsigned int len = sl_field_by_oxm(oxm)->len;
	int bits;

	if (!masked(c, oxm))
		return;
	fb_add(c->b, "%s=", name);
	fmt_field_value(c->b, oxm, kbytes(c, oxm));
	if (!exact(c, oxm)) {
		bits = cidr_bits(mbytes(c, oxm), len);
		if (bits >= 0) {
			fb_add(c->b, "/%d", bits);
		} else {
			fb_str(c->b, "/");
			fmt_field_value(c->b, oxm, mbytes(c, oxm));
		}
	}
	fb_str(c->b, ",");
	c->done |= 1ull << oxm;
}

/* The shorthand for eth_type (and ip_proto): "tcp", "ipv6", "arp"... */
static uint16_t
put_shorthand(struct mctx *c)
{
	static const struct { uint16_t type; uint8_t proto; const char *name; } names[] = {
		{ SL_ETH_IPV4, SL_IPPROTO_ICMP, "icmp" }, { SL_ETH_IPV4, 2, "igmp" },
		{ SL_ETH_IPV4, SL_IPPROTO_TCP, "tcp" }, { SL_ETH_IPV4, SL_IPPROTO_UDP, "udp" },
		{ SL_ETH_IPV4, SL_IPPROTO_SCTP, "sctp" }, { SL_ETH_IPV6, SL_IPPROTO_ICMPV6, "icmp6" },
		{ SL_ETH_IPV6, SL_IPPROTO_TCP, "tcp6" }, { SL_ETH_IPV6, SL_IPPROTO_UDP, "udp6" },
		{ SL_ETH_IPV6, SL_IPPROTO_SCTP, "sctp6" }, { SL_ETH_IPV4, 0, "ip" },
		{ SL_ETH_IPV6, 0, "ipv6" }, { SL_ETH_ARP, 0, "arp" }, { 0x8035, 0, "rarp" },
		{ SL_ETH_MPLS, 0, "mpls" }, { SL_ETH_MPLS_MC, 0, "mplsm" },
	};
	uint16_t type = rte_be_to_cpu_16(c->k->eth_type);
	bool proto = exact(c, OFPXMT_OFB_IP_PROTO);

	if (!exact(c, OFPXMT_OFB_ETH_TYPE))
		return masked(c, OFPXMT_OFB_ETH_TYPE) ? type : 0;
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].type != type ||
		    (names[i].proto && (!proto || names[i].proto != c->k->ip_proto)))
			continue;
		fb_add(c->b, "%s,", names[i].name);
		c->done |= 1ull << OFPXMT_OFB_ETH_TYPE;
		if (names[i].proto)
			c->done |= 1ull << OFPXMT_OFB_IP_PROTO;
		break;
	}
	return type;
}

/* One VLAN tag (OVS's tci: pcp << 13 | CFI | vid) as dl_vlan/dl_vlan_pcp
 * when it can be, else vlan_tci. @sfx: "" outer tag, "1" the inner one. */
static void
put_tci(struct fb *b, const char *sfx, uint16_t tci, uint16_t mask)
{
	uint16_t vid = mask & 0x0fff, pcp = mask & 0xe000;

	if ((mask & 0x1000) && (tci & 0x1000) && (!vid || vid == 0x0fff) &&
	    (!pcp || pcp == 0xe000) && (vid || pcp)) {
		if (vid)
			fb_add(b, "dl_vlan%s=%u,", sfx, tci & 0x0fff);
		if (pcp)
			fb_add(b, "dl_vlan_pcp%s=%u,", sfx, tci >> 13);
	} else if (mask == 0xffff) {
		fb_add(b, "vlan_tci%s=0x%04x,", sfx, tci);
	} else {
		fb_add(b, "vlan_tci%s=0x%04x/0x%04x,", sfx, tci, mask);
	}
}

static void
put_l2(struct mctx *c)
{
	const struct sl_flow_key *k = c->k, *m = c->m;
	uint16_t mask = (uint16_t)((m->vlan_pcp & 7) << 13 | (rte_be_to_cpu_16(m->vlan_vid) & 0x1fff));

	if (mask)
		put_tci(c->b, "", (uint16_t)((k->vlan_pcp & 7) << 13 |
					     (rte_be_to_cpu_16(k->vlan_vid) & 0x1fff)), mask);
	c->done |= 1ull << OFPXMT_OFB_VLAN_VID | 1ull << OFPXMT_OFB_VLAN_PCP;
	if (m->vlan_inner)
		put_tci(c->b, "1", rte_be_to_cpu_16(k->vlan_inner), rte_be_to_cpu_16(m->vlan_inner));
	if (m->n_vlan)
		fb_add(c->b, "n_vlan=%u,", k->n_vlan & m->n_vlan);
	if (m->vlan_tpid)
		fb_add(c->b, "vlan_tpid=0x%04x,", rte_be_to_cpu_16(k->vlan_tpid));
	put_mac(c, "dl_src", OFPXMT_OFB_ETH_SRC);
	put_mac(c, "dl_dst", OFPXMT_OFB_ETH_DST);
}

/* Addresses, protocol, TOS, TTL, MPLS and fragments, as OVS orders them. */
static void
put_l3(struct mctx *c, uint16_t type)
{
	const struct sl_flow_key *k = c->k, *m = c->m;

	if (type == SL_ETH_IPV6) {
		put_ip(c, "ipv6_src", OFPXMT_OFB_IPV6_SRC);
		put_ip(c, "ipv6_dst", OFPXMT_OFB_IPV6_DST);
		if (masked(c, OFPXMT_OFB_IPV6_FLABEL)) {
			fb_add(c->b, "ipv6_label=0x%05" PRIx64, kval(c, OFPXMT_OFB_IPV6_FLABEL));
			if (!exact(c, OFPXMT_OFB_IPV6_FLABEL))
				fb_add(c->b, "/0x%05" PRIx64, mval(c, OFPXMT_OFB_IPV6_FLABEL));
			fb_str(c->b, ",");
			c->done |= 1ull << OFPXMT_OFB_IPV6_FLABEL;
		}
	} else if (type == SL_ETH_ARP || type == 0x8035) {
		put_ip(c, "arp_spa", OFPXMT_OFB_ARP_SPA);
		put_ip(c, "arp_tpa", OFPXMT_OFB_ARP_TPA);
		put_num(c, "arp_op", OFPXMT_OFB_ARP_OP); /* OVS's nw_proto slot */
		put_mac(c, "arp_sha", OFPXMT_OFB_ARP_SHA);
		put_mac(c, "arp_tha", OFPXMT_OFB_ARP_THA);
	} else {
		put_ip(c, "nw_src", OFPXMT_OFB_IPV4_SRC);
		put_ip(c, "nw_dst", OFPXMT_OFB_IPV4_DST);
	}
	if (!(c->done & 1ull << OFPXMT_OFB_IP_PROTO))
		put_num(c, "nw_proto", OFPXMT_OFB_IP_PROTO);
	if (m->ip_dscp) /* OVS's nw_tos: the DSCP in the TOS byte's place */
		fb_add(c->b, "nw_tos=%u,", (k->ip_dscp & m->ip_dscp) << 2);
	put_num(c, "nw_ecn", OFPXMT_OFB_IP_ECN);
	if (m->nw_ttl)
		fb_add(c->b, "nw_ttl=%u,", k->nw_ttl);
	c->done |= 1ull << OFPXMT_OFB_IP_DSCP;
	put_num(c, "mpls_label", OFPXMT_OFB_MPLS_LABEL);
	put_num(c, "mpls_tc", OFPXMT_OFB_MPLS_TC);
	put_num(c, "mpls_bos", OFPXMT_OFB_MPLS_BOS);
	switch (m->nw_frag & (SL_FRAG_ANY | SL_FRAG_LATER)) {
	case SL_FRAG_ANY | SL_FRAG_LATER:
		fb_add(c->b, "nw_frag=%s,", !(k->nw_frag & SL_FRAG_ANY) ? "no"
				: (k->nw_frag & SL_FRAG_LATER) ? "later" : "first");
		break;
	case SL_FRAG_ANY:
		fb_add(c->b, "nw_frag=%s,", k->nw_frag & SL_FRAG_ANY ? "yes" : "no");
		break;
	case SL_FRAG_LATER:
		fb_add(c->b, "nw_frag=%s,", k->nw_frag & SL_FRAG_LATER ? "later" : "not_later");
		break;
	}
}

/* format_flags_masked with packet_tcp_flag_to_string. */
static void
put_tcp_flags(struct mctx *c)
{
	static const char *const names[12] = { "fin", "syn", "rst", "psh", "ack", "urg",
					       "ece", "cwr", "ns", "[200]", "[400]", "[800]" };
	uint16_t v = (uint16_t)kval(c, OFPXMT_OFB_TCP_FLAGS);
	uint16_t m = (uint16_t)mval(c, OFPXMT_OFB_TCP_FLAGS) & 0x0fff;

	fb_str(c->b, "tcp_flags=");
	if (m == 0x0fff) {
		if (v == 0)
			fb_str(c->b, "0");
		for (unsigned int i = 0; i < 12; i++)
			if (v & (1u << i))
				fb_add(c->b, "%s|", names[i]);
		fb_chomp(c->b, '|');
	} else {
		for (unsigned int i = 0; i < 12; i++)
			if (m & (1u << i))
				fb_add(c->b, "%c%s", v & (1u << i) ? '+' : '-', names[i]);
	}
	fb_str(c->b, ",");
	c->done |= 1ull << OFPXMT_OFB_TCP_FLAGS;
}

/* The TCP, UDP and SCTP ports under OVS's single name. A megaflow may
 * have all three in its mask (a select group hashes "the L4 ports"): equal
 * values under equal masks are OVS's one tp_src, printed once. */
static void
put_tp(struct mctx *c, const char *name, const unsigned int *oxms)
{
	unsigned int i = 0;

	while (i < 3 && !masked(c, oxms[i]))
		i++;
	if (i == 3)
		return;
	put_num(c, name, oxms[i]);
	for (unsigned int j = i + 1; j < 3; j++)
		if (kval(c, oxms[j]) == kval(c, oxms[i]) && mval(c, oxms[j]) == mval(c, oxms[i]))
			c->done |= 1ull << oxms[j];
}

static void
put_l4(struct mctx *c, uint16_t type)
{
	static const unsigned int src[3] = { OFPXMT_OFB_TCP_SRC, OFPXMT_OFB_UDP_SRC,
					     OFPXMT_OFB_SCTP_SRC };
	static const unsigned int dst[3] = { OFPXMT_OFB_TCP_DST, OFPXMT_OFB_UDP_DST,
					     OFPXMT_OFB_SCTP_DST };
	uint8_t proto = c->k->ip_proto;

	if (type == SL_ETH_IPV4 && proto == SL_IPPROTO_ICMP) {
		put_num(c, "icmp_type", OFPXMT_OFB_ICMPV4_TYPE);
		put_num(c, "icmp_code", OFPXMT_OFB_ICMPV4_CODE);
	} else if (type == SL_ETH_IPV6 && proto == SL_IPPROTO_ICMPV6) {
		put_num(c, "icmp_type", OFPXMT_OFB_ICMPV6_TYPE);
		put_num(c, "icmp_code", OFPXMT_OFB_ICMPV6_CODE);
		put_ip(c, "nd_target", OFPXMT_OFB_IPV6_ND_TARGET);
		put_mac(c, "nd_sll", OFPXMT_OFB_IPV6_ND_SLL);
		put_mac(c, "nd_tll", OFPXMT_OFB_IPV6_ND_TLL);
	} else {
		put_tp(c, "tp_src", src);
		put_tp(c, "tp_dst", dst);
	}
	if ((type == SL_ETH_IPV4 || type == SL_ETH_IPV6) && proto == SL_IPPROTO_TCP &&
	    masked(c, OFPXMT_OFB_TCP_FLAGS))
		put_tcp_flags(c);
}

/* Whatever is masked and was not printed: under its OXM name. */
static void
put_rest(struct mctx *c)
{
	for (unsigned int oxm = 0; oxm < SL_OXM_N_FIELDS; oxm++) {
		const struct sl_field_desc *d = sl_field_by_oxm(oxm);

		if (d == NULL || (c->done & 1ull << oxm) || !masked(c, oxm))
			continue;
		fb_add(c->b, "%s=", d->name);
		fmt_field_value(c->b, oxm, kbytes(c, oxm));
		if (!exact(c, oxm)) {
			fb_str(c->b, "/");
			fmt_field_value(c->b, oxm, mbytes(c, oxm));
		}
		fb_str(c->b, ",");
	}
}

void
fmt_match(struct fb *b, const struct sl_flow_key *key, const struct sl_flow_key *mask,
	  int priority)
{
	struct sl_flow_key k;
	struct mctx c = { .b = b, .k = &k, .m = mask };
	uint16_t type;

	sl_flow_key_and(&k, key, mask); /* OVS prints a match's values masked */
	if (priority >= 0 && priority != SL_FORMAT_DEFAULT_PRIORITY)
		fb_add(b, "priority=%d,", priority);
	if (mask->recirc_id) {
		fb_add(b, "recirc_id=%#" PRIx32, k.recirc_id);
		if (mask->recirc_id != UINT32_MAX)
			fb_add(b, "/%#" PRIx32, mask->recirc_id);
		fb_str(b, ",");
	}
	if (masked(&c, OFPXMT_OFB_ACTSET_OUTPUT)) { /* OVS: before the shorthand */
		fb_str(b, "actset_output=");
		fmt_port(b, rte_be_to_cpu_32(k.actset_output));
		fb_str(b, ",");
		c.done |= 1ull << OFPXMT_OFB_ACTSET_OUTPUT;
	}
	type = put_shorthand(&c);
	put_hex(&c, "tun_id", OFPXMT_OFB_TUNNEL_ID);
	put_hex(&c, "metadata", OFPXMT_OFB_METADATA);
	if (masked(&c, OFPXMT_OFB_IN_PORT)) {
		fb_str(b, "in_port=");
		fmt_port(b, rte_be_to_cpu_32(k.in_port));
		fb_str(b, ",");
		c.done |= 1ull << OFPXMT_OFB_IN_PORT;
	}
	put_l2(&c);
	if (!(c.done & 1ull << OFPXMT_OFB_ETH_TYPE) && masked(&c, OFPXMT_OFB_ETH_TYPE)) {
		fb_add(b, "dl_type=0x%04x", type);
		if (!exact(&c, OFPXMT_OFB_ETH_TYPE))
			fb_add(b, "/0x%04x", rte_be_to_cpu_16(mask->eth_type));
		fb_str(b, ",");
		c.done |= 1ull << OFPXMT_OFB_ETH_TYPE;
	}
	put_l3(&c, type);
	put_l4(&c, type);
	put_rest(&c);
	fb_chomp(b, ',');
}

int
sl_format_match(const struct sl_flow_key *key, const struct sl_flow_key *mask, int priority,
		char *buf, size_t size)
{
	struct fb b;

	fb_init(&b, buf, size);
	fmt_match(&b, key, mask, priority);
	return fb_done(&b);
}
