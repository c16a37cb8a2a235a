/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `dump-flows`, `dump-groups` and `dump-meters`: the OpenFlow tables as
 * `ovs-ofctl -O OpenFlow13` prints them (lib/pipeline/sl_format.h), so that
 * they read like OVS's and diff against ovs-ofctl's (test_sluicectl_flows.sh).
 * They run on the control lcore, which owns the tables: no rule, group or
 * meter changes or is freed while a command walks them. Counters are read
 * as the agent's flow-stats replies read them: after a grace period
 * (sl_datapath_sync), in which every worker credits its cache hits to their
 * rules, then sl_rule_get_counts() (sl_format_rule) and the group and meter
 * counters.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_datapath.h"
#include "sl_format.h"
#include "sl_meter.h"
#include "sl_mgmt_cmds.h"
#include "sl_pipeline.h"

#define LINE_MAX_START 16384u

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* the clock rules are created on (the agent's) */
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The words after the command as one comma-separated text: "table=0
 * in_port=1" and "table=0,in_port=1" say the same. */
static char *
join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[0] = '\0';
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strcat(s, ",");
		strcat(s, argv[i]);
	}
	return s;
}

/* A text that grows to fit what a formatter writes (a rule of 128 actions
 * is several KB; most are a line). */
struct text {
	char *buf;
	size_t size;
};

typedef int (*fmt_fn)(const void *obj, uint64_t arg, char *buf, size_t size);

static const char *
text_fmt(struct text *t, fmt_fn fn, const void *obj, uint64_t arg)
{
	int n = fn(obj, arg, t->buf, t->size);

	if (n >= 0 && (size_t)n >= t->size) {
		char *p = realloc(t->buf, (size_t)n + 1);

		if (p == NULL)
			return t->buf; /* cut, not lost */
		t->buf = p;
		t->size = (size_t)n + 1;
		fn(obj, arg, t->buf, t->size);
	}
	return t->buf;
}

static int
fmt_rule(const void *r, uint64_t now, char *buf, size_t size)
{
	return sl_format_rule(r, now, buf, size);
}

static int
fmt_rule_match(const void *r, uint64_t unused, char *buf, size_t size)
{
	const struct sl_rule *rule = r;

	(void)unused;
	return sl_format_match(&rule->cr.match.key, &rule->cr.match.mask, -1, buf, size);
}

static int
fmt_rule_ins(const void *r, uint64_t unused, char *buf, size_t size)
{
	(void)unused;
	return sl_format_instructions(((const struct sl_rule *)r)->ins, buf, size);
}

static int
fmt_group(const void *g, uint64_t unused, char *buf, size_t size)
{
	(void)unused;
	return sl_format_group(g, buf, size);
}

/* Tables in order, each by priority from the highest: a stable order to
 * read (ovs-ofctl prints the reply's order, which is the switch's). */
static int
cmp_rules(const void *a, const void *b)
{
	const struct sl_rule *x = *(const struct sl_rule *const *)a;
	const struct sl_rule *y = *(const struct sl_rule *const *)b;

	if (x->table_id != y->table_id)
		return x->table_id < y->table_id ? -1 : 1;
	if (x->cr.priority != y->cr.priority)
		return x->cr.priority > y->cr.priority ? -1 : 1;
	return x->cr.seq < y->cr.seq ? -1 : x->cr.seq > y->cr.seq;
}

/* The rules @f selects, sorted; NULL with *n == 0 when there are none. */
static const struct sl_rule **
select_rules(const struct sl_pipeline *pl, const struct sl_flow_filter *f, size_t *n)
{
	unsigned int t0 = f->table >= 0 ? (unsigned int)f->table : 0;
	unsigned int t1 = f->table >= 0 ? t0 + 1 : SL_N_TABLES;
	const struct sl_rule **v;
	size_t total = 0;

	*n = 0;
	for (unsigned int t = t0; t < t1; t++)
		total += sl_pipeline_table_count(pl, (uint8_t)t);
	if (total == 0 || (v = malloc(total * sizeof(*v))) == NULL)
		return NULL;
	for (unsigned int t = t0; t < t1; t++) {
		const struct sl_classifier *cls = sl_pipeline_table_cls(pl, (uint8_t)t);

		for (struct sl_cls_rule *cr = cls ? sl_cls_first(cls) : NULL; cr; cr = cr->all_next)
			if (*n < total && sl_flow_filter_matches(f, (const struct sl_rule *)cr))
				v[(*n)++] = (const struct sl_rule *)cr;
	}
	qsort(v, *n, sizeof(*v), cmp_rules);
	return v;
}

static void
flow_record(struct sl_out *out, const struct sl_rule *r, uint64_t now, struct text *t)
{
	struct sl_rule_counts c;

	sl_rule_get_counts(r, &c);
	sl_out_record(out);
	sl_out_u64(out, "table", r->table_id);
	sl_out_u64(out, "priority", r->cr.priority);
	sl_out_str(out, "cookie", "0x%" PRIx64, r->cookie);
	sl_out_str(out, "match", "%s", text_fmt(t, fmt_rule_match, r, 0));
	sl_out_str(out, "actions", "%s", text_fmt(t, fmt_rule_ins, r, 0));
	/* all ones where the rule keeps none, as the flow-stats reply */
	sl_out_u64(out, "packets", r->flags & OFPFF_NO_PKT_COUNTS ? UINT64_MAX : c.packets);
	sl_out_u64(out, "bytes", r->flags & OFPFF_NO_BYT_COUNTS ? UINT64_MAX : c.bytes);
	sl_out_fixed(out, "duration", now > r->created_ns ? (double)(now - r->created_ns) / 1e9 : 0,
		     3);
	sl_out_u64(out, "idle_timeout", r->idle_timeout);
	sl_out_u64(out, "hard_timeout", r->hard_timeout);
}

int
sl_mgmt_cmd_dump_flows(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	const struct sl_pipeline *pl = c->dp->pipeline;
	struct text t = { .buf = malloc(LINE_MAX_START), .size = LINE_MAX_START };
	const struct sl_rule **rules;
	struct sl_flow_filter f;
	char err[256], *args;
	uint64_t now;
	size_t n;

	if (pl == NULL || t.buf == NULL) {
		free(t.buf);
		return sl_out_error(out, "%s", pl ? "out of memory"
					       : "no OpenFlow tables (static cross-connect)");
	}
	args = join_args(argc, argv);
	if (args == NULL || sl_parse_flow_filter(args, &f, err, sizeof(err)) != 0) {
		free(args);
		free(t.buf);
		return sl_out_error(out, "dump-flows: %s", args ? err : "out of memory");
	}
	free(args);
	sl_datapath_sync(c->dp); /* the workers credit their cache hits first */
	rules = select_rules(pl, &f, &n);
	now = now_ns();
	if (sl_out_mode(out) == SL_OUT_JSON)
		sl_out_list(out, "flows");
	for (size_t i = 0; i < n; i++) {
		if (sl_out_mode(out) == SL_OUT_JSON)
			flow_record(out, rules[i], now, &t);
		else
			sl_out_line(out, "%s", text_fmt(&t, fmt_rule, rules[i], now));
	}
	free(rules);
	free(t.buf);
	return 0;
}

/* ----------------------------------------------------------- groups ---- */

static void
group_record(struct sl_out *out, const struct sl_group *g, struct text *t)
{
	static const char *const types[] = { "all", "select", "indirect", "ff" };
	const char *s = text_fmt(t, fmt_group, g, 0), *b = strstr(s, ",bucket=");

	sl_out_record(out);
	sl_out_u64(out, "group_id", g->group_id);
	sl_out_str(out, "type", "%s", g->type < 4 ? types[g->type] : "unknown");
	sl_out_str(out, "buckets", "%s", b ? b + 1 : "");
	sl_out_u64(out, "packets", __atomic_load_n(&g->stats->n_packets, __ATOMIC_RELAXED));
	sl_out_u64(out, "bytes", __atomic_load_n(&g->stats->n_bytes, __ATOMIC_RELAXED));
	sl_out_u64(out, "ref_count", g->stats->ref_count);
}

/* An optional id argument: @all when absent. */
static int
id_arg(int argc, char **argv, uint32_t all, uint32_t *id)
{
	char *end;
	unsigned long v;

	*id = all;
	if (argc < 2)
		return 0;
	v = strtoul(argv[1], &end, 0);
	if (*argv[1] == '\0' || *end != '\0' || v > UINT32_MAX)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

int
sl_mgmt_cmd_dump_groups(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	const struct sl_pipeline *pl = c->dp->pipeline;
	struct text t = { .buf = malloc(LINE_MAX_START), .size = LINE_MAX_START };
	uint32_t id, n, *ids;

	if (pl == NULL || t.buf == NULL) {
		free(t.buf);
		return sl_out_error(out, "%s", pl ? "out of memory"
					       : "no OpenFlow tables (static cross-connect)");
	}
	if (id_arg(argc, argv, OFPG_ALL, &id) != 0) {
		free(t.buf);
		return sl_out_error(out, "usage: dump-groups [GROUP_ID]");
	}
	sl_datapath_sync(c->dp); /* as the agent's group stats: bucket counters settle */
	n = sl_pipeline_group_ids(pl, NULL, 0);
	ids = malloc((n ? n : 1) * sizeof(*ids));
	n = ids ? sl_pipeline_group_ids(pl, ids, n) : 0;
	if (sl_out_mode(out) == SL_OUT_JSON)
		sl_out_list(out, "groups");
	for (uint32_t i = 0; i < n; i++) {
		const struct sl_group *g = sl_pipeline_group(pl, ids[i]);

		if (g == NULL || (id != OFPG_ALL && g->group_id != id))
			continue;
		if (sl_out_mode(out) == SL_OUT_JSON)
			group_record(out, g, &t);
		else
			sl_out_line(out, " %s", text_fmt(&t, fmt_group, g, 0));
	}
	free(ids);
	free(t.buf);
	return 0;
}

/* ----------------------------------------------------------- meters ---- */

static void
meter_out(struct sl_out *out, const struct sl_meter *m, uint64_t now, bool first)
{
	struct sl_meter_config mc;
	struct sl_meter_stats st;
	char buf[1024], *nl, *line;

	sl_meter_get_config(m, &mc);
	sl_format_meter(&mc, buf, sizeof(buf));
	if (sl_out_mode(out) != SL_OUT_JSON) {
		/* ovs-ofctl's lines: the meter, a band per line, a blank line
		 * between meters */
		if (!first)
			sl_out_line(out, "%s", "");
		for (line = buf; line; line = nl ? nl + 1 : NULL) {
			if ((nl = strchr(line, '\n')) != NULL)
				*nl = '\0';
			sl_out_line(out, "%s", line);
		}
		return;
	}
	sl_meter_get_stats(m, now, &st);
	nl = strstr(buf, " bands=");
	if (nl)
		*nl = '\0';
	for (char *p = nl ? nl + 7 : buf; (p = strchr(p, '\n')) != NULL;)
		*p = ';';
	sl_out_record(out);
	sl_out_u64(out, "meter_id", mc.meter_id);
	sl_out_str(out, "flags", "%s", strchr(buf, ' ') ? strchr(buf, ' ') + 1 : "");
	sl_out_str(out, "bands", "%s", nl ? nl + 8 : "");
	sl_out_u64(out, "packets_in", st.packet_in_count);
	sl_out_u64(out, "bytes_in", st.byte_in_count);
}

int
sl_mgmt_cmd_dump_meters(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	const struct sl_meter_table *mt = c->dp->meters;
	uint32_t id, n, *ids, shown = 0;
	uint64_t now = now_ns();

	if (mt == NULL)
		return sl_out_error(out, "no meters (static cross-connect)");
	if (id_arg(argc, argv, OFPM_ALL, &id) != 0)
		return sl_out_error(out, "usage: dump-meters [METER_ID]");
	sl_datapath_sync(c->dp);
	n = sl_meter_table_count(mt);
	ids = malloc((n ? n : 1) * sizeof(*ids));
	n = ids && n ? sl_meter_table_ids(mt, ids, n) : 0;
	if (sl_out_mode(out) == SL_OUT_JSON)
		sl_out_list(out, "meters");
	for (uint32_t i = 0; i < n; i++) {
		const struct sl_meter *m = sl_meter_table_lookup(mt, ids[i]);

		if (m != NULL && (id == OFPM_ALL || ids[i] == id))
			meter_out(out, m, now, shown++ == 0);
	}
	free(ids);
	return 0;
}
