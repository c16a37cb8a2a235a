/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TPACKET_V2 rx and tx rings of af_packet ports (sl_afp_ring.h): the
 * worker's side of the PACKET_MMAP protocol, no system calls.
 */
#include <string.h>

#include <linux/if_packet.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>

#include "sl_afp_ring.h"

void
sl_afp_ring_layout(struct sl_afp_ring *r, uint8_t *base, uint32_t block_size,
		   uint32_t n_blocks, uint32_t frame_size)
{
	uint32_t per_block = block_size / frame_size, i = 0;

	for (uint32_t b = 0; b < n_blocks; b++)
		for (uint32_t f = 0; f < per_block; f++)
			r->frames[i++] = base + (size_t)b * block_size + (size_t)f * frame_size;
	r->n_frames = i;
	r->frame_size = frame_size;
	r->head = 0;
}

static inline void
ring_advance(struct sl_afp_ring *r)
{
	r->head = r->head + 1 == r->n_frames ? 0 : r->head + 1;
}

/* The slot's status, read before anything else in it: the kernel writes
 * the frame, then the status (smp_wmb), so an acquire load orders them. */
static inline uint32_t
slot_status(const struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

static inline void
slot_release(struct tpacket2_hdr *h, uint32_t status)
{
	__atomic_store_n(&h->tp_status, status, __ATOMIC_RELEASE);
}

/*
 * Append @p len bytes to the chain whose last segment is *tail, taking
 * more segments from @p mp as each fills. -1 when the pool is empty.
 */
static int
chain_put(struct rte_mbuf *head, struct rte_mbuf **tail, struct rte_mempool *mp,
	  const uint8_t *src, uint32_t len)
{
	while (len > 0) {
		struct rte_mbuf *t = *tail;
		uint32_t room = rte_pktmbuf_tailroom(t), part;

		if (room == 0) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

			if (m == NULL)
				return -1;
			m->data_off = 0; /* only the first segment needs headroom */
			/* rte_pktmbuf_chain() would walk the chain again */
			t->next = m;
			head->nb_segs++;
			*tail = t = m;
			room = rte_pktmbuf_tailroom(t);
		}
		part = RTE_MIN(room, len);
		memcpy(rte_pktmbuf_mtod_offset(t, uint8_t *, t->data_len), src, part);
		t->data_len = (uint16_t)(t->data_len + part);
		head->pkt_len += part;
		src += part;
		len -= part;
	}
	return 0;
}

/* One ring frame into a new chain of mbufs, the outer tag the kernel took
 * off put back after the MAC addresses with the TPID it reported. */
static struct rte_mbuf *
frame_to_mbuf(const struct tpacket2_hdr *h, uint32_t status, struct rte_mempool *mp)
{
	const uint8_t *data = (const uint8_t *)h + h->tp_mac;
	uint32_t len = h->tp_snaplen;
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp), *tail = m;
	int rc;

	if (m == NULL)
		return NULL;
	/* tp_vlan_tci != 0 alone: kernels before TP_STATUS_VLAN_VALID (3.0),
	 * as libpcap reads it */
	if ((status & TP_STATUS_VLAN_VALID) || h->tp_vlan_tci != 0) {
		uint16_t tpid = (status & TP_STATUS_VLAN_TPID_VALID) ? h->tp_vlan_tpid
								    : RTE_ETHER_TYPE_VLAN;
		rte_be16_t tag[2] = { rte_cpu_to_be_16(tpid), rte_cpu_to_be_16(h->tp_vlan_tci) };

		rc = chain_put(m, &tail, mp, data, 2 * RTE_ETHER_ADDR_LEN);
		rc |= chain_put(m, &tail, mp, (const uint8_t *)tag, sizeof(tag));
		rc |= chain_put(m, &tail, mp, data + 2 * RTE_ETHER_ADDR_LEN,
				len - 2 * RTE_ETHER_ADDR_LEN);
	} else {
		rc = chain_put(m, &tail, mp, data, len);
	}
	if (rc != 0) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	return m;
}

uint16_t
sl_afp_ring_rx(struct sl_afp_ring *r, struct rte_mempool *mp, struct rte_mbuf **pkts,
	       uint16_t n, struct sl_afp_rx_counters *c)
{
	uint64_t bytes = 0, nombuf = 0, truncated = 0;
	uint16_t nb = 0;

	while (nb < n) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)r->frames[r->head];
		uint32_t status = slot_status(h);
		struct rte_mbuf *m;

		if (!(status & TP_STATUS_USER))
			break;
		/* snaplen < len: the frame did not fit its slot (the interface's
		 * MTU was raised under the port); never hand on half a frame */
		if (h->tp_snaplen < h->tp_len || h->tp_snaplen < RTE_ETHER_HDR_LEN ||
		    h->tp_mac + h->tp_snaplen > r->frame_size) {
			truncated++;
		} else if ((m = frame_to_mbuf(h, status, mp)) == NULL) {
			nombuf++;
		} else {
			bytes += rte_pktmbuf_pkt_len(m);
			pkts[nb++] = m;
		}
		slot_release(h, TP_STATUS_KERNEL);
		ring_advance(r);
	}
	/* one writer: plain stores, made whole for the control lcore's reads */
	if (nb)
		__atomic_store_n(&c->packets, c->packets + nb, __ATOMIC_RELAXED);
	if (bytes)
		__atomic_store_n(&c->bytes, c->bytes + bytes, __ATOMIC_RELAXED);
	if (nombuf)
		__atomic_store_n(&c->nombuf, c->nombuf + nombuf, __ATOMIC_RELAXED);
	if (truncated)
		__atomic_store_n(&c->truncated, c->truncated + truncated, __ATOMIC_RELAXED);
	return nb;
}

/* A packet's bytes, segment by segment, to @p dst. */
static void
mbuf_copy_out(const struct rte_mbuf *m, uint8_t *dst)
{
	for (; m != NULL; m = m->next) {
		memcpy(dst, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len);
		dst += m->data_len;
	}
}

uint16_t
sl_afp_ring_tx(struct sl_afp_ring *r, struct rte_mbuf **pkts, uint16_t n,
	       struct sl_afp_tx_counters *c)
{
	uint32_t room = r->frame_size - SL_AFP_TX_DATA_OFS;
	uint64_t bytes = 0, queued = 0, oversize = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)r->frames[r->head];
		uint32_t len = rte_pktmbuf_pkt_len(pkts[i]);

		/* SEND_REQUEST or SENDING: the kernel has not sent it yet */
		if (slot_status(h) != TP_STATUS_AVAILABLE)
			break;
		if (len > room || len < RTE_ETHER_HDR_LEN) {
			oversize++;
			continue;
		}
		mbuf_copy_out(pkts[i], (uint8_t *)h + SL_AFP_TX_DATA_OFS);
		h->tp_len = len;
		h->tp_snaplen = len;
		slot_release(h, TP_STATUS_SEND_REQUEST);
		ring_advance(r);
		bytes += len;
		queued++;
	}
	if (i)
		rte_pktmbuf_free_bulk(pkts, i);
	if (queued) {
		__atomic_store_n(&c->packets, c->packets + queued, __ATOMIC_RELAXED);
		__atomic_store_n(&c->bytes, c->bytes + bytes, __ATOMIC_RELAXED);
	}
	if (oversize)
		__atomic_store_n(&c->oversize, c->oversize + oversize, __ATOMIC_RELAXED);
	return i;
}
