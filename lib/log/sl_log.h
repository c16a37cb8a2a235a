/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_log.h
 * Logging for the state changes an operator wants to see (a port up or
 * down, a controller connected, lost or changing role, a limit hit),
 * with a level per module and a rate limit per call site: never a line
 * per packet, and a flood of the same event costs a few lines.
 *
 * The library is free of DPDK, so the OpenFlow agent logs through it too.
 * Where a line goes is the sink's business: by default stderr; sluiced
 * installs one that hands it to rte_log with a log type per module
 * ("sluice.port", "sluice.ofagent", ...), so EAL's --log-level and
 * --syslog apply, and `sluicectl set log-level` changes a module's level.
 */
#ifndef SL_LOG_H
#define SL_LOG_H

#include <stdbool.h>
#include <stdint.h>

/** Levels, numbered as rte_log's (RTE_LOG_ERR = 4 ... RTE_LOG_DEBUG = 8). */
enum sl_log_level {
	SL_LOG_ERR = 4,     /**< something failed: a port, a connection */
	SL_LOG_WARNING = 5, /**< works, but not as configured or not for long */
	SL_LOG_NOTICE = 6,  /**< a state change (the default level) */
	SL_LOG_INFO = 7,    /**< details of a state change */
	SL_LOG_DEBUG = 8,   /**< for developers */
};

/** The modules, each a log type of its own. */
enum sl_log_module {
	SL_LOG_PORT = 0,   /**< ports: link, added, removed, reset */
	SL_LOG_DATAPATH,   /**< workers, queues, memory */
	SL_LOG_OFAGENT,    /**< OpenFlow sessions: connected, lost, roles */
	SL_LOG_OFCONN,     /**< OpenFlow transport: TCP, TLS, Unix sockets */
	SL_LOG_PIPELINE,   /**< tables, groups, MAC learning limits */
	SL_LOG_MGMT,       /**< the management socket */
	SL_LOG_N_MODULES   /**< number of modules */
};

/** A call site's rate limit state (SL_LOG keeps one per site). */
struct sl_log_site {
	uint64_t window_ns;  /**< start of the current window */
	uint32_t lines;      /**< lines printed in it */
	uint32_t suppressed; /**< lines dropped since the last one printed */
};

/** Lines one call site may print per window, then it is quiet. */
#define SL_LOG_BURST 10u
/** The rate limit's window, in nanoseconds (5 s). */
#define SL_LOG_WINDOW_NS 5000000000ull

/**
 * Where lines go: called with the module, the level and the line (no
 * newline). May be called from any thread.
 */
typedef void (*sl_log_sink_fn)(enum sl_log_module module, enum sl_log_level level,
			       const char *line);

/**
 * Send lines to @p fn (NULL: back to stderr).
 * @param fn the sink
 */
void sl_log_set_sink(sl_log_sink_fn fn);

/**
 * Would a line of @p level in @p module be printed?
 * @param module the module
 * @param level  the line's level
 * @return true if the module's level lets it through.
 */
bool sl_log_enabled(enum sl_log_module module, enum sl_log_level level);

/**
 * A module's level.
 * @param module the module
 * @return its level (lines above it are not printed).
 */
enum sl_log_level sl_log_level(enum sl_log_module module);

/**
 * Set the level of the module named @p module ("port", "ofagent", ...; or
 * "all") from @p level's name ("err", "warning", "notice", "info",
 * "debug").
 * @param module a module name or "all"
 * @param level  a level name
 * @return 0, or -1 when either name is unknown.
 */
int sl_log_set_level_by_name(const char *module, const char *level);

/**
 * Set a module's level.
 * @param module the module
 * @param level  its new level
 */
void sl_log_set_level(enum sl_log_module module, enum sl_log_level level);

/**
 * A module's name ("port", "ofagent", ...).
 * @param module the module
 * @return the name.
 */
const char *sl_log_module_name(enum sl_log_module module);

/**
 * A level's name ("err" ... "debug").
 * @param level the level
 * @return the name, "?" when out of range.
 */
const char *sl_log_level_name(enum sl_log_level level);

/**
 * Print a line (use SL_LOG, which checks the level first and keeps the
 * site's rate limit).
 * @param site   the call site's rate limit state
 * @param module the module
 * @param level  the level
 * @param fmt    printf format
 */
void sl_log_print(struct sl_log_site *site, enum sl_log_module module, enum sl_log_level level,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/** Log a line from module @p mod at level @p lvl, rate-limited per call site. */
#define SL_LOG(mod, lvl, ...)                                                   \
	do {                                                                    \
		static struct sl_log_site sl_log_site_;                        \
		if (sl_log_enabled((mod), (lvl)))                               \
			sl_log_print(&sl_log_site_, (mod), (lvl), __VA_ARGS__); \
	} while (0)

#endif /* SL_LOG_H */
