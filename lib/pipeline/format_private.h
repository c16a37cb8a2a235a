/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by format.c, format_match.c and format_parse.c (sl_format.h): a
 * bounded text buffer that counts what did not fit (snprintf's contract),
 * and the value printers both the match and the actions use. */
#ifndef SL_FORMAT_PRIVATE_H
#define SL_FORMAT_PRIVATE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sl_format.h"

/* Text being written into (buf, size): len counts every byte, written or
 * not; last is the last byte appended, so that a trailing separator can be
 * taken back even when the text was cut. */
struct fb {
	char *buf;
	size_t size, len;
	char last;
};

static inline void
fb_init(struct fb *b, char *buf, size_t size)
{
	b->buf = buf;
	b->size = size;
	b->len = 0;
	b->last = '\0';
	if (size)
		buf[0] = '\0';
}

static inline void
fb_put(struct fb *b, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (b->len < b->size) {
		size_t room = b->size - b->len - 1, k = n < room ? n : room;

		memcpy(b->buf + b->len, s, k);
		b->buf[b->len + k] = '\0';
	}
	b->len += n;
	b->last = s[n - 1];
}

static inline void
fb_str(struct fb *b, const char *s)
{
	fb_put(b, s, strlen(s));
}

/* One piece of at most 255 bytes (every piece here is far shorter). */
static inline void __attribute__((format(printf, 2, 3)))
fb_add(struct fb *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		fb_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Take back a trailing @c (ovs-ofctl's ds_chomp). */
static inline void
fb_chomp(struct fb *b, char c)
{
	if (b->len == 0 || b->last != c)
		return;
	b->len--;
	if (b->len < b->size)
		b->buf[b->len] = '\0';
	b->last = b->len && b->len < b->size ? b->buf[b->len - 1] : '\0';
}

static inline int
fb_done(const struct fb *b)
{
	return b->len > (size_t)INT32_MAX ? INT32_MAX : (int)b->len;
}

/* format.c */
void fmt_port(struct fb *b, uint32_t port);
void fmt_mac(struct fb *b, const uint8_t *mac);
void fmt_ip4(struct fb *b, const void *be32);
void fmt_ip6(struct fb *b, const uint8_t *addr);
/* Field @oxm's value (its OXM bytes, network order) as ovs-ofctl writes it. */
void fmt_field_value(struct fb *b, unsigned int oxm, const uint8_t *value);
void fmt_actions(struct fb *b, const struct sl_action *acts, unsigned int n);
/* format_match.c */
void fmt_match(struct fb *b, const struct sl_flow_key *key, const struct sl_flow_key *mask,
	       int priority);

#endif /* SL_FORMAT_PRIVATE_H */
