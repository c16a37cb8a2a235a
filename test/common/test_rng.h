/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pseudo-random numbers of the randomized tests and benchmarks: small
 * generators on a 64-bit state the caller keeps, and the seed.
 *
 * A randomized test starts from a fixed seed, so every run of it is the same
 * run. The programs that take their seed from the environment read
 * SL_TEST_SEED (decimal, or hex with 0x) and print the seed they used; to
 * replay a failure, run the program again with that value:
 *
 *     SL_TEST_SEED=88172645463325252 build/test/dataplane/fastpath/test_miss_handler
 *
 * (the fast-path tests print "seed N (set SL_TEST_SEED to replay)", the meter
 * tests "(seed 0x5eed5eed)" in their randomized test's line).
 *
 * Each program keeps the generator it was written with, so its sequence, and
 * so what its randomized tests check, does not depend on this file's
 * history: xorshift64 for most, xorshift64* for the megaflow model and
 * benchmark, splitmix64 for the meter tests, Knuth's LCG for the EMC and
 * select-group flows.
 */
#ifndef SL_TEST_RNG_H
#define SL_TEST_RNG_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* xorshift64 (Marsaglia, shifts 13/7/17). The state must not be 0 (0 stays
 * 0). Returns the new state, which is also the number drawn. */
static inline uint64_t
test_rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* test_rng_next() reduced to [0, n); 0 when n is 0. */
static inline uint32_t
test_rng_below(uint64_t *s, uint32_t n)
{
	uint64_t x = test_rng_next(s);

	return n ? (uint32_t)(x % n) : 0;
}

/* xorshift64* (Vigna, shifts 12/25/27, then a multiply, which mixes the low
 * bits too). The state must not be 0. */
static inline uint64_t
test_rng_next_star(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* splitmix64: any state, 0 included, so a seed needs no fixing up. */
static inline uint64_t
test_rng_splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* One step of Knuth's MMIX linear congruential generator. Returns the new
 * state: use its high bits, the low ones have short periods. */
static inline uint64_t
test_rng_lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s;
}

/* $SL_TEST_SEED, or @dflt when it is not set. Not printed: the caller prints
 * the seed where it is used. */
static inline uint64_t
test_rng_env_seed(uint64_t dflt)
{
	const char *s = getenv("SL_TEST_SEED");

	return s != NULL ? strtoull(s, NULL, 0) : dflt;
}

/* The seed of a program's xorshift state: $SL_TEST_SEED with its low bit set
 * (an xorshift state must not be 0), or @dflt; printed on stdout as
 * "seed N (set SL_TEST_SEED to replay)". */
static inline uint64_t
test_rng_seed(uint64_t dflt)
{
	uint64_t seed = getenv("SL_TEST_SEED") != NULL ? test_rng_env_seed(0) | 1 : dflt;

	printf("seed %llu (set SL_TEST_SEED to replay)\n", (unsigned long long)seed);
	return seed;
}

#endif /* SL_TEST_RNG_H */
