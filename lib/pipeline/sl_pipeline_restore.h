/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_pipeline_restore.h
 * Putting back what a flow-mod or group-mod cannot carry, for state
 * restored from a snapshot (lib/snapshot): a rule's counters, the time it
 * was added and its last use; a group's counters and the time it was
 * added. The rule or group is first made by an ordinary flow-mod or
 * group-mod (ADD), then given its past with these. Writer only (control
 * lcore), before readers see the rule, or while they may: counters are
 * stored atomically.
 */
#ifndef SL_PIPELINE_RESTORE_H
#define SL_PIPELINE_RESTORE_H

#include <stdint.h>

#include "sl_pipeline.h"

/** A rule's or group's past, on the clock of sl_flow_mod.now_ns. */
struct sl_restore_counts {
	/** what it counted @{ */
	uint64_t packets, bytes;
	/** @} */
	uint64_t created_ns; /**< when it was added (its duration runs from here) */
	uint64_t used_ns;    /**< rules: its last packet (the idle timeout runs from here) */
	/** rules: its OFPFF_* flags as it had them (it may have been added
	 *  again without OFPFF_CHECK_OVERLAP, a check it passed the first time) */
	uint16_t flags;
};

/**
 * Give the rule of table @p table_id with exactly match @p m and priority
 * @p priority the counters, times and flags in @p rc (its counters then
 * read rc->packets and rc->bytes, whatever they held).
 * @param pl       the pipeline
 * @param table_id the rule's table
 * @param m        its match
 * @param priority its priority
 * @param rc       its past
 * @return 0, or -1 when there is no such rule.
 */
int sl_pipeline_rule_restore(struct sl_pipeline *pl, uint8_t table_id, const struct sl_match *m,
			     uint16_t priority, const struct sl_restore_counts *rc);

/**
 * Give group @p group_id the counters in @p rc and
 * @p bucket_counts (2 values, packets then bytes, per bucket, for its first
 * @p n_buckets buckets).
 * @param pl            the pipeline
 * @param group_id      the group
 * @param rc            group counters and the time it was added (used_ns
 *                      and flags ignored)
 * @param bucket_counts (packets, bytes) per bucket
 * @param n_buckets     pairs in @p bucket_counts (more than the group has:
 *                      refused)
 * @return 0, or -1 when there is no such group or the bucket count differs.
 */
int sl_pipeline_group_restore(struct sl_pipeline *pl, uint32_t group_id,
			      const struct sl_restore_counts *rc, const uint64_t *bucket_counts,
			      uint32_t n_buckets);

#endif /* SL_PIPELINE_RESTORE_H */
