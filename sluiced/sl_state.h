/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_STATE_H
#define SL_STATE_H

/**
 * @file
 * The switch's state across a restart ([switch] state_file): the OpenFlow
 * state (ofagent/sl_agent_snapshot.h), learned MACs and port numbers in one
 * snapshot (lib/snapshot), built into and applied from a buffer, so that
 * the file written at a clean stop and read at start is one user and a
 * stream over the management socket can be another.
 */

#include <stddef.h>
#include <stdint.h>

#include "sl_snap.h"

struct sl_agent;
struct sl_config;
struct sl_datapath;

/** What sl_state_apply() put back. */
struct sl_state_summary {
	/** rules, groups, meters, MACs learned again @{ */
	uint32_t rules, groups, meters, macs;
	/** @} */
	uint32_t macs_no_port;   /**< MACs behind a port there is no more: left out */
	uint32_t neighbours;     /**< learned underlay neighbours put back (sl_neigh.h) */
	uint32_t ports_moved;    /**< ports whose number is not the one saved */
	uint64_t stopped_ms;     /**< time between writing and applying */
	struct sl_snap_info info; /**< the snapshot's header */
};

/**
 * Build the switch's state into @p w (header to trailer, finished). Runs a
 * grace period first, so that the workers' counts are in the counters.
 * Control lcore.
 * @param dp     the datapath (its pipeline and ports)
 * @param a      the agent
 * @param w      out: the snapshot (free with sl_snap_writer_free())
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set (nothing to free).
 */
int sl_state_build(struct sl_datapath *dp, struct sl_agent *a, struct sl_snap_writer *w,
		   char *err, size_t errlen);

/**
 * Check a snapshot whole (sl_snap_open(), this switch's datapath id, every
 * MAC and port record), then put it back into empty tables before the
 * workers start: the agent's part, then the MACs, then the ports are
 * compared with the ones there are. All or nothing.
 * @param dp     the datapath
 * @param a      the agent
 * @param buf    the snapshot
 * @param len    its bytes
 * @param sum    out: what was put back
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set and the tables empty.
 */
int sl_state_apply(struct sl_datapath *dp, struct sl_agent *a, const uint8_t *buf, size_t len,
		   struct sl_state_summary *sum, char *err, size_t errlen);

/**
 * Learn the MAC addresses of a snapshot again (a hand-over's last state,
 * once the ports are there: sluiced/upgrade/), with their ages; those
 * behind a port this switch does not have are left out.
 * @param dp  the datapath
 * @param buf the snapshot
 * @param len its bytes
 * @param n   out: MACs learned
 * @return 0, or -1 when @p buf is no snapshot.
 */
int sl_state_apply_macs(struct sl_datapath *dp, const uint8_t *buf, size_t len, uint32_t *n);

/**
 * At a clean stop: write the state to [switch] state_file (nothing when it
 * is none), atomically; says on stdout or stderr what it did.
 * @param dp  the datapath, workers still running
 * @param a   the agent
 * @param cfg the configuration
 */
void sl_state_save(struct sl_datapath *dp, struct sl_agent *a, const struct sl_config *cfg);

/**
 * At start, after the agent exists and before the workers: read
 * state_file (unless state_restore = no) and apply it. A file that cannot
 * be used is reported with the reason, renamed PATH.bad, and the switch
 * starts empty.
 * @param dp  the datapath
 * @param a   the agent
 * @param cfg the configuration
 */
void sl_state_restore(struct sl_datapath *dp, struct sl_agent *a, const struct sl_config *cfg);

#endif /* SL_STATE_H */
