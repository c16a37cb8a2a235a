/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * vhost-user ports served through rte_vhost directly.
 *
 * Why not the net_vhost ethdev: Debian's DPDK caps ethdevs at 32
 * (RTE_MAX_ETHPORTS) and a host carries more VMs than that; rte_vhost alone
 * handles up to 1024 sockets.
 *
 * Modes. Client mode (the default) connects to a socket the VM (QEMU, or
 * testpmd's virtio_user with server=1) listens on, and rte_vhost reconnects
 * every second after either side restarts. Server mode (params->vhost_server)
 * creates the socket; a stale socket file left by a dead process is removed
 * when the port is opened, a live one (someone accepts connections on it)
 * or a file that is not a socket makes the open fail.
 *
 * Queues. The port has n_rxq queue pairs (params->n_rxq, 0 = 1; n_txq is
 * ignored: a vhost queue pair always has one queue each way). Our rx queue
 * q dequeues from the guest's tx virtqueues q, q + n_pairs, q + 2 n_pairs...
 * so a guest that enables more pairs than we poll loses nothing; our tx
 * queue q enqueues into the guest's rx virtqueue q, or, when the guest has
 * not enabled that one, into another enabled rx virtqueue (rte_vhost takes
 * the virtqueue's access lock on enqueue, so two of our tx queues sharing
 * one virtqueue is safe). VIRTIO_NET_F_MQ stays offered even with one
 * pair, so a VM configured with more queues than the port still works.
 *
 * Notifications. Workers busy-poll, so guests are told not to kick us
 * (vhost_cb_new_device). The other way, a guest's driver sleeps until
 * interrupted (Linux virtio-net: NAPI, no busy polling), and
 * rte_vhost_enqueue_burst (dequeue too, for tx completions) writes the
 * vring's call eventfd once it has filled the used ring, unless the guest
 * suppressed interrupts (VRING_AVAIL_F_NO_INTERRUPT or its used_event
 * index). So interrupt-driven guests need nothing from us; the cost is one
 * eventfd write per burst, only while a guest waits for interrupts.
 * test/integration/test_vm.sh's QEMU guests get no reply to a ping
 * without those writes.
 *
 * Offloads (params->offloads, `offloads = yes`; off by default, as OVS's
 * userspace-tso-enable). Off, no checksum or segmentation offload is
 * offered: the guest sends and takes plain frames. On, the guest is
 * offered CSUM and HOST_TSO4/6 (frames it sends may carry a partial
 * checksum or be TSO super-frames: rx turns rte_vhost's reports into tx
 * requests, sl_tx_offload.h) and GUEST_CSUM, GUEST_TSO4/6 (frames it may be
 * given as they are: what it negotiated is published in struct
 * sl_port.tx_ol; a frame the out port cannot take is segmented and
 * checksummed in software at the tx burst: rte_gso for TCP/IPv4, our own
 * cutter for TCP/IPv6, which DPDK 22.11's rte_gso lacks). ECN and UFO are
 * never offered.
 *
 * MTU. The `mtu` key bounds the frames the port is handed (max_frame: the
 * longer are dropped as "mtu"; for a TSO frame passed on whole, its
 * segments). rte_vhost cannot advertise an MTU itself: VIRTIO_NET_F_MTU
 * carries the value QEMU gives (virtio-net-pci's host_mtu), which rte_vhost
 * learns (rte_vhost_get_mtu) and which is compared with the port's when the
 * guest starts (a warning when the guest's is larger). Without `mtu`, the
 * port takes any frame rte_vhost can chain (mergeable rx buffers).
 *
 * Tx retries (params->tx_retries, OVS's options:tx-retries). When the
 * guest's rx ring takes part of a burst, the rest is offered again up to
 * tx_retries times, but only while each try makes progress (a guest that
 * stopped draining costs one try); then dropped as guest_ring_full.
 *
 * Threading. The rte_vhost callbacks run on the vhost-events thread (or on
 * the control lcore inside rte_vhost_driver_unregister()). They publish the
 * device id and a mask of usable virtqueues with atomics; workers never
 * lock. Before the callback for a vanished device returns (after which
 * rte_vhost frees the device), it clears the masks and waits until no
 * worker is inside a burst on that port: each burst raises a per-queue
 * "busy" flag, then reads the mask (Dekker-style, sequentially consistent),
 * the same handshake the net_vhost PMD uses.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_vhost.h>

#include "sl_log.h"
#include "sl_port.h"
#include "sl_port_handover.h"
#include "sl_vhost_numa.h"
#include "sl_tx_offload.h"

#include "port_vhost_private.h"

/**
 * Ports by socket path, so the callbacks (which only get a vid) find
 * their port. The lock is taken on the control lcore and the vhost thread,
 * never by a worker.
 */
static struct {
	pthread_mutex_t lock;
	struct sl_vhost_port *ports[SL_MAX_PORTS];
} sl_vhost_registry = { .lock = PTHREAD_MUTEX_INITIALIZER };

/** Port whose socket @p vid belongs to; registry lock held. */
static struct sl_vhost_port *
registry_find_vid_locked(int vid)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned int i;

	if (rte_vhost_get_ifname(vid, path, sizeof(path)) != 0)
		return NULL;
	for (i = 0; i < SL_MAX_PORTS; i++) {
		struct sl_vhost_port *vp = sl_vhost_registry.ports[i];

		if (vp != NULL && strcmp(vp->path, path) == 0)
			return vp;
	}
	return NULL;
}

static int
registry_add(struct sl_vhost_port *vp)
{
	unsigned int i;
	int rc = -ENOSPC;

	pthread_mutex_lock(&sl_vhost_registry.lock);
	for (i = 0; i < SL_MAX_PORTS; i++)
		if (sl_vhost_registry.ports[i] != NULL &&
		    strcmp(sl_vhost_registry.ports[i]->path, vp->path) == 0) {
			rc = -EEXIST;
			goto out;
		}
	for (i = 0; i < SL_MAX_PORTS; i++)
		if (sl_vhost_registry.ports[i] == NULL) {
			sl_vhost_registry.ports[i] = vp;
			rc = 0;
			break;
		}
out:
	pthread_mutex_unlock(&sl_vhost_registry.lock);
	return rc;
}

static void
registry_remove(struct sl_vhost_port *vp)
{
	unsigned int i;

	pthread_mutex_lock(&sl_vhost_registry.lock);
	for (i = 0; i < SL_MAX_PORTS; i++)
		if (sl_vhost_registry.ports[i] == vp)
			sl_vhost_registry.ports[i] = NULL;
	pthread_mutex_unlock(&sl_vhost_registry.lock);
}

/* ------------------------------------------------------------------ */
/* Publishing device state to workers (vhost thread / control lcore).  */

/**
 * Recompute the masks workers use from the callbacks' view. When the
 * device is gone, also wait for workers to leave their bursts, so that
 * rte_vhost may free the device once the callback returns. A vring
 * disabled on a running device needs no wait: rte_vhost checks the
 * vring's state under its own access lock (the net_vhost PMD does the
 * same), and waiting there could deadlock with a worker spinning on that
 * lock if rte_vhost ever notified while holding it.
 */
static void
publish_locked(struct sl_vhost_port *vp)
{
	uint64_t rx = vp->cb_running ? vp->cb_rx_enabled : 0;
	uint64_t tx = vp->cb_running ? vp->cb_tx_enabled : 0;
	uint16_t q;

	if (vp->cb_running)
		__atomic_store_n(&vp->port->vid, vp->cb_vid, __ATOMIC_RELEASE);
	__atomic_store_n(&vp->port->tx_ol, vp->cb_running ? vp->cb_tx_ol : 0, __ATOMIC_RELEASE);
	/* seq_cst pairs with the workers' seq_cst busy store then mask load:
	 * either the worker sees the cleared mask, or we see its busy flag. */
	__atomic_store_n(&vp->guest_rx_mask, rx, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vp->guest_tx_mask, tx, __ATOMIC_SEQ_CST);
	if (vp->cb_running)
		return;
	for (q = 0; q < vp->n_pairs; q++) {
		while (__atomic_load_n(&vp->q[q].rx_busy, __ATOMIC_SEQ_CST))
			rte_pause();
		while (__atomic_load_n(&vp->q[q].tx_busy, __ATOMIC_SEQ_CST))
			rte_pause();
	}
	__atomic_store_n(&vp->port->vid, -1, __ATOMIC_RELEASE);
}

/** Start tracking @p vid if the port tracks no running device. */
static bool
adopt_vid_locked(struct sl_vhost_port *vp, int vid)
{
	if (vp->cb_vid == vid)
		return true;
	if (vp->cb_running)
		return false; /* a second connection on a server socket: ignored */
	vp->cb_vid = vid;
	vp->cb_rx_enabled = 0;
	vp->cb_tx_enabled = 0;
	return true;
}

/**
 * What the guest negotiated of the offloads it may be given (SL_TX_OL_*),
 * logged with its MTU against the port's.
 */
static uint32_t
guest_tx_ol(const struct sl_vhost_port *vp, int vid)
{
	const struct sl_port_params *pp = &vp->port->params;
	uint64_t f = 0;
	uint32_t ol = 0;
	uint16_t mtu = 0;

	if (rte_vhost_get_negotiated_features(vid, &f) != 0)
		f = 0;
	if (f & (1ULL << VIRTIO_NET_F_GUEST_CSUM)) {
		ol |= SL_TX_OL_CSUM;
		if (f & (1ULL << VIRTIO_NET_F_GUEST_TSO4))
			ol |= SL_TX_OL_TSO4;
		if (f & (1ULL << VIRTIO_NET_F_GUEST_TSO6))
			ol |= SL_TX_OL_TSO6;
	}
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: guest offloads:%s%s%s%s%s%s%s",
	       pp->name, (f & (1ULL << VIRTIO_NET_F_CSUM)) ? " csum" : "",
	       (f & (1ULL << VIRTIO_NET_F_HOST_TSO4)) ? " host_tso4" : "",
	       (f & (1ULL << VIRTIO_NET_F_HOST_TSO6)) ? " host_tso6" : "",
	       (ol & SL_TX_OL_CSUM) ? " guest_csum" : "", (ol & SL_TX_OL_TSO4) ? " guest_tso4" : "",
	       (ol & SL_TX_OL_TSO6) ? " guest_tso6" : "", f & (1ULL << VIRTIO_NET_F_CSUM) ||
	       ol != 0 ? "" : " none");
	if (rte_vhost_get_mtu(vid, &mtu) == 0 && pp->mtu != 0 && mtu > pp->mtu)
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: port %s: the guest's MTU %u (QEMU "
		       "host_mtu) is above the port's mtu %u: longer frames are dropped", pp->name,
		       mtu, pp->mtu);
	return ol;
}

static int
vhost_cb_new_device(int vid)
{
	struct sl_vhost_port *vp;
	int rc = -1;

	pthread_mutex_lock(&sl_vhost_registry.lock);
	vp = registry_find_vid_locked(vid);
	if (vp != NULL && adopt_vid_locked(vp, vid)) {
		/* Interrupts off: workers busy-poll, guest kicks are wasted. */
		uint16_t nr = rte_vhost_get_vring_num(vid), i;

		for (i = 0; i < nr; i++)
			rte_vhost_enable_guest_notification(vid, i, 0);
		vp->cb_tx_ol = guest_tx_ol(vp, vid);
		/* before the masks are published: no worker dequeues yet */
		__atomic_store_n(&vp->port->socket_id,
				 sl_vhost_numa_place(vid, vp->port->params.name, vp->pools,
						     vp->port->socket_id, &vp->pool),
				 __ATOMIC_RELEASE);
		vp->cb_running = true;
		publish_locked(vp);
		rc = 0;
	}
	pthread_mutex_unlock(&sl_vhost_registry.lock);
	return rc;
}

static void
vhost_cb_destroy_device(int vid)
{
	struct sl_vhost_port *vp;

	pthread_mutex_lock(&sl_vhost_registry.lock);
	vp = registry_find_vid_locked(vid);
	if (vp != NULL && vp->cb_vid == vid) {
		vp->cb_running = false;
		vp->cb_rx_enabled = 0;
		vp->cb_tx_enabled = 0;
		publish_locked(vp);
		vp->cb_vid = -1;
	}
	pthread_mutex_unlock(&sl_vhost_registry.lock);
}

static int
vhost_cb_vring_state_changed(int vid, uint16_t vring, int enable)
{
	struct sl_vhost_port *vp;
	uint16_t pair = vring / 2;
	uint64_t bit = pair < SL_VHOST_GUEST_PAIRS_MAX ? UINT64_C(1) << pair : 0;

	pthread_mutex_lock(&sl_vhost_registry.lock);
	vp = registry_find_vid_locked(vid);
	if (vp != NULL && adopt_vid_locked(vp, vid)) {
		/* Even virtqueues are the guest's rx, odd ones its tx. */
		uint64_t *mask = (vring & 1) ? &vp->cb_tx_enabled
					     : &vp->cb_rx_enabled;

		if (enable)
			*mask |= bit;
		else
			*mask &= ~bit;
		publish_locked(vp);
	}
	pthread_mutex_unlock(&sl_vhost_registry.lock);
	return 0;
}

/**
 * A connection comes or goes: forget vring states seen on an earlier
 * connection that never became a running device (rte_vhost reuses vids,
 * and a stale enabled bit would make workers poll a vring that does not
 * exist on the new device).
 */
static void
vhost_conn_reset(int vid)
{
	struct sl_vhost_port *vp;

	pthread_mutex_lock(&sl_vhost_registry.lock);
	vp = registry_find_vid_locked(vid);
	if (vp != NULL && !vp->cb_running) {
		vp->cb_vid = -1;
		vp->cb_rx_enabled = 0;
		vp->cb_tx_enabled = 0;
	}
	pthread_mutex_unlock(&sl_vhost_registry.lock);
}

static int
vhost_cb_new_connection(int vid)
{
	vhost_conn_reset(vid);
	return 0;
}

static void
vhost_cb_destroy_connection(int vid)
{
	vhost_conn_reset(vid);
}

static const struct rte_vhost_device_ops sl_vhost_ops = {
	.new_device = vhost_cb_new_device,
	.destroy_device = vhost_cb_destroy_device,
	.vring_state_changed = vhost_cb_vring_state_changed,
	.new_connection = vhost_cb_new_connection,
	.destroy_connection = vhost_cb_destroy_connection,
};

/* ------------------------------------------------------------------ */
/* Control (control lcore).                                            */

/**
 * Make @p path usable for a server socket: remove a socket file nobody
 * accepts on any more (left by a process that died), so that bind() in
 * rte_vhost does not fail; refuse a live socket or a file that is not a
 * socket. Refusing here, before rte_vhost knows the path, matters: closing a
 * server port makes rte_vhost unlink its path, which would delete the
 * socket of the process that really owns it. (A process that binds the path
 * between this check and our start still loses it that way.)
 */
static int
prepare_server_path(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc = 0;

	if (lstat(path, &st) != 0)
		return 0; /* nothing there: rte_vhost creates it */
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket(): %s", strerror(errno));
		return -errno;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
		snprintf(err, errlen,
			 "%s is in use: another process listens on it", path);
		rc = -EADDRINUSE;
	} else if (errno == ECONNREFUSED) {
		if (unlink(path) != 0) {
			snprintf(err, errlen, "cannot remove stale %s: %s",
				 path, strerror(errno));
			rc = -errno;
		}
	} else {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -errno;
	}
	close(fd);
	return rc;
}

static int
vhost_start(struct sl_port *p)
{
	struct sl_vhost_port *vp = p->priv;

	/* rte_vhost cannot stop a socket short of unregistering it, so the
	 * driver runs from the first start to close; stop only fences the
	 * workers (which the caller does by not polling). */
	if (!vp->driver_started) {
		if (rte_vhost_driver_start(vp->path) != 0)
			return -EIO; /* rte_vhost logged why (bind, connect) */
		vp->driver_started = true;
	}
	p->started = true;
	return 0;
}

static void
vhost_stop(struct sl_port *p)
{
	p->started = false;
}

/** Undo sl_port_vhost_open(): unregister (destroying any device) and free. */
static void
vhost_close(struct sl_port *p)
{
	struct sl_vhost_port *vp = p->priv;

	if (vp == NULL)
		return;
	if (vp->registered) {
		/* Runs destroy_device for a connected guest; it must still find
		 * the port in the registry to fence the workers. */
		rte_vhost_driver_unregister(vp->path);
		vp->registered = false;
	}
	registry_remove(vp);
	rte_free(vp);
	p->priv = NULL;
	p->vid = -1;
}

int
sl_port_vhost_disconnect(struct sl_port *p)
{
	struct sl_vhost_port *vp = p->priv;

	if (p->params.type != SL_PORT_VHOST || vp == NULL)
		return -1;
	if (vp->registered) {
		/* destroy_device fences the workers (publish_locked); the port
		 * stays in the registry until vhost_close(), with no device */
		rte_vhost_driver_unregister(vp->path);
		vp->registered = false;
	}
	return 0;
}

static bool
vhost_link_up(struct sl_port *p)
{
	struct sl_vhost_port *vp = p->priv;

	return __atomic_load_n(&vp->guest_rx_mask, __ATOMIC_ACQUIRE) != 0 ||
	       __atomic_load_n(&vp->guest_tx_mask, __ATOMIC_ACQUIRE) != 0;
}

static int
vhost_stats_get(struct sl_port *p, struct sl_port_stats *st)
{
	struct sl_vhost_port *vp = p->priv;
	uint16_t q;

	memset(st, 0, sizeof(*st));
	for (q = 0; q < vp->n_pairs; q++) {
		const struct sl_vhost_queue *sq = &vp->q[q];

		st->rx_packets += __atomic_load_n(&sq->rx_packets, __ATOMIC_RELAXED);
		st->rx_bytes += __atomic_load_n(&sq->rx_bytes, __ATOMIC_RELAXED);
		st->tx_packets += __atomic_load_n(&sq->tx_packets, __ATOMIC_RELAXED);
		st->tx_bytes += __atomic_load_n(&sq->tx_bytes, __ATOMIC_RELAXED);
		st->tx_dropped += __atomic_load_n(&sq->tx_dropped, __ATOMIC_RELAXED);
	}
	return 0;
}

static const struct sl_port_ops sl_vhost_port_ops = {
	.rx_burst = sl_vhost_rx_burst,
	.tx_burst = sl_vhost_tx_burst,
	.start = vhost_start,
	.stop = vhost_stop,
	.close = vhost_close,
	.link_up = vhost_link_up,
	.stats_get = vhost_stats_get,
};

/** Socket of the port and its pool: the control lcore's, else any. */
static int
pick_pool(struct rte_mempool *const *pools, struct rte_mempool **pool)
{
	int sock = (int)rte_socket_id();
	int i;

	if (sock >= 0 && sock < RTE_MAX_NUMA_NODES && pools[sock] != NULL) {
		*pool = pools[sock];
		return sock;
	}
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (pools[i] != NULL) {
			*pool = pools[i];
			return i;
		}
	return -1;
}

/** Register the socket with rte_vhost: flags, features, callbacks. */
static int
vhost_register(struct sl_vhost_port *vp, bool server, char *err,
	       size_t errlen)
{
	uint64_t flags = RTE_VHOST_USER_NET_COMPLIANT_OL_FLAGS;
	uint64_t never = 1ULL << VIRTIO_NET_F_HOST_ECN | 1ULL << VIRTIO_NET_F_HOST_UFO |
		1ULL << VIRTIO_NET_F_GUEST_ECN | 1ULL << VIRTIO_NET_F_GUEST_UFO;
	uint64_t no_features = vp->offloads ? never : never |
		1ULL << VIRTIO_NET_F_CSUM | 1ULL << VIRTIO_NET_F_GUEST_CSUM |
		1ULL << VIRTIO_NET_F_HOST_TSO4 | 1ULL << VIRTIO_NET_F_HOST_TSO6 |
		1ULL << VIRTIO_NET_F_GUEST_TSO4 | 1ULL << VIRTIO_NET_F_GUEST_TSO6;

	if (!server)
		flags |= RTE_VHOST_USER_CLIENT; /* reconnect: NO_RECONNECT unset */
	if (rte_vhost_driver_register(vp->path, flags) != 0) {
		snprintf(err, errlen,
			 "rte_vhost_driver_register(%s) failed (see the vhost log)",
			 vp->path);
		return -1;
	}
	vp->registered = true;
	if (rte_vhost_driver_disable_features(vp->path, no_features) != 0 ||
	    rte_vhost_driver_callback_register(vp->path, &sl_vhost_ops) != 0) {
		snprintf(err, errlen, "%s: vhost feature/callback setup failed",
			 vp->path);
		return -1;
	}
	return 0;
}

/* The fields of a new port and its vhost state, before any registration. */
static void
vhost_port_init(struct sl_port *p, struct sl_vhost_port *vp, const struct sl_port_params *params,
		uint16_t n_pairs, unsigned int n_workers)
{
	p->params = *params;
	p->ops = &sl_vhost_port_ops;
	p->port_id = UINT16_MAX;
	p->vid = -1;
	p->priv = vp;
	p->n_rxq = n_pairs;
	p->n_txq = n_pairs;
	p->tx_lock_needed = n_workers > n_pairs;
	/* Without an mtu, a guest with mergeable buffers takes any frame
	 * rte_vhost can chain. */
	p->max_frame = params->mtu ? sl_port_max_frame(params->mtu) : UINT16_MAX;
	p->max_segs = UINT16_MAX;
	for (unsigned int i = 0; i < SL_PORT_MAX_QUEUES; i++)
		rte_spinlock_init(&p->tx_lock[i]);
	vp->port = p;
	vp->n_pairs = n_pairs;
	vp->offloads = params->offloads;
	vp->tx_retries = params->tx_retries;
	for (unsigned int pair = 0; pair < SL_VHOST_GUEST_PAIRS_MAX; pair++)
		vp->q[pair % n_pairs].rx_pairs |= UINT64_C(1) << pair;
	vp->cb_vid = -1;
	snprintf(vp->path, sizeof(vp->path), "%s", params->args);
}

struct sl_port *
sl_port_vhost_open(const struct sl_port_params *params, unsigned int n_workers,
		   struct rte_mempool *const *pools, char *err, size_t errlen)
{
	struct sl_port *p;
	struct sl_vhost_port *vp;
	uint16_t n_pairs = params->n_rxq == 0 ? 1 : params->n_rxq;
	int rc;

	if (n_pairs > SL_PORT_MAX_QUEUES) {
		snprintf(err, errlen, "port %s: %u queues, at most %u",
			 params->name, n_pairs, SL_PORT_MAX_QUEUES);
		return NULL;
	}
	if (params->args[0] == '\0' ||
	    strlen(params->args) >= sizeof(vp->path)) {
		snprintf(err, errlen,
			 "port %s: vhost socket path empty or over %zu bytes",
			 params->name, sizeof(vp->path) - 1);
		return NULL;
	}
	p = rte_zmalloc("sl_port", sizeof(*p), RTE_CACHE_LINE_SIZE);
	vp = rte_zmalloc("sl_vhost_port", sizeof(*vp), RTE_CACHE_LINE_SIZE);
	if (p == NULL || vp == NULL) {
		snprintf(err, errlen, "port %s: out of memory", params->name);
		rte_free(p);
		rte_free(vp);
		return NULL;
	}
	vhost_port_init(p, vp, params, n_pairs, n_workers);
	vp->pools = pools;
	p->socket_id = pick_pool(pools, &vp->pool);
	if (p->socket_id < 0) {
		snprintf(err, errlen, "port %s: no mempool on any socket",
			 params->name);
		goto fail;
	}
	if (params->vhost_server) {
		char why[SL_PORT_ARGS_MAX + 64];

		if (prepare_server_path(vp->path, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "port %s: %s", params->name, why);
			goto fail;
		}
	}
	rc = registry_add(vp);
	if (rc != 0) {
		snprintf(err, errlen, "port %s: %s", params->name,
			 rc == -EEXIST ? "socket path already used by another port"
				       : "too many vhost ports");
		goto fail;
	}
	if (vhost_register(vp, params->vhost_server, err, errlen) != 0)
		goto fail;
	/* From now on frames may carry requests. Never counted down: frames
	 * of a port deleted at run time may still sit in tx buffers. */
	if (vp->offloads)
		__atomic_add_fetch(&sl_tx_ol_ports, 1, __ATOMIC_RELEASE);
	return p;
fail:
	vhost_close(p);
	rte_free(p);
	return NULL;
}
