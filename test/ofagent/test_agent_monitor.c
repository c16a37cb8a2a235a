/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow monitoring through the agent over loopback (OpenFlow 1.4 sessions):
 * the initial reply, updates for another session's adds, modifications and
 * deletions, abbreviations of a session's own changes (one per request),
 * ONLY_OWN and NO_ABBREV, the table / out_port / match filters, monitor
 * MODIFY and DELETE, the refusals of OFPET_FLOW_MONITOR_FAILED, bundle
 * commits, and PAUSED/RESUMED for a session that stops reading; the ONF
 * extension in OpenFlow 1.3 sessions (updates, abbreviations, cancel, its
 * errors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_fixture.h"
#include "cunit_main.h"
#include "openflow.h"
#include "openflow_v14.h"
#include "sl_ofp_flow_removed15.h"
#include "sl_ofp_forward.h"
#include "sl_ofp_monitor.h"

#define ALL_EVENTS (SL_OFPFMF_INITIAL | SL_OFPFMF_ADD | SL_OFPFMF_REMOVED | SL_OFPFMF_MODIFY)

static uint8_t rx[70000];

static void
open14(struct of_client *c)
{
	static const uint8_t hello14[16] = { 5, OFPT_HELLO, 0, 16, 0, 0, 0, 1,
					     0, 1, 0, 8, 0, 0, 0, 0x20 };

	CU_ASSERT_FATAL(ofc_open(c, fx.agent, fx.port, false) == 0);
	ofc_send_raw(c, hello14, sizeof(hello14));
	c->version = 5;
}

/* Send one monitor request entry; in_port 0: a catch-all match. */
static uint32_t
send_monitor(struct of_client *c, uint32_t id, uint8_t cmd, uint16_t flags, uint8_t table,
	     uint32_t out_port, uint32_t in_port, uint16_t mp_flags)
{
	struct sl_ofp_oxm oxm = { .oxm_class = OFPXMC_OPENFLOW_BASIC, .field = OFPXMT_OFB_IN_PORT,
				  .payload_len = 4, .value_len = 4 };
	struct sl_ofp_flow_monitor_request r = { .monitor_id = id, .out_port = out_port,
						 .out_group = OFPG_ANY, .flags = flags,
						 .table_id = table, .command = cmd,
						 .match = { .type = OFPMT_OXM } };
	struct sl_ofp_flow_monitor_msg m = { .version = c->version ? c->version : 4,
					     .type = OFPT_MULTIPART_REQUEST,
					     .xid = c->next_xid++, .flags = mp_flags,
					     .requests = &r, .n_requests = 1 };
	struct sl_ofp_buf b = { 0 };

	if (m.version == 4)
		m.framing = SL_OFP_MONITOR_ONF;
	if (in_port) {
		oxm.value[0] = (uint8_t)(in_port >> 24);
		oxm.value[1] = (uint8_t)(in_port >> 16);
		oxm.value[2] = (uint8_t)(in_port >> 8);
		oxm.value[3] = (uint8_t)in_port;
		r.match.fields = &oxm;
		r.match.n_fields = 1;
	}
	CU_ASSERT_EQUAL_FATAL(sl_ofp_flow_monitor_encode(&m, &b), 1);
	ofc_send_raw(c, b.data, b.len);
	sl_ofp_buf_free(&b);
	return m.xid;
}

/* The next flow-monitor reply (others skipped); 0 or -1 on timeout. */
static int
recv_monitor(struct of_client *c, struct sl_ofp_flow_monitor_msg *m, int timeout_ms)
{
	struct sl_ofp_error err;

	for (;;) {
		long n = ofc_recv(c, rx, sizeof(rx), timeout_ms);

		if (n <= 0)
			return -1;
		if (sl_ofp_is_flow_monitor(rx, (size_t)n) && rx[1] == OFPT_MULTIPART_REPLY)
			return sl_ofp_flow_monitor_decode(rx, (size_t)n, m, &err);
	}
}

/* The next update, which must be a single one of @p event. */
static void
expect_update(struct of_client *c, uint16_t event, uint16_t prio, uint32_t n_ins,
	      const char *what)
{
	struct sl_ofp_flow_monitor_msg m;

	if (recv_monitor(c, &m, 3000) != 0) {
		printf("\n%s: no update\n", what);
		CU_FAIL("no update");
		return;
	}
	CU_ASSERT_EQUAL(m.xid, 0);
	CU_ASSERT_EQUAL_FATAL(m.n_updates, 1);
	if (m.updates[0].event != event)
		printf("\n%s: event %u, want %u\n", what, m.updates[0].event, event);
	CU_ASSERT_EQUAL(m.updates[0].event, event);
	if (event != SL_OFPFME_ABBREV) {
		CU_ASSERT_EQUAL(m.updates[0].priority, prio);
		CU_ASSERT_EQUAL(m.updates[0].n_instructions, n_ins);
	} else {
		CU_ASSERT_EQUAL(m.updates[0].xid, prio); /* the request's xid */
	}
	sl_ofp_flow_monitor_free(&m);
}

static uint32_t
flow_mod(struct of_client *c, uint8_t cmd, uint8_t table, uint16_t prio, uint32_t in_port,
	 uint32_t out)
{
	struct sl_ofp_msg m;
	uint32_t xid;

	build_flow_mod(&m, cmd, table, prio, in_port, 0, out);
	xid = ofc_send(c, &m);
	sl_ofp_msg_free(&m);
	return xid;
}

static void
test_events(void)
{
	struct of_client c1, c2;
	struct sl_ofp_flow_monitor_msg m;
	uint32_t xid;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	open14(&c1);
	open14(&c2);
	flow_mod(&c2, OFPFC_ADD, 0, 10, 1, 2);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c2), 0);
	xid = send_monitor(&c1, 1, SL_OFPFMC_ADD, ALL_EVENTS | SL_OFPFMF_INSTRUCTIONS, OFPTT_ALL,
			   OFPP_ANY, 0, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c1, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.xid, xid);
	CU_ASSERT_EQUAL_FATAL(m.n_updates, 1);
	CU_ASSERT_EQUAL(m.updates[0].event, SL_OFPFME_INITIAL);
	CU_ASSERT_EQUAL(m.updates[0].priority, 10);
	CU_ASSERT_EQUAL(m.updates[0].n_instructions, 1);
	sl_ofp_flow_monitor_free(&m);

	/* another session's changes, in full */
	flow_mod(&c2, OFPFC_ADD, 0, 20, 2, 1);
	expect_update(&c1, SL_OFPFME_ADDED, 20, 1, "add");
	flow_mod(&c2, OFPFC_ADD, 0, 20, 2, 3); /* same match and priority: replaces */
	expect_update(&c1, SL_OFPFME_MODIFIED, 20, 1, "add replacing");
	flow_mod(&c2, OFPFC_MODIFY_STRICT, 0, 20, 2, 1);
	expect_update(&c1, SL_OFPFME_MODIFIED, 20, 1, "modify");
	flow_mod(&c2, OFPFC_DELETE_STRICT, 0, 20, 2, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c1, &m, 3000), 0);
	CU_ASSERT_EQUAL_FATAL(m.n_updates, 1);
	CU_ASSERT_EQUAL(m.updates[0].event, SL_OFPFME_REMOVED);
	CU_ASSERT_EQUAL(m.updates[0].reason, OFPRR_DELETE);
	sl_ofp_flow_monitor_free(&m);

	/* its own: abbreviated, one per request however many rules */
	xid = flow_mod(&c1, OFPFC_ADD, 0, 30, 3, 1);
	expect_update(&c1, SL_OFPFME_ABBREV, (uint16_t)xid, 0, "own add");
	flow_mod(&c1, OFPFC_ADD, 0, 31, 4, 1);
	expect_update(&c1, SL_OFPFME_ABBREV, (uint16_t)(xid + 1), 0, "own add 2");
	xid = flow_mod(&c1, OFPFC_DELETE, OFPTT_ALL, 0, 0, 0); /* three rules */
	expect_update(&c1, SL_OFPFME_ABBREV, (uint16_t)xid, 0, "own delete");
	flow_mod(&c2, OFPFC_ADD, 0, 40, 5, 1);
	expect_update(&c1, SL_OFPFME_ADDED, 40, 1, "add after the delete");
	ofc_close(&c1);
	ofc_close(&c2);
	fixture_down();
}

/* Table, out_port and match filters; ONLY_OWN; NO_ABBREV; no instructions. */
static void
test_filters(void)
{
	struct of_client c1, c2;
	struct sl_ofp_flow_monitor_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	open14(&c1);
	open14(&c2);
	send_monitor(&c1, 1, SL_OFPFMC_ADD, SL_OFPFMF_ADD, 1, 2, 7, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c1, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.n_updates, 0);
	sl_ofp_flow_monitor_free(&m);
	flow_mod(&c2, OFPFC_ADD, 0, 10, 7, 2); /* table 0 */
	flow_mod(&c2, OFPFC_ADD, 1, 11, 7, 3); /* out_port 3 */
	flow_mod(&c2, OFPFC_ADD, 1, 12, 8, 2); /* in_port 8 */
	flow_mod(&c2, OFPFC_ADD, 1, 13, 0, 2); /* wider than the monitor's match */
	flow_mod(&c2, OFPFC_ADD, 1, 14, 7, 2); /* this one */
	expect_update(&c1, SL_OFPFME_ADDED, 14, 0, "filtered");

	/* ONLY_OWN with NO_ABBREV: c2's changes never, its own in full */
	send_monitor(&c1, 1, SL_OFPFMC_MODIFY,
		     SL_OFPFMF_ADD | SL_OFPFMF_ONLY_OWN | SL_OFPFMF_NO_ABBREV, OFPTT_ALL, OFPP_ANY,
		     0, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c1, &m, 3000), 0);
	sl_ofp_flow_monitor_free(&m);
	flow_mod(&c2, OFPFC_ADD, 0, 20, 1, 2);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c2), 0);
	flow_mod(&c1, OFPFC_ADD, 0, 21, 1, 2);
	expect_update(&c1, SL_OFPFME_ADDED, 21, 0, "only own");

	/* deleted: nothing more; a new monitor's reply comes next */
	send_monitor(&c1, 1, SL_OFPFMC_DELETE, 0, OFPTT_ALL, OFPP_ANY, 0, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c1, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.n_updates, 0);
	sl_ofp_flow_monitor_free(&m);
	flow_mod(&c1, OFPFC_ADD, 0, 22, 1, 2);
	uint32_t xid = send_monitor(&c1, 2, SL_OFPFMC_ADD, SL_OFPFMF_INITIAL, 0, OFPP_ANY, 1, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c1, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.xid, xid);
	CU_ASSERT_EQUAL(m.n_updates, 3); /* table 0, in_port=1: priorities 20, 21, 22 */
	sl_ofp_flow_monitor_free(&m);
	ofc_close(&c1);
	ofc_close(&c2);
	fixture_down();
}

static void
test_refusals(void)
{
	struct sl_ofp_flow_monitor_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	ofc_close(&fx.c);
	open14(&fx.c);
	send_monitor(&fx.c, 5, SL_OFPFMC_ADD, SL_OFPFMF_ADD, OFPTT_ALL, OFPP_ANY, 0, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&fx.c, &m, 3000), 0);
	sl_ofp_flow_monitor_free(&m);
	send_monitor(&fx.c, 5, SL_OFPFMC_ADD, SL_OFPFMF_ADD, OFPTT_ALL, OFPP_ANY, 0, 0);
	expect_error(&fx.c, OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_MONITOR_EXISTS, 40, "exists");
	send_monitor(&fx.c, 6, SL_OFPFMC_MODIFY, SL_OFPFMF_ADD, OFPTT_ALL, OFPP_ANY, 0, 0);
	expect_error(&fx.c, OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_UNKNOWN_MONITOR, 40, "modify");
	send_monitor(&fx.c, 6, SL_OFPFMC_DELETE, 0, OFPTT_ALL, OFPP_ANY, 0, 0);
	expect_error(&fx.c, OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_UNKNOWN_MONITOR, 40, "delete");
	send_monitor(&fx.c, 7, 3, SL_OFPFMF_ADD, OFPTT_ALL, OFPP_ANY, 0, 0);
	expect_error(&fx.c, OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_COMMAND, 40, "command");
	send_monitor(&fx.c, 7, SL_OFPFMC_ADD, 0x80, OFPTT_ALL, OFPP_ANY, 0, 0);
	expect_error(&fx.c, OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_FLAGS, 40, "flags");
	send_monitor(&fx.c, 7, SL_OFPFMC_ADD, SL_OFPFMF_ADD, 254, OFPP_ANY, 0, 0);
	expect_error(&fx.c, OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_TABLE_ID, 40, "table");
	send_monitor(&fx.c, 7, SL_OFPFMC_ADD, SL_OFPFMF_ADD, OFPTT_ALL, 0xffffff01, 0, 0);
	expect_error(&fx.c, OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_OUT, 40, "out_port");
	send_monitor(&fx.c, 7, SL_OFPFMC_ADD, SL_OFPFMF_ADD, OFPTT_ALL, OFPP_ANY, 0,
		     OFPMPF_REQ_MORE);
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART, 40, "req_more");
	ofc_close(&fx.c);
	fixture_down();
}

static void
small_tx_queue(struct sl_agent_config *cfg)
{
	cfg->max_tx_bytes = 64u << 10;
}

/* A monitoring session that stops reading (and whose queue fills with the
 * replies of its own flow dumps) while another session adds N rules:
 * PAUSED, then, once it reads again and its queue drained, every rule it
 * missed, then RESUMED: each rule reported at least once. */
static void
test_pause_resume(void)
{
	enum { BASE = 2000, N = 300, DUMPS = 60 };
	static uint8_t seen[N + 1];
	struct of_client c1, c2;
	struct sl_ofp_flow_monitor_msg m;
	struct sl_agent_stats st;
	bool paused = false, resumed = false;
	unsigned int n_seen = 0;

	memset(seen, 0, sizeof(seen));
	CU_ASSERT_FATAL(fixture_up(small_tx_queue) == 0);
	open14(&c1);
	open14(&c2);
	for (uint32_t i = 1; i <= BASE; i++)
		flow_mod(&c2, OFPFC_ADD, 1, 100, i, 2);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c2), 0);
	send_monitor(&c1, 1, SL_OFPFMC_ADD, SL_OFPFMF_ADD, 0, OFPP_ANY, 0, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c1, &m, 3000), 0);
	sl_ofp_flow_monitor_free(&m);
	/* c1 asks for far more than the socket buffers and its queue hold */
	for (int i = 0; i < DUMPS; i++) {
		struct sl_ofp_msg q;

		build_flow_stats_req(&q, OFPMP_FLOW, OFPTT_ALL);
		ofc_send(&c1, &q);
		sl_ofp_msg_free(&q);
	}
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c2), 0);
	for (uint32_t i = 1; i <= N; i++)
		flow_mod(&c2, OFPFC_ADD, 0, 200, i, 2);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c2), 0);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT(st.monitor_pauses >= 1);
	while (!resumed && recv_monitor(&c1, &m, 10000) == 0) {
		for (uint32_t i = 0; i < m.n_updates; i++) {
			const struct sl_ofp_flow_update *u = &m.updates[i];

			if (u->event == SL_OFPFME_PAUSED) {
				CU_ASSERT_FALSE(resumed);
				paused = true;
			} else if (u->event == SL_OFPFME_RESUMED) {
				CU_ASSERT_TRUE(paused);
				resumed = true;
			} else if (u->event == SL_OFPFME_ADDED && u->match.n_fields == 1) {
				const uint8_t *v = u->match.fields[0].value;
				uint32_t port = (uint32_t)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];

				if (port >= 1 && port <= N && !seen[port]) {
					seen[port] = 1;
					n_seen++;
				}
			}
		}
		sl_ofp_flow_monitor_free(&m);
	}
	CU_ASSERT_TRUE(paused);
	CU_ASSERT_TRUE(resumed);
	CU_ASSERT_EQUAL(n_seen, N);
	ofc_close(&c1);
	ofc_close(&c2);
	fixture_down();
}

/* Expect the Nicira experimenter error @p exp_type (OpenFlow 1.3). */
static void
expect_nx_error(struct of_client *c, uint16_t exp_type)
{
	struct sl_ofp_msg m;

	CU_ASSERT_EQUAL_FATAL(ofc_wait(c, OFPT_ERROR, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.u.error.type, OFPET_EXPERIMENTER);
	CU_ASSERT_EQUAL(m.u.error.exp_type, exp_type);
	CU_ASSERT_EQUAL(m.u.error.experimenter, SL_NX_EXPERIMENTER);
	sl_ofp_msg_free(&m);
}

static void
onf_cancel(struct of_client *c, uint32_t id)
{
	uint8_t b[20] = { 4, OFPT_EXPERIMENTER, 0, 20, 0, 0, 0, 9, 0x4f, 0x4e, 0x46, 0,
			  0, 0, 0x07, 0x4e };

	b[16] = (uint8_t)(id >> 24);
	b[17] = (uint8_t)(id >> 16);
	b[18] = (uint8_t)(id >> 8);
	b[19] = (uint8_t)id;
	ofc_send_raw(c, b, sizeof(b));
}

/* OpenFlow 1.3 sessions: the ONF extension. */
static void
test_onf(void)
{
	struct of_client c2;
	struct sl_ofp_flow_monitor_msg m;
	uint32_t xid;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	CU_ASSERT_FATAL(ofc_open(&c2, fx.agent, fx.port, false) == 0);
	flow_mod(&c2, OFPFC_ADD, 0, 10, 1, 2);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c2), 0);
	xid = send_monitor(&fx.c, 3, SL_OFPFMC_ADD, ALL_EVENTS, OFPTT_ALL, OFPP_ANY, 0, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&fx.c, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.framing, SL_OFP_MONITOR_ONF);
	CU_ASSERT_EQUAL(m.xid, xid);
	CU_ASSERT_EQUAL_FATAL(m.n_updates, 1);
	CU_ASSERT_EQUAL(m.updates[0].event, SL_OFPFME_ADDED); /* ONF has no INITIAL */
	sl_ofp_flow_monitor_free(&m);
	flow_mod(&c2, OFPFC_ADD, 0, 20, 2, 1);
	expect_update(&fx.c, SL_OFPFME_ADDED, 20, 0, "onf add");
	xid = flow_mod(&fx.c, OFPFC_DELETE_STRICT, 0, 20, 2, 0);
	expect_update(&fx.c, SL_OFPFME_ABBREV, (uint16_t)xid, 0, "onf own delete");
	send_monitor(&fx.c, 3, SL_OFPFMC_ADD, SL_OFPFMF_ADD, OFPTT_ALL, OFPP_ANY, 0, 0);
	expect_nx_error(&fx.c, SL_NXERR_MONITOR_EXISTS);
	send_monitor(&fx.c, 4, SL_OFPFMC_ADD, SL_OFPFMF_ONLY_OWN, OFPTT_ALL, OFPP_ANY, 0, 0);
	expect_nx_error(&fx.c, SL_NXERR_MONITOR_BAD_FLAGS);
	onf_cancel(&fx.c, 3);
	onf_cancel(&fx.c, 3);
	expect_nx_error(&fx.c, SL_NXERR_UNKNOWN_MONITOR);
	flow_mod(&c2, OFPFC_ADD, 0, 30, 3, 1); /* nobody monitors: no update */
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c2), 0);
	xid = send_monitor(&fx.c, 5, SL_OFPFMC_ADD, SL_OFPFMF_INITIAL, OFPTT_ALL, OFPP_ANY, 0, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&fx.c, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.xid, xid);
	CU_ASSERT_EQUAL(m.n_updates, 2); /* priorities 10 and 30 */
	sl_ofp_flow_monitor_free(&m);
	ofc_close(&c2);
	fixture_down();
}

/* A meter deletion removes the rules that use it: OFPRR_METER_DELETE for a
 * 1.4 session (flow-removed and monitor), OFPRR_DELETE for a 1.3 one. */
static void
test_meter_delete(void)
{
	struct of_client c14;
	struct sl_ofp_flow_monitor_msg u;
	struct sl_ofp_meter_band *b;
	struct sl_ofp_instruction *in;
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0); /* fx.c: 1.3, wants async */
	open14(&c14);
	sl_ofp_msg_init(&m, OFPT_SET_CONFIG, 0);
	m.u.config.miss_send_len = 128; /* a service session: opt in to async */
	ofc_send(&c14, &m);
	send_monitor(&c14, 1, SL_OFPFMC_ADD, SL_OFPFMF_REMOVED, OFPTT_ALL, OFPP_ANY, 0, 0);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c14, &u, 3000), 0);
	sl_ofp_flow_monitor_free(&u);

	sl_ofp_msg_init(&m, OFPT_METER_MOD, 0);
	m.u.meter_mod.command = OFPMC_ADD;
	m.u.meter_mod.flags = OFPMF_KBPS;
	m.u.meter_mod.meter_id = 1;
	b = sl_ofp_msg_alloc(&m, sizeof(*b));
	b->type = OFPMBT_DROP;
	b->rate = 1000;
	m.u.meter_mod.bands = b;
	m.u.meter_mod.n_bands = 1;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	build_flow_mod(&m, OFPFC_ADD, 0, 10, 1, 0, 0);
	in = sl_ofp_msg_alloc(&m, sizeof(*in));
	in->type = OFPIT_METER;
	in->u.meter.meter_id = 1;
	m.u.flow_mod.instructions = in;
	m.u.flow_mod.n_instructions = 1;
	m.u.flow_mod.flags = OFPFF_SEND_FLOW_REM;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&fx.c), 0);

	sl_ofp_msg_init(&m, OFPT_METER_MOD, 0);
	m.u.meter_mod.command = OFPMC_DELETE;
	m.u.meter_mod.meter_id = 1;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL_FATAL(ofc_wait(&fx.c, OFPT_FLOW_REMOVED, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.u.flow_removed.reason, OFPRR_DELETE);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL_FATAL(recv_monitor(&c14, &u, 3000), 0);
	CU_ASSERT_EQUAL_FATAL(u.n_updates, 1);
	CU_ASSERT_EQUAL(u.updates[0].event, SL_OFPFME_REMOVED);
	CU_ASSERT_EQUAL(u.updates[0].reason, OFPRR_METER_DELETE);
	sl_ofp_flow_monitor_free(&u);
	CU_ASSERT_EQUAL_FATAL(ofc_wait(&c14, OFPT_FLOW_REMOVED, &m, 3000), 0);
	CU_ASSERT_EQUAL(m.u.flow_removed.reason, OFPRR_METER_DELETE);
	sl_ofp_msg_free(&m);
	ofc_close(&c14);
	fixture_down();
}

/* OpenFlow 1.5: a flow-mod may ask for a flow-removed, which comes in the
 * 1.5 layout with OXS statistics. */
static void
test_flow_removed15(void)
{
	static const uint8_t hello15[16] = { 6, OFPT_HELLO, 0, 16, 0, 0, 0, 1,
					     0, 1, 0, 8, 0, 0, 0, 0x40 };
	struct sl_ofp15_flow_removed fr;
	struct sl_ofp_error err;
	struct sl_ofp_msg m;
	struct of_client c;
	long n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	CU_ASSERT_FATAL(ofc_open(&c, fx.agent, fx.port, false) == 0);
	ofc_send_raw(&c, hello15, sizeof(hello15));
	c.version = 6;
	sl_ofp_msg_init(&m, OFPT_SET_CONFIG, 0);
	m.u.config.miss_send_len = 128;
	ofc_send(&c, &m);
	build_flow_mod(&m, OFPFC_ADD, 3, 10, 1, 0, 2);
	m.u.flow_mod.flags = OFPFF_SEND_FLOW_REM;
	m.u.flow_mod.cookie = 0xc15;
	ofc_send(&c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c), 0); /* no error came before it */
	flow_mod(&c, OFPFC_DELETE, OFPTT_ALL, 0, 0, 0);
	do
		n = ofc_recv(&c, rx, sizeof(rx), 3000);
	while (n > 0 && rx[1] != OFPT_FLOW_REMOVED);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(rx[0], 6);
	CU_ASSERT_EQUAL_FATAL(sl_ofp15_flow_removed_decode(rx, (size_t)n, &fr, &err), 0);
	CU_ASSERT_EQUAL(fr.fr.reason, OFPRR_DELETE);
	CU_ASSERT_EQUAL(fr.fr.table_id, 3);
	CU_ASSERT_EQUAL(fr.fr.priority, 10);
	CU_ASSERT_EQUAL(fr.fr.cookie, 0xc15);
	CU_ASSERT_EQUAL_FATAL(fr.n_stats, 3); /* duration, packets, bytes */
	CU_ASSERT_EQUAL(fr.stats[0].field, 0);
	CU_ASSERT_EQUAL(fr.stats[1].field, 4 << 1);
	CU_ASSERT_EQUAL(fr.stats[1].value, 0);
	sl_ofp15_flow_removed_free(&fr);
	ofc_close(&c);
	fixture_down();
}

/* OFPT_REQUESTFORWARD: c1 asks for group-mods and meter-mods in its async
 * config (OF1.4 properties 11 master, 10 slave); c2's mods reach it whole,
 * c1's own do not come back, a session that did not ask gets nothing. */
static void
test_requestforward(void)
{
	struct sl_ofp_prop props[1] = { { .type = SL_OFPACPT_REQUESTFORWARD_MASTER } };
	struct of_client c1, c2;
	struct sl_ofp_msg m;
	struct sl_ofp_meter_band *b;
	size_t ilen;
	long n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	open14(&c1);
	open14(&c2);
	props[0].u.async.mask = 1u << SL_OFPRFR_GROUP_MOD | 1u << SL_OFPRFR_METER_MOD;
	sl_ofp_msg_init(&m, OFPT_SET_ASYNC, 0); /* also opts the service session in */
	m.u.async.properties = props;
	m.u.async.n_properties = 1;
	ofc_send(&c1, &m);
	sl_ofp_msg_init(&m, OFPT_GET_ASYNC_REQUEST, 0);
	ofc_send(&c1, &m);
	CU_ASSERT_FATAL(ofc_wait(&c1, OFPT_GET_ASYNC_REPLY, &m, 3000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.async.n_properties, 12); /* table status 8, 9 before */
	CU_ASSERT_EQUAL(m.u.async.properties[11].type, SL_OFPACPT_REQUESTFORWARD_MASTER);
	CU_ASSERT_EQUAL(m.u.async.properties[11].u.async.mask, 3);
	sl_ofp_msg_free(&m);

	sl_ofp_msg_init(&m, OFPT_GROUP_MOD, 0);
	m.u.group_mod.command = OFPGC_ADD;
	m.u.group_mod.type = OFPGT_ALL;
	m.u.group_mod.group_id = 7;
	uint32_t xid = ofc_send(&c2, &m);
	sl_ofp_msg_free(&m);
	do
		n = ofc_recv(&c1, rx, sizeof(rx), 3000);
	while (n > 0 && rx[1] != OFPT_REQUESTFORWARD);
	CU_ASSERT_FATAL(n > 0);
	const uint8_t *in = sl_ofp_requestforward_inner(rx, (size_t)n, &ilen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_EQUAL(in[1], OFPT_GROUP_MOD);
	CU_ASSERT_EQUAL((uint32_t)in[4] << 24 | in[5] << 16 | in[6] << 8 | in[7], xid);

	sl_ofp_msg_init(&m, OFPT_METER_MOD, 0); /* c1's own: not back to it */
	m.u.meter_mod.command = OFPMC_ADD;
	m.u.meter_mod.flags = OFPMF_KBPS;
	m.u.meter_mod.meter_id = 1;
	b = sl_ofp_msg_alloc(&m, sizeof(*b));
	b->type = OFPMBT_DROP;
	b->rate = 1000;
	m.u.meter_mod.bands = b;
	m.u.meter_mod.n_bands = 1;
	ofc_send(&c1, &m);
	m.u.meter_mod.meter_id = 2; /* c2's: forwarded */
	ofc_send(&c2, &m);
	sl_ofp_msg_free(&m);
	do
		n = ofc_recv(&c1, rx, sizeof(rx), 3000);
	while (n > 0 && rx[1] != OFPT_REQUESTFORWARD);
	CU_ASSERT_FATAL(n > 0);
	in = sl_ofp_requestforward_inner(rx, (size_t)n, &ilen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_EQUAL(in[1], OFPT_METER_MOD);
	CU_ASSERT_EQUAL(in[15], 2); /* meter_id 2, not c1's 1 */
	/* c2 never asked: its barrier reply comes with nothing before it */
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c1), 0);
	sl_ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 0);
	ofc_send(&c2, &m);
	n = ofc_recv(&c2, rx, sizeof(rx), 3000);
	CU_ASSERT(n > 0 && rx[1] == OFPT_BARRIER_REPLY);
	ofc_close(&c1);
	ofc_close(&c2);
	fixture_down();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "events", test_events },
		{ "filters", test_filters },
		{ "refusals", test_refusals },
		{ "pause_resume", test_pause_resume },
		{ "onf", test_onf },
		{ "meter_delete", test_meter_delete },
		{ "flow_removed15", test_flow_removed15 },
		{ "requestforward", test_requestforward },
	};

	return cunit_run_suite("agent_monitor", tests, CUNIT_N_TESTS(tests));
}
