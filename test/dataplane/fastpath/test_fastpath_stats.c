/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counters through the caches are exact, and idle timeouts see cache hits.
 *
 * The real fast path (sl_fastpath_begin/process, as the worker loop calls
 * them) forwards N packets of M flows through a three-table pipeline with
 * groups of all four types and a meter, under a small megaflow cap and a
 * short megaflow idle time (evictions and refused installs), with the EMC on
 * and off, while rules are modified (counters kept, or reset with
 * RESET_COUNTS), deleted (their counters arrive in the rule-removed callback)
 * and a fast-failover bucket's port goes down. Time is synthetic: the test
 * passes the TSC value of each iteration.
 *
 * Expected values come from a shadow pipeline given the same changes and
 * translating each packet without caches (which rules it hits, by cookie),
 * and from the test's own model of which rule applies which group and meter.
 * Once traffic stops: rule packet/byte counters (live + removed) equal the
 * reference, table lookup/matched counters equal the shadow's, every group
 * counts each packet once, ALL buckets and the INDIRECT bucket count every
 * packet of their group, SELECT buckets add up to their group, the
 * fast-failover buckets count the packets sent while each was live, and the
 * meter's packet_in/byte_in counters count every metered packet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "cunit_main.h"
#include "test_rng.h"
#include "test_flow_mod.h"

#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_tables.h"
#include "sl_fastpath.h"
#include "sl_match.h"
#include "sl_meter.h"
#include "sl_pipeline.h"
#include "sl_worker_tx.h"
#include "sl_xlate.h"
#include "fp_testbed.h"

#define N_PORTS 4
#define N_TABLES 3
#define MAX_COOKIE 64
#define METER_ID 1

static struct sl_datapath dp;
static struct sl_config cfg;
static struct sl_pipeline *shadow;
static uint64_t rng = 88172645463325252ull;
static uint64_t tsc_now;                  /* synthetic time of the next iteration */

static uint32_t
rnd(uint32_t n)
{
	return test_rng_below(&rng, n);
}

/* ----------------------------------------------------------- model ---- */

/* Per cookie: what the reference says the rule must have counted, what its
 * removal reported, and what the rule does (group, meter) for the model. */
static struct {
	uint64_t want_pkts, want_bytes;
	uint64_t removed_pkts, removed_bytes;
	uint32_t group;     /* group its instructions apply, 0: none */
	bool meter;
} ck[MAX_COOKIE];

static struct {
	uint64_t pkts, bytes;
	uint64_t ff_pkts[2], ff_bytes[2];   /* group 4: per bucket */
} grp[5];
static uint64_t meter_pkts, meter_bytes, sent_pkts;

static void
on_removed(void *ctx, const struct sl_rule *r, uint8_t reason)
{
	(void)ctx; (void)reason;
	if (r->cookie < MAX_COOKIE) {
		struct sl_rule_counts c;

		sl_rule_get_counts(r, &c);
		ck[r->cookie].removed_pkts += c.packets;
		ck[r->cookie].removed_bytes += c.bytes;
	}
}

/* ------------------------------------------------------- changes ---- */

static void
both_flow_mod(const struct sl_flow_mod *fm)
{
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(dp.pipeline, fm, NULL), 0);
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(shadow, fm, NULL), 0);
}

/* fm_new() for the rule with @cookie (modify/delete: that rule only). */
static struct sl_flow_mod
fm_cookie(uint8_t cmd, uint8_t table, uint16_t prio, uint64_t cookie)
{
	struct sl_flow_mod fm = fm_new(cmd, table, prio);

	fm.cookie = cookie;
	fm.cookie_mask = cmd == OFPFC_ADD ? 0 : ~0ull;
	return fm;
}

static void
match_ip_dst(struct sl_match *m, uint32_t addr, unsigned int plen)
{
	uint16_t ip = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	uint32_t a = rte_cpu_to_be_32(addr), mask = rte_cpu_to_be_32(~0u << (32 - plen));

	sl_match_set_oxm(m, OFPXMT_OFB_ETH_TYPE, &ip, NULL, 2);
	sl_match_set_oxm(m, OFPXMT_OFB_IPV4_DST, &a, &mask, 4);
}

/* A rule: apply [meter] [group g] [output port], maybe goto. */
static void
add_rule(uint64_t cookie, uint8_t table, uint16_t prio, const struct sl_match *m, bool meter,
	 uint32_t group, uint32_t port, int goto_table, uint8_t cmd, uint16_t flags)
{
	struct sl_flow_mod fm = fm_cookie(cmd, table, prio, cookie);
	struct sl_action acts[2];
	uint16_t n = 0;

	memset(acts, 0, sizeof(acts));
	if (m)
		fm.match = *m;
	fm.flags = flags;
	fm.ins.has_meter = meter;
	fm.ins.meter_id = METER_ID;
	if (group) {
		acts[n].type = OFPAT_GROUP;
		acts[n++].group_id = group;
	}
	if (port) {
		acts[n].type = OFPAT_OUTPUT;
		acts[n++].output.port = port;
	}
	fm.ins.apply = acts;
	fm.ins.n_apply = n;
	fm.ins.has_goto = goto_table >= 0;
	fm.ins.goto_table = (uint8_t)(goto_table >= 0 ? goto_table : 0);
	both_flow_mod(&fm);
	ck[cookie].group = group;
	ck[cookie].meter = meter;
	if (flags & OFPFF_RESET_COUNTS)
		ck[cookie].want_pkts = ck[cookie].want_bytes = 0;
}

static void
delete_strict(uint64_t cookie, uint8_t table, uint16_t prio, const struct sl_match *m)
{
	struct sl_flow_mod fm = fm_cookie(OFPFC_DELETE_STRICT, table, prio, cookie);

	if (m)
		fm.match = *m;
	both_flow_mod(&fm);
}

static void
group_add(uint32_t g, uint8_t type)
{
	struct sl_action acts[3] = {
		{ .type = OFPAT_OUTPUT, .output.port = 2 },
		{ .type = OFPAT_OUTPUT, .output.port = 3 },
		{ .type = OFPAT_OUTPUT, .output.port = 4 },
	};
	struct sl_bucket b[3];
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = type, .group_id = g,
				   .buckets = b };

	gm.n_buckets = type == OFPGT_INDIRECT ? 1 : type == OFPGT_FF ? 2 : 3;
	for (unsigned int i = 0; i < gm.n_buckets; i++)
		b[i] = (struct sl_bucket){ .weight = type == OFPGT_SELECT ? 1 : 0,
			.watch_port = type == OFPGT_FF ? 3 + i : OFPP_ANY,
			.watch_group = OFPG_ANY, .n_actions = 1,
			.actions = &acts[type == OFPGT_FF ? 1 + i : i] };
	CU_ASSERT_EQUAL(sl_pipeline_group_mod(dp.pipeline, &gm), 0);
	CU_ASSERT_EQUAL(sl_pipeline_group_mod(shadow, &gm), 0);
}

static void
set_live(uint32_t port, bool live)
{
	sl_pipeline_set_port_live(dp.pipeline, port, live);
	sl_pipeline_set_port_live(shadow, port, live);
}

/* ------------------------------------------------------- traffic ---- */

static struct rte_mbuf *
flow_packet(uint32_t flow, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len) : NULL;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;

	if (p == NULL) {
		fprintf(stderr, "mempool empty\n");
		abort();
	}
	memset(p, 0, len);
	eth = (struct rte_ether_hdr *)p;
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	udp = (struct rte_udp_hdr *)(ip + 1);
	memcpy(eth->dst_addr.addr_bytes, (uint8_t[]){ 2, 0, 0, 0, 0, 1 }, 6);
	memcpy(eth->src_addr.addr_bytes, (uint8_t[]){ 2, 0, 0, 0, 1, (uint8_t)flow }, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - 14));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0x0a010000u | (flow >> 8));
	/* 10.0.0.x .. 10.0.2.x: table 0's /26s, its /24, and its table-miss */
	ip->dst_addr = rte_cpu_to_be_32(0x0a000000u | (flow % 768));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(1000 + flow % 7));
	udp->dst_port = rte_cpu_to_be_16((uint16_t)(flow % 3 ? 80 : 81));
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(len - 34));
	return m;
}

/* What the reference says one packet does to the counters. */
static void
expect_packet(struct rte_mbuf *m, uint32_t in_port)
{
	static struct sl_xlate_result xr;
	uint32_t len = rte_pktmbuf_pkt_len(m);
	bool seen[5] = { false };
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	bool metered = false;

	sl_flow_parse_mbuf(m, in_port, in_port, 0, &key, &lay);
	sl_xlate(shadow, &key, &xr);
	sent_pkts++;
	for (unsigned int r = 0; r < xr.n_rules; r++) {
		uint64_t c = xr.rules[r]->cookie;
		uint32_t g = ck[c].group;

		ck[c].want_pkts++;
		ck[c].want_bytes += len;
		metered |= ck[c].meter;
		if (g && !seen[g]) {
			seen[g] = true;
			grp[g].pkts++;
			grp[g].bytes += len;
			if (g == 4) {
				unsigned int b = sl_pipeline_port_live(shadow, 3) ? 0 : 1;

				grp[4].ff_pkts[b]++;
				grp[4].ff_bytes[b] += len;
			}
		}
	}
	if (metered) {
		meter_pkts++;
		meter_bytes += len;
	}
}

/* @n packets over flows [0, n_flows), bursts of up to 32 from one port, one
 * iteration per burst, 100 us of synthetic time per iteration. */
static void
traffic(struct sl_fastpath *fp, unsigned int n, unsigned int n_flows)
{
	struct rte_mbuf *burst[SL_BURST];

	while (n) {
		uint16_t in_idx = (uint16_t)rnd(N_PORTS), k = (uint16_t)RTE_MIN(n, 1 + rnd(SL_BURST));

		for (uint16_t i = 0; i < k; i++) {
			burst[i] = flow_packet(rnd(n_flows), 64 + rnd(200));
			expect_packet(burst[i], in_idx + 1u);
		}
		tsc_now += rte_get_tsc_hz() / 10000;
		sl_fastpath_begin(fp, tsc_now);
		sl_fastpath_process(fp, in_idx, burst, k);
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false);
		n -= k;
	}
	fp_testbed_idle(fp);
}

/* -------------------------------------------------------- checks ---- */

static uint64_t
live_rule_sum(uint64_t cookie, bool bytes)
{
	uint64_t sum = 0;

	for (uint8_t t = 0; t < N_TABLES; t++)
		for (const struct sl_cls_rule *cr = sl_cls_first(sl_pipeline_table_cls(dp.pipeline, t));
		     cr; cr = cr->all_next) {
			const struct sl_rule *r = (const struct sl_rule *)cr;

			struct sl_rule_counts c;

			sl_rule_get_counts(r, &c);
			if (r->cookie == cookie)
				sum += bytes ? c.bytes : c.packets;
		}
	return sum;
}

static void
check_counters(const char *what)
{
	const struct sl_group *g;
	struct sl_meter_stats ms;
	bool ok = true;

	for (uint64_t c = 1; c < MAX_COOKIE; c++) {
		uint64_t p = live_rule_sum(c, false) + ck[c].removed_pkts;
		uint64_t b = live_rule_sum(c, true) + ck[c].removed_bytes;

		if (p != ck[c].want_pkts || b != ck[c].want_bytes) {
			fprintf(stderr, "\n  %s: rule cookie %llu counted %llu packets / %llu bytes, "
				"reference %llu / %llu\n", what, (unsigned long long)c,
				(unsigned long long)p, (unsigned long long)b,
				(unsigned long long)ck[c].want_pkts, (unsigned long long)ck[c].want_bytes);
			ok = false;
		}
	}
	for (uint8_t t = 0; t < N_TABLES; t++) {
		uint64_t l1, m1, l2, m2;

		sl_pipeline_table_stats(dp.pipeline, t, &l1, &m1);
		sl_pipeline_table_stats(shadow, t, &l2, &m2);
		if (l1 != l2 || m1 != m2 || (t == 0 && l1 != sent_pkts)) {
			fprintf(stderr, "\n  %s: table %u lookups/matched %llu/%llu, reference %llu/%llu\n",
				what, t, (unsigned long long)l1, (unsigned long long)m1,
				(unsigned long long)l2, (unsigned long long)m2);
			ok = false;
		}
	}
	for (uint32_t id = 1; id <= 4; id++) {
		uint64_t bp = 0, bb = 0;

		g = sl_pipeline_group(dp.pipeline, id);
		CU_ASSERT_PTR_NOT_NULL_FATAL(g);
		if (g->stats->n_packets != grp[id].pkts || g->stats->n_bytes != grp[id].bytes) {
			fprintf(stderr, "\n  %s: group %u counted %llu packets / %llu bytes, "
				"model %llu / %llu\n", what, id,
				(unsigned long long)g->stats->n_packets,
				(unsigned long long)g->stats->n_bytes,
				(unsigned long long)grp[id].pkts, (unsigned long long)grp[id].bytes);
			ok = false;
		}
		for (unsigned int b = 0; b < g->n_buckets; b++) {
			const struct sl_bucket *bk = &g->buckets[b];
			bool bad;

			bp += bk->n_packets;
			bb += bk->n_bytes;
			if (g->type == OFPGT_ALL || g->type == OFPGT_INDIRECT)
				bad = bk->n_packets != grp[id].pkts || bk->n_bytes != grp[id].bytes;
			else if (g->type == OFPGT_FF)
				bad = bk->n_packets != grp[id].ff_pkts[b] ||
				      bk->n_bytes != grp[id].ff_bytes[b];
			else
				bad = bk->n_packets == 0; /* many flows: every bucket used */
			if (bad) {
				fprintf(stderr, "\n  %s: group %u bucket %u counted %llu packets / "
					"%llu bytes\n", what, id, b, (unsigned long long)bk->n_packets,
					(unsigned long long)bk->n_bytes);
				ok = false;
			}
		}
		if (g->type == OFPGT_SELECT && (bp != grp[id].pkts || bb != grp[id].bytes)) {
			fprintf(stderr, "\n  %s: select buckets add up to %llu, group %llu\n", what,
				(unsigned long long)bp, (unsigned long long)grp[id].pkts);
			ok = false;
		}
	}
	sl_meter_get_stats(sl_meter_table_lookup(dp.meters, METER_ID), 0, &ms);
	if (ms.packet_in_count != meter_pkts || ms.byte_in_count != meter_bytes ||
	    ms.bands[0].packet_band_count != 0) {
		fprintf(stderr, "\n  %s: meter counted %llu packets / %llu bytes (%llu dropped), "
			"model %llu / %llu\n", what, (unsigned long long)ms.packet_in_count,
			(unsigned long long)ms.byte_in_count,
			(unsigned long long)ms.bands[0].packet_band_count,
			(unsigned long long)meter_pkts, (unsigned long long)meter_bytes);
		ok = false;
	}
	CU_ASSERT_TRUE(ok);
}

/* ------------------------------------------------------ scenario ---- */

/* Empty both pipelines, re-create groups and the meter, zero the model. */
static void
reset_all(void)
{
	struct sl_flow_mod del = fm_cookie(OFPFC_DELETE, OFPTT_ALL, 0, 0);
	struct sl_meter_band band = { .type = OFPMBT_DROP, .rate = 1000000000u,
				      .burst_size = 1000000000u };
	struct sl_meter_mod mm = { .command = OFPMC_DELETE, .meter_id = METER_ID,
				   .flags = OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS,
				   .n_bands = 1, .bands = &band };
	uint16_t err;

	del.cookie_mask = 0;
	both_flow_mod(&del);
	for (uint32_t g = 1; g <= 4; g++) {
		struct sl_group_mod gm = { .command = OFPGC_DELETE, .group_id = g };

		sl_pipeline_group_mod(dp.pipeline, &gm);
		sl_pipeline_group_mod(shadow, &gm);
	}
	sl_meter_table_mod(dp.meters, &mm, 0, &err);
	mm.command = OFPMC_ADD;
	CU_ASSERT_EQUAL(sl_meter_table_mod(dp.meters, &mm, 0, &err), 0);
	memset(ck, 0, sizeof(ck));
	memset(grp, 0, sizeof(grp));
	meter_pkts = meter_bytes = 0;
	group_add(1, OFPGT_ALL);
	group_add(2, OFPGT_SELECT);
	group_add(3, OFPGT_INDIRECT);
	group_add(4, OFPGT_FF);
	set_live(3, true);
	set_live(4, true);
}

static void
stats_scenario(const struct sl_fastpath_config *fc, unsigned int n, unsigned int n_flows)
{
	struct sl_match m[6];
	uint32_t in1 = rte_cpu_to_be_32(1);
	uint16_t ip = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4), p80 = rte_cpu_to_be_16(80);
	uint8_t udp = IPPROTO_UDP;
	struct sl_megaflow_stats ms;
	struct sl_fastpath *fp;

	reset_all();
	for (unsigned int i = 0; i < 4; i++) {
		sl_match_init_catchall(&m[i]);
		match_ip_dst(&m[i], 0x0a000000u + 64 * i, 26);
	}
	sl_match_init_catchall(&m[4]);
	match_ip_dst(&m[4], 0x0a000100u, 24);
	sl_match_init_catchall(&m[5]);
	sl_match_set_oxm(&m[5], OFPXMT_OFB_ETH_TYPE, &ip, NULL, 2);
	sl_match_set_oxm(&m[5], OFPXMT_OFB_IP_PROTO, &udp, NULL, 1);
	sl_match_set_oxm(&m[5], OFPXMT_OFB_UDP_DST, &p80, NULL, 2);
	add_rule(1, 0, 10, &m[0], true, 0, 2, 1, OFPFC_ADD, 0);
	add_rule(2, 0, 10, &m[1], false, 1, 0, -1, OFPFC_ADD, 0);
	add_rule(3, 0, 10, &m[2], false, 2, 0, -1, OFPFC_ADD, 0);
	add_rule(4, 0, 10, &m[3], false, 3, 0, 1, OFPFC_ADD, 0);
	add_rule(5, 0, 5, &m[4], false, 4, 0, -1, OFPFC_ADD, 0);
	add_rule(6, 0, 0, NULL, false, 0, 0, 2, OFPFC_ADD, 0);
	add_rule(7, 1, 10, &m[5], false, 0, 3, -1, OFPFC_ADD, 0);
	{
		struct sl_match in;

		sl_match_init_catchall(&in);
		sl_match_set_oxm(&in, OFPXMT_OFB_IN_PORT, &in1, NULL, 4);
		add_rule(8, 2, 10, &in, false, 1, 4, -1, OFPFC_ADD, 0);
	}
	add_rule(9, 2, 0, NULL, true, 0, 1, -1, OFPFC_ADD, 0);

	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	traffic(fp, n, n_flows);
	check_counters("initial rules");
	/* modify keeps the counters */
	add_rule(7, 1, 10, &m[5], false, 0, 4, -1, OFPFC_MODIFY_STRICT, 0);
	traffic(fp, n, n_flows);
	check_counters("after modify");
	/* ... unless RESET_COUNTS */
	add_rule(2, 0, 10, &m[1], false, 3, 0, -1, OFPFC_MODIFY_STRICT, OFPFF_RESET_COUNTS);
	traffic(fp, n, n_flows);
	check_counters("after modify with reset_counts");
	/* a deleted rule reports its counts; its successor starts at 0 */
	delete_strict(1, 0, 10, &m[0]);
	add_rule(10, 0, 10, &m[0], true, 2, 0, 1, OFPFC_ADD, 0);
	traffic(fp, n, n_flows);
	check_counters("after delete + add");
	/* the fast-failover group moves to its second bucket */
	set_live(3, false);
	traffic(fp, n, n_flows);
	check_counters("after port 3 down");
	{
		struct sl_flow_mod del = fm_cookie(OFPFC_DELETE, OFPTT_ALL, 0, 0);

		del.cookie_mask = 0;
		del.out_group = 1;  /* rule 8 */
		both_flow_mod(&del);
	}
	traffic(fp, n, n_flows);
	check_counters("after delete by out_group");
	sl_fastpath_megaflow_stats(fp, &ms);
	printf("\n    emc %s, cap %u: %llu evictions, %llu cap hits, %llu revalidations ",
	       fc->emc_off ? "off" : "on", fc->max_megaflows,
	       (unsigned long long)ms.evictions, (unsigned long long)ms.cap_hits,
	       (unsigned long long)sl_fastpath_stats(fp)->revalidations);
	if (fc->max_megaflows && fc->max_megaflows < n_flows) {
		/* the point of the small cap: the cache dropped and refused entries */
		CU_ASSERT(ms.evictions > 0);
		CU_ASSERT(ms.cap_hits > 0);
	}
	if (!fc->emc_off)
		CU_ASSERT(sl_fastpath_stats(fp)->emc_hits > 0);
	sl_fastpath_destroy(fp);
}

static void
test_stats_exact(void)
{
	/* cap 32 and 1 ms idle: 300 flows keep the cache evicting and full */
	struct sl_fastpath_config small = { .emc_inv_prob = 1, .emc_ungated = true,
					    .miss_budget = 1u << 20, .max_megaflows = 32,
					    .idle_ms = 1 };
	struct sl_fastpath_config big = { .emc_inv_prob = 1, .emc_ungated = true,
					    .miss_budget = 1u << 20 };

	stats_scenario(&small, 4000, 300);
	small.emc_off = true;
	stats_scenario(&small, 4000, 300);
	stats_scenario(&big, 4000, 300);
	big.emc_off = true;
	stats_scenario(&big, 4000, 300);
}

/* ------------------------------------------------- idle timeouts ---- */

static uint8_t removed_reason;
static uint64_t removed_pkts_seen;

static void
on_removed_idle(void *ctx, const struct sl_rule *r, uint8_t reason)
{
	(void)ctx;
	removed_reason = reason;
	struct sl_rule_counts c;

	sl_rule_get_counts(r, &c);
	removed_pkts_seen = c.packets;
}

/* A rule with idle_timeout 2 s hit every 500 ms (synthetic time) by packets
 * the caches answer must not expire; 2 s after the last packet it does. */
static void
idle_scenario(bool emc_off)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1, .emc_off = emc_off,
					   .emc_ungated = true };
	const uint64_t ms = 1000000, hz = rte_get_tsc_hz();
	struct sl_flow_mod fm = fm_cookie(OFPFC_ADD, 0, 10, 20);
	struct sl_action out2 = { .type = OFPAT_OUTPUT, .output.port = 2 };
	struct rte_mbuf *burst[8];
	struct sl_fastpath *fp;
	struct timespec ts;
	uint64_t mono, tsc, xl1 = 0, hits;

	reset_all();
	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	/* the fast path maps TSC to CLOCK_MONOTONIC from the pair it read at
	 * create time; this pair is microseconds away from it */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	tsc = rte_rdtsc();
	mono = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	match_ip_dst(&fm.match, 0x0a000005u, 32);
	fm.idle_timeout = 2;
	fm.now_ns = mono;
	fm.ins.apply = &out2;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
	removed_reason = 0xff;
	for (unsigned int k = 0; k <= 10; k++) {
		for (unsigned int i = 0; i < 8; i++)
			burst[i] = flow_packet(5, 100);
		sl_fastpath_begin(fp, tsc + k * hz / 2);
		sl_fastpath_process(fp, 0, burst, 8);
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false);
		if (k == 0)
			xl1 = sl_fastpath_stats(fp)->translations;
		/* last hit at k * 500 ms: 1.25 s later it is not idle for 2 s */
		CU_ASSERT_EQUAL(sl_pipeline_expire(dp.pipeline, mono + k * 500 * ms + 1250 * ms), 0);
	}
	/* the packets after the first burst never reached translation */
	CU_ASSERT_EQUAL(sl_fastpath_stats(fp)->translations, xl1);
	hits = sl_fastpath_stats(fp)->megaflow_hits + sl_fastpath_stats(fp)->emc_hits;
	CU_ASSERT(hits >= 80);
	CU_ASSERT(emc_off || sl_fastpath_stats(fp)->emc_hits > 0);
	/* traffic stopped at 5 s: not idle at 6.75 s, expired at 7.25 s */
	CU_ASSERT_EQUAL(sl_pipeline_expire(dp.pipeline, mono + 6750 * ms), 0);
	CU_ASSERT_EQUAL(sl_pipeline_expire(dp.pipeline, mono + 7250 * ms), 1);
	CU_ASSERT_EQUAL(removed_reason, OFPRR_IDLE_TIMEOUT);
	CU_ASSERT_EQUAL(removed_pkts_seen, 88);
	sl_fastpath_destroy(fp);
}

static void
test_idle_timeout(void)
{
	idle_scenario(false);
	idle_scenario(true);
}

/* ------------------------------------------- targeted revalidation ---- */

/* Packets rule @p cookie of table @p table counted (UINT64_MAX: no such rule). */
static uint64_t
cookie_pkts(uint8_t table, uint64_t cookie)
{
	const struct sl_classifier *cls = sl_pipeline_table_cls(dp.pipeline, table);

	for (const struct sl_cls_rule *cr = sl_cls_first(cls); cr; cr = cr->all_next) {
		const struct sl_rule *r = (const struct sl_rule *)cr;
		struct sl_rule_counts c;

		if (r->cookie == cookie) {
			sl_rule_get_counts(r, &c);
			return c.packets;
		}
	}
	return UINT64_MAX;
}

/* 8 packets of flow @p flow (destination 10.0.0.flow) through @p fp. */
static void
send8(struct sl_fastpath *fp, uint32_t flow)
{
	struct rte_mbuf *burst[8];

	for (unsigned int i = 0; i < 8; i++)
		burst[i] = flow_packet(flow, 100);
	tsc_now += rte_get_tsc_hz() / 10000;
	sl_fastpath_begin(fp, tsc_now);
	sl_fastpath_process(fp, 0, burst, 8);
	sl_worker_flush_all(dp.workers[0]);
	sl_fastpath_end(fp, false);
	fp_testbed_idle(fp);
}

/* A stale entry is kept untranslated only when the change log proves it
 * may be: a rule disjoint from the entry's packets but matching the key a
 * later table looks up after a set-field must take effect; a disjoint rule
 * in a pure translation's table, or any rule off the path, must not cost a
 * translation. */
static void
test_reval_skip(void)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1 };
	struct sl_action sf = { .type = OFPAT_SET_FIELD };
	uint32_t nine = rte_cpu_to_be_32(0x0a000009u);
	const struct sl_fastpath_stats *st;
	struct sl_fastpath *fp;
	struct sl_match m;
	uint64_t skipped;

	reset_all();
	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	st = sl_fastpath_stats(fp);
	/* flow 5: table 0 rewrites 10.0.0.5 to 10.0.0.9 and goes to table 1 */
	sf.set_field.field = OFPXMT_OFB_IPV4_DST;
	sf.set_field.len = 4;
	memcpy(sf.set_field.value, &nine, 4);
	{
		struct sl_flow_mod fm = fm_cookie(OFPFC_ADD, 0, 10, 1);

		match_ip_dst(&fm.match, 0x0a000005u, 32);
		fm.ins.apply = &sf;
		fm.ins.n_apply = 1;
		fm.ins.has_goto = true;
		fm.ins.goto_table = 1;
		both_flow_mod(&fm);
	}
	sl_match_init_catchall(&m);
	match_ip_dst(&m, 0x0a000009u, 32);
	add_rule(2, 1, 30, &m, false, 0, 2, -1, OFPFC_ADD, 0);
	/* flow 6: plain goto, table 1 routes 10.0.0.6 */
	sl_match_init_catchall(&m);
	match_ip_dst(&m, 0x0a000006u, 32);
	add_rule(3, 0, 10, &m, false, 0, 0, 1, OFPFC_ADD, 0);
	add_rule(4, 1, 30, &m, false, 0, 2, -1, OFPFC_ADD, 0);
	send8(fp, 5);
	send8(fp, 6);
	CU_ASSERT_EQUAL(cookie_pkts(1, 2), 8);
	CU_ASSERT_EQUAL(cookie_pkts(1, 4), 8);
	/* a /31 in a new subtable (no subtable moves) beats rule 2 for the
	 * rewritten key, though no packet of flow 5's entry has 10.0.0.8/31 */
	sl_match_init_catchall(&m);
	match_ip_dst(&m, 0x0a000008u, 31);
	add_rule(5, 1, 40, &m, false, 0, 3, -1, OFPFC_ADD, 0);
	skipped = st->reval_skipped;
	send8(fp, 5); /* not pure: translated again, rule 5 wins */
	CU_ASSERT_EQUAL(st->reval_skipped, skipped);
	CU_ASSERT_EQUAL(cookie_pkts(1, 2), 8);
	CU_ASSERT_EQUAL(cookie_pkts(1, 5), 8);
	send8(fp, 6); /* pure, and disjoint from 10.0.0.6: kept */
	CU_ASSERT_EQUAL(st->reval_skipped, skipped + 1);
	CU_ASSERT_EQUAL(cookie_pkts(1, 4), 16);
	/* a rule in table 2, which neither flow looks up: both kept */
	sl_match_init_catchall(&m);
	add_rule(6, 2, 1, &m, false, 0, 4, -1, OFPFC_ADD, 0);
	send8(fp, 5);
	send8(fp, 6);
	CU_ASSERT_EQUAL(st->reval_skipped, skipped + 3);
	CU_ASSERT_EQUAL(cookie_pkts(1, 5), 16);
	CU_ASSERT_EQUAL(cookie_pkts(1, 4), 24);
	/* deleting the rule flow 6 hits is never disjoint: it misses now */
	sl_match_init_catchall(&m);
	match_ip_dst(&m, 0x0a000006u, 32);
	delete_strict(4, 1, 30, &m);
	send8(fp, 6);
	CU_ASSERT_EQUAL(st->reval_skipped, skipped + 3);
	CU_ASSERT_EQUAL(cookie_pkts(1, 4), UINT64_MAX);
	sl_fastpath_destroy(fp);
	reset_all();
}

/* ------------------------------------------------------- set-up ---- */

static sl_rule_removed_cb removed_cb = on_removed;

static void
removed_dispatch(void *ctx, const struct sl_rule *r, uint8_t reason)
{
	removed_cb(ctx, r, reason);
}

static void
test_idle_timeout_wrapper(void)
{
	removed_cb = on_removed_idle;
	test_idle_timeout();
	removed_cb = on_removed;
}

static int
setup(void)
{
	struct sl_pipeline_config pc = { 0 };

	if (fp_testbed_init(&dp, &cfg, "fps", N_PORTS, "", removed_dispatch, NULL) < 0)
		return -1;
	shadow = sl_pipeline_create(&pc);
	if (shadow == NULL)
		return -1;
	/* this thread plays the worker: reader 0 of the datapath's QSBR */
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	tsc_now = rte_rdtsc();
	return 0;
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "rule/table/group/bucket/meter counters exact", test_stats_exact },
		{ "idle timeouts see cache hits", test_idle_timeout_wrapper },
		{ "targeted revalidation skips only what it may", test_reval_skip },
	};

	rng = test_rng_seed(rng);
	if (setup() < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	return cunit_run_suite("fast path counters", tests, CUNIT_N_TESTS(tests));
}
