/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port's device reset, removed and back (sl_datapath_hotplug.h), on the
 * control lcore. The ordering rules are those of datapath_ports.c: a worker
 * reaches a port through its rx queue lists, its slot's pointer and
 * started; the device is let go only after two grace periods (no burst
 * in it, no list naming its queues), and given back to the workers only
 * once it is set up and started. The port keeps its slot, number, rules
 * and counters' rows throughout.
 */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>

#include "sl_datapath_hotplug.h"
#include "sl_log.h"
#include "sl_pipeline.h"
#include "sl_port_hotplug.h"
#include "sl_rxq_balance.h"

/* No worker is in, or starts, a burst on @p p when this returns. */
static void
quiesce(struct sl_datapath *dp, struct sl_port *p)
{
	__atomic_store_n(&p->started, false, __ATOMIC_RELEASE);
	sl_datapath_sync(dp);
}

/* A reset asked (a VF whose PF was reset): its queues are dead until it is
 * set up again. rte_eth_dev_reset(), the same queues, started; a failure
 * leaves the port down and is retried (WAITING, reset_retry). */
static void
try_reset(struct sl_datapath *dp, struct sl_port *p, uint64_t now)
{
	int rc;

	quiesce(dp, p);
	if (p->ops->reset == NULL) {
		SL_LOG(SL_LOG_PORT, SL_LOG_ERR, "sluiced: port %s: reset asked, not supported; "
		       "the port is down", p->params.name);
		return;
	}
	rc = p->ops->reset(p);
	if (rc == 0) {
		p->started = true;
		sl_hotplug_enter(&p->hp, SL_HP_PRESENT, now);
		SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: device reset, port restarted",
		       p->params.name);
		return;
	}
	if (p->hp.state != SL_HP_WAITING) {
		sl_hotplug_enter(&p->hp, SL_HP_WAITING, now);
		p->hp.reset_retry = true;
	}
	if (sl_hotplug_failed(&p->hp, rte_strerror(-rc), now))
		SL_LOG(SL_LOG_PORT, SL_LOG_ERR, "sluiced: port %s: reset failed (%s); the port is "
		       "down, the reset is tried again", p->params.name, rte_strerror(-rc));
}

/* REMOVED -> WAITING: the rx queues off the workers' lists, then the device
 * let go (vfio-pci waits for that to finish the removal). */
static void
release(struct sl_datapath *dp, unsigned int idx, struct sl_port *p, uint64_t now)
{
	if (sl_rxq_balance_busy(dp)) { /* its lists are being swapped: next time */
		(void)sl_hotplug_failed(&p->hp, "", now);
		return;
	}
	sl_rxq_balance_remove_port(dp, idx);
	sl_datapath_sync(dp); /* the replaced lists are spare; none names it */
	rte_spinlock_lock(&dp->ports_lock); /* the telemetry thread reads its counters */
	p->n_rxq = 0; /* nothing for the rebalancer to place */
	if (p->ops->detach)
		p->ops->detach(p);
	rte_spinlock_unlock(&dp->ports_lock);
	sl_hotplug_enter(&p->hp, SL_HP_WAITING, now);
	/* not at once: the kernel is still taking the device away */
	p->hp.next_ns = now + SL_HP_BACKOFF_MIN_MS * 1000000ull;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: device %s let go; the port waits "
	       "for it to come back", p->params.name, p->hp.dev_name[0] ? p->hp.dev_name : "");
}

/* The removal itself: down at once (started, then the link poll reports
 * LINK_DOWN), the release as soon as it can be done. */
static void
removed(struct sl_datapath *dp, unsigned int idx, struct sl_port *p, uint64_t now)
{
	quiesce(dp, p);
	p->removed = true;
	if (p->ops->detach == NULL || p->ops->reattach == NULL) {
		/* nothing to let go, nothing to probe again: down for good */
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: port %s: device removed; the port "
		       "is down", p->params.name);
		return;
	}
	sl_hotplug_enter(&p->hp, SL_HP_REMOVED, now);
	p->hp.reset_retry = false; /* a device back is set up anew */
	SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: port %s: device removed; the port is down "
	       "until it comes back", p->params.name);
	release(dp, idx, p, now);
}

/* Whether the port still holds its device (not let go after a removal). */
static bool
holds_device(const struct sl_port *p)
{
	return p->hp.state != SL_HP_WAITING || p->hp.reset_retry;
}

void
sl_datapath_port_events(struct sl_datapath *dp, unsigned int idx, uint64_t now)
{
	struct sl_port *p = dp->ports[idx];
	uint32_t ev = __atomic_exchange_n(&p->events, 0, __ATOMIC_ACQUIRE);

	if (ev & SL_PORT_EV_REMOVED) {
		if (holds_device(p))
			removed(dp, idx, p, now);
	} else if ((ev & SL_PORT_EV_RESET) && p->hp.state == SL_HP_PRESENT && !p->removed) {
		try_reset(dp, p, now);
	} /* a reset asked of a removed device: it is set up anew when back */
}

/* WAITING -> REPROBED: the device probed again and set up (not started). */
static void
reprobe(struct sl_datapath *dp, struct sl_port *p, uint64_t now)
{
	char why[SL_HP_WHY_MAX] = "";
	int rc;

	if (p->hp.reset_retry) {
		try_reset(dp, p, now);
		return;
	}
	rte_spinlock_lock(&dp->ports_lock);
	rc = p->ops->reattach(p, why, sizeof(why));
	rte_spinlock_unlock(&dp->ports_lock);
	if (rc == 0) {
		sl_hotplug_enter(&p->hp, SL_HP_REPROBED, now);
		return;
	}
	if (sl_hotplug_failed(&p->hp, why, now))
		SL_LOG(SL_LOG_PORT, rc == -ENODEV || rc == -EAGAIN ? SL_LOG_NOTICE : SL_LOG_ERR,
		       "sluiced: port %s: device not back yet: %s (tried again every %u s at most)",
		       p->params.name, why, SL_HP_BACKOFF_MAX_MS / 1000);
	/* back but bound to the kernel's driver: the bind (no uevent DPDK
	 * reports) is near, and looking at sysfs costs no probe */
	if (rc == -EAGAIN) {
		p->hp.next_ns = now + SL_HP_BACKOFF_MIN_MS * 1000000ull;
		p->hp.backoff_ms = SL_HP_BACKOFF_MIN_MS;
	}
}

/* REPROBED -> PRESENT: tx queues, started, rx queues to the workers (as
 * add-port gives them), live again. */
static void
restart(struct sl_datapath *dp, unsigned int idx, struct sl_port *p, uint64_t now)
{
	char why[SL_HP_WHY_MAX];
	uint64_t created;
	int rc;

	if (sl_rxq_balance_busy(dp)) {
		(void)sl_hotplug_failed(&p->hp, "", now);
		return;
	}
	for (unsigned int w = 0; w < dp->n_workers; w++)
		dp->workers[w]->txq[idx] = (uint16_t)(w % p->n_txq);
	rc = p->ops->start(p);
	if (rc == 0 && sl_rxq_balance_add_port(dp, idx) < 0) {
		quiesce(dp, p);
		p->ops->stop(p);
		rc = -E2BIG;
	}
	if (rc != 0) {
		snprintf(why, sizeof(why), "cannot start: %s", rc == -E2BIG ?
			 "its rx queues do not fit in the workers' lists" : rte_strerror(-rc));
		if (sl_hotplug_failed(&p->hp, why, now))
			SL_LOG(SL_LOG_PORT, SL_LOG_ERR, "sluiced: port %s: device back, %s; tried "
			       "again", p->params.name, why);
		return;
	}
	p->started = true;
	sl_datapath_sync(dp); /* the replaced lists are spare again */
	created = p->created_ns; /* the port's age goes on */
	sl_port_identify(p); /* its MAC: a NIC may come back with another */
	p->created_ns = created;
	p->removed = false;
	sl_hotplug_enter(&p->hp, SL_HP_PRESENT, now);
	if (dp->pipeline)
		sl_pipeline_ports_changed(dp->pipeline);
	dp->port_seq++;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: device %s back, port restarted "
	       "(%u rxq, %u txq)", p->params.name, p->hp.dev_name, p->n_rxq, p->n_txq);
}

/* DPDK's device events, matched to ports by their device's name. */
static void
take_device_events(struct sl_datapath *dp)
{
	struct sl_hotplug_event ev[16];
	bool overflow = false;
	unsigned int n;

	do {
		n = sl_hotplug_events_take(ev, 16, &overflow);
		for (unsigned int i = 0; i < dp->n_ports; i++) {
			struct sl_port *p = dp->ports[i];

			for (unsigned int k = 0; p && p->hp.dev_name[0] && k < n; k++) {
				if (strcmp(ev[k].name, p->hp.dev_name) != 0)
					continue;
				if (ev[k].added && !holds_device(p)) {
					SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: "
					       "device event: %s added; probed at once",
					       p->params.name, ev[k].name);
					sl_hotplug_kick(&p->hp);
				}
				else if (holds_device(p))
					__atomic_fetch_or(&p->events, SL_PORT_EV_REMOVED,
							  __ATOMIC_RELEASE);
			}
			if (p && overflow) /* lost events: every waiting port tries now */
				sl_hotplug_kick(&p->hp);
		}
	} while (n == 16);
}

void
sl_datapath_hotplug_run(struct sl_datapath *dp, uint64_t now)
{
	take_device_events(dp);
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		struct sl_port *p = dp->ports[i];

		if (p == NULL || p->deleting || !sl_datapath_slot_used(dp, i))
			continue;
		if (__atomic_load_n(&p->events, __ATOMIC_ACQUIRE))
			sl_datapath_port_events(dp, i, now);
		if (!sl_hotplug_due(&p->hp, now))
			continue;
		switch (p->hp.state) {
		case SL_HP_REMOVED:
			release(dp, i, p, now);
			break;
		case SL_HP_WAITING:
			reprobe(dp, p, now);
			break;
		case SL_HP_REPROBED:
			restart(dp, i, p, now);
			break;
		case SL_HP_PRESENT:
			break;
		}
		/* back and set up: started in the same pass */
		if (p->hp.state == SL_HP_REPROBED && sl_hotplug_due(&p->hp, now))
			restart(dp, i, p, now);
	}
}
