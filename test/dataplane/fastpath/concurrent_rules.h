/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What test_concurrent_rules.c (windows of traffic, the reference) and
 * concurrent_changes.c (the writer) share.
 */
#ifndef CONCURRENT_RULES_H
#define CONCURRENT_RULES_H

#include <stdint.h>

#include "sl_datapath.h"
#include "sl_pipeline.h"

#define N_PORTS 4
#define N_TABLES 3
#define N_GROUPS 4
#define MAX_ADDED 64      /* rules remembered for strict modify/delete */

extern struct sl_datapath dp;      /* the worker's datapath */
extern struct sl_pipeline *shadow; /* the reference: same changes, no caches */

/** A pseudo-random number below @p n (seeded by SL_TEST_SEED). */
uint32_t rnd(uint32_t n);

/** One strict flow-mod on @p table: atomic for a reader. */
void atomic_flow_mod(uint8_t table);
/** Any flow-mod, non-strict ones included (no packets in flight). */
void any_flow_mod(void);
/** Group-mod @p cmd on group @p g, both pipelines. */
void group_mod(uint32_t g, uint16_t cmd);
/** Delete group @p g (and the rules that use it), both pipelines. */
void group_delete(uint32_t g);
/** Flip one port's liveness, both pipelines. */
void toggle_liveness(void);
/** The agent's barrier: sync, then free what the workers cannot see. */
void barrier(void);
/** A fresh random rule set on both pipelines, then a barrier. */
void new_rule_set(void);

#endif /* CONCURRENT_RULES_H */
