/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hot-plug: the per-port state machine (pure, sl_port_hotplug.h) and the
 * queue that DPDK's device event monitor fills from its interrupt thread.
 */
/* DPDK 22.11 still marks the device event API experimental (it has been
 * there, unchanged, since 18.05); only this file uses it. */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_spinlock.h>

#include "sl_log.h"
#include "sl_port_hotplug.h"

const char *
sl_hotplug_state_name(enum sl_hp_state s)
{
	switch (s) {
	case SL_HP_PRESENT: return "present";
	case SL_HP_REMOVED: return "removed";
	case SL_HP_WAITING: return "waiting";
	case SL_HP_REPROBED: return "reprobed";
	}
	return "?";
}

bool
sl_hotplug_enter(struct sl_hotplug *h, enum sl_hp_state s, uint64_t now)
{
	bool changed = h->state != s;

	h->state = s;
	h->next_ns = now;
	h->backoff_ms = SL_HP_BACKOFF_MIN_MS;
	h->tries = 0;
	h->why[0] = '\0';
	if (s == SL_HP_PRESENT)
		h->reset_retry = false;
	return changed;
}

bool
sl_hotplug_due(const struct sl_hotplug *h, uint64_t now)
{
	return h->state != SL_HP_PRESENT && now >= h->next_ns;
}

bool
sl_hotplug_failed(struct sl_hotplug *h, const char *why, uint64_t now)
{
	bool news = strcmp(h->why, why) != 0;

	if (h->backoff_ms < SL_HP_BACKOFF_MIN_MS)
		h->backoff_ms = SL_HP_BACKOFF_MIN_MS;
	h->next_ns = now + (uint64_t)h->backoff_ms * 1000000ull;
	h->backoff_ms = h->backoff_ms * 2 > SL_HP_BACKOFF_MAX_MS ? SL_HP_BACKOFF_MAX_MS
								 : h->backoff_ms * 2;
	h->tries++;
	snprintf(h->why, sizeof(h->why), "%s", why);
	return news;
}

void
sl_hotplug_kick(struct sl_hotplug *h)
{
	h->next_ns = 0;
}

/* The drivers through which DPDK's PCI bus maps a device (bus/pci/linux). */
static const char *const dpdk_pci_drivers[] = { "vfio-pci", "uio_pci_generic", "igb_uio" };

int
sl_hotplug_pci_ready(const char *sysfs, const char *addr, char *why, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *drv;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", sysfs, addr);
	if (access(path, F_OK) != 0) {
		snprintf(why, len, "PCI device %s is not there", addr);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", sysfs, addr);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0) {
		snprintf(why, len, "PCI device %s is back, bound to no driver "
			 "(scripts/host/bind-nic.sh %s)", addr, addr);
		return 0;
	}
	link[n] = '\0';
	drv = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	for (size_t i = 0; i < sizeof(dpdk_pci_drivers) / sizeof(dpdk_pci_drivers[0]); i++)
		if (strcmp(drv, dpdk_pci_drivers[i]) == 0)
			return 1;
	snprintf(why, len, "PCI device %s is back, bound to the kernel's %s "
		 "(scripts/host/bind-nic.sh %s)", addr, drv, addr);
	return 0;
}

/* The monitor's events, from DPDK's interrupt thread to the control lcore.
 * A lock, not a ring: a handful of events a minute at most. */
#define HP_QUEUE 32
static rte_spinlock_t hp_lock = RTE_SPINLOCK_INITIALIZER;
static struct sl_hotplug_event hp_queue[HP_QUEUE];
static unsigned int hp_n;
static bool hp_overflow;
static bool hp_monitoring;

static void
hp_dev_event(const char *name, enum rte_dev_event_type type, void *arg)
{
	(void)arg;
	if (name == NULL || (type != RTE_DEV_EVENT_ADD && type != RTE_DEV_EVENT_REMOVE))
		return;
	rte_spinlock_lock(&hp_lock);
	if (hp_n < HP_QUEUE) {
		snprintf(hp_queue[hp_n].name, sizeof(hp_queue[hp_n].name), "%s", name);
		hp_queue[hp_n++].added = type == RTE_DEV_EVENT_ADD;
	} else {
		hp_overflow = true;
	}
	rte_spinlock_unlock(&hp_lock);
}

int
sl_hotplug_monitor_start(void)
{
	int rc = rte_dev_event_callback_register(NULL, hp_dev_event, NULL);

	if (rc != 0 && rc != -EEXIST) {
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: no device events (%s): a removed "
		       "NIC is noticed only if its driver says so, and found again by retries",
		       strerror(-rc));
		return -1;
	}
	hp_monitoring = true;
	/* vfio-pci's removal request reaches the callback without the monitor;
	 * the monitor adds the kernel's uevents (a device added, a uio one
	 * removed), and the hot-plug handler keeps a removed uio device's
	 * registers mapped to harmless memory until the port lets it go. */
	rc = rte_dev_event_monitor_start();
	if (rc == 0 && rte_dev_hotplug_handle_enable() != 0)
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: DPDK's hot-unplug handler is off: a "
		       "uio-bound NIC removed under a port may fault");
	if (rc != 0) {
		SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: no kernel device events (uevent "
		       "monitor: %s): removed ports are probed again every %u s at most",
		       strerror(rc < 0 ? -rc : EIO), SL_HP_BACKOFF_MAX_MS / 1000);
		return -1;
	}
	return 0;
}

void
sl_hotplug_monitor_stop(void)
{
	if (!hp_monitoring)
		return;
	(void)rte_dev_hotplug_handle_disable();
	(void)rte_dev_event_monitor_stop();
	/* -EAGAIN while the interrupt thread runs it: try until it is out */
	while (rte_dev_event_callback_unregister(NULL, hp_dev_event, (void *)-1) == -EAGAIN)
		;
	hp_monitoring = false;
	hp_n = 0;
	hp_overflow = false;
}

unsigned int
sl_hotplug_events_take(struct sl_hotplug_event *ev, unsigned int max, bool *overflow)
{
	unsigned int n;

	rte_spinlock_lock(&hp_lock);
	n = hp_n < max ? hp_n : max;
	memcpy(ev, hp_queue, n * sizeof(*ev));
	memmove(hp_queue, hp_queue + n, (hp_n - n) * sizeof(*ev));
	hp_n -= n;
	*overflow = hp_overflow;
	hp_overflow = false;
	rte_spinlock_unlock(&hp_lock);
	return n;
}
