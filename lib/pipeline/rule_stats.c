/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-worker rule/table counter shards: slot allocation and sums (control
 * side). The why is in sl_rule_stats.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline_private.h"

struct sl_rule_stats_pool {
	struct sl_rcu *rcu;  /* the pipeline's: slots wait two grace periods */
	unsigned int n_shards;
	struct sl_rule_stats_shard **shards;
	uint32_t *free_idx;  /* released slots, reused first */
	uint32_t n_free, cap_free;
	uint32_t next;       /* slots handed out so far */
	uint32_t n_pages;
};

struct sl_rule_stats_pool *
pl_stats_create(unsigned int n_shards, struct sl_rcu *rcu)
{
	struct sl_rule_stats_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->rcu = rcu;
	p->n_shards = n_shards ? n_shards : 1;
	p->shards = calloc(p->n_shards, sizeof(*p->shards));
	if (p->shards == NULL) {
		free(p);
		return NULL;
	}
	for (unsigned int s = 0; s < p->n_shards; s++) {
		p->shards[s] = aligned_alloc(64, (sizeof(*p->shards[s]) + 63) & ~(size_t)63);
		if (p->shards[s] == NULL) {
			pl_stats_destroy(p);
			return NULL;
		}
		memset(p->shards[s], 0, sizeof(*p->shards[s]));
	}
	return p;
}

void
pl_stats_destroy(struct sl_rule_stats_pool *p)
{
	if (p == NULL)
		return;
	for (unsigned int s = 0; s < p->n_shards && p->shards; s++) {
		for (uint32_t pg = 0; p->shards[s] && pg < p->n_pages; pg++)
			free(p->shards[s]->pages[pg]);
		free(p->shards[s]);
	}
	free(p->shards);
	free(p->free_idx);
	free(p);
}

/* Give every shard page @pg. Pages are published (release) before any slot
 * index in them reaches a worker, through a rule inserted afterwards. */
static int
add_page(struct sl_rule_stats_pool *p)
{
	size_t sz = SL_RULE_STATS_PAGE_SLOTS * sizeof(struct sl_rule_stats_slot);
	struct sl_rule_stats_slot *pages[p->n_shards];

	if (p->n_pages >= SL_RULE_STATS_MAX_PAGES)
		return -ENOSPC;
	for (unsigned int s = 0; s < p->n_shards; s++) {
		pages[s] = aligned_alloc(64, sz);
		if (pages[s] == NULL) {
			while (s--)
				free(pages[s]);
			return -ENOMEM;
		}
		memset(pages[s], 0, sz);
	}
	for (unsigned int s = 0; s < p->n_shards; s++)
		__atomic_store_n(&p->shards[s]->pages[p->n_pages], pages[s], __ATOMIC_RELEASE);
	p->n_pages++;
	return 0;
}

int
pl_stats_alloc(struct sl_rule_stats_pool *p, uint32_t *idx)
{
	if (p->n_free) {
		*idx = p->free_idx[--p->n_free];
		return 0;
	}
	if ((p->next >> SL_RULE_STATS_PAGE_SHIFT) >= p->n_pages) {
		int rc = add_page(p);

		if (rc)
			return rc;
	}
	*idx = p->next++;
	return 0;
}

struct sl_rcu *
pl_stats_rcu(const struct sl_rule_stats_pool *p)
{
	return p->rcu;
}

void
pl_stats_release(struct sl_rule_stats_pool *p, uint32_t idx)
{
	/* No worker writes the slot any more (sl_rule_stats.h, lifetime). */
	for (unsigned int s = 0; s < p->n_shards; s++)
		memset((void *)sl_rule_stats_slot_addr(p->shards[s], idx), 0,
		       sizeof(struct sl_rule_stats_slot));
	if (p->n_free == p->cap_free) {
		uint32_t cap = p->cap_free ? p->cap_free * 2 : 256;
		uint32_t *f = realloc(p->free_idx, cap * sizeof(*f));

		if (f == NULL)
			return; /* the slot is lost, nothing else */
		p->free_idx = f;
		p->cap_free = cap;
	}
	p->free_idx[p->n_free++] = idx;
}

void
pl_stats_sum(const struct sl_rule_stats_pool *p, uint32_t idx, struct sl_rule_counts *c)
{
	for (unsigned int s = 0; s < p->n_shards; s++) {
		const struct sl_rule_stats_slot *slot = sl_rule_stats_slot_addr(p->shards[s], idx);
		uint64_t used = __atomic_load_n(&slot->used_ns, __ATOMIC_RELAXED);

		c->packets += __atomic_load_n(&slot->packets, __ATOMIC_RELAXED);
		c->bytes += __atomic_load_n(&slot->bytes, __ATOMIC_RELAXED);
		if (used > c->used_ns)
			c->used_ns = used;
	}
}

void
pl_stats_sum_table(const struct sl_rule_stats_pool *p, uint8_t table_id, uint64_t *lookups,
		   uint64_t *matched)
{
	for (unsigned int s = 0; s < p->n_shards; s++) {
		*lookups += __atomic_load_n(&p->shards[s]->table_lookups[table_id], __ATOMIC_RELAXED);
		*matched += __atomic_load_n(&p->shards[s]->table_matched[table_id], __ATOMIC_RELAXED);
	}
}

struct sl_rule_stats_shard *
sl_pipeline_stats_shard(struct sl_pipeline *pl, unsigned int i)
{
	return i < pl->stats->n_shards ? pl->stats->shards[i] : NULL;
}

void
sl_rule_get_counts(const struct sl_rule *r, struct sl_rule_counts *c)
{
	c->packets = __atomic_load_n(&r->base_packets, __ATOMIC_RELAXED);
	c->bytes = __atomic_load_n(&r->base_bytes, __ATOMIC_RELAXED);
	c->used_ns = __atomic_load_n(&r->base_used_ns, __ATOMIC_RELAXED);
	if (r->stats_pool)
		pl_stats_sum(r->stats_pool, r->stats_idx, c);
}

void
sl_rule_reset_counts(struct sl_rule *r)
{
	struct sl_rule_counts c = { 0 };

	if (r->stats_pool)
		pl_stats_sum(r->stats_pool, r->stats_idx, &c);
	/* The shards only grow: the base goes negative (mod 2^64) by what
	 * they hold, so base + shards restarts from zero. */
	__atomic_store_n(&r->base_packets, 0 - c.packets, __ATOMIC_RELAXED);
	__atomic_store_n(&r->base_bytes, 0 - c.bytes, __ATOMIC_RELAXED);
}
