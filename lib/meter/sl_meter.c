/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One OpenFlow meter: validation of meter mods, configuration, the shared
 * token buckets applied by workers, stats, and DSCP remark.
 * Concurrency and unit decisions are explained in sl_meter.h.
 */
#include <stdlib.h>
#include <string.h>

#include "sl_meter.h"
#include "sl_meter_private.h"

/* ---------------------------------------------------------------- checks */

static int
fail(uint16_t *err_code, uint16_t code)
{
	if (err_code != NULL)
		*err_code = code;
	return -1;
}

static bool
meter_id_valid(uint32_t id, uint16_t command)
{
	if (id == OFPM_ALL)
		return command == OFPMC_DELETE; /* "all meters" only deletes */
	if (id == OFPM_SLOWPATH || id == OFPM_CONTROLLER)
		return true;
	return id >= 1 && id <= OFPM_MAX;
}

static int
check_band(const struct sl_meter_band *band, uint16_t flags, uint16_t *err_code)
{
	if (band->type != OFPMBT_DROP && band->type != OFPMBT_DSCP_REMARK)
		return fail(err_code, OFPMMFC_BAD_BAND); /* experimenter, unknown */
	if (band->rate == 0)
		return fail(err_code, OFPMMFC_BAD_RATE);
	if ((flags & OFPMF_BURST) && band->burst_size == 0)
		return fail(err_code, OFPMMFC_BAD_BURST);
	/* A remark that raises nothing is a misconfiguration, not a no-op. */
	if (band->type == OFPMBT_DSCP_REMARK && band->prec_level == 0)
		return fail(err_code, OFPMMFC_BAD_BAND_VALUE);
	return 0;
}

int
sl_meter_mod_check(const struct sl_meter_mod *mm, uint16_t *err_code)
{
	const uint16_t known = OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS;

	if (mm->command != OFPMC_ADD && mm->command != OFPMC_MODIFY &&
	    mm->command != OFPMC_DELETE)
		return fail(err_code, OFPMMFC_BAD_COMMAND);
	if (!meter_id_valid(mm->meter_id, mm->command))
		return fail(err_code, OFPMMFC_INVALID_METER);
	if (mm->command == OFPMC_DELETE)
		return 0; /* flags and bands are ignored on delete */
	/* Neither KBPS nor PKTPS means kb/s (as ovs-ofctl does); both is ambiguous. */
	if ((mm->flags & ~known) != 0 ||
	    (mm->flags & (OFPMF_KBPS | OFPMF_PKTPS)) == (OFPMF_KBPS | OFPMF_PKTPS))
		return fail(err_code, OFPMMFC_BAD_FLAGS);
	if (mm->n_bands > SL_METER_MAX_BANDS)
		return fail(err_code, OFPMMFC_OUT_OF_BANDS);
	if (mm->n_bands > 0 && mm->bands == NULL)
		return fail(err_code, OFPMMFC_BAD_BAND);
	for (uint32_t i = 0; i < mm->n_bands; i++)
		if (check_band(&mm->bands[i], mm->flags, err_code) != 0)
			return -1;
	return 0;
}

/* ---------------------------------------------------------- configuration */

static uint64_t
burst_in_units(const struct sl_meter_band *band, uint16_t flags)
{
	uint64_t burst; /* kilobits or packets */

	if (flags & OFPMF_BURST) {
		burst = band->burst_size;
	} else {
		uint64_t min = (flags & OFPMF_PKTPS) ? 1 : SL_METER_MIN_DEFAULT_BURST_KBITS;

		burst = (uint64_t)band->rate * SL_METER_DEFAULT_BURST_MS / 1000;
		if (burst < min)
			burst = min;
	}
	return burst * SL_METER_UNITS_PER_BURST_UNIT;
}

/* Builds the immutable configuration of a checked ADD/MODIFY. */
static struct sl_meter_cfg *
cfg_build(const struct sl_meter_mod *mm)
{
	struct sl_meter_cfg *cfg = calloc(1, sizeof(*cfg));

	if (cfg == NULL)
		return NULL;
	cfg->flags = mm->flags;
	cfg->n_bands = (uint16_t)mm->n_bands; /* checked: <= SL_METER_MAX_BANDS */
	cfg->pktps = (mm->flags & OFPMF_PKTPS) != 0;
	cfg->stats = (mm->flags & OFPMF_STATS) != 0;
	for (uint16_t i = 0; i < cfg->n_bands; i++) {
		struct sl_meter_band_rt *rt = &cfg->rt[i];

		cfg->bands[i] = mm->bands[i];
		rt->rate = mm->bands[i].rate;
		rt->capacity = burst_in_units(&mm->bands[i], mm->flags);
		rt->fill_ns = rt->capacity / rt->rate + 1;
		rt->type = mm->bands[i].type;
		rt->prec_level = mm->bands[i].prec_level;
	}
	/* Insertion sort by descending rate; stable, so equal rates keep index order. */
	for (uint16_t i = 0; i < cfg->n_bands; i++) {
		uint16_t j = i;

		while (j > 0 && cfg->rt[cfg->order[j - 1]].rate < cfg->rt[i].rate) {
			cfg->order[j] = cfg->order[j - 1];
			j--;
		}
		cfg->order[j] = (uint8_t)i;
	}
	return cfg;
}

/* --------------------------------------------------------------- buckets */

/* Tokens in a bucket at @now, without overflow for any idle time. */
static inline uint64_t
bucket_refill(uint64_t tokens, uint64_t last_ns, uint64_t now_ns, const struct sl_meter_band_rt *rt)
{
	uint64_t elapsed;

	if (tokens >= rt->capacity)
		return rt->capacity;
	if (now_ns <= last_ns)
		return tokens; /* another worker's clock was ahead: no time elapsed */
	elapsed = now_ns - last_ns;
	if (elapsed >= rt->fill_ns)
		return rt->capacity;
	/* elapsed < capacity/rate + 1, so elapsed * rate <= capacity: no overflow. */
	tokens += elapsed * rt->rate;
	return tokens < rt->capacity ? tokens : rt->capacity;
}

/*
 * Runs the serial token-bucket algorithm on a local copy of a bucket: refill
 * at @now, then charge each packet that fits.  Returns the bitmap of packets
 * that did not fit (the band is exceeded for them).
 */
static inline uint64_t
bucket_charge_local(union sl_meter_bucket *b, uint64_t now_ns, const struct sl_meter_band_rt *rt,
		    const uint64_t *costs, unsigned n)
{
	uint64_t tokens = bucket_refill(b->half.tokens, b->half.last_ns, now_ns, rt);
	uint64_t exceeded = 0;

	for (unsigned i = 0; i < n; i++) {
		if (tokens >= costs[i])
			tokens -= costs[i];
		else
			exceeded |= 1ull << i;
	}
	b->half.tokens = tokens;
	if (now_ns > b->half.last_ns)
		b->half.last_ns = now_ns;
	return exceeded;
}

#if SL_METER_HAVE_CAS16

/*
 * A consistent snapshot without a locked instruction.  last_ns never
 * decreases (every update keeps max(last, now), and a modify keeps it), so if
 * it reads the same before and after the tokens, those tokens coexisted with
 * it: the pair is a state the bucket really had.
 */
static inline union sl_meter_bucket
bucket_load(union sl_meter_bucket *b)
{
	union sl_meter_bucket snap;
	uint64_t last;

	do {
		last = __atomic_load_n(&b->half.last_ns, __ATOMIC_ACQUIRE);
		snap.half.tokens = __atomic_load_n(&b->half.tokens, __ATOMIC_ACQUIRE);
		snap.half.last_ns = __atomic_load_n(&b->half.last_ns, __ATOMIC_ACQUIRE);
	} while (snap.half.last_ns != last);
	return snap;
}

static uint64_t
bucket_charge(struct sl_meter *m, unsigned band, uint64_t now_ns,
	      const struct sl_meter_band_rt *rt, const uint64_t *costs, unsigned n)
{
	union sl_meter_bucket *shared = &m->buckets[band];
	union sl_meter_bucket cur = bucket_load(shared);
	const uint64_t everyone = n >= 64 ? UINT64_MAX : (1ull << n) - 1;

	for (;;) {
		union sl_meter_bucket next = cur;
		uint64_t exceeded = bucket_charge_local(&next, now_ns, rt, costs, n);
		unsigned __int128 seen;

		/* Nothing charged: the refill alone need not be stored, because
		 * refilling in two steps gives the same tokens as in one.  An
		 * overloaded meter is then only read by the workers, not bounced
		 * between their caches. */
		if (exceeded == everyone)
			return exceeded;
		seen = __sync_val_compare_and_swap(&shared->whole, cur.whole, next.whole);
		if (seen == cur.whole)
			return exceeded;
		cur.whole = seen;
	}
}

/* Makes a bucket full (modify), keeping last_ns monotonic. */
static void
bucket_fill(struct sl_meter *m, unsigned band)
{
	union sl_meter_bucket *shared = &m->buckets[band];
	union sl_meter_bucket cur = bucket_load(shared);

	for (;;) {
		union sl_meter_bucket next = cur;
		unsigned __int128 seen;

		next.half.tokens = SL_METER_TOKENS_FULL;
		seen = __sync_val_compare_and_swap(&shared->whole, cur.whole, next.whole);
		if (seen == cur.whole)
			return;
		cur.whole = seen;
	}
}

#else /* no 16-byte CAS: a per-bucket spinlock held for a few instructions */

static void
bucket_lock(struct sl_meter *m, unsigned band)
{
	while (__atomic_test_and_set(&m->bucket_locks[band], __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&m->bucket_locks[band], __ATOMIC_RELAXED))
			;
}

static void
bucket_unlock(struct sl_meter *m, unsigned band)
{
	__atomic_clear(&m->bucket_locks[band], __ATOMIC_RELEASE);
}

static uint64_t
bucket_charge(struct sl_meter *m, unsigned band, uint64_t now_ns,
	      const struct sl_meter_band_rt *rt, const uint64_t *costs, unsigned n)
{
	const uint64_t everyone = n >= 64 ? UINT64_MAX : (1ull << n) - 1;
	union sl_meter_bucket next;
	uint64_t exceeded;

	bucket_lock(m, band);
	next = m->buckets[band];
	exceeded = bucket_charge_local(&next, now_ns, rt, costs, n);
	if (exceeded != everyone) /* same rule as the CAS path: no charge, no write */
		m->buckets[band] = next;
	bucket_unlock(m, band);
	return exceeded;
}

static void
bucket_fill(struct sl_meter *m, unsigned band)
{
	bucket_lock(m, band);
	m->buckets[band].half.tokens = SL_METER_TOKENS_FULL;
	bucket_unlock(m, band);
}

#endif

/* ----------------------------------------------------------------- apply */

static inline struct sl_meter_verdict
verdict_for(const struct sl_meter_cfg *cfg, unsigned exceeded_bands)
{
	struct sl_meter_verdict v = { SL_METER_BAND_NONE, SL_METER_PASS, 0, 0 };

	if (exceeded_bands == 0)
		return v;
	for (unsigned k = 0; k < cfg->n_bands; k++) {
		unsigned b = cfg->order[k];

		if (exceeded_bands & (1u << b)) {
			v.band = (uint8_t)b;
			if (cfg->rt[b].type == OFPMBT_DROP) {
				v.action = SL_METER_DROP;
			} else {
				v.action = SL_METER_REMARK;
				v.prec_level = cfg->rt[b].prec_level;
			}
			break;
		}
	}
	return v;
}

static void
count_chunk(struct sl_meter *m, const uint32_t *pkt_lens, unsigned n,
	    const struct sl_meter_verdict *verdicts)
{
	uint64_t bytes = 0;
	uint64_t band_pkts[SL_METER_MAX_BANDS] = { 0 };
	uint64_t band_bytes[SL_METER_MAX_BANDS] = { 0 };
	unsigned fired = 0;

	for (unsigned i = 0; i < n; i++) {
		bytes += pkt_lens[i];
		if (verdicts[i].band != SL_METER_BAND_NONE) {
			band_pkts[verdicts[i].band]++;
			band_bytes[verdicts[i].band] += pkt_lens[i];
			fired |= 1u << verdicts[i].band;
		}
	}
	__atomic_fetch_add(&m->packet_in_count, n, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->byte_in_count, bytes, __ATOMIC_RELAXED);
	for (unsigned b = 0; fired != 0; b++, fired >>= 1) {
		if (fired & 1) {
			__atomic_fetch_add(&m->band_counters[b].packets, band_pkts[b], __ATOMIC_RELAXED);
			__atomic_fetch_add(&m->band_counters[b].bytes, band_bytes[b], __ATOMIC_RELAXED);
		}
	}
}

/* Meters up to 64 packets (one bit each in the per-band exceeded bitmaps). */
static unsigned
apply_chunk(struct sl_meter *m, const struct sl_meter_cfg *cfg, uint64_t now_ns,
	    const uint32_t *pkt_lens, unsigned n, struct sl_meter_verdict *verdicts)
{
	uint64_t costs[SL_METER_BURST_MAX];
	uint8_t exceeded_bands[SL_METER_BURST_MAX] = { 0 };
	unsigned drops = 0;

	for (unsigned i = 0; i < n; i++)
		costs[i] = cfg->pktps ? SL_METER_UNITS_PER_PACKET
				      : (uint64_t)pkt_lens[i] * SL_METER_UNITS_PER_BYTE_KBPS;
	for (unsigned b = 0; b < cfg->n_bands; b++) {
		uint64_t exceeded = bucket_charge(m, b, now_ns, &cfg->rt[b], costs, n);

		for (; exceeded != 0; exceeded &= exceeded - 1)
			exceeded_bands[__builtin_ctzll(exceeded)] |= (uint8_t)(1u << b);
	}
	for (unsigned i = 0; i < n; i++) {
		verdicts[i] = verdict_for(cfg, exceeded_bands[i]);
		drops += verdicts[i].action == SL_METER_DROP;
	}
	if (cfg->stats)
		count_chunk(m, pkt_lens, n, verdicts);
	return drops;
}

unsigned
sl_meter_apply_burst(struct sl_meter *meter, uint64_t now_ns, const uint32_t *pkt_lens,
		     unsigned n, struct sl_meter_verdict *verdicts)
{
	const struct sl_meter_cfg *cfg = __atomic_load_n(&meter->cfg, __ATOMIC_ACQUIRE);
	unsigned drops = 0;

	/* Larger bursts than documented still work, chunk by chunk. */
	for (unsigned done = 0; done < n; done += SL_METER_BURST_MAX) {
		unsigned chunk = n - done < SL_METER_BURST_MAX ? n - done : SL_METER_BURST_MAX;

		drops += apply_chunk(meter, cfg, now_ns, pkt_lens + done, chunk, verdicts + done);
	}
	return drops;
}

struct sl_meter_verdict
sl_meter_apply(struct sl_meter *meter, uint64_t now_ns, uint32_t pkt_len)
{
	struct sl_meter_verdict v;

	sl_meter_apply_burst(meter, now_ns, &pkt_len, 1, &v);
	return v;
}

/* ------------------------------------------------------ create / modify */

struct sl_meter *
sl_meter_create(const struct sl_meter_mod *mm, uint64_t now_ns, uint16_t *err_code)
{
	size_t size = (sizeof(struct sl_meter) + 63) & ~(size_t)63;
	struct sl_meter *m;

	if (sl_meter_mod_check(mm, err_code) != 0)
		return NULL;
	if (mm->command != OFPMC_ADD) {
		fail(err_code, OFPMMFC_BAD_COMMAND);
		return NULL;
	}
	m = aligned_alloc(64, size); /* 64: the buckets must not share a line with others */
	if (m == NULL) {
		fail(err_code, OFPMMFC_OUT_OF_METERS);
		return NULL;
	}
	memset(m, 0, size);
	m->cfg = cfg_build(mm);
	if (m->cfg == NULL) {
		free(m);
		fail(err_code, OFPMMFC_OUT_OF_METERS);
		return NULL;
	}
	for (unsigned b = 0; b < SL_METER_MAX_BANDS; b++)
		m->buckets[b].half.tokens = SL_METER_TOKENS_FULL; /* a new meter starts full */
	m->id = mm->meter_id;
	m->created_ns = now_ns;
	return m;
}

void
sl_meter_free_cb(void *meter)
{
	struct sl_meter *m = meter;

	free(m->cfg);
	free(m);
}

void
sl_meter_destroy(struct sl_meter *meter)
{
	if (meter != NULL)
		sl_meter_free_cb(meter);
}

int
sl_meter_modify(struct sl_meter *meter, const struct sl_meter_mod *mm,
		sl_meter_defer_free_fn *defer_free, void *defer_ctx, uint16_t *err_code)
{
	struct sl_meter_cfg *old = meter->cfg, *cfg;

	if (sl_meter_mod_check(mm, err_code) != 0)
		return -1;
	if (mm->command != OFPMC_MODIFY)
		return fail(err_code, OFPMMFC_BAD_COMMAND);
	cfg = cfg_build(mm);
	if (cfg == NULL)
		return fail(err_code, OFPMMFC_OUT_OF_METERS);
	/* Buckets whose meaning changes start full; the others keep their
	 * tokens and are capped to the new burst by the next refill, so a
	 * modify never hands out a fresh burst. */
	for (unsigned b = 0; b < cfg->n_bands; b++)
		if (b >= old->n_bands || cfg->pktps != old->pktps)
			bucket_fill(meter, b);
	/* Counters of removed bands restart if the band index comes back. */
	for (unsigned b = cfg->n_bands; b < old->n_bands; b++) {
		__atomic_store_n(&meter->band_counters[b].packets, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&meter->band_counters[b].bytes, 0, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&meter->cfg, cfg, __ATOMIC_RELEASE);
	if (defer_free != NULL)
		defer_free(defer_ctx, old, free);
	else
		free(old);
	return 0;
}

/* -------------------------------------------------------- stats, config */

uint32_t
sl_meter_id(const struct sl_meter *meter)
{
	return meter->id;
}

void
sl_meter_get_stats(const struct sl_meter *meter, uint64_t now_ns, struct sl_meter_stats *stats)
{
	const struct sl_meter_cfg *cfg = __atomic_load_n(&meter->cfg, __ATOMIC_ACQUIRE);
	uint64_t age = now_ns > meter->created_ns ? now_ns - meter->created_ns : 0;

	memset(stats, 0, sizeof(*stats));
	stats->meter_id = meter->id;
	stats->flow_count = meter->flow_count;
	stats->packet_in_count = __atomic_load_n(&meter->packet_in_count, __ATOMIC_RELAXED);
	stats->byte_in_count = __atomic_load_n(&meter->byte_in_count, __ATOMIC_RELAXED);
	stats->duration_sec = (uint32_t)(age / 1000000000ull);
	stats->duration_nsec = (uint32_t)(age % 1000000000ull);
	stats->n_bands = cfg->n_bands;
	for (unsigned b = 0; b < cfg->n_bands; b++) {
		stats->bands[b].packet_band_count =
			__atomic_load_n(&meter->band_counters[b].packets, __ATOMIC_RELAXED);
		stats->bands[b].byte_band_count =
			__atomic_load_n(&meter->band_counters[b].bytes, __ATOMIC_RELAXED);
	}
}

void
sl_meter_get_config(const struct sl_meter *meter, struct sl_meter_config *config)
{
	const struct sl_meter_cfg *cfg = __atomic_load_n(&meter->cfg, __ATOMIC_ACQUIRE);

	memset(config, 0, sizeof(*config));
	config->meter_id = meter->id;
	config->flags = cfg->flags;
	config->n_bands = cfg->n_bands;
	memcpy(config->bands, cfg->bands, sizeof(cfg->bands[0]) * cfg->n_bands);
}

void
sl_meter_flow_count_adjust(struct sl_meter *meter, int32_t delta)
{
	meter->flow_count = (uint32_t)((int64_t)meter->flow_count + delta);
}

/* ----------------------------------------------------------- DSCP remark */

uint8_t
sl_meter_dscp_remark(uint8_t dscp, uint8_t prec_level)
{
	unsigned af_class = (dscp >> 3) & 0x7;
	unsigned drop_prec = (dscp >> 1) & 0x3;
	unsigned raised;

	dscp &= 0x3f;
	/* AF codepoints are 0b ccc dd 0 with class 1..4 and precedence 1..3. */
	if ((dscp & 1) || af_class < 1 || af_class > 4 || drop_prec == 0)
		return dscp;
	raised = drop_prec + prec_level;
	if (raised > 3)
		raised = 3;
	return (uint8_t)((af_class << 3) | (raised << 1));
}

uint8_t
sl_meter_tos_remark(uint8_t tos, uint8_t prec_level)
{
	return (uint8_t)((sl_meter_dscp_remark(tos >> 2, prec_level) << 2) | (tos & 0x3));
}
