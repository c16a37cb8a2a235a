/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_tunnel_dp.h
 * Tunnel ports in the datapath: the port kind (no device), binding each to
 * its underlay once the ports are open, and the worker's two hooks: decap
 * on an underlay's rx burst, encap when a tunnel port's tx buffer is sent
 * (README.md, docs/tunnels.md).
 */
#ifndef SL_TUNNEL_DP_H
#define SL_TUNNEL_DP_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "sl_flow_key.h"
#include "sl_port.h"
#include "sl_tunnel_md.h"

struct sl_datapath;
struct sl_worker;

/**
 * Open a tunnel port: a port slot with no device, no rx queue and one
 * (unused) tx queue; what it sends goes out of its underlay's queues.
 * @param pp        its parameters (type SL_PORT_TUNNEL)
 * @param n_workers workers (per-worker counters)
 * @param err       out: why not
 * @param errlen    size of @p err
 * @return the port, or NULL (no memory).
 */
struct sl_port *sl_port_tunnel_open(const struct sl_port_params *pp, unsigned int n_workers,
				    char *err, size_t errlen);

/**
 * Bind the open tunnel ports to their underlays (slot, MAC, MTU), build the
 * decap table and tell the neighbour table the local VTEP addresses. On the
 * control lcore, after the ports are open and before the workers run
 * (ports added later: sl_tunnel_port_check, _bind, _attach). A
 * tunnel port whose underlay did not open is left unbound (it neither
 * receives nor sends) and reported.
 * @param dp the datapath
 * @return 0, or -1 when no memory (reported).
 */
int sl_tunnel_datapath_bind(struct sl_datapath *dp);

/**
 * Check a tunnel port to be added while the switch runs against the
 * running switch (what the configuration checks across its ports): its
 * underlay is an open dpdk or afpacket port of the switch, and no other
 * tunnel port would take the same packets. Control lcore.
 * @param dp     the datapath
 * @param pp     the new port's parameters (type SL_PORT_TUNNEL)
 * @param err    out: why not
 * @param errlen size of @p err
 * @return 0 or -1.
 */
int sl_tunnel_port_check(struct sl_datapath *dp, const struct sl_port_params *pp, char *err,
			 size_t errlen);

/**
 * Bind a tunnel port opened while the switch runs to its underlay (outer
 * headers, local VTEP address and fixed remote in the neighbour table),
 * before it is published in its slot. Control lcore.
 * @param dp     the datapath
 * @param p      the open port
 * @param err    out: why not
 * @param errlen size of @p err
 * @return 0 or -1 (nothing bound).
 */
int sl_tunnel_port_bind(struct sl_datapath *dp, struct sl_port *p, char *err, size_t errlen);

/**
 * Publish a decap table of the bound tunnel ports in their slots (after a
 * bound port was published: its frames are decapsulated from now on); the
 * old table is freed after a grace period. Control lcore.
 * @param dp     the datapath
 * @param err    out: why not
 * @param errlen size of @p err
 * @return 0, or -1 when no memory (the old table stays).
 */
int sl_tunnel_port_attach(struct sl_datapath *dp, char *err, size_t errlen);

/**
 * Take tunnel port @p idx out of the decap table (with a grace period),
 * and its addresses out of the neighbour table where no other tunnel port
 * of its underlay uses them, before the port is detached; a port that is
 * no bound tunnel port is left alone. Control lcore.
 * @param dp     the datapath
 * @param idx    the port's slot
 * @param err    out: why not
 * @param errlen size of @p err
 * @return 0, or -1 when no memory (nothing changed).
 */
int sl_tunnel_port_unbind(struct sl_datapath *dp, unsigned int idx, char *err, size_t errlen);

/**
 * A bound tunnel port whose underlay is slot @p idx (that port must go
 * before its underlay).
 * @param dp  the datapath
 * @param idx a port slot
 * @return the tunnel port's name, or NULL when none.
 */
const char *sl_tunnel_underlay_user(const struct sl_datapath *dp, unsigned int idx);

/**
 * Free the decap table (after the workers stopped).
 * @param dp the datapath
 */
void sl_tunnel_datapath_free(struct sl_datapath *dp);

/**
 * Worker, on an underlay port's burst: ARP / ND for a local VTEP to the
 * neighbour code, VXLAN to a local VTEP decapsulated and run through the
 * fast path as packets of their tunnel port, malformed ones dropped under
 * their reasons. What is left (ordinary frames) is compacted at the front.
 * @param w    the worker
 * @param idx  the underlay's slot
 * @param pkts the burst
 * @param n    its size
 * @return how many frames are left for the ordinary path.
 */
uint16_t sl_tunnel_rx(struct sl_worker *w, uint16_t idx, struct rte_mbuf **pkts, uint16_t n);

/**
 * Worker: encapsulate what is buffered for tunnel port @p idx and queue it
 * on the underlay's tx buffer (the outer next hop from the neighbour
 * table; unresolved: parked there). Leaves the tunnel's buffer count.
 * @param w   the worker
 * @param idx the tunnel port's slot
 * @param fwd false: the tunnel port does not forward (PORT_DOWN, NO_FWD)
 */
void sl_tunnel_flush(struct sl_worker *w, uint16_t idx, bool fwd);

/**
 * The tunnel id a packet parsed on port @p p gets in its key: the VNI of a
 * decapsulated packet on a tunnel port (or, parsed again after a
 * recirculation, the one its actions set), else 0.
 * @param p the port it came in on (NULL: none, e.g. a packet-out)
 * @param m the packet
 * @return the tunnel id (host order).
 */
static inline uint64_t
sl_tunnel_pkt_id(const struct sl_port *p, const struct rte_mbuf *m)
{
	if (likely(p == NULL || p->params.type != SL_PORT_TUNNEL) ||
	    !(m->ol_flags & (sl_tunnel_md.rx_flag | sl_tunnel_md.tx_flag)))
		return 0;
	return RTE_MBUF_DYNFIELD(m, sl_tunnel_md.ofs, const struct sl_tunnel_md *)->vni;
}

/**
 * The tunnel addresses of a decapsulated packet's key, after the parse:
 * tun_src the outer source, tun_dst the port's local_ip (IPv4 or IPv6 by
 * the port's family). Nothing for other packets (the parse left them 0),
 * nor for one whose actions set its tunnel metadata before a recirculation
 * (translation restores the key's from the state it froze).
 * @param p the port it came in on (NULL: none)
 * @param m the packet
 * @param k its key
 */
static inline void
sl_tunnel_pkt_addrs(const struct sl_port *p, const struct rte_mbuf *m, struct sl_flow_key *k)
{
	if (likely(p == NULL || p->params.type != SL_PORT_TUNNEL) ||
	    !(m->ol_flags & sl_tunnel_md.rx_flag))
		return;
	const struct sl_tunnel_md *md = RTE_MBUF_DYNFIELD(m, sl_tunnel_md.ofs,
							  const struct sl_tunnel_md *);
	const struct sl_ip_addr *local = &p->params.tnl.local;

	if (local->family == AF_INET6) {
		memcpy(k->tun_ipv6_src, md->addr, 16);
		memcpy(k->tun_ipv6_dst, local->addr, 16);
	} else {
		memcpy(&k->tun_ipv4_src, md->addr, 4);
		memcpy(&k->tun_ipv4_dst, local->addr, 4);
	}
}

#endif /* SL_TUNNEL_DP_H */
