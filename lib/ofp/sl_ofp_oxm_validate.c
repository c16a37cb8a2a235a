/* OXM semantic checks: OF1.3 section 7.2.3.6-8 (prerequisites, masks,
 * duplicates) for matches, and the set-field rules for actions. */
#include <string.h>

#include "openflow_v14.h" /* OFPAT_COPY_FIELD */
#include "sl_ofp.h"
#include "sl_ofp_wire.h"

#define ETH_IPV4 0x0800
#define ETH_ARP 0x0806
#define ETH_IPV6 0x86dd
#define ETH_MPLS 0x8847
#define ETH_MPLS_MC 0x8848
#define ETH_PBB 0x88e7

/* Prerequisite of each basic field: field @pre must be matched exactly to
 * one of @v (a 0 in v[1] means "only v[0]"). pre = 0xff: none. */
struct prereq {
	uint8_t pre;
	uint16_t v[2];
};

static const struct prereq prereqs[SL_OFPXMT_BASIC_COUNT] = {
	[OFPXMT_OFB_IN_PORT] = { 0xff, { 0, 0 } },
	[OFPXMT_OFB_IN_PHY_PORT] = { OFPXMT_OFB_IN_PORT, { 0, 0 } }, /* any value */
	[OFPXMT_OFB_METADATA] = { 0xff, { 0, 0 } },
	[OFPXMT_OFB_ETH_DST] = { 0xff, { 0, 0 } },
	[OFPXMT_OFB_ETH_SRC] = { 0xff, { 0, 0 } },
	[OFPXMT_OFB_ETH_TYPE] = { 0xff, { 0, 0 } },
	[OFPXMT_OFB_VLAN_VID] = { 0xff, { 0, 0 } },
	[OFPXMT_OFB_VLAN_PCP] = { OFPXMT_OFB_VLAN_VID, { 0, 0 } }, /* VID != NONE, special-cased */
	[OFPXMT_OFB_IP_DSCP] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV4, ETH_IPV6 } },
	[OFPXMT_OFB_IP_ECN] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV4, ETH_IPV6 } },
	[OFPXMT_OFB_IP_PROTO] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV4, ETH_IPV6 } },
	[OFPXMT_OFB_IPV4_SRC] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV4, 0 } },
	[OFPXMT_OFB_IPV4_DST] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV4, 0 } },
	[OFPXMT_OFB_TCP_SRC] = { OFPXMT_OFB_IP_PROTO, { 6, 0 } },
	[OFPXMT_OFB_TCP_DST] = { OFPXMT_OFB_IP_PROTO, { 6, 0 } },
	[OFPXMT_OFB_UDP_SRC] = { OFPXMT_OFB_IP_PROTO, { 17, 0 } },
	[OFPXMT_OFB_UDP_DST] = { OFPXMT_OFB_IP_PROTO, { 17, 0 } },
	[OFPXMT_OFB_SCTP_SRC] = { OFPXMT_OFB_IP_PROTO, { 132, 0 } },
	[OFPXMT_OFB_SCTP_DST] = { OFPXMT_OFB_IP_PROTO, { 132, 0 } },
	[OFPXMT_OFB_ICMPV4_TYPE] = { OFPXMT_OFB_IP_PROTO, { 1, 0 } },
	[OFPXMT_OFB_ICMPV4_CODE] = { OFPXMT_OFB_IP_PROTO, { 1, 0 } },
	[OFPXMT_OFB_ARP_OP] = { OFPXMT_OFB_ETH_TYPE, { ETH_ARP, 0 } },
	[OFPXMT_OFB_ARP_SPA] = { OFPXMT_OFB_ETH_TYPE, { ETH_ARP, 0 } },
	[OFPXMT_OFB_ARP_TPA] = { OFPXMT_OFB_ETH_TYPE, { ETH_ARP, 0 } },
	[OFPXMT_OFB_ARP_SHA] = { OFPXMT_OFB_ETH_TYPE, { ETH_ARP, 0 } },
	[OFPXMT_OFB_ARP_THA] = { OFPXMT_OFB_ETH_TYPE, { ETH_ARP, 0 } },
	[OFPXMT_OFB_IPV6_SRC] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV6, 0 } },
	[OFPXMT_OFB_IPV6_DST] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV6, 0 } },
	[OFPXMT_OFB_IPV6_FLABEL] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV6, 0 } },
	[OFPXMT_OFB_ICMPV6_TYPE] = { OFPXMT_OFB_IP_PROTO, { 58, 0 } },
	[OFPXMT_OFB_ICMPV6_CODE] = { OFPXMT_OFB_IP_PROTO, { 58, 0 } },
	[OFPXMT_OFB_IPV6_ND_TARGET] = { OFPXMT_OFB_ICMPV6_TYPE, { 135, 136 } },
	[OFPXMT_OFB_IPV6_ND_SLL] = { OFPXMT_OFB_ICMPV6_TYPE, { 135, 0 } },
	[OFPXMT_OFB_IPV6_ND_TLL] = { OFPXMT_OFB_ICMPV6_TYPE, { 136, 0 } },
	[OFPXMT_OFB_MPLS_LABEL] = { OFPXMT_OFB_ETH_TYPE, { ETH_MPLS, ETH_MPLS_MC } },
	[OFPXMT_OFB_MPLS_TC] = { OFPXMT_OFB_ETH_TYPE, { ETH_MPLS, ETH_MPLS_MC } },
	[OFPXMT_OFB_MPLS_BOS] = { OFPXMT_OFB_ETH_TYPE, { ETH_MPLS, ETH_MPLS_MC } },
	[OFPXMT_OFB_PBB_ISID] = { OFPXMT_OFB_ETH_TYPE, { ETH_PBB, 0 } },
	[OFPXMT_OFB_TUNNEL_ID] = { 0xff, { 0, 0 } },
	[OFPXMT_OFB_IPV6_EXTHDR] = { OFPXMT_OFB_ETH_TYPE, { ETH_IPV6, 0 } },
	[OFPXMT_OFB_TCP_FLAGS] = { OFPXMT_OFB_IP_PROTO, { 6, 0 } },
	[OFPXMT_OFB_ACTSET_OUTPUT] = { 0xff, { 0, 0 } },
	[OFPXMT_OFB_PACKET_TYPE] = { 0xff, { 0, 0 } },
};

/* Largest legal value of fields narrower than their byte size. */
static uint64_t field_max(uint8_t field)
{
	switch (field) {
	case OFPXMT_OFB_VLAN_VID: return 0x1fff; /* 12-bit VID + OFPVID_PRESENT */
	case OFPXMT_OFB_VLAN_PCP: return 7;
	case OFPXMT_OFB_IP_DSCP: return 63;
	case OFPXMT_OFB_IP_ECN: return 3;
	case OFPXMT_OFB_IPV6_FLABEL: return 0xfffff;
	case OFPXMT_OFB_MPLS_LABEL: return 0xfffff;
	case OFPXMT_OFB_MPLS_TC: return 7;
	case OFPXMT_OFB_MPLS_BOS: return 1;
	case OFPXMT_OFB_IPV6_EXTHDR: return 0x1ff;
	case OFPXMT_OFB_TCP_FLAGS: return 0xfff;
	/* Sluice's ports carry Ethernet frames only: packet_type (ns 0, type 0),
	 * any other (namespace, type) is a value it cannot match (BAD_VALUE) */
	case OFPXMT_OFB_PACKET_TYPE: return 0;
	default: return UINT64_MAX;
	}
}

/* What earlier actions established, for set-field prerequisites. */
struct established {
	int eth_type; /* -1: as matched */
	bool vlan;
};

static const struct sl_ofp_oxm *find_basic(const struct sl_ofp_oxm *f, uint32_t n, uint8_t field)
{
	for (uint32_t i = 0; i < n; i++)
		if (f[i].oxm_class == OFPXMC_OPENFLOW_BASIC && f[i].field == field)
			return &f[i];
	return NULL;
}

static bool full_mask(const struct sl_ofp_oxm *o)
{
	if (!o->hasmask)
		return true;
	for (uint8_t i = 0; i < o->value_len; i++)
		if (o->mask[i] != 0xff)
			return false;
	return true;
}

static bool prereq_met(uint8_t field, const struct sl_ofp_oxm *f, uint32_t n,
		       const struct established *est)
{
	if (field >= SL_OFPXMT_BASIC_COUNT) /* the NXM tunnel fields: none, as in OVS */
		return true;
	const struct prereq *p = &prereqs[field];
	if (p->pre == 0xff)
		return true;
	if (p->pre == OFPXMT_OFB_ETH_TYPE && est != NULL && est->eth_type >= 0)
		return est->eth_type == p->v[0] || (p->v[1] && est->eth_type == p->v[1]);
	if (field == OFPXMT_OFB_VLAN_PCP && est != NULL && est->vlan)
		return true;
	const struct sl_ofp_oxm *pre = find_basic(f, n, p->pre);
	if (pre == NULL)
		return false;
	if (field == OFPXMT_OFB_VLAN_PCP) /* VID must say "a tag is present" */
		return (sl_ofp_oxm_value_u64(pre) & OFPVID_PRESENT) &&
		       (!pre->hasmask || (sl_rd16(pre->mask) & OFPVID_PRESENT));
	if (field == OFPXMT_OFB_IN_PHY_PORT)
		return true;
	if (!full_mask(pre))
		return false;
	uint64_t v = sl_ofp_oxm_value_u64(pre);
	if (v != p->v[0] && !(p->v[1] && v == p->v[1]))
		return false;
	/* the prerequisite's own prerequisites must hold too */
	return prereq_met(p->pre, f, n, est);
}

static int check_one(const struct sl_ofp_oxm *o, const struct sl_ofp_oxm *f, uint32_t n,
		     struct sl_ofp_error *err)
{
	const struct sl_ofp_oxm_info *info =
		o->oxm_class == OFPXMC_OPENFLOW_BASIC ? sl_ofp_oxm_basic_info(o->field) : NULL;
	if (info == NULL)
		return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_BAD_FIELD, o->wire_off);
	if (o->value_len != info->size)
		return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_BAD_LEN, o->wire_off);
	if (o->hasmask && !info->maskable)
		return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_BAD_MASK, o->wire_off);
	if (o->hasmask)
		for (uint8_t i = 0; i < info->size; i++)
			if (o->value[i] & ~o->mask[i])
				return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_BAD_WILDCARDS,
						   o->wire_off);
	if (info->size <= 8 && sl_ofp_oxm_value_u64(o) > field_max(o->field))
		return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_BAD_VALUE, o->wire_off);
	for (const struct sl_ofp_oxm *q = f; q < o; q++)
		if (q->oxm_class == o->oxm_class && q->field == o->field)
			return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_DUP_FIELD, o->wire_off);
	if (!prereq_met(o->field, f, n, NULL))
		return sl_ofp_fail(err, OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ, o->wire_off);
	return 0;
}

int sl_ofp_match_validate(const struct sl_ofp_oxm *fields, uint32_t n, struct sl_ofp_error *err)
{
	for (uint32_t i = 0; i < n; i++)
		if (check_one(&fields[i], fields, n, err) < 0)
			return -1;
	return 0;
}

static int set_field_check(const struct sl_ofp_oxm *oxm, const struct sl_ofp_oxm *match,
			   uint32_t n_match, const struct established *est,
			   struct sl_ofp_error *err, size_t at)
{
	const struct sl_ofp_oxm_info *info =
		oxm->oxm_class == OFPXMC_OPENFLOW_BASIC ? sl_ofp_oxm_basic_info(oxm->field) : NULL;
	/* in_port, in_phy_port, metadata and actset_output are pipeline
	 * fields, not packet headers; packet_type is what the port carries
	 * (read-only, as in OVS) */
	if (info == NULL || oxm->field <= OFPXMT_OFB_METADATA ||
	    oxm->field == OFPXMT_OFB_PACKET_TYPE || oxm->field == OFPXMT_OFB_ACTSET_OUTPUT)
		return sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE, at);
	if (oxm->hasmask || oxm->value_len != info->size)
		return sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT, at);
	if (info->size <= 8 && sl_ofp_oxm_value_u64(oxm) > field_max(oxm->field))
		return sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT, at);
	if (match != NULL && !prereq_met(oxm->field, match, n_match, est))
		return sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT, at);
	return 0;
}

int sl_ofp_set_field_validate(const struct sl_ofp_oxm *oxm, const struct sl_ofp_oxm *match,
			      uint32_t n_match, struct sl_ofp_error *err)
{
	return set_field_check(oxm, match, n_match, NULL, err, oxm->wire_off);
}

/* Output ports an action may name (OF1.3 7.2.1); TABLE only in packet-out. */
static bool output_port_ok(uint32_t port, bool packet_out)
{
	if (port > 0 && port <= OFPP_MAX)
		return true;
	switch (port) {
	case OFPP_IN_PORT: case OFPP_NORMAL: case OFPP_FLOOD: case OFPP_ALL:
	case OFPP_CONTROLLER: case OFPP_LOCAL:
		return true;
	case OFPP_TABLE:
		return packet_out;
	default:
		return false;
	}
}

static int check_ethertype(const struct sl_ofp_action *a, struct established *est,
			   struct sl_ofp_error *err)
{
	uint16_t et = a->u.ethertype.ethertype;
	bool ok = true;
	switch (a->type) {
	case OFPAT_PUSH_VLAN:
		ok = et == 0x8100 || et == 0x88a8;
		est->vlan = true;
		break;
	case OFPAT_PUSH_MPLS:
		ok = et == ETH_MPLS || et == ETH_MPLS_MC;
		est->eth_type = et;
		break;
	case OFPAT_PUSH_PBB:
		ok = et == ETH_PBB;
		est->eth_type = et;
		break;
	default: /* POP_MPLS: the ethertype of what follows */
		est->eth_type = et;
		break;
	}
	return ok ? 0 : sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_ARGUMENT, a->wire_off);
}

/* A copy-field must name two fields the codec knows (OF1.5 7.2.6.9:
 * OFPBAC_BAD_SET_TYPE); widths, writability and prerequisites are the
 * pipeline's to check (sl_actions_validate). Other experimenter actions
 * are refused. */
static int copy_field_check(const struct sl_ofp_action *a, struct sl_ofp_error *err)
{
	struct sl_ofp_copy_field cf;
	uint8_t src, dst;
	int rc = sl_ofp_copy_field_get(a, &cf, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER, a->wire_off);
	if (sl_ofp_copy_field_field(&cf.src, &src) < 0 || sl_ofp_copy_field_field(&cf.dst, &dst) < 0)
		return sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE, a->wire_off);
	return 0;
}

int sl_ofp_actions_validate(const struct sl_ofp_action *acts, uint32_t n,
			    const struct sl_ofp_match *match, bool packet_out,
			    struct sl_ofp_error *err)
{
	struct established est = { .eth_type = -1, .vlan = false };
	for (uint32_t i = 0; i < n; i++) {
		const struct sl_ofp_action *a = &acts[i];
		int rc = 0;
		switch (a->type) {
		case OFPAT_OUTPUT:
			if (!output_port_ok(a->u.output.port, packet_out))
				rc = sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT, a->wire_off);
			break;
		case OFPAT_GROUP:
			if (a->u.group.group_id > OFPG_MAX)
				rc = sl_ofp_fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP, a->wire_off);
			break;
		case OFPAT_PUSH_VLAN: case OFPAT_PUSH_MPLS: case OFPAT_PUSH_PBB: case OFPAT_POP_MPLS:
			rc = check_ethertype(a, &est, err);
			break;
		case OFPAT_POP_VLAN:
			est.vlan = false;
			break;
		case OFPAT_SET_FIELD:
			rc = set_field_check(&a->u.set_field, match ? match->fields : NULL,
					     match ? match->n_fields : 0, &est, err, a->wire_off);
			break;
		case OFPAT_EXPERIMENTER: case OFPAT_COPY_FIELD:
			rc = copy_field_check(a, err);
			break;
		default: /* TTL and queue actions take any argument */
			break;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}
