/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/snapshot: the container and its records round trip; every way a
 * snapshot can be damaged (a flipped bit anywhere, any truncation, a newer
 * or older format, an unknown record, a foreign file) is refused with its
 * message and crashes nothing; files are written atomically and set aside. */
#include <CUnit/Basic.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_main.h"
#include "sl_ofp.h"
#include "sl_snap.h"
#include "sl_snap_file.h"
#include "sl_snap_records.h"

#define DPID 0x0000aabbccdd0001ull
#define WRITTEN 1765000000000000000ull

/* A real OpenFlow 1.3 message of @p type, encoded by lib/ofp. */
static void
encode_mod(uint8_t type, struct sl_ofp_buf *out)
{
	struct sl_ofp_msg m;

	sl_ofp_msg_init(&m, type, 0);
	if (type == OFPT_FLOW_MOD) {
		m.u.flow_mod.command = OFPFC_ADD;
		m.u.flow_mod.priority = 7;
		m.u.flow_mod.cookie = 0xc00c1e;
		m.u.flow_mod.buffer_id = OFP_NO_BUFFER;
		m.u.flow_mod.out_port = OFPP_ANY;
		m.u.flow_mod.out_group = OFPG_ANY;
		m.u.flow_mod.match.type = OFPMT_OXM;
	} else if (type == OFPT_GROUP_MOD) {
		m.u.group_mod.command = OFPGC_ADD;
		m.u.group_mod.type = OFPGT_ALL;
		m.u.group_mod.group_id = 5;
	} else {
		m.u.meter_mod.command = OFPMC_ADD;
		m.u.meter_mod.flags = OFPMF_KBPS;
		m.u.meter_mod.meter_id = 3;
	}
	out->len = 0;
	CU_ASSERT_FATAL(sl_ofp_encode(&m, out) == 0);
	sl_ofp_msg_free(&m);
}

/* One record of every type; the writer's buffer holds the snapshot. */
static void
build_all(struct sl_snap_writer *w)
{
	static const uint64_t group_counts[4] = { 1, 100, 2, 200 };
	static const uint64_t meter_counts[2] = { 9, 900 };
	struct sl_snap_role role = { .gen_valid = true, .gen_id = 0xfeedfacecafe0001ull };
	struct sl_snap_mac mac = { .vlan = 4095, .mac = { 2, 0, 0, 0, 0, 9 }, .port = 3,
				   .age_ms = 120000 };
	struct sl_snap_port port = { .ofport = 0xfffffff0u, .name = "vm-1.a" };
	struct sl_ofp_buf b = { 0 };
	struct sl_snap_obj o;

	CU_ASSERT_FATAL(sl_snap_writer_init(w, DPID, WRITTEN, "0.1.0 test") == 0);
	encode_mod(OFPT_METER_MOD, &b);
	o = (struct sl_snap_obj){ .age_ns = 11, .packets = 12, .bytes = 13, .n_counts = 1,
				  .counts = meter_counts, .msg = b.data, .msg_len = (uint32_t)b.len };
	CU_ASSERT(sl_snap_add_obj(w, SL_SNAP_METER, &o) == 0);
	encode_mod(OFPT_GROUP_MOD, &b);
	o = (struct sl_snap_obj){ .age_ns = 21, .packets = 22, .bytes = 23, .n_counts = 2,
				  .counts = group_counts, .msg = b.data, .msg_len = (uint32_t)b.len };
	CU_ASSERT(sl_snap_add_obj(w, SL_SNAP_GROUP, &o) == 0);
	encode_mod(OFPT_FLOW_MOD, &b);
	o = (struct sl_snap_obj){ .age_ns = UINT64_MAX, .idle_ns = 32, .packets = 33,
				  .bytes = 34, .msg = b.data, .msg_len = (uint32_t)b.len };
	CU_ASSERT(sl_snap_add_obj(w, SL_SNAP_RULE, &o) == 0);
	CU_ASSERT(sl_snap_add_role(w, &role) == 0);
	CU_ASSERT(sl_snap_add_mac(w, &mac) == 0);
	CU_ASSERT(sl_snap_add_port(w, &port) == 0);
	CU_ASSERT_FATAL(sl_snap_finish(w) == 0);
	sl_ofp_buf_free(&b);
}

static void
check_obj(const struct sl_snap_rec *rec, uint16_t type, uint64_t age, uint64_t idle,
	  uint64_t packets, uint32_t n_counts)
{
	struct sl_snap_obj o;
	struct sl_ofp_msg m;
	struct sl_ofp_error e;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(rec->type, type);
	CU_ASSERT_FATAL(sl_snap_obj_decode(rec, &o, err, sizeof(err)) == 0);
	CU_ASSERT_EQUAL(o.age_ns, age);
	CU_ASSERT_EQUAL(o.idle_ns, idle);
	CU_ASSERT_EQUAL(o.packets, packets);
	CU_ASSERT_EQUAL(o.bytes, packets + 1);
	CU_ASSERT_EQUAL_FATAL(o.n_counts, n_counts);
	for (uint32_t i = 0; i < n_counts; i++) {
		uint64_t p, b;

		sl_snap_obj_count(&o, i, &p, &b);
		CU_ASSERT_EQUAL(b, 100 * p);
	}
	/* the message inside is lib/ofp's again */
	CU_ASSERT_FATAL(sl_ofp_decode(o.msg, o.msg_len, &m, &e) == 0);
	if (type == SL_SNAP_RULE)
		CU_ASSERT_EQUAL(m.u.flow_mod.cookie, 0xc00c1e);
	if (type == SL_SNAP_GROUP)
		CU_ASSERT_EQUAL(m.u.group_mod.group_id, 5);
	if (type == SL_SNAP_METER)
		CU_ASSERT_EQUAL(m.u.meter_mod.meter_id, 3);
	sl_ofp_msg_free(&m);
}

static void
test_round_trip(void)
{
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	struct sl_snap_rec rec;
	struct sl_snap_role role;
	struct sl_snap_mac mac;
	struct sl_snap_port port;
	char err[256];

	build_all(&w);
	CU_ASSERT_EQUAL(w.len % 8, 0);
	CU_ASSERT_FATAL(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) == 0);
	CU_ASSERT_EQUAL(r.info.format_version, SL_SNAP_FORMAT_VERSION);
	CU_ASSERT_EQUAL(r.info.datapath_id, DPID);
	CU_ASSERT_EQUAL(r.info.written_unix_ns, WRITTEN);
	CU_ASSERT_STRING_EQUAL(r.info.release, "0.1.0 test");
	CU_ASSERT_EQUAL(r.info.n_records, 6);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	check_obj(&rec, SL_SNAP_METER, 11, 0, 12, 1);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	check_obj(&rec, SL_SNAP_GROUP, 21, 0, 22, 2);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	check_obj(&rec, SL_SNAP_RULE, UINT64_MAX, 32, 33, 0);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	CU_ASSERT_FATAL(sl_snap_role_decode(&rec, &role, err, sizeof(err)) == 0);
	CU_ASSERT(role.gen_valid);
	CU_ASSERT_EQUAL(role.gen_id, 0xfeedfacecafe0001ull);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	CU_ASSERT_FATAL(sl_snap_mac_decode(&rec, &mac, err, sizeof(err)) == 0);
	CU_ASSERT_EQUAL(mac.vlan, 4095);
	CU_ASSERT_EQUAL(mac.mac[5], 9);
	CU_ASSERT_EQUAL(mac.port, 3);
	CU_ASSERT_EQUAL(mac.age_ms, 120000);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	CU_ASSERT_FATAL(sl_snap_port_decode(&rec, &port, err, sizeof(err)) == 0);
	CU_ASSERT_EQUAL(port.ofport, 0xfffffff0u);
	CU_ASSERT_STRING_EQUAL(port.name, "vm-1.a");
	CU_ASSERT_FALSE(sl_snap_next(&r, &rec));
	sl_snap_writer_free(&w);
}

/* CRC32c's check value (RFC 3720's "123456789"). */
static void
test_crc32c(void)
{
	CU_ASSERT_EQUAL(sl_snap_crc32c("123456789", 9), 0xe3069283u);
	CU_ASSERT_EQUAL(sl_snap_crc32c("", 0), 0);
}

/* Every single bit flipped, anywhere: refused, each with a message. */
static void
test_flipped_bits(void)
{
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	char err[256];
	unsigned int corrupt = 0, refused = 0;

	build_all(&w);
	for (size_t i = 0; i < w.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			w.buf[i] ^= (uint8_t)(1u << bit);
			err[0] = '\0';
			if (sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) < 0)
				refused++;
			CU_ASSERT(err[0] != '\0');
			corrupt += strstr(err, "corrupt: checksum") != NULL;
			w.buf[i] ^= (uint8_t)(1u << bit);
		}
	}
	CU_ASSERT_EQUAL(refused, w.len * 8);
	/* Outside the magic, version and lengths the checksum is what says it */
	CU_ASSERT(corrupt > w.len * 8 * 3 / 4);
	CU_ASSERT_FATAL(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) == 0);
	sl_snap_writer_free(&w);
}

/* Every truncation (and a byte too many): refused with the lengths. */
static void
test_truncated(void)
{
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	char err[256];
	uint8_t *longer;

	build_all(&w);
	for (size_t n = 0; n < w.len; n++) {
		err[0] = '\0';
		CU_ASSERT(sl_snap_open(w.buf, n, &r, err, sizeof(err)) < 0);
		CU_ASSERT(strstr(err, "truncated") != NULL);
	}
	longer = calloc(1, w.len + 1);
	memcpy(longer, w.buf, w.len);
	CU_ASSERT(sl_snap_open(longer, w.len + 1, &r, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "trailing bytes") != NULL);
	free(longer);
	sl_snap_writer_free(&w);
}

/* Re-checksum after editing the bytes, as a writer of that content would. */
static void
reseal(struct sl_snap_writer *w)
{
	uint32_t crc = sl_snap_crc32c(w->buf, w->len - SL_SNAP_TRAILER_LEN);
	uint8_t *t = w->buf + w->len - SL_SNAP_TRAILER_LEN;

	t[0] = (uint8_t)(crc >> 24);
	t[1] = (uint8_t)(crc >> 16);
	t[2] = (uint8_t)(crc >> 8);
	t[3] = (uint8_t)crc;
}

/* A newer format (and an older one this release no longer reads). */
static void
test_format_version(void)
{
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	char err[256];

	build_all(&w);
	w.buf[9] = SL_SNAP_FORMAT_VERSION + 1;
	reseal(&w);
	CU_ASSERT(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "format version 2 (written by release \"0.1.0 test\")") != NULL);
	CU_ASSERT(strstr(err, "reads versions 1 to 1") != NULL);
	w.buf[9] = 0;
	reseal(&w);
	CU_ASSERT(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "format version 0") != NULL);
	memcpy(w.buf, "SLUICEXX", 8);
	CU_ASSERT(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "not a Sluice state snapshot") != NULL);
	sl_snap_writer_free(&w);
}

/* An unknown record type: refused unless marked optional, then skipped. */
static void
test_unknown_record(void)
{
	static const uint8_t payload[5] = { 1, 2, 3, 4, 5 };
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	struct sl_snap_rec rec;
	struct sl_snap_role role = { 0 };
	char err[256];

	CU_ASSERT_FATAL(sl_snap_writer_init(&w, DPID, WRITTEN, "9.9.9") == 0);
	CU_ASSERT(sl_snap_add(&w, 99, 0, payload, sizeof(payload), NULL, 0) == 0);
	CU_ASSERT(sl_snap_add_role(&w, &role) == 0);
	CU_ASSERT_FATAL(sl_snap_finish(&w) == 0);
	CU_ASSERT(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "record 0 at offset 72: unknown type 99") != NULL);
	CU_ASSERT(strstr(err, "\"9.9.9\"") != NULL);
	sl_snap_writer_free(&w);

	CU_ASSERT_FATAL(sl_snap_writer_init(&w, DPID, WRITTEN, "9.9.9") == 0);
	CU_ASSERT(sl_snap_add(&w, 99, SL_SNAP_REC_OPTIONAL, payload, sizeof(payload), NULL, 0) == 0);
	CU_ASSERT(sl_snap_add_role(&w, &role) == 0);
	CU_ASSERT_FATAL(sl_snap_finish(&w) == 0);
	CU_ASSERT_FATAL(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) == 0);
	CU_ASSERT_EQUAL(r.info.n_records, 2);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	CU_ASSERT_EQUAL(rec.type, SL_SNAP_ROLE);
	CU_ASSERT_EQUAL(rec.index, 1);
	CU_ASSERT_FALSE(sl_snap_next(&r, &rec));
	sl_snap_writer_free(&w);
}

/* Records whose own content is wrong, inside a sound container. */
static void
test_bad_records(void)
{
	uint8_t junk[64];
	struct sl_snap_rec rec = { .payload = junk, .index = 4, .offset = 200 };
	struct sl_snap_obj o;
	struct sl_snap_mac mac;
	struct sl_snap_port port;
	struct sl_snap_role role;
	char err[256];

	memset(junk, 0, sizeof(junk));
	rec.type = SL_SNAP_RULE;
	rec.len = 39;
	CU_ASSERT(sl_snap_obj_decode(&rec, &o, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "record 4 at offset 200 (rule): shorter") != NULL);
	rec.len = 48; /* 40 fixed + 8 bytes that are no flow-mod */
	CU_ASSERT(sl_snap_obj_decode(&rec, &o, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "expected version 4 type 14 length 8") != NULL);
	rec.type = SL_SNAP_GROUP;
	junk[35] = 200; /* 200 bucket counters in 24 bytes */
	rec.len = 64;
	CU_ASSERT(sl_snap_obj_decode(&rec, &o, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "more counters than bytes") != NULL);
	rec.type = SL_SNAP_MAC;
	rec.len = 16;
	junk[0] = 0x10; /* VLAN 4096 */
	CU_ASSERT(sl_snap_mac_decode(&rec, &mac, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "VLAN") != NULL);
	rec.len = 15;
	CU_ASSERT(sl_snap_mac_decode(&rec, &mac, err, sizeof(err)) < 0);
	rec.type = SL_SNAP_PORT;
	rec.len = 4;
	CU_ASSERT(sl_snap_port_decode(&rec, &port, err, sizeof(err)) < 0);
	memcpy(junk, "\0\0\0\1a b", 7);
	rec.len = 7;
	CU_ASSERT(sl_snap_port_decode(&rec, &port, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "blank") != NULL);
	rec.type = SL_SNAP_ROLE;
	rec.len = 16;
	junk[0] = 2;
	CU_ASSERT(sl_snap_role_decode(&rec, &role, err, sizeof(err)) < 0);
	rec.type = SL_SNAP_MAC;
	CU_ASSERT(sl_snap_role_decode(&rec, &role, err, sizeof(err)) < 0);
}

/* The table record (OF1.4 vacancy config): a round trip, optional (a
 * release without it skips it), a later record version and bad content
 * refused by name. */
static void
test_table_record(void)
{
	struct sl_snap_table in = { .table = 7, .events = 4, .vacancy_down = 20, .vacancy_up = 80 };
	struct sl_snap_table out;
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	struct sl_snap_rec rec;
	uint8_t junk[8];
	char err[256];

	CU_ASSERT_FATAL(sl_snap_writer_init(&w, 1, 2, "test") == 0);
	CU_ASSERT(sl_snap_add_table(&w, &in) == 0);
	CU_ASSERT_FATAL(sl_snap_finish(&w) == 0);
	CU_ASSERT_FATAL(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) == 0);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	CU_ASSERT_EQUAL(rec.type, SL_SNAP_TABLE);
	CU_ASSERT(rec.flags & SL_SNAP_REC_OPTIONAL);
	CU_ASSERT_FATAL(sl_snap_table_decode(&rec, &out, err, sizeof(err)) == 0);
	CU_ASSERT(memcmp(&in, &out, sizeof(in)) == 0);
	CU_ASSERT_STRING_EQUAL(sl_snap_type_name(SL_SNAP_TABLE), "table");
	sl_snap_writer_free(&w);

	memcpy(junk, (const uint8_t[8]){ 2, 0, 0, 0, 0, 0, 0, 0 }, 8);
	rec = (struct sl_snap_rec){ .type = SL_SNAP_TABLE, .payload = junk, .len = 8, .index = 3,
				    .offset = 96 };
	CU_ASSERT(sl_snap_table_decode(&rec, &out, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "table record version 2, this release reads 1") != NULL);
	junk[0] = 1;
	junk[2] = 5; /* no such reason */
	CU_ASSERT(sl_snap_table_decode(&rec, &out, err, sizeof(err)) < 0);
	junk[2] = 3;
	junk[3] = 90; /* down above up */
	junk[4] = 10;
	CU_ASSERT(sl_snap_table_decode(&rec, &out, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "down <= up") != NULL);
	junk[4] = 101;
	CU_ASSERT(sl_snap_table_decode(&rec, &out, err, sizeof(err)) < 0);
	junk[4] = 95;
	CU_ASSERT(sl_snap_table_decode(&rec, &out, err, sizeof(err)) == 0);
	rec.len = 7;
	CU_ASSERT(sl_snap_table_decode(&rec, &out, err, sizeof(err)) < 0);
}

/* The neighbour record: a round trip (IPv6), optional, a later version
 * and a bad family or port name refused. */
static void
test_neigh_record(void)
{
	struct sl_snap_neigh in = { .family = 6, .slot = 3, .age_ms = 4500,
				    .mac = { 2, 0, 0, 0, 0, 7 }, .addr = { 0x20, 0x01, 0x0d, 0xb8 },
				    .port = "phy0" };
	struct sl_snap_neigh out;
	struct sl_snap_writer w;
	struct sl_snap_reader r;
	struct sl_snap_rec rec;
	uint8_t b[64];
	char err[256];

	in.addr[15] = 2;
	CU_ASSERT_FATAL(sl_snap_writer_init(&w, 1, 2, "test") == 0);
	CU_ASSERT(sl_snap_add_neigh(&w, &in) == 0);
	CU_ASSERT_FATAL(sl_snap_finish(&w) == 0);
	CU_ASSERT_FATAL(sl_snap_open(w.buf, w.len, &r, err, sizeof(err)) == 0);
	CU_ASSERT_FATAL(sl_snap_next(&r, &rec));
	CU_ASSERT_EQUAL(rec.type, SL_SNAP_NEIGH);
	CU_ASSERT(rec.flags & SL_SNAP_REC_OPTIONAL);
	CU_ASSERT_FATAL(sl_snap_neigh_decode(&rec, &out, err, sizeof(err)) == 0);
	CU_ASSERT(out.family == 6 && out.slot == 3 && out.age_ms == 4500);
	CU_ASSERT(memcmp(out.mac, in.mac, 6) == 0 && memcmp(out.addr, in.addr, 16) == 0);
	CU_ASSERT_STRING_EQUAL(out.port, "phy0");
	CU_ASSERT(rec.len <= sizeof(b));
	memcpy(b, rec.payload, rec.len);
	sl_snap_writer_free(&w);

	rec = (struct sl_snap_rec){ .type = SL_SNAP_NEIGH, .payload = b, .len = 36, .index = 1,
				    .offset = 80 };
	b[0] = 2;
	CU_ASSERT(sl_snap_neigh_decode(&rec, &out, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "neighbour record version 2, this release reads 1") != NULL);
	b[0] = 1;
	b[1] = 5;
	CU_ASSERT(sl_snap_neigh_decode(&rec, &out, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "family") != NULL);
	b[1] = 4;
	b[33] = ' ';
	CU_ASSERT(sl_snap_neigh_decode(&rec, &out, err, sizeof(err)) < 0);
	b[33] = 'h';
	CU_ASSERT(sl_snap_neigh_decode(&rec, &out, err, sizeof(err)) == 0);
	rec.len = 32; /* no name */
	CU_ASSERT(sl_snap_neigh_decode(&rec, &out, err, sizeof(err)) < 0);
	in.port[0] = '\0';
	CU_ASSERT_FATAL(sl_snap_writer_init(&w, 1, 2, "test") == 0);
	CU_ASSERT(sl_snap_add_neigh(&w, &in) < 0);
	sl_snap_writer_free(&w);
}

static void
test_files(void)
{
	char dir[] = "/tmp/h7-snapXXXXXX", path[128], bad[160];
	struct sl_snap_writer w;
	struct stat st;
	uint8_t *buf;
	size_t len;
	char err[512];

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/sluiced.state", dir);
	CU_ASSERT_EQUAL(sl_snap_file_read(path, &buf, &len, err, sizeof(err)), 1);
	build_all(&w);
	CU_ASSERT_FATAL(sl_snap_file_write(path, w.buf, w.len, err, sizeof(err)) == 0);
	CU_ASSERT(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	snprintf(bad, sizeof(bad), "%s.tmp", path);
	CU_ASSERT(access(bad, F_OK) != 0);
	CU_ASSERT_FATAL(sl_snap_file_read(path, &buf, &len, err, sizeof(err)) == 0);
	CU_ASSERT_EQUAL(len, w.len);
	CU_ASSERT(memcmp(buf, w.buf, len) == 0);
	free(buf);
	CU_ASSERT(sl_snap_file_set_aside(path, bad, sizeof(bad)) == 0);
	CU_ASSERT(strstr(bad, "sluiced.state.bad") != NULL);
	CU_ASSERT(access(bad, F_OK) == 0 && access(path, F_OK) != 0);
	unlink(bad);
	/* a folder that is not there: the error names the file */
	snprintf(path, sizeof(path), "%s/no/such/dir/s", dir);
	CU_ASSERT(sl_snap_file_write(path, w.buf, w.len, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "/no/such/dir/s.tmp: No such file") != NULL);
	CU_ASSERT(sl_snap_file_read(dir, &buf, &len, err, sizeof(err)) < 0);
	CU_ASSERT(strstr(err, "not a regular file") != NULL);
	rmdir(dir);
	sl_snap_writer_free(&w);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "round trip of every record type", test_round_trip },
		{ "crc32c", test_crc32c },
		{ "a flipped bit anywhere", test_flipped_bits },
		{ "truncated and trailing", test_truncated },
		{ "newer and older format versions", test_format_version },
		{ "unknown record types", test_unknown_record },
		{ "bad records", test_bad_records },
		{ "table record", test_table_record },
		{ "neighbour record", test_neigh_record },
		{ "files", test_files },
	};

	return cunit_run_suite("snapshot", tests, CUNIT_N_TESTS(tests));
}
