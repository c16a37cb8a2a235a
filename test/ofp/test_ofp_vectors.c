/* The OF1.3 test vectors (os-ken's packet_data + JSON twins):
 * every .packet decodes, its dump equals the JSON twin, re-encoding gives
 * the same bytes; vendor-extension vectors are listed with the error the
 * switch answers; truncated inputs fail cleanly. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"

#include "ofp_test_util.h"

/* Vectors carrying extensions we keep opaque: os-ken decodes them into
 * vendor classes, so the JSON cannot match; the switch refuses them with
 * this error (from sl_ofp_validate). */
static const struct unsupported {
	const char *file;
	uint16_t type, code;
	const char *why;
} unsupported[] = {
	{ "4-63-onf_flow_monitor_request.packet", OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER,
	  "ONF flow monitor multipart" },
	{ "libofproto-OFP13-flow_mod.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER,
	  "NX learn (its NXM tun_src match is known)" },
	{ "libofproto-OFP13-flow_mod_conjunction.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER,
	  "NX conjunction (its NXM tun_src match is known)" },
	{ "libofproto-OFP13-flow_mod_match_conj.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD,
	  "NXM conj_id" },
	{ "ovs-ofctl-of13-action_conjunction.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER,
	  "NX action (its NXM tun_src match is known)" },
	{ "ovs-ofctl-of13-action_controller.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_controller2.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_ct.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD, "NXM field in match, NX action" },
	{ "ovs-ofctl-of13-action_ct_clear.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD, "NXM field in match, NX action" },
	{ "ovs-ofctl-of13-action_ct_exec.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD, "NXM field in match, NX action" },
	{ "ovs-ofctl-of13-action_ct_nat.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_ct_nat_v6.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_dec_ttl_cnt_ids.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_fintimeout.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_learn.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER,
	  "NX action (its NXM tun_src match is known)" },
	{ "ovs-ofctl-of13-action_note.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_output_trunc.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_resubmit.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER,
	  "NX action (its NXM tun_src match is known)" },
	{ "ovs-ofctl-of13-action_sample.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_sample2.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_stack_pop.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-action_stack_push.packet", OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, "NX" },
	{ "ovs-ofctl-of13-match_conj.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD, "NXM conj_id" },
	{ "ovs-ofctl-of13-match_load_nx_register.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD, "NXM reg" },
	{ "ovs-ofctl-of13-match_move_nx_register.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD, "NXM reg" },
	{ "ovs-ofctl-of13-match_pkt_mark.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD, "NXM pkt_mark" },
	{ "ovs-ofctl-of13-match_pkt_mark_masked.packet", OFPET_BAD_MATCH, OFPBMC_BAD_FIELD,
	  "NXM pkt_mark" },
};

/* Vectors whose JSON shows os-ken's own decoding of the payload (its
 * packet library) instead of the raw bytes: fields compared except data. */
static const char *const json_data_parsed[] = {
	"libofproto-OFP13-ofp_packet_out_packet_library.packet",
};

/* Vectors that decode and validate but whose messages a switch still
 * refuses (validate() result checked separately). */
static const struct unsupported *find_unsupported(const char *name)
{
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (strcmp(unsupported[i].file, name) == 0)
			return &unsupported[i];
	return NULL;
}

static bool data_parsed(const char *name)
{
	for (size_t i = 0; i < sizeof(json_data_parsed) / sizeof(json_data_parsed[0]); i++)
		if (strcmp(json_data_parsed[i], name) == 0)
			return true;
	return false;
}

/* Drop lines whose path contains @p key from a sorted set. */
static void drop_lines(struct sl_lines *l, const char *key)
{
	size_t o = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (strstr(l->v[i], key) != NULL)
			free(l->v[i]);
		else
			l->v[o++] = l->v[i];
	}
	l->n = o;
}

static uint8_t *read_vector(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", ofp_vectors_dir(), name);
	return ofp_read_file(path, len);
}

static size_t compare_json(const char *name, const struct sl_ofp_msg *msg)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/json/%s.json", ofp_vectors_dir(), name);
	size_t jl;
	char *js = (char *)ofp_read_file(path, &jl);
	if (js == NULL) {
		fprintf(stderr, "%s: no JSON twin\n", name);
		return 1;
	}
	struct sl_lines ours = { 0 }, theirs = { 0 };
	size_t diff = 0;
	if (sl_json_flatten(js, jl, &theirs) < 0 || ofp_dump_lines(msg, &ours) < 0) {
		diff = 1;
	} else {
		sl_lines_sort(&theirs);
		if (data_parsed(name)) {
			drop_lines(&ours, ".data=");
			drop_lines(&theirs, ".data.");
		}
		diff = ofp_diff_lines(&ours, &theirs, name);
	}
	sl_lines_free(&ours);
	sl_lines_free(&theirs);
	free(js);
	return diff;
}

static void test_all_vectors(void)
{
	struct sl_lines names = { 0 };
	CU_ASSERT_FATAL(ofp_list_files(ofp_vectors_dir(), ".packet", &names) == 0);
	CU_ASSERT(names.n >= 100);
	size_t json_ok = 0, refused = 0;
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		if (strstr(name, ".truncated") != NULL)
			continue;
		size_t len;
		uint8_t *buf = read_vector(name, &len);
		CU_ASSERT_FATAL(buf != NULL);
		struct sl_ofp_msg msg;
		struct sl_ofp_error err = { 0 };
		int rc = sl_ofp_decode(buf, len, &msg, &err);
		if (rc != 0)
			fprintf(stderr, "%s: decode failed %s/%s at %u\n", name,
				sl_ofp_error_type_name(err.type), sl_ofp_error_code_name(err.type, err.code),
				err.offset);
		CU_ASSERT_FATAL(rc == 0);
		/* round trip: exact bytes */
		struct sl_ofp_buf out = { 0 };
		CU_ASSERT(sl_ofp_encode(&msg, &out) == 0);
		CU_ASSERT(out.len == len && memcmp(out.data, buf, len) == 0);
		const struct unsupported *u = find_unsupported(name);
		if (u == NULL) {
			size_t diff = compare_json(name, &msg);
			CU_ASSERT(diff == 0);
			json_ok += diff == 0;
		} else {
			rc = sl_ofp_validate(&msg, &err);
			CU_ASSERT(rc == -1 && err.type == u->type && err.code == u->code);
			if (rc != -1 || err.type != u->type || err.code != u->code)
				fprintf(stderr, "%s: expected %s, got rc=%d %s\n", name,
					sl_ofp_error_code_name(u->type, u->code), rc,
					sl_ofp_error_code_name(err.type, err.code));
			refused++;
		}
		sl_ofp_buf_free(&out);
		sl_ofp_msg_free(&msg);
		free(buf);
	}
	fprintf(stderr, "\n  vectors: %zu equal their JSON twin, %zu refused as listed\n", json_ok,
		refused);
	CU_ASSERT(refused == sizeof(unsupported) / sizeof(unsupported[0]));
	sl_lines_free(&names);
}

/* Supported requests a controller sends must also pass validation. */
static void test_vectors_validate(void)
{
	static const char *const requests[] = {
		"4-3-ofp_flow_mod.packet", "4-46-ofp_flow_mod.packet",
		"4-1-ofp_packet_out.packet", "4-21-ofp_group_mod.packet", "4-22-ofp_port_mod.packet",
		"4-23-ofp_table_mod.packet", "4-7-ofp_set_config.packet",
		"4-19-ofp_role_request.packet", "4-11-ofp_flow_stats_request.packet",
		"4-55-ofp_table_features_request.packet", "4-35-ofp_queue_get_config_request.packet",
		"libofproto-OFP13-port_mod.packet", "libofproto-OFP13-meter_mod.packet",
	};
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		size_t len;
		uint8_t *buf = read_vector(requests[i], &len);
		CU_ASSERT_FATAL(buf != NULL);
		struct sl_ofp_msg msg;
		struct sl_ofp_error err = { 0 };
		CU_ASSERT_FATAL(sl_ofp_decode(buf, len, &msg, &err) == 0);
		int rc = sl_ofp_validate(&msg, &err);
		if (rc != 0)
			fprintf(stderr, "%s: %s/%s at %u\n", requests[i], sl_ofp_error_type_name(err.type),
				sl_ofp_error_code_name(err.type, err.code), err.offset);
		CU_ASSERT(rc == 0);
		sl_ofp_msg_free(&msg);
		free(buf);
	}
}

/* Vectors that are well-formed but semantically wrong for a switch: the
 * exact error and offset the spec asks for. */
static void test_vectors_refused(void)
{
	static const struct {
		const char *file;
		uint16_t type, code;
		uint32_t offset;
	} cases[] = {
		/* push_pbb with ethertype 0x1234 (must be 0x88e7) */
		{ "4-2-ofp_flow_mod.packet", OFPET_BAD_ACTION, OFPBAC_BAD_ARGUMENT, 120 },
		/* experimenter meter band */
		{ "4-45-ofp_meter_mod.packet", OFPET_METER_MOD_FAILED, OFPMMFC_BAD_BAND, 16 },
		/* a switch supports no experimenter message */
		{ "4-16-ofp_experimenter.packet", OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER, 8 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		uint8_t *buf = read_vector(cases[i].file, &len);
		CU_ASSERT_FATAL(buf != NULL);
		struct sl_ofp_msg msg;
		struct sl_ofp_error err = { 0 };
		CU_ASSERT_FATAL(sl_ofp_decode(buf, len, &msg, &err) == 0);
		CU_ASSERT(sl_ofp_validate(&msg, &err) == -1);
		CU_ASSERT(err.type == cases[i].type && err.code == cases[i].code);
		CU_ASSERT(err.offset == cases[i].offset);
		sl_ofp_msg_free(&msg);
		free(buf);
	}
}

/* The .truncated vectors, and every vector cut at every length (with the
 * header length patched to match, so the cut is not caught at the header):
 * decode either fails with an error inside the message, or succeeds and
 * re-encodes to exactly the cut bytes.  Under ASan this proves no
 * out-of-bounds read and no leak on any error path. */
static void test_truncations(void)
{
	struct sl_lines names = { 0 };
	CU_ASSERT_FATAL(ofp_list_files(ofp_vectors_dir(), ".truncated", &names) == 0);
	CU_ASSERT(names.n >= 1);
	for (size_t i = 0; i < names.n; i++) {
		size_t len;
		uint8_t *buf = read_vector(names.v[i], &len);
		struct sl_ofp_msg msg;
		struct sl_ofp_error err = { 0 };
		CU_ASSERT(sl_ofp_decode(buf, len, &msg, &err) == -1);
		CU_ASSERT(err.type == OFPET_BAD_REQUEST && err.code == OFPBRC_BAD_LEN);
		free(buf);
	}
	sl_lines_free(&names);

	CU_ASSERT_FATAL(ofp_list_files(ofp_vectors_dir(), ".packet", &names) == 0);
	size_t failures = 0, successes = 0;
	for (size_t i = 0; i < names.n; i++) {
		size_t len;
		uint8_t *buf = read_vector(names.v[i], &len);
		for (size_t cut = 0; cut < len; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);
			memcpy(copy, buf, cut);
			if (cut >= 4) {
				copy[2] = (uint8_t)(cut >> 8);
				copy[3] = (uint8_t)cut;
			}
			struct sl_ofp_msg msg;
			struct sl_ofp_error err = { 0 };
			if (sl_ofp_decode(copy, cut, &msg, &err) == 0) {
				struct sl_ofp_buf out = { 0 };
				CU_ASSERT(sl_ofp_encode(&msg, &out) == 0);
				CU_ASSERT(out.len == cut && memcmp(out.data, copy, cut) == 0);
				sl_ofp_buf_free(&out);
				sl_ofp_msg_free(&msg);
				successes++;
			} else {
				CU_ASSERT(err.offset <= cut);
				CU_ASSERT(strcmp(sl_ofp_error_code_name(err.type, err.code), "?") != 0);
				failures++;
			}
			free(copy);
		}
		free(buf);
	}
	fprintf(stderr, "\n  truncations: %zu refused, %zu still valid\n", failures, successes);
	CU_ASSERT(failures > successes);
	sl_lines_free(&names);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "all vectors: decode, JSON twin, round trip", test_all_vectors },
		{ "controller requests pass validation", test_vectors_validate },
		{ "semantically wrong vectors get the spec's error", test_vectors_refused },
		{ "truncated inputs fail cleanly", test_truncations },
	};

	return cunit_run_suite("ofp_vectors", tests, CUNIT_N_TESTS(tests));
}
