/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_notify.h
 * Tell systemd (Type=notify units, config/sluiced.service) that sluiced is
 * ready, or stopping.
 */
#ifndef SL_NOTIFY_H
#define SL_NOTIFY_H

/**
 * Send @p state (e.g. "READY=1", "STOPPING=1") to $NOTIFY_SOCKET.
 * @param state the sd_notify assignments, newline-separated
 * @return 1 sent, 0 no $NOTIFY_SOCKET (not under systemd), -1 failed.
 */
int sl_notify(const char *state);

#endif /* SL_NOTIFY_H */
