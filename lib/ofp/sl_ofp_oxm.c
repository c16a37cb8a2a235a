/* OXM TLVs: field table, wire hooks for the layout engine, validation. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "openflow_v14.h" /* OFP15_VERSION */
#include "sl_ofp_desc.h"
#include "sl_ofp_layout.h"
#include "sl_ofp_wire.h"

#define BASIC OFPXMC_OPENFLOW_BASIC
#define ONF_EXPERIMENTER SL_OFP_ONF_EXPERIMENTER

/* OF1.3 table 11 (sizes, maskability). */
static const struct sl_ofp_oxm_info basic_fields[SL_OFPXMT_BASIC_COUNT] = {
	{ "in_port", BASIC, OFPXMT_OFB_IN_PORT, 4, SL_OXM_FMT_INT, false, 0 },
	{ "in_phy_port", BASIC, OFPXMT_OFB_IN_PHY_PORT, 4, SL_OXM_FMT_INT, false, 0 },
	{ "metadata", BASIC, OFPXMT_OFB_METADATA, 8, SL_OXM_FMT_INT, true, 0 },
	{ "eth_dst", BASIC, OFPXMT_OFB_ETH_DST, 6, SL_OXM_FMT_MAC, true, 0 },
	{ "eth_src", BASIC, OFPXMT_OFB_ETH_SRC, 6, SL_OXM_FMT_MAC, true, 0 },
	{ "eth_type", BASIC, OFPXMT_OFB_ETH_TYPE, 2, SL_OXM_FMT_INT, false, 0 },
	{ "vlan_vid", BASIC, OFPXMT_OFB_VLAN_VID, 2, SL_OXM_FMT_INT, true, 0 },
	{ "vlan_pcp", BASIC, OFPXMT_OFB_VLAN_PCP, 1, SL_OXM_FMT_INT, false, 0 },
	{ "ip_dscp", BASIC, OFPXMT_OFB_IP_DSCP, 1, SL_OXM_FMT_INT, false, 0 },
	{ "ip_ecn", BASIC, OFPXMT_OFB_IP_ECN, 1, SL_OXM_FMT_INT, false, 0 },
	{ "ip_proto", BASIC, OFPXMT_OFB_IP_PROTO, 1, SL_OXM_FMT_INT, false, 0 },
	{ "ipv4_src", BASIC, OFPXMT_OFB_IPV4_SRC, 4, SL_OXM_FMT_IPV4, true, 0 },
	{ "ipv4_dst", BASIC, OFPXMT_OFB_IPV4_DST, 4, SL_OXM_FMT_IPV4, true, 0 },
	{ "tcp_src", BASIC, OFPXMT_OFB_TCP_SRC, 2, SL_OXM_FMT_INT, false, 0 },
	{ "tcp_dst", BASIC, OFPXMT_OFB_TCP_DST, 2, SL_OXM_FMT_INT, false, 0 },
	{ "udp_src", BASIC, OFPXMT_OFB_UDP_SRC, 2, SL_OXM_FMT_INT, false, 0 },
	{ "udp_dst", BASIC, OFPXMT_OFB_UDP_DST, 2, SL_OXM_FMT_INT, false, 0 },
	{ "sctp_src", BASIC, OFPXMT_OFB_SCTP_SRC, 2, SL_OXM_FMT_INT, false, 0 },
	{ "sctp_dst", BASIC, OFPXMT_OFB_SCTP_DST, 2, SL_OXM_FMT_INT, false, 0 },
	{ "icmpv4_type", BASIC, OFPXMT_OFB_ICMPV4_TYPE, 1, SL_OXM_FMT_INT, false, 0 },
	{ "icmpv4_code", BASIC, OFPXMT_OFB_ICMPV4_CODE, 1, SL_OXM_FMT_INT, false, 0 },
	{ "arp_op", BASIC, OFPXMT_OFB_ARP_OP, 2, SL_OXM_FMT_INT, false, 0 },
	{ "arp_spa", BASIC, OFPXMT_OFB_ARP_SPA, 4, SL_OXM_FMT_IPV4, true, 0 },
	{ "arp_tpa", BASIC, OFPXMT_OFB_ARP_TPA, 4, SL_OXM_FMT_IPV4, true, 0 },
	{ "arp_sha", BASIC, OFPXMT_OFB_ARP_SHA, 6, SL_OXM_FMT_MAC, true, 0 },
	{ "arp_tha", BASIC, OFPXMT_OFB_ARP_THA, 6, SL_OXM_FMT_MAC, true, 0 },
	{ "ipv6_src", BASIC, OFPXMT_OFB_IPV6_SRC, 16, SL_OXM_FMT_IPV6, true, 0 },
	{ "ipv6_dst", BASIC, OFPXMT_OFB_IPV6_DST, 16, SL_OXM_FMT_IPV6, true, 0 },
	{ "ipv6_flabel", BASIC, OFPXMT_OFB_IPV6_FLABEL, 4, SL_OXM_FMT_INT, true, 0 },
	{ "icmpv6_type", BASIC, OFPXMT_OFB_ICMPV6_TYPE, 1, SL_OXM_FMT_INT, false, 0 },
	{ "icmpv6_code", BASIC, OFPXMT_OFB_ICMPV6_CODE, 1, SL_OXM_FMT_INT, false, 0 },
	{ "ipv6_nd_target", BASIC, OFPXMT_OFB_IPV6_ND_TARGET, 16, SL_OXM_FMT_IPV6, false, 0 },
	{ "ipv6_nd_sll", BASIC, OFPXMT_OFB_IPV6_ND_SLL, 6, SL_OXM_FMT_MAC, false, 0 },
	{ "ipv6_nd_tll", BASIC, OFPXMT_OFB_IPV6_ND_TLL, 6, SL_OXM_FMT_MAC, false, 0 },
	{ "mpls_label", BASIC, OFPXMT_OFB_MPLS_LABEL, 4, SL_OXM_FMT_INT, false, 0 },
	{ "mpls_tc", BASIC, OFPXMT_OFB_MPLS_TC, 1, SL_OXM_FMT_INT, false, 0 },
	{ "mpls_bos", BASIC, OFPXMT_OFB_MPLS_BOS, 1, SL_OXM_FMT_INT, false, 0 },
	{ "pbb_isid", BASIC, OFPXMT_OFB_PBB_ISID, 3, SL_OXM_FMT_INT, true, 0 },
	{ "tunnel_id", BASIC, OFPXMT_OFB_TUNNEL_ID, 8, SL_OXM_FMT_INT, true, 0 },
	{ "ipv6_exthdr", BASIC, OFPXMT_OFB_IPV6_EXTHDR, 2, SL_OXM_FMT_INT, true, 0 },
	/* OF1.5 table 12 (OF1.3 peers send tcp_flags in an extension form) */
	[OFPXMT_OFB_TCP_FLAGS] = { "tcp_flags", BASIC, OFPXMT_OFB_TCP_FLAGS, 2, SL_OXM_FMT_INT,
				   true, 0 },
	[OFPXMT_OFB_ACTSET_OUTPUT] = { "actset_output", BASIC, OFPXMT_OFB_ACTSET_OUTPUT, 4,
				       SL_OXM_FMT_INT, false, 0 },
	[OFPXMT_OFB_PACKET_TYPE] = { "packet_type", BASIC, OFPXMT_OFB_PACKET_TYPE, 4,
				     SL_OXM_FMT_INT, false, 0 },
};

/* The NXM tunnel address fields, by SL_OFPXMT_TUN_* - SL_OFPXMT_TUN_IPV4_SRC
 * (sl_ofp_oxm.h): decoded as basic fields of those numbers, written back in
 * their NXM form. Maskable, no prerequisites (as in Open vSwitch). */
static const struct sl_ofp_oxm_info tun_fields[] = {
	{ "tun_ipv4_src", BASIC, SL_OFPXMT_TUN_IPV4_SRC, 4, SL_OXM_FMT_IPV4, true, 0 },
	{ "tun_ipv4_dst", BASIC, SL_OFPXMT_TUN_IPV4_DST, 4, SL_OXM_FMT_IPV4, true, 0 },
	{ "tun_ipv6_src", BASIC, SL_OFPXMT_TUN_IPV6_SRC, 16, SL_OXM_FMT_IPV6, true, 0 },
	{ "tun_ipv6_dst", BASIC, SL_OFPXMT_TUN_IPV6_DST, 16, SL_OXM_FMT_IPV6, true, 0 },
};

/* Their NXM_1 field numbers, in the same order. */
static const uint8_t tun_nxm[] = { SL_NXM_NX_TUN_IPV4_SRC, SL_NXM_NX_TUN_IPV4_DST,
				   SL_NXM_NX_TUN_IPV6_SRC, SL_NXM_NX_TUN_IPV6_DST };

/* Extension fields we can name (for dumps) but do not support: they stay
 * opaque and validation refuses them with OFPBMC_BAD_FIELD. */
static const struct sl_ofp_oxm_info ext_fields[] = {
	{ "pkt_mark", OFPXMC_NXM_1, 33, 4, SL_OXM_FMT_INT, true, 0 },
	{ "conj_id", OFPXMC_NXM_1, 37, 4, SL_OXM_FMT_INT, false, 0 },
	{ "ct_state", OFPXMC_NXM_1, 105, 4, SL_OXM_FMT_INT, true, 0 },
	{ "ct_mark", OFPXMC_NXM_1, 107, 4, SL_OXM_FMT_INT, true, 0 },
	{ "reg0", OFPXMC_NXM_1, 0, 4, SL_OXM_FMT_INT, true, 0 },
	{ "reg1", OFPXMC_NXM_1, 1, 4, SL_OXM_FMT_INT, true, 0 },
	{ "reg2", OFPXMC_NXM_1, 2, 4, SL_OXM_FMT_INT, true, 0 },
	{ "reg3", OFPXMC_NXM_1, 3, 4, SL_OXM_FMT_INT, true, 0 },
	{ "reg4", OFPXMC_NXM_1, 4, 4, SL_OXM_FMT_INT, true, 0 },
	{ "reg5", OFPXMC_NXM_1, 5, 4, SL_OXM_FMT_INT, true, 0 },
	/* ONF EXT-256 old encoding: experimenter id then exp_type 2560 */
	{ "pbb_uca", OFPXMC_EXPERIMENTER, 0, 1, SL_OXM_FMT_INT, false, ONF_EXPERIMENTER },
};

const struct sl_ofp_oxm_info *sl_ofp_oxm_basic_info(uint8_t field)
{
	/* gaps in the table (pbb_uca, 41) are fields Sluice does not know */
	if (sl_ofp_oxm_tun_field(field))
		return &tun_fields[field - SL_OFPXMT_TUN_IPV4_SRC];
	return field < SL_OFPXMT_BASIC_COUNT && basic_fields[field].name != NULL ? &basic_fields[field]
										 : NULL;
}

const struct sl_ofp_oxm_info *sl_ofp_oxm_info(const struct sl_ofp_oxm *oxm)
{
	if (oxm->oxm_class == BASIC)
		return sl_ofp_oxm_basic_info(oxm->field);
	for (size_t i = 0; i < SL_ARRAY_LEN(ext_fields); i++) {
		const struct sl_ofp_oxm_info *x = &ext_fields[i];
		if (x->oxm_class != oxm->oxm_class || x->field != oxm->field)
			continue;
		if (x->experimenter == 0)
			return x;
		if (oxm->payload_len >= 4 && sl_rd32(oxm->payload) == x->experimenter)
			return x;
	}
	return NULL;
}

int sl_ofp_oxm_set_bytes(struct sl_ofp_oxm *oxm, uint8_t field, const uint8_t *value,
			 const uint8_t *mask)
{
	const struct sl_ofp_oxm_info *info = sl_ofp_oxm_basic_info(field);
	if (info == NULL)
		return -1;
	memset(oxm, 0, sizeof(*oxm));
	oxm->oxm_class = BASIC;
	oxm->field = field;
	oxm->value_len = info->size;
	oxm->hasmask = mask != NULL;
	oxm->payload_len = (uint8_t)(info->size * (mask != NULL ? 2 : 1));
	memcpy(oxm->value, value, info->size);
	if (mask != NULL)
		memcpy(oxm->mask, mask, info->size);
	return 0;
}

int sl_ofp_oxm_set_basic(struct sl_ofp_oxm *oxm, uint8_t field, uint64_t value,
			 const uint64_t *mask)
{
	const struct sl_ofp_oxm_info *info = sl_ofp_oxm_basic_info(field);
	if (info == NULL || info->size > 8)
		return -1;
	uint8_t v[8], m[8];
	sl_wrn(v, info->size, value);
	if (mask != NULL)
		sl_wrn(m, info->size, *mask);
	return sl_ofp_oxm_set_bytes(oxm, field, v, mask != NULL ? m : NULL);
}

uint64_t sl_ofp_oxm_value_u64(const struct sl_ofp_oxm *oxm)
{
	return sl_rdn(oxm->value, oxm->value_len > 8 ? 8 : oxm->value_len);
}

/* ---------------- engine hooks ---------------- */

/* The extension forms of tcp_flags and actset_output (sl_ofp_oxm.h, enum
 * sl_ofp_oxm_form) become the basic field, with the form recorded for
 * encode. Returns the bytes before the value (the ONF experimenter id). */
static size_t oxm_normalise(struct sl_ofp_oxm *oxm, const uint8_t *p)
{
	if (oxm->oxm_class == OFPXMC_EXPERIMENTER && sl_ofp_oxm_onf_field(oxm->field) &&
	    oxm->payload_len >= 4 && sl_rd32(p + 4) == ONF_EXPERIMENTER) {
		oxm->oxm_class = BASIC;
		oxm->form = SL_OXM_FORM_ONF;
		return 4;
	}
	if (oxm->oxm_class == OFPXMC_NXM_1 && oxm->field == SL_NXM_NX_TCP_FLAGS) {
		oxm->oxm_class = BASIC;
		oxm->field = OFPXMT_OFB_TCP_FLAGS;
		oxm->form = SL_OXM_FORM_NXM;
		return 0;
	}
	for (size_t i = 0; oxm->oxm_class == OFPXMC_NXM_1 && i < SL_ARRAY_LEN(tun_nxm); i++) {
		if (oxm->field == tun_nxm[i]) {
			oxm->oxm_class = BASIC;
			oxm->field = (uint8_t)(SL_OFPXMT_TUN_IPV4_SRC + i);
			oxm->form = SL_OXM_FORM_NXM;
			return 0;
		}
	}
	oxm->form = oxm->oxm_class == BASIC ? SL_OXM_FORM_BASIC : SL_OXM_FORM_AUTO;
	return 0;
}

/* The form @p oxm is written in: its own, or for AUTO the version's. */
static uint8_t oxm_form_for(const struct sl_ofp_oxm *oxm, uint8_t version)
{
	if (oxm->form != SL_OXM_FORM_AUTO)
		return oxm->form;
	if (sl_ofp_oxm_tun_field(oxm->field)) /* no OXM number in any version */
		return SL_OXM_FORM_NXM;
	if (sl_ofp_oxm_onf_field(oxm->field) && version < OFP15_VERSION)
		return SL_OXM_FORM_ONF;
	return SL_OXM_FORM_BASIC;
}

static long oxm_decode_err(struct sl_ofp_dec *d, const uint8_t *p, size_t avail, void *obj,
			   uint16_t et, uint16_t ec)
{
	struct sl_ofp_oxm *oxm = obj;
	if (avail < 4)
		return sl_ofp_fail(d->err, et, ec, (size_t)(p - d->base));
	oxm->oxm_class = sl_rd16(p);
	oxm->field = p[2] >> 1;
	oxm->hasmask = p[2] & 1;
	oxm->payload_len = p[3];
	if ((size_t)4 + oxm->payload_len > avail)
		return sl_ofp_fail(d->err, et, ec, (size_t)(p + 3 - d->base));
	size_t skip = oxm_normalise(oxm, p);
	const struct sl_ofp_oxm_info *info =
		oxm->oxm_class == BASIC ? sl_ofp_oxm_basic_info(oxm->field) : NULL;
	if (info != NULL) {
		if (oxm->payload_len != skip + info->size * (oxm->hasmask ? 2 : 1))
			return sl_ofp_fail(d->err, et, ec, (size_t)(p + 3 - d->base));
		oxm->value_len = info->size;
		memcpy(oxm->value, p + 4 + skip, info->size);
		if (oxm->hasmask)
			memcpy(oxm->mask, p + 4 + skip + info->size, info->size);
	} else if (oxm->payload_len) {
		uint8_t *copy = sl_ofp_dec_alloc(d, oxm->payload_len);
		if (copy == NULL)
			return sl_ofp_fail(d->err, et, ec, (size_t)(p - d->base));
		memcpy(copy, p + 4, oxm->payload_len);
		oxm->payload = copy;
		oxm->value_len = oxm->hasmask ? oxm->payload_len / 2 : oxm->payload_len;
	}
	return 4 + (long)oxm->payload_len;
}

static long oxm_match_decode(struct sl_ofp_dec *d, const uint8_t *p, size_t avail, void *obj)
{
	return oxm_decode_err(d, p, avail, obj, OFPET_BAD_MATCH, OFPBMC_BAD_LEN);
}

static long oxm_setfield_decode(struct sl_ofp_dec *d, const uint8_t *p, size_t avail, void *obj)
{
	return oxm_decode_err(d, p, avail, obj, OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN);
}

static int oxm_encode(struct sl_ofp_enc *e, const void *obj)
{
	const struct sl_ofp_oxm *oxm = obj;
	const struct sl_ofp_oxm_info *info =
		oxm->oxm_class == BASIC ? sl_ofp_oxm_basic_info(oxm->field) : NULL;
	uint8_t form = info != NULL ? oxm_form_for(oxm, e->version) : SL_OXM_FORM_AUTO;
	size_t skip = form == SL_OXM_FORM_ONF ? 4 : 0;
	size_t plen = info != NULL ? skip + (size_t)info->size * (oxm->hasmask ? 2 : 1)
				   : oxm->payload_len;
	if (info == NULL && plen && oxm->payload == NULL)
		return -EINVAL;
	if (sl_ofp_buf_ensure(e->out, 4 + plen) < 0)
		return -ENOMEM;
	uint8_t *w = e->out->data + e->out->len;
	sl_wr16(w, form == SL_OXM_FORM_ONF ? OFPXMC_EXPERIMENTER
		   : form == SL_OXM_FORM_NXM ? OFPXMC_NXM_1 : oxm->oxm_class);
	uint8_t field = form != SL_OXM_FORM_NXM ? oxm->field
			: sl_ofp_oxm_tun_field(oxm->field) ? tun_nxm[oxm->field - SL_OFPXMT_TUN_IPV4_SRC]
			: SL_NXM_NX_TCP_FLAGS;
	w[2] = (uint8_t)(field << 1 | (oxm->hasmask & 1));
	w[3] = (uint8_t)plen;
	if (info != NULL) {
		if (skip)
			sl_wr32(w + 4, ONF_EXPERIMENTER);
		memcpy(w + 4 + skip, oxm->value, info->size);
		if (oxm->hasmask)
			memcpy(w + 4 + skip + info->size, oxm->mask, info->size);
	} else if (plen) {
		memcpy(w + 4, oxm->payload, plen);
	}
	e->out->len += 4 + plen;
	return 0;
}

/* Print a value the way os-ken's JSON does for the field's type. */
static void format_value(char *buf, size_t n, const struct sl_ofp_oxm_info *info, const uint8_t *v,
			 size_t len)
{
	switch (info != NULL ? info->format : SL_OXM_FMT_INT) {
	case SL_OXM_FMT_MAC:
		snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", v[0], v[1], v[2], v[3], v[4], v[5]);
		break;
	case SL_OXM_FMT_IPV4:
		snprintf(buf, n, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
		break;
	case SL_OXM_FMT_IPV6:
		if (inet_ntop(AF_INET6, v, buf, (socklen_t)n) == NULL)
			snprintf(buf, n, "?");
		break;
	default:
		snprintf(buf, n, "%" PRIu64, sl_rdn(v, len > 8 ? 8 : len));
		break;
	}
}

static void oxm_dump(struct sl_ofp_enc *e, const void *obj)
{
	const struct sl_ofp_oxm *oxm = obj;
	const struct sl_ofp_oxm_info *info = sl_ofp_oxm_info(oxm);
	char name[32], buf[64];
	const uint8_t *v = oxm->value;
	size_t vlen = oxm->value_len;
	if (info == NULL) {
		snprintf(name, sizeof(name), "%u:%u", oxm->oxm_class, oxm->field);
		v = oxm->payload;
	} else if (oxm->oxm_class != BASIC) {
		/* extension: value follows the experimenter id (+ exp_type) */
		size_t skip = info->experimenter ? 6 : 0;
		v = oxm->payload + skip;
		vlen = info->size;
		if (oxm->payload_len < skip + vlen * (oxm->hasmask ? 2 : 1))
			info = NULL, v = oxm->payload, vlen = 0;
	}
	sl_ofp_enc_line(e, "field", info != NULL ? info->name : name);
	format_value(buf, sizeof(buf), info, v, vlen);
	sl_ofp_enc_line(e, "value", v != NULL ? buf : "0");
	if (oxm->hasmask && v != NULL) {
		/* basic fields keep the mask apart; extensions have it after the value */
		format_value(buf, sizeof(buf), info, v == oxm->value ? oxm->mask : v + vlen, vlen);
		sl_ofp_enc_line(e, "mask", buf);
	} else {
		sl_ofp_enc_line(e, "mask", "null");
	}
}

static const struct sl_ofp_custom oxm_match_hooks = { oxm_match_decode, oxm_encode, oxm_dump };
static const struct sl_ofp_custom oxm_setfield_hooks = { oxm_setfield_decode, oxm_encode, oxm_dump };

const struct sl_ofp_type sl_ofp13_oxm_type = {
	.name = "OXMTlv", .csize = sizeof(struct sl_ofp_oxm), .span = SPAN_CUSTOM,
	.pos_coff = offsetof(struct sl_ofp_oxm, wire_off),
	.err_len = SL_ERR(OFPET_BAD_MATCH, OFPBMC_BAD_LEN), .custom = &oxm_match_hooks };
const struct sl_ofp_type sl_ofp13_setfield_oxm_type = {
	.name = "OXMTlv", .csize = sizeof(struct sl_ofp_oxm), .span = SPAN_CUSTOM,
	.pos_coff = offsetof(struct sl_ofp_oxm, wire_off),
	.err_len = SL_ERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN), .custom = &oxm_setfield_hooks };

/* OXM ids in table features: a bare header, + experimenter id for class 0xffff. */
static long oxm_id_decode(struct sl_ofp_dec *d, const uint8_t *p, size_t avail, void *obj)
{
	struct sl_ofp_oxm_id *id = obj;
	if (avail < 4)
		return sl_ofp_fail(d->err, OFPET_TABLE_FEATURES_FAILED, OFPTFFC_BAD_LEN,
				   (size_t)(p - d->base));
	id->header = sl_rd32(p);
	if (id->header >> 16 != OFPXMC_EXPERIMENTER)
		return 4;
	if (avail < 8)
		return sl_ofp_fail(d->err, OFPET_TABLE_FEATURES_FAILED, OFPTFFC_BAD_LEN,
				   (size_t)(p - d->base));
	id->experimenter = sl_rd32(p + 4);
	return 8;
}

static int oxm_id_encode(struct sl_ofp_enc *e, const void *obj)
{
	const struct sl_ofp_oxm_id *id = obj;
	size_t n = id->header >> 16 == OFPXMC_EXPERIMENTER ? 8 : 4;
	if (sl_ofp_buf_ensure(e->out, n) < 0)
		return -ENOMEM;
	sl_wr32(e->out->data + e->out->len, id->header);
	if (n == 8)
		sl_wr32(e->out->data + e->out->len + 4, id->experimenter);
	e->out->len += n;
	return 0;
}

static void oxm_id_dump(struct sl_ofp_enc *e, const void *obj)
{
	const struct sl_ofp_oxm_id *id = obj;
	struct sl_ofp_oxm probe = { .oxm_class = (uint16_t)(id->header >> 16),
				    .field = (uint8_t)(id->header >> 9 & 0x7f) };
	const struct sl_ofp_oxm_info *info = sl_ofp_oxm_info(&probe);
	char buf[32];
	snprintf(buf, sizeof(buf), "%u:%u", probe.oxm_class, probe.field);
	sl_ofp_enc_line(e, "type", info != NULL ? info->name : buf);
	sl_ofp_enc_line(e, "hasmask", id->header >> 8 & 1 ? "1" : "0");
	snprintf(buf, sizeof(buf), "%u", id->header & 0xff);
	sl_ofp_enc_line(e, "length", buf);
}

static const struct sl_ofp_custom oxm_id_hooks = { oxm_id_decode, oxm_id_encode, oxm_id_dump };
const struct sl_ofp_type sl_ofp13_oxm_id_type = {
	.name = "OFPOxmId", .csize = sizeof(struct sl_ofp_oxm_id), .span = SPAN_CUSTOM,
	.err_len = SL_ERR(OFPET_TABLE_FEATURES_FAILED, OFPTFFC_BAD_LEN), .custom = &oxm_id_hooks };
