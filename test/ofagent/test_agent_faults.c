/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit tests of the agent against clients that misbehave on purpose: each
 * is a defect the hardening review found, and each test failed before its
 * fix (under the ASan build of the unit suite where the defect was a
 * memory error).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "agent_fixture.h"
#include "cunit_main.h"

/* A small send queue, so that a client that never reads fills it fast. */
#define SMALL_TX_QUEUE (64u << 10)
#define N_RULES 3000

static void
small_tx_queue(struct sl_agent_config *cfg)
{
	cfg->max_tx_bytes = SMALL_TX_QUEUE;
}

/*
 * A client sends bad messages and shuts its socket before reading the
 * errors: the agent handles what it had received, and an error it sends
 * fails (the peer answered the first one with a reset), which closes the
 * connection from inside the send. The close used to free the agent's connection state at once, and
 * the agent went on using it (heap-use-after-free, caught by ASan). Now the
 * state lives until the manager reaps it; the agent survives and serves the
 * next client.
 */
static void
test_peer_gone_while_answering(void)
{
	static const uint8_t bad[8] = { 4, 200, 0, 8, 0, 0, 0, 1 }; /* unknown type */
	struct sl_agent_stats st;
	struct of_client next;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	for (unsigned int i = 0; i < 200; i++)
		ofc_send_raw(&fx.c, bad, sizeof(bad));
	shutdown(fx.c.fd, SHUT_RDWR);
	for (int i = 0; i < 20; i++)
		sl_agent_run(fx.agent, 1);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.n_connections, 0);

	CU_ASSERT_EQUAL_FATAL(ofc_open(&next, fx.agent, fx.port, true), 0);
	CU_ASSERT_EQUAL(ofc_barrier(&next), 0);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.n_connections, 1);
	ofc_close(&next);
	fixture_down();
}

/*
 * A flow-stats reply larger than the send queue's cap (the default 4 MiB
 * is about 40k rules; here a 64 KiB cap and 3000 rules): every rule arrives,
 * the session stays, and a barrier sent behind the request is answered after
 * the whole reply. The session used to be closed as "too slow".
 */
static void
test_dump_larger_than_queue(void)
{
	struct sl_agent_stats st;
	struct sl_ofp_msg m;
	uint32_t n_items = 0;

	CU_ASSERT_FATAL(fixture_up(small_tx_queue) == 0);
	for (uint32_t i = 1; i <= N_RULES; i++) {
		build_flow_mod(&m, OFPFC_ADD, 0, 100, i, 0x0800, 2);
		ofc_send(&fx.c, &m);
		sl_ofp_msg_free(&m);
	}
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(&fx.c), 0);
	build_flow_stats_req(&m, OFPMP_FLOW, OFPTT_ALL);
	ofc_send(&fx.c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT(recv_mp_reply(&fx.c, OFPMP_FLOW, &n_items, 5000) > 1);
	CU_ASSERT_EQUAL(n_items, N_RULES);
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.n_connections, 1);
	fixture_down();
}

/*
 * A local process on the listener (a service connection) asked for MASTER
 * and demoted or locked out the real controller. By default it may not
 * take a role: MASTER and SLAVE are refused with OFPRRFC_UNSUP, it stays
 * EQUAL and its requests keep working; asking for the role (NOCHANGE) and
 * EQUAL are fine.
 */
static void
test_service_no_roles(void)
{
	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	send_role(&fx.c, OFPCR_ROLE_MASTER, 1);
	expect_error(&fx.c, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_UNSUP, 24, "service MASTER");
	send_role(&fx.c, OFPCR_ROLE_SLAVE, 1);
	expect_error(&fx.c, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_UNSUP, 24, "service SLAVE");
	send_role(&fx.c, OFPCR_ROLE_NOCHANGE, 1);
	CU_ASSERT_EQUAL(role_reply(&fx.c), OFPCR_ROLE_EQUAL);
	send_role(&fx.c, OFPCR_ROLE_EQUAL, 1);
	CU_ASSERT_EQUAL(role_reply(&fx.c), OFPCR_ROLE_EQUAL);
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	fixture_down();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "peer gone while answering: no use after free", test_peer_gone_while_answering },
		{ "a dump larger than the send queue arrives whole", test_dump_larger_than_queue },
		{ "service connections take no role by default", test_service_no_roles },
	};

	return cunit_run_suite("agent faults", tests, CUNIT_N_TESTS(tests));
}
