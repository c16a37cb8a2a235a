/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What both sides of a hand-over ask before anything starts (sl_upgrade.h):
 * `upgrade-info` from the running sluiced, and whether this host has the
 * hugepages for a second process. No DPDK here: sluicectl links it too, so
 * that `sluicectl upgrade` refuses before it starts anything.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sl_upgrade.h"

/* One request on the management socket; the answer's body (to free), or
 * NULL with @err set. */
static char *
ask(const char *sock, const char *req, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = 0, cap = 65536;
	char *buf = NULL;
	int fd = -1;

	if (strlen(sock) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s: path too long", sock);
		return NULL;
	}
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
		snprintf(err, errlen, "no sluiced answers at %s: %s", sock, strerror(errno));
		goto fail;
	}
	if ((buf = malloc(cap)) == NULL)
		goto fail;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 10000) <= 0 || n + 1 >= cap) {
			snprintf(err, errlen, "%s: no whole answer within 10 s", sock);
			goto fail;
		}
		r = recv(fd, buf + n, cap - n - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(fd);
	if (strncmp(buf, "OK\n", 3) != 0) {
		snprintf(err, errlen, "%s: %.200s", sock, strncmp(buf, "ERROR ", 6) ? buf : buf + 6);
		free(buf);
		return NULL;
	}
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* One "KEY VALUE" line of upgrade-info's answer into @info. */
static int
parse_line(struct sl_upgrade_info *info, char *line, size_t *eal_off)
{
	char *val = strchr(line, ' ');

	if (val == NULL)
		return 0;
	*val++ = '\0';
	if (strcmp(line, "pid") == 0)
		info->pid = strtol(val, NULL, 10);
	else if (strcmp(line, "config") == 0)
		snprintf(info->config, sizeof(info->config), "%s", val);
	else if (strcmp(line, "binary") == 0)
		snprintf(info->binary, sizeof(info->binary), "%s", val);
	else if (strcmp(line, "hugepage_bytes") == 0)
		info->hugepage_bytes = strtoull(val, NULL, 10);
	else if (strcmp(line, "eal_arg") == 0) {
		size_t l = strlen(val) + 1;

		if (info->eal_argc >= SL_UPGRADE_MAX_EAL_ARGS - 2 ||
		    *eal_off + l > sizeof(info->eal_buf))
			return -1;
		memcpy(info->eal_buf + *eal_off, val, l);
		info->eal_argv[info->eal_argc++] = info->eal_buf + *eal_off;
		*eal_off += l;
	}
	return 0;
}

int
sl_upgrade_query(const char *sock, struct sl_upgrade_info *info, char *err, size_t errlen)
{
	char *body = ask(sock, "upgrade-info\n", err, errlen), *save = NULL;
	size_t eal_off = 0;
	int rc = 0;

	if (body == NULL)
		return -1;
	memset(info, 0, sizeof(*info));
	for (char *l = strtok_r(body + 3, "\n", &save); l && rc == 0; l = strtok_r(NULL, "\n", &save))
		rc = parse_line(info, l, &eal_off);
	free(body);
	if (rc < 0 || info->pid <= 0 || info->eal_argc == 0) {
		snprintf(err, errlen, "%s: %s", sock, rc < 0 ? "too many EAL arguments"
							      : "not an upgrade-info answer");
		return -1;
	}
	return 0;
}

int
sl_upgrade_preflight(uint64_t need, char *err, size_t errlen)
{
	unsigned long long free_pages = 0, page_kb = 0;
	/* SLUICE_SYSFS_ROOT: a fake /proc, as for --check-host (tests) */
	const char *root = getenv("SLUICE_SYSFS_ROOT");
	char line[128], path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/meminfo", root ? root : "");
	f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "HugePages_Free: %llu", &free_pages);
		sscanf(line, "Hugepagesize: %llu kB", &page_kb);
	}
	if (f)
		fclose(f);
	if (free_pages * page_kb * 1024 >= need)
		return 0;
	snprintf(err, errlen,
		 "not enough free hugepages for a second sluiced: the running one holds %llu "
		 "MiB, %llu MiB are free (both hold theirs during the hand-over): reserve more "
		 "(SLUICE_HUGEPAGES=N bash scripts/setup.sh) or restart instead (SIGTERM, then "
		 "start: the state file keeps the tables)",
		 (unsigned long long)(need >> 20), free_pages * page_kb / 1024);
	return -1;
}
