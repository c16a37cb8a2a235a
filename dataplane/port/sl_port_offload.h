/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_PORT_OFFLOAD_H
#define SL_PORT_OFFLOAD_H

/**
 * @file
 * Which offloads a port asks of its device: a pure decision from what the
 * device offers, kept apart from the ethdev set-up so that it is tested
 * without a NIC.
 *
 * RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE is never asked for, whatever the device
 * offers. It lets the PMD put transmitted mbufs straight back into their
 * pool, on the promise that every mbuf sent on the queue has refcnt 1, is
 * direct and comes from one pool. Sluice breaks all three: FLOOD, ALL, group
 * buckets and the executor share a packet by raising its refcnt (every
 * segment of a chained one), and the datapath has a pool per NUMA socket
 * (vhost ports allocate from theirs). With the offload, the first port to
 * transmit a shared packet frees it under the others: use-after-free and a
 * corrupted pool.
 */

#include <stdint.h>

#include <rte_ethdev.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The tx offloads to enable on a device that offers @p capa
 * (rte_eth_dev_info.tx_offload_capa).
 * @param capa what the device offers
 * @return the RTE_ETH_TX_OFFLOAD_* bits to set in txmode.offloads
 */
static inline uint64_t
sl_port_tx_offloads(uint64_t capa)
{
	/* Chained mbufs (jumbo frames from vhost, pushed headers) must go out
	 * whole; nothing else is wanted yet, and never MBUF_FAST_FREE. */
	return capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
}

#ifdef __cplusplus
}
#endif
#endif /* SL_PORT_OFFLOAD_H */
