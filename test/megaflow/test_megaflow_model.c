/* SPDX-License-Identifier: BSD-3-Clause */
/* Random-operation test of the megaflow cache against a naive model: a plain
 * array of (key & mask, mask) entries searched linearly. Thousands of
 * inserts, deletes, batch lookups, idle evictions, revalidations and
 * re-rankings; after each lookup the cache must agree with the linear scan,
 * and periodically the whole content (iteration, counters) is compared. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "test_rng.h"

#include "sl_megaflow.h"

#define MODEL_CAP 400
#define N_MASKS 16
#define N_VALUES 10 /* values per key word: small, so masked keys collide often */

struct model_entry {
	struct sl_flow_key key; /* masked */
	struct sl_flow_key mask;
	struct sl_megaflow *mf;
	uint64_t version;
	uint64_t last_used;
	int id;
};

struct model {
	struct model_entry e[MODEL_CAP];
	unsigned int n;
	int live_actions;
	int next_id;
	uint64_t released_ids_sum; /* sum of ids released, to check exactly-once */
	uint64_t expected_released_sum;
};

static uint64_t mrng = 0x0badc0ffee123457ull;

static uint64_t
mrnd(void)
{
	return test_rng_next_star(&mrng);
}

static uint32_t
mrnd_below(uint32_t n)
{
	return (uint32_t)(((mrnd() >> 32) * n) >> 32);
}

static uint64_t word_values[SL_FLOW_KEY_WORDS][N_VALUES];
static struct sl_flow_key masks[N_MASKS];

static void
model_release(struct sl_megaflow *mf, void *actions, enum sl_megaflow_release_reason why,
	      void *ctx)
{
	(void)mf;
	(void)why;
	struct model *m = ctx;
	int *id = actions;
	m->released_ids_sum += (uint64_t)*id;
	m->live_actions--;
	free(actions);
}

static void
make_universe(void)
{
	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
		for (unsigned int v = 0; v < N_VALUES; v++)
			word_values[w][v] = mrnd();
	/* masks over 1..3 random words, and (second half) over 4..7: subtables
	 * of up to MF_MINI_WORDS (4) words compare packed mini keys, wider ones
	 * the entry's key; each word fully or partly masked */
	for (unsigned int i = 0; i < N_MASKS; i++) {
		memset(&masks[i], 0, sizeof(masks[i]));
		unsigned int n_words = i < N_MASKS / 2 ? 1 + mrnd_below(3) : 4 + mrnd_below(4);
		for (unsigned int j = 0; j < n_words; j++) {
			unsigned int w = mrnd_below(SL_FLOW_KEY_WORDS);
			masks[i].w[w] = (mrnd_below(2) ? ~0ull : mrnd()) | 1;
		}
	}
}

static void
random_key(struct sl_flow_key *k)
{
	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
		k->w[w] = word_values[w][mrnd_below(N_VALUES)];
}

static bool
model_matches(const struct model_entry *e, const struct sl_flow_key *k)
{
	return sl_flow_key_equal_masked(&e->key, k, &e->mask);
}

static int
model_find_exact(const struct model *m, const struct sl_flow_key *masked,
		 const struct sl_flow_key *mask)
{
	for (unsigned int i = 0; i < m->n; i++)
		if (memcmp(&m->e[i].mask, mask, sizeof(*mask)) == 0 &&
		    memcmp(&m->e[i].key, masked, sizeof(*masked)) == 0)
			return (int)i;
	return -1;
}

static int
model_find_mf(const struct model *m, const struct sl_megaflow *mf)
{
	for (unsigned int i = 0; i < m->n; i++)
		if (m->e[i].mf == mf)
			return (int)i;
	return -1;
}

static void
model_drop(struct model *m, unsigned int i)
{
	m->expected_released_sum += (uint64_t)m->e[i].id;
	m->e[i] = m->e[--m->n];
}

static void
op_insert(struct model *m, struct sl_megaflow_cache *c, uint64_t version, uint64_t now)
{
	struct sl_flow_key k, masked;
	random_key(&k);
	const struct sl_flow_key *mask = &masks[mrnd_below(N_MASKS)];
	sl_flow_key_and(&masked, &k, mask);
	int *actions = malloc(sizeof(int));
	*actions = ++m->next_id;
	struct sl_megaflow *mf = NULL;
	int rc = sl_megaflow_insert(c, &k, mask, actions, version, now, &mf);
	int existing = model_find_exact(m, &masked, mask);
	if (existing >= 0) {
		CU_ASSERT_EQUAL(rc, -EEXIST);
		CU_ASSERT_PTR_EQUAL(mf, m->e[existing].mf);
	} else if (m->n >= MODEL_CAP) {
		CU_ASSERT_EQUAL(rc, -ENOSPC);
	} else {
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		struct model_entry *e = &m->e[m->n++];
		e->key = masked;
		e->mask = *mask;
		e->mf = mf;
		e->version = version;
		e->last_used = now;
		e->id = *actions;
		m->live_actions++;
		return;
	}
	free(actions);
}

static void
op_lookup(struct model *m, struct sl_megaflow_cache *c, uint64_t now)
{
	struct sl_flow_key ks[SL_MEGAFLOW_BATCH_MAX];
	const struct sl_flow_key *kp[SL_MEGAFLOW_BATCH_MAX];
	struct sl_megaflow *out[SL_MEGAFLOW_BATCH_MAX];
	unsigned int n = 1 + mrnd_below(SL_MEGAFLOW_BATCH_MAX);
	for (unsigned int i = 0; i < n; i++) {
		random_key(&ks[i]);
		kp[i] = &ks[i];
	}
	uint64_t hit = 0;
	unsigned int found = sl_megaflow_lookup_batch(c, kp, n, out, &hit);
	CU_ASSERT_EQUAL(found, (unsigned int)__builtin_popcountll(hit));
	for (unsigned int i = 0; i < n; i++) {
		if (hit >> i & 1) {
			/* any matching megaflow is a right answer: they overlap legally */
			int j = model_find_mf(m, out[i]);
			CU_ASSERT_FATAL(j >= 0);
			CU_ASSERT(model_matches(&m->e[j], &ks[i]));
			sl_megaflow_credit(out[i], 1, 100, now);
			m->e[j].last_used = now;
		} else {
			for (unsigned int j = 0; j < m->n; j++)
				CU_ASSERT(!model_matches(&m->e[j], &ks[i]));
		}
	}
}

static enum sl_megaflow_verdict
model_reval_cb(struct sl_megaflow *mf, void **actions, void *ctx)
{
	struct model *m = ctx;
	int j = model_find_mf(m, mf);
	CU_ASSERT_FATAL(j >= 0);
	/* the decision is a function of the id, so the model can replay it */
	int id = m->e[j].id;
	if (id % 3 == 0)
		return SL_MEGAFLOW_DROP;
	if (id % 3 == 1) {
		int *na = malloc(sizeof(int));
		*na = ++m->next_id;
		m->live_actions++;
		m->expected_released_sum += (uint64_t)id; /* old handle released */
		m->e[j].id = *na;
		*actions = na;
	}
	return SL_MEGAFLOW_KEEP;
}

static void
op_revalidate(struct model *m, struct sl_megaflow_cache *c, uint64_t version)
{
	unsigned int expect_drop = 0;
	for (unsigned int i = 0; i < m->n; i++)
		expect_drop += m->e[i].version < version && m->e[i].id % 3 == 0;
	/* the callback mutates the model's ids, so count drops before */
	unsigned int dropped;
	if (mrnd_below(2)) {
		dropped = sl_megaflow_revalidate(c, version, model_reval_cb, m);
	} else {
		/* incremental, in random slices */
		struct sl_megaflow_stats before, after;
		sl_megaflow_get_stats(c, &before);
		while (!sl_megaflow_revalidate_some(c, version, model_reval_cb, m,
						    1 + mrnd_below(100)))
			;
		sl_megaflow_get_stats(c, &after);
		dropped = (unsigned int)(after.reval_drops - before.reval_drops);
	}
	CU_ASSERT_EQUAL(dropped, expect_drop);
	for (unsigned int i = 0; i < m->n;) {
		if (m->e[i].version < version && m->e[i].id % 3 == 0 &&
		    m->e[i].mf->subtable == NULL) {
			model_drop(m, i);
			continue;
		}
		if (m->e[i].version < version)
			m->e[i].version = version;
		i++;
	}
}

static void
op_evict(struct model *m, struct sl_megaflow_cache *c, uint64_t now)
{
	uint64_t idle = 50 + mrnd_below(200);
	unsigned int expect = 0;
	for (unsigned int i = 0; i < m->n; i++)
		expect += now > m->e[i].last_used && now - m->e[i].last_used > idle;
	CU_ASSERT_EQUAL(sl_megaflow_evict_idle(c, now, idle, 0), expect);
	for (unsigned int i = 0; i < m->n;) {
		if (now > m->e[i].last_used && now - m->e[i].last_used > idle)
			model_drop(m, i);
		else
			i++;
	}
}

static void
check_content(const struct model *m, struct sl_megaflow_cache *c)
{
	uint32_t cursor = 0;
	unsigned int seen = 0;
	struct sl_megaflow *mf;
	while ((mf = sl_megaflow_next(c, &cursor)) != NULL) {
		int j = model_find_mf(m, mf);
		CU_ASSERT_FATAL(j >= 0);
		CU_ASSERT(memcmp(&mf->key, &m->e[j].key, sizeof(mf->key)) == 0);
		CU_ASSERT(memcmp(sl_megaflow_mask(mf), &m->e[j].mask, sizeof(mf->key)) == 0);
		CU_ASSERT_EQUAL(mf->version, m->e[j].version);
		CU_ASSERT_EQUAL(*(int *)mf->actions, m->e[j].id);
		seen++;
	}
	CU_ASSERT_EQUAL(seen, m->n);
	struct sl_megaflow_stats st;
	sl_megaflow_get_stats(c, &st);
	CU_ASSERT_EQUAL(st.n_entries, m->n);
	CU_ASSERT_EQUAL(st.hits + st.misses, st.lookups);
	CU_ASSERT_EQUAL(m->live_actions, (int)m->n);
	CU_ASSERT_EQUAL(m->released_ids_sum, m->expected_released_sum);
}

void test_model_random_ops(void); /* run by test_megaflow.c's main */

void
test_model_random_ops(void)
{
	static struct model m;
	memset(&m, 0, sizeof(m));
	make_universe();
	struct sl_megaflow_config cfg = {
		.max_entries = MODEL_CAP,
		.rerank_interval = 7,
		.release = model_release,
		.release_ctx = &m,
	};
	struct sl_megaflow_cache *c = sl_megaflow_cache_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	uint64_t now = 1000, version = 1;
	for (unsigned int op = 0; op < 60000; op++) {
		now += mrnd_below(3);
		uint32_t r = mrnd_below(1000);
		/* alternate phases: one that fills the cache up to its cap (inserts and
		 * lookups only), one with the full mix that drains it */
		bool filling = (op / 2500) % 2 == 0;
		if (filling && r >= 800)
			r = r < 990 ? r - 800 : 999;
		if (r < 450) {
			op_insert(&m, c, version, now);
		} else if (r < 800) {
			op_lookup(&m, c, now);
		} else if (r < 930) {
			if (m.n > 0) {
				unsigned int i = mrnd_below(m.n);
				sl_megaflow_remove(c, m.e[i].mf);
				model_drop(&m, i);
			}
		} else if (r < 960) {
			op_revalidate(&m, c, ++version);
		} else if (r < 980) {
			op_evict(&m, c, now);
		} else if (r < 990) {
			sl_megaflow_rerank(c);
		} else {
			check_content(&m, c);
		}
	}
	check_content(&m, c);
	struct sl_megaflow_stats st;
	sl_megaflow_get_stats(c, &st);
	/* the random mix must have exercised every path it claims to test */
	CU_ASSERT(st.cap_hits > 0);
	CU_ASSERT(st.hits > 1000);
	CU_ASSERT(st.misses > 1000);
	CU_ASSERT(st.evictions > 0);
	CU_ASSERT(st.reval_drops > 0);
	CU_ASSERT(st.reranks > 100);
	CU_ASSERT(st.subtables_created > N_MASKS);
	printf("\n  model: %llu inserts, %llu hits, %llu misses, %llu cap hits, %llu evictions, "
	       "%llu reval drops, %u entries in %u subtables\n",
	       (unsigned long long)st.inserts, (unsigned long long)st.hits,
	       (unsigned long long)st.misses, (unsigned long long)st.cap_hits,
	       (unsigned long long)st.evictions, (unsigned long long)st.reval_drops,
	       st.n_entries, st.n_subtables);
	for (unsigned int i = 0; i < m.n; i++)
		m.expected_released_sum += (uint64_t)m.e[i].id;
	sl_megaflow_cache_destroy(c);
	CU_ASSERT_EQUAL(m.live_actions, 0);
	CU_ASSERT_EQUAL(m.released_ids_sum, m.expected_released_sum);
}
