/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A net_tap port's kernel interface (and so its addresses and routes)
 * kept alive while a hand-over closes the port in one process and opens it
 * in the other (upgrade_tap.c has why and how).
 */
#ifndef SL_UPGRADE_TAP_H
#define SL_UPGRADE_TAP_H

#include <stddef.h>

#include "sl_port.h"

/**
 * The kernel interface of a net_tap port.
 * @param pp     the port's parameters
 * @param ifname out: the iface= devarg
 * @param len    bytes at @p ifname
 * @return 0, or -1 when the port is no net_tap or names no interface.
 */
int up_tap_ifname(const struct sl_port_params *pp, char *ifname, size_t len);

/**
 * Hold interface @p ifname: a queue attached to it and detached at once
 * (no frame goes to it), which keeps the device while the port's own
 * queues are closed. Close the descriptor once the port is open again.
 * The interface is found through the port's own descriptors (net_tap's),
 * in whatever network namespace it has been moved to.
 * @param ifname the tap interface (multi-queue, as net_tap makes them)
 * @param netns  out: the interface's network namespace (a descriptor to
 *               close; the port is opened in it again: up_netns_enter),
 *               or -1 when the port's descriptor was not found (the name
 *               is then looked up in ours)
 * @param err    out: why not
 * @param errlen bytes at @p err
 * @return the descriptor, or -1 with @p err set (and @p netns -1).
 */
int up_tap_keep(const char *ifname, int *netns, char *err, size_t errlen);

/**
 * Move the calling thread into network namespace @p netns (the control
 * lcore, around a net_tap's open: the PMD's tun files and sockets are then
 * that namespace's). Other threads stay where they are.
 * @param netns  a namespace descriptor, or -1 (nothing to do)
 * @param err    out: why not
 * @param errlen bytes at @p err
 * @return what to pass to up_netns_leave(): a descriptor of the namespace
 *         the thread was in; -2 when @p netns is -1; -1 with @p err set.
 */
int up_netns_enter(int netns, char *err, size_t errlen);

/**
 * Back to the namespace up_netns_enter() left (nothing for a negative @p saved).
 * @param saved its return value
 */
void up_netns_leave(int saved);

#endif /* SL_UPGRADE_TAP_H */
