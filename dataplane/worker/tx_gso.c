/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's side of offload requests at the tx burst (sl_worker_tx.h,
 * sl_worker_tx_offload): out of line, since only frames from guests with
 * offloads need it. A 64 KiB TSO frame becomes up to SL_TX_OL_MAX_SEGS
 * segments, so the frames go out in bursts of SL_BURST as they are made,
 * in their order.
 */
#include <errno.h>

#include "sl_tx_offload.h"
#include "sl_worker_tx.h"

/* Frames on their way to one port, sent SL_BURST at a time. */
struct tx_batch {
	struct rte_mbuf *pkts[SL_BURST];
	uint16_t n;
};

static void
batch_add(struct sl_worker *w, uint16_t out_idx, struct tx_batch *b, struct rte_mbuf *m)
{
	b->pkts[b->n++] = m;
	if (b->n == SL_BURST) {
		sl_worker_tx_send(w, out_idx, b->pkts, b->n, true);
		b->n = 0;
	}
}

void
sl_worker_tx_offload(struct sl_worker *w, uint16_t out_idx)
{
	struct sl_txbuf *tb = &w->txbuf[out_idx];
	struct sl_port *out = w->dp->ports[out_idx];
	struct sl_port_acct *a = &w->acct[out_idx];
	struct rte_mempool *pool = w->dp->pools[w->socket];
	uint32_t caps = __atomic_load_n(&out->tx_ol, __ATOMIC_ACQUIRE);
	struct rte_mbuf *segs[SL_TX_OL_MAX_SEGS];
	struct tx_batch b = { .n = 0 };

	for (uint16_t i = 0; i < tb->n; i++) {
		struct rte_mbuf *m = tb->pkts[i];
		int k;

		if (likely(!sl_tx_ol_requested(m))) {
			batch_add(w, out_idx, &b, m);
			continue;
		}
		/* a device takes a frame in at most max_segs segments: a longer
		 * chain (a guest's TSO frame in 2 KiB mbufs) is cut here instead */
		k = sl_tx_ol_prepare(m, m->nb_segs <= out->max_segs ? caps : 0, pool, segs,
				     SL_TX_OL_MAX_SEGS);
		if (k < 0) {
			a->drops[k == -ENOMEM ? SL_DROP_GSO_NO_MBUF : SL_DROP_TSO_MALFORMED]++;
			continue;
		}
		a->replicas += (uint64_t)k - 1;
		for (int j = 0; j < k; j++)
			batch_add(w, out_idx, &b, segs[j]);
	}
	if (b.n > 0)
		sl_worker_tx_send(w, out_idx, b.pkts, b.n, true);
}
