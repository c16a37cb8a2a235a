/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluicectl: ask a running sluiced through its management socket
 * (sluiced/mgmt/sl_mgmt.h has the protocol). The answers are formatted by
 * sluiced itself, as text tables or, with --json, as JSON, so this client
 * only joins its arguments into a request line and prints the answer: a
 * new command on the server needs no new client.
 *
 * Exit status: 0 answered, 1 the switch refused the request (its message on
 * stderr), 2 no answer (no socket, permission denied, timeout).
 *
 * One command is more than a request: `trace --live PORT N` arms a trace
 * and then asks `trace --live-status` every 50 ms until N packets were
 * traced or the timeout (-t) is up, and prints `trace --live-read`; the
 * switch never waits inside a request (sluiced/mgmt/cmd_trace.c says why).
 * Fewer than N packets within the timeout: what came is printed, exit 1.
 * `capture PORT ... FILE` is the same: arm, ask `capture --status ID` every
 * 100 ms until the count is written, the timeout (-t, the capture's length)
 * or Ctrl-C, then `capture --stop ID`. FILE is made absolute, since sluiced
 * writes it; "-" captures into a temporary file that is copied to stdout
 * at the end (the counts then go to stderr).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sl_mgmt.h"
#include "sluicectl_upgrade.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: sluicectl [-s SOCKET] [--json] [-t SECONDS] COMMAND [ARG...]\n"
		"Ask a running sluiced. `sluicectl help` lists the commands.\n"
		"  -s, --socket PATH   the management socket ([switch] mgmt_socket;\n"
		"                      default %s, or $SLUICE_MGMT_SOCKET)\n"
		"  -j, --json          answer in JSON\n"
		"  -t, --timeout SECS  give up after SECS seconds (default 10)\n"
		"  -h, --help          this help\n",
		SL_MGMT_DEFAULT_SOCKET);
}

/* The request line: the words joined by spaces, "--json" added. */
static char *
request(int argc, char **argv, int json, size_t *len)
{
	size_t n = 0, cap = SL_MGMT_MAX_REQUEST;
	char *buf = malloc(cap);

	if (buf == NULL)
		return NULL;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);

		for (size_t k = 0; k < l; k++) {
			unsigned char c = (unsigned char)argv[i][k];

			if (c <= ' ' || c == 0x7f) {
				fprintf(stderr, "sluicectl: argument \"%s\": no spaces or control "
					"characters inside an argument\n", argv[i]);
				free(buf);
				return NULL;
			}
		}
		if (l == 0)
			continue;
		if (n + l + 16 > cap) {
			fprintf(stderr, "sluicectl: request longer than %u bytes\n",
				SL_MGMT_MAX_REQUEST);
			free(buf);
			return NULL;
		}
		if (n)
			buf[n++] = ' ';
		memcpy(buf + n, argv[i], l);
		n += l;
	}
	if (json) {
		memcpy(buf + n, " --json", 7);
		n += 7;
	}
	buf[n++] = '\n';
	*len = n;
	return buf;
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "sluicectl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno == ENOENT || errno == ECONNREFUSED)
		fprintf(stderr, "sluicectl: no sluiced answers at %s (is it running? its config's "
			"[switch] mgmt_socket says where; -s PATH)\n", path);
	else if (errno == EACCES || errno == EPERM)
		fprintf(stderr, "sluicectl: %s: permission denied (the socket is for root and "
			"sluiced's user)\n", path);
	else
		fprintf(stderr, "sluicectl: %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Send the request, read the whole answer (the server closes after it). */
static char *
exchange(int fd, const char *req, size_t len, int timeout_ms, size_t *out_len)
{
	size_t n = 0, cap = 65536;
	char *buf = malloc(cap);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (buf == NULL || send(fd, req, len, MSG_NOSIGNAL) != (ssize_t)len) {
		fprintf(stderr, "sluicectl: cannot send the request: %s\n", strerror(errno));
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t r;
		int pr = poll(&p, 1, timeout_ms);

		if (pr <= 0) {
			fprintf(stderr, "sluicectl: no answer within %d s\n", timeout_ms / 1000);
			free(buf);
			return NULL;
		}
		if (n + 4096 > cap) {
			char *nb = realloc(buf, cap * 2);

			if (nb == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		r = recv(fd, buf + n, cap - n - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "sluicectl: %s\n", strerror(errno));
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out_len = n;
	return buf;
}

/* One request and its answer: 0 OK (the body in *body, to free), 1
 * refused (said on stderr), 2 no answer. */
static int
ask(const char *path, int argc, char **argv, int json, int timeout_s, char **body,
    size_t *body_len)
{
	size_t len, alen;
	char *req, *ans, *b;
	int fd;

	if ((req = request(argc, argv, json, &len)) == NULL)
		return 2;
	if ((fd = connect_to(path)) < 0) {
		free(req);
		return 2;
	}
	ans = exchange(fd, req, len, timeout_s * 1000, &alen);
	close(fd);
	free(req);
	if (ans == NULL)
		return 2;
	b = strchr(ans, '\n');
	b = b ? b + 1 : ans + alen;
	if (strncmp(ans, "OK\n", 3) == 0) {
		*body_len = alen - (size_t)(b - ans);
		memmove(ans, b, *body_len + 1);
		*body = ans;
		return 0;
	}
	if (strncmp(ans, "ERROR ", 6) == 0)
		fprintf(stderr, "sluicectl: %.*s\n", (int)(b - ans - 7), ans + 6);
	else
		fprintf(stderr, "sluicectl: unexpected answer: %.80s\n", ans);
	free(ans);
	return 1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* `trace --live PORT N`: arm, wait for N records or the timeout, print. */
static int
live_trace(const char *path, int argc, char **argv, int json, int timeout_s)
{
	char *status_words[] = { "trace", "--live-status" }, *read_words[] = { "trace",
									   "--live-read" };
	const struct timespec nap = { 0, 50 * 1000 * 1000 };
	double deadline = now_s() + timeout_s;
	unsigned int got = 0, wanted = 1;
	char *body = NULL;
	size_t blen;
	int rc;

	if ((rc = ask(path, argc, argv, 0, timeout_s, &body, &blen)) != 0)
		return rc;
	free(body);
	while (got < wanted && now_s() < deadline) {
		nanosleep(&nap, NULL);
		if ((rc = ask(path, 2, status_words, 0, timeout_s, &body, &blen)) != 0)
			return rc;
		if (sscanf(body, "live-trace %u %u", &got, &wanted) != 2) {
			fprintf(stderr, "sluicectl: unexpected answer: %.80s\n", body);
			free(body);
			return 2;
		}
		free(body);
	}
	if ((rc = ask(path, 2, read_words, json, timeout_s, &body, &blen)) != 0)
		return rc;
	fwrite(body, 1, blen, stdout);
	free(body);
	if (got < wanted) {
		fprintf(stderr, "sluicectl: live trace: %u of %u packets within %d s\n", got,
			wanted, timeout_s);
		return 1;
	}
	return 0;
}

static volatile sig_atomic_t capture_interrupted;

static void
capture_sigint(int sig)
{
	(void)sig;
	capture_interrupted = 1;
}

/* Copy the file at @path to stdout. */
static int
cat_file(const char *path)
{
	char buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "sluicectl: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			break;
	fclose(f);
	return fflush(stdout) == 0 ? 0 : -1;
}

/* Arm the capture with FILE made absolute (sluiced writes it; "-": a
 * temporary file copied to stdout at the end); its session id or -1. */
static int
capture_arm(const char *path, int argc, char **argv, int timeout_s, char *file, size_t size)
{
	const char *name = argv[argc - 1];
	char *body = NULL, cwd[PATH_MAX];
	size_t blen;
	int id = -1, rc;

	if (strcmp(name, "-") == 0) {
		int fd;

		snprintf(file, size, "/tmp/sluicectl-capture.XXXXXX");
		if ((fd = mkstemp(file)) < 0) {
			fprintf(stderr, "sluicectl: mkstemp: %s\n", strerror(errno));
			return -1;
		}
		close(fd);
	} else if (name[0] == '/') {
		snprintf(file, size, "%s", name);
	} else if (getcwd(cwd, sizeof(cwd)) == NULL ||
		   (size_t)snprintf(file, size, "%s/%s", cwd, name) >= size) {
		fprintf(stderr, "sluicectl: %s: path too long\n", name);
		return -1;
	}
	argv[argc - 1] = file;
	rc = ask(path, argc, argv, 0, timeout_s, &body, &blen);
	argv[argc - 1] = (char *)name;
	if (rc == 0 && sscanf(body, "capture %d:", &id) != 1)
		fprintf(stderr, "sluicectl: unexpected answer: %.80s\n", body);
	free(body);
	return id;
}

/* `capture PORT [...] FILE`: arm, wait until the count is written, the
 * timeout (-t) or Ctrl-C, stop and print the counts. */
static int
capture(const char *path, int argc, char **argv, int json, int timeout_s)
{
	const struct timespec nap = { 0, 100 * 1000 * 1000 };
	double deadline = now_s() + timeout_s;
	bool to_stdout = strcmp(argv[argc - 1], "-") == 0;
	char file[PATH_MAX], ids[16], state[32] = "", *body = NULL;
	char *status_words[] = { "capture", "--status", ids };
	char *stop_words[] = { "capture", "--stop", ids };
	unsigned long long written = 0, wanted = 0;
	int id, rc;
	size_t blen;

	if (argc < 3) {
		fprintf(stderr, "sluicectl: usage: capture PORT [--count N] [--rx|--tx|--both] "
			"[--snaplen S] FILE|-\n");
		return 2;
	}
	if ((id = capture_arm(path, argc, argv, timeout_s, file, sizeof(file))) < 0) {
		if (to_stdout)
			unlink(file);
		return 1;
	}
	snprintf(ids, sizeof(ids), "%d", id);
	signal(SIGINT, capture_sigint);
	signal(SIGTERM, capture_sigint);
	while (strcmp(state, "done") != 0 && now_s() < deadline && !capture_interrupted) {
		nanosleep(&nap, NULL);
		if ((rc = ask(path, 3, status_words, 0, timeout_s, &body, &blen)) != 0)
			return rc;
		if (sscanf(body, "capture %*d %31s %llu %llu", state, &written, &wanted) != 3) {
			fprintf(stderr, "sluicectl: unexpected answer: %.80s\n", body);
			free(body);
			return 2;
		}
		free(body);
	}
	if ((rc = ask(path, 3, stop_words, json, timeout_s, &body, &blen)) != 0)
		return rc;
	fwrite(body, 1, blen, to_stdout ? stderr : stdout);
	free(body);
	if (to_stdout) {
		rc = cat_file(file);
		unlink(file);
		if (rc < 0)
			return 2;
	}
	if (wanted && written < wanted) {
		fprintf(stderr, "sluicectl: capture: %llu of %llu packets\n", written, wanted);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = getenv("SLUICE_MGMT_SOCKET");
	int json = 0, timeout_s = 10, c, rc;
	size_t blen;
	char *body;

	/* '+': stop at the command, whose own options (drops --all) follow */
	while ((c = getopt_long(argc, argv, "+s:jt:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 'j': json = 1; break;
		case 't': timeout_s = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc || timeout_s <= 0) {
		usage(stderr);
		return 2;
	}
	if (path == NULL || path[0] == '\0')
		path = SL_MGMT_DEFAULT_SOCKET;
	if (argc - optind >= 2 && strcmp(argv[optind], "trace") == 0 &&
	    strcmp(argv[optind + 1], "--live") == 0)
		return live_trace(path, argc - optind, argv + optind, json, timeout_s);
	if (strcmp(argv[optind], "upgrade") == 0)
		return sluicectl_upgrade(path, argc - optind, argv + optind, timeout_s);
	if (argc - optind >= 2 && strcmp(argv[optind], "capture") == 0 &&
	    strcmp(argv[optind + 1], "--status") != 0 && strcmp(argv[optind + 1], "--stop") != 0)
		return capture(path, argc - optind, argv + optind, json, timeout_s);
	if ((rc = ask(path, argc - optind, argv + optind, json, timeout_s, &body, &blen)) != 0)
		return rc;
	fwrite(body, 1, blen, stdout);
	free(body);
	return 0;
}
