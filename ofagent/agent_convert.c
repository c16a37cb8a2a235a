/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wire codec <-> pipeline conversion (see agent_convert.h). The codec has
 * already checked structure and most semantics (sl_ofp_validate); what is
 * checked here is what only the pipeline's representation can tell: fields
 * Sluice does not match on, values outside a field, goto direction.
 */
#include <stdlib.h>
#include <string.h>

#include "agent_convert.h"

/* The NXM tunnel address fields: the codec's numbers (SL_OFPXMT_TUN_*, past
 * the 7-bit wire space) and the pipeline's (SL_OXM_TUN_*, inside its 64-bit
 * field bitmaps) are in the same order. */
_Static_assert(SL_OFPXMT_TUN_IPV6_DST - SL_OFPXMT_TUN_IPV4_SRC ==
		       SL_OXM_TUN_IPV6_DST - SL_OXM_TUN_IPV4_SRC,
	       "tunnel field numbers in the same order");

/* The pipeline's field number of a decoded basic field. */
static unsigned int
field_from_ofp(uint8_t field)
{
	return sl_ofp_oxm_tun_field(field) ? field - SL_OFPXMT_TUN_IPV4_SRC + SL_OXM_TUN_IPV4_SRC
					   : field;
}

/* The codec's field number of a pipeline field. */
static uint8_t
field_to_ofp(unsigned int field)
{
	return (uint8_t)(field >= SL_OXM_TUN_IPV4_SRC && field <= SL_OXM_TUN_IPV6_DST
				 ? field - SL_OXM_TUN_IPV4_SRC + SL_OFPXMT_TUN_IPV4_SRC
				 : field);
}

int
agent_match_from_ofp(const struct sl_ofp_match *om, struct sl_match *m)
{
	sl_match_init_catchall(m);
	for (uint32_t i = 0; i < om->n_fields; i++) {
		const struct sl_ofp_oxm *x = &om->fields[i];
		int rc;

		if (x->oxm_class != OFPXMC_OPENFLOW_BASIC)
			return SL_OFPERR(OFPET_BAD_MATCH, OFPBMC_BAD_FIELD);
		if (x->field == OFPXMT_OFB_PACKET_TYPE) {
			/* every packet is Ethernet, (0, 0): nothing to match; any
			 * other type names packets no port carries */
			if (x->hasmask || x->value_len != 4 || sl_ofp_oxm_value_u64(x) != 0)
				return SL_OFPERR(OFPET_BAD_MATCH, OFPBMC_BAD_VALUE);
			continue;
		}
		rc = sl_match_set_oxm(m, field_from_ofp(x->field), x->value, x->hasmask ? x->mask : NULL,
				      x->value_len);
		if (rc != 0)
			return SL_OFPERR(OFPET_BAD_MATCH, SL_MATCH_ERR_CODE(rc));
	}
	if (sl_match_validate(m) != 0)
		return SL_OFPERR(OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ);
	return 0;
}

int
agent_match_to_ofp(const struct sl_match *m, struct sl_ofp_msg *owner,
		   struct sl_ofp_match *out)
{
	unsigned int pos = 0, n = 0;
	struct sl_oxm x;
	struct sl_ofp_oxm *v;

	while (sl_match_next_oxm(m, &pos, &x))
		n++;
	out->type = OFPMT_OXM;
	out->n_fields = 0;
	v = sl_ofp_msg_alloc(owner, (n ? n : 1) * sizeof(*v));
	out->fields = v;
	if (v == NULL)
		return -1;
	pos = 0;
	while (sl_match_next_oxm(m, &pos, &x)) {
		/* tcp_flags goes out in the version's form (SL_OXM_FORM_AUTO:
		 * the ONF experimenter field before OF1.5) */
		if (sl_ofp_oxm_set_bytes(&v[out->n_fields], field_to_ofp(x.field), x.value,
					 x.has_mask ? x.mask : NULL) == 0)
			out->n_fields++;
	}
	return 0;
}

/* A copy-field in any of its wire forms (sl_ofp_copy_field.h) into @p b. */
static int
copy_field_from_ofp(const struct sl_ofp_action *a, struct sl_action *b)
{
	struct sl_ofp_copy_field cf;
	int rc = sl_ofp_copy_field_get(a, &cf, NULL);

	if (rc < 0)
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_LEN);
	if (rc == 0)
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER);
	b->type = OFPAT_COPY_FIELD;
	if (sl_ofp_copy_field_field(&cf.src, &b->copy_field.src) < 0 ||
	    sl_ofp_copy_field_field(&cf.dst, &b->copy_field.dst) < 0)
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
	b->copy_field.n_bits = cf.n_bits;
	b->copy_field.src_ofs = cf.src_offset;
	b->copy_field.dst_ofs = cf.dst_offset;
	return 0;
}

/* The pipeline's copy-field as an action of @p owner's wire version;
 * -1 when the arena is full. */
static int
copy_field_to_ofp(const struct sl_action *b, struct sl_ofp_msg *owner, struct sl_ofp_action *a)
{
	struct sl_ofp_copy_field cf = {
		.n_bits = b->copy_field.n_bits,
		.src_offset = b->copy_field.src_ofs,
		.dst_offset = b->copy_field.dst_ofs,
	};

	/* the fields were validated at the flow-mod: the codec knows them */
	if (sl_ofp_copy_field_header(b->copy_field.src, owner->version, &cf.src) != 0 ||
	    sl_ofp_copy_field_header(b->copy_field.dst, owner->version, &cf.dst) != 0)
		return -1;
	return sl_ofp_copy_field_put(&cf, owner->version, owner, a);
}

int
agent_actions_from_ofp(const struct sl_ofp_action *oa, uint32_t n, struct sl_action *out)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct sl_ofp_action *a = &oa[i];
		struct sl_action *b = &out[i];

		memset(b, 0, sizeof(*b));
		b->type = a->type;
		switch (a->type) {
		case OFPAT_OUTPUT:
			b->output.port = a->u.output.port;
			b->output.max_len = a->u.output.max_len;
			break;
		case OFPAT_GROUP: b->group_id = a->u.group.group_id; break;
		case OFPAT_SET_QUEUE:
			/* No port has QoS queues (README "Queues"): every queue id is
			 * unknown. Refused for flow-mods, group-mods and packet-outs
			 * alike, which all come through here. */
			return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_QUEUE);
		case OFPAT_SET_MPLS_TTL: b->ttl = a->u.set_mpls_ttl.mpls_ttl; break;
		case OFPAT_SET_NW_TTL: b->ttl = a->u.set_nw_ttl.nw_ttl; break;
		case OFPAT_PUSH_VLAN: case OFPAT_PUSH_MPLS: case OFPAT_PUSH_PBB:
		case OFPAT_POP_MPLS:
			b->ethertype = a->u.ethertype.ethertype;
			break;
		case OFPAT_COPY_TTL_OUT: case OFPAT_COPY_TTL_IN: case OFPAT_DEC_MPLS_TTL:
		case OFPAT_POP_VLAN: case OFPAT_DEC_NW_TTL: case OFPAT_POP_PBB:
			break;
		case OFPAT_SET_FIELD: {
			const struct sl_ofp_oxm *x = &a->u.set_field;

			if (x->oxm_class != OFPXMC_OPENFLOW_BASIC ||
			    sl_field_by_oxm(field_from_ofp(x->field)) == NULL)
				return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
			if (x->hasmask)
				return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT);
			b->set_field.field = (uint8_t)field_from_ofp(x->field);
			b->set_field.len = x->value_len;
			memcpy(b->set_field.value, x->value, x->value_len);
			break;
		}
		case OFPAT_EXPERIMENTER: case OFPAT_COPY_FIELD: {
			int rc = copy_field_from_ofp(a, b);

			if (rc != 0)
				return rc;
			break;
		}
		default:
			return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_TYPE);
		}
	}
	return 0;
}

struct sl_ofp_action *
agent_actions_to_ofp(const struct sl_action *acts, unsigned int n, struct sl_ofp_msg *owner)
{
	struct sl_ofp_action *v = sl_ofp_msg_alloc(owner, (n ? n : 1) * sizeof(*v));

	for (unsigned int i = 0; v && i < n; i++) {
		const struct sl_action *b = &acts[i];
		struct sl_ofp_action *a = &v[i];

		a->type = b->type;
		switch (b->type) {
		case OFPAT_OUTPUT:
			a->u.output.port = b->output.port;
			a->u.output.max_len = b->output.max_len;
			break;
		case OFPAT_GROUP: a->u.group.group_id = b->group_id; break;
		case OFPAT_SET_QUEUE: a->u.set_queue.queue_id = b->queue_id; break;
		case OFPAT_SET_MPLS_TTL: a->u.set_mpls_ttl.mpls_ttl = b->ttl; break;
		case OFPAT_SET_NW_TTL: a->u.set_nw_ttl.nw_ttl = b->ttl; break;
		case OFPAT_PUSH_VLAN: case OFPAT_PUSH_MPLS: case OFPAT_PUSH_PBB:
		case OFPAT_POP_MPLS:
			a->u.ethertype.ethertype = b->ethertype;
			break;
		case OFPAT_SET_FIELD:
			sl_ofp_oxm_set_bytes(&a->u.set_field, field_to_ofp(b->set_field.field),
					     b->set_field.value, NULL);
			break;
		case OFPAT_COPY_FIELD:
			if (copy_field_to_ofp(b, owner, a) != 0)
				return NULL;
			break;
		default:
			break;
		}
	}
	return v;
}

static int
actions_dup(const struct sl_ofp_instruction *oi, struct sl_action **out, uint16_t *n_out)
{
	uint32_t n = oi->u.actions.n_actions;
	int rc;

	if (n > UINT16_MAX)
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_TOO_MANY);
	*out = calloc(n ? n : 1, sizeof(**out));
	if (*out == NULL)
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN);
	rc = agent_actions_from_ofp(oi->u.actions.actions, n, *out);
	*n_out = (uint16_t)n;
	return rc;
}

int
agent_ins_from_ofp(const struct sl_ofp_instruction *oi, uint32_t n, uint8_t table_id,
		   uint8_t n_tables, struct agent_ins *out)
{
	struct sl_instructions *ins = &out->ins;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (uint32_t i = 0; i < n && rc == 0; i++) {
		const struct sl_ofp_instruction *x = &oi[i];

		switch (x->type) {
		case OFPIT_GOTO_TABLE:
			if (x->u.goto_table.table_id >= n_tables ||
			    (table_id != OFPTT_ALL && x->u.goto_table.table_id <= table_id))
				rc = SL_OFPERR(OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID);
			ins->has_goto = true;
			ins->goto_table = x->u.goto_table.table_id;
			break;
		case OFPIT_WRITE_METADATA:
			ins->has_write_metadata = true;
			ins->metadata = x->u.write_metadata.metadata;
			ins->metadata_mask = x->u.write_metadata.metadata_mask;
			break;
		case OFPIT_WRITE_ACTIONS:
			if (out->write == NULL) {
				ins->has_write = true;
				rc = actions_dup(x, &out->write, &ins->n_write);
				ins->write = out->write;
			}
			break;
		case OFPIT_APPLY_ACTIONS:
			if (out->apply == NULL) {
				rc = actions_dup(x, &out->apply, &ins->n_apply);
				ins->apply = out->apply;
			}
			break;
		case OFPIT_CLEAR_ACTIONS:
			ins->clear_actions = true;
			break;
		case OFPIT_METER:
			ins->has_meter = true;
			ins->meter_id = x->u.meter.meter_id;
			break;
		case OFPIT_EXPERIMENTER:
			rc = SL_OFPERR(OFPET_BAD_INSTRUCTION, OFPBIC_BAD_EXPERIMENTER);
			break;
		default:
			rc = SL_OFPERR(OFPET_BAD_INSTRUCTION, OFPBIC_UNKNOWN_INST);
			break;
		}
	}
	if (rc != 0)
		agent_ins_free(out);
	return rc;
}

void
agent_ins_free(struct agent_ins *ai)
{
	free(ai->apply);
	free(ai->write);
	ai->apply = ai->write = NULL;
}

int
agent_ins_to_ofp(const struct sl_instructions *ins, struct sl_ofp_msg *owner,
		 struct sl_ofp_instruction **out, uint32_t *n_out)
{
	struct sl_ofp_instruction *v = sl_ofp_msg_alloc(owner, 6 * sizeof(*v));
	uint32_t n = 0;

	*out = v;
	*n_out = 0;
	if (v == NULL)
		return -1;
	/* Wire order = execution order (OF1.3 5.9), as OVS prints them. */
	if (ins->has_meter) {
		v[n].type = OFPIT_METER;
		v[n++].u.meter.meter_id = ins->meter_id;
	}
	if (ins->n_apply) {
		v[n].type = OFPIT_APPLY_ACTIONS;
		v[n].u.actions.actions = agent_actions_to_ofp(ins->apply, ins->n_apply, owner);
		v[n++].u.actions.n_actions = ins->n_apply;
	}
	if (ins->clear_actions)
		v[n++].type = OFPIT_CLEAR_ACTIONS;
	if (ins->has_write) {
		v[n].type = OFPIT_WRITE_ACTIONS;
		v[n].u.actions.actions = agent_actions_to_ofp(ins->write, ins->n_write, owner);
		v[n++].u.actions.n_actions = ins->n_write;
	}
	if (ins->has_write_metadata) {
		v[n].type = OFPIT_WRITE_METADATA;
		v[n].u.write_metadata.metadata = ins->metadata;
		v[n++].u.write_metadata.metadata_mask = ins->metadata_mask;
	}
	if (ins->has_goto) {
		v[n].type = OFPIT_GOTO_TABLE;
		v[n++].u.goto_table.table_id = ins->goto_table;
	}
	for (uint32_t i = 0; i < n; i++)
		if ((v[i].type == OFPIT_APPLY_ACTIONS || v[i].type == OFPIT_WRITE_ACTIONS) &&
		    v[i].u.actions.actions == NULL)
			return -1;
	*n_out = n;
	return 0;
}

static bool
list_has(const struct sl_action *acts, unsigned int n, uint16_t type, uint32_t id)
{
	for (unsigned int i = 0; i < n; i++) {
		if (acts[i].type != type)
			continue;
		if (type == OFPAT_OUTPUT && acts[i].output.port == id)
			return true;
		if (type == OFPAT_GROUP && acts[i].group_id == id)
			return true;
	}
	return false;
}

bool
agent_ins_outputs_to(const struct sl_instructions *ins, uint32_t port)
{
	return list_has(ins->apply, ins->n_apply, OFPAT_OUTPUT, port) ||
	       list_has(ins->write, ins->n_write, OFPAT_OUTPUT, port);
}

bool
agent_ins_uses_group(const struct sl_instructions *ins, uint32_t group)
{
	return list_has(ins->apply, ins->n_apply, OFPAT_GROUP, group) ||
	       list_has(ins->write, ins->n_write, OFPAT_GROUP, group);
}
