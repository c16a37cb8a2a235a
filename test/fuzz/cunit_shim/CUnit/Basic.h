/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stand-in for <CUnit/Basic.h> in the libFuzzer builds (scripts/fuzz.sh puts
 * test/fuzz/cunit_shim first on the include path): test helpers compiled
 * into a harness (test/pipeline/xlate_ref.c, test/dataplane/execute/
 * exec_test_util.c) keep their CUnit checks, and a failed one aborts with
 * its location, which is what libFuzzer reports as a crash. No registry, no
 * suites: the few CUnit calls cunit_main.h makes are stubs.
 */
#ifndef SL_FUZZ_CUNIT_SHIM_H
#define SL_FUZZ_CUNIT_SHIM_H

#include <stdio.h>
#include <stdlib.h>

static inline void
sl_fuzz_cu_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

#define SL_FUZZ_CU_CHECK(c, what) \
	do { \
		if (!(c)) \
			sl_fuzz_cu_fail(what, __FILE__, __LINE__); \
	} while (0)

#define CU_ASSERT(c) SL_FUZZ_CU_CHECK(c, #c)
#define CU_ASSERT_FATAL(c) SL_FUZZ_CU_CHECK(c, #c)
#define CU_ASSERT_TRUE(c) SL_FUZZ_CU_CHECK(c, #c)
#define CU_ASSERT_FALSE(c) SL_FUZZ_CU_CHECK(!(c), "!(" #c ")")
#define CU_ASSERT_EQUAL(a, b) SL_FUZZ_CU_CHECK((a) == (b), #a " == " #b)
#define CU_ASSERT_EQUAL_FATAL(a, b) SL_FUZZ_CU_CHECK((a) == (b), #a " == " #b)
#define CU_ASSERT_NOT_EQUAL(a, b) SL_FUZZ_CU_CHECK((a) != (b), #a " != " #b)
#define CU_ASSERT_PTR_EQUAL(a, b) SL_FUZZ_CU_CHECK((a) == (b), #a " == " #b)
#define CU_ASSERT_PTR_NOT_NULL(p) SL_FUZZ_CU_CHECK((p) != NULL, #p " != NULL")
#define CU_ASSERT_PTR_NOT_NULL_FATAL(p) SL_FUZZ_CU_CHECK((p) != NULL, #p " != NULL")
#define CU_FAIL(msg) sl_fuzz_cu_fail(msg, __FILE__, __LINE__)

/* What test/common/cunit_main.h calls: never run in a harness. */
typedef void (*CU_TestFunc)(void);
typedef void *CU_pSuite;
enum { CUE_SUCCESS = 0, CU_BRM_VERBOSE = 2 };
static inline int CU_initialize_registry(void) { return CUE_SUCCESS; }
static inline CU_pSuite CU_add_suite(const char *n, void *i, void *c) { (void)n; (void)i; (void)c; return NULL; }
static inline void *CU_add_test(CU_pSuite s, const char *n, CU_TestFunc f) { (void)s; (void)n; (void)f; return NULL; }
static inline void CU_basic_set_mode(int m) { (void)m; }
static inline int CU_basic_run_tests(void) { return 0; }
static inline unsigned int CU_get_number_of_failures(void) { return 0; }
static inline unsigned int CU_get_number_of_tests_failed(void) { return 0; }
static inline unsigned int CU_get_number_of_tests_run(void) { return 0; }
static inline void CU_cleanup_registry(void) { }

#endif /* SL_FUZZ_CUNIT_SHIM_H */
