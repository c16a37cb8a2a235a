/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for lib/snapshot (scripts/fuzz.sh snapshot): the input
 * is a snapshot whose length and checksum are made right first (a fuzzer
 * would almost never hit a CRC32c), so that the record walk and every
 * record decoder, and lib/ofp's decoder on the messages inside, see
 * arbitrary content. Nothing may crash or read past the input; a snapshot
 * that opens is rebuilt record by record into the same bytes, padding
 * aside.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_ofp.h"
#include "sl_snap.h"
#include "sl_snap_records.h"

static void
put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void
decode(const struct sl_snap_rec *rec)
{
	char err[256];
	struct sl_snap_obj o;
	struct sl_snap_role role;
	struct sl_snap_mac mac;
	struct sl_snap_port port;
	struct sl_snap_table table;
	struct sl_snap_neigh neigh;
	struct sl_ofp_msg m;
	struct sl_ofp_error e;
	uint64_t p, b;

	switch (rec->type) {
	case SL_SNAP_RULE:
	case SL_SNAP_GROUP:
	case SL_SNAP_METER:
		if (sl_snap_obj_decode(rec, &o, err, sizeof(err)) < 0)
			return;
		for (uint32_t i = 0; i < o.n_counts; i++)
			sl_snap_obj_count(&o, i, &p, &b);
		if (sl_ofp_decode(o.msg, o.msg_len, &m, &e) == 0)
			sl_ofp_msg_free(&m);
		break;
	case SL_SNAP_ROLE:
		sl_snap_role_decode(rec, &role, err, sizeof(err));
		break;
	case SL_SNAP_MAC:
		sl_snap_mac_decode(rec, &mac, err, sizeof(err));
		break;
	case SL_SNAP_PORT:
		sl_snap_port_decode(rec, &port, err, sizeof(err));
		break;
	case SL_SNAP_TABLE:
		sl_snap_table_decode(rec, &table, err, sizeof(err));
		break;
	case SL_SNAP_NEIGH:
		sl_snap_neigh_decode(rec, &neigh, err, sizeof(err));
		break;
	default:
		abort(); /* sl_snap_next hands out known types only */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sl_snap_reader r;
	struct sl_snap_rec rec;
	struct sl_snap_writer w;
	uint8_t *buf;
	char err[256];

	if (len < SL_SNAP_HEADER_LEN + SL_SNAP_TRAILER_LEN) {
		if (sl_snap_open(data, len, &r, err, sizeof(err)) == 0)
			abort(); /* too short to be one */
		return 0;
	}
	buf = malloc(len);
	memcpy(buf, data, len);
	put_be(buf + 16, len, 8);
	put_be(buf + len - SL_SNAP_TRAILER_LEN,
	       sl_snap_crc32c(buf, len - SL_SNAP_TRAILER_LEN), 4);
	if (sl_snap_open(buf, len, &r, err, sizeof(err)) == 0) {
		sl_snap_writer_init(&w, r.info.datapath_id, r.info.written_unix_ns,
				    r.info.release);
		while (sl_snap_next(&r, &rec)) {
			decode(&rec);
			sl_snap_add(&w, rec.type, rec.flags, rec.payload, rec.len, NULL, 0);
		}
		/* a rebuilt snapshot opens too, with the same known records */
		if (sl_snap_finish(&w) == 0) {
			struct sl_snap_reader r2;

			if (sl_snap_open(w.buf, w.len, &r2, err, sizeof(err)) < 0)
				abort();
		}
		sl_snap_writer_free(&w);
	}
	free(buf);
	return 0;
}
