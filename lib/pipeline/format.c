/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Actions, instructions, rules, groups, meters and datapath actions as text
 * (sl_format.h). Each printer follows the ovs-ofctl function that prints
 * the same thing (named in its comment), down to which zero is "0" and
 * which is "0x0", so that a dump diffs clean against `ovs-ofctl -O
 * OpenFlow13 dump-*` of the same switch (test_format.c holds strings
 * ovs-ofctl 3.1 printed). Matches are format_match.c's.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>

#include <rte_byteorder.h>

#include "format_private.h"
#include "pipeline_private.h"
#include "sl_flow_consts.h"

/* ---------------------------------------------------------- values ---- */

/* ofputil_format_port: a number, or the reserved port's name. */
void
fmt_port(struct fb *b, uint32_t port)
{
	static const char *const names[] = { "UNSET", "IN_PORT", "TABLE", "NORMAL", "FLOOD",
					     "ALL", "CONTROLLER", "LOCAL", "ANY" };

	if (port >= OFPP_UNSET)
		fb_str(b, names[port - OFPP_UNSET]);
	else
		fb_add(b, "%" PRIu32, port);
}

void
fmt_mac(struct fb *b, const uint8_t *m)
{
	fb_add(b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void
fmt_ip4(struct fb *b, const void *be32)
{
	const uint8_t *p = be32;

	fb_add(b, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
}

void
fmt_ip6(struct fb *b, const uint8_t *addr)
{
	char s[INET6_ADDRSTRLEN];

	fb_str(b, inet_ntop(AF_INET6, addr, s, sizeof(s)) ? s : "?");
}

static uint64_t
be_uint(const uint8_t *p, unsigned int len)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < len && i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* mf_format: MAC, IP, port, hexadecimal ("%#x": 0 is "0") or decimal, by
 * what the field is in OVS's meta-flow table. */
void
fmt_field_value(struct fb *b, unsigned int oxm, const uint8_t *value)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);

	switch (oxm) {
	case OFPXMT_OFB_ETH_DST: case OFPXMT_OFB_ETH_SRC: case OFPXMT_OFB_ARP_SHA:
	case OFPXMT_OFB_ARP_THA: case OFPXMT_OFB_IPV6_ND_SLL: case OFPXMT_OFB_IPV6_ND_TLL:
		fmt_mac(b, value);
		return;
	case OFPXMT_OFB_IPV4_SRC: case OFPXMT_OFB_IPV4_DST: case OFPXMT_OFB_ARP_SPA:
	case OFPXMT_OFB_ARP_TPA: case SL_OXM_TUN_IPV4_SRC: case SL_OXM_TUN_IPV4_DST:
		fmt_ip4(b, value);
		return;
	case OFPXMT_OFB_IPV6_SRC: case OFPXMT_OFB_IPV6_DST: case OFPXMT_OFB_IPV6_ND_TARGET:
	case SL_OXM_TUN_IPV6_SRC: case SL_OXM_TUN_IPV6_DST:
		fmt_ip6(b, value);
		return;
	case OFPXMT_OFB_IN_PORT: case OFPXMT_OFB_IN_PHY_PORT: case OFPXMT_OFB_ACTSET_OUTPUT:
		fmt_port(b, (uint32_t)be_uint(value, 4));
		return;
	case OFPXMT_OFB_METADATA: case OFPXMT_OFB_TUNNEL_ID: case OFPXMT_OFB_IPV6_FLABEL:
	case OFPXMT_OFB_ETH_TYPE: case OFPXMT_OFB_PBB_ISID: case OFPXMT_OFB_IPV6_EXTHDR:
	case OFPXMT_OFB_TCP_FLAGS:
		fb_add(b, "%#" PRIx64, be_uint(value, d ? d->len : 0));
		return;
	default:
		fb_add(b, "%" PRIu64, be_uint(value, d ? d->len : 0));
	}
}

/* The name ovs-ofctl gives a set_field's destination (OVS meta-flow names:
 * "ip_src", not "ipv4_src"); other fields go by their OXM name. */
static const char *
set_field_name(unsigned int oxm)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);

	switch (oxm) {
	case OFPXMT_OFB_IP_ECN: return "nw_ecn";
	case OFPXMT_OFB_IP_PROTO: return "nw_proto";
	case OFPXMT_OFB_IPV4_SRC: return "ip_src";
	case OFPXMT_OFB_IPV4_DST: return "ip_dst";
	case OFPXMT_OFB_ICMPV4_TYPE: return "icmp_type";
	case OFPXMT_OFB_ICMPV4_CODE: return "icmp_code";
	case OFPXMT_OFB_IPV6_FLABEL: return "ipv6_label";
	case OFPXMT_OFB_IPV6_ND_TARGET: return "nd_target";
	case OFPXMT_OFB_IPV6_ND_SLL: return "nd_sll";
	case OFPXMT_OFB_IPV6_ND_TLL: return "nd_tll";
	case OFPXMT_OFB_TUNNEL_ID: return "tun_id";
	default: return d ? d->name : "unknown_field";
	}
}

/* --------------------------------------------------------- actions ---- */

/* mf_format_subfield: "field[]" for all of it, "field[i]", "field[i..j]". */
static void
fmt_subfield(struct fb *b, unsigned int oxm, unsigned int ofs, unsigned int n)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);

	fb_str(b, set_field_name(oxm));
	if (d != NULL && ofs == 0 && n == sl_field_n_bits(d))
		fb_str(b, "[]");
	else if (n == 1)
		fb_add(b, "[%u]", ofs);
	else
		fb_add(b, "[%u..%u]", ofs, ofs + n - 1);
}

/* ofpact_format of one action (format_OUTPUT, format_CONTROLLER, ...). */
static void
fmt_action(struct fb *b, const struct sl_action *a)
{
	switch (a->type) {
	case OFPAT_OUTPUT:
		if (a->output.port == OFPP_CONTROLLER) {
			fb_add(b, "CONTROLLER:%u", a->output.max_len);
		} else {
			if (a->output.port < OFPP_MAX)
				fb_str(b, "output:");
			fmt_port(b, a->output.port);
		}
		break;
	case OFPAT_COPY_TTL_OUT: fb_str(b, "copy_ttl_out"); break;
	case OFPAT_COPY_TTL_IN: fb_str(b, "copy_ttl_in"); break;
	case OFPAT_SET_MPLS_TTL: fb_add(b, "set_mpls_ttl(%u)", a->ttl); break;
	case OFPAT_DEC_MPLS_TTL: fb_str(b, "dec_mpls_ttl"); break;
	case OFPAT_PUSH_VLAN: fb_add(b, "push_vlan:%#x", a->ethertype); break;
	case OFPAT_POP_VLAN: fb_str(b, "pop_vlan"); break;
	case OFPAT_PUSH_MPLS: fb_add(b, "push_mpls:0x%04x", a->ethertype); break;
	case OFPAT_POP_MPLS: fb_add(b, "pop_mpls:0x%04x", a->ethertype); break;
	case OFPAT_SET_QUEUE: fb_add(b, "set_queue:%" PRIu32, a->queue_id); break;
	case OFPAT_GROUP: fb_add(b, "group:%" PRIu32, a->group_id); break;
	case OFPAT_SET_NW_TTL: fb_add(b, "mod_nw_ttl:%u", a->ttl); break;
	case OFPAT_DEC_NW_TTL: fb_str(b, "dec_ttl"); break;
	case OFPAT_PUSH_PBB: fb_add(b, "push_pbb:0x%04x", a->ethertype); break;
	case OFPAT_POP_PBB: fb_str(b, "pop_pbb"); break;
	case OFPAT_SET_FIELD:
		fb_str(b, "set_field:");
		fmt_field_value(b, a->set_field.field, a->set_field.value);
		fb_str(b, "->");
		fb_str(b, set_field_name(a->set_field.field));
		break;
	case OFPAT_COPY_FIELD:
		fb_str(b, "move:");
		fmt_subfield(b, a->copy_field.src, a->copy_field.src_ofs, a->copy_field.n_bits);
		fb_str(b, "->");
		fmt_subfield(b, a->copy_field.dst, a->copy_field.dst_ofs, a->copy_field.n_bits);
		break;
	default:
		fb_add(b, "unknown_action(%u)", a->type);
	}
}

/* ofpacts_format: comma-separated, "drop" for none. */
void
fmt_actions(struct fb *b, const struct sl_action *acts, unsigned int n)
{
	if (n == 0)
		fb_str(b, "drop");
	for (unsigned int i = 0; i < n; i++) {
		if (i)
			fb_str(b, ",");
		fmt_action(b, &acts[i]);
	}
}

int
sl_format_actions(const struct sl_action *acts, unsigned int n, char *buf, size_t size)
{
	struct fb b;

	fb_init(&b, buf, size);
	fmt_actions(&b, acts, n);
	return fb_done(&b);
}

/* OVS keeps instructions as one ofpact list in instruction order (meter,
 * apply, clear, write, write-metadata, goto) and prints it as such. */
static void
fmt_instructions(struct fb *b, const struct sl_instructions *ins)
{
	size_t start = b->len;

	if (ins->has_meter)
		fb_add(b, "meter:%" PRIu32 ",", ins->meter_id);
	for (unsigned int i = 0; i < ins->n_apply; i++) {
		fmt_action(b, &ins->apply[i]);
		fb_str(b, ",");
	}
	if (ins->clear_actions)
		fb_str(b, "clear_actions,");
	if (ins->has_write) {
		fb_str(b, "write_actions(");
		fmt_actions(b, ins->write, ins->n_write);
		fb_str(b, "),");
	}
	if (ins->has_write_metadata) {
		fb_add(b, "write_metadata:%#" PRIx64, ins->metadata);
		if (ins->metadata_mask != UINT64_MAX)
			fb_add(b, "/%#" PRIx64, ins->metadata_mask);
		fb_str(b, ",");
	}
	if (ins->has_goto)
		fb_add(b, "goto_table:%u,", ins->goto_table);
	if (b->len == start)
		fb_str(b, "drop");
	fb_chomp(b, ',');
}

int
sl_format_instructions(const struct sl_instructions *ins, char *buf, size_t size)
{
	struct fb b;

	fb_init(&b, buf, size);
	fmt_instructions(&b, ins);
	return fb_done(&b);
}

/* ------------------------------------------------------------ rules ---- */

/* ofputil_flow_stats_format with show_stats, for an OpenFlow 1.3 reply. */
int
sl_format_rule(const struct sl_rule *r, uint64_t now_ns, char *buf, size_t size)
{
	static const struct { uint16_t flag; const char *name; } flags[] = {
		{ OFPFF_SEND_FLOW_REM, "send_flow_rem " }, { OFPFF_CHECK_OVERLAP, "check_overlap " },
		{ OFPFF_RESET_COUNTS, "reset_counts " }, { OFPFF_NO_PKT_COUNTS, "no_packet_counts " },
		{ OFPFF_NO_BYT_COUNTS, "no_byte_counts " },
	};
	uint64_t age = now_ns > r->created_ns ? now_ns - r->created_ns : 0;
	struct sl_rule_counts c;
	struct fb b;
	size_t before;

	sl_rule_get_counts(r, &c);
	/* As the agent's flow stats: all ones where the flags say "none". */
	if (r->flags & OFPFF_NO_PKT_COUNTS)
		c.packets = UINT64_MAX;
	if (r->flags & OFPFF_NO_BYT_COUNTS)
		c.bytes = UINT64_MAX;
	fb_init(&b, buf, size);
	fb_add(&b, " cookie=0x%" PRIx64 ", duration=%" PRIu64 ".%03" PRIu64 "s, table=%u, ",
	       r->cookie, age / 1000000000u, age / 1000000u % 1000u, r->table_id);
	fb_add(&b, "n_packets=%" PRIu64 ", n_bytes=%" PRIu64 ", ", c.packets, c.bytes);
	if (r->idle_timeout)
		fb_add(&b, "idle_timeout=%u, ", r->idle_timeout);
	if (r->hard_timeout)
		fb_add(&b, "hard_timeout=%u, ", r->hard_timeout);
	for (unsigned int i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (r->flags & flags[i].flag)
			fb_str(&b, flags[i].name);
	before = b.len;
	fmt_match(&b, &r->cr.match.key, &r->cr.match.mask, (int)r->cr.priority);
	if (b.len != before)
		fb_str(&b, " ");
	fb_str(&b, "actions=");
	fmt_instructions(&b, LOAD(r->ins));
	return fb_done(&b);
}

/* ----------------------------------------------------- groups, meters ---- */

/* ofputil_group_format__ and ofputil_bucket_format (OpenFlow 1.3). */
int
sl_format_group(const struct sl_group *g, char *buf, size_t size)
{
	static const char *const types[] = { "all", "select", "indirect", "ff" };
	struct fb b;

	fb_init(&b, buf, size);
	fb_add(&b, "group_id=%" PRIu32 ",type=%s,", g->group_id,
	       g->type < 4 ? types[g->type] : "unknown");
	for (unsigned int i = 0; i < g->n_buckets; i++) {
		const struct sl_bucket *k = &g->buckets[i];

		fb_str(&b, "bucket=");
		if (k->weight != (g->type == OFPGT_SELECT ? 1 : 0))
			fb_add(&b, "weight:%u,", k->weight);
		if (k->watch_port != OFPP_ANY) {
			fb_str(&b, "watch_port:");
			fmt_port(&b, k->watch_port);
			fb_str(&b, ",");
		}
		if (k->watch_group != OFPG_ANY)
			fb_add(&b, "watch_group:%" PRIu32 ",", k->watch_group);
		fb_str(&b, "actions=");
		fmt_actions(&b, k->actions, k->n_actions);
		fb_str(&b, ",");
	}
	fb_chomp(&b, ',');
	return fb_done(&b);
}

/* ofputil_format_meter_config: the bands on lines of their own. */
int
sl_format_meter(const struct sl_meter_config *mc, char *buf, size_t size)
{
	static const struct { uint16_t flag; const char *name; } flags[] = {
		{ OFPMF_KBPS, "kbps " }, { OFPMF_PKTPS, "pktps " }, { OFPMF_BURST, "burst " },
		{ OFPMF_STATS, "stats " },
	};
	uint16_t rest = mc->flags & (uint16_t)~(OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS);
	struct fb b;

	fb_init(&b, buf, size);
	fb_add(&b, "meter=%" PRIu32 " ", mc->meter_id);
	for (unsigned int i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (mc->flags & flags[i].flag)
			fb_str(&b, flags[i].name);
	if (rest)
		fb_add(&b, "flags:0x%" PRIx16 " ", rest);
	fb_str(&b, "bands=");
	for (unsigned int i = 0; i < mc->n_bands && i < SL_METER_MAX_BANDS; i++) {
		const struct sl_meter_band *band = &mc->bands[i];

		if (band->type == OFPMBT_DROP)
			fb_str(&b, "\ntype=drop");
		else if (band->type == OFPMBT_DSCP_REMARK)
			fb_str(&b, "\ntype=dscp_remark");
		else
			fb_add(&b, "\ntype=%u", band->type);
		fb_add(&b, " rate=%" PRIu32, band->rate);
		if (mc->flags & OFPMF_BURST)
			fb_add(&b, " burst_size=%" PRIu32, band->burst_size);
		if (band->type == OFPMBT_DSCP_REMARK)
			fb_add(&b, " prec_level=%u", band->prec_level);
	}
	return fb_done(&b);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t
sl_pipeline_group_ids(const struct sl_pipeline *pl, uint32_t *ids, uint32_t max)
{
	const struct group_map *m = LOAD(pl->groups);
	uint32_t n = 0;

	for (uint32_t i = 0; m != NULL && i <= m->mask; i++) {
		const struct sl_group *g = LOAD(m->slots[i]);

		/* empty, or group.c's tombstone (id UINT32_MAX, above OFPG_MAX) */
		if (g == NULL || g->group_id > OFPG_MAX)
			continue;
		if (n < max)
			ids[n] = g->group_id;
		n++;
	}
	if (n && max)
		qsort(ids, n < max ? n : max, sizeof(*ids), cmp_u32);
	return n;
}

/* ------------------------------------------------- datapath actions ---- */

/* A SET_FIELD's value as the field's own (OXM) bytes: undo the shift and
 * mask that placed it in the header (xlate_ops.c, fill_set_field). */
static void
dp_set_field_value(const struct sl_exec_action *a, uint8_t *v)
{
	const struct sl_field_desc *d = sl_field_by_oxm(a->set_field.field);
	unsigned int len = d ? d->len : 0;
	uint64_t x, m;

	if (len > 8 || len == 0) {
		memcpy(v, a->set_field.value, len);
		return;
	}
	x = be_uint(a->set_field.value, a->set_field.len);
	m = be_uint(a->set_field.mask, a->set_field.len);
	x = (x & m) >> a->set_field.shift;
	for (unsigned int i = 0; i < len; i++)
		v[i] = (uint8_t)(x >> (8 * (len - 1 - i)));
}

static void fmt_dp(struct fb *b, const struct sl_exec_action *a, unsigned int n);

/* One datapath action; returns how many it covered (a clone its scope). */
static unsigned int
fmt_dp_one(struct fb *b, const struct sl_exec_action *a, unsigned int left)
{
	static const char *const reasons[] = { "no_match", "action", "invalid_ttl" };
	uint8_t v[16];

	switch (a->type) {
	case SL_EXEC_OUTPUT:
		if (a->output.port < OFPP_MAX)
			fb_str(b, "output:");
		fmt_port(b, a->output.port);
		return 1;
	case SL_EXEC_CONTROLLER:
		fb_add(b, "controller(reason=%s,table=%u,cookie=0x%" PRIx64 ",max_len=%u)",
		       a->controller.reason < 3 ? reasons[a->controller.reason] : "?",
		       a->controller.table_id, a->controller.cookie, a->controller.max_len);
		return 1;
	case SL_EXEC_CLONE: {
		unsigned int n = a->clone.n < left - 1 ? a->clone.n : left - 1;

		fb_str(b, "clone(");
		fmt_dp(b, a + 1, n);
		fb_str(b, ")");
		return 1 + n;
	}
	case SL_EXEC_SET_FIELD:
		dp_set_field_value(a, v);
		fb_add(b, "set_field(%s=", set_field_name(a->set_field.field));
		fmt_field_value(b, a->set_field.field, v);
		fb_str(b, ")");
		return 1;
	case SL_EXEC_PUSH_VLAN: fb_add(b, "push_vlan:0x%04x", a->push.ethertype); return 1;
	case SL_EXEC_POP_VLAN: fb_str(b, "pop_vlan"); return 1;
	case SL_EXEC_PUSH_MPLS: fb_add(b, "push_mpls:0x%04x", a->push.ethertype); return 1;
	case SL_EXEC_POP_MPLS: fb_add(b, "pop_mpls:0x%04x", a->push.ethertype); return 1;
	case SL_EXEC_PUSH_PBB: fb_add(b, "push_pbb:0x%04x", a->push.ethertype); return 1;
	case SL_EXEC_POP_PBB: fb_str(b, "pop_pbb"); return 1;
	case SL_EXEC_DEC_NW_TTL: fb_str(b, "dec_ttl"); return 1;
	case SL_EXEC_SET_NW_TTL: fb_add(b, "set_nw_ttl:%u", a->ttl.ttl); return 1;
	case SL_EXEC_DEC_MPLS_TTL: fb_str(b, "dec_mpls_ttl"); return 1;
	case SL_EXEC_SET_MPLS_TTL: fb_add(b, "set_mpls_ttl:%u", a->ttl.ttl); return 1;
	case SL_EXEC_COPY_TTL_OUT: fb_str(b, "copy_ttl_out"); return 1;
	case SL_EXEC_COPY_TTL_IN: fb_str(b, "copy_ttl_in"); return 1;
	case SL_EXEC_SET_QUEUE: fb_add(b, "set_queue:%" PRIu32, a->queue_id); return 1;
	case SL_EXEC_METER: fb_add(b, "meter:%" PRIu32, a->meter_id); return 1;
	case SL_EXEC_RECIRC: fb_add(b, "recirc:%" PRIu32, a->recirc_id); return 1;
	default: fb_add(b, "unknown(%u)", a->type); return 1;
	}
}

static void
fmt_dp(struct fb *b, const struct sl_exec_action *a, unsigned int n)
{
	for (unsigned int i = 0; i < n;) {
		if (i)
			fb_str(b, ",");
		i += fmt_dp_one(b, &a[i], n - i);
	}
}

int
sl_format_dp_actions(const struct sl_exec_action *a, unsigned int n, char *buf, size_t size)
{
	struct fb b;

	fb_init(&b, buf, size);
	if (n == 0)
		fb_str(&b, "drop");
	fmt_dp(&b, a, n);
	return fb_done(&b);
}
