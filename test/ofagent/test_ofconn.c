/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests for the OpenFlow transport over real loopback TCP sockets:
 * framing of split and coalesced messages, keepalive, reconnect, slow
 * controllers, bad targets. */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "sl_ofconn.h"

struct events {
	int connects, disconnects, msgs;
	uint8_t last[256];
	size_t last_len, last_full_len;
	uint32_t xids[64];
	char why[128];
	struct sl_ofconn *conn;
};

static void
on_connect(void *ctx, struct sl_ofconn *c)
{
	struct events *e = ctx;

	e->connects++;
	e->conn = c;
}

static void
on_message(void *ctx, struct sl_ofconn *c, const uint8_t *msg, size_t len)
{
	struct events *e = ctx;

	(void)c;
	if (e->msgs < 64)
		e->xids[e->msgs] = (uint32_t)msg[4] << 24 | msg[5] << 16 | msg[6] << 8 | msg[7];
	e->msgs++;
	e->last_full_len = len;
	e->last_len = len < sizeof(e->last) ? len : sizeof(e->last);
	memcpy(e->last, msg, e->last_len);
}

static void
on_disconnect(void *ctx, struct sl_ofconn *c, const char *why)
{
	struct events *e = ctx;

	(void)c;
	e->disconnects++;
	e->conn = NULL;
	snprintf(e->why, sizeof(e->why), "%s", why);
}

static const struct sl_ofconn_handler handler = { on_connect, on_message, on_disconnect };

static int
connect_to(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A controller's listening socket on loopback; @p spec gets the "tcp:"
 * target that connects to it. Returns the socket. */
static int
controller_listen(char *spec, size_t n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CU_ASSERT_FATAL(bind(lfd, (struct sockaddr *)&a, sizeof(a)) == 0);
	CU_ASSERT_FATAL(listen(lfd, 4) == 0);
	getsockname(lfd, (struct sockaddr *)&a, &al);
	snprintf(spec, n, "tcp:127.0.0.1:%u", ntohs(a.sin_port));
	return lfd;
}

/* Run the manager until @cond holds or @ms elapse. */
#define RUN_UNTIL(m, cond, ms) do { \
	for (int _i = 0; _i < (ms) / 10 && !(cond); _i++) \
		sl_ofconn_mgr_run((m), 10); \
} while (0)

static void
make_msg(uint8_t *b, uint16_t len, uint8_t type, uint32_t xid)
{
	memset(b, 0xab, len);
	b[0] = 4; b[1] = type; b[2] = (uint8_t)(len >> 8); b[3] = (uint8_t)len;
	b[4] = (uint8_t)(xid >> 24); b[5] = (uint8_t)(xid >> 16);
	b[6] = (uint8_t)(xid >> 8); b[7] = (uint8_t)xid;
}

/* The wake fd ends the manager's wait and is read empty by it. */
static void
test_wake_fd(void)
{
	struct events e = { 0 };
	char err[256];
	struct sl_ofconn_mgr *m = sl_ofconn_mgr_create(&handler, &e, NULL, err, sizeof(err));
	int fd = eventfd(0, EFD_NONBLOCK);
	uint64_t v = 3;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "ptcp:0", err, sizeof(err)), 0);
	/* not set yet: the manager leaves the eventfd alone */
	CU_ASSERT_EQUAL(write(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	sl_ofconn_mgr_run(m, 0);
	v = 0;
	CU_ASSERT_EQUAL(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	CU_ASSERT_EQUAL(v, 3);

	sl_ofconn_mgr_set_wake_fd(m, fd);
	v = 1;
	CU_ASSERT_EQUAL(write(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	/* A manager that did not poll the wake fd would sleep the whole
	 * minute here (the test's timeout ends it first). */
	sl_ofconn_mgr_run(m, 60000);
	CU_ASSERT_EQUAL(read(fd, &v, sizeof(v)), -1); /* read empty */
	CU_ASSERT_EQUAL(errno, EAGAIN);
	CU_ASSERT_EQUAL(e.connects, 0);
	sl_ofconn_mgr_destroy(m);
	close(fd);
}

static void
test_framing(void)
{
	struct events e = { 0 };
	char err[256];
	struct sl_ofconn_mgr *m = sl_ofconn_mgr_create(&handler, &e, NULL, err, sizeof(err));
	uint8_t buf[4096];
	size_t off = 0;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "ptcp:0", err, sizeof(err)), 0);
	fd = connect_to(sl_ofconn_mgr_listen_port(m, 0));
	CU_ASSERT_FATAL(fd >= 0);
	RUN_UNTIL(m, e.connects == 1, 1000);
	CU_ASSERT_EQUAL(e.connects, 1);
	/* 10 messages of various sizes in one buffer, sent in odd slices */
	for (uint32_t i = 0; i < 10; i++) {
		uint16_t len = (uint16_t)(8 + i * 37);

		make_msg(buf + off, len, 10, 100 + i);
		off += len;
	}
	for (size_t s = 0; s < off; s += 7) {
		size_t n = off - s < 7 ? off - s : 7;

		CU_ASSERT_EQUAL(write(fd, buf + s, n), (ssize_t)n);
		sl_ofconn_mgr_run(m, 0);
	}
	RUN_UNTIL(m, e.msgs == 10, 1000);
	CU_ASSERT_EQUAL(e.msgs, 10);
	for (int i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(e.xids[i], 100u + (uint32_t)i);
	CU_ASSERT_EQUAL(e.last_full_len, 8 + 9 * 37);
	CU_ASSERT_EQUAL(e.last[e.last_len - 1], 0xab);
	/* the switch's replies reach the client */
	make_msg(buf, 16, 3, 7);
	CU_ASSERT_EQUAL(sl_ofconn_send(e.conn, buf, 16, false), 0);
	CU_ASSERT_EQUAL(read(fd, buf + 100, 16), 16);
	CU_ASSERT_EQUAL(buf[107], 7);
	/* a length below 8 cannot be framed: the connection is dropped */
	make_msg(buf, 8, 0, 1);
	buf[3] = 4;
	CU_ASSERT_EQUAL(write(fd, buf, 8), 8);
	RUN_UNTIL(m, e.disconnects == 1, 1000);
	CU_ASSERT_EQUAL(e.disconnects, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.why, "below 8"));
	CU_ASSERT_EQUAL(read(fd, buf, 1), 0); /* closed by the switch */
	close(fd);
	sl_ofconn_mgr_destroy(m);
}

static void
test_keepalive(void)
{
	struct events e = { 0 };
	struct sl_ofconn_options o = { .probe_interval_ms = 100 };
	char err[256];
	struct sl_ofconn_mgr *m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	uint8_t b[8];
	int fd;

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "ptcp:0:127.0.0.1", err, sizeof(err)), 0);
	fd = connect_to(sl_ofconn_mgr_listen_port(m, 0));
	RUN_UNTIL(m, e.connects == 1, 1000);
	/* idle: an echo request comes; answering keeps the connection */
	RUN_UNTIL(m, sl_ofconn_stats(e.conn)->echo_sent == 1, 1000);
	CU_ASSERT_EQUAL_FATAL(read(fd, b, 8), 8);
	CU_ASSERT_EQUAL(b[1], 2); /* OFPT_ECHO_REQUEST */
	b[1] = 3;
	CU_ASSERT_EQUAL(write(fd, b, 8), 8);
	RUN_UNTIL(m, e.msgs == 1, 1000);
	CU_ASSERT_EQUAL(e.disconnects, 0);
	/* silence after the next echo: disconnected by the inactivity probe */
	RUN_UNTIL(m, e.disconnects == 1, 2000);
	CU_ASSERT_EQUAL(e.disconnects, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.why, "inactivity probe"));
	close(fd);
	sl_ofconn_mgr_destroy(m);
}

static void
test_active_reconnect(void)
{
	struct events e = { 0 };
	struct sl_ofconn_options o = { .max_backoff_ms = 1000 };
	char err[256], spec[64];
	struct sl_ofconn_mgr *m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	int lfd = controller_listen(spec, sizeof(spec)), fd;

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, spec, err, sizeof(err)), 0);
	RUN_UNTIL(m, e.connects == 1, 1000);
	CU_ASSERT_EQUAL(e.connects, 1);
	fd = accept(lfd, NULL, NULL);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd); /* the controller restarts */
	RUN_UNTIL(m, e.disconnects == 1, 1000);
	CU_ASSERT_EQUAL(e.disconnects, 1);
	RUN_UNTIL(m, e.connects == 2, 3000); /* after the 1 s backoff */
	CU_ASSERT_EQUAL(e.connects, 2);
	fd = accept(lfd, NULL, NULL);
	CU_ASSERT(fd >= 0);
	close(fd);
	close(lfd);
	sl_ofconn_mgr_destroy(m);
}

static void
test_slow_controller(void)
{
	struct events e = { 0 };
	struct sl_ofconn_options o = { .max_tx_bytes = 1 << 20 };
	char err[256];
	struct sl_ofconn_mgr *m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	static uint8_t big[60000], sink[65536];
	uint8_t small[8];
	int fd, dropped = 0, sent = 0;

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "ptcp:0", err, sizeof(err)), 0);
	fd = connect_to(sl_ofconn_mgr_listen_port(m, 0));
	RUN_UNTIL(m, e.connects == 1, 1000);
	make_msg(big, sizeof(big), 10, 1);
	/* the client never reads: optional messages are dropped, not queued
	 * forever, and the switch never blocks */
	for (int i = 0; i < 200; i++) {
		if (sl_ofconn_send(e.conn, big, sizeof(big), true) == 0)
			sent++;
		else
			dropped++;
	}
	CU_ASSERT(dropped > 0);
	CU_ASSERT(sent > 0);
	CU_ASSERT_EQUAL(sl_ofconn_stats(e.conn)->tx_dropped, (uint64_t)dropped);
	CU_ASSERT(sl_ofconn_tx_queued(e.conn) <= (1u << 20) / 2);
	/* replies are never dropped and never cost the session: past the cap
	 * the connection is paused, and what the client sends meanwhile waits */
	for (int i = 0; i < 40; i++)
		CU_ASSERT_EQUAL(sl_ofconn_send(e.conn, big, sizeof(big), false), 0);
	CU_ASSERT(sl_ofconn_tx_queued(e.conn) > (1u << 20));
	CU_ASSERT_EQUAL(sl_ofconn_stats(e.conn)->pauses, 1);
	make_msg(small, sizeof(small), 2, 77);
	CU_ASSERT_EQUAL(send(fd, small, sizeof(small), 0), (ssize_t)sizeof(small));
	for (int i = 0; i < 10; i++)
		sl_ofconn_mgr_run(m, 10);
	CU_ASSERT_EQUAL(e.msgs, 0);
	/* the client reads it all: the queue drains, its request gets through */
	for (int i = 0; i < 2000 && e.msgs == 0; i++) {
		while (recv(fd, sink, sizeof(sink), MSG_DONTWAIT) > 0)
			;
		sl_ofconn_mgr_run(m, 1);
	}
	CU_ASSERT_EQUAL(e.msgs, 1);
	CU_ASSERT_EQUAL(e.xids[0], 77);
	CU_ASSERT_EQUAL(e.disconnects, 0);
	CU_ASSERT_EQUAL(sl_ofconn_stats(e.conn)->tx_dropped, (uint64_t)dropped);
	close(fd);
	sl_ofconn_mgr_destroy(m);
}

/* A paused peer that reads nothing and answers nothing is closed by the
 * keepalive, not kept forever; the bytes it sends are held up to a bound. */
static void
test_stuck_peer_closed(void)
{
	struct events e = { 0 };
	struct sl_ofconn_options o = { .max_tx_bytes = 64 << 10, .probe_interval_ms = 100 };
	char err[256];
	struct sl_ofconn_mgr *m = sl_ofconn_mgr_create(&handler, &e, &o, err, sizeof(err));
	static uint8_t big[60000], junk[65536];
	int fd, small = 4096;

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "ptcp:0", err, sizeof(err)), 0);
	fd = connect_to(sl_ofconn_mgr_listen_port(m, 0));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	RUN_UNTIL(m, e.connects == 1, 1000);
	make_msg(big, sizeof(big), 10, 1);
	/* replies until the kernel's buffers are full and the queue is over its cap */
	for (int i = 0; i < 1000 && sl_ofconn_tx_queued(e.conn) <= (64u << 10); i++)
		sl_ofconn_send(e.conn, big, sizeof(big), false);
	CU_ASSERT_EQUAL(sl_ofconn_stats(e.conn)->pauses, 1);
	make_msg(junk, 8, 2, 5);
	for (size_t k = 8; k + 8 <= sizeof(junk); k += 8)
		memcpy(junk + k, junk, 8);
	/* the client floods requests while never reading: none is handed over */
	for (int i = 0; i < 64; i++) {
		if (send(fd, junk, sizeof(junk), MSG_DONTWAIT) < 0)
			break;
		sl_ofconn_mgr_run(m, 1);
	}
	CU_ASSERT_EQUAL(e.msgs, 0);
	RUN_UNTIL(m, e.disconnects == 1, 2000);
	CU_ASSERT_EQUAL(e.disconnects, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.why, "inactivity probe"));
	close(fd);
	sl_ofconn_mgr_destroy(m);
}

/* Local tools connecting in numbers fill the listener's slots, never a
 * controller's: the one past SL_OFCONN_MAX_SERVICE is refused, and the
 * switch still connects to its controller. */
static void
test_service_slots(void)
{
	struct events e = { 0 };
	char err[256], spec[64], b;
	struct sl_ofconn_mgr *m = sl_ofconn_mgr_create(&handler, &e, NULL, err, sizeof(err));
	int lfd, extra, ctl;
	int fds[SL_OFCONN_MAX_SERVICE];

	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, "ptcp:0", err, sizeof(err)), 0);
	for (int i = 0; i < SL_OFCONN_MAX_SERVICE; i++) {
		fds[i] = connect_to(sl_ofconn_mgr_listen_port(m, 0));
		RUN_UNTIL(m, e.connects == i + 1, 1000);
	}
	CU_ASSERT_EQUAL(e.connects, SL_OFCONN_MAX_SERVICE);
	extra = connect_to(sl_ofconn_mgr_listen_port(m, 0));
	for (int i = 0; i < 20; i++)
		sl_ofconn_mgr_run(m, 10);
	CU_ASSERT_EQUAL(e.connects, SL_OFCONN_MAX_SERVICE);
	CU_ASSERT_EQUAL(recv(extra, &b, 1, MSG_DONTWAIT), 0); /* closed by the switch */
	/* the controller target still gets its slot */
	lfd = controller_listen(spec, sizeof(spec));
	CU_ASSERT_EQUAL_FATAL(sl_ofconn_mgr_add_target(m, spec, err, sizeof(err)), 0);
	RUN_UNTIL(m, e.connects == SL_OFCONN_MAX_SERVICE + 1, 1000);
	CU_ASSERT_EQUAL(e.connects, SL_OFCONN_MAX_SERVICE + 1);
	CU_ASSERT_FALSE(sl_ofconn_is_service(e.conn));
	ctl = accept(lfd, NULL, NULL);
	CU_ASSERT(ctl >= 0);
	close(ctl);
	close(extra);
	for (int i = 0; i < SL_OFCONN_MAX_SERVICE; i++)
		close(fds[i]);
	close(lfd);
	sl_ofconn_mgr_destroy(m);
}

static void
test_bad_targets(void)
{
	struct events e = { 0 };
	char err[256];
	struct sl_ofconn_mgr *m = sl_ofconn_mgr_create(&handler, &e, NULL, err, sizeof(err));

	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "udp:1.2.3.4:6653", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "expected"));
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "tcp:127.0.0.1", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "tcp:127.0.0.1:http", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad TCP port"));
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "ptcp:99999", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(sl_ofconn_mgr_add_target(m, "ptcp:6653:no.such.host.invalid", err,
						 sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot resolve"));
	sl_ofconn_mgr_destroy(m);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "framing", test_framing },
		{ "wake fd", test_wake_fd },
		{ "keepalive", test_keepalive },
		{ "active reconnect", test_active_reconnect },
		{ "slow controller: optional dropped, replies pause it", test_slow_controller },
		{ "stuck peer: closed by the keepalive", test_stuck_peer_closed },
		{ "service slots apart from the controllers'", test_service_slots },
		{ "bad targets", test_bad_targets },
	};

	return cunit_run_suite("ofconn", tests, CUNIT_N_TESTS(tests));
}
