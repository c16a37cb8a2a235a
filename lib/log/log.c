/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Logging (sl_log.h). Levels are one byte per module, read without locks
 * (a level change racing a line may let that one line through or not).
 * The rate limit is per call site and not thread-safe on purpose: sites
 * that log are on the control lcore, or rare enough (a port event from
 * DPDK's interrupt thread) that a lost count is no harm; a miscount can
 * only print a line more or less, never block.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sl_log.h"

static const char *const module_names[SL_LOG_N_MODULES] = {
	[SL_LOG_PORT] = "port", [SL_LOG_DATAPATH] = "datapath", [SL_LOG_OFAGENT] = "ofagent",
	[SL_LOG_OFCONN] = "ofconn", [SL_LOG_PIPELINE] = "pipeline", [SL_LOG_MGMT] = "mgmt",
};

static const char *const level_names[] = {
	[SL_LOG_ERR] = "err", [SL_LOG_WARNING] = "warning", [SL_LOG_NOTICE] = "notice",
	[SL_LOG_INFO] = "info", [SL_LOG_DEBUG] = "debug",
};

static uint8_t levels[SL_LOG_N_MODULES] = {
	SL_LOG_NOTICE, SL_LOG_NOTICE, SL_LOG_NOTICE, SL_LOG_NOTICE, SL_LOG_NOTICE, SL_LOG_NOTICE,
};

static void
stderr_sink(enum sl_log_module module, enum sl_log_level level, const char *line)
{
	(void)module; (void)level;
	fprintf(stderr, "%s\n", line);
}

static sl_log_sink_fn sink = stderr_sink;

void
sl_log_set_sink(sl_log_sink_fn fn)
{
	sink = fn ? fn : stderr_sink;
}

bool
sl_log_enabled(enum sl_log_module module, enum sl_log_level level)
{
	return (unsigned int)module < SL_LOG_N_MODULES &&
	       (unsigned int)level <= __atomic_load_n(&levels[module], __ATOMIC_RELAXED);
}

enum sl_log_level
sl_log_level(enum sl_log_module module)
{
	return (enum sl_log_level)__atomic_load_n(&levels[module], __ATOMIC_RELAXED);
}

void
sl_log_set_level(enum sl_log_module module, enum sl_log_level level)
{
	if ((unsigned int)module < SL_LOG_N_MODULES)
		__atomic_store_n(&levels[module], (uint8_t)level, __ATOMIC_RELAXED);
}

const char *
sl_log_module_name(enum sl_log_module module)
{
	return (unsigned int)module < SL_LOG_N_MODULES ? module_names[module] : "?";
}

const char *
sl_log_level_name(enum sl_log_level level)
{
	return level >= SL_LOG_ERR && level <= SL_LOG_DEBUG ? level_names[level] : "?";
}

int
sl_log_set_level_by_name(const char *module, const char *level)
{
	int lv = -1, m = -1;

	for (int l = SL_LOG_ERR; l <= SL_LOG_DEBUG; l++)
		if (strcmp(level, level_names[l]) == 0)
			lv = l;
	if (strcmp(module, "all") != 0)
		for (int i = 0; i < SL_LOG_N_MODULES; i++)
			if (strcmp(module, module_names[i]) == 0)
				m = i;
	if (lv < 0 || (m < 0 && strcmp(module, "all") != 0))
		return -1;
	for (int i = 0; i < SL_LOG_N_MODULES; i++)
		if (m < 0 || i == m)
			sl_log_set_level((enum sl_log_module)i, (enum sl_log_level)lv);
	return 0;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void
sl_log_print(struct sl_log_site *site, enum sl_log_module module, enum sl_log_level level,
	     const char *fmt, ...)
{
	uint64_t now = now_ns();
	char line[512];
	size_t n = 0;
	va_list ap;

	if (now - site->window_ns >= SL_LOG_WINDOW_NS) {
		site->window_ns = now;
		site->lines = 0;
	}
	if (site->lines >= SL_LOG_BURST) {
		site->suppressed++;
		return;
	}
	site->lines++;
	va_start(ap, fmt);
	n = (size_t)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (site->suppressed && n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, " (%u similar lines suppressed)",
			 site->suppressed);
	site->suppressed = 0;
	sink(module, level, line);
}
