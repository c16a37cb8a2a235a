/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow monitoring (agent_monitor.h; OF1.4.1 7.3.5.18-19).
 *
 * Updates are unsolicited OFPMP_FLOW_MONITOR replies (xid 0), one update
 * per message, queued as optional messages: when a session's send queue is
 * over half full (sl_ofconn_send() refuses optional messages) the session
 * is PAUSED: it gets an OFPFME_PAUSED update, and the changes that follow
 * are remembered (table, priority, match and what a removal said) instead
 * of sent. Once its queue is empty, every remembered rule is reported as it
 * is then (ADDED / MODIFIED with its current state, REMOVED with what it
 * had), then OFPFME_RESUMED, so the controller's view is whole again. A
 * session that keeps more than AGENT_MONITOR_PAUSE_MAX changes pending is
 * closed rather than left with a view the switch cannot repair.
 *
 * OpenFlow 1.3 sessions speak the ONF extension (sl_ofp_monitor.h): the
 * same monitors, flags below ONLY_OWN, updates in its layout, PAUSED /
 * RESUMED as ONF messages, ONFT_FLOW_MONITOR_CANCEL to remove a monitor,
 * and the errors Open vSwitch sends there (Nicira experimenter errors for
 * the monitor's own refusals, OFPBRC_* for the rest).
 */
#include <stdlib.h>
#include <string.h>

#include "agent_convert.h"
#include "agent_monitor.h"
#include "sl_classifier.h"
#include "sl_ofp_monitor.h"

/* One monitor of a session (its request, the match converted). */
struct agent_monitor {
	uint32_t id;
	uint16_t flags;
	uint8_t table_id;
	uint32_t out_port, out_group;
	struct sl_match match;
};

/* A change remembered while the session is paused. */
struct pause_rec {
	uint16_t event;          /* SL_OFPFME_ADDED / MODIFIED / REMOVED */
	uint8_t table_id, reason;
	uint16_t priority, idle_timeout, hard_timeout;
	bool instructions;       /* some monitor wanted them */
	uint64_t cookie;
	struct sl_match match;
};

/* A session's monitors. */
struct agent_monitors {
	struct agent_monitor *v;
	unsigned int n, cap;
	uint64_t abbrev_seq;     /* request (mon_seq) of the last ABBREV sent */
	bool paused;
	struct pause_rec *pend;
	unsigned int n_pend, cap_pend;
};

/* The agent's side: who is monitoring, whose change is being applied. */
struct agent_monitor_state {
	unsigned int n_monitoring; /* sessions with at least one monitor */
	unsigned int n_paused;
	struct agent_conn *origin;
	uint32_t xid;
	uint64_t seq;              /* one per request applied */
};

static struct agent_monitor_state *
state(struct sl_agent *a)
{
	if (a->mon == NULL)
		a->mon = calloc(1, sizeof(*a->mon));
	return a->mon;
}

bool
agent_monitor_active(const struct sl_agent *a)
{
	return a->mon != NULL && a->mon->n_monitoring > 0;
}

void
agent_monitor_origin(struct sl_agent *a, struct agent_conn *origin, uint32_t xid)
{
	struct agent_monitor_state *s = a->mon;

	if (s == NULL)
		return;
	s->origin = origin;
	s->xid = xid;
	s->seq++;
}

/* ---- which monitors see a rule ---- */

static bool
selects(const struct agent_monitor *mo, uint8_t table_id, const struct sl_match *match,
	const struct sl_instructions *ins)
{
	if (mo->table_id != OFPTT_ALL && mo->table_id != table_id)
		return false;
	if (mo->out_port != OFPP_ANY && (ins == NULL || !agent_ins_outputs_to(ins, mo->out_port)))
		return false;
	if (mo->out_group != OFPG_ANY && (ins == NULL || !agent_ins_uses_group(ins, mo->out_group)))
		return false;
	return sl_match_is_subset(match, &mo->match);
}

static uint16_t
event_flag(uint16_t event)
{
	switch (event) {
	case SL_OFPFME_INITIAL: return SL_OFPFMF_INITIAL;
	case SL_OFPFME_ADDED: return SL_OFPFMF_ADD;
	case SL_OFPFME_REMOVED: return SL_OFPFMF_REMOVED;
	default: return SL_OFPFMF_MODIFY;
	}
}

/* What a session wants of a change: nothing, the update in full (with or
 * without instructions) or abbreviated (its own change). */
enum want { WANT_NONE, WANT_FULL, WANT_FULL_INS, WANT_ABBREV };

static enum want
session_wants(const struct agent_monitors *ms, bool own, uint16_t event, const struct sl_rule *r)
{
	uint16_t flag = event_flag(event);
	bool any = false, ins = false, no_abbrev = false;

	for (unsigned int i = 0; i < ms->n; i++) {
		const struct agent_monitor *mo = &ms->v[i];

		if (!(mo->flags & flag) || ((mo->flags & SL_OFPFMF_ONLY_OWN) && !own) ||
		    !selects(mo, r->table_id, &r->cr.match, r->ins))
			continue;
		any = true;
		ins |= (mo->flags & SL_OFPFMF_INSTRUCTIONS) != 0;
		no_abbrev |= (mo->flags & SL_OFPFMF_NO_ABBREV) != 0;
	}
	if (!any)
		return WANT_NONE;
	if (own && !no_abbrev)
		return WANT_ABBREV;
	return ins ? WANT_FULL_INS : WANT_FULL;
}

/* ---- building and sending updates ---- */

/* A full update of @p r in @p owner's arena; -1 on no memory. */
static int
rule_update(const struct sl_rule *r, uint16_t event, uint8_t reason, bool with_ins,
	    struct sl_ofp_msg *owner, struct sl_ofp_flow_update *u)
{
	memset(u, 0, sizeof(*u));
	u->event = event;
	u->table_id = r->table_id;
	u->reason = event == SL_OFPFME_REMOVED ? reason : 0;
	u->idle_timeout = r->idle_timeout;
	u->hard_timeout = r->hard_timeout;
	u->priority = (uint16_t)r->cr.priority;
	u->cookie = r->cookie;
	if (agent_match_to_ofp(&r->cr.match, owner, &u->match) != 0)
		return -1;
	if (with_ins && agent_ins_to_ofp(r->ins, owner, &u->instructions, &u->n_instructions) != 0)
		return -1;
	return 0;
}

/* Queue one update as its own message. @p optional: may be refused (queue
 * over half full). 0 or -1. */
static uint8_t
framing_of(const struct agent_conn *ac)
{
	return ac->version == OFP13_VERSION ? SL_OFP_MONITOR_ONF : SL_OFP_MONITOR_NATIVE;
}

static int
send_update(struct agent_conn *ac, const struct sl_ofp_flow_update *u, bool optional)
{
	struct sl_ofp_flow_monitor_msg m = { .version = ac->version,
					     .type = OFPT_MULTIPART_REPLY,
					     .framing = framing_of(ac),
					     .updates = (struct sl_ofp_flow_update *)u,
					     .n_updates = 1 };
	struct sl_agent *a = ac->a;
	struct sl_ofp_flow_update one;

	if (m.framing == SL_OFP_MONITOR_ONF && u->event == SL_OFPFME_REMOVED &&
	    u->reason == OFPRR_METER_DELETE) {
		one = *u; /* no such reason in OpenFlow 1.3 */
		one.reason = OFPRR_DELETE;
		m.updates = &one;
	}
	a->tx.len = 0;
	if (sl_ofp_flow_monitor_encode(&m, &a->tx) < 1)
		return -1;
	if (sl_ofconn_send(ac->c, a->tx.data, a->tx.len, optional) != 0)
		return -1;
	a->st.monitor_updates++;
	return 0;
}

/* PAUSED / RESUMED: an update of its own in 1.4+, an ONF message in 1.3. */
static void
send_marker(struct agent_conn *ac, uint16_t event)
{
	struct sl_ofp_flow_update u = { .event = event };
	struct sl_agent *a = ac->a;

	if (framing_of(ac) == SL_OFP_MONITOR_NATIVE) {
		send_update(ac, &u, false);
		return;
	}
	a->tx.len = 0;
	if (sl_ofp_onf_monitor_marker(event == SL_OFPFME_PAUSED ? SL_ONFT_FLOW_MONITOR_PAUSED
								: SL_ONFT_FLOW_MONITOR_RESUMED,
				      &a->tx) == 0)
		sl_ofconn_send(ac->c, a->tx.data, a->tx.len, false);
}

/* Remember a change for a paused session; false if it has too many. */
static bool
pause_record(struct agent_monitors *ms, const struct sl_rule *r, uint16_t event, uint8_t reason,
	     bool with_ins)
{
	struct pause_rec *p;

	if (ms->n_pend == ms->cap_pend) {
		unsigned int cap = ms->cap_pend ? ms->cap_pend * 2 : 64;

		if (cap > AGENT_MONITOR_PAUSE_MAX)
			return false;
		p = realloc(ms->pend, cap * sizeof(*p));
		if (p == NULL)
			return false;
		ms->pend = p;
		ms->cap_pend = cap;
	}
	p = &ms->pend[ms->n_pend++];
	p->event = event == SL_OFPFME_INITIAL ? SL_OFPFME_ADDED : event;
	p->table_id = r->table_id;
	p->reason = reason;
	p->priority = (uint16_t)r->cr.priority;
	p->idle_timeout = r->idle_timeout;
	p->hard_timeout = r->hard_timeout;
	p->instructions = with_ins;
	p->cookie = r->cookie;
	p->match = r->cr.match;
	return true;
}

static void
pause_session(struct agent_conn *ac, struct agent_monitors *ms)
{
	ms->paused = true;
	ac->a->mon->n_paused++;
	ac->a->st.monitor_pauses++;
	send_marker(ac, SL_OFPFME_PAUSED);
}

struct change {
	struct sl_agent *a;
	const struct sl_rule *r;
	uint16_t event;
	uint8_t reason;
};

/* Report one change to one session (sl_ofconn_mgr_foreach callback). */
static void
report_session(struct sl_ofconn *c, void *arg)
{
	const struct change *x = arg;
	struct agent_conn *ac = sl_ofconn_get_priv(c);
	struct agent_monitors *ms = ac ? ac->monitors : NULL;
	struct sl_ofp_flow_update u;
	struct sl_ofp_msg owner;
	enum want w;

	if (ms == NULL || ms->n == 0)
		return;
	w = session_wants(ms, x->a->mon->origin == ac, x->event, x->r);
	if (w == WANT_NONE)
		return;
	if (ms->paused) {
		if (!pause_record(ms, x->r, x->event, x->reason, w == WANT_FULL_INS))
			sl_ofconn_close(c, false, "flow monitor: too many changes while paused");
		return;
	}
	if (w == WANT_ABBREV) {
		/* One abbreviation per request, however many rules it changed. */
		if (ms->abbrev_seq == x->a->mon->seq)
			return;
		ms->abbrev_seq = x->a->mon->seq;
		memset(&u, 0, sizeof(u));
		u.event = SL_OFPFME_ABBREV;
		u.xid = x->a->mon->xid;
		if (send_update(ac, &u, true) != 0)
			pause_session(ac, ms); /* the request's own reply tells it */
		return;
	}
	sl_ofp_msg_init(&owner, OFPT_MULTIPART_REPLY, 0);
	if (rule_update(x->r, x->event, x->reason, w == WANT_FULL_INS, &owner, &u) == 0 &&
	    send_update(ac, &u, true) != 0) {
		pause_session(ac, ms);
		if (!pause_record(ms, x->r, x->event, x->reason, w == WANT_FULL_INS))
			sl_ofconn_close(c, false, "flow monitor: too many changes while paused");
	}
	sl_ofp_msg_free(&owner);
}

static void
report(struct sl_agent *a, const struct sl_rule *r, uint16_t event, uint8_t reason)
{
	struct change x = { .a = a, .r = r, .event = event, .reason = reason };

	sl_ofconn_mgr_foreach(a->mgr, report_session, &x);
}

void
agent_monitor_removed(struct sl_agent *a, const struct sl_rule *r, uint8_t reason)
{
	if (agent_monitor_active(a))
		report(a, r, SL_OFPFME_REMOVED, reason);
}

bool
agent_monitor_add_replaces(struct sl_agent *a, const struct sl_flow_mod *fm)
{
	const struct sl_classifier *cls;

	if (!agent_monitor_active(a) || fm->command != OFPFC_ADD)
		return false;
	cls = sl_pipeline_table_cls(a->pl, fm->table_id);
	return cls != NULL && sl_cls_find_exact(cls, &fm->match, fm->priority) != NULL;
}

/* The pipeline's selection of a MODIFY (lib/pipeline/flow_mod.c). */
static bool
modify_selects(const struct sl_rule *r, const struct sl_flow_mod *fm)
{
	if ((r->cookie & fm->cookie_mask) != (fm->cookie & fm->cookie_mask))
		return false;
	if (fm->command == OFPFC_MODIFY_STRICT)
		return r->cr.priority == fm->priority &&
		       memcmp(&r->cr.match.mask, &fm->match.mask, sizeof(fm->match.mask)) == 0 &&
		       sl_flow_key_equal_masked(&r->cr.match.key, &fm->match.key, &fm->match.mask);
	return sl_match_is_subset(&r->cr.match, &fm->match);
}

void
agent_monitor_flow_mod(struct sl_agent *a, const struct sl_flow_mod *fm, bool replaced)
{
	const struct sl_classifier *cls;
	struct sl_cls_rule *cr;

	if (!agent_monitor_active(a) || fm->table_id >= a->cfg.n_tables)
		return;
	cls = sl_pipeline_table_cls(a->pl, fm->table_id);
	if (cls == NULL)
		return;
	if (fm->command == OFPFC_ADD) {
		cr = sl_cls_find_exact(cls, &fm->match, fm->priority);
		if (cr != NULL)
			report(a, (const struct sl_rule *)cr,
			       replaced ? SL_OFPFME_MODIFIED : SL_OFPFME_ADDED, 0);
		return;
	}
	if (fm->command != OFPFC_MODIFY && fm->command != OFPFC_MODIFY_STRICT)
		return;
	for (cr = sl_cls_first(cls); cr != NULL; cr = cr->all_next)
		if (modify_selects((const struct sl_rule *)cr, fm))
			report(a, (const struct sl_rule *)cr, SL_OFPFME_MODIFIED, 0);
}

/* ---- resuming ---- */

/* Report a remembered change as the rule is now, then forget it. */
static void
replay(struct agent_conn *ac, const struct pause_rec *p)
{
	struct sl_agent *a = ac->a;
	const struct sl_classifier *cls = sl_pipeline_table_cls(a->pl, p->table_id);
	struct sl_cls_rule *cr = cls ? sl_cls_find_exact(cls, &p->match, p->priority) : NULL;
	struct sl_ofp_flow_update u;
	struct sl_ofp_msg owner;

	sl_ofp_msg_init(&owner, OFPT_MULTIPART_REPLY, 0);
	if (cr != NULL) {
		/* There now: its current state (a removal since was re-added). */
		uint16_t ev = p->event == SL_OFPFME_REMOVED ? SL_OFPFME_ADDED : p->event;

		if (rule_update((const struct sl_rule *)cr, ev, 0, p->instructions, &owner, &u) == 0)
			send_update(ac, &u, false);
	} else if (p->event == SL_OFPFME_REMOVED) {
		memset(&u, 0, sizeof(u));
		u.event = SL_OFPFME_REMOVED;
		u.table_id = p->table_id;
		u.reason = p->reason;
		u.idle_timeout = p->idle_timeout;
		u.hard_timeout = p->hard_timeout;
		u.priority = p->priority;
		u.cookie = p->cookie;
		if (agent_match_to_ofp(&p->match, &owner, &u.match) == 0)
			send_update(ac, &u, false);
	} /* added or modified, then removed: its removal is in the list too */
	sl_ofp_msg_free(&owner);
}

static void
resume_session(struct sl_ofconn *c, void *arg)
{
	struct agent_conn *ac = sl_ofconn_get_priv(c);
	struct agent_monitors *ms = ac ? ac->monitors : NULL;

	(void)arg;
	if (ms == NULL || !ms->paused || sl_ofconn_tx_queued(c) != 0)
		return;
	for (unsigned int i = 0; i < ms->n_pend; i++)
		replay(ac, &ms->pend[i]);
	ms->n_pend = 0;
	ms->paused = false;
	ac->a->mon->n_paused--;
	send_marker(ac, SL_OFPFME_RESUMED);
}

void
agent_monitor_run(struct sl_agent *a)
{
	if (a->mon != NULL && a->mon->n_paused > 0)
		sl_ofconn_mgr_foreach(a->mgr, resume_session, NULL);
}

/* ---- requests ---- */

static struct agent_monitor *
monitor_find(struct agent_monitors *ms, uint32_t id)
{
	for (unsigned int i = 0; ms != NULL && i < ms->n; i++)
		if (ms->v[i].id == id)
			return &ms->v[i];
	return NULL;
}

/* Check one request entry and convert its match. 0 or SL_OFPERR. */
static int
request_check(struct agent_conn *ac, const struct sl_ofp_flow_monitor_request *q,
	      struct agent_monitor *out)
{
	struct agent_monitors *ms = ac->monitors;

	if (q->command > SL_OFPFMC_DELETE)
		return SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_COMMAND);
	if (q->flags & ~(framing_of(ac) == SL_OFP_MONITOR_ONF ? SL_ONF_FMF_ALL : SL_OFPFMF_ALL))
		return SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_FLAGS);
	if (q->table_id != OFPTT_ALL && q->table_id >= ac->a->cfg.n_tables)
		return SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_TABLE_ID);
	if (q->out_port > OFPP_MAX && q->out_port != OFPP_ANY && q->out_port != OFPP_IN_PORT &&
	    q->out_port != OFPP_CONTROLLER && q->out_port != OFPP_LOCAL &&
	    q->out_port != OFPP_NORMAL && q->out_port != OFPP_FLOOD && q->out_port != OFPP_ALL)
		return SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_OUT);
	if (q->out_group > OFPG_MAX && q->out_group != OFPG_ANY)
		return SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_BAD_OUT);
	if (q->command == SL_OFPFMC_ADD && monitor_find(ms, q->monitor_id) != NULL)
		return SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_MONITOR_EXISTS);
	if (q->command != SL_OFPFMC_ADD && monitor_find(ms, q->monitor_id) == NULL)
		return SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_UNKNOWN_MONITOR);
	memset(out, 0, sizeof(*out));
	out->id = q->monitor_id;
	out->flags = q->flags;
	out->table_id = q->table_id;
	out->out_port = q->out_port;
	out->out_group = q->out_group;
	return q->command == SL_OFPFMC_DELETE ? 0 : agent_match_from_ofp(&q->match, &out->match);
}

/* Apply a checked entry. 0, or -1 when out of memory or monitors. */
static int
request_apply(struct agent_conn *ac, uint8_t command, const struct agent_monitor *mo)
{
	struct agent_monitors *ms = ac->monitors;
	struct agent_monitor *old = monitor_find(ms, mo->id);

	if (command == SL_OFPFMC_DELETE) {
		*old = ms->v[--ms->n];
	} else if (old != NULL) {
		*old = *mo;
	} else {
		if (ms->n == ms->cap) {
			unsigned int cap = ms->cap ? ms->cap * 2 : 4;
			struct agent_monitor *v;

			if (ms->n >= AGENT_MONITORS_MAX ||
			    (v = realloc(ms->v, cap * sizeof(*v))) == NULL)
				return -1;
			ms->v = v;
			ms->cap = cap;
		}
		ms->v[ms->n++] = *mo;
	}
	return 0;
}

/* The reply: an INITIAL update for each rule a new or changed monitor with
 * OFPFMF_INITIAL selects (once per rule). */
static void
send_initial(struct agent_conn *ac, uint32_t xid, const struct agent_monitor *mos,
	     const uint8_t *cmds, uint32_t n)
{
	struct sl_agent *a = ac->a;
	struct sl_ofp_flow_monitor_msg m = { .version = ac->version, .type = OFPT_MULTIPART_REPLY,
					     .xid = xid, .framing = framing_of(ac) };
	uint32_t cap = 0;

	sl_ofp_msg_init(&m.arena, OFPT_MULTIPART_REPLY, xid);
	for (unsigned int t = 0; t < a->cfg.n_tables; t++) {
		const struct sl_classifier *cls = sl_pipeline_table_cls(a->pl, (uint8_t)t);

		for (struct sl_cls_rule *cr = cls ? sl_cls_first(cls) : NULL; cr; cr = cr->all_next) {
			const struct sl_rule *r = (const struct sl_rule *)cr;
			bool any = false, ins = false;

			for (uint32_t i = 0; i < n; i++) {
				if (cmds[i] == SL_OFPFMC_DELETE ||
				    !(mos[i].flags & SL_OFPFMF_INITIAL) ||
				    !selects(&mos[i], r->table_id, &r->cr.match, r->ins))
					continue;
				any = true;
				ins |= (mos[i].flags & SL_OFPFMF_INSTRUCTIONS) != 0;
			}
			if (!any)
				continue;
			if (m.n_updates == cap) {
				uint32_t ncap = cap ? cap * 2 : 16;
				struct sl_ofp_flow_update *v =
					sl_ofp_msg_alloc(&m.arena, ncap * sizeof(*v));

				if (v == NULL)
					goto out;
				if (cap)
					memcpy(v, m.updates, cap * sizeof(*v));
				m.updates = v;
				cap = ncap;
			}
			if (rule_update(r, SL_OFPFME_INITIAL, 0, ins, &m.arena,
					&m.updates[m.n_updates]) != 0)
				goto out;
			m.n_updates++;
		}
	}
out:
	a->tx.len = 0;
	if (sl_ofp_flow_monitor_encode(&m, &a->tx) >= 1)
		sl_ofconn_send(ac->c, a->tx.data, a->tx.len, false);
	sl_ofp_msg_free(&m.arena);
}

/* A refusal in the session's form: OpenFlow 1.3 has no
 * OFPET_FLOW_MONITOR_FAILED; Open vSwitch answers the ONF extension with
 * Nicira experimenter errors for three codes and OFPBRC_* for the others. */
static void
send_refusal(struct agent_conn *ac, const uint8_t *raw, size_t len, int rc)
{
	uint16_t type = (uint16_t)SL_OFPERR_TYPE(rc), code = (uint16_t)SL_OFPERR_CODE(rc);
	uint16_t nx = 0;
	struct sl_ofp_msg m;

	if (framing_of(ac) == SL_OFP_MONITOR_NATIVE || type != OFPET_FLOW_MONITOR_FAILED) {
		agent_send_error(ac, raw, len, type, code);
		return;
	}
	switch (code) {
	case SL_OFPMOFC_MONITOR_EXISTS: nx = SL_NXERR_MONITOR_EXISTS; break;
	case SL_OFPMOFC_BAD_FLAGS: nx = SL_NXERR_MONITOR_BAD_FLAGS; break;
	case SL_OFPMOFC_UNKNOWN_MONITOR: nx = SL_NXERR_UNKNOWN_MONITOR; break;
	case SL_OFPMOFC_BAD_TABLE_ID:
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_TABLE_ID);
		return;
	case SL_OFPMOFC_BAD_OUT:
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT);
		return;
	default:
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_EPERM);
		return;
	}
	sl_ofp_msg_init(&m, OFPT_ERROR, len >= 8 ? (uint32_t)raw[4] << 24 | raw[5] << 16 |
							   raw[6] << 8 | raw[7] : 0);
	m.u.error.type = OFPET_EXPERIMENTER;
	m.u.error.exp_type = nx;
	m.u.error.experimenter = SL_NX_EXPERIMENTER;
	m.u.error.data = raw;
	m.u.error.data_len = (uint32_t)(len < 64 ? len : 64);
	agent_send(ac, &m, false);
	ac->a->st.errors_sent++;
}

/* Check every entry first (all or nothing), then apply them and reply. */
static void
handle_request(struct agent_conn *ac, const struct sl_ofp_flow_monitor_msg *q,
	       const uint8_t *raw, size_t len, bool reply)
{
	struct agent_monitor *mos = calloc(q->n_requests ? q->n_requests : 1, sizeof(*mos));
	uint8_t *cmds = calloc(q->n_requests ? q->n_requests : 1, 1);
	int rc = 0;

	if (mos == NULL || cmds == NULL || (ac->monitors == NULL &&
	    (ac->monitors = calloc(1, sizeof(*ac->monitors))) == NULL) || state(ac->a) == NULL)
		rc = SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_UNKNOWN);
	for (uint32_t i = 0; rc == 0 && i < q->n_requests; i++) {
		cmds[i] = q->requests[i].command;
		rc = request_check(ac, &q->requests[i], &mos[i]);
		for (uint32_t k = 0; rc == 0 && k < i; k++)
			if (mos[k].id == mos[i].id) /* one change per monitor per request */
				rc = SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_INVALID_MONITOR);
	}
	if (rc == 0 && ac->monitors->n + q->n_requests > AGENT_MONITORS_MAX)
		rc = SL_OFPERR(OFPET_FLOW_MONITOR_FAILED, SL_OFPMOFC_UNKNOWN);
	if (rc != 0) {
		send_refusal(ac, raw, len, rc);
	} else {
		bool had = ac->monitors->n > 0;

		for (uint32_t i = 0; i < q->n_requests; i++)
			request_apply(ac, cmds[i], &mos[i]); /* room checked above */
		if (had != (ac->monitors->n > 0))
			ac->a->mon->n_monitoring += had ? -1u : 1u;
		if (reply)
			send_initial(ac, q->xid, mos, cmds, q->n_requests);
	}
	free(mos);
	free(cmds);
}

/* ONFT_FLOW_MONITOR_CANCEL (OpenFlow 1.3): remove monitor id; no reply. */
static void
onf_cancel(struct agent_conn *ac, const uint8_t *raw, size_t len)
{
	struct sl_ofp_flow_monitor_request r = { .monitor_id = 0, .command = SL_OFPFMC_DELETE,
						 .table_id = OFPTT_ALL, .out_port = OFPP_ANY,
						 .out_group = OFPG_ANY };
	struct sl_ofp_flow_monitor_msg q = { .version = OFP13_VERSION, .requests = &r,
					     .n_requests = 1 };

	if (len != 20) {
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	r.monitor_id = (uint32_t)raw[16] << 24 | raw[17] << 16 | raw[18] << 8 | raw[19];
	q.xid = (uint32_t)raw[4] << 24 | raw[5] << 16 | raw[6] << 8 | raw[7];
	handle_request(ac, &q, raw, len, false);
}

bool
agent_monitor_message(struct agent_conn *ac, const uint8_t *raw, size_t len)
{
	struct sl_ofp_flow_monitor_msg q;
	struct sl_ofp_error err;

	if (ac->version == OFP13_VERSION &&
	    sl_ofp_onf_exp_type(raw, len) == SL_ONFT_FLOW_MONITOR_CANCEL) {
		onf_cancel(ac, raw, len);
		return true;
	}
	if (raw[1] != OFPT_MULTIPART_REQUEST || !sl_ofp_is_flow_monitor(raw, len))
		return false;
	if (sl_ofp_flow_monitor_decode(raw, len, &q, &err) != 0)
		agent_send_error(ac, raw, len, err.type, err.code);
	else if (q.flags & OFPMPF_REQ_MORE)
		/* entries are checked and applied together, then answered:
		 * a request split over several messages is refused */
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART);
	else
		handle_request(ac, &q, raw, len, true);
	sl_ofp_flow_monitor_free(&q);
	return true;
}

void
agent_monitor_conn_closed(struct agent_conn *ac)
{
	struct agent_monitors *ms = ac->monitors;
	struct agent_monitor_state *s = ac->a->mon;

	if (ms == NULL)
		return;
	if (s != NULL) {
		if (ms->n > 0)
			s->n_monitoring--;
		if (ms->paused)
			s->n_paused--;
		if (s->origin == ac)
			s->origin = NULL;
	}
	free(ms->pend);
	free(ms->v);
	free(ms);
	ac->monitors = NULL;
}
