/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `rebalance` and show's per-queue loads (sl_rxq_balance.h). They run on
 * the control lcore, the balancer's own thread, so its state is read as is.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "sl_datapath.h"
#include "sl_mgmt_cmds.h"
#include "sl_mgmt_out.h"

/* Hundredths of a percent as a fixed-point column. */
static void
bp(struct sl_out *out, const char *key, unsigned int v)
{
	sl_out_fixed(out, key, v / 100.0, 2);
}

/* A counter, or "-" where the device does not keep it. */
static void
u64_or_dash(struct sl_out *out, const char *key, bool known, uint64_t v)
{
	if (known)
		sl_out_u64(out, key, v);
	else
		sl_out_str(out, key, "-");
}

/* Queue @q's device counters (RSS spreads the port's frames over its
 * queues): packets, bytes and drops since the port started. */
static void
rxq_counters(struct sl_port *port, uint16_t q, struct sl_out *out)
{
	struct sl_port_rxq_stats st;
	bool known = port->ops->rxq_stats_get != NULL &&
		     port->ops->rxq_stats_get(port, q, &st) == 0;

	u64_or_dash(out, "rx_packets", known, known ? st.packets : 0);
	u64_or_dash(out, "rx_bytes", known, known ? st.bytes : 0);
	u64_or_dash(out, "rx_dropped", known && st.dropped != UINT64_MAX, known ? st.dropped : 0);
}

void
sl_mgmt_show_rx_queues(const struct sl_datapath *dp, struct sl_out *out)
{
	sl_out_list(out, "rx_queues");
	for (unsigned int p = 0; p < dp->n_ports; p++) {
		struct sl_port *port = dp->ports[p];

		for (unsigned int q = 0; port && q < port->n_rxq; q++) {
			unsigned int slot = p * SL_SCHED_MAX_RXQ + q;
			const struct sl_worker *w = dp->workers[dp->assign[slot]];

			sl_out_record(out);
			sl_out_str(out, "port", "%s", port->params.name);
			sl_out_u64(out, "queue", q);
			sl_out_u64(out, "lcore", w->lcore);
			/* percent of a CPU's cycles over the last interval
			 * (SL_RXQB_INTERVAL_MS), as the balancer saw it */
			bp(out, "load_pct", sl_rxq_balance_load_bp(dp, p, q));
			sl_out_u64(out, "cycles", dp->rxqb.load[slot]);
			rxq_counters(port, (uint16_t)q, out);
		}
	}
}

int
sl_mgmt_cmd_rebalance(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	struct sl_datapath *dp = c->dp;
	struct sl_rxq_move moves[SL_RXQB_MAX_MOVES];
	struct sl_rebalance_result res;
	struct timespec ts;
	int n;

	(void)argc; (void)argv;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = sl_rxq_balance_now(dp, (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000,
			       moves, SL_RXQB_MAX_MOVES, &res);
	if (n < 0)
		return sl_out_error(out, "a rebalance is in progress; try again");
	sl_out_list(out, "moves");
	for (int i = 0; i < n; i++) {
		sl_out_record(out);
		sl_out_str(out, "port", "%s", dp->ports[moves[i].port]->params.name);
		sl_out_u64(out, "queue", moves[i].queue);
		sl_out_u64(out, "from_lcore", dp->workers[moves[i].from]->lcore);
		sl_out_u64(out, "to_lcore", dp->workers[moves[i].to]->lcore);
		bp(out, "load_pct", sl_rxq_balance_bp(dp, moves[i].load));
	}
	sl_out_list(out, "busiest_worker");
	sl_out_record(out);
	bp(out, "before_pct", sl_rxq_balance_bp(dp, res.cur_max));
	bp(out, "after_pct", sl_rxq_balance_bp(dp, n > 0 ? res.new_max : res.cur_max));
	sl_out_u64(out, "moved", (uint64_t)n);
	return 0;
}
