/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fast path's side of the live trace (sl_live_trace.h): a traced packet
 * runs as any other, through a copy of the executor's hooks whose output
 * records the port first; what changed in its port's counters meanwhile
 * says whether it was dropped (and why) or went to the controller. Only
 * traced packets come here: the untraced path pays nothing for this file.
 */
#include <string.h>

#include "fastpath_private.h"
#include "sl_flow_parse.h"
#include "sl_live_trace.h"

void
fp_trace_mark(struct rte_mbuf **pkts, uint16_t k)
{
	uint64_t flag = __atomic_load_n(&sl_live_trace.flag, __ATOMIC_ACQUIRE);

	for (uint16_t i = 0; i < k; i++)
		pkts[i]->ol_flags |= flag;
}

static void
rec_init(const struct sl_fastpath *fp, struct sl_live_trace_rec *rec, uint8_t path,
	 const struct fp_actions *h, const struct sl_flow_key *key, uint32_t len)
{
	memset(rec, 0, sizeof(*rec));
	rec->key = *key;
	rec->len = len;
	rec->in_idx = fp->cur_in;
	rec->lcore = (uint16_t)fp->w->lcore;
	rec->path = path;
	if (h != NULL) {
		rec->n_acts = (uint8_t)RTE_MIN(h->n_actions, SL_LIVE_TRACE_ACTS);
		memcpy(rec->acts, h->acts, rec->n_acts * sizeof(rec->acts[0]));
	}
}

static void
rec_output(struct sl_live_trace_rec *rec, uint32_t ofport)
{
	if (rec->n_outs < SL_LIVE_TRACE_OUTS)
		rec->outs[rec->n_outs] = ofport;
	if (rec->n_outs < UINT8_MAX)
		rec->n_outs++;
}

/* The executor's output hook while a traced packet runs. */
static void
trace_output(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m)
{
	struct sl_fastpath *fp = ctx;

	if (fp->trace_rec != NULL)
		rec_output(fp->trace_rec, ofport);
	fp->env.output(ctx, ofport, in_port, m);
}

void
fp_trace_env_init(struct sl_fastpath *fp)
{
	fp->trace_env = fp->env;
	fp->trace_env.output = trace_output;
}

void
fp_trace_run(struct sl_fastpath *fp, uint8_t path, struct fp_actions *h, struct rte_mbuf *m,
	     const struct sl_flow_key *key, const struct sl_pkt_layout *lay)
{
	struct sl_port_acct *a = &fp->w->acct[fp->cur_in];
	uint64_t before[SL_DROP_ALL], after[SL_DROP_ALL], pins = a->to_controller;
	struct sl_live_trace_rec rec;

	m->ol_flags &= ~__atomic_load_n(&sl_live_trace.flag, __ATOMIC_RELAXED);
	rec_init(fp, &rec, path, h, key, rte_pktmbuf_pkt_len(m));
	sl_drop_reasons(a, before);
	switch (h->kind) {
	case FPA_OUTPUT:
		rec_output(&rec, h->acts[0].output.port);
		sl_worker_output(fp->w, h->out_idx, m);
		break;
	case FPA_EXEC:
		fp->trace_rec = &rec;
		sl_execute(h->acts, h->n_actions, m, key, lay, &fp->trace_env, &a->exec);
		fp->trace_rec = NULL;
		break;
	default:
		fp_run(fp, h, m, key, lay);
	}
	sl_drop_reasons(a, after);
	for (unsigned int i = 0; i < SL_DROP_ALL && rec.drop_reason == 0; i++)
		if (after[i] != before[i])
			rec.drop_reason = (uint8_t)(i + 1);
	rec.to_controller = (uint8_t)RTE_MIN(a->to_controller - pins, (uint64_t)UINT8_MAX);
	sl_live_trace_emit(&rec);
}

void
fp_trace_dropped(struct sl_fastpath *fp, uint8_t path, enum sl_drop_reason why,
		 const struct sl_flow_key *key, uint32_t len)
{
	struct sl_live_trace_rec rec;

	rec_init(fp, &rec, path, NULL, key, len);
	rec.drop_reason = (uint8_t)(why + 1);
	sl_live_trace_emit(&rec);
}

void
fp_trace_port_burst(struct sl_fastpath *fp, const struct fp_actions *h, struct rte_mbuf **pkts,
		    uint16_t k, uint32_t in_port)
{
	uint64_t flag = __atomic_load_n(&sl_live_trace.flag, __ATOMIC_RELAXED);

	for (uint16_t i = 0; i < k; i++) {
		struct sl_live_trace_rec rec;
		struct sl_flow_key key;

		pkts[i]->ol_flags &= ~flag;
		sl_flow_parse_mbuf(pkts[i], in_port, in_port, 0, &key, NULL);
		rec_init(fp, &rec, SL_LT_PORT_BURST, h, &key, rte_pktmbuf_pkt_len(pkts[i]));
		if (h->kind == FPA_OUTPUT)
			rec_output(&rec, h->acts[0].output.port);
		else
			rec.drop_reason = (uint8_t)(h->drop_why + 1);
		sl_live_trace_emit(&rec);
	}
}
