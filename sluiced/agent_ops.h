/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SLUICED_AGENT_OPS_H
#define SLUICED_AGENT_OPS_H

/**
 * @file
 * The glue between the OpenFlow agent (ofagent/) and the runtime
 * (dataplane/): neither includes the other; sluiced gives the agent this
 * table of operations over its struct sl_datapath.
 */

#include <stdint.h>

#include "sl_agent_dp.h"

struct sl_port_stats;

/** The agent's runtime operations over sluiced's datapath (ctx: struct sl_datapath). */
extern const struct sl_agent_dp_ops sl_agent_ops_datapath;

/**
 * Remember what port @p ofport counted before it came to this process (a
 * hand-over upgrade: the old process's counters at release, its own base
 * included): OpenFlow's port counters add it, so they continue.
 * @param ofport  the port's number
 * @param counted its counters
 */
void sl_agent_ops_note_counted(uint32_t ofport, const struct sl_port_stats *counted);

/**
 * Add to @p st what port @p ofport counted in the processes before this
 * one (sl_agent_ops_note_counted()).
 * @param ofport the port's number
 * @param st     the counters read from the device
 */
void sl_agent_ops_port_counted(uint32_t ofport, struct sl_port_stats *st);

#endif /* SLUICED_AGENT_OPS_H */
