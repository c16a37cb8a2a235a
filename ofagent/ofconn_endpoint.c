/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where sl_ofconn targets connect and listen (see ofconn_transport.h):
 * the target syntax, listening sockets (TCP and Unix) and peer names.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ofconn_transport.h"
#include "sl_ofconn_inherit.h"

static const struct {
	const char *prefix;
	bool passive, tls, un;
} kinds[] = {
	{ "tcp:", false, false, false }, { "ssl:", false, true, false },
	{ "unix:", false, false, true }, { "ptcp:", true, false, false },
	{ "pssl:", true, true, false }, { "punix:", true, false, true },
};

/* "HOST:PORT" -> address. HOST may be a name, an IPv4 or a [IPv6]. */
static int
resolve(const char *host, const char *port, struct sockaddr_storage *ss,
	socklen_t *len, bool passive)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	char h[128];

	snprintf(h, sizeof(h), "%s", host);
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {
		memmove(h, h + 1, strlen(h));
		h[strlen(h) - 1] = '\0';
	}
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	if (getaddrinfo(h, port, &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* "PATH" (unix:, punix:) -> a Unix socket address. */
static int
unix_addr(struct sl_endpoint *ep, const char *spec, const char *path, char *err,
	  size_t errlen)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&ep->addr;

	if (*path == '\0' || strlen(path) >= sizeof(un->sun_path)) {
		snprintf(err, errlen, "%s: expected a socket path of 1 to %zu bytes", spec,
			 sizeof(un->sun_path) - 1);
		return -1;
	}
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path, path, strlen(path) + 1);
	ep->addrlen = sizeof(*un);
	return 0;
}

/* HOST:PORT (tcp:, ssl:) or PORT[:IP] (ptcp:, pssl:) -> address; @rest is
 * the spec after its prefix (modified). */
static int
ip_addr(struct sl_endpoint *ep, const char *spec, char *rest, char *err, size_t errlen)
{
	char *host = rest, *port;

	if (ep->passive) {
		port = rest;
		host = strchr(port, ':');
		if (host)
			*host++ = '\0';
		else
			host = "127.0.0.1";
	} else {
		port = strrchr(host, ':');
		if (port == NULL || port == host) {
			snprintf(err, errlen, "%s: expected %.*sHOST:PORT", spec,
				 (int)strcspn(spec, ":") + 1, spec);
			return -1;
		}
		*port++ = '\0';
	}
	if (*port == '\0' || strspn(port, "0123456789") != strlen(port) || atoi(port) > 65535) {
		snprintf(err, errlen, "%s: bad TCP port \"%s\"", spec, port);
		return -1;
	}
	if (resolve(host, port, &ep->addr, &ep->addrlen, ep->passive) < 0) {
		snprintf(err, errlen, "%s: cannot resolve \"%s\"", spec, host);
		return -1;
	}
	return 0;
}

int
sl_endpoint_parse(struct sl_endpoint *ep, const char *spec, char *err, size_t errlen)
{
	size_t k = 0, nk = sizeof(kinds) / sizeof(kinds[0]);
	char buf[128], *rest;

	while (k < nk && strncmp(spec, kinds[k].prefix, strlen(kinds[k].prefix)) != 0)
		k++;
	if (k == nk) {
		snprintf(err, errlen, "%s: expected \"tcp:HOST:PORT\", \"ssl:HOST:PORT\", "
			 "\"unix:PATH\", \"ptcp:PORT[:IP]\", \"pssl:PORT[:IP]\" or \"punix:PATH\"",
			 spec);
		return -1;
	}
	memset(ep, 0, sizeof(*ep));
	ep->passive = kinds[k].passive;
	ep->tls = kinds[k].tls;
	snprintf(buf, sizeof(buf), "%s", spec);
	rest = buf + strlen(kinds[k].prefix);
	return kinds[k].un ? unix_addr(ep, spec, rest, err, errlen)
			   : ip_addr(ep, spec, rest, err, errlen);
}

static const char *
unix_path(const struct sl_endpoint *ep)
{
	return ((const struct sockaddr_un *)&ep->addr)->sun_path;
}

/* A punix path may hold the socket of an earlier run that did not remove
 * it (killed): remove that one. Not a file that is no socket (a typo must
 * not delete data), nor the socket of a live process (connect succeeds).
 * -1: errno says why; -2: @err says why. */
static int
unix_clear_stale(const struct sl_endpoint *ep, const char *spec, char *err, size_t errlen)
{
	struct stat st;
	int fd, live;

	if (lstat(unix_path(ep), &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s: %s exists and is not a socket", spec, unix_path(ep));
		return -2;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	live = fd >= 0 && (connect(fd, (const struct sockaddr *)&ep->addr, ep->addrlen) == 0 ||
			   errno == EAGAIN); /* a full backlog: alive, and busy */
	if (fd >= 0)
		close(fd);
	if (live) {
		snprintf(err, errlen, "%s: another process listens on %s", spec, unix_path(ep));
		return -2;
	}
	return unlink(unix_path(ep));
}

/* Binding a Unix socket makes its file with the umask's mode; it is made
 * 0600 before listen(), so no other user can connect even for an instant
 * (connecting to a bound socket that does not listen is refused), and no
 * process-wide umask changes under the other threads. */
int
sl_endpoint_listen(const struct sl_endpoint *ep, const char *spec, uint16_t *port,
		   char *err, size_t errlen)
{
	bool un = ep->addr.ss_family == AF_UNIX;
	/* handed over by the sluiced before this one (a hand-over upgrade) */
	int one = 1, fd = sl_ofconn_inherited(&ep->addr, ep->addrlen), rc = 0;
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);

	*port = 0;
	if (fd >= 0) {
		rc = getsockname(fd, (struct sockaddr *)&bound, &blen);
	} else {
		rc = un ? unix_clear_stale(ep, spec, err, errlen) : 0;
		if (rc == -2)
			return -1;
		if (rc < 0 || (fd = socket(ep->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0 ||
		    (!un && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
		    bind(fd, (const struct sockaddr *)&ep->addr, ep->addrlen) < 0 ||
		    (un && chmod(unix_path(ep), 0600) < 0) || listen(fd, 16) < 0 ||
		    getsockname(fd, (struct sockaddr *)&bound, &blen) < 0)
			rc = -1;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot listen: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!un)
		*port = ntohs(bound.ss_family == AF_INET6 ?
			      ((struct sockaddr_in6 *)&bound)->sin6_port :
			      ((struct sockaddr_in *)&bound)->sin_port);
	return fd;
}

void
sl_endpoint_unlisten(const struct sl_endpoint *ep, int fd)
{
	if (fd < 0)
		return;
	close(fd);
	if (ep->addr.ss_family == AF_UNIX)
		unlink(unix_path(ep));
}

void
sl_endpoint_peer_name(const char *spec, int fd, const struct sockaddr_storage *ss,
		      socklen_t sl, char *name, size_t n)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_UNIX) {
		struct ucred cr;
		socklen_t cl = sizeof(cr);

		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) == 0)
			snprintf(name, n, "%s<-pid %ld", spec, (long)cr.pid);
		else
			snprintf(name, n, "%s<-?", spec);
		return;
	}
	getnameinfo((const struct sockaddr *)ss, sl, host, sizeof(host), NULL, 0, NI_NUMERICHOST);
	snprintf(name, n, "%s<-%s:%u", spec, host,
		 ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port
						 : ((const struct sockaddr_in *)ss)->sin_port));
}
