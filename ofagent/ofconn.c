/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenFlow transport (see sl_ofconn.h). One poll() over all sockets per
 * run. Connections closed from inside a callback are only marked; they are
 * freed at the end of the run, so a handler may close any connection
 * (including the one it was called for) without use-after-free. Bytes move
 * through struct sl_stream (ofconn_transport.h), plain or TLS.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ofconn_transport.h"
#include "sl_log.h"
#include "openflow.h"
#include "sl_ofconn.h"

struct target {
	char spec[128];
	struct sl_endpoint ep;
	int listen_fd;
	uint16_t listen_port;
	struct sl_ofconn *conn;      /* active target: its connection, if any */
	uint64_t next_attempt_ms;
	unsigned int backoff_ms;
};

struct sl_ofconn {
	struct sl_ofconn_mgr *m;
	bool in_use, connecting, closing, flush_then_close;
	/* TLS handshake under way since hs_start_ms: on_connect has not run */
	bool handshaking;
	uint64_t hs_start_ms;
	char close_why[256];         /* for on_disconnect, at the reap */
	struct sl_stream st;
	int target;
	char name[160];
	uint8_t *rx;
	size_t rx_len, rx_cap;
	uint8_t *tx;
	size_t tx_len, tx_cap;
	/* the send queue went over max_tx_bytes: no message is handed to the
	 * agent until it drains to half of that (flow control, see above) */
	bool paused;
	/* last time bytes came in or a backlogged queue drained (keepalive) */
	uint64_t last_rx_ms, echo_sent_ms;
	bool echo_pending;
	uint8_t version;             /* version of the last message received */
	struct sl_ofconn_stats stats;
	void *priv;
};

struct sl_ofconn_mgr {
	struct sl_ofconn_handler h;
	void *ctx;
	struct sl_ofconn_options opt;
	unsigned int n_targets;
	struct target targets[SL_OFCONN_MAX_TARGETS];
	struct sl_ofconn conns[SL_OFCONN_MAX];
	int wake_fd; /* -1: none */
	struct sl_tls *tls; /* made by the first ssl or pssl target */
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The TLS paths are the caller's: the manager keeps copies, read when the
 * first ssl or pssl target is added. */
static int
keep_tls_paths(struct sl_ofconn_tls *t)
{
	const char **f[] = { &t->private_key, &t->certificate, &t->ca_cert };
	int rc = 0;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (*f[i] == NULL)
			continue;
		*f[i] = rc == 0 ? strdup(*f[i]) : NULL;
		if (*f[i] == NULL)
			rc = -1;
	}
	return rc;
}

static void
free_tls_paths(struct sl_ofconn_tls *t)
{
	free((void *)t->private_key);
	free((void *)t->certificate);
	free((void *)t->ca_cert);
}

struct sl_ofconn_mgr *
sl_ofconn_mgr_create(const struct sl_ofconn_handler *h, void *ctx,
		     const struct sl_ofconn_options *opt, char *err, size_t errlen)
{
	struct sl_ofconn_mgr *m = calloc(1, sizeof(*m));

	if (m == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->h = *h;
	m->ctx = ctx;
	m->wake_fd = -1;
	if (opt)
		m->opt = *opt;
	if (keep_tls_paths(&m->opt.tls) < 0) {
		snprintf(err, errlen, "out of memory");
		sl_ofconn_mgr_destroy(m);
		return NULL;
	}
	if (!m->opt.probe_interval_ms)
		m->opt.probe_interval_ms = 5000;
	if (!m->opt.max_backoff_ms)
		m->opt.max_backoff_ms = 8000;
	if (!m->opt.max_tx_bytes)
		m->opt.max_tx_bytes = 4u << 20;
	return m;
}

/* The first ssl or pssl target reads the TLS files: a bad one fails the
 * start, not the first connection. */
static int
need_tls(struct sl_ofconn_mgr *m, const char *spec, char *err, size_t errlen)
{
	char why[384];

	if (m->tls)
		return 0;
	m->tls = sl_tls_create(&m->opt.tls, why, sizeof(why));
	if (m->tls == NULL) {
		snprintf(err, errlen, "%s: %s", spec, why);
		return -1;
	}
	return 0;
}

int
sl_ofconn_mgr_add_target(struct sl_ofconn_mgr *m, const char *spec, char *err,
			 size_t errlen)
{
	struct target *t;

	if (m->n_targets == SL_OFCONN_MAX_TARGETS) {
		snprintf(err, errlen, "more than %d controller targets", SL_OFCONN_MAX_TARGETS);
		return -1;
	}
	t = &m->targets[m->n_targets];
	memset(t, 0, sizeof(*t));
	t->listen_fd = -1;
	snprintf(t->spec, sizeof(t->spec), "%s", spec);
	if (sl_endpoint_parse(&t->ep, spec, err, errlen) < 0 ||
	    (t->ep.tls && need_tls(m, spec, err, errlen) < 0))
		return -1;
	if (t->ep.passive &&
	    (t->listen_fd = sl_endpoint_listen(&t->ep, spec, &t->listen_port, err, errlen)) < 0)
		return -1;
	t->backoff_ms = 1000;
	m->n_targets++;
	return 0;
}

uint16_t
sl_ofconn_mgr_listen_port(const struct sl_ofconn_mgr *m, unsigned int idx)
{
	return idx < m->n_targets ? m->targets[idx].listen_port : 0;
}

/* Slots [0, SL_OFCONN_MAX_SERVICE) hold connections accepted on listeners,
 * the others those the switch opens to its controllers (one per target). */
static struct sl_ofconn *
conn_alloc(struct sl_ofconn_mgr *m, int fd, int target, const char *name)
{
	bool passive = m->targets[target].ep.passive;
	unsigned int lo = passive ? 0 : SL_OFCONN_MAX_SERVICE;
	unsigned int hi = passive ? SL_OFCONN_MAX_SERVICE : SL_OFCONN_MAX;

	for (unsigned int i = lo; i < hi; i++) {
		struct sl_ofconn *c = &m->conns[i];

		if (c->in_use)
			continue;
		memset(c, 0, sizeof(*c));
		c->in_use = true;
		c->m = m;
		sl_stream_init(&c->st, fd);
		c->target = target;
		c->version = 4;
		c->last_rx_ms = now_ms();
		snprintf(c->name, sizeof(c->name), "%s", name);
		return c;
	}
	return NULL;
}

static void
conn_up(struct sl_ofconn *c)
{
	c->connecting = false;
	c->handshaking = false;
	c->last_rx_ms = now_ms();
	if (c->target >= 0 && !c->m->targets[c->target].ep.passive)
		c->m->targets[c->target].backoff_ms = 1000;
	c->m->h.on_connect(c->m->ctx, c);
}

/* Closed before on_connect: the reap runs no on_disconnect. The log line
 * is the only trace of a TLS peer refused or gone silent, so it names the
 * peer and OpenSSL's reason. */
static void
conn_fail_early(struct sl_ofconn *c, const char *what, const char *why)
{
	char msg[sizeof(c->close_why)];

	snprintf(msg, sizeof(msg), "%s: %s", what, why);
	SL_LOG(SL_LOG_OFCONN, SL_LOG_WARNING, "ofconn: %s: %s", c->name, msg);
	memcpy(c->close_why, msg, sizeof(msg));
	c->closing = true;
}

/* The TLS handshake as far as the socket allows; the peer is up (on_connect)
 * when it completes. */
static void
conn_handshake(struct sl_ofconn *c)
{
	int rc = sl_stream_handshake(&c->st);

	if (rc < 0)
		conn_fail_early(c, "TLS handshake failed", c->st.err);
	else if (rc > 0)
		conn_up(c);
}

/* The socket is connected or accepted: a plain connection is up, a TLS one
 * starts its handshake, which the poll loop drives (never blocking: the
 * control lcore also runs the switch). */
static void
conn_established(struct sl_ofconn *c)
{
	const struct target *t = &c->m->targets[c->target];
	int one = 1;

	setsockopt(c->st.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!t->ep.tls) {
		conn_up(c);
		return;
	}
	c->connecting = false;
	c->handshaking = true;
	c->hs_start_ms = now_ms();
	if (sl_stream_start_tls(&c->st, c->m->tls, t->ep.passive) < 0)
		conn_fail_early(c, "TLS", c->st.err);
	else
		conn_handshake(c);
}

/* The stream failed after the handshake: @c closes with its reason; a TLS
 * error (a bad record, an alert from the peer) is also logged. Returns the
 * reason. */
static const char *
conn_stream_failed(struct sl_ofconn *c)
{
	if (sl_stream_is_tls(&c->st) && c->st.fatal)
		SL_LOG(SL_LOG_OFCONN, SL_LOG_WARNING, "ofconn: %s: %s", c->name, c->st.err);
	return c->st.err;
}

/*
 * Flow control. A reply is never dropped and never costs the session: a
 * flow-stats reply of 40k rules is larger than the send queue's cap, and
 * closing on it disconnected every controller that asked (and in standalone
 * mode flipped the switch to fail-open). Instead, once the queue is over
 * max_tx_bytes the connection is paused: the messages it sends are read
 * (into a bounded buffer, RX_PAUSED_MAX) but not handed to the agent until
 * the queue has drained to half, so a peer that never reads gets no more
 * replies queued than the one that crossed the cap, and its requests wait.
 * Optional messages (packet-in, ...) are still dropped past half the cap.
 * The keepalive counts a backlogged queue draining as life, like bytes
 * received: a controller busy reading a long reply is not probed to death.
 *
 * Closing only marks the connection: on_disconnect, which frees the agent's
 * state, runs when the manager reaps it at the end of sl_ofconn_mgr_run(),
 * outside every callback. A close can happen deep inside the agent (a send
 * that finds the queue full, while answering a message), and the agent
 * keeps using its connection state until it returns; freeing it there was a
 * use-after-free that any client sending bad messages without reading could
 * trigger. Until the reap, sends are refused and foreach skips it.
 */
void
sl_ofconn_close(struct sl_ofconn *c, bool flush, const char *why)
{
	if (c->closing)
		return;
	if (flush && c->tx_len) {
		c->flush_then_close = true;
		return;
	}
	c->closing = true;
	snprintf(c->close_why, sizeof(c->close_why), "%s", why);
}

/* Free a closed connection; an active target schedules its reconnect. */
static void
conn_reap(struct sl_ofconn *c)
{
	struct sl_ofconn_mgr *m = c->m;

	if (!c->connecting && !c->handshaking)
		m->h.on_disconnect(m->ctx, c, c->close_why);

	if (c->target >= 0 && !m->targets[c->target].ep.passive) {
		struct target *t = &m->targets[c->target];

		t->conn = NULL;
		t->next_attempt_ms = now_ms() + t->backoff_ms;
		t->backoff_ms = t->backoff_ms * 2 > m->opt.max_backoff_ms ?
				m->opt.max_backoff_ms : t->backoff_ms * 2;
	}
	sl_stream_close(&c->st);
	free(c->rx);
	free(c->tx);
	c->in_use = false;
}

/* Bytes of received messages held per connection at most (> 65535 + 8). */
#define RX_MAX (256u << 10)

static int
tx_flush(struct sl_ofconn *c)
{
	while (c->tx_len) {
		/* a TLS write not taken whole is retried with these same first
		 * bytes: they leave the queue only once sent */
		ssize_t n = sl_stream_send(&c->st, c->tx, c->tx_len);

		if (n == 0)
			return 0;
		if (n < 0) {
			sl_ofconn_close(c, false, conn_stream_failed(c));
			return -1;
		}
		memmove(c->tx, c->tx + n, c->tx_len - (size_t)n);
		c->tx_len -= (size_t)n;
		c->stats.tx_bytes += (uint64_t)n;
	}
	if (c->paused && c->tx_len <= c->m->opt.max_tx_bytes / 2)
		c->paused = false;
	if (c->flush_then_close) {
		c->flush_then_close = false;
		sl_ofconn_close(c, false, "closed after flush");
	}
	return 0;
}

int
sl_ofconn_send(struct sl_ofconn *c, const void *msg, size_t len, bool optional)
{
	size_t cap = c->m->opt.max_tx_bytes;

	if (c->closing || c->connecting || c->handshaking)
		return -1;
	if (optional && c->tx_len + len > cap / 2) {
		c->stats.tx_dropped++;
		return -1;
	}
	if (c->tx_len + len > c->tx_cap) {
		size_t ncap = c->tx_cap ? c->tx_cap : 65536;
		uint8_t *n;

		while (ncap < c->tx_len + len)
			ncap *= 2;
		n = realloc(c->tx, ncap);
		if (n == NULL) {
			sl_ofconn_close(c, false, "out of memory");
			return -1;
		}
		c->tx = n;
		c->tx_cap = ncap;
	}
	memcpy(c->tx + c->tx_len, msg, len);
	c->tx_len += len;
	c->stats.tx_msgs++;
	if (tx_flush(c) < 0)
		return -1;
	if (c->tx_len > cap && !c->paused) {
		c->paused = true;
		c->stats.pauses++;
	}
	return 0;
}

/* Read what the peer sent, up to RX_MAX bytes held (one whole message of the
 * largest size fits): a peer that sends faster than the agent handles, or
 * while the connection is paused, waits in its socket, not in our memory.
 * Returns NULL, or why the stream ended (end of file, error): the messages
 * read before that are still to be handed over. */
static const char *
rx_fill(struct sl_ofconn *c)
{
	while (c->rx_len < RX_MAX) {
		ssize_t n;

		if (c->rx_cap - c->rx_len < 16384 && c->rx_cap < RX_MAX) {
			size_t ncap = c->rx_cap ? c->rx_cap * 2 : 131072;
			uint8_t *p = realloc(c->rx, ncap);

			if (p == NULL)
				return "out of memory";
			c->rx = p;
			c->rx_cap = ncap;
		}
		n = sl_stream_recv(&c->st, c->rx + c->rx_len, c->rx_cap - c->rx_len);
		if (n == 0)
			break;
		if (n < 0)
			return conn_stream_failed(c);
		c->rx_len += (size_t)n;
		c->stats.rx_bytes += (uint64_t)n;
		c->last_rx_ms = now_ms();
		c->echo_pending = false;
	}
	return NULL;
}

/* Hand every complete message held to the agent, unless paused (or
 * @p all: the peer is gone, what it sent before is still carried out). */
static void
dispatch(struct sl_ofconn *c, bool all)
{
	size_t off = 0;

	while (!c->closing && (all || !c->paused) && c->rx_len - off >= OFP_HEADER_SIZE) {
		const uint8_t *h = c->rx + off;
		size_t len = (size_t)h[2] << 8 | h[3];

		if (len < OFP_HEADER_SIZE) {
			/* No way to find the next message boundary: like OVS, give up
			 * on the stream rather than guess. */
			sl_ofconn_close(c, false, "message length below 8: stream out of sync");
			break;
		}
		if (c->rx_len - off < len)
			break;
		c->version = h[0];
		c->stats.rx_msgs++;
		c->m->h.on_message(c->m->ctx, c, h, len);
		off += len;
	}
	if (off) {
		memmove(c->rx, c->rx + off, c->rx_len - off);
		c->rx_len -= off;
	}
}

/* A whole message is held and the agent may have it. */
static bool
dispatch_ready(const struct sl_ofconn *c)
{
	return !c->closing && !c->paused && c->rx_len >= OFP_HEADER_SIZE &&
	       c->rx_len >= ((size_t)c->rx[2] << 8 | c->rx[3]);
}

static void
keepalive(struct sl_ofconn *c, uint64_t now)
{
	uint8_t echo[OFP_HEADER_SIZE] = { 0, OFPT_ECHO_REQUEST, 0, 8, 0, 0, 0, 0 };
	uint64_t probe = c->m->opt.probe_interval_ms;

	if (c->handshaking && now - c->hs_start_ms >= probe) {
		/* a peer that connects and stays silent must not hold a slot */
		conn_fail_early(c, "TLS handshake", "timed out");
		return;
	}
	if (c->connecting || c->handshaking || c->closing)
		return;
	if (c->echo_pending) {
		if (now - c->echo_sent_ms >= probe)
			sl_ofconn_close(c, false, "inactivity probe: no reply to echo request");
		return;
	}
	if (now - c->last_rx_ms >= probe) {
		echo[0] = c->version;
		c->echo_pending = true;
		c->echo_sent_ms = now;
		c->stats.echo_sent++;
		sl_ofconn_send(c, echo, sizeof(echo), false);
	}
}

static void
start_connect(struct sl_ofconn_mgr *m, unsigned int ti, uint64_t now)
{
	struct target *t = &m->targets[ti];
	int fd = socket(t->ep.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sl_ofconn *c;

	if (fd < 0)
		goto retry;
	c = conn_alloc(m, fd, (int)ti, t->spec);
	if (c == NULL)
		goto retry;
	t->conn = c;
	if (connect(fd, (struct sockaddr *)&t->ep.addr, t->ep.addrlen) == 0) {
		conn_established(c);
	} else if (errno == EINPROGRESS) {
		c->connecting = true;
	} else {
		c->connecting = true; /* reap without an on_disconnect */
		c->closing = true;
	}
	return;
retry:
	if (fd >= 0)
		close(fd);
	t->next_attempt_ms = now + t->backoff_ms;
}

static void
accept_all(struct sl_ofconn_mgr *m, unsigned int ti)
{
	struct target *t = &m->targets[ti];

	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		char name[160];
		struct sl_ofconn *c;
		int fd = accept4(t->listen_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK);

		if (fd < 0)
			return;
		sl_endpoint_peer_name(t->spec, fd, &ss, sl, name, sizeof(name));
		c = conn_alloc(m, fd, (int)ti, name);
		if (c == NULL) {
			close(fd);
			continue;
		}
		conn_established(c);
	}
}

static void
finish_connect(struct sl_ofconn *c)
{
	int e = 0;
	socklen_t l = sizeof(e);

	if (getsockopt(c->st.fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0 || e != 0)
		c->closing = true; /* still "connecting": no on_disconnect */
	else
		conn_established(c);
}

void
sl_ofconn_mgr_set_wake_fd(struct sl_ofconn_mgr *m, int fd)
{
	m->wake_fd = fd;
}

/* poll() slot owners: a connection index, -1 - target index (a listener),
 * or the wake fd. */
#define WHO_WAKE INT_MIN
#define N_POLL (SL_OFCONN_MAX + SL_OFCONN_MAX_TARGETS + 1)

/* Bytes moved on an established connection after poll() said @revents
 * (or, for TLS bytes already decrypted, nothing did). */
static void
conn_io(struct sl_ofconn *c, short revents)
{
	/* OpenSSL may need the other direction (a read that writes, a write
	 * that reads): a TLS stream tries both on any event; a try that
	 * cannot progress returns at once. */
	bool tls = sl_stream_is_tls(&c->st);

	if ((revents & POLLOUT) || (tls && c->tx_len)) {
		size_t backlog = c->tx_len;

		/* The queue was backlogged: bytes leaving it now mean
		 * the peer is reading (life, for the keepalive). */
		if (tx_flush(c) == 0 && c->tx_len < backlog) {
			c->last_rx_ms = now_ms();
			c->echo_pending = false;
		}
	}
	if (!c->closing && (tls || (revents & (POLLIN | POLLHUP | POLLERR)))) {
		const char *end = rx_fill(c);
		char why[sizeof(c->st.err)];

		if (end) /* the stream's buffer may not survive the agent */
			snprintf(why, sizeof(why), "%s", end);
		dispatch(c, end != NULL);
		if (end)
			sl_ofconn_close(c, false, why);
	}
}

/* Fill @pfd/@who with what to wait for; starts due reconnects. Returns
 * the count, and lowers *timeout_ms to 0 when TLS holds bytes to read. */
static int
poll_set(struct sl_ofconn_mgr *m, struct pollfd *pfd, int *who, int *timeout_ms)
{
	uint64_t now = now_ms();
	int n = 0;

	for (unsigned int i = 0; i < m->n_targets; i++) {
		struct target *t = &m->targets[i];

		if (t->ep.passive) {
			pfd[n] = (struct pollfd){ .fd = t->listen_fd, .events = POLLIN };
			who[n++] = -1 - (int)i;
		} else if (t->conn == NULL && now >= t->next_attempt_ms) {
			start_connect(m, i, now);
		}
	}
	for (int i = 0; i < SL_OFCONN_MAX; i++) {
		struct sl_ofconn *c = &m->conns[i];

		if (!c->in_use || c->closing)
			continue;
		pfd[n] = (struct pollfd){ .fd = c->st.fd,
			.events = c->connecting ? POLLOUT :
				  sl_stream_events(&c->st, c->rx_len < RX_MAX, c->tx_len != 0) };
		if (c->rx_len < RX_MAX && sl_stream_buffered(&c->st))
			*timeout_ms = 0;
		who[n++] = i;
	}
	if (m->wake_fd >= 0) {
		pfd[n] = (struct pollfd){ .fd = m->wake_fd, .events = POLLIN };
		who[n++] = WHO_WAKE;
	}
	return n;
}

void
sl_ofconn_mgr_run(struct sl_ofconn_mgr *m, int timeout_ms)
{
	struct pollfd pfd[N_POLL];
	int who[N_POLL];
	int n = poll_set(m, pfd, who, &timeout_ms);
	uint64_t now;

	if (poll(pfd, (nfds_t)n, timeout_ms) < 0)
		n = 0;
	for (int i = 0; i < n; i++) {
		struct sl_ofconn *c = who[i] >= 0 ? &m->conns[who[i]] : NULL;

		if (c && !c->connecting && !c->handshaking && c->rx_len < RX_MAX &&
		    sl_stream_buffered(&c->st))
			pfd[i].revents |= POLLIN; /* poll() cannot see them */
		if (!pfd[i].revents)
			continue;
		if (who[i] == WHO_WAKE) {
			uint64_t v;

			if (read(m->wake_fd, &v, sizeof(v)) < 0) {
				/* EAGAIN: someone else read it; nothing to do */
			}
		} else if (who[i] < 0) {
			accept_all(m, (unsigned int)(-1 - who[i]));
		} else if (c->closing) {
			continue; /* closed by a callback this pass: reaped below */
		} else if (c->connecting) {
			finish_connect(c);
		} else if (c->handshaking) {
			conn_handshake(c);
		} else {
			conn_io(c, pfd[i].revents);
		}
	}
	now = now_ms();
	for (int i = 0; i < SL_OFCONN_MAX; i++) {
		struct sl_ofconn *c = &m->conns[i];

		if (c->in_use && dispatch_ready(c))
			dispatch(c, false); /* held while paused, or more than one read's worth */
		if (c->in_use && !c->closing)
			keepalive(c, now);
		if (c->in_use && c->closing)
			conn_reap(c);
	}
}

void
sl_ofconn_mgr_destroy(struct sl_ofconn_mgr *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < SL_OFCONN_MAX; i++) {
		struct sl_ofconn *c = &m->conns[i];

		if (!c->in_use)
			continue;
		sl_ofconn_close(c, false, "switch shutting down");
		conn_reap(c);
	}
	for (unsigned int i = 0; i < m->n_targets; i++)
		sl_endpoint_unlisten(&m->targets[i].ep, m->targets[i].listen_fd);
	sl_tls_destroy(m->tls);
	free_tls_paths(&m->opt.tls);
	free(m);
}

void *sl_ofconn_get_priv(const struct sl_ofconn *c) { return c->priv; }
void sl_ofconn_set_priv(struct sl_ofconn *c, void *priv) { c->priv = priv; }
const char *sl_ofconn_name(const struct sl_ofconn *c) { return c->name; }
bool
sl_ofconn_is_service(const struct sl_ofconn *c)
{
	return c->target >= 0 && c->m->targets[c->target].ep.passive;
}
const struct sl_ofconn_stats *sl_ofconn_stats(const struct sl_ofconn *c) { return &c->stats; }
size_t sl_ofconn_tx_queued(const struct sl_ofconn *c) { return c->tx_len; }

void
sl_ofconn_mgr_foreach(struct sl_ofconn_mgr *m,
		      void (*fn)(struct sl_ofconn *c, void *arg), void *arg)
{
	for (int i = 0; i < SL_OFCONN_MAX; i++)
		if (m->conns[i].in_use && !m->conns[i].closing && !m->conns[i].connecting &&
		    !m->conns[i].handshaking)
			fn(&m->conns[i], arg);
}
