/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation internals shared by xlate.c (tables, action set), xlate_ops.c
 * (set_field, push/pop, output), xlate_normal.c, recirc.c and group_select.c.
 * See xlate.c for the mask rules. */
#ifndef SL_XLATE_PRIVATE_H
#define SL_XLATE_PRIVATE_H

#include <stddef.h>
#include <string.h>

#include <rte_byteorder.h>

#include "openflow.h"
#include "pipeline_private.h"
#include "sl_flow_consts.h"
#include "sl_xlate.h"
#include "sl_xlate_trace.h"

/* The action set (OF1.3 5.10): at most one action per type, one set_field per field. */
enum aset_slot {
	AS_COPY_TTL_IN, AS_POP_VLAN, AS_POP_PBB, AS_POP_MPLS, AS_PUSH_MPLS, AS_PUSH_PBB,
	AS_PUSH_VLAN, AS_COPY_TTL_OUT, AS_DEC_MPLS_TTL, AS_DEC_NW_TTL, AS_SET_MPLS_TTL,
	AS_SET_NW_TTL, AS_SET_FIELD /* placeholder: set_fields run here */, AS_SET_QUEUE,
	AS_GROUP, AS_OUTPUT, AS_N
};

struct action_set {
	uint32_t present;       /* bit per enum aset_slot */
	uint64_t sf_present;    /* bit per OXM field */
	struct sl_action slot[AS_N];
	struct sl_action sf[SL_OXM_N_FIELDS];
};

/* What follows an apply-actions list in its rule: the rest of the instructions. */
struct xpost {
	bool clear, has_write, has_wmd, has_goto;
	uint8_t goto_table;
	uint16_t n_write;
	const struct sl_action *write;
	uint64_t md, md_mask;           /* write-metadata, host order */
};

/* Where the action being translated sits: what a recirculation must freeze. */
enum xframe_kind {
	XF_LIST = 0,  /* a list with nothing after it (packet-out, group bucket) */
	XF_APPLY,     /* a rule's apply-actions: then post, then goto or action set */
	XF_ASET,      /* the action set, at slot aset_slot */
};

struct xframe {
	uint8_t kind;                   /* enum xframe_kind */
	uint8_t aset_slot;
	unsigned int n, i;              /* acts[i] is running */
	const struct sl_action *acts;
	const struct xpost *post;       /* XF_APPLY */
};

/* Who a traced translation reports to (sl_xlate_trace.h). */
struct xtrace {
	sl_xlate_trace_fn fn;
	void *ctx;
};

struct xctx {
	const struct sl_pipeline *pl;
	uint64_t cls_version;       /* rule version of every lookup (pl_cls_version) */
	struct sl_xlate_result *out;
	struct sl_flow_key key;     /* the packet as modified so far */
	struct sl_flow_key written; /* bits holding action-written constants */
	struct action_set aset;
	bool uncounted;             /* do not credit table lookups (sl_xlate_uncounted) */
	uint8_t table_id;
	uint64_t cookie;
	bool miss_rule;             /* last rule hit is a table-miss entry */
	unsigned int group_depth;
	struct pl_live_memo live;   /* fast-failover liveness answers (xgroup_live) */
	int error;
	struct xframe fr;           /* recirc.c reads it at a pop */
	bool frozen;                /* a RECIRC was emitted: this scope stops */
	uint8_t no_freeze;          /* inside packet-out output:TABLE: no recirculation */
	/* sl_xlate_trace() only, NULL in every other translation: tested
	 * where a table, bucket, action set or NORMAL begins, never per action */
	const struct xtrace *trace;
};

/* ------------------------------------------------------------ helpers ---- */

static inline void
consult(struct xctx *x, const struct sl_flow_key *bits)
{
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		x->out->mask.w[i] |= bits->w[i] & ~x->written.w[i];
}

/* Did an action write a packet bit (not metadata or actset_output, which
 * are pipeline state)? Every action that changes x->key marks what it wrote
 * in x->written. Metadata is word 0: OR the others (no branch per word,
 * vectorises); actset_output's bits are masked out of its word. */
_Static_assert(offsetof(struct sl_flow_key, metadata) == 0, "metadata is word 0");
static inline bool
xl_key_written(const struct xctx *x)
{
	static const struct sl_flow_key pipeline_state = { .actset_output = UINT32_MAX };
	uint64_t acc = 0;

	for (unsigned int i = 1; i < SL_FLOW_KEY_WORDS; i++)
		acc |= x->written.w[i] & ~pipeline_state.w[i];
	return acc != 0;
}

/*
 * actset_output (OF1.5 7.2.3.9): the output port of the action set as it
 * is now, OFPP_UNSET when it holds no output (a group in it does not
 * count: the field names the output action). Set into the key before each
 * table lookup and before a copy-field reads it.
 *
 * It is never a megaflow bit: xctx_init marks it written, so consult()
 * keeps it out of the mask even when a lookup probed a subtable that
 * matches it. That is exact, not a shortcut: the value is a function of
 * the rules hit so far (their write-actions and clear-actions), and each of
 * those answers is already pinned by the packet bits the mask holds, so
 * every packet of a megaflow gets the same value at every lookup. And it
 * must stay out: the packet key (parser, EMC, megaflow cache) always
 * carries 0 there, so a mask bit on it would compare translation state
 * against a 0 and make entries that never hit, or hit wrongly.
 */
static inline void
xl_sync_actset_output(struct xctx *x)
{
	x->key.actset_output = rte_cpu_to_be_32((x->aset.present & (1u << AS_OUTPUT))
							? x->aset.slot[AS_OUTPUT].output.port
							: OFPP_UNSET);
}

static inline void
consult_field(struct xctx *x, unsigned int oxm)
{
	struct sl_flow_key m;
	memset(&m, 0, sizeof(m));
	sl_field_mask_all(sl_field_by_oxm(oxm), &m);
	consult(x, &m);
}

/* Consult raw key bytes [ofs, ofs+len) (fields that are not OXM, e.g. n_vlan). */
static inline void
consult_bytes(struct xctx *x, size_t ofs, size_t len)
{
	struct sl_flow_key m;
	memset(&m, 0, sizeof(m));
	memset((uint8_t *)&m + ofs, 0xff, len);
	consult(x, &m);
}

static inline void
mark_written_bytes(struct xctx *x, size_t ofs, size_t len)
{
	memset((uint8_t *)&x->written + ofs, 0xff, len);
}

#define CONSULT_MEMBER(x, member) \
	consult_bytes(x, offsetof(struct sl_flow_key, member), sizeof((x)->key.member))
#define WRITTEN_MEMBER(x, member) \
	mark_written_bytes(x, offsetof(struct sl_flow_key, member), sizeof((x)->key.member))

static inline struct sl_exec_action *
emit(struct xctx *x, uint8_t type)
{
	if (x->out->n_actions >= SL_XLATE_MAX_ACTIONS) {
		x->error = SL_XLATE_TOO_MANY_ACTIONS;
		return NULL;
	}
	struct sl_exec_action *a = &x->out->actions[x->out->n_actions++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

static inline bool
is_ip(struct xctx *x)
{
	consult_field(x, OFPXMT_OFB_ETH_TYPE);
	return x->key.eth_type == rte_cpu_to_be_16(SL_ETH_IPV4) ||
	       x->key.eth_type == rte_cpu_to_be_16(SL_ETH_IPV6);
}

static inline bool
is_mpls(struct xctx *x)
{
	consult_field(x, OFPXMT_OFB_ETH_TYPE);
	return x->key.eth_type == rte_cpu_to_be_16(SL_ETH_MPLS) ||
	       x->key.eth_type == rte_cpu_to_be_16(SL_ETH_MPLS_MC);
}

static inline void
add_watch(uint32_t *arr, uint8_t *n, uint32_t v)
{
	for (unsigned int i = 0; i < *n; i++)
		if (arr[i] == v)
			return;
	if (*n < SL_XLATE_MAX_WATCH)
		arr[(*n)++] = v;
}

/* xlate.c */
void xl_run_actions(struct xctx *x, const struct sl_action *acts, unsigned int n);
void xl_run_tables(struct xctx *x, uint8_t table_id);
void xl_aset_write(struct action_set *as, const struct sl_action *acts, unsigned int n);
void xl_aset_execute(struct xctx *x);
int xl_aset_slot_of(uint16_t type);
/* Apply clear/write/write-metadata; true when a goto follows (to p->goto_table). */
bool xl_apply_post(struct xctx *x, const struct xpost *p);
/* recirc.c */
void xl_recirc_after_pop(struct xctx *x);
void xl_resume(struct xctx *x, uint32_t recirc_id);
/* xlate_ops.c */
void xl_set_field(struct xctx *x, const struct sl_action *act);
void xl_copy_field(struct xctx *x, const struct sl_action *act);
void xl_push_vlan(struct xctx *x, uint16_t tpid);
void xl_pop_vlan(struct xctx *x);
void xl_push_mpls(struct xctx *x, uint16_t ethertype);
void xl_pop_mpls(struct xctx *x, uint16_t ethertype);
void xl_push_pbb(struct xctx *x, uint16_t ethertype);
void xl_pop_pbb(struct xctx *x);
void xl_emit_ttl(struct xctx *x, uint8_t type, uint8_t ttl);
void xl_output(struct xctx *x, uint32_t port, uint16_t max_len);
/* xlate_normal.c */
void xl_normal(struct xctx *x);
/* Is this translation traced? Expected not: the fast path's translations
 * never are. */
#define XL_TRACING(x) __builtin_expect((x)->trace != NULL, 0)
/* xlate.c: report a step of a traced translation (x->trace set); fills in
 * the key and the group depth. Cold and out of line: the untraced code
 * keeps its size (and what the compiler inlines into it). */
void xl_trace(struct xctx *x, struct sl_xlate_trace_event *ev) __attribute__((cold));
/* xl_trace() of a table, fail-open or bucket step */
void xl_trace_step(struct xctx *x, uint8_t kind, uint8_t table_id, const struct sl_rule *rule,
		   const struct sl_group *group, int bucket) __attribute__((cold));
/* group_select.c: the fields a select group hashes on for @key (by eth_type) */
const struct sl_flow_key *xl_select_mask(const struct sl_flow_key *key);

#endif /* SL_XLATE_PRIVATE_H */
