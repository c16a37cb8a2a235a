/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classifier / translation microbenchmark (prints numbers, asserts nothing).
 *
 *  1. sl_cls_lookup (with wildcard tracking) for 1, 100, 10k, 100k rules with
 *     1, 10, 100 distinct masks: lookups per second and ns per lookup.
 *  2. A realistic 3-table pipeline (5-tuple ACL -> L2 MAC table -> IPv4 /24
 *     routes): sl_xlate rate, average megaflow mask width (bits un-wildcarded)
 *     and number of distinct megaflows, with staged lookup on and off.
 *
 * Usage: bench_classifier [quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>

#include "test_rng.h"

#include "sl_classifier.h"
#include "sl_flow_consts.h"
#include "sl_pipeline.h"
#include "sl_rcu.h"
#include "sl_xlate.h"

static uint64_t rs = 0x2545f4914f6cdd1dull;

static uint64_t
rnd64(void)
{
	return test_rng_next(&rs);
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the build machine is shared and noisy */
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Mask number i: an IPv4 destination prefix length, optionally with in_port and tcp_dst. */
static void
make_mask(struct sl_flow_key *m, unsigned int i)
{
	memset(m, 0, sizeof(*m));
	unsigned int plen = 8 + i % 25;
	m->eth_type = 0xffff;
	m->ipv4_dst = rte_cpu_to_be_32(~0u << (32 - plen));
	if ((i / 25) & 1) {
		m->ip_proto = 0xff;
		m->tcp_dst = 0xffff;
	}
	if ((i / 25) & 2)
		m->in_port = 0xffffffff;
}

static void
random_key(struct sl_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->in_port = rte_cpu_to_be_32((uint32_t)(1 + rnd64() % 8));
	k->eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
	k->ipv4_src = (uint32_t)rnd64();
	k->ipv4_dst = (uint32_t)rnd64();
	k->ip_proto = 6;
	k->tcp_src = (uint16_t)rnd64();
	k->tcp_dst = rte_cpu_to_be_16((uint16_t)(rnd64() % 1024));
}

static void
bench_lookup(unsigned int n_rules, unsigned int n_masks, bool staged)
{
	struct sl_rcu *rcu = sl_rcu_create(NULL, 1);
	struct sl_classifier cls;
	sl_cls_init(&cls, rcu);
	sl_cls_set_staged(&cls, staged);
	struct sl_cls_rule *rules = calloc(n_rules, sizeof(*rules));
	for (unsigned int i = 0; i < n_rules; i++) {
		struct sl_cls_rule *r = &rules[i];
		struct sl_flow_key k;
		random_key(&k);
		make_mask(&r->match.mask, i % n_masks);
		sl_flow_key_and(&r->match.key, &k, &r->match.mask);
		r->priority = (uint32_t)(rnd64() % 60000);
		sl_cls_insert(&cls, r);
	}
	enum { NK = 1 << 14 };
	struct sl_flow_key *keys = malloc(NK * sizeof(*keys));
	for (unsigned int i = 0; i < NK; i++) {
		random_key(&keys[i]);
		if (i % 2 == 0) { /* half the packets hit a rule */
			const struct sl_cls_rule *r = &rules[rnd64() % n_rules];
			for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
				keys[i].w[w] = (r->match.key.w[w] & r->match.mask.w[w]) |
					       (keys[i].w[w] & ~r->match.mask.w[w]);
		}
	}
	unsigned long iters = 0, hits = 0, bits = 0;
	double t0 = now_s(), t1;
	do {
		for (unsigned int i = 0; i < NK; i++) {
			struct sl_flow_key wc;
			memset(&wc, 0, sizeof(wc));
			hits += sl_cls_lookup(&cls, &keys[i], &wc) != NULL;
			if (iters == 0)
				bits += sl_flow_mask_popcount(&wc);
		}
		iters++;
		t1 = now_s();
	} while (t1 - t0 < 0.3);
	double n = (double)iters * NK;
	printf("  %7u rules %4u masks (%3u subtables) %-8s %8.2f Mlookup/s %8.1f ns/lookup  hit %4.1f%%  avg wc bits %5.1f\n",
	       n_rules, n_masks, sl_cls_n_subtables(&cls), staged ? "staged" : "unstaged", n / (t1 - t0) / 1e6,
	       (t1 - t0) / n * 1e9, 100.0 * (double)hits / n, (double)bits / NK);
	free(keys);
	sl_cls_destroy(&cls);
	free(rules);
	sl_rcu_destroy(rcu);
}

/* ---------------------------------------------- realistic pipeline ---- */

enum { N_ACL = 200, N_MAC = 1000, N_ROUTE = 1000 };

static uint8_t macs[N_MAC][6];
static uint32_t acl_src[N_ACL], acl_dst[N_ACL];
static uint16_t acl_port[N_ACL];

/* ACL: deny tcp from 192.168.x.0/24 to host 10.a.b.c port p (table 0). */
static void
add_rule(struct sl_pipeline *pl, uint8_t table, uint16_t prio, const struct sl_match *m,
	 struct sl_action *acts, uint16_t n, int goto_table)
{
	struct sl_flow_mod fm;
	memset(&fm, 0, sizeof(fm));
	fm.command = OFPFC_ADD;
	fm.table_id = table;
	fm.priority = prio;
	fm.out_port = OFPP_ANY;
	fm.out_group = OFPG_ANY;
	fm.match = *m;
	fm.ins.apply = acts;
	fm.ins.n_apply = n;
	if (goto_table >= 0) {
		fm.ins.has_goto = true;
		fm.ins.goto_table = (uint8_t)goto_table;
	}
	if (sl_pipeline_flow_mod(pl, &fm, NULL) != 0)
		fprintf(stderr, "flow_mod failed\n");
}

static struct sl_pipeline *
build_realistic(bool staged, bool prefix)
{
	struct sl_pipeline_config cfg = { .max_readers = 1, .unstaged = !staged,
					  .no_prefix_tracking = !prefix };
	struct sl_pipeline *pl = sl_pipeline_create(&cfg);
	struct sl_match m;
	uint16_t et = rte_cpu_to_be_16(SL_ETH_IPV4);
	uint8_t tcp = 6;
	/* table 0: 5-tuple-ish ACL (drop), miss -> table 1 */
	for (unsigned int i = 0; i < N_ACL; i++) {
		sl_match_init_catchall(&m);
		sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, &et, NULL, 2);
		sl_match_set_oxm(&m, OFPXMT_OFB_IP_PROTO, &tcp, NULL, 1);
		uint32_t src_mask = rte_cpu_to_be_32(0xffffff00);
		sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_SRC, &acl_src[i], &src_mask, 4);
		sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &acl_dst[i], NULL, 4);
		sl_match_set_oxm(&m, OFPXMT_OFB_TCP_DST, &acl_port[i], NULL, 2);
		add_rule(pl, 0, 100, &m, NULL, 0, -1);
	}
	sl_match_init_catchall(&m);
	add_rule(pl, 0, 0, &m, NULL, 0, 1);
	/* table 1: L2 MAC table -> table 2 */
	for (unsigned int i = 0; i < N_MAC; i++) {
		sl_match_init_catchall(&m);
		sl_match_set_oxm(&m, OFPXMT_OFB_ETH_DST, macs[i], NULL, 6);
		add_rule(pl, 1, 10, &m, NULL, 0, 2);
	}
	/* table 2: /24 routes 10.(i/256).(i%256).0/24 + default */
	for (unsigned int i = 0; i < N_ROUTE; i++) {
		sl_match_init_catchall(&m);
		sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, &et, NULL, 2);
		uint32_t net = rte_cpu_to_be_32(0x0a000000 | (i << 8)), mask = rte_cpu_to_be_32(0xffffff00);
		sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &net, &mask, 4);
		struct sl_action acts[3];
		memset(acts, 0, sizeof(acts));
		acts[0].type = OFPAT_SET_FIELD;
		acts[0].set_field.field = OFPXMT_OFB_ETH_DST;
		acts[0].set_field.len = 6;
		acts[0].set_field.value[5] = (uint8_t)i;
		acts[1].type = OFPAT_DEC_NW_TTL;
		acts[2].type = OFPAT_OUTPUT;
		acts[2].output.port = 1 + i % 16;
		add_rule(pl, 2, 24, &m, acts, 3, -1);
	}
	sl_match_init_catchall(&m);
	struct sl_action def = { .type = OFPAT_OUTPUT };
	def.output.port = 100;
	add_rule(pl, 2, 0, &m, &def, 1, -1);
	return pl;
}

static void
realistic_packet(struct sl_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	/* 4 ingress ports x 16 active MACs x 16 active /24s, random hosts and ports:
	 * ideal wildcarding gives at most 1024 megaflows (+ ACL hits, unknown MACs). */
	k->in_port = rte_cpu_to_be_32((uint32_t)(1 + rnd64() % 4));
	memcpy(k->eth_dst, macs[rnd64() % 16], 6);
	if (rnd64() % 100 == 0)
		k->eth_dst[0] = 0x02; /* unknown MAC */
	k->eth_src[5] = (uint8_t)rnd64();
	k->eth_type = rte_cpu_to_be_16(SL_ETH_IPV4);
	k->ip_proto = rnd64() % 4 ? 6 : 17;
	k->nw_ttl = 64;
	k->ipv4_src = rte_cpu_to_be_32(0xac100000 | (uint32_t)(rnd64() % 65536));
	k->ipv4_dst = rte_cpu_to_be_32(0x0a000000 | (uint32_t)((rnd64() % 16) * 64 << 8) |
				       (uint32_t)(rnd64() % 256));
	uint16_t sp = (uint16_t)rnd64(), dp = (uint16_t)(rnd64() % 1024);
	if (k->ip_proto == 6) {
		k->tcp_src = sp;
		k->tcp_dst = rte_cpu_to_be_16(dp);
	} else {
		k->udp_src = sp;
		k->udp_dst = rte_cpu_to_be_16(dp);
	}
	if (rnd64() % 100 == 0) { /* from a denied subnet to an ACL'd host and port */
		unsigned int a = (unsigned int)(rnd64() % N_ACL);
		k->ip_proto = 6;
		k->udp_src = k->udp_dst = 0;
		k->ipv4_src = acl_src[a];
		k->ipv4_dst = acl_dst[a];
		k->tcp_dst = acl_port[a];
	}
}

static unsigned int
count_unique(uint64_t *fps, unsigned int n)
{
	unsigned int size = 1;
	while (size < n * 2)
		size <<= 1;
	uint64_t *set = calloc(size, sizeof(*set));
	unsigned int uniq = 0;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t f = fps[i] | 1;
		unsigned int j = (unsigned int)(f & (size - 1));
		while (set[j] && set[j] != f)
			j = (j + 1) & (size - 1);
		if (!set[j]) {
			set[j] = f;
			uniq++;
		}
	}
	free(set);
	return uniq;
}

static void
bench_realistic(bool staged, bool prefix, unsigned int n_pkts)
{
	rs = 12345; /* same traffic for every run */
	struct sl_pipeline *pl = build_realistic(staged, prefix);
	static struct sl_xlate_result res;
	uint64_t *fps = malloc(n_pkts * sizeof(*fps));
	struct sl_flow_key *keys = malloc(n_pkts * sizeof(*keys));
	for (unsigned int i = 0; i < n_pkts; i++)
		realistic_packet(&keys[i]);
	unsigned long bits = 0;
	double t0 = now_s();
	for (unsigned int i = 0; i < n_pkts; i++) {
		sl_xlate(pl, &keys[i], &res);
		bits += sl_flow_mask_popcount(&res.mask);
		if (i < 3 && getenv("BENCH_DEBUG")) {
			for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
				printf("%016llx%s", (unsigned long long)res.mask.w[w], w % 6 == 5 ? "\n" : " ");
			printf("\n");
		}
		struct sl_flow_key mk;
		sl_flow_key_and(&mk, &keys[i], &res.mask);
		fps[i] = ((uint64_t)sl_flow_hash(&res.mask, 7) << 32) | sl_flow_hash(&mk, 11);
	}
	double t = now_s() - t0;
	printf("  staged %-3s prefix-tracking %-3s: %5.2f Mxlate/s %7.1f ns/xlate  "
	       "avg megaflow mask %5.1f bits  %6u megaflows for %u packets\n",
	       staged ? "on" : "off", prefix ? "on" : "off", n_pkts / t / 1e6, t / n_pkts * 1e9,
	       (double)bits / n_pkts, count_unique(fps, n_pkts), n_pkts);
	free(fps);
	free(keys);
	sl_pipeline_destroy(pl);
}

#include "sl_flow_parse.h"

/* Parser cost on a 64-byte IPv4/TCP frame and a VLAN IPv6/UDP frame. */
static void
bench_parse(void)
{
	static const uint8_t tcp4[64] = {
		0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff,
	};
	static const uint8_t udp6[80] = {
		0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x81, 0x00, 0x00, 0x05, 0x86, 0xdd,
		0x60, 0, 0, 0, 0, 8, 17, 64, 0x20, 1, 0x0d, 0xb8, [41] = 1, 0x20, 1, 0x0d, 0xb8, [57] = 2,
		0x00, 0x35, 0x00, 0x35, 0, 8, 0, 0,
	};
	const struct { const char *name; const uint8_t *p; size_t n; } pk[2] = {
		{ "ipv4/tcp", tcp4, sizeof(tcp4) }, { "vlan/ipv6/udp", udp6, sizeof(udp6) } };
	for (int i = 0; i < 2; i++) {
		struct sl_flow_key k;
		struct sl_pkt_layout l;
		unsigned long n = 0, acc = 0;
		double t0 = now_s(), t1;
		do {
			for (int j = 0; j < 4096; j++) {
				sl_flow_parse(pk[i].p, pk[i].n, (uint32_t)j, 1, 0, &k, &l);
				acc += k.w[7];
			}
			n += 4096;
			t1 = now_s();
		} while (t1 - t0 < 0.2);
		printf("  sl_flow_parse %-14s %6.1f ns/packet\n", pk[i].name, (t1 - t0) / (double)n * 1e9);
		t0 = now_s();
		n = 0;
		do {
			for (int j = 0; j < 4096; j++)
				acc += sl_flow_hash(&k, (uint32_t)j);
			n += 4096;
			t1 = now_s();
		} while (t1 - t0 < 0.2);
		printf("  sl_flow_hash (23 words)      %6.1f ns  (checksum %lu)\n", (t1 - t0) / (double)n * 1e9,
		       acc & 1);
	}
}

int
main(int argc, char **argv)
{
	printf("packet parsing and hashing:\n");
	bench_parse();
	bool quick = argc > 1 && strcmp(argv[1], "quick") == 0;
	static const unsigned int n_rules[] = { 1, 100, 10000, 100000 };
	static const unsigned int n_masks[] = { 1, 10, 100 };
	printf("classifier lookup (sl_cls_lookup with wildcard tracking), 50%% of packets hit a rule:\n");
	for (unsigned int r = 0; r < (quick ? 3u : 4u); r++)
		for (unsigned int m = 0; m < 3; m++) {
			if (n_masks[m] > n_rules[r])
				continue;
			bench_lookup(n_rules[r], n_masks[m], true);
		}
	printf("staged vs unstaged on 10k rules / 10 masks:\n");
	bench_lookup(10000, 10, false);
	bench_lookup(10000, 10, true);
	for (unsigned int i = 0; i < N_MAC; i++) {
		uint64_t v = rnd64();
		macs[i][0] = 0x00;
		memcpy(&macs[i][1], &v, 5);
	}
	for (unsigned int i = 0; i < N_ACL; i++) {
		acl_src[i] = rte_cpu_to_be_32(0xc0a80000 | (uint32_t)(rnd64() % 256) << 8); /* 192.168.x.0/24 */
		acl_dst[i] = rte_cpu_to_be_32(0x0a000000 | (uint32_t)(rnd64() % (N_ROUTE * 256)));
		acl_port[i] = rte_cpu_to_be_16((uint16_t)(rnd64() % 1024));
	}
	printf("translation, realistic rule set: ACL %u 5-tuple rules (table 0) -> MAC table %u (table 1)"
	       " -> %u /24 routes (table 2):\n", N_ACL, N_MAC, N_ROUTE);
	for (int c = 0; c < 4; c++)
		bench_realistic(c & 1, c & 2, quick ? 20000 : 200000);
	return 0;
}
