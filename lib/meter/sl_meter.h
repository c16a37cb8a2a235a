/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_meter.h
 * OpenFlow 1.3 meters: the meter table (control side) and the token-bucket
 * policer applied by worker lcores (fast path).  Pure library: no threads,
 * no EAL, no hugepages.  Design notes and decisions: lib/meter/README.md.
 *
 * Time.  Every function that needs "now" takes it in nanoseconds from any
 * monotonic origin (the dataplane converts TSC cycles with
 * sl_meter_clock_ns()).  Nanoseconds make the token arithmetic exact in
 * integers: a band of R kb/s earns exactly R "micro-bits" (1e-6 bit) per ns,
 * a band of R packets/s earns exactly R "nano-packets" (1e-9 packet) per ns,
 * so no rounding ever happens and no drift accumulates however the calls are
 * spaced.  Buckets counted in TSC ticks would need a division by the TSC
 * frequency on every refill, i.e. rounding; the clock conversion here happens
 * once per burst and only its (tiny) frequency error remains.
 *
 * Why our own token bucket and not DPDK's rte_meter: rte_meter implements
 * srTCM/trTCM (RFC 2697/2698), byte rates only (no packets/s), at most two
 * rates with colour semantics, reads the clock frequency from the EAL
 * (rte_get_tsc_hz(), so not usable without EAL in unit tests) and its state is
 * single-writer.  OpenFlow meters have 1..N independent bands, kb/s or pkt/s,
 * and one meter is shared by all workers, so none of it maps cleanly.
 *
 * Concurrency (decided here, why): one meter is applied by several workers at
 * once.  Each band bucket is a 16-byte {tokens, last_ns} pair updated with one
 * 128-bit compare-and-swap (cmpxchg16b, part of x86-64-v2), so every update is
 * a linearizable step of the serial algorithm and the aggregate rate is exact.
 * We rejected per-worker buckets that split the rate: RSS routinely puts most
 * of one meter's traffic (often one big flow) on a single worker, which would
 * then be policed at rate/N.  The cost is a shared cache line per meter;
 * sl_meter_apply_burst() amortises it to one CAS per band per burst, a call
 * that charges nothing (overload) writes no bucket at all, and the counters
 * are relaxed atomic adds, done once per call.
 *
 * Lifetime.  The control thread is the only writer of the table.  Readers
 * (workers, translation) look meters up and apply them without locks under the
 * caller's RCU (e.g. rte_rcu_qsbr).  Nothing a reader can still hold is freed
 * by this library: unlinked meters (delete) and replaced band configurations
 * (modify) are handed to the table's defer-free callback, and the caller frees
 * them after a grace period.  A meter's address is stable across modify, so
 * megaflows holding it stay valid; stats live in the meter and survive modify.
 */
#ifndef SL_METER_H
#define SL_METER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The OpenFlow 1.3 meter constants (OFPM_*, OFPMC_*, OFPMF_*, OFPMBT_*,
 * OFPET_METER_MOD_FAILED and OFPMMFC_*) by their spec names. */
#include "openflow.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Sluice limits and decisions ---- */

/** Most bands one meter may carry (reported as ofp_meter_features.max_bands). */
#define SL_METER_MAX_BANDS 8
/** ofp_meter_features.max_color: we have no colour-aware bands. */
#define SL_METER_MAX_COLOR 0
/**
 * Default burst when OFPMF_BURST is absent: 100 ms worth of the band rate,
 * but at least SL_METER_MIN_DEFAULT_BURST_KBITS (kb/s meters: a 9216-byte
 * jumbo frame must be able to pass at any rate) or 1 packet (pkt/s meters).
 * 100 ms absorbs worker scheduling jitter and TCP bursts without letting a
 * flow exceed its rate for long.  With OFPMF_BURST, burst_size is used as
 * given (kilobits or packets) and must be non-zero.
 */
#define SL_METER_DEFAULT_BURST_MS 100
#define SL_METER_MIN_DEFAULT_BURST_KBITS 80 /**< 10000 bytes. */
/** Packets sl_meter_apply_burst() meters in one atomic step per band (larger
 *  bursts are split into steps of this size). */
#define SL_METER_BURST_MAX 64

/** One band as in ofp_meter_band_* (host byte order). */
struct sl_meter_band {
	uint16_t type;         /**< OFPMBT_*. */
	uint8_t prec_level;    /**< DSCP_REMARK: drop precedence levels to add. */
	uint32_t rate;         /**< kb/s or packet/s, per the meter flags. */
	uint32_t burst_size;   /**< kilobits or packets; used only with OFPMF_BURST. */
	uint32_t experimenter; /**< EXPERIMENTER bands: kept opaque. */
};

/** A decoded OFPT_METER_MOD (host byte order). */
struct sl_meter_mod {
	uint16_t command;                  /**< OFPMC_*. */
	uint16_t flags;                    /**< OFPMF_*. */
	uint32_t meter_id;                 /**< 1..OFPM_MAX or a virtual meter. */
	uint32_t n_bands;                  /**< Entries in @c bands; > 8 is OUT_OF_BANDS. */
	const struct sl_meter_band *bands; /**< Bands, in the order sent. */
};

/** ofp_meter_features. */
struct sl_meter_features {
	uint32_t max_meter;    /**< Maximum number of meters. */
	uint32_t band_types;   /**< Bitmap of (1 << OFPMBT_*) supported. */
	uint32_t capabilities; /**< Bitmap of OFPMF_* supported. */
	uint8_t max_bands;     /**< Maximum bands per meter. */
	uint8_t max_color;     /**< Maximum colour value. */
};

/** ofp_meter_band_stats. */
struct sl_meter_band_stats {
	uint64_t packet_band_count; /**< Packets for which this band fired. */
	uint64_t byte_band_count;   /**< Bytes for which this band fired. */
};

/** ofp_meter_stats (the band stats are returned alongside). */
struct sl_meter_stats {
	uint32_t meter_id;        /**< The meter's id. */
	uint32_t flow_count;      /**< Rules using the meter (kept by the pipeline). */
	uint64_t packet_in_count; /**< Packets offered to the meter. */
	uint64_t byte_in_count;   /**< Bytes offered to the meter. */
	uint32_t duration_sec;    /**< Time since the meter was added. */
	uint32_t duration_nsec;   /**< Nanoseconds beyond duration_sec. */
	uint16_t n_bands;         /**< Entries used in @c bands. */
	struct sl_meter_band_stats bands[SL_METER_MAX_BANDS]; /**< Per band, in band order. */
};

/** A meter's current configuration (OFPMP_METER_CONFIG). */
struct sl_meter_config {
	uint32_t meter_id; /**< The meter's id. */
	uint16_t flags; /**< As given in the last ADD/MODIFY. */
	uint16_t n_bands;  /**< Entries used in @c bands. */
	struct sl_meter_band bands[SL_METER_MAX_BANDS]; /**< The bands, in the order sent. */
};

/** What to do with a packet after metering. */
enum sl_meter_action {
	SL_METER_PASS = 0,   /**< No band fired: forward unchanged. */
	SL_METER_DROP = 1,   /**< A drop band fired. */
	SL_METER_REMARK = 2, /**< A DSCP remark band fired: see prec_level. */
};

/** Band index meaning "no band fired". */
#define SL_METER_BAND_NONE 0xff

/** Result of metering one packet. */
struct sl_meter_verdict {
	uint8_t band;       /**< Index of the band that fired, or SL_METER_BAND_NONE. */
	uint8_t action;     /**< enum sl_meter_action. */
	uint8_t prec_level; /**< For SL_METER_REMARK: levels to add (sl_meter_dscp_remark). */
	uint8_t reserved;   /**< Unused; keeps the verdict 4 bytes. */
};

struct sl_meter;
struct sl_meter_table;

/**
 * Called when the table unlinks memory that readers may still use (a deleted
 * meter, a band configuration replaced by modify).  The callee must call
 * @p free_fn(@p obj) once every reader that could have seen it has passed a
 * quiescent state (e.g. via rte_rcu_qsbr_dq_enqueue).
 * @param ctx      the defer_ctx given with the hook.
 * @param obj      the memory to free later.
 * @param free_fn  frees @p obj.
 */
typedef void sl_meter_defer_free_fn(void *ctx, void *obj, void (*free_fn)(void *obj));

/* ---- Table: control thread only (except sl_meter_table_lookup) ---- */

/**
 * Create an empty meter table.
 * @param max_meters  capacity, 1..OFPM_MAX (virtual meters count too).
 * @param defer_free  deferred-free hook, or NULL to free at once (only safe
 *                    when no reader runs concurrently, e.g. in tests).
 * @param defer_ctx   passed to @p defer_free.
 * @return the table, or NULL on bad capacity / allocation failure.
 */
struct sl_meter_table *sl_meter_table_create(uint32_t max_meters,
					     sl_meter_defer_free_fn *defer_free,
					     void *defer_ctx);

/**
 * Free the table and every meter in it at once (no deferral).  The caller
 * guarantees no reader uses the table or its meters any more.
 * @param table  the table; NULL is a no-op.
 */
void sl_meter_table_destroy(struct sl_meter_table *table);

/**
 * Apply an OFPT_METER_MOD.  ADD of an existing id fails with METER_EXISTS,
 * MODIFY of a missing id with UNKNOWN_METER; DELETE of a missing id succeeds
 * (nothing to do), DELETE of OFPM_ALL removes every meter.  Removing the
 * rules that use a deleted meter is the pipeline's job.
 * @param table     the table.
 * @param mm        the decoded meter mod.
 * @param now_ns    current time, starts a new meter's duration.
 * @param err_code  set to the OFPMMFC_* code on failure (error type
 *                  OFPET_METER_MOD_FAILED).
 * @return 0 on success, -1 on failure (the table is unchanged).
 */
int sl_meter_table_mod(struct sl_meter_table *table, const struct sl_meter_mod *mm,
		       uint64_t now_ns, uint16_t *err_code);

/**
 * Find a meter by id.  Safe in a reader (worker or translation) concurrently
 * with sl_meter_table_mod(), as long as the reader is inside its RCU
 * read-side section; the pointer stays valid until the reader reports
 * quiescence.
 * @param table     the table.
 * @param meter_id  the meter id.
 * @return the meter or NULL.
 */
struct sl_meter *sl_meter_table_lookup(const struct sl_meter_table *table, uint32_t meter_id);

/**
 * Number of meters in the table (virtual meters included).
 * @param table  the table.
 * @return the meter count.
 */
uint32_t sl_meter_table_count(const struct sl_meter_table *table);

/**
 * List meter ids in ascending order, for multipart replies.
 * @param table  the table.
 * @param ids  output array of @p max entries.
 * @param max  entries in @p ids.
 * @return the number of meters in the table (may exceed @p max; only the
 *         first @p max ids are written), or 0 if out of memory.
 */
uint32_t sl_meter_table_ids(const struct sl_meter_table *table, uint32_t *ids, uint32_t max);

/**
 * Fill ofp_meter_features for this table.
 * @param table     the table.
 * @param features  filled in.
 */
void sl_meter_table_features(const struct sl_meter_table *table, struct sl_meter_features *features);

/**
 * Validate a meter mod without applying it: command, meter id, and for
 * ADD/MODIFY the flags and bands.  Existence and capacity are not checked.
 * @param mm        the decoded meter mod.
 * @param err_code  set to the OFPMMFC_* code on failure.
 * @return 0 if valid, -1 if not.
 */
int sl_meter_mod_check(const struct sl_meter_mod *mm, uint16_t *err_code);

/* ---- One meter ---- */

/**
 * Meter one packet.  Charges every band whose bucket holds enough tokens;
 * among the bands whose bucket does not, the one with the highest rate fires
 * (ties: the lowest index).  Safe from any number of threads at once.
 * @param meter    the meter.
 * @param now_ns   current time in ns (per-thread monotonic; a time older than
 *                 a bucket's last update counts as no elapsed time; a call
 *                 that charges nothing to a band leaves its bucket as it was).
 * @param pkt_len  packet length in bytes (Sluice counts the Ethernet frame
 *                 without FCS); ignored by the rate of pkt/s meters.
 * @return the verdict: which band fired, if any, and what to do.
 */
struct sl_meter_verdict sl_meter_apply(struct sl_meter *meter, uint64_t now_ns, uint32_t pkt_len);

/**
 * Meter a burst of packets that arrived at the same time, in order.  Same
 * result as calling sl_meter_apply() for each packet in turn with the same
 * @p now_ns, but one atomic update per band and one stats update per call.
 * @param meter  the meter.
 * @param now_ns  current time in ns (as for sl_meter_apply()).
 * @param pkt_lens  length in bytes of each packet (as for sl_meter_apply()).
 * @param n  number of packets (best at most SL_METER_BURST_MAX).
 * @param verdicts  output, one per packet.
 * @return the number of packets whose verdict is SL_METER_DROP.
 */
unsigned sl_meter_apply_burst(struct sl_meter *meter, uint64_t now_ns, const uint32_t *pkt_lens,
			      unsigned n, struct sl_meter_verdict *verdicts);

/**
 * The meter's id.
 * @param meter  the meter.
 * @return its id.
 */
uint32_t sl_meter_id(const struct sl_meter *meter);

/**
 * Read the meter's counters.  Exact once no worker applies the meter; while
 * workers run, each counter is a consistent snapshot on its own.  Counters
 * stay zero for a meter without OFPMF_STATS.  Control thread.
 * @param meter   the meter.
 * @param now_ns  current time, for the duration.
 * @param stats   filled in, band stats included.
 */
void sl_meter_get_stats(const struct sl_meter *meter, uint64_t now_ns, struct sl_meter_stats *stats);

/**
 * Read the meter's configuration (OFPMP_METER_CONFIG).  Control thread.
 * @param meter   the meter.
 * @param config  filled in.
 */
void sl_meter_get_config(const struct sl_meter *meter, struct sl_meter_config *config);

/**
 * Adjust the count of rules that use this meter (reported as flow_count).
 * Control thread; the pipeline calls it when it installs/removes rules.
 * @param meter  the meter.
 * @param delta  rules added (> 0) or removed (< 0).
 */
void sl_meter_flow_count_adjust(struct sl_meter *meter, int32_t delta);

/**
 * Create a standalone meter (what the table does on ADD).  The mod must be an
 * ADD that passes sl_meter_mod_check().
 * @param mm        the decoded meter mod.
 * @param now_ns    current time, starts the meter's duration.
 * @param err_code  set to the OFPMMFC_* code on failure.
 * @return the meter, or NULL with *err_code set.
 */
struct sl_meter *sl_meter_create(const struct sl_meter_mod *mm, uint64_t now_ns, uint16_t *err_code);

/**
 * Free a standalone meter and its configuration at once.  No reader may use
 * it any more.  NULL is a no-op.
 * @param meter  the meter, or NULL.
 */
void sl_meter_destroy(struct sl_meter *meter);

/**
 * Replace a standalone meter's flags and bands (what the table does on
 * MODIFY).  Counters, duration and the address survive.  A band's bucket keeps
 * its tokens (capped to the new burst) when the band index existed before and
 * the rate unit did not change; otherwise it starts full.  Readers may apply
 * the meter concurrently: the old configuration is handed to
 * @p defer_free (freed at once when NULL).  The mod's meter_id is not
 * compared with the meter's (the table looked it up).
 * @param meter       the meter.
 * @param mm          the decoded meter mod (a MODIFY).
 * @param defer_free  deferred-free hook for the old configuration, or NULL.
 * @param defer_ctx   passed to @p defer_free.
 * @param err_code    set to the OFPMMFC_* code on failure.
 * @return 0, or -1 with *err_code set (meter unchanged).
 */
int sl_meter_modify(struct sl_meter *meter, const struct sl_meter_mod *mm,
		    sl_meter_defer_free_fn *defer_free, void *defer_ctx, uint16_t *err_code);

/* ---- Clock ---- */

/** Unsigned 128-bit integer for the clock conversion.  __extension__: stays
 *  quiet for includers built with -pedantic. */
__extension__ typedef unsigned __int128 sl_meter_u128;

/** Cycle counter to ns conversion by multiply-shift (no division per call). */
struct sl_meter_clock {
	uint64_t mult; /**< (1e9 << 32) / hz */
};

/**
 * Prepare the conversion for a counter of @p hz cycles per second (e.g.
 * rte_get_tsc_hz()).  The conversion is monotonic and its relative error is
 * below hz / 2^62 (1e-9 at 4 GHz), far under any rate a meter is given.
 * @param clock  the conversion to prepare.
 * @param hz     cycles per second; 0 makes every conversion return 0.
 */
static inline void
sl_meter_clock_init(struct sl_meter_clock *clock, uint64_t hz)
{
	clock->mult = hz ? (uint64_t)(((sl_meter_u128)1000000000u << 32) / hz) : 0;
}

/**
 * Convert a cycle count (e.g. rte_rdtsc()) to the ns that meters take.
 * @param clock   prepared by sl_meter_clock_init().
 * @param cycles  the cycle count.
 * @return the time in ns.
 */
static inline uint64_t
sl_meter_clock_ns(const struct sl_meter_clock *clock, uint64_t cycles)
{
	return (uint64_t)(((sl_meter_u128)cycles * clock->mult) >> 32);
}

/* ---- DSCP remark ---- */

/**
 * Raise the drop precedence of an Assured Forwarding DSCP (RFC 2597:
 * AFcd = 8c + 2d, class c in 1..4, drop precedence d in 1..3) by
 * @p prec_level, saturating at d = 3.  Any other DSCP (default, class
 * selectors, EF, unassigned) is returned unchanged, as OpenFlow's
 * OFPMBT_DSCP_REMARK describes ("increase the drop precedence").
 * @param dscp  6-bit DSCP value (upper bits ignored).
 * @param prec_level  drop precedence levels to add.
 * @return the new 6-bit DSCP value.
 */
uint8_t sl_meter_dscp_remark(uint8_t dscp, uint8_t prec_level);

/**
 * Same as sl_meter_dscp_remark() on the IPv4 TOS / IPv6 traffic class byte,
 * keeping its two ECN bits.
 * @param tos         the IPv4 TOS / IPv6 traffic class byte.
 * @param prec_level  drop precedence levels to add.
 * @return the new byte, ECN bits unchanged.
 */
uint8_t sl_meter_tos_remark(uint8_t tos, uint8_t prec_level);

#ifdef __cplusplus
}
#endif

#endif /* SL_METER_H */
