/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker poll loop.
 *
 * One iteration: run the packet-outs the control lcore queued; for each
 * assigned (port, rx queue), receive a burst and hand it to the OpenFlow
 * fast path (sl_fastpath_process: caches, translation on a miss, actions
 * into the per-output tx buffers), or, with an [xconnect] config, straight
 * to the cross-connected port's tx buffer; then one tx burst per dirty
 * output port; then the end of the fast path's iteration (pushing counters
 * to rules) and the RCU quiescent report. No blocking syscalls (only the
 * non-blocking eventfd write that wakes a sleeping control lcore,
 * sl_ctl_wake.h), no allocation on a cache hit (a translation allocates its
 * actions handle), no locks except the per-queue tx lock of ports that have
 * fewer tx queues than workers (held for one tx burst only).
 */
#include <stdio.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_lcore.h>

#include "sl_capture.h"
#include "sl_datapath.h"
#include "sl_fastpath.h"
#include "sl_neigh_dp.h"
#include "sl_tunnel.h"
#include "sl_tunnel_dp.h"
#include "sl_worker_tx.h"

_Static_assert(SL_CONFIG_EMC_DEFAULT_INV_PROB == SL_EMC_DEFAULT_INV_PROB,
	       "[switch] emc_insert_inv_prob defaults to the EMC's own default");

/* Static cross-connect ([xconnect] configs): every packet of the burst goes
 * to the same output. The packet data is never read here, so nothing is
 * prefetched; the tx buffer keeps this burst behind what the iteration
 * already queued for that port. */
static inline void
forward_burst(struct sl_worker *w, uint16_t in_idx, struct rte_mbuf **pkts,
	      uint16_t n)
{
	int out = w->dp->cfg->xconnect[in_idx];

	if (unlikely(out < 0)) {
		w->acct[in_idx].drops[SL_DROP_NO_OUTPUT] += n;
		rte_pktmbuf_free_bulk(pkts, n);
		return;
	}
	for (uint16_t i = 0; i < n; i++)
		sl_worker_output(w, (uint16_t)out, pkts[i]);
}

/*
 * Per-queue cycle accounting (sl_worker.rxq_cycles), for the rx queue
 * balancing. An iteration's busy cycles are split over the queues that
 * received in it: each busy queue gets the time from the end of the
 * previous busy queue to its own end, and the iteration's tail (tx flush,
 * end of the fast path) is shared by packets, as each queue's packets made
 * it. With one busy queue, the common case, that is the whole iteration and
 * costs no TSC read beyond the loop's own two; each further busy queue
 * costs one. Empty polls of idle queues are charged to the next busy one
 * (a few dozen cycles).
 */
struct rxq_acct {
	uint64_t tq;      /* end of the last busy queue's time */
	unsigned int nb;  /* busy queues so far in this iteration */
	uint16_t slot[SL_WORKER_MAX_RXQ];
	uint16_t n[SL_WORKER_MAX_RXQ];
};

/* A queue received @n packets: close the previous busy queue's time. */
static inline void
acct_busy(struct sl_worker *w, struct rxq_acct *a, uint16_t slot, uint16_t n)
{
	if (a->nb) {
		uint64_t t = rte_rdtsc();

		w->rxq_cycles[a->slot[a->nb - 1]] += t - a->tq;
		a->tq = t;
	}
	a->slot[a->nb] = slot;
	a->n[a->nb++] = n;
}

/* The iteration ended at @t1 after receiving @rx packets. */
static inline void
acct_end(struct sl_worker *w, struct rxq_acct *a, uint64_t t_loop, uint64_t t1, uint64_t rx)
{
	uint64_t tail;

	if (a->nb == 1) {
		w->rxq_cycles[a->slot[0]] += t1 - a->tq;
		return;
	}
	/* t_loop: the end of the last queue's processing, read only when more
	 * than one queue was busy */
	w->rxq_cycles[a->slot[a->nb - 1]] += t_loop - a->tq;
	tail = t1 - t_loop;
	for (unsigned int i = 0; i < a->nb; i++)
		w->rxq_cycles[a->slot[i]] += tail * a->n[i] / rx;
}

/* The caches are made on the worker's own lcore so that their memory is
 * first touched on its NUMA node. */
static int
worker_create_caches(struct sl_worker *w)
{
	const struct sl_datapath *dp = w->dp;
	const struct sl_config *cfg = dp->cfg;
	struct sl_fastpath_config fc = { .miss_channel = w->miss_channel,
					  .no_spill = cfg->no_handler_spill,
					  .emc_inv_prob = cfg->emc_insert_inv_prob,
					  .emc_off = cfg->emc_insert_inv_prob == 0 };

	w->fp = sl_fastpath_create(w, dp->pipeline, &fc);
	if (w->fp == NULL) {
		fprintf(stderr, "sluiced: worker lcore %u: cannot create its caches\n", w->lcore);
		return -1;
	}
	return 0;
}

/* One rx queue's burst, received and forwarded; returns the packets received. */
static inline uint16_t
worker_poll_rxq(struct sl_worker *w, const struct sl_worker_rxq *q, struct rxq_acct *acct)
{
	struct sl_datapath *dp = w->dp;
	struct rte_mbuf *pkts[SL_BURST];
	uint16_t n, rx;

	if (unlikely(!q->port->started))
		return 0;
	rx = n = sl_port_rx(q->port, q->qid, pkts, SL_BURST);
	if (n == 0)
		return 0;
	w->acct[q->port_idx].rx += n;
	sl_capture_hook(q->port_idx, SL_CAPTURE_RX, pkts, n);
	acct_busy(w, acct, q->slot, n);
	if (unlikely(sl_port_config(q->port, w->iter_version) & (OFPPC_PORT_DOWN | OFPPC_NO_RECV))) {
		w->acct[q->port_idx].drops[SL_DROP_PORT_CONFIG] += n;
		rte_pktmbuf_free_bulk(pkts, n);
		return rx;
	}
	/* VXLAN to a local VTEP leaves the burst as its tunnel port's */
	if (unlikely(dp->tunnels != NULL && dp->tunnels->underlay[q->port_idx]) &&
	    (n = sl_tunnel_rx(w, q->port_idx, pkts, n)) == 0)
		return rx;
	if (w->fp)
		sl_fastpath_process(w->fp, q->port_idx, pkts, n);
	else
		forward_burst(w, q->port_idx, pkts, n);
	return rx;
}

int
sl_worker_main(void *arg)
{
	struct sl_worker *w = arg;
	struct sl_datapath *dp = w->dp;
	uint64_t t0;

	if (dp->pipeline && worker_create_caches(w) != 0)
		return -1;
	rte_rcu_qsbr_thread_online(dp->qsbr, w->idx);
	t0 = rte_rdtsc();
	while (likely(!dp->stop)) {
		/* once per iteration: a list the control lcore replaced stays
		 * valid until this iteration's quiescent report */
		const struct sl_worker_rxqs *rl = __atomic_load_n(&w->rxqs, __ATOMIC_ACQUIRE);
		struct rxq_acct acct;
		uint64_t rx = 0, t1, t_loop = 0;

		acct.nb = 0;
		acct.tq = t0;
		if (w->fp) {
			sl_fastpath_begin(w->fp, t0);
			sl_fastpath_run_injected(w->fp);
			sl_neigh_worker_run(w); /* ARP / ND and resolved packets from control */
		}
		for (unsigned int i = 0; i < rl->n; i++)
			rx += worker_poll_rxq(w, &rl->q[i], &acct);
		if (acct.nb > 1)
			t_loop = rte_rdtsc();
		sl_worker_flush_all(w);
		if (w->fp)
			sl_fastpath_end(w->fp, rx == 0); /* quiescent unless pushing */
		else
			rte_rcu_qsbr_quiescent(dp->qsbr, w->idx);
		t1 = rte_rdtsc();
		w->stats.rx_packets += rx;
		w->stats.iterations++;
		if (rx) {
			w->stats.busy_cycles += t1 - t0;
			acct_end(w, &acct, t_loop, t1, rx);
		} else
			w->stats.idle_cycles += t1 - t0;
		t0 = t1;
	}
	if (w->fp)
		sl_fastpath_flush_stats(w->fp);
	rte_rcu_qsbr_thread_offline(dp->qsbr, w->idx);
	return 0;
}
