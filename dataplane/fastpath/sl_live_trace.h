/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_LIVE_TRACE_H
#define SL_LIVE_TRACE_H

/**
 * @file
 * Live trace (`sluicectl trace --live PORT N`): the next N packets that
 * arrive on a port are marked, and for each the fast path reports what it
 * did: how it was classified (whole burst by port, EMC, megaflow, a miss
 * translated on the worker or by the miss handler, a miss dropped), its
 * datapath actions, and where it went (the output ports it was queued to,
 * the controller) or why it was dropped.
 *
 * Cost when no trace is armed: one relaxed load of the port's budget and a
 * predictable branch per rx burst (sl_fastpath_process), and one test of
 * the mbuf's flags per packet coming back from the miss handler (a slow
 * path already). While armed, a worker claims packets from the budget with
 * an atomic compare-and-swap once per burst (several workers may poll one
 * port's queues), marks them with a dynamic mbuf flag (so that a miss sent
 * to the handler is reported when it comes back), runs them through a copy
 * of the executor's hooks that records the outputs, and puts one record per
 * packet on a multi-producer ring to the control lcore; a full ring drops
 * the record and counts it (lost), never the packet.
 *
 * What it does not see: drops after the output was queued (tx queue full,
 * MTU, port down at the tx burst) are counted by `sluicectl drops` but the
 * record says "queued"; outputs of a recirculated pass are not listed.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_ring.h>

#include "sl_flow_key.h"
#include "sl_port.h"
#include "sl_xlate.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_LIVE_TRACE_MAX 64     /**< packets one live trace follows at most */
#define SL_LIVE_TRACE_ACTS 16    /**< datapath actions a record keeps */
#define SL_LIVE_TRACE_OUTS 8     /**< output ports a record keeps */
#define SL_LIVE_TRACE_RING 256   /**< records in flight to the control lcore */

/** How a traced packet was classified. */
enum sl_live_trace_path {
	SL_LT_PORT_BURST,   /**< whole burst classified by in port */
	SL_LT_EMC,          /**< exact-match cache hit */
	SL_LT_MEGAFLOW,     /**< megaflow cache hit */
	SL_LT_REVALIDATED,  /**< stale megaflow entry translated again */
	SL_LT_TRANSLATED,   /**< miss, translated on the worker */
	SL_LT_HANDLER,      /**< miss, translated by the miss handler */
	SL_LT_MISS_DROPPED, /**< miss, dropped before any translation */
	SL_LT_N
};

/** What the fast path did with one traced packet. */
struct sl_live_trace_rec {
	struct sl_flow_key key;   /**< the packet as parsed */
	uint32_t len;             /**< its length in bytes */
	uint32_t outs[SL_LIVE_TRACE_OUTS]; /**< OpenFlow ports it was output to (FLOOD...) */
	uint16_t in_idx;          /**< the port it came in on (dp->ports[]) */
	uint16_t lcore;           /**< the worker that ran it */
	uint8_t path;             /**< enum sl_live_trace_path */
	uint8_t n_outs;           /**< outputs, possibly more than kept in outs */
	uint8_t to_controller;    /**< packet-ins queued */
	/** 0: not dropped; else 1 + the reason's index in sl_drop_names */
	uint8_t drop_reason;
	uint8_t n_acts;           /**< datapath actions (kept: at most SL_LIVE_TRACE_ACTS) */
	uint8_t pad[3];           /**< to a multiple of 4 bytes (ring elements) */
	struct sl_exec_action acts[SL_LIVE_TRACE_ACTS]; /**< its datapath actions */
};

/** The live trace's state: one per process, as the datapath is. */
struct sl_live_trace {
	/** packets still to mark, per port index: 0 when not tracing */
	uint32_t budget[SL_MAX_PORTS];
	/** ol_flags bit of marked packets (0 until the first trace) */
	uint64_t flag;
	/** records from the workers (multi-producer, the control lcore reads) */
	struct rte_ring *ring;
	/** records lost: the ring was full */
	uint64_t lost;
};

/** The state the workers and the `trace --live` command share. */
extern struct sl_live_trace sl_live_trace;

/**
 * Is port @p in_idx being traced? The only test a burst pays while not.
 * @param in_idx the port index
 * @return true while its budget is not 0.
 */
static inline bool
sl_live_trace_armed(uint16_t in_idx)
{
	return unlikely(__atomic_load_n(&sl_live_trace.budget[in_idx], __ATOMIC_RELAXED) != 0);
}

/**
 * Take up to @p n packets from port @p in_idx's budget (workers may share a
 * port: compare-and-swap).
 * @param in_idx the port index
 * @param n      packets in the burst
 * @return how many of the burst's first packets to trace.
 */
uint16_t sl_live_trace_claim(uint16_t in_idx, uint16_t n);

/**
 * Queue a record to the control lcore; count it lost when the ring is full.
 * @param rec the record
 */
void sl_live_trace_emit(const struct sl_live_trace_rec *rec);

/**
 * Arm a trace of the next @p n packets of port @p in_idx (control lcore):
 * sets up the ring and the mbuf flag the first time, drops records of an
 * earlier trace, and disarms every other port.
 * @param in_idx the port index
 * @param n      packets, 1 to SL_LIVE_TRACE_MAX
 * @return 0, or -1 when the ring or the flag cannot be had.
 */
int sl_live_trace_arm(uint16_t in_idx, uint32_t n);

/**
 * Disarm every port (control lcore). Records already made stay in the ring.
 */
void sl_live_trace_disarm(void);

/**
 * Take records off the ring (control lcore).
 * @param recs out: the records
 * @param max  room in @p recs
 * @return how many were taken.
 */
unsigned int sl_live_trace_collect(struct sl_live_trace_rec *recs, unsigned int max);

#ifdef __cplusplus
}
#endif
#endif /* SL_LIVE_TRACE_H */
