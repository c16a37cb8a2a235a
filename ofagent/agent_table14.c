/* SPDX-License-Identifier: BSD-3-Clause */
/* OpenFlow 1.4/1.5 table desc, table-mod vacancy and table status
 * (agent_table14.h). */
#include <stdlib.h>
#include <string.h>

#include "agent_table14.h"
#include "sl_ofp_table14.h"
#include "sl_pipeline.h"

/* Free entries of @p table in percent of its max_entries, rounded down
 * (as OVS computes it). */
static uint8_t
vacancy_of(const struct sl_agent *a, uint8_t table)
{
	uint64_t max = sl_pipeline_max_rules_per_table(a->pl);
	uint64_t used = sl_pipeline_table_count(a->pl, table);

	if (max == 0)
		return 0;
	if (used > max)
		used = max;
	return (uint8_t)((max - used) * 100 / max);
}

/* Table @p t's desc into @p d, its one vacancy property in @p p. */
static void
fill_desc(const struct sl_agent *a, uint8_t t, struct sl_ofp_table_desc *d,
	  struct sl_ofp_prop *p)
{
	const struct agent_tables14 *v = a->t14;

	memset(d, 0, sizeof(*d));
	memset(p, 0, sizeof(*p));
	d->table_id = t;
	d->config = v != NULL && v->armed[t] ? OFPTC_VACANCY_EVENTS : 0;
	/* no eviction property: Sluice never evicts (OFPTC_EVICTION is refused) */
	p->type = SL_OFPTMPT_VACANCY;
	p->u.vacancy.vacancy_down = v != NULL ? v->down[t] : 0;
	p->u.vacancy.vacancy_up = v != NULL ? v->up[t] : 0;
	p->u.vacancy.vacancy = vacancy_of(a, t);
	d->properties = p;
	d->n_properties = 1;
}

static void
reply_table_desc(struct agent_conn *ac, uint32_t xid)
{
	struct sl_agent *a = ac->a;
	unsigned int n = a->cfg.n_tables;
	struct sl_ofp_table_desc *d = calloc(n, sizeof(*d));
	struct sl_ofp_prop *p = calloc(n, sizeof(*p));
	struct sl_ofp_table14_msg r = { .version = ac->version, .type = OFPT_MULTIPART_REPLY,
					.xid = xid, .descs = d, .n_descs = n };

	if (d != NULL && p != NULL) {
		for (unsigned int t = 0; t < n; t++)
			fill_desc(a, (uint8_t)t, &d[t], &p[t]);
		a->tx.len = 0;
		/* 254 tables of 16 bytes: one message */
		if (sl_ofp_table14_encode(&r, &a->tx) == 0)
			sl_ofconn_send(ac->c, a->tx.data, a->tx.len, false);
	}
	free(d);
	free(p);
}

bool
agent_table14_message(struct agent_conn *ac, const uint8_t *raw, size_t len)
{
	struct sl_ofp_table14_msg m;
	struct sl_ofp_error err;

	if (!sl_ofp_is_table14(raw, len) || raw[1] != OFPT_MULTIPART_REQUEST)
		return false; /* a reply or table status sent the wrong way: the codec refuses it */
	if (sl_ofp_table14_decode(raw, len, &m, &err) != 0)
		agent_send_error(ac, raw, len, err.type, err.code);
	else if (m.flags & OFPMPF_REQ_MORE) /* the request has no body to continue */
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART);
	else
		reply_table_desc(ac, m.xid);
	sl_ofp_table14_free(&m);
	return true;
}

/* Set table @p t's thresholds (@p vac, or NULL: keep) and events. */
static void
table_set(struct agent_tables14 *v, uint8_t t, const struct sl_ofp_prop *vac, bool on)
{
	bool was = v->armed[t] != 0;

	if (vac != NULL) {
		v->down[t] = vac->u.vacancy.vacancy_down;
		v->up[t] = vac->u.vacancy.vacancy_up;
	}
	/* Enabling (again) arms VACANCY_DOWN, as Open vSwitch does: a table
	 * already below vacancy_down reports it at the next check. */
	if (on && (!was || vac != NULL))
		v->armed[t] = SL_OFPTR_VACANCY_DOWN;
	else if (!on)
		v->armed[t] = 0;
	v->n_on += (unsigned int)on - (unsigned int)was;
}

void
agent_table14_mod(struct agent_conn *ac, const struct sl_ofp_table_mod *tm,
		  const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;
	const struct sl_ofp_prop *vac = NULL;
	bool on = tm->config & OFPTC_VACANCY_EVENTS;

	/* validate left only one vacancy property, thresholds checked */
	for (uint32_t i = 0; i < tm->n_properties; i++)
		if (tm->properties[i].type == SL_OFPTMPT_VACANCY)
			vac = &tm->properties[i];
	if (a->t14 == NULL && !on && vac == NULL)
		return; /* events off everywhere already; nothing to store */
	if (a->t14 == NULL && (a->t14 = calloc(1, sizeof(*a->t14))) == NULL) {
		agent_send_error(ac, raw, len, OFPET_TABLE_MOD_FAILED, OFPTMFC_EPERM);
		return;
	}
	if (tm->table_id == OFPTT_ALL) {
		for (unsigned int t = 0; t < a->cfg.n_tables; t++)
			table_set(a->t14, (uint8_t)t, vac, on);
	} else {
		table_set(a->t14, tm->table_id, vac, on);
	}
	agent_table14_check(a);
}

struct status_ctx {
	const uint8_t *msg; /* encoded once per version */
	size_t len;
	uint8_t version, reason;
};

static void
status_one(struct sl_ofconn *c, void *arg)
{
	const struct status_ctx *x = arg;
	struct agent_conn *ac = sl_ofconn_get_priv(c);

	if (ac != NULL && ac->version == x->version &&
	    agent_async_wanted(ac, OFPT_TABLE_STATUS, x->reason) &&
	    sl_ofconn_send(c, x->msg, x->len, true) == 0)
		ac->a->st.table_status_sent++;
}

/* OFPT_TABLE_STATUS for table @p t to every session that wants @p reason. */
static void
send_status(struct sl_agent *a, uint8_t t, uint8_t reason)
{
	static const uint8_t versions[] = { OFP14_VERSION, OFP15_VERSION };
	struct sl_ofp_table_desc d;
	struct sl_ofp_prop p;

	fill_desc(a, t, &d, &p);
	for (unsigned int i = 0; i < sizeof(versions); i++) {
		struct sl_ofp_table14_msg m = { .version = versions[i], .type = OFPT_TABLE_STATUS,
						.reason = reason, .descs = &d, .n_descs = 1 };
		a->tx.len = 0;
		if (sl_ofp_table14_encode(&m, &a->tx) != 0)
			continue;
		struct status_ctx x = { .msg = a->tx.data, .len = a->tx.len,
					.version = versions[i], .reason = reason };
		sl_ofconn_mgr_foreach(a->mgr, status_one, &x);
	}
}

void
agent_table14_check(struct sl_agent *a)
{
	struct agent_tables14 *v = a->t14;

	if (v == NULL || v->n_on == 0)
		return;
	for (unsigned int t = 0; t < a->cfg.n_tables; t++) {
		if (!v->armed[t])
			continue;
		uint8_t vac = vacancy_of(a, (uint8_t)t);
		uint8_t ev = vac < v->down[t] ? SL_OFPTR_VACANCY_DOWN
			   : vac > v->up[t] ? SL_OFPTR_VACANCY_UP : 0;
		/* 7.4.5: after a DOWN, only an UP (and vice versa) */
		if (ev == 0 || ev != v->armed[t])
			continue;
		v->armed[t] = ev == SL_OFPTR_VACANCY_DOWN ? SL_OFPTR_VACANCY_UP
							  : SL_OFPTR_VACANCY_DOWN;
		send_status(a, (uint8_t)t, ev);
	}
}
