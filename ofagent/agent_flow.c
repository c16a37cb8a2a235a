/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Requests that change the tables: flow-mod, group-mod, meter-mod,
 * table-mod, plus packet-out, rule expiry and flow-removed. The pipeline
 * library applies flow and group mods (overlap checks, filters, counters);
 * the agent converts, checks what the pipeline cannot know (buffer ids,
 * meters), tells the runtime the tables changed, and reports.
 */
#include <stdlib.h>
#include <string.h>

#include "agent_convert.h"
#include "agent_flow.h"
#include "agent_monitor.h"
#include "agent_table14.h"
#include "sl_ofp_forward.h"

#define EXPIRE_PERIOD_NS 100000000ull /* timeouts are in seconds: 100 ms is plenty */

int
agent_flows_init(struct sl_agent *a)
{
	struct agent_flows *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	a->flows = f;
	f->meters = a->cfg.meters;
	if (f->meters == NULL) {
		f->meters = sl_meter_table_create(AGENT_MAX_METERS, NULL, NULL);
		f->own_meters = true;
		if (f->meters == NULL)
			return -1;
	}
	return 0;
}

void
agent_flows_fini(struct sl_agent *a)
{
	struct agent_flows *f = a->flows;

	if (f == NULL)
		return;
	if (f->own_meters)
		sl_meter_table_destroy(f->meters);
	free(f->group_ids);
	free(f);
	a->flows = NULL;
}

static void
tables_changed(struct sl_agent *a)
{
	a->ops->tables_changed(a->dp);
	agent_table14_check(a); /* vacancy events: the rule counts moved */
}

/* ---- flow-removed and expiry ---- */

/* Does the bundle being committed delete the meter @p rule uses? Its
 * removals are reported at the commit, after agent_meter_rules_delete(). */
static bool
meter_deleted_by_commit(const struct agent_flows *f, const struct sl_rule *rule)
{
	for (uint32_t i = 0; i < f->n_commit_meter_deletes && rule->ins->has_meter; i++)
		if (f->commit_meter_deletes[i] == OFPM_ALL ||
		    f->commit_meter_deletes[i] == rule->ins->meter_id)
			return true;
	return false;
}

void
sl_agent_rule_removed(void *agent_slot, const struct sl_rule *rule, uint8_t reason)
{
	struct sl_agent *a = agent_slot ? *(struct sl_agent **)agent_slot : NULL;
	uint64_t now, age;
	struct sl_ofp_msg m;

	if (a == NULL)
		return;
	if (reason == OFPRR_DELETE && a->flows != NULL &&
	    (a->flows->meter_deleting || meter_deleted_by_commit(a->flows, rule)))
		reason = OFPRR_METER_DELETE; /* 1.3 sessions get DELETE (agent_async.c) */
	agent_monitor_removed(a, rule, reason);
	if (!(rule->flags & OFPFF_SEND_FLOW_REM))
		return;
	now = agent_now_ns();
	age = now > rule->created_ns ? now - rule->created_ns : 0;
	sl_ofp_msg_init(&m, OFPT_FLOW_REMOVED, 0);
	m.u.flow_removed.cookie = rule->cookie;
	m.u.flow_removed.priority = (uint16_t)rule->cr.priority;
	m.u.flow_removed.reason = reason;
	m.u.flow_removed.table_id = rule->table_id;
	m.u.flow_removed.duration_sec = (uint32_t)(age / 1000000000u);
	m.u.flow_removed.duration_nsec = (uint32_t)(age % 1000000000u);
	m.u.flow_removed.idle_timeout = rule->idle_timeout;
	m.u.flow_removed.hard_timeout = rule->hard_timeout;
	m.u.flow_removed.packet_count = agent_rule_packets(rule);
	m.u.flow_removed.byte_count = agent_rule_bytes(rule);
	if (agent_match_to_ofp(&rule->cr.match, &m, &m.u.flow_removed.match) == 0)
		agent_send_async(a, &m, reason);
	sl_ofp_msg_free(&m);
}

uint64_t
agent_rule_packets(const struct sl_rule *r)
{
	if (r->flags & OFPFF_NO_PKT_COUNTS)
		return UINT64_MAX; /* "not available" (OF1.3 7.2.4.1) */
	struct sl_rule_counts c;
	sl_rule_get_counts(r, &c);
	return c.packets;
}

uint64_t
agent_rule_bytes(const struct sl_rule *r)
{
	if (r->flags & OFPFF_NO_BYT_COUNTS)
		return UINT64_MAX;
	struct sl_rule_counts c;
	sl_rule_get_counts(r, &c);
	return c.bytes;
}

void
agent_flows_expire(struct sl_agent *a)
{
	struct agent_flows *f = a->flows;
	uint64_t now = agent_now_ns();
	unsigned int n;

	sl_pipeline_reclaim(a->pl);
	if (now < f->next_expire_ns)
		return;
	f->next_expire_ns = now + EXPIRE_PERIOD_NS;
	n = sl_pipeline_expire(a->pl, now);
	if (n) {
		a->st.rules_expired += n;
		tables_changed(a);
	}
}

/* ---- flow-mod ---- */

/* @p exists false: whether the meter exists is the caller's to check (a
 * bundle, whose own meter-mods may add or delete it first). */
static int
check_meter(struct sl_agent *a, const struct sl_instructions *ins, bool exists)
{
	/* The virtual meters police the switch's own traffic (packet-ins), not
	 * a flow's packets: a meter instruction naming one is INVALID_METER,
	 * as in OVS. */
	if (ins->has_meter && ins->meter_id > OFPM_MAX)
		return SL_OFPERR(OFPET_METER_MOD_FAILED, OFPMMFC_INVALID_METER);
	if (exists && ins->has_meter &&
	    sl_meter_table_lookup(a->flows->meters, ins->meter_id) == NULL)
		return SL_OFPERR(OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER);
	return 0;
}

static int
flow_mod_prepare(struct sl_agent *a, const struct sl_ofp_flow_mod *o, struct sl_flow_mod *fm,
		 struct agent_ins *ai, bool meter_exists)
{
	bool is_delete = o->command == OFPFC_DELETE || o->command == OFPFC_DELETE_STRICT;
	int rc;

	memset(ai, 0, sizeof(*ai));
	if (o->command > OFPFC_DELETE_STRICT)
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND);
	/* No packet buffering (n_buffers = 0), as OVS. */
	if (!is_delete && o->buffer_id != OFP_NO_BUFFER)
		return SL_OFPERR(OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN);
	if (o->table_id == OFPTT_ALL ? !is_delete : o->table_id >= a->cfg.n_tables)
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_TABLE_ID);
	if (o->flags & ~(OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP | OFPFF_RESET_COUNTS |
			 OFPFF_NO_PKT_COUNTS | OFPFF_NO_BYT_COUNTS))
		return SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_FLAGS);
	memset(fm, 0, sizeof(*fm));
	rc = agent_match_from_ofp(&o->match, &fm->match);
	if (rc)
		return rc;
	if (!is_delete) {
		rc = agent_ins_from_ofp(o->instructions, o->n_instructions, o->table_id,
					a->cfg.n_tables, ai);
		if (rc == 0)
			rc = check_meter(a, &ai->ins, meter_exists);
		if (rc)
			return rc;
	}
	fm->command = o->command;
	fm->table_id = o->table_id;
	fm->priority = o->priority;
	fm->idle_timeout = o->idle_timeout;
	fm->hard_timeout = o->hard_timeout;
	fm->flags = o->flags;
	fm->cookie = o->cookie;
	fm->cookie_mask = o->cookie_mask;
	fm->out_port = o->out_port;
	fm->out_group = o->out_group;
	fm->ins = ai->ins;
	fm->now_ns = agent_now_ns();
	return 0;
}

void
agent_handle_flow_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
		      const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;
	struct sl_flow_mod fm;
	struct agent_ins ai;
	unsigned int changed = 0;
	bool replaced = false;
	int rc;

	rc = flow_mod_prepare(a, &m->u.flow_mod, &fm, &ai, true);
	if (rc == 0) {
		replaced = agent_monitor_add_replaces(a, &fm);
		agent_monitor_origin(a, ac, m->xid); /* its deletions are its own */
		rc = sl_pipeline_flow_mod(a->pl, &fm, &changed);
		if (rc == 0)
			agent_monitor_flow_mod(a, &fm, replaced);
		agent_monitor_origin(a, NULL, 0);
	}
	agent_ins_free(&ai);
	if (rc != 0) {
		agent_send_error(ac, raw, len, (uint16_t)SL_OFPERR_TYPE(rc),
				 (uint16_t)SL_OFPERR_CODE(rc));
		return;
	}
	a->st.flow_mods++;
	if (changed)
		tables_changed(a);
}

/* ---- table-mod ---- */

void
agent_handle_table_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
		       const uint8_t *raw, size_t len)
{
	const struct sl_ofp_table_mod *tm = &m->u.table_mod;

	/* OF1.3 table config has only the deprecated OF1.1 miss bits, which
	 * table-miss rules replaced: accept them as no-ops. OF1.4 adds vacancy
	 * events (agent_table14.c); eviction is never done. */
	uint32_t ok = OFPTC_DEPRECATED_MASK | (ac->version >= OFP14_VERSION ? OFPTC_VACANCY_EVENTS : 0);

	if (tm->table_id != OFPTT_ALL && tm->table_id >= ac->a->cfg.n_tables)
		agent_send_error(ac, raw, len, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_TABLE);
	else if (tm->config & ~ok)
		agent_send_error(ac, raw, len, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG);
	else if (ac->version >= OFP14_VERSION)
		agent_table14_mod(ac, tm, raw, len);
}

/* ---- packet-out ---- */

void
agent_handle_packet_out(struct agent_conn *ac, const struct sl_ofp_msg *m,
			const uint8_t *raw, size_t len)
{
	const struct sl_ofp_packet_out *po = &m->u.packet_out;
	struct sl_agent *a = ac->a;
	struct sl_agent_actions list;
	struct sl_action *acts;
	struct sl_match catchall;
	int rc;

	if (po->buffer_id != OFP_NO_BUFFER) {
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN);
		return;
	}
	if (po->in_port != OFPP_CONTROLLER && po->in_port != OFPP_LOCAL &&
	    po->in_port != OFPP_ANY && a->ops->port_by_ofport(a->dp, po->in_port) < 0) {
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT);
		return;
	}
	acts = calloc(po->n_actions ? po->n_actions : 1, sizeof(*acts));
	if (acts == NULL)
		return;
	sl_match_init_catchall(&catchall);
	rc = agent_actions_from_ofp(po->actions, po->n_actions, acts);
	if (rc == 0)
		rc = sl_actions_validate(acts, po->n_actions, &catchall, true);
	for (uint32_t i = 0; rc == 0 && i < po->n_actions; i++)
		if (acts[i].type == OFPAT_GROUP && !sl_pipeline_group(a->pl, acts[i].group_id))
			rc = SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_OUT_GROUP);
	if (rc == 0) {
		uint16_t type = 0, code = 0;

		list.actions = acts;
		list.n_actions = po->n_actions;
		if (a->ops->packet_out(a->dp, po->in_port, &list, po->data, po->data_len,
				       &type, &code) != 0)
			rc = SL_OFPERR(type, code) ? SL_OFPERR(type, code)
			     : SL_OFPERR(OFPET_BAD_REQUEST, OFPBRC_EPERM);
	}
	free(acts);
	if (rc != 0) {
		agent_send_error(ac, raw, len, (uint16_t)SL_OFPERR_TYPE(rc),
				 (uint16_t)SL_OFPERR_CODE(rc));
		return;
	}
	a->st.packet_outs++;
}

/* ---- groups ---- */

static int
group_id_pos(const struct agent_flows *f, uint32_t id, bool *found)
{
	unsigned int lo = 0, hi = f->n_groups;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (f->group_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < f->n_groups && f->group_ids[lo] == id;
	return (int)lo;
}

/* Keep the sorted list of group ids in step with the pipeline (which has
 * no iterator): what group stats/desc for OFPG_ALL walk. */
void
agent_group_ids_sync(struct sl_agent *a, uint32_t id)
{
	struct agent_flows *f = a->flows;
	bool found;
	int pos;

	if (id == OFPG_ALL) {
		unsigned int k = 0;

		for (unsigned int i = 0; i < f->n_groups; i++)
			if (sl_pipeline_group(a->pl, f->group_ids[i]))
				f->group_ids[k++] = f->group_ids[i];
		f->n_groups = k;
		return;
	}
	pos = group_id_pos(f, id, &found);
	if (sl_pipeline_group(a->pl, id) == NULL) {
		if (found) {
			memmove(&f->group_ids[pos], &f->group_ids[pos + 1],
				(f->n_groups - (unsigned int)pos - 1) * sizeof(uint32_t));
			f->n_groups--;
		}
		return;
	}
	if (found)
		return;
	if (f->n_groups == f->cap_groups) {
		unsigned int cap = f->cap_groups ? f->cap_groups * 2 : 64;
		uint32_t *v = realloc(f->group_ids, cap * sizeof(*v));

		if (v == NULL)
			return;
		f->group_ids = v;
		f->cap_groups = cap;
	}
	memmove(&f->group_ids[pos + 1], &f->group_ids[pos],
		(f->n_groups - (unsigned int)pos) * sizeof(uint32_t));
	f->group_ids[pos] = id;
	f->n_groups++;
}

void
agent_buckets_free(struct sl_bucket *b, uint32_t n)
{
	for (uint32_t i = 0; b && i < n; i++)
		free(b[i].actions);
	free(b);
}

static int
buckets_from_ofp(const struct sl_ofp_group_mod *g, struct sl_bucket **out)
{
	struct sl_bucket *b = calloc(g->n_buckets ? g->n_buckets : 1, sizeof(*b));
	int rc = 0;

	*out = b;
	if (b == NULL)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_BUCKETS);
	if (g->n_buckets > UINT16_MAX)
		return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_BUCKETS);
	for (uint32_t i = 0; i < g->n_buckets && rc == 0; i++) {
		const struct sl_ofp_bucket *ob = &g->buckets[i];

		b[i].weight = ob->weight;
		b[i].watch_port = ob->watch_port;
		b[i].watch_group = ob->watch_group;
		b[i].n_actions = (uint16_t)ob->n_actions;
		b[i].actions = calloc(ob->n_actions ? ob->n_actions : 1, sizeof(struct sl_action));
		if (b[i].actions == NULL || ob->n_actions > UINT16_MAX)
			return SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_BUCKETS);
		rc = agent_actions_from_ofp(ob->actions, ob->n_actions, b[i].actions);
	}
	return rc;
}

int
agent_group_mod_prepare(const struct sl_ofp_group_mod *g, struct sl_group_mod *gm,
			struct sl_bucket **b)
{
	int rc = buckets_from_ofp(g, b);

	memset(gm, 0, sizeof(*gm));
	if (rc == 0) {
		gm->command = g->command;
		gm->type = g->type;
		gm->group_id = g->group_id;
		gm->n_buckets = (uint16_t)g->n_buckets;
		gm->buckets = *b;
		gm->now_ns = agent_now_ns();
	}
	return rc;
}

void
agent_handle_group_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
		       const uint8_t *raw, size_t len)
{
	const struct sl_ofp_group_mod *g = &m->u.group_mod;
	struct sl_agent *a = ac->a;
	struct sl_group_mod gm;
	struct sl_bucket *b = NULL;
	int rc;

	rc = agent_group_mod_prepare(g, &gm, &b);
	if (rc == 0)
		rc = sl_pipeline_group_mod(a->pl, &gm);
	agent_buckets_free(b, g->n_buckets);
	if (rc != 0) {
		agent_send_error(ac, raw, len, (uint16_t)SL_OFPERR_TYPE(rc),
				 (uint16_t)SL_OFPERR_CODE(rc));
		return;
	}
	agent_group_ids_sync(a, g->group_id);
	a->st.group_mods++;
	tables_changed(a);
	agent_request_forward(ac, raw, len, SL_OFPRFR_GROUP_MOD);
}

/* ---- meters ---- */

/* Delete every rule whose instructions use @p meter_id (all meters for
 * OFPM_ALL): a rule must not outlive its meter (OVS does the same). */
static void
delete_meter_rules(struct sl_agent *a, uint32_t meter_id)
{
	for (unsigned int t = 0; t < a->cfg.n_tables; t++) {
		const struct sl_classifier *cls = sl_pipeline_table_cls(a->pl, (uint8_t)t);
		struct sl_cls_rule *cr = cls ? sl_cls_first(cls) : NULL;

		while (cr) {
			struct sl_rule *r = (struct sl_rule *)cr;
			struct sl_flow_mod fm;

			cr = cr->all_next;
			if (!r->ins->has_meter ||
			    (meter_id != OFPM_ALL && r->ins->meter_id != meter_id))
				continue;
			memset(&fm, 0, sizeof(fm));
			fm.command = OFPFC_DELETE_STRICT;
			fm.table_id = (uint8_t)t;
			fm.priority = (uint16_t)r->cr.priority;
			fm.match = r->cr.match;
			fm.out_port = OFPP_ANY;
			fm.out_group = OFPG_ANY;
			fm.now_ns = agent_now_ns();
			/* cr already points past r; deleting r is safe. */
			sl_pipeline_flow_mod(a->pl, &fm, NULL);
		}
	}
}

/* The virtual meters (spec 1.3.5 A.3.4.4). OFPM_CONTROLLER polices
 * packet-ins (agent_async.c), where only dropping means anything: a DSCP
 * remark band would be accepted and ignored, so it is BAD_BAND. Sluice has
 * no separate slow datapath to police (misses are translated on the
 * worker or the miss handler and executed like any packet), so
 * OFPM_SLOWPATH is INVALID_METER rather than a meter that never meters.
 * Returns the OFPMMFC_* code, or 0. */
static uint16_t
virtual_meter_check(const struct sl_meter_mod *mm)
{
	if (mm->command != OFPMC_ADD && mm->command != OFPMC_MODIFY)
		return 0;
	if (mm->meter_id == OFPM_SLOWPATH)
		return OFPMMFC_INVALID_METER;
	if (mm->meter_id != OFPM_CONTROLLER)
		return 0;
	for (uint32_t i = 0; i < mm->n_bands; i++)
		if (mm->bands[i].type == OFPMBT_DSCP_REMARK)
			return OFPMMFC_BAD_BAND;
	return 0;
}

uint16_t
agent_meter_mod_prepare(const struct sl_ofp_meter_mod *o, struct sl_meter_mod *mm,
			struct sl_meter_band *bands)
{
	uint16_t code = 0;

	memset(mm, 0, sizeof(*mm));
	if (o->n_bands > SL_METER_MAX_BANDS)
		return OFPMMFC_OUT_OF_BANDS;
	memset(bands, 0, SL_METER_MAX_BANDS * sizeof(*bands));
	for (uint32_t i = 0; i < o->n_bands; i++) {
		bands[i].type = o->bands[i].type;
		bands[i].prec_level = o->bands[i].prec_level;
		bands[i].rate = o->bands[i].rate;
		bands[i].burst_size = o->bands[i].burst_size;
		bands[i].experimenter = o->bands[i].experimenter;
	}
	mm->command = o->command;
	mm->flags = o->flags;
	mm->meter_id = o->meter_id;
	mm->n_bands = (uint16_t)o->n_bands;
	mm->bands = bands;
	if ((code = virtual_meter_check(mm)) != 0 || sl_meter_mod_check(mm, &code) != 0)
		return code;
	return 0;
}

void
agent_meter_rules_delete(struct sl_agent *a, uint32_t meter_id)
{
	a->flows->meter_deleting = true;
	delete_meter_rules(a, meter_id);
	a->flows->meter_deleting = false;
}

void
agent_handle_meter_mod(struct agent_conn *ac, const struct sl_ofp_msg *m,
		       const uint8_t *raw, size_t len)
{
	const struct sl_ofp_meter_mod *o = &m->u.meter_mod;
	struct sl_agent *a = ac->a;
	struct sl_meter_band bands[SL_METER_MAX_BANDS];
	struct sl_meter_mod mm;
	uint16_t code = agent_meter_mod_prepare(o, &mm, bands);

	if (code != 0 || sl_meter_table_mod(a->flows->meters, &mm, agent_now_ns(), &code) != 0) {
		agent_send_error(ac, raw, len, OFPET_METER_MOD_FAILED, code);
		return;
	}
	if (o->command == OFPMC_DELETE) {
		agent_monitor_origin(a, ac, m->xid);
		agent_meter_rules_delete(a, o->meter_id);
		agent_monitor_origin(a, NULL, 0);
	}
	a->st.meter_mods++;
	tables_changed(a);
	agent_request_forward(ac, raw, len, SL_OFPRFR_METER_MOD);
}

/* ---- for bundles (agent_bundle.c) ---- */

int
agent_flow_mod_prepare(struct sl_agent *a, const struct sl_ofp_flow_mod *o, struct sl_flow_mod *fm,
		       struct agent_ins *ai, bool meter_exists)
{
	return flow_mod_prepare(a, o, fm, ai, meter_exists);
}
