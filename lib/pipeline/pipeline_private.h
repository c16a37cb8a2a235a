/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal layout of the pipeline, shared by its files (pipeline.c, table.c, flow_mod.c, group.c, xlate.c, ...). */
#ifndef SL_PIPELINE_PRIVATE_H
#define SL_PIPELINE_PRIVATE_H

#include <rte_pause.h>

#include "sl_change_log.h"
#include "sl_pipeline.h"
#include "sl_rcu.h"

#define LOAD(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

struct sl_table {
	struct sl_classifier cls;
	uint32_t max_rules;
	uint32_t n_timed;              /* rules with an idle or hard timeout (expiry scans only these tables) */
	uint64_t n_lookups, n_matched; /* atomic, credited by translation */
};

/* RCU-published open-addressing map group_id -> group, copied on change. */
struct group_map {
	uint32_t mask;
	uint32_t n;                 /* live groups */
	uint32_t used;              /* slots not empty: live groups and tombstones */
	struct sl_group *slots[];   /* NULL, a group, or group.c's tombstone */
};

#define SL_LIVE_PORTS 65536u

struct sl_recirc_table;

/* One change-log record (change_log.c, sl_change_log.h): what version
 * `version` changed. Every field is written and read with __atomic
 * operations (seqlock: readers may see a record being rewritten and detect
 * it). The match is a copy: readers never touch rules through the log. */
struct pl_change {
	uint64_t version;           /* the version described; stored last (release) */
	uint64_t kind;              /* enum sl_change_kind (a word: whole-word atomics) */
	uint64_t table_id;
	uint64_t n_words;           /* match words with mask bits, metadata aside */
	uint64_t mac;               /* SL_CHANGE_MAC: the entry's vlan << 48 | mac */
	uint8_t word_idx[SL_FLOW_KEY_WORDS + 1]; /* their indexes in the key */
	uint64_t km[SL_FLOW_KEY_WORDS][2];       /* their (key & mask, mask), packed */
};

struct sl_pipeline {
	struct sl_rcu *rcu;
	struct sl_recirc_table *recirc; /* recirc.c */
	struct sl_pipeline_config cfg;
	uint64_t version;
	uint64_t hard_version;      /* last change that was not MAC learning (change_log.c) */
	struct group_map *groups;    /* published (group.c) */
	/* A committing transaction's map, seen by translations at rule
	 * versions >= groups_next_version until it replaces groups; the open
	 * transaction's own copy, seen by the writer only (group.c). */
	struct group_map *groups_next, *txn_groups;
	uint64_t groups_next_version;
	uint32_t n_rules;           /* in all tables (cfg.max_rules) */
	struct sl_rule_stats_pool *stats;
	struct sl_mac_table *mac;   /* NORMAL's MAC learning table (mac_learning.c) */
	uint8_t fail_open;          /* enum sl_fail_open_mode (fail mode standalone) */
	uint64_t port_down[SL_LIVE_PORTS / 64]; /* bit set: port is down */
	struct sl_table tables[SL_N_TABLES];
	struct pl_change changes[SL_CHANGE_LOG_SIZE]; /* ring, slot = version % size */
	struct pl_txn *txn;         /* the open transaction (txn.c), NULL: none */
	uint64_t cls_version;       /* the rule version translations look up at (txn.c) */
	/* cls_from[v & 1]: the tables version from which rule version v is
	 * looked up (a translation under an older one uses v - 1: txn.c) */
	uint64_t cls_from[2];
	uint64_t txn_commits, txn_aborts;
};

/* change_log.c: bump the tables version and describe the change in the log
 * (@p m NULL for SL_CHANGE_GLOBAL). The only way the version moves. */
void pl_log_change(struct sl_pipeline *pl, enum sl_change_kind kind, uint8_t table_id,
		   const struct sl_match *m);

/* A change nothing narrower describes: readers must translate again. */
static inline void
pl_bump(struct sl_pipeline *pl)
{
	pl_log_change(pl, SL_CHANGE_GLOBAL, 0, NULL);
}

/* mac_learning.c: the MAC table entry @p mac_key (vlan << 48 | mac) was
 * learned, moved, marked stale or removed. */
void pl_log_mac(struct sl_pipeline *pl, uint64_t mac_key);

/* The MAC table changed beyond what single entries describe (a flush, a
 * large aging pass, lost learn reports): what consulted it translates. */
static inline void
pl_bump_mac_all(struct sl_pipeline *pl)
{
	pl_log_change(pl, SL_CHANGE_MAC_ALL, 0, NULL);
}

/* Rules inside match @p m of table @p table_id were added/modified/removed. */
static inline void
pl_bump_table(struct sl_pipeline *pl, uint8_t table_id, const struct sl_match *m)
{
	pl_log_change(pl, SL_CHANGE_TABLE, table_id, m);
}

/* group.c: drop references from rules being freed, used by flow_mod.c. */
void pl_group_ref(struct sl_pipeline *pl, const struct sl_instructions *ins, int delta);
/* True iff the instructions reference group @p id. */
bool pl_ins_uses_group(const struct sl_instructions *ins, uint32_t id);
/* True iff the instructions output to port @p port. */
bool pl_ins_uses_port(const struct sl_instructions *ins, uint32_t port);
/* flow_mod.c: remove a rule (callback, stats, defer). */
void pl_rule_remove(struct sl_pipeline *pl, struct sl_rule *r, uint8_t reason);
/* flow_mod.c: free a removed rule after the first grace period (its counter
 * slot after a second one); pl_rule_free_final frees it now (no reader). */
void pl_rule_free(void *rule);
void pl_rule_free_final(void *rule);
/* action.c: copy instructions into one heap block. */
struct sl_instructions *pl_ins_copy(const struct sl_instructions *ins);
/* group.c */
void pl_groups_destroy(struct sl_pipeline *pl);
/* group.c, for txn.c: undo one group change of the open transaction
 * (@p old replaced by @p new; either NULL for an add or a delete), in the
 * transaction's map; after a commit, free what it replaced; before the
 * publication, show the transaction's map from @p version on; after the
 * grace period, make it the published map. */
void pl_group_txn_undo(struct sl_pipeline *pl, const struct sl_group *old, struct sl_group *new);
void pl_group_txn_retire(struct sl_pipeline *pl, const struct sl_group *old,
			 const struct sl_group *new);
void pl_groups_txn_stage(struct sl_pipeline *pl, uint64_t version);
void pl_groups_txn_install(struct sl_pipeline *pl);

/* Answers of a fast-failover liveness query per (group, depth) (group.c
 * says why). overflow: the query reached more pairs than it holds; it then
 * gives up and the answer is "not live". */
#define PL_LIVE_MEMO_MAX 128
struct pl_live_memo {
	unsigned int n;
	bool overflow;
	struct {
		uint32_t group_id;
		uint8_t depth;
		bool live;
	} e[PL_LIVE_MEMO_MAX];
};

/* 1 live, 0 not, -1 not worked out yet. */
static inline int
pl_live_memo_get(const struct pl_live_memo *m, uint32_t group_id, unsigned int depth)
{
	for (unsigned int i = 0; i < m->n; i++)
		if (m->e[i].group_id == group_id && m->e[i].depth == depth)
			return m->e[i].live;
	return -1;
}

static inline void
pl_live_memo_put(struct pl_live_memo *m, uint32_t group_id, unsigned int depth, bool live)
{
	if (m->n == PL_LIVE_MEMO_MAX) {
		m->overflow = true;
		return;
	}
	m->e[m->n].group_id = group_id;
	m->e[m->n].depth = (uint8_t)depth;
	m->e[m->n].live = live;
	m->n++;
}
/* rule_stats.c: per-worker counter slots (sl_rule_stats.h). */
struct sl_rule_stats_pool *pl_stats_create(unsigned int n_shards, struct sl_rcu *rcu);
/* The reclaimer a released rule's slot waits on (sl_rule_stats.h, Lifetime). */
struct sl_rcu *pl_stats_rcu(const struct sl_rule_stats_pool *p);
void pl_stats_destroy(struct sl_rule_stats_pool *p);
int pl_stats_alloc(struct sl_rule_stats_pool *p, uint32_t *idx);
void pl_stats_release(struct sl_rule_stats_pool *p, uint32_t idx);
void pl_stats_sum(const struct sl_rule_stats_pool *p, uint32_t idx, struct sl_rule_counts *c);
void pl_stats_sum_table(const struct sl_rule_stats_pool *p, uint8_t table_id, uint64_t *lookups,
			uint64_t *matched);
/* mac_learning.c */
struct sl_mac_table *pl_mac_create(struct sl_rcu *rcu, uint32_t max, uint32_t aging_s,
				   uint32_t port_limit);
void pl_mac_destroy(struct sl_mac_table *t);
/* recirc.c: the recirculation table (create at pipeline creation; sweep from
 * reclaim: unlinks entries unused for two versions, frees after a grace period). */
struct sl_recirc_table *pl_recirc_create(uint32_t max_ids);
void pl_recirc_destroy(struct sl_recirc_table *t);
unsigned int pl_recirc_sweep(struct sl_pipeline *pl);

/* txn.c (sl_pipeline_txn.h): what flow_mod.c does differently while a
 * transaction is open. Reserve room for @p n more records before a
 * change (0 or -ENOMEM), so that recording never fails midway; hide a
 * deleted rule until the commit; revive a hidden one an ADD replaces;
 * note an added rule (inserted at pl_txn_version); before a rule's
 * instructions, cookie, flags, timeouts or counters change, save them
 * (for an abort, and for translations at the published version); rules
 * of a table the transaction hid (they still sit in its classifier). */
int pl_txn_reserve(struct sl_pipeline *pl, size_t n);
void pl_txn_hide(struct sl_pipeline *pl, struct sl_rule *r, uint8_t reason);
void pl_txn_revive(struct sl_pipeline *pl, struct sl_rule *r);
void pl_txn_added(struct sl_pipeline *pl, struct sl_rule *r);
void pl_txn_save(struct sl_pipeline *pl, struct sl_rule *r);
uint32_t pl_txn_hidden(const struct sl_pipeline *pl, uint8_t table_id);
/* The rule version the open transaction's changes are made at; 0 (every
 * version) when none is open. */
uint64_t pl_txn_version(const struct sl_pipeline *pl);
/* group.c: a group change of the open transaction (room reserved). */
void pl_txn_group(struct sl_pipeline *pl, const struct sl_group *old, struct sl_group *new);

/* sl_rule.txn_flags */
#define PL_TXN_HIDDEN 1u /* deleted by the open transaction */
#define PL_TXN_NEW 2u    /* added by it */

/* The rule version a translation looks up at, read once per translation
 * (txn.c has the argument). Acquire: the rules, instructions and groups a
 * transaction prepared for this version are seen with it. */
static inline uint64_t
pl_cls_version(const struct sl_pipeline *pl)
{
	return __atomic_load_n(&pl->cls_version, __ATOMIC_ACQUIRE);
}

/* The rule version of a translation under tables version @p tv (read
 * before this, or earlier in the reader's read-side section): the
 * published one, or the one before it while @p tv predates the commit's
 * bump. So every translation tagged with a tables version saw the rules
 * of that version only (txn.c, "One switch instant"). cls_from[v & 1] is
 * stored before v is published; the slot is reused by v + 2 only after a
 * grace period that this reader, having read v, holds up. */
static inline uint64_t
pl_cls_version_at(const struct sl_pipeline *pl, uint64_t tv)
{
	uint64_t v = pl_cls_version(pl);

	return tv < __atomic_load_n(&pl->cls_from[v & 1], __ATOMIC_RELAXED) ? v - 1 : v;
}

/* The instructions (and cookie, in @p cookie) of rule @p r for a
 * translation at rule version @p v. A transaction that changes a rule
 * first stores the pre-transaction pair in ins_old/cookie_old, then
 * ins_version (release, the transaction's version, above every version a
 * reader holds), then the new pair. A reader at v >= ins_version reads the
 * current pair and checks ins_version again after an acquire fence: if it
 * moved, a transaction began changing the rule meanwhile (what was read
 * may be new) and the old pair, complete by then, is the answer. Never
 * waits. */
static inline const struct sl_instructions *
pl_rule_ins_at(const struct sl_rule *r, uint64_t v, uint64_t *cookie)
{
	uint64_t iv = __atomic_load_n(&r->ins_version, __ATOMIC_ACQUIRE);

	if (v >= iv) {
		const struct sl_instructions *ins = LOAD(r->ins);
		uint64_t c = __atomic_load_n(&r->cookie, __ATOMIC_RELAXED);

		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&r->ins_version, __ATOMIC_RELAXED) == iv) {
			*cookie = c;
			return ins;
		}
	}
	*cookie = __atomic_load_n(&r->cookie_old, __ATOMIC_RELAXED);
	return LOAD(r->ins_old);
}

#endif /* SL_PIPELINE_PRIVATE_H */
