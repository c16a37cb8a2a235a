/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation of the packet-editing actions: set_field (with header placement
 * for the worker), push/pop VLAN/MPLS/PBB, TTL actions and output. */
#include "xlate_private.h"

/* ---------------------------------------------------------- set_field ---- */

/* Where a field lives in the packet (for the worker). wmask 0: the field's valid bits. */
struct sf_place {
	uint8_t layer, offset, len, shift, csum;
	uint32_t wmask;
};

static const struct sf_place sf_places[SL_OXM_N_FIELDS] = {
	[OFPXMT_OFB_ETH_DST] = { SL_LAYER_ETH, 0, 6, 0, 0, 0 },
	[OFPXMT_OFB_ETH_SRC] = { SL_LAYER_ETH, 6, 6, 0, 0, 0 },
	[OFPXMT_OFB_ETH_TYPE] = { SL_LAYER_ETHTYPE, 0, 2, 0, 0, 0 },
	[OFPXMT_OFB_VLAN_VID] = { SL_LAYER_VLAN, 2, 2, 0, 0, 0x0fff },
	[OFPXMT_OFB_VLAN_PCP] = { SL_LAYER_VLAN, 2, 1, 5, 0, 0 },
	[OFPXMT_OFB_IP_DSCP] = { SL_LAYER_L3, 1, 1, 2, SL_CSUM_IP4, 0 },
	[OFPXMT_OFB_IP_ECN] = { SL_LAYER_L3, 1, 1, 0, SL_CSUM_IP4, 0 },
	[OFPXMT_OFB_IP_PROTO] = { SL_LAYER_L3, 9, 1, 0, SL_CSUM_IP4 | SL_CSUM_L4, 0 },
	[OFPXMT_OFB_IPV4_SRC] = { SL_LAYER_L3, 12, 4, 0, SL_CSUM_IP4 | SL_CSUM_L4, 0 },
	[OFPXMT_OFB_IPV4_DST] = { SL_LAYER_L3, 16, 4, 0, SL_CSUM_IP4 | SL_CSUM_L4, 0 },
	[OFPXMT_OFB_TCP_SRC] = { SL_LAYER_L4, 0, 2, 0, SL_CSUM_L4, 0 },
	[OFPXMT_OFB_TCP_DST] = { SL_LAYER_L4, 2, 2, 0, SL_CSUM_L4, 0 },
	[OFPXMT_OFB_UDP_SRC] = { SL_LAYER_L4, 0, 2, 0, SL_CSUM_L4, 0 },
	[OFPXMT_OFB_UDP_DST] = { SL_LAYER_L4, 2, 2, 0, SL_CSUM_L4, 0 },
	[OFPXMT_OFB_SCTP_SRC] = { SL_LAYER_L4, 0, 2, 0, SL_CSUM_SCTP, 0 },
	[OFPXMT_OFB_SCTP_DST] = { SL_LAYER_L4, 2, 2, 0, SL_CSUM_SCTP, 0 },
	[OFPXMT_OFB_ICMPV4_TYPE] = { SL_LAYER_L4, 0, 1, 0, SL_CSUM_ICMP, 0 },
	[OFPXMT_OFB_ICMPV4_CODE] = { SL_LAYER_L4, 1, 1, 0, SL_CSUM_ICMP, 0 },
	[OFPXMT_OFB_ARP_OP] = { SL_LAYER_L3, 6, 2, 0, 0, 0 },
	[OFPXMT_OFB_ARP_SHA] = { SL_LAYER_L3, 8, 6, 0, 0, 0 },
	[OFPXMT_OFB_ARP_SPA] = { SL_LAYER_L3, 14, 4, 0, 0, 0 },
	[OFPXMT_OFB_ARP_THA] = { SL_LAYER_L3, 18, 6, 0, 0, 0 },
	[OFPXMT_OFB_ARP_TPA] = { SL_LAYER_L3, 24, 4, 0, 0, 0 },
	[OFPXMT_OFB_IPV6_SRC] = { SL_LAYER_L3, 8, 16, 0, SL_CSUM_L4, 0 },
	[OFPXMT_OFB_IPV6_DST] = { SL_LAYER_L3, 24, 16, 0, SL_CSUM_L4, 0 },
	[OFPXMT_OFB_IPV6_FLABEL] = { SL_LAYER_L3, 1, 3, 0, 0, 0 },
	[OFPXMT_OFB_ICMPV6_TYPE] = { SL_LAYER_L4, 0, 1, 0, SL_CSUM_ICMP, 0 },
	[OFPXMT_OFB_ICMPV6_CODE] = { SL_LAYER_L4, 1, 1, 0, SL_CSUM_ICMP, 0 },
	[OFPXMT_OFB_IPV6_ND_TARGET] = { SL_LAYER_L4, 8, 16, 0, SL_CSUM_ICMP, 0 },
	[OFPXMT_OFB_IPV6_ND_SLL] = { SL_LAYER_ND_OPT, 2, 6, 0, SL_CSUM_ICMP, 0 },
	[OFPXMT_OFB_IPV6_ND_TLL] = { SL_LAYER_ND_OPT, 2, 6, 0, SL_CSUM_ICMP, 0 },
	[OFPXMT_OFB_MPLS_LABEL] = { SL_LAYER_MPLS, 0, 3, 4, 0, 0 },
	[OFPXMT_OFB_MPLS_TC] = { SL_LAYER_MPLS, 2, 1, 1, 0, 0 },
	[OFPXMT_OFB_MPLS_BOS] = { SL_LAYER_MPLS, 2, 1, 0, 0, 0 },
	[OFPXMT_OFB_PBB_ISID] = { SL_LAYER_PBB, 1, 3, 0, 0, 0 },
	[OFPXMT_OFB_TUNNEL_ID] = { SL_LAYER_META, 0, 8, 0, 0, 0 },
	[SL_OXM_TUN_IPV4_SRC] = { SL_LAYER_META, 0, 4, 0, 0, 0 },
	[SL_OXM_TUN_IPV4_DST] = { SL_LAYER_META, 0, 4, 0, 0, 0 },
	[SL_OXM_TUN_IPV6_SRC] = { SL_LAYER_META, 0, 16, 0, 0, 0 },
	[SL_OXM_TUN_IPV6_DST] = { SL_LAYER_META, 0, 16, 0, 0, 0 },
	[OFPXMT_OFB_TCP_FLAGS] = { SL_LAYER_L4, 12, 2, 0, SL_CSUM_L4, 0 },
};

/* IPv6 places of the fields shared with IPv4 (traffic class spans two bytes). */
static const struct sf_place sf_v6_dscp = { SL_LAYER_L3, 0, 2, 6, 0, 0 };
static const struct sf_place sf_v6_ecn = { SL_LAYER_L3, 0, 2, 4, 0, 0 };
static const struct sf_place sf_v6_proto = { SL_LAYER_L3, 6, 1, 0, SL_CSUM_L4, 0 };

/* Only the field bits set in @p fmask (network order, d->len bytes; NULL:
 * all) are written: a copy-field writes part of a field. */
static void
fill_set_field(struct sl_exec_action *a, const struct sl_field_desc *d, const struct sf_place *p,
	       const uint8_t *value, const uint8_t *fmask)
{
	a->set_field.field = d->oxm;
	a->set_field.layer = p->layer;
	a->set_field.offset = p->offset;
	a->set_field.len = p->len;
	a->set_field.csum = p->csum;
	a->set_field.shift = p->shift;
	if (d->len > 8) {
		memcpy(a->set_field.value, value, d->len);
		if (fmask != NULL)
			memcpy(a->set_field.mask, fmask, d->len);
		else
			memset(a->set_field.mask, 0xff, d->len);
		return;
	}
	/* Sub-byte and shifted fields: place value and mask at their bit position. */
	uint64_t v = 0, fm = 0;
	for (unsigned int i = 0; i < d->len; i++) {
		v = (v << 8) | value[i];
		fm = (fm << 8) | (fmask != NULL ? fmask[i] : 0xff);
	}
	uint64_t wm = ((p->wmask ? p->wmask : d->valid_bits) & fm) << p->shift;
	v = (v << p->shift) & wm;
	for (unsigned int i = 0; i < p->len; i++) {
		unsigned int sh = 8 * (p->len - 1 - i);
		a->set_field.value[i] = (uint8_t)(v >> sh);
		a->set_field.mask[i] = (uint8_t)(wm >> sh);
	}
}

/* The packet place of field @p d for the packet x->key is (IPv6 moves the
 * traffic class fields); NULL when the packet lacks the header (its
 * prerequisites, and a VLAN tag for vlan_vid: setting the VID of an
 * untagged packet does not add a tag). Consults what it looked at. */
static const struct sf_place *
sf_place_for(struct xctx *x, const struct sl_field_desc *d)
{
	struct sl_flow_key pm;
	memset(&pm, 0, sizeof(pm));
	sl_field_prereq_mask(d->oxm, &pm);
	consult(x, &pm);
	if (!sl_field_prereq_ok(d->oxm, &x->key))
		return NULL;
	if (d->oxm == OFPXMT_OFB_VLAN_VID) {
		struct sl_flow_key vm;
		memset(&vm, 0, sizeof(vm));
		vm.vlan_vid = rte_cpu_to_be_16(OFPVID_PRESENT);
		consult(x, &vm);
		if (!(x->key.vlan_vid & rte_cpu_to_be_16(OFPVID_PRESENT)))
			return NULL;
	}
	if (x->key.eth_type == rte_cpu_to_be_16(SL_ETH_IPV6)) {
		if (d->oxm == OFPXMT_OFB_IP_DSCP)
			return &sf_v6_dscp;
		if (d->oxm == OFPXMT_OFB_IP_ECN)
			return &sf_v6_ecn;
		if (d->oxm == OFPXMT_OFB_IP_PROTO)
			return &sf_v6_proto;
	}
	return &sf_places[d->oxm];
}

/* Bit @p i (0: least significant) of a network-order value of @p len bytes. */
static inline bool
bit_get(const uint8_t *v, unsigned int len, unsigned int i)
{
	return v[len - 1 - i / 8] >> (i % 8) & 1;
}

static inline void
bit_set(uint8_t *v, unsigned int len, unsigned int i, bool b)
{
	uint8_t *p = &v[len - 1 - i / 8];
	*p = (uint8_t)(b ? *p | 1u << (i % 8) : *p & ~(1u << (i % 8)));
}

void
xl_copy_field(struct xctx *x, const struct sl_action *act)
{
	const struct sl_field_desc *s = sl_field_by_oxm(act->copy_field.src);
	const struct sl_field_desc *d = sl_field_by_oxm(act->copy_field.dst);
	unsigned int n = act->copy_field.n_bits, so = act->copy_field.src_ofs;
	unsigned int dof = act->copy_field.dst_ofs;

	/* validated at the flow-mod (sl_actions_validate); a zero-bit copy is a no-op */
	if (s == NULL || d == NULL || !d->writable || n == 0 || so + n > sl_field_n_bits(s) ||
	    dof + n > sl_field_n_bits(d))
		return;
	struct sl_flow_key pm;
	memset(&pm, 0, sizeof(pm));
	sl_field_prereq_mask(s->oxm, &pm);
	consult(x, &pm);
	if (!sl_field_prereq_ok(s->oxm, &x->key))
		return; /* no source header: nothing to copy (as OVS) */
	if (s->oxm == OFPXMT_OFB_ACTSET_OUTPUT)
		xl_sync_actset_output(x); /* the action set as it is now */
	const struct sf_place *p = sf_place_for(x, d);
	if (p == NULL)
		return;
	uint8_t sv[16], sm[16] = { 0 }, v[16] = { 0 }, fm[16] = { 0 };
	sl_field_get(s, &x->key, sv);
	for (unsigned int i = 0; i < n; i++) {
		bit_set(sm, s->len, so + i, true);
		bit_set(v, d->len, dof + i, bit_get(sv, s->len, so + i));
		bit_set(fm, d->len, dof + i, true);
	}
	/* the value written depends on the source bits read: un-wildcard them */
	struct sl_flow_key m;
	memset(&m, 0, sizeof(m));
	sl_field_set(s, &m, sm, NULL);
	consult(x, &m);
	struct sl_exec_action *a = emit(x, SL_EXEC_SET_FIELD);
	if (a == NULL)
		return;
	fill_set_field(a, d, p, v, fm);
	sl_field_set(d, &x->key, v, fm);
	memset(&m, 0, sizeof(m));
	sl_field_set(d, &m, fm, NULL);
	sl_flow_key_or(&x->written, &m);
}

void
xl_set_field(struct xctx *x, const struct sl_action *act)
{
	const struct sl_field_desc *d = sl_field_by_oxm(act->set_field.field);
	if (d == NULL || !d->writable)
		return;
	const struct sf_place *p = sf_place_for(x, d);
	if (p == NULL)
		return; /* the packet lacks the header: nothing to set */
	struct sl_exec_action *a = emit(x, SL_EXEC_SET_FIELD);
	if (a == NULL)
		return;
	fill_set_field(a, d, p, act->set_field.value, NULL);
	sl_field_set(d, &x->key, act->set_field.value, NULL);
	if (d->oxm == OFPXMT_OFB_VLAN_VID)
		x->key.vlan_vid |= rte_cpu_to_be_16(OFPVID_PRESENT);
	sl_field_mask_all(d, &x->written);
}

/* ------------------------------------------------------- push / pop ---- */

void
xl_push_vlan(struct xctx *x, uint16_t tpid)
{
	/* The new tag copies the old outer VID/PCP; the old tag becomes the inner one. */
	CONSULT_MEMBER(x, vlan_vid);
	CONSULT_MEMBER(x, vlan_pcp);
	CONSULT_MEMBER(x, n_vlan);
	struct sl_exec_action *a = emit(x, SL_EXEC_PUSH_VLAN);
	if (a == NULL)
		return;
	a->push.ethertype = tpid;
	uint16_t old = rte_be_to_cpu_16(x->key.vlan_vid);
	if (old & OFPVID_PRESENT)
		x->key.vlan_inner = rte_cpu_to_be_16((uint16_t)((x->key.vlan_pcp << 13) | old));
	else
		x->key.vlan_inner = 0;
	x->key.vlan_vid = rte_cpu_to_be_16((uint16_t)((old & 0x0fff) | OFPVID_PRESENT));
	x->key.vlan_tpid = rte_cpu_to_be_16(tpid);
	if (x->key.n_vlan < 255)
		x->key.n_vlan++;
	WRITTEN_MEMBER(x, vlan_vid);
	WRITTEN_MEMBER(x, vlan_pcp);
	WRITTEN_MEMBER(x, vlan_inner);
	WRITTEN_MEMBER(x, vlan_tpid);
	WRITTEN_MEMBER(x, n_vlan);
}

void
xl_pop_vlan(struct xctx *x)
{
	CONSULT_MEMBER(x, n_vlan);
	if (x->key.n_vlan == 0)
		return; /* nothing to pop */
	CONSULT_MEMBER(x, vlan_inner);
	if (emit(x, SL_EXEC_POP_VLAN) == NULL)
		return;
	uint16_t inner = rte_be_to_cpu_16(x->key.vlan_inner);
	x->key.n_vlan--;
	if (x->key.n_vlan && (inner & OFPVID_PRESENT)) {
		x->key.vlan_vid = rte_cpu_to_be_16(inner & 0x1fff);
		x->key.vlan_pcp = (uint8_t)(inner >> 13);
		x->key.vlan_tpid = rte_cpu_to_be_16(SL_ETH_VLAN);
	} else {
		x->key.vlan_vid = 0;
		x->key.vlan_pcp = 0;
		x->key.vlan_tpid = 0;
	}
	x->key.vlan_inner = 0; /* a third tag is not tracked by the key */
	WRITTEN_MEMBER(x, vlan_vid);
	WRITTEN_MEMBER(x, vlan_pcp);
	WRITTEN_MEMBER(x, vlan_inner);
	WRITTEN_MEMBER(x, vlan_tpid);
	WRITTEN_MEMBER(x, n_vlan);
}

void
xl_push_mpls(struct xctx *x, uint16_t ethertype)
{
	bool had = is_mpls(x);
	if (had) {
		CONSULT_MEMBER(x, mpls_label);
		CONSULT_MEMBER(x, mpls_tc);
	}
	struct sl_exec_action *a = emit(x, SL_EXEC_PUSH_MPLS);
	if (a == NULL)
		return;
	a->push.ethertype = ethertype;
	if (!had) {
		x->key.mpls_label = 0;
		x->key.mpls_tc = 0;
	}
	x->key.mpls_bos = had ? 0 : 1;
	x->key.eth_type = rte_cpu_to_be_16(ethertype);
	WRITTEN_MEMBER(x, mpls_label);
	WRITTEN_MEMBER(x, mpls_tc);
	WRITTEN_MEMBER(x, mpls_bos);
	WRITTEN_MEMBER(x, eth_type);
}

void
xl_pop_mpls(struct xctx *x, uint16_t ethertype)
{
	if (!is_mpls(x))
		return;
	struct sl_exec_action *a = emit(x, SL_EXEC_POP_MPLS);
	if (a == NULL)
		return;
	a->push.ethertype = ethertype;
	/* The payload behind the label was never parsed: if anything after this
	 * can read it, the translation stops here and the packet recirculates
	 * (recirc.c). Otherwise nothing looks at its L3 fields. */
	x->key.eth_type = rte_cpu_to_be_16(ethertype);
	x->key.mpls_label = 0;
	x->key.mpls_tc = 0;
	x->key.mpls_bos = 0;
	WRITTEN_MEMBER(x, mpls_label);
	WRITTEN_MEMBER(x, mpls_tc);
	WRITTEN_MEMBER(x, mpls_bos);
	WRITTEN_MEMBER(x, eth_type);
	xl_recirc_after_pop(x);
}

void
xl_push_pbb(struct xctx *x, uint16_t ethertype)
{
	struct sl_exec_action *a = emit(x, SL_EXEC_PUSH_PBB);
	if (a == NULL)
		return;
	a->push.ethertype = ethertype;
	x->key.eth_type = rte_cpu_to_be_16(SL_ETH_PBB);
	memset(x->key.pbb_isid, 0, 3);
	WRITTEN_MEMBER(x, eth_type);
	WRITTEN_MEMBER(x, pbb_isid);
}

void
xl_pop_pbb(struct xctx *x)
{
	consult_field(x, OFPXMT_OFB_ETH_TYPE);
	if (x->key.eth_type != rte_cpu_to_be_16(SL_ETH_PBB))
		return;
	if (emit(x, SL_EXEC_POP_PBB) == NULL)
		return;
	/* As for MPLS, the customer frame behind the I-TAG is not in the key. */
	x->key.eth_type = 0;
	memset(x->key.pbb_isid, 0, 3);
	WRITTEN_MEMBER(x, eth_type);
	WRITTEN_MEMBER(x, pbb_isid);
	xl_recirc_after_pop(x);
}

void
xl_emit_ttl(struct xctx *x, uint8_t type, uint8_t ttl)
{
	struct sl_exec_action *a = emit(x, type);
	if (a == NULL)
		return;
	a->ttl.ttl = ttl;
	a->ttl.to_controller = sl_pipeline_invalid_ttl_to_controller(x->pl);
	a->ttl.table_id = x->table_id;
	a->ttl.cookie = x->cookie;
}

/* ------------------------------------------------------------ output ---- */

void
xl_output(struct xctx *x, uint32_t port, uint16_t max_len)
{
	struct sl_exec_action *a;
	switch (port) {
	case OFPP_CONTROLLER:
		a = emit(x, SL_EXEC_CONTROLLER);
		if (a) {
			a->controller.reason = x->miss_rule ? OFPR_NO_MATCH : OFPR_ACTION;
			a->controller.table_id = x->table_id;
			a->controller.cookie = x->cookie;
			a->controller.max_len = max_len;
		}
		return;
	case OFPP_TABLE: {
		/* Packet-out only: run the packet through the tables from table 0. */
		struct action_set saved = x->aset;
		memset(&x->aset.present, 0, sizeof(x->aset.present));
		x->aset.sf_present = 0;
		x->no_freeze++; /* the packet-out's own list would be lost: no recirculation */
		xl_run_tables(x, 0);
		x->no_freeze--;
		x->aset = saved;
		return;
	}
	case OFPP_IN_PORT: case OFPP_FLOOD: case OFPP_ALL:
		break;
	case OFPP_NORMAL:
		xl_normal(x);
		return;
	case OFPP_ANY:
		return;
	default:
		/* OpenFlow drops output to the ingress port unless it says IN_PORT
		 * (LOCAL included: it is the switch's own port, an ingress port too). */
		consult_field(x, OFPXMT_OFB_IN_PORT);
		if (rte_cpu_to_be_32(port) == x->key.in_port)
			return;
		break;
	}
	a = emit(x, SL_EXEC_OUTPUT);
	if (a)
		a->output.port = port;
}

