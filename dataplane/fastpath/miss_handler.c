/* SPDX-License-Identifier: BSD-3-Clause */
/* Miss handling on another thread (see sl_miss_handler.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "sl_miss_handler.h"

#define HANDLER_BURST 32u

struct sl_miss_channel *
sl_miss_channel_create(unsigned int idx, int socket)
{
	char name[RTE_RING_NAMESIZE];
	struct sl_miss_channel *u;
	int s = socket < 0 ? SOCKET_ID_ANY : socket;

	u = rte_zmalloc_socket("sl_miss_channel", sizeof(*u), RTE_CACHE_LINE_SIZE, s);
	if (u == NULL)
		return NULL;
	u->recs = rte_zmalloc_socket("sl_miss_recs", SL_MISS_RECORDS * sizeof(*u->recs),
				     RTE_CACHE_LINE_SIZE, s);
	u->free_list = rte_zmalloc_socket("sl_miss_free",
					  SL_MISS_RECORDS * sizeof(*u->free_list), 0, s);
	/* Exact size: each ring holds the whole pool, so an enqueue of a
	 * record taken from the pool cannot fail. */
	snprintf(name, sizeof(name), "sl_miss_th_%u", idx);
	u->to_handler = rte_ring_create(name, SL_MISS_RECORDS, s,
				RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	snprintf(name, sizeof(name), "sl_miss_tw_%u", idx);
	u->to_worker = rte_ring_create(name, SL_MISS_RECORDS, s,
				  RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (u->recs == NULL || u->free_list == NULL || u->to_handler == NULL || u->to_worker == NULL) {
		sl_miss_channel_destroy(u);
		return NULL;
	}
	for (unsigned int i = 0; i < SL_MISS_RECORDS; i++)
		u->free_list[i] = &u->recs[i];
	u->n_free = SL_MISS_RECORDS;
	u->park_max = SL_MISS_PARK;
	return u;
}

static void
drop_ring(struct rte_ring *r)
{
	struct sl_miss_rec *rec;

	while (r && rte_ring_sc_dequeue(r, (void **)&rec) == 0) {
		rte_pktmbuf_free(rec->m);
		for (unsigned int k = 0; k < rec->n_park; k++)
			rte_pktmbuf_free(rec->park_m[k]);
		rec->n_park = 0;
		free(rec->handle);
		rec->handle = NULL;
	}
}

void
sl_miss_channel_destroy(struct sl_miss_channel *u)
{
	if (u == NULL)
		return;
	drop_ring(u->to_handler);
	drop_ring(u->to_worker);
	for (unsigned int i = 0; u->recs && i < SL_MISS_RECORDS; i++)
		free(u->recs[i].spare);
	rte_ring_free(u->to_handler);
	rte_ring_free(u->to_worker);
	rte_free(u->free_list);
	rte_free(u->recs);
	rte_free(u);
}

int
sl_miss_send(struct sl_miss_channel *u, uint16_t slot, struct rte_mbuf *m,
	       const struct sl_flow_key *key, const struct sl_pkt_layout *lay)
{
	struct sl_miss_rec *r;

	if (unlikely(u->n_free == 0)) {
		rte_pktmbuf_free(m);
		return -1;
	}
	r = u->free_list[u->n_free - 1];
	__atomic_store_n(&u->n_free, u->n_free - 1, __ATOMIC_RELAXED);
	r->m = m;
	r->handle = NULL;
	r->n_learn = 0;
	r->key = *key;
	r->lay = *lay;
	r->flow_slot = slot; /* n_park is 0: recycled records are reset */
	u->flow_out[slot]++;
	u->flow_rec[slot] = r;
	u->pending[u->n_pending++] = r;
	if (u->n_pending == RTE_DIM(u->pending))
		sl_miss_flush(u);
	return 0;
}

void
sl_miss_flush(struct sl_miss_channel *u)
{
	/* Cannot fail: the ring holds the whole pool. */
	if (u->n_pending == 0)
		return;
	rte_ring_sp_enqueue_bulk(u->to_handler, (void **)u->pending, u->n_pending, NULL);
	u->n_pending = 0;
	if (u->wake)
		sl_ctl_wake_kick(u->wake);
}

struct sl_miss_handler *
sl_miss_handler_create(struct sl_datapath *dp)
{
	struct sl_miss_handler *h = rte_zmalloc("sl_miss_handler", sizeof(*h), 0);

	if (h == NULL)
		return NULL;
	h->dp = dp;
	h->xr = rte_zmalloc("sl_miss_xr", sizeof(*h->xr), RTE_CACHE_LINE_SIZE);
	if (h->xr == NULL) {
		rte_free(h);
		return NULL;
	}
	return h;
}

void
sl_miss_handler_destroy(struct sl_miss_handler *h)
{
	if (h == NULL)
		return;
	rte_free(h->xr);
	rte_free(h);
}

unsigned int
sl_miss_handle(struct sl_miss_handler *h, struct sl_miss_channel *u, unsigned int max)
{
	struct sl_miss_rec *recs[HANDLER_BURST];
	unsigned int done = 0, n;

	while (done < max &&
	       (n = rte_ring_sc_dequeue_burst(u->to_handler, (void **)recs,
					      RTE_MIN(HANDLER_BURST, max - done), NULL)) != 0) {
		const struct sl_miss_rec *prev = NULL;

		h->stats.bursts++;
		for (unsigned int i = 0; i < n; i++) {
			struct sl_miss_rec *r = recs[i];

			/* A new fast flow sends every packet that arrives before
			 * its megaflow is installed: consecutive records of one
			 * key. A translation is a function of the key and the
			 * tables version (MAC learning bumps it too), so while
			 * both are the same the last result is this one's. */
			if (prev != NULL && r->flow_slot == prev->flow_slot &&
			    h->xr->version == sl_pipeline_version(h->dp->pipeline) &&
			    memcmp(&r->key, &prev->key, sizeof(r->key)) == 0) {
				h->stats.reused++;
			} else {
				/* Uncounted: the worker credits the tables when it
				 * uses the handle, or translates again if stale. */
				sl_xlate_uncounted(h->dp->pipeline, &r->key, h->xr);
				h->stats.translations++;
			}
			prev = r;
			r->version = h->xr->version;
			r->mask = h->xr->mask;
			r->n_learn = h->xr->n_learn;
			if (r->n_learn)
				r->learn = h->xr->learn;
			r->handle = sl_fastpath_handle_compile(h->dp, h->xr, r->spare);
			r->spare = NULL;
			if (r->handle == NULL)
				h->stats.compile_failures++;
		}
		/* Cannot fail: the ring holds the whole pool. */
		rte_ring_sp_enqueue_bulk(u->to_worker, (void **)recs, n, NULL);
		done += n;
	}
	return done;
}

unsigned int
sl_miss_handle_all(struct sl_miss_handler *h, unsigned int max)
{
	unsigned int done = 0;

	for (unsigned int i = 0; i < h->dp->n_workers; i++) {
		struct sl_miss_channel *u = h->dp->workers[i]->miss_channel;

		if (u)
			done += sl_miss_handle(h, u, max);
	}
	return done;
}

void
sl_miss_handler_loop(struct sl_miss_handler *h, const volatile bool *stop)
{
	struct rte_rcu_qsbr *q = h->dp->qsbr;
	unsigned int id = SL_QSBR_HANDLER_ID(h->dp);

	rte_rcu_qsbr_thread_register(q, id);
	rte_rcu_qsbr_thread_online(q, id);
	while (!*stop) {
		/* no quiescent report inside a pass: what it translated stays
		 * alive until the workers check the version (sl_miss_handler.h) */
		sl_miss_handle_all(h, HANDLER_BURST);
		rte_rcu_qsbr_quiescent(q, id);
	}
	rte_rcu_qsbr_thread_offline(q, id);
	rte_rcu_qsbr_thread_unregister(q, id);
}
