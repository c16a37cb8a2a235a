/* SPDX-License-Identifier: BSD-3-Clause */
/* OpenFlow 1.5 flow-removed (sl_ofp_flow_removed15.h). */
#include <errno.h>
#include <string.h>

#include "openflow_v14.h"
#include "sl_ofp_desc.h"
#include "sl_ofp_flow_removed15.h"
#include "sl_ofp_wire.h"

#define FR15_FIXED 24u     /* header, table_id .. cookie */
#define OXS_BASIC 0x8002u  /* OFPXSC_OPENFLOW_BASIC */

/* Value bytes of OXS field @p f (the wire byte >> 1), 0 if unknown. */
static uint8_t
oxs_len(uint8_t f)
{
	switch (f) {
	case 0: case 1: case 4: case 5: return 8; /* duration, idle_time, packets, bytes */
	case 3: return 4;                         /* flow_count */
	default: return 0;
	}
}

static int
fail(struct sl_ofp_error *err, uint16_t code, size_t off)
{
	return sl_ofp_fail(err, OFPET_BAD_REQUEST, code, off);
}

/* The ofp_stats at @p p (its header and TLVs, padded to 8); its span or -1. */
static long
decode_stats(const uint8_t *base, const uint8_t *p, size_t avail,
	     struct sl_ofp15_flow_removed *out, struct sl_ofp_error *err)
{
	size_t len, padded, off = 4;

	if (avail < 8) /* no room for the stats: the message's length is wrong */
		return fail(err, OFPBRC_BAD_LEN, 2);
	len = sl_rd16(p + 2);
	padded = (len + 7) & ~(size_t)7;
	if (len < 4 || padded > avail)
		return fail(err, OFPBRC_BAD_LEN, (size_t)(p + 2 - base));
	while (off < len) {
		struct sl_ofp_oxs_stat *s;
		uint8_t f, vlen;

		if (len - off < 4 || out->n_stats == SL_OFP15_FR_MAX_STATS)
			return fail(err, OFPBRC_BAD_LEN, (size_t)(p + off - base));
		f = p[off + 2];
		vlen = p[off + 3];
		if (sl_rd16(p + off) != OXS_BASIC || (f & 1) || oxs_len(f >> 1) == 0)
			return fail(err, OFPBRC_BAD_TYPE, (size_t)(p + off - base));
		if (vlen != oxs_len(f >> 1) || len - off - 4 < vlen)
			return fail(err, OFPBRC_BAD_LEN, (size_t)(p + off + 3 - base));
		s = &out->stats[out->n_stats++];
		s->oxs_class = OXS_BASIC;
		s->field = f;
		s->length = vlen;
		s->value = vlen == 8 ? sl_rd64(p + off + 4) : sl_rd32(p + off + 4);
		off += 4u + vlen;
	}
	return (long)padded;
}

int
sl_ofp15_flow_removed_decode(const uint8_t *buf, size_t len, struct sl_ofp15_flow_removed *out,
			     struct sl_ofp_error *err)
{
	struct sl_ofp_dec d = { .base = buf, .msg = &out->arena, .err = err, .depth = 0 };
	struct sl_ofp_flow_removed *fr = &out->fr;
	long span;

	memset(out, 0, sizeof(*out));
	if (len < FR15_FIXED + 16 || buf[0] != OFP15_VERSION || buf[1] != OFPT_FLOW_REMOVED)
		return fail(err, OFPBRC_BAD_LEN, 0);
	if (sl_rd16(buf + 2) != len)
		return fail(err, OFPBRC_BAD_LEN, 2);
	out->xid = sl_rd32(buf + 4);
	fr->table_id = buf[8];
	fr->reason = buf[9];
	fr->priority = sl_rd16(buf + 10);
	fr->idle_timeout = sl_rd16(buf + 12);
	fr->hard_timeout = sl_rd16(buf + 14);
	fr->cookie = sl_rd64(buf + 16);
	span = sl_ofp_dec_obj(&d, &sl_ofp13_match_type, buf + FR15_FIXED, len - FR15_FIXED,
			      &fr->match);
	if (span < 0)
		return -1;
	size_t at = FR15_FIXED + (size_t)span;
	span = decode_stats(buf, buf + at, len - at, out, err);
	if (span < 0)
		return -1;
	if (at + (size_t)span != len)
		return fail(err, OFPBRC_BAD_LEN, at + (size_t)span);
	return 0;
}

int
sl_ofp15_flow_removed_encode(const struct sl_ofp15_flow_removed *m, struct sl_ofp_buf *out)
{
	struct sl_ofp_enc e = { .out = out, .version = OFP15_VERSION };
	const struct sl_ofp_flow_removed *fr = &m->fr;
	size_t start = out->len, st, slen = 4;
	uint8_t *p;
	int rc;

	if (m->n_stats > SL_OFP15_FR_MAX_STATS)
		return -EINVAL;
	if (sl_ofp_buf_ensure(out, FR15_FIXED) != 0)
		return -ENOMEM;
	p = out->data + start;
	memset(p, 0, FR15_FIXED);
	p[0] = OFP15_VERSION;
	p[1] = OFPT_FLOW_REMOVED;
	sl_wr32(p + 4, m->xid);
	p[8] = fr->table_id;
	p[9] = fr->reason;
	sl_wr16(p + 10, fr->priority);
	sl_wr16(p + 12, fr->idle_timeout);
	sl_wr16(p + 14, fr->hard_timeout);
	sl_wr32(p + 16, (uint32_t)(fr->cookie >> 32));
	sl_wr32(p + 20, (uint32_t)fr->cookie);
	out->len += FR15_FIXED;
	rc = sl_ofp_enc_obj(&e, &sl_ofp13_match_type, &fr->match);
	for (uint32_t i = 0; rc == 0 && i < m->n_stats; i++) {
		if (oxs_len(m->stats[i].field >> 1) != m->stats[i].length)
			rc = -EINVAL;
		slen += 4u + m->stats[i].length;
	}
	if (rc == 0 && sl_ofp_buf_ensure(out, slen + 8) != 0)
		rc = -ENOMEM;
	if (rc != 0) {
		out->len = start;
		return rc;
	}
	st = out->len;
	p = out->data + st;
	memset(p, 0, (slen + 7) & ~(size_t)7);
	sl_wr16(p + 2, (uint16_t)slen);
	p += 4;
	for (uint32_t i = 0; i < m->n_stats; i++) {
		const struct sl_ofp_oxs_stat *s = &m->stats[i];

		sl_wr16(p, OXS_BASIC);
		p[2] = s->field;
		p[3] = s->length;
		if (s->length == 8) {
			sl_wr32(p + 4, (uint32_t)(s->value >> 32));
			sl_wr32(p + 8, (uint32_t)s->value);
		} else {
			sl_wr32(p + 4, (uint32_t)s->value);
		}
		p += 4u + s->length;
	}
	out->len = st + ((slen + 7) & ~(size_t)7);
	if (out->len - start > UINT16_MAX) {
		out->len = start;
		return -EMSGSIZE;
	}
	sl_wr16(out->data + start + 2, (uint16_t)(out->len - start));
	return 0;
}

void
sl_ofp15_flow_removed_free(struct sl_ofp15_flow_removed *m)
{
	sl_ofp_msg_free(&m->arena);
}
