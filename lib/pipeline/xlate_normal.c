/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Translation of output:NORMAL, an L2 MAC-learning switch (OVS xlate_normal,
 * simplified: no bonds, no STP, every port a trunk for every VLAN):
 *  - frames to IEEE reserved multicast (01:80:c2:00:00:0x: STP, LACP,
 *    802.1X...) are dropped, as OVS does unless forward_bpdu is set;
 *  - the source (in_port, vlan, eth_src) is reported for learning when it is
 *    unknown, known on another port, or stale (mac_learning.c explains why
 *    the worker reports and the control lcore learns);
 *  - a unicast destination known on the same VLAN goes to its port (dropped
 *    if that is the ingress port); anything else is flooded, which the
 *    worker does like output:FLOOD (every started port but the ingress one).
 * Mask: in_port, eth_src, eth_dst and the outer VLAN id are what the
 * decision consulted; the MAC table itself is covered by version bumps with
 * MAC records, which a cache checks against those fields (uses_mac,
 * sl_change_log.h).
 */
#include "sl_mac_learning.h"
#include "xlate_private.h"

static bool
reserved_multicast(const uint8_t *mac)
{
	static const uint8_t stp[5] = { 0x01, 0x80, 0xc2, 0x00, 0x00 };

	return memcmp(mac, stp, 5) == 0 && (mac[5] & 0xf0) == 0;
}

static void
report_learn(struct xctx *x, uint32_t in_port, uint16_t vlan)
{
	struct sl_xlate_result *r = x->out;

	if (r->n_learn)
		return; /* one report per translation: the first NORMAL's source */
	r->n_learn = 1;
	r->learn.port = in_port;
	r->learn.vlan = vlan;
	memcpy(r->learn.mac, x->key.eth_src, 6);
}

/* A traced translation is told NORMAL's decision (sl_xlate_trace.h). */
static void __attribute__((cold, noinline))
trace_normal_step(struct xctx *x, uint32_t port, const char *why)
{
	struct sl_xlate_trace_event ev = { .kind = SL_TRACE_NORMAL, .port = port, .why = why };

	xl_trace(x, &ev);
}

static inline void
trace_normal(struct xctx *x, uint32_t port, const char *why)
{
	if (XL_TRACING(x))
		trace_normal_step(x, port, why);
}

void
xl_normal(struct xctx *x)
{
	uint32_t in_port = rte_be_to_cpu_32(x->key.in_port);
	uint16_t vid = rte_be_to_cpu_16(x->key.vlan_vid);
	uint16_t vlan = (vid & OFPVID_PRESENT) ? (vid & 0x0fff) : 0;
	uint32_t out;
	bool stale;

	consult_field(x, OFPXMT_OFB_ETH_DST);
	if (reserved_multicast(x->key.eth_dst)) {
		trace_normal(x, OFPP_ANY, "reserved multicast destination: dropped");
		return;
	}
	consult_field(x, OFPXMT_OFB_IN_PORT);
	consult_field(x, OFPXMT_OFB_VLAN_VID);
	consult_field(x, OFPXMT_OFB_ETH_SRC);
	/* The lookups below read the MAC table with these fields: a cache
	 * checks MAC changes against them (sl_change_log.h), which holds only
	 * if they are the packet's own (an action wrote none of them) and in
	 * the mask (consult_field leaves written bits out). */
	x->out->uses_mac = 1;
	if (xl_key_written(x))
		x->out->key_pure = 0;
	if (!(x->key.eth_src[0] & 1) && in_port != 0 && in_port < OFPP_MAX) {
		out = sl_pipeline_mac_lookup(x->pl, vlan, x->key.eth_src, &stale);
		if (out != in_port || stale)
			report_learn(x, in_port, vlan);
	}
	out = (x->key.eth_dst[0] & 1) ? OFPP_ANY
				       : sl_pipeline_mac_lookup(x->pl, vlan, x->key.eth_dst, NULL);
	if (out != OFPP_ANY && out == in_port) {
		trace_normal(x, OFPP_ANY, "destination learned on the ingress port: dropped");
		return; /* the destination is behind the ingress port */
	}
	trace_normal(x, out == OFPP_ANY ? OFPP_FLOOD : out,
		     out != OFPP_ANY ? "destination learned on that port"
		     : (x->key.eth_dst[0] & 1) ? "multicast destination: flooded"
		     : "destination not learned: flooded");
	struct sl_exec_action *a = emit(x, SL_EXEC_OUTPUT);
	if (a)
		a->output.port = out == OFPP_ANY ? OFPP_FLOOD : out;
}
