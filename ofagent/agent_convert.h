/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_CONVERT_H
#define SL_AGENT_CONVERT_H

/**
 * @file
 * INTERNAL to ofagent/: conversion between the wire codec's structures
 * (OXM lists, ofp actions and instructions) and the pipeline's (sl_match,
 * sl_action, sl_instructions), both ways. Errors are packed as
 * SL_OFPERR(type, code) like the pipeline's.
 */

#include "agent_private.h"
#include "sl_pipeline.h"

/** Scratch storage behind a converted instruction set; free with agent_ins_free(). */
struct agent_ins {
	struct sl_instructions ins;
	struct sl_action *apply, *write;
};

/** OXM list -> match, prerequisites checked. 0 or SL_OFPERR(BAD_MATCH, code). */
int agent_match_from_ofp(const struct sl_ofp_match *om, struct sl_match *m);

/** Match -> OXM list allocated in @p owner's arena. 0 or -1 (no memory). */
int agent_match_to_ofp(const struct sl_match *m, struct sl_ofp_msg *owner,
		       struct sl_ofp_match *out);

/** ofp actions -> pipeline actions (@p out has room for @p n). 0 or SL_OFPERR. */
int agent_actions_from_ofp(const struct sl_ofp_action *oa, uint32_t n, struct sl_action *out);

/** Pipeline actions -> ofp actions in @p owner's arena. NULL on no memory (n = 0: non-NULL). */
struct sl_ofp_action *agent_actions_to_ofp(const struct sl_action *acts, unsigned int n,
					   struct sl_ofp_msg *owner);

/**
 * ofp instructions -> pipeline instructions, checking goto against
 * @p n_tables and @p table_id (goto must go forward). 0 or SL_OFPERR.
 */
int agent_ins_from_ofp(const struct sl_ofp_instruction *oi, uint32_t n, uint8_t table_id,
		       uint8_t n_tables, struct agent_ins *out);

/** Free what agent_ins_from_ofp() allocated. */
void agent_ins_free(struct agent_ins *ai);

/** Pipeline instructions -> ofp instructions in @p owner's arena. -1 on no memory. */
int agent_ins_to_ofp(const struct sl_instructions *ins, struct sl_ofp_msg *owner,
		     struct sl_ofp_instruction **out, uint32_t *n_out);

/** True if any action in the rule's instructions outputs to @p port. */
bool agent_ins_outputs_to(const struct sl_instructions *ins, uint32_t port);

/** True if any action in the rule's instructions uses group @p group. */
bool agent_ins_uses_group(const struct sl_instructions *ins, uint32_t group);

#endif /* SL_AGENT_CONVERT_H */
