/* SPDX-License-Identifier: BSD-3-Clause */
/* The CUnit part of the test programs' main(): one suite, its tests in
 * order, verbose, exit status 1 on any failure (every test program uses it as its
 * main, test/dataplane's xt_run_suite between EAL start and stop). */
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
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

#define CUNIT_N_TESTS(t) ((unsigned int)(sizeof(t) / sizeof((t)[0])))

#endif /* SL_TEST_CUNIT_MAIN_H */
