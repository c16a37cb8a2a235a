/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_OFCONN_TRANSPORT_H
#define SL_OFCONN_TRANSPORT_H

/**
 * @file
 * What sits under sl_ofconn's connections, internal to the sl_ofconn
 * library: endpoints (a target's syntax, address, listening socket;
 * ofconn_endpoint.c) and byte streams (ofconn_transport.c): a plain socket,
 * TCP or Unix, or TLS over one (OpenSSL), behind one interface, so that
 * ofconn.c frames and flow-controls both alike.
 *
 * Everything is non-blocking. The caller polls the socket for the events
 * sl_stream_events() asks for and calls again: a TLS handshake
 * (sl_stream_handshake()) takes several rounds, and a TLS read may need
 * the socket writable or a write readable (OpenSSL's WANT_READ and
 * WANT_WRITE). A TLS write that could not complete must be repeated with
 * the same bytes: sl_stream_send() keeps the length, and the caller keeps
 * those bytes at the head of its buffer until they are sent.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sl_ofconn_tls;
struct ssl_st;
struct sl_tls;

/** Where a target connects or listens, from its spec (sl_ofconn.h lists
 *  the forms). */
struct sl_endpoint {
	bool passive;                 /**< a listener: ptcp, pssl, punix */
	bool tls;                     /**< ssl or pssl */
	struct sockaddr_storage addr; /**< the address (AF_UNIX: unix, punix) */
	socklen_t addrlen;            /**< bytes of @p addr */
};

/**
 * Parse a target spec; names are resolved here, once.
 * @param ep     filled on success
 * @param spec   "tcp:HOST:PORT", "ptcp:PORT[:IP]", "punix:PATH"...
 * @param err    on failure: the message, which names @p spec
 * @param errlen bytes at @p err
 * @return 0, or -1 (unknown kind, bad port, unresolvable host, path too long).
 */
int sl_endpoint_parse(struct sl_endpoint *ep, const char *spec, char *err, size_t errlen);

/**
 * Open a non-blocking listening socket. For a Unix path, a stale socket
 * file there is removed first (not one a live process listens on, nor a
 * file that is not a socket), and the new one gets mode 0600.
 * @param ep     a passive endpoint
 * @param spec   its spec, for messages
 * @param port   out: the TCP port bound (0 for Unix)
 * @param err    on failure: the message
 * @param errlen bytes at @p err
 * @return the socket, or -1 with a message in @p err.
 */
int sl_endpoint_listen(const struct sl_endpoint *ep, const char *spec, uint16_t *port,
		       char *err, size_t errlen);

/**
 * Close a listening socket; a Unix one's file is removed.
 * @param ep the endpoint it listens on
 * @param fd the socket, or -1: nothing to do
 */
void sl_endpoint_unlisten(const struct sl_endpoint *ep, int fd);

/**
 * A name for logs of a connection accepted on a listener.
 * @param spec the listener's spec
 * @param fd   the accepted socket
 * @param ss   the peer's address from accept()
 * @param sl   its length
 * @param name out: "SPEC<-IP:PORT", or "SPEC<-pid N" on a Unix socket
 * @param n    bytes at @p name
 */
void sl_endpoint_peer_name(const char *spec, int fd, const struct sockaddr_storage *ss,
			   socklen_t sl, char *name, size_t n);

/** A connected socket and, for TLS, its OpenSSL session. */
struct sl_stream {
	int fd;                 /**< the socket, or -1 */
	struct ssl_st *ssl;     /**< the TLS session (an SSL *), or NULL: plain */
	bool handshake_done;    /**< TLS: the handshake has completed */
	/** TLS: OpenSSL returned a fatal error, so no close_notify is sent */
	bool fatal;
	bool hs_want_write;     /**< TLS handshake: waits for POLLOUT, else POLLIN */
	bool rd_want_write;     /**< TLS read: waits for POLLOUT, not POLLIN */
	bool wr_want_read;      /**< TLS write: waits for POLLIN, not POLLOUT */
	/** TLS write to repeat with these many bytes (OpenSSL's rule), 0: none */
	size_t wr_retry;
	char err[192];          /**< why the last call failed */
};

/**
 * Make a TLS context from the configured files: TLS 1.2 minimum, our key
 * and certificate (checked to match), and unless @p cfg->no_verify_peer,
 * peer verification against @p cfg->ca_cert both ways (a server requires
 * the client's certificate).
 * @param cfg    the files and the verify setting
 * @param err    on failure: the message, with the file and OpenSSL's reason
 * @param errlen bytes at @p err
 * @return the context, or NULL with a message in @p err.
 */
struct sl_tls *sl_tls_create(const struct sl_ofconn_tls *cfg, char *err, size_t errlen);

/**
 * Free a TLS context; sessions made from it keep what they need.
 * @param t the context, or NULL
 */
void sl_tls_destroy(struct sl_tls *t);

/**
 * Start a plain stream on a connected, non-blocking socket.
 * @param s  the stream
 * @param fd the socket (the stream closes it in sl_stream_close())
 */
void sl_stream_init(struct sl_stream *s, int fd);

/**
 * Put TLS on a stream started with sl_stream_init(); the handshake is then
 * run by sl_stream_handshake().
 * @param s      the stream
 * @param t      the TLS context
 * @param server accept (a pssl listener) rather than connect (ssl)
 * @return 0, or -1 with the reason in @p s->err.
 */
int sl_stream_start_tls(struct sl_stream *s, struct sl_tls *t, bool server);

/**
 * Advance the TLS handshake as far as the socket allows.
 * @param s the stream (TLS)
 * @return 1: done; 0: call again when sl_stream_events() happen; -1:
 *         failed, with OpenSSL's reason (and the certificate check's,
 *         if that failed) in @p s->err.
 */
int sl_stream_handshake(struct sl_stream *s);

/**
 * Read what is there.
 * @param s   the stream
 * @param buf where to
 * @param n   room at @p buf (> 0)
 * @return bytes read; 0: nothing now; -1: the stream ended (peer closed,
 *         error), why in @p s->err.
 */
ssize_t sl_stream_recv(struct sl_stream *s, void *buf, size_t n);

/**
 * Write what the socket takes. After a 0 return from a TLS stream the next
 * call writes the same first bytes again (it may be given more; it uses
 * only the retried length), as OpenSSL requires.
 * @param s   the stream
 * @param buf the bytes; their first @p s->wr_retry are those of the last
 *            call that returned 0
 * @param n   bytes at @p buf (> 0)
 * @return bytes written (from the start of @p buf); 0: none now; -1:
 *         error, why in @p s->err.
 */
ssize_t sl_stream_send(struct sl_stream *s, const void *buf, size_t n);

/**
 * The poll() events to wait for.
 * @param s  the stream
 * @param rx the caller wants to read
 * @param tx the caller has bytes to write
 * @return POLLIN and/or POLLOUT: during a TLS handshake what it waits
 *         for, else what reading and writing wait for.
 */
short sl_stream_events(const struct sl_stream *s, bool rx, bool tx);

/**
 * Bytes already decrypted and held by OpenSSL, which poll() cannot see:
 * the caller reads them without waiting.
 * @param s the stream
 * @return true if a read would return data now.
 */
bool sl_stream_buffered(const struct sl_stream *s);

/**
 * Whether the stream runs TLS.
 * @param s the stream
 * @return true for TLS.
 */
bool sl_stream_is_tls(const struct sl_stream *s);

/**
 * Close: a TLS stream whose handshake completed without a fatal error
 * first sends its close_notify if the socket takes it at once (never
 * waits), then the session and the socket are freed.
 * @param s the stream
 */
void sl_stream_close(struct sl_stream *s);

#ifdef __cplusplus
}
#endif
#endif /* SL_OFCONN_TRANSPORT_H */
