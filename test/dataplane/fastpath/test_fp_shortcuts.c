/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fast path's two shortcuts, each taken only when it may be (or pays),
 * and neither changing anything but cycles:
 *
 * Whole-burst classification by in port (fastpath.c, burst_by_port): while
 * every cached megaflow mask stops at the in port, a burst is classified by
 * one lookup without parsing. The tests check that it is used exactly when it
 * may be: the packets go where translation sends them, counters stay exact, a
 * rule that looks deeper takes over at the next version, and actions that
 * need the executor still run through the per-packet path.
 *
 * The EMC gate (fastpath_gate.c): the EMC is consulted only
 * while it saves more than it costs. With a hit ratio of zero it cannot pay
 * and is bypassed (sampled one burst in 64, then ever more rarely); when
 * every packet hits, the sample bursts that leave it out time the megaflow
 * cache, and the cheaper of the two wins (the test cannot know which: it
 * checks that both were sampled); forwarding and counters are the same
 * either way.
 *
 * Lazy crediting (fastpath_stats.c): a cache hit counts on its entry, and
 * the entry's counts reach its rules later; a rule removed while the worker
 * owes it counts gets them before the worker reports quiescent, so before
 * its counter slot can go to another rule.
 *
 * Runs without hugepages (EAL --no-huge); the ports are net_null devices
 * whose tx callbacks record what the worker transmits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "test_flow_mod.h"

#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_tables.h"
#include "sl_fastpath.h"
#include "sl_match.h"
#include "sl_pipeline.h"
#include "sl_worker_tx.h"
#include "fp_testbed.h"

#define N_PORTS 3
#define ROUNDS 6

static struct sl_datapath dp;
static struct sl_config cfg;
/* Per OpenFlow port: packets and bytes sent, packets per IPv4 destination
 * host (last byte). */
static uint64_t sent[N_PORTS + 1], sent_bytes[N_PORTS + 1];
static uint64_t to_host[N_PORTS + 1][4];

static uint16_t
tx_record(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	unsigned int port = (unsigned int)(uintptr_t)arg;

	(void)port_id; (void)queue;
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *p = rte_pktmbuf_mtod(pkts[i], const uint8_t *);

		sent[port]++;
		sent_bytes[port] += rte_pktmbuf_pkt_len(pkts[i]);
		to_host[port][p[33] & 3]++;
	}
	return n;
}

static void
reset_tx(void)
{
	memset(sent, 0, sizeof(sent));
	memset(sent_bytes, 0, sizeof(sent_bytes));
	memset(to_host, 0, sizeof(to_host));
}

/* IPv4/UDP, TTL 64, to 10.0.0.<host>, source port @sport; @extra bytes of
 * padding after the 64-byte frame so that lengths differ. */
static struct rte_mbuf *
udp_packet(uint8_t host, uint16_t sport, unsigned int extra)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 50, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 9, 10, 0, 0, 1,
		0x30, 0x39, 0, 53, 0, 30, 0, 0,
	};
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(64 + extra)) : NULL;

	if (p == NULL) {
		fprintf(stderr, "mempool empty\n");
		abort();
	}
	memset(p, 0, 64 + extra);
	memcpy(p, hdr, sizeof(hdr));
	p[33] = host;
	p[34] = (uint8_t)(sport >> 8);
	p[35] = (uint8_t)sport;
	return m;
}

static void
flow_mod(uint16_t command, uint16_t prio, struct sl_match *m, struct sl_action *a,
	 unsigned int n_acts)
{
	struct sl_flow_mod fm = fm_new((uint8_t)command, 0, prio);

	fm.match = *m;
	fm.ins.apply = a;
	fm.ins.n_apply = n_acts;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
	/* The barrier: every worker has left the iteration it was in. This
	 * thread is the worker too: offline while it waits for itself. */
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	sl_pipeline_synchronize(dp.pipeline);
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
}

static void
add_in_port_rule(uint32_t in_port, struct sl_action *a, unsigned int n_acts)
{
	struct sl_match m;
	uint32_t p = rte_cpu_to_be_32(in_port);

	sl_match_init_catchall(&m);
	sl_match_set_oxm(&m, OFPXMT_OFB_IN_PORT, &p, NULL, 4);
	flow_mod(OFPFC_ADD, 10, &m, a, n_acts);
}

static void
delete_all(void)
{
	struct sl_match m;

	sl_match_init_catchall(&m);
	flow_mod(OFPFC_DELETE, 0, &m, NULL, 0);
}

/* Every rule's packets and bytes, summed over table 0. */
static void
table0_rule_counts(uint64_t *packets, uint64_t *bytes)
{
	*packets = *bytes = 0;
	for (struct sl_cls_rule *c = sl_cls_first((struct sl_classifier *)
						  sl_pipeline_table_cls(dp.pipeline, 0));
	     c; c = c->all_next) {
		struct sl_rule_counts rc;

		sl_rule_get_counts((struct sl_rule *)c, &rc);
		*packets += rc.packets;
		*bytes += rc.bytes;
	}
}

/* ROUNDS bursts on each of ports 1 and 2, packets to hosts 1 and 2 in turn,
 * lengths 64..68. Returns the bytes sent; *n the packets. */
static uint64_t
run_bursts(struct sl_fastpath *fp, uint64_t *n)
{
	struct rte_mbuf *burst[SL_BURST];
	uint64_t bytes = 0;

	*n = 0;
	for (unsigned int round = 0; round < ROUNDS; round++) {
		for (uint16_t in_idx = 0; in_idx < 2; in_idx++) {
			for (unsigned int i = 0; i < SL_BURST; i++) {
				burst[i] = udp_packet((uint8_t)(1 + i % 2), (uint16_t)(round * 64 + i),
						      i % 5);
				bytes += rte_pktmbuf_pkt_len(burst[i]);
			}
			sl_fastpath_begin(fp, rte_rdtsc());
			sl_fastpath_process(fp, in_idx, burst, SL_BURST);
			sl_worker_flush_all(dp.workers[0]);
			sl_fastpath_end(fp, false);
			*n += SL_BURST;
		}
	}
	fp_testbed_idle(fp);
	return bytes;
}

static struct sl_fastpath *
make_fp(void)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1 };
	struct sl_fastpath *fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	return fp;
}

/* in_port=1 -> 2, in_port=2 -> 1: after one translation per port, every
 * burst is classified by its port; packets and counters as without it. */
static void
test_port_rules(void)
{
	struct sl_action to2 = { .type = OFPAT_OUTPUT, .output = { .port = 2 } };
	struct sl_action to1 = { .type = OFPAT_OUTPUT, .output = { .port = 1 } };
	struct sl_fastpath *fp;
	uint64_t n, bytes, rp, rb, lookups, matched;

	add_in_port_rule(1, &to2, 1);
	add_in_port_rule(2, &to1, 1);
	reset_tx();
	fp = make_fp();
	bytes = run_bursts(fp, &n);
	const struct sl_fastpath_stats *st = sl_fastpath_stats(fp);

	CU_ASSERT_EQUAL(sent[2], n / 2);
	CU_ASSERT_EQUAL(sent[1], n / 2);
	CU_ASSERT_EQUAL(sent[3], 0);
	CU_ASSERT_EQUAL(sent_bytes[1] + sent_bytes[2], bytes);
	CU_ASSERT_EQUAL(st->translations, 2);
	/* all but the first burst of each port */
	CU_ASSERT_EQUAL(st->port_burst_hits, n - 2 * SL_BURST);
	CU_ASSERT_EQUAL(st->packets, n);
	table0_rule_counts(&rp, &rb);
	CU_ASSERT_EQUAL(rp, n);
	CU_ASSERT_EQUAL(rb, bytes);
	sl_pipeline_table_stats(dp.pipeline, 0, &lookups, &matched);
	CU_ASSERT_EQUAL(lookups, n);
	CU_ASSERT_EQUAL(matched, n);
	printf("(%llu of %llu packets by port) ", (unsigned long long)st->port_burst_hits,
	       (unsigned long long)n);
	sl_fastpath_destroy(fp);
	delete_all();
}

/* A rule on nw_dst above the port rule: from the next version on, the
 * packets to host 2 take it, and bursts are classified packet by packet. */
static void
test_deeper_rule_takes_over(void)
{
	struct sl_action to1 = { .type = OFPAT_OUTPUT, .output = { .port = 1 } };
	struct sl_action to2 = { .type = OFPAT_OUTPUT, .output = { .port = 2 } };
	struct sl_action to3 = { .type = OFPAT_OUTPUT, .output = { .port = 3 } };
	struct sl_fastpath *fp;
	struct sl_match m;
	uint64_t n, port_hits, bytes, rp, rb;
	uint32_t in1 = rte_cpu_to_be_32(1), dst = rte_cpu_to_be_32(0x0a000002);
	uint16_t ip = rte_cpu_to_be_16(0x0800);

	add_in_port_rule(1, &to2, 1);
	add_in_port_rule(2, &to1, 1);
	fp = make_fp();
	reset_tx();
	run_bursts(fp, &n);
	port_hits = sl_fastpath_stats(fp)->port_burst_hits;
	CU_ASSERT(port_hits > 0);
	CU_ASSERT_EQUAL(sent[2], n / 2);
	CU_ASSERT_EQUAL(sent[1], n / 2);

	sl_match_init_catchall(&m);
	sl_match_set_oxm(&m, OFPXMT_OFB_IN_PORT, &in1, NULL, 4);
	sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, &ip, NULL, 2);
	sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &dst, NULL, 4);
	flow_mod(OFPFC_ADD, 20, &m, &to3, 1);
	reset_tx();
	bytes = run_bursts(fp, &n);
	/* from port 1: host 2 -> port 3, host 1 -> port 2; from port 2: all to 1 */
	CU_ASSERT_EQUAL(sent[3], n / 4);
	CU_ASSERT_EQUAL(to_host[3][2], n / 4);
	CU_ASSERT_EQUAL(sent[2], n / 4);
	CU_ASSERT_EQUAL(to_host[2][1], n / 4);
	CU_ASSERT_EQUAL(sent[1], n / 2);
	CU_ASSERT_EQUAL(sl_fastpath_stats(fp)->port_burst_hits, port_hits);
	table0_rule_counts(&rp, &rb);
	CU_ASSERT_EQUAL(rp, 2 * n);
	CU_ASSERT(rb > bytes);
	sl_fastpath_destroy(fp);
	delete_all();
}

/* Two outputs need the executor: such an entry is never run by port, even
 * with a mask that stops at the in port. A drop is run by port. */
static void
test_exec_and_drop(void)
{
	struct sl_action two_outs[] = {
		{ .type = OFPAT_OUTPUT, .output = { .port = 2 } },
		{ .type = OFPAT_OUTPUT, .output = { .port = 3 } },
	};
	struct sl_fastpath *fp;
	uint64_t n, rp, rb, bytes;

	add_in_port_rule(1, two_outs, 2);
	add_in_port_rule(2, NULL, 0); /* drop */
	fp = make_fp();
	reset_tx();
	bytes = run_bursts(fp, &n);
	const struct sl_fastpath_stats *st = sl_fastpath_stats(fp);

	CU_ASSERT_EQUAL(sent[2], n / 2);
	CU_ASSERT_EQUAL(sent[3], n / 2);
	CU_ASSERT_EQUAL(sent_bytes[2], sent_bytes[3]);
	CU_ASSERT_EQUAL(sent[1], 0);
	CU_ASSERT_EQUAL(st->translations, 2);
	/* only port 2's drops, after its first burst */
	CU_ASSERT_EQUAL(st->port_burst_hits, n / 2 - SL_BURST);
	table0_rule_counts(&rp, &rb);
	CU_ASSERT_EQUAL(rp, n);
	CU_ASSERT_EQUAL(rb, bytes);
	sl_fastpath_destroy(fp);
	delete_all();
}

/* The switch off: same packets and counters, nothing classified by port. */
static void
test_switched_off(void)
{
	struct sl_action to2 = { .type = OFPAT_OUTPUT, .output = { .port = 2 } };
	struct sl_action to3 = { .type = OFPAT_OUTPUT, .output = { .port = 3 } };
	struct sl_fastpath_config fc = { .emc_inv_prob = 1, .port_burst_off = true };
	struct sl_fastpath *fp;
	uint64_t n, rp, rb, bytes;

	add_in_port_rule(1, &to2, 1);
	add_in_port_rule(2, &to3, 1);
	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	reset_tx();
	bytes = run_bursts(fp, &n);
	CU_ASSERT_EQUAL(sent[2], n / 2);
	CU_ASSERT_EQUAL(sent[3], n / 2);
	CU_ASSERT_EQUAL(sent_bytes[2] + sent_bytes[3], bytes);
	CU_ASSERT_EQUAL(sl_fastpath_stats(fp)->port_burst_hits, 0);
	table0_rule_counts(&rp, &rb);
	CU_ASSERT_EQUAL(rp, n);
	CU_ASSERT_EQUAL(rb, bytes);
	sl_fastpath_destroy(fp);
	delete_all();
}

/* 64-slot EMC, every packet a new 5-tuple (one megaflow: the rule looks at
 * nw_dst only): nothing ever hits the EMC, so it cannot pay and the gate
 * bypasses it after its first window, sampling it one burst in 64 in the
 * second window, 128 in the third, and so on down to one a window (with 1
 * in 64 throughout, windows 2-8 would consult it on 112 bursts; with the
 * halving, 34). One flow: everything the EMC is asked
 * hits, and whether it stays on is a matter of the measured cycles; but
 * both ways were timed: the EMC on every 16th burst from the first (every
 * 64th while bypassed), the megaflow cache alone on every 16th from the
 * 9th. */
static void
test_emc_gate(void)
{
	struct sl_action to3 = { .type = OFPAT_OUTPUT, .output = { .port = 3 } };
	struct sl_fastpath_config fc = { .emc_inv_prob = 1, .emc_entries = 64 };
	struct rte_mbuf *burst[SL_BURST];
	struct sl_fastpath *fp;
	struct sl_match m;
	uint32_t in1 = rte_cpu_to_be_32(1), net = rte_cpu_to_be_32(0x0a000000),
		 mask = rte_cpu_to_be_32(0xff000000);
	uint16_t ip = rte_cpu_to_be_16(0x0800);
	uint64_t n = 0, bytes = 0, total = 0, rp, rb, bypassed;
	unsigned int bursts;

	sl_match_init_catchall(&m);
	sl_match_set_oxm(&m, OFPXMT_OFB_IN_PORT, &in1, NULL, 4);
	sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, &ip, NULL, 2);
	sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &net, &mask, 4);
	flow_mod(OFPFC_ADD, 10, &m, &to3, 1);
	for (int many = 1; many >= 0; many--) {
		fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		reset_tx();
		n = bytes = 0;
		bursts = many ? 8192 : 4096; /* 8 or 4 gate windows */
		for (unsigned int k = 0; k < bursts; k++) {
			for (unsigned int i = 0; i < SL_BURST; i++) {
				burst[i] = udp_packet(1, many ? (uint16_t)(k * SL_BURST + i) : 7, i % 3);
				bytes += rte_pktmbuf_pkt_len(burst[i]);
			}
			sl_fastpath_begin(fp, rte_rdtsc());
			sl_fastpath_process(fp, 0, burst, SL_BURST);
			sl_worker_flush_all(dp.workers[0]);
			sl_fastpath_end(fp, false);
			n += SL_BURST;
		}
		fp_testbed_idle(fp);
		const struct sl_fastpath_stats *st = sl_fastpath_stats(fp);

		bypassed = st->emc_bypassed;
		CU_ASSERT_EQUAL(sent[3], n);
		CU_ASSERT_EQUAL(sent_bytes[3], bytes);
		CU_ASSERT_EQUAL(st->translations, 1);
		/* the first burst missed (one translation, the rest found it in pass 3) */
		CU_ASSERT_EQUAL(st->emc_hits + st->megaflow_hits, n - SL_BURST);
		if (many) {
			/* the first window consults the EMC on all but its
			 * megaflow-only samples, the later ones on fewer than
			 * one burst in 128 */
			CU_ASSERT(n - bypassed <=
				  (uint64_t)(1024 - 1024 / 16 + (bursts - 1024) / 128) * SL_BURST);
			CU_ASSERT(st->emc_hits < n / 100);
		} else {
			/* the EMC samples after the first burst hit it */
			CU_ASSERT(st->emc_hits >= (uint64_t)(bursts / 64 - 1) * SL_BURST);
			/* the megaflow-only samples */
			CU_ASSERT(bypassed >= (uint64_t)(bursts / 16) * SL_BURST);
			CU_ASSERT(st->megaflow_hits >= (uint64_t)(bursts / 16) * SL_BURST);
		}
		total += n;
		printf("(%s: %llu emc hits, %llu megaflow hits, %llu bypassed) ",
		       many ? "new flows" : "one flow", (unsigned long long)st->emc_hits,
		       (unsigned long long)st->megaflow_hits, (unsigned long long)bypassed);
		sl_fastpath_destroy(fp);
	}
	table0_rule_counts(&rp, &rb);
	CU_ASSERT_EQUAL(rp, total);
	delete_all();
}

/* Hits owed to a rule the control side removes reach it at the worker's
 * next iteration end (a grace period began), and its slot's next rule starts
 * from zero. */
static void
test_lazy_push_on_removal(void)
{
	struct sl_action to2 = { .type = OFPAT_OUTPUT, .output = { .port = 2 } };
	struct sl_action to3 = { .type = OFPAT_OUTPUT, .output = { .port = 3 } };
	struct rte_mbuf *burst[SL_BURST];
	struct sl_rule_counts c;
	struct sl_flow_mod fm;
	struct sl_fastpath *fp;
	struct sl_rule *r;
	uint64_t bytes = 0, tsc = rte_rdtsc(); /* the clock stands still: no periodic push */
	uint32_t in1 = rte_cpu_to_be_32(1);

	add_in_port_rule(1, &to2, 1);
	r = (struct sl_rule *)sl_cls_first((struct sl_classifier *)
					   sl_pipeline_table_cls(dp.pipeline, 0));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	fp = make_fp();
	reset_tx();
	for (unsigned int k = 0; k < 4; k++) {
		for (unsigned int i = 0; i < SL_BURST; i++) {
			burst[i] = udp_packet(1, (uint16_t)(k * SL_BURST + i), i % 3);
			bytes += rte_pktmbuf_pkt_len(burst[i]);
		}
		sl_fastpath_begin(fp, tsc);
		sl_fastpath_process(fp, 0, burst, SL_BURST);
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false);
	}
	CU_ASSERT_EQUAL(sent[2], 4 * SL_BURST);
	sl_rule_get_counts(r, &c);
	CU_ASSERT(c.packets < 4 * SL_BURST); /* the entry holds the rest */

	/* removed by the control side while this worker is online */
	fm = fm_new(OFPFC_DELETE_STRICT, 0, 10);
	sl_match_set_oxm(&fm.match, OFPXMT_OFB_IN_PORT, &in1, NULL, 4);
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
	CU_ASSERT_PTR_NULL(sl_cls_first((struct sl_classifier *)
					sl_pipeline_table_cls(dp.pipeline, 0)));
	sl_fastpath_end(fp, false); /* no packet, yet the push is due */
	sl_rule_get_counts(r, &c);         /* unlinked, not yet freed */
	CU_ASSERT_EQUAL(c.packets, 4 * SL_BURST);
	CU_ASSERT_EQUAL(c.bytes, bytes);

	/* the slot goes to the next rule: it counts its own packets only */
	add_in_port_rule(1, &to3, 1);
	for (unsigned int i = 0; i < SL_BURST; i++)
		burst[i] = udp_packet(1, (uint16_t)i, 0);
	sl_fastpath_begin(fp, tsc);
	sl_fastpath_process(fp, 0, burst, SL_BURST);
	sl_worker_flush_all(dp.workers[0]);
	fp_testbed_idle(fp);
	CU_ASSERT_EQUAL(sent[3], SL_BURST);
	r = (struct sl_rule *)sl_cls_first((struct sl_classifier *)
					   sl_pipeline_table_cls(dp.pipeline, 0));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	sl_rule_get_counts(r, &c);
	CU_ASSERT_EQUAL(c.packets, SL_BURST);
	sl_fastpath_destroy(fp);
	delete_all();
}

static int
setup(void)
{
	if (fp_testbed_init(&dp, &cfg, "pb", N_PORTS, "", NULL, tx_record) < 0)
		return -1;
	/* this thread plays the worker: reader 0 of the datapath's QSBR */
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	return 0;
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "port rules: bursts by port, exact counters", test_port_rules },
		{ "a deeper rule takes over at the next version", test_deeper_rule_takes_over },
		{ "executor entries run per packet; drops by port", test_exec_and_drop },
		{ "switched off: same result", test_switched_off },
		{ "EMC gate: bypassed when it cannot pay, both caches timed when all hit", test_emc_gate },
		{ "lazy crediting: a removed rule gets what it is owed", test_lazy_push_on_removal },
	};

	if (setup() < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	return cunit_run_suite("fast-path shortcuts", tests, CUNIT_N_TESTS(tests));
}
