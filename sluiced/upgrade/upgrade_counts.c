/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counters that continue across a hand-over (sl_upgrade.h): the rules',
 * groups' and meters' (their bands included), by adding what the old
 * process counted between the state the new process was built from and
 * the state it sent at the end. (A port's are a base added where they are
 * read: agent_ops.c.)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "agent_convert.h"
#include "sl_datapath.h"
#include "sl_meter.h"
#include "sl_meter_restore.h"
#include "sl_ofp.h"
#include "sl_pipeline.h"
#include "sl_snap.h"
#include "sl_snap_records.h"
#include "sl_upgrade.h"

static uint64_t
grew(uint64_t before, uint64_t after)
{
	return after > before ? after - before : 0;
}

/* A rule record's growth onto the rule made from it. */
static int
continue_rule(struct sl_pipeline *pl, const struct sl_snap_obj *o1, const struct sl_snap_obj *o2,
	      char *err, size_t errlen)
{
	struct sl_ofp_msg m;
	struct sl_ofp_error e;
	struct sl_match match;
	const struct sl_classifier *cls;
	struct sl_rule *r = NULL;
	int rc = -1;

	if (sl_ofp_decode(o2->msg, o2->msg_len, &m, &e) < 0) {
		snprintf(err, errlen, "a rule record the decoder refuses");
		return -1;
	}
	cls = sl_pipeline_table_cls(pl, m.u.flow_mod.table_id);
	if (cls && agent_match_from_ofp(&m.u.flow_mod.match, &match) == 0)
		r = (struct sl_rule *)sl_cls_find_exact(cls, &match, m.u.flow_mod.priority);
	if (r != NULL) {
		struct sl_rule_counts c;

		sl_rule_get_counts(r, &c);
		/* keep the rule's own last use if it saw a packet here since */
		sl_rule_credit(r, grew(o1->packets, o2->packets), grew(o1->bytes, o2->bytes),
			       c.used_ns);
		rc = 0;
	} else {
		snprintf(err, errlen, "a rule of table %u (priority %u) is not here",
			 m.u.flow_mod.table_id, m.u.flow_mod.priority);
	}
	sl_ofp_msg_free(&m);
	return rc;
}

/* A group record's growth onto the group, its buckets included. */
static int
continue_group(struct sl_pipeline *pl, const struct sl_snap_obj *o1, const struct sl_snap_obj *o2,
	       char *err, size_t errlen)
{
	struct sl_ofp_msg m;
	struct sl_ofp_error e;
	struct sl_group *g;

	if (sl_ofp_decode(o2->msg, o2->msg_len, &m, &e) < 0) {
		snprintf(err, errlen, "a group record the decoder refuses");
		return -1;
	}
	/* groups are immutable once published but for their counters, which
	 * translation adds to atomically too */
	g = (struct sl_group *)sl_pipeline_group(pl, m.u.group_mod.group_id);
	sl_ofp_msg_free(&m);
	if (g == NULL || o2->n_counts != g->n_buckets || o1->n_counts != o2->n_counts) {
		snprintf(err, errlen, "a group is not here as it was");
		return -1;
	}
	__atomic_fetch_add(&g->stats->n_packets, grew(o1->packets, o2->packets), __ATOMIC_RELAXED);
	__atomic_fetch_add(&g->stats->n_bytes, grew(o1->bytes, o2->bytes), __ATOMIC_RELAXED);
	for (uint32_t i = 0; i < o2->n_counts; i++) {
		uint64_t p1, b1, p2, b2;

		sl_snap_obj_count(o1, i, &p1, &b1);
		sl_snap_obj_count(o2, i, &p2, &b2);
		__atomic_fetch_add(&g->buckets[i].n_packets, grew(p1, p2), __ATOMIC_RELAXED);
		__atomic_fetch_add(&g->buckets[i].n_bytes, grew(b1, b2), __ATOMIC_RELAXED);
	}
	return 0;
}

/* A meter record's growth onto the meter, its bands included. */
static int
continue_meter(struct sl_datapath *dp, const struct sl_snap_obj *o1,
	       const struct sl_snap_obj *o2, char *err, size_t errlen)
{
	uint64_t bands[2 * SL_METER_MAX_BANDS];
	struct sl_ofp_msg m;
	struct sl_ofp_error e;
	struct sl_meter *mt;
	uint32_t id;

	if (sl_ofp_decode(o2->msg, o2->msg_len, &m, &e) < 0) {
		snprintf(err, errlen, "a meter record the decoder refuses");
		return -1;
	}
	id = m.u.meter_mod.meter_id;
	sl_ofp_msg_free(&m);
	mt = dp->meters ? sl_meter_table_lookup(dp->meters, id) : NULL;
	if (mt == NULL || o1->n_counts != o2->n_counts || o2->n_counts > SL_METER_MAX_BANDS) {
		snprintf(err, errlen, "meter %u is not here as it was", id);
		return -1;
	}
	for (uint32_t i = 0; i < o2->n_counts; i++) {
		uint64_t p1, b1, p2, b2;

		sl_snap_obj_count(o1, i, &p1, &b1);
		sl_snap_obj_count(o2, i, &p2, &b2);
		bands[2 * i] = grew(p1, p2);
		bands[2 * i + 1] = grew(b1, b2);
	}
	if (sl_meter_credit(mt, grew(o1->packets, o2->packets), grew(o1->bytes, o2->bytes),
			    bands, o2->n_counts) < 0) {
		snprintf(err, errlen, "meter %u has not the bands it had", id);
		return -1;
	}
	return 0;
}

/* One pair of records, the same object in both states. 1 continued, 0
 * nothing to continue, -1 the states disagree. */
static int
continue_pair(struct sl_datapath *dp, const struct sl_snap_rec *a, const struct sl_snap_rec *b,
	      char *err, size_t errlen)
{
	struct sl_snap_obj o1, o2;

	if (a->type != b->type) {
		snprintf(err, errlen, "record %u is a %s in one state and a %s in the other",
			 a->index, sl_snap_type_name(a->type), sl_snap_type_name(b->type));
		return -1;
	}
	if (a->type != SL_SNAP_RULE && a->type != SL_SNAP_GROUP && a->type != SL_SNAP_METER)
		return 0; /* MACs, roles and ports: not counters */
	if (sl_snap_obj_decode(a, &o1, err, errlen) < 0 || sl_snap_obj_decode(b, &o2, err, errlen) < 0)
		return -1;
	if (o1.msg_len != o2.msg_len || memcmp(o1.msg, o2.msg, o1.msg_len) != 0) {
		snprintf(err, errlen, "record %u (%s) changed between the two states", a->index,
			 sl_snap_type_name(a->type));
		return -1;
	}
	if (a->type == SL_SNAP_RULE)
		return continue_rule(dp->pipeline, &o1, &o2, err, errlen) < 0 ? -1 : 1;
	if (a->type == SL_SNAP_METER)
		return continue_meter(dp, &o1, &o2, err, errlen) < 0 ? -1 : 1;
	return continue_group(dp->pipeline, &o1, &o2, err, errlen) < 0 ? -1 : 1;
}

int
sl_upgrade_continue_counts(struct sl_datapath *dp, const uint8_t *s1, size_t len1,
			   const uint8_t *s2, size_t len2, uint32_t *n_cont, char *err,
			   size_t errlen)
{
	struct sl_snap_reader r1, r2;
	struct sl_snap_rec a, b;

	*n_cont = 0;
	if (sl_snap_open(s1, len1, &r1, err, errlen) < 0 ||
	    sl_snap_open(s2, len2, &r2, err, errlen) < 0)
		return -1;
	/* the old process's tables cannot change between the two (its control
	 * lcore was in the hand-over): the same objects, in the same order */
	for (;;) {
		bool more1 = sl_snap_next(&r1, &a), more2 = sl_snap_next(&r2, &b);
		int rc;

		/* the agent's records come first; then MACs (learned meanwhile:
		 * not the same in both) and ports, which are no counters */
		if (!more1 || !more2 || a.type == SL_SNAP_MAC || b.type == SL_SNAP_MAC ||
		    a.type == SL_SNAP_PORT || b.type == SL_SNAP_PORT)
			return 0;
		rc = continue_pair(dp, &a, &b, err, errlen);
		if (rc < 0)
			return -1;
		*n_cont += (uint32_t)rc;
	}
}
