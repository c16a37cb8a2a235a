/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>

#include <rte_malloc.h>

#include "sl_port.h"

struct sl_port *
sl_port_open(const struct sl_port_params *params, unsigned int n_workers,
	     struct rte_mempool *const *pools, char *err, size_t errlen)
{
	switch (params->type) {
	case SL_PORT_ETHDEV:
		return sl_port_ethdev_open(params, n_workers, pools, err, errlen);
	case SL_PORT_VHOST:
		return sl_port_vhost_open(params, n_workers, pools, err, errlen);
	}
	snprintf(err, errlen, "unknown port type %d", (int)params->type);
	return NULL;
}

void
sl_port_destroy(struct sl_port *p)
{
	if (p == NULL)
		return;
	if (p->started && p->ops->stop)
		p->ops->stop(p);
	p->started = false;
	p->ops->close(p);
	rte_free(p);
}
