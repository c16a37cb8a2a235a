/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running process's side of a hand-over (sl_upgrade.h, steps 2 to 4):
 * `upgrade-handover @NAME` runs it to the end inside the command, on the
 * control lcore. Blocking is the point: while the control lcore is here no
 * flow-mod, expiry or port change can touch the tables that the state sent
 * describes; the workers forward meanwhile, packet-ins wait in their rings.
 */
#include <dirent.h>
#include <net/if.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sl_config.h"
#include "agent_ops.h"
#include "sl_datapath.h"
#include "sl_log.h"
#include "sl_mgmt_cmds.h"
#include "sl_port_handover.h"
#include "sl_snap.h"
#include "sl_state.h"
#include "sl_tunnel_dp.h"
#include "sl_upgrade.h"
#include "upgrade_chan.h"
#include "upgrade_tap.h"

#define READY_MS 60000 /* the new process's agent, its state and workers */
#define PORT_MS 30000  /* a port opened and started in the new process */
#define SEND_MS 10000

static bool handed_over;

bool
sl_upgrade_handed_over(void)
{
	return handed_over;
}

/* A port the old process let go: how to open it again on a rollback, and
 * an af_packet port itself (its rx sockets are shared with the new
 * process until the end). A vhost-user client port is sent while it still
 * forwards here (attached): a rollback before its connection closed
 * (closed) leaves it as it is, connected. */
struct released {
	struct sl_port_params pp;
	struct sl_port *held;
	bool attached; /* still in the workers' hands here */
	bool closed;   /* its vhost-user connection closed (while attached) */
	int tap_fd; /* a net_tap's interface held (upgrade_tap.h), or -1 */
	int netns;  /* that interface's network namespace, or -1 */
	int slot;   /* its slot here (and in the new process) */
};

struct handover {
	struct sl_mgmt_ctx *c;
	int fd;           /* the channel */
	pid_t peer;       /* the new process */
	struct released rel[SL_MAX_PORTS];
	unsigned int n_rel;
	char err[512];
};

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connect to the new process's abstract socket "@NAME"; only root or our
 * own user may be on the other end. */
static int
connect_peer(struct handover *h, const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t l = strlen(name);
	struct ucred cr;
	socklen_t cl = sizeof(cr);

	if (name[0] != '@' || l < 2 || l > sizeof(sa.sun_path) - 1) {
		snprintf(h->err, sizeof(h->err), "expected @NAME (an abstract socket), got \"%.64s\"",
			 name);
		return -1;
	}
	memcpy(sa.sun_path + 1, name + 1, l - 1);
	h->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (h->fd < 0 ||
	    connect(h->fd, (struct sockaddr *)&sa, (socklen_t)(sizeof(sa.sun_family) + l)) < 0 ||
	    getsockopt(h->fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0) {
		snprintf(h->err, sizeof(h->err), "cannot reach %s: %s", name, strerror(errno));
		return -1;
	}
	if (cr.uid != 0 && cr.uid != geteuid()) {
		snprintf(h->err, sizeof(h->err), "%s belongs to uid %u", name, (unsigned)cr.uid);
		return -1;
	}
	h->peer = cr.pid;
	return 0;
}

/* Is @fd a listening socket this switch hands over: the management
 * socket (1), an OpenFlow listener (2), or neither (0)? OpenFlow listeners
 * are the process's TCP listeners and the Unix ones its punix targets
 * name; vhost-user server sockets are not passed (docs/upgrade.md). */
static int
listener_kind(const struct sl_config *cfg, int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int acc = 0;
	socklen_t al = sizeof(acc);

	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &al) < 0 || !acc ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return 0;
	if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)
		return 2;
	if (ss.ss_family != AF_UNIX)
		return 0;
	const char *path = ((struct sockaddr_un *)&ss)->sun_path;

	if (cfg->mgmt_socket[0] && strcmp(path, cfg->mgmt_socket) == 0)
		return 1;
	for (unsigned int i = 0; i < cfg->n_of_targets; i++)
		if (strncmp(cfg->of_targets[i], "punix:", 6) == 0 &&
		    strcmp(cfg->of_targets[i] + 6, path) == 0)
			return 2;
	return 0;
}

/* The listening sockets to pass: the management socket first (if any). */
static unsigned int
gather_listeners(const struct sl_config *cfg, int *fds, struct up_hello *hello)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int of[UP_MAX_FDS];
	unsigned int n_of = 0, n = 0;

	memset(hello, 0, sizeof(*hello));
	hello->params_size = sizeof(struct sl_port_params);
	hello->port_version = UP_PORT_VERSION;
	while (d && (e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name), k;

		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		k = listener_kind(cfg, fd);
		if (k == 1 && !hello->has_mgmt) {
			hello->has_mgmt = 1;
			fds[n++] = fd;
		} else if (k == 2 && n_of < UP_MAX_FDS - 1) {
			of[n_of++] = fd;
		}
	}
	if (d)
		closedir(d);
	for (unsigned int i = 0; i < n_of; i++)
		fds[n++] = of[i];
	hello->n_listeners = n_of;
	return n;
}

/* Wait for @want from the new process; a PORT_FAIL's reason into h->err. */
static int
expect(struct handover *h, uint32_t want, int timeout_ms)
{
	struct up_msg m;

	if (up_recv(h->fd, &m, timeout_ms) < 0) {
		snprintf(h->err, sizeof(h->err), "no %s from the new process: %s",
			 up_type_name(want), errno == EPIPE ? "it closed the channel (exited?)"
							     : strerror(errno));
		return -1;
	}
	if (m.type != want) {
		snprintf(h->err, sizeof(h->err), "the new process answered %s instead of %s%s%.*s",
			 up_type_name(m.type), up_type_name(want), m.len ? ": " : "",
			 (int)(m.len > 300 ? 300 : m.len), m.payload ? (char *)m.payload : "");
		up_msg_free(&m);
		return -1;
	}
	up_msg_free(&m);
	return 0;
}

/* Step 2: the state and the listeners, then wait for READY. */
static int
send_hello(struct handover *h)
{
	struct sl_snap_writer w;
	struct up_hello hello;
	int fds[UP_MAX_FDS], rc;
	unsigned int n = gather_listeners(h->c->dp->cfg, fds, &hello);

	if (sl_state_build(h->c->dp, h->c->agent, &w, h->err, sizeof(h->err)) < 0)
		return -1;
	rc = up_send(h->fd, UP_HELLO, &hello, sizeof(hello), w.buf, w.len, fds, n, SEND_MS);
	sl_snap_writer_free(&w);
	if (rc < 0) {
		snprintf(h->err, sizeof(h->err), "cannot send the state: %s", strerror(errno));
		return -1;
	}
	return expect(h, UP_READY, READY_MS);
}

/* A vhost-user client port (QEMU listens) is opened in the new process
 * before it is closed here (release_vhost_client()): the new process's
 * connection waits in the listening socket's backlog, and QEMU accepts it
 * as soon as it has seen this one close. Anything else is closed here
 * first: a server socket's path, a tap's name or a NIC has one owner at a
 * time. */
static bool
connect_first(const struct sl_port_params *pp)
{
	return pp->type == SL_PORT_VHOST && !pp->vhost_server;
}

/* A net_tap port's interface is held while its port is closed here and
 * opened in the new process, so that its addresses and routes stay; when
 * it cannot be, the port is made again as before, and this says why. */
static void
hold_tap(struct released *r)
{
	char ifname[IF_NAMESIZE], why[256];

	if (up_tap_ifname(&r->pp, ifname, sizeof(ifname)) < 0)
		return;
	r->tap_fd = up_tap_keep(ifname, &r->netns, why, sizeof(why));
	if (r->tap_fd < 0)
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: upgrade: port %s: interface %s not "
		       "held, it is made again (its addresses and routes are lost): %s",
		       r->pp.name, ifname, why);
}

static void
let_tap_go(struct released *r)
{
	if (r->tap_fd >= 0)
		close(r->tap_fd);
	if (r->netns >= 0)
		close(r->netns);
	r->tap_fd = r->netns = -1;
}

/* Open @r's port again here (a rollback), in its interface's namespace. */
static struct sl_port *
reopen(struct sl_datapath *dp, const struct released *r, char *err, size_t errlen)
{
	int saved = up_netns_enter(r->netns, err, errlen);
	struct sl_port *p;

	if (saved == -1)
		return NULL;
	p = sl_port_open(&r->pp, dp->n_workers, dp->pools, err, errlen);
	if (p != NULL && sl_datapath_port_adopt(dp, p, r->slot, err, errlen) < 0)
		p = NULL; /* adopt destroyed it */
	up_netns_leave(saved);
	return p;
}

/* Close port @p here (the guest's connection, the device). */
static void
close_port(struct sl_port *p)
{
	p->ops->stop(p);
	sl_port_destroy(p); /* vhost-user: the connection to QEMU closes */
}

/* Step 3's first half for the port in slot @idx: out of the workers'
 * hands, into a record of its own (held: a rollback before it is sent
 * closes it and opens it again). NULL with h->err set. */
static struct released *
detach_into(struct handover *h, unsigned int idx)
{
	struct sl_datapath *dp = h->c->dp;
	struct released *r = &h->rel[h->n_rel];

	r->pp = dp->cfg->ports[idx];
	r->slot = (int)idx;
	r->attached = r->closed = false;
	r->tap_fd = r->netns = -1;
	r->held = sl_datapath_port_detach(dp, idx, h->err, sizeof(h->err));
	if (r->held == NULL)
		return NULL;
	h->n_rel++;
	return r;
}

/* Send port @r's message @type (@what for the error) and wait for PORT_OK. */
static int
send_expect(struct handover *h, const struct released *r, uint32_t type, const void *msg,
	    size_t len, const int *fds, unsigned int n_fds, const char *what)
{
	if (up_send(h->fd, type, msg, len, NULL, 0, fds, n_fds, SEND_MS) < 0) {
		snprintf(h->err, sizeof(h->err), "port %s: cannot send %s: %s", r->pp.name, what,
			 strerror(errno));
		return -1;
	}
	return expect(h, UP_PORT_OK, PORT_MS);
}

/* Port @p's counters for the new process to go on from: its own and what
 * the processes before this one counted. */
static void
port_counted(const struct released *r, struct sl_port *p, struct sl_port_stats *st)
{
	if (p->ops->stats_get == NULL || p->ops->stats_get(p, st) != 0)
		memset(st, 0, sizeof(*st));
	sl_agent_ops_port_counted(r->pp.ofport, st);
}

/* Step 3's second half for the detached port of @r (at @t0, out of the
 * workers at @t_det): its final counters and (af_packet) its rx sockets to
 * the new process. Each step's time is logged: the gap a guest sees is in
 * them. */
static int
send_port(struct handover *h, struct released *r, int64_t t0, int64_t t_det)
{
	struct up_port up = { .version = UP_PORT_VERSION, .params_size = sizeof(up.params),
			      .flags = UP_PORT_F_SLOT, .slot = (uint16_t)r->slot };
	int64_t t_closed = 0, t_new;
	struct sl_port *p = r->held;

	r->held = NULL;
	up.params = r->pp;
	port_counted(r, p, &up.counted);
	up.created_ns = p->created_ns; /* one host, one monotonic clock */
	if (sl_port_afpacket_export(p, &up.afp) == 0) {
		r->held = p; /* its sockets live on in the new process */
		up.n_fds = up.afp.n_rxq;
	} else {
		hold_tap(r);
		close_port(p);
		t_closed = mono_ms();
		if (r->netns >= 0) { /* the new process opens it there */
			up.afp.fds[up.n_fds++] = r->netns;
			up.flags |= UP_PORT_F_NETNS;
		}
	}
	if (send_expect(h, r, UP_PORT, &up, sizeof(up), up.afp.fds, up.n_fds, "it") < 0)
		return -1;
	t_new = mono_ms();
	if (!t_closed) /* af_packet: nothing closed, the sockets went over */
		t_closed = t_det;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: upgrade: port %s (ofport %u) handed over "
	       "in %lld ms: out of the workers %lld ms, closed here %lld ms, open in the new "
	       "process %lld ms", r->pp.name, r->pp.ofport, (long long)(t_new - t0),
	       (long long)(t_det - t0), (long long)(t_closed - t_det),
	       (long long)(t_new - t_closed));
	return 0;
}

/* Step 3 for the vhost-user client port in slot @idx, which forwards here
 * until its connection closes: it is sent first; the new process opens it
 * and connects (its connection waits in QEMU's backlog); then the
 * connection here closes, which fences the workers by itself
 * (sl_port_vhost_disconnect()), and only then does the port leave them
 * (two grace periods, no longer in the guest's gap, which is the close and
 * QEMU's renegotiation) and its final counters follow (PORT_COUNTS): what
 * it counted until the close, and the frames dropped towards it since. */
static int
release_vhost_client(struct handover *h, unsigned int idx)
{
	struct sl_datapath *dp = h->c->dp;
	struct released *r = &h->rel[h->n_rel++];
	struct sl_port *p = dp->ports[idx];
	struct up_port up = { .version = UP_PORT_VERSION, .params_size = sizeof(up.params),
			      .flags = UP_PORT_F_SLOT, .slot = (uint16_t)idx };
	struct up_counts c = { .ofport = dp->cfg->ports[idx].ofport };
	int64_t t0 = mono_ms(), t_new, t_closed;

	memset(r, 0, sizeof(*r));
	r->pp = dp->cfg->ports[idx];
	r->slot = (int)idx;
	r->tap_fd = r->netns = -1;
	r->attached = true;
	up.params = r->pp;
	port_counted(r, p, &up.counted); /* moving still: PORT_COUNTS replaces them */
	up.created_ns = p->created_ns;
	if (send_expect(h, r, UP_PORT, &up, sizeof(up), NULL, 0, "it") < 0)
		return -1;
	t_new = mono_ms();
	r->closed = true;
	(void)sl_port_vhost_disconnect(p); /* the guest's gap starts here */
	t_closed = mono_ms();
	r->held = sl_datapath_port_detach(dp, idx, h->err, sizeof(h->err));
	if (r->held == NULL)
		return -1;
	r->attached = false;
	port_counted(r, r->held, &c.counted);
	if (send_expect(h, r, UP_PORT_COUNTS, &c, sizeof(c), NULL, 0, "its counters") < 0)
		return -1;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: upgrade: port %s (ofport %u) handed over "
	       "in %lld ms: open in the new process %lld ms, closed here %lld ms, then out of "
	       "the workers %lld ms", r->pp.name, r->pp.ofport, (long long)(mono_ms() - t0),
	       (long long)(t_new - t0), (long long)(t_closed - t_new),
	       (long long)(mono_ms() - t_closed));
	return 0;
}

/* Step 4: the state again, with no port left here; wait for DONE. */
static int
send_final(struct handover *h)
{
	struct sl_snap_writer w;
	int rc;

	if (sl_state_build(h->c->dp, h->c->agent, &w, h->err, sizeof(h->err)) < 0)
		return -1;
	rc = up_send(h->fd, UP_FINAL, w.buf, w.len, NULL, 0, NULL, 0, SEND_MS);
	sl_snap_writer_free(&w);
	if (rc < 0) {
		snprintf(h->err, sizeof(h->err), "cannot send the final state: %s", strerror(errno));
		return -1;
	}
	return expect(h, UP_DONE, PORT_MS);
}

/* The new process is killed and waited for (its channel end closes when it
 * is gone): only then can a vhost-user or tap port be had again. */
static void
stop_peer(struct handover *h)
{
	char sink[256];
	int64_t deadline = mono_ms() + 5000;

	if (h->peer > 0)
		kill(h->peer, SIGKILL);
	if (h->fd < 0)
		return;
	shutdown(h->fd, SHUT_WR);
	while (mono_ms() < deadline) {
		ssize_t n = recv(h->fd, sink, sizeof(sink), MSG_DONTWAIT);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			break;
		if (n < 0)
			usleep(1000);
	}
	if (h->peer > 0)
		(void)waitpid(h->peer, NULL, WNOHANG); /* our child when sluicectl was not used */
}

/* Every port released goes back to work here, opened again. */
static void
roll_back(struct handover *h)
{
	struct sl_datapath *dp = h->c->dp;

	stop_peer(h);
	for (unsigned int i = 0; i < h->n_rel; i++) {
		struct released *r = &h->rel[i];
		char err[512];
		struct sl_port *p = NULL;

		if (r->attached && !r->closed) { /* still connected to the guest: as it was */
			SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: upgrade: rollback: port %s "
			       "(ofport %u) forwarded here throughout", r->pp.name, r->pp.ofport);
			continue;
		}
		if (r->attached) /* closed: out of the workers, then opened again */
			r->held = sl_datapath_port_detach(dp, (unsigned int)r->slot, err,
							  sizeof(err));
		if (r->held != NULL || !r->attached) {
			sl_port_destroy(r->held);
			r->held = NULL;
			p = reopen(dp, r, err, sizeof(err));
		}
		if (p == NULL)
			SL_LOG(SL_LOG_PORT, SL_LOG_ERR, "sluiced: upgrade: rollback: port %s: %s",
			       r->pp.name, err);
		else
			SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: upgrade: rollback: port %s "
			       "(ofport %u) forwards here again", r->pp.name, r->pp.ofport);
		let_tap_go(r); /* open here again (or failed): the interface is ours */
	}
}

/* Step 3 for the port in slot @idx. */
static int
release_port(struct handover *h, unsigned int idx)
{
	int64_t t0 = mono_ms();
	struct released *r = detach_into(h, idx);

	return r != NULL ? send_port(h, r, t0, mono_ms()) : -1;
}

/* Step 3 for underlay @u and its tunnel ports, together: the underlay
 * leaves the workers first (no frame is read from it here any more: an
 * af_packet ring keeps them for the new process), its tunnel ports go
 * over (published unbound there), then the underlay, which the new process
 * publishes after it has bound them and built their decap table: no VXLAN
 * frame is read there before it can be decapsulated. */
static int
release_underlay(struct handover *h, unsigned int u)
{
	struct sl_datapath *dp = h->c->dp;
	int64_t t0 = mono_ms(), t_det;
	struct released *r = detach_into(h, u);

	if (r == NULL)
		return -1;
	t_det = mono_ms();
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		if (!sl_datapath_slot_used(dp, i) || dp->ports[i] == NULL ||
		    dp->ports[i]->params.type != SL_PORT_TUNNEL ||
		    strcmp(dp->cfg->ports[i].tnl.underlay, r->pp.name) != 0)
			continue;
		if (release_port(h, i) < 0)
			return -1;
	}
	return send_port(h, r, t0, t_det);
}

static int
run_handover(struct handover *h)
{
	struct sl_datapath *dp = h->c->dp;

	if (send_hello(h) < 0)
		return -1;
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		int rc;

		if (!sl_datapath_slot_used(dp, i) || dp->ports[i] == NULL)
			continue;
		rc = sl_tunnel_underlay_user(dp, i) != NULL ? release_underlay(h, i)
		     : connect_first(&dp->cfg->ports[i]) ? release_vhost_client(h, i)
							 : release_port(h, i);
		if (rc < 0)
			return -1;
	}
	return send_final(h);
}

int
sl_mgmt_cmd_upgrade_handover(void *ctx, int argc, char **argv, struct sl_out *out)
{
	static struct handover h;
	int64_t t0 = mono_ms();
	int rc;

	(void)argc;
	memset(&h, 0, sizeof(h));
	h.c = ctx;
	h.fd = -1;
	if (h.c->agent == NULL || h.c->dp->pipeline == NULL)
		return sl_out_error(out, "upgrade: a static cross-connect ([xconnect]) is not "
				    "handed over; restart it");
	if (handed_over)
		return sl_out_error(out, "upgrade: this sluiced has handed over already");
	if (connect_peer(&h, argv[1]) < 0) {
		if (h.fd >= 0)
			close(h.fd);
		return sl_out_error(out, "upgrade: %s", h.err);
	}
	printf("sluiced: upgrade: handing over to pid %ld\n", (long)h.peer);
	fflush(stdout);
	rc = run_handover(&h);
	if (rc < 0) {
		fprintf(stderr, "sluiced: upgrade: %s; rolling back\n", h.err);
		roll_back(&h);
		close(h.fd);
		fprintf(stderr, "sluiced: upgrade: rolled back: this sluiced (pid %ld) forwards on "
			"%u port(s)\n", (long)getpid(), h.n_rel);
		return sl_out_error(out, "upgrade: %s; rolled back, pid %ld forwards on", h.err,
				    (long)getpid());
	}
	for (unsigned int i = 0; i < h.n_rel; i++) {
		sl_port_destroy(h.rel[i].held);
		let_tap_go(&h.rel[i]); /* held until no rollback can need it */
	}
	close(h.fd);
	handed_over = true;
	printf("sluiced: upgrade: handed over to pid %ld in %lld ms (%u ports); exiting\n",
	       (long)h.peer, (long long)(mono_ms() - t0), h.n_rel);
	fflush(stdout);
	sl_out_line(out, "handed over to pid %ld", (long)h.peer);
	return 0;
}
