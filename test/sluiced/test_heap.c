/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests of sl_heap_thp_reexec(): when it leaves the process
 * alone, and (where the kernel's THP mode is "madvise") that it executes
 * the same binary again with glibc.malloc.hugetlb=1 appended to
 * GLIBC_TUNABLES and the same arguments. And of sl_heap_prefault():
 * the memory is resident afterwards, rule-sized allocations reuse it, and
 * freeing them does not give it back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "sl_heap.h"

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
	CU_ASSERT_EQUAL(sl_heap_thp_reexec(argv), 0);
	CU_ASSERT_STRING_EQUAL(getenv("GLIBC_TUNABLES"), "glibc.malloc.hugetlb=0");
	unsetenv("GLIBC_TUNABLES");
	setenv("SLUICE_HEAP_THP", "0", 1);
	CU_ASSERT_EQUAL(sl_heap_thp_reexec(argv), 0);
	CU_ASSERT_PTR_NULL(getenv("GLIBC_TUNABLES"));
	unsetenv("SLUICE_HEAP_THP");
	CU_ASSERT_EQUAL(sl_heap_thp_reexec(NULL), 0);
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
		CU_ASSERT_EQUAL(sl_heap_thp_reexec(argv), 0);
		CU_ASSERT_PTR_NULL(getenv("GLIBC_TUNABLES"));
		return;
	}
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		setenv("GLIBC_TUNABLES", OTHER_TUNABLE, 1);
		sl_heap_thp_reexec(argv);
		_exit(99);
	}
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
}

/* Resident anonymous memory of this process, in KiB (-1: unknown). */
static long
rss_anon_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "RssAnon: %ld kB", &kib) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kib;
}

#define PREFAULT_MIB 64
#define N_SMALL 32768 /* 32 MiB of 1 KiB blocks, like rules */

/* In a child (the malloc settings it changes stay there): 0 when all holds,
 * else the number of the check that failed. */
static int
prefault_child(void)
{
	static void *small[N_SMALL];
	long r0 = rss_anon_kib(), r1, r2, r3;

	if (r0 < 0)
		return 1;
	if (sl_heap_prefault(PREFAULT_MIB) != 0)
		return 2;
	r1 = rss_anon_kib();
	if (r1 - r0 < (PREFAULT_MIB - 4) * 1024L) /* faulted in, and kept */
		return 3;
	for (unsigned int i = 0; i < N_SMALL; i++) {
		small[i] = malloc(1024);
		if (small[i] == NULL)
			return 4;
		memset(small[i], 0xa5, 1024);
	}
	r2 = rss_anon_kib();
	if (r2 - r1 > 4 * 1024L) /* the rules' memory was there already */
		return 5;
	for (unsigned int i = 0; i < N_SMALL; i++)
		free(small[i]);
	r3 = rss_anon_kib();
	if (r1 - r3 > 4 * 1024L) /* and it is not given back */
		return 6;
	return 0;
}

static void
test_prefault(void)
{
	int status = -1;
	pid_t pid;

	CU_ASSERT_EQUAL(sl_heap_prefault(0), 0); /* nothing to do */
#ifdef __SANITIZE_ADDRESS__
	/* ASan's allocator has its own pools and ignores mallopt() */
	printf("(not under ASan) ");
	return;
#endif
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		_exit(prefault_child());
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		fprintf(stderr, "prefault check %d failed\n", WEXITSTATUS(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
}

int
main(int argc, char **argv)
{
	static const struct cunit_test tests[] = {
		{ "left_alone", test_left_alone },
		{ "reexec", test_reexec },
		{ "prefault", test_prefault },
	};

	if (argc > 1 && strcmp(argv[1], CHILD_ARG) == 0) {
		const char *t = getenv("GLIBC_TUNABLES");
		const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
		char comm[64] = "";
		FILE *f = fopen("/proc/self/comm", "r");

		/* the process keeps its name (pidof/pgrep), not "exe" */
		if (f == NULL || fgets(comm, sizeof(comm), f) == NULL ||
		    (comm[strcspn(comm, "\n")] = '\0', strncmp(comm, base, 15) != 0)) {
			fprintf(stderr, "child's comm is \"%s\"\n", comm);
			return 2;
		}
		fclose(f);
		return t && strcmp(t, OTHER_TUNABLE ":glibc.malloc.hugetlb=1") == 0 ? 0 : 1;
	}
	snprintf(self_path, sizeof(self_path), "%s", argv[0]);
	unsetenv("GLIBC_TUNABLES");
	unsetenv("SLUICE_HEAP_THP");
	return cunit_run_suite("heap", tests, CUNIT_N_TESTS(tests));
}
