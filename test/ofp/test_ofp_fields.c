/* The OXM fields and the action of issue 25's "fields" part, on the wire:
 * tcp_flags in its three encodings (OF1.5 basic, the ONF experimenter field
 * OF1.3 peers send, Nicira's NXM_NX_TCP_FLAGS), packet_type (Ethernet only),
 * copy-field (OF1.5 OFPAT_COPY_FIELD; the ONF and Nicira experimenter
 * actions of OF1.3), actset_output, and the stat_trigger instruction
 * (refused with the version's error). Each decodes, re-encodes byte for
 * byte, validates with the spec's errors, and (when installed) `ovs-ofctl
 * ofp-print` reads what we encode as the same flow. */
#include <CUnit/Basic.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"

#include "openflow_v14.h"
#include "ofp_test_util.h"

/* A flow-mod of @p version: ip,tcp + @p extra match fields, apply-actions @p acts. */
static void
build(struct sl_ofp_msg *m, uint8_t version, struct sl_ofp_oxm *f, uint32_t n_f,
      struct sl_ofp_instruction *ins, struct sl_ofp_action *acts, uint32_t n_acts)
{
	ofp_build_flow_mod(m, version, f, n_f, ins, acts, n_acts);
	sl_ofp_oxm_set_basic(&f[0], OFPXMT_OFB_ETH_TYPE, 0x0800, NULL);
	sl_ofp_oxm_set_basic(&f[1], OFPXMT_OFB_IP_PROTO, 6, NULL);
}

/* tcp_flags: OF1.3 writes the ONF experimenter field, OF1.5 the basic one;
 * the Nicira form decodes to the same field and re-encodes as it came. */
static void
test_tcp_flags_forms(void)
{
	static const struct { uint8_t version, form; const char *hex; } cases[] = {
		{ OFP_VERSION, SL_OXM_FORM_AUTO, "ffff55084f4e460000020012" },
		{ OFP15_VERSION, SL_OXM_FORM_AUTO, "8000550400020012" },
		{ OFP_VERSION, SL_OXM_FORM_NXM, "0001450400020012" },
		{ OFP15_VERSION, SL_OXM_FORM_ONF, "ffff55084f4e460000020012" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sl_ofp_oxm f[3];
		struct sl_ofp_msg m, back;
		struct sl_ofp_buf out = { 0 };
		uint64_t mask = 0x012;

		build(&m, cases[i].version, f, 3, NULL, NULL, 0);
		CU_ASSERT_EQUAL(sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_TCP_FLAGS, 0x002, &mask), 0);
		f[2].form = cases[i].form;
		ofp_round_trip(&m, cases[i].hex, &out, &back, 0, 0);
		const struct sl_ofp_oxm *x = &back.u.flow_mod.match.fields[2];
		CU_ASSERT_EQUAL(x->oxm_class, OFPXMC_OPENFLOW_BASIC);
		CU_ASSERT_EQUAL(x->field, OFPXMT_OFB_TCP_FLAGS);
		CU_ASSERT_EQUAL(sl_ofp_oxm_value_u64(x), 0x002);
		CU_ASSERT_EQUAL(x->mask[1], 0x12);
		ofp_expect_print_clean(&out, "tcp_flags=+syn-ack");
		sl_ofp_msg_free(&back);
		sl_ofp_buf_free(&out);
	}
}

/* actset_output (OF1.5 field 43): the basic field in OF1.5, the ONF
 * experimenter field OVS sends in OF1.3 (ONFOXM_ET_ACTSET_OUTPUT); no mask
 * (OFPBMC_BAD_MASK), no prerequisite, and it is not a set-field target. */
static void
test_actset_output(void)
{
	static const struct { uint8_t version; const char *hex; } cases[] = {
		{ OFP15_VERSION, "8000560400000002" },
		{ OFP_VERSION, "ffff56084f4e460000000002" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sl_ofp_oxm f[3];
		struct sl_ofp_msg m, back;
		struct sl_ofp_buf out = { 0 };

		build(&m, cases[i].version, f, 3, NULL, NULL, 0);
		CU_ASSERT_EQUAL(sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_ACTSET_OUTPUT, 2, NULL), 0);
		ofp_round_trip(&m, cases[i].hex, &out, &back, 0, 0);
		const struct sl_ofp_oxm *x = &back.u.flow_mod.match.fields[2];
		CU_ASSERT_EQUAL(x->oxm_class, OFPXMC_OPENFLOW_BASIC);
		CU_ASSERT_EQUAL(x->field, OFPXMT_OFB_ACTSET_OUTPUT);
		CU_ASSERT_EQUAL(sl_ofp_oxm_value_u64(x), 2);
		ofp_expect_print_clean(&out, "actset_output=2");
		sl_ofp_msg_free(&back);
		sl_ofp_buf_free(&out);
	}
	struct sl_ofp_oxm f[3];
	struct sl_ofp_msg m, back;
	struct sl_ofp_buf out = { 0 };
	uint64_t mask = 0xff;

	build(&m, OFP15_VERSION, f, 3, NULL, NULL, 0);
	sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_ACTSET_OUTPUT, 2, &mask);
	ofp_round_trip(&m, "8000570800000002000000ff", &out, &back, OFPET_BAD_MATCH,
		       OFPBMC_BAD_MASK);
	sl_ofp_msg_free(&back);
	sl_ofp_buf_free(&out);
	struct sl_ofp_oxm sf;
	struct sl_ofp_error err;
	sl_ofp_oxm_set_basic(&sf, OFPXMT_OFB_ACTSET_OUTPUT, 2, NULL);
	CU_ASSERT_EQUAL(sl_ofp_set_field_validate(&sf, NULL, 0, &err), -1);
	CU_ASSERT_EQUAL(err.type, OFPET_BAD_ACTION);
	CU_ASSERT_EQUAL(err.code, OFPBAC_BAD_SET_TYPE);
}

/* OF1.5 stat_trigger (os-ken's OFPInstructionStatTrigger, periodic, 10
 * flows): decoded and re-encoded byte for byte, refused by validation with
 * OFPBIC_UNSUP_INST in OF1.5 and OFPBIC_UNKNOWN_INST in OF1.3, which has no
 * instruction 7. */
static void
test_stat_trigger(void)
{
	static const char hex[] =
		"060e005800000007000000000000000000000000000000000000000000000005ffffffff"
		"0000000000000000000000000001000c80000004000000010000000000070018000000"
		"010000000c800206040000000a00000000";
	uint8_t b[88];
	struct sl_ofp_msg m;
	struct sl_ofp_buf out = { 0 };
	struct sl_ofp_error err;

	CU_ASSERT_EQUAL_FATAL(strlen(hex), 2 * sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		sscanf(hex + 2 * i, "%2hhx", &b[i]);
	for (int v = 0; v < 2; v++) {
		b[0] = v ? OFP_VERSION : OFP15_VERSION;
		CU_ASSERT_EQUAL_FATAL(sl_ofp_decode(b, sizeof(b), &m, &err), 0);
		CU_ASSERT_EQUAL(sl_ofp_encode(&m, &out), 0);
		CU_ASSERT(out.len == sizeof(b) && memcmp(out.data, b, sizeof(b)) == 0);
		CU_ASSERT_EQUAL(sl_ofp_validate(&m, &err), -1);
		CU_ASSERT_EQUAL(err.type, OFPET_BAD_INSTRUCTION);
		CU_ASSERT_EQUAL(err.code, v ? OFPBIC_UNKNOWN_INST : OFPBIC_UNSUP_INST);
		out.len = 0;
		sl_ofp_msg_free(&m);
	}
	sl_ofp_buf_free(&out);
}

/* tcp_flags needs TCP, has 12 bits, and an ONF field with a wrong length
 * is refused where it is. */
static void
test_tcp_flags_errors(void)
{
	struct sl_ofp_oxm f[3];
	struct sl_ofp_msg m, back;
	struct sl_ofp_buf out = { 0 };
	struct sl_ofp_error err;

	build(&m, OFP_VERSION, f, 3, NULL, NULL, 0);
	sl_ofp_oxm_set_basic(&f[1], OFPXMT_OFB_IP_PROTO, 17, NULL);
	sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_TCP_FLAGS, 0x002, NULL);
	ofp_round_trip(&m, NULL, &out, &back, OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ);
	sl_ofp_msg_free(&back);
	out.len = 0;
	sl_ofp_oxm_set_basic(&f[1], OFPXMT_OFB_IP_PROTO, 6, NULL);
	sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_TCP_FLAGS, 0x1002, NULL);
	ofp_round_trip(&m, NULL, &out, &back, OFPET_BAD_MATCH, OFPBMC_BAD_VALUE);
	sl_ofp_msg_free(&back);
	/* the ONF field's length says 4 + 3 */
	size_t at = 0;
	for (size_t i = 0; i + 4 <= out.len; i++)
		if (out.data[i] == 0xff && out.data[i + 1] == 0xff && out.data[i + 2] == 0x54)
			at = i;
	CU_ASSERT_FATAL(at != 0);
	out.data[at + 3] = 7;
	CU_ASSERT_EQUAL(sl_ofp_decode(out.data, out.len, &back, &err), -1);
	CU_ASSERT_EQUAL(err.type, OFPET_BAD_MATCH);
	CU_ASSERT_EQUAL(err.code, OFPBMC_BAD_LEN);
	sl_ofp_buf_free(&out);
}

/* packet_type: (0, 0) is every packet; anything else BAD_VALUE; read-only. */
static void
test_packet_type(void)
{
	struct sl_ofp_oxm f[3], sf;
	struct sl_ofp_instruction ins;
	struct sl_ofp_action act;
	struct sl_ofp_msg m, back;
	struct sl_ofp_buf out = { 0 };

	build(&m, OFP15_VERSION, f, 3, NULL, NULL, 0);
	sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_PACKET_TYPE, 0, NULL);
	ofp_round_trip(&m, "8000580400000000", &out, &back, 0, 0);
	ofp_expect_print_clean(&out, "OFPT_FLOW_MOD (OF1.5)");
	sl_ofp_msg_free(&back);
	out.len = 0;
	sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_PACKET_TYPE, 0x00010800, NULL); /* (1, 0x800) */
	ofp_round_trip(&m, NULL, &out, &back, OFPET_BAD_MATCH, OFPBMC_BAD_VALUE);
	sl_ofp_msg_free(&back);
	out.len = 0;
	memset(&act, 0, sizeof(act));
	act.type = OFPAT_SET_FIELD;
	sl_ofp_oxm_set_basic(&sf, OFPXMT_OFB_PACKET_TYPE, 0, NULL);
	act.u.set_field = sf;
	build(&m, OFP15_VERSION, f, 2, &ins, &act, 1);
	ofp_round_trip(&m, NULL, &out, &back, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
	sl_ofp_msg_free(&back);
	sl_ofp_buf_free(&out);
}

static void
copy_field_action(struct sl_ofp_action *a, uint8_t version, uint8_t src, uint8_t dst,
		  uint16_t n_bits, uint16_t so, uint16_t dof, struct sl_ofp_msg *owner)
{
	struct sl_ofp_copy_field cf = { .n_bits = n_bits, .src_offset = so, .dst_offset = dof };
	CU_ASSERT_EQUAL_FATAL(sl_ofp_copy_field_header(src, version, &cf.src), 0);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_copy_field_header(dst, version, &cf.dst), 0);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_copy_field_put(&cf, version, owner, a), 0);
}

/* Copy-field in OF1.5 (native) and OF1.3 (ONF experimenter 3200). */
static void
test_copy_field_forms(void)
{
	static const struct { uint8_t version; const char *hex, *print; } cases[] = {
		{ OFP15_VERSION, "001c0018003000000000000080000806800006060000000",
		  "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]" },
		{ OFP_VERSION, "ffff00204f4e46000c8000000030000000000000800008068000060600000000",
		  "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sl_ofp_oxm f[2];
		struct sl_ofp_instruction ins;
		struct sl_ofp_action act[2];
		struct sl_ofp_msg m, back;
		struct sl_ofp_buf out = { 0 };
		struct sl_ofp_copy_field cf;
		uint8_t src, dst;

		build(&m, cases[i].version, f, 2, &ins, act, 2);
		copy_field_action(&act[0], cases[i].version, OFPXMT_OFB_ETH_SRC, OFPXMT_OFB_ETH_DST,
				  48, 0, 0, &m);
		memset(&act[1], 0, sizeof(act[1]));
		act[1].type = OFPAT_OUTPUT;
		act[1].u.output.port = 2;
		ofp_round_trip(&m, cases[i].hex, &out, &back, 0, 0);
		const struct sl_ofp_action *a =
			&back.u.flow_mod.instructions[0].u.actions.actions[0];
		CU_ASSERT_EQUAL(sl_ofp_copy_field_get(a, &cf, NULL), 1);
		CU_ASSERT_EQUAL(cf.n_bits, 48);
		CU_ASSERT_EQUAL(sl_ofp_copy_field_field(&cf.src, &src), 0);
		CU_ASSERT_EQUAL(sl_ofp_copy_field_field(&cf.dst, &dst), 0);
		CU_ASSERT_EQUAL(src, OFPXMT_OFB_ETH_SRC);
		CU_ASSERT_EQUAL(dst, OFPXMT_OFB_ETH_DST);
		ofp_expect_print_clean(&out, cases[i].print);
		sl_ofp_msg_free(&back);
		sl_ofp_buf_free(&out);
		sl_ofp_msg_free(&m);
	}
}

/* Sub-fields, tcp_flags in its OF1.3 ONF form as a copy-field operand. */
static void
test_copy_field_subfields(void)
{
	struct sl_ofp_oxm f[2];
	struct sl_ofp_instruction ins;
	struct sl_ofp_action act;
	struct sl_ofp_msg m, back;
	struct sl_ofp_buf out = { 0 };

	for (uint8_t v = OFP_VERSION; v <= OFP15_VERSION; v = (uint8_t)(v + 2)) {
		build(&m, v, f, 2, &ins, &act, 1);
		copy_field_action(&act, v, OFPXMT_OFB_TCP_FLAGS, OFPXMT_OFB_IP_DSCP, 4, 0, 2, &m);
		ofp_round_trip(&m, NULL, &out, &back, 0, 0);
		ofp_expect_print_clean(&out, "move:NXM_NX_TCP_FLAGS[0..3]->OXM_OF_IP_DSCP[2..5]");
		sl_ofp_msg_free(&back);
		sl_ofp_msg_free(&m);
		out.len = 0;
	}
	sl_ofp_buf_free(&out);
}

/* Nicira's NXAST_REG_MOVE as `ovs-ofctl -O OpenFlow13` sends `move:`, NXM headers. */
static void
test_reg_move(void)
{
	static const uint8_t body[] = { 0x00, 0x30, 0, 0, 0, 0, 0x00, 0x00, 0x04, 0x06,
					0x00, 0x00, 0x02, 0x06 };
	struct sl_ofp_action a = { .type = OFPAT_EXPERIMENTER };
	struct sl_ofp_copy_field cf;
	struct sl_ofp_error err = { 0 };
	uint8_t src, dst;

	a.u.experimenter.experimenter = 0x2320;
	a.u.experimenter.subtype = SL_NXAST_REG_MOVE;
	a.u.experimenter.data = body;
	a.u.experimenter.data_len = sizeof(body);
	CU_ASSERT_EQUAL(sl_ofp_copy_field_get(&a, &cf, &err), 1);
	CU_ASSERT_EQUAL(sl_ofp_copy_field_field(&cf.src, &src), 0);
	CU_ASSERT_EQUAL(sl_ofp_copy_field_field(&cf.dst, &dst), 0);
	CU_ASSERT_EQUAL(src, OFPXMT_OFB_ETH_SRC);
	CU_ASSERT_EQUAL(dst, OFPXMT_OFB_ETH_DST);
	CU_ASSERT_EQUAL(cf.n_bits, 48);
	/* cut: the destination header is missing */
	a.u.experimenter.data_len = 10;
	CU_ASSERT_EQUAL(sl_ofp_copy_field_get(&a, &cf, &err), -1);
	CU_ASSERT_EQUAL(err.code, OFPBAC_BAD_LEN);
	/* another Nicira action is not a copy-field */
	a.u.experimenter.subtype = 7;
	CU_ASSERT_EQUAL(sl_ofp_copy_field_get(&a, &cf, &err), 0);
	/* a register (NXM_NX_REG0) is a field Sluice does not have */
	struct sl_ofp_oxm_id reg0 = { .header = 0x00010004 };
	CU_ASSERT_EQUAL(sl_ofp_copy_field_field(&reg0, &src), -1);
	/* a masked header names no whole field */
	struct sl_ofp_oxm_id masked = { .header = 0x8000070c };
	CU_ASSERT_EQUAL(sl_ofp_copy_field_field(&masked, &src), -1);
}

/* Refusals: an unknown field (basic 41), an unpadded length (os-ken
 * writes 20), a copy-field in OF1.3's own action numbering. */
static void
test_copy_field_errors(void)
{
	struct sl_ofp_oxm f[2];
	struct sl_ofp_instruction ins;
	struct sl_ofp_action act;
	struct sl_ofp_msg m, back;
	struct sl_ofp_buf out = { 0 };
	struct sl_ofp_error err;

	build(&m, OFP15_VERSION, f, 2, &ins, &act, 1);
	copy_field_action(&act, OFP15_VERSION, OFPXMT_OFB_ETH_SRC, OFPXMT_OFB_ETH_DST, 48, 0, 0, &m);
	act.u.copy_field.src.header = 0x80005204; /* basic field 41: none */
	ofp_round_trip(&m, NULL, &out, &back, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
	sl_ofp_msg_free(&back);
	/* the action's length 24 -> 20: the padding is missing */
	for (size_t i = 0; i + 4 <= out.len; i++)
		if (out.data[i] == 0x00 && out.data[i + 1] == 0x1c && out.data[i + 3] == 0x18)
			out.data[i + 3] = 0x14;
	CU_ASSERT_EQUAL(sl_ofp_decode(out.data, out.len, &back, &err), -1);
	CU_ASSERT_EQUAL(err.type, OFPET_BAD_ACTION);
	CU_ASSERT_EQUAL(err.code, OFPBAC_BAD_LEN);
	/* OF1.3 has no action 28 */
	out.len = 0;
	m.version = OFP_VERSION;
	act.u.copy_field.src.header = 0x80000806;
	CU_ASSERT_EQUAL(sl_ofp_encode(&m, &out), -EINVAL);
	sl_ofp_buf_free(&out);
	sl_ofp_msg_free(&m);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "tcp_flags forms", test_tcp_flags_forms },
		{ "tcp_flags errors", test_tcp_flags_errors },
		{ "actset_output", test_actset_output },
		{ "stat_trigger", test_stat_trigger },
		{ "packet_type", test_packet_type },
		{ "copy_field forms", test_copy_field_forms },
		{ "copy_field subfields", test_copy_field_subfields },
		{ "NXAST_REG_MOVE", test_reg_move },
		{ "copy_field errors", test_copy_field_errors },
	};
	return cunit_run_suite("ofp_fields", tests, CUNIT_N_TESTS(tests));
}
