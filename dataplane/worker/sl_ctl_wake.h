/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_CTL_WAKE_H
#define SL_CTL_WAKE_H

/**
 * @file
 * Waking the control lcore when a worker hands it work.
 *
 * Workers pass packet-ins, MAC learning reports and (miss_handling =
 * handler) miss records to the control lcore through rings, and a ring has no
 * file descriptor for the control lcore's poll() to wait on. It used to
 * wait 1 ms at most, always: 1000 wakeups a second whether anything comes
 * or not, 2.4-2.6 % of a CPU on the 2-vCPU benchmark VM (about 25 us of
 * CPU per wakeup there; schedstat of an idle sluiced's main thread), a CPU
 * the control lcore shares with VMs or, in the PVP benchmark, with the
 * traffic generator.
 *
 * Now, once no work has come for a while (sluiced/main.c, CTL_LINGER_MS), the
 * control lcore sleeps up to 10 ms and a worker that queues work wakes it
 * through an eventfd, but only while it is asleep: one write() per sleep
 * at most, on the miss / packet-in path, never for a cache hit; the
 * eventfd is non-blocking, so the write cannot block the worker. Measured
 * on the VM: the idle main thread at 0.3-0.6 % of a CPU; a packet-in
 * after a quiet spell (`scripts/bench/reactive.sh --latency SLUICED 50
 * 300`, frame sent to packet-in received, af_packet ports) in 490 / 487 us
 * median (p90 555 / 739) against 806 / 715 (p90 1303 / 1266) with the
 * 1 ms poll; the first packet of a new flow at rest, which the default
 * miss handler (on the control lcore) decides (`reactive.sh
 * --first-packet`, 100 frames 150 ms apart), in 298 / 327 / 374 us median
 * (p90 390 / 457 / 483) against 683 / 673 / 748 (p90 1191 / 1165 / 1287).
 * The handshake is Dekker's: the control lcore stores
 * `asleep`, then looks at the rings; a worker stores into a ring, then
 * loads `asleep`. With a full fence between the store and the load on
 * both sides, at least one of them sees the other's store: either the
 * control lcore sees the work and does not sleep, or the worker sees
 * `asleep` and writes the eventfd. Whichever worker turns `asleep` from 1
 * to 0 writes; the others see 0 and do nothing.
 */

#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include <rte_branch_prediction.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The control lcore's wake-up: an eventfd and whether it may sleep on it. */
struct sl_ctl_wake {
	int fd;          /**< eventfd (non-blocking), or -1: nothing to wake */
	uint32_t asleep; /**< 1 between sl_ctl_wake_arm() and the wake or disarm */
};

/**
 * Create the eventfd.
 * @param cw the wake-up
 * @return 0, or -errno (then @p cw->fd is -1 and kicks do nothing).
 */
int sl_ctl_wake_init(struct sl_ctl_wake *cw);

/**
 * Close the eventfd. Idempotent.
 * @param cw the wake-up
 */
void sl_ctl_wake_fini(struct sl_ctl_wake *cw);

/**
 * Control lcore, before it blocks: from here on a kick writes the eventfd.
 * The caller must check its rings after this call (the seq_cst store is the
 * fence of the handshake) and not block if any holds work.
 * @param cw the wake-up
 */
static inline void
sl_ctl_wake_arm(struct sl_ctl_wake *cw)
{
	__atomic_store_n(&cw->asleep, 1, __ATOMIC_SEQ_CST);
}

/**
 * Control lcore, after it woke up (for whatever reason).
 * @param cw the wake-up
 */
static inline void
sl_ctl_wake_disarm(struct sl_ctl_wake *cw)
{
	__atomic_store_n(&cw->asleep, 0, __ATOMIC_RELAXED);
}

/**
 * Worker, after it enqueued work for the control lcore: wake it if it is
 * asleep. Costs a fence and a load when it is not; never blocks (the
 * eventfd is non-blocking and its counter cannot overflow at one write per
 * sleep).
 * @param cw the control lcore's wake-up
 */
static inline void
sl_ctl_wake_kick(struct sl_ctl_wake *cw)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (unlikely(__atomic_load_n(&cw->asleep, __ATOMIC_RELAXED)) &&
	    __atomic_exchange_n(&cw->asleep, 0, __ATOMIC_ACQ_REL) != 0) {
		uint64_t one = 1;

		if (write(cw->fd, &one, sizeof(one)) < 0) {
			/* cannot happen with a valid fd; the control lcore's
			 * timeout bounds the wait anyway */
		}
	}
}

#ifdef __cplusplus
}
#endif
#endif /* SL_CTL_WAKE_H */
