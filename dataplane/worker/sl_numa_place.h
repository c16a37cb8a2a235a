/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_NUMA_PLACE_H
#define SL_NUMA_PLACE_H

/**
 * @file
 * Where a vhost-user port's packets should live: the NUMA socket whose
 * mbuf pool its rx uses and whose workers poll it, chosen from the socket
 * of the guest's memory (rte_vhost_get_numa_node() once the guest is
 * there, again after each reconnection). rte_vhost copies every packet
 * between guest memory and the mbuf, so a pool and a worker on the guest's
 * socket keep both ends of that copy local; from another socket each
 * packet crosses the interconnect twice.
 *
 * Pure (no EAL): the topology comes in as arguments, so the unit test
 * runs it on fake 2- and 4-socket hosts; sluiced passes libnuma's
 * numa_distance() (docs/tuning.md, "NUMA").
 */

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** NUMA distance between two nodes (libnuma's numa_distance(): 10 for a
 *  node to itself, more farther away, 0 when unknown). */
typedef int (*sl_numa_distance_fn)(int a, int b);

/**
 * The socket a vhost-user port should use.
 *
 * The guest's own socket when workers run there (it then has its own mbuf
 * pool); otherwise the socket with workers nearest to it by @p distance
 * (ties: the lowest); with no guest node, or no distances known, the
 * current socket @p current stays.
 * @param guest_node  socket of the guest's memory; < 0: unknown
 * @param has_workers per socket: whether workers (and a pool) are there
 * @param n_sockets   entries in @p has_workers
 * @param distance    the host's distances; NULL: none known
 * @param current     the socket the port uses now
 * @return the socket to use.
 */
int sl_numa_pick_socket(int guest_node, const bool *has_workers, int n_sockets,
			sl_numa_distance_fn distance, int current);

#ifdef __cplusplus
}
#endif
#endif /* SL_NUMA_PLACE_H */
