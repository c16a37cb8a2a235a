/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SLUICED_AGENT_OPS_H
#define SLUICED_AGENT_OPS_H

/**
 * @file
 * The glue between the OpenFlow agent (ofagent/) and the runtime
 * (dataplane/): neither includes the other; sluiced gives the agent this
 * table of operations over its struct sl_datapath.
 */

#include "sl_agent_dp.h"

/** The agent's runtime operations over sluiced's datapath (ctx: struct sl_datapath). */
extern const struct sl_agent_dp_ops sl_agent_ops_datapath;

#endif /* SLUICED_AGENT_OPS_H */
