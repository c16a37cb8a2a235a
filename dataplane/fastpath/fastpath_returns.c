/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handler mode, the worker's side: the misses the miss handler translated
 * come back at the start of an iteration and are installed and run here
 * (sl_miss_handler.h; the burst's side is fastpath.c's burst_miss).
 */
#include <stdlib.h>

#include "fastpath_private.h"
#include "sl_learn.h"
#include "sl_miss_handler.h"

/* Run one packet that came back from the handler, the record's own or one
 * parked behind it (sl_miss_handler.h, Parking), with entry @mf (NULL if not
 * cached) and handle @h (NULL: nothing to run it with, dropped). Table
 * lookups are credited for @table_packets: 0 when the worker has just
 * translated it, 1 otherwise (the handler's translations count none). */
static void
run_returned_pkt(struct sl_fastpath *fp, struct sl_megaflow *mf, struct fp_actions *h,
		 struct rte_mbuf *m, const struct sl_flow_key *key,
		 const struct sl_pkt_layout *lay, uint32_t table_packets)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);

	if (h == NULL) {
		if (fp_trace_marked(m))
			fp_trace_dropped(fp, SL_LT_HANDLER, SL_DROP_NO_MEMORY, key, len);
		fp_drop_count(fp, SL_DROP_NO_MEMORY, 1);
		rte_pktmbuf_free(m);
		return;
	}
	fp_credit_now(fp, mf, h, 1, len, table_packets);
	if (fp_trace_marked(m))
		fp_trace_run(fp, SL_LT_HANDLER, h, m, key, lay);
	else
		fp_run(fp, h, m, key, lay);
}

/* The acct slot (sl_drops.h) of a packet that came in on @in_port (as the
 * key holds it). */
static inline uint16_t
in_slot(const struct sl_fastpath *fp, uint32_t in_port)
{
	int idx = sl_datapath_port_idx(fp->dp, rte_be_to_cpu_32(in_port));

	return idx >= 0 ? (uint16_t)idx : SL_ACCT_CONTROLLER;
}

/* Handler mode: install and run the misses the handler translated, as the
 * recirculation path does for one packet. A record translated at another
 * version than this iteration's may name freed rules: its handle is not read
 * and the packet is translated here. The handler's translations count no
 * table lookups (sl_xlate_uncounted): a used handle credits its tables like a
 * cache hit, a re-translation counts them itself. At most 4 bursts per
 * iteration (the rest waits).
 *
 * A handle of the handler's this worker is done with (not cached: the
 * cache was full or held the same entry already, or stale) goes back in
 * its record as the spare, for the handler to reuse or free: the handler
 * allocated it, and free() here would return it to the handler's malloc
 * arena under that arena's lock, which the handler takes for every
 * allocation: a lock and its lines bouncing between the two cores once per
 * new flow (perf: the handler thread sleeping in __lll_lock_wait_private
 * while a flood of new flows met a full cache). */
void
fp_drain_returns(struct sl_fastpath *fp)
{
	struct sl_miss_rec *recs[SL_BURST];
	unsigned int n, rounds = 4;

	while (rounds-- && (n = sl_miss_answers(fp->miss, recs, SL_BURST)) != 0) {
		for (unsigned int i = 0; i < n; i++) {
			struct sl_miss_rec *r = recs[i];
			struct fp_actions *h = r->handle, *tmp;
			struct sl_megaflow *mf;
			uint32_t table_pkts = 1; /* the handler's translation counted none */

			fp->stats.handler_returns++;
			fp->cur_in = in_slot(fp, r->key.in_port);
			if (likely(h && r->version == fp->version)) {
				if (unlikely(r->n_learn))
					sl_learn_report(fp->w, &r->learn);
				mf = fp_install_handle(fp, &r->key, &r->mask, h, &tmp, &r->spare);
			} else {
				fp->stats.stale_returns++;
				r->spare = h;
				mf = fp_install(fp, &r->key, &tmp); /* counts its tables */
				table_pkts = 0;
			}
			h = mf ? mf->actions : tmp;
			run_returned_pkt(fp, mf, h, r->m, &r->key, &r->lay, table_pkts);
			for (unsigned int k = 0; k < r->n_park; k++) /* in arrival order */
				run_returned_pkt(fp, mf, h, r->park_m[k], &r->key, &r->park_lay[k], 1);
			if (tmp != NULL && tmp == r->handle)
				r->spare = tmp; /* the handler's: back to it */
			else
				free(tmp);      /* this worker's own (translated here) */
			sl_miss_recycle(fp->miss, r);
		}
	}
}
