/* SPDX-License-Identifier: BSD-3-Clause */
/* Action/instruction validation and copying. */
#include <stdlib.h>

#include "pl_alloc.h"
#include <string.h>

#include <rte_byteorder.h>

#include "pipeline_private.h"
#include "sl_flow_consts.h"

static bool
valid_out_port(uint32_t port, bool packet_out)
{
	if (port == 0 || port == OFPP_ANY)
		return false;
	if (port < OFPP_MAX)
		return true;
	switch (port) {
	case OFPP_IN_PORT: case OFPP_FLOOD: case OFPP_ALL:
	case OFPP_CONTROLLER: case OFPP_LOCAL: case OFPP_NORMAL:
		return true;
	case OFPP_TABLE:
		return packet_out;
	default:
		return false;
	}
}

/* Pin a 2-byte field to an exact value in the simulated match. */
static void
sim_set16(struct sl_match *m, unsigned int oxm, uint16_t v, uint16_t mask)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	uint16_t bv = rte_cpu_to_be_16(v), bm = rte_cpu_to_be_16(mask);
	memcpy((uint8_t *)&m->key + d->ofs, &bv, 2);
	memcpy((uint8_t *)&m->mask + d->ofs, &bm, 2);
	m->present |= 1ull << oxm;
}

static int
validate_set_field(const struct sl_action *a, struct sl_match *sim)
{
	const struct sl_field_desc *d = sl_field_by_oxm(a->set_field.field);
	if (d == NULL || !d->writable)
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
	if (a->set_field.len != d->len)
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN);
	if (d->len <= 8) {
		uint64_t v = 0;
		for (unsigned int i = 0; i < d->len; i++)
			v = (v << 8) | a->set_field.value[i];
		if (v & ~d->valid_bits)
			return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT);
	}
	if (sim->present == UINT64_MAX) /* no match known (group bucket): no prereq check */
		return 0;
	if (!sl_match_prereq_satisfied(sim, d->oxm))
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT);
	/* Later actions may rely on what this one wrote (e.g. eth_type). */
	sl_field_set(d, &sim->key, a->set_field.value, NULL);
	sl_field_mask_all(d, &sim->mask);
	sim->present |= 1ull << d->oxm;
	return 0;
}

/* OF1.5 7.2.6.9 and OVS's checks of a move: fields Sluice knows
 * (BAD_SET_TYPE), a destination set-field may write (BAD_SET_ARGUMENT), bits
 * inside both fields (BAD_SET_LEN), prerequisites of both pinned by the
 * match (MATCH_INCONSISTENT; group buckets: per packet). */
static int
validate_copy_field(const struct sl_action *a, struct sl_match *sim)
{
	const struct sl_field_desc *s = sl_field_by_oxm(a->copy_field.src);
	const struct sl_field_desc *d = sl_field_by_oxm(a->copy_field.dst);
	if (s == NULL || d == NULL)
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE);
	if (!d->writable)
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT);
	if ((unsigned int)a->copy_field.src_ofs + a->copy_field.n_bits > sl_field_n_bits(s) ||
	    (unsigned int)a->copy_field.dst_ofs + a->copy_field.n_bits > sl_field_n_bits(d))
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN);
	if (sim->present == UINT64_MAX)
		return 0;
	if (!sl_match_prereq_satisfied(sim, s->oxm) || !sl_match_prereq_satisfied(sim, d->oxm))
		return SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT);
	/* The destination now holds a packet-dependent value: later actions
	 * cannot rely on what the match said about it. */
	uint8_t zero[16] = { 0 };
	sl_field_set(d, &sim->key, zero, NULL);
	sl_field_set(d, &sim->mask, zero, NULL);
	sim->present &= ~(1ull << d->oxm);
	return 0;
}

int
sl_actions_validate(const struct sl_action *acts, unsigned int n, const struct sl_match *m,
		    bool packet_out)
{
	struct sl_match sim;
	if (m) {
		sim = *m;
	} else {
		memset(&sim, 0, sizeof(sim));
		sim.present = UINT64_MAX;
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct sl_action *a = &acts[i];
		int rc = 0;
		switch (a->type) {
		case OFPAT_OUTPUT:
			if (!valid_out_port(a->output.port, packet_out))
				rc = SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT);
			break;
		case OFPAT_GROUP:
			if (a->group_id > OFPG_MAX)
				rc = SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP);
			break;
		case OFPAT_PUSH_VLAN:
			if (a->ethertype != SL_ETH_VLAN && a->ethertype != SL_ETH_QINQ)
				rc = SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_ARGUMENT);
			else if (m)
				sim_set16(&sim, OFPXMT_OFB_VLAN_VID, OFPVID_PRESENT, OFPVID_PRESENT);
			break;
		case OFPAT_POP_VLAN:
			if (m) {
				memset(&sim.key.vlan_vid, 0, 2);
				memset(&sim.mask.vlan_vid, 0, 2);
				sim.present &= ~(1ull << OFPXMT_OFB_VLAN_VID);
			}
			break;
		case OFPAT_PUSH_MPLS:
			if (a->ethertype != SL_ETH_MPLS && a->ethertype != SL_ETH_MPLS_MC)
				rc = SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_ARGUMENT);
			else if (m)
				sim_set16(&sim, OFPXMT_OFB_ETH_TYPE, a->ethertype, 0xffff);
			break;
		case OFPAT_POP_MPLS:
			if (m)
				sim_set16(&sim, OFPXMT_OFB_ETH_TYPE, a->ethertype, 0xffff);
			break;
		case OFPAT_PUSH_PBB:
			if (a->ethertype != SL_ETH_PBB)
				rc = SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_ARGUMENT);
			else if (m)
				sim_set16(&sim, OFPXMT_OFB_ETH_TYPE, SL_ETH_PBB, 0xffff);
			break;
		case OFPAT_SET_FIELD:
			rc = validate_set_field(a, &sim);
			break;
		case OFPAT_COPY_FIELD:
			rc = validate_copy_field(a, &sim);
			break;
		case OFPAT_POP_PBB: case OFPAT_COPY_TTL_OUT: case OFPAT_COPY_TTL_IN:
		case OFPAT_SET_MPLS_TTL: case OFPAT_DEC_MPLS_TTL: case OFPAT_SET_QUEUE:
		case OFPAT_SET_NW_TTL: case OFPAT_DEC_NW_TTL:
			break;
		default:
			rc = SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_TYPE);
		}
		if (rc)
			return rc;
	}
	return 0;
}

struct sl_instructions *
pl_ins_copy(const struct sl_instructions *ins)
{
	size_t sz = sizeof(*ins) + ((size_t)ins->n_apply + ins->n_write) * sizeof(struct sl_action);
	struct sl_instructions *c = pl_malloc(sz);
	if (c == NULL)
		return NULL;
	*c = *ins;
	struct sl_action *acts = (struct sl_action *)(c + 1);
	c->apply = ins->n_apply ? acts : NULL;
	if (ins->n_apply)
		memcpy(acts, ins->apply, ins->n_apply * sizeof(*acts));
	c->write = ins->n_write ? acts + ins->n_apply : NULL;
	if (ins->n_write)
		memcpy(acts + ins->n_apply, ins->write, ins->n_write * sizeof(*acts));
	return c;
}

static bool
acts_use(const struct sl_action *a, unsigned int n, uint16_t type, uint32_t val)
{
	for (unsigned int i = 0; i < n; i++) {
		if (a[i].type != type)
			continue;
		if (type == OFPAT_GROUP && a[i].group_id == val)
			return true;
		if (type == OFPAT_OUTPUT && a[i].output.port == val)
			return true;
	}
	return false;
}

bool
pl_ins_uses_group(const struct sl_instructions *ins, uint32_t id)
{
	return acts_use(ins->apply, ins->n_apply, OFPAT_GROUP, id) ||
	       acts_use(ins->write, ins->n_write, OFPAT_GROUP, id);
}

bool
pl_ins_uses_port(const struct sl_instructions *ins, uint32_t port)
{
	return acts_use(ins->apply, ins->n_apply, OFPAT_OUTPUT, port) ||
	       acts_use(ins->write, ins->n_write, OFPAT_OUTPUT, port);
}
