/* SPDX-License-Identifier: BSD-3-Clause */
/* One megaflow subtable: an open-addressing table of 64-byte buckets for one
 * mask. Slow-path operations only (create, grow, add, delete); the lookup is
 * inline in mf_subtable.h so the batch loop can interleave its stages. */
#include "mf_subtable.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Start small: most masks hold a handful of megaflows, and a cache may see
 * hundreds of masks. */
#define MF_INITIAL_BUCKETS 2u

/* Grow when more than 3/4 of the slots would be used: with 8-slot buckets
 * and linear probing this keeps almost every probe inside its home bucket. */
static bool
mf_subtable_needs_grow(const struct sl_megaflow_subtable *st, uint32_t n_entries)
{
	uint64_t slots = ((uint64_t)st->bucket_mask + 1) * MF_BUCKET_SLOTS;
	return (uint64_t)n_entries * 4 > slots * 3;
}

#define MF_HUGE_PAGE (2u << 20)

/* Big caches are TLB-bound: a random probe into 256 MB of entries costs a
 * page walk on top of the cache miss with 4 KB pages. libc memory is not
 * huge-page backed unless asked (THP is commonly in "madvise" mode), and
 * lib/ must not need the EAL's hugepage heap, so ask the kernel. */
void *
mf_alloc(size_t bytes)
{
	size_t align = bytes >= MF_HUGE_PAGE ? MF_HUGE_PAGE : 64;
	bytes = (bytes + align - 1) & ~(align - 1);
	void *p = aligned_alloc(align, bytes);
	if (p == NULL)
		return NULL;
	if (align == MF_HUGE_PAGE)
		(void)madvise(p, bytes, MADV_HUGEPAGE); /* best effort */
	memset(p, 0, bytes);
	return p;
}

static struct mf_bucket *
mf_buckets_alloc(uint32_t n_buckets)
{
	return mf_alloc((size_t)n_buckets * sizeof(struct mf_bucket));
}

static void
mf_buckets_place(struct mf_bucket *buckets, uint32_t bucket_mask, uint32_t idx, uint32_t hash)
{
	uint32_t b = hash & bucket_mask;
	for (;;) {
		struct mf_bucket *bucket = &buckets[b];
		for (unsigned int s = 0; s < MF_BUCKET_SLOTS; s++) {
			if (bucket->idx[s] == 0) {
				bucket->idx[s] = idx;
				bucket->sig[s] = (uint16_t)(hash >> 16);
				return;
			}
		}
		/* full: the entry passes through, so probes must continue past here */
		bucket->overflow++;
		b = (b + 1) & bucket_mask;
	}
}

struct sl_megaflow_subtable *
mf_subtable_create(const struct sl_flow_key *mask)
{
	struct sl_megaflow_subtable *st = mf_alloc(sizeof(*st));
	if (st == NULL)
		return NULL;
	st->mask = *mask;
	/* The entry's first line (actions, version, counters) is read right
	 * after every hit: prefetch it with the key lines. */
	st->line_off[st->n_lines++] = 0;
	int last_line = 0;
	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++) {
		if (mask->w[w] == 0)
			continue;
		if (st->n_words < MF_MINI_WORDS)
			st->mask_words[st->n_words] = mask->w[w];
		st->words[st->n_words++] = (uint8_t)w;
		/* remember which entry lines a compare touches, for prefetching */
		int line = (int)((offsetof(struct sl_megaflow, key) + 8 * w) / 64);
		if (line != last_line) {
			st->line_off[st->n_lines++] = (uint8_t)(line * 64);
			last_line = line;
		}
	}
	/* A mini key is one more line to fetch; it pays when it replaces two or
	 * more entry key lines (real masks always hold in_port and recirc_id,
	 * on two lines), not when the words share one line next to the hot one. */
	st->mini = st->n_words <= MF_MINI_WORDS && st->n_lines >= 3;
	st->bucket_mask = MF_INITIAL_BUCKETS - 1;
	st->buckets = mf_buckets_alloc(MF_INITIAL_BUCKETS);
	if (st->buckets == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

void
mf_subtable_destroy(struct sl_megaflow_subtable *st)
{
	if (st == NULL)
		return;
	free(st->buckets);
	free(st);
}

/* Double the bucket array and re-place every entry (hashes recomputed from
 * the stored masked keys, which hash like the unmasked ones). */
static int
mf_subtable_grow(struct sl_megaflow_subtable *st, const struct mf_pool *pool, uint32_t basis)
{
	uint32_t old_n = st->bucket_mask + 1;
	if (old_n > (UINT32_MAX >> 1))
		return -ENOMEM;
	uint32_t new_mask = old_n * 2 - 1;
	struct mf_bucket *nb = mf_buckets_alloc(old_n * 2);
	if (nb == NULL)
		return -ENOMEM;
	for (uint32_t b = 0; b < old_n; b++) {
		for (unsigned int s = 0; s < MF_BUCKET_SLOTS; s++) {
			uint32_t idx = st->buckets[b].idx[s];
			if (idx == 0)
				continue;
			const struct sl_megaflow *mf = mf_pool_entry(pool, idx);
			mf_buckets_place(nb, new_mask, idx, mf_subtable_hash(st, &mf->key, basis));
		}
	}
	free(st->buckets);
	st->buckets = nb;
	st->bucket_mask = new_mask;
	return 0;
}

int
mf_subtable_add(struct sl_megaflow_subtable *st, const struct mf_pool *pool, uint32_t idx,
		uint32_t hash, uint32_t basis)
{
	while (mf_subtable_needs_grow(st, st->n_entries + 1)) {
		int rc = mf_subtable_grow(st, pool, basis);
		if (rc != 0)
			return rc;
	}
	mf_buckets_place(st->buckets, st->bucket_mask, idx, hash);
	st->n_entries++;
	return 0;
}

void
mf_subtable_del(struct sl_megaflow_subtable *st, uint32_t idx, uint32_t hash)
{
	uint32_t b = hash & st->bucket_mask;
	for (uint32_t probes = 0; probes <= st->bucket_mask; probes++) {
		struct mf_bucket *bucket = &st->buckets[b];
		for (unsigned int s = 0; s < MF_BUCKET_SLOTS; s++) {
			if (bucket->idx[s] == idx) {
				bucket->idx[s] = 0;
				bucket->sig[s] = 0;
				st->n_entries--;
				return;
			}
		}
		/* the entry passed through this bucket when it was placed */
		bucket->overflow--;
		b = (b + 1) & st->bucket_mask;
	}
	/* not reached: callers only delete entries they found in this subtable */
}
