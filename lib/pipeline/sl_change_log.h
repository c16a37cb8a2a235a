/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_change_log.h
 * What each tables version bump changed, so that a cache entry built at an
 * older version can sometimes be proved still right without translating
 * again (targeted revalidation).
 *
 * The pipeline keeps a ring of SL_CHANGE_LOG_SIZE records, one per version
 * bump (change_log.c). A record is TABLE (rules added, modified,
 * deleted or expired in one table, all inside one match: the flow-mod's
 * match, which contains every rule a non-strict flow-mod selects; a
 * catch-all match when the change reordered the table's subtables), MAC
 * (one entry of NORMAL's MAC table learned, moved, marked stale or removed),
 * MAC_ALL (the MAC table beyond single entries: a flush, a large aging pass,
 * lost learn reports) or GLOBAL (anything else: group-mods, port liveness,
 * fail-open mode, deletes over all tables, expiry of several rules at once).
 * The plain version bump inside lib/pipeline writes a GLOBAL record, so a
 * change that nobody described can only make readers translate, never skip.
 *
 * MAC and MAC_ALL records are "learning" changes: they alter no OpenFlow
 * state, so a cache may keep forwarding with a decision they made stale for
 * a while (sl_pipeline_learning_only_since) where OpenFlow changes must be
 * seen at once (a barrier's promise).
 *
 * Readers (workers) scan the ring wait-free; a record they could not read
 * whole (overwritten, or not yet written) makes the answer "not proved".
 */
#ifndef SL_CHANGE_LOG_H
#define SL_CHANGE_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_flow_key.h"

struct sl_pipeline;

/** Records kept: a reader more than this many versions behind must translate. */
#define SL_CHANGE_LOG_SIZE 1024u

/** Kinds of change records. */
enum sl_change_kind {
	SL_CHANGE_GLOBAL = 0, /**< anything not described by one table + one match */
	SL_CHANGE_TABLE = 1,  /**< rules inside (key, mask) of one table changed */
	SL_CHANGE_MAC = 2,    /**< one MAC table entry (vlan, mac) changed */
	SL_CHANGE_MAC_ALL = 3, /**< the MAC table changed beyond single entries */
};

/** sl_pipeline_changes_disjoint() flags: what the translation did. */
enum sl_changes_flags {
	/** every table lookup used the packet's own key bits
	 *  (sl_xlate_result.key_pure) */
	SL_CHANGES_KEY_PURE = 1u << 0,
	/** NORMAL looked the MAC table up (sl_xlate_result.uses_mac) */
	SL_CHANGES_USES_MAC = 1u << 1,
};

/**
 * Can any change between tables versions @p since (exclusive) and @p now
 * (inclusive) alter the translation of a packet in the megaflow region
 * {p : (p & @p mask) == (@p key & @p mask)} that looked up tables
 * @p tables[0..n_tables)? Returns true only when it is proved that none can:
 * every version in (since, now] has a TABLE record whose table is not in
 * @p tables or, with SL_CHANGES_KEY_PURE in @p flags, whose match is
 * disjoint from the region (some bit set in both masks differs between the
 * keys); or a MAC or MAC_ALL record while SL_CHANGES_USES_MAC is not in
 * @p flags; or a MAC record, with both flags, whose (vlan, mac) is neither
 * the region's (vlan, eth_src) nor its (vlan, eth_dst) (NORMAL put those
 * fields in the mask, so every packet of the region has them). False on any
 * GLOBAL record, on a record overwritten or not yet complete, and when
 * now - since > SL_CHANGE_LOG_SIZE.
 *
 * Wait-free, no locks, no writes: any thread, concurrently with the writer.
 * Cost: a few loads per record, plus a 23-word compare for records in a
 * table of @p tables.
 * @param pl       the pipeline
 * @param since    tables version the translation was made at
 * @param now      current tables version
 * @param key      the megaflow's key
 * @param mask     the megaflow's mask
 * @param tables   the tables the translation looked up
 * @param n_tables entries in @p tables
 * @param flags    enum sl_changes_flags, see above
 * @return true if no change in (since, now] can alter the translation.
 */
bool sl_pipeline_changes_disjoint(const struct sl_pipeline *pl, uint64_t since, uint64_t now,
				  const struct sl_flow_key *key, const struct sl_flow_key *mask,
				  const uint8_t *tables, unsigned int n_tables, unsigned int flags);

/**
 * Were all changes after tables version @p since learning changes (MAC and
 * MAC_ALL records)? Then a translation made at @p since still follows every
 * OpenFlow rule, group and port state, and may only have forwarded by a MAC
 * table decision that has since changed (flooded to a MAC now learned, sent
 * to a port a MAC has left): a cache over its revalidation budget may keep
 * using it for now, as OVS's datapath does until its revalidators get
 * there. Wait-free; a change in flight may make the answer false, never
 * wrongly true for versions the caller has read.
 * @param pl    the pipeline
 * @param since tables version the translation was made at
 * @return true if no change after @p since touched OpenFlow state.
 */
bool sl_pipeline_learning_only_since(const struct sl_pipeline *pl, uint64_t since);

/**
 * Testing and stats: the kind of the record of version @p version.
 * @param pl      the pipeline
 * @param version a tables version
 * @return an enum sl_change_kind, or -1 when the ring no longer (or not yet)
 *         holds it.
 */
int sl_pipeline_change_kind(const struct sl_pipeline *pl, uint64_t version);

#endif /* SL_CHANGE_LOG_H */
