/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_RXQ_BALANCE_H
#define SL_RXQ_BALANCE_H

/**
 * @file
 * Rx queue balancing on the control lcore: per-queue loads from the
 * workers' cycle counters (sl_worker.rxq_cycles), the policy
 * (sl_rebalance.h) every SL_RXQB_INTERVAL_MS, and moving queues between
 * workers without loss or reordering.
 *
 * A move takes a queue off its old worker (a new list published, then a
 * grace period of the datapath's QSBR: the old worker has finished every
 * burst it took from it and flushed it to the tx queues), waits until the
 * old worker has no miss record out (packets of a new flow parked behind one
 * would otherwise leave after the new worker's), then gives it to the new
 * worker. Meanwhile packets wait in the device's ring: a few hundred
 * microseconds, up to SL_RXQB_PARK_WAIT_MS under a flood of new flows. A
 * vhost-user queue holds no worker-owned state that must move (its
 * counters change hands with the grace period).
 *
 * The first assignment is round robin (sl_sched.h): nothing is measured
 * yet; in `auto` mode the first imbalance that lasts SL_RXQB_SUSTAIN
 * intervals is corrected, within a second.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sl_port.h"
#include "sl_rebalance.h"
#include "sl_sched.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_RXQB_INTERVAL_MS 200 /**< load sampling period */
#define SL_RXQB_SUSTAIN 3       /**< intervals in a row an imbalance must last */
#define SL_RXQB_HOLD_MS 1000    /**< no automatic move this long after one */
#define SL_RXQB_PARK_WAIT_MS 50 /**< longest wait for the old worker's miss records */
#define SL_RXQB_MIN_LOAD_PCT 1  /**< busiest worker below this % of a CPU: left alone */
#define SL_RXQB_MAX_MOVES 64    /**< queues one rebalance moves at most */
/** (port, queue) slots: port * SL_SCHED_MAX_RXQ + queue */
#define SL_RXQB_SLOTS (SL_MAX_PORTS * SL_SCHED_MAX_RXQ)

/** One queue moved (or being moved). */
struct sl_rxq_move {
	uint16_t port;       /**< port index */
	uint16_t queue;      /**< rx queue id */
	unsigned int from;   /**< worker index it leaves */
	unsigned int to;     /**< worker index it joins */
	uint64_t load;       /**< its cycles in the interval that decided */
};

/** The balancer's state, in struct sl_datapath (control lcore only). */
struct sl_rxq_balance {
	uint64_t last_ms;        /**< last sample (monotonic ms) */
	uint64_t last_tsc;       /**< TSC at the last sample */
	uint64_t interval_tsc;   /**< TSC cycles in the last interval */
	uint64_t hold_until_ms;  /**< no automatic move before this */
	uint64_t n_rebalances;   /**< rebalances applied */
	uint64_t n_moves;        /**< queues moved */
	struct sl_rebalance_hyst hyst; /**< auto mode's hysteresis */
	unsigned int n_pending;  /**< moves off their old worker, not yet on the new */
	uint64_t pending_ms;     /**< when they left */
	struct sl_rxq_move pending[SL_RXQB_MAX_MOVES]; /**< those moves */
	unsigned int n_last;     /**< moves of the last rebalance */
	struct sl_rxq_move last[SL_RXQB_MAX_MOVES]; /**< those moves */
	uint64_t prev[SL_RXQB_SLOTS]; /**< summed rxq_cycles at the last sample */
	uint64_t load[SL_RXQB_SLOTS]; /**< cycles in the last interval */
};

struct sl_datapath;

/**
 * The control loop's step, every pass: finish a move in progress; every
 * SL_RXQB_INTERVAL_MS sample the loads and, with `rxq_rebalance = auto`,
 * rebalance when worth it (logged, one line per queue moved).
 * @param dp     the runtime (workers running)
 * @param now_ms monotonic time in ms
 */
void sl_rxq_balance_run(struct sl_datapath *dp, uint64_t now_ms);

/**
 * Rebalance now on the last interval's loads (`sluicectl rebalance`): apply
 * the plan if it lowers the busiest worker's load at all.
 * @param dp     the runtime
 * @param now_ms monotonic time in ms
 * @param moves  out: the queues moved
 * @param max    entries in @p moves
 * @param res    out: the plan's loads before and after
 * @return moves made (0: balanced already), or -1 while a move is in
 *         progress or the plan failed.
 */
int sl_rxq_balance_now(struct sl_datapath *dp, uint64_t now_ms,
		       struct sl_rxq_move *moves, unsigned int max,
		       struct sl_rebalance_result *res);

/**
 * Whether queues are between their old and new workers (a move waits for
 * the old worker's miss records): ports are not added or removed then.
 * @param dp the runtime
 * @return true while a move is in progress.
 */
bool sl_rxq_balance_busy(const struct sl_datapath *dp);

/**
 * Give the rx queues of port @p idx, added at run time, to workers: each to
 * the worker of the port's NUMA socket (else of any socket) that polls the
 * fewest queues. The new lists are published; the caller's next grace
 * period (sl_datapath_sync) makes the replaced ones spare again. Nothing
 * changes on failure. Not while sl_rxq_balance_busy().
 * @param dp  the runtime
 * @param idx the port's index, dp->ports[idx] set
 * @return 0, or -1 when a worker would poll more than SL_WORKER_MAX_RXQ queues.
 */
int sl_rxq_balance_add_port(struct sl_datapath *dp, unsigned int idx);

/**
 * Take the rx queues of port @p idx off their workers (the lists are
 * published; after the caller's next grace period no worker polls them,
 * nor holds a packet from them). Not while sl_rxq_balance_busy().
 * @param dp  the runtime
 * @param idx the port's index
 */
void sl_rxq_balance_remove_port(struct sl_datapath *dp, unsigned int idx);

/**
 * Move the rx queues of port @p idx that workers of another socket poll to
 * the least loaded workers of the port's socket (its guest's memory moved
 * there: sl_vhost_numa.h), as a rebalance moves queues: off the old
 * workers, a grace period, the old workers' miss records back, onto the new
 * ones (finished by sl_rxq_balance_run() when records are still out). One
 * log line per queue. Not while sl_rxq_balance_busy().
 * @param dp     the runtime (workers running)
 * @param idx    the port's index
 * @param now_ms monotonic time in ms
 * @return queues moved (0: none: all local already, or no worker on that
 *         socket), or -1 when they would not fit (SL_WORKER_MAX_RXQ) or a
 *         move is in progress.
 */
int sl_rxq_balance_follow(struct sl_datapath *dp, unsigned int idx, uint64_t now_ms);

/**
 * A queue's load in the last interval, in hundredths of a percent of one
 * CPU's cycles (the TSC's rate).
 * @param dp   the runtime
 * @param port port index
 * @param q    rx queue id
 * @return the load (0 before the first interval).
 */
unsigned int sl_rxq_balance_load_bp(const struct sl_datapath *dp, unsigned int port,
				    unsigned int q);

/**
 * Hundredths of a percent that @p cycles are of the last interval.
 * @param dp     the runtime
 * @param cycles cycles in the last interval
 * @return the share (0 before the first interval).
 */
unsigned int sl_rxq_balance_bp(const struct sl_datapath *dp, uint64_t cycles);

#ifdef __cplusplus
}
#endif
#endif /* SL_RXQ_BALANCE_H */
