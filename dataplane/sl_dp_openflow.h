/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_DP_OPENFLOW_H
#define SL_DP_OPENFLOW_H

/**
 * @file
 * The OpenFlow side of the runtime: the pipeline and meter table the
 * workers read, and the operations the agent calls (sl_agent_dp.h).
 */

#include "sl_agent_dp.h"
#include "sl_datapath.h"
#include "sl_pipeline.h"

/** Runtime operations for the agent; their ctx is the struct sl_datapath. */
extern const struct sl_agent_dp_ops sl_dp_agent_ops;

/**
 * Create the pipeline (readers: the workers, on dp->qsbr) and the meter
 * table. @p on_removed / @p cb_ctx: the pipeline's rule-removed callback
 * (the agent's flow-removed). Returns 0 or -1.
 */
int sl_dp_openflow_init(struct sl_datapath *dp, sl_rule_removed_cb on_removed, void *cb_ctx);

/** Free what readers no longer see (control lcore timer). */
void sl_dp_openflow_reclaim(struct sl_datapath *dp);

/** Destroy the pipeline and meters (workers stopped). */
void sl_dp_openflow_fini(struct sl_datapath *dp);

#endif /* SL_DP_OPENFLOW_H */
