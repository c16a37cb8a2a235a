/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_pipeline_txn.h
 * Transactions over the flow tables: a run of flow-mods that readers see
 * all at once or not at all (OpenFlow bundles, OF1.4.1 6.8).
 *
 * Between sl_pipeline_txn_begin() and sl_pipeline_txn_commit() or
 * sl_pipeline_txn_abort() the writer applies flow-mods with the ordinary
 * sl_pipeline_flow_mod(); each sees the effect of the earlier ones. Readers
 * (translations) never see any of it until the commit: a translation that
 * starts while a transaction is open waits for it to end, and one that a
 * commit overlapped is made again (a sequence lock, `commit_seq`). The
 * commit publishes everything under one tables-version bump; an abort puts
 * back exactly the rules, instructions and counters that were there, with
 * the same objects, and leaves the version untouched, so cached
 * translations stay valid. lib/pipeline/README.md, "Transactions", has the
 * argument.
 *
 * Deleted rules stay in their classifier, hidden from the writer's later
 * flow-mods, until the commit removes them (on_removed runs then); a rule
 * added and deleted in the same transaction is never reported removed.
 * Only flow-mods run in a transaction: sl_pipeline_group_mod() and
 * sl_pipeline_expire() refuse or do nothing while one is open.
 */
#ifndef SL_PIPELINE_TXN_H
#define SL_PIPELINE_TXN_H

#include <stdbool.h>
#include <stdint.h>

struct sl_pipeline;

/**
 * Open a transaction (writer only, none open). From here on translations
 * wait: keep the time to commit short (prepare every flow-mod first).
 * @param pl the pipeline
 * @return 0, or -ENOMEM (nothing changed), -EBUSY if one is open.
 */
int sl_pipeline_txn_begin(struct sl_pipeline *pl);

/**
 * Publish the open transaction: the rules it deleted are removed (and
 * reported to on_removed), and the version is bumped once (a GLOBAL
 * change-log record) if anything changed.
 * @param pl the pipeline
 * @return the number of rules added, modified or deleted.
 */
unsigned int sl_pipeline_txn_commit(struct sl_pipeline *pl);

/**
 * Undo everything the open transaction did, last change first, and close
 * it. Never fails (nothing is allocated); the version is not bumped.
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
