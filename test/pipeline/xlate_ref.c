/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The differential test's reference: a naive OpenFlow 1.3 pipeline (linear
 * scan, written from the spec text, sharing no code with lib/pipeline except
 * the documented select-group hash), plus an interpreter of the datapath
 * action lists sl_xlate returns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>

#include "sl_flow_consts.h"
#include "xlate_diff.h"

static void
log_ev(struct evlog *l, uint8_t kind, uint32_t a, uint32_t b, uint64_t c, const struct pstate *s)
{
	if (l->n >= 256) {
		l->overflow = true;
		return;
	}
	struct event *e = &l->ev[l->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->a = a;
	e->b = b;
	e->c = c;
	if (kind == EV_OUT || kind == EV_CTRL) {
		e->snap = s->key;
		e->snap.metadata = 0; /* pipeline state, not part of the packet */
		e->snap.recirc_id = 0; /* worker state */
		e->snap.actset_output = 0; /* lookup state (OF1.5) */
	}
}

/* VLAN semantics shared by the reference and the datapath interpreter. */
static void
vlan_push(struct sl_flow_key *k, uint16_t tpid)
{
	uint16_t old = rte_be_to_cpu_16(k->vlan_vid);
	k->vlan_inner = (old & OFPVID_PRESENT) ? rte_cpu_to_be_16((uint16_t)((k->vlan_pcp << 13) | old)) : 0;
	k->vlan_vid = rte_cpu_to_be_16((uint16_t)((old & 0x0fff) | OFPVID_PRESENT));
	k->vlan_tpid = rte_cpu_to_be_16(tpid);
	k->n_vlan++;
}

static void
vlan_pop(struct sl_flow_key *k)
{
	if (k->n_vlan == 0)
		return;
	uint16_t inner = rte_be_to_cpu_16(k->vlan_inner);
	k->n_vlan--;
	if (k->n_vlan && (inner & OFPVID_PRESENT)) {
		k->vlan_vid = rte_cpu_to_be_16(inner & 0x1fff);
		k->vlan_pcp = (uint8_t)(inner >> 13);
		k->vlan_tpid = rte_cpu_to_be_16(SL_ETH_VLAN);
	} else {
		k->vlan_vid = 0;
		k->vlan_pcp = 0;
		k->vlan_tpid = 0;
	}
	k->vlan_inner = 0;
}

void
pop_mpls_reparse(struct pstate *st, uint16_t ethertype)
{
	struct sl_flow_key *k = &st->key;
	k->eth_type = rte_cpu_to_be_16(ethertype);
	k->mpls_label = 0;
	k->mpls_tc = 0;
	k->mpls_bos = 0;
	for (unsigned int w = SL_FLOW_STAGE_L2_END; w < SL_FLOW_KEY_WORDS; w++)
		k->w[w] = st->inner.w[w];
	k->recirc_id = 0;
	memset(&st->inner, 0, sizeof(st->inner));
}

static bool
is_mpls_key(const struct sl_flow_key *k)
{
	return k->eth_type == rte_cpu_to_be_16(SL_ETH_MPLS) ||
	       k->eth_type == rte_cpu_to_be_16(SL_ETH_MPLS_MC);
}

static bool
ref_match(const struct tr_rule *r, const struct sl_flow_key *k)
{
	const uint8_t *kb = (const uint8_t *)k, *rb = (const uint8_t *)&r->key, *mb = (const uint8_t *)&r->mask;
	for (size_t i = 0; i < sizeof(*k); i++)
		if ((kb[i] & mb[i]) != rb[i])
			return false;
	return true;
}

static bool
ref_is_ip(const struct sl_flow_key *k)
{
	return k->eth_type == rte_cpu_to_be_16(SL_ETH_IPV4) || k->eth_type == rte_cpu_to_be_16(SL_ETH_IPV6);
}

static void ref_actions(struct ref *x, const struct sl_action *a, unsigned int n);

static bool ref_group_live(struct ref *x, uint32_t id, int depth);

static bool
ref_bucket_live(struct ref *x, const struct sl_bucket *b, int depth)
{
	if (b->watch_port != OFPP_ANY && (b->watch_port > N_PORTS || !x->w->port_up[b->watch_port]))
		return false;
	if (b->watch_group != OFPG_ANY && !ref_group_live(x, b->watch_group, depth + 1))
		return false;
	return true;
}

static bool
ref_group_live(struct ref *x, uint32_t id, int depth)
{
	if (id > MAX_GROUPS || !x->w->groups[id].live || depth > 20)
		return false;
	const struct tr_group *g = &x->w->groups[id];
	for (uint16_t b = 0; b < g->n_buckets; b++)
		if (ref_bucket_live(x, &g->buckets[b], depth))
			return true;
	return false;
}

static void
ref_bucket(struct ref *x, const struct sl_bucket *b)
{
	struct pstate saved = x->st;
	ref_actions(x, b->actions, b->n_actions);
	x->st = saved;
}

static void
ref_group(struct ref *x, uint32_t id)
{
	if (id > MAX_GROUPS || !x->w->groups[id].live)
		return;
	const struct tr_group *g = &x->w->groups[id];
	if (g->type == OFPGT_ALL) {
		for (uint16_t b = 0; b < g->n_buckets; b++)
			ref_bucket(x, &g->buckets[b]);
	} else if (g->type == OFPGT_INDIRECT) {
		ref_bucket(x, &g->buckets[0]);
	} else if (g->type == OFPGT_FF) {
		for (uint16_t b = 0; b < g->n_buckets; b++)
			if (ref_bucket_live(x, &g->buckets[b], 0)) {
				ref_bucket(x, &g->buckets[b]);
				break;
			}
	} else {
		/* Weighted rendezvous as documented in sl_xlate.h: the largest
		 * -w / ln(u) wins, u from the documented per-bucket draw. */
		uint32_t h = sl_select_hash(&x->st.key, id);
		int best = -1;
		double best_s = 0;
		for (uint16_t b = 0; b < g->n_buckets; b++) {
			if (!g->buckets[b].weight || !ref_bucket_live(x, &g->buckets[b], 0))
				continue;
			double u = (sl_select_bucket_hash(h, b) + 0.5) / 4294967296.0;
			double s = -(double)g->buckets[b].weight / log(u);
			if (best < 0 || s > best_s) {
				best = b;
				best_s = s;
			}
		}
		if (best >= 0)
			ref_bucket(x, &g->buckets[best]);
	}
}

static void
ref_set_field(struct ref *x, const struct sl_action *a)
{
	struct sl_flow_key *k = &x->st.key;
	switch (a->set_field.field) {
	case OFPXMT_OFB_ETH_DST:
		memcpy(k->eth_dst, a->set_field.value, 6);
		break;
	case OFPXMT_OFB_VLAN_VID:
		if (k->vlan_vid & rte_cpu_to_be_16(OFPVID_PRESENT)) {
			uint16_t v;
			memcpy(&v, a->set_field.value, 2);
			k->vlan_vid = v | rte_cpu_to_be_16(OFPVID_PRESENT);
		}
		break;
	case OFPXMT_OFB_IPV4_DST:
		if (k->eth_type == rte_cpu_to_be_16(SL_ETH_IPV4))
			memcpy(&k->ipv4_dst, a->set_field.value, 4);
		break;
	case OFPXMT_OFB_TCP_DST:
		if (ref_is_ip(k) && k->ip_proto == 6)
			memcpy(&k->tcp_dst, a->set_field.value, 2);
		break;
	case OFPXMT_OFB_IP_DSCP:
		if (ref_is_ip(k))
			k->ip_dscp = a->set_field.value[0];
		break;
	case SL_OXM_TUN_IPV4_SRC: /* tunnel metadata: every packet has it */
		memcpy(&k->tun_ipv4_src, a->set_field.value, 4);
		break;
	}
}

/* The generator's copy-fields (xlate_gen.c random_copy_field), written out
 * field by field; skipped when the packet lacks a header. */
static void
ref_copy_field(struct ref *x, const struct sl_action *a)
{
	struct sl_flow_key *k = &x->st.key;
	bool ip4 = k->eth_type == rte_cpu_to_be_16(SL_ETH_IPV4);

	switch (a->copy_field.src) {
	case OFPXMT_OFB_ETH_SRC:
		memcpy(k->eth_dst, k->eth_src, 6);
		break;
	case OFPXMT_OFB_IPV4_SRC:
		if (ip4)
			((uint8_t *)&k->ipv4_dst)[3] = ((const uint8_t *)&k->ipv4_src)[3];
		break;
	case OFPXMT_OFB_TCP_FLAGS:
		if (ref_is_ip(k) && k->ip_proto == 6)
			k->ip_dscp = (uint8_t)(rte_be_to_cpu_16(k->tcp_flags) & 0x3f);
		break;
	}
}

static void
ref_action(struct ref *x, const struct sl_action *a)
{
	switch (a->type) {
	case OFPAT_COPY_FIELD:
		ref_copy_field(x, a);
		break;
	case OFPAT_OUTPUT:
		if (a->output.port == OFPP_CONTROLLER)
			log_ev(x->log, EV_CTRL, x->miss ? 0 : 1, x->table, x->cookie, &x->st);
		else if (a->output.port == OFPP_IN_PORT ||
			 rte_cpu_to_be_32(a->output.port) != x->st.key.in_port)
			log_ev(x->log, EV_OUT, a->output.port, x->st.queue, 0, &x->st);
		break;
	case OFPAT_SET_FIELD:
		ref_set_field(x, a);
		break;
	case OFPAT_PUSH_VLAN:
		vlan_push(&x->st.key, a->ethertype);
		break;
	case OFPAT_POP_VLAN:
		vlan_pop(&x->st.key);
		break;
	case OFPAT_POP_MPLS: /* the payload is parsed again: later tables see it */
		if (is_mpls_key(&x->st.key))
			pop_mpls_reparse(&x->st, a->ethertype);
		break;
	case OFPAT_GROUP:
		ref_group(x, a->group_id);
		break;
	case OFPAT_DEC_NW_TTL:
		if (ref_is_ip(&x->st.key))
			log_ev(x->log, EV_TTL, 0, 0, 0, &x->st);
		break;
	case OFPAT_SET_QUEUE:
		x->st.queue = a->queue_id;
		break;
	}
}

static void
ref_actions(struct ref *x, const struct sl_action *a, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		ref_action(x, &a[i]);
}

/* OF1.3 5.10 order, restricted to the action types this test generates. */
static void
ref_action_set(struct ref *x)
{
	static const uint16_t order[] = { OFPAT_POP_VLAN, OFPAT_POP_MPLS, OFPAT_PUSH_VLAN,
					  OFPAT_DEC_NW_TTL };
	for (unsigned int i = 0; i < 4; i++)
		if (x->as_has[order[i]])
			ref_action(x, &x->as[order[i]]);
	for (unsigned int f = 0; f < SL_OXM_N_FIELDS; f++)
		if (x->as_sf_has[f])
			ref_set_field(x, &x->as_sf[f]);
	if (x->as_has[OFPAT_SET_QUEUE])
		ref_action(x, &x->as[OFPAT_SET_QUEUE]);
	if (x->as_has[OFPAT_GROUP])
		ref_action(x, &x->as[OFPAT_GROUP]);
	else if (x->as_has[OFPAT_OUTPUT])
		ref_action(x, &x->as[OFPAT_OUTPUT]);
}

unsigned long ref_n_actset_hits;

void
ref_run(struct world *w, const struct pstate *pkt, struct evlog *log, struct ref *x)
{
	memset(x, 0, sizeof(*x));
	x->w = w;
	x->st = *pkt;
	x->log = log;
	log->n = 0;
	log->overflow = false;
	uint8_t t = 0;
	for (;;) {
		const struct tr_rule *best = NULL;
		/* OF1.5 7.2.3.9: the action set's output port, else OFPP_UNSET */
		x->st.key.actset_output = rte_cpu_to_be_32(
			x->as_has[OFPAT_OUTPUT] ? x->as[OFPAT_OUTPUT].output.port : OFPP_UNSET);
		for (unsigned int i = 0; i < w->n_rules; i++) {
			const struct tr_rule *r = &w->rules[i];
			if (r->live && r->table == t && ref_match(r, &x->st.key) &&
			    (best == NULL || r->prio > best->prio))
				best = r;
		}
		if (best == NULL)
			return; /* no entry: drop; the action set is discarded */
		x->hit[x->n_hit++] = best->cookie;
		if (best->mask.actset_output && best->key.actset_output != rte_cpu_to_be_32(OFPP_UNSET))
			ref_n_actset_hits++;
		x->table = t;
		x->cookie = best->cookie;
		bool catchall = true;
		for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
			catchall &= best->mask.w[i] == 0;
		x->miss = best->prio == 0 && catchall;
		const struct sl_instructions *ins = &best->ins;
		if (ins->has_meter)
			log_ev(log, EV_METER, ins->meter_id, 0, 0, &x->st);
		ref_actions(x, ins->apply, ins->n_apply);
		if (ins->clear_actions) {
			memset(x->as_has, 0, sizeof(x->as_has));
			memset(x->as_sf_has, 0, sizeof(x->as_sf_has));
		}
		for (unsigned int i = 0; ins->has_write && i < ins->n_write; i++) {
			const struct sl_action *a = &ins->write[i];
			if (a->type == OFPAT_SET_FIELD) {
				x->as_sf_has[a->set_field.field] = true;
				x->as_sf[a->set_field.field] = *a;
			} else {
				x->as_has[a->type] = true;
				x->as[a->type] = *a;
			}
		}
		if (ins->has_write_metadata) {
			uint64_t md = rte_be_to_cpu_64(x->st.key.metadata);
			md = (md & ~ins->metadata_mask) | (ins->metadata & ins->metadata_mask);
			x->st.key.metadata = rte_cpu_to_be_64(md);
		}
		if (!ins->has_goto)
			break;
		t = ins->goto_table;
	}
	ref_action_set(x);
}

/* ------------------------------------------ datapath action interpreter ---- */

static void
dp_set_field(struct sl_flow_key *k, const struct sl_exec_action *a)
{
	const struct sl_field_desc *d = sl_field_by_oxm(a->set_field.field);
	uint8_t val[16], msk[16];
	if (d->len > 8) {
		memcpy(val, a->set_field.value, d->len);
		memcpy(msk, a->set_field.mask, d->len);
	} else {
		/* Undo the header placement: bytes -> integer -> shift -> field
		 * bytes; the mask too (a copy-field writes part of a field). */
		uint64_t v = 0, m = 0;
		for (unsigned int i = 0; i < a->set_field.len; i++) {
			v = (v << 8) | a->set_field.value[i];
			m = (m << 8) | a->set_field.mask[i];
		}
		v = (v >> a->set_field.shift) & d->valid_bits;
		m = (m >> a->set_field.shift) & d->valid_bits;
		for (unsigned int i = 0; i < d->len; i++) {
			val[i] = (uint8_t)(v >> (8 * (d->len - 1 - i)));
			msk[i] = (uint8_t)(m >> (8 * (d->len - 1 - i)));
		}
	}
	sl_field_set(d, k, val, msk);
	if (d->oxm == OFPXMT_OFB_VLAN_VID)
		k->vlan_vid |= rte_cpu_to_be_16(OFPVID_PRESENT);
}

struct sl_pipeline *dp_exec_pl;
struct sl_rule *dp_recirc_rules[64];
unsigned int dp_n_recirc_rules, dp_n_recircs;

/* RECIRC: parse again (the model already did at the pop), translate the key
 * with recirc_id, run the result on the same packet. */
static void
dp_recirc(uint32_t id, struct pstate *st, struct evlog *log)
{
	static unsigned int depth;
	struct sl_xlate_result *r = malloc(sizeof(*r));
	CU_ASSERT_FATAL(r != NULL && depth < 8);
	dp_n_recircs++;
	st->key.recirc_id = id;
	CU_ASSERT_EQUAL(sl_xlate(dp_exec_pl, &st->key, r), 0);
	st->key.recirc_id = 0;
	for (unsigned int i = 0; i < r->n_rules && dp_n_recirc_rules < 64; i++)
		dp_recirc_rules[dp_n_recirc_rules++] = r->rules[i];
	depth++;
	dp_exec(r->actions, r->n_actions, st, log);
	depth--;
	free(r);
}

void
dp_exec(const struct sl_exec_action *acts, unsigned int n, struct pstate *st, struct evlog *log)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct sl_exec_action *a = &acts[i];
		switch (a->type) {
		case SL_EXEC_CLONE: {
			struct pstate copy = *st;
			dp_exec(acts + i + 1, a->clone.n, &copy, log);
			i += a->clone.n;
			break;
		}
		case SL_EXEC_OUTPUT:
			log_ev(log, EV_OUT, a->output.port, st->queue, 0, st);
			break;
		case SL_EXEC_CONTROLLER:
			log_ev(log, EV_CTRL, a->controller.reason, a->controller.table_id,
			       a->controller.cookie, st);
			break;
		case SL_EXEC_SET_FIELD:
			dp_set_field(&st->key, a);
			break;
		case SL_EXEC_PUSH_VLAN:
			vlan_push(&st->key, a->push.ethertype);
			break;
		case SL_EXEC_POP_VLAN:
			vlan_pop(&st->key);
			break;
		case SL_EXEC_POP_MPLS:
			pop_mpls_reparse(st, a->push.ethertype);
			break;
		case SL_EXEC_RECIRC:
			dp_recirc(a->recirc_id, st, log);
			return; /* the last action of its scope */
		case SL_EXEC_DEC_NW_TTL:
			log_ev(log, EV_TTL, 0, 0, 0, st);
			break;
		case SL_EXEC_SET_QUEUE:
			st->queue = a->queue_id;
			break;
		case SL_EXEC_METER:
			log_ev(log, EV_METER, a->meter_id, 0, 0, st);
			break;
		default:
			CU_FAIL("unexpected datapath action");
		}
	}
}

bool
same_events(const struct evlog *a, const struct evlog *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned int i = 0; i < a->n; i++) {
		const struct event *x = &a->ev[i], *y = &b->ev[i];
		if (x->kind != y->kind || x->a != y->a || x->b != y->b || x->c != y->c ||
		    memcmp(&x->snap, &y->snap, sizeof(x->snap)) != 0)
			return false;
	}
	return true;
}
