/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/log's lines through rte_log (sl_daemon_log.h). lib/log filters by
 * its own levels (so the OpenFlow agent, which has no DPDK, logs the same
 * way in its tests); the rte_log types carry the same levels, kept equal
 * here, so that what EAL's --log-level says at start, and what `sluicectl
 * set log-level` says later, holds for both.
 */
#include <stdio.h>

#include <rte_log.h>

#include "sl_daemon_log.h"
#include "sl_log.h"

static int types[SL_LOG_N_MODULES];
static bool registered;

static void
rte_sink(enum sl_log_module module, enum sl_log_level level, const char *line)
{
	rte_log((uint32_t)level, (uint32_t)types[module], "%s\n", line);
}

int
sl_daemon_log_init(void)
{
	for (int m = 0; m < SL_LOG_N_MODULES; m++) {
		char name[32];
		int lv;

		snprintf(name, sizeof(name), "sluice.%s", sl_log_module_name(m));
		types[m] = rte_log_register_type_and_pick_level(name, RTE_LOG_NOTICE);
		if (types[m] < 0)
			return -1;
		lv = rte_log_get_level((uint32_t)types[m]);
		if (lv < SL_LOG_ERR)
			lv = SL_LOG_ERR; /* lib/log always keeps errors */
		if (lv > SL_LOG_DEBUG)
			lv = SL_LOG_DEBUG;
		sl_log_set_level(m, (enum sl_log_level)lv);
		rte_log_set_level((uint32_t)types[m], (uint32_t)lv);
	}
	registered = true;
	sl_log_set_sink(rte_sink);
	return 0;
}

int
sl_daemon_log_set(const char *module, const char *level)
{
	if (sl_log_set_level_by_name(module, level) < 0)
		return -1;
	for (int m = 0; registered && m < SL_LOG_N_MODULES; m++)
		rte_log_set_level((uint32_t)types[m], (uint32_t)sl_log_level(m));
	return 0;
}
