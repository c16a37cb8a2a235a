/* SPDX-License-Identifier: BSD-3-Clause */
/* Allocation-failure injection for tests (see pl_alloc.h). */
#include "pl_alloc.h"
#include "sl_pipeline.h"

unsigned long pl_alloc_n, pl_alloc_fail_at;

void
sl_pipeline_fail_alloc(unsigned long n)
{
	unsigned long now = __atomic_load_n(&pl_alloc_n, __ATOMIC_RELAXED);
	__atomic_store_n(&pl_alloc_fail_at, n ? now + n : 0, __ATOMIC_RELAXED);
}

unsigned long
sl_pipeline_alloc_count(void)
{
	return __atomic_load_n(&pl_alloc_n, __ATOMIC_RELAXED);
}
