/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tuple-space classifier (see sl_classifier.h).
 *
 * Per subtable (one mask):
 *  - index: open-addressing array of node pointers, node = one distinct masked
 *    key with its rules sorted by priority. Deleted slots become tombstones so
 *    concurrent probe chains stay intact; the array is rebuilt (and the old one
 *    deferred) when it fills up.
 *  - staged lookup: for each layer stage but the last, a counting filter of
 *    the hash of the masked key up to that stage. If the filter says "no rule
 *    has this prefix", the lookup ends there and only the mask words of the
 *    stages seen go into the wildcards: that keeps e.g. L4 bits out of the
 *    megaflow of a packet whose L3 already missed. A false positive only costs
 *    a probe (and a narrower megaflow), never a wrong answer.
 */
#include "sl_classifier.h"

#include <errno.h>
#include <stdlib.h>

#include "pl_alloc.h"
#include <string.h>

#include <rte_byteorder.h>
#include <rte_hash_crc.h>

#include "prefix_trie.h"
#include "sl_rcu.h"

#define LOAD(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

struct cls_node {
	uint32_t hash;
	struct sl_flow_key key;     /* masked */
	struct sl_cls_rule *rules;  /* RCU list, priority descending */
};

#define TOMB ((struct cls_node *)1)

/* A slot keeps the node's hash next to the pointer so that a probe only
 * dereferences nodes whose hash matches (nodes are cold in big tables). */
struct cls_slot {
	uint32_t hash;           /* written before node is published, never changed */
	struct cls_node *node;   /* NULL: free, TOMB: deleted */
};

struct cls_index {
	uint32_t mask;
	uint32_t n_live, n_used; /* n_used counts tombstones too */
	struct cls_slot slots[];
};

struct stage_filter {
	uint32_t mask;
	uint32_t cnt[];
};

struct sl_cls_subtable {
	struct sl_flow_key mask;
	uint8_t n_words;                      /* mask words that are not zero */
	uint8_t words[SL_FLOW_KEY_WORDS];     /* their indexes, ascending */
	uint8_t n_stages;
	uint8_t stage_end[SL_FLOW_N_STAGES];  /* end of each stage, as a position in words[] */
	uint8_t pfx_len[SL_CLS_N_TRIES];      /* /L of the mask on a tracked field, 0: not tracked */
	struct stage_filter *filter[SL_FLOW_N_STAGES];
	struct cls_index *index;
	uint32_t max_priority; /* read by readers (relaxed) */
	uint32_t n_at_max;
	uint32_t n_rules;
	uint64_t created_seq;
};

struct cls_subtable_vec {
	uint32_t n;
	struct sl_cls_subtable *st[];
};

static const uint16_t trie_ofs[SL_CLS_N_TRIES] = {
	offsetof(struct sl_flow_key, ipv4_src), offsetof(struct sl_flow_key, ipv4_dst),
	offsetof(struct sl_flow_key, ipv6_src), offsetof(struct sl_flow_key, ipv6_dst),
};
static const uint8_t trie_bits[SL_CLS_N_TRIES] = { 32, 32, 128, 128 };

/* The tracked field's bytes (network order: most significant bit first). */
static inline const uint8_t *
trie_field(const struct sl_flow_key *k, unsigned int f)
{
	return (const uint8_t *)k + trie_ofs[f];
}

/* Prefix length of a CIDR mask (ones then zeros) on field f, 0 if none or not CIDR. */
static unsigned int
cidr_len(const struct sl_flow_key *mask, unsigned int f)
{
	const uint8_t *m = trie_field(mask, f);
	unsigned int n = trie_bits[f] / 8, L = 0, i = 0;
	while (i < n && m[i] == 0xff)
		i++, L += 8;
	if (i < n) {
		uint8_t b = m[i];
		if ((uint8_t)(b | (b - 1)) != 0xff && b != 0)
			return 0; /* ones not contiguous */
		if (b) {
			if ((uint8_t)(~b) & (uint8_t)(~b + 1))
				return 0;
			L += (unsigned int)__builtin_popcount(b);
		}
		for (i++; i < n; i++)
			if (m[i])
				return 0;
	}
	return L;
}

static const uint8_t stage_ends[SL_FLOW_N_STAGES] = {
	SL_FLOW_STAGE_META_END, SL_FLOW_STAGE_L2_END, SL_FLOW_STAGE_L3_END, SL_FLOW_STAGE_L4_END,
};

/* ------------------------------------------------------------ lookup ---- */

/* CRC32 of (key & mask) over the subtable's non-zero mask words [from, to). */
static inline uint32_t
hash_words(const struct sl_cls_subtable *st, const struct sl_flow_key *k, unsigned int from,
	   unsigned int to, uint32_t h)
{
	for (unsigned int i = from; i < to; i++) {
		unsigned int w = st->words[i];
		h = rte_hash_crc_8byte(k->w[w] & st->mask.w[w], h);
	}
	return h;
}

static inline void
wc_add(const struct sl_cls_subtable *st, struct sl_flow_key *wc, unsigned int to)
{
	for (unsigned int i = 0; i < to; i++)
		wc->w[st->words[i]] |= st->mask.w[st->words[i]];
}

static inline bool
node_matches(const struct sl_cls_subtable *st, const struct cls_node *n, const struct sl_flow_key *k)
{
	uint64_t diff = 0;
	for (unsigned int i = 0; i < st->n_words; i++) {
		unsigned int w = st->words[i];
		diff |= (k->w[w] & st->mask.w[w]) ^ n->key.w[w];
	}
	return diff == 0;
}

/* Whether a lookup at @p version sees @p r (sl_cls_rule.add_version). */
static inline bool
visible_at(const struct sl_cls_rule *r, uint64_t version)
{
	return r->add_version <= version &&
	       version < __atomic_load_n(&r->remove_version, __ATOMIC_RELAXED);
}

/* The node's best rule visible at @p version (the list is sorted by priority). */
static inline const struct sl_cls_rule *
node_best(const struct cls_node *n, uint64_t version)
{
	const struct sl_cls_rule *r = LOAD(n->rules);

	while (r != NULL && !visible_at(r, version))
		r = LOAD(r->next_same);
	return r;
}

static const struct sl_cls_rule *
subtable_lookup(const struct sl_cls_subtable *st, const struct sl_flow_key *key,
		struct sl_flow_key *wc, uint64_t version)
{
	uint32_t h = 0;
	unsigned int begin = 0;
	for (unsigned int s = 0; s + 1 < st->n_stages; s++) {
		h = hash_words(st, key, begin, st->stage_end[s], h);
		begin = st->stage_end[s];
		const struct stage_filter *f = LOAD(st->filter[s]);
		if (f && __atomic_load_n(&f->cnt[h & f->mask], __ATOMIC_RELAXED) == 0) {
			if (wc)
				wc_add(st, wc, begin);
			return NULL;
		}
	}
	h = hash_words(st, key, begin, st->n_words, h);
	if (wc)
		wc_add(st, wc, st->n_words);
	const struct cls_index *idx = LOAD(st->index);
	for (uint32_t i = h & idx->mask;; i = (i + 1) & idx->mask) {
		const struct cls_node *n = LOAD(idx->slots[i].node);
		if (n == NULL)
			return NULL;
		if (n != TOMB && idx->slots[i].hash == h && node_matches(st, n, key))
			return node_best(n, version);
	}
}

/* Per-lookup prefix-tracking state, computed on first use. */
struct pfx_state {
	uint8_t have;
	uint8_t need[SL_CLS_N_TRIES];
	struct pfx_plens plens[SL_CLS_N_TRIES];
};

/* True if the tries prove that no rule of @p st can match; then wc gets the proof bits. */
static bool
pfx_skip(const struct sl_classifier *cls, const struct sl_cls_subtable *st,
	 const struct sl_flow_key *key, struct sl_flow_key *wc, struct pfx_state *ps)
{
	for (unsigned int f = 0; f < SL_CLS_N_TRIES; f++) {
		unsigned int L = st->pfx_len[f];
		if (L == 0)
			continue;
		if (!(ps->have & (1u << f))) {
			unsigned int need;
			pfx_trie_lookup(cls->tries[f], trie_field(key, f), trie_bits[f], &ps->plens[f], &need);
			ps->need[f] = (uint8_t)need;
			ps->have |= (uint8_t)(1u << f);
		}
		if (pfx_plens_has(&ps->plens[f], L))
			continue;
		if (wc) {
			/* Only the leading bits that proved "no rule of length L" matter. */
			unsigned int n = ps->need[f] < L ? ps->need[f] : L;
			uint8_t *w = (uint8_t *)wc + trie_ofs[f];
			for (unsigned int i = 0; i < n / 8; i++)
				w[i] = 0xff;
			if (n % 8)
				w[n / 8] |= (uint8_t)(0xff << (8 - n % 8));
		}
		return true;
	}
	return false;
}

const struct sl_cls_rule *
sl_cls_lookup(const struct sl_classifier *cls, const struct sl_flow_key *key,
	      struct sl_flow_key *wc)
{
	return sl_cls_lookup_at(cls, key, wc, SL_CLS_LATEST);
}

const struct sl_cls_rule *
sl_cls_lookup_at(const struct sl_classifier *cls, const struct sl_flow_key *key,
		 struct sl_flow_key *wc, uint64_t version)
{
	const struct cls_subtable_vec *vec = LOAD(cls->vec);
	const struct sl_cls_rule *best = NULL;
	struct pfx_state ps;
	ps.have = 0;
	if (vec == NULL)
		return NULL;
	for (uint32_t i = 0; i < vec->n; i++) {
		const struct sl_cls_subtable *st = vec->st[i];
		uint32_t maxp = __atomic_load_n(&st->max_priority, __ATOMIC_RELAXED);
		if (best && maxp <= best->priority)
			break; /* sorted: nothing later can beat the match we hold */
		if (cls->prefix_tracking && pfx_skip(cls, st, key, wc, &ps))
			continue;
		const struct sl_cls_rule *r = subtable_lookup(st, key, wc, version);
		if (r && (best == NULL || r->priority > best->priority))
			best = r;
	}
	return best;
}

/* ----------------------------------------------------- writer helpers ---- */

static uint32_t
pow2_at_least(uint32_t n)
{
	uint32_t p = 16;
	while (p < n)
		p <<= 1;
	return p;
}

static void
stage_hashes(const struct sl_cls_subtable *st, const struct sl_flow_key *k, uint32_t *hs,
	     uint32_t *full)
{
	uint32_t h = 0;
	unsigned int begin = 0;
	for (unsigned int s = 0; s + 1 < st->n_stages; s++) {
		h = hash_words(st, k, begin, st->stage_end[s], h);
		begin = st->stage_end[s];
		hs[s] = h;
	}
	*full = hash_words(st, k, begin, st->n_words, h);
}

/* Rebuild the index with room for n_live nodes; publish; defer the old one. */
static int
index_rebuild(struct sl_classifier *cls, struct sl_cls_subtable *st, uint32_t want)
{
	struct cls_index *old = st->index;
	uint32_t size = pow2_at_least(want * 3);
	struct cls_index *ni = pl_calloc(1, sizeof(*ni) + size * sizeof(ni->slots[0]));
	if (ni == NULL)
		return -ENOMEM;
	ni->mask = size - 1;
	if (old) {
		for (uint32_t i = 0; i <= old->mask; i++) {
			struct cls_node *n = old->slots[i].node;
			if (n == NULL || n == TOMB)
				continue;
			/* The slot's copy of the hash: rehashing touches no node. */
			uint32_t j = old->slots[i].hash & ni->mask;
			while (ni->slots[j].node)
				j = (j + 1) & ni->mask;
			ni->slots[j].hash = old->slots[i].hash;
			ni->slots[j].node = n;
			ni->n_live++;
		}
		ni->n_used = ni->n_live;
	}
	STORE(st->index, ni);
	if (old)
		sl_rcu_defer(cls->rcu, NULL, old);
	return 0;
}

/* Rebuild the stage filters sized for @p want nodes. */
static int
filters_rebuild(struct sl_classifier *cls, struct sl_cls_subtable *st, uint32_t want)
{
	uint32_t size = pow2_at_least(want * 4);
	for (unsigned int s = 0; s + 1 < st->n_stages; s++) {
		struct stage_filter *f = pl_calloc(1, sizeof(*f) + size * sizeof(f->cnt[0]));
		if (f == NULL)
			return -ENOMEM;
		f->mask = size - 1;
		const struct cls_index *idx = st->index;
		for (uint32_t i = 0; idx && i <= idx->mask; i++) {
			const struct cls_node *n = idx->slots[i].node;
			if (n == NULL || n == TOMB)
				continue;
			uint32_t hs[SL_FLOW_N_STAGES], full;
			stage_hashes(st, &n->key, hs, &full);
			f->cnt[hs[s] & f->mask]++;
		}
		struct stage_filter *old = st->filter[s];
		STORE(st->filter[s], f);
		if (old)
			sl_rcu_defer(cls->rcu, NULL, old);
	}
	return 0;
}

static int
cmp_subtables(const void *a, const void *b)
{
	const struct sl_cls_subtable *x = *(struct sl_cls_subtable *const *)a;
	const struct sl_cls_subtable *y = *(struct sl_cls_subtable *const *)b;
	if (x->max_priority != y->max_priority)
		return x->max_priority > y->max_priority ? -1 : 1;
	return x->created_seq < y->created_seq ? -1 : (x->created_seq > y->created_seq);
}

/* Publish a new sorted subtable vector: old minus @p drop plus @p add. */
static int
vec_republish(struct sl_classifier *cls, struct sl_cls_subtable *add, struct sl_cls_subtable *drop)
{
	struct cls_subtable_vec *old = cls->vec;
	uint32_t n_old = old ? old->n : 0;
	struct cls_subtable_vec *nv = pl_malloc(sizeof(*nv) + (n_old + 1) * sizeof(nv->st[0]));
	if (nv == NULL)
		return -ENOMEM;
	nv->n = 0;
	for (uint32_t i = 0; i < n_old; i++)
		if (old->st[i] != drop)
			nv->st[nv->n++] = old->st[i];
	if (add)
		nv->st[nv->n++] = add;
	qsort(nv->st, nv->n, sizeof(nv->st[0]), cmp_subtables);
	STORE(cls->vec, nv);
	if (old)
		sl_rcu_defer(cls->rcu, NULL, old);
	return 0;
}

static bool
vec_lists(const struct sl_classifier *cls, const struct sl_cls_subtable *st)
{
	for (uint32_t i = 0; cls->vec && i < cls->vec->n; i++)
		if (cls->vec->st[i] == st)
			return true;
	return false;
}

static void
subtable_free(void *p)
{
	struct sl_cls_subtable *st = p;
	for (unsigned int s = 0; s < SL_FLOW_N_STAGES; s++)
		free(st->filter[s]);
	free(st->index);
	free(st);
}

static struct sl_cls_subtable *
subtable_create(struct sl_classifier *cls, const struct sl_flow_key *mask)
{
	struct sl_cls_subtable *st = pl_calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	st->mask = *mask;
	st->created_seq = cls->next_seq;
	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
		if (mask->w[w])
			st->words[st->n_words++] = (uint8_t)w;
	/* A stage is the run of non-zero words below a layer boundary; empty layers are skipped. */
	for (unsigned int s = 0, pos = 0; s < SL_FLOW_N_STAGES; s++) {
		unsigned int start = pos;
		while (pos < st->n_words && st->words[pos] < stage_ends[s])
			pos++;
		if (pos > start)
			st->stage_end[st->n_stages++] = (uint8_t)pos;
	}
	if (!cls->staged && st->n_stages > 1) {
		st->n_stages = 1;
		st->stage_end[0] = st->n_words;
	}
	/* Only CIDR masks (ones then zeros) can be decided by a trie. */
	for (unsigned int f = 0; cls->prefix_tracking && f < SL_CLS_N_TRIES; f++)
		st->pfx_len[f] = (uint8_t)cidr_len(mask, f);
	if (index_rebuild(cls, st, 4) != 0 || filters_rebuild(cls, st, 4) != 0) {
		subtable_free(st);
		return NULL;
	}
	return st;
}

static struct sl_cls_subtable *
find_subtable(const struct sl_classifier *cls, const struct sl_flow_key *mask)
{
	const struct cls_subtable_vec *vec = cls->vec;
	for (uint32_t i = 0; vec && i < vec->n; i++)
		if (memcmp(&vec->st[i]->mask, mask, sizeof(*mask)) == 0)
			return vec->st[i];
	return NULL;
}

static struct cls_node **
find_slot(struct sl_cls_subtable *st, const struct sl_flow_key *masked, uint32_t h)
{
	struct cls_index *idx = st->index;
	for (uint32_t i = h & idx->mask;; i = (i + 1) & idx->mask) {
		struct cls_node *n = idx->slots[i].node;
		if (n == NULL)
			return NULL;
		/* The slot's hash first: a probe touches only nodes that may match
		 * (nodes are cold in big tables, and a flow-mod probes twice). */
		if (n != TOMB && idx->slots[i].hash == h &&
		    memcmp(&n->key, masked, sizeof(*masked)) == 0)
			return &idx->slots[i].node;
	}
}

/* Add a node for a new distinct masked key; may grow the index and filters. */
static struct cls_node *
node_add(struct sl_classifier *cls, struct sl_cls_subtable *st, const struct sl_flow_key *masked,
	 uint32_t h, const uint32_t *hs)
{
	struct cls_index *idx = st->index;
	if ((idx->n_used + 1) * 2 > idx->mask + 1) {
		if (index_rebuild(cls, st, idx->n_live + 1) != 0)
			return NULL;
		idx = st->index;
	}
	struct cls_node *n = pl_calloc(1, sizeof(*n));
	if (n == NULL)
		return NULL;
	n->hash = h;
	n->key = *masked;
	uint32_t i = h & idx->mask;
	while (idx->slots[i].node != NULL)
		i = (i + 1) & idx->mask; /* tombstones are not reused: rebuild reclaims them */
	idx->slots[i].hash = h; /* before the node pointer is published */
	idx->n_live++;
	idx->n_used++;
	/* Filters first: a reader must never find the node but miss its prefix. */
	const struct stage_filter *f0 = st->filter[0];
	if (st->n_stages > 1 && f0 && idx->n_live * 2 > f0->mask + 1) {
		STORE(idx->slots[i].node, n); /* rebuild counts it already */
		if (filters_rebuild(cls, st, idx->n_live) == 0)
			return n;
		/* No memory for bigger filters: count in the current ones. An extra
		 * count only costs a false positive (a probe), never a wrong miss. */
		for (unsigned int s = 0; s + 1 < st->n_stages; s++) {
			struct stage_filter *f = st->filter[s];
			__atomic_fetch_add(&f->cnt[hs[s] & f->mask], 1, __ATOMIC_RELEASE);
		}
		return n;
	}
	for (unsigned int s = 0; s + 1 < st->n_stages; s++) {
		struct stage_filter *f = st->filter[s];
		__atomic_fetch_add(&f->cnt[hs[s] & f->mask], 1, __ATOMIC_RELEASE);
	}
	STORE(idx->slots[i].node, n);
	return n;
}

int
sl_cls_insert(struct sl_classifier *cls, struct sl_cls_rule *rule)
{
	return sl_cls_insert_at(cls, rule, 0);
}

int
sl_cls_insert_at(struct sl_classifier *cls, struct sl_cls_rule *rule, uint64_t version)
{
	struct sl_flow_key masked;
	sl_flow_key_and(&masked, &rule->match.key, &rule->match.mask);
	rule->match.key = masked;
	struct sl_cls_subtable *st = find_subtable(cls, &rule->match.mask);
	bool new_st = false;
	if (st == NULL) {
		st = subtable_create(cls, &rule->match.mask);
		if (st == NULL)
			return -ENOMEM;
		new_st = true;
	}
	uint32_t hs[SL_FLOW_N_STAGES], h;
	stage_hashes(st, &masked, hs, &h);
	struct cls_node **slot = find_slot(st, &masked, h);
	struct cls_node *n = slot ? *slot : NULL;
	for (unsigned int f = 0; f < SL_CLS_N_TRIES; f++)
		if (st->pfx_len[f] > 0 &&
		    pfx_trie_insert(cls->tries[f], trie_field(&masked, f), st->pfx_len[f]) != 0) {
			for (unsigned int g = 0; g < f; g++)
				if (st->pfx_len[g] > 0)
					pfx_trie_remove(cls->tries[g], trie_field(&masked, g),
							st->pfx_len[g]);
			if (new_st)
				subtable_free(st);
			return -ENOMEM;
		}
	rule->seq = cls->next_seq++;
	rule->subtable = st;
	/* before the rule is published (release stores below) */
	rule->add_version = version;
	rule->remove_version = SL_CLS_NEVER;
	if (n == NULL) {
		rule->next_same = NULL;
		n = node_add(cls, st, &masked, h, hs);
		if (n == NULL) {
			for (unsigned int f = 0; f < SL_CLS_N_TRIES; f++)
				if (st->pfx_len[f] > 0)
					pfx_trie_remove(cls->tries[f], trie_field(&masked, f),
							st->pfx_len[f]);
			if (new_st)
				subtable_free(st);
			return -ENOMEM;
		}
		STORE(n->rules, rule);
	} else {
		/* Equal priorities keep insertion order: the older rule stays first. */
		struct sl_cls_rule **pp = &n->rules;
		while (*pp && (*pp)->priority >= rule->priority)
			pp = &(*pp)->next_same;
		rule->next_same = *pp;
		STORE(*pp, rule);
	}
	st->n_rules++;
	bool resort = new_st;
	if (st->n_rules == 1 || rule->priority > st->max_priority) {
		__atomic_store_n(&st->max_priority, rule->priority, __ATOMIC_RELAXED);
		st->n_at_max = 1;
		resort = true;
	} else if (rule->priority == st->max_priority) {
		st->n_at_max++;
	}
	if (resort && !new_st)
		cls->order_changes++; /* an existing subtable moves up: ties may flip */
	rule->all_prev = NULL;
	rule->all_next = cls->all_head;
	if (cls->all_head)
		cls->all_head->all_prev = rule;
	cls->all_head = rule;
	cls->n_rules++;
	if (resort && vec_republish(cls, new_st ? st : NULL, NULL) != 0) {
		/* Readers might never see the subtable: undo. Readers may have seen the
		 * rule already, so the caller must free it after a grace period. */
		sl_cls_remove(cls, rule);
		return -ENOMEM;
	}
	return 0;
}

/* Recompute the best priority of a subtable after its best rule left. */
static void
recompute_max(struct sl_cls_subtable *st)
{
	uint32_t maxp = 0, n = 0;
	const struct cls_index *idx = st->index;
	for (uint32_t i = 0; i <= idx->mask; i++) {
		const struct cls_node *nd = idx->slots[i].node;
		if (nd == NULL || nd == TOMB)
			continue;
		for (const struct sl_cls_rule *r = nd->rules; r; r = r->next_same) {
			if (n == 0 || r->priority > maxp) {
				maxp = r->priority;
				n = 1;
			} else if (r->priority == maxp) {
				n++;
			}
		}
	}
	__atomic_store_n(&st->max_priority, maxp, __ATOMIC_RELAXED);
	st->n_at_max = n;
}

void
sl_cls_remove(struct sl_classifier *cls, struct sl_cls_rule *rule)
{
	struct sl_cls_subtable *st = rule->subtable;
	uint32_t hs[SL_FLOW_N_STAGES], h;
	stage_hashes(st, &rule->match.key, hs, &h);
	struct cls_node **slot = find_slot(st, &rule->match.key, h);
	if (slot == NULL)
		return;
	struct cls_node *n = *slot;
	struct sl_cls_rule **pp = &n->rules;
	while (*pp && *pp != rule)
		pp = &(*pp)->next_same;
	if (*pp == NULL)
		return;
	/* rule->next_same stays valid for readers standing on rule. */
	STORE(*pp, rule->next_same);
	for (unsigned int f = 0; f < SL_CLS_N_TRIES; f++)
		if (st->pfx_len[f] > 0)
			pfx_trie_remove(cls->tries[f], trie_field(&rule->match.key, f),
					st->pfx_len[f]);
	if (n->rules == NULL) {
		STORE(*slot, TOMB);
		st->index->n_live--;
		for (unsigned int s = 0; s + 1 < st->n_stages; s++) {
			struct stage_filter *f = st->filter[s];
			__atomic_fetch_sub(&f->cnt[hs[s] & f->mask], 1, __ATOMIC_RELEASE);
		}
		sl_rcu_defer(cls->rcu, NULL, n);
	}
	st->n_rules--;
	if (st->n_rules == 0) {
		if (vec_republish(cls, NULL, st) == 0 || !vec_lists(cls, st)) {
			sl_rcu_defer(cls->rcu, subtable_free, st);
		} else {
			/* Out of memory: the empty subtable stays listed (lookups find
			 * nothing in it) and a later rule with this mask reuses it. */
			__atomic_store_n(&st->max_priority, 0, __ATOMIC_RELAXED);
			st->n_at_max = 0;
			cls->order_changes++;
		}
	} else if (rule->priority == st->max_priority && --st->n_at_max == 0) {
		recompute_max(st);
		cls->order_changes++; /* the subtable moves down: ties may flip */
		vec_republish(cls, NULL, NULL);
	}
	if (rule->all_prev)
		rule->all_prev->all_next = rule->all_next;
	else
		cls->all_head = rule->all_next;
	if (rule->all_next)
		rule->all_next->all_prev = rule->all_prev;
	rule->all_prev = rule->all_next = NULL;
	rule->subtable = NULL;
	cls->n_rules--;
}

void
sl_cls_init(struct sl_classifier *cls, struct sl_rcu *rcu)
{
	memset(cls, 0, sizeof(*cls));
	cls->rcu = rcu;
	cls->staged = true;
	for (unsigned int f = 0; f < SL_CLS_N_TRIES; f++) {
		cls->tries[f] = pl_calloc(1, sizeof(struct pfx_trie));
		if (cls->tries[f])
			cls->tries[f]->rcu = rcu;
	}
	/* Tracking needs every trie; without memory it is simply off. */
	cls->prefix_tracking = true;
	for (unsigned int f = 0; f < SL_CLS_N_TRIES; f++)
		cls->prefix_tracking &= cls->tries[f] != NULL;
}

void
sl_cls_set_prefix_tracking(struct sl_classifier *cls, bool on)
{
	if (cls->n_rules != 0)
		return;
	cls->prefix_tracking = on;
	for (unsigned int f = 0; f < SL_CLS_N_TRIES; f++)
		cls->prefix_tracking &= cls->tries[f] != NULL;
}

void
sl_cls_set_staged(struct sl_classifier *cls, bool staged)
{
	if (cls->n_rules == 0)
		cls->staged = staged;
}

void
sl_cls_destroy(struct sl_classifier *cls)
{
	struct cls_subtable_vec *vec = cls->vec;
	for (uint32_t i = 0; vec && i < vec->n; i++) {
		struct sl_cls_subtable *st = vec->st[i];
		for (uint32_t j = 0; j <= st->index->mask; j++)
			if (st->index->slots[j].node != NULL && st->index->slots[j].node != TOMB)
				free(st->index->slots[j].node);
		subtable_free(st);
	}
	free(vec);
	cls->vec = NULL;
	for (unsigned int f = 0; f < SL_CLS_N_TRIES; f++) {
		if (cls->tries[f])
			pfx_trie_destroy(cls->tries[f]);
		free(cls->tries[f]);
		cls->tries[f] = NULL;
	}
	cls->all_head = NULL;
	cls->n_rules = 0;
}

unsigned int
sl_cls_n_subtables(const struct sl_classifier *cls)
{
	return cls->vec ? cls->vec->n : 0;
}

struct sl_cls_rule *
sl_cls_find_exact(const struct sl_classifier *cls, const struct sl_match *m, uint32_t priority)
{
	struct sl_cls_subtable *st = find_subtable(cls, &m->mask);
	if (st == NULL)
		return NULL;
	struct sl_flow_key masked;
	sl_flow_key_and(&masked, &m->key, &m->mask);
	uint32_t hs[SL_FLOW_N_STAGES], h;
	stage_hashes(st, &masked, hs, &h);
	struct cls_node **slot = find_slot(st, &masked, h);
	if (slot == NULL)
		return NULL;
	for (struct sl_cls_rule *r = (*slot)->rules; r; r = r->next_same)
		if (r->priority == priority)
			return r;
	return NULL;
}

bool
sl_cls_rules_overlap(const struct sl_match *a, const struct sl_match *b)
{
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		if ((a->key.w[i] ^ b->key.w[i]) & a->mask.w[i] & b->mask.w[i])
			return false;
	return true;
}

bool
sl_match_is_subset(const struct sl_match *narrow, const struct sl_match *wide)
{
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++) {
		if (wide->mask.w[i] & ~narrow->mask.w[i])
			return false;
		if ((narrow->key.w[i] ^ wide->key.w[i]) & wide->mask.w[i])
			return false;
	}
	return true;
}
