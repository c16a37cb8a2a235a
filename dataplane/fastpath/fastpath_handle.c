/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Actions handles: a translation compiled into the one aligned block a cache
 * entry points at (fastpath_private.h, struct fp_actions). The worker
 * compiles its own (inline translations, revalidations); the miss handler
 * compiles those of handler mode, into a handle the worker gave back when it
 * is large enough (sl_miss_handler.h, sl_miss_rec.spare).
 */
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "fastpath_private.h"
#include "sl_miss_handler.h"

void *
sl_fastpath_handle_compile(const struct sl_datapath *dp, const struct sl_xlate_result *r,
			   void *spare)
{
	/* Layout: header, rule slots, tables, then (8-aligned) buckets and
	 * actions. A hit reads the header, slots and tables: with the block
	 * line-aligned they share the first line in the common cases. */
	size_t head = RTE_ALIGN(sizeof(struct fp_actions) + r->n_rules * sizeof(uint32_t) +
				r->n_tables, 8);
	size_t sz = RTE_ALIGN(head + r->n_buckets * sizeof(struct sl_xlate_bucket) +
			      r->n_actions * sizeof(struct sl_exec_action), RTE_CACHE_LINE_SIZE);
	struct fp_actions *h = spare;
	uint8_t *p;

	if (h == NULL || (size_t)h->lines * RTE_CACHE_LINE_SIZE < sz) {
		free(spare);
		h = aligned_alloc(RTE_CACHE_LINE_SIZE, sz);
		if (h == NULL)
			return NULL;
		h->lines = (uint16_t)RTE_MIN(sz / RTE_CACHE_LINE_SIZE, (size_t)UINT16_MAX);
	}
	h->n_rules = r->n_rules;
	h->n_buckets = r->n_buckets;
	h->n_actions = r->n_actions;
	h->n_tables = r->n_tables;
	h->stats_idx = (uint32_t *)(h + 1);
	for (unsigned int i = 0; i < r->n_rules; i++)
		h->stats_idx[i] = r->rules[i]->stats_idx;
	h->tables = (uint8_t *)(h->stats_idx + r->n_rules);
	memcpy(h->tables, r->tables, r->n_tables);
	p = (uint8_t *)h + head;
	h->buckets = (struct sl_xlate_bucket *)p;
	memcpy(h->buckets, r->buckets, r->n_buckets * sizeof(struct sl_xlate_bucket));
	p += r->n_buckets * sizeof(struct sl_xlate_bucket);
	h->acts = (struct sl_exec_action *)p;
	memcpy(h->acts, r->actions, r->n_actions * sizeof(struct sl_exec_action));
	h->kind = FPA_EXEC;
	h->out_idx = 0;
	h->reval = (r->uses_mac ? FPA_REVAL_MAC : 0) | (r->recirc ? 0 : FPA_REVAL_DEFER);
	if (!r->error && !r->recirc && !r->n_learn)
		h->reval |= FPA_REVAL_SKIP | (r->key_pure ? FPA_REVAL_PURE : 0);
	h->drop_why = 0;
	if (r->n_actions == 0) {
		h->kind = FPA_DROP;
		/* why, for `sluicectl drops`: NORMAL leaves uses_mac set when
		 * the destination is behind the ingress port */
		h->drop_why = r->error ? SL_DROP_XLATE_ERROR
			      : r->n_tables > r->n_rules ? SL_DROP_TABLE_MISS
			      : r->uses_mac ? SL_DROP_NORMAL : SL_DROP_EXPLICIT;
	} else if (r->n_actions == 1 && r->actions[0].type == SL_EXEC_OUTPUT) {
		int idx = sl_datapath_port_idx(dp, r->actions[0].output.port);

		if (idx >= 0) {
			h->kind = FPA_OUTPUT;
			h->out_idx = (uint16_t)idx;
		}
	}
	return h;
}
