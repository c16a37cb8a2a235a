/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_FASTPATH_H
#define SL_FASTPATH_H

/**
 * @file
 * The OpenFlow fast path of one worker: parse a burst into flow keys, look
 * them up in the EMC then the megaflow cache, translate the misses through
 * the pipeline (bounded per iteration), and execute the cached datapath
 * actions, crediting rules, group buckets and meters.
 *
 * Cache transparency and barrier truth rest on one rule: a megaflow entry
 * is used only if it was (re)validated at the pipeline version this worker
 * read at the start of the iteration. A hit on an older entry re-translates
 * that packet first ("lazy revalidation"): only entries that traffic still
 * uses pay, so a flow-mod costs nothing for idle entries, and no entry built
 * from older rules forwards a packet once the worker has seen the new
 * version. The control lcore bumps the version, then waits for an RCU grace
 * period (every worker finished the iteration it was in) before it answers
 * a barrier or frees removed rules.
 *
 * A cache hit credits its megaflow entry only; the entry's counts reach
 * its rules and tables when the worker pushes it: before it reports
 * quiescent after a grace period began, when it runs out of packets, and
 * every SL_FASTPATH_PUSH_MS (dataplane/fastpath/fastpath_stats.c has the why and the
 * proof that no push reaches a freed rule). So rule and table counters are
 * exact once traffic stops, and after any grace period (a barrier).
 * Group bucket counters are credited when a packet is forwarded.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_datapath.h"
#include "sl_emc.h"
#include "sl_execute.h"
#include "sl_flow_key.h"
#include "sl_flow_parse.h"
#include "sl_megaflow.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Per-worker fast-path counters; written by the worker, read by control. */
struct sl_fastpath_stats {
	uint64_t packets;       /**< packets classified */
	uint64_t emc_hits;      /**< packets found in the EMC */
	uint64_t megaflow_hits; /**< packets found in the megaflow cache */
	uint64_t misses;        /**< packets that needed a translation */
	uint64_t translations;  /**< sl_xlate calls (misses + revalidations) */
	uint64_t revalidations; /**< stale entries re-translated on a hit */
	uint64_t reval_kept;    /**< ... whose mask and actions did not change */
	uint64_t reval_skipped; /**< stale entries kept without translating: the change
				     log proved no change since reached them */
	/** stale entries used as they were because only MAC learning changed
	 *  since (no OpenFlow state) and the miss budget was spent: revalidated
	 *  on a later hit */
	uint64_t reval_deferred;
	uint64_t install_failures; /**< cache full or out of memory (packet still forwarded) */
	uint64_t xlate_cycles;  /**< cycles spent translating */
	uint64_t evictions;     /**< idle megaflows evicted */
	uint64_t lookup_cycles; /**< cycles in parse + EMC + megaflow lookup */
	uint64_t recirculations; /**< packets parsed and looked up again (SL_EXEC_RECIRC) */
	uint64_t handler_sent;       /**< handler mode: misses sent to the handler */
	/** handler mode: misses translated by the worker because no record was
	 *  free (spill; also in translations) */
	uint64_t handler_spills;
	/** handler mode: misses parked behind a record of their flow (not
	 *  records of their own; run when that record comes back) */
	uint64_t handler_parked;
	uint64_t handler_returns;     /**< handler mode: translated misses installed and run */
	uint64_t stale_returns; /**< ... translated at another version: translated again */
	/** packets classified a whole burst at a time, without parsing, because
	 *  no cached mask looks past the in port (also in megaflow_hits) */
	uint64_t port_burst_hits;
	/** packets looked up without the EMC because it did not pay (the EMC
	 *  gate: its measured cost above the megaflow lookups it saved) */
	uint64_t emc_bypassed;
	/** pushes of the entries' counts to their rules and tables begun
	 *  (lazy crediting: sl_fastpath_end) */
	uint64_t stats_pushes;
};

/**
 * Cycles a packet spent being classified (parse, EMC, megaflow lookup),
 * averaged over the packets classified one by one: whole-burst port
 * classification (port_burst_hits) is not timed.
 * @param f a worker's counters
 * @return the average, 0 before any packet.
 */
static inline uint64_t
sl_fastpath_lookup_cycles_per_packet(const struct sl_fastpath_stats *f)
{
	uint64_t n = f->packets - f->port_burst_hits;

	return n ? f->lookup_cycles / n : 0;
}

/** Longest a busy worker keeps a cache entry's counts from its rules. */
#define SL_FASTPATH_PUSH_MS 100

/** Recirculations one packet may go through (deeper ones are dropped and counted). */
#define SL_RECIRC_MAX_DEPTH 4

/** Tunables (0 = default). */
struct sl_fastpath_config {
	uint32_t miss_budget;     /**< translations per iteration [64] */
	uint32_t max_megaflows;   /**< per-worker megaflow cap [65536] */
	uint32_t emc_entries;     /**< EMC slots [8192] */
	uint32_t emc_inv_prob;    /**< EMC insert probability 1/N [100] */
	bool emc_off;             /**< no EMC at all (megaflow cache only) */
	/** never classify a burst by its in port alone (benchmarks, A/B tests) */
	bool port_burst_off;
	/** consult the EMC on every burst, even when it does not pay (tests
	 *  that exercise the EMC; benchmarks of it) */
	bool emc_ungated;
	uint32_t idle_ms;         /**< megaflow idle eviction [10000] */
	/** Handler mode (sl_miss_handler.h): misses go to this channel instead of
	 *  being translated inline; NULL = inline. Owned by the caller. */
	struct sl_miss_channel *miss_channel;
	/** handler mode: drop misses when the handler is behind instead of
	 *  translating them within miss_budget (sl_miss_handler.h, Spill) */
	bool no_spill;
};

struct sl_fastpath;

/**
 * Create the fast path of worker @p w over pipeline @p pl. Call on the
 * worker's socket (memory is allocated there).
 * @param w   the worker
 * @param pl  the pipeline
 * @param cfg tunables
 * @return the fast path, or NULL when out of memory.
 */
struct sl_fastpath *sl_fastpath_create(struct sl_worker *w, struct sl_pipeline *pl,
				       const struct sl_fastpath_config *cfg);

/**
 * Free the caches (no packet may be in flight).
 * @param fp the fast path
 */
void sl_fastpath_destroy(struct sl_fastpath *fp);

/**
 * Start of an iteration: read the pipeline version, evict idle entries
 * a slice at a time and, in handler mode, install and run the misses the
 * handler translated.
 * @param fp      the fast path
 * @param now_tsc the time, in TSC cycles
 */
void sl_fastpath_begin(struct sl_fastpath *fp, uint64_t now_tsc);

/**
 * Classify and execute a burst received on port index @p in_idx. Every
 * mbuf is consumed (queued for tx, sent to the controller, or freed).
 * @param fp     the fast path
 * @param in_idx ingress port index (dp->ports[])
 * @param pkts   the packets
 * @param n      entries in @p pkts
 */
void sl_fastpath_process(struct sl_fastpath *fp, uint16_t in_idx,
			 struct rte_mbuf **pkts, uint16_t n);

/**
 * End of an iteration: push the entries' counts to their rules and tables
 * when it is time (a grace period began, @p idle: the iteration received
 * nothing, or the period is over), a slice per call, then report the
 * worker's quiescent state (rte_rcu_qsbr_quiescent), unless a push is
 * still under way: a removed rule's slot waits for it (fastpath_stats.c).
 * @param fp   the fast path
 * @param idle the iteration received nothing
 * @return true when it reported.
 */
bool sl_fastpath_end(struct sl_fastpath *fp, bool idle);

/**
 * Push every entry's counts to its rules and tables now (a worker that
 * stops; tests that run bursts without the worker loop, before they read
 * rule or table counters).
 * @param fp the fast path
 */
void sl_fastpath_flush_stats(struct sl_fastpath *fp);

/**
 * Run the packet-outs the control lcore queued for this worker (called
 * once per iteration, before the rx bursts).
 * @param fp the fast path
 */
void sl_fastpath_run_injected(struct sl_fastpath *fp);

/**
 * Free packet-outs still queued to a stopped worker.
 * @param w the worker
 */
void sl_fastpath_drop_injected(struct sl_worker *w);

/** The longest frame a packet-out may carry: a 9216-byte jumbo frame, the
 *  largest most NICs take; it is copied into as many mbufs as it needs. */
#define SL_PACKET_OUT_MAX 9216

/**
 * Packet-out (control lcore): translate the @p n_actions OpenFlow @p actions
 * for the packet @p data of @p len bytes as if received on @p in_port, and
 * queue it to a worker, which sends it on its own tx queues.
 * @param dp        the runtime
 * @param in_port   OpenFlow port the packet counts as received on
 * @param actions   the packet-out's actions
 * @param n_actions entries in @p actions
 * @param data      the frame
 * @param len       its length
 * @param err_type  out: OpenFlow error type, when -1 is returned
 * @param err_code  out: OpenFlow error code, when -1 is returned
 * @return 0, or -1 with the error to send in @p err_type and @p err_code:
 *         OFPET_BAD_REQUEST with OFPBRC_BAD_LEN (@p len 0 or above
 *         SL_PACKET_OUT_MAX),
 *         OFPBRC_EPERM (no fast path to run it yet) or OFPBRC_BUFFER_EMPTY
 *         (out of resources).
 */
int sl_fastpath_packet_out(struct sl_datapath *dp, uint32_t in_port,
			   const struct sl_action *actions, unsigned int n_actions,
			   const uint8_t *data, uint32_t len, uint16_t *err_type,
			   uint16_t *err_code);

/**
 * Counters (megaflow/EMC counters via the accessors below).
 * @param fp the fast path
 * @return its counters, live.
 */
const struct sl_fastpath_stats *sl_fastpath_stats(const struct sl_fastpath *fp);
/**
 * Packets this fast path's worker dropped for @p why, every port's row
 * summed. The drop accounting is the one count of each fate: the miss
 * budget, a full miss-handler ring and the recirculation depth have no
 * counter of their own beside it (they had one, counted twice).
 * @param fp  the fast path
 * @param why the reason
 * @return the sum over the worker's accounting slots
 */
uint64_t sl_fastpath_drops(const struct sl_fastpath *fp, enum sl_drop_reason why);
/**
 * Megaflow cache counters.
 * @param fp the fast path
 * @param st out: a copy
 */
void sl_fastpath_megaflow_stats(const struct sl_fastpath *fp, struct sl_megaflow_stats *st);
/**
 * EMC counters.
 * @param fp the fast path
 * @param st out: a copy
 */
void sl_fastpath_emc_stats(const struct sl_fastpath *fp, struct sl_emc_stats *st);
/**
 * Executor counters, summed over the ports its packets came in on (they are
 * kept per port: struct sl_port_acct).
 * @param fp  the fast path
 * @param sum out: the worker's executor counters, a relaxed snapshot
 */
void sl_fastpath_exec_stats(const struct sl_fastpath *fp, struct sl_exec_stats *sum);

/* ------------------------------------------------------------- dumps ---- */

/** Rules, tables and datapath actions a dump copies per megaflow (more
 *  are counted, not copied). @{ */
#define SL_FASTPATH_DUMP_RULES 16
#define SL_FASTPATH_DUMP_ACTIONS 24
/** @} */

/** What a dump shows of a megaflow's actions handle: the `extra` of a
 *  struct sl_megaflow_dump posted with sl_fastpath_dump_post(). */
struct sl_fastpath_dump_entry {
	uint64_t idle_ns;    /**< since the entry's last packet (or its install) */
	uint8_t n_rules;     /**< rules it credits, in pipeline order (all of them) */
	uint8_t n_tables;    /**< tables it looked up; the first n_rules matched */
	uint16_t n_actions;  /**< datapath actions (all of them) */
	/** the rules' counter slots (sl_rule.stats_idx), the first
	 *  SL_FASTPATH_DUMP_RULES */
	uint32_t stats_idx[SL_FASTPATH_DUMP_RULES];
	uint8_t tables[SL_FASTPATH_DUMP_RULES]; /**< the tables, the first ones */
	struct sl_exec_action acts[SL_FASTPATH_DUMP_ACTIONS]; /**< the actions, the first ones */
};

/**
 * Control lcore: ask worker @p fp for a slice of its megaflow cache. The
 * worker answers between two iterations, within 64 of them
 * (sl_fastpath_begin), copying at most d->max entries, each with a struct
 * sl_fastpath_dump_entry in d->extra (d->extra_size must be its size):
 * only the worker may read its cache (sl_megaflow.h, dumps). Wait with
 * sl_megaflow_dump_done(); give up with sl_fastpath_dump_cancel().
 * @param fp the worker's fast path
 * @param d  the request (cursor, max, entries, extra, extra_size)
 * @return false when a request is pending already.
 */
bool sl_fastpath_dump_post(struct sl_fastpath *fp, struct sl_megaflow_dump *d);

/**
 * Control lcore: take back a request the worker has not answered.
 * @param fp the worker's fast path
 * @param d  the request
 * @return true if taken back; false if the worker is answering it (it
 *         finishes within that iteration: wait for sl_megaflow_dump_done()).
 */
bool sl_fastpath_dump_cancel(struct sl_fastpath *fp, struct sl_megaflow_dump *d);

#ifdef __cplusplus
}
#endif
#endif /* SL_FASTPATH_H */
