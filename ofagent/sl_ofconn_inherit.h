/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Listening sockets a process was handed (a hand-over upgrade,
 * sluiced/upgrade/): a listener target ("ptcp:", "pssl:", "punix:") whose
 * address one of them is bound to takes it instead of binding a new
 * socket, so that controllers and tools reach the new process at the same
 * address, and connections waiting in the backlog are not refused.
 */
#ifndef SL_OFCONN_INHERIT_H
#define SL_OFCONN_INHERIT_H

#include <sys/socket.h>

/**
 * Give the next listener target bound to this socket's address the socket.
 * @param fd a listening socket (owned from here on; closed by the target
 *           that takes it, or never)
 * @return 0, or -1 when the table is full (the fd is closed).
 */
int sl_ofconn_inherit_listener(int fd);

/**
 * Take the inherited listener bound to @p addr (port 0 of a TCP address:
 * any port on that address), if there is one.
 * @param addr    the target's address
 * @param addrlen its length
 * @return the socket (the caller's now), or -1.
 */
int sl_ofconn_inherited(const struct sockaddr_storage *addr, socklen_t addrlen);

#endif /* SL_OFCONN_INHERIT_H */
