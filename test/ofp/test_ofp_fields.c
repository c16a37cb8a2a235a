/* The OXM fields and the action of issue 25's "fields" part, on the wire:
 * tcp_flags in its three encodings (OF1.5 basic, the ONF experimenter field
 * OF1.3 peers send, Nicira's NXM_NX_TCP_FLAGS), packet_type (Ethernet only),
 * copy-field (OF1.5 OFPAT_COPY_FIELD; the ONF and Nicira experimenter
 * actions of OF1.3). Each decodes, re-encodes byte for byte, validates with
 * the spec's errors, and (when installed) `ovs-ofctl ofp-print` reads what
 * we encode as the same flow. */
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
	sl_ofp_msg_init(m, OFPT_FLOW_MOD, 1);
	m->version = version;
	struct sl_ofp_flow_mod *fm = &m->u.flow_mod;
	fm->command = OFPFC_ADD;
	fm->priority = 10;
	fm->buffer_id = OFP_NO_BUFFER;
	fm->out_port = OFPP_ANY;
	fm->out_group = OFPG_ANY;
	fm->match.type = OFPMT_OXM;
	fm->match.fields = f;
	fm->match.n_fields = n_f;
	sl_ofp_oxm_set_basic(&f[0], OFPXMT_OFB_ETH_TYPE, 0x0800, NULL);
	sl_ofp_oxm_set_basic(&f[1], OFPXMT_OFB_IP_PROTO, 6, NULL);
	if (n_acts) {
		memset(ins, 0, sizeof(*ins));
		ins->type = OFPIT_APPLY_ACTIONS;
		ins->u.actions.actions = acts;
		ins->u.actions.n_actions = n_acts;
		fm->instructions = ins;
		fm->n_instructions = 1;
	}
}

static bool
has_bytes(const struct sl_ofp_buf *b, const char *hex)
{
	uint8_t want[64];
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &want[i]);
	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, want, n) == 0)
			return true;
	return false;
}

/* Encode @p m, check @p hex is in it, decode, re-encode byte for byte,
 * validate (0 or the expected error); the decoded message in @p back. */
static void
round_trip(const struct sl_ofp_msg *m, const char *hex, struct sl_ofp_buf *out,
	   struct sl_ofp_msg *back, uint16_t etype, uint16_t ecode)
{
	struct sl_ofp_buf again = { 0 };
	struct sl_ofp_error err = { 0 };

	CU_ASSERT_EQUAL_FATAL(sl_ofp_encode(m, out), 0);
	if (hex != NULL && !has_bytes(out, hex))
		printf("\nmissing %s\n", hex);
	CU_ASSERT(hex == NULL || has_bytes(out, hex));
	CU_ASSERT_EQUAL_FATAL(sl_ofp_decode(out->data, out->len, back, &err), 0);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_encode(back, &again), 0);
	CU_ASSERT(again.len == out->len && memcmp(again.data, out->data, out->len) == 0);
	int rc = sl_ofp_validate(back, &err);
	if (etype == 0) {
		if (rc != 0)
			printf("\nvalidate: %s\n", sl_ofp_error_code_name(err.type, err.code));
		CU_ASSERT_EQUAL(rc, 0);
	} else {
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_EQUAL(err.type, etype);
		CU_ASSERT_EQUAL(err.code, ecode);
	}
	sl_ofp_buf_free(&again);
}

static bool
have_ovs_ofctl(void)
{
	static int have = -1;
	if (have < 0)
		have = system("ovs-ofctl --version >/dev/null 2>&1") == 0;
	return have;
}

/* `ovs-ofctl ofp-print` of @p b says @p want (and no warning). */
static void
ofp_print_has(const struct sl_ofp_buf *b, const char *want)
{
	char cmd[4096], line[1024];
	size_t n = (size_t)snprintf(cmd, sizeof(cmd), "ovs-ofctl ofp-print '");
	bool found = false, warned = false;

	if (!have_ovs_ofctl())
		return;
	for (size_t i = 0; i < b->len && n + 4 < sizeof(cmd); i++)
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, "%02x", b->data[i]);
	snprintf(cmd + n, sizeof(cmd) - n, "' 2>&1");
	FILE *f = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		found |= strstr(line, want) != NULL;
		warned |= strstr(line, "WARN") != NULL || strstr(line, "bad") != NULL;
	}
	pclose(f);
	if (!found || warned)
		printf("\nofp-print did not say %s (%s)\n", want, cmd);
	CU_ASSERT_TRUE(found);
	CU_ASSERT_FALSE(warned);
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
		round_trip(&m, cases[i].hex, &out, &back, 0, 0);
		const struct sl_ofp_oxm *x = &back.u.flow_mod.match.fields[2];
		CU_ASSERT_EQUAL(x->oxm_class, OFPXMC_OPENFLOW_BASIC);
		CU_ASSERT_EQUAL(x->field, OFPXMT_OFB_TCP_FLAGS);
		CU_ASSERT_EQUAL(sl_ofp_oxm_value_u64(x), 0x002);
		CU_ASSERT_EQUAL(x->mask[1], 0x12);
		ofp_print_has(&out, "tcp_flags=+syn-ack");
		sl_ofp_msg_free(&back);
		sl_ofp_buf_free(&out);
	}
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
	round_trip(&m, NULL, &out, &back, OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ);
	sl_ofp_msg_free(&back);
	out.len = 0;
	sl_ofp_oxm_set_basic(&f[1], OFPXMT_OFB_IP_PROTO, 6, NULL);
	sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_TCP_FLAGS, 0x1002, NULL);
	round_trip(&m, NULL, &out, &back, OFPET_BAD_MATCH, OFPBMC_BAD_VALUE);
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
	round_trip(&m, "8000580400000000", &out, &back, 0, 0);
	ofp_print_has(&out, "OFPT_FLOW_MOD (OF1.5)");
	sl_ofp_msg_free(&back);
	out.len = 0;
	sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_PACKET_TYPE, 0x00010800, NULL); /* (1, 0x800) */
	round_trip(&m, NULL, &out, &back, OFPET_BAD_MATCH, OFPBMC_BAD_VALUE);
	sl_ofp_msg_free(&back);
	out.len = 0;
	memset(&act, 0, sizeof(act));
	act.type = OFPAT_SET_FIELD;
	sl_ofp_oxm_set_basic(&sf, OFPXMT_OFB_PACKET_TYPE, 0, NULL);
	act.u.set_field = sf;
	build(&m, OFP15_VERSION, f, 2, &ins, &act, 1);
	round_trip(&m, NULL, &out, &back, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
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
		round_trip(&m, cases[i].hex, &out, &back, 0, 0);
		const struct sl_ofp_action *a =
			&back.u.flow_mod.instructions[0].u.actions.actions[0];
		CU_ASSERT_EQUAL(sl_ofp_copy_field_get(a, &cf, NULL), 1);
		CU_ASSERT_EQUAL(cf.n_bits, 48);
		CU_ASSERT_EQUAL(sl_ofp_copy_field_field(&cf.src, &src), 0);
		CU_ASSERT_EQUAL(sl_ofp_copy_field_field(&cf.dst, &dst), 0);
		CU_ASSERT_EQUAL(src, OFPXMT_OFB_ETH_SRC);
		CU_ASSERT_EQUAL(dst, OFPXMT_OFB_ETH_DST);
		ofp_print_has(&out, cases[i].print);
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
		round_trip(&m, NULL, &out, &back, 0, 0);
		ofp_print_has(&out, "move:NXM_NX_TCP_FLAGS[0..3]->OXM_OF_IP_DSCP[2..5]");
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

/* Refusals: an unknown field (actset_output), an unpadded length (os-ken
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
	act.u.copy_field.src.header = 0x80005604; /* actset_output */
	round_trip(&m, NULL, &out, &back, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
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
		{ "packet_type", test_packet_type },
		{ "copy_field forms", test_copy_field_forms },
		{ "copy_field subfields", test_copy_field_subfields },
		{ "NXAST_REG_MOVE", test_reg_move },
		{ "copy_field errors", test_copy_field_errors },
	};
	return cunit_run_suite("ofp_fields", tests, CUNIT_N_TESTS(tests));
}
