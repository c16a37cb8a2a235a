/* SPDX-License-Identifier: BSD-3-Clause */
/* Deferred-free FIFO keyed by rte_rcu_qsbr tokens (see sl_rcu.h). */
#include "sl_rcu.h"

#include <stdbool.h>
#include <stdlib.h>

#include "pl_alloc.h"

#include <rte_rcu_qsbr.h>

struct defer_entry {
	uint64_t token;
	void (*fn)(void *);
	void *ptr;
};

struct sl_rcu {
	struct rte_rcu_qsbr *qsbr;
	bool own_qsbr;
	struct defer_entry *q; /* ring buffer */
	size_t cap, head, count;
};

struct sl_rcu *
sl_rcu_create(struct rte_rcu_qsbr *qsbr, unsigned int max_threads)
{
	struct sl_rcu *rcu = pl_calloc(1, sizeof(*rcu));
	if (rcu == NULL)
		return NULL;
	if (qsbr == NULL) {
		size_t sz = rte_rcu_qsbr_get_memsize(max_threads ? max_threads : 1);
		/* QSBR counters are cache-line aligned structures. */
		qsbr = pl_aligned_alloc(RTE_CACHE_LINE_SIZE, (sz + RTE_CACHE_LINE_SIZE - 1) &
							  ~(size_t)(RTE_CACHE_LINE_SIZE - 1));
		if (qsbr == NULL || rte_rcu_qsbr_init(qsbr, max_threads ? max_threads : 1) != 0) {
			free(qsbr);
			free(rcu);
			return NULL;
		}
		rcu->own_qsbr = true;
	}
	rcu->qsbr = qsbr;
	return rcu;
}

struct rte_rcu_qsbr *
sl_rcu_qsbr(struct sl_rcu *rcu)
{
	return rcu->qsbr;
}

static void
release(struct defer_entry *e)
{
	if (e->fn)
		e->fn(e->ptr);
	else
		free(e->ptr);
}

void
sl_rcu_defer(struct sl_rcu *rcu, void (*fn)(void *), void *ptr)
{
	if (ptr == NULL)
		return;
	if (rcu->count == rcu->cap) {
		size_t ncap = rcu->cap ? rcu->cap * 2 : 64;
		struct defer_entry *nq = pl_malloc(ncap * sizeof(*nq));
		if (nq == NULL) {
			/* Out of memory: waiting is always a correct (if slow) alternative. */
			rte_rcu_qsbr_synchronize(rcu->qsbr, RTE_QSBR_THRID_INVALID);
			struct defer_entry e = { 0, fn, ptr };
			release(&e);
			return;
		}
		for (size_t i = 0; i < rcu->count; i++)
			nq[i] = rcu->q[(rcu->head + i) % rcu->cap];
		free(rcu->q);
		rcu->q = nq;
		rcu->cap = ncap;
		rcu->head = 0;
	}
	struct defer_entry *e = &rcu->q[(rcu->head + rcu->count) % rcu->cap];
	e->token = rte_rcu_qsbr_start(rcu->qsbr);
	e->fn = fn;
	e->ptr = ptr;
	rcu->count++;
}

unsigned int
sl_rcu_reclaim(struct sl_rcu *rcu)
{
	unsigned int n = 0;
	while (rcu->count) {
		struct defer_entry *e = &rcu->q[rcu->head];
		/* Tokens are increasing: stop at the first one still in its grace period. */
		if (rte_rcu_qsbr_check(rcu->qsbr, e->token, false) != 1)
			break;
		release(e);
		rcu->head = (rcu->head + 1) % rcu->cap;
		rcu->count--;
		n++;
	}
	return n;
}

void
sl_rcu_synchronize(struct sl_rcu *rcu)
{
	/* A release may defer again (a rule's counter slot waits a second
	 * grace period): wait until nothing deferred so far is left. */
	while (rcu->count) {
		uint64_t last = rcu->q[(rcu->head + rcu->count - 1) % rcu->cap].token;
		rte_rcu_qsbr_check(rcu->qsbr, last, true);
		sl_rcu_reclaim(rcu);
	}
}

size_t
sl_rcu_pending(const struct sl_rcu *rcu)
{
	return rcu->count;
}

void
sl_rcu_destroy(struct sl_rcu *rcu)
{
	if (rcu == NULL)
		return;
	while (rcu->count) {
		release(&rcu->q[rcu->head]);
		rcu->head = (rcu->head + 1) % rcu->cap;
		rcu->count--;
	}
	free(rcu->q);
	if (rcu->own_qsbr)
		free(rcu->qsbr);
	free(rcu);
}
