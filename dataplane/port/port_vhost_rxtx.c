/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * vhost-user ports' fast path: the workers' rx and tx bursts. No lock: a
 * burst raises its queue's busy flag, then reads the published guest
 * virtqueue mask (both sequentially consistent), so a vhost callback that
 * clears the mask and then waits for the flag to fall knows no worker still
 * uses the device it is about to let rte_vhost free (port_vhost.c).
 */

#include <rte_vhost.h>

#include "port_vhost_private.h"
#include "sl_tx_offload.h"

static inline void
counter_add(uint64_t *c, uint64_t n)
{
	/* Single writer: a relaxed store keeps the control lcore's read whole. */
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

uint16_t
sl_vhost_rx_burst(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts,
	       uint16_t n)
{
	struct sl_vhost_port *vp = p->priv;
	struct sl_vhost_queue *sq = &vp->q[q];
	uint64_t mask;
	uint16_t nb = 0, i;
	uint64_t bytes = 0;

	__atomic_store_n(&sq->rx_busy, 1, __ATOMIC_SEQ_CST);
	mask = __atomic_load_n(&vp->guest_tx_mask, __ATOMIC_SEQ_CST) &
	       sq->rx_pairs;
	if (mask != 0) {
		int vid = __atomic_load_n(&p->vid, __ATOMIC_ACQUIRE);

		do {
			uint16_t pair = (uint16_t)__builtin_ctzll(mask);

			mask &= mask - 1;
			nb += rte_vhost_dequeue_burst(vid, pair * 2 + 1,
						      vp->pool, pkts + nb,
						      n - nb);
		} while (mask != 0 && nb < n);
	}
	__atomic_store_n(&sq->rx_busy, 0, __ATOMIC_RELEASE);
	if (nb == 0)
		return 0;
	if (vp->offloads)
		sl_tx_ol_from_virtio(pkts, nb);
	for (i = 0; i < nb; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	counter_add(&sq->rx_packets, nb);
	counter_add(&sq->rx_bytes, bytes);
	return nb;
}

/**
 * Guest rx virtqueue (pair index) for our tx queue @p q: q itself when the
 * guest enabled it, otherwise one of the enabled ones, spread by q.
 */
static inline int
tx_pair(uint64_t mask, uint16_t q)
{
	unsigned int n_enabled, skip;

	if (q < SL_VHOST_GUEST_PAIRS_MAX && (mask & (UINT64_C(1) << q)))
		return q;
	if (mask == 0)
		return -1;
	n_enabled = (unsigned int)__builtin_popcountll(mask);
	for (skip = q % n_enabled; skip > 0; skip--)
		mask &= mask - 1; /* drop the lowest set bit */
	return __builtin_ctzll(mask);
}

uint16_t
sl_vhost_tx_burst(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts,
	       uint16_t n)
{
	struct sl_vhost_port *vp = p->priv;
	struct sl_vhost_queue *sq = &vp->q[q];
	uint16_t sent = 0, i;
	uint64_t bytes = 0;
	uint64_t mask;
	int pair;

	__atomic_store_n(&sq->tx_busy, 1, __ATOMIC_SEQ_CST);
	mask = __atomic_load_n(&vp->guest_rx_mask, __ATOMIC_SEQ_CST);
	pair = tx_pair(mask, q);
	if (pair >= 0) {
		int vid = __atomic_load_n(&p->vid, __ATOMIC_ACQUIRE);

		unsigned int retries = 0;

		/* rte_vhost takes at most 32 packets per call (MAX_PKT_BURST). A
		 * partial take means the ring is full: try again while the guest
		 * drains it, at most tx_retries times (OVS's tx-retries). */
		while (sent < n) {
			uint16_t chunk = RTE_MIN(n - sent, SL_VHOST_ENQ_MAX);
			uint16_t took = rte_vhost_enqueue_burst(
				vid, (uint16_t)(pair * 2), pkts + sent, chunk);

			sent += took;
			if (took == chunk)
				continue;
			if (took == 0 || retries == vp->tx_retries)
				break; /* no progress, or out of tries: guest ring full */
			retries++;
		}
		if (retries)
			counter_add(&sq->tx_retried, retries);
	}
	__atomic_store_n(&sq->tx_busy, 0, __ATOMIC_RELEASE);
	for (i = 0; i < sent; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	rte_pktmbuf_free_bulk(pkts, sent);
	counter_add(&sq->tx_packets, sent);
	counter_add(&sq->tx_bytes, bytes);
	if (sent < n)
		counter_add(&sq->tx_dropped, (uint64_t)(n - sent));
	return sent;
}
