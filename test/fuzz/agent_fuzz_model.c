/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The agent fuzzer's structured mode: OpenFlow messages built from templates
 * with the project's codec (input bytes pick the kind and the arguments, so
 * that libFuzzer reaches deep states that raw bytes rarely would), and the
 * model of what the switch holds according to the replies:
 *  - flows by (table, priority, match) with their cookie and what their
 *    instructions name (ports 1..4, groups 1..4, a meter): ADD replaces or
 *    adds, MODIFY changes what they name, DELETE(_STRICT) removes them with
 *    the cookie, out_port and out_group filters of OF1.3, a group delete
 *    removes the flows that forward to the group, a meter delete those that
 *    use the meter (as the agent documents);
 *  - groups 1..4 and meters 1..3 that exist.
 * A message changes the model only once it is known not to have been
 * refused; flow, group-desc, meter-config and aggregate replies must equal
 * the model at their point in the stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_fuzz.h"
#include "openflow.h"

#define MAX_FLOWS 512

struct mflow {
	bool live;
	uint8_t table;
	uint16_t prio;
	uint64_t cookie;
	struct af_match match;
	uint32_t ports, groups, meter;
};

static struct mflow flows[MAX_FLOWS];
static unsigned int n_flows;
static uint32_t groups, meters; /* bit g / m: exists */

void
af_model_reset(void)
{
	n_flows = 0;
	groups = meters = 0;
}

unsigned int
af_model_flows(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < n_flows; i++)
		n += flows[i].live;
	return n;
}

/* ------------------------------------------------------------ matches ---- */

static int
field_cmp(const void *a, const void *b)
{
	return (int)((const struct af_field *)a)->field - (int)((const struct af_field *)b)->field;
}

void
af_match_from_ofp(const struct sl_ofp_match *om, struct af_match *out)
{
	memset(out, 0, sizeof(*out));
	for (uint32_t i = 0; i < om->n_fields && out->n < 8; i++) {
		const struct sl_ofp_oxm *x = &om->fields[i];
		struct af_field *f = &out->f[out->n++];

		f->field = x->field;
		f->len = x->value_len;
		for (unsigned int k = 0; k < x->value_len && k < 16; k++) {
			f->m[k] = x->hasmask ? x->mask[k] : 0xff;
			f->v[k] = x->value[k] & f->m[k];
		}
	}
	qsort(out->f, out->n, sizeof(out->f[0]), field_cmp);
}

static bool
match_equal(const struct af_match *a, const struct af_match *b)
{
	return a->n == b->n && memcmp(a->f, b->f, a->n * sizeof(a->f[0])) == 0;
}

/* Every packet @p r matches, @p q matches (OF1.3 non-strict selection). */
static bool
match_subset(const struct af_match *r, const struct af_match *q)
{
	for (unsigned int i = 0; i < q->n; i++) {
		const struct af_field *qf = &q->f[i], *rf = NULL;

		for (unsigned int k = 0; k < r->n && rf == NULL; k++)
			if (r->f[k].field == qf->field)
				rf = &r->f[k];
		if (rf == NULL)
			return false;
		for (unsigned int k = 0; k < qf->len; k++)
			if ((rf->m[k] & qf->m[k]) != qf->m[k] || (rf->v[k] & qf->m[k]) != qf->v[k])
				return false;
	}
	return true;
}

/* One of a few matches (prerequisites included), on the message's arena. */
static void
build_match(struct sl_ofp_msg *m, struct sl_ofp_match *om, struct af_match *canon)
{
	struct sl_ofp_oxm *ox = sl_ofp_msg_alloc(m, 4 * sizeof(*ox));
	uint32_t v = 1 + af_rnd(3);
	uint64_t mask24 = 0xffffff00, mask8 = 0xff;

	om->type = OFPMT_OXM;
	om->fields = ox;
	om->n_fields = 0;
	if (ox == NULL)
		af_fail("out of memory");
	switch (af_rnd(10)) {
	case 0: break; /* catch-all */
	case 1: sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_IN_PORT, v, NULL); break;
	case 2: sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_ETH_TYPE, 0x0800, NULL); break;
	case 3:
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_ETH_TYPE, 0x0800, NULL);
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_IPV4_DST, 0x0a000000 | v, NULL);
		break;
	case 4:
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_IN_PORT, v, NULL);
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_ETH_TYPE, 0x0800, NULL);
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_IP_PROTO, 6, NULL);
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_TCP_DST, 80 + v, NULL);
		break;
	case 5: sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_ETH_TYPE, 0x86dd, NULL); break;
	case 6:
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_ETH_TYPE, 0x0800, NULL);
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_IPV4_DST, 0x0a000000, &mask24);
		break;
	case 7:
		sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_VLAN_VID, OFPVID_PRESENT | v, NULL);
		break;
	case 8: sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_ETH_DST, v, NULL); break;
	default: sl_ofp_oxm_set_basic(&ox[om->n_fields++], OFPXMT_OFB_METADATA, v, &mask8); break;
	}
	if (canon)
		af_match_from_ofp(om, canon);
}

/* ------------------------------------------------------------ actions ---- */

/* Mostly one of the ids in @p have (bit i: id i exists), else any of 1..@p max. */
static uint32_t
pick_id(uint32_t have, uint32_t max)
{
	uint32_t id = 1 + af_rnd(max);

	if (have && af_rnd(4)) {
		while (!(have & (1u << id)))
			id = id % max + 1;
	}
	return id;
}

static bool
match_is_ip(const struct sl_ofp_match *om)
{
	for (uint32_t i = 0; i < om->n_fields; i++)
		if (om->fields[i].field == OFPXMT_OFB_ETH_TYPE)
			return true; /* the templates only match IPv4 and IPv6 */
	return false;
}

/* An action list; what it names goes into @p op (ports, groups). @p ip: the
 * match makes the packet IP (dec_nw_ttl is refused otherwise). */
static void
build_actions(struct sl_ofp_msg *m, struct sl_ofp_action **out, uint32_t *n, struct af_op *op,
	      bool packet_out, bool ip)
{
	unsigned int k = af_rnd(4);
	struct sl_ofp_action *a = sl_ofp_msg_alloc(m, (k ? k : 1) * sizeof(*a));

	if (a == NULL)
		af_fail("out of memory");
	*out = a;
	*n = k;
	for (unsigned int i = 0; i < k; i++) {
		uint32_t x = af_rnd(12);

		memset(&a[i], 0, sizeof(a[i]));
		if (x < 5) {
			static const uint32_t ports[] = { 1, 2, 3, 4, OFPP_CONTROLLER, OFPP_IN_PORT,
							  OFPP_FLOOD, OFPP_TABLE, 7 };
			a[i].type = OFPAT_OUTPUT;
			a[i].u.output.port = ports[af_rnd(packet_out ? 9 : 7)];
			a[i].u.output.max_len = OFPCML_NO_BUFFER;
			if (a[i].u.output.port <= 4)
				op->ports |= 1u << a[i].u.output.port;
		} else if (x < 7) {
			a[i].type = OFPAT_GROUP;
			a[i].u.group.group_id = pick_id(groups, 4);
			op->groups |= 1u << a[i].u.group.group_id;
		} else if (x < 9) {
			a[i].type = OFPAT_SET_FIELD;
			sl_ofp_oxm_set_basic(&a[i].u.set_field, OFPXMT_OFB_ETH_DST, af_rnd(16), NULL);
		} else if (x < 10) {
			a[i].type = OFPAT_PUSH_VLAN;
			a[i].u.ethertype.ethertype = 0x8100;
		} else if (x < 11) {
			a[i].type = OFPAT_POP_VLAN;
		} else {
			a[i].type = ip || af_rnd(8) == 0 ? OFPAT_DEC_NW_TTL : OFPAT_POP_VLAN;
		}
	}
}

static void
build_instructions(struct sl_ofp_msg *m, struct sl_ofp_flow_mod *f, struct af_op *op)
{
	static const uint16_t kinds[] = { OFPIT_APPLY_ACTIONS, OFPIT_WRITE_ACTIONS, OFPIT_GOTO_TABLE,
					  OFPIT_METER, OFPIT_WRITE_METADATA, OFPIT_CLEAR_ACTIONS };
	unsigned int k = af_rnd(4);
	struct sl_ofp_instruction *in = sl_ofp_msg_alloc(m, (k ? k : 1) * sizeof(*in));
	uint32_t used = 0;

	if (in == NULL)
		af_fail("out of memory");
	f->instructions = in;
	f->n_instructions = 0;
	for (unsigned int i = 0; i < k; i++) {
		uint16_t t = kinds[af_rnd(6)];
		struct sl_ofp_instruction *x = &in[f->n_instructions];

		if (used & (1u << t))
			continue; /* one of each kind */
		used |= 1u << t;
		memset(x, 0, sizeof(*x));
		x->type = t;
		f->n_instructions++;
		switch (t) {
		case OFPIT_APPLY_ACTIONS: case OFPIT_WRITE_ACTIONS:
			build_actions(m, &x->u.actions.actions, &x->u.actions.n_actions, op, false,
				      match_is_ip(&f->match));
			break;
		case OFPIT_GOTO_TABLE:
			x->u.goto_table.table_id = (uint8_t)(f->table_id + (af_rnd(8) ? 1 : 0));
			break;
		case OFPIT_METER:
			x->u.meter.meter_id = pick_id(meters, 3);
			op->meter = x->u.meter.meter_id;
			break;
		case OFPIT_WRITE_METADATA:
			x->u.write_metadata.metadata = af_rnd(4);
			x->u.write_metadata.metadata_mask = 0xff;
			break;
		default:
			break;
		}
	}
}

/* ----------------------------------------------------------- messages ---- */

static void
build_flow_mod(struct sl_ofp_msg *m, struct af_op *op)
{
	static const uint8_t cmds[] = { OFPFC_ADD, OFPFC_ADD, OFPFC_ADD, OFPFC_MODIFY,
					OFPFC_MODIFY_STRICT, OFPFC_DELETE, OFPFC_DELETE_STRICT };
	struct sl_ofp_flow_mod *f = &m->u.flow_mod;

	sl_ofp_msg_init(m, OFPT_FLOW_MOD, 0);
	op->kind = AF_OP_FLOW;
	f->command = op->cmd = cmds[af_rnd(sizeof(cmds))];
	f->table_id = op->table = (uint8_t)(af_rnd(8) ? af_rnd(4) : OFPTT_ALL);
	f->priority = op->prio = (uint16_t)(100 * af_rnd(4));
	f->cookie = op->cookie = af_rnd(4);
	f->cookie_mask = op->cookie_mask = af_rnd(2) ? UINT64_MAX : 0;
	f->buffer_id = af_rnd(16) ? OFP_NO_BUFFER : 7;
	f->out_port = op->out_port = af_rnd(4) ? OFPP_ANY : 1 + af_rnd(4);
	f->out_group = op->out_group = af_rnd(6) ? OFPG_ANY : 1 + af_rnd(4);
	f->flags = (uint16_t)(af_rnd(4) ? 0 : (1u << af_rnd(5)));
	build_match(m, &f->match, &op->match);
	if (f->command == OFPFC_ADD || f->command == OFPFC_MODIFY ||
	    f->command == OFPFC_MODIFY_STRICT)
		build_instructions(m, f, op);
}

static void
build_group_mod(struct sl_ofp_msg *m, struct af_op *op)
{
	struct sl_ofp_group_mod *g = &m->u.group_mod;
	struct af_op ignored = { 0 };

	sl_ofp_msg_init(m, OFPT_GROUP_MOD, 0);
	op->kind = AF_OP_GROUP;
	g->command = op->cmd = (uint8_t)af_rnd(3);
	g->group_id = op->id = af_rnd(8) ? 1 + af_rnd(4) : OFPG_ALL;
	g->type = (uint8_t)af_rnd(4);
	g->n_buckets = g->type == OFPGT_INDIRECT ? 1 : af_rnd(4);
	g->buckets = sl_ofp_msg_alloc(m, (g->n_buckets ? g->n_buckets : 1) * sizeof(*g->buckets));
	if (g->buckets == NULL)
		af_fail("out of memory");
	for (uint32_t i = 0; i < g->n_buckets; i++) {
		struct sl_ofp_bucket *b = &g->buckets[i];

		b->weight = g->type == OFPGT_SELECT ? (uint16_t)(1 + af_rnd(3)) : 0;
		b->watch_port = g->type == OFPGT_FF || af_rnd(6) == 0 ? 1 + af_rnd(4) : OFPP_ANY;
		b->watch_group = af_rnd(8) == 0 ? 1 + af_rnd(4) : OFPG_ANY;
		build_actions(m, &b->actions, &b->n_actions, &ignored, false, true);
	}
}

static void
build_meter_mod(struct sl_ofp_msg *m, struct af_op *op)
{
	struct sl_ofp_meter_mod *mm = &m->u.meter_mod;

	sl_ofp_msg_init(m, OFPT_METER_MOD, 0);
	op->kind = AF_OP_METER;
	mm->command = op->cmd = (uint8_t)af_rnd(3);
	mm->meter_id = op->id = af_rnd(8) ? 1 + af_rnd(3) : OFPM_ALL;
	mm->flags = (uint16_t)(af_rnd(2) ? OFPMF_KBPS | OFPMF_STATS : OFPMF_PKTPS | OFPMF_BURST);
	mm->n_bands = af_rnd(3);
	mm->bands = sl_ofp_msg_alloc(m, (mm->n_bands ? mm->n_bands : 1) * sizeof(*mm->bands));
	if (mm->bands == NULL)
		af_fail("out of memory");
	for (uint32_t i = 0; i < mm->n_bands; i++) {
		mm->bands[i].type = af_rnd(2) ? OFPMBT_DROP : OFPMBT_DSCP_REMARK;
		mm->bands[i].rate = af_rnd(4) ? 1 + af_rnd(10000) : 0;
		mm->bands[i].burst_size = af_rnd(100);
		mm->bands[i].prec_level = (uint8_t)af_rnd(3);
	}
}

static void
build_packet_out(struct sl_ofp_msg *m)
{
	static uint8_t frame[64] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0, 0x45, 0, 0, 50,
				     0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0, 81 };
	struct sl_ofp_packet_out *po = &m->u.packet_out;
	struct af_op ignored = { 0 };
	uint8_t *data;

	sl_ofp_msg_init(m, OFPT_PACKET_OUT, 0);
	data = sl_ofp_msg_alloc(m, sizeof(frame));
	if (data == NULL)
		af_fail("out of memory");
	memcpy(data, frame, sizeof(frame));
	for (unsigned int k = af_rnd(3); k > 0; k--)
		data[af_rnd(sizeof(frame))] = (uint8_t)af_rnd(256);
	po->buffer_id = OFP_NO_BUFFER;
	po->in_port = af_rnd(4) ? OFPP_CONTROLLER : af_rnd(6);
	po->data = data;
	po->data_len = af_rnd(8) ? sizeof(frame) : af_rnd(sizeof(frame));
	build_actions(m, &po->actions, &po->n_actions, &ignored, true, true);
}

static void
build_flow_request(struct sl_ofp_msg *m, struct af_op *op, uint16_t type)
{
	struct sl_ofp_flow_stats_request *q = &m->u.multipart.body.flow_request;

	op->kind = type == OFPMP_FLOW ? AF_OP_DUMP_FLOWS : AF_OP_AGGREGATE;
	q->table_id = op->table = (uint8_t)(af_rnd(2) ? OFPTT_ALL : af_rnd(4));
	q->out_port = op->out_port = af_rnd(4) ? OFPP_ANY : 1 + af_rnd(4);
	q->out_group = op->out_group = af_rnd(6) ? OFPG_ANY : 1 + af_rnd(4);
	q->cookie = op->cookie = af_rnd(4);
	q->cookie_mask = op->cookie_mask = af_rnd(3) ? 0 : UINT64_MAX;
	if (af_rnd(2))
		build_match(m, &q->match, &op->match);
	else
		q->match.type = OFPMT_OXM;
}

/* A multipart request; the ones the model can answer are checked. */
static void
build_multipart(struct sl_ofp_msg *m, struct af_op *op)
{
	static const uint16_t types[] = {
		OFPMP_FLOW, OFPMP_FLOW, OFPMP_AGGREGATE, OFPMP_GROUP_DESC, OFPMP_METER_CONFIG,
		OFPMP_DESC, OFPMP_TABLE, OFPMP_PORT_STATS, OFPMP_QUEUE, OFPMP_GROUP,
		OFPMP_GROUP_FEATURES, OFPMP_METER, OFPMP_METER_FEATURES, OFPMP_TABLE_FEATURES,
		OFPMP_PORT_DESC,
	};
	struct sl_ofp_multipart *mp = &m->u.multipart;

	sl_ofp_msg_init(m, OFPT_MULTIPART_REQUEST, 0);
	mp->type = types[af_rnd(sizeof(types) / sizeof(types[0]))];
	switch (mp->type) {
	case OFPMP_FLOW: case OFPMP_AGGREGATE: build_flow_request(m, op, mp->type); break;
	case OFPMP_GROUP_DESC: op->kind = AF_OP_DUMP_GROUPS; break;
	case OFPMP_METER_CONFIG:
		op->kind = AF_OP_DUMP_METERS;
		mp->body.meter_request.meter_id = OFPM_ALL;
		break;
	case OFPMP_PORT_STATS: mp->body.port_request.port_no = af_rnd(2) ? OFPP_ANY : af_rnd(5); break;
	case OFPMP_QUEUE:
		mp->body.queue_request.port_no = OFPP_ANY;
		mp->body.queue_request.queue_id = af_rnd(2) ? OFPQ_ALL : 1;
		break;
	case OFPMP_GROUP: mp->body.group_request.group_id = af_rnd(2) ? OFPG_ALL : 1 + af_rnd(4); break;
	case OFPMP_METER: mp->body.meter_request.meter_id = af_rnd(2) ? OFPM_ALL : 1 + af_rnd(3); break;
	default: break;
	}
}

/* Session messages: echo, features, config, role, async, port/table mods. */
static uint8_t
build_session(struct sl_ofp_msg *m)
{
	static const uint8_t types[] = {
		OFPT_ECHO_REQUEST, OFPT_FEATURES_REQUEST, OFPT_GET_CONFIG_REQUEST, OFPT_SET_CONFIG,
		OFPT_ROLE_REQUEST, OFPT_GET_ASYNC_REQUEST, OFPT_SET_ASYNC, OFPT_PORT_MOD,
		OFPT_TABLE_MOD, OFPT_QUEUE_GET_CONFIG_REQUEST, OFPT_BARRIER_REQUEST,
	};
	uint8_t t = types[af_rnd(sizeof(types))];

	sl_ofp_msg_init(m, t, 0);
	switch (t) {
	case OFPT_SET_CONFIG:
		m->u.config.flags = (uint16_t)(af_rnd(4) ? 0 : 1);
		m->u.config.miss_send_len = (uint16_t)(af_rnd(2) ? 128 : 0xffff);
		break;
	case OFPT_ROLE_REQUEST:
		m->u.role.role = af_rnd(5);
		m->u.role.generation_id = af_rnd(4);
		break;
	case OFPT_SET_ASYNC:
		for (int i = 0; i < 2; i++) {
			m->u.async.packet_in_mask[i] = af_rnd(8);
			m->u.async.port_status_mask[i] = 7;
			m->u.async.flow_removed_mask[i] = af_rnd(16);
		}
		break;
	case OFPT_PORT_MOD:
		m->u.port_mod.port_no = af_rnd(5);
		m->u.port_mod.hw_addr[0] = 0x02;
		m->u.port_mod.hw_addr[5] = (uint8_t)m->u.port_mod.port_no;
		m->u.port_mod.config = af_rnd(2) ? OFPPC_PORT_DOWN : 0;
		m->u.port_mod.mask = OFPPC_PORT_DOWN | (af_rnd(2) ? OFPPC_NO_FWD : 0);
		break;
	case OFPT_TABLE_MOD:
		m->u.table_mod.table_id = (uint8_t)(af_rnd(2) ? OFPTT_ALL : af_rnd(256));
		m->u.table_mod.config = af_rnd(4) ? 3 : 4;
		break;
	case OFPT_QUEUE_GET_CONFIG_REQUEST:
		m->u.queue_config.port = af_rnd(2) ? OFPP_ANY : af_rnd(6);
		break;
	default:
		break;
	}
	return t;
}

/* The reply a request must get (or an error), 0 if none is due. */
static uint8_t
reply_type(uint8_t t)
{
	switch (t) {
	case OFPT_ECHO_REQUEST: return OFPT_ECHO_REPLY;
	case OFPT_FEATURES_REQUEST: return OFPT_FEATURES_REPLY;
	case OFPT_GET_CONFIG_REQUEST: return OFPT_GET_CONFIG_REPLY;
	case OFPT_ROLE_REQUEST: return OFPT_ROLE_REPLY;
	case OFPT_GET_ASYNC_REQUEST: return OFPT_GET_ASYNC_REPLY;
	case OFPT_QUEUE_GET_CONFIG_REQUEST: return OFPT_QUEUE_GET_CONFIG_REPLY;
	case OFPT_BARRIER_REQUEST: return OFPT_BARRIER_REPLY;
	case OFPT_MULTIPART_REQUEST: return OFPT_MULTIPART_REPLY;
	default: return 0;
	}
}

int
af_build(struct af_msg *rec, uint32_t xid, struct sl_ofp_buf *out)
{
	struct sl_ofp_msg m;
	uint32_t k = af_rnd(16);
	int rc;

	memset(rec, 0, sizeof(*rec));
	if (k < 5)
		build_flow_mod(&m, &rec->op);
	else if (k < 7)
		build_group_mod(&m, &rec->op);
	else if (k < 8)
		build_meter_mod(&m, &rec->op);
	else if (k < 9)
		build_packet_out(&m);
	else if (k < 13)
		build_multipart(&m, &rec->op);
	else
		build_session(&m);
	m.version = 4;
	m.xid = xid;
	rec->type = m.type;
	rec->want = reply_type(m.type);
	rec->well_formed_barrier = m.type == OFPT_BARRIER_REQUEST;
	out->len = 0;
	rc = sl_ofp_encode(&m, out);
	sl_ofp_msg_free(&m);
	return rc;
}

/* -------------------------------------------------------------- model ---- */

static bool
flow_selected(const struct mflow *f, const struct af_op *op, bool strict, bool filters)
{
	if (op->table != OFPTT_ALL && f->table != op->table)
		return false;
	if ((f->cookie & op->cookie_mask) != (op->cookie & op->cookie_mask))
		return false;
	if (strict ? f->prio != op->prio || !match_equal(&f->match, &op->match)
		   : !match_subset(&f->match, &op->match))
		return false;
	if (filters && op->out_port != OFPP_ANY &&
	    (op->out_port > 31 || !(f->ports & (1u << op->out_port))))
		return false;
	if (filters && op->out_group != OFPG_ANY &&
	    (op->out_group > 31 || !(f->groups & (1u << op->out_group))))
		return false;
	return true;
}

static void
flow_add(const struct af_op *op)
{
	struct mflow *f = NULL;

	if (op->table == OFPTT_ALL)
		af_fail("a flow ADD to table OFPTT_ALL was not refused");
	for (unsigned int i = 0; i < n_flows && f == NULL; i++)
		if (flows[i].live && flows[i].table == op->table && flows[i].prio == op->prio &&
		    match_equal(&flows[i].match, &op->match))
			f = &flows[i];
	if (f == NULL) {
		if (n_flows == MAX_FLOWS)
			af_fail("model full");
		f = &flows[n_flows++];
		f->live = true;
		f->table = op->table;
		f->prio = op->prio;
		f->match = op->match;
	}
	f->cookie = op->cookie;
	f->ports = op->ports;
	f->groups = op->groups;
	f->meter = op->meter;
}

static void
apply_flow(const struct af_op *op)
{
	bool strict = op->cmd == OFPFC_MODIFY_STRICT || op->cmd == OFPFC_DELETE_STRICT;

	if (op->cmd == OFPFC_ADD) {
		flow_add(op);
		return;
	}
	if (op->table == OFPTT_ALL && (op->cmd == OFPFC_MODIFY || op->cmd == OFPFC_MODIFY_STRICT))
		af_fail("a flow MODIFY of table OFPTT_ALL was not refused");
	for (unsigned int i = 0; i < n_flows; i++) {
		struct mflow *f = &flows[i];

		if (!f->live)
			continue;
		if (op->cmd == OFPFC_MODIFY || op->cmd == OFPFC_MODIFY_STRICT) {
			if (flow_selected(f, op, strict, false)) {
				f->ports = op->ports;
				f->groups = op->groups;
				f->meter = op->meter;
			}
		} else if (flow_selected(f, op, strict, true)) {
			f->live = false;
		}
	}
}

void
af_apply(const struct af_msg *rec)
{
	const struct af_op *op = &rec->op;
	bool all = op->id == OFPG_ALL || op->id == OFPM_ALL;

	af_st.flows_applied += op->kind == AF_OP_FLOW;
	af_st.groups_applied += op->kind == AF_OP_GROUP;
	af_st.meters_applied += op->kind == AF_OP_METER;
	switch (op->kind) {
	case AF_OP_FLOW:
		apply_flow(op);
		if (af_model_flows() > af_st.max_model_flows)
			af_st.max_model_flows = af_model_flows();
		break;
	case AF_OP_GROUP:
		if (op->cmd != OFPGC_DELETE) {
			if (op->id <= 4)
				groups |= 1u << op->id;
			break;
		}
		groups = all ? 0 : groups & ~(1u << (op->id & 31));
		for (unsigned int i = 0; i < n_flows; i++)
			if (all ? flows[i].groups != 0 : (op->id <= 31 && (flows[i].groups >> op->id) & 1))
				flows[i].live = false; /* a flow must not outlive its group */
		break;
	case AF_OP_METER:
		if (op->cmd != OFPMC_DELETE) {
			if (op->id <= 3)
				meters |= 1u << op->id;
			break;
		}
		meters = all ? 0 : meters & ~(1u << (op->id & 31));
		for (unsigned int i = 0; i < n_flows; i++)
			if (flows[i].meter && (all || flows[i].meter == op->id))
				flows[i].live = false; /* nor its meter */
		break;
	default:
		break;
	}
}

static void
dump_mismatch(const char *what, unsigned int got, unsigned int want)
{
	fprintf(stderr, "fuzz_agent: %s: reply has %u, the model %u\n", what, got, want);
	for (unsigned int i = 0; i < n_flows; i++)
		if (flows[i].live)
			fprintf(stderr, "  model flow: table %u prio %u cookie %lu fields %u\n",
				flows[i].table, flows[i].prio, (unsigned long)flows[i].cookie,
				flows[i].match.n);
	af_fail("a dump differs from what was installed according to the replies");
}

static void
check_flows(const struct af_op *op, const struct sl_ofp_msg *parts, unsigned int n_parts)
{
	bool used[MAX_FLOWS] = { false };
	unsigned int want = 0, got = 0;

	for (unsigned int i = 0; i < n_flows; i++)
		want += flows[i].live && flow_selected(&flows[i], op, false, true);
	for (unsigned int p = 0; p < n_parts; p++) {
		const struct sl_ofp_multipart *mp = &parts[p].u.multipart;

		for (uint32_t k = 0; k < mp->body.flow_stats.n; k++, got++) {
			const struct sl_ofp_flow_stats *s = &mp->body.flow_stats.items[k];
			struct af_match am;
			bool found = false;

			af_match_from_ofp(&s->match, &am);
			for (unsigned int i = 0; i < n_flows && !found; i++) {
				const struct mflow *f = &flows[i];

				found = f->live && !used[i] && f->table == s->table_id &&
					f->prio == s->priority && f->cookie == s->cookie &&
					match_equal(&f->match, &am) && flow_selected(f, op, false, true);
				used[i] = found;
			}
			if (!found) {
				fprintf(stderr, "fuzz_agent: dumped flow table %u prio %u cookie %lu "
					"fields %u is not in the model\n", s->table_id, s->priority,
					(unsigned long)s->cookie, am.n);
				dump_mismatch("flow dump", got + 1, want);
			}
		}
	}
	if (got != want)
		dump_mismatch("flow dump", got, want);
}

void
af_check_dump(const struct af_msg *rec, const struct sl_ofp_msg *parts, unsigned int n)
{
	const struct af_op *op = &rec->op;
	uint32_t ids = 0;

	af_st.dumps_checked += op->kind != AF_OP_NONE;
	af_st.flows_dumped += rec->n_items;
	switch (op->kind) {
	case AF_OP_DUMP_FLOWS:
		check_flows(op, parts, n);
		break;
	case AF_OP_AGGREGATE: {
		unsigned int want = 0;

		for (unsigned int i = 0; i < n_flows; i++)
			want += flows[i].live && flow_selected(&flows[i], op, false, true);
		if (n != 1 || parts[0].u.multipart.body.aggregate.flow_count != want)
			dump_mismatch("aggregate flow_count",
				      n ? parts[0].u.multipart.body.aggregate.flow_count : 0, want);
		break;
	}
	case AF_OP_DUMP_GROUPS:
		for (unsigned int p = 0; p < n; p++)
			for (uint32_t k = 0; k < parts[p].u.multipart.body.group_desc.n; k++) {
				uint32_t id = parts[p].u.multipart.body.group_desc.items[k].group_id;

				ids |= id <= 31 ? 1u << id : 1u;
			}
		if (ids != groups)
			af_fail("group-desc differs from the groups the replies accepted");
		break;
	case AF_OP_DUMP_METERS:
		for (unsigned int p = 0; p < n; p++)
			for (uint32_t k = 0; k < parts[p].u.multipart.body.meter_config.n; k++) {
				uint32_t id = parts[p].u.multipart.body.meter_config.items[k].meter_id;

				ids |= id <= 31 ? 1u << id : 1u;
			}
		if (ids != meters)
			af_fail("meter-config differs from the meters the replies accepted");
		break;
	default:
		break;
	}
}
