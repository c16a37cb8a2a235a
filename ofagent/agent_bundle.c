/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow bundles (see agent_bundle.h): per-connection bundles of
 * flow-mods, group-mods, meter-mods and port-mods, checked when added,
 * applied at commit in one pipeline transaction or not at all.
 *
 * Meter-mods are outside the pipeline transaction (the meter table is the
 * runtime's, read by the workers), so a commit orders them around it:
 *  1. every message is checked first, meter existence simulated in bundle
 *     order (ADD of an existing meter METER_EXISTS, MODIFY of a missing one
 *     and a flow-mod that uses one UNKNOWN_METER); a failure applies nothing;
 *  2. meter ADDs go into the meter table before the transaction: no packet
 *     meets a new meter until a rule uses it, and those rules are in the
 *     transaction; a later failure deletes them again;
 *  3. flow-mods and group-mods, and for a meter DELETE the deletion of the
 *     rules that use it, run inside the transaction, in bundle order;
 *  4. meter MODIFYs are applied last before the commit (a failure puts the
 *     earlier ones back and aborts); 5. after the commit the deleted meters
 *     leave the table (no visible rule uses them any more).
 * Meters are not versioned like rules, so a MODIFY takes effect a few
 * microseconds before the tables switch (between steps 4 and 5): packets in
 * that window see the new bands with the old rules. To keep the simulation
 * exact, a bundle holds at most one meter-mod per meter id and a DELETE of
 * OFPM_ALL only alone among meter-mods: anything else is MSG_CONFLICT.
 *
 * Port-mods switch with the tables exactly: workers read a port's config
 * once per iteration, of one tables version (lib/pipeline txn.c, "One
 * switch instant"). Checked at add and at commit, each is staged once the
 * transaction holds everything, for the tables version its commit
 * publishes (ports_stage), and settled after the sync: port-status then,
 * one per changed port. Several of one port apply in order (ofagent/README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "agent_bundle.h"
#include "agent_convert.h"
#include "agent_flow.h"
#include "agent_monitor.h"
#include "agent_table14.h"
#include "sl_ofp_bundle.h"
#include "sl_pipeline_txn.h"

/* One message of a bundle: its bytes, decoded again at commit (so the
 * bundle holds ~100 bytes per flow-mod, not its decoded form). */
struct bundle_msg {
	uint8_t *raw;
	size_t len;
};

struct bundle {
	uint32_t id;
	uint16_t flags;
	bool closed;
	uint32_t xid;             /* of the last message, for the timeout error */
	uint64_t last_ns;         /* last message, for the idle timeout */
	struct bundle_msg *msgs;
	uint32_t n, cap;
	uint32_t *meter_idx;      /* indexes of its meter-mods in msgs, in order */
	uint32_t n_meter, cap_meter;
};

struct agent_bundles {
	struct bundle *b[AGENT_BUNDLES_MAX];
	unsigned int n;
};

/* A meter-mod of a bundle, prepared for the commit. */
struct prepared_meter {
	struct sl_meter_mod mm;
	struct sl_meter_band bands[SL_METER_MAX_BANDS];
	struct sl_meter_config old; /* a MODIFY's meter before it, to put back */
	bool applied;               /* an ADD or MODIFY that is in the table */
};

/* A flow-mod, group-mod, meter-mod or port-mod of a bundle, prepared for
 * the commit. */
struct prepared {
	uint8_t type;          /* OFPT_FLOW_MOD, _GROUP_MOD, _METER_MOD or _PORT_MOD */
	struct sl_flow_mod fm;
	struct agent_ins ai;
	bool replaced; /* an ADD found the rule it replaces (flow monitors) */
	struct sl_group_mod gm;
	struct sl_bucket *b;   /* gm's buckets */
	uint32_t n_buckets;
	struct prepared_meter *mt; /* OFPT_METER_MOD */
	struct sl_ofp_port_mod pm; /* OFPT_PORT_MOD (no properties: checked) */
};

static void
prepared_clear(struct prepared *p)
{
	if (p->type == OFPT_GROUP_MOD)
		agent_buckets_free(p->b, p->n_buckets);
	else if (p->type == OFPT_METER_MOD)
		free(p->mt);
	else if (p->type == OFPT_FLOW_MOD)
		agent_ins_free(&p->ai);
}

static void
bundle_free(struct bundle *b)
{
	for (uint32_t i = 0; i < b->n; i++)
		free(b->msgs[i].raw);
	free(b->msgs);
	free(b->meter_idx);
	free(b);
}

static struct bundle **
bundle_find(struct agent_conn *ac, uint32_t id)
{
	struct agent_bundles *bs = ac->bundles;

	for (unsigned int i = 0; bs != NULL && i < bs->n; i++)
		if (bs->b[i]->id == id)
			return &bs->b[i];
	return NULL;
}

static void
bundle_drop(struct agent_conn *ac, struct bundle **slot)
{
	struct agent_bundles *bs = ac->bundles;

	bundle_free(*slot);
	*slot = bs->b[--bs->n];
}

/* A BUNDLE_FAILED error in the connection's framing (OF1.3: ONF's). */
static void
bundle_error(struct agent_conn *ac, uint32_t xid, uint16_t code, const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;

	a->tx.len = 0;
	if (sl_ofp_bundle_error(ac->version, xid, code, raw, len, &a->tx) == 0)
		sl_ofconn_send(ac->c, a->tx.data, a->tx.len, false);
	a->st.errors_sent++;
}

/* Any refusal: BUNDLE_FAILED codes through bundle_error, others as usual. */
static void
send_refusal(struct agent_conn *ac, const struct sl_ofp_bundle *q, int rc, const uint8_t *raw,
	     size_t len)
{
	if (SL_OFPERR_TYPE(rc) == SL_OFPET_BUNDLE_FAILED)
		bundle_error(ac, q->xid, (uint16_t)SL_OFPERR_CODE(rc), raw, len);
	else
		agent_send_error(ac, raw, len, (uint16_t)SL_OFPERR_TYPE(rc),
				 (uint16_t)SL_OFPERR_CODE(rc));
}

static void
ctrl_reply(struct agent_conn *ac, const struct sl_ofp_bundle *q)
{
	struct sl_agent *a = ac->a;
	struct sl_ofp_bundle r = *q;

	r.type = (uint16_t)(q->type + 1); /* each *_REQUEST's *_REPLY follows it */
	r.props = NULL;
	r.props_len = 0;
	a->tx.len = 0;
	if (sl_ofp_bundle_encode(&r, &a->tx) == 0)
		sl_ofconn_send(ac->c, a->tx.data, a->tx.len, false);
}

static int
bundle_open(struct agent_conn *ac, uint32_t id, uint16_t flags, struct bundle **out)
{
	struct agent_bundles *bs = ac->bundles;
	struct bundle *b;

	if (bundle_find(ac, id) != NULL)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_BUNDLE_EXIST);
	if (bs == NULL && (bs = ac->bundles = calloc(1, sizeof(*bs))) == NULL)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_UNKNOWN);
	if (bs->n == AGENT_BUNDLES_MAX)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_OUT_OF_BUNDLES);
	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_UNKNOWN);
	b->id = id;
	b->flags = flags;
	b->last_ns = agent_now_ns();
	bs->b[bs->n++] = b;
	*out = b;
	return 0;
}

/* Convert a meter-mod and check it alone (agent_meter_mod_prepare). */
static int
meter_prepare(const struct sl_ofp_meter_mod *o, struct prepared *p)
{
	uint16_t code;

	p->mt = calloc(1, sizeof(*p->mt));
	if (p->mt == NULL)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_UNKNOWN);
	code = agent_meter_mod_prepare(o, &p->mt->mm, p->mt->bands);
	return code ? SL_OFPERR(OFPET_METER_MOD_FAILED, code) : 0;
}

/* Decode, validate and convert one inner message as a request would be
 * (its errors are the request's), leaving whether a flow-mod's meter
 * exists to the bundle (bundle_meter_exists); @p p NULL: check only. */
static int
inner_prepare(struct agent_conn *ac, const uint8_t *msg, size_t len, struct prepared *p)
{
	struct sl_ofp_error err;
	struct sl_ofp_msg m;
	struct prepared tmp;
	int rc;

	if (sl_ofp_decode(msg, len, &m, &err) != 0)
		return SL_OFPERR(err.type, err.code);
	if (sl_ofp_validate(&m, &err) != 0) {
		sl_ofp_msg_free(&m);
		return SL_OFPERR(err.type, err.code);
	}
	if (p == NULL)
		p = &tmp;
	memset(p, 0, sizeof(*p));
	p->type = m.type;
	if (m.type == OFPT_GROUP_MOD) {
		p->n_buckets = m.u.group_mod.n_buckets;
		rc = agent_group_mod_prepare(&m.u.group_mod, &p->gm, &p->b);
	} else if (m.type == OFPT_METER_MOD) {
		rc = meter_prepare(&m.u.meter_mod, p);
	} else if (m.type == OFPT_PORT_MOD) {
		uint16_t code;

		p->pm = m.u.port_mod;
		p->pm.properties = NULL; /* freed below; advertise holds what counts */
		p->pm.n_properties = 0;
		rc = agent_port_mod_check(ac->a, &m.u.port_mod, &code) ?
			     SL_OFPERR(OFPET_PORT_MOD_FAILED, code) : 0;
	} else {
		rc = agent_flow_mod_prepare(ac->a, &m.u.flow_mod, &p->fm, &p->ai, false);
	}
	sl_ofp_msg_free(&m);
	if (rc != 0 || p == &tmp)
		prepared_clear(p);
	return rc;
}

/* A meter-mod's command and meter id, from its bytes (the same offsets in
 * OF1.3, 1.4 and 1.5: header, command, flags, meter_id). */
static void
meter_mod_ids(const uint8_t *raw, uint16_t *cmd, uint32_t *id)
{
	*cmd = (uint16_t)(raw[8] << 8 | raw[9]);
	*id = (uint32_t)raw[12] << 24 | (uint32_t)raw[13] << 16 | (uint32_t)raw[14] << 8 | raw[15];
}

/* Does meter @p id exist once the meter-mods of @p b before message
 * @p upto have run (the table as it is now, then the bundle's own)? */
static bool
bundle_meter_exists(const struct sl_agent *a, const struct bundle *b, uint32_t upto,
		    uint32_t id)
{
	int state = -1; /* -1: the bundle says nothing, 0: deleted, 1: added */

	for (uint32_t k = 0; b != NULL && k < b->n_meter && b->meter_idx[k] < upto; k++) {
		uint16_t cmd;
		uint32_t mid;

		meter_mod_ids(b->msgs[b->meter_idx[k]].raw, &cmd, &mid);
		if (mid == id || (cmd == OFPMC_DELETE && mid == OFPM_ALL))
			state = cmd == OFPMC_ADD ? 1 : cmd == OFPMC_DELETE ? 0 : state;
	}
	if (state >= 0)
		return state == 1;
	return sl_meter_table_lookup(a->flows->meters, id) != NULL;
}

/* A meter-mod added to @p b: one per meter id, OFPM_ALL alone (MSG_CONFLICT). */
static int
meter_conflict(const struct bundle *b, const uint8_t *raw)
{
	uint16_t cmd, c2;
	uint32_t id, id2;

	meter_mod_ids(raw, &cmd, &id);
	for (uint32_t k = 0; b != NULL && k < b->n_meter; k++) {
		meter_mod_ids(b->msgs[b->meter_idx[k]].raw, &c2, &id2);
		if (id2 == id || id == OFPM_ALL || id2 == OFPM_ALL)
			return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_MSG_CONFLICT);
	}
	return 0;
}

/* Message @p i of @p b (@p p prepared) against the meters as the bundle
 * left them before it: a meter-mod's target, a flow-mod's meter. */
static int
meter_check_at(const struct sl_agent *a, const struct bundle *b, uint32_t i,
	       const struct prepared *p)
{
	if (p->type == OFPT_METER_MOD) {
		const struct sl_meter_mod *mm = &p->mt->mm;
		bool exists = mm->meter_id != OFPM_ALL && bundle_meter_exists(a, b, i, mm->meter_id);

		if (mm->command == OFPMC_ADD && exists)
			return SL_OFPERR(OFPET_METER_MOD_FAILED, OFPMMFC_METER_EXISTS);
		if (mm->command == OFPMC_MODIFY && !exists)
			return SL_OFPERR(OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER);
		return 0;
	}
	if (p->type == OFPT_FLOW_MOD && p->fm.ins.has_meter &&
	    p->fm.command != OFPFC_DELETE && p->fm.command != OFPFC_DELETE_STRICT &&
	    !bundle_meter_exists(a, b, i, p->fm.ins.meter_id))
		return SL_OFPERR(OFPET_METER_MOD_FAILED, OFPMMFC_UNKNOWN_METER);
	return 0;
}

/* What the spec's add checks (7.3.9.6) say of the inner message alone and
 * against the bundle's earlier messages (@p b NULL: none yet). */
static int
inner_check(struct agent_conn *ac, const struct bundle *b, const struct sl_ofp_bundle *q)
{
	const uint8_t *msg = q->msg;
	uint32_t xid = (uint32_t)msg[4] << 24 | (uint32_t)msg[5] << 16 | (uint32_t)msg[6] << 8 |
		       msg[7];

	if (msg[0] != ac->version)
		return SL_OFPERR(OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
	if (xid != q->xid)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_MSG_BAD_XID);
	/* Flow-mods and group-mods: the pipeline transaction shows them all
	 * at once and undoes them exactly; meter-mods are ordered around it,
	 * port-mods staged to switch with it (top of this file); a runtime
	 * that cannot stage port-mods has them refused, as is everything that
	 * changes no state. */
	if (msg[1] != OFPT_FLOW_MOD && msg[1] != OFPT_GROUP_MOD && msg[1] != OFPT_METER_MOD &&
	    (msg[1] != OFPT_PORT_MOD || ac->a->ops->port_mod_stage == NULL))
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_MSG_UNSUP);
	struct prepared p;
	int rc = inner_prepare(ac, msg, q->msg_len, &p);

	if (rc != 0)
		return rc; /* p is cleared */
	if (p.type == OFPT_METER_MOD)
		rc = meter_conflict(b, msg);
	if (rc == 0)
		rc = meter_check_at(ac->a, b, b ? b->n : 0, &p);
	prepared_clear(&p);
	return rc;
}

/* Remember that message @p i of @p b is a meter-mod; -1 out of memory. */
static int
meter_note(struct bundle *b, uint32_t i)
{
	if (b->n_meter == b->cap_meter) {
		uint32_t ncap = b->cap_meter ? b->cap_meter * 2 : 8;
		uint32_t *nm = realloc(b->meter_idx, ncap * sizeof(*nm));

		if (nm == NULL)
			return -1;
		b->meter_idx = nm;
		b->cap_meter = ncap;
	}
	b->meter_idx[b->n_meter++] = i;
	return 0;
}

static int
bundle_add(struct agent_conn *ac, const struct sl_ofp_bundle *q)
{
	struct bundle **slot = bundle_find(ac, q->bundle_id), *b = slot ? *slot : NULL;
	struct bundle_msg *bm;
	int rc;

	if (b != NULL && b->closed)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_BUNDLE_CLOSED);
	if (b != NULL && b->flags != q->flags)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_BAD_FLAGS);
	if (b != NULL && b->n == AGENT_BUNDLE_MSGS_MAX)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_MSG_TOO_MANY);
	rc = inner_check(ac, b, q);
	if (rc != 0)
		return rc;
	/* An add to a bundle that does not exist opens it (7.3.9.6). */
	if (b == NULL && (rc = bundle_open(ac, q->bundle_id, q->flags, &b)) != 0)
		return rc;
	if (b->n == b->cap) {
		uint32_t ncap = b->cap ? b->cap * 2 : 16;
		struct bundle_msg *nm = realloc(b->msgs, ncap * sizeof(*nm));

		if (nm == NULL)
			return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_UNKNOWN);
		b->msgs = nm;
		b->cap = ncap;
	}
	bm = &b->msgs[b->n];
	if (q->msg[1] == OFPT_METER_MOD && meter_note(b, b->n) != 0)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_UNKNOWN);
	bm->raw = malloc(q->msg_len);
	if (bm->raw == NULL) {
		b->n_meter -= q->msg[1] == OFPT_METER_MOD;
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_UNKNOWN);
	}
	memcpy(bm->raw, q->msg, q->msg_len);
	bm->len = q->msg_len;
	b->n++;
	b->xid = q->xid;
	b->last_ns = agent_now_ns();
	return 0;
}

static void
prepared_free(struct prepared *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		prepared_clear(&p[i]);
	free(p);
}

static int
prepared_apply(struct sl_agent *a, struct prepared *p)
{
	if (p->type == OFPT_GROUP_MOD)
		return sl_pipeline_group_mod(a->pl, &p->gm);
	if (p->type == OFPT_PORT_MOD)
		return 0; /* staged just before the commit (ports_stage) */
	if (p->type == OFPT_METER_MOD) {
		/* the meter's rules go with the tables; the meter after the commit */
		if (p->mt->mm.command == OFPMC_DELETE)
			agent_meter_rules_delete(a, p->mt->mm.meter_id);
		return 0;
	}
	/* flow monitors: an ADD that replaces a rule is MODIFIED */
	p->replaced = agent_monitor_add_replaces(a, &p->fm);
	return sl_pipeline_flow_mod(a->pl, &p->fm, NULL);
}

/* Apply the meter-mods of @p p with command @p cmd (ADD or MODIFY) to the
 * meter table, in bundle order; a MODIFY keeps the meter's old
 * configuration to put back. 0, or the error with *failed its message. */
static int
meters_apply(struct sl_agent *a, struct prepared *p, uint32_t n, uint16_t cmd, uint32_t *failed)
{
	for (uint32_t i = 0; i < n; i++) {
		struct prepared_meter *mt = p[i].type == OFPT_METER_MOD ? p[i].mt : NULL;
		uint16_t code = OFPMMFC_UNKNOWN_METER;

		if (mt == NULL || mt->mm.command != cmd)
			continue;
		if (cmd == OFPMC_MODIFY) {
			struct sl_meter *m = sl_meter_table_lookup(a->flows->meters, mt->mm.meter_id);

			if (m == NULL) {
				*failed = i;
				return SL_OFPERR(OFPET_METER_MOD_FAILED, code);
			}
			sl_meter_get_config(m, &mt->old);
		}
		if (sl_meter_table_mod(a->flows->meters, &mt->mm, agent_now_ns(), &code) != 0) {
			*failed = i;
			return SL_OFPERR(OFPET_METER_MOD_FAILED, code);
		}
		mt->applied = true;
	}
	return 0;
}

/* A commit that fails: take the meters it added out, put the ones it
 * modified back (no rule of the aborted transaction can use them). */
static void
meters_undo(struct sl_agent *a, struct prepared *p, uint32_t n)
{
	for (uint32_t i = n; i-- > 0;) {
		struct prepared_meter *mt = p[i].type == OFPT_METER_MOD ? p[i].mt : NULL;
		struct sl_meter_mod back = { .meter_id = mt ? mt->mm.meter_id : 0 };
		uint16_t code;

		if (mt == NULL || !mt->applied)
			continue;
		back.command = mt->mm.command == OFPMC_ADD ? OFPMC_DELETE : OFPMC_MODIFY;
		back.flags = mt->old.flags;
		back.n_bands = mt->old.n_bands;
		back.bands = mt->old.bands;
		sl_meter_table_mod(a->flows->meters, &back, agent_now_ns(), &code);
		mt->applied = false;
	}
}

/* After a commit: flow monitors, the agent's group list, the meters the
 * bundle deleted (no visible rule uses them now), its counters. */
static void
prepared_committed(struct sl_agent *a, const struct prepared *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (p[i].type == OFPT_GROUP_MOD) {
			agent_group_ids_sync(a, p[i].gm.group_id);
			a->st.group_mods++;
		} else if (p[i].type == OFPT_PORT_MOD) {
			continue; /* port-status: once settled (agent_port_status) */
		} else if (p[i].type == OFPT_METER_MOD) {
			uint16_t code;

			if (p[i].mt->mm.command == OFPMC_DELETE)
				sl_meter_table_mod(a->flows->meters, &p[i].mt->mm, agent_now_ns(),
						   &code);
			a->st.meter_mods++;
		} else {
			agent_monitor_flow_mod(a, &p[i].fm, p[i].replaced);
			a->st.flow_mods++;
		}
	}
}

/* A message failed at commit: its own error (its xid, its bytes), then
 * MSG_FAILED for the commit request (7.3.9.7). */
static void
commit_failed(struct agent_conn *ac, const struct bundle_msg *bm, int rc,
	      const struct sl_ofp_bundle *q, const uint8_t *raw, size_t len)
{
	if (SL_OFPERR_TYPE(rc) == SL_OFPET_BUNDLE_FAILED)
		bundle_error(ac, q->xid, (uint16_t)SL_OFPERR_CODE(rc), bm->raw, bm->len);
	else
		agent_send_error(ac, bm->raw, bm->len, (uint16_t)SL_OFPERR_TYPE(rc),
				 (uint16_t)SL_OFPERR_CODE(rc));
	bundle_error(ac, q->xid, SL_OFPBFC_MSG_FAILED, raw, len);
}

/* Prepare every message of @p b into @p p and check the meters in bundle
 * order; nothing changes. 0, or the error with *failed its message (the
 * entries before it are prepared, the failed one is cleared). */
static int
commit_prepare(struct agent_conn *ac, const struct bundle *b, struct prepared *p,
	       uint32_t *n_prepared, uint32_t *failed)
{
	int rc = 0;
	uint32_t i;

	for (i = 0; i < b->n && rc == 0; i++)
		rc = inner_prepare(ac, b->msgs[i].raw, b->msgs[i].len, &p[i]);
	*n_prepared = rc ? i - 1 : i;
	if (rc != 0) {
		*failed = i - 1;
		return rc;
	}
	for (i = 0; i < b->n; i++) { /* also meters deleted since the add */
		rc = meter_check_at(ac->a, b, i, &p[i]);
		if (rc != 0) {
			*failed = i;
			return rc;
		}
	}
	return 0;
}

/* Steps 2-4 of a commit (top of this file); on success the transaction
 * is open with everything applied, on failure nothing of @p p stays. */
static int
commit_apply(struct sl_agent *a, const struct bundle *b, struct prepared *p, uint32_t *failed)
{
	int rc = meters_apply(a, p, b->n, OFPMC_ADD, failed);
	uint32_t i;

	if (rc == 0 && sl_pipeline_txn_begin(a->pl) != 0) {
		*failed = UINT32_MAX;
		rc = SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_UNKNOWN);
	} else if (rc == 0) {
		for (i = 0; i < b->n && rc == 0; i++)
			rc = prepared_apply(a, &p[i]);
		if (rc != 0)
			*failed = i - 1;
		else
			rc = meters_apply(a, p, b->n, OFPMC_MODIFY, failed);
		if (rc != 0)
			sl_pipeline_txn_abort(a->pl);
	}
	if (rc != 0)
		meters_undo(a, p, b->n);
	return rc;
}

/* The port-mods of @p p, staged to switch at the tables version the open
 * transaction's commit publishes (the next one: the control lcore is the
 * only writer, and the commit bumps it once, or the caller does when the
 * transaction changed nothing). Checked at add and again just now, on
 * this lcore: staging cannot fail. Returns how many. */
static unsigned int
ports_stage(struct sl_agent *a, const struct prepared *p, uint32_t n)
{
	uint64_t version = sl_pipeline_version(a->pl) + 1;
	unsigned int k = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct sl_ofp_port_mod *pm = &p[i].pm;

		if (p[i].type != OFPT_PORT_MOD)
			continue;
		a->ops->port_mod_stage(a->dp, pm->port_no, pm->config & pm->mask, pm->mask, version);
		k++;
	}
	return k;
}

/* The commit reports the removals of the transaction: those of rules whose
 * meter the bundle deletes are OFPRR_METER_DELETE (sl_agent_rule_removed).
 * Out of memory: they are reported as DELETE. */
static void
meter_deletes_mark(struct sl_agent *a, const struct bundle *b, const struct prepared *p)
{
	uint32_t *ids = b->n_meter ? malloc(b->n_meter * sizeof(*ids)) : NULL;
	uint32_t n = 0;

	for (uint32_t k = 0; ids != NULL && k < b->n_meter; k++) {
		const struct prepared_meter *mt = p[b->meter_idx[k]].mt;

		if (mt->mm.command == OFPMC_DELETE)
			ids[n++] = mt->mm.meter_id;
	}
	a->flows->commit_meter_deletes = ids;
	a->flows->n_commit_meter_deletes = n;
}

/* Apply every message of @p b in one transaction; replies or errors. The
 * messages are prepared (decoded, converted) before the transaction opens,
 * so that it stays open only while the tables change (translations never
 * wait for it: sl_pipeline_txn.h). */
static void
bundle_commit(struct agent_conn *ac, struct bundle *b, const struct sl_ofp_bundle *q,
	      const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;
	struct prepared *p = calloc(b->n ? b->n : 1, sizeof(*p));
	uint32_t n_prepared = 0, failed = 0;
	unsigned int changed, n_ports;
	int rc;

	if (p == NULL) {
		bundle_error(ac, q->xid, SL_OFPBFC_UNKNOWN, raw, len);
		return;
	}
	rc = commit_prepare(ac, b, p, &n_prepared, &failed);
	if (rc == 0)
		rc = commit_apply(a, b, p, &failed);
	if (rc != 0) {
		prepared_free(p, n_prepared);
		a->st.bundles_failed++;
		if (failed == UINT32_MAX)
			bundle_error(ac, q->xid, SL_OFPBFC_UNKNOWN, raw, len);
		else
			commit_failed(ac, &b->msgs[failed], rc, q, raw, len);
		return;
	}
	agent_monitor_origin(a, ac, q->xid); /* removals at the commit are its own */
	meter_deletes_mark(a, b, p);
	n_ports = ports_stage(a, p, b->n);
	changed = sl_pipeline_txn_commit(a->pl);
	if (n_ports > 0 && changed == 0)
		sl_pipeline_ports_changed(a->pl); /* the bump the ports switch at */
	a->flows->n_commit_meter_deletes = 0;
	free((void *)a->flows->commit_meter_deletes);
	a->flows->commit_meter_deletes = NULL;
	prepared_committed(a, p, b->n);
	agent_monitor_origin(a, NULL, 0);
	prepared_free(p, b->n);
	a->st.bundles_committed++;
	if (changed || b->n_meter > 0) {
		a->ops->tables_changed(a->dp);
		agent_table14_check(a); /* vacancy after the whole bundle */
	}
	/* As a barrier: once the reply is out, no packet meets the old rules
	 * (nor the old port configuration: settled then, port-status after). */
	a->ops->sync(a->dp);
	if (n_ports > 0)
		a->ops->port_mods_settle(a->dp);
	ctrl_reply(ac, q);
}

static int
bundle_control(struct agent_conn *ac, const struct sl_ofp_bundle *q, const uint8_t *raw,
	       size_t len)
{
	struct bundle **slot = bundle_find(ac, q->bundle_id);
	struct bundle *b;
	int rc;

	switch (q->type) {
	case SL_OFPBCT_OPEN_REQUEST:
		rc = bundle_open(ac, q->bundle_id, q->flags, &b);
		if (rc == 0)
			b->xid = q->xid;
		break;
	case SL_OFPBCT_CLOSE_REQUEST:
	case SL_OFPBCT_COMMIT_REQUEST:
	case SL_OFPBCT_DISCARD_REQUEST:
		if (slot == NULL)
			return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_BAD_ID);
		if (q->type != SL_OFPBCT_DISCARD_REQUEST && (*slot)->flags != q->flags)
			return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_BAD_FLAGS);
		if (q->type == SL_OFPBCT_CLOSE_REQUEST) {
			if ((*slot)->closed)
				return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_BUNDLE_CLOSED);
			(*slot)->closed = true;
			(*slot)->last_ns = agent_now_ns();
			break;
		}
		if (q->type == SL_OFPBCT_COMMIT_REQUEST) {
			/* replies itself; the bundle goes, committed or not */
			bundle_commit(ac, *slot, q, raw, len);
			bundle_drop(ac, bundle_find(ac, q->bundle_id));
			return 0;
		}
		bundle_drop(ac, slot);
		rc = 0;
		break;
	default:
		/* replies, or types the spec does not define */
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_BAD_TYPE);
	}
	if (rc == 0)
		ctrl_reply(ac, q);
	return rc;
}

/* Properties: the spec defines only experimenter ones, and Sluice knows none. */
static int
check_props(const struct agent_conn *ac, const struct sl_ofp_bundle *q)
{
	if (q->props_len == 0)
		return 0;
	if (ac->version < 5)
		return SL_OFPERR(OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER);
	if ((q->props[0] << 8 | q->props[1]) != SL_OFPBPT_EXPERIMENTER)
		return SL_OFPERR(SL_OFPET_BAD_PROPERTY, SL_OFPBPC_BAD_TYPE);
	return SL_OFPERR(SL_OFPET_BAD_PROPERTY, SL_OFPBPC_BAD_EXPERIMENTER);
}

bool
agent_bundle_message(struct agent_conn *ac, const uint8_t *raw, size_t len)
{
	int framing = sl_ofp_bundle_framing(raw, len);
	struct sl_ofp_bundle q;
	struct sl_ofp_error err;
	int rc;

	/* the ONF framing is OpenFlow 1.3's, the native one 1.4's and later */
	if (framing == 0 || (framing == SL_OFP_BUNDLE_ONF ? ac->version != 4 : ac->version < 5))
		return false;
	if (sl_ofp_bundle_decode(raw, len, &q, &err) != 0)
		rc = SL_OFPERR(err.type, err.code);
	else if (ac->role == OFPCR_ROLE_SLAVE)
		rc = SL_OFPERR(OFPET_BAD_REQUEST, OFPBRC_IS_SLAVE);
	else if (q.flags & ~(uint16_t)(SL_OFPBF_ATOMIC | SL_OFPBF_ORDERED))
		rc = SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_BAD_FLAGS);
	else if ((rc = check_props(ac, &q)) != 0)
		;
	else if (q.is_add)
		rc = bundle_add(ac, &q);
	else
		rc = bundle_control(ac, &q, raw, len);
	if (rc != 0) {
		q.xid = (uint32_t)raw[4] << 24 | (uint32_t)raw[5] << 16 | (uint32_t)raw[6] << 8 | raw[7];
		send_refusal(ac, &q, rc, raw, len);
	}
	return true;
}

void
agent_bundle_conn_closed(struct agent_conn *ac)
{
	struct agent_bundles *bs = ac->bundles;

	for (unsigned int i = 0; bs != NULL && i < bs->n; i++)
		bundle_free(bs->b[i]);
	free(bs);
	ac->bundles = NULL;
}

static void
expire_conn(struct sl_ofconn *c, void *arg)
{
	struct agent_conn *ac = sl_ofconn_get_priv(c);
	uint64_t now = *(const uint64_t *)arg;
	struct agent_bundles *bs = ac ? ac->bundles : NULL;

	for (unsigned int i = 0; bs != NULL && i < bs->n;) {
		struct bundle *b = bs->b[i];

		if (now - b->last_ns < AGENT_BUNDLE_IDLE_NS) {
			i++;
			continue;
		}
		bundle_error(ac, b->xid, SL_OFPBFC_TIMEOUT, NULL, 0);
		bundle_drop(ac, &bs->b[i]);
	}
}

void
agent_bundle_expire(struct sl_agent *a)
{
	uint64_t now = agent_now_ns();

	sl_ofconn_mgr_foreach(a->mgr, expire_conn, &now);
}
