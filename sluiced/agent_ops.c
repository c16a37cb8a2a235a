/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The runtime side of sl_agent_dp_ops: ports as OpenFlow sees them, port-mod,
 * packet-in rings, barrier sync. Runs on the control lcore only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ring.h>

#include "agent_ops.h"
#include "openflow.h"
#include "sl_datapath.h"
#include "sl_fastpath.h"
#include "sl_tunnel_md.h"

/* What each port counted in the processes before this one, by number (a
 * hand-over upgrade, sluiced/upgrade/): added to what its device counts,
 * so that OpenFlow's port counters continue. */
static struct {
	uint32_t ofport;
	struct sl_port_stats st;
} counted[SL_MAX_PORTS];
static unsigned int n_counted;

void
sl_agent_ops_note_counted(uint32_t ofport, const struct sl_port_stats *st)
{
	unsigned int i;

	for (i = 0; i < n_counted && counted[i].ofport != ofport; i++)
		;
	if (i == SL_MAX_PORTS)
		return;
	counted[i].st = *st;
	counted[i].ofport = ofport;
	if (i == n_counted)
		__atomic_store_n(&n_counted, i + 1, __ATOMIC_RELEASE);
}

void
sl_agent_ops_port_counted(uint32_t ofport, struct sl_port_stats *st)
{
	unsigned int n = __atomic_load_n(&n_counted, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++) {
		const struct sl_port_stats *b = &counted[i].st;

		if (counted[i].ofport != ofport)
			continue;
		st->rx_packets += b->rx_packets;
		st->rx_bytes += b->rx_bytes;
		st->rx_dropped += b->rx_dropped;
		st->rx_errors += b->rx_errors;
		st->tx_packets += b->tx_packets;
		st->tx_bytes += b->tx_bytes;
		st->tx_dropped += b->tx_dropped;
		st->tx_errors += b->tx_errors;
		return;
	}
}

static unsigned int
op_n_ports(void *ctx)
{
	return ((struct sl_datapath *)ctx)->n_ports;
}

/* Frames the workers dropped on their way out of port @idx, for OpenFlow's
 * tx_dropped (as OVS counts a full queue, an MTU or a refused offload
 * there): the device never saw them, so its own counters miss them. A
 * vhost-user port counts a full guest ring itself, not added again. */
static uint64_t
port_tx_drops(const struct sl_datapath *dp, unsigned int idx, bool counts_ring_full)
{
	static const enum sl_drop_reason tx_reasons[] = {
		SL_DROP_PORT_DOWN, SL_DROP_TX_FULL, SL_DROP_GUEST_RING_FULL, SL_DROP_MTU,
		SL_DROP_RUNT, SL_DROP_SEGMENTS, SL_DROP_TX_PREPARE, SL_DROP_TSO_MALFORMED,
		SL_DROP_GSO_NO_MBUF,
	};
	struct sl_port_acct a;
	uint64_t n = 0;

	memset(&a, 0, sizeof(a));
	for (unsigned int w = 0; w < dp->n_workers; w++)
		sl_acct_add(dp->workers[w], idx, &a);
	for (unsigned int i = 0; i < RTE_DIM(tx_reasons); i++)
		if (!(counts_ring_full && tx_reasons[i] == SL_DROP_GUEST_RING_FULL))
			n += a.drops[tx_reasons[i]];
	return n;
}

static bool
op_port_get(void *ctx, unsigned int idx, struct sl_agent_port *out)
{
	struct sl_datapath *dp = ctx;
	struct sl_port *p = idx < dp->n_ports ? dp->ports[idx] : NULL;
	struct sl_port_stats st;

	if (p == NULL)
		return false;
	memset(out, 0, sizeof(*out));
	out->ofport = p->params.ofport;
	/* ofp_port.name holds 15 characters: longer names are cut, as in OVS */
	snprintf(out->name, sizeof(out->name), "%.15s", p->params.name);
	memcpy(out->hw_addr, p->mac, 6);
	out->config = p->of_config;
	out->state = p->link ? OFPPS_LIVE : OFPPS_LINK_DOWN;
	if (p->params.type == SL_PORT_ETHDEV) {
		struct rte_eth_link link;

		if (rte_eth_link_get_nowait(p->port_id, &link) == 0 &&
		    link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN)
			out->curr_speed = out->max_speed = link.link_speed * 1000;
	}
	if (p->ops->stats_get(p, &st) == 0) {
		sl_agent_ops_port_counted(p->params.ofport, &st); /* before a hand-over */
		out->rx_packets = st.rx_packets;
		out->tx_packets = st.tx_packets;
		out->rx_bytes = st.rx_bytes;
		out->tx_bytes = st.tx_bytes;
		out->rx_dropped = st.rx_dropped;
		out->tx_dropped = st.tx_dropped +
				  port_tx_drops(dp, idx, p->params.type == SL_PORT_VHOST);
		out->rx_errors = st.rx_errors;
		out->tx_errors = st.tx_errors;
	}
	out->created_ns = p->created_ns;
	return true;
}

static int
op_port_by_ofport(void *ctx, uint32_t ofport)
{
	struct sl_datapath *dp = ctx;

	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (dp->ports[i] && dp->ports[i]->params.ofport == ofport)
			return (int)i;
	return -1;
}

static uint64_t
op_port_seq(void *ctx)
{
	return ((struct sl_datapath *)ctx)->port_seq;
}

static int
op_port_mod(void *ctx, uint32_t ofport, uint32_t config, uint32_t mask,
	    uint16_t *err_code)
{
	struct sl_datapath *dp = ctx;
	int idx = op_port_by_ofport(ctx, ofport);
	const uint32_t supported = OFPPC_PORT_DOWN | OFPPC_NO_RECV | OFPPC_NO_FWD |
				   OFPPC_NO_PACKET_IN;

	if (idx < 0) {
		*err_code = OFPPMFC_BAD_PORT;
		return -1;
	}
	if (mask & ~supported) {
		*err_code = OFPPMFC_BAD_CONFIG;
		return -1;
	}
	sl_datapath_port_set_config(dp, (unsigned int)idx, config, mask);
	return 0;
}

static void
op_port_mod_stage(void *ctx, uint32_t ofport, uint32_t config, uint32_t mask,
		  uint64_t version)
{
	int idx = op_port_by_ofport(ctx, ofport);

	if (idx >= 0) /* checked by the agent just before, on this lcore */
		sl_datapath_port_stage_config(ctx, (unsigned int)idx, config, mask, version);
}

static unsigned int
op_port_mods_settle(void *ctx)
{
	return sl_datapath_ports_settle(ctx);
}

/* Nothing to do: every change to the tables bumps the pipeline's own
 * version (lib/pipeline, pl_log_change), which the workers read at the top
 * of each iteration. Keep it that way: anything written here per flow-mod
 * that shares a line with what the workers poll (dp->stop, dp->qsbr)
 * costs the control lcore a cross-core transfer per flow-mod. */
static void
op_tables_changed(void *ctx)
{
	(void)ctx;
}

static void
op_sync(void *ctx)
{
	sl_datapath_sync(ctx);
}

/* opaque of a packet-in whose data is a heap copy (bit 0: malloc'd
 * pointers are aligned), not an mbuf. */
#define PIN_COPY ((uintptr_t)1)

/* A chained packet-in (a jumbo frame) is handed to the agent as one run of
 * bytes: linearised when it fits one mbuf, else copied to the heap (this
 * is the control lcore, not the fast path) and the mbuf freed. Before, a
 * failed linearisation was ignored and the agent sent the first segment
 * only (2048 of 9000 bytes) with total_len 9000 (test_fault_jumbo). */
static void
pin_flatten(struct sl_agent_packet_in *pin, struct rte_mbuf *m)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	const void *bytes;
	uint8_t *copy;

	if (rte_pktmbuf_linearize(m) == 0) {
		pin->data = rte_pktmbuf_mtod(m, const uint8_t *);
		pin->data_len = rte_pktmbuf_data_len(m);
		return;
	}
	copy = malloc(len ? len : 1);
	bytes = copy ? rte_pktmbuf_read(m, 0, len, copy) : NULL;
	if (bytes == NULL) {
		free(copy); /* the first segment, as before: total_len says more */
		return;
	}
	if (bytes != copy)
		memcpy(copy, bytes, len);
	rte_pktmbuf_free(m);
	pin->data = copy;
	pin->data_len = len;
	pin->opaque = (void *)((uintptr_t)copy | PIN_COPY);
}

/* A decapsulated packet's tun_src / tun_dst for its packet-in: its outer
 * source (the decap's metadata in the mbuf, copies included) and its
 * tunnel port's local_ip, as the key had them when it was received. */
static void
pin_tunnel_addrs(const struct sl_datapath *dp, uint32_t in_port, const struct rte_mbuf *m,
		 struct sl_agent_packet_in *pin)
{
	int idx = sl_datapath_port_idx(dp, in_port);
	const struct sl_port *p = idx >= 0 ? dp->ports[idx] : NULL;

	pin->tun_family = 0;
	if (p == NULL || p->params.type != SL_PORT_TUNNEL || sl_tunnel_md.ofs < 0 ||
	    !(m->ol_flags & sl_tunnel_md.rx_flag))
		return;
	const struct sl_tunnel_md *md = RTE_MBUF_DYNFIELD(m, sl_tunnel_md.ofs,
							  const struct sl_tunnel_md *);
	pin->tun_family = p->params.tnl.local.family;
	memcpy(pin->tun_src, md->addr, sizeof(pin->tun_src));
	memcpy(pin->tun_dst, p->params.tnl.local.addr, sizeof(pin->tun_dst));
}

static unsigned int
op_packet_in_poll(void *ctx, struct sl_agent_packet_in *out, unsigned int max)
{
	struct sl_datapath *dp = ctx;
	unsigned int n = 0;

	/* Round-robin over the workers so that one busy worker cannot starve
	 * the packet-ins of the others. */
	for (unsigned int tries = 0; tries < dp->n_workers && n < max; tries++) {
		struct sl_worker *w = dp->workers[dp->pin_next_worker++ % dp->n_workers];
		struct rte_mbuf *m;

		while (n < max && rte_ring_sc_dequeue(w->pin_ring, (void **)&m) == 0) {
			const struct sl_pin_meta *pm = sl_pin_meta(m);
			struct sl_agent_packet_in *pin = &out[n++];

			pin->reason = pm->reason;
			pin->table_id = pm->table_id;
			pin->cookie = pm->cookie;
			pin->in_port = pm->in_port;
			pin->metadata = pm->metadata;
			pin->tunnel_id = pm->tunnel_id;
			pin_tunnel_addrs(dp, pm->in_port, m, pin);
			pin->max_len = pm->max_len;
			pin->total_len = rte_pktmbuf_pkt_len(m);
			pin->data = rte_pktmbuf_mtod(m, const uint8_t *);
			pin->data_len = rte_pktmbuf_data_len(m);
			pin->opaque = m;
			if (!rte_pktmbuf_is_contiguous(m))
				pin_flatten(pin, m);
		}
	}
	return n;
}

static void
op_packet_in_release(void *ctx, struct sl_agent_packet_in *pin)
{
	(void)ctx;
	if ((uintptr_t)pin->opaque & PIN_COPY)
		free((void *)((uintptr_t)pin->opaque & ~PIN_COPY));
	else
		rte_pktmbuf_free(pin->opaque);
	pin->opaque = NULL;
}

static uint64_t
op_packet_in_ring_drops(void *ctx)
{
	struct sl_datapath *dp = ctx;
	uint64_t n = 0;

	for (unsigned int w = 0; w < dp->n_workers; w++) {
		struct sl_worker_stats ws;

		sl_worker_stats_get(dp->workers[w], &ws);
		n += ws.pin_drops;
	}
	return n;
}

static int
op_packet_out(void *ctx, uint32_t in_port, const void *actions,
	      const uint8_t *data, uint32_t len, uint16_t *err_type, uint16_t *err_code)
{
	const struct sl_agent_actions *pa = actions;

	return sl_fastpath_packet_out(ctx, in_port, pa->actions, pa->n_actions, data, len,
				      err_type, err_code);
}

const struct sl_agent_dp_ops sl_agent_ops_datapath = {
	.n_ports = op_n_ports,
	.port_get = op_port_get,
	.port_by_ofport = op_port_by_ofport,
	.port_seq = op_port_seq,
	.port_mod = op_port_mod,
	.port_mod_stage = op_port_mod_stage,
	.port_mods_settle = op_port_mods_settle,
	.tables_changed = op_tables_changed,
	.sync = op_sync,
	.packet_in_poll = op_packet_in_poll,
	.packet_in_release = op_packet_in_release,
	.packet_in_ring_drops = op_packet_in_ring_drops,
	.packet_out = op_packet_out,
};
