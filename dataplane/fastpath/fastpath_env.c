/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The executor's hooks into the worker (struct sl_exec_env): output to
 * OpenFlow ports (reserved ones resolved here), packet-in to the control
 * lcore's ring, meters by id. Recirculation stays in fastpath.c: it goes
 * back through the caches.
 */
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "fastpath_private.h"
#include "sl_meter.h"
#include "sl_tunnel_md.h"
#include "sl_worker_tx.h"

static void
env_output(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m)
{
	struct sl_fastpath *fp = ctx;
	struct sl_datapath *dp = fp->dp;
	int idx;

	if (ofport == OFPP_IN_PORT)
		ofport = in_port;
	if (ofport == OFPP_FLOOD || ofport == OFPP_ALL) {
		int in_idx = sl_datapath_port_idx(dp, in_port);
		uint16_t outs[SL_MAX_PORTS], n = 0;

		for (unsigned int p = 0; p < dp->n_ports; p++)
			if (dp->ports[p] && dp->ports[p]->started && (int)p != in_idx)
				outs[n++] = (uint16_t)p;
		if (n == 0) {
			fp_drop_count(fp, SL_DROP_FLOOD_NOWHERE, 1);
			rte_pktmbuf_free(m);
			return;
		}
		/* Nothing changes the packet after an output: share it (every
		 * segment of a chained one). */
		sl_exec_share(m, (int16_t)(n - 1));
		fp->w->acct[fp->cur_in].replicas += n - 1u;
		for (uint16_t i = 0; i < n; i++)
			sl_worker_output(fp->w, outs[i], m);
		return;
	}
	idx = sl_datapath_port_idx(dp, ofport);
	if (idx < 0) {
		/* LOCAL, NORMAL or a port that is gone. */
		fp_drop_count(fp, SL_DROP_NO_OUTPUT, 1);
		rte_pktmbuf_free(m);
		return;
	}
	sl_worker_output(fp->w, (uint16_t)idx, m);
}

static void
env_packet_in(void *ctx, struct rte_mbuf *m, uint8_t reason, uint8_t table_id,
	      uint64_t cookie, uint16_t max_len, uint32_t in_port, uint64_t metadata,
	      uint64_t tunnel_id)
{
	struct sl_fastpath *fp = ctx;
	struct sl_pin_meta *pm = sl_pin_meta(m);
	int idx = sl_datapath_port_idx(fp->dp, in_port);

	if (idx >= 0 && (sl_port_config(fp->dp->ports[idx], fp->version) & OFPPC_NO_PACKET_IN)) {
		fp_drop_count(fp, SL_DROP_NO_PACKET_IN, 1);
		rte_pktmbuf_free(m);
		return;
	}
	pm->reason = reason;
	pm->table_id = table_id;
	pm->cookie = cookie;
	pm->max_len = max_len;
	pm->in_port = in_port;
	pm->metadata = metadata;
	pm->tunnel_id = tunnel_id;
	if (rte_ring_sp_enqueue(fp->w->pin_ring, m) != 0) {
		fp_drop_count(fp, SL_DROP_PACKET_IN_RING, 1);
		rte_pktmbuf_free(m);
		return;
	}
	fp->w->acct[fp->cur_in].to_controller++;
	sl_ctl_wake_kick(&fp->dp->ctl_wake);
}

static struct sl_meter *
env_meter(void *ctx, uint32_t meter_id)
{
	struct sl_fastpath *fp = ctx;

	return fp->dp->meters ? sl_meter_table_lookup(fp->dp->meters, meter_id) : NULL;
}

void
fp_env_init(struct sl_fastpath *fp,
	    void (*recirc)(void *ctx, struct rte_mbuf *m, uint32_t recirc_id, uint32_t in_port))
{
	struct sl_worker *w = fp->w;

	fp->env = (struct sl_exec_env){ .ctx = fp, .output = env_output,
		.packet_in = env_packet_in, .meter = env_meter, .recirc = recirc,
		.pool = w->dp->pools[w->socket >= 0 && w->socket < SL_MAX_SOCKETS ? w->socket : 0],
		.tnl = &sl_tunnel_md };
	/* the tunnel metadata's place in an mbuf, whether or not a tunnel port
	 * exists yet (one may be added at run time); no room: set_field on
	 * the tunnel fields then changes the key only (reg.ofs stays -1) */
	if (sl_tunnel_md_register() != 0)
		fp->env.tnl = NULL;
	fp_trace_env_init(fp);
}
