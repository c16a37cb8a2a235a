/* SPDX-License-Identifier: BSD-3-Clause */
/* OpenFlow 1.4/1.5 table desc, table-mod vacancy and table status through
 * the agent over loopback (agent_table14.c), on a pipeline whose tables
 * hold 10 rules, so that each rule is 10 % of vacancy: the table desc
 * reply, the thresholds a table-mod stores, VACANCY_DOWN when the vacancy
 * falls below vacancy_down and VACANCY_UP only after it rose above
 * vacancy_up (hysteresis), also on expiry, in the session's version, only
 * to sessions whose async config wants it (never to OpenFlow 1.3), and the
 * refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_fixture.h"
#include "cunit_main.h"
#include "openflow.h"
#include "openflow_v14.h"
#include "sl_ofp_table14.h"

static uint8_t rx[70000];

/* A 1.4 (@p version 5) or 1.5 (6) session that gets async messages. */
static void
open_v(struct of_client *c, uint8_t version)
{
	uint8_t hello[16] = { version, OFPT_HELLO, 0, 16, 0, 0, 0, 1,
			      0, 1, 0, 8, 0, 0, 0, (uint8_t)(1u << version) };
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(ofc_open(c, fx.agent, fx.port, false) == 0);
	ofc_send_raw(c, hello, sizeof(hello));
	c->version = version;
	sl_ofp_msg_init(&m, OFPT_SET_CONFIG, 0);
	m.u.config.miss_send_len = 128; /* a service session asks for async */
	ofc_send(c, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(c), 0);
}

/* Table-mod of @p table: @p config and, if @p down <= 255, a vacancy
 * property (down, up). */
static void
table_mod(struct of_client *c, uint8_t table, uint32_t config, unsigned int down,
	  unsigned int up)
{
	uint8_t b[24] = { c->version, OFPT_TABLE_MOD, 0, 16, 0, 0, 0, 0x77, table };

	b[15] = (uint8_t)config;
	if (down <= 255) {
		b[3] = 24;
		b[17] = SL_OFPTMPT_VACANCY;
		b[19] = 8;
		b[20] = (uint8_t)down;
		b[21] = (uint8_t)up;
	}
	ofc_send_raw(c, b, b[3]);
}

/* Barrier on @p c; the table status messages that came before its reply
 * (decoded into @p st, at most @p max; the rest counted). */
static int
statuses(struct of_client *c, struct sl_ofp_table14_msg *st, int max)
{
	uint8_t b[8] = { c->version ? c->version : 4, OFPT_BARRIER_REQUEST, 0, 8, 0, 0, 0x0b, 0xab };
	int n = 0;

	ofc_send_raw(c, b, sizeof(b));
	for (;;) {
		long len = ofc_recv(c, rx, sizeof(rx), 3000);
		struct sl_ofp_error err;

		CU_ASSERT_FATAL(len > 0);
		if (rx[1] == OFPT_BARRIER_REPLY && rx[6] == 0x0b && rx[7] == 0xab)
			return n;
		if (rx[1] == OFPT_ERROR)
			printf("\nunexpected error %u/%u\n", rx[8] << 8 | rx[9], rx[10] << 8 | rx[11]);
		CU_ASSERT_NOT_EQUAL(rx[1], OFPT_ERROR);
		if (rx[1] != OFPT_TABLE_STATUS)
			continue;
		if (n < max)
			CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_decode(rx, (size_t)len, &st[n], &err), 0);
		n++;
	}
}

/* Flow-mod on @p c (add or strict delete of priority @p prio, table 0). */
static void
rule_send(struct of_client *c, uint8_t cmd, uint16_t prio)
{
	struct sl_ofp_msg m;

	build_flow_mod(&m, cmd, 0, prio, 1, 0, cmd == OFPFC_ADD ? 2 : 0);
	ofc_send(c, &m);
	sl_ofp_msg_free(&m);
}

/* rule_send(), then a barrier so that later checks see it applied (what
 * comes to @p c before the barrier reply is skipped). */
static void
rule(struct of_client *c, uint8_t cmd, uint16_t prio)
{
	rule_send(c, cmd, prio);
	CU_ASSERT_EQUAL_FATAL(ofc_barrier(c), 0);
}

/* The one table status must be @p reason for table 0 at @p vacancy %,
 * thresholds @p down / @p up. */
static void
expect_status_t(struct of_client *c, uint8_t version, uint8_t reason, uint8_t vacancy,
		uint8_t down, uint8_t up, const char *what)
{
	struct sl_ofp_table14_msg st[2];
	int n = statuses(c, st, 2);

	if (n != 1)
		printf("\n%s: %d table status messages, want 1\n", what, n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(st[0].version, version);
	CU_ASSERT_EQUAL(st[0].xid, 0);
	CU_ASSERT_EQUAL(st[0].reason, reason);
	CU_ASSERT_EQUAL(st[0].descs[0].table_id, 0);
	CU_ASSERT_EQUAL(st[0].descs[0].config, OFPTC_VACANCY_EVENTS);
	CU_ASSERT_EQUAL_FATAL(st[0].descs[0].n_properties, 1);
	CU_ASSERT_EQUAL(st[0].descs[0].properties[0].type, SL_OFPTMPT_VACANCY);
	CU_ASSERT_EQUAL(st[0].descs[0].properties[0].u.vacancy.vacancy_down, down);
	CU_ASSERT_EQUAL(st[0].descs[0].properties[0].u.vacancy.vacancy_up, up);
	CU_ASSERT_EQUAL(st[0].descs[0].properties[0].u.vacancy.vacancy, vacancy);
	sl_ofp_table14_free(&st[0]);
}

/* expect_status_t() with the thresholds of test_vacancy_events(). */
static void
expect_status(struct of_client *c, uint8_t version, uint8_t reason, uint8_t vacancy,
	      const char *what)
{
	expect_status_t(c, version, reason, vacancy, 30, 60, what);
}

static void
expect_none(struct of_client *c, const char *what)
{
	struct sl_ofp_table14_msg st[1];
	int n = statuses(c, st, 0);

	if (n != 0)
		printf("\n%s: %d table status messages, want none\n", what, n);
	CU_ASSERT_EQUAL(n, 0);
}

/* OFPMP_TABLE_DESC: table @p t's desc from a reply on @p c. */
static void
expect_desc(struct of_client *c, uint8_t t, uint32_t config, uint8_t down, uint8_t up,
	    uint8_t vacancy)
{
	uint8_t req[16] = { c->version, OFPT_MULTIPART_REQUEST, 0, 16, 0, 0, 0, 0x55,
			    0, OFPMP_TABLE_DESC };
	struct sl_ofp_table14_msg m;
	struct sl_ofp_error err;
	long len;

	ofc_send_raw(c, req, sizeof(req));
	do
		len = ofc_recv(c, rx, sizeof(rx), 3000);
	while (len > 0 && rx[1] != OFPT_MULTIPART_REPLY && rx[1] != OFPT_ERROR);
	CU_ASSERT_FATAL(len > 0 && rx[1] == OFPT_MULTIPART_REPLY);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_decode(rx, (size_t)len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.xid, 0x55);
	CU_ASSERT_EQUAL(m.flags, 0);
	CU_ASSERT_EQUAL_FATAL(m.n_descs, 254);
	CU_ASSERT_EQUAL(m.descs[t].table_id, t);
	CU_ASSERT_EQUAL(m.descs[t].config, config);
	CU_ASSERT_EQUAL_FATAL(m.descs[t].n_properties, 1); /* no eviction property */
	CU_ASSERT_EQUAL(m.descs[t].properties[0].type, SL_OFPTMPT_VACANCY);
	CU_ASSERT_EQUAL(m.descs[t].properties[0].u.vacancy.vacancy_down, down);
	CU_ASSERT_EQUAL(m.descs[t].properties[0].u.vacancy.vacancy_up, up);
	CU_ASSERT_EQUAL(m.descs[t].properties[0].u.vacancy.vacancy, vacancy);
	sl_ofp_table14_free(&m);
}

static int
up10(void)
{
	fixture_max_rules_per_table = 10;
	int rc = fixture_up(NULL);
	fixture_max_rules_per_table = 0;
	return rc;
}

/* Thresholds 30/60: DOWN at the 8th rule (20 %), nothing more until the
 * vacancy rose above 60 % (3 rules left: 70 %), then UP, then DOWN again. */
static void
test_vacancy_events(void)
{
	struct of_client c1, c2, c5;

	CU_ASSERT_FATAL(up10() == 0);
	open_v(&c1, 5);
	open_v(&c2, 5);
	open_v(&c5, 6);
	expect_desc(&c1, 0, 0, 0, 0, 100);
	table_mod(&c1, 0, OFPTC_VACANCY_EVENTS, 30, 60);
	expect_none(&c1, "enable at 100 %");
	expect_desc(&c1, 0, OFPTC_VACANCY_EVENTS, 30, 60, 100);
	expect_desc(&c5, 1, 0, 0, 0, 100); /* other tables untouched */
	for (uint16_t p = 1; p <= 7; p++)
		rule(&c2, OFPFC_ADD, p);
	expect_none(&c1, "7 rules: 30 %");
	expect_desc(&c1, 0, OFPTC_VACANCY_EVENTS, 30, 60, 30);
	rule_send(&c2, OFPFC_ADD, 8);
	expect_status(&c2, 5, SL_OFPTR_VACANCY_DOWN, 20, "8 rules (the sender too)");
	expect_status(&c1, 5, SL_OFPTR_VACANCY_DOWN, 20, "8 rules (1.4)");
	expect_status(&c5, 6, SL_OFPTR_VACANCY_DOWN, 20, "8 rules (1.5)");
	expect_none(&fx.c, "OpenFlow 1.3 session");
	rule(&c2, OFPFC_ADD, 9);
	rule(&c2, OFPFC_DELETE_STRICT, 9);
	rule(&c2, OFPFC_ADD, 9);
	expect_none(&c1, "below vacancy_down again: no second DOWN");
	for (uint16_t p = 9; p >= 5; p--)
		rule(&c2, OFPFC_DELETE_STRICT, p);
	expect_none(&c1, "4 rules: 60 %, not above vacancy_up");
	rule(&c2, OFPFC_DELETE_STRICT, 4);
	expect_status(&c1, 5, SL_OFPTR_VACANCY_UP, 70, "3 rules");
	rule(&c2, OFPFC_DELETE_STRICT, 3);
	expect_none(&c1, "2 rules: no second UP");
	for (uint16_t p = 3; p <= 8; p++)
		rule(&c2, OFPFC_ADD, p);
	expect_status(&c1, 5, SL_OFPTR_VACANCY_DOWN, 20, "8 rules again");
	/* events off: nothing, and desc says so */
	rule(&c2, OFPFC_DELETE, 0);
	expect_status(&c1, 5, SL_OFPTR_VACANCY_UP, 100, "all deleted");
	table_mod(&c1, 0, 0, 256, 0);
	for (uint16_t p = 1; p <= 8; p++)
		rule(&c2, OFPFC_ADD, p);
	expect_none(&c1, "events off");
	expect_desc(&c1, 0, 0, 30, 60, 20);
	ofc_close(&c1);
	ofc_close(&c2);
	ofc_close(&c5);
	fixture_down();
}

/* Async config: a session that cleared its table status mask gets none;
 * a slave gets none by default. */
static void
test_async(void)
{
	struct of_client c1, c2;
	struct sl_ofp_prop p = { .type = SL_OFPACPT_TABLE_STATUS_MASTER };
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(up10() == 0);
	open_v(&c1, 5);
	open_v(&c2, 5);
	sl_ofp_msg_init(&m, OFPT_SET_ASYNC, 0);
	m.u.async.properties = &p;
	m.u.async.n_properties = 1; /* mask 0 */
	ofc_send(&c2, &m);
	sl_ofp_msg_init(&m, OFPT_GET_ASYNC_REQUEST, 0);
	ofc_send(&c2, &m);
	CU_ASSERT_FATAL(ofc_wait(&c2, OFPT_GET_ASYNC_REPLY, &m, 3000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.async.n_properties, 12);
	CU_ASSERT_EQUAL(m.u.async.properties[8].type, SL_OFPACPT_TABLE_STATUS_SLAVE);
	CU_ASSERT_EQUAL(m.u.async.properties[8].u.async.mask, 0);
	CU_ASSERT_EQUAL(m.u.async.properties[9].type, SL_OFPACPT_TABLE_STATUS_MASTER);
	CU_ASSERT_EQUAL(m.u.async.properties[9].u.async.mask, 0);
	sl_ofp_msg_free(&m);
	sl_ofp_msg_init(&m, OFPT_GET_ASYNC_REQUEST, 0);
	ofc_send(&c1, &m);
	CU_ASSERT_FATAL(ofc_wait(&c1, OFPT_GET_ASYNC_REPLY, &m, 3000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.async.n_properties, 12);
	CU_ASSERT_EQUAL(m.u.async.properties[9].u.async.mask,
			1u << SL_OFPTR_VACANCY_DOWN | 1u << SL_OFPTR_VACANCY_UP);
	sl_ofp_msg_free(&m);
	table_mod(&c1, OFPTT_ALL, OFPTC_VACANCY_EVENTS, 95, 100);
	rule_send(&c1, OFPFC_ADD, 1);
	expect_status_t(&c1, 5, SL_OFPTR_VACANCY_DOWN, 90, 95, 100, "c1 wants it");
	expect_none(&c2, "c2 cleared its mask");
	ofc_close(&c1);
	ofc_close(&c2);
	fixture_down();
}

/* Expiry changes the vacancy too: thresholds 95/95, one rule with a hard
 * timeout of 1 s gives DOWN (90 %), its expiry UP (100 %). */
static void
test_expiry(void)
{
	struct of_client c1;
	struct sl_ofp_table14_msg st;
	struct sl_ofp_error err;
	struct sl_ofp_msg m;
	long len = 0;

	CU_ASSERT_FATAL(up10() == 0);
	open_v(&c1, 5);
	table_mod(&c1, 0, OFPTC_VACANCY_EVENTS, 95, 95);
	build_flow_mod(&m, OFPFC_ADD, 0, 1, 1, 0, 2);
	m.u.flow_mod.hard_timeout = 1;
	ofc_send(&c1, &m);
	sl_ofp_msg_free(&m);
	expect_status_t(&c1, 5, SL_OFPTR_VACANCY_DOWN, 90, 95, 95, "rule added");
	/* wait for the expiry's status (ofc_recv pumps the agent) */
	for (int i = 0; i < 20; i++) {
		len = ofc_recv(&c1, rx, sizeof(rx), 1000);
		if (len > 0 && rx[1] == OFPT_TABLE_STATUS)
			break;
	}
	CU_ASSERT_FATAL(len > 0 && rx[1] == OFPT_TABLE_STATUS);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_decode(rx, (size_t)len, &st, &err), 0);
	CU_ASSERT_EQUAL(st.reason, SL_OFPTR_VACANCY_UP);
	CU_ASSERT_EQUAL(st.descs[0].properties[0].u.vacancy.vacancy, 100);
	sl_ofp_table14_free(&st);
	ofc_close(&c1);
	fixture_down();
}

/* Refusals: thresholds, eviction, 1.3 vacancy bit, unknown table. */
static void
test_refusals(void)
{
	struct of_client c1;

	CU_ASSERT_FATAL(up10() == 0);
	open_v(&c1, 5);
	table_mod(&c1, 0, OFPTC_VACANCY_EVENTS, 61, 60);
	expect_error(&c1, OFPET_BAD_PROPERTY, OFPBPC_BAD_VALUE, 24, "down > up");
	table_mod(&c1, 0, OFPTC_VACANCY_EVENTS, 10, 101);
	expect_error(&c1, OFPET_BAD_PROPERTY, OFPBPC_BAD_VALUE, 24, "up > 100");
	table_mod(&c1, 0, OFPTC_EVICTION, 256, 0);
	expect_error(&c1, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG, 16, "eviction");
	table_mod(&c1, 254, OFPTC_VACANCY_EVENTS, 10, 20);
	expect_error(&c1, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_TABLE, 24, "table 254");
	/* nothing of the refused ones was stored */
	expect_desc(&c1, 0, 0, 0, 0, 100);
	fx.c.version = 4;
	table_mod(&fx.c, 0, OFPTC_VACANCY_EVENTS, 256, 0);
	expect_error(&fx.c, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG, 16, "1.3 vacancy bit");
	ofc_close(&c1);
	fixture_down();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "vacancy_events", test_vacancy_events },
		{ "async", test_async },
		{ "expiry", test_expiry },
		{ "refusals", test_refusals },
	};

	return cunit_run_suite("agent_table14", tests, CUNIT_N_TESTS(tests));
}
