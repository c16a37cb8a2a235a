/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Matches and OXM conversion. Everything is table-driven from field_descs[]:
 * a key field stores exactly the OXM payload bytes (network order), so
 * conversion is a bounded memcpy plus the validity checks the spec demands.
 */
#include "sl_match.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include "sl_flow_consts.h"

#define F(oxm_, name_, member_, len_, maskable_, writable_, valid_)                           \
	[oxm_] = { .name = name_, .ofs = offsetof(struct sl_flow_key, member_), .oxm = oxm_,     \
		   .len = len_, .maskable = maskable_, .writable = writable_, .valid_bits = valid_ }

static const struct sl_field_desc field_descs[SL_OXM_N_FIELDS] = {
	F(OFPXMT_OFB_IN_PORT, "in_port", in_port, 4, false, false, 0xffffffffu),
	F(OFPXMT_OFB_IN_PHY_PORT, "in_phy_port", in_phy_port, 4, false, false, 0xffffffffu),
	F(OFPXMT_OFB_METADATA, "metadata", metadata, 8, true, false, UINT64_MAX),
	F(OFPXMT_OFB_ETH_DST, "eth_dst", eth_dst, 6, true, true, 0xffffffffffffull),
	F(OFPXMT_OFB_ETH_SRC, "eth_src", eth_src, 6, true, true, 0xffffffffffffull),
	F(OFPXMT_OFB_ETH_TYPE, "eth_type", eth_type, 2, false, true, 0xffff),
	F(OFPXMT_OFB_VLAN_VID, "vlan_vid", vlan_vid, 2, true, true, 0x1fff),
	F(OFPXMT_OFB_VLAN_PCP, "vlan_pcp", vlan_pcp, 1, false, true, 0x07),
	F(OFPXMT_OFB_IP_DSCP, "ip_dscp", ip_dscp, 1, false, true, 0x3f),
	F(OFPXMT_OFB_IP_ECN, "ip_ecn", ip_ecn, 1, false, true, 0x03),
	F(OFPXMT_OFB_IP_PROTO, "ip_proto", ip_proto, 1, false, true, 0xff),
	F(OFPXMT_OFB_IPV4_SRC, "ipv4_src", ipv4_src, 4, true, true, 0xffffffffu),
	F(OFPXMT_OFB_IPV4_DST, "ipv4_dst", ipv4_dst, 4, true, true, 0xffffffffu),
	F(OFPXMT_OFB_TCP_SRC, "tcp_src", tcp_src, 2, false, true, 0xffff),
	F(OFPXMT_OFB_TCP_DST, "tcp_dst", tcp_dst, 2, false, true, 0xffff),
	F(OFPXMT_OFB_UDP_SRC, "udp_src", udp_src, 2, false, true, 0xffff),
	F(OFPXMT_OFB_UDP_DST, "udp_dst", udp_dst, 2, false, true, 0xffff),
	F(OFPXMT_OFB_SCTP_SRC, "sctp_src", sctp_src, 2, false, true, 0xffff),
	F(OFPXMT_OFB_SCTP_DST, "sctp_dst", sctp_dst, 2, false, true, 0xffff),
	F(OFPXMT_OFB_ICMPV4_TYPE, "icmpv4_type", icmpv4_type, 1, false, true, 0xff),
	F(OFPXMT_OFB_ICMPV4_CODE, "icmpv4_code", icmpv4_code, 1, false, true, 0xff),
	F(OFPXMT_OFB_ARP_OP, "arp_op", arp_op, 2, false, true, 0xffff),
	F(OFPXMT_OFB_ARP_SPA, "arp_spa", arp_spa, 4, true, true, 0xffffffffu),
	F(OFPXMT_OFB_ARP_TPA, "arp_tpa", arp_tpa, 4, true, true, 0xffffffffu),
	F(OFPXMT_OFB_ARP_SHA, "arp_sha", arp_sha, 6, true, true, 0xffffffffffffull),
	F(OFPXMT_OFB_ARP_THA, "arp_tha", arp_tha, 6, true, true, 0xffffffffffffull),
	F(OFPXMT_OFB_IPV6_SRC, "ipv6_src", ipv6_src, 16, true, true, 0),
	F(OFPXMT_OFB_IPV6_DST, "ipv6_dst", ipv6_dst, 16, true, true, 0),
	F(OFPXMT_OFB_IPV6_FLABEL, "ipv6_flabel", ipv6_flabel, 4, true, true, 0x000fffffu),
	F(OFPXMT_OFB_ICMPV6_TYPE, "icmpv6_type", icmpv6_type, 1, false, true, 0xff),
	F(OFPXMT_OFB_ICMPV6_CODE, "icmpv6_code", icmpv6_code, 1, false, true, 0xff),
	F(OFPXMT_OFB_IPV6_ND_TARGET, "ipv6_nd_target", ipv6_nd_target, 16, false, true, 0),
	F(OFPXMT_OFB_IPV6_ND_SLL, "ipv6_nd_sll", ipv6_nd_sll, 6, false, true, 0xffffffffffffull),
	F(OFPXMT_OFB_IPV6_ND_TLL, "ipv6_nd_tll", ipv6_nd_tll, 6, false, true, 0xffffffffffffull),
	F(OFPXMT_OFB_MPLS_LABEL, "mpls_label", mpls_label, 4, false, true, 0x000fffffu),
	F(OFPXMT_OFB_MPLS_TC, "mpls_tc", mpls_tc, 1, false, true, 0x07),
	F(OFPXMT_OFB_MPLS_BOS, "mpls_bos", mpls_bos, 1, false, true, 0x01),
	F(OFPXMT_OFB_PBB_ISID, "pbb_isid", pbb_isid, 3, true, true, 0xffffff),
	F(OFPXMT_OFB_TUNNEL_ID, "tunnel_id", tunnel_id, 8, true, true, UINT64_MAX),
	F(OFPXMT_OFB_IPV6_EXTHDR, "ipv6_exthdr", ipv6_exthdr, 2, true, false, 0x01ff),
	F(OFPXMT_OFB_TCP_FLAGS, "tcp_flags", tcp_flags, 2, true, true, 0x0fff),
	/* pipeline state set by translation before each lookup (OF1.5, read-only) */
	F(OFPXMT_OFB_ACTSET_OUTPUT, "actset_output", actset_output, 4, false, false, 0xffffffffu),
	/* outer addresses of a decapsulated packet (0 otherwise); set_field
	 * gives an output to a remote_ip = flow tunnel port its remote */
	F(SL_OXM_TUN_IPV4_SRC, "tun_src", tun_ipv4_src, 4, true, true, 0xffffffffu),
	F(SL_OXM_TUN_IPV4_DST, "tun_dst", tun_ipv4_dst, 4, true, true, 0xffffffffu),
	F(SL_OXM_TUN_IPV6_SRC, "tun_ipv6_src", tun_ipv6_src, 16, true, true, 0),
	F(SL_OXM_TUN_IPV6_DST, "tun_ipv6_dst", tun_ipv6_dst, 16, true, true, 0),
};
#undef F

/*
 * Prerequisites. A field requires field `field` to equal one of v[] (exact
 * match), or, when `bits` is non-zero, to have all of `bits` set.
 */
struct prereq {
	bool has;
	uint8_t field;
	uint8_t n;
	uint16_t bits;
	uint16_t v[2];
};

#define PRE_ETH1(t) { .has = true, .field = OFPXMT_OFB_ETH_TYPE, .n = 1, .v = { t } }
#define PRE_ETH2(a, b) { .has = true, .field = OFPXMT_OFB_ETH_TYPE, .n = 2, .v = { a, b } }
#define PRE_PROTO(p) { .has = true, .field = OFPXMT_OFB_IP_PROTO, .n = 1, .v = { p } }

static const struct prereq prereqs[SL_OXM_N_FIELDS] = {
	[OFPXMT_OFB_IN_PHY_PORT] = { .has = true, .field = OFPXMT_OFB_IN_PORT, .n = 0 },
	[OFPXMT_OFB_VLAN_PCP] = { .has = true, .field = OFPXMT_OFB_VLAN_VID, .bits = OFPVID_PRESENT },
	[OFPXMT_OFB_IP_DSCP] = PRE_ETH2(SL_ETH_IPV4, SL_ETH_IPV6),
	[OFPXMT_OFB_IP_ECN] = PRE_ETH2(SL_ETH_IPV4, SL_ETH_IPV6),
	[OFPXMT_OFB_IP_PROTO] = PRE_ETH2(SL_ETH_IPV4, SL_ETH_IPV6),
	[OFPXMT_OFB_IPV4_SRC] = PRE_ETH1(SL_ETH_IPV4),
	[OFPXMT_OFB_IPV4_DST] = PRE_ETH1(SL_ETH_IPV4),
	[OFPXMT_OFB_TCP_SRC] = PRE_PROTO(SL_IPPROTO_TCP),
	[OFPXMT_OFB_TCP_DST] = PRE_PROTO(SL_IPPROTO_TCP),
	[OFPXMT_OFB_TCP_FLAGS] = PRE_PROTO(SL_IPPROTO_TCP),
	[OFPXMT_OFB_UDP_SRC] = PRE_PROTO(SL_IPPROTO_UDP),
	[OFPXMT_OFB_UDP_DST] = PRE_PROTO(SL_IPPROTO_UDP),
	[OFPXMT_OFB_SCTP_SRC] = PRE_PROTO(SL_IPPROTO_SCTP),
	[OFPXMT_OFB_SCTP_DST] = PRE_PROTO(SL_IPPROTO_SCTP),
	[OFPXMT_OFB_ICMPV4_TYPE] = PRE_PROTO(SL_IPPROTO_ICMP),
	[OFPXMT_OFB_ICMPV4_CODE] = PRE_PROTO(SL_IPPROTO_ICMP),
	[OFPXMT_OFB_ARP_OP] = PRE_ETH1(SL_ETH_ARP),
	[OFPXMT_OFB_ARP_SPA] = PRE_ETH1(SL_ETH_ARP),
	[OFPXMT_OFB_ARP_TPA] = PRE_ETH1(SL_ETH_ARP),
	[OFPXMT_OFB_ARP_SHA] = PRE_ETH1(SL_ETH_ARP),
	[OFPXMT_OFB_ARP_THA] = PRE_ETH1(SL_ETH_ARP),
	[OFPXMT_OFB_IPV6_SRC] = PRE_ETH1(SL_ETH_IPV6),
	[OFPXMT_OFB_IPV6_DST] = PRE_ETH1(SL_ETH_IPV6),
	[OFPXMT_OFB_IPV6_FLABEL] = PRE_ETH1(SL_ETH_IPV6),
	[OFPXMT_OFB_IPV6_EXTHDR] = PRE_ETH1(SL_ETH_IPV6),
	[OFPXMT_OFB_ICMPV6_TYPE] = PRE_PROTO(SL_IPPROTO_ICMPV6),
	[OFPXMT_OFB_ICMPV6_CODE] = PRE_PROTO(SL_IPPROTO_ICMPV6),
	[OFPXMT_OFB_IPV6_ND_TARGET] = { .has = true, .field = OFPXMT_OFB_ICMPV6_TYPE, .n = 2, .v = { SL_ND_NS, SL_ND_NA } },
	[OFPXMT_OFB_IPV6_ND_SLL] = { .has = true, .field = OFPXMT_OFB_ICMPV6_TYPE, .n = 1, .v = { SL_ND_NS } },
	[OFPXMT_OFB_IPV6_ND_TLL] = { .has = true, .field = OFPXMT_OFB_ICMPV6_TYPE, .n = 1, .v = { SL_ND_NA } },
	[OFPXMT_OFB_MPLS_LABEL] = PRE_ETH2(SL_ETH_MPLS, SL_ETH_MPLS_MC),
	[OFPXMT_OFB_MPLS_TC] = PRE_ETH2(SL_ETH_MPLS, SL_ETH_MPLS_MC),
	[OFPXMT_OFB_MPLS_BOS] = PRE_ETH2(SL_ETH_MPLS, SL_ETH_MPLS_MC),
	[OFPXMT_OFB_PBB_ISID] = PRE_ETH1(SL_ETH_PBB),
};

const struct sl_field_desc *
sl_field_by_oxm(unsigned int oxm)
{
	if (oxm >= SL_OXM_N_FIELDS || field_descs[oxm].name == NULL)
		return NULL;
	return &field_descs[oxm];
}

const struct sl_field_desc *
sl_field_by_name(const char *name)
{
	for (unsigned int i = 0; i < SL_OXM_N_FIELDS; i++)
		if (field_descs[i].name && strcmp(field_descs[i].name, name) == 0)
			return &field_descs[i];
	return NULL;
}

/* The valid bits of a field as network-order bytes (all 0xff beyond 8 bytes). */
static void
valid_bytes(const struct sl_field_desc *d, uint8_t *out)
{
	if (d->len > 8) {
		memset(out, 0xff, d->len);
		return;
	}
	for (unsigned int i = 0; i < d->len; i++)
		out[i] = (uint8_t)(d->valid_bits >> (8 * (d->len - 1 - i)));
}

void
sl_field_get(const struct sl_field_desc *d, const struct sl_flow_key *k, void *out)
{
	memcpy(out, (const uint8_t *)k + d->ofs, d->len);
}

void
sl_field_set(const struct sl_field_desc *d, struct sl_flow_key *k, const void *val, const void *mask)
{
	uint8_t *dst = (uint8_t *)k + d->ofs;
	const uint8_t *v = val, *m = mask;
	uint8_t vb[16];
	valid_bytes(d, vb);
	for (unsigned int i = 0; i < d->len; i++) {
		uint8_t mm = (m ? m[i] : 0xff) & vb[i];
		dst[i] = (uint8_t)((dst[i] & ~mm) | (v[i] & mm));
	}
}

void
sl_field_mask_all(const struct sl_field_desc *d, struct sl_flow_key *mask)
{
	uint8_t vb[16];
	valid_bytes(d, vb);
	uint8_t *dst = (uint8_t *)mask + d->ofs;
	for (unsigned int i = 0; i < d->len; i++)
		dst[i] |= vb[i];
}

/* Host-order value of a field of at most 8 bytes. */
static uint64_t
field_uint(const struct sl_field_desc *d, const struct sl_flow_key *k)
{
	const uint8_t *p = (const uint8_t *)k + d->ofs;
	uint64_t v = 0;
	for (unsigned int i = 0; i < d->len && i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

void
sl_match_init_catchall(struct sl_match *m)
{
	memset(m, 0, sizeof(*m));
}

int
sl_match_set_oxm(struct sl_match *m, unsigned int oxm, const void *value, const void *mask,
		 unsigned int len)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	if (d == NULL)
		return SL_MATCH_ERR(OFPBMC_BAD_FIELD);
	if (len != d->len)
		return SL_MATCH_ERR(OFPBMC_BAD_LEN);
	if (m->present & (1ull << oxm))
		return SL_MATCH_ERR(OFPBMC_DUP_FIELD);
	if (mask && !d->maskable)
		return SL_MATCH_ERR(OFPBMC_BAD_MASK);
	uint8_t vb[16];
	valid_bytes(d, vb);
	const uint8_t *v = value, *mk = mask;
	for (unsigned int i = 0; i < len; i++) {
		if (v[i] & ~vb[i])
			return SL_MATCH_ERR(OFPBMC_BAD_VALUE);
		if (mk && (v[i] & ~mk[i]))
			return SL_MATCH_ERR(OFPBMC_BAD_WILDCARDS);
	}
	uint8_t *kd = (uint8_t *)&m->key + d->ofs, *md = (uint8_t *)&m->mask + d->ofs;
	for (unsigned int i = 0; i < len; i++) {
		md[i] = (mk ? mk[i] : 0xff) & vb[i];
		kd[i] = v[i] & md[i];
	}
	m->present |= 1ull << oxm;
	return 0;
}

/* Does the match pin prerequisite @p p (exactly, or the required bits)? */
static bool
match_satisfies(const struct sl_match *m, const struct prereq *p)
{
	const struct sl_field_desc *d = &field_descs[p->field];
	if (!(m->present & (1ull << p->field)))
		return false;
	uint64_t mask = field_uint(d, &m->mask), val = field_uint(d, &m->key);
	if (p->bits)
		return (mask & p->bits) == p->bits && (val & p->bits) == p->bits;
	if (p->n == 0)
		return true;
	if (mask != d->valid_bits)
		return false;
	for (unsigned int i = 0; i < p->n; i++)
		if (val == p->v[i])
			return true;
	return false;
}

int
sl_match_validate(const struct sl_match *m)
{
	/* Only the fields present (a flow-mod names a few of the ~40). */
	for (uint64_t left = m->present; left; left &= left - 1) {
		unsigned int f = (unsigned int)__builtin_ctzll(left);

		if (f >= SL_OXM_N_FIELDS)
			break;
		/* Each prerequisite field is itself present, so its own chain is checked in turn. */
		if (prereqs[f].has && !match_satisfies(m, &prereqs[f]))
			return SL_MATCH_ERR(OFPBMC_BAD_PREREQ);
	}
	return 0;
}

bool
sl_field_prereq_ok(unsigned int oxm, const struct sl_flow_key *k)
{
	while (oxm < SL_OXM_N_FIELDS && prereqs[oxm].has) {
		const struct prereq *p = &prereqs[oxm];
		const struct sl_field_desc *d = &field_descs[p->field];
		uint64_t val = field_uint(d, k);
		if (p->bits) {
			if ((val & p->bits) != p->bits)
				return false;
		} else if (p->n) {
			bool ok = false;
			for (unsigned int i = 0; i < p->n; i++)
				ok |= val == p->v[i];
			if (!ok)
				return false;
		}
		oxm = p->field;
	}
	return true;
}

void
sl_field_prereq_mask(unsigned int oxm, struct sl_flow_key *mask)
{
	while (oxm < SL_OXM_N_FIELDS && prereqs[oxm].has) {
		const struct prereq *p = &prereqs[oxm];
		const struct sl_field_desc *d = &field_descs[p->field];
		if (p->bits) {
			uint8_t *dst = (uint8_t *)mask + d->ofs; /* 2-byte field, network order */
			dst[0] |= (uint8_t)(p->bits >> 8);
			dst[1] |= (uint8_t)(p->bits & 0xff);
		} else if (p->n) {
			sl_field_mask_all(d, mask);
		}
		oxm = p->field;
	}
}

bool
sl_match_next_oxm(const struct sl_match *m, unsigned int *pos, struct sl_oxm *out)
{
	for (; *pos < SL_OXM_N_FIELDS; (*pos)++) {
		const struct sl_field_desc *d = sl_field_by_oxm(*pos);
		if (d == NULL)
			continue;
		const uint8_t *md = (const uint8_t *)&m->mask + d->ofs;
		bool any = false;
		for (unsigned int i = 0; i < d->len; i++)
			any |= md[i] != 0;
		if (!any && !(m->present & (1ull << *pos)))
			continue;
		uint8_t vb[16];
		valid_bytes(d, vb);
		out->field = d->oxm;
		out->len = d->len;
		memcpy(out->value, (const uint8_t *)&m->key + d->ofs, d->len);
		memcpy(out->mask, md, d->len);
		out->has_mask = memcmp(md, vb, d->len) != 0;
		(*pos)++;
		return true;
	}
	return false;
}

int
sl_match_format(const struct sl_match *m, char *buf, unsigned int size)
{
	unsigned int pos = 0, n = 0;
	struct sl_oxm o;
	if (size)
		buf[0] = '\0';
	while (sl_match_next_oxm(m, &pos, &o)) {
		const struct sl_field_desc *d = sl_field_by_oxm(o.field);
		int w = snprintf(buf + n, n < size ? size - n : 0, "%s%s=0x", n ? "," : "", d->name);
		n += w > 0 ? (unsigned int)w : 0;
		for (unsigned int i = 0; i < o.len; i++) {
			w = snprintf(buf + n, n < size ? size - n : 0, "%02x", o.value[i]);
			n += w > 0 ? (unsigned int)w : 0;
		}
		if (o.has_mask) {
			w = snprintf(buf + n, n < size ? size - n : 0, "/0x");
			n += w > 0 ? (unsigned int)w : 0;
			for (unsigned int i = 0; i < o.len; i++) {
				w = snprintf(buf + n, n < size ? size - n : 0, "%02x", o.mask[i]);
				n += w > 0 ? (unsigned int)w : 0;
			}
		}
	}
	return (int)n;
}

bool
sl_match_prereq_satisfied(const struct sl_match *m, unsigned int oxm)
{
	while (oxm < SL_OXM_N_FIELDS && prereqs[oxm].has) {
		if (!match_satisfies(m, &prereqs[oxm]))
			return false;
		oxm = prereqs[oxm].field;
	}
	return true;
}
