/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_TABLES_H
#define SL_TABLES_H

/**
 * @file
 * The OpenFlow tables the runtime owns: the pipeline and the meter table
 * the workers read, created before the workers start and freed after they
 * stop. Whoever changes them (the agent, through sluiced/agent_ops.c) uses
 * the pipeline and meter APIs directly.
 */

#include "sl_datapath.h"
#include "sl_pipeline.h"

/**
 * Create the pipeline (readers: the workers, on dp->qsbr) and the meter
 * table.
 * @param dp         the datapath that owns them
 * @param on_removed the pipeline's rule-removed callback (the agent's
 *                   flow-removed)
 * @param cb_ctx     passed to @p on_removed
 * @return 0 or -1.
 */
int sl_tables_init(struct sl_datapath *dp, sl_rule_removed_cb on_removed, void *cb_ctx);

/**
 * Free what readers no longer see (control lcore timer).
 * @param dp the datapath
 */
void sl_tables_reclaim(struct sl_datapath *dp);

/**
 * Destroy the pipeline and meters (workers stopped).
 * @param dp the datapath
 */
void sl_tables_fini(struct sl_datapath *dp);

#endif /* SL_TABLES_H */
