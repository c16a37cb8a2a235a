/* SPDX-License-Identifier: BSD-3-Clause */
/* MAC learning table and the NORMAL action: learn, move, refresh, aging with
 * synthetic time, capacity eviction, per-VLAN entries, flush; NORMAL's
 * translation (flood vs unicast, drop to ingress, learn reports, megaflow
 * mask, version bumps) and fail-open (hidden table-miss NORMAL). */
#include <pthread.h>

#include <CUnit/Basic.h>
#include <rte_rcu_qsbr.h>

#include "cunit_main.h"

#include "pipeline_test_util.h"
#include "sl_mac_learning.h"

#define S (1000000000ull)
static const uint8_t MA[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const uint8_t MB[6] = { 0x02, 0, 0, 0, 0, 0xbb };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t STP[6] = { 0x01, 0x80, 0xc2, 0, 0, 0 };

static struct sl_pipeline *
mk(uint32_t max, uint32_t aging_s)
{
	struct sl_pipeline_config cfg = { .max_readers = 2, .mac_max_entries = max,
					  .mac_aging_s = aging_s };
	struct sl_pipeline *p = sl_pipeline_create(&cfg);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return p;
}

/* An Ethernet frame dst <- src, tagged with @vid unless it is 0, IPv4/UDP. */
static struct sl_flow_key
frame(uint32_t in_port, const uint8_t *dst, const uint8_t *src, uint16_t vid)
{
	uint8_t f[64] = { 0 };
	unsigned int o = 12;
	struct sl_flow_key k;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	if (vid) {
		f[o++] = 0x81; f[o++] = 0x00;
		f[o++] = (uint8_t)(vid >> 8); f[o++] = (uint8_t)vid;
	}
	f[o++] = 0x08; f[o++] = 0x00;
	f[o] = 0x45; f[o + 3] = 28; f[o + 8] = 64; f[o + 9] = 17;
	f[o + 12] = 10; f[o + 15] = 1; f[o + 16] = 10; f[o + 19] = 2;
	sl_flow_parse(f, sizeof(f), in_port, in_port, 0, &k, NULL);
	return k;
}

static void
test_learn_move_refresh(void)
{
	struct sl_pipeline *p = mk(0, 0);
	struct sl_mac_stats st;
	uint64_t v = sl_pipeline_version(p);
	bool stale = true;

	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MA, NULL), OFPP_ANY);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 0, MA, 1 * S), SL_MAC_LEARNED);
	CU_ASSERT(sl_pipeline_version(p) > v);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MA, &stale), 1);
	CU_ASSERT_FALSE(stale);
	v = sl_pipeline_version(p);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 0, MA, 2 * S), SL_MAC_REFRESHED);
	CU_ASSERT_EQUAL(sl_pipeline_version(p), v); /* no forwarding decision changed */
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 3, 0, MA, 3 * S), SL_MAC_MOVED);
	CU_ASSERT(sl_pipeline_version(p) > v);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MA, NULL), 3);
	/* multicast sources and reserved ports are never learned */
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 0, BCAST, 3 * S), SL_MAC_UNCHANGED);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, OFPP_CONTROLLER, 0, MB, 3 * S),
			SL_MAC_UNCHANGED);
	sl_pipeline_mac_stats(p, &st);
	CU_ASSERT_EQUAL(st.learned, 1);
	CU_ASSERT_EQUAL(st.moved, 1);
	CU_ASSERT_EQUAL(st.refreshed, 1);
	CU_ASSERT_EQUAL(st.n_entries, 1);
	CU_ASSERT_EQUAL(st.max_entries, SL_MAC_DEFAULT_MAX);
	CU_ASSERT_EQUAL(st.aging_s, SL_MAC_DEFAULT_AGING_S);
	sl_pipeline_destroy(p);
}

static void
test_per_vlan(void)
{
	struct sl_pipeline *p = mk(0, 0);

	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 10, MA, S), SL_MAC_LEARNED);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 2, 20, MA, S), SL_MAC_LEARNED);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 10, MA, NULL), 1);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 20, MA, NULL), 2);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MA, NULL), OFPP_ANY);
	CU_ASSERT_EQUAL(sl_pipeline_mac_flush(p, 1), 1);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 10, MA, NULL), OFPP_ANY);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 20, MA, NULL), 2);
	CU_ASSERT_EQUAL(sl_pipeline_mac_flush(p, OFPP_ANY), 1);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 20, MA, NULL), OFPP_ANY);
	sl_pipeline_destroy(p);
}

static void
test_aging(void)
{
	struct sl_pipeline *p = mk(0, 100); /* 100 s: stale mark at 75 s */
	struct sl_mac_stats st;
	bool stale = false;
	uint64_t v;

	sl_pipeline_mac_learn(p, 1, 0, MA, 10 * S);
	sl_pipeline_mac_learn(p, 2, 0, MB, 50 * S);
	v = sl_pipeline_version(p);
	CU_ASSERT_EQUAL(sl_pipeline_mac_expire(p, 60 * S), 0);
	CU_ASSERT_EQUAL(sl_pipeline_version(p), v); /* nothing old enough */
	CU_ASSERT_EQUAL(sl_pipeline_mac_expire(p, 90 * S), 0);
	CU_ASSERT(sl_pipeline_version(p) > v);      /* MA marked stale */
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MA, &stale), 1); /* still used */
	CU_ASSERT_TRUE(stale);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MB, &stale), 2);
	CU_ASSERT_FALSE(stale);
	/* a refresh (a learn report for the same port) clears the mark */
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 0, MA, 95 * S), SL_MAC_REFRESHED);
	sl_pipeline_mac_lookup(p, 0, MA, &stale);
	CU_ASSERT_FALSE(stale);
	/* MB was not refreshed: gone at 50 + 100 s; MA lives until 195 s */
	CU_ASSERT_EQUAL(sl_pipeline_mac_expire(p, 150 * S), 1);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MB, NULL), OFPP_ANY);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MA, NULL), 1);
	v = sl_pipeline_version(p);
	CU_ASSERT_EQUAL(sl_pipeline_mac_expire(p, 195 * S), 1);
	CU_ASSERT(sl_pipeline_version(p) > v);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MA, NULL), OFPP_ANY);
	sl_pipeline_mac_stats(p, &st);
	CU_ASSERT_EQUAL(st.aged, 2);
	CU_ASSERT_EQUAL(st.n_entries, 0);
	sl_pipeline_destroy(p);
}

static void
count_cb(void *ctx, const struct sl_mac_info *e)
{
	unsigned int *n = ctx;

	CU_ASSERT_EQUAL(e->port, (uint32_t)e->mac[5]); /* built so below */
	(*n)++;
}

/*
 * One port sending from many source MACs (a MAC flood from one VM) filled
 * the table and evicted every other port's entries: their unicast then
 * flooded. With mac_limit_per_port a port holds at most its share; new MACs
 * past it (or moving to it) are refused and counted, refreshes still work,
 * and the other ports' entries stay.
 */
static void
test_port_limit(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2, .mac_max_entries = 64,
					  .mac_limit_per_port = 8 };
	struct sl_pipeline *p = sl_pipeline_create(&cfg);
	struct sl_mac_stats st;
	uint64_t v;
	uint8_t m[6];

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	/* port 2's host, learned first */
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 2, 0, MB, S), SL_MAC_LEARNED);
	/* port 1 floods from 1000 source MACs */
	memcpy(m, MA, 6);
	for (unsigned int i = 0; i < 1000; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		sl_pipeline_mac_learn(p, 1, 0, m, 2 * S);
	}
	sl_pipeline_mac_stats(p, &st);
	CU_ASSERT_EQUAL(st.n_entries, 9);
	CU_ASSERT_EQUAL(st.learned, 9);
	CU_ASSERT_EQUAL(st.limit_refused, 992);
	CU_ASSERT_EQUAL(st.evicted, 0);
	CU_ASSERT_EQUAL(st.port_limit, 8);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MB, NULL), 2);
	/* a refused report changes nothing: no revalidation wave */
	v = sl_pipeline_version(p);
	m[5] = 0xfe;
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 0, m, 3 * S), SL_MAC_UNCHANGED);
	CU_ASSERT_EQUAL(sl_pipeline_version(p), v);
	/* port 1's learned MACs refresh; one moving to port 1 is refused too */
	m[4] = 0;
	m[5] = 0;
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 0, m, 3 * S), SL_MAC_REFRESHED);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 0, MB, 3 * S), SL_MAC_UNCHANGED);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, MB, NULL), 2);
	/* a flush of port 1 makes room on it */
	CU_ASSERT_EQUAL(sl_pipeline_mac_flush(p, 1), 8);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 1, 0, MB, 4 * S), SL_MAC_MOVED);
	sl_pipeline_reclaim(p);
	sl_pipeline_destroy(p);
}

static void
test_capacity(void)
{
	struct sl_pipeline *p = mk(4, 0);
	struct sl_mac_stats st;
	uint8_t m[8][6];
	unsigned int n = 0;

	for (unsigned int i = 0; i < 8; i++) {
		memcpy(m[i], MA, 6);
		m[i][5] = (uint8_t)(i + 1);
	}
	for (unsigned int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, i + 1, 0, m[i], (i + 1) * S),
				SL_MAC_LEARNED);
	/* m[0] refreshed: m[1] is now the least recently refreshed */
	sl_pipeline_mac_learn(p, 1, 0, m[0], 10 * S);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 5, 0, m[4], 11 * S), SL_MAC_LEARNED);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, m[1], NULL), OFPP_ANY);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, m[0], NULL), 1);
	CU_ASSERT_EQUAL(sl_pipeline_mac_learn(p, 6, 0, m[5], 12 * S), SL_MAC_LEARNED);
	CU_ASSERT_EQUAL(sl_pipeline_mac_lookup(p, 0, m[2], NULL), OFPP_ANY);
	sl_pipeline_mac_stats(p, &st);
	CU_ASSERT_EQUAL(st.evicted, 2);
	CU_ASSERT_EQUAL(st.n_entries, 4);
	CU_ASSERT_EQUAL(sl_pipeline_mac_foreach(p, 12 * S, count_cb, &n), 4);
	CU_ASSERT_EQUAL(n, 4);
	sl_pipeline_reclaim(p);
	sl_pipeline_destroy(p);
}

static void
add_normal_rule(struct sl_pipeline *p, uint16_t prio)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, prio);
	struct sl_action a = out(OFPP_NORMAL);

	fm.ins.apply = &a;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(p, &fm, NULL), 0);
}

static const char *
xl(struct sl_pipeline *p, const struct sl_flow_key *k)
{
	static char buf[256];

	CU_ASSERT_EQUAL(sl_xlate(p, k, &res), 0);
	sl_xlate_format(&res, buf, sizeof(buf));
	return buf;
}

static void
test_normal_xlate(void)
{
	struct sl_pipeline *p = mk(0, 0);
	struct sl_flow_key k, want;
	char flood[32];
	uint64_t v;

	snprintf(flood, sizeof(flood), "output:%u", OFPP_FLOOD);
	add_normal_rule(p, 5);
	/* unknown destination: flood, and report the source */
	k = frame(1, MB, MA, 0);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), flood);
	CU_ASSERT_EQUAL(res.n_learn, 1);
	CU_ASSERT_EQUAL(res.learn.port, 1);
	CU_ASSERT_EQUAL(res.learn.vlan, 0);
	CU_ASSERT_EQUAL(memcmp(res.learn.mac, MA, 6), 0);
	/* the mask: in_port, eth_src, eth_dst, vlan; nothing from L3 */
	memset(&want, 0, sizeof(want));
	want.in_port = UINT32_MAX;
	memset(want.eth_src, 0xff, 6);
	memset(want.eth_dst, 0xff, 6);
	want.vlan_vid = rte_cpu_to_be_16(0x1fff);
	CU_ASSERT_EQUAL(memcmp(res.mask.eth_src, want.eth_src, 6), 0);
	CU_ASSERT_EQUAL(memcmp(res.mask.eth_dst, want.eth_dst, 6), 0);
	CU_ASSERT_EQUAL(res.mask.in_port, want.in_port);
	CU_ASSERT_EQUAL(res.mask.vlan_vid & want.vlan_vid, want.vlan_vid);
	CU_ASSERT_EQUAL(res.mask.ipv4_src, 0);
	CU_ASSERT_EQUAL(res.mask.ipv4_dst, 0);
	/* the control side applies the report: the version moves */
	v = sl_pipeline_version(p);
	sl_pipeline_mac_learn(p, res.learn.port, res.learn.vlan, res.learn.mac, S);
	CU_ASSERT(sl_pipeline_version(p) > v);
	/* reply B -> A: unicast to port 1, B reported */
	k = frame(2, MA, MB, 0);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), "output:1");
	CU_ASSERT_EQUAL(res.n_learn, 1);
	sl_pipeline_mac_learn(p, 2, 0, MB, S);
	/* both known: unicast and nothing to report */
	k = frame(1, MB, MA, 0);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), "output:2");
	CU_ASSERT_EQUAL(res.n_learn, 0);
	/* destination behind the ingress port: drop (the source moved to 2: report) */
	k = frame(2, MB, MA, 0);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), "drop");
	CU_ASSERT_EQUAL(res.n_learn, 1);
	CU_ASSERT_EQUAL(res.learn.port, 2);
	/* broadcast floods; another VLAN does not know A */
	k = frame(2, BCAST, MB, 0);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), flood);
	k = frame(2, MA, MB, 10);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), flood);
	CU_ASSERT_EQUAL(res.learn.vlan, 10);
	/* IEEE reserved multicast (STP) is not forwarded */
	k = frame(1, STP, MA, 0);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), "drop");
	sl_pipeline_destroy(p);
}

static void
test_normal_stale_reported(void)
{
	struct sl_pipeline *p = mk(0, 100);
	struct sl_flow_key k = frame(1, MB, MA, 0);

	add_normal_rule(p, 5);
	sl_pipeline_mac_learn(p, 1, 0, MA, 0);
	xl(p, &k);
	CU_ASSERT_EQUAL(res.n_learn, 0);
	sl_pipeline_mac_expire(p, 80 * S); /* past 3/4 of the aging time */
	xl(p, &k);
	CU_ASSERT_EQUAL(res.n_learn, 1); /* an active source gets refreshed */
	sl_pipeline_mac_learn(p, 1, 0, MA, 80 * S);
	xl(p, &k);
	CU_ASSERT_EQUAL(res.n_learn, 0);
	sl_pipeline_destroy(p);
}

static void
test_normal_validation(void)
{
	struct sl_pipeline *p = mk(0, 0);
	struct sl_action a = out(OFPP_NORMAL);
	struct sl_bucket b = { .weight = 0, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY,
			       .n_actions = 1, .actions = &a };
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = OFPGT_ALL, .group_id = 1,
				   .n_buckets = 1, .buckets = &b };
	struct sl_flow_key k = frame(1, MB, MA, 0);

	CU_ASSERT_EQUAL(sl_actions_validate(&a, 1, NULL, false), 0);
	CU_ASSERT_EQUAL(sl_actions_validate(&a, 1, NULL, true), 0);
	CU_ASSERT_EQUAL(sl_pipeline_group_mod(p, &gm), 0);
	/* packet-out through NORMAL */
	CU_ASSERT_EQUAL(sl_xlate_actions(p, &k, &a, 1, &res), 0);
	CU_ASSERT_EQUAL(res.n_actions, 1);
	CU_ASSERT_EQUAL(res.actions[0].output.port, OFPP_FLOOD);
	CU_ASSERT_EQUAL(res.n_learn, 1);
	sl_pipeline_destroy(p);
}

static void
test_fail_open(void)
{
	struct sl_pipeline *p = mk(0, 0);
	struct sl_flow_key k = frame(1, MB, MA, 0);
	char flood[32];
	uint64_t v = sl_pipeline_version(p);

	snprintf(flood, sizeof(flood), "output:%u", OFPP_FLOOD);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), "drop");
	sl_pipeline_set_fail_open(p, true);
	CU_ASSERT_TRUE(sl_pipeline_fail_open(p));
	CU_ASSERT(sl_pipeline_version(p) > v);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), flood);
	CU_ASSERT_EQUAL(res.n_rules, 0); /* hidden: no rule credited */
	CU_ASSERT_EQUAL(res.n_learn, 1);
	/* OpenFlow rules still come first */
	{
		struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 1);
		struct sl_action a = out(3);

		fm.ins.apply = &a;
		fm.ins.n_apply = 1;
		CU_ASSERT_EQUAL(sl_pipeline_flow_mod(p, &fm, NULL), 0);
		CU_ASSERT_STRING_EQUAL(xl(p, &k), "output:3");
		/* override (controllers configured, none connected): above rules */
		v = sl_pipeline_version(p);
		sl_pipeline_set_fail_open_mode(p, SL_FAIL_OPEN_OVERRIDE);
		CU_ASSERT(sl_pipeline_version(p) > v);
		CU_ASSERT_STRING_EQUAL(xl(p, &k), flood);
		CU_ASSERT_EQUAL(res.n_rules, 0);
		sl_pipeline_set_fail_open_mode(p, SL_FAIL_OPEN_MISS);
		CU_ASSERT_STRING_EQUAL(xl(p, &k), "output:3");
		fm.command = OFPFC_DELETE;
		CU_ASSERT_EQUAL(sl_pipeline_flow_mod(p, &fm, NULL), 0);
	}
	CU_ASSERT_STRING_EQUAL(xl(p, &k), flood); /* survives flow deletes */
	v = sl_pipeline_version(p);
	sl_pipeline_set_fail_open(p, false);
	CU_ASSERT(sl_pipeline_version(p) > v);
	CU_ASSERT_STRING_EQUAL(xl(p, &k), "drop");
	sl_pipeline_destroy(p);
}

/* ---- concurrency: NORMAL translations while the writer churns the table ---- */

struct reader {
	struct sl_pipeline *p;
	unsigned int id;
	int *stop;
	unsigned long n, bad;
};

static void
pool_mac(uint8_t mac[6], unsigned int i)
{
	memcpy(mac, MA, 6);
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
}

static void *
normal_reader(void *arg)
{
	struct reader *c = arg;
	struct rte_rcu_qsbr *q = sl_pipeline_qsbr(c->p);
	static __thread struct sl_xlate_result r;
	uint8_t src[6], dst[6];

	rte_rcu_qsbr_thread_register(q, c->id);
	rte_rcu_qsbr_thread_online(q, c->id);
	while (!__atomic_load_n(c->stop, __ATOMIC_ACQUIRE)) {
		struct sl_flow_key k;

		pool_mac(src, (unsigned int)(c->n * 7) % 64);
		pool_mac(dst, (unsigned int)(c->n * 13 + c->id) % 64);
		k = frame(1 + (uint32_t)(c->n % 4), dst, src, (uint16_t)(c->n % 3));
		sl_xlate(c->p, &k, &r);
		for (unsigned int i = 0; i < r.n_actions; i++)
			if (r.actions[i].output.port != OFPP_FLOOD &&
			    (r.actions[i].output.port < 1 || r.actions[i].output.port > 4))
				c->bad++;
		if (r.n_learn && (r.learn.port < 1 || r.learn.port > 4 || r.learn.vlan > 2))
			c->bad++;
		c->n++;
		rte_rcu_qsbr_quiescent(q, c->id);
	}
	rte_rcu_qsbr_thread_offline(q, c->id);
	rte_rcu_qsbr_thread_unregister(q, c->id);
	return NULL;
}

static void
test_concurrent(void)
{
	struct sl_pipeline *p = mk(16, 10); /* small: evictions and aging all the time */
	int stop = 0;
	struct reader rd[2] = { { p, 0, &stop, 0, 0 }, { p, 1, &stop, 0, 0 } };
	pthread_t th[2];
	struct sl_mac_stats st;
	uint8_t mac[6];

	sl_pipeline_set_fail_open(p, true);
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, normal_reader, &rd[i]);
	for (unsigned int it = 0; it < 200000; it++) {
		/* a few MACs that keep moving, and a wider pool that forces evictions */
		unsigned int m = it % 4 ? it % 12 : 12 + (it / 4) % 52;

		pool_mac(mac, m);
		sl_pipeline_mac_learn(p, 1 + (it / 48) % 4, (uint16_t)(m % 3), mac, it * (S / 1000));
		if (it % 1000 == 0)
			sl_pipeline_mac_expire(p, it * (S / 1000));
		if (it % 5000 == 0)
			sl_pipeline_mac_flush(p, 1 + it % 4);
		if (it % 64 == 0)
			sl_pipeline_reclaim(p);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(rd[i].bad, 0);
		CU_ASSERT(rd[i].n > 0);
	}
	sl_pipeline_mac_stats(p, &st);
	CU_ASSERT(st.evicted > 0);
	CU_ASSERT(st.moved > 0);
	CU_ASSERT(st.n_entries <= 16);
	sl_pipeline_synchronize(p);
	sl_pipeline_destroy(p);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "learn_move_refresh", test_learn_move_refresh },
		{ "per_vlan_and_flush", test_per_vlan },
		{ "aging", test_aging },
		{ "capacity", test_capacity },
		{ "per-port limit", test_port_limit },
		{ "normal_xlate", test_normal_xlate },
		{ "normal_stale_reported", test_normal_stale_reported },
		{ "normal_validation", test_normal_validation },
		{ "fail_open", test_fail_open },
		{ "concurrent", test_concurrent },
	};

	return cunit_run_suite("mac_learning", tests, CUNIT_N_TESTS(tests));
}
