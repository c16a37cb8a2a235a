/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Recirculation after pop_mpls / pop_pbb (see README "Recirculation").
 *
 * The flow key holds only what the parser saw: the payload behind an MPLS
 * label or a PBB I-TAG was never parsed. When a pop exposes it and anything
 * after the pop could read it (another action that is not a plain output, a
 * goto_table, the action set), translation stops: it emits the actions so far
 * plus SL_EXEC_RECIRC(id) and *freezes* the rest (remaining actions of the
 * current list, the rest of the rule's instructions, the action set, the
 * pipeline metadata, table/cookie for packet-ins) into this table. The worker
 * runs the actions, parses the packet again, sets key.recirc_id = id and looks
 * it up again; sl_xlate() of that key resumes from the frozen state.
 *
 * Ids are interned by content: the same frozen state always gets the same id
 * while it lives, so first-pass megaflows stay reusable and second-pass
 * megaflows (which match recirc_id exactly) too.
 *
 * Concurrency and lifetime. Readers (workers translating misses) intern and
 * resume; the one writer (control lcore) sweeps. Interning takes a spinlock
 * for one hash probe (translation is the miss path; never held across a
 * burst). Resume reads by_id[] with an acquire load, no lock. Each entry
 * remembers the tables version of the last translation that used it
 * (`last_version`); pl_recirc_sweep(), called from sl_pipeline_reclaim(),
 * unlinks entries whose last_version is at least 2 versions old and frees them
 * through the pipeline's RCU (sl_rcu_defer). Their id slot holds a tombstone
 * until that grace period ends, so an id a reader still holds is never given
 * to another state (it reads as lost instead). A megaflow built from a
 * translation at version v <= last_version is stale by then, so it is
 * revalidated (re-interned) before it forwards again; a packet whose two
 * passes straddle two version bumps may find its id gone (SL_XLATE_RECIRC_LOST:
 * dropped and counted by the worker).
 */
#include <stdlib.h>

#include "pl_alloc.h"

#include <rte_spinlock.h>

#include "xlate_private.h"

#define RECIRC_DEFAULT_MAX 4096
/* An id slot whose entry is unlinked but may still be read: not reusable yet. */
#define RECIRC_TOMB ((struct recirc_entry *)1)

/* The key's tunnel addresses: tun_ipv4_src through tun_ipv6_dst, contiguous. */
#define TUN_ADDR_OFS offsetof(struct sl_flow_key, tun_ipv4_src)
#define TUN_ADDR_BYTES (offsetof(struct sl_flow_key, tun_ipv6_dst) + 16 - TUN_ADDR_OFS)
_Static_assert(TUN_ADDR_BYTES == 40, "tun_ipv4_src..tun_ipv6_dst are w3..w7");

/* Frozen state: this header, then n_acts + n_write + n_aset struct sl_action. */
struct frozen {
	uint8_t kind;          /* enum xframe_kind of the continuation */
	uint8_t table_id;
	uint8_t miss_rule;
	uint8_t group_depth;
	uint8_t clear, has_write, has_wmd, has_goto;
	uint8_t goto_table;
	uint8_t pad[3];
	uint16_t n_acts, n_write, n_aset, pad2;
	uint64_t cookie;
	uint64_t metadata;     /* pipeline metadata (network order, as in the key) */
	uint64_t tunnel_id;    /* the key's tunnel_id (set_field may have changed it) */
	uint8_t tun[TUN_ADDR_BYTES]; /* ... and its tunnel addresses (key w3..w7) */
	uint64_t md, md_mask;  /* XF_APPLY write-metadata still to apply */
	struct sl_action a[];
};

struct recirc_entry {
	uint32_t id;
	uint32_t hash;
	uint32_t len;          /* bytes of f */
	uint64_t last_version; /* atomic */
	struct recirc_entry *next_dead; /* sweep: unlinked, to defer after unlocking */
	struct sl_recirc_table *table;  /* for the deferred release of the id slot */
	struct frozen f;       /* must stay last */
};

struct sl_recirc_table {
	rte_spinlock_t lock;
	uint32_t max;            /* ids 1..max */
	uint32_t n;
	uint32_t next;           /* where the search for a free id starts */
	uint32_t idx_mask;
	uint64_t swept_version;
	struct recirc_entry **by_id;   /* [id - 1], published with release stores */
	uint32_t *idx;                 /* open addressing: hash -> id (0 = empty) */
};

struct sl_recirc_table *
pl_recirc_create(uint32_t max_ids)
{
	struct sl_recirc_table *t = pl_calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->max = max_ids ? max_ids : RECIRC_DEFAULT_MAX;
	uint32_t sz = 16;
	while (sz < 2 * t->max)
		sz <<= 1;
	t->idx_mask = sz - 1;
	t->by_id = pl_calloc(t->max, sizeof(*t->by_id));
	t->idx = pl_calloc(sz, sizeof(*t->idx));
	if (t->by_id == NULL || t->idx == NULL) {
		pl_recirc_destroy(t);
		return NULL;
	}
	rte_spinlock_init(&t->lock);
	return t;
}

void
pl_recirc_destroy(struct sl_recirc_table *t)
{
	if (t == NULL)
		return;
	for (uint32_t i = 0; t->by_id && i < t->max; i++)
		if (t->by_id[i] != RECIRC_TOMB)
			free(t->by_id[i]);
	free(t->by_id);
	free(t->idx);
	free(t);
}

unsigned int
sl_pipeline_n_recirc(const struct sl_pipeline *pl)
{
	return pl->recirc ? __atomic_load_n(&pl->recirc->n, __ATOMIC_RELAXED) : 0;
}

static uint32_t
blob_hash(const void *p, size_t len)
{
	/* FNV-1a: frozen states are small and interned on the miss path only. */
	const uint8_t *b = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* Find or add @f (len bytes). Returns the id, 0 when full / out of memory. */
static uint32_t
intern(struct sl_recirc_table *t, const struct frozen *f, uint32_t len, uint64_t version)
{
	uint32_t h = blob_hash(f, len), id = 0;
	rte_spinlock_lock(&t->lock);
	uint32_t slot = h & t->idx_mask;
	for (; t->idx[slot]; slot = (slot + 1) & t->idx_mask) {
		struct recirc_entry *e = t->by_id[t->idx[slot] - 1];
		if (e->hash == h && e->len == len && memcmp(&e->f, f, len) == 0) {
			__atomic_store_n(&e->last_version, version, __ATOMIC_RELAXED);
			id = e->id;
			goto out;
		}
	}
	uint32_t free_slot = t->next, tries = 0;
	while (tries < t->max && t->by_id[free_slot] != NULL) { /* live or tombstone */
		free_slot = (free_slot + 1) % t->max;
		tries++;
	}
	if (tries == t->max)
		goto out; /* full (tombstones free up after their grace period) */
	struct recirc_entry *e = pl_malloc(offsetof(struct recirc_entry, f) + len);
	if (e == NULL)
		goto out;
	t->next = free_slot;
	e->id = t->next + 1;
	t->next = (t->next + 1) % t->max; /* round robin: a swept id is not reused at once */
	e->hash = h;
	e->len = len;
	e->last_version = version;
	e->table = t;
	memcpy(&e->f, f, len);
	t->idx[slot] = e->id;
	__atomic_store_n(&t->by_id[e->id - 1], e, __ATOMIC_RELEASE);
	__atomic_store_n(&t->n, t->n + 1, __ATOMIC_RELAXED);
	id = e->id;
out:
	rte_spinlock_unlock(&t->lock);
	return id;
}

/* After the grace period of a swept entry: its id may be handed out again. */
static void
entry_release(void *p)
{
	struct recirc_entry *e = p;
	struct sl_recirc_table *t = e->table;
	rte_spinlock_lock(&t->lock);
	__atomic_store_n(&t->by_id[e->id - 1], NULL, __ATOMIC_RELAXED);
	rte_spinlock_unlock(&t->lock);
	free(e);
}

unsigned int
pl_recirc_sweep(struct sl_pipeline *pl)
{
	struct sl_recirc_table *t = pl->recirc;
	uint64_t v = sl_pipeline_version(pl);
	unsigned int freed = 0;
	struct recirc_entry *dead = NULL;
	if (t == NULL || v == t->swept_version || __atomic_load_n(&t->n, __ATOMIC_RELAXED) == 0)
		return 0;
	t->swept_version = v;
	rte_spinlock_lock(&t->lock);
	for (uint32_t i = 0; i < t->max; i++) {
		struct recirc_entry *e = t->by_id[i];
		if (e == NULL || e == RECIRC_TOMB ||
		    __atomic_load_n(&e->last_version, __ATOMIC_RELAXED) + 2 > v)
			continue;
		__atomic_store_n(&t->by_id[i], RECIRC_TOMB, __ATOMIC_RELEASE);
		e->next_dead = dead;
		dead = e;
		__atomic_store_n(&t->n, t->n - 1, __ATOMIC_RELAXED);
		freed++;
	}
	if (freed) { /* rebuild the content index (no tombstones to manage) */
		memset(t->idx, 0, (t->idx_mask + 1) * sizeof(*t->idx));
		for (uint32_t i = 0; i < t->max; i++) {
			struct recirc_entry *e = t->by_id[i];
			if (e == NULL || e == RECIRC_TOMB)
				continue;
			uint32_t slot = e->hash & t->idx_mask;
			while (t->idx[slot])
				slot = (slot + 1) & t->idx_mask;
			t->idx[slot] = e->id;
		}
	}
	rte_spinlock_unlock(&t->lock);
	/* Not under the lock: without memory sl_rcu_defer waits for a grace
	 * period, which readers spinning on the lock would never give. */
	while (dead != NULL) {
		struct recirc_entry *next = dead->next_dead;
		sl_rcu_defer(pl->rcu, entry_release, dead);
		dead = next;
	}
	return freed;
}

/* ------------------------------------------------------------ freeze ---- */

/* Can this action read headers a pop exposed? Plain outputs and queues cannot. */
static bool
needs_headers(const struct sl_action *a)
{
	if (a->type == OFPAT_OUTPUT)
		return a->output.port == OFPP_TABLE;
	return a->type != OFPAT_SET_QUEUE;
}

static bool
list_needs_headers(const struct sl_action *a, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (needs_headers(&a[i]))
			return true;
	return false;
}

/* Action set slots >= first (and the set_fields if they run later). */
static bool
aset_needs_headers(const struct action_set *as, int first)
{
	if (first <= AS_SET_FIELD && as->sf_present)
		return true;
	for (int s = first; s < AS_N; s++)
		if ((as->present & (1u << s)) && s != AS_SET_FIELD && needs_headers(&as->slot[s]))
			return true;
	return false;
}

/* Flatten the action set slots >= first into @out; returns the count. */
static unsigned int
aset_flatten(const struct action_set *as, int first, struct sl_action *out)
{
	unsigned int n = 0;
	for (int s = first; s < AS_N; s++)
		if ((as->present & (1u << s)) && s != AS_SET_FIELD)
			out[n++] = as->slot[s];
	if (first <= AS_SET_FIELD)
		for (unsigned int f = 0; f < SL_OXM_N_FIELDS; f++)
			if (as->sf_present & (1ull << f))
				out[n++] = as->sf[f];
	return n;
}

/* Does what follows the running pop depend on the packet's headers? */
static bool
continuation_needs_headers(const struct xctx *x)
{
	const struct xframe *fr = &x->fr;
	switch (fr->kind) {
	case XF_ASET:
		return aset_needs_headers(&x->aset, fr->aset_slot + 1);
	case XF_APPLY: {
		const struct xpost *p = fr->post;
		return list_needs_headers(fr->acts + fr->i + 1, fr->n - fr->i - 1) || p->has_goto ||
		       (p->has_write && list_needs_headers(p->write, p->n_write)) ||
		       (!p->clear && aset_needs_headers(&x->aset, 0));
	}
	default:
		return list_needs_headers(fr->acts + fr->i + 1, fr->n - fr->i - 1);
	}
}

static void
freeze_header(const struct xctx *x, struct frozen *f)
{
	f->kind = x->fr.kind;
	f->table_id = x->table_id;
	f->miss_rule = x->miss_rule;
	f->group_depth = (uint8_t)x->group_depth;
	f->cookie = x->cookie;
	f->metadata = x->key.metadata;
	f->tunnel_id = x->key.tunnel_id;
	memcpy(f->tun, (const uint8_t *)&x->key + TUN_ADDR_OFS, TUN_ADDR_BYTES);
	if (x->fr.kind == XF_APPLY) {
		const struct xpost *p = x->fr.post;
		f->clear = p->clear;
		f->has_write = p->has_write;
		f->has_wmd = p->has_wmd;
		f->has_goto = p->has_goto;
		f->goto_table = p->goto_table;
		f->md = p->md;
		f->md_mask = p->md_mask;
	}
}

void
xl_recirc_after_pop(struct xctx *x)
{
	struct sl_recirc_table *t = x->pl->recirc;
	if (x->error || x->no_freeze || t == NULL || !continuation_needs_headers(x))
		return;
	const struct xframe *fr = &x->fr;
	unsigned int n_acts = fr->kind == XF_ASET ? 0 : fr->n - fr->i - 1;
	unsigned int n_write = fr->kind == XF_APPLY && fr->post->has_write ? fr->post->n_write : 0;
	unsigned int max_aset = AS_N + SL_OXM_N_FIELDS;
	if (n_acts + n_write + max_aset > UINT16_MAX) {
		x->error = SL_XLATE_TOO_MANY_ACTIONS;
		return;
	}
	size_t cap = sizeof(struct frozen) + (n_acts + n_write + max_aset) * sizeof(struct sl_action);
	struct frozen *f = pl_calloc(1, cap); /* zeroed: padding takes part in the interning */
	if (f == NULL) {
		x->error = SL_XLATE_RECIRC_FULL;
		return;
	}
	/* The frozen tunnel metadata comes from the packet unless an action
	 * wrote it: the megaflow must then match it, or packets that differ
	 * only there would share a recirc_id made of one of them. */
	CONSULT_MEMBER(x, tunnel_id);
	consult_bytes(x, TUN_ADDR_OFS, TUN_ADDR_BYTES);
	freeze_header(x, f);
	if (n_acts)
		memcpy(f->a, fr->acts + fr->i + 1, n_acts * sizeof(struct sl_action));
	if (n_write)
		memcpy(f->a + n_acts, fr->post->write, n_write * sizeof(struct sl_action));
	/* XF_ASET: only the slots after the pop; XF_APPLY/XF_LIST: the whole set
	 * (XF_LIST never executes it, but a bucket's set is the rule's, unused). */
	unsigned int n_aset = fr->kind == XF_LIST ? 0
			      : aset_flatten(&x->aset, fr->kind == XF_ASET ? fr->aset_slot + 1 : 0,
					     f->a + n_acts + n_write);
	f->n_acts = (uint16_t)n_acts;
	f->n_write = (uint16_t)n_write;
	f->n_aset = (uint16_t)n_aset;
	uint32_t len = (uint32_t)(sizeof(*f) + (n_acts + n_write + n_aset) * sizeof(struct sl_action));
	uint32_t id = intern(t, f, len, sl_pipeline_version(x->pl));
	free(f);
	if (id == 0) {
		x->error = SL_XLATE_RECIRC_FULL;
		return;
	}
	struct sl_exec_action *d = emit(x, SL_EXEC_RECIRC);
	x->out->recirc = 1;
	if (d == NULL)
		return;
	d->recirc_id = id;
	x->frozen = true;
}

/* ------------------------------------------------------------ resume ---- */

void
xl_resume(struct xctx *x, uint32_t recirc_id)
{
	struct sl_recirc_table *t = x->pl->recirc;
	struct recirc_entry *e = NULL;
	if (t != NULL && recirc_id <= t->max)
		e = __atomic_load_n(&t->by_id[recirc_id - 1], __ATOMIC_ACQUIRE);
	if (e == NULL || e == RECIRC_TOMB) {
		x->error = SL_XLATE_RECIRC_LOST;
		return;
	}
	uint64_t v = sl_pipeline_version(x->pl);
	if (__atomic_load_n(&e->last_version, __ATOMIC_RELAXED) < v)
		__atomic_store_n(&e->last_version, v, __ATOMIC_RELAXED);
	const struct frozen *f = &e->f;
	/* Pipeline state is restored as constants of this id (written, so it
	 * never widens or narrows the mask beyond recirc_id). */
	x->key.metadata = f->metadata;
	x->key.tunnel_id = f->tunnel_id;
	WRITTEN_MEMBER(x, tunnel_id);
	memcpy((uint8_t *)&x->key + TUN_ADDR_OFS, f->tun, TUN_ADDR_BYTES);
	mark_written_bytes(x, TUN_ADDR_OFS, TUN_ADDR_BYTES);
	x->table_id = f->table_id;
	x->cookie = f->cookie;
	x->miss_rule = f->miss_rule;
	x->group_depth = f->group_depth;
	xl_aset_write(&x->aset, f->a + f->n_acts + f->n_write, f->n_aset);
	struct xpost post = {
		.clear = f->clear, .has_write = f->has_write, .has_wmd = f->has_wmd,
		.has_goto = f->has_goto, .goto_table = f->goto_table, .n_write = f->n_write,
		.write = f->a + f->n_acts, .md = f->md, .md_mask = f->md_mask,
	};
	if (f->kind == XF_ASET) {
		xl_aset_execute(x);
		return;
	}
	x->fr.kind = f->kind;
	x->fr.post = &post;
	xl_run_actions(x, f->a, f->n_acts);
	if (f->kind != XF_APPLY || x->error || x->frozen)
		return;
	if (xl_apply_post(x, &post))
		xl_run_tables(x, post.goto_table);
	else
		xl_aset_execute(x);
}
