/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_CSUM_H
#define SL_CSUM_H

/**
 * @file
 * The one's-complement sum over a chain of mbufs, right for every
 * segment length.
 *
 * Why not rte_raw_cksum_mbuf(). A segment that starts at an odd offset of
 * the summed range has its bytes in the other halves of the 16-bit words,
 * so its sum must be byte-swapped before it is added. DPDK 22.11's
 * rte_raw_cksum_mbuf() swaps the low 16 bits of an unfolded 32-bit sum,
 * losing the carries: any chain with an odd-length segment before the last
 * gets a wrong checksum. Guests' frames have such segments (their page
 * fragments end anywhere), and so do indirect mbufs cut from them.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Fold a 32-bit one's-complement sum to 16 bits (not complemented).
 * @param sum the sum
 * @return the folded sum
 */
static inline uint16_t
sl_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/**
 * The one's-complement sum of @p n bytes as 16-bit words in memory order,
 * folded to 16 bits: rte_raw_cksum()'s result, with 8-byte loads summed as
 * two 32-bit halves into two 64-bit accumulators (2^16 = 1 modulo 0xffff,
 * so the fold of 32-bit sums is that of the 16-bit ones) where
 * rte_raw_cksum adds one 16-bit word an instruction: a quarter of the
 * loads.
 * @param p the bytes
 * @param n how many
 * @return the folded sum, not complemented
 */
static inline uint16_t
sl_csum_bytes(const uint8_t *p, uint32_t n)
{
	uint64_t a = 0, b = 0;
	uint32_t v4;

	for (; n >= 16; p += 16, n -= 16) {
		uint64_t x, y;

		memcpy(&x, p, 8);
		memcpy(&y, p + 8, 8);
		a += (x & 0xffffffffu) + (x >> 32);
		b += (y & 0xffffffffu) + (y >> 32);
	}
	if (n >= 8) {
		uint64_t x;

		memcpy(&x, p, 8);
		a += (x & 0xffffffffu) + (x >> 32);
		p += 8;
		n -= 8;
	}
	if (n >= 4) {
		memcpy(&v4, p, 4);
		b += v4;
		p += 4;
		n -= 4;
	}
	if (n >= 2) {
		uint16_t v2;

		memcpy(&v2, p, 2);
		a += v2;
		p += 2;
		n -= 2;
	}
	if (n == 1) { /* the last byte is the first of its word in memory */
		uint16_t left = 0;

		memcpy(&left, p, 1);
		b += left;
	}
	a += b;
	a = (a & 0xffffffffu) + (a >> 32);
	a = (a & 0xffffffffu) + (a >> 32);
	return sl_csum_fold((uint32_t)(a & 0xffff) + (uint32_t)(a >> 16));
}

/**
 * The one's-complement sum of @p len bytes from offset @p off of a packet,
 * over as many segments as they span (not complemented). Bytes beyond the
 * chain are not summed.
 * @param m   the packet (its first segment)
 * @param off where the range starts, from the packet's first byte
 * @param len the range's length
 * @return the folded 16-bit sum, in the byte order of the data
 */
static inline uint16_t
sl_csum_mbuf(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	uint32_t sum = 0;
	bool odd = false;

	for (const struct rte_mbuf *s = m; s != NULL && len > 0; s = s->next) {
		uint32_t n;
		uint16_t part;

		if (off >= s->data_len) {
			off -= s->data_len;
			continue;
		}
		n = RTE_MIN((uint32_t)s->data_len - off, len);
		part = sl_csum_bytes(rte_pktmbuf_mtod_offset(s, const uint8_t *, off), n);
		sum += odd ? rte_bswap16(part) : part;
		odd ^= (n & 1) != 0;
		off = 0;
		len -= n;
	}
	return sl_csum_fold(sum);
}

#ifdef __cplusplus
}
#endif

#endif /* SL_CSUM_H */
