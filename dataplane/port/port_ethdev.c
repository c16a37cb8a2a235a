/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethdev ports: PCI NICs and VFs, and every ethdev vdev (net_tap, net_pcap,
 * net_ring, net_memif, net_af_packet, net_null...), probed at run time from
 * the devargs string so that a bad string fails only its own port.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_packet.h>

#include <rte_log.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_errno.h>

#include "sl_afp_filter.h"
#include "sl_log.h"
#include "sl_port.h"
#include "sl_port_offload.h"

#define SL_ETH_DEFAULT_RXD 1024
#define SL_ETH_DEFAULT_TXD 1024
/* p->port_id of a port whose device was let go (eth_detach): no ethdev
 * call may reach another port's device that took its id since. */
#define SL_ETH_NO_PORT UINT16_MAX

static uint16_t
eth_rx(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	return rte_eth_rx_burst(p->port_id, q, pkts, n);
}

static uint16_t
eth_tx(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	return rte_eth_tx_burst(p->port_id, q, pkts, n);
}

/*
 * A switch port takes every frame on its wire, not only those to its own
 * MAC: a NIC filters unicast by its address until set promiscuous (the vdevs
 * over kernel interfaces never filtered, so only a real NIC showed it:
 * test_nic_vf.sh). A VF may not be (its PF decides: `ip link set PF vf N
 * trust on`); it then gets the frames to the MAC its PF gave it, which is
 * what an untrusted VF is for, and says so once.
 */
static void
eth_set_promiscuous(struct sl_port *p)
{
	int rc = rte_eth_promiscuous_enable(p->port_id);

	if (rc == 0)
		return;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: not promiscuous (%s): it "
	       "receives the frames to its own MAC address (a VF: those its PF lets through)",
	       p->params.name, rte_strerror(-rc));
	/* all multicast, where the device lets us: still short of every frame */
	(void)rte_eth_allmulticast_enable(p->port_id);
}

static int
eth_start(struct sl_port *p)
{
	int rc = rte_eth_dev_start(p->port_id);

	if (rc == 0) {
		eth_set_promiscuous(p);
		p->started = true;
	}
	return rc;
}

static void
eth_stop(struct sl_port *p)
{
	if (p->port_id != SL_ETH_NO_PORT)
		rte_eth_dev_stop(p->port_id);
}

#define SL_AFP_MAX_FDS SL_PORT_MAX_QUEUES

/* What a reset needs to set the queues up again; for net_af_packet, the
 * PMD's sockets (see afp_find_sockets). */
struct eth_port {
	struct rte_mempool *pool;
	unsigned int n_workers;
	int afp_fds[SL_AFP_MAX_FDS];
	unsigned int n_afp_fds;
	char afp_ifname[IF_NAMESIZE]; /* the interface, "" if not net_af_packet */
	unsigned int afp_ifindex;      /* its index when the port was opened */
	/* tp_drops read so far from each socket (reading resets them): one
	 * socket per rx queue, in queue order (the PMD opens them so) */
	uint64_t afp_kernel_drops[SL_AFP_MAX_FDS];
	int tap_signal;                /* net_tap's "readable" signal, 0 if none */
	uint64_t tap_nombuf_seen;      /* rx_nombuf at the last upkeep */
};

/*
 * net_tap (DPDK 22.11) reads its queue only after the kernel signals it
 * readable (a real-time signal per frame queued, F_SETSIG), and an rx burst
 * cut short by a failed mbuf allocation takes that signal as handled. The
 * frames left in the tap's queue then wait for the next frame's signal;
 * once the queue is full (txqueuelen) the kernel drops every new frame
 * without signalling, and the port never receives again, however full the
 * pool is by then (test_fault_ports.sh, phase 2). Its upkeep raises the
 * signal on the control lcore after such a failure, and the next burst
 * reads the queue. The PMD installs the handler on the first free
 * real-time signal at probe: it is the one whose handler is in the PMD.
 */
static int
tap_find_signal(void)
{
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
		struct sigaction sa;
		Dl_info di;

		if (sigaction(sig, NULL, &sa) != 0 || (sa.sa_flags & SA_SIGINFO) ||
		    sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)
			continue;
		if (dladdr((void *)(uintptr_t)sa.sa_handler, &di) != 0 && di.dli_fname &&
		    strstr(di.dli_fname, "net_tap") != NULL)
			return sig;
	}
	return 0;
}

static void
eth_upkeep(struct sl_port *p)
{
	struct eth_port *ep = p->priv;
	struct rte_eth_stats s;

	if (ep == NULL || ep->tap_signal == 0 || rte_eth_stats_get(p->port_id, &s) != 0 ||
	    s.rx_nombuf == ep->tap_nombuf_seen)
		return;
	ep->tap_nombuf_seen = s.rx_nombuf;
	pthread_kill(pthread_self(), ep->tap_signal);
}

/*
 * net_af_packet (DPDK 22.11) reports no rx drops: a frame the kernel drops
 * because the PACKET_MMAP rx ring is full (a worker that was descheduled,
 * or slower than the sender) is counted nowhere, so a port lost traffic
 * that no counter showed (test_fault_control.sh: 36k of 200k frames). The
 * kernel counts them per socket (PACKET_STATISTICS tp_drops); the PMD keeps
 * its sockets to itself, so they are found here among our file descriptors:
 * the AF_PACKET sockets bound to the port's interface. Done once at open
 * (the PMD makes its sockets at probe), on the control lcore.
 */
/*
 * What the host sends out of a port's interface goes to the wire, not into
 * the switch (sl_afp_filter.h; issue 25: a frame a test tool did not send
 * arrived where it waited for its own). The PMD puts its sockets in a
 * fanout group at probe, so a filter it is.
 */
static void
afp_ignore_outgoing(const struct sl_port *p, int fd)
{
	if (sl_afp_drop_outgoing(fd) != 0)
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: port %s: cannot filter out the "
		       "host's own frames (%s): what it sends out of the interface enters the "
		       "switch too", p->params.name, strerror(errno));
}

static void
afp_find_sockets(struct sl_port *p, struct eth_port *ep, const struct rte_eth_dev_info *info)
{
	const char *k = strstr(p->params.args, "iface=");
	char ifname[IF_NAMESIZE];
	unsigned int ifindex;
	struct dirent *de;
	DIR *d;

	if (info->driver_name == NULL || strcmp(info->driver_name, "net_af_packet") != 0 || !k)
		return;
	SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: port %s: net_af_packet turns 802.1ad "
	       "(0x88a8) outer tags of received frames into 802.1Q (0x8100); type = afpacket "
	       "keeps them (docs/kernel-ports.md)", p->params.name);
	snprintf(ifname, sizeof(ifname), "%.*s", (int)strcspn(k + 6, ","), k + 6);
	ifindex = if_nametoindex(ifname);
	if (ifindex != 0) {
		memcpy(ep->afp_ifname, ifname, sizeof(ifname));
		ep->afp_ifindex = ifindex;
	}
	d = opendir("/proc/self/fd");
	if (ifindex == 0 || d == NULL) {
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d)) != NULL && ep->n_afp_fds < SL_AFP_MAX_FDS) {
		struct sockaddr_ll sll;
		socklen_t len = sizeof(sll);
		int fd = atoi(de->d_name), dom = 0;
		socklen_t dlen = sizeof(dom);
		struct stat st;

		if (de->d_name[0] < '0' || de->d_name[0] > '9' || fd == dirfd(d) ||
		    fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode) ||
		    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &dlen) != 0 || dom != AF_PACKET ||
		    getsockname(fd, (struct sockaddr *)&sll, &len) != 0 ||
		    (unsigned int)sll.sll_ifindex != ifindex)
			continue;
		ep->afp_fds[ep->n_afp_fds++] = fd;
		afp_ignore_outgoing(p, fd);
	}
	closedir(d);
}

/* Frames the kernel dropped at the af_packet rx rings so far. The read
 * resets the kernel's count, hence the running sum (stats are read from
 * the control lcore and the telemetry thread: atomic). */
static uint64_t
afp_socket_drops(struct eth_port *ep, unsigned int i)
{
	struct tpacket_stats ts;
	socklen_t len = sizeof(ts);

	if (getsockopt(ep->afp_fds[i], SOL_PACKET, PACKET_STATISTICS, &ts, &len) == 0 &&
	    ts.tp_drops)
		__atomic_fetch_add(&ep->afp_kernel_drops[i], ts.tp_drops, __ATOMIC_RELAXED);
	return __atomic_load_n(&ep->afp_kernel_drops[i], __ATOMIC_RELAXED);
}

static uint64_t
afp_kernel_drops(struct eth_port *ep)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; ep != NULL && i < ep->n_afp_fds; i++)
		sum += afp_socket_drops(ep, i);
	return sum;
}

/* A device event, on DPDK's interrupt thread (or inside
 * rte_eth_dev_callback_process): only noted; the control lcore acts on it
 * (sl_datapath_poll_links), away from the workers' bursts. */
static int
eth_event(uint16_t port_id, enum rte_eth_event_type type, void *arg, void *ret)
{
	struct sl_port *p = arg;

	(void)port_id; (void)ret;
	__atomic_fetch_or(&p->events, type == RTE_ETH_EVENT_INTR_RMV ? SL_PORT_EV_REMOVED
								     : SL_PORT_EV_RESET,
			  __ATOMIC_RELEASE);
	return 0;
}

/* Ethdevs that are a port's: devargs naming a device that another port
 * opened (the same vdev name, or PCI address, spelled differently) must
 * not configure it again under it (control lcore only). */
static bool eth_in_use[RTE_MAX_ETHPORTS];

/* Close the port's ethdev and take its device off its bus too, so that
 * the same devargs can be probed again (a port added again, a device
 * back after a removal); the port keeps its settings. */
static void
eth_release(struct sl_port *p)
{
	struct rte_eth_dev_info info;

	if (p->port_id == SL_ETH_NO_PORT)
		return;
	eth_in_use[p->port_id] = false;
	rte_eth_dev_callback_unregister(p->port_id, RTE_ETH_EVENT_INTR_RESET, eth_event, p);
	rte_eth_dev_callback_unregister(p->port_id, RTE_ETH_EVENT_INTR_RMV, eth_event, p);
	if (rte_eth_dev_info_get(p->port_id, &info) != 0)
		info.device = NULL;
	rte_eth_dev_close(p->port_id);
	if (info.device)
		rte_dev_remove(info.device);
	p->port_id = SL_ETH_NO_PORT;
}

static void
eth_close(struct sl_port *p)
{
	eth_release(p);
	rte_free(p->priv);
	p->priv = NULL;
}

/*
 * net_af_packet (DPDK 22.11) says "up" from start to stop, whatever its
 * interface does: a veth whose peer went down, or an interface deleted
 * under the port, stayed LIVE for controllers and fast-failover
 * (test_fault_ports.sh). So the kernel is asked: the interface must still
 * be the one the socket is bound to (same index) and operationally up.
 */
static bool
afp_kernel_link_up(const struct eth_port *ep)
{
	char path[64 + IF_NAMESIZE], buf[32] = "";
	FILE *f;

	if (if_nametoindex(ep->afp_ifname) != ep->afp_ifindex)
		return false; /* gone, or another interface of that name now */
	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", ep->afp_ifname);
	f = fopen(path, "r");
	if (f == NULL)
		return true; /* no sysfs: the PMD's word */
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	/* "unknown": drivers that do not track it (tun, dummy) */
	return strncmp(buf, "up", 2) == 0 || strncmp(buf, "unknown", 7) == 0;
}

static bool
eth_link_up(struct sl_port *p)
{
	const struct eth_port *ep = p->priv;
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(p->port_id, &link) != 0)
		return false;
	if (ep != NULL && ep->afp_ifindex != 0 && !afp_kernel_link_up(ep))
		return false;
	return link.link_status == RTE_ETH_LINK_UP;
}

static int
eth_stats(struct sl_port *p, struct sl_port_stats *st)
{
	struct rte_eth_stats s;
	int rc = rte_eth_stats_get(p->port_id, &s);

	if (rc != 0)
		return rc;
	memset(st, 0, sizeof(*st));
	st->rx_packets = s.ipackets;
	st->rx_bytes = s.ibytes;
	st->rx_dropped = s.imissed + s.rx_nombuf + afp_kernel_drops(p->priv);
	st->rx_errors = s.ierrors;
	st->tx_packets = s.opackets;
	st->tx_bytes = s.obytes;
	st->tx_errors = s.oerrors;
	return 0;
}

/*
 * One rx queue's counters: ethdev's per-queue packets and bytes (the first
 * RTE_ETHDEV_QUEUE_STAT_CNTRS queues; PMDs that keep none leave them 0, so
 * a port whose queues all say 0 while the port received is "not counted").
 * Drops per queue only where they are known to be rx drops of that queue:
 * net_af_packet's sockets (the kernel's tp_drops, one socket per queue).
 * ethdev's q_errors is not used: net_tap and net_af_packet put tx errors
 * there.
 */
static int
eth_rxq_stats(struct sl_port *p, uint16_t q, struct sl_port_rxq_stats *st)
{
	struct eth_port *ep = p->priv;
	struct rte_eth_stats s;
	uint64_t sum = 0;
	int rc;

	if (q >= p->n_rxq || q >= RTE_ETHDEV_QUEUE_STAT_CNTRS)
		return -ENOTSUP;
	rc = rte_eth_stats_get(p->port_id, &s);
	if (rc != 0)
		return rc;
	for (unsigned int i = 0; i < p->n_rxq && i < RTE_ETHDEV_QUEUE_STAT_CNTRS; i++)
		sum += s.q_ipackets[i];
	if (sum == 0 && s.ipackets != 0)
		return -ENOTSUP;
	st->packets = s.q_ipackets[q];
	st->bytes = s.q_ibytes[q];
	st->dropped = ep != NULL && ep->n_afp_fds == p->n_rxq ? afp_socket_drops(ep, q)
							       : UINT64_MAX;
	return 0;
}

static int configure_queues(struct sl_port *p, const struct rte_eth_dev_info *info,
			    unsigned int n_workers, struct rte_mempool *pool,
			    char *err, size_t errlen);

/* rte_eth_dev_reset() stops the device and resets it (a VF re-reads what
 * its PF set up); PMDs without a reset get a stop. Then the queues are set
 * up as at open and the device started. */
static int
eth_reset(struct sl_port *p)
{
	struct eth_port *ep = p->priv;
	struct rte_eth_dev_info info;
	char err[160];
	int rc;

	if (p->port_id == SL_ETH_NO_PORT)
		return -ENODEV;
	rc = rte_eth_dev_reset(p->port_id);
	if (rc == -ENOTSUP)
		rc = rte_eth_dev_stop(p->port_id);
	if (rc == 0)
		rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc == 0 && configure_queues(p, &info, ep->n_workers, ep->pool, err, sizeof(err)) < 0) {
		fprintf(stderr, "sluiced: port %s: %s\n", p->params.name, err);
		rc = -EIO;
	}
	if (rc == 0)
		rc = eth_start(p);
	return rc;
}

static uint16_t
eth_tx_prepare(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	return rte_eth_tx_prepare(p->port_id, q, pkts, n);
}

static void eth_detach(struct sl_port *p);
static int eth_reattach(struct sl_port *p, char *err, size_t errlen);

static const struct sl_port_ops ethdev_ops = {
	.rx_burst = eth_rx,
	.tx_burst = eth_tx,
	.tx_prepare = eth_tx_prepare,
	.reset = eth_reset,
	.start = eth_start,
	.stop = eth_stop,
	.close = eth_close,
	.link_up = eth_link_up,
	.stats_get = eth_stats,
	.rxq_stats_get = eth_rxq_stats,
	.upkeep = eth_upkeep,
	.detach = eth_detach,
	.reattach = eth_reattach,
};

/* What a failed rte_dev_probe() return code means to an operator. */
static const char *
probe_error_hint(int rc)
{
	switch (rc) {
	case -EFAULT: return "no driver matches this device name";
	case -ENODEV: return "no such device";
	case -EINVAL: return "invalid devargs";
	case -ENOMEM: return "out of memory";
	default: return "the driver refused the device";
	}
}

/* The driver's own explanation goes to the DPDK log; catch it while probing
 * so the port's error message carries it (the log lines are still echoed). */
static void
append_driver_log(char *log, size_t len, char *err, size_t errlen)
{
	size_t off = strlen(err);

	if (log == NULL || len == 0)
		return;
	fputs(log, stderr);
	for (char *l = strtok(log, "\n"); l && off + 4 < errlen; l = strtok(NULL, "\n"))
		off += snprintf(err + off, errlen - off, " | %s", l);
}

/* Probe the device named by the devargs (if EAL has not already) and
 * return its first ethdev port. */
static int
probe_devargs(const char *devargs, uint16_t *port_id, char *err, size_t errlen)
{
	struct rte_dev_iterator it;
	char *log = NULL;
	size_t loglen = 0;
	FILE *ms = open_memstream(&log, &loglen);
	uint16_t pid;
	int rc;

	if (ms)
		rte_openlog_stream(ms);
	rc = rte_dev_probe(devargs);
	if (ms) {
		rte_openlog_stream(NULL);
		fclose(ms);
	}
	if (rc < 0 && rc != -EEXIST) {
		snprintf(err, errlen, "cannot probe device \"%s\": %s (%s)", devargs,
			 probe_error_hint(rc), rte_strerror(-rc));
		append_driver_log(log, loglen, err, errlen);
		free(log);
		return rc;
	}
	if (log && loglen)
		fputs(log, stderr);
	free(log);
	RTE_ETH_FOREACH_MATCHING_DEV(pid, devargs, &it) {
		*port_id = pid;
		rte_eth_iterator_cleanup(&it);
		return 0;
	}
	/* A bus takes representor= for any PCI device and a driver without
	 * representors ignores it: the port would silently be the PF itself. */
	if (strstr(devargs, "representor=") != NULL)
		snprintf(err, errlen, "device \"%s\": its driver made no port for that "
			 "representor= (it has no VF representors, or none of that number: "
			 "they need a switchdev NIC such as mlx5, ice or i40e, docs/deploy.md)",
			 devargs);
	else
		snprintf(err, errlen, "device \"%s\" probed but has no ethdev port", devargs);
	return -ENODEV;
}

/* What a frame handed to the device may be: no longer than its MTU allows,
 * no more segments than its descriptors chain (sl_worker_tx.h drops and
 * counts the others: a driver handed either may hang its queue or send
 * garbage, and some NICs then need a reset). */
static void
set_tx_limits(struct sl_port *p, const struct rte_eth_dev_info *info)
{
	uint16_t mtu = RTE_ETHER_MTU;

	if (rte_eth_dev_get_mtu(p->port_id, &mtu) != 0)
		mtu = p->params.mtu ? p->params.mtu : RTE_ETHER_MTU;
	p->max_frame = sl_port_max_frame(mtu);
	p->max_segs = info->tx_desc_lim.nb_seg_max ? info->tx_desc_lim.nb_seg_max : UINT16_MAX;
}

/* `offloads = yes`: which guest requests the device takes as they are
 * (sl_port_offload.h); said once, so that an operator sees what the device
 * does and what stays in software. */
static void
set_tx_ol(struct sl_port *p, const struct rte_eth_dev_info *info, uint64_t enabled)
{
	uint32_t caps = sl_port_tx_ol_caps(enabled, info->driver_name);

	__atomic_store_n(&p->tx_ol, caps, __ATOMIC_RELEASE);
	if (!p->params.offloads)
		return;
	if (caps == 0)
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: port %s: offloads = yes, but %s "
		       "offers no tx checksum "
		       "offload: guests' requests are carried out in software",
		       p->params.name, info->driver_name ? info->driver_name : "the device");
	else
		SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: device tx offloads: checksums%s%s",
		       p->params.name,
		       caps & SL_TX_OL_TSO4 ? ", TSO TCP/IPv4" : "",
		       caps & SL_TX_OL_TSO6 ? ", TSO TCP/IPv6" : "");
}

static int
configure_queues(struct sl_port *p, const struct rte_eth_dev_info *info,
		 unsigned int n_workers, struct rte_mempool *pool,
		 char *err, size_t errlen)
{
	const struct sl_port_params *pp = &p->params;
	struct rte_eth_conf conf;
	uint16_t rxd = pp->rxd ? pp->rxd : SL_ETH_DEFAULT_RXD;
	uint16_t txd = pp->txd ? pp->txd : SL_ETH_DEFAULT_TXD;
	int rc;

	/* Queues asked for that the device does not have are refused, not
	 * quietly capped (only the default tx queues, one per worker, fall
	 * back to fewer shared with a lock). */
	if (pp->n_rxq > info->max_rx_queues || pp->n_txq > info->max_tx_queues) {
		snprintf(err, errlen, "%u rx / %u tx queues asked for, the device has at most %u / %u",
			 pp->n_rxq, pp->n_txq, info->max_rx_queues, info->max_tx_queues);
		return -1;
	}
	p->n_rxq = RTE_MIN(pp->n_rxq ? pp->n_rxq : 1, info->max_rx_queues);
	p->n_txq = RTE_MIN(pp->n_txq ? pp->n_txq : n_workers, info->max_tx_queues);
	p->n_txq = RTE_MIN(p->n_txq, SL_PORT_MAX_QUEUES);
	p->tx_lock_needed = p->n_txq < n_workers;
	memset(&conf, 0, sizeof(conf));
	if (p->n_rxq > 1) {
		/* Spread flows over the rx queues by the 5-tuple where the NIC can. */
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info->flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
	}
	conf.txmode.offloads = sl_port_tx_offloads(info->tx_offload_capa, pp->offloads);
	rc = rte_eth_dev_configure(p->port_id, p->n_rxq, p->n_txq, &conf);
	if (rc == 0 && pp->mtu)
		rc = rte_eth_dev_set_mtu(p->port_id, pp->mtu);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &rxd, &txd);
	for (uint16_t q = 0; rc == 0 && q < p->n_rxq; q++)
		rc = rte_eth_rx_queue_setup(p->port_id, q, rxd, p->socket_id, NULL, pool);
	for (uint16_t q = 0; rc == 0 && q < p->n_txq; q++)
		rc = rte_eth_tx_queue_setup(p->port_id, q, txd, p->socket_id, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot configure %u rx / %u tx queues: %s",
			 p->n_rxq, p->n_txq, rte_strerror(-rc));
		return -1;
	}
	set_tx_limits(p, info);
	set_tx_ol(p, info, conf.txmode.offloads);
	return 0;
}

/* Remember the device's name and bus (sl_port_hotplug.h): the device
 * events name it so, and a PCI device is looked for in sysfs before it is
 * probed again. */
static void
eth_note_device(struct sl_port *p, const struct rte_eth_dev_info *info)
{
	const struct rte_bus *bus = info->device ? rte_dev_bus(info->device) : NULL;

	if (info->device)
		snprintf(p->hp.dev_name, sizeof(p->hp.dev_name), "%s", rte_dev_name(info->device));
	p->hp.pci = bus != NULL && strcmp(rte_bus_name(bus), "pci") == 0;
}

/*
 * Probe the port's device from its devargs and set its queues up (not
 * started): at open, and again when a removed device is back. @pools NULL:
 * the pool it had. 0, or -errno with @err set and the device let go.
 */
static int
eth_attach(struct sl_port *p, struct rte_mempool *const *pools, unsigned int n_workers,
	   char *err, size_t errlen)
{
	struct eth_port *ep;
	struct rte_eth_dev_info info;
	int rc = probe_devargs(p->params.args, &p->port_id, err, errlen);

	if (rc < 0) {
		p->port_id = SL_ETH_NO_PORT;
		return rc;
	}
	if (eth_in_use[p->port_id]) {
		snprintf(err, errlen, "device \"%s\" is already open as another port (ethdev "
			 "%u)", p->params.args, p->port_id);
		p->port_id = SL_ETH_NO_PORT; /* not ours to close */
		return -EBUSY;
	}
	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc != 0) {
		snprintf(err, errlen, "cannot get device info: %s", rte_strerror(-rc));
		goto fail;
	}
	p->socket_id = rte_eth_dev_socket_id(p->port_id);
	if (p->socket_id < 0)
		p->socket_id = 0;
	if (p->priv == NULL)
		p->priv = rte_zmalloc("sl_eth_port", sizeof(struct eth_port), 0);
	if (p->priv == NULL) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	ep = p->priv;
	if (pools)
		ep->pool = pools[p->socket_id] ? pools[p->socket_id] : pools[0];
	ep->n_workers = n_workers;
	if (configure_queues(p, &info, n_workers, ep->pool, err, errlen) < 0) {
		rc = -EIO;
		goto fail;
	}
	eth_note_device(p, &info);
	afp_find_sockets(p, ep, &info);
	if (info.driver_name && strcmp(info.driver_name, "net_tap") == 0)
		ep->tap_signal = tap_find_signal();
	rte_eth_dev_callback_register(p->port_id, RTE_ETH_EVENT_INTR_RESET, eth_event, p);
	rte_eth_dev_callback_register(p->port_id, RTE_ETH_EVENT_INTR_RMV, eth_event, p);
	eth_in_use[p->port_id] = true;
	return 0;
fail:
	eth_release(p);
	return rc;
}

/* The device is gone: let it go (sl_port_ops.detach). What was found of it
 * at probe (net_af_packet's sockets, net_tap's signal) goes with it. */
static void
eth_detach(struct sl_port *p)
{
	struct eth_port *ep = p->priv;

	if (p->port_id != SL_ETH_NO_PORT)
		rte_eth_dev_stop(p->port_id); /* a started ethdev is not closed */
	eth_release(p);
	if (ep == NULL)
		return;
	ep->n_afp_fds = 0;
	ep->afp_ifindex = 0;
	ep->afp_ifname[0] = '\0';
	ep->tap_signal = 0;
}

/* Probe the removed device again (sl_port_ops.reattach). A PCI device is
 * looked for in sysfs first: probing one that is not back, or still bound
 * to the kernel's driver, would only fill the log. */
static int
eth_reattach(struct sl_port *p, char *err, size_t errlen)
{
	struct eth_port *ep = p->priv;
	int rc;

	if (ep == NULL || p->port_id != SL_ETH_NO_PORT) {
		snprintf(err, errlen, "the port still holds its device");
		return -EBUSY;
	}
	if (p->hp.pci) {
		int ready = sl_hotplug_pci_ready("/sys", p->hp.dev_name, err, errlen);

		if (ready <= 0) /* there, not bound yet: -EAGAIN, looked at again soon */
			return ready == 0 ? -EAGAIN : -ENODEV;
	}
	rc = eth_attach(p, NULL, ep->n_workers, err, errlen);
	return rc;
}

struct sl_port *
sl_port_ethdev_open(const struct sl_port_params *params, unsigned int n_workers,
		    struct rte_mempool *const *pools, char *err, size_t errlen)
{
	struct sl_port *p;

	p = rte_zmalloc("sl_port", sizeof(*p), RTE_CACHE_LINE_SIZE);
	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->params = *params;
	p->ops = &ethdev_ops;
	p->vid = -1;
	for (unsigned int q = 0; q < SL_PORT_MAX_QUEUES; q++)
		rte_spinlock_init(&p->tx_lock[q]);
	if (eth_attach(p, pools, n_workers, err, errlen) < 0) {
		eth_close(p);
		rte_free(p);
		return NULL;
	}
	return p;
}
