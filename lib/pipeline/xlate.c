/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Translation (see sl_xlate.h).
 *
 * Megaflow mask discipline: every decision taken from the packet key ORs the
 * key bits it looked at into out->mask, except bits whose current value was
 * written by an earlier action ("written"): those are constants of the action
 * list, which is itself determined by bits already in the mask. Actions that
 * move bits between fields (push/pop VLAN, push MPLS) first consult their
 * source fields fully, after which their destinations count as written.
 */
#include <math.h>
#include <stdio.h>

#include "sl_mac_learning.h"
#include "xlate_private.h"

/* ------------------------------------------------------------ groups ---- */

static bool xgroup_live(struct xctx *x, uint32_t id, unsigned int depth);

static bool
xbucket_live(struct xctx *x, const struct sl_bucket *b, unsigned int depth)
{
	if (b->watch_port != OFPP_ANY) {
		add_watch(x->out->watch_ports, &x->out->n_watch_ports, b->watch_port);
		if (!sl_pipeline_port_live(x->pl, b->watch_port))
			return false;
	}
	if (b->watch_group != OFPG_ANY) {
		add_watch(x->out->watch_groups, &x->out->n_watch_groups, b->watch_group);
		if (!xgroup_live(x, b->watch_group, depth + 1))
			return false;
	}
	return true;
}

/* Worked out once per (group, depth) in a translation: walking every path
 * of a watch graph is exponential (group.c, Liveness). A graph too large
 * for the memo makes the translation fail (a counted drop) rather than run
 * long or guess. */
static bool
xgroup_live(struct xctx *x, uint32_t id, unsigned int depth)
{
	const struct sl_group *g = sl_pipeline_group_at(x->pl, id, x->cls_version);
	int known = pl_live_memo_get(&x->live, id, depth);
	bool live = false;

	if (known >= 0)
		return known;
	if (g == NULL || depth > SL_XLATE_MAX_GROUP_DEPTH || x->live.overflow)
		return false;
	for (uint16_t i = 0; i < g->n_buckets && !live; i++)
		live = xbucket_live(x, &g->buckets[i], depth);
	pl_live_memo_put(&x->live, id, depth, live);
	if (x->live.overflow) {
		x->error = SL_XLATE_GROUP_DEPTH;
		return false;
	}
	return live;
}

/* Run one bucket on a copy of the packet (CLONE), then restore the packet state. */
static void
run_bucket(struct xctx *x, const struct sl_group *g, uint16_t b)
{
	if (x->out->n_buckets >= SL_XLATE_MAX_BUCKETS) {
		x->error = SL_XLATE_TOO_MANY_HITS;
		return;
	}
	if (XL_TRACING(x))
		xl_trace_step(x, SL_TRACE_BUCKET, 0, NULL, g, b);
	x->out->buckets[x->out->n_buckets].group = g;
	x->out->buckets[x->out->n_buckets].bucket = b;
	x->out->n_buckets++;
	uint16_t at = x->out->n_actions;
	if (emit(x, SL_EXEC_CLONE) == NULL)
		return;
	struct sl_flow_key key = x->key, written = x->written;
	struct xframe fr = x->fr;
	x->fr.kind = XF_LIST; /* a recirculation inside ends with the bucket */
	xl_run_actions(x, g->buckets[b].actions, g->buckets[b].n_actions);
	x->fr = fr;
	x->frozen = false;
	x->key = key;
	x->written = written;
	if (x->error)
		return;
	uint16_t n = (uint16_t)(x->out->n_actions - at - 1);
	if (n == 0)
		x->out->n_actions = at; /* an empty clone is a no-op */
	else
		x->out->actions[at].clone.n = n;
}

/* Weighted rendezvous hashing over the live buckets with weight > 0: a bucket
 * going down (or up) moves only the flows that pick (or would pick) it. */
static int
select_bucket(struct xctx *x, const struct sl_group *g)
{
	int only = -1, n_live = 0;
	bool live[g->n_buckets ? g->n_buckets : 1];
	for (uint16_t i = 0; i < g->n_buckets; i++) {
		live[i] = g->buckets[i].weight && xbucket_live(x, &g->buckets[i], x->group_depth);
		if (live[i] && n_live++ == 0)
			only = i;
	}
	if (n_live <= 1)
		return only; /* zero or one live bucket: no need to look at the packet */
	const struct sl_flow_key *sm = xl_select_mask(&x->key);
	consult(x, sm);
	uint32_t h = sl_select_hash(&x->key, g->group_id);
	int best = -1;
	double best_score = -1.0;
	for (uint16_t i = 0; i < g->n_buckets; i++) {
		if (!live[i])
			continue;
		double s = sl_select_score(h, i, g->buckets[i].weight);
		if (s > best_score) { /* ties: the lowest index wins */
			best_score = s;
			best = i;
		}
	}
	return best;
}

static void
do_group(struct xctx *x, uint32_t id)
{
	const struct sl_group *g = sl_pipeline_group_at(x->pl, id, x->cls_version);
	if (g == NULL)
		return; /* deleted under us: its rules are being removed too */
	if (++x->group_depth > SL_XLATE_MAX_GROUP_DEPTH) {
		x->error = SL_XLATE_GROUP_DEPTH;
		return;
	}
	switch (g->type) {
	case OFPGT_ALL:
		for (uint16_t i = 0; i < g->n_buckets && !x->error; i++)
			run_bucket(x, g, i);
		break;
	case OFPGT_INDIRECT:
		if (g->n_buckets)
			run_bucket(x, g, 0);
		break;
	case OFPGT_SELECT: {
		int b = select_bucket(x, g);
		if (b >= 0)
			run_bucket(x, g, (uint16_t)b);
		else if (XL_TRACING(x))
			xl_trace_step(x, SL_TRACE_BUCKET, 0, NULL, g, -1);
		break;
	}
	case OFPGT_FF: {
		uint16_t i = 0;

		while (i < g->n_buckets && !xbucket_live(x, &g->buckets[i], x->group_depth))
			i++;
		if (i < g->n_buckets)
			run_bucket(x, g, i);
		else if (XL_TRACING(x))
			xl_trace_step(x, SL_TRACE_BUCKET, 0, NULL, g, -1);
		break;
	}
	}
	x->group_depth--;
}

/* ------------------------------------------------------- action list ---- */

static void
run_action(struct xctx *x, const struct sl_action *a)
{
	switch (a->type) {
	case OFPAT_OUTPUT:
		xl_output(x, a->output.port, a->output.max_len);
		break;
	case OFPAT_GROUP:
		do_group(x, a->group_id);
		break;
	case OFPAT_SET_FIELD:
		xl_set_field(x, a);
		break;
	case OFPAT_COPY_FIELD:
		xl_copy_field(x, a);
		break;
	case OFPAT_PUSH_VLAN:
		xl_push_vlan(x, a->ethertype);
		break;
	case OFPAT_POP_VLAN:
		xl_pop_vlan(x);
		break;
	case OFPAT_PUSH_MPLS:
		xl_push_mpls(x, a->ethertype);
		break;
	case OFPAT_POP_MPLS:
		xl_pop_mpls(x, a->ethertype);
		break;
	case OFPAT_PUSH_PBB:
		xl_push_pbb(x, a->ethertype);
		break;
	case OFPAT_POP_PBB:
		xl_pop_pbb(x);
		break;
	case OFPAT_DEC_NW_TTL:
		if (is_ip(x))
			xl_emit_ttl(x, SL_EXEC_DEC_NW_TTL, 0);
		break;
	case OFPAT_SET_NW_TTL:
		if (is_ip(x))
			xl_emit_ttl(x, SL_EXEC_SET_NW_TTL, a->ttl);
		break;
	case OFPAT_DEC_MPLS_TTL:
		if (is_mpls(x))
			xl_emit_ttl(x, SL_EXEC_DEC_MPLS_TTL, 0);
		break;
	case OFPAT_SET_MPLS_TTL:
		if (is_mpls(x))
			xl_emit_ttl(x, SL_EXEC_SET_MPLS_TTL, a->ttl);
		break;
	case OFPAT_COPY_TTL_OUT:
		if (is_mpls(x))
			xl_emit_ttl(x, SL_EXEC_COPY_TTL_OUT, 0);
		break;
	case OFPAT_COPY_TTL_IN:
		if (is_mpls(x))
			xl_emit_ttl(x, SL_EXEC_COPY_TTL_IN, 0);
		break;
	case OFPAT_SET_QUEUE: {
		struct sl_exec_action *d = emit(x, SL_EXEC_SET_QUEUE);
		if (d)
			d->queue_id = a->queue_id;
		break;
	}
	default:
		break;
	}
}

void
xl_run_actions(struct xctx *x, const struct sl_action *acts, unsigned int n)
{
	for (unsigned int i = 0; i < n && !x->error && !x->frozen; i++) {
		x->fr.acts = acts;
		x->fr.n = n;
		x->fr.i = i;
		run_action(x, &acts[i]);
	}
}

int
xl_aset_slot_of(uint16_t type)
{
	switch (type) {
	case OFPAT_COPY_TTL_IN: return AS_COPY_TTL_IN;
	case OFPAT_POP_VLAN: return AS_POP_VLAN;
	case OFPAT_POP_PBB: return AS_POP_PBB;
	case OFPAT_POP_MPLS: return AS_POP_MPLS;
	case OFPAT_PUSH_MPLS: return AS_PUSH_MPLS;
	case OFPAT_PUSH_PBB: return AS_PUSH_PBB;
	case OFPAT_PUSH_VLAN: return AS_PUSH_VLAN;
	case OFPAT_COPY_TTL_OUT: return AS_COPY_TTL_OUT;
	case OFPAT_DEC_MPLS_TTL: return AS_DEC_MPLS_TTL;
	case OFPAT_DEC_NW_TTL: return AS_DEC_NW_TTL;
	case OFPAT_SET_MPLS_TTL: return AS_SET_MPLS_TTL;
	case OFPAT_SET_NW_TTL: return AS_SET_NW_TTL;
	case OFPAT_SET_QUEUE: return AS_SET_QUEUE;
	case OFPAT_GROUP: return AS_GROUP;
	case OFPAT_OUTPUT: return AS_OUTPUT;
	default: return -1;
	}
}

void
xl_aset_write(struct action_set *as, const struct sl_action *acts, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct sl_action *a = &acts[i];
		if (a->type == OFPAT_SET_FIELD) {
			if (a->set_field.field < SL_OXM_N_FIELDS) {
				as->sf[a->set_field.field] = *a;
				as->sf_present |= 1ull << a->set_field.field;
			}
			continue;
		}
		int s = xl_aset_slot_of(a->type);
		if (s >= 0) {
			as->slot[s] = *a;
			as->present |= 1u << s;
		}
	}
}

/* Tell a trace what the action set is about to run, in the order below
 * (out of line: the untraced translation keeps its small frame). */
static void __attribute__((noinline))
trace_aset(struct xctx *x)
{
	const struct action_set *as = &x->aset;
	struct sl_action acts[AS_N + SL_OXM_N_FIELDS];
	unsigned int n = 0;

	for (int s = 0; s < AS_N; s++) {
		if (s == AS_SET_FIELD) {
			for (unsigned int f = 0; f < SL_OXM_N_FIELDS; f++)
				if (as->sf_present & (1ull << f))
					acts[n++] = as->sf[f];
		} else if (as->present & (1u << s)) {
			if (s == AS_OUTPUT && (as->present & (1u << AS_GROUP)))
				break;
			acts[n++] = as->slot[s];
		}
	}
	xl_trace(x, &(struct sl_xlate_trace_event){ .kind = SL_TRACE_ACTION_SET, .acts = acts,
						    .n_acts = n });
}

/* Execute the action set in the OF1.3 order (5.10). */
void
xl_aset_execute(struct xctx *x)
{
	struct action_set *as = &x->aset;
	if (XL_TRACING(x) && (as->present || as->sf_present))
		trace_aset(x);
	x->fr.kind = XF_ASET;
	for (int s = 0; s < AS_N && !x->error && !x->frozen; s++) {
		x->fr.aset_slot = (uint8_t)s;
		if (s == AS_SET_FIELD) {
			for (unsigned int f = 0; f < SL_OXM_N_FIELDS && !x->error; f++)
				if (as->sf_present & (1ull << f))
					xl_set_field(x, &as->sf[f]);
			continue;
		}
		if (!(as->present & (1u << s)))
			continue;
		if (s == AS_OUTPUT && (as->present & (1u << AS_GROUP)))
			break; /* a group in the action set overrides output */
		run_action(x, &as->slot[s]);
	}
	x->fr.kind = XF_LIST;
	as->present = 0;
	as->sf_present = 0;
}

/* ------------------------------------------------------------ tables ---- */

static void
record_rule(struct xctx *x, const struct sl_rule *r)
{
	if (x->out->n_rules < SL_XLATE_MAX_RULES)
		x->out->rules[x->out->n_rules++] = (struct sl_rule *)r;
	else
		x->error = SL_XLATE_TOO_MANY_HITS;
}

bool
xl_apply_post(struct xctx *x, const struct xpost *p)
{
	if (p->clear) {
		x->aset.present = 0;
		x->aset.sf_present = 0;
	}
	if (p->has_write)
		xl_aset_write(&x->aset, p->write, p->n_write);
	if (p->has_wmd) {
		uint64_t md = rte_be_to_cpu_64(x->key.metadata);
		md = (md & ~p->md_mask) | (p->md & p->md_mask);
		x->key.metadata = rte_cpu_to_be_64(md);
		x->written.metadata |= rte_cpu_to_be_64(p->md_mask);
	}
	return p->has_goto;
}

static void
post_of(struct xpost *p, const struct sl_instructions *ins, uint8_t table_id)
{
	p->clear = ins->clear_actions;
	p->has_write = ins->has_write;
	p->n_write = ins->n_write;
	p->write = ins->write;
	p->has_wmd = ins->has_write_metadata;
	p->md = ins->metadata;
	p->md_mask = ins->metadata_mask;
	p->has_goto = ins->has_goto && ins->goto_table > table_id && ins->goto_table < SL_N_TABLES;
	p->goto_table = ins->goto_table;
}

static void
run_tables(struct xctx *x, uint8_t table_id)
{
	struct sl_pipeline *pl = (struct sl_pipeline *)x->pl; /* counters only */
	if (table_id == 0 && sl_pipeline_fail_open_mode(x->pl) == SL_FAIL_OPEN_OVERRIDE) {
		if (XL_TRACING(x))
			xl_trace_step(x, SL_TRACE_FAIL_OPEN, 0, NULL, NULL, 0);
		xl_normal(x); /* above every rule: the tables are not consulted */
		return;
	}
	for (;;) {
		struct sl_table *t = &pl->tables[table_id];
		if (x->out->n_tables >= SL_XLATE_MAX_RULES) {
			x->error = SL_XLATE_TOO_MANY_HITS;
			return;
		}
		x->out->tables[x->out->n_tables++] = table_id;
		if (x->out->key_pure && xl_key_written(x))
			x->out->key_pure = 0;
		xl_sync_actset_output(x);
		struct sl_flow_key wc;
		memset(&wc, 0, sizeof(wc));
		const struct sl_cls_rule *cr = sl_cls_lookup_at(&t->cls, &x->key, &wc,
								x->cls_version);
		consult(x, &wc);
		if (!x->uncounted)
			__atomic_fetch_add(&t->n_lookups, 1, __ATOMIC_RELAXED);
		if (XL_TRACING(x))
			xl_trace_step(x, SL_TRACE_TABLE, table_id, (const struct sl_rule *)cr,
				      NULL, 0);
		if (cr == NULL) {
			/* Fail mode standalone: a hidden table-miss entry runs NORMAL. */
			if (table_id == 0 && sl_pipeline_fail_open(x->pl)) {
				if (XL_TRACING(x))
					xl_trace_step(x, SL_TRACE_FAIL_OPEN, 0, NULL, NULL, 0);
				xl_normal(x);
			}
			return; /* table miss without a miss entry: drop, discard the action set */
		}
		if (!x->uncounted)
			__atomic_fetch_add(&t->n_matched, 1, __ATOMIC_RELAXED);
		const struct sl_rule *r = (const struct sl_rule *)cr;
		record_rule(x, r);
		const struct sl_instructions *ins = pl_rule_ins_at(r, x->cls_version, &x->cookie);
		x->table_id = table_id;
		x->miss_rule = r->is_table_miss;
		if (ins->has_meter) {
			struct sl_exec_action *m = emit(x, SL_EXEC_METER);
			if (m)
				m->meter_id = ins->meter_id;
		}
		struct xpost post;
		post_of(&post, ins, table_id);
		x->fr.kind = XF_APPLY;
		x->fr.post = &post;
		xl_run_actions(x, ins->apply, ins->n_apply);
		if (x->error || x->frozen)
			return;
		if (!xl_apply_post(x, &post))
			break;
		table_id = post.goto_table;
	}
	xl_aset_execute(x);
}

void
xl_run_tables(struct xctx *x, uint8_t table_id)
{
	struct xframe fr = x->fr;
	run_tables(x, table_id);
	x->fr = fr;
}

static void
xctx_init(struct xctx *x, const struct sl_pipeline *pl, const struct sl_flow_key *key,
	  struct sl_xlate_result *out, uint64_t at_version)
{
	x->pl = pl;
	x->out = out;
	x->key = *key;
	memset(&x->written, 0, sizeof(x->written));
	/* Metadata is pipeline state that starts at 0 for every packet, never packet
	 * bits: matching on it must not narrow megaflows. */
	x->key.metadata = 0;
	x->written.metadata = UINT64_MAX;
	/* actset_output likewise (xl_sync_actset_output: why never a mask bit) */
	x->written.actset_output = UINT32_MAX;
	x->aset.present = 0;
	x->aset.sf_present = 0;
	x->uncounted = false;
	x->table_id = 0;
	x->cookie = UINT64_MAX;
	x->miss_rule = false;
	x->group_depth = 0;
	x->live.n = 0;
	x->live.overflow = false;
	x->error = 0;
	memset(&x->fr, 0, sizeof(x->fr));
	x->frozen = false;
	x->no_freeze = 0;
	x->trace = NULL;
	out->n_actions = out->n_rules = out->n_buckets = 0;
	out->n_watch_ports = out->n_watch_groups = 0;
	out->n_tables = 0;
	out->error = 0;
	out->n_learn = 0;
	out->uses_mac = 0;
	out->key_pure = key->recirc_id == 0;
	out->recirc = key->recirc_id != 0;
	/* The tables version first, then the rule version that goes with it
	 * (pl_cls_version_at): one tagged with the old tables version sees the
	 * old rules, one with the new the new, never a mix. A caller that read
	 * an older tables version for its whole burst (at_version) gets that
	 * one's rules, so that the burst is of one version (port configuration
	 * staged by a bundle switches with it: sl_port_config()). */
	out->version = sl_pipeline_version(pl);
	x->cls_version = pl_cls_version_at(pl, at_version && at_version < out->version ?
						       at_version : out->version);
	memset(&out->mask, 0, sizeof(out->mask));
	/* Every megaflow matches recirc_id exactly: a first-pass entry must not
	 * catch a recirculated packet and the other way round. */
	out->mask.recirc_id = UINT32_MAX; /* never written by actions: no consult() needed */
}

static int
finish(struct xctx *x)
{
	if (x->error) {
		x->out->n_actions = 0; /* a partial list could forward wrongly: drop */
		x->out->error = (uint8_t)x->error;
	}
	return x->error;
}

static int
xlate_key(const struct sl_pipeline *pl, const struct sl_flow_key *key,
	  struct sl_xlate_result *out, bool uncounted, const struct xtrace *trace,
	  uint64_t at_version)
{
	struct xctx x;

	/* Never from half a transaction, and never waiting for one: every
	 * lookup is at the rule version read once in xctx_init (txn.c). */
	xctx_init(&x, pl, key, out, at_version);
	x.uncounted = uncounted;
	x.trace = trace;
	if (key->recirc_id)
		xl_resume(&x, key->recirc_id);
	else
		xl_run_tables(&x, 0);
	return finish(&x);
}

int
sl_xlate(const struct sl_pipeline *pl, const struct sl_flow_key *key, struct sl_xlate_result *out)
{
	return xlate_key(pl, key, out, false, NULL, 0);
}

int
sl_xlate_at(const struct sl_pipeline *pl, const struct sl_flow_key *key,
	    struct sl_xlate_result *out, uint64_t at_version)
{
	return xlate_key(pl, key, out, false, NULL, at_version);
}

int
sl_xlate_uncounted(const struct sl_pipeline *pl, const struct sl_flow_key *key,
		   struct sl_xlate_result *out)
{
	return xlate_key(pl, key, out, true, NULL, 0);
}

int
sl_xlate_trace(const struct sl_pipeline *pl, const struct sl_flow_key *key,
	       struct sl_xlate_result *out, sl_xlate_trace_fn fn, void *ctx)
{
	const struct xtrace t = { .fn = fn, .ctx = ctx };

	/* uncounted: a trace is not traffic (sl_xlate_trace.h) */
	return xlate_key(pl, key, out, true, &t, 0);
}

void
xl_trace(struct xctx *x, struct sl_xlate_trace_event *ev)
{
	ev->key = &x->key;
	ev->depth = (uint8_t)x->group_depth;
	x->trace->fn(x->trace->ctx, ev);
}

void
xl_trace_step(struct xctx *x, uint8_t kind, uint8_t table_id, const struct sl_rule *rule,
	      const struct sl_group *group, int bucket)
{
	struct sl_xlate_trace_event ev = { .kind = kind, .table_id = table_id, .rule = rule,
					   .group = group, .bucket = (int16_t)bucket };

	xl_trace(x, &ev);
}

int
sl_xlate_actions(const struct sl_pipeline *pl, const struct sl_flow_key *key,
		 const struct sl_action *acts, unsigned int n, struct sl_xlate_result *out)
{
	struct xctx x;
	xctx_init(&x, pl, key, out, 0);
	x.table_id = 0xff;
	xl_run_actions(&x, acts, n);
	return finish(&x);
}

void
sl_xlate_credit(const struct sl_xlate_result *r, uint64_t packets, uint64_t bytes, uint64_t now_ns)
{
	for (unsigned int i = 0; i < r->n_rules; i++)
		sl_rule_credit(r->rules[i], packets, bytes, now_ns);
	sl_pipeline_credit_buckets(r->buckets, r->n_buckets, packets, bytes);
}

void
sl_pipeline_credit_buckets(const struct sl_xlate_bucket *buckets, unsigned int n,
			   uint64_t packets, uint64_t bytes)
{
	for (unsigned int i = 0; i < n; i++) {
		/* Groups are immutable except for their counters. */
		struct sl_group *g = (struct sl_group *)buckets[i].group;
		struct sl_bucket *b = &g->buckets[buckets[i].bucket];
		__atomic_fetch_add(&b->n_packets, packets, __ATOMIC_RELAXED);
		__atomic_fetch_add(&b->n_bytes, bytes, __ATOMIC_RELAXED);
		/* The group counts a packet once, however many of its buckets ran. */
		bool first = true;
		for (unsigned int j = 0; j < i && first; j++)
			first = buckets[j].group != buckets[i].group;
		if (first) {
			__atomic_fetch_add(&g->stats->n_packets, packets, __ATOMIC_RELAXED);
			__atomic_fetch_add(&g->stats->n_bytes, bytes, __ATOMIC_RELAXED);
		}
	}
}

void
sl_xlate_credit_tables(const struct sl_pipeline *pl, const struct sl_xlate_result *r,
		       uint64_t packets)
{
	sl_pipeline_credit_tables(pl, r->tables, r->n_tables, r->n_rules, packets);
}

void
sl_pipeline_credit_tables(const struct sl_pipeline *pl, const uint8_t *tables,
			  unsigned int n_tables, unsigned int n_matched, uint64_t packets)
{
	struct sl_pipeline *p = (struct sl_pipeline *)pl; /* counters only */

	for (unsigned int i = 0; i < n_tables; i++) {
		struct sl_table *t = &p->tables[tables[i]];

		__atomic_fetch_add(&t->n_lookups, packets, __ATOMIC_RELAXED);
		if (i < n_matched)
			__atomic_fetch_add(&t->n_matched, packets, __ATOMIC_RELAXED);
	}
}

static const char *const dp_names[] = {
	[SL_EXEC_OUTPUT] = "output", [SL_EXEC_CONTROLLER] = "controller", [SL_EXEC_CLONE] = "clone",
	[SL_EXEC_SET_FIELD] = "set_field", [SL_EXEC_PUSH_VLAN] = "push_vlan",
	[SL_EXEC_POP_VLAN] = "pop_vlan", [SL_EXEC_PUSH_MPLS] = "push_mpls",
	[SL_EXEC_POP_MPLS] = "pop_mpls", [SL_EXEC_PUSH_PBB] = "push_pbb", [SL_EXEC_POP_PBB] = "pop_pbb",
	[SL_EXEC_DEC_NW_TTL] = "dec_ttl", [SL_EXEC_SET_NW_TTL] = "set_nw_ttl",
	[SL_EXEC_DEC_MPLS_TTL] = "dec_mpls_ttl", [SL_EXEC_SET_MPLS_TTL] = "set_mpls_ttl",
	[SL_EXEC_COPY_TTL_OUT] = "copy_ttl_out", [SL_EXEC_COPY_TTL_IN] = "copy_ttl_in",
	[SL_EXEC_SET_QUEUE] = "set_queue", [SL_EXEC_METER] = "meter", [SL_EXEC_RECIRC] = "recirc",
};

int
sl_xlate_format(const struct sl_xlate_result *r, char *buf, unsigned int size)
{
	unsigned int n = 0;
	if (size)
		buf[0] = '\0';
	if (r->n_actions == 0)
		return snprintf(buf, size, "drop");
	for (unsigned int i = 0; i < r->n_actions; i++) {
		const struct sl_exec_action *a = &r->actions[i];
		const char *name = a->type < sizeof(dp_names) / sizeof(dp_names[0]) && dp_names[a->type]
					   ? dp_names[a->type] : "?";
		int w;
		switch (a->type) {
		case SL_EXEC_OUTPUT:
			w = snprintf(buf + n, n < size ? size - n : 0, "%s%s:%u", i ? "," : "", name,
				     a->output.port);
			break;
		case SL_EXEC_SET_FIELD:
			w = snprintf(buf + n, n < size ? size - n : 0, "%s%s(%s)", i ? "," : "", name,
				     sl_field_by_oxm(a->set_field.field)->name);
			break;
		case SL_EXEC_CLONE:
			w = snprintf(buf + n, n < size ? size - n : 0, "%s%s(%u)", i ? "," : "", name,
				     a->clone.n);
			break;
		case SL_EXEC_METER:
		case SL_EXEC_RECIRC: /* meter_id and recirc_id share the union slot */
			w = snprintf(buf + n, n < size ? size - n : 0, "%s%s:%u", i ? "," : "", name,
				     a->meter_id);
			break;
		default:
			w = snprintf(buf + n, n < size ? size - n : 0, "%s%s", i ? "," : "", name);
		}
		n += w > 0 ? (unsigned int)w : 0;
	}
	return (int)n;
}
