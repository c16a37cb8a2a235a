/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_emc.h
 * Exact-match cache (EMC): per worker, in front of the megaflow cache.
 * Maps a whole flow key to the megaflow entry that matched it, so that a hit
 * costs one hash over the key and one compare instead of a tuple-space search.
 *
 * - Two candidate slots per key (from two parts of the hash); a new key goes
 *   to an empty or stale candidate, else replaces one at random.
 * - Inserts happen with probability 1/insert_inv_prob (default 1/100): with
 *   many more flows than slots, inserting every miss would make every slot
 *   churn and the EMC would cost more than it saves; sampled insertion lets
 *   the heavy flows settle in it. 0 turns the EMC off entirely (lookups return
 *   at once without hashing), 1 inserts every miss.
 *
 * Invalidation: generation counter, not back-pointers. Each EMC slot stores
 * the megaflow pointer and the megaflow's generation at insert time; removing
 * a megaflow bumps its generation, so every slot that points to it stops
 * matching at once, in O(1), with no list of referrers to keep per megaflow
 * (back-pointers would cost memory in every megaflow and a walk on every
 * removal, on the slow path of the same worker). This is safe because
 * megaflow entries live in a pool whose memory stays allocated until the
 * megaflow cache is destroyed: a stale pointer always reads a valid
 * generation. A 32-bit generation could in theory wrap back to the stored
 * value after 2^32 reuses of one pool slot while an EMC slot sat untouched;
 * the EMC is far smaller and churns far faster than that.
 * Consequences: an EMC must be destroyed (or cleared) before the megaflow
 * cache it points into; a megaflow revalidated in place (new actions) stays
 * valid in the EMC, which is what we want.
 */
#ifndef SL_EMC_H
#define SL_EMC_H

#include <stdint.h>
#include <stdbool.h>

#include "sl_flow_key.h"
#include "sl_megaflow.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sl_emc;

/** Default number of slots. */
#define SL_EMC_DEFAULT_ENTRIES 8192u
/** Default inverse insert probability (1 insert per 100 misses). */
#define SL_EMC_DEFAULT_INV_PROB 100u

/** Creation parameters. */
struct sl_emc_config {
	uint32_t n_entries;       /**< slots, rounded up to a power of 2 (0: default) */
	uint32_t insert_inv_prob; /**< 0 off, 1 always, N: 1/N (see SL_EMC_DEFAULT_INV_PROB) */
	uint32_t hash_basis;      /**< hash seed */
	uint64_t seed;            /**< seed of the insert sampling PRNG (0: fixed default) */
};

/** EMC counters. */
struct sl_emc_stats {
	uint64_t lookups;       /**< keys looked up while enabled */
	uint64_t hits;          /**< keys found with a live megaflow */
	uint64_t stale;         /**< key found but its megaflow was removed since */
	uint64_t inserts;       /**< slots written */
	uint64_t insert_skips;  /**< inserts skipped by sampling */
};

/**
 * Create an EMC. @p cfg NULL: all defaults (8192 slots, 1/100 inserts).
 * Use `insert_inv_prob = SL_EMC_DEFAULT_INV_PROB` explicitly when passing a
 * config: 0 there means "disabled".
 * @param cfg creation parameters, or NULL
 * @return the EMC or NULL when out of memory.
 */
struct sl_emc *sl_emc_create(const struct sl_emc_config *cfg);

/**
 * Free an EMC.
 * @param emc the EMC, or NULL
 */
void sl_emc_destroy(struct sl_emc *emc);

/**
 * Change the inverse insert probability; 0 also clears the EMC.
 * @param emc      the EMC
 * @param inv_prob as sl_emc_config.insert_inv_prob
 */
void sl_emc_set_insert_inv_prob(struct sl_emc *emc, uint32_t inv_prob);

/**
 * Current inverse insert probability.
 * @param emc the EMC
 * @return N for 1/N (0 = disabled).
 */
uint32_t sl_emc_get_insert_inv_prob(const struct sl_emc *emc);

/**
 * Look up a burst. Keys whose bit is already set in @p *hit_mask are skipped.
 * For each hit, entries[i] is set and bit i of @p *hit_mask is set.
 * When the EMC is enabled, hashes[i] receives sl_emc_hash(keys[i]) for every
 * key looked up (pass it to sl_emc_maybe_insert after a megaflow lookup).
 * @param emc      the EMC
 * @param keys     the keys
 * @param n at most SL_MEGAFLOW_BATCH_MAX.
 * @param hashes   out: hashes[i] for each key i looked up
 * @param entries  out: entries[i] for each key i found
 * @param hit_mask in/out: bit i set = key i resolved
 * @return number of hits.
 */
unsigned int sl_emc_lookup_batch(struct sl_emc *emc, const struct sl_flow_key *const keys[],
				 unsigned int n, uint32_t hashes[], struct sl_megaflow *entries[],
				 uint64_t *hit_mask);

/**
 * Like sl_emc_lookup_batch, with hashes[] supplied by the caller instead of
 * computed over the 184-byte key: e.g. the NIC's RSS hash, or one the parser
 * computed in passing. Any deterministic function of the key works (keys are
 * still compared in full), but one EMC must always see the same function,
 * for lookups and inserts alike.
 * @param emc      the EMC
 * @param keys     the keys
 * @param n        at most SL_MEGAFLOW_BATCH_MAX
 * @param hashes   hashes[i]: the hash of keys[i]
 * @param entries  out: entries[i] for each key i found
 * @param hit_mask in/out: bit i set = key i resolved
 * @return number of hits.
 */
unsigned int sl_emc_lookup_batch_hashed(struct sl_emc *emc,
					const struct sl_flow_key *const keys[], unsigned int n,
					const uint32_t hashes[], struct sl_megaflow *entries[],
					uint64_t *hit_mask);

/**
 * Insert (key -> mf) with the configured probability.
 * @param emc  the EMC
 * @param key  the packet's exact key
 * @param mf   the megaflow it hit
 * @param hash sl_emc_hash(emc, key), as returned by sl_emc_lookup_batch.
 * @return true when inserted.
 */
bool sl_emc_maybe_insert(struct sl_emc *emc, const struct sl_flow_key *key, uint32_t hash,
			 struct sl_megaflow *mf);

/**
 * sl_emc_maybe_insert() with the probability multiplied by @p scale
 * (min(1, scale / insert_inv_prob); nothing while disabled): for a caller
 * that consults the EMC on one burst in @p scale only and wants it filled
 * as fast as if it consulted it on every burst.
 * @param emc   the EMC
 * @param key   the packet's exact key
 * @param hash  its hash, as for sl_emc_maybe_insert()
 * @param mf    the megaflow it hit
 * @param scale probability multiplier
 * @return true when inserted.
 */
bool sl_emc_maybe_insert_scaled(struct sl_emc *emc, const struct sl_flow_key *key, uint32_t hash,
				struct sl_megaflow *mf, uint32_t scale);

/**
 * Insert (key -> mf) unconditionally (even when disabled: caller's choice).
 * @param emc  the EMC
 * @param key  the packet's exact key
 * @param hash its hash, as for sl_emc_maybe_insert()
 * @param mf   the megaflow it hit
 */
void sl_emc_insert(struct sl_emc *emc, const struct sl_flow_key *key, uint32_t hash,
		   struct sl_megaflow *mf);

/** The hash sl_emc_lookup_batch computes for @p key (CRC32 of the words that
 *  usually differ between flows; the compare still covers the whole key).
 *  @param emc the EMC (its hash_basis)
 *  @param key the key
 *  @return the hash. */
uint32_t sl_emc_hash(const struct sl_emc *emc, const struct sl_flow_key *key);

/**
 * Drop every slot.
 * @param emc the EMC
 */
void sl_emc_clear(struct sl_emc *emc);

/**
 * Number of slots that point to a live megaflow (O(slots): for tests and dumps).
 * @param emc the EMC
 * @return the count.
 */
unsigned int sl_emc_count_live(const struct sl_emc *emc);

/**
 * Copy the counters.
 * @param emc the EMC
 * @param out out: the counters
 */
void sl_emc_get_stats(const struct sl_emc *emc, struct sl_emc_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* SL_EMC_H */
