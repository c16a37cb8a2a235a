/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_OFPORT_STATE_H
#define SL_OFPORT_STATE_H

/**
 * @file
 * OpenFlow numbers of ports added at run time, remembered across restarts.
 *
 * A port added with `sluicectl add-port` and no `ofport=` gets the number
 * it had the last time a port of that name was added, if that number is
 * free, else the lowest number that is neither in use nor remembered for
 * another name; every run-time add is remembered. Controllers key their
 * rules on port numbers, so a VM whose port comes back after a restart of
 * sluiced (or of the VM) must come back on the same number.
 *
 * The memory is a small text file, one "NAME OFPORT" line per port name,
 * replaced whole (write, fsync, rename) so that a crash leaves the old or
 * the new one. sluiced keeps it next to its management socket
 * (MGMT_SOCKET.ofports: the run directory, one file per sluiced).
 *
 * No EAL: part of sl_config, unit-tested on its own (test_ofport_state).
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Names the file remembers at most; the oldest are forgotten first. */
#define SL_OFPORT_STATE_MAX 4096

/**
 * The number for port @p name, added without one.
 * @param path   the state file (missing: nothing remembered)
 * @param name   the port's name
 * @param used   OpenFlow numbers of the ports there are now
 * @param n_used entries in @p used
 * @param ofport out: the number, 1..OFPP_MAX
 * @return 0, or -1 when every number is taken.
 */
int sl_ofport_state_pick(const char *path, const char *name, const uint32_t *used,
			 unsigned int n_used, uint32_t *ofport);

/**
 * Remember that port @p name has number @p ofport (a name or number
 * remembered before for something else is forgotten).
 * @param path   the state file
 * @param name   the port's name
 * @param ofport its number
 * @param err    on failure: why (the file and the system's reason)
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_ofport_state_remember(const char *path, const char *name, uint32_t ofport,
			     char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* SL_OFPORT_STATE_H */
