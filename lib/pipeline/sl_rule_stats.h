/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Rule and table counters kept per worker ("shards"), summed when read.
 *
 * Why: a cache hit must credit every rule it passed through. Adding to a
 * counter inside struct sl_rule means a locked add on a cache line that is
 * cold when flows are many (the rule was last touched by the translation
 * that built the megaflow, maybe seconds ago) and that every worker
 * forwarding through the rule writes: the line bounces between cores. With
 * per-worker slots the add is a plain add on memory only this worker writes,
 * dense (32 bytes per rule) so the slots of the rules in use stay in the
 * worker's caches; the control lcore sums the shards when it reads.
 *
 * Lifetime: a rule gets a slot index when created; the index is given back
 * two RCU grace periods after the rule is removed (the rule itself is
 * unreachable after the first). Workers credit cache hits lazily: a hit
 * counts on its megaflow entry only, and the entry's counts are pushed to its
 * rules' slots later (dataplane/fastpath/fastpath_stats.c), at the latest when the
 * worker next sees a grace period begin, before it reports quiescent. An
 * entry gathers counts for a rule only while the worker's tables version
 * still has the rule (older entries are revalidated first), so everything
 * owed to a removed rule was gathered before the worker's first quiescent
 * report after the removal, and is pushed before its report at the end of
 * the next iteration, which the second grace period waits for. The control
 * side can then zero the slot for the next rule.
 *
 * One writer per shard, one reader (the control lcore): writes and reads are
 * relaxed atomics, so a read sees each 64-bit counter whole. A sum is exact
 * once the workers pushed what they gathered: after a grace period that
 * began after the traffic (barrier), or once they ran out of packets (an
 * idle worker pushes everything).
 */
#ifndef SL_RULE_STATS_H
#define SL_RULE_STATS_H

#include <stdint.h>

#include "sl_action.h"

#define SL_RULE_STATS_PAGE_SHIFT 12 /**< 4096 slots (128 KiB) per page */
#define SL_RULE_STATS_PAGE_SLOTS (1u << SL_RULE_STATS_PAGE_SHIFT) /**< slots per page */
#define SL_RULE_STATS_MAX_PAGES 1024 /**< 4M rules */

/** One rule's counters in one shard. */
struct sl_rule_stats_slot {
	/** packets and bytes credited @{ */
	uint64_t packets, bytes;
	/** @} */
	uint64_t used_ns; /**< last credit, for idle timeouts */
	uint64_t pad;     /**< 32-byte slots: two per cache line */
};

/** One worker's counters. Written by that worker only. */
struct sl_rule_stats_shard {
	/** slot idx is pages[idx >> SL_RULE_STATS_PAGE_SHIFT][idx % page];
	 *  pages are added by the control side, never moved */
	struct sl_rule_stats_slot *pages[SL_RULE_STATS_MAX_PAGES];
	uint64_t table_lookups[SL_N_TABLES]; /**< per table: packets looked up */
	uint64_t table_matched[SL_N_TABLES]; /**< per table: lookups that hit a rule */
};

/** Counters of one rule, summed over shards and the rule's own base. */
struct sl_rule_counts {
	/** packets and bytes @{ */
	uint64_t packets, bytes;
	/** @} */
	uint64_t used_ns; /**< latest use over all shards (0: never) */
};

/**
 * Worker side: credit @p packets / @p bytes to slot @p idx of shard @p s.
 * @param s       the calling worker's shard
 * @param idx     the rule's slot index
 * @param packets packets to add
 * @param bytes   bytes to add
 * @param now_ns  the time, recorded as the rule's last use
 */
static inline void
sl_rule_stats_credit(struct sl_rule_stats_shard *s, uint32_t idx, uint32_t packets,
		     uint32_t bytes, uint64_t now_ns)
{
	struct sl_rule_stats_slot *slot =
		&s->pages[idx >> SL_RULE_STATS_PAGE_SHIFT][idx & (SL_RULE_STATS_PAGE_SLOTS - 1)];

	__atomic_store_n(&slot->packets, slot->packets + packets, __ATOMIC_RELAXED);
	__atomic_store_n(&slot->bytes, slot->bytes + bytes, __ATOMIC_RELAXED);
	__atomic_store_n(&slot->used_ns, now_ns, __ATOMIC_RELAXED);
}

/**
 * Worker side: address of slot @p idx (to prefetch it).
 * @param s   the calling worker's shard
 * @param idx the rule's slot index
 * @return the slot's address.
 */
static inline const void *
sl_rule_stats_slot_addr(const struct sl_rule_stats_shard *s, uint32_t idx)
{
	return &s->pages[idx >> SL_RULE_STATS_PAGE_SHIFT][idx & (SL_RULE_STATS_PAGE_SLOTS - 1)];
}

/**
 * Worker side: credit table lookups (@p matched of them matched a rule).
 * @param s        the calling worker's shard
 * @param table_id the table
 * @param lookups  lookups to add
 * @param matched  how many of them matched a rule
 */
static inline void
sl_rule_stats_credit_table(struct sl_rule_stats_shard *s, uint8_t table_id, uint32_t lookups,
			   uint32_t matched)
{
	__atomic_store_n(&s->table_lookups[table_id], s->table_lookups[table_id] + lookups,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&s->table_matched[table_id], s->table_matched[table_id] + matched,
			 __ATOMIC_RELAXED);
}

#endif /* SL_RULE_STATS_H */
