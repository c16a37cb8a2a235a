/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device events (sl_datapath_poll_links): a NIC or VF that asks for a reset
 * (RTE_ETH_EVENT_INTR_RESET, e.g. its PF was reset) is stopped, set up
 * again and restarted, and forwards again; one that is removed
 * (RTE_ETH_EVENT_INTR_RMV) goes down for good: its link is reported down
 * (port-status, fast-failover liveness) and frames to it are dropped and
 * counted, never handed to the dead device. Before the hardening fix both
 * events were ignored and a reset VF stayed dead.
 *
 * A PMD raises them with rte_eth_dev_callback_process(), DPDK's internal
 * driver API (ethdev_driver.h, which Debian does not install); the port's
 * callback only notes them in sl_port.events, so the test notes them the
 * same way and checks what the control lcore then does. The ports are
 * net_null, which has no reset of its own: the reset is a stop and the same
 * set-up again.
 *
 * A removed device comes back when it is there again (test_port_hotplug);
 * here it never is: its port's reattach says -ENODEV, as for a NIC that
 * was pulled out and not put back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "sl_port.h"
#include "fp_testbed.h"
#include "sl_worker_tx.h"

#define N_PORTS 2

static struct sl_datapath dp;
static struct sl_config cfg;

/* What the port's ethdev callback does when the PMD raises @p ev. */
static void
raise_event(struct sl_port *p, uint32_t ev)
{
	__atomic_fetch_or(&p->events, ev, __ATOMIC_RELEASE);
}

/* Frames the device of port index @idx says it sent. */
static uint64_t
dev_sent(unsigned int idx)
{
	struct sl_port_stats st;

	CU_ASSERT_EQUAL(dp.ports[idx]->ops->stats_get(dp.ports[idx], &st), 0);
	return st.tx_packets;
}

/* A 64-byte frame through the worker's tx path to port index @idx. */
static void
send_one(unsigned int idx)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	memset(rte_pktmbuf_append(m, 64), 0, 64);
	sl_worker_output(dp.workers[0], (uint16_t)idx, m);
	sl_worker_flush_all(dp.workers[0]);
}

static void
test_reset(void)
{
	struct sl_port *p = dp.ports[0];
	uint64_t sent;

	sl_datapath_poll_links(&dp);
	CU_ASSERT_TRUE(p->link);
	send_one(0);
	sent = dev_sent(0);
	CU_ASSERT_EQUAL(sent, 1);
	raise_event(p, SL_PORT_EV_RESET);
	CU_ASSERT_NOT_EQUAL(p->events, 0);
	sl_datapath_poll_links(&dp);
	CU_ASSERT_EQUAL(p->events, 0);
	CU_ASSERT_TRUE(p->started);
	CU_ASSERT_FALSE(p->removed);
	CU_ASSERT_TRUE(p->link);
	send_one(0);
	CU_ASSERT_EQUAL(dev_sent(0), sent + 1); /* sent by the restarted device */
}

/* The device of a port that never comes back. */
static int
never_back(struct sl_port *p, char *err, size_t errlen)
{
	(void)p;
	snprintf(err, errlen, "not there");
	return -ENODEV;
}

static void
test_removal(void)
{
	static struct sl_port_ops gone_ops;
	struct sl_port *p = dp.ports[1];
	struct sl_port_stats ps;
	struct sl_worker_stats st;
	uint64_t seq, dropped;

	gone_ops = *p->ops;
	gone_ops.reattach = never_back;
	p->ops = &gone_ops;
	sl_datapath_poll_links(&dp);
	CU_ASSERT_TRUE(p->link);
	CU_ASSERT_TRUE(sl_pipeline_port_live(dp.pipeline, p->params.ofport));
	seq = dp.port_seq;
	raise_event(p, SL_PORT_EV_REMOVED);
	sl_datapath_poll_links(&dp);
	CU_ASSERT_FALSE(p->started);
	CU_ASSERT_TRUE(p->removed);
	CU_ASSERT_FALSE(p->link);
	CU_ASSERT_EQUAL(dp.port_seq, seq + 1); /* port-status: link down */
	CU_ASSERT_FALSE(sl_pipeline_port_live(dp.pipeline, p->params.ofport));
	sl_worker_stats_get(dp.workers[0], &st); /* drops from the accounting */
	dropped = st.tx_dropped;
	send_one(1);
	sl_worker_stats_get(dp.workers[0], &st);
	CU_ASSERT_EQUAL(st.tx_dropped, dropped + 1);
	CU_ASSERT_NOT_EQUAL(p->ops->stats_get(p, &ps), 0); /* the device was let go */
	/* a reset asked later does not bring a removed device back */
	raise_event(p, SL_PORT_EV_RESET);
	sl_datapath_poll_links(&dp);
	CU_ASSERT_FALSE(p->started);
	CU_ASSERT_EQUAL(dp.port_seq, seq + 1);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "reset asked: set up again, forwards", test_reset },
		{ "removed, not back: down, frames to it dropped", test_removal },
	};

	if (fp_testbed_init(&dp, &cfg, "ev", N_PORTS, "", NULL, NULL) < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	return cunit_run_suite("port events", tests, CUNIT_N_TESTS(tests));
}
