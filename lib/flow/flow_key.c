/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow key hashing: CRC32 (SSE4.2 via rte_hash_crc) over 64-bit words. */
#include "sl_flow_key.h"

#include <rte_hash_crc.h>

uint32_t
sl_flow_hash_masked_range(const struct sl_flow_key *k, const struct sl_flow_key *mask,
			  unsigned int begin, unsigned int end, uint32_t basis)
{
	uint32_t h = basis;
	for (unsigned int i = begin; i < end; i++)
		h = rte_hash_crc_8byte(k->w[i] & mask->w[i], h);
	return h;
}

uint32_t
sl_flow_hash_masked(const struct sl_flow_key *k, const struct sl_flow_key *mask, uint32_t basis)
{
	return sl_flow_hash_masked_range(k, mask, 0, SL_FLOW_KEY_WORDS, basis);
}

uint32_t
sl_flow_hash(const struct sl_flow_key *k, uint32_t basis)
{
	uint32_t h = basis;
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		h = rte_hash_crc_8byte(k->w[i], h);
	return h;
}

unsigned int
sl_flow_mask_popcount(const struct sl_flow_key *mask)
{
	unsigned int n = 0;
	for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++)
		n += (unsigned int)__builtin_popcountll(mask->w[i]);
	return n;
}
