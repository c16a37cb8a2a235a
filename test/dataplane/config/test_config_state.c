/* SPDX-License-Identifier: BSD-3-Clause */
/* [switch] state_file and state_restore (sluiced/sl_state.h): the default
 * when absent (none), the embedded default's path, what is refused. */
#include "config_test_util.h"
#include "cunit_main.h"

#define HEAD "[switch]\nworkers = 1\n"

static void
test_defaults(void)
{
	CU_ASSERT_EQUAL_FATAL(load(HEAD), 0);
	CU_ASSERT_STRING_EQUAL(cfg.state_file, "");
	CU_ASSERT_FALSE(cfg.no_state_restore);
	CU_ASSERT_EQUAL_FATAL(sl_config_load_string(&cfg, sl_config_embedded_default, "<embedded>",
						    err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(cfg.state_file, SL_CONFIG_STATE_FILE);
	CU_ASSERT_STRING_EQUAL(cfg.state_file, "/var/run/sluice/sluiced.state");
}

static void
test_values(void)
{
	CU_ASSERT_EQUAL_FATAL(load(HEAD "state_file = /tmp/x.state\nstate_restore = no\n"), 0);
	CU_ASSERT_STRING_EQUAL(cfg.state_file, "/tmp/x.state");
	CU_ASSERT_TRUE(cfg.no_state_restore);
	CU_ASSERT_EQUAL_FATAL(load(HEAD "state_file = none\nstate_restore = yes\n"), 0);
	CU_ASSERT_STRING_EQUAL(cfg.state_file, "");
	CU_ASSERT_FALSE(cfg.no_state_restore);
}

static void
test_refused(void)
{
	char text[512];

	expect_error(HEAD "state_file = relative.state\n", 3, "absolute path");
	expect_error(HEAD "state_restore = maybe\n", 3, "\"yes\" or \"no\"");
	/* room for ".tmp" and ".bad" next to it */
	snprintf(text, sizeof(text), HEAD "state_file = /%0252d\n", 0);
	expect_error(text, 3, "at most 251 characters");
	snprintf(text, sizeof(text), HEAD "state_file = /%0250d\n", 0);
	CU_ASSERT_EQUAL(load(text), 0);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "defaults", test_defaults },
		{ "values", test_values },
		{ "refused", test_refused },
	};

	return cunit_run_suite("config_state", tests, CUNIT_N_TESTS(tests));
}
