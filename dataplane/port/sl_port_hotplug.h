/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_PORT_HOTPLUG_H
#define SL_PORT_HOTPLUG_H

/**
 * @file
 * A port's device removed and coming back (hot-plug), and a reset that
 * failed, retried.
 *
 * A removed NIC or VF keeps its port: the same slot, OpenFlow number and
 * rules, reported LINK_DOWN. The control lcore lets go of the device (so
 * the kernel can finish removing it: vfio-pci waits for its user), then
 * probes the port's devargs again until the device is back and bound to a
 * driver DPDK can use, sets it up as at open and starts it; the link that
 * comes up is a PORT_STATUS MODIFY like any other. Each port goes through
 *
 *   PRESENT -> REMOVED -> WAITING -> REPROBED -> PRESENT
 *
 * (REMOVED: the event is seen, the device not yet let go; WAITING: let go,
 * probed again at each try; REPROBED: probed and set up, not yet started
 * and given to the workers). A step that cannot be made yet is tried again
 * after a back-off that doubles from SL_HP_BACKOFF_MIN_MS to
 * SL_HP_BACKOFF_MAX_MS; a DPDK device event (RTE_DEV_EVENT_ADD of the
 * port's device) makes the next try at once. A reset that fails goes to
 * WAITING too and is retried the same way (the device is still there).
 *
 * What a step found is logged once per change of state or reason, not at
 * every try. The state machine (sl_hotplug_*) is pure: no EAL, no clock of
 * its own, unit-tested alone (test_port_hotplug); the steps on the
 * datapath are in datapath_hotplug.c, the device's side in port_ethdev.c.
 *
 * The device events come from DPDK's device event monitor (uevents of the
 * kernel, and the request vfio-pci sends its user before it removes a
 * device), started on the control lcore (sl_hotplug_monitor_start()); its
 * callback, on DPDK's interrupt thread, only queues the device's name.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a device name (RTE_DEV_NAME_MAX_LEN), NUL included. */
#define SL_HP_DEV_NAME_MAX 64
/** Size of the reason a step could not be made, NUL included. */
#define SL_HP_WHY_MAX 160
/** First back-off between tries (ms). */
#define SL_HP_BACKOFF_MIN_MS 1000u
/** Longest back-off between tries (ms). */
#define SL_HP_BACKOFF_MAX_MS 16000u

/** Where a port's device is (struct sl_hotplug.state). */
enum sl_hp_state {
	SL_HP_PRESENT = 0, /**< there and in use (or never removed) */
	SL_HP_REMOVED,     /**< removed, not yet let go by the port */
	SL_HP_WAITING,     /**< let go; waiting for it to come back (or reset to work) */
	SL_HP_REPROBED,    /**< back and set up; not yet started and given to workers */
};

/** A port's hot-plug state (in struct sl_port; control lcore only). */
struct sl_hotplug {
	enum sl_hp_state state; /**< where the device is */
	/** WAITING after a failed reset: retry the reset, not a probe */
	bool reset_retry;
	uint64_t next_ns;       /**< the next try, not before (CLOCK_MONOTONIC) */
	uint32_t backoff_ms;    /**< wait after the next failed try */
	uint32_t tries;         /**< tries in the current state */
	char why[SL_HP_WHY_MAX]; /**< what the last try found ("" none), logged once */
	/** the device's name on its bus ("0000:01:00.0", "net_null0"), as
	 *  DPDK's device events name it; "" for kinds without a device */
	char dev_name[SL_HP_DEV_NAME_MAX];
	bool pci;               /**< the device is on the PCI bus */
};

/**
 * The name of a state, for logs.
 * @param s the state
 * @return "present", "removed", "waiting" or "reprobed"
 */
const char *sl_hotplug_state_name(enum sl_hp_state s);

/**
 * Move to state @p s (from another one): the back-off starts again and the
 * next step is due at once.
 * @param h    the port's state
 * @param s    the new state
 * @param now  CLOCK_MONOTONIC in ns
 * @return true: the caller logs the change (it is one)
 */
bool sl_hotplug_enter(struct sl_hotplug *h, enum sl_hp_state s, uint64_t now);

/**
 * Whether the step of the current state is due at @p now.
 * @param h    the port's state
 * @param now  CLOCK_MONOTONIC in ns
 * @return true when not PRESENT and the back-off has passed
 */
bool sl_hotplug_due(const struct sl_hotplug *h, uint64_t now);

/**
 * A try that could not move on: the state stays, the next try comes after
 * the back-off, which doubles (up to SL_HP_BACKOFF_MAX_MS).
 * @param h    the port's state
 * @param why  what it found (kept; "" for nothing to say)
 * @param now  CLOCK_MONOTONIC in ns
 * @return true when @p why differs from the last try's: the caller logs it
 *         (once per reason, not at every try)
 */
bool sl_hotplug_failed(struct sl_hotplug *h, const char *why, uint64_t now);

/**
 * A device event for this port's device (it was added, or bound): the
 * next try is due at once, whatever the back-off.
 * @param h the port's state
 */
void sl_hotplug_kick(struct sl_hotplug *h);

/**
 * Whether the PCI device @p addr is present under @p sysfs and bound to a
 * driver DPDK's PCI bus can use (vfio-pci, uio_pci_generic, igb_uio).
 * @param sysfs  "/sys" (a test gives a fake tree)
 * @param addr   the device's name, e.g. "0000:01:00.0"
 * @param why    receives why not, for the log
 * @param len    size of @p why
 * @return 1 when a probe can take it; 0 when it is there but bound to no
 *         driver or the kernel's (an operator is about to bind it: worth
 *         looking again soon, and looking costs no probe); -1 when absent
 */
int sl_hotplug_pci_ready(const char *sysfs, const char *addr, char *why, size_t len);

/** A device event, as DPDK's monitor reported it. */
struct sl_hotplug_event {
	char name[SL_HP_DEV_NAME_MAX]; /**< the device's name on its bus */
	bool added;                    /**< added (or bound), else removed */
};

/**
 * Start DPDK's device event monitor (kernel uevents, vfio-pci's removal
 * requests) and take its events for sl_hotplug_events_take(). Where it
 * cannot start (no netlink socket, not root) the retries alone bring ports
 * back, and that is logged once. Control lcore, after EAL init.
 * @return 0, or -1 when the monitor could not start (events then come only
 *         from ethdev: RTE_ETH_EVENT_INTR_RMV)
 */
int sl_hotplug_monitor_start(void);

/** Stop what sl_hotplug_monitor_start() started. Control lcore. */
void sl_hotplug_monitor_stop(void);

/**
 * Take the device events queued since the last call.
 * @param ev        receives them, oldest first
 * @param max       room in @p ev
 * @param overflow  set when events were lost (the queue was full): the
 *                  caller treats every device as possibly changed
 * @return how many were written
 */
unsigned int sl_hotplug_events_take(struct sl_hotplug_event *ev, unsigned int max,
				    bool *overflow);

#ifdef __cplusplus
}
#endif
#endif /* SL_PORT_HOTPLUG_H */
