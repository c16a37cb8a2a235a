/* SPDX-License-Identifier: BSD-3-Clause */
/* Pipeline and meters owned by the runtime, shared with the agent. */
#include <stdio.h>

#include <rte_malloc.h>

#include "sl_tables.h"
#include "sl_meter.h"
#include "sl_rcu.h"
#include "sl_xlate.h"

#define SL_MAX_METERS 65536

static void
meter_defer_free(void *ctx, void *obj, void (*free_fn)(void *obj))
{
	sl_rcu_defer(ctx, free_fn, obj);
}

int
sl_tables_init(struct sl_datapath *dp, sl_rule_removed_cb on_removed, void *cb_ctx)
{
	struct sl_pipeline_config pc = {
		.qsbr = dp->qsbr,
		.max_readers = dp->n_workers,
		.n_stats_shards = dp->n_workers,
		.on_removed = on_removed,
		.cb_ctx = cb_ctx,
		.no_prefix_tracking = dp->cfg->no_prefix_tracking,
		.mac_max_entries = dp->cfg->mac_table_size,
		.max_rules = dp->cfg->max_rules,
		.mac_aging_s = dp->cfg->mac_aging_s,
		.mac_limit_per_port = dp->cfg->mac_limit_per_port,
	};

	dp->pipeline = sl_pipeline_create(&pc);
	dp->meter_rcu = sl_rcu_create(dp->qsbr, dp->n_workers);
	if (dp->pipeline == NULL || dp->meter_rcu == NULL)
		goto fail;
	dp->meters = sl_meter_table_create(SL_MAX_METERS, meter_defer_free, dp->meter_rcu);
	dp->pout_xr = rte_zmalloc("sl_pout_xr", sizeof(*dp->pout_xr), RTE_CACHE_LINE_SIZE);
	if (dp->meters == NULL || dp->pout_xr == NULL)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "sluiced: cannot create the OpenFlow pipeline (out of memory)\n");
	sl_tables_fini(dp);
	return -1;
}

void
sl_tables_reclaim(struct sl_datapath *dp)
{
	if (dp->pipeline)
		sl_pipeline_reclaim(dp->pipeline);
	if (dp->meter_rcu)
		sl_rcu_reclaim(dp->meter_rcu);
}

void
sl_tables_fini(struct sl_datapath *dp)
{
	if (dp->meters)
		sl_meter_table_destroy(dp->meters);
	if (dp->meter_rcu)
		sl_rcu_destroy(dp->meter_rcu);
	if (dp->pipeline)
		sl_pipeline_destroy(dp->pipeline);
	rte_free(dp->pout_xr);
	dp->meters = NULL;
	dp->meter_rcu = NULL;
	dp->pipeline = NULL;
	dp->pout_xr = NULL;
}
