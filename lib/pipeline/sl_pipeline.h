/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_pipeline.h
 * The OpenFlow 1.3 pipeline state: up to 254 tables of rules, the group table
 * and port liveness, changed by one writer (the control lcore) through
 * flow-mods and group-mods, read concurrently by translation (sl_xlate.h).
 *
 * Every change bumps a tables version (sl_pipeline_version) so caches can
 * revalidate. Unlinked rules/groups are freed after an RCU grace period
 * (sl_rcu.h); the writer calls sl_pipeline_reclaim() from its timer loop.
 */
#ifndef SL_PIPELINE_H
#define SL_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_action.h"
#include "sl_classifier.h"
#include "sl_rule_stats.h"

struct rte_rcu_qsbr;
struct sl_pipeline;
struct sl_rule_stats_pool;

/* Flow-mod flags (OFPFF_*), flow-removed reasons (OFPRR_*) and flow-mod
 * commands (OFPFC_*): openflow.h's, through sl_action.h. */

/** An OpenFlow rule (flow entry). Read-only for readers except the counters. */
struct sl_rule {
	struct sl_cls_rule cr;            /**< match + priority */
	uint8_t table_id;                 /**< the table that holds it */
	uint16_t flags;                   /**< OFPFF_* */
	/** timeouts in seconds (0: none) @{ */
	uint16_t idle_timeout, hard_timeout;
	/** @} */
	uint64_t cookie;                  /**< the controller's opaque id */
	const struct sl_instructions *ins; /**< RCU-published; replaced by MODIFY */
	/** What a translation at a lookup version below ins_version uses
	 *  instead of ins and cookie: a transaction's changes are made at a
	 *  version readers do not look up at yet (sl_pipeline_txn.h). @{ */
	const struct sl_instructions *ins_old;
	uint64_t cookie_old, ins_version;
	/** @} */
	uint64_t created_ns;              /**< set by the writer (sl_flow_mod.now_ns) */
	/* Counters: a base here (control-side credits, e.g. packet-out, and
	 * resets) plus the rule's slot in every worker shard (sl_rule_stats.h).
	 * Read them with sl_rule_get_counts(). */
	uint64_t base_used_ns;            /**< last hit credited by sl_rule_credit */
	/** @{ */
	uint64_t base_packets, base_bytes; /**< atomic, mod 2^64 (see reset) */
	/** @} */
	struct sl_rule_stats_pool *stats_pool; /**< owner of stats_idx; NULL: none */
	uint32_t stats_idx;               /**< slot in each worker shard */
	bool is_table_miss;               /**< priority 0, all wildcards */
	uint8_t txn_flags;                /**< held by an open transaction (sl_pipeline_txn.h) */
};

/**
 * Packets, bytes and last use of @p r: base + all worker shards (any thread).
 * @param r the rule
 * @param c out: the sums
 */
void sl_rule_get_counts(const struct sl_rule *r, struct sl_rule_counts *c);

/**
 * Restart @p r's counters from zero (writer: reset_counts).
 * @param r the rule
 */
void sl_rule_reset_counts(struct sl_rule *r);

/** Credit @p packets / @p bytes to a rule's base counters (atomic; control side,
 *  or any thread that has no shard: workers use sl_rule_stats_credit()).
 *  @param r       the rule
 *  @param packets packets to add
 *  @param bytes   bytes to add
 *  @param now_ns  the time, recorded as the rule's last use */
static inline void
sl_rule_credit(struct sl_rule *r, uint64_t packets, uint64_t bytes, uint64_t now_ns)
{
	__atomic_fetch_add(&r->base_packets, packets, __ATOMIC_RELAXED);
	__atomic_fetch_add(&r->base_bytes, bytes, __ATOMIC_RELAXED);
	__atomic_store_n(&r->base_used_ns, now_ns, __ATOMIC_RELAXED);
}

/** A flow-mod, decoded. Instruction/action arrays are copied by the pipeline. */
struct sl_flow_mod {
	uint8_t command;      /**< OFPFC_* */
	uint8_t table_id;     /**< OFPTT_ALL allowed for deletes */
	uint16_t priority;    /**< the rule's priority (strict commands: must equal) */
	/** timeouts in seconds (0: none) @{ */
	uint16_t idle_timeout, hard_timeout;
	/** @} */
	uint16_t flags;       /**< OFPFF_* */
	/** the new rule's cookie; modify and delete select rules whose cookie
	 *  equals cookie under cookie_mask @{ */
	uint64_t cookie, cookie_mask;
	/** @} */
	/** @{ */
	uint32_t out_port, out_group; /**< delete filters; OFPP_ANY / OFPG_ANY = none */
	/** @} */
	struct sl_match match; /**< the rule's match */
	struct sl_instructions ins; /**< the rule's instructions */
	uint64_t now_ns;      /**< creation time for timeouts */
};

/** Called for every rule a flow-mod/expiry/group-delete removes (before it is deferred). */
typedef void (*sl_rule_removed_cb)(void *ctx, const struct sl_rule *rule, uint8_t reason);

/** Pipeline creation parameters. */
struct sl_pipeline_config {
	struct rte_rcu_qsbr *qsbr;  /**< NULL: the pipeline allocates one (sl_pipeline_qsbr) */
	unsigned int max_readers;   /**< readers for an own QSBR variable (default 64) */
	uint32_t max_rules_per_table; /**< 0: 1,000,000 */
	/** Rules in all tables together; 0: 1,000,000. A rule costs about
	 *  1 KB: without an overall cap, 254 tables of a million rules each
	 *  would let a controller drive the process out of memory. Past it a
	 *  flow-mod ADD fails with OFPFMFC_TABLE_FULL. */
	uint32_t max_rules;
	uint32_t max_groups;        /**< 0: 65536 */
	uint32_t max_recirc;        /**< live recirculation ids; 0: 4096 */
	bool invalid_ttl_to_controller; /**< OFPC_INVALID_TTL_TO_CONTROLLER */
	sl_rule_removed_cb on_removed; /**< told of every rule removed; may be NULL */
	/** If set, a meter instruction naming a meter it says does not exist fails
	 *  with OFPET_METER_MOD_FAILED / OFPMMFC_UNKNOWN_METER (lib/meter owns meters). */
	bool (*meter_exists)(void *ctx, uint32_t meter_id);
	void *cb_ctx;               /**< passed to on_removed and meter_exists */
	unsigned int n_stats_shards; /**< per-worker counter shards (0: 1); sl_rule_stats.h */
	bool unstaged;              /**< disable staged lookup (measurements) */
	bool no_prefix_tracking;    /**< disable IPv4/IPv6 prefix tracking (measurements) */
	uint32_t mac_max_entries;   /**< NORMAL's MAC table size; 0: SL_MAC_DEFAULT_MAX */
	uint32_t mac_aging_s;       /**< MAC aging time; 0: SL_MAC_DEFAULT_AGING_S */
	/** MAC entries one port (OpenFlow port below 65536) may hold; 0: no
	 *  limit. New MACs past it are not learned (sl_mac_stats.limit_refused). */
	uint32_t mac_limit_per_port;
};

/**
 * Create an empty pipeline (all tables empty: table-miss = drop).
 * @param cfg creation parameters
 * @return the pipeline, or NULL on ENOMEM.
 */
struct sl_pipeline *sl_pipeline_create(const struct sl_pipeline_config *cfg);

/**
 * Destroy (no readers may remain).
 * @param pl the pipeline
 */
void sl_pipeline_destroy(struct sl_pipeline *pl);

/**
 * The QSBR variable workers register with.
 * @param pl the pipeline
 * @return sl_pipeline_config.qsbr, or the one the pipeline allocated.
 */
struct rte_rcu_qsbr *sl_pipeline_qsbr(struct sl_pipeline *pl);

/**
 * Tables version: bumped by every change that can alter a translation.
 * @param pl the pipeline
 * @return the current version.
 */
uint64_t sl_pipeline_version(const struct sl_pipeline *pl);

/**
 * Free what readers can no longer see (non-blocking). Writer only.
 * @param pl the pipeline
 * @return the number of objects freed.
 */
unsigned int sl_pipeline_reclaim(struct sl_pipeline *pl);

/**
 * Wait for a grace period and free everything pending (e.g. before a barrier reply).
 * @param pl the pipeline
 */
void sl_pipeline_synchronize(struct sl_pipeline *pl);

/**
 * Apply a flow-mod. Returns 0 or SL_OFPERR(type, code): BAD_MATCH (prereqs),
 * BAD_INSTRUCTION (goto backwards/out of range), BAD_ACTION (validation,
 * unknown group), FLOW_MOD_FAILED (TABLE_FULL, OVERLAP, BAD_TABLE_ID, BAD_COMMAND),
 * METER_MOD_FAILED/UNKNOWN_METER (with sl_pipeline_config.meter_exists).
 * @p n_changed (may be NULL) receives the number of rules added/modified/deleted.
 * @param pl        the pipeline
 * @param fm        the flow-mod
 * @param n_changed out: rules added, modified or deleted; may be NULL
 * @return 0 or SL_OFPERR(type, code), as above.
 */
int sl_pipeline_flow_mod(struct sl_pipeline *pl, const struct sl_flow_mod *fm,
			 unsigned int *n_changed);

/**
 * Remove rules whose idle/hard timeout expired at @p now_ns.
 * @param pl     the pipeline
 * @param now_ns the time, on the clock of sl_flow_mod.now_ns
 * @return how many rules were removed.
 */
unsigned int sl_pipeline_expire(struct sl_pipeline *pl, uint64_t now_ns);

/**
 * Number of rules in table @p table_id.
 * @param pl       the pipeline
 * @param table_id the table
 * @return the count.
 */
uint32_t sl_pipeline_table_count(const struct sl_pipeline *pl, uint8_t table_id);

/**
 * The most rules one table holds (sl_pipeline_config.max_rules_per_table
 * after defaults): table features' max_entries, the base of table vacancy.
 * @param pl the pipeline
 * @return the limit.
 */
uint32_t sl_pipeline_max_rules_per_table(const struct sl_pipeline *pl);

/**
 * Worker @p i's counter shard.
 * @param pl the pipeline
 * @param i  worker index
 * @return the shard (i < n_stats_shards), NULL otherwise.
 */
struct sl_rule_stats_shard *sl_pipeline_stats_shard(struct sl_pipeline *pl, unsigned int i);

/**
 * Per-table lookup/match counters (translation's plus every shard's).
 * @param pl       the pipeline
 * @param table_id the table
 * @param lookups  out: packets looked up in it
 * @param matched  out: lookups that hit a rule
 */
void sl_pipeline_table_stats(const struct sl_pipeline *pl, uint8_t table_id, uint64_t *lookups,
			     uint64_t *matched);

/**
 * The classifier of a table (for iteration by the agent's stats code).
 * @param pl       the pipeline
 * @param table_id the table
 * @return its classifier, or NULL for an id beyond the tables.
 */
const struct sl_classifier *sl_pipeline_table_cls(const struct sl_pipeline *pl, uint8_t table_id);

/**
 * Set a port's liveness (fast-failover watch_port); bumps the version when it changes.
 * @param pl   the pipeline
 * @param port OpenFlow port number
 * @param live whether it is up
 */
void sl_pipeline_set_port_live(struct sl_pipeline *pl, uint32_t port, bool live);

/**
 * A port was added or removed: bump the version so that every cached
 * translation is made again (a cache may hold where a port number leads).
 * @param pl the pipeline
 */
void sl_pipeline_ports_changed(struct sl_pipeline *pl);

/**
 * A port's liveness. Ports never set are live.
 * @param pl   the pipeline
 * @param port OpenFlow port number
 * @return true if live.
 */
bool sl_pipeline_port_live(const struct sl_pipeline *pl, uint32_t port);

/**
 * The switch-wide OFPC_INVALID_TTL_TO_CONTROLLER flag (set-config; starts as
 * sl_pipeline_config.invalid_ttl_to_controller): whether a dec_nw_ttl or
 * dec_mpls_ttl that finds TTL 0 or 1 also sends the packet to the
 * controllers (OFPR_INVALID_TTL) besides dropping it. Translations compile
 * the flag into their DEC_*_TTL actions, so a change bumps the version and
 * cached translations are redone.
 * @param pl the pipeline
 * @param on whether invalid-TTL packets go to the controllers
 */
void sl_pipeline_set_invalid_ttl_to_controller(struct sl_pipeline *pl, bool on);

/**
 * The OFPC_INVALID_TTL_TO_CONTROLLER flag in force (get-config).
 * @param pl the pipeline
 * @return true if invalid-TTL packets go to the controllers.
 */
bool sl_pipeline_invalid_ttl_to_controller(const struct sl_pipeline *pl);

/* ----------------------------------------------------------- groups ---- */

/* Group types (OFPGT_*) and group-mod commands (OFPGC_*): openflow.h's. */

/** A bucket, as given in a group-mod. */
struct sl_bucket {
	uint16_t weight;      /**< share of traffic (select groups) */
	uint32_t watch_port;  /**< OFPP_ANY: none */
	uint32_t watch_group; /**< OFPG_ANY: none */
	uint16_t n_actions;   /**< entries in actions */
	struct sl_action *actions; /**< applied in list order (as OVS does) */
	/** @{ */
	uint64_t n_packets, n_bytes; /**< bucket counters (atomic) */
	/** @} */
};

/** Group-wide counters, kept across group MODIFY. */
struct sl_group_stats {
	/** packets and bytes the group processed (atomic) @{ */
	uint64_t n_packets, n_bytes;
	/** @} */
	uint32_t ref_count; /**< flow entries forwarding to the group (writer) */
	/** bucket actions and watches of other groups naming this one (writer):
	 *  a group they name cannot be deleted alone (OFPGMFC_CHAINED_GROUP) */
	uint32_t group_refs;
	uint64_t created_ns; /**< group ADD time (sl_group_mod.now_ns) */
};

/** A group. Immutable once published; MODIFY publishes a new one. */
struct sl_group {
	uint32_t group_id;  /**< the group */
	uint8_t type;       /**< OFPGT_* */
	uint16_t n_buckets; /**< entries in buckets */
	struct sl_group_stats *stats; /**< shared by the versions MODIFY makes */
	struct sl_bucket buckets[];   /**< the buckets, own copies */
};

/** A decoded group-mod. Bucket action arrays are copied. */
struct sl_group_mod {
	uint16_t command;   /**< OFPGC_* */
	uint8_t type;       /**< OFPGT_* */
	uint32_t group_id;  /**< the group */
	uint16_t n_buckets; /**< entries in buckets */
	const struct sl_bucket *buckets; /**< the buckets (copied) */
	uint64_t now_ns;    /**< the time, for the group's duration */
};

/**
 * Apply a group-mod. Returns 0 or SL_OFPERR(OFPET_GROUP_MOD_FAILED, code):
 * GROUP_EXISTS, UNKNOWN_GROUP, INVALID_GROUP, BAD_TYPE, BAD_COMMAND, BAD_BUCKET,
 * BAD_WATCH, LOOP, CHAINED_GROUP is never returned: deleting a group deletes
 * the rules that forward to it (OF1.3 6.5) and empties references from groups.
 * @param pl the pipeline
 * @param gm the group-mod
 * @return 0 or SL_OFPERR(OFPET_GROUP_MOD_FAILED, code), as above.
 */
int sl_pipeline_group_mod(struct sl_pipeline *pl, const struct sl_group_mod *gm);

/**
 * Look a group up as the writer sees it (writer thread only): inside an
 * open transaction, with the transaction's group-mods.
 * @param pl       the pipeline
 * @param group_id the group
 * @return the group @p group_id or NULL.
 */
const struct sl_group *sl_pipeline_group(const struct sl_pipeline *pl, uint32_t group_id);

/**
 * Look a group up for a translation at rule version @p version (reader-safe,
 * any thread; sl_pipeline_txn.h): a transaction's group-mods are seen from
 * the version its commit publishes.
 * @param pl       the pipeline
 * @param group_id the group
 * @param version  the translation's rule version
 * @return the group @p group_id or NULL.
 */
const struct sl_group *sl_pipeline_group_at(const struct sl_pipeline *pl, uint32_t group_id,
					    uint64_t version);

/**
 * Number of groups.
 * @param pl the pipeline
 * @return the count.
 */
uint32_t sl_pipeline_n_groups(const struct sl_pipeline *pl);

/**
 * Group liveness, for fast-failover watch_group.
 * @param pl       the pipeline
 * @param group_id the group
 * @return true iff the group is live (has a live bucket for FF; exists otherwise).
 */
bool sl_pipeline_group_live(const struct sl_pipeline *pl, uint32_t group_id);

/* ------------------------------------------------- fault injection ---- */

/**
 * Testing: make the @p n-th allocation lib/pipeline makes from now on fail
 * (1 = the next one; only that one); 0 turns injection off. Process-wide.
 * Every failed operation returns its error (flow-mod: FLOW_MOD_FAILED/UNKNOWN,
 * group-mod: GROUP_MOD_FAILED/OUT_OF_GROUPS or OUT_OF_BUCKETS, translation:
 * SL_XLATE_RECIRC_FULL) and leaves the tables as they were.
 * @param n which allocation fails, counting from 1; 0: none
 */
void sl_pipeline_fail_alloc(unsigned long n);

/**
 * Testing: allocations lib/pipeline has made (or refused) so far, process-wide.
 * @return the count.
 */
unsigned long sl_pipeline_alloc_count(void);

#endif /* SL_PIPELINE_H */
