/* SPDX-License-Identifier: BSD-3-Clause */
/* Bundles through the agent over loopback, in OpenFlow 1.3's ONF framing
 * (what `ovs-ofctl -O OpenFlow13 --bundle` sends): replies, every
 * OFPET_BUNDLE_FAILED refusal of OF1.4.1 7.3.9 that Sluice can produce,
 * limits, a commit that fails and leaves the tables as they were, bundles
 * of a closed connection, the idle timeout, and meter-mods (with the flows
 * that use them; a failed commit takes added meters out and puts modified
 * ones back; MSG_CONFLICT), and port-mods (their own errors at add and
 * at commit, staged for the version the commit publishes, settled after
 * its sync, port-status then, nothing on a failed commit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_bundle.h"
#include "agent_fixture.h"
#include "cunit_main.h"
#include "openflow.h"
#include "sl_ofp_bundle.h"

static uint8_t rx[70000];

static uint32_t
send_bundle(struct of_client *c, bool is_add, uint32_t id, uint16_t type, uint16_t flags,
	    const uint8_t *inner, size_t inner_len, uint32_t xid)
{
	struct sl_ofp_bundle q = { .version = 4, .framing = SL_OFP_BUNDLE_ONF, .is_add = is_add,
				   .bundle_id = id, .type = type, .flags = flags,
				   .msg = inner, .msg_len = inner_len };
	struct sl_ofp_buf b = { 0 };

	q.xid = xid ? xid : c->next_xid++;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_encode(&q, &b), 0);
	ofc_send_raw(c, b.data, b.len);
	sl_ofp_buf_free(&b);
	return q.xid;
}

static uint32_t
ctrl(struct of_client *c, uint32_t id, uint16_t type, uint16_t flags)
{
	return send_bundle(c, false, id, type, flags, NULL, 0, 0);
}

/* @p m as OpenFlow 1.3 bytes in @p out (an inner message of a bundle),
 * then freed; their length. */
static size_t
encode_into(uint8_t *out, struct sl_ofp_msg *m)
{
	struct sl_ofp_buf b = { 0 };
	size_t n;

	m->version = 4;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_encode(m, &b), 0);
	n = b.len;
	memcpy(out, b.data, n);
	sl_ofp_buf_free(&b);
	sl_ofp_msg_free(m);
	return n;
}

/* A flow-mod ADD of in_port=@p in_port -> output:@p out (group:@p group when
 * nonzero: an unknown group fails at commit), encoded with @p xid. */
static size_t
flow_mod_bytes(uint8_t *out, uint32_t xid, uint16_t prio, uint32_t in_port, uint32_t port,
	       uint8_t cmd)
{
	struct sl_ofp_msg m;

	build_flow_mod(&m, cmd, 0, prio, in_port, 0, port);
	m.xid = xid;
	return encode_into(out, &m);
}

static uint32_t
add_flow(struct of_client *c, uint32_t id, uint16_t flags, uint16_t prio, uint32_t in_port,
	 uint32_t port)
{
	uint8_t fm[256];
	uint32_t xid = c->next_xid++;
	size_t n = flow_mod_bytes(fm, xid, prio, in_port, port, OFPFC_ADD);

	return send_bundle(c, true, id, 0, flags, fm, n, xid);
}

static uint32_t
xid_of(const uint8_t *m)
{
	return (uint32_t)m[4] << 24 | (uint32_t)m[5] << 16 | (uint32_t)m[6] << 8 | m[7];
}

/* The next message is the ONF bundle error @p code answering @p xid. */
static void
expect_bundle_error(struct of_client *c, uint16_t code, uint32_t xid, const char *what)
{
	long n = ofc_recv(c, rx, sizeof(rx), 2000);

	CU_ASSERT_FATAL(n >= 16);
	bool ok = rx[1] == OFPT_ERROR && (rx[8] << 8 | rx[9]) == OFPET_EXPERIMENTER &&
		  (unsigned int)(rx[10] << 8 | rx[11]) == SL_ONFT_BUNDLE_CONTROL + code &&
		  rx[12] == 0x4f && rx[13] == 0x4e && rx[14] == 0x46 && xid_of(rx) == xid;
	if (!ok)
		fprintf(stderr, "%s: got type %u error %u/%u xid %u, want bundle code %u xid %u\n",
			what, rx[1], rx[8] << 8 | rx[9], rx[10] << 8 | rx[11], xid_of(rx), code, xid);
	CU_ASSERT_TRUE(ok);
}

/* The next message is the control reply @p type for bundle @p id, xid @p xid
 * (flow-removed messages of the commit come before it: skipped). */
static void
expect_reply(struct of_client *c, uint16_t type, uint32_t id, uint32_t xid)
{
	struct sl_ofp_bundle q;
	struct sl_ofp_error err;
	long n;

	do
		n = ofc_recv(c, rx, sizeof(rx), 2000);
	while (n > 0 && rx[1] == OFPT_FLOW_REMOVED);

	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_bundle_decode(rx, (size_t)n, &q, &err), 0);
	CU_ASSERT_FALSE(q.is_add);
	CU_ASSERT_EQUAL(q.type, type);
	CU_ASSERT_EQUAL(q.bundle_id, id);
	CU_ASSERT_EQUAL(q.xid, xid);
}

static void
expect_silence(struct of_client *c)
{
	CU_ASSERT_EQUAL(ofc_recv(c, rx, sizeof(rx), 50), 0);
}

#define AO (SL_OFPBF_ATOMIC | SL_OFPBF_ORDERED)

static void
test_open_add_commit(void)
{
	uint32_t x;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	x = ctrl(&fx.c, 1, SL_OFPBCT_OPEN_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_OPEN_REPLY, 1, x);
	for (uint32_t p = 1; p <= 3; p++)
		add_flow(&fx.c, 1, AO, 10, p, p % 3 + 1);
	expect_silence(&fx.c); /* adds are not answered */
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 0);
	x = ctrl(&fx.c, 1, SL_OFPBCT_CLOSE_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_CLOSE_REPLY, 1, x);
	x = ctrl(&fx.c, 1, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_COMMIT_REPLY, 1, x);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 3);
	/* committed bundles are gone; an add opens one implicitly */
	x = ctrl(&fx.c, 1, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_bundle_error(&fx.c, SL_OFPBFC_BAD_ID, x, "commit twice");
	add_flow(&fx.c, 2, 0, 11, 1, 2);
	x = ctrl(&fx.c, 2, SL_OFPBCT_DISCARD_REQUEST, 0);
	expect_reply(&fx.c, SL_OFPBCT_DISCARD_REPLY, 2, x);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 3);
	struct sl_agent_stats st;
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.bundles_committed, 1);
	fixture_down();
}

static void
test_refusals(void)
{
	uint8_t fm[256];
	uint32_t x;
	size_t n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	x = ctrl(&fx.c, 1, SL_OFPBCT_OPEN_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_OPEN_REPLY, 1, x);
	x = ctrl(&fx.c, 1, SL_OFPBCT_OPEN_REQUEST, AO);
	expect_bundle_error(&fx.c, SL_OFPBFC_BUNDLE_EXIST, x, "open twice");
	x = ctrl(&fx.c, 5, SL_OFPBCT_CLOSE_REQUEST, AO);
	expect_bundle_error(&fx.c, SL_OFPBFC_BAD_ID, x, "close unknown");
	x = ctrl(&fx.c, 1, SL_OFPBCT_COMMIT_REQUEST, SL_OFPBF_ATOMIC);
	expect_bundle_error(&fx.c, SL_OFPBFC_BAD_FLAGS, x, "commit other flags");
	x = add_flow(&fx.c, 1, SL_OFPBF_ORDERED, 10, 1, 2);
	expect_bundle_error(&fx.c, SL_OFPBFC_BAD_FLAGS, x, "add other flags");
	x = ctrl(&fx.c, 3, SL_OFPBCT_OPEN_REQUEST, 4);
	expect_bundle_error(&fx.c, SL_OFPBFC_BAD_FLAGS, x, "unknown flag");
	x = ctrl(&fx.c, 1, SL_OFPBCT_OPEN_REPLY, AO);
	expect_bundle_error(&fx.c, SL_OFPBFC_BAD_TYPE, x, "a reply");
	x = ctrl(&fx.c, 1, 8, AO);
	expect_bundle_error(&fx.c, SL_OFPBFC_BAD_TYPE, x, "type 8");
	/* inner message: another xid, not a flow-mod, refused by validation */
	n = flow_mod_bytes(fm, 999, 10, 1, 2, OFPFC_ADD);
	x = send_bundle(&fx.c, true, 1, 0, AO, fm, n, 0);
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_BAD_XID, x, "inner xid");
	x = fx.c.next_xid++;
	uint8_t barrier[8] = { 4, OFPT_BARRIER_REQUEST, 0, 8 };
	barrier[7] = (uint8_t)x;
	barrier[6] = (uint8_t)(x >> 8);
	send_bundle(&fx.c, true, 1, 0, AO, barrier, 8, x);
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_UNSUP, x, "barrier inside");
	x = fx.c.next_xid++;
	n = flow_mod_bytes(fm, x, 10, 1, 2, 9); /* command 9 */
	send_bundle(&fx.c, true, 1, 0, AO, fm, n, x);
	expect_error(&fx.c, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND, n + 24, "bad command");
	/* closed */
	x = ctrl(&fx.c, 1, SL_OFPBCT_CLOSE_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_CLOSE_REPLY, 1, x);
	x = ctrl(&fx.c, 1, SL_OFPBCT_CLOSE_REQUEST, AO);
	expect_bundle_error(&fx.c, SL_OFPBFC_BUNDLE_CLOSED, x, "close twice");
	x = add_flow(&fx.c, 1, AO, 10, 1, 2);
	expect_bundle_error(&fx.c, SL_OFPBFC_BUNDLE_CLOSED, x, "add to closed");
	/* out of bundles: 1 and AGENT_BUNDLES_MAX - 1 more */
	for (uint32_t id = 100; id < 100 + AGENT_BUNDLES_MAX - 1; id++) {
		x = ctrl(&fx.c, id, SL_OFPBCT_OPEN_REQUEST, 0);
		expect_reply(&fx.c, SL_OFPBCT_OPEN_REPLY, id, x);
	}
	x = ctrl(&fx.c, 7, SL_OFPBCT_OPEN_REQUEST, 0);
	expect_bundle_error(&fx.c, SL_OFPBFC_OUT_OF_BUNDLES, x, "17th bundle");
	x = add_flow(&fx.c, 7, 0, 10, 1, 2);
	expect_bundle_error(&fx.c, SL_OFPBFC_OUT_OF_BUNDLES, x, "17th by add");
	/* another connection has bundles of its own: the same id is free there */
	struct of_client c2;
	CU_ASSERT_FATAL(ofc_open(&c2, fx.agent, fx.port, true) == 0);
	x = ctrl(&c2, 1, SL_OFPBCT_OPEN_REQUEST, AO);
	expect_reply(&c2, SL_OFPBCT_OPEN_REPLY, 1, x);
	add_flow(&c2, 1, AO, 10, 1, 2);
	ofc_close(&c2); /* its bundle goes with it (ASan: nothing leaks) */
	ofc_pump(fx.agent, 50);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 0);
	fixture_down();
}

/* A commit whose last message fails: its own error (its xid), then
 * MSG_FAILED for the commit; nothing of the bundle stays. */
static void
test_commit_rolls_back(void)
{
	uint8_t fm[256];
	uint32_t x, bad;
	size_t n;
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	build_flow_mod(&m, OFPFC_ADD, 0, 5, 1, 0, 2);
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&fx.c), 0);
	uint64_t v0 = sl_pipeline_version(fx.pl);

	for (uint32_t p = 1; p <= 50; p++)
		add_flow(&fx.c, 4, AO, 10, p, 3);
	x = fx.c.next_xid++;
	n = flow_mod_bytes(fm, x, 5, 1, 0, OFPFC_DELETE_STRICT);
	send_bundle(&fx.c, true, 4, 0, AO, fm, n, x);
	/* output to group 99: valid alone, unknown at commit */
	bad = fx.c.next_xid++;
	build_flow_mod(&m, OFPFC_ADD, 0, 20, 2, 0, 2);
	struct sl_ofp_action *ga = (struct sl_ofp_action *)m.u.flow_mod.instructions[0].u.actions.actions;
	ga->type = OFPAT_GROUP;
	ga->u.group.group_id = 99;
	m.xid = bad;
	struct sl_ofp_buf b = { 0 };
	CU_ASSERT_EQUAL_FATAL(sl_ofp_encode(&m, &b), 0);
	sl_ofp_msg_free(&m);
	send_bundle(&fx.c, true, 4, 0, AO, b.data, b.len, bad);
	expect_silence(&fx.c);
	x = ctrl(&fx.c, 4, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_error(&fx.c, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP, b.len, "failing message");
	/* expect_error does not show the xid: the error came first, with it */
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_FAILED, x, "commit");
	sl_ofp_buf_free(&b);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 1);
	CU_ASSERT_EQUAL(sl_pipeline_version(fx.pl), v0);
	struct sl_agent_stats st;
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.bundles_failed, 1);
	fixture_down();
}

/* ---- meter-mods in bundles ---- */

/* A meter-mod @p cmd of meter @p id (one drop band at @p rate kb/s) as an
 * inner message of xid @p xid; its length. */
static size_t
meter_mod_bytes(uint8_t *out, uint32_t xid, uint16_t cmd, uint32_t id, uint32_t rate)
{
	struct sl_ofp_msg m;
	struct sl_ofp_meter_band band = { .type = OFPMBT_DROP, .rate = rate };

	sl_ofp_msg_init(&m, OFPT_METER_MOD, xid);
	m.u.meter_mod.command = cmd;
	m.u.meter_mod.flags = OFPMF_KBPS;
	m.u.meter_mod.meter_id = id;
	m.u.meter_mod.bands = cmd == OFPMC_DELETE ? NULL : &band;
	m.u.meter_mod.n_bands = cmd == OFPMC_DELETE ? 0 : 1;
	return encode_into(out, &m);
}

static uint32_t
add_meter_mod(struct of_client *c, uint32_t id_bundle, uint16_t cmd, uint32_t id, uint32_t rate)
{
	uint8_t mm[128];
	uint32_t xid = c->next_xid++;
	size_t n = meter_mod_bytes(mm, xid, cmd, id, rate);

	send_bundle(c, true, id_bundle, 0, AO, mm, n, xid);
	return xid;
}

/* A flow-mod ADD in_port=@p in_port, meter:@p meter, output:2 (group:@p group
 * instead when nonzero) into bundle @p id_bundle; its length in *len.
 * In_port 1 asks for flow-removed messages. */
static uint32_t
add_metered_flow(struct of_client *c, uint32_t id_bundle, uint32_t in_port, uint32_t meter,
		 uint32_t group, size_t *len)
{
	struct sl_ofp_msg m;
	struct sl_ofp_buf b = { 0 };
	uint32_t xid = c->next_xid++;

	build_flow_mod(&m, OFPFC_ADD, 0, 30, in_port, 0, 2);
	m.u.flow_mod.flags = in_port == 1 ? OFPFF_SEND_FLOW_REM : 0;
	struct sl_ofp_instruction *in = sl_ofp_msg_alloc(&m, 2 * sizeof(*in));
	in[0].type = OFPIT_METER;
	in[0].u.meter.meter_id = meter;
	in[1] = m.u.flow_mod.instructions[0];
	if (group) {
		in[1].u.actions.actions[0].type = OFPAT_GROUP;
		in[1].u.actions.actions[0].u.group.group_id = group;
	}
	m.u.flow_mod.instructions = in;
	m.u.flow_mod.n_instructions = 2;
	m.xid = xid;
	m.version = 4;
	CU_ASSERT_EQUAL_FATAL(sl_ofp_encode(&m, &b), 0);
	send_bundle(c, true, id_bundle, 0, AO, b.data, b.len, xid);
	if (len)
		*len = b.len;
	sl_ofp_buf_free(&b);
	sl_ofp_msg_free(&m);
	return xid;
}

/* The meters (id -> first band's rate) the agent reports; how many. */
static uint32_t
meter_rates(uint32_t *rate_of, uint32_t max_id)
{
	struct sl_ofp_msg m;
	struct sl_ofp_error err;
	uint32_t n = 0;

	memset(rate_of, 0, (max_id + 1) * sizeof(*rate_of));
	build_mp_req(&m, OFPMP_METER_CONFIG);
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	long len = ofc_recv(&fx.c, rx, sizeof(rx), 2000);
	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_decode(rx, (size_t)len, &m, &err), 0);
	for (uint32_t i = 0; i < m.u.multipart.body.meter_config.n; i++) {
		const struct sl_ofp_meter_config *mc = &m.u.multipart.body.meter_config.items[i];

		if (mc->meter_id <= max_id && mc->n_bands > 0)
			rate_of[mc->meter_id] = mc->bands[0].rate;
		n++;
	}
	sl_ofp_msg_free(&m);
	return n;
}

/* Meter-mods commit with the flow-mods that use them; a failing commit
 * takes the added meters out and puts the modified ones back. */
static void
test_meters(void)
{
	uint32_t rate[10], x, bad;
	size_t n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	/* meter 6 and a rule using it, in a first bundle */
	add_meter_mod(&fx.c, 1, OFPMC_ADD, 6, 1000);
	add_metered_flow(&fx.c, 1, 1, 6, 0, NULL);
	x = ctrl(&fx.c, 1, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_COMMIT_REPLY, 1, x);
	CU_ASSERT_EQUAL(meter_rates(rate, 9), 1);
	CU_ASSERT_EQUAL(rate[6], 1000);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 1);
	/* add 5 with a rule, modify 6, then a flow-mod that fails at commit */
	add_meter_mod(&fx.c, 2, OFPMC_ADD, 5, 500);
	add_metered_flow(&fx.c, 2, 2, 5, 0, NULL);
	add_meter_mod(&fx.c, 2, OFPMC_MODIFY, 6, 2000);
	bad = add_metered_flow(&fx.c, 2, 3, 6, 99, &n);
	expect_silence(&fx.c);
	x = ctrl(&fx.c, 2, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_error(&fx.c, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP, n, "group 99");
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_FAILED, x, "commit with group 99");
	(void)bad;
	CU_ASSERT_EQUAL(meter_rates(rate, 9), 1); /* 5 taken out again */
	CU_ASSERT_EQUAL(rate[6], 1000);           /* 6 put back */
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 1);
	/* the same without the failure commits whole */
	add_meter_mod(&fx.c, 3, OFPMC_ADD, 5, 500);
	add_metered_flow(&fx.c, 3, 2, 5, 0, NULL);
	add_meter_mod(&fx.c, 3, OFPMC_MODIFY, 6, 2000);
	x = ctrl(&fx.c, 3, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_COMMIT_REPLY, 3, x);
	CU_ASSERT_EQUAL(meter_rates(rate, 9), 2);
	CU_ASSERT(rate[5] == 500 && rate[6] == 2000);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 2);
	/* a flow-mod after the bundle's own delete of its meter: refused when added */
	add_meter_mod(&fx.c, 4, OFPMC_DELETE, 6, 0);
	add_metered_flow(&fx.c, 4, 4, 6, 0, &n);
	expect_error(&fx.c, OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER, n + 24, "deleted meter");
	x = ctrl(&fx.c, 4, SL_OFPBCT_DISCARD_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_DISCARD_REPLY, 4, x);
	CU_ASSERT_EQUAL(meter_rates(rate, 9), 2);
	/* meter 5 deleted by a plain meter-mod after the add: the commit finds
	 * it gone (UNKNOWN_METER, MSG_FAILED) and applies nothing */
	add_metered_flow(&fx.c, 6, 5, 5, 0, &n);
	uint8_t mm[128];
	size_t mn = meter_mod_bytes(mm, fx.c.next_xid++, OFPMC_DELETE, 5, 0);
	ofc_send_raw(&fx.c, mm, mn);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&fx.c), 0);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 1); /* 5's rule went with it */
	x = ctrl(&fx.c, 6, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_error(&fx.c, OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER, n, "meter gone");
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_FAILED, x, "commit, meter gone");
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 1);
	/* a delete in a bundle takes the meter and its rule, which an OpenFlow
	 * 1.4 session hears of as removed by a meter delete */
	struct of_client c14;
	uint8_t hello[16] = { 5, OFPT_HELLO, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 1u << 5 };
	uint8_t cfg[12] = { 5, OFPT_SET_CONFIG, 0, 12, 0, 0, 0, 2, 0, 0, 0, 128 };
	CU_ASSERT_FATAL(ofc_open(&c14, fx.agent, fx.port, false) == 0);
	ofc_send_raw(&c14, hello, sizeof(hello));
	ofc_send_raw(&c14, cfg, sizeof(cfg)); /* miss_send_len: async messages */
	c14.version = 5;
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&c14), 0);
	add_meter_mod(&fx.c, 7, OFPMC_DELETE, 6, 0);
	x = ctrl(&fx.c, 7, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_COMMIT_REPLY, 7, x);
	CU_ASSERT_EQUAL(meter_rates(rate, 9), 0);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 0);
	long len;
	do
		len = ofc_recv(&c14, rx, sizeof(rx), 2000);
	while (len > 0 && rx[1] != OFPT_FLOW_REMOVED);
	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_EQUAL(rx[0], 5);
	CU_ASSERT_EQUAL(rx[8 + 8 + 2], OFPRR_METER_DELETE); /* cookie, priority, reason */
	ofc_close(&c14);
	fixture_down();
}

/* Refused when added: two meter-mods of one meter (MSG_CONFLICT), ADD of
 * an existing meter, a flow-mod with a meter nobody adds, port-mods. */
static void
test_meter_refusals(void)
{
	uint8_t mm[128];
	uint32_t x;
	size_t n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	add_meter_mod(&fx.c, 1, OFPMC_ADD, 5, 500);
	x = add_meter_mod(&fx.c, 1, OFPMC_MODIFY, 5, 600);
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_CONFLICT, x, "second mod of meter 5");
	x = add_meter_mod(&fx.c, 1, OFPMC_DELETE, OFPM_ALL, 0);
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_CONFLICT, x, "delete all beside another");
	x = ctrl(&fx.c, 1, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_COMMIT_REPLY, 1, x);
	x = fx.c.next_xid++;
	n = meter_mod_bytes(mm, x, OFPMC_ADD, 5, 500);
	send_bundle(&fx.c, true, 2, 0, AO, mm, n, x);
	expect_error(&fx.c, OFPET_METER_MOD_FAILED, OFPMMFC_METER_EXISTS, n + 24, "add twice");
	add_metered_flow(&fx.c, 2, 1, 8, 0, &n);
	expect_error(&fx.c, OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER, n + 24, "meter 8");
	fixture_down();
}

/* ---- port-mods in bundles ---- */

/* A port-mod of port @p port (its MAC as the fake has it, unless @p bad_hw)
 * setting @p config under @p mask, as an inner message of xid @p xid. */
static size_t
port_mod_bytes(uint8_t *out, uint32_t xid, uint32_t port, bool bad_hw, uint32_t config,
	       uint32_t mask)
{
	struct sl_ofp_msg m;

	sl_ofp_msg_init(&m, OFPT_PORT_MOD, xid);
	m.u.port_mod.port_no = port;
	m.u.port_mod.hw_addr[0] = 2;
	m.u.port_mod.hw_addr[5] = (uint8_t)(bad_hw ? 0x77 : port);
	m.u.port_mod.config = config;
	m.u.port_mod.mask = mask;
	return encode_into(out, &m);
}

static uint32_t
add_port_mod(struct of_client *c, uint32_t id, uint32_t port, bool bad_hw, uint32_t config,
	     uint32_t mask, size_t *len)
{
	uint8_t pm[64];
	uint32_t xid = c->next_xid++;
	size_t n = port_mod_bytes(pm, xid, port, bad_hw, config, mask);

	if (len != NULL)
		*len = n + 24; /* the whole add, as the error quotes it */
	return send_bundle(c, true, id, 0, AO, pm, n, xid);
}

/* The next port-status is a MODIFY of @p port with configuration @p config. */
static void
expect_port_status(uint32_t port, uint32_t config)
{
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PORT_STATUS, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.port_status.reason, OFPPR_MODIFY);
	CU_ASSERT_EQUAL(m.u.port_status.desc.port_no, port);
	CU_ASSERT_EQUAL(m.u.port_status.desc.config, config);
	sl_ofp_msg_free(&m);
}

static void
test_port_mods(void)
{
	uint32_t x;
	size_t n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	/* checked at add, each with its own error (7.3.9.6) */
	add_port_mod(&fx.c, 1, 9, false, OFPPC_NO_FWD, OFPPC_NO_FWD, &n);
	expect_error(&fx.c, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT, n, "port 9");
	add_port_mod(&fx.c, 1, 1, true, OFPPC_NO_FWD, OFPPC_NO_FWD, &n);
	expect_error(&fx.c, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_HW_ADDR, n, "hw_addr");
	add_port_mod(&fx.c, 1, 1, false, 1u << 1, 1u << 1, &n); /* OF1.0 NO_STP */
	expect_error(&fx.c, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_CONFIG, n, "NO_STP");

	/* {NO_FWD on 1, a flow to 2}: nothing before the commit, both after */
	add_port_mod(&fx.c, 1, 1, false, OFPPC_NO_FWD, OFPPC_NO_FWD, NULL);
	add_flow(&fx.c, 1, AO, 10, 3, 2);
	expect_silence(&fx.c);
	CU_ASSERT_EQUAL(fx.dp.ports[0].config, 0);
	CU_ASSERT_EQUAL(fx.dp.n_port_stages, 0);
	uint64_t v0 = sl_pipeline_version(fx.pl);
	x = ctrl(&fx.c, 1, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_COMMIT_REPLY, 1, x);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 1);
	CU_ASSERT_EQUAL(fx.dp.ports[0].config, OFPPC_NO_FWD);
	/* staged for the version the commit published, settled after its sync */
	CU_ASSERT_EQUAL(sl_pipeline_version(fx.pl), v0 + 1);
	CU_ASSERT_EQUAL(fx.dp.last_staged_version, v0 + 1);
	CU_ASSERT_EQUAL(fx.dp.n_settles, 1);
	CU_ASSERT(fx.dp.n_syncs_at_settle >= 1 && fx.dp.n_syncs_at_settle == fx.dp.n_sync);
	expect_port_status(1, OFPPC_NO_FWD);

	/* two port-mods of one port apply in order; port-mods alone bump too */
	add_port_mod(&fx.c, 2, 2, false, OFPPC_NO_RECV, OFPPC_NO_RECV, NULL);
	add_port_mod(&fx.c, 2, 2, false, OFPPC_PORT_DOWN, OFPPC_NO_RECV | OFPPC_PORT_DOWN, NULL);
	x = ctrl(&fx.c, 2, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_reply(&fx.c, SL_OFPBCT_COMMIT_REPLY, 2, x);
	CU_ASSERT_EQUAL(fx.dp.ports[1].config, OFPPC_PORT_DOWN);
	CU_ASSERT_EQUAL(sl_pipeline_version(fx.pl), v0 + 2);
	CU_ASSERT_EQUAL(fx.dp.last_staged_version, v0 + 2);
	expect_port_status(2, OFPPC_PORT_DOWN);

	/* a commit that fails (port 3 gone since its port-mod was added) leaves
	 * the ports and tables as they were, and no port-status follows */
	unsigned int stages = fx.dp.n_port_stages;
	struct sl_ofp_msg m;

	add_port_mod(&fx.c, 3, 1, false, 0, OFPPC_NO_FWD, NULL);
	add_flow(&fx.c, 3, AO, 10, 1, 2);
	add_port_mod(&fx.c, 3, 3, false, OFPPC_NO_FWD, OFPPC_NO_FWD, &n);
	expect_silence(&fx.c);
	fake_dp_remove_port(&fx.dp, 2);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PORT_STATUS, &m, 2000) == 0); /* its DELETE */
	sl_ofp_msg_free(&m);
	uint64_t seq = fx.dp.seq;
	x = ctrl(&fx.c, 3, SL_OFPBCT_COMMIT_REQUEST, AO);
	expect_error(&fx.c, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT, n - 24, "port 3 at commit");
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_FAILED, x, "commit");
	CU_ASSERT_EQUAL(fx.dp.ports[0].config, OFPPC_NO_FWD);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 1);
	CU_ASSERT_EQUAL(fx.dp.n_port_stages, stages);
	CU_ASSERT_EQUAL(fx.dp.seq, seq);
	CU_ASSERT_EQUAL(sl_pipeline_version(fx.pl), v0 + 2);
	expect_silence(&fx.c);
	fixture_down();
}

static void
test_too_many(void)
{
	uint32_t x;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	for (uint32_t i = 0; i < AGENT_BUNDLE_MSGS_MAX; i++) {
		add_flow(&fx.c, 1, 0, (uint16_t)(i >> 16), i & 0xffff, 2);
		if (i % 512 == 0)
			ofc_pump(fx.agent, 1);
	}
	x = add_flow(&fx.c, 1, 0, 9, 1, 2);
	expect_bundle_error(&fx.c, SL_OFPBFC_MSG_TOO_MANY, x, "one too many");
	x = ctrl(&fx.c, 1, SL_OFPBCT_DISCARD_REQUEST, 0);
	expect_reply(&fx.c, SL_OFPBCT_DISCARD_REPLY, 1, x);
	fixture_down();
}

static void
test_idle_timeout(void)
{
	uint32_t x, last;
	long n = 0;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	x = ctrl(&fx.c, 3, SL_OFPBCT_OPEN_REQUEST, 0);
	expect_reply(&fx.c, SL_OFPBCT_OPEN_REPLY, 3, x);
	last = add_flow(&fx.c, 3, 0, 10, 1, 2);
	for (unsigned int ms = 0; n == 0 && ms < AGENT_BUNDLE_IDLE_NS / 1000000 + 5000; ms += 100)
		n = ofc_recv(&fx.c, rx, sizeof(rx), 100);
	CU_ASSERT_FATAL(n >= 16);
	CU_ASSERT_EQUAL(rx[10] << 8 | rx[11], SL_ONFT_BUNDLE_CONTROL + SL_OFPBFC_TIMEOUT);
	CU_ASSERT_EQUAL(xid_of(rx), last);
	x = ctrl(&fx.c, 3, SL_OFPBCT_COMMIT_REQUEST, 0);
	expect_bundle_error(&fx.c, SL_OFPBFC_BAD_ID, x, "commit after timeout");
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 0);
	fixture_down();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "open_add_commit", test_open_add_commit },
		{ "refusals", test_refusals },
		{ "commit_rolls_back", test_commit_rolls_back },
		{ "meters", test_meters },
		{ "meter_refusals", test_meter_refusals },
		{ "port_mods", test_port_mods },
		{ "too_many", test_too_many },
		{ "idle_timeout", test_idle_timeout },
	};

	return cunit_run_suite("agent_bundle", tests, CUNIT_N_TESTS(tests));
}
