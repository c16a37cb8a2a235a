/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runtime setup and teardown on the control lcore: mempools per socket,
 * ports, rx queue assignment, workers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_ethdev.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "sl_datapath.h"
#include "sl_datapath_hotplug.h"
#include "sl_log.h"
#include "sl_fastpath.h"
#include "sl_learn.h"
#include "sl_miss_handler.h"
#include "sl_neigh_dp.h"
#include "sl_pipeline.h"
#include "sl_tunnel_dp.h"
#include "sl_vhost_numa.h"

#define SL_MBUF_CACHE 256

/* One mempool per socket that has a worker; sockets without one borrow the
 * pool of socket 0 (or the first pool), so every pools[] entry is usable. */
static int
create_pools(struct sl_datapath *dp)
{
	struct rte_mempool *first = NULL;

	for (unsigned int i = 0; i < dp->cfg->n_workers; i++) {
		int s = (int)rte_lcore_to_socket_id(dp->cfg->worker_lcores[i]);
		char name[RTE_MEMPOOL_NAMESIZE];

		if (s < 0 || s >= SL_MAX_SOCKETS)
			s = 0;
		if (dp->pools[s])
			continue;
		snprintf(name, sizeof(name), "sl_mbuf_s%d", s);
		dp->pools[s] = rte_pktmbuf_pool_create(name, dp->cfg->mbufs_per_socket,
						       SL_MBUF_CACHE,
						       RTE_ALIGN(sizeof(struct sl_pin_meta),
								 RTE_MBUF_PRIV_ALIGN),
						       RTE_MBUF_DEFAULT_BUF_SIZE, s);
		if (dp->pools[s] == NULL) {
			fprintf(stderr, "sluiced: cannot create mempool of %u mbufs on socket %d: %s\n",
				dp->cfg->mbufs_per_socket, s, rte_strerror(rte_errno));
			return -1;
		}
	}
	for (int s = 0; s < SL_MAX_SOCKETS && !first; s++)
		first = dp->pools[s];
	for (int s = 0; s < SL_MAX_SOCKETS; s++)
		if (dp->pools[s] == NULL)
			dp->pools[s] = dp->pools[0] ? dp->pools[0] : first;
	return 0;
}

static void
open_ports(struct sl_datapath *dp)
{
	char err[512];

	dp->n_ports = dp->cfg->n_ports;
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		const struct sl_port_params *pp = &dp->cfg->ports[i];

		dp->ports[i] = sl_port_open(pp, dp->n_workers, dp->pools, err, sizeof(err));
		if (dp->ports[i] == NULL)
			fprintf(stderr, "sluiced: port %s (ofport %u, %s \"%s\"): failed: %s; "
				"the other ports go on\n", pp->name, pp->ofport,
				sl_port_type_name(pp->type), pp->args, err);
		else
			sl_port_identify(dp->ports[i]);
		if (dp->ports[i])
			printf("sluiced: port %s: ofport %u, %s \"%s\", socket %d, %u rxq, %u txq%s\n",
			       pp->name, pp->ofport,
			       sl_port_type_name(pp->type), pp->args,
			       dp->ports[i]->socket_id, dp->ports[i]->n_rxq, dp->ports[i]->n_txq,
			       dp->ports[i]->tx_lock_needed ? " (shared tx queues, locked)" : "");
	}
}

static int
assign_queues(struct sl_datapath *dp)
{
	struct sl_sched_port sp[SL_MAX_PORTS];
	struct sl_sched_worker sw[RTE_MAX_LCORE];
	unsigned int n_remote;

	for (unsigned int i = 0; i < dp->n_ports; i++) {
		sp[i].socket = dp->ports[i] ? dp->ports[i]->socket_id : -1;
		sp[i].n_rxq = dp->ports[i] ? dp->ports[i]->n_rxq : 0;
	}
	for (unsigned int w = 0; w < dp->n_workers; w++) {
		sw[w].lcore = dp->workers[w]->lcore;
		sw[w].socket = dp->workers[w]->socket;
	}
	if (sl_sched_assign_roundrobin(sp, dp->n_ports, sw, dp->n_workers,
				       dp->assign, &n_remote) < 0) {
		fprintf(stderr, "sluiced: rx queue assignment failed\n");
		return -1;
	}
	if (n_remote)
		fprintf(stderr, "sluiced: warning: %u rx queues polled from another NUMA socket "
			"(no worker on the port's socket)\n", n_remote);
	/* before the workers run: lists 0 are theirs from the start, and
	 * rxq_balance.c fills the other one first */
	for (unsigned int w = 0; w < dp->n_workers; w++)
		dp->workers[w]->rxqs = &dp->workers[w]->rxq_lists[0];
	for (unsigned int p = 0; p < dp->n_ports; p++) {
		for (unsigned int q = 0; dp->ports[p] && q < dp->ports[p]->n_rxq; q++) {
			struct sl_worker *w = dp->workers[dp->assign[p * SL_SCHED_MAX_RXQ + q]];

			if (w->rxqs->n == SL_WORKER_MAX_RXQ) {
				fprintf(stderr, "sluiced: worker %u polls more than %d queues\n",
					w->lcore, SL_WORKER_MAX_RXQ);
				return -1;
			}
			w->rxqs->q[w->rxqs->n++] = (struct sl_worker_rxq){
				.port = dp->ports[p], .port_idx = (uint16_t)p, .qid = (uint16_t)q,
				.slot = (uint16_t)(p * SL_SCHED_MAX_RXQ + q) };
		}
	}
	return 0;
}

static int
create_workers(struct sl_datapath *dp)
{
	char name[RTE_RING_NAMESIZE];
	size_t qsz;

	dp->n_workers = dp->cfg->n_workers;
	for (unsigned int i = 0; i < dp->n_workers; i++) {
		unsigned int lcore = dp->cfg->worker_lcores[i];
		struct sl_worker *w;

		if (!rte_lcore_is_enabled(lcore) || lcore == rte_get_main_lcore()) {
			fprintf(stderr, "sluiced: worker lcore %u is not an enabled EAL worker lcore\n",
				lcore);
			return -1;
		}
		w = rte_zmalloc_socket("sl_worker", sizeof(*w), RTE_CACHE_LINE_SIZE,
				       (int)rte_lcore_to_socket_id(lcore));
		if (w == NULL)
			return -1;
		w->lcore = lcore;
		w->idx = i;
		w->socket = (int)rte_lcore_to_socket_id(lcore);
		w->dp = dp;
		dp->workers[i] = w;
		snprintf(name, sizeof(name), "sl_pin_%u", i);
		w->pin_ring = rte_ring_create(name, SL_PIN_RING_SIZE, w->socket,
					      RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "sl_inject_%u", i);
		w->inject_ring = rte_ring_create(name, SL_PIN_RING_SIZE, w->socket, RING_F_SC_DEQ);
		if (w->pin_ring == NULL || w->inject_ring == NULL || sl_learn_ring_create(w) < 0)
			return -1;
		if (dp->cfg->miss_handler && (w->miss_channel = sl_miss_channel_create(i, w->socket)) == NULL)
			return -1;
		if (w->miss_channel)
			w->miss_channel->wake = &dp->ctl_wake;
	}
	/* One more reader slot than workers: SL_QSBR_HANDLER_ID, for a miss
	 * handler on a thread of its own (tests, benchmarks). */
	qsz = rte_rcu_qsbr_get_memsize(dp->n_workers + 1);
	dp->qsbr = rte_zmalloc("sl_qsbr", qsz, RTE_CACHE_LINE_SIZE);
	if (dp->qsbr == NULL || rte_rcu_qsbr_init(dp->qsbr, dp->n_workers + 1) != 0)
		return -1;
	for (unsigned int i = 0; i < dp->n_workers; i++)
		rte_rcu_qsbr_thread_register(dp->qsbr, i);
	return 0;
}

int
sl_datapath_init(struct sl_datapath *dp, struct sl_config *cfg)
{
	memset(dp, 0, sizeof(*dp));
	dp->cfg = cfg;
	rte_spinlock_init(&dp->ports_lock);
	if (sl_ctl_wake_init(&dp->ctl_wake) < 0)
		fprintf(stderr, "sluiced: no eventfd for the control lcore (%s): it polls every ms\n",
			strerror(errno));
	if (create_workers(dp) < 0 || create_pools(dp) < 0)
		return -1;
	open_ports(dp);
	for (unsigned int i = 0; i < SL_OFPORT_MAP; i++)
		dp->ofport_map[i] = -1;
	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (dp->ports[i] && dp->ports[i]->params.ofport < SL_OFPORT_MAP)
			dp->ofport_map[dp->ports[i]->params.ofport] = (int16_t)i;
	for (unsigned int w = 0; w < dp->n_workers; w++)
		for (unsigned int p = 0; p < dp->n_ports; p++)
			if (dp->ports[p])
				dp->workers[w]->txq[p] = (uint16_t)(w % dp->ports[p]->n_txq);
	if (sl_neigh_datapath_init(dp) < 0) /* static entries name ports: after open_ports */
		return -1;
	return assign_queues(dp);
}

int
sl_datapath_start(struct sl_datapath *dp)
{
	if (sl_tunnel_datapath_bind(dp) < 0) /* needs the pipeline: made after init */
		return -1;
	for (unsigned int p = 0; p < dp->n_ports; p++) {
		struct sl_port *port = dp->ports[p];
		int rc;

		if (port == NULL)
			continue;
		rc = port->ops->start(port);
		if (rc != 0) {
			fprintf(stderr, "sluiced: port %s: cannot start: %s; the other ports go on\n",
				port->params.name, rte_strerror(-rc));
			continue;
		}
		port->started = true;
		port->link = port->ops->link_up(port);
		if (dp->pipeline)
			sl_pipeline_set_port_live(dp->pipeline, port->params.ofport, port->link);
	}
	/* The agent, made before the ports started, saw every link down: it
	 * takes the started ports' states as its new baseline (no controller is
	 * connected yet), or a link that later went down would look unchanged
	 * to it and no PORT_STATUS would be sent (test_link_events.sh). */
	dp->port_seq++;
	(void)sl_hotplug_monitor_start(); /* removed NICs found again (sl_port_hotplug.h) */
	dp->stop = false;
	for (unsigned int w = 0; w < dp->n_workers; w++)
		if (rte_eal_remote_launch(sl_worker_main, dp->workers[w],
					  dp->workers[w]->lcore) != 0)
			return -1;
	return 0;
}

void
sl_datapath_stop(struct sl_datapath *dp, void (*report)(const struct sl_datapath *dp))
{
	dp->stop = true;
	rte_eal_mp_wait_lcore();
	sl_hotplug_monitor_stop();
	if (report)
		report(dp);
	/* Drain: free what the workers left buffered (nothing, normally: they
	 * flush every iteration, but a stop may land between two bursts). */
	for (unsigned int w = 0; w < dp->n_workers; w++) {
		struct sl_worker *wk = dp->workers[w];

		for (unsigned int p = 0; p < dp->n_ports; p++)
			if (wk->txbuf[p].n)
				rte_pktmbuf_free_bulk(wk->txbuf[p].pkts, wk->txbuf[p].n);
	}
	for (unsigned int p = 0; p < dp->n_ports; p++) {
		sl_port_destroy(dp->ports[p]);
		dp->ports[p] = NULL;
	}
	sl_tunnel_datapath_free(dp);
	sl_neigh_datapath_free(dp); /* parked mbufs back to the pools, before the QSBR goes */
	for (unsigned int w = 0; w < dp->n_workers; w++) {
		struct rte_mbuf *m;

		while (dp->workers[w]->pin_ring &&
		       rte_ring_dequeue(dp->workers[w]->pin_ring, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(dp->workers[w]->pin_ring);
		sl_learn_ring_free(dp->workers[w]);
		sl_fastpath_drop_injected(dp->workers[w]);
		sl_fastpath_destroy(dp->workers[w]->fp);
		sl_miss_channel_destroy(dp->workers[w]->miss_channel);
		rte_ring_free(dp->workers[w]->inject_ring);
		rte_free(dp->workers[w]);
	}
	rte_free(dp->qsbr);
	sl_ctl_wake_fini(&dp->ctl_wake);
	for (int s = 0; s < SL_MAX_SOCKETS; s++) {
		struct rte_mempool *mp = dp->pools[s];

		if (mp == NULL)
			continue;
		for (int t = s; t < SL_MAX_SOCKETS; t++)
			if (dp->pools[t] == mp)
				dp->pools[t] = NULL;
		rte_mempool_free(mp);
	}
}

/* The rings on which worker @w hands the control lcore work (each one
 * kicks dp->ctl_wake after it enqueues); returns how many it has. */
static unsigned int
control_rings(const struct sl_worker *w, const struct rte_ring *r[3])
{
	unsigned int n = 0;

	if (w->pin_ring)
		r[n++] = w->pin_ring;
	if (w->learn_ring)
		r[n++] = w->learn_ring;
	if (w->miss_channel)
		r[n++] = w->miss_channel->to_handler;
	return n;
}

bool
sl_datapath_control_pending(const struct sl_datapath *dp)
{
	const struct rte_ring *r[3];

	for (unsigned int i = 0; i < dp->n_workers; i++)
		for (unsigned int k = control_rings(dp->workers[i], r); k-- > 0;)
			if (rte_ring_count(r[k]) != 0)
				return true;
	return dp->neigh != NULL && sl_neigh_pending(dp->neigh);
}

uint64_t
sl_datapath_control_taken(const struct sl_datapath *dp)
{
	const struct rte_ring *r[3];
	uint64_t n = 0;

	for (unsigned int i = 0; i < dp->n_workers; i++)
		for (unsigned int k = control_rings(dp->workers[i], r); k-- > 0;)
			n += __atomic_load_n(&r[k]->cons.tail, __ATOMIC_RELAXED);
	return n;
}

void
sl_datapath_print_assignment(const struct sl_datapath *dp, FILE *f)
{
	for (unsigned int p = 0; p < dp->n_ports; p++) {
		const struct sl_port *port = dp->ports[p];

		for (unsigned int q = 0; port && q < port->n_rxq; q++) {
			const struct sl_worker *w = dp->workers[dp->assign[p * SL_SCHED_MAX_RXQ + q]];

			fprintf(f, "sluiced: rxq port %s queue %u (socket %d) -> worker lcore %u (socket %d)\n",
				port->params.name, q, port->socket_id, w->lcore, w->socket);
		}
	}
}

void
sl_datapath_poll_links(struct sl_datapath *dp)
{
	struct timespec ts;
	uint64_t now_ns;

	/* devices reset, removed, back (datapath_hotplug.c): before the links,
	 * so that a port down or back is reported in this pass */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	sl_datapath_hotplug_run(dp, now_ns);
	for (unsigned int p = 0; p < dp->n_ports; p++) {
		struct sl_port *port = dp->ports[p];
		bool up;

		if (port == NULL)
			continue;
		if (port->started && port->ops->upkeep)
			port->ops->upkeep(port); /* e.g. net_tap after an mbuf shortage */
		if (port->started && port->params.type == SL_PORT_VHOST)
			sl_vhost_numa_follow(dp, p, now_ns / 1000000); /* guest on another socket */
		if (!port->started && !port->link)
			continue;
		up = port->started && port->ops->link_up(port);
		if (up != port->link) {
			port->link = up;
			dp->port_seq++;
			/* fast-failover groups watch port liveness: a change bumps the
			 * tables version, so cached decisions are revalidated */
			if (dp->pipeline)
				sl_pipeline_set_port_live(dp->pipeline, port->params.ofport, up);
			SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: link %s",
			       port->params.name, up ? "up" : "down");
		}
	}
}

void
sl_datapath_sync(struct sl_datapath *dp)
{
	uint64_t token;

	/* Workers read the pipeline's version at the top of an iteration and
	 * report quiescence at its end, so a grace period that starts after a
	 * change ends only once each has seen the new version (or is offline). */
	token = rte_rcu_qsbr_start(dp->qsbr);
	rte_rcu_qsbr_check(dp->qsbr, token, true);
}
