/**
 * @file sl_ofp_v14.h
 * OpenFlow 1.4 / 1.5 specifics: the checks and normalisation a switch needs
 * beyond OF1.3's, and the builders of the property and OXS lists the newer
 * layouts carry (the flat OF1.3-shaped members stay the source of truth).
 */
#ifndef SL_OFP_V14_H
#define SL_OFP_V14_H

#include "sl_ofp.h"

/**
 * Refuse what OF1.4/1.5 messages may carry that Sluice does not implement:
 * flow-mod importance (no eviction), OF1.5 OFPFF_SEND_FLOW_REM (no OF1.5
 * flow-removed), port-mod properties other than one ethernet property,
 * table-mod properties (eviction, vacancy), OF1.5 packet-out match fields
 * other than in_port, OF1.5 group-mod bucket commands, bucket ids other than
 * the bucket's position and unknown bucket properties. Called by
 * sl_ofp_validate() for version >= 5.
 * @param msg a decoded message of wire version 5 or 6
 * @param err out: the spec's error
 * @return 0 if acceptable, else -1 with @p err set.
 */
int sl_ofp_validate_v14(const struct sl_ofp_msg *msg, struct sl_ofp_error *err);

/**
 * Fill the flat members handlers read from where OF1.4/1.5 carry them:
 * port-mod advertise from its ethernet property, OF1.5 packet-out in_port
 * from its match (OFPP_CONTROLLER when absent), OF1.5 bucket weight and
 * watches from their properties, OF1.4 async masks from their properties
 * (with the set of those present). No-op for OF1.3. Called by
 * sl_ofp_decode().
 * @param msg a decoded message
 */
void sl_ofp_v14_normalise(struct sl_ofp_msg *msg);

/**
 * Give @p port the OF1.4+ property list: one ethernet property with its
 * curr, advertised, supported, peer and speeds.
 * @param owner the message whose arena holds the list
 * @param port  the port (filled as for OF1.3)
 * @return 0, or -1 on allocation failure.
 */
int sl_ofp_port_add_props(struct sl_ofp_msg *owner, struct sl_ofp_port *port);

/**
 * Give @p ps the OF1.4+ property list: one ethernet property with the
 * frame, overrun, CRC error and collision counters.
 * @param owner the message whose arena holds the list
 * @param ps    the port's counters (filled as for OF1.3)
 * @return 0, or -1 on allocation failure.
 */
int sl_ofp_port_stats_add_props(struct sl_ofp_msg *owner, struct sl_ofp_port_stats *ps);

/**
 * Give @p as the OF1.4+ property list: the slave and master masks of
 * packet-in, port status, flow removed and role status (types 0..7).
 * @param owner the message whose arena holds the list
 * @param as    the masks (filled as for OF1.3, plus role_status_mask)
 * @return 0, or -1 on allocation failure.
 */
int sl_ofp_async_add_props(struct sl_ofp_msg *owner, struct sl_ofp_async *as);

/**
 * Give @p b its OF1.5 id (its position) and properties: weight for select
 * groups, watch port and group for fast-failover ones (as OVS sends them).
 * @param owner      the message whose arena holds the list
 * @param b          the bucket (filled as for OF1.3)
 * @param group_type OFPGT_* of its group
 * @param index      its position in the group
 * @return 0, or -1 on allocation failure.
 */
int sl_ofp_bucket_add_props(struct sl_ofp_msg *owner, struct sl_ofp_bucket *b,
			    uint8_t group_type, uint32_t index);

/**
 * Turn @p fs into its OF1.5 form: OXS statistics (duration, packet and byte
 * counts), and a meter instruction into a meter action first in the
 * apply-actions (OF1.5 has no meter instruction).
 * @param owner the message whose arena holds the new lists
 * @param fs    the flow's statistics (filled as for OF1.3)
 * @return 0, or -1 on allocation failure.
 */
int sl_ofp_flow_stats_v15(struct sl_ofp_msg *owner, struct sl_ofp_flow_stats *fs);

/**
 * Give @p ag the OF1.5 OXS statistics: flow, packet and byte counts.
 * @param owner the message whose arena holds the list
 * @param ag    the totals (filled as for OF1.3)
 * @return 0, or -1 on allocation failure.
 */
int sl_ofp_aggregate_add_oxs(struct sl_ofp_msg *owner, struct sl_ofp_aggregate_stats *ag);

#endif /* SL_OFP_V14_H */
