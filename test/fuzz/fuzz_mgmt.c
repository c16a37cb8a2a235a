/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the management socket (sluiced/mgmt: the server,
 * the request parser, the answers). The first input byte picks the mode:
 *
 *  - even: one request line (any bytes, sometimes without its newline) is
 *    parsed, dispatched to a small command table and rendered as text and
 *    as JSON. Checked: the words are non-empty, hold no space or control
 *    character and no "--json"; an answer is "OK\n..." or "ERROR ...\n";
 *    the JSON answer is well-formed JSON (a validator below), whatever bytes
 *    the arguments carried (quotes, backslashes, UTF-8 or not).
 *
 *  - odd: a script of clients against a live server on a Unix socket, the
 *    way sluiced's control lcore runs it: connect, send bytes (garbage,
 *    requests, oversized lines), half-close, read a little or nothing,
 *    close, let time pass, with sl_mgmt_run() after every step. Checked:
 *    sl_mgmt_run() never waits (a libFuzzer timeout would catch it), every
 *    answer a client reads starts "OK\n" or "ERROR ", and once every client
 *    has gone and the timeout has passed, the server holds no connection
 *    (the process's sockets are back to the count before the script).
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sl_mgmt.h"

static void __attribute__((noreturn))
fail(const char *what)
{
	fprintf(stderr, "fuzz_mgmt: invariant violated: %s\n", what);
	abort();
}

/* ------------------------------------------------------------ JSON ---- */

static const char *json_value(const char *p, const char *end, int depth);

static const char *
ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

static const char *
json_string(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL; /* control characters must be escaped */
		if (c == '\\') {
			if (++p >= end)
				return NULL;
			if (*p == 'u') {
				for (int i = 0; i < 4; i++)
					if (++p >= end || !strchr("0123456789abcdefABCDEF", *p))
						return NULL;
			} else if (!strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
	}
	return NULL;
}

static const char *
json_number(const char *p, const char *end)
{
	const char *s = p;
	if (p < end && *p == '-')
		p++;
	while (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
			   *p == '+' || *p == '-'))
		p++;
	return p > s ? p : NULL;
}

static const char *
json_seq(const char *p, const char *end, int depth, char close, bool object)
{
	p = ws(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (object) {
			if ((p = json_string(p, end)) == NULL)
				return NULL;
			p = ws(p, end);
			if (p >= end || *p != ':')
				return NULL;
			p = ws(p + 1, end);
		}
		if ((p = json_value(p, end, depth + 1)) == NULL)
			return NULL;
		p = ws(p, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		return p < end && *p == close ? p + 1 : NULL;
	}
}

static const char *
json_value(const char *p, const char *end, int depth)
{
	if (depth > 64 || p >= end)
		return NULL;
	switch (*p) {
	case '{': return json_seq(p, end, depth, '}', true);
	case '[': return json_seq(p, end, depth, ']', false);
	case '"': return json_string(p, end);
	case 't': return end - p >= 4 && !memcmp(p, "true", 4) ? p + 4 : NULL;
	case 'f': return end - p >= 5 && !memcmp(p, "false", 5) ? p + 5 : NULL;
	case 'n': return end - p >= 4 && !memcmp(p, "null", 4) ? p + 4 : NULL;
	default: return json_number(p, end);
	}
}

static void
check_json(const char *body, size_t len)
{
	const char *end = body + len, *p = json_value(ws(body, end), end, 0);
	if (p == NULL || ws(p, end) != end) {
		fprintf(stderr, "%.*s\n", (int)(len > 2000 ? 2000 : len), body);
		fail("the JSON answer is not well-formed JSON");
	}
}

/* -------------------------------------------------------- commands ---- */

/* echo: every argument as a record (string and number fields), a line each. */
static int
cmd_echo(void *ctx, int argc, char **argv, struct sl_out *out)
{
	(void)ctx;
	sl_out_list(out, "args");
	for (int i = 1; i < argc; i++) {
		sl_out_record(out);
		sl_out_str(out, "arg", "%s", argv[i]);
		sl_out_u64(out, "len", strlen(argv[i]));
		sl_out_i64(out, "neg", -(int64_t)i);
		sl_out_fixed(out, "ratio", (double)i / 3.0, 2);
	}
	for (int i = 1; i < argc; i++)
		sl_out_line(out, "%s", argv[i]);
	return 0;
}

/* fail: an error that quotes the argument. */
static int
cmd_fail(void *ctx, int argc, char **argv, struct sl_out *out)
{
	(void)ctx;
	(void)argc;
	return sl_out_error(out, "refused \"%s\"", argv[1]);
}

/* big: a long answer (about 300 KB), so that a client that does not read
 * fills its socket buffer and the server must write in pieces. */
static int
cmd_big(void *ctx, int argc, char **argv, struct sl_out *out)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	sl_out_list(out, "rows");
	for (unsigned int i = 0; i < 4000; i++) {
		sl_out_record(out);
		sl_out_u64(out, "row", i);
		sl_out_str(out, "text", "%s", "the quick brown fox jumps over the lazy dog");
	}
	return 0;
}

static const struct sl_mgmt_cmd cmds[] = {
	{ "echo", "[WORD...]", "repeat the words", 0, -1, cmd_echo },
	{ "fail", "WORD", "answer an error", 1, 1, cmd_fail },
	{ "big", "", "a long answer", 0, 0, cmd_big },
};
#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

/* ----------------------------------------------------- request mode ---- */

static void
check_answer_start(const char *a, size_t len)
{
	if (len >= 3 && memcmp(a, "OK\n", 3) == 0)
		return;
	if (len >= 6 && memcmp(a, "ERROR ", 6) == 0)
		return;
	if (len < 6 && (memcmp(a, "OK\n", len < 3 ? len : 3) == 0 || memcmp(a, "ERROR ", len) == 0))
		return; /* a prefix of either: the rest was not read */
	fail("an answer starts with neither \"OK\\n\" nor \"ERROR \"");
}

static void
request_mode(const uint8_t *d, size_t n)
{
	char *line = malloc(n + 1), *argv[SL_MGMT_MAX_ARGS], err[256];
	bool json = false;

	memcpy(line, d, n);
	int argc = sl_mgmt_parse_request(line, n, argv, SL_MGMT_MAX_ARGS, &json, err, sizeof(err));
	if (argc < 0) {
		if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)
			fail("a refused request has no message");
		free(line);
		return;
	}
	if (argc == 0)
		fail("a parsed request has no words");
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '\0')
			fail("an empty word");
		if (strcmp(argv[i], "--json") == 0)
			fail("--json was left among the words");
		for (const char *c = argv[i]; *c; c++)
			if ((unsigned char)*c <= ' ' || *c == 0x7f)
				fail("a word holds a space or a control character");
	}
	for (int mode = 0; mode < 2; mode++) {
		struct sl_out *out = sl_out_new(mode ? SL_OUT_JSON : SL_OUT_TEXT);
		size_t len = 0;
		sl_mgmt_dispatch(cmds, N_CMDS, NULL, argc, argv, out);
		char *a = sl_out_render(out, &len);
		if (a == NULL)
			fail("render returned NULL");
		check_answer_start(a, len);
		if (memchr(a, '\0', len) != NULL)
			fail("a NUL inside an answer");
		if (mode == 1 && len >= 3 && memcmp(a, "OK\n", 3) == 0)
			check_json(a + 3, len - 3);
		free(a);
		sl_out_free(out);
	}
	free(line);
}

/* ------------------------------------------------------ server mode ---- */

#define MAX_CLIENTS 24

struct fclient {
	int fd;
	size_t got;
	char head[8]; /* the answer's first bytes */
};

static struct sl_mgmt *srv;
static char srv_path[108];
static uint64_t now_ms;
static int base_fds;

/* Sockets this process holds: the server's, and connections. Only sockets:
 * libFuzzer and the sanitizers open pipes of their own (the symbolizer
 * started to print a NEW_FUNC line kept two open, which a count of every
 * descriptor took for a leak in a CI run). */
static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], target[64];
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		ssize_t k;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		k = readlink(path, target, sizeof(target) - 1);
		n += k > 7 && memcmp(target, "socket:", 7) == 0;
	}
	closedir(d);
	return n;
}

static void
list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], target[256];

	while (d != NULL && (e = readdir(d)) != NULL) {
		ssize_t n;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		if ((n = readlink(path, target, sizeof(target) - 1)) > 0) {
			target[n] = '\0';
			fprintf(stderr, "  fd %s -> %s\n", e->d_name, target);
		}
	}
	if (d != NULL)
		closedir(d);
}

static void
server_close(void)
{
	sl_mgmt_close(srv); /* removes the socket file */
}

static void
server_open(void)
{
	char err[256];
	if (srv != NULL)
		return;
	snprintf(srv_path, sizeof(srv_path), "/tmp/fuzz-mgmt-%d.sock", (int)getpid());
	srv = sl_mgmt_open(srv_path, cmds, N_CMDS, NULL, err, sizeof(err));
	if (srv == NULL) {
		fprintf(stderr, "fuzz_mgmt: %s\n", err);
		abort();
	}
	base_fds = count_fds();
	atexit(server_close);
}

static int
client_connect(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", srv_path);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS &&
	    errno != EAGAIN) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
client_read(struct fclient *c, size_t max)
{
	char buf[4096];
	while (max > 0) {
		ssize_t r = recv(c->fd, buf, max < sizeof(buf) ? max : sizeof(buf), MSG_DONTWAIT);
		if (r <= 0)
			return;
		for (ssize_t i = 0; i < r && c->got < sizeof(c->head); i++)
			c->head[c->got++] = buf[i];
		check_answer_start(c->head, c->got);
		max -= (size_t)r;
	}
}

static void
server_mode(const uint8_t *d, size_t n)
{
	struct fclient cl[MAX_CLIENTS];
	unsigned int ncl = 0;
	size_t i = 0;

	server_open();
	while (i < n) {
		uint8_t op = d[i++], k = (uint8_t)(i < n ? d[i++] : 0);
		struct fclient *c = ncl ? &cl[k % ncl] : NULL;
		size_t len = i < n ? d[i++] : 0;
		switch (op % 8) {
		case 0: /* connect */
			if (ncl < MAX_CLIENTS && (cl[ncl].fd = client_connect()) >= 0) {
				cl[ncl].got = 0;
				ncl++;
			}
			break;
		case 1: /* send raw bytes from the input */
			len = len * 16 < n - i ? len * 16 : n - i;
			if (c != NULL)
				(void)!send(c->fd, d + i, len, MSG_DONTWAIT | MSG_NOSIGNAL);
			i += len;
			break;
		case 2: /* half-close */
			if (c != NULL)
				shutdown(c->fd, SHUT_WR);
			break;
		case 3: /* read a little */
			if (c != NULL)
				client_read(c, len * 64 + 1);
			break;
		case 4: /* close */
			if (c != NULL) {
				close(c->fd);
				*c = cl[--ncl];
			}
			break;
		case 5: /* time passes */
			now_ms += (uint64_t)len * 40;
			break;
		case 6: { /* a well-formed request */
			static const char *const reqs[] = { "echo a b \"c\\\\\" d\n", "big\n",
				"fail x --json\n", "help --json\n", "echo --json \xc3\xa9 \xff\n",
				"nosuch\n" };
			const char *q = reqs[len % (sizeof(reqs) / sizeof(reqs[0]))];
			if (c != NULL)
				(void)!send(c->fd, q, strlen(q), MSG_DONTWAIT | MSG_NOSIGNAL);
			break;
		}
		default: /* an oversized line */
			if (c != NULL) {
				static char junk[SL_MGMT_MAX_REQUEST + 64];
				memset(junk, 'x', sizeof(junk));
				(void)!send(c->fd, junk, sizeof(junk), MSG_DONTWAIT | MSG_NOSIGNAL);
			}
			break;
		}
		now_ms++;
		sl_mgmt_run(srv, now_ms);
	}
	/* Everyone reads what is there, then leaves; after the timeout the
	 * server must hold nothing. */
	for (unsigned int j = 0; j < ncl; j++) {
		client_read(&cl[j], SIZE_MAX);
		close(cl[j].fd);
	}
	/* Rounds: one frees the slots of clients that left, the next accepts
	 * what waited in the listen backlog (MAX_CLIENTS > SL_MGMT_MAX_CLIENTS),
	 * then their answers, drains and timeouts; 8 is more than enough. */
	for (int r = 0; r < 8; r++) {
		now_ms += SL_MGMT_TIMEOUT_MS + 1;
		sl_mgmt_run(srv, now_ms);
	}
	if (count_fds() != base_fds) {
		fprintf(stderr, "fuzz_mgmt: %d sockets open, %d before:\n", count_fds(), base_fds);
		list_fds();
		fail("a connection outlived its clients and the timeout");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n == 0)
		return 0;
	if (d[0] & 1)
		server_mode(d + 1, n - 1);
	else
		request_mode(d + 1, n - 1);
	return 0;
}
