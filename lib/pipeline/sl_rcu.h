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

#include <stddef.h>
#include <stdint.h>

struct rte_rcu_qsbr;
struct sl_rcu;

/**
 * Create a reclaimer. @p qsbr: the runtime's QSBR variable, or NULL to allocate
 * one for @p max_threads readers (retrieve it with sl_rcu_qsbr()).
 */
struct sl_rcu *sl_rcu_create(struct rte_rcu_qsbr *qsbr, unsigned int max_threads);

/** The QSBR variable readers register with and report quiescence on. */
struct rte_rcu_qsbr *sl_rcu_qsbr(struct sl_rcu *rcu);

/** Free @p ptr with @p fn (NULL = free()) after the current grace period. Writer only. */
void sl_rcu_defer(struct sl_rcu *rcu, void (*fn)(void *), void *ptr);

/** Free what is safe to free now, without waiting. Returns the number freed. */
unsigned int sl_rcu_reclaim(struct sl_rcu *rcu);

/** Wait for grace periods (all readers quiescent) until everything deferred,
 *  including what the releases defer in turn, is freed. */
void sl_rcu_synchronize(struct sl_rcu *rcu);

/** Number of objects waiting for their grace period. */
size_t sl_rcu_pending(const struct sl_rcu *rcu);

/** Free everything (no readers may remain) and the reclaimer itself. */
void sl_rcu_destroy(struct sl_rcu *rcu);

#endif /* SL_RCU_H */
