/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The translation fuzzer's reference mode: test_xlate_diff's world generator
 * (test/pipeline/xlate_gen.c) with the input bytes as its random stream
 * (same shapes, so that the naive reference pipeline and datapath
 * interpreter of test/pipeline/xlate_ref.c apply), plus group-mods that try
 * to close loops. The comparisons are the
 * unit test's: events of the translated actions == the reference's, rules
 * hit in order, and megaflow transparency for packets agreeing under the
 * returned mask.
 */
#include <string.h>

#include <rte_byteorder.h>

#include "sl_flow_consts.h"
#include "xlate_fuzz.h"
#include "xlate_gen.h"

static struct world w;
static const struct fz_bounds ref_bounds = { MAX_ACTS, MAX_BUCKETS };

uint32_t
xg_rnd(uint32_t n)
{
	return rnd(n);
}

void
xg_check(bool ok, const char *what)
{
	if (!ok)
		fz_fail(what);
}

/* Does group @p from reach group @p to through actions and watches? */
static bool
reaches(uint32_t from, uint32_t to, int depth)
{
	const struct tr_group *g = &w.groups[from];

	if (from == to)
		return true;
	if (from > MAX_GROUPS || !g->live || depth > MAX_GROUPS + 1)
		return false;
	for (uint16_t b = 0; b < g->n_buckets; b++) {
		const struct sl_bucket *bk = &g->buckets[b];

		if (bk->watch_group != OFPG_ANY && reaches(bk->watch_group, to, depth + 1))
			return true;
		for (uint16_t a = 0; a < bk->n_actions; a++)
			if (bk->actions[a].type == OFPAT_GROUP &&
			    reaches(bk->actions[a].group_id, to, depth + 1))
				return true;
	}
	return false;
}

/* Point a bucket of group @p id at group @p to: refused with OFPGMFC_LOOP
 * exactly when @p to reaches @p id; otherwise the world follows the change. */
static void
try_group_edge(uint32_t id, uint32_t to)
{
	struct tr_group *g = &w.groups[id], ng;
	struct sl_action *a;
	bool loop = reaches(to, id, 0);
	int rc;

	if (!g->live || !w.groups[to].live || g->n_buckets == 0)
		return;
	ng = *g;
	for (uint16_t b = 0; b < ng.n_buckets; b++)
		ng.buckets[b].actions = ng.acts[b];
	uint16_t b = (uint16_t)rnd(ng.n_buckets);
	if (ng.buckets[b].n_actions < MAX_ACTS)
		ng.buckets[b].n_actions++;
	a = &ng.acts[b][ng.buckets[b].n_actions - 1];
	memset(a, 0, sizeof(*a));
	a->type = OFPAT_GROUP;
	a->group_id = to;
	rc = xg_group_mod(&w, &ng, OFPGC_MODIFY);
	fz_st.loops_refused += loop;
	if (loop && rc != SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_LOOP))
		fz_fail("a group-mod closing a loop is not refused with OFPGMFC_LOOP");
	if (!loop && rc != 0)
		fz_fail("a group-mod that closes no loop is refused");
	if (rc == 0) {
		*g = ng;
		for (uint16_t k = 0; k < g->n_buckets; k++)
			g->buckets[k].actions = g->acts[k];
	}
}

/* ------------------------------------------------------------ packets ---- */

/* Limits a legitimate world may hit (the result is then a counted drop). */
static bool
size_error(int rc)
{
	return rc == SL_XLATE_TOO_MANY_ACTIONS || rc == SL_XLATE_TOO_MANY_HITS ||
	       rc == SL_XLATE_GROUP_DEPTH;
}

static bool
check_packet(const struct pstate *pkt, struct sl_xlate_result *res)
{
	static struct evlog ref_log, dp_log;
	struct pstate st = *pkt;
	struct ref x;
	int rc = fz_translate(w.pl, &pkt->key, NULL, 0, res, &ref_bounds);

	if (rc != 0) {
		if (!size_error(rc))
			fz_fail("translation failed in a reference world");
		return false;
	}
	fz_check_again(w.pl, &pkt->key, res);
	ref_run(&w, pkt, &ref_log, &x);
	dp_log.n = 0;
	dp_log.overflow = false;
	dp_exec_pl = w.pl;
	dp_n_recirc_rules = dp_n_recircs = 0;
	dp_exec(res->actions, res->n_actions, &st, &dp_log);
	if (ref_log.overflow || dp_log.overflow || x.n_hit > 64)
		return false;
	if (!same_events(&ref_log, &dp_log))
		fz_fail("translated actions differ from the reference pipeline");
	if (res->n_rules + dp_n_recirc_rules != x.n_hit)
		fz_fail("rules hit differ from the reference pipeline");
	fz_st.compared++;
	for (unsigned int i = 0; i < x.n_hit; i++) {
		const struct sl_rule *r = i < res->n_rules ? res->rules[i]
							   : dp_recirc_rules[i - res->n_rules];
		if (r->cookie != x.hit[i])
			fz_fail("rules hit differ from the reference pipeline (order)");
	}
	return true;
}

/* Packets agreeing with @p pp under the megaflow mask behave the same. */
static void
check_transparency(const struct pstate *pp, const struct sl_xlate_result *rp)
{
	static struct sl_xlate_result rq;
	static struct evlog ref_log, dp_log;
	const struct sl_flow_key *p = &pp->key;

	for (int t = 0; t < 2; t++) {
		struct pstate qs, st;
		struct ref x;

		xg_random_packet(&qs);
		for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
			qs.key.w[i] = (p->w[i] & rp->mask.w[i]) | (qs.key.w[i] & ~rp->mask.w[i]);
		if (fz_translate(w.pl, &qs.key, NULL, 0, &rq, &ref_bounds) != 0)
			fz_fail("a packet inside a megaflow fails to translate");
		if (rq.n_actions != rp->n_actions || rq.n_rules != rp->n_rules ||
		    memcmp(rq.actions, rp->actions, rp->n_actions * sizeof(rp->actions[0])) != 0)
			fz_fail("megaflow not transparent: same masked bits, other actions");
		fz_st.transparent++;
		ref_run(&w, &qs, &ref_log, &x);
		st = qs;
		dp_log.n = 0;
		dp_log.overflow = false;
		dp_exec_pl = w.pl;
		dp_exec(rp->actions, rp->n_actions, &st, &dp_log);
		if (!ref_log.overflow && !dp_log.overflow && !same_events(&ref_log, &dp_log))
			fz_fail("megaflow not transparent: its actions misbehave on another packet");
	}
}

static void
packets(unsigned int n)
{
	static struct sl_xlate_result res;

	for (unsigned int i = 0; i < n; i++) {
		struct pstate pkt;

		xg_random_packet(&pkt);
		if (check_packet(&pkt, &res))
			check_transparency(&pkt, &res);
	}
}

/* After the groups: a few edges that try to close loops. */
static void
group_edges(struct world *world)
{
	(void)world; /* the static one */
	for (unsigned int i = 0; i < 3; i++)
		try_group_edge(1 + rnd(MAX_GROUPS), 1 + rnd(MAX_GROUPS));
}

void
fz_reference(void)
{
	if (!xg_build_world(&w, group_edges))
		fz_fail("no pipeline");
	packets(1 + rnd(12));
	for (unsigned int round = rnd(3); round > 0; round--) {
		xg_change_world(&w);
		try_group_edge(1 + rnd(MAX_GROUPS), 1 + rnd(MAX_GROUPS));
		packets(1 + rnd(8));
	}
	sl_pipeline_destroy(w.pl);
	w.pl = NULL;
}
