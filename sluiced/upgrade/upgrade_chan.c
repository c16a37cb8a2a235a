/* SPDX-License-Identifier: BSD-3-Clause */
/* The hand-over channel's framing (upgrade_chan.h). */
#include <errno.h>
#include <stddef.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "upgrade_chan.h"

#define UP_MAGIC 0x534c5550u /* "SLUP" */

struct up_hdr {
	uint32_t magic, type, len, n_fds;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until @fd is ready for @events or the deadline: 0, or -1
 * (ETIMEDOUT, or poll's error). */
static int
wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - now_ms();
		struct pollfd p = { .fd = fd, .events = events };
		int rc;

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		rc = poll(&p, 1, (int)left);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

static int
send_all(int fd, const uint8_t *p, size_t len, int64_t deadline)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) < 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
recv_all(int fd, uint8_t *p, size_t len, int64_t deadline)
{
	while (len) {
		ssize_t n = recv(fd, p, len, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLIN, deadline) < 0)
				return -1;
			continue;
		}
		if (n == 0)
			errno = EPIPE;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
up_send(int fd, uint32_t type, const void *a, size_t alen, const void *b, size_t blen,
	const int *fds, unsigned int n_fds, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct up_hdr h = { .magic = UP_MAGIC, .type = type, .len = (uint32_t)(alen + blen),
			    .n_fds = n_fds };
	union {
		char buf[CMSG_SPACE(sizeof(int) * UP_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (n_fds > UP_MAX_FDS || alen + blen > UP_MAX_PAYLOAD) {
		errno = EINVAL;
		return -1;
	}
	if (n_fds) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
	}
	/* the header and its descriptors go in one sendmsg: a stream socket
	 * delivers them with the header's first byte */
	for (;;) {
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) < 0)
				return -1;
			continue;
		}
		if (n < 0)
			return -1;
		if (send_all(fd, (const uint8_t *)&h + n, sizeof(h) - (size_t)n, deadline) < 0)
			return -1;
		break;
	}
	if (alen && send_all(fd, a, alen, deadline) < 0)
		return -1;
	return blen ? send_all(fd, b, blen, deadline) : 0;
}

/* The header, with the descriptors that came beside it. */
static int
recv_hdr(int fd, struct up_hdr *h, struct up_msg *m, int64_t deadline)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * UP_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = h, .iov_len = sizeof(*h) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	ssize_t n;

	for (;;) {
		n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLIN, deadline) < 0)
				return -1;
			continue;
		}
		break;
	}
	if (n == 0)
		errno = EPIPE;
	if (n <= 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		unsigned int k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (unsigned int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (unsigned int i = 0; i < k; i++) {
			int f;

			memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (m->n_fds < UP_MAX_FDS)
				m->fds[m->n_fds++] = f;
			else
				close(f);
		}
	}
	return recv_all(fd, (uint8_t *)h + n, sizeof(*h) - (size_t)n, deadline);
}

int
up_recv(int fd, struct up_msg *m, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct up_hdr h;

	memset(m, 0, sizeof(*m));
	if (recv_hdr(fd, &h, m, deadline) < 0)
		goto fail;
	if (h.magic != UP_MAGIC || h.len > UP_MAX_PAYLOAD || h.n_fds != m->n_fds) {
		errno = EPROTO;
		goto fail;
	}
	m->type = h.type;
	m->len = h.len;
	if (h.len) {
		if ((m->payload = malloc(h.len)) == NULL)
			goto fail;
		if (recv_all(fd, m->payload, h.len, deadline) < 0)
			goto fail;
	}
	return 0;
fail:
	up_msg_free(m);
	return -1;
}

void
up_msg_free(struct up_msg *m)
{
	int e = errno;

	for (unsigned int i = 0; i < m->n_fds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	m->n_fds = 0;
	free(m->payload);
	m->payload = NULL;
	errno = e;
}

const char *
up_type_name(uint32_t type)
{
	static const char *const names[] = { "?", "HELLO", "READY", "PORT", "PORT_OK",
					     "PORT_FAIL", "FINAL", "DONE", "PORT_COUNTS" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

/* A change to the records' layout that forgets to move UP_PORT_VERSION
 * on stops the build here (x86-64 sizes; other ABIs are not checked). A
 * change of the same size (a field renamed, reordered) must move it on by
 * hand: the sizes are a net, not a proof (version 2 moved it on for a
 * message, UP_PORT_COUNTS, with the layout of version 1). */
#define SL_UP_PARAMS_SIZE_V3 712
#define SL_UP_PORT_SIZE_V3 1128
/* Versions 1 and 2: struct sl_tunnel_params ended before its proto (108
 * bytes, not 112), so sl_port_params was 708 bytes, its fields after the
 * tunnel settings 4 bytes earlier; struct up_port had the same size and
 * the same offsets after the params (which begin at 16: 16 + 708 and
 * 16 + 712 both align `counted` to 728). */
#define SL_UP_PARAMS_SIZE_V2 708
#define SL_UP_TNL_SIZE_V2 108
#if defined(__x86_64__)
_Static_assert(sizeof(struct sl_port_params) == SL_UP_PARAMS_SIZE_V3 &&
	       sizeof(struct up_port) == SL_UP_PORT_SIZE_V3,
	       "struct sl_port_params or struct up_port changed: move UP_PORT_VERSION on "
	       "(and these sizes with it)");
#endif

/* "version X, this release reads versions Y to Z", with what the numbers mean. */
static void
version_error(uint32_t v, char *err, size_t errlen)
{
	snprintf(err, errlen, "the old process sends port records of version %u%s, this release "
		 "reads versions %u to %u: hand-over refused, restart instead (SIGTERM, then "
		 "start: the state file keeps the tables)", v,
		 v == 0 ? " (a release before versioned records)" : "", UP_PORT_VERSION_MIN,
		 UP_PORT_VERSION);
}

static bool
version_read(uint32_t v)
{
	return v >= UP_PORT_VERSION_MIN && v <= UP_PORT_VERSION;
}

/* The port parameters' size a record of version @p v has. */
static size_t
params_size_of(uint32_t v)
{
	return v < 3 ? SL_UP_PARAMS_SIZE_V2 : sizeof(struct sl_port_params);
}

/* A version 1 or 2 record's params (in @p up, as received) in this
 * release's layout: the fields after the tunnel settings move up by the
 * protocol's 4 bytes; the protocol is VXLAN, the only one there was. */
static void
params_from_v2(struct sl_port_params *p)
{
	const size_t tnl_end = offsetof(struct sl_port_params, tnl) + SL_UP_TNL_SIZE_V2;
	uint8_t old[SL_UP_PARAMS_SIZE_V2];

	_Static_assert(offsetof(struct sl_tunnel_params, proto) == SL_UP_TNL_SIZE_V2,
		       "a version 2 record's tunnel settings end where proto begins");
	memcpy(old, p, sizeof(old));
	memset(p, 0, sizeof(*p));
	memcpy(p, old, tnl_end);
	p->tnl.proto = SL_TNL_PROTO_VXLAN;
	memcpy((uint8_t *)p + offsetof(struct sl_port_params, tnl) + sizeof(p->tnl),
	       old + tnl_end, sizeof(old) - tnl_end);
}

int
up_hello_check(const struct up_hello *h, unsigned int n_fds, char *err, size_t errlen)
{
	if (!version_read(h->port_version)) {
		version_error(h->port_version, err, errlen);
		return -1;
	}
	if (h->params_size != params_size_of(h->port_version)) {
		snprintf(err, errlen, "the old process is another build (port parameters of %u "
			 "bytes, %zu in version %u): hand-over refused, restart instead",
			 h->params_size, params_size_of(h->port_version), h->port_version);
		return -1;
	}
	if (h->has_mgmt > 1 || h->has_mgmt + h->n_listeners != n_fds) {
		snprintf(err, errlen, "the old process announced %u sockets and sent %u",
			 h->has_mgmt + h->n_listeners, n_fds);
		return -1;
	}
	return 0;
}

int
up_port_read(const uint8_t *payload, size_t len, unsigned int n_fds, struct up_port *up,
	     char *err, size_t errlen)
{
	uint32_t v, socks;

	if (len < sizeof(v)) {
		snprintf(err, errlen, "a PORT message of %zu bytes", len);
		return -1;
	}
	memcpy(&v, payload, sizeof(v));
	if (!version_read(v)) {
		version_error(v, err, errlen);
		return -1;
	}
	if (len != sizeof(*up)) {
		snprintf(err, errlen, "a PORT message of %zu bytes, %zu in version %u", len,
			 sizeof(*up), UP_PORT_VERSION);
		return -1;
	}
	memcpy(up, payload, sizeof(*up));
	if (up->params_size != params_size_of(v)) {
		snprintf(err, errlen, "port parameters of %u bytes, %zu in version %u",
			 up->params_size, params_size_of(v), v);
		return -1;
	}
	if (v < 3) {
		params_from_v2(&up->params);
		up->params_size = sizeof(up->params);
	}
	up->params.name[sizeof(up->params.name) - 1] = '\0';
	up->params.args[sizeof(up->params.args) - 1] = '\0';
	if (up->flags & ~(UP_PORT_F_NETNS | UP_PORT_F_SLOT)) {
		snprintf(err, errlen, "port %.64s: flags 0x%x, this release knows 0x%x",
			 up->params.name, up->flags, UP_PORT_F_NETNS | UP_PORT_F_SLOT);
		return -1;
	}
	socks = up->n_fds - ((up->flags & UP_PORT_F_NETNS) && up->n_fds ? 1 : 0);
	if (up->n_fds != n_fds || socks > SL_PORT_MAX_QUEUES ||
	    ((up->flags & UP_PORT_F_NETNS) && up->n_fds == 0) ||
	    (socks && up->afp.n_rxq != socks)) {
		snprintf(err, errlen, "port %.64s: %u descriptors came for %u", up->params.name,
			 n_fds, up->n_fds);
		return -1;
	}
	return 0;
}
