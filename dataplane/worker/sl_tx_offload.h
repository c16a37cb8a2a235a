/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_TX_OFFLOAD_H
#define SL_TX_OFFLOAD_H

/**
 * @file
 * Offload requests carried by packets, and what a port does with them
 * before its tx burst: pass them on, or segment (rte_gso) and checksum in
 * software. Pure functions on mbufs, tested without a datapath
 * (test/dataplane/worker/test_tx_offload.c).
 *
 * One form inside the switch. A guest on a vhost-user port with `offloads =
 * yes` sends TSO super-frames and frames whose TCP/UDP checksum is left to
 * the device (virtio's NEEDS_CSUM: the checksum field holds the
 * pseudo-header sum, the "partial" checksum). rte_vhost reports them as rx
 * flags (RTE_VHOST_USER_NET_COMPLIANT_OL_FLAGS: RX_LRO, RX_L4_CKSUM_NONE);
 * sl_tx_ol_from_virtio() turns them into the tx requests DPDK's ports
 * understand (TX_TCP_SEG, TX_TCP_CKSUM / TX_UDP_CKSUM, TX_IPV4 / TX_IPV6,
 * tso_segsz), right after the dequeue. From there to the tx burst a
 * request stays on the packet; the executor keeps the partial checksum
 * right when it rewrites addresses (execute_hdr.c). The header lengths
 * (l2_len...) are not trusted: actions may push or pop headers, so
 * sl_tx_ol_prepare() parses the frame again.
 *
 * At the tx burst, per packet with a request (SL_TX_OL_REQ):
 * - the out port takes it (SL_TX_OL_* bits of struct sl_port.tx_ol, e.g. a
 *   guest that negotiated GUEST_TSO4, a NIC with `offloads = yes`): sent as
 *   is, with l2/l3/l4_len set; for a DPDK device (SL_TX_OL_DEV) its headers
 *   put in DPDK's form, in a copy when the frame is shared;
 * - else TSO over IPv4: rte_gso_segment() into segments of the sender's MSS
 *   (header mbufs of our own, indirect mbufs on the payload: the original,
 *   shared or not, is only read), then each segment's IPv4 and TCP
 *   checksums in software;
 * - else TSO over IPv6 (DPDK 22.11's rte_gso has none): our own cutter,
 *   each segment a header mbuf of ours chained to a copy of its payload
 *   (payload length, sequence number, FIN/PSH on the last only, CWR on the
 *   first only, TCP checksum);
 * - else a checksum request: the checksum in software, in place when the
 *   header segment is ours alone (refcnt 1, direct), in a copy otherwise (a
 *   shared frame may go to another port that wants the partial sum);
 * - a request whose headers do not add up (no TCP under TSO, IP lengths
 *   that disagree with the frame, a fragment, an MSS of 0, more segments
 *   than SL_TX_OL_MAX_SEGS), or one this switch cannot carry out (UDP
 *   segmentation, SCTP CRC), is refused: the packet is dropped and the
 *   caller counts it under tso_malformed.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The port takes TCP/UDP checksum requests (partial sums) as they are. */
#define SL_TX_OL_CSUM 1u
/** The port takes TCP/IPv4 TSO super-frames. */
#define SL_TX_OL_TSO4 2u
/** The port takes TCP/IPv6 TSO super-frames. */
#define SL_TX_OL_TSO6 4u

/**
 * The port is a DPDK device (an ethdev with `offloads = yes`): a request
 * passed on is put in DPDK's form first: the IPv4 header checksum left to
 * the device (RTE_MBUF_F_TX_IP_CKSUM), the L4 checksum field holding the
 * pseudo-header sum as rte_ipv4_phdr_cksum() / rte_ipv6_phdr_cksum() make
 * it (without the length under TSO; virtio's partial sum includes it).
 */
#define SL_TX_OL_DEV 8u
/** The ol_flags bits that make a request (any L4 checksum, or segmentation). */
#define SL_TX_OL_REQ (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_L4_MASK)

/** Most segments one TSO frame is cut into (a 64 KiB frame at an MSS of 512). */
#define SL_TX_OL_MAX_SEGS 128

/**
 * Ports opened to accept offload requests from their peer (vhost-user
 * ports with `offloads = yes`), never counted down. While it is 0 no packet
 * carries a request and the tx path does not look for them.
 */
extern uint32_t sl_tx_ol_ports;

/**
 * Whether a packet carries an offload request.
 * @param m the packet
 * @return true if SL_TX_OL_REQ bits are set
 */
static inline bool
sl_tx_ol_requested(const struct rte_mbuf *m)
{
	return (m->ol_flags & SL_TX_OL_REQ) != 0;
}

/**
 * Turn rte_vhost's offload reports (compliant rx flags) on @p n packets
 * just dequeued into tx requests (see the file comment).
 * @param pkts the packets
 * @param n    how many
 */
void sl_tx_ol_from_virtio(struct rte_mbuf **pkts, uint16_t n);

/**
 * Make a packet with an offload request fit for a port that takes
 * @p caps (SL_TX_OL_* bits): pass it on, segment it or checksum it.
 * The packet is consumed in every case.
 * @param m       the packet (sl_tx_ol_requested() true)
 * @param caps    what the out port takes
 * @param pool    where header mbufs, indirect mbufs and copies come from
 * @param out     receives the packets to send, in order
 * @param max_out room in @p out (at least SL_TX_OL_MAX_SEGS for TSO)
 * @return how many packets are in @p out (1 when sent whole), -EINVAL for
 *         a request refused (dropped, count it as tso_malformed), -ENOMEM
 *         when the pool ran out (dropped).
 */
int sl_tx_ol_prepare(struct rte_mbuf *m, uint32_t caps, struct rte_mempool *pool,
		     struct rte_mbuf **out, uint16_t max_out);

/**
 * The longest frame a packet puts on the wire: its length, or for a TSO
 * super-frame passed on whole (l2/l3/l4_len set by sl_tx_ol_prepare()) its
 * headers plus one MSS. The out port's MTU applies to that.
 * @param m the packet
 * @return bytes
 */
static inline uint32_t
sl_tx_ol_wire_len(const struct rte_mbuf *m)
{
	if (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG)
		return (uint32_t)m->l2_len + m->l3_len + m->l4_len + m->tso_segsz;
	return rte_pktmbuf_pkt_len(m);
}

#ifdef __cplusplus
}
#endif
#endif /* SL_TX_OFFLOAD_H */
