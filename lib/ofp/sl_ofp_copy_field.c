/* Copy-field: its OF1.3 experimenter forms read and written, its OXM
 * headers mapped to OpenFlow-basic fields (sl_ofp_copy_field.h). */
#include <string.h>

#include "openflow_v14.h"
#include "sl_ofp.h"
#include "sl_ofp_layout.h"
#include "sl_ofp_wire.h"

/* NXM headers whose field is an OXM field of the same size, as
 * `ovs-ofctl -O OpenFlow13` names fields in NXAST_REG_MOVE. The NXM fields
 * without such a twin (in_port on 16 bits, vlan_tci, ip_tos, registers...)
 * are fields Sluice does not have. */
static const struct { uint8_t oxm_class, nxm_field, field; } nxm_twins[] = {
	{ OFPXMC_NXM_0, 1, OFPXMT_OFB_ETH_DST }, { OFPXMC_NXM_0, 2, OFPXMT_OFB_ETH_SRC },
	{ OFPXMC_NXM_0, 3, OFPXMT_OFB_ETH_TYPE }, { OFPXMC_NXM_0, 6, OFPXMT_OFB_IP_PROTO },
	{ OFPXMC_NXM_0, 7, OFPXMT_OFB_IPV4_SRC }, { OFPXMC_NXM_0, 8, OFPXMT_OFB_IPV4_DST },
	{ OFPXMC_NXM_0, 9, OFPXMT_OFB_TCP_SRC }, { OFPXMC_NXM_0, 10, OFPXMT_OFB_TCP_DST },
	{ OFPXMC_NXM_0, 11, OFPXMT_OFB_UDP_SRC }, { OFPXMC_NXM_0, 12, OFPXMT_OFB_UDP_DST },
	{ OFPXMC_NXM_0, 13, OFPXMT_OFB_ICMPV4_TYPE }, { OFPXMC_NXM_0, 14, OFPXMT_OFB_ICMPV4_CODE },
	{ OFPXMC_NXM_0, 15, OFPXMT_OFB_ARP_OP }, { OFPXMC_NXM_0, 16, OFPXMT_OFB_ARP_SPA },
	{ OFPXMC_NXM_0, 17, OFPXMT_OFB_ARP_TPA }, { OFPXMC_NXM_1, 16, OFPXMT_OFB_TUNNEL_ID },
	{ OFPXMC_NXM_1, 17, OFPXMT_OFB_ARP_SHA }, { OFPXMC_NXM_1, 18, OFPXMT_OFB_ARP_THA },
	{ OFPXMC_NXM_1, 19, OFPXMT_OFB_IPV6_SRC }, { OFPXMC_NXM_1, 20, OFPXMT_OFB_IPV6_DST },
	{ OFPXMC_NXM_1, 21, OFPXMT_OFB_ICMPV6_TYPE }, { OFPXMC_NXM_1, 22, OFPXMT_OFB_ICMPV6_CODE },
	{ OFPXMC_NXM_1, 23, OFPXMT_OFB_IPV6_ND_TARGET }, { OFPXMC_NXM_1, 24, OFPXMT_OFB_IPV6_ND_SLL },
	{ OFPXMC_NXM_1, 25, OFPXMT_OFB_IPV6_ND_TLL }, { OFPXMC_NXM_1, 27, OFPXMT_OFB_IPV6_FLABEL },
	{ OFPXMC_NXM_1, SL_NXM_NX_TCP_FLAGS, OFPXMT_OFB_TCP_FLAGS },
};

int sl_ofp_copy_field_field(const struct sl_ofp_oxm_id *id, uint8_t *field)
{
	uint16_t cls = (uint16_t)(id->header >> 16);
	uint8_t f = (uint8_t)(id->header >> 9 & 0x7f), len = (uint8_t)(id->header & 0xff);
	int found = -1;

	if (id->header >> 8 & 1)
		return -1; /* a copy names whole fields: no mask */
	if (cls == OFPXMC_OPENFLOW_BASIC) {
		found = f;
	} else if (cls == OFPXMC_EXPERIMENTER && sl_ofp_oxm_onf_field(f) &&
		   id->experimenter == SL_OFP_ONF_EXPERIMENTER) {
		found = f;
		len = (uint8_t)(len - 4); /* the length counts the experimenter id */
	} else {
		for (size_t i = 0; i < SL_ARRAY_LEN(nxm_twins); i++)
			if (nxm_twins[i].oxm_class == cls && nxm_twins[i].nxm_field == f)
				found = nxm_twins[i].field;
	}
	const struct sl_ofp_oxm_info *info = found >= 0 ? sl_ofp_oxm_basic_info((uint8_t)found) : NULL;
	if (info == NULL || info->size != len)
		return -1;
	*field = (uint8_t)found;
	return 0;
}

int sl_ofp_copy_field_header(uint8_t field, uint8_t version, struct sl_ofp_oxm_id *out)
{
	const struct sl_ofp_oxm_info *info = sl_ofp_oxm_basic_info(field);
	if (info == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (sl_ofp_oxm_onf_field(field) && version < OFP15_VERSION) {
		out->header = (uint32_t)OFPXMC_EXPERIMENTER << 16 | (uint32_t)field << 9 |
			      (uint32_t)(4 + info->size);
		out->experimenter = SL_OFP_ONF_EXPERIMENTER;
		return 0;
	}
	out->header = (uint32_t)OFPXMC_OPENFLOW_BASIC << 16 | (uint32_t)field << 9 | info->size;
	return 0;
}

/* One OXM header at p (4 bytes, 8 for class 0xffff); bytes used, or 0 when cut. */
static size_t read_header(const uint8_t *p, size_t left, struct sl_ofp_oxm_id *id)
{
	if (left < 4)
		return 0;
	id->header = sl_rd32(p);
	id->experimenter = 0;
	if (id->header >> 16 != OFPXMC_EXPERIMENTER)
		return 4;
	if (left < 8)
		return 0;
	id->experimenter = sl_rd32(p + 4);
	return 8;
}

/* n_bits, offsets (6 bytes at p, then @p gap bytes), then the two headers
 * and at most 7 bytes of padding. */
static int read_body(const uint8_t *p, size_t len, size_t gap, struct sl_ofp_copy_field *out)
{
	if (len < 6 + gap)
		return -1;
	out->n_bits = sl_rd16(p);
	out->src_offset = sl_rd16(p + 2);
	out->dst_offset = sl_rd16(p + 4);
	size_t at = 6 + gap, n;
	if ((n = read_header(p + at, len - at, &out->src)) == 0)
		return -1;
	at += n;
	if ((n = read_header(p + at, len - at, &out->dst)) == 0)
		return -1;
	at += n;
	return len - at < 8 ? 0 : -1;
}

int sl_ofp_copy_field_get(const struct sl_ofp_action *a, struct sl_ofp_copy_field *out,
			  struct sl_ofp_error *err)
{
	int rc;

	if (a->type == OFPAT_COPY_FIELD) {
		*out = a->u.copy_field;
		return 1;
	}
	if (a->type != OFPAT_EXPERIMENTER)
		return 0;
	const uint8_t *d = a->u.experimenter.data;
	size_t n = a->u.experimenter.data_len;
	if (a->u.experimenter.experimenter == SL_OFP_NX_EXPERIMENTER &&
	    a->u.experimenter.subtype == SL_NXAST_REG_MOVE) {
		rc = read_body(d, n, 0, out);
	} else if (a->u.experimenter.experimenter == SL_OFP_ONF_EXPERIMENTER && n >= 2 &&
		   sl_rd16(d) == SL_ONF_ET_COPY_FIELD) {
		/* exp_type, 2 bytes of padding, the body, 2 more after the offsets */
		rc = n >= 4 ? read_body(d + 4, n - 4, 2, out) : -1;
	} else {
		return 0;
	}
	if (rc < 0)
		return sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_LEN, a->wire_off);
	return 1;
}

static size_t put_header(uint8_t *p, const struct sl_ofp_oxm_id *id)
{
	sl_wr32(p, id->header);
	if (id->header >> 16 != OFPXMC_EXPERIMENTER)
		return 4;
	sl_wr32(p + 4, id->experimenter);
	return 8;
}

int sl_ofp_copy_field_put(const struct sl_ofp_copy_field *cf, uint8_t version,
			  struct sl_ofp_msg *owner, struct sl_ofp_action *a)
{
	memset(a, 0, sizeof(*a));
	if (version >= OFP15_VERSION) {
		a->type = OFPAT_COPY_FIELD;
		a->u.copy_field = *cf;
		return 0;
	}
	/* ONF form: action header (8) + exp_type, pad, n_bits, offsets, pad
	 * (12) + the headers, padded so the action is a multiple of 8 */
	uint8_t body[12 + 16 + 8];
	size_t at = 12;
	memset(body, 0, sizeof(body));
	sl_wr16(body, SL_ONF_ET_COPY_FIELD);
	sl_wr16(body + 4, cf->n_bits);
	sl_wr16(body + 6, cf->src_offset);
	sl_wr16(body + 8, cf->dst_offset);
	at += put_header(body + at, &cf->src);
	at += put_header(body + at, &cf->dst);
	at += (8 - (8 + at) % 8) % 8;
	uint8_t *copy = sl_ofp_msg_alloc(owner, at);
	if (copy == NULL)
		return -1;
	memcpy(copy, body, at);
	a->type = OFPAT_EXPERIMENTER;
	a->u.experimenter.experimenter = SL_OFP_ONF_EXPERIMENTER;
	a->u.experimenter.data = copy;
	a->u.experimenter.data_len = (uint32_t)at;
	return 0;
}
