/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests of sl_agent_heap_thp_reexec(): when it leaves the process
 * alone, and (where the kernel's THP mode is "madvise") that it executes
 * the same binary again with glibc.malloc.hugetlb=1 appended to
 * GLIBC_TUNABLES and the same arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "sl_agent.h"

#define CHILD_ARG "--heap-child"
#define OTHER_TUNABLE "glibc.malloc.tcache_count=7"

static char self_path[4096];

static bool
madvise_mode(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f == NULL)
		return false;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, "[madvise]") != NULL;
}

/* Already named (by a first run or the operator), or turned off: no exec. */
static void
test_left_alone(void)
{
	char *argv[] = { self_path, CHILD_ARG, NULL };

	setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1);
	CU_ASSERT_EQUAL(sl_agent_heap_thp_reexec(argv), 0);
	CU_ASSERT_STRING_EQUAL(getenv("GLIBC_TUNABLES"), "glibc.malloc.hugetlb=0");
	unsetenv("GLIBC_TUNABLES");
	setenv("SLUICE_HEAP_THP", "0", 1);
	CU_ASSERT_EQUAL(sl_agent_heap_thp_reexec(argv), 0);
	CU_ASSERT_PTR_NULL(getenv("GLIBC_TUNABLES"));
	unsetenv("SLUICE_HEAP_THP");
	CU_ASSERT_EQUAL(sl_agent_heap_thp_reexec(NULL), 0);
}

/* A child calls it: it must come back as this binary in child mode, with
 * the tunable appended to the one it had (exit 0), never return (99). */
static void
test_reexec(void)
{
	char *argv[] = { self_path, CHILD_ARG, NULL };
	int status = -1;
	pid_t pid;

	if (!madvise_mode()) {
		/* "always" or "never": nothing to ask for, so no exec. */
		CU_ASSERT_EQUAL(sl_agent_heap_thp_reexec(argv), 0);
		CU_ASSERT_PTR_NULL(getenv("GLIBC_TUNABLES"));
		return;
	}
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		setenv("GLIBC_TUNABLES", OTHER_TUNABLE, 1);
		sl_agent_heap_thp_reexec(argv);
		_exit(99);
	}
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
}

int
main(int argc, char **argv)
{
	CU_pSuite s;

	if (argc > 1 && strcmp(argv[1], CHILD_ARG) == 0) {
		const char *t = getenv("GLIBC_TUNABLES");
		const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
		char comm[64] = "";
		FILE *f = fopen("/proc/self/comm", "r");

		/* the process keeps its name (pidof/pgrep), not "exe" */
		if (f == NULL || fgets(comm, sizeof(comm), f) == NULL ||
		    strncmp(comm, base, 15) != 0) {
			fprintf(stderr, "child's comm is \"%s\"\n", comm);
			return 2;
		}
		fclose(f);
		return t && strcmp(t, OTHER_TUNABLE ":glibc.malloc.hugetlb=1") == 0 ? 0 : 1;
	}
	snprintf(self_path, sizeof(self_path), "%s", argv[0]);
	unsetenv("GLIBC_TUNABLES");
	unsetenv("SLUICE_HEAP_THP");
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("agent_heap", NULL, NULL);
	CU_add_test(s, "left_alone", test_left_alone);
	CU_add_test(s, "reexec", test_reexec);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	{
		unsigned int failed = CU_get_number_of_failures();

		CU_cleanup_registry();
		return failed ? 1 : 0;
	}
}
