/* OF1.4 / OF1.5: what a switch must refuse or normalise beyond the OF1.3
 * checks, and the helpers that turn the flat OF1.3-shaped structures into
 * the property / OXS lists the newer layouts carry. */
#include <string.h>

#include "openflow_v14.h"
#include "sl_ofp_v14.h"

/* Wire offsets (from the message start) of the fields errors point at. */
#define OFF14_FM_FLAGS 44
#define OFF14_FM_IMPORTANCE 46
#define OFF14_PM_PROPS 32
#define OFF14_TM_CONFIG 12
#define OFF14_TM_PROPS 16
#define OFF15_PO_MATCH 16

/* OXS field numbers (OF1.5 7.2.4.2, enum oxs_ofb_stat_fields). */
#define OXS_DURATION 0u
#define OXS_FLOW_COUNT 3u
#define OXS_PACKET_COUNT 4u
#define OXS_BYTE_COUNT 5u
#define OXS_CLASS_OPENFLOW_BASIC 0x8002u
#define OFPTMPT_EVICTION 2u
#define OFPTMPT_VACANCY 3u
#define OFPBPC_DUP_TYPE 4u
#define OFPBPC_BAD_EXPERIMENTER 5u
#define OFPGBPT_WEIGHT 0u
#define OFPGBPT_WATCH_PORT 1u
#define OFPGBPT_WATCH_GROUP 2u
#define OFPG_BUCKET_ALL 0xffffffffu
#define OFPACFC_UNSUPPORTED 1u
#define OFF14_ASYNC_PROPS 8
#define OFF15_GM_COMMAND 8
#define OFF15_GM_BUCKETS 24

static int prop_refuse(const struct sl_ofp_prop *p, uint16_t off, struct sl_ofp_error *err)
{
	return sl_ofp_fail(err, OFPET_BAD_PROPERTY,
			   p->type == OFPPDPT_EXPERIMENTER ? OFPBPC_BAD_EXPERIMENTER : OFPBPC_BAD_TYPE,
			   off);
}

/* Only an ethernet property is meaningful on Sluice's ports (no optical
 * ports, no experimenter properties): anything else is refused. */
static int port_mod_validate(const struct sl_ofp_port_mod *pm, struct sl_ofp_error *err)
{
	bool eth = false;
	for (uint32_t i = 0; i < pm->n_properties; i++) {
		const struct sl_ofp_prop *p = &pm->properties[i];
		if (p->type != OFPPDPT_ETHERNET)
			return prop_refuse(p, OFF14_PM_PROPS, err);
		if (eth)
			return sl_ofp_fail(err, OFPET_BAD_PROPERTY, OFPBPC_DUP_TYPE, OFF14_PM_PROPS);
		eth = true;
	}
	return 0;
}

/* Eviction is never done: its config bit is refused by the OF1.3 check
 * (BAD_CONFIG) and so is its property. Vacancy thresholds are percentages
 * with down <= up (7.3.3; OVS answers OFPBPC_BAD_VALUE too), at most once. */
static int table_mod_validate(const struct sl_ofp_table_mod *tm, struct sl_ofp_error *err)
{
	bool vacancy = false;
	for (uint32_t i = 0; i < tm->n_properties; i++) {
		const struct sl_ofp_prop *p = &tm->properties[i];
		if (p->type == OFPTMPT_EVICTION)
			return sl_ofp_fail(err, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG,
					   OFF14_TM_PROPS);
		if (p->type != OFPTMPT_VACANCY)
			return prop_refuse(p, OFF14_TM_PROPS, err);
		if (vacancy)
			return sl_ofp_fail(err, OFPET_BAD_PROPERTY, OFPBPC_DUP_TYPE, OFF14_TM_PROPS);
		vacancy = true;
		if (p->u.vacancy.vacancy_down > p->u.vacancy.vacancy_up ||
		    p->u.vacancy.vacancy_up > 100)
			return sl_ofp_fail(err, OFPET_BAD_PROPERTY, OFPBPC_BAD_VALUE,
					   OFF14_TM_PROPS);
	}
	return 0;
}

static int flow_mod_validate(uint8_t version, const struct sl_ofp_flow_mod *fm,
			     struct sl_ofp_error *err)
{
	/* importance only orders eviction, which Sluice does not do; a flow
	 * stats reply could not report another value truthfully */
	if (fm->importance != 0)
		return sl_ofp_fail(err, OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN, OFF14_FM_IMPORTANCE);
	(void)version; /* OF1.5 flow-removed: sl_ofp_flow_removed15.h */
	return 0;
}

/* OF1.5 packet-out: the match carries the pipeline fields; Sluice uses
 * in_port only, so any other field is refused. */
static int packet_out15_validate(const struct sl_ofp_packet_out *po, struct sl_ofp_error *err)
{
	for (uint32_t i = 0; i < po->match.n_fields; i++) {
		const struct sl_ofp_oxm *o = &po->match.fields[i];
		if (o->oxm_class != OFPXMC_OPENFLOW_BASIC || o->field != OFPXMT_OFB_IN_PORT ||
		    o->hasmask)
			return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_BAD_FIELD,
					   o->wire_off ? o->wire_off : OFF15_PO_MATCH);
	}
	return 0;
}

/* OF1.5 group-mod: whole-group commands only (INSERT_BUCKET and
 * REMOVE_BUCKET are not implemented); bucket ids are the buckets' positions,
 * which is what group desc reports back, so any other id is refused rather
 * than forgotten; weight and watch properties at most once each. */
static int group_mod15_validate(const struct sl_ofp_group_mod *gm, struct sl_ofp_error *err)
{
	if (gm->command > OFPGC_DELETE || gm->command_bucket_id != OFPG_BUCKET_ALL)
		return sl_ofp_fail(err, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_COMMAND, OFF15_GM_COMMAND);
	if (gm->n_properties)
		return prop_refuse(&gm->properties[0], OFF15_GM_BUCKETS, err);
	for (uint32_t i = 0; i < gm->n_buckets; i++) {
		const struct sl_ofp_bucket *b = &gm->buckets[i];
		unsigned int seen = 0;
		if (b->bucket_id != i)
			return sl_ofp_fail(err, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET,
					   OFF15_GM_BUCKETS);
		for (uint32_t k = 0; k < b->n_properties; k++) {
			uint16_t t = b->properties[k].type;
			if (t > OFPGBPT_WATCH_GROUP)
				return prop_refuse(&b->properties[k], OFF15_GM_BUCKETS, err);
			if (seen >> t & 1)
				return sl_ofp_fail(err, OFPET_BAD_PROPERTY, OFPBPC_DUP_TYPE,
						   OFF15_GM_BUCKETS);
			seen |= 1u << t;
		}
	}
	return 0;
}

/* Async config: the six OF1.3 masks, role status, table status (8, 9) and
 * requestforward (10, 11), the last two read from the properties by the
 * agent, are honoured; controller status is never sent, so asking for it
 * is refused rather than stored and ignored. */
static int set_async_validate(const struct sl_ofp_async *as, struct sl_ofp_error *err)
{
	for (uint32_t i = 0; i < as->n_properties; i++) {
		const struct sl_ofp_prop *p = &as->properties[i];
		if (p->type >= 0xfffe)
			return sl_ofp_fail(err, OFPET_BAD_PROPERTY, OFPBPC_BAD_EXPERIMENTER,
					   OFF14_ASYNC_PROPS);
		if (p->type > 13)
			return prop_refuse(p, OFF14_ASYNC_PROPS, err);
		if (p->type > 11 && p->u.async.mask != 0)
			return sl_ofp_fail(err, OFPET_ASYNC_CONFIG_FAILED, OFPACFC_UNSUPPORTED,
					   OFF14_ASYNC_PROPS);
	}
	return 0;
}

/* A meter action left after sl_ofp_v14_normalise() (anywhere but first in
 * a flow's apply-actions, or beside a meter instruction) has no place in
 * the pipeline, which meters before the actions run. */
static int no_meter_action(const struct sl_ofp_action *a, uint32_t n, struct sl_ofp_error *err)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i].type == OFPAT_METER)
			return sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_TYPE, a[i].wire_off);
	return 0;
}

static int meter_actions15_validate(const struct sl_ofp_msg *msg, struct sl_ofp_error *err)
{
	if (msg->type == OFPT_PACKET_OUT)
		return no_meter_action(msg->u.packet_out.actions, msg->u.packet_out.n_actions, err);
	if (msg->type == OFPT_GROUP_MOD)
		for (uint32_t i = 0; i < msg->u.group_mod.n_buckets; i++)
			if (no_meter_action(msg->u.group_mod.buckets[i].actions,
					    msg->u.group_mod.buckets[i].n_actions, err) != 0)
				return -1;
	if (msg->type == OFPT_FLOW_MOD)
		for (uint32_t i = 0; i < msg->u.flow_mod.n_instructions; i++) {
			const struct sl_ofp_instruction *in = &msg->u.flow_mod.instructions[i];
			if ((in->type == OFPIT_APPLY_ACTIONS || in->type == OFPIT_WRITE_ACTIONS) &&
			    no_meter_action(in->u.actions.actions, in->u.actions.n_actions, err) != 0)
				return -1;
		}
	return 0;
}

int sl_ofp_validate_v14(const struct sl_ofp_msg *msg, struct sl_ofp_error *err)
{
	if (msg->version >= OFP15_VERSION && meter_actions15_validate(msg, err) != 0)
		return -1;
	switch (msg->type) {
	case OFPT_FLOW_MOD:
		return flow_mod_validate(msg->version, &msg->u.flow_mod, err);
	case OFPT_PORT_MOD:
		return port_mod_validate(&msg->u.port_mod, err);
	case OFPT_TABLE_MOD:
		return table_mod_validate(&msg->u.table_mod, err);
	case OFPT_SET_ASYNC:
		return set_async_validate(&msg->u.async, err);
	case OFPT_GROUP_MOD:
		return msg->version >= OFP15_VERSION ? group_mod15_validate(&msg->u.group_mod, err)
						     : 0;
	case OFPT_PACKET_OUT:
		return msg->version >= OFP15_VERSION ? packet_out15_validate(&msg->u.packet_out, err)
						     : 0;
	default:
		return 0;
	}
}

/* OF1.5 buckets carry weight and watch as properties: absent ones mean
 * weight 1 in a select group (0 elsewhere) and no watch. */
static void group_mod15_normalise(struct sl_ofp_group_mod *gm)
{
	for (uint32_t i = 0; i < gm->n_buckets; i++) {
		struct sl_ofp_bucket *b = &gm->buckets[i];
		b->weight = gm->type == OFPGT_SELECT ? 1 : 0;
		b->watch_port = OFPP_ANY;
		b->watch_group = OFPG_ANY;
		for (uint32_t k = 0; k < b->n_properties; k++) {
			const struct sl_ofp_prop *p = &b->properties[k];
			if (p->type == OFPGBPT_WEIGHT)
				b->weight = p->u.weight.weight;
			else if (p->type == OFPGBPT_WATCH_PORT)
				b->watch_port = p->u.watch.id;
			else if (p->type == OFPGBPT_WATCH_GROUP)
				b->watch_group = p->u.watch.id;
		}
	}
}

/* Property i (0..7) is the mask [slave, master] of packet-in, port status,
 * flow removed, role status in turn. */
static uint32_t *async_mask_of(struct sl_ofp_async *as, uint16_t type)
{
	uint32_t *pairs[4] = { as->packet_in_mask, as->port_status_mask, as->flow_removed_mask,
			       as->role_status_mask };
	return &pairs[type / 2][type % 2 ? 0 : 1];
}

static void async_normalise(struct sl_ofp_async *as)
{
	as->present = 0;
	for (uint32_t i = 0; i < as->n_properties; i++)
		if (as->properties[i].type < 8) {
			*async_mask_of(as, as->properties[i].type) = as->properties[i].u.async.mask;
			as->present |= 1u << as->properties[i].type;
		}
}

int sl_ofp_async_add_props(struct sl_ofp_msg *owner, struct sl_ofp_async *as)
{
	struct sl_ofp_prop *p = sl_ofp_msg_alloc(owner, 8 * sizeof(*p));
	if (p == NULL)
		return -1;
	for (uint16_t t = 0; t < 8; t++) {
		p[t].type = t;
		p[t].u.async.mask = *async_mask_of(as, t);
	}
	as->properties = p;
	as->n_properties = 8;
	return 0;
}

/* OF1.5 moved metering into an action; a meter action first in the
 * apply-actions of a flow without a meter instruction is exactly the
 * OF1.3 meter instruction (what OVS does too): it becomes one, so the
 * agent and the pipeline see one form. Anything else is refused by
 * validate. */
static void meter_action15_normalise(struct sl_ofp_msg *msg, struct sl_ofp_flow_mod *fm)
{
	struct sl_ofp_instruction *apply = NULL;
	for (uint32_t i = 0; i < fm->n_instructions; i++) {
		if (fm->instructions[i].type == OFPIT_METER)
			return;
		if (fm->instructions[i].type == OFPIT_APPLY_ACTIONS)
			apply = &fm->instructions[i];
	}
	if (apply == NULL || apply->u.actions.n_actions == 0 ||
	    apply->u.actions.actions[0].type != OFPAT_METER)
		return;
	struct sl_ofp_instruction *ins = sl_ofp_msg_alloc(msg, (fm->n_instructions + 1) *
								    sizeof(*ins));
	if (ins == NULL)
		return; /* the meter action stays, and validate refuses it */
	ins[0].type = OFPIT_METER;
	ins[0].wire_off = apply->u.actions.actions[0].wire_off;
	ins[0].u.meter.meter_id = apply->u.actions.actions[0].u.meter.meter_id;
	apply->u.actions.actions++;
	apply->u.actions.n_actions--;
	for (uint32_t i = 0; i < fm->n_instructions; i++)
		ins[i + 1] = fm->instructions[i];
	fm->instructions = ins;
	fm->n_instructions++;
}

void sl_ofp_v14_normalise(struct sl_ofp_msg *msg)
{
	if (msg->version >= OFP15_VERSION && msg->type == OFPT_FLOW_MOD)
		meter_action15_normalise(msg, &msg->u.flow_mod);
	if (msg->version < OFP14_VERSION)
		return;
	if (msg->type == OFPT_SET_ASYNC || msg->type == OFPT_GET_ASYNC_REPLY)
		async_normalise(&msg->u.async);
	if (msg->type == OFPT_GROUP_MOD && msg->version >= OFP15_VERSION)
		group_mod15_normalise(&msg->u.group_mod);
	if (msg->type == OFPT_PORT_MOD) {
		struct sl_ofp_port_mod *pm = &msg->u.port_mod;
		pm->advertise = 0;
		for (uint32_t i = 0; i < pm->n_properties; i++)
			if (pm->properties[i].type == OFPPDPT_ETHERNET)
				pm->advertise = pm->properties[i].u.mod_eth.advertise;
	} else if (msg->type == OFPT_PACKET_OUT && msg->version >= OFP15_VERSION) {
		struct sl_ofp_packet_out *po = &msg->u.packet_out;
		/* no in_port: the packet comes from the controller (OF1.5 7.3.7) */
		po->in_port = OFPP_CONTROLLER;
		for (uint32_t i = 0; i < po->match.n_fields; i++) {
			const struct sl_ofp_oxm *o = &po->match.fields[i];
			if (o->oxm_class == OFPXMC_OPENFLOW_BASIC && o->field == OFPXMT_OFB_IN_PORT &&
			    o->value_len == 4)
				po->in_port = (uint32_t)o->value[0] << 24 | (uint32_t)o->value[1] << 16 |
					      (uint32_t)o->value[2] << 8 | o->value[3];
		}
	}
}

int sl_ofp_port_add_props(struct sl_ofp_msg *owner, struct sl_ofp_port *port)
{
	struct sl_ofp_prop *p = sl_ofp_msg_alloc(owner, sizeof(*p));
	if (p == NULL)
		return -1;
	p->type = OFPPDPT_ETHERNET;
	p->u.port_eth.curr = port->curr;
	p->u.port_eth.advertised = port->advertised;
	p->u.port_eth.supported = port->supported;
	p->u.port_eth.peer = port->peer;
	p->u.port_eth.curr_speed = port->curr_speed;
	p->u.port_eth.max_speed = port->max_speed;
	port->properties = p;
	port->n_properties = 1;
	return 0;
}

int sl_ofp_port_stats_add_props(struct sl_ofp_msg *owner, struct sl_ofp_port_stats *ps)
{
	struct sl_ofp_prop *p = sl_ofp_msg_alloc(owner, sizeof(*p));
	if (p == NULL)
		return -1;
	p->type = OFPPDPT_ETHERNET;
	p->u.stats_eth.rx_frame_err = ps->rx_frame_err;
	p->u.stats_eth.rx_over_err = ps->rx_over_err;
	p->u.stats_eth.rx_crc_err = ps->rx_crc_err;
	p->u.stats_eth.collisions = ps->collisions;
	ps->properties = p;
	ps->n_properties = 1;
	return 0;
}

int sl_ofp_bucket_add_props(struct sl_ofp_msg *owner, struct sl_ofp_bucket *b,
			    uint8_t group_type, uint32_t index)
{
	struct sl_ofp_prop *p = sl_ofp_msg_alloc(owner, 2 * sizeof(*p));
	if (p == NULL)
		return -1;
	uint32_t n = 0;
	/* what OVS sends: the weight of select buckets, the watches of
	 * fast-failover ones */
	if (group_type == OFPGT_SELECT) {
		p[n].type = OFPGBPT_WEIGHT;
		p[n++].u.weight.weight = b->weight;
	} else if (group_type == OFPGT_FF) {
		p[n].type = OFPGBPT_WATCH_PORT;
		p[n++].u.watch.id = b->watch_port;
		p[n].type = OFPGBPT_WATCH_GROUP;
		p[n++].u.watch.id = b->watch_group;
	}
	b->bucket_id = index;
	b->properties = p;
	b->n_properties = n;
	return 0;
}

static void oxs_set(struct sl_ofp_oxs_stat *s, uint8_t field, uint8_t len, uint64_t value)
{
	s->oxs_class = OXS_CLASS_OPENFLOW_BASIC;
	s->field = (uint8_t)(field << 1);
	s->length = len;
	s->value = value;
}

/* OF1.5 has no meter instruction (OVS cannot read one): the meter goes
 * back to being the first action of the apply-actions, made if absent. */
static int meter_to_action(struct sl_ofp_msg *owner, struct sl_ofp_flow_stats *fs)
{
	uint32_t meter = UINT32_MAX, n = 0;
	struct sl_ofp_instruction *ins = sl_ofp_msg_alloc(owner, (fs->n_instructions + 1) *
								    sizeof(*ins));
	if (ins == NULL)
		return -1;
	struct sl_ofp_instruction *apply = NULL;
	for (uint32_t i = 0; i < fs->n_instructions; i++) {
		if (fs->instructions[i].type == OFPIT_METER) {
			meter = fs->instructions[i].u.meter.meter_id;
			continue;
		}
		ins[n] = fs->instructions[i];
		if (ins[n].type == OFPIT_APPLY_ACTIONS)
			apply = &ins[n];
		n++;
	}
	if (meter == UINT32_MAX)
		return 0;
	if (apply == NULL) {
		memmove(&ins[1], &ins[0], n * sizeof(*ins));
		memset(&ins[0], 0, sizeof(*ins));
		ins[0].type = OFPIT_APPLY_ACTIONS;
		apply = &ins[0];
		n++;
	}
	uint32_t na = apply->u.actions.n_actions;
	struct sl_ofp_action *acts = sl_ofp_msg_alloc(owner, (na + 1) * sizeof(*acts));
	if (acts == NULL)
		return -1;
	acts[0].type = OFPAT_METER;
	acts[0].u.meter.meter_id = meter;
	if (na)
		memcpy(&acts[1], apply->u.actions.actions, na * sizeof(*acts));
	apply->u.actions.actions = acts;
	apply->u.actions.n_actions = na + 1;
	fs->instructions = ins;
	fs->n_instructions = n;
	return 0;
}

int sl_ofp_flow_stats_v15(struct sl_ofp_msg *owner, struct sl_ofp_flow_stats *fs)
{
	struct sl_ofp_oxs_stat *s = sl_ofp_msg_alloc(owner, 3 * sizeof(*s));
	if (s == NULL || meter_to_action(owner, fs) != 0)
		return -1;
	/* the order OVS sends them in: duration, packets, bytes */
	oxs_set(&s[0], OXS_DURATION, 8, (uint64_t)fs->duration_sec << 32 | fs->duration_nsec);
	oxs_set(&s[1], OXS_PACKET_COUNT, 8, fs->packet_count);
	oxs_set(&s[2], OXS_BYTE_COUNT, 8, fs->byte_count);
	fs->stats = s;
	fs->n_stats = 3;
	return 0;
}

int sl_ofp_aggregate_add_oxs(struct sl_ofp_msg *owner, struct sl_ofp_aggregate_stats *ag)
{
	struct sl_ofp_oxs_stat *s = sl_ofp_msg_alloc(owner, 3 * sizeof(*s));
	if (s == NULL)
		return -1;
	oxs_set(&s[0], OXS_FLOW_COUNT, 4, ag->flow_count);
	oxs_set(&s[1], OXS_PACKET_COUNT, 8, ag->packet_count);
	oxs_set(&s[2], OXS_BYTE_COUNT, 8, ag->byte_count);
	ag->stats = s;
	ag->n_stats = 3;
	return 0;
}
