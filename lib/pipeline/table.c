/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow tables: their rule counts, lookup counters and classifiers. */
#include "pipeline_private.h"

uint32_t
sl_pipeline_table_count(const struct sl_pipeline *pl, uint8_t table_id)
{
	return table_id < SL_N_TABLES ? sl_cls_count(&pl->tables[table_id].cls) : 0;
}

uint32_t
sl_pipeline_max_rules_per_table(const struct sl_pipeline *pl)
{
	return pl->cfg.max_rules_per_table;
}

void
sl_pipeline_table_stats(const struct sl_pipeline *pl, uint8_t table_id, uint64_t *lookups,
			uint64_t *matched)
{
	const struct sl_table *t = &pl->tables[table_id < SL_N_TABLES ? table_id : 0];
	*lookups = __atomic_load_n(&t->n_lookups, __ATOMIC_RELAXED);
	*matched = __atomic_load_n(&t->n_matched, __ATOMIC_RELAXED);
	pl_stats_sum_table(pl->stats, table_id < SL_N_TABLES ? table_id : 0, lookups, matched);
}

const struct sl_classifier *
sl_pipeline_table_cls(const struct sl_pipeline *pl, uint8_t table_id)
{
	return table_id < SL_N_TABLES ? &pl->tables[table_id].cls : NULL;
}
