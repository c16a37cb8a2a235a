/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_DROPS_H
#define SL_DROPS_H

/**
 * @file
 * Where packets go, counted so that they add up: every packet a worker
 * receives (or a packet-out it runs) ends in exactly one of a few fates,
 * each with a counter, per worker and per port (struct sl_port_acct).
 *
 * The identity, exact once traffic stops (docs/drops.md has every drop site):
 *
 *     rx + injected + replicas = tx + to_controller + drops
 *
 * - rx: received from a port by the worker (the device's own rx drops,
 *   rx_dropped in `sluicectl drops`, happen before and are not in it);
 * - injected: packet-outs the worker ran (the "controller" slot);
 * - replicas: the extra references an output made of one packet: a flood to
 *   n ports makes n - 1, and the executor's shares and copies (a copy that
 *   failed counts as made, and as dropped with copy_failed);
 * - tx: taken by an output port's device;
 * - to_controller: packet-ins queued to the control lcore;
 * - drops: every named reason below plus the executor's (sl_exec_stats).
 *
 * A packet is charged to a port by where its fate was decided: ingress-side
 * reasons (table miss, meter, ring to the control lcore full, ...) to the
 * port it came in on, egress-side ones (tx queue full, MTU, port down, ...)
 * to the output port. Packets in flight (in a miss record at the handler,
 * in a tx buffer mid-iteration) are the only difference while traffic runs.
 */

#include <stdint.h>

#include "sl_execute.h"
#include "sl_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The fast path's and the worker's drop reasons (the executor's are in
 *  struct sl_exec_stats). Names and meanings: sl_drop_names[]. */
enum sl_drop_reason {
	SL_DROP_TABLE_MISS,        /**< no rule matched and no table-miss rule */
	SL_DROP_EXPLICIT,          /**< a rule whose actions are empty (drop, clear-actions) */
	SL_DROP_NORMAL,            /**< NORMAL: the destination is behind the ingress port */
	SL_DROP_XLATE_ERROR,       /**< translation failed (too many resubmits, actions...) */
	SL_DROP_FLOOD_NOWHERE,     /**< FLOOD/ALL with no port but the ingress one */
	SL_DROP_NO_OUTPUT,         /**< output to LOCAL, a gone port, no cross-connect */
	SL_DROP_PORT_CONFIG,       /**< received on a port with PORT_DOWN or NO_RECV */
	SL_DROP_PORT_DOWN,         /**< output port stopped, PORT_DOWN or NO_FWD */
	SL_DROP_TX_FULL,           /**< output device's tx queue full */
	SL_DROP_GUEST_RING_FULL,   /**< vhost-user output: guest ring full or no guest */
	SL_DROP_MTU,               /**< longer than the output port's MTU allows */
	SL_DROP_RUNT,              /**< shorter than an Ethernet header */
	SL_DROP_SEGMENTS,          /**< more segments than the output device chains */
	SL_DROP_TX_PREPARE,        /**< refused by the output driver's tx_prepare */
	SL_DROP_PACKET_IN_RING,    /**< packet-in: ring to the control lcore full */
	SL_DROP_NO_PACKET_IN,      /**< packet-in from a port with NO_PACKET_IN */
	SL_DROP_MISS_BUDGET,       /**< new flow over the per-iteration translation budget */
	SL_DROP_MISS_HANDLER,      /**< new flow: no miss record free (ring to handler full) */
	SL_DROP_RECIRC_DEPTH,      /**< recirculated more than SL_RECIRC_MAX_DEPTH times */
	SL_DROP_NO_MEMORY,         /**< no memory for a translation's actions handle */
	SL_DROP_TSO_MALFORMED,     /**< offload request refused: headers that do not add up */
	SL_DROP_GSO_NO_MBUF,       /**< no mbuf to segment or checksum an offloaded frame */
	SL_DROP_NEIGH_RING,        /**< ARP / ND or a parked packet: ring to the control lcore full (sl_neigh.h) */
	SL_DROP_TNL_TRUNCATED,     /**< VXLAN to a local VTEP ending inside its outer headers */
	SL_DROP_TNL_BAD_OUTER,     /**< ... a fragment, a bad IPv4 checksum or inconsistent lengths */
	SL_DROP_TNL_BAD_FLAGS,     /**< ... VXLAN flags other than I alone */
	SL_DROP_TNL_UNKNOWN_REMOTE,/**< ... from a source no tunnel port of that VTEP takes */
	SL_DROP_TNL_UNKNOWN_VNI,   /**< ... with a VNI no tunnel port of that remote takes */
	SL_DROP_TNL_NO_MBUF,       /**< decap / encap needed a head mbuf: pool empty */
	SL_DROP_TNL_TOO_BIG,       /**< encap: the outer packet exceeds the underlay's MTU */
	SL_DROP_TNL_NO_NEIGH,      /**< encap: no neighbour table, or the tunnel is not bound */
	SL_DROP_TNL_NO_REMOTE,     /**< encap, remote_ip = flow: no tun_dst of the port's family */
	SL_DROP_TNL_GENEVE_VERSION,  /**< Geneve to a local VTEP: version other than 0 */
	SL_DROP_TNL_GENEVE_PROTO,    /**< ... protocol type other than Ethernet (0x6558) */
	SL_DROP_TNL_GENEVE_CRITICAL, /**< ... C bit: critical options, not processed (RFC 8926 3.4) */
	SL_DROP_TNL_GENEVE_CONTROL,  /**< ... O bit: a control packet, not a tenant's frame */
	SL_DROP_N                  /**< number of reasons */
};

/** Executor reasons, after the SL_DROP_* ones in the answers. */
enum sl_drop_exec_reason {
	SL_DROP_X_TTL,          /**< sl_exec_stats.ttl_drops */
	SL_DROP_X_METER,        /**< meter_drops */
	SL_DROP_X_COPY,         /**< copy_failures */
	SL_DROP_X_PUSH,         /**< push_failures */
	SL_DROP_X_PULLUP,       /**< pullup_failures */
	SL_DROP_X_UNCONSUMED,   /**< unconsumed */
	SL_DROP_X_N             /**< number of executor reasons */
};

/** All reasons, as the answers list them: SL_DROP_* then SL_DROP_X_*. */
#define SL_DROP_ALL (SL_DROP_N + SL_DROP_X_N)

/** Slot of struct sl_worker.acct for the packet-outs a worker runs (their
 *  in port is the controller's, not one of dp->ports). */
#define SL_ACCT_CONTROLLER SL_MAX_PORTS
/** Slot of struct sl_worker.acct that keeps what deleted ports did once
 *  their slot is reused (sl_acct_retire): the new port counts from 0, the
 *  totals (and so the identity) still hold the old one's packets. */
#define SL_ACCT_RETIRED (SL_MAX_PORTS + 1)
/** Slots of struct sl_worker.acct: one per port index, the controller and
 *  the deleted ports. */
#define SL_ACCT_SLOTS (SL_MAX_PORTS + 2)

/** One port's fates on one worker; written by that worker only. */
struct sl_port_acct {
	uint64_t rx;            /**< received on this port (controller slot: packet-outs run) */
	uint64_t tx;            /**< taken by this port's device */
	uint64_t to_controller; /**< packet-ins queued, of packets received on this port */
	uint64_t replicas;      /**< extra references a flood made (the executor's: exec) */
	uint64_t drops[SL_DROP_N]; /**< by enum sl_drop_reason */
	struct sl_exec_stats exec; /**< the executor's counters for this port's packets */
};

/** A reason's name (as `sluicectl drops` prints it) and meaning. */
struct sl_drop_name {
	const char *name;    /**< e.g. "table_miss" */
	const char *meaning; /**< one line for operators */
};

/** Names of the SL_DROP_ALL reasons, SL_DROP_* first, then SL_DROP_X_*. */
extern const struct sl_drop_name sl_drop_names[SL_DROP_ALL];

/**
 * A port slot's drops by reason, SL_DROP_* then SL_DROP_X_*.
 * @param a   the slot's counters (a snapshot, or the live ones)
 * @param out SL_DROP_ALL counts
 * @return their sum.
 */
uint64_t sl_drop_reasons(const struct sl_port_acct *a, uint64_t out[SL_DROP_ALL]);

/**
 * The extra references the executor and floods made for a slot's packets:
 * the identity's replicas (copies that failed included).
 * @param a the slot's counters
 * @return replicas + shares + copies + copy failures.
 */
static inline uint64_t
sl_acct_replicas(const struct sl_port_acct *a)
{
	return a->replicas + a->exec.shares + a->exec.copies + a->exec.copy_failures;
}

struct sl_worker;

/**
 * Add a worker's counters of one port slot to @p sum (relaxed loads: the
 * worker keeps counting; a snapshot a few packets old).
 * @param w    the worker
 * @param slot port index, or SL_ACCT_CONTROLLER
 * @param sum  in/out: the counters added to
 */
void sl_acct_add(const struct sl_worker *w, unsigned int slot, struct sl_port_acct *sum);

struct sl_worker_stats;

/**
 * A worker's counters, with the drop counters of struct sl_worker_stats
 * (tx_dropped, no_output, pin_drops, port_config_drops, mtu_drops,
 * runt_drops, seg_drops, tx_prepare_drops) summed from its accounting, the
 * one place each drop is counted: tx_dropped is port_down + tx_full +
 * guest_ring_full, pin_drops packet_in_ring_full, the others their reason.
 * @param w   the worker
 * @param out its counters (relaxed loads: a snapshot)
 */
void sl_worker_stats_get(const struct sl_worker *w, struct sl_worker_stats *out);

/**
 * Move a port slot's counters into SL_ACCT_RETIRED and clear them, before a
 * port is added in the slot a deleted one left (sl_datapath_port_add): the
 * new port's rows start from 0. Control lcore, while no worker counts on
 * the slot (the delete's grace periods are over).
 * @param w    a worker
 * @param slot the port index
 */
void sl_acct_retire(struct sl_worker *w, unsigned int slot);

/**
 * Add @p from to @p into, counter by counter, and clear @p from (the same
 * move as sl_acct_retire, for copies such as reset-stats' baselines).
 * @param into the slot that keeps them
 * @param from the slot emptied
 */
void sl_acct_fold(struct sl_port_acct *into, struct sl_port_acct *from);

/** The identity's two sides (sl_drops.h), over any set of slots. */
struct sl_acct_balance {
	uint64_t rx;            /**< received, packet-outs included */
	uint64_t replicas;      /**< extra references made */
	uint64_t tx;            /**< sent */
	uint64_t to_controller; /**< packet-ins queued */
	uint64_t drops;         /**< every named drop */
};

/**
 * Add one slot's counters to a balance.
 * @param a the slot's counters
 * @param b in/out: the balance
 */
void sl_acct_balance_add(const struct sl_port_acct *a, struct sl_acct_balance *b);

#ifdef __cplusplus
}
#endif
#endif /* SL_DROPS_H */
