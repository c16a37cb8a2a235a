/* The NXM tunnel address fields (issue 23): tun_src / tun_dst
 * (NXM_NX_TUN_IPV4_SRC/DST, class 1, fields 31, 32) and tun_ipv6_src /
 * tun_ipv6_dst (109, 110), as ovs-ofctl sends them inside an OXM match and
 * in OFPAT_SET_FIELD: in OF1.3, 1.4 and 1.5 alike (they have no OXM
 * number). Each decodes to its own field, re-encodes byte for byte,
 * validates (maskable, no prerequisite), and `ovs-ofctl ofp-print` reads
 * what we encode as the same flow. The bytes below are what `ovs-ofctl
 * -O OpenFlow13 add-flow` sends for those flows (NXM header: class
 * 0x0001, field << 1 | hasmask, length). */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"

#include "openflow_v14.h"
#include "ofp_test_util.h"

static const struct tun_case {
	uint8_t field;
	uint8_t len;
	bool masked;
	uint8_t v[16], m[16];
	const char *hex;   /* the TLV as ovs-ofctl writes it */
	const char *print; /* as ovs-ofctl prints it */
} cases[] = {
	{ SL_OFPXMT_TUN_IPV4_SRC, 4, false, { 192, 0, 2, 2 }, { 0 }, "00013e04c0000202",
	  "tun_src=192.0.2.2" },
	{ SL_OFPXMT_TUN_IPV4_DST, 4, true, { 10, 0, 0, 0 }, { 255, 0, 0, 0 },
	  "000141080a000000ff000000", "tun_dst=10.0.0.0/8" },
	{ SL_OFPXMT_TUN_IPV6_SRC, 16, false,
	  { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, { 0 },
	  "0001da1020010db8000000000000000000000001", "tun_ipv6_src=2001:db8::1" },
	{ SL_OFPXMT_TUN_IPV6_DST, 16, true,
	  { 0x20, 0x01, 0x0d, 0xb8 }, { 0xff, 0xff, 0xff, 0xff },
	  "0001dd2020010db8000000000000000000000000ffffffff000000000000000000000000",
	  "tun_ipv6_dst=2001:db8::/32" },
};

/* Each field, each version: the NXM form, decoded to its field. */
static void
test_match_forms(void)
{
	static const uint8_t versions[] = { OFP_VERSION, OFP14_VERSION, OFP15_VERSION };

	for (size_t v = 0; v < sizeof(versions); v++) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const struct tun_case *c = &cases[i];
			struct sl_ofp_oxm f[1];
			struct sl_ofp_msg m, back;
			struct sl_ofp_buf out = { 0 };

			ofp_build_flow_mod(&m, versions[v], f, 1, NULL, NULL, 0);
			CU_ASSERT_EQUAL(sl_ofp_oxm_set_bytes(&f[0], c->field, c->v,
							     c->masked ? c->m : NULL), 0);
			ofp_round_trip(&m, c->hex, &out, &back, 0, 0);
			const struct sl_ofp_oxm *x = &back.u.flow_mod.match.fields[0];
			CU_ASSERT_EQUAL(x->oxm_class, OFPXMC_OPENFLOW_BASIC);
			CU_ASSERT_EQUAL(x->field, c->field);
			CU_ASSERT_EQUAL(x->form, SL_OXM_FORM_NXM);
			CU_ASSERT_EQUAL(x->value_len, c->len);
			CU_ASSERT(memcmp(x->value, c->v, c->len) == 0);
			CU_ASSERT_EQUAL(x->hasmask, c->masked);
			ofp_expect_print_clean(&out, c->print);
			sl_ofp_msg_free(&back);
			sl_ofp_buf_free(&out);
		}
	}
}

/* set_field:192.0.2.3->tun_dst and set_field:2001:db8::3->tun_ipv6_dst:
 * OFPAT_SET_FIELD carrying the NXM header, as OVS writes it for OF1.3. */
static void
test_set_field(void)
{
	static const struct {
		uint8_t field, len, v[16];
		const char *hex, *print;
	} sf[] = {
		{ SL_OFPXMT_TUN_IPV4_DST, 4, { 192, 0, 2, 3 }, "0019001000014004c0000203",
		  "set_field:192.0.2.3->tun_dst" },
		{ SL_OFPXMT_TUN_IPV6_DST, 16, { 0x20, 0x01, 0x0d, 0xb8, [15] = 3 },
		  "001900180001dc1020010db8000000000000000000000003",
		  "set_field:2001:db8::3->tun_ipv6_dst" },
	};
	for (size_t i = 0; i < sizeof(sf) / sizeof(sf[0]); i++) {
		char hex[80];
		size_t k = 0;
		for (const char *p = sf[i].hex; *p; p++) /* the spaces are for reading */
			if (*p != ' ')
				hex[k++] = *p;
		hex[k] = '\0';
		struct sl_ofp_oxm f[1];
		struct sl_ofp_instruction ins;
		struct sl_ofp_action a[2];
		struct sl_ofp_msg m, back;
		struct sl_ofp_buf out = { 0 };

		memset(a, 0, sizeof(a));
		a[0].type = OFPAT_SET_FIELD;
		CU_ASSERT_EQUAL(sl_ofp_oxm_set_bytes(&a[0].u.set_field, sf[i].field, sf[i].v, NULL),
				0);
		a[1].type = OFPAT_OUTPUT;
		a[1].u.output.port = 2;
		a[1].u.output.max_len = 0;
		ofp_build_flow_mod(&m, OFP_VERSION, f, 0, &ins, a, 2);
		ofp_round_trip(&m, hex, &out, &back, 0, 0);
		ofp_expect_print_clean(&out, sf[i].print);
		const struct sl_ofp_action *x =
			&back.u.flow_mod.instructions[0].u.actions.actions[0];
		CU_ASSERT_EQUAL(x->u.set_field.field, sf[i].field);
		CU_ASSERT(memcmp(x->u.set_field.value, sf[i].v, sf[i].len) == 0);
		sl_ofp_msg_free(&back);
		sl_ofp_buf_free(&out);
	}
}

/* A basic-class TLV can never name them (7-bit field numbers); a wrong
 * length is the match's BAD_LEN; the other NXM fields stay refused. */
static void
test_refusals(void)
{
	/* OF1.3 flow-mod header + match with NXM tun_src of length 5 */
	struct sl_ofp_oxm f[1];
	struct sl_ofp_msg m, back;
	struct sl_ofp_buf out = { 0 };
	struct sl_ofp_error err = { 0 };
	uint8_t v[4] = { 192, 0, 2, 2 };

	ofp_build_flow_mod(&m, OFP_VERSION, f, 1, NULL, NULL, 0);
	sl_ofp_oxm_set_bytes(&f[0], SL_OFPXMT_TUN_IPV4_SRC, v, NULL);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_encode(&m, &out), 0);
	/* the TLV's length byte 4 -> 5 (and one byte more in the match) */
	for (size_t i = 0; i + 4 <= out.len; i++) {
		if (memcmp(out.data + i, "\x00\x01\x3e\x04", 4) == 0) {
			out.data[i + 3] = 5;
			break;
		}
	}
	CU_ASSERT_NOT_EQUAL(sl_ofp_decode(out.data, out.len, &back, &err), 0);
	CU_ASSERT_EQUAL(err.type, OFPET_BAD_MATCH);
	sl_ofp_buf_free(&out);
	CU_ASSERT_PTR_NULL(sl_ofp_oxm_basic_info(SL_OFPXMT_TUN_IPV4_SRC - 1));
	CU_ASSERT_STRING_EQUAL(sl_ofp_oxm_basic_info(SL_OFPXMT_TUN_IPV6_DST)->name, "tun_ipv6_dst");
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "tun_src/tun_dst/IPv6 in OF1.3-1.5 matches", test_match_forms },
		{ "set_field on tun_dst", test_set_field },
		{ "refusals", test_refusals },
	};
	return cunit_run_suite("ofp_tun_fields", tests, CUNIT_N_TESTS(tests));
}
