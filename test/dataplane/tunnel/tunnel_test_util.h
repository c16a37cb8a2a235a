/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers of the tunnel tests and the scapy vector tool: an EAL without
 * hugepages, a pool, and frames built as flat or chained mbufs. */
#ifndef TUNNEL_TEST_UTIL_H
#define TUNNEL_TEST_UTIL_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_ip_addr.h"
#include "sl_vxlan.h"

/** Start EAL (--no-huge, a file prefix of its own) and make the pool. 0 or -1. */
int tt_init(const char *prefix);
/** Free the pool, stop EAL. */
void tt_fini(void);
/** The pool (cache 0: its free count is exact, for leak checks). */
struct rte_mempool *tt_pool(void);
/** Mbufs free in the pool. */
unsigned int tt_avail(void);

/**
 * An mbuf chain holding @p len bytes of @p data cut into segments of at most
 * @p seg bytes (0: one segment).
 */
struct rte_mbuf *tt_mbuf(const uint8_t *data, uint32_t len, uint32_t seg);

/** The packet's bytes, flattened into @p out (room for pkt_len); returns pkt_len. */
uint32_t tt_flat(const struct rte_mbuf *m, uint8_t *out);

/** An inner Ethernet/IPv4/UDP frame of @p len bytes (>= 42), payload bytes i & 0xff. */
uint32_t tt_inner_frame(uint8_t *out, uint32_t len, uint16_t sport);

/** Parse an address for a test (aborts on a typo). */
struct sl_ip_addr tt_ip(const char *s);

#endif /* TUNNEL_TEST_UTIL_H */
