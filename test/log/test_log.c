/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/log: levels per module, names, and the rate limit per call site. */
#include <string.h>

#include "cunit_main.h"
#include "sl_log.h"

static unsigned int lines;
static char last[512];
static enum sl_log_module last_module;

static void
sink(enum sl_log_module module, enum sl_log_level level, const char *line)
{
	(void)level;
	lines++;
	last_module = module;
	snprintf(last, sizeof(last), "%s", line);
}

static void
test_levels(void)
{
	sl_log_set_sink(sink);
	lines = 0;
	CU_ASSERT_EQUAL(sl_log_level(SL_LOG_PORT), SL_LOG_NOTICE);
	SL_LOG(SL_LOG_PORT, SL_LOG_INFO, "hidden %d", 1);
	CU_ASSERT_EQUAL(lines, 0);
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "port %s: link %s", "a", "up");
	CU_ASSERT_EQUAL(lines, 1);
	CU_ASSERT_STRING_EQUAL(last, "port a: link up");
	CU_ASSERT_EQUAL(last_module, SL_LOG_PORT);
	CU_ASSERT_EQUAL(sl_log_set_level_by_name("port", "debug"), 0);
	SL_LOG(SL_LOG_PORT, SL_LOG_INFO, "shown");
	CU_ASSERT_EQUAL(lines, 2);
	SL_LOG(SL_LOG_OFAGENT, SL_LOG_INFO, "other module: still hidden");
	CU_ASSERT_EQUAL(lines, 2);
	CU_ASSERT_EQUAL(sl_log_set_level_by_name("all", "err"), 0);
	CU_ASSERT_EQUAL(sl_log_level(SL_LOG_MGMT), SL_LOG_ERR);
	CU_ASSERT_EQUAL(sl_log_set_level_by_name("nosuch", "err"), -1);
	CU_ASSERT_EQUAL(sl_log_set_level_by_name("port", "loud"), -1);
	CU_ASSERT_EQUAL(sl_log_level(SL_LOG_PORT), SL_LOG_ERR);
	CU_ASSERT_STRING_EQUAL(sl_log_module_name(SL_LOG_OFCONN), "ofconn");
	CU_ASSERT_STRING_EQUAL(sl_log_level_name(SL_LOG_WARNING), "warning");
	sl_log_set_level_by_name("all", "notice");
}

/* One site floods: SL_LOG_BURST lines, then quiet; another site is not. */
static void
test_rate_limit(void)
{
	struct sl_log_site site = { 0 };

	sl_log_set_sink(sink);
	lines = 0;
	for (int i = 0; i < 1000; i++)
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "flapping %d", i);
	CU_ASSERT_EQUAL(lines, SL_LOG_BURST);
	SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "another site");
	CU_ASSERT_EQUAL(lines, SL_LOG_BURST + 1);
	/* a new window: the count of what was suppressed comes with the next line */
	for (int i = 0; i < 12; i++)
		sl_log_print(&site, SL_LOG_PORT, SL_LOG_WARNING, "x");
	CU_ASSERT_EQUAL(site.suppressed, 2);
	site.window_ns -= SL_LOG_WINDOW_NS;
	sl_log_print(&site, SL_LOG_PORT, SL_LOG_WARNING, "again");
	CU_ASSERT_STRING_EQUAL(last, "again (2 similar lines suppressed)");
	sl_log_set_sink(NULL);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "levels per module", test_levels },
		{ "rate limit per call site", test_rate_limit },
	};

	return cunit_run_suite("log", tests, CUNIT_N_TESTS(tests));
}
