/* SPDX-License-Identifier: BSD-3-Clause */
/* The main() every test_execute* program shares, and the fixture most of
 * their tests start and end with: the CUnit side of exec_test_util.h. */
#include <stdio.h>
#include <string.h>

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

void
xt_fx_start(struct xt_fx *f)
{
	memset(&f->st, 0, sizeof(f->st));
	xt_env(&f->env, &f->c);
	f->avail0 = xt_avail();
}

void
xt_fx_end(struct xt_fx *f)
{
	xt_cap_free(&f->c);
	CU_ASSERT_EQUAL(xt_avail(), f->avail0);
}
