/* Semantic checks a switch makes on decoded controller requests.  Offsets
 * point at the offending field; constants below are OF1.3 wire offsets. */
#include "openflow_v14.h"
#include "sl_ofp.h"
#include "sl_ofp_desc.h"
#include "sl_ofp_v14.h"

/* wire offsets of fields we blame */
#define OFF_FM_TABLE 25
#define OFF_FM_COMMAND 26
#define OFF_FM_FLAGS 44
#define OFF_FM_MATCH 48
#define OFF_PO_IN_PORT 12
#define OFF_GM_COMMAND 8
#define OFF_GM_TYPE 10
#define OFF_GM_GROUP 12
#define OFF_GM_BUCKETS 16
#define OFF_PM_PORT 8
#define OFF_PM_CONFIG 24
#define OFF_TM_CONFIG 12
#define OFF_MM_COMMAND 8
#define OFF_MM_FLAGS 10
#define OFF_MM_METER 12
#define OFF_MM_BANDS 16
#define OFF_BODY 8
#define OFF_MP_BODY 16

/* OF1.3 keeps only the deprecated OF1.1 miss-config bits
 * (OFPTC_DEPRECATED_MASK) in table-mod config. */

#define PORT_CONFIG_BITS (OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD | OFPPC_NO_PACKET_IN)
#define FLOW_MOD_FLAG_BITS (OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP | OFPFF_RESET_COUNTS | \
			    OFPFF_NO_PKT_COUNTS | OFPFF_NO_BYT_COUNTS)

static bool meter_id_ok(uint32_t id)
{
	return (id > 0 && id <= OFPM_MAX) || id == OFPM_SLOWPATH || id == OFPM_CONTROLLER;
}

/* Instructions of a flow-mod (at most one of each, OF1.3 5.9). */
static int instructions_validate(const struct sl_ofp_flow_mod *fm, uint8_t version,
				 struct sl_ofp_error *err)
{
	uint32_t seen = 0;
	for (uint32_t i = 0; i < fm->n_instructions; i++) {
		const struct sl_ofp_instruction *ins = &fm->instructions[i];
		uint32_t bit = ins->type < 31 ? 1u << ins->type : 1u << 31;
		if (seen & bit)
			return sl_ofp_fail(err, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST, ins->wire_off);
		seen |= bit;
		switch (ins->type) {
		case OFPIT_GOTO_TABLE:
			if (ins->u.goto_table.table_id > OFPTT_MAX ||
			    (fm->table_id != OFPTT_ALL && ins->u.goto_table.table_id <= fm->table_id))
				return sl_ofp_fail(err, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID,
						   ins->wire_off);
			break;
		case OFPIT_WRITE_ACTIONS: case OFPIT_APPLY_ACTIONS:
			if (sl_ofp_actions_validate(ins->u.actions.actions, ins->u.actions.n_actions,
						    &fm->match, false, err) < 0)
				return -1;
			break;
		case OFPIT_CLEAR_ACTIONS:
			if (ins->u.actions.n_actions)
				return sl_ofp_fail(err, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN,
						   ins->wire_off);
			break;
		case OFPIT_METER:
			if (!meter_id_ok(ins->u.meter.meter_id))
				return sl_ofp_fail(err, OFPET_METER_MOD_FAILED, OFPMMFC_INVALID_METER,
						   ins->wire_off);
			break;
		case OFPIT_EXPERIMENTER:
			return sl_ofp_fail(err, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_EXPERIMENTER,
					   ins->wire_off);
		case OFPIT_STAT_TRIGGER: /* an OF1.5 instruction Sluice does not do */
			return sl_ofp_fail(err, OFPET_BAD_INSTRUCTION,
					   version >= OFP15_VERSION ? OFPBIC_UNSUP_INST
								    : OFPBIC_UNKNOWN_INST,
					   ins->wire_off);
		default: /* WRITE_METADATA: any value and mask */
			break;
		}
	}
	return 0;
}

static int flow_mod_validate(const struct sl_ofp_flow_mod *fm, uint8_t version,
			     struct sl_ofp_error *err)
{
	if (fm->command > OFPFC_DELETE_STRICT)
		return sl_ofp_fail(err, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND, OFF_FM_COMMAND);
	/* OFPTT_ALL only makes sense for deletes */
	if (fm->table_id == OFPTT_ALL && fm->command < OFPFC_DELETE)
		return sl_ofp_fail(err, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_TABLE_ID, OFF_FM_TABLE);
	if (fm->flags & ~FLOW_MOD_FLAG_BITS)
		return sl_ofp_fail(err, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_FLAGS, OFF_FM_FLAGS);
	if (fm->match.type != OFPMT_OXM)
		return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_BAD_TYPE, OFF_FM_MATCH);
	if (sl_ofp_match_validate(fm->match.fields, fm->match.n_fields, err) < 0)
		return -1;
	return instructions_validate(fm, version, err);
}

static int group_mod_validate(const struct sl_ofp_group_mod *gm, struct sl_ofp_error *err)
{
	if (gm->command > OFPGC_DELETE)
		return sl_ofp_fail(err, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_COMMAND, OFF_GM_COMMAND);
	if (gm->group_id > OFPG_MAX && !(gm->command == OFPGC_DELETE && gm->group_id == OFPG_ALL))
		return sl_ofp_fail(err, OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP, OFF_GM_GROUP);
	if (gm->command == OFPGC_DELETE)
		return 0;
	if (gm->type > OFPGT_FF)
		return sl_ofp_fail(err, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_TYPE, OFF_GM_TYPE);
	if (gm->type == OFPGT_INDIRECT && gm->n_buckets != 1)
		return sl_ofp_fail(err, OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP, OFF_GM_BUCKETS);
	for (uint32_t i = 0; i < gm->n_buckets; i++) {
		const struct sl_ofp_bucket *b = &gm->buckets[i];
		/* weight is only meaningful for select groups; like OVS, ignore it
		 * elsewhere rather than refuse what controllers commonly send */
		if (gm->type == OFPGT_FF && b->watch_port == OFPP_ANY && b->watch_group == OFPG_ANY)
			return sl_ofp_fail(err, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH,
					   OFF_GM_BUCKETS);
		if (sl_ofp_actions_validate(b->actions, b->n_actions, NULL, false, err) < 0)
			return -1;
	}
	return 0;
}

static int meter_mod_validate(const struct sl_ofp_meter_mod *mm, struct sl_ofp_error *err)
{
	if (mm->command > OFPMC_DELETE)
		return sl_ofp_fail(err, OFPET_METER_MOD_FAILED, OFPMMFC_BAD_COMMAND, OFF_MM_COMMAND);
	if (!meter_id_ok(mm->meter_id) && !(mm->command == OFPMC_DELETE && mm->meter_id == OFPM_ALL))
		return sl_ofp_fail(err, OFPET_METER_MOD_FAILED, OFPMMFC_INVALID_METER, OFF_MM_METER);
	if (mm->command == OFPMC_DELETE)
		return 0;
	uint16_t rate_flags = mm->flags & (OFPMF_KBPS | OFPMF_PKTPS);
	if ((mm->flags & ~(OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS)) ||
	    rate_flags == (OFPMF_KBPS | OFPMF_PKTPS))
		return sl_ofp_fail(err, OFPET_METER_MOD_FAILED, OFPMMFC_BAD_FLAGS, OFF_MM_FLAGS);
	for (uint32_t i = 0; i < mm->n_bands; i++) {
		const struct sl_ofp_meter_band *b = &mm->bands[i];
		if (b->type == OFPMBT_EXPERIMENTER)
			return sl_ofp_fail(err, OFPET_METER_MOD_FAILED, OFPMMFC_BAD_BAND, OFF_MM_BANDS);
		if (b->rate == 0)
			return sl_ofp_fail(err, OFPET_METER_MOD_FAILED, OFPMMFC_BAD_RATE, OFF_MM_BANDS);
		if (b->type == OFPMBT_DSCP_REMARK && (b->prec_level == 0 || b->prec_level > 63))
			return sl_ofp_fail(err, OFPET_METER_MOD_FAILED, OFPMMFC_BAD_BAND_VALUE,
					   OFF_MM_BANDS);
	}
	return 0;
}

static int multipart_validate(const struct sl_ofp_multipart *mp, struct sl_ofp_error *err)
{
	switch (mp->type) {
	case OFPMP_FLOW: case OFPMP_AGGREGATE: {
		const struct sl_ofp_match *m = &mp->body.flow_request.match;
		return sl_ofp_match_validate(m->fields, m->n_fields, err);
	}
	case OFPMP_PORT_STATS:
		/* LOCAL: the switch's own port, a port like the others when it has one */
		if (mp->body.port_request.port_no > OFPP_MAX && mp->body.port_request.port_no != OFPP_ANY &&
		    mp->body.port_request.port_no != OFPP_LOCAL)
			return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT, OFF_MP_BODY);
		return 0;
	case OFPMP_TABLE_FEATURES:
		for (uint32_t i = 0; i < mp->body.table_features.n; i++)
			if (mp->body.table_features.items[i].table_id > OFPTT_MAX)
				return sl_ofp_fail(err, OFPET_TABLE_FEATURES_FAILED, OFPTFFC_BAD_TABLE,
						   OFF_MP_BODY);
		return 0;
	case OFPMP_EXPERIMENTER:
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER, OFF_MP_BODY);
	default:
		return 0;
	}
}

static int packet_out_validate(const struct sl_ofp_packet_out *po, struct sl_ofp_error *err)
{
	uint32_t in = po->in_port;
	if ((in == 0 || in > OFPP_MAX) && in != OFPP_CONTROLLER && in != OFPP_LOCAL && in != OFPP_ANY)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT, OFF_PO_IN_PORT);
	return sl_ofp_actions_validate(po->actions, po->n_actions, NULL, true, err);
}

int sl_ofp_validate(const struct sl_ofp_msg *msg, struct sl_ofp_error *err)
{
	if (sl_ofp_codec_for_version(msg->version) == NULL && msg->type != OFPT_HELLO)
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION, 0);
	if (msg->version >= OFP14_VERSION && sl_ofp_validate_v14(msg, err) != 0)
		return -1;
	switch (msg->type) {
	case OFPT_EXPERIMENTER:
		return sl_ofp_fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER, OFF_BODY);
	case OFPT_SET_CONFIG:
		if (msg->u.config.flags & ~(uint16_t)OFPC_FRAG_MASK)
			return sl_ofp_fail(err, OFPET_SWITCH_CONFIG_FAILED, OFPSCFC_BAD_FLAGS, OFF_BODY);
		return 0;
	case OFPT_PACKET_OUT:
		return packet_out_validate(&msg->u.packet_out, err);
	case OFPT_FLOW_MOD:
		return flow_mod_validate(&msg->u.flow_mod, msg->version, err);
	case OFPT_GROUP_MOD:
		return group_mod_validate(&msg->u.group_mod, err);
	case OFPT_PORT_MOD:
		if (msg->u.port_mod.port_no == 0 ||
		    (msg->u.port_mod.port_no > OFPP_MAX && msg->u.port_mod.port_no != OFPP_LOCAL))
			return sl_ofp_fail(err, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT, OFF_PM_PORT);
		if ((msg->u.port_mod.config | msg->u.port_mod.mask) & ~(uint32_t)PORT_CONFIG_BITS)
			return sl_ofp_fail(err, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_CONFIG, OFF_PM_CONFIG);
		return 0;
	case OFPT_TABLE_MOD:
		/* every table id is valid: 0..OFPTT_MAX, or OFPTT_ALL; OF1.4
		 * adds vacancy events (sl_ofp_table14.h), never eviction */
		if (msg->u.table_mod.config & ~(uint32_t)(OFPTC_DEPRECATED_MASK |
				(msg->version >= OFP14_VERSION ? OFPTC_VACANCY_EVENTS : 0)))
			return sl_ofp_fail(err, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG, OFF_TM_CONFIG);
		return 0;
	case OFPT_MULTIPART_REQUEST:
		return multipart_validate(&msg->u.multipart, err);
	case OFPT_QUEUE_GET_CONFIG_REQUEST:
		if (msg->u.queue_config.port > OFPP_MAX && msg->u.queue_config.port != OFPP_ANY)
			return sl_ofp_fail(err, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT, OFF_BODY);
		return 0;
	case OFPT_ROLE_REQUEST:
		if (msg->u.role.role > OFPCR_ROLE_SLAVE)
			return sl_ofp_fail(err, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_BAD_ROLE, OFF_BODY);
		return 0;
	case OFPT_METER_MOD:
		return meter_mod_validate(&msg->u.meter_mod, err);
	default:
		/* hello, echo, barrier, get-config, get-async, set-async and the
		 * switch-to-controller messages carry nothing more to check */
		return 0;
	}
}
