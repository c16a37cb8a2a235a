/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transactions over the flow tables (sl_pipeline_txn.h): versioned rules,
 * as OVS's classifier has them, and an undo log kept by the writer.
 *
 * Why readers see all or nothing, and never wait. Translations look up at
 * the published rule version V (pl->cls_version, read once per
 * translation with acquire). A transaction makes its changes at V + 1:
 * added rules are inserted visible from V + 1 (sl_cls_insert_at), deleted
 * ones hidden from V + 1 (sl_cls_rule_hide; they stay in their
 * classifier), and a rule whose instructions or cookie change keeps the
 * pair it had in ins_old/cookie_old for lookups below ins_version = V + 1
 * (pl_rule_ins_at). The commit publishes V + 1 with one release store,
 * bumps the tables version once (GLOBAL in the change log: no cache entry
 * is kept by the disjointness proof), waits for a grace period, then
 * removes what it hid. A translation at V sees none of the changes
 * whatever the writer does meanwhile; one at V + 1 (acquire) sees all of
 * them. Cached translations of the old state carry the old tables
 * version, read before the rule version (xlate.c), and are revalidated
 * after the bump.
 *
 * One switch instant. The tables version is what caches and workers go
 * by (a worker reads it once per iteration), so the commit makes it the
 * switch: cls_from[(V + 1) & 1] holds the tables version of the bump, and
 * a translation that read an older tables version looks up at V even if
 * V + 1 is published (pl_cls_version_at). Then every translation tagged
 * with tables version T saw T's rules, and so does every packet a worker
 * forwards in an iteration at T; a bundle's port configuration switches
 * at the same tables version (sl_port_config(), agent_bundle.c). Lookups
 * at V stay safe for such a reader: the bump precedes the grace period,
 * so whoever still reads the old tables version holds the grace period
 * up, and what V needs is removed only after it.
 *
 * Why the writer waits, and readers never. A translation that read V
 * before the publication may still be running: it needs the rules the
 * commit hides (so they leave their classifier only after a grace
 * period) and the ins_old slots (one per rule, overwritten by the next
 * transaction). So the commit and the abort, after publishing V + 1,
 * wait for a grace period (workers are quiescent between bursts: about
 * one burst; the agent waits as long for its barrier anyway) before
 * they remove or free anything. Translations never wait for the writer,
 * so this wait cannot deadlock.
 *
 * Why an abort restores exactly. Deleted rules are only hidden (re-inserting
 * could need memory an abort cannot count on); replaced instructions are
 * kept, with the fields and base counters a replacement changes; added
 * rules are removed again. Records are undone last first, then V + 1 is
 * published (nothing changed for readers: it only moves past the version
 * the ins_old slots were prepared for). Nothing readers saw is freed
 * without a grace period. Room for the records is reserved before each
 * change, so a change either fails whole (its error) or is fully recorded.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <rte_rcu_qsbr.h>

#include "pipeline_private.h"
#include "pl_alloc.h"
#include "sl_pipeline_txn.h"

enum txn_kind { TXN_ADDED, TXN_HIDDEN, TXN_SAVED, TXN_GROUP };

/* One change, enough to undo it. */
struct txn_rec {
	uint8_t kind;                     /* enum txn_kind */
	uint8_t reason;                   /* TXN_HIDDEN: OFPRR_* for on_removed */
	uint16_t flags, idle, hard;       /* TXN_SAVED: the fields before */
	struct sl_rule *r;
	const struct sl_instructions *ins; /* TXN_SAVED: the instructions before */
	const struct sl_group *g_old;     /* TXN_GROUP: replaced or deleted, NULL: an add */
	struct sl_group *g_new;           /* TXN_GROUP: added or the replacement, NULL: a delete */
	uint64_t cookie, created_ns, used_ns, packets, bytes;
};

struct pl_txn {
	struct txn_rec *rec;
	size_t n, cap;
	uint32_t hidden[SL_N_TABLES];     /* hidden rules per table */
	uint64_t version;                 /* the rule version its changes are made at */
};

static inline bool
rule_timed(const struct sl_rule *r)
{
	return r->idle_timeout || r->hard_timeout;
}

int
sl_pipeline_txn_begin(struct sl_pipeline *pl)
{
	if (pl->txn != NULL)
		return -EBUSY;
	pl->txn = pl_calloc(1, sizeof(*pl->txn));
	if (pl->txn == NULL)
		return -ENOMEM;
	pl->txn->version = pl->cls_version + 1;
	return 0;
}

uint64_t
pl_txn_version(const struct sl_pipeline *pl)
{
	return pl->txn != NULL ? pl->txn->version : 0;
}

bool
sl_pipeline_txn_open(const struct sl_pipeline *pl)
{
	return pl->txn != NULL;
}

void
sl_pipeline_txn_counts(const struct sl_pipeline *pl, uint64_t *commits, uint64_t *aborts)
{
	*commits = pl->txn_commits;
	*aborts = pl->txn_aborts;
}

int
pl_txn_reserve(struct sl_pipeline *pl, size_t n)
{
	struct pl_txn *t = pl->txn;
	size_t want = t->n + n, cap = t->cap ? t->cap : 64;
	struct txn_rec *nr;

	if (want <= t->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	nr = pl_malloc(cap * sizeof(*nr));
	if (nr == NULL)
		return -ENOMEM;
	if (t->n)
		memcpy(nr, t->rec, t->n * sizeof(*nr));
	free(t->rec);
	t->rec = nr;
	t->cap = cap;
	return 0;
}

/* Room was reserved (pl_txn_reserve) before the change that records. */
static struct txn_rec *
txn_push(struct sl_pipeline *pl, enum txn_kind kind, struct sl_rule *r)
{
	struct txn_rec *e = &pl->txn->rec[pl->txn->n++];

	memset(e, 0, sizeof(*e));
	e->kind = (uint8_t)kind;
	e->r = r;
	return e;
}

void
pl_txn_hide(struct sl_pipeline *pl, struct sl_rule *r, uint8_t reason)
{
	txn_push(pl, TXN_HIDDEN, r)->reason = reason;
	r->txn_flags |= PL_TXN_HIDDEN;
	sl_cls_rule_hide(&r->cr, pl->txn->version);
	pl->txn->hidden[r->table_id]++;
	pl->n_rules--;
}

void
pl_txn_revive(struct sl_pipeline *pl, struct sl_rule *r)
{
	r->txn_flags &= (uint8_t)~PL_TXN_HIDDEN;
	sl_cls_rule_hide(&r->cr, SL_CLS_NEVER);
	pl->txn->hidden[r->table_id]--;
	pl->n_rules++;
}

void
pl_txn_added(struct sl_pipeline *pl, struct sl_rule *r)
{
	txn_push(pl, TXN_ADDED, r);
	r->txn_flags |= PL_TXN_NEW;
}

void
pl_txn_save(struct sl_pipeline *pl, struct sl_rule *r)
{
	struct txn_rec *e = txn_push(pl, TXN_SAVED, r);

	e->ins = r->ins;
	e->cookie = r->cookie;
	e->flags = r->flags;
	e->idle = r->idle_timeout;
	e->hard = r->hard_timeout;
	e->created_ns = r->created_ns;
	e->used_ns = __atomic_load_n(&r->base_used_ns, __ATOMIC_RELAXED);
	e->packets = __atomic_load_n(&r->base_packets, __ATOMIC_RELAXED);
	e->bytes = __atomic_load_n(&r->base_bytes, __ATOMIC_RELAXED);
	if (r->ins_version == pl->txn->version)
		return; /* changed before in this transaction: the old pair is kept */
	/* The pair translations at the published version go on using, then
	 * (release) the version from which they stop: pl_rule_ins_at(). */
	STORE(r->ins_old, r->ins);
	__atomic_store_n(&r->cookie_old, r->cookie, __ATOMIC_RELAXED);
	__atomic_store_n(&r->ins_version, pl->txn->version, __ATOMIC_RELEASE);
	/* Translations that read the new pair stored after this see the new
	 * ins_version at their second look. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

void
pl_txn_group(struct sl_pipeline *pl, const struct sl_group *old, struct sl_group *new)
{
	struct txn_rec *e = txn_push(pl, TXN_GROUP, NULL);

	e->g_old = old;
	e->g_new = new;
}

uint32_t
pl_txn_hidden(const struct sl_pipeline *pl, uint8_t table_id)
{
	return pl->txn != NULL && table_id < SL_N_TABLES ? pl->txn->hidden[table_id] : 0;
}

/* Take a rule out as if it had never been there: no on_removed. */
static void
unlink_silently(struct sl_pipeline *pl, struct sl_rule *r)
{
	sl_cls_remove(&pl->tables[r->table_id].cls, &r->cr);
	pl->n_rules--;
	pl->tables[r->table_id].n_timed -= rule_timed(r);
	pl_group_ref(pl, r->ins, -1);
	sl_rcu_defer(pl->rcu, pl_rule_free, r);
}

/* Readers at the transaction's version see what is there now; then wait
 * until no translation is at an older one (top comment). The control
 * lcore yields while it waits: on a shared machine the workers it waits
 * for may need its CPU. */
static void
txn_publish(struct sl_pipeline *pl, const struct pl_txn *t, bool bump)
{
	struct rte_rcu_qsbr *q = sl_rcu_qsbr(pl->rcu);
	uint64_t token;

	/* One switch instant (top comment): under the tables version before
	 * the bump translations keep the old rule version. Nothing to switch
	 * (an abort, an empty commit): from any tables version. */
	__atomic_store_n(&pl->cls_from[t->version & 1],
			 bump ? sl_pipeline_version(pl) + 1 : 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pl->cls_version, t->version, __ATOMIC_RELEASE);
	if (bump)
		pl_bump(pl); /* the only writer: exactly the version above */
	token = rte_rcu_qsbr_start(q);
	while (rte_rcu_qsbr_check(q, token, false) != 1)
		sched_yield();
}

unsigned int
sl_pipeline_txn_commit(struct sl_pipeline *pl)
{
	struct pl_txn *t = pl->txn;
	size_t n = t->n;

	pl->txn = NULL; /* the removals below are real ones */
	pl_groups_txn_stage(pl, t->version);
	txn_publish(pl, t, n != 0); /* first: no translation needs what goes below */
	pl_groups_txn_install(pl);
	for (size_t i = 0; i < n; i++) {
		struct txn_rec *e = &t->rec[i];
		struct sl_rule *r = e->r;

		if (e->kind == TXN_GROUP) {
			pl_group_txn_retire(pl, e->g_old, e->g_new);
		} else if (e->kind == TXN_SAVED) {
			sl_rcu_defer(pl->rcu, NULL, (void *)e->ins); /* ins_old, or never seen */
		} else if (e->kind == TXN_HIDDEN && (r->txn_flags & PL_TXN_HIDDEN)) {
			/* pl_txn_hide counted it out already; a second record
			 * of the same rule finds the flag cleared */
			bool was_new = r->txn_flags & PL_TXN_NEW;

			r->txn_flags = 0;
			pl->n_rules++;
			if (was_new)
				unlink_silently(pl, r); /* nobody ever saw it */
			else
				pl_rule_remove(pl, r, e->reason);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (t->rec[i].kind == TXN_ADDED)
			t->rec[i].r->txn_flags = 0; /* removed above: deferred, not freed yet */
	pl->txn_commits++;
	free(t->rec);
	free(t);
	return (unsigned int)n;
}

/* Put back what the record saved. ins_old and ins_version stay: they hold
 * the same instructions and cookie as restored here, and a translation
 * between the two could read the transaction's ins with the restored
 * ins_version if that moved back. */
static void
undo_saved(struct sl_pipeline *pl, const struct txn_rec *e)
{
	struct sl_rule *r = e->r;
	struct sl_table *tb = &pl->tables[r->table_id];
	const struct sl_instructions *cur = r->ins;

	pl_group_ref(pl, e->ins, +1);
	STORE(r->ins, e->ins);
	pl_group_ref(pl, cur, -1);
	sl_rcu_defer(pl->rcu, NULL, (void *)cur);
	tb->n_timed -= rule_timed(r);
	__atomic_store_n(&r->cookie, e->cookie, __ATOMIC_RELAXED);
	r->flags = e->flags;
	r->idle_timeout = e->idle;
	r->hard_timeout = e->hard;
	tb->n_timed += rule_timed(r);
	r->created_ns = e->created_ns;
	/* The shards only grow: the old base gives the old sums back. */
	__atomic_store_n(&r->base_used_ns, e->used_ns, __ATOMIC_RELAXED);
	__atomic_store_n(&r->base_packets, e->packets, __ATOMIC_RELAXED);
	__atomic_store_n(&r->base_bytes, e->bytes, __ATOMIC_RELAXED);
}

void
sl_pipeline_txn_abort(struct sl_pipeline *pl)
{
	struct pl_txn *t = pl->txn;

	/* pl->txn stays set while undoing: nothing logs a version bump */
	for (size_t i = t->n; i-- > 0;) {
		struct txn_rec *e = &t->rec[i];
		struct sl_rule *r = e->r;

		switch (e->kind) {
		case TXN_HIDDEN:
			if (r->txn_flags & PL_TXN_HIDDEN) {
				r->txn_flags &= (uint8_t)~PL_TXN_HIDDEN;
				sl_cls_rule_hide(&r->cr, SL_CLS_NEVER);
				pl->n_rules++;
			}
			break;
		case TXN_SAVED:
			undo_saved(pl, e);
			break;
		case TXN_ADDED:
			r->txn_flags = 0;
			unlink_silently(pl, r);
			break;
		case TXN_GROUP:
			pl_group_txn_undo(pl, e->g_old, e->g_new);
			break;
		}
	}
	free(pl->txn_groups); /* the transaction's copy: no reader has it */
	pl->txn_groups = NULL;
	pl->txn = NULL;
	pl->txn_aborts++;
	txn_publish(pl, t, false); /* the next transaction may use the ins_old slots */
	free(t->rec);
	free(t);
}
