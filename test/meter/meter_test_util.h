/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the meter tests: building meter mods, a seeded PRNG, and
 * a deferred-free list that plays the role of the caller's RCU. */
#ifndef METER_TEST_UTIL_H
#define METER_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include "sl_meter.h"

#define NS_PER_SEC 1000000000ull

static inline struct sl_meter_band
drop_band(uint32_t rate, uint32_t burst)
{
	struct sl_meter_band b = { .type = SL_OFPMBT_DROP, .rate = rate, .burst_size = burst };

	return b;
}

static inline struct sl_meter_band
remark_band(uint32_t rate, uint32_t burst, uint8_t prec_level)
{
	struct sl_meter_band b = { .type = SL_OFPMBT_DSCP_REMARK, .prec_level = prec_level,
				   .rate = rate, .burst_size = burst };

	return b;
}

static inline struct sl_meter_mod
meter_mod(uint16_t command, uint32_t id, uint16_t flags, const struct sl_meter_band *bands,
	  uint16_t n_bands)
{
	struct sl_meter_mod mm = { .command = command, .flags = flags, .meter_id = id,
				   .n_bands = n_bands, .bands = bands };

	return mm;
}

/* Creates a standalone meter or fails the test. */
static inline struct sl_meter *
make_meter(uint16_t flags, const struct sl_meter_band *bands, uint16_t n_bands, uint64_t now_ns)
{
	struct sl_meter_mod mm = meter_mod(SL_OFPMC_ADD, 1, flags, bands, n_bands);
	uint16_t err = 0xffff;
	struct sl_meter *m = sl_meter_create(&mm, now_ns, &err);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	return m;
}

/* splitmix64: small, seedable, good enough for test inputs. */
static inline uint64_t
test_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Seed from $SL_TEST_SEED so a failure can be replayed; printed by the tests. */
static inline uint64_t
test_seed(void)
{
	const char *s = getenv("SL_TEST_SEED");

	return s != NULL ? strtoull(s, NULL, 0) : 0x5eed5eedull;
}

/* Deferred frees collected instead of an RCU grace period. */
struct deferred {
	void *obj;
	void (*free_fn)(void *);
};

struct defer_list {
	struct deferred *items;
	size_t n, cap;
};

static inline void
defer_collect(void *ctx, void *obj, void (*free_fn)(void *))
{
	struct defer_list *l = ctx;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->items = realloc(l->items, l->cap * sizeof(*l->items));
		if (l->items == NULL)
			abort();
	}
	l->items[l->n].obj = obj;
	l->items[l->n].free_fn = free_fn;
	l->n++;
}

/* The "grace period is over": free everything collected so far. */
static inline void
defer_flush(struct defer_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		l->items[i].free_fn(l->items[i].obj);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

/* Runs one CUnit suite and turns failures into the exit status. */
static inline int
run_suite(const char *name, const CU_TestInfo *tests)
{
	CU_SuiteInfo suites[] = { { name, NULL, NULL, NULL, NULL, (CU_TestInfo *)tests },
				  CU_SUITE_INFO_NULL };
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (CU_register_suites(suites) != CUE_SUCCESS)
		return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	if (CU_get_number_of_tests_run() == 0)
		failed = 1;
	CU_cleanup_registry();
	return failed != 0;
}

#endif /* METER_TEST_UTIL_H */
