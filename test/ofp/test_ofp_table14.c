/* SPDX-License-Identifier: BSD-3-Clause */
/* OpenFlow 1.4/1.5 table descriptions (sl_ofp_table14.h): os-ken's OF1.4
 * and OF1.5 table_desc request/reply and table_status vectors decode to
 * what their JSON twins hold and re-encode byte for byte; every cut fails
 * cleanly or re-encodes; `ovs-ofctl ofp-print` reads what we encode (when
 * installed); and the table-mod checks of vacancy (validate): thresholds,
 * duplicates, eviction refused, OFPTC_VACANCY_EVENTS in 1.4 only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "ofp_test_util.h"
#include "openflow.h"
#include "openflow_v14.h"
#include "sl_ofp_error.h"
#include "sl_ofp_table14.h"

static void
expect_roundtrip(const uint8_t *raw, size_t len, const struct sl_ofp_table14_msg *m)
{
	struct sl_ofp_buf out = { 0 };

	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_encode(m, &out), 0);
	ofp_expect_encoded(&out, raw, len);
}

/* 5-62 / OFP15 table_desc_reply body 2 and 5-68 / OFP15 table_status:
 * table 8, config 0, eviction flags 0, vacancy 0/0/0, three experimenter
 * properties (101; exp_type 0, 1, 2; data [], [1], [1, 2]). */
static void
check_table8(const struct sl_ofp_table_desc *d)
{
	static const uint16_t types[] = { 2, 3, 0xffff, 0xffff, 0xffff };

	CU_ASSERT_EQUAL(d->table_id, 8);
	CU_ASSERT_EQUAL(d->config, 0);
	CU_ASSERT_EQUAL_FATAL(d->n_properties, 5);
	for (unsigned int i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(d->properties[i].type, types[i]);
	CU_ASSERT_EQUAL(d->properties[0].u.eviction.flags, 0);
	CU_ASSERT_EQUAL(d->properties[1].u.vacancy.vacancy_down, 0);
	for (unsigned int i = 2; i < 5; i++) {
		CU_ASSERT_EQUAL(d->properties[i].u.experimenter.experimenter, 101);
		CU_ASSERT_EQUAL(d->properties[i].u.experimenter.exp_type, i - 2);
		CU_ASSERT_EQUAL(d->properties[i].u.experimenter.n_data, i - 2);
	}
	CU_ASSERT_EQUAL(d->properties[4].u.experimenter.data[1], 2);
}

static void
check_vectors(const char *req, const char *reply, const char *status, uint8_t version)
{
	struct sl_ofp_table14_msg m;
	struct sl_ofp_error err;
	size_t len;
	uint8_t *b = ofp_vector(req, &len);

	CU_ASSERT_TRUE(sl_ofp_is_table14(b, len));
	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_decode(b, len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.version, version);
	CU_ASSERT_EQUAL(m.type, OFPT_MULTIPART_REQUEST);
	CU_ASSERT_EQUAL(m.n_descs, 0);
	expect_roundtrip(b, len, &m);
	sl_ofp_table14_free(&m);
	free(b);

	b = ofp_vector(reply, &len);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_decode(b, len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.type, OFPT_MULTIPART_REPLY);
	CU_ASSERT_EQUAL_FATAL(m.n_descs, 2);
	CU_ASSERT_EQUAL(m.descs[0].table_id, 7);
	CU_ASSERT_EQUAL_FATAL(m.descs[0].n_properties, 1);
	CU_ASSERT_EQUAL(m.descs[0].properties[0].type, 0xffff);
	check_table8(&m.descs[1]);
	expect_roundtrip(b, len, &m);
	sl_ofp_table14_free(&m);
	free(b);

	b = ofp_vector(status, &len);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_decode(b, len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.type, OFPT_TABLE_STATUS);
	CU_ASSERT_EQUAL(m.reason, SL_OFPTR_VACANCY_DOWN);
	CU_ASSERT_EQUAL_FATAL(m.n_descs, 1);
	check_table8(&m.descs[0]);
	expect_roundtrip(b, len, &m);
	sl_ofp_table14_free(&m);
	free(b);
}

static void
test_vectors(void)
{
	check_vectors("of14/5-61-ofp_table_desc_request.packet",
		      "of14/5-62-ofp_table_desc_reply.packet", "of14/5-68-ofp_table_status.packet",
		      OFP14_VERSION);
	check_vectors("of15/libofproto-OFP15-table_desc_request.packet",
		      "of15/libofproto-OFP15-table_desc_reply.packet",
		      "of15/libofproto-OFP15-table_status.packet", OFP15_VERSION);
}

/* Every prefix, with its header length fixed up, fails cleanly or
 * re-encodes to itself. */
static void
check_cut(const uint8_t *c, size_t n, void *ok)
{
	struct sl_ofp_table14_msg m;
	struct sl_ofp_error err;

	if (sl_ofp_table14_decode(c, n, &m, &err) == 0) {
		expect_roundtrip(c, n, &m);
		(*(unsigned int *)ok)++;
	} else {
		CU_ASSERT(err.type == OFPET_BAD_REQUEST || err.type == OFPET_BAD_PROPERTY);
		CU_ASSERT(err.offset <= n);
	}
	sl_ofp_table14_free(&m);
}

static void
cut_one(const char *name)
{
	size_t len;
	uint8_t *b = ofp_vector(name, &len);
	unsigned int ok = 0;

	ofp_each_cut(b, len, check_cut, &ok);
	/* cuts between whole descs decode: the reply minus its second desc */
	if (strstr(name, "reply"))
		CU_ASSERT(ok >= 1);
	free(b);
}

static void
test_cuts(void)
{
	cut_one("of14/5-62-ofp_table_desc_reply.packet");
	cut_one("of14/5-68-ofp_table_status.packet");
	cut_one("of15/libofproto-OFP15-table_desc_reply.packet");
}

/* What the decoder refuses, and what the encoder will not write. */
static void
test_refusals(void)
{
	/* a request with a body; a status with no desc; a desc of length 4 */
	static const uint8_t req_body[24] = { 5, OFPT_MULTIPART_REQUEST, 0, 24, 0, 0, 0, 1,
					      0, OFPMP_TABLE_DESC };
	static const uint8_t status_empty[16] = { 5, OFPT_TABLE_STATUS, 0, 16, 0, 0, 0, 1, 3 };
	static const uint8_t bad_desc[24] = { 5, OFPT_MULTIPART_REPLY, 0, 24, 0, 0, 0, 1,
					      0, OFPMP_TABLE_DESC, 0, 0, 0, 0, 0, 0, 0, 4 };
	static const uint8_t of13[16] = { 4, OFPT_MULTIPART_REQUEST, 0, 16, 0, 0, 0, 1,
					  0, OFPMP_TABLE_DESC };
	struct sl_ofp_table14_msg m;
	struct sl_ofp_error err;
	struct sl_ofp_buf out = { 0 };

	CU_ASSERT_EQUAL(sl_ofp_table14_decode(req_body, sizeof(req_body), &m, &err), -1);
	CU_ASSERT_EQUAL(err.code, OFPBRC_BAD_LEN);
	sl_ofp_table14_free(&m);
	CU_ASSERT_EQUAL(sl_ofp_table14_decode(status_empty, sizeof(status_empty), &m, &err), -1);
	CU_ASSERT_EQUAL(err.code, OFPBRC_BAD_LEN);
	sl_ofp_table14_free(&m);
	CU_ASSERT_EQUAL(sl_ofp_table14_decode(bad_desc, sizeof(bad_desc), &m, &err), -1);
	CU_ASSERT_EQUAL(err.code, OFPBRC_BAD_LEN);
	sl_ofp_table14_free(&m);
	CU_ASSERT_FALSE(sl_ofp_is_table14(of13, sizeof(of13)));
	m = (struct sl_ofp_table14_msg){ .version = 5, .type = OFPT_TABLE_STATUS };
	CU_ASSERT_EQUAL(sl_ofp_table14_encode(&m, &out), -EINVAL);
	m.type = OFPT_FLOW_MOD;
	CU_ASSERT_EQUAL(sl_ofp_table14_encode(&m, &out), -EINVAL);
	CU_ASSERT_EQUAL(out.len, 0);
	sl_ofp_buf_free(&out);
}

static bool
have_ofctl(void)
{
	return system("command -v ovs-ofctl >/dev/null 2>&1") == 0;
}

/* What the switch sends (one vacancy property per table, no eviction),
 * ovs-ofctl reads as such. */
static void
test_ofp_print(void)
{
	struct sl_ofp_prop p[2] = {
		{ .type = SL_OFPTMPT_VACANCY, .u.vacancy = { 20, 80, 95 } },
		{ .type = SL_OFPTMPT_VACANCY, .u.vacancy = { 0, 0, 100 } },
	};
	struct sl_ofp_table_desc d[2] = {
		{ .table_id = 0, .config = OFPTC_VACANCY_EVENTS, .properties = &p[0], .n_properties = 1 },
		{ .table_id = 1, .config = 0, .properties = &p[1], .n_properties = 1 },
	};
	struct sl_ofp_table14_msg m = { .version = 5, .type = OFPT_MULTIPART_REPLY, .xid = 9,
					.descs = d, .n_descs = 2 };
	struct sl_ofp_buf out = { 0 };

	if (!have_ofctl()) {
		printf("\n(ovs-ofctl not installed: ofp-print not checked)\n");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_encode(&m, &out), 0);
	ofp_expect_print(&out, "OFPST_TABLE_DESC reply (OF1.4) (xid=0x9)");
	ofp_expect_print(&out, "vacancy=on vacancy_down=20% vacancy_up=80% vacancy=95%");
	ofp_expect_print(&out, "table 1:");
	ofp_expect_print(&out, "vacancy=off");
	out.len = 0;
	m = (struct sl_ofp_table14_msg){ .version = 6, .type = OFPT_TABLE_STATUS,
					 .reason = SL_OFPTR_VACANCY_UP, .descs = d, .n_descs = 1 };
	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_encode(&m, &out), 0);
	ofp_expect_print(&out, "OFPT_TABLE_STATUS (OF1.5) (xid=0x0): reason=VACANCY_UP");
	ofp_expect_print(&out, "vacancy=on vacancy_down=20% vacancy_up=80% vacancy=95%");
	out.len = 0;
	m = (struct sl_ofp_table14_msg){ .version = 5, .type = OFPT_MULTIPART_REQUEST, .xid = 3 };
	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_encode(&m, &out), 0);
	ofp_expect_print(&out, "OFPST_TABLE_DESC request (OF1.4) (xid=0x3)");
	sl_ofp_buf_free(&out);
}

/* A table-mod of @p version: table 0, @p config, optional properties. */
static int
table_mod(uint8_t version, uint32_t config, const uint8_t *props, size_t plen,
	  struct sl_ofp_error *err)
{
	uint8_t b[64] = { version, OFPT_TABLE_MOD, 0, 0, 0, 0, 0, 1, 0 };
	size_t len = 16 + plen;
	struct sl_ofp_msg m;
	int rc;

	b[3] = (uint8_t)len;
	b[12] = (uint8_t)(config >> 24);
	b[13] = (uint8_t)(config >> 16);
	b[14] = (uint8_t)(config >> 8);
	b[15] = (uint8_t)config;
	if (plen)
		memcpy(b + 16, props, plen);
	rc = sl_ofp_decode(b, len, &m, err);
	if (rc == 0)
		rc = sl_ofp_validate(&m, err);
	sl_ofp_msg_free(&m);
	return rc;
}

static void
expect_tm(int rc, const struct sl_ofp_error *err, uint16_t type, uint16_t code)
{
	CU_ASSERT_EQUAL(rc, -1);
	if (rc == -1 && (err->type != type || err->code != code))
		printf("\ntable-mod: %u/%u, want %u/%u\n", err->type, err->code, type, code);
	CU_ASSERT(rc == -1 && err->type == type && err->code == code);
}

static void
test_table_mod(void)
{
	static const uint8_t vac[8] = { 0, 3, 0, 8, 20, 80, 0, 0 };
	static const uint8_t down_gt_up[8] = { 0, 3, 0, 8, 81, 80, 0, 0 };
	static const uint8_t over_100[8] = { 0, 3, 0, 8, 20, 101, 0, 0 };
	static const uint8_t equal[8] = { 0, 3, 0, 8, 50, 50, 0, 0 };
	static const uint8_t evict[8] = { 0, 2, 0, 8, 0, 0, 0, 0 };
	uint8_t two[16];
	struct sl_ofp_error err;
	size_t len;
	uint8_t *b;

	memcpy(two, vac, 8);
	memcpy(two + 8, vac, 8);
	CU_ASSERT_EQUAL(table_mod(5, OFPTC_VACANCY_EVENTS, vac, 8, &err), 0);
	CU_ASSERT_EQUAL(table_mod(6, OFPTC_VACANCY_EVENTS, vac, 8, &err), 0);
	CU_ASSERT_EQUAL(table_mod(5, 0, vac, 8, &err), 0); /* thresholds only */
	CU_ASSERT_EQUAL(table_mod(5, OFPTC_VACANCY_EVENTS, equal, 8, &err), 0);
	CU_ASSERT_EQUAL(table_mod(5, OFPTC_VACANCY_EVENTS, NULL, 0, &err), 0);
	expect_tm(table_mod(5, OFPTC_VACANCY_EVENTS, down_gt_up, 8, &err), &err,
		  OFPET_BAD_PROPERTY, OFPBPC_BAD_VALUE);
	expect_tm(table_mod(5, OFPTC_VACANCY_EVENTS, over_100, 8, &err), &err,
		  OFPET_BAD_PROPERTY, OFPBPC_BAD_VALUE);
	expect_tm(table_mod(5, OFPTC_VACANCY_EVENTS, two, 16, &err), &err, OFPET_BAD_PROPERTY,
		  4 /* OFPBPC_DUP_TYPE */);
	expect_tm(table_mod(5, 0, evict, 8, &err), &err, OFPET_TABLE_MOD_FAILED,
		  OFPTMFC_BAD_CONFIG);
	expect_tm(table_mod(5, OFPTC_EVICTION, NULL, 0, &err), &err, OFPET_TABLE_MOD_FAILED,
		  OFPTMFC_BAD_CONFIG);
	/* OpenFlow 1.3 has no vacancy events: its table-mod is unchanged */
	expect_tm(table_mod(4, OFPTC_VACANCY_EVENTS, NULL, 0, &err), &err,
		  OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG);
	CU_ASSERT_EQUAL(table_mod(4, 3, NULL, 0, &err), 0);
	/* os-ken's table_mod (eviction, vacancy, experimenter): eviction refused */
	b = ofp_vector("of14/5-23-ofp_table_mod.packet", &len);
	{
		struct sl_ofp_msg m;
		CU_ASSERT_EQUAL_FATAL(sl_ofp_decode(b, len, &m, &err), 0);
		expect_tm(sl_ofp_validate(&m, &err), &err, OFPET_TABLE_MOD_FAILED,
			  OFPTMFC_BAD_CONFIG);
		sl_ofp_msg_free(&m);
	}
	free(b);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "vectors", test_vectors },
		{ "cuts", test_cuts },
		{ "refusals", test_refusals },
		{ "ofp_print", test_ofp_print },
		{ "table_mod", test_table_mod },
	};

	return cunit_run_suite("ofp_table14", tests, CUNIT_N_TESTS(tests));
}
