/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_PORT_H
#define SL_PORT_H

/**
 * @file
 * One port interface for every kind of port Sluice switches between.
 *
 * A port is an ethdev (PCI NIC, SR-IOV VF, or a vdev such as net_tap,
 * net_pcap, net_ring, net_memif, net_af_packet, net_null), a vhost-user
 * socket served through rte_vhost directly, or a kernel interface through
 * PACKET_MMAP rings of our own (port_afpacket.c). Workers only see the burst
 * functions in struct sl_port_ops, so the fast path never branches on the
 * port kind.
 *
 * Threading: rx_burst on (port, rxq) is called by exactly one worker (the
 * one the queue is assigned to). tx_burst on (port, txq) is called by the
 * worker that owns txq; when a port has fewer tx queues than workers,
 * tx_lock_needed is set and workers share queues under the per-queue lock.
 * Everything else (open, start, stop, close, stats, link) runs on the
 * control lcore.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "openflow.h" /* OFPPC_*: the port config bits the datapath honours */
#include "sl_port_hotplug.h" /* struct sl_hotplug */
#include "sl_tunnel.h" /* struct sl_tunnel_params */

#ifdef __cplusplus
extern "C" {
#endif

/** Size of sl_port_params.name, NUL included. */
#define SL_PORT_NAME_MAX 64
/** Size of sl_port_params.args (devargs or socket path), NUL included. */
#define SL_PORT_ARGS_MAX 512
/** Most rx or tx queues (vhost: queue pairs) one port uses. */
#define SL_PORT_MAX_QUEUES 16
/** vhost-user tx_retries when the configuration gives none (OVS's default). */
#define SL_PORT_TX_RETRIES_DEFAULT 8
/** Upper bound on ports: well above RTE_MAX_ETHPORTS (32 in Debian). */
#define SL_MAX_PORTS 256

/** The device asked to be reset (RTE_ETH_EVENT_INTR_RESET). */
#define SL_PORT_EV_RESET 1u
/** The device was removed (RTE_ETH_EVENT_INTR_RMV). */
#define SL_PORT_EV_REMOVED 2u

/** What kind of device backs a port. */
enum sl_port_type {
	SL_PORT_ETHDEV = 0, /**< any ethdev probed from devargs or a PCI address */
	SL_PORT_VHOST,      /**< vhost-user through rte_vhost */
	SL_PORT_AFPACKET,   /**< a kernel interface through PACKET_MMAP rings */
	/** a tunnel, VXLAN or Geneve (tnl.proto): no device, frames of its underlay (sl_tunnel.h) */
	SL_PORT_TUNNEL,
};

/**
 * The name of a port type, as the configuration spells it.
 * @param t the type
 * @return "dpdk", "vhost-user", "afpacket" or "vxlan"
 */
static inline const char *
sl_port_type_name(enum sl_port_type t)
{
	return t == SL_PORT_VHOST ? "vhost-user" : t == SL_PORT_AFPACKET ? "afpacket"
	       : t == SL_PORT_TUNNEL ? "vxlan" : "dpdk";
}

/** Parameters a port is created from (filled by the config layer). */
struct sl_port_params {
	char name[SL_PORT_NAME_MAX]; /**< unique port name, e.g. "vm1" */
	enum sl_port_type type;      /**< what kind of device backs it */
	/** ethdev: devargs ("net_tap0,iface=sl0", "0000:03:00.0").
	 *  vhost: unix socket path. afpacket: the interface name. */
	char args[SL_PORT_ARGS_MAX];
	uint32_t ofport;    /**< OpenFlow port number, 1..0xffffff00 */
	uint16_t n_rxq;     /**< requested rx queues (0 = 1) */
	uint16_t n_txq;     /**< requested tx queues (0 = one per worker) */
	/** rx and tx descriptor ring sizes (0 = default) @{ */
	uint16_t rxd, txd;
	/** @} */
	bool vhost_server;  /**< vhost: we create the socket (QEMU connects) */
	uint16_t mtu;       /**< 0 = device default */
	struct sl_tunnel_params tnl; /**< type vxlan (or geneve): its tunnel settings */
	/** vhost: offer the guest checksum and TSO offloads (sl_tx_offload.h) */
	bool offloads;
	/** vhost: enqueue attempts after a partial one into a full guest ring */
	uint8_t tx_retries;
};

/**
 * The name of a port's type as the configuration spells it: as
 * sl_port_type_name(), but a tunnel port's by its protocol.
 * @param pp the port's parameters
 * @return "dpdk", "vhost-user", "afpacket", "vxlan" or "geneve"
 */
static inline const char *
sl_port_params_type_name(const struct sl_port_params *pp)
{
	return pp->type == SL_PORT_TUNNEL && pp->tnl.proto == SL_TNL_PROTO_GENEVE
	       ? "geneve" : sl_port_type_name(pp->type);
}

/** Counters of one port, as seen by the switch. */
struct sl_port_stats {
	/** received: packets, bytes, packets dropped, receive errors @{ */
	uint64_t rx_packets, rx_bytes, rx_dropped, rx_errors;
	/** @} */
	/** sent: packets, bytes, packets dropped, transmit errors @{ */
	uint64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
	/** @} */
};

/** Counters of one rx queue of a port, as its device counts them (RSS
 *  spreads a port's frames over its rx queues). */
struct sl_port_rxq_stats {
	uint64_t packets; /**< frames the queue received */
	uint64_t bytes;   /**< their bytes */
	/** frames the device dropped on this queue (ring full, no buffer);
	 *  UINT64_MAX: the device does not count drops per queue */
	uint64_t dropped;
};

struct sl_port;

/** Per-kind operations. Burst functions are the only ones on the fast path. */
struct sl_port_ops {
	/** Receive up to @p n packets from rx queue @p q. No syscalls, no locks. */
	uint16_t (*rx_burst)(struct sl_port *p, uint16_t q,
			     struct rte_mbuf **pkts, uint16_t n);
	/** Transmit up to @p n packets on tx queue @p q; returns how many the
	 *  device took; the caller frees the rest. */
	uint16_t (*tx_burst)(struct sl_port *p, uint16_t q,
			     struct rte_mbuf **pkts, uint16_t n);
	/** Start the device (after queues are set up). 0 or -errno. */
	int (*start)(struct sl_port *p);
	/** Stop the device: no burst call may follow until start. */
	void (*stop)(struct sl_port *p);
	/** Release everything the port holds (device, sockets). */
	void (*close)(struct sl_port *p);
	/** Current link state (true = up). Control lcore only. */
	bool (*link_up)(struct sl_port *p);
	/** Device counters; 0 or -errno. Control lcore only. */
	int (*stats_get)(struct sl_port *p, struct sl_port_stats *st);
	/** Counters of rx queue @p q; 0, -ENOTSUP when the device does not
	 *  count per queue, or -errno. Control lcore only. NULL: none. */
	int (*rxq_stats_get)(struct sl_port *p, uint16_t q, struct sl_port_rxq_stats *st);
	/** Reset the device after it asked for one (a VF whose PF reset it),
	 *  set its queues up again and start it: 0, or -errno (the port is then
	 *  left stopped). NULL: the kind cannot be reset. Control lcore, with no
	 *  worker in the port's queues. */
	int (*reset)(struct sl_port *p);
	/** Check and fix up @p n packets for the device's offloads before
	 *  tx_burst (rte_eth_tx_prepare); returns how many from the start are
	 *  fit to send. NULL: every packet is. */
	uint16_t (*tx_prepare)(struct sl_port *p, uint16_t q,
			       struct rte_mbuf **pkts, uint16_t n);
	/** Periodic upkeep of a started port (once a second, with the link
	 *  poll). Control lcore. NULL: none needed. */
	void (*upkeep)(struct sl_port *p);
	/** Let go of a device that was removed (hot unplug): close it and take
	 *  it off its bus, so that the kernel can finish removing it; the port
	 *  stays, stopped, until reattach(). Control lcore, with no worker in
	 *  the port. NULL: the kind has no removable device. */
	void (*detach)(struct sl_port *p);
	/** Probe the port's device again from its devargs after detach() and
	 *  set its queues up as at open (not started): 0; -ENODEV while the
	 *  device is not back; -EAGAIN while it is back but not yet bound to a
	 *  driver DPDK can use; another
	 *  -errno when it is back but refused. @p err says why. Control lcore. */
	int (*reattach)(struct sl_port *p, char *err, size_t errlen);
};

/** A port. Allocated by sl_port_open(); owned by the port table. */
struct sl_port {
	struct sl_port_params params; /**< what it was opened with */
	const struct sl_port_ops *ops; /**< its kind's operations */
	uint16_t port_id;   /**< ethdev port id (SL_PORT_ETHDEV only) */
	int vid;            /**< vhost device id, -1 when no guest (SL_PORT_VHOST) */
	int socket_id;      /**< NUMA socket of the device (SOCKET_ID_ANY -> 0) */
	uint16_t n_rxq;     /**< rx queues actually configured */
	uint16_t n_txq;     /**< tx queues actually configured */
	/** true when fewer tx queues than workers: tx_lock[q] guards queue q. */
	bool tx_lock_needed;
	rte_spinlock_t tx_lock[SL_PORT_MAX_QUEUES]; /**< per tx queue (tx_lock_needed) */
	bool started;       /**< started and not stopped since */
	bool link;          /**< last link state seen by the control lcore */
	/** SL_PORT_EV_* the device raised (set from DPDK's interrupt thread,
	 *  taken by the control lcore: sl_datapath_poll_links()) */
	uint32_t events;
	/** the device is gone (hot unplug): down until it comes back */
	bool removed;
	/** its device removed and coming back (sl_port_hotplug.h); control lcore */
	struct sl_hotplug hp;
	/** being deleted (sl_datapath_port_del): no longer found by its ofport,
	 *  though workers may still hold its index until the next grace period */
	bool deleting;
	void *priv;         /**< kind-specific state */
	uint8_t mac[6];     /**< Ethernet address reported over OpenFlow */
	/** OFPPC_* bits set by port-mod (PORT_DOWN, NO_RECV, NO_FWD,
	 *  NO_PACKET_IN); read by workers on every burst (sl_port_config()),
	 *  written by control. */
	volatile uint32_t of_config;
	/** the configuration a committed bundle gives the port from tables
	 *  version config_switch on (sl_port_config()); of_config otherwise */
	volatile uint32_t of_config_next;
	/** 0, or the tables version from which of_config_next applies */
	uint64_t config_switch;
	uint64_t created_ns; /**< CLOCK_MONOTONIC at open, for OpenFlow durations */
	/** Longest frame the port may be handed: its MTU plus an Ethernet
	 *  header and two VLAN tags (sl_port_max_frame()). Longer ones are
	 *  dropped before the driver sees them (sl_worker_tx.h). */
	uint32_t max_frame;
	/** Most segments the device takes in one frame (tx_desc_lim.nb_seg_max). */
	uint16_t max_segs;
	/** Offload requests the device takes as they are (SL_TX_OL_* of
	 *  sl_tx_offload.h; a vhost port: what its guest negotiated), written
	 *  by the control side, read by workers at each tx burst. */
	uint32_t tx_ol;
};

/**
 * The longest frame a port of MTU @p mtu may send: MTU plus an Ethernet
 * header and two VLAN tags (802.1ad + 802.1Q), as NICs count their maximum
 * frame size (without the FCS).
 * @param mtu the port's MTU
 * @return bytes
 */
static inline uint32_t
sl_port_max_frame(uint32_t mtu)
{
	return mtu + 14 + 2 * 4;
}

/**
 * The OFPPC_* configuration of @p p for packets of an iteration at tables
 * version @p version: one load and one compare per burst. A bundle's
 * port-mods are staged in of_config_next with the tables version its
 * commit publishes (sl_datapath_port_stage_config()), so a packet forwarded
 * by the old rules meets the old configuration and one forwarded by the
 * new rules the new one (lib/pipeline/txn.c, "One switch instant").
 * @param p       the port
 * @param version the tables version the caller's iteration read (0: none)
 * @return OFPPC_* bits
 */
static inline uint32_t
sl_port_config(const struct sl_port *p, uint64_t version)
{
	/* config_switch 0 (none) wraps to the largest value: never reached */
	return __atomic_load_n(&p->config_switch, __ATOMIC_ACQUIRE) - 1 < version ?
		       p->of_config_next : p->of_config;
}

/**
 * Open a port of any kind and set up its queues (not started).
 *
 * @param params   what to open
 * @param n_workers number of worker lcores (sizes tx queues)
 * @param pools    one mempool per NUMA socket, indexed by socket id
 *                 (entries may be NULL for sockets without workers)
 * @param err      on failure, receives a human-readable reason that
 *                 includes the device's own error
 * @param errlen   size of @p err
 * @return the port, or NULL on failure (nothing is left allocated).
 */
struct sl_port *sl_port_open(const struct sl_port_params *params,
			     unsigned int n_workers,
			     struct rte_mempool *const *pools,
			     char *err, size_t errlen);

/**
 * Open an ethdev port (see sl_port_open()).
 * @param params    what to open (type SL_PORT_ETHDEV)
 * @param n_workers number of worker lcores (sizes tx queues)
 * @param pools     one mempool per NUMA socket, indexed by socket id
 * @param err       on failure, receives a human-readable reason
 * @param errlen    size of @p err
 * @return the port, or NULL on failure.
 */
struct sl_port *sl_port_ethdev_open(const struct sl_port_params *params,
				    unsigned int n_workers,
				    struct rte_mempool *const *pools,
				    char *err, size_t errlen);

/**
 * Open a vhost-user port (see sl_port_open()).
 * @param params    what to open (type SL_PORT_VHOST)
 * @param n_workers number of worker lcores (sizes tx queues)
 * @param pools     one mempool per NUMA socket, indexed by socket id
 * @param err       on failure, receives a human-readable reason
 * @param errlen    size of @p err
 * @return the port, or NULL on failure.
 */
struct sl_port *sl_port_vhost_open(const struct sl_port_params *params,
				   unsigned int n_workers,
				   struct rte_mempool *const *pools,
				   char *err, size_t errlen);

/**
 * Fill in what OpenFlow reports of a port beside its parameters: its MAC
 * address (the device's; a vhost-user port, which has none, gets a locally
 * administered one made from its ofport, the same across restarts) and its
 * creation time (port stats' durations).
 * @param p the port, just opened
 */
void sl_port_identify(struct sl_port *p);

/**
 * Open an af_packet port on a kernel interface (see sl_port_open()).
 * @param params    what to open (type SL_PORT_AFPACKET; args: the interface)
 * @param n_workers number of worker lcores (one tx queue each)
 * @param pools     one mempool per NUMA socket, indexed by socket id
 * @param err       on failure, receives a human-readable reason
 * @param errlen    size of @p err
 * @return the port, or NULL on failure.
 */
struct sl_port *sl_port_afpacket_open(const struct sl_port_params *params,
				      unsigned int n_workers,
				      struct rte_mempool *const *pools,
				      char *err, size_t errlen);

/**
 * Stop (if started) and close a port, freeing it.
 * @param p  the port; NULL is a no-op
 */
void sl_port_destroy(struct sl_port *p);

/**
 * Transmit on queue @p q, taking the queue lock when the port shares tx
 * queues between workers. Frees nothing.
 * @param p     the port
 * @param q     tx queue
 * @param pkts  the packets
 * @param n     number of entries in @p pkts
 * @return how many packets the device took (the first ones); the caller
 *         frees the rest.
 */
static inline uint16_t
sl_port_tx(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent;

	if (!p->tx_lock_needed)
		return p->ops->tx_burst(p, q, pkts, n);
	rte_spinlock_lock(&p->tx_lock[q]);
	sent = p->ops->tx_burst(p, q, pkts, n);
	rte_spinlock_unlock(&p->tx_lock[q]);
	return sent;
}

/**
 * Receive from rx queue @p q.
 * @param p     the port
 * @param q     rx queue
 * @param pkts  receives the packets
 * @param n     room in @p pkts
 * @return the number of packets received.
 */
static inline uint16_t
sl_port_rx(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	return p->ops->rx_burst(p, q, pkts, n);
}

#ifdef __cplusplus
}
#endif
#endif /* SL_PORT_H */
