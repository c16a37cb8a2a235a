/* Minimal JSON reader for the tests: flattens a document into sorted
 * "path=value" lines, the same shape sl_ofp_dump() prints, so a decoded
 * message can be compared with os-ken's JSON twin line by line. */
#include "sl_json_flat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jparser {
	const char *p, *end;
	char path[1024];
	size_t path_len;
	struct sl_lines *out;
	int error;
};

void sl_lines_add(struct sl_lines *l, const char *line)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = strdup(line);
}

void sl_lines_free(struct sl_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sl_lines_sort(struct sl_lines *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

static void skip_ws(struct jparser *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

static void emit(struct jparser *j, const char *value)
{
	size_t n = j->path_len + strlen(value) + 2;
	char *line = malloc(n);
	snprintf(line, n, "%s=%s", j->path, value);
	sl_lines_add(j->out, line);
	free(line);
}

static void put_utf8(char **o, unsigned cp)
{
	unsigned char *u = (unsigned char *)*o;
	if (cp < 0x80) {
		*u++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*u++ = (unsigned char)(0xc0 | cp >> 6);
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*u++ = (unsigned char)(0xe0 | cp >> 12);
		*u++ = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*u++ = (unsigned char)(0xf0 | cp >> 18);
		*u++ = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)u;
}

static unsigned hex4(struct jparser *j)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = j->p < j->end ? *j->p++ : 0;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			j->error = 1;
	}
	return v;
}

/* Parse a string at j->p (on the quote); returns a malloc'd UTF-8 copy. */
static char *parse_string(struct jparser *j)
{
	char *s = malloc((size_t)(j->end - j->p) * 2 + 1), *o = s;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = j->p < j->end ? *j->p++ : 0;
		switch (c) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u': {
			unsigned cp = hex4(j);
			if (cp >= 0xd800 && cp < 0xdc00 && j->p + 1 < j->end && j->p[0] == '\\' &&
			    j->p[1] == 'u') {
				j->p += 2;
				unsigned lo = hex4(j);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			put_utf8(&o, cp);
			break;
		}
		default: *o++ = c; break;
		}
	}
	if (j->p < j->end)
		j->p++;
	else
		j->error = 1;
	*o = '\0';
	return s;
}

static void parse_value(struct jparser *j);

/* Appends ".key" (object member) or "[idx]" (array element, key NULL). */
static void push(struct jparser *j, const char *key, size_t idx)
{
	char seg[256];
	if (key != NULL)
		snprintf(seg, sizeof(seg), "%s%s", j->path_len ? "." : "", key);
	else
		snprintf(seg, sizeof(seg), "[%zu]", idx);
	size_t n = strlen(seg);
	if (j->path_len + n < sizeof(j->path)) {
		memcpy(j->path + j->path_len, seg, n + 1);
		j->path_len += n;
	}
}

static void parse_container(struct jparser *j, char close)
{
	size_t saved = j->path_len, count = 0;
	j->p++;
	for (;;) {
		skip_ws(j);
		if (j->p >= j->end) {
			j->error = 1;
			return;
		}
		if (*j->p == close) {
			j->p++;
			break;
		}
		if (count) {
			if (*j->p != ',') {
				j->error = 1;
				return;
			}
			j->p++;
			skip_ws(j);
		}
		if (close == '}') {
			if (j->p >= j->end || *j->p != '"') {
				j->error = 1;
				return;
			}
			char *key = parse_string(j);
			push(j, key, 0);
			free(key);
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				j->error = 1;
				return;
			}
			j->p++;
		} else {
			push(j, NULL, count);
		}
		parse_value(j);
		j->path_len = saved;
		j->path[saved] = '\0';
		count++;
		if (j->error)
			return;
	}
	if (count == 0)
		emit(j, close == '}' ? "{}" : "[]");
}

static void parse_value(struct jparser *j)
{
	skip_ws(j);
	if (j->p >= j->end) {
		j->error = 1;
		return;
	}
	char c = *j->p;
	if (c == '{' || c == '[') {
		parse_container(j, c == '{' ? '}' : ']');
	} else if (c == '"') {
		char *s = parse_string(j);
		emit(j, s);
		free(s);
	} else {
		const char *start = j->p;
		while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' &&
		       *j->p != ' ' && *j->p != '\n' && *j->p != '\r' && *j->p != '\t')
			j->p++;
		char tok[64];
		size_t n = (size_t)(j->p - start);
		if (n == 0 || n >= sizeof(tok)) {
			j->error = 1;
			return;
		}
		memcpy(tok, start, n);
		tok[n] = '\0';
		if (strcmp(tok, "true") == 0)
			emit(j, "1");
		else if (strcmp(tok, "false") == 0)
			emit(j, "0");
		else
			emit(j, tok);
	}
}

int sl_json_flatten(const char *text, size_t len, struct sl_lines *out)
{
	struct jparser j = { .p = text, .end = text + len, .out = out };
	parse_value(&j);
	return j.error ? -1 : 0;
}
