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
 *
 * An interface moved into another network namespace (the tap of a VM or a
 * container, `ip link set IF netns NS`) has no name in ours: the namespace
 * comes from the port's own descriptor (TUNGETDEVNETNS), the held queue is
 * opened there (a tun file attaches to the name in the namespace it was
 * opened in), and the namespace goes to the new process, which opens its
 * net_tap inside it (up_netns_enter): the PMD's descriptors and its
 * netlink and ioctl sockets then all belong to that namespace.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
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

/* Among this process's descriptors, the one net_tap attached to @ifname
 * (its queues' and keep-alive descriptors are /dev/net/tun files whose
 * TUNGETIFF names the interface): -1 when none. The interface's flags into
 * @flags. */
static int
find_tun_fd(const char *ifname, unsigned int *flags)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int found = -1;

	while (d && found < 0 && (e = readdir(d)) != NULL) {
		char path[64], link[32];
		struct ifreq ifr;
		int fd = atoi(e->d_name);
		ssize_t n;

		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		memset(&ifr, 0, sizeof(ifr));
		if (strcmp(link, "/dev/net/tun") != 0 || ioctl(fd, TUNGETIFF, &ifr) < 0 ||
		    strncmp(ifr.ifr_name, ifname, IFNAMSIZ) != 0)
			continue;
		*flags = (unsigned short)ifr.ifr_flags;
		found = fd;
	}
	if (d)
		closedir(d);
	return found;
}

/* The interface's flags from sysfs: it is in our network namespace. */
static int
sysfs_flags(const char *ifname, unsigned int *flags, char *err, size_t errlen)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", ifname);
	f = fopen(path, "r");
	if (f == NULL || fscanf(f, "%x", flags) != 1) {
		snprintf(err, errlen, "%s: %s", path, f ? "unreadable" : strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

int
up_netns_enter(int netns, char *err, size_t errlen)
{
	int saved;

	if (netns < 0)
		return -2;
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0 || setns(netns, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "entering the interface's network namespace: %s",
			 strerror(errno));
		if (saved >= 0)
			close(saved);
		return -1;
	}
	return saved;
}

void
up_netns_leave(int saved)
{
	if (saved < 0)
		return;
	if (setns(saved, CLONE_NEWNET) < 0) /* our own namespace: cannot fail but for ENOMEM */
		fprintf(stderr, "sluiced: upgrade: back to our network namespace: %s\n",
			strerror(errno));
	close(saved);
}

/* A queue of our own on @ifname (same flags as the device's), detached at
 * once; the descriptor opened in namespace @netns (-1: ours): a tun file
 * attaches to the interface of that name in the namespace it was opened in. */
static int
hold_queue(const char *ifname, unsigned int flags, int netns, char *err, size_t errlen)
{
	struct ifreq ifr;
	int saved = up_netns_enter(netns, err, errlen), fd;

	if (saved == -1)
		return -1;
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	up_netns_leave(saved);
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

int
up_tap_keep(const char *ifname, int *netns, char *err, size_t errlen)
{
	unsigned int flags = 0;
	int tun = find_tun_fd(ifname, &flags), fd;

	*netns = -1;
	if (tun >= 0) {
		/* the interface may have been moved to another namespace (a
		 * VM's, a container's): the port's own descriptor says which */
		*netns = ioctl(tun, TUNGETDEVNETNS);
		if (*netns < 0) {
			snprintf(err, errlen, "%s: its network namespace: %s", ifname,
				 strerror(errno));
			return -1;
		}
	} else if (sysfs_flags(ifname, &flags, err, errlen) < 0) {
		return -1;
	}
	if (!(flags & IFF_MULTI_QUEUE)) {
		snprintf(err, errlen, "%s is not multi-queue: no second queue can hold it", ifname);
	} else {
		fd = hold_queue(ifname, flags, *netns, err, errlen);
		if (fd >= 0)
			return fd;
	}
	if (*netns >= 0)
		close(*netns);
	*netns = -1;
	return -1;
}
