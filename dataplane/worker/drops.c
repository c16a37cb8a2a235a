/* SPDX-License-Identifier: BSD-3-Clause */
/* Drop reasons' names and meanings (sl_drops.h), as `sluicectl drops`,
 * `show` and telemetry print them; docs/drops.md lists where each is counted. */
#include <string.h>

#include "sl_drops.h"
#include "sl_worker.h"

const struct sl_drop_name sl_drop_names[SL_DROP_ALL] = {
	[SL_DROP_TABLE_MISS] = { "table_miss", "no rule matched and no table-miss rule" },
	[SL_DROP_EXPLICIT] = { "explicit_drop", "the actions output nothing (drop, clear-actions, "
						   "output to the in port)" },
	[SL_DROP_NORMAL] = { "normal_no_dest", "NORMAL: destination behind the ingress port" },
	[SL_DROP_XLATE_ERROR] = { "xlate_error", "translation failed (resubmit depth, limits)" },
	[SL_DROP_FLOOD_NOWHERE] = { "flood_nowhere", "FLOOD/ALL: no port but the ingress one" },
	[SL_DROP_NO_OUTPUT] = { "no_output", "output to LOCAL or a gone port; no cross-connect" },
	[SL_DROP_PORT_CONFIG] = { "port_config", "received on a port with PORT_DOWN or NO_RECV" },
	[SL_DROP_PORT_DOWN] = { "port_down", "out port stopped, PORT_DOWN or NO_FWD" },
	[SL_DROP_TX_FULL] = { "tx_full", "out port's tx queue full" },
	[SL_DROP_GUEST_RING_FULL] = { "guest_ring_full", "vhost-user out port: guest ring full "
							   "or no guest" },
	[SL_DROP_MTU] = { "mtu", "longer than the out port's MTU" },
	[SL_DROP_RUNT] = { "runt", "shorter than an Ethernet header" },
	[SL_DROP_SEGMENTS] = { "segments", "more segments than the out port chains" },
	[SL_DROP_TX_PREPARE] = { "tx_prepare", "offload metadata the out port refused" },
	[SL_DROP_PACKET_IN_RING] = { "packet_in_ring_full", "packet-in: ring to control full" },
	[SL_DROP_NO_PACKET_IN] = { "no_packet_in", "packet-in from a port with NO_PACKET_IN" },
	[SL_DROP_MISS_BUDGET] = { "miss_budget", "new flow over the per-iteration translation "
						 "budget" },
	[SL_DROP_MISS_HANDLER] = { "miss_handler_full", "new flow: ring to the miss handler full" },
	[SL_DROP_RECIRC_DEPTH] = { "recirc_depth", "recirculated more than the depth limit" },
	[SL_DROP_NO_MEMORY] = { "no_memory", "no memory for a translation's actions" },
	[SL_DROP_TSO_MALFORMED] = { "tso_malformed", "TSO or checksum request from a guest that "
						     "cannot be carried out (bad headers)" },
	[SL_DROP_GSO_NO_MBUF] = { "gso_no_mbuf", "no mbuf to segment or checksum an offloaded "
						 "frame" },
	[SL_DROP_NEIGH_RING] = { "neigh_ring_full", "underlay ARP / ND or a packet waiting for its "
						  "next hop: ring to control full" },
	[SL_DROP_TNL_TRUNCATED] = { "tnl_truncated", "VXLAN to a local VTEP, truncated inside "
						     "its outer headers" },
	[SL_DROP_TNL_BAD_OUTER] = { "tnl_bad_outer", "VXLAN to a local VTEP: fragment, bad IPv4 "
						     "checksum or lengths" },
	[SL_DROP_TNL_BAD_FLAGS] = { "tnl_bad_flags", "VXLAN flags other than I alone" },
	[SL_DROP_TNL_UNKNOWN_REMOTE] = { "tnl_unknown_remote", "VXLAN from a remote no tunnel "
							       "port takes" },
	[SL_DROP_TNL_UNKNOWN_VNI] = { "tnl_unknown_vni", "VXLAN with a VNI no tunnel port of that "
							 "remote takes" },
	[SL_DROP_TNL_NO_MBUF] = { "tnl_no_mbuf", "no mbuf for a decap or encap head segment" },
	[SL_DROP_TNL_TOO_BIG] = { "tnl_too_big", "encapsulated, longer than the underlay's MTU" },
	[SL_DROP_TNL_NO_NEIGH] = { "tnl_no_neighbour", "encap with no neighbour table or no "
						       "underlay" },
	[SL_DROP_TNL_NO_REMOTE] = { "tnl_no_remote", "output to a remote_ip = flow port without "
						     "a tun_dst of its family" },
	[SL_DROP_TNL_GENEVE_VERSION] = { "tnl_geneve_version", "Geneve to a local VTEP with a "
							       "version other than 0" },
	[SL_DROP_TNL_GENEVE_PROTO] = { "tnl_geneve_proto", "Geneve carrying other than Ethernet "
							   "(protocol type not 0x6558)" },
	[SL_DROP_TNL_GENEVE_CRITICAL] = { "tnl_geneve_critical", "Geneve with critical options "
								 "(C bit): options are not processed" },
	[SL_DROP_TNL_GENEVE_CONTROL] = { "tnl_geneve_control", "Geneve control packet (O bit): "
							       "never forwarded to a tenant" },
	[SL_DROP_N + SL_DROP_X_TTL] = { "ttl", "IP or MPLS TTL expired (dec_ttl)" },
	[SL_DROP_N + SL_DROP_X_METER] = { "meter", "dropped by a meter band" },
	[SL_DROP_N + SL_DROP_X_COPY] = { "copy_failed", "no mbuf for a copy (pool empty): that "
							"output skipped" },
	[SL_DROP_N + SL_DROP_X_PUSH] = { "push_no_room", "no room and no mbuf to push a header" },
	[SL_DROP_N + SL_DROP_X_PULLUP] = { "pullup_failed", "headers split over segments, no mbuf "
							    "to gather them" },
	[SL_DROP_N + SL_DROP_X_UNCONSUMED] = { "unconsumed", "actions ran but output nothing" },
};

uint64_t
sl_drop_reasons(const struct sl_port_acct *a, uint64_t out[SL_DROP_ALL])
{
	const struct sl_exec_stats *x = &a->exec;
	/* an expiry with the invalid-TTL packet-in asked for is not a drop;
	 * packet-ins read first: the worker counts the expiry first */
	uint64_t ttl_pin = __atomic_load_n(&x->ttl_to_controller, __ATOMIC_RELAXED);
	uint64_t ttl = __atomic_load_n(&x->ttl_drops, __ATOMIC_RELAXED), sum = 0;

	for (unsigned int i = 0; i < SL_DROP_N; i++)
		out[i] = __atomic_load_n(&a->drops[i], __ATOMIC_RELAXED);
	out[SL_DROP_N + SL_DROP_X_TTL] = ttl > ttl_pin ? ttl - ttl_pin : 0;
	out[SL_DROP_N + SL_DROP_X_METER] = __atomic_load_n(&x->meter_drops, __ATOMIC_RELAXED);
	out[SL_DROP_N + SL_DROP_X_COPY] = __atomic_load_n(&x->copy_failures, __ATOMIC_RELAXED);
	out[SL_DROP_N + SL_DROP_X_PUSH] = __atomic_load_n(&x->push_failures, __ATOMIC_RELAXED);
	out[SL_DROP_N + SL_DROP_X_PULLUP] = __atomic_load_n(&x->pullup_failures, __ATOMIC_RELAXED);
	out[SL_DROP_N + SL_DROP_X_UNCONSUMED] = __atomic_load_n(&x->unconsumed, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < SL_DROP_ALL; i++)
		sum += out[i];
	return sum;
}

void
sl_acct_add(const struct sl_worker *w, unsigned int slot, struct sl_port_acct *sum)
{
	const uint64_t *s = (const uint64_t *)&w->acct[slot];
	uint64_t *d = (uint64_t *)sum;

	_Static_assert(sizeof(struct sl_port_acct) % sizeof(uint64_t) == 0, "64-bit counters only");
	for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
		d[i] += __atomic_load_n(&s[i], __ATOMIC_RELAXED);
}

void
sl_acct_balance_add(const struct sl_port_acct *a, struct sl_acct_balance *b)
{
	uint64_t reasons[SL_DROP_ALL];

	b->rx += a->rx;
	b->replicas += sl_acct_replicas(a);
	b->tx += a->tx;
	b->to_controller += a->to_controller;
	b->drops += sl_drop_reasons(a, reasons);
}

void
sl_acct_fold(struct sl_port_acct *into, struct sl_port_acct *from)
{
	uint64_t *d = (uint64_t *)into, *s = (uint64_t *)from;

	/* relaxed stores: readers on other threads see whole counters */
	for (size_t i = 0; i < sizeof(*into) / sizeof(uint64_t); i++) {
		__atomic_store_n(&d[i], d[i] + s[i], __ATOMIC_RELAXED);
		__atomic_store_n(&s[i], 0, __ATOMIC_RELAXED);
	}
}

void
sl_acct_retire(struct sl_worker *w, unsigned int slot)
{
	sl_acct_fold(&w->acct[SL_ACCT_RETIRED], &w->acct[slot]);
}

void
sl_worker_stats_get(const struct sl_worker *w, struct sl_worker_stats *out)
{
	uint64_t r[SL_DROP_N] = { 0 };

	*out = w->stats;
	for (unsigned int slot = 0; slot < SL_ACCT_SLOTS; slot++)
		for (unsigned int i = 0; i < SL_DROP_N; i++)
			r[i] += __atomic_load_n(&w->acct[slot].drops[i], __ATOMIC_RELAXED);
	out->tx_dropped = r[SL_DROP_PORT_DOWN] + r[SL_DROP_TX_FULL] + r[SL_DROP_GUEST_RING_FULL];
	out->no_output = r[SL_DROP_NO_OUTPUT];
	out->pin_drops = r[SL_DROP_PACKET_IN_RING];
	out->port_config_drops = r[SL_DROP_PORT_CONFIG];
	out->mtu_drops = r[SL_DROP_MTU];
	out->runt_drops = r[SL_DROP_RUNT];
	out->seg_drops = r[SL_DROP_SEGMENTS];
	out->tx_prepare_drops = r[SL_DROP_TX_PREPARE];
}
