/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `sluiced --check-host` (sl_check_host.h). Hugepage and NUMA set-up are
 * what operators of DPDK switches get wrong most, and DPDK's own message
 * for it ("Cannot allocate memory") says nothing; so before the first start
 * this reads sysfs and procfs only (no EAL: it must work where EAL would
 * fail) and says, per finding, what to change.
 *
 * The hugepage need is an estimate from measurements (sl_check_host.h):
 * each NUMA node with a worker gets a mempool of mbufs_per_socket mbufs;
 * the fixed cost (EAL, rings, caches) goes to the first such node. VMs on
 * vhost-user ports bring their own hugepage-backed memory, which is not
 * counted here and is said so.
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_check_host.h"

#define MAX_NODES 8

struct host {
	const char *root;
	FILE *out;
	int fails;
};

static void
finding(struct host *h, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
finding(struct host *h, const char *level, const char *fmt, ...)
{
	va_list ap;

	if (strcmp(level, "FAIL") == 0)
		h->fails++;
	fprintf(h->out, "%-4s  ", level);
	va_start(ap, fmt);
	vfprintf(h->out, fmt, ap);
	va_end(ap);
	fputc('\n', h->out);
}

/* The first line of root/path, newline stripped; false if unreadable. */
static bool
read_line(const struct host *h, const char *path, char *buf, size_t size)
{
	char full[PATH_MAX];
	FILE *f;
	bool ok;

	snprintf(full, sizeof(full), "%s%s", h->root, path);
	if ((f = fopen(full, "r")) == NULL)
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static long long
read_num(const struct host *h, const char *path)
{
	char buf[64];

	return read_line(h, path, buf, sizeof(buf)) ? strtoll(buf, NULL, 10) : -1;
}

/* Is @cpu in a list like "0-3,8,10-11"? */
static bool
in_cpu_list(const char *list, unsigned int cpu)
{
	const char *p = list;

	while (*p) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (end == p)
			return false;
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		if (cpu >= a && cpu <= b)
			return true;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return false;
}

/* NUMA node of @cpu (the nodeN entry in its sysfs folder), 0 if none. */
static int
cpu_node(const struct host *h, unsigned int cpu)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int node = 0;

	snprintf(dir, sizeof(dir), "%s/sys/devices/system/cpu/cpu%u", h->root, cpu);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "node", 4) == 0 && isdigit((unsigned char)e->d_name[4]))
			node = atoi(e->d_name + 4);
	closedir(d);
	return node < MAX_NODES ? node : 0;
}

static void
check_lcores(struct host *h, const struct sl_config *cfg)
{
	char online[256] = "", isolated[256] = "";
	unsigned int not_isolated = 0;

	read_line(h, "/sys/devices/system/cpu/online", online, sizeof(online));
	read_line(h, "/sys/devices/system/cpu/isolated", isolated, sizeof(isolated));
	for (unsigned int i = 0; i < cfg->n_workers; i++) {
		unsigned int c = cfg->worker_lcores[i];

		if (online[0] && !in_cpu_list(online, c))
			finding(h, "FAIL", "worker lcore %u: no such online CPU (online: %s): "
				"change [switch] workers", c, online);
		else if (!in_cpu_list(isolated, c))
			not_isolated++;
	}
	if (not_isolated)
		finding(h, "warn", "%u of %u worker CPUs are not isolated (isolated: \"%s\"): "
			"the kernel may schedule other tasks on them; add isolcpus= (and "
			"nohz_full=, rcu_nocbs=) with the worker CPUs to the kernel command line",
			not_isolated, cfg->n_workers, isolated);
	else
		finding(h, "ok", "worker CPUs isolated from the scheduler");
}

static bool
hugetlbfs_mounted(const struct host *h)
{
	char full[PATH_MAX], line[512];
	bool found = false;
	FILE *f;

	snprintf(full, sizeof(full), "%s/proc/mounts", h->root);
	if ((f = fopen(full, "r")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " hugetlbfs ") != NULL;
	fclose(f);
	return found;
}

/* Free hugepage bytes on @node (2 MiB and 1 GiB pages). */
static unsigned long long
free_huge(const struct host *h, int node, unsigned long long *total)
{
	static const struct { const char *dir; unsigned long long size; } sz[] = {
		{ "hugepages-2048kB", 2ull << 20 }, { "hugepages-1048576kB", 1ull << 30 },
	};
	unsigned long long free_b = 0;

	*total = 0;
	for (unsigned int i = 0; i < 2; i++) {
		char p[PATH_MAX];
		long long n;

		snprintf(p, sizeof(p), "/sys/devices/system/node/node%d/hugepages/%s/free_hugepages",
			 node, sz[i].dir);
		if ((n = read_num(h, p)) > 0)
			free_b += (unsigned long long)n * sz[i].size;
		snprintf(p, sizeof(p), "/sys/devices/system/node/node%d/hugepages/%s/nr_hugepages",
			 node, sz[i].dir);
		if ((n = read_num(h, p)) > 0)
			*total += (unsigned long long)n * sz[i].size;
	}
	return free_b;
}

static void
check_hugepages(struct host *h, const struct sl_config *cfg)
{
	unsigned long long need[MAX_NODES] = { 0 };
	unsigned int workers[MAX_NODES] = { 0 };
	int first = -1;
	char online[256] = "";

	if (!hugetlbfs_mounted(h))
		finding(h, "FAIL", "no hugetlbfs mounted: mount -t hugetlbfs nodev /dev/hugepages "
			"(or run scripts/setup.sh)");
	read_line(h, "/sys/devices/system/cpu/online", online, sizeof(online));
	for (unsigned int i = 0; i < cfg->n_workers; i++) {
		int n = cpu_node(h, cfg->worker_lcores[i]);

		if (online[0] && !in_cpu_list(online, cfg->worker_lcores[i]))
			continue; /* reported by check_lcores */
		if (workers[n]++ == 0)
			need[n] += cfg->mbufs_per_socket * SL_CHECK_MBUF_BYTES;
		if (first < 0)
			first = n;
		else
			need[n] += SL_CHECK_WORKER_MB << 20;
	}
	if (first >= 0)
		need[first] += SL_CHECK_FIXED_MB << 20;
	for (int n = 0; n < MAX_NODES; n++) {
		unsigned long long total, have;

		if (need[n] == 0)
			continue;
		have = free_huge(h, n, &total);
		if (have < need[n])
			finding(h, "FAIL", "NUMA node %d: about %llu MiB of hugepages needed (%u "
				"worker(s), %u mbufs), %llu MiB free of %llu MiB reserved: reserve "
				"more, e.g. echo %llu > /sys/devices/system/node/node%d/hugepages/"
				"hugepages-2048kB/nr_hugepages", n, need[n] >> 20, workers[n],
				cfg->mbufs_per_socket, have >> 20, total >> 20,
				(total + need[n] - have + (2ull << 20) - 1) >> 21, n);
		else
			finding(h, "ok", "NUMA node %d: about %llu MiB of hugepages needed, %llu MiB "
				"free", n, need[n] >> 20, have >> 20);
	}
	for (unsigned int i = 0; i < cfg->n_ports; i++)
		if (cfg->ports[i].type == SL_PORT_VHOST) {
			finding(h, "note", "vhost-user ports: each VM's memory must be hugepage-"
				"backed and shared (QEMU memory-backend-file share=on on hugetlbfs); "
				"it is not counted above");
			break;
		}
}

static bool
iommu_groups(const struct host *h)
{
	char p[PATH_MAX];
	struct dirent *e;
	bool groups = false;
	DIR *d;

	snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups", h->root);
	if ((d = opendir(p)) == NULL)
		return false;
	while (!groups && (e = readdir(d)) != NULL)
		groups = isdigit((unsigned char)e->d_name[0]);
	closedir(d);
	return groups;
}

static void
check_pci(struct host *h, const struct sl_config *cfg)
{
	bool any = false;

	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		const struct sl_port_params *p = &cfg->ports[i];
		char addr[32], path[PATH_MAX], drv[PATH_MAX] = "";
		long long node;
		bool served = false;
		ssize_t n;

		if (!sl_config_port_pci_address(p, addr, sizeof(addr)))
			continue;
		any = true;
		snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s", h->root, addr);
		if (access(path, F_OK) != 0) {
			finding(h, "FAIL", "port %s: no PCI device %s on this host", p->name, addr);
			continue;
		}
		snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver", h->root, addr);
		if ((n = readlink(path, drv, sizeof(drv) - 1)) > 0)
			drv[n] = '\0';
		if (strstr(drv, "vfio-pci") == NULL && strstr(drv, "igb_uio") == NULL &&
		    strstr(drv, "uio_pci_generic") == NULL && strstr(drv, "mlx") == NULL)
			finding(h, "FAIL", "port %s: %s is driven by \"%s\": bind it to vfio-pci "
				"(dpdk-devbind.py -b vfio-pci %s)", p->name, addr,
				drv[0] ? strrchr(drv, '/') + 1 : "no driver", addr);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/numa_node", addr);
		node = read_num(h, path);
		if (node < 0)
			node = 0;
		for (unsigned int w = 0; w < cfg->n_workers; w++)
			served |= cpu_node(h, cfg->worker_lcores[w]) == node;
		if (!served)
			finding(h, "warn", "port %s: %s is on NUMA node %lld, no worker is: its "
				"packets cross the interconnect; add a worker CPU of node %lld",
				p->name, addr, node, node);
	}
	if (!any)
		return;
	if (iommu_groups(h))
		finding(h, "ok", "IOMMU groups present (vfio-pci can isolate devices)");
	else
		finding(h, "warn", "no IOMMU groups: vfio-pci needs intel_iommu=on iommu=pt (or "
			"amd_iommu=on) on the kernel command line, or vfio's "
			"enable_unsafe_noiommu_mode");
}

int
sl_check_host(const struct sl_config *cfg, const char *root, FILE *out)
{
	struct host h = { .root = root ? root : "", .out = out };

	check_lcores(&h, cfg);
	check_hugepages(&h, cfg);
	check_pci(&h, cfg);
	fprintf(out, "%s: %d problem(s) that stop a start\n", h.fails ? "FAIL" : "ok", h.fails);
	return h.fails;
}
