/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_rcu.h
 * Deferred reclamation for the pipeline's RCU-protected structures.
 *
 * Readers (workers) report quiescent states on an rte_rcu_qsbr variable; the
 * single writer (control lcore) unlinks objects with atomic stores and hands
 * them to sl_rcu_defer(), which tags each with an rte_rcu_qsbr token. They are
 * freed by sl_rcu_reclaim() once every registered reader has gone quiescent
 * after the token. rte_rcu_qsbr needs no EAL; we keep our own FIFO instead of
 * rte_rcu_qsbr_dq (which needs an rte_ring, i.e. EAL memzones).
 */
#ifndef SL_RCU_H
#define SL_RCU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rte_rcu_qsbr;
struct sl_rcu;

/**
 * Create a reclaimer.
 * @param qsbr        the runtime's QSBR variable, or NULL to allocate one for
 *                    @p max_threads readers (retrieve it with sl_rcu_qsbr())
 * @param max_threads readers of an allocated QSBR variable (0 counts as 1);
 *                    unused when @p qsbr is given
 * @return the reclaimer, or NULL on allocation failure.
 */
struct sl_rcu *sl_rcu_create(struct rte_rcu_qsbr *qsbr, unsigned int max_threads);

/**
 * The QSBR variable readers register with and report quiescence on.
 * @param rcu the reclaimer
 * @return its QSBR variable (given to or allocated by sl_rcu_create()).
 */
struct rte_rcu_qsbr *sl_rcu_qsbr(struct sl_rcu *rcu);

/**
 * Free @p ptr with @p fn (NULL = free()) after the current grace period. Writer only.
 * @param rcu the reclaimer
 * @param fn  the release function, or NULL for free()
 * @param ptr the object, already unreachable for new readers
 */
void sl_rcu_defer(struct sl_rcu *rcu, void (*fn)(void *), void *ptr);

/**
 * Free what is safe to free now, without waiting.
 * @param rcu the reclaimer
 * @return the number freed.
 */
unsigned int sl_rcu_reclaim(struct sl_rcu *rcu);

/** Wait for grace periods (all readers quiescent) until everything deferred,
 *  including what the releases defer in turn, is freed.
 *  @param rcu the reclaimer */
void sl_rcu_synchronize(struct sl_rcu *rcu);

/**
 * Number of objects waiting for their grace period.
 * @param rcu the reclaimer
 * @return the count.
 */
size_t sl_rcu_pending(const struct sl_rcu *rcu);

/**
 * Free everything (no readers may remain) and the reclaimer itself.
 * @param rcu the reclaimer
 */
void sl_rcu_destroy(struct sl_rcu *rcu);

#endif /* SL_RCU_H */
