/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef AGENT_FIXTURE_H
#define AGENT_FIXTURE_H

/* One agent + real pipeline + fake runtime listening on ptcp:0, and a
 * connected test controller: what every agent test starts from. */

#include "fake_dp.h"
#include "of_client.h"
#include "sl_agent.h"
#include "sl_pipeline.h"

struct fixture {
	struct fake_dp dp;
	struct sl_pipeline *pl;
	struct sl_agent *agent;
	struct of_client c;
	uint16_t port;
};

extern struct fixture fx;
/** The pipeline's max_rules_per_table for the next fixture_up() (0: default). */
extern uint32_t fixture_max_rules_per_table;

/** Build the fixture with @p cfg_adjust applied to the default config (may be NULL). */
int fixture_up(void (*cfg_adjust)(struct sl_agent_config *cfg));
void fixture_down(void);
/* cfg_adjust for fixture_up(): the test clients (service connections on the
 * listener) may take roles, as [openflow] service_roles = yes. */
void fixture_service_roles(struct sl_agent_config *cfg);

/** Expect an OFPT_ERROR (type, code) answering a request of @p req_len bytes. */
void expect_error(struct of_client *c, uint16_t type, uint16_t code, size_t req_len,
		  const char *what);

/* ---- message builders (all lists live in the message arena) ---- */
/** Flow-mod: match in_port (0 = none) + eth_type (0 = none); apply output:out (0 = none). */
void build_flow_mod(struct sl_ofp_msg *m, uint8_t cmd, uint8_t table, uint16_t prio,
		    uint32_t in_port, uint16_t eth_type, uint32_t out);
/** Flow/aggregate stats request for table @p table (OFPTT_ALL = all). */
void build_flow_stats_req(struct sl_ofp_msg *m, uint16_t mp_type, uint8_t table);
/** Simple multipart request of @p type with an empty or default body. */
void build_mp_req(struct sl_ofp_msg *m, uint16_t type);
/* Role request for @role with generation @gen; the role of the reply, or
 * 0xdead when none came. */
void send_role(struct of_client *c, uint32_t role, uint64_t gen);
uint32_t role_reply(struct of_client *c);
/** Collect a (possibly split) multipart reply; returns the number of parts, n items in *n. */
int recv_mp_reply(struct of_client *c, uint16_t type, uint32_t *n_items, int timeout_ms);

#endif /* AGENT_FIXTURE_H */
