/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Group tests (errors, loops, chaining, select stickiness and weights (IP and ARP),
 * fast-failover liveness), set_field placement checked on real packet bytes,
 * and translations running concurrently with flow/group changes under RCU.
 */
#include <math.h>
#include <pthread.h>

#include <rte_rcu_qsbr.h>

#include "cunit_main.h"
#include "test_rng.h"

#include "pipeline_test_util.h"

static struct sl_bucket
bucket(struct sl_action *acts, uint16_t n, uint16_t weight, uint32_t watch_port, uint32_t watch_group)
{
	struct sl_bucket b = { .weight = weight, .watch_port = watch_port, .watch_group = watch_group,
			       .n_actions = n, .actions = acts };
	return b;
}

static int
add_group(uint32_t id, uint8_t type, struct sl_bucket *b, uint16_t n, uint16_t cmd)
{
	struct sl_group_mod gm = { .command = cmd, .type = type, .group_id = id, .n_buckets = n,
				   .buckets = b };
	return sl_pipeline_group_mod(pl, &gm);
}

static void
rule_to_group(uint16_t prio, uint32_t gid)
{
	struct sl_action g = { .type = OFPAT_GROUP, .group_id = gid };
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, prio);
	fm.ins.apply = &g;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
}

static void
test_group_errors_and_loops(void)
{
	setup();
	struct sl_action o1 = out(1);
	struct sl_bucket b = bucket(&o1, 1, 0, OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(1, OFPGT_ALL, &b, 1, OFPGC_ADD), 0);
	CU_ASSERT_EQUAL(add_group(1, OFPGT_ALL, &b, 1, OFPGC_ADD),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_GROUP_EXISTS));
	CU_ASSERT_EQUAL(add_group(2, OFPGT_ALL, &b, 1, OFPGC_MODIFY),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_UNKNOWN_GROUP));
	CU_ASSERT_EQUAL(add_group(OFPG_ALL, OFPGT_ALL, &b, 1, OFPGC_ADD),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP));
	CU_ASSERT_EQUAL(add_group(3, 7, &b, 1, OFPGC_ADD),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_TYPE));
	CU_ASSERT_EQUAL(add_group(3, OFPGT_FF, &b, 1, OFPGC_ADD),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH));
	struct sl_bucket two[2] = { b, b };
	CU_ASSERT_EQUAL(add_group(3, OFPGT_INDIRECT, two, 2, OFPGC_ADD),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET));
	CU_ASSERT_EQUAL(add_group(3, 9, &b, 1, 7),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_COMMAND));
	/* chain 2 -> 1, then 1 -> 2 would loop; 1 -> 1 too */
	struct sl_action to1 = { .type = OFPAT_GROUP, .group_id = 1 };
	struct sl_action to2 = { .type = OFPAT_GROUP, .group_id = 2 };
	struct sl_bucket b2 = bucket(&to1, 1, 0, OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(2, OFPGT_ALL, &b2, 1, OFPGC_ADD), 0);
	struct sl_bucket b1 = bucket(&to2, 1, 0, OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(1, OFPGT_ALL, &b1, 1, OFPGC_MODIFY),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP));
	b1 = bucket(&to1, 1, 0, OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(1, OFPGT_ALL, &b1, 1, OFPGC_MODIFY),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP));
	/* a watch_group cycle is a loop too */
	struct sl_bucket wf = bucket(&o1, 1, 0, OFPP_ANY, 2);
	CU_ASSERT_EQUAL(add_group(1, OFPGT_FF, &wf, 1, OFPGC_MODIFY),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP));
	/* chained translation: rule -> group 2 -> group 1 -> output:1 */
	rule_to_group(1, 2);
	struct sl_flow_key k = pkt_key(9);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "clone(2),clone(1),output:1");
	CU_ASSERT_EQUAL(res.n_buckets, 2);
	sl_xlate_credit(&res, 2, 200, 5);
	CU_ASSERT_EQUAL(res.rules[0]->base_packets, 2);
	CU_ASSERT_EQUAL(res.rules[0]->base_bytes, 200);
	CU_ASSERT_EQUAL(sl_pipeline_group(pl, 2)->stats->n_packets, 2);
	CU_ASSERT_EQUAL(sl_pipeline_group(pl, 1)->stats->n_bytes, 200);
	CU_ASSERT_EQUAL(sl_pipeline_group(pl, 1)->buckets[0].n_packets, 2);
	/* group 1 is referenced by group 2: cannot delete */
	CU_ASSERT_EQUAL(add_group(1, 0, NULL, 0, OFPGC_DELETE),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_CHAINED_GROUP));
	/* deleting group 2 deletes the rule forwarding to it */
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 1);
	CU_ASSERT_EQUAL(sl_pipeline_group(pl, 2)->stats->ref_count, 1);
	CU_ASSERT_EQUAL(add_group(2, 0, NULL, 0, OFPGC_DELETE), 0);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(pl, 0), 0);
	CU_ASSERT_EQUAL(sl_pipeline_n_groups(pl), 1);
	CU_ASSERT_EQUAL(add_group(OFPG_ALL, 0, NULL, 0, OFPGC_DELETE), 0);
	CU_ASSERT_EQUAL(sl_pipeline_n_groups(pl), 0);
	teardown();
}

static void
test_select_group(void)
{
	setup();
	struct sl_action o[3] = { out(1), out(2), out(3) };
	struct sl_bucket b[3] = { bucket(&o[0], 1, 1, OFPP_ANY, OFPG_ANY),
				  bucket(&o[1], 1, 2, OFPP_ANY, OFPG_ANY),
				  bucket(&o[2], 1, 1, 3, OFPG_ANY) };
	CU_ASSERT_EQUAL(add_group(5, OFPGT_SELECT, b, 3, OFPGC_ADD), 0);
	rule_to_group(1, 5);
	unsigned int hits[4] = { 0 };
	struct sl_flow_key k = pkt_key(9);
	for (unsigned int i = 0; i < 4000; i++) {
		k.tcp_src = rte_cpu_to_be_16((uint16_t)i);
		sl_xlate(pl, &k, &res);
		CU_ASSERT_EQUAL_FATAL(res.n_actions, 2);
		uint32_t port = res.actions[1].output.port;
		hits[port]++;
		/* the same flow always lands on the same bucket */
		sl_xlate(pl, &k, &res);
		CU_ASSERT_EQUAL(res.actions[1].output.port, port);
		CU_ASSERT_EQUAL(res.mask.tcp_src, 0xffff); /* the hash consulted it */
	}
	/* weights 1:2:1 */
	CU_ASSERT(hits[1] > 700 && hits[1] < 1300);
	CU_ASSERT(hits[2] > 1700 && hits[2] < 2300);
	CU_ASSERT(hits[3] > 700 && hits[3] < 1300);
	/* port 3 down: its bucket is skipped */
	sl_pipeline_set_port_live(pl, 3, false);
	for (unsigned int i = 0; i < 400; i++) {
		k.tcp_src = rte_cpu_to_be_16((uint16_t)i);
		sl_xlate(pl, &k, &res);
		CU_ASSERT_NOT_EQUAL(res.actions[1].output.port, 3);
		CU_ASSERT_EQUAL(res.n_watch_ports, 1);
	}
	teardown();
}

/* Random flow i of a fixed-seed sequence (addresses and ports vary). */
static struct sl_flow_key
rnd_flow(uint64_t *seed)
{
	struct sl_flow_key k = pkt_key(9);
	test_rng_lcg(seed);
	k.ipv4_src = (uint32_t)(*seed >> 32);
	k.tcp_src = (uint16_t)(*seed >> 8);
	test_rng_lcg(seed);
	k.ipv4_dst = (uint32_t)(*seed >> 32);
	k.tcp_dst = (uint16_t)(*seed >> 16);
	return k;
}

static uint32_t
select_port(const struct sl_flow_key *k)
{
	sl_xlate(pl, k, &res);
	CU_ASSERT_EQUAL_FATAL(res.n_actions, 2);
	return res.actions[1].output.port;
}

/* Rendezvous hashing: a bucket going down moves only its own flows, coming
 * back moves exactly them back, and weights are respected. The hash is
 * deterministic, so the bounds are not flaky: they are 6 standard deviations
 * of a binomial(n, w/W) count, which a uniform hash stays within. */
#define N_SEL_FLOWS 10000
static void
test_select_rendezvous(void)
{
	setup();
	struct sl_action o[4] = { out(1), out(2), out(3), out(4) };
	struct sl_bucket b[4];
	for (unsigned int i = 0; i < 4; i++)
		b[i] = bucket(&o[i], 1, (uint16_t)(i + 1), i + 1, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(7, OFPGT_SELECT, b, 4, OFPGC_ADD), 0);
	rule_to_group(1, 7);
	static uint8_t before[N_SEL_FLOWS];
	unsigned int hits[5] = { 0 }, moved = 0, wrongly_moved = 0;
	uint64_t seed = 42;
	for (unsigned int i = 0; i < N_SEL_FLOWS; i++) {
		struct sl_flow_key k = rnd_flow(&seed);
		before[i] = (uint8_t)select_port(&k);
		hits[before[i]]++;
	}
	for (unsigned int p = 1; p <= 4; p++) { /* weights 1:2:3:4 of 10 */
		double e = N_SEL_FLOWS * p / 10.0, sd = sqrt(e * (1 - p / 10.0));
		CU_ASSERT(fabs(hits[p] - e) < 6 * sd);
	}
	sl_pipeline_set_port_live(pl, 3, false);
	seed = 42;
	for (unsigned int i = 0; i < N_SEL_FLOWS; i++) {
		struct sl_flow_key k = rnd_flow(&seed);
		uint32_t now = select_port(&k);
		CU_ASSERT_NOT_EQUAL(now, 3);
		if (now != before[i]) {
			moved++;
			wrongly_moved += before[i] != 3;
		}
	}
	CU_ASSERT_EQUAL(wrongly_moved, 0);
	CU_ASSERT_EQUAL(moved, hits[3]);
	sl_pipeline_set_port_live(pl, 3, true);
	seed = 42;
	for (unsigned int i = 0; i < N_SEL_FLOWS; i++) {
		struct sl_flow_key k = rnd_flow(&seed);
		CU_ASSERT_EQUAL(select_port(&k), before[i]);
	}
	teardown();
}

/* An ARP frame (request; @p op 2: reply) from 10.x sender @p spa to target
 * @p tpa, parsed as the worker parses it. */
static struct sl_flow_key
arp_key(uint32_t spa, uint32_t tpa, uint16_t op)
{
	uint8_t f[42] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x06,
			  0, 1, 0x08, 0x00, 6, 4, 0, 0, 0, 0, 0, 0, 0, 1 };
	f[21] = (uint8_t)op;
	for (int i = 0; i < 4; i++) {
		f[28 + i] = (uint8_t)(spa >> (24 - 8 * i));
		f[38 + i] = (uint8_t)(tpa >> (24 - 8 * i));
	}
	struct sl_flow_key k;
	CU_ASSERT_EQUAL_FATAL(sl_flow_parse(f, sizeof(f), 9, 9, 0, &k, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(k.eth_type, rte_cpu_to_be_16(0x0806));
	return k;
}

/* Issue 25 item 2: ARP packets between one pair of MACs with varying
 * sender/target IPs spread over a select group's buckets by weight, the
 * megaflow keeps both addresses (a cached entry must not carry another
 * address pair's bucket), and fields outside the hash (opcode, sha) do not
 * move a flow. Same 6-sigma bounds as select_rendezvous (deterministic). */
static void
test_select_arp(void)
{
	setup();
	struct sl_action o[4] = { out(1), out(2), out(3), out(4) };
	struct sl_bucket b[4];
	for (unsigned int i = 0; i < 4; i++)
		b[i] = bucket(&o[i], 1, (uint16_t)(i + 1), OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(8, OFPGT_SELECT, b, 4, OFPGC_ADD), 0);
	rule_to_group(1, 8);
	unsigned int hits[5] = { 0 }, n = 0;
	for (uint32_t s = 1; s <= 50; s++)
		for (uint32_t t = 1; t <= 40; t++, n++) {
			struct sl_flow_key k = arp_key(0x0a000000 | s, 0x0a010000 | t, 1);
			uint32_t port = select_port(&k);
			CU_ASSERT_FATAL(port >= 1 && port <= 4);
			hits[port]++;
			CU_ASSERT_EQUAL(res.mask.arp_spa, 0xffffffffu);
			CU_ASSERT_EQUAL(res.mask.arp_tpa, 0xffffffffu);
			struct sl_flow_key reply = arp_key(0x0a000000 | s, 0x0a010000 | t, 2);
			CU_ASSERT_EQUAL(select_port(&reply), port);
		}
	for (unsigned int p = 1; p <= 4; p++) { /* weights 1:2:3:4 of 10 */
		double e = n * p / 10.0, sd = sqrt(e * (1 - p / 10.0));
		CU_ASSERT(fabs(hits[p] - e) < 6 * sd);
		CU_ASSERT(hits[p] > 0);
	}
	/* IP packets hash the IP fields: their megaflows gain no ARP bits. */
	struct sl_flow_key ip = pkt_key(9);
	select_port(&ip);
	CU_ASSERT_EQUAL(res.mask.arp_spa, 0);
	CU_ASSERT_EQUAL(res.mask.arp_tpa, 0);
	CU_ASSERT_EQUAL(res.mask.ipv4_src, 0xffffffffu);
	teardown();
}

static void
test_fast_failover(void)
{
	setup();
	struct sl_action o[3] = { out(1), out(2), out(3) };
	struct sl_bucket inner[1] = { bucket(&o[2], 1, 0, 3, OFPG_ANY) };
	CU_ASSERT_EQUAL(add_group(2, OFPGT_FF, inner, 1, OFPGC_ADD), 0);
	struct sl_bucket b[3] = { bucket(&o[0], 1, 0, 1, OFPG_ANY),
				  bucket(&o[1], 1, 0, 2, OFPG_ANY),
				  bucket(NULL, 0, 0, OFPP_ANY, 2) };
	struct sl_action to2 = { .type = OFPAT_GROUP, .group_id = 2 };
	b[2].actions = &to2;
	b[2].n_actions = 1;
	CU_ASSERT_EQUAL(add_group(1, OFPGT_FF, b, 3, OFPGC_ADD), 0);
	rule_to_group(1, 1);
	struct sl_flow_key k = pkt_key(9);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "clone(1),output:1");
	CU_ASSERT_EQUAL(res.n_watch_ports, 1);
	CU_ASSERT_EQUAL(res.watch_ports[0], 1);
	uint64_t v = sl_pipeline_version(pl);
	sl_pipeline_set_port_live(pl, 1, false);
	CU_ASSERT(sl_pipeline_version(pl) > v); /* megaflows depending on port 1 must go */
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "clone(1),output:2");
	CU_ASSERT_EQUAL(res.n_watch_ports, 2);
	sl_pipeline_set_port_live(pl, 2, false);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "clone(2),clone(1),output:3");
	CU_ASSERT_EQUAL(res.n_watch_groups, 1);
	CU_ASSERT(sl_pipeline_group_live(pl, 1));
	sl_pipeline_set_port_live(pl, 3, false);
	CU_ASSERT(!sl_pipeline_group_live(pl, 1));
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "drop");
	sl_pipeline_set_port_live(pl, 1, true);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "clone(1),output:1");
	teardown();
}

/*
 * Group graphs with exponentially many paths: a chain of groups, each with
 * several buckets pointing to (or watching) the next. The loop check and
 * fast-failover liveness walked every path (2^40 for the chain below), which
 * hung the control lcore and, in translation, a worker's miss. Each answer
 * must now come at once (the test's timeout catches a regression).
 */
#define CHAIN 40

static void
test_exponential_graphs(void)
{
	setup();
	struct sl_action o1 = out(1);
	struct sl_bucket last = bucket(&o1, 1, 0, OFPP_ANY, OFPG_ANY);
	struct sl_action to[CHAIN + 1];
	struct sl_bucket two[2];

	/* ALL groups 1..CHAIN, group k sending to k+1 from both buckets */
	CU_ASSERT_EQUAL(add_group(CHAIN, OFPGT_ALL, &last, 1, OFPGC_ADD), 0);
	for (uint32_t k = CHAIN - 1; k >= 1; k--) {
		to[k] = (struct sl_action){ .type = OFPAT_GROUP, .group_id = k + 1 };
		two[0] = two[1] = bucket(&to[k], 1, 0, OFPP_ANY, OFPG_ANY);
		CU_ASSERT_EQUAL(add_group(k, OFPGT_ALL, two, 2, OFPGC_ADD), 0);
	}
	/* the tail pointing back to the head closes a loop */
	to[0] = (struct sl_action){ .type = OFPAT_GROUP, .group_id = 1 };
	two[0] = two[1] = bucket(&to[0], 1, 0, OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(CHAIN, OFPGT_ALL, two, 2, OFPGC_MODIFY),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP));

	/* fast-failover groups 101..130, both buckets of each watching the next */
	struct sl_bucket ff_last = bucket(&o1, 1, 0, 1, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(130, OFPGT_FF, &ff_last, 1, OFPGC_ADD), 0);
	for (uint32_t k = 129; k >= 101; k--) {
		two[0] = two[1] = bucket(&o1, 1, 0, OFPP_ANY, k + 1);
		CU_ASSERT_EQUAL(add_group(k, OFPGT_FF, two, 2, OFPGC_ADD), 0);
	}
	CU_ASSERT(sl_pipeline_group_live(pl, 101));
	sl_pipeline_set_port_live(pl, 1, false);
	CU_ASSERT(!sl_pipeline_group_live(pl, 101));
	sl_pipeline_set_port_live(pl, 1, true);

	/* translation: a rule to FF group 201, a chain as deep as translation
	 * goes (SL_XLATE_MAX_GROUP_DEPTH), four buckets each watching the next */
	struct sl_bucket four[4];
	uint32_t top = 201 + SL_XLATE_MAX_GROUP_DEPTH - 1;
	struct sl_bucket x_last = bucket(&o1, 1, 0, 1, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(top, OFPGT_FF, &x_last, 1, OFPGC_ADD), 0);
	for (uint32_t k = top - 1; k >= 201; k--) {
		four[0] = four[1] = four[2] = four[3] = bucket(&o1, 1, 0, OFPP_ANY, k + 1);
		CU_ASSERT_EQUAL(add_group(k, OFPGT_FF, four, 4, OFPGC_ADD), 0);
	}
	rule_to_group(1, 201);
	struct sl_flow_key k = pkt_key(9);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "clone(1),output:1");
	CU_ASSERT_EQUAL(res.n_watch_groups, SL_XLATE_MAX_GROUP_DEPTH - 1);
	sl_pipeline_set_port_live(pl, 1, false);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "drop");
	teardown();
}

/*
 * The group table at its size limit (65536 groups), built one group-mod at
 * a time, then churned: every group-mod copied the whole id->group map,
 * O(n^2) for n groups (2^31 slot copies and 64 GB zeroed here), which held
 * the control lcore for minutes. The map now changes in place; deleted
 * slots are reused, and every group stays findable throughout.
 */
#define MANY_GROUPS 65536u

static void
test_many_groups(void)
{
	setup();
	struct sl_action o1 = out(1);
	struct sl_bucket b = bucket(&o1, 1, 0, OFPP_ANY, OFPG_ANY);
	unsigned int found = 0;

	for (uint32_t id = 0; id < MANY_GROUPS; id++)
		CU_ASSERT_EQUAL(add_group(id, OFPGT_ALL, &b, 1, OFPGC_ADD), 0);
	CU_ASSERT_EQUAL(sl_pipeline_n_groups(pl), MANY_GROUPS);
	CU_ASSERT_EQUAL(add_group(MANY_GROUPS, OFPGT_ALL, &b, 1, OFPGC_ADD),
			SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_GROUPS));
	/* churn: delete the even ones, modify the odd ones, add the even back */
	for (uint32_t id = 0; id < MANY_GROUPS; id += 2) {
		struct sl_group_mod gm = { .command = OFPGC_DELETE, .group_id = id };
		CU_ASSERT_EQUAL(sl_pipeline_group_mod(pl, &gm), 0);
	}
	CU_ASSERT_EQUAL(sl_pipeline_n_groups(pl), MANY_GROUPS / 2);
	for (uint32_t id = 1; id < MANY_GROUPS; id += 2)
		CU_ASSERT_EQUAL(add_group(id, OFPGT_INDIRECT, &b, 1, OFPGC_MODIFY), 0);
	for (uint32_t id = 0; id < MANY_GROUPS; id += 2)
		CU_ASSERT_EQUAL(add_group(id, OFPGT_ALL, &b, 1, OFPGC_ADD), 0);
	for (uint32_t id = 0; id < MANY_GROUPS; id++) {
		const struct sl_group *g = sl_pipeline_group(pl, id);
		found += g != NULL && g->group_id == id &&
			 g->type == (id % 2 ? OFPGT_INDIRECT : OFPGT_ALL);
	}
	CU_ASSERT_EQUAL(found, MANY_GROUPS);
	CU_ASSERT_PTR_NULL(sl_pipeline_group(pl, MANY_GROUPS));
	struct sl_group_mod all = { .command = OFPGC_DELETE, .group_id = OFPG_ALL };
	CU_ASSERT_EQUAL(sl_pipeline_group_mod(pl, &all), 0);
	CU_ASSERT_EQUAL(sl_pipeline_n_groups(pl), 0);
	sl_pipeline_synchronize(pl);
	teardown();
}

/* Apply a SET_FIELD datapath action to packet bytes the way a worker would. */
static void
apply_set_field(uint8_t *p, size_t len, const struct sl_pkt_layout *l, const struct sl_exec_action *a)
{
	size_t base;
	switch (a->set_field.layer) {
	case SL_LAYER_ETH: base = 0; break;
	case SL_LAYER_VLAN: base = l->vlan_ofs; break;
	case SL_LAYER_MPLS: base = l->mpls_ofs; break;
	case SL_LAYER_PBB: base = l->pbb_ofs; break;
	case SL_LAYER_L3: base = l->l3_ofs; break;
	case SL_LAYER_L4: base = l->l4_ofs; break;
	case SL_LAYER_ETHTYPE: base = l->eth_type_ofs; break;
	case SL_LAYER_ND_OPT: {
		uint8_t want = a->set_field.field == OFPXMT_OFB_IPV6_ND_SLL ? 1 : 2;
		base = SIZE_MAX;
		for (size_t o = l->l4_ofs + 24; o + 8 <= len; o += (size_t)p[o + 1] * 8) {
			if (p[o + 1] == 0)
				break;
			if (p[o] == want) {
				base = o;
				break;
			}
		}
		break;
	}
	default: base = SIZE_MAX;
	}
	CU_ASSERT_FATAL(base != SIZE_MAX && base != SL_OFS_NONE);
	CU_ASSERT_FATAL(base + a->set_field.offset + a->set_field.len <= len);
	for (unsigned int i = 0; i < a->set_field.len; i++) {
		uint8_t *b = &p[base + a->set_field.offset + i];
		*b = (uint8_t)((*b & ~a->set_field.mask[i]) | (a->set_field.value[i] & a->set_field.mask[i]));
	}
}

/* set_field through packet-out translation, applied to bytes, re-parsed: the key field changed and nothing else. */
static void
check_set_field_bytes(const uint8_t *pkt, size_t len, unsigned int oxm, const void *val)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	uint8_t buf[256];
	memcpy(buf, pkt, len);
	struct sl_flow_key before, after, expect;
	struct sl_pkt_layout lay;
	sl_flow_parse(buf, len, 1, 1, 0, &before, &lay);
	struct sl_action a = setf(oxm, val, d->len);
	CU_ASSERT_EQUAL(sl_xlate_actions(pl, &before, &a, 1, &res), 0);
	CU_ASSERT_EQUAL_FATAL(res.n_actions, 1);
	CU_ASSERT_EQUAL(res.actions[0].type, SL_EXEC_SET_FIELD);
	apply_set_field(buf, len, &lay, &res.actions[0]);
	sl_flow_parse(buf, len, 1, 1, 0, &after, NULL);
	expect = before;
	sl_field_set(d, &expect, val, NULL);
	if (oxm == OFPXMT_OFB_VLAN_VID)
		expect.vlan_vid |= rte_cpu_to_be_16(OFPVID_PRESENT);
	if (memcmp(&expect, &after, sizeof(after)) != 0) {
		printf("\n  set_field %s: key mismatch after rewrite\n", d->name);
		CU_FAIL("set_field placement");
	}
}

static void
test_set_field_placement(void)
{
	setup();
	/* IPv4/TCP in a VLAN */
	uint8_t v4[sizeof(PKT) + 4];
	memcpy(v4, PKT, 12);
	const uint8_t tag[] = { 0x81, 0x00, 0x20, 0x05 };
	memcpy(v4 + 12, tag, 4);
	memcpy(v4 + 16, PKT + 12, sizeof(PKT) - 12);
	uint8_t mac[6] = { 2, 4, 6, 8, 10, 12 }, b1;
	uint16_t s16;
	uint32_t s32;
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_ETH_SRC, mac);
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_ETH_DST, mac);
	s16 = rte_cpu_to_be_16(OFPVID_PRESENT | 0xabc);
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_VLAN_VID, &s16);
	b1 = 6;
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_VLAN_PCP, &b1);
	b1 = 0x2e;
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_IP_DSCP, &b1);
	b1 = 3;
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_IP_ECN, &b1);
	s32 = rte_cpu_to_be_32(0xc0a80001);
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_IPV4_SRC, &s32);
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_IPV4_DST, &s32);
	s16 = rte_cpu_to_be_16(8080);
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_TCP_DST, &s16);
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_TCP_SRC, &s16);
	s16 = rte_cpu_to_be_16(0x0a5);
	check_set_field_bytes(v4, sizeof(v4), OFPXMT_OFB_TCP_FLAGS, &s16);
	/* IPv6/ICMPv6 NS with SLL option */
	static const uint8_t ns[] = {
		0x33, 0x33, 0xff, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x86, 0xdd,
		0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2,
		135, 0, 0, 0, 0, 0, 0, 0,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0x01, 0x01, 0x02, 0, 0, 0, 0, 1,
	};
	uint8_t a16[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x77 };
	check_set_field_bytes(ns, sizeof(ns), OFPXMT_OFB_IPV6_DST, a16);
	check_set_field_bytes(ns, sizeof(ns), OFPXMT_OFB_IPV6_SRC, a16);
	check_set_field_bytes(ns, sizeof(ns), OFPXMT_OFB_IPV6_ND_TARGET, a16);
	check_set_field_bytes(ns, sizeof(ns), OFPXMT_OFB_IPV6_ND_SLL, mac);
	s32 = rte_cpu_to_be_32(0xfedcb);
	check_set_field_bytes(ns, sizeof(ns), OFPXMT_OFB_IPV6_FLABEL, &s32);
	b1 = 0x2b;
	check_set_field_bytes(ns, sizeof(ns), OFPXMT_OFB_IP_DSCP, &b1);
	b1 = 2;
	check_set_field_bytes(ns, sizeof(ns), OFPXMT_OFB_IP_ECN, &b1);
	/* ICMPv4 echo */
	uint8_t icmp[sizeof(PKT)];
	memcpy(icmp, PKT, sizeof(PKT));
	icmp[23] = 1;
	icmp[34] = 8;
	icmp[35] = 0;
	b1 = 0;
	check_set_field_bytes(icmp, sizeof(icmp), OFPXMT_OFB_ICMPV4_TYPE, &b1);
	b1 = 3;
	check_set_field_bytes(icmp, sizeof(icmp), OFPXMT_OFB_ICMPV4_CODE, &b1);
	b1 = 1; /* ip_proto: same value (a new protocol would re-parse the L4 differently) */
	check_set_field_bytes(icmp, sizeof(icmp), OFPXMT_OFB_IP_PROTO, &b1);
	/* MPLS */
	static const uint8_t mpls[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0x47,
					0x12, 0x34, 0x5b, 0x40, 0x45, 0, 0, 20 };
	s32 = rte_cpu_to_be_32(0xabcde);
	check_set_field_bytes(mpls, sizeof(mpls), OFPXMT_OFB_MPLS_LABEL, &s32);
	b1 = 2;
	check_set_field_bytes(mpls, sizeof(mpls), OFPXMT_OFB_MPLS_TC, &b1);
	b1 = 0;
	check_set_field_bytes(mpls, sizeof(mpls), OFPXMT_OFB_MPLS_BOS, &b1);
	/* ARP */
	static const uint8_t arp[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
		0x02, 0, 0, 0, 0, 1, 0x0a, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x0a, 0, 0, 2,
	};
	s16 = rte_cpu_to_be_16(2);
	check_set_field_bytes(arp, sizeof(arp), OFPXMT_OFB_ARP_OP, &s16);
	s32 = rte_cpu_to_be_32(0x0a0000fe);
	check_set_field_bytes(arp, sizeof(arp), OFPXMT_OFB_ARP_TPA, &s32);
	check_set_field_bytes(arp, sizeof(arp), OFPXMT_OFB_ARP_SPA, &s32);
	check_set_field_bytes(arp, sizeof(arp), OFPXMT_OFB_ARP_SHA, mac);
	check_set_field_bytes(arp, sizeof(arp), OFPXMT_OFB_ARP_THA, mac);
	/* prerequisites at run time: tcp_dst on ARP does nothing */
	struct sl_flow_key k;
	sl_flow_parse(arp, sizeof(arp), 1, 1, 0, &k, NULL);
	s16 = rte_cpu_to_be_16(80);
	struct sl_action a = setf(OFPXMT_OFB_TCP_DST, &s16, 2);
	sl_xlate_actions(pl, &k, &a, 1, &res);
	CU_ASSERT_EQUAL(res.n_actions, 0);
	CU_ASSERT_EQUAL(res.mask.eth_type, 0xffff);
	teardown();
}

/* Fan-out beyond the action budget: the translation is a drop with an error, never a partial list. */
static void
test_xlate_limits(void)
{
	setup();
	struct sl_action o[8];
	for (int i = 0; i < 8; i++)
		o[i] = out((uint32_t)(i + 1));
	struct sl_bucket leaf[8];
	for (int i = 0; i < 8; i++)
		leaf[i] = bucket(&o[i], 1, 0, OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(1, OFPGT_ALL, leaf, 8, OFPGC_ADD), 0);
	/* group 2: 8 buckets each -> group 1 (8 outputs): 8 * (1 + 1 + 8 * 2) = 144 actions */
	struct sl_action to1 = { .type = OFPAT_GROUP, .group_id = 1 };
	struct sl_bucket mid[8];
	for (int i = 0; i < 8; i++)
		mid[i] = bucket(&to1, 1, 0, OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(2, OFPGT_ALL, mid, 8, OFPGC_ADD), 0);
	rule_to_group(1, 2);
	struct sl_flow_key k = pkt_key(99);
	/* 72 buckets to credit (> SL_XLATE_MAX_BUCKETS) and 144 actions: refused either way */
	int rc = sl_xlate(pl, &k, &res);
	CU_ASSERT(rc == SL_XLATE_TOO_MANY_HITS || rc == SL_XLATE_TOO_MANY_ACTIONS);
	CU_ASSERT_EQUAL(res.error, rc);
	CU_ASSERT_EQUAL(res.n_actions, 0);
	/* 8 leaves under 7 mids: 57 buckets fit, 7 * 17 = 119 actions fit */
	CU_ASSERT_EQUAL(add_group(2, OFPGT_ALL, mid, 7, OFPGC_MODIFY), 0);
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), 0);
	CU_ASSERT_EQUAL(res.n_actions, 119);
	/* a rule outputting 130 times overflows the action list itself */
	struct sl_action many[130];
	for (int i = 0; i < 130; i++)
		many[i] = out(1 + (uint32_t)i % 8);
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 5);
	fm.ins.apply = many;
	fm.ins.n_apply = 130;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), SL_XLATE_TOO_MANY_ACTIONS);
	CU_ASSERT_EQUAL(res.n_actions, 0);
	fm.command = OFPFC_DELETE_STRICT;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	/* half the fan-out fits: 4 * (clone + 8 * (clone + output)) = 68 actions */
	CU_ASSERT_EQUAL(add_group(2, OFPGT_ALL, mid, 4, OFPGC_MODIFY), 0);
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), 0);
	CU_ASSERT_EQUAL(res.n_actions, 68);
	CU_ASSERT_EQUAL(res.n_buckets, 4 + 4 * 8);
	/* a chain of 20 indirect groups is deeper than SL_XLATE_MAX_GROUP_DEPTH */
	teardown();
	setup();
	struct sl_bucket b0 = bucket(&o[0], 1, 0, OFPP_ANY, OFPG_ANY);
	CU_ASSERT_EQUAL(add_group(100, OFPGT_INDIRECT, &b0, 1, OFPGC_ADD), 0);
	struct sl_action to[20];
	for (uint32_t g = 101; g < 120; g++) {
		to[g - 101] = (struct sl_action){ .type = OFPAT_GROUP, .group_id = g - 1 };
		struct sl_bucket b = bucket(&to[g - 101], 1, 0, OFPP_ANY, OFPG_ANY);
		CU_ASSERT_EQUAL(add_group(g, OFPGT_INDIRECT, &b, 1, OFPGC_ADD), 0);
	}
	rule_to_group(1, 119);
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), SL_XLATE_GROUP_DEPTH);
	CU_ASSERT_EQUAL(res.n_actions, 0);
	teardown();
}

/* ---- concurrency: translations run while the control thread rewrites everything ---- */

struct reader_ctx {
	unsigned int id;
	int *stop;
	unsigned long n, bad;
};

static void *
xlate_reader(void *p)
{
	struct reader_ctx *c = p;
	struct rte_rcu_qsbr *q = sl_pipeline_qsbr(pl);
	static __thread struct sl_xlate_result r;
	rte_rcu_qsbr_thread_register(q, c->id);
	rte_rcu_qsbr_thread_online(q, c->id);
	struct sl_flow_key k = pkt_key(1);
	while (!__atomic_load_n(c->stop, __ATOMIC_ACQUIRE)) {
		k.in_port = rte_cpu_to_be_32(1 + (uint32_t)(c->n % 4));
		k.tcp_dst = rte_cpu_to_be_16((uint16_t)(c->n % 64));
		sl_xlate(pl, &k, &r);
		for (unsigned int i = 0; i < r.n_actions; i++)
			if (r.actions[i].type == SL_EXEC_OUTPUT && r.actions[i].output.port > 64)
				c->bad++;
		for (unsigned int i = 0; i < r.n_rules; i++)
			if (r.rules[i]->cookie < 1000) /* every rule we install has cookie >= 1000 */
				c->bad++;
		sl_xlate_credit(&r, 1, 64, c->n);
		c->n++;
		rte_rcu_qsbr_quiescent(q, c->id); /* once per "burst", as a worker does */
	}
	rte_rcu_qsbr_thread_offline(q, c->id);
	rte_rcu_qsbr_thread_unregister(q, c->id);
	return NULL;
}

static void
test_concurrent_xlate(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2 };
	pl = sl_pipeline_create(&cfg);
	int stop = 0;
	struct reader_ctx ctx[2] = { { 0, &stop, 0, 0 }, { 1, &stop, 0, 0 } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, xlate_reader, &ctx[i]);
	struct sl_action outs[4] = { out(1), out(2), out(3), out(4) };
	for (unsigned int it = 0; it < 20000; it++) {
		/* groups come and go (rules forwarding to them go with them) */
		uint32_t gid = 1 + it % 4;
		struct sl_bucket b[2] = { bucket(&outs[it % 4], 1, 1, 1 + it % 4, OFPG_ANY),
					  bucket(&outs[(it + 1) % 4], 1, 1, OFPP_ANY, OFPG_ANY) };
		if (!sl_pipeline_group(pl, gid))
			add_group(gid, OFPGT_SELECT, b, 2, OFPGC_ADD);
		else if (it % 3 == 0)
			add_group(gid, 0, NULL, 0, OFPGC_DELETE);
		else {
			b[0].weight = b[1].weight = 0;
			b[1].watch_port = 1 + (it + 2) % 4;
			CU_ASSERT_EQUAL(add_group(gid, OFPGT_FF, b, 2, OFPGC_MODIFY), 0);
		}
		/* flows: add, modify, delete */
		struct sl_action acts[2] = { outs[it % 4], { .type = OFPAT_GROUP, .group_id = gid } };
		struct sl_flow_mod fm = fm_new(OFPFC_ADD, (uint8_t)(it % 2), (uint16_t)(it % 50));
		m16(&fm.match, OFPXMT_OFB_ETH_TYPE, 0x0800);
		uint8_t tcp = 6;
		sl_match_set_oxm(&fm.match, OFPXMT_OFB_IP_PROTO, &tcp, NULL, 1);
		m16(&fm.match, OFPXMT_OFB_TCP_DST, (uint16_t)(it % 64));
		fm.cookie = 1000 + it;
		fm.ins.apply = acts;
		fm.ins.n_apply = sl_pipeline_group(pl, gid) ? 2 : 1;
		if (it % 2 == 0) {
			fm.ins.has_goto = true;
			fm.ins.goto_table = 1;
		}
		if (it % 5 == 4)
			fm.command = OFPFC_MODIFY;
		else if (it % 7 == 6)
			fm.command = OFPFC_DELETE;
		sl_pipeline_flow_mod(pl, &fm, NULL);
		sl_pipeline_set_port_live(pl, 1 + it % 4, it % 3 != 0);
		if (it % 16 == 0)
			sl_pipeline_reclaim(pl);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(ctx[i].bad, 0);
		CU_ASSERT(ctx[i].n > 0);
	}
	sl_pipeline_synchronize(pl);
	teardown();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "group_errors_and_loops", test_group_errors_and_loops },
		{ "select_group", test_select_group },
		{ "select_rendezvous", test_select_rendezvous },
		{ "select_arp", test_select_arp },
		{ "fast_failover", test_fast_failover },
		{ "exponential group graphs", test_exponential_graphs },
		{ "65536 groups, one group-mod at a time", test_many_groups },
		{ "set_field_placement", test_set_field_placement },
		{ "xlate_limits", test_xlate_limits },
		{ "concurrent_xlate", test_concurrent_xlate },
	};

	return cunit_run_suite("groups", tests, CUNIT_N_TESTS(tests));
}
