/* SPDX-License-Identifier: BSD-3-Clause */
/* A restored rule's or group's counters and times (sl_pipeline_restore.h). */
#include "pipeline_private.h"
#include "sl_pipeline_restore.h"

int
sl_pipeline_rule_restore(struct sl_pipeline *pl, uint8_t table_id, const struct sl_match *m,
			 uint16_t priority, const struct sl_restore_counts *rc)
{
	struct sl_rule *r;
	struct sl_rule_counts now;

	if (table_id >= SL_N_TABLES)
		return -1;
	r = (struct sl_rule *)sl_cls_find_exact(&pl->tables[table_id].cls, m, priority);
	if (r == NULL)
		return -1;
	/* The shards only grow (sl_rule_reset_counts): the base takes the
	 * difference, so base + shards reads what was saved. */
	sl_rule_get_counts(r, &now);
	__atomic_fetch_add(&r->base_packets, rc->packets - now.packets, __ATOMIC_RELAXED);
	__atomic_fetch_add(&r->base_bytes, rc->bytes - now.bytes, __ATOMIC_RELAXED);
	r->created_ns = rc->created_ns;
	r->flags = rc->flags;
	__atomic_store_n(&r->base_used_ns, rc->used_ns, __ATOMIC_RELAXED);
	return 0;
}

int
sl_pipeline_group_restore(struct sl_pipeline *pl, uint32_t group_id,
			  const struct sl_restore_counts *rc, const uint64_t *bucket_counts,
			  uint32_t n_buckets)
{
	/* Groups are immutable once published except their counters, which
	 * translation adds to atomically: those are what is written here. */
	struct sl_group *g = (struct sl_group *)sl_pipeline_group(pl, group_id);

	if (g == NULL || n_buckets != g->n_buckets)
		return -1;
	__atomic_store_n(&g->stats->n_packets, rc->packets, __ATOMIC_RELAXED);
	__atomic_store_n(&g->stats->n_bytes, rc->bytes, __ATOMIC_RELAXED);
	g->stats->created_ns = rc->created_ns;
	for (uint32_t i = 0; i < n_buckets; i++) {
		__atomic_store_n(&g->buckets[i].n_packets, bucket_counts[2 * i], __ATOMIC_RELAXED);
		__atomic_store_n(&g->buckets[i].n_bytes, bucket_counts[2 * i + 1],
				 __ATOMIC_RELAXED);
	}
	return 0;
}
