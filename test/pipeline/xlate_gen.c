/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The world generator of xlate_gen.h. Shapes are kept small on purpose
 * (4 ports, addresses from a handful of values, few rules per table) so that
 * random packets hit the random rules and groups often; every match and
 * action is one the reference (xlate_ref.c) models exactly. Priorities are
 * unique per table, so OpenFlow alone defines which rule wins.
 */
#include <string.h>

#include <rte_byteorder.h>

#include "sl_flow_consts.h"
#include "xlate_gen.h"

/* Set a field in both the sl_match and the reference key/mask. */
static void
add_field(struct tr_rule *r, unsigned int oxm, const void *val, const void *mask)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	uint8_t *k = (uint8_t *)&r->key + d->ofs, *m = (uint8_t *)&r->mask + d->ofs;

	xg_check(sl_match_set_oxm(&r->match, oxm, val, mask, d->len) == 0,
		 "a match field the generator builds is refused");
	for (unsigned int i = 0; i < d->len; i++) {
		m[i] = mask ? ((const uint8_t *)mask)[i] : 0xff;
		k[i] = ((const uint8_t *)val)[i] & m[i];
	}
	if (oxm == OFPXMT_OFB_VLAN_VID && !mask)
		r->mask.vlan_vid = rte_cpu_to_be_16(0x1fff);
}

static void
match_l3(struct tr_rule *r, uint16_t et)
{
	if (xg_rnd(4) == 0) {
		uint8_t dscp = (uint8_t)xg_rnd(4);
		add_field(r, OFPXMT_OFB_IP_DSCP, &dscp, NULL);
	}
	if (et == SL_ETH_IPV6 && xg_rnd(2)) {
		uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 }, m[16];
		memset(m, 0xff, 16);
		m[15] = (uint8_t)(0xff << xg_rnd(3));
		a[15] = (uint8_t)xg_rnd(8) & m[15];
		add_field(r, OFPXMT_OFB_IPV6_DST, a, m[15] == 0xff ? NULL : m);
	}
	if (et == SL_ETH_IPV4 && xg_rnd(2)) {
		int plen = 29 + (int)xg_rnd(4);
		uint32_t m = rte_cpu_to_be_32(~0u << (32 - plen));
		uint32_t a = rte_cpu_to_be_32(0x0a000000 | xg_rnd(8)) & m;
		add_field(r, OFPXMT_OFB_IPV4_DST, &a, plen == 32 ? NULL : &m);
	}
	if (et == SL_ETH_IPV4 && xg_rnd(3) == 0) {
		uint32_t a = rte_cpu_to_be_32(0x0a000000 | xg_rnd(4));
		add_field(r, OFPXMT_OFB_IPV4_SRC, &a, NULL);
	}
	if (xg_rnd(2)) {
		uint8_t proto = xg_rnd(2) ? 6 : 17;
		add_field(r, OFPXMT_OFB_IP_PROTO, &proto, NULL);
		if (proto == 6 && xg_rnd(2)) {
			uint16_t port = rte_cpu_to_be_16((uint16_t)(1 + xg_rnd(4)));
			add_field(r, OFPXMT_OFB_TCP_DST, &port, NULL);
		}
		if (proto == 6 && xg_rnd(3) == 0) {
			/* tcp_flags with a mask: +syn, -ack, +syn-ack style */
			uint16_t m = rte_cpu_to_be_16((uint16_t)(xg_rnd(2) ? 0x012 : 0x002));
			uint16_t v = rte_cpu_to_be_16((uint16_t)(xg_rnd(2) ? 0x002 : 0)) & m;
			add_field(r, OFPXMT_OFB_TCP_FLAGS, &v, &m);
		}
	}
}

void
xg_random_match(struct tr_rule *r)
{
	memset(&r->key, 0, sizeof(r->key));
	memset(&r->mask, 0, sizeof(r->mask));
	sl_match_init_catchall(&r->match);
	if (xg_rnd(4) == 0) {
		uint32_t p = rte_cpu_to_be_32(1 + xg_rnd(N_PORTS));
		add_field(r, OFPXMT_OFB_IN_PORT, &p, NULL);
	}
	if (xg_rnd(4) == 0) {
		uint8_t mac[6] = { 0, 0, 0, 0, 0, (uint8_t)xg_rnd(4) };
		uint8_t mm[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
		add_field(r, OFPXMT_OFB_ETH_DST, mac, (mac[5] & 1) ? NULL : mm);
	}
	if (xg_rnd(4) == 0) {
		uint16_t vid = rte_cpu_to_be_16(xg_rnd(3) ? (uint16_t)(OFPVID_PRESENT | (1 + xg_rnd(3))) : 0);
		add_field(r, OFPXMT_OFB_VLAN_VID, &vid, NULL);
	}
	if (xg_rnd(3) == 0) {
		uint64_t mm = rte_cpu_to_be_64(1 + xg_rnd(3)), md = rte_cpu_to_be_64(xg_rnd(4)) & mm;
		add_field(r, OFPXMT_OFB_METADATA, &md, &mm);
	}
	if (xg_rnd(6) == 0) {
		/* OF1.5 actset_output: a port the action set may hold, or none */
		uint32_t p = rte_cpu_to_be_32(xg_rnd(3) ? 1 + xg_rnd(N_PORTS) : OFPP_UNSET);
		add_field(r, OFPXMT_OFB_ACTSET_OUTPUT, &p, NULL);
	}
	if (xg_rnd(10) == 0) {
		/* NXM tun_src (issue 23): exact, or a /30 of the remotes */
		uint32_t ts = rte_cpu_to_be_32(0xc0000200 | xg_rnd(4));
		uint32_t tm = rte_cpu_to_be_32(0xfffffffc);

		bool masked = xg_rnd(2);

		if (masked)
			ts &= tm;
		add_field(r, SL_OXM_TUN_IPV4_SRC, &ts, masked ? &tm : NULL);
	}
	if (xg_rnd(3)) {
		uint32_t pick = xg_rnd(12);
		uint16_t et = pick < 6 ? SL_ETH_IPV4 : pick < 8 ? SL_ETH_IPV6 :
			      pick < 10 ? SL_ETH_MPLS : SL_ETH_ARP;
		uint16_t bet = rte_cpu_to_be_16(et);

		add_field(r, OFPXMT_OFB_ETH_TYPE, &bet, NULL);
		if (et == SL_ETH_MPLS && xg_rnd(2)) {
			uint32_t label = rte_cpu_to_be_32(xg_rnd(3));
			add_field(r, OFPXMT_OFB_MPLS_LABEL, &label, NULL);
		}
		if (et == SL_ETH_IPV4 || et == SL_ETH_IPV6)
			match_l3(r, et);
	}
}

static void
set_field(struct sl_action *a, uint8_t field, uint8_t len, uint32_t v)
{
	a->type = OFPAT_SET_FIELD;
	a->set_field.field = field;
	a->set_field.len = len;
	memset(a->set_field.value, 0, sizeof(a->set_field.value));
	for (unsigned int i = 0; i < len && i < 4; i++)
		a->set_field.value[len - 1 - i] = (uint8_t)(v >> (8 * i));
}

/* A set_field whose prerequisites the rule's match @p r satisfies (NULL: a bucket). */
static void
random_set_field(struct sl_action *a, const struct tr_rule *r)
{
	bool ip = r == NULL || (r->mask.eth_type && r->key.eth_type == rte_cpu_to_be_16(SL_ETH_IPV4));
	bool ip6 = r == NULL || (r->mask.eth_type && r->key.eth_type == rte_cpu_to_be_16(SL_ETH_IPV6));
	bool tcp = r == NULL || ((ip || ip6) && r->mask.ip_proto && r->key.ip_proto == 6);

	if ((ip || ip6) && xg_rnd(5) == 0) {
		set_field(a, OFPXMT_OFB_IP_DSCP, 1, xg_rnd(4));
		return;
	}
	if (xg_rnd(8) == 0) { /* tunnel metadata: no prerequisite, later tables see it */
		set_field(a, SL_OXM_TUN_IPV4_SRC, 4, 0xc0000200 | xg_rnd(4));
		return;
	}
	switch (xg_rnd(4)) {
	case 0:
		if (ip) {
			set_field(a, OFPXMT_OFB_IPV4_DST, 4, 0x0a000000 | xg_rnd(8));
			return;
		}
		/* fall through */
	case 1:
		if (tcp) {
			set_field(a, OFPXMT_OFB_TCP_DST, 2, 1 + xg_rnd(4));
			return;
		}
		/* fall through */
	case 2:
		set_field(a, OFPXMT_OFB_VLAN_VID, 2, OFPVID_PRESENT | (1 + xg_rnd(3)));
		return;
	default:
		set_field(a, OFPXMT_OFB_ETH_DST, 6, xg_rnd(4));
		return;
	}
}

/* A copy-field the reference models (OF1.5 / NXAST_REG_MOVE): a whole
 * field, part of one, and a packet-dependent value into a shifted field;
 * prerequisites as the rule's match @p r pins them (NULL: a bucket). */
static void
random_copy_field(struct sl_action *a, const struct tr_rule *r)
{
	bool ip = r == NULL || (r->mask.eth_type && r->key.eth_type == rte_cpu_to_be_16(SL_ETH_IPV4));
	bool tcp = r == NULL || (ip && r->mask.ip_proto && r->key.ip_proto == 6);

	memset(a, 0, sizeof(*a));
	a->type = OFPAT_COPY_FIELD;
	a->copy_field.src = OFPXMT_OFB_ETH_SRC;
	a->copy_field.dst = OFPXMT_OFB_ETH_DST;
	a->copy_field.n_bits = 48;
	if (ip && xg_rnd(3) == 0) {
		a->copy_field.src = OFPXMT_OFB_IPV4_SRC; /* ipv4_src[0..7] -> ipv4_dst[0..7] */
		a->copy_field.dst = OFPXMT_OFB_IPV4_DST;
		a->copy_field.n_bits = 8;
	} else if (tcp && xg_rnd(2) == 0) {
		a->copy_field.src = OFPXMT_OFB_TCP_FLAGS; /* tcp_flags[0..5] -> ip_dscp[] */
		a->copy_field.dst = OFPXMT_OFB_IP_DSCP;
		a->copy_field.n_bits = 6;
	}
}

/* One action the reference knows; groups only below @p max_group. */
void
xg_random_action(struct world *w, struct sl_action *a, const struct tr_rule *r,
		 uint32_t max_group)
{
	memset(a, 0, sizeof(*a));
	switch (xg_rnd(10)) {
	case 0: case 1: case 2:
		a->type = OFPAT_OUTPUT;
		a->output.port = 1 + xg_rnd(N_PORTS);
		if (xg_rnd(6) == 0)
			a->output.port = OFPP_IN_PORT;
		else if (xg_rnd(8) == 0)
			a->output.port = OFPP_CONTROLLER;
		a->output.max_len = 128;
		return;
	case 3: case 4:
		random_set_field(a, r);
		return;
	case 5:
		a->type = xg_rnd(2) ? OFPAT_PUSH_VLAN : OFPAT_POP_VLAN;
		a->ethertype = r && a->type == OFPAT_PUSH_VLAN && xg_rnd(2) ? SL_ETH_QINQ : SL_ETH_VLAN;
		return;
	case 6: case 7: {
		uint32_t id = max_group > 1 ? 1 + xg_rnd(max_group - 1) : 0;

		if (id && w->groups[id].live) {
			a->type = OFPAT_GROUP;
			a->group_id = id;
			return;
		}
		a->type = OFPAT_OUTPUT;
		a->output.port = 1 + xg_rnd(N_PORTS);
		return;
	}
	case 8:
		a->type = xg_rnd(2) ? OFPAT_POP_MPLS : OFPAT_DEC_NW_TTL;
		a->ethertype = SL_ETH_IPV4;
		return;
	default:
		a->type = OFPAT_SET_QUEUE;
		a->queue_id = xg_rnd(3);
		return;
	}
}

int
xg_group_mod(struct world *w, struct tr_group *g, uint16_t cmd)
{
	struct sl_group_mod gm = { .command = cmd, .type = g->type, .group_id = g->id,
				   .n_buckets = g->n_buckets, .buckets = g->buckets };

	return sl_pipeline_group_mod(w->pl, &gm);
}

static void
random_groups(struct world *w)
{
	unsigned int n = xg_rnd(MAX_GROUPS + 1);

	memset(w->groups, 0, sizeof(w->groups));
	for (uint32_t id = 1; id <= n; id++) {
		struct tr_group *g = &w->groups[id];

		g->id = id;
		g->type = (uint8_t)xg_rnd(4);
		g->n_buckets = g->type == OFPGT_INDIRECT ? 1 : (uint16_t)(1 + xg_rnd(MAX_BUCKETS));
		for (uint16_t b = 0; b < g->n_buckets; b++) {
			struct sl_bucket *bk = &g->buckets[b];

			memset(bk, 0, sizeof(*bk));
			bk->weight = g->type == OFPGT_SELECT ? (uint16_t)xg_rnd(4) : 0;
			bk->watch_port = OFPP_ANY;
			bk->watch_group = OFPG_ANY;
			if (g->type == OFPGT_FF || (g->type == OFPGT_SELECT && xg_rnd(2))) {
				if (id > 1 && xg_rnd(4) == 0)
					bk->watch_group = 1 + xg_rnd(id - 1);
				else
					bk->watch_port = 1 + xg_rnd(N_PORTS);
			}
			bk->n_actions = (uint16_t)xg_rnd(MAX_ACTS + 1);
			bk->actions = g->acts[b];
			for (uint16_t a = 0; a < bk->n_actions; a++)
				xg_random_action(w, &g->acts[b][a], NULL, id);
		}
		g->live = xg_group_mod(w, g, OFPGC_ADD) == 0;
		xg_check(g->live, "a valid group-mod (lower ids only) is refused");
	}
}

void
xg_random_instructions(struct world *w, struct tr_rule *r)
{
	struct sl_instructions *ins = &r->ins;

	memset(ins, 0, sizeof(*ins));
	ins->apply = r->apply;
	ins->write = r->write;
	ins->n_apply = (uint16_t)xg_rnd(MAX_ACTS);
	for (uint16_t i = 0; i < ins->n_apply; i++)
		xg_random_action(w, &r->apply[i], r, MAX_GROUPS + 1);
	/* copy-field: action lists only (the action set has no place for it) */
	if (ins->n_apply && xg_rnd(4) == 0)
		random_copy_field(&r->apply[xg_rnd(ins->n_apply)], r);
	ins->clear_actions = xg_rnd(6) == 0;
	if (xg_rnd(2)) {
		ins->has_write = true;
		ins->n_write = (uint16_t)xg_rnd(MAX_ACTS);
		for (uint16_t i = 0; i < ins->n_write; i++)
			xg_random_action(w, &r->write[i], r, MAX_GROUPS + 1);
	}
	if (xg_rnd(4) == 0) {
		ins->has_write_metadata = true;
		ins->metadata = xg_rnd(4);
		ins->metadata_mask = 1 + xg_rnd(3);
	}
	if (xg_rnd(8) == 0) {
		ins->has_meter = true;
		ins->meter_id = 1 + xg_rnd(3);
	}
	if (r->table + 1 < N_TABLES && xg_rnd(2)) {
		ins->has_goto = true;
		ins->goto_table = (uint8_t)(r->table + 1 + xg_rnd(N_TABLES - 1 - r->table));
	}
}

int
xg_install(struct world *w, struct tr_rule *r, uint8_t cmd)
{
	struct sl_flow_mod fm;

	memset(&fm, 0, sizeof(fm));
	fm.command = cmd;
	fm.table_id = r->table;
	fm.priority = r->prio;
	fm.cookie = r->cookie;
	fm.cookie_mask = cmd == OFPFC_ADD ? 0 : UINT64_MAX;
	fm.out_port = OFPP_ANY;
	fm.out_group = OFPG_ANY;
	fm.match = r->match;
	fm.ins = r->ins;
	return sl_pipeline_flow_mod(w->pl, &fm, NULL);
}

bool
xg_build_world(struct world *w, void (*after_groups)(struct world *w))
{
	struct sl_pipeline_config cfg = { .max_readers = 1, .unstaged = xg_rnd(4) == 0 };

	w->pl = sl_pipeline_create(&cfg);
	if (w->pl == NULL)
		return false;
	random_groups(w);
	if (after_groups)
		after_groups(w);
	w->n_rules = 0;
	for (uint8_t t = 0; t < N_TABLES; t++) {
		unsigned int n = 1 + xg_rnd(MAX_RULES);
		bool prio_used[200] = { 0 };

		for (unsigned int i = 0; i < n; i++) {
			struct tr_rule *r = &w->rules[w->n_rules];

			memset(r, 0, sizeof(*r));
			r->table = t;
			/* Unique priorities per table: the winner is then defined by OpenFlow-> */
			r->prio = (uint16_t)xg_rnd(200);
			while (prio_used[r->prio])
				r->prio = (uint16_t)((r->prio + 1) % 200);
			prio_used[r->prio] = true;
			r->cookie = 1000 + w->n_rules;
			xg_random_match(r);
			if (r->prio == 0 || xg_rnd(10) == 0) { /* a table-miss entry now and then */
				sl_match_init_catchall(&r->match);
				memset(&r->key, 0, sizeof(r->key));
				memset(&r->mask, 0, sizeof(r->mask));
			}
			xg_random_instructions(w, r);
			r->live = xg_install(w, r, OFPFC_ADD) == 0;
			if (r->live)
				w->n_rules++;
		}
	}
	for (uint32_t p = 1; p <= N_PORTS; p++) {
		w->port_up[p] = xg_rnd(4) != 0;
		sl_pipeline_set_port_live(w->pl, p, w->port_up[p]);
	}
	return true;
}

static void
random_key(struct sl_flow_key *k)
{
	unsigned int tags = xg_rnd(4) == 0 ? 0 : xg_rnd(3);

	memset(k, 0, sizeof(*k));
	k->in_port = rte_cpu_to_be_32(1 + xg_rnd(N_PORTS));
	if (xg_rnd(3) == 0) { /* decapsulated: a remote, our VTEP, a VNI */
		k->tun_ipv4_src = rte_cpu_to_be_32(0xc0000200 | xg_rnd(4));
		k->tun_ipv4_dst = rte_cpu_to_be_32(0xc0000201);
		k->tunnel_id = rte_cpu_to_be_64(xg_rnd(3));
	}
	k->eth_dst[5] = (uint8_t)xg_rnd(4);
	k->eth_src[5] = (uint8_t)xg_rnd(4);
	if (tags) {
		k->n_vlan = (uint8_t)tags;
		k->vlan_vid = rte_cpu_to_be_16((uint16_t)(OFPVID_PRESENT | (1 + xg_rnd(3))));
		k->vlan_pcp = (uint8_t)xg_rnd(8);
		k->vlan_tpid = rte_cpu_to_be_16(SL_ETH_VLAN);
		if (tags > 1)
			k->vlan_inner = rte_cpu_to_be_16((uint16_t)(OFPVID_PRESENT | (1 + xg_rnd(3))));
	}
	if (xg_rnd(6) == 0) {
		k->eth_type = rte_cpu_to_be_16(SL_ETH_ARP);
		k->arp_op = rte_cpu_to_be_16(1);
		/* varying addresses: select groups hash them (transparency) */
		k->arp_spa = rte_cpu_to_be_32(0x0a000000 | xg_rnd(4));
		k->arp_tpa = rte_cpu_to_be_32(0x0a000000 | xg_rnd(8));
		return;
	}
	k->ip_dscp = (uint8_t)xg_rnd(4);
	if (xg_rnd(4) == 0) {
		static const uint8_t pfx[4] = { 0x20, 0x01, 0x0d, 0xb8 };

		k->eth_type = rte_cpu_to_be_16(SL_ETH_IPV6);
		memcpy(k->ipv6_src, pfx, 4);
		memcpy(k->ipv6_dst, pfx, 4);
		k->ipv6_src[15] = (uint8_t)xg_rnd(4);
		k->ipv6_dst[15] = (uint8_t)xg_rnd(8);
	} else {
		k->eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
		k->ipv4_src = rte_cpu_to_be_32(0x0a000000 | xg_rnd(4));
		k->ipv4_dst = rte_cpu_to_be_32(0x0a000000 | xg_rnd(8));
	}
	k->nw_ttl = (uint8_t)xg_rnd(3);
	k->ip_proto = xg_rnd(2) ? 6 : 17;
	if (k->ip_proto == 6) {
		k->tcp_src = rte_cpu_to_be_16((uint16_t)xg_rnd(4));
		k->tcp_dst = rte_cpu_to_be_16((uint16_t)(1 + xg_rnd(4)));
		/* SYN, ACK, FIN, RST in any mix: for tcp_flags matches and copies */
		k->tcp_flags = rte_cpu_to_be_16((uint16_t)(xg_rnd(16) & 0x17));
	} else {
		k->udp_src = rte_cpu_to_be_16((uint16_t)xg_rnd(4));
		k->udp_dst = rte_cpu_to_be_16((uint16_t)(1 + xg_rnd(4)));
	}
}

/* A random packet; one in five is MPLS (label 0..2) around an IPv4 one. */
void
xg_random_packet(struct pstate *st)
{
	struct sl_flow_key *k = &st->key;

	memset(st, 0, sizeof(*st));
	random_key(k);
	if (xg_rnd(5) || k->eth_type != rte_cpu_to_be_16(SL_ETH_IPV4))
		return;
	st->inner = *k;
	for (unsigned int i = SL_FLOW_STAGE_L2_END; i < SL_FLOW_KEY_WORDS; i++)
		k->w[i] = 0; /* the parser stops at the label */
	k->eth_type = rte_cpu_to_be_16(SL_ETH_MPLS);
	k->mpls_label = rte_cpu_to_be_32(xg_rnd(3));
	k->mpls_bos = 1;
}

/* A few changes (strict modify, delete by cookie, a port's liveness, a group edge). */
void
xg_change_world(struct world *w)
{
	if (w->n_rules) {
		struct tr_rule *r = &w->rules[xg_rnd(w->n_rules)];

		if (r->live) {
			xg_random_instructions(w, r);
			if (xg_install(w, r, OFPFC_MODIFY_STRICT) != 0) {
				r->live = false;
				xg_install(w, r, OFPFC_DELETE_STRICT);
			}
		}
		struct tr_rule *d = &w->rules[xg_rnd(w->n_rules)];
		if (d->live) {
			struct sl_flow_mod fm;
			unsigned int n = 0;

			memset(&fm, 0, sizeof(fm));
			fm.command = OFPFC_DELETE; /* non-strict, catch-all, by cookie */
			fm.table_id = OFPTT_ALL;
			fm.cookie = d->cookie;
			fm.cookie_mask = UINT64_MAX;
			fm.out_port = OFPP_ANY;
			fm.out_group = OFPG_ANY;
			sl_match_init_catchall(&fm.match);
			xg_check(sl_pipeline_flow_mod(w->pl, &fm, &n) == 0 && n == 1,
				 "delete by a unique cookie did not delete one rule");
			d->live = false;
		}
	}
	uint32_t port = 1 + xg_rnd(N_PORTS);
	w->port_up[port] = !w->port_up[port];
	sl_pipeline_set_port_live(w->pl, port, w->port_up[port]);
}
