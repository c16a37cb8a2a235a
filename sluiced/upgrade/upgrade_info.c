/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the running process tells a successor (`upgrade-info`), and the
 * successor's EAL arguments made from it (sl_upgrade.h).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_memory.h>

#include "sl_mgmt_out.h"
#include "sl_upgrade.h"

static struct {
	char config[512];
	int argc;
	char *argv[SL_UPGRADE_MAX_EAL_ARGS];
	char buf[4096];
} me;

void
sl_upgrade_note_process(const char *config, int argc, char *const *argv)
{
	size_t off = 0;

	snprintf(me.config, sizeof(me.config), "%s", config ? config : "");
	if (config && config[0] != '/') { /* the successor may start elsewhere */
		char cwd[PATH_MAX];

		if (getcwd(cwd, sizeof(cwd)) != NULL)
			snprintf(me.config, sizeof(me.config), "%.250s/%.250s", cwd, config);
	}
	me.argc = 0;
	for (int i = 0; i < argc && me.argc < SL_UPGRADE_MAX_EAL_ARGS; i++) {
		size_t l = strlen(argv[i]) + 1;

		if (off + l > sizeof(me.buf))
			break;
		memcpy(me.buf + off, argv[i], l);
		me.argv[me.argc++] = me.buf + off;
		off += l;
	}
}

static int
add_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	(void)msl;
	*(uint64_t *)arg += ms->len;
	return 0;
}

int
sl_mgmt_cmd_upgrade_info(void *ctx, int argc, char **argv, struct sl_out *out)
{
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	uint64_t huge = 0;

	(void)ctx;
	(void)argc;
	(void)argv;
	exe[n > 0 ? n : 0] = '\0';
	/* replaced on disk since we started (a package upgrade): the path is
	 * what a successor runs */
	if (n > 10 && strcmp(exe + n - 10, " (deleted)") == 0)
		exe[n - 10] = '\0';
	if (rte_eal_has_hugepages())
		rte_memseg_walk(add_seg, &huge);
	sl_out_line(out, "pid %ld", (long)getpid());
	sl_out_line(out, "config %s", me.config);
	sl_out_line(out, "binary %s", exe);
	sl_out_line(out, "hugepage_bytes %llu", (unsigned long long)huge);
	for (int i = 0; i < me.argc; i++)
		sl_out_line(out, "eal_arg %s", me.argv[i]);
	return 0;
}

int
sl_upgrade_eal_argv(struct sl_upgrade_info *info, char **argv, char *buf, size_t len)
{
	const char *prefix = "rte";
	int n = 0;

	for (int i = 0; i < info->eal_argc; i++) {
		const char *a = info->eal_argv[i];

		if (strcmp(a, "--file-prefix") == 0 && i + 1 < info->eal_argc) {
			prefix = info->eal_argv[++i];
			continue;
		}
		if (strncmp(a, "--file-prefix=", 14) == 0) {
			prefix = a + 14;
			continue;
		}
		argv[n++] = info->eal_argv[i];
	}
	if (n + 2 >= SL_UPGRADE_MAX_EAL_ARGS)
		return -1;
	/* a hand-over of a hand-over: the original prefix, not a chain of them */
	snprintf(buf, len, "--file-prefix=%.*s.up%ld",
		 (int)(strstr(prefix, ".up") ? strstr(prefix, ".up") - prefix : (long)strlen(prefix)),
		 prefix, (long)getpid());
	argv[n++] = buf;
	argv[n] = NULL;
	return n;
}
