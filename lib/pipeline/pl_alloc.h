/* SPDX-License-Identifier: BSD-3-Clause */
/* Every allocation of lib/pipeline goes through here, so that a test can make
 * the Nth one fail (sl_pipeline_fail_alloc) and check that each operation
 * fails cleanly: an error, the tables as they were, nothing leaked. */
#ifndef SL_PL_ALLOC_H
#define SL_PL_ALLOC_H

#include <stdbool.h>
#include <stdlib.h>

extern unsigned long pl_alloc_n, pl_alloc_fail_at;

/* Count one allocation; true when it is the one to fail. Relaxed atomics:
 * workers allocate on the miss path (recirculation ids) while the control
 * lcore does on flow-mods; the counter only has to stay coherent. */
static inline bool
pl_alloc_fails(void)
{
	unsigned long n = __atomic_add_fetch(&pl_alloc_n, 1, __ATOMIC_RELAXED);
	unsigned long at = __atomic_load_n(&pl_alloc_fail_at, __ATOMIC_RELAXED);
	return at != 0 && n == at;
}

static inline void *
pl_malloc(size_t sz)
{
	return pl_alloc_fails() ? NULL : malloc(sz);
}

static inline void *
pl_calloc(size_t n, size_t sz)
{
	return pl_alloc_fails() ? NULL : calloc(n, sz);
}

static inline void *
pl_aligned_alloc(size_t align, size_t sz)
{
	return pl_alloc_fails() ? NULL : aligned_alloc(align, sz);
}

#endif /* SL_PL_ALLOC_H */
