/* SPDX-License-Identifier: BSD-3-Clause */
/* Exact-match cache: two-way, sampled insertion, generation-checked entries. */
#include "sl_emc.h"
#include "mf_subtable.h" /* mf_crc64, mf_alloc */

#include <stdlib.h>
#include <string.h>

/* hash + generation + megaflow pointer first, so that a mismatching slot
 * is usually rejected on the first line of the slot */
struct emc_slot {
	uint32_t hash;
	uint32_t gen;
	struct sl_megaflow *mf; /* NULL: empty */
	struct sl_flow_key key;
};

struct sl_emc {
	struct emc_slot *slots;
	uint32_t mask; /* n_slots - 1 */
	uint32_t insert_inv_prob;
	uint32_t hash_basis;
	uint64_t rng;
	struct sl_emc_stats stats;
};

static uint32_t
emc_round_pow2(uint32_t n)
{
	uint32_t p = 2;
	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

struct sl_emc *
sl_emc_create(const struct sl_emc_config *cfg)
{
	struct sl_emc_config def = {
		.n_entries = SL_EMC_DEFAULT_ENTRIES,
		.insert_inv_prob = SL_EMC_DEFAULT_INV_PROB,
	};
	if (cfg == NULL)
		cfg = &def;
	struct sl_emc *emc = calloc(1, sizeof(*emc));
	if (emc == NULL)
		return NULL;
	uint32_t n = emc_round_pow2(cfg->n_entries ? cfg->n_entries : SL_EMC_DEFAULT_ENTRIES);
	emc->slots = mf_alloc((size_t)n * sizeof(struct emc_slot));
	if (emc->slots == NULL) {
		free(emc);
		return NULL;
	}
	emc->mask = n - 1;
	emc->insert_inv_prob = cfg->insert_inv_prob;
	emc->hash_basis = cfg->hash_basis;
	emc->rng = cfg->seed ? cfg->seed : UINT64_C(0x9e3779b97f4a7c15);
	return emc;
}

void
sl_emc_destroy(struct sl_emc *emc)
{
	if (emc == NULL)
		return;
	free(emc->slots);
	free(emc);
}

void
sl_emc_clear(struct sl_emc *emc)
{
	memset(emc->slots, 0, ((size_t)emc->mask + 1) * sizeof(struct emc_slot));
}

void
sl_emc_set_insert_inv_prob(struct sl_emc *emc, uint32_t inv_prob)
{
	/* disabling clears, so that re-enabling starts empty instead of from
	 * slots that went unrefreshed meanwhile (still generation-checked, but
	 * mostly dead weight) */
	if (inv_prob == 0 && emc->insert_inv_prob != 0)
		sl_emc_clear(emc);
	emc->insert_inv_prob = inv_prob;
}

uint32_t
sl_emc_get_insert_inv_prob(const struct sl_emc *emc)
{
	return emc->insert_inv_prob;
}

/* The hash only picks the slots; the compare covers the whole key, so a
 * collision costs a compare and a shared pair of slots, never a wrong hit.
 * Hashing all 29 words (30 CRC steps) was the biggest part of an EMC hit.
 * Like OVS (which uses the 5-tuple RSS hash), hash the words that tell
 * flows apart in practice -- in_port, Ethernet addresses, IPv4/IPv6
 * addresses, protocol, L4 ports -- in four independent CRC chains of three
 * steps, and fold the rarely-distinguishing words (tunnel id and outer
 * addresses, MPLS, VLAN details, ARP, recirc_id, TCP flags/ICMPv4) in with
 * XORs, which cost no CRC step. Left out: metadata and actset_output (0 in
 * parsed keys), ICMPv6/ND: keys that differ only there share slots.
 * 13 CRC steps instead of 30. */
#define KW(field) (offsetof(struct sl_flow_key, field) / 8)
static inline uint32_t
emc_hash_key(const struct sl_flow_key *k, uint32_t basis)
{
	const uint64_t *w = k->w;
	uint32_t h0 = basis, h1 = basis ^ 0x9e3779b9u, h2 = basis ^ 0x7f4a7c15u, h3 = ~basis;
	uint64_t tun = w[KW(tunnel_id)] ^ w[KW(tun_ipv4_src)] ^ w[KW(tun_ipv6_src)] ^
		       w[KW(tun_ipv6_src) + 1] ^ w[KW(tun_ipv6_dst)] ^ w[KW(tun_ipv6_dst) + 1];
	h0 = mf_crc64(w[KW(in_port)], h0);  /* in_port, in_phy_port */
	h1 = mf_crc64(w[KW(eth_dst)], h1);  /* eth_dst, eth_type */
	h2 = mf_crc64(w[KW(eth_src)], h2);  /* eth_src, vlan_vid */
	h3 = mf_crc64(tun ^ w[KW(mpls_label)] ^ w[KW(mpls_tc)] ^ w[KW(ipv6_flabel)], h3);
	h0 = mf_crc64(w[KW(ipv4_src)], h0); /* IPv4 addresses */
	h1 = mf_crc64(w[KW(tcp_src)], h1);  /* L4 ports */
	h2 = mf_crc64(w[KW(ip_proto)], h2); /* ip_proto, tos, ttl, frag, exthdr */
	h3 = mf_crc64(w[KW(arp_spa)] ^ w[KW(arp_sha)] ^ w[KW(arp_sha) + 1] ^ w[KW(sctp_src)],
		      h3); /* ARP, recirc_id, tcp_flags, ICMPv4 */
	h0 = mf_crc64(w[KW(ipv6_src)], h0); /* IPv6 addresses */
	h1 = mf_crc64(w[KW(ipv6_src) + 1], h1);
	h2 = mf_crc64(w[KW(ipv6_dst)], h2);
	h3 = mf_crc64(w[KW(ipv6_dst) + 1], h3);
	return mf_crc64(((uint64_t)h0 << 32) | h1, h2 ^ (h3 << 7 | h3 >> 25));
}

uint32_t
sl_emc_hash(const struct sl_emc *emc, const struct sl_flow_key *key)
{
	return emc_hash_key(key, emc->hash_basis);
}

static inline uint32_t
emc_way1(const struct sl_emc *emc, uint32_t hash)
{
	return hash & emc->mask;
}

/* second way from the other half of the hash, never equal to the first */
static inline uint32_t
emc_way2(const struct sl_emc *emc, uint32_t hash)
{
	uint32_t w = ((hash >> 16) | (hash << 16)) & emc->mask;
	return w == emc_way1(emc, hash) ? w ^ 1 : w;
}

static inline bool
emc_key_equal(const struct sl_flow_key *a, const struct sl_flow_key *b)
{
	uint64_t diff = 0;
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		diff |= a->w[i] ^ b->w[i];
	return diff == 0;
}

static inline void
emc_prefetch_slot(const struct emc_slot *s)
{
	const char *p = (const char *)s;
	for (size_t off = 0; off < sizeof(*s); off += 64)
		rte_prefetch0(p + off);
	rte_prefetch0(p + sizeof(*s) - 1);
}

static inline const struct emc_slot *
emc_find(const struct sl_emc *emc, const struct sl_flow_key *key, uint32_t hash)
{
	const struct emc_slot *s = &emc->slots[emc_way1(emc, hash)];
	if (s->hash == hash && s->mf != NULL && emc_key_equal(&s->key, key))
		return s;
	s = &emc->slots[emc_way2(emc, hash)];
	if (s->hash == hash && s->mf != NULL && emc_key_equal(&s->key, key))
		return s;
	return NULL;
}

static inline unsigned int
emc_lookup_batch(struct sl_emc *emc, const struct sl_flow_key *const keys[], unsigned int n,
		 uint32_t hashes[], bool prehashed, struct sl_megaflow *entries[],
		 uint64_t *hit_mask)
{
	if (emc->insert_inv_prob == 0)
		return 0;
	if (n > SL_MEGAFLOW_BATCH_MAX)
		n = SL_MEGAFLOW_BATCH_MAX;
	uint64_t all = n == 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1;
	uint64_t todo = all & ~*hit_mask;
	const struct emc_slot *found[SL_MEGAFLOW_BATCH_MAX];
	uint64_t m, cand = 0, hits = 0;
	unsigned int n_stale = 0;

	/* pass 1: hash and prefetch both candidate slots */
	for (m = todo; m != 0; m &= m - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(m);
		uint32_t h;
		if (prehashed) {
			h = hashes[i];
		} else {
			h = emc_hash_key(keys[i], emc->hash_basis);
			hashes[i] = h;
		}
		emc_prefetch_slot(&emc->slots[emc_way1(emc, h)]);
		rte_prefetch0(&emc->slots[emc_way2(emc, h)]);
	}
	/* pass 2: compare keys; prefetch the megaflow whose generation we check */
	for (m = todo; m != 0; m &= m - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(m);
		const struct emc_slot *s = emc_find(emc, keys[i], hashes[i]);
		if (s != NULL) {
			found[i] = s;
			cand |= UINT64_C(1) << i;
			rte_prefetch0(s->mf);
		}
	}
	/* pass 3: a slot is valid only while its megaflow has the same generation */
	for (m = cand; m != 0; m &= m - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(m);
		const struct emc_slot *s = found[i];
		if (s->mf->gen == s->gen) {
			entries[i] = s->mf;
			hits |= UINT64_C(1) << i;
		} else {
			n_stale++;
		}
	}
	*hit_mask |= hits;
	unsigned int n_hits = (unsigned int)__builtin_popcountll(hits);
	emc->stats.lookups += (uint64_t)__builtin_popcountll(todo);
	emc->stats.hits += n_hits;
	emc->stats.stale += n_stale;
	return n_hits;
}

unsigned int
sl_emc_lookup_batch(struct sl_emc *emc, const struct sl_flow_key *const keys[], unsigned int n,
		    uint32_t hashes[], struct sl_megaflow *entries[], uint64_t *hit_mask)
{
	return emc_lookup_batch(emc, keys, n, hashes, false, entries, hit_mask);
}

unsigned int
sl_emc_lookup_batch_hashed(struct sl_emc *emc, const struct sl_flow_key *const keys[],
			   unsigned int n, const uint32_t hashes[], struct sl_megaflow *entries[],
			   uint64_t *hit_mask)
{
	/* the shared code only reads hashes[] when prehashed */
	return emc_lookup_batch(emc, keys, n, (uint32_t *)(uintptr_t)hashes, true, entries,
				hit_mask);
}

static inline bool
emc_slot_free(const struct emc_slot *s)
{
	return s->mf == NULL || s->mf->gen != s->gen;
}

static inline uint64_t
emc_rand(struct sl_emc *emc)
{
	/* xorshift64*: cheap, and quality is irrelevant for sampling */
	uint64_t x = emc->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	emc->rng = x;
	return x * UINT64_C(0x2545f4914f6cdd1d);
}

void
sl_emc_insert(struct sl_emc *emc, const struct sl_flow_key *key, uint32_t hash,
	      struct sl_megaflow *mf)
{
	struct emc_slot *a = &emc->slots[emc_way1(emc, hash)];
	struct emc_slot *b = &emc->slots[emc_way2(emc, hash)];
	struct emc_slot *s;
	if (a->mf != NULL && a->hash == hash && emc_key_equal(&a->key, key))
		s = a; /* same key: refresh in place, never keep two copies */
	else if (b->mf != NULL && b->hash == hash && emc_key_equal(&b->key, key))
		s = b;
	else if (emc_slot_free(a))
		s = a;
	else if (emc_slot_free(b))
		s = b;
	else
		s = (emc_rand(emc) >> 63) ? a : b;
	s->hash = hash;
	s->gen = mf->gen;
	s->mf = mf;
	s->key = *key;
	emc->stats.inserts++;
}

/* The insertion draw: true with probability min(1, scale/insert_inv_prob).
 * One draw per call: (32-bit random * inv) >> 32 is uniform in [0, inv). */
static bool
emc_insert_drawn(struct sl_emc *emc, uint32_t scale)
{
	uint32_t inv = emc->insert_inv_prob;

	if (inv == 0)
		return false;
	if (inv > scale && ((emc_rand(emc) >> 32) * inv) >> 32 >= scale) {
		emc->stats.insert_skips++;
		return false;
	}
	return true;
}

bool
sl_emc_maybe_insert(struct sl_emc *emc, const struct sl_flow_key *key, uint32_t hash,
		    struct sl_megaflow *mf)
{
	return sl_emc_maybe_insert_scaled(emc, key, hash, mf, 1);
}

bool
sl_emc_maybe_insert_scaled(struct sl_emc *emc, const struct sl_flow_key *key, uint32_t hash,
			   struct sl_megaflow *mf, uint32_t scale)
{
	if (!emc_insert_drawn(emc, scale))
		return false;
	sl_emc_insert(emc, key, hash, mf);
	return true;
}

unsigned int
sl_emc_count_live(const struct sl_emc *emc)
{
	unsigned int n = 0;
	for (uint32_t i = 0; i <= emc->mask; i++)
		n += !emc_slot_free(&emc->slots[i]);
	return n;
}

void
sl_emc_get_stats(const struct sl_emc *emc, struct sl_emc_stats *out)
{
	*out = emc->stats;
}
