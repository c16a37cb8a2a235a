/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tunnel ports in the datapath (sl_tunnel_dp.h): the port kind, the bind to
 * the underlays, the worker's decap (underlay rx) and encap (tunnel tx
 * buffer) hooks. Accounting (docs/drops.md): a decapsulated frame is rx of
 * its tunnel port, not of the underlay; an encapsulated one is tx of the
 * underlay only; decap drops are charged to the underlay, encap drops to
 * the tunnel port, so the identity adds up over the ports.
 */
#include "sl_tunnel_dp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>

#include "sl_capture.h"
#include "sl_datapath.h"
#include "sl_fastpath.h"
#include "sl_geneve.h"
#include "sl_neigh.h"
#include "sl_tunnel.h"
#include "sl_tunnel_rx_cache.h"
#include "sl_tx_offload.h"
#include "sl_worker.h"
#include "sl_worker_tx.h"

struct sl_tunnel_md_reg sl_tunnel_md = { .ofs = -1 };

/* One worker's counters of a tunnel port, on a line of their own. */
struct tnl_counters {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, tx_dropped;
	uint16_t ip_id; /* IPv4 id of the next frame without DF: ids need only vary */
} __rte_cache_aligned;

struct tnl_priv {
	struct sl_vxlan_encap enc; /* the outer headers (dst MAC per burst) */
	bool bound;                /* its underlay opened: it sends and receives */
	uint16_t underlay;         /* the underlay's slot */
	uint16_t mtu;              /* the underlay's MTU: the outer IP packet's limit */
	unsigned int n_workers;
	struct tnl_counters c[];   /* per worker */
};

/* ------------------------------------------------------- the port kind ---- */

static uint16_t
tnl_rx_burst(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	(void)p; (void)q; (void)pkts; (void)n;
	return 0; /* its frames come from the underlay (sl_tunnel_rx) */
}

static uint16_t
tnl_tx_burst(struct sl_port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	(void)p; (void)q; (void)pkts; (void)n;
	return 0; /* never called: sl_worker_flush_port hands its buffer to sl_tunnel_flush */
}

static int
tnl_start(struct sl_port *p)
{
	(void)p;
	return 0;
}

static void
tnl_stop(struct sl_port *p)
{
	(void)p;
}

static void
tnl_close(struct sl_port *p)
{
	rte_free(p->priv);
	p->priv = NULL;
}

static bool
tnl_link_up(struct sl_port *p)
{
	const struct tnl_priv *t = p->priv;
	return t != NULL && t->bound;
}

static int
tnl_stats_get(struct sl_port *p, struct sl_port_stats *st)
{
	const struct tnl_priv *t = p->priv;

	memset(st, 0, sizeof(*st));
	for (unsigned int w = 0; t != NULL && w < t->n_workers; w++) {
		st->rx_packets += t->c[w].rx_packets;
		st->rx_bytes += t->c[w].rx_bytes;
		st->tx_packets += t->c[w].tx_packets;
		st->tx_bytes += t->c[w].tx_bytes;
		st->tx_dropped += t->c[w].tx_dropped;
	}
	return 0;
}

static const struct sl_port_ops tnl_ops = {
	.rx_burst = tnl_rx_burst,
	.tx_burst = tnl_tx_burst,
	.start = tnl_start,
	.stop = tnl_stop,
	.close = tnl_close,
	.link_up = tnl_link_up,
	.stats_get = tnl_stats_get,
};

struct sl_port *
sl_port_tunnel_open(const struct sl_port_params *pp, unsigned int n_workers, char *err,
		    size_t errlen)
{
	struct sl_port *p;
	struct tnl_priv *t;

	p = rte_zmalloc("sl_port_tunnel", sizeof(*p), RTE_CACHE_LINE_SIZE);
	t = rte_zmalloc("sl_tunnel_priv", sizeof(*t) + n_workers * sizeof(t->c[0]),
			RTE_CACHE_LINE_SIZE);
	if (p == NULL || t == NULL) {
		rte_free(p);
		rte_free(t);
		snprintf(err, errlen, "no memory");
		return NULL;
	}
	t->n_workers = n_workers;
	p->params = *pp;
	p->ops = &tnl_ops;
	p->priv = t;
	p->socket_id = 0;
	p->n_rxq = 0;
	p->n_txq = 1;
	p->max_frame = UINT32_MAX; /* the encap checks the underlay's MTU */
	p->max_segs = UINT16_MAX;
	return p;
}

/* --------------------------------------------------------------- bind ---- */

static int
find_port(const struct sl_datapath *dp, const char *name)
{
	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (dp->ports[i] != NULL && strcmp(dp->ports[i]->params.name, name) == 0)
			return (int)i;
	return -1;
}

/* Tie the open tunnel port @p p to its underlay: the outer headers, the
 * local VTEP address answered for on the underlay, its fixed remote kept
 * resolved. Before the port is in the decap table (build_table), so that
 * a worker never sees it half bound. False with @p err set when the
 * underlay is not an open dpdk or afpacket port. */
static bool
bind_port(struct sl_datapath *dp, struct sl_port *p, char *err, size_t errlen)
{
	const struct sl_tunnel_params *tp = &p->params.tnl;
	struct tnl_priv *t = p->priv;
	int ui = find_port(dp, tp->underlay);
	struct sl_port *u;

	if (t->bound)
		return true;
	if (ui < 0 || (dp->ports[ui]->params.type != SL_PORT_ETHDEV &&
		       dp->ports[ui]->params.type != SL_PORT_AFPACKET)) {
		snprintf(err, errlen, "underlay '%s' is not an open dpdk or afpacket port",
			 tp->underlay);
		return false;
	}
	u = dp->ports[ui];
	t->underlay = (uint16_t)ui;
	t->mtu = (uint16_t)RTE_MIN(u->max_frame > 22 ? u->max_frame - 22 : 1500, 65535u);
	/* a flow-based port's template has remote 0 / VNI 0: the encap
	 * rebuilds it for each packet's (remote, VNI) (flow_template) */
	struct sl_ip_addr remote = tp->remote_flow ? (struct sl_ip_addr){ .family = tp->local.family }
						   : tp->remote;
	if (sl_tnl_encap_init(tp->proto, &t->enc, &tp->local, &remote, tp->key_flow ? 0 : tp->vni,
			      tp->dst_port, tp->ttl, tp->df,
			      (const struct rte_ether_addr *)u->mac) != 0) {
		snprintf(err, errlen, "its outer headers cannot be built from its settings");
		return false;
	}
	if (dp->neigh != NULL) {
		/* -EEXIST: another tunnel port of this underlay has the address */
		sl_neigh_local_add(dp->neigh, (uint16_t)ui, &tp->local,
				   (const struct rte_ether_addr *)u->mac);
		if (!tp->remote_flow)
			sl_neigh_want(dp->neigh, (uint16_t)ui, &tp->remote, true);
	}
	__atomic_store_n(&t->bound, true, __ATOMIC_RELEASE);
	return true;
}

/* A decap table of the bound tunnel ports in their slots, but @skip (-1:
 * none). NULL when no memory. */
static struct sl_tunnel_table *
build_table(const struct sl_datapath *dp, int skip)
{
	struct sl_tunnel_table *tab = rte_zmalloc("sl_tunnel_table", sizeof(*tab),
						  RTE_CACHE_LINE_SIZE);

	for (unsigned int i = 0; tab != NULL && i < dp->n_ports; i++) {
		const struct sl_port *p = dp->ports[i];

		if ((int)i == skip || p == NULL || p->params.type != SL_PORT_TUNNEL ||
		    !((const struct tnl_priv *)p->priv)->bound)
			continue;
		/* SL_TUNNEL_MAX covers every slot: never full */
		sl_tunnel_table_add(tab, &p->params.tnl, (uint16_t)i,
				    ((const struct tnl_priv *)p->priv)->underlay, p->params.ofport);
	}
	return tab;
}

_Static_assert(SL_TUNNEL_MAX >= SL_MAX_PORTS, "a decap table holds every port slot");

/* Replace the workers' decap table with @tab: the old one is freed after a
 * grace period (a worker may be matching a burst against it). */
static void
publish_table(struct sl_datapath *dp, struct sl_tunnel_table *tab)
{
	struct sl_tunnel_table *old = dp->tunnels;

	__atomic_store_n(&dp->tunnels, tab, __ATOMIC_RELEASE);
	if (old != NULL) {
		sl_datapath_sync(dp);
		rte_free(old);
	}
}

int
sl_tunnel_md_register(void)
{
	static const struct rte_mbuf_dynfield md_field = {
		.name = "sl_tunnel_md", .size = sizeof(struct sl_tunnel_md),
		.align = __alignof__(struct sl_tunnel_md),
	};
	static const struct rte_mbuf_dynflag rx = { .name = "sl_tunnel_md_rx" };
	static const struct rte_mbuf_dynflag tx = { .name = "sl_tunnel_md_tx" };
	int ofs = rte_mbuf_dynfield_register(&md_field);
	int rxb = rte_mbuf_dynflag_register(&rx);
	int txb = rte_mbuf_dynflag_register(&tx);

	if (ofs < 0 || rxb < 0 || txb < 0)
		return -1;
	/* the same values on every call: the workers may be reading them */
	sl_tunnel_md.rx_flag = UINT64_C(1) << rxb;
	sl_tunnel_md.tx_flag = UINT64_C(1) << txb;
	__atomic_store_n(&sl_tunnel_md.ofs, ofs, __ATOMIC_RELEASE);
	return 0;
}

int
sl_tunnel_datapath_bind(struct sl_datapath *dp)
{
	struct sl_tunnel_table *tab;
	unsigned int n = 0;
	char why[160];

	for (unsigned int i = 0; i < dp->n_ports; i++)
		n += dp->ports[i] != NULL && dp->ports[i]->params.type == SL_PORT_TUNNEL;
	if (n == 0)
		return 0;
	if (dp->pipeline == NULL) {
		fprintf(stderr, "sluiced: tunnel ports need the OpenFlow pipeline (not [xconnect]): "
			"they neither send nor receive\n");
		return 0;
	}
	if (sl_tunnel_md_register() < 0) {
		fprintf(stderr, "sluiced: tunnel ports: no room for their mbuf field\n");
		return -1;
	}
	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (dp->ports[i] != NULL && dp->ports[i]->params.type == SL_PORT_TUNNEL &&
		    !bind_port(dp, dp->ports[i], why, sizeof(why)))
			fprintf(stderr, "sluiced: port %s: %s: the tunnel neither sends nor "
				"receives\n", dp->ports[i]->params.name, why);
	tab = build_table(dp, -1);
	if (tab == NULL) {
		fprintf(stderr, "sluiced: tunnel ports: no memory for their table\n");
		return -1;
	}
	publish_table(dp, tab);
	return 0;
}

/* ------------------------------------------------------- at run time ---- */

int
sl_tunnel_port_check(struct sl_datapath *dp, const struct sl_port_params *pp, char *err,
		     size_t errlen)
{
	int u = sl_datapath_port_find(dp, pp->tnl.underlay);

	if (u < 0) {
		snprintf(err, errlen, "underlay: '%s' is not a port of this switch",
			 pp->tnl.underlay);
		return -1;
	}
	if (dp->cfg->ports[u].type != SL_PORT_ETHDEV && dp->cfg->ports[u].type != SL_PORT_AFPACKET) {
		snprintf(err, errlen, "underlay: '%s' is a %s port; expected a dpdk or afpacket "
			 "port", pp->tnl.underlay, sl_port_type_name(dp->cfg->ports[u].type));
		return -1;
	}
	if (dp->ports[u] == NULL) {
		snprintf(err, errlen, "underlay: '%s' failed to open", pp->tnl.underlay);
		return -1;
	}
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		const struct sl_port_params *o = &dp->cfg->ports[i];

		if (!sl_datapath_slot_used(dp, i) || o->type != SL_PORT_TUNNEL ||
		    strcmp(o->name, pp->name) == 0)
			continue;
		if (sl_tunnel_params_clash(&o->tnl, &pp->tnl)) {
			snprintf(err, errlen, "port '%s' has the same underlay, local_ip, dst_port, "
				 "remote_ip and key: a packet could not tell them apart", o->name);
			return -1;
		}
		if (sl_tunnel_params_proto_clash(&o->tnl, &pp->tnl)) {
			snprintf(err, errlen, "port '%s' is a %s port on the same underlay, local_ip "
				 "and dst_port: a VTEP speaks one protocol (give this one another "
				 "dst_port)", o->name, sl_tnl_proto_name(o->tnl.proto));
			return -1;
		}
	}
	return 0;
}

int
sl_tunnel_port_bind(struct sl_datapath *dp, struct sl_port *p, char *err, size_t errlen)
{
	if (sl_tunnel_md_register() < 0) {
		snprintf(err, errlen, "no room for the tunnel metadata's mbuf field");
		return -1;
	}
	return bind_port(dp, p, err, errlen) ? 0 : -1;
}

int
sl_tunnel_port_attach(struct sl_datapath *dp, char *err, size_t errlen)
{
	struct sl_tunnel_table *tab = build_table(dp, -1);

	if (tab == NULL) {
		snprintf(err, errlen, "no memory for the decap table");
		return -1;
	}
	publish_table(dp, tab);
	return 0;
}

/* Whether a bound tunnel port other than @skip, on @underlay, has @ip as
 * its local (@local) or fixed remote address. */
static bool
addr_in_use(const struct sl_datapath *dp, unsigned int skip, uint16_t underlay,
	    const struct sl_ip_addr *ip, bool local)
{
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		const struct sl_port *p = dp->ports[i];
		const struct tnl_priv *t;

		if (i == skip || p == NULL || p->params.type != SL_PORT_TUNNEL)
			continue;
		t = p->priv;
		if (!t->bound || t->underlay != underlay)
			continue;
		if (local ? sl_ip_addr_eq(&p->params.tnl.local, ip)
			  : !p->params.tnl.remote_flow && sl_ip_addr_eq(&p->params.tnl.remote, ip))
			return true;
	}
	return false;
}

int
sl_tunnel_port_unbind(struct sl_datapath *dp, unsigned int idx, char *err, size_t errlen)
{
	struct sl_port *p = dp->ports[idx];
	const struct sl_tunnel_params *tp;
	struct sl_tunnel_table *tab;
	struct tnl_priv *t;

	if (p == NULL || p->params.type != SL_PORT_TUNNEL || !((struct tnl_priv *)p->priv)->bound)
		return 0;
	t = p->priv;
	tp = &p->params.tnl;
	tab = build_table(dp, (int)idx);
	if (tab == NULL) {
		snprintf(err, errlen, "no memory for the decap table without it");
		return -1;
	}
	publish_table(dp, tab); /* no decap to it after this grace period */
	if (dp->neigh != NULL) {
		if (!addr_in_use(dp, idx, t->underlay, &tp->local, true))
			sl_neigh_local_del(dp->neigh, t->underlay, &tp->local);
		if (!tp->remote_flow && !addr_in_use(dp, idx, t->underlay, &tp->remote, false))
			sl_neigh_want(dp->neigh, t->underlay, &tp->remote, false);
	}
	/* what a worker still sends to it is dropped (tnl_no_neighbour) */
	__atomic_store_n(&t->bound, false, __ATOMIC_RELEASE);
	return 0;
}

const char *
sl_tunnel_underlay_user(const struct sl_datapath *dp, unsigned int idx)
{
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		const struct sl_port *p = dp->ports[i];

		if (p != NULL && p->params.type == SL_PORT_TUNNEL &&
		    ((const struct tnl_priv *)p->priv)->bound &&
		    ((const struct tnl_priv *)p->priv)->underlay == idx)
			return p->params.name;
	}
	return NULL;
}

void
sl_tunnel_datapath_free(struct sl_datapath *dp)
{
	rte_free(dp->tunnels);
	dp->tunnels = NULL;
}

/* -------------------------------------------------------------- decap ---- */

static const uint8_t verdict_drop[SL_TNL_N] = {
	[SL_TNL_TRUNCATED] = SL_DROP_TNL_TRUNCATED,
	[SL_TNL_BAD_OUTER] = SL_DROP_TNL_BAD_OUTER,
	[SL_TNL_BAD_FLAGS] = SL_DROP_TNL_BAD_FLAGS,
	[SL_TNL_UNKNOWN_REMOTE] = SL_DROP_TNL_UNKNOWN_REMOTE,
	[SL_TNL_UNKNOWN_VNI] = SL_DROP_TNL_UNKNOWN_VNI,
	[SL_TNL_NO_MBUF] = SL_DROP_TNL_NO_MBUF,
	[SL_TNL_TOO_BIG] = SL_DROP_TNL_TOO_BIG,
	[SL_TNL_NO_REMOTE] = SL_DROP_TNL_NO_REMOTE,
	[SL_TNL_NO_NEIGH] = SL_DROP_TNL_NO_NEIGH,
	[SL_TNL_GENEVE_VERSION] = SL_DROP_TNL_GENEVE_VERSION,
	[SL_TNL_GENEVE_PROTO] = SL_DROP_TNL_GENEVE_PROTO,
	[SL_TNL_GENEVE_CRITICAL] = SL_DROP_TNL_GENEVE_CRITICAL,
	[SL_TNL_GENEVE_CONTROL] = SL_DROP_TNL_GENEVE_CONTROL,
};

/* The decapsulated packet's tunnel metadata (sl_tunnel_md.h): its VNI and
 * outer source, for the key. */
static inline void
md_rx(struct rte_mbuf *m, const struct sl_vxlan_outer *o)
{
	struct sl_tunnel_md *md = RTE_MBUF_DYNFIELD(m, sl_tunnel_md.ofs, struct sl_tunnel_md *);

	md->vni = o->vni;
	md->family = o->src.family;
	memcpy(md->addr, o->src.addr, sizeof(md->addr));
	m->ol_flags = (m->ol_flags & ~sl_tunnel_md.tx_flag) | sl_tunnel_md.rx_flag;
}

/* Run the decapsulated frames of one tunnel port, taken out of tp[]/ts[]
 * (the rest compacted); returns how many are left. */
static uint16_t
run_group(struct sl_worker *w, struct rte_mbuf **tp, uint16_t *ts, uint16_t nt)
{
	struct rte_mbuf *g[SL_BURST];
	uint16_t slot = ts[0], ng = 0, k = 0;
	struct sl_port *p = w->dp->ports[slot];
	struct tnl_priv *t = p->priv;
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < nt; i++) {
		if (ts[i] == slot) {
			g[ng++] = tp[i];
			bytes += rte_pktmbuf_pkt_len(tp[i]);
		} else {
			tp[k] = tp[i];
			ts[k++] = ts[i];
		}
	}
	w->acct[slot].rx += ng;
	t->c[w->idx].rx_packets += ng;
	t->c[w->idx].rx_bytes += bytes;
	/* rx of a tunnel port is the decapsulated frame, captured as a port's
	 * rx is: as received, before anything is decided */
	sl_capture_hook(slot, SL_CAPTURE_RX, g, ng);
	if (unlikely(!p->started ||
		     (sl_port_config(p, w->iter_version) & (OFPPC_PORT_DOWN | OFPPC_NO_RECV)))) {
		w->acct[slot].drops[SL_DROP_PORT_CONFIG] += ng; /* the worker's stats fold acct */
		rte_pktmbuf_free_bulk(g, ng);
	} else {
		sl_fastpath_process(w->fp, slot, g, ng);
	}
	return k;
}

uint16_t
sl_tunnel_rx(struct sl_worker *w, uint16_t idx, struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_datapath *dp = w->dp;
	const struct sl_tunnel_table *tab = dp->tunnels;
	struct rte_mempool *pool = dp->pools[w->socket];
	struct sl_tunnel_rx_cache rc; /* the burst's tunnel: its frames skip parse and match */
	struct rte_mbuf *tp[SL_BURST];
	uint16_t ts[SL_BURST], nt = 0, k = 0;

	sl_tunnel_rx_cache_init(&rc);
	for (uint16_t i = 0; i < n; i++) {
		const struct sl_tunnel_entry *e = NULL;
		struct rte_mbuf *m = pkts[i];
		struct sl_vxlan_outer o;
		enum sl_tnl_verdict v;

		/* a UDP datagram is never ARP or ND: only the others go to the
		 * neighbour code, so a VXLAN frame pays one parse at most (none
		 * when it is the burst's tunnel's: sl_tunnel_rx_cache.h) */
		if (sl_tunnel_rx_cached(&rc, tab, idx, m, &o, &e)) {
			v = SL_TNL_OK;
		} else if ((v = sl_vxlan_parse_mbuf(m, &o)) == SL_TNL_OK) {
			v = sl_tunnel_rx_match(tab, idx, &o, &e);
			if (v == SL_TNL_OK)
				sl_tunnel_rx_cache_fill(&rc, tab, idx, m, &o, e);
		} else if (dp->neigh != NULL && sl_neigh_input(dp->neigh, w->idx, idx, m)) {
			continue; /* ARP / ND for a local VTEP: the neighbour code counts it */
		}
		if (v == SL_TNL_NOT_OURS) {
			pkts[k++] = m;
			continue;
		}
		if (v == SL_TNL_OK)
			v = sl_vxlan_strip(&m, &o, pool);
		if (unlikely(v != SL_TNL_OK)) {
			w->acct[idx].drops[verdict_drop[v]]++;
			rte_pktmbuf_free(m);
			continue;
		}
		md_rx(m, &o);
		w->acct[idx].rx--; /* it is the tunnel port's (run_group) */
		tp[nt] = m;
		ts[nt++] = e->slot;
	}
	while (nt > 0)
		nt = run_group(w, tp, ts, nt);
	return k;
}

/* -------------------------------------------------------------- encap ---- */

/* Encapsulate one frame (no offload request left) with the burst's
 * template and queue it on the underlay, or park it, or drop it. */
static void
encap_one(struct sl_worker *w, struct tnl_priv *t, uint16_t idx, const struct sl_vxlan_encap *enc,
	  const struct sl_ip_addr *remote, bool resolved, struct rte_mbuf *m)
{
	struct sl_datapath *dp = w->dp;
	struct tnl_counters *c = &t->c[w->idx];
	uint32_t inner_len = rte_pktmbuf_pkt_len(m); /* the port's tx counts inner frames */
	enum sl_tnl_verdict v;

	v = sl_vxlan_encap(&m, enc, NULL, sl_vxlan_inner_hash(m), c->ip_id++, t->mtu,
			   dp->pools[w->socket]);
	if (unlikely(v != SL_TNL_OK)) {
		w->acct[idx].drops[verdict_drop[v]]++;
		c->tx_dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	c->tx_packets++;
	c->tx_bytes += inner_len;
	if (unlikely(!resolved)) {
		w->acct[idx].to_controller++; /* waits for its next hop on the control lcore */
		sl_neigh_park(dp->neigh, w->idx, t->underlay, remote, m);
		return;
	}
	sl_worker_output(w, t->underlay, m);
}

/* A frame with an offload request (TSO, checksum left to the device: a
 * guest with offloads): the underlay takes no inner offloads (no NIC tunnel
 * offloads are used), so it is segmented and checksummed here, before the
 * encap, as for a port without offloads (sl_tx_ol_prepare); each segment is
 * then encapsulated. Out of line: only guests with offloads send these. */
static void __rte_noinline
encap_offload(struct sl_worker *w, struct tnl_priv *t, uint16_t idx,
	      const struct sl_vxlan_encap *enc, const struct sl_ip_addr *remote, bool resolved,
	      struct rte_mbuf *m)
{
	struct rte_mbuf *segs[SL_TX_OL_MAX_SEGS];
	struct sl_port_acct *a = &w->acct[idx];
	int k = sl_tx_ol_prepare(m, 0, w->dp->pools[w->socket], segs, SL_TX_OL_MAX_SEGS);

	if (k < 0) {
		a->drops[k == -ENOMEM ? SL_DROP_GSO_NO_MBUF : SL_DROP_TSO_MALFORMED]++;
		t->c[w->idx].tx_dropped++;
		return;
	}
	a->replicas += (uint64_t)k - 1; /* the segments beyond the first (docs/drops.md) */
	for (int j = 0; j < k; j++)
		encap_one(w, t, idx, enc, remote, resolved, segs[j]);
}

/* The (remote, VNI) packet @p m goes to on flow-based port @p tp: the
 * metadata its actions set (tx flag), else a decapsulated packet's VNI (rx
 * flag), else none (sl_tunnel_md.h). False: no remote of the port's family. */
static bool
flow_dest(const struct sl_tunnel_params *tp, struct rte_mbuf *m, struct sl_ip_addr *remote,
	  uint32_t *vni)
{
	const struct sl_tunnel_md *md = RTE_MBUF_DYNFIELD(m, sl_tunnel_md.ofs,
							  const struct sl_tunnel_md *);
	uint64_t fl = m->ol_flags & (sl_tunnel_md.rx_flag | sl_tunnel_md.tx_flag);
	uint64_t a[2];

	m->ol_flags &= ~(sl_tunnel_md.rx_flag | sl_tunnel_md.tx_flag); /* ours, not the NIC's */
	/* as OVS: a VNI wider than 24 bits goes out as its low 24 bits */
	*vni = !tp->key_flow ? tp->vni : fl != 0 ? md->vni & SL_VXLAN_VNI_MAX : 0;
	if (!tp->remote_flow) {
		*remote = tp->remote;
		return true;
	}
	if (!(fl & sl_tunnel_md.tx_flag) || md->family != tp->local.family)
		return false;
	remote->family = md->family;
	memcpy(remote->addr, md->addr, sizeof(remote->addr));
	if (md->family == AF_INET)
		memset(remote->addr + 4, 0, sizeof(remote->addr) - 4);
	memcpy(a, remote->addr, sizeof(a));
	return (a[0] | a[1]) != 0;
}

/* The outer headers and next hop of (remote, VNI) on a flow-based port:
 * the port's template (@p enc, a copy of t->enc: VXLAN or Geneve) pointed
 * at them when they differ from the previous packet's, so a burst to one
 * remote pays once and a change costs a patch of the address and VNI, not
 * a rebuild. */
static void
flow_template(struct sl_worker *w, struct tnl_priv *t, const struct sl_ip_addr *remote,
	      uint32_t vni, struct sl_vxlan_encap *enc, bool *resolved)
{
	struct rte_ether_addr mac = { { 0 } }; /* unresolved: 0, as the fixed ports' */

	/* flow_dest gave the port's family and a 24-bit VNI: it cannot fail */
	(void)sl_vxlan_encap_retarget(enc, remote, vni);
	*resolved = sl_neigh_lookup(w->dp->neigh, t->underlay, remote, &mac) == 0;
	memcpy(enc->hdr, &mac, RTE_ETHER_ADDR_LEN);
}

/* The encap of a remote_ip = flow and / or key = flow port: each packet's
 * own (remote, VNI) from its tunnel metadata; an unresolved remote is
 * parked, which asks the neighbour code for it (resolution on demand). */
static void __rte_noinline
flush_flow(struct sl_worker *w, struct tnl_priv *t, uint16_t idx,
	   const struct sl_tunnel_params *tp)
{
	struct sl_txbuf *tb = &w->txbuf[idx];
	struct sl_ip_addr remote, cur = { 0 };
	struct sl_vxlan_encap enc = t->enc; /* retargeted per (remote, VNI) */
	uint32_t vni, cur_vni = 0;
	bool resolved = false, have = false;

	for (uint16_t i = 0; i < tb->n; i++) {
		struct rte_mbuf *m = tb->pkts[i];

		if (unlikely(!flow_dest(tp, m, &remote, &vni))) {
			w->acct[idx].drops[SL_DROP_TNL_NO_REMOTE]++;
			t->c[w->idx].tx_dropped++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (!have || vni != cur_vni || !sl_ip_addr_eq(&remote, &cur)) {
			flow_template(w, t, &remote, vni, &enc, &resolved);
			cur = remote;
			cur_vni = vni;
			have = true;
		}
		if (unlikely(sl_tx_ol_requested(m)))
			encap_offload(w, t, idx, &enc, &cur, resolved, m);
		else
			encap_one(w, t, idx, &enc, &cur, resolved, m);
	}
}

void
sl_tunnel_flush(struct sl_worker *w, uint16_t idx, bool fwd)
{
	struct sl_datapath *dp = w->dp;
	struct sl_txbuf *tb = &w->txbuf[idx];
	struct tnl_priv *t = dp->ports[idx]->priv;
	struct sl_port_acct *a = &w->acct[idx];
	const struct sl_tunnel_params *tp = &dp->ports[idx]->params.tnl;
	struct sl_vxlan_encap enc;
	struct rte_ether_addr mac;
	bool resolved;

	if (unlikely(!fwd || !t->bound || dp->neigh == NULL)) {
		uint8_t why = !fwd ? SL_DROP_PORT_DOWN : SL_DROP_TNL_NO_NEIGH;
		a->drops[why] += tb->n;
		t->c[w->idx].tx_dropped += tb->n;
		rte_pktmbuf_free_bulk(tb->pkts, tb->n);
		return;
	}
	/* tx of a tunnel port: the frames as the encap gets them */
	sl_capture_hook(idx, SL_CAPTURE_TX, tb->pkts, tb->n);
	if (unlikely(tp->remote_flow || tp->key_flow)) {
		flush_flow(w, t, idx, tp);
		return;
	}
	/* the template of (port, next hop) for this burst: the outer headers
	 * with the next hop's MAC, one copy per packet */
	enc = t->enc;
	resolved = sl_neigh_lookup(dp->neigh, t->underlay, &tp->remote, &mac) == 0;
	if (resolved)
		memcpy(enc.hdr, &mac, RTE_ETHER_ADDR_LEN);
	for (uint16_t i = 0; i < tb->n; i++) {
		struct rte_mbuf *m = tb->pkts[i];

		if (unlikely(sl_tx_ol_requested(m)))
			encap_offload(w, t, idx, &enc, &tp->remote, resolved, m);
		else
			encap_one(w, t, idx, &enc, &tp->remote, resolved, m);
	}
}
