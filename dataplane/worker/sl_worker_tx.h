/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_WORKER_TX_H
#define SL_WORKER_TX_H

/**
 * @file
 * Per-worker tx buffering: packets decided in one iteration are grouped by
 * output port and each port gets one tx burst per iteration (or one per 32
 * packets). Shared by the static cross-connect and the OpenFlow fast path.
 */

#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sl_capture.h"
#include "sl_datapath.h"
#include "sl_tunnel_dp.h"
#include "sl_tx_offload.h"

/**
 * Drop, and count, the frames port @p out must not be handed: longer than
 * its MTU allows (a TSO frame passed on whole: its segments), shorter than
 * an Ethernet header, in more segments than it chains, then those its
 * driver's tx_prepare refuses. A driver given such a
 * frame may send garbage or hang its queue. Compacts @p pkts.
 * @param w   the calling worker (counters)
 * @param out the output port
 * @param out_idx its index (dp->ports[]): where the drops are counted
 * @param q   the tx queue the frames go to
 * @param pkts the frames
 * @param n   how many
 * @return the frames left, at the start of @p pkts
 */
static inline uint16_t
sl_worker_tx_check(struct sl_worker *w, struct sl_port *out, uint16_t out_idx, uint16_t q,
		   struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t *drops = w->acct[out_idx].drops;
	uint16_t k = 0, ok = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = rte_pktmbuf_pkt_len(m);

		if (unlikely(len > out->max_frame || len < RTE_ETHER_HDR_LEN ||
			     m->nb_segs > out->max_segs)) {
			if (len > out->max_frame && sl_tx_ol_wire_len(m) <= out->max_frame &&
			    m->nb_segs <= out->max_segs) {
				pkts[k++] = m; /* TSO: its segments fit */
				continue;
			}
			if (len > out->max_frame)
				drops[SL_DROP_MTU]++;
			else if (len < RTE_ETHER_HDR_LEN)
				drops[SL_DROP_RUNT]++;
			else
				drops[SL_DROP_SEGMENTS]++;
			rte_pktmbuf_free(m);
			continue;
		}
		pkts[k++] = m;
	}
	if (out->ops->tx_prepare == NULL)
		return k;
	/* tx_prepare stops at the first frame it refuses: drop that one and
	 * go on with the rest */
	while ((ok += out->ops->tx_prepare(out, q, pkts + ok, k - ok)) < k) {
		drops[SL_DROP_TX_PREPARE]++;
		rte_pktmbuf_free(pkts[ok]);
		memmove(&pkts[ok], &pkts[ok + 1], (size_t)(k - ok - 1) * sizeof(pkts[0]));
		k--;
	}
	return k;
}

/**
 * Hand @p n frames to port @p out_idx (checked first) and count their
 * fates; free what the device refuses.
 * @param w       the calling worker
 * @param out_idx output port index (dp->ports[])
 * @param pkts    the frames; compacted
 * @param n       how many
 * @param fwd     false: the port does not forward (stopped, PORT_DOWN,
 *                NO_FWD): all are dropped
 */
static inline void
sl_worker_tx_send(struct sl_worker *w, uint16_t out_idx, struct rte_mbuf **pkts, uint16_t n,
		  bool fwd)
{
	struct sl_port *out = w->dp->ports[out_idx];
	struct sl_port_acct *a = &w->acct[out_idx];
	uint16_t sent = 0;

	/* OFPPC_NO_FWD / PORT_DOWN: the controller took the port out of
	 * forwarding; drop here, once per burst, rather than per packet. */
	if (fwd) {
		n = sl_worker_tx_check(w, out, out_idx, w->txq[out_idx], pkts, n);
		sl_capture_hook(out_idx, SL_CAPTURE_TX, pkts, n);
		sent = sl_port_tx(out, w->txq[out_idx], pkts, n);
	}
	w->stats.tx_packets += sent;
	a->tx += sent;
	if (unlikely(sent < n)) {
		a->drops[!fwd ? SL_DROP_PORT_DOWN
			 : out->params.type == SL_PORT_VHOST ? SL_DROP_GUEST_RING_FULL
			 : SL_DROP_TX_FULL] += n - sent;
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
	}
}

/**
 * Send port @p out_idx's buffer when its frames may carry offload requests
 * (worker/tx_gso.c): each request is passed on, segmented or checksummed
 * for the port (sl_tx_ol_prepare()), then the frames go out through
 * sl_worker_tx_send() in bursts. Refused requests are counted as
 * tso_malformed, a pool that ran out as gso_no_mbuf; the segments beyond a
 * frame's first count as replicas (sl_drops.h). Leaves the buffer's count.
 * @param w       the calling worker
 * @param out_idx output port index (dp->ports[]), a forwarding port
 */
void sl_worker_tx_offload(struct sl_worker *w, uint16_t out_idx);

/**
 * Send what is buffered for port @p out_idx; free what the device refuses.
 * Frames with offload requests (sl_tx_offload.h) are made fit for the port
 * first, out of line: only while some port accepts offloads.
 * @param w       the calling worker
 * @param out_idx output port index (dp->ports[])
 */
static inline void
sl_worker_flush_port(struct sl_worker *w, uint16_t out_idx)
{
	struct sl_txbuf *tb = &w->txbuf[out_idx];
	struct sl_port *out = w->dp->ports[out_idx];
	bool fwd = likely(out != NULL && out->started &&
			  !(sl_port_config(out, w->iter_version) &
			    (OFPPC_PORT_DOWN | OFPPC_NO_FWD)));

	if (unlikely(out != NULL && out->params.type == SL_PORT_TUNNEL))
		sl_tunnel_flush(w, out_idx, fwd); /* encap, then the underlay's buffer */
	else if (unlikely(__atomic_load_n(&sl_tx_ol_ports, __ATOMIC_RELAXED) != 0) && fwd)
		sl_worker_tx_offload(w, out_idx);
	else
		sl_worker_tx_send(w, out_idx, tb->pkts, tb->n, fwd);
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
