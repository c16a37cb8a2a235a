/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests for the transport's TLS and Unix-socket targets against real
 * OpenSSL peers, with throwaway certificates made at run time by the
 * openssl CLI (test/common/tls_certs.sh): pssl and ssl handshakes and
 * messages both ways, certificates from another CA refused (each side),
 * a client that never handshakes timed out, a send queue larger than the
 * socket takes (TLS write retries), bad TLS files, and punix's mode 0600.
 * The peers here are non-blocking and stepped between manager runs, so one
 * thread drives both sides. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "cunit_main.h"

#include "sl_ofconn.h"

static char dir[64];        /* certificates and sockets */
static char path[8][96];    /* see P() */
enum { CA, SW_KEY, SW_PEM, CTL_KEY, CTL_PEM, ROGUE_KEY, ROGUE_PEM, SOCK };
#define P(i) (path[i])

struct events {
	int connects, disconnects, msgs;
	uint32_t last_xid;
	size_t bytes;
	struct sl_ofconn *conn;
};

static void
on_connect(void *ctx, struct sl_ofconn *c)
{
	static const uint8_t hello[8] = { 4, 0, 0, 8, 0, 0, 0, 1 };
	struct events *e = ctx;

	e->connects++;
	e->conn = c;
	sl_ofconn_send(c, hello, sizeof(hello), false);
}

static void
on_message(void *ctx, struct sl_ofconn *c, const uint8_t *msg, size_t len)
{
	struct events *e = ctx;

	(void)c;
	e->msgs++;
	e->bytes += len;
	e->last_xid = (uint32_t)msg[4] << 24 | msg[5] << 16 | msg[6] << 8 | msg[7];
}

static void
on_disconnect(void *ctx, struct sl_ofconn *c, const char *why)
{
	struct events *e = ctx;

	(void)c; (void)why;
	e->disconnects++;
	e->conn = NULL;
}

static const struct sl_ofconn_handler handler = { on_connect, on_message, on_disconnect };

#define RUN_UNTIL(m, cond, ms) do { \
	for (int _i = 0; _i < (ms) / 5 && !(cond); _i++) \
		sl_ofconn_mgr_run((m), 5); \
} while (0)

/* A manager with the switch's key and certificate and the test CA. */
static struct sl_ofconn_mgr *
mgr_tx(struct events *e, unsigned int probe_ms, size_t max_tx)
{
	struct sl_ofconn_options o = { .probe_interval_ms = probe_ms, .max_tx_bytes = max_tx };
	char err[256];
	struct sl_ofconn_mgr *m;

	o.tls = (struct sl_ofconn_tls){ P(SW_KEY), P(SW_PEM), P(CA), false };
	m = sl_ofconn_mgr_create(&handler, e, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	return m;
}

static struct sl_ofconn_mgr *
mgr(struct events *e, unsigned int probe_ms)
{
	return mgr_tx(e, probe_ms, 0);
}

/* ---- stderr capture: the transport logs refusals there ---- */

static int saved_stderr = -1;
static char log_path[160];

static void
log_capture(void)
{
	int fd;

	snprintf(log_path, sizeof(log_path), "%s/stderr.txt", dir);
	fflush(stderr);
	saved_stderr = dup(2);
	fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
}

/* Stop capturing; true if the log holds @needle (it is echoed). */
static bool
log_has(const char *needle)
{
	char buf[4096] = "";
	FILE *f;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	f = fopen(log_path, "r");
	if (f) {
		buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
		fclose(f);
	}
	fprintf(stderr, "%s", buf);
	return strstr(buf, needle) != NULL;
}

/* ---- an OpenSSL peer, non-blocking, stepped between manager runs ---- */

struct peer {
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
};

/* A loopback TCP connection; @rcvbuf > 0: that receive buffer, so that
 * the switch's socket fills up (a slow reader). */
static int
tcp_connect(uint16_t port, int rcvbuf)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CU_ASSERT_FATAL(connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* TLS over @fd with @key/@cert (NULL: none), trusting the test CA. */
static void
peer_start(struct peer *p, int fd, const char *key, const char *cert, bool server)
{
	p->ctx = SSL_CTX_new(TLS_method());
	CU_ASSERT_FATAL(p->ctx != NULL);
	if (key) {
		CU_ASSERT_FATAL(SSL_CTX_use_certificate_file(p->ctx, cert, SSL_FILETYPE_PEM) == 1);
		CU_ASSERT_FATAL(SSL_CTX_use_PrivateKey_file(p->ctx, key, SSL_FILETYPE_PEM) == 1);
	}
	CU_ASSERT_FATAL(SSL_CTX_load_verify_locations(p->ctx, P(CA), NULL) == 1);
	SSL_CTX_set_verify(p->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	p->ssl = SSL_new(p->ctx);
	p->fd = fd;
	SSL_set_fd(p->ssl, fd);
	if (server)
		SSL_set_accept_state(p->ssl);
	else
		SSL_set_connect_state(p->ssl);
}

static void
peer_free(struct peer *p)
{
	SSL_free(p->ssl);
	SSL_CTX_free(p->ctx);
	close(p->fd);
	ERR_clear_error();
}

/* Handshake, running the manager meanwhile: 1 done, -1 refused. */
static int
peer_handshake(struct sl_ofconn_mgr *m, struct peer *p)
{
	for (int i = 0; i < 400; i++) {
		int rc = SSL_do_handshake(p->ssl), e;

		if (rc == 1)
			return 1;
		e = SSL_get_error(p->ssl, rc);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			return -1;
		sl_ofconn_mgr_run(m, 5);
	}
	return -1;
}

/* Read @n bytes: n, or -1 if the stream fails or ends first. */
static ssize_t
peer_read(struct sl_ofconn_mgr *m, struct peer *p, uint8_t *buf, size_t n)
{
	size_t got = 0;

	for (int i = 0; i < 2000 && got < n; i++) {
		size_t k;
		int e;

		if (SSL_read_ex(p->ssl, buf + got, n - got, &k) == 1) {
			got += k;
			continue;
		}
		e = SSL_get_error(p->ssl, 0);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			return -1;
		sl_ofconn_mgr_run(m, 5);
	}
	return got == n ? (ssize_t)n : -1;
}

static void
peer_write(struct sl_ofconn_mgr *m, struct peer *p, const uint8_t *buf, size_t n)
{
	size_t k;

	for (int i = 0; i < 400; i++) {
		if (SSL_write_ex(p->ssl, buf, n, &k) == 1)
			return;
		sl_ofconn_mgr_run(m, 5);
	}
	CU_FAIL("peer could not write");
}

static void
make_msg(uint8_t *b, uint16_t len, uint8_t type, uint32_t xid)
{
	for (uint16_t i = 8; i < len; i++)
		b[i] = (uint8_t)(xid + i);
	b[0] = 4; b[1] = type; b[2] = (uint8_t)(len >> 8); b[3] = (uint8_t)len;
	b[4] = (uint8_t)(xid >> 24); b[5] = (uint8_t)(xid >> 16);
	b[6] = (uint8_t)(xid >> 8); b[7] = (uint8_t)xid;
}

/* ---- tests ---- */

/* A client with a certificate from the test CA: HELLO both ways, as a
 * service connection; the client's close reaches on_disconnect. */
static void
test_pssl_hello(void)
{
	struct events e = { 0 };
	struct sl_ofconn_mgr *m = mgr(&e, 5000);
	uint8_t buf[8], hello[8];
	struct peer p;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), 0);
	peer_start(&p, tcp_connect(sl_ofconn_mgr_listen_port(m, 0), 0), P(CTL_KEY), P(CTL_PEM), false);
	CU_ASSERT_EQUAL(peer_handshake(m, &p), 1);
	CU_ASSERT_EQUAL(peer_read(m, &p, buf, 8), 8);
	CU_ASSERT_EQUAL(buf[1], 0); /* OFPT_HELLO from on_connect */
	CU_ASSERT_EQUAL(e.connects, 1);
	CU_ASSERT_TRUE(e.conn && sl_ofconn_is_service(e.conn));
	CU_ASSERT_TRUE(e.conn && strncmp(sl_ofconn_name(e.conn), "pssl:0<-127.0.0.1:", 18) == 0);
	make_msg(hello, 8, 0, 77);
	peer_write(m, &p, hello, 8);
	RUN_UNTIL(m, e.msgs == 1, 2000);
	CU_ASSERT_EQUAL(e.msgs, 1);
	CU_ASSERT_EQUAL(e.last_xid, 77);
	SSL_shutdown(p.ssl);
	peer_free(&p);
	RUN_UNTIL(m, e.disconnects == 1, 2000);
	CU_ASSERT_EQUAL(e.disconnects, 1);
	sl_ofconn_mgr_destroy(m);
}

/* Certificates the CA did not sign, or none, are refused at the handshake
 * with a log line naming the peer and the reason; the listener serves the
 * next good client. */
static void
test_pssl_refuses_other_ca(void)
{
	struct events e = { 0 };
	struct sl_ofconn_mgr *m = mgr(&e, 5000);
	uint16_t port;
	uint8_t buf[8];
	struct peer p;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), 0);
	port = sl_ofconn_mgr_listen_port(m, 0);
	log_capture();
	peer_start(&p, tcp_connect(port, 0), P(ROGUE_KEY), P(ROGUE_PEM), false);
	/* TLS 1.3 finishes the client's side before the server checks its
	 * certificate: the refusal may come as an alert on the first read */
	if (peer_handshake(m, &p) == 1)
		CU_ASSERT_EQUAL(peer_read(m, &p, buf, 8), -1);
	peer_free(&p);
	peer_start(&p, tcp_connect(port, 0), NULL, NULL, false);
	if (peer_handshake(m, &p) == 1)
		CU_ASSERT_EQUAL(peer_read(m, &p, buf, 8), -1);
	peer_free(&p);
	RUN_UNTIL(m, false, 50);
	CU_ASSERT_TRUE(log_has("TLS handshake failed: certificate verify failed "
			       "(peer certificate: unable to get local issuer certificate)"));
	CU_ASSERT_EQUAL(e.connects, 0);
	CU_ASSERT_EQUAL(e.disconnects, 0);

	peer_start(&p, tcp_connect(port, 0), P(CTL_KEY), P(CTL_PEM), false);
	CU_ASSERT_EQUAL(peer_handshake(m, &p), 1);
	CU_ASSERT_EQUAL(peer_read(m, &p, buf, 8), 8);
	CU_ASSERT_EQUAL(e.connects, 1);
	peer_free(&p);
	sl_ofconn_mgr_destroy(m);
}

/* A client that connects and never starts TLS is closed after one probe
 * interval, without ever reaching the agent. */
static void
test_pssl_silent_client_times_out(void)
{
	struct events e = { 0 };
	struct sl_ofconn_mgr *m = mgr(&e, 300);
	char err[256], b;
	ssize_t n = 1;
	int fd;

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), 0);
	log_capture();
	fd = tcp_connect(sl_ofconn_mgr_listen_port(m, 0), 0);
	for (int i = 0; i < 200 && n != 0; i++) {
		sl_ofconn_mgr_run(m, 5);
		n = recv(fd, &b, 1, 0);
		if (n < 0 && errno != EAGAIN)
			n = 0; /* reset: closed too */
	}
	CU_ASSERT_TRUE(log_has("TLS handshake: timed out"));
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(e.connects, 0);
	close(fd);
	sl_ofconn_mgr_destroy(m);
}

/* "ssl:" to a controller: the switch verifies the controller's certificate
 * (one from another CA is refused) and shows its own. */
static void
test_ssl_active(void)
{
	struct events e = { 0 };
	struct sl_ofconn_mgr *m = mgr(&e, 5000);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fd = -1;
	char err[256], spec[64];
	uint8_t buf[8];
	struct peer p;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CU_ASSERT_FATAL(bind(lfd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(lfd, 4) == 0);
	getsockname(lfd, (struct sockaddr *)&a, &al);
	snprintf(spec, sizeof(spec), "ssl:127.0.0.1:%u", ntohs(a.sin_port));
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, spec, err, sizeof(err)), 0);

	log_capture();
	for (int i = 0; i < 400 && fd < 0; i++) {
		sl_ofconn_mgr_run(m, 5);
		fd = accept(lfd, NULL, NULL);
	}
	CU_ASSERT_FATAL(fd >= 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	peer_start(&p, fd, P(ROGUE_KEY), P(ROGUE_PEM), true);
	CU_ASSERT_EQUAL(peer_handshake(m, &p), -1);
	peer_free(&p);
	RUN_UNTIL(m, false, 50);
	CU_ASSERT_TRUE(log_has("certificate verify failed"));
	CU_ASSERT_EQUAL(e.connects, 0);

	/* the next attempt (backoff 1 s) meets a controller the CA signed */
	fd = -1;
	for (int i = 0; i < 600 && fd < 0; i++) {
		sl_ofconn_mgr_run(m, 5);
		fd = accept(lfd, NULL, NULL);
	}
	CU_ASSERT_FATAL(fd >= 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	peer_start(&p, fd, P(CTL_KEY), P(CTL_PEM), true);
	CU_ASSERT_EQUAL(peer_handshake(m, &p), 1);
	CU_ASSERT_EQUAL(peer_read(m, &p, buf, 8), 8);
	CU_ASSERT_EQUAL(e.connects, 1);
	CU_ASSERT_TRUE(e.conn && !sl_ofconn_is_service(e.conn));
	peer_free(&p);
	close(lfd);
	sl_ofconn_mgr_destroy(m);
}

/* 3 MB queued at once, more than the socket takes: OpenSSL's writes stop
 * half way and are retried with the same bytes; every message arrives whole
 * and in order. Then 1 MB the other way, more than the receive cap. */
static void
test_tls_bulk_both_ways(void)
{
	enum { N = 48, LEN = 65000 };
	struct events e = { 0 };
	struct sl_ofconn_mgr *m = mgr(&e, 5000);
	static uint8_t msg[LEN], got[LEN];
	struct peer p;
	char err[256];
	int ok = 0;

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), 0);
	peer_start(&p, tcp_connect(sl_ofconn_mgr_listen_port(m, 0), 4096), P(CTL_KEY),
		   P(CTL_PEM), false);
	CU_ASSERT_EQUAL_FATAL(peer_handshake(m, &p), 1);
	CU_ASSERT_EQUAL_FATAL(peer_read(m, &p, got, 8), 8);
	for (uint32_t x = 0; x < N; x++) {
		make_msg(msg, LEN, 19, x);
		CU_ASSERT_EQUAL(sl_ofconn_send(e.conn, msg, LEN, false), 0);
	}
	CU_ASSERT_TRUE(sl_ofconn_tx_queued(e.conn) > 0);
	for (uint32_t x = 0; x < N; x++) {
		make_msg(msg, LEN, 19, x);
		ok += peer_read(m, &p, got, LEN) == LEN && memcmp(got, msg, LEN) == 0;
	}
	CU_ASSERT_EQUAL(ok, N);
	CU_ASSERT_EQUAL(sl_ofconn_tx_queued(e.conn), 0);
	for (uint32_t x = 0; x < 16; x++) {
		make_msg(msg, LEN, 18, 1000 + x);
		peer_write(m, &p, msg, LEN);
	}
	RUN_UNTIL(m, e.msgs == 16, 3000);
	CU_ASSERT_EQUAL(e.msgs, 16);
	CU_ASSERT_EQUAL(e.bytes, 16u * LEN);
	CU_ASSERT_EQUAL(e.last_xid, 1015);
	peer_free(&p);
	sl_ofconn_mgr_destroy(m);
}

/* A paused connection reads until its receive buffer (256 KiB) is full;
 * here that point falls inside the peer's last TLS record, whose rest
 * OpenSSL then holds decrypted while the socket is empty: poll() cannot
 * see it, and the last message must still arrive once the pause ends. */
static void
test_tls_paused_then_held_bytes(void)
{
	enum { LEN = 65000, RX_MAX = 256 << 10, LAST = RX_MAX - 4 * LEN + 2000 };
	struct events e = { 0 };
	struct sl_ofconn_mgr *m = mgr_tx(&e, 5000, 64 << 10);
	static uint8_t msg[LEN];
	uint32_t n_out = 0, ok = 0;
	struct peer p;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), 0);
	peer_start(&p, tcp_connect(sl_ofconn_mgr_listen_port(m, 0), 4096), P(CTL_KEY),
		   P(CTL_PEM), false);
	CU_ASSERT_EQUAL_FATAL(peer_handshake(m, &p), 1);
	CU_ASSERT_EQUAL_FATAL(peer_read(m, &p, msg, 8), 8);
	/* the kernel takes megabytes before the queue grows; then a megabyte
	 * more, so that the pause lasts whatever the kernel takes meanwhile */
	while (sl_ofconn_tx_queued(e.conn) <= (1 << 20) && n_out < 400) {
		make_msg(msg, LEN, 19, n_out++);
		sl_ofconn_send(e.conn, msg, LEN, false);
	}
	CU_ASSERT_EQUAL_FATAL(sl_ofconn_stats(e.conn)->pauses, 1);
	for (uint32_t x = 0; x < 5; x++) {
		make_msg(msg, x < 4 ? LEN : LAST, 18, 100 + x);
		peer_write(m, &p, msg, x < 4 ? LEN : LAST);
	}
	RUN_UNTIL(m, false, 100);
	CU_ASSERT_EQUAL(e.msgs, 0); /* paused: read, held */
	for (uint32_t x = 0; x < n_out; x++)
		ok += peer_read(m, &p, msg, LEN) == LEN;
	CU_ASSERT_EQUAL(ok, n_out);
	RUN_UNTIL(m, e.msgs == 5, 1000);
	CU_ASSERT_EQUAL(e.msgs, 5);
	CU_ASSERT_EQUAL(e.last_xid, 104);
	peer_free(&p);
	sl_ofconn_mgr_destroy(m);
}

/* Missing, unreadable and mismatched TLS files fail when the target is
 * added, each with a message that names the file. */
static void
test_tls_bad_files(void)
{
	struct sl_ofconn_options o = { 0 };
	struct events e = { 0 };
	struct sl_ofconn_mgr *m;
	char err[512];

	m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "needs a private key"));
	sl_ofconn_mgr_destroy(m);

	o.tls = (struct sl_ofconn_tls){ "/nonexistent/k.pem", P(SW_PEM), P(CA), false };
	m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "ssl:127.0.0.1:1", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "private key /nonexistent/k.pem: No such file"));
	sl_ofconn_mgr_destroy(m);

	o.tls = (struct sl_ofconn_tls){ P(CTL_KEY), P(SW_PEM), P(CA), false };
	m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "does not match"));
	sl_ofconn_mgr_destroy(m);

	o.tls = (struct sl_ofconn_tls){ P(SW_KEY), P(SW_PEM), P(SW_KEY), false };
	m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "CA certificate"));
	sl_ofconn_mgr_destroy(m);

	o.tls = (struct sl_ofconn_tls){ P(SW_KEY), P(SW_PEM), NULL, true };
	m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "pssl:0", err, sizeof(err)), 0);
	sl_ofconn_mgr_destroy(m);
}

static int
unix_connect(const char *p)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", p);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* punix: a stale socket file is replaced, the new one is 0600, a plain
 * client gets HELLO and is a service connection, and the file is gone
 * after destroy; a path that is not a socket is refused. */
static void
test_punix(void)
{
	struct events e = { 0 };
	struct sl_ofconn_mgr *m = mgr(&e, 5000);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char err[256], spec[160];
	uint8_t buf[8], msg[8];
	struct stat st;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ssize_t n = -1;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", P(SOCK));
	CU_ASSERT_FATAL(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	close(fd); /* a stale socket file, as a killed sluiced leaves */
	snprintf(spec, sizeof(spec), "punix:%s", P(SOCK));
	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, spec, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(stat(P(SOCK), &st), 0);
	CU_ASSERT_TRUE(S_ISSOCK(st.st_mode));
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);

	fd = unix_connect(P(SOCK));
	CU_ASSERT_FATAL(fd >= 0);
	for (int i = 0; i < 400 && n < 0; i++) {
		sl_ofconn_mgr_run(m, 5);
		n = recv(fd, buf, 8, 0);
	}
	CU_ASSERT_EQUAL(n, 8);
	CU_ASSERT_EQUAL(buf[1], 0);
	CU_ASSERT_TRUE(e.conn && sl_ofconn_is_service(e.conn));
	CU_ASSERT_TRUE(e.conn && strstr(sl_ofconn_name(e.conn), "<-pid ") != NULL);
	make_msg(msg, 8, 2, 5);
	CU_ASSERT_EQUAL(send(fd, msg, 8, 0), 8);
	RUN_UNTIL(m, e.msgs == 1, 2000);
	CU_ASSERT_EQUAL(e.last_xid, 5);
	/* a second manager may not take a live socket */
	{
		struct events e2 = { 0 };
		struct sl_ofconn_mgr *m2 = mgr(&e2, 5000);

		CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m2, spec, err, sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "another process listens"));
		sl_ofconn_mgr_destroy(m2);
	}
	close(fd);
	sl_ofconn_mgr_destroy(m);
	CU_ASSERT_EQUAL(access(P(SOCK), F_OK), -1);

	fd = open(P(SOCK), O_WRONLY | O_CREAT, 0600);
	close(fd);
	m = mgr(&e, 5000);
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, spec, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "is not a socket"));
	CU_ASSERT_EQUAL(access(P(SOCK), F_OK), 0); /* left alone */
	sl_ofconn_mgr_destroy(m);
	unlink(P(SOCK));
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "pssl: hello both ways", test_pssl_hello },
		{ "pssl: other CA and no certificate refused", test_pssl_refuses_other_ca },
		{ "pssl: silent client timed out", test_pssl_silent_client_times_out },
		{ "ssl: controller verified", test_ssl_active },
		{ "TLS: 3 MB out, 1 MB in", test_tls_bulk_both_ways },
		{ "TLS: paused, then bytes OpenSSL holds", test_tls_paused_then_held_bytes },
		{ "TLS: bad files", test_tls_bad_files },
		{ "punix: 0600, stale file, plain client", test_punix },
	};
	static const char *const names[] = { "ca.pem", "switch.key", "switch.pem", "ctl.key",
					     "ctl.pem", "rogue.key", "rogue.pem", "of.sock" };
	char cmd[256];
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/sl-ofconn-tls.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	for (int i = 0; i < 8; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s", dir, names[i]);
	snprintf(cmd, sizeof(cmd), "sh %s %s", TLS_CERTS_SH, dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_ofconn_tls: %s failed\n", cmd);
		return 1;
	}
	rc = cunit_run_suite("ofconn_tls", tests, CUNIT_N_TESTS(tests));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
