/* SPDX-License-Identifier: BSD-3-Clause */
/* The management commands sluiced answers (sl_mgmt_cmds.h), in help order. */
#include "sl_mgmt_cmds.h"

const struct sl_mgmt_cmd sl_mgmt_cmds[] = {
	{ "show", "", "ports, workers and OpenFlow counters", 0, 0, sl_mgmt_cmd_show },
	{ "drops", "[--all]", "named drop counters, per port and per worker (--all: zeros too)",
	  0, 1, sl_mgmt_cmd_drops },
	{ "dump-macs", "", "NORMAL's MAC learning table", 0, 0, sl_mgmt_cmd_dump_macs },
	{ "reset-stats", "", "count show's and drops' counters from 0 (not OpenFlow's)", 0, 0,
	  sl_mgmt_cmd_reset_stats },
	{ "log-levels", "", "each module's log level (rte_log type sluice.MODULE)", 0, 0,
	  sl_mgmt_cmd_log_levels },
	{ "set", "log-level MODULE|all LEVEL", "change a module's log level", 3, 3,
	  sl_mgmt_cmd_set },
};

const unsigned int sl_mgmt_n_cmds = sizeof(sl_mgmt_cmds) / sizeof(sl_mgmt_cmds[0]);
