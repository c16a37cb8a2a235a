/* SPDX-License-Identifier: BSD-3-Clause */
/* The start of every flow-mod a test builds for sl_pipeline_flow_mod(): a
 * command on a table at a priority, matching everything, no out_port or
 * out_group filter, no instructions. The tests of the pipeline, the fast
 * path and the executor each had their own copy. */
#ifndef SL_TEST_FLOW_MOD_H
#define SL_TEST_FLOW_MOD_H

#include <stdint.h>
#include <string.h>

#include "sl_flow_consts.h"
#include "sl_match.h"
#include "sl_pipeline.h"

static inline struct sl_flow_mod
fm_new(uint8_t cmd, uint8_t table, uint16_t prio)
{
	struct sl_flow_mod fm;

	memset(&fm, 0, sizeof(fm));
	fm.command = cmd;
	fm.table_id = table;
	fm.priority = prio;
	fm.out_port = OFPP_ANY;
	fm.out_group = OFPG_ANY;
	sl_match_init_catchall(&fm.match);
	return fm;
}

#endif /* SL_TEST_FLOW_MOD_H */
