/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_MONITOR_H
#define SL_AGENT_MONITOR_H

/**
 * @file
 * INTERNAL to ofagent/: flow monitoring (OF1.4.1 7.3.5.18-19) for OpenFlow
 * 1.4 and 1.5 sessions. A connection's monitors (id, flags, table, out_port,
 * out_group, match) are kept on the connection; the agent reports rule
 * changes to them where it makes them: after a flow-mod or bundle commit
 * (added, modified: agent_monitor_flow_mod()) and from the pipeline's
 * on_removed hook (removed: deletes, expiry, meter deletion), so nothing is
 * added to the packet path, and nothing is done while no session monitors.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent_private.h"
#include "sl_pipeline.h"

/** Monitors one connection may hold (OFPMOFC_UNKNOWN past it). */
#define AGENT_MONITORS_MAX 1024u
/** Changes remembered for a paused connection; past it, it is closed. */
#define AGENT_MONITOR_PAUSE_MAX 16384u

/**
 * Take a flow-monitor request out of the stream (OFPMP_FLOW_MONITOR of a
 * 1.4/1.5 session), before the codec, which does not know it.
 * @param ac  the session
 * @param raw the message
 * @param len its length
 * @return true if it was one (answered: reply or error), false otherwise.
 */
bool agent_monitor_message(struct agent_conn *ac, const uint8_t *raw, size_t len);

/**
 * The session closes: its monitors go.
 * @param ac the session
 */
void agent_monitor_conn_closed(struct agent_conn *ac);

/**
 * Name the request whose changes follow (own changes are abbreviated to its
 * xid, ONLY_OWN monitors see only them); NULL: the switch's own (expiry).
 * @param a      the agent
 * @param origin the session that sent it, or NULL
 * @param xid    its xid
 */
void agent_monitor_origin(struct sl_agent *a, struct agent_conn *origin, uint32_t xid);

/**
 * True if some session has a monitor: callers skip the work of finding
 * what changed otherwise.
 * @param a the agent
 * @return whether to report.
 */
bool agent_monitor_active(const struct sl_agent *a);

/**
 * Before a flow-mod is applied: does its ADD replace a rule (reported as
 * MODIFIED rather than ADDED)?
 * @param a  the agent
 * @param fm the flow-mod
 * @return true if an ADD finds a rule with its table, match and priority.
 */
bool agent_monitor_add_replaces(struct sl_agent *a, const struct sl_flow_mod *fm);

/**
 * After a flow-mod was applied: report the rules an ADD or MODIFY changed
 * (deletions are reported by agent_monitor_removed()).
 * @param a        the agent
 * @param fm       the flow-mod
 * @param replaced agent_monitor_add_replaces() before it was applied
 */
void agent_monitor_flow_mod(struct sl_agent *a, const struct sl_flow_mod *fm, bool replaced);

/**
 * A rule leaves the tables (the pipeline's on_removed).
 * @param a      the agent
 * @param r      the rule, still whole
 * @param reason OFPRR_*
 */
void agent_monitor_removed(struct sl_agent *a, const struct sl_rule *r, uint8_t reason);

/**
 * Resume paused sessions whose send queue drained (from sl_agent_run()).
 * @param a the agent
 */
void agent_monitor_run(struct sl_agent *a);

#endif /* SL_AGENT_MONITOR_H */
