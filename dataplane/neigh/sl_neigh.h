/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_NEIGH_H
#define SL_NEIGH_H

/**
 * @file
 * Underlay neighbours: the next hop's MAC address for tunnel (VXLAN)
 * frames, resolved by ARP (IPv4) and neighbour discovery (IPv6) on the
 * underlay port, or given statically by the configuration ([neighbours]).
 *
 * Threads (dataplane/neigh/README.md, "Decisions"):
 * - Workers read (sl_neigh_lookup: an rte_hash with lock-free read-write
 *   concurrency whose data word is the MAC itself), park encapsulated
 *   packets whose next hop is unknown (sl_neigh_park) and hand ARP / ND
 *   frames for the local VTEP addresses to the control lcore
 *   (sl_neigh_input), through one bounded single-producer ring per worker;
 *   a full ring drops and counts. They never block and allocate nothing.
 * - The control lcore owns the table (sl_neigh_run): it answers ARP
 *   requests and neighbour solicitations for the local addresses, asks for
 *   wanted next hops with retries and back-off, learns from replies, ages
 *   entries and refreshes those in use, and sends or drops parked packets.
 *   Frames it sends go out through a worker's tx queue: a per-worker ring
 *   the worker drains at the start of each iteration
 *   (sl_neigh_worker_drain), as packet-outs do; no tx queue is shared.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include "sl_ctl_wake.h"
#include "sl_ip_addr.h" /* struct sl_ip_addr, shared with dataplane/tunnel */

#ifdef __cplusplus
extern "C" {
#endif

struct sl_neigh_table; /**< one per datapath: dp->neigh */
struct sl_worker;

/** Largest number of neighbour entries (dynamic and static) per table. */
#define SL_NEIGH_MAX 1024
/** Largest number of local VTEP addresses per table. */
#define SL_NEIGH_MAX_LOCAL 64

/** Settings of a table ([switch] neighbour_* keys, sl_config.h). */
struct sl_neigh_params {
	unsigned int n_workers;     /**< producers of the rings (worker indexes 0..n-1) */
	int socket;                 /**< NUMA socket for the table and rings */
	struct rte_mempool *pool;   /**< where the control lcore takes mbufs for ARP / ND */
	struct rte_rcu_qsbr *qsbr;  /**< the workers' QSBR (hash key slots reused after a grace period); NULL: freed at once (no concurrent reader: tests) */
	uint32_t timeout_ms;        /**< a learned entry lives this long without confirmation (default 300000) */
	uint32_t retry_ms;          /**< first retry of an unanswered request; doubles each time (default 1000) */
	uint32_t retries;           /**< requests before a neighbour is given up (default 3) */
	uint32_t queue_len;         /**< parked packets per unresolved neighbour (default 16) */
	uint32_t ring_size;         /**< per-worker ring to the control lcore, power of 2 (default 256) */
	struct sl_ctl_wake *wake;   /**< kicked after a worker queues work (NULL: none) */
	/** dp->workers: the workers' side of a frame's fate is counted in their
	 *  acct (sl_drops.h); NULL: only in the table's own counters (tests) */
	struct sl_worker *const *workers;
};

/**
 * Default settings (the fields above); n_workers, socket, pool, qsbr, wake
 * and workers 0 / NULL.
 * @param p out: the settings
 */
void sl_neigh_params_default(struct sl_neigh_params *p);

/**
 * Create a table. Control lcore, before the workers start.
 * @param name unique name (hash and rings are named after it)
 * @param p    settings
 * @return the table, or NULL (rte_errno set).
 */
struct sl_neigh_table *sl_neigh_create(const char *name, const struct sl_neigh_params *p);

/**
 * Free a table, its parked packets and the frames queued either way.
 * After the workers stop. NULL is fine.
 * @param t the table
 */
void sl_neigh_free(struct sl_neigh_table *t);

/* ---- workers ---- */

/**
 * The next hop's MAC address on an underlay port: lock-free, safe on any
 * worker while the control lcore changes the table.
 * @param t    the table
 * @param port underlay port slot (index in dp->ports)
 * @param ip   the next hop's address
 * @param mac  out: its MAC when resolved
 * @return 0 with @p mac filled when resolved; -ENOENT when not (yet) known.
 */
int sl_neigh_lookup(const struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
		    struct rte_ether_addr *mac);

/**
 * Park an encapsulated packet whose next hop is unresolved. Takes
 * ownership: the packet is queued for the control lcore, which asks for the
 * next hop and sends it (outer Ethernet destination filled in) once
 * resolved, or drops and counts it (queue per neighbour full, resolution
 * failed). The ring to the control lcore full: freed and counted in the
 * table (drop_ring_full). Never blocks. The caller counts the packet's
 * fate on the worker as handed to the control lcore (to_controller).
 * The first segment's first 6 bytes (the outer Ethernet destination) must
 * be writable: the encapsulation's own header segment, not a shared one.
 * @param t      the table
 * @param worker the calling worker's index
 * @param port   underlay port slot to send it on
 * @param ip     the next hop's address
 * @param m      the packet, starting with its outer Ethernet header
 */
void sl_neigh_park(struct sl_neigh_table *t, unsigned int worker, uint16_t port,
		   const struct sl_ip_addr *ip, struct rte_mbuf *m);

/**
 * Take an underlay port's ARP / IPv6 neighbour discovery frames that
 * concern the local VTEP addresses of @p port: ARP requests and replies
 * whose target is a local address, neighbour solicitations for one and
 * advertisements to one are taken (true) and handed to the control lcore.
 * Gratuitous ARP and unsolicited advertisements of a resolved neighbour
 * are handed over as an extra reference (the caller keeps the frame: false)
 * so that the switch also forwards them. Reads at most the first 86 bytes,
 * through chained segments; allocates nothing.
 * @param t      the table
 * @param worker the calling worker's index
 * @param port   the port slot the frame came in on
 * @param m      the frame
 * @return true when the frame was taken (queued, or dropped and counted
 *         when the ring is full): the caller must forget it, whose fate is
 *         counted here (to_controller or the neigh_ring_full drop of
 *         @p port, sl_drops.h); false: not ours, go on with it.
 */
bool sl_neigh_input(struct sl_neigh_table *t, unsigned int worker, uint16_t port, struct rte_mbuf *m);

/**
 * Frames the control lcore wants sent (ARP / ND answers and requests,
 * packets whose next hop was resolved): the worker dequeues them at the
 * start of an iteration and sends each on its port as a packet-out.
 * @param t      the table
 * @param worker the calling worker's index
 * @param pkts   out: frames
 * @param ports  out: the port slot of each
 * @param max    room in @p pkts and @p ports
 * @return how many were dequeued (the caller owns them).
 */
unsigned int sl_neigh_worker_drain(struct sl_neigh_table *t, unsigned int worker,
				   struct rte_mbuf **pkts, uint16_t *ports, unsigned int max);

/* ---- control lcore ---- */

/**
 * Add a local VTEP address: answered for by ARP / NA on @p port with
 * @p mac, and the source of the requests sent there.
 * @param t    the table
 * @param port underlay port slot
 * @param ip   the local address
 * @param mac  the underlay port's MAC
 * @return 0; -EEXIST (already there: nothing changed); -ENOSPC; -EINVAL (no family).
 */
int sl_neigh_local_add(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
		       const struct rte_ether_addr *mac);

/**
 * Remove a local VTEP address (a tunnel port deleted).
 * @param t    the table
 * @param port underlay port slot
 * @param ip   the local address
 * @return 0, or -ENOENT.
 */
int sl_neigh_local_del(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip);

/**
 * Add a static entry: resolved at once, never aged, never replaced by
 * what the underlay says. @p port UINT16_MAX: on every port (an entry
 * without `@PORT` in the configuration).
 * @param t    the table
 * @param port underlay port slot, or UINT16_MAX for any
 * @param ip   the neighbour's address
 * @param mac  its MAC
 * @return 0; -ENOSPC; -EINVAL (multicast MAC or address).
 */
int sl_neigh_static_add(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
			const struct rte_ether_addr *mac);

/**
 * Put back an entry learned elsewhere (the state of the process before:
 * a hand-over or a restart), as if confirmed @p age_ms ago: resolved at
 * once, aged and refreshed as any learned entry. A static entry of that
 * address stays; one as old as the timeout is not put back.
 * @param t      the table
 * @param port   underlay port slot
 * @param ip     the neighbour's address
 * @param mac    its MAC
 * @param age_ms since it was last confirmed
 * @param now_ms the clock of sl_neigh_run
 * @return 0; -ENOSPC; -EINVAL (bad address or MAC); -ETIMEDOUT (too old).
 */
int sl_neigh_learned_add(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
			 const struct rte_ether_addr *mac, uint32_t age_ms, uint64_t now_ms);

/**
 * Start resolving a next hop before any packet needs it (a tunnel port
 * with a fixed remote): asked for now and kept fresh while it exists.
 * @param t    the table
 * @param port underlay port slot
 * @param ip   the next hop
 * @param want true: keep it resolved; false: it is no longer needed
 * @return 0; -ENOSPC.
 */
int sl_neigh_want(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip, bool want);

/**
 * The control lcore's work: take what workers queued, answer, learn, send
 * parked packets, retry, age. Call every control loop iteration; cheap
 * when there is nothing to do.
 * @param t      the table
 * @param now_ms a monotonic clock in milliseconds
 * @return how many items it handled (0: idle).
 */
unsigned int sl_neigh_run(struct sl_neigh_table *t, uint64_t now_ms);

/**
 * Whether a worker queued something for the control lcore (it must not
 * sleep; sl_ctl_wake.h).
 * @param t the table
 * @return true if a ring to the control lcore is not empty.
 */
bool sl_neigh_pending(const struct sl_neigh_table *t);

/** Counters of a table (control lcore's own, plus the workers' summed). */
struct sl_neigh_stats {
	uint64_t entries;          /**< entries now, any state */
	uint64_t resolved;         /**< of which resolved (dynamic and static) */
	uint64_t requests_sent;    /**< ARP requests and neighbour solicitations sent */
	uint64_t replies_sent;     /**< ARP replies and neighbour advertisements sent */
	uint64_t learned;          /**< entries resolved or updated from the underlay */
	uint64_t aged;             /**< entries expired */
	uint64_t failed;           /**< resolutions given up after the retries */
	uint64_t parked;           /**< parked packets the control lcore took */
	uint64_t parked_sent;      /**< parked packets sent once resolved */
	uint64_t drop_queue_full;  /**< parked packets dropped: the neighbour's queue full */
	uint64_t drop_unresolved;  /**< parked packets dropped: resolution failed */
	uint64_t drop_ring_full;   /**< worker -> control lcore ring full (parked or input) */
	uint64_t drop_tx_ring_full; /**< control lcore -> worker ring full */
	uint64_t drop_no_memory;   /**< no mbuf for an answer or a request */
	uint64_t drop_table_full;  /**< parked packets of a neighbour with no entry free */
	uint64_t bad_input;        /**< ARP / ND frames refused (malformed, wrong checksum, hop limit) */
	uint64_t input;            /**< ARP / ND frames the control lcore looked at */
	uint64_t input_taken;      /**< frames workers took (sl_neigh_input true) */
	uint64_t input_shared;     /**< gratuitous frames workers handed over by reference */
	uint64_t no_local;         /**< requests not sent: no local address of that family on the port */
};

/**
 * Read the counters.
 * @param t   the table
 * @param out the counters
 */
void sl_neigh_stats_get(const struct sl_neigh_table *t, struct sl_neigh_stats *out);

/** One entry, as sl_neigh_walk reports it. */
struct sl_neigh_entry_info {
	uint16_t port;             /**< port slot; UINT16_MAX: static on any port */
	struct sl_ip_addr ip;      /**< the neighbour */
	struct rte_ether_addr mac; /**< its MAC (zero while unresolved) */
	const char *state;         /**< "static", "reachable", "refreshing", "resolving", "failed" */
	uint64_t age_ms;           /**< since last confirmed (or asked, while resolving) */
	uint32_t parked;           /**< packets waiting for it */
	uint32_t tries;            /**< requests sent since last confirmed */
	bool wanted;               /**< kept resolved (sl_neigh_want) */
};

/**
 * Call @p fn for each entry, in slot order. Control lcore.
 * @param t      the table
 * @param now_ms the clock of sl_neigh_run
 * @param fn     called per entry; returning nonzero stops the walk
 * @param arg    passed to @p fn
 */
void sl_neigh_walk(const struct sl_neigh_table *t, uint64_t now_ms,
		   int (*fn)(const struct sl_neigh_entry_info *e, void *arg), void *arg);

#ifdef __cplusplus
}
#endif
#endif /* SL_NEIGH_H */
