/* SPDX-License-Identifier: BSD-3-Clause */
/* Test controller (of_client.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "of_client.h"

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
ofc_pump(struct sl_agent *a, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	do
		sl_agent_run(a, 1);
	while (now_ms() < end);
}

static int
client_init(struct of_client *c, struct sl_agent *a)
{
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->next_xid = 1000;
	c->cap = 1 << 20;
	c->buf = malloc(c->cap);
	c->fd = -1;
	return c->buf ? 0 : -1;
}

/* The socket is up: wait for the agent's hello, answer it. */
static int
client_start(struct of_client *c, bool send_hello, bool want_async)
{
	struct sl_ofp_msg m;
	int one = 1;

	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	if (ofc_wait(c, OFPT_HELLO, &m, 2000) != 0)
		return -1;
	sl_ofp_msg_free(&m);
	if (!send_hello)
		return 0;
	{
		uint8_t hello[16] = { 4, OFPT_HELLO, 0, 16, 0, 0, 0, 1,
				      0, 1, 0, 8, 0, 0, 0, 1u << 4 };
		ofc_send_raw(c, hello, sizeof(hello));
	}
	if (want_async) {
		/* A session on the listener is a service connection: like
		 * `ovs-ofctl monitor`, ask for async messages with a nonzero
		 * miss_send_len (the primary default). */
		sl_ofp_msg_init(&m, OFPT_SET_CONFIG, 0);
		m.u.config.flags = 0;
		m.u.config.miss_send_len = 128;
		ofc_send(c, &m);
		sl_ofp_msg_free(&m);
	}
	/* Return once the agent has taken the hello: async messages
	 * (packet-in...) only go to negotiated sessions. */
	return ofc_barrier(c);
}

int
ofc_open_service(struct of_client *c, struct sl_agent *a, uint16_t port, bool send_hello,
		 bool want_async)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };

	if (client_init(c, a) < 0)
		return -1;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return -1;
	return client_start(c, send_hello, want_async);
}

int
ofc_open(struct of_client *c, struct sl_agent *a, uint16_t port, bool send_hello)
{
	return ofc_open_service(c, a, port, send_hello, send_hello);
}

int
ofc_listen(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 4) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	*port = ntohs(sa.sin_port);
	return fd;
}

int
ofc_accept(struct of_client *c, struct sl_agent *a, int listen_fd, int timeout_ms)
{
	uint64_t end = now_ms() + (uint64_t)timeout_ms;

	if (client_init(c, a) < 0)
		return -1;
	while ((c->fd = accept(listen_fd, NULL, NULL)) < 0) {
		if (now_ms() >= end)
			return -1;
		sl_agent_run(a, 1); /* lets the agent connect (with its backoff) */
	}
	return client_start(c, true, false);
}

void
ofc_close(struct of_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
}

void
ofc_send_raw(struct of_client *c, const void *b, size_t n)
{
	const uint8_t *p = b;

	while (n > 0) {
		ssize_t k = send(c->fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && (errno == EAGAIN || errno == EINTR)) {
			sl_agent_run(c->a, 1);
			continue;
		}
		if (k <= 0)
			return;
		p += k;
		n -= (size_t)k;
	}
}

uint32_t
ofc_send(struct of_client *c, struct sl_ofp_msg *m)
{
	struct sl_ofp_buf b = { 0 };

	m->version = c->version ? c->version : 4;
	if (m->xid == 0)
		m->xid = c->next_xid++;
	if (sl_ofp_encode(m, &b) == 0)
		ofc_send_raw(c, b.data, b.len);
	sl_ofp_buf_free(&b);
	return m->xid;
}

long
ofc_recv(struct of_client *c, uint8_t *out, size_t cap, int timeout_ms)
{
	uint64_t end = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		if (c->len >= 8) {
			size_t mlen = (size_t)c->buf[2] << 8 | c->buf[3];

			if (mlen >= 8 && c->len >= mlen) {
				memcpy(out, c->buf, mlen < cap ? mlen : cap);
				memmove(c->buf, c->buf + mlen, c->len - mlen);
				c->len -= mlen;
				return (long)mlen;
			}
		}
		if (c->closed)
			return -1;
		ssize_t k = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);

		if (k == 0)
			c->closed = true;
		else if (k > 0)
			c->len += (size_t)k;
		else if (now_ms() >= end)
			return 0;
		else
			sl_agent_run(c->a, 1);
	}
}

int
ofc_wait(struct of_client *c, uint8_t type, struct sl_ofp_msg *m, int timeout_ms)
{
	static uint8_t msg[65536];
	uint64_t end = now_ms() + (uint64_t)timeout_ms;
	struct sl_ofp_error err;

	while (now_ms() < end) {
		long n = ofc_recv(c, msg, sizeof(msg), (int)(end - now_ms()));

		if (n <= 0)
			return -1;
		if (msg[1] != type)
			continue;
		return sl_ofp_decode(msg, (size_t)n, m, &err);
	}
	return -1;
}

int
ofc_barrier(struct of_client *c)
{
	struct sl_ofp_msg m;

	sl_ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 0);
	ofc_send(c, &m);
	if (ofc_wait(c, OFPT_BARRIER_REPLY, &m, 2000) != 0)
		return -1;
	sl_ofp_msg_free(&m);
	return 0;
}
