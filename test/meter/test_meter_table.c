/* SPDX-License-Identifier: BSD-3-Clause */
/* Meter table: meter-mod validation and error codes, add/modify/delete,
 * capacity, virtual meters, features, stats and config read-back, deferred
 * frees, and the DSCP remark function. */
#include <string.h>

#include "cunit_main.h"

#include "meter_test_util.h"

static uint16_t
check_code(const struct sl_meter_mod *mm)
{
	uint16_t err = 0xffff;

	if (sl_meter_mod_check(mm, &err) == 0)
		return 0xffff; /* valid */
	return err;
}

#define VALID 0xffff

static void
test_constants_match_spec(void)
{
	/* Values from the OpenFlow 1.3.5 spec (openflow.h), which the wire uses. */
	CU_ASSERT_EQUAL(OFPM_MAX, 0xffff0000u);
	CU_ASSERT_EQUAL(OFPM_SLOWPATH, 0xfffffffdu);
	CU_ASSERT_EQUAL(OFPM_CONTROLLER, 0xfffffffeu);
	CU_ASSERT_EQUAL(OFPM_ALL, 0xffffffffu);
	CU_ASSERT_EQUAL(OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS, 0xf);
	CU_ASSERT_EQUAL(OFPMBT_DSCP_REMARK, 2);
	CU_ASSERT_EQUAL(OFPET_METER_MOD_FAILED, 12);
	CU_ASSERT_EQUAL(OFPMMFC_BAD_BAND_VALUE, 9);
	CU_ASSERT_EQUAL(OFPMMFC_OUT_OF_BANDS, 11);
}

static void
test_check_command_and_ids(void)
{
	struct sl_meter_band b = drop_band(1000, 0);
	struct sl_meter_mod mm = meter_mod(OFPMC_ADD, 1, OFPMF_KBPS, &b, 1);

	CU_ASSERT_EQUAL(check_code(&mm), VALID);
	mm.command = 3;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_COMMAND);
	mm.command = 0xffff;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_COMMAND);

	const uint32_t invalid[] = { 0, OFPM_MAX + 1, 0xfffffffcu };
	const uint32_t valid[] = { 1, 2, OFPM_MAX, OFPM_SLOWPATH, OFPM_CONTROLLER };

	for (uint16_t cmd = OFPMC_ADD; cmd <= OFPMC_DELETE; cmd++) {
		mm.command = cmd;
		for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
			mm.meter_id = invalid[i];
			CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_INVALID_METER);
		}
		for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
			mm.meter_id = valid[i];
			CU_ASSERT_EQUAL(check_code(&mm), VALID);
		}
	}
	/* OFPM_ALL names every meter: only a delete may use it. */
	mm.meter_id = OFPM_ALL;
	mm.command = OFPMC_ADD;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_INVALID_METER);
	mm.command = OFPMC_MODIFY;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_INVALID_METER);
	mm.command = OFPMC_DELETE;
	CU_ASSERT_EQUAL(check_code(&mm), VALID);
}

static void
test_check_flags(void)
{
	struct sl_meter_band b = drop_band(1000, 10);
	struct sl_meter_mod mm = meter_mod(OFPMC_ADD, 7, 0, &b, 1);

	CU_ASSERT_EQUAL(check_code(&mm), VALID); /* neither unit: kb/s */
	mm.flags = OFPMF_KBPS | OFPMF_PKTPS;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_FLAGS);
	mm.flags = OFPMF_KBPS | 0x10;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_FLAGS);
	mm.flags = 0x8000;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_FLAGS);
	mm.flags = OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS;
	CU_ASSERT_EQUAL(check_code(&mm), VALID);
	mm.command = OFPMC_MODIFY;
	mm.flags = OFPMF_KBPS | OFPMF_PKTPS;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_FLAGS);
	/* Delete ignores flags and bands. */
	mm.command = OFPMC_DELETE;
	mm.n_bands = 200;
	mm.bands = NULL;
	CU_ASSERT_EQUAL(check_code(&mm), VALID);
}

static void
test_check_bands(void)
{
	struct sl_meter_band bands[SL_METER_MAX_BANDS + 1];
	struct sl_meter_mod mm = meter_mod(OFPMC_ADD, 7, OFPMF_KBPS, bands, 1);

	bands[0] = drop_band(10, 0);
	CU_ASSERT_EQUAL(check_code(&mm), VALID);
	bands[0].type = OFPMBT_EXPERIMENTER;
	bands[0].experimenter = 0x2320;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_BAND);
	bands[0].type = 0;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_BAND);
	bands[0].type = 3;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_BAND);
	bands[0] = drop_band(0, 0);
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_RATE);
	bands[0] = remark_band(0, 0, 1);
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_RATE);
	/* burst_size only matters with OFPMF_BURST. */
	bands[0] = drop_band(10, 0);
	mm.flags = OFPMF_KBPS | OFPMF_BURST;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_BURST);
	bands[0].burst_size = 1;
	CU_ASSERT_EQUAL(check_code(&mm), VALID);
	bands[0] = remark_band(10, 5, 0);
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_BAND_VALUE);
	bands[0] = remark_band(10, 5, 3);
	CU_ASSERT_EQUAL(check_code(&mm), VALID);

	for (int i = 0; i < SL_METER_MAX_BANDS + 1; i++)
		bands[i] = drop_band(100u * (uint32_t)(i + 1), 1);
	mm.n_bands = SL_METER_MAX_BANDS;
	CU_ASSERT_EQUAL(check_code(&mm), VALID);
	mm.n_bands = SL_METER_MAX_BANDS + 1;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_OUT_OF_BANDS);
	mm.n_bands = 0x10001; /* would be 1 if truncated to 16 bits */
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_OUT_OF_BANDS);
	/* A bad band after good ones is still found. */
	mm.n_bands = 4;
	bands[3].rate = 0;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_RATE);
	/* A meter without bands only counts: allowed. */
	mm.n_bands = 0;
	CU_ASSERT_EQUAL(check_code(&mm), VALID);
	mm.n_bands = 2;
	mm.bands = NULL;
	CU_ASSERT_EQUAL(check_code(&mm), OFPMMFC_BAD_BAND);
}

static int
table_mod(struct sl_meter_table *t, uint16_t cmd, uint32_t id, uint16_t flags,
	  const struct sl_meter_band *bands, uint16_t n, uint16_t *err)
{
	struct sl_meter_mod mm = meter_mod(cmd, id, flags, bands, n);

	*err = 0xffff;
	return sl_meter_table_mod(t, &mm, 1000, err);
}

static void
test_table_add_modify_delete(void)
{
	struct sl_meter_table *t = sl_meter_table_create(100, NULL, NULL);
	struct sl_meter_band b = drop_band(1000, 0);
	struct sl_meter *m;
	uint16_t err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, 1, OFPMF_KBPS, &b, 1, &err), 0);
	m = sl_meter_table_lookup(t, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(sl_meter_id(m), 1);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, 1, OFPMF_KBPS, &b, 1, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_METER_EXISTS);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_MODIFY, 2, OFPMF_KBPS, &b, 1, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_UNKNOWN_METER);
	/* Validation comes before existence: a bad modify of a missing meter. */
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_MODIFY, 2, 0x40, &b, 1, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_BAD_FLAGS);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_MODIFY, 1, OFPMF_PKTPS, &b, 1, &err), 0);
	CU_ASSERT_PTR_EQUAL(sl_meter_table_lookup(t, 1), m); /* address survives modify */
	/* A failed modify leaves the meter as it was. */
	struct sl_meter_band bad = drop_band(0, 0);
	struct sl_meter_config cfg;

	CU_ASSERT_EQUAL(table_mod(t, OFPMC_MODIFY, 1, OFPMF_KBPS, &bad, 1, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_BAD_RATE);
	sl_meter_get_config(m, &cfg);
	CU_ASSERT_EQUAL(cfg.flags, OFPMF_PKTPS);

	CU_ASSERT_EQUAL(table_mod(t, OFPMC_DELETE, 2, 0, NULL, 0, &err), 0); /* missing: no error */
	CU_ASSERT_EQUAL(sl_meter_table_count(t), 1);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_DELETE, 1, 0, NULL, 0, &err), 0);
	CU_ASSERT_PTR_NULL(sl_meter_table_lookup(t, 1));
	CU_ASSERT_EQUAL(sl_meter_table_count(t), 0);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, 1, OFPMF_KBPS, &b, 1, &err), 0); /* re-add */
	CU_ASSERT_EQUAL(table_mod(t, 9, 1, OFPMF_KBPS, &b, 1, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_BAD_COMMAND);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, 0, OFPMF_KBPS, &b, 1, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_INVALID_METER);
	sl_meter_table_destroy(t);
	CU_ASSERT_PTR_NULL(sl_meter_table_create(0, NULL, NULL));
	CU_ASSERT_PTR_NULL(sl_meter_table_create(OFPM_MAX + 1, NULL, NULL));
	sl_meter_table_destroy(NULL);
}

static void
test_table_capacity_and_virtual(void)
{
	struct sl_meter_table *t = sl_meter_table_create(3, NULL, NULL);
	struct sl_meter_band b = drop_band(1000, 0);
	uint16_t err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, OFPM_CONTROLLER, 0, &b, 1, &err), 0);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, OFPM_SLOWPATH, 0, &b, 1, &err), 0);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, OFPM_MAX, 0, &b, 1, &err), 0);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, 5, 0, &b, 1, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_OUT_OF_METERS);
	CU_ASSERT_PTR_NULL(sl_meter_table_lookup(t, 5));
	/* METER_EXISTS wins over OUT_OF_METERS for an existing id. */
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, OFPM_MAX, 0, &b, 1, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_METER_EXISTS);
	CU_ASSERT_PTR_NOT_NULL(sl_meter_table_lookup(t, OFPM_CONTROLLER));
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_DELETE, OFPM_SLOWPATH, 0, NULL, 0, &err), 0);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, 5, 0, &b, 1, &err), 0);
	CU_ASSERT_EQUAL(sl_meter_table_count(t), 3);
	CU_ASSERT_PTR_NULL(sl_meter_table_lookup(t, OFPM_ALL));
	sl_meter_table_destroy(t);
}

static int
has_obj(const struct defer_list *l, const void *obj)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].obj == obj)
			return 1;
	return 0;
}

static void
test_table_many_ids_delete_all(void)
{
	enum { N = 20000 };
	struct defer_list deferred = { 0 };
	struct sl_meter_table *t = sl_meter_table_create(N, defer_collect, &deferred);
	struct sl_meter_band b = drop_band(1000, 0);
	uint32_t *ids = malloc(sizeof(*ids) * N), *got = malloc(sizeof(*got) * N);
	uint64_t rng = test_seed();
	uint32_t n = 0;
	uint16_t err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ids);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	while (n < N) {
		uint32_t id = (uint32_t)(test_rng_splitmix(&rng) % OFPM_MAX) + 1;

		if (sl_meter_table_lookup(t, id) != NULL)
			continue;
		CU_ASSERT_EQUAL_FATAL(table_mod(t, OFPMC_ADD, id, 0, &b, 1, &err), 0);
		ids[n++] = id;
	}
	CU_ASSERT_EQUAL(sl_meter_table_count(t), N);
	for (uint32_t i = 0; i < N; i++) {
		struct sl_meter *m = sl_meter_table_lookup(t, ids[i]);

		CU_ASSERT_FATAL(m != NULL && sl_meter_id(m) == ids[i]);
	}
	/* Sorted listing, full and truncated. */
	CU_ASSERT_EQUAL(sl_meter_table_ids(t, got, N), N);
	for (uint32_t i = 1; i < N; i++)
		CU_ASSERT_FATAL(got[i - 1] < got[i]);
	uint32_t small[10];

	CU_ASSERT_EQUAL(sl_meter_table_ids(t, small, 10), N);
	CU_ASSERT_EQUAL(memcmp(small, got, sizeof(small)), 0);
	/* Delete every other meter, then all: each meter deferred exactly once. */
	for (uint32_t i = 0; i < N; i += 2)
		CU_ASSERT_EQUAL(table_mod(t, OFPMC_DELETE, ids[i], 0, NULL, 0, &err), 0);
	CU_ASSERT_EQUAL(sl_meter_table_count(t), N / 2);
	CU_ASSERT_EQUAL(deferred.n, N / 2);
	for (uint32_t i = 0; i < N; i++)
		CU_ASSERT_FATAL((sl_meter_table_lookup(t, ids[i]) == NULL) == (i % 2 == 0));
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_DELETE, OFPM_ALL, 0, NULL, 0, &err), 0);
	CU_ASSERT_EQUAL(sl_meter_table_count(t), 0);
	CU_ASSERT_EQUAL(deferred.n, N);
	CU_ASSERT_EQUAL(sl_meter_table_ids(t, got, N), 0);
	CU_ASSERT_PTR_NULL(sl_meter_table_lookup(t, ids[1]));
	sl_meter_table_destroy(t);
	defer_flush(&deferred); /* freed only now: ASan would catch an early free */
	free(ids);
	free(got);
}

static void
test_defer_on_modify(void)
{
	struct defer_list deferred = { 0 };
	struct sl_meter_table *t = sl_meter_table_create(4, defer_collect, &deferred);
	struct sl_meter_band b1 = drop_band(1000, 0), b2 = remark_band(500, 0, 2);
	struct sl_meter *m;
	uint16_t err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_ADD, 3, 0, &b1, 1, &err), 0);
	m = sl_meter_table_lookup(t, 3);
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_MODIFY, 3, 0, &b2, 1, &err), 0);
	CU_ASSERT_EQUAL(deferred.n, 1); /* the old band configuration */
	CU_ASSERT_FALSE(has_obj(&deferred, m));
	CU_ASSERT_EQUAL(table_mod(t, OFPMC_DELETE, 3, 0, NULL, 0, &err), 0);
	CU_ASSERT_EQUAL(deferred.n, 2);
	CU_ASSERT_TRUE(has_obj(&deferred, m));
	/* A reader that looked the meter up before the delete can still use it. */
	struct sl_meter_verdict v = sl_meter_apply(m, 2000, 100);

	CU_ASSERT_EQUAL(v.action, SL_METER_PASS);
	sl_meter_table_destroy(t);
	defer_flush(&deferred);
}

static void
test_features(void)
{
	struct sl_meter_table *t = sl_meter_table_create(4096, NULL, NULL);
	struct sl_meter_features f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	memset(&f, 0xaa, sizeof(f));
	sl_meter_table_features(t, &f);
	CU_ASSERT_EQUAL(f.max_meter, 4096);
	CU_ASSERT_EQUAL(f.band_types, (1u << OFPMBT_DROP) | (1u << OFPMBT_DSCP_REMARK));
	CU_ASSERT_EQUAL(f.capabilities, 0xf);
	CU_ASSERT_EQUAL(f.max_bands, SL_METER_MAX_BANDS);
	CU_ASSERT_EQUAL(f.max_color, 0);
	sl_meter_table_destroy(t);
}

static void
test_config_readback(void)
{
	struct sl_meter_band bands[3] = { drop_band(5000, 40), remark_band(2000, 20, 1),
					  remark_band(3000, 10, 2) };
	struct sl_meter *m =
		make_meter(OFPMF_KBPS | OFPMF_BURST | OFPMF_STATS, bands, 3, 0);
	struct sl_meter_config cfg;

	sl_meter_get_config(m, &cfg);
	CU_ASSERT_EQUAL(cfg.meter_id, 1);
	CU_ASSERT_EQUAL(cfg.flags, OFPMF_KBPS | OFPMF_BURST | OFPMF_STATS);
	CU_ASSERT_EQUAL(cfg.n_bands, 3);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(cfg.bands[i].type, bands[i].type);
		CU_ASSERT_EQUAL(cfg.bands[i].rate, bands[i].rate);
		CU_ASSERT_EQUAL(cfg.bands[i].burst_size, bands[i].burst_size);
		CU_ASSERT_EQUAL(cfg.bands[i].prec_level, bands[i].prec_level);
	}
	struct sl_meter_mod mm = meter_mod(OFPMC_MODIFY, 1, OFPMF_PKTPS, bands + 1, 1);
	uint16_t err;

	CU_ASSERT_EQUAL(sl_meter_modify(m, &mm, NULL, NULL, &err), 0);
	sl_meter_get_config(m, &cfg);
	CU_ASSERT_EQUAL(cfg.flags, OFPMF_PKTPS);
	CU_ASSERT_EQUAL(cfg.n_bands, 1);
	CU_ASSERT_EQUAL(cfg.bands[0].rate, 2000);
	/* sl_meter_modify() wants a MODIFY, sl_meter_create() an ADD. */
	mm.command = OFPMC_ADD;
	CU_ASSERT_EQUAL(sl_meter_modify(m, &mm, NULL, NULL, &err), -1);
	CU_ASSERT_EQUAL(err, OFPMMFC_BAD_COMMAND);
	mm.command = OFPMC_MODIFY;
	CU_ASSERT_PTR_NULL(sl_meter_create(&mm, 0, &err));
	CU_ASSERT_EQUAL(err, OFPMMFC_BAD_COMMAND);
	sl_meter_destroy(m);
	sl_meter_destroy(NULL);
}

static void
test_stats_duration_flow_count(void)
{
	struct sl_meter_band b = drop_band(10, 1); /* 10 pkt/s, burst 1 packet */
	const uint64_t t0 = 5 * NS_PER_SEC + 7;
	struct sl_meter *m = make_meter(OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS, &b, 1, t0);
	struct sl_meter_stats st;

	CU_ASSERT_EQUAL(sl_meter_apply(m, t0, 100).action, SL_METER_PASS);
	CU_ASSERT_EQUAL(sl_meter_apply(m, t0, 200).action, SL_METER_DROP);
	CU_ASSERT_EQUAL(sl_meter_apply(m, t0, 300).band, 0);
	sl_meter_flow_count_adjust(m, 3);
	sl_meter_flow_count_adjust(m, -1);
	sl_meter_get_stats(m, t0 + 2 * NS_PER_SEC + 123, &st);
	CU_ASSERT_EQUAL(st.meter_id, 1);
	CU_ASSERT_EQUAL(st.flow_count, 2);
	CU_ASSERT_EQUAL(st.packet_in_count, 3);
	CU_ASSERT_EQUAL(st.byte_in_count, 600);
	CU_ASSERT_EQUAL(st.duration_sec, 2);
	CU_ASSERT_EQUAL(st.duration_nsec, 123);
	CU_ASSERT_EQUAL(st.n_bands, 1);
	CU_ASSERT_EQUAL(st.bands[0].packet_band_count, 2);
	CU_ASSERT_EQUAL(st.bands[0].byte_band_count, 500);
	sl_meter_get_stats(m, 0, &st); /* a clock before creation: duration 0 */
	CU_ASSERT_EQUAL(st.duration_sec, 0);
	CU_ASSERT_EQUAL(st.duration_nsec, 0);
	sl_meter_destroy(m);

	/* Without OFPMF_STATS nothing is counted, but metering still happens. */
	m = make_meter(OFPMF_PKTPS | OFPMF_BURST, &b, 1, t0);
	CU_ASSERT_EQUAL(sl_meter_apply(m, t0, 100).action, SL_METER_PASS);
	CU_ASSERT_EQUAL(sl_meter_apply(m, t0, 100).action, SL_METER_DROP);
	sl_meter_get_stats(m, t0, &st);
	CU_ASSERT_EQUAL(st.packet_in_count, 0);
	CU_ASSERT_EQUAL(st.bands[0].packet_band_count, 0);
	sl_meter_destroy(m);
}

static void
test_modify_keeps_stats(void)
{
	struct sl_meter_band b[2] = { drop_band(10, 1), remark_band(5, 1, 1) };
	const uint16_t flags = OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS;
	struct sl_meter *m = make_meter(flags, b, 2, 100);
	struct sl_meter_stats st;
	uint16_t err;

	for (int i = 0; i < 5; i++)
		sl_meter_apply(m, 100, 64);
	/* Packet 1 passes; 2..5 exceed both, the higher rate (band 0) fires. */
	struct sl_meter_mod mm = meter_mod(OFPMC_MODIFY, 1, flags, b, 1);

	CU_ASSERT_EQUAL(sl_meter_modify(m, &mm, NULL, NULL, &err), 0);
	sl_meter_get_stats(m, 100 + NS_PER_SEC, &st);
	CU_ASSERT_EQUAL(st.packet_in_count, 5);
	CU_ASSERT_EQUAL(st.byte_in_count, 320);
	CU_ASSERT_EQUAL(st.duration_sec, 1);
	CU_ASSERT_EQUAL(st.n_bands, 1);
	CU_ASSERT_EQUAL(st.bands[0].packet_band_count, 4);
	CU_ASSERT_EQUAL(st.bands[0].byte_band_count, 256);
	/* Growing back to two bands: band 1's old counters do not reappear. */
	mm.n_bands = 2;
	CU_ASSERT_EQUAL(sl_meter_modify(m, &mm, NULL, NULL, &err), 0);
	sl_meter_get_stats(m, 100, &st);
	CU_ASSERT_EQUAL(st.n_bands, 2);
	CU_ASSERT_EQUAL(st.bands[1].packet_band_count, 0);
	CU_ASSERT_EQUAL(st.bands[0].packet_band_count, 4);
	sl_meter_destroy(m);
}

/* RFC 2597 AF codepoints written out, independent of the bit formula. */
static const uint8_t af_table[4][3] = {
	{ 10, 12, 14 }, /* AF11 AF12 AF13 */
	{ 18, 20, 22 }, /* AF21 .. */
	{ 26, 28, 30 },
	{ 34, 36, 38 },
};

static void
test_dscp_remark(void)
{
	for (unsigned dscp = 0; dscp < 64; dscp++) {
		int cls = -1, dp = -1;

		for (int c = 0; c < 4; c++)
			for (int d = 0; d < 3; d++)
				if (af_table[c][d] == dscp) {
					cls = c;
					dp = d;
				}
		for (unsigned prec = 0; prec < 256; prec++) {
			uint8_t want = (uint8_t)dscp;

			if (cls >= 0)
				want = af_table[cls][dp + (int)prec > 2 ? 2 : dp + (int)prec];
			CU_ASSERT_EQUAL_FATAL(sl_meter_dscp_remark((uint8_t)dscp, (uint8_t)prec), want);
			for (unsigned ecn = 0; ecn < 4; ecn++)
				CU_ASSERT_EQUAL_FATAL(
					sl_meter_tos_remark((uint8_t)(dscp << 2 | ecn), (uint8_t)prec),
					(uint8_t)(want << 2 | ecn));
		}
	}
	/* Spot checks by name. */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(10, 1), 12); /* AF11 -> AF12 */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(10, 2), 14); /* AF11 -> AF13 */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(36, 1), 38); /* AF42 -> AF43 */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(38, 1), 38); /* AF43 stays */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(46, 2), 46); /* EF untouched */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(8, 1), 8);   /* CS1 untouched */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(0, 1), 0);   /* best effort */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(42, 1), 42); /* 0b101010: class 5, not AF */
	CU_ASSERT_EQUAL(sl_meter_dscp_remark(0x40 | 10, 1), 12); /* upper bits ignored */
}

static const struct cunit_test tests[] = {
	{ "constants_match_spec", test_constants_match_spec },
	{ "check_command_and_ids", test_check_command_and_ids },
	{ "check_flags", test_check_flags },
	{ "check_bands", test_check_bands },
	{ "table_add_modify_delete", test_table_add_modify_delete },
	{ "table_capacity_and_virtual", test_table_capacity_and_virtual },
	{ "table_many_ids_delete_all", test_table_many_ids_delete_all },
	{ "defer_on_modify", test_defer_on_modify },
	{ "features", test_features },
	{ "config_readback", test_config_readback },
	{ "stats_duration_flow_count", test_stats_duration_flow_count },
	{ "modify_keeps_stats", test_modify_keeps_stats },
	{ "dscp_remark", test_dscp_remark },
};

int
main(void)
{
	return cunit_run_suite("meter_table", tests, CUNIT_N_TESTS(tests));
}
