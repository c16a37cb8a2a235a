/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multipart requests that read the tables: flow, aggregate, table, group,
 * group desc/features, meter, meter config/features, table features.
 * Counters are read after ops->sync(), which credits every cache hit to
 * its rule, group and meter: once traffic stops they are exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_convert.h"
#include "agent_flow.h"

static void
duration(uint64_t since, uint64_t now, uint32_t *sec, uint32_t *nsec)
{
	uint64_t age = now > since ? now - since : 0;

	*sec = (uint32_t)(age / 1000000000u);
	*nsec = (uint32_t)(age % 1000000000u);
}

/* ---- flow and aggregate ---- */

static bool
rule_selected(const struct sl_rule *r, const struct sl_ofp_flow_stats_request *q,
	      const struct sl_match *qm)
{
	if ((r->cookie & q->cookie_mask) != (q->cookie & q->cookie_mask))
		return false;
	if (q->out_port != OFPP_ANY && !agent_ins_outputs_to(r->ins, q->out_port))
		return false;
	if (q->out_group != OFPG_ANY && !agent_ins_uses_group(r->ins, q->out_group))
		return false;
	return sl_match_is_subset(&r->cr.match, qm);
}

static int
flow_stats_item(const struct sl_rule *r, uint64_t now, struct sl_ofp_msg *owner,
		struct sl_ofp_flow_stats *s)
{
	s->table_id = r->table_id;
	duration(r->created_ns, now, &s->duration_sec, &s->duration_nsec);
	s->priority = (uint16_t)r->cr.priority;
	s->idle_timeout = r->idle_timeout;
	s->hard_timeout = r->hard_timeout;
	s->flags = r->flags;
	s->cookie = r->cookie;
	s->packet_count = agent_rule_packets(r);
	s->byte_count = agent_rule_bytes(r);
	if (agent_match_to_ofp(&r->cr.match, owner, &s->match) != 0)
		return -1;
	return agent_ins_to_ofp(r->ins, owner, &s->instructions, &s->n_instructions);
}

/* FLOW and AGGREGATE share the request and the rule walk. */
static void
reply_flows(struct agent_conn *ac, const struct sl_ofp_multipart *q, struct sl_ofp_msg *r,
	    const uint8_t *raw, size_t len)
{
	const struct sl_ofp_flow_stats_request *fq = &q->body.flow_request;
	struct sl_agent *a = ac->a;
	unsigned int t0 = fq->table_id, t1 = fq->table_id + 1u;
	bool aggregate = q->type == OFPMP_AGGREGATE;
	struct sl_ofp_flow_stats *items = NULL;
	uint64_t total = 0, now = agent_now_ns();
	uint32_t k = 0;
	struct sl_match qm;
	int rc;

	if (fq->table_id == OFPTT_ALL) {
		t0 = 0;
		t1 = a->cfg.n_tables;
	} else if (fq->table_id >= a->cfg.n_tables) {
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_TABLE_ID);
		return;
	}
	rc = agent_match_from_ofp(&fq->match, &qm);
	if (rc != 0) {
		agent_send_error(ac, raw, len, (uint16_t)SL_OFPERR_TYPE(rc),
				 (uint16_t)SL_OFPERR_CODE(rc));
		return;
	}
	for (unsigned int t = t0; t < t1; t++)
		total += sl_pipeline_table_count(a->pl, (uint8_t)t);
	if (!aggregate && (items = sl_ofp_msg_alloc(r, (total ? total : 1) * sizeof(*items))) == NULL)
		return;
	for (unsigned int t = t0; t < t1; t++) {
		const struct sl_classifier *cls = sl_pipeline_table_cls(a->pl, (uint8_t)t);

		for (struct sl_cls_rule *cr = cls ? sl_cls_first(cls) : NULL; cr; cr = cr->all_next) {
			const struct sl_rule *rule = (const struct sl_rule *)cr;
			struct sl_ofp_aggregate_stats *ag = &r->u.multipart.body.aggregate;

			if (!rule_selected(rule, fq, &qm))
				continue;
			if (aggregate) {
				/* Rules without counters add nothing, not "all ones". */
				struct sl_rule_counts c;

				sl_rule_get_counts(rule, &c);
				if (!(rule->flags & OFPFF_NO_PKT_COUNTS))
					ag->packet_count += c.packets;
				if (!(rule->flags & OFPFF_NO_BYT_COUNTS))
					ag->byte_count += c.bytes;
				ag->flow_count++;
			} else if (k < total && flow_stats_item(rule, now, r, &items[k]) == 0) {
				k++;
			}
		}
	}
	if (!aggregate) {
		r->u.multipart.body.flow_stats.items = items;
		r->u.multipart.body.flow_stats.n = k;
	}
	/* OF1.5 carries the counters as OXS statistics */
	for (uint32_t i = 0; ac->version >= OFP15_VERSION && i < k; i++)
		if (sl_ofp_flow_stats_v15(r, &items[i]) != 0)
			return;
	if (ac->version >= OFP15_VERSION && aggregate &&
	    sl_ofp_aggregate_add_oxs(r, &r->u.multipart.body.aggregate) != 0)
		return;
	agent_send_multipart(ac, r);
}

static void
reply_tables(struct agent_conn *ac, struct sl_ofp_msg *r)
{
	struct sl_agent *a = ac->a;
	unsigned int n = a->cfg.n_tables;
	struct sl_ofp_table_stats *v = sl_ofp_msg_alloc(r, n * sizeof(*v));

	if (v == NULL)
		return;
	for (unsigned int t = 0; t < n; t++) {
		v[t].table_id = (uint8_t)t;
		v[t].active_count = sl_pipeline_table_count(a->pl, (uint8_t)t);
		sl_pipeline_table_stats(a->pl, (uint8_t)t, &v[t].lookup_count, &v[t].matched_count);
	}
	r->u.multipart.body.table_stats.items = v;
	r->u.multipart.body.table_stats.n = n;
	agent_send_multipart(ac, r);
}

/* ---- groups ---- */

static void
reply_groups(struct agent_conn *ac, uint32_t group_id, struct sl_ofp_msg *r)
{
	struct sl_agent *a = ac->a;
	struct agent_flows *f = a->flows;
	bool desc = r->u.multipart.type == OFPMP_GROUP_DESC;
	unsigned int n = f->n_groups, k = 0;
	struct sl_ofp_group_stats *gs = NULL;
	struct sl_ofp_group_desc *gd = NULL;
	uint64_t now = agent_now_ns();

	if (desc)
		gd = sl_ofp_msg_alloc(r, (n ? n : 1) * sizeof(*gd));
	else
		gs = sl_ofp_msg_alloc(r, (n ? n : 1) * sizeof(*gs));
	if (gd == NULL && gs == NULL)
		return;
	for (unsigned int i = 0; i < n; i++) {
		const struct sl_group *g = sl_pipeline_group(a->pl, f->group_ids[i]);

		/* OF1.5 group desc names a group too (OFPG_ALL: all) */
		if (g == NULL || ((!desc || ac->version >= OFP15_VERSION) &&
				  group_id != OFPG_ALL && g->group_id != group_id))
			continue;
		if (desc) {
			struct sl_ofp_bucket *b = sl_ofp_msg_alloc(r, (g->n_buckets ? g->n_buckets : 1) * sizeof(*b));

			if (b == NULL)
				return;
			for (unsigned int j = 0; j < g->n_buckets; j++) {
				b[j].weight = g->buckets[j].weight;
				b[j].watch_port = g->buckets[j].watch_port;
				b[j].watch_group = g->buckets[j].watch_group;
				b[j].n_actions = g->buckets[j].n_actions;
				b[j].actions = agent_actions_to_ofp(g->buckets[j].actions,
								    g->buckets[j].n_actions, r);
				if (b[j].actions == NULL ||
				    sl_ofp_bucket_add_props(r, &b[j], g->type, j) != 0)
					return;
			}
			gd[k].type = g->type;
			gd[k].group_id = g->group_id;
			gd[k].buckets = b;
			gd[k++].n_buckets = g->n_buckets;
		} else {
			struct sl_ofp_bucket_counter *bc = sl_ofp_msg_alloc(r, (g->n_buckets ? g->n_buckets : 1) * sizeof(*bc));

			if (bc == NULL)
				return;
			for (unsigned int j = 0; j < g->n_buckets; j++) {
				bc[j].packet_count = __atomic_load_n(&g->buckets[j].n_packets, __ATOMIC_RELAXED);
				bc[j].byte_count = __atomic_load_n(&g->buckets[j].n_bytes, __ATOMIC_RELAXED);
			}
			gs[k].group_id = g->group_id;
			gs[k].ref_count = g->stats->ref_count;
			gs[k].packet_count = __atomic_load_n(&g->stats->n_packets, __ATOMIC_RELAXED);
			gs[k].byte_count = __atomic_load_n(&g->stats->n_bytes, __ATOMIC_RELAXED);
			duration(g->stats->created_ns, now, &gs[k].duration_sec, &gs[k].duration_nsec);
			gs[k].bucket_stats = bc;
			gs[k++].n_bucket_stats = g->n_buckets;
		}
	}
	if (desc) {
		r->u.multipart.body.group_desc.items = gd;
		r->u.multipart.body.group_desc.n = k;
	} else {
		r->u.multipart.body.group_stats.items = gs;
		r->u.multipart.body.group_stats.n = k;
	}
	agent_send_multipart(ac, r);
}

/* Actions the pipeline executes, as an OFPAT_* bitmap (no SET_QUEUE: no
 * port has queues, so set_queue is refused). */
#define AGENT_ACTIONS_BITMAP (1u << OFPAT_OUTPUT | 1u << OFPAT_COPY_TTL_OUT | \
	1u << OFPAT_COPY_TTL_IN | 1u << OFPAT_SET_MPLS_TTL | 1u << OFPAT_DEC_MPLS_TTL | \
	1u << OFPAT_PUSH_VLAN | 1u << OFPAT_POP_VLAN | 1u << OFPAT_PUSH_MPLS | \
	1u << OFPAT_POP_MPLS | 1u << OFPAT_GROUP | \
	1u << OFPAT_SET_NW_TTL | 1u << OFPAT_DEC_NW_TTL | 1u << OFPAT_SET_FIELD | \
	1u << OFPAT_PUSH_PBB | 1u << OFPAT_POP_PBB)

static void
reply_group_features(struct agent_conn *ac, struct sl_ofp_msg *r)
{
	struct sl_ofp_group_features *gf = &r->u.multipart.body.group_features;

	gf->types = 1u << OFPGT_ALL | 1u << OFPGT_SELECT | 1u << OFPGT_INDIRECT | 1u << OFPGT_FF;
	gf->capabilities = OFPGFC_SELECT_WEIGHT | OFPGFC_SELECT_LIVENESS | OFPGFC_CHAINING;
	for (int i = 0; i < 4; i++) {
		gf->max_groups[i] = AGENT_MAX_GROUPS;
		gf->actions[i] = AGENT_ACTIONS_BITMAP;
	}
	agent_send_multipart(ac, r);
}

/* ---- meters ---- */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Rules per meter for the sorted @p ids, in one walk over every table
 * (meters x rules would not scale). */
static void
meter_flow_counts(struct sl_agent *a, const uint32_t *ids, uint32_t n, uint32_t *counts)
{
	for (unsigned int t = 0; n && t < a->cfg.n_tables; t++) {
		const struct sl_classifier *cls = sl_pipeline_table_cls(a->pl, (uint8_t)t);

		if (cls == NULL || sl_cls_count(cls) == 0)
			continue;
		for (struct sl_cls_rule *cr = sl_cls_first(cls); cr; cr = cr->all_next) {
			const struct sl_rule *rule = (const struct sl_rule *)cr;
			const uint32_t *hit;

			if (!rule->ins->has_meter)
				continue;
			hit = bsearch(&rule->ins->meter_id, ids, n, sizeof(*ids), cmp_u32);
			if (hit)
				counts[hit - ids]++;
		}
	}
}

static void
reply_meters(struct agent_conn *ac, uint32_t meter_id, struct sl_ofp_msg *r)
{
	struct sl_agent *a = ac->a;
	struct sl_meter_table *mt = a->flows->meters;
	bool config = r->u.multipart.type == OFPMP_METER_CONFIG;
	uint32_t n = sl_meter_table_count(mt), k = 0;
	uint32_t *ids = sl_ofp_msg_alloc(r, (n ? n : 1) * sizeof(*ids));
	uint32_t *counts = sl_ofp_msg_alloc(r, (n ? n : 1) * sizeof(*counts));
	struct sl_ofp_meter_stats *ms = sl_ofp_msg_alloc(r, (n ? n : 1) * sizeof(*ms));
	struct sl_ofp_meter_config *mc = sl_ofp_msg_alloc(r, (n ? n : 1) * sizeof(*mc));
	uint64_t now = agent_now_ns();

	if (ids == NULL || counts == NULL || ms == NULL || mc == NULL)
		return;
	if (n) {
		uint32_t listed = sl_meter_table_ids(mt, ids, n);

		n = listed < n ? listed : n;
	}
	if (!config)
		meter_flow_counts(a, ids, n, counts);
	for (uint32_t i = 0; i < n; i++) {
		struct sl_meter *m = sl_meter_table_lookup(mt, ids[i]);

		if (m == NULL || (meter_id != OFPM_ALL && ids[i] != meter_id))
			continue;
		if (config) {
			struct sl_meter_config c;
			struct sl_ofp_meter_band *b;

			sl_meter_get_config(m, &c);
			b = sl_ofp_msg_alloc(r, (c.n_bands ? c.n_bands : 1) * sizeof(*b));
			if (b == NULL)
				return;
			for (unsigned int j = 0; j < c.n_bands; j++) {
				b[j].type = c.bands[j].type;
				b[j].rate = c.bands[j].rate;
				b[j].burst_size = c.bands[j].burst_size;
				b[j].prec_level = c.bands[j].prec_level;
				b[j].experimenter = c.bands[j].experimenter;
			}
			mc[k].flags = c.flags;
			mc[k].meter_id = c.meter_id;
			mc[k].bands = b;
			mc[k++].n_bands = c.n_bands;
		} else {
			struct sl_meter_stats s;
			struct sl_ofp_meter_band_stats *bs;

			sl_meter_get_stats(m, now, &s);
			bs = sl_ofp_msg_alloc(r, (s.n_bands ? s.n_bands : 1) * sizeof(*bs));
			if (bs == NULL)
				return;
			for (unsigned int j = 0; j < s.n_bands; j++) {
				bs[j].packet_band_count = s.bands[j].packet_band_count;
				bs[j].byte_band_count = s.bands[j].byte_band_count;
			}
			ms[k].meter_id = s.meter_id;
			ms[k].flow_count = counts[i];
			ms[k].packet_in_count = s.packet_in_count;
			ms[k].byte_in_count = s.byte_in_count;
			ms[k].duration_sec = s.duration_sec;
			ms[k].duration_nsec = s.duration_nsec;
			ms[k].band_stats = bs;
			ms[k++].n_band_stats = s.n_bands;
		}
	}
	if (config) {
		r->u.multipart.body.meter_config.items = mc;
		r->u.multipart.body.meter_config.n = k;
	} else {
		r->u.multipart.body.meter_stats.items = ms;
		r->u.multipart.body.meter_stats.n = k;
	}
	agent_send_multipart(ac, r);
}

static void
reply_meter_features(struct agent_conn *ac, struct sl_ofp_msg *r)
{
	struct sl_meter_features mf;
	struct sl_ofp_meter_features *o = sl_ofp_msg_alloc(r, sizeof(*o));

	if (o == NULL)
		return;
	r->u.multipart.body.meter_features.items = o;
	r->u.multipart.body.meter_features.n = 1;
	sl_meter_table_features(ac->a->flows->meters, &mf);
	o->max_meter = mf.max_meter;
	o->band_types = mf.band_types;
	o->capabilities = mf.capabilities;
	o->max_bands = mf.max_bands;
	o->max_color = mf.max_color;
	agent_send_multipart(ac, r);
}

bool
agent_flows_multipart(struct agent_conn *ac, const struct sl_ofp_msg *m,
		      const uint8_t *raw, size_t len)
{
	const struct sl_ofp_multipart *q = &m->u.multipart;
	struct sl_agent *a = ac->a;
	struct sl_ofp_msg r;

	switch (q->type) {
	case OFPMP_FLOW: case OFPMP_AGGREGATE: case OFPMP_TABLE: case OFPMP_GROUP:
	case OFPMP_METER:
		a->ops->sync(a->dp); /* credit cache hits before reading counters */
		break;
	case OFPMP_GROUP_DESC: case OFPMP_GROUP_FEATURES: case OFPMP_METER_CONFIG:
	case OFPMP_METER_FEATURES: case OFPMP_TABLE_FEATURES:
		break;
	default:
		return false;
	}
	sl_ofp_msg_init(&r, OFPT_MULTIPART_REPLY, m->xid);
	r.version = m->version; /* actions are built in its form (copy-field) */
	r.u.multipart.type = q->type;
	switch (q->type) {
	case OFPMP_FLOW: case OFPMP_AGGREGATE: reply_flows(ac, q, &r, raw, len); break;
	case OFPMP_TABLE: reply_tables(ac, &r); break;
	case OFPMP_GROUP: reply_groups(ac, q->body.group_request.group_id, &r); break;
	case OFPMP_GROUP_DESC: /* OF1.5 names a group; before, no body */
		reply_groups(ac, m->version >= OFP15_VERSION ? q->body.group_request.group_id
							 : OFPG_ALL, &r);
		break;
	case OFPMP_GROUP_FEATURES: reply_group_features(ac, &r); break;
	case OFPMP_METER: case OFPMP_METER_CONFIG:
		reply_meters(ac, q->body.meter_request.meter_id, &r);
		break;
	case OFPMP_METER_FEATURES: reply_meter_features(ac, &r); break;
	case OFPMP_TABLE_FEATURES: agent_reply_table_features(ac, q, &r, raw, len); break;
	default: break;
	}
	sl_ofp_msg_free(&r);
	return true;
}
