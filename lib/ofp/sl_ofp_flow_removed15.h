/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_ofp_flow_removed15.h
 * OpenFlow 1.5 OFPT_FLOW_REMOVED (OF1.5.1 7.4.2): the flow's table, reason,
 * priority, timeouts, cookie and match, then its statistics as an OXS list
 * (ofp_stats: duration, idle_time, flow_count, packet_count, byte_count),
 * where OF1.3/1.4 had fixed fields.
 *
 * Not a row of the message tables: struct sl_ofp_msg's flow-removed is the
 * OF1.3 shape (and sl_ofp_decode() still refuses the 1.5 layout, so it is
 * never read as another version's); this codec takes that shape plus the OXS
 * list, and the agent encodes a 1.5 session's flow-removed with it.
 */
#ifndef SL_OFP_FLOW_REMOVED15_H
#define SL_OFP_FLOW_REMOVED15_H

#include <stddef.h>
#include <stdint.h>

#include "sl_ofp.h"

/** OXS fields a 1.5 flow-removed may carry (OFPXST_OFB_*), at most. */
#define SL_OFP15_FR_MAX_STATS 8u

/** A decoded (or to be encoded) OpenFlow 1.5 flow-removed. */
struct sl_ofp15_flow_removed {
	uint32_t xid;            /**< the message's xid (0 from the switch) */
	/** cookie, priority, reason, table_id, idle/hard timeouts and match
	 *  (the duration and counter members are not used: see stats) */
	struct sl_ofp_flow_removed fr;
	struct sl_ofp_oxs_stat stats[SL_OFP15_FR_MAX_STATS]; /**< in wire order */
	uint32_t n_stats;        /**< entries used in stats */
	struct sl_ofp_msg arena; /**< owns the match decode allocated */
};

/**
 * Decode an OpenFlow 1.5 OFPT_FLOW_REMOVED.
 * @param buf a whole message (version 6, type OFPT_FLOW_REMOVED)
 * @param len its length
 * @param out filled; free with sl_ofp15_flow_removed_free() (also on failure)
 * @param err on failure: type, code, offset
 * @return 0 or -1.
 */
int sl_ofp15_flow_removed_decode(const uint8_t *buf, size_t len,
				 struct sl_ofp15_flow_removed *out, struct sl_ofp_error *err);

/**
 * Append an OpenFlow 1.5 OFPT_FLOW_REMOVED.
 * @param m   the message
 * @param out appended to
 * @return 0, or a negative errno (out unchanged).
 */
int sl_ofp15_flow_removed_encode(const struct sl_ofp15_flow_removed *m, struct sl_ofp_buf *out);

/**
 * Free what decode allocated.
 * @param m the message
 */
void sl_ofp15_flow_removed_free(struct sl_ofp15_flow_removed *m);

#endif /* SL_OFP_FLOW_REMOVED15_H */
