/* SPDX-License-Identifier: BSD-3-Clause */
/* Placeholder used only while port_vhost.c is being written. */
#include <stdio.h>
#include "sl_port.h"

struct sl_port *
sl_port_vhost_open(const struct sl_port_params *params, unsigned int n_workers,
		   struct rte_mempool *const *pools, char *err, size_t errlen)
{
	(void)params; (void)n_workers; (void)pools;
	snprintf(err, errlen, "vhost-user ports are not built in");
	return NULL;
}
