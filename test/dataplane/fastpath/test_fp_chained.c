/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Chained (multi-segment) packets through the fast path's sharing outputs:
 * FLOOD, ALL and a group of type ALL, each sending one packet to several
 * ports without a copy. Every port must transmit the whole packet, byte for
 * byte, and once they all freed it the mempool must hold exactly what it
 * held before.
 *
 * Before the hardening fix, FLOOD and ALL raised the reference count of the
 * first segment only: the first port to free the packet returned its later
 * segments to the pool while the other ports still sent them (a
 * use-after-free that leaks one VM's data into another's packets), and the
 * last free returned them a second time (the pool then "holds" more mbufs
 * than it has).
 *
 * Runs without hugepages; the ports are net_null devices whose tx callbacks
 * check what is transmitted (net_null then frees it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "cunit_main.h"
#include "fp_testbed.h"
#include "sl_match.h"
#include "sl_worker_tx.h"

#define N_PORTS 3
#define N_SEGS 3
#define SEG_LEN 600
#define N_PKTS 16
#define GROUP_ID 7
#define SEQ_OFF 42     /* after Ethernet, IPv4 and UDP headers */
#define PAYLOAD_OFF 46

static struct sl_datapath dp;
static struct sl_config cfg;
static uint64_t sent[N_PORTS + 1];
static uint64_t damaged;

/* Byte @i of packet @seq after its IPv4/UDP header and sequence number. */
static inline uint8_t
payload_byte(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 31 + i);
}

static uint16_t
tx_check(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	unsigned int port = (unsigned int)(uintptr_t)arg;

	(void)port_id; (void)queue;
	for (uint16_t k = 0; k < n; k++) {
		struct rte_mbuf *m = pkts[k];
		uint32_t seq, off = 0;
		bool ok = m->nb_segs == N_SEGS && rte_pktmbuf_pkt_len(m) == N_SEGS * SEG_LEN;

		memcpy(&seq, rte_pktmbuf_mtod_offset(m, const uint8_t *, SEQ_OFF), sizeof(seq));
		for (const struct rte_mbuf *s = m; ok && s != NULL; s = s->next)
			for (uint16_t i = 0; i < s->data_len; i++, off++)
				if (off >= PAYLOAD_OFF && rte_pktmbuf_mtod(s, const uint8_t *)[i] !=
						 payload_byte(seq, off))
					ok = false;
		sent[port]++;
		damaged += !ok;
	}
	return n;
}

/* An IPv4/UDP packet of N_SEGS segments of SEG_LEN bytes: sequence number
 * @seq first in the payload, then payload_byte() patterns. */
static struct rte_mbuf *
chained_packet(uint32_t seq)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0x07, 0x1a, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 9, 10, 0, 0, 1,
		0x30, 0x39, 0, 53, 0x07, 0x06, 0, 0,
	};
	struct rte_mbuf *head = NULL;
	uint32_t off = 0;

	for (unsigned int s = 0; s < N_SEGS; s++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
		uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, SEG_LEN) : NULL;

		if (p == NULL) {
			fprintf(stderr, "mempool empty\n");
			abort();
		}
		for (uint32_t i = 0; i < SEG_LEN; i++, off++)
			p[i] = payload_byte(seq, off);
		if (s == 0) {
			memcpy(p, hdr, sizeof(hdr)); /* UDP checksum 0: none */
			memcpy(p + SEQ_OFF, &seq, sizeof(seq));
			head = m;
		} else if (rte_pktmbuf_chain(head, m) != 0) {
			abort();
		}
	}
	return head;
}

static void
barrier(void)
{
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	sl_pipeline_synchronize(dp.pipeline);
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
}

/* The only rule: in_port=1 -> @a. */
static void
set_rule(struct sl_action *a)
{
	struct sl_flow_mod fm;
	uint32_t p = rte_cpu_to_be_32(1);

	memset(&fm, 0, sizeof(fm));
	fm.command = OFPFC_DELETE;
	fm.table_id = 0;
	fm.out_port = OFPP_ANY;
	fm.out_group = OFPG_ANY;
	sl_match_init_catchall(&fm.match);
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
	fm.command = OFPFC_ADD;
	fm.priority = 10;
	sl_match_set_oxm(&fm.match, OFPXMT_OFB_IN_PORT, &p, NULL, 4);
	fm.ins.apply = a;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
	barrier();
}

/* N_PKTS chained packets in on port 1 (index 0); they must leave whole on
 * ports 2 and 3 and leave the pool as it was. */
static void
run_and_check(const char *what)
{
	struct sl_fastpath_config fc = { .emc_inv_prob = 1 };
	struct sl_fastpath *fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	struct rte_mbuf *burst[N_PKTS];
	unsigned int avail0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	memset(sent, 0, sizeof(sent));
	damaged = 0;
	avail0 = rte_mempool_avail_count(dp.pools[0]);
	for (unsigned int round = 0; round < 3; round++) { /* miss, then cache hits */
		for (uint32_t i = 0; i < N_PKTS; i++)
			burst[i] = chained_packet(round * N_PKTS + i);
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, 0, burst, N_PKTS);
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false);
	}
	fp_testbed_idle(fp);
	sl_fastpath_destroy(fp);
	CU_ASSERT_EQUAL(sent[1], 0);
	CU_ASSERT_EQUAL(sent[2], 3 * N_PKTS);
	CU_ASSERT_EQUAL(sent[3], 3 * N_PKTS);
	CU_ASSERT_EQUAL(damaged, 0);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(dp.pools[0]), avail0);
	if (damaged || rte_mempool_avail_count(dp.pools[0]) != avail0)
		fprintf(stderr, "%s: %lu damaged, pool %u -> %u\n", what,
			(unsigned long)damaged, avail0, rte_mempool_avail_count(dp.pools[0]));
}

static void
test_flood(void)
{
	struct sl_action a = { .type = OFPAT_OUTPUT, .output = { .port = OFPP_FLOOD } };

	set_rule(&a);
	run_and_check("FLOOD");
}

static void
test_all(void)
{
	struct sl_action a = { .type = OFPAT_OUTPUT, .output = { .port = OFPP_ALL } };

	set_rule(&a);
	run_and_check("ALL");
}

static void
test_group_all(void)
{
	struct sl_action out[2] = {
		{ .type = OFPAT_OUTPUT, .output = { .port = 2 } },
		{ .type = OFPAT_OUTPUT, .output = { .port = 3 } },
	};
	struct sl_bucket b[2] = {
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &out[0] },
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &out[1] },
	};
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = OFPGT_ALL, .group_id = GROUP_ID,
				   .n_buckets = 2, .buckets = b };
	struct sl_action a = { .type = OFPAT_GROUP, .group_id = GROUP_ID };

	CU_ASSERT_EQUAL_FATAL(sl_pipeline_group_mod(dp.pipeline, &gm), 0);
	set_rule(&a);
	run_and_check("group ALL");
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "FLOOD shares every segment", test_flood },
		{ "ALL shares every segment", test_all },
		{ "group ALL shares every segment", test_group_all },
	};

	if (fp_testbed_init(&dp, &cfg, "ch", N_PORTS, "", NULL, tx_check) < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	return cunit_run_suite("chained packets", tests, CUNIT_N_TESTS(tests));
}
