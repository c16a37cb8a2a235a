/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rules on transparent huge pages (see sl_agent_heap_thp_reexec() in
 * sl_agent.h).
 *
 * Why: a rule costs about 1 KB of glibc heap (the rule with its match,
 * the classifier node, its instructions, prefix-trie nodes, index slots),
 * and memory the heap has never used before is faulted in 4 KiB at a
 * time: adding 100k rules took about 25k page faults, a third of the
 * agent's time per flow-mod (perf, bench_flowmod). With THP in "madvise"
 * mode (Debian's default) the heap only gets 2 MiB pages if malloc asks
 * for them, which glibc (>= 2.35) does when its tunable
 * glibc.malloc.hugetlb=1 is set. Tunables are read when the process
 * starts, so the only way to set it from inside is to execute the same
 * binary again with it in the environment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_agent.h"

#define THP_MODE_FILE "/sys/kernel/mm/transparent_hugepage/enabled"
#define TUNABLE "glibc.malloc.hugetlb=1"

/* True iff the kernel gives huge pages only to regions that ask (madvise). */
static bool
thp_madvise_mode(void)
{
	char buf[128] = "";
	FILE *f = fopen(THP_MODE_FILE, "r");

	if (f == NULL)
		return false;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, "[madvise]") != NULL;
}

int
sl_agent_heap_thp_reexec(char **argv)
{
	const char *opt = getenv("SLUICE_HEAP_THP");
	const char *old = getenv("GLIBC_TUNABLES");
	char val[1024], path[4096];

	/* Already set (by us on the first run, or by the operator), turned
	 * off, or pointless ("always": the heap gets them anyway; "never"). */
	if ((opt != NULL && strcmp(opt, "0") == 0) || argv == NULL || argv[0] == NULL ||
	    (old != NULL && strstr(old, "glibc.malloc.hugetlb") != NULL) || !thp_madvise_mode())
		return 0;
	if (old != NULL && old[0] != '\0') {
		if ((size_t)snprintf(val, sizeof(val), "%s:%s", old, TUNABLE) >= sizeof(val))
			return 0;
	} else {
		snprintf(val, sizeof(val), "%s", TUNABLE);
	}
	if (setenv("GLIBC_TUNABLES", val, 1) != 0)
		return -errno;
	/* The binary's own path, not /proc/self/exe: the process name (comm)
	 * is taken from the path executed, and operators find the switch with
	 * pidof/pgrep sluiced ("exe" otherwise). */
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n > 0 && (size_t)n < sizeof(path) - 1) {
		path[n] = '\0';
		execv(path, argv);
	}
	execv("/proc/self/exe", argv);
	/* Still here: exec failed; go on with the heap as it is. */
	int err = errno;

	if (old != NULL)
		setenv("GLIBC_TUNABLES", old, 1);
	else
		unsetenv("GLIBC_TUNABLES");
	return -err;
}
