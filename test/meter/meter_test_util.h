/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the meter tests: building meter mods, the seed, and
 * a deferred-free list that plays the role of the caller's RCU. */
#ifndef METER_TEST_UTIL_H
#define METER_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include "sl_meter.h"
#include "test_rng.h"

#define NS_PER_SEC 1000000000ull

static inline struct sl_meter_band
drop_band(uint32_t rate, uint32_t burst)
{
	struct sl_meter_band b = { .type = OFPMBT_DROP, .rate = rate, .burst_size = burst };

	return b;
}

static inline struct sl_meter_band
remark_band(uint32_t rate, uint32_t burst, uint8_t prec_level)
{
	struct sl_meter_band b = { .type = OFPMBT_DSCP_REMARK, .prec_level = prec_level,
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
	struct sl_meter_mod mm = meter_mod(OFPMC_ADD, 1, flags, bands, n_bands);
	uint16_t err = 0xffff;
	struct sl_meter *m = sl_meter_create(&mm, now_ns, &err);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	return m;
}

/* The meter tests' seed: $SL_TEST_SEED, or 0x5eed5eed (test_rng.h says how
 * to replay one); random_against_model prints it. Each test derives its own
 * splitmix64 state from it (test_rng_splitmix). */
static inline uint64_t
test_seed(void)
{
	return test_rng_env_seed(0x5eed5eedull);
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

#endif /* METER_TEST_UTIL_H */
