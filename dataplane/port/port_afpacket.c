/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * af_packet ports: a Linux network interface (veth, a NIC the kernel
 * drives, a bridge...) through PACKET_MMAP rings, Sluice's own instead of
 * DPDK's net_af_packet.
 *
 * Why not net_af_packet. The kernel takes the outer 802.1Q or 802.1ad tag
 * off every frame before a packet socket sees it and reports it beside
 * the frame; DPDK 22.11's PMD puts it back as 0x8100 whatever its TPID, so
 * an 802.1ad frame (a PBB or QinQ frame) entered the switch, and left it, as
 * 802.1Q (issue 25). Debian's binary cannot be patched. The ring code
 * (sl_afp_ring.h) puts the tag back with the TPID the kernel reports. The
 * PMD also blocked its worker in poll() while a tx ring was full, counted
 * no rx drops and called its interface up whatever it was; none of that
 * here.
 *
 * Queues. Rx queue q is a socket with a TPACKET_V2 rx ring; with more than
 * one, the sockets join a PACKET_FANOUT_HASH group, so the kernel spreads
 * flows over them. Tx queue q (one per worker: no tx lock) is a socket of
 * its own with a tx ring, bound with protocol 0 so that it receives nothing,
 * with PACKET_QDISC_BYPASS (straight to the driver, as a DPDK port has no
 * qdisc) and PACKET_LOSS (a frame the kernel refuses is skipped, not left
 * to stop the ring: none should be, lengths are checked before). Rx
 * sockets set PACKET_IGNORE_OUTGOING and a filter (sl_afp_filter.h, the
 * one that works in a fanout group): what the host itself sends out of
 * the interface is not traffic into the switch.
 *
 * System calls. Rx makes none. Tx kicks the kernel with one sendto() per
 * burst that queued a frame, as net_af_packet does: the kernel then sends
 * the ring's frames in that call, on the worker's CPU.
 *
 * Counters. rx_dropped holds the frames the kernel found no room for in an
 * rx ring (PACKET_STATISTICS tp_drops, read on the control lcore) and those
 * dropped for want of an mbuf (rx_nombuf); rx_errors the frames too long
 * for a slot; tx_errors the frames too long for a tx slot (the worker drops
 * frames over the MTU before, so none should be).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_malloc.h>

#include "sl_afp_filter.h"
#include "sl_afp_ring.h"
#include "sl_port.h"
#include "sl_port_handover.h"

#define SL_AFP_DEFAULT_RXD 1024
#define SL_AFP_DEFAULT_TXD 1024
/** Ring blocks: several frames each, a whole number of pages. */
#define SL_AFP_BLOCK_SIZE (64u * 1024)
/** Where the kernel puts an rx frame's MAC header in its slot at most:
 *  TPACKET_ALIGN(TPACKET2_HDRLEN + 16) - 14 = 66, rounded up. */
#define SL_AFP_RX_MAC_OFS 80u

/** One queue's socket, ring and counters; the counters are written by the
 *  queue's one worker and read by the control lcore. */
struct afp_queue {
	int fd;
	void *map;
	size_t map_len;
	struct sl_afp_ring ring;
	union {
		struct sl_afp_rx_counters rx;
		struct sl_afp_tx_counters tx;
	} c;
} __rte_cache_aligned;

/** Kind-specific state of an af_packet port (struct sl_port.priv). */
struct afp_port {
	struct rte_mempool *pool;  /**< rx mbufs: the pool of the port's socket */
	unsigned int ifindex;      /**< the interface the sockets are bound to */
	uint64_t kernel_drops;     /**< tp_drops read so far (a read resets them) */
	struct afp_queue rxq[SL_PORT_MAX_QUEUES];
	struct afp_queue txq[SL_PORT_MAX_QUEUES];
};

/* ------------------------------------------------------------------ */
/* Fast path (workers).                                                */

static uint16_t
afp_rx(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	struct afp_port *ap = p->priv;
	struct afp_queue *aq = &ap->rxq[q];

	return sl_afp_ring_rx(&aq->ring, ap->pool, pkts, n, &aq->c.rx);
}

static uint16_t
afp_tx(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	struct afp_queue *aq = &((struct afp_port *)p->priv)->txq[q];
	uint64_t before = aq->c.tx.packets;
	uint16_t taken = sl_afp_ring_tx(&aq->ring, pkts, n, &aq->c.tx);

	/* EAGAIN/ENOBUFS: the frames stay queued and leave on a later kick;
	 * ENETDOWN and the like: they wait in the ring until the link is back,
	 * and while the ring is full the worker drops and counts (tx_full) */
	if (aq->c.tx.packets != before)
		(void)sendto(aq->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	return taken;
}

/* ------------------------------------------------------------------ */
/* Control lcore.                                                      */

static int
afp_start(struct sl_port *p)
{
	p->started = true;
	return 0;
}

static void
afp_stop(struct sl_port *p)
{
	(void)p; /* workers stop calling; the rings keep what arrives */
}

static void
queue_close(struct afp_queue *aq)
{
	if (aq->map != NULL && aq->map != MAP_FAILED)
		munmap(aq->map, aq->map_len);
	if (aq->fd >= 0)
		close(aq->fd);
	free(aq->ring.frames);
	memset(aq, 0, sizeof(*aq));
	aq->fd = -1;
}

static void
afp_close(struct sl_port *p)
{
	struct afp_port *ap = p->priv;

	if (ap == NULL)
		return;
	for (unsigned int q = 0; q < SL_PORT_MAX_QUEUES; q++) {
		queue_close(&ap->rxq[q]);
		queue_close(&ap->txq[q]);
	}
	rte_free(ap);
	p->priv = NULL;
}

/* ifreq ioctl on the interface (SIOCGIFFLAGS, SIOCGIFMTU...), by name. */
static int
if_ioctl(int fd, const char *ifname, unsigned long req, struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%.*s", IF_NAMESIZE - 1, ifname);
	return ioctl(fd, req, ifr);
}

/* Up when the interface is still the one the sockets are bound to (same
 * index: not deleted, nor another of the same name) and operationally up
 * (IFF_RUNNING: a veth whose peer is down is not). */
static bool
afp_link_up(struct sl_port *p)
{
	struct afp_port *ap = p->priv;
	struct ifreq ifr;

	if (if_nametoindex(p->params.args) != ap->ifindex)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	if (if_ioctl(ap->txq[0].fd, p->params.args, SIOCGIFFLAGS, &ifr) != 0)
		return false;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

/* Frames the kernel dropped at the rx rings so far. A read resets the
 * kernel's count, hence the running sum; the control lcore and the
 * telemetry thread both read it. */
static uint64_t
afp_kernel_drops(struct sl_port *p)
{
	struct afp_port *ap = p->priv;

	for (uint16_t q = 0; q < p->n_rxq; q++) {
		struct tpacket_stats ts;
		socklen_t len = sizeof(ts);

		if (getsockopt(ap->rxq[q].fd, SOL_PACKET, PACKET_STATISTICS, &ts, &len) == 0 &&
		    ts.tp_drops)
			__atomic_fetch_add(&ap->kernel_drops, ts.tp_drops, __ATOMIC_RELAXED);
	}
	return __atomic_load_n(&ap->kernel_drops, __ATOMIC_RELAXED);
}

static int
afp_stats(struct sl_port *p, struct sl_port_stats *st)
{
	struct afp_port *ap = p->priv;

	memset(st, 0, sizeof(*st));
	for (uint16_t q = 0; q < p->n_rxq; q++) {
		const struct sl_afp_rx_counters *c = &ap->rxq[q].c.rx;

		st->rx_packets += __atomic_load_n(&c->packets, __ATOMIC_RELAXED);
		st->rx_bytes += __atomic_load_n(&c->bytes, __ATOMIC_RELAXED);
		st->rx_dropped += __atomic_load_n(&c->nombuf, __ATOMIC_RELAXED);
		st->rx_errors += __atomic_load_n(&c->truncated, __ATOMIC_RELAXED);
	}
	st->rx_dropped += afp_kernel_drops(p);
	for (uint16_t q = 0; q < p->n_txq; q++) {
		const struct sl_afp_tx_counters *c = &ap->txq[q].c.tx;

		st->tx_packets += __atomic_load_n(&c->packets, __ATOMIC_RELAXED);
		st->tx_bytes += __atomic_load_n(&c->bytes, __ATOMIC_RELAXED);
		st->tx_errors += __atomic_load_n(&c->oversize, __ATOMIC_RELAXED);
	}
	return 0;
}

static const struct sl_port_ops afpacket_ops = {
	.rx_burst = afp_rx,
	.tx_burst = afp_tx,
	.start = afp_start,
	.stop = afp_stop,
	.close = afp_close,
	.link_up = afp_link_up,
	.stats_get = afp_stats,
};

/* ------------------------------------------------------------------ */
/* Opening.                                                            */

/** What one queue's ring looks like (a struct tpacket_req). */
static struct tpacket_req
ring_shape(uint32_t frame_bytes, uint32_t want_frames)
{
	uint32_t page = (uint32_t)getpagesize(), per_block;
	struct tpacket_req r = {
		.tp_frame_size = RTE_ALIGN_CEIL(frame_bytes, TPACKET_ALIGNMENT),
		.tp_block_size = SL_AFP_BLOCK_SIZE,
	};

	if (r.tp_frame_size > r.tp_block_size)
		r.tp_block_size = RTE_ALIGN_CEIL(r.tp_frame_size, page);
	per_block = r.tp_block_size / r.tp_frame_size;
	r.tp_block_nr = (want_frames + per_block - 1) / per_block;
	r.tp_frame_nr = r.tp_block_nr * per_block;
	return r;
}

/* A TPACKET_V2 socket with one ring (@p ring_opt PACKET_RX_RING or
 * PACKET_TX_RING), mapped and bound to the interface. */
static int
queue_open(struct afp_queue *aq, int ring_opt, struct tpacket_req req, unsigned int ifindex,
	   char *err, size_t errlen)
{
	bool rx = ring_opt == PACKET_RX_RING;
	/* protocol 0: a tx socket receives nothing */
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = rx ? htons(ETH_P_ALL) : 0,
				   .sll_ifindex = (int)ifindex };
	int v2 = TPACKET_V2, one = 1;
	const char *what = "socket(AF_PACKET)";

	aq->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (aq->fd < 0)
		goto fail;
	what = "PACKET_VERSION TPACKET_V2";
	if (setsockopt(aq->fd, SOL_PACKET, PACKET_VERSION, &v2, sizeof(v2)) != 0)
		goto fail;
	what = rx ? "PACKET_IGNORE_OUTGOING" : "PACKET_QDISC_BYPASS";
	if (setsockopt(aq->fd, SOL_PACKET, rx ? PACKET_IGNORE_OUTGOING : PACKET_QDISC_BYPASS,
		       &one, sizeof(one)) != 0)
		goto fail;
	/* with several queues the sockets join a fanout group, which ignores
	 * PACKET_IGNORE_OUTGOING: the filter keeps the host's frames out */
	what = "a filter for the host's own frames (SO_ATTACH_FILTER)";
	if (rx && sl_afp_drop_outgoing(aq->fd) != 0)
		goto fail;
	what = "PACKET_LOSS";
	if (!rx && setsockopt(aq->fd, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) != 0)
		goto fail;
	what = rx ? "PACKET_RX_RING" : "PACKET_TX_RING";
	if (setsockopt(aq->fd, SOL_PACKET, ring_opt, &req, sizeof(req)) != 0)
		goto fail;
	aq->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	what = "mmap of the ring";
	aq->map = mmap(NULL, aq->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       aq->fd, 0);
	if (aq->map == MAP_FAILED)
		goto fail;
	aq->ring.frames = calloc(req.tp_frame_nr, sizeof(*aq->ring.frames));
	what = "memory for the ring's frame table";
	if (aq->ring.frames == NULL)
		goto fail;
	sl_afp_ring_layout(&aq->ring, aq->map, req.tp_block_size, req.tp_block_nr,
			   req.tp_frame_size);
	what = "bind to the interface";
	if (bind(aq->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

/* Join rx queue @p q's socket to the port's fanout group: the first one
 * asks the kernel for an unused group id, the others join it. */
static int
queue_fanout(struct afp_port *ap, uint16_t q, char *err, size_t errlen)
{
	int arg = (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
	socklen_t len = sizeof(arg);

	if (q > 0) {
		if (getsockopt(ap->rxq[0].fd, SOL_PACKET, PACKET_FANOUT, &arg, &len) != 0)
			goto fail;
		arg = (arg & 0xffff) | PACKET_FANOUT_HASH << 16;
	}
	if (setsockopt(ap->rxq[q].fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof(arg)) == 0)
		return 0;
fail:
	snprintf(err, errlen, "rx queue %u: PACKET_FANOUT: %s", q, strerror(errno));
	return -1;
}

/* The interface's index, MTU (set first when the port asks for one) and
 * MAC address; the port's frame limits follow from the MTU. */
static int
iface_setup(struct sl_port *p, int fd, char *err, size_t errlen)
{
	const char *ifname = p->params.args;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (p->params.mtu) {
		ifr.ifr_mtu = p->params.mtu;
		if (if_ioctl(fd, ifname, SIOCSIFMTU, &ifr) != 0) {
			snprintf(err, errlen, "cannot set the MTU of %s to %u: %s", ifname,
				 p->params.mtu, strerror(errno));
			return -1;
		}
	}
	if (if_ioctl(fd, ifname, SIOCGIFMTU, &ifr) != 0) {
		snprintf(err, errlen, "cannot read the MTU of %s: %s", ifname, strerror(errno));
		return -1;
	}
	p->max_frame = sl_port_max_frame((uint32_t)ifr.ifr_mtu);
	p->max_segs = UINT16_MAX; /* frames are copied, any chain will do */
	if (if_ioctl(fd, ifname, SIOCGIFHWADDR, &ifr) == 0 &&
	    ifr.ifr_hwaddr.sa_family == 1 /* ARPHRD_ETHER */)
		memcpy(p->mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

/* The NUMA node of the interface's device (a NIC's), 0 when it has none
 * (veth, tap, bridge) or the host has one node. */
static int
iface_numa_node(const char *ifname)
{
	char path[64 + IF_NAMESIZE];
	int node = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%.*s/device/numa_node", IF_NAMESIZE - 1,
		 ifname);
	f = fopen(path, "r");
	if (f != NULL) {
		if (fscanf(f, "%d", &node) != 1)
			node = -1;
		fclose(f);
	}
	return node >= 0 && node < RTE_MAX_NUMA_NODES ? node : 0;
}

/* Rx queue @p q on a socket another process handed over (already bound
 * and in its fanout group): its ring mapped again, read from where the
 * other process stopped. The queue holds a copy of the descriptor. */
static int
queue_adopt(struct afp_queue *aq, int fd, const struct sl_port_afp_ring_shape *sh, char *err,
	    size_t errlen)
{
	aq->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (aq->fd < 0) {
		snprintf(err, errlen, "dup of a handed-over socket: %s", strerror(errno));
		return -1;
	}
	aq->map_len = (size_t)sh->block_size * sh->block_nr;
	aq->map = mmap(NULL, aq->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		       0);
	if (aq->map == MAP_FAILED) {
		snprintf(err, errlen, "mmap of the handed-over ring: %s", strerror(errno));
		return -1;
	}
	aq->ring.frames = calloc((size_t)sh->block_nr * (sh->block_size / sh->frame_size),
				 sizeof(*aq->ring.frames));
	if (aq->ring.frames == NULL) {
		snprintf(err, errlen, "memory for the ring's frame table");
		return -1;
	}
	sl_afp_ring_layout(&aq->ring, aq->map, sh->block_size, sh->block_nr, sh->frame_size);
	aq->ring.head = sh->head % aq->ring.n_frames;
	return 0;
}

/* Rx queues (fanout when more than one; the handed-over sockets of @p h
 * when not NULL) and one tx queue per worker. */
static int
open_queues(struct sl_port *p, struct afp_port *ap, unsigned int n_workers,
	    const struct sl_port_afp_handover *h, char *err, size_t errlen)
{
	const struct sl_port_params *pp = &p->params;
	int ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct tpacket_req rx, tx;
	int rc;

	if (ctl < 0) {
		snprintf(err, errlen, "socket for interface ioctls: %s", strerror(errno));
		return -1;
	}
	rc = iface_setup(p, ctl, err, errlen);
	close(ctl);
	if (rc != 0)
		return -1;
	rx = ring_shape(SL_AFP_RX_MAC_OFS + p->max_frame, pp->rxd ? pp->rxd : SL_AFP_DEFAULT_RXD);
	tx = ring_shape(SL_AFP_TX_DATA_OFS + p->max_frame, pp->txd ? pp->txd : SL_AFP_DEFAULT_TXD);
	p->n_rxq = pp->n_rxq ? pp->n_rxq : 1;
	p->n_txq = (uint16_t)RTE_MIN(RTE_MAX(n_workers, 1u), (unsigned int)SL_PORT_MAX_QUEUES);
	p->tx_lock_needed = p->n_txq < n_workers;
	if (h != NULL && h->n_rxq != p->n_rxq) {
		snprintf(err, errlen, "%u rx sockets handed over for %u rx queues", h->n_rxq,
			 p->n_rxq);
		return -1;
	}
	for (uint16_t q = 0; h != NULL && q < p->n_rxq; q++) {
		int fd = h->fds[q];

		if (queue_adopt(&ap->rxq[q], fd, &h->rxq[q], err, errlen) != 0)
			return -1;
	}
	for (uint16_t q = 0; h == NULL && q < p->n_rxq; q++)
		if (queue_open(&ap->rxq[q], PACKET_RX_RING, rx, ap->ifindex, err, errlen) != 0 ||
		    (p->n_rxq > 1 && queue_fanout(ap, q, err, errlen) != 0))
			return -1;
	for (uint16_t q = 0; q < p->n_txq; q++)
		if (queue_open(&ap->txq[q], PACKET_TX_RING, tx, ap->ifindex, err, errlen) != 0)
			return -1;
	return 0;
}

static struct sl_port *
afp_open(const struct sl_port_params *params, unsigned int n_workers,
	 struct rte_mempool *const *pools, const struct sl_port_afp_handover *h, char *err,
	 size_t errlen)
{
	struct sl_port *p = rte_zmalloc("sl_port", sizeof(*p), RTE_CACHE_LINE_SIZE);
	struct afp_port *ap;

	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->params = *params;
	p->ops = &afpacket_ops;
	p->port_id = UINT16_MAX;
	p->vid = -1;
	for (unsigned int q = 0; q < SL_PORT_MAX_QUEUES; q++)
		rte_spinlock_init(&p->tx_lock[q]);
	p->priv = ap = rte_zmalloc("sl_afp_port", sizeof(*ap), RTE_CACHE_LINE_SIZE);
	if (ap == NULL) {
		snprintf(err, errlen, "out of memory");
		rte_free(p);
		return NULL;
	}
	for (unsigned int q = 0; q < SL_PORT_MAX_QUEUES; q++)
		ap->rxq[q].fd = ap->txq[q].fd = -1;
	p->socket_id = iface_numa_node(params->args);
	ap->pool = pools[p->socket_id] ? pools[p->socket_id] : pools[0];
	ap->ifindex = if_nametoindex(params->args);
	if (ap->ifindex == 0) {
		snprintf(err, errlen, "no network interface \"%s\": %s", params->args,
			 strerror(errno));
		goto fail;
	}
	if (open_queues(p, ap, n_workers, h, err, errlen) != 0)
		goto fail;
	return p;
fail:
	afp_close(p);
	rte_free(p);
	return NULL;
}

struct sl_port *
sl_port_afpacket_open(const struct sl_port_params *params, unsigned int n_workers,
		      struct rte_mempool *const *pools, char *err, size_t errlen)
{
	return afp_open(params, n_workers, pools, NULL, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Hand-over to another process (sl_port_handover.h).                  */

int
sl_port_afpacket_export(const struct sl_port *p, struct sl_port_afp_handover *h)
{
	const struct afp_port *ap = p->priv;

	if (p->params.type != SL_PORT_AFPACKET || ap == NULL)
		return -1;
	memset(h, 0, sizeof(*h));
	h->n_rxq = p->n_rxq;
	for (uint16_t q = 0; q < p->n_rxq; q++) {
		const struct sl_afp_ring *r = &ap->rxq[q].ring;
		/* the shape ring_shape() gave this queue at open */
		uint32_t bs = r->frame_size > SL_AFP_BLOCK_SIZE
				      ? RTE_ALIGN_CEIL(r->frame_size, (uint32_t)getpagesize())
				      : SL_AFP_BLOCK_SIZE;

		h->rxq[q].frame_size = r->frame_size;
		h->rxq[q].block_size = bs;
		h->rxq[q].block_nr = (uint32_t)(ap->rxq[q].map_len / bs);
		h->rxq[q].head = r->head;
		h->fds[q] = ap->rxq[q].fd;
	}
	return 0;
}

struct sl_port *
sl_port_afpacket_adopt(const struct sl_port_params *params, unsigned int n_workers,
		       struct rte_mempool *const *pools, const struct sl_port_afp_handover *h,
		       char *err, size_t errlen)
{
	return afp_open(params, n_workers, pools, h, err, errlen);
}
