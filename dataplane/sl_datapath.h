/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_DATAPATH_H
#define SL_DATAPATH_H

/**
 * @file
 * The runtime: ports, per-socket mempools, workers and their poll loop.
 *
 * The control lcore owns struct sl_datapath and everything it points to;
 * workers read it. Until the OpenFlow pipeline is wired in, a worker
 * forwards by the static cross-connect table from the config, through the
 * same rx burst -> per-output tx buffer -> one tx burst per (port, queue)
 * per iteration machinery that the pipeline will use.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include "sl_config.h"
#include "sl_ctl_wake.h"
#include "sl_port.h"
#include "sl_sched.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_BURST 32
#define SL_MAX_SOCKETS 8
#define SL_WORKER_MAX_RXQ 64
#define SL_PIN_RING_SIZE 1024
/** OpenFlow port numbers below this map to a port index by a direct array. */
#define SL_OFPORT_MAP 1024

/**
 * What travels with a packet-in from a worker to the control lcore, kept in
 * the mbuf's private area (every Sluice mempool reserves room for it), so
 * the worker enqueues one pointer and allocates nothing.
 */
struct sl_pin_meta {
	uint64_t cookie;
	uint64_t metadata;
	uint64_t tunnel_id;
	uint32_t in_port;
	uint16_t max_len;
	uint8_t reason;
	uint8_t table_id;
};

/** One (port, rx queue) a worker polls. */
struct sl_worker_rxq {
	struct sl_port *port;
	uint16_t port_idx;
	uint16_t qid;
};

/** Packets waiting for one output port in the current iteration. */
struct sl_txbuf {
	uint16_t n;
	bool listed;    /**< in the worker's dirty[] list this iteration */
	struct rte_mbuf *pkts[SL_BURST];
};

/** Counters of one worker; written only by it, read by the control lcore. */
struct sl_worker_stats {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t tx_dropped;      /**< device refused (ring full) */
	uint64_t no_output;       /**< no cross-connect / output port down */
	uint64_t iterations;
	uint64_t busy_cycles;     /**< cycles of iterations that received packets */
	uint64_t idle_cycles;     /**< cycles of empty iterations */
	uint64_t pin_drops;       /**< packet-ins dropped: ring to control full */
	uint64_t port_config_drops; /**< dropped by port config (NO_RECV, NO_FWD, down) */
	uint64_t learn_drops;     /**< MAC learning reports lost: ring to control full */
};

struct sl_datapath;
struct sl_fastpath;
struct sl_pipeline;
struct sl_meter_table;
struct sl_rcu;
struct sl_miss_channel;

/** QSBR thread id of a miss handler running on a thread of its own (== n_workers). */
#define SL_QSBR_HANDLER_ID(dp) ((dp)->n_workers)
struct sl_xlate_result;

/** A worker lcore's state. Cache-aligned; allocated on its socket. */
struct sl_worker {
	unsigned int lcore;
	unsigned int idx;
	int socket;
	struct sl_datapath *dp;
	unsigned int n_rxq;
	struct sl_worker_rxq rxq[SL_WORKER_MAX_RXQ];
	/** tx queue this worker uses on each port (idx % port->n_txq) */
	uint16_t txq[SL_MAX_PORTS];
	/** output ports with packets buffered in this iteration */
	uint16_t n_dirty;
	uint16_t dirty[SL_MAX_PORTS];
	struct sl_txbuf txbuf[SL_MAX_PORTS];
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
	struct sl_worker_stats stats __rte_cache_aligned;
} __rte_cache_aligned;

/** The switch runtime. */
struct sl_datapath {
	struct sl_config *cfg;
	unsigned int n_ports;           /**< == cfg->n_ports */
	struct sl_port *ports[SL_MAX_PORTS]; /**< NULL when the port failed to open */
	struct rte_mempool *pools[SL_MAX_SOCKETS];
	unsigned int n_workers;
	struct sl_worker *workers[RTE_MAX_LCORE];
	/** assign[port * SL_SCHED_MAX_RXQ + q] = worker index */
	int assign[SL_MAX_PORTS * SL_SCHED_MAX_RXQ];
	struct rte_rcu_qsbr *qsbr;      /**< workers report quiescence per iteration */
	volatile bool stop;             /**< set by the control lcore to end the loops */
	/** Bumped on every port add/remove/link/config change (port-status). */
	uint64_t port_seq;
	unsigned int pin_next_worker;   /**< round-robin cursor over pin rings */
	/** OpenFlow tables; NULL in static cross-connect mode ([xconnect]) */
	struct sl_pipeline *pipeline;
	struct sl_meter_table *meters;  /**< OpenFlow meters (with the pipeline) */
	struct sl_rcu *meter_rcu;       /**< deferred frees of deleted meters */
	struct sl_xlate_result *pout_xr; /**< packet-out scratch (control lcore) */
	unsigned int pout_next_worker;
	uint64_t learn_drops_seen;      /**< sum of workers' learn_drops handled (sl_learn.h) */
	uint64_t learn_aged_ns;         /**< last MAC aging run */
	/** ofport -> port index for ofport < SL_OFPORT_MAP (else a scan) */
	int16_t ofport_map[SL_OFPORT_MAP];
	/** workers wake the control lcore through this (sl_ctl_wake.h) */
	struct sl_ctl_wake ctl_wake __rte_cache_aligned;
};

/** Port index of OpenFlow port @p ofport, or -1. Fast for small numbers. */
static inline int
sl_datapath_port_idx(const struct sl_datapath *dp, uint32_t ofport)
{
	if (ofport < SL_OFPORT_MAP)
		return dp->ofport_map[ofport];
	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (dp->ports[i] && dp->ports[i]->params.ofport == ofport)
			return (int)i;
	return -1;
}

/**
 * Create mempools, open every configured port (a port that fails is
 * reported on stderr and left NULL; the others go on), assign rx queues,
 * set up the workers. EAL must be initialised.
 * @return 0, or -1 if nothing can run (no mempool, no worker lcore).
 */
int sl_datapath_init(struct sl_datapath *dp, struct sl_config *cfg);

/** Start ports and launch the worker loops on their lcores. */
int sl_datapath_start(struct sl_datapath *dp);

/**
 * Stop workers and wait for them; call @p report (may be NULL) while the
 * workers' counters still exist; then stop and close ports and free
 * everything.
 */
void sl_datapath_stop(struct sl_datapath *dp,
		      void (*report)(const struct sl_datapath *dp));

/** Print the rx queue assignment, one line per (port, queue). */
void sl_datapath_print_assignment(const struct sl_datapath *dp, FILE *f);

/** Poll link states; print and remember changes. Control lcore only. */
void sl_datapath_poll_links(struct sl_datapath *dp);

/** The worker loop (rte_eal_remote_launch entry point). */
int sl_worker_main(void *arg);

/** Metadata area of an mbuf from a Sluice mempool. */
static inline struct sl_pin_meta *
sl_pin_meta(struct rte_mbuf *m)
{
	return (struct sl_pin_meta *)rte_mbuf_to_priv(m);
}

/**
 * Barrier: wait until every worker has passed a quiescent state after the
 * current tables version was published (so none uses an older cache entry).
 */
void sl_datapath_sync(struct sl_datapath *dp);

/**
 * Whether a worker has left work for the control lcore: packet-ins, MAC
 * learning reports, miss records. The control lcore asks after
 * sl_ctl_wake_arm() and before it blocks (sl_ctl_wake.h).
 */
bool sl_datapath_control_pending(const struct sl_datapath *dp);

/**
 * How many items the control lcore has taken from the workers' rings
 * (packet-ins, learning reports, miss records) since the start, modulo 2^32 per
 * ring: a value to compare with an earlier one, which changes whenever the
 * control lcore has had work from a worker.
 */
uint64_t sl_datapath_control_taken(const struct sl_datapath *dp);

/** Register /sluice/... telemetry commands for @p dp. */
void sl_telemetry_register(struct sl_datapath *dp);

#ifdef __cplusplus
}
#endif
#endif /* SL_DATAPATH_H */
