/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_WORKER_H
#define SL_WORKER_H

/**
 * @file
 * A worker lcore: the (port, rx queue) pairs it polls, its per-output tx
 * buffers, the rings between it and the control lcore, and its counters.
 * Only the worker writes its struct (the control lcore reads the counters);
 * it is allocated on the worker's socket.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "sl_drops.h"
#include "sl_port.h"
#include "sl_sched.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_BURST 32            /**< packets per rx/tx burst */
#define SL_WORKER_MAX_RXQ 64   /**< (port, rx queue) pairs one worker polls at most */
#define SL_PIN_RING_SIZE 1024  /**< slots of a worker's packet-in and packet-out rings */

/**
 * What travels with a packet-in from a worker to the control lcore, kept in
 * the mbuf's private area (every Sluice mempool reserves room for it), so
 * the worker enqueues one pointer and allocates nothing.
 */
struct sl_pin_meta {
	uint64_t cookie;     /**< of the rule that sent it */
	uint64_t metadata;   /**< pipeline metadata at that point */
	uint64_t tunnel_id;  /**< the packet's tunnel id */
	uint32_t in_port;    /**< OpenFlow ingress port */
	uint16_t max_len;    /**< bytes of the packet to send (OFPCML_NO_BUFFER: all) */
	uint8_t reason;      /**< OFPR_* */
	uint8_t table_id;    /**< table of the rule that sent it */
};

/** One (port, rx queue) a worker polls. */
struct sl_worker_rxq {
	struct sl_port *port; /**< the port */
	uint16_t port_idx;    /**< its index in dp->ports */
	uint16_t qid;         /**< rx queue id */
	/** port_idx * SL_SCHED_MAX_RXQ + qid: its counter in rxq_cycles */
	uint16_t slot;
};

/**
 * What a worker polls: a list the control lcore fills and then publishes
 * (sl_worker.rxqs), never changed while a worker may read it. The worker
 * loads the pointer once per iteration, so after a grace period of the
 * datapath's QSBR it no longer uses the previous list, nor anything it
 * received from a queue that left it (tx buffers are flushed before the
 * quiescent report): that is how a queue moves between workers without
 * loss or reordering (rxq_balance.c).
 */
struct sl_worker_rxqs {
	unsigned int n;                          /**< entries in q */
	struct sl_worker_rxq q[SL_WORKER_MAX_RXQ]; /**< polled in this order */
};

/** Packets waiting for one output port in the current iteration. */
struct sl_txbuf {
	uint16_t n;     /**< packets in pkts */
	bool listed;    /**< in the worker's dirty[] list this iteration */
	struct rte_mbuf *pkts[SL_BURST]; /**< the packets, in order */
};

/** Counters of one worker; written only by it, read by the control lcore.
 *  The drop counters (tx_dropped, no_output, pin_drops and the *_drops
 *  below) are not counted here: sl_worker_stats_get() sums them from the
 *  accounting (sl_drops.h), so that each drop is counted once. */
struct sl_worker_stats {
	uint64_t rx_packets;      /**< received */
	uint64_t tx_packets;      /**< accepted by the devices */
	uint64_t tx_dropped;      /**< device refused (ring full), or the output port is stopped, PORT_DOWN or NO_FWD */
	uint64_t no_output;       /**< no cross-connect / output port down */
	uint64_t iterations;      /**< loop iterations */
	uint64_t busy_cycles;     /**< cycles of iterations that received packets */
	uint64_t idle_cycles;     /**< cycles of empty iterations */
	uint64_t pin_drops;       /**< packet-ins dropped: ring to control full */
	uint64_t port_config_drops; /**< received on a port with PORT_DOWN or NO_RECV, dropped */
	uint64_t learn_drops;     /**< MAC learning reports lost: ring to control full */
	/** frames dropped before the out port's driver saw them: longer than
	 *  its MTU allows (sl_port.max_frame) */
	uint64_t mtu_drops;
	/** frames dropped before the driver: shorter than an Ethernet header */
	uint64_t runt_drops;
	/** frames dropped before the driver: more segments than it chains */
	uint64_t seg_drops;
	/** frames dropped before the driver: refused by its tx_prepare (offload
	 *  metadata it cannot honour) */
	uint64_t tx_prepare_drops;
};

struct sl_datapath;
struct sl_fastpath;
struct sl_miss_channel;

/** A worker lcore's state. Cache-aligned; allocated on its socket. */
struct sl_worker {
	unsigned int lcore;     /**< the lcore it runs on */
	unsigned int idx;       /**< worker index (dp->workers[], QSBR thread id) */
	int socket;             /**< NUMA socket of the lcore */
	struct sl_datapath *dp; /**< the runtime */
	/** what it polls: one of rxq_lists (acquire load, once per iteration) */
	struct sl_worker_rxqs *rxqs;
	/** the published list and the one the control lcore fills next */
	struct sl_worker_rxqs rxq_lists[2];
	/** tx queue this worker uses on each port (idx % port->n_txq) */
	uint16_t txq[SL_MAX_PORTS];
	/** output ports with packets buffered in this iteration */
	uint16_t n_dirty;
	uint16_t dirty[SL_MAX_PORTS];   /**< those ports' indexes (n_dirty of them) */
	struct sl_txbuf txbuf[SL_MAX_PORTS]; /**< per output port index */
	/** OpenFlow fast path (NULL in static cross-connect mode) */
	struct sl_fastpath *fp;
	/** packet-outs from the control lcore, run by this worker */
	struct rte_ring *inject_ring;
	/** packet-ins to the control lcore (single producer: this worker) */
	struct rte_ring *pin_ring;
	/** MAC learning reports to the control lcore (sl_learn.h) */
	struct rte_ring *learn_ring;
	/** miss_handling = handler: misses to the handler and back (sl_miss_handler.h) */
	struct sl_miss_channel *miss_channel;
	/** tables version this worker's caches were last revalidated at */
	volatile uint64_t seen_version;
	/** tables version of the current iteration (sl_fastpath_begin; 0
	 *  without a pipeline): picks each port's configuration (sl_port_config) */
	uint64_t iter_version;
	struct sl_worker_stats stats __rte_cache_aligned; /**< its counters, on a line of their own */
	/** cycles spent on each (port, rx queue) it polled, by slot
	 *  (sl_worker_rxq.slot): rx, processing and a share of the tx flush by
	 *  packets. Summed over the workers, a queue's counter only grows,
	 *  whoever polled it: the control lcore's load is that sum's delta. */
	uint64_t rxq_cycles[SL_MAX_PORTS * SL_SCHED_MAX_RXQ] __rte_cache_aligned;
	/** where its packets went, per port index (SL_ACCT_CONTROLLER:
	 *  packet-outs), so that they add up (sl_drops.h) */
	struct sl_port_acct acct[SL_ACCT_SLOTS] __rte_cache_aligned;
} __rte_cache_aligned;

/**
 * Metadata area of an mbuf from a Sluice mempool.
 * @param m the packet
 * @return its packet-in metadata.
 */
static inline struct sl_pin_meta *
sl_pin_meta(struct rte_mbuf *m)
{
	return (struct sl_pin_meta *)rte_mbuf_to_priv(m);
}

/**
 * The worker loop (rte_eal_remote_launch entry point).
 * @param arg the struct sl_worker
 * @return 0, once dp->stop is set.
 */
int sl_worker_main(void *arg);

#ifdef __cplusplus
}
#endif
#endif /* SL_WORKER_H */
