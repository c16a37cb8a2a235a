/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show`, `drops` and `dump-macs`: the switch's state as an operator reads
 * it. Counters are read while the workers write them (relaxed 64-bit loads:
 * a snapshot a few packets old, as telemetry's); the MAC table is the
 * control lcore's own, which is where these commands run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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
/* the port each p_base is of (its created_ns): a slot freed by del-port is
 * the next added port's, whose counters start from 0 */
static uint64_t p_base_of[SL_MAX_PORTS];
/* where packets went (sl_drops.h): SL_ACCT_SLOTS per worker, allocated at
 * the first reset-stats (74 KB a worker) */
static struct sl_port_acct *a_base[RTE_MAX_LCORE];
/* the port each slot's a_base was taken of (its created_ns, 1: none): a
 * slot reused by add-port moved its counters to SL_ACCT_RETIRED
 * (sl_acct_retire), and its copies must follow them */
static uint64_t a_base_of[SL_MAX_PORTS];

/* Move the copies of reused slots where their counters went. */
static void
acct_rebase(const struct sl_datapath *dp)
{
	for (unsigned int s = 0; s < dp->n_ports; s++) {
		uint64_t now = dp->ports[s] ? dp->ports[s]->created_ns : 0;

		if (a_base_of[s] == 0 || now == 0 || now == a_base_of[s])
			continue;
		for (unsigned int w = 0; w < dp->n_workers; w++)
			if (a_base[w])
				sl_acct_fold(&a_base[w][SL_ACCT_RETIRED], &a_base[w][s]);
		a_base_of[s] = now;
	}
}

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
	struct sl_worker_stats live;

	sl_worker_stats_get(w, &live); /* drops from the accounting */
	since_reset(ws, &live, &w_base[w->idx], sizeof(*ws));
	since_reset(fs, w->fp ? sl_fastpath_stats(w->fp) : &none, &f_base[w->idx], sizeof(*fs));
}

/* Worker @w's fates of slot @slot since reset-stats, added to @sum. */
static void
acct_add(const struct sl_worker *w, unsigned int slot, struct sl_port_acct *sum)
{
	struct sl_port_acct live, d;
	uint64_t *s = (uint64_t *)sum;
	const uint64_t *x = (const uint64_t *)&d;

	memset(&live, 0, sizeof(live));
	sl_acct_add(w, slot, &live);
	if (a_base[w->idx] == NULL)
		d = live;
	else
		since_reset(&d, &live, &a_base[w->idx][slot], sizeof(d));
	for (size_t i = 0; i < sizeof(d) / 8; i++)
		s[i] += x[i];
}

/* Slot @slot's fates since reset-stats, over every worker (@only: that
 * worker alone). */
static void
acct_get(const struct sl_datapath *dp, unsigned int slot, const struct sl_worker *only,
	 struct sl_port_acct *a)
{
	memset(a, 0, sizeof(*a));
	for (unsigned int w = 0; w < dp->n_workers; w++)
		if (only == NULL || dp->workers[w] == only)
			acct_add(dp->workers[w], slot, a);
}

/* A port slot's name: the port's, or "controller" for packet-outs. */
static const char *
slot_name(const struct sl_datapath *dp, unsigned int slot)
{
	return slot < dp->n_ports ? dp->cfg->ports[slot].name
	       : slot == SL_ACCT_RETIRED ? "(deleted ports)" : "controller";
}

/* A port's device counters since reset-stats; -1 when it has none. */
static int
port_stats(struct sl_port *p, unsigned int idx, struct sl_port_stats *st)
{
	struct sl_port_stats live;

	if (p == NULL || p->ops->stats_get == NULL || p->ops->stats_get(p, &live) != 0)
		return -1;
	if (p_base_of[idx] == p->created_ns)
		since_reset(st, &live, &p_base[idx], sizeof(*st));
	else
		*st = live;
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

		if (!sl_datapath_slot_used(dp, i))
			continue; /* a port deleted at run time */
		if (port_stats(p, i, &st) < 0)
			memset(&st, 0, sizeof(st));
		port_workers(dp, i, workers, sizeof(workers));
		sl_out_record(out);
		sl_out_str(out, "port", "%s", pp->name);
		sl_out_u64(out, "ofport", pp->ofport);
		sl_out_str(out, "type", "%s", sl_port_params_type_name(pp));
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

/* "table_miss=3,tx_full=5" (or "-"): the reasons that are not 0. */
static void
reasons_text(const uint64_t r[SL_DROP_ALL], char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < SL_DROP_ALL; i++)
		if (r[i])
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s=%" PRIu64,
					      n ? "," : "", sl_drop_names[i].name, r[i]);
	if (n == 0)
		snprintf(buf, size, "-");
}

/*
 * Where packets went, per port and in total, and whether that adds up:
 * rx + replicas = tx + to_controller + drops (sl_drops.h says why this is
 * the identity; docs/drops.md lists every drop). Exact once traffic stops;
 * while it runs, packets in flight show as unaccounted.
 */
static void
show_accounting(const struct sl_datapath *dp, struct sl_out *out)
{
	struct sl_acct_balance bal = { 0 };
	char text[1024];
	int64_t off;

	acct_rebase(dp);
	sl_out_list(out, "accounting");
	/* the ports, the controller, then what deleted ports left in slots
	 * reused since (a row only when there is any) */
	for (unsigned int p = 0; p <= dp->n_ports + 1; p++) {
		unsigned int slot = p < dp->n_ports ? p : p == dp->n_ports ? SL_ACCT_CONTROLLER
									: SL_ACCT_RETIRED;
		struct sl_acct_balance one = { 0 };
		struct sl_port_acct a;
		uint64_t r[SL_DROP_ALL];

		acct_get(dp, slot, NULL, &a);
		sl_acct_balance_add(&a, &one);
		sl_acct_balance_add(&a, &bal);
		if (slot == SL_ACCT_RETIRED && one.rx + one.replicas + one.tx + one.drops == 0)
			continue;
		sl_drop_reasons(&a, r);
		reasons_text(r, text, sizeof(text));
		sl_out_record(out);
		sl_out_str(out, "port", "%s", slot_name(dp, slot));
		sl_out_u64(out, "rx", one.rx);
		sl_out_u64(out, "replicas", one.replicas);
		sl_out_u64(out, "tx", one.tx);
		sl_out_u64(out, "to_controller", one.to_controller);
		sl_out_u64(out, "drops", one.drops);
		sl_out_str(out, "reasons", "%s", text);
	}
	off = (int64_t)(bal.rx + bal.replicas) - (int64_t)(bal.tx + bal.to_controller + bal.drops);
	sl_out_list(out, "identity");
	sl_out_record(out);
	sl_out_u64(out, "rx", bal.rx);
	sl_out_u64(out, "replicas", bal.replicas);
	sl_out_u64(out, "tx", bal.tx);
	sl_out_u64(out, "to_controller", bal.to_controller);
	sl_out_u64(out, "drops", bal.drops);
	sl_out_i64(out, "unaccounted", off);
	sl_out_str(out, "holds", "%s", off == 0 ? "yes" : "no");
	if (sl_out_mode(out) == SL_OUT_TEXT)
		sl_out_line(out, "rx + replicas = tx + to_controller + drops: %" PRIu64 " + %" PRIu64
			    " %s %" PRIu64 " + %" PRIu64 " + %" PRIu64 "%s", bal.rx, bal.replicas,
			    off == 0 ? "=" : "!=", bal.tx, bal.to_controller, bal.drops,
			    off == 0 ? "" : " (packets in flight while traffic runs)");
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
		   st.packet_ins_meter_dropped + st.packet_ins_queue_dropped + st.packet_ins_no_controller +
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
	show_accounting(c->dp, out);
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

/* One named counter: where a packet died (the port it is charged to, the
 * worker lcore that counted it, -1: the device), and how many did. */
static void
drop(struct drops *d, const char *where, int lcore, const char *reason, uint64_t n,
     const char *what)
{
	d->total += n;
	if (n == 0 && !d->all)
		return;
	sl_out_record(d->out);
	sl_out_str(d->out, "where", "%s", where);
	if (lcore < 0)
		sl_out_str(d->out, "lcore", "-");
	else
		sl_out_str(d->out, "lcore", "%d", lcore);
	sl_out_str(d->out, "reason", "%s", reason);
	sl_out_u64(d->out, "packets", n);
	sl_out_str(d->out, "meaning", "%s", what);
}

/* Worker @w's named drops of port slot @slot, since reset-stats. */
static void
slot_drops(const struct sl_datapath *dp, const struct sl_worker *w, unsigned int slot,
	   struct drops *d)
{
	struct sl_port_acct a;
	uint64_t r[SL_DROP_ALL];

	acct_get(dp, slot, w, &a);
	sl_drop_reasons(&a, r);
	for (unsigned int i = 0; i < SL_DROP_ALL; i++)
		drop(d, slot_name(dp, slot), w->lcore, sl_drop_names[i].name, r[i],
		     sl_drop_names[i].meaning);
}

int
sl_mgmt_cmd_drops(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	const struct sl_datapath *dp = c->dp;
	struct drops d = { .out = out, .all = argc > 1 && strcmp(argv[1], "--all") == 0 };

	if (argc > 1 && !d.all)
		return sl_out_error(out, "usage: drops [--all]");
	acct_rebase(dp);
	sl_out_list(out, "drops");
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		struct sl_port *p = dp->ports[i];
		struct sl_port_stats st;

		if (port_stats(p, i, &st) < 0)
			continue;
		drop(&d, p->params.name, -1, "rx_dropped", st.rx_dropped,
		     "device: no rx buffer (mbuf pool empty) or rx ring full");
		drop(&d, p->params.name, -1, "rx_errors", st.rx_errors,
		     "device: bad frames received");
		drop(&d, p->params.name, -1, "tx_errors", st.tx_errors, "device: transmit errors");
	}
	/* the switch's own, per port and per worker (sl_drops.h) */
	for (unsigned int p = 0; p <= dp->n_ports; p++)
		for (unsigned int i = 0; i < dp->n_workers; i++)
			slot_drops(dp, dp->workers[i], p < dp->n_ports ? p : SL_ACCT_CONTROLLER, &d);
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

		struct sl_worker_stats live;

		/* live - 0: the copy is the live value */
		sl_worker_stats_get(w, &live);
		since_reset(&w_base[w->idx], &live, &zw, sizeof(zw));
		if (a_base[w->idx] == NULL)
			a_base[w->idx] = calloc(SL_ACCT_SLOTS, sizeof(struct sl_port_acct));
		for (unsigned int s = 0; a_base[w->idx] && s < SL_ACCT_SLOTS; s++) {
			memset(&a_base[w->idx][s], 0, sizeof(struct sl_port_acct));
			sl_acct_add(w, s, &a_base[w->idx][s]);
		}
		/* 1: a free slot (a deleted port's counts, moved when reused) */
		for (unsigned int s = 0; s < dp->n_ports; s++)
			a_base_of[s] = dp->ports[s] ? dp->ports[s]->created_ns : 1;
		since_reset(&f_base[w->idx], w->fp ? sl_fastpath_stats(w->fp) : &none, &zf,
			    sizeof(zf));
	}
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		static const struct sl_port_stats zp;
		struct sl_port *p = dp->ports[i];
		struct sl_port_stats live;

		if (p && p->ops->stats_get && p->ops->stats_get(p, &live) == 0) {
			since_reset(&p_base[i], &live, &zp, sizeof(zp));
			p_base_of[i] = p->created_ns;
		}
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
