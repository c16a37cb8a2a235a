/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_xlate_trace.h
 * A translation that tells what it does, step by step (`sluicectl trace`,
 * like `ovs-appctl ofproto/trace`): each table looked up with the rule hit
 * or the miss, each group bucket run, the action set when it executes,
 * NORMAL's decision.
 *
 * The translator reports through a pointer in its context that is NULL in
 * every other translation and is tested only where a table, group, action
 * set or NORMAL begins: the fast path pays one predictable branch per
 * table lookup (xlate.c). A traced translation has no side effect a real
 * one would have: no table counter is credited (as sl_xlate_uncounted()),
 * and the caller credits no rule and applies no MAC learning (the result's
 * `learn` is only reported). A translation that must recirculate interns
 * its frozen state as any translation does (recirc.c; it expires unused).
 */
#ifndef SL_XLATE_TRACE_H
#define SL_XLATE_TRACE_H

#include <stdint.h>

#include "sl_xlate.h"

/** What a trace event is about. */
enum sl_xlate_trace_kind {
	SL_TRACE_TABLE = 1, /**< a table was looked up: rule hit, or NULL (miss) */
	SL_TRACE_FAIL_OPEN, /**< fail mode standalone ran NORMAL in place of table 0 */
	SL_TRACE_BUCKET,    /**< a group's bucket runs (bucket -1: no bucket is live) */
	SL_TRACE_ACTION_SET, /**< the action set executes: acts[0..n_acts) in order */
	SL_TRACE_NORMAL,    /**< NORMAL decided: port (OFPP_FLOOD, or OFPP_ANY: drop) */
};

/** One step of a traced translation. Pointers are valid during the call. */
struct sl_xlate_trace_event {
	uint8_t kind;       /**< enum sl_xlate_trace_kind */
	uint8_t table_id;   /**< TABLE: the table */
	uint8_t depth;      /**< groups entered above this step */
	int16_t bucket;     /**< BUCKET: index in the group, -1: none live */
	uint32_t port;      /**< NORMAL: where the packet goes */
	const char *why;    /**< NORMAL: the reason, in words */
	const struct sl_flow_key *key;  /**< the packet as actions left it so far */
	const struct sl_rule *rule;     /**< TABLE: the rule hit; NULL: table miss */
	const struct sl_group *group;   /**< BUCKET: the group */
	const struct sl_action *acts;   /**< ACTION_SET: what runs, in order */
	unsigned int n_acts;            /**< ACTION_SET: entries in acts */
};

/** Called for each step, in order. */
typedef void (*sl_xlate_trace_fn)(void *ctx, const struct sl_xlate_trace_event *ev);

/**
 * Translate @p key as sl_xlate_uncounted() does, calling @p fn for each
 * step. Call it where translations may run (an RCU reader, or the control
 * lcore, which owns the tables).
 * @param pl  the pipeline
 * @param key the packet's flow key (recirc_id 0)
 * @param out out: the translation, as sl_xlate() gives it
 * @param fn  told each step
 * @param ctx passed to @p fn
 * @return as sl_xlate().
 */
int sl_xlate_trace(const struct sl_pipeline *pl, const struct sl_flow_key *key,
		   struct sl_xlate_result *out, sl_xlate_trace_fn fn, void *ctx);

#endif /* SL_XLATE_TRACE_H */
