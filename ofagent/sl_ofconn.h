/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_OFCONN_H
#define SL_OFCONN_H

/**
 * @file
 * OpenFlow transport: controller connections and listeners on the control
 * lcore, message framing, reconnect backoff and echo keepalive.
 *
 * Everything is non-blocking and driven by sl_ofconn_mgr_run(), which the
 * control lcore calls from its loop: a slow or dead controller never blocks
 * the switch. A connection whose send queue is over its cap is paused (its
 * requests wait, see ofconn.c) rather than closed; a dead one is closed by
 * the keepalive.
 * Framing only reads the 8-byte OpenFlow header (version, type, length,
 * xid); decoding the body is the codec's job, so this layer serves every
 * OpenFlow version.
 *
 * Targets use OVS's syntax: "tcp:HOST:PORT" and "ssl:HOST:PORT" (active,
 * reconnect with exponential backoff from 1 s to max_backoff),
 * "ptcp:PORT[:IP]" and "pssl:PORT[:IP]" (passive; IP defaults to 127.0.0.1
 * so that a listener is only reachable from this host unless asked), and
 * "unix:PATH" / "punix:PATH" (a Unix stream socket; the listener's file is
 * made with mode 0600, so only its owner, root for sluiced, connects).
 * The ssl targets run TLS 1.2 or later with OpenSSL over the same
 * non-blocking sockets (ofconn_transport.h); the TLS handshake is driven
 * by the same poll() and must finish within probe_interval_ms.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SL_OFCONN_MAX_TARGETS 16   /**< targets one manager holds */
/** Connections at once, all targets: one per active target (a controller)
 *  in slots of their own, and SL_OFCONN_MAX_SERVICE accepted on listeners,
 *  so that local tools connecting in numbers never take a controller's. */
#define SL_OFCONN_MAX (SL_OFCONN_MAX_SERVICE + SL_OFCONN_MAX_TARGETS)
/** Connections accepted on listeners ("ptcp:", "pssl:", "punix:") at once
 *  (more are refused). */
#define SL_OFCONN_MAX_SERVICE 48

struct sl_ofconn;
struct sl_ofconn_mgr;

/** Callbacks into the agent. All run on the thread calling sl_ofconn_mgr_run(). */
struct sl_ofconn_handler {
	/** A connection is up (TCP established or accepted): send HELLO. */
	void (*on_connect)(void *ctx, struct sl_ofconn *c);
	/** One complete message (header included, len >= 8). */
	void (*on_message)(void *ctx, struct sl_ofconn *c, const uint8_t *msg,
			   size_t len);
	/** The connection is going away (c is still valid during the call). */
	void (*on_disconnect)(void *ctx, struct sl_ofconn *c, const char *why);
};

/** TLS settings of "ssl:" and "pssl:" targets (OVS's --private-key,
 *  --certificate, --ca-cert); the files are PEM. */
struct sl_ofconn_tls {
	const char *private_key; /**< our private key, or NULL */
	const char *certificate; /**< our certificate (chain), or NULL */
	/** the CA(s) a peer's certificate must chain to, or NULL (then
	 *  no_verify_peer must be set) */
	const char *ca_cert;
	/** do not verify peers (ssl_verify_peer = no); the default, false,
	 *  verifies both ways: a controller's certificate, and a client's,
	 *  which a pssl listener requires */
	bool no_verify_peer;
};

/** Tunables; zero fields take the defaults in brackets. */
struct sl_ofconn_options {
	/** idle time before an echo request, and the longest a TLS handshake
	 *  may take [5000] */
	unsigned int probe_interval_ms;
	unsigned int max_backoff_ms;    /**< reconnect backoff cap [8000] */
	size_t max_tx_bytes;            /**< per-connection send queue level that pauses it [4 MiB] */
	/** for "ssl:" and "pssl:" targets (the paths are copied); the files
	 *  are read when the first such target is added */
	struct sl_ofconn_tls tls;
};

/** Per-connection counters. */
struct sl_ofconn_stats {
	/** messages and bytes received and sent @{ */
	uint64_t rx_msgs, tx_msgs, rx_bytes, tx_bytes;
	/** @} */
	uint64_t tx_dropped;  /**< optional messages dropped: queue over half full */
	uint64_t pauses;      /**< times the queue went over its cap (flow control) */
	uint64_t echo_sent;   /**< keepalive echo requests sent */
};

/**
 * Create a manager.
 * @param h      the agent's callbacks (copied)
 * @param ctx    passed to every callback
 * @param opt    tunables, or NULL for the defaults
 * @param err    on failure: the message
 * @param errlen bytes at @p err
 * @return the manager, or NULL with a message in @p err on failure.
 */
struct sl_ofconn_mgr *sl_ofconn_mgr_create(const struct sl_ofconn_handler *h,
					   void *ctx,
					   const struct sl_ofconn_options *opt,
					   char *err, size_t errlen);

/**
 * Add a target: "tcp:HOST:PORT", "ssl:HOST:PORT", "unix:PATH" (active) or
 * "ptcp:PORT[:IP]", "pssl:PORT[:IP]", "punix:PATH" (listeners). HOST and IP
 * may be a bracketed IPv6 address. A listener binds at once (an error is
 * returned if it cannot); a punix listener first removes a stale socket
 * file at PATH (not one a live process listens on, nor a file that is not
 * a socket) and removes its own in sl_ofconn_mgr_destroy(). An active
 * target connects on the next run. The first ssl or pssl target loads the
 * TLS files of the options.
 * @param m      the manager
 * @param target the target
 * @param err    on failure: the message
 * @param errlen bytes at @p err
 * @return 0, or -1 with a message in @p err (bad syntax, bind failure,
 *         TLS files missing, unreadable or not matching).
 */
int sl_ofconn_mgr_add_target(struct sl_ofconn_mgr *m, const char *target,
			     char *err, size_t errlen);

/**
 * TCP port a ptcp or pssl target listens on (useful with "ptcp:0").
 * @param m          the manager
 * @param target_idx the target, in the order added
 * @return the port, or 0 if none.
 */
uint16_t sl_ofconn_mgr_listen_port(const struct sl_ofconn_mgr *m,
				   unsigned int target_idx);

/**
 * Also end sl_ofconn_mgr_run()'s wait when @p fd (an eventfd, non-blocking)
 * becomes readable; the manager reads it empty.
 * @param m  the manager
 * @param fd the eventfd, or -1: none (the default)
 */
void sl_ofconn_mgr_set_wake_fd(struct sl_ofconn_mgr *m, int fd);

/**
 * Do all pending I/O: accept, connect, read and frame messages (calling the
 * handler), write queued bytes, keepalive, reconnect. Waits at most
 * @p timeout_ms for activity (0: poll and return).
 * @param m          the manager
 * @param timeout_ms longest wait, in milliseconds
 */
void sl_ofconn_mgr_run(struct sl_ofconn_mgr *m, int timeout_ms);

/**
 * Close everything and free the manager.
 * @param m the manager
 */
void sl_ofconn_mgr_destroy(struct sl_ofconn_mgr *m);

/**
 * Queue a message for sending. Replies and errors are never dropped: past
 * max_tx_bytes the connection is paused (no more of its requests reach the
 * agent until the queue drains to half), so a reply of any size gets through
 * to a peer that reads it; @p optional messages (packet-in, flow-removed,
 * port-status) are dropped and counted once the queue is half full.
 * @param c        the connection
 * @param msg      an encoded OpenFlow message (copied)
 * @param len      its length
 * @param optional the message may be dropped (see above)
 * @return 0 if queued, -1 if dropped or the connection is closing.
 */
int sl_ofconn_send(struct sl_ofconn *c, const void *msg, size_t len,
		   bool optional);

/**
 * Close the connection after its queued bytes are sent (@p flush), or at
 * once. Safe from inside any callback: the handler's on_disconnect (with
 * @p why) runs later, when sl_ofconn_mgr_run() reaps the connection, so @p c
 * and its priv stay valid until the caller returns; sends fail meanwhile.
 * @param c     the connection
 * @param flush send what is queued first
 * @param why   the reason, for on_disconnect and logs
 */
void sl_ofconn_close(struct sl_ofconn *c, bool flush, const char *why);

/**
 * Agent state attached to a connection (role, negotiated version...).
 * @param c the connection
 * @return what sl_ofconn_set_priv() attached, or NULL.
 */
void *sl_ofconn_get_priv(const struct sl_ofconn *c);
/**
 * Attach agent state; the agent frees it in on_disconnect.
 * @param c    the connection
 * @param priv the state
 */
void sl_ofconn_set_priv(struct sl_ofconn *c, void *priv);
/**
 * The connection's name, for logs.
 * @param c the connection
 * @return e.g. "tcp:1.2.3.4:6653", "ptcp:6653<-127.0.0.1:40000" or
 *         "punix:/run/sluice.sock<-pid 1234".
 */
const char *sl_ofconn_name(const struct sl_ofconn *c);
/**
 * True if @p c was accepted on a listener ("ptcp:", "pssl:", "punix:": a
 * *service* connection, e.g. ovs-ofctl), false if the switch opened it to a
 * "tcp:", "ssl:" or "unix:" controller (a *primary* connection), as OVS's
 * connmgr distinguishes them.
 * @param c the connection
 * @return true for a service connection.
 */
bool sl_ofconn_is_service(const struct sl_ofconn *c);
/**
 * Counters of the connection.
 * @param c the connection
 * @return its counters, live.
 */
const struct sl_ofconn_stats *sl_ofconn_stats(const struct sl_ofconn *c);
/**
 * Bytes waiting in the send queue.
 * @param c the connection
 * @return the count.
 */
size_t sl_ofconn_tx_queued(const struct sl_ofconn *c);

/**
 * Visit every established connection.
 * @param m   the manager
 * @param fn  called for each, with @p arg
 * @param arg passed to @p fn
 */
void sl_ofconn_mgr_foreach(struct sl_ofconn_mgr *m,
			   void (*fn)(struct sl_ofconn *c, void *arg), void *arg);

#ifdef __cplusplus
}
#endif
#endif /* SL_OFCONN_H */
