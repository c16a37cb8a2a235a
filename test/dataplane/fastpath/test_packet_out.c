/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet-out's refusals, checked on the wire.
 *
 * The real OpenFlow agent (ofagent/) runs over sluiced's glue
 * (sluiced/agent_ops.c, sl_agent_ops_datapath) on a real datapath
 * (fp_testbed), and the agents' test controller (test/ofagent/of_client.c)
 * sends it OFPT_PACKET_OUT messages over loopback TCP. Each refusal of
 * sl_fastpath_packet_out() (packet_out.c) must come back as an OFPT_ERROR
 * whose type and code bytes, read from the received message itself, are the
 * spec's: OFPET_BAD_REQUEST (1) with
 *   - OFPBRC_EPERM (5)        while no fast path can run it: before the
 *                             worker's fast path exists, or without a
 *                             pipeline or a worker;
 *   - OFPBRC_BAD_LEN (6)      for no packet, or one over SL_PACKET_OUT_MAX
 *                             (9216) bytes;
 *   - OFPBRC_BUFFER_EMPTY (7) when out of resources (no mbuf left).
 * (Before, they went out as 11, 2 and 13: BAD_PORT, BAD_MULTIPART and
 * MULTIPART_BUFFER_OVERFLOW.) An accepted packet-out gets no error and
 * leaves on its port once the worker runs it, whole, also when it is a
 * jumbo frame that needs several mbufs (before, any packet-out over one
 * mbuf's 2 KB failed as out of resources).
 *
 * The test thread plays the worker (it runs the injected packet-outs
 * itself) and the control lcore (it pumps the agent while it waits for
 * replies). Runs without hugepages (EAL --no-huge).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "cunit_main.h"

#include "agent_ops.h"
#include "fp_testbed.h"
#include "of_client.h"
#include "openflow.h"
#include "sl_agent.h"
#include "sl_datapath.h"
#include "sl_fastpath.h"
#include "sl_worker.h"
#include "sl_worker_tx.h"

#define N_PORTS 2
#define OUT_PORT 2
#define BIG_LEN (SL_PACKET_OUT_MAX + 1) /* one byte over the longest packet-out */

static struct sl_datapath dp;
static struct sl_config cfg;
static struct sl_agent *agent;
static struct of_client ctl;
static struct sl_fastpath *fp;
static uint64_t sent[N_PORTS + 1], sent_bytes[N_PORTS + 1];
static uint8_t frame[BIG_LEN];

static uint16_t
tx_count(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	(void)port_id; (void)queue;
	sent[(unsigned int)(uintptr_t)arg] += n;
	for (uint16_t i = 0; i < n; i++)
		sent_bytes[(unsigned int)(uintptr_t)arg] += rte_pktmbuf_pkt_len(pkts[i]);
	return n;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Send a packet-out of the first @len bytes of frame (output to OUT_PORT),
 * then a barrier, and read every message until the barrier's reply. The
 * agent answers in order, so an error for the packet-out comes before it.
 * Returns 1 with the error's type and code as read from its bytes, 0 if the
 * packet-out got no error, -1 if the barrier reply never came.
 */
static int
packet_out(uint32_t len, uint16_t *type, uint16_t *code)
{
	static uint8_t msg[65536];
	struct sl_ofp_msg m, b;
	struct sl_ofp_action *a;
	uint32_t xid, bxid;
	int got = 0;

	sl_ofp_msg_init(&m, OFPT_PACKET_OUT, 0);
	a = sl_ofp_msg_alloc(&m, sizeof(*a));
	a->type = OFPAT_OUTPUT;
	a->u.output.port = OUT_PORT;
	m.u.packet_out.buffer_id = OFP_NO_BUFFER;
	m.u.packet_out.in_port = OFPP_CONTROLLER;
	m.u.packet_out.actions = a;
	m.u.packet_out.n_actions = 1;
	m.u.packet_out.data = frame;
	m.u.packet_out.data_len = len;
	xid = ofc_send(&ctl, &m);
	sl_ofp_msg_free(&m);
	sl_ofp_msg_init(&b, OFPT_BARRIER_REQUEST, 0);
	bxid = ofc_send(&ctl, &b);
	sl_ofp_msg_free(&b);
	for (;;) {
		long n = ofc_recv(&ctl, msg, sizeof(msg), 2000);

		if (n < 8)
			return -1;
		if (msg[1] == OFPT_ERROR && rd32(msg + 4) == xid) {
			/* ofp_error_msg: header, type, code, then the request's
			 * first bytes, starting with its header */
			CU_ASSERT_EQUAL(msg[0], OFP_VERSION);
			CU_ASSERT_FATAL(n >= OFP_ERROR_MSG_SIZE + OFP_HEADER_SIZE);
			CU_ASSERT_EQUAL(msg[OFP_ERROR_MSG_SIZE + 1], OFPT_PACKET_OUT);
			CU_ASSERT_EQUAL(rd32(msg + OFP_ERROR_MSG_SIZE + 4), xid);
			*type = rd16(msg + 8);
			*code = rd16(msg + 10);
			got = 1;
		} else if (msg[1] == OFPT_BARRIER_REPLY && rd32(msg + 4) == bxid) {
			return got;
		}
	}
}

/* A packet-out of @len bytes is refused with (@type, @code) on the wire and
 * leaves nothing for the worker. */
static void
expect_refusal(uint32_t len, uint16_t type, uint16_t code, const char *what)
{
	uint16_t t = 0, c = 0;
	int rc = packet_out(len, &t, &c);

	if (rc != 1 || t != type || c != code)
		fprintf(stderr, "%s: got %s %u/%u, want error %u/%u\n", what,
			rc == 1 ? "error" : rc == 0 ? "no error" : "no reply", t, c, type, code);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_EQUAL(t, type);
	CU_ASSERT_EQUAL(c, code);
	CU_ASSERT_EQUAL(rte_ring_count(dp.workers[0]->inject_ring), 0);
}

/* Run what was injected, as the worker's iteration does; returns the
 * packets sent on OUT_PORT. */
static uint64_t
run_worker(void)
{
	uint64_t before = sent[OUT_PORT];

	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
	sl_fastpath_begin(fp, rte_rdtsc());
	sl_fastpath_run_injected(fp);
	sl_worker_flush_all(dp.workers[0]);
	sl_fastpath_end(fp, true);
	/* offline again: the agent's barriers must not wait for this thread */
	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	return sent[OUT_PORT] - before;
}

/* A packet-out of @len bytes is accepted and sent, whole, on OUT_PORT. */
static void
expect_accepted(uint32_t len, const char *what)
{
	uint16_t t = 0, c = 0;
	uint64_t bytes0 = sent_bytes[OUT_PORT];
	int rc = packet_out(len, &t, &c);

	if (rc != 0)
		fprintf(stderr, "%s: got %s %u/%u, want no error\n", what,
			rc == 1 ? "error" : "no reply", t, c);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(run_worker(), 1);
	CU_ASSERT_EQUAL(sent_bytes[OUT_PORT] - bytes0, len);
}

/* The worker has not started its fast path: nothing could run it. */
static void
test_before_fast_path(void)
{
	CU_ASSERT_PTR_NULL_FATAL(dp.workers[0]->fp);
	expect_refusal(64, OFPET_BAD_REQUEST, OFPBRC_EPERM, "before the fast path");
}

static void
test_accepted(void)
{
	fp = sl_fastpath_create(dp.workers[0], dp.pipeline, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	dp.workers[0]->fp = fp; /* what the worker does when it starts */
	expect_accepted(64, "64 bytes");
}

static void
test_jumbo(void)
{
	expect_accepted(2049, "one byte over an mbuf");
	/* the longest the out port takes (mtu = 9000) */
	expect_accepted(dp.ports[OUT_PORT - 1]->max_frame, "the longest the port takes");
}

static void
test_bad_len(void)
{
	expect_refusal(0, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, "no packet");
	expect_refusal(BIG_LEN, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, "one byte too many");
	expect_accepted(64, "64 bytes after");
}

/* Without a pipeline or a worker (states sluiced never gives the agent:
 * set here by hand) there is no fast path either. */
static void
test_no_pipeline_no_worker(void)
{
	struct sl_pipeline *pl = dp.pipeline;
	unsigned int n_workers = dp.n_workers;

	dp.pipeline = NULL;
	expect_refusal(64, OFPET_BAD_REQUEST, OFPBRC_EPERM, "no pipeline");
	dp.pipeline = pl;
	dp.n_workers = 0;
	expect_refusal(64, OFPET_BAD_REQUEST, OFPBRC_EPERM, "no worker");
	dp.n_workers = n_workers;
	expect_accepted(64, "64 bytes after");
}

/* Every mbuf taken: out of resources. */
static void
test_out_of_mbufs(void)
{
	unsigned int cap = 1u << 16, n = 0;
	struct rte_mbuf **held = malloc(cap * sizeof(*held));

	CU_ASSERT_PTR_NOT_NULL_FATAL(held);
	while (n < cap && (held[n] = rte_pktmbuf_alloc(dp.pools[0])) != NULL)
		n++;
	CU_ASSERT_FATAL(n > 0 && n < cap);
	expect_refusal(64, OFPET_BAD_REQUEST, OFPBRC_BUFFER_EMPTY, "no mbuf");
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(held[i]);
	free(held);
	expect_accepted(64, "64 bytes with mbufs back");
}

static int
setup(void)
{
	struct sl_agent_config ac;
	char err[256];

	/* Ethernet to 02:00:00:00:00:02, IPv4/UDP; the rest zero */
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 50, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 9, 10, 0, 0, 1,
		0x30, 0x39, 0, 53, 0, 30, 0, 0,
	};
	memcpy(frame, hdr, sizeof(hdr));
	if (fp_testbed_init(&dp, &cfg, "po", N_PORTS, "", NULL, tx_count) < 0)
		return -1;
	memset(&ac, 0, sizeof(ac));
	ac.datapath_id = 0x9001;
	ac.targets[0] = "ptcp:0";
	ac.n_targets = 1;
	ac.probe_interval_ms = 60000;
	ac.meters = dp.meters;
	agent = sl_agent_create(&ac, &sl_agent_ops_datapath, &dp, dp.pipeline, err, sizeof(err));
	if (agent == NULL) {
		fprintf(stderr, "agent: %s\n", err);
		return -1;
	}
	return ofc_open(&ctl, agent, sl_agent_listen_port(agent, 0), true);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "before the fast path runs: OFPBRC_EPERM", test_before_fast_path },
		{ "accepted once it runs: sent on its port", test_accepted },
		{ "no packet, or over SL_PACKET_OUT_MAX bytes: OFPBRC_BAD_LEN", test_bad_len },
		{ "jumbo frames: several mbufs, sent whole", test_jumbo },
		{ "no pipeline or no worker: OFPBRC_EPERM", test_no_pipeline_no_worker },
		{ "out of mbufs: OFPBRC_BUFFER_EMPTY", test_out_of_mbufs },
	};
	int rc;

	if (setup() < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	rc = cunit_run_suite("packet-out errors on the wire", tests, CUNIT_N_TESTS(tests));
	ofc_close(&ctl);
	sl_agent_destroy(agent);
	if (fp) {
		dp.workers[0]->fp = NULL;
		sl_fastpath_destroy(fp);
	}
	return rc;
}
