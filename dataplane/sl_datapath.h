/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_DATAPATH_H
#define SL_DATAPATH_H

/**
 * @file
 * The runtime: ports, per-socket mempools, the workers (sl_worker.h) and
 * the OpenFlow tables they read (sl_tables.h).
 *
 * The control lcore owns struct sl_datapath and everything it points to;
 * workers read it. A worker forwards through the OpenFlow fast path
 * (sl_fastpath.h), or by the static cross-connect table from the config
 * ([xconnect]); both use the same rx burst -> per-output tx buffer -> one
 * tx burst per (port, queue) per iteration machinery (sl_worker_tx.h).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include "sl_config.h"
#include "sl_ctl_wake.h"
#include "sl_port.h"
#include "sl_rxq_balance.h"
#include "sl_sched.h"
#include "sl_worker.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_MAX_SOCKETS 8 /**< NUMA sockets with a mempool */
/** OpenFlow port numbers below this map to a port index by a direct array. */
#define SL_OFPORT_MAP 1024

struct sl_datapath;
struct sl_fastpath;
struct sl_pipeline;
struct sl_meter_table;
struct sl_rcu;
struct sl_miss_channel;

/** QSBR thread id of a miss handler running on a thread of its own (== n_workers). */
#define SL_QSBR_HANDLER_ID(dp) ((dp)->n_workers)
struct sl_xlate_result;

/** The switch runtime. */
struct sl_datapath {
	struct sl_config *cfg;          /**< the configuration it was built from */
	unsigned int n_ports;           /**< == cfg->n_ports */
	struct sl_port *ports[SL_MAX_PORTS]; /**< NULL when the port failed to open */
	struct rte_mempool *pools[SL_MAX_SOCKETS]; /**< mbuf pool per socket (NULL: none) */
	unsigned int n_workers;         /**< worker lcores */
	struct sl_worker *workers[RTE_MAX_LCORE]; /**< the workers, by index */
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
	unsigned int pout_next_worker;  /**< round-robin cursor over inject rings */
	uint64_t learn_drops_seen;      /**< sum of workers' learn_drops handled (sl_learn.h) */
	uint64_t learn_aged_ns;         /**< last MAC aging run */
	/** ofport -> port index for ofport < SL_OFPORT_MAP (else a scan) */
	int16_t ofport_map[SL_OFPORT_MAP];
	/** workers wake the control lcore through this (sl_ctl_wake.h) */
	struct sl_ctl_wake ctl_wake __rte_cache_aligned;
	/** rx queue balancing (sl_rxq_balance.h); control lcore only */
	struct sl_rxq_balance rxqb;
};

/**
 * Port index of OpenFlow port @p ofport. Fast for small numbers.
 * @param dp     the datapath
 * @param ofport OpenFlow port number
 * @return the index in dp->ports, or -1.
 */
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
 * @param dp  out: the runtime (cleared first)
 * @param cfg the configuration; must outlive @p dp
 * @return 0, or -1 if nothing can run (no mempool, no worker lcore).
 */
int sl_datapath_init(struct sl_datapath *dp, struct sl_config *cfg);

/**
 * Start ports and launch the worker loops on their lcores. A port that
 * fails to start is reported on stderr; the others go on.
 * @param dp the runtime
 * @return 0, or -1 if a worker could not be launched.
 */
int sl_datapath_start(struct sl_datapath *dp);

/**
 * Stop workers and wait for them; call @p report (may be NULL) while the
 * workers' counters still exist; then stop and close ports and free
 * everything.
 * @param dp     the runtime
 * @param report called with @p dp before anything is freed; may be NULL
 */
void sl_datapath_stop(struct sl_datapath *dp,
		      void (*report)(const struct sl_datapath *dp));

/**
 * Print the rx queue assignment, one line per (port, queue).
 * @param dp the runtime
 * @param f  where to print
 */
void sl_datapath_print_assignment(const struct sl_datapath *dp, FILE *f);

/**
 * Poll link states; print and remember changes. Control lcore only.
 * @param dp the runtime
 */
void sl_datapath_poll_links(struct sl_datapath *dp);

/**
 * Barrier: wait until every worker has passed a quiescent state after the
 * current tables version was published (so none uses an older cache entry).
 * @param dp the runtime
 */
void sl_datapath_sync(struct sl_datapath *dp);

/**
 * Whether a worker has left work for the control lcore: packet-ins, MAC
 * learning reports, miss records. The control lcore asks after
 * sl_ctl_wake_arm() and before it blocks (sl_ctl_wake.h).
 * @param dp the runtime
 * @return true if a ring to the control lcore is not empty.
 */
bool sl_datapath_control_pending(const struct sl_datapath *dp);

/**
 * How many items the control lcore has taken from the workers' rings
 * (packet-ins, learning reports, miss records) since the start, modulo 2^32 per
 * ring: a value to compare with an earlier one, which changes whenever the
 * control lcore has had work from a worker.
 * @param dp the runtime
 * @return the count.
 */
uint64_t sl_datapath_control_taken(const struct sl_datapath *dp);

/**
 * Register /sluice/... telemetry commands for @p dp.
 * @param dp the runtime; must outlive the commands
 */
void sl_telemetry_register(struct sl_datapath *dp);

#ifdef __cplusplus
}
#endif
#endif /* SL_DATAPATH_H */
