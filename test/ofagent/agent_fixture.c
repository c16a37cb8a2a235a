/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared set-up for the agent's tests (agent_fixture.h). */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "agent_fixture.h"

struct fixture fx;
uint32_t fixture_max_rules_per_table;

int
fixture_up(void (*cfg_adjust)(struct sl_agent_config *cfg))
{
	struct sl_pipeline_config pc = { 0 };
	struct sl_agent_config cfg = { 0 };
	char err[256];

	memset(&fx, 0, sizeof(fx));
	fake_dp_init(&fx.dp, 3);
	pc.on_removed = sl_agent_rule_removed;
	pc.cb_ctx = &fx.agent;
	pc.max_rules_per_table = fixture_max_rules_per_table;
	fx.pl = sl_pipeline_create(&pc);
	if (fx.pl == NULL)
		return -1;
	fx.dp.pl = fx.pl;
	cfg.datapath_id = 0x1234;
	cfg.targets[0] = "ptcp:0";
	cfg.n_targets = 1;
	cfg.probe_interval_ms = 60000;
	cfg.pin_rate_pps = 100000;
	cfg.pin_burst = 100000;
	if (cfg_adjust)
		cfg_adjust(&cfg);
	fx.agent = sl_agent_create(&cfg, &fake_dp_ops, &fx.dp, fx.pl, err, sizeof(err));
	if (fx.agent == NULL) {
		fprintf(stderr, "agent: %s\n", err);
		return -1;
	}
	fx.port = sl_agent_listen_port(fx.agent, 0);
	return ofc_open(&fx.c, fx.agent, fx.port, true);
}

void
fixture_service_roles(struct sl_agent_config *cfg)
{
	cfg->service_roles = true;
}

void
fixture_down(void)
{
	ofc_close(&fx.c);
	sl_agent_destroy(fx.agent);
	fx.agent = NULL;
	sl_pipeline_destroy(fx.pl);
}

void
expect_error(struct of_client *c, uint16_t type, uint16_t code, size_t req_len, const char *what)
{
	struct sl_ofp_msg m;
	int rc = ofc_wait(c, OFPT_ERROR, &m, 2000);

	CU_ASSERT_EQUAL_FATAL(rc, 0);
	if (m.u.error.type != type || m.u.error.code != code)
		fprintf(stderr, "%s: got error %u/%u, want %u/%u\n", what, m.u.error.type,
			m.u.error.code, type, code);
	CU_ASSERT_EQUAL(m.u.error.type, type);
	CU_ASSERT_EQUAL(m.u.error.code, code);
	CU_ASSERT_EQUAL(m.u.error.data_len, req_len < 64 ? req_len : 64);
	sl_ofp_msg_free(&m);
}

void
build_flow_mod(struct sl_ofp_msg *m, uint8_t cmd, uint8_t table, uint16_t prio,
	       uint32_t in_port, uint16_t eth_type, uint32_t out)
{
	struct sl_ofp_flow_mod *f = &m->u.flow_mod;
	struct sl_ofp_oxm *ox;

	sl_ofp_msg_init(m, OFPT_FLOW_MOD, 0);
	ox = sl_ofp_msg_alloc(m, 2 * sizeof(*ox));
	f->command = cmd;
	f->table_id = table;
	f->priority = prio;
	f->buffer_id = OFP_NO_BUFFER;
	f->out_port = OFPP_ANY;
	f->out_group = OFPG_ANY;
	f->match.type = OFPMT_OXM;
	f->match.fields = ox;
	if (in_port)
		sl_ofp_oxm_set_basic(&ox[f->match.n_fields++], 0 /* in_port */, in_port, NULL);
	if (eth_type)
		sl_ofp_oxm_set_basic(&ox[f->match.n_fields++], 5 /* eth_type */, eth_type, NULL);
	if (out) {
		struct sl_ofp_instruction *in = sl_ofp_msg_alloc(m, sizeof(*in));
		struct sl_ofp_action *ac = sl_ofp_msg_alloc(m, sizeof(*ac));

		ac->type = OFPAT_OUTPUT;
		ac->u.output.port = out;
		ac->u.output.max_len = OFPCML_NO_BUFFER;
		in->type = OFPIT_APPLY_ACTIONS;
		in->u.actions.actions = ac;
		in->u.actions.n_actions = 1;
		f->instructions = in;
		f->n_instructions = 1;
	}
}

void
build_flow_stats_req(struct sl_ofp_msg *m, uint16_t mp_type, uint8_t table)
{
	struct sl_ofp_flow_stats_request *q;

	sl_ofp_msg_init(m, OFPT_MULTIPART_REQUEST, 0);
	m->u.multipart.type = mp_type;
	q = &m->u.multipart.body.flow_request;
	q->table_id = table;
	q->out_port = OFPP_ANY;
	q->out_group = OFPG_ANY;
	q->match.type = OFPMT_OXM;
}

void
build_mp_req(struct sl_ofp_msg *m, uint16_t type)
{
	sl_ofp_msg_init(m, OFPT_MULTIPART_REQUEST, 0);
	m->u.multipart.type = type;
	switch (type) {
	case OFPMP_PORT_STATS: m->u.multipart.body.port_request.port_no = OFPP_ANY; break;
	case OFPMP_QUEUE:
		m->u.multipart.body.queue_request.port_no = OFPP_ANY;
		m->u.multipart.body.queue_request.queue_id = OFPQ_ALL;
		break;
	case OFPMP_GROUP: m->u.multipart.body.group_request.group_id = OFPG_ALL; break;
	case OFPMP_METER: case OFPMP_METER_CONFIG:
		m->u.multipart.body.meter_request.meter_id = OFPM_ALL;
		break;
	case OFPMP_FLOW: case OFPMP_AGGREGATE:
		build_flow_stats_req(m, type, OFPTT_ALL);
		break;
	default: break;
	}
}

static uint32_t
mp_items(const struct sl_ofp_multipart *mp)
{
	switch (mp->type) {
	case OFPMP_FLOW: return mp->body.flow_stats.n;
	case OFPMP_TABLE: return mp->body.table_stats.n;
	case OFPMP_PORT_STATS: return mp->body.port_stats.n;
	case OFPMP_QUEUE: return mp->body.queue_stats.n;
	case OFPMP_GROUP: return mp->body.group_stats.n;
	case OFPMP_GROUP_DESC: return mp->body.group_desc.n;
	case OFPMP_METER: return mp->body.meter_stats.n;
	case OFPMP_METER_CONFIG: return mp->body.meter_config.n;
	case OFPMP_TABLE_FEATURES: return mp->body.table_features.n;
	case OFPMP_PORT_DESC: return mp->body.port_desc.n;
	default: return 1;
	}
}

int
recv_mp_reply(struct of_client *c, uint16_t type, uint32_t *n_items, int timeout_ms)
{
	int parts = 0;

	*n_items = 0;
	for (;;) {
		struct sl_ofp_msg m;
		bool more;

		if (ofc_wait(c, OFPT_MULTIPART_REPLY, &m, timeout_ms) != 0)
			return -1;
		parts++;
		if (m.u.multipart.type != type) {
			sl_ofp_msg_free(&m);
			return -1;
		}
		*n_items += mp_items(&m.u.multipart);
		more = m.u.multipart.flags & OFPMPF_REPLY_MORE;
		sl_ofp_msg_free(&m);
		if (!more)
			return parts;
	}
}

void
send_role(struct of_client *c, uint32_t role, uint64_t gen)
{
	struct sl_ofp_msg m;

	sl_ofp_msg_init(&m, OFPT_ROLE_REQUEST, 0);
	m.u.role.role = role;
	m.u.role.generation_id = gen;
	ofc_send(c, &m);
	sl_ofp_msg_free(&m);
}

uint32_t
role_reply(struct of_client *c)
{
	struct sl_ofp_msg m;
	uint32_t role;

	if (ofc_wait(c, OFPT_ROLE_REPLY, &m, 2000) != 0)
		return 0xdead;
	role = m.u.role.role;
	sl_ofp_msg_free(&m);
	return role;
}
