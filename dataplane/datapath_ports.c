/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports added, removed and changed while the workers forward (sluicectl
 * add-port, del-port, set-port), on the control lcore.
 *
 * Workers reach a port four ways: the rx queue lists they poll (published
 * lists, sl_rxq_balance.h), its number (dp->ofport_map, or a scan of
 * dp->ports), its index in dp->ports (tx buffers, compiled actions handles)
 * and the pointer in dp->ports. An add fills them in that order, before the
 * tables version moves; a remove takes them away in the same order, with a
 * grace period of the workers' QSBR before the slot is emptied (a worker
 * may have read the number's index in the iteration that was running) and
 * one before the port is closed (a worker may be inside a tx burst on it).
 * The tables version moves on both, so every cached decision is made again
 * (fastpath.c keeps a handle only while its output index still names the
 * same port). Nothing here is on the fast path; the other ports' queues stay
 * where they are and lose nothing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_ethdev.h>

#include "sl_datapath.h"
#include "sl_learn.h"
#include "sl_log.h"
#include "sl_mac_learning.h"
#include "sl_pipeline.h"
#include "sl_tunnel_dp.h"

int
sl_datapath_port_find(const struct sl_datapath *dp, const char *name)
{
	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (sl_datapath_slot_used(dp, i) && strcmp(dp->cfg->ports[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Why @pp cannot be added ("" when it can), and the slot it would take:
 * @want when that is free (-1: the lowest free one). */
static int
check_new(const struct sl_datapath *dp, const struct sl_port_params *pp, int want, char *err,
	  size_t errlen)
{
	int slot = dp->n_ports < SL_MAX_PORTS ? (int)dp->n_ports : -1;

	if (dp->pipeline == NULL) {
		snprintf(err, errlen, "a static cross-connect ([xconnect]) has a fixed set of ports");
		return -1;
	}
	if (pp->ofport == 0 || pp->ofport > OFPP_MAX) {
		snprintf(err, errlen, "ofport %u: expected 1 to 0xffffff00", pp->ofport);
		return -1;
	}
	for (unsigned int i = dp->n_ports; i-- > 0;) {
		const struct sl_port_params *o = &dp->cfg->ports[i];

		if (!sl_datapath_slot_used(dp, i)) {
			slot = (int)i; /* the lowest free one */
			continue;
		}
		if (strcmp(o->name, pp->name) == 0)
			snprintf(err, errlen, "port %s exists already (ofport %u)", o->name,
				 o->ofport);
		else if (o->ofport == pp->ofport)
			snprintf(err, errlen, "ofport %u is already used by port %s", pp->ofport,
				 o->name);
		else if (o->type == pp->type && pp->type != SL_PORT_TUNNEL && /* no device */
			 strcmp(o->args, pp->args) == 0)
			snprintf(err, errlen, "%s \"%s\" is already used by port %s",
				 pp->type == SL_PORT_VHOST ? "path" : "devargs", pp->args, o->name);
		else
			continue;
		return -1;
	}
	if (want >= 0 && (want >= SL_MAX_PORTS ||
			  ((unsigned int)want < dp->n_ports && sl_datapath_slot_used(dp, (unsigned int)want))))
		snprintf(err, errlen, "slot %d is taken or out of range", want);
	else if (want >= 0 && sl_rxq_balance_busy(dp))
		snprintf(err, errlen, "rx queues are moving between workers; try again");
	else if (want >= 0)
		return want;
	else if (slot < 0)
		snprintf(err, errlen, "no room for another port (%d at most)", SL_MAX_PORTS);
	else if (sl_rxq_balance_busy(dp))
		snprintf(err, errlen, "rx queues are moving between workers; try again");
	else
		return slot;
	return -1;
}

/* Slot @idx holds @p (NULL: free), described by @pp (NULL: free). */
static void
set_slot(struct sl_datapath *dp, unsigned int idx, struct sl_port *p,
	 const struct sl_port_params *pp)
{
	rte_spinlock_lock(&dp->ports_lock);
	if (pp)
		dp->cfg->ports[idx] = *pp;
	else
		memset(&dp->cfg->ports[idx], 0, sizeof(dp->cfg->ports[idx]));
	dp->cfg->xconnect[idx] = -1;
	__atomic_store_n(&dp->ports[idx], p, __ATOMIC_RELEASE);
	for (unsigned int i = dp->n_ports; i < idx; i++) { /* a hand-over's slot: free ones below */
		memset(&dp->cfg->ports[i], 0, sizeof(dp->cfg->ports[i]));
		dp->cfg->xconnect[i] = -1;
	}
	if (idx >= dp->n_ports) {
		dp->cfg->n_ports = idx + 1;
		__atomic_store_n(&dp->n_ports, idx + 1, __ATOMIC_RELEASE);
	}
	rte_spinlock_unlock(&dp->ports_lock);
}

static void
set_ofport_map(struct sl_datapath *dp, uint32_t ofport, int idx)
{
	if (ofport < SL_OFPORT_MAP)
		__atomic_store_n(&dp->ofport_map[ofport], (int16_t)idx, __ATOMIC_RELEASE);
}

/* Open and start @pp; NULL with @err set on failure (nothing left open). */
static struct sl_port *
open_and_start(struct sl_datapath *dp, const struct sl_port_params *pp, char *err,
	       size_t errlen)
{
	char why[512];
	struct sl_port *p = sl_port_open(pp, dp->n_workers, dp->pools, why, sizeof(why));
	int rc;

	if (p == NULL) {
		snprintf(err, errlen, "port %s: %s", pp->name, why);
		return NULL;
	}
	sl_port_identify(p);
	rc = p->ops->start(p);
	if (rc != 0) {
		snprintf(err, errlen, "port %s: cannot start: %s", pp->name, rte_strerror(-rc));
		sl_port_destroy(p);
		return NULL;
	}
	p->started = true;
	p->link = p->ops->link_up(p);
	return p;
}

/* Tunnel ports that wait for the underlay now in slot @p idx (opened
 * before it, in a hand-over): bound to it and in a decap table before its
 * rx queues are polled, so that its first frames are decapsulated. */
static void
bind_waiting(struct sl_datapath *dp, unsigned int idx)
{
	const char *name = dp->cfg->ports[idx].name;
	unsigned int n = 0;
	char err[256];

	for (unsigned int i = 0; i < dp->n_ports; i++) {
		struct sl_port *t = dp->ports[i];

		if (t == NULL || t->params.type != SL_PORT_TUNNEL || t->ops->link_up(t) ||
		    strcmp(t->params.tnl.underlay, name) != 0)
			continue;
		if (sl_tunnel_port_bind(dp, t, err, sizeof(err)) < 0) {
			SL_LOG(SL_LOG_PORT, SL_LOG_ERR, "sluiced: port %s: not bound to %s: %s",
			       t->params.name, name, err);
			continue;
		}
		t->link = true;
		sl_pipeline_set_port_live(dp->pipeline, t->params.ofport, true);
		n++;
	}
	if (n > 0 && sl_tunnel_port_attach(dp, err, sizeof(err)) < 0)
		SL_LOG(SL_LOG_PORT, SL_LOG_ERR, "sluiced: port %s: its tunnel ports: %s", name, err);
}

/* Publish the started port @p p in free slot @p idx (check_new()): tx
 * queues, slot, rx lists, number, liveness. On failure it is stopped and
 * destroyed. */
static int
publish_port(struct sl_datapath *dp, int idx, struct sl_port *p, const struct sl_port_params *pp,
	     char *err, size_t errlen)
{
	for (unsigned int w = 0; w < dp->n_workers; w++) {
		dp->workers[w]->txq[idx] = (uint16_t)(w % p->n_txq);
		/* a reused slot: its rows start from 0, the totals keep the
		 * deleted port's packets (sl_drops.h) */
		sl_acct_retire(dp->workers[w], (unsigned int)idx);
	}
	set_slot(dp, (unsigned int)idx, p, pp);
	if (pp->type == SL_PORT_ETHDEV || pp->type == SL_PORT_AFPACKET)
		bind_waiting(dp, (unsigned int)idx); /* a no-op but in a hand-over */
	if (sl_rxq_balance_add_port(dp, (unsigned int)idx) < 0) {
		snprintf(err, errlen, "port %s: its %u rx queues do not fit in the workers' lists "
			 "(%d queues each at most)", pp->name, p->n_rxq, SL_WORKER_MAX_RXQ);
		set_slot(dp, (unsigned int)idx, NULL, NULL);
		sl_datapath_sync(dp); /* a flood may have put it in a tx buffer */
		p->ops->stop(p);
		p->started = false;
		sl_port_destroy(p);
		return -1;
	}
	set_ofport_map(dp, pp->ofport, idx);
	sl_pipeline_set_port_live(dp->pipeline, pp->ofport, p->link);
	sl_pipeline_ports_changed(dp->pipeline);
	sl_datapath_sync(dp); /* the lists replaced are spare again */
	dp->port_seq++;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s added: ofport %u, %s \"%s\", "
	       "%u rxq, %u txq, link %s", pp->name, pp->ofport,
	       pp->type == SL_PORT_TUNNEL ? (pp->tnl.proto == SL_TNL_PROTO_GENEVE ? "geneve over"
										  : "vxlan over")
	       : pp->type == SL_PORT_VHOST ? "vhost-user" : "dpdk",
	       pp->type == SL_PORT_TUNNEL ? pp->tnl.underlay : pp->args, p->n_rxq, p->n_txq,
	       p->link ? "up" : "down");
	return idx;
}

int
sl_datapath_port_add(struct sl_datapath *dp, const struct sl_port_params *pp, char *err,
		     size_t errlen)
{
	int idx;
	struct sl_port *p;

	idx = check_new(dp, pp, -1, err, errlen);
	if (idx < 0)
		return -1;
	if (pp->type == SL_PORT_TUNNEL && sl_tunnel_port_check(dp, pp, err, errlen) < 0)
		return -1;
	p = open_and_start(dp, pp, err, errlen);
	if (p == NULL)
		return -1;
	/* a tunnel port is bound before it is published (a worker may send to
	 * it at once) and decapsulated to once it is (tunnel_dp.c) */
	if (pp->type == SL_PORT_TUNNEL) {
		if (sl_tunnel_port_bind(dp, p, err, errlen) < 0) {
			p->ops->stop(p);
			sl_port_destroy(p);
			return -1;
		}
		p->link = p->ops->link_up(p); /* up once bound */
	}
	idx = publish_port(dp, idx, p, pp, err, errlen);
	if (idx >= 0 && pp->type == SL_PORT_TUNNEL && sl_tunnel_port_attach(dp, err, errlen) < 0) {
		char why[256];

		if (sl_datapath_port_del(dp, (unsigned int)idx, why, sizeof(why)) < 0)
			SL_LOG(SL_LOG_PORT, SL_LOG_ERR, "sluiced: port %s: not removed after a "
			       "failed add: %s", pp->name, why);
		return -1;
	}
	return idx;
}

/* A tunnel port handed over: bound before it is published when its
 * underlay is here (as an added one), else published unbound (link down:
 * it neither sends nor receives) until its underlay comes (bind_waiting). */
static int
adopt_tunnel(struct sl_datapath *dp, int idx, struct sl_port *p,
	     const struct sl_port_params *pp, char *err, size_t errlen)
{
	int u = sl_datapath_port_find(dp, pp->tnl.underlay);

	if (u >= 0 && dp->ports[u] != NULL) {
		if (sl_tunnel_port_bind(dp, p, err, errlen) < 0) {
			p->ops->stop(p);
			sl_port_destroy(p);
			return -1;
		}
		p->link = p->ops->link_up(p);
	}
	idx = publish_port(dp, idx, p, pp, err, errlen);
	if (idx >= 0 && p->link && sl_tunnel_port_attach(dp, err, errlen) < 0)
		return -1; /* published: the caller's rollback takes it out */
	return idx;
}

int
sl_datapath_port_adopt(struct sl_datapath *dp, struct sl_port *p, int slot, char *err,
		       size_t errlen)
{
	/* the LOCAL port comes over too: its number is outside add-port's range */
	struct sl_port_params chk = p->params;
	int idx, rc;

	if (chk.ofport == OFPP_LOCAL)
		chk.ofport = OFPP_MAX;
	idx = check_new(dp, &chk, slot, err, errlen);
	if (idx < 0) {
		sl_port_destroy(p);
		return -1;
	}
	sl_port_identify(p);
	rc = p->ops->start(p);
	if (rc != 0) {
		snprintf(err, errlen, "port %s: cannot start: %s", p->params.name,
			 rte_strerror(-rc));
		sl_port_destroy(p);
		return -1;
	}
	p->started = true;
	p->link = p->ops->link_up(p);
	chk = p->params;
	if (chk.type == SL_PORT_TUNNEL)
		return adopt_tunnel(dp, idx, p, &chk, err, errlen);
	return publish_port(dp, idx, p, &chk, err, errlen);
}

/* What NORMAL learned on @ofport goes, with the reports still on their way
 * from the workers (those came from frames received before the port left
 * their lists: the grace period before this is over). */
static void
forget_macs(struct sl_datapath *dp, uint32_t ofport)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sl_learn_run(dp, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
	sl_pipeline_mac_flush(dp->pipeline, ofport);
}

/* Take port @p p out of slot @idx: no worker polls it, sends to it or
 * holds its index when this returns (steps 1 to 5 of docs/port-model.md,
 * "Adding, removing, changing"). */
static void
detach_port(struct sl_datapath *dp, unsigned int idx, struct sl_port *p, uint32_t ofport)
{
	sl_rxq_balance_remove_port(dp, idx);
	set_ofport_map(dp, ofport, -1);
	__atomic_store_n(&p->deleting, true, __ATOMIC_RELEASE);
	__atomic_store_n(&p->started, false, __ATOMIC_RELEASE); /* tx: dropped, counted */
	sl_pipeline_set_port_live(dp->pipeline, ofport, false);
	sl_pipeline_ports_changed(dp->pipeline);
	sl_datapath_sync(dp);
	forget_macs(dp, ofport);
	set_slot(dp, idx, NULL, NULL);
	sl_datapath_sync(dp);
}

int
sl_datapath_port_del(struct sl_datapath *dp, unsigned int idx, char *err, size_t errlen)
{
	struct sl_port *p = dp->ports[idx];
	struct sl_port_params pp = dp->cfg->ports[idx];

	if (dp->pipeline == NULL) {
		snprintf(err, errlen, "a static cross-connect ([xconnect]) has a fixed set of ports");
		return -1;
	}
	if (pp.ofport == OFPP_LOCAL) {
		snprintf(err, errlen, "%s is the LOCAL port, the switch's own ([switch] local_port)",
			 pp.name);
		return -1;
	}
	if (sl_rxq_balance_busy(dp)) {
		snprintf(err, errlen, "rx queues are moving between workers; try again");
		return -1;
	}
	if (sl_tunnel_underlay_user(dp, idx) != NULL) {
		snprintf(err, errlen, "%s is the underlay of vxlan port %s: delete that first",
			 pp.name, sl_tunnel_underlay_user(dp, idx));
		return -1;
	}
	/* no frame decapsulated to it once it goes (a no-op for other ports) */
	if (sl_tunnel_port_unbind(dp, idx, err, errlen) < 0)
		return -1;
	if (p == NULL) { /* it failed to open: nothing reaches it */
		set_slot(dp, idx, NULL, NULL);
		return 0;
	}
	detach_port(dp, idx, p, pp.ofport);
	p->ops->stop(p);
	sl_port_destroy(p);
	dp->port_seq++;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s (ofport %u) deleted", pp.name,
	       pp.ofport);
	return 0;
}

struct sl_port *
sl_datapath_port_detach(struct sl_datapath *dp, unsigned int idx, char *err, size_t errlen)
{
	struct sl_port *p = dp->ports[idx];

	if (dp->pipeline == NULL || p == NULL || sl_rxq_balance_busy(dp)) {
		snprintf(err, errlen, "%s", p == NULL ? "the port failed to open"
					    : dp->pipeline == NULL
						    ? "a static cross-connect has a fixed set of ports"
						    : "rx queues are moving between workers; try again");
		return NULL;
	}
	if (sl_tunnel_port_unbind(dp, idx, err, errlen) < 0)
		return NULL;
	detach_port(dp, idx, p, dp->cfg->ports[idx].ofport);
	dp->port_seq++;
	return p;
}

unsigned int
sl_datapath_ports_settle(struct sl_datapath *dp)
{
	unsigned int changed = 0;

	for (unsigned int i = 0; i < dp->n_ports; i++) {
		struct sl_port *p = dp->ports[i];

		if (p == NULL || p->config_switch == 0)
			continue;
		changed += p->of_config != p->of_config_next;
		p->of_config = p->of_config_next;
		/* release: a worker that reads 0 reads the settled of_config */
		__atomic_store_n(&p->config_switch, 0, __ATOMIC_RELEASE);
	}
	dp->port_seq += changed;
	return changed;
}

void
sl_datapath_port_stage_config(struct sl_datapath *dp, unsigned int idx, uint32_t config,
			      uint32_t mask, uint64_t version)
{
	struct sl_port *p = dp->ports[idx];
	uint32_t base = p->config_switch ? p->of_config_next : p->of_config;

	/* workers below @p version read of_config: next is theirs only after
	 * the release store of the switch */
	p->of_config_next = (base & ~mask) | (config & mask);
	__atomic_store_n(&p->config_switch, version, __ATOMIC_RELEASE);
}

bool
sl_datapath_port_set_config(struct sl_datapath *dp, unsigned int idx, uint32_t config,
			    uint32_t mask)
{
	struct sl_port *p = dp->ports[idx];

	sl_datapath_ports_settle(dp);
	config = (p->of_config & ~mask) | (config & mask);
	if (config == p->of_config)
		return false;
	/* Workers read it once per burst; plain stores are enough: a burst in
	 * flight may still use the old value, as on a NIC. Both words: with no
	 * switch staged, sl_port_config() reads of_config. */
	p->of_config = config;
	p->of_config_next = config;
	dp->port_seq++;
	return true;
}

void
sl_datapath_port_set_down(struct sl_datapath *dp, unsigned int idx, bool down)
{
	const struct sl_port *p = dp->ports[idx];

	if (!sl_datapath_port_set_config(dp, idx, down ? OFPPC_PORT_DOWN : 0, OFPPC_PORT_DOWN))
		return;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: administratively %s (sluicectl)",
	       p->params.name, down ? "down" : "up");
}

int
sl_datapath_port_set_mtu(struct sl_datapath *dp, unsigned int idx, uint16_t mtu, char *err,
			 size_t errlen)
{
	struct sl_port *p = dp->ports[idx];
	uint32_t frame = sl_port_max_frame(mtu), was = p->max_frame;
	int rc;

	if (p->params.type != SL_PORT_ETHDEV) {
		snprintf(err, errlen, "port %s: a vhost-user port's MTU is the guest's (virtio "
			 "negotiates it)", p->params.name);
		return -1;
	}
	/* a smaller MTU applies to the workers first, a larger one last: the
	 * driver is never handed a frame longer than it was told */
	if (frame < was)
		__atomic_store_n(&p->max_frame, frame, __ATOMIC_RELEASE);
	rc = rte_eth_dev_set_mtu(p->port_id, mtu);
	if (rc != 0) {
		__atomic_store_n(&p->max_frame, was, __ATOMIC_RELEASE);
		snprintf(err, errlen, "port %s: the driver refuses MTU %u: %s", p->params.name,
			 mtu, rte_strerror(-rc));
		return -1;
	}
	__atomic_store_n(&p->max_frame, frame, __ATOMIC_RELEASE);
	p->params.mtu = mtu;
	dp->cfg->ports[idx].mtu = mtu;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: port %s: MTU %u (sluicectl)",
	       p->params.name, mtu);
	return 0;
}
