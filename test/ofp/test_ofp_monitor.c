/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow monitoring messages (sl_ofp_monitor.h): os-ken's OF1.4 and OF1.5
 * vectors decode to the fields their JSON twins hold and re-encode byte for
 * byte; every cut fails cleanly or re-encodes; long replies split at 64 KiB
 * between updates; what we encode, `ovs-ofctl ofp-print` reads as the same
 * updates (when installed); the ONF extension of OpenFlow 1.3 (requests as
 * ovs-ofctl 3.1 sends them, byte for byte; updates and markers as
 * ofp-print reads them). Also the OpenFlow 1.5 flow-removed
 * (sl_ofp_flow_removed15.h: os-ken's vector byte for byte, cuts, ofp-print),
 * OFPT_REQUESTFORWARD (sl_ofp_forward.h: os-ken's OF1.4 vector rebuilt from
 * its inner group-mod) and the OF1.4/1.5 error names of the formatter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "ofp_test_util.h"
#include "openflow.h"
#include "openflow_v14.h"
#include "sl_ofp_error.h"
#include "sl_ofp_flow_removed15.h"
#include "sl_ofp_forward.h"
#include "sl_ofp_monitor.h"

static void
expect_roundtrip(const uint8_t *raw, size_t len, const struct sl_ofp_flow_monitor_msg *m)
{
	struct sl_ofp_buf out = { 0 };

	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_encode(m, &out), 1);
	ofp_expect_encoded(&out, raw, len);
}

/* 5-66 / OFP15 flow_monitor_request: id 100000000, flags 15, out_port 22,
 * table 33, command ADD, eth_dst f2:0b:a4:7d:f8:ea (their JSON twins). */
static void
check_request(const char *name, uint8_t version)
{
	struct sl_ofp_flow_monitor_msg m;
	struct sl_ofp_error err;
	size_t len;
	uint8_t *b = ofp_vector(name, &len);

	CU_ASSERT_TRUE(sl_ofp_is_flow_monitor(b, len));
	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_decode(b, len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.version, version);
	CU_ASSERT_EQUAL(m.type, OFPT_MULTIPART_REQUEST);
	CU_ASSERT_EQUAL_FATAL(m.n_requests, 1);
	CU_ASSERT_EQUAL(m.requests[0].monitor_id, 100000000);
	CU_ASSERT_EQUAL(m.requests[0].flags, SL_OFPFMF_INITIAL | SL_OFPFMF_ADD |
						 SL_OFPFMF_REMOVED | SL_OFPFMF_MODIFY);
	CU_ASSERT_EQUAL(m.requests[0].out_port, 22);
	CU_ASSERT_EQUAL(m.requests[0].out_group, OFPG_ANY);
	CU_ASSERT_EQUAL(m.requests[0].table_id, 33);
	CU_ASSERT_EQUAL(m.requests[0].command, SL_OFPFMC_ADD);
	CU_ASSERT_EQUAL_FATAL(m.requests[0].match.n_fields, 1);
	CU_ASSERT_EQUAL(m.requests[0].match.fields[0].field, OFPXMT_OFB_ETH_DST);
	CU_ASSERT_EQUAL(m.requests[0].match.fields[0].value[0], 0xf2);
	expect_roundtrip(b, len, &m);
	sl_ofp_flow_monitor_free(&m);
	free(b);
}

/* 5-67 / OFP15 flow_monitor_reply: INITIAL (table 0, idle 600, hard 700,
 * priority 3, arp, apply output NORMAL), ABBREV xid 1234, PAUSED. */
static void
check_reply(const char *name, uint8_t version)
{
	struct sl_ofp_flow_monitor_msg m;
	struct sl_ofp_error err;
	size_t len;
	uint8_t *b = ofp_vector(name, &len);

	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_decode(b, len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.version, version);
	CU_ASSERT_EQUAL(m.type, OFPT_MULTIPART_REPLY);
	CU_ASSERT_EQUAL_FATAL(m.n_updates, 3);
	CU_ASSERT_EQUAL(m.updates[0].event, SL_OFPFME_INITIAL);
	CU_ASSERT_EQUAL(m.updates[0].idle_timeout, 600);
	CU_ASSERT_EQUAL(m.updates[0].hard_timeout, 700);
	CU_ASSERT_EQUAL(m.updates[0].priority, 3);
	CU_ASSERT_EQUAL_FATAL(m.updates[0].match.n_fields, 1);
	CU_ASSERT_EQUAL(m.updates[0].match.fields[0].field, OFPXMT_OFB_ETH_TYPE);
	CU_ASSERT_EQUAL_FATAL(m.updates[0].n_instructions, 1);
	CU_ASSERT_EQUAL(m.updates[0].instructions[0].type, OFPIT_APPLY_ACTIONS);
	CU_ASSERT_EQUAL_FATAL(m.updates[0].instructions[0].u.actions.n_actions, 1);
	CU_ASSERT_EQUAL(m.updates[0].instructions[0].u.actions.actions[0].u.output.port,
			OFPP_NORMAL);
	CU_ASSERT_EQUAL(m.updates[1].event, SL_OFPFME_ABBREV);
	CU_ASSERT_EQUAL(m.updates[1].xid, 1234);
	CU_ASSERT_EQUAL(m.updates[2].event, SL_OFPFME_PAUSED);
	expect_roundtrip(b, len, &m);
	sl_ofp_flow_monitor_free(&m);
	free(b);
}

static void
test_vectors(void)
{
	check_request("of14/5-66-ofp_flow_monitor_request.packet", OFP14_VERSION);
	check_request("of15/libofproto-OFP15-flow_monitor_request.packet", OFP15_VERSION);
	check_reply("of14/5-67-ofp_flow_monitor_reply.packet", OFP14_VERSION);
	check_reply("of15/libofproto-OFP15-flow_monitor_reply.packet", OFP15_VERSION);
}

/* Every prefix, its header length saying so: refused cleanly (an offset
 * inside it) or, cut between entries, re-encoded to the same bytes. */
static void
check_cut(const uint8_t *c, size_t cut, void *name)
{
	struct sl_ofp_flow_monitor_msg m;
	struct sl_ofp_error err;

	if (sl_ofp_flow_monitor_decode(c, cut, &m, &err) == 0) {
		expect_roundtrip(c, cut, &m);
	} else if (err.offset >= cut) {
		fprintf(stderr, "\n%s cut at %zu: error offset %u\n", (const char *)name, cut,
			(unsigned int)err.offset);
		CU_FAIL("an error offset past the cut");
	}
	sl_ofp_flow_monitor_free(&m);
}

static void
cut_everywhere(const char *name)
{
	size_t len;
	uint8_t *b = ofp_vector(name, &len);

	ofp_each_cut(b, len, check_cut, (void *)name);
	free(b);
}

static void
test_cuts(void)
{
	cut_everywhere("of14/5-66-ofp_flow_monitor_request.packet");
	cut_everywhere("of14/5-67-ofp_flow_monitor_reply.packet");
	cut_everywhere("of15/libofproto-OFP15-flow_monitor_reply.packet");
}

/* Unknown event: BAD_REQUEST/BAD_TYPE at the event field; not a monitor. */
static void
test_refusals(void)
{
	uint8_t b[24] = { 5, OFPT_MULTIPART_REPLY, 0, 24, 0, 0, 0, 1, 0, OFPMP_FLOW_MONITOR,
			  0, 0, 0, 0, 0, 0, 0, 8, 0, 9, 0, 0, 0, 0 };
	struct sl_ofp_flow_monitor_msg m;
	struct sl_ofp_error err;

	CU_ASSERT_EQUAL(sl_ofp_flow_monitor_decode(b, sizeof(b), &m, &err), -1);
	CU_ASSERT_EQUAL(err.type, OFPET_BAD_REQUEST);
	CU_ASSERT_EQUAL(err.code, OFPBRC_BAD_TYPE);
	CU_ASSERT_EQUAL(err.offset, 18);
	sl_ofp_flow_monitor_free(&m);
	b[0] = 4; /* OF1.3 has no OFPMP_FLOW_MONITOR (16 is an ONF/NX matter there) */
	CU_ASSERT_FALSE(sl_ofp_is_flow_monitor(b, sizeof(b)));
	b[0] = 5;
	b[9] = OFPMP_FLOW;
	CU_ASSERT_FALSE(sl_ofp_is_flow_monitor(b, sizeof(b)));
}

/* A full update with an in_port match and an output action. */
static void
fill_update(struct sl_ofp_flow_update *u, struct sl_ofp_oxm *oxm, struct sl_ofp_instruction *ins,
	    struct sl_ofp_action *act, uint16_t event, uint16_t prio)
{
	memset(u, 0, sizeof(*u));
	memset(oxm, 0, sizeof(*oxm));
	memset(ins, 0, sizeof(*ins));
	memset(act, 0, sizeof(*act));
	u->event = event;
	u->priority = prio;
	u->idle_timeout = 10;
	u->cookie = 0x20;
	u->reason = event == SL_OFPFME_REMOVED ? OFPRR_DELETE : 0;
	u->match.type = OFPMT_OXM;
	oxm->oxm_class = OFPXMC_OPENFLOW_BASIC;
	oxm->field = OFPXMT_OFB_IN_PORT;
	oxm->payload_len = oxm->value_len = 4;
	oxm->value[3] = 1;
	u->match.fields = oxm;
	u->match.n_fields = 1;
	act->type = OFPAT_OUTPUT;
	act->u.output.port = 2;
	ins->type = OFPIT_APPLY_ACTIONS;
	ins->u.actions.actions = act;
	ins->u.actions.n_actions = 1;
	u->instructions = ins;
	u->n_instructions = 1;
}

/* 3000 updates of 56 bytes: three messages, REPLY_MORE on the first two,
 * each one decodes to its share, in order. */
static void
test_split(void)
{
	enum { N = 3000 };
	static struct sl_ofp_flow_update u[N];
	static struct sl_ofp_oxm oxm[N];
	static struct sl_ofp_instruction ins[N];
	static struct sl_ofp_action act[N];
	struct sl_ofp_flow_monitor_msg m = { .version = 5, .type = OFPT_MULTIPART_REPLY,
					     .xid = 9, .updates = u, .n_updates = N };
	struct sl_ofp_buf out = { 0 };
	uint32_t seen = 0;
	int parts;

	for (int i = 0; i < N; i++)
		fill_update(&u[i], &oxm[i], &ins[i], &act[i], SL_OFPFME_INITIAL, (uint16_t)i);
	parts = sl_ofp_flow_monitor_encode(&m, &out);
	CU_ASSERT_EQUAL_FATAL(parts, 3);
	for (size_t off = 0; off < out.len;) {
		size_t len = (size_t)(out.data[off + 2] << 8 | out.data[off + 3]);
		struct sl_ofp_flow_monitor_msg d;
		struct sl_ofp_error err;

		CU_ASSERT_FATAL(len >= 16 && off + len <= out.len);
		CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_decode(out.data + off, len, &d, &err), 0);
		CU_ASSERT_EQUAL(d.xid, 9);
		CU_ASSERT_EQUAL(d.flags & OFPMPF_REPLY_MORE, off + len < out.len);
		for (uint32_t i = 0; i < d.n_updates; i++)
			CU_ASSERT_EQUAL(d.updates[i].priority, seen + i);
		seen += d.n_updates;
		sl_ofp_flow_monitor_free(&d);
		off += len;
	}
	CU_ASSERT_EQUAL(seen, N);
	sl_ofp_buf_free(&out);
}

/* What we encode, ovs-ofctl reads as the same updates and request. */
static void
test_ofp_print(void)
{
	struct sl_ofp_flow_update u[5];
	struct sl_ofp_oxm oxm[3];
	struct sl_ofp_instruction ins[3];
	struct sl_ofp_action act[3];
	struct sl_ofp_flow_monitor_request r = { .monitor_id = 7, .out_port = OFPP_ANY,
						 .out_group = OFPG_ANY,
						 .flags = SL_OFPFMF_ADD | SL_OFPFMF_REMOVED,
						 .table_id = OFPTT_ALL,
						 .match = { .type = OFPMT_OXM } };
	struct sl_ofp_flow_monitor_msg m = { .version = 5, .type = OFPT_MULTIPART_REPLY,
					     .updates = u, .n_updates = 5 };
	struct sl_ofp_buf out = { 0 };

	if (system("ovs-ofctl --version >/dev/null 2>&1") != 0) {
		printf("(ovs-ofctl not installed: skipped) ");
		return;
	}
	fill_update(&u[0], &oxm[0], &ins[0], &act[0], SL_OFPFME_ADDED, 100);
	fill_update(&u[1], &oxm[1], &ins[1], &act[1], SL_OFPFME_MODIFIED, 100);
	fill_update(&u[2], &oxm[2], &ins[2], &act[2], SL_OFPFME_REMOVED, 100);
	u[2].n_instructions = 0;
	memset(&u[3], 0, sizeof(u[3]));
	u[3].event = SL_OFPFME_ABBREV;
	u[3].xid = 0x42;
	memset(&u[4], 0, sizeof(u[4]));
	u[4].event = SL_OFPFME_RESUMED;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_encode(&m, &out), 1);
	ofp_expect_print(&out, "OFPST_FLOW_MONITOR reply (OF1.4)");
	ofp_expect_print(&out, "event=ADDED table=0 idle_timeout=10 cookie=0x20 in_port=1 actions=output:2");
	ofp_expect_print(&out, "event=MODIFIED table=0 idle_timeout=10 cookie=0x20 in_port=1 actions=output:2");
	ofp_expect_print(&out, "event=DELETED reason=delete table=0 idle_timeout=10 cookie=0x20 in_port=1");
	ofp_expect_print(&out, "event=ABBREV xid=0x42");
	ofp_expect_print(&out, "event=RESUMED");
	out.len = 0;
	m.version = 6;
	m.type = OFPT_MULTIPART_REQUEST;
	m.n_updates = 0;
	m.requests = &r;
	m.n_requests = 1;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_encode(&m, &out), 1);
	ofp_expect_print(&out, "OFPST_FLOW_MONITOR request (OF1.5)");
	ofp_expect_print(&out, "id=7 flags=add,delete");
	sl_ofp_buf_free(&out);
}

/* Two requests `ovs-ofctl -O OpenFlow13 monitor` sent (watch: and
 * "watch:!initial,!own,table=3,out_port=2,ip"): decoded, re-encoded. */
static void
test_onf_requests(void)
{
	static const uint8_t watch[48] = {
		0x04, 0x12, 0x00, 0x30, 0x00, 0x00, 0x00, 0x06, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x4f, 0x4e, 0x46, 0x00, 0x00, 0x00, 0x07, 0x4e, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x3f, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x04, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t watch2[56] = {
		0x04, 0x12, 0x00, 0x38, 0x00, 0x00, 0x00, 0x06, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x4f, 0x4e, 0x46, 0x00, 0x00, 0x00, 0x07, 0x4e, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x1e, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x0a, 0x80, 0x00, 0x0a, 0x02, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct sl_ofp_flow_monitor_msg m;
	struct sl_ofp_error err;

	CU_ASSERT_TRUE(sl_ofp_is_flow_monitor(watch, sizeof(watch)));
	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_decode(watch, sizeof(watch), &m, &err), 0);
	CU_ASSERT_EQUAL(m.framing, SL_OFP_MONITOR_ONF);
	CU_ASSERT_EQUAL_FATAL(m.n_requests, 1);
	CU_ASSERT_EQUAL(m.requests[0].flags, 0x3f);
	CU_ASSERT_EQUAL(m.requests[0].out_port, OFPP_ANY);
	CU_ASSERT_EQUAL(m.requests[0].out_group, OFPG_ANY);
	CU_ASSERT_EQUAL(m.requests[0].table_id, OFPTT_ALL);
	CU_ASSERT_EQUAL(m.requests[0].command, SL_OFPFMC_ADD);
	CU_ASSERT_EQUAL(m.requests[0].match.n_fields, 0);
	expect_roundtrip(watch, sizeof(watch), &m);
	sl_ofp_flow_monitor_free(&m);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_decode(watch2, sizeof(watch2), &m, &err), 0);
	CU_ASSERT_EQUAL_FATAL(m.n_requests, 1);
	CU_ASSERT_EQUAL(m.requests[0].flags, SL_OFPFMF_ADD | SL_OFPFMF_REMOVED | SL_OFPFMF_MODIFY |
						 SL_OFPFMF_INSTRUCTIONS);
	CU_ASSERT_EQUAL(m.requests[0].out_port, 2);
	CU_ASSERT_EQUAL(m.requests[0].table_id, 3);
	CU_ASSERT_EQUAL(m.requests[0].match.n_fields, 1);
	expect_roundtrip(watch2, sizeof(watch2), &m);
	sl_ofp_flow_monitor_free(&m);
	for (size_t cut = 8; cut < sizeof(watch2); cut++) {
		uint8_t c[sizeof(watch2)];

		memcpy(c, watch2, cut);
		c[3] = (uint8_t)cut;
		if (sl_ofp_flow_monitor_decode(c, cut, &m, &err) == 0)
			expect_roundtrip(c, cut, &m);
		else
			CU_ASSERT(err.offset < cut);
		sl_ofp_flow_monitor_free(&m);
	}
}

/* ONF updates: encode, decode back to the same, ofp-print reads them. */
static void
test_onf_updates(void)
{
	struct sl_ofp_flow_update u[3];
	struct sl_ofp_oxm oxm[2];
	struct sl_ofp_instruction ins[2];
	struct sl_ofp_action act[2];
	struct sl_ofp_flow_monitor_msg m = { .version = 4, .type = OFPT_MULTIPART_REPLY,
					     .framing = SL_OFP_MONITOR_ONF, .xid = 3,
					     .updates = u, .n_updates = 3 };
	struct sl_ofp_flow_monitor_msg d;
	struct sl_ofp_error err;
	struct sl_ofp_buf out = { 0 };

	fill_update(&u[0], &oxm[0], &ins[0], &act[0], SL_OFPFME_MODIFIED, 100);
	fill_update(&u[1], &oxm[1], &ins[1], &act[1], SL_OFPFME_REMOVED, 7);
	u[1].n_instructions = 0;
	memset(&u[2], 0, sizeof(u[2]));
	u[2].event = SL_OFPFME_ABBREV;
	u[2].xid = 0x42;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_encode(&m, &out), 1);
	CU_ASSERT_TRUE(sl_ofp_is_flow_monitor(out.data, out.len));
	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_decode(out.data, out.len, &d, &err), 0);
	CU_ASSERT_EQUAL(d.framing, SL_OFP_MONITOR_ONF);
	CU_ASSERT_EQUAL_FATAL(d.n_updates, 3);
	CU_ASSERT_EQUAL(d.updates[0].event, SL_OFPFME_MODIFIED);
	CU_ASSERT_EQUAL(d.updates[0].priority, 100);
	CU_ASSERT_EQUAL(d.updates[0].n_instructions, 1);
	CU_ASSERT_EQUAL(d.updates[1].event, SL_OFPFME_REMOVED);
	CU_ASSERT_EQUAL(d.updates[1].reason, OFPRR_DELETE);
	CU_ASSERT_EQUAL(d.updates[2].event, SL_OFPFME_ABBREV);
	CU_ASSERT_EQUAL(d.updates[2].xid, 0x42);
	expect_roundtrip(out.data, out.len, &d);
	sl_ofp_flow_monitor_free(&d);
	if (system("ovs-ofctl --version >/dev/null 2>&1") == 0) {
		ofp_expect_print(&out, "ONFST_FLOW_MONITOR reply (OF1.3)");
		ofp_expect_print(&out, "event=MODIFIED table=0 idle_timeout=10 cookie=0x20 in_port=1 actions=output:2");
		ofp_expect_print(&out, "event=DELETED reason=delete table=0 idle_timeout=10 cookie=0x20 in_port=1");
		ofp_expect_print(&out, "event=ABBREV xid=0x42");
		out.len = 0;
		CU_ASSERT_EQUAL(sl_ofp_onf_monitor_marker(SL_ONFT_FLOW_MONITOR_PAUSED, &out), 0);
		ofp_expect_print(&out, "ONFT_FLOW_MONITOR_PAUSED");
		CU_ASSERT_EQUAL(sl_ofp_onf_exp_type(out.data, out.len), SL_ONFT_FLOW_MONITOR_PAUSED);
	}
	sl_ofp_buf_free(&out);
}

/* os-ken's OF1.5 flow-removed: table 1, reason idle, priority 1, timeouts
 * 255, cookie 0x1122334455667788, in_port=1, stats flow_count=1. */
static void
test_flow_removed15(void)
{
	struct sl_ofp15_flow_removed m, d;
	struct sl_ofp_error err;
	struct sl_ofp_buf out = { 0 };
	size_t len;
	uint8_t *b = ofp_vector("of15/libofproto-OFP15-flow_removed.packet", &len);

	CU_ASSERT_EQUAL_FATAL(sl_ofp15_flow_removed_decode(b, len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.fr.table_id, 1);
	CU_ASSERT_EQUAL(m.fr.reason, OFPRR_IDLE_TIMEOUT);
	CU_ASSERT_EQUAL(m.fr.priority, 1);
	CU_ASSERT_EQUAL(m.fr.idle_timeout, 255);
	CU_ASSERT_EQUAL(m.fr.cookie, 0x1122334455667788ull);
	CU_ASSERT_EQUAL(m.fr.match.n_fields, 1);
	CU_ASSERT_EQUAL_FATAL(m.n_stats, 1);
	CU_ASSERT_EQUAL(m.stats[0].field, 3 << 1);
	CU_ASSERT_EQUAL(m.stats[0].value, 1);
	CU_ASSERT_EQUAL_FATAL(sl_ofp15_flow_removed_encode(&m, &out), 0);
	CU_ASSERT(out.len == len && memcmp(out.data, b, len) == 0);
	sl_ofp15_flow_removed_free(&m);
	for (size_t cut = 8; cut < len; cut++) {
		uint8_t c[64];

		memcpy(c, b, cut);
		c[3] = (uint8_t)cut;
		int rc = sl_ofp15_flow_removed_decode(c, cut, &d, &err);

		CU_ASSERT(rc != 0 && err.offset < cut); /* no prefix is whole */
		sl_ofp15_flow_removed_free(&d);
	}
	/* what the agent sends: duration, packets, bytes */
	CU_ASSERT_EQUAL_FATAL(sl_ofp15_flow_removed_decode(b, len, &m, &err), 0);
	m.n_stats = 0;
	m.stats[m.n_stats++] = (struct sl_ofp_oxs_stat){ 0x8002, 0, 8, 3ull << 32 | 500000000 };
	m.stats[m.n_stats++] = (struct sl_ofp_oxs_stat){ 0x8002, 4 << 1, 8, 7 };
	m.stats[m.n_stats++] = (struct sl_ofp_oxs_stat){ 0x8002, 5 << 1, 8, 700 };
	out.len = 0;
	CU_ASSERT_EQUAL_FATAL(sl_ofp15_flow_removed_encode(&m, &out), 0);
	CU_ASSERT_EQUAL_FATAL(sl_ofp15_flow_removed_decode(out.data, out.len, &d, &err), 0);
	CU_ASSERT_EQUAL(d.n_stats, 3);
	CU_ASSERT_EQUAL(d.stats[2].value, 700);
	sl_ofp15_flow_removed_free(&d);
	if (system("ovs-ofctl --version >/dev/null 2>&1") == 0)
		ofp_expect_print(&out, "reason=idle table_id=1 cookie:0x1122334455667788 duration3.500s idle255 hard255 pkts7 bytes700");
	sl_ofp15_flow_removed_free(&m);
	sl_ofp_buf_free(&out);
	free(b);
}

/* os-ken's OF1.4 request forward (a group-mod inside), rebuilt byte for
 * byte from its inner message; malformed ones have no inner message. */
static void
test_requestforward(void)
{
	struct sl_ofp_buf out = { 0 };
	size_t len, ilen = 0;
	uint8_t *b = ofp_vector("of14/5-71-ofp_requestforward.packet", &len);
	const uint8_t *inner = sl_ofp_requestforward_inner(b, len, &ilen);

	CU_ASSERT_PTR_NOT_NULL_FATAL(inner);
	CU_ASSERT_EQUAL(ilen, len - 8);
	CU_ASSERT_EQUAL(inner[1], OFPT_GROUP_MOD);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_requestforward_encode(5, 0, inner, ilen, &out), 0);
	CU_ASSERT(out.len == len && memcmp(out.data, b, len) == 0);
	if (system("ovs-ofctl --version >/dev/null 2>&1") == 0)
		ofp_expect_print(&out, "OFPT_REQUESTFORWARD (OF1.4)");
	b[11] ^= 1; /* the inner length disagrees */
	CU_ASSERT_PTR_NULL(sl_ofp_requestforward_inner(b, len, &ilen));
	CU_ASSERT_EQUAL(sl_ofp_requestforward_encode(5, 0, b + 8, len - 8, &out), -EINVAL);
	sl_ofp_buf_free(&out);
	free(b);
}

/* The formatter knows the OF1.4/1.5 error types and codes (os-ken's
 * ofproto_v1_4 / v1_5 names and values). */
static void
test_error_names(void)
{
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_type_name(OFPET_BAD_PROPERTY), "OFPET_BAD_PROPERTY");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_type_name(OFPET_BUNDLE_FAILED), "OFPET_BUNDLE_FAILED");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_FLOW_MONITOR_FAILED,
						      SL_OFPMOFC_UNKNOWN_MONITOR),
			       "OFPMOFC_UNKNOWN_MONITOR");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_FLOW_MONITOR_FAILED, 7),
			       "OFPMOFC_BAD_OUT");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_BAD_PROPERTY, 8), "OFPBPC_EPERM");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_ASYNC_CONFIG_FAILED, 1),
			       "OFPACFC_UNSUPPORTED");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_BUNDLE_FAILED, 15),
			       "OFPBFC_BUNDLE_IN_PROGRESS");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_BAD_REQUEST, 15),
			       "OFPBRC_MULTIPART_REPLY_TIMEOUT");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_BAD_INSTRUCTION, 9), "OFPBIC_DUP_INST");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_FLOW_MOD_FAILED, 9),
			       "OFPFMFC_BAD_PRIORITY");
	CU_ASSERT_STRING_EQUAL(sl_ofp_error_code_name(OFPET_BUNDLE_FAILED, 19), "?");
	CU_ASSERT_STRING_EQUAL(sl_ofp_type_name(OFPT_REQUESTFORWARD), "OFPT_REQUESTFORWARD");
	CU_ASSERT_STRING_EQUAL(sl_ofp_type_name(OFPT_CONTROLLER_STATUS), "OFPT_CONTROLLER_STATUS");
	CU_ASSERT_STRING_EQUAL(sl_ofp_type_name(36), "?");
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "vectors", test_vectors },
		{ "cuts", test_cuts },
		{ "refusals", test_refusals },
		{ "split", test_split },
		{ "ofp_print", test_ofp_print },
		{ "onf_requests", test_onf_requests },
		{ "onf_updates", test_onf_updates },
		{ "flow_removed15", test_flow_removed15 },
		{ "requestforward", test_requestforward },
		{ "error_names", test_error_names },
	};

	return cunit_run_suite("ofp_monitor", tests, CUNIT_N_TESTS(tests));
}
