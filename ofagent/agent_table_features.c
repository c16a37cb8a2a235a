/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OFPMP_TABLE_FEATURES reply: what every table can match, which
 * instructions and actions it takes and where it can go next. All tables
 * are alike (any match field, any action), so the property lists are built
 * once per reply and shared; only next-tables differ per table.
 */
#include <stdio.h>
#include <string.h>

#include "agent_flow.h"

#define N_PROPS13 14 /* the OF1.3 properties */
#define N_PROPS 17   /* OF1.5: apply copy-field (and its miss twin), packet types */

struct tf_lists {
	struct sl_ofp_tf_id ins[6], acts[16];
	uint32_t n_acts, n_apply_acts; /* apply lists: acts[] plus COPY_FIELD in 1.5 */
	struct sl_ofp_oxm_id match[SL_OXM_N_FIELDS], wild[SL_OXM_N_FIELDS], set[SL_OXM_N_FIELDS];
	struct sl_ofp_oxm_id copy[SL_OXM_N_FIELDS]; /* what copy-field may read */
	uint32_t n_match, n_set, n_copy;
	struct sl_ofp_oxm packet_type; /* the one packet type: Ethernet, (0, 0) */
	uint32_t n_props;
};

static uint32_t
oxm_header(uint8_t field, bool hasmask, uint8_t len)
{
	return (uint32_t)OFPXMC_OPENFLOW_BASIC << 16 | (uint32_t)field << 9 |
	       (uint32_t)hasmask << 8 | (uint32_t)(hasmask ? 2 * len : len);
}

/* OF1.5 sessions: the OF1.5 basic fields (tcp_flags, actset_output,
 * packet_type) and copy-field, which have their basic numbers there. OF1.3
 * peers name tcp_flags and actset_output as ONF experimenter fields and
 * copy-field as an experimenter action: not listed for them. */
static void
tf_lists_add_v15(struct tf_lists *l)
{
	static const uint8_t fields[] = { OFPXMT_OFB_TCP_FLAGS, OFPXMT_OFB_ACTSET_OUTPUT };

	for (unsigned int i = 0; i < sizeof(fields); i++) {
		const struct sl_field_desc *d = sl_field_by_oxm(fields[i]);

		l->match[l->n_match].header = oxm_header(fields[i], d->maskable, d->len);
		l->wild[l->n_match++].header = oxm_header(fields[i], false, d->len);
		if (d->writable)
			l->set[l->n_set++].header = oxm_header(fields[i], false, d->len);
	}
	/* packet_type: Ethernet only, (0, 0) (agent_convert.c); no key field */
	l->match[l->n_match].header = oxm_header(OFPXMT_OFB_PACKET_TYPE, false, 4);
	l->wild[l->n_match++].header = oxm_header(OFPXMT_OFB_PACKET_TYPE, false, 4);
	sl_ofp_oxm_set_basic(&l->packet_type, OFPXMT_OFB_PACKET_TYPE, 0, NULL);
	/* apply-actions only: write-actions refuses it (OFPBAC_UNSUPPORTED_ORDER) */
	l->acts[l->n_apply_acts++].type = OFPAT_COPY_FIELD;
	/* copy-field reads any field it knows, and writes those set-field
	 * writes (the set-field lists): the copy-field lists name the former */
	for (unsigned int f = 0; f < SL_OXM_N_FIELDS && f < SL_OFPXMT_BASIC_COUNT; f++) {
		const struct sl_field_desc *d = sl_field_by_oxm(f);

		if (d != NULL)
			l->copy[l->n_copy++].header = oxm_header((uint8_t)f, false, d->len);
	}
	l->n_props = N_PROPS;
}

static void
tf_lists_build(struct tf_lists *l, uint8_t version)
{
	static const uint16_t ins[] = { OFPIT_GOTO_TABLE, OFPIT_WRITE_METADATA,
		OFPIT_WRITE_ACTIONS, OFPIT_APPLY_ACTIONS, OFPIT_CLEAR_ACTIONS, OFPIT_METER };
	static const uint16_t acts[] = { OFPAT_OUTPUT, OFPAT_COPY_TTL_OUT, OFPAT_COPY_TTL_IN,
		OFPAT_SET_MPLS_TTL, OFPAT_DEC_MPLS_TTL, OFPAT_PUSH_VLAN, OFPAT_POP_VLAN,
		OFPAT_PUSH_MPLS, OFPAT_POP_MPLS, OFPAT_GROUP, OFPAT_SET_NW_TTL,
		OFPAT_DEC_NW_TTL, OFPAT_SET_FIELD, OFPAT_PUSH_PBB, OFPAT_POP_PBB };
	/* No SET_QUEUE: ports have no queues, so every set_queue is refused
	 * (OFPBAC_BAD_QUEUE, agent_convert.c). */
	const unsigned int n_acts = sizeof(acts) / sizeof(acts[0]);

	memset(l, 0, sizeof(*l));
	for (unsigned int i = 0; i < 6; i++)
		l->ins[i].type = ins[i];
	for (unsigned int i = 0; i < n_acts; i++)
		l->acts[i].type = acts[i];
	l->n_acts = n_acts;
	l->n_apply_acts = n_acts;
	l->n_props = N_PROPS13;
	/* Basic OXM fields only (OF1.3 numbers 0..39). */
	for (unsigned int f = 0; f <= OFPXMT_OFB_IPV6_EXTHDR; f++) {
		const struct sl_field_desc *d = sl_field_by_oxm(f);

		if (d == NULL)
			continue;
		l->match[l->n_match].header = oxm_header((uint8_t)f, d->maskable, d->len);
		l->wild[l->n_match++].header = oxm_header((uint8_t)f, false, d->len);
		if (d->writable)
			l->set[l->n_set++].header = oxm_header((uint8_t)f, false, d->len);
	}
	if (version >= OFP15_VERSION)
		tf_lists_add_v15(l);
}

static void
tf_props(struct tf_lists *l, uint8_t *next, uint32_t n_next, struct sl_ofp_table_feature_prop *p)
{
	/* no WRITE_COPYFIELD: the action set holds no copy-field */
	static const uint16_t types[N_PROPS] = { OFPTFPT_INSTRUCTIONS, OFPTFPT_INSTRUCTIONS_MISS,
		OFPTFPT_NEXT_TABLES, OFPTFPT_NEXT_TABLES_MISS, OFPTFPT_WRITE_ACTIONS,
		OFPTFPT_WRITE_ACTIONS_MISS, OFPTFPT_APPLY_ACTIONS, OFPTFPT_APPLY_ACTIONS_MISS,
		OFPTFPT_MATCH, OFPTFPT_WILDCARDS, OFPTFPT_WRITE_SETFIELD,
		OFPTFPT_WRITE_SETFIELD_MISS, OFPTFPT_APPLY_SETFIELD, OFPTFPT_APPLY_SETFIELD_MISS,
		OFPTFPT_APPLY_COPYFIELD, OFPTFPT_APPLY_COPYFIELD_MISS, OFPTFPT_PACKET_TYPES };

	for (unsigned int i = 0; i < l->n_props; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		p[i].type = types[i];
		switch (types[i]) {
		case OFPTFPT_INSTRUCTIONS: case OFPTFPT_INSTRUCTIONS_MISS:
			/* The last table has nowhere to go. */
			p[i].ids = l->ins;
			p[i].n_ids = n_next ? 6 : 5;
			if (!n_next)
				p[i].ids = l->ins + 1;
			break;
		case OFPTFPT_NEXT_TABLES: case OFPTFPT_NEXT_TABLES_MISS:
			p[i].table_ids = next;
			p[i].n_table_ids = n_next;
			break;
		case OFPTFPT_MATCH:
			p[i].oxm_ids = l->match;
			p[i].n_oxm_ids = l->n_match;
			break;
		case OFPTFPT_WILDCARDS:
			p[i].oxm_ids = l->wild;
			p[i].n_oxm_ids = l->n_match;
			break;
		case OFPTFPT_WRITE_SETFIELD: case OFPTFPT_WRITE_SETFIELD_MISS:
		case OFPTFPT_APPLY_SETFIELD: case OFPTFPT_APPLY_SETFIELD_MISS:
			p[i].oxm_ids = l->set;
			p[i].n_oxm_ids = l->n_set;
			break;
		case OFPTFPT_APPLY_COPYFIELD: case OFPTFPT_APPLY_COPYFIELD_MISS:
			p[i].oxm_ids = l->copy;
			p[i].n_oxm_ids = l->n_copy;
			break;
		case OFPTFPT_PACKET_TYPES:
			p[i].oxm_values = &l->packet_type;
			p[i].n_oxm_values = 1;
			break;
		case OFPTFPT_APPLY_ACTIONS: case OFPTFPT_APPLY_ACTIONS_MISS:
			p[i].ids = l->acts;
			p[i].n_ids = l->n_apply_acts;
			break;
		default: /* write-actions lists */
			p[i].ids = l->acts;
			p[i].n_ids = l->n_acts;
			break;
		}
	}
}

void
agent_reply_table_features(struct agent_conn *ac, const struct sl_ofp_multipart *q,
			   struct sl_ofp_msg *r, const uint8_t *raw, size_t len)
{
	unsigned int n = ac->a->cfg.n_tables;
	struct tf_lists *l = sl_ofp_msg_alloc(r, sizeof(*l));
	struct sl_ofp_table_features *v = sl_ofp_msg_alloc(r, n * sizeof(*v));
	struct sl_ofp_table_feature_prop *props = sl_ofp_msg_alloc(r, n * N_PROPS * sizeof(*props));
	uint8_t *all_next = sl_ofp_msg_alloc(r, n + 1);

	if (q->body.table_features.n > 0) {
		agent_send_error(ac, raw, len, OFPET_TABLE_FEATURES_FAILED, OFPTFFC_EPERM);
		return;
	}
	if (l == NULL || v == NULL || props == NULL || all_next == NULL)
		return;
	tf_lists_build(l, ac->version);
	for (unsigned int t = 0; t < n; t++)
		all_next[t] = (uint8_t)t;
	for (unsigned int t = 0; t < n; t++) {
		v[t].table_id = (uint8_t)t;
		snprintf(v[t].name, sizeof(v[t].name), "table%u", t);
		v[t].metadata_match = UINT64_MAX;
		v[t].metadata_write = UINT64_MAX;
		v[t].config = 0;
		v[t].max_entries = sl_pipeline_max_rules_per_table(ac->a->pl);
		/* Every table is an ingress table; there are no egress tables
		 * (OF1.5 7.3.5.18.2): an output action leaves the pipeline. A
		 * controller cannot make one (a request with a body is EPERM
		 * above), so no table says EGRESS_TABLE or FIRST_EGRESS. The
		 * bits are OF1.5's; earlier versions encode padding here. */
		v[t].features = OFPTFF_INGRESS_TABLE;
		/* goto_table must go forward: the tables after t. */
		tf_props(l, all_next + t + 1, n - t - 1, &props[t * N_PROPS]);
		v[t].properties = &props[t * N_PROPS];
		v[t].n_properties = l->n_props;
	}
	r->u.multipart.body.table_features.items = v;
	r->u.multipart.body.table_features.n = n;
	agent_send_multipart(ac, r);
}
