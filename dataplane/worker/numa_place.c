/* SPDX-License-Identifier: BSD-3-Clause */
/* A vhost-user port's socket from its guest's memory (sl_numa_place.h). */
#include <stddef.h>

#include "sl_numa_place.h"

int
sl_numa_pick_socket(int guest_node, const bool *has_workers, int n_sockets,
		    sl_numa_distance_fn distance, int current)
{
	int best = -1, best_d = 0;

	if (guest_node < 0)
		return current; /* rte_vhost could not tell */
	if (guest_node < n_sockets && has_workers[guest_node])
		return guest_node;
	if (distance == NULL)
		return current;
	for (int s = 0; s < n_sockets; s++) {
		int d;

		if (!has_workers[s])
			continue;
		d = distance(guest_node, s);
		if (d <= 0)
			continue; /* unknown: no basis to move */
		if (best < 0 || d < best_d) {
			best = s;
			best_d = d;
		}
	}
	return best >= 0 ? best : current;
}
