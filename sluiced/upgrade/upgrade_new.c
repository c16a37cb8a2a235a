/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The side of the process taking over (sl_upgrade.h, steps 2 to 4), run
 * by main() around its start-up: the control loop starts only once every
 * port is here. Any failure returns -1 and main() exits: the old process
 * sees the channel close (or its deadline) and rolls back.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "agent_ops.h"
#include "sl_datapath.h"
#include "sl_ofconn_inherit.h"
#include "sl_port_handover.h"
#include "sl_state.h"
#include "sl_upgrade.h"
#include "upgrade_chan.h"
#include "upgrade_tap.h"

#define HELLO_MS 30000 /* the old process's state built and sent */
#define NEXT_MS 60000  /* the next port, or the final state */
#define SEND_MS 10000

static struct {
	int chan;         /* the channel to the old process */
	int req;          /* the upgrade-handover request, answered at the end */
	int mgmt_fd;      /* the management socket's listener, until main takes it */
	uint8_t *s1;      /* the state received first */
	size_t s1_len;
} tk = { .chan = -1, .req = -1, .mgmt_fd = -1 };

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* An abstract socket named after us; the old process connects to it when
 * it gets our request. */
static int
listen_abstract(char *name, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int n = snprintf(name, len, "@sluice-upgrade-%ld-%llu", (long)getpid(),
			 (unsigned long long)mono_ns());

	memcpy(sa.sun_path + 1, name + 1, (size_t)n - 1);
	if (fd < 0 ||
	    bind(fd, (struct sockaddr *)&sa, (socklen_t)(sizeof(sa.sun_family) + (size_t)n)) < 0 ||
	    listen(fd, 1) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Send "upgrade-handover @NAME" on the management socket; the answer comes
 * only at the end (the old process is busy with us until then), so the
 * connection is left to close with us. */
static int
request_handover(const char *sock, const char *name, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[128];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int n = snprintf(req, sizeof(req), "upgrade-handover %s\n", name);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		snprintf(err, errlen, "%s: %s", sock, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* HELLO: the state, the management listener, the OpenFlow listeners. */
static int
take_hello(struct up_msg *m, char *err, size_t errlen)
{
	struct up_hello hello;
	unsigned int i = 0;

	if (m->type != UP_HELLO || m->len < sizeof(hello)) {
		snprintf(err, errlen, "the old process sent %s, not HELLO", up_type_name(m->type));
		return -1;
	}
	memcpy(&hello, m->payload, sizeof(hello));
	if (up_hello_check(&hello, m->n_fds, err, errlen) < 0)
		return -1;
	if (hello.has_mgmt) {
		tk.mgmt_fd = m->fds[i];
		m->fds[i++] = -1;
	}
	for (; i < m->n_fds; i++) {
		sl_ofconn_inherit_listener(m->fds[i]);
		m->fds[i] = -1;
	}
	tk.s1_len = m->len - sizeof(hello);
	tk.s1 = malloc(tk.s1_len ? tk.s1_len : 1);
	if (tk.s1 == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(tk.s1, m->payload + sizeof(hello), tk.s1_len);
	return 0;
}

/* Wait for the old process to connect to @lfd; an answer on the request's
 * connection @req first is its refusal. */
static int
await_old(int lfd, int req, char *err, size_t errlen)
{
	struct pollfd p[2] = { { .fd = lfd, .events = POLLIN }, { .fd = req, .events = POLLIN } };
	int rc = poll(p, 2, HELLO_MS);

	if (rc > 0 && (p[0].revents & POLLIN))
		return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (rc > 0) {
		char ans[512];
		ssize_t n = recv(req, ans, sizeof(ans) - 1, 0);

		ans[n > 0 ? n : 0] = '\0';
		ans[strcspn(ans, "\n")] = '\0';
		snprintf(err, errlen, "%s", strncmp(ans, "ERROR ", 6) == 0 ? ans + 6
					      : "the old process closed the request");
	} else {
		snprintf(err, errlen, "the old process did not connect within %d s", HELLO_MS / 1000);
	}
	return -1;
}

int
sl_upgrade_takeover_begin(const char *sock, char *err, size_t errlen)
{
	char name[96];
	int lfd = listen_abstract(name, sizeof(name)), rc;
	struct up_msg m;

	if (lfd < 0) {
		snprintf(err, errlen, "cannot listen for the old process: %s", strerror(errno));
		return -1;
	}
	tk.req = request_handover(sock, name, err, errlen);
	if (tk.req >= 0)
		tk.chan = await_old(lfd, tk.req, err, errlen);
	close(lfd);
	if (tk.chan < 0)
		return -1;
	if (up_recv(tk.chan, &m, HELLO_MS) < 0) {
		snprintf(err, errlen, "no state from the old process: %s", strerror(errno));
		return -1;
	}
	rc = take_hello(&m, err, errlen);
	up_msg_free(&m);
	if (rc < 0) /* the old process says why in its rollback line, too */
		(void)up_send(tk.chan, UP_PORT_FAIL, err, strlen(err) + 1, NULL, 0, NULL, 0,
			      SEND_MS);
	return rc;
}

int
sl_upgrade_mgmt_fd(void)
{
	int fd = tk.mgmt_fd;

	tk.mgmt_fd = -1;
	return fd;
}

int
sl_upgrade_takeover_apply(struct sl_datapath *dp, struct sl_agent *a)
{
	struct sl_state_summary sum;
	char err[512];
	uint64_t t0 = mono_ns();

	if (sl_state_apply(dp, a, tk.s1, tk.s1_len, &sum, err, sizeof(err)) < 0) {
		fprintf(stderr, "sluiced: upgrade: the old process's state: %s\n", err);
		return -1;
	}
	printf("sluiced: upgrade: state of the old process applied: %u rules, %u groups, %u "
	       "meters, %u underlay neighbours in %llu ms\n", sum.rules, sum.groups, sum.meters,
	       sum.neighbours,
	       (unsigned long long)((mono_ns() - t0) / 1000000));
	return 0;
}

/* SLUICE_UPGRADE_KILL_AT=PORT: die (SIGKILL, as a crash) once PORT is here:
 * the rollback test's new process dies mid-hand-over, at a known point. */
static void
kill_point(const char *port)
{
	const char *at = getenv("SLUICE_UPGRADE_KILL_AT");

	if (at == NULL || strcmp(at, port) != 0)
		return;
	fprintf(stderr, "sluiced: upgrade: SLUICE_UPGRADE_KILL_AT=%s: killing myself\n", at);
	fflush(NULL);
	raise(SIGKILL);
}

/* One port from the old process: opened here (on its sockets, for an
 * af_packet port; inside its interface's network namespace, for a net_tap
 * moved out of ours), started, published. 0, or -1 with @err set. */
static int
take_port(struct sl_datapath *dp, struct up_msg *m, char *err, size_t errlen)
{
	struct up_port up;
	struct sl_port *p;
	uint64_t t0 = mono_ns();
	int idx, netns = -1, saved;

	if (up_port_read(m->payload, m->len, m->n_fds, &up, err, errlen) < 0)
		return -1;
	if (up.flags & UP_PORT_F_NETNS) { /* the last descriptor (up_port_read) */
		netns = m->fds[--up.n_fds];
		m->fds[up.n_fds] = -1;
	}
	for (unsigned int q = 0; q < up.n_fds; q++)
		up.afp.fds[q] = m->fds[q];
	saved = up_netns_enter(netns, err, errlen);
	if (netns >= 0)
		close(netns); /* the thread is in it now (or failed to enter) */
	if (saved == -1)
		return -1;
	if (up.n_fds)
		p = sl_port_afpacket_adopt(&up.params, dp->n_workers, dp->pools, &up.afp, err,
					   errlen);
	else
		p = sl_port_open(&up.params, dp->n_workers, dp->pools, err, errlen);
	idx = p ? sl_datapath_port_adopt(dp, p, (up.flags & UP_PORT_F_SLOT) ? up.slot : -1, err,
					 errlen)
		: -1;
	up_netns_leave(saved);
	if (idx < 0)
		return -1;
	dp->ports[idx]->created_ns = up.created_ns;
	kill_point(up.params.name);
	sl_agent_ops_note_counted(up.params.ofport, &up.counted);
	printf("sluiced: upgrade: port %s (ofport %u, %s%s%s) taken over in %llu us\n",
	       up.params.name, up.params.ofport, sl_port_type_name(up.params.type),
	       up.n_fds ? ", its sockets passed" : ", opened again",
	       saved >= 0 ? " in its interface's network namespace" : "",
	       (unsigned long long)((mono_ns() - t0) / 1000));
	return 0;
}

/* PORT_COUNTS: a vhost-user client port's final counters, sent once it
 * left the old process's workers (after its connection closed there). */
static int
take_counts(const struct up_msg *m, char *err, size_t errlen)
{
	struct up_counts c;

	if (m->len != sizeof(c) || m->n_fds != 0) {
		snprintf(err, errlen, "a PORT_COUNTS message of %u bytes and %u descriptors, "
			 "%zu and 0 expected", m->len, m->n_fds, sizeof(c));
		return -1;
	}
	memcpy(&c, m->payload, sizeof(c));
	sl_agent_ops_note_counted(c.ofport, &c.counted);
	return 0;
}

/* FINAL: what the rules and groups counted since the first state, and the
 * MAC addresses (ports are all here now). */
static int
take_final(struct sl_datapath *dp, struct up_msg *m, char *err, size_t errlen)
{
	uint32_t n = 0, macs = 0;

	if (sl_upgrade_continue_counts(dp, tk.s1, tk.s1_len, m->payload, m->len, &n, err,
				       errlen) < 0)
		return -1;
	if (sl_state_apply_macs(dp, m->payload, m->len, &macs) < 0)
		macs = 0;
	printf("sluiced: upgrade: counters of %u rules, groups and meters continued, %u MACs "
	       "learned\n",
	       n, macs);
	return 0;
}

int
sl_upgrade_takeover_finish(struct sl_datapath *dp, struct sl_agent *a, char *err,
			   size_t errlen)
{
	(void)a;
	if (up_send(tk.chan, UP_READY, NULL, 0, NULL, 0, NULL, 0, SEND_MS) < 0) {
		snprintf(err, errlen, "cannot tell the old process: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		struct up_msg m;
		char why[512];
		int rc;

		if (up_recv(tk.chan, &m, NEXT_MS) < 0) {
			snprintf(err, errlen, "the old process: %s", errno == EPIPE
				 ? "it closed the channel (rolled back?)" : strerror(errno));
			return -1;
		}
		if (m.type != UP_PORT && m.type != UP_FINAL && m.type != UP_PORT_COUNTS) {
			snprintf(err, errlen, "the old process sent %s", up_type_name(m.type));
			up_msg_free(&m);
			return -1;
		}
		rc = m.type == UP_PORT	      ? take_port(dp, &m, why, sizeof(why))
		     : m.type == UP_PORT_COUNTS ? take_counts(&m, why, sizeof(why))
					      : take_final(dp, &m, why, sizeof(why));
		if (rc < 0) {
			(void)up_send(tk.chan, UP_PORT_FAIL, why, strlen(why) + 1, NULL, 0, NULL, 0,
				      SEND_MS);
			snprintf(err, errlen, "%s", why);
			up_msg_free(&m);
			return -1;
		}
		rc = up_send(tk.chan, m.type != UP_FINAL ? UP_PORT_OK : UP_DONE, NULL, 0, NULL, 0,
			     NULL, 0, SEND_MS);
		if (m.type == UP_FINAL) {
			up_msg_free(&m);
			break;
		}
		up_msg_free(&m);
		if (rc < 0) {
			snprintf(err, errlen, "cannot tell the old process: %s", strerror(errno));
			return -1;
		}
	}
	close(tk.chan);
	close(tk.req);
	tk.chan = tk.req = -1;
	free(tk.s1);
	tk.s1 = NULL;
	return 0;
}
