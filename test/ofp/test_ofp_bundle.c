/* SPDX-License-Identifier: BSD-3-Clause */
/* Bundle messages (sl_ofp_bundle.h): os-ken's OF1.4 vectors decode to
 * their JSON twin's fields and re-encode byte for byte, the ONF framing of
 * OpenFlow 1.3 carries the same body, every cut fails cleanly, bad inner
 * lengths and properties get their errors, and the errors are written as
 * Open vSwitch's `ovs-ofctl ofp-print` reads them (when it is installed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "ofp_test_util.h"
#include "openflow.h"
#include "sl_ofp_bundle.h"

static void
expect_roundtrip(const uint8_t *raw, size_t len, const struct sl_ofp_bundle *q)
{
	struct sl_ofp_buf out = { 0 };

	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_encode(q, &out), 0);
	ofp_expect_encoded(&out, raw, len);
}

/* The three experimenter properties of both vectors (their JSON twins). */
static void
expect_vector_props(const struct sl_ofp_bundle *q)
{
	CU_ASSERT_EQUAL(q->props_len, 16 + 16 + 24);
	CU_ASSERT_EQUAL(q->props[0] << 8 | q->props[1], 0xffff);
	CU_ASSERT_EQUAL(q->props[3], 12);
	CU_ASSERT_EQUAL(q->props[16 + 3], 16);
	CU_ASSERT_EQUAL(q->props[32 + 3], 20);
	CU_ASSERT_EQUAL(q->props[32 + 11], 2); /* exp_type */
}

static void
test_of14_vectors(void)
{
	struct sl_ofp_bundle q;
	struct sl_ofp_error err;
	size_t len;
	uint8_t *b = ofp_vector("of14/5-69-ofp_bundle_ctrl_msg.packet", &len);

	CU_ASSERT_EQUAL(sl_ofp_bundle_framing(b, len), SL_OFP_BUNDLE_NATIVE);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_decode(b, len, &q, &err), 0);
	CU_ASSERT_FALSE(q.is_add);
	CU_ASSERT_EQUAL(q.version, 5);
	CU_ASSERT_EQUAL(q.bundle_id, 1234);
	CU_ASSERT_EQUAL(q.type, SL_OFPBCT_OPEN_REQUEST);
	CU_ASSERT_EQUAL(q.flags, SL_OFPBF_ATOMIC);
	expect_vector_props(&q);
	expect_roundtrip(b, len, &q);
	free(b);

	b = ofp_vector("of14/5-70-ofp_bundle_add_msg.packet", &len);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_decode(b, len, &q, &err), 0);
	CU_ASSERT_TRUE(q.is_add);
	CU_ASSERT_EQUAL(q.bundle_id, 1234);
	CU_ASSERT_EQUAL(q.flags, SL_OFPBF_ATOMIC);
	CU_ASSERT_EQUAL(q.msg_len, 8);
	CU_ASSERT_EQUAL(q.msg[1], OFPT_ECHO_REQUEST); /* OFPEchoRequest in the JSON */
	expect_vector_props(&q);
	expect_roundtrip(b, len, &q);
	free(b);
}

/* Every prefix, with its header length saying so: refused cleanly or (a
 * cut at a property boundary) re-encoded to the same bytes. */
static void
check_cut(const uint8_t *c, size_t cut, void *arg)
{
	struct sl_ofp_bundle q;
	struct sl_ofp_error err;

	(void)arg;
	if (sl_ofp_bundle_decode(c, cut, &q, &err) == 0)
		expect_roundtrip(c, cut, &q);
	else
		CU_ASSERT(err.offset < cut);
}

static void
cut_everywhere(const char *name)
{
	size_t len;
	uint8_t *b = ofp_vector(name, &len);

	ofp_each_cut(b, len, check_cut, NULL);
	free(b);
}

static void
test_cuts(void)
{
	cut_everywhere("of14/5-69-ofp_bundle_ctrl_msg.packet");
	cut_everywhere("of14/5-70-ofp_bundle_add_msg.packet");
}

/* The ONF framing: the same body after the experimenter header. */
static void
test_onf_framing(void)
{
	static const uint8_t flow_mod_hdr[8] = { 4, OFPT_FLOW_MOD, 0, 12, 0, 0, 0, 7 };
	uint8_t inner[12] = { 0 };
	struct sl_ofp_bundle q = { .version = 4, .framing = SL_OFP_BUNDLE_ONF, .is_add = true,
				   .xid = 7, .bundle_id = 9, .flags = SL_OFPBF_ORDERED };
	struct sl_ofp_bundle d;
	struct sl_ofp_error err;
	struct sl_ofp_buf out = { 0 };

	memcpy(inner, flow_mod_hdr, sizeof(flow_mod_hdr));
	q.msg = inner;
	q.msg_len = sizeof(inner);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_encode(&q, &out), 0);
	CU_ASSERT_EQUAL(out.len, 16 + 8 + 12);
	CU_ASSERT_EQUAL(out.data[1], OFPT_EXPERIMENTER);
	CU_ASSERT_EQUAL(out.data[12] << 8 | out.data[13] << 0, 0); /* exp_type high half */
	CU_ASSERT_EQUAL(out.data[14] << 8 | out.data[15], SL_ONFT_BUNDLE_ADD_MESSAGE);
	CU_ASSERT_EQUAL(sl_ofp_bundle_framing(out.data, out.len), SL_OFP_BUNDLE_ONF);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_decode(out.data, out.len, &d, &err), 0);
	CU_ASSERT_TRUE(d.is_add);
	CU_ASSERT_EQUAL(d.xid, 7);
	CU_ASSERT_EQUAL(d.bundle_id, 9);
	CU_ASSERT_EQUAL(d.flags, SL_OFPBF_ORDERED);
	CU_ASSERT_EQUAL(d.msg_len, 12);
	CU_ASSERT(memcmp(d.msg, inner, 12) == 0);
	CU_ASSERT_EQUAL(d.props_len, 0);

	/* a control message, and a 1.3 message of another experimenter is none */
	out.len = 0;
	q.is_add = false;
	q.type = SL_OFPBCT_COMMIT_REQUEST;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_encode(&q, &out), 0);
	CU_ASSERT_EQUAL(out.len, 24);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_decode(out.data, out.len, &d, &err), 0);
	CU_ASSERT_EQUAL(d.type, SL_OFPBCT_COMMIT_REQUEST);
	out.data[11] = 0x20; /* Nicira's 0x00002320 */
	out.data[10] = 0x23;
	out.data[9] = 0;
	out.data[8] = 0;
	CU_ASSERT_EQUAL(sl_ofp_bundle_framing(out.data, out.len), 0);
	/* OFPT 33 in OpenFlow 1.3 is no bundle message */
	out.data[1] = SL_OFPT_BUNDLE_CONTROL;
	CU_ASSERT_EQUAL(sl_ofp_bundle_framing(out.data, out.len), 0);
	sl_ofp_buf_free(&out);
}

static void
expect_refused(const uint8_t *raw, size_t len, uint16_t type, uint16_t code)
{
	struct sl_ofp_bundle q;
	struct sl_ofp_error err;

	CU_ASSERT_EQUAL(sl_ofp_bundle_decode(raw, len, &q, &err), -1);
	CU_ASSERT_EQUAL(err.type, type);
	CU_ASSERT_EQUAL(err.code, code);
}

static void
test_bad_lengths(void)
{
	/* native add, inner header claims 16 bytes, 8 there */
	uint8_t add[24] = { 5, SL_OFPT_BUNDLE_ADD_MESSAGE, 0, 24, 0, 0, 0, 1,
			    0, 0, 0, 1, 0, 0, 0, 0, 5, OFPT_BARRIER_REQUEST, 0, 16, 0, 0, 0, 1 };
	uint8_t onf[32] = { 4, OFPT_EXPERIMENTER, 0, 32, 0, 0, 0, 1, 0x4f, 0x4e, 0x46, 0,
			    0, 0, 0x08, 0xfc, 0, 0, 0, 1, 0, 4, 0, 0,
			    0xff, 0xff, 0, 3, 0, 0, 0, 0 };
	uint8_t ctl14[24];

	expect_refused(add, sizeof(add), SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_MSG_BAD_LEN);
	add[19] = 4; /* shorter than a header */
	expect_refused(add, sizeof(add), SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_MSG_BAD_LEN);
	add[19] = 8;
	expect_refused(add, 20, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN); /* header says 24 */
	/* ONF control with a property of length 3: BAD_REQUEST/BAD_LEN in 1.3 ... */
	expect_refused(onf, sizeof(onf), OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
	/* ... BAD_PROPERTY/BAD_LEN in 1.4 */
	memcpy(ctl14, (const uint8_t[]){ 5, SL_OFPT_BUNDLE_CONTROL, 0, 24, 0, 0, 0, 1 }, 8);
	memcpy(ctl14 + 8, onf + 16, 16);
	expect_refused(ctl14, sizeof(ctl14), SL_OFPET_BAD_PROPERTY, SL_OFPBPC_BAD_LEN);
	ctl14[19] = 8; /* a whole 8-byte property: fine */
	struct sl_ofp_bundle q;
	struct sl_ofp_error err;
	CU_ASSERT_EQUAL(sl_ofp_bundle_decode(ctl14, sizeof(ctl14), &q, &err), 0);
	CU_ASSERT_EQUAL(q.props_len, 8);
}

/* Errors in both framings; ovs-ofctl ofp-print names them (if installed). */
static void
test_errors(void)
{
	uint8_t req[100];
	struct sl_ofp_buf out = { 0 };
	bool ofctl = system("ovs-ofctl --version >/dev/null 2>&1") == 0;

	memset(req, 0xab, sizeof(req));
	memcpy(req, (const uint8_t[]){ 4, OFPT_EXPERIMENTER, 0, 100, 0, 0, 0, 5 }, 8);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_error(4, 5, SL_OFPBFC_MSG_FAILED, req, 100, &out), 0);
	CU_ASSERT_EQUAL(out.len, 16 + 64);
	CU_ASSERT_EQUAL(out.data[1], OFPT_ERROR);
	CU_ASSERT_EQUAL(out.data[7], 5);
	CU_ASSERT_EQUAL(out.data[8] << 8 | out.data[9], OFPET_EXPERIMENTER);
	CU_ASSERT_EQUAL(out.data[10] << 8 | out.data[11], 2313);
	CU_ASSERT_EQUAL(out.data[12], 0x4f);
	CU_ASSERT(memcmp(out.data + 16, req, 64) == 0);
	if (ofctl)
		ofp_expect_print(&out, "OFPBFC_MSG_FAILED");
	out.len = 0;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_error(5, 6, SL_OFPBFC_OUT_OF_BUNDLES, NULL, 0, &out), 0);
	CU_ASSERT_EQUAL(out.len, 12);
	CU_ASSERT_EQUAL(out.data[0], 5);
	CU_ASSERT_EQUAL(out.data[8] << 8 | out.data[9], SL_OFPET_BUNDLE_FAILED);
	CU_ASSERT_EQUAL(out.data[10] << 8 | out.data[11], SL_OFPBFC_OUT_OF_BUNDLES);
	if (ofctl)
		ofp_expect_print(&out, "OFPBFC_OUT_OF_BUNDLES");
	sl_ofp_buf_free(&out);
	CU_ASSERT_STRING_EQUAL(sl_ofp_bundle_ctrl_name(SL_OFPBCT_DISCARD_REPLY), "DISCARD_REPLY");
	CU_ASSERT_STRING_EQUAL(sl_ofp_bundle_ctrl_name(8), "?");
}

/* What we encode, ovs-ofctl reads as the same bundle message. */
static void
test_ofp_print(void)
{
	struct sl_ofp_bundle q = { .version = 4, .framing = SL_OFP_BUNDLE_ONF, .xid = 3,
				   .bundle_id = 77, .type = SL_OFPBCT_COMMIT_REPLY,
				   .flags = SL_OFPBF_ATOMIC | SL_OFPBF_ORDERED };
	struct sl_ofp_buf out = { 0 };

	if (system("ovs-ofctl --version >/dev/null 2>&1") != 0) {
		printf("(ovs-ofctl not installed: skipped) ");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_encode(&q, &out), 0);
	ofp_expect_print(&out, "bundle_id=0x4d type=COMMIT_REPLY flags=atomic ordered");
	out.len = 0;
	q.version = 5;
	q.framing = SL_OFP_BUNDLE_NATIVE;
	q.type = SL_OFPBCT_OPEN_REPLY;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_encode(&q, &out), 0);
	ofp_expect_print(&out, "OFPT_BUNDLE_CONTROL (OF1.4)");
	ofp_expect_print(&out, "type=OPEN_REPLY");
	sl_ofp_buf_free(&out);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "of14_vectors", test_of14_vectors },
		{ "cuts", test_cuts },
		{ "onf_framing", test_onf_framing },
		{ "bad_lengths", test_bad_lengths },
		{ "errors", test_errors },
		{ "ofp_print", test_ofp_print },
	};

	return cunit_run_suite("ofp_bundle", tests, CUNIT_N_TESTS(tests));
}
