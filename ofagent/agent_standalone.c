/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fail mode standalone: while no controller is connected, the agent itself
 * acts as a MAC-learning L2 switch, reactively, through the same pipeline
 * and runtime operations a controller would use:
 *  - a table-miss rule in table 0 sends unknown traffic to the agent;
 *  - each packet-in teaches (eth_src -> in_port); a known unicast eth_dst
 *    gets a rule (in_port, eth_dst -> output) with an idle timeout, and the
 *    packet is sent on with packet-out; anything else is flooded.
 * Every rule it adds carries SL_AGENT_STANDALONE_COOKIE; they are all
 * deleted when a controller connects (the controller owns the tables
 * again; rules it had installed before stay, as in secure mode).
 * The OpenFlow NORMAL output action is not implemented by the pipeline.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "agent_convert.h"
#include "agent_flow.h"

#define STANDALONE_IDLE_S 60
#define STANDALONE_PRIORITY 10
#define MAC_AGE_NS (300ull * 1000000000ull)

struct mac_entry {
	uint8_t mac[6];
	uint32_t port;
	uint64_t seen_ns; /* 0: free */
};

size_t agent_mac_entry_size(void) { return sizeof(struct mac_entry); }

static struct mac_entry *
mac_find(struct agent_flows *f, const uint8_t *mac, bool create)
{
	struct mac_entry *oldest = NULL;

	for (unsigned int i = 0; i < AGENT_MAC_TABLE; i++) {
		struct mac_entry *e = &f->macs[i];

		if (e->seen_ns && memcmp(e->mac, mac, 6) == 0)
			return e;
		if (!oldest || e->seen_ns < oldest->seen_ns)
			oldest = e;
	}
	if (!create)
		return NULL;
	memcpy(oldest->mac, mac, 6);
	return oldest;
}

static void
flow_mod_common(struct sl_flow_mod *fm, uint8_t cmd)
{
	memset(fm, 0, sizeof(*fm));
	fm->command = cmd;
	fm->out_port = OFPP_ANY;
	fm->out_group = OFPG_ANY;
	fm->cookie = SL_AGENT_STANDALONE_COOKIE;
	fm->cookie_mask = UINT64_MAX;
	fm->now_ns = agent_now_ns();
	sl_match_init_catchall(&fm->match);
}

static void
install_table_miss(struct sl_agent *a)
{
	struct sl_action out = { .type = OFPAT_OUTPUT };
	struct sl_flow_mod fm;

	out.output.port = OFPP_CONTROLLER;
	out.output.max_len = OFPCML_NO_BUFFER;
	flow_mod_common(&fm, OFPFC_ADD);
	fm.table_id = 0;
	fm.priority = 0;
	fm.ins.apply = &out;
	fm.ins.n_apply = 1;
	if (sl_pipeline_flow_mod(a->pl, &fm, NULL) == 0)
		a->ops->tables_changed(a->dp);
}

static void
delete_own_rules(struct sl_agent *a)
{
	struct sl_flow_mod fm;

	flow_mod_common(&fm, OFPFC_DELETE);
	fm.table_id = OFPTT_ALL;
	if (sl_pipeline_flow_mod(a->pl, &fm, NULL) == 0)
		a->ops->tables_changed(a->dp);
}

void
agent_flows_controller_present(struct sl_agent *a, bool present)
{
	struct agent_flows *f = a->flows;

	if (f == NULL || a->destroying)
		return;
	f->controller_present = present;
	if (a->cfg.fail_mode != SL_AGENT_FAIL_STANDALONE)
		return;
	if (!present && !f->standalone_active) {
		f->standalone_active = true;
		memset(f->macs, 0, AGENT_MAC_TABLE * sizeof(*f->macs));
		install_table_miss(a);
	} else if (present && f->standalone_active) {
		f->standalone_active = false;
		delete_own_rules(a);
	}
}

bool
agent_standalone_active(const struct sl_agent *a)
{
	return a->flows && a->flows->standalone_active;
}

static void
install_l2_rule(struct sl_agent *a, uint32_t in_port, const uint8_t *dst, uint32_t out_port)
{
	struct sl_action out = { .type = OFPAT_OUTPUT };
	uint32_t in_port_be = htonl(in_port);
	struct sl_flow_mod fm;

	out.output.port = out_port;
	flow_mod_common(&fm, OFPFC_ADD);
	fm.table_id = 0;
	fm.priority = STANDALONE_PRIORITY;
	fm.idle_timeout = STANDALONE_IDLE_S;
	if (sl_match_set_oxm(&fm.match, SL_OXM_IN_PORT, &in_port_be, NULL, 4) != 0 ||
	    sl_match_set_oxm(&fm.match, SL_OXM_ETH_DST, dst, NULL, 6) != 0)
		return;
	fm.ins.apply = &out;
	fm.ins.n_apply = 1;
	if (sl_pipeline_flow_mod(a->pl, &fm, NULL) == 0)
		a->ops->tables_changed(a->dp);
}

void
agent_standalone_packet_in(struct sl_agent *a, const struct sl_agent_packet_in *pin)
{
	struct agent_flows *f = a->flows;
	struct sl_action out = { .type = OFPAT_OUTPUT };
	struct sl_agent_actions list = { &out, 1 };
	const uint8_t *dst = pin->data, *src = pin->data + 6;
	uint64_t now = agent_now_ns();
	struct mac_entry *e;
	uint16_t type, code;

	if (pin->data_len < 14 || pin->data_len < pin->total_len)
		return; /* need the whole frame to forward it */
	if (!(src[0] & 1)) { /* learn unicast sources only */
		e = mac_find(f, src, true);
		e->port = pin->in_port;
		e->seen_ns = now;
	}
	e = (dst[0] & 1) ? NULL : mac_find(f, dst, false);
	if (e && now - e->seen_ns > MAC_AGE_NS)
		e = NULL;
	if (e && e->port == pin->in_port)
		return; /* destination is behind the ingress port: drop */
	out.output.port = e ? e->port : OFPP_FLOOD;
	if (e)
		install_l2_rule(a, pin->in_port, dst, e->port);
	a->ops->packet_out(a->dp, pin->in_port, &list, pin->data, pin->data_len, &type, &code);
}
