/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests of the exact-match cache in front of a megaflow cache. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"
#include "test_rng.h"

#include "sl_emc.h"
#include "sl_megaflow.h"

static struct sl_flow_key
port_key(uint32_t port, uint64_t extra)
{
	struct sl_flow_key k;
	memset(&k, 0, sizeof(k));
	k.in_port = port;
	k.w[7] = extra; /* not in the megaflow mask: distinct exact keys */
	return k;
}

static struct sl_flow_key
port_mask(void)
{
	struct sl_flow_key m;
	memset(&m, 0, sizeof(m));
	m.in_port = 0xffffffffu;
	return m;
}

static struct sl_emc *
new_emc(uint32_t entries, uint32_t inv_prob)
{
	struct sl_emc_config cfg = {
		.n_entries = entries,
		.insert_inv_prob = inv_prob,
		.hash_basis = 7,
		.seed = 42,
	};
	return sl_emc_create(&cfg);
}

/* Look up one key in the EMC; returns the entry or NULL. */
static struct sl_megaflow *
emc_lookup1(struct sl_emc *emc, const struct sl_flow_key *k, uint32_t *hash)
{
	const struct sl_flow_key *keys[1] = { k };
	struct sl_megaflow *out[1] = { NULL };
	uint64_t hit = 0;
	sl_emc_lookup_batch(emc, keys, 1, hash, out, &hit);
	return hit ? out[0] : NULL;
}

static void
test_emc_always(void)
{
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(NULL);
	struct sl_emc *emc = new_emc(1024, 1);
	struct sl_flow_key mask = port_mask();
	struct sl_flow_key k = port_key(3, 77);
	struct sl_megaflow *mf;
	CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &k, &mask, NULL, 1, 0, &mf), 0);

	uint32_t h = 0;
	CU_ASSERT_PTR_NULL(emc_lookup1(emc, &k, &h));
	CU_ASSERT_EQUAL(h, sl_emc_hash(emc, &k));
	CU_ASSERT(sl_emc_maybe_insert(emc, &k, h, mf));
	CU_ASSERT_PTR_EQUAL(emc_lookup1(emc, &k, &h), mf);
	/* exact: another key of the same megaflow is not an EMC hit */
	struct sl_flow_key k2 = port_key(3, 78);
	CU_ASSERT_PTR_NULL(emc_lookup1(emc, &k2, &h));
	CU_ASSERT_EQUAL(sl_emc_count_live(emc), 1);

	/* removing the megaflow invalidates the EMC slot at once */
	sl_megaflow_remove(c, mf);
	CU_ASSERT_PTR_NULL(emc_lookup1(emc, &k, &h));
	CU_ASSERT_EQUAL(sl_emc_count_live(emc), 0);
	/* the pool slot is reused by a new megaflow: the old EMC slot must still
	 * not match (generation differs), even though the pointer is equal */
	struct sl_flow_key other = port_key(4, 0);
	struct sl_megaflow *mf2;
	CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &other, &mask, NULL, 1, 0, &mf2), 0);
	CU_ASSERT_PTR_EQUAL(mf2, mf);
	CU_ASSERT_PTR_NULL(emc_lookup1(emc, &k, &h));

	struct sl_emc_stats st;
	sl_emc_get_stats(emc, &st);
	CU_ASSERT_EQUAL(st.lookups, 5);
	CU_ASSERT_EQUAL(st.hits, 1);
	CU_ASSERT_EQUAL(st.stale, 2);
	CU_ASSERT_EQUAL(st.inserts, 1);
	sl_emc_destroy(emc);
	sl_megaflow_cache_destroy(c);
}

static void
test_emc_disabled(void)
{
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(NULL);
	struct sl_emc *emc = new_emc(1024, 0);
	struct sl_flow_key mask = port_mask();
	struct sl_flow_key k = port_key(3, 1);
	struct sl_megaflow *mf;
	CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &k, &mask, NULL, 1, 0, &mf), 0);
	uint32_t h = sl_emc_hash(emc, &k);
	for (int i = 0; i < 1000; i++)
		CU_ASSERT(!sl_emc_maybe_insert(emc, &k, h, mf));
	CU_ASSERT_PTR_NULL(emc_lookup1(emc, &k, &h));
	CU_ASSERT_EQUAL(sl_emc_count_live(emc), 0);
	struct sl_emc_stats st;
	sl_emc_get_stats(emc, &st);
	CU_ASSERT_EQUAL(st.lookups, 0); /* disabled: lookups do not even hash */
	CU_ASSERT_EQUAL(st.inserts, 0);

	/* enabling, filling, then disabling clears */
	sl_emc_set_insert_inv_prob(emc, 1);
	CU_ASSERT(sl_emc_maybe_insert(emc, &k, h, mf));
	CU_ASSERT_PTR_EQUAL(emc_lookup1(emc, &k, &h), mf);
	sl_emc_set_insert_inv_prob(emc, 0);
	CU_ASSERT_EQUAL(sl_emc_get_insert_inv_prob(emc), 0);
	CU_ASSERT_EQUAL(sl_emc_count_live(emc), 0);
	sl_emc_set_insert_inv_prob(emc, 1);
	CU_ASSERT_PTR_NULL(emc_lookup1(emc, &k, &h));
	sl_emc_destroy(emc);
	sl_megaflow_cache_destroy(c);
}

static void
test_emc_probability(void)
{
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(NULL);
	struct sl_emc *emc = new_emc(1 << 16, 100);
	struct sl_flow_key mask = port_mask();
	struct sl_flow_key k = port_key(1, 0);
	struct sl_megaflow *mf;
	CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &k, &mask, NULL, 1, 0, &mf), 0);
	unsigned int inserted = 0;
	for (uint32_t i = 0; i < 20000; i++) {
		struct sl_flow_key ki = port_key(1, i);
		inserted += sl_emc_maybe_insert(emc, &ki, sl_emc_hash(emc, &ki), mf);
	}
	/* Binomial(20000, 1/100): mean 200, sd 14; +-7 sd */
	CU_ASSERT(inserted > 100 && inserted < 300);
	struct sl_emc_stats st;
	sl_emc_get_stats(emc, &st);
	CU_ASSERT_EQUAL(st.inserts, inserted);
	CU_ASSERT_EQUAL(st.insert_skips, 20000 - inserted);
	printf("\n  1/100 sampling inserted %u of 20000\n", inserted);
	sl_emc_destroy(emc);
	sl_megaflow_cache_destroy(c);
}

/* Many flows through a small EMC in front of a megaflow cache: every EMC hit
 * must be the megaflow a megaflow lookup gives, including after removals. */
static void
test_emc_with_megaflows(void)
{
	enum { N_PORTS = 64, N_FLOWS = 4096, ROUNDS = 40 };
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(NULL);
	struct sl_emc *emc = new_emc(256, 1);
	struct sl_flow_key mask = port_mask();
	uint64_t emc_hits = 0, checked = 0, bad = 0;
	uint64_t rng = 99;
	for (int round = 0; round < ROUNDS; round++) {
		struct sl_flow_key ks[32];
		const struct sl_flow_key *kp[32];
		struct sl_megaflow *out[32];
		uint32_t hashes[32];
		for (int j = 0; j < 32; j++) {
			test_rng_lcg(&rng);
			uint32_t f = (uint32_t)(rng >> 33) % N_FLOWS;
			ks[j] = port_key(f % N_PORTS, f);
			kp[j] = &ks[j];
		}
		for (int pass = 0; pass < 50; pass++) {
			uint64_t hit = 0;
			emc_hits += sl_emc_lookup_batch(emc, kp, 32, hashes, out, &hit);
			uint64_t emc_hit = hit;
			sl_megaflow_lookup_batch(c, kp, 32, out, &hit);
			for (int j = 0; j < 32; j++) {
				struct sl_megaflow *mf = out[j];
				if (!(hit >> j & 1)) {
					/* -EEXIST: the same flow twice in one burst */
					int rc = sl_megaflow_insert(c, &ks[j], &mask, NULL, 1, 0, &mf);
					CU_ASSERT_FATAL(rc == 0 || rc == -EEXIST);
				}
				if (!(emc_hit >> j & 1))
					sl_emc_maybe_insert(emc, &ks[j], hashes[j], mf);
				/* the truth: a fresh megaflow-only lookup */
				struct sl_megaflow *truth = sl_megaflow_lookup(c, &ks[j]);
				checked++;
				bad += truth != mf;
			}
			/* remove a random port's megaflow now and then */
			if (pass % 10 == 9) {
				struct sl_megaflow *victim = sl_megaflow_lookup(c, &ks[pass % 32]);
				sl_megaflow_remove(c, victim);
			}
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(emc_hits > checked / 2);
	struct sl_emc_stats st;
	sl_emc_get_stats(emc, &st);
	CU_ASSERT(st.stale > 0);
	printf("\n  %llu checked, %llu EMC hits, %llu stale\n", (unsigned long long)checked,
	       (unsigned long long)emc_hits, (unsigned long long)st.stale);
	sl_emc_destroy(emc);
	sl_megaflow_cache_destroy(c);
}

static void
test_emc_two_ways(void)
{
	/* 4 slots, 3 keys: whatever the hashes, each key can be inserted, and
	 * the most recent insert of a key is always found */
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(NULL);
	struct sl_emc *emc = new_emc(4, 1);
	struct sl_flow_key mask = port_mask();
	struct sl_flow_key k = port_key(9, 0);
	struct sl_megaflow *mf;
	CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &k, &mask, NULL, 1, 0, &mf), 0);
	unsigned int misses = 0;
	for (uint32_t i = 0; i < 1000; i++) {
		struct sl_flow_key ki = port_key(9, i);
		uint32_t h = sl_emc_hash(emc, &ki);
		sl_emc_insert(emc, &ki, h, mf);
		sl_emc_insert(emc, &ki, h, mf); /* same key twice: one slot */
		misses += emc_lookup1(emc, &ki, &h) != mf;
		CU_ASSERT(sl_emc_count_live(emc) <= 4);
	}
	CU_ASSERT_EQUAL(misses, 0);
	sl_emc_clear(emc);
	CU_ASSERT_EQUAL(sl_emc_count_live(emc), 0);
	sl_emc_destroy(emc);
	sl_megaflow_cache_destroy(c);
}

/* Caller-supplied hashes, at their worst: every key gets the same hash.
 * Only two slots are usable, and the full key compare keeps hits exact. */
static void
test_emc_caller_hash(void)
{
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(NULL);
	struct sl_emc *emc = new_emc(1024, 1);
	struct sl_flow_key mask = port_mask();
	struct sl_flow_key ks[8];
	const struct sl_flow_key *kp[8];
	struct sl_megaflow *mfs[8], *out[8];
	uint32_t hashes[8];
	for (unsigned int i = 0; i < 8; i++) {
		ks[i] = port_key(i, i);
		kp[i] = &ks[i];
		hashes[i] = 0xabcdef;
		CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &ks[i], &mask, NULL, 1, 0, &mfs[i]), 0);
	}
	for (unsigned int i = 0; i < 8; i++) {
		sl_emc_insert(emc, &ks[i], hashes[i], mfs[i]);
		uint64_t hit = 0;
		unsigned int n = sl_emc_lookup_batch_hashed(emc, kp, 8, hashes, out, &hit);
		/* two keys are in, the latest among them; every hit is the right megaflow */
		CU_ASSERT(n == (i == 0 ? 1u : 2u));
		CU_ASSERT(hit >> i & 1);
		for (unsigned int j = 0; j < 8; j++) {
			if (hit >> j & 1) {
				CU_ASSERT_PTR_EQUAL(out[j], mfs[j]);
			}
		}
	}
	sl_emc_destroy(emc);
	sl_megaflow_cache_destroy(c);
}

/* The hash covers only some words (sl_emc_hash): a key that differs from a
 * cached one in any single bit, of any word, hashed or not, must still miss;
 * and the pair then lives side by side, each hit giving its own megaflow. */
static void
test_emc_whole_key_compared(void)
{
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(NULL);
	struct sl_emc *emc = new_emc(1024, 1);
	struct sl_flow_key mask = port_mask();
	struct sl_flow_key base = port_key(5, 0x0a000001);
	struct sl_megaflow *mf_base, *mf_other;
	uint32_t h;
	CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &base, &mask, NULL, 1, 0, &mf_base), 0);
	struct sl_flow_key okey = port_key(6, 0);
	CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &okey, &mask, NULL, 1, 0, &mf_other), 0);
	unsigned int false_hits = 0, wrong = 0;
	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++) {
		for (unsigned int bit = 0; bit < 64; bit += 9) {
			struct sl_flow_key k = base;
			k.w[w] ^= UINT64_C(1) << bit;
			sl_emc_clear(emc);
			sl_emc_insert(emc, &base, sl_emc_hash(emc, &base), mf_base);
			false_hits += emc_lookup1(emc, &k, &h) != NULL;
			sl_emc_insert(emc, &k, sl_emc_hash(emc, &k), mf_other);
			wrong += emc_lookup1(emc, &k, &h) != mf_other;
			wrong += emc_lookup1(emc, &base, &h) != mf_base;
		}
	}
	CU_ASSERT_EQUAL(false_hits, 0);
	CU_ASSERT_EQUAL(wrong, 0);
	sl_emc_destroy(emc);
	sl_megaflow_cache_destroy(c);
}

static enum sl_megaflow_verdict
drop_odd_ports(struct sl_megaflow *mf, void **actions, void *ctx)
{
	(void)actions;
	(void)ctx;
	return mf->key.in_port % 2 ? SL_MEGAFLOW_DROP : SL_MEGAFLOW_KEEP;
}

/* Every way a megaflow can leave (idle eviction, revalidation drop, flush)
 * invalidates its EMC slots, also once the pool slot is reused. */
static void
test_emc_invalidation_paths(void)
{
	enum { N = 64 };
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(NULL);
	struct sl_emc *emc = new_emc(1024, 1);
	struct sl_flow_key mask = port_mask();
	struct sl_flow_key ks[N];
	const struct sl_flow_key *kp[N];
	struct sl_megaflow *mfs[N], *out[N];
	uint32_t hashes[N];
	for (unsigned int i = 0; i < N; i++) {
		ks[i] = port_key(i, 1000 + i);
		kp[i] = &ks[i];
		/* ports 0..15 stay busy, the rest go idle */
		CU_ASSERT_EQUAL_FATAL(sl_megaflow_insert(c, &ks[i], &mask, NULL, 1, i < 16 ? 500 : 0,
							 &mfs[i]), 0);
		sl_emc_insert(emc, &ks[i], sl_emc_hash(emc, &ks[i]), mfs[i]);
	}
	uint64_t hit = 0;
	CU_ASSERT_EQUAL(sl_emc_lookup_batch(emc, kp, N, hashes, out, &hit), N);

	CU_ASSERT_EQUAL(sl_megaflow_evict_idle(c, 600, 200, 0), N - 16);
	hit = 0;
	CU_ASSERT_EQUAL(sl_emc_lookup_batch(emc, kp, N, hashes, out, &hit), 16);
	CU_ASSERT_EQUAL(hit, 0xffff);

	CU_ASSERT_EQUAL(sl_megaflow_revalidate(c, 2, drop_odd_ports, NULL), 8);
	hit = 0;
	CU_ASSERT_EQUAL(sl_emc_lookup_batch(emc, kp, N, hashes, out, &hit), 8);
	CU_ASSERT_EQUAL(hit, 0x5555);

	/* refill the freed pool slots with other megaflows: still no false hits */
	for (unsigned int i = 0; i < N; i++) {
		struct sl_flow_key other = port_key(10000 + i, 0);
		CU_ASSERT_EQUAL(sl_megaflow_insert(c, &other, &mask, NULL, 3, 600, NULL), 0);
	}
	hit = 0;
	CU_ASSERT_EQUAL(sl_emc_lookup_batch(emc, kp, N, hashes, out, &hit), 8);
	for (unsigned int i = 0; i < N; i++) {
		if (hit >> i & 1) {
			CU_ASSERT_PTR_EQUAL(out[i], mfs[i]);
		}
	}
	sl_megaflow_flush(c);
	hit = 0;
	CU_ASSERT_EQUAL(sl_emc_lookup_batch(emc, kp, N, hashes, out, &hit), 0);
	CU_ASSERT_EQUAL(sl_emc_count_live(emc), 0);
	sl_emc_destroy(emc);
	sl_megaflow_cache_destroy(c);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "always", test_emc_always },
		{ "disabled", test_emc_disabled },
		{ "probability", test_emc_probability },
		{ "two_ways", test_emc_two_ways },
		{ "caller_hash", test_emc_caller_hash },
		{ "whole_key_compared", test_emc_whole_key_compared },
		{ "invalidation_paths", test_emc_invalidation_paths },
		{ "with_megaflows", test_emc_with_megaflows },
	};

	return cunit_run_suite("emc", tests, CUNIT_N_TESTS(tests));
}
