/* SPDX-License-Identifier: BSD-3-Clause */
/* OpenFlow 1.4/1.5 table desc, table-mod vacancy and table status through
 * the agent over loopback (agent_table14.c), on a pipeline whose tables
 * hold 10 rules, so that each rule is 10 % of vacancy: the table desc
 * reply, the thresholds a table-mod stores, VACANCY_DOWN when the vacancy
 * falls below vacancy_down and VACANCY_UP only after it rose above
 * vacancy_up (hysteresis), also on expiry, in the session's version, only
 * to sessions whose async config wants it (never to OpenFlow 1.3), the
 * refusals, and the OF1.5 parts of the table features reply (tcp_flags,
 * actset_output, packet_type; copy-field and its fields; packet types). */
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

/* An empty multipart request @p type of @p version and xid @p xid on @p c;
 * its (first) reply in rx (fatal: an error or nothing); its length. */
static size_t
multipart_reply(struct of_client *c, uint8_t version, uint16_t type, uint8_t xid)
{
	uint8_t req[16] = { version, OFPT_MULTIPART_REQUEST, 0, 16, 0, 0, 0, xid,
			    (uint8_t)(type >> 8), (uint8_t)type };
	long len;

	ofc_send_raw(c, req, sizeof(req));
	do
		len = ofc_recv(c, rx, sizeof(rx), 3000);
	while (len > 0 && rx[1] != OFPT_MULTIPART_REPLY && rx[1] != OFPT_ERROR);
	CU_ASSERT_FATAL(len > 0 && rx[1] == OFPT_MULTIPART_REPLY);
	return (size_t)len;
}

/* OFPMP_TABLE_DESC: table @p t's desc from a reply on @p c. */
static void
expect_desc(struct of_client *c, uint8_t t, uint32_t config, uint8_t down, uint8_t up,
	    uint8_t vacancy)
{
	struct sl_ofp_table14_msg m;
	struct sl_ofp_error err;
	size_t len = multipart_reply(c, c->version, OFPMP_TABLE_DESC, 0x55);

	CU_ASSERT_EQUAL_FATAL(sl_ofp_table14_decode(rx, len, &m, &err), 0);
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

/* Table 0's features from a table-features reply on @p c (first part). */
static void
table0_features(struct of_client *c, struct sl_ofp_msg *m)
{
	struct sl_ofp_error err;
	size_t len = multipart_reply(c, c->version ? c->version : 4, OFPMP_TABLE_FEATURES, 0x56);

	CU_ASSERT_EQUAL_FATAL(sl_ofp_decode(rx, len, m, &err), 0);
	CU_ASSERT_FATAL(m->u.multipart.body.table_features.n > 0);
	/* the rest of the reply: read it out */
	while (ofc_recv(c, rx, sizeof(rx), 200) > 0)
		;
}

/* What table 0 says in @p m: property count, whether copy-field is an
 * apply action and a write action, whether actset_output is matchable, the
 * copy-field fields, the packet types. */
struct tf_seen {
	uint32_t n_props, n_copy_fields, n_packet_types, features;
	bool copy_apply, copy_write, actset_match, packet_type_match;
};

static struct tf_seen
tf_seen(const struct sl_ofp_msg *m)
{
	const struct sl_ofp_table_features *tf = &m->u.multipart.body.table_features.items[0];
	struct tf_seen s = { .n_props = tf->n_properties, .features = tf->features };

	for (uint32_t i = 0; i < tf->n_properties; i++) {
		const struct sl_ofp_table_feature_prop *p = &tf->properties[i];

		for (uint32_t k = 0; k < p->n_ids && p->type == OFPTFPT_APPLY_ACTIONS; k++)
			s.copy_apply |= p->ids[k].type == OFPAT_COPY_FIELD;
		for (uint32_t k = 0; k < p->n_ids && p->type == OFPTFPT_WRITE_ACTIONS; k++)
			s.copy_write |= p->ids[k].type == OFPAT_COPY_FIELD;
		for (uint32_t k = 0; k < p->n_oxm_ids && p->type == OFPTFPT_MATCH; k++) {
			s.actset_match |= p->oxm_ids[k].header == 0x80005604;
			s.packet_type_match |= p->oxm_ids[k].header == 0x80005804;
		}
		if (p->type == OFPTFPT_APPLY_COPYFIELD)
			s.n_copy_fields = p->n_oxm_ids;
		if (p->type == OFPTFPT_PACKET_TYPES) {
			s.n_packet_types = p->n_oxm_values;
			CU_ASSERT(p->n_oxm_values == 1 &&
				  p->oxm_values[0].field == OFPXMT_OFB_PACKET_TYPE &&
				  sl_ofp_oxm_value_u64(&p->oxm_values[0]) == 0);
		}
	}
	return s;
}

static void
test_table_features_v15(void)
{
	struct of_client c1;
	struct sl_ofp_msg m;
	struct tf_seen s;

	CU_ASSERT_FATAL(up10() == 0);
	open_v(&c1, 6);
	table0_features(&c1, &m);
	s = tf_seen(&m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(s.n_props, 17);
	CU_ASSERT(s.copy_apply && !s.copy_write); /* write-actions refuses copy-field */
	CU_ASSERT(s.actset_match && s.packet_type_match);
	CU_ASSERT(s.n_copy_fields >= 42); /* OF1.3's 40, tcp_flags, actset_output */
	CU_ASSERT_EQUAL(s.n_packet_types, 1);
	CU_ASSERT_EQUAL(s.features, OFPTFF_INGRESS_TABLE); /* no egress tables */
	/* OpenFlow 1.3: the OF1.3 lists alone */
	fx.c.version = 4;
	table0_features(&fx.c, &m);
	s = tf_seen(&m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(s.n_props, 14);
	CU_ASSERT(!s.copy_apply && !s.actset_match && !s.packet_type_match);
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
		{ "table_features_v15", test_table_features_v15 },
	};

	return cunit_run_suite("agent_table14", tests, CUNIT_N_TESTS(tests));
}
