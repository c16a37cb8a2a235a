/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hot-plug (sl_port_hotplug.h, datapath_hotplug.c): a removed device's
 * port goes removed -> waiting -> re-probed -> up, retried with a back-off
 * that doubles while the device is not back, and a reason is reported once
 * per change, not at every try. First the state machine alone (a fake
 * clock), then on a datapath of net_null ports whose reattach is made to
 * fail as long as the test says the device is not back, and a reset that
 * fails once. sl_hotplug_pci_ready() is checked on a fake sysfs tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "fp_testbed.h"
#include "sl_datapath_hotplug.h"
#include "sl_port.h"
#include "sl_worker_tx.h"

#define N_PORTS 2
#define S 1000000000ull /* ns in a second */

static struct sl_datapath dp;
static struct sl_config cfg;

static void
test_state_machine(void)
{
	struct sl_hotplug h;

	memset(&h, 0, sizeof(h));
	CU_ASSERT_FALSE(sl_hotplug_due(&h, 100 * S)); /* present: nothing to do */
	CU_ASSERT_TRUE(sl_hotplug_enter(&h, SL_HP_REMOVED, 10 * S));
	CU_ASSERT_TRUE(sl_hotplug_due(&h, 10 * S));
	CU_ASSERT_TRUE(sl_hotplug_enter(&h, SL_HP_WAITING, 10 * S));
	/* the first failure is news, the same reason again is not */
	CU_ASSERT_TRUE(sl_hotplug_failed(&h, "not there", 10 * S));
	CU_ASSERT_FALSE(sl_hotplug_due(&h, 10 * S + S - 1));
	CU_ASSERT_TRUE(sl_hotplug_due(&h, 11 * S));
	CU_ASSERT_FALSE(sl_hotplug_failed(&h, "not there", 11 * S));
	CU_ASSERT_FALSE(sl_hotplug_due(&h, 12 * S));
	CU_ASSERT_TRUE(sl_hotplug_due(&h, 13 * S)); /* 2 s */
	CU_ASSERT_TRUE(sl_hotplug_failed(&h, "bound to igb", 13 * S)); /* news */
	CU_ASSERT_TRUE(sl_hotplug_due(&h, 17 * S)); /* 4 s */
	for (int i = 0; i < 10; i++)
		sl_hotplug_failed(&h, "bound to igb", 17 * S);
	CU_ASSERT_EQUAL(h.backoff_ms, SL_HP_BACKOFF_MAX_MS); /* capped */
	CU_ASSERT_EQUAL(h.tries, 13);
	CU_ASSERT_FALSE(sl_hotplug_due(&h, 17 * S + SL_HP_BACKOFF_MAX_MS * 1000000ull - 1));
	sl_hotplug_kick(&h); /* a device event: at once */
	CU_ASSERT_TRUE(sl_hotplug_due(&h, 17 * S));
	CU_ASSERT_TRUE(sl_hotplug_enter(&h, SL_HP_REPROBED, 18 * S));
	CU_ASSERT_EQUAL(h.backoff_ms, SL_HP_BACKOFF_MIN_MS); /* a new state starts again */
	CU_ASSERT_EQUAL(h.why[0], '\0');
	CU_ASSERT_FALSE(sl_hotplug_enter(&h, SL_HP_REPROBED, 18 * S)); /* no change */
	CU_ASSERT_TRUE(sl_hotplug_enter(&h, SL_HP_PRESENT, 18 * S));
	CU_ASSERT_FALSE(sl_hotplug_due(&h, 100 * S));
	CU_ASSERT_STRING_EQUAL(sl_hotplug_state_name(SL_HP_WAITING), "waiting");
}

/* PCI device @addr in the fake sysfs @root, bound to @drv (NULL: none). */
static void
fake_dev(const char *root, const char *addr, const char *drv)
{
	char path[512], target[600];

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", root, addr);
	snprintf(target, sizeof(target), "mkdir -p %s", path);
	CU_ASSERT_EQUAL(system(target), 0);
	if (drv == NULL)
		return;
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", drv);
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", root, addr);
	CU_ASSERT_EQUAL(symlink(target, path), 0);
}

static void
test_pci_ready(void)
{
	char root[] = "/tmp/hotplug-sysfs-XXXXXX", why[SL_HP_WHY_MAX], cmd[128];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
	CU_ASSERT_EQUAL(sl_hotplug_pci_ready(root, "0000:01:00.0", why, sizeof(why)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "not there"));
	fake_dev(root, "0000:01:00.0", NULL);
	CU_ASSERT_EQUAL(sl_hotplug_pci_ready(root, "0000:01:00.0", why, sizeof(why)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "no driver"));
	fake_dev(root, "0000:02:00.0", "igb");
	CU_ASSERT_EQUAL(sl_hotplug_pci_ready(root, "0000:02:00.0", why, sizeof(why)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "kernel's igb"));
	fake_dev(root, "0000:03:00.0", "vfio-pci");
	CU_ASSERT_EQUAL(sl_hotplug_pci_ready(root, "0000:03:00.0", why, sizeof(why)), 1);
	fake_dev(root, "0000:04:00.0", "uio_pci_generic");
	CU_ASSERT_EQUAL(sl_hotplug_pci_ready(root, "0000:04:00.0", why, sizeof(why)), 1);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The port's device, as the test tells it: back or not, and how many
 * times the port looked for it. */
static bool device_back, device_unbound;
static unsigned int reattach_calls, reset_fails;
static int (*real_reattach)(struct sl_port *p, char *err, size_t errlen);
static int (*real_reset)(struct sl_port *p);

static int
test_reattach(struct sl_port *p, char *err, size_t errlen)
{
	reattach_calls++;
	if (device_unbound) { /* there, on the kernel's driver: bind-nic.sh is near */
		snprintf(err, errlen, "bound to the kernel's igb");
		return -EAGAIN;
	}
	if (!device_back) {
		snprintf(err, errlen, "not back");
		return -ENODEV;
	}
	return real_reattach(p, err, errlen);
}

static int
test_reset_op(struct sl_port *p)
{
	if (reset_fails > 0) {
		reset_fails--;
		return -EIO;
	}
	return real_reset(p);
}

/* Whether worker 0 polls a queue of port index @idx. */
static bool
polled(unsigned int idx)
{
	const struct sl_worker_rxqs *l = dp.workers[0]->rxqs;

	for (unsigned int i = 0; i < l->n; i++)
		if (l->q[i].port_idx == idx)
			return true;
	return false;
}

/* Frames the device of port index @idx says it sent. */
static uint64_t
dev_sent(unsigned int idx)
{
	struct sl_port_stats st;

	CU_ASSERT_EQUAL_FATAL(dp.ports[idx]->ops->stats_get(dp.ports[idx], &st), 0);
	return st.tx_packets;
}

static void
send_one(unsigned int idx)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	memset(rte_pktmbuf_append(m, 64), 0, 64);
	sl_worker_output(dp.workers[0], (uint16_t)idx, m);
	sl_worker_flush_all(dp.workers[0]);
}

static void
test_removed_and_back(void)
{
	static struct sl_port_ops ops;
	struct sl_port *p = dp.ports[1];
	uint64_t t = 1000 * S, seq;

	ops = *p->ops;
	real_reattach = ops.reattach;
	ops.reattach = test_reattach;
	p->ops = &ops;
	CU_ASSERT_TRUE(polled(1));
	__atomic_fetch_or(&p->events, SL_PORT_EV_REMOVED, __ATOMIC_RELEASE);
	sl_datapath_hotplug_run(&dp, t);
	/* removed: down, off the workers' lists, the device let go */
	CU_ASSERT_FALSE(p->started);
	CU_ASSERT_TRUE(p->removed);
	CU_ASSERT_EQUAL(p->hp.state, SL_HP_WAITING);
	CU_ASSERT_FALSE(polled(1));
	CU_ASSERT_EQUAL(p->n_rxq, 0);
	CU_ASSERT_EQUAL(p->port_id, UINT16_MAX);
	CU_ASSERT_PTR_EQUAL(dp.ports[1], p); /* same slot, same number */
	CU_ASSERT_EQUAL(sl_datapath_port_idx(&dp, p->params.ofport), 1);
	CU_ASSERT_TRUE(polled(0)); /* the other port untouched */
	/* waiting: the first try 1 s after the release, then 1 s, 2 s, 4 s apart */
	sl_datapath_hotplug_run(&dp, t + S / 2);
	CU_ASSERT_EQUAL(reattach_calls, 0);
	sl_datapath_hotplug_run(&dp, t + S);
	CU_ASSERT_EQUAL(reattach_calls, 1);
	CU_ASSERT_STRING_EQUAL(p->hp.why, "not back");
	sl_datapath_hotplug_run(&dp, t + S + S / 2);
	CU_ASSERT_EQUAL(reattach_calls, 1);
	sl_datapath_hotplug_run(&dp, t + 2 * S);
	CU_ASSERT_EQUAL(reattach_calls, 2);
	sl_datapath_hotplug_run(&dp, t + 3 * S + S / 2);
	CU_ASSERT_EQUAL(reattach_calls, 2);
	sl_datapath_hotplug_run(&dp, t + 4 * S);
	CU_ASSERT_EQUAL(reattach_calls, 3);
	sl_datapath_hotplug_run(&dp, t + 7 * S);
	CU_ASSERT_EQUAL(reattach_calls, 3);
	CU_ASSERT_EQUAL(p->hp.state, SL_HP_WAITING);
	CU_ASSERT_EQUAL(p->hp.tries, 3);
	/* there but not bound to a DPDK driver: looked at every second, the
	 * back-off (8 s by now) starts again */
	device_unbound = true;
	sl_datapath_hotplug_run(&dp, t + 8 * S);
	CU_ASSERT_EQUAL(reattach_calls, 4);
	CU_ASSERT_STRING_EQUAL(p->hp.why, "bound to the kernel's igb");
	sl_datapath_hotplug_run(&dp, t + 9 * S);
	CU_ASSERT_EQUAL(reattach_calls, 5);
	/* back: re-probed, started and given to the workers in one pass */
	device_unbound = false;
	device_back = true;
	seq = dp.port_seq;
	sl_datapath_hotplug_run(&dp, t + 10 * S);
	CU_ASSERT_EQUAL(reattach_calls, 6);
	CU_ASSERT_EQUAL(p->hp.state, SL_HP_PRESENT);
	CU_ASSERT_TRUE(p->started);
	CU_ASSERT_FALSE(p->removed);
	CU_ASSERT_TRUE(polled(1));
	CU_ASSERT_EQUAL(p->n_rxq, 1);
	CU_ASSERT_NOT_EQUAL(p->port_id, UINT16_MAX);
	CU_ASSERT_TRUE(dp.port_seq > seq);
	sl_datapath_poll_links(&dp);
	CU_ASSERT_TRUE(p->link);
	CU_ASSERT_TRUE(sl_pipeline_port_live(dp.pipeline, p->params.ofport));
	send_one(1);
	CU_ASSERT_EQUAL(dev_sent(1), 1); /* the new device sent it */
}

static void
test_reset_retried(void)
{
	static struct sl_port_ops ops;
	struct sl_port *p = dp.ports[0];
	uint64_t t = 2000 * S, sent;

	ops = *p->ops;
	real_reset = ops.reset;
	ops.reset = test_reset_op;
	p->ops = &ops;
	reset_fails = 1;
	__atomic_fetch_or(&p->events, SL_PORT_EV_RESET, __ATOMIC_RELEASE);
	sl_datapath_hotplug_run(&dp, t);
	CU_ASSERT_FALSE(p->started);
	CU_ASSERT_EQUAL(p->hp.state, SL_HP_WAITING);
	CU_ASSERT_TRUE(p->hp.reset_retry);
	sl_datapath_hotplug_run(&dp, t + S / 2);
	CU_ASSERT_FALSE(p->started);
	sl_datapath_hotplug_run(&dp, t + S);
	CU_ASSERT_TRUE(p->started);
	CU_ASSERT_EQUAL(p->hp.state, SL_HP_PRESENT);
	CU_ASSERT_FALSE(p->hp.reset_retry);
	sent = dev_sent(0);
	send_one(0);
	CU_ASSERT_EQUAL(dev_sent(0), sent + 1);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "state machine: back-off, kick, news once", test_state_machine },
		{ "PCI device ready: fake sysfs", test_pci_ready },
		{ "removed -> waiting -> re-probed -> up", test_removed_and_back },
		{ "failed reset retried", test_reset_retried },
	};

	if (fp_testbed_init(&dp, &cfg, "hotplug", N_PORTS, "", NULL, NULL) < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	return cunit_run_suite("port hot-plug", tests, CUNIT_N_TESTS(tests));
}
