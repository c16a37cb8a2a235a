/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the OpenFlow agent with the real pipeline behind it
 * (ofagent/ + lib/pipeline, the test runtime test/ofagent/fake_dp.c, which
 * translates packet-outs through the pipeline too). Each input gets a new
 * agent listening on ptcp:0 and a controller session over loopback TCP
 * (test/ofagent/of_client.c), so messages take the agent's real receive
 * path: framing, decode, validation, dispatch. Everything is torn down at
 * the end of the input, so that LeakSanitizer sees what the agent leaked.
 *
 * The first byte picks the mode:
 *  - raw (odd): the rest is a stream of OpenFlow messages as libFuzzer
 *    mutates them. Each is framed by its own length field (kept in sync:
 *    a length below 8 counts as 8, past the end as the rest) and given a
 *    fresh xid, so that every reply can be told apart.
 *  - structured (even): the bytes pick messages from templates built with
 *    the codec (flow/group/meter-mods, packet-outs, multipart requests,
 *    barriers, roles, config...; agent_fuzz_model.c), with a barrier after
 *    some of them; a model follows what the replies say was installed.
 * Checked after every reply and at the end:
 *  - a barrier's reply comes after the replies to every earlier message,
 *    and every barrier request gets one; the session is never closed;
 *  - a request that must be answered is (its reply type or an error), and
 *    nothing answers an xid that was never sent;
 *  - structured: flow, aggregate, group-desc and meter-config replies equal
 *    the model at their place in the stream;
 *  - at the end: a flow dump of all tables has as many flows as the
 *    pipeline holds (and, structured, exactly the model's), and the agent
 *    still answers an echo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "agent_fuzz.h"
#include "fake_dp.h"
#include "of_client.h"
#include "openflow.h"
#include "sl_agent.h"
#include "sl_meter.h"
#include "sl_pipeline.h"

struct af_in af_in;
struct af_stats af_st;

uint32_t
af_rnd(uint32_t n)
{
	uint32_t v = 0;

	if (n <= 1)
		return 0;
	for (uint32_t span = 1; span < n && span != 0; span <<= 8)
		v = v << 8 | (af_in.i < af_in.n ? af_in.p[af_in.i++] : 0);
	return v % n;
}

void
af_fail(const char *what)
{
	fprintf(stderr, "fuzz_agent: invariant violated: %s\n", what);
	abort();
}

/* ------------------------------------------------------------ session ---- */

static struct fake_dp dp;
static struct sl_pipeline *pl;
static struct sl_meter_table *meters;
static struct sl_agent *agent;
static struct of_client cl;

/* fake_dp's packet-out copies the frame with memcpy() even when there is
 * none (data NULL, length 0, which the agent passes on for an empty
 * packet-out): give it a pointer. (The real runtime refuses an empty one.) */
static int
packet_out(void *ctx, uint32_t in_port, const void *actions, const uint8_t *data, uint32_t len,
	   uint16_t *err_type, uint16_t *err_code)
{
	static const uint8_t none[1];

	return fake_dp_ops.packet_out(ctx, in_port, actions, data ? data : none, len, err_type,
				      err_code);
}

static struct sl_agent_dp_ops dp_ops;

static void
session_up(void)
{
	struct sl_pipeline_config pc = { 0 };
	struct sl_agent_config cfg = { 0 };
	char err[256];

	fake_dp_init(&dp, 4);
	pc.on_removed = sl_agent_rule_removed;
	pc.cb_ctx = &agent;
	pl = sl_pipeline_create(&pc);
	if (pl == NULL)
		af_fail("no pipeline");
	dp.pl = pl;
	/* The runtime's meter table, as sluiced passes its own; small, as the
	 * agent's default (65536 heads) costs more to tear down than an input. */
	meters = sl_meter_table_create(64, NULL, NULL);
	if (meters == NULL)
		af_fail("no meter table");
	cfg.meters = meters;
	cfg.datapath_id = 0x1234;
	/* Eight tables, not 254: a table-features reply (every table's
	 * properties) then costs what the other requests do, not 60% of the
	 * run. Table ids from 8 up are refused like any bad table. */
	cfg.n_tables = 8;
	cfg.targets[0] = "ptcp:0";
	cfg.n_targets = 1;
	cfg.probe_interval_ms = 60000;
	cfg.pin_rate_pps = 100000;
	cfg.pin_burst = 100000;
	cfg.service_roles = true; /* the session may become master or slave */
	dp_ops = fake_dp_ops;
	dp_ops.packet_out = packet_out;
	agent = sl_agent_create(&cfg, &dp_ops, &dp, pl, err, sizeof(err));
	if (agent == NULL) {
		fprintf(stderr, "fuzz_agent: %s\n", err);
		af_fail("no agent");
	}
	if (ofc_open(&cl, agent, sl_agent_listen_port(agent, 0), true) != 0)
		af_fail("cannot open the session");
}

static void
session_down(void)
{
	/* Reset rather than close: no TIME_WAIT socket per input, which would
	 * run the host out of ports within a minute of fuzzing. */
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(cl.fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	ofc_close(&cl);
	sl_agent_destroy(agent);
	agent = NULL;
	sl_pipeline_destroy(pl);
	pl = NULL;
	sl_meter_table_destroy(meters);
	meters = NULL;
}

/* ------------------------------------------------------------ replies ---- */

static struct af_msg msgs[AF_MAX_MSGS];
static unsigned int n_msgs;
static bool structured;
static unsigned int barrier_done; /* index + 1 of the latest barrier answered */
static unsigned int finalized;    /* messages 0..finalized-1 are known applied or refused */

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Messages before @p k got every reply they will get: apply those that
 * were not refused. */
static void
finalize_below(unsigned int k)
{
	for (; finalized < k; finalized++) {
		struct af_msg *r = &msgs[finalized];

		if (r->want && !r->answered) {
			fprintf(stderr, "fuzz_agent: message %u (type %u) unanswered\n", finalized,
				r->type);
			af_fail("a request that must be answered was not, before a later reply");
		}
		if (structured && !r->errored && !r->done)
			af_apply(r);
		r->done = true;
	}
}

static void
multipart_part(struct af_msg *r, const uint8_t *b, size_t len)
{
	struct sl_ofp_error err;
	struct sl_ofp_msg m, *parts;

	if (sl_ofp_decode(b, len, &m, &err) != 0)
		af_fail("the agent sent a multipart reply the codec does not decode");
	if (m.u.multipart.type == OFPMP_FLOW)
		r->n_items += m.u.multipart.body.flow_stats.n;
	parts = realloc(r->parts, (r->n_parts + 1) * sizeof(*parts));
	if (parts == NULL)
		af_fail("out of memory");
	r->parts = parts;
	r->parts[r->n_parts++] = m;
	if (m.u.multipart.flags & OFPMPF_REPLY_MORE)
		return;
	if (structured)
		af_check_dump(r, r->parts, r->n_parts);
	for (unsigned int i = 0; i < r->n_parts; i++)
		sl_ofp_msg_free(&r->parts[i]);
	free(r->parts);
	r->parts = NULL;
	r->n_parts = 0;
	r->done = true;
}

static void
handle(const uint8_t *b, size_t len)
{
	uint8_t type = b[1];
	uint32_t xid = rd32(b + 4);
	unsigned int k = xid - AF_XID_BASE;
	struct af_msg *r;

	if (type == OFPT_PACKET_IN || type == OFPT_PORT_STATUS || type == OFPT_FLOW_REMOVED ||
	    type == OFPT_ECHO_REQUEST)
		return; /* asynchronous, or the agent's keepalive */
	if (xid < AF_XID_BASE || k >= n_msgs) {
		fprintf(stderr, "fuzz_agent: type %u xid %#x\n", type, xid);
		af_fail("a reply to an xid that was never sent");
	}
	r = &msgs[k];
	if (k + 1 < barrier_done) {
		fprintf(stderr, "fuzz_agent: reply type %u to message %u after the barrier reply "
			"to message %u\n", type, k, barrier_done - 1);
		af_fail("a reply came after the barrier reply of a later barrier");
	}
	finalize_below(k);
	r->answered = true;
	af_st.errors += type == OFPT_ERROR;
	af_st.barriers += type == OFPT_BARRIER_REPLY;
	if (type == OFPT_ERROR) {
		r->errored = true;
		r->done = true;
		return;
	}
	if (r->want && type != r->want) {
		fprintf(stderr, "fuzz_agent: message %u type %u answered with type %u\n", k,
			r->type, type);
		af_fail("a request answered with the wrong reply type");
	}
	if (structured && !r->want)
		af_fail("a reply to a message that has none");
	if (type == OFPT_BARRIER_REPLY) {
		barrier_done = k + 1;
		finalize_below(k + 1);
	} else if (type == OFPT_MULTIPART_REPLY) {
		multipart_part(r, b, len);
	}
}

/* Read what the agent sent; wait up to @p ms for the first message. */
static void
drain(int ms)
{
	static uint8_t b[65536];

	for (;;) {
		long n = ofc_recv(&cl, b, sizeof(b), ms);

		if (n < 0)
			af_fail("the agent closed the session");
		if (n == 0)
			return;
		handle(b, (size_t)n);
		ms = 0;
	}
}

static void
send_bytes(const uint8_t *b, size_t len)
{
	ofc_send_raw(&cl, b, len);
	sl_agent_run(agent, 0);
	drain(0);
}

/* Wait until message @p k is answered (the agent runs meanwhile). */
static void
wait_answer(unsigned int k)
{
	for (int tries = 0; tries < 200 && !msgs[k].answered; tries++)
		drain(10);
	if (!msgs[k].answered || (msgs[k].n_parts && !msgs[k].done)) {
		fprintf(stderr, "fuzz_agent: message %u (type %u) unanswered\n", k, msgs[k].type);
		af_fail("no answer within 2 s");
	}
}

/* ------------------------------------------------------------ streams ---- */

static unsigned int
add_msg(uint8_t type, uint8_t want)
{
	struct af_msg *r = &msgs[n_msgs];

	memset(r, 0, sizeof(*r));
	r->type = type;
	r->want = want;
	return n_msgs++;
}

/* A message with the header only (barrier, echo...). */
static unsigned int
send_simple(uint8_t type, uint8_t want)
{
	unsigned int k = add_msg(type, want);
	uint32_t xid = AF_XID_BASE + k;
	uint8_t h[8] = { 4, type, 0, 8, (uint8_t)(xid >> 24), (uint8_t)(xid >> 16),
			 (uint8_t)(xid >> 8), (uint8_t)xid };

	send_bytes(h, sizeof(h));
	return k;
}

static void
raw_stream(const uint8_t *p, size_t n)
{
	static uint8_t b[65536];

	while (n >= 8 && n_msgs < AF_MAX_MSGS - 8) {
		size_t len = (size_t)p[2] << 8 | p[3];
		unsigned int k;
		uint32_t xid;

		len = len < 8 ? 8 : len > n ? n : len;
		memcpy(b, p, len);
		b[2] = (uint8_t)(len >> 8);
		b[3] = (uint8_t)len;
		k = add_msg(b[1], 0);
		xid = AF_XID_BASE + k;
		b[4] = (uint8_t)(xid >> 24);
		b[5] = (uint8_t)(xid >> 16);
		b[6] = (uint8_t)(xid >> 8);
		b[7] = (uint8_t)xid;
		if (b[0] == 4 && b[1] == OFPT_BARRIER_REQUEST && len == 8) {
			msgs[k].want = OFPT_BARRIER_REPLY;
			msgs[k].well_formed_barrier = true;
		}
		send_bytes(b, len);
		p += len;
		n -= len;
	}
}

static void
structured_stream(void)
{
	struct sl_ofp_buf buf = { 0 };

	af_model_reset();
	for (unsigned int i = af_rnd(64) + 1; i > 0 && n_msgs < AF_MAX_MSGS - 8; i--) {
		unsigned int k = n_msgs++;

		if (af_build(&msgs[k], AF_XID_BASE + k, &buf) != 0)
			af_fail("the codec does not encode a template message");
		send_bytes(buf.data, buf.len);
		if (af_rnd(4) == 0)
			send_simple(OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY);
	}
	sl_ofp_buf_free(&buf);
}

/* A multipart request for everything of @p type, checked like the others. */
static unsigned int
send_dump(uint16_t type, uint8_t op_kind)
{
	struct sl_ofp_buf buf = { 0 };
	struct sl_ofp_msg m;
	unsigned int k = add_msg(OFPT_MULTIPART_REQUEST, OFPT_MULTIPART_REPLY);

	sl_ofp_msg_init(&m, OFPT_MULTIPART_REQUEST, AF_XID_BASE + k);
	m.version = 4;
	m.u.multipart.type = type;
	m.u.multipart.body.flow_request.table_id = OFPTT_ALL;
	m.u.multipart.body.flow_request.out_port = OFPP_ANY;
	m.u.multipart.body.flow_request.out_group = OFPG_ANY;
	m.u.multipart.body.flow_request.match.type = OFPMT_OXM;
	if (type == OFPMP_METER_CONFIG)
		m.u.multipart.body.meter_request.meter_id = OFPM_ALL;
	if (type == OFPMP_GROUP_DESC)
		m.u.multipart.body.group_request.group_id = OFPG_ALL;
	msgs[k].op.kind = op_kind;
	msgs[k].op.table = OFPTT_ALL;
	msgs[k].op.out_port = OFPP_ANY;
	msgs[k].op.out_group = OFPG_ANY;
	if (sl_ofp_encode(&m, &buf) != 0)
		af_fail("cannot encode a dump request");
	send_bytes(buf.data, buf.len);
	sl_ofp_msg_free(&m);
	sl_ofp_buf_free(&buf);
	return k;
}

/* The end of every input: barrier, dumps, echo, and what they must show. */
static void
final_checks(void)
{
	unsigned int flows_k, last;
	uint32_t in_pipeline = 0;

	wait_answer(send_simple(OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY));
	flows_k = send_dump(OFPMP_FLOW, AF_OP_DUMP_FLOWS);
	if (structured) {
		send_dump(OFPMP_GROUP_DESC, AF_OP_DUMP_GROUPS);
		send_dump(OFPMP_METER_CONFIG, AF_OP_DUMP_METERS);
	}
	send_simple(OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY);
	last = send_simple(OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY);
	wait_answer(last);
	for (unsigned int i = 0; i < n_msgs; i++)
		if (msgs[i].well_formed_barrier && !msgs[i].answered)
			af_fail("a barrier request was never answered");
	for (unsigned int t = 0; t < 254; t++)
		in_pipeline += sl_pipeline_table_count(pl, (uint8_t)t);
	if (msgs[flows_k].errored || msgs[flows_k].n_items != in_pipeline) {
		fprintf(stderr, "fuzz_agent: dump %u flows, pipeline %u\n", msgs[flows_k].n_items,
			in_pipeline);
		af_fail("a flow dump does not hold every rule of the pipeline");
	}
	if (structured && af_model_flows() != in_pipeline)
		af_fail("the pipeline holds other rules than the replies say were installed");
}

/* -------------------------------------------------------------- entry ---- */

static void
print_stats(void)
{
	fprintf(stderr, "fuzz_agent: inputs %lu structured + %lu raw, %lu messages, %lu errors, "
		"%lu barriers answered; applied %lu flow-, %lu group-, %lu meter-mods (model up "
		"to %lu flows); %lu dumps compared with the model (%lu flows in them)\n",
		af_st.inputs[0], af_st.inputs[1], af_st.msgs, af_st.errors, af_st.barriers,
		af_st.flows_applied, af_st.groups_applied, af_st.meters_applied,
		af_st.max_model_flows, af_st.dumps_checked, af_st.flows_dumped);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (getenv("SL_FUZZ_STATS"))
		atexit(print_stats);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	af_in.p = data + 1;
	af_in.n = size - 1;
	af_in.i = 0;
	n_msgs = barrier_done = finalized = 0;
	structured = !(data[0] & 1);
	session_up();
	if (structured)
		structured_stream();
	else
		raw_stream(data + 1, size - 1);
	final_checks();
	for (unsigned int i = 0; i < n_msgs; i++) {
		for (unsigned int p = 0; p < msgs[i].n_parts; p++)
			sl_ofp_msg_free(&msgs[i].parts[p]);
		free(msgs[i].parts);
	}
	session_down();
	af_st.inputs[!structured]++;
	af_st.msgs += n_msgs;
	return 0;
}
