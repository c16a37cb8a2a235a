/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow agent: life cycle, sessions (hello, echo, features, config,
 * barrier, roles, async config) and message dispatch. Requests that touch
 * the tables live in agent_flow.c, statistics in agent_mp.c, asynchronous
 * messages in agent_async.c.
 *
 * Every request is decoded and validated by lib/ofp first; whatever it
 * refuses is answered with the OFPT_ERROR it names plus the first 64 bytes
 * of the request, and the session goes on (OF1.3 7.4.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent_bundle.h"
#include "agent_monitor.h"
#include "agent_table14.h"
#include "agent_private.h"
#include "sl_ofp_forward.h"
#include "sl_ofp_hello.h"
#include "sl_pipeline.h"

#define AGENT_OF_VERSION OFP13_VERSION /* the oldest version spoken */

uint64_t
agent_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- sending ---- */

int
agent_send(struct agent_conn *ac, struct sl_ofp_msg *m, bool optional)
{
	struct sl_agent *a = ac->a;

	m->version = ac->version ? ac->version : AGENT_OF_VERSION;
	a->tx.len = 0;
	if (sl_ofp_encode(m, &a->tx) != 0)
		return -1;
	return sl_ofconn_send(ac->c, a->tx.data, a->tx.len, optional);
}

int
agent_send_multipart(struct agent_conn *ac, struct sl_ofp_msg *m)
{
	struct sl_agent *a = ac->a;

	m->version = ac->version;
	a->tx.len = 0;
	if (sl_ofp_encode_multipart(m, &a->tx, 0) < 1)
		return -1;
	return sl_ofconn_send(ac->c, a->tx.data, a->tx.len, false);
}

void
agent_send_error(struct agent_conn *ac, const uint8_t *req, size_t len,
		 uint16_t type, uint16_t code)
{
	struct sl_ofp_error err = { .type = type, .code = code, .offset = 0 };
	struct sl_ofp_msg reply;

	sl_ofp_error_reply(&err, req, len, &reply);
	agent_send(ac, &reply, false);
	ac->a->st.errors_sent++;
	if (ac->a->debug) {
		fprintf(stderr, "ofagent: %s: %s %s/%s for", sl_ofconn_name(ac->c),
			sl_ofp_type_name(req[1]), sl_ofp_error_type_name(type),
			sl_ofp_error_code_name(type, code));
		for (size_t i = 0; i < len && i < 128; i++)
			fprintf(stderr, " %02x", req[i]);
		fputc('\n', stderr);
	}
}

/* Default async configuration (OF1.3 6.1.1): masters and equals get
 * every packet-in but INVALID_TTL, every port status and flow removed;
 * slaves get port status only. */
static void
async_defaults(struct agent_conn *ac)
{
	ac->async_pin[AGENT_ASYNC_MASTER] = 1u << OFPR_NO_MATCH | 1u << OFPR_ACTION;
	ac->async_pin[AGENT_ASYNC_SLAVE] = 0;
	ac->async_ps[AGENT_ASYNC_MASTER] = ac->async_ps[AGENT_ASYNC_SLAVE] =
		1u << OFPPR_ADD | 1u << OFPPR_DELETE | 1u << OFPPR_MODIFY;
	ac->async_fr[AGENT_ASYNC_MASTER] = 1u << OFPRR_IDLE_TIMEOUT |
		1u << OFPRR_HARD_TIMEOUT | 1u << OFPRR_DELETE | 1u << OFPRR_GROUP_DELETE;
	ac->async_fr[AGENT_ASYNC_SLAVE] = 0;
	/* OF1.4 7.3.10: role status on for every role */
	ac->async_rs[AGENT_ASYNC_MASTER] = ac->async_rs[AGENT_ASYNC_SLAVE] =
		1u << OFPCRR_MASTER_REQUEST | 1u << 1 | 1u << 2;
	/* Vacancy events are off until a table-mod turns them on: whoever
	 * does so wants them, as masters and equals (slaves: set-async). */
	ac->async_ts[AGENT_ASYNC_MASTER] = 1u << SL_OFPTR_VACANCY_DOWN | 1u << SL_OFPTR_VACANCY_UP;
	ac->async_ts[AGENT_ASYNC_SLAVE] = 0;
}

/* The version is known: OF1.4 added OFPRR_METER_DELETE, wanted by default
 * like every other flow-removed reason (7.3.10; EVICTION never happens). */
static void
version_known(struct agent_conn *ac, uint8_t version)
{
	ac->version = version;
	ac->hello_done = true;
	if (version >= OFP14_VERSION)
		ac->async_fr[AGENT_ASYNC_MASTER] |= 1u << OFPRR_METER_DELETE;
}

bool
agent_async_wanted(const struct agent_conn *ac, uint8_t msg_type, uint8_t reason)
{
	int i = ac->role == OFPCR_ROLE_SLAVE ? AGENT_ASYNC_SLAVE : AGENT_ASYNC_MASTER;
	uint32_t mask;

	if (!ac->hello_done || reason >= 32)
		return false;
	/* OVS connmgr: service connections get asynchronous messages only once
	 * they asked for them with a nonzero miss_send_len (set-config, or
	 * set-async, which sets the default). */
	if (ac->service && ac->miss_send_len == 0)
		return false;
	switch (msg_type) {
	case OFPT_PACKET_IN: mask = ac->async_pin[i]; break;
	case OFPT_PORT_STATUS: mask = ac->async_ps[i]; break;
	case OFPT_FLOW_REMOVED: mask = ac->async_fr[i]; break;
	case OFPT_TABLE_STATUS: mask = ac->version >= OFP14_VERSION ? ac->async_ts[i] : 0; break;
	default: return false;
	}
	return (mask >> reason) & 1;
}

/* ---- connection callbacks ---- */

static void
wants_invalid_ttl(struct sl_ofconn *c, void *arg)
{
	struct agent_conn *ac = sl_ofconn_get_priv(c);

	if (ac != NULL && agent_async_wanted(ac, OFPT_PACKET_IN, OFPR_INVALID_TTL))
		*(bool *)arg = true;
}

/* Whether the workers make OFPR_INVALID_TTL packet-ins (a dec_ttl finding
 * TTL 0 or 1 drops the packet either way). OF1.3 asks for them per
 * session, in the async config (set-async; the defaults leave them out),
 * not with OF1.1's OFPC_INVALID_TTL_TO_CONTROLLER: the workers make them
 * while some session wants them and otherwise drop the packet without one.
 * Run after every message and disconnection (async configs, roles and
 * sessions change there); the pipeline bumps its version only when the
 * answer changes. */
static void
update_invalid_ttl(struct sl_agent *a)
{
	bool want = false;

	if (a->destroying)
		return;
	sl_ofconn_mgr_foreach(a->mgr, wants_invalid_ttl, &want);
	sl_pipeline_set_invalid_ttl_to_controller(a->pl, want);
}

static void
send_hello(struct agent_conn *ac)
{
	struct sl_ofp_msg m;
	struct sl_ofp_hello_elem *e;
	uint32_t *bitmap;

	sl_ofp_msg_init(&m, OFPT_HELLO, 0);
	e = sl_ofp_msg_alloc(&m, sizeof(*e));
	bitmap = sl_ofp_msg_alloc(&m, sizeof(*bitmap));
	if (e && bitmap) {
		*bitmap = sl_ofp_supported_versions();
		e->type = OFPHET_VERSIONBITMAP;
		e->bitmaps = bitmap;
		e->n_bitmaps = 1;
		m.u.hello.elements = e;
		m.u.hello.n_elements = 1;
	}
	/* the header carries the highest version we speak (OF1.3 6.3.1) */
	m.version = OFP15_VERSION;
	ac->a->tx.len = 0;
	if (sl_ofp_encode(&m, &ac->a->tx) == 0)
		sl_ofconn_send(ac->c, ac->a->tx.data, ac->a->tx.len, false);
	sl_ofp_msg_free(&m);
}

static void
on_connect(void *ctx, struct sl_ofconn *c)
{
	struct sl_agent *a = ctx;
	struct agent_conn *ac = calloc(1, sizeof(*ac));

	if (ac == NULL) {
		sl_ofconn_close(c, false, "out of memory");
		return;
	}
	ac->a = a;
	ac->c = c;
	ac->role = OFPCR_ROLE_EQUAL;
	/* OVS: a service connection (ovs-ofctl on the listener) starts with
	 * miss_send_len 0, which keeps asynchronous messages away from it. */
	ac->service = sl_ofconn_is_service(c);
	ac->miss_send_len = ac->service ? 0 : a->cfg.miss_send_len;
	ac->pin_tokens = a->cfg.pin_burst;
	ac->pin_last_ns = agent_now_ns();
	async_defaults(ac);
	sl_ofconn_set_priv(c, ac);
	send_hello(ac);
}

struct session_count {
	unsigned int all, primary;
};

static void
count_sessions(struct sl_ofconn *c, void *arg)
{
	struct agent_conn *ac = sl_ofconn_get_priv(c);
	struct session_count *n = arg;

	if (ac && ac->hello_done) {
		n->all++;
		n->primary += !ac->service;
	}
}

/* Primary (controller) sessions: only they count for the fail mode. */
static unsigned int
n_sessions(struct sl_agent *a)
{
	struct session_count n = { 0, 0 };

	sl_ofconn_mgr_foreach(a->mgr, count_sessions, &n);
	return n.primary;
}

static void
on_disconnect(void *ctx, struct sl_ofconn *c, const char *why)
{
	struct sl_agent *a = ctx;
	struct agent_conn *ac = sl_ofconn_get_priv(c);

	sl_ofconn_set_priv(c, NULL);
	if (ac && ac->hello_done) {
		SL_LOG(SL_LOG_OFAGENT, ac->service ? SL_LOG_INFO : SL_LOG_WARNING,
		       "ofagent: %s: %s lost: %s", sl_ofconn_name(c),
		       ac->service ? "service session" : "controller", why ? why : "closed");
		ac->hello_done = false; /* not counted by n_sessions() below */
		if (!ac->service && n_sessions(a) == 0)
			agent_flows_controller_present(a, false);
	}
	if (ac) {
		agent_bundle_conn_closed(ac); /* uncommitted bundles are discarded */
		agent_monitor_conn_closed(ac);
	}
	free(ac);
	update_invalid_ttl(a);
}

/* OFPET_HELLO_FAILED is built by hand: the peer may speak a version the
 * codec does not encode, and this error must be readable in its version. */
static void
hello_failed(struct agent_conn *ac, uint8_t peer_version, uint32_t xid)
{
	uint8_t msg[96];
	int n = snprintf((char *)msg + 12, sizeof(msg) - 12,
			 "we support OpenFlow 1.3, 1.4, 1.5 (0x04-0x06); peer sent 0x%02x",
			 peer_version);
	size_t len = 12 + (size_t)n;

	msg[0] = peer_version < AGENT_OF_VERSION && peer_version ? peer_version
		 : peer_version > OFP15_VERSION ? OFP15_VERSION : peer_version;
	msg[1] = OFPT_ERROR;
	msg[2] = (uint8_t)(len >> 8);
	msg[3] = (uint8_t)len;
	msg[4] = (uint8_t)(xid >> 24);
	msg[5] = (uint8_t)(xid >> 16);
	msg[6] = (uint8_t)(xid >> 8);
	msg[7] = (uint8_t)xid;
	msg[8] = 0;
	msg[9] = OFPET_HELLO_FAILED;
	msg[10] = 0;
	msg[11] = OFPHFC_INCOMPATIBLE;
	sl_ofconn_send(ac->c, msg, len, false);
	ac->a->st.errors_sent++;
	ac->rejected = true;
	sl_ofconn_close(ac->c, true, "version negotiation failed");
}

/* Negotiate from the peer's hello (OF1.3 6.3.1): with a version bitmap the
 * highest common version, without one the smaller header version. */
static void
handle_hello(struct agent_conn *ac, const uint8_t *raw, size_t len)
{
	struct sl_ofp_msg m;
	struct sl_ofp_error err;
	uint8_t version = 0;
	int rc = -1;
	uint32_t xid = (uint32_t)raw[4] << 24 | raw[5] << 16 | raw[6] << 8 | raw[7];

	if (sl_ofp_decode(raw, len, &m, &err) == 0) {
		rc = sl_ofp_hello_negotiate(sl_ofp_supported_versions(), &m, &version, &err);
		sl_ofp_msg_free(&m);
	} else if (raw[0] >= AGENT_OF_VERSION) {
		/* an undecodable body: go by the header, as without a bitmap */
		version = raw[0] > OFP15_VERSION ? OFP15_VERSION : raw[0];
		rc = 0;
	}
	if (ac->hello_done)
		return; /* a second hello: harmless, ignore it */
	if (rc != 0) {
		hello_failed(ac, raw[0], xid);
		return;
	}
	version_known(ac, version);
	SL_LOG(SL_LOG_OFAGENT, ac->service ? SL_LOG_INFO : SL_LOG_NOTICE,
	       "ofagent: %s: %s connected (OpenFlow 1.%u)", sl_ofconn_name(ac->c),
	       ac->service ? "service session" : "controller", version - 1u);
	if (!ac->service && n_sessions(ac->a) == 1)
		agent_flows_controller_present(ac->a, true);
}

/* ---- simple requests ---- */

static void
handle_features(struct agent_conn *ac, uint32_t xid)
{
	struct sl_ofp_msg r;

	sl_ofp_msg_init(&r, OFPT_FEATURES_REPLY, xid);
	r.u.features.datapath_id = ac->a->cfg.datapath_id;
	r.u.features.n_buffers = 0; /* no buffering, as OVS */
	r.u.features.n_tables = ac->a->cfg.n_tables;
	r.u.features.capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS |
		OFPC_PORT_STATS | OFPC_GROUP_STATS;
	agent_send(ac, &r, false);
}

static void
handle_set_config(struct agent_conn *ac, const struct sl_ofp_msg *m,
		  const uint8_t *raw, size_t len)
{
	/* Fragments are forwarded as they come (OFPC_FRAG_NORMAL); the fast
	 * path has no drop or reassembly mode, so refuse what it cannot do.
	 * OF1.3 has no OFPC_INVALID_TTL_TO_CONTROLLER (A.3.2; OF1.1/1.2 had
	 * it): the bit is refused like any other, and a controller asks for
	 * invalid-TTL packet-ins with set-async (update_invalid_ttl()). */
	if (m->u.config.flags != OFPC_FRAG_NORMAL) {
		agent_send_error(ac, raw, len, OFPET_SWITCH_CONFIG_FAILED, OFPSCFC_BAD_FLAGS);
		return;
	}
	ac->a->frag_flags = m->u.config.flags;
	ac->miss_send_len = m->u.config.miss_send_len;
}

static void
handle_get_config(struct agent_conn *ac, uint32_t xid)
{
	struct sl_ofp_msg r;

	sl_ofp_msg_init(&r, OFPT_GET_CONFIG_REPLY, xid);
	r.u.config.flags = ac->a->frag_flags;
	r.u.config.miss_send_len = ac->miss_send_len;
	agent_send(ac, &r, false);
}

static void
demote_master(struct sl_ofconn *c, void *arg)
{
	struct agent_conn *ac = sl_ofconn_get_priv(c);

	if (ac && ac != arg && ac->role == OFPCR_ROLE_MASTER) {
		ac->role = OFPCR_ROLE_SLAVE;
		/* OF1.4+ tell the demoted master (OFPT_ROLE_STATUS, 7.4.4) */
		if (ac->version >= OFP14_VERSION &&
		    (ac->async_rs[AGENT_ASYNC_SLAVE] >> OFPCRR_MASTER_REQUEST & 1)) {
			struct sl_ofp_msg s;

			sl_ofp_msg_init(&s, OFPT_ROLE_STATUS, 0);
			s.u.role.role = OFPCR_ROLE_SLAVE;
			s.u.role.reason = OFPCRR_MASTER_REQUEST;
			s.u.role.generation_id = ac->a->gen_id;
			agent_send(ac, &s, false);
		}
	}
}

/* Roles (OF1.3 6.3.5): a MASTER or SLAVE request carries a generation id;
 * one older than the last seen (serial-number arithmetic) is stale. */
static void
handle_role(struct agent_conn *ac, const struct sl_ofp_msg *m,
	    const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;
	uint32_t role = m->u.role.role;
	uint64_t gen = m->u.role.generation_id;
	struct sl_ofp_msg r;

	if (role > OFPCR_ROLE_SLAVE) {
		agent_send_error(ac, raw, len, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_BAD_ROLE);
		return;
	}
	if ((role == OFPCR_ROLE_MASTER || role == OFPCR_ROLE_SLAVE) && ac->service &&
	    !a->cfg.service_roles) {
		/* A local process on the listener must not demote or lock out
		 * the controllers ([openflow] service_roles). */
		agent_send_error(ac, raw, len, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_UNSUP);
		return;
	}
	if (role == OFPCR_ROLE_MASTER || role == OFPCR_ROLE_SLAVE) {
		if (a->gen_valid && (int64_t)(gen - a->gen_id) < 0) {
			agent_send_error(ac, raw, len, OFPET_ROLE_REQUEST_FAILED,
					 OFPRRFC_STALE);
			return;
		}
		a->gen_valid = true;
		a->gen_id = gen;
	}
	if (role == OFPCR_ROLE_MASTER)
		sl_ofconn_mgr_foreach(a->mgr, demote_master, ac);
	if (role != OFPCR_ROLE_NOCHANGE && role != ac->role)
		SL_LOG(SL_LOG_OFAGENT, SL_LOG_NOTICE, "ofagent: %s: role %s (generation %llu)",
		       sl_ofconn_name(ac->c), role == OFPCR_ROLE_MASTER ? "master" :
		       role == OFPCR_ROLE_SLAVE ? "slave" : "equal",
		       (unsigned long long)a->gen_id);
	if (role != OFPCR_ROLE_NOCHANGE)
		ac->role = role;
	sl_ofp_msg_init(&r, OFPT_ROLE_REPLY, m->xid);
	if (m->version >= OFP15_VERSION)
		ac->short_id = m->u.role.short_id;
	r.u.role.short_id = ac->short_id;
	r.u.role.role = ac->role;
	r.u.role.generation_id = a->gen_valid ? a->gen_id : 0;
	agent_send(ac, &r, false);
}

/* OF1.4+ get-async: the table status and requestforward masks after the
 * eight others, in type order. */
static int
add_forward_props(const struct agent_conn *ac, struct sl_ofp_msg *r)
{
	struct sl_ofp_async *as = &r->u.async;
	struct sl_ofp_prop *p;

	if (ac->version < OFP14_VERSION)
		return 0;
	p = sl_ofp_msg_alloc(r, (as->n_properties + 4) * sizeof(*p));
	if (p == NULL)
		return -1;
	memcpy(p, as->properties, as->n_properties * sizeof(*p));
	p += as->n_properties;
	p[0].type = SL_OFPACPT_TABLE_STATUS_SLAVE;
	p[0].u.async.mask = ac->async_ts[AGENT_ASYNC_SLAVE];
	p[1].type = SL_OFPACPT_TABLE_STATUS_MASTER;
	p[1].u.async.mask = ac->async_ts[AGENT_ASYNC_MASTER];
	p[2].type = SL_OFPACPT_REQUESTFORWARD_SLAVE;
	p[2].u.async.mask = ac->async_rf[AGENT_ASYNC_SLAVE];
	p[3].type = SL_OFPACPT_REQUESTFORWARD_MASTER;
	p[3].u.async.mask = ac->async_rf[AGENT_ASYNC_MASTER];
	as->properties = p - as->n_properties;
	as->n_properties += 4;
	return 0;
}

static void
handle_async(struct agent_conn *ac, const struct sl_ofp_msg *m)
{
	struct sl_ofp_msg r;

	if (m->type == OFPT_SET_ASYNC && m->version >= OFP14_VERSION) {
		/* OF1.4: only the masks whose property came change (7.3.10) */
		const struct sl_ofp_async *as = &m->u.async;
		uint32_t *ours[4] = { ac->async_pin, ac->async_ps, ac->async_fr, ac->async_rs };
		const uint32_t *theirs[4] = { as->packet_in_mask, as->port_status_mask,
					      as->flow_removed_mask, as->role_status_mask };

		for (unsigned int t = 0; t < 8; t++)
			if (as->present >> t & 1)
				ours[t / 2][t % 2 ? AGENT_ASYNC_MASTER : AGENT_ASYNC_SLAVE] =
					theirs[t / 2][t % 2 ? AGENT_ASYNC_MASTER : AGENT_ASYNC_SLAVE];
		/* table status (8 slave, 9 master) and requestforward (10
		 * slave, 11 master): not in the codec's masks */
		for (uint32_t i = 0; i < as->n_properties; i++)
			if (as->properties[i].type == SL_OFPACPT_TABLE_STATUS_SLAVE ||
			    as->properties[i].type == SL_OFPACPT_TABLE_STATUS_MASTER)
				ac->async_ts[as->properties[i].type == SL_OFPACPT_TABLE_STATUS_MASTER
						     ? AGENT_ASYNC_MASTER : AGENT_ASYNC_SLAVE] =
					as->properties[i].u.async.mask;
			else if (as->properties[i].type == SL_OFPACPT_REQUESTFORWARD_SLAVE ||
			    as->properties[i].type == SL_OFPACPT_REQUESTFORWARD_MASTER)
				ac->async_rf[as->properties[i].type == SL_OFPACPT_REQUESTFORWARD_MASTER
						     ? AGENT_ASYNC_MASTER : AGENT_ASYNC_SLAVE] =
					as->properties[i].u.async.mask;
	} else if (m->type == OFPT_SET_ASYNC) {
		memcpy(ac->async_pin, m->u.async.packet_in_mask, sizeof(ac->async_pin));
		memcpy(ac->async_ps, m->u.async.port_status_mask, sizeof(ac->async_ps));
		memcpy(ac->async_fr, m->u.async.flow_removed_mask, sizeof(ac->async_fr));
	}
	if (m->type == OFPT_SET_ASYNC) {
		if (ac->service && ac->miss_send_len == 0)
			ac->miss_send_len = AGENT_DEFAULT_MISS_SEND_LEN; /* as OVS does */
		return;
	}
	sl_ofp_msg_init(&r, OFPT_GET_ASYNC_REPLY, m->xid);
	memcpy(r.u.async.packet_in_mask, ac->async_pin, sizeof(ac->async_pin));
	memcpy(r.u.async.port_status_mask, ac->async_ps, sizeof(ac->async_ps));
	memcpy(r.u.async.flow_removed_mask, ac->async_fr, sizeof(ac->async_fr));
	memcpy(r.u.async.role_status_mask, ac->async_rs, sizeof(ac->async_rs));
	if (sl_ofp_async_add_props(&r, &r.u.async) == 0 && add_forward_props(ac, &r) == 0)
		agent_send(ac, &r, false);
	sl_ofp_msg_free(&r);
}

static void
handle_queue_get_config(struct agent_conn *ac, const struct sl_ofp_msg *m,
			const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;
	uint32_t port = m->u.queue_config.port;
	struct sl_ofp_msg r;

	/* Sluice has no queues: any real port (or ANY) gets an empty list. */
	if (port != OFPP_ANY && a->ops->port_by_ofport(a->dp, port) < 0) {
		agent_send_error(ac, raw, len, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT);
		return;
	}
	sl_ofp_msg_init(&r, OFPT_QUEUE_GET_CONFIG_REPLY, m->xid);
	r.u.queue_config.port = port;
	agent_send(ac, &r, false);
}

/* Messages a slave may not send (OF1.3 6.3.5). */
static bool
changes_state(const struct sl_ofp_msg *m)
{
	switch (m->type) {
	case OFPT_PACKET_OUT: case OFPT_FLOW_MOD: case OFPT_GROUP_MOD:
	case OFPT_PORT_MOD: case OFPT_TABLE_MOD: case OFPT_METER_MOD:
		return true;
	case OFPT_MULTIPART_REQUEST:
		return m->u.multipart.type == OFPMP_TABLE_FEATURES &&
			m->u.multipart.body.table_features.n > 0;
	default:
		return false;
	}
}

static void
dispatch(struct agent_conn *ac, const struct sl_ofp_msg *m, const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;
	struct sl_ofp_msg r;

	switch (m->type) {
	case OFPT_ECHO_REQUEST:
		sl_ofp_msg_init(&r, OFPT_ECHO_REPLY, m->xid);
		r.u.echo = m->u.echo;
		agent_send(ac, &r, false);
		break;
	case OFPT_ECHO_REPLY:
	case OFPT_ERROR:
		break; /* liveness is tracked by the transport; errors are logged by peers */
	case OFPT_EXPERIMENTER:
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER);
		break;
	case OFPT_FEATURES_REQUEST: handle_features(ac, m->xid); break;
	case OFPT_GET_CONFIG_REQUEST: handle_get_config(ac, m->xid); break;
	case OFPT_SET_CONFIG: handle_set_config(ac, m, raw, len); break;
	case OFPT_BARRIER_REQUEST:
		/* Barrier truth: every earlier message is applied; wait until the
		 * fast path no longer uses anything older, then answer. */
		a->ops->sync(a->dp);
		a->st.barriers++;
		sl_ofp_msg_init(&r, OFPT_BARRIER_REPLY, m->xid);
		agent_send(ac, &r, false);
		break;
	case OFPT_ROLE_REQUEST: handle_role(ac, m, raw, len); break;
	case OFPT_GET_ASYNC_REQUEST: case OFPT_SET_ASYNC: handle_async(ac, m); break;
	case OFPT_QUEUE_GET_CONFIG_REQUEST: handle_queue_get_config(ac, m, raw, len); break;
	case OFPT_PORT_MOD: agent_handle_port_mod(ac, m, raw, len); break;
	case OFPT_MULTIPART_REQUEST: agent_handle_multipart(ac, m, raw, len); break;
	case OFPT_FLOW_MOD: agent_handle_flow_mod(ac, m, raw, len); break;
	case OFPT_GROUP_MOD: agent_handle_group_mod(ac, m, raw, len); break;
	case OFPT_METER_MOD: agent_handle_meter_mod(ac, m, raw, len); break;
	case OFPT_TABLE_MOD: agent_handle_table_mod(ac, m, raw, len); break;
	case OFPT_PACKET_OUT: agent_handle_packet_out(ac, m, raw, len); break;
	default:
		/* Switch-to-controller messages sent the wrong way. */
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
		break;
	}
}

static void
on_message(void *ctx, struct sl_ofconn *c, const uint8_t *raw, size_t len)
{
	struct agent_conn *ac = sl_ofconn_get_priv(c);
	struct sl_ofp_error err;
	struct sl_ofp_msg m;

	struct sl_agent *a = ctx;

	if (ac == NULL || ac->rejected)
		return;
	a->st.msgs_rx++;
	if (raw[1] == OFPT_HELLO) {
		handle_hello(ac, raw, len);
		return;
	}
	if (!ac->hello_done) {
		/* A peer that skips hello is taken at its header's version. */
		uint32_t xid = (uint32_t)raw[4] << 24 | raw[5] << 16 | raw[6] << 8 | raw[7];

		if (raw[0] > 31 || !(sl_ofp_supported_versions() >> raw[0] & 1)) {
			hello_failed(ac, raw[0], xid);
			return;
		}
		version_known(ac, raw[0]);
		if (!ac->service && n_sessions(ac->a) == 1)
			agent_flows_controller_present(ac->a, true);
	}
	if (raw[0] != ac->version) {
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
		return;
	}
	if (agent_bundle_message(ac, raw, len))
		return; /* both framings, before the codec (agent_bundle.c) */
	if (agent_monitor_message(ac, raw, len))
		return; /* flow monitors, before the codec (agent_monitor.c) */
	if (agent_table14_message(ac, raw, len))
		return; /* table desc, before the codec (agent_table14.c) */
	if (sl_ofp_decode(raw, len, &m, &err) != 0) {
		agent_send_error(ac, raw, len, err.type, err.code);
		return;
	}
	if (sl_ofp_validate(&m, &err) != 0)
		agent_send_error(ac, raw, len, err.type, err.code);
	else if (ac->role == OFPCR_ROLE_SLAVE && changes_state(&m))
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_IS_SLAVE);
	else
		dispatch(ac, &m, raw, len);
	sl_ofp_msg_free(&m);
	update_invalid_ttl(a);
}

static const struct sl_ofconn_handler agent_handler = {
	on_connect, on_message, on_disconnect,
};

/* ---- life cycle ---- */

static void
config_defaults(struct sl_agent_config *c)
{
	if (c->n_tables == 0)
		c->n_tables = 254;
	if (c->miss_send_len == 0)
		c->miss_send_len = 128;
	if (c->pin_rate_pps == 0)
		c->pin_rate_pps = 1000;
	if (c->pin_burst == 0)
		c->pin_burst = c->pin_rate_pps / 4 ? c->pin_rate_pps / 4 : 1;
	if (c->dp_desc == NULL)
		c->dp_desc = "sluice";
}

struct sl_agent *
sl_agent_create(const struct sl_agent_config *cfg, const struct sl_agent_dp_ops *ops,
		void *dp_ctx, struct sl_pipeline *pl, char *err, size_t errlen)
{
	struct sl_ofconn_options opt = { 0 };
	struct sl_agent *a;

	if (cfg->n_targets > SL_AGENT_MAX_TARGETS) {
		snprintf(err, errlen, "too many OpenFlow targets (max %d)", SL_AGENT_MAX_TARGETS);
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->cfg = *cfg;
	config_defaults(&a->cfg);
	/* SL_AGENT_DEBUG=1 logs every error sent with the offending bytes. */
	a->debug = getenv("SL_AGENT_DEBUG") != NULL;
	a->ops = ops;
	a->dp = dp_ctx;
	a->pl = pl;
	opt.probe_interval_ms = cfg->probe_interval_ms;
	opt.max_backoff_ms = cfg->max_backoff_ms;
	opt.max_tx_bytes = cfg->max_tx_bytes;
	opt.tls = cfg->tls;
	a->mgr = sl_ofconn_mgr_create(&agent_handler, a, &opt, err, errlen);
	if (a->mgr == NULL || agent_flows_init(a) != 0) {
		if (a->mgr)
			snprintf(err, errlen, "out of memory");
		sl_agent_destroy(a);
		return NULL;
	}
	for (unsigned int i = 0; i < cfg->n_targets; i++) {
		a->targets[i] = strdup(cfg->targets[i]);
		a->cfg.targets[i] = a->targets[i];
		if (a->targets[i] == NULL ||
		    sl_ofconn_mgr_add_target(a->mgr, a->targets[i], err, errlen) != 0) {
			sl_agent_destroy(a);
			return NULL;
		}
	}
	/* Ports present at start are known, not "added". */
	a->port_seq = ops->port_seq(dp_ctx) - 1;
	agent_port_status(a);
	agent_flows_controller_present(a, false); /* none yet: fail mode applies */
	return a;
}

void
sl_agent_run(struct sl_agent *a, int timeout_ms)
{
	/* Packet-ins have no file descriptor to wake poll(): drain them before
	 * waiting, and do not wait at all while workers keep sending them. */
	unsigned int pins = agent_packet_ins(a);

	sl_ofconn_mgr_run(a->mgr, pins ? 0 : timeout_ms);
	agent_port_status(a);
	agent_packet_ins(a);
	agent_flows_expire(a);
	agent_bundle_expire(a);
	agent_monitor_run(a);
}

void
sl_agent_set_wake_fd(struct sl_agent *a, int fd)
{
	sl_ofconn_mgr_set_wake_fd(a->mgr, fd);
}

void
sl_agent_destroy(struct sl_agent *a)
{
	if (a == NULL)
		return;
	a->destroying = true;
	if (a->mgr)
		sl_ofconn_mgr_destroy(a->mgr);
	agent_flows_fini(a);
	for (unsigned int i = 0; i < SL_AGENT_MAX_TARGETS; i++)
		free(a->targets[i]);
	free(a->ports);
	free(a->mon);
	free(a->t14);
	sl_ofp_buf_free(&a->tx);
	free(a);
}

void
sl_agent_get_stats(const struct sl_agent *a, struct sl_agent_stats *out)
{
	struct session_count n = { 0, 0 };

	*out = a->st;
	sl_ofconn_mgr_foreach(a->mgr, count_sessions, &n);
	out->n_connections = n.all;
	out->n_controllers = n.primary;
	out->packet_ins_ring_dropped = a->ops->packet_in_ring_drops(a->dp);
}

uint16_t
sl_agent_listen_port(const struct sl_agent *a, unsigned int target_idx)
{
	return sl_ofconn_mgr_listen_port(a->mgr, target_idx);
}
