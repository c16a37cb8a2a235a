/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_REBALANCE_H
#define SL_REBALANCE_H

/**
 * @file
 * Rx queue balancing by measured load: the policy, a pure function of
 * recorded loads (no EAL), so that its unit test replays loads.
 *
 * As OVS's `pmd-rxq-assign=cycles`: queues sorted by load, heaviest first,
 * each to the least loaded worker of its port's NUMA socket (any worker
 * when that socket has none). A tie goes to the queue's current worker, so
 * that a plan moves as few queues as it can. A plan is worth applying only
 * when it lowers the busiest worker's load by more than a threshold: moving
 * a queue costs two grace periods and cold caches on the new worker, and a
 * small gain is within the noise of one interval. The imbalance must also
 * last (sl_rebalance_sustained) so that one burst does not move queues.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sl_sched.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Workers a plan handles at most. */
#define SL_REBALANCE_MAX_WORKERS 128

/** One (port, rx queue) with its measured load. */
struct sl_rebalance_q {
	uint16_t port;   /**< port index */
	uint16_t queue;  /**< rx queue id */
	int socket;      /**< NUMA socket of the port (< 0: any) */
	uint64_t load;   /**< cycles spent on it in the interval */
	int cur;         /**< worker index polling it now */
	int next;        /**< out: worker index the plan gives it */
};

/** When a plan is worth applying. */
struct sl_rebalance_params {
	/** the busiest worker's load must drop by more than this percentage */
	unsigned int threshold_pct;
	/** and be at least this many cycles per interval (an idle switch is
	 *  not rebalanced on noise) */
	uint64_t min_load;
};

/** What a plan changes. */
struct sl_rebalance_result {
	uint64_t cur_max;     /**< busiest worker's load as assigned now */
	uint64_t new_max;     /**< busiest worker's load under the plan */
	unsigned int n_moves; /**< queues whose next != cur */
	bool worth;           /**< the plan passes the params */
};

/**
 * Plan an assignment of @p qs by load.
 * @param qs        the queues; their next is set (== cur when it stays)
 * @param n_q       entries in qs
 * @param workers   workers, by index (their socket)
 * @param n_workers entries in workers (1..SL_REBALANCE_MAX_WORKERS)
 * @param p         when the plan is worth it
 * @param res       out: loads before and after, moves, worth
 * @return 0, or -1 on invalid input (no worker, too many, cur out of range).
 */
int sl_rebalance_plan(struct sl_rebalance_q *qs, unsigned int n_q,
		      const struct sl_sched_worker *workers, unsigned int n_workers,
		      const struct sl_rebalance_params *p,
		      struct sl_rebalance_result *res);

/**
 * Plan the move of one port's rx queues to workers of @p socket, the
 * socket of its guest's memory (sl_vhost_numa.h): each queue of port
 * @p port polled by a worker of another socket goes to the least loaded
 * worker of @p socket (by the loads of @p qs, then by queues polled, then
 * the lowest index), which from then on also carries that queue's load.
 * The other queues stay (next == cur). Nothing moves when @p socket has no
 * worker, nor when a worker would poll more than @p max_per_worker queues.
 * @param qs             every queue, as for sl_rebalance_plan()
 * @param n_q            entries in qs
 * @param workers        workers, by index (their socket)
 * @param n_workers      entries in workers (1..SL_REBALANCE_MAX_WORKERS)
 * @param port           the port whose queues follow
 * @param socket         the socket they go to
 * @param max_per_worker queues one worker polls at most
 * @return queues to move (0: none), or -1 on invalid input or when they do
 *         not fit.
 */
int sl_rebalance_follow(struct sl_rebalance_q *qs, unsigned int n_q,
			const struct sl_sched_worker *workers, unsigned int n_workers,
			uint16_t port, int socket, unsigned int max_per_worker);

/** Hysteresis: how many intervals in a row a plan was worth it. */
struct sl_rebalance_hyst {
	unsigned int streak; /**< consecutive intervals worth rebalancing */
	unsigned int need;   /**< intervals in a row before acting (>= 1) */
};

/**
 * Record one interval's verdict.
 * @param h     the hysteresis state
 * @param worth whether this interval's plan was worth applying
 * @return true when it has been worth it @p h->need intervals in a row
 *         (the streak then starts again from 0).
 */
bool sl_rebalance_sustained(struct sl_rebalance_hyst *h, bool worth);

#ifdef __cplusplus
}
#endif
#endif /* SL_REBALANCE_H */
