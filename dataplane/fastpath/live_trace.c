/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Live trace (sl_live_trace.h): the shared budget, the record ring and the
 * mbuf flag. The fast path's side (marking, recording) is fastpath_trace.c.
 */
#include <string.h>

#include <rte_mbuf_dyn.h>

#include "sl_live_trace.h"

_Static_assert(sizeof(struct sl_live_trace_rec) % 4 == 0, "ring elements are 4-byte multiples");

struct sl_live_trace sl_live_trace;

uint16_t
sl_live_trace_claim(uint16_t in_idx, uint16_t n)
{
	uint32_t *b = &sl_live_trace.budget[in_idx];
	uint32_t left = __atomic_load_n(b, __ATOMIC_RELAXED), take;

	do {
		if (left == 0)
			return 0;
		take = left < n ? left : n;
	} while (!__atomic_compare_exchange_n(b, &left, left - take, false, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return (uint16_t)take;
}

void
sl_live_trace_emit(const struct sl_live_trace_rec *rec)
{
	struct rte_ring *r = __atomic_load_n(&sl_live_trace.ring, __ATOMIC_ACQUIRE);

	if (r == NULL || rte_ring_mp_enqueue_elem(r, (void *)(uintptr_t)rec, sizeof(*rec)) != 0)
		__atomic_fetch_add(&sl_live_trace.lost, 1, __ATOMIC_RELAXED);
}

void
sl_live_trace_disarm(void)
{
	for (unsigned int i = 0; i < SL_MAX_PORTS; i++)
		__atomic_store_n(&sl_live_trace.budget[i], 0, __ATOMIC_RELEASE);
}

int
sl_live_trace_arm(uint16_t in_idx, uint32_t n)
{
	static const struct rte_mbuf_dynflag desc = { .name = "sluice_live_trace" };
	struct sl_live_trace *t = &sl_live_trace;
	struct sl_live_trace_rec scratch;

	if (n == 0 || n > SL_LIVE_TRACE_MAX || in_idx >= SL_MAX_PORTS)
		return -1;
	if (t->flag == 0) {
		int bit = rte_mbuf_dynflag_register(&desc);

		if (bit < 0)
			return -1;
		__atomic_store_n(&t->flag, 1ull << bit, __ATOMIC_RELEASE);
	}
	if (t->ring == NULL) {
		struct rte_ring *r = rte_ring_create_elem("sl_live_trace", sizeof(struct sl_live_trace_rec),
							  SL_LIVE_TRACE_RING, SOCKET_ID_ANY,
							  RING_F_SC_DEQ);

		if (r == NULL)
			return -1;
		__atomic_store_n(&t->ring, r, __ATOMIC_RELEASE);
	}
	sl_live_trace_disarm();
	/* an earlier trace's late records (misses back from the handler) */
	while (rte_ring_sc_dequeue_elem(t->ring, &scratch, sizeof(scratch)) == 0)
		;
	__atomic_store_n(&t->lost, 0, __ATOMIC_RELAXED);
	/* release: a worker that sees the budget sees the ring and the flag */
	__atomic_store_n(&t->budget[in_idx], n, __ATOMIC_RELEASE);
	return 0;
}

unsigned int
sl_live_trace_collect(struct sl_live_trace_rec *recs, unsigned int max)
{
	struct rte_ring *r = sl_live_trace.ring;

	return r ? rte_ring_sc_dequeue_burst_elem(r, recs, sizeof(*recs), max, NULL) : 0;
}
