/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_classifier.h
 * Priority classifier for one OpenFlow table: tuple-space search with one
 * subtable per distinct mask, subtables ordered by their best priority so a
 * lookup stops early, staged lookup by layer (metadata, L2, L3, L4) and
 * wildcard tracking (the lookup returns every key bit it consulted).
 *
 * Prefix tracking: see sl_cls_set_prefix_tracking().
 *
 * Concurrency: one writer (insert/remove) and any number of readers
 * (sl_cls_lookup) at the same time. Writers publish with release stores and
 * hand unlinked memory to sl_rcu_defer(); readers must be inside an RCU
 * read-side section (between quiescent states) of the sl_rcu's QSBR variable.
 * Rules themselves are owned by the caller, who must defer their free too.
 *
 * Versions (as OVS's classifier): each rule is visible to lookups at the
 * versions [add_version, remove_version). A writer prepares changes at a
 * version readers do not look up at yet (insert at it, hide at it), then
 * publishes that version (its own variable, one release store), so readers
 * see all of the changes or none without ever waiting for the writer.
 *
 * Ties: OpenFlow 1.3 leaves the choice among overlapping equal-priority rules
 * undefined. Here the lookup stops at the first subtable whose best priority
 * is not above the best match so far, so the result is a deterministic
 * function of the table state (never of timing), which keeps megaflows exact.
 */
#ifndef SL_CLASSIFIER_H
#define SL_CLASSIFIER_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_match.h"

struct sl_rcu;
struct sl_cls_subtable;
struct cls_subtable_vec;
struct pfx_trie;

/** Fields with prefix tracking (tries): IPv4 and IPv6 source and destination. */
#define SL_CLS_N_TRIES 4

/** A classifier rule; embed it in the caller's rule structure. */
struct sl_cls_rule {
	struct sl_match match;          /**< set by the caller before insert */
	uint32_t priority;              /**< set by the caller before insert */
	uint64_t seq;                   /**< insertion order, set by the classifier */
	struct sl_cls_rule *next_same;  /**< next rule with the same masked key (lower priority) */
	struct sl_cls_subtable *subtable; /**< writer-side */
	/** Lookups at version v see the rule iff add_version <= v < remove_version
	 *  (sl_cls_lookup_at()); set by sl_cls_insert_at(), sl_cls_rule_hide(). @{ */
	uint64_t add_version, remove_version;
	/** @} */
	/** @{ */
	struct sl_cls_rule *all_prev, *all_next; /**< writer-side list of every rule */
	/** @} */
};

/** remove_version of a rule no version hides. */
#define SL_CLS_NEVER UINT64_MAX
/** The version sl_cls_lookup() looks up at: every rule inserted and not hidden. */
#define SL_CLS_LATEST (UINT64_MAX - 1)

/** The classifier. Fields are private. */
struct sl_classifier {
	struct cls_subtable_vec *vec; /**< RCU-published, sorted by best priority */
	struct sl_rcu *rcu;           /**< where unlinked memory goes */
	struct sl_cls_rule *all_head; /**< writer-side list of every rule */
	uint32_t n_rules;             /**< rules inserted */
	uint64_t next_seq;            /**< sl_cls_rule.seq of the next insert */
	/** Writer-side: times an existing subtable's best priority changed. The
	 *  subtable order decides ties between equal-priority rules in different
	 *  subtables, so such a change may alter the answer for packets that no
	 *  inserted or removed rule matches (sl_change_log.h). */
	uint64_t order_changes;
	bool staged;   /**< staged lookup enabled (default true) */
	bool prefix_tracking; /**< IPv4/IPv6 prefix tracking enabled (default true) */
	struct pfx_trie *tries[SL_CLS_N_TRIES]; /**< rule prefixes per tracked field */
};

/**
 * Initialise an empty classifier whose garbage goes through @p rcu.
 * @param cls the classifier
 * @param rcu the reclaimer its readers' QSBR variable belongs to
 */
void sl_cls_init(struct sl_classifier *cls, struct sl_rcu *rcu);

/**
 * Free the classifier's internal structures (not the rules). No readers may remain.
 * @param cls the classifier
 */
void sl_cls_destroy(struct sl_classifier *cls);

/**
 * Enable/disable staged lookup (for measurements); only while there are no rules.
 * @param cls    the classifier
 * @param staged true to enable
 */
void sl_cls_set_staged(struct sl_classifier *cls, bool staged);

/**
 * Enable/disable prefix tracking on ipv4_src/dst and ipv6_src/dst (for measurements); only
 * while there are no rules. With it, a subtable whose mask on the address is a
 * /L prefix is skipped when no rule prefix of length L covers the packet's
 * address, and only the leading address bits that proved it go into the
 * wildcards (instead of the whole subtable mask).
 * @param cls the classifier
 * @param on  true to enable
 */
void sl_cls_set_prefix_tracking(struct sl_classifier *cls, bool on);

/**
 * Insert @p rule (match and priority set). Writer only.
 * @param cls  the classifier
 * @param rule the rule, owned by the caller
 * @return 0 or -ENOMEM (then the rule is not in the classifier, but free it
 *         after a grace period).
 */
int sl_cls_insert(struct sl_classifier *cls, struct sl_cls_rule *rule);

/**
 * Insert @p rule visible to lookups at versions >= @p version only (a
 * transaction's rule, invisible to lookups at the published version until
 * that is raised). sl_cls_insert() is this at version 0. Writer only.
 * @param cls     the classifier
 * @param rule    the rule, owned by the caller
 * @param version the first version that sees it
 * @return 0 or -ENOMEM (as sl_cls_insert()).
 */
int sl_cls_insert_at(struct sl_classifier *cls, struct sl_cls_rule *rule, uint64_t version);

/**
 * Hide @p rule from lookups at versions >= @p version (SL_CLS_NEVER: show
 * it again to all). It stays in the classifier: lookups at older versions
 * still find it, and sl_cls_remove() takes it out. Writer only.
 * @param rule    a rule in a classifier
 * @param version the first version that does not see it
 */
static inline void
sl_cls_rule_hide(struct sl_cls_rule *rule, uint64_t version)
{
	/* relaxed: a lookup at an older version sees it either way, and the
	 * version that hides it is published later with a release store */
	__atomic_store_n(&rule->remove_version, version, __ATOMIC_RELAXED);
}

/**
 * Remove @p rule; the caller frees it after a grace period. Writer only.
 * @param cls  the classifier
 * @param rule a rule in it
 */
void sl_cls_remove(struct sl_classifier *cls, struct sl_cls_rule *rule);

/**
 * Highest-priority rule matching @p key. ORs into @p wc (may be NULL)
 * every key bit the lookup consulted. Safe concurrently with one writer.
 * @param cls the classifier
 * @param key the packet's flow key
 * @param wc  in/out: the wildcards (megaflow mask) to widen; may be NULL
 * @return the rule, or NULL.
 */
const struct sl_cls_rule *sl_cls_lookup(const struct sl_classifier *cls,
					const struct sl_flow_key *key, struct sl_flow_key *wc);

/**
 * sl_cls_lookup() among the rules visible at @p version (add_version <=
 * version < remove_version): the highest-priority one matching @p key.
 * Rules invisible at @p version still count in the subtable order, staged
 * filters and prefix tries, which only widens what is consulted (a
 * narrower megaflow), never the answer. Safe concurrently with one writer.
 * @param cls     the classifier
 * @param key     the packet's flow key
 * @param wc      in/out: the wildcards to widen; may be NULL
 * @param version the version to look up at (SL_CLS_LATEST: every rule not hidden)
 * @return the rule, or NULL.
 */
const struct sl_cls_rule *sl_cls_lookup_at(const struct sl_classifier *cls,
					   const struct sl_flow_key *key, struct sl_flow_key *wc,
					   uint64_t version);

/**
 * The rule with exactly this match (mask and key) and priority. Writer only.
 * @param cls      the classifier
 * @param m        the match
 * @param priority the priority
 * @return the rule, or NULL.
 */
struct sl_cls_rule *sl_cls_find_exact(const struct sl_classifier *cls, const struct sl_match *m,
				      uint32_t priority);

/**
 * Number of rules.
 * @param cls the classifier
 * @return the count.
 */
static inline uint32_t
sl_cls_count(const struct sl_classifier *cls)
{
	return cls->n_rules;
}

/**
 * Writer-side: see sl_classifier.order_changes.
 * @param cls the classifier
 * @return the count.
 */
static inline uint64_t
sl_cls_order_changes(const struct sl_classifier *cls)
{
	return cls->order_changes;
}

/**
 * Number of subtables (distinct masks).
 * @param cls the classifier
 * @return the count.
 */
unsigned int sl_cls_n_subtables(const struct sl_classifier *cls);

/**
 * First rule for writer-side iteration (then rule->all_next).
 * @param cls the classifier
 * @return the rule, or NULL when empty.
 */
static inline struct sl_cls_rule *
sl_cls_first(const struct sl_classifier *cls)
{
	return cls->all_head;
}

/**
 * Whether two matches overlap.
 * @param a a rule's match
 * @param b another rule's match
 * @return true iff rules @p a and @p b can match the same packet (same priority
 *         not required).
 */
bool sl_cls_rules_overlap(const struct sl_match *a, const struct sl_match *b);

/**
 * Whether a match selects a subset of another's packets (non-strict flow-mod).
 * @param narrow a match
 * @param wide   another match
 * @return true iff match @p narrow is equal to or more specific than @p wide.
 */
bool sl_match_is_subset(const struct sl_match *narrow, const struct sl_match *wide);

#endif /* SL_CLASSIFIER_H */
