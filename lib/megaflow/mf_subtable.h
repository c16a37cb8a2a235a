/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to lib/megaflow: one subtable (one mask) of the megaflow cache and
 * the entry pool it indexes into. Not installed, not for other layers.
 */
#ifndef SL_MF_SUBTABLE_H
#define SL_MF_SUBTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_hash_crc.h>
#include <rte_prefetch.h>

#include "sl_megaflow.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef __SSE4_2__
#include <nmmintrin.h>
#endif

/* Slots per bucket: 8 x (16-bit signature + 32-bit entry index) + overflow
 * count fit one 64-byte line, so a probe that ends in its home bucket costs
 * exactly one line. */
#define MF_BUCKET_SLOTS 8

/* Entries are allocated in chunks of this many; an entry index is
 * (chunk << MF_CHUNK_SHIFT) | offset. Index 0 is never used: it marks an
 * empty slot. 8192 entries of 256 bytes make one 2 MB huge page. */
#define MF_CHUNK_SHIFT 13
#define MF_CHUNK_SIZE (1u << MF_CHUNK_SHIFT)

/* Subtables whose mask has at most this many non-zero words also keep each
 * entry's masked words packed in a side array ("mini key", 32 bytes, two per
 * line, indexed like the pool), and compare against it instead of against
 * the entry's key, which is spread over two or three lines behind the
 * entry's hot line. A lookup then touches the bucket, one mini-key line
 * and the entry's hot line (which the caller reads anyway), and the mini
 * keys of 10k entries fit in L2 where the entries do not. */
#define MF_MINI_WORDS 4

/* Mini keys are allocated in blocks of 65536 (2 MB, one huge page: with 4 KB
 * pages a big cache's mini keys cost a TLB miss per lookup), or fewer when
 * the pool cannot grow that far. */
#define MF_MINI_SHIFT 16
#define MF_MINI_BLOCK (1u << MF_MINI_SHIFT)

struct mf_mini {
	uint64_t w[MF_MINI_WORDS]; /* the mask's non-zero words of key & mask; 0 beyond */
} __attribute__((aligned(32)));

struct mf_bucket {
	uint16_t sig[MF_BUCKET_SLOTS];
	uint32_t idx[MF_BUCKET_SLOTS];
	/* Entries whose home bucket is at or before this one and that were placed
	 * after it: a probe that finds no match here stops when this is 0. */
	uint32_t overflow;
} __attribute__((aligned(64)));

/*
 * A lookup reads one subtable after another until the key is found, and
 * most probes miss (PVP S3 at 64k flows: 9 subtables, 2.1 probes per
 * packet). Everything a probe of a mini subtable reads or writes is
 * therefore on the struct's first line: its mask words packed in the order
 * of words[], instead of at their places in the 184-byte mask (three
 * lines), next to the bucket array and the hit count: a probe that misses
 * reads that line and the home bucket (lib/megaflow/README.md: measured).
 */
struct sl_megaflow_subtable {
	/* line 0: the probe */
	struct mf_bucket *buckets;
	uint64_t hits;                    /* since the last re-ranking, halved at each one */
	uint64_t mask_words[MF_MINI_WORDS]; /* mini: mask.w[words[j]] for j < n_words */
	uint32_t bucket_mask;             /* n_buckets - 1 */
	uint8_t n_words;
	bool mini;                        /* compare mini keys (see mf_subtable_create) */
	uint8_t n_lines;                  /* entry cache lines holding those words */
	uint8_t words[SL_FLOW_KEY_WORDS]; /* indexes of non-zero mask words */
	/* then: inserts, deletes, non-mini compares */
	uint8_t line_off[8];              /* byte offsets of those lines in an entry */
	uint32_t n_entries;
	struct sl_flow_key mask;
} __attribute__((aligned(64)));

_Static_assert(offsetof(struct sl_megaflow_subtable, words) + MF_MINI_WORDS <= 64,
	       "a mini subtable's probe must read one line");

/* Entry pool: chunks of entries plus a stack of free indexes. */
struct mf_pool {
	struct sl_megaflow **chunks;
	struct mf_mini **minis; /* per block of MF_MINI_BLOCK indexes: mini keys */
	uint32_t max_minis;     /* blocks the pool's index space needs */
	uint32_t n_chunks;
	uint32_t max_chunks;
	uint32_t *free_stack;
	uint32_t n_free;
	uint32_t size;  /* indexes handed out so far + 1 (index 0 reserved) */
};

static inline struct sl_megaflow *
mf_pool_entry(const struct mf_pool *pool, uint32_t idx)
{
	return &pool->chunks[idx >> MF_CHUNK_SHIFT][idx & (MF_CHUNK_SIZE - 1)];
}

static inline struct mf_mini *
mf_pool_mini(const struct mf_pool *pool, uint32_t idx)
{
	return &pool->minis[idx >> MF_MINI_SHIFT][idx & (MF_MINI_BLOCK - 1)];
}

/* CRC32C step. rte_hash_crc_8byte() checks at run time which CRC code to
 * use; with SSE4.2 guaranteed at build time (-march=x86-64-v2 and up) the
 * instruction can be used directly. */
static inline uint32_t
mf_crc64(uint64_t data, uint32_t h)
{
#ifdef __SSE4_2__
	return (uint32_t)_mm_crc32_u64(h, data);
#else
	return rte_hash_crc_8byte(data, h);
#endif
}

/* Mask word j of @st (the j-th non-zero one). @mini is st->mini, a
 * parameter so that callers can make it a constant. */
static inline uint64_t
mf_mask_word(const struct sl_megaflow_subtable *st, unsigned int j, bool mini)
{
	return mini ? st->mask_words[j] : st->mask.w[st->words[j]];
}

/* CRC32 over the non-zero mask words only: same value for every key equal
 * under the mask, and 3 CRC steps instead of 23 for a typical 3-word mask. */
static inline uint32_t
mf_subtable_hash_as(const struct sl_megaflow_subtable *st, const struct sl_flow_key *k,
		    uint32_t basis, bool mini)
{
	uint32_t h = basis;
	for (unsigned int j = 0; j < st->n_words; j++)
		h = mf_crc64(k->w[st->words[j]] & mf_mask_word(st, j, mini), h);
	return h;
}

static inline uint32_t
mf_subtable_hash(const struct sl_megaflow_subtable *st, const struct sl_flow_key *k,
		 uint32_t basis)
{
	return st->mini ? mf_subtable_hash_as(st, k, basis, true)
			: mf_subtable_hash_as(st, k, basis, false);
}

/* Store @k's masked words as a mini key (unused words zero). */
static inline void
mf_mini_fill(const struct sl_megaflow_subtable *st, const struct sl_flow_key *k,
	     struct mf_mini *m)
{
	for (unsigned int j = 0; j < MF_MINI_WORDS; j++)
		m->w[j] = j < st->n_words ? k->w[st->words[j]] & st->mask_words[j] : 0;
}

/* Compare @k under the mask with a mini key. The masked words are gathered
 * here, for candidates only, rather than kept from the hash pass: most
 * probes of a subtable are misses that never get here. */
static inline bool
mf_mini_matches(const struct sl_megaflow_subtable *st, const struct mf_mini *m,
		const struct sl_flow_key *k)
{
	uint64_t diff = 0;
	for (unsigned int j = 0; j < st->n_words; j++)
		diff |= (k->w[st->words[j]] & st->mask_words[j]) ^ m->w[j];
	return diff == 0;
}

/* Bitmap of slots in @b whose signature equals @sig. */
static inline uint32_t
mf_bucket_sig_match(const struct mf_bucket *b, uint16_t sig)
{
#ifdef __SSE2__
	__m128i sigs = _mm_load_si128((const __m128i *)(const void *)b->sig);
	__m128i eq = _mm_cmpeq_epi16(sigs, _mm_set1_epi16((short)sig));
	/* saturating pack turns each 0xffff/0 lane into one 0xff/0 byte */
	return (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(eq, _mm_setzero_si128()));
#else
	uint32_t bits = 0;
	for (unsigned int s = 0; s < MF_BUCKET_SLOTS; s++)
		bits |= (uint32_t)(b->sig[s] == sig) << s;
	return bits;
#endif
}

static inline bool
mf_entry_matches(const struct sl_megaflow_subtable *st, const struct sl_megaflow *mf,
		 const struct sl_flow_key *k)
{
	uint64_t diff = 0;
	for (unsigned int j = 0; j < st->n_words; j++) {
		unsigned int w = st->words[j];
		diff |= (k->w[w] & st->mask.w[w]) ^ mf->key.w[w];
	}
	return diff == 0;
}

static inline void
mf_prefetch_entry(const struct sl_megaflow_subtable *st, const struct sl_megaflow *mf)
{
	const char *base = (const char *)mf;
	for (unsigned int l = 0; l < st->n_lines; l++)
		rte_prefetch0(base + st->line_off[l]);
}

/* Find the entry matching @k in @st, starting from the home bucket of @hash
 * whose signature-match bitmap the caller already computed. @mini is
 * st->mini (a parameter so that callers can make it a constant). */
static inline struct sl_megaflow *
mf_subtable_find(const struct sl_megaflow_subtable *st, const struct mf_pool *pool,
		 const struct sl_flow_key *k, uint32_t hash, uint32_t home_bits, bool mini)
{
	uint16_t sig = (uint16_t)(hash >> 16);
	uint32_t b = hash & st->bucket_mask;
	uint32_t bits = home_bits;
	for (uint32_t probes = 0; probes <= st->bucket_mask; probes++) {
		const struct mf_bucket *bucket = &st->buckets[b];
		for (; bits; bits &= bits - 1) {
			uint32_t idx = bucket->idx[__builtin_ctz(bits)];
			if (idx == 0)
				continue;
			if (mini ? mf_mini_matches(st, mf_pool_mini(pool, idx), k)
				     : mf_entry_matches(st, mf_pool_entry(pool, idx), k))
				return mf_pool_entry(pool, idx);
		}
		if (bucket->overflow == 0)
			return NULL;
		b = (b + 1) & st->bucket_mask;
		bits = mf_bucket_sig_match(&st->buckets[b], sig);
	}
	return NULL;
}

/* Zeroed, 64-byte aligned memory; blocks of 2 MB and more are 2 MB aligned
 * and asked to be backed by transparent huge pages. Release with free(). */
void *mf_alloc(size_t bytes);

struct sl_megaflow_subtable *mf_subtable_create(const struct sl_flow_key *mask);
void mf_subtable_destroy(struct sl_megaflow_subtable *st);
/* Place entry @idx (already filled in, mini key included) under @hash; grows the table first if
 * needed. Returns 0 or -ENOMEM. */
int mf_subtable_add(struct sl_megaflow_subtable *st, const struct mf_pool *pool,
		    uint32_t idx, uint32_t hash, uint32_t basis);
/* Take entry @idx out of its bucket chain. */
void mf_subtable_del(struct sl_megaflow_subtable *st, uint32_t idx, uint32_t hash);

#endif /* SL_MF_SUBTABLE_H */
