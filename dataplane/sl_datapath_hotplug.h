/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_DATAPATH_HOTPLUG_H
#define SL_DATAPATH_HOTPLUG_H

/**
 * @file
 * Device events on the datapath (datapath_hotplug.c): a port whose device
 * asked for a reset, was removed, or came back. Control lcore only; the
 * states are those of sl_port_hotplug.h.
 *
 * A removal takes the port out of the workers' hands in the order a
 * deletion does (not started, grace period; rx queue lists swapped, grace
 * period), then lets the device go; the port keeps its slot, number and
 * rules, LINK_DOWN. Its return sets it up again, gives its rx queues to
 * workers as add-port does, and starts it: LINK_DOWN clears.
 */

#include <stdint.h>

#include "sl_datapath.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Act on the events (SL_PORT_EV_*) port @p idx's device raised: a reset
 * (set up again and restarted; a failure is retried with back-off), a
 * removal (the port taken from the workers and its device let go).
 * @param dp   the runtime
 * @param idx  the port's slot (an open port)
 * @param now  CLOCK_MONOTONIC in ns
 */
void sl_datapath_port_events(struct sl_datapath *dp, unsigned int idx, uint64_t now);

/**
 * Hot-plug upkeep, once a second before the link poll: DPDK's device
 * events matched to ports (a removal noted, a return tried at once), and
 * the due step of every port whose device is not present.
 * @param dp   the runtime
 * @param now  CLOCK_MONOTONIC in ns
 */
void sl_datapath_hotplug_run(struct sl_datapath *dp, uint64_t now);

#ifdef __cplusplus
}
#endif
#endif /* SL_DATAPATH_HOTPLUG_H */
