/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests for the control lcore's wake-up (dataplane/worker/sl_ctl_wake.h):
 * kicks write the eventfd only while it is armed, once per sleep, and the
 * arm / check / sleep handshake loses no wake-up against a kicking thread. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "sl_ctl_wake.h"

/* Wake-ups waiting on the eventfd (its counter), consumed; 0 if none. */
static uint64_t
take(struct sl_ctl_wake *cw)
{
	uint64_t n = 0;

	if (read(cw->fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return 0;
	return n;
}

static void
test_kick_only_while_armed(void)
{
	struct sl_ctl_wake cw;

	CU_ASSERT_EQUAL_FATAL(sl_ctl_wake_init(&cw), 0);
	sl_ctl_wake_kick(&cw); /* awake: nothing written */
	CU_ASSERT_EQUAL(take(&cw), 0);

	sl_ctl_wake_arm(&cw);
	sl_ctl_wake_kick(&cw);
	sl_ctl_wake_kick(&cw); /* the first kick disarmed it */
	sl_ctl_wake_kick(&cw);
	CU_ASSERT_EQUAL(take(&cw), 1);
	CU_ASSERT_EQUAL(cw.asleep, 0);

	sl_ctl_wake_arm(&cw);
	sl_ctl_wake_disarm(&cw); /* woke for another reason */
	sl_ctl_wake_kick(&cw);
	CU_ASSERT_EQUAL(take(&cw), 0);
	sl_ctl_wake_fini(&cw);
	CU_ASSERT_EQUAL(cw.fd, -1);
	sl_ctl_wake_fini(&cw); /* idempotent */
}

/* The handshake under a race: a producer publishes work items one at a
 * time (a counter standing for a ring) and kicks after each; the consumer
 * arms, checks the counter, and sleeps in poll() only when it saw nothing
 * new. A lost wake-up leaves the consumer asleep with work published: it
 * sleeps out the whole (long) timeout, which the test counts. */
#define RACE_ITEMS 20000
#define LOST_WAKEUP_MS 2000

struct race {
	struct sl_ctl_wake cw;
	uint64_t published; /* items made visible */
	uint64_t kicked;    /* items whose kick has returned */
};

static void *
producer(void *arg)
{
	struct race *r = arg;

	for (unsigned int i = 0; i < RACE_ITEMS; i++) {
		/* vary the gap so that kicks land in every phase of the consumer */
		for (volatile unsigned int spin = (unsigned int)rand() % 2000; spin; spin--)
			;
		__atomic_store_n(&r->published, i + 1, __ATOMIC_RELEASE);
		sl_ctl_wake_kick(&r->cw);
		__atomic_store_n(&r->kicked, i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void
test_no_lost_wakeup(void)
{
	struct race r = { .published = 0, .kicked = 0 };
	uint64_t seen = 0;
	unsigned int sleeps = 0, lost = 0;
	pthread_t t;

	CU_ASSERT_EQUAL_FATAL(sl_ctl_wake_init(&r.cw), 0);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, producer, &r), 0);
	while (seen < RACE_ITEMS) {
		struct pollfd pfd = { .fd = r.cw.fd, .events = POLLIN };

		sl_ctl_wake_arm(&r.cw);
		if (__atomic_load_n(&r.published, __ATOMIC_ACQUIRE) == seen) {
			sleeps++;
			/* Slept it out although an item we had not seen was
			 * kicked for: that kick came after our check, so after
			 * the arm, and must have written the eventfd. (Only a
			 * completed kick counts: a producer preempted between
			 * publishing and kicking is not a lost wake-up.) */
			if (poll(&pfd, 1, LOST_WAKEUP_MS) == 0 &&
			    __atomic_load_n(&r.kicked, __ATOMIC_ACQUIRE) > seen)
				lost++;
		}
		sl_ctl_wake_disarm(&r.cw);
		take(&r.cw);
		seen = __atomic_load_n(&r.published, __ATOMIC_ACQUIRE);
	}
	pthread_join(t, NULL);
	CU_ASSERT_EQUAL(lost, 0);
	CU_ASSERT(sleeps > 0); /* the race was run, not skipped */
	sl_ctl_wake_fini(&r.cw);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "kick only while armed, once per sleep", test_kick_only_while_armed },
		{ "no lost wake-up against a kicking thread", test_no_lost_wakeup },
	};

	return cunit_run_suite("control lcore wake-up", tests, CUNIT_N_TESTS(tests));
}
