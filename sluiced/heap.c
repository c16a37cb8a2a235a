/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rules on transparent huge pages (see sl_heap_thp_reexec() in
 * sl_heap.h).
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
 *
 * Even on 2 MiB pages, the first touch of heap memory costs a fault and a
 * page the kernel zeroes; in a VM that can be most of a burst of new rules
 * (PVP S5 on the 2-vCPU benchmark VM: clear_page_erms 44 % of sluiced's
 * time). sl_heap_prefault() ([switch] heap_reserve_mb) pays it once
 * at start, in large blocks, and keeps the memory.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_heap.h"

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
sl_heap_thp_reexec(char **argv)
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

/* Blocks the pre-fault touches: below glibc's largest mmap threshold, so
 * that, with the threshold raised to it, they come from the heap (sbrk)
 * and stay there once freed. */
#define PREFAULT_BLOCK (16u << 20)

int
sl_heap_prefault(unsigned int mib)
{
	size_t n = ((size_t)mib << 20) / PREFAULT_BLOCK;
	void **blocks;
	size_t got = 0;

	if (n == 0)
		return 0;
	blocks = calloc(n, sizeof(*blocks));
	if (blocks == NULL)
		return -ENOMEM;
	/* Freed memory is kept (no trim), and blocks of PREFAULT_BLOCK come
	 * from the heap, not from mmap: both settings also hold afterwards,
	 * which is the point (a deleted rule's memory is reused, not given
	 * back and faulted in again). */
	if (mallopt(M_TRIM_THRESHOLD, INT32_MAX) != 1 ||
	    mallopt(M_MMAP_THRESHOLD, (int)PREFAULT_BLOCK + (1 << 20)) != 1) {
		free(blocks);
		return -EINVAL;
	}
	for (got = 0; got < n; got++) {
		volatile char *b = malloc(PREFAULT_BLOCK);

		if (b == NULL)
			break;
		/* one write per 4 KiB page (volatile: a memset of memory that
		 * is freed unread is a dead store the compiler may drop) */
		for (size_t off = 0; off < PREFAULT_BLOCK; off += 4096)
			b[off] = 0;
		blocks[got] = (void *)(uintptr_t)b;
	}
	while (got > 0)
		free(blocks[--got]);
	free(blocks);
	return 0;
}
