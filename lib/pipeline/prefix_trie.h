/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Binary trie of the address prefixes (of one field: IPv4 or IPv6, network
 * byte order, most significant bit first) that rules match on, used by the
 * classifier for prefix tracking: for a packet address it tells which prefix
 * lengths have at least one rule covering it and how many leading bits were
 * needed to know that. One writer, concurrent readers (RCU).
 */
#ifndef SL_PREFIX_TRIE_H
#define SL_PREFIX_TRIE_H

#include <stdint.h>

struct sl_rcu;
struct pfx_node;

/** Prefix lengths 0..128 as a bitmap. */
struct pfx_plens {
	uint64_t w[3];
};

struct pfx_trie {
	struct pfx_node *root;
	struct sl_rcu *rcu;
};

/** Add one rule prefix (@p plen 1..128 leading bits of @p addr). Returns 0 or -ENOMEM. */
int pfx_trie_insert(struct pfx_trie *t, const uint8_t *addr, unsigned int plen);

/** Remove one rule prefix added before (nodes left empty are freed after a grace period). */
void pfx_trie_remove(struct pfx_trie *t, const uint8_t *addr, unsigned int plen);

/**
 * Look up the @p width-bit address @p addr: sets in @p out the lengths L of the
 * rule prefixes covering addr; *bits_needed receives how many leading bits of
 * addr decided it.
 */
void pfx_trie_lookup(const struct pfx_trie *t, const uint8_t *addr, unsigned int width,
		     struct pfx_plens *out, unsigned int *bits_needed);

/** True iff length @p L is in @p p. */
static inline int
pfx_plens_has(const struct pfx_plens *p, unsigned int L)
{
	return (int)((p->w[L / 64] >> (L % 64)) & 1);
}

/** Free every node (no readers may remain). */
void pfx_trie_destroy(struct pfx_trie *t);

#endif /* SL_PREFIX_TRIE_H */
