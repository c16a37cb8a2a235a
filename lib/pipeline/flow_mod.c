/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow-mods (add, modify, delete, strict or not) and rule expiry: the
 * writer side of the flow tables (see sl_pipeline.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline_private.h"
#include "pl_alloc.h"

/* The second grace period after the removal: the slot can be reused. */
void
pl_rule_free_final(void *p)
{
	struct sl_rule *r = p;
	if (r->stats_pool)
		pl_stats_release(r->stats_pool, r->stats_idx);
	free((void *)r->ins);
	free(r);
}

/* The first grace period after the removal: no reader sees the rule any
 * more, but a worker may still owe its slot counts it pushes lazily
 * (sl_rule_stats.h, Lifetime): the slot waits for a second one. */
void
pl_rule_free(void *p)
{
	struct sl_rule *r = p;
	if (r->stats_pool && pl_stats_rcu(r->stats_pool))
		sl_rcu_defer(pl_stats_rcu(r->stats_pool), pl_rule_free_final, r);
	else
		pl_rule_free_final(r);
}

static inline bool
rule_timed(const struct sl_rule *r)
{
	return r->idle_timeout || r->hard_timeout;
}

void
pl_rule_remove(struct sl_pipeline *pl, struct sl_rule *r, uint8_t reason)
{
	if (pl->txn != NULL) {
		pl_txn_hide(pl, r, reason); /* removed by the commit (txn.c) */
		return;
	}
	sl_cls_remove(&pl->tables[r->table_id].cls, &r->cr);
	pl->n_rules--;
	pl->tables[r->table_id].n_timed -= rule_timed(r);
	pl_group_ref(pl, r->ins, -1);
	if (pl->cfg.on_removed)
		pl->cfg.on_removed(pl->cfg.cb_ctx, r, reason);
	sl_rcu_defer(pl->rcu, pl_rule_free, r);
}

static int
check_instructions(const struct sl_pipeline *pl, const struct sl_flow_mod *fm)
{
	const struct sl_instructions *ins = &fm->ins;
	if (ins->has_goto && (ins->goto_table <= fm->table_id || ins->goto_table >= SL_N_TABLES))
		return SL_OFPERR(OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID);
	if (ins->has_meter && pl->cfg.meter_exists &&
	    !pl->cfg.meter_exists(pl->cfg.cb_ctx, ins->meter_id))
		return SL_OFPERR(OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER);
	int rc = sl_actions_validate(ins->apply, ins->n_apply, &fm->match, false);
	if (rc == 0)
		rc = sl_actions_validate(ins->write, ins->n_write, &fm->match, false);
	if (rc)
		return rc;
	/* The action set has no place for a copy-field (OF1.5 5.6 lists none;
	 * OVS: "doesn't belong in action set"). */
	for (unsigned int i = 0; i < ins->n_write; i++)
		if (ins->write[i].type == OFPAT_COPY_FIELD)
			return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_UNSUPPORTED_ORDER);
	/* Group actions must name existing groups (OFPBAC_BAD_OUT_GROUP). */
	for (int pass = 0; pass < 2; pass++) {
		const struct sl_action *a = pass ? ins->write : ins->apply;
		unsigned int n = pass ? ins->n_write : ins->n_apply;
		for (unsigned int i = 0; i < n; i++)
			if (a[i].type == OFPAT_GROUP && !sl_pipeline_group(pl, a[i].group_id))
				return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP);
	}
	return 0;
}

static bool
is_catchall(const struct sl_match *m)
{
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		if (m->mask.w[i])
			return false;
	return true;
}

/* Swap a rule's instructions (copy @p c, made beforehand) under RCU. */
static void
swap_ins(struct sl_pipeline *pl, struct sl_rule *r, struct sl_instructions *c, bool reset_counts)
{
	const struct sl_instructions *old = r->ins;
	if (pl->txn != NULL)
		pl_txn_save(pl, r); /* first: readers and an abort keep the old */
	pl_group_ref(pl, c, +1);
	STORE(r->ins, c);
	pl_group_ref(pl, old, -1);
	if (pl->txn == NULL)
		sl_rcu_defer(pl->rcu, NULL, (void *)old);
	if (reset_counts)
		sl_rule_reset_counts(r);
}

static int
replace_ins(struct sl_pipeline *pl, struct sl_rule *r, const struct sl_instructions *ins,
	    bool reset_counts)
{
	struct sl_instructions *c = pl_ins_copy(ins);
	if (c == NULL)
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN);
	swap_ins(pl, r, c, reset_counts);
	return 0;
}

static int
flow_add(struct sl_pipeline *pl, const struct sl_flow_mod *fm)
{
	struct sl_table *t = &pl->tables[fm->table_id];
	struct sl_cls_rule *old = sl_cls_find_exact(&t->cls, &fm->match, fm->priority);
	if (fm->flags & OFPFF_CHECK_OVERLAP) {
		for (struct sl_cls_rule *cr = sl_cls_first(&t->cls); cr; cr = cr->all_next)
			if (cr != old && cr->priority == fm->priority &&
			    !(((struct sl_rule *)cr)->txn_flags & PL_TXN_HIDDEN) &&
			    sl_cls_rules_overlap(&cr->match, &fm->match))
				return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_OVERLAP);
	}
	bool revived = old && (((struct sl_rule *)old)->txn_flags & PL_TXN_HIDDEN);
	if (revived)
		pl_txn_revive(pl, (struct sl_rule *)old); /* deleted earlier in the transaction */
	if (old) {
		/* Identical match and priority: the new entry replaces the old one, counters too. */
		struct sl_rule *r = (struct sl_rule *)old;
		int rc = replace_ins(pl, r, &fm->ins, true);
		if (rc && revived)
			pl_txn_hide(pl, r, OFPRR_DELETE); /* fails whole: deleted again */
		if (rc)
			return rc;
		__atomic_store_n(&r->cookie, fm->cookie, __ATOMIC_RELAXED); /* read by translations */
		r->flags = fm->flags;
		t->n_timed -= rule_timed(r);
		r->idle_timeout = fm->idle_timeout;
		r->hard_timeout = fm->hard_timeout;
		t->n_timed += rule_timed(r);
		r->created_ns = fm->now_ns;
		__atomic_store_n(&r->base_used_ns, fm->now_ns, __ATOMIC_RELAXED);
		return 0;
	}
	if (sl_cls_count(&t->cls) - pl_txn_hidden(pl, fm->table_id) >= t->max_rules ||
	    pl->n_rules >= pl->cfg.max_rules)
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_TABLE_FULL);
	struct sl_rule *r = pl_calloc(1, sizeof(*r));
	struct sl_instructions *ins = pl_ins_copy(&fm->ins);
	if (r == NULL || ins == NULL || pl_stats_alloc(pl->stats, &r->stats_idx) != 0) {
		free(r);
		free(ins);
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN);
	}
	r->stats_pool = pl->stats;
	r->cr.match = fm->match;
	r->cr.priority = fm->priority;
	r->table_id = fm->table_id;
	r->flags = fm->flags;
	r->idle_timeout = fm->idle_timeout;
	r->hard_timeout = fm->hard_timeout;
	r->cookie = fm->cookie;
	r->ins = ins;
	r->created_ns = r->base_used_ns = fm->now_ns;
	r->is_table_miss = fm->priority == 0 && is_catchall(&fm->match);
	if (sl_cls_insert_at(&t->cls, &r->cr, pl_txn_version(pl)) != 0) {
		sl_rcu_defer(pl->rcu, pl_rule_free, r);
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN);
	}
	pl->n_rules++;
	pl_group_ref(pl, ins, +1);
	t->n_timed += rule_timed(r);
	if (pl->txn != NULL)
		pl_txn_added(pl, r);
	return 0;
}

/* Does rule @p r fall under the flow-mod's selection (strict or not, filters)? */
static bool
selected(const struct sl_rule *r, const struct sl_flow_mod *fm, bool strict, bool filters)
{
	if (r->txn_flags & PL_TXN_HIDDEN)
		return false; /* deleted by the open transaction */
	if ((r->cookie & fm->cookie_mask) != (fm->cookie & fm->cookie_mask))
		return false;
	if (strict) {
		if (r->cr.priority != fm->priority ||
		    memcmp(&r->cr.match.mask, &fm->match.mask, sizeof(fm->match.mask)) != 0 ||
		    !sl_flow_key_equal_masked(&r->cr.match.key, &fm->match.key, &fm->match.mask))
			return false;
	} else if (!sl_match_is_subset(&r->cr.match, &fm->match)) {
		return false;
	}
	if (filters && fm->out_port != OFPP_ANY && !pl_ins_uses_port(r->ins, fm->out_port))
		return false;
	if (filters && fm->out_group != OFPG_ANY && !pl_ins_uses_group(r->ins, fm->out_group))
		return false;
	return true;
}

/* All or nothing: every selected rule's copy is made before the first swap,
 * so running out of memory leaves the table as it was. */
static unsigned int
flow_modify(struct sl_pipeline *pl, const struct sl_flow_mod *fm, bool strict, int *rc)
{
	unsigned int n = 0, i = 0;
	struct sl_table *t = &pl->tables[fm->table_id];
	for (struct sl_cls_rule *cr = sl_cls_first(&t->cls); cr; cr = cr->all_next)
		n += selected((struct sl_rule *)cr, fm, strict, false);
	if (n == 0)
		return 0;
	struct sl_instructions **c = pl_calloc(n, sizeof(*c));
	for (i = 0; c != NULL && i < n; i++)
		if ((c[i] = pl_ins_copy(&fm->ins)) == NULL)
			break;
	if (c == NULL || i < n) {
		while (c != NULL && i > 0)
			free(c[--i]);
		free(c);
		*rc = SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN);
		return 0;
	}
	i = 0;
	for (struct sl_cls_rule *cr = sl_cls_first(&t->cls); cr && i < n; cr = cr->all_next) {
		struct sl_rule *r = (struct sl_rule *)cr;
		if (selected(r, fm, strict, false))
			swap_ins(pl, r, c[i++], fm->flags & OFPFF_RESET_COUNTS);
	}
	free(c);
	return n;
}

static unsigned int
flow_delete(struct sl_pipeline *pl, const struct sl_flow_mod *fm, bool strict)
{
	unsigned int n = 0;
	unsigned int first = fm->table_id == OFPTT_ALL ? 0 : fm->table_id;
	unsigned int last = fm->table_id == OFPTT_ALL ? SL_N_TABLES - 1 : fm->table_id;
	for (unsigned int t = first; t <= last; t++) {
		struct sl_cls_rule *cr = sl_cls_first(&pl->tables[t].cls);
		while (cr) {
			struct sl_cls_rule *next = cr->all_next;
			struct sl_rule *r = (struct sl_rule *)cr;
			if (selected(r, fm, strict, true)) {
				pl_rule_remove(pl, r, OFPRR_DELETE);
				n++;
			}
			cr = next;
		}
	}
	return n;
}

/* Log a change of rules inside match @p m of table @p t. If an existing
 * subtable's best priority moved meanwhile (@p order0: the classifier's
 * count before), the subtable order changed, and with it which of two
 * equal-priority rules in different subtables wins for a packet both match
 * (sl_classifier.h): packets outside @p m may get another answer, so the
 * record covers the whole table (catch-all match). */
static void
bump_table(struct sl_pipeline *pl, uint8_t t, const struct sl_match *m, uint64_t order0)
{
	struct sl_match all;

	if (sl_cls_order_changes(&pl->tables[t].cls) != order0) {
		sl_match_init_catchall(&all);
		m = &all;
	}
	pl_bump_table(pl, t, m);
}

int
sl_pipeline_flow_mod(struct sl_pipeline *pl, const struct sl_flow_mod *fm, unsigned int *n_changed)
{
	unsigned int n = 0;
	int rc = 0;
	bool is_delete = fm->command == OFPFC_DELETE || fm->command == OFPFC_DELETE_STRICT;
	if (n_changed)
		*n_changed = 0;
	if (fm->command > OFPFC_DELETE_STRICT)
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND);
	if (fm->table_id >= SL_N_TABLES && !(is_delete && fm->table_id == OFPTT_ALL))
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_TABLE_ID);
	rc = sl_match_validate(&fm->match);
	if (rc)
		return SL_OFPERR(OFPET_BAD_MATCH, SL_MATCH_ERR_CODE(rc));
	if (!is_delete) {
		rc = check_instructions(pl, fm);
		if (rc)
			return rc;
	}
	uint64_t order0 = fm->table_id < SL_N_TABLES
				  ? sl_cls_order_changes(&pl->tables[fm->table_id].cls) : 0;
	/* In a transaction every rule the flow-mod can touch may need a record
	 * (an ADD touches one). */
	if (pl->txn != NULL &&
	    pl_txn_reserve(pl, fm->command == OFPFC_ADD ? 1u
			       : 1u + (fm->table_id < SL_N_TABLES
					       ? sl_cls_count(&pl->tables[fm->table_id].cls)
					       : pl->n_rules)) != 0)
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN);
	switch (fm->command) {
	case OFPFC_ADD:
		rc = flow_add(pl, fm);
		n = rc == 0;
		break;
	case OFPFC_MODIFY:
	case OFPFC_MODIFY_STRICT:
		n = flow_modify(pl, fm, fm->command == OFPFC_MODIFY_STRICT, &rc);
		break;
	default:
		n = flow_delete(pl, fm, fm->command == OFPFC_DELETE_STRICT);
		break;
	}
	/* Every rule the flow-mod added, modified or deleted lies inside its
	 * match (non-strict selection takes subsets of it): one TABLE record
	 * describes them all. Deletes over all tables are GLOBAL. */
	if (n && fm->table_id < SL_N_TABLES)
		bump_table(pl, fm->table_id, &fm->match, order0);
	else if (n)
		pl_bump(pl);
	if (n_changed)
		*n_changed = n;
	return rc;
}

unsigned int
sl_pipeline_expire(struct sl_pipeline *pl, uint64_t now_ns)
{
	unsigned int n = 0;
	struct sl_match last = { 0 }; /* the expired rule's match, when only one expired */
	if (pl->txn != NULL)
		return 0; /* after the commit (sl_pipeline_txn.h) */
	uint8_t last_table = 0;
	uint64_t order0 = 0;
	/* Only tables holding timed rules are walked, and only timed rules'
	 * counters are summed: 100k permanent rules cost nothing here. */
	for (unsigned int t = 0; t < SL_N_TABLES; t++) {
		if (pl->tables[t].n_timed == 0)
			continue;
		struct sl_cls_rule *cr = sl_cls_first(&pl->tables[t].cls);
		while (cr) {
			struct sl_cls_rule *next = cr->all_next;
			struct sl_rule *r = (struct sl_rule *)cr;
			if (!rule_timed(r)) {
				cr = next;
				continue;
			}
			struct sl_rule_counts c;
			sl_rule_get_counts(r, &c);
			uint64_t used = c.used_ns;
			if (used < r->created_ns)
				used = r->created_ns;
			bool hard = r->hard_timeout &&
				    now_ns - r->created_ns >= r->hard_timeout * 1000000000ull;
			if (hard || (r->idle_timeout && now_ns >= used &&
				     now_ns - used >= r->idle_timeout * 1000000000ull)) {
				if (n++ == 0) {
					last = r->cr.match;
					last_table = (uint8_t)t;
					order0 = sl_cls_order_changes(&pl->tables[t].cls);
				}
				pl_rule_remove(pl, r, hard ? OFPRR_HARD_TIMEOUT
							   : OFPRR_IDLE_TIMEOUT);
			}
			cr = next;
		}
	}
	/* One version per expiry pass: several rules (in different tables,
	 * with unrelated matches) are not one TABLE record, so GLOBAL. */
	if (n == 1)
		bump_table(pl, last_table, &last, order0);
	else if (n)
		pl_bump(pl);
	return n;
}
