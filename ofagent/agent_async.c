/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Asynchronous messages: packet-in (drained from the runtime's rings,
 * policed by the OFPM_CONTROLLER meter, rate-limited per controller), port
 * status (from port_seq changes) and the port-mod request that causes some
 * of them.
 *
 * Async messages are queued with optional=true: a controller that does not
 * keep up loses them (counted) rather than blocking or bloating the switch.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "agent_flow.h"
#include "sl_ofp_flow_removed15.h"
#include "sl_ofp_forward.h"

#define PIN_BATCH 32
/* Room for the packet-in header and a full match within 64 KiB. */
#define PIN_MAX_DATA (SL_OFP_MAX_MSG_LEN - 256)

struct async_ctx {
	struct sl_ofp_msg *m;
	uint8_t reason;
	struct sl_agent *a;
	unsigned int sent;
};

/* OF1.5 flow-removed: its statistics as OXS fields (duration, and the
 * counters the flow keeps: NO_PKT/BYT_COUNTS leave theirs out). */
static int
send_flow_removed15(struct agent_conn *ac, const struct sl_ofp_flow_removed *fr)
{
	struct sl_ofp15_flow_removed m = { .fr = *fr };
	struct sl_agent *a = ac->a;

	m.stats[m.n_stats++] = (struct sl_ofp_oxs_stat){ 0x8002, 0 << 1, 8,
		(uint64_t)fr->duration_sec << 32 | fr->duration_nsec };
	if (fr->packet_count != UINT64_MAX)
		m.stats[m.n_stats++] = (struct sl_ofp_oxs_stat){ 0x8002, 4 << 1, 8,
								 fr->packet_count };
	if (fr->byte_count != UINT64_MAX)
		m.stats[m.n_stats++] = (struct sl_ofp_oxs_stat){ 0x8002, 5 << 1, 8,
								 fr->byte_count };
	a->tx.len = 0;
	if (sl_ofp15_flow_removed_encode(&m, &a->tx) != 0)
		return -1;
	return sl_ofconn_send(ac->c, a->tx.data, a->tx.len, true);
}

static void
send_async_one(struct sl_ofconn *c, void *arg)
{
	struct async_ctx *x = arg;
	struct agent_conn *ac = sl_ofconn_get_priv(c);
	uint8_t reason = x->reason;

	/* OFPRR_METER_DELETE is OF1.4's: an OF1.3 session hears OFPRR_DELETE */
	if (ac != NULL && x->m->type == OFPT_FLOW_REMOVED && reason == OFPRR_METER_DELETE &&
	    ac->version < OFP14_VERSION)
		reason = OFPRR_DELETE;
	if (ac == NULL || !agent_async_wanted(ac, x->m->type, reason))
		return;
	if (x->m->type == OFPT_FLOW_REMOVED)
		x->m->u.flow_removed.reason = reason;
	if (x->m->type == OFPT_FLOW_REMOVED && ac->version >= OFP15_VERSION) {
		x->sent += send_flow_removed15(ac, &x->m->u.flow_removed) == 0;
		return;
	}
	if (agent_send(ac, x->m, true) == 0)
		x->sent++;
}

void
agent_send_async(struct sl_agent *a, struct sl_ofp_msg *m, uint8_t reason)
{
	struct async_ctx x = { .m = m, .reason = reason, .a = a };

	sl_ofconn_mgr_foreach(a->mgr, send_async_one, &x);
	if (m->type == OFPT_PORT_STATUS)
		a->st.port_status_sent += x.sent;
	else if (m->type == OFPT_FLOW_REMOVED)
		a->st.flow_removed_sent += x.sent;
}

/* ---- request forward (OF1.4.1 7.4.6) ---- */

struct forward_ctx {
	struct agent_conn *from;
	const uint8_t *raw;
	size_t len;
	uint8_t reason;
};

static void
forward_one(struct sl_ofconn *c, void *arg)
{
	const struct forward_ctx *x = arg;
	struct agent_conn *ac = sl_ofconn_get_priv(c);
	int i;

	if (ac == NULL || ac == x->from || !ac->hello_done || ac->version < OFP14_VERSION ||
	    (ac->service && ac->miss_send_len == 0))
		return;
	i = ac->role == OFPCR_ROLE_SLAVE ? AGENT_ASYNC_SLAVE : AGENT_ASYNC_MASTER;
	if (!(ac->async_rf[i] >> x->reason & 1))
		return;
	/* the request as it came (its own version), after a header in ours */
	ac->a->tx.len = 0;
	if (sl_ofp_requestforward_encode(ac->version, 0, x->raw, x->len, &ac->a->tx) == 0 &&
	    sl_ofconn_send(ac->c, ac->a->tx.data, ac->a->tx.len, true) == 0)
		ac->a->st.requests_forwarded++;
}

void
agent_request_forward(struct agent_conn *from, const uint8_t *raw, size_t len, uint8_t reason)
{
	struct forward_ctx x = { .from = from, .raw = raw, .len = len, .reason = reason };

	sl_ofconn_mgr_foreach(from->a->mgr, forward_one, &x);
}

/* ---- packet-in ---- */

/* Token bucket refilled at pin_rate_pps, at most pin_burst deep. */
static bool
pin_take_token(struct agent_conn *ac, uint64_t now)
{
	const struct sl_agent_config *cfg = &ac->a->cfg;

	if (now > ac->pin_last_ns) {
		ac->pin_tokens += (double)(now - ac->pin_last_ns) * cfg->pin_rate_pps / 1e9;
		if (ac->pin_tokens > cfg->pin_burst)
			ac->pin_tokens = cfg->pin_burst;
		ac->pin_last_ns = now;
	}
	if (ac->pin_tokens < 1.0)
		return false;
	ac->pin_tokens -= 1.0;
	return true;
}

struct pin_ctx {
	const struct sl_agent_packet_in *pin;
	uint64_t now;
	unsigned int wanted;
	bool metered;             /**< the controller meter has seen this packet-in */
	bool meter_dropped;       /**< ... and dropped it */
};

/* The virtual meter OFPM_CONTROLLER polices packet-ins to all controllers
 * together (spec 1.3.5 5.7): one charge per packet-in that some connection
 * wants (one that nobody wants is not "sent to a controller"), ahead of the
 * per-connection token buckets. Its bands are drop bands (meter-mod refuses
 * DSCP remark there); the packet's length is what the meter counts. */
static bool
pin_meter_drops(struct sl_agent *a, const struct pin_ctx *x)
{
	struct sl_meter *mt = sl_meter_table_lookup(a->flows->meters, OFPM_CONTROLLER);

	if (mt == NULL)
		return false;
	if (sl_meter_apply(mt, x->now, x->pin->total_len).action != SL_METER_DROP)
		return false;
	a->st.packet_ins_meter_dropped++;
	return true;
}

/* Bytes of packet to include: the output action's max_len (NO_BUFFER =
 * all of it); a table miss is further capped by the connection's
 * miss_send_len (set-config), as OVS does. */
static uint32_t
pin_data_len(const struct agent_conn *ac, const struct sl_agent_packet_in *pin)
{
	uint32_t n = pin->data_len;

	if (pin->max_len != OFPCML_NO_BUFFER && pin->max_len < n)
		n = pin->max_len;
	if (pin->reason == OFPR_NO_MATCH && ac->miss_send_len != OFPCML_NO_BUFFER &&
	    ac->miss_send_len < n)
		n = ac->miss_send_len;
	return n < PIN_MAX_DATA ? n : PIN_MAX_DATA;
}

static void
send_pin_one(struct sl_ofconn *c, void *arg)
{
	struct pin_ctx *x = arg;
	struct agent_conn *ac = sl_ofconn_get_priv(c);
	const struct sl_agent_packet_in *pin = x->pin;
	struct sl_agent *a;
	struct sl_ofp_oxm oxm[5];
	struct sl_ofp_msg m;
	uint32_t n = 0;

	if (ac == NULL || !agent_async_wanted(ac, OFPT_PACKET_IN, pin->reason))
		return;
	a = ac->a;
	x->wanted++;
	if (!x->metered) {
		x->metered = true;
		x->meter_dropped = pin_meter_drops(a, x);
	}
	if (x->meter_dropped)
		return;
	if (!pin_take_token(ac, x->now)) {
		ac->pin_rate_dropped++;
		a->st.packet_ins_rate_dropped++;
		return;
	}
	sl_ofp_oxm_set_basic(&oxm[n++], OFPXMT_OFB_IN_PORT, pin->in_port, NULL);
	if (pin->metadata)
		sl_ofp_oxm_set_basic(&oxm[n++], OFPXMT_OFB_METADATA, pin->metadata, NULL);
	if (pin->tunnel_id)
		sl_ofp_oxm_set_basic(&oxm[n++], OFPXMT_OFB_TUNNEL_ID, pin->tunnel_id, NULL);
	if (pin->tun_family != 0) { /* as OVS: the NXM tunnel addresses, when it has them */
		bool v6 = pin->tun_family == AF_INET6;

		sl_ofp_oxm_set_bytes(&oxm[n++], v6 ? SL_OFPXMT_TUN_IPV6_SRC : SL_OFPXMT_TUN_IPV4_SRC,
				     pin->tun_src, NULL);
		sl_ofp_oxm_set_bytes(&oxm[n++], v6 ? SL_OFPXMT_TUN_IPV6_DST : SL_OFPXMT_TUN_IPV4_DST,
				     pin->tun_dst, NULL);
	}
	sl_ofp_msg_init(&m, OFPT_PACKET_IN, 0);
	m.u.packet_in.buffer_id = OFP_NO_BUFFER;
	m.u.packet_in.total_len = pin->total_len > 0xffff ? 0xffff : (uint16_t)pin->total_len;
	m.u.packet_in.reason = pin->reason;
	m.u.packet_in.table_id = pin->table_id;
	m.u.packet_in.cookie = pin->cookie;
	m.u.packet_in.match.type = OFPMT_OXM;
	m.u.packet_in.match.fields = oxm;
	m.u.packet_in.match.n_fields = n;
	m.u.packet_in.data = pin->data;
	m.u.packet_in.data_len = pin_data_len(ac, pin);
	if (agent_send(ac, &m, true) == 0)
		a->st.packet_ins_sent++;
	else
		a->st.packet_ins_queue_dropped++;
}

unsigned int
agent_packet_ins(struct sl_agent *a)
{
	struct sl_agent_packet_in pins[PIN_BATCH];
	unsigned int n, total = 0;
	int rounds = 8; /* bound the work per run: I/O and timers must go on */

	while (rounds-- > 0 &&
	       (n = a->ops->packet_in_poll(a->dp, pins, PIN_BATCH)) > 0) {
		uint64_t now = agent_now_ns();

		total += n;
		for (unsigned int i = 0; i < n; i++) {
			struct pin_ctx x = { .pin = &pins[i], .now = now };

			sl_ofconn_mgr_foreach(a->mgr, send_pin_one, &x);
			if (x.wanted == 0)
				a->st.packet_ins_no_controller++;
			a->ops->packet_in_release(a->dp, &pins[i]);
		}
		if (n < PIN_BATCH)
			break;
	}
	return total;
}

/* ---- port status ---- */

void
agent_port_to_ofp(const struct sl_agent_port *p, struct sl_ofp_port *out)
{
	memset(out, 0, sizeof(*out));
	out->port_no = p->ofport;
	memcpy(out->hw_addr, p->hw_addr, sizeof(out->hw_addr));
	memcpy(out->name, p->name, sizeof(out->name));
	out->config = p->config;
	out->state = p->state;
	out->curr_speed = p->curr_speed;
	out->max_speed = p->max_speed;
	/* ofp_port's curr/advertised feature bits: the runtime reports speed
	 * only, so map the common speeds and say nothing else. */
	switch (p->curr_speed) {
	case 10000: out->curr = OFPPF_10MB_FD; break;
	case 100000: out->curr = OFPPF_100MB_FD; break;
	case 1000000: out->curr = OFPPF_1GB_FD; break;
	case 10000000: out->curr = OFPPF_10GB_FD; break;
	case 40000000: out->curr = OFPPF_40GB_FD; break;
	case 100000000: out->curr = OFPPF_100GB_FD; break;
	default: out->curr = p->curr_speed ? OFPPF_OTHER : 0; break;
	}
	if (out->curr)
		out->curr |= OFPPF_FIBER;
}

static const struct sl_agent_port *
find_port(const struct sl_agent_port *ports, unsigned int n, uint32_t ofport)
{
	for (unsigned int i = 0; i < n; i++)
		if (ports[i].ofport == ofport)
			return &ports[i];
	return NULL;
}

static bool
port_desc_differs(const struct sl_agent_port *a, const struct sl_agent_port *b)
{
	return a->config != b->config || a->state != b->state ||
	       memcmp(a->hw_addr, b->hw_addr, 6) || memcmp(a->name, b->name, 16) ||
	       a->curr_speed != b->curr_speed || a->max_speed != b->max_speed;
}

static void
port_status_send(struct sl_agent *a, const struct sl_agent_port *p, uint8_t reason)
{
	struct sl_ofp_msg m;

	sl_ofp_msg_init(&m, OFPT_PORT_STATUS, 0);
	m.u.port_status.reason = reason;
	agent_port_to_ofp(p, &m.u.port_status.desc);
	if (sl_ofp_port_add_props(&m, &m.u.port_status.desc) == 0)
		agent_send_async(a, &m, reason);
	sl_ofp_msg_free(&m);
}

/* Snapshot the runtime's ports into a new array (NULL + n=0 if none). */
static struct sl_agent_port *
snapshot_ports(struct sl_agent *a, unsigned int *n_out)
{
	unsigned int n = a->ops->n_ports(a->dp), k = 0;
	struct sl_agent_port *v = calloc(n ? n : 1, sizeof(*v));

	for (unsigned int i = 0; v && i < n; i++)
		if (a->ops->port_get(a->dp, i, &v[k]))
			k++;
	*n_out = v ? k : 0;
	return v;
}

void
agent_port_status(struct sl_agent *a)
{
	uint64_t seq = a->ops->port_seq(a->dp);
	struct sl_agent_port *now;
	unsigned int n;

	if (seq == a->port_seq)
		return;
	now = snapshot_ports(a, &n);
	if (now == NULL)
		return; /* retried on the next run */
	for (unsigned int i = 0; i < n; i++) {
		const struct sl_agent_port *old = find_port(a->ports, a->n_ports, now[i].ofport);

		if (old == NULL)
			port_status_send(a, &now[i], OFPPR_ADD);
		else if (port_desc_differs(old, &now[i]))
			port_status_send(a, &now[i], OFPPR_MODIFY);
	}
	for (unsigned int i = 0; i < a->n_ports; i++)
		if (find_port(now, n, a->ports[i].ofport) == NULL)
			port_status_send(a, &a->ports[i], OFPPR_DELETE);
	free(a->ports);
	a->ports = now;
	a->n_ports = n;
	a->port_seq = seq;
}

/* ---- port-mod ---- */

#define PORT_CONFIG_SETTABLE (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD | \
			      OFPPC_NO_PACKET_IN)

int
agent_port_mod_check(struct sl_agent *a, const struct sl_ofp_port_mod *pm, uint16_t *code)
{
	struct sl_agent_port p;
	int idx = a->ops->port_by_ofport(a->dp, pm->port_no);

	if (idx < 0 || !a->ops->port_get(a->dp, (unsigned int)idx, &p))
		*code = OFPPMFC_BAD_PORT; /* 0: the code alone cannot say "fine" */
	else if (memcmp(p.hw_addr, pm->hw_addr, 6) != 0)
		*code = OFPPMFC_BAD_HW_ADDR;
	else if ((pm->config | pm->mask) & ~PORT_CONFIG_SETTABLE)
		*code = OFPPMFC_BAD_CONFIG;
	else if (pm->advertise != 0) /* link features are not negotiable; 0: as is */
		*code = OFPPMFC_BAD_ADVERTISE;
	else
		return 0;
	return -1;
}

void
agent_handle_port_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
		      const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;
	const struct sl_ofp_port_mod *pm = &m->u.port_mod;
	uint16_t code = 0;

	if (agent_port_mod_check(a, pm, &code) == 0 &&
	    a->ops->port_mod(a->dp, pm->port_no, pm->config & pm->mask, pm->mask, &code) == 0)
		return;
	agent_send_error(ac, raw, len, OFPET_PORT_MOD_FAILED, code);
}
