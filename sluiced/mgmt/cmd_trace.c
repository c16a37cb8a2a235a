/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `trace FLOW [--packet HEX]`, as `ovs-appctl ofproto/trace`: a packet,
 * described in ovs-ofctl's match syntax with values ("in_port=1,tcp,
 * nw_dst=10.0.0.2,tp_dst=80") or given as a frame in hex (parsed as a
 * worker parses it), is translated through the tables with every step
 * reported (lib/pipeline/sl_xlate_trace.h): each table looked up and the
 * rule hit or the miss, the instructions run, group buckets, the action
 * set, NORMAL's decision; then the megaflow the fast path would install,
 * the datapath actions, and why the packet is dropped when nothing is
 * output. The translation changes nothing: no counter, no MAC learned.
 *
 * sl_mgmt_trace() needs only the pipeline (test_trace runs it without a
 * datapath); the command is that over the switch's tables.
 * `trace --live` (real packets through the fast path) is cmd_trace_live.c.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sl_datapath.h"
#include "sl_flow_parse.h"
#include "sl_format.h"
#include "sl_mgmt_cmds.h"
#include "sl_xlate_trace.h"

#define TRACE_TEXT 8192u
#define TRACE_MAX_FRAME 9216u

/* What the steps are written into, and what they say about drops. */
struct tracer {
	struct sl_out *out;
	bool json;
	char text[TRACE_TEXT];
	char why_dropped[160]; /* a step that dropped it (NORMAL, a group) */
};

static const char *const group_types[] = { "all", "select", "indirect", "ff" };

static void
trace_table(struct tracer *t, const struct sl_xlate_trace_event *ev, const char *pad)
{
	const struct sl_rule *r = ev->rule;
	char acts[TRACE_TEXT];

	if (r == NULL) {
		if (t->json) {
			sl_out_record(t->out);
			sl_out_str(t->out, "step", "table");
			sl_out_u64(t->out, "table", ev->table_id);
			sl_out_str(t->out, "rule", "table miss");
		} else {
			sl_out_line(t->out, "%stable %u: table miss (no rule matched, no miss rule)",
				    pad, ev->table_id);
		}
		snprintf(t->why_dropped, sizeof(t->why_dropped), "table miss in table %u",
			 ev->table_id);
		return;
	}
	sl_format_match(&r->cr.match.key, &r->cr.match.mask, (int)r->cr.priority, t->text,
			sizeof(t->text));
	sl_format_instructions(r->ins, acts, sizeof(acts));
	if (t->json) {
		sl_out_record(t->out);
		sl_out_str(t->out, "step", "table");
		sl_out_u64(t->out, "table", ev->table_id);
		sl_out_u64(t->out, "priority", r->cr.priority);
		sl_out_str(t->out, "match", "%s", t->text);
		sl_out_str(t->out, "cookie", "0x%" PRIx64, r->cookie);
		sl_out_str(t->out, "actions", "%s", acts);
		return;
	}
	sl_out_line(t->out, "%stable %u: %s%scookie=0x%" PRIx64, pad, ev->table_id, t->text,
		    t->text[0] ? " " : "", r->cookie);
	sl_out_line(t->out, "%s    actions=%s", pad, acts);
}

static void
trace_bucket(struct tracer *t, const struct sl_xlate_trace_event *ev, const char *pad)
{
	const struct sl_group *g = ev->group;
	const char *type = g->type < 4 ? group_types[g->type] : "?";

	if (ev->bucket < 0) {
		snprintf(t->why_dropped, sizeof(t->why_dropped), "group %" PRIu32 " (%s) has no live "
			 "bucket", g->group_id, type);
		if (t->json) {
			sl_out_record(t->out);
			sl_out_str(t->out, "step", "group");
			sl_out_u64(t->out, "group", g->group_id);
			sl_out_str(t->out, "bucket", "none live");
		} else {
			sl_out_line(t->out, "%sgroup %" PRIu32 " (%s): no live bucket", pad, g->group_id,
				    type);
		}
		return;
	}
	sl_format_actions(g->buckets[ev->bucket].actions, g->buckets[ev->bucket].n_actions, t->text,
			  sizeof(t->text));
	if (t->json) {
		sl_out_record(t->out);
		sl_out_str(t->out, "step", "group");
		sl_out_u64(t->out, "group", g->group_id);
		sl_out_str(t->out, "type", "%s", type);
		sl_out_u64(t->out, "bucket", (uint64_t)ev->bucket);
		sl_out_str(t->out, "actions", "%s", t->text);
		return;
	}
	sl_out_line(t->out, "%sgroup %" PRIu32 " (%s): bucket %d of %u: actions=%s", pad,
		    g->group_id, type, ev->bucket, g->n_buckets, t->text);
}

static void
trace_step(void *ctx, const struct sl_xlate_trace_event *ev)
{
	static const char spaces[] = "                                ";
	struct tracer *t = ctx;
	unsigned int depth = ev->depth < 8 ? ev->depth : 8;
	const char *pad = spaces + sizeof(spaces) - 1 - 4 * depth;
	const char *what = NULL;

	switch (ev->kind) {
	case SL_TRACE_TABLE:
		trace_table(t, ev, pad);
		return;
	case SL_TRACE_BUCKET:
		trace_bucket(t, ev, pad);
		return;
	case SL_TRACE_ACTION_SET:
		sl_format_actions(ev->acts, ev->n_acts, t->text, sizeof(t->text));
		what = "action set";
		break;
	case SL_TRACE_NORMAL:
		snprintf(t->text, sizeof(t->text), "%s", ev->why);
		if (ev->port == OFPP_ANY)
			snprintf(t->why_dropped, sizeof(t->why_dropped), "NORMAL: %s", ev->why);
		what = "NORMAL";
		break;
	default:
		snprintf(t->text, sizeof(t->text), "fail mode standalone: NORMAL");
		what = "fail-open";
	}
	if (t->json) {
		sl_out_record(t->out);
		sl_out_str(t->out, "step", "%s", what);
		sl_out_str(t->out, "actions", "%s", t->text);
	} else {
		sl_out_line(t->out, "%s%s: %s", pad, what, t->text);
	}
}

static const char *
xlate_error(int e)
{
	switch (e) {
	case SL_XLATE_TOO_MANY_ACTIONS: return "more datapath actions than a translation holds";
	case SL_XLATE_GROUP_DEPTH: return "groups chained too deep";
	case SL_XLATE_TOO_MANY_HITS: return "more rules or buckets than a translation lists";
	case SL_XLATE_RECIRC_FULL: return "no recirculation id left";
	case SL_XLATE_RECIRC_LOST: return "recirculation id gone";
	default: return "translation error";
	}
}

/* Does anything leave the switch: an output, a packet-in, a recirculation? */
static bool
goes_somewhere(const struct sl_xlate_result *r)
{
	for (unsigned int i = 0; i < r->n_actions; i++)
		if (r->actions[i].type == SL_EXEC_OUTPUT || r->actions[i].type == SL_EXEC_CONTROLLER ||
		    r->actions[i].type == SL_EXEC_RECIRC)
			return true;
	return false;
}

/* The outcome: megaflow, datapath actions, and why it is dropped. */
static void
trace_result(struct tracer *t, const struct sl_flow_key *key, const struct sl_xlate_result *r)
{
	char mf[TRACE_TEXT], why[256] = "";

	sl_format_match(key, &r->mask, -1, mf, sizeof(mf));
	sl_format_dp_actions(r->actions, r->n_actions, t->text, sizeof(t->text));
	if (r->error)
		snprintf(why, sizeof(why), "%s", xlate_error(r->error));
	else if (!goes_somewhere(r))
		snprintf(why, sizeof(why), "%s", t->why_dropped[0] ? t->why_dropped
				: "no output action");
	if (t->json) {
		sl_out_list(t->out, "result");
		sl_out_record(t->out);
		sl_out_str(t->out, "megaflow", "%s", mf);
		sl_out_str(t->out, "datapath_actions", "%s", t->text);
		sl_out_str(t->out, "dropped", "%s", why);
		sl_out_str(t->out, "learn", "%s", r->n_learn ? "yes" : "no");
		return;
	}
	sl_out_line(t->out, "Megaflow: %s", mf);
	sl_out_line(t->out, "Datapath actions: %s", t->text);
	if (why[0])
		sl_out_line(t->out, "dropped: %s", why);
	if (r->n_learn)
		sl_out_line(t->out, "NORMAL would learn %02x:%02x:%02x:%02x:%02x:%02x on port %" PRIu32
			    ", vlan %u (not done: a trace changes nothing)", r->learn.mac[0],
			    r->learn.mac[1], r->learn.mac[2], r->learn.mac[3], r->learn.mac[4],
			    r->learn.mac[5], r->learn.port, r->learn.vlan);
}

/* The fields that mean something for @k: those whose prerequisites it
 * meets (the IPv4 ones for an IPv4 packet...), to print the flow. */
void
sl_mgmt_flow_mask(const struct sl_flow_key *k, struct sl_flow_key *m)
{
	memset(m, 0, sizeof(*m));
	for (unsigned int oxm = 0; oxm < SL_OXM_N_FIELDS; oxm++) {
		const struct sl_field_desc *d = sl_field_by_oxm(oxm);

		/* actset_output is translation state, not a field of the packet */
		if (d == NULL || oxm == OFPXMT_OFB_IN_PHY_PORT ||
		    oxm == OFPXMT_OFB_ACTSET_OUTPUT || !sl_field_prereq_ok(oxm, k))
			continue;
		if ((oxm == OFPXMT_OFB_METADATA && k->metadata == 0) ||
		    (oxm == OFPXMT_OFB_TUNNEL_ID && k->tunnel_id == 0) ||
		    (oxm == OFPXMT_OFB_VLAN_VID && !(k->vlan_vid & rte_cpu_to_be_16(OFPVID_PRESENT))))
			continue;
		sl_field_mask_all(d, m);
	}
}

/* A frame in hex ("0200000000020200..."): as many bytes as a worker takes. */
static uint8_t *
hex_frame(const char *s, size_t *len)
{
	size_t n = strlen(s);
	uint8_t *p;

	if (n == 0 || n % 2 || n / 2 > TRACE_MAX_FRAME || (p = malloc(n / 2)) == NULL)
		return NULL;
	for (size_t i = 0; i < n / 2; i++) {
		char b[3] = { s[2 * i], s[2 * i + 1], '\0' };

		if (!isxdigit((unsigned char)b[0]) || !isxdigit((unsigned char)b[1])) {
			free(p);
			return NULL;
		}
		p[i] = (uint8_t)strtoul(b, NULL, 16);
	}
	*len = n / 2;
	return p;
}

/* The flow's words joined by ',', and the frame after --packet. */
static int
trace_args(int argc, char **argv, char *flow, size_t size, const char **hex, struct sl_out *out)
{
	size_t n = 0;

	*hex = NULL;
	flow[0] = '\0';
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--live") == 0)
			return sl_out_error(out, "trace --live is not implemented: trace a frame with "
					    "--packet HEX");
		if (strcmp(argv[i], "--packet") == 0) {
			if (++i == argc || *hex)
				return sl_out_error(out, "trace: --packet takes one frame in hex");
			*hex = argv[i];
			continue;
		}
		if (n + strlen(argv[i]) + 2 > size)
			return sl_out_error(out, "trace: flow too long");
		n += (size_t)snprintf(flow + n, size - n, "%s%s", n ? "," : "", argv[i]);
	}
	if (n == 0)
		return sl_out_error(out, "usage: trace in_port=N[,FIELD=VALUE...] [--packet HEX]");
	return 0;
}

/* The packet to trace: the flow's fields, or the frame parsed as a worker
 * does (then the flow gives in_port only). */
static int
trace_key(const char *flow, const char *hex, struct sl_flow_key *key, struct sl_out *out)
{
	struct sl_flow_key only;
	uint8_t *frame;
	size_t len = 0;
	char err[256];

	if (sl_parse_flow_key(flow, key, err, sizeof(err)) != 0)
		return sl_out_error(out, "trace: %s", err);
	if (key->in_port == 0)
		return sl_out_error(out, "trace: give the ingress port (in_port=N)");
	if (hex == NULL)
		return 0;
	memset(&only, 0, sizeof(only));
	only.in_port = only.in_phy_port = key->in_port;
	if (memcmp(&only, key, sizeof(only)) != 0)
		return sl_out_error(out, "trace: with --packet the frame is the packet: give in_port "
				    "only");
	if ((frame = hex_frame(hex, &len)) == NULL)
		return sl_out_error(out, "trace: --packet: an even number of hex digits, at most %u "
				    "bytes", TRACE_MAX_FRAME);
	sl_flow_parse(frame, len, rte_be_to_cpu_32(key->in_port), rte_be_to_cpu_32(key->in_port), 0,
		      key, NULL);
	free(frame);
	return 0;
}

int
sl_mgmt_trace(const struct sl_pipeline *pl, int argc, char **argv, struct sl_out *out)
{
	struct tracer *t = calloc(1, sizeof(*t));
	struct sl_xlate_result *r = malloc(sizeof(*r));
	char flow[TRACE_TEXT];
	struct sl_flow_key key, mask;
	const char *hex;
	int rc = -1;

	if (t == NULL || r == NULL) {
		rc = sl_out_error(out, "out of memory");
		goto done;
	}
	if (trace_args(argc, argv, flow, sizeof(flow), &hex, out) != 0 ||
	    trace_key(flow, hex, &key, out) != 0)
		goto done;
	t->out = out;
	t->json = sl_out_mode(out) == SL_OUT_JSON;
	sl_mgmt_flow_mask(&key, &mask);
	sl_format_match(&key, &mask, -1, flow, sizeof(flow));
	if (t->json) {
		sl_out_list(out, "flow");
		sl_out_record(out);
		sl_out_str(out, "flow", "%s", flow);
		sl_out_list(out, "steps");
	} else {
		sl_out_line(out, "Flow: %s", flow);
	}
	sl_xlate_trace(pl, &key, r, trace_step, t);
	trace_result(t, &key, r);
	rc = 0;
done:
	free(t);
	free(r);
	return rc;
}
