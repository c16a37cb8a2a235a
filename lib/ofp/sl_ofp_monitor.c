/* SPDX-License-Identifier: BSD-3-Clause */
/* OFPMP_FLOW_MONITOR requests and replies (sl_ofp_monitor.h). The entries
 * go through the table engine (sl_ofp_desc.h) with their own layouts; the
 * multipart header and the split of long replies are done here. */
#include <errno.h>
#include <string.h>

#include "openflow_v14.h"
#include "sl_ofp_desc.h"
#include "sl_ofp_monitor.h"
#include "sl_ofp_wire.h"

#define MP_HDR_LEN 16u         /* ofp_header + multipart type, flags, pad */
#define ONF_HDR_LEN 24u        /* ... + experimenter id and exp_type */
#define MON_REQ_FIXED 16u      /* ofp_flow_monitor_request before its match */
#define ONF_UPD_FIXED 24u      /* onf_flow_update_full before its match */
#define MP_MAX 65535u          /* one message's length field */

typedef struct sl_ofp_flow_update U;
#define BRC_LEN SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN)
#define DEF(var, ryu, minlen, C, spanmode, lenoff, err, ...)                        \
	static const struct sl_ofp_field var##_f[] = { __VA_ARGS__ };                    \
	static const struct sl_ofp_type var = {                                          \
		.name = ryu, .min_len = minlen, .csize = sizeof(C), .span = spanmode,    \
		.len_off = lenoff, .err_len = err, .fields = var##_f,                     \
		.n_fields = SL_ARRAY_LEN(var##_f) }

/* ofp_flow_update_full: 24 bytes, the match, the instructions (none unless
 * the monitor asked for OFPFMF_INSTRUCTIONS). */
DEF(upd_full, "OFPFlowUpdateFull", 32, U, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FU16(U, "event", event), FU8(U, "table_id", table_id),
    FU8(U, "reason", reason), FU16(U, "idle_timeout", idle_timeout),
    FU16(U, "hard_timeout", hard_timeout), FU16(U, "priority", priority), FPAD(4),
    FU64(U, "cookie", cookie), FOBJ(U, "match", match, sl_ofp13_match_type),
    FLIST(U, "instructions", instructions, n_instructions, sl_ofp13_instruction_type));
DEF(upd_abbrev, "OFPFlowUpdateAbbrev", 8, U, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FU16(U, "event", event), FU32(U, "xid", xid));
DEF(upd_paused, "OFPFlowUpdatePaused", 8, U, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FU16(U, "event", event), FPAD(4));
static const struct sl_ofp_variant upd_v[] = {
	{ SL_OFPFME_INITIAL, &upd_full }, { SL_OFPFME_ADDED, &upd_full },
	{ SL_OFPFME_REMOVED, &upd_full }, { SL_OFPFME_MODIFIED, &upd_full },
	{ SL_OFPFME_ABBREV, &upd_abbrev }, { SL_OFPFME_PAUSED, &upd_paused },
	{ SL_OFPFME_RESUMED, &upd_paused },
};
static const struct sl_ofp_variants upd_var = {
	.tag_off = 2, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(U, event), .v = upd_v,
	.n = SL_ARRAY_LEN(upd_v), .err_type = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE) };
static const struct sl_ofp_type update_t = { .csize = sizeof(U), .err_len = BRC_LEN,
					     .var = &upd_var };

/* ONF (OpenFlow 1.3) events, in the C structures' OF1.4 numbering. */
static const uint16_t onf_event_of[] = { SL_OFPFME_ADDED, SL_OFPFME_REMOVED,
					 SL_OFPFME_MODIFIED, SL_OFPFME_ABBREV };

static int
onf_event(uint16_t event)
{
	switch (event) {
	case SL_OFPFME_INITIAL: case SL_OFPFME_ADDED: return 0;
	case SL_OFPFME_REMOVED: return 1;
	case SL_OFPFME_MODIFIED: return 2;
	case SL_OFPFME_ABBREV: return 3;
	default: return -1; /* PAUSED / RESUMED are messages of their own */
	}
}

static bool
is_onf(const uint8_t *buf, size_t len)
{
	return len >= ONF_HDR_LEN && buf[0] == OFP13_VERSION &&
	       sl_rd16(buf + 8) == OFPMP_EXPERIMENTER && sl_rd32(buf + 16) == SL_ONF_EXPERIMENTER &&
	       sl_rd32(buf + 20) == SL_ONFMP_FLOW_MONITOR;
}

bool
sl_ofp_is_flow_monitor(const uint8_t *buf, size_t len)
{
	if (len < MP_HDR_LEN || (buf[1] != OFPT_MULTIPART_REQUEST && buf[1] != OFPT_MULTIPART_REPLY))
		return false;
	return ((buf[0] == OFP14_VERSION || buf[0] == OFP15_VERSION) &&
		sl_rd16(buf + 8) == OFPMP_FLOW_MONITOR) || is_onf(buf, len);
}

uint32_t
sl_ofp_onf_exp_type(const uint8_t *buf, size_t len)
{
	if (len < 16 || buf[1] != OFPT_EXPERIMENTER || sl_rd32(buf + 8) != SL_ONF_EXPERIMENTER)
		return 0;
	return sl_rd32(buf + 12);
}

int
sl_ofp_onf_monitor_marker(uint32_t exp_type, struct sl_ofp_buf *out)
{
	if (sl_ofp_buf_ensure(out, 16) != 0)
		return -ENOMEM;
	uint8_t *p = out->data + out->len;
	p[0] = OFP13_VERSION;
	p[1] = OFPT_EXPERIMENTER;
	sl_wr16(p + 2, 16);
	sl_wr32(p + 4, 0);
	sl_wr32(p + 8, SL_ONF_EXPERIMENTER);
	sl_wr32(p + 12, exp_type);
	out->len += 16;
	return 0;
}

/* Grow an arena-backed array by one element (doubling); NULL on ENOMEM. */
static void *
grow(struct sl_ofp_msg *arena, void *items, uint32_t n, uint32_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	uint32_t ncap = *cap ? *cap * 2 : 4;
	uint8_t *t = sl_ofp_msg_alloc(arena, (size_t)ncap * size);
	if (t == NULL)
		return NULL;
	if (n)
		memcpy(t, items, (size_t)n * size);
	*cap = ncap;
	return t;
}

static int
decode_requests(struct sl_ofp_dec *d, const uint8_t *p, const uint8_t *end,
		struct sl_ofp_flow_monitor_msg *m)
{
	uint32_t cap = 0;

	while (p < end) {
		struct sl_ofp_flow_monitor_request *r;
		size_t avail = (size_t)(end - p);

		if (avail < MON_REQ_FIXED + 8) /* the fixed part and a match's 8 */
			return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
					   (size_t)(p - d->base));
		m->requests = grow(&m->arena, m->requests, m->n_requests, &cap, sizeof(*r));
		if (m->requests == NULL)
			return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
					   (size_t)(p - d->base));
		r = &m->requests[m->n_requests++];
		r->monitor_id = sl_rd32(p);
		if (m->framing == SL_OFP_MONITOR_ONF) {
			/* id, flags, match_len (the match says it too), out_port,
			 * table_id, 3 zero bytes; no command: each one adds */
			r->flags = sl_rd16(p + 4);
			r->out_port = sl_rd32(p + 8);
			r->out_group = OFPG_ANY;
			r->table_id = p[12];
			r->command = SL_OFPFMC_ADD;
		} else {
			r->out_port = sl_rd32(p + 4);
			r->out_group = sl_rd32(p + 8);
			r->flags = sl_rd16(p + 12);
			r->table_id = p[14];
			r->command = p[15];
		}
		long span = sl_ofp_dec_obj(d, &sl_ofp13_match_type, p + MON_REQ_FIXED,
					   avail - MON_REQ_FIXED, &r->match);
		if (span < 0)
			return -1;
		p += MON_REQ_FIXED + (size_t)span;
	}
	return 0;
}

/* One ONF update at @p p (@p avail bytes) into @p u; its span or -1. */
static long
decode_onf_update(struct sl_ofp_dec *d, const uint8_t *p, size_t avail, U *u)
{
	size_t len = avail >= 4 ? sl_rd16(p) : 0;
	uint16_t ev = avail >= 4 ? sl_rd16(p + 2) : 0;
	uint32_t cap = 0;

	if (avail < 8 || len < 8 || len > avail || (len & 7))
		return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, (size_t)(p - d->base));
	if (ev >= SL_ARRAY_LEN(onf_event_of))
		return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE,
				   (size_t)(p + 2 - d->base));
	u->event = onf_event_of[ev];
	if (u->event == SL_OFPFME_ABBREV) {
		if (len != 8)
			return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
					   (size_t)(p - d->base));
		u->xid = sl_rd32(p + 4);
		return 8;
	}
	if (len < ONF_UPD_FIXED + 8)
		return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, (size_t)(p - d->base));
	u->reason = (uint8_t)sl_rd16(p + 4);
	u->priority = sl_rd16(p + 6);
	u->idle_timeout = sl_rd16(p + 8);
	u->hard_timeout = sl_rd16(p + 10);
	u->table_id = p[14];
	u->cookie = sl_rd64(p + 16);
	const uint8_t *c = p + ONF_UPD_FIXED, *end = p + len;
	long span = sl_ofp_dec_obj(d, &sl_ofp13_match_type, c, (size_t)(end - c), &u->match);
	if (span < 0)
		return -1;
	for (c += span; c < end; c += span) {
		u->instructions = grow(d->msg, u->instructions, u->n_instructions, &cap,
				       sizeof(*u->instructions));
		if (u->instructions == NULL)
			return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
					   (size_t)(c - d->base));
		span = sl_ofp_dec_obj(d, &sl_ofp13_instruction_type, c, (size_t)(end - c),
				      &u->instructions[u->n_instructions++]);
		if (span <= 0)
			return -1;
	}
	return (long)len;
}

static int
decode_updates(struct sl_ofp_dec *d, const uint8_t *p, const uint8_t *end,
	       struct sl_ofp_flow_monitor_msg *m)
{
	uint32_t cap = 0;

	while (p < end) {
		m->updates = grow(&m->arena, m->updates, m->n_updates, &cap, sizeof(U));
		if (m->updates == NULL)
			return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
					   (size_t)(p - d->base));
		U *u = &m->updates[m->n_updates++];
		memset(u, 0, sizeof(*u));
		long span = m->framing == SL_OFP_MONITOR_ONF
				    ? decode_onf_update(d, p, (size_t)(end - p), u)
				    : sl_ofp_dec_obj(d, &update_t, p, (size_t)(end - p), u);
		if (span <= 0)
			return -1;
		p += span;
	}
	return 0;
}

int
sl_ofp_flow_monitor_decode(const uint8_t *buf, size_t len, struct sl_ofp_flow_monitor_msg *out,
			   struct sl_ofp_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!sl_ofp_is_flow_monitor(buf, len))
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART, 0);
	if (sl_rd16(buf + 2) != len)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 2);
	out->version = buf[0];
	out->type = buf[1];
	out->xid = sl_rd32(buf + 4);
	out->flags = sl_rd16(buf + 10);
	out->framing = is_onf(buf, len) ? SL_OFP_MONITOR_ONF : SL_OFP_MONITOR_NATIVE;
	size_t hdr = out->framing == SL_OFP_MONITOR_ONF ? ONF_HDR_LEN : MP_HDR_LEN;
	struct sl_ofp_dec d = { .base = buf, .msg = &out->arena, .err = err, .depth = 0 };
	if (out->type == OFPT_MULTIPART_REQUEST)
		return decode_requests(&d, buf + hdr, buf + len, out);
	return decode_updates(&d, buf + hdr, buf + len, out);
}

void
sl_ofp_flow_monitor_free(struct sl_ofp_flow_monitor_msg *m)
{
	sl_ofp_msg_free(&m->arena);
	m->requests = NULL;
	m->updates = NULL;
	m->n_requests = m->n_updates = 0;
}

static size_t
hdr_len(const struct sl_ofp_flow_monitor_msg *m)
{
	return m->framing == SL_OFP_MONITOR_ONF ? ONF_HDR_LEN : MP_HDR_LEN;
}

/* Start a multipart message at out->len; its length is written when done. */
static int
put_header(struct sl_ofp_buf *out, const struct sl_ofp_flow_monitor_msg *m)
{
	size_t n = hdr_len(m);

	if (sl_ofp_buf_ensure(out, n) != 0)
		return -ENOMEM;
	uint8_t *h = out->data + out->len;
	memset(h, 0, n);
	h[0] = m->version;
	h[1] = m->type;
	sl_wr32(h + 4, m->xid);
	sl_wr16(h + 8, m->framing == SL_OFP_MONITOR_ONF ? OFPMP_EXPERIMENTER : OFPMP_FLOW_MONITOR);
	sl_wr16(h + 10, m->flags);
	if (m->framing == SL_OFP_MONITOR_ONF) {
		sl_wr32(h + 16, SL_ONF_EXPERIMENTER);
		sl_wr32(h + 20, SL_ONFMP_FLOW_MONITOR);
	}
	out->len += n;
	return 0;
}

static int
encode_request(struct sl_ofp_enc *e, const struct sl_ofp_flow_monitor_request *r, bool onf)
{
	struct sl_ofp_buf *out = e->out;
	size_t at = out->len;

	if (sl_ofp_buf_ensure(out, MON_REQ_FIXED) != 0)
		return -ENOMEM;
	uint8_t *p = out->data + out->len;
	memset(p, 0, MON_REQ_FIXED);
	sl_wr32(p, r->monitor_id);
	if (onf) {
		sl_wr16(p + 4, r->flags);
		sl_wr32(p + 8, r->out_port);
		p[12] = r->table_id;
	} else {
		sl_wr32(p + 4, r->out_port);
		sl_wr32(p + 8, r->out_group);
		sl_wr16(p + 12, r->flags);
		p[14] = r->table_id;
		p[15] = r->command;
	}
	out->len += MON_REQ_FIXED;
	int rc = sl_ofp_enc_obj(e, &sl_ofp13_match_type, &r->match);
	if (rc == 0 && onf) /* match_len: the match's own length */
		sl_wr16(out->data + at + 6, sl_rd16(out->data + at + MON_REQ_FIXED + 2));
	return rc;
}

/* onf_flow_update_full / _abbrev (OpenFlow 1.3, ONF extension). */
static int
encode_onf_update(struct sl_ofp_enc *e, const U *u)
{
	struct sl_ofp_buf *out = e->out;
	size_t at = out->len;
	int ev = onf_event(u->event), rc = 0;

	if (ev < 0)
		return -EINVAL;
	if (sl_ofp_buf_ensure(out, ONF_UPD_FIXED) != 0)
		return -ENOMEM;
	uint8_t *p = out->data + at;
	memset(p, 0, ONF_UPD_FIXED);
	sl_wr16(p + 2, (uint16_t)ev);
	if (u->event == SL_OFPFME_ABBREV) {
		sl_wr16(p, 8);
		sl_wr32(p + 4, u->xid);
		out->len += 8;
		return 0;
	}
	sl_wr16(p + 4, u->reason);
	sl_wr16(p + 6, u->priority);
	sl_wr16(p + 8, u->idle_timeout);
	sl_wr16(p + 10, u->hard_timeout);
	p[14] = u->table_id;
	sl_wr32(p + 16, (uint32_t)(u->cookie >> 32));
	sl_wr32(p + 20, (uint32_t)u->cookie);
	out->len += ONF_UPD_FIXED;
	rc = sl_ofp_enc_obj(e, &sl_ofp13_match_type, &u->match);
	for (uint32_t i = 0; rc == 0 && i < u->n_instructions; i++)
		rc = sl_ofp_enc_obj(e, &sl_ofp13_instruction_type, &u->instructions[i]);
	if (rc == 0 && out->len - at > UINT16_MAX)
		rc = -EMSGSIZE;
	if (rc != 0)
		return rc;
	sl_wr16(out->data + at, (uint16_t)(out->len - at));
	sl_wr16(out->data + at + 12, sl_rd16(out->data + at + ONF_UPD_FIXED + 2));
	return 0;
}

int
sl_ofp_flow_update_encode(const struct sl_ofp_flow_update *u, uint8_t version, uint8_t framing,
			  struct sl_ofp_buf *out)
{
	struct sl_ofp_enc e = { .out = out, .version = version };
	size_t start = out->len;
	int rc = framing == SL_OFP_MONITOR_ONF ? encode_onf_update(&e, u)
					       : sl_ofp_enc_obj(&e, &update_t, u);

	if (rc < 0)
		out->len = start;
	return rc < 0 ? rc : 0;
}

/* Close the message started at @p start: its length, REPLY_MORE if @p more. */
static void
finish(struct sl_ofp_buf *out, size_t start, bool more)
{
	sl_wr16(out->data + start + 2, (uint16_t)(out->len - start));
	if (more)
		sl_wr16(out->data + start + 10, (uint16_t)(sl_rd16(out->data + start + 10) |
							   OFPMPF_REPLY_MORE));
}

static int
encode_reply(const struct sl_ofp_flow_monitor_msg *m, struct sl_ofp_buf *out)
{
	size_t start = out->len, hdr = hdr_len(m);
	int parts = 1, rc = put_header(out, m);

	for (uint32_t i = 0; rc == 0 && i < m->n_updates; i++) {
		size_t at = out->len;

		rc = sl_ofp_flow_update_encode(&m->updates[i], m->version, m->framing, out);
		if (rc != 0)
			break;
		size_t ulen = out->len - at;
		if (ulen + hdr > MP_MAX) {
			rc = -EMSGSIZE;
			break;
		}
		if (at - start + ulen <= MP_MAX)
			continue;
		/* Over 64 KiB: this update opens the next message. */
		if (sl_ofp_buf_ensure(out, hdr) != 0) {
			rc = -ENOMEM;
			break;
		}
		memmove(out->data + at + hdr, out->data + at, ulen);
		memcpy(out->data + at, out->data + start, hdr);
		out->len = at;
		finish(out, start, true);
		start = at;
		out->len = at + hdr + ulen;
		parts++;
	}
	if (rc != 0)
		return rc;
	finish(out, start, false);
	return parts;
}

int
sl_ofp_flow_monitor_encode(const struct sl_ofp_flow_monitor_msg *m, struct sl_ofp_buf *out)
{
	size_t start = out->len;
	int rc;

	if (m->type == OFPT_MULTIPART_REPLY) {
		rc = encode_reply(m, out);
	} else {
		struct sl_ofp_enc e = { .out = out, .version = m->version };

		rc = put_header(out, m);
		for (uint32_t i = 0; rc == 0 && i < m->n_requests; i++)
			rc = encode_request(&e, &m->requests[i],
					    m->framing == SL_OFP_MONITOR_ONF);
		if (rc == 0 && out->len - start > MP_MAX)
			rc = -EMSGSIZE;
		if (rc == 0) {
			finish(out, start, false);
			rc = 1;
		}
	}
	if (rc < 0)
		out->len = start;
	return rc;
}
