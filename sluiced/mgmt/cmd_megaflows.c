/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `dump-megaflows [--worker LCORE] [--limit N]`: each worker's megaflow
 * cache, an entry a line, as `ovs-appctl dpctl/dump-flows` shows datapath
 * flows: the key under the entry's mask as ovs-ofctl match fields, the
 * counters, the time since its last packet, the datapath actions, and the
 * rules that made it ("table0:prio100:cookie0x1").
 *
 * The cache is the worker's alone (no locks: entries are rewritten,
 * subtables and actions handles freed under a reader), so the control lcore
 * does not read it: it asks the worker for a copy (snapshot; why not shared
 * reads: lib/megaflow/megaflow.c, dumps). The worker copies a slice of
 * DUMP_SLICE entries between two iterations, checking once in 64
 * (sl_fastpath_begin), and this command waits at most DUMP_BUDGET_MS for
 * all slices of all workers: the control loop also carries packet-ins and
 * misses, and must not stall longer. A worker that does not answer in time
 * gets its request taken back and the answer says so.
 *
 * Rules are found by the counter slots the entry credits (sl_rule.stats_idx):
 * a slot names one live rule while the tables are at the entry's version
 * (a removed rule bumps the version, its slot is reused only after two
 * grace periods); an entry built at an older version shows "stale".
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_datapath.h"
#include "sl_fastpath.h"
#include "sl_format.h"
#include "sl_mgmt_cmds.h"
#include "sl_worker.h"

#define DUMP_SLICE 256u          /* entries a worker copies per request */
#define DUMP_BUDGET_MS 100u      /* the longest the control loop waits */
#define DUMP_LIMIT_DEFAULT 10000u /* entries shown per worker */

struct rule_slot {
	uint32_t idx;
	const struct sl_rule *r;
};

struct dump {
	struct sl_out *out;
	const struct sl_pipeline *pl;
	uint64_t version;              /* the tables', constant while we run */
	struct rule_slot *slots;       /* every rule by counter slot, sorted */
	size_t n_slots;
	bool have_slots;
	struct sl_megaflow_dump req;
	uint64_t deadline_ns;
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Post the request and wait for the worker to answer it. False: no answer
 * before the deadline (the request is taken back: nobody writes into it). */
static bool
ask_worker(struct sl_fastpath *fp, struct dump *d)
{
	const struct timespec nap = { 0, 20000 };

	if (!sl_fastpath_dump_post(fp, &d->req))
		return false;
	while (!sl_megaflow_dump_done(&d->req)) {
		/* Taken already: the worker is copying, within its iteration. */
		if (mono_ns() > d->deadline_ns && sl_fastpath_dump_cancel(fp, &d->req))
			return false;
		nanosleep(&nap, NULL);
	}
	return true;
}

static int
cmp_slot(const void *a, const void *b)
{
	uint32_t x = ((const struct rule_slot *)a)->idx, y = ((const struct rule_slot *)b)->idx;

	return x < y ? -1 : x > y;
}

/* Every rule by its counter slot (the tables are the control lcore's). */
static void
build_slots(struct dump *d)
{
	size_t total = 0;

	d->have_slots = true;
	for (unsigned int t = 0; t < SL_N_TABLES; t++)
		total += sl_pipeline_table_count(d->pl, (uint8_t)t);
	if (total == 0 || (d->slots = malloc(total * sizeof(*d->slots))) == NULL)
		return;
	for (unsigned int t = 0; t < SL_N_TABLES; t++) {
		const struct sl_classifier *cls = sl_pipeline_table_cls(d->pl, (uint8_t)t);

		for (struct sl_cls_rule *cr = cls ? sl_cls_first(cls) : NULL; cr; cr = cr->all_next) {
			const struct sl_rule *r = (const struct sl_rule *)cr;

			if (r->stats_pool != NULL && d->n_slots < total)
				d->slots[d->n_slots++] = (struct rule_slot){ r->stats_idx, r };
		}
	}
	qsort(d->slots, d->n_slots, sizeof(*d->slots), cmp_slot);
}

static const struct sl_rule *
rule_of(struct dump *d, uint32_t idx)
{
	struct rule_slot key = { .idx = idx }, *s;

	if (!d->have_slots)
		build_slots(d);
	s = d->n_slots ? bsearch(&key, d->slots, d->n_slots, sizeof(*d->slots), cmp_slot) : NULL;
	return s ? s->r : NULL;
}

/* "table0:prio100:cookie0x1,table1:miss" */
static void
rules_text(struct dump *d, const struct sl_megaflow_dump_entry *e,
	   const struct sl_fastpath_dump_entry *x, char *buf, size_t size)
{
	unsigned int nr = x->n_rules < SL_FASTPATH_DUMP_RULES ? x->n_rules : SL_FASTPATH_DUMP_RULES;
	size_t n = 0;

	buf[0] = '\0';
	if (e->version != d->version) {
		snprintf(buf, size, "stale(version %" PRIu64 ", tables at %" PRIu64 ")", e->version,
			 d->version);
		return;
	}
	for (unsigned int i = 0; i < nr && n < size; i++) {
		const struct sl_rule *r = rule_of(d, x->stats_idx[i]);

		if (r)
			n += (size_t)snprintf(buf + n, size - n, "%stable%u:prio%u:cookie0x%" PRIx64,
					      i ? "," : "", x->tables[i], r->cr.priority, r->cookie);
		else
			n += (size_t)snprintf(buf + n, size - n, "%stable%u:?", i ? "," : "",
					      x->tables[i]);
	}
	if (x->n_tables > x->n_rules && x->n_tables <= SL_FASTPATH_DUMP_RULES && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%stable%u:miss", n ? "," : "",
				      x->tables[x->n_tables - 1]);
	if (x->n_rules > SL_FASTPATH_DUMP_RULES && n < size)
		n += (size_t)snprintf(buf + n, size - n, ",...");
	if (n == 0)
		snprintf(buf, size, "none");
}

static void
entry_out(struct dump *d, unsigned int lcore, const struct sl_megaflow_dump_entry *e,
	  const struct sl_fastpath_dump_entry *x)
{
	unsigned int na = x->n_actions < SL_FASTPATH_DUMP_ACTIONS ? x->n_actions
								   : SL_FASTPATH_DUMP_ACTIONS;
	const char *more = x->n_actions > na ? ",..." : "";
	char match[2048], acts[4096], rules[1024];
	struct sl_out *out = d->out;

	sl_format_match(&e->key, &e->mask, -1, match, sizeof(match));
	sl_format_dp_actions(x->acts, na, acts, sizeof(acts));
	rules_text(d, e, x, rules, sizeof(rules));
	if (sl_out_mode(out) != SL_OUT_JSON) {
		sl_out_line(out, "%s packets:%" PRIu64 " bytes:%" PRIu64 " used:%.3fs actions:%s%s "
			    "rules:%s", match, e->n_packets, e->n_bytes, (double)x->idle_ns / 1e9,
			    acts, more, rules);
		return;
	}
	sl_out_record(out);
	sl_out_u64(out, "lcore", lcore);
	sl_out_str(out, "match", "%s", match);
	sl_out_u64(out, "packets", e->n_packets);
	sl_out_u64(out, "bytes", e->n_bytes);
	sl_out_fixed(out, "used", (double)x->idle_ns / 1e9, 3);
	sl_out_str(out, "actions", "%s%s", acts, more);
	sl_out_str(out, "rules", "%s", rules);
}

/* One worker's entries, a slice at a time. -1: it did not answer in time. */
static int
dump_worker(struct dump *d, const struct sl_worker *w, uint32_t limit)
{
	struct sl_megaflow_stats st;
	uint32_t got = 0;
	bool text = sl_out_mode(d->out) != SL_OUT_JSON;

	sl_fastpath_megaflow_stats(w->fp, &st); /* the worker's counters, relaxed */
	if (text)
		sl_out_line(d->out, "lcore %u: megaflows: %u", w->lcore, st.n_entries);
	d->req.cursor = 0;
	do {
		d->req.max = limit - got < DUMP_SLICE ? limit - got : DUMP_SLICE;
		if (d->req.max == 0) {
			if (text)
				sl_out_line(d->out, "lcore %u: %u shown (--limit N for more)", w->lcore,
					    got);
			return 0;
		}
		if (!ask_worker(w->fp, d)) {
			sl_out_line(d->out, "lcore %u: no answer within %u ms: the rest not shown",
				    w->lcore, DUMP_BUDGET_MS);
			return -1;
		}
		for (uint32_t i = 0; i < d->req.n; i++)
			entry_out(d, w->lcore, &d->req.entries[i],
				  &((const struct sl_fastpath_dump_entry *)d->req.extra)[i]);
		got += d->req.n;
	} while (!d->req.end);
	return 0;
}

static int
parse_args(int argc, char **argv, long *lcore, uint32_t *limit)
{
	char *end;

	*lcore = -1;
	*limit = DUMP_LIMIT_DEFAULT;
	for (int i = 1; i < argc; i++) {
		unsigned long v;

		if (i + 1 >= argc || (strcmp(argv[i], "--worker") && strcmp(argv[i], "--limit")))
			return -1;
		v = strtoul(argv[i + 1], &end, 10);
		if (*argv[i + 1] == '\0' || *end || v > UINT32_MAX)
			return -1;
		if (strcmp(argv[i++], "--worker") == 0)
			*lcore = (long)v;
		else
			*limit = (uint32_t)v;
	}
	return 0;
}

int
sl_mgmt_cmd_dump_megaflows(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	const struct sl_datapath *dp = c->dp;
	struct dump d = { .out = out, .pl = dp->pipeline };
	uint32_t limit;
	long lcore;
	bool found = false;

	if (parse_args(argc, argv, &lcore, &limit) != 0)
		return sl_out_error(out, "usage: dump-megaflows [--worker LCORE] [--limit N]");
	if (d.pl == NULL)
		return sl_out_error(out, "no megaflow caches (static cross-connect)");
	d.version = sl_pipeline_version(d.pl);
	d.req.entries = malloc(DUMP_SLICE * sizeof(*d.req.entries));
	d.req.extra = malloc(DUMP_SLICE * sizeof(struct sl_fastpath_dump_entry));
	d.req.extra_size = sizeof(struct sl_fastpath_dump_entry);
	d.deadline_ns = mono_ns() + DUMP_BUDGET_MS * 1000000ull;
	if (d.req.entries == NULL || d.req.extra == NULL) {
		free(d.req.entries);
		free(d.req.extra);
		return sl_out_error(out, "out of memory");
	}
	if (sl_out_mode(out) == SL_OUT_JSON)
		sl_out_list(out, "megaflows");
	for (unsigned int i = 0; i < dp->n_workers; i++) {
		const struct sl_worker *w = dp->workers[i];

		if (w->fp == NULL || (lcore >= 0 && w->lcore != (unsigned long)lcore))
			continue;
		found = true;
		if (dump_worker(&d, w, limit) != 0)
			break;
	}
	free(d.req.entries);
	free(d.req.extra);
	free(d.slots);
	if (!found)
		return sl_out_error(out, "no worker on lcore %ld", lcore);
	return 0;
}
