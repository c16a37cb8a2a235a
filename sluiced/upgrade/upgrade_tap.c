/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A net_tap port's kernel interface kept alive across a hand-over (the
 * LOCAL port is one): its addresses, routes and neighbours are the host's
 * and must not go with the old process.
 *
 * DPDK 22.11's net_tap opens /dev/net/tun itself and has no devarg to
 * adopt a descriptor; its `persist` devarg would keep the interface after
 * every stop, not only a hand-over's. But its interfaces are multi-queue
 * (IFF_MULTI_QUEUE), and a tun device lives as long as one descriptor is
 * attached to it, even a detached queue; and a net_tap opened on the name
 * of an existing interface attaches its queues to it (checked by
 * experiment with Debian's 22.11: addresses and routes stay, ifindex too).
 * So the old process attaches a queue of its own (same flags as the
 * device's: a different IFF_NO_PI or IFF_VNET_HDR would change the device
 * for every queue), detaches it at once (TUNSETQUEUE IFF_DETACH_QUEUE: no
 * frame is steered to it), closes its port, and keeps that descriptor
 * until the hand-over is over (the new process has opened the port on the
 * same name, and no rollback can need it) or, on a rollback, until it has
 * opened the port again itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "upgrade_tap.h"

int
up_tap_ifname(const struct sl_port_params *pp, char *ifname, size_t len)
{
	const char *a = pp->args, *v;
	size_t n;

	if (pp->type != SL_PORT_ETHDEV || strncmp(a, "net_tap", 7) != 0)
		return -1;
	for (v = strchr(a, ','); v != NULL; v = strchr(v + 1, ','))
		if (strncmp(v + 1, "iface=", 6) == 0)
			break;
	if (v == NULL)
		return -1; /* a name net_tap picks itself (dtapN): not known here */
	v += 7;
	n = strcspn(v, ",");
	if (n == 0 || n >= len || n >= IFNAMSIZ)
		return -1;
	memcpy(ifname, v, n);
	ifname[n] = '\0';
	return 0;
}

int
up_tap_keep(const char *ifname, char *err, size_t errlen)
{
	char path[96];
	unsigned int flags = 0;
	struct ifreq ifr;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", ifname);
	f = fopen(path, "r");
	if (f == NULL || fscanf(f, "%x", &flags) != 1) {
		snprintf(err, errlen, "%s: %s", path, f ? "unreadable" : strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	if (!(flags & IFF_MULTI_QUEUE)) {
		snprintf(err, errlen, "%s is not multi-queue: no second queue can hold it", ifname);
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_flags = (short)(flags & ~(unsigned int)IFF_PERSIST);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "%s: attaching a queue: %s", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_DETACH_QUEUE;
	if (ioctl(fd, TUNSETQUEUE, &ifr) < 0) {
		snprintf(err, errlen, "%s: detaching the queue: %s", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
