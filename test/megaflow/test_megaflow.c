/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests of the megaflow cache: directed cases, then a long random
 * sequence of operations checked against a naive linear scan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "sl_megaflow.h"
#include "mf_subtable.h" /* white-box: the subtable hash, for test_collisions */

/* ---------- helpers ---------- */

/* Actions handles are heap objects so ASan catches double releases and leaks. */
struct test_actions {
	int id;
};

static int n_live_actions;
static int n_released[5];

static void *
new_actions(int id)
{
	struct test_actions *a = malloc(sizeof(*a));
	a->id = id;
	n_live_actions++;
	return a;
}

static int
actions_id(const void *a)
{
	return ((const struct test_actions *)a)->id;
}

static void
release_cb(struct sl_megaflow *mf, void *actions, enum sl_megaflow_release_reason why, void *ctx)
{
	(void)ctx;
	CU_ASSERT_PTR_NOT_NULL(mf);
	CU_ASSERT_PTR_NOT_NULL(sl_megaflow_mask(mf)); /* still readable during release */
	n_released[why]++;
	n_live_actions--;
	free(actions);
}

static struct sl_megaflow_cache *
new_cache(uint32_t max_entries, uint32_t rerank_interval)
{
	struct sl_megaflow_config cfg = {
		.max_entries = max_entries,
		.rerank_interval = rerank_interval,
		.hash_basis = 0x5eed,
		.release = release_cb,
	};
	memset(n_released, 0, sizeof(n_released));
	return sl_megaflow_cache_create(&cfg);
}

static struct sl_flow_key
key_words(unsigned int w1, uint64_t v1, unsigned int w2, uint64_t v2)
{
	struct sl_flow_key k;
	memset(&k, 0, sizeof(k));
	k.w[w1] = v1;
	k.w[w2] |= v2;
	return k;
}

/* ---------- directed tests ---------- */

static void
test_basic(void)
{
	struct sl_megaflow_cache *c = new_cache(0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	struct sl_flow_key mask = key_words(2, 0xffffffffull, 7, 0xffffff00ull);
	struct sl_flow_key k1 = key_words(2, 1, 7, 0x0a000001ull);
	struct sl_megaflow *mf = NULL, *mf2 = NULL;

	CU_ASSERT_PTR_NULL(sl_megaflow_lookup(c, &k1));
	CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k1, &mask, new_actions(1), 3, 100, &mf), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mf);
	CU_ASSERT_EQUAL(mf->version, 3);
	CU_ASSERT_EQUAL(mf->last_used, 100);
	/* stored key is masked */
	CU_ASSERT_EQUAL(mf->key.w[7], 0x0a000000ull);

	/* same /24, any host, any other unmasked word: hit */
	struct sl_flow_key k2 = key_words(2, 1, 7, 0x0a0000feull);
	k2.w[20] = 99;
	CU_ASSERT_PTR_EQUAL(sl_megaflow_lookup(c, &k2), mf);
	/* other in_port: miss */
	struct sl_flow_key k3 = key_words(2, 2, 7, 0x0a000001ull);
	CU_ASSERT_PTR_NULL(sl_megaflow_lookup(c, &k3));

	/* same (key & mask, mask) again: EEXIST, actions stay the caller's */
	void *a = new_actions(2);
	CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k2, &mask, a, 3, 100, &mf2), -EEXIST);
	CU_ASSERT_PTR_EQUAL(mf2, mf);
	free(a);
	n_live_actions--;

	sl_megaflow_credit(mf, 2, 128, 150);
	uint64_t p, b;
	sl_megaflow_take_stats(mf, &p, &b);
	CU_ASSERT(p == 2 && b == 128);
	sl_megaflow_credit(mf, 1, 64, 160);
	sl_megaflow_take_stats(mf, &p, &b);
	CU_ASSERT(p == 1 && b == 64);
	CU_ASSERT_EQUAL(mf->n_packets, 3);
	CU_ASSERT_EQUAL(mf->last_used, 160);

	uint32_t gen = mf->gen;
	sl_megaflow_remove(c, mf);
	CU_ASSERT_NOT_EQUAL(mf->gen, gen);
	CU_ASSERT_PTR_NULL(sl_megaflow_lookup(c, &k1));
	CU_ASSERT_EQUAL(n_released[SL_MEGAFLOW_REL_DELETE], 1);

	struct sl_megaflow_stats st;
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.n_entries, 0);
	CU_ASSERT_EQUAL(st.n_subtables, 0); /* empty subtables are freed */
	CU_ASSERT_EQUAL(st.inserts, 1);
	CU_ASSERT_EQUAL(st.deletes, 1);
	CU_ASSERT_EQUAL(st.hits, 1);
	CU_ASSERT_EQUAL(st.misses, 3);
	sl_megaflow_cache_destroy(c);
	CU_ASSERT_EQUAL(n_live_actions, 0);
}

static void
test_cap(void)
{
	struct sl_megaflow_cache *c = new_cache(100, 0);
	struct sl_flow_key mask = key_words(2, 0xffffffffull, 3, 0);
	struct sl_megaflow *first = NULL, *mf;
	for (int i = 0; i < 100; i++) {
		struct sl_flow_key k = key_words(2, (uint64_t)i, 3, 0);
		CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k, &mask, new_actions(i), 1, 0, &mf), 0);
		if (i == 0)
			first = mf;
	}
	struct sl_flow_key k = key_words(2, 1000, 3, 0);
	void *a = new_actions(1000);
	CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k, &mask, a, 1, 0, NULL), -ENOSPC);
	CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k, &mask, a, 1, 0, NULL), -ENOSPC);
	struct sl_megaflow_stats st;
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.cap_hits, 2);
	CU_ASSERT_EQUAL(st.n_entries, 100);
	/* an existing entry is still reported as existing, not as a cap hit */
	struct sl_flow_key k5 = key_words(2, 5, 3, 0);
	CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k5, &mask, a, 1, 0, NULL), -EEXIST);
	sl_megaflow_remove(c, first);
	CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k, &mask, a, 1, 0, &mf), 0);
	CU_ASSERT_PTR_EQUAL(sl_megaflow_lookup(c, &k), mf);
	for (int i = 1; i < 100; i++) {
		struct sl_flow_key ki = key_words(2, (uint64_t)i, 3, 0);
		CU_ASSERT_PTR_NOT_NULL(sl_megaflow_lookup(c, &ki));
	}
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.cap_hits, 2);
	sl_megaflow_cache_destroy(c);
	CU_ASSERT_EQUAL(n_released[SL_MEGAFLOW_REL_FLUSH], 100);
	CU_ASSERT_EQUAL(n_live_actions, 0);
}

/* Keep entries whose in_port is even; give entries with in_port % 3 == 0 new
 * actions; drop the rest. */
static enum sl_megaflow_verdict
reval_even(struct sl_megaflow *mf, void **actions, void *ctx)
{
	int *visits = ctx;
	(*visits)++;
	uint64_t port = mf->key.w[2];
	if (port % 2 != 0)
		return SL_MEGAFLOW_DROP;
	if (port % 3 == 0)
		*actions = new_actions(1000 + (int)port);
	return SL_MEGAFLOW_KEEP;
}

static void
test_revalidate(void)
{
	struct sl_megaflow_cache *c = new_cache(0, 0);
	struct sl_flow_key mask = key_words(2, 0xffffffffull, 3, 0);
	struct sl_megaflow *mfs[60];
	for (int i = 0; i < 60; i++) {
		struct sl_flow_key k = key_words(2, (uint64_t)i, 3, 0);
		/* entries 50..59 were built at version 7: already current */
		uint64_t version = i < 50 ? 4 : 7;
		CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k, &mask, new_actions(i), version, 0, &mfs[i]), 0);
	}
	int visits = 0;
	unsigned int dropped = sl_megaflow_revalidate(c, 7, reval_even, &visits);
	CU_ASSERT_EQUAL(visits, 50);
	CU_ASSERT_EQUAL(dropped, 25);
	CU_ASSERT_EQUAL(n_released[SL_MEGAFLOW_REL_REVALIDATE], 25);
	CU_ASSERT_EQUAL(n_released[SL_MEGAFLOW_REL_REPLACED], 9); /* 0,6,...,48 */
	for (int i = 0; i < 60; i++) {
		struct sl_flow_key k = key_words(2, (uint64_t)i, 3, 0);
		struct sl_megaflow *mf = sl_megaflow_lookup(c, &k);
		if (i < 50 && i % 2 != 0) {
			CU_ASSERT_PTR_NULL(mf);
			continue;
		}
		CU_ASSERT_PTR_EQUAL_FATAL(mf, mfs[i]);
		CU_ASSERT_EQUAL(mf->version, 7);
		int want = (i < 50 && i % 6 == 0) ? 1000 + i : i;
		CU_ASSERT_EQUAL(actions_id(mf->actions), want);
	}
	/* nothing is older than 7 any more */
	visits = 0;
	CU_ASSERT_EQUAL(sl_megaflow_revalidate(c, 7, reval_even, &visits), 0);
	CU_ASSERT_EQUAL(visits, 0);
	struct sl_megaflow_stats st;
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.reval_visits, 50);
	CU_ASSERT_EQUAL(st.reval_drops, 25);
	CU_ASSERT_EQUAL(st.n_entries, 35);
	sl_megaflow_cache_destroy(c);
	CU_ASSERT_EQUAL(n_live_actions, 0);
}

/* The incremental pass ends in the same state as the full one, and a newer
 * version restarts it. */
static void
test_revalidate_incremental(void)
{
	struct sl_megaflow_cache *c = new_cache(0, 0);
	struct sl_flow_key mask = key_words(2, 0xffffffffull, 3, 0);
	struct sl_megaflow *mfs[1000];
	for (int i = 0; i < 1000; i++) {
		struct sl_flow_key k = key_words(2, (uint64_t)i, 3, 0);
		CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k, &mask, new_actions(i), 1, 0, &mfs[i]), 0);
	}
	int visits = 0, calls = 0;
	/* half a pass at version 2, then version 3 arrives */
	for (int i = 0; i < 5; i++)
		CU_ASSERT(!sl_megaflow_revalidate_some(c, 2, reval_even, &visits, 100));
	CU_ASSERT_EQUAL(visits, 500);
	while (!sl_megaflow_revalidate_some(c, 3, reval_even, &visits, 100))
		calls++;
	CU_ASSERT_EQUAL(calls, 9);
	/* 500 at version 2 then 1000 at version 3, minus the 250 odd in_ports of
	 * the first half, already dropped */
	CU_ASSERT_EQUAL(visits, 500 + 750);
	CU_ASSERT(sl_megaflow_revalidate_some(c, 3, reval_even, &visits, 100));
	CU_ASSERT_EQUAL(visits, 1250);
	for (int i = 0; i < 1000; i++) {
		struct sl_flow_key k = key_words(2, (uint64_t)i, 3, 0);
		struct sl_megaflow *mf = sl_megaflow_lookup(c, &k);
		if (i % 2 != 0) {
			CU_ASSERT_PTR_NULL(mf);
		} else {
			CU_ASSERT_PTR_EQUAL(mf, mfs[i]);
			CU_ASSERT_EQUAL(mf->version, 3);
		}
	}
	sl_megaflow_cache_destroy(c);
	CU_ASSERT_EQUAL(n_live_actions, 0);
}

static void
test_idle_eviction(void)
{
	struct sl_megaflow_cache *c = new_cache(0, 0);
	struct sl_flow_key mask = key_words(2, 0xffffffffull, 3, 0);
	struct sl_megaflow *mfs[1000];
	for (int i = 0; i < 1000; i++) {
		struct sl_flow_key k = key_words(2, (uint64_t)i, 3, 0);
		CU_ASSERT_EQUAL(sl_megaflow_insert(c, &k, &mask, new_actions(i), 1, 10, &mfs[i]), 0);
	}
	for (int i = 0; i < 1000; i += 3)
		sl_megaflow_credit(mfs[i], 1, 60, 500);
	/* nothing idle long enough yet */
	CU_ASSERT_EQUAL(sl_megaflow_evict_idle(c, 100, 100, 0), 0);
	/* budgeted sweeps: 10 calls of 100 slots cover the pool once */
	unsigned int evicted = 0;
	for (int call = 0; call < 10; call++) {
		unsigned int e = sl_megaflow_evict_idle(c, 600, 200, 100);
		CU_ASSERT(e <= 100);
		evicted += e;
	}
	CU_ASSERT_EQUAL(evicted, 666);
	CU_ASSERT_EQUAL(n_released[SL_MEGAFLOW_REL_IDLE], 666);
	for (int i = 0; i < 1000; i++) {
		struct sl_flow_key k = key_words(2, (uint64_t)i, 3, 0);
		struct sl_megaflow *mf = sl_megaflow_lookup(c, &k);
		if (i % 3 == 0) {
			CU_ASSERT_PTR_EQUAL(mf, mfs[i]);
		} else {
			CU_ASSERT_PTR_NULL(mf);
		}
	}
	CU_ASSERT_EQUAL(sl_megaflow_evict_idle(c, 1000, 200, 0), 334);
	struct sl_megaflow_stats st;
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.evictions, 1000);
	CU_ASSERT_EQUAL(st.n_entries, 0);
	sl_megaflow_cache_destroy(c);
	CU_ASSERT_EQUAL(n_live_actions, 0);
}

static void
test_rerank(void)
{
	struct sl_megaflow_cache *c = new_cache(0, 4);
	struct sl_flow_key m_a = key_words(2, 0xffffffffull, 3, 0);
	struct sl_flow_key m_b = key_words(7, 0xffffffffull, 3, 0);
	struct sl_flow_key ka = key_words(2, 1, 3, 0);
	struct sl_flow_key kb = key_words(7, 1, 3, 0);
	CU_ASSERT_EQUAL(sl_megaflow_insert(c, &ka, &m_a, new_actions(1), 1, 0, NULL), 0);
	CU_ASSERT_EQUAL(sl_megaflow_insert(c, &kb, &m_b, new_actions(2), 1, 0, NULL), 0);
	const struct sl_flow_key *masks[4];
	CU_ASSERT_EQUAL(sl_megaflow_subtable_masks(c, masks, 4), 2);
	CU_ASSERT_EQUAL(masks[0]->w[2], 0xffffffffull); /* insertion order first */
	/* only B gets traffic: after rerank_interval batches it leads */
	const struct sl_flow_key *keys[8];
	struct sl_megaflow *out[8];
	for (int i = 0; i < 8; i++)
		keys[i] = &kb;
	for (int b = 0; b < 4; b++) {
		uint64_t hit = 0;
		CU_ASSERT_EQUAL(sl_megaflow_lookup_batch(c, keys, 8, out, &hit), 8);
		CU_ASSERT_EQUAL(hit, 0xff);
	}
	sl_megaflow_subtable_masks(c, masks, 4);
	CU_ASSERT_EQUAL(masks[0]->w[7], 0xffffffffull);
	struct sl_megaflow_stats st;
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.reranks, 1);
	/* B first: its keys no longer probe A */
	uint64_t probes = st.subtable_probes;
	uint64_t hit = 0;
	sl_megaflow_lookup_batch(c, keys, 8, out, &hit);
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.subtable_probes - probes, 8);
	/* pre-resolved keys are skipped and their entries left alone */
	hit = 0x0f;
	out[0] = NULL;
	CU_ASSERT_EQUAL(sl_megaflow_lookup_batch(c, keys, 8, out, &hit), 4);
	CU_ASSERT_PTR_NULL(out[0]);
	CU_ASSERT_EQUAL(hit, 0xff);
	sl_megaflow_cache_destroy(c);
	CU_ASSERT_EQUAL(n_live_actions, 0);
}

/* One big subtable: growth, probing and deletes at scale. */
static void
test_large_subtable(void)
{
	enum { N = 100000 };
	struct sl_megaflow_cache *c = new_cache(N, 0);
	struct sl_flow_key mask = key_words(7, 0xffffffffffffffffull, 17, 0xffffffffull);
	static struct sl_megaflow *mfs[N];
	for (uint32_t i = 0; i < N; i++) {
		struct sl_flow_key k = key_words(7, (uint64_t)i * 2654435761u, 17, i & 0xff);
		CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &k, &mask, NULL, 1, 0, &mfs[i]), 0);
	}
	unsigned int n_found = 0, n_right = 0;
	for (uint32_t base = 0; base < N; base += 32) {
		struct sl_flow_key ks[32];
		const struct sl_flow_key *kp[32];
		struct sl_megaflow *out[32];
		unsigned int n = N - base < 32 ? N - base : 32;
		for (unsigned int j = 0; j < n; j++) {
			uint32_t i = base + j;
			ks[j] = key_words(7, (uint64_t)i * 2654435761u, 17, i & 0xff);
			kp[j] = &ks[j];
		}
		uint64_t hit = 0;
		n_found += sl_megaflow_lookup_batch(c, kp, n, out, &hit);
		for (unsigned int j = 0; j < n; j++)
			n_right += (hit >> j & 1) && out[j] == mfs[base + j];
	}
	CU_ASSERT_EQUAL(n_found, N);
	CU_ASSERT_EQUAL(n_right, N);
	for (uint32_t i = 0; i < N; i += 2)
		sl_megaflow_remove(c, mfs[i]);
	unsigned int bad = 0;
	for (uint32_t i = 0; i < N; i++) {
		struct sl_flow_key k = key_words(7, (uint64_t)i * 2654435761u, 17, i & 0xff);
		struct sl_megaflow *mf = sl_megaflow_lookup(c, &k);
		bad += (i % 2 == 0) ? mf != NULL : mf != mfs[i];
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* iteration sees exactly the live entries, and tolerates removal */
	uint32_t cursor = 0, seen = 0;
	struct sl_megaflow *mf;
	while ((mf = sl_megaflow_next(c, &cursor)) != NULL) {
		seen++;
		sl_megaflow_remove(c, mf);
	}
	CU_ASSERT_EQUAL(seen, N / 2);
	struct sl_megaflow_stats st;
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.n_entries, 0);
	sl_megaflow_cache_destroy(c);
}

/* Keys chosen so that all of them share one home bucket (for any table of
 * up to 256 buckets): long overflow chains, then deletes in a scrambled
 * order, checking every key after each step. White-box: uses the subtable
 * hash from the private header to pick the keys. */
static void
test_collisions(void)
{
	enum { N = 60 };
	struct sl_flow_key mask = key_words(8, 0xffffffffffffull, 3, 0);
	struct sl_megaflow_subtable *probe = mf_subtable_create(&mask);
	CU_ASSERT_PTR_NOT_NULL_FATAL(probe);
	struct sl_flow_key keys[N];
	unsigned int n = 0;
	uint32_t home = 0;
	for (uint64_t v = 1; n < N && v < 10000000; v++) {
		struct sl_flow_key k = key_words(8, v, 3, 0);
		uint32_t h = mf_subtable_hash(probe, &k, 0x5eed);
		if (n == 0)
			home = h & 0xff;
		if ((h & 0xff) == home)
			keys[n++] = k;
	}
	mf_subtable_destroy(probe);
	CU_ASSERT_EQUAL_FATAL(n, N);

	struct sl_megaflow_cache *c = new_cache(0, 0);
	struct sl_megaflow *mfs[N];
	for (unsigned int i = 0; i < N; i++) {
		CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &keys[i], &mask, NULL, 1, 0, &mfs[i]), 0);
		for (unsigned int j = 0; j <= i; j++)
			CU_ASSERT_PTR_EQUAL(sl_megaflow_lookup(c, &keys[j]), mfs[j]);
	}
	bool gone[N] = { false };
	for (unsigned int step = 0; step < N; step++) {
		unsigned int victim = (step * 37) % N; /* 37 is coprime with 60 */
		sl_megaflow_remove(c, mfs[victim]);
		gone[victim] = true;
		for (unsigned int j = 0; j < N; j++) {
			struct sl_megaflow *mf = sl_megaflow_lookup(c, &keys[j]);
			CU_ASSERT_PTR_EQUAL(mf, gone[j] ? NULL : mfs[j]);
		}
		/* re-insert some, so holes in the chain get reused */
		if (step % 3 == 2) {
			unsigned int back = (step * 11) % N;
			if (gone[back]) {
				CU_ASSERT_EQUAL(sl_megaflow_insert(c, &keys[back], &mask, NULL, 1, 0,
								   &mfs[back]), 0);
				gone[back] = false;
			}
		}
	}
	sl_megaflow_cache_destroy(c);
}

/* Two keys whose hashes agree on the home bucket and the 16-bit signature
 * but differ in one masked word, in each word position: only the compare
 * tells them apart, so this checks every word of it, for a 4-word mask
 * (packed mini keys) and a 6-word one (the entry's key). White-box: picks
 * the keys with the subtable hash from the private header. */
static void
test_signature_collisions(void)
{
	static const unsigned int words[6] = { 2, 5, 7, 9, 11, 13 };
	unsigned int bad = 0;
	for (unsigned int n_words = 4; n_words <= 6; n_words += 2) {
		struct sl_flow_key mask, base;
		memset(&mask, 0, sizeof(mask));
		memset(&base, 0, sizeof(base));
		for (unsigned int j = 0; j < n_words; j++) {
			mask.w[words[j]] = ~0ull;
			base.w[words[j]] = 0x1111111111111111ull * (j + 1);
		}
		struct sl_megaflow_subtable *probe = mf_subtable_create(&mask);
		CU_ASSERT_PTR_NOT_NULL_FATAL(probe);
		uint32_t hb = mf_subtable_hash(probe, &base, 0x5eed);
		for (unsigned int j = 0; j < n_words; j++) {
			/* a subtable of two entries has two buckets: bit 0 picks
			 * the bucket, bits 16..31 are the signature */
			struct sl_flow_key other = base;
			uint64_t v = 1;
			for (; v < (1u << 24); v++) {
				other.w[words[j]] = base.w[words[j]] + v;
				uint32_t h = mf_subtable_hash(probe, &other, 0x5eed);
				if (((h ^ hb) & 0xffff0001u) == 0)
					break;
			}
			CU_ASSERT_FATAL(v < (1u << 24));
			struct sl_megaflow_cache *c = new_cache(0, 0);
			struct sl_megaflow *ma, *mb = NULL;
			CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &base, &mask, new_actions(1), 1, 0, &ma), 0);
			bad += sl_megaflow_lookup(c, &other) != NULL;
			void *act = new_actions(2);
			if (sl_megaflow_insert(c, &other, &mask, act, 1, 0, &mb) != 0) {
				bad++;
				free(act); /* not taken by the cache */
				n_live_actions--;
			}
			bad += sl_megaflow_lookup(c, &base) != ma;
			bad += mb == NULL || sl_megaflow_lookup(c, &other) != mb;
			sl_megaflow_cache_destroy(c);
		}
		mf_subtable_destroy(probe);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* test_megaflow_model.c */
void test_model_random_ops(void);

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "basic", test_basic },
		{ "cap", test_cap },
		{ "signature_collisions", test_signature_collisions },
		{ "revalidate", test_revalidate },
		{ "revalidate_incremental", test_revalidate_incremental },
		{ "idle_eviction", test_idle_eviction },
		{ "rerank", test_rerank },
		{ "large_subtable", test_large_subtable },
		{ "collisions", test_collisions },
		{ "model_random_ops", test_model_random_ops },
	};

	return cunit_run_suite("megaflow", tests, CUNIT_N_TESTS(tests));
}
