/* SPDX-License-Identifier: BSD-3-Clause */
/* A vhost-user port's pool from its guest's memory (sl_vhost_numa.h). */
#include <stdbool.h>

#include <numa.h>
#include <rte_vhost.h>

#include "sl_datapath.h" /* SL_MAX_SOCKETS: entries of the pools array */
#include "sl_log.h"
#include "sl_numa_place.h"
#include "sl_vhost_numa.h"

/* libnuma's distances; none when the kernel has no NUMA support. */
static int
host_distance(int a, int b)
{
	return numa_distance(a, b);
}

int
sl_vhost_numa_place(int vid, const char *name, struct rte_mempool *const *pools, int current,
		    struct rte_mempool **pool)
{
	bool own[SL_MAX_SOCKETS];
	int node = rte_vhost_get_numa_node(vid), s;

	/* a socket has its own pool when workers run there (datapath.c); the
	 * others borrow one, which is no reason to move there */
	for (s = 0; s < SL_MAX_SOCKETS; s++)
		own[s] = pools[s] != NULL && pools[s]->socket_id == s;
	s = sl_numa_pick_socket(node, own, SL_MAX_SOCKETS,
				numa_available() < 0 ? NULL : host_distance, current);
	if (s < 0 || s >= SL_MAX_SOCKETS || pools[s] == NULL)
		s = current;
	*pool = pools[s];
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: guest memory on NUMA node %d: "
	       "rx mbufs from socket %d (was %d)", name, node, s, current);
	return s;
}

void
sl_vhost_numa_follow(struct sl_datapath *dp, unsigned int idx, uint64_t now_ms)
{
	const struct sl_port *p = dp->ports[idx];
	int s = __atomic_load_n(&p->socket_id, __ATOMIC_ACQUIRE);
	bool local = false, away = false;

	/* a look at the assignment, once a second per port; the move is the
	 * balancer's (sl_rxq_balance_follow), and while the balancer moves
	 * queues of its own the next second tries again */
	for (unsigned int w = 0; w < dp->n_workers; w++)
		local |= dp->workers[w]->socket == s;
	for (unsigned int q = 0; q < p->n_rxq; q++)
		away |= dp->workers[dp->assign[idx * SL_SCHED_MAX_RXQ + q]]->socket != s;
	if (!local || !away || sl_rxq_balance_busy(dp))
		return;
	if (sl_rxq_balance_follow(dp, idx, now_ms) < 0)
		SL_LOG(SL_LOG_PORT, SL_LOG_ERR, "sluiced: port %s: no worker of socket %d can "
		       "take its rx queues (each polls %u at most); they stay where they are",
		       p->params.name, s, SL_WORKER_MAX_RXQ);
}
