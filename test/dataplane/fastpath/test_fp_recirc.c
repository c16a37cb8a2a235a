/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Recirculation through the real worker fast path: MPLS packets whose inner
 * IPv4 destination decides the output port (table 0: mpls -> pop_mpls, goto 1;
 * table 1: nw_dst -> output). The first burst is translated (both passes),
 * later bursts come from the megaflow cache; the packets leave on the port of
 * their inner nw_dst, without the label; rules are counted once per packet.
 *
 * Runs without hugepages (EAL --no-huge); output ports are net_null devices
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
#include "sl_xlate.h"
#include "fp_testbed.h"

#define N_PORTS 3

static struct sl_datapath dp;
static struct sl_config cfg;
/* Per OpenFlow port: packets seen, and how many were plain IPv4 to the right host. */
static unsigned int sent[N_PORTS + 1], good[N_PORTS + 1];

static uint16_t
tx_count(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	unsigned int port = (unsigned int)(uintptr_t)arg;

	(void)port_id; (void)queue;
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *p = rte_pktmbuf_mtod(pkts[i], const uint8_t *);

		sent[port]++;
		/* ethertype IPv4 (label gone), 46 bytes, host .1 on port 2, .2 on port 3 */
		if (rte_pktmbuf_pkt_len(pkts[i]) == 46 && p[12] == 0x08 && p[13] == 0x00 &&
		    p[33] == port - 1)
			good[port]++;
	}
	return n;
}

/* MPLS label 100 (BoS) around IPv4/UDP to 10.0.0.<d>. */
static struct rte_mbuf *
mpls_packet(uint8_t d)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0x47, 0x00, 0x06, 0x41, 0x40,
		0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 9, 10, 0, 0, 0,
		0x30, 0x39, 0, 53, 0, 8, 0, 0, 0, 0, 0, 0,
	};
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, sizeof(hdr)) : NULL;

	if (p == NULL) {
		fprintf(stderr, "mempool empty\n");
		abort();
	}
	memcpy(p, hdr, sizeof(hdr));
	p[18 + 19] = d;
	return m;
}

static struct sl_rule *
add_rule(uint8_t table, uint16_t prio, struct sl_match *m, struct sl_action *a, int goto_table)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, table, prio);

	fm.match = *m;
	fm.ins.apply = a;
	fm.ins.n_apply = 1;
	if (goto_table >= 0) {
		fm.ins.has_goto = true;
		fm.ins.goto_table = (uint8_t)goto_table;
	}
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
	return (struct sl_rule *)sl_cls_first((struct sl_classifier *)
					      sl_pipeline_table_cls(dp.pipeline, table));
}

static uint64_t
rule_packets(const struct sl_rule *r)
{
	struct sl_rule_counts c;

	sl_rule_get_counts(r, &c);
	return c.packets;
}

static void
test_mpls_routed_by_inner_dst(void)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1 };
	struct sl_match m;
	uint16_t et = rte_cpu_to_be_16(0x8847), et4 = rte_cpu_to_be_16(0x0800);
	struct sl_action pop = { .type = OFPAT_POP_MPLS, .ethertype = 0x0800 };
	struct sl_action o2 = { .type = OFPAT_OUTPUT, .output = { .port = 2 } };
	struct sl_action o3 = { .type = OFPAT_OUTPUT, .output = { .port = 3 } };
	struct sl_rule *r0, *r1, *r2;
	struct rte_mbuf *burst[SL_BURST];
	struct sl_fastpath *fp;
	uint32_t ip;

	sl_match_init_catchall(&m);
	sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, &et, NULL, 2);
	r0 = add_rule(0, 10, &m, &pop, 1);
	sl_match_init_catchall(&m);
	sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, &et4, NULL, 2);
	ip = rte_cpu_to_be_32(0x0a000001);
	sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &ip, NULL, 4);
	r1 = add_rule(1, 10, &m, &o2, -1);
	sl_match_init_catchall(&m);
	sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, &et4, NULL, 2);
	ip = rte_cpu_to_be_32(0x0a000002);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &ip, NULL, 4), 0);
	add_rule(1, 10, &m, &o3, -1);
	r2 = NULL;
	for (struct sl_cls_rule *c = sl_cls_first((struct sl_classifier *)
						  sl_pipeline_table_cls(dp.pipeline, 1));
	     c; c = c->all_next)
		if ((struct sl_rule *)c != r1)
			r2 = (struct sl_rule *)c;
	CU_ASSERT_PTR_NOT_NULL_FATAL(r2);
	sl_pipeline_synchronize(dp.pipeline);

	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	for (unsigned int round = 0; round < 4; round++) {
		for (unsigned int i = 0; i < SL_BURST; i++)
			burst[i] = mpls_packet((uint8_t)(1 + i % 2));
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, 0, burst, SL_BURST);
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false);
	}
	fp_testbed_idle(fp);
	const struct sl_fastpath_stats *st = sl_fastpath_stats(fp);
	unsigned int n = 4 * SL_BURST;

	CU_ASSERT_EQUAL(sent[2], n / 2);
	CU_ASSERT_EQUAL(good[2], n / 2);
	CU_ASSERT_EQUAL(sent[3], n / 2);
	CU_ASSERT_EQUAL(good[3], n / 2);
	CU_ASSERT_EQUAL(sent[1], 0);
	CU_ASSERT_EQUAL(st->recirculations, n);
	CU_ASSERT_EQUAL(sl_fastpath_drops(fp, SL_DROP_RECIRC_DEPTH), 0);
	/* one first-pass megaflow + one per inner destination: 3 translations,
	 * everything after them came from the cache */
	CU_ASSERT_EQUAL(st->translations, 3);
	CU_ASSERT_EQUAL(sl_pipeline_n_recirc(dp.pipeline), 1);
	/* each rule once per packet, across both passes and the caches */
	CU_ASSERT_EQUAL(rule_packets(r0), n);
	CU_ASSERT_EQUAL(rule_packets(r1), n / 2);
	CU_ASSERT_EQUAL(rule_packets(r2), n / 2);
	{
		uint64_t lk, mt;

		sl_pipeline_table_stats(dp.pipeline, 1, &lk, &mt);
		CU_ASSERT_EQUAL(lk, n);
		CU_ASSERT_EQUAL(mt, n);
	}
	printf("(%llu recirculations, %llu translations) ",
	       (unsigned long long)st->recirculations, (unsigned long long)st->translations);
	sl_fastpath_destroy(fp);
}

static int
setup(void)
{
	return fp_testbed_init(&dp, &cfg, "rc", N_PORTS, "", NULL, tx_count);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "popped MPLS routed by inner nw_dst", test_mpls_routed_by_inner_dst },
	};

	if (setup() < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	return cunit_run_suite("fast path recirculation", tests, CUNIT_N_TESTS(tests));
}
