/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests of the agent under stress: garbage messages, a controller
 * that stops reading, several controllers with roles sharing async
 * messages, barrier ordering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "agent_fixture.h"

/* Random bodies behind valid headers of every type: the agent must answer
 * (error or reply), never crash, and the session must stay usable. */
static void
test_garbage_messages(void)
{
	struct sl_agent_stats st;
	unsigned int seed = 12345;
	uint8_t msg[512];

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	for (int i = 0; i < 3000; i++) {
		size_t len = 8 + (size_t)(rand_r(&seed) % 200);

		for (size_t k = 8; k < len; k++)
			msg[k] = (uint8_t)rand_r(&seed);
		/* Mostly plausible prefixes so decoding goes deep. */
		if (i % 2 && len >= 16) {
			msg[8] = 0;
			msg[9] = (uint8_t)(rand_r(&seed) % 16);
		}
		msg[0] = 4;
		msg[1] = (uint8_t)(rand_r(&seed) % 32);
		if (msg[1] == OFPT_HELLO || msg[1] == OFPT_BARRIER_REQUEST)
			msg[1] = OFPT_FLOW_MOD;
		msg[2] = (uint8_t)(len >> 8);
		msg[3] = (uint8_t)len;
		msg[4] = msg[5] = msg[6] = 0;
		msg[7] = (uint8_t)i;
		ofc_send_raw(&fx.c, msg, len);
		if (i % 200 == 0)
			CU_ASSERT_EQUAL_FATAL(ofc_barrier(&fx.c), 0);
	}
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT(st.errors_sent > 1000);
	CU_ASSERT_EQUAL(st.n_connections, 1);
	fixture_down();
}

/* A controller that never reads: packet-ins are dropped and counted once its
 * queue is half full; the agent keeps serving the other controller. */
static void
test_stuck_controller(void)
{
	struct of_client fast;
	struct sl_agent_stats st;
	uint8_t buf[4096];
	time_t t0 = time(NULL);
	int got = 0;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	CU_ASSERT_FATAL(ofc_open(&fast, fx.agent, fx.port, true) == 0);
	/* fx.c never reads from here on; fast drains. 20 MB: more than the
	 * kernel's socket buffers plus half the agent's 4 MiB queue. */
	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < 100; i++)
			fake_dp_inject_pin(&fx.dp, OFPR_ACTION, 0, 0, 1, 0, OFPCML_NO_BUFFER, 2000);
		for (long n; (n = ofc_recv(&fast, buf, sizeof(buf), 5)) > 0;)
			got += buf[1] == OFPT_PACKET_IN;
	}
	for (long n; (n = ofc_recv(&fast, buf, sizeof(buf), 100)) > 0;)
		got += buf[1] == OFPT_PACKET_IN;
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(got, 10000);
	CU_ASSERT(st.packet_ins_queue_dropped > 0);
	CU_ASSERT_EQUAL(st.packet_ins_sent + st.packet_ins_queue_dropped, 20000);
	CU_ASSERT(time(NULL) - t0 < 30);
	CU_ASSERT_EQUAL(ofc_barrier(&fast), 0);
	ofc_close(&fast);
	fixture_down();
}

static void
set_role(struct of_client *c, uint32_t role, uint64_t gen)
{
	struct sl_ofp_msg m;

	sl_ofp_msg_init(&m, OFPT_ROLE_REQUEST, 0);
	m.u.role.role = role;
	m.u.role.generation_id = gen;
	ofc_send(c, &m);
	CU_ASSERT_FATAL(ofc_wait(c, OFPT_ROLE_REPLY, &m, 2000) == 0);
	sl_ofp_msg_free(&m);
}

/* Master and equal get packet-ins; a slave gets port status only. */
static void
test_async_fanout_by_role(void)
{
	struct of_client eq, sl;
	struct sl_ofp_msg m;
	uint8_t buf[4096];

	CU_ASSERT_FATAL(fixture_up(fixture_service_roles) == 0);
	CU_ASSERT_FATAL(ofc_open(&eq, fx.agent, fx.port, true) == 0);
	CU_ASSERT_FATAL(ofc_open(&sl, fx.agent, fx.port, true) == 0);
	set_role(&fx.c, OFPCR_ROLE_MASTER, 1);
	set_role(&sl, OFPCR_ROLE_SLAVE, 1);
	fake_dp_inject_pin(&fx.dp, OFPR_ACTION, 0, 0, 1, 0, 64, 100);
	CU_ASSERT_EQUAL(ofc_wait(&fx.c, OFPT_PACKET_IN, &m, 2000), 0);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(ofc_wait(&eq, OFPT_PACKET_IN, &m, 2000), 0);
	sl_ofp_msg_free(&m);
	fake_dp_set_link(&fx.dp, 2, false);
	CU_ASSERT_EQUAL(ofc_wait(&sl, OFPT_PORT_STATUS, &m, 2000), 0); /* not a packet-in first */
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(ofc_recv(&sl, buf, sizeof(buf), 100), 0);
	/* Flow-removed: master yes, slave no. */
	build_flow_mod(&m, OFPFC_ADD, 0, 5, 1, 0, 2);
	m.u.flow_mod.flags = OFPFF_SEND_FLOW_REM;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	build_flow_mod(&m, OFPFC_DELETE, OFPTT_ALL, 0, 0, 0, 0);
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(ofc_wait(&fx.c, OFPT_FLOW_REMOVED, &m, 2000), 0);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(ofc_wait(&eq, OFPT_FLOW_REMOVED, &m, 2000), 0);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(ofc_recv(&sl, buf, sizeof(buf), 100), 0);
	ofc_close(&eq);
	ofc_close(&sl);
	fixture_down();
}

/* Barrier truth, as far as the agent goes: the runtime hears of every table
 * change before the barrier's sync, and the reply comes after the sync. */
static void
test_barrier_order(void)
{
	struct sl_ofp_msg m;
	unsigned int changed, syncs;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	syncs = fx.dp.n_sync;
	for (int i = 0; i < 10; i++) {
		build_flow_mod(&m, OFPFC_ADD, 0, (uint16_t)(10 + i), (uint32_t)(1 + i % 3), 0, 2);
		ofc_send(&fx.c, &m);
		sl_ofp_msg_free(&m);
	}
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	changed = fx.dp.n_tables_changed;
	CU_ASSERT_EQUAL(changed, 10);
	CU_ASSERT_EQUAL(fx.dp.n_sync, syncs + 1);
	CU_ASSERT_EQUAL(fx.dp.tables_changed_at_sync, 10);
	fixture_down();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "garbage_messages", test_garbage_messages },
		{ "stuck_controller", test_stuck_controller },
		{ "async_fanout_by_role", test_async_fanout_by_role },
		{ "barrier_order", test_barrier_order },
	};

	return cunit_run_suite("agent_robust", tests, CUNIT_N_TESTS(tests));
}
