/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Management answers (sl_mgmt_out.h): kept as lists of records until the
 * command returns, then rendered. Keeping them, rather than printing as
 * they come, is what lets text tables align their columns and lets a
 * command that fails half way answer with its error alone.
 *
 * Allocation failures set `oom`; the answer then renders as an error. A
 * command never checks them (the control lcore must not die of a report).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_mgmt_out.h"

struct cell {
	const char *key;
	char *val;
	bool num;
};

struct record {
	struct cell *cells;
	unsigned int n, cap;
};

struct list {
	const char *name;
	struct record *recs;
	unsigned int n, cap;
};

struct sl_out {
	enum sl_out_mode mode;
	bool oom;
	char *error;
	struct list *lists;
	unsigned int n_lists, cap_lists;
	char **lines;
	unsigned int n_lines, cap_lines;
};

/* Grow *arr (of *cap elements of @size) to hold n + 1. */
static bool
grow(struct sl_out *o, void **arr, unsigned int n, unsigned int *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return true;
	p = realloc(*arr, (*cap ? *cap * 2 : 8) * size);
	if (p == NULL) {
		o->oom = true;
		return false;
	}
	*arr = p;
	*cap = *cap ? *cap * 2 : 8;
	return true;
}

struct sl_out *
sl_out_new(enum sl_out_mode mode)
{
	struct sl_out *o = calloc(1, sizeof(*o));

	if (o)
		o->mode = mode;
	return o;
}

void
sl_out_free(struct sl_out *o)
{
	if (o == NULL)
		return;
	for (unsigned int l = 0; l < o->n_lists; l++) {
		for (unsigned int r = 0; r < o->lists[l].n; r++) {
			for (unsigned int c = 0; c < o->lists[l].recs[r].n; c++)
				free(o->lists[l].recs[r].cells[c].val);
			free(o->lists[l].recs[r].cells);
		}
		free(o->lists[l].recs);
	}
	for (unsigned int i = 0; i < o->n_lines; i++)
		free(o->lines[i]);
	free(o->lists);
	free(o->lines);
	free(o->error);
	free(o);
}

enum sl_out_mode
sl_out_mode(const struct sl_out *o)
{
	return o->mode;
}

void
sl_out_list(struct sl_out *o, const char *name)
{
	if (!grow(o, (void **)&o->lists, o->n_lists, &o->cap_lists, sizeof(*o->lists)))
		return;
	o->lists[o->n_lists++] = (struct list){ .name = name };
}

void
sl_out_record(struct sl_out *o)
{
	struct list *l;

	if (o->n_lists == 0)
		sl_out_list(o, "records");
	if (o->n_lists == 0)
		return;
	l = &o->lists[o->n_lists - 1];
	if (grow(o, (void **)&l->recs, l->n, &l->cap, sizeof(*l->recs)))
		l->recs[l->n++] = (struct record){ 0 };
}

static void
add_cell(struct sl_out *o, const char *key, char *val, bool num)
{
	struct record *r;

	if (val == NULL) {
		o->oom = true;
		return;
	}
	if (o->n_lists == 0 || o->lists[o->n_lists - 1].n == 0)
		sl_out_record(o);
	if (o->n_lists == 0 || o->lists[o->n_lists - 1].n == 0) {
		free(val);
		return;
	}
	r = &o->lists[o->n_lists - 1].recs[o->lists[o->n_lists - 1].n - 1];
	if (!grow(o, (void **)&r->cells, r->n, &r->cap, sizeof(*r->cells))) {
		free(val);
		return;
	}
	r->cells[r->n++] = (struct cell){ .key = key, .val = val, .num = num };
}

static char *
vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

void
sl_out_str(struct sl_out *o, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_cell(o, key, vfmt(fmt, ap), false);
	va_end(ap);
}

void
sl_out_u64(struct sl_out *o, const char *key, uint64_t v)
{
	char *s = NULL;

	add_cell(o, key, asprintf(&s, "%llu", (unsigned long long)v) < 0 ? NULL : s, true);
}

void
sl_out_i64(struct sl_out *o, const char *key, int64_t v)
{
	char *s = NULL;

	add_cell(o, key, asprintf(&s, "%lld", (long long)v) < 0 ? NULL : s, true);
}

void
sl_out_fixed(struct sl_out *o, const char *key, double v, int decimals)
{
	char *s = NULL;

	if (decimals < 0 || decimals > 6)
		decimals = 1;
	add_cell(o, key, asprintf(&s, "%.*f", decimals, v) < 0 ? NULL : s, true);
}

void
sl_out_line(struct sl_out *o, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vfmt(fmt, ap);
	va_end(ap);
	if (s == NULL) {
		o->oom = true;
		return;
	}
	if (!grow(o, (void **)&o->lines, o->n_lines, &o->cap_lines, sizeof(*o->lines))) {
		free(s);
		return;
	}
	o->lines[o->n_lines++] = s;
}

int
sl_out_error(struct sl_out *o, const char *fmt, ...)
{
	va_list ap;

	free(o->error);
	va_start(ap, fmt);
	o->error = vfmt(fmt, ap);
	va_end(ap);
	if (o->error == NULL)
		o->oom = true;
	return -1;
}

/* ------------------------------------------------------- render ---- */

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void
sb_pad(struct sbuf *b, const char *s, size_t width)
{
	size_t n = strlen(s);

	sb_add(b, s, n);
	while (n++ < width)
		sb_add(b, " ", 1);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void
sb_json_str(struct sbuf *b, const char *s)
{
	sb_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			sb_add(b, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			sb_add(b, esc, 6);
		} else {
			sb_add(b, (const char *)&c, 1);
		}
	}
	sb_add(b, "\"", 1);
}

static void
render_json(const struct sl_out *o, struct sbuf *b)
{
	sb_str(b, "{");
	for (unsigned int l = 0; l < o->n_lists; l++) {
		const struct list *li = &o->lists[l];

		sb_str(b, l ? ", " : "");
		sb_json_str(b, li->name);
		sb_str(b, ": [");
		for (unsigned int r = 0; r < li->n; r++) {
			sb_str(b, r ? ", {" : "{");
			for (unsigned int c = 0; c < li->recs[r].n; c++) {
				const struct cell *ce = &li->recs[r].cells[c];

				sb_str(b, c ? ", " : "");
				sb_json_str(b, ce->key);
				sb_str(b, ": ");
				if (ce->num)
					sb_str(b, ce->val);
				else
					sb_json_str(b, ce->val);
			}
			sb_str(b, "}");
		}
		sb_str(b, "]");
	}
	if (o->n_lines) {
		sb_str(b, o->n_lists ? ", \"lines\": [" : "\"lines\": [");
		for (unsigned int i = 0; i < o->n_lines; i++) {
			sb_str(b, i ? ", " : "");
			sb_json_str(b, o->lines[i]);
		}
		sb_str(b, "]");
	}
	sb_str(b, "}\n");
}

/* One table: title, header of the first record's keys, aligned rows. A
 * later record's cell goes under the column of its key (blank if none). */
static void
render_table(const struct list *li, struct sbuf *b)
{
	const struct record *first = li->n ? &li->recs[0] : NULL;
	unsigned int nc = first ? first->n : 0;
	size_t w[64];

	if (li->n == 0)
		return;
	if (nc > 64)
		nc = 64;
	for (unsigned int c = 0; c < nc; c++)
		w[c] = strlen(first->cells[c].key);
	for (unsigned int r = 0; r < li->n; r++)
		for (unsigned int c = 0; c < li->recs[r].n && c < nc; c++)
			if (strlen(li->recs[r].cells[c].val) > w[c])
				w[c] = strlen(li->recs[r].cells[c].val);
	for (unsigned int c = 0; c < nc; c++) {
		sb_pad(b, first->cells[c].key, c + 1 < nc ? w[c] + 2 : 0);
	}
	sb_str(b, "\n");
	for (unsigned int r = 0; r < li->n; r++) {
		for (unsigned int c = 0; c < nc; c++) {
			const char *v = c < li->recs[r].n ? li->recs[r].cells[c].val : "";

			sb_pad(b, v, c + 1 < nc ? w[c] + 2 : 0);
		}
		sb_str(b, "\n");
	}
}

static void
render_text(const struct sl_out *o, struct sbuf *b)
{
	for (unsigned int l = 0; l < o->n_lists; l++) {
		if (o->n_lists > 1 || o->n_lines) {
			sb_str(b, l ? "\n" : "");
			sb_str(b, o->lists[l].name);
			sb_str(b, ":\n");
		}
		render_table(&o->lists[l], b);
	}
	for (unsigned int i = 0; i < o->n_lines; i++) {
		sb_str(b, i == 0 && o->n_lists ? "\n" : "");
		sb_str(b, o->lines[i]);
		sb_str(b, "\n");
	}
}

char *
sl_out_render(const struct sl_out *o, size_t *len)
{
	struct sbuf b = { 0 };

	if (o->oom) {
		sb_str(&b, "ERROR out of memory while answering\n");
	} else if (o->error) {
		sb_str(&b, "ERROR ");
		for (const char *s = o->error; *s; s++) /* one line */
			sb_add(&b, *s == '\n' ? " " : s, 1);
		sb_str(&b, "\n");
	} else {
		sb_str(&b, "OK\n");
		if (o->mode == SL_OUT_JSON)
			render_json(o, &b);
		else
			render_text(o, &b);
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}
