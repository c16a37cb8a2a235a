/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rx queue balancing on the control lcore (sl_rxq_balance.h): loads,
 * decisions, and moving queues in two steps around grace periods.
 */
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>

#include "sl_datapath.h"
#include "sl_log.h"
#include "sl_miss_handler.h"

#define RD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

/* Publish @next as @w's list. The spare list is free: the worker has not
 * read it since the grace period that followed its last publication. */
static void
publish(struct sl_worker *w, const struct sl_worker_rxqs *next)
{
	struct sl_worker_rxqs *spare = w->rxqs == &w->rxq_lists[0] ? &w->rxq_lists[1]
								    : &w->rxq_lists[0];

	*spare = *next;
	__atomic_store_n(&w->rxqs, spare, __ATOMIC_RELEASE);
}

static bool
is_moving(const struct sl_rxq_balance *b, const struct sl_worker_rxq *q)
{
	for (unsigned int i = 0; i < b->n_pending; i++)
		if (b->pending[i].port == q->port_idx && b->pending[i].queue == q->qid)
			return true;
	return false;
}

/* Step 1: the pending queues leave their old workers; after the grace
 * period no burst from them is in a worker or its tx buffers. */
static void
take_off(struct sl_datapath *dp)
{
	struct sl_rxq_balance *b = &dp->rxqb;
	static struct sl_worker_rxqs next;

	for (unsigned int w = 0; w < dp->n_workers; w++) {
		const struct sl_worker_rxqs *cur = dp->workers[w]->rxqs;
		bool changed = false;

		next.n = 0;
		for (unsigned int i = 0; i < cur->n; i++) {
			if (is_moving(b, &cur->q[i]))
				changed = true;
			else
				next.q[next.n++] = cur->q[i];
		}
		if (changed)
			publish(dp->workers[w], &next);
	}
	sl_datapath_sync(dp);
}

/* Whether an old worker still has miss records out: packets of a new flow
 * parked behind one leave when it comes back, and must leave before what
 * the new worker receives of that flow. */
static bool
records_out(const struct sl_datapath *dp)
{
	const struct sl_rxq_balance *b = &dp->rxqb;

	for (unsigned int i = 0; i < b->n_pending; i++) {
		const struct sl_miss_channel *u = dp->workers[b->pending[i].from]->miss_channel;

		if (u && sl_miss_in_flight(u))
			return true;
	}
	return false;
}

/* Step 2: the pending queues join their new workers. */
static void
put_on(struct sl_datapath *dp)
{
	struct sl_rxq_balance *b = &dp->rxqb;
	static struct sl_worker_rxqs next;

	/* the records that came back were processed in some iteration whose
	 * flush this grace period waits for */
	sl_datapath_sync(dp);
	for (unsigned int w = 0; w < dp->n_workers; w++) {
		bool changed = false;

		next = *dp->workers[w]->rxqs;
		for (unsigned int i = 0; i < b->n_pending; i++) {
			const struct sl_rxq_move *m = &b->pending[i];

			if (m->to != w || next.n == SL_WORKER_MAX_RXQ)
				continue;
			next.q[next.n++] = (struct sl_worker_rxq){
				.port = dp->ports[m->port], .port_idx = m->port, .qid = m->queue,
				.slot = (uint16_t)(m->port * SL_SCHED_MAX_RXQ + m->queue) };
			dp->assign[m->port * SL_SCHED_MAX_RXQ + m->queue] = (int)w;
			changed = true;
		}
		if (changed)
			publish(dp->workers[w], &next);
	}
	sl_datapath_sync(dp); /* the lists just replaced are spare again */
	b->n_pending = 0;
}

/* Every (port, queue) with its load, socket and worker; returns how many. */
static unsigned int
collect(const struct sl_datapath *dp, struct sl_rebalance_q *qs, struct sl_sched_worker *sw)
{
	unsigned int n = 0;

	for (unsigned int w = 0; w < dp->n_workers; w++)
		sw[w] = (struct sl_sched_worker){ dp->workers[w]->lcore, dp->workers[w]->socket };
	for (unsigned int p = 0; p < dp->n_ports; p++)
		for (unsigned int q = 0; dp->ports[p] && q < dp->ports[p]->n_rxq; q++) {
			unsigned int slot = p * SL_SCHED_MAX_RXQ + q;

			qs[n++] = (struct sl_rebalance_q){ .port = (uint16_t)p, .queue = (uint16_t)q,
				.socket = dp->ports[p]->socket_id, .load = dp->rxqb.load[slot],
				.cur = dp->assign[slot], .next = -1 };
		}
	return n;
}

static void
log_moves(const struct sl_datapath *dp, const struct sl_rebalance_result *res, bool manual)
{
	const struct sl_rxq_balance *b = &dp->rxqb;

	for (unsigned int i = 0; i < b->n_pending; i++) {
		const struct sl_rxq_move *m = &b->pending[i];
		unsigned int l = sl_rxq_balance_bp(dp, m->load);
		unsigned int c = sl_rxq_balance_bp(dp, res->cur_max), n = sl_rxq_balance_bp(dp, res->new_max);

		SL_LOG(SL_LOG_DATAPATH, SL_LOG_NOTICE, "sluiced: rebalance%s: port %s queue %u: "
		       "lcore %u -> lcore %u (load %u.%02u %%; busiest worker %u.%02u %% -> "
		       "%u.%02u %%)", manual ? " (sluicectl)" : "",
		       dp->ports[m->port]->params.name, m->queue, dp->workers[m->from]->lcore,
		       dp->workers[m->to]->lcore, l / 100, l % 100, c / 100, c % 100, n / 100, n % 100);
	}
}

/* Whether every worker can poll what the plan gives it (a queue that
 * found its new worker's list full would be polled by nobody). */
static bool
fits(const struct sl_rebalance_q *qs, unsigned int n)
{
	unsigned int per[RTE_MAX_LCORE] = { 0 };

	for (unsigned int i = 0; i < n; i++)
		if (++per[qs[i].next] > SL_WORKER_MAX_RXQ)
			return false;
	return true;
}

/* The plan's moves (queues whose next worker is not their current one)
 * into the pending list. */
static void
queue_moves(struct sl_rxq_balance *b, const struct sl_rebalance_q *qs, unsigned int n)
{
	for (unsigned int i = 0; i < n && b->n_pending < SL_RXQB_MAX_MOVES; i++)
		if (qs[i].next != qs[i].cur)
			b->pending[b->n_pending++] = (struct sl_rxq_move){
				.port = qs[i].port, .queue = qs[i].queue, .from = (unsigned int)qs[i].cur,
				.to = (unsigned int)qs[i].next, .load = qs[i].load };
}

/* Start the pending moves: off their old workers now, onto the new ones
 * once the old worker's miss records are back. Loads measured across a
 * move mislead the balancer: it holds off for a while. */
static void
start_moves(struct sl_datapath *dp, uint64_t now_ms)
{
	struct sl_rxq_balance *b = &dp->rxqb;

	b->n_moves += b->n_pending;
	b->pending_ms = now_ms;
	b->hold_until_ms = now_ms + SL_RXQB_HOLD_MS;
	b->hyst.streak = 0;
	take_off(dp);
	if (!records_out(dp))
		put_on(dp);
}

/* Plan on the last interval; start the moves when @force or worth it.
 * Returns the moves started, or -1. */
static int
plan_and_start(struct sl_datapath *dp, uint64_t now_ms, bool force,
	       struct sl_rebalance_result *res)
{
	static struct sl_rebalance_q qs[SL_RXQB_SLOTS];
	struct sl_sched_worker sw[RTE_MAX_LCORE];
	struct sl_rxq_balance *b = &dp->rxqb;
	struct sl_rebalance_params prm = {
		.threshold_pct = force ? 0 : dp->cfg->rxq_rebalance_threshold,
		.min_load = force ? 0 : b->interval_tsc / 100 * SL_RXQB_MIN_LOAD_PCT };
	unsigned int n = collect(dp, qs, sw);

	if (b->n_pending || sl_rebalance_plan(qs, n, sw, dp->n_workers, &prm, res) < 0)
		return -1;
	if (!res->worth || !fits(qs, n) ||
	    (!force && !sl_rebalance_sustained(&b->hyst, true)))
		return 0;
	queue_moves(b, qs, n);
	memcpy(b->last, b->pending, b->n_pending * sizeof(b->last[0]));
	b->n_last = b->n_pending;
	log_moves(dp, res, force);
	b->n_rebalances++;
	start_moves(dp, now_ms);
	return (int)b->n_last;
}

int
sl_rxq_balance_follow(struct sl_datapath *dp, unsigned int idx, uint64_t now_ms)
{
	static struct sl_rebalance_q qs[SL_RXQB_SLOTS];
	struct sl_sched_worker sw[RTE_MAX_LCORE];
	struct sl_rxq_balance *b = &dp->rxqb;
	/* rte_vhost's thread sets it when a guest connects */
	int socket = __atomic_load_n(&dp->ports[idx]->socket_id, __ATOMIC_ACQUIRE), moves;
	unsigned int n;

	if (b->n_pending)
		return -1;
	n = collect(dp, qs, sw);
	moves = sl_rebalance_follow(qs, n, sw, dp->n_workers, (uint16_t)idx, socket,
				    SL_WORKER_MAX_RXQ);
	if (moves <= 0)
		return moves;
	queue_moves(b, qs, n);
	for (unsigned int i = 0; i < b->n_pending; i++) {
		const struct sl_rxq_move *mv = &b->pending[i];

		SL_LOG(SL_LOG_DATAPATH, SL_LOG_NOTICE, "sluiced: port %s queue %u: guest memory "
		       "on socket %d: lcore %u (socket %d) -> lcore %u (socket %d)",
		       dp->ports[idx]->params.name, mv->queue, socket,
		       dp->workers[mv->from]->lcore, dp->workers[mv->from]->socket,
		       dp->workers[mv->to]->lcore, dp->workers[mv->to]->socket);
	}
	start_moves(dp, now_ms);
	return moves;
}

/* Loads of the interval that ends now: each queue's counters summed over
 * the workers (a moved queue's old counter stays, so the sum only grows). */
static void
sample(struct sl_datapath *dp, uint64_t now_ms)
{
	struct sl_rxq_balance *b = &dp->rxqb;
	uint64_t tsc = rte_rdtsc();

	for (unsigned int p = 0; p < dp->n_ports; p++)
		for (unsigned int q = 0; dp->ports[p] && q < dp->ports[p]->n_rxq; q++) {
			unsigned int slot = p * SL_SCHED_MAX_RXQ + q;
			uint64_t sum = 0;

			for (unsigned int w = 0; w < dp->n_workers; w++)
				sum += RD(dp->workers[w]->rxq_cycles[slot]);
			b->load[slot] = b->last_tsc ? sum - b->prev[slot] : 0;
			b->prev[slot] = sum;
		}
	b->interval_tsc = b->last_tsc ? tsc - b->last_tsc : 0;
	b->last_tsc = tsc;
	b->last_ms = now_ms;
}

void
sl_rxq_balance_run(struct sl_datapath *dp, uint64_t now_ms)
{
	struct sl_rxq_balance *b = &dp->rxqb;
	struct sl_rebalance_result res;

	if (b->n_pending && (!records_out(dp) || now_ms - b->pending_ms >= SL_RXQB_PARK_WAIT_MS))
		put_on(dp);
	if (now_ms - b->last_ms < SL_RXQB_INTERVAL_MS)
		return;
	sample(dp, now_ms);
	if (dp->cfg->rxq_rebalance_manual || b->interval_tsc == 0 || b->n_pending)
		return;
	if (now_ms < b->hold_until_ms) {
		b->hyst.streak = 0; /* loads of an interval with a move in it mislead */
		return;
	}
	if (plan_and_start(dp, now_ms, false, &res) == 0 && !res.worth)
		sl_rebalance_sustained(&b->hyst, false);
}

int
sl_rxq_balance_now(struct sl_datapath *dp, uint64_t now_ms, struct sl_rxq_move *moves,
		   unsigned int max, struct sl_rebalance_result *res)
{
	struct sl_rxq_balance *b = &dp->rxqb;
	int n = plan_and_start(dp, now_ms, true, res);

	if (n <= 0)
		return n;
	n = (unsigned int)n < max ? n : (int)max;
	memcpy(moves, b->last, (size_t)n * sizeof(*moves));
	return n;
}

unsigned int
sl_rxq_balance_bp(const struct sl_datapath *dp, uint64_t cycles)
{
	uint64_t iv = dp->rxqb.interval_tsc;

	return iv ? (unsigned int)(cycles * 10000 / iv) : 0;
}

unsigned int
sl_rxq_balance_load_bp(const struct sl_datapath *dp, unsigned int port, unsigned int q)
{
	return sl_rxq_balance_bp(dp, dp->rxqb.load[port * SL_SCHED_MAX_RXQ + q]);
}

bool
sl_rxq_balance_busy(const struct sl_datapath *dp)
{
	return dp->rxqb.n_pending != 0;
}

/* The worker that polls the fewest queues, among those of socket @socket
 * (any socket when @socket has none), counting @extra[w] queues more. */
static unsigned int
least_polled(const struct sl_datapath *dp, int socket, const unsigned int *extra)
{
	unsigned int best = UINT32_MAX, best_n = UINT32_MAX;

	for (int pass = 0; pass < 2 && best == UINT32_MAX; pass++)
		for (unsigned int w = 0; w < dp->n_workers; w++) {
			unsigned int n = dp->workers[w]->rxqs->n + extra[w];

			if ((pass == 0 && dp->workers[w]->socket != socket) || n >= best_n)
				continue;
			best = w;
			best_n = n;
		}
	return best;
}

int
sl_rxq_balance_add_port(struct sl_datapath *dp, unsigned int idx)
{
	static struct sl_worker_rxqs next;
	const struct sl_port *port = dp->ports[idx];
	unsigned int to[SL_SCHED_MAX_RXQ], extra[RTE_MAX_LCORE] = { 0 };

	for (unsigned int q = 0; q < port->n_rxq; q++) {
		to[q] = least_polled(dp, port->socket_id, extra);
		if (dp->workers[to[q]]->rxqs->n + ++extra[to[q]] > SL_WORKER_MAX_RXQ)
			return -1;
	}
	for (unsigned int w = 0; w < dp->n_workers; w++) {
		if (extra[w] == 0)
			continue;
		next = *dp->workers[w]->rxqs;
		for (unsigned int q = 0; q < port->n_rxq; q++) {
			unsigned int slot = idx * SL_SCHED_MAX_RXQ + q;
			uint64_t sum = 0;

			if (to[q] != w)
				continue;
			/* the slot's counters may be a removed port's: this
			 * port's load is what they gain from now on */
			for (unsigned int k = 0; k < dp->n_workers; k++)
				sum += RD(dp->workers[k]->rxq_cycles[slot]);
			dp->rxqb.prev[slot] = sum;
			dp->rxqb.load[slot] = 0;
			dp->assign[slot] = (int)w;
			next.q[next.n++] = (struct sl_worker_rxq){ .port = dp->ports[idx],
				.port_idx = (uint16_t)idx, .qid = (uint16_t)q, .slot = (uint16_t)slot };
		}
		publish(dp->workers[w], &next);
	}
	return 0;
}

void
sl_rxq_balance_remove_port(struct sl_datapath *dp, unsigned int idx)
{
	static struct sl_worker_rxqs next;

	for (unsigned int w = 0; w < dp->n_workers; w++) {
		const struct sl_worker_rxqs *cur = dp->workers[w]->rxqs;

		next.n = 0;
		for (unsigned int i = 0; i < cur->n; i++)
			if (cur->q[i].port_idx != idx)
				next.q[next.n++] = cur->q[i];
		if (next.n != cur->n)
			publish(dp->workers[w], &next);
	}
	for (unsigned int q = 0; q < SL_SCHED_MAX_RXQ; q++)
		dp->rxqb.load[idx * SL_SCHED_MAX_RXQ + q] = 0;
}
