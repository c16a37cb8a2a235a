/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef OF_CLIENT_H
#define OF_CLIENT_H

/*
 * A minimal OpenFlow controller for tests: a non-blocking loopback TCP
 * socket; every wait pumps the agent (sl_agent_run) so one thread drives
 * both sides.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_agent.h"
#include "sl_ofp.h"

struct of_client {
	int fd;
	struct sl_agent *a;
	uint8_t *buf;
	size_t len, cap;
	uint32_t next_xid;
	bool closed;
	uint8_t version; /**< wire version ofc_send() uses; 0 = OF1.3 */
};

/**
 * Connect to the agent's listener and exchange hellos (OF1.3). 0 or -1.
 * Such a session is a service connection; with @p send_hello it also sets
 * miss_send_len 128 so that it gets async messages (like ovs-ofctl monitor).
 */
int ofc_open(struct of_client *c, struct sl_agent *a, uint16_t port, bool send_hello);
/** ofc_open() choosing whether to ask for async messages (@p want_async). */
int ofc_open_service(struct of_client *c, struct sl_agent *a, uint16_t port, bool send_hello,
		     bool want_async);
/** A loopback listening socket for the agent's "tcp:" target; port in @p port. fd or -1. */
int ofc_listen(uint16_t *port);
/**
 * Accept the agent's active connection on @p listen_fd (a primary
 * controller), pumping the agent for up to @p timeout_ms, and exchange
 * hellos. 0 or -1.
 */
int ofc_accept(struct of_client *c, struct sl_agent *a, int listen_fd, int timeout_ms);
void ofc_close(struct of_client *c);
/** Encode and send @p m (version 4; xid assigned if 0). Returns the xid. */
uint32_t ofc_send(struct of_client *c, struct sl_ofp_msg *m);
/** Send raw bytes. */
void ofc_send_raw(struct of_client *c, const void *b, size_t n);
/**
 * Next message into @p out (cap bytes, longer ones truncated), pumping the
 * agent for up to @p timeout_ms. Returns its length, 0 on timeout, -1 if
 * the agent closed the connection.
 */
long ofc_recv(struct of_client *c, uint8_t *out, size_t cap, int timeout_ms);
/**
 * Wait for a message of @p type (others are skipped) and decode it into
 * @p m (free with sl_ofp_msg_free). Returns 0, or -1 on timeout/close/decode
 * failure.
 */
int ofc_wait(struct of_client *c, uint8_t type, struct sl_ofp_msg *m, int timeout_ms);
/** Send a barrier request and wait for its reply. 0 or -1. */
int ofc_barrier(struct of_client *c);
/** Pump the agent for @p ms milliseconds. */
void ofc_pump(struct sl_agent *a, int ms);

#endif /* OF_CLIENT_H */
