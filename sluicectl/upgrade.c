/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `sluicectl upgrade [PATH]`: start PATH (default: the running sluiced's own
 * binary) with --take-over beside the running sluiced, and wait until it
 * answers on the management socket (done) or exits (failed: the running
 * one rolled back and forwards on). Before it starts anything it checks
 * that the host has the hugepages for a second process, and refuses if
 * not (sluiced/upgrade/sl_upgrade.h, docs/upgrade.md).
 *
 * The new sluiced's output goes where sluicectl's goes; it runs in a
 * session of its own and outlives sluicectl.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sl_upgrade.h"
#include "sluicectl_upgrade.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t
start_new(const char *binary, const char *sock)
{
	pid_t pid = fork();

	if (pid == 0) {
		setsid(); /* not the terminal's: a Ctrl-C of ours must not stop it */
		execl(binary, binary, "--take-over", sock, (char *)NULL);
		fprintf(stderr, "sluicectl: upgrade: cannot run %s: %s\n", binary, strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Until the new process answers as the switch (0), exits (1) or the
 * deadline (2). */
static int
await_new(const char *sock, pid_t pid, long old_pid, double deadline)
{
	const struct timespec nap = { 0, 100 * 1000 * 1000 };
	struct sl_upgrade_info info;
	char err[512];
	int status;

	while (now_s() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "sluicectl: upgrade: the new sluiced (pid %ld) %s %d; the "
				"running one (pid %ld) keeps the switch (its output says why)\n",
				(long)pid, WIFEXITED(status) ? "exited with status" : "died of signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), old_pid);
			return 1;
		}
		if (sl_upgrade_query(sock, &info, err, sizeof(err)) == 0 && info.pid == pid)
			return 0;
		nanosleep(&nap, NULL);
	}
	return 2;
}

int
sluicectl_upgrade(const char *sock, int argc, char **argv, int timeout_s)
{
	struct sl_upgrade_info info;
	char err[768];
	const char *binary;
	double t0 = now_s();
	pid_t pid;
	int rc;

	if (argc > 2) {
		fprintf(stderr, "sluicectl: usage: upgrade [PATH]\n");
		return 2;
	}
	if (sl_upgrade_query(sock, &info, err, sizeof(err)) < 0) {
		fprintf(stderr, "sluicectl: upgrade: %s\n", err);
		return 2;
	}
	if (sl_upgrade_preflight(info.hugepage_bytes, err, sizeof(err)) < 0) {
		fprintf(stderr, "sluicectl: upgrade refused: %s\n", err);
		return 1;
	}
	binary = argc == 2 ? argv[1] : info.binary;
	if (access(binary, X_OK) != 0) {
		fprintf(stderr, "sluicectl: upgrade: %s: %s\n", binary, strerror(errno));
		return 1;
	}
	fflush(stdout);
	pid = start_new(binary, sock);
	if (pid < 0) {
		fprintf(stderr, "sluicectl: upgrade: fork: %s\n", strerror(errno));
		return 1;
	}
	rc = await_new(sock, pid, info.pid, t0 + (timeout_s < 120 ? 120 : timeout_s));
	if (rc == 2) {
		fprintf(stderr, "sluicectl: upgrade: pid %ld did not take over within the "
			"timeout; killed (the running one rolls back)\n", (long)pid);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	if (rc == 0)
		printf("upgraded: pid %ld -> pid %ld (%s) in %.0f ms\n", info.pid, (long)pid,
		       binary, (now_s() - t0) * 1000);
	return rc;
}
