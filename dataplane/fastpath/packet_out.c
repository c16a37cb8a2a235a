/* SPDX-License-Identifier: BSD-3-Clause */
/* Packet-out through the workers' inject rings. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_ring.h>

#include "fastpath_private.h"
#include "openflow.h"
#include "sl_learn.h"

/* ---------------------------------------------------- packet-out ---- */

/* A packet-out travels from the control lcore to a worker, which owns every
 * tx queue it uses: no tx locks between control and workers. */
struct sl_packet_out_rec {
	struct rte_mbuf *m;
	struct fp_actions *h;
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
};

static uint64_t
control_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* @p len bytes of @p data in an mbuf chain from @p pool: a packet-out may
 * carry a frame larger than one mbuf's room (a jumbo frame: 2 KB mbufs).
 * NULL when the pool runs out. */
static struct rte_mbuf *
mbuf_from_bytes(struct rte_mempool *pool, const uint8_t *data, uint32_t len)
{
	struct rte_mbuf *head = NULL;

	while (len > 0) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint16_t room = m ? rte_pktmbuf_tailroom(m) : 0;
		uint16_t n = len < room ? (uint16_t)len : room;

		if (n == 0)
			goto fail;
		memcpy(rte_pktmbuf_append(m, n), data, n);
		if (head == NULL)
			head = m;
		else if (rte_pktmbuf_chain(head, m) != 0) /* counts m's bytes in head */
			goto fail;
		data += n;
		len -= n;
		continue;
fail:
		rte_pktmbuf_free(m);
		rte_pktmbuf_free(head);
		return NULL;
	}
	return head;
}

int
sl_fastpath_packet_out(struct sl_datapath *dp, uint32_t in_port, const struct sl_action *actions,
		       unsigned int n_actions, const uint8_t *data, uint32_t len,
		       uint16_t *err_type, uint16_t *err_code)
{
	struct sl_packet_out_rec *rec;
	struct sl_worker *w;

	/* The refusals, each with its OpenFlow error (all OFPET_BAD_REQUEST):
	 * no packet, or one longer than any frame (SL_PACKET_OUT_MAX): OFPBRC_BAD_LEN; no
	 * fast path to run it (no pipeline, no worker, or the worker's fast
	 * path not started yet): OFPBRC_EPERM; out of resources (memory,
	 * mbufs, translation limits, a full inject ring): OFPBRC_BUFFER_EMPTY,
	 * the closest the spec has. */
	if (len == 0 || len > SL_PACKET_OUT_MAX) {
		*err_type = OFPET_BAD_REQUEST;
		*err_code = OFPBRC_BAD_LEN;
		return -1;
	}
	if (dp->pipeline == NULL || dp->n_workers == 0) {
		*err_type = OFPET_BAD_REQUEST;
		*err_code = OFPBRC_EPERM;
		return -1;
	}
	w = dp->workers[dp->pout_next_worker++ % dp->n_workers];
	if (w->fp == NULL || w->inject_ring == NULL) {
		*err_type = OFPET_BAD_REQUEST;
		*err_code = OFPBRC_EPERM;
		return -1;
	}
	rec = calloc(1, sizeof(*rec));
	if (rec == NULL)
		goto nomem;
	rec->m = mbuf_from_bytes(dp->pools[w->socket >= 0 ? w->socket : 0], data, len);
	if (rec->m == NULL)
		goto nomem;
	sl_flow_parse(data, len, in_port, in_port, 0, &rec->key, &rec->lay);
	if (sl_xlate_actions(dp->pipeline, &rec->key, actions, n_actions, dp->pout_xr) != 0)
		goto nomem;
	/* The rules a packet-out goes through (output:TABLE) are credited here,
	 * on the control side, while they are certainly alive: the worker
	 * runs the record later, maybe after they were deleted and freed. */
	sl_xlate_credit(dp->pout_xr, 1, len, control_now_ns());
	if (dp->pout_xr->n_learn) /* NORMAL; this is the control lcore: learn now */
		sl_learn_apply(dp, &dp->pout_xr->learn);
	rec->h = fp_handle_compile(dp, dp->pout_xr);
	if (rec->h == NULL)
		goto nomem;
	if (rte_ring_mp_enqueue(w->inject_ring, rec) != 0)
		goto nomem;
	return 0;
nomem:
	if (rec) {
		rte_pktmbuf_free(rec->m);
		free(rec->h);
		free(rec);
	}
	*err_type = OFPET_BAD_REQUEST;
	*err_code = OFPBRC_BUFFER_EMPTY;
	return -1;
}

void
sl_fastpath_run_injected(struct sl_fastpath *fp)
{
	struct sl_packet_out_rec *rec;

	while (rte_ring_sc_dequeue(fp->w->inject_ring, (void **)&rec) == 0) {
		/* the packet enters the switch here: counted as the controller
		 * slot's rx (sl_drops.h) */
		fp->cur_in = SL_ACCT_CONTROLLER;
		fp->w->acct[SL_ACCT_CONTROLLER].rx++;
		/* credited by sl_fastpath_packet_out() */
		fp_run(fp, rec->h, rec->m, &rec->key, &rec->lay);
		free(rec->h);
		free(rec);
	}
}

void
sl_fastpath_drop_injected(struct sl_worker *w)
{
	struct sl_packet_out_rec *rec;

	while (w->inject_ring && rte_ring_sc_dequeue(w->inject_ring, (void **)&rec) == 0) {
		rte_pktmbuf_free(rec->m);
		free(rec->h);
		free(rec);
	}
}
