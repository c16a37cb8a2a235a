/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `trace --live PORT N`: real packets through the fast path
 * (dataplane/fastpath/sl_live_trace.h, docs/drops.md), and the `trace`
 * command itself, which hands everything else to sl_mgmt_trace()
 * (cmd_trace.c, which needs the pipeline only).
 *
 * Arming answers at once: the control loop must go on, since a miss in
 * handler mode is translated by this very lcore. The client then asks
 * `trace --live-status` until N records came or its time is up, and
 * `trace --live-read`, which disarms and shows them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openflow.h"
#include "sl_datapath.h"
#include "sl_drops.h"
#include "sl_format.h"
#include "sl_live_trace.h"
#include "sl_mgmt_cmds.h"

/* The one live trace: armed by --live, records gathered by --live-status
 * and --live-read (the control lcore's; the workers only see the budget). */
static struct {
	struct sl_live_trace_rec recs[SL_LIVE_TRACE_MAX];
	unsigned int n, wanted;
	uint16_t port;
} live;

static const char *const live_paths[SL_LT_N] = {
	[SL_LT_PORT_BURST] = "megaflow hit (whole burst by in port)",
	[SL_LT_EMC] = "EMC hit",
	[SL_LT_MEGAFLOW] = "megaflow hit",
	[SL_LT_REVALIDATED] = "stale megaflow, translated again",
	[SL_LT_TRANSLATED] = "miss, translated on the worker",
	[SL_LT_HANDLER] = "miss, translated by the miss handler",
	[SL_LT_MISS_DROPPED] = "miss, dropped before translation",
};

/* A port by name or OpenFlow number; -1 if none. */
static int
live_port(const struct sl_datapath *dp, const char *s)
{
	char *end;
	unsigned long n;

	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (dp->ports[i] != NULL && strcmp(dp->cfg->ports[i].name, s) == 0)
			return (int)i;
	n = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n == 0 || n > UINT32_MAX)
		return -1;
	return sl_datapath_port_idx(dp, (uint32_t)n);
}

static void
live_gather(void)
{
	if (live.n < live.wanted)
		live.n += sl_live_trace_collect(live.recs + live.n, live.wanted - live.n);
}

static int
live_arm(const struct sl_datapath *dp, int argc, char **argv, struct sl_out *out)
{
	char *end;
	unsigned long n;
	int idx;

	if (argc != 4)
		return sl_out_error(out, "usage: trace --live PORT N");
	if ((idx = live_port(dp, argv[2])) < 0)
		return sl_out_error(out, "trace --live: no port \"%s\"", argv[2]);
	n = strtoul(argv[3], &end, 10);
	if (*argv[3] == '\0' || *end != '\0' || n == 0 || n > SL_LIVE_TRACE_MAX)
		return sl_out_error(out, "trace --live: N is 1 to %u packets", SL_LIVE_TRACE_MAX);
	if (sl_live_trace_arm((uint16_t)idx, (uint32_t)n) != 0)
		return sl_out_error(out, "trace --live: no memory for the trace ring");
	live.n = 0;
	live.wanted = (unsigned int)n;
	live.port = (uint16_t)idx;
	sl_out_list(out, "live_trace");
	sl_out_record(out);
	sl_out_str(out, "port", "%s", dp->cfg->ports[idx].name);
	sl_out_u64(out, "packets", n);
	return 0;
}

/* An output port as ovs-ofctl names it. */
static void
port_text(uint32_t p, char *buf, size_t size)
{
	static const char *const reserved[] = { "IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL",
						"CONTROLLER", "LOCAL" };

	if (p >= OFPP_IN_PORT && p <= OFPP_LOCAL)
		snprintf(buf, size, "%s", reserved[p - OFPP_IN_PORT]);
	else
		snprintf(buf, size, "%" PRIu32, p);
}

/* Where the packet went, in words: outputs, packet-ins, the drop. */
static void
live_result(const struct sl_live_trace_rec *r, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < r->n_outs && i < SL_LIVE_TRACE_OUTS; i++) {
		char p[16];

		port_text(r->outs[i], p, sizeof(p));
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", i ? "," : "output:",
				      p);
	}
	if (r->to_controller)
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%scontroller (packet-in)",
				      n ? ", " : "");
	if (r->drop_reason)
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%sdropped: %s (%s)",
				      n ? ", then " : "", sl_drop_names[r->drop_reason - 1].name,
				      sl_drop_names[r->drop_reason - 1].meaning);
	if (n == 0)
		snprintf(buf, size, "nothing done");
}

static void
live_record(const struct sl_datapath *dp, unsigned int i, struct sl_out *out)
{
	const struct sl_live_trace_rec *r = &live.recs[i];
	const char *port = r->in_idx < dp->n_ports ? dp->cfg->ports[r->in_idx].name : "?";
	const char *path = r->path < SL_LT_N ? live_paths[r->path] : "?";
	char flow[1024], acts[2048], res[512];
	struct sl_flow_key mask;

	sl_mgmt_flow_mask(&r->key, &mask);
	sl_format_match(&r->key, &mask, -1, flow, sizeof(flow));
	if (r->path == SL_LT_MISS_DROPPED || (r->n_acts == 0 && r->drop_reason &&
					      r->path != SL_LT_PORT_BURST))
		snprintf(acts, sizeof(acts), "%s", r->path == SL_LT_MISS_DROPPED ? "-" : "drop");
	else
		sl_format_dp_actions(r->acts, r->n_acts, acts, sizeof(acts));
	live_result(r, res, sizeof(res));
	if (sl_out_mode(out) == SL_OUT_JSON) {
		sl_out_record(out);
		sl_out_u64(out, "packet", i + 1);
		sl_out_str(out, "port", "%s", port);
		sl_out_u64(out, "lcore", r->lcore);
		sl_out_u64(out, "bytes", r->len);
		sl_out_str(out, "flow", "%s", flow);
		sl_out_str(out, "cache", "%s", path);
		sl_out_str(out, "actions", "%s", acts);
		sl_out_str(out, "result", "%s", res);
		sl_out_str(out, "drop_reason", "%s",
			   r->drop_reason ? sl_drop_names[r->drop_reason - 1].name : "");
		return;
	}
	sl_out_line(out, "packet %u: port %s (lcore %u), %u bytes: %s", i + 1, port, r->lcore,
		    r->len, flow);
	sl_out_line(out, "  cache:   %s", path);
	sl_out_line(out, "  actions: %s", acts);
	sl_out_line(out, "  result:  %s", res);
}

static int
live_cmd(const struct sl_datapath *dp, int argc, char **argv, struct sl_out *out)
{
	uint64_t lost = __atomic_load_n(&sl_live_trace.lost, __ATOMIC_RELAXED);

	if (strcmp(argv[1], "--live") == 0)
		return live_arm(dp, argc, argv, out);
	if (argc != 2 || (strcmp(argv[1], "--live-status") != 0 &&
			  strcmp(argv[1], "--live-read") != 0))
		return sl_out_error(out, "usage: trace --live PORT N | --live-status | --live-read");
	live_gather();
	if (strcmp(argv[1], "--live-status") == 0) {
		/* one line the client reads: records, wanted, lost */
		sl_out_line(out, "live-trace %u %u %" PRIu64, live.n, live.wanted, lost);
		return 0;
	}
	sl_live_trace_disarm();
	if (sl_out_mode(out) == SL_OUT_JSON) {
		sl_out_list(out, "live_trace");
		sl_out_record(out);
		sl_out_u64(out, "packets", live.n);
		sl_out_u64(out, "wanted", live.wanted);
		sl_out_u64(out, "records_lost", lost);
		sl_out_list(out, "packets");
	} else {
		sl_out_line(out, "live trace of port %s: %u of %u packets%s",
			    live.port < dp->n_ports ? dp->cfg->ports[live.port].name : "?", live.n,
			    live.wanted, lost ? " (records lost: the ring was full)" : "");
	}
	for (unsigned int i = 0; i < live.n; i++)
		live_record(dp, i, out);
	return 0;
}

int
sl_mgmt_cmd_trace(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;

	if (c->dp->pipeline == NULL)
		return sl_out_error(out, "no OpenFlow tables (static cross-connect)");
	if (argc > 1 && strncmp(argv[1], "--live", 6) == 0)
		return live_cmd(c->dp, argc, argv, out);
	return sl_mgmt_trace(c->dp->pipeline, argc, argv, out);
}
