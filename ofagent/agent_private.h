/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_PRIVATE_H
#define SL_AGENT_PRIVATE_H

/**
 * @file
 * INTERNAL to ofagent/: the agent's state shared by its source files
 * (agent.c: sessions and dispatch; agent_async.c: packet-in, port status,
 * flow-removed; agent_mp.c: multipart; agent_flow.c: flow/group/meter mods).
 */

#include <stdbool.h>
#include <stdint.h>

#include "openflow.h"
#include "openflow_v14.h"
#include "sl_agent.h"
#include "sl_log.h"
#include "sl_match.h"
#include "sl_ofconn.h"
#include "sl_ofp.h"
#include "sl_ofp_v14.h"

/** OFP_DEFAULT_MISS_SEND_LEN: what set-async gives a service connection. */
#define AGENT_DEFAULT_MISS_SEND_LEN 128

/** Index of the async-config masks: [0] master or equal, [1] slave. */
enum { AGENT_ASYNC_MASTER = 0, AGENT_ASYNC_SLAVE = 1 };

/** Per-connection OpenFlow session state (the ofconn's priv). */
struct agent_conn {
	struct sl_agent *a;
	struct sl_ofconn *c;
	bool hello_done;          /**< version negotiated */
	bool rejected;            /**< negotiation failed: closing, ignore input */
	bool service;             /**< accepted on a listener: not a controller (OVS connmgr) */
	uint8_t version;          /**< negotiated wire version (4, 5, 6) */
	uint16_t short_id;        /**< OF1.5 role request's controller id, echoed */
	uint32_t role;            /**< OFPCR_ROLE_EQUAL/MASTER/SLAVE */
	uint16_t miss_send_len;
	uint32_t async_pin[2], async_ps[2], async_fr[2];
	uint32_t async_rs[2];     /**< OF1.4+ role status reasons wanted */
	uint32_t async_rf[2];     /**< OF1.4+ requestforward reasons wanted (none by default) */
	uint32_t async_ts[2];     /**< OF1.4+ table status reasons wanted (agent_table14.c) */
	double pin_tokens;        /**< packet-in token bucket */
	uint64_t pin_last_ns;
	uint64_t pin_rate_dropped;
	struct agent_bundles *bundles; /**< open bundles (agent_bundle.c), NULL: none */
	struct agent_monitors *monitors; /**< flow monitors (agent_monitor.c), NULL: none */
};

struct agent_flows;   /* agent_flow.c */
struct agent_monitor_state; /* agent_monitor.c */
struct agent_tables14;      /* agent_table14.c */

struct sl_agent {
	struct sl_agent_config cfg;
	char *targets[SL_AGENT_MAX_TARGETS];
	const struct sl_agent_dp_ops *ops;
	void *dp;
	struct sl_pipeline *pl;
	struct sl_ofconn_mgr *mgr;
	struct sl_agent_stats st;
	uint16_t frag_flags;      /**< switch-wide OFPC_FRAG_* */
	bool gen_valid;           /**< a master/slave request set gen_id */
	uint64_t gen_id;
	uint64_t port_seq;        /**< last ops->port_seq() turned into port-status */
	struct sl_agent_port *ports; /**< snapshot matching port_seq */
	unsigned int n_ports;
	struct sl_ofp_buf tx;     /**< scratch encode buffer */
	struct agent_flows *flows;
	struct agent_monitor_state *mon; /**< flow monitoring (agent_monitor.c), NULL: never used */
	struct agent_tables14 *t14; /**< vacancy events (agent_table14.c), NULL: never set */
	bool debug;               /**< log errors sent (SL_AGENT_DEBUG) */
	bool destroying;          /**< no fail-mode changes while closing */
};

/* ---- agent.c ---- */
/** Monotonic nanoseconds. */
uint64_t agent_now_ns(void);
/** Encode @p m in the connection's version and queue it. 0 or -1. */
int agent_send(struct agent_conn *ac, struct sl_ofp_msg *m, bool optional);
/** Encode a multipart reply split at 64 KiB and queue all parts. */
int agent_send_multipart(struct agent_conn *ac, struct sl_ofp_msg *m);
/** Answer @p req with OFPT_ERROR (@p type, @p code) and its first 64 bytes. */
void agent_send_error(struct agent_conn *ac, const uint8_t *req, size_t len,
		      uint16_t type, uint16_t code);
/** True if @p ac's role and async config want async @p msg_type with @p reason. */
bool agent_async_wanted(const struct agent_conn *ac, uint8_t msg_type, uint8_t reason);

/* ---- agent_async.c ---- */
/** Drain packet-ins from the runtime and send them; returns how many. */
unsigned int agent_packet_ins(struct sl_agent *a);
/** Send OFPT_PORT_STATUS for every port change since the last call. */
void agent_port_status(struct sl_agent *a);
/** Fill an ofp_port from the runtime's port. */
void agent_port_to_ofp(const struct sl_agent_port *p, struct sl_ofp_port *out);
/** The checks of a port-mod (port, hw_addr, config bits, advertise): 0,
 *  or -1 with the OFPPMFC_* code (type OFPET_PORT_MOD_FAILED) in @p code;
 *  bundles use it too. */
int agent_port_mod_check(struct sl_agent *a, const struct sl_ofp_port_mod *pm, uint16_t *code);
/** Port-mod request. */
void agent_handle_port_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
			   const uint8_t *raw, size_t len);
/** Send @p m (an async message) to every connection that wants it. */
void agent_send_async(struct sl_agent *a, struct sl_ofp_msg *m, uint8_t reason);
/**
 * OFPT_REQUESTFORWARD: after @p from's group-mod or meter-mod (@p raw)
 * succeeded, send it to every other OF1.4+ session whose async config asks
 * for @p reason (SL_OFPRFR_*).
 */
void agent_request_forward(struct agent_conn *from, const uint8_t *raw, size_t len,
			   uint8_t reason);

/* ---- agent_mp.c ---- */
/** Answer a multipart request. */
void agent_handle_multipart(struct agent_conn *ac, const struct sl_ofp_msg *m,
			    const uint8_t *raw, size_t len);

/* ---- agent_flow.c (tables, groups, meters, packet-out) ---- */
/** Allocate flow-table state; -1 on failure. */
int agent_flows_init(struct sl_agent *a);
/** Free flow-table state (rules stay in the pipeline's hands). */
void agent_flows_fini(struct sl_agent *a);
/** Expire rules whose idle/hard timeout passed (flow-removed). */
void agent_flows_expire(struct sl_agent *a);
/** Flow-mod / group-mod / meter-mod / table-mod / packet-out. */
void agent_handle_flow_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
			   const uint8_t *raw, size_t len);
void agent_handle_group_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
			    const uint8_t *raw, size_t len);
void agent_handle_meter_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
			    const uint8_t *raw, size_t len);
void agent_handle_table_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
			    const uint8_t *raw, size_t len);
void agent_handle_packet_out(struct agent_conn *ac, const struct sl_ofp_msg *m,
			     const uint8_t *raw, size_t len);
/** Multipart parts that read the tables: FLOW, AGGREGATE, TABLE, GROUP*, METER*,
 *  TABLE_FEATURES. Returns false if @p m's type is not one of them. */
bool agent_flows_multipart(struct agent_conn *ac, const struct sl_ofp_msg *m,
			   const uint8_t *raw, size_t len);
/** Fail mode standalone: tell the flow side whether a controller is connected. */
void agent_flows_controller_present(struct sl_agent *a, bool present);

#endif /* SL_AGENT_PRIVATE_H */
