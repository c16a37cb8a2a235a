/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_LEARN_H
#define SL_LEARN_H

/**
 * @file
 * MAC learning reports from the workers to the control lcore (the NORMAL
 * action; lib/pipeline/mac_learning.c explains the scheme). A translation on
 * a worker that needs a source learned puts a struct sl_xlate_learn in its
 * result; the worker copies it into its own single-producer ring and goes on
 * (a full ring drops the report and counts it). The control lcore drains
 * every ring, applies the reports to the pipeline's MAC table (the one
 * writer), and runs MAC aging once a second.
 */

#include <stdint.h>

#include "sl_datapath.h"
#include "sl_xlate.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Learn reports a worker can have in flight. */
#define SL_LEARN_RING_SIZE 1024

/**
 * Create worker @p w's learn ring (on its socket).
 * @param w the worker
 * @return 0 or -1.
 */
int sl_learn_ring_create(struct sl_worker *w);

/**
 * Free worker @p w's learn ring.
 * @param w the worker
 */
void sl_learn_ring_free(struct sl_worker *w);

/**
 * Worker side: queue @p l for the control lcore; never blocks.
 * @param w the calling worker
 * @param l what its translation wants learned
 */
void sl_learn_report(struct sl_worker *w, const struct sl_xlate_learn *l);

/**
 * Control lcore: apply the queued reports (at most a bounded number per
 * call), recover lost ones (a full ring: bump the tables version so that
 * translations run and report again), and age the MAC table once a second.
 * @param dp     the runtime
 * @param now_ns CLOCK_MONOTONIC time
 * @return the number of reports applied.
 */
unsigned int sl_learn_run(struct sl_datapath *dp, uint64_t now_ns);

/**
 * Control lcore: apply one report (e.g. from a packet-out's translation).
 * @param dp the runtime
 * @param l  what the translation wants learned
 */
void sl_learn_apply(struct sl_datapath *dp, const struct sl_xlate_learn *l);

#ifdef __cplusplus
}
#endif
#endif /* SL_LEARN_H */
