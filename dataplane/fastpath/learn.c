/* SPDX-License-Identifier: BSD-3-Clause */
/* Worker -> control lcore MAC learning reports (see sl_learn.h). */
#include <stdio.h>
#include <time.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "sl_learn.h"
#include "sl_mac_learning.h"

#define LEARN_BURST 64
#define LEARN_MAX_PER_RUN 4096
#define AGING_PERIOD_NS 1000000000ull

int
sl_learn_ring_create(struct sl_worker *w)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "sl_learn_%u", w->idx);
	w->learn_ring = rte_ring_create_elem(name, sizeof(struct sl_xlate_learn),
					     SL_LEARN_RING_SIZE, w->socket,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
	return w->learn_ring ? 0 : -1;
}

void
sl_learn_ring_free(struct sl_worker *w)
{
	rte_ring_free(w->learn_ring);
	w->learn_ring = NULL;
}

void
sl_learn_report(struct sl_worker *w, const struct sl_xlate_learn *l)
{
	if (w->learn_ring == NULL ||
	    rte_ring_sp_enqueue_elem(w->learn_ring, (void *)(uintptr_t)l, sizeof(*l)) != 0)
		w->stats.learn_drops++;
	else
		sl_ctl_wake_kick(&w->dp->ctl_wake);
}

static void
apply(struct sl_datapath *dp, const struct sl_xlate_learn *l, uint64_t now_ns)
{
	sl_pipeline_mac_learn(dp->pipeline, l->port, l->vlan, l->mac, now_ns);
}

void
sl_learn_apply(struct sl_datapath *dp, const struct sl_xlate_learn *l)
{
	struct timespec ts;

	if (dp->pipeline == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	apply(dp, l, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

unsigned int
sl_learn_run(struct sl_datapath *dp, uint64_t now_ns)
{
	struct sl_xlate_learn batch[LEARN_BURST];
	unsigned int applied = 0;
	uint64_t drops = 0;

	if (dp->pipeline == NULL)
		return 0;
	for (unsigned int i = 0; i < dp->n_workers; i++) {
		struct sl_worker *w = dp->workers[i];
		unsigned int n;

		drops += __atomic_load_n(&w->stats.learn_drops, __ATOMIC_RELAXED);
		if (w->learn_ring == NULL)
			continue;
		do {
			n = rte_ring_sc_dequeue_burst_elem(w->learn_ring, batch, sizeof(batch[0]),
							   LEARN_BURST, NULL);
			for (unsigned int j = 0; j < n; j++)
				apply(dp, &batch[j], now_ns);
			applied += n;
		} while (n == LEARN_BURST && applied < LEARN_MAX_PER_RUN);
	}
	/* Reports were lost (a ring was full): the megaflows made by those
	 * translations would never report again, so make every hit translate
	 * once more; sources still unknown are then reported again. */
	if (drops != dp->learn_drops_seen) {
		dp->learn_drops_seen = drops;
		sl_pipeline_mac_reports_lost(dp->pipeline);
	}
	if (now_ns - dp->learn_aged_ns >= AGING_PERIOD_NS) {
		dp->learn_aged_ns = now_ns;
		sl_pipeline_mac_expire(dp->pipeline, now_ns);
	}
	return applied;
}
