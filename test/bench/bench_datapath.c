/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-process datapath benchmark (no I/O wait): synthetic 64-byte UDP packets
 * of N flows are fed to the worker's classify-and-execute function
 * (sl_fastpath_process) exactly as a worker would after an rx burst; the
 * output ports are net_null devices, so tx costs next to nothing.
 *
 * Prints Mpps and cycles per packet for EMC hits, megaflow hits and
 * misses (a new flow per packet) on three rule sets. The cost of making the
 * packets (mbuf alloc + 64-byte copy) is measured alone and subtracted.
 *
 * Case 6 (-c 6, not part of the default run) is the miss-handling
 * comparison: established flows (megaflow hits) interleaved with a flood of
 * new flows, with misses translated inline (budget 64) or by a handler on
 * lcore 1 (sl_miss_handler.h); see mixed() below.
 *
 * Case 7 (-c 7 -r 2, not part of the default run) is rule churn: 1k
 * established flows through the 3-table set while flow-mods add and delete
 * rules on destinations no packet has (see churn() below).
 *
 * On the in_port->output rule set every cached mask stops at the in port, so
 * the fast path classifies whole bursts by port (column "port"); -B turns
 * that off, to measure the EMC and megaflow paths on that rule set too.
 *
 * usage: bench_datapath [-q] [-B] [-E N [-G]] [-S] [-M N] [-r 0..3] [-c 0..7] [-n PACKETS] [-b N]
 *                       [-p NEW%] [-- EAL ARGS]
 *   -E N: the megaflow and miss cases with the EMC on (insertion 1/N), as a
 *   worker runs them (EMC consulted when it pays), instead of megaflow cache
 *   only; -G: consult it on every burst all the same;
 *   -q: shorter runs; -r N: only rule set N (0 port, 1 L2, 2 ACL+routes,
 *   3 PVP S3: its rules and addresses, one direction);
 *   -c N: only case N (0/1 EMC 1/1k flows, 2/3/4 megaflow 10k/100k/1M, 5 miss,
 *   6 mixed, 7 churn; rule set 3: 0/1 megaflow 1k/64k flows), for profiling
 *   one case with perf; -n: packets per point; -b: packets per burst in
 *   cases 0-5 [32] (a worker polling faster than packets come gets fewer);
 *   -p: share of new-flow packets in case 6 [50]; -S: case 6's handler mode
 *   without spilling (misses dropped while the handler is behind); -M N:
 *   case 6's megaflow cap [4M] (65536, sluiced's default, makes a flood of
 *   new flows run with a cache that is full, as PVP S4 does).
 * Default EAL arguments need no hugepages: -l 0,1 --no-huge -m 3072 --no-pci.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "test_flow_mod.h"

#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_tables.h"
#include "sl_fastpath.h"
#include "sl_match.h"
#include "sl_pipeline.h"
#include "sl_miss_handler.h"
#include "sl_worker_tx.h"

#define PKT_LEN 64

static struct sl_datapath dp;
static struct sl_config cfg;
static uint8_t *templates;       /* n_flows x PKT_LEN */
static uint64_t run_packets = 4000000;
static unsigned int new_pct = 50;
static bool no_port_burst;
static uint32_t mf_emc_inv_prob; /* -E: EMC in the megaflow/miss cases too */
static bool emc_ungated;         /* -G: ... consulted on every burst */
static bool no_spill;            /* -S: handler mode drops when the handler is behind */
static uint32_t mixed_max_megaflows = 4u << 20; /* -M: case 6's megaflow cap */
static unsigned int feed_burst = SL_BURST;     /* -b: packets per rx burst (cases 0-5) */

enum ruleset { RS_PORT, RS_L2, RS_ACL_ROUTE, RS_PVP_S3 };
static const char *const rs_names[] = { "in_port->output", "L2 MAC table (10k)",
					"3 tables: ACL 1k + /24 routes 10k",
					"PVP S3: 1000 /32 + default" };

static uint32_t
flow_dst_ip(enum ruleset rs, uint32_t f)
{
	/* PVP S3 as testpmd's flowgen sends it: 10.253.0.0 + f */
	if (rs == RS_PVP_S3)
		return (10u << 24) | (253u << 16) | (f & 0xffff);
	/* 10.x.y.z with x.y cycling over the 10k routed /24 prefixes */
	return (10u << 24) | ((f % 10000) << 8) | ((f / 10000) & 0xff);
}

static void
make_templates(enum ruleset rs, uint32_t n_flows)
{
	free(templates);
	templates = calloc(n_flows, PKT_LEN);
	for (uint32_t f = 0; f < n_flows; f++) {
		uint8_t *p = templates + (size_t)f * PKT_LEN;
		struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
		uint32_t mac = f % 10000;

		memcpy(eth->dst_addr.addr_bytes, (uint8_t[]){ 0x02, 0, 0, 0, (uint8_t)(mac >> 8),
							      (uint8_t)mac }, 6);
		memcpy(eth->src_addr.addr_bytes, (uint8_t[]){ 0x02, 1, 0, 0, 0, 1 }, 6);
		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16(PKT_LEN - sizeof(*eth));
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(rs == RS_PVP_S3 ? (10u << 24) | (254u << 16)
							       : (192u << 24) | (168u << 16) | (f >> 16));
		ip->dst_addr = rte_cpu_to_be_32(flow_dst_ip(rs, f));
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp->src_port = rte_cpu_to_be_16((uint16_t)(1024 + (f & 0xffff)));
		udp->dst_port = rte_cpu_to_be_16(53);
		udp->dgram_len = rte_cpu_to_be_16(PKT_LEN - sizeof(*eth) - sizeof(*ip));
	}
}

static void
flow_mod(struct sl_match *m, uint16_t prio, uint8_t table, uint8_t goto_table,
	 uint32_t out_port)
{
	struct sl_action out = { .type = OFPAT_OUTPUT, .output = { .port = out_port } };
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, table, prio);
	int rc;

	fm.match = *m;
	if (goto_table) {
		fm.ins.has_goto = true;
		fm.ins.goto_table = goto_table;
	} else {
		fm.ins.n_apply = 1;
		fm.ins.apply = &out;
	}
	rc = sl_pipeline_flow_mod(dp.pipeline, &fm, NULL);
	if (rc != 0) {
		fprintf(stderr, "flow-mod failed: 0x%x\n", rc);
		exit(1);
	}
}

#define SET(m, f, v) do { __typeof__(v) _v = (v); \
	if (sl_match_set_oxm((m), (f), &_v, NULL, sizeof(_v))) { \
		fprintf(stderr, "bad match field %d\n", (f)); exit(1); } } while (0)

static void
install_rules(enum ruleset rs)
{
	struct sl_match m;
	uint32_t in1 = rte_cpu_to_be_32(1);
	uint16_t ip = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	if (rs == RS_PORT) {
		sl_match_init_catchall(&m);
		SET(&m, OFPXMT_OFB_IN_PORT, in1);
		flow_mod(&m, 100, 0, 0, 2);
	} else if (rs == RS_L2) {
		for (uint32_t i = 0; i < 10000; i++) {
			uint8_t mac[6] = { 0x02, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i };

			sl_match_init_catchall(&m);
			if (sl_match_set_oxm(&m, OFPXMT_OFB_ETH_DST, mac, NULL, 6))
				exit(1);
			flow_mod(&m, 100, 0, 0, 2);
		}
	} else if (rs == RS_PVP_S3) {
		/* scripts/bench/scenarios.sh rules_s3, the port 1 half: the
		 * default's megaflows unwildcard nw_dst only as far as the
		 * prefix trie needs, so flows past the 1000 rules' /22 hit one
		 * subtable per prefix length (/17 to /22 at 64k flows) */
		sl_match_init_catchall(&m);
		SET(&m, OFPXMT_OFB_IN_PORT, in1);
		SET(&m, OFPXMT_OFB_ETH_TYPE, ip);
		flow_mod(&m, 10, 0, 1, 0);
		for (uint32_t i = 0; i < 1000; i++) {
			uint32_t dst = rte_cpu_to_be_32(flow_dst_ip(rs, i));

			sl_match_init_catchall(&m);
			SET(&m, OFPXMT_OFB_ETH_TYPE, ip);
			SET(&m, OFPXMT_OFB_IPV4_DST, dst);
			flow_mod(&m, 100, 1, 0, 2);
		}
		sl_match_init_catchall(&m);
		flow_mod(&m, 0, 1, 0, 2);
	} else {
		sl_match_init_catchall(&m);
		SET(&m, OFPXMT_OFB_IN_PORT, in1);
		SET(&m, OFPXMT_OFB_ETH_TYPE, ip);
		flow_mod(&m, 100, 0, 1, 0);
		/* ACL: 1000 5-tuple rules on traffic that never occurs (deny
		 * nothing), plus the default allow: every packet consults it. */
		for (uint32_t i = 0; i < 1000; i++) {
			uint8_t proto = IPPROTO_TCP;
			uint32_t src = rte_cpu_to_be_32((172u << 24) | (16u << 16) | i);
			uint32_t dst = rte_cpu_to_be_32(flow_dst_ip(rs, i));
			uint16_t sp = rte_cpu_to_be_16((uint16_t)(2000 + i)), dport = rte_cpu_to_be_16(80);

			sl_match_init_catchall(&m);
			SET(&m, OFPXMT_OFB_ETH_TYPE, ip);
			SET(&m, OFPXMT_OFB_IP_PROTO, proto);
			SET(&m, OFPXMT_OFB_IPV4_SRC, src);
			SET(&m, OFPXMT_OFB_IPV4_DST, dst);
			SET(&m, OFPXMT_OFB_TCP_SRC, sp);
			SET(&m, OFPXMT_OFB_TCP_DST, dport);
			flow_mod(&m, 200, 1, 2, 0);
		}
		sl_match_init_catchall(&m);
		flow_mod(&m, 0, 1, 2, 0);
		for (uint32_t i = 0; i < 10000; i++) {
			uint32_t net = rte_cpu_to_be_32((10u << 24) | (i << 8));
			uint32_t mask = rte_cpu_to_be_32(0xffffff00u);

			sl_match_init_catchall(&m);
			SET(&m, OFPXMT_OFB_ETH_TYPE, ip);
			if (sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &net, &mask, 4))
				exit(1);
			flow_mod(&m, 24, 2, 0, 2);
		}
	}
	sl_pipeline_synchronize(dp.pipeline);
}

static void
clear_rules(void)
{
	struct sl_flow_mod fm = fm_new(OFPFC_DELETE, OFPTT_ALL, 0);

	sl_pipeline_flow_mod(dp.pipeline, &fm, NULL);
	sl_pipeline_synchronize(dp.pipeline);
}

/* Cycles this thread ran: its CPU time at the TSC rate. On a shared,
 * noisy machine, wall-clock TSC deltas also count the time the core spent
 * on other processes; CPU time does not. */
static uint64_t
thread_cycles(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)((double)((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) *
			  (double)rte_get_tsc_hz() / 1e9);
}

/* Feed @n packets cycling over @n_flows flows (or unique flows when
 * @unique); returns cycles per packet. process = false measures only the
 * cost of making and freeing the packets. */
static double
feed(struct sl_fastpath *fp, uint32_t n_flows, uint64_t n, bool process)
{
	struct sl_worker *w = dp.workers[0];
	struct rte_mbuf *pkts[SL_BURST];
	uint64_t t0, f = 0;

	t0 = thread_cycles();
	for (uint64_t done = 0; done < n; done += feed_burst) {
		if (rte_pktmbuf_alloc_bulk(dp.pools[0], pkts, feed_burst) != 0) {
			fprintf(stderr, "mempool empty\n");
			exit(1);
		}
		for (unsigned int i = 0; i < feed_burst; i++) {
			char *d = rte_pktmbuf_append(pkts[i], PKT_LEN);

			memcpy(d, templates + (size_t)(f % n_flows) * PKT_LEN, PKT_LEN);
			f++;
		}
		if (!process) {
			rte_pktmbuf_free_bulk(pkts, feed_burst);
			continue;
		}
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, 0, pkts, (uint16_t)feed_burst);
		sl_worker_flush_all(w);
		sl_fastpath_end(fp, false); /* pushes due counts, as a worker */
	}
	return (double)(thread_cycles() - t0) / (double)n;
}

static void
measure(enum ruleset rs, const char *what, uint32_t n_flows, uint32_t emc_inv_prob,
	bool new_flows, double base)
{
	struct sl_fastpath_config fc = {
		.miss_budget = 1u << 30,
		/* a one-entry cache: nearly every packet is a miss that is
		 * translated and executed through a temporary handle */
		.max_megaflows = new_flows ? 1 : 2u << 20,
		.emc_inv_prob = emc_inv_prob,
		.emc_off = emc_inv_prob == 0,
		.emc_entries = 8192,
		.port_burst_off = no_port_burst,
		/* the EMC-hit cases measure the EMC; -E runs the worker's gate */
		.emc_ungated = emc_inv_prob == 1 || emc_ungated,
	};
	struct sl_fastpath *fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	const struct sl_fastpath_stats *st;
	struct sl_megaflow_stats ms;
	uint64_t n = run_packets;
	double cyc, hz = (double)rte_get_tsc_hz();

	if (fp == NULL) {
		fprintf(stderr, "cannot create fast path\n");
		exit(1);
	}
	if (new_flows) {
		/* every packet a flow the cache has not seen */
		n = n_flows < n ? n_flows : n;
		cyc = feed(fp, n_flows, n, true) - base;
	} else {
		feed(fp, n_flows, (uint64_t)n_flows * 2 + 64, true); /* warm up */
		cyc = feed(fp, n_flows, n, true) - base;
	}
	st = sl_fastpath_stats(fp);
	sl_fastpath_megaflow_stats(fp, &ms);
	printf("%-36s %-22s %8u %9.2f %9.1f   emc %5.1f%% (bypassed %5.1f%%) mf %5.1f%% "
	       "(port %5.1f%%) xlate %" PRIu64 " subtables %u (%.2f per lookup)\n", rs_names[rs],
	       what, n_flows, hz / cyc / 1e6, cyc,
	       100.0 * (double)st->emc_hits / (double)st->packets,
	       100.0 * (double)st->emc_bypassed / (double)st->packets,
	       100.0 * (double)st->megaflow_hits / (double)st->packets,
	       100.0 * (double)st->port_burst_hits / (double)st->packets, st->translations,
	       ms.n_subtables,
	       ms.lookups ? (double)ms.subtable_probes / (double)ms.lookups : 0.0);
	fflush(stdout);
	sl_fastpath_destroy(fp);
}

struct bench_case {
	const char *what;
	uint32_t n_flows, emc_inv_prob;
	bool new_flows;
};

static const struct bench_case cases[] = {
	{ "EMC hit", 1, 1, false },
	{ "EMC hit", 1000, 1, false },
	{ "megaflow hit (no EMC)", 10000, 0, false },
	{ "megaflow hit (no EMC)", 100000, 0, false },
	{ "megaflow hit (no EMC)", 1 << 20, 0, false },
	{ "miss + translate", 1 << 20, 0, true },
}, s3_cases[] = {
	/* PVP S3's two flow counts; the EMC as -E says (none by default) */
	{ "megaflow hit", 1000, 0, false },
	{ "megaflow hit", 65536, 0, false },
};

/* ------------------------------------------------ case 7: churn ---- */

#define CHURN_CASE 7
#define CHURN_FLOWS 1000

/* Add or delete (every other call) one rule no packet matches: nw_dst
 * 192.168.x.y, alternately in table 1 (ACL, priority 200) and table 2
 * (routes, /32 at priority 32). Each one bumps the tables version, as a
 * controller's flow-mods on unrelated destinations do (PVP S6). */
static void
churn_flow_mod(uint64_t i)
{
	struct sl_action out = { .type = OFPAT_OUTPUT, .output = { .port = 2 } };
	uint16_t ip = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	uint64_t r = i / 2;
	uint32_t dst = rte_cpu_to_be_32((192u << 24) | (168u << 16) | (uint32_t)(r & 0xffff));
	uint8_t table = (uint8_t)(1 + (r & 1));
	struct sl_flow_mod fm = fm_new(i & 1 ? OFPFC_DELETE_STRICT : OFPFC_ADD, table,
				       table == 1 ? 200 : 32);
	int rc;

	SET(&fm.match, OFPXMT_OFB_ETH_TYPE, ip);
	SET(&fm.match, OFPXMT_OFB_IPV4_DST, dst);
	if (fm.table_id == 1) {
		fm.ins.has_goto = true;
		fm.ins.goto_table = 2;
	} else {
		fm.ins.n_apply = 1;
		fm.ins.apply = &out;
	}
	rc = sl_pipeline_flow_mod(dp.pipeline, &fm, NULL);
	if (rc != 0) {
		fprintf(stderr, "churn flow-mod failed: 0x%x\n", rc);
		exit(1);
	}
}

/* 1k established flows through the 3-table set (default EMC), with a
 * flow-mod on an unrelated rule every @every bursts (0: none). The
 * flow-mods run on this thread; their cycles are not counted. Prints the
 * worker's cycles per packet and the translations it needed. */
static void
churn(unsigned int every, double base)
{
	struct sl_fastpath_config fc = { .max_megaflows = 1u << 16 };
	struct sl_fastpath *fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	struct rte_mbuf *pkts[SL_BURST];
	const struct sl_fastpath_stats *st;
	uint64_t n = run_packets, f = 0, mods = 0, t0, fm_cycles = 0, xl0;

	if (fp == NULL) {
		fprintf(stderr, "cannot create fast path\n");
		exit(1);
	}
	feed(fp, CHURN_FLOWS, CHURN_FLOWS * 4, true); /* warm up */
	st = sl_fastpath_stats(fp);
	xl0 = st->translations;
	t0 = thread_cycles();
	for (uint64_t b = 0; b * SL_BURST < n; b++) {
		if (every && b % every == every - 1) {
			uint64_t c = thread_cycles();

			churn_flow_mod(mods++);
			sl_pipeline_reclaim(dp.pipeline);
			fm_cycles += thread_cycles() - c;
		}
		if (rte_pktmbuf_alloc_bulk(dp.pools[0], pkts, SL_BURST) != 0) {
			fprintf(stderr, "mempool empty\n");
			exit(1);
		}
		for (unsigned int i = 0; i < SL_BURST; i++, f++)
			memcpy(rte_pktmbuf_append(pkts[i], PKT_LEN),
			       templates + (size_t)(f % CHURN_FLOWS) * PKT_LEN, PKT_LEN);
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, 0, pkts, SL_BURST);
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false); /* pushes due counts, as a worker */
	}
	printf("%-36s churn every %5u bursts %6u flows %9.1f cyc/pkt  %" PRIu64 " flow-mods, "
	       "%.3f translations/pkt\n", rs_names[RS_ACL_ROUTE], every, CHURN_FLOWS,
	       (double)(thread_cycles() - t0 - fm_cycles) / (double)n - base, mods,
	       (double)(st->translations - xl0) / (double)n);
	fflush(stdout);
	/* leave no churn rule behind for the next point */
	if (mods & 1)
		churn_flow_mod(mods++);
	sl_fastpath_destroy(fp);
}

/* ------------------------------------------------ case 6: mixed ---- */

#define MIXED_CASE 6
#define MIXED_ESTABLISHED 1000   /* established flows, all cached */
#define MIXED_BURSTS 4           /* rx bursts per iteration (4 queues) */

static struct sl_miss_channel *chan;
static struct sl_miss_handler *handler;
static atomic_bool handler_run;
static uint64_t handler_busy;    /* CPU time (at the TSC rate) in calls that translated */

/* The handler on lcore 1: an RCU reader of the workers' QSBR that reports
 * quiescence between bursts, as sl_miss_handle() requires. */
static int
handler_main(void *arg)
{
	unsigned int id = SL_QSBR_HANDLER_ID(&dp);

	(void)arg;
	rte_rcu_qsbr_thread_register(dp.qsbr, id);
	rte_rcu_qsbr_thread_online(dp.qsbr, id);
	handler_busy = 0;
	while (atomic_load(&handler_run)) {
		uint64_t t0 = thread_cycles();

		if (sl_miss_handle(handler, chan, SL_BURST))
			handler_busy += thread_cycles() - t0;
		rte_rcu_qsbr_quiescent(dp.qsbr, id);
	}
	rte_rcu_qsbr_thread_offline(dp.qsbr, id);
	rte_rcu_qsbr_thread_unregister(dp.qsbr, id);
	return 0;
}

/* Packet @k of the mixed stream: new_pct% are a flow never seen before
 * (unique destination MAC, source IP and port: a megaflow of its own in
 * rule sets that look at them), the rest cycle over the established flows. */
static void
mixed_packet(uint8_t *d, uint64_t k, uint64_t *n_new)
{
	bool is_new = (k * new_pct) % 100 < new_pct; /* spread evenly */

	if (!is_new) {
		memcpy(d, templates + (size_t)(k % MIXED_ESTABLISHED) * PKT_LEN, PKT_LEN);
		return;
	}
	uint64_t u = ++*n_new + MIXED_ESTABLISHED;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memcpy(d, templates + (size_t)(u % (1 << 20)) * PKT_LEN, PKT_LEN);
	d[2] = 0x10; /* no rule in the L2 set: a miss there too */
	d[3] = (uint8_t)(u >> 16);
	d[4] = (uint8_t)(u >> 8);
	d[5] = (uint8_t)u;
	ip->src_addr = rte_cpu_to_be_32((172u << 24) | (uint32_t)(u & 0xffffff));
	udp->src_port = rte_cpu_to_be_16((uint16_t)(u * 7));
}

/* One iteration of MIXED_BURSTS bursts of the mixed stream. */
/* Misses dropped (budget or handler ring), all ports. */
static uint64_t
miss_drops(const struct sl_fastpath *fp)
{
	return sl_fastpath_drops(fp, SL_DROP_MISS_BUDGET) + sl_fastpath_drops(fp, SL_DROP_MISS_HANDLER);
}

static void
mixed_iteration(struct sl_fastpath *fp, uint64_t *k, uint64_t *n_new)
{
	struct rte_mbuf *pkts[SL_BURST];

	if (fp)
		sl_fastpath_begin(fp, rte_rdtsc());
	for (unsigned int b = 0; b < MIXED_BURSTS; b++) {
		if (rte_pktmbuf_alloc_bulk(dp.pools[0], pkts, SL_BURST) != 0) {
			fprintf(stderr, "mempool empty\n");
			exit(1);
		}
		for (unsigned int i = 0; i < SL_BURST; i++)
			mixed_packet((uint8_t *)rte_pktmbuf_append(pkts[i], PKT_LEN), (*k)++, n_new);
		if (fp)
			sl_fastpath_process(fp, 0, pkts, SL_BURST);
		else
			rte_pktmbuf_free_bulk(pkts, SL_BURST);
	}
	if (fp) {
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false); /* pushes due counts, as a worker */
	}
}

/* Established flows interleaved with new ones, misses inline (budget 64 per
 * iteration) or on the handler (lcore 1). Prints the worker's cycles per
 * established packet (all its work, made packets subtracted, divided by the
 * established packets: what the flood costs the established traffic) and
 * the new flows set up per second of wall time. */
static void
mixed(enum ruleset rs, bool use_handler)
{
	struct sl_fastpath_config fc = { .miss_budget = 64, .emc_off = true,
					 .max_megaflows = mixed_max_megaflows };
	const struct sl_fastpath_stats *st;
	struct sl_fastpath *fp;
	uint64_t n = run_packets > 2000000 ? 2000000 : run_packets;
	uint64_t k = 0, n_new = 0, c0, w0, base, worker, wall, est, setup, drops0;
	double hz = (double)rte_get_tsc_hz();

	if (use_handler) {
		chan = dp.workers[0]->miss_channel; /* miss_handling = handler: the default */
		handler = handler ? handler : sl_miss_handler_create(&dp);
		if (chan == NULL || handler == NULL) {
			fprintf(stderr, "cannot create the miss channel\n");
			exit(1);
		}
		fc.miss_channel = chan;
		fc.no_spill = no_spill;
		memset(&handler->stats, 0, sizeof(handler->stats));
		atomic_store(&handler_run, true);
		if (rte_eal_remote_launch(handler_main, NULL, 1) != 0) {
			fprintf(stderr, "cannot launch the handler on lcore 1\n");
			exit(1);
		}
	}
	/* packet making alone, same stream */
	c0 = thread_cycles();
	for (uint64_t d = 0; d < n; d += SL_BURST * MIXED_BURSTS)
		mixed_iteration(NULL, &k, &n_new);
	base = thread_cycles() - c0;
	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	if (fp == NULL) {
		fprintf(stderr, "cannot create fast path\n");
		exit(1);
	}
	{ /* warm up: the established flows only */
		unsigned int saved = new_pct;

		new_pct = 0;
		for (k = 0; k < 3 * MIXED_ESTABLISHED;)
			mixed_iteration(fp, &k, &n_new);
		new_pct = saved;
	}
	while (use_handler && sl_miss_in_flight(chan)) {
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_worker_flush_all(dp.workers[0]);
	}
	st = sl_fastpath_stats(fp);
	setup = use_handler ? st->handler_returns + st->handler_spills : st->translations;
	drops0 = miss_drops(fp); /* warm-up's */
	k = 0;
	n_new = 0;
	c0 = thread_cycles();
	w0 = rte_rdtsc();
	for (uint64_t d = 0; d < n; d += SL_BURST * MIXED_BURSTS)
		mixed_iteration(fp, &k, &n_new);
	worker = thread_cycles() - c0;
	wall = rte_rdtsc() - w0;
	/* new flows set up: translated inline and installed, or run after the
	 * handler translated them (stale ones are translated inline: counted once),
	 * or spilled (translated by the worker while the handler was behind) */
	setup = (use_handler ? st->handler_returns + st->handler_spills : st->translations) - setup;
	est = k - n_new;
	printf("%-36s %-8s new %3u%% worker %7.1f cyc/established pkt (%6.1f cyc/pkt)  "
	       "%6.3f M new flows/s set up of %6.3f M/s offered; %s drops %" PRIu64 "%s",
	       rs_names[rs], use_handler ? "handler" : "inline", new_pct,
	       (double)(worker - base) / (double)est, (double)(worker - base) / (double)k,
	       (double)setup / ((double)wall / hz) / 1e6, (double)n_new / ((double)wall / hz) / 1e6,
	       use_handler ? "handler" : "budget", miss_drops(fp) - drops0,
	       use_handler ? "" : "\n");
	if (use_handler) {
		atomic_store(&handler_run, false);
		rte_eal_wait_lcore(1);
		printf("; handler %.0f cyc/translation (its CPU time)\n",
		       (double)handler_busy / (double)(handler->stats.translations ?
						       handler->stats.translations : 1));
		while (sl_miss_in_flight(chan)) { /* give the records back */
			sl_miss_handle(handler, chan, SL_MISS_RECORDS);
			sl_fastpath_begin(fp, rte_rdtsc());
			sl_worker_flush_all(dp.workers[0]);
		}
	}
	fflush(stdout);
	sl_fastpath_destroy(fp);
}

/* Case 7's points: no churn, then a flow-mod every 1024 .. 16 bursts. */
static const unsigned int churn_every[] = { 0, 1024, 256, 64, 16 };

int
main(int argc, char **argv)
{
	char *defaults[] = { argv[0], "-l", "0,1", "--no-huge", "-m", "3072", "--no-pci",
			     "--no-shconf", "--file-prefix=sl-bench", "--log-level=warning", NULL };
	static char cfgtext[1024];
	static const char cfgfmt[] =
		"[switch]\nmain_lcore = 0\nworkers = 1\nmbufs_per_socket = 65536\n%s"
		"[openflow]\nlisten = none\n"
		"[port:in]\ntype = dpdk\ndevargs = net_null_bin0\nofport = 1\n"
		"[port:out]\ntype = dpdk\ndevargs = net_null_bout0\nofport = 2\n";
	char err[512];
	bool quick = false;
	int only_rs = -1, only_case = -1;
	int eal_argc = 10;
	char **eal_argv = defaults;
	double base;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0)
			quick = true;
		if (strcmp(argv[i], "-B") == 0)
			no_port_burst = true;
		if (strcmp(argv[i], "-G") == 0)
			emc_ungated = true;
		if (strcmp(argv[i], "-S") == 0)
			no_spill = true;
		if (strcmp(argv[i], "-E") == 0 && i + 1 < argc)
			mf_emc_inv_prob = (uint32_t)atoi(argv[++i]);
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			only_rs = atoi(argv[++i]);
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			only_case = atoi(argv[++i]);
		if (strcmp(argv[i], "-M") == 0 && i + 1 < argc)
			mixed_max_megaflows = (uint32_t)strtoul(argv[++i], NULL, 0);
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
			new_pct = (unsigned int)atoi(argv[++i]) % 101;
		if (strcmp(argv[i], "-b") == 0 && i + 1 < argc) {
			feed_burst = (unsigned int)atoi(argv[++i]);
			if (feed_burst < 1 || feed_burst > SL_BURST)
				feed_burst = SL_BURST;
		}
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			run_packets = strtoull(argv[++i], NULL, 0);
		if (strcmp(argv[i], "--") == 0) {
			eal_argc = argc - i;
			eal_argv = argv + i;
			eal_argv[0] = argv[0];
			break;
		}
	}
	if (quick && run_packets > 1000000)
		run_packets = 1000000;
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	/* Case 6 wants every new flow to be a megaflow of its own in the ACL
	 * set too: without prefix tracking, masks are exact on IP addresses. */
	snprintf(cfgtext, sizeof(cfgtext), cfgfmt,
		 only_case == MIXED_CASE ? "prefix_tracking = no\n" : "");
	if (sl_config_load_string(&cfg, cfgtext, "<bench>", err, sizeof(err)) < 0 ||
	    sl_datapath_init(&dp, &cfg) < 0 || sl_tables_init(&dp, NULL, NULL) < 0) {
		fprintf(stderr, "setup failed: %s\n", err);
		return 1;
	}
	for (unsigned int p = 0; p < dp.n_ports; p++)
		if (dp.ports[p] == NULL || dp.ports[p]->ops->start(dp.ports[p]) != 0) {
			fprintf(stderr, "port %u failed\n", p);
			return 1;
		}
	printf("bench_datapath: %.2f GHz TSC, 64-byte UDP, one core, %" PRIu64 " packets per point\n"
	       "(cycles = this thread's CPU time x TSC rate: time lost to other processes is not counted)\n",
	       (double)rte_get_tsc_hz() / 1e9, run_packets);
	make_templates(RS_PORT, 1 << 20);
	base = feed(NULL, 1 << 20, run_packets, false);
	printf("packet making (alloc + 64 B copy + free): %.1f cycles/pkt, subtracted below\n\n", base);
	printf("%-36s %-22s %8s %9s %9s\n", "rule set", "case", "flows", "Mpps", "cyc/pkt");
	for (int rs = RS_PORT; rs <= RS_PVP_S3; rs++) {
		bool s3 = rs == RS_PVP_S3;

		if (only_rs >= 0 && rs != only_rs)
			continue;
		make_templates((enum ruleset)rs, 1 << 20);
		/* This thread is both the reader (worker) and the writer: it must
		 * be offline while the writer waits for grace periods. */
		rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
		install_rules((enum ruleset)rs);
		rte_rcu_qsbr_thread_online(dp.qsbr, 0);
		for (int c = 0; c < (int)(s3 ? RTE_DIM(s3_cases) : RTE_DIM(cases)); c++) {
			const struct bench_case *k = s3 ? &s3_cases[c] : &cases[c];

			if (only_case < 0 || only_case == c)
				measure((enum ruleset)rs, k->what, k->n_flows,
					k->emc_inv_prob ? k->emc_inv_prob : mf_emc_inv_prob,
					k->new_flows, base);
		}
		if (only_case == MIXED_CASE && !s3) {
			mixed((enum ruleset)rs, false);
			mixed((enum ruleset)rs, true);
		}
		if (only_case == CHURN_CASE && rs == RS_ACL_ROUTE)
			for (unsigned int e = 0; e < RTE_DIM(churn_every); e++)
				churn(churn_every[e], base);
		rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
		clear_rules();
	}
	return 0;
}
