/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the differential test: the test-side rule set ("world"), the
 * observable events, the naive reference pipeline and the datapath action
 * interpreter (xlate_ref.c).
 */
#ifndef XLATE_DIFF_H
#define XLATE_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_pipeline.h"
#include "sl_xlate.h"

#define N_TABLES 4
#define MAX_RULES 48
#define MAX_ACTS 4
#define MAX_GROUPS 6
#define MAX_BUCKETS 3
#define N_PORTS 4

/* ------------------------------------------------- test-side rule set ---- */

struct tr_rule {
	bool live;
	uint8_t table;
	uint16_t prio;
	uint64_t cookie;
	struct sl_flow_key key, mask; /* the reference's own copy of the match */
	struct sl_match match;
	struct sl_action apply[MAX_ACTS], write[MAX_ACTS];
	struct sl_instructions ins;
};

struct tr_group {
	bool live;
	uint32_t id;
	uint8_t type;
	uint16_t n_buckets;
	struct sl_bucket buckets[MAX_BUCKETS];
	struct sl_action acts[MAX_BUCKETS][MAX_ACTS];
};

struct world {
	struct sl_pipeline *pl;
	struct tr_rule rules[N_TABLES * MAX_RULES];
	unsigned int n_rules;
	struct tr_group groups[MAX_GROUPS + 1]; /* index = group id */
	bool port_up[N_PORTS + 1];
};

/* ------------------------------------------------------------- events ---- */

enum { EV_OUT = 1, EV_CTRL, EV_METER, EV_TTL };

struct event {
	uint8_t kind;
	uint32_t a;   /* port / reason / meter id */
	uint32_t b;   /* queue / table */
	uint64_t c;   /* cookie */
	struct sl_flow_key snap;
};

struct evlog {
	unsigned int n;
	bool overflow;
	struct event ev[256];
};

struct pstate {
	struct sl_flow_key key;
	uint32_t queue;
	/* MPLS packets: the IPv4 payload behind the label, as parsing it gives
	 * its L3/L4 words (the first-pass key has them zero). */
	struct sl_flow_key inner;
};

/* Packet-level "parse again after pop_mpls": L2 as now, ethertype from the
 * action, no label, L3/L4 from the payload. Shared by both sides because it
 * models the packet bytes, not the pipeline. */
void pop_mpls_reparse(struct pstate *st, uint16_t ethertype);

/* ---------------------------------------------------------- reference ---- */

struct ref {
	struct world *w;
	struct pstate st;
	struct evlog *log;
	uint64_t hit[64];
	unsigned int n_hit;
	uint8_t table;
	uint64_t cookie;
	bool miss;
	/* action set: one per type, one set_field per field */
	bool as_has[32];
	struct sl_action as[32];
	bool as_sf_has[SL_OXM_N_FIELDS];
	struct sl_action as_sf[SL_OXM_N_FIELDS];
};

/* Run the reference pipeline on @p key; events into @p log, rules hit into x->hit. */
void ref_run(struct world *w, const struct pstate *pkt, struct evlog *log, struct ref *x);
/* Execute datapath actions on a key the way a worker would on a packet. */
void dp_exec(const struct sl_exec_action *acts, unsigned int n, struct pstate *st, struct evlog *log);
/* RECIRC in dp_exec: the pipeline it translates the recirculated key with,
 * and the rules those translations hit (appended in order). */
extern struct sl_pipeline *dp_exec_pl;
extern struct sl_rule *dp_recirc_rules[64];
extern unsigned int dp_n_recirc_rules, dp_n_recircs;
/* rules hit by the reference that match actset_output with a port (not UNSET) */
extern unsigned long ref_n_actset_hits;
/* Same observable behaviour? */
bool same_events(const struct evlog *a, const struct evlog *b);

#endif /* XLATE_DIFF_H */
