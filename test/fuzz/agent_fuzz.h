/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the parts of the agent fuzzer: fuzz_agent.c (the session over
 * loopback TCP, raw streams, the checks every input ends with) and
 * agent_fuzz_model.c (messages built from templates with the codec, and the
 * model of what the switch holds according to the replies).
 */
#ifndef AGENT_FUZZ_H
#define AGENT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_ofp.h"

#define AF_XID_BASE 0x5100000u /* xid of message i: AF_XID_BASE + i (never 0: async) */
#define AF_MAX_MSGS 512        /* messages per input */

/* The input, consumed by af_rnd(). */
struct af_in {
	const uint8_t *p;
	size_t n, i;
};
extern struct af_in af_in;

/* 0..n-1 from the next input bytes (0 once they run out). */
uint32_t af_rnd(uint32_t n);
/* Report a broken invariant and abort (libFuzzer keeps the input). */
void af_fail(const char *what) __attribute__((noreturn));

/* A match in canonical form: fields sorted by number, value & mask, the
 * mask all ones for a field given without one. */
struct af_field {
	uint8_t field, len;
	uint8_t v[16], m[16];
};
struct af_match {
	unsigned int n;
	struct af_field f[8];
};
void af_match_from_ofp(const struct sl_ofp_match *om, struct af_match *out);

/* What one structured message does to the model once it is known to have
 * succeeded (no error with its xid), or what its reply must show. */
enum af_op_kind {
	AF_OP_NONE = 0, AF_OP_FLOW, AF_OP_GROUP, AF_OP_METER,
	AF_OP_DUMP_FLOWS, AF_OP_AGGREGATE, AF_OP_DUMP_GROUPS, AF_OP_DUMP_METERS,
};
struct af_op {
	uint8_t kind;         /* enum af_op_kind */
	uint8_t cmd, table;   /* OFPFC_* / OFPGC_* / OFPMC_*; table (OFPTT_ALL) */
	uint16_t prio;
	uint32_t id;          /* group / meter id (OFPG_ALL, OFPM_ALL) */
	uint64_t cookie, cookie_mask;
	uint32_t out_port, out_group;
	struct af_match match;
	/* the instructions, as far as deletes and dumps filter on them */
	uint32_t ports;       /* bit p: outputs to port p (1..4) */
	uint32_t groups;      /* bit g: forwards to group g (1..4) */
	uint32_t meter;       /* 0: none */
};

/* One message sent in an input and what came back for it. */
struct af_msg {
	uint8_t type;
	uint8_t want;         /* the reply type it must get (or an error), 0: none needed */
	bool answered, errored, done, well_formed_barrier;
	struct af_op op;
	/* a multipart reply being collected */
	struct sl_ofp_msg *parts;
	unsigned int n_parts;
	unsigned int n_items;  /* flows in a flow-stats reply, all parts */
};

/* What the runs exercised (printed at exit when SL_FUZZ_STATS is set). */
struct af_stats {
	unsigned long inputs[2];       /* structured, raw */
	unsigned long msgs, errors, barriers, dumps_checked, flows_dumped, max_model_flows;
	unsigned long flows_applied, groups_applied, meters_applied;
};
extern struct af_stats af_st;

/* Model: reset for a new input; build message @p i of a structured input
 * into @p out (encoded, xid set); apply or check what a reply tells. */
void af_model_reset(void);
int af_build(struct af_msg *rec, uint32_t xid, struct sl_ofp_buf *out);
/* Message @p rec was not refused (a later reply or its barrier came): apply it. */
void af_apply(const struct af_msg *rec);
/* The complete multipart reply (all parts) to a dump @p rec: compare it. */
void af_check_dump(const struct af_msg *rec, const struct sl_ofp_msg *parts, unsigned int n);
/* Rules, groups and meters the model holds. */
unsigned int af_model_flows(void);

#endif /* AGENT_FUZZ_H */
