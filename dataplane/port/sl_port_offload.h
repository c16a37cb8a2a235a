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
 *
 * Checksum and TSO offloads are asked for only on a port configured with
 * `offloads = yes` (off by default, as OVS's userspace-tso-enable): then
 * the guests' requests (sl_tx_offload.h) that reach the port are handed to
 * the device when it offers what they need, instead of being carried out
 * in software. The three checksums (IPv4 header, TCP, UDP) go together: a
 * TSO frame needs the IPv4 header checksum of every segment and the TCP
 * checksum, a checksum request either L4 one. TSO is asked for only with
 * them. `net_tap` offers TSO but its 22.11 tx refuses a frame whose MSS
 * plus headers exceed the MTU (it leaves the Ethernet header out of the
 * MTU: every full-size segment, 1448 + 66 > 1500) and cuts with rte_gso,
 * which has no TCP/IPv6: its TSO frames stay ours to cut, its checksums are
 * used (sl_port_tx_ol_caps()).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ethdev.h>

#include "sl_tx_offload.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The checksum offloads asked for together (see the file comment). */
#define SL_PORT_TX_CKSUM \
	(RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM)

/**
 * The tx offloads to enable on a device that offers @p capa
 * (rte_eth_dev_info.tx_offload_capa).
 * @param capa     what the device offers
 * @param offloads the port's `offloads = yes`: checksums and TSO too
 * @return the RTE_ETH_TX_OFFLOAD_* bits to set in txmode.offloads
 */
static inline uint64_t
sl_port_tx_offloads(uint64_t capa, bool offloads)
{
	/* Chained mbufs (jumbo frames from vhost, pushed headers) must go out
	 * whole; never MBUF_FAST_FREE. */
	uint64_t want = capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS;

	if (offloads && (capa & SL_PORT_TX_CKSUM) == SL_PORT_TX_CKSUM) {
		want |= SL_PORT_TX_CKSUM;
		want |= capa & RTE_ETH_TX_OFFLOAD_TCP_TSO;
	}
	return want;
}

/**
 * The requests a device takes as they are (struct sl_port.tx_ol), given
 * the offloads enabled on it.
 * @param enabled the RTE_ETH_TX_OFFLOAD_* bits set (sl_port_tx_offloads())
 * @param driver  the device's driver name (rte_eth_dev_info.driver_name)
 * @return SL_TX_OL_* bits, SL_TX_OL_DEV with any; 0 for none
 */
static inline uint32_t
sl_port_tx_ol_caps(uint64_t enabled, const char *driver)
{
	uint32_t caps = 0;

	if ((enabled & SL_PORT_TX_CKSUM) != SL_PORT_TX_CKSUM)
		return 0;
	caps = SL_TX_OL_CSUM | SL_TX_OL_DEV;
	if ((enabled & RTE_ETH_TX_OFFLOAD_TCP_TSO) &&
	    (driver == NULL || strcmp(driver, "net_tap") != 0))
		caps |= SL_TX_OL_TSO4 | SL_TX_OL_TSO6;
	return caps;
}

#ifdef __cplusplus
}
#endif
#endif /* SL_PORT_OFFLOAD_H */
