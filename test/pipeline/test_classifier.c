/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classifier tests: priorities, strict find, removal, staged-lookup wildcards,
 * a random comparison against a linear scan with a wildcard soundness check
 * (every key that agrees with a probe on the returned wildcards gets the same
 * rule), and concurrent readers under RCU while the writer churns.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_rcu_qsbr.h>

#include "cunit_main.h"
#include "test_rng.h"

#include "sl_classifier.h"
#include "sl_flow_consts.h"
#include "sl_rcu.h"

static uint64_t rng_state = 88172645463325252ull;

static uint64_t
rnd(void)
{
	return test_rng_next(&rng_state);
}

static struct sl_cls_rule *
mk_rule(uint32_t prio)
{
	struct sl_cls_rule *r = calloc(1, sizeof(*r));
	sl_match_init_catchall(&r->match);
	r->priority = prio;
	return r;
}

static void
set_ip_dst(struct sl_match *m, uint32_t ip, int plen)
{
	uint32_t mask = plen ? rte_cpu_to_be_32(~0u << (32 - plen)) : 0;
	uint16_t et = rte_cpu_to_be_16(SL_ETH_IPV4);
	if (!(m->present & (1ull << OFPXMT_OFB_ETH_TYPE)))
		sl_match_set_oxm(m, OFPXMT_OFB_ETH_TYPE, &et, NULL, 2);
	uint32_t v = rte_cpu_to_be_32(ip) & mask;
	sl_match_set_oxm(m, OFPXMT_OFB_IPV4_DST, &v, &mask, 4);
}

static void
test_priority_and_remove(void)
{
	struct sl_rcu *rcu = sl_rcu_create(NULL, 4);
	struct sl_classifier cls;
	sl_cls_init(&cls, rcu);
	struct sl_cls_rule *miss = mk_rule(0), *net = mk_rule(10), *host = mk_rule(20);
	set_ip_dst(&net->match, 0x0a000000, 8);
	set_ip_dst(&host->match, 0x0a000005, 32);
	CU_ASSERT_EQUAL(sl_cls_insert(&cls, miss), 0);
	CU_ASSERT_EQUAL(sl_cls_insert(&cls, net), 0);
	CU_ASSERT_EQUAL(sl_cls_insert(&cls, host), 0);
	CU_ASSERT_EQUAL(sl_cls_count(&cls), 3);
	CU_ASSERT_EQUAL(sl_cls_n_subtables(&cls), 3);
	struct sl_flow_key k;
	memset(&k, 0, sizeof(k));
	k.eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
	k.ipv4_dst = rte_cpu_to_be_32(0x0a000005);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), host);
	k.ipv4_dst = rte_cpu_to_be_32(0x0a000006);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), net);
	k.ipv4_dst = rte_cpu_to_be_32(0x0b000006);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), miss);
	CU_ASSERT_PTR_EQUAL(sl_cls_find_exact(&cls, &net->match, 10), net);
	CU_ASSERT_PTR_NULL(sl_cls_find_exact(&cls, &net->match, 11));
	sl_cls_remove(&cls, net);
	sl_rcu_defer(rcu, NULL, net);
	k.ipv4_dst = rte_cpu_to_be_32(0x0a000006);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), miss);
	CU_ASSERT_EQUAL(sl_cls_n_subtables(&cls), 2);
	/* A higher-priority rule in a subtable created later still wins. */
	struct sl_cls_rule *top = mk_rule(30);
	set_ip_dst(&top->match, 0x0a000000, 16);
	sl_cls_insert(&cls, top);
	k.ipv4_dst = rte_cpu_to_be_32(0x0a000005);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), top);
	/* Same match, two priorities: the higher one wins, removal exposes the lower. */
	struct sl_cls_rule *dup = mk_rule(40);
	dup->match = top->match;
	sl_cls_insert(&cls, dup);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), dup);
	sl_cls_remove(&cls, dup);
	sl_rcu_defer(rcu, NULL, dup);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), top);
	sl_cls_remove(&cls, top);
	sl_cls_remove(&cls, host);
	sl_cls_remove(&cls, miss);
	CU_ASSERT_EQUAL(sl_cls_count(&cls), 0);
	CU_ASSERT_PTR_NULL(sl_cls_lookup(&cls, &k, NULL));
	free(top);
	free(host);
	free(miss);
	sl_cls_destroy(&cls);
	sl_rcu_destroy(rcu);
}

/* Staged lookup: a packet that misses at L3 must not un-wildcard L4 bits. */
static void
test_staged_wildcards(void)
{
	for (int staged = 0; staged < 2; staged++) {
		struct sl_rcu *rcu = sl_rcu_create(NULL, 1);
		struct sl_classifier cls;
		sl_cls_init(&cls, rcu);
		sl_cls_set_staged(&cls, staged);
		sl_cls_set_prefix_tracking(&cls, false); /* staging alone */
		struct sl_cls_rule *acl = mk_rule(100), *miss = mk_rule(0);
		set_ip_dst(&acl->match, 0x0a000001, 32);
		uint8_t proto = 6;
		uint16_t port = rte_cpu_to_be_16(22);
		sl_match_set_oxm(&acl->match, OFPXMT_OFB_IP_PROTO, &proto, NULL, 1);
		sl_match_set_oxm(&acl->match, OFPXMT_OFB_TCP_DST, &port, NULL, 2);
		sl_cls_insert(&cls, acl);
		sl_cls_insert(&cls, miss);
		struct sl_flow_key k, wc;
		memset(&k, 0, sizeof(k));
		k.eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
		k.ipv4_dst = rte_cpu_to_be_32(0x0a000002);
		k.ip_proto = 6;
		k.tcp_dst = rte_cpu_to_be_16(80);
		memset(&wc, 0, sizeof(wc));
		CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, &wc), miss);
		CU_ASSERT_EQUAL(wc.tcp_dst, staged ? 0 : 0xffff);
		CU_ASSERT_EQUAL(wc.ipv4_dst, 0xffffffff);
		k.ipv4_dst = rte_cpu_to_be_32(0x0a000001);
		memset(&wc, 0, sizeof(wc));
		CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, &wc), miss);
		CU_ASSERT_EQUAL(wc.tcp_dst, 0xffff);
		k.tcp_dst = rte_cpu_to_be_16(22);
		CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), acl);
		sl_cls_destroy(&cls);
		sl_rcu_destroy(rcu);
		free(acl);
		free(miss);
	}
}

/* Random masks over a few fields with small value ranges so that rules overlap. */
static void
random_match(struct sl_match *m)
{
	sl_match_init_catchall(m);
	static const uint8_t fields[] = { OFPXMT_OFB_IN_PORT, OFPXMT_OFB_ETH_DST, OFPXMT_OFB_VLAN_VID,
					  OFPXMT_OFB_IPV4_SRC, OFPXMT_OFB_IPV4_DST, OFPXMT_OFB_TCP_DST, OFPXMT_OFB_METADATA };
	for (unsigned int i = 0; i < sizeof(fields); i++) {
		if (rnd() % 3)
			continue;
		const struct sl_field_desc *d = sl_field_by_oxm(fields[i]);
		uint8_t v[16] = { 0 }, mk[16] = { 0 };
		/* Only the last byte varies (0..3), masks are prefixes or exact. */
		v[d->len - 1] = (uint8_t)(rnd() % 4);
		memset(mk, 0xff, d->len);
		if (d->maskable && rnd() % 2)
			mk[d->len - 1] = (uint8_t)(0xff << (rnd() % 3));
		if (fields[i] == OFPXMT_OFB_VLAN_VID) {
			v[0] = 0x10;
			mk[0] = 0x1f;
		}
		for (unsigned int j = 0; j < d->len; j++)
			v[j] &= mk[j];
		sl_match_set_oxm(m, fields[i], v, d->maskable ? mk : NULL, d->len);
	}
}

static void
random_key(struct sl_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->in_port = rte_cpu_to_be_32((uint32_t)(rnd() % 4));
	k->eth_dst[5] = (uint8_t)(rnd() % 4);
	k->vlan_vid = rte_cpu_to_be_16((uint16_t)(OFPVID_PRESENT | (rnd() % 4)));
	k->ipv4_src = rte_cpu_to_be_32((uint32_t)(rnd() % 4));
	k->ipv4_dst = rte_cpu_to_be_32((uint32_t)(rnd() % 4));
	k->tcp_dst = rte_cpu_to_be_16((uint16_t)(rnd() % 4));
	k->metadata = rte_cpu_to_be_64(rnd() % 4);
	k->eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
}

static const struct sl_cls_rule *
linear(struct sl_cls_rule **rules, unsigned int n, const struct sl_flow_key *k)
{
	const struct sl_cls_rule *best = NULL;
	for (unsigned int i = 0; i < n; i++)
		if (rules[i] && sl_match_matches(&rules[i]->match, k) &&
		    (best == NULL || rules[i]->priority > best->priority))
			best = rules[i];
	return best;
}

static void
test_random_vs_linear(void)
{
	enum { N = 300 };
	for (int round = 0; round < 20; round++) {
		struct sl_rcu *rcu = sl_rcu_create(NULL, 1);
		struct sl_classifier cls;
		sl_cls_init(&cls, rcu);
		sl_cls_set_staged(&cls, round % 2);
		struct sl_cls_rule *rules[N];
		for (unsigned int i = 0; i < N; i++) {
			/* Unique priorities: the reference needs a defined winner. */
			rules[i] = mk_rule(i * 7 % N + 1);
			random_match(&rules[i]->match);
			CU_ASSERT_EQUAL(sl_cls_insert(&cls, rules[i]), 0);
		}
		for (int op = 0; op < 400; op++) {
			if (op % 4 == 3) { /* churn: remove one, insert a fresh one */
				unsigned int i = (unsigned int)(rnd() % N);
				sl_cls_remove(&cls, rules[i]);
				sl_rcu_defer(rcu, NULL, rules[i]);
				rules[i] = mk_rule(i * 7 % N + 1);
				random_match(&rules[i]->match);
				sl_cls_insert(&cls, rules[i]);
			}
			struct sl_flow_key k, wc, k2;
			random_key(&k);
			memset(&wc, 0, sizeof(wc));
			const struct sl_cls_rule *got = sl_cls_lookup(&cls, &k, &wc);
			CU_ASSERT_PTR_EQUAL(got, linear(rules, N, &k));
			/* Wildcard soundness: perturb only wildcarded bits. */
			for (int t = 0; t < 8; t++) {
				random_key(&k2);
				for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
					k2.w[w] = (k.w[w] & wc.w[w]) | (k2.w[w] & ~wc.w[w]);
				CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k2, NULL), got);
			}
		}
		CU_ASSERT_EQUAL(sl_cls_count(&cls), N);
		for (unsigned int i = 0; i < N; i++) {
			sl_cls_remove(&cls, rules[i]);
			free(rules[i]);
		}
		CU_ASSERT_EQUAL(sl_cls_n_subtables(&cls), 0);
		sl_cls_destroy(&cls);
		sl_rcu_destroy(rcu);
	}
}

/* Prefix tracking: a miss on a /32 only un-wildcards the address bits that proved it. */
static void
test_prefix_tracking(void)
{
	struct sl_rcu *rcu = sl_rcu_create(NULL, 1);
	struct sl_classifier cls;
	sl_cls_init(&cls, rcu);
	struct sl_cls_rule *host = mk_rule(100), *net = mk_rule(50), *miss = mk_rule(0);
	set_ip_dst(&host->match, 0x0a000001, 32);
	set_ip_dst(&net->match, 0x0a010000, 16);
	sl_cls_insert(&cls, host);
	sl_cls_insert(&cls, net);
	sl_cls_insert(&cls, miss);
	struct sl_flow_key k, wc;
	memset(&k, 0, sizeof(k));
	k.eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
	/* 192.x: differs from 10.x in the first bit */
	k.ipv4_dst = rte_cpu_to_be_32(0xc0a80101);
	memset(&wc, 0, sizeof(wc));
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, &wc), miss);
	CU_ASSERT_EQUAL(wc.ipv4_dst, rte_cpu_to_be_32(0x80000000));
	CU_ASSERT_EQUAL(wc.eth_type, 0);
	/* 10.0.0.2: shares 30 bits with 10.0.0.1 (the 31st proves the miss), 15 with 10.1/16 */
	k.ipv4_dst = rte_cpu_to_be_32(0x0a000002);
	memset(&wc, 0, sizeof(wc));
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, &wc), miss);
	CU_ASSERT_EQUAL(wc.ipv4_dst, rte_cpu_to_be_32(0xfffffffe));
	/* 10.1.2.3 hits the /16: the /32 subtable is skipped with 17 bits (no longer prefix below 10.1/16) */
	k.ipv4_dst = rte_cpu_to_be_32(0x0a010203);
	memset(&wc, 0, sizeof(wc));
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, &wc), net);
	CU_ASSERT_EQUAL(wc.ipv4_dst, rte_cpu_to_be_32(0xffff8000));
	CU_ASSERT_EQUAL(wc.eth_type, 0xffff);
	/* removing the /16 prunes the trie: 10.1.2.3 now needs only 16 bits to miss the /32 */
	sl_cls_remove(&cls, net);
	memset(&wc, 0, sizeof(wc));
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, &wc), miss);
	CU_ASSERT_EQUAL(wc.ipv4_dst, rte_cpu_to_be_32(0xffff0000));
	sl_cls_remove(&cls, host);
	sl_cls_remove(&cls, miss);
	free(host);
	free(net);
	free(miss);
	sl_cls_destroy(&cls);
	sl_rcu_destroy(rcu);
}

static void
set_ip6_dst(struct sl_match *m, const uint8_t *a, unsigned int plen)
{
	uint8_t mask[16] = { 0 }, v[16];
	for (unsigned int i = 0; i < plen; i++)
		mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	for (unsigned int i = 0; i < 16; i++)
		v[i] = a[i] & mask[i];
	uint16_t et = rte_cpu_to_be_16(SL_ETH_IPV6);
	sl_match_set_oxm(m, OFPXMT_OFB_ETH_TYPE, &et, NULL, 2);
	CU_ASSERT_EQUAL(sl_match_set_oxm(m, OFPXMT_OFB_IPV6_DST, v, plen == 128 ? NULL : mask, 16), 0);
}

static void
test_prefix_tracking_ipv6(void)
{
	struct sl_rcu *rcu = sl_rcu_create(NULL, 1);
	struct sl_classifier cls;
	sl_cls_init(&cls, rcu);
	static const uint8_t host[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct sl_cls_rule *h = mk_rule(100), *net = mk_rule(50), *miss = mk_rule(0);
	set_ip6_dst(&h->match, host, 128);
	set_ip6_dst(&net->match, host, 32);
	sl_cls_insert(&cls, h);
	sl_cls_insert(&cls, net);
	sl_cls_insert(&cls, miss);
	struct sl_flow_key k, wc;
	memset(&k, 0, sizeof(k));
	k.eth_type = rte_cpu_to_be_16(SL_ETH_IPV6);
	static const uint8_t ll[16] = { 0xfe, 0x80, [15] = 1 };
	memcpy(k.ipv6_dst, ll, 16);
	memset(&wc, 0, sizeof(wc));
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, &wc), miss);
	CU_ASSERT_EQUAL(wc.ipv6_dst[0], 0x80); /* one bit proved it */
	CU_ASSERT_EQUAL(wc.ipv6_dst[1], 0);
	CU_ASSERT_EQUAL(wc.eth_type, 0);
	memcpy(k.ipv6_dst, host, 16);
	k.ipv6_dst[15] = 2;
	memset(&wc, 0, sizeof(wc));
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, &wc), net);
	CU_ASSERT_EQUAL(wc.ipv6_dst[15], 0xfe); /* 127 bits to rule out the /128 */
	k.ipv6_dst[15] = 1;
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), h);
	sl_cls_remove(&cls, h);
	sl_cls_remove(&cls, net);
	sl_cls_remove(&cls, miss);
	free(h);
	free(net);
	free(miss);
	sl_cls_destroy(&cls);
	sl_rcu_destroy(rcu);
}

/* Equal priorities (undefined winner in OF1.3): the answer is stable and is one of the tied rules. */
static void
test_ties(void)
{
	struct sl_rcu *rcu = sl_rcu_create(NULL, 1);
	struct sl_classifier cls;
	sl_cls_init(&cls, rcu);
	struct sl_cls_rule *a = mk_rule(10), *b = mk_rule(10), *c = mk_rule(10);
	set_ip_dst(&a->match, 0x0a000000, 8);
	set_ip_dst(&b->match, 0x0a000000, 16);
	sl_match_init_catchall(&c->match);
	uint32_t port = rte_cpu_to_be_32(1);
	sl_match_set_oxm(&c->match, OFPXMT_OFB_IN_PORT, &port, NULL, 4);
	sl_cls_insert(&cls, a);
	sl_cls_insert(&cls, b);
	sl_cls_insert(&cls, c);
	struct sl_flow_key k;
	memset(&k, 0, sizeof(k));
	k.eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
	k.ipv4_dst = rte_cpu_to_be_32(0x0a000001);
	k.in_port = port;
	const struct sl_cls_rule *first = sl_cls_lookup(&cls, &k, NULL);
	CU_ASSERT(first == a || first == b || first == c);
	for (int i = 0; i < 10; i++)
		CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), first);
	/* strict find tells equal-priority rules apart by their masks */
	CU_ASSERT_PTR_EQUAL(sl_cls_find_exact(&cls, &a->match, 10), a);
	CU_ASSERT_PTR_EQUAL(sl_cls_find_exact(&cls, &b->match, 10), b);
	CU_ASSERT_PTR_EQUAL(sl_cls_find_exact(&cls, &c->match, 10), c);
	sl_cls_remove(&cls, (struct sl_cls_rule *)first);
	const struct sl_cls_rule *second = sl_cls_lookup(&cls, &k, NULL);
	CU_ASSERT(second != NULL && second != first && second->priority == 10);
	sl_cls_destroy(&cls);
	sl_rcu_destroy(rcu);
	free(a);
	free(b);
	free(c);
}

static void
test_overlap_subset(void)
{
	struct sl_match a, b;
	sl_match_init_catchall(&a);
	sl_match_init_catchall(&b);
	set_ip_dst(&a, 0x0a000000, 8);
	set_ip_dst(&b, 0x0a010000, 16);
	CU_ASSERT(sl_cls_rules_overlap(&a, &b));
	CU_ASSERT(sl_match_is_subset(&b, &a));
	CU_ASSERT(!sl_match_is_subset(&a, &b));
	sl_match_init_catchall(&b);
	set_ip_dst(&b, 0x0b000000, 8);
	CU_ASSERT(!sl_cls_rules_overlap(&a, &b));
}

/* ---- concurrency: readers look up while the writer inserts/removes ---- */

struct reader_arg {
	struct sl_classifier *cls;
	struct rte_rcu_qsbr *qsbr;
	unsigned int id;
	int *stop;
	unsigned long lookups, bad;
};

static void *
reader(void *p)
{
	struct reader_arg *a = p;
	rte_rcu_qsbr_thread_register(a->qsbr, a->id);
	rte_rcu_qsbr_thread_online(a->qsbr, a->id);
	struct sl_flow_key k;
	memset(&k, 0, sizeof(k));
	k.eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
	uint32_t i = a->id;
	while (!__atomic_load_n(a->stop, __ATOMIC_ACQUIRE)) {
		k.ipv4_dst = rte_cpu_to_be_32(0x0a000000 | (i++ % 4096));
		const struct sl_cls_rule *r = sl_cls_lookup(a->cls, &k, NULL);
		/* The catch-all (priority 0) is never removed; a hit must really match. */
		if (r == NULL || !sl_match_matches(&r->match, &k))
			a->bad++;
		a->lookups++;
		if ((a->lookups & 63) == 0)
			rte_rcu_qsbr_quiescent(a->qsbr, a->id);
	}
	rte_rcu_qsbr_thread_offline(a->qsbr, a->id);
	rte_rcu_qsbr_thread_unregister(a->qsbr, a->id);
	return NULL;
}

static void
test_concurrent_readers(void)
{
	struct sl_rcu *rcu = sl_rcu_create(NULL, 4);
	struct sl_classifier cls;
	sl_cls_init(&cls, rcu);
	struct sl_cls_rule *miss = mk_rule(0);
	sl_cls_insert(&cls, miss);
	int stop = 0;
	struct reader_arg args[2];
	pthread_t th[2];
	for (unsigned int i = 0; i < 2; i++) {
		args[i] = (struct reader_arg){ &cls, sl_rcu_qsbr(rcu), i, &stop, 0, 0 };
		pthread_create(&th[i], NULL, reader, &args[i]);
	}
	enum { LIVE = 512 };
	struct sl_cls_rule *live[LIVE] = { 0 };
	for (int op = 0; op < 60000; op++) {
		unsigned int slot = (unsigned int)(rnd() % LIVE);
		if (live[slot]) {
			sl_cls_remove(&cls, live[slot]);
			sl_rcu_defer(rcu, NULL, live[slot]);
			live[slot] = NULL;
		} else {
			live[slot] = mk_rule((uint32_t)(1 + rnd() % 100));
			set_ip_dst(&live[slot]->match, 0x0a000000 | (uint32_t)(rnd() % 4096),
				   (int)(20 + rnd() % 13));
			sl_cls_insert(&cls, live[slot]);
		}
		if (op % 256 == 0)
			sl_rcu_reclaim(rcu);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CU_ASSERT_EQUAL(args[i].bad, 0);
		CU_ASSERT(args[i].lookups > 0);
	}
	sl_rcu_synchronize(rcu);
	CU_ASSERT_EQUAL(sl_rcu_pending(rcu), 0);
	for (unsigned int i = 0; i < LIVE; i++)
		if (live[i]) {
			sl_cls_remove(&cls, live[i]);
			free(live[i]);
		}
	sl_cls_remove(&cls, miss);
	free(miss);
	sl_cls_destroy(&cls);
	sl_rcu_destroy(rcu);
}

/* Versions: each rule is seen by lookups at [add_version, remove_version);
 * hidden rules still sit in the node (same match, lower priority shows
 * through) and in the subtable order, which must not change any answer. */
static void
test_versions(void)
{
	struct sl_rcu *rcu = sl_rcu_create(NULL, 4);
	struct sl_classifier cls;
	sl_cls_init(&cls, rcu);
	struct sl_cls_rule *lo = mk_rule(10), *hi = mk_rule(20), *wide = mk_rule(5);
	set_ip_dst(&lo->match, 0x0a000005, 32);
	hi->match = lo->match;
	set_ip_dst(&wide->match, 0x0a000000, 8);
	CU_ASSERT_EQUAL(sl_cls_insert(&cls, lo), 0);
	CU_ASSERT_EQUAL(sl_cls_insert(&cls, wide), 0);
	CU_ASSERT_EQUAL(sl_cls_insert_at(&cls, hi, 5), 0); /* from version 5 */
	struct sl_flow_key k;
	memset(&k, 0, sizeof(k));
	k.eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
	k.ipv4_dst = rte_cpu_to_be_32(0x0a000005);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup_at(&cls, &k, NULL, 4), lo);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup_at(&cls, &k, NULL, 5), hi);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), hi);
	sl_cls_rule_hide(hi, 6);
	sl_cls_rule_hide(lo, 7);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup_at(&cls, &k, NULL, 5), hi);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup_at(&cls, &k, NULL, 6), lo);
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup_at(&cls, &k, NULL, 7), wide); /* the /8 shows */
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup(&cls, &k, NULL), wide);
	sl_cls_rule_hide(lo, SL_CLS_NEVER); /* shown again */
	CU_ASSERT_PTR_EQUAL(sl_cls_lookup_at(&cls, &k, NULL, 9), lo);
	CU_ASSERT_EQUAL(sl_cls_count(&cls), 3);
	sl_cls_remove(&cls, hi);
	sl_cls_remove(&cls, lo);
	sl_cls_remove(&cls, wide);
	free(hi);
	free(lo);
	free(wide);
	sl_cls_destroy(&cls);
	sl_rcu_destroy(rcu);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "priority_and_remove", test_priority_and_remove },
		{ "staged_wildcards", test_staged_wildcards },
		{ "random_vs_linear", test_random_vs_linear },
		{ "prefix_tracking", test_prefix_tracking },
		{ "prefix_tracking_ipv6", test_prefix_tracking_ipv6 },
		{ "overlap_subset", test_overlap_subset },
		{ "ties", test_ties },
		{ "concurrent_readers", test_concurrent_readers },
		{ "versions", test_versions },
	};

	return cunit_run_suite("classifier", tests, CUNIT_N_TESTS(tests));
}
