/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker poll loop.
 *
 * One iteration: for each assigned (port, rx queue), receive a burst and
 * hand every packet to an output port's tx buffer; then one tx burst per
 * dirty output port; then an RCU quiescent report. No syscalls, no
 * allocation, no locks except the per-queue tx lock of ports that have
 * fewer tx queues than workers (held for one tx burst only).
 */
#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_prefetch.h>

#include "sl_datapath.h"

/* Send what is buffered for @out_idx; free what the device refuses. */
static inline void
flush_port(struct sl_worker *w, uint16_t out_idx)
{
	struct sl_txbuf *tb = &w->txbuf[out_idx];
	struct sl_port *out = w->dp->ports[out_idx];
	uint16_t sent = 0;

	/* OFPPC_NO_FWD / PORT_DOWN: the controller took the port out of
	 * forwarding; drop here, once per burst, rather than per packet. */
	if (likely(out != NULL && out->started &&
		   !(out->of_config & (SL_OFPPC_PORT_DOWN | SL_OFPPC_NO_FWD))))
		sent = sl_port_tx(out, w->txq[out_idx], tb->pkts, tb->n);
	w->stats.tx_packets += sent;
	if (unlikely(sent < tb->n)) {
		w->stats.tx_dropped += tb->n - sent;
		rte_pktmbuf_free_bulk(&tb->pkts[sent], tb->n - sent);
	}
	tb->n = 0;
}

/* Queue one packet for @out_idx; a full buffer is sent at once. */
static inline void
output_packet(struct sl_worker *w, uint16_t out_idx, struct rte_mbuf *m)
{
	struct sl_txbuf *tb = &w->txbuf[out_idx];

	if (tb->n == 0)
		w->dirty[w->n_dirty++] = out_idx;
	tb->pkts[tb->n++] = m;
	if (unlikely(tb->n == SL_BURST)) {
		flush_port(w, out_idx);
		/* stays in dirty[]: flushing an empty buffer later is harmless */
	}
}

/* Forwarding decision for a burst from one port. Static cross-connect
 * until the pipeline lands; the shape (decide per packet, buffer per
 * output) is the one the megaflow path will use. */
static inline void
forward_burst(struct sl_worker *w, uint16_t in_idx, struct rte_mbuf **pkts,
	      uint16_t n)
{
	int out = w->dp->cfg->xconnect[in_idx];

	if (unlikely(out < 0)) {
		w->stats.no_output += n;
		rte_pktmbuf_free_bulk(pkts, n);
		return;
	}
	for (uint16_t i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		output_packet(w, (uint16_t)out, pkts[i]);
	}
}

static inline void
flush_all(struct sl_worker *w)
{
	for (uint16_t i = 0; i < w->n_dirty; i++)
		if (w->txbuf[w->dirty[i]].n)
			flush_port(w, w->dirty[i]);
	w->n_dirty = 0;
}

int
sl_worker_main(void *arg)
{
	struct sl_worker *w = arg;
	struct sl_datapath *dp = w->dp;
	struct rte_mbuf *pkts[SL_BURST];
	uint64_t t0 = rte_rdtsc();

	rte_rcu_qsbr_thread_online(dp->qsbr, w->idx);
	while (likely(!dp->stop)) {
		uint64_t rx = 0, t1;

		for (unsigned int i = 0; i < w->n_rxq; i++) {
			struct sl_worker_rxq *q = &w->rxq[i];
			uint16_t n;

			if (unlikely(!q->port->started))
				continue;
			n = sl_port_rx(q->port, q->qid, pkts, SL_BURST);
			if (n == 0)
				continue;
			rx += n;
			if (unlikely(q->port->of_config & (SL_OFPPC_PORT_DOWN | SL_OFPPC_NO_RECV))) {
				w->stats.port_config_drops += n;
				rte_pktmbuf_free_bulk(pkts, n);
				continue;
			}
			forward_burst(w, q->port_idx, pkts, n);
		}
		flush_all(w);
		rte_rcu_qsbr_quiescent(dp->qsbr, w->idx);
		t1 = rte_rdtsc();
		w->stats.rx_packets += rx;
		w->stats.iterations++;
		if (rx)
			w->stats.busy_cycles += t1 - t0;
		else
			w->stats.idle_cycles += t1 - t0;
		t0 = t1;
	}
	rte_rcu_qsbr_thread_offline(dp->qsbr, w->idx);
	return 0;
}
