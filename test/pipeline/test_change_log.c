/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The change log (sl_change_log.h): what it proves about a translation made
 * at an older version, and when it must refuse. Every "proved" answer is
 * checked against a fresh translation (same actions, same rules), so a log
 * that claims too much fails here.
 */
#include <pthread.h>
#include <stdio.h>

#include "cunit_main.h"
#include "test_rng.h"

#include "pipeline_test_util.h"
#include "sl_change_log.h"
#include "sl_mac_learning.h"

/* A translation as a cache keeps it: region (masked key, mask), tables
 * looked up, purity, version, and what it did. */
struct snap {
	struct sl_flow_key key, mask;
	uint8_t tables[SL_XLATE_MAX_RULES];
	unsigned int n_tables;
	bool pure;
	bool uses_mac;
	uint64_t version;
	char acts[256];
	unsigned int n_rules;
};

static struct sl_flow_key k1; /* PKT: 10.0.0.1 -> 10.0.0.2 TCP 80, in_port 1 */

static void
snap_take(struct snap *s, const struct sl_flow_key *k)
{
	s->version = sl_pipeline_version(pl);
	CU_ASSERT_EQUAL(sl_xlate(pl, k, &res), 0);
	s->mask = res.mask;
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		s->key.w[i] = k->w[i] & res.mask.w[i];
	memcpy(s->tables, res.tables, res.n_tables);
	s->n_tables = res.n_tables;
	s->pure = res.key_pure;
	s->uses_mac = res.uses_mac;
	s->n_rules = res.n_rules;
	sl_xlate_format(&res, s->acts, sizeof(s->acts));
}

/* Does the log prove @p s still right now? When it does, check it is. */
static bool
snap_kept(const struct snap *s, const struct sl_flow_key *k)
{
	char now[256];
	bool kept = sl_pipeline_changes_disjoint(pl, s->version, sl_pipeline_version(pl), &s->key,
						 &s->mask, s->tables, s->n_tables,
						 (s->pure ? SL_CHANGES_KEY_PURE : 0) |
						 (s->uses_mac ? SL_CHANGES_USES_MAC : 0));

	if (kept) {
		CU_ASSERT_EQUAL(sl_xlate(pl, k, &res), 0);
		sl_xlate_format(&res, now, sizeof(now));
		CU_ASSERT_STRING_EQUAL(now, s->acts);
		CU_ASSERT_EQUAL(res.n_rules, s->n_rules);
	}
	return kept;
}

static void
flow(uint8_t cmd, uint8_t table, uint16_t prio, uint32_t ip_dst, int goto_table, uint32_t port)
{
	struct sl_flow_mod fm = fm_new(cmd, table, prio);
	struct sl_action a = out(port);
	unsigned int n = 0;

	if (ip_dst) {
		m16(&fm.match, OFPXMT_OFB_ETH_TYPE, SL_ETH_IPV4);
		m32(&fm.match, OFPXMT_OFB_IPV4_DST, ip_dst);
	}
	if (goto_table >= 0) {
		fm.ins.has_goto = true;
		fm.ins.goto_table = (uint8_t)goto_table;
	} else if (port) {
		fm.ins.apply = &a;
		fm.ins.n_apply = 1;
	}
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
}

/* Table 0: 10.0.0.2 -> goto 1; table 1: 10.0.0.2 -> output 2. */
static void
base_rules(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2 };

	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	k1 = pkt_key(1);
	flow(OFPFC_ADD, 0, 10, 0x0a000002, 1, 0);
	flow(OFPFC_ADD, 1, 10, 0x0a000002, -1, 2);
}

static void
test_disjoint_and_overlap(void)
{
	struct snap s;

	base_rules();
	snap_take(&s, &k1);
	CU_ASSERT_STRING_EQUAL(s.acts, "output:2");
	CU_ASSERT_TRUE(s.pure);
	CU_ASSERT_EQUAL(s.n_tables, 2);
	CU_ASSERT_TRUE(snap_kept(&s, &k1)); /* nothing changed: since == now */
	/* unrelated rules in tables on the path (the S6 churn) */
	flow(OFPFC_ADD, 1, 10, 0xc0a80001, -1, 3);
	flow(OFPFC_ADD, 0, 10, 0xc0a80002, -1, 3);
	CU_ASSERT_EQUAL(sl_pipeline_change_kind(pl, sl_pipeline_version(pl)), SL_CHANGE_TABLE);
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	flow(OFPFC_DELETE_STRICT, 1, 10, 0xc0a80001, -1, 0);
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	/* a higher-priority rule covering the region: not proved (and it wins) */
	flow(OFPFC_ADD, 1, 30, 0x0a000002, -1, 4);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	CU_ASSERT_STRING_EQUAL(xlate_str(&k1), "output:4");
	/* a catch-all in table 1 overlaps every region even at low priority */
	snap_take(&s, &k1);
	flow(OFPFC_ADD, 1, 1, 0, -1, 5);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	teardown();
}

static void
test_table_not_on_path(void)
{
	struct snap s;

	base_rules();
	snap_take(&s, &k1);
	/* overlapping matches, but in tables the translation never looked up */
	flow(OFPFC_ADD, 2, 50, 0x0a000002, -1, 7);
	flow(OFPFC_ADD, 5, 0, 0, -1, 7);
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	/* the same holds for an impure translation */
	s.pure = false;
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	/* ... but not for a disjoint change in a table on its path */
	flow(OFPFC_ADD, 1, 10, 0xc0a80001, -1, 3);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	s.pure = true;
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	teardown();
}

static void
test_global(void)
{
	struct snap s;
	struct sl_flow_mod del = fm_new(OFPFC_DELETE, OFPTT_ALL, 0);
	uint64_t v;

	base_rules();
	snap_take(&s, &k1);
	sl_pipeline_set_port_live(pl, 9, false); /* liveness: GLOBAL */
	CU_ASSERT_EQUAL(sl_pipeline_change_kind(pl, sl_pipeline_version(pl)), SL_CHANGE_GLOBAL);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	/* the GLOBAL record stays in the way of older entries, not newer ones */
	snap_take(&s, &k1);
	flow(OFPFC_ADD, 1, 10, 0xc0a80001, -1, 3);
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	/* deletes over all tables: one GLOBAL record */
	v = sl_pipeline_version(pl);
	flow(OFPFC_ADD, 6, 1, 0xc0a80009, -1, 3);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &del, NULL), 0);
	CU_ASSERT_EQUAL(sl_pipeline_version(pl), v + 2);
	CU_ASSERT_EQUAL(sl_pipeline_change_kind(pl, v + 2), SL_CHANGE_GLOBAL);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	teardown();
}

static void
test_ring_overflow(void)
{
	struct snap s;
	uint64_t v0;

	base_rules();
	snap_take(&s, &k1);
	v0 = s.version;
	/* SL_CHANGE_LOG_SIZE + 1 disjoint changes: the oldest record is gone */
	for (unsigned int i = 0; i <= SL_CHANGE_LOG_SIZE; i++)
		flow(i & 1 ? OFPFC_DELETE_STRICT : OFPFC_ADD, 1, 10, 0xc0a80001, -1, 3);
	CU_ASSERT_EQUAL(sl_pipeline_version(pl), v0 + SL_CHANGE_LOG_SIZE + 1);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	CU_ASSERT_EQUAL(sl_pipeline_change_kind(pl, v0 + 1), -1);
	/* one version later, all records are still there */
	s.version = v0 + 1;
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	/* a reader ahead of the writer proves nothing */
	CU_ASSERT_FALSE(sl_pipeline_changes_disjoint(pl, sl_pipeline_version(pl) + 1,
						     sl_pipeline_version(pl), &s.key, &s.mask,
						     s.tables, s.n_tables, true));
	/* versions the writer has not logged yet (not written): refused */
	CU_ASSERT_FALSE(sl_pipeline_changes_disjoint(pl, sl_pipeline_version(pl),
						     sl_pipeline_version(pl) + 1, &s.key, &s.mask,
						     s.tables, s.n_tables, true));
	teardown();
}

static void
test_not_pure(void)
{
	struct snap s;
	struct sl_flow_mod fm;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };
	struct sl_action sf = setf(OFPXMT_OFB_ETH_DST, mac, 6);

	base_rules();
	/* table 0 rewrites eth_dst before table 1 looks the packet up */
	fm = fm_new(OFPFC_ADD, 0, 40);
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, SL_ETH_IPV4);
	m32(&fm.match, OFPXMT_OFB_IPV4_DST, 0x0a000002);
	fm.ins.apply = &sf;
	fm.ins.n_apply = 1;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	snap_take(&s, &k1);
	CU_ASSERT_FALSE(s.pure);
	CU_ASSERT_STRING_EQUAL(s.acts, "set_field(eth_dst),output:2");
	/* disjoint by ipv4_dst, but table 1 saw a rewritten key: not proved */
	flow(OFPFC_ADD, 1, 10, 0xc0a80001, -1, 3);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	/* tables off the path still do not matter */
	snap_take(&s, &k1);
	flow(OFPFC_ADD, 4, 20, 0x0a000002, -1, 3);
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	/* write-metadata alone keeps a translation pure (metadata is not a packet bit) */
	fm = fm_new(OFPFC_ADD, 0, 50);
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, SL_ETH_IPV4);
	m32(&fm.match, OFPXMT_OFB_IPV4_DST, 0x0a000002);
	fm.ins.has_write_metadata = true;
	fm.ins.metadata = 5;
	fm.ins.metadata_mask = 0xff;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	snap_take(&s, &k1);
	CU_ASSERT_TRUE(s.pure);
	CU_ASSERT_STRING_EQUAL(s.acts, "output:2");
	/* a recirculated key is never pure */
	{
		struct sl_flow_key rk = k1;

		rk.recirc_id = 77;
		sl_xlate(pl, &rk, &res);
		CU_ASSERT_FALSE(res.key_pure);
		CU_ASSERT_TRUE(res.recirc);
	}
	teardown();
}

static void
test_hit_rule_changes(void)
{
	struct snap s;
	struct sl_flow_mod fm;
	struct sl_action a = out(6);

	base_rules();
	snap_take(&s, &k1);
	/* modify of an unrelated rule: proved */
	flow(OFPFC_ADD, 1, 10, 0xc0a80001, -1, 3);
	fm = fm_new(OFPFC_MODIFY, 1, 0);
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, SL_ETH_IPV4);
	m32(&fm.match, OFPXMT_OFB_IPV4_DST, 0xc0a80001);
	fm.ins.apply = &a;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	/* modify of the rule the translation hit: never disjoint */
	fm = fm_new(OFPFC_MODIFY, 1, 0);
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, SL_ETH_IPV4);
	m32(&fm.match, OFPXMT_OFB_IPV4_DST, 0x0a000002);
	fm.ins.apply = &a;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	CU_ASSERT_STRING_EQUAL(xlate_str(&k1), "output:6");
	/* delete of the hit rule: never disjoint (its counter slot is freed) */
	snap_take(&s, &k1);
	flow(OFPFC_DELETE_STRICT, 1, 10, 0x0a000002, -1, 0);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	CU_ASSERT_STRING_EQUAL(xlate_str(&k1), "drop");
	/* a non-strict delete whose match contains the hit rule */
	teardown();
	base_rules();
	snap_take(&s, &k1);
	fm = fm_new(OFPFC_DELETE, 1, 0);
	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, SL_ETH_IPV4);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	teardown();
}

static void
test_expiry(void)
{
	struct snap s;
	struct sl_flow_mod fm;
	struct sl_action a = out(3);

	base_rules();
	for (unsigned int i = 0; i < 3; i++) {
		fm = fm_new(OFPFC_ADD, (uint8_t)(i == 1 ? 3 : 1), 5);
		m16(&fm.match, OFPXMT_OFB_ETH_TYPE, SL_ETH_IPV4);
		m32(&fm.match, OFPXMT_OFB_IPV4_DST, 0xc0a80001 + i);
		fm.ins.apply = &a;
		fm.ins.n_apply = 1;
		fm.hard_timeout = (uint16_t)(i == 0 ? 1 : 2);
		CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	}
	snap_take(&s, &k1);
	/* one rule expires: a TABLE record with its match */
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 1500000000ull), 1);
	CU_ASSERT_EQUAL(sl_pipeline_change_kind(pl, sl_pipeline_version(pl)), SL_CHANGE_TABLE);
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	/* two at once (tables 3 and 1): GLOBAL */
	CU_ASSERT_EQUAL(sl_pipeline_expire(pl, 2500000000ull), 2);
	CU_ASSERT_EQUAL(sl_pipeline_change_kind(pl, sl_pipeline_version(pl)), SL_CHANGE_GLOBAL);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	teardown();
}

/* The witness bit never comes from metadata: it is pipeline state, and a
 * lookup after write-metadata does not see the packet's value of it. */
static void
test_metadata_not_witness(void)
{
	struct sl_flow_key key, mask;
	struct sl_flow_mod fm;
	uint8_t t1 = 1;
	uint64_t v;

	base_rules();
	v = sl_pipeline_version(pl);
	fm = fm_new(OFPFC_ADD, 1, 60);
	{
		uint64_t md = rte_cpu_to_be_64(7);

		CU_ASSERT_EQUAL(sl_match_set_oxm(&fm.match, OFPXMT_OFB_METADATA, &md, NULL, 8), 0);
	}
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	memset(&key, 0, sizeof(key));
	memset(&mask, 0, sizeof(mask));
	mask.metadata = UINT64_MAX; /* metadata 0 vs 7: would differ */
	CU_ASSERT_FALSE(sl_pipeline_changes_disjoint(pl, v, v + 1, &key, &mask, &t1, 1, SL_CHANGES_KEY_PURE));
	mask.w[1] = UINT64_MAX;     /* tunnel_id: the rule does not match on it */
	CU_ASSERT_FALSE(sl_pipeline_changes_disjoint(pl, v, v + 1, &key, &mask, &t1, 1, SL_CHANGES_KEY_PURE));
	teardown();
}

/* Table 0 rule, priority @p prio: eth_type @p eth, ip_proto TCP -> output 3. */
static void
proto_rule(uint8_t cmd, uint16_t prio, uint16_t eth)
{
	struct sl_flow_mod fm = fm_new(cmd, 0, prio);
	struct sl_action a = out(3);
	uint8_t tcp = 6;

	m16(&fm.match, OFPXMT_OFB_ETH_TYPE, eth);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&fm.match, OFPXMT_OFB_IP_PROTO, &tcp, NULL, 1), 0);
	fm.ins.apply = &a;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
}

/* Ties between equal-priority rules in different subtables go to the
 * subtable sorted first (best priority, then age): a rule no packet of the
 * region matches can still flip the winner by moving its subtable. */
static void
test_tie_order(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2 };
	struct snap s;

	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	k1 = pkt_key(1);
	flow(OFPFC_ADD, 0, 5, 0x0a000002, -1, 2);   /* A: {eth_type, ipv4_dst} */
	proto_rule(OFPFC_ADD, 5, SL_ETH_IPV4);      /* B: {eth_type, ip_proto}, same priority */
	snap_take(&s, &k1);
	CU_ASSERT_STRING_EQUAL(s.acts, "output:2");    /* A's subtable is older */
	/* C: IPv6 (disjoint from the region by eth_type) at priority 9 in B's
	 * subtable, which now sorts first: B wins the tie */
	proto_rule(OFPFC_ADD, 9, SL_ETH_IPV6);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	CU_ASSERT_STRING_EQUAL(xlate_str(&k1), "output:3");
	/* deleting C moves the subtable back down: A wins again */
	snap_take(&s, &k1);
	proto_rule(OFPFC_DELETE_STRICT, 9, SL_ETH_IPV6);
	CU_ASSERT_FALSE(snap_kept(&s, &k1));
	CU_ASSERT_STRING_EQUAL(xlate_str(&k1), "output:2");
	/* a disjoint rule that moves no subtable's best priority is proved */
	snap_take(&s, &k1);
	proto_rule(OFPFC_ADD, 5, SL_ETH_IPV6);
	CU_ASSERT_TRUE(snap_kept(&s, &k1));
	teardown();
}

/* ---- concurrency: a reader scans while the writer laps the ring ---- */

/* The writer makes every version that is a multiple of 7 overlap the
 * region (a rule on 10.0.0.2 toggled) and every other one disjoint (a rule
 * on 192.168.0.1 toggled), as fast as it can, so that it laps readers. A
 * reader that says "disjoint" over a window holding a multiple of 7 read a
 * record torn or overwritten: the seqlock failed. (A scan is far shorter
 * than 1024 flow-mods, so this mostly checks overwritten and not yet
 * written records; the fence argument is in change_log.c.) */
static volatile bool stress_stop;

static void *
stress_writer(void *arg)
{
	bool on[2] = { false, false };

	(void)arg;
	while (!stress_stop) {
		unsigned int k = (sl_pipeline_version(pl) + 1) % 7 == 0 ? 0 : 1;

		flow(on[k] ? OFPFC_DELETE_STRICT : OFPFC_ADD, 1, k ? 10 : 20,
		     k ? 0xc0a80001 : 0x0a000002, -1, 3);
		on[k] = !on[k];
		sl_pipeline_reclaim(pl);
	}
	return NULL;
}

static void
test_concurrent_lapping(void)
{
	uint64_t x = 88172645463325252ull, proved = 0, refused = 0, bad = 0;
	struct snap s;
	pthread_t th;

	base_rules();
	snap_take(&s, &k1);
	stress_stop = false;
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, stress_writer, NULL), 0);
	/* at least 300k windows, and until the writer wrapped the ring 8 times */
	for (unsigned int i = 0; i < 300000 || (i < 50000000 &&
		     (proved == 0 || sl_pipeline_version(pl) < 8 * SL_CHANGE_LOG_SIZE)); i++) {
		uint64_t now = sl_pipeline_version(pl), d, since;

		test_rng_next(&x);
		d = x & 1 ? 1 + (x >> 1) % 6 : 1 + (x >> 1) % (SL_CHANGE_LOG_SIZE + 64);
		since = now > d ? now - d : 0;
		if (!sl_pipeline_changes_disjoint(pl, since, now, &s.key, &s.mask, s.tables,
						  s.n_tables, SL_CHANGES_KEY_PURE)) {
			refused++;
			continue;
		}
		proved++;
		bad += now / 7 != since / 7; /* a multiple of 7 in (since, now] */
	}
	stress_stop = true;
	pthread_join(th, NULL);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(proved > 0);
	CU_ASSERT(refused > 0);
	printf("(%llu versions, %llu proved, %llu refused) ",
	       (unsigned long long)sl_pipeline_version(pl), (unsigned long long)proved,
	       (unsigned long long)refused);
	teardown();
}

/* MAC records: NORMAL's translations depend on the entries of their own
 * (vlan, eth_src) and (vlan, eth_dst) only; other translations on none. */
static void
test_mac_records(void)
{
	static const uint8_t src[6] = { 0, 0, 0, 0, 0, 1 }, dst[6] = { 0, 0, 0, 0, 0, 2 };
	static const uint8_t other[6] = { 2, 0, 0, 0, 0, 0x77 };
	struct sl_flow_mod fm;
	struct sl_action normal = out(OFPP_NORMAL);
	struct snap n, o;
	struct sl_flow_key k2;
	uint64_t v;

	base_rules(); /* k1 (10.0.0.2) -> output:2, no NORMAL */
	fm = fm_new(OFPFC_ADD, 0, 5);
	fm.ins.apply = &normal;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	k2 = k1;
	k2.ipv4_dst = rte_cpu_to_be_32(0x0a000003); /* misses 10.0.0.2: NORMAL */
	sl_pipeline_mac_learn(pl, 1, 0, src, 1);
	sl_pipeline_mac_learn(pl, 2, 0, dst, 1);
	snap_take(&n, &k2);
	CU_ASSERT_STRING_EQUAL(n.acts, "output:2");
	CU_ASSERT_TRUE(n.uses_mac);
	snap_take(&o, &k1);
	CU_ASSERT_FALSE(o.uses_mac);
	/* another host learned, moved, aged: neither translation changes */
	v = sl_pipeline_version(pl);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(pl, 3, 0, other, 2), SL_MAC_LEARNED);
	CU_ASSERT_EQUAL(sl_pipeline_change_kind(pl, v + 1), SL_CHANGE_MAC);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(pl, 4, 0, other, 3), SL_MAC_MOVED);
	CU_ASSERT_TRUE(snap_kept(&n, &k2));
	CU_ASSERT_TRUE(snap_kept(&o, &k1));
	CU_ASSERT_TRUE(sl_pipeline_learning_only_since(pl, n.version));
	/* the same MAC on another VLAN is another entry */
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(pl, 3, 7, dst, 4), SL_MAC_LEARNED);
	CU_ASSERT_TRUE(snap_kept(&n, &k2));
	/* an impure NORMAL translation trusts no MAC record */
	n.pure = false;
	CU_ASSERT_FALSE(snap_kept(&n, &k2));
	n.pure = true;
	/* its destination moves: NORMAL's, not the other */
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(pl, 3, 0, dst, 5), SL_MAC_MOVED);
	CU_ASSERT_FALSE(snap_kept(&n, &k2));
	CU_ASSERT_STRING_EQUAL(xlate_str(&k2), "output:3");
	CU_ASSERT_TRUE(snap_kept(&o, &k1));
	/* its source moves (reported for learning: translated again) */
	snap_take(&n, &k2);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(pl, 4, 0, src, 6), SL_MAC_MOVED);
	CU_ASSERT_FALSE(snap_kept(&n, &k2));
	/* a flush (port deleted): every NORMAL translation, no other */
	snap_take(&n, &k2);
	CU_ASSERT(sl_pipeline_mac_flush(pl, 4) > 0);
	CU_ASSERT_EQUAL(sl_pipeline_change_kind(pl, sl_pipeline_version(pl)), SL_CHANGE_MAC_ALL);
	CU_ASSERT_FALSE(snap_kept(&n, &k2));
	CU_ASSERT_TRUE(snap_kept(&o, &k1));
	CU_ASSERT_TRUE(sl_pipeline_learning_only_since(pl, o.version));
	/* any OpenFlow change is not learning */
	flow(OFPFC_ADD, 3, 10, 0xc0a80001, -1, 3);
	CU_ASSERT_FALSE(sl_pipeline_learning_only_since(pl, o.version));
	CU_ASSERT_TRUE(sl_pipeline_learning_only_since(pl, sl_pipeline_version(pl)));
	teardown();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "disjoint_and_overlap", test_disjoint_and_overlap },
		{ "table_not_on_path", test_table_not_on_path },
		{ "global", test_global },
		{ "ring_overflow", test_ring_overflow },
		{ "not_pure", test_not_pure },
		{ "hit_rule_changes", test_hit_rule_changes },
		{ "expiry", test_expiry },
		{ "metadata_not_witness", test_metadata_not_witness },
		{ "tie_order", test_tie_order },
		{ "concurrent_lapping", test_concurrent_lapping },
		{ "mac_records", test_mac_records },
	};

	return cunit_run_suite("change_log", tests, CUNIT_N_TESTS(tests));
}
