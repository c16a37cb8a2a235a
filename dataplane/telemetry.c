/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry commands, readable with dpdk-telemetry.py:
 *   /sluice/ports    ports with ofport, kind, link and counters
 *   /sluice/workers  per-worker packets, drops, busy/idle cycles
 *   /sluice/rxqs     the (port, rx queue) -> worker assignment and each
 *                    queue's load
 *   /sluice/mac      NORMAL's MAC learning table: size, counters
 *   /sluice/drops    per port: rx, tx, packet-ins, replicas and drops by
 *                    reason; "total": the same and whether they add up
 *                    (sl_drops.h). "/sluice/drops,NAME": that port's row
 *                    and the total only: a telemetry answer holds 16 KiB,
 *                    about 20 ports' rows, so a host with more ports is
 *                    read port by port
 *   /sluice/pools    the mbuf pools: size, available, in use
 * Callbacks run on the telemetry thread; they only read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_telemetry.h>

#include "sl_datapath.h"
#include "sl_neigh_dp.h"
#include "sl_fastpath.h"
#include "sl_mac_learning.h"

static struct sl_datapath *tel_dp;

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (params && *params == '\0')
		params = NULL;
	rte_tel_data_start_dict(d);
	/* ports come and go at run time (datapath_ports.c) */
	rte_spinlock_lock(&tel_dp->ports_lock);
	for (unsigned int i = 0; i < tel_dp->n_ports; i++) {
		struct sl_port *p = tel_dp->ports[i];
		const struct sl_port_params *pp = &tel_dp->cfg->ports[i];
		struct rte_tel_data *c;
		struct sl_port_stats st;

		if (!sl_datapath_slot_used(tel_dp, i))
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL) {
			rte_spinlock_unlock(&tel_dp->ports_lock);
			return -1;
		}
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "ofport", pp->ofport);
		rte_tel_data_add_dict_string(c, "type", sl_port_params_type_name(pp));
		rte_tel_data_add_dict_string(c, "state", p == NULL ? "failed" :
					     !p->started ? "stopped" : p->link ? "up" : "down");
		if (p && p->ops->stats_get(p, &st) == 0) {
			rte_tel_data_add_dict_u64(c, "rx_packets", st.rx_packets);
			rte_tel_data_add_dict_u64(c, "rx_bytes", st.rx_bytes);
			rte_tel_data_add_dict_u64(c, "rx_dropped", st.rx_dropped);
			rte_tel_data_add_dict_u64(c, "tx_packets", st.tx_packets);
			rte_tel_data_add_dict_u64(c, "tx_bytes", st.tx_bytes);
			rte_tel_data_add_dict_u64(c, "tx_dropped", st.tx_dropped);
			/* the device's own error counts (net_af_packet: frames
			 * its sendto failed on): drops too, for accounting */
			rte_tel_data_add_dict_u64(c, "rx_errors", st.rx_errors);
			rte_tel_data_add_dict_u64(c, "tx_errors", st.tx_errors);
		}
		rte_tel_data_add_dict_container(d, pp->name, c, 0);
	}
	rte_spinlock_unlock(&tel_dp->ports_lock);
	return 0;
}

/* A worker's own counters (drops from its accounting). */
static void
tel_worker_counters(struct rte_tel_data *c, const struct sl_worker *w)
{
	struct sl_worker_stats ws;
	const struct sl_worker_stats *s = &ws;

	sl_worker_stats_get(w, &ws);
	rte_tel_data_add_dict_u64(c, "socket", (uint64_t)w->socket);
	rte_tel_data_add_dict_u64(c, "rx_packets", s->rx_packets);
	rte_tel_data_add_dict_u64(c, "tx_packets", s->tx_packets);
	rte_tel_data_add_dict_u64(c, "tx_dropped", s->tx_dropped);
	rte_tel_data_add_dict_u64(c, "no_output", s->no_output);
	rte_tel_data_add_dict_u64(c, "iterations", s->iterations);
	rte_tel_data_add_dict_u64(c, "busy_cycles", s->busy_cycles);
	rte_tel_data_add_dict_u64(c, "idle_cycles", s->idle_cycles);
	rte_tel_data_add_dict_u64(c, "busy_cycles_per_packet",
				  s->rx_packets ? s->busy_cycles / s->rx_packets : 0);
	rte_tel_data_add_dict_u64(c, "packet_in_drops", s->pin_drops);
	rte_tel_data_add_dict_u64(c, "port_config_drops", s->port_config_drops);
	rte_tel_data_add_dict_u64(c, "mtu_drops", s->mtu_drops);
	rte_tel_data_add_dict_u64(c, "runt_drops", s->runt_drops);
	rte_tel_data_add_dict_u64(c, "seg_drops", s->seg_drops);
	rte_tel_data_add_dict_u64(c, "tx_prepare_drops", s->tx_prepare_drops);
	rte_tel_data_add_dict_u64(c, "mac_learn_report_drops", s->learn_drops);
}

/* The executor's drops (pool empty for a copy, a push or a header
 * pull-up, TTL, meter). */
static void
tel_exec_counters(struct rte_tel_data *c, const struct sl_fastpath *fp)
{
	struct sl_exec_stats xs;
	const struct sl_exec_stats *x = &xs;

	sl_fastpath_exec_stats(fp, &xs);
	rte_tel_data_add_dict_u64(c, "exec_copies", x->copies);
	rte_tel_data_add_dict_u64(c, "exec_copy_failures", x->copy_failures);
	rte_tel_data_add_dict_u64(c, "exec_ttl_drops", x->ttl_drops);
	rte_tel_data_add_dict_u64(c, "exec_meter_drops", x->meter_drops);
	rte_tel_data_add_dict_u64(c, "exec_push_failures", x->push_failures);
	rte_tel_data_add_dict_u64(c, "exec_pullups", x->pullups);
	rte_tel_data_add_dict_u64(c, "exec_pullup_failures", x->pullup_failures);
	rte_tel_data_add_dict_u64(c, "exec_truncated", x->truncated);
	rte_tel_data_add_dict_u64(c, "exec_bad_layout", x->bad_layout);
}

/* A worker's caches, translations, miss handling and executor. */
static void
tel_fastpath_counters(struct rte_tel_data *c, const struct sl_fastpath *fp)
{
	const struct sl_fastpath_stats *f = sl_fastpath_stats(fp);
	struct sl_megaflow_stats ms;

	sl_fastpath_megaflow_stats(fp, &ms);
	rte_tel_data_add_dict_u64(c, "emc_hits", f->emc_hits);
	rte_tel_data_add_dict_u64(c, "megaflow_hits", f->megaflow_hits);
	rte_tel_data_add_dict_u64(c, "port_burst_hits", f->port_burst_hits);
	rte_tel_data_add_dict_u64(c, "emc_bypassed", f->emc_bypassed);
	rte_tel_data_add_dict_u64(c, "misses", f->misses);
	rte_tel_data_add_dict_u64(c, "translations", f->translations);
	rte_tel_data_add_dict_u64(c, "cycles_per_translation",
				  f->translations ? f->xlate_cycles / f->translations : 0);
	rte_tel_data_add_dict_u64(c, "lookup_cycles_per_packet",
				  sl_fastpath_lookup_cycles_per_packet(f));
	rte_tel_data_add_dict_u64(c, "revalidations", f->revalidations);
	rte_tel_data_add_dict_u64(c, "revalidations_kept", f->reval_kept);
	rte_tel_data_add_dict_u64(c, "revalidations_skipped", f->reval_skipped);
	rte_tel_data_add_dict_u64(c, "revalidations_deferred", f->reval_deferred);
	rte_tel_data_add_dict_u64(c, "miss_budget_drops", sl_fastpath_drops(fp, SL_DROP_MISS_BUDGET));
	rte_tel_data_add_dict_u64(c, "handler_sent", f->handler_sent);
	rte_tel_data_add_dict_u64(c, "handler_drops", sl_fastpath_drops(fp, SL_DROP_MISS_HANDLER));
	rte_tel_data_add_dict_u64(c, "handler_spills", f->handler_spills);
	rte_tel_data_add_dict_u64(c, "handler_parked", f->handler_parked);
	rte_tel_data_add_dict_u64(c, "stats_pushes", f->stats_pushes);
	rte_tel_data_add_dict_u64(c, "stale_returns", f->stale_returns);
	rte_tel_data_add_dict_u64(c, "recirculations", f->recirculations);
	rte_tel_data_add_dict_u64(c, "recirc_depth_drops",
				  sl_fastpath_drops(fp, SL_DROP_RECIRC_DEPTH));
	tel_exec_counters(c, fp);
	rte_tel_data_add_dict_u64(c, "megaflows", ms.n_entries);
	rte_tel_data_add_dict_u64(c, "megaflow_subtables", ms.n_subtables);
	rte_tel_data_add_dict_u64(c, "megaflow_cap_hits", ms.cap_hits);
	rte_tel_data_add_dict_u64(c, "megaflow_evictions", ms.evictions);
}

static int
tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	for (unsigned int i = 0; i < tel_dp->n_workers; i++) {
		const struct sl_worker *w = tel_dp->workers[i];
		struct rte_tel_data *c = rte_tel_data_alloc();
		char name[32];

		if (c == NULL)
			return -1;
		rte_tel_data_start_dict(c);
		tel_worker_counters(c, w);
		if (w->fp)
			tel_fastpath_counters(c, w->fp);
		snprintf(name, sizeof(name), "lcore%u", w->lcore);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	return 0;
}

static int
tel_rxqs(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (params && *params == '\0')
		params = NULL;
	rte_tel_data_start_dict(d);
	rte_spinlock_lock(&tel_dp->ports_lock); /* ports come and go at run time */
	for (unsigned int p = 0; p < tel_dp->n_ports; p++) {
		struct sl_port *port = tel_dp->ports[p];
		char key[SL_PORT_NAME_MAX + 16];

		for (unsigned int q = 0; port && q < port->n_rxq; q++) {
			unsigned int slot = p * SL_SCHED_MAX_RXQ + q;
			const struct sl_worker *w = tel_dp->workers[tel_dp->assign[slot]];
			struct rte_tel_data *c = rte_tel_data_alloc();
			struct sl_port_rxq_stats qs;

			if (c == NULL) {
				rte_spinlock_unlock(&tel_dp->ports_lock);
				return -ENOMEM;
			}
			/* the balancer's last interval (sl_rxq_balance.h), read
			 * while the control lcore may write it: a stat, a sample
			 * old at worst */
			rte_tel_data_start_dict(c);
			rte_tel_data_add_dict_u64(c, "lcore", w->lcore);
			rte_tel_data_add_dict_u64(c, "load_pct_x100",
						  sl_rxq_balance_load_bp(tel_dp, p, q));
			rte_tel_data_add_dict_u64(c, "cycles", tel_dp->rxqb.load[slot]);
			/* the device's counters of the queue; absent where it
			 * keeps none (sl_port_ops.rxq_stats_get) */
			if (port->ops->rxq_stats_get != NULL &&
			    port->ops->rxq_stats_get(port, (uint16_t)q, &qs) == 0) {
				rte_tel_data_add_dict_u64(c, "rx_packets", qs.packets);
				rte_tel_data_add_dict_u64(c, "rx_bytes", qs.bytes);
				if (qs.dropped != UINT64_MAX)
					rte_tel_data_add_dict_u64(c, "rx_dropped", qs.dropped);
			}
			snprintf(key, sizeof(key), "%s/%u", port->params.name, q);
			rte_tel_data_add_dict_container(d, key, c, 0);
		}
	}
	rte_spinlock_unlock(&tel_dp->ports_lock);
	return 0;
}

/* One slot's fates, summed over the workers, into dictionary @c; added to
 * @bal. */
static void
tel_acct(unsigned int slot, struct rte_tel_data *c, struct sl_acct_balance *bal)
{
	struct sl_port_acct a;
	uint64_t r[SL_DROP_ALL];

	memset(&a, 0, sizeof(a));
	for (unsigned int w = 0; w < tel_dp->n_workers; w++)
		sl_acct_add(tel_dp->workers[w], slot, &a);
	sl_acct_balance_add(&a, bal);
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_u64(c, "rx", a.rx);
	rte_tel_data_add_dict_u64(c, "tx", a.tx);
	rte_tel_data_add_dict_u64(c, "to_controller", a.to_controller);
	rte_tel_data_add_dict_u64(c, "replicas", sl_acct_replicas(&a));
	rte_tel_data_add_dict_u64(c, "drops", sl_drop_reasons(&a, r));
	for (unsigned int i = 0; i < SL_DROP_ALL; i++)
		rte_tel_data_add_dict_u64(c, sl_drop_names[i].name, r[i]);
}

/* Where packets went, per port (the packet-outs as "controller"), and the
 * identity rx + replicas = tx + to_controller + drops over all of them. */
static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct sl_acct_balance bal = { 0 };
	struct rte_tel_data *c;

	(void)cmd;
	if (params && *params == '\0')
		params = NULL;
	rte_tel_data_start_dict(d);
	/* Ports come and go at run time. A free slot (a deleted port's) has
	 * no row but its counts stay in the total, where the packets it
	 * received or sent are still part of the balance. */
	rte_spinlock_lock(&tel_dp->ports_lock);
	for (unsigned int p = 0; p <= tel_dp->n_ports; p++) {
		unsigned int slot = p < tel_dp->n_ports ? p : SL_ACCT_CONTROLLER;
		bool row = p == tel_dp->n_ports ? params == NULL :
			   sl_datapath_slot_used(tel_dp, p) &&
			   (params == NULL || strcmp(params, tel_dp->cfg->ports[p].name) == 0);

		if ((c = rte_tel_data_alloc()) == NULL) {
			rte_spinlock_unlock(&tel_dp->ports_lock);
			return -ENOMEM;
		}
		tel_acct(slot, c, &bal);
		if (row)
			rte_tel_data_add_dict_container(d, p < tel_dp->n_ports ?
							tel_dp->cfg->ports[p].name : "controller",
							c, 0);
		else
			rte_tel_data_free(c);
	}
	rte_spinlock_unlock(&tel_dp->ports_lock);
	/* deleted ports whose slot was reused since (sl_acct_retire): in the
	 * total, and a row when there is any */
	if ((c = rte_tel_data_alloc()) == NULL)
		return -ENOMEM;
	{
		struct sl_acct_balance before = bal;

		tel_acct(SL_ACCT_RETIRED, c, &bal);
		if (params == NULL && memcmp(&before, &bal, sizeof(bal)) != 0)
			rte_tel_data_add_dict_container(d, "deleted_ports", c, 0);
		else
			rte_tel_data_free(c);
	}
	if ((c = rte_tel_data_alloc()) == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_u64(c, "rx", bal.rx);
	rte_tel_data_add_dict_u64(c, "replicas", bal.replicas);
	rte_tel_data_add_dict_u64(c, "tx", bal.tx);
	rte_tel_data_add_dict_u64(c, "to_controller", bal.to_controller);
	rte_tel_data_add_dict_u64(c, "drops", bal.drops);
	/* in flight while traffic runs (miss records, tx buffers); 0 at rest */
	rte_tel_data_add_dict_int(c, "unaccounted", (int)(int64_t)(bal.rx + bal.replicas - bal.tx -
								   bal.to_controller - bal.drops));
	rte_tel_data_add_dict_container(d, "total", c, 0);
	return 0;
}

/* The mbuf pools, one per socket with workers: how many are free (in the
 * ring and the lcore caches) of how many. A pool that runs dry shows up as
 * rx drops (rx_nombuf) and copy failures; this says why. */
static int
tel_pools(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (params && *params == '\0')
		params = NULL;
	rte_tel_data_start_dict(d);
	for (int s = 0; s < SL_MAX_SOCKETS; s++) {
		struct rte_mempool *mp = tel_dp->pools[s];
		struct rte_tel_data *c;
		bool seen = false;

		for (int t = 0; t < s && mp; t++)
			seen |= tel_dp->pools[t] == mp;
		if (mp == NULL || seen)
			continue; /* a socket that borrows another's pool */
		c = rte_tel_data_alloc();
		if (c == NULL)
			return -1;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "socket", (uint64_t)s);
		rte_tel_data_add_dict_u64(c, "size", mp->size);
		rte_tel_data_add_dict_u64(c, "available", rte_mempool_avail_count(mp));
		rte_tel_data_add_dict_u64(c, "in_use", rte_mempool_in_use_count(mp));
		rte_tel_data_add_dict_container(d, mp->name, c, 0);
	}
	return 0;
}

/* Counters written by the control lcore: a snapshot that may be a few
 * learns behind, as every telemetry read of live counters is. */
static int
tel_mac(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct sl_mac_stats st;

	(void)cmd; (void)params;
	if (tel_dp->pipeline == NULL)
		return -1;
	sl_pipeline_mac_stats(tel_dp->pipeline, &st);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "entries", st.n_entries);
	rte_tel_data_add_dict_u64(d, "max_entries", st.max_entries);
	rte_tel_data_add_dict_u64(d, "aging_s", st.aging_s);
	rte_tel_data_add_dict_u64(d, "learned", st.learned);
	rte_tel_data_add_dict_u64(d, "moved", st.moved);
	rte_tel_data_add_dict_u64(d, "refreshed", st.refreshed);
	rte_tel_data_add_dict_u64(d, "evicted", st.evicted);
	rte_tel_data_add_dict_u64(d, "limit_refused", st.limit_refused);
	rte_tel_data_add_dict_u64(d, "port_limit", st.port_limit);
	rte_tel_data_add_dict_u64(d, "aged", st.aged);
	rte_tel_data_add_dict_u64(d, "flushed", st.flushed);
	rte_tel_data_add_dict_u64(d, "fail_open", sl_pipeline_fail_open(tel_dp->pipeline));
	return 0;
}

void
sl_telemetry_register(struct sl_datapath *dp)
{
	tel_dp = dp;
	rte_telemetry_register_cmd("/sluice/ports", tel_ports,
				   "Ports: ofport, type, state, counters. No parameters");
	rte_telemetry_register_cmd("/sluice/workers", tel_workers,
				   "Worker lcores: packets, drops, cycles. No parameters");
	rte_telemetry_register_cmd("/sluice/rxqs", tel_rxqs,
				   "Rx queues: worker lcore, load. No parameters");
	rte_telemetry_register_cmd("/sluice/pools", tel_pools,
				   "Mbuf pools: size, available, in use. No parameters");
	rte_telemetry_register_cmd("/sluice/drops", tel_drops,
				   "Per port: rx, tx, packet-ins, drops by reason; total. No parameters");
	rte_telemetry_register_cmd("/sluice/mac", tel_mac,
				   "MAC learning table (NORMAL): size and counters. No parameters");
	sl_neigh_telemetry_register(dp); /* /sluice/neighbours */
}
