/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `trace` (sluiced/mgmt/cmd_trace.c) over a pipeline of its own, without a
 * switch: the steps and outcome of a packet through goto_table and a group,
 * of one that misses, of a frame given in hex, in text and in JSON; the
 * refusals; and that tracing credits nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "cunit_main.h"
#include "sl_flow_consts.h"
#include "sl_mgmt_cmds.h"
#include "sl_pipeline.h"
#include "test_flow_mod.h"

static struct sl_pipeline *pl;

/* table 0: in_port=1 -> goto 1; table 1: ip -> group 1 (select: output 2
 * or 3); table 1, arp: output:5. */
static void
setup(void)
{
	static struct sl_action o[3], g = { .type = OFPAT_GROUP, .group_id = 1 };
	struct sl_pipeline_config cfg = { .max_readers = 2 };
	struct sl_bucket b[2] = {
		{ .weight = 1, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1,
		  .actions = &o[0] },
		{ .weight = 1, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1,
		  .actions = &o[1] },
	};
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = OFPGT_SELECT, .group_id = 1,
				   .n_buckets = 2, .buckets = b };
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 100);
	uint32_t port = rte_cpu_to_be_32(1);
	uint16_t type = rte_cpu_to_be_16(SL_ETH_IPV4);

	for (unsigned int i = 0; i < 3; i++) {
		o[i].type = OFPAT_OUTPUT;
		o[i].output.port = i < 2 ? 2 + i : 5;
	}
	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_group_mod(pl, &gm), 0);
	sl_match_set_oxm(&fm.match, OFPXMT_OFB_IN_PORT, &port, NULL, 4);
	fm.cookie = 0x7;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	fm = fm_new(OFPFC_ADD, 1, 10);
	sl_match_set_oxm(&fm.match, OFPXMT_OFB_ETH_TYPE, &type, NULL, 2);
	fm.ins.apply = &g;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
}

/* Run `trace WORDS...` and render the answer ("OK\n..." or "ERROR ..."). */
static char *
trace(bool json, const char *words)
{
	struct sl_out *out = sl_out_new(json ? SL_OUT_JSON : SL_OUT_TEXT);
	char *copy = strdup(words), *argv[16] = { "trace" }, *save = NULL, *s;
	int argc = 1;
	size_t len;

	for (char *w = strtok_r(copy, " ", &save); w && argc < 16; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	sl_mgmt_trace(pl, argc, argv, out);
	s = sl_out_render(out, &len);
	sl_out_free(out);
	free(copy);
	return s;
}

static bool
has(const char *text, const char *what)
{
	if (strstr(text, what))
		return true;
	printf("\n  no \"%s\" in:\n%s", what, text);
	return false;
}

static void
test_trace_text(void)
{
	char *s;

	setup();
	s = trace(false, "in_port=1,ip,nw_dst=10.0.0.2");
	CU_ASSERT(has(s, "OK\nFlow: ip,in_port=1,dl_src=00:00:00:00:00:00,"));
	CU_ASSERT(has(s, "\ntable 0: priority=100,in_port=1 cookie=0x7\n    actions=goto_table:1\n"));
	CU_ASSERT(has(s, "\ntable 1: priority=10,ip cookie=0x0\n    actions=group:1\n"));
	CU_ASSERT(has(s, "\n    group 1 (select): bucket "));
	CU_ASSERT(has(s, "\nMegaflow: recirc_id=0,ip,in_port=1,"));
	CU_ASSERT(has(s, "\nDatapath actions: clone(output:"));
	CU_ASSERT(strstr(s, "dropped") == NULL);
	free(s);
	/* in_port 2: table 0 misses */
	s = trace(false, "in_port=2 arp");
	CU_ASSERT(has(s, "\ntable 0: table miss"));
	CU_ASSERT(has(s, "\nDatapath actions: drop\ndropped: table miss in table 0\n"));
	free(s);
	/* a frame: ARP from port 1 goes to table 1, which has no ARP rule */
	s = trace(false, "in_port=1 --packet ffffffffffff020000000001080600010800060400010200000000"
			 "010a0000010000000000000a000002");
	CU_ASSERT(has(s, "OK\nFlow: arp,in_port=1,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,"
			 "arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1"));
	CU_ASSERT(has(s, "\ntable 1: table miss"));
	CU_ASSERT(has(s, "dropped: table miss in table 1"));
	free(s);
	/* nothing was counted */
	uint64_t lookups, matched;

	sl_pipeline_table_stats(pl, 0, &lookups, &matched);
	CU_ASSERT_EQUAL(lookups, 0);
	CU_ASSERT_EQUAL(sl_pipeline_group(pl, 1)->stats->n_packets, 0);
	sl_pipeline_destroy(pl);
}

static void
test_trace_json_errors(void)
{
	char *s;

	setup();
	s = trace(true, "in_port=1,ip");
	CU_ASSERT(has(s, "OK\n{\"flow\": [{\"flow\": \"ip,in_port=1,"));
	CU_ASSERT(has(s, "\"steps\": [{\"step\": \"table\", \"table\": 0, \"priority\": 100,"));
	CU_ASSERT(has(s, "{\"step\": \"group\", \"group\": 1, \"type\": \"select\", \"bucket\": "));
	CU_ASSERT(has(s, "\"dropped\": \"\""));
	free(s);
	static const struct {
		const char *words, *error;
	} bad[] = {
		{ "ip", "ERROR trace: give the ingress port (in_port=N)" },
		{ "in_port=1,ip,nw_dst=10.0.0.0/8", "a flow has values, not masks" },
		{ "in_port=1,tp_dst=80", "tp_dst needs tcp, udp or sctp" },
		{ "in_port=1 --packet abc", "an even number of hex digits" },
		{ "in_port=1 --packet 00zz", "an even number of hex digits" },
		{ "in_port=1,ip --packet 0000", "give in_port only" },
		{ "in_port=1 --packet", "--packet takes one frame" },
		{ "--live 1 10", "trace --live is not implemented" },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = trace(false, bad[i].words);
		CU_ASSERT(strncmp(s, "ERROR ", 6) == 0);
		CU_ASSERT(has(s, bad[i].error));
		free(s);
	}
	sl_pipeline_destroy(pl);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "trace_text", test_trace_text },
		{ "trace_json_errors", test_trace_json_errors },
	};

	return cunit_run_suite("trace", tests, CUNIT_N_TESTS(tests));
}
