/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_SNAPSHOT_H
#define SL_AGENT_SNAPSHOT_H

/**
 * @file
 * The agent's OpenFlow state in a snapshot (lib/snapshot): meters, groups
 * and rules as OpenFlow 1.3 meter-mods, group-mods and flow-mods (lib/ofp)
 * with their counters and ages, and the controllers' master election
 * generation id. Written from, and restored into, a live agent on the
 * control lcore; the runtime's part (MAC table, ports) is its caller's.
 */

#include <stddef.h>
#include <stdint.h>

#include "sl_snap.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sl_agent;

/** What a restore put back. */
struct sl_agent_restore_stats {
	/** rules, groups and meters made @{ */
	uint32_t rules, groups, meters;
	/** @} */
	uint32_t role; /**< role records (0 or 1) */
	uint32_t tables; /**< tables whose config (OF1.4 vacancy) was not the default */
};

/**
 * Append the agent's state to @p w: meters (ids ascending), groups (a group
 * after those its buckets name), rules (table by table), the role record,
 * a table record per table whose config is not the default (OF1.4 vacancy).
 * Counters are read as they are: call it after a grace period (the
 * runtime's barrier) for exact ones.
 * @param a      the agent
 * @param w      the writer (its header made)
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set (out of memory, an object lib/ofp
 *         cannot encode).
 */
int sl_agent_snapshot_save(struct sl_agent *a, struct sl_snap_writer *w, char *err,
			   size_t errlen);

/**
 * Make the state of a checked snapshot again in an agent whose tables are
 * empty: every meter, group and rule record through the same conversion
 * and checks as a controller's mods, then its counters and times; the role
 * record. Records of other types are left to the caller. All or nothing:
 * on the first record that cannot be applied, everything restored so far
 * is removed again.
 * @param a          the agent
 * @param r          the snapshot, as sl_snap_open() made it (not consumed:
 *                   the agent reads its own copy of the position)
 * @param stopped_ns time that passed between writing and now (added to
 *                   every age and idle time: the switch was not forwarding)
 * @param st         out: what was made; may be NULL
 * @param err        out: on failure, the record and why
 * @param errlen     bytes at @p err
 * @return 0, or -1 with @p err set and the tables empty again.
 */
int sl_agent_snapshot_restore(struct sl_agent *a, const struct sl_snap_reader *r,
			      uint64_t stopped_ns, struct sl_agent_restore_stats *st, char *err,
			      size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* SL_AGENT_SNAPSHOT_H */
