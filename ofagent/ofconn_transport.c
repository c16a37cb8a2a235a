/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Plain and TLS byte streams for sl_ofconn (see ofconn_transport.h).
 *
 * OpenSSL reads and writes the socket through a BIO of our own instead of
 * its socket BIO: that one calls write(), and a peer that resets the
 * connection would then kill sluiced with SIGPIPE, which nothing in the
 * process ignores (the plain path sends with MSG_NOSIGNAL for the same
 * reason).
 *
 * OpenSSL keeps a per-thread error queue: it is cleared before every call
 * so that one connection's failure is never reported on another, and read
 * out (then cleared) when a call fails.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ofconn_transport.h"
#include "sl_ofconn.h"

struct sl_tls {
	SSL_CTX *ctx;
};

/* ---- the socket BIO ---- */

static BIO_METHOD *nosig_method;
static CRYPTO_ONCE nosig_once = CRYPTO_ONCE_STATIC_INIT;

static int
bio_fd(BIO *b)
{
	return (int)(intptr_t)BIO_get_data(b);
}

static int
nosig_write(BIO *b, const char *buf, int len)
{
	ssize_t n = send(bio_fd(b), buf, (size_t)len, MSG_NOSIGNAL);

	BIO_clear_retry_flags(b);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		BIO_set_retry_write(b);
	return (int)n;
}

static int
nosig_read(BIO *b, char *buf, int len)
{
	ssize_t n = recv(bio_fd(b), buf, (size_t)len, 0);

	BIO_clear_retry_flags(b);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		BIO_set_retry_read(b);
	return (int)n;
}

static long
nosig_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b; (void)num; (void)ptr;
	return cmd == BIO_CTRL_FLUSH; /* nothing is buffered here */
}

static int
nosig_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static void
nosig_init(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
				     "sluice socket");

	if (m && BIO_meth_set_write(m, nosig_write) && BIO_meth_set_read(m, nosig_read) &&
	    BIO_meth_set_ctrl(m, nosig_ctrl) && BIO_meth_set_create(m, nosig_create)) {
		nosig_method = m;
		return;
	}
	BIO_meth_free(m);
}

/* ---- errors ---- */

/* OpenSSL's first queued error (the cause; later ones say where it
 * surfaced) as text, or @fallback; the queue is emptied. */
static void
ossl_reason(char *buf, size_t n, const char *fallback)
{
	unsigned long e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	if (r)
		snprintf(buf, n, "%s", r);
	else if (e)
		ERR_error_string_n(e, buf, n);
	else
		snprintf(buf, n, "%s", fallback);
	ERR_clear_error();
}

/* Why an OpenSSL call on @s failed with @code (SSL_get_error()), into
 * s->err after @what. */
static void
tls_fail(struct sl_stream *s, int code, const char *what)
{
	char reason[128];
	long v;

	if (code == SSL_ERROR_ZERO_RETURN) {
		snprintf(s->err, sizeof(s->err), "connection closed by peer");
		ERR_clear_error();
		return;
	}
	s->fatal = true; /* OpenSSL forbids SSL_shutdown() after these */
	if (code == SSL_ERROR_SYSCALL) {
		int e = errno;

		ossl_reason(reason, sizeof(reason), e ? strerror(e) : "connection closed by peer");
		snprintf(s->err, sizeof(s->err), "%s%s", what, reason);
		return;
	}
	ossl_reason(reason, sizeof(reason), "unknown OpenSSL error");
	v = SSL_get_verify_result(s->ssl);
	if (v != X509_V_OK)
		snprintf(s->err, sizeof(s->err), "%s%s (peer certificate: %s)", what, reason,
			 X509_verify_cert_error_string(v));
	else
		snprintf(s->err, sizeof(s->err), "%s%s", what, reason);
}

/* ---- context ---- */

/* "@what @path: " + why it cannot be used, into @err; returns NULL. */
static struct sl_tls *
file_fail(struct sl_tls *t, const char *what, const char *path, char *err, size_t errlen)
{
	char reason[128], ossl[96];
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(reason, sizeof(reason), "%s", strerror(errno));
	} else {
		ossl_reason(ossl, sizeof(ossl), "no reason given");
		snprintf(reason, sizeof(reason), "not a valid PEM file (OpenSSL: %s)", ossl);
		fclose(f);
	}
	ERR_clear_error();
	snprintf(err, errlen, "TLS %s %s: %s", what, path, reason);
	sl_tls_destroy(t);
	return NULL;
}

/* Verify the peer against @ca: a server also requires the client's
 * certificate and names the CA in its request for one. */
static struct sl_tls *
tls_load_ca(struct sl_tls *t, const char *ca, char *err, size_t errlen)
{
	STACK_OF(X509_NAME) *names;

	if (SSL_CTX_load_verify_locations(t->ctx, ca, NULL) != 1)
		return file_fail(t, "CA certificate", ca, err, errlen);
	names = SSL_load_client_CA_file(ca);
	if (names == NULL)
		return file_fail(t, "CA certificate", ca, err, errlen);
	SSL_CTX_set_client_CA_list(t->ctx, names);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	return t;
}

struct sl_tls *
sl_tls_create(const struct sl_ofconn_tls *cfg, char *err, size_t errlen)
{
	struct sl_tls *t;

	if (!cfg->private_key || !cfg->certificate || (!cfg->ca_cert && !cfg->no_verify_peer)) {
		snprintf(err, errlen, "TLS needs a private key, a certificate and%s a CA certificate",
			 cfg->no_verify_peer ? "" : " (to verify peers)");
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL || (t->ctx = SSL_CTX_new(TLS_method())) == NULL) {
		free(t);
		snprintf(err, errlen, "TLS: cannot make an OpenSSL context");
		return NULL;
	}
	ERR_clear_error();
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	/* Renegotiation is a CPU sink a peer could drive at will; OpenFlow
	 * never needs it. Unexpected EOF: OpenFlow messages carry their
	 * length, so a truncated one is dropped by the framing anyway, and
	 * tools such as ovs-ofctl close without a close_notify. */
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* The send queue may be reallocated between a write and its retry,
	 * and a write of a large queue returns after each record. */
	SSL_CTX_set_mode(t->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* the key first: a certificate that does not match it is then
	 * reported by the check below, by name */
	if (SSL_CTX_use_PrivateKey_file(t->ctx, cfg->private_key, SSL_FILETYPE_PEM) != 1)
		return file_fail(t, "private key", cfg->private_key, err, errlen);
	if (SSL_CTX_use_certificate_chain_file(t->ctx, cfg->certificate) != 1)
		return file_fail(t, "certificate", cfg->certificate, err, errlen);
	if (SSL_CTX_check_private_key(t->ctx) != 1) {
		ERR_clear_error();
		snprintf(err, errlen, "TLS private key %s does not match certificate %s",
			 cfg->private_key, cfg->certificate);
		sl_tls_destroy(t);
		return NULL;
	}
	if (cfg->no_verify_peer) {
		SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
		return t;
	}
	return tls_load_ca(t, cfg->ca_cert, err, errlen);
}

void
sl_tls_destroy(struct sl_tls *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

/* ---- streams ---- */

void
sl_stream_init(struct sl_stream *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
}

int
sl_stream_start_tls(struct sl_stream *s, struct sl_tls *t, bool server)
{
	BIO *bio;

	CRYPTO_THREAD_run_once(&nosig_once, nosig_init);
	s->ssl = nosig_method ? SSL_new(t->ctx) : NULL;
	bio = s->ssl ? BIO_new(nosig_method) : NULL;
	if (bio == NULL) {
		SSL_free(s->ssl);
		s->ssl = NULL;
		ossl_reason(s->err, sizeof(s->err), "out of memory");
		return -1;
	}
	BIO_set_data(bio, (void *)(intptr_t)s->fd);
	SSL_set_bio(s->ssl, bio, bio);
	if (server)
		SSL_set_accept_state(s->ssl);
	else
		SSL_set_connect_state(s->ssl);
	return 0;
}

int
sl_stream_handshake(struct sl_stream *s)
{
	int rc, code;

	ERR_clear_error();
	rc = SSL_do_handshake(s->ssl);
	if (rc == 1) {
		s->handshake_done = true;
		return 1;
	}
	code = SSL_get_error(s->ssl, rc);
	if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
		s->hs_want_write = code == SSL_ERROR_WANT_WRITE;
		return 0;
	}
	tls_fail(s, code, "");
	return -1;
}

static ssize_t
plain_recv(struct sl_stream *s, void *buf, size_t n)
{
	for (;;) {
		ssize_t r = recv(s->fd, buf, n, 0);

		if (r > 0)
			return r;
		if (r == 0) {
			snprintf(s->err, sizeof(s->err), "connection closed by peer");
			return -1;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno != EINTR) {
			snprintf(s->err, sizeof(s->err), "%s", strerror(errno));
			return -1;
		}
	}
}

ssize_t
sl_stream_recv(struct sl_stream *s, void *buf, size_t n)
{
	size_t got;
	int code;

	if (s->ssl == NULL)
		return plain_recv(s, buf, n);
	ERR_clear_error();
	s->rd_want_write = false;
	if (SSL_read_ex(s->ssl, buf, n, &got) == 1)
		return (ssize_t)got;
	code = SSL_get_error(s->ssl, 0);
	if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
		s->rd_want_write = code == SSL_ERROR_WANT_WRITE;
		return 0;
	}
	tls_fail(s, code, "TLS: ");
	return -1;
}

ssize_t
sl_stream_send(struct sl_stream *s, const void *buf, size_t n)
{
	size_t done;
	int code;

	if (s->ssl == NULL) {
		for (;;) {
			ssize_t r = send(s->fd, buf, n, MSG_NOSIGNAL);

			if (r >= 0)
				return r;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno != EINTR) {
				snprintf(s->err, sizeof(s->err), "%s", strerror(errno));
				return -1;
			}
		}
	}
	if (s->wr_retry) {
		if (n < s->wr_retry) {
			snprintf(s->err, sizeof(s->err), "TLS: write retried with fewer bytes");
			return -1;
		}
		n = s->wr_retry;
	}
	ERR_clear_error();
	s->wr_want_read = false;
	if (SSL_write_ex(s->ssl, buf, n, &done) == 1) {
		s->wr_retry = 0;
		return (ssize_t)done;
	}
	code = SSL_get_error(s->ssl, 0);
	if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
		s->wr_retry = n;
		s->wr_want_read = code == SSL_ERROR_WANT_READ;
		return 0;
	}
	tls_fail(s, code, "TLS: ");
	return -1;
}

short
sl_stream_events(const struct sl_stream *s, bool rx, bool tx)
{
	short ev = 0;

	if (s->ssl && !s->handshake_done)
		return s->hs_want_write ? POLLOUT : POLLIN;
	if (rx)
		ev |= s->ssl && s->rd_want_write ? POLLOUT : POLLIN;
	if (tx)
		ev |= s->ssl && s->wr_want_read ? POLLIN : POLLOUT;
	return ev;
}

bool
sl_stream_buffered(const struct sl_stream *s)
{
	return s->ssl && s->handshake_done && SSL_pending(s->ssl) > 0;
}

bool
sl_stream_is_tls(const struct sl_stream *s)
{
	return s->ssl != NULL;
}

void
sl_stream_close(struct sl_stream *s)
{
	if (s->ssl) {
		ERR_clear_error();
		if (s->handshake_done && !s->fatal)
			SSL_shutdown(s->ssl); /* one try: a full socket loses it */
		SSL_free(s->ssl);
		ERR_clear_error();
		s->ssl = NULL;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
