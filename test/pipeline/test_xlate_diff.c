/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential property test of classifier + translation.
 *
 * Thousands of random rule sets (several tables, random masks and priorities,
 * goto chains, write-metadata, apply/write/clear actions, all/select/indirect/
 * fast-failover groups with chaining and liveness) and random packets. For each
 * packet:
 *  1. the datapath actions returned by sl_xlate, executed by a tiny interpreter
 *     (xlate_ref.c), produce the same observable events (outputs with the packet
 *     state, packet-ins, meters, TTL decrements) as a naive reference pipeline
 *     written from the OpenFlow 1.3 text (xlate_ref.c: linear scan, no classifier);
 *     MPLS packets carry their IPv4 payload (struct pstate.inner): after a
 *     pop_mpls the reference parses it again (later tables see it); the
 *     interpreter does the same and, on RECIRC, translates the key with its
 *     recirc_id and runs the result (rules of all passes compared in order);
 *  2. cache transparency: for packets Q agreeing with P on the returned megaflow
 *     mask, translating Q gives the same actions, and running P's actions on Q
 *     gives the reference events of Q.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>

#include "cunit_main.h"
#include "test_rng.h"

#include "sl_flow_consts.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"
#include "xlate_diff.h"

/* ------------------------------------------------------------- random ---- */

static uint64_t rs = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t n)
{
	return test_rng_below(&rs, n);
}

/* Set a field in both the sl_match and the reference key/mask. */
static void
add_field(struct tr_rule *r, unsigned int oxm, const void *val, const void *mask)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&r->match, oxm, val, mask, d->len), 0);
	uint8_t *k = (uint8_t *)&r->key + d->ofs, *m = (uint8_t *)&r->mask + d->ofs;
	for (unsigned int i = 0; i < d->len; i++) {
		m[i] = mask ? ((const uint8_t *)mask)[i] : 0xff;
		k[i] = ((const uint8_t *)val)[i] & m[i];
	}
	if (oxm == OFPXMT_OFB_VLAN_VID && !mask)
		r->mask.vlan_vid = rte_cpu_to_be_16(0x1fff);
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
		uint8_t mac[6] = { 0, 0, 0, 0, 0, (uint8_t)rnd(4) }, mm[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
		mac[5] &= rnd(2) ? 0xff : 0xfe;
		if (mac[5] & 1)
			add_field(r, OFPXMT_OFB_ETH_DST, mac, NULL);
		else
			add_field(r, OFPXMT_OFB_ETH_DST, mac, mm);
	}
	if (rnd(4) == 0) {
		uint16_t vid = rte_cpu_to_be_16(rnd(3) ? (uint16_t)(OFPVID_PRESENT | (1 + rnd(3))) : 0);
		add_field(r, OFPXMT_OFB_VLAN_VID, &vid, NULL);
	}
	if (rnd(3) == 0) {
		uint64_t md = rte_cpu_to_be_64(rnd(4)), mm = rte_cpu_to_be_64(1 + rnd(3));
		md &= mm;
		add_field(r, OFPXMT_OFB_METADATA, &md, &mm);
	}
	if (rnd(3)) {
		uint32_t pick = rnd(12);
		uint16_t et = rte_cpu_to_be_16(pick < 6 ? SL_ETH_IPV4 : pick < 8 ? SL_ETH_IPV6 :
					       pick < 10 ? SL_ETH_MPLS : SL_ETH_ARP);
		add_field(r, OFPXMT_OFB_ETH_TYPE, &et, NULL);
		if (et == rte_cpu_to_be_16(SL_ETH_MPLS) && rnd(2)) {
			uint32_t label = rte_cpu_to_be_32(rnd(3));
			add_field(r, OFPXMT_OFB_MPLS_LABEL, &label, NULL);
		}
		if (et == rte_cpu_to_be_16(SL_ETH_IPV6)) {
			if (rnd(2)) {
				uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 }, m[16];
				memset(m, 0xff, 16);
				m[15] = (uint8_t)(0xff << rnd(3));
				a[15] = (uint8_t)rnd(8) & m[15];
				add_field(r, OFPXMT_OFB_IPV6_DST, a, m[15] == 0xff ? NULL : m);
			}
			if (rnd(2)) {
				uint8_t proto = rnd(2) ? 6 : 17;
				add_field(r, OFPXMT_OFB_IP_PROTO, &proto, NULL);
				if (proto == 6 && rnd(2)) {
					uint16_t port = rte_cpu_to_be_16((uint16_t)(1 + rnd(4)));
					add_field(r, OFPXMT_OFB_TCP_DST, &port, NULL);
				}
			}
			if (rnd(4) == 0) {
				uint8_t dscp = (uint8_t)rnd(4);
				add_field(r, OFPXMT_OFB_IP_DSCP, &dscp, NULL);
			}
		}
		if (et == rte_cpu_to_be_16(SL_ETH_IPV4)) {
			if (rnd(4) == 0) {
				uint8_t dscp = (uint8_t)rnd(4);
				add_field(r, OFPXMT_OFB_IP_DSCP, &dscp, NULL);
			}
			if (rnd(2)) {
				int plen = 29 + (int)rnd(4);
				uint32_t m = rte_cpu_to_be_32(~0u << (32 - plen));
				uint32_t a = rte_cpu_to_be_32(0x0a000000 | rnd(8)) & m;
				add_field(r, OFPXMT_OFB_IPV4_DST, &a, plen == 32 ? NULL : &m);
			}
			if (rnd(3) == 0) {
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
	}
}

static void
random_set_field(struct sl_action *a, const struct tr_rule *r)
{
	a->type = OFPAT_SET_FIELD;
	bool ip = r == NULL || (r->mask.eth_type && r->key.eth_type == rte_cpu_to_be_16(SL_ETH_IPV4));
	bool ip6 = r == NULL || (r->mask.eth_type && r->key.eth_type == rte_cpu_to_be_16(SL_ETH_IPV6));
	bool tcp = r == NULL || ((ip || ip6) && r->mask.ip_proto && r->key.ip_proto == 6);
	if ((ip || ip6) && rnd(5) == 0) {
		a->set_field.field = OFPXMT_OFB_IP_DSCP;
		a->set_field.len = 1;
		a->set_field.value[0] = (uint8_t)rnd(4);
		return;
	}
	switch (rnd(4)) {
	case 0:
		if (ip) {
			a->set_field.field = OFPXMT_OFB_IPV4_DST;
			a->set_field.len = 4;
			uint32_t v = rte_cpu_to_be_32(0x0a000000 | rnd(8));
			memcpy(a->set_field.value, &v, 4);
			return;
		}
		/* fall through */
	case 1:
		if (tcp) {
			a->set_field.field = OFPXMT_OFB_TCP_DST;
			a->set_field.len = 2;
			uint16_t v = rte_cpu_to_be_16((uint16_t)(1 + rnd(4)));
			memcpy(a->set_field.value, &v, 2);
			return;
		}
		/* fall through */
	case 2:
		a->set_field.field = OFPXMT_OFB_VLAN_VID;
		a->set_field.len = 2;
		uint16_t v = rte_cpu_to_be_16((uint16_t)(OFPVID_PRESENT | (1 + rnd(3))));
		memcpy(a->set_field.value, &v, 2);
		return;
	default:
		a->set_field.field = OFPXMT_OFB_ETH_DST;
		a->set_field.len = 6;
		memset(a->set_field.value, 0, 6);
		a->set_field.value[5] = (uint8_t)rnd(4);
		return;
	}
}

/* One random action; groups only below @p max_group (no loops by construction). */
static void
random_action(struct world *w, struct sl_action *a, const struct tr_rule *r, uint32_t max_group)
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
		a->ethertype = SL_ETH_VLAN;
		if (r && a->type == OFPAT_PUSH_VLAN && rnd(2))
			a->ethertype = SL_ETH_QINQ;
		return;
	case 6: case 7: {
		uint32_t id = max_group > 1 ? 1 + rnd(max_group - 1) : 0;
		if (id && w->groups[id].live) {
			a->type = OFPAT_GROUP;
			a->group_id = id;
			return;
		}
		a->type = OFPAT_OUTPUT;
		a->output.port = 1 + rnd(N_PORTS);
		return;
	}
	case 8:
		if (rnd(2)) { /* recirculates when something after it reads the payload */
			a->type = OFPAT_POP_MPLS;
			a->ethertype = SL_ETH_IPV4;
			return;
		}
		a->type = OFPAT_DEC_NW_TTL;
		return;
	default:
		a->type = OFPAT_SET_QUEUE;
		a->queue_id = rnd(3);
		return;
	}
}

static void
random_groups(struct world *w)
{
	memset(w->groups, 0, sizeof(w->groups));
	unsigned int n = rnd(MAX_GROUPS + 1);
	for (uint32_t id = 1; id <= n; id++) {
		struct tr_group *g = &w->groups[id];
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
				random_action(w, &g->acts[b][a], NULL, id);
		}
		struct sl_group_mod gm = { .command = OFPGC_ADD, .type = g->type, .group_id = id,
					   .n_buckets = g->n_buckets, .buckets = g->buckets };
		int rc = sl_pipeline_group_mod(w->pl, &gm);
		CU_ASSERT_EQUAL(rc, 0);
		g->live = rc == 0;
	}
}

static void
random_instructions(struct world *w, struct tr_rule *r)
{
	struct sl_instructions *ins = &r->ins;
	memset(ins, 0, sizeof(*ins));
	ins->apply = r->apply;
	ins->write = r->write;
	ins->n_apply = (uint16_t)rnd(MAX_ACTS);
	for (uint16_t i = 0; i < ins->n_apply; i++)
		random_action(w, &r->apply[i], r, MAX_GROUPS + 1);
	ins->clear_actions = rnd(6) == 0;
	if (rnd(2)) {
		ins->has_write = true;
		ins->n_write = (uint16_t)rnd(MAX_ACTS);
		for (uint16_t i = 0; i < ins->n_write; i++)
			random_action(w, &r->write[i], r, MAX_GROUPS + 1);
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
install(struct world *w, struct tr_rule *r, uint8_t cmd)
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

static void
build_world(struct world *w)
{
	struct sl_pipeline_config cfg = { .max_readers = 1, .unstaged = rnd(4) == 0 };
	w->pl = sl_pipeline_create(&cfg);
	random_groups(w);
	w->n_rules = 0;
	for (uint8_t t = 0; t < N_TABLES; t++) {
		unsigned int n = 1 + rnd(MAX_RULES);
		bool prio_used[200] = { 0 };
		for (unsigned int i = 0; i < n; i++) {
			struct tr_rule *r = &w->rules[w->n_rules];
			memset(r, 0, sizeof(*r));
			r->table = t;
			/* Unique priorities per table: the winner is then defined by OpenFlow. */
			do
				r->prio = (uint16_t)rnd(200);
			while (prio_used[r->prio]);
			prio_used[r->prio] = true;
			r->cookie = 1000 + w->n_rules;
			random_match(r);
			if (r->prio == 0 || rnd(10) == 0) { /* a table-miss entry now and then */
				sl_match_init_catchall(&r->match);
				memset(&r->key, 0, sizeof(r->key));
				memset(&r->mask, 0, sizeof(r->mask));
			}
			random_instructions(w, r);
			int rc = install(w, r, OFPFC_ADD);
			r->live = rc == 0;
			if (rc == 0)
				w->n_rules++;
		}
	}
	for (uint32_t p = 1; p <= N_PORTS; p++) {
		w->port_up[p] = rnd(4) != 0;
		sl_pipeline_set_port_live(w->pl, p, w->port_up[p]);
	}
}

/* ------------------------------------------------------------ packets ---- */

static void random_key(struct sl_flow_key *k);

/* A random packet; one in five is MPLS (label 0..2) around a random IPv4 one. */
static void
random_packet(struct pstate *st)
{
	memset(st, 0, sizeof(*st));
	random_key(&st->key);
	if (rnd(5) || st->key.eth_type != rte_cpu_to_be_16(SL_ETH_IPV4))
		return;
	st->inner = st->key;
	struct sl_flow_key *k = &st->key;
	for (unsigned int w = SL_FLOW_STAGE_L2_END; w < SL_FLOW_KEY_WORDS; w++)
		k->w[w] = 0; /* the parser stops at the label */
	k->eth_type = rte_cpu_to_be_16(SL_ETH_MPLS);
	k->mpls_label = rte_cpu_to_be_32(rnd(3));
	k->mpls_bos = 1;
}

static void
random_key(struct sl_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->in_port = rte_cpu_to_be_32(1 + rnd(N_PORTS));
	k->eth_dst[5] = (uint8_t)rnd(4);
	k->eth_src[5] = (uint8_t)rnd(4);
	unsigned int tags = rnd(4) == 0 ? 0 : rnd(3);
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
		/* varying addresses: select groups hash them (transparency) */
		k->arp_spa = rte_cpu_to_be_32(0x0a000000 | rnd(4));
		k->arp_tpa = rte_cpu_to_be_32(0x0a000000 | rnd(8));
		return;
	}
	k->ip_dscp = (uint8_t)rnd(4);
	if (rnd(4) == 0) {
		k->eth_type = rte_cpu_to_be_16(SL_ETH_IPV6);
		static const uint8_t pfx[4] = { 0x20, 0x01, 0x0d, 0xb8 };
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

static unsigned long n_with_events, n_with_groups, n_multi_table;

static unsigned long n_recirculated;

/* Compare one translation of @p pkt with the reference. */
static bool
check_packet(struct world *w, const struct pstate *pkt, struct sl_xlate_result *res)
{
	static struct evlog ref_log, dp_log;
	struct ref x;
	const struct sl_flow_key *key = &pkt->key;
	int rc = sl_xlate(w->pl, key, res);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc)
		return false;
	ref_run(w, pkt, &ref_log, &x);
	struct pstate st = *pkt;
	dp_log.n = 0;
	dp_log.overflow = false;
	dp_exec_pl = w->pl;
	dp_n_recirc_rules = dp_n_recircs = 0;
	dp_exec(res->actions, res->n_actions, &st, &dp_log);
	bool ok = same_events(&ref_log, &dp_log);
	CU_ASSERT(ok);
	n_with_events += ref_log.n > 0;
	n_with_groups += res->n_buckets > 0;
	n_multi_table += res->n_rules > 1;
	n_recirculated += dp_n_recircs > 0;
	static int dumped;
	if (!ok && dumped++ < 3 && getenv("XLATE_DIFF_DEBUG")) {
		char buf[1024];
		sl_xlate_format(res, buf, sizeof(buf));
		printf("\nMISMATCH: dp=%s\n", buf);
		for (unsigned int i = 0; i < ref_log.n; i++)
			printf(" ref ev kind=%u a=%x b=%u c=%lu\n", ref_log.ev[i].kind, ref_log.ev[i].a,
			       ref_log.ev[i].b, (unsigned long)ref_log.ev[i].c);
		for (unsigned int i = 0; i < dp_log.n; i++)
			printf(" dp  ev kind=%u a=%x b=%u c=%lu snapdiff=%d\n", dp_log.ev[i].kind, dp_log.ev[i].a,
			       dp_log.ev[i].b, (unsigned long)dp_log.ev[i].c,
			       i < ref_log.n ? memcmp(&dp_log.ev[i].snap, &ref_log.ev[i].snap, sizeof(struct sl_flow_key)) : -9);
	}
	/* Rules hit: the first pass, then the recirculated passes, each once. */
	CU_ASSERT_EQUAL(res->n_rules + dp_n_recirc_rules, x.n_hit);
	for (unsigned int i = 0; i < res->n_rules + dp_n_recirc_rules && i < x.n_hit; i++) {
		const struct sl_rule *r = i < res->n_rules ? res->rules[i] : dp_recirc_rules[i - res->n_rules];
		CU_ASSERT_EQUAL(r->cookie, x.hit[i]);
	}
	return ok;
}

static unsigned long n_packets_checked, n_transparency_checked, total_mask_bits;

static void
check_transparency(struct world *w, const struct pstate *pp, const struct sl_xlate_result *rp)
{
	static struct sl_xlate_result rq;
	static struct evlog ref_log, dp_log;
	const struct sl_flow_key *p = &pp->key;
	for (int t = 0; t < 4; t++) {
		struct pstate qs;
		random_packet(&qs);
		struct sl_flow_key q = qs.key;
		for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
			q.w[i] = (p->w[i] & rp->mask.w[i]) | (q.w[i] & ~rp->mask.w[i]);
		qs.key = q;
		/* (a) translating Q gives the very same datapath actions */
		CU_ASSERT_EQUAL_FATAL(sl_xlate(w->pl, &q, &rq), 0);
		CU_ASSERT_EQUAL(rq.n_actions, rp->n_actions);
		CU_ASSERT(rq.n_actions == rp->n_actions &&
			  memcmp(rq.actions, rp->actions, rp->n_actions * sizeof(rp->actions[0])) == 0);
		CU_ASSERT_EQUAL(rq.n_rules, rp->n_rules);
		/* (b) P's megaflow applied to Q behaves like the reference on Q */
		struct ref x;
		ref_run(w, &qs, &ref_log, &x);
		struct pstate st = qs;
		dp_log.n = 0;
		dp_exec_pl = w->pl;
		dp_exec(rp->actions, rp->n_actions, &st, &dp_log);
		CU_ASSERT(same_events(&ref_log, &dp_log));
		n_transparency_checked++;
	}
}

static void
test_differential(void)
{
	static struct world w;
	static struct sl_xlate_result res;
	/* 1000 random worlds, each checked before and after a random change: 2000 rule sets.
	 * SL_DIFF_WORLDS=n runs longer (or shorter) campaigns. */
	unsigned int n_worlds = getenv("SL_DIFF_WORLDS") ? (unsigned int)atoi(getenv("SL_DIFF_WORLDS")) : 1000;
	for (unsigned int i = 0; i < n_worlds; i++) {
		if (CU_get_number_of_failures() > 50)
			break; /* enough evidence; keep the failure report short */
		build_world(&w);
		for (int p = 0; p < 40; p++) {
			struct pstate pkt;
			random_packet(&pkt);
			if (!check_packet(&w, &pkt, &res))
				continue;
			n_packets_checked++;
			total_mask_bits += sl_flow_mask_popcount(&res.mask);
			check_transparency(&w, &pkt, &res);
		}
		/* Change the world a little and check again: strict modify, strict delete, liveness. */
		if (w.n_rules) {
			struct tr_rule *r = &w.rules[rnd(w.n_rules)];
			random_instructions(&w, r);
			if (install(&w, r, OFPFC_MODIFY_STRICT) != 0)
				r->live = false, install(&w, r, OFPFC_DELETE_STRICT);
			struct tr_rule *d = &w.rules[rnd(w.n_rules)];
			if (d->live) {
				unsigned int n = 0;
				struct sl_flow_mod fm;
				memset(&fm, 0, sizeof(fm));
				fm.command = OFPFC_DELETE; /* non-strict, catch-all, by cookie */
				fm.table_id = OFPTT_ALL;
				fm.cookie = d->cookie;
				fm.cookie_mask = UINT64_MAX;
				fm.out_port = OFPP_ANY;
				fm.out_group = OFPG_ANY;
				sl_match_init_catchall(&fm.match);
				CU_ASSERT_EQUAL(sl_pipeline_flow_mod(w.pl, &fm, &n), 0);
				CU_ASSERT_EQUAL(n, 1);
				d->live = false;
			}
		}
		uint32_t port = 1 + rnd(N_PORTS);
		w.port_up[port] = !w.port_up[port];
		sl_pipeline_set_port_live(w.pl, port, w.port_up[port]);
		for (int p = 0; p < 20; p++) {
			struct pstate pkt;
			random_packet(&pkt);
			if (check_packet(&w, &pkt, &res)) {
				n_packets_checked++;
				check_transparency(&w, &pkt, &res);
			}
		}
		sl_pipeline_destroy(w.pl);
	}
	printf("\n  %lu packets, %lu transparency checks, avg mask bits %.1f; %lu with output/packet-in/"
	       "meter events, %lu through groups, %lu through 2+ tables, %lu recirculated\n",
	       n_packets_checked, n_transparency_checked,
	       (double)total_mask_bits / (double)n_packets_checked, n_with_events, n_with_groups,
	       n_multi_table, n_recirculated);
	/* The campaign must exercise something: a generator that only produced drops would pass. */
	CU_ASSERT(n_with_events > n_packets_checked / 2);
	CU_ASSERT(n_with_groups > n_packets_checked / 20);
	CU_ASSERT(n_multi_table > n_packets_checked / 10);
	CU_ASSERT(n_recirculated > n_packets_checked / 200);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "differential", test_differential },
	};

	return cunit_run_suite("xlate_differential", tests, CUNIT_N_TESTS(tests));
}
