/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal layout of a meter, shared by sl_meter.c and sl_meter_table.c only.
 * Not installed, not included by other layers.
 */
#ifndef SL_METER_PRIVATE_H
#define SL_METER_PRIVATE_H

#include <stdint.h>

#include "sl_meter.h"

/*
 * Token units (see sl_meter.h): a band of rate R earns R units per ns.
 * kb/s: 1 unit = 1e-6 bit, so one byte costs 8e6 units and one kilobit of
 * burst holds 1e9 units.  pkt/s: 1 unit = 1e-9 packet, one packet costs 1e9
 * units, one packet of burst holds 1e9 units.  The largest burst (2^32-1
 * kilobits or packets) is < 4.3e18 units, below 2^64.
 */
#define SL_METER_UNITS_PER_BYTE_KBPS 8000000ull
#define SL_METER_UNITS_PER_PACKET 1000000000ull
#define SL_METER_UNITS_PER_BURST_UNIT 1000000000ull

/* Bucket tokens meaning "full whatever the capacity" (new meter or band). */
#define SL_METER_TOKENS_FULL UINT64_MAX

#if defined(__GCC_HAVE_SYNC_COMPARE_AND_SWAP_16)
#define SL_METER_HAVE_CAS16 1
#else
#define SL_METER_HAVE_CAS16 0
#endif

/* Immutable per-band parameters derived from the configuration. */
struct sl_meter_band_rt {
	uint64_t rate;     /* units earned per ns */
	uint64_t capacity; /* bucket size in units, > 0 */
	uint64_t fill_ns;  /* capacity / rate + 1: an empty bucket is full after this */
	uint16_t type;     /* OFPMBT_DROP or OFPMBT_DSCP_REMARK */
	uint8_t prec_level;
};

/*
 * A meter configuration.  Immutable once published; a modify publishes a new
 * one and defers the free of the old, so workers read it without locks.
 */
struct sl_meter_cfg {
	uint16_t flags;
	uint16_t n_bands;
	uint8_t pktps; /* rates in packets/s (else kb/s) */
	uint8_t stats; /* OFPMF_STATS: count packets and bytes */
	uint8_t order[SL_METER_MAX_BANDS]; /* band indexes by descending rate */
	struct sl_meter_band_rt rt[SL_METER_MAX_BANDS];
	struct sl_meter_band bands[SL_METER_MAX_BANDS]; /* as configured */
};

/* One band bucket: {tokens, last update}, updated as one 16-byte unit. */
union sl_meter_bucket {
#if SL_METER_HAVE_CAS16
	unsigned __int128 whole;
#endif
	struct {
		uint64_t tokens;
		uint64_t last_ns;
	} half;
} __attribute__((aligned(16)));

/* Per-band counters, written with relaxed atomic adds. */
struct sl_meter_band_counters {
	uint64_t packets;
	uint64_t bytes;
};

struct sl_meter {
	/* Read by workers on every apply. */
	struct sl_meter_cfg *cfg; /* __atomic load acquire / store release */
	union sl_meter_bucket buckets[SL_METER_MAX_BANDS];
#if !SL_METER_HAVE_CAS16
	uint8_t bucket_locks[SL_METER_MAX_BANDS]; /* fallback: tiny spinlocks */
#endif
	/* Written by workers (relaxed atomics). */
	uint64_t packet_in_count;
	uint64_t byte_in_count;
	struct sl_meter_band_counters band_counters[SL_METER_MAX_BANDS];
	/* Control thread. */
	uint32_t id;
	uint32_t flow_count;
	uint64_t created_ns;
	/* Hash chain: written by the control thread, read by readers (atomics). */
	struct sl_meter *next;
};

/* Frees a meter and its configuration (usable as a defer-free callback). */
void sl_meter_free_cb(void *meter);

#endif /* SL_METER_PRIVATE_H */
