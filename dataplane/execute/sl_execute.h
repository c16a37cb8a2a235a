/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_execute.h
 * The datapath action executor: runs a translated action list (sl_xlate.h) on
 * one packet in a worker's fast path. No syscalls, no locks; the only
 * allocations are packet copies from sl_exec_env.pool.
 *
 * Ownership. sl_execute() owns the mbuf it is given (which must not be
 * shared: reference count 1): it is transmitted, sent to the controller or
 * freed before sl_execute() returns (callbacks take ownership of what they
 * get). An OUTPUT/CONTROLLER that is not the last use
 * of the packet hands over
 *  - the same mbuf with its reference count raised, when no later action
 *    changes the packet (a callee must then treat it as read-only: an mbuf
 *    with rte_mbuf_refcnt_read() > 1 is shared), or
 *  - a deep copy (rte_pktmbuf_copy), when a later action changes it.
 * The last use gets the original. CLONE bodies that change the packet run on
 * a copy; bodies that change nothing (or whose packet nobody looks at after
 * them) run on the original, which saves the copy.
 *
 * Decisions (documented here because callers see them):
 *  - SET_QUEUE stores the queue id in m->hash.sched.queue_id (overwriting the
 *    RSS hash) for a QoS/tx stage; Sluice has no queues yet.
 *  - SET_FIELD on SL_LAYER_META (tunnel_id, tun_src / tun_dst and their IPv6
 *    forms) changes the packet's tunnel metadata, not its bytes: from the
 *    first such set_field on, each output / recirculation hands over the VNI
 *    (tunnel_id's low 32 bits) and the remote (tun_dst or tun_ipv6_dst, the
 *    last one set) in the mbuf's tunnel metadata (sl_tunnel_md.h) for the
 *    encap of a flow-based tunnel port; tun_src changes nothing there (the
 *    outer source is the port's local_ip). It counts as a change of the
 *    packet: an earlier output gets a copy, never a shared mbuf.
 *  - Packet-ins for an expired TTL (reason OFPR_INVALID_TTL) carry max_len
 *    0xffff (OFPCML_NO_BUFFER): the callee applies the switch's
 *    miss_send_len, as OpenFlow says for packet-ins not made by an output.
 *  - Packet-in metadata (in_port, metadata, tunnel_id) is the packet's key as
 *    received: the datapath action list does not carry write-metadata.
 *  - Checksums (IPv4 header, TCP/UDP/ICMPv6 with pseudo-header, ICMPv4) are
 *    updated incrementally (RFC 1624); an IPv4 UDP checksum of 0 stays 0; the
 *    SCTP CRC32c is recomputed (not for fragments); later fragments get no
 *    L4 fix-up (they have no L4 header).
 *  - PUSH_MPLS inserts the label after the Ethernet header and VLAN tags
 *    (OF1.3 / OVS), label/TC 0 and TTL from IP, or a copy of the outer label
 *    without BOS; PUSH_VLAN inserts the tag as the outermost one, copying the
 *    outer tag's PCP and VID (not DEI), else TCI 0.
 *  - Pushes take room from the headroom, else from the first segment's
 *    tailroom (the bytes behind slide), else from a fresh first segment the
 *    headers are pulled up into (exec_pullups); only when the pool is empty
 *    is the packet (copy) dropped (push_failures).
 *  - PUSH_PBB: B-DA/B-SA copy the customer DA/SA, I-PCP the outer VLAN PCP,
 *    I-SID is 0 (as translation assumes; set_field pbb_isid changes it).
 *  - A multi-segment packet keeps its chain: before each modification the
 *    bytes header writers may touch (the innermost header and 64 bytes
 *    behind it) must lie in the first segment, and are pulled up into a
 *    fresh one when they do not (pullups; shared segments are never
 *    written or trimmed). If the pool is empty the packet (copy) is dropped
 *    and counted (pullup_failures).
 *  - Every header access is checked against the first segment: an action
 *    whose header is absent is skipped (bad_layout), one whose bytes lie past
 *    the packet is skipped (truncated).
 *  - At most SL_XLATE_MAX_ACTIONS actions are run; the rest are ignored.
 */
#ifndef SL_EXECUTE_H
#define SL_EXECUTE_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "openflow.h"
#include "sl_flow_parse.h"
#include "sl_tunnel_md.h"
#include "sl_xlate.h"

struct rte_mbuf;
struct rte_mempool;
struct sl_meter;

/** Where the executor sends packets. All callbacks get ownership of the mbuf. */
struct sl_exec_env {
	void *ctx; /**< passed to every callback */
	/** Transmit @p m on OpenFlow port @p ofport (may be a reserved port: IN_PORT, FLOOD, ALL,
	 *  LOCAL, which the callee resolves); @p in_port is the packet's ingress port. */
	void (*output)(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m);
	/** Send @p m to the controller (packet-in) with this metadata. */
	void (*packet_in)(void *ctx, struct rte_mbuf *m, uint8_t reason, uint8_t table_id,
			  uint64_t cookie, uint16_t max_len, uint32_t in_port, uint64_t metadata,
			  uint64_t tunnel_id);
	/** The meter with this id, or NULL (then the meter action is a no-op pass). */
	struct sl_meter *(*meter)(void *ctx, uint32_t meter_id);
	/** RECIRC: parse @p m again with key.recirc_id = @p recirc_id and forward it
	 *  (NULL: drop). */
	void (*recirc)(void *ctx, struct rte_mbuf *m, uint32_t recirc_id, uint32_t in_port);
	struct rte_mempool *pool; /**< for packet copies */
	/** Where the tunnel metadata goes in an mbuf (NULL: set_field on the
	 *  tunnel fields only changes the key, e.g. a test without tunnels). */
	const struct sl_tunnel_md_reg *tnl;
	uint64_t now_ns;          /**< time for meters */
};

/** Counters the executor bumps (per worker; plain increments). */
struct sl_exec_stats {
	uint64_t copies;        /**< deep copies made (rte_pktmbuf_copy) */
	uint64_t copy_failures; /**< copies that failed (pool empty): that use was skipped */
	uint64_t ttl_drops;     /**< packets (copies) stopped by an expired IP/MPLS TTL */
	uint64_t meter_drops;   /**< packets (copies) dropped by a meter band */
	uint64_t truncated;     /**< actions skipped: header bytes past the packet end */
	uint64_t bad_layout;    /**< actions skipped: the header they need is absent */
	uint64_t push_failures; /**< pushes without room and no mbuf for a new first segment: dropped */
	uint64_t pullups;       /**< headers gathered into a fresh first segment (chains, full mbufs) */
	uint64_t pullup_failures; /**< header writes that needed a pull-up and found the pool empty: dropped */
	uint64_t shares;        /**< extra references handed out instead of a copy (sl_exec_share) */
	uint64_t ttl_to_controller; /**< of ttl_drops, those sent to the controller (not dropped) */
	uint64_t unconsumed;    /**< packets (copies) the action list never output: dropped */
};

/**
 * Run @p n actions on @p m (which the executor then owns: it is sent, queued to the controller or freed).
 * @p key: the packet's parsed key (for in_port/metadata/tunnel_id in packet-ins and for push/pop
 * decisions); @p layout: header offsets (the executor keeps its own copy and updates it when pushes/pops
 * move headers, by re-parsing the packet after a push/pop).
 * @param acts    the translated actions
 * @param n       number of entries in @p acts
 * @param m       the packet (reference count 1); owned by the executor from here
 * @param key     the packet's parsed key
 * @param layout  the packet's header offsets
 * @param env     where packets go, the mempool for copies, the time for meters
 * @param st      counters to bump
 */
void sl_execute(const struct sl_exec_action *acts, unsigned int n, struct rte_mbuf *m,
		const struct sl_flow_key *key, const struct sl_pkt_layout *layout,
		const struct sl_exec_env *env, struct sl_exec_stats *st);

/**
 * Share @p m with @p n more users, who will each free it: raise the
 * reference count of every segment, not only the first. rte_pktmbuf_free()
 * drops one reference from each segment, so a chained packet shared through
 * its head alone would lose its later segments to the first free.
 * @param m the packet (may be chained)
 * @param n references to add
 */
static inline void
sl_exec_share(struct rte_mbuf *m, int16_t n)
{
	for (struct rte_mbuf *s = m; s != NULL; s = s->next)
		rte_mbuf_refcnt_update(s, n);
}

/**
 * CRC32c (Castagnoli) of @p len bytes, the standard value (init and final
 * XOR 0xffffffff; "123456789" gives 0xe3069283). SCTP stores it in
 * little-endian byte order (RFC 9260 appendix A). Exposed for tests.
 * @param data  the bytes
 * @param len   number of bytes
 * @return the CRC32c value.
 */
uint32_t sl_exec_crc32c(const void *data, uint32_t len);

#endif /* SL_EXECUTE_H */
