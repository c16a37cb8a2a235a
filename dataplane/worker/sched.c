/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "sl_sched.h"

/* Next worker index (round-robin cursor) among those on @socket; -1 when
 * the socket has no worker. The cursor is per socket so that two sockets'
 * ports do not skew each other's rotation. */
static int
next_on_socket(const struct sl_sched_worker *workers, unsigned int n_workers,
	       int socket, unsigned int *cursor)
{
	for (unsigned int tries = 0; tries < n_workers; tries++) {
		unsigned int w = (*cursor)++ % n_workers;

		if (socket < 0 || workers[w].socket == socket)
			return (int)w;
	}
	return -1;
}

int
sl_sched_assign_roundrobin(const struct sl_sched_port *ports, unsigned int n_ports,
			   const struct sl_sched_worker *workers,
			   unsigned int n_workers, int *assign,
			   unsigned int *n_remote)
{
	/* One cursor per socket id seen; sockets are small integers. */
	unsigned int cursor[64], any_cursor = 0;

	if (n_workers == 0)
		return -1;
	memset(cursor, 0, sizeof(cursor));
	*n_remote = 0;
	for (unsigned int p = 0; p < n_ports; p++) {
		int sock = ports[p].socket;

		if (ports[p].n_rxq > SL_SCHED_MAX_RXQ || sock >= 64)
			return -1;
		for (unsigned int q = 0; q < ports[p].n_rxq; q++) {
			int w = -1;

			if (sock >= 0)
				w = next_on_socket(workers, n_workers, sock, &cursor[sock]);
			if (w < 0) {
				w = next_on_socket(workers, n_workers, -1, &any_cursor);
				if (sock >= 0)
					(*n_remote)++;
			}
			assign[p * SL_SCHED_MAX_RXQ + q] = w;
		}
	}
	return 0;
}

sl_sched_policy_fn
sl_sched_policy_by_name(const char *name)
{
	if (strcmp(name, "roundrobin") == 0)
		return sl_sched_assign_roundrobin;
	return NULL;
}
