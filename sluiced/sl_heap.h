/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_HEAP_H
#define SL_HEAP_H

/**
 * @file
 * sluiced's malloc heap, where the OpenFlow rules live: on transparent huge
 * pages, and faulted in ahead of the rules (heap.c says why).
 */

#include <stdbool.h>

/**
 * Put the process's malloc heap, where rules live, on transparent huge pages.
 *
 * With the kernel's THP mode "madvise", glibc's heap gets 2 MiB pages only
 * when its tunable glibc.malloc.hugetlb=1 is set, which glibc reads at start
 * only: this sets it (appended to any GLIBC_TUNABLES) and executes
 * /proc/self/exe again with the same @p argv (same pid). Call it first thing
 * in main(), before any thread, output or allocation that matters.
 *
 * Does nothing (returns 0) if GLIBC_TUNABLES already names
 * glibc.malloc.hugetlb (the second run, or the operator's choice), if
 * SLUICE_HEAP_THP=0, or if the THP mode is not "madvise". Returns only then,
 * or with -errno when the exec failed (the environment is restored and the
 * caller may go on as before).
 * @param argv main()'s argv, executed again as it is
 * @return 0 when nothing was to be done, or -errno when the exec failed
 *         (on success it does not return).
 */
int sl_heap_thp_reexec(char **argv);

/**
 * Touch @p mib MiB of the malloc heap now and keep it: the rules created
 * later reuse memory that is already faulted in, instead of paying a page
 * fault (and the kernel zeroing the page) on first use. Also stops glibc
 * from returning freed heap memory to the kernel. Call from the thread that
 * creates rules (the control lcore: glibc's main arena), before it does.
 * @param mib how much heap to fault in, in MiB ([switch] heap_reserve_mb)
 * @return 0, or -errno (the heap is then as it was, or partly touched).
 */
int sl_heap_prefault(unsigned int mib);

#endif /* SL_HEAP_H */
