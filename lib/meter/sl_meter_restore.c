/* SPDX-License-Identifier: BSD-3-Clause */
/* A restored meter's counters and age (sl_meter_restore.h). */
#include "sl_meter_private.h"
#include "sl_meter_restore.h"

int
sl_meter_restore(struct sl_meter *meter, uint64_t packets, uint64_t bytes,
		 const uint64_t *band_counts, uint32_t n_bands, uint64_t created_ns)
{
	const struct sl_meter_cfg *cfg = __atomic_load_n(&meter->cfg, __ATOMIC_ACQUIRE);

	if (n_bands != cfg->n_bands)
		return -1;
	/* Workers add with relaxed atomics: stores of the same width. */
	__atomic_store_n(&meter->packet_in_count, packets, __ATOMIC_RELAXED);
	__atomic_store_n(&meter->byte_in_count, bytes, __ATOMIC_RELAXED);
	for (uint32_t b = 0; b < n_bands; b++) {
		__atomic_store_n(&meter->band_counters[b].packets, band_counts[2 * b],
				 __ATOMIC_RELAXED);
		__atomic_store_n(&meter->band_counters[b].bytes, band_counts[2 * b + 1],
				 __ATOMIC_RELAXED);
	}
	meter->created_ns = created_ns;
	return 0;
}

int
sl_meter_credit(struct sl_meter *meter, uint64_t packets, uint64_t bytes,
		const uint64_t *band_counts, uint32_t n_bands)
{
	const struct sl_meter_cfg *cfg = __atomic_load_n(&meter->cfg, __ATOMIC_ACQUIRE);

	if (n_bands != cfg->n_bands)
		return -1;
	__atomic_fetch_add(&meter->packet_in_count, packets, __ATOMIC_RELAXED);
	__atomic_fetch_add(&meter->byte_in_count, bytes, __ATOMIC_RELAXED);
	for (uint32_t b = 0; b < n_bands; b++) {
		__atomic_fetch_add(&meter->band_counters[b].packets, band_counts[2 * b],
				   __ATOMIC_RELAXED);
		__atomic_fetch_add(&meter->band_counters[b].bytes, band_counts[2 * b + 1],
				   __ATOMIC_RELAXED);
	}
	return 0;
}
