/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_megaflow.h
 * Per-worker megaflow cache: wildcarded (key, mask) entries produced by
 * translation, looked up by tuple-space search.
 *
 * Design (why it looks like this):
 *  - One cache per worker, written only by that worker: no locks, no atomics
 *    on the fast path. The control lcore may read the counters (plain aligned
 *    64-bit loads: possibly a little stale, which statistics tolerate).
 *  - One subtable per distinct mask. A subtable is an open-addressing hash
 *    table of 64-byte buckets (8 slots: 16-bit signature + 32-bit entry
 *    index each, plus an overflow count), probed linearly bucket by bucket.
 *    A hit normally costs one bucket line plus the entry lines that hold the
 *    mask's words. The overflow count (how many entries probed past this
 *    bucket when they were placed) ends a probe early and lets deletes work
 *    without tombstones.
 *  - The subtable hash covers only the words where the mask is non-zero
 *    (CRC32 per word): a 23-word key with a 3-word mask costs 3 CRC steps,
 *    not 23.
 *  - Lookup is batched: for the whole burst, subtable by subtable (in rank
 *    order), hash every unresolved key and prefetch its bucket, then match
 *    signatures and prefetch candidate entries, then compare. Subtables are
 *    re-ranked by hit counts every N batches (configurable), never per packet.
 *  - Entries live in a pool allocated in chunks and reused through a free
 *    list: no allocation per lookup, and entry memory stays mapped until the
 *    cache is destroyed, which is what makes the EMC's generation check safe
 *    (see sl_emc.h).
 *  - Time ("now") is whatever monotonic unit the caller uses (TSC cycles,
 *    microseconds); the cache only compares values.
 */
#ifndef SL_MEGAFLOW_H
#define SL_MEGAFLOW_H

#include <stdint.h>
#include <stdbool.h>

#include "sl_flow_key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most keys one lookup batch handles (bits of a uint64_t hit mask). */
#define SL_MEGAFLOW_BATCH_MAX 64

struct sl_megaflow_cache;
struct sl_megaflow_subtable;

/**
 * One megaflow. The first cache line holds what a hit touches (actions,
 * counters, last use, generation); the masked key follows.
 * Fields marked "read-only" belong to the cache: callers read them, never write.
 */
struct sl_megaflow {
	void *actions;        /**< caller-owned compiled actions (read-only; see revalidate) */
	uint64_t n_packets;   /**< packets credited (sl_megaflow_credit) */
	uint64_t n_bytes;     /**< bytes credited */
	uint64_t last_used;   /**< caller's clock at the last credit or insert */
	uint64_t version;     /**< tables version the actions were (re)validated at (read-only) */
	struct sl_megaflow_subtable *subtable; /**< read-only; NULL while the slot is free */
	uint32_t gen;         /**< bumped whenever the entry is removed (read-only) */
	uint32_t idx;         /**< pool index (read-only) */
	/** n_packets already reported (sl_megaflow_take_stats,
	 *  sl_megaflow_credit_reported); on the first line with n_packets, so
	 *  that sl_megaflow_unreported() costs a hit no other miss */
	uint64_t pushed_packets;
	struct sl_flow_key key;  /**< key & mask (read-only) */
	uint64_t pushed_bytes;   /**< n_bytes already reported */
} __attribute__((aligned(64)));

/** Why an actions handle is handed back to the release callback. */
enum sl_megaflow_release_reason {
	SL_MEGAFLOW_REL_DELETE,     /**< sl_megaflow_remove() */
	SL_MEGAFLOW_REL_IDLE,       /**< idle eviction */
	SL_MEGAFLOW_REL_REVALIDATE, /**< revalidation dropped the entry */
	SL_MEGAFLOW_REL_REPLACED,   /**< revalidation installed new actions; entry stays */
	SL_MEGAFLOW_REL_FLUSH,      /**< sl_megaflow_flush() or cache destroy */
};

/**
 * Called once for every actions handle the cache lets go of. When @p why is
 * not SL_MEGAFLOW_REL_REPLACED the entry is leaving the cache and its counters
 * are final: this is the caller's last chance to credit them to rules
 * (sl_megaflow_take_stats(mf, ...) gives what was not pushed yet).
 * Must not call back into the cache.
 */
typedef void (*sl_megaflow_release_fn)(struct sl_megaflow *mf, void *actions,
				       enum sl_megaflow_release_reason why, void *ctx);

/** What a revalidation callback decides for one entry. */
enum sl_megaflow_verdict {
	SL_MEGAFLOW_KEEP, /**< keep the entry (with *actions possibly replaced) */
	SL_MEGAFLOW_DROP, /**< remove the entry */
};

/**
 * Revalidation callback: re-translate @p mf's key and decide. To install new
 * actions, store them in @p *actions (the cache releases the old handle with
 * SL_MEGAFLOW_REL_REPLACED). Must not call back into the cache.
 */
typedef enum sl_megaflow_verdict (*sl_megaflow_reval_fn)(struct sl_megaflow *mf,
							  void **actions, void *ctx);

/** Creation parameters; zero fields take the documented defaults. */
struct sl_megaflow_config {
	uint32_t max_entries;     /**< entry cap (default 65536) */
	uint32_t rerank_interval; /**< lookup batches between re-rankings (default 1024; UINT32_MAX = manual) */
	uint32_t hash_basis;      /**< hash seed (default 0) */
	sl_megaflow_release_fn release; /**< may be NULL */
	void *release_ctx;        /**< passed to release */
};

/** Counters (monotonic except n_entries / n_subtables). */
struct sl_megaflow_stats {
	uint64_t lookups;      /**< keys looked up */
	uint64_t hits;         /**< keys found */
	uint64_t misses;       /**< keys not found */
	uint64_t inserts;      /**< entries added */
	uint64_t deletes;      /**< entries removed by sl_megaflow_remove */
	uint64_t evictions;    /**< entries removed for idleness */
	uint64_t reval_drops;  /**< entries dropped by revalidation */
	uint64_t reval_visits; /**< entries revalidated */
	uint64_t cap_hits;     /**< inserts refused because the cap was reached */
	uint64_t reranks;      /**< subtable re-rankings */
	uint64_t subtables_created; /**< subtables ever created */
	uint64_t subtable_probes;   /**< (key, subtable) pairs probed: lookups x depth */
	uint32_t n_entries;    /**< entries now */
	uint32_t n_subtables;  /**< subtables now */
};

/**
 * Create an empty cache. Call it on the worker that will use the cache so
 * that first-touch puts its memory on that worker's NUMA node.
 * @param cfg creation parameters
 * @return the cache, or NULL when out of memory.
 */
struct sl_megaflow_cache *sl_megaflow_cache_create(const struct sl_megaflow_config *cfg);

/**
 * Release every entry (SL_MEGAFLOW_REL_FLUSH) and free the cache.
 * @param cache the cache, or NULL
 */
void sl_megaflow_cache_destroy(struct sl_megaflow_cache *cache);

/**
 * Look up a burst. Keys whose bit is already set in @p *hit_mask (e.g. EMC
 * hits) are skipped. For each key found, entries[i] is set and bit i of
 * @p *hit_mask is set; entries[] of other keys are left untouched.
 * Does not allocate, does not credit statistics (see sl_megaflow_credit).
 * @param cache    the cache
 * @param keys     the keys
 * @param n number of keys, at most SL_MEGAFLOW_BATCH_MAX.
 * @param entries  out: entries[i] for each key i found
 * @param hit_mask in/out: bit i set = key i resolved
 * @return number of keys found by this call.
 */
unsigned int sl_megaflow_lookup_batch(struct sl_megaflow_cache *cache,
				      const struct sl_flow_key *const keys[], unsigned int n,
				      struct sl_megaflow *entries[], uint64_t *hit_mask);

/**
 * Single-key convenience over sl_megaflow_lookup_batch.
 * @param cache the cache
 * @param key   the key
 * @return entry or NULL.
 */
struct sl_megaflow *sl_megaflow_lookup(struct sl_megaflow_cache *cache,
				       const struct sl_flow_key *key);

/**
 * Insert (key & mask) with @p actions, built at tables @p version.
 * On success the cache owns @p actions (released through the callback).
 * @param cache   the cache
 * @param key     the key (bits outside @p mask are ignored)
 * @param mask    the megaflow mask
 * @param actions the caller's compiled actions
 * @param version tables version the actions were translated at
 * @param now     the time, as the entry's last use
 * @param out set to the new entry, or to the existing one on -EEXIST; may be NULL.
 * @return 0; -EEXIST when (key & mask, mask) is already cached (actions not
 *   taken); -ENOSPC when the cap is reached (cap_hits counted); -ENOMEM.
 */
int sl_megaflow_insert(struct sl_megaflow_cache *cache, const struct sl_flow_key *key,
		       const struct sl_flow_key *mask, void *actions, uint64_t version,
		       uint64_t now, struct sl_megaflow **out);

/**
 * Remove one entry (release reason SL_MEGAFLOW_REL_DELETE).
 * @param cache the cache
 * @param mf    a live entry of it
 */
void sl_megaflow_remove(struct sl_megaflow_cache *cache, struct sl_megaflow *mf);

/**
 * Remove every entry (SL_MEGAFLOW_REL_FLUSH); subtables are freed too.
 * @param cache the cache
 */
void sl_megaflow_flush(struct sl_megaflow_cache *cache);

/**
 * Pool slots an idle sweep visits (live entries and freed slots): the
 * length of a full pass of sl_megaflow_evict_idle().
 * @param cache the cache
 * @return the slot count.
 */
uint32_t sl_megaflow_sweep_slots(const struct sl_megaflow_cache *cache);

/**
 * Evict entries whose last_used + @p idle_time < @p now, scanning at most
 * @p budget pool slots from where the previous call stopped (0: a full pass),
 * so a worker can spread a sweep over many iterations.
 * @param cache     the cache
 * @param now       the time
 * @param idle_time how long an entry may go unused
 * @param budget    most pool slots to scan (0: a full pass)
 * @return number of entries evicted.
 */
unsigned int sl_megaflow_evict_idle(struct sl_megaflow_cache *cache, uint64_t now,
				    uint64_t idle_time, unsigned int budget);

/**
 * Visit every entry whose version is older than @p version: @p fn keeps it
 * (optionally with new actions; its version becomes @p version) or drops it.
 * @param cache   the cache
 * @param version the current tables version
 * @param fn      decides for each entry
 * @param ctx     passed to @p fn
 * @return number of entries dropped.
 */
unsigned int sl_megaflow_revalidate(struct sl_megaflow_cache *cache, uint64_t version,
				    sl_megaflow_reval_fn fn, void *ctx);

/**
 * Incremental sl_megaflow_revalidate: visits at most @p budget pool slots
 * per call, resuming where the previous call for the same @p version
 * stopped; a different version restarts the pass from the beginning.
 * Entries inserted meanwhile must carry a version >= @p version (translated
 * against the current tables): the pass does not come back for them. For workers
 * that must not stall on a big cache: keep forwarding, call this once per
 * iteration, and report quiescence only once it returns true.
 * @param cache   the cache
 * @param version the current tables version
 * @param fn      decides for each entry
 * @param ctx     passed to @p fn
 * @param budget  most pool slots to visit in this call
 * @return true when every entry older than @p version has been visited.
 */
bool sl_megaflow_revalidate_some(struct sl_megaflow_cache *cache, uint64_t version,
				 sl_megaflow_reval_fn fn, void *ctx, unsigned int budget);

/**
 * Revalidate one entry in place (e.g. lazily, on a hit): it keeps its key
 * and mask, takes @p actions (the old handle, if different, goes to the
 * release callback as SL_MEGAFLOW_REL_REPLACED) and @p version.
 * @param cache   the cache
 * @param mf      a live entry of it
 * @param actions the new actions (the cache owns them)
 * @param version tables version they were translated at
 */
void sl_megaflow_set_actions(struct sl_megaflow_cache *cache, struct sl_megaflow *mf,
			     void *actions, uint64_t version);

/**
 * Iterate over live entries: start with *cursor = 0, call until NULL.
 * Removing the returned entry between calls is allowed.
 * @param cache  the cache
 * @param cursor in/out: iteration position
 * @return the next live entry, or NULL at the end.
 */
struct sl_megaflow *sl_megaflow_next(struct sl_megaflow_cache *cache, uint32_t *cursor);

/**
 * Re-rank subtables by recent hits now (also done every rerank_interval batches).
 * @param cache the cache
 */
void sl_megaflow_rerank(struct sl_megaflow_cache *cache);

/**
 * Copy the counters.
 * @param cache the cache
 * @param out   out: the counters
 */
void sl_megaflow_get_stats(const struct sl_megaflow_cache *cache, struct sl_megaflow_stats *out);

/**
 * The mask of the subtable holding @p mf.
 * @param mf a live entry
 * @return the mask.
 */
const struct sl_flow_key *sl_megaflow_mask(const struct sl_megaflow *mf);

/**
 * The union (bitwise OR) of every subtable's mask: a key bit outside it
 * changes no lookup result. All zeros when the cache is empty. Valid until the
 * next insert or removal.
 * @param cache the cache
 * @return the union mask.
 */
const struct sl_flow_key *sl_megaflow_mask_union(const struct sl_megaflow_cache *cache);

/**
 * Subtable masks in current rank order (best first), for dumps and tests.
 * @param cache the cache
 * @param masks out: the masks
 * @param max   entries at @p masks
 * @return number written, at most @p max.
 */
unsigned int sl_megaflow_subtable_masks(const struct sl_megaflow_cache *cache,
					const struct sl_flow_key *masks[], unsigned int max);

/* ------------------------------------------------------------ dumps ---- */

/** One entry, as its owner copied it for a dump. */
struct sl_megaflow_dump_entry {
	struct sl_flow_key key;  /**< key & mask */
	struct sl_flow_key mask; /**< its subtable's mask */
	/** counters, as sl_megaflow has them @{ */
	uint64_t n_packets, n_bytes;
	/** @} */
	uint64_t last_used;      /**< the owner's clock at the last credit or insert */
	uint64_t version;        /**< tables version the actions were validated at */
};

/**
 * A dump of some entries, asked for by another thread (the control lcore)
 * and made by the cache's owner, which alone may read the cache: the asker
 * posts it (sl_megaflow_dump_post), the owner fills it when it next calls
 * sl_megaflow_dump_serve(), and sets `done`. Big caches are dumped a slice
 * at a time (cursor), each slice as it is at that moment.
 */
struct sl_megaflow_dump {
	uint32_t cursor;   /**< in: where to begin (0: first entry); out: where to go on */
	uint32_t max;      /**< room in entries (and in extra) */
	struct sl_megaflow_dump_entry *entries; /**< out: the entries copied */
	void *extra;       /**< out: max * extra_size bytes for the owner's describe function */
	size_t extra_size; /**< bytes of extra per entry */
	uint32_t n;        /**< out: entries copied */
	bool end;          /**< out: no entry after these */
	uint32_t done;     /**< set (atomically) once the owner has answered */
};

/** Called by the owner for each entry it copies: describe @p mf's actions
 *  handle (which only the owner can read) into @p extra. */
typedef void (*sl_megaflow_describe_fn)(const struct sl_megaflow *mf, void *extra, void *ctx);

/**
 * Asker: post a dump request (cursor, max, entries, extra, extra_size set).
 * @param cache the cache
 * @param d     the request; must stay valid until it is done or cancelled
 * @return false when another request is pending (nothing posted).
 */
bool sl_megaflow_dump_post(struct sl_megaflow_cache *cache, struct sl_megaflow_dump *d);

/**
 * Asker: take a posted request back.
 * @param cache the cache
 * @param d     the request
 * @return true if the owner had not taken it (it never will); false if it
 *         had: it answers within its sl_megaflow_dump_serve() call, so wait
 *         for sl_megaflow_dump_done().
 */
bool sl_megaflow_dump_cancel(struct sl_megaflow_cache *cache, struct sl_megaflow_dump *d);

/**
 * Asker: has the owner answered?
 * @param d the request
 * @return true once the entries are there.
 */
bool sl_megaflow_dump_done(const struct sl_megaflow_dump *d);

/**
 * Owner: answer the pending request, if any: copy up to its max entries
 * from its cursor on, calling @p fn for each. Costs one load when none is
 * pending.
 * @param cache the cache
 * @param fn    describes each entry's actions into the request's extra; may be NULL
 * @param ctx   passed to @p fn
 * @return true if a request was answered.
 */
bool sl_megaflow_dump_serve(struct sl_megaflow_cache *cache, sl_megaflow_describe_fn fn,
			    void *ctx);

/**
 * Credit @p packets / @p bytes to @p mf and record its last use. Fast-path inline.
 * @param mf      the entry
 * @param packets packets to add
 * @param bytes   bytes to add
 * @param now     the time, as its last use
 */
static inline void
sl_megaflow_credit(struct sl_megaflow *mf, uint32_t packets, uint32_t bytes, uint64_t now)
{
	mf->n_packets += packets;
	mf->n_bytes += bytes;
	mf->last_used = now;
}

/** Credit @p mf as sl_megaflow_credit() does, with counts its owner has
 *  reported already (sl_megaflow_take_stats() will not return them).
 *  @param mf      the entry
 *  @param packets packets to add
 *  @param bytes   bytes to add
 *  @param now     the time, as its last use */
static inline void
sl_megaflow_credit_reported(struct sl_megaflow *mf, uint32_t packets, uint32_t bytes,
			    uint64_t now)
{
	sl_megaflow_credit(mf, packets, bytes, now);
	mf->pushed_packets += packets;
	mf->pushed_bytes += bytes;
}

/** Has @p mf counts not yet reported (sl_megaflow_take_stats)? Reads only
 *  its first line.
 *  @param mf the entry
 *  @return true if it has. */
static inline bool
sl_megaflow_unreported(const struct sl_megaflow *mf)
{
	return mf->n_packets != mf->pushed_packets;
}

/**
 * Return the packets/bytes credited since the previous call (for pushing
 * stats to rules periodically) and mark them reported.
 * @param mf      the entry
 * @param packets out: packets credited since the previous call
 * @param bytes   out: bytes credited since the previous call
 */
static inline void
sl_megaflow_take_stats(struct sl_megaflow *mf, uint64_t *packets, uint64_t *bytes)
{
	*packets = mf->n_packets - mf->pushed_packets;
	*bytes = mf->n_bytes - mf->pushed_bytes;
	mf->pushed_packets = mf->n_packets;
	mf->pushed_bytes = mf->n_bytes;
}

#ifdef __cplusplus
}
#endif

#endif /* SL_MEGAFLOW_H */
