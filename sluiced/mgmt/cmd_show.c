/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show`, `drops` and `dump-macs`: the switch's state as an operator reads
 * it. Counters are read while the workers write them (relaxed 64-bit loads:
 * a snapshot a few packets old, as telemetry's); the MAC table is the
 * control lcore's own, which is where these commands run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sl_agent.h"
#include "sl_datapath.h"
#include "sl_execute.h"
#include "sl_fastpath.h"
#include "sl_mac_learning.h"
#include "sl_mgmt_cmds.h"
#include "sl_worker.h"

#define RD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

/*
 * reset-stats: counters are written by the workers (and the devices), so
 * they are never zeroed from here (a store racing a worker's increment
 * would lose it or resurrect it). Instead reset-stats keeps a copy, and
 * show and drops print the live value minus the copy, as OVS's
 * pmd-stats-clear does. OpenFlow counters (rules, tables, ports over
 * OpenFlow) and telemetry stay absolute: controllers rely on them.
 */
static struct sl_worker_stats w_base[RTE_MAX_LCORE];
static struct sl_fastpath_stats f_base[RTE_MAX_LCORE];
static struct sl_port_stats p_base[SL_MAX_PORTS];

_Static_assert(sizeof(struct sl_worker_stats) % 8 == 0, "64-bit counters only");
_Static_assert(sizeof(struct sl_fastpath_stats) % 8 == 0, "64-bit counters only");
_Static_assert(sizeof(struct sl_port_stats) % 8 == 0, "64-bit counters only");

/* @dst = @live - @base, word by word (a counter below its copy, e.g. a
 * device that reset its own, counts from 0 again). */
static void
since_reset(void *dst, const void *live, const void *base, size_t size)
{
	uint64_t *d = dst;
	const uint64_t *l = live, *b = base;

	for (size_t i = 0; i < size / 8; i++) {
		uint64_t v = RD(l[i]);

		d[i] = v >= b[i] ? v - b[i] : v;
	}
}

static void
worker_stats(const struct sl_worker *w, struct sl_worker_stats *ws, struct sl_fastpath_stats *fs)
{
	static const struct sl_fastpath_stats none;

	since_reset(ws, &w->stats, &w_base[w->idx], sizeof(*ws));
	since_reset(fs, w->fp ? sl_fastpath_stats(w->fp) : &none, &f_base[w->idx], sizeof(*fs));
}

/* A port's device counters since reset-stats; -1 when it has none. */
static int
port_stats(struct sl_port *p, unsigned int idx, struct sl_port_stats *st)
{
	struct sl_port_stats live;

	if (p == NULL || p->ops->stats_get == NULL || p->ops->stats_get(p, &live) != 0)
		return -1;
	since_reset(st, &live, &p_base[idx], sizeof(*st));
	return 0;
}

static const char *
port_state(const struct sl_port *p)
{
	if (p == NULL)
		return "failed";
	if (p->removed)
		return "removed";
	if (!p->started)
		return "stopped";
	return p->link ? "up" : "down";
}

/* Workers (lcores) polling port @pi's rx queues, like "1,2". */
static void
port_workers(const struct sl_datapath *dp, unsigned int pi, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int w = 0; w < dp->n_workers; w++) {
		const struct sl_worker *wk = dp->workers[w];

		for (unsigned int q = 0; q < wk->rxqs->n; q++) {
			if (wk->rxqs->q[q].port_idx != pi)
				continue;
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%u", n ? "," : "",
					      wk->lcore);
			break;
		}
	}
	if (n == 0)
		snprintf(buf, size, "-");
}

static void
show_ports(const struct sl_datapath *dp, struct sl_out *out)
{
	sl_out_list(out, "ports");
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		const struct sl_port_params *pp = &dp->cfg->ports[i];
		struct sl_port *p = dp->ports[i];
		struct sl_port_stats st;
		char workers[64];

		if (port_stats(p, i, &st) < 0)
			memset(&st, 0, sizeof(st));
		port_workers(dp, i, workers, sizeof(workers));
		sl_out_record(out);
		sl_out_str(out, "port", "%s", pp->name);
		sl_out_u64(out, "ofport", pp->ofport);
		sl_out_str(out, "type", "%s", pp->type == SL_PORT_VHOST ? "vhost-user" : "dpdk");
		sl_out_str(out, "state", "%s", port_state(p));
		sl_out_str(out, "queues", "%u/%u", p ? p->n_rxq : 0, p ? p->n_txq : 0);
		sl_out_str(out, "workers", "%s", workers);
		sl_out_u64(out, "rx_packets", st.rx_packets);
		sl_out_u64(out, "rx_dropped", st.rx_dropped + st.rx_errors);
		sl_out_u64(out, "tx_packets", st.tx_packets);
		sl_out_u64(out, "tx_dropped", st.tx_dropped + st.tx_errors);
	}
}

/* Percent of @part in @whole, one decimal (0 when @whole is). */
static void
pct(struct sl_out *out, const char *key, uint64_t part, uint64_t whole)
{
	sl_out_fixed(out, key, whole ? 100.0 * (double)part / (double)whole : 0.0, 1);
}

static void
show_workers(const struct sl_datapath *dp, struct sl_out *out)
{
	sl_out_list(out, "workers");
	for (unsigned int i = 0; i < dp->n_workers; i++) {
		const struct sl_worker *w = dp->workers[i];
		struct sl_worker_stats ws;
		struct sl_fastpath_stats fs;
		uint64_t rx, busy, idle;
		char rxqs[256];
		size_t n = 0;

		worker_stats(w, &ws, &fs);
		rx = ws.rx_packets;
		busy = ws.busy_cycles;
		idle = ws.idle_cycles;
		rxqs[0] = '\0';
		for (unsigned int q = 0; q < w->rxqs->n; q++)
			n += (size_t)snprintf(rxqs + n, n < sizeof(rxqs) ? sizeof(rxqs) - n : 0,
					      "%s%s/%u", q ? "," : "", w->rxqs->q[q].port->params.name,
					      w->rxqs->q[q].qid);
		sl_out_record(out);
		sl_out_u64(out, "lcore", w->lcore);
		sl_out_i64(out, "socket", w->socket);
		pct(out, "busy_pct", busy, busy + idle);
		sl_out_u64(out, "rx_packets", rx);
		sl_out_u64(out, "cycles_per_packet", rx ? busy / rx : 0);
		if (w->fp) {
			pct(out, "emc_hit_pct", fs.emc_hits, fs.packets);
			pct(out, "megaflow_hit_pct", fs.megaflow_hits, fs.packets);
			sl_out_u64(out, "misses", fs.misses);
			sl_out_u64(out, "cycles_per_translation",
				   fs.translations ? fs.xlate_cycles / fs.translations : 0);
		}
		sl_out_str(out, "rx_queues", "%s", n ? rxqs : "-");
	}
}

static void
show_agent(const struct sl_agent *a, struct sl_out *out)
{
	struct sl_agent_stats st;

	if (a == NULL)
		return;
	sl_agent_get_stats(a, &st);
	sl_out_list(out, "openflow");
	sl_out_record(out);
	sl_out_u64(out, "flow_mods", st.flow_mods);
	sl_out_u64(out, "barriers", st.barriers);
	sl_out_u64(out, "packet_ins_sent", st.packet_ins_sent);
	sl_out_u64(out, "packet_ins_dropped", st.packet_ins_rate_dropped +
		   st.packet_ins_queue_dropped + st.packet_ins_no_controller +
		   st.packet_ins_ring_dropped);
	sl_out_u64(out, "flow_removed_sent", st.flow_removed_sent);
}

int
sl_mgmt_cmd_show(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;

	(void)argc; (void)argv;
	show_ports(c->dp, out);
	show_workers(c->dp, out);
	sl_mgmt_show_rx_queues(c->dp, out);
	show_agent(c->agent, out);
	return 0;
}

/* ------------------------------------------------------------ drops ---- */

/* Where counters go: the answer, and whether zeros are listed. */
struct drops {
	struct sl_out *out;
	bool all;
	uint64_t total;
};

/* One named counter: where a packet died, and how many did. */
static void
drop(struct drops *d, const char *where, const char *reason, uint64_t n, const char *what)
{
	d->total += n;
	if (n == 0 && !d->all)
		return;
	sl_out_record(d->out);
	sl_out_str(d->out, "where", "%s", where);
	sl_out_str(d->out, "reason", "%s", reason);
	sl_out_u64(d->out, "packets", n);
	sl_out_str(d->out, "meaning", "%s", what);
}

/* The executor's drops: absolute counts (reset-stats does not cover them). */
static void
exec_drops(const struct sl_worker *w, struct drops *d, const char *where)
{
	const struct sl_exec_stats *x = sl_fastpath_exec_stats(w->fp);

	drop(d, where, "ttl", RD(x->ttl_drops), "IP or MPLS TTL expired (dec_ttl)");
	drop(d, where, "meter", RD(x->meter_drops), "dropped by a meter band");
	drop(d, where, "copy_failed", RD(x->copy_failures),
	     "no mbuf for a copy (pool empty): that output skipped");
	drop(d, where, "push_no_room", RD(x->push_failures), "no room to push a header");
	drop(d, where, "pullup_failed", RD(x->pullup_failures),
	     "no mbuf to gather a chained packet's headers (pool empty)");
}

static void
worker_drops(const struct sl_worker *w, struct drops *d)
{
	struct sl_worker_stats ws;
	struct sl_fastpath_stats fs;
	const struct sl_worker_stats *s = &ws;
	const struct sl_fastpath_stats *f = &fs;
	char where[32];

	worker_stats(w, &ws, &fs);
	snprintf(where, sizeof(where), "lcore %u", w->lcore);
	drop(d, where, "tx_full", RD(s->tx_dropped), "out port's tx ring full, or port down");
	drop(d, where, "no_output", RD(s->no_output), "no output (cross-connect: port down)");
	drop(d, where, "packet_in_ring_full", RD(s->pin_drops), "packet-in: ring to control full");
	drop(d, where, "port_config", RD(s->port_config_drops),
	     "received on a port with PORT_DOWN or NO_RECV");
	drop(d, where, "mtu", RD(s->mtu_drops), "longer than the out port's MTU");
	drop(d, where, "runt", RD(s->runt_drops), "shorter than an Ethernet header");
	drop(d, where, "segments", RD(s->seg_drops), "more segments than the out port chains");
	drop(d, where, "tx_prepare", RD(s->tx_prepare_drops),
	     "offload metadata the out port refused");
	if (w->fp) {
		drop(d, where, "miss_budget", RD(f->budget_drops),
		     "new flow over the per-iteration translation budget");
		drop(d, where, "miss_handler_full", RD(f->handler_drops),
		     "new flow: ring to the miss handler full");
		drop(d, where, "recirc_depth", RD(f->recirc_drops),
		     "recirculated more than the depth limit");
		exec_drops(w, d, where);
	}
}

int
sl_mgmt_cmd_drops(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	const struct sl_datapath *dp = c->dp;
	struct drops d = { .out = out, .all = argc > 1 && strcmp(argv[1], "--all") == 0 };

	if (argc > 1 && !d.all)
		return sl_out_error(out, "usage: drops [--all]");
	sl_out_list(out, "drops");
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		struct sl_port *p = dp->ports[i];
		struct sl_port_stats st;

		if (port_stats(p, i, &st) < 0)
			continue;
		drop(&d, p->params.name, "rx_dropped", st.rx_dropped,
		     "device: no rx buffer (mbuf pool empty) or rx ring full");
		drop(&d, p->params.name, "rx_errors", st.rx_errors, "device: bad frames received");
		drop(&d, p->params.name, "tx_errors", st.tx_errors, "device: transmit errors");
	}
	for (unsigned int i = 0; i < dp->n_workers; i++)
		worker_drops(dp->workers[i], &d);
	sl_out_list(out, "total");
	sl_out_record(out);
	sl_out_u64(out, "packets", d.total);
	return 0;
}

int
sl_mgmt_cmd_reset_stats(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	const struct sl_datapath *dp = c->dp;

	(void)argc; (void)argv;
	for (unsigned int i = 0; i < dp->n_workers; i++) {
		const struct sl_worker *w = dp->workers[i];
		static const struct sl_fastpath_stats none;
		static const struct sl_worker_stats zw;
		static const struct sl_fastpath_stats zf;

		/* live - 0: the copy is the live value */
		since_reset(&w_base[w->idx], &w->stats, &zw, sizeof(zw));
		since_reset(&f_base[w->idx], w->fp ? sl_fastpath_stats(w->fp) : &none, &zf,
			    sizeof(zf));
	}
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		static const struct sl_port_stats zp;
		struct sl_port *p = dp->ports[i];
		struct sl_port_stats live;

		if (p && p->ops->stats_get && p->ops->stats_get(p, &live) == 0)
			since_reset(&p_base[i], &live, &zp, sizeof(zp));
	}
	sl_out_line(out, "counters of show and drops start from 0 (OpenFlow counters and "
		    "telemetry are not reset)");
	return 0;
}

/* --------------------------------------------------------- dump-macs ---- */

static void
mac_row(void *ctx, const struct sl_mac_info *e)
{
	struct sl_out *out = ctx;

	sl_out_record(out);
	sl_out_u64(out, "port", e->port);
	sl_out_u64(out, "vlan", e->vlan);
	sl_out_str(out, "mac", "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0], e->mac[1], e->mac[2],
		   e->mac[3], e->mac[4], e->mac[5]);
	sl_out_u64(out, "age", e->age_s);
	sl_out_str(out, "stale", "%s", e->stale ? "yes" : "no");
}

int
sl_mgmt_cmd_dump_macs(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	struct timespec ts;

	(void)argc; (void)argv;
	if (c->dp->pipeline == NULL)
		return sl_out_error(out, "no OpenFlow pipeline (static cross-connect)");
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sl_out_list(out, "macs");
	sl_pipeline_mac_foreach(c->dp->pipeline,
				(uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec, mac_row,
				out);
	return 0;
}
