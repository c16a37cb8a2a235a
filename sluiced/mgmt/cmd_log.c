/* SPDX-License-Identifier: BSD-3-Clause */
/* `log-levels` and `set log-level MODULE LEVEL` (lib/log, sl_daemon_log.h). */
#include <string.h>

#include "sl_daemon_log.h"
#include "sl_log.h"
#include "sl_mgmt_cmds.h"

int
sl_mgmt_cmd_log_levels(void *ctx, int argc, char **argv, struct sl_out *out)
{
	(void)ctx; (void)argc; (void)argv;
	sl_out_list(out, "log_levels");
	for (int m = 0; m < SL_LOG_N_MODULES; m++) {
		sl_out_record(out);
		sl_out_str(out, "module", "%s", sl_log_module_name(m));
		sl_out_str(out, "rte_log_type", "sluice.%s", sl_log_module_name(m));
		sl_out_str(out, "level", "%s", sl_log_level_name(sl_log_level(m)));
	}
	return 0;
}

int
sl_mgmt_cmd_set(void *ctx, int argc, char **argv, struct sl_out *out)
{
	(void)argc;
	if (strcmp(argv[1], "log-level") != 0 || argc != 4)
		return sl_out_error(out, "usage: set log-level MODULE|all "
				    "err|warning|notice|info|debug");
	if (sl_daemon_log_set(argv[2], argv[3]) < 0)
		return sl_out_error(out, "unknown module \"%.32s\" or level \"%.32s\" (modules: "
				    "see log-levels; levels: err warning notice info debug)",
				    argv[2], argv[3]);
	return sl_mgmt_cmd_log_levels(ctx, 1, argv, out);
}
