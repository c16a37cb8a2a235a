/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_pipeline_txn.h
 * Transactions over the flow and group tables: a run of flow-mods and
 * group-mods that readers see all at once or not at all (OpenFlow bundles,
 * OF1.4.1 6.8), without ever waiting for them.
 *
 * Between sl_pipeline_txn_begin() and sl_pipeline_txn_commit() or
 * sl_pipeline_txn_abort() the writer applies flow-mods and group-mods with
 * the ordinary sl_pipeline_flow_mod() and sl_pipeline_group_mod(); each
 * sees the effect of the earlier ones (sl_pipeline_group() is the writer's
 * view). Translations keep looking up at the published rule version and
 * see none of it; the commit publishes the next version with one store
 * (versioned rules, as OVS's classifier) and bumps the tables version
 * once, right after: translations under an older tables version keep the
 * old rules, so the tables version is the one instant of the switch (a
 * bundle's port-mods switch at it too); an abort puts back exactly the rules, instructions, groups and
 * counters that were there, with the same objects, and leaves the tables
 * version untouched, so cached translations stay valid. The commit and
 * the abort wait for a grace period of the pipeline's readers (the writer
 * waits; readers never do). lib/pipeline/README.md, "Transactions", has
 * the argument.
 *
 * Deleted rules stay in their classifier, hidden from the writer's later
 * flow-mods, until the commit removes them (on_removed runs then); a rule
 * added and deleted in the same transaction is never reported removed.
 * sl_pipeline_expire() does nothing while one is open.
 */
#ifndef SL_PIPELINE_TXN_H
#define SL_PIPELINE_TXN_H

#include <stdbool.h>
#include <stdint.h>

struct sl_pipeline;

/**
 * Open a transaction (writer only, none open). Translations go on at the
 * published rule version meanwhile.
 * @param pl the pipeline
 * @return 0, or -ENOMEM (nothing changed), -EBUSY if one is open.
 */
int sl_pipeline_txn_begin(struct sl_pipeline *pl);

/**
 * Publish the open transaction: translations under the tables version it
 * bumps to (once, a GLOBAL change-log record, if anything changed: the
 * current version + 1) see all of it, older ones none; after a grace
 * period (waited for here) the rules it deleted are removed (and reported
 * to on_removed) and the groups it replaced or deleted freed.
 * @param pl the pipeline
 * @return the number of changes recorded (rules added, modified or
 *         deleted, groups added, modified or deleted).
 */
unsigned int sl_pipeline_txn_commit(struct sl_pipeline *pl);

/**
 * Undo everything the open transaction did, last change first, and close
 * it (waits for a grace period, so that the next transaction may begin).
 * Never fails (nothing is allocated); the tables version is not bumped.
 * @param pl the pipeline
 */
void sl_pipeline_txn_abort(struct sl_pipeline *pl);

/**
 * Whether a transaction is open.
 * @param pl the pipeline
 * @return true between begin and commit/abort.
 */
bool sl_pipeline_txn_open(const struct sl_pipeline *pl);

/**
 * Commits and aborts so far (for tests and counters).
 * @param pl      the pipeline
 * @param commits out: transactions committed
 * @param aborts  out: transactions aborted
 */
void sl_pipeline_txn_counts(const struct sl_pipeline *pl, uint64_t *commits, uint64_t *aborts);

#endif /* SL_PIPELINE_TXN_H */
