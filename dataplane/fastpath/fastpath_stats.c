/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lazy crediting: a cache hit counts on its megaflow entry only; the
 * entry's rules and tables get its counts when it is pushed.
 *
 * Why: crediting every rule and table a packet went through, per run of
 * packets, touched one counter slot per rule (32 bytes in a shard of 11k
 * rules on the 3-table benchmark: mostly L2 misses at 100k flows) on top of
 * the entry and its handle. Pushing an entry's counts once per period
 * touches those slots once per entry instead of once per packet run. OVS
 * does the same (its revalidators push datapath flow stats to rules).
 *
 * Which entries: an entry whose counts were all pushed
 * (!sl_megaflow_unreported) goes on the worker's dirty list at its first hit
 * after that; the list has a slot per cache entry, so it holds the working set.
 * An entry leaving the cache, or giving up its handle, pushes its own
 * counts through that handle first (the release callback); the list may
 * then name a free or reused entry, which the push skips or handles as
 * itself.
 *
 * When the list is pushed (fp_stats_push_due, from sl_fastpath_end at the end
 * of each iteration):
 *  - when a grace period began since the last push (the QSBR token moved):
 *    a rule may have been removed, and its slot is reused two grace periods
 *    later (sl_rule_stats.h, Lifetime). The worker does not report
 *    quiescent until the push is complete, so the second grace period
 *    cannot end before every count gathered under the old rules is in;
 *  - when the iteration received nothing (traffic stopped: the counters
 *    become exact at once, as they were with eager crediting);
 *  - every SL_FASTPATH_PUSH_MS otherwise (idle timeouts read the rules'
 *    last use; stats read under traffic are that fresh);
 *  - a slice, when the list is full (entries were reused many times over,
 *    or the cache holds more than the list: at most 1M entries).
 * A push pops at most FP_PUSH_BUDGET entries per iteration, so a full list
 * (65536 entries) does not stall the worker for a millisecond.
 *
 * Slow paths (translations, recirculations, the handler's packets, group
 * buckets) still credit at once: fp_credit_now() counts those packets as
 * already pushed on their entry.
 */
#include <string.h>

#include <rte_common.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "fastpath_private.h"

#define FP_PUSH_BUDGET 1024u

void
fp_push_entry(struct sl_fastpath *fp, struct sl_megaflow *mf, const struct fp_actions *h)
{
	uint64_t packets, bytes, used_ns = fp->now_ns;

	if (fp->no_push || h == NULL)
		return;
	sl_megaflow_take_stats(mf, &packets, &bytes);
	if (packets == 0)
		return;
	/* the rules' last use is the entry's, not the push's */
	if (mf->last_used < fp->now_tsc)
		used_ns -= RTE_MIN(used_ns, sl_meter_clock_ns(&fp->clock, fp->now_tsc - mf->last_used));
	fp_credit_rules(fp, h, packets, bytes, packets, used_ns);
}

/* Push up to @budget entries from the end of the dirty list. */
static void
push_some(struct sl_fastpath *fp, uint32_t budget)
{
	while (fp->n_dirty > 0 && budget-- > 0) {
		struct sl_megaflow *mf = fp->dirty[--fp->n_dirty];

		if (fp->n_dirty > 0)
			rte_prefetch0(fp->dirty[fp->n_dirty - 1]);
		if (mf->subtable != NULL) /* else free: pushed when released */
			fp_push_entry(fp, mf, mf->actions);
	}
}

void
fp_dirty_overflow(struct sl_fastpath *fp)
{
	push_some(fp, FP_PUSH_BUDGET); /* room for more, without a long stall */
}

void
sl_fastpath_flush_stats(struct sl_fastpath *fp)
{
	push_some(fp, UINT32_MAX);
	fp->flushing = false;
}

/* Push a slice of the dirty list when it is due. Returns false while a
 * push is under way. */
bool
fp_stats_push_due(struct sl_fastpath *fp, bool idle)
{
	if (!fp->flushing) {
		uint64_t t = __atomic_load_n(&fp->dp->qsbr->token, __ATOMIC_ACQUIRE);

		if (fp->n_dirty == 0) {
			/* nothing owed: as good as a push begun at t */
			fp->flush_token = t;
			fp->next_flush_tsc = fp->now_tsc + fp->flush_period_tsc;
			return true;
		}
		if (t == fp->flush_token && !idle && fp->now_tsc < fp->next_flush_tsc)
			return true;
		fp->flushing = true;
		fp->flush_token = t; /* not read again until the push completes */
		fp->stats.stats_pushes++;
	}
	push_some(fp, FP_PUSH_BUDGET);
	if (fp->n_dirty > 0)
		return false;
	fp->flushing = false;
	fp->next_flush_tsc = fp->now_tsc + fp->flush_period_tsc;
	return true;
}

/* ---------------------------------------- counters for the control side ---- */

const struct sl_fastpath_stats *
sl_fastpath_stats(const struct sl_fastpath *fp)
{
	return &fp->stats;
}

uint64_t
sl_fastpath_drops(const struct sl_fastpath *fp, enum sl_drop_reason why)
{
	uint64_t n = 0;

	for (unsigned int s = 0; s < SL_ACCT_SLOTS; s++)
		n += fp->w->acct[s].drops[why];
	return n;
}

void
sl_fastpath_megaflow_stats(const struct sl_fastpath *fp, struct sl_megaflow_stats *st)
{
	sl_megaflow_get_stats(fp->mfc, st);
}

void
sl_fastpath_emc_stats(const struct sl_fastpath *fp, struct sl_emc_stats *st)
{
	if (fp->emc)
		sl_emc_get_stats(fp->emc, st);
	else
		memset(st, 0, sizeof(*st));
}

void
sl_fastpath_exec_stats(const struct sl_fastpath *fp, struct sl_exec_stats *sum)
{
	uint64_t *d = (uint64_t *)sum;

	_Static_assert(sizeof(*sum) % sizeof(uint64_t) == 0, "64-bit counters only");
	memset(sum, 0, sizeof(*sum));
	for (unsigned int p = 0; p < SL_ACCT_SLOTS; p++) {
		const uint64_t *s = (const uint64_t *)&fp->w->acct[p].exec;

		for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
			d[i] += __atomic_load_n(&s[i], __ATOMIC_RELAXED);
	}
}
