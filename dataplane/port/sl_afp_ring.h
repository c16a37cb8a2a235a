/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AFP_RING_H
#define SL_AFP_RING_H

/**
 * @file
 * The frame rings of an af_packet port (port_afpacket.c): a TPACKET_V2
 * PACKET_MMAP rx or tx ring shared with the kernel, read and written here
 * without a system call. Kept apart from the sockets so that the unit test
 * (test/dataplane/port/test_afp_ring.c) runs the same code on a ring it
 * lays out in ordinary memory, playing the kernel's part.
 *
 * Rx. The kernel takes the outer 802.1Q or 802.1ad tag off every frame it
 * receives (__netif_receive_skb_core) and reports it in the frame's header
 * (tp_vlan_tci, and tp_vlan_tpid under TP_STATUS_VLAN_TPID_VALID). The tag
 * is put back in-line with the TPID the kernel reports: DPDK 22.11's
 * net_af_packet puts every one back as 0x8100, so 802.1ad frames left the
 * switch as 802.1Q (issue 25). Frames are copied into mbufs of the worker's
 * pool, chained when longer than one mbuf.
 *
 * Tx. Each packet is copied into a free slot (segment by segment: chained
 * and indirect mbufs alike) and the mbuf freed, which only drops our
 * reference to a shared one; the caller kicks the kernel once per burst.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Where a tx slot's frame starts: right after the aligned tpacket2_hdr
 *  (the kernel's tp_hdrlen - sizeof(struct sockaddr_ll), no PACKET_TX_HAS_OFF). */
#define SL_AFP_TX_DATA_OFS 32u

/** One TPACKET_V2 ring as this process sees it. Frames are laid out in
 *  blocks as the kernel does (frames_per_block frames, then the next block). */
struct sl_afp_ring {
	uint8_t **frames;   /**< each frame slot's address, n_frames of them */
	uint32_t n_frames;  /**< slots in the ring */
	uint32_t frame_size; /**< bytes per slot, header included */
	uint32_t head;      /**< next slot to read (rx) or fill (tx) */
};

/** Counters of one rx ring, written by its one worker. */
struct sl_afp_rx_counters {
	uint64_t packets;   /**< frames handed on in mbufs */
	uint64_t bytes;     /**< their bytes, tags put back included */
	uint64_t nombuf;    /**< frames dropped: the pool had no mbuf for them */
	uint64_t truncated; /**< frames dropped: longer than a slot, or shorter
			     *   than an Ethernet header */
};

/** Counters of one tx ring, written by the worker that owns it. */
struct sl_afp_tx_counters {
	uint64_t packets;   /**< frames queued to the kernel */
	uint64_t bytes;     /**< their bytes */
	uint64_t oversize;  /**< frames dropped: longer than a slot or runts */
};

/**
 * Describe a ring the kernel laid out (or a test did): fills r->frames.
 * @param r          the ring; r->frames must hold n_blocks * frames_per_block
 *                   pointers
 * @param base       the ring's first byte (mmap of the socket, or a buffer)
 * @param block_size bytes per block
 * @param n_blocks   number of blocks
 * @param frame_size bytes per frame slot (block_size / frame_size per block)
 */
void sl_afp_ring_layout(struct sl_afp_ring *r, uint8_t *base, uint32_t block_size,
			uint32_t n_blocks, uint32_t frame_size);

/**
 * Receive up to @p n frames from an rx ring into mbufs of @p mp, each slot
 * given back to the kernel once copied. A frame whose mbufs cannot be
 * allocated is given back and counted (nombuf), so that one frame stuck
 * at the head never blocks the ring.
 * @param r    the rx ring
 * @param mp   the worker's pool
 * @param pkts receives the packets
 * @param n    room in @p pkts
 * @param c    the ring's counters
 * @return the number of packets in @p pkts
 */
uint16_t sl_afp_ring_rx(struct sl_afp_ring *r, struct rte_mempool *mp,
			struct rte_mbuf **pkts, uint16_t n,
			struct sl_afp_rx_counters *c);

/**
 * Copy up to @p n packets into free slots of a tx ring and mark them for
 * the kernel (TP_STATUS_SEND_REQUEST). Each packet taken is freed (a frame
 * that cannot fit a slot is freed too, and counted: oversize). Stops at the
 * first slot the kernel still holds. The caller kicks the socket.
 * @param r    the tx ring
 * @param pkts the packets
 * @param n    number of entries in @p pkts
 * @param c    the ring's counters
 * @return how many packets were taken (the first ones); the caller frees
 *         the rest
 */
uint16_t sl_afp_ring_tx(struct sl_afp_ring *r, struct rte_mbuf **pkts, uint16_t n,
			struct sl_afp_tx_counters *c);

#ifdef __cplusplus
}
#endif
#endif /* SL_AFP_RING_H */
