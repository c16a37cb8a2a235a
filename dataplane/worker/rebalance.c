/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include "sl_rebalance.h"

/* Heaviest first; equal loads in (port, queue) order, so a plan does not
 * depend on qsort's instability. */
static int
cmp_load_desc(const void *a, const void *b)
{
	const struct sl_rebalance_q *x = *(const struct sl_rebalance_q *const *)a;
	const struct sl_rebalance_q *y = *(const struct sl_rebalance_q *const *)b;

	if (x->load != y->load)
		return x->load > y->load ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->queue < y->queue ? -1 : x->queue > y->queue;
}

static bool
socket_has_worker(const struct sl_sched_worker *workers, unsigned int n, int socket)
{
	for (unsigned int w = 0; w < n; w++)
		if (workers[w].socket == socket)
			return true;
	return false;
}

/* Least loaded worker for @q: on its socket when that has one, else any.
 * A tie keeps the queue where it is (fewer moves), then the lowest index. */
static int
least_loaded(const struct sl_rebalance_q *q, const struct sl_sched_worker *workers,
	     unsigned int n, const uint64_t *load)
{
	bool local = q->socket >= 0 && socket_has_worker(workers, n, q->socket);
	int best = -1;

	for (unsigned int w = 0; w < n; w++) {
		if (local && workers[w].socket != q->socket)
			continue;
		if (best < 0 || load[w] < load[best] ||
		    (load[w] == load[best] && (int)w == q->cur))
			best = (int)w;
	}
	return best;
}

static uint64_t
max_of(const uint64_t *v, unsigned int n)
{
	uint64_t m = 0;

	for (unsigned int i = 0; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

int
sl_rebalance_plan(struct sl_rebalance_q *qs, unsigned int n_q,
		  const struct sl_sched_worker *workers, unsigned int n_workers,
		  const struct sl_rebalance_params *p, struct sl_rebalance_result *res)
{
	uint64_t cur[SL_REBALANCE_MAX_WORKERS] = { 0 }, next[SL_REBALANCE_MAX_WORKERS] = { 0 };
	struct sl_rebalance_q **order;

	memset(res, 0, sizeof(*res));
	if (n_workers == 0 || n_workers > SL_REBALANCE_MAX_WORKERS)
		return -1;
	for (unsigned int i = 0; i < n_q; i++) {
		if (qs[i].cur < 0 || (unsigned int)qs[i].cur >= n_workers)
			return -1;
		cur[qs[i].cur] += qs[i].load;
		qs[i].next = qs[i].cur;
	}
	res->cur_max = res->new_max = max_of(cur, n_workers);
	if (n_q == 0)
		return 0;
	order = malloc(n_q * sizeof(*order));
	if (order == NULL)
		return -1;
	for (unsigned int i = 0; i < n_q; i++)
		order[i] = &qs[i];
	qsort(order, n_q, sizeof(*order), cmp_load_desc);
	for (unsigned int i = 0; i < n_q; i++) {
		int w = least_loaded(order[i], workers, n_workers, next);

		order[i]->next = w;
		next[w] += order[i]->load;
		res->n_moves += w != order[i]->cur;
	}
	free(order);
	res->new_max = max_of(next, n_workers);
	/* new_max < cur_max * (1 - threshold): integer form, no overflow for
	 * loads below 2^57 cycles (years of a CPU per interval) */
	res->worth = res->n_moves > 0 && res->cur_max >= p->min_load && res->cur_max > 0 &&
		     res->new_max * 100 < res->cur_max * (p->threshold_pct < 100 ? 100 - p->threshold_pct : 0);
	return 0;
}

bool
sl_rebalance_sustained(struct sl_rebalance_hyst *h, bool worth)
{
	h->streak = worth ? h->streak + 1 : 0;
	if (h->streak < (h->need ? h->need : 1))
		return false;
	h->streak = 0;
	return true;
}

/* The worker of @socket with the least load, then the fewest queues. */
static int
least_loaded_of(int socket, const struct sl_sched_worker *workers, unsigned int n,
		const uint64_t *load, const unsigned int *nq)
{
	int best = -1;

	for (unsigned int w = 0; w < n; w++) {
		if (workers[w].socket != socket)
			continue;
		if (best < 0 || load[w] < load[best] ||
		    (load[w] == load[best] && nq[w] < nq[best]))
			best = (int)w;
	}
	return best;
}

int
sl_rebalance_follow(struct sl_rebalance_q *qs, unsigned int n_q,
		    const struct sl_sched_worker *workers, unsigned int n_workers,
		    uint16_t port, int socket, unsigned int max_per_worker)
{
	uint64_t load[SL_REBALANCE_MAX_WORKERS] = { 0 };
	unsigned int nq[SL_REBALANCE_MAX_WORKERS] = { 0 }, moves = 0;

	if (n_workers == 0 || n_workers > SL_REBALANCE_MAX_WORKERS)
		return -1;
	for (unsigned int i = 0; i < n_q; i++) {
		if (qs[i].cur < 0 || (unsigned int)qs[i].cur >= n_workers)
			return -1;
		qs[i].next = qs[i].cur;
		load[qs[i].cur] += qs[i].load;
		nq[qs[i].cur]++;
	}
	for (unsigned int i = 0; i < n_q; i++) {
		int w;

		if (qs[i].port != port || workers[qs[i].cur].socket == socket)
			continue;
		w = least_loaded_of(socket, workers, n_workers, load, nq);
		if (w < 0)
			break; /* no worker there: the queues stay */
		if (nq[w] + 1 > max_per_worker)
			return -1;
		/* the queue's load and slot go with it: the next queue of the
		 * port sees this worker as it will be */
		load[qs[i].cur] -= qs[i].load;
		nq[qs[i].cur]--;
		load[w] += qs[i].load;
		nq[w]++;
		qs[i].next = w;
		moves++;
	}
	return (int)moves;
}
