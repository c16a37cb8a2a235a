/* Reassembly of multipart messages sent in several parts (OF1.3 7.3.5). */
#include <string.h>

#include "sl_ofp_desc.h"
#include "sl_ofp_multipart.h"

#define SL_MP_DEFAULT_MAX (16u << 20)

void sl_ofp_mp_reasm_init(struct sl_ofp_mp_reasm *r, size_t max_bytes)
{
	memset(r, 0, sizeof(*r));
	r->max_bytes = max_bytes ? max_bytes : SL_MP_DEFAULT_MAX;
}

void sl_ofp_mp_reasm_clear(struct sl_ofp_mp_reasm *r)
{
	if (r->active)
		sl_ofp_msg_free(&r->acc);
	size_t max = r->max_bytes;
	sl_ofp_mp_reasm_init(r, max);
}

static void get_body(const struct sl_ofp_msg *m, const struct sl_ofp_field *f, uint8_t **items,
		     uint32_t *n)
{
	memcpy(items, (const uint8_t *)m + f->coff, sizeof(*items));
	memcpy(n, (const uint8_t *)m + f->coff2, sizeof(*n));
}

static size_t elem_size(const struct sl_ofp_field *f)
{
	return f->kind == SLK_LIST ? f->sub->csize : 1;
}

/* Append @p part's body to the accumulated one. */
static int merge(struct sl_ofp_mp_reasm *r, const struct sl_ofp_field *f, struct sl_ofp_msg *part)
{
	uint8_t *a, *b;
	uint32_t na, nb;
	get_body(&r->acc, f, &a, &na);
	get_body(part, f, &b, &nb);
	size_t es = elem_size(f);
	if (nb == 0)
		return 0;
	uint8_t *joined = sl_ofp_msg_alloc(&r->acc, ((size_t)na + nb) * es);
	if (joined == NULL)
		return -1;
	if (na)
		memcpy(joined, a, (size_t)na * es);
	memcpy(joined + (size_t)na * es, b, (size_t)nb * es);
	uint32_t n = na + nb;
	memcpy((uint8_t *)&r->acc + f->coff, &joined, sizeof(joined));
	memcpy((uint8_t *)&r->acc + f->coff2, &n, sizeof(n));
	r->bytes += ((size_t)na + nb) * es;
	/* the items still point into the part's arena: keep it alive */
	sl_ofp_msg_adopt(&r->acc, part);
	return 0;
}

static int fail_clear(struct sl_ofp_mp_reasm *r, struct sl_ofp_msg *part,
		      struct sl_ofp_error *err, uint16_t code)
{
	sl_ofp_msg_free(part);
	sl_ofp_mp_reasm_clear(r);
	return sl_ofp_fail(err, OFPET_BAD_REQUEST, code, 8);
}

int sl_ofp_mp_reasm_feed(struct sl_ofp_mp_reasm *r, struct sl_ofp_msg *part,
			 struct sl_ofp_msg *out, struct sl_ofp_error *err)
{
	if (part->type != OFPT_MULTIPART_REQUEST && part->type != OFPT_MULTIPART_REPLY)
		return fail_clear(r, part, err, OFPBRC_BAD_TYPE);
	bool more = part->u.multipart.flags & OFPMPF_REQ_MORE;
	if (!r->active) {
		if (!more) {
			*out = *part;
			part->arena = NULL;
			return 1;
		}
		if (sl_ofp_mp_body_field(part) == NULL)
			return fail_clear(r, part, err, OFPBRC_BAD_MULTIPART);
		r->acc = *part;
		part->arena = NULL;
		r->active = true;
		return 0;
	}
	if (part->type != r->acc.type || part->xid != r->acc.xid ||
	    part->u.multipart.type != r->acc.u.multipart.type)
		return fail_clear(r, part, err, OFPBRC_BAD_MULTIPART);
	const struct sl_ofp_field *f = sl_ofp_mp_body_field(&r->acc);
	if (merge(r, f, part) < 0)
		return fail_clear(r, part, err, OFPBRC_MULTIPART_BUFFER_OVERFLOW);
	sl_ofp_msg_free(part);
	if (r->bytes > r->max_bytes)
		return fail_clear(r, part, err, OFPBRC_MULTIPART_BUFFER_OVERFLOW);
	if (more)
		return 0;
	*out = r->acc;
	out->u.multipart.flags &= (uint16_t)~OFPMPF_REQ_MORE;
	r->active = false;
	memset(&r->acc, 0, sizeof(r->acc));
	return 1;
}
