/* SPDX-License-Identifier: BSD-3-Clause */
/* Token-bucket math with synthetic time (no sleeping): exact boundaries in
 * kb/s and pkt/s, default and explicit bursts, long idle periods, extreme
 * rates, band selection, burst-vs-single equivalence, modify semantics, and
 * a randomized comparison against an independent reference model. */
#include <string.h>

#include "cunit_main.h"

#include "meter_test_util.h"

/* ------------------------------------------------------ reference model */

/*
 * An independent model of the OpenFlow meter written the slow, obvious way:
 * 128-bit integers in different units from the library (kb/s tokens in
 * nano-bits, pkt/s tokens in nano-packets), refilled as
 * min(capacity, tokens + elapsed * rate) with no shortcut.
 */
typedef unsigned __int128 u128;

struct ref_band {
	u128 tokens, capacity, per_ns; /* per_ns: tokens earned per ns */
	uint64_t last_ns;
	uint32_t rate;
};

struct ref_meter {
	int pktps, n;
	struct ref_band b[SL_METER_MAX_BANDS];
	const struct sl_meter_band *cfg;
};

static void
ref_init(struct ref_meter *r, uint16_t flags, const struct sl_meter_band *bands, int n)
{
	memset(r, 0, sizeof(*r));
	r->pktps = (flags & OFPMF_PKTPS) != 0;
	r->n = n;
	r->cfg = bands;
	for (int i = 0; i < n; i++) {
		u128 burst; /* kilobits or packets */

		if (flags & OFPMF_BURST) {
			burst = bands[i].burst_size;
		} else {
			/* documented default: 100 ms of rate, >= 80 kbit or 1 packet */
			burst = bands[i].rate / 10;
			if (burst < (r->pktps ? 1u : 80u))
				burst = r->pktps ? 1u : 80u;
		}
		/* kb/s: nano-bits, 1 kbit = 1e12; rate R kb/s = R*1000 bit/s = R*1000 nbit/ns.
		 * pkt/s: nano-packets, 1 packet = 1e9; R pkt/s = R npkt/ns. */
		r->b[i].capacity = r->pktps ? burst * 1000000000u : burst * 1000000000000ull;
		r->b[i].per_ns = r->pktps ? (u128)bands[i].rate : (u128)bands[i].rate * 1000u;
		r->b[i].tokens = r->b[i].capacity;
		r->b[i].rate = bands[i].rate;
	}
}

/*
 * Meters one call's packets (all at @now); out[i] is the band that fires for
 * packet i or SL_METER_BAND_NONE.  A band that charges none of the call's
 * packets keeps its old state (documented: a call that charges nothing writes
 * nothing), which only shows when a later call brings an earlier clock.
 */
static void
ref_apply_call(struct ref_meter *r, uint64_t now, const uint32_t *lens, unsigned n, unsigned *out)
{
	unsigned exceeded[SL_METER_BURST_MAX] = { 0 };

	for (int i = 0; i < r->n; i++) {
		struct ref_band *b = &r->b[i];
		u128 tokens = b->tokens;
		int charged = 0;

		if (now > b->last_ns) {
			tokens += (u128)(now - b->last_ns) * b->per_ns;
			if (tokens > b->capacity)
				tokens = b->capacity;
		}
		for (unsigned k = 0; k < n; k++) {
			u128 cost = r->pktps ? (u128)1000000000u : (u128)lens[k] * 8u * 1000000000u;

			if (tokens >= cost) {
				tokens -= cost;
				charged = 1;
			} else {
				exceeded[k] |= 1u << i;
			}
		}
		if (charged) {
			b->tokens = tokens;
			if (now > b->last_ns)
				b->last_ns = now;
		}
	}
	for (unsigned k = 0; k < n; k++) {
		int best = -1;

		for (int i = 0; i < r->n; i++)
			if ((exceeded[k] & (1u << i)) && (best < 0 || r->b[i].rate > r->b[best].rate))
				best = i;
		out[k] = best < 0 ? SL_METER_BAND_NONE : (unsigned)best;
	}
}

/* Checks one verdict against the band that should fire. */
static void
check_verdict(struct sl_meter_verdict v, unsigned band, const struct sl_meter_band *bands)
{
	CU_ASSERT_EQUAL_FATAL(v.band, band);
	if (band == SL_METER_BAND_NONE) {
		CU_ASSERT_EQUAL_FATAL(v.action, SL_METER_PASS);
	} else if (bands[band].type == OFPMBT_DROP) {
		CU_ASSERT_EQUAL_FATAL(v.action, SL_METER_DROP);
	} else {
		CU_ASSERT_EQUAL_FATAL(v.action, SL_METER_REMARK);
		CU_ASSERT_EQUAL_FATAL(v.prec_level, bands[band].prec_level);
	}
}

/* ------------------------------------------------------ exact boundaries */

static unsigned
count_passes(struct sl_meter *m, uint64_t now, uint32_t len, unsigned tries)
{
	unsigned passed = 0;

	for (unsigned i = 0; i < tries; i++)
		passed += sl_meter_apply(m, now, len).action == SL_METER_PASS;
	return passed;
}

static void
test_kbps_boundary(void)
{
	struct sl_meter_band b = drop_band(1000, 10); /* 1 Mb/s, burst 10 kbit */
	const uint64_t t0 = 123456789;
	struct sl_meter *m = make_meter(OFPMF_KBPS | OFPMF_BURST, &b, 1, t0);

	/* 125-byte packets are 1000 bits: the full bucket holds exactly 10. */
	CU_ASSERT_EQUAL(count_passes(m, t0, 125, 20), 10);
	/* 1000 bits at 1 Mb/s take exactly 1 ms to earn. */
	CU_ASSERT_EQUAL(sl_meter_apply(m, t0 + 999999, 125).action, SL_METER_DROP);
	CU_ASSERT_EQUAL(sl_meter_apply(m, t0 + 1000000, 125).action, SL_METER_PASS);
	CU_ASSERT_EQUAL(sl_meter_apply(m, t0 + 1000000, 125).action, SL_METER_DROP);
	/* Fractions of a bit are kept: 1 ns at 1 Mb/s is 0.001 bit. */
	uint64_t t = t0 + 1000000;

	for (int i = 0; i < 999; i++)
		CU_ASSERT_EQUAL_FATAL(sl_meter_apply(m, ++t, 1).action, SL_METER_DROP);
	CU_ASSERT_EQUAL(sl_meter_apply(m, t + 1000000 - 999, 125).action, SL_METER_PASS);
	/* A packet larger than the burst never passes. */
	CU_ASSERT_EQUAL(sl_meter_apply(m, t + 100 * NS_PER_SEC, 1251).action, SL_METER_DROP);
	CU_ASSERT_EQUAL(sl_meter_apply(m, t + 100 * NS_PER_SEC, 1250).action, SL_METER_PASS);
	sl_meter_destroy(m);
}

static void
test_pktps_boundary(void)
{
	struct sl_meter_band b = drop_band(3, 2); /* 3 packets/s, burst 2 */
	struct sl_meter *m = make_meter(OFPMF_PKTPS | OFPMF_BURST, &b, 1, 0);

	CU_ASSERT_EQUAL(count_passes(m, 0, 9000, 5), 2); /* size does not matter */
	/* One packet every 1/3 s: 333333333 ns earns 0.999999999 packet. */
	CU_ASSERT_EQUAL(sl_meter_apply(m, 333333333, 64).action, SL_METER_DROP);
	CU_ASSERT_EQUAL(sl_meter_apply(m, 333333334, 64).action, SL_METER_PASS);
	/* Over 3 s exactly 9 tokens are earned: the remainder carries over. */
	unsigned passed = 0;

	for (uint64_t t = 333333334; t <= 333333334 + 3 * NS_PER_SEC; t += 1000000)
		passed += sl_meter_apply(m, t, 64).action == SL_METER_PASS;
	CU_ASSERT_EQUAL(passed, 9);
	sl_meter_destroy(m);

	/* Refilling an empty 2-packet bucket at 3 pkt/s takes 666666666.67 ns:
	 * at 666666666 ns it holds 1.999999998 packets, not a full bucket. */
	for (uint64_t wait = 666666666; wait <= 666666667; wait++) {
		m = make_meter(OFPMF_PKTPS | OFPMF_BURST, &b, 1, 0);
		CU_ASSERT_EQUAL(count_passes(m, 0, 64, 5), 2);
		CU_ASSERT_EQUAL(count_passes(m, wait, 64, 5), wait == 666666666 ? 1 : 2);
		sl_meter_destroy(m);
	}
}

static void
test_default_burst(void)
{
	struct sl_meter_band b = drop_band(10000, 0); /* 10 Mb/s, no OFPMF_BURST */
	struct sl_meter *m = make_meter(OFPMF_KBPS, &b, 1, 0);

	/* Default 100 ms: 1000 kbit = 125000 bytes = 125 packets of 1000 bytes. */
	CU_ASSERT_EQUAL(count_passes(m, 0, 1000, 200), 125);
	sl_meter_destroy(m);

	/* Low rate: the 80 kbit floor lets one 10000-byte frame through. */
	b = drop_band(1, 5);
	m = make_meter(OFPMF_KBPS, &b, 1, 0);
	CU_ASSERT_EQUAL(count_passes(m, 0, 10000, 3), 1);
	CU_ASSERT_EQUAL(count_passes(m, 80 * NS_PER_SEC - 1, 10000, 1), 0);
	CU_ASSERT_EQUAL(count_passes(m, 80 * NS_PER_SEC, 10000, 3), 1);
	sl_meter_destroy(m);

	b = drop_band(100, 0); /* pkt/s: 100 ms of 100 pkt/s = 10 packets */
	m = make_meter(OFPMF_PKTPS, &b, 1, 0);
	CU_ASSERT_EQUAL(count_passes(m, 0, 64, 50), 10);
	sl_meter_destroy(m);
	b = drop_band(5, 0); /* 0.5 packet rounds up to the 1-packet floor */
	m = make_meter(OFPMF_PKTPS, &b, 1, 0);
	CU_ASSERT_EQUAL(count_passes(m, 0, 64, 50), 1);
	CU_ASSERT_EQUAL(count_passes(m, NS_PER_SEC / 5, 64, 50), 1);
	sl_meter_destroy(m);
}

static void
test_long_idle_and_extreme_rates(void)
{
	const uint32_t max = UINT32_MAX;
	struct sl_meter_band b = drop_band(max, 1); /* ~4.3 Tb/s, burst 1 kbit */
	struct sl_meter *m = make_meter(OFPMF_KBPS | OFPMF_BURST, &b, 1, 0);

	CU_ASSERT_EQUAL(count_passes(m, 0, 125, 3), 1);
	CU_ASSERT_EQUAL(count_passes(m, 1, 125, 3), 1); /* 1 ns refills 4294 bits, capped */
	CU_ASSERT_EQUAL(count_passes(m, UINT64_MAX / 2, 125, 3), 1);
	CU_ASSERT_EQUAL(count_passes(m, UINT64_MAX, 125, 3), 1);
	sl_meter_destroy(m);

	/* Largest burst and rate: capacity ~4.3e18 units, near 2^62. */
	b = drop_band(max, max);
	m = make_meter(OFPMF_PKTPS | OFPMF_BURST, &b, 1, 0);
	uint32_t lens[SL_METER_BURST_MAX];
	struct sl_meter_verdict v[SL_METER_BURST_MAX];

	for (int i = 0; i < SL_METER_BURST_MAX; i++)
		lens[i] = 64;
	CU_ASSERT_EQUAL(sl_meter_apply_burst(m, UINT64_MAX - 5, lens, SL_METER_BURST_MAX, v), 0);
	CU_ASSERT_EQUAL(sl_meter_apply_burst(m, UINT64_MAX, lens, SL_METER_BURST_MAX, v), 0);
	sl_meter_destroy(m);

	/* Very low rate: 1 kb/s with a burst of exactly one 1500-byte frame. */
	b = drop_band(1, 12);
	m = make_meter(OFPMF_KBPS | OFPMF_BURST, &b, 1, 0);
	CU_ASSERT_EQUAL(count_passes(m, 0, 1500, 2), 1);
	CU_ASSERT_EQUAL(count_passes(m, 12 * NS_PER_SEC - 1, 1500, 1), 0);
	CU_ASSERT_EQUAL(count_passes(m, 12 * NS_PER_SEC, 1500, 2), 1);
	/* After a 2^63 ns idle the bucket is full, not wrapped. */
	CU_ASSERT_EQUAL(count_passes(m, (1ull << 63), 1500, 3), 1);
	sl_meter_destroy(m);

	/* 1 pkt/s, burst 1: exactly one per second. */
	b = drop_band(1, 1);
	m = make_meter(OFPMF_PKTPS | OFPMF_BURST, &b, 1, 0);
	unsigned passed = 0;

	for (uint64_t t = 0; t < 10 * NS_PER_SEC; t += NS_PER_SEC / 100)
		passed += count_passes(m, t, 64, 1);
	CU_ASSERT_EQUAL(passed, 10);
	sl_meter_destroy(m);
}

static void
test_time_goes_backwards(void)
{
	struct sl_meter_band b = drop_band(1000, 1); /* 1000 pkt/s, burst 1 */
	struct sl_meter *m = make_meter(OFPMF_PKTPS | OFPMF_BURST, &b, 1, 0);

	CU_ASSERT_EQUAL(count_passes(m, 10000000, 64, 2), 1);
	/* Another worker's clock reads earlier: no time elapsed, no tokens. */
	CU_ASSERT_EQUAL(count_passes(m, 5000000, 64, 1), 0);
	/* Tokens accrue from the latest time seen (10 ms), not from 5 ms. */
	CU_ASSERT_EQUAL(count_passes(m, 10999999, 64, 1), 0);
	CU_ASSERT_EQUAL(count_passes(m, 11000000, 64, 1), 1);
	sl_meter_destroy(m);
}

/* ---------------------------------------------------------------- bands */

static void
test_highest_exceeded_band_fires(void)
{
	/* band 0: remark at 10 pkt/s; band 1: drop at 20 pkt/s; bursts of 1. */
	struct sl_meter_band b[2] = { remark_band(10, 1, 2), drop_band(20, 1) };
	struct sl_meter *m = make_meter(OFPMF_PKTPS | OFPMF_BURST, b, 2, 0);
	struct sl_meter_verdict v;

	CU_ASSERT_EQUAL(sl_meter_apply(m, 0, 64).action, SL_METER_PASS);
	v = sl_meter_apply(m, 0, 64); /* both exceeded: 20 pkt/s is higher */
	CU_ASSERT_EQUAL(v.band, 1);
	CU_ASSERT_EQUAL(v.action, SL_METER_DROP);
	/* 50 ms later band 1 earned a packet, band 0 only half: remark. */
	v = sl_meter_apply(m, 50000000, 64);
	CU_ASSERT_EQUAL(v.band, 0);
	CU_ASSERT_EQUAL(v.action, SL_METER_REMARK);
	CU_ASSERT_EQUAL(v.prec_level, 2);
	/* Traffic between the two rates (15 pkt/s) is remarked, never dropped.
	 * With a 1-packet burst band 0 loses credit: each gap earns 2/3 packet,
	 * so after a pass the next packet is remarked and the one after finds
	 * the bucket capped at 1: pass, remark, pass... over 151 packets. */
	unsigned remarked = 0, dropped = 0;

	for (uint64_t t = NS_PER_SEC; t < 11 * NS_PER_SEC; t += NS_PER_SEC / 15) {
		v = sl_meter_apply(m, t, 64);
		remarked += v.action == SL_METER_REMARK;
		dropped += v.action == SL_METER_DROP;
	}
	CU_ASSERT_EQUAL(dropped, 0);
	CU_ASSERT_EQUAL(remarked, 75);
	sl_meter_destroy(m);

	/* Equal rates: the lowest index fires. */
	struct sl_meter_band same[3] = { drop_band(5, 1), remark_band(5, 1, 1), drop_band(1, 1) };

	m = make_meter(OFPMF_PKTPS | OFPMF_BURST, same, 3, 0);
	CU_ASSERT_EQUAL(sl_meter_apply(m, 0, 64).band, SL_METER_BAND_NONE);
	CU_ASSERT_EQUAL(sl_meter_apply(m, 0, 64).band, 0);
	sl_meter_destroy(m);

	/* No bands: everything passes and is counted. */
	m = make_meter(OFPMF_KBPS | OFPMF_STATS, NULL, 0, 0);
	struct sl_meter_stats st;

	CU_ASSERT_EQUAL(count_passes(m, 0, 1500, 1000), 1000);
	sl_meter_get_stats(m, 0, &st);
	CU_ASSERT_EQUAL(st.packet_in_count, 1000);
	CU_ASSERT_EQUAL(st.byte_in_count, 1500000);
	sl_meter_destroy(m);
}

static void
test_long_run_rate(void)
{
	/* 2x overload for 10 simulated seconds: what passes is rate*T within
	 * one burst and one packet, whatever the random sizes and spacing. */
	struct sl_meter_band b = drop_band(50000, 500); /* 50 Mb/s, burst 500 kbit */
	struct sl_meter *m = make_meter(OFPMF_KBPS | OFPMF_BURST, &b, 1, 0);
	uint64_t rng = test_seed() ^ 1, passed_bits = 0, t = 0;
	const uint64_t T = 10 * NS_PER_SEC;

	while (t < T) {
		uint32_t len = 64 + (uint32_t)(test_rng_splitmix(&rng) % 1455);

		if (sl_meter_apply(m, t, len).action == SL_METER_PASS)
			passed_bits += 8ull * len;
		/* mean gap: ~759 bytes at 100 Mb/s = ~60 us */
		t += test_rng_splitmix(&rng) % 120000;
	}
	uint64_t rate_bits = 50000ull * 1000 * (T / NS_PER_SEC);

	CU_ASSERT(passed_bits <= rate_bits + 500000);
	CU_ASSERT(passed_bits + 8 * 1518 >= rate_bits);
	sl_meter_destroy(m);
}

/* ------------------------------------------------- randomized vs model */

static void
random_config(uint64_t *rng, uint16_t *flags, struct sl_meter_band *bands, int *n)
{
	static const uint32_t rates[] = { 1, 2, 3, 7, 10, 64, 1000, 99999, 1000000, 40000000,
					  UINT32_MAX };

	*flags = (test_rng_splitmix(rng) & 1) ? OFPMF_PKTPS : OFPMF_KBPS;
	if (test_rng_splitmix(rng) & 1)
		*flags |= OFPMF_BURST;
	*n = (int)(test_rng_splitmix(rng) % (SL_METER_MAX_BANDS + 1));
	for (int i = 0; i < *n; i++) {
		uint32_t rate = (test_rng_splitmix(rng) & 1) ? rates[test_rng_splitmix(rng) % 11]
						     : (uint32_t)(test_rng_splitmix(rng) % 100000) + 1;
		uint32_t burst = (test_rng_splitmix(rng) & 3) ? (uint32_t)(test_rng_splitmix(rng) % 200) + 1
						      : (uint32_t)test_rng_splitmix(rng) | 1;

		bands[i] = (test_rng_splitmix(rng) & 1) ? drop_band(rate, burst)
						: remark_band(rate, burst, (uint8_t)(1 + test_rng_splitmix(rng) % 3));
	}
}

static uint64_t
random_gap(uint64_t *rng)
{
	switch (test_rng_splitmix(rng) % 8) {
	case 0:
		return 0; /* same instant (one rx burst) */
	case 1:
		return test_rng_splitmix(rng) % 1000;
	case 2:
		return test_rng_splitmix(rng) % 10000000;
	case 3:
		return test_rng_splitmix(rng) % (10 * NS_PER_SEC);
	case 4:
		return test_rng_splitmix(rng) >> (test_rng_splitmix(rng) % 64); /* up to huge idles */
	default:
		return test_rng_splitmix(rng) % 100000;
	}
}

static void
test_random_against_model(void)
{
	uint64_t seed = test_seed(), rng = seed;
	uint32_t lens[SL_METER_BURST_MAX];
	unsigned want_band[SL_METER_BURST_MAX];
	struct sl_meter_verdict v[SL_METER_BURST_MAX];

	printf("(seed 0x%llx) ", (unsigned long long)seed);
	for (int round = 0; round < 300; round++) {
		struct sl_meter_band bands[SL_METER_MAX_BANDS];
		struct ref_meter ref;
		uint16_t flags;
		int n;
		uint64_t t = test_rng_splitmix(&rng) % NS_PER_SEC, packets = 0, bytes = 0;

		random_config(&rng, &flags, bands, &n);
		struct sl_meter *m = make_meter(flags | OFPMF_STATS, bands, (uint16_t)n, t);
		uint64_t band_pkts[SL_METER_MAX_BANDS] = { 0 };

		ref_init(&ref, flags, bands, n);
		for (int step = 0; step < 300; step++) {
			unsigned burst = (test_rng_splitmix(&rng) & 1)
					? 1 : 1 + (unsigned)(test_rng_splitmix(&rng) % 64);

			uint64_t gap = random_gap(&rng);

			if (gap > UINT64_MAX / 2 - t)
				break; /* keep clear of wrapping the clock */
			t += gap;
			for (unsigned i = 0; i < burst; i++)
				lens[i] = 60 + (uint32_t)(test_rng_splitmix(&rng) % 9157);
			/* Sometimes a worker whose clock lags: an earlier time. */
			uint64_t at = (test_rng_splitmix(&rng) % 16 == 0) ? t - test_rng_splitmix(&rng) % (t + 1) : t;

			if (burst == 1)
				v[0] = sl_meter_apply(m, at, lens[0]);
			else
				sl_meter_apply_burst(m, at, lens, burst, v);
			ref_apply_call(&ref, at, lens, burst, want_band);
			for (unsigned i = 0; i < burst; i++) {
				unsigned want = want_band[i];

				check_verdict(v[i], want, bands);
				packets++;
				bytes += lens[i];
				if (want != SL_METER_BAND_NONE)
					band_pkts[want]++;
			}
		}
		struct sl_meter_stats st;

		sl_meter_get_stats(m, t, &st);
		CU_ASSERT_EQUAL_FATAL(st.packet_in_count, packets);
		CU_ASSERT_EQUAL_FATAL(st.byte_in_count, bytes);
		for (int i = 0; i < n; i++)
			CU_ASSERT_EQUAL_FATAL(st.bands[i].packet_band_count, band_pkts[i]);
		sl_meter_destroy(m);
	}
}

static void
test_burst_equals_single(void)
{
	struct sl_meter_band b[3] = { drop_band(20000, 30), remark_band(8000, 20, 1),
				      drop_band(40000, 60) };
	const uint16_t flags = OFPMF_KBPS | OFPMF_BURST | OFPMF_STATS;
	struct sl_meter *one = make_meter(flags, b, 3, 0), *many = make_meter(flags, b, 3, 0);
	uint64_t rng = test_seed() ^ 2, t = 0;
	uint32_t lens[150];
	struct sl_meter_verdict v[150];

	for (int step = 0; step < 2000; step++) {
		unsigned n = 1 + (unsigned)(test_rng_splitmix(&rng) % 150); /* > SL_METER_BURST_MAX too */
		unsigned drops = 0, want_drops = 0;

		t += test_rng_splitmix(&rng) % 2000000;
		for (unsigned i = 0; i < n; i++)
			lens[i] = 64 + (uint32_t)(test_rng_splitmix(&rng) % 1455);
		drops = sl_meter_apply_burst(many, t, lens, n, v);
		for (unsigned i = 0; i < n; i++) {
			struct sl_meter_verdict s = sl_meter_apply(one, t, lens[i]);

			CU_ASSERT_EQUAL_FATAL(memcmp(&s, &v[i], sizeof(s)), 0);
			want_drops += s.action == SL_METER_DROP;
		}
		CU_ASSERT_EQUAL_FATAL(drops, want_drops);
	}
	struct sl_meter_stats s1, s2;

	CU_ASSERT_EQUAL(sl_meter_apply_burst(many, t, NULL, 0, NULL), 0); /* empty burst */
	sl_meter_get_stats(one, t, &s1);
	sl_meter_get_stats(many, t, &s2);
	CU_ASSERT_EQUAL(memcmp(&s1, &s2, sizeof(s1)), 0);
	CU_ASSERT(s1.bands[0].packet_band_count > 0 && s1.bands[1].packet_band_count > 0);
	sl_meter_destroy(one);
	sl_meter_destroy(many);
}

/* --------------------------------------------------------------- modify */

static void
test_modify_bucket_semantics(void)
{
	struct sl_meter_band b = drop_band(10, 5); /* 10 pkt/s, burst 5 */
	const uint16_t flags = OFPMF_PKTPS | OFPMF_BURST;
	struct sl_meter *m = make_meter(flags, &b, 1, 0);
	struct sl_meter_mod mm;
	uint16_t err;

	CU_ASSERT_EQUAL(count_passes(m, 0, 64, 10), 5);
	/* A bigger burst does not hand out a fresh one: the bucket stays empty. */
	b.burst_size = 50;
	mm = meter_mod(OFPMC_MODIFY, 1, flags, &b, 1);
	CU_ASSERT_EQUAL(sl_meter_modify(m, &mm, NULL, NULL, &err), 0);
	CU_ASSERT_EQUAL(count_passes(m, 0, 64, 10), 0);
	/* ...but it fills to the new size at the rate: 2 s at 10 pkt/s = 20. */
	CU_ASSERT_EQUAL(count_passes(m, 2 * NS_PER_SEC, 64, 100), 20);
	/* A smaller burst caps what is there. */
	CU_ASSERT_EQUAL(count_passes(m, 12 * NS_PER_SEC, 64, 10), 10); /* 100 earned, keep 40 */
	b.burst_size = 3;
	CU_ASSERT_EQUAL(sl_meter_modify(m, &mm, NULL, NULL, &err), 0);
	CU_ASSERT_EQUAL(count_passes(m, 12 * NS_PER_SEC, 64, 10), 3);
	/* A change of unit restarts the bucket full. */
	b = drop_band(1000, 10); /* now 1 Mb/s, burst 10 kbit */
	mm = meter_mod(OFPMC_MODIFY, 1, OFPMF_KBPS | OFPMF_BURST, &b, 1);
	CU_ASSERT_EQUAL(sl_meter_modify(m, &mm, NULL, NULL, &err), 0);
	CU_ASSERT_EQUAL(count_passes(m, 12 * NS_PER_SEC, 125, 20), 10);
	/* An added band starts full; the existing one stays empty. */
	struct sl_meter_band two[2] = { drop_band(1000, 10), remark_band(500, 4, 1) };

	mm = meter_mod(OFPMC_MODIFY, 1, OFPMF_KBPS | OFPMF_BURST, two, 2);
	CU_ASSERT_EQUAL(sl_meter_modify(m, &mm, NULL, NULL, &err), 0);
	struct sl_meter_verdict v = sl_meter_apply(m, 12 * NS_PER_SEC, 125);

	CU_ASSERT_EQUAL(v.band, 0); /* band 0 empty, band 1 had 4 kbit */
	CU_ASSERT_EQUAL(count_passes(m, 12 * NS_PER_SEC + 1000000, 125, 1), 1);
	sl_meter_destroy(m);
}

static void
test_clock_conversion(void)
{
	struct sl_meter_clock c;
	const uint64_t hz_list[] = { 1000000000ull, 2500000000ull, 3000000000ull, 1234567891ull,
				     1000000ull, 1ull };

	for (size_t i = 0; i < sizeof(hz_list) / sizeof(hz_list[0]); i++) {
		uint64_t hz = hz_list[i], prev = 0;

		sl_meter_clock_init(&c, hz);
		/* One second of cycles is one second, within 1 ns per 2^32 cycles. */
		uint64_t one_s = sl_meter_clock_ns(&c, hz);

		CU_ASSERT(one_s <= NS_PER_SEC && NS_PER_SEC - one_s <= 1 + hz / (1ull << 32));
		/* A day of cycles at this rate stays within 1 ppm (no overflow). */
		if (hz <= 4000000000ull) {
			u128 day_ns = (u128)sl_meter_clock_ns(&c, hz * 86400) * 1000000;

			CU_ASSERT(day_ns <= (u128)86400 * NS_PER_SEC * 1000000 &&
				  day_ns >= (u128)86400 * NS_PER_SEC * 999999);
		}
		for (uint64_t cyc = 0; cyc < 100000; cyc += 7) { /* monotonic */
			uint64_t ns = sl_meter_clock_ns(&c, cyc);

			CU_ASSERT_FATAL(ns >= prev);
			prev = ns;
		}
	}
	sl_meter_clock_init(&c, 0);
	CU_ASSERT_EQUAL(sl_meter_clock_ns(&c, 12345), 0);
}

static const struct cunit_test tests[] = {
	{ "clock_conversion", test_clock_conversion },
	{ "kbps_boundary", test_kbps_boundary },
	{ "pktps_boundary", test_pktps_boundary },
	{ "default_burst", test_default_burst },
	{ "long_idle_and_extreme_rates", test_long_idle_and_extreme_rates },
	{ "time_goes_backwards", test_time_goes_backwards },
	{ "highest_exceeded_band_fires", test_highest_exceeded_band_fires },
	{ "long_run_rate", test_long_run_rate },
	{ "random_against_model", test_random_against_model },
	{ "burst_equals_single", test_burst_equals_single },
	{ "modify_bucket_semantics", test_modify_bucket_semantics },
};

int
main(void)
{
	return cunit_run_suite("meter_bucket", tests, CUNIT_N_TESTS(tests));
}
