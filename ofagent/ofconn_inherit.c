/* SPDX-License-Identifier: BSD-3-Clause */
/* Listening sockets handed over by another process (sl_ofconn_inherit.h). */
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "sl_ofconn_inherit.h"

#define MAX_INHERITED 16

static int inherited[MAX_INHERITED];
static unsigned int n_inherited;

int
sl_ofconn_inherit_listener(int fd)
{
	if (n_inherited == MAX_INHERITED) {
		close(fd);
		return -1;
	}
	inherited[n_inherited++] = fd;
	return 0;
}

/* Does the bound address @b serve the target address @a? */
static int
same_address(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_UNIX)
		return strcmp(((const struct sockaddr_un *)a)->sun_path,
			      ((const struct sockaddr_un *)b)->sun_path) == 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (x->sin_port == 0 || x->sin_port == y->sin_port);
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0 &&
		       (x->sin6_port == 0 || x->sin6_port == y->sin6_port);
	}
	return 0;
}

int
sl_ofconn_inherited(const struct sockaddr_storage *addr, socklen_t addrlen)
{
	(void)addrlen;
	for (unsigned int i = 0; i < n_inherited; i++) {
		struct sockaddr_storage b;
		socklen_t bl = sizeof(b);
		int fd = inherited[i];

		if (getsockname(fd, (struct sockaddr *)&b, &bl) < 0 || !same_address(addr, &b))
			continue;
		inherited[i] = inherited[--n_inherited];
		return fd;
	}
	return -1;
}
