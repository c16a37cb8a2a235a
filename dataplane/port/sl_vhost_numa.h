/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_VHOST_NUMA_H
#define SL_VHOST_NUMA_H

/**
 * @file
 * A vhost-user port follows its guest's memory (issue 20): when a guest
 * (re)connects, the socket of its memory (rte_vhost_get_numa_node) picks the
 * port's rx mbuf pool through sl_numa_pick_socket(), with libnuma's
 * distances for a socket that has no workers. The port's socket_id changes
 * with it, which is what the rx queue placement reads.
 */

#include <stdint.h>

#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Choose the pool for a guest that just became a running device, and log
 * the choice (one line: guest node, socket chosen, previous socket).
 * @param vid     the vhost device
 * @param name    the port's name (for the log)
 * @param pools   one pool per socket (SL_MAX_SOCKETS entries, dp->pools; a
 *                socket without workers borrows another's)
 * @param current the socket the port uses now
 * @param pool    out: the pool to use
 * @return the socket chosen.
 */
int sl_vhost_numa_place(int vid, const char *name, struct rte_mempool *const *pools,
			int current, struct rte_mempool **pool);

struct sl_datapath;

/**
 * Give a vhost-user port's rx queues to workers of its socket when its
 * guest came back on another one (sl_vhost_numa_place() moved the port's
 * socket_id): each queue polled by a worker of another socket moves, as
 * the balancer moves queues (sl_rxq_balance_follow: off the old worker, a
 * grace period while the packets wait in the guest's ring, onto the least
 * loaded worker of the new socket). Nothing when they are there already or
 * that socket has no worker; the next call retries while the balancer
 * moves queues of its own. Control lcore, once a second
 * (sl_datapath_poll_links).
 * @param dp     the runtime, started
 * @param idx    the port's index (a vhost-user port)
 * @param now_ms monotonic time in ms
 */
void sl_vhost_numa_follow(struct sl_datapath *dp, unsigned int idx, uint64_t now_ms);

#ifdef __cplusplus
}
#endif
#endif /* SL_VHOST_NUMA_H */
