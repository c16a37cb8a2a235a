/* SPDX-License-Identifier: BSD-3-Clause */
/* The CUnit part of the test programs' main(): one suite, its tests in
 * order, verbose, exit status 1 on any failure or when no test ran. Every
 * CUnit test program's main() ends with it; what a program needs around the
 * run (EAL start and stop, a datapath set up before and torn down after, a
 * child mode selected by argv) stays in that main(), before and after the
 * call (test/dataplane/execute's xt_run_suite wraps it in EAL start/stop). */
#ifndef SL_TEST_CUNIT_MAIN_H
#define SL_TEST_CUNIT_MAIN_H

#include <CUnit/Basic.h>

struct cunit_test {
	const char *name;
	CU_TestFunc fn;
};

static inline int
cunit_run_suite(const char *suite, const struct cunit_test *tests, unsigned int n)
{
	CU_pSuite s;
	unsigned int failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite(suite, NULL, NULL);
	for (unsigned int i = 0; i < n; i++)
		CU_add_test(s, tests[i].name, tests[i].fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	if (CU_get_number_of_tests_run() == 0)
		failed = 1;
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

#define CUNIT_N_TESTS(t) ((unsigned int)(sizeof(t) / sizeof((t)[0])))

#endif /* SL_TEST_CUNIT_MAIN_H */
