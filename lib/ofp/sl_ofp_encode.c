/* Table-driven encoder; the same walk also produces the flat dump, so what
 * is printed is exactly what is put on the wire. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_ofp_desc.h"
#include "sl_ofp_wire.h"

#define SL_OFP_MAX_DEPTH 16

static uint64_t ld_int(const void *obj, uint16_t coff, size_t size)
{
	const uint8_t *src = (const uint8_t *)obj + coff;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	switch (size) {
	case 1: memcpy(&u8, src, 1); return u8;
	case 2: memcpy(&u16, src, 2); return u16;
	case 4: memcpy(&u32, src, 4); return u32;
	default: memcpy(&u64, src, 8); return u64;
	}
}

static const void *ld_ptr(const void *obj, uint16_t coff)
{
	const void *p;
	memcpy(&p, (const uint8_t *)obj + coff, sizeof(p));
	return p;
}

const struct sl_ofp_type *sl_ofp_resolve(const struct sl_ofp_type *t, const void *obj)
{
	while (t != NULL && t->var != NULL) {
		const struct sl_ofp_variants *v = t->var;
		uint32_t tag = (uint32_t)ld_int(obj, v->tag_coff, v->tag_size);
		const struct sl_ofp_type *leaf = v->fallback;
		for (uint16_t i = 0; i < v->n; i++)
			if (v->v[i].tag == tag) {
				leaf = v->v[i].type;
				break;
			}
		t = leaf;
	}
	return t;
}

/* ---------------- dump helpers ---------------- */

static void path_push(struct sl_ofp_enc *e, const char *fmt, ...)
{
	size_t room = sizeof(e->path) - e->path_len;
	if (e->path_len && room > 1) {
		e->path[e->path_len++] = '.';
		room--;
	}
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->path + e->path_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		e->path_len += (size_t)n < room ? (size_t)n : room - 1;
}

static void path_pop(struct sl_ofp_enc *e, size_t saved)
{
	e->path_len = saved;
	e->path[saved] = '\0';
}

void sl_ofp_enc_line(struct sl_ofp_enc *e, const char *name, const char *value)
{
	if (e->dump == NULL)
		return;
	char line[2048];
	if (name != NULL)
		snprintf(line, sizeof(line), "%s.%s=%s", e->path, name, value);
	else
		snprintf(line, sizeof(line), "%s=%s", e->path, value);
	e->dump(e->dump_arg, line);
}

/* The line_* helpers format only when dumping: encode must not pay for it. */
static void line_u64(struct sl_ofp_enc *e, const char *name, uint64_t v)
{
	if (e->dump == NULL)
		return;
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	sl_ofp_enc_line(e, name, buf);
}

static void line_index_u64(struct sl_ofp_enc *e, const char *name, uint32_t i, uint64_t v)
{
	if (e->dump == NULL)
		return;
	char key[128];
	snprintf(key, sizeof(key), "%s[%" PRIu32 "]", name, i);
	line_u64(e, key, v);
}

static void line_base64(struct sl_ofp_enc *e, const char *name, const uint8_t *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	if (e->dump == NULL)
		return;
	char *s = malloc(n / 3 * 4 + 8);
	if (s == NULL)
		return;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		s[o++] = tab[v >> 18 & 63];
		s[o++] = tab[v >> 12 & 63];
		s[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		s[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	s[o] = '\0';
	sl_ofp_enc_line(e, name, s);
	free(s);
}

/* ---------------- encode ---------------- */

static int put(struct sl_ofp_enc *e, const void *src, size_t n)
{
	if (sl_ofp_buf_ensure(e->out, n) < 0)
		return -ENOMEM;
	if (src != NULL)
		memcpy(e->out->data + e->out->len, src, n);
	else
		memset(e->out->data + e->out->len, 0, n);
	e->out->len += n;
	return 0;
}

static int put_int(struct sl_ofp_enc *e, uint64_t v, size_t n)
{
	if (sl_ofp_buf_ensure(e->out, n) < 0)
		return -ENOMEM;
	uint8_t *w = e->out->data + e->out->len;
	switch (n) {
	case 1: w[0] = (uint8_t)v; break;
	case 2: sl_wr16(w, (uint16_t)v); break;
	case 4: sl_wr32(w, (uint32_t)v); break;
	default: sl_wr32(w, (uint32_t)(v >> 32)); sl_wr32(w + 4, (uint32_t)v); break;
	}
	e->out->len += n;
	return 0;
}

static int enc_list(struct sl_ofp_enc *e, const struct sl_ofp_field *f, const void *obj)
{
	const uint8_t *items = ld_ptr(obj, f->coff);
	uint32_t n = (uint32_t)ld_int(obj, f->coff2, 4);
	if (n && items == NULL)
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		size_t saved = e->path_len;
		if (e->dump)
			path_push(e, "%s[%" PRIu32 "]", f->name ? f->name : "_", i);
		int rc = sl_ofp_enc_obj(e, f->sub, items + (size_t)i * f->sub->csize);
		path_pop(e, saved);
		if (rc < 0)
			return rc;
	}
	if (n == 0 && f->name)
		sl_ofp_enc_line(e, f->name, "[]");
	return 0;
}

static int enc_array(struct sl_ofp_enc *e, const struct sl_ofp_field *f, const void *obj)
{
	const uint8_t *p = ld_ptr(obj, f->coff);
	uint32_t n = (uint32_t)ld_int(obj, f->coff2, 4);
	if (n && p == NULL)
		return -EINVAL;
	if (f->kind == SLK_BYTES || f->kind == SLK_U8LIST) {
		if (put(e, p, n) < 0)
			return -ENOMEM;
		if (f->name && f->kind == SLK_BYTES)
			line_base64(e, f->name, p, n);
		else if (f->name)
			for (uint32_t i = 0; i < n; i++)
				line_index_u64(e, f->name, i, p[i]);
	} else {
		const uint32_t *a = (const uint32_t *)(const void *)p;
		uint32_t k = 0;
		for (uint32_t i = 0; i < n; i++) {
			if (put_int(e, a[i], 4) < 0)
				return -ENOMEM;
			if (f->name && f->kind == SLK_U32LIST)
				line_index_u64(e, f->name, i, a[i]);
			for (uint32_t b = 0; f->name && f->kind == SLK_BITMAP && b < 32; b++)
				if (a[i] >> b & 1)
					line_index_u64(e, f->name, k++, (uint64_t)i * 32 + b);
		}
		if (f->kind == SLK_BITMAP)
			n = k;
	}
	if (n == 0 && f->name && f->kind != SLK_BYTES)
		sl_ofp_enc_line(e, f->name, "[]");
	return 0;
}

static int enc_fixed(struct sl_ofp_enc *e, const struct sl_ofp_field *f, const void *obj)
{
	const uint8_t *src = (const uint8_t *)obj + f->coff;
	char buf[300];
	switch (f->kind) {
	case SLK_U8: case SLK_U16: case SLK_U32: case SLK_U64: {
		uint64_t v = ld_int(obj, f->coff, f->wsize);
		if (f->name)
			line_u64(e, f->name, v);
		return put_int(e, v, f->wsize);
	}
	case SLK_PAD:
		return put(e, NULL, f->wsize);
	case SLK_MAC:
		if (e->dump && f->name) {
			snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", src[0], src[1],
				 src[2], src[3], src[4], src[5]);
			sl_ofp_enc_line(e, f->name, buf);
		}
		return put(e, src, 6);
	case SLK_STR:
		if (e->dump && f->name) {
			snprintf(buf, sizeof(buf), "%.*s", (int)strnlen((const char *)src, f->wsize),
				 (const char *)src);
			sl_ofp_enc_line(e, f->name, buf);
		}
		return put(e, src, f->wsize);
	case SLK_U32ARR:
		for (uint16_t k = 0; k < f->wsize / 4; k++) {
			uint64_t v = ld_int(obj, (uint16_t)(f->coff + 4 * k), 4);
			if (f->name)
				line_index_u64(e, f->name, k, v);
			if (put_int(e, v, 4) < 0)
				return -ENOMEM;
		}
		return 0;
	default: /* SLK_NULL */
		if (f->name)
			sl_ofp_enc_line(e, f->name, "null");
		return 0;
	}
}

static int enc_fields(struct sl_ofp_enc *e, const struct sl_ofp_type *t, const void *obj)
{
	struct sl_ofp_buf *out = e->out;
	size_t start = out->len, len_pos = SIZE_MAX, sub_pos = SIZE_MAX, list_start = 0;
	const char *len_name = NULL, *sub_name = NULL;
	bool named = false;
	int rc = 0;
	for (uint16_t i = 0; i < t->n_fields && rc == 0; i++) {
		const struct sl_ofp_field *f = &t->fields[i];
		named |= f->name != NULL;
		switch (f->kind) {
		case SLK_LEN: case SLK_SUBLEN:
			if (f->kind == SLK_LEN) {
				len_pos = out->len;
				len_name = f->name;
			} else {
				sub_pos = out->len;
				sub_name = f->name;
			}
			rc = put(e, NULL, 2);
			break;
		case SLK_ALIGN8:
			rc = put(e, NULL, (8 - ((out->len - start) & 7)) & 7);
			break;
		case SLK_OBJ: {
			size_t saved = e->path_len;
			if (e->dump && f->name)
				path_push(e, "%s", f->name);
			rc = sl_ofp_enc_obj(e, f->sub, (const uint8_t *)obj + f->coff);
			path_pop(e, saved);
			break;
		}
		case SLK_LIST:
			list_start = out->len;
			rc = enc_list(e, f, obj);
			if (rc == 0 && sub_pos != SIZE_MAX) {
				size_t n = out->len - list_start;
				if (n > 0xffff && e->dump == NULL)
					return -EMSGSIZE;
				sl_wr16(out->data + sub_pos, (uint16_t)n);
				if (sub_name)
					line_u64(e, sub_name, n);
				sub_pos = SIZE_MAX;
			}
			break;
		case SLK_BYTES: case SLK_U8LIST: case SLK_U32LIST: case SLK_BITMAP:
			rc = enc_array(e, f, obj);
			break;
		default:
			rc = enc_fixed(e, f, obj);
			break;
		}
	}
	if (rc < 0)
		return rc;
	if (!named && t->name)
		sl_ofp_enc_line(e, NULL, "{}");
	size_t content = out->len - start;
	if (len_pos != SIZE_MAX) {
		/* a dump may describe a reassembled message beyond 64 KiB */
		if (content > 0xffff && e->dump == NULL)
			return -EMSGSIZE;
		sl_wr16(out->data + len_pos, (uint16_t)content);
		if (len_name)
			line_u64(e, len_name, content);
	}
	if (t->span == SPAN_LEN16_PAD8)
		rc = put(e, NULL, (8 - (content & 7)) & 7);
	return rc;
}

int sl_ofp_enc_obj(struct sl_ofp_enc *e, const struct sl_ofp_type *t, const void *obj)
{
	t = sl_ofp_resolve(t, obj);
	if (t == NULL)
		return -EINVAL;
	if (e->depth >= SL_OFP_MAX_DEPTH)
		return -EINVAL;
	e->depth++;
	size_t saved = e->path_len;
	if (e->dump && t->name)
		path_push(e, "%s", t->name);
	int rc;
	if (t->custom != NULL) {
		rc = t->custom->encode(e, obj);
		if (rc == 0 && e->dump)
			t->custom->dump(e, obj);
	} else {
		rc = enc_fields(e, t, obj);
	}
	path_pop(e, saved);
	e->depth--;
	return rc;
}

/* Versions other than 1.4/1.5 use the OF1.3 layouts, as before versions
 * existed: a hello or an error in an older peer's version has the same body. */
static const struct sl_ofp_type *codec_of(const struct sl_ofp_msg *msg)
{
	const struct sl_ofp_type *codec = sl_ofp_codec_for_version(msg->version);
	return codec ? codec : &sl_ofp13_msg_type;
}

int sl_ofp_encode(const struct sl_ofp_msg *msg, struct sl_ofp_buf *out)
{
	struct sl_ofp_enc e = { .out = out, .version = msg->version };
	size_t start = out->len;
	int rc = sl_ofp_enc_obj(&e, codec_of(msg), msg);
	if (rc < 0)
		out->len = start;
	return rc;
}

int sl_ofp_dump(const struct sl_ofp_msg *msg, sl_ofp_dump_fn fn, void *arg)
{
	struct sl_ofp_buf scratch = { 0 };
	struct sl_ofp_enc e = { .out = &scratch, .dump = fn, .dump_arg = arg,
				.version = msg->version };
	int rc = sl_ofp_enc_obj(&e, codec_of(msg), msg);
	sl_ofp_buf_free(&scratch);
	return rc;
}

/* ---------------- multipart split ---------------- */

/* The list field holding a multipart body, if the message has one. */
static const struct sl_ofp_field *mp_body_list(const struct sl_ofp_msg *msg)
{
	if (msg->type != OFPT_MULTIPART_REQUEST && msg->type != OFPT_MULTIPART_REPLY)
		return NULL;
	const struct sl_ofp_type *leaf = sl_ofp_resolve(codec_of(msg), msg);
	if (leaf == NULL || leaf->n_fields == 0)
		return NULL;
	const struct sl_ofp_field *f = &leaf->fields[leaf->n_fields - 1];
	return f->kind == SLK_LIST || f->kind == SLK_BYTES ? f : NULL;
}

const struct sl_ofp_field *sl_ofp_mp_body_field(const struct sl_ofp_msg *msg)
{
	return mp_body_list(msg);
}

static void set_list(struct sl_ofp_msg *m, const struct sl_ofp_field *f, const void *items,
		     uint32_t n)
{
	memcpy((uint8_t *)m + f->coff, &items, sizeof(items));
	memcpy((uint8_t *)m + f->coff2, &n, sizeof(n));
}

int sl_ofp_encode_multipart(const struct sl_ofp_msg *msg, struct sl_ofp_buf *out,
			    size_t max_len)
{
	if (max_len == 0 || max_len > SL_OFP_MAX_MSG_LEN)
		max_len = SL_OFP_MAX_MSG_LEN;
	const struct sl_ofp_field *f = mp_body_list(msg);
	if (f == NULL || f->kind != SLK_LIST) {
		int rc = sl_ofp_encode(msg, out);
		return rc < 0 ? rc : 1;
	}
	const uint8_t *items = ld_ptr(msg, f->coff);
	uint32_t n = (uint32_t)ld_int(msg, f->coff2, 4);
	struct sl_ofp_msg part = *msg;
	struct sl_ofp_buf scratch = { 0 };
	struct sl_ofp_enc e = { .out = &scratch, .version = msg->version };
	set_list(&part, f, items, 0);
	int rc = sl_ofp_enc_obj(&e, codec_of(msg), &part);
	size_t hdr = scratch.len, start = out->len;
	int parts = 0;
	uint32_t i = 0;
	while (rc == 0) {
		size_t size = hdr;
		uint32_t j = i;
		while (j < n) {
			scratch.len = 0;
			rc = sl_ofp_enc_obj(&e, f->sub, items + (size_t)j * f->sub->csize);
			if (rc < 0 || size + scratch.len > max_len)
				break;
			size += scratch.len;
			j++;
		}
		if (rc == 0 && j == i && n > 0)
			rc = -EMSGSIZE; /* a single item does not fit */
		if (rc < 0)
			break;
		/* an empty list may have no array at all: no arithmetic on NULL */
		set_list(&part, f, n ? items + (size_t)i * f->sub->csize : items, j - i);
		part.u.multipart.flags = (uint16_t)(msg->u.multipart.flags |
						    (j < n ? OFPMPF_REPLY_MORE : 0));
		rc = sl_ofp_encode(&part, out);
		parts++;
		i = j;
		if (i >= n)
			break;
	}
	sl_ofp_buf_free(&scratch);
	if (rc < 0) {
		out->len = start;
		return rc;
	}
	return parts;
}
