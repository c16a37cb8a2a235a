/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Group table. Groups are immutable once published: a group-mod builds a
 * new group object, publishes it with one release store into its slot of
 * the id->group map (open addressing, linear probing), and defers the group
 * it replaced. Readers probe the map without locks.
 *
 * The map is changed in place: copying it on every group-mod made n group
 * adds cost O(n^2) (65536 groups: 2^31 slot copies, minutes of control
 * lcore). A delete leaves a tombstone (readers probe past it, as past a
 * group) that a later add may reuse; when live groups and tombstones fill
 * half the slots the map is rebuilt once, larger and without tombstones, and
 * the new one published (amortised O(1) per group-mod).
 *
 * Inside a transaction (sl_pipeline_txn.h) group-mods change a private copy
 * of the map (txn_groups, made at the transaction's first group-mod), which
 * only the writer sees (sl_pipeline_group); translations keep reading the
 * published map. The commit shows the copy to translations at the new rule
 * version (groups_next), waits for a grace period and publishes it; an
 * abort undoes each change in the copy, last first, so that the counters
 * the changes moved (flow and group references, on group stats the copy
 * shares with the published groups) come back exactly, and drops it.
 * Groups a transaction replaced or deleted are freed after its commit.
 */
#include <stdlib.h>

#include "pl_alloc.h"
#include <string.h>

#include "pipeline_private.h"

static inline uint32_t
group_hash(uint32_t id)
{
	return id * 2654435761u;
}

/* A deleted group's slot: not empty (probes go on past it), never found. */
static struct sl_group tombstone = { .group_id = UINT32_MAX };
#define TOMBSTONE (&tombstone)

static inline struct sl_group *
slot_load(const struct group_map *m, uint32_t i)
{
	return __atomic_load_n(&m->slots[i], __ATOMIC_ACQUIRE);
}

/* A live group in slot @p i, or NULL (empty or tombstone). */
static inline struct sl_group *
slot_group(const struct group_map *m, uint32_t i)
{
	struct sl_group *g = slot_load(m, i);
	return g == TOMBSTONE ? NULL : g;
}

/* Slot holding group @p id, or -1. (OFPG_MAX < UINT32_MAX: never the
 * tombstone's id.) */
static int64_t
map_slot(const struct group_map *m, uint32_t id)
{
	if (m == NULL)
		return -1;
	for (uint32_t i = group_hash(id) & m->mask;; i = (i + 1) & m->mask) {
		const struct sl_group *g = slot_load(m, i);
		if (g == NULL)
			return -1;
		if (g->group_id == id)
			return i;
	}
}

static const struct sl_group *
map_find(const struct group_map *m, uint32_t id)
{
	int64_t i = map_slot(m, id);
	return i < 0 ? NULL : m->slots[i];
}

/* The map the writer changes: the open transaction's copy, or the published one. */
static inline struct group_map *
wmap(const struct sl_pipeline *pl)
{
	return pl->txn_groups != NULL ? pl->txn_groups : pl->groups;
}

const struct sl_group *
sl_pipeline_group(const struct sl_pipeline *pl, uint32_t group_id)
{
	return map_find(wmap(pl), group_id);
}

/* Acquire on groups_next: a translation at the version it is shown from
 * read that version (acquire) after the map was stored; once the commit
 * publishes the map and clears groups_next, LOAD(groups) is that map. */
const struct sl_group *
sl_pipeline_group_at(const struct sl_pipeline *pl, uint32_t group_id, uint64_t version)
{
	const struct group_map *m = LOAD(pl->groups_next);

	if (m == NULL || version < __atomic_load_n(&pl->groups_next_version, __ATOMIC_RELAXED))
		m = LOAD(pl->groups);
	return map_find(m, group_id);
}

uint32_t
sl_pipeline_n_groups(const struct sl_pipeline *pl)
{
	const struct group_map *m = wmap(pl);
	return m ? m->n : 0;
}

/*
 * Liveness (fast failover). A group is live when one of its buckets is:
 * its watched port is live and its watched group is live, through chains
 * of at most PL_LIVE_MAX_DEPTH watches. Walking every path is exponential:
 * 40 groups, each with two buckets watching the next, are 2^40 paths, which
 * hung the control lcore. A group's answer at a depth does not depend on
 * the path that led there, so it is worked out once per (group, depth)
 * (pl_live_memo) and the walk is linear in the groups it reaches; a query
 * that needs more than the memo holds gives up (not live) rather than
 * run long.
 */
#define PL_LIVE_MAX_DEPTH 32

static bool group_live_depth(const struct sl_pipeline *pl, uint32_t id, unsigned int depth,
			     struct pl_live_memo *memo);

static bool
bucket_live_depth(const struct sl_pipeline *pl, const struct sl_bucket *b, unsigned int depth,
		  struct pl_live_memo *memo)
{
	if (b->watch_port != OFPP_ANY && !sl_pipeline_port_live(pl, b->watch_port))
		return false;
	if (b->watch_group != OFPG_ANY && !group_live_depth(pl, b->watch_group, depth + 1, memo))
		return false;
	return true;
}

static bool
group_live_depth(const struct sl_pipeline *pl, uint32_t id, unsigned int depth,
		 struct pl_live_memo *memo)
{
	const struct sl_group *g = sl_pipeline_group(pl, id);
	int known = pl_live_memo_get(memo, id, depth);
	bool live = false;

	if (known >= 0)
		return known;
	if (g == NULL || depth > PL_LIVE_MAX_DEPTH || memo->overflow)
		return false;
	for (uint16_t i = 0; i < g->n_buckets && !live; i++)
		live = bucket_live_depth(pl, &g->buckets[i], depth, memo);
	pl_live_memo_put(memo, id, depth, live);
	return live && !memo->overflow;
}

bool
sl_pipeline_group_live(const struct sl_pipeline *pl, uint32_t group_id)
{
	struct pl_live_memo memo = { .n = 0 };

	return group_live_depth(pl, group_id, 0, &memo);
}

/* Build a map of @p m's groups minus @p drop_id, plus @p add (may be NULL),
 * with room for as many again and no tombstones. */
static struct group_map *
map_rebuild(const struct group_map *m, uint32_t drop_id, struct sl_group *add)
{
	uint32_t n = (m ? m->n : 0) + 1;
	uint32_t size = 16;
	while (size < n * 4)
		size <<= 1;
	struct group_map *nm = pl_calloc(1, sizeof(*nm) + size * sizeof(nm->slots[0]));
	if (nm == NULL)
		return NULL;
	nm->mask = size - 1;
	for (uint32_t k = 0; k < 2; k++) {
		for (uint32_t s = 0; k == 0 && m && s <= m->mask; s++) {
			struct sl_group *g = m->slots[s];
			if (g == NULL || g == TOMBSTONE || g->group_id == drop_id)
				continue;
			uint32_t i = group_hash(g->group_id) & nm->mask;
			while (nm->slots[i])
				i = (i + 1) & nm->mask;
			nm->slots[i] = g;
			nm->n++;
		}
		if (k == 1 && add) {
			uint32_t i = group_hash(add->group_id) & nm->mask;
			while (nm->slots[i])
				i = (i + 1) & nm->mask;
			nm->slots[i] = add;
			nm->n++;
		}
	}
	return nm;
}

/* Copy a group-mod's buckets into one block. */
static struct sl_group *
group_build(const struct sl_group_mod *gm)
{
	size_t n_acts = 0;
	for (uint16_t i = 0; i < gm->n_buckets; i++)
		n_acts += gm->buckets[i].n_actions;
	size_t sz = sizeof(struct sl_group) + gm->n_buckets * sizeof(struct sl_bucket) +
		    n_acts * sizeof(struct sl_action);
	struct sl_group *g = pl_calloc(1, sz);
	if (g == NULL)
		return NULL;
	g->group_id = gm->group_id;
	g->type = gm->type;
	g->n_buckets = gm->n_buckets;
	struct sl_action *acts = (struct sl_action *)&g->buckets[gm->n_buckets];
	for (uint16_t i = 0; i < gm->n_buckets; i++) {
		g->buckets[i] = gm->buckets[i];
		g->buckets[i].n_packets = g->buckets[i].n_bytes = 0;
		g->buckets[i].actions = acts;
		if (gm->buckets[i].n_actions)
			memcpy(acts, gm->buckets[i].actions,
			       gm->buckets[i].n_actions * sizeof(*acts));
		acts += gm->buckets[i].n_actions;
	}
	return g;
}

/* The group a bucket names at position @p i: its actions' groups
 * (0..n_actions-1), then its watched group (n_actions); OFPG_ANY: none. */
static inline uint32_t
bucket_edge(const struct sl_bucket *bk, uint16_t i)
{
	if (i < bk->n_actions)
		return bk->actions[i].type == OFPAT_GROUP ? bk->actions[i].group_id : OFPG_ANY;
	return bk->watch_group;
}

/*
 * Does following group and watch edges from @p g (as it would be published,
 * @p g replacing the group of its id) reach @p target? A depth-first walk
 * that visits each group once (a set of the ids seen): linear in the groups
 * and edges, where walking every path was exponential (a chain of groups
 * with two buckets each pointing to the next) and hung the control lcore.
 * Returns -1 when out of memory.
 */
static int
reaches(const struct sl_pipeline *pl, const struct sl_group *g, uint32_t target)
{
	uint32_t n = sl_pipeline_n_groups(pl) + 1, size = 16;
	const struct sl_group **stack;
	uint32_t *seen, depth = 0;
	int found = 0;
	bool edges = false;

	for (uint16_t b = 0; b < g->n_buckets && !edges; b++)
		for (uint16_t a = 0; a <= g->buckets[b].n_actions && !edges; a++)
			edges = bucket_edge(&g->buckets[b], a) != OFPG_ANY;
	if (!edges)
		return 0; /* names no group: reaches none (most groups) */
	while (size < 2 * n)
		size <<= 1;
	stack = pl_calloc(n, sizeof(*stack));
	seen = pl_calloc(size, sizeof(*seen));
	if (stack == NULL || seen == NULL) {
		free(stack);
		free(seen);
		return -1;
	}
	/* seen[] holds id + 1 (0: empty); OFPG_MAX is below UINT32_MAX */
	stack[depth++] = g;
	for (uint32_t i = group_hash(g->group_id) & (size - 1);; i = (i + 1) & (size - 1))
		if (seen[i] == 0) {
			seen[i] = g->group_id + 1;
			break;
		}
	while (depth > 0 && !found) {
		const struct sl_group *cur = stack[--depth];

		for (uint16_t b = 0; b < cur->n_buckets && !found; b++) {
			const struct sl_bucket *bk = &cur->buckets[b];

			for (uint16_t a = 0; a <= bk->n_actions && !found; a++) {
				uint32_t next = bucket_edge(bk, a);

				if (next == OFPG_ANY)
					continue;
				if (next == target) {
					found = 1;
					break;
				}
				const struct sl_group *ng = next == g->group_id ? g :
							    sl_pipeline_group(pl, next);
				if (ng == NULL)
					continue;
				uint32_t i = group_hash(next) & (size - 1);
				while (seen[i] != 0 && seen[i] != next + 1)
					i = (i + 1) & (size - 1);
				if (seen[i] != 0)
					continue; /* walked from already */
				seen[i] = next + 1;
				stack[depth++] = ng; /* each group once: n slots suffice */
			}
		}
	}
	free(stack);
	free(seen);
	return found;
}

static int
check_buckets(const struct sl_pipeline *pl, const struct sl_group_mod *gm)
{
	if (gm->type > OFPGT_FF)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_TYPE);
	if (gm->type == OFPGT_INDIRECT && gm->n_buckets != 1)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET);
	for (uint16_t i = 0; i < gm->n_buckets; i++) {
		const struct sl_bucket *b = &gm->buckets[i];
		if (gm->type != OFPGT_SELECT && b->weight != 0)
			return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_WEIGHT_UNSUPPORTED);
		if (gm->type == OFPGT_FF && b->watch_port == OFPP_ANY &&
		    b->watch_group == OFPG_ANY)
			return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH);
		if (b->watch_group != OFPG_ANY && b->watch_group != gm->group_id &&
		    !sl_pipeline_group(pl, b->watch_group))
			return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH);
		int rc = sl_actions_validate(b->actions, b->n_actions, NULL, false);
		if (rc)
			return rc;
		for (uint16_t a = 0; a < b->n_actions; a++)
			if (b->actions[a].type == OFPAT_GROUP &&
			    b->actions[a].group_id != gm->group_id &&
			    !sl_pipeline_group(pl, b->actions[a].group_id))
				return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP);
	}
	return 0;
}

static void
publish(struct sl_pipeline *pl, struct group_map *nm)
{
	if (pl->txn_groups != NULL) {
		free(pl->txn_groups); /* the transaction's copy: no reader has it */
		pl->txn_groups = nm;
		return;
	}
	struct group_map *old = pl->groups;
	STORE(pl->groups, nm);
	sl_rcu_defer(pl->rcu, NULL, old);
	pl_bump(pl);
}

/* Put @p g in the map, in place of the group of its id if there is one.
 * Returns -1 (nothing changed) when out of memory. */
static int
map_put(struct sl_pipeline *pl, struct sl_group *g)
{
	struct group_map *m = wmap(pl);
	int64_t at = map_slot(m, g->group_id);

	if (at >= 0) { /* MODIFY: same slot */
		__atomic_store_n(&m->slots[at], g, __ATOMIC_RELEASE);
		pl_bump(pl);
		return 0;
	}
	if (m == NULL || (m->used + 1) * 2 > m->mask + 1) {
		struct group_map *nm = map_rebuild(m, UINT32_MAX, g);
		if (nm == NULL)
			return -1;
		nm->used = nm->n;
		publish(pl, nm);
		return 0;
	}
	uint32_t i = group_hash(g->group_id) & m->mask;
	while (m->slots[i] != NULL && m->slots[i] != TOMBSTONE)
		i = (i + 1) & m->mask;
	m->used += m->slots[i] == NULL;
	m->n++;
	__atomic_store_n(&m->slots[i], g, __ATOMIC_RELEASE);
	pl_bump(pl);
	return 0;
}

/* Take group @p id out of the map (its slot becomes a tombstone). */
static void
map_remove(struct sl_pipeline *pl, uint32_t id)
{
	struct group_map *m = wmap(pl);
	int64_t at = map_slot(m, id);

	if (at < 0)
		return;
	__atomic_store_n(&m->slots[at], TOMBSTONE, __ATOMIC_RELEASE);
	m->n--;
	pl_bump(pl);
}

static void group_refs_add(struct sl_pipeline *pl, const struct sl_group *g, int delta);

static int
group_add_or_modify(struct sl_pipeline *pl, const struct sl_group_mod *gm)
{
	const struct sl_group *old = sl_pipeline_group(pl, gm->group_id);
	if (gm->command == OFPGC_ADD && old)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_GROUP_EXISTS);
	if (gm->command == OFPGC_MODIFY && !old)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_UNKNOWN_GROUP);
	if (!old && sl_pipeline_n_groups(pl) >= pl->cfg.max_groups)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_GROUPS);
	int rc = check_buckets(pl, gm);
	if (rc)
		return rc;
	struct sl_group *g = group_build(gm);
	if (g == NULL)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_BUCKETS);
	rc = reaches(pl, g, g->group_id);
	if (rc != 0) {
		free(g);
		return rc < 0 ? SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_GROUPS)
			      : SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP);
	}
	if (old) {
		g->stats = old->stats; /* group counters and flow refs survive MODIFY */
	} else {
		g->stats = pl_calloc(1, sizeof(*g->stats));
		if (g->stats == NULL) {
			free(g);
			return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_GROUPS);
		}
		g->stats->created_ns = gm->now_ns;
	}
	if (map_put(pl, g) != 0) {
		if (!old)
			free(g->stats);
		free(g);
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_GROUPS);
	}
	if (old)
		group_refs_add(pl, old, -1);
	group_refs_add(pl, g, +1);
	if (pl->txn != NULL)
		pl_txn_group(pl, old, g); /* old is freed by the commit */
	else if (old)
		sl_rcu_defer(pl->rcu, NULL, (void *)old);
	return 0;
}

/* Count @p g's bucket references to other groups (group actions and
 * watches) on those groups, @p delta each: whether a group is referenced is
 * then one read, not a walk of every group (which made deleting n groups
 * O(n^2)). The groups named exist: check_buckets() made sure. */
static void
group_refs_add(struct sl_pipeline *pl, const struct sl_group *g, int delta)
{
	for (uint16_t b = 0; b < g->n_buckets; b++) {
		const struct sl_bucket *bk = &g->buckets[b];
		for (uint16_t a = 0; a <= bk->n_actions; a++) {
			uint32_t id = bucket_edge(bk, a);
			if (id == OFPG_ANY)
				continue;
			const struct sl_group *t = sl_pipeline_group(pl, id);
			if (t && t != g)
				t->stats->group_refs += (uint32_t)delta;
		}
	}
}

static bool
group_referenced_by_group(const struct sl_pipeline *pl, uint32_t id)
{
	const struct sl_group *g = sl_pipeline_group(pl, id);
	return g && g->stats->group_refs > 0;
}

static void
group_free_full(void *p)
{
	struct sl_group *g = p;
	free(g->stats);
	free(g);
}

/* Delete one group and every rule forwarding to it (OF1.3 6.5). */
static void
group_delete_one(struct sl_pipeline *pl, const struct sl_group *g)
{
	if (pl->txn != NULL)
		pl_txn_group(pl, g, NULL); /* first: undone after the rules' records */
	group_refs_add(pl, g, -1);
	/* ref_count counts the rules forwarding to it: none, no walk */
	for (unsigned int t = 0; g->stats->ref_count && t < SL_N_TABLES; t++) {
		struct sl_cls_rule *cr = sl_cls_first(&pl->tables[t].cls);
		while (cr) {
			struct sl_cls_rule *next = cr->all_next;
			struct sl_rule *r = (struct sl_rule *)cr;
			/* a rule the open transaction deleted already is not twice */
			if (!(r->txn_flags & PL_TXN_HIDDEN) &&
			    pl_ins_uses_group(r->ins, g->group_id))
				pl_rule_remove(pl, r, OFPRR_GROUP_DELETE);
			cr = next;
		}
	}
	map_remove(pl, g->group_id);
	if (pl->txn == NULL)
		sl_rcu_defer(pl->rcu, group_free_full, (void *)g);
}

static int
group_delete(struct sl_pipeline *pl, uint32_t id)
{
	if (id == OFPG_ALL) {
		/* Delete in an order that never leaves a dangling chain:
		 * unreferenced first, a pass at a time (as many passes as the
		 * longest chain, not one per group). */
		while (sl_pipeline_n_groups(pl)) {
			const struct group_map *m = wmap(pl);
			bool progress = false;
			for (uint32_t s = 0; s <= m->mask; s++) {
				const struct sl_group *g = slot_group(m, s);
				if (g && !group_referenced_by_group(pl, g->group_id)) {
					group_delete_one(pl, g);
					progress = true;
				}
			}
			if (!progress)
				return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_CHAINED_GROUP);
		}
		return 0;
	}
	const struct sl_group *g = sl_pipeline_group(pl, id);
	if (g == NULL)
		return 0; /* deleting a missing group is not an error */
	if (group_referenced_by_group(pl, id))
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_CHAINED_GROUP);
	group_delete_one(pl, g);
	return 0;
}

/* Before a group-mod of a transaction: its private map, and room for the
 * records (a delete hides every rule forwarding to what it deletes). */
static int
txn_prepare(struct sl_pipeline *pl, const struct sl_group_mod *gm)
{
	size_t n = 1;

	if (gm->command == OFPGC_DELETE)
		n += pl->n_rules + (gm->group_id == OFPG_ALL ? sl_pipeline_n_groups(pl) : 0);
	if (pl_txn_reserve(pl, n) != 0)
		return -1;
	if (pl->txn_groups == NULL) {
		struct group_map *c = map_rebuild(pl->groups, UINT32_MAX, NULL);

		if (c == NULL)
			return -1;
		c->used = c->n;
		pl->txn_groups = c;
	}
	return 0;
}

int
sl_pipeline_group_mod(struct sl_pipeline *pl, const struct sl_group_mod *gm)
{
	if (pl->txn != NULL && txn_prepare(pl, gm) != 0)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_GROUPS);
	switch (gm->command) {
	case OFPGC_ADD:
	case OFPGC_MODIFY:
		if (gm->group_id > OFPG_MAX)
			return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP);
		return group_add_or_modify(pl, gm);
	case OFPGC_DELETE:
		return group_delete(pl, gm->group_id);
	default:
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_COMMAND);
	}
}

/* Put @p g back into a slot of the transaction's map without growing it
 * (an abort allocates nothing): the map held it before, so a slot is free. */
static void
map_put_back(struct sl_pipeline *pl, const struct sl_group *g)
{
	struct group_map *m = pl->txn_groups;
	uint32_t i = group_hash(g->group_id) & m->mask;

	while (m->slots[i] != NULL && m->slots[i] != TOMBSTONE)
		i = (i + 1) & m->mask;
	m->used += m->slots[i] == NULL;
	m->n++;
	m->slots[i] = (struct sl_group *)g;
}

void
pl_group_txn_undo(struct sl_pipeline *pl, const struct sl_group *old, struct sl_group *new)
{
	if (new == NULL) { /* a delete: back in, then its references */
		map_put_back(pl, old);
		group_refs_add(pl, old, +1);
		return;
	}
	/* the inverse of group_add_or_modify, in the map state it left */
	group_refs_add(pl, new, -1);
	if (old != NULL) {
		group_refs_add(pl, old, +1);
		pl->txn_groups->slots[map_slot(pl->txn_groups, new->group_id)] =
			(struct sl_group *)old;
	} else {
		map_remove(pl, new->group_id);
		free(new->stats);
	}
	free(new); /* in the transaction's map only: no reader saw it */
}

void
pl_group_txn_retire(struct sl_pipeline *pl, const struct sl_group *old, const struct sl_group *new)
{
	if (old != NULL) /* replaced (its stats live on in new) or deleted */
		sl_rcu_defer(pl->rcu, new != NULL ? NULL : group_free_full, (void *)old);
}

void
pl_groups_txn_stage(struct sl_pipeline *pl, uint64_t version)
{
	if (pl->txn_groups == NULL)
		return;
	__atomic_store_n(&pl->groups_next_version, version, __ATOMIC_RELAXED);
	STORE(pl->groups_next, pl->txn_groups); /* then the version is published */
}

void
pl_groups_txn_install(struct sl_pipeline *pl)
{
	struct group_map *old = pl->groups;

	if (pl->txn_groups == NULL)
		return;
	STORE(pl->groups, pl->txn_groups);
	STORE(pl->groups_next, NULL);
	pl->txn_groups = NULL;
	sl_rcu_defer(pl->rcu, NULL, old);
}

void
pl_group_ref(struct sl_pipeline *pl, const struct sl_instructions *ins, int delta)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct sl_action *a = pass ? ins->write : ins->apply;
		unsigned int n = pass ? ins->n_write : ins->n_apply;
		for (unsigned int i = 0; i < n; i++) {
			if (a[i].type != OFPAT_GROUP)
				continue;
			const struct sl_group *g = sl_pipeline_group(pl, a[i].group_id);
			if (g)
				g->stats->ref_count += (uint32_t)delta;
		}
	}
}

void
pl_groups_destroy(struct sl_pipeline *pl)
{
	struct group_map *m = pl->groups;
	for (uint32_t s = 0; m && s <= m->mask; s++)
		if (slot_group(m, s))
			group_free_full(m->slots[s]);
	free(m);
	pl->groups = NULL;
}
