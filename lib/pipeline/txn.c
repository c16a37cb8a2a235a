/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transactions over the flow tables (sl_pipeline_txn.h): an undo log kept
 * by the writer, and a sequence lock that keeps translations out while a
 * transaction is open.
 *
 * Why readers see all or nothing. The writer makes commit_seq odd (then a
 * release fence, so no change of the transaction becomes visible before
 * it), applies the flow-mods, bumps the version once and makes commit_seq
 * even with a release store. A translation loads commit_seq with acquire,
 * waits while it is odd, translates, then (acquire fence) loads it again
 * and translates anew if it moved: a translation that read any change of
 * the transaction read the odd or a later value there (fence-to-fence
 * synchronisation), so a kept translation saw either no change (and the
 * old version) or all of them and the new version. Cached translations of
 * the old state carry the old version and are revalidated after the one
 * bump, which is GLOBAL in the change log (no entry is kept by the log's
 * disjointness proof). The writer never waits for readers in between (no
 * RCU synchronize: sl_rcu_set_nowait), or a reader waiting for the commit
 * and the writer waiting for that reader's quiescent state would deadlock.
 *
 * Why an abort restores exactly. Deleted rules are only hidden (the
 * classifier keeps them: re-inserting could need memory an abort cannot
 * count on); replaced instructions are kept, with the fields and base
 * counters a replacement changes; added rules are removed again. Records
 * are undone last first; nothing readers saw is freed without a grace
 * period. Room for the records is reserved before each change, so a
 * change either fails whole (its error) or is fully recorded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline_private.h"
#include "pl_alloc.h"
#include "sl_pipeline_txn.h"

enum txn_kind { TXN_ADDED, TXN_HIDDEN, TXN_SAVED };

/* One change, enough to undo it. */
struct txn_rec {
	uint8_t kind;                     /* enum txn_kind */
	uint8_t reason;                   /* TXN_HIDDEN: OFPRR_* for on_removed */
	uint16_t flags, idle, hard;       /* TXN_SAVED: the fields before */
	struct sl_rule *r;
	const struct sl_instructions *ins; /* TXN_SAVED: the instructions before */
	uint64_t cookie, created_ns, used_ns, packets, bytes;
};

struct pl_txn {
	struct txn_rec *rec;
	size_t n, cap;
	uint32_t hidden[SL_N_TABLES];     /* hidden rules per table */
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
	sl_rcu_set_nowait(pl->rcu, true);
	__atomic_store_n(&pl->commit_seq, pl->commit_seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return 0;
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
	pl->txn->hidden[r->table_id]++;
	pl->n_rules--;
}

void
pl_txn_revive(struct sl_pipeline *pl, struct sl_rule *r)
{
	r->txn_flags &= (uint8_t)~PL_TXN_HIDDEN;
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
pl_txn_retire_ins(struct sl_pipeline *pl, struct sl_rule *r, const struct sl_instructions *old)
{
	struct txn_rec *e = txn_push(pl, TXN_SAVED, r);

	e->ins = old;
	e->cookie = r->cookie;
	e->flags = r->flags;
	e->idle = r->idle_timeout;
	e->hard = r->hard_timeout;
	e->created_ns = r->created_ns;
	e->used_ns = __atomic_load_n(&r->base_used_ns, __ATOMIC_RELAXED);
	e->packets = __atomic_load_n(&r->base_packets, __ATOMIC_RELAXED);
	e->bytes = __atomic_load_n(&r->base_bytes, __ATOMIC_RELAXED);
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

static void
txn_close(struct sl_pipeline *pl, struct pl_txn *t)
{
	free(t->rec);
	free(t);
	sl_rcu_set_nowait(pl->rcu, false);
	__atomic_store_n(&pl->commit_seq, pl->commit_seq + 1, __ATOMIC_RELEASE);
}

unsigned int
sl_pipeline_txn_commit(struct sl_pipeline *pl)
{
	struct pl_txn *t = pl->txn;
	size_t n = t->n;

	pl->txn = NULL; /* the removals below are real ones */
	for (size_t i = 0; i < n; i++) {
		struct txn_rec *e = &t->rec[i];
		struct sl_rule *r = e->r;

		if (e->kind == TXN_SAVED) {
			sl_rcu_defer(pl->rcu, NULL, (void *)e->ins);
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
	if (n)
		pl_bump(pl);
	pl->txn_commits++;
	txn_close(pl, t);
	return (unsigned int)n;
}

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
	r->cookie = e->cookie;
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

	pl->txn = NULL;
	for (size_t i = t->n; i-- > 0;) {
		struct txn_rec *e = &t->rec[i];
		struct sl_rule *r = e->r;

		switch (e->kind) {
		case TXN_HIDDEN:
			if (r->txn_flags & PL_TXN_HIDDEN) {
				r->txn_flags &= (uint8_t)~PL_TXN_HIDDEN;
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
		}
	}
	pl->txn_aborts++;
	txn_close(pl, t);
}
