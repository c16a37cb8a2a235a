/* SPDX-License-Identifier: BSD-3-Clause */
/* The main() every test_execute* program shares (exec_test_util.h). */
#include <stdio.h>

#include "exec_test_util.h"

int
xt_run_suite(const char *suite, const struct cunit_test *tests, unsigned int n,
	     void (*setup)(void), void (*teardown)(void))
{
	int rc;

	if (xt_init() != 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	if (setup != NULL)
		setup();
	rc = cunit_run_suite(suite, tests, n);
	if (teardown != NULL)
		teardown();
	xt_fini();
	return rc;
}
