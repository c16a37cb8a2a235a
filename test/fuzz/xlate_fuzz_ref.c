/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The translation fuzzer's reference mode: test_xlate_diff's world generator
 * with the input bytes as its random stream (same shapes, so that the naive
 * reference pipeline and datapath interpreter of test/pipeline/xlate_ref.c
 * apply), plus group-mods that try to close loops. The comparisons are the
 * unit test's: events of the translated actions == the reference's, rules
 * hit in order, and megaflow transparency for packets agreeing under the
 * returned mask.
 */
#include <string.h>

#include <rte_byteorder.h>

#include "sl_flow_consts.h"
#include "xlate_diff.h"
#include "xlate_fuzz.h"

static struct world w;
static const struct fz_bounds ref_bounds = { MAX_ACTS, MAX_BUCKETS };

/* Set a field in both the sl_match and the reference key/mask. */
static void
add_field(struct tr_rule *r, unsigned int oxm, const void *val, const void *mask)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	uint8_t *k = (uint8_t *)&r->key + d->ofs, *m = (uint8_t *)&r->mask + d->ofs;

	if (sl_match_set_oxm(&r->match, oxm, val, mask, d->len) != 0)
		fz_fail("a match field the generator builds is refused");
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
	if (rnd(4) == 0) {
		uint8_t dscp = (uint8_t)rnd(4);
		add_field(r, OFPXMT_OFB_IP_DSCP, &dscp, NULL);
	}
	if (et == SL_ETH_IPV6 && rnd(2)) {
		uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 }, m[16];
		memset(m, 0xff, 16);
		m[15] = (uint8_t)(0xff << rnd(3));
		a[15] = (uint8_t)rnd(8) & m[15];
		add_field(r, OFPXMT_OFB_IPV6_DST, a, m[15] == 0xff ? NULL : m);
	}
	if (et == SL_ETH_IPV4 && rnd(2)) {
		int plen = 29 + (int)rnd(4);
		uint32_t m = rte_cpu_to_be_32(~0u << (32 - plen));
		uint32_t a = rte_cpu_to_be_32(0x0a000000 | rnd(8)) & m;
		add_field(r, OFPXMT_OFB_IPV4_DST, &a, plen == 32 ? NULL : &m);
	}
	if (et == SL_ETH_IPV4 && rnd(3) == 0) {
		uint32_t a = rte_cpu_to_be_32(0x0a000000 | rnd(4));
		add_field(r, OFPXMT_OFB_IPV4_SRC, &a, NULL);
	}
	if (rnd(2)) {
		uint8_t proto = rnd(2) ? 6 : 17;
		add_field(r, OFPXMT_OFB_IP_PROTO, &proto, NULL);
		if (proto == 6 && rnd(2)) {
			uint16_t port = rte_cpu_to_be_16((uint16_t)(1 + rnd(4)));
			add_field(r, OFPXMT_OFB_TCP_DST, &port, NULL);
		}
	}
}

static void
random_match(struct tr_rule *r)
{
	memset(&r->key, 0, sizeof(r->key));
	memset(&r->mask, 0, sizeof(r->mask));
	sl_match_init_catchall(&r->match);
	if (rnd(4) == 0) {
		uint32_t p = rte_cpu_to_be_32(1 + rnd(N_PORTS));
		add_field(r, OFPXMT_OFB_IN_PORT, &p, NULL);
	}
	if (rnd(4) == 0) {
		uint8_t mac[6] = { 0, 0, 0, 0, 0, (uint8_t)rnd(4) };
		uint8_t mm[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
		add_field(r, OFPXMT_OFB_ETH_DST, mac, (mac[5] & 1) ? NULL : mm);
	}
	if (rnd(4) == 0) {
		uint16_t vid = rte_cpu_to_be_16(rnd(3) ? (uint16_t)(OFPVID_PRESENT | (1 + rnd(3))) : 0);
		add_field(r, OFPXMT_OFB_VLAN_VID, &vid, NULL);
	}
	if (rnd(3) == 0) {
		uint64_t mm = rte_cpu_to_be_64(1 + rnd(3)), md = rte_cpu_to_be_64(rnd(4)) & mm;
		add_field(r, OFPXMT_OFB_METADATA, &md, &mm);
	}
	if (rnd(3)) {
		uint32_t pick = rnd(12);
		uint16_t et = pick < 6 ? SL_ETH_IPV4 : pick < 8 ? SL_ETH_IPV6 :
			      pick < 10 ? SL_ETH_MPLS : SL_ETH_ARP;
		uint16_t bet = rte_cpu_to_be_16(et);

		add_field(r, OFPXMT_OFB_ETH_TYPE, &bet, NULL);
		if (et == SL_ETH_MPLS && rnd(2)) {
			uint32_t label = rte_cpu_to_be_32(rnd(3));
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

	if ((ip || ip6) && rnd(5) == 0) {
		set_field(a, OFPXMT_OFB_IP_DSCP, 1, rnd(4));
		return;
	}
	switch (rnd(4)) {
	case 0:
		if (ip) {
			set_field(a, OFPXMT_OFB_IPV4_DST, 4, 0x0a000000 | rnd(8));
			return;
		}
		/* fall through */
	case 1:
		if (tcp) {
			set_field(a, OFPXMT_OFB_TCP_DST, 2, 1 + rnd(4));
			return;
		}
		/* fall through */
	case 2:
		set_field(a, OFPXMT_OFB_VLAN_VID, 2, OFPVID_PRESENT | (1 + rnd(3)));
		return;
	default:
		set_field(a, OFPXMT_OFB_ETH_DST, 6, rnd(4));
		return;
	}
}

/* One action the reference knows; groups only below @p max_group. */
static void
random_action(struct sl_action *a, const struct tr_rule *r, uint32_t max_group)
{
	memset(a, 0, sizeof(*a));
	switch (rnd(10)) {
	case 0: case 1: case 2:
		a->type = OFPAT_OUTPUT;
		a->output.port = 1 + rnd(N_PORTS);
		if (rnd(6) == 0)
			a->output.port = OFPP_IN_PORT;
		else if (rnd(8) == 0)
			a->output.port = OFPP_CONTROLLER;
		a->output.max_len = 128;
		return;
	case 3: case 4:
		random_set_field(a, r);
		return;
	case 5:
		a->type = rnd(2) ? OFPAT_PUSH_VLAN : OFPAT_POP_VLAN;
		a->ethertype = r && a->type == OFPAT_PUSH_VLAN && rnd(2) ? SL_ETH_QINQ : SL_ETH_VLAN;
		return;
	case 6: case 7: {
		uint32_t id = max_group > 1 ? 1 + rnd(max_group - 1) : 0;

		if (id && w.groups[id].live) {
			a->type = OFPAT_GROUP;
			a->group_id = id;
			return;
		}
		a->type = OFPAT_OUTPUT;
		a->output.port = 1 + rnd(N_PORTS);
		return;
	}
	case 8:
		a->type = rnd(2) ? OFPAT_POP_MPLS : OFPAT_DEC_NW_TTL;
		a->ethertype = SL_ETH_IPV4;
		return;
	default:
		a->type = OFPAT_SET_QUEUE;
		a->queue_id = rnd(3);
		return;
	}
}

static int
group_mod(struct tr_group *g, uint16_t cmd)
{
	struct sl_group_mod gm = { .command = cmd, .type = g->type, .group_id = g->id,
				   .n_buckets = g->n_buckets, .buckets = g->buckets };

	return sl_pipeline_group_mod(w.pl, &gm);
}

static void
random_groups(void)
{
	unsigned int n = rnd(MAX_GROUPS + 1);

	memset(w.groups, 0, sizeof(w.groups));
	for (uint32_t id = 1; id <= n; id++) {
		struct tr_group *g = &w.groups[id];

		g->id = id;
		g->type = (uint8_t)rnd(4);
		g->n_buckets = g->type == OFPGT_INDIRECT ? 1 : (uint16_t)(1 + rnd(MAX_BUCKETS));
		for (uint16_t b = 0; b < g->n_buckets; b++) {
			struct sl_bucket *bk = &g->buckets[b];

			memset(bk, 0, sizeof(*bk));
			bk->weight = g->type == OFPGT_SELECT ? (uint16_t)rnd(4) : 0;
			bk->watch_port = OFPP_ANY;
			bk->watch_group = OFPG_ANY;
			if (g->type == OFPGT_FF || (g->type == OFPGT_SELECT && rnd(2))) {
				if (id > 1 && rnd(4) == 0)
					bk->watch_group = 1 + rnd(id - 1);
				else
					bk->watch_port = 1 + rnd(N_PORTS);
			}
			bk->n_actions = (uint16_t)rnd(MAX_ACTS + 1);
			bk->actions = g->acts[b];
			for (uint16_t a = 0; a < bk->n_actions; a++)
				random_action(&g->acts[b][a], NULL, id);
		}
		if (group_mod(g, OFPGC_ADD) != 0)
			fz_fail("a valid group-mod (lower ids only) is refused");
		g->live = true;
	}
}

/* Does group @p from reach group @p to through actions and watches? */
static bool
reaches(uint32_t from, uint32_t to, int depth)
{
	const struct tr_group *g = &w.groups[from];

	if (from == to)
		return true;
	if (from > MAX_GROUPS || !g->live || depth > MAX_GROUPS + 1)
		return false;
	for (uint16_t b = 0; b < g->n_buckets; b++) {
		const struct sl_bucket *bk = &g->buckets[b];

		if (bk->watch_group != OFPG_ANY && reaches(bk->watch_group, to, depth + 1))
			return true;
		for (uint16_t a = 0; a < bk->n_actions; a++)
			if (bk->actions[a].type == OFPAT_GROUP &&
			    reaches(bk->actions[a].group_id, to, depth + 1))
				return true;
	}
	return false;
}

/* Point a bucket of group @p id at group @p to: refused with OFPGMFC_LOOP
 * exactly when @p to reaches @p id; otherwise the world follows the change. */
static void
try_group_edge(uint32_t id, uint32_t to)
{
	struct tr_group *g = &w.groups[id], ng;
	struct sl_action *a;
	bool loop = reaches(to, id, 0);
	int rc;

	if (!g->live || !w.groups[to].live || g->n_buckets == 0)
		return;
	ng = *g;
	for (uint16_t b = 0; b < ng.n_buckets; b++)
		ng.buckets[b].actions = ng.acts[b];
	uint16_t b = (uint16_t)rnd(ng.n_buckets);
	if (ng.buckets[b].n_actions < MAX_ACTS)
		ng.buckets[b].n_actions++;
	a = &ng.acts[b][ng.buckets[b].n_actions - 1];
	memset(a, 0, sizeof(*a));
	a->type = OFPAT_GROUP;
	a->group_id = to;
	rc = group_mod(&ng, OFPGC_MODIFY);
	fz_st.loops_refused += loop;
	if (loop && rc != SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP))
		fz_fail("a group-mod closing a loop is not refused with OFPGMFC_LOOP");
	if (!loop && rc != 0)
		fz_fail("a group-mod that closes no loop is refused");
	if (rc == 0) {
		*g = ng;
		for (uint16_t k = 0; k < g->n_buckets; k++)
			g->buckets[k].actions = g->acts[k];
	}
}

static void
random_instructions(struct tr_rule *r)
{
	struct sl_instructions *ins = &r->ins;

	memset(ins, 0, sizeof(*ins));
	ins->apply = r->apply;
	ins->write = r->write;
	ins->n_apply = (uint16_t)rnd(MAX_ACTS);
	for (uint16_t i = 0; i < ins->n_apply; i++)
		random_action(&r->apply[i], r, MAX_GROUPS + 1);
	ins->clear_actions = rnd(6) == 0;
	if (rnd(2)) {
		ins->has_write = true;
		ins->n_write = (uint16_t)rnd(MAX_ACTS);
		for (uint16_t i = 0; i < ins->n_write; i++)
			random_action(&r->write[i], r, MAX_GROUPS + 1);
	}
	if (rnd(4) == 0) {
		ins->has_write_metadata = true;
		ins->metadata = rnd(4);
		ins->metadata_mask = 1 + rnd(3);
	}
	if (rnd(8) == 0) {
		ins->has_meter = true;
		ins->meter_id = 1 + rnd(3);
	}
	if (r->table + 1 < N_TABLES && rnd(2)) {
		ins->has_goto = true;
		ins->goto_table = (uint8_t)(r->table + 1 + rnd(N_TABLES - 1 - r->table));
	}
}

static int
install(struct tr_rule *r, uint8_t cmd)
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
	return sl_pipeline_flow_mod(w.pl, &fm, NULL);
}

static void
build_world(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 1, .unstaged = rnd(4) == 0 };

	w.pl = sl_pipeline_create(&cfg);
	if (w.pl == NULL)
		fz_fail("no pipeline");
	random_groups();
	for (unsigned int i = 0; i < 3; i++)
		try_group_edge(1 + rnd(MAX_GROUPS), 1 + rnd(MAX_GROUPS));
	w.n_rules = 0;
	for (uint8_t t = 0; t < N_TABLES; t++) {
		unsigned int n = 1 + rnd(MAX_RULES);
		bool prio_used[200] = { 0 };

		for (unsigned int i = 0; i < n; i++) {
			struct tr_rule *r = &w.rules[w.n_rules];

			memset(r, 0, sizeof(*r));
			r->table = t;
			/* Unique priorities per table: the winner is then defined by OpenFlow. */
			r->prio = (uint16_t)rnd(200);
			while (prio_used[r->prio])
				r->prio = (uint16_t)((r->prio + 1) % 200);
			prio_used[r->prio] = true;
			r->cookie = 1000 + w.n_rules;
			random_match(r);
			if (r->prio == 0 || rnd(10) == 0) { /* a table-miss entry now and then */
				sl_match_init_catchall(&r->match);
				memset(&r->key, 0, sizeof(r->key));
				memset(&r->mask, 0, sizeof(r->mask));
			}
			random_instructions(r);
			r->live = install(r, OFPFC_ADD) == 0;
			if (r->live)
				w.n_rules++;
		}
	}
	for (uint32_t p = 1; p <= N_PORTS; p++) {
		w.port_up[p] = rnd(4) != 0;
		sl_pipeline_set_port_live(w.pl, p, w.port_up[p]);
	}
}

/* ------------------------------------------------------------ packets ---- */

static void
random_key(struct sl_flow_key *k)
{
	unsigned int tags = rnd(4) == 0 ? 0 : rnd(3);

	memset(k, 0, sizeof(*k));
	k->in_port = rte_cpu_to_be_32(1 + rnd(N_PORTS));
	k->eth_dst[5] = (uint8_t)rnd(4);
	k->eth_src[5] = (uint8_t)rnd(4);
	if (tags) {
		k->n_vlan = (uint8_t)tags;
		k->vlan_vid = rte_cpu_to_be_16((uint16_t)(OFPVID_PRESENT | (1 + rnd(3))));
		k->vlan_pcp = (uint8_t)rnd(8);
		k->vlan_tpid = rte_cpu_to_be_16(SL_ETH_VLAN);
		if (tags > 1)
			k->vlan_inner = rte_cpu_to_be_16((uint16_t)(OFPVID_PRESENT | (1 + rnd(3))));
	}
	if (rnd(6) == 0) {
		k->eth_type = rte_cpu_to_be_16(SL_ETH_ARP);
		k->arp_op = rte_cpu_to_be_16(1);
		return;
	}
	k->ip_dscp = (uint8_t)rnd(4);
	if (rnd(4) == 0) {
		static const uint8_t pfx[4] = { 0x20, 0x01, 0x0d, 0xb8 };

		k->eth_type = rte_cpu_to_be_16(SL_ETH_IPV6);
		memcpy(k->ipv6_src, pfx, 4);
		memcpy(k->ipv6_dst, pfx, 4);
		k->ipv6_src[15] = (uint8_t)rnd(4);
		k->ipv6_dst[15] = (uint8_t)rnd(8);
	} else {
		k->eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
		k->ipv4_src = rte_cpu_to_be_32(0x0a000000 | rnd(4));
		k->ipv4_dst = rte_cpu_to_be_32(0x0a000000 | rnd(8));
	}
	k->nw_ttl = (uint8_t)rnd(3);
	k->ip_proto = rnd(2) ? 6 : 17;
	if (k->ip_proto == 6) {
		k->tcp_src = rte_cpu_to_be_16((uint16_t)rnd(4));
		k->tcp_dst = rte_cpu_to_be_16((uint16_t)(1 + rnd(4)));
	} else {
		k->udp_src = rte_cpu_to_be_16((uint16_t)rnd(4));
		k->udp_dst = rte_cpu_to_be_16((uint16_t)(1 + rnd(4)));
	}
}

/* A random packet; one in five is MPLS (label 0..2) around an IPv4 one. */
static void
random_packet(struct pstate *st)
{
	struct sl_flow_key *k = &st->key;

	memset(st, 0, sizeof(*st));
	random_key(k);
	if (rnd(5) || k->eth_type != rte_cpu_to_be_16(SL_ETH_IPV4))
		return;
	st->inner = *k;
	for (unsigned int i = SL_FLOW_STAGE_L2_END; i < SL_FLOW_KEY_WORDS; i++)
		k->w[i] = 0; /* the parser stops at the label */
	k->eth_type = rte_cpu_to_be_16(SL_ETH_MPLS);
	k->mpls_label = rte_cpu_to_be_32(rnd(3));
	k->mpls_bos = 1;
}

/* Limits a legitimate world may hit (the result is then a counted drop). */
static bool
size_error(int rc)
{
	return rc == SL_XLATE_TOO_MANY_ACTIONS || rc == SL_XLATE_TOO_MANY_HITS ||
	       rc == SL_XLATE_GROUP_DEPTH;
}

static bool
check_packet(const struct pstate *pkt, struct sl_xlate_result *res)
{
	static struct evlog ref_log, dp_log;
	struct pstate st = *pkt;
	struct ref x;
	int rc = fz_translate(w.pl, &pkt->key, NULL, 0, res, &ref_bounds);

	if (rc != 0) {
		if (!size_error(rc))
			fz_fail("translation failed in a reference world");
		return false;
	}
	fz_check_again(w.pl, &pkt->key, res);
	ref_run(&w, pkt, &ref_log, &x);
	dp_log.n = 0;
	dp_log.overflow = false;
	dp_exec_pl = w.pl;
	dp_n_recirc_rules = dp_n_recircs = 0;
	dp_exec(res->actions, res->n_actions, &st, &dp_log);
	if (ref_log.overflow || dp_log.overflow || x.n_hit > 64)
		return false;
	if (!same_events(&ref_log, &dp_log))
		fz_fail("translated actions differ from the reference pipeline");
	if (res->n_rules + dp_n_recirc_rules != x.n_hit)
		fz_fail("rules hit differ from the reference pipeline");
	fz_st.compared++;
	for (unsigned int i = 0; i < x.n_hit; i++) {
		const struct sl_rule *r = i < res->n_rules ? res->rules[i]
							   : dp_recirc_rules[i - res->n_rules];
		if (r->cookie != x.hit[i])
			fz_fail("rules hit differ from the reference pipeline (order)");
	}
	return true;
}

/* Packets agreeing with @p pp under the megaflow mask behave the same. */
static void
check_transparency(const struct pstate *pp, const struct sl_xlate_result *rp)
{
	static struct sl_xlate_result rq;
	static struct evlog ref_log, dp_log;
	const struct sl_flow_key *p = &pp->key;

	for (int t = 0; t < 2; t++) {
		struct pstate qs, st;
		struct ref x;

		random_packet(&qs);
		for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
			qs.key.w[i] = (p->w[i] & rp->mask.w[i]) | (qs.key.w[i] & ~rp->mask.w[i]);
		if (fz_translate(w.pl, &qs.key, NULL, 0, &rq, &ref_bounds) != 0)
			fz_fail("a packet inside a megaflow fails to translate");
		if (rq.n_actions != rp->n_actions || rq.n_rules != rp->n_rules ||
		    memcmp(rq.actions, rp->actions, rp->n_actions * sizeof(rp->actions[0])) != 0)
			fz_fail("megaflow not transparent: same masked bits, other actions");
		fz_st.transparent++;
		ref_run(&w, &qs, &ref_log, &x);
		st = qs;
		dp_log.n = 0;
		dp_log.overflow = false;
		dp_exec_pl = w.pl;
		dp_exec(rp->actions, rp->n_actions, &st, &dp_log);
		if (!ref_log.overflow && !dp_log.overflow && !same_events(&ref_log, &dp_log))
			fz_fail("megaflow not transparent: its actions misbehave on another packet");
	}
}

static void
packets(unsigned int n)
{
	static struct sl_xlate_result res;

	for (unsigned int i = 0; i < n; i++) {
		struct pstate pkt;

		random_packet(&pkt);
		if (check_packet(&pkt, &res))
			check_transparency(&pkt, &res);
	}
}

/* A few changes (strict modify, delete by cookie, a port's liveness, a group edge). */
static void
change_world(void)
{
	if (w.n_rules) {
		struct tr_rule *r = &w.rules[rnd(w.n_rules)];

		if (r->live) {
			random_instructions(r);
			if (install(r, OFPFC_MODIFY_STRICT) != 0) {
				r->live = false;
				install(r, OFPFC_DELETE_STRICT);
			}
		}
		struct tr_rule *d = &w.rules[rnd(w.n_rules)];
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
			if (sl_pipeline_flow_mod(w.pl, &fm, &n) != 0 || n != 1)
				fz_fail("delete by a unique cookie did not delete one rule");
			d->live = false;
		}
	}
	uint32_t port = 1 + rnd(N_PORTS);
	w.port_up[port] = !w.port_up[port];
	sl_pipeline_set_port_live(w.pl, port, w.port_up[port]);
	try_group_edge(1 + rnd(MAX_GROUPS), 1 + rnd(MAX_GROUPS));
}

void
fz_reference(void)
{
	build_world();
	packets(1 + rnd(12));
	for (unsigned int round = rnd(3); round > 0; round--) {
		change_world();
		packets(1 + rnd(8));
	}
	sl_pipeline_destroy(w.pl);
	w.pl = NULL;
}
