/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_NEIGH_DP_H
#define SL_NEIGH_DP_H

/**
 * @file
 * The underlay neighbour table (sl_neigh.h) in the datapath: dp->neigh.
 */

#include "sl_neigh.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sl_datapath;
struct sl_worker;

/**
 * Create dp->neigh from the configuration ([switch] neighbour_*, the
 * static entries of [neighbours]), after the workers, pools and ports
 * exist and before the workers start. No worker or pool: left NULL.
 * @param dp the datapath
 * @return 0, or -1 (message on stderr).
 */
int sl_neigh_datapath_init(struct sl_datapath *dp);

/**
 * Free dp->neigh, after the workers stopped.
 * @param dp the datapath
 */
void sl_neigh_datapath_free(struct sl_datapath *dp);

/**
 * Worker, at the start of an iteration: send the frames the control lcore
 * queued for this worker (answers, requests, parked packets now resolved)
 * through its tx buffers, counted as injected (the controller slot).
 * @param w the worker
 */
void sl_neigh_worker_run(struct sl_worker *w);

/**
 * Register the telemetry command /sluice/neighbours: the table's counters
 * and its entries ("PORT IP MAC STATE AGE_MS", at most 200), read on the
 * telemetry thread under the table's lock (never taken by workers).
 * @param dp the datapath; must outlive the command
 */
void sl_neigh_telemetry_register(struct sl_datapath *dp);

#ifdef __cplusplus
}
#endif
#endif /* SL_NEIGH_DP_H */
