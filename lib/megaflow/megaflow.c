/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-worker megaflow cache: tuple-space search over subtables, batched
 * lookup with prefetching, entry pool, eviction and revalidation. */
#include "sl_megaflow.h"
#include "mf_subtable.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(offsetof(struct sl_megaflow, key) == 64,
	       "the hot fields of a megaflow must fill exactly its first cache line");
_Static_assert(sizeof(struct mf_bucket) == 64, "a bucket must be one cache line");

#define MF_DEFAULT_MAX_ENTRIES 65536u
#define MF_DEFAULT_RERANK_INTERVAL 1024u
/* Index space is 32 bits, with index 0 reserved. */
#define MF_MAX_ENTRIES_LIMIT (UINT32_MAX - MF_CHUNK_SIZE)

struct sl_megaflow_cache {
	/* fast-path state first */
	struct sl_megaflow_subtable **subtables; /* rank order, best first */
	uint32_t n_subtables;
	uint32_t hash_basis;
	uint32_t rerank_interval;
	uint32_t batches_since_rerank;
	struct sl_flow_key mask_union; /* OR of every subtable's mask */
	struct mf_pool pool;
	struct sl_megaflow_stats stats;

	uint32_t subtables_cap;
	uint32_t n_entries;
	uint32_t max_entries;
	uint32_t sweep_cursor;
	uint64_t reval_version; /* version of the incremental pass in progress */
	uint32_t reval_cursor;  /* next pool index it visits */
	sl_megaflow_release_fn release;
	void *release_ctx;
	/* A dump another thread asked for (sl_megaflow_dump_post), or NULL:
	 * written by that thread, taken by the owner (atomic). */
	struct sl_megaflow_dump *dump_req;
};

/* ---------- entry pool ---------- */

static int
mf_pool_init(struct mf_pool *pool, uint32_t max_entries)
{
	memset(pool, 0, sizeof(*pool));
	pool->max_chunks = (uint32_t)(((uint64_t)max_entries + 1 + MF_CHUNK_SIZE - 1) >> MF_CHUNK_SHIFT);
	pool->chunks = calloc(pool->max_chunks, sizeof(*pool->chunks));
	pool->max_minis = (uint32_t)(((uint64_t)pool->max_chunks * MF_CHUNK_SIZE + MF_MINI_BLOCK - 1) >>
				     MF_MINI_SHIFT);
	pool->minis = calloc(pool->max_minis, sizeof(*pool->minis));
	pool->free_stack = malloc(((size_t)max_entries + 1) * sizeof(*pool->free_stack));
	if (pool->chunks == NULL || pool->minis == NULL || pool->free_stack == NULL)
		return -ENOMEM;
	pool->size = 1; /* index 0 is the "empty slot" marker */
	return 0;
}

static void
mf_pool_fini(struct mf_pool *pool)
{
	for (uint32_t c = 0; c < pool->n_chunks; c++)
		free(pool->chunks[c]);
	for (uint32_t b = 0; pool->minis != NULL && b < pool->max_minis; b++)
		free(pool->minis[b]);
	free(pool->chunks);
	free(pool->minis);
	free(pool->free_stack);
}

/* Make sure the mini-key block covering pool chunk @chunk exists. */
static int
mf_pool_minis_for(struct mf_pool *pool, uint32_t chunk)
{
	uint32_t b = (uint32_t)(((uint64_t)chunk * MF_CHUNK_SIZE) >> MF_MINI_SHIFT);
	if (pool->minis[b] != NULL)
		return 0;
	uint64_t first = (uint64_t)b << MF_MINI_SHIFT;
	uint64_t end = (uint64_t)pool->max_chunks * MF_CHUNK_SIZE;
	uint64_t n = end - first < MF_MINI_BLOCK ? end - first : MF_MINI_BLOCK;
	pool->minis[b] = mf_alloc((size_t)n * sizeof(struct mf_mini));
	return pool->minis[b] != NULL ? 0 : -ENOMEM;
}

/* Entries are allocated a chunk at a time and never returned to libc before
 * the cache is destroyed: an EMC may still hold a pointer to a removed entry
 * and reads its generation to find out (sl_emc.h). */
static uint32_t
mf_pool_get(struct mf_pool *pool, uint32_t max_entries)
{
	if (pool->n_free > 0)
		return pool->free_stack[--pool->n_free];
	if (pool->size > max_entries)
		return 0;
	if ((pool->size >> MF_CHUNK_SHIFT) >= pool->n_chunks) {
		if (pool->n_chunks >= pool->max_chunks)
			return 0;
		if (mf_pool_minis_for(pool, pool->n_chunks) != 0)
			return 0;
		struct sl_megaflow *chunk = mf_alloc((size_t)MF_CHUNK_SIZE * sizeof(struct sl_megaflow));
		if (chunk == NULL)
			return 0;
		pool->chunks[pool->n_chunks++] = chunk;
	}
	return pool->size++;
}

static void
mf_pool_put(struct mf_pool *pool, uint32_t idx)
{
	pool->free_stack[pool->n_free++] = idx;
}

/* ---------- create / destroy ---------- */

struct sl_megaflow_cache *
sl_megaflow_cache_create(const struct sl_megaflow_config *cfg)
{
	struct sl_megaflow_config def = { 0 };
	if (cfg == NULL)
		cfg = &def;
	struct sl_megaflow_cache *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->max_entries = cfg->max_entries ? cfg->max_entries : MF_DEFAULT_MAX_ENTRIES;
	if (c->max_entries > MF_MAX_ENTRIES_LIMIT)
		c->max_entries = MF_MAX_ENTRIES_LIMIT;
	c->rerank_interval = cfg->rerank_interval ? cfg->rerank_interval : MF_DEFAULT_RERANK_INTERVAL;
	c->hash_basis = cfg->hash_basis;
	c->release = cfg->release;
	c->release_ctx = cfg->release_ctx;
	c->subtables_cap = 8;
	c->subtables = calloc(c->subtables_cap, sizeof(*c->subtables));
	if (c->subtables == NULL || mf_pool_init(&c->pool, c->max_entries) != 0) {
		mf_pool_fini(&c->pool);
		free(c->subtables);
		free(c);
		return NULL;
	}
	return c;
}

void
sl_megaflow_cache_destroy(struct sl_megaflow_cache *cache)
{
	if (cache == NULL)
		return;
	sl_megaflow_flush(cache);
	mf_pool_fini(&cache->pool);
	free(cache->subtables);
	free(cache);
}

/* ---------- subtables ---------- */

static struct sl_megaflow_subtable *
mf_find_subtable(const struct sl_megaflow_cache *c, const struct sl_flow_key *mask)
{
	for (uint32_t i = 0; i < c->n_subtables; i++) {
		if (memcmp(&c->subtables[i]->mask, mask, sizeof(*mask)) == 0)
			return c->subtables[i];
	}
	return NULL;
}

/* New masks go last: they have no hits yet, and re-ranking moves them up. */
static struct sl_megaflow_subtable *
mf_add_subtable(struct sl_megaflow_cache *c, const struct sl_flow_key *mask)
{
	if (c->n_subtables == c->subtables_cap) {
		uint32_t cap = c->subtables_cap * 2;
		struct sl_megaflow_subtable **n = realloc(c->subtables, cap * sizeof(*n));
		if (n == NULL)
			return NULL;
		c->subtables = n;
		c->subtables_cap = cap;
	}
	struct sl_megaflow_subtable *st = mf_subtable_create(mask);
	if (st == NULL)
		return NULL;
	c->subtables[c->n_subtables++] = st;
	c->stats.subtables_created++;
	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
		c->mask_union.w[w] |= mask->w[w];
	return st;
}

static void
mf_remove_subtable(struct sl_megaflow_cache *c, struct sl_megaflow_subtable *st)
{
	for (uint32_t i = 0; i < c->n_subtables; i++) {
		if (c->subtables[i] == st) {
			memmove(&c->subtables[i], &c->subtables[i + 1],
				(c->n_subtables - i - 1) * sizeof(*c->subtables));
			c->n_subtables--;
			break;
		}
	}
	mf_subtable_destroy(st);
	memset(&c->mask_union, 0, sizeof(c->mask_union));
	for (uint32_t i = 0; i < c->n_subtables; i++)
		for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
			c->mask_union.w[w] |= c->subtables[i]->mask.w[w];
}

void
sl_megaflow_rerank(struct sl_megaflow_cache *cache)
{
	/* insertion sort by recent hits, stable so equal subtables keep order */
	struct sl_megaflow_subtable **t = cache->subtables;
	for (uint32_t i = 1; i < cache->n_subtables; i++) {
		struct sl_megaflow_subtable *st = t[i];
		uint32_t j = i;
		while (j > 0 && t[j - 1]->hits < st->hits) {
			t[j] = t[j - 1];
			j--;
		}
		t[j] = st;
	}
	/* halve rather than reset, so the ranking follows traffic shifts without
	 * flapping on one quiet interval */
	for (uint32_t i = 0; i < cache->n_subtables; i++)
		t[i]->hits >>= 1;
	cache->batches_since_rerank = 0;
	cache->stats.reranks++;
}

/* ---------- lookup ---------- */

/* Look up the keys in @todo in one subtable, in three passes over the batch
 * so that each pass's memory accesses were prefetched by the previous one:
 * hash + prefetch home bucket; signature match + prefetch candidate entry
 * (or mini key); compare. Returns the keys found. Inlined twice with @mini
 * a constant, so that neither kind of subtable pays for the other's tests. */
static inline __attribute__((always_inline)) uint64_t
mf_subtable_lookup_batch_as(const struct sl_megaflow_cache *c,
			    const struct sl_megaflow_subtable *st,
			    const struct sl_flow_key *const keys[], uint64_t todo,
			    struct sl_megaflow *entries[], const bool mini)
{
	uint32_t hashes[SL_MEGAFLOW_BATCH_MAX];
	uint32_t home_bits[SL_MEGAFLOW_BATCH_MAX];
	uint64_t m, found = 0;

	for (m = todo; m != 0; m &= m - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(m);
		uint32_t h = mf_subtable_hash_as(st, keys[i], c->hash_basis, mini);
		hashes[i] = h;
		rte_prefetch0(&st->buckets[h & st->bucket_mask]);
	}
	uint64_t cand = 0;
	for (m = todo; m != 0; m &= m - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(m);
		const struct mf_bucket *b = &st->buckets[hashes[i] & st->bucket_mask];
		uint32_t bits = mf_bucket_sig_match(b, (uint16_t)(hashes[i] >> 16));
		home_bits[i] = bits;
		if (bits != 0) {
			uint32_t idx = b->idx[__builtin_ctz(bits)];
			if (idx != 0 && mini) {
				rte_prefetch0(mf_pool_mini(&c->pool, idx));
				rte_prefetch0(mf_pool_entry(&c->pool, idx)); /* hot line */
			} else if (idx != 0) {
				mf_prefetch_entry(st, mf_pool_entry(&c->pool, idx));
			}
		}
		/* no signature at home and nothing overflowed: a sure miss, and the
		 * common case when most subtables do not hold a key */
		if (bits != 0 || b->overflow != 0)
			cand |= UINT64_C(1) << i;
	}
	for (m = cand; m != 0; m &= m - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(m);
		struct sl_megaflow *mf = mf_subtable_find(st, &c->pool, keys[i], hashes[i],
							  home_bits[i], mini);
		if (mf != NULL) {
			entries[i] = mf;
			found |= UINT64_C(1) << i;
		}
	}
	return found;
}

static uint64_t
mf_subtable_lookup_batch(const struct sl_megaflow_cache *c, const struct sl_megaflow_subtable *st,
			 const struct sl_flow_key *const keys[], uint64_t todo,
			 struct sl_megaflow *entries[])
{
	return st->mini ? mf_subtable_lookup_batch_as(c, st, keys, todo, entries, true)
			: mf_subtable_lookup_batch_as(c, st, keys, todo, entries, false);
}

unsigned int
sl_megaflow_lookup_batch(struct sl_megaflow_cache *cache, const struct sl_flow_key *const keys[],
			 unsigned int n, struct sl_megaflow *entries[], uint64_t *hit_mask)
{
	if (n > SL_MEGAFLOW_BATCH_MAX)
		n = SL_MEGAFLOW_BATCH_MAX;
	uint64_t all = n == 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1;
	uint64_t todo = all & ~*hit_mask;
	uint64_t found = 0;
	unsigned int n_todo = (unsigned int)__builtin_popcountll(todo);

	for (uint32_t s = 0; s < cache->n_subtables && todo != 0; s++) {
		struct sl_megaflow_subtable *st = cache->subtables[s];
		cache->stats.subtable_probes += (uint64_t)__builtin_popcountll(todo);
		uint64_t f = mf_subtable_lookup_batch(cache, st, keys, todo, entries);
		if (f != 0) {
			unsigned int nf = (unsigned int)__builtin_popcountll(f);
			st->hits += nf;
			found |= f;
			todo &= ~f;
		}
	}
	*hit_mask |= found;

	unsigned int n_found = (unsigned int)__builtin_popcountll(found);
	cache->stats.lookups += n_todo;
	cache->stats.hits += n_found;
	cache->stats.misses += n_todo - n_found;
	if (++cache->batches_since_rerank >= cache->rerank_interval)
		sl_megaflow_rerank(cache);
	return n_found;
}

struct sl_megaflow *
sl_megaflow_lookup(struct sl_megaflow_cache *cache, const struct sl_flow_key *key)
{
	const struct sl_flow_key *keys[1] = { key };
	struct sl_megaflow *entries[1] = { NULL };
	uint64_t hit = 0;
	sl_megaflow_lookup_batch(cache, keys, 1, entries, &hit);
	return hit ? entries[0] : NULL;
}

/* ---------- insert / remove ---------- */

int
sl_megaflow_insert(struct sl_megaflow_cache *cache, const struct sl_flow_key *key,
		   const struct sl_flow_key *mask, void *actions, uint64_t version, uint64_t now,
		   struct sl_megaflow **out)
{
	struct sl_flow_key masked;
	sl_flow_key_and(&masked, key, mask);

	struct sl_megaflow_subtable *st = mf_find_subtable(cache, mask);
	bool new_subtable = false;
	if (st != NULL) {
		uint32_t h = mf_subtable_hash(st, &masked, cache->hash_basis);
		struct sl_megaflow *old = mf_subtable_find(
			st, &cache->pool, &masked, h,
			mf_bucket_sig_match(&st->buckets[h & st->bucket_mask], (uint16_t)(h >> 16)),
			st->mini);
		if (old != NULL) {
			if (out != NULL)
				*out = old;
			return -EEXIST;
		}
	}
	if (cache->n_entries >= cache->max_entries) {
		cache->stats.cap_hits++;
		return -ENOSPC;
	}
	if (st == NULL) {
		st = mf_add_subtable(cache, mask);
		if (st == NULL)
			return -ENOMEM;
		new_subtable = true;
	}
	uint32_t idx = mf_pool_get(&cache->pool, cache->max_entries);
	if (idx == 0)
		goto nomem;
	struct sl_megaflow *mf = mf_pool_entry(&cache->pool, idx);
	uint32_t gen = mf->gen;
	memset(mf, 0, sizeof(*mf));
	mf->gen = gen;
	mf->idx = idx;
	mf->key = masked;
	mf->actions = actions;
	mf->version = version;
	mf->last_used = now;
	mf->subtable = st;
	mf_mini_fill(st, &masked, mf_pool_mini(&cache->pool, idx));
	if (mf_subtable_add(st, &cache->pool, idx, mf_subtable_hash(st, &masked, cache->hash_basis),
			    cache->hash_basis) != 0) {
		mf->subtable = NULL;
		mf_pool_put(&cache->pool, idx);
		goto nomem;
	}
	cache->n_entries++;
	cache->stats.inserts++;
	if (out != NULL)
		*out = mf;
	return 0;
nomem:
	if (new_subtable)
		mf_remove_subtable(cache, st);
	return -ENOMEM;
}

/* Take @mf out of the cache after handing its actions to the release
 * callback (which still sees the entry's key, mask and final counters). */
static void
mf_remove(struct sl_megaflow_cache *c, struct sl_megaflow *mf, enum sl_megaflow_release_reason why)
{
	struct sl_megaflow_subtable *st = mf->subtable;
	if (c->release != NULL)
		c->release(mf, mf->actions, why, c->release_ctx);
	mf_subtable_del(st, mf->idx, mf_subtable_hash(st, &mf->key, c->hash_basis));
	mf->subtable = NULL;
	mf->actions = NULL;
	mf->gen++; /* invalidates every EMC entry that points here */
	mf_pool_put(&c->pool, mf->idx);
	c->n_entries--;
	if (st->n_entries == 0)
		mf_remove_subtable(c, st);
}

void
sl_megaflow_remove(struct sl_megaflow_cache *cache, struct sl_megaflow *mf)
{
	if (mf == NULL || mf->subtable == NULL)
		return;
	mf_remove(cache, mf, SL_MEGAFLOW_REL_DELETE);
	cache->stats.deletes++;
}

void
sl_megaflow_flush(struct sl_megaflow_cache *cache)
{
	for (uint32_t idx = 1; idx < cache->pool.size; idx++) {
		struct sl_megaflow *mf = mf_pool_entry(&cache->pool, idx);
		if (mf->subtable != NULL)
			mf_remove(cache, mf, SL_MEGAFLOW_REL_FLUSH);
	}
}

/* ---------- maintenance ---------- */

struct sl_megaflow *
sl_megaflow_next(struct sl_megaflow_cache *cache, uint32_t *cursor)
{
	uint32_t idx = *cursor == 0 ? 1 : *cursor;
	for (; idx < cache->pool.size; idx++) {
		struct sl_megaflow *mf = mf_pool_entry(&cache->pool, idx);
		if (mf->subtable != NULL) {
			*cursor = idx + 1;
			return mf;
		}
	}
	*cursor = idx;
	return NULL;
}

uint32_t
sl_megaflow_sweep_slots(const struct sl_megaflow_cache *cache)
{
	return cache->pool.size - 1;
}

unsigned int
sl_megaflow_evict_idle(struct sl_megaflow_cache *cache, uint64_t now, uint64_t idle_time,
		       unsigned int budget)
{
	uint32_t slots = cache->pool.size - 1;
	if (slots == 0)
		return 0;
	if (budget == 0 || budget > slots)
		budget = slots;
	unsigned int evicted = 0;
	uint32_t idx = cache->sweep_cursor;
	for (unsigned int v = 0; v < budget; v++) {
		if (idx == 0 || idx >= cache->pool.size)
			idx = 1;
		struct sl_megaflow *mf = mf_pool_entry(&cache->pool, idx);
		if (mf->subtable != NULL && now > mf->last_used && now - mf->last_used > idle_time) {
			mf_remove(cache, mf, SL_MEGAFLOW_REL_IDLE);
			evicted++;
		}
		idx++;
	}
	cache->sweep_cursor = idx;
	cache->stats.evictions += evicted;
	return evicted;
}

/* Revalidate one entry; returns true when it was dropped. */
static bool
mf_revalidate_one(struct sl_megaflow_cache *c, struct sl_megaflow *mf, uint64_t version,
		  sl_megaflow_reval_fn fn, void *ctx)
{
	c->stats.reval_visits++;
	void *actions = mf->actions;
	if (fn(mf, &actions, ctx) == SL_MEGAFLOW_DROP) {
		mf_remove(c, mf, SL_MEGAFLOW_REL_REVALIDATE);
		c->stats.reval_drops++;
		return true;
	}
	sl_megaflow_set_actions(c, mf, actions, version);
	return false;
}

void
sl_megaflow_set_actions(struct sl_megaflow_cache *cache, struct sl_megaflow *mf, void *actions,
			uint64_t version)
{
	if (actions != mf->actions) {
		if (cache->release != NULL)
			cache->release(mf, mf->actions, SL_MEGAFLOW_REL_REPLACED, cache->release_ctx);
		mf->actions = actions;
	}
	mf->version = version;
}

unsigned int
sl_megaflow_revalidate(struct sl_megaflow_cache *cache, uint64_t version, sl_megaflow_reval_fn fn,
		       void *ctx)
{
	unsigned int dropped = 0;
	for (uint32_t idx = 1; idx < cache->pool.size; idx++) {
		struct sl_megaflow *mf = mf_pool_entry(&cache->pool, idx);
		if (mf->subtable != NULL && mf->version < version)
			dropped += mf_revalidate_one(cache, mf, version, fn, ctx);
	}
	/* a later incremental pass for this version has nothing left to do */
	cache->reval_version = version;
	cache->reval_cursor = cache->pool.size;
	return dropped;
}

bool
sl_megaflow_revalidate_some(struct sl_megaflow_cache *cache, uint64_t version,
			    sl_megaflow_reval_fn fn, void *ctx, unsigned int budget)
{
	/* a newer version restarts the pass: entries already passed may be
	 * older than it */
	if (version != cache->reval_version) {
		cache->reval_version = version;
		cache->reval_cursor = 1;
	}
	uint32_t idx = cache->reval_cursor == 0 ? 1 : cache->reval_cursor;
	for (unsigned int v = 0; v < budget && idx < cache->pool.size; v++, idx++) {
		struct sl_megaflow *mf = mf_pool_entry(&cache->pool, idx);
		if (mf->subtable != NULL && mf->version < version)
			mf_revalidate_one(cache, mf, version, fn, ctx);
	}
	cache->reval_cursor = idx;
	return idx >= cache->pool.size;
}

void
sl_megaflow_get_stats(const struct sl_megaflow_cache *cache, struct sl_megaflow_stats *out)
{
	*out = cache->stats;
	out->n_entries = cache->n_entries;
	out->n_subtables = cache->n_subtables;
}

const struct sl_flow_key *
sl_megaflow_mask_union(const struct sl_megaflow_cache *cache)
{
	return &cache->mask_union;
}

const struct sl_flow_key *
sl_megaflow_mask(const struct sl_megaflow *mf)
{
	return mf->subtable != NULL ? &mf->subtable->mask : NULL;
}

unsigned int
sl_megaflow_subtable_masks(const struct sl_megaflow_cache *cache, const struct sl_flow_key *masks[],
			   unsigned int max)
{
	unsigned int n = 0;
	for (; n < cache->n_subtables && n < max; n++)
		masks[n] = &cache->subtables[n]->mask;
	return n;
}

/* ---------- dumps for another thread ---------- */

/*
 * The owner writes entries, subtables and the pool without locks or atomics
 * (sl_megaflow.h), so a thread that read them itself would race with it: an
 * entry rewritten under it, a subtable (the entry's mask) freed. Instead the
 * owner copies. The request goes through one pointer: the asker publishes
 * it (release), the owner takes it with a compare-and-swap (so that an
 * asker that gave up can take it back: whoever swaps it out owns it), fills
 * it and sets `done` (release). A request the owner took is answered within
 * that call, which copies at most `max` entries: the asker may wait for it.
 */
bool
sl_megaflow_dump_post(struct sl_megaflow_cache *cache, struct sl_megaflow_dump *d)
{
	struct sl_megaflow_dump *none = NULL;

	d->n = 0;
	d->end = false;
	__atomic_store_n(&d->done, 0, __ATOMIC_RELAXED);
	return __atomic_compare_exchange_n(&cache->dump_req, &none, d, false, __ATOMIC_RELEASE,
					   __ATOMIC_RELAXED);
}

bool
sl_megaflow_dump_cancel(struct sl_megaflow_cache *cache, struct sl_megaflow_dump *d)
{
	return __atomic_compare_exchange_n(&cache->dump_req, &d, NULL, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

bool
sl_megaflow_dump_done(const struct sl_megaflow_dump *d)
{
	return __atomic_load_n(&d->done, __ATOMIC_ACQUIRE) != 0;
}

bool
sl_megaflow_dump_serve(struct sl_megaflow_cache *cache, sl_megaflow_describe_fn fn, void *ctx)
{
	struct sl_megaflow_dump *d = __atomic_load_n(&cache->dump_req, __ATOMIC_RELAXED);
	struct sl_megaflow *mf = NULL;
	uint32_t cursor, n = 0;

	if (__builtin_expect(d == NULL, 1))
		return false;
	if (!__atomic_compare_exchange_n(&cache->dump_req, &d, NULL, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return false; /* taken back by the asker */
	cursor = d->cursor;
	while (n < d->max && (mf = sl_megaflow_next(cache, &cursor)) != NULL) {
		struct sl_megaflow_dump_entry *e = &d->entries[n];

		e->key = mf->key;
		e->mask = *sl_megaflow_mask(mf);
		e->n_packets = mf->n_packets;
		e->n_bytes = mf->n_bytes;
		e->last_used = mf->last_used;
		e->version = mf->version;
		if (fn)
			fn(mf, (uint8_t *)d->extra + (size_t)n * d->extra_size, ctx);
		n++;
	}
	d->n = n;
	d->cursor = cursor;
	d->end = n < d->max;
	__atomic_store_n(&d->done, 1, __ATOMIC_RELEASE);
	return true;
}
