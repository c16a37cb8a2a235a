/* Table-driven decode / encode / dump engine (see sl_ofp_desc.h). */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openflow_v14.h"
#include "sl_ofp_desc.h"
#include "sl_ofp_v14.h"
#include "sl_ofp_wire.h"

/* Nesting bound: the deepest legal OF1.3 object (action in instruction in
 * flow stats in a reply) is 6 levels; anything deeper is an attack. */
#define SL_OFP_MAX_DEPTH 16

/* ---------------- arena ---------------- */

struct sl_ofp_arena {
	struct sl_ofp_arena *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

/* Chunk size: header plus chunk stay within glibc's tcache range (requests
 * up to 1032 bytes). A 4 KiB chunk went through the large-request path,
 * which consolidates the fastbins on every call: one message = one such
 * malloc, about 5 % of a flow-mod's cost. Bigger decodes chain chunks. */
#define SL_ARENA_CHUNK (1024 - sizeof(struct sl_ofp_arena))

void *sl_ofp_msg_alloc(struct sl_ofp_msg *msg, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	struct sl_ofp_arena *a = msg->arena;
	if (a == NULL || a->cap - a->used < size) {
		size_t cap = size > SL_ARENA_CHUNK ? size : SL_ARENA_CHUNK;
		struct sl_ofp_arena *n = malloc(sizeof(*n) + cap);
		if (n == NULL)
			return NULL;
		n->used = 0;
		n->cap = cap;
		if (a != NULL && size > SL_ARENA_CHUNK) {
			/* big one-off block: keep the current chunk open for small ones */
			n->next = a->next;
			a->next = n;
		} else {
			n->next = a;
			msg->arena = n;
		}
		a = n;
	}
	void *p = a->data + a->used;
	a->used += size;
	memset(p, 0, size);
	return p;
}

void sl_ofp_msg_free(struct sl_ofp_msg *msg)
{
	struct sl_ofp_arena *a = msg->arena;
	while (a != NULL) {
		struct sl_ofp_arena *next = a->next;
		free(a);
		a = next;
	}
	msg->arena = NULL;
}

/** Move every arena chunk of @p from into @p to (used by reassembly). */
void sl_ofp_msg_adopt(struct sl_ofp_msg *to, struct sl_ofp_msg *from)
{
	struct sl_ofp_arena *a = from->arena;
	if (a == NULL)
		return;
	struct sl_ofp_arena *last = a;
	while (last->next != NULL)
		last = last->next;
	/* append behind the current head so the head chunk keeps serving allocs */
	if (to->arena == NULL) {
		to->arena = a;
	} else {
		last->next = to->arena->next;
		to->arena->next = a;
	}
	from->arena = NULL;
}

void sl_ofp_msg_init(struct sl_ofp_msg *msg, uint8_t type, uint32_t xid)
{
	memset(msg, 0, sizeof(*msg));
	msg->version = OFP_VERSION;
	msg->type = type;
	msg->xid = xid;
}

void *sl_ofp_dec_alloc(struct sl_ofp_dec *d, size_t size)
{
	return sl_ofp_msg_alloc(d->msg, size);
}

/* ---------------- buffer ---------------- */

int sl_ofp_buf_reserve(struct sl_ofp_buf *b, size_t more)
{
	if (b->cap - b->len >= more)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < more)
		cap *= 2;
	uint8_t *n = realloc(b->data, cap);
	if (n == NULL)
		return -ENOMEM;
	b->data = n;
	b->cap = cap;
	return 0;
}

void sl_ofp_buf_free(struct sl_ofp_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}

/* ---------------- decode ---------------- */

static int dec_fail(struct sl_ofp_dec *d, const struct sl_ofp_error *e, const uint8_t *at)
{
	return sl_ofp_fail(d->err, e->type, e->code, (size_t)(at - d->base));
}

static const struct sl_ofp_type *find_variant(const struct sl_ofp_variants *v, uint32_t tag)
{
	for (uint16_t i = 0; i < v->n; i++)
		if (v->v[i].tag == tag)
			return v->v[i].type;
	return v->fallback;
}

static uint32_t rd_tag(const uint8_t *p, uint8_t size)
{
	return size == 1 ? p[0] : size == 2 ? sl_rd16(p) : sl_rd32(p);
}

/* Fixed-size big-endian load (sizes 1, 2, 4, 8): the hot path of decode. */
static inline uint64_t rd_be(const uint8_t *p, uint16_t size)
{
	switch (size) {
	case 1: return p[0];
	case 2: return sl_rd16(p);
	case 4: return sl_rd32(p);
	default: return sl_rd64(p);
	}
}

static void st_int(void *obj, uint16_t coff, uint8_t size, uint64_t v)
{
	uint8_t *dst = (uint8_t *)obj + coff;
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;
	switch (size) {
	case 1: memcpy(dst, &u8, 1); break;
	case 2: memcpy(dst, &u16, 2); break;
	case 4: memcpy(dst, &u32, 4); break;
	default: memcpy(dst, &v, 8); break;
	}
}


/* Decode a LIST field: elements of @p sub packed in [c, bound). */
static int dec_list(struct sl_ofp_dec *d, const struct sl_ofp_field *f, const uint8_t *c,
		    const uint8_t *bound, void *obj)
{
	size_t csize = f->sub->csize, n = 0, cap = 0;
	uint8_t *items = NULL;
	while (c < bound) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			uint8_t *t = sl_ofp_dec_alloc(d, ncap * csize);
			if (t == NULL)
				return sl_ofp_fail(d->err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
						   (size_t)(c - d->base));
			if (n)
				memcpy(t, items, n * csize);
			items = t;
			cap = ncap;
		}
		long r = sl_ofp_dec_obj(d, f->sub, c, (size_t)(bound - c), items + n * csize);
		if (r < 0)
			return -1;
		if (r == 0) /* cannot happen with sane tables; never loop forever */
			return dec_fail(d, &f->sub->err_len, c);
		c += r;
		n++;
	}
	memcpy((uint8_t *)obj + f->coff, &items, sizeof(items));
	uint32_t n32 = (uint32_t)n;
	memcpy((uint8_t *)obj + f->coff2, &n32, sizeof(n32));
	return 0;
}

/* Copy [c, end) as an array of @p elem-byte big-endian integers. */
static int dec_array(struct sl_ofp_dec *d, const struct sl_ofp_type *t,
		     const struct sl_ofp_field *f, const uint8_t *c, const uint8_t *end,
		     void *obj, size_t elem)
{
	size_t bytes = (size_t)(end - c);
	if (bytes % elem)
		return dec_fail(d, &t->err_len, c);
	size_t n = bytes / elem;
	void *arr = NULL;
	if (n) {
		arr = sl_ofp_dec_alloc(d, bytes);
		if (arr == NULL)
			return dec_fail(d, &t->err_len, c);
		if (elem == 1) {
			memcpy(arr, c, bytes);
		} else {
			uint32_t *a32 = arr;
			for (size_t i = 0; i < n; i++)
				a32[i] = sl_rd32(c + 4 * i);
		}
	}
	memcpy((uint8_t *)obj + f->coff, &arr, sizeof(arr));
	uint32_t n32 = (uint32_t)n;
	memcpy((uint8_t *)obj + f->coff2, &n32, sizeof(n32));
	return 0;
}

/* Work out the wire extent of object @p t at @p p; -1 on a bad length. */
static long dec_span(struct sl_ofp_dec *d, const struct sl_ofp_type *t, const uint8_t *p,
		     size_t avail, size_t *content)
{
	size_t len;
	switch (t->span) {
	case SPAN_FIXED:
		if (avail < t->min_len)
			return dec_fail(d, &t->err_len, p);
		*content = t->min_len;
		return t->min_len;
	case SPAN_REST:
		if (avail < t->min_len)
			return dec_fail(d, &t->err_len, p);
		*content = avail;
		return (long)avail;
	default:
		if (avail < (size_t)t->len_off + 2)
			return dec_fail(d, &t->err_len, p);
		len = sl_rd16(p + t->len_off);
		if (len < t->min_len || len > avail)
			return dec_fail(d, &t->err_len, p + t->len_off);
		*content = len;
		if (t->span == SPAN_LEN16_PAD8) {
			size_t padded = (len + 7) & ~(size_t)7;
			if (padded > avail)
				return dec_fail(d, &t->err_len, p + t->len_off);
			return (long)padded;
		}
		return (long)len;
	}
}

static int dec_fields(struct sl_ofp_dec *d, const struct sl_ofp_type *t, const uint8_t *p,
		      const uint8_t *end, void *obj)
{
	const uint8_t *c = p;
	long sublen = -1;
	const uint8_t *sublen_at = p;
	for (uint16_t i = 0; i < t->n_fields; i++) {
		const struct sl_ofp_field *f = &t->fields[i];
		size_t left = (size_t)(end - c);
		uint8_t *dst = (uint8_t *)obj + f->coff;
		switch (f->kind) {
		case SLK_U8: case SLK_U16: case SLK_U32: case SLK_U64:
			if (left < f->wsize)
				return dec_fail(d, &t->err_len, c);
			st_int(obj, f->coff, (uint8_t)f->wsize, rd_be(c, f->wsize));
			c += f->wsize;
			break;
		case SLK_PAD: case SLK_LEN: case SLK_MAC: case SLK_STR: case SLK_U32ARR:
		case SLK_SUBLEN:
			if (left < f->wsize)
				return dec_fail(d, &t->err_len, c);
			if (f->kind == SLK_MAC || f->kind == SLK_STR)
				memcpy(dst, c, f->wsize);
			else if (f->kind == SLK_U32ARR)
				for (uint16_t k = 0; k < f->wsize / 4; k++)
					st_int(obj, (uint16_t)(f->coff + 4 * k), 4, sl_rd32(c + 4 * k));
			else if (f->kind == SLK_SUBLEN) {
				sublen = sl_rd16(c);
				sublen_at = c;
			}
			c += f->wsize;
			break;
		case SLK_ALIGN8: {
			size_t pad = (8 - ((size_t)(c - p) & 7)) & 7;
			if (left < pad)
				return dec_fail(d, &t->err_len, c);
			c += pad;
			break;
		}
		case SLK_OBJ: {
			long r = sl_ofp_dec_obj(d, f->sub, c, left, dst);
			if (r < 0)
				return -1;
			c += r;
			break;
		}
		case SLK_LIST: {
			const uint8_t *bound = end;
			if (sublen >= 0) {
				if ((size_t)sublen > left)
					return dec_fail(d, &t->err_len, sublen_at);
				bound = c + sublen;
				sublen = -1;
			}
			if (dec_list(d, f, c, bound, obj) < 0)
				return -1;
			c = bound;
			break;
		}
		case SLK_BYTES: case SLK_U8LIST:
			if (dec_array(d, t, f, c, end, obj, 1) < 0)
				return -1;
			c = end;
			break;
		case SLK_U32LIST: case SLK_BITMAP:
			if (dec_array(d, t, f, c, end, obj, 4) < 0)
				return -1;
			c = end;
			break;
		default: /* SLK_NULL */
			break;
		}
	}
	if (c != end)
		return dec_fail(d, &t->err_len, c);
	return 0;
}

long sl_ofp_dec_obj(struct sl_ofp_dec *d, const struct sl_ofp_type *t, const uint8_t *p,
		    size_t avail, void *obj)
{
	uint16_t pos_coff = t->pos_coff;
	while (t->var != NULL) {
		const struct sl_ofp_variants *v = t->var;
		if (avail < (size_t)v->tag_off + v->tag_size)
			return dec_fail(d, &t->err_len, p);
		const struct sl_ofp_type *leaf = find_variant(v, rd_tag(p + v->tag_off, v->tag_size));
		if (leaf == NULL)
			return dec_fail(d, &v->err_type, p + v->tag_off);
		t = leaf;
	}
	if (pos_coff)
		st_int(obj, pos_coff, 2, (uint64_t)(p - d->base));
	if (t->custom != NULL)
		return t->custom->decode(d, p, avail, obj);
	if (++d->depth > SL_OFP_MAX_DEPTH)
		return dec_fail(d, &t->err_len, p);
	size_t content = 0;
	long span = dec_span(d, t, p, avail, &content);
	if (span >= 0 && dec_fields(d, t, p, p + content, obj) < 0)
		span = -1;
	d->depth--;
	return span;
}

long sl_ofp_frame_len(const uint8_t *buf, size_t avail)
{
	if (avail < OFP_HEADER_SIZE)
		return 0;
	uint16_t len = sl_rd16(buf + 2);
	return len < OFP_HEADER_SIZE ? -1 : len;
}

/* One codec per wire version.  Hello bodies are the same in every version
 * that has one, so an unknown version's hello uses the OF1.3 layout. */
const struct sl_ofp_type *sl_ofp_codec_for_version(uint8_t version)
{
	switch (version) {
	case OFP13_VERSION: return &sl_ofp13_msg_type;
	case OFP14_VERSION: return &sl_ofp14_msg_type;
	case OFP15_VERSION: return &sl_ofp15_msg_type;
	default: return NULL;
	}
}

int sl_ofp_decode(const uint8_t *buf, size_t len, struct sl_ofp_msg *msg,
		  struct sl_ofp_error *err)
{
	memset(msg, 0, sizeof(*msg));
	if (len < OFP_HEADER_SIZE)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 0);
	if (sl_rd16(buf + 2) != len)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 2);
	const struct sl_ofp_type *codec = sl_ofp_codec_for_version(buf[0]);
	if (codec == NULL) {
		if (buf[1] != OFPT_HELLO)
			return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION, 0);
		codec = &sl_ofp13_msg_type;
	}
	struct sl_ofp_dec d = { .base = buf, .msg = msg, .err = err, .depth = 0 };
	if (sl_ofp_dec_obj(&d, codec, buf, len, msg) < 0) {
		sl_ofp_msg_free(msg);
		if (buf[1] != OFPT_HELLO || buf[0] >= OFP_VERSION)
			return -1;
		/* OF1.0-1.2 hello bodies carry no elements and must be ignored:
		 * keep the header so negotiation can still pick a version */
		memset(msg, 0, sizeof(*msg));
		msg->version = buf[0];
		msg->type = OFPT_HELLO;
		msg->xid = sl_rd32(buf + 4);
	}
	sl_ofp_v14_normalise(msg);
	return 0;
}
