/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The translation fuzzer's wild mode: group graphs with loops the group-mod
 * check must refuse and chains deeper than the translator follows, rules
 * with every action type and many match fields over six tables, packets
 * parsed from frames. What is checked without a reference:
 *  - a group-mod is accepted only if the graph (group actions and watches)
 *    stays acyclic, and refused with OFPGMFC_LOOP only if it would not;
 *    a group delete is refused with OFPGMFC_CHAINED_GROUP only while another
 *    group names it;
 *  - every translation stays inside the translator's bounds and work bound
 *    (fz_translate), translates the same way twice, and is transparent:
 *    a frame changed outside the megaflow mask gets the same actions.
 */
#include <string.h>

#include <rte_byteorder.h>

#include "sl_flow_consts.h"
#include "sl_flow_parse.h"
#include "xlate_fuzz.h"

#define W_TABLES 6
#define W_GROUPS 40    /* group ids 1..W_GROUPS; actions may name a few more */
#define W_ACTS 6       /* actions per list */
#define W_BUCKETS 4
#define W_PORTS 6

static const struct fz_bounds wild_bounds = { W_ACTS + 1, W_BUCKETS };

/* The group graph as accepted so far: edges[g] = bit i set when group g
 * names group i (action or watch). */
static bool g_live[W_GROUPS + 1];
static uint64_t g_edges[W_GROUPS + 1];

static struct sl_pipeline *pl;
static uint32_t chain_start; /* first group of the last chain built */

/* ------------------------------------------------------------ actions ---- */

static const uint32_t out_ports[] = {
	1, 2, 3, 4, 5, 6, OFPP_IN_PORT, OFPP_FLOOD, OFPP_ALL, OFPP_CONTROLLER, OFPP_LOCAL,
	OFPP_NORMAL, OFPP_TABLE, 0, OFPP_MAX - 1,
};

static void
wild_set_field(struct sl_action *a)
{
	const struct sl_field_desc *d = NULL;

	for (int tries = 0; tries < 4 && (d == NULL || !d->writable); tries++)
		d = sl_field_by_oxm(rnd(SL_OXM_N_FIELDS));
	if (d == NULL)
		d = sl_field_by_oxm(OFPXMT_OFB_ETH_DST);
	a->type = OFPAT_SET_FIELD;
	a->set_field.field = d->oxm;
	a->set_field.len = d->len;
	for (unsigned int i = 0; i < d->len; i++)
		a->set_field.value[i] = (uint8_t)rnd(256);
	if (d->len <= 8 && d->valid_bits && rnd(8)) {
		uint64_t v = 0;

		for (unsigned int i = 0; i < d->len; i++)
			v = v << 8 | a->set_field.value[i];
		v &= d->valid_bits;
		for (unsigned int i = 0; i < d->len; i++)
			a->set_field.value[d->len - 1 - i] = (uint8_t)(v >> (8 * i));
	}
}

static void
wild_action(struct sl_action *a)
{
	static const uint16_t ethertypes[] = { SL_ETH_VLAN, SL_ETH_QINQ, SL_ETH_MPLS,
					       SL_ETH_MPLS_MC, SL_ETH_IPV4, SL_ETH_IPV6,
					       SL_ETH_PBB, SL_ETH_ARP };
	uint32_t k = rnd(20);

	memset(a, 0, sizeof(*a));
	if (k < 5) {
		a->type = OFPAT_OUTPUT;
		a->output.port = out_ports[rnd(sizeof(out_ports) / sizeof(out_ports[0]))];
		a->output.max_len = (uint16_t)(rnd(2) ? OFPCML_NO_BUFFER : rnd(256));
	} else if (k < 9) {
		a->type = OFPAT_GROUP;
		a->group_id = 1 + rnd(W_GROUPS + 4);
	} else if (k < 13) {
		wild_set_field(a);
	} else {
		static const uint16_t types[] = {
			OFPAT_PUSH_VLAN, OFPAT_POP_VLAN, OFPAT_PUSH_MPLS, OFPAT_POP_MPLS,
			OFPAT_PUSH_PBB, OFPAT_POP_PBB, OFPAT_DEC_NW_TTL, OFPAT_SET_NW_TTL,
			OFPAT_DEC_MPLS_TTL, OFPAT_SET_MPLS_TTL, OFPAT_COPY_TTL_OUT,
			OFPAT_COPY_TTL_IN, OFPAT_SET_QUEUE,
		};
		a->type = types[rnd(sizeof(types) / sizeof(types[0]))];
		a->ethertype = ethertypes[rnd(sizeof(ethertypes) / sizeof(ethertypes[0]))];
		if (a->type == OFPAT_SET_NW_TTL || a->type == OFPAT_SET_MPLS_TTL)
			a->ttl = (uint8_t)rnd(4);
		if (a->type == OFPAT_SET_QUEUE)
			a->queue_id = rnd(4);
	}
}

static unsigned int
wild_list(struct sl_action *acts)
{
	unsigned int n = rnd(W_ACTS + 1);

	for (unsigned int i = 0; i < n; i++)
		wild_action(&acts[i]);
	return n;
}

/* ------------------------------------------------------------- groups ---- */

/* Is there a path from @p from to @p to in the graph with @p id's edges
 * replaced by @p id_edges? (Depth-first over at most W_GROUPS nodes.) */
static bool
path(uint32_t from, uint32_t to, uint32_t id, uint64_t id_edges, uint64_t *seen)
{
	uint64_t e = from == id ? id_edges : g_edges[from];

	if (from == to)
		return true;
	if (*seen & (1ull << from))
		return false;
	*seen |= 1ull << from;
	for (uint32_t n = 1; n <= W_GROUPS; n++)
		if ((e & (1ull << n)) && path(n, to, id, id_edges, seen))
			return true;
	return false;
}

static bool
closes_loop(uint32_t id, uint64_t edges)
{
	for (uint32_t n = 1; n <= W_GROUPS; n++) {
		uint64_t seen = 0;

		if ((edges & (1ull << n)) && path(n, id, id, edges, &seen))
			return true;
	}
	return false;
}

static uint64_t
edges_of(const struct sl_bucket *b, uint16_t n)
{
	uint64_t e = 0;

	for (uint16_t i = 0; i < n; i++) {
		if (b[i].watch_group >= 1 && b[i].watch_group <= W_GROUPS)
			e |= 1ull << b[i].watch_group;
		for (uint16_t k = 0; k < b[i].n_actions; k++)
			if (b[i].actions[k].type == OFPAT_GROUP && b[i].actions[k].group_id >= 1 &&
			    b[i].actions[k].group_id <= W_GROUPS)
				e |= 1ull << b[i].actions[k].group_id;
	}
	return e;
}

static void
group_delete(uint32_t id)
{
	struct sl_group_mod gm = { .command = OFPGC_DELETE, .group_id = id };
	bool named = false;
	int rc;

	for (uint32_t g = 1; g <= W_GROUPS && id <= W_GROUPS; g++)
		named |= g_live[g] && g != id && (g_edges[g] & (1ull << id));
	rc = sl_pipeline_group_mod(pl, &gm);
	fz_st.chained_refused += rc == SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_CHAINED_GROUP);
	if (rc == SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_CHAINED_GROUP) && !named)
		fz_fail("group delete refused as chained, but no group names it");
	if (rc == 0 && named && g_live[id])
		fz_fail("a group another group names was deleted");
	if (rc == 0 && id <= W_GROUPS) {
		g_live[id] = false;
		g_edges[id] = 0;
	}
	if (rc == 0 && id == OFPG_ALL) {
		memset(g_live, 0, sizeof(g_live));
		memset(g_edges, 0, sizeof(g_edges));
	}
}

#define CHAIN_END UINT32_MAX

/* One group-mod: ADD/MODIFY of a random group (@p chain_to 0), or a link of
 * a chain: one bucket going to group @p chain_to (CHAIN_END: the last link). */
static void
group_mod(uint32_t id, uint16_t cmd, uint32_t chain_to)
{
	struct sl_bucket b[W_BUCKETS];
	struct sl_action acts[W_BUCKETS][W_ACTS + 1];
	struct sl_group_mod gm = { .command = cmd, .group_id = id };
	uint64_t e;
	bool loop;
	int rc;

	gm.type = (uint8_t)(chain_to ? (rnd(2) ? OFPGT_INDIRECT : OFPGT_ALL) : rnd(5));
	gm.n_buckets = gm.type == OFPGT_INDIRECT || chain_to ? 1 : (uint16_t)rnd(W_BUCKETS + 1);
	gm.buckets = b;
	for (uint16_t i = 0; i < gm.n_buckets; i++) {
		memset(&b[i], 0, sizeof(b[i]));
		b[i].actions = acts[i];
		b[i].weight = gm.type == OFPGT_SELECT ? (uint16_t)rnd(4) : 0;
		b[i].watch_port = gm.type == OFPGT_FF || rnd(4) == 0 ? 1 + rnd(W_PORTS + 1) : OFPP_ANY;
		b[i].watch_group = rnd(5) == 0 && !chain_to ? 1 + rnd(W_GROUPS + 2) : OFPG_ANY;
		if (chain_to) { /* a link: at most one output before its next */
			b[i].n_actions = (uint16_t)rnd(2);
			memset(&acts[i][0], 0, sizeof(acts[i][0]));
			acts[i][0].type = OFPAT_OUTPUT;
			acts[i][0].output.port = 1 + rnd(W_PORTS);
		} else {
			b[i].n_actions = (uint16_t)wild_list(acts[i]);
		}
		if (chain_to && chain_to != CHAIN_END) {
			memset(&acts[i][b[i].n_actions], 0, sizeof(acts[i][0]));
			acts[i][b[i].n_actions].type = OFPAT_GROUP;
			acts[i][b[i].n_actions++].group_id = chain_to;
		}
	}
	e = edges_of(b, gm.n_buckets);
	loop = id <= W_GROUPS && ((e >> id) & 1 || closes_loop(id, e));
	rc = sl_pipeline_group_mod(pl, &gm);
	if (rc == 0 && loop)
		fz_fail("a group-mod closing a loop was accepted");
	fz_st.loops_refused += rc == SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP);
	if (rc == SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP) && !loop)
		fz_fail("a group-mod refused as a loop closes none");
	if (rc == 0 && id <= W_GROUPS) {
		g_live[id] = true;
		g_edges[id] = e;
	}
}

/* The model follows the pipeline: the same groups exist. */
static void
groups_agree(void)
{
	for (uint32_t g = 1; g <= W_GROUPS; g++) {
		bool live = sl_pipeline_group(pl, g) != NULL;

		if (live != g_live[g])
			fz_fail("the group table and the group-mod answers disagree");
	}
}

/* One group-mod: add, modify, delete (one or all), or a chain. */
static void
group_step(void)
{
	uint32_t k = rnd(10), id = 1 + rnd(W_GROUPS);

	if (k < 5) {
		group_mod(id, OFPGC_ADD, 0);
	} else if (k < 7) {
		group_mod(id, OFPGC_MODIFY, 0);
	} else if (k < 8) {
		group_delete(rnd(16) ? id : OFPG_ALL);
	} else {
		/* A chain id, id+1, ... built from its far end: deeper than the
		 * translator follows when long enough. */
		uint32_t len = 2 + rnd(W_GROUPS - 1);
		uint32_t end = id + len - 1 > W_GROUPS ? W_GROUPS : id + len - 1;

		for (uint32_t g = end; g >= id; g--)
			group_mod(g, g_live[g] ? OFPGC_MODIFY : OFPGC_ADD, g == end ? CHAIN_END : g + 1);
		chain_start = id;
	}
	if (rnd(4) == 0 && g_live[1]) /* try to close a loop through a chain */
		group_mod(1 + rnd(W_GROUPS), OFPGC_MODIFY, 1);
	groups_agree();
}

/* ------------------------------------------------------------- rules ---- */

static void
set_oxm(struct sl_match *m, unsigned int oxm, uint64_t v, uint64_t mask, bool masked)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	uint8_t val[8], msk[8];

	for (unsigned int i = 0; i < d->len && i < 8; i++) {
		val[d->len - 1 - i] = (uint8_t)(v >> (8 * i));
		msk[d->len - 1 - i] = (uint8_t)(mask >> (8 * i));
	}
	(void)sl_match_set_oxm(m, oxm, val, masked ? msk : NULL, d->len);
}

static void
wild_match(struct sl_match *m)
{
	static const uint16_t ets[] = { SL_ETH_IPV4, SL_ETH_IPV4, SL_ETH_IPV6, SL_ETH_ARP,
					SL_ETH_MPLS };
	uint16_t et = ets[rnd(sizeof(ets) / sizeof(ets[0]))];
	uint8_t proto = (uint8_t)(rnd(3) ? (rnd(2) ? 6 : 17) : rnd(2) ? 1 : 58);

	sl_match_init_catchall(m);
	if (rnd(3) == 0)
		set_oxm(m, OFPXMT_OFB_IN_PORT, 1 + rnd(W_PORTS), 0, false);
	if (rnd(4) == 0)
		set_oxm(m, OFPXMT_OFB_ETH_DST, rnd(4), 0xfffffffffffe, rnd(2));
	if (rnd(5) == 0)
		set_oxm(m, OFPXMT_OFB_ETH_SRC, rnd(4), 0, false);
	if (rnd(4) == 0)
		set_oxm(m, OFPXMT_OFB_VLAN_VID, rnd(3) ? OFPVID_PRESENT | (1 + rnd(3)) : 0,
			OFPVID_PRESENT, rnd(4) == 0);
	if (rnd(6) == 0)
		set_oxm(m, OFPXMT_OFB_VLAN_PCP, rnd(8), 0, false);
	if (rnd(4) == 0)
		set_oxm(m, OFPXMT_OFB_METADATA, rnd(4), 1 + rnd(3), true);
	if (rnd(4) == 0)
		return;
	set_oxm(m, OFPXMT_OFB_ETH_TYPE, et, 0, false);
	if (et == SL_ETH_MPLS) {
		if (rnd(2))
			set_oxm(m, OFPXMT_OFB_MPLS_LABEL, rnd(3), 0, false);
		if (rnd(3) == 0)
			set_oxm(m, OFPXMT_OFB_MPLS_BOS, rnd(2), 0, false);
		return;
	}
	if (et == SL_ETH_ARP) {
		if (rnd(2))
			set_oxm(m, OFPXMT_OFB_ARP_OP, 1 + rnd(2), 0, false);
		return;
	}
	if (et == SL_ETH_IPV4 && rnd(2))
		set_oxm(m, OFPXMT_OFB_IPV4_DST, 0x0a000000 | rnd(8), ~0u << rnd(4), true);
	if (et == SL_ETH_IPV4 && rnd(3) == 0)
		set_oxm(m, OFPXMT_OFB_IPV4_SRC, 0x0a000000 | rnd(4), 0, false);
	if (rnd(4) == 0)
		set_oxm(m, OFPXMT_OFB_IP_DSCP, rnd(64), 0, false);
	if (rnd(6) == 0)
		set_oxm(m, OFPXMT_OFB_IP_ECN, rnd(4), 0, false);
	if (rnd(2) == 0)
		return;
	set_oxm(m, OFPXMT_OFB_IP_PROTO, proto, 0, false);
	if (proto == 6 && rnd(2))
		set_oxm(m, OFPXMT_OFB_TCP_DST, 1 + rnd(4), 0, false);
	if (proto == 6 && rnd(3) == 0)
		set_oxm(m, OFPXMT_OFB_TCP_SRC, rnd(4), 0xfffe, true);
	if (proto == 17 && rnd(2))
		set_oxm(m, OFPXMT_OFB_UDP_DST, 1 + rnd(4), 0, false);
	if (proto == 1 && rnd(2))
		set_oxm(m, OFPXMT_OFB_ICMPV4_TYPE, rnd(256), 0, false);
	if (proto == 58 && rnd(2))
		set_oxm(m, OFPXMT_OFB_ICMPV6_TYPE, 135 + rnd(2), 0, false);
}

static void
wild_rule(uint8_t table)
{
	static struct sl_action apply[W_ACTS + 1], write[W_ACTS + 1];
	struct sl_flow_mod fm;
	struct sl_instructions *ins = &fm.ins;

	memset(&fm, 0, sizeof(fm));
	fm.command = OFPFC_ADD;
	fm.table_id = table;
	fm.priority = (uint16_t)rnd(16);
	fm.cookie = rnd(8);
	fm.out_port = OFPP_ANY;
	fm.out_group = OFPG_ANY;
	wild_match(&fm.match);
	ins->apply = apply;
	ins->write = write;
	ins->n_apply = (uint16_t)wild_list(apply);
	ins->clear_actions = rnd(6) == 0;
	ins->has_write = rnd(2);
	ins->n_write = ins->has_write ? (uint16_t)wild_list(write) : 0;
	ins->has_write_metadata = rnd(4) == 0;
	ins->metadata = rnd(4);
	ins->metadata_mask = 1 + rnd(3);
	ins->has_meter = rnd(10) == 0;
	ins->meter_id = 1 + rnd(3);
	ins->has_goto = rnd(2);
	ins->goto_table = (uint8_t)(rnd(8) ? table + 1 + rnd(W_TABLES - table) : rnd(W_TABLES));
	(void)sl_pipeline_flow_mod(pl, &fm, NULL); /* refusals are fine */
}

/* Delete or modify what a random (non-strict) match selects. */
static void
wild_change(void)
{
	struct sl_flow_mod fm;
	static struct sl_action apply[W_ACTS + 1];

	memset(&fm, 0, sizeof(fm));
	fm.command = rnd(2) ? OFPFC_DELETE : OFPFC_MODIFY;
	fm.table_id = (uint8_t)(rnd(4) ? rnd(W_TABLES) : OFPTT_ALL);
	if (fm.command == OFPFC_MODIFY && fm.table_id == OFPTT_ALL)
		fm.table_id = 0;
	fm.cookie = rnd(8);
	fm.cookie_mask = rnd(2) ? 7 : 0;
	fm.out_port = rnd(4) ? OFPP_ANY : 1 + rnd(W_PORTS);
	fm.out_group = rnd(4) ? OFPG_ANY : 1 + rnd(W_GROUPS);
	wild_match(&fm.match);
	fm.ins.apply = apply;
	fm.ins.n_apply = (uint16_t)wild_list(apply);
	(void)sl_pipeline_flow_mod(pl, &fm, NULL);
}

/* ------------------------------------------------------------ packets ---- */

static void
wild_packet(void)
{
	static struct sl_xlate_result r, rq;
	uint8_t f[256], g[256];
	struct sl_flow_key k, q;
	struct sl_pkt_layout lay;
	size_t n = fz_frame(f, sizeof(f));
	uint32_t in_port = 1 + rnd(W_PORTS);

	if (sl_flow_parse(f, n, in_port, in_port, 0, &k, &lay) < 0)
		return;
	if (fz_translate(pl, &k, NULL, 0, &r, &wild_bounds) != 0)
		return;
	fz_check_again(pl, &k, &r);
	/* The same frame with a few bytes changed: when it agrees under the
	 * mask, the megaflow would forward it, so translation must agree. */
	for (int t = 0; t < 3 && n > 0; t++) {
		memcpy(g, f, n);
		for (unsigned int c = 1 + rnd(3); c > 0; c--)
			g[rnd((uint32_t)n)] ^= (uint8_t)(1 + rnd(255));
		if (sl_flow_parse(g, n, in_port, in_port, 0, &q, &lay) < 0 ||
		    !sl_flow_key_equal_masked(&k, &q, &r.mask))
			continue;
		fz_st.transparent++;
		if (fz_translate(pl, &q, NULL, 0, &rq, &wild_bounds) != 0 ||
		    rq.n_actions != r.n_actions || rq.n_rules != r.n_rules ||
		    memcmp(rq.actions, r.actions, r.n_actions * sizeof(r.actions[0])) != 0 ||
		    memcmp(rq.rules, r.rules, r.n_rules * sizeof(r.rules[0])) != 0)
			fz_fail("megaflow not transparent: a frame agreeing under the mask "
				"translates differently");
	}
}

/* A packet-out: an action list run on a parsed frame (output:TABLE allowed). */
static void
wild_packet_out(void)
{
	static struct sl_xlate_result r;
	struct sl_action acts[W_ACTS + 1];
	uint8_t f[256];
	struct sl_flow_key k;
	struct sl_pkt_layout lay;
	size_t n = fz_frame(f, sizeof(f));
	unsigned int na = wild_list(acts);

	if (sl_flow_parse(f, n, OFPP_CONTROLLER, OFPP_CONTROLLER, 0, &k, &lay) < 0)
		return;
	if (sl_actions_validate(acts, na, NULL, true) != 0)
		return;
	(void)fz_translate(pl, &k, acts, na, &r, &wild_bounds);
}

void
fz_wild(void)
{
	struct sl_pipeline_config cfg = {
		.max_readers = 1, .unstaged = rnd(4) == 0, .no_prefix_tracking = rnd(4) == 0,
		.invalid_ttl_to_controller = rnd(2), .max_recirc = 1 + rnd(64),
	};

	pl = sl_pipeline_create(&cfg);
	if (pl == NULL)
		fz_fail("no pipeline");
	memset(g_live, 0, sizeof(g_live));
	memset(g_edges, 0, sizeof(g_edges));
	chain_start = 0;
	for (unsigned int n = rnd(24); n > 0; n--)
		group_step();
	for (uint8_t t = 0; t < W_TABLES; t++)
		for (unsigned int n = rnd(12); n > 0; n--)
			wild_rule(t);
	if (chain_start && rnd(2)) {
		/* Everything goes down the last chain (deeper than translation
		 * follows, when it is long). */
		struct sl_action go = { .type = OFPAT_GROUP, .group_id = chain_start };
		struct sl_flow_mod fm = { .command = OFPFC_ADD, .priority = 100,
					  .out_port = OFPP_ANY, .out_group = OFPG_ANY };

		sl_match_init_catchall(&fm.match);
		fm.ins.apply = &go;
		fm.ins.n_apply = 1;
		(void)sl_pipeline_flow_mod(pl, &fm, NULL);
	}
	for (uint32_t p = 1; p <= W_PORTS; p++)
		sl_pipeline_set_port_live(pl, p, rnd(4) != 0);
	for (unsigned int round = 0; round < 3; round++) {
		for (unsigned int n = 1 + rnd(8); n > 0; n--) {
			if (rnd(4))
				wild_packet();
			else
				wild_packet_out();
		}
		if (rnd(2))
			wild_change();
		if (rnd(2))
			group_step();
	}
	sl_pipeline_destroy(pl);
	pl = NULL;
}
