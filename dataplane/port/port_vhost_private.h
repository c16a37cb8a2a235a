/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * vhost-user port internals shared by its control part (port_vhost.c:
 * rte_vhost callbacks, open/close) and its fast path (port_vhost_rxtx.c).
 * The threading rules are port_vhost.c's top comment.
 */
#ifndef SL_PORT_VHOST_PRIVATE_H
#define SL_PORT_VHOST_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/un.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "sl_port.h"

/** Guest virtqueues we track per direction (bits of a 64-bit mask). */
#define SL_VHOST_GUEST_PAIRS_MAX 64
/** Packets rte_vhost enqueues per call at most (its MAX_PKT_BURST). */
#define SL_VHOST_ENQ_MAX 32

/**
 * Per-queue state: counters written by the one worker owning the queue
 * (or holding its tx lock), read by the control lcore; each direction on
 * its own cache line so rx and tx workers do not false-share.
 */
struct sl_vhost_queue {
	uint32_t rx_busy;     /**< a worker is inside rx_burst on this queue */
	uint64_t rx_pairs;    /**< guest pairs this rx queue polls: q, q + n_pairs... */
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint32_t tx_busy __rte_cache_aligned;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t tx_dropped;  /**< not taken by the guest (ring full, no guest) */
	uint64_t tx_retried;  /**< enqueue tries after a partial one (tx_retries) */
} __rte_cache_aligned;

/** Kind-specific state of a vhost-user port (struct sl_port.priv). */
struct sl_vhost_port {
	struct sl_port *port;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct rte_mempool *pool; /**< rx mbufs: pool of the port's socket */
	/** every socket's pool: the guest's memory picks one (sl_vhost_numa.h) */
	struct rte_mempool *const *pools;
	uint16_t n_pairs;
	bool offloads;            /**< params->offloads: requests from the guest */
	uint8_t tx_retries;       /**< params->tx_retries */
	bool registered;          /**< rte_vhost_driver_register() done */
	bool driver_started;      /**< rte_vhost_driver_start() done */

	/* Written by the vhost callbacks only (under sl_vhost_registry.lock). */
	int cb_vid;               /**< device the callbacks currently track */
	bool cb_running;          /**< new_device seen, destroy not yet */
	uint64_t cb_rx_enabled;   /**< guest rx virtqueues enabled, by pair */
	uint64_t cb_tx_enabled;   /**< guest tx virtqueues enabled, by pair */
	uint32_t cb_tx_ol;        /**< SL_TX_OL_* the guest negotiated */

	/* Published to workers: zero while no device is running. */
	uint64_t guest_rx_mask;   /**< where our tx may enqueue */
	uint64_t guest_tx_mask;   /**< where our rx may dequeue */

	struct sl_vhost_queue q[SL_PORT_MAX_QUEUES];
};

/**
 * Receive from our rx queue @p q: the guest's tx virtqueues q,
 * q + n_pairs, ... that are enabled, into the port's mempool.
 * @return the packets received; 0 while no guest is connected.
 */
uint16_t sl_vhost_rx_burst(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n);

/**
 * Transmit to the guest. rte_vhost copies each packet into guest memory,
 * so the mbufs it took are freed here and their count returned; the
 * caller frees the rest (not taken: guest ring full or no guest), which are
 * already counted in tx_dropped: the caller must not count them again.
 * @return the packets the guest took.
 */
uint16_t sl_vhost_tx_burst(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n);

#endif /* SL_PORT_VHOST_PRIVATE_H */
