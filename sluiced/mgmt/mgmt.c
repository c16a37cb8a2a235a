/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The management socket's server (sl_mgmt.h).
 *
 * Why it looks like this: it runs on the control lcore, between OpenFlow
 * messages and miss-handler passes, so nothing here may wait. Every socket
 * is non-blocking and sl_mgmt_run() does one round of what is ready: accept
 * what is queued, read what arrived, answer complete requests (the command
 * runs to completion: commands only read tables the control lcore owns, or
 * snapshot counters), and write what the client will take. A client has
 * SL_MGMT_TIMEOUT_MS to send its line and as long to read the answer; one
 * that sends more than SL_MGMT_MAX_REQUEST bytes, or a line the parser
 * refuses, gets "ERROR ..." and is closed. So a garbage, slow or half-closed
 * client costs one of SL_MGMT_MAX_CLIENTS slots for at most the timeout.
 *
 * Who may ask: the socket file is created with mode 0600 (umask around
 * bind(), then chmod()), so only its owner (root, or the daemon's user)
 * can connect; SO_PEERCRED checks the peer's uid as well, in case the file
 * was made reachable by hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sl_mgmt.h"

enum client_state { C_FREE = 0, C_READ, C_WRITE, C_DRAIN };

struct client {
	enum client_state state;
	int fd;
	uint64_t deadline_ms;
	size_t len;        /* C_READ: bytes in buf; C_WRITE: bytes of out */
	size_t off;        /* C_WRITE: bytes written */
	char *buf;         /* SL_MGMT_MAX_REQUEST bytes */
	char *out;         /* C_WRITE: the rendered answer */
};

struct sl_mgmt {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct sl_mgmt_cmd *cmds;
	unsigned int n_cmds;
	void *ctx;
	uint64_t answered, dropped;
	struct client clients[SL_MGMT_MAX_CLIENTS];
};

static void
client_close(struct client *c)
{
	close(c->fd);
	free(c->buf);
	free(c->out);
	*c = (struct client){ .state = C_FREE, .fd = -1 };
}

/* mkdir -p of @path's directory (mode 0755). */
static int
make_dir_of(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
				snprintf(err, errlen, "cannot create directory %s: %s", dir,
					 strerror(errno));
				return -1;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	return 0;
}

/* A socket file already at the path: in use (a live sluiced answers a
 * connect) is an error; stale (nobody listens) is removed. */
static int
clear_stale(const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (lstat(sa->sun_path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", sa->sun_path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
		close(fd);
		snprintf(err, errlen, "%s is in use: is another sluiced running?", sa->sun_path);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	unlink(sa->sun_path);
	return 0;
}

struct sl_mgmt *
sl_mgmt_open(const char *path, const struct sl_mgmt_cmd *cmds, unsigned int n_cmds, void *ctx,
	     char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct sl_mgmt *m;
	mode_t old;
	int rc;

	if (strlen(path) == 0 || strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "management socket path \"%s\": 1 to %zu characters", path,
			 sizeof(sa.sun_path) - 1);
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (make_dir_of(path, err, errlen) < 0 || clear_stale(&sa, err, errlen) < 0)
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (unsigned int i = 0; i < SL_MGMT_MAX_CLIENTS; i++)
		m->clients[i].fd = -1;
	m->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	old = umask(0177);
	rc = m->fd < 0 ? -1 : bind(m->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || chmod(path, 0600) < 0 || listen(m->fd, 16) < 0) {
		snprintf(err, errlen, "management socket %s: %s", path, strerror(errno));
		if (m->fd >= 0)
			close(m->fd);
		if (rc == 0)
			unlink(path);
		free(m);
		return NULL;
	}
	memcpy(m->path, path, strlen(path) + 1);
	m->cmds = cmds;
	m->n_cmds = n_cmds;
	m->ctx = ctx;
	return m;
}

struct sl_mgmt *
sl_mgmt_adopt(int fd, const char *path, const struct sl_mgmt_cmd *cmds, unsigned int n_cmds,
	      void *ctx, char *err, size_t errlen)
{
	struct sl_mgmt *m;

	if (strlen(path) >= sizeof(m->path) || (m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(err, errlen, "management socket %s: %s", path,
			 strlen(path) >= sizeof(m->path) ? "path too long" : "out of memory");
		close(fd);
		return NULL;
	}
	for (unsigned int i = 0; i < SL_MGMT_MAX_CLIENTS; i++)
		m->clients[i].fd = -1;
	/* the flags belong to the open socket: make sure of them here */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		snprintf(err, errlen, "management socket %s: %s", path, strerror(errno));
		close(fd);
		free(m);
		return NULL;
	}
	m->fd = fd;
	memcpy(m->path, path, strlen(path) + 1);
	m->cmds = cmds;
	m->n_cmds = n_cmds;
	m->ctx = ctx;
	return m;
}

void
sl_mgmt_disown(struct sl_mgmt *m)
{
	if (m)
		m->path[0] = '\0';
}

void
sl_mgmt_close(struct sl_mgmt *m)
{
	if (m == NULL)
		return;
	for (unsigned int i = 0; i < SL_MGMT_MAX_CLIENTS; i++)
		if (m->clients[i].state != C_FREE)
			client_close(&m->clients[i]);
	close(m->fd);
	if (m->path[0])
		unlink(m->path);
	free(m);
}

uint64_t
sl_mgmt_stats(const struct sl_mgmt *m, uint64_t *dropped)
{
	*dropped = m->dropped;
	return m->answered;
}

/* Only root and the daemon's own user. */
static bool
peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	return cr.uid == 0 || cr.uid == geteuid();
}

static void
accept_new(struct sl_mgmt *m, uint64_t now_ms)
{
	for (unsigned int i = 0; i < SL_MGMT_MAX_CLIENTS; i++) {
		struct client *c = &m->clients[i];
		int fd;

		if (c->state != C_FREE)
			continue;
		fd = accept4(m->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return; /* nothing queued (EAGAIN), or the peer left */
		if (!peer_allowed(fd)) {
			static const char no[] = "ERROR permission denied\n";

			(void)!send(fd, no, sizeof(no) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			m->dropped++;
			continue;
		}
		*c = (struct client){ .state = C_READ, .fd = fd,
				      .deadline_ms = now_ms + SL_MGMT_TIMEOUT_MS };
		if ((c->buf = malloc(SL_MGMT_MAX_REQUEST)) == NULL) {
			client_close(c);
			m->dropped++;
		}
	}
}

/* Answer a complete request, or refuse a bad one; switch to writing. */
static void
answer(struct sl_mgmt *m, struct client *c, size_t line_len, uint64_t now_ms)
{
	char *argv[SL_MGMT_MAX_ARGS], err[128];
	bool json = false;
	int argc = line_len ? sl_mgmt_parse_request(c->buf, line_len, argv, SL_MGMT_MAX_ARGS,
						    &json, err, sizeof(err))
			    : -1;
	struct sl_out *out = sl_out_new(json ? SL_OUT_JSON : SL_OUT_TEXT);

	if (line_len == 0)
		snprintf(err, sizeof(err), "request longer than %u bytes", SL_MGMT_MAX_REQUEST);
	if (out == NULL) {
		client_close(c);
		m->dropped++;
		return;
	}
	if (argc < 0)
		sl_out_error(out, "%s", err);
	else
		sl_mgmt_dispatch(m->cmds, m->n_cmds, m->ctx, argc, argv, out);
	c->out = sl_out_render(out, &c->len);
	sl_out_free(out);
	if (c->out == NULL) {
		client_close(c);
		m->dropped++;
		return;
	}
	free(c->buf);
	c->buf = NULL;
	c->off = 0;
	c->state = C_WRITE;
	c->deadline_ms = now_ms + SL_MGMT_TIMEOUT_MS;
	if (argc < 0)
		m->dropped++;
	else
		m->answered++;
}

static void
serve_read(struct sl_mgmt *m, struct client *c, uint64_t now_ms)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->buf + c->len, SL_MGMT_MAX_REQUEST - c->len, 0);
		char *nl;

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			client_close(c); /* gone (or half-closed) before a whole line */
			m->dropped++;
			return;
		}
		if (n < 0)
			return;
		nl = memchr(c->buf + c->len, '\n', (size_t)n);
		c->len += (size_t)n;
		if (nl != NULL) {
			answer(m, c, (size_t)(nl - c->buf) + 1, now_ms);
			return;
		}
		if (c->len == SL_MGMT_MAX_REQUEST) {
			answer(m, c, 0, now_ms);
			return;
		}
	}
}

static void
serve_write(struct sl_mgmt *m, struct client *c)
{
	while (c->off < c->len) {
		ssize_t n = send(c->fd, c->out + c->off, c->len - c->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			client_close(c);
			m->dropped++;
			return;
		}
		c->off += (size_t)n;
	}
	/* Answered: one request per connection. Closing with unread input (an
	 * oversized line's rest) would reset the connection and could destroy
	 * the answer before the client reads it, so end our side and read
	 * until the client closes (or the deadline). */
	shutdown(c->fd, SHUT_WR);
	c->state = C_DRAIN;
}

static void
serve_drain(struct sl_mgmt *m, struct client *c)
{
	char sink[4096];
	ssize_t n;

	(void)m;
	while ((n = recv(c->fd, sink, sizeof(sink), 0)) > 0)
		;
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		client_close(c);
}

void
sl_mgmt_run(struct sl_mgmt *m, uint64_t now_ms)
{
	accept_new(m, now_ms);
	for (unsigned int i = 0; i < SL_MGMT_MAX_CLIENTS; i++) {
		struct client *c = &m->clients[i];

		if (c->state != C_FREE && now_ms > c->deadline_ms) {
			m->dropped += c->state != C_DRAIN; /* a drained one was answered */
			client_close(c);
			continue;
		}
		if (c->state == C_READ)
			serve_read(m, c, now_ms);
		if (c->state == C_WRITE)
			serve_write(m, c);
		if (c->state == C_DRAIN)
			serve_drain(m, c);
	}
}
