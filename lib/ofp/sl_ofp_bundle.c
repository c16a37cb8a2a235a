/* SPDX-License-Identifier: BSD-3-Clause */
/* Bundle messages in both framings (see sl_ofp_bundle.h). The body is the
 * same in both; only where it starts differs: after the 8-byte header
 * (native) or after the 16-byte experimenter header (ONF). */
#include <string.h>

#include "openflow.h"
#include "sl_ofp_bundle.h"
#include "sl_ofp_desc.h"

#define OFP_HEADER_LEN 8u
#define ONF_HEADER_LEN 16u   /* header + experimenter + exp_type */
#define BODY_FIXED 8u        /* bundle_id, type (or pad), flags */
#define ERROR_DATA_MAX 64u   /* OF1.3 7.4.4: at least 64 bytes of the request */

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

static size_t
align8(size_t n)
{
	return (n + 7u) & ~(size_t)7u;
}

int
sl_ofp_bundle_framing(const uint8_t *raw, size_t len)
{
	if (len < OFP_HEADER_LEN)
		return 0;
	if (raw[0] >= 5 && (raw[1] == SL_OFPT_BUNDLE_CONTROL || raw[1] == SL_OFPT_BUNDLE_ADD_MESSAGE))
		return SL_OFP_BUNDLE_NATIVE;
	if (raw[1] == OFPT_EXPERIMENTER && len >= ONF_HEADER_LEN &&
	    rd32(raw + 8) == SL_ONF_EXPERIMENTER_ID &&
	    (rd32(raw + 12) == SL_ONFT_BUNDLE_CONTROL || rd32(raw + 12) == SL_ONFT_BUNDLE_ADD_MESSAGE))
		return SL_OFP_BUNDLE_ONF;
	return 0;
}

/* Properties: TLVs (type, length >= 4, then the value), each padded to 8. */
static int
check_props(const struct sl_ofp_bundle *b, const uint8_t *raw, size_t off, size_t len,
	    struct sl_ofp_error *err)
{
	uint16_t et = b->version >= 5 ? SL_OFPET_BAD_PROPERTY : OFPET_BAD_REQUEST;
	uint16_t ec = b->version >= 5 ? SL_OFPBPC_BAD_LEN : OFPBRC_BAD_LEN;

	while (off < len) {
		size_t plen;

		if (len - off < 4)
			return sl_ofp_fail(err, et, ec, off);
		plen = rd16(raw + off + 2);
		if (plen < 4 || align8(plen) > len - off)
			return sl_ofp_fail(err, et, ec, off + 2);
		off += align8(plen);
	}
	return 0;
}

int
sl_ofp_bundle_decode(const uint8_t *raw, size_t len, struct sl_ofp_bundle *out,
		     struct sl_ofp_error *err)
{
	int framing = sl_ofp_bundle_framing(raw, len);
	size_t body, off;

	memset(out, 0, sizeof(*out));
	if (framing == 0)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE, 1);
	body = framing == SL_OFP_BUNDLE_ONF ? ONF_HEADER_LEN : OFP_HEADER_LEN;
	if (rd16(raw + 2) != len)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 2);
	if (len < body + BODY_FIXED)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 2);
	out->version = raw[0];
	out->framing = (uint8_t)framing;
	out->xid = rd32(raw + 4);
	out->is_add = framing == SL_OFP_BUNDLE_ONF ? rd32(raw + 12) == SL_ONFT_BUNDLE_ADD_MESSAGE
						   : raw[1] == SL_OFPT_BUNDLE_ADD_MESSAGE;
	out->bundle_id = rd32(raw + body);
	out->type = out->is_add ? 0 : rd16(raw + body + 4);
	out->flags = rd16(raw + body + 6);
	off = body + BODY_FIXED;
	if (out->is_add) {
		size_t end;

		if (len - off < OFP_HEADER_LEN) /* no room for its header: our length */
			return sl_ofp_fail(err, SL_OFPET_BUNDLE_FAILED,
					   SL_OFPBFC_MSG_BAD_LEN, 2);
		out->msg = raw + off;
		out->msg_len = rd16(raw + off + 2);
		end = off + out->msg_len;
		if (out->msg_len < OFP_HEADER_LEN || end > len)
			return sl_ofp_fail(err, SL_OFPET_BUNDLE_FAILED,
					   SL_OFPBFC_MSG_BAD_LEN, off + 2);
		if (end < len) {
			/* properties follow, after padding to 8 bytes */
			if (align8(end) > len)
				return sl_ofp_fail(err, SL_OFPET_BUNDLE_FAILED,
						   SL_OFPBFC_MSG_BAD_LEN, off + 2);
			out->msg_padded = align8(end) != end;
			end = align8(end);
		}
		off = end;
	}
	out->props = raw + off;
	out->props_len = len - off;
	return check_props(out, raw, off, len, err);
}

int
sl_ofp_bundle_encode(const struct sl_ofp_bundle *b, struct sl_ofp_buf *out)
{
	bool onf = b->framing == SL_OFP_BUNDLE_ONF;
	size_t body = onf ? ONF_HEADER_LEN : OFP_HEADER_LEN;
	size_t pad = 0, total;
	uint8_t *p;

	if (b->is_add && (b->msg_padded || b->props_len))
		pad = align8(b->msg_len) - b->msg_len;
	total = body + BODY_FIXED + (b->is_add ? b->msg_len + pad : 0) + b->props_len;
	if (total > 0xffff || sl_ofp_buf_ensure(out, total) != 0)
		return -1;
	p = out->data + out->len;
	memset(p, 0, total);
	p[0] = b->version;
	p[1] = (uint8_t)(onf ? OFPT_EXPERIMENTER
			     : b->is_add ? SL_OFPT_BUNDLE_ADD_MESSAGE : SL_OFPT_BUNDLE_CONTROL);
	wr16(p + 2, (uint16_t)total);
	wr32(p + 4, b->xid);
	if (onf) {
		wr32(p + 8, SL_ONF_EXPERIMENTER_ID);
		wr32(p + 12, b->is_add ? SL_ONFT_BUNDLE_ADD_MESSAGE : SL_ONFT_BUNDLE_CONTROL);
	}
	wr32(p + body, b->bundle_id);
	wr16(p + body + 4, b->is_add ? 0 : b->type);
	wr16(p + body + 6, b->flags);
	p += body + BODY_FIXED;
	if (b->is_add) {
		if (b->msg_len)
			memcpy(p, b->msg, b->msg_len);
		p += b->msg_len + pad;
	}
	if (b->props_len)
		memcpy(p, b->props, b->props_len);
	out->len += total;
	return 0;
}

int
sl_ofp_bundle_error(uint8_t version, uint32_t xid, uint16_t code, const uint8_t *req,
		    size_t req_len, struct sl_ofp_buf *out)
{
	bool onf = version < 5;
	size_t head = onf ? 16u : 12u;
	size_t dlen = req == NULL ? 0 : req_len < ERROR_DATA_MAX ? req_len : ERROR_DATA_MAX;
	size_t total = head + dlen;
	uint8_t *p;

	if (sl_ofp_buf_ensure(out, total) != 0)
		return -1;
	p = out->data + out->len;
	p[0] = version;
	p[1] = OFPT_ERROR;
	wr16(p + 2, (uint16_t)total);
	wr32(p + 4, xid);
	if (onf) {
		wr16(p + 8, OFPET_EXPERIMENTER);
		wr16(p + 10, (uint16_t)(SL_ONFT_BUNDLE_CONTROL + code));
		wr32(p + 12, SL_ONF_EXPERIMENTER_ID);
	} else {
		wr16(p + 8, SL_OFPET_BUNDLE_FAILED);
		wr16(p + 10, code);
	}
	if (dlen)
		memcpy(p + head, req, dlen);
	out->len += total;
	return 0;
}

const char *
sl_ofp_bundle_ctrl_name(uint16_t type)
{
	static const char *const names[] = {
		"OPEN_REQUEST", "OPEN_REPLY", "CLOSE_REQUEST", "CLOSE_REPLY",
		"COMMIT_REQUEST", "COMMIT_REPLY", "DISCARD_REQUEST", "DISCARD_REPLY",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}
