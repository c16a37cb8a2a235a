/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_format.h
 * Rules, matches, instructions, groups and meters as text in the syntax of
 * `ovs-ofctl -O OpenFlow13` (dump-flows, dump-groups, dump-meters), and the
 * other way: a match or a flow described in that syntax, parsed.
 *
 * Why ovs-ofctl's syntax: operators know it, and a dump can be compared
 * with what ovs-ofctl prints for the same switch line by line
 * (test_sluicectl_flows.sh does). Where Sluice has something OVS does not,
 * it is printed in the same style under the OXM field's own name
 * (in_phy_port, pbb_isid, ipv6_exthdr, copy_ttl_in, push_pbb...); the
 * differences are listed in lib/pipeline/README.md.
 *
 * Formatting functions write into (@p buf, @p size) and return the length
 * of the whole text as snprintf() does: @p size or more means it was cut.
 * The parser is for the control lcore's commands (sluicectl); nothing here
 * runs on the fast path.
 */
#ifndef SL_FORMAT_H
#define SL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_meter.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"

/** A match with this priority is printed without "priority=" (OVS's
 *  OFP_DEFAULT_PRIORITY, which ovs-ofctl leaves out). */
#define SL_FORMAT_DEFAULT_PRIORITY 32768

/**
 * A match (or a megaflow) as ovs-ofctl prints it: "priority=100,tcp,
 * in_port=1,dl_src=..,nw_dst=10.0.0.0/8,tp_dst=80". Values are those of
 * @p key under @p mask; a field is printed when its mask is not zero, with
 * "/mask" when the mask is not the whole field. Key fields that are not
 * OpenFlow's (recirc_id, nw_ttl, nw_frag, the VLAN tag count and TPID, the
 * inner tag) are printed too when masked, which only megaflows do.
 * @param key      the values (bits outside @p mask are ignored)
 * @param mask     the bits that count
 * @param priority printed first unless negative or SL_FORMAT_DEFAULT_PRIORITY
 * @param buf      out: the text ("" for a match of everything)
 * @param size     bytes at @p buf
 * @return the length of the whole text.
 */
int sl_format_match(const struct sl_flow_key *key, const struct sl_flow_key *mask, int priority,
		    char *buf, size_t size);

/**
 * An action list as ovs-ofctl prints it ("set_field:02:00:00:00:00:02->eth_dst,
 * output:2"; "drop" when empty).
 * @param acts the actions
 * @param n    entries in @p acts
 * @param buf  out: the text
 * @param size bytes at @p buf
 * @return the length of the whole text.
 */
int sl_format_actions(const struct sl_action *acts, unsigned int n, char *buf, size_t size);

/**
 * A rule's instructions as ovs-ofctl prints them after "actions=": meter,
 * apply-actions, clear_actions, write_actions(...), write_metadata,
 * goto_table, in that order ("drop" when there are none).
 * @param ins  the instructions
 * @param buf  out: the text
 * @param size bytes at @p buf
 * @return the length of the whole text.
 */
int sl_format_instructions(const struct sl_instructions *ins, char *buf, size_t size);

/**
 * One line of `ovs-ofctl -O OpenFlow13 dump-flows` for @p r, leading space
 * included: " cookie=0x0, duration=1.250s, table=0, n_packets=3,
 * n_bytes=180, priority=100,in_port=1 actions=output:2". Counters are
 * sl_rule_get_counts()'s (what a flow-stats reply carries; all ones where
 * the rule's flags say there are none). The duration has milliseconds.
 * @param r      the rule (control lcore: the rule and its instructions
 *               must not be freed meanwhile)
 * @param now_ns the time, on the clock of sl_flow_mod.now_ns
 * @param buf    out: the text
 * @param size   bytes at @p buf
 * @return the length of the whole text.
 */
int sl_format_rule(const struct sl_rule *r, uint64_t now_ns, char *buf, size_t size);

/**
 * A group as `ovs-ofctl -O OpenFlow13 dump-groups` prints it:
 * "group_id=1,type=select,bucket=weight:50,actions=output:2,bucket=...".
 * @param g    the group
 * @param buf  out: the text
 * @param size bytes at @p buf
 * @return the length of the whole text.
 */
int sl_format_group(const struct sl_group *g, char *buf, size_t size);

/**
 * A meter as `ovs-ofctl -O OpenFlow13 dump-meters` prints it, on several
 * lines separated by '\\n' (no newline at the end):
 * "meter=1 pktps stats bands=", then "type=drop rate=100000" per band.
 * @param mc   the meter's configuration (sl_meter_get_config())
 * @param buf  out: the text
 * @param size bytes at @p buf
 * @return the length of the whole text.
 */
int sl_format_meter(const struct sl_meter_config *mc, char *buf, size_t size);

/**
 * A datapath action list (what a translation or a megaflow does), with
 * values: "set_field(eth_dst=02:00:00:00:00:02),clone(output:2),output:3";
 * "drop" when empty. More detailed than sl_xlate_format().
 * @param a    the actions
 * @param n    entries in @p a
 * @param buf  out: the text
 * @param size bytes at @p buf
 * @return the length of the whole text.
 */
int sl_format_dp_actions(const struct sl_exec_action *a, unsigned int n, char *buf, size_t size);

/**
 * The ids of every group, ascending (for dumps; control lcore).
 * @param pl  the pipeline
 * @param ids out: the ids
 * @param max room in @p ids
 * @return the number of groups (only the first @p max are written).
 */
uint32_t sl_pipeline_group_ids(const struct sl_pipeline *pl, uint32_t *ids, uint32_t max);

/* -------------------------------------------------------------- parsing ---- */

/**
 * What `dump-flows` selects, as ovs-ofctl's non-strict dump does: rules
 * whose match is the filter's match or more specific; and, when given,
 * their table, priority (a Sluice addition), cookie under a mask, and an
 * output port or group their instructions name.
 */
struct sl_flow_filter {
	struct sl_match match; /**< rules inside it */
	int table;             /**< table=N; -1: every table */
	int priority;          /**< priority=N; -1: any */
	uint64_t cookie;       /**< cookie=V[/M]: the value under cookie_mask */
	uint64_t cookie_mask;  /**< 0: any cookie */
	uint32_t out_port;     /**< out_port=N; OFPP_ANY: any */
	uint32_t out_group;    /**< out_group=N; OFPG_ANY: any */
};

/**
 * Parse a dump filter: comma-separated ovs-ofctl match fields
 * ("table=1,tcp,nw_src=10.0.0.0/8,tp_dst=80"; "" for everything). Names
 * ovs-ofctl knows (in_port, dl_src, dl_dst, dl_type, dl_vlan, dl_vlan_pcp,
 * vlan_tci, ip/ipv6/icmp/icmp6/tcp/udp/sctp/tcp6/udp6/sctp6/arp/mpls/mplsm,
 * nw_src, nw_dst, nw_proto, nw_tos, nw_ecn, tp_src, tp_dst, icmp_type,
 * icmp_code, arp_*, ipv6_src, ipv6_dst, ipv6_label, nd_*, mpls_*, metadata,
 * tun_id, tcp_flags) and every OXM field by its Sluice name (sl_match.h)
 * are understood, with /mask or /prefix where the field may be masked.
 * Anything else is an error: no field is ever ignored.
 * @param s      the text (not modified)
 * @param f      out: the filter
 * @param err    out: why it was refused
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_parse_flow_filter(const char *s, struct sl_flow_filter *f, char *err, size_t errlen);

/**
 * Does @p r pass filter @p f?
 * @param f the filter
 * @param r the rule
 * @return true if it does.
 */
bool sl_flow_filter_matches(const struct sl_flow_filter *f, const struct sl_rule *r);

/**
 * Parse a flow described as in ovs-appctl ofproto/trace
 * ("in_port=1,tcp,nw_dst=10.0.0.2,tp_dst=80"): the same names as
 * sl_parse_flow_filter(), values only (a mask is an error). Fields not
 * given are 0; dl_vlan gives the packet one 802.1Q tag; in_phy_port is
 * in_port unless given.
 * @param s      the text
 * @param key    out: the flow key
 * @param err    out: why it was refused
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_parse_flow_key(const char *s, struct sl_flow_key *key, char *err, size_t errlen);

#endif /* SL_FORMAT_H */
