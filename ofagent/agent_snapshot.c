/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The agent's OpenFlow state in a snapshot (sl_agent_snapshot.h). Objects
 * go out as the OpenFlow 1.3 mods that make them again, encoded by lib/ofp
 * from the pipeline's structures with the same conversion the statistics
 * replies use, and come back through lib/ofp's decoder and the conversion
 * a controller's mods take, so a snapshot holds nothing a controller could
 * not have sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_convert.h"
#include "agent_flow.h"
#include "agent_table14.h"
#include "sl_agent_snapshot.h"
#include "sl_meter_restore.h"
#include "sl_ofp_error.h"
#include "sl_pipeline_restore.h"
#include "sl_snap_records.h"

/* ------------------------------------------------------------------ save */

struct save_ctx {
	struct sl_agent *a;
	struct sl_snap_writer *w;
	struct sl_ofp_buf tx; /* scratch: each object's encoded mod */
	uint64_t now;
	char *err;
	size_t errlen;
};

/* Encode @p m into the scratch buffer and append it as an object record. */
static int
save_obj(struct save_ctx *s, uint16_t type, struct sl_ofp_msg *m, struct sl_snap_obj *o)
{
	int rc;

	s->tx.len = 0;
	rc = sl_ofp_encode(m, &s->tx);
	if (rc == 0) {
		o->msg = s->tx.data;
		o->msg_len = (uint32_t)s->tx.len;
		rc = sl_snap_add_obj(s->w, type, o);
	}
	if (rc != 0)
		snprintf(s->err, s->errlen, "%s: %s", sl_snap_type_name(type),
			 rc == -1 ? "out of memory" : "lib/ofp cannot encode it");
	return rc ? -1 : 0;
}

static uint64_t
age(uint64_t now, uint64_t since)
{
	return now > since ? now - since : 0;
}

static int
save_meter(struct save_ctx *s, const struct sl_meter *meter)
{
	struct sl_ofp_meter_band bands[SL_METER_MAX_BANDS];
	uint64_t counts[2 * SL_METER_MAX_BANDS];
	struct sl_meter_config c;
	struct sl_meter_stats st;
	struct sl_snap_obj o = { 0 };
	struct sl_ofp_msg m;
	int rc;

	sl_meter_get_config(meter, &c);
	sl_meter_get_stats(meter, s->now, &st);
	memset(bands, 0, sizeof(bands));
	for (unsigned int i = 0; i < c.n_bands; i++) {
		bands[i].type = c.bands[i].type;
		bands[i].rate = c.bands[i].rate;
		bands[i].burst_size = c.bands[i].burst_size;
		bands[i].prec_level = c.bands[i].prec_level;
		bands[i].experimenter = c.bands[i].experimenter;
		counts[2 * i] = st.bands[i].packet_band_count;
		counts[2 * i + 1] = st.bands[i].byte_band_count;
	}
	sl_ofp_msg_init(&m, OFPT_METER_MOD, 0);
	m.u.meter_mod.command = OFPMC_ADD;
	m.u.meter_mod.flags = c.flags;
	m.u.meter_mod.meter_id = c.meter_id;
	m.u.meter_mod.bands = bands;
	m.u.meter_mod.n_bands = c.n_bands;
	o.age_ns = (uint64_t)st.duration_sec * 1000000000ull + st.duration_nsec;
	o.packets = st.packet_in_count;
	o.bytes = st.byte_in_count;
	o.n_counts = c.n_bands;
	o.counts = counts;
	rc = save_obj(s, SL_SNAP_METER, &m, &o);
	sl_ofp_msg_free(&m);
	return rc;
}

static int
save_meters(struct save_ctx *s)
{
	struct sl_meter_table *t = s->a->flows->meters;
	uint32_t n = sl_meter_table_count(t);
	uint32_t *ids = calloc(n ? n : 1, sizeof(*ids));
	int rc = 0;

	if (ids == NULL || (n && sl_meter_table_ids(t, ids, n) != n)) {
		free(ids);
		snprintf(s->err, s->errlen, "meters: out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < n && rc == 0; i++) {
		const struct sl_meter *meter = sl_meter_table_lookup(t, ids[i]);

		if (meter)
			rc = save_meter(s, meter);
	}
	free(ids);
	return rc;
}

static int
save_group(struct save_ctx *s, const struct sl_group *g)
{
	uint64_t *counts = calloc(2 * (size_t)g->n_buckets + 1, sizeof(*counts));
	struct sl_snap_obj o = { 0 };
	struct sl_ofp_bucket *b;
	struct sl_ofp_msg m;
	int rc = -1;

	sl_ofp_msg_init(&m, OFPT_GROUP_MOD, 0);
	b = sl_ofp_msg_alloc(&m, (g->n_buckets + 1u) * sizeof(*b));
	for (unsigned int j = 0; b && counts && j < g->n_buckets; j++) {
		b[j].weight = g->buckets[j].weight;
		b[j].watch_port = g->buckets[j].watch_port;
		b[j].watch_group = g->buckets[j].watch_group;
		b[j].n_actions = g->buckets[j].n_actions;
		b[j].actions = agent_actions_to_ofp(g->buckets[j].actions, g->buckets[j].n_actions,
						    &m);
		if (b[j].actions == NULL)
			b = NULL;
		else {
			counts[2 * j] = __atomic_load_n(&g->buckets[j].n_packets, __ATOMIC_RELAXED);
			counts[2 * j + 1] = __atomic_load_n(&g->buckets[j].n_bytes,
							    __ATOMIC_RELAXED);
		}
	}
	if (b && counts) {
		m.u.group_mod.command = OFPGC_ADD;
		m.u.group_mod.type = g->type;
		m.u.group_mod.group_id = g->group_id;
		m.u.group_mod.buckets = b;
		m.u.group_mod.n_buckets = g->n_buckets;
		o.age_ns = age(s->now, g->stats->created_ns);
		o.packets = __atomic_load_n(&g->stats->n_packets, __ATOMIC_RELAXED);
		o.bytes = __atomic_load_n(&g->stats->n_bytes, __ATOMIC_RELAXED);
		o.n_counts = g->n_buckets;
		o.counts = counts;
		rc = save_obj(s, SL_SNAP_GROUP, &m, &o);
	} else {
		snprintf(s->err, s->errlen, "group %u: out of memory", g->group_id);
	}
	sl_ofp_msg_free(&m);
	free(counts);
	return rc;
}

static int
cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* Whether every group @p g's buckets name (actions, watch_group) is saved
 * already or does not exist: a group-mod naming a missing group fails.
 * @p ids: the agent's sorted group ids, @p done: which went out. */
static bool
group_ready(const struct sl_pipeline *pl, const struct sl_group *g, const uint32_t *ids,
	    const bool *done, unsigned int n)
{
	for (unsigned int j = 0; j < g->n_buckets; j++) {
		const struct sl_bucket *bk = &g->buckets[j];

		for (int k = -1; k < (int)bk->n_actions; k++) {
			uint32_t ref = k < 0 ? bk->watch_group
				       : bk->actions[k].type == OFPAT_GROUP ? bk->actions[k].group_id
				       : OFPG_ANY;

			const uint32_t *hit;

			if (ref == OFPG_ANY || sl_pipeline_group(pl, ref) == NULL)
				continue;
			hit = bsearch(&ref, ids, n, sizeof(*ids), cmp_u32);
			if (hit && !done[hit - ids])
				return false;
		}
	}
	return true;
}

/* Groups in passes: a group goes out once those it names went out. The
 * pipeline refuses loops, so every pass makes progress; chains are short
 * (translation stops at 16 deep), so the passes are few. */
static int
save_groups(struct save_ctx *s)
{
	const struct agent_flows *f = s->a->flows;
	unsigned int n = f->n_groups, left = n;
	bool *done = calloc(n + 1, sizeof(*done));

	if (done == NULL) {
		snprintf(s->err, s->errlen, "groups: out of memory");
		return -1;
	}
	while (left) {
		unsigned int before = left;

		for (unsigned int i = 0; i < n; i++) {
			const struct sl_group *g = sl_pipeline_group(s->a->pl, f->group_ids[i]);

			if (done[i] || (g && !group_ready(s->a->pl, g, f->group_ids, done, n)))
				continue;
			if (g && save_group(s, g) < 0) {
				free(done);
				return -1;
			}
			done[i] = true;
			left--;
		}
		if (left == before) /* a loop the pipeline should have refused */
			break;
	}
	free(done);
	if (left)
		snprintf(s->err, s->errlen, "groups: %u name each other in a loop", left);
	return left ? -1 : 0;
}

static int
save_rule(struct save_ctx *s, const struct sl_rule *r)
{
	struct sl_snap_obj o = { 0 };
	struct sl_rule_counts c;
	struct sl_ofp_flow_mod *fm;
	struct sl_ofp_msg m;
	int rc = -1;

	sl_ofp_msg_init(&m, OFPT_FLOW_MOD, 0);
	fm = &m.u.flow_mod;
	fm->cookie = r->cookie;
	fm->table_id = r->table_id;
	fm->command = OFPFC_ADD;
	fm->idle_timeout = r->idle_timeout;
	fm->hard_timeout = r->hard_timeout;
	fm->priority = (uint16_t)r->cr.priority;
	fm->buffer_id = OFP_NO_BUFFER;
	fm->out_port = OFPP_ANY;
	fm->out_group = OFPG_ANY;
	fm->flags = r->flags;
	if (agent_match_to_ofp(&r->cr.match, &m, &fm->match) == 0 &&
	    agent_ins_to_ofp(r->ins, &m, &fm->instructions, &fm->n_instructions) == 0) {
		sl_rule_get_counts(r, &c);
		o.age_ns = age(s->now, r->created_ns);
		o.idle_ns = age(s->now, c.used_ns > r->created_ns ? c.used_ns : r->created_ns);
		o.packets = c.packets;
		o.bytes = c.bytes;
		rc = save_obj(s, SL_SNAP_RULE, &m, &o);
	} else {
		snprintf(s->err, s->errlen, "rule: out of memory");
	}
	sl_ofp_msg_free(&m);
	return rc;
}

/* The tables' config that is not the default (OF1.4 table-mod: vacancy
 * thresholds and events, agent_table14.c), one record per table. */
static int
save_tables(const struct sl_agent *a, struct sl_snap_writer *w)
{
	const struct agent_tables14 *v = a->t14;

	for (unsigned int t = 0; v != NULL && t < a->cfg.n_tables; t++) {
		struct sl_snap_table r = { .table = (uint8_t)t, .events = v->armed[t],
					   .vacancy_down = v->down[t], .vacancy_up = v->up[t] };

		if ((r.events || r.vacancy_down || r.vacancy_up) && sl_snap_add_table(w, &r) < 0)
			return -1;
	}
	return 0;
}

int
sl_agent_snapshot_save(struct sl_agent *a, struct sl_snap_writer *w, char *err, size_t errlen)
{
	struct save_ctx s = { .a = a, .w = w, .now = agent_now_ns(), .err = err,
			      .errlen = errlen };
	struct sl_snap_role role = { .gen_valid = a->gen_valid, .gen_id = a->gen_id };
	int rc = save_meters(&s);

	if (rc == 0)
		rc = save_groups(&s);
	for (unsigned int t = 0; rc == 0 && t < a->cfg.n_tables; t++) {
		const struct sl_classifier *cls = sl_pipeline_table_cls(a->pl, (uint8_t)t);

		for (struct sl_cls_rule *cr = cls ? sl_cls_first(cls) : NULL; cr && rc == 0;
		     cr = cr->all_next)
			rc = save_rule(&s, (const struct sl_rule *)cr);
	}
	if (rc == 0 && sl_snap_add_role(w, &role) < 0) {
		snprintf(err, errlen, "role: out of memory");
		rc = -1;
	}
	if (rc == 0 && save_tables(a, w) < 0) {
		snprintf(err, errlen, "table config: out of memory");
		rc = -1;
	}
	sl_ofp_buf_free(&s.tx);
	return rc;
}

/* --------------------------------------------------------------- restore */

struct restore_ctx {
	struct sl_agent *a;
	uint64_t now;        /* agent_now_ns() */
	uint64_t stopped_ns; /* added to every age */
	struct sl_agent_restore_stats st;
	char *err;
	size_t errlen;
};

/* @p ago before now, on the agent's clock; a monotonic clock starts at
 * boot, so an age longer than the time since boot becomes that. */
static uint64_t
before_now(const struct restore_ctx *c, uint64_t ago)
{
	ago += c->stopped_ns;
	return c->now > ago ? c->now - ago : 0;
}

static int
refused(struct restore_ctx *c, const struct sl_snap_rec *rec, const char *what, int ofperr)
{
	if (ofperr)
		snprintf(c->err, c->errlen, "record %u (%s): %s: %s/%s", rec->index,
			 sl_snap_type_name(rec->type), what,
			 sl_ofp_error_type_name((uint16_t)SL_OFPERR_TYPE(ofperr)),
			 sl_ofp_error_code_name((uint16_t)SL_OFPERR_TYPE(ofperr),
						(uint16_t)SL_OFPERR_CODE(ofperr)));
	else
		snprintf(c->err, c->errlen, "record %u (%s): %s", rec->index,
			 sl_snap_type_name(rec->type), what);
	return -1;
}

/* The record's object and its OpenFlow message, decoded (free @p m). */
static int
decode_obj(struct restore_ctx *c, const struct sl_snap_rec *rec, struct sl_snap_obj *o,
	   struct sl_ofp_msg *m)
{
	struct sl_ofp_error e;

	if (sl_snap_obj_decode(rec, o, c->err, c->errlen) < 0)
		return -1;
	if (sl_ofp_decode(o->msg, o->msg_len, m, &e) < 0)
		return refused(c, rec, "OpenFlow message refused by the decoder",
			       SL_OFPERR(e.type, e.code));
	return 0;
}

static int
restore_meter(struct restore_ctx *c, const struct sl_snap_rec *rec, const struct sl_snap_obj *o,
	      const struct sl_ofp_meter_mod *om)
{
	struct sl_meter_band bands[SL_METER_MAX_BANDS];
	uint64_t counts[2 * SL_METER_MAX_BANDS];
	struct sl_meter_mod mm = { 0 };
	struct sl_meter *meter;
	uint16_t code = 0;

	if (om->command != OFPMC_ADD || om->n_bands > SL_METER_MAX_BANDS ||
	    o->n_counts != om->n_bands)
		return refused(c, rec, "not a meter ADD with a counter per band", 0);
	memset(bands, 0, sizeof(bands));
	for (uint32_t i = 0; i < om->n_bands; i++) {
		bands[i].type = om->bands[i].type;
		bands[i].prec_level = om->bands[i].prec_level;
		bands[i].rate = om->bands[i].rate;
		bands[i].burst_size = om->bands[i].burst_size;
		bands[i].experimenter = om->bands[i].experimenter;
		sl_snap_obj_count(o, i, &counts[2 * i], &counts[2 * i + 1]);
	}
	mm.command = OFPMC_ADD;
	mm.flags = om->flags;
	mm.meter_id = om->meter_id;
	mm.n_bands = om->n_bands;
	mm.bands = bands;
	if (sl_meter_mod_check(&mm, &code) != 0 ||
	    sl_meter_table_mod(c->a->flows->meters, &mm, c->now, &code) != 0)
		return refused(c, rec, "meter-mod", SL_OFPERR(OFPET_METER_MOD_FAILED, code));
	meter = sl_meter_table_lookup(c->a->flows->meters, om->meter_id);
	if (meter == NULL || sl_meter_restore(meter, o->packets, o->bytes, counts, om->n_bands,
					      before_now(c, o->age_ns)) < 0)
		return refused(c, rec, "meter counters", 0);
	c->st.meters++;
	return 0;
}

static void
buckets_free(struct sl_bucket *b, uint32_t n)
{
	for (uint32_t i = 0; b && i < n; i++)
		free(b[i].actions);
	free(b);
}

/* Append @p id to the agent's group list (group-stats and group-desc for
 * OFPG_ALL walk it); sorted once all groups are in. */
static int
group_list_add(struct agent_flows *f, uint32_t id)
{
	if (f->n_groups == f->cap_groups) {
		unsigned int cap = f->cap_groups ? f->cap_groups * 2 : 64;
		uint32_t *v = realloc(f->group_ids, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		f->group_ids = v;
		f->cap_groups = cap;
	}
	f->group_ids[f->n_groups++] = id;
	return 0;
}

static int
restore_group(struct restore_ctx *c, const struct sl_snap_rec *rec, const struct sl_snap_obj *o,
	      const struct sl_ofp_group_mod *og)
{
	struct sl_bucket *b = calloc(og->n_buckets + 1u, sizeof(*b));
	uint64_t *counts = calloc(2 * (size_t)og->n_buckets + 1, sizeof(*counts));
	struct sl_group_mod gm = { 0 };
	struct sl_restore_counts rc = { .packets = o->packets, .bytes = o->bytes };
	int err = b && counts ? 0 : SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_BUCKETS);

	if (og->command != OFPGC_ADD || og->n_buckets > UINT16_MAX || o->n_counts != og->n_buckets)
		err = -1;
	for (uint32_t i = 0; err == 0 && i < og->n_buckets; i++) {
		const struct sl_ofp_bucket *ob = &og->buckets[i];

		b[i].weight = ob->weight;
		b[i].watch_port = ob->watch_port;
		b[i].watch_group = ob->watch_group;
		b[i].n_actions = (uint16_t)ob->n_actions;
		b[i].actions = calloc(ob->n_actions + 1u, sizeof(struct sl_action));
		err = b[i].actions == NULL || ob->n_actions > UINT16_MAX
			      ? SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_BUCKETS)
			      : agent_actions_from_ofp(ob->actions, ob->n_actions, b[i].actions);
		sl_snap_obj_count(o, i, &counts[2 * i], &counts[2 * i + 1]);
	}
	if (err == 0) {
		gm.command = OFPGC_ADD;
		gm.type = og->type;
		gm.group_id = og->group_id;
		gm.n_buckets = (uint16_t)og->n_buckets;
		gm.buckets = b;
		gm.now_ns = c->now;
		err = sl_pipeline_group_mod(c->a->pl, &gm);
	}
	rc.created_ns = before_now(c, o->age_ns);
	if (err == 0 && (sl_pipeline_group_restore(c->a->pl, og->group_id, &rc, counts,
						   og->n_buckets) < 0 ||
			 group_list_add(c->a->flows, og->group_id) < 0))
		err = -1;
	buckets_free(b, og->n_buckets);
	free(counts);
	if (err)
		return refused(c, rec, err == -1 ? "not a group ADD with a counter per bucket"
						 : "group-mod", err == -1 ? 0 : err);
	c->st.groups++;
	return 0;
}

/* As a controller's flow-mod (agent_flow.c): the conversion checks the
 * match and instructions, the agent the meter, the pipeline the rest. */
static int
rule_prepare(struct restore_ctx *c, const struct sl_ofp_flow_mod *o, struct sl_flow_mod *fm,
	     struct agent_ins *ai)
{
	int rc;

	memset(ai, 0, sizeof(*ai));
	memset(fm, 0, sizeof(*fm));
	if (o->command != OFPFC_ADD || o->buffer_id != OFP_NO_BUFFER ||
	    o->table_id >= c->a->cfg.n_tables)
		return -1;
	rc = agent_match_from_ofp(&o->match, &fm->match);
	if (rc == 0)
		rc = agent_ins_from_ofp(o->instructions, o->n_instructions, o->table_id,
					c->a->cfg.n_tables, ai);
	if (rc == 0 && ai->ins.has_meter &&
	    sl_meter_table_lookup(c->a->flows->meters, ai->ins.meter_id) == NULL)
		rc = SL_OFPERR(OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER);
	if (rc)
		return rc;
	fm->command = OFPFC_ADD;
	fm->table_id = o->table_id;
	fm->priority = o->priority;
	fm->idle_timeout = o->idle_timeout;
	fm->hard_timeout = o->hard_timeout;
	/* It passed the overlap check when first added; rules added since
	 * without the check may overlap it now. */
	fm->flags = o->flags & ~OFPFF_CHECK_OVERLAP;
	fm->cookie = o->cookie;
	fm->out_port = OFPP_ANY;
	fm->out_group = OFPG_ANY;
	fm->ins = ai->ins;
	fm->now_ns = c->now;
	return 0;
}

static int
restore_rule(struct restore_ctx *c, const struct sl_snap_rec *rec, const struct sl_snap_obj *o,
	     const struct sl_ofp_flow_mod *ofm)
{
	struct sl_restore_counts rc = {
		.packets = o->packets, .bytes = o->bytes, .created_ns = before_now(c, o->age_ns),
		.used_ns = before_now(c, o->idle_ns), .flags = ofm->flags,
	};
	struct sl_flow_mod fm;
	struct agent_ins ai;
	int err = rule_prepare(c, ofm, &fm, &ai);

	if (err == 0)
		err = sl_pipeline_flow_mod(c->a->pl, &fm, NULL);
	if (err == 0 && sl_pipeline_rule_restore(c->a->pl, fm.table_id, &fm.match, fm.priority,
						 &rc) < 0)
		err = -1;
	agent_ins_free(&ai);
	if (err)
		return refused(c, rec, err == -1 ? "not a flow ADD without a buffer" : "flow-mod",
			       err == -1 ? 0 : err);
	c->st.rules++;
	return 0;
}

/* A table's config: as a table-mod left it (events armed for the same
 * reason, so a crossing that was reported is not reported again). */
static int
restore_table(struct restore_ctx *c, const struct sl_snap_rec *rec)
{
	struct sl_agent *a = c->a;
	struct sl_snap_table t;

	if (sl_snap_table_decode(rec, &t, c->err, c->errlen) < 0)
		return -1;
	if (t.table >= a->cfg.n_tables) {
		snprintf(c->err, c->errlen, "record %u: table %u, this switch has %u tables",
			 rec->index, t.table, a->cfg.n_tables);
		return -1;
	}
	if (a->t14 == NULL && (a->t14 = calloc(1, sizeof(*a->t14))) == NULL) {
		snprintf(c->err, c->errlen, "table config: out of memory");
		return -1;
	}
	a->t14->n_on += (t.events != 0) - (a->t14->armed[t.table] != 0);
	a->t14->armed[t.table] = t.events;
	a->t14->down[t.table] = t.vacancy_down;
	a->t14->up[t.table] = t.vacancy_up;
	c->st.tables++;
	return 0;
}

static int
restore_record(struct restore_ctx *c, const struct sl_snap_rec *rec)
{
	struct sl_snap_obj o;
	struct sl_snap_role role;
	struct sl_ofp_msg m;
	int rc;

	if (rec->type == SL_SNAP_ROLE) {
		if (sl_snap_role_decode(rec, &role, c->err, c->errlen) < 0)
			return -1;
		c->a->gen_valid = role.gen_valid;
		c->a->gen_id = role.gen_id;
		c->st.role++;
		return 0;
	}
	if (rec->type == SL_SNAP_TABLE)
		return restore_table(c, rec);
	if (rec->type != SL_SNAP_RULE && rec->type != SL_SNAP_GROUP && rec->type != SL_SNAP_METER)
		return 0; /* the runtime's records: the caller's */
	if (decode_obj(c, rec, &o, &m) < 0)
		return -1;
	rc = rec->type == SL_SNAP_METER   ? restore_meter(c, rec, &o, &m.u.meter_mod)
	     : rec->type == SL_SNAP_GROUP ? restore_group(c, rec, &o, &m.u.group_mod)
					  : restore_rule(c, rec, &o, &m.u.flow_mod);
	sl_ofp_msg_free(&m);
	return rc;
}

/* Back to empty tables after a failed restore. */
static void
restore_undo(struct sl_agent *a)
{
	struct sl_flow_mod fm = { .command = OFPFC_DELETE, .table_id = OFPTT_ALL,
				  .out_port = OFPP_ANY, .out_group = OFPG_ANY };
	struct sl_group_mod gm = { .command = OFPGC_DELETE, .group_id = OFPG_ALL };
	struct sl_meter_mod mm = { .command = OFPMC_DELETE, .meter_id = OFPM_ALL };
	uint16_t code;

	sl_match_init_catchall(&fm.match);
	fm.now_ns = gm.now_ns = agent_now_ns();
	sl_pipeline_flow_mod(a->pl, &fm, NULL);
	sl_pipeline_group_mod(a->pl, &gm);
	sl_meter_table_mod(a->flows->meters, &mm, fm.now_ns, &code);
	a->flows->n_groups = 0;
	a->gen_valid = false;
	a->gen_id = 0;
	free(a->t14); /* the tables' config as it was: the default */
	a->t14 = NULL;
}

static bool
tables_empty(const struct sl_agent *a)
{
	for (unsigned int t = 0; t < a->cfg.n_tables; t++)
		if (sl_pipeline_table_count(a->pl, (uint8_t)t))
			return false;
	return sl_pipeline_n_groups(a->pl) == 0 && sl_meter_table_count(a->flows->meters) == 0;
}

int
sl_agent_snapshot_restore(struct sl_agent *a, const struct sl_snap_reader *r, uint64_t stopped_ns,
			  struct sl_agent_restore_stats *st, char *err, size_t errlen)
{
	struct restore_ctx c = { .a = a, .now = agent_now_ns(), .stopped_ns = stopped_ns,
				 .err = err, .errlen = errlen };
	struct sl_snap_reader it = *r;
	struct sl_snap_rec rec;
	int rc = 0;

	if (!tables_empty(a)) {
		snprintf(err, errlen, "the tables are not empty: nothing restored");
		return -1;
	}
	while (rc == 0 && sl_snap_next(&it, &rec))
		rc = restore_record(&c, &rec);
	if (rc < 0) {
		restore_undo(a);
		return -1;
	}
	if (a->flows->n_groups) /* group_ids is NULL without groups: qsort's is nonnull */
		qsort(a->flows->group_ids, a->flows->n_groups, sizeof(uint32_t), cmp_u32);
	if (c.st.rules || c.st.groups || c.st.meters)
		a->ops->tables_changed(a->dp);
	if (st)
		*st = c.st;
	return 0;
}
