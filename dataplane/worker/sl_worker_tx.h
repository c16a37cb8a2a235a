/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_WORKER_TX_H
#define SL_WORKER_TX_H

/**
 * @file
 * Per-worker tx buffering: packets decided in one iteration are grouped by
 * output port and each port gets one tx burst per iteration (or one per 32
 * packets). Shared by the static cross-connect and the OpenFlow fast path.
 */

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

#include "sl_datapath.h"

/**
 * Send what is buffered for port @p out_idx; free what the device refuses.
 * @param w       the calling worker
 * @param out_idx output port index (dp->ports[])
 */
static inline void
sl_worker_flush_port(struct sl_worker *w, uint16_t out_idx)
{
	struct sl_txbuf *tb = &w->txbuf[out_idx];
	struct sl_port *out = w->dp->ports[out_idx];
	uint16_t sent = 0;

	/* OFPPC_NO_FWD / PORT_DOWN: the controller took the port out of
	 * forwarding; drop here, once per burst, rather than per packet. */
	if (likely(out != NULL && out->started &&
		   !(out->of_config & (OFPPC_PORT_DOWN | OFPPC_NO_FWD))))
		sent = sl_port_tx(out, w->txq[out_idx], tb->pkts, tb->n);
	w->stats.tx_packets += sent;
	if (unlikely(sent < tb->n)) {
		w->stats.tx_dropped += tb->n - sent;
		rte_pktmbuf_free_bulk(&tb->pkts[sent], tb->n - sent);
	}
	tb->n = 0;
}

/**
 * Queue @p m for port @p out_idx; a full buffer is sent at once.
 * @param w       the calling worker
 * @param out_idx output port index (dp->ports[])
 * @param m       the packet; the buffer owns it from now on
 */
static inline void
sl_worker_output(struct sl_worker *w, uint16_t out_idx, struct rte_mbuf *m)
{
	struct sl_txbuf *tb = &w->txbuf[out_idx];

	if (!tb->listed) {
		tb->listed = true;
		w->dirty[w->n_dirty++] = out_idx;
	}
	tb->pkts[tb->n++] = m;
	if (unlikely(tb->n == SL_BURST))
		sl_worker_flush_port(w, out_idx); /* stays listed until flush_all */
}

/**
 * Send every buffered packet; called once per iteration.
 * @param w the calling worker
 */
static inline void
sl_worker_flush_all(struct sl_worker *w)
{
	for (uint16_t i = 0; i < w->n_dirty; i++) {
		struct sl_txbuf *tb = &w->txbuf[w->dirty[i]];

		if (tb->n)
			sl_worker_flush_port(w, w->dirty[i]);
		tb->listed = false;
	}
	w->n_dirty = 0;
}

#endif /* SL_WORKER_TX_H */
