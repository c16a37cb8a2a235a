/* SPDX-License-Identifier: BSD-3-Clause */
/* Prefix trie for classifier prefix tracking (see prefix_trie.h). */
#include "prefix_trie.h"

#include <errno.h>
#include <stdlib.h>

#include "pl_alloc.h"
#include <string.h>

#include "sl_rcu.h"

#define LOAD(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

struct pfx_node {
	uint32_t n_rules;          /* rules whose prefix ends at this node */
	struct pfx_node *child[2];
};

static inline unsigned int
bit_at(const uint8_t *addr, unsigned int depth)
{
	return (addr[depth / 8] >> (7 - depth % 8)) & 1;
}

int
pfx_trie_insert(struct pfx_trie *t, const uint8_t *addr, unsigned int plen)
{
	if (t->root == NULL) {
		struct pfx_node *r = pl_calloc(1, sizeof(*r));
		if (r == NULL)
			return -ENOMEM;
		STORE(t->root, r);
	}
	struct pfx_node *n = t->root;
	for (unsigned int d = 0; d < plen; d++) {
		unsigned int b = bit_at(addr, d);
		if (n->child[b] == NULL) {
			/* Fully built before it is linked: readers see all or nothing. */
			struct pfx_node *c = pl_calloc(1, sizeof(*c));
			if (c == NULL)
				return -ENOMEM;
			STORE(n->child[b], c);
		}
		n = n->child[b];
	}
	__atomic_fetch_add(&n->n_rules, 1, __ATOMIC_RELEASE);
	return 0;
}

void
pfx_trie_remove(struct pfx_trie *t, const uint8_t *addr, unsigned int plen)
{
	struct pfx_node *path[129];
	struct pfx_node *n = t->root;
	for (unsigned int d = 0; n && d < plen; d++) {
		path[d] = n;
		n = n->child[bit_at(addr, d)];
	}
	if (n == NULL || n->n_rules == 0)
		return;
	__atomic_fetch_sub(&n->n_rules, 1, __ATOMIC_RELEASE);
	/* Prune empty leaves bottom-up; readers standing on them finish first (RCU). */
	for (unsigned int d = plen; d > 0; d--) {
		if (n->n_rules || n->child[0] || n->child[1])
			break;
		STORE(path[d - 1]->child[bit_at(addr, d - 1)], NULL);
		sl_rcu_defer(t->rcu, NULL, n);
		n = path[d - 1];
	}
}

void
pfx_trie_lookup(const struct pfx_trie *t, const uint8_t *addr, unsigned int width,
		struct pfx_plens *out, unsigned int *bits_needed)
{
	memset(out, 0, sizeof(*out));
	const struct pfx_node *n = LOAD(t->root);
	unsigned int d = 0;
	while (n) {
		if (__atomic_load_n(&n->n_rules, __ATOMIC_RELAXED))
			out->w[d / 64] |= 1ull << (d % 64);
		if (d == width)
			break;
		n = LOAD(n->child[bit_at(addr, d)]);
		d++;
	}
	/* d bits were followed; the last one looked at had no child (or d == width). */
	*bits_needed = d;
}

static void
free_rec(struct pfx_node *n)
{
	if (n == NULL)
		return;
	free_rec(n->child[0]);
	free_rec(n->child[1]);
	free(n);
}

void
pfx_trie_destroy(struct pfx_trie *t)
{
	free_rec(t->root);
	t->root = NULL;
}
