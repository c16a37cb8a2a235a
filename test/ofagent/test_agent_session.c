/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests of the agent's sessions against a fake runtime over loopback
 * TCP: handshake, echo, features, config, roles, async config, errors,
 * ports (desc, stats, status, mod), queues, packet-in, fail modes and
 * primary vs service connections. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "agent_fixture.h"
#include "openflow_v14.h"
#include "sl_flow_parse.h"
#include "sl_mac_learning.h"
#include "sl_xlate.h"

static void
test_handshake_features(void)
{
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	sl_ofp_msg_init(&m, OFPT_FEATURES_REQUEST, 77);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_FEATURES_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.xid, 77);
	CU_ASSERT_EQUAL(m.version, 4);
	CU_ASSERT_EQUAL(m.u.features.datapath_id, 0x1234);
	CU_ASSERT_EQUAL(m.u.features.n_tables, 254);
	CU_ASSERT_EQUAL(m.u.features.n_buffers, 0);
	CU_ASSERT(m.u.features.capabilities & OFPC_FLOW_STATS);
	CU_ASSERT(m.u.features.capabilities & OFPC_PORT_STATS);
	CU_ASSERT_FALSE(m.u.features.capabilities & OFPC_QUEUE_STATS);
	sl_ofp_msg_free(&m);
	fixture_down();
}

/* A peer offering only OF1.0 gets HELLO_FAILED/INCOMPATIBLE and is closed. */
static void
test_hello_incompatible(void)
{
	static const uint8_t hello10[16] = { 1, OFPT_HELLO, 0, 16, 0, 0, 0, 9,
					     0, 1, 0, 8, 0, 0, 0, 1u << 1 };
	struct of_client c2;
	uint8_t buf[256];
	long n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	CU_ASSERT_FATAL(ofc_open(&c2, fx.agent, fx.port, false) == 0);
	ofc_send_raw(&c2, hello10, sizeof(hello10));
	n = ofc_recv(&c2, buf, sizeof(buf), 2000);
	CU_ASSERT_FATAL(n >= 12);
	CU_ASSERT_EQUAL(buf[1], OFPT_ERROR);
	CU_ASSERT_EQUAL(buf[0], 1); /* in the peer's version */
	CU_ASSERT_EQUAL(buf[8] << 8 | buf[9], OFPET_HELLO_FAILED);
	CU_ASSERT_EQUAL(buf[10] << 8 | buf[11], OFPHFC_INCOMPATIBLE);
	CU_ASSERT_EQUAL(ofc_recv(&c2, buf, sizeof(buf), 2000), -1);
	ofc_close(&c2);
	/* Bitmap hellos settle on the highest common version, and the session
	 * then speaks it: {1.0, 1.3} -> 1.3, {1.3, 1.4} -> 1.4, {1.0, 1.3,
	 * 1.5} -> 1.5, header 0x07 without bitmap -> 1.5. */
	static const struct { uint8_t hdr, bitmap, len, want; } peers[] = {
		{ 6, 0x12, 16, 4 }, { 5, 0x30, 16, 5 }, { 6, 0x52, 16, 6 }, { 7, 0, 8, 6 },
	};
	for (size_t i = 0; i < sizeof(peers) / sizeof(peers[0]); i++) {
		uint8_t hello[16] = { peers[i].hdr, OFPT_HELLO, 0, peers[i].len, 0, 0, 0, 9,
				      0, 1, 0, 8, 0, 0, 0, peers[i].bitmap };
		struct sl_ofp_msg m;

		CU_ASSERT_FATAL(ofc_open(&c2, fx.agent, fx.port, false) == 0);
		ofc_send_raw(&c2, hello, peers[i].len);
		/* a request in another version than the negotiated one */
		if (peers[i].want != 4) {
			sl_ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 77);
			c2.version = 4;
			ofc_send(&c2, &m);
			CU_ASSERT_FATAL(ofc_wait(&c2, OFPT_ERROR, &m, 2000) == 0);
			CU_ASSERT_EQUAL(m.version, peers[i].want);
			CU_ASSERT(m.xid == 77 && m.u.error.type == OFPET_BAD_REQUEST &&
				  m.u.error.code == OFPBRC_BAD_VERSION);
			sl_ofp_msg_free(&m);
		}
		sl_ofp_msg_init(&m, OFPT_FEATURES_REQUEST, 0);
		c2.version = peers[i].want;
		ofc_send(&c2, &m);
		CU_ASSERT_FATAL(ofc_wait(&c2, OFPT_FEATURES_REPLY, &m, 2000) == 0);
		CU_ASSERT_EQUAL(m.version, peers[i].want);
		sl_ofp_msg_free(&m);
		ofc_close(&c2);
	}
	/* The first controller is unaffected. */
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	fixture_down();
}

static void
test_echo_and_config(void)
{
	static const uint8_t payload[5] = { 1, 2, 3, 4, 5 };
	struct sl_ofp_msg m;
	uint32_t xid;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	sl_ofp_msg_init(&m, OFPT_ECHO_REQUEST, 0);
	m.u.echo.data = payload;
	m.u.echo.data_len = sizeof(payload);
	xid = ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_ECHO_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.xid, xid);
	CU_ASSERT_EQUAL(m.u.echo.data_len, 5);
	CU_ASSERT(m.u.echo.data && memcmp(m.u.echo.data, payload, 5) == 0);
	sl_ofp_msg_free(&m);

	sl_ofp_msg_init(&m, OFPT_SET_CONFIG, 0);
	m.u.config.miss_send_len = 200;
	ofc_send(&fx.c, &m);
	sl_ofp_msg_init(&m, OFPT_GET_CONFIG_REQUEST, 0);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_GET_CONFIG_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.config.miss_send_len, 200);
	CU_ASSERT_EQUAL(m.u.config.flags, OFPC_FRAG_NORMAL);
	sl_ofp_msg_free(&m);

	/* Fragment reassembly is not something the fast path does. */
	sl_ofp_msg_init(&m, OFPT_SET_CONFIG, 0);
	m.u.config.flags = OFPC_FRAG_REASM;
	ofc_send(&fx.c, &m);
	expect_error(&fx.c, OFPET_SWITCH_CONFIG_FAILED, OFPSCFC_BAD_FLAGS, 12, "set-config");
	fixture_down();
}

/* Bad messages get the codec's error with the first 64 bytes; the session goes on. */
static void
test_bad_messages(void)
{
	uint8_t bad_type[8] = { 4, 200, 0, 8, 0, 0, 0, 5 };
	uint8_t exp[24] = { 4, OFPT_EXPERIMENTER, 0, 24, 0, 0, 0, 6, 0, 0, 0x23, 0x20, 0, 0, 0, 1 };
	uint8_t short_fm[16] = { 4, OFPT_FLOW_MOD, 0, 16, 0, 0, 0, 7 };
	uint8_t big[200] = { 4, OFPT_FLOW_MOD, 0, 200, 0, 0, 0, 8 };
	uint8_t bad_ver[8] = { 5, OFPT_BARRIER_REQUEST, 0, 8, 0, 0, 0, 9 };
	struct sl_agent_stats st;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	ofc_send_raw(&fx.c, bad_type, sizeof(bad_type));
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE, 8, "bad type");
	ofc_send_raw(&fx.c, exp, sizeof(exp));
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER, 24, "experimenter");
	ofc_send_raw(&fx.c, short_fm, sizeof(short_fm));
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, 16, "short flow-mod");
	ofc_send_raw(&fx.c, big, sizeof(big));
	{
		struct sl_ofp_msg m;

		CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_ERROR, &m, 2000) == 0);
		CU_ASSERT_EQUAL(m.u.error.data_len, 64);
		CU_ASSERT(memcmp(m.u.error.data, big, 64) == 0);
		sl_ofp_msg_free(&m);
	}
	ofc_send_raw(&fx.c, bad_ver, sizeof(bad_ver));
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION, 8, "bad version");
	CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.errors_sent, 5);
	CU_ASSERT_EQUAL(st.n_connections, 1);
	fixture_down();
}

static void
test_roles(void)
{
	struct of_client c2;
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(fixture_service_roles) == 0);
	CU_ASSERT_FATAL(ofc_open(&c2, fx.agent, fx.port, true) == 0);
	send_role(&fx.c, OFPCR_ROLE_MASTER, 10);
	CU_ASSERT_EQUAL(role_reply(&fx.c), OFPCR_ROLE_MASTER);
	send_role(&c2, OFPCR_ROLE_SLAVE, 5); /* older generation */
	expect_error(&c2, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_STALE, 24, "stale");
	send_role(&c2, OFPCR_ROLE_SLAVE, 11);
	CU_ASSERT_EQUAL(role_reply(&c2), OFPCR_ROLE_SLAVE);
	/* A slave may not change state. */
	build_flow_mod(&m, OFPFC_ADD, 0, 10, 1, 0, 2);
	ofc_send(&c2, &m);
	sl_ofp_msg_free(&m);
	expect_error(&c2, OFPET_BAD_REQUEST, OFPBRC_IS_SLAVE, 80, "slave flow-mod");
	/* c2 becomes master: c1 is demoted. */
	send_role(&c2, OFPCR_ROLE_MASTER, 12);
	CU_ASSERT_EQUAL(role_reply(&c2), OFPCR_ROLE_MASTER);
	send_role(&fx.c, OFPCR_ROLE_NOCHANGE, 0);
	CU_ASSERT_EQUAL(role_reply(&fx.c), OFPCR_ROLE_SLAVE);
	send_role(&fx.c, 7, 0);
	expect_error(&fx.c, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_BAD_ROLE, 24, "bad role");
	/* Wrap-around is newer: serial-number arithmetic. */
	send_role(&fx.c, OFPCR_ROLE_EQUAL, 0);
	CU_ASSERT_EQUAL(role_reply(&fx.c), OFPCR_ROLE_EQUAL);
	ofc_close(&c2);
	fixture_down();
}

/* OF1.4 sessions: a master demoted by another one gets OFPT_ROLE_STATUS
 * (role slave, reason master request, the new generation id). */
static void
test_role_status_v14(void)
{
	static const uint8_t hello14[16] = { 5, OFPT_HELLO, 0, 16, 0, 0, 0, 1,
					     0, 1, 0, 8, 0, 0, 0, 0x20 };
	struct of_client c1, c2;
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(fixture_service_roles) == 0);
	CU_ASSERT_FATAL(ofc_open(&c1, fx.agent, fx.port, false) == 0);
	CU_ASSERT_FATAL(ofc_open(&c2, fx.agent, fx.port, false) == 0);
	ofc_send_raw(&c1, hello14, sizeof(hello14));
	ofc_send_raw(&c2, hello14, sizeof(hello14));
	c1.version = c2.version = 5;
	send_role(&c1, OFPCR_ROLE_MASTER, 20);
	CU_ASSERT_EQUAL(role_reply(&c1), OFPCR_ROLE_MASTER);
	send_role(&c2, OFPCR_ROLE_MASTER, 21);
	CU_ASSERT_EQUAL(role_reply(&c2), OFPCR_ROLE_MASTER);
	CU_ASSERT_FATAL(ofc_wait(&c1, OFPT_ROLE_STATUS, &m, 2000) == 0);
	CU_ASSERT(m.version == 5 && m.u.role.role == OFPCR_ROLE_SLAVE &&
		  m.u.role.reason == OFPCRR_MASTER_REQUEST && m.u.role.generation_id == 21);
	sl_ofp_msg_free(&m);

	/* OF1.4 set-async changes only the masks whose property came */
	struct sl_ofp_prop props[2] = { { .type = 1 }, { .type = 12 } }; /* pin master, controller status */
	props[0].u.async.mask = 1u << OFPR_ACTION;
	sl_ofp_msg_init(&m, OFPT_SET_ASYNC, 0);
	m.u.async.properties = props;
	m.u.async.n_properties = 1;
	ofc_send(&c1, &m);
	sl_ofp_msg_init(&m, OFPT_GET_ASYNC_REQUEST, 0);
	ofc_send(&c1, &m);
	CU_ASSERT_FATAL(ofc_wait(&c1, OFPT_GET_ASYNC_REPLY, &m, 2000) == 0);
	CU_ASSERT(m.u.async.n_properties == 12); /* 8 masks + table status 8, 9 + requestforward 10, 11 */
	CU_ASSERT(m.u.async.packet_in_mask[0] == 1u << OFPR_ACTION);
	CU_ASSERT(m.u.async.port_status_mask[0] == 7 && m.u.async.role_status_mask[1] == 7);
	sl_ofp_msg_free(&m);
	/* controller status is never sent: asking for it is refused */
	props[1].u.async.mask = 1;
	sl_ofp_msg_init(&m, OFPT_SET_ASYNC, 0);
	m.u.async.properties = props;
	m.u.async.n_properties = 2;
	ofc_send(&c1, &m);
	CU_ASSERT_FATAL(ofc_wait(&c1, OFPT_ERROR, &m, 2000) == 0);
	CU_ASSERT(m.u.error.type == OFPET_ASYNC_CONFIG_FAILED && m.u.error.code == 1);
	sl_ofp_msg_free(&m);
	ofc_close(&c1);
	ofc_close(&c2);
	fixture_down();
}

static void
test_async_config_and_packet_in(void)
{
	struct sl_ofp_msg m;
	uint32_t pin_mask[2];
	uint8_t buf[4096];

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	sl_ofp_msg_init(&m, OFPT_GET_ASYNC_REQUEST, 0);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_GET_ASYNC_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.async.packet_in_mask[0], 3);
	CU_ASSERT_EQUAL(m.u.async.packet_in_mask[1], 0);
	CU_ASSERT_EQUAL(m.u.async.port_status_mask[1], 7);
	memcpy(pin_mask, m.u.async.packet_in_mask, sizeof(pin_mask));
	sl_ofp_msg_free(&m);

	/* Table miss: 300 bytes, max_len NO_BUFFER, miss_send_len 128 caps it. */
	fake_dp_inject_pin(&fx.dp, OFPR_NO_MATCH, 3, 0xabc, 2, 0x77, OFPCML_NO_BUFFER, 300);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PACKET_IN, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.packet_in.buffer_id, OFP_NO_BUFFER);
	CU_ASSERT_EQUAL(m.u.packet_in.total_len, 300);
	CU_ASSERT_EQUAL(m.u.packet_in.data_len, 128);
	CU_ASSERT_EQUAL(m.u.packet_in.table_id, 3);
	CU_ASSERT_EQUAL(m.u.packet_in.cookie, 0xabc);
	CU_ASSERT_EQUAL(m.u.packet_in.match.n_fields, 2); /* in_port, metadata */
	CU_ASSERT_EQUAL(sl_ofp_oxm_value_u64(&m.u.packet_in.match.fields[0]), 2);
	CU_ASSERT_EQUAL(sl_ofp_oxm_value_u64(&m.u.packet_in.match.fields[1]), 0x77);
	CU_ASSERT(m.u.packet_in.data[5] == 5 && m.u.packet_in.data[127] == 127);
	sl_ofp_msg_free(&m);
	/* Action: max_len 64 truncates; metadata 0 is left out, tunnel_id shown. */
	fake_dp_inject_pin(&fx.dp, OFPR_ACTION, 0, 1, 1, 0, 64, 300);
	fx.dp.pins[(fx.dp.pin_tail - 1) % FAKE_MAX_PINS].tunnel_id = 5001;
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PACKET_IN, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.packet_in.data_len, 64);
	CU_ASSERT_EQUAL_FATAL(m.u.packet_in.match.n_fields, 2);
	CU_ASSERT_EQUAL(m.u.packet_in.match.fields[1].field, 38 /* tunnel_id */);
	CU_ASSERT_EQUAL(sl_ofp_oxm_value_u64(&m.u.packet_in.match.fields[1]), 5001);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(fx.dp.pin_released, 2);

	/* Turn packet-in off: nothing arrives, the runtime's buffer is still released. */
	sl_ofp_msg_init(&m, OFPT_SET_ASYNC, 0);
	m.u.async.port_status_mask[0] = 7;
	ofc_send(&fx.c, &m);
	ofc_barrier(&fx.c);
	fake_dp_inject_pin(&fx.dp, OFPR_ACTION, 0, 1, 1, 0, 64, 100);
	CU_ASSERT_EQUAL(ofc_recv(&fx.c, buf, sizeof(buf), 200), 0);
	CU_ASSERT_EQUAL(fx.dp.pin_released, 3);
	fixture_down();
}

static void
slow_pins(struct sl_agent_config *cfg)
{
	cfg->pin_rate_pps = 10;
	cfg->pin_burst = 5;
}

static void
test_packet_in_rate_limit(void)
{
	struct sl_agent_stats st;
	uint8_t buf[4096];
	int got = 0;
	long n;

	CU_ASSERT_FATAL(fixture_up(slow_pins) == 0);
	for (int i = 0; i < 50; i++)
		fake_dp_inject_pin(&fx.dp, OFPR_ACTION, 0, 0, 1, 0, 64, 100);
	while ((n = ofc_recv(&fx.c, buf, sizeof(buf), 150)) > 0)
		got += buf[1] == OFPT_PACKET_IN;
	/* 5 from the burst, maybe 1-2 refilled meanwhile. */
	CU_ASSERT(got >= 5 && got <= 8);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.packet_ins_sent + st.packet_ins_rate_dropped, 50);
	CU_ASSERT_EQUAL(st.packet_ins_sent, (uint64_t)got);
	fixture_down();
}

static void
test_ports(void)
{
	struct sl_ofp_msg m;
	uint32_t n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	build_mp_req(&m, OFPMP_PORT_DESC);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.port_desc.n, 3);
	CU_ASSERT_EQUAL(m.u.multipart.body.port_desc.items[1].port_no, 2);
	CU_ASSERT_STRING_EQUAL(m.u.multipart.body.port_desc.items[1].name, "p2");
	CU_ASSERT_EQUAL(m.u.multipart.body.port_desc.items[1].hw_addr[5], 2);
	sl_ofp_msg_free(&m);

	build_mp_req(&m, OFPMP_PORT_STATS);
	m.u.multipart.body.port_request.port_no = 3;
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL_FATAL(m.u.multipart.body.port_stats.n, 1);
	CU_ASSERT_EQUAL(m.u.multipart.body.port_stats.items[0].rx_packets, 30);
	CU_ASSERT_EQUAL(m.u.multipart.body.port_stats.items[0].tx_bytes, 6000);
	sl_ofp_msg_free(&m);
	build_mp_req(&m, OFPMP_PORT_STATS);
	m.u.multipart.body.port_request.port_no = 9;
	ofc_send(&fx.c, &m);
	expect_error(&fx.c, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT, 24, "port stats 9");

	/* Port status: add, link down, remove. */
	fake_dp_add_port(&fx.dp, 7);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PORT_STATUS, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.port_status.reason, OFPPR_ADD);
	CU_ASSERT_EQUAL(m.u.port_status.desc.port_no, 7);
	sl_ofp_msg_free(&m);
	fake_dp_set_link(&fx.dp, 0, false);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PORT_STATUS, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.port_status.reason, OFPPR_MODIFY);
	CU_ASSERT_EQUAL(m.u.port_status.desc.port_no, 1);
	CU_ASSERT(m.u.port_status.desc.state & OFPPS_LINK_DOWN);
	sl_ofp_msg_free(&m);
	fake_dp_remove_port(&fx.dp, 1);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PORT_STATUS, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.port_status.reason, OFPPR_DELETE);
	CU_ASSERT_EQUAL(m.u.port_status.desc.port_no, 2);
	sl_ofp_msg_free(&m);
	build_mp_req(&m, OFPMP_PORT_DESC);
	ofc_send(&fx.c, &m);
	CU_ASSERT_EQUAL(recv_mp_reply(&fx.c, OFPMP_PORT_DESC, &n, 2000), 1);
	CU_ASSERT_EQUAL(n, 3); /* 1, 3, 7 */
	fixture_down();
}

static void
test_port_mod_and_queues(void)
{
	struct sl_ofp_msg m;
	uint32_t n;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	sl_ofp_msg_init(&m, OFPT_PORT_MOD, 0);
	m.u.port_mod.port_no = 2;
	m.u.port_mod.hw_addr[0] = 2;
	m.u.port_mod.hw_addr[5] = 2;
	m.u.port_mod.config = OFPPC_PORT_DOWN;
	m.u.port_mod.mask = OFPPC_PORT_DOWN;
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PORT_STATUS, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.port_status.reason, OFPPR_MODIFY);
	CU_ASSERT(m.u.port_status.desc.config & OFPPC_PORT_DOWN);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(fx.dp.n_port_mods, 1);

	sl_ofp_msg_init(&m, OFPT_PORT_MOD, 0);
	m.u.port_mod.port_no = 2;
	m.u.port_mod.hw_addr[5] = 9;
	ofc_send(&fx.c, &m);
	expect_error(&fx.c, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_HW_ADDR, 40, "hw addr");
	sl_ofp_msg_init(&m, OFPT_PORT_MOD, 0);
	m.u.port_mod.port_no = 42;
	ofc_send(&fx.c, &m);
	expect_error(&fx.c, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT, 40, "bad port");

	build_mp_req(&m, OFPMP_QUEUE);
	ofc_send(&fx.c, &m);
	CU_ASSERT_EQUAL(recv_mp_reply(&fx.c, OFPMP_QUEUE, &n, 2000), 1);
	CU_ASSERT_EQUAL(n, 0);
	sl_ofp_msg_init(&m, OFPT_QUEUE_GET_CONFIG_REQUEST, 0);
	m.u.queue_config.port = 1;
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_QUEUE_GET_CONFIG_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.queue_config.n_queues, 0);
	sl_ofp_msg_free(&m);
	sl_ofp_msg_init(&m, OFPT_QUEUE_GET_CONFIG_REQUEST, 0);
	m.u.queue_config.port = 99;
	ofc_send(&fx.c, &m);
	expect_error(&fx.c, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT, 16, "queue port");

	build_mp_req(&m, OFPMP_DESC);
	ofc_send(&fx.c, &m);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_MULTIPART_REPLY, &m, 2000) == 0);
	CU_ASSERT_STRING_EQUAL(m.u.multipart.body.desc.dp_desc, "sluice");
	sl_ofp_msg_free(&m);
	fixture_down();
}

/* A primary controller: the agent connects to a socket the test listens on. */
static int primary_fd = -1;
static char primary_target[64];

static void
standalone_cfg(struct sl_agent_config *cfg)
{
	uint16_t port = 0;

	cfg->fail_mode = SL_AGENT_FAIL_STANDALONE;
	primary_fd = ofc_listen(&port);
	CU_ASSERT_FATAL(primary_fd >= 0);
	snprintf(primary_target, sizeof(primary_target), "tcp:127.0.0.1:%u", port);
	cfg->targets[cfg->n_targets++] = primary_target;
}

static void
inject_frame(uint32_t in_port, uint8_t dst_last, uint8_t src_last)
{
	uint8_t *d = fx.dp.pin_data;

	memset(d, 0, 60);
	d[0] = 2, d[5] = dst_last;
	d[6] = 2, d[11] = src_last;
	d[12] = 0x88, d[13] = 0xb5;
	fake_dp_inject_pin(&fx.dp, OFPR_NO_MATCH, 0, 0, in_port, 0, OFPCML_NO_BUFFER, 60);
}

/* What the pipeline does with an unknown frame on port 1 (fail-open: flood). */
static uint32_t
miss_output(void)
{
	static const uint8_t f[60] = { 2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x88, 0xb5 };
	static struct sl_xlate_result r;
	struct sl_flow_key k;

	sl_flow_parse(f, sizeof(f), 1, 1, 0, &k, NULL);
	CU_ASSERT_EQUAL(sl_xlate(fx.pl, &k, &r), 0);
	return r.n_actions == 1 && r.actions[0].type == SL_EXEC_OUTPUT ? r.actions[0].output.port
								       : 0;
}

/* Standalone = fail-open: while no *primary* controller is connected, a
 * table-0 miss runs NORMAL (hidden, no rule); sessions on the listener
 * (service connections, e.g. ovs-ofctl) do not count. */
static void
test_fail_standalone(void)
{
	struct sl_agent_stats st;
	struct of_client ctl;

	CU_ASSERT_FATAL(fixture_up(standalone_cfg) == 0);
	ofc_pump(fx.agent, 20);
	/* fx.c is on the listener: a service connection, fail-open stays */
	CU_ASSERT_TRUE(sl_pipeline_fail_open(fx.pl));
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 0); /* hidden */
	CU_ASSERT_EQUAL(miss_output(), OFPP_FLOOD);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.n_connections, 1);
	CU_ASSERT_EQUAL(st.n_controllers, 0);
	/* A primary controller connects: fail-open ends, misses drop. */
	CU_ASSERT_FATAL(ofc_accept(&ctl, fx.agent, primary_fd, 5000) == 0);
	CU_ASSERT_FALSE(sl_pipeline_fail_open(fx.pl));
	CU_ASSERT_EQUAL(miss_output(), 0);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.n_controllers, 1);
	/* A packet-in goes to the controllers; the agent no longer forwards
	 * anything itself (no packet-in learning loop). */
	inject_frame(1, 0x0b, 0x0a);
	ofc_pump(fx.agent, 20);
	CU_ASSERT_EQUAL(fx.dp.n_pouts, 0);
	/* The service session leaving changes nothing. */
	ofc_close(&fx.c);
	ofc_pump(fx.agent, 50);
	CU_ASSERT_FALSE(sl_pipeline_fail_open(fx.pl));
	/* The primary leaves: fail-open again. */
	ofc_close(&ctl);
	ofc_pump(fx.agent, 50);
	CU_ASSERT_TRUE(sl_pipeline_fail_open(fx.pl));
	CU_ASSERT_EQUAL(miss_output(), OFPP_FLOOD);
	/* Controllers are configured but away: fail-open stands above every
	 * rule (OVS's fail-open flow), so an operator's rule does not take
	 * precedence; deleting all rules keeps fail-open. */
	CU_ASSERT_EQUAL(sl_pipeline_fail_open_mode(fx.pl), SL_FAIL_OPEN_OVERRIDE);
	CU_ASSERT_FATAL(ofc_open(&fx.c, fx.agent, fx.port, true) == 0);
	{
		struct sl_ofp_msg m;

		build_flow_mod(&m, OFPFC_ADD, 0, 10, 1, 0, 3);
		ofc_send(&fx.c, &m);
		sl_ofp_msg_free(&m);
		CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
		CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 1);
		CU_ASSERT_EQUAL(miss_output(), OFPP_FLOOD);
		build_flow_mod(&m, OFPFC_DELETE, OFPTT_ALL, 0, 0, 0, 0);
		ofc_send(&fx.c, &m);
		sl_ofp_msg_free(&m);
		CU_ASSERT_EQUAL(ofc_barrier(&fx.c), 0);
		CU_ASSERT_EQUAL(miss_output(), OFPP_FLOOD);
	}
	fixture_down();
	close(primary_fd);
	primary_fd = -1;
}

/* OVS connmgr: a service connection gets no async messages until it sets a
 * nonzero miss_send_len (set-config) or configures set-async. */
static void
test_service_async(void)
{
	struct of_client s2, s3;
	struct sl_ofp_msg m;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	CU_ASSERT_FATAL(ofc_open_service(&s2, fx.agent, fx.port, true, false) == 0);
	CU_ASSERT_FATAL(ofc_open_service(&s3, fx.agent, fx.port, true, false) == 0);
	sl_ofp_msg_init(&m, OFPT_GET_CONFIG_REQUEST, 0);
	ofc_send(&s2, &m);
	CU_ASSERT_FATAL(ofc_wait(&s2, OFPT_GET_CONFIG_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.config.miss_send_len, 0); /* as ovs-ofctl sees on OVS */
	sl_ofp_msg_free(&m);
	inject_frame(1, 0x0b, 0x0a);
	CU_ASSERT_FATAL(ofc_wait(&fx.c, OFPT_PACKET_IN, &m, 2000) == 0); /* asked for it */
	sl_ofp_msg_free(&m);
	CU_ASSERT_NOT_EQUAL(ofc_wait(&s2, OFPT_PACKET_IN, &m, 200), 0);
	CU_ASSERT_NOT_EQUAL(ofc_wait(&s3, OFPT_PACKET_IN, &m, 50), 0);
	/* s3 configures async: it gets the default miss_send_len and packet-ins */
	sl_ofp_msg_init(&m, OFPT_SET_ASYNC, 0);
	m.u.async.packet_in_mask[0] = 3;
	m.u.async.port_status_mask[0] = 7;
	ofc_send(&s3, &m);
	sl_ofp_msg_free(&m);
	CU_ASSERT_EQUAL(ofc_barrier(&s3), 0);
	sl_ofp_msg_init(&m, OFPT_GET_CONFIG_REQUEST, 0);
	ofc_send(&s3, &m);
	CU_ASSERT_FATAL(ofc_wait(&s3, OFPT_GET_CONFIG_REPLY, &m, 2000) == 0);
	CU_ASSERT_EQUAL(m.u.config.miss_send_len, 128);
	sl_ofp_msg_free(&m);
	inject_frame(1, 0x0b, 0x0a);
	CU_ASSERT_FATAL(ofc_wait(&s3, OFPT_PACKET_IN, &m, 2000) == 0);
	sl_ofp_msg_free(&m);
	CU_ASSERT_NOT_EQUAL(ofc_wait(&s2, OFPT_PACKET_IN, &m, 200), 0);
	ofc_close(&s2);
	ofc_close(&s3);
	fixture_down();
}

/* Secure: without a controller, nothing is installed and packet-ins are dropped. */
static void
test_fail_secure(void)
{
	struct sl_agent_stats st;

	CU_ASSERT_FATAL(fixture_up(NULL) == 0);
	ofc_close(&fx.c);
	ofc_pump(fx.agent, 50);
	CU_ASSERT_EQUAL(sl_pipeline_table_count(fx.pl, 0), 0);
	inject_frame(1, 0x0b, 0x0a);
	ofc_pump(fx.agent, 20);
	CU_ASSERT_EQUAL(fx.dp.n_pouts, 0);
	CU_ASSERT_EQUAL(fx.dp.pin_released, 1);
	sl_agent_get_stats(fx.agent, &st);
	CU_ASSERT_EQUAL(st.packet_ins_no_controller, 1);
	CU_ASSERT_EQUAL(st.n_connections, 0);
	CU_ASSERT_FATAL(ofc_open(&fx.c, fx.agent, fx.port, true) == 0);
	fixture_down();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "handshake_features", test_handshake_features },
		{ "hello_incompatible", test_hello_incompatible },
		{ "echo_and_config", test_echo_and_config },
		{ "bad_messages", test_bad_messages },
		{ "roles", test_roles },
		{ "role_status_v14", test_role_status_v14 },
		{ "async_config_and_packet_in", test_async_config_and_packet_in },
		{ "packet_in_rate_limit", test_packet_in_rate_limit },
		{ "ports", test_ports },
		{ "port_mod_and_queues", test_port_mod_and_queues },
		{ "fail_standalone", test_fail_standalone },
		{ "service_async", test_service_async },
		{ "fail_secure", test_fail_secure },
	};

	return cunit_run_suite("agent_session", tests, CUNIT_N_TESTS(tests));
}
