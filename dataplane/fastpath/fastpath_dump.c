/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Megaflow dumps (sl_fastpath.h, `sluicectl dump-megaflows`). The control
 * lcore must not walk a cache whose entries, subtables and handles the
 * worker rewrites and frees, so it posts a request and the worker copies
 * a slice of its entries when it next checks (sl_fastpath_begin, every 64
 * iterations): sl_megaflow_dump_serve() with fp_dump_describe() below.
 */
#include <string.h>

#include <rte_common.h>

#include "fastpath_private.h"

/* What the worker copies of an entry's handle. */
void
fp_dump_describe(const struct sl_megaflow *mf, void *extra, void *ctx)
{
	const struct sl_fastpath *fp = ctx;
	const struct fp_actions *h = mf->actions;
	struct sl_fastpath_dump_entry *e = extra;

	e->idle_ns = sl_meter_clock_ns(&fp->clock,
				       fp->now_tsc - RTE_MIN(mf->last_used, fp->now_tsc));
	e->n_rules = h->n_rules;
	e->n_tables = h->n_tables;
	e->n_actions = h->n_actions;
	memcpy(e->stats_idx, h->stats_idx, RTE_MIN(h->n_rules, SL_FASTPATH_DUMP_RULES) * 4u);
	memcpy(e->tables, h->tables, RTE_MIN(h->n_tables, SL_FASTPATH_DUMP_RULES));
	memcpy(e->acts, h->acts, RTE_MIN(h->n_actions, SL_FASTPATH_DUMP_ACTIONS) * sizeof(*h->acts));
}

bool
sl_fastpath_dump_post(struct sl_fastpath *fp, struct sl_megaflow_dump *d)
{
	return d->extra_size == sizeof(struct sl_fastpath_dump_entry) &&
	       sl_megaflow_dump_post(fp->mfc, d);
}

bool
sl_fastpath_dump_cancel(struct sl_fastpath *fp, struct sl_megaflow_dump *d)
{
	return sl_megaflow_dump_cancel(fp->mfc, d);
}
