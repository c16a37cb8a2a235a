/* SPDX-License-Identifier: BSD-3-Clause */
/* The main() every test_execute* program shares (exec_test_util.h). */
#include <stdio.h>

#include <CUnit/Basic.h>

#include "exec_test_util.h"

int
xt_run_suite(const char *suite, const struct xt_test *tests, unsigned int n,
	     void (*setup)(void), void (*teardown)(void))
{
	unsigned int failures;
	CU_pSuite s;

	if (xt_init() != 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	if (setup != NULL)
		setup();
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite(suite, NULL, NULL);
	for (unsigned int i = 0; i < n; i++)
		CU_add_test(s, tests[i].name, tests[i].fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	if (teardown != NULL)
		teardown();
	xt_fini();
	return failures ? 1 : 0;
}
