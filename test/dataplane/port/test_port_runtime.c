/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports added and removed at run time (sl_datapath_port_add, _del) on the
 * real datapath and fast path, net_null ports, the test thread driving the
 * worker's fast path (offline while the control side waits for grace
 * periods, as a worker between iterations):
 *
 * - an added port gets rx queues on the worker and forwards at once, even
 *   for a rule installed before it existed; port_seq moves (port-status);
 * - a deleted port leaves the worker's lists, frames for it are dropped and
 *   counted (no_output), its slot is free and its device closed;
 * - a slot freed by a delete and taken by the next port: an entry cached
 *   for the first port's number must not send to the second one (without
 *   fastpath.c's handle_ports_current, revalidation keeps the handle and
 *   its port index, and the frames go to the new port: checked); the new
 *   port's accounting starts from 0, the old one's moves to
 *   SL_ACCT_RETIRED and the identity holds (without sl_acct_retire in
 *   sl_datapath_port_add: p8 starts with p7's 64 tx);
 * - a bad add (duplicate name, number or device, a device that does not
 *   probe) changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "fp_testbed.h"
#include "sl_worker_tx.h"
#include "test_flow_mod.h"

static struct sl_datapath dp;
static struct sl_config cfg;
static struct sl_fastpath *fp;

/* The control side waits for the workers' grace periods: this thread is the
 * worker, offline meanwhile. @p n_rxq: rx queues asked for (0: one). */
static int
add_rxq(const char *name, const char *devargs, uint32_t ofport, uint16_t n_rxq)
{
	struct sl_port_params pp = { .type = SL_PORT_ETHDEV, .ofport = ofport, .n_rxq = n_rxq };
	char err[512] = "";
	int idx;

	snprintf(pp.name, sizeof(pp.name), "%s", name);
	snprintf(pp.args, sizeof(pp.args), "%s", devargs);
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	idx = sl_datapath_port_add(&dp, &pp, err, sizeof(err));
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	if (idx < 0)
		printf("  (add %s: %s)\n", name, err);
	return idx;
}

static int
add(const char *name, const char *devargs, uint32_t ofport)
{
	return add_rxq(name, devargs, ofport, 0);
}

static int
del(const char *name)
{
	int idx = sl_datapath_port_find(&dp, name), rc;
	char err[512] = "";

	CU_ASSERT_FATAL(idx >= 0);
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	rc = sl_datapath_port_del(&dp, (unsigned int)idx, err, sizeof(err));
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	return rc;
}

/* Frames the device of the port called @name says it sent. */
static uint64_t
dev_sent(const char *name)
{
	int idx = sl_datapath_port_find(&dp, name);
	struct sl_port_stats st;

	CU_ASSERT_FATAL(idx >= 0 && dp.ports[idx] != NULL);
	CU_ASSERT_EQUAL(dp.ports[idx]->ops->stats_get(dp.ports[idx], &st), 0);
	return st.tx_packets;
}

/* @n bursts of 32 frames received on port index @in_idx. */
static void
receive_on(uint16_t in_idx, unsigned int n)
{
	struct rte_mbuf *burst[SL_BURST];

	for (unsigned int r = 0; r < n; r++) {
		for (unsigned int i = 0; i < SL_BURST; i++) {
			uint8_t *d;

			burst[i] = rte_pktmbuf_alloc(dp.pools[0]);
			CU_ASSERT_PTR_NOT_NULL_FATAL(burst[i]);
			d = (uint8_t *)rte_pktmbuf_append(burst[i], 64);
			memset(d, 0, 64);
			d[0] = 0x02, d[5] = 2, d[6] = 0x02, d[11] = 1, d[12] = 0x88, d[13] = 0xb5;
		}
		sl_fastpath_begin(fp, rte_rdtsc());
		dp.workers[0]->acct[in_idx].rx += SL_BURST; /* as sl_worker_main counts it */
		sl_fastpath_process(fp, in_idx, burst, SL_BURST);
		sl_worker_flush_all(dp.workers[0]);
		sl_fastpath_end(fp, false);
	}
	fp_testbed_idle(fp);
}

/* in_port=@in_port -> output:@out */
static void
rule(uint32_t in_port, uint32_t out)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 10);
	struct sl_action a = { .type = OFPAT_OUTPUT, .output = { .port = out, .max_len = 0 } };
	uint32_t in = rte_cpu_to_be_32(in_port);

	sl_match_init_catchall(&fm.match);
	sl_match_set_oxm(&fm.match, OFPXMT_OFB_IN_PORT, &in, NULL, 4);
	fm.ins.apply = &a;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL_FATAL(sl_pipeline_flow_mod(dp.pipeline, &fm, NULL), 0);
}

/* Whether the worker polls a queue of port index @idx. */
static bool
polled(unsigned int idx)
{
	const struct sl_worker_rxqs *l = dp.workers[0]->rxqs;

	for (unsigned int i = 0; i < l->n; i++)
		if (l->q[i].port_idx == idx)
			return true;
	return false;
}

/* The worker's no_output drops (summed from its accounting). */
static uint64_t
no_output(void)
{
	struct sl_worker_stats st;

	sl_worker_stats_get(dp.workers[0], &st);
	return st.no_output;
}

static void
test_add_del(void)
{
	uint64_t seq = dp.port_seq, no_out;
	uint16_t n_eth = rte_eth_dev_count_avail();
	int idx;

	rule(1, 5); /* before port 5 exists: frames are dropped */
	no_out = no_output();
	receive_on(0, 2);
	CU_ASSERT_EQUAL(no_output(), no_out + 2 * SL_BURST);
	idx = add("p5", "net_null_rt5", 5);
	CU_ASSERT_EQUAL_FATAL(idx, 2);
	CU_ASSERT_EQUAL(dp.n_ports, 3);
	CU_ASSERT_EQUAL(dp.port_seq, seq + 1);
	CU_ASSERT_TRUE(polled(2));
	CU_ASSERT_EQUAL(sl_datapath_port_idx(&dp, 5), 2);
	CU_ASSERT_EQUAL(rte_eth_dev_count_avail(), n_eth + 1);
	receive_on(0, 3); /* the cached drop is revalidated: to p5 now */
	CU_ASSERT_EQUAL(dev_sent("p5"), 3 * SL_BURST);
	CU_ASSERT_EQUAL(no_output(), no_out + 2 * SL_BURST);

	CU_ASSERT_EQUAL(del("p5"), 0);
	CU_ASSERT_EQUAL(dp.port_seq, seq + 2);
	CU_ASSERT_FALSE(polled(2));
	CU_ASSERT_PTR_NULL(dp.ports[2]);
	CU_ASSERT_FALSE(sl_datapath_slot_used(&dp, 2));
	CU_ASSERT_EQUAL(sl_datapath_port_idx(&dp, 5), -1);
	CU_ASSERT_EQUAL(sl_datapath_port_find(&dp, "p5"), -1);
	CU_ASSERT_EQUAL(rte_eth_dev_count_avail(), n_eth); /* closed and detached */
	receive_on(0, 1);
	CU_ASSERT_EQUAL(no_output(), no_out + 3 * SL_BURST);
	/* the same device again: its devargs are free */
	CU_ASSERT_EQUAL(add("p5", "net_null_rt5", 5), 2);
	receive_on(0, 1);
	CU_ASSERT_EQUAL(dev_sent("p5"), SL_BURST);
	CU_ASSERT_EQUAL(del("p5"), 0);
}

/* The identity over every slot of the worker, retired ones included. */
static void
check_identity(void)
{
	struct sl_acct_balance b = { 0 };

	for (unsigned int slot = 0; slot < SL_ACCT_SLOTS; slot++)
		sl_acct_balance_add(&dp.workers[0]->acct[slot], &b);
	CU_ASSERT_EQUAL(b.rx + b.replicas, b.tx + b.to_controller + b.drops);
}

static void
test_slot_reuse(void)
{
	const struct sl_port_acct *a = &dp.workers[0]->acct[2];
	const struct sl_port_acct *gone = &dp.workers[0]->acct[SL_ACCT_RETIRED];
	struct sl_worker_stats st;
	uint64_t no_out, gone_tx;

	/* entries made while port 7 is at index 2: the output shortcut */
	rule(2, 7);
	CU_ASSERT_EQUAL_FATAL(add("p7", "net_null_rt7", 7), 2);
	gone_tx = gone->tx; /* with what earlier tests' ports left in slot 2 */
	receive_on(1, 2);
	CU_ASSERT_EQUAL(dev_sent("p7"), 2 * SL_BURST);
	CU_ASSERT_EQUAL(a->tx, 2 * SL_BURST);
	CU_ASSERT_EQUAL(del("p7"), 0);
	/* another number in the same slot: nothing of port 7's may reach it */
	CU_ASSERT_EQUAL_FATAL(add("p8", "net_null_rt8", 8), 2);
	/* nor its counters: they moved to the deleted ports' slot, and the
	 * identity still holds over all slots */
	CU_ASSERT_EQUAL(a->tx, 0);
	CU_ASSERT_EQUAL(gone->tx, gone_tx + 2 * SL_BURST);
	check_identity();
	sl_worker_stats_get(dp.workers[0], &st);
	no_out = st.no_output;
	receive_on(1, 2);
	CU_ASSERT_EQUAL(dev_sent("p8"), 0);
	CU_ASSERT_EQUAL(a->tx, 0);
	sl_worker_stats_get(dp.workers[0], &st); /* drops from the accounting */
	CU_ASSERT_EQUAL(st.no_output, no_out + 2 * SL_BURST);
	check_identity();
	CU_ASSERT_EQUAL(del("p8"), 0);
}

static void
test_bad_adds(void)
{
	uint64_t seq = dp.port_seq;
	unsigned int n = dp.n_ports;
	uint16_t n_eth = rte_eth_dev_count_avail();

	CU_ASSERT_EQUAL(add("p1", "net_null_rtx", 9), -1);       /* name */
	CU_ASSERT_EQUAL(add("px", "net_null_rtx", 2), -1);       /* number */
	CU_ASSERT_EQUAL(add("px", "net_null_pr1", 9), -1);       /* devargs of p1 */
	CU_ASSERT_EQUAL(add("px", "net_nosuchdriver0", 9), -1);  /* no such device */
	CU_ASSERT_EQUAL(add("px", "net_null_rtx", 0), -1);       /* no number */
	/* 2 rx queues of a device that has 1 (af_packet: qpairs=1) */
	CU_ASSERT_EQUAL(add_rxq("px", "net_af_packet_rtq,iface=lo", 9, 2), -1);
	CU_ASSERT_EQUAL(dp.port_seq, seq);
	CU_ASSERT_EQUAL(dp.n_ports, n);
	CU_ASSERT_EQUAL(rte_eth_dev_count_avail(), n_eth);
	CU_ASSERT_EQUAL(sl_datapath_port_find(&dp, "px"), -1);
	/* and a good one still goes in */
	CU_ASSERT_EQUAL(add("px", "net_null_rtx", 9), 2);
	CU_ASSERT_EQUAL(del("px"), 0);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "add forwards, del drops and counts", test_add_del },
		{ "a reused slot gets nothing of the old port's", test_slot_reuse },
		{ "bad adds change nothing", test_bad_adds },
	};
	struct sl_fastpath_config fc = { .emc_inv_prob = 1 };
	int rc;

	if (fp_testbed_init(&dp, &cfg, "pr", 2, "", NULL, NULL) < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, &fc);
	if (fp == NULL)
		return 1;
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	rc = cunit_run_suite("port runtime", tests, CUNIT_N_TESTS(tests));
	sl_fastpath_destroy(fp);
	return rc;
}
