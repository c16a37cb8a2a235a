/* SPDX-License-Identifier: BSD-3-Clause */
/* The snapshot container: writer, checked reader, CRC32c (sl_snap.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_snap.h"
#include "snap_be.h"

#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

static const uint8_t snap_magic[8] = { 'S', 'L', 'U', 'I', 'C', 'E', 'S', 'T' };

/* Header field offsets (format 1). */
enum {
	H_MAGIC = 0,
	H_VERSION = 8,
	H_HDRLEN = 10,
	H_FLAGS = 12,
	H_TOTAL = 16,
	H_DPID = 24,
	H_TIME = 32,
	H_RELEASE = 40,
};

/* ------------------------------------------------------------- CRC32c */

#if !defined(__SSE4_2__)
static uint32_t crc_table[256];

static void
crc_table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc_table[i] = c;
	}
}
#endif

uint32_t
sl_snap_crc32c(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;

#if defined(__SSE4_2__)
	/* The build's baseline (x86-64-v2) has the instruction: 100k rules
	 * (about 20 MB) checksum in a few ms instead of tens. */
	uint64_t c64 = crc;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		c64 = _mm_crc32_u64(c64, w);
	}
	crc = (uint32_t)c64;
	for (; len; p++, len--)
		crc = _mm_crc32_u8(crc, *p);
#else
	if (crc_table[1] == 0)
		crc_table_init();
	for (; len; p++, len--)
		crc = crc_table[(crc ^ *p) & 0xff] ^ (crc >> 8);
#endif
	return crc ^ 0xffffffffu;
}

/* ------------------------------------------------------------- writer */

static int
reserve(struct sl_snap_writer *w, size_t more)
{
	if (w->failed)
		return -1;
	if (w->len + more <= w->cap)
		return 0;
	size_t cap = w->cap ? w->cap : 4096;

	while (cap < w->len + more)
		cap *= 2;
	uint8_t *b = realloc(w->buf, cap);

	if (b == NULL) {
		w->failed = true;
		return -1;
	}
	w->buf = b;
	w->cap = cap;
	return 0;
}

int
sl_snap_writer_init(struct sl_snap_writer *w, uint64_t datapath_id, uint64_t written_unix_ns,
		    const char *release)
{
	memset(w, 0, sizeof(*w));
	if (reserve(w, SL_SNAP_HEADER_LEN) < 0)
		return -1;
	uint8_t *h = w->buf;

	memset(h, 0, SL_SNAP_HEADER_LEN);
	memcpy(h + H_MAGIC, snap_magic, sizeof(snap_magic));
	be16_put(h + H_VERSION, SL_SNAP_FORMAT_VERSION);
	be16_put(h + H_HDRLEN, SL_SNAP_HEADER_LEN);
	be64_put(h + H_DPID, datapath_id);
	be64_put(h + H_TIME, written_unix_ns);
	if (release)
		strncpy((char *)h + H_RELEASE, release, SL_SNAP_RELEASE_LEN);
	w->len = SL_SNAP_HEADER_LEN;
	return 0;
}

int
sl_snap_add(struct sl_snap_writer *w, uint16_t type, uint16_t flags, const void *a, size_t alen,
	    const void *b, size_t blen)
{
	size_t plen = alen + blen, padded = (plen + 7) & ~(size_t)7;

	if (plen > UINT32_MAX - 8) {
		w->failed = true;
		return -1;
	}
	if (reserve(w, SL_SNAP_REC_HDR_LEN + padded) < 0)
		return -1;
	uint8_t *p = w->buf + w->len;

	be16_put(p, type);
	be16_put(p + 2, flags);
	be32_put(p + 4, (uint32_t)plen);
	if (alen)
		memcpy(p + SL_SNAP_REC_HDR_LEN, a, alen);
	if (blen)
		memcpy(p + SL_SNAP_REC_HDR_LEN + alen, b, blen);
	memset(p + SL_SNAP_REC_HDR_LEN + plen, 0, padded - plen);
	w->len += SL_SNAP_REC_HDR_LEN + padded;
	w->n_records++;
	return 0;
}

int
sl_snap_finish(struct sl_snap_writer *w)
{
	if (reserve(w, SL_SNAP_TRAILER_LEN) < 0)
		return -1;
	be64_put(w->buf + H_TOTAL, w->len + SL_SNAP_TRAILER_LEN);
	be32_put(w->buf + w->len, sl_snap_crc32c(w->buf, w->len));
	be32_put(w->buf + w->len + 4, 0);
	w->len += SL_SNAP_TRAILER_LEN;
	return 0;
}

void
sl_snap_writer_free(struct sl_snap_writer *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

/* ------------------------------------------------------------- reader */

const char *
sl_snap_type_name(uint16_t type)
{
	static const char *const names[] = {
		[SL_SNAP_METER] = "meter", [SL_SNAP_GROUP] = "group", [SL_SNAP_RULE] = "rule",
		[SL_SNAP_ROLE] = "role",   [SL_SNAP_MAC] = "mac",     [SL_SNAP_PORT] = "port",
		[SL_SNAP_TABLE] = "table", [SL_SNAP_NEIGH] = "neighbour",
	};

	return type > 0 && type <= SL_SNAP_TYPE_MAX ? names[type] : "unknown";
}

static int
check_header(const uint8_t *buf, size_t len, struct sl_snap_info *info, char *err, size_t errlen)
{
	if (len < SL_SNAP_HEADER_LEN + SL_SNAP_TRAILER_LEN) {
		snprintf(err, errlen, "truncated: %zu bytes, shorter than a header and trailer (%d)",
			 len, SL_SNAP_HEADER_LEN + SL_SNAP_TRAILER_LEN);
		return -1;
	}
	if (memcmp(buf + H_MAGIC, snap_magic, sizeof(snap_magic)) != 0) {
		snprintf(err, errlen, "not a Sluice state snapshot (no \"SLUICEST\" magic)");
		return -1;
	}
	memset(info, 0, sizeof(*info));
	info->format_version = be16_get(buf + H_VERSION);
	memcpy(info->release, buf + H_RELEASE, SL_SNAP_RELEASE_LEN);
	for (char *c = info->release; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?'; /* goes into log lines */
	if (info->format_version > SL_SNAP_FORMAT_VERSION ||
	    info->format_version < SL_SNAP_FORMAT_OLDEST) {
		snprintf(err, errlen,
			 "format version %u (written by release \"%s\"): this release reads "
			 "versions %d to %d",
			 info->format_version, info->release, SL_SNAP_FORMAT_OLDEST,
			 SL_SNAP_FORMAT_VERSION);
		return -1;
	}
	if (be16_get(buf + H_HDRLEN) != SL_SNAP_HEADER_LEN || be32_get(buf + H_FLAGS) != 0) {
		snprintf(err, errlen, "bad header: length %u, flags 0x%x (format %u has %d, 0)",
			 be16_get(buf + H_HDRLEN), be32_get(buf + H_FLAGS), info->format_version,
			 SL_SNAP_HEADER_LEN);
		return -1;
	}
	info->total_len = be64_get(buf + H_TOTAL);
	info->datapath_id = be64_get(buf + H_DPID);
	info->written_unix_ns = be64_get(buf + H_TIME);
	if (info->total_len != len) {
		snprintf(err, errlen, "%s: the header says %llu bytes, there are %zu",
			 info->total_len > len ? "truncated" : "trailing bytes",
			 (unsigned long long)info->total_len, len);
		return -1;
	}
	uint32_t stored = be32_get(buf + len - SL_SNAP_TRAILER_LEN);
	uint32_t computed = sl_snap_crc32c(buf, len - SL_SNAP_TRAILER_LEN);

	if (stored != computed || be32_get(buf + len - 4) != 0) {
		snprintf(err, errlen, "corrupt: checksum 0x%08x, the content's is 0x%08x", stored,
			 computed);
		return -1;
	}
	return 0;
}

/* Walk the records once: bounds, padding and types. */
static int
check_records(const uint8_t *buf, size_t end, struct sl_snap_info *info, char *err, size_t errlen)
{
	size_t pos = SL_SNAP_HEADER_LEN;
	uint32_t idx = 0;

	while (pos < end) {
		if (end - pos < SL_SNAP_REC_HDR_LEN) {
			snprintf(err, errlen, "record %u at offset %zu: header cut by the end", idx,
				 pos);
			return -1;
		}
		uint16_t type = be16_get(buf + pos), flags = be16_get(buf + pos + 2);
		uint64_t plen = be32_get(buf + pos + 4), padded = (plen + 7) & ~(uint64_t)7;

		if (padded > end - pos - SL_SNAP_REC_HDR_LEN) {
			snprintf(err, errlen,
				 "record %u at offset %zu (%s): %llu bytes, past the end", idx, pos,
				 sl_snap_type_name(type), (unsigned long long)plen);
			return -1;
		}
		if ((type == 0 || type > SL_SNAP_TYPE_MAX) && !(flags & SL_SNAP_REC_OPTIONAL)) {
			snprintf(err, errlen,
				 "record %u at offset %zu: unknown type %u (not optional; written "
				 "by release \"%s\", newer than this one?)",
				 idx, pos, type, info->release);
			return -1;
		}
		pos += SL_SNAP_REC_HDR_LEN + padded;
		idx++;
	}
	info->n_records = idx;
	return 0;
}

int
sl_snap_open(const uint8_t *buf, size_t len, struct sl_snap_reader *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	if (check_header(buf, len, &r->info, err, errlen) < 0)
		return -1;
	if (check_records(buf, len - SL_SNAP_TRAILER_LEN, &r->info, err, errlen) < 0)
		return -1;
	r->buf = buf;
	r->end = len - SL_SNAP_TRAILER_LEN;
	r->pos = SL_SNAP_HEADER_LEN;
	return 0;
}

bool
sl_snap_next(struct sl_snap_reader *r, struct sl_snap_rec *rec)
{
	while (r->buf && r->pos < r->end) {
		const uint8_t *p = r->buf + r->pos;

		rec->type = be16_get(p);
		rec->flags = be16_get(p + 2);
		rec->len = be32_get(p + 4);
		rec->payload = p + SL_SNAP_REC_HDR_LEN;
		rec->index = r->next_index++;
		rec->offset = r->pos;
		r->pos += SL_SNAP_REC_HDR_LEN + (((size_t)rec->len + 7) & ~(size_t)7);
		if (rec->type > 0 && rec->type <= SL_SNAP_TYPE_MAX)
			return true;
		/* sl_snap_open() let only optional records of unknown types by */
	}
	return false;
}
