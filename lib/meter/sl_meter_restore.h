/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_meter_restore.h
 * Putting back a meter's counters and age, for state restored from a
 * snapshot (lib/snapshot): the meter is first made by an ordinary meter-mod
 * (ADD), then given its past with this. Control thread.
 */
#ifndef SL_METER_RESTORE_H
#define SL_METER_RESTORE_H

#include <stdint.h>

#include "sl_meter.h"

/**
 * Set the meter's counters and the time it was added. The band counters
 * are set for the first @p n_bands bands.
 * @param meter       the meter
 * @param packets     packets offered to it
 * @param bytes       bytes offered to it
 * @param band_counts (packets, bytes) per band
 * @param n_bands     pairs in @p band_counts
 * @param created_ns  when it was added, on the clock given to sl_meter_table_mod()
 * @return 0, or -1 when @p n_bands is not the meter's number of bands.
 */
int sl_meter_restore(struct sl_meter *meter, uint64_t packets, uint64_t bytes,
		     const uint64_t *band_counts, uint32_t n_bands, uint64_t created_ns);

/**
 * Add to the meter's counters what it counted elsewhere: a hand-over
 * upgrade (sluiced/upgrade/) credits what the old process's meter counted
 * after the state the new one was built from. Workers may be counting on
 * the meter at the same time: the additions are atomic.
 * @param meter       the meter
 * @param packets     packets to add
 * @param bytes       bytes to add
 * @param band_counts (packets, bytes) to add per band
 * @param n_bands     pairs in @p band_counts
 * @return 0, or -1 (nothing added) when @p n_bands is not the meter's
 *         number of bands.
 */
int sl_meter_credit(struct sl_meter *meter, uint64_t packets, uint64_t bytes,
		    const uint64_t *band_counts, uint32_t n_bands);

#endif /* SL_METER_RESTORE_H */
