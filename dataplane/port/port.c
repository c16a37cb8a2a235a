/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "sl_port.h"
#include "sl_tunnel_dp.h"

struct sl_port *
sl_port_open(const struct sl_port_params *params, unsigned int n_workers,
	     struct rte_mempool *const *pools, char *err, size_t errlen)
{
	switch (params->type) {
	case SL_PORT_ETHDEV:
		return sl_port_ethdev_open(params, n_workers, pools, err, errlen);
	case SL_PORT_VHOST:
		return sl_port_vhost_open(params, n_workers, pools, err, errlen);
	case SL_PORT_AFPACKET:
		return sl_port_afpacket_open(params, n_workers, pools, err, errlen);
	case SL_PORT_TUNNEL: /* no device: frames of its underlay (dataplane/tunnel) */
		(void)pools;
		return sl_port_tunnel_open(params, n_workers, err, errlen);
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

void
sl_port_identify(struct sl_port *p)
{
	struct rte_ether_addr ea;
	struct timespec ts;

	if (p->params.type == SL_PORT_ETHDEV && rte_eth_macaddr_get(p->port_id, &ea) == 0) {
		memcpy(p->mac, ea.addr_bytes, 6);
	} else if (p->params.type != SL_PORT_AFPACKET) { /* afpacket: its interface's */
		uint8_t mac[6] = { 0x02, 0x51, (uint8_t)(p->params.ofport >> 24),
				   (uint8_t)(p->params.ofport >> 16),
				   (uint8_t)(p->params.ofport >> 8), (uint8_t)p->params.ofport };

		memcpy(p->mac, mac, 6);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	p->created_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
