/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_SCHED_H
#define SL_SCHED_H

/**
 * @file
 * Assignment of (port, rx queue) pairs to worker lcores.
 *
 * A queue should be polled by a worker on the port's NUMA socket: the
 * descriptors, the mbufs (from that socket's mempool) and the worker's
 * caches then stay in local memory. When a socket has ports but no worker,
 * its queues go to the workers of other sockets (with a warning), as
 * OVS-DPDK does, because a slow port beats a dead one.
 *
 * Policies are functions of the same type so that a load-aware policy
 * (by measured cycles per queue) can replace round-robin later.
 */

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What the scheduler needs to know of a port. */
struct sl_sched_port {
	int socket;      /**< NUMA socket of the device (< 0: unknown, any) */
	uint16_t n_rxq;  /**< rx queues to assign */
};

/** What the scheduler needs to know of a worker. */
struct sl_sched_worker {
	unsigned int lcore; /**< lcore id (for messages) */
	int socket;         /**< NUMA socket of the lcore */
};

/** Maximum rx queues per port the assignment table holds. */
#define SL_SCHED_MAX_RXQ 16

/**
 * An assignment policy.
 *
 * @param ports     ports, indexed by port index
 * @param n_ports   number of ports
 * @param workers   workers, indexed by worker index
 * @param n_workers number of workers (>= 1)
 * @param assign    out: assign[port * SL_SCHED_MAX_RXQ + q] = worker index
 * @param n_remote  out: queues that had to go to a worker on another socket
 * @return 0, or -1 if the input is invalid (no workers, too many queues).
 */
typedef int (*sl_sched_policy_fn)(const struct sl_sched_port *ports,
				  unsigned int n_ports,
				  const struct sl_sched_worker *workers,
				  unsigned int n_workers, int *assign,
				  unsigned int *n_remote);

/**
 * Round-robin policy: queues in (port, queue) order go to the workers of
 * the port's socket in turn, continuing across ports so that load spreads
 * evenly; ports on a socket without workers spread over all workers.
 * Parameters and return value as for sl_sched_policy_fn.
 * @param ports     ports, indexed by port index
 * @param n_ports   number of ports
 * @param workers   workers, indexed by worker index
 * @param n_workers number of workers (>= 1)
 * @param assign    out: assign[port * SL_SCHED_MAX_RXQ + q] = worker index
 * @param n_remote  out: queues that had to go to a worker on another socket
 * @return 0, or -1 if the input is invalid (no workers, too many queues).
 */
int sl_sched_assign_roundrobin(const struct sl_sched_port *ports,
			       unsigned int n_ports,
			       const struct sl_sched_worker *workers,
			       unsigned int n_workers, int *assign,
			       unsigned int *n_remote);

/**
 * Look a policy up by name.
 * @param name policy name ("roundrobin")
 * @return the policy, or NULL if unknown.
 */
sl_sched_policy_fn sl_sched_policy_by_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif /* SL_SCHED_H */
