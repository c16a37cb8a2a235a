/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_MISS_HANDLER_H
#define SL_MISS_HANDLER_H

/**
 * @file
 * Miss handling on another thread ("handler" mode, [switch] miss_handling).
 *
 * A worker in handler mode does not translate its misses: it takes a record
 * from its channel's pool, fills it with the packet and its parsed key, and
 * enqueues it on the channel's to-handler ring. A handler (sluiced: the control
 * lcore's loop; tests and the benchmark: a pthread that is an RCU reader of
 * the workers' QSBR) translates the key with sl_xlate, compiles the actions
 * handle and returns the record on the to-worker ring. The worker, at the
 * start of its next iteration, installs the megaflow (only the worker writes
 * its caches) and executes the packet.
 *
 * Rule liveness: a handle's rules are alive while the handler translates
 * (it reports no quiescent state across a burst) and as long as the worker
 * is in an iteration that started at the handle's version. A worker whose
 * version differs from the record's translates the packet again itself and
 * never reads the handle (its rules may be freed).
 *
 * No allocation per packet: the records are a fixed pool per channel whose
 * free list only the worker touches; both rings hold the whole pool, so the
 * handler never finds the to-worker ring full. An empty pool (the handler is
 * behind) drops the packet and counts it: the worker never waits, unless
 * the fast path spills (below).
 *
 * Spill ([switch] handler_spill, on by default): when the pool is empty the
 * handler is behind, typically because the control lcore shares its core
 * (a 2-core host). Rather than drop the miss, the worker may translate it
 * itself, within its per-iteration miss budget, as inline mode does. That
 * must not reorder a flow: a packet whose flow (exact key) still has a
 * record out at the handler would overtake it. The channel therefore
 * counts its records out per flow hash slot (sl_miss_flow_out); a miss
 * whose slot is busy is dropped as before (a hash collision only makes
 * that more cautious).
 *
 * Parking: until its megaflow is installed, every packet of a new flow
 * misses. Rather than send each as a record of its own (the handler would
 * translate the same key again and again, and a fast flow could take the
 * whole pool), the worker parks a miss behind the newest record of exactly
 * its flow that is still out, up to SL_MISS_PARK packets per record and
 * SL_MISS_PARKED_MAX per channel (the mbufs held stay bounded); they run
 * right after that record's packet, with its translation, in arrival order. Only
 * the worker touches the parked packets (the handler never reads them), so
 * a record may take them while the handler has it.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "sl_datapath.h"
#include "sl_flow_key.h"
#include "sl_flow_parse.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Records per channel (packets in flight between a worker and the handler). */
#define SL_MISS_RECORDS 1024

/** Flow hash slots counting the records out per flow (see Spill above). */
#define SL_MISS_FLOW_SLOTS 16384

/** Packets a record can hold parked behind its own (see Parking above). */
#define SL_MISS_PARK 15

/** Packets parked per channel at most: with the records, a worker's misses
 *  hold at most 1.5 x SL_MISS_RECORDS mbufs, whatever one flow sends (the
 *  default pool, mbufs_per_socket = 16384, is shared by every worker and rx
 *  ring of the socket). */
#define SL_MISS_PARKED_MAX (SL_MISS_RECORDS / 2)

/** One missed packet on its way to the handler and back. */
struct sl_miss_rec {
	struct rte_mbuf *m;          /**< the missed packet */
	void *handle;                /**< compiled actions (handler), NULL if none */
	/** A handle the worker is done with, handed back with the record: the
	 *  handler compiles the next translation into it or frees it, so that
	 *  handles are freed by the thread that allocates them (fastpath.c,
	 *  drain_returns). NULL if none. */
	void *spare;
	uint64_t version;            /**< tables version of the translation */
	uint8_t n_learn;             /**< the worker reports `learn` (NORMAL) */
	struct sl_xlate_learn learn; /**< what NORMAL wants learned (see n_learn) */
	struct sl_flow_key key;      /**< the packet's flow key */
	struct sl_flow_key mask;     /**< megaflow mask of the translation */
	struct sl_pkt_layout lay;    /**< the packet's header offsets */
	uint16_t flow_slot;          /**< its key's slot in sl_miss_channel.flow_out */
	uint8_t n_park;              /**< packets parked behind this one (worker only) */
	struct rte_mbuf *park_m[SL_MISS_PARK];        /**< in arrival order */
	struct sl_pkt_layout park_lay[SL_MISS_PARK]; /**< their header offsets */
};

/** Per-worker channel: a record pool and the to-handler and to-worker rings. */
struct sl_miss_channel {
	struct rte_ring *to_handler;  /**< worker -> handler (SP/SC) */
	struct rte_ring *to_worker;   /**< handler -> worker (SP/SC) */
	struct sl_miss_rec *recs;  /**< the pool */
	struct sl_miss_rec **free_list; /**< worker-only stack */
	unsigned int n_free;         /**< written by the worker only (relaxed atomics: others may read) */
	unsigned int n_pending;      /**< records queued by sl_miss_send, not yet on the ring */
	struct sl_miss_rec *pending[SL_BURST]; /**< those records */
	/** records out per flow hash slot (worker only) */
	uint16_t flow_out[SL_MISS_FLOW_SLOTS];
	/** the newest record out per flow hash slot, NULL if none (worker only) */
	struct sl_miss_rec *flow_rec[SL_MISS_FLOW_SLOTS];
	/** packets parked behind one record at most: SL_MISS_PARK (0: no
	 *  parking; tests that need one record per miss) */
	unsigned int park_max;
	unsigned int n_parked;       /**< packets parked now, all records (worker only) */
	/** kicked after records go on the ring (NULL: nobody sleeps on it) */
	struct sl_ctl_wake *wake;
};

/** Handler-side counters. */
struct sl_miss_handler_stats {
	uint64_t translations;       /**< sl_xlate calls by the handler */
	/** records answered with the previous record's translation (same key,
	 *  same tables version: a new flow's packets queued before its megaflow) */
	uint64_t reused;
	uint64_t compile_failures;   /**< out of memory: the worker translates */
	uint64_t bursts;             /**< non-empty dequeues from a to-handler ring */
};

/** A handler: its scratch translation result and counters. */
struct sl_miss_handler {
	struct sl_datapath *dp;      /**< whose pipeline and workers it serves */
	struct sl_xlate_result *xr;  /**< scratch translation result */
	struct sl_miss_handler_stats stats; /**< counters (handler thread writes) */
};

/**
 * Create the channel of worker @p idx on @p socket.
 * @param idx    worker index (names the rings)
 * @param socket NUMA socket to allocate on (< 0: any)
 * @return the channel, or NULL on failure.
 */
struct sl_miss_channel *sl_miss_channel_create(unsigned int idx, int socket);

/**
 * Free a channel, the packets and handles still in it. Neither the worker
 * nor a handler may be using it.
 * @param u the channel
 */
void sl_miss_channel_destroy(struct sl_miss_channel *u);

/**
 * Worker: queue missed packet @p m (consumed either way) with its key, the
 * key's hash slot (sl_miss_flow_slot) and layout. Records reach the handler in
 * one ring operation per burst: at sl_miss_flush(), or when SL_BURST of
 * them are pending.
 * @param u    the worker's channel
 * @param slot sl_miss_flow_slot(key)
 * @param m    the packet
 * @param key  its flow key
 * @param lay  its header offsets
 * @return 0, or -1 when the pool is empty (the packet was freed).
 */
int sl_miss_send(struct sl_miss_channel *u, uint16_t slot, struct rte_mbuf *m,
		   const struct sl_flow_key *key, const struct sl_pkt_layout *lay);

/**
 * Worker: hand the records queued by sl_miss_send() to the handler.
 * @param u the worker's channel
 */
void sl_miss_flush(struct sl_miss_channel *u);

/**
 * Worker: dequeue up to @p max translated records.
 * @param u    the worker's channel
 * @param recs out: the records
 * @param max  entries at @p recs
 * @return the number dequeued.
 */
static inline unsigned int
sl_miss_answers(struct sl_miss_channel *u, struct sl_miss_rec **recs, unsigned int max)
{
	return rte_ring_sc_dequeue_burst(u->to_worker, (void **)recs, max, NULL);
}

/**
 * Flow hash slot of @p key (the whole exact key: one flow).
 * @param key the flow key
 * @return the slot, < SL_MISS_FLOW_SLOTS.
 */
static inline uint16_t
sl_miss_flow_slot(const struct sl_flow_key *key)
{
	return (uint16_t)(sl_flow_hash(key, 0) & (SL_MISS_FLOW_SLOTS - 1));
}

/**
 * Worker: is the record pool empty?
 * @param u the worker's channel
 * @return true when the pool is empty (sl_miss_send would drop).
 */
static inline bool
sl_miss_full(const struct sl_miss_channel *u)
{
	return u->n_free == 0;
}

/**
 * Worker: may a record of a flow in hash slot @p slot be out at the
 * handler? (False means none is: a packet of the flow may then be
 * translated by the worker without overtaking an earlier one.)
 * @param u    the worker's channel
 * @param slot a flow hash slot (sl_miss_flow_slot)
 * @return true if a record of the slot is out.
 */
static inline bool
sl_miss_flow_out(const struct sl_miss_channel *u, uint16_t slot)
{
	return u->flow_out[slot] != 0;
}

/**
 * Worker: park @p m, a miss of @p key's flow (hash slot @p slot), behind the
 * newest record of exactly that flow still out (see Parking).
 * @param u    the worker's channel
 * @param slot sl_miss_flow_slot(key)
 * @param m    the packet
 * @param key  its flow key
 * @param lay  its header offsets
 * @return 0 if parked, -1 if no such record is out or it is full: the caller
 *         then sends the packet as a record of its own, spills or drops it.
 */
static inline int
sl_miss_park(struct sl_miss_channel *u, uint16_t slot, struct rte_mbuf *m,
	       const struct sl_flow_key *key, const struct sl_pkt_layout *lay)
{
	struct sl_miss_rec *r = u->flow_rec[slot];

	if (r == NULL || r->n_park >= u->park_max || u->n_parked >= SL_MISS_PARKED_MAX ||
	    memcmp(&r->key, key, sizeof(*key)) != 0)
		return -1;
	r->park_m[r->n_park] = m;
	r->park_lay[r->n_park] = *lay;
	r->n_park++;
	u->n_parked++;
	return 0;
}

/** Worker: give a record (its packets, parked ones too, and handle already
 *  consumed) back.
 *  @param u the worker's channel
 *  @param r the record */
static inline void
sl_miss_recycle(struct sl_miss_channel *u, struct sl_miss_rec *r)
{
	unsigned int n = u->n_free;

	if (u->flow_rec[r->flow_slot] == r)
		u->flow_rec[r->flow_slot] = NULL;
	u->n_parked -= r->n_park;
	r->n_park = 0;
	u->flow_out[r->flow_slot]--;
	u->free_list[n] = r;
	__atomic_store_n(&u->n_free, n + 1, __ATOMIC_RELAXED);
}

/**
 * Records out (at the handler or waiting on the to-worker ring). Exact on the
 * worker; another thread reads a recent value (tests wait for 0).
 * @param u the worker's channel
 * @return the count.
 */
static inline unsigned int
sl_miss_in_flight(const struct sl_miss_channel *u)
{
	return SL_MISS_RECORDS - __atomic_load_n(&u->n_free, __ATOMIC_RELAXED);
}

/**
 * Create a handler for @p dp's pipeline.
 * @param dp the datapath
 * @return the handler, or NULL on failure.
 */
struct sl_miss_handler *sl_miss_handler_create(struct sl_datapath *dp);

/**
 * Free a handler.
 * @param h the handler
 */
void sl_miss_handler_destroy(struct sl_miss_handler *h);

/**
 * Handler: translate up to @p max miss records of channel @p u and send them
 * back. Call from an RCU read-side section of the workers' QSBR (or from the
 * control lcore, which frees rules itself) and report quiescence only
 * between calls.
 * @param h   the handler
 * @param u   a worker's channel
 * @param max most records to handle
 * @return the number of records handled.
 */
unsigned int sl_miss_handle(struct sl_miss_handler *h, struct sl_miss_channel *u,
			      unsigned int max);

/**
 * Handler: sl_miss_handle() on the channel of every worker of the
 * datapath (sluiced's control loop).
 * @param h   the handler
 * @param max most records to handle per channel
 * @return the records handled.
 */
unsigned int sl_miss_handle_all(struct sl_miss_handler *h, unsigned int max);

/**
 * A handler thread's loop (tests; a dedicated lcore): registers as the QSBR
 * reader SL_QSBR_HANDLER_ID, runs sl_miss_handle_all() with a quiescent
 * report after each pass until *@p stop, then goes offline and unregisters.
 * @param h    the handler
 * @param stop set by another thread to end the loop
 */
void sl_miss_handler_loop(struct sl_miss_handler *h, const volatile bool *stop);

/**
 * Compile a translation into a fast-path actions handle (fastpath_handle.c): into
 * @p spare (a handle given back, or NULL) when it is large enough, else into
 * a new block, @p spare being freed.
 * @param dp    the datapath
 * @param r     the translation
 * @param spare a handle to reuse, or NULL
 * @return the handle, or NULL if out of memory.
 */
void *sl_fastpath_handle_compile(const struct sl_datapath *dp, const struct sl_xlate_result *r,
				 void *spare);

#ifdef __cplusplus
}
#endif
#endif /* SL_MISS_HANDLER_H */
