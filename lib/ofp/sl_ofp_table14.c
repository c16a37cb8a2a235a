/* SPDX-License-Identifier: BSD-3-Clause */
/* OFPMP_TABLE_DESC and OFPT_TABLE_STATUS (sl_ofp_table14.h). Each
 * ofp_table_desc goes through the table engine (sl_ofp_desc.h) with the
 * table-mod property layouts; the headers are written here. */
#include <errno.h>
#include <string.h>

#include "openflow_v14.h"
#include "sl_ofp_desc.h"
#include "sl_ofp_table14.h"
#include "sl_ofp_wire.h"

#define MP_HDR_LEN 16u     /* ofp_header + multipart type, flags, pad */
#define STATUS_HDR_LEN 16u /* ofp_header + reason, pad[7] */
#define DESC_FIXED 8u      /* ofp_table_desc before its properties */
#define MSG_MAX 65535u     /* one message's length field */

typedef struct sl_ofp_table_desc D;
#define BRC_LEN SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN)
static const struct sl_ofp_field tdesc_f[] = {
	FLEN("length"), FU8(D, "table_id", table_id), FPAD(1), FU32(D, "config", config),
	FLIST(D, "properties", properties, n_properties, sl_ofp14_table_prop_type),
};
static const struct sl_ofp_type tdesc_t = {
	.name = "OFPTableDesc", .min_len = DESC_FIXED, .csize = sizeof(D), .span = SPAN_LEN16,
	.len_off = 0, .err_len = BRC_LEN, .fields = tdesc_f, .n_fields = SL_ARRAY_LEN(tdesc_f) };

bool
sl_ofp_is_table14(const uint8_t *buf, size_t len)
{
	if (len < 8 || (buf[0] != OFP14_VERSION && buf[0] != OFP15_VERSION))
		return false;
	if (buf[1] == OFPT_TABLE_STATUS)
		return true;
	return len >= MP_HDR_LEN &&
	       (buf[1] == OFPT_MULTIPART_REQUEST || buf[1] == OFPT_MULTIPART_REPLY) &&
	       sl_rd16(buf + 8) == OFPMP_TABLE_DESC;
}

/* The descs from @p p to @p end; a table status must hold exactly one. */
static int
decode_descs(struct sl_ofp_dec *d, const uint8_t *p, const uint8_t *end,
	     struct sl_ofp_table14_msg *m)
{
	uint32_t cap = 0;

	while (p < end) {
		if (m->n_descs == cap) {
			uint32_t ncap = cap ? cap * 2 : 8;
			D *t = sl_ofp_msg_alloc(&m->arena, (size_t)ncap * sizeof(D));
			if (t == NULL)
				return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
						   (size_t)(p - d->base));
			if (m->n_descs)
				memcpy(t, m->descs, (size_t)m->n_descs * sizeof(D));
			m->descs = t;
			cap = ncap;
		}
		D *x = &m->descs[m->n_descs++];
		memset(x, 0, sizeof(*x));
		long span = sl_ofp_dec_obj(d, &tdesc_t, p, (size_t)(end - p), x);
		if (span <= 0)
			return -1;
		/* ofp_table_desc has no padding of its own: length is a multiple of 8 */
		if (span & 7)
			return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
					   (size_t)(p - d->base));
		p += span;
	}
	return 0;
}

int
sl_ofp_table14_decode(const uint8_t *buf, size_t len, struct sl_ofp_table14_msg *out,
		      struct sl_ofp_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!sl_ofp_is_table14(buf, len))
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART, 0);
	if (sl_rd16(buf + 2) != len)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 2);
	out->version = buf[0];
	out->type = buf[1];
	out->xid = sl_rd32(buf + 4);
	struct sl_ofp_dec d = { .base = buf, .msg = &out->arena, .err = err, .depth = 0 };
	if (out->type == OFPT_TABLE_STATUS) {
		if (len < STATUS_HDR_LEN + DESC_FIXED)
			return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 2);
		out->reason = buf[8];
		if (decode_descs(&d, buf + STATUS_HDR_LEN, buf + len, out) != 0)
			return -1;
		/* the body is one table's desc */
		return out->n_descs == 1 ? 0
					 : sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
						       STATUS_HDR_LEN);
	}
	out->flags = sl_rd16(buf + 10);
	/* the request has no body (OF1.4 7.3.5.9) */
	if (out->type == OFPT_MULTIPART_REQUEST)
		return len == MP_HDR_LEN ? 0 : sl_ofp_fail(err, OFPET_BAD_REQUEST,
							   OFPBRC_BAD_LEN, MP_HDR_LEN);
	return decode_descs(&d, buf + MP_HDR_LEN, buf + len, out);
}

void
sl_ofp_table14_free(struct sl_ofp_table14_msg *m)
{
	sl_ofp_msg_free(&m->arena);
	m->descs = NULL;
	m->n_descs = 0;
}

int
sl_ofp_table14_encode(const struct sl_ofp_table14_msg *m, struct sl_ofp_buf *out)
{
	size_t at = out->len;
	bool status = m->type == OFPT_TABLE_STATUS;
	uint32_t n = m->type == OFPT_MULTIPART_REQUEST ? 0 : m->n_descs;

	if ((!status && m->type != OFPT_MULTIPART_REQUEST && m->type != OFPT_MULTIPART_REPLY) ||
	    (status && m->n_descs != 1))
		return -EINVAL;
	if (sl_ofp_buf_ensure(out, MP_HDR_LEN) != 0)
		return -ENOMEM;
	uint8_t *h = out->data + at;
	memset(h, 0, MP_HDR_LEN); /* STATUS_HDR_LEN is the same 16 */
	h[0] = m->version;
	h[1] = m->type;
	sl_wr32(h + 4, m->xid);
	if (status) {
		h[8] = m->reason;
	} else {
		sl_wr16(h + 8, OFPMP_TABLE_DESC);
		sl_wr16(h + 10, m->flags);
	}
	out->len += MP_HDR_LEN;
	struct sl_ofp_enc e = { .out = out, .version = m->version };
	for (uint32_t i = 0; i < n; i++) {
		int rc = sl_ofp_enc_obj(&e, &tdesc_t, &m->descs[i]);
		if (rc != 0) {
			out->len = at;
			return rc;
		}
	}
	if (out->len - at > MSG_MAX) {
		out->len = at;
		return -EMSGSIZE;
	}
	sl_wr16(out->data + at + 2, (uint16_t)(out->len - at));
	return 0;
}
