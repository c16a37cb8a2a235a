/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow bundles (see agent_bundle.h): per-connection bundles of
 * flow-mods and group-mods, checked when added, applied at commit in one
 * pipeline transaction or not at all.
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
};

struct agent_bundles {
	struct bundle *b[AGENT_BUNDLES_MAX];
	unsigned int n;
};

/* A flow-mod or group-mod of a bundle, prepared for the commit. */
struct prepared {
	uint8_t type;          /* OFPT_FLOW_MOD or OFPT_GROUP_MOD */
	struct sl_flow_mod fm;
	struct agent_ins ai;
	bool replaced; /* an ADD found the rule it replaces (flow monitors) */
	struct sl_group_mod gm;
	struct sl_bucket *b;   /* gm's buckets */
	uint32_t n_buckets;
};

static void
prepared_clear(struct prepared *p)
{
	if (p->type == OFPT_GROUP_MOD)
		agent_buckets_free(p->b, p->n_buckets);
	else
		agent_ins_free(&p->ai);
}

static void
bundle_free(struct bundle *b)
{
	for (uint32_t i = 0; i < b->n; i++)
		free(b->msgs[i].raw);
	free(b->msgs);
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

/* Decode, validate and convert one inner message as a request would be
 * (its errors are the request's); @p p NULL: check only. */
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
	} else {
		rc = agent_flow_mod_prepare(ac->a, &m.u.flow_mod, &p->fm, &p->ai);
	}
	sl_ofp_msg_free(&m);
	if (rc != 0 || p == &tmp)
		prepared_clear(p);
	return rc;
}

/* What the spec's add checks (7.3.9.6) say of the inner message alone. */
static int
inner_check(struct agent_conn *ac, const struct sl_ofp_bundle *q)
{
	const uint8_t *msg = q->msg;
	uint32_t xid = (uint32_t)msg[4] << 24 | (uint32_t)msg[5] << 16 | (uint32_t)msg[6] << 8 |
		       msg[7];

	if (msg[0] != ac->version)
		return SL_OFPERR(OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
	if (xid != q->xid)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_MSG_BAD_XID);
	/* Flow-mods and group-mods: the pipeline transaction shows them all
	 * at once and undoes them exactly. Meter-mods (the agent's meter
	 * table) and port-mods (port state in the datapath) are outside it,
	 * so they could not commit atomically with the rest: refused, as is
	 * everything that changes no state. */
	if (msg[1] != OFPT_FLOW_MOD && msg[1] != OFPT_GROUP_MOD)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_MSG_UNSUP);
	return inner_prepare(ac, msg, q->msg_len, NULL);
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
	rc = inner_check(ac, q);
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
	bm->raw = malloc(q->msg_len);
	if (bm->raw == NULL)
		return SL_OFPERR(SL_OFPET_BUNDLE_FAILED, SL_OFPBFC_UNKNOWN);
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
	/* flow monitors: an ADD that replaces a rule is MODIFIED */
	p->replaced = agent_monitor_add_replaces(a, &p->fm);
	return sl_pipeline_flow_mod(a->pl, &p->fm, NULL);
}

/* After a commit: flow monitors, the agent's group list, its counters. */
static void
prepared_committed(struct sl_agent *a, const struct prepared *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (p[i].type == OFPT_GROUP_MOD) {
			agent_group_ids_sync(a, p[i].gm.group_id);
			a->st.group_mods++;
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
	unsigned int changed;
	uint32_t i;
	int rc = 0;

	if (p == NULL) {
		bundle_error(ac, q->xid, SL_OFPBFC_UNKNOWN, raw, len);
		return;
	}
	for (i = 0; i < b->n && rc == 0; i++)
		rc = inner_prepare(ac, b->msgs[i].raw, b->msgs[i].len, &p[i]);
	if (rc != 0) {
		prepared_free(p, i - 1);
		a->st.bundles_failed++;
		commit_failed(ac, &b->msgs[i - 1], rc, q, raw, len);
		return;
	}
	if (sl_pipeline_txn_begin(a->pl) != 0) {
		prepared_free(p, b->n);
		bundle_error(ac, q->xid, SL_OFPBFC_UNKNOWN, raw, len);
		return;
	}
	for (i = 0; i < b->n && rc == 0; i++)
		rc = prepared_apply(a, &p[i]);
	if (rc != 0) {
		sl_pipeline_txn_abort(a->pl);
		prepared_free(p, b->n);
		a->st.bundles_failed++;
		commit_failed(ac, &b->msgs[i - 1], rc, q, raw, len);
		return;
	}
	agent_monitor_origin(a, ac, q->xid); /* removals at the commit are its own */
	changed = sl_pipeline_txn_commit(a->pl);
	prepared_committed(a, p, b->n);
	agent_monitor_origin(a, NULL, 0);
	prepared_free(p, b->n);
	a->st.bundles_committed++;
	if (changed) {
		a->ops->tables_changed(a->dp);
		agent_table14_check(a); /* vacancy after the whole bundle */
	}
	/* As a barrier: once the reply is out, no packet meets the old rules. */
	a->ops->sync(a->dp);
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
