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
 * @param ifname the tap interface (multi-queue, as net_tap makes them)
 * @param err    out: why not
 * @param errlen bytes at @p err
 * @return the descriptor, or -1 with @p err set.
 */
int up_tap_keep(const char *ifname, char *err, size_t errlen);

#endif /* SL_UPGRADE_TAP_H */
