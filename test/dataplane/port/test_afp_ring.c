/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The af_packet port's rings (sl_afp_ring.h) on rings laid out in ordinary
 * memory, the test playing the kernel's part: rx puts back the tag the
 * kernel took off with the TPID it reported (0x88a8 stays 0x88a8: issue
 * 25), chains mbufs for long frames, drops and counts truncated frames and
 * frames without an mbuf (leaking none), gives every slot back; tx copies
 * chained, shared and indirect mbufs without touching what others hold,
 * stops at slots the kernel still holds, counts what cannot fit.
 *
 * Runs without hugepages (EAL --no-huge).
 */
#include <stdlib.h>
#include <string.h>

#include <linux/if_packet.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "sl_afp_ring.h"

#define FRAME_SIZE 2048u
#define BLOCK_SIZE 8192u /* 4 frames per block */
#define N_BLOCKS 2u
#define N_FRAMES (N_BLOCKS * BLOCK_SIZE / FRAME_SIZE)
#define MAC_OFS 66u /* where the kernel puts an rx frame's MAC header */

static struct rte_mempool *pool;       /* 2048-byte mbufs */
static struct rte_mempool *small_pool; /* 256-byte mbufs: long frames chain */
static uint8_t *ring_mem;
static uint8_t *ring_frames[N_FRAMES];
static struct sl_afp_ring ring;

static void
ring_reset(void)
{
	memset(ring_mem, 0, N_BLOCKS * BLOCK_SIZE);
	ring.frames = ring_frames;
	sl_afp_ring_layout(&ring, ring_mem, BLOCK_SIZE, N_BLOCKS, FRAME_SIZE);
}

static struct tpacket2_hdr *
slot(uint32_t i)
{
	return (struct tpacket2_hdr *)ring.frames[i];
}

/* The kernel's part: a received frame in slot @i, its outer tag (if
 * @status says so) beside it. */
static void
kernel_rx(uint32_t i, const uint8_t *data, uint32_t len, uint32_t status, uint16_t tci,
	  uint16_t tpid)
{
	struct tpacket2_hdr *h = slot(i);

	h->tp_mac = MAC_OFS;
	h->tp_len = len;
	h->tp_snaplen = len;
	h->tp_vlan_tci = tci;
	h->tp_vlan_tpid = tpid;
	memcpy((uint8_t *)h + MAC_OFS, data, len);
	h->tp_status = TP_STATUS_USER | status;
}

/* A frame of @len bytes: MAC addresses, ethertype 0x0800, a byte pattern. */
static void
frame_bytes(uint8_t *f, uint32_t len, uint8_t seed)
{
	for (uint32_t i = 0; i < len; i++)
		f[i] = (uint8_t)(seed + i * 7);
	f[12] = 0x08;
	f[13] = 0x00;
}

/* @m's bytes equal @f with a tag (@tpid, @tci) after the MAC addresses. */
static void
check_tagged(struct rte_mbuf *m, const uint8_t *f, uint32_t len, uint16_t tpid, uint16_t tci)
{
	static uint8_t buf[9216];
	const uint8_t tag[4] = { tpid >> 8, tpid & 0xff, tci >> 8, tci & 0xff };
	const uint8_t *got;

	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_pkt_len(m), len + 4);
	got = rte_pktmbuf_read(m, 0, len + 4, buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT(memcmp(got, f, 12) == 0);
	CU_ASSERT(memcmp(got + 12, tag, 4) == 0);
	CU_ASSERT(memcmp(got + 16, f + 12, len - 12) == 0);
}

static void
test_rx_tpid_put_back(void)
{
	struct sl_afp_rx_counters c = { 0 };
	struct rte_mbuf *m[8];
	uint8_t f[4][128];

	ring_reset();
	for (int i = 0; i < 4; i++)
		frame_bytes(f[i], 100, (uint8_t)(i * 40));
	/* 802.1ad, TPID reported; 802.1Q on a kernel that reports none;
	 * untagged; priority-tagged 802.1ad (TCI vid 0, PCP 3) */
	kernel_rx(0, f[0], 100, TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID, 0xa064, 0x88a8);
	kernel_rx(1, f[1], 100, TP_STATUS_VLAN_VALID, 0x0065, 0);
	kernel_rx(2, f[2], 100, 0, 0, 0);
	kernel_rx(3, f[3], 100, TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID, 0x6000, 0x88a8);
	CU_ASSERT_EQUAL_FATAL(sl_afp_ring_rx(&ring, pool, m, 8, &c), 4);
	check_tagged(m[0], f[0], 100, 0x88a8, 0xa064);
	check_tagged(m[1], f[1], 100, 0x8100, 0x0065);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m[2]), 100);
	CU_ASSERT(memcmp(rte_pktmbuf_mtod(m[2], uint8_t *), f[2], 100) == 0);
	check_tagged(m[3], f[3], 100, 0x88a8, 0x6000);
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(m[i]->nb_segs, 1);
		CU_ASSERT_EQUAL(slot(i)->tp_status, TP_STATUS_KERNEL);
		rte_pktmbuf_free(m[i]);
	}
	CU_ASSERT_EQUAL(c.packets, 4);
	CU_ASSERT_EQUAL(c.bytes, 3 * 104 + 100);
	CU_ASSERT_EQUAL(ring.head, 4);
	/* the next slot is the kernel's: nothing more */
	CU_ASSERT_EQUAL(sl_afp_ring_rx(&ring, pool, m, 8, &c), 0);
}

static void
test_rx_wraps_and_bursts(void)
{
	struct sl_afp_rx_counters c = { 0 };
	struct rte_mbuf *m[N_FRAMES];
	uint8_t f[64];
	uint32_t got = 0;

	ring_reset();
	frame_bytes(f, 64, 1);
	/* three rounds of the ring, read in bursts of 3 */
	for (uint32_t round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < N_FRAMES; i++)
			kernel_rx(i, f, 64, 0, 0, 0);
		for (uint16_t n; (n = sl_afp_ring_rx(&ring, pool, m, 3, &c)) > 0; got += n)
			rte_pktmbuf_free_bulk(m, n);
	}
	CU_ASSERT_EQUAL(got, 3 * N_FRAMES);
	CU_ASSERT_EQUAL(c.packets, 3 * N_FRAMES);
	CU_ASSERT_EQUAL(ring.head, 0);
}

static void
test_rx_long_frame_chains(void)
{
	struct sl_afp_rx_counters c = { 0 };
	static uint8_t f[1514];
	struct rte_mbuf *m[2];

	ring_reset();
	frame_bytes(f, sizeof(f), 9);
	kernel_rx(0, f, sizeof(f), TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID, 0x0123, 0x88a8);
	CU_ASSERT_EQUAL_FATAL(sl_afp_ring_rx(&ring, small_pool, m, 2, &c), 1);
	/* 256 bytes after the head's headroom, then whole 384-byte buffers */
	CU_ASSERT_EQUAL(m[0]->nb_segs, 5);
	check_tagged(m[0], f, sizeof(f), 0x88a8, 0x0123);
	rte_pktmbuf_free(m[0]);
}

static void
test_rx_drops_counted(void)
{
	struct sl_afp_rx_counters c = { 0 };
	unsigned int avail = rte_mempool_avail_count(small_pool);
	struct rte_mbuf *hold[4096], *m[4];
	static uint8_t f[1514];
	unsigned int n_hold = 0;

	ring_reset();
	frame_bytes(f, sizeof(f), 3);
	/* a frame longer than its slot (snaplen < len), then a good one */
	kernel_rx(0, f, 200, 0, 0, 0);
	slot(0)->tp_len = 3000;
	kernel_rx(1, f, 64, 0, 0, 0);
	CU_ASSERT_EQUAL_FATAL(sl_afp_ring_rx(&ring, pool, m, 4, &c), 1);
	CU_ASSERT_EQUAL(c.truncated, 1);
	CU_ASSERT_EQUAL(slot(0)->tp_status, TP_STATUS_KERNEL);
	rte_pktmbuf_free(m[0]);

	/* the pool runs dry in the middle of a chain: the frame is given back
	 * and counted, the half-built chain freed */
	while (n_hold < RTE_DIM(hold) && rte_mempool_avail_count(small_pool) > 2)
		hold[n_hold++] = rte_pktmbuf_alloc(small_pool);
	kernel_rx(2, f, sizeof(f), 0, 0, 0);
	CU_ASSERT_EQUAL(sl_afp_ring_rx(&ring, small_pool, m, 4, &c), 0);
	CU_ASSERT_EQUAL(c.nombuf, 1);
	CU_ASSERT_EQUAL(slot(2)->tp_status, TP_STATUS_KERNEL);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(small_pool), 2);
	rte_pktmbuf_free_bulk(hold, n_hold);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(small_pool), avail);
}

/* A @len-byte packet in @segs segments of @mp. */
static struct rte_mbuf *
chain(uint32_t len, unsigned int segs, uint8_t seed)
{
	struct rte_mbuf *head = NULL;
	uint32_t done = 0;

	for (unsigned int s = 0; s < segs; s++) {
		uint32_t part = s + 1 < segs ? len / segs : len - done;
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint8_t *d = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)part);

		for (uint32_t i = 0; i < part; i++)
			d[i] = (uint8_t)(seed + (done + i) * 7);
		done += part;
		if (head == NULL)
			head = m;
		else
			CU_ASSERT_FATAL(rte_pktmbuf_chain(head, m) == 0);
	}
	return head;
}

static void
check_slot(uint32_t i, uint32_t len, uint8_t seed)
{
	const uint8_t *d = (const uint8_t *)slot(i) + SL_AFP_TX_DATA_OFS;
	uint32_t bad = 0;

	CU_ASSERT_EQUAL(slot(i)->tp_status, TP_STATUS_SEND_REQUEST);
	CU_ASSERT_EQUAL(slot(i)->tp_len, len);
	for (uint32_t k = 0; k < len; k++)
		bad += d[k] != (uint8_t)(seed + k * 7);
	CU_ASSERT_EQUAL(bad, 0);
}

static void
test_tx_chained_shared_indirect(void)
{
	struct sl_afp_tx_counters c = { 0 };
	unsigned int avail = rte_mempool_avail_count(pool);
	struct rte_mbuf *shared = chain(1000, 3, 5), *plain = chain(60, 1, 6);
	struct rte_mbuf *orig = chain(300, 2, 7), *clone = rte_pktmbuf_clone(orig, pool);
	struct rte_mbuf *pkts[3] = { shared, plain, clone };

	ring_reset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(clone);
	rte_pktmbuf_refcnt_update(shared, 1); /* someone else holds it too */
	CU_ASSERT_EQUAL_FATAL(sl_afp_ring_tx(&ring, pkts, 3, &c), 3);
	check_slot(0, 1000, 5);
	check_slot(1, 60, 6);
	check_slot(2, 300, 7);
	CU_ASSERT_EQUAL(c.packets, 3);
	CU_ASSERT_EQUAL(c.bytes, 1360);
	/* the other holders' mbufs are whole: refcounts back to 1, bytes intact */
	for (struct rte_mbuf *s = shared; s; s = s->next)
		CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(s), 1);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(shared), 1000);
	CU_ASSERT_EQUAL(rte_pktmbuf_mtod(shared, uint8_t *)[1], (uint8_t)(5 + 7));
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(orig), 1);
	rte_pktmbuf_free(shared);
	rte_pktmbuf_free(orig);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(pool), avail);
}

static void
test_tx_full_ring_and_oversize(void)
{
	struct sl_afp_tx_counters c = { 0 };
	struct rte_mbuf *pkts[N_FRAMES + 2];
	uint16_t n;

	ring_reset();
	/* too long for a slot (the MTU check before should have caught it):
	 * taken, freed and counted, no slot used */
	pkts[0] = chain(FRAME_SIZE, 2, 1);
	CU_ASSERT_EQUAL(sl_afp_ring_tx(&ring, pkts, 1, &c), 1);
	CU_ASSERT_EQUAL(c.oversize, 1);
	CU_ASSERT_EQUAL(ring.head, 0);
	for (unsigned int i = 0; i < RTE_DIM(pkts); i++)
		pkts[i] = chain(64, 1, (uint8_t)i);
	n = sl_afp_ring_tx(&ring, pkts, RTE_DIM(pkts), &c);
	CU_ASSERT_EQUAL(n, N_FRAMES); /* the ring is full: the caller keeps two */
	CU_ASSERT_EQUAL(sl_afp_ring_tx(&ring, pkts + n, 2, &c), 0);
	/* the kernel sends slot 0 (and is still sending slot 1) */
	slot(0)->tp_status = TP_STATUS_AVAILABLE;
	slot(1)->tp_status = TP_STATUS_SENDING;
	CU_ASSERT_EQUAL(sl_afp_ring_tx(&ring, pkts + n, 2, &c), 1);
	check_slot(0, 64, (uint8_t)n);
	CU_ASSERT_EQUAL(c.packets, N_FRAMES + 1);
	rte_pktmbuf_free(pkts[n + 1]);
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "64", "--no-pci", "--no-shconf",
			"--log-level=lib.eal:error" };
	const struct cunit_test tests[] = {
		{ "rx puts the tag back with the reported TPID", test_rx_tpid_put_back },
		{ "rx wraps around the ring, in bursts", test_rx_wraps_and_bursts },
		{ "rx chains mbufs for a long frame", test_rx_long_frame_chains },
		{ "rx drops truncated and mbuf-less frames, counted", test_rx_drops_counted },
		{ "tx copies chained, shared, indirect mbufs", test_tx_chained_shared_indirect },
		{ "tx stops at a full ring, counts oversize", test_tx_full_ring_and_oversize },
	};
	int rc;

	(void)argc;
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0)
		return 1;
	pool = rte_pktmbuf_pool_create("afp_t", 1024, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	small_pool = rte_pktmbuf_pool_create("afp_s", 512, 0, 0, 256 + RTE_PKTMBUF_HEADROOM, 0);
	ring_mem = aligned_alloc(4096, N_BLOCKS * BLOCK_SIZE);
	if (pool == NULL || small_pool == NULL || ring_mem == NULL)
		return 1;
	rc = cunit_run_suite("afp_ring", tests, CUNIT_N_TESTS(tests));
	free(ring_mem);
	rte_mempool_free(pool);
	rte_mempool_free(small_pool);
	rte_eal_cleanup();
	return rc;
}
