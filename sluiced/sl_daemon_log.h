/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_daemon_log.h
 * sluiced's sink for lib/log: every module a DPDK log type ("sluice.port",
 * "sluice.ofagent", ...), lines through rte_log, so EAL's --log-level
 * (e.g. --log-level=sluice.port:debug) and --syslog apply to them.
 */
#ifndef SL_DAEMON_LOG_H
#define SL_DAEMON_LOG_H

/**
 * Register the log types (after rte_eal_init, which has parsed
 * --log-level), take their levels into lib/log and install the sink.
 * @return 0, or -1 when a type could not be registered (lines then stay on
 *         stderr).
 */
int sl_daemon_log_init(void);

/**
 * Set a module's level (or every module's, @p module "all") in lib/log and
 * rte_log alike.
 * @param module a module name (sl_log_module_name) or "all"
 * @param level  "err", "warning", "notice", "info" or "debug"
 * @return 0, or -1 when a name is unknown.
 */
int sl_daemon_log_set(const char *module, const char *level);

#endif /* SL_DAEMON_LOG_H */
