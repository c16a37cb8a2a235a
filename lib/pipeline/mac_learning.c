/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MAC learning table for the NORMAL action (see sl_mac_learning.h).
 *
 * Why it works this way
 * ---------------------
 * NORMAL is translated on the worker lcores (a megaflow miss), but OVS's
 * xlate_normal has a side effect: it learns the packet's source. Here the
 * pipeline has one writer, the control lcore, and translations must stay
 * read-only (they run concurrently on every worker, under RCU). So:
 *
 *  1. Readers. The table is a fixed array of hash chains. An entry's key
 *     (vlan, mac) and port never change after it is published: a move
 *     publishes a new entry in place of the old one (release store), and
 *     removed entries are freed through sl_rcu_defer(), so a translation
 *     walking a chain never sees freed memory. The only mutable field a
 *     reader looks at is the one-byte `stale` flag (atomic).
 *
 *  2. Learning is reported, not done. A translation of NORMAL whose source
 *     is unknown, known on another port, or stale puts one "learn (port,
 *     vlan, mac)" in its result. The worker pushes it into its learn ring
 *     (dataplane/fastpath/learn.c); the control lcore drains the rings and calls
 *     sl_pipeline_mac_learn(). Reporting is idempotent: translating the
 *     same source again before the report is applied reports it again,
 *     and applying a report twice is a refresh.
 *
 *  3. Caches stay transparent. A NORMAL decision consults in_port, vlan,
 *     eth_src and eth_dst (all in the megaflow mask) plus this table, which
 *     is not in the key. So every change that can alter a decision (learn:
 *     a flood becomes a unicast; move; removal) bumps the pipeline version
 *     with a MAC record naming the entry (sl_change_log.h), and the fast
 *     path re-translates, on its next hit, a stale megaflow whose eth_src
 *     or eth_dst is that entry's (lazy revalidation); other tenants'
 *     megaflows are proved unaffected and kept. Re-translations for MAC
 *     changes share the worker's per-iteration miss budget: past it, an
 *     entry keeps its old decision for a little longer (it alters no
 *     OpenFlow state, so no barrier is broken). A megaflow made while its source was unknown
 *     therefore re-translates once the source is learned, and the report
 *     disappears from its result. If a learn ring is full the report is
 *     lost; the runtime then logs a MAC_ALL record (see learn.c) so that
 *     hits of megaflows that consulted the table re-translate and report
 *     again.
 *
 *  4. Aging needs a refresh. Packets that hit a megaflow are not translated,
 *     so an active source would never be reported again and would age out
 *     (OVS refreshes from its revalidators' flow stats; we have no such
 *     pass). Instead aging is in two steps: once an entry has not been
 *     refreshed for 3/4 of the aging time it is marked stale and the
 *     version is bumped; the next packet from that source hits an old
 *     megaflow, re-translates, sees the stale source, reports it, and the
 *     report clears the flag (refresh, no version bump). An entry still not
 *     refreshed at the full aging time is removed (version bump). Lookups
 *     still use stale entries, so active hosts are never flooded to.
 *     Cost: at most one revalidation wave per expire call that marked or
 *     removed something.
 *
 *  5. Capacity. The writer keeps every entry on a list in refresh order;
 *     when the table is full the least recently learned/refreshed entry is
 *     evicted (OVS evicts its oldest too), and aging scans from that end.
 *     One VM sending from many source MACs would so evict every other
 *     tenant's entries (their unicast then floods): a per-port limit
 *     (mac_limit_per_port, as hardware switches' port security offers)
 *     refuses new MACs on a port that holds its share, counted as
 *     limit_refused; the port's frames still go out, their sources are just
 *     not learned (replies to them flood).
 */
#include <stdlib.h>
#include <string.h>

#include "pipeline_private.h"
#include "sl_mac_learning.h"

/* Aging pass: entries marked or removed that get a record each (see
 * sl_pipeline_mac_expire). */
#define SL_MAC_EXPIRE_RECORDS 32u

struct mac_entry {
	struct mac_entry *next;          /* hash chain (RCU-published) */
	uint64_t key;                    /* vlan << 48 | mac */
	uint32_t port;
	uint8_t stale;                   /* atomic: wants a refresh */
	/* writer only */
	struct mac_entry *lru_prev, *lru_next;
	uint64_t used_ns;                /* learned or last refreshed */
};

struct sl_mac_table {
	struct sl_rcu *rcu;
	uint32_t max, n, mask;
	uint32_t port_limit;             /* entries per port; 0: none */
	uint32_t *port_n;                /* entries per port < SL_LIVE_PORTS (port_limit) */
	uint64_t aging_ns;
	struct mac_entry *lru_head, *lru_tail; /* head: least recently refreshed */
	struct sl_mac_stats st;
	struct mac_entry *buckets[];
};

static inline uint64_t
mac_key(uint16_t vlan, const uint8_t mac[6])
{
	uint64_t k = (uint64_t)(vlan & 0x0fff) << 48;

	for (unsigned int i = 0; i < 6; i++)
		k |= (uint64_t)mac[i] << (40 - 8 * i);
	return k;
}

static inline uint32_t
mac_bucket(const struct sl_mac_table *t, uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & t->mask;
}

/* Entries of @p port: count them where a per-port limit applies. */
static inline void
port_count(struct sl_mac_table *t, uint32_t port, int delta)
{
	if (t->port_n && port < SL_LIVE_PORTS)
		t->port_n[port] += (uint32_t)delta;
}

static inline bool
port_full(const struct sl_mac_table *t, uint32_t port)
{
	return t->port_n && port < SL_LIVE_PORTS && t->port_n[port] >= t->port_limit;
}

struct sl_mac_table *
pl_mac_create(struct sl_rcu *rcu, uint32_t max, uint32_t aging_s, uint32_t port_limit)
{
	uint32_t nb = 16;
	struct sl_mac_table *t;

	max = max ? max : SL_MAC_DEFAULT_MAX;
	aging_s = aging_s ? aging_s : SL_MAC_DEFAULT_AGING_S;
	while (nb < max && nb < (1u << 24))
		nb <<= 1;
	t = calloc(1, sizeof(*t) + nb * sizeof(t->buckets[0]));
	if (t == NULL)
		return NULL;
	t->rcu = rcu;
	t->max = max;
	t->mask = nb - 1;
	t->aging_ns = (uint64_t)aging_s * 1000000000ull;
	t->st.max_entries = max;
	t->st.aging_s = aging_s;
	t->port_limit = port_limit;
	t->st.port_limit = port_limit;
	if (port_limit && (t->port_n = calloc(SL_LIVE_PORTS, sizeof(t->port_n[0]))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
pl_mac_destroy(struct sl_mac_table *t)
{
	if (t == NULL)
		return;
	for (struct mac_entry *e = t->lru_head, *n; e; e = n) {
		n = e->lru_next;
		free(e);
	}
	free(t->port_n);
	free(t);
}

/* ----------------------------------------------------- writer lists ---- */

static void
lru_unlink(struct sl_mac_table *t, struct mac_entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		t->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		t->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void
lru_append(struct sl_mac_table *t, struct mac_entry *e)
{
	e->lru_next = NULL;
	e->lru_prev = t->lru_tail;
	if (t->lru_tail)
		t->lru_tail->lru_next = e;
	else
		t->lru_head = e;
	t->lru_tail = e;
}

/* The link that points to the entry with @key (or the chain's end). */
static struct mac_entry **
chain_slot(struct sl_mac_table *t, uint64_t key)
{
	struct mac_entry **pp = &t->buckets[mac_bucket(t, key)];

	while (*pp && (*pp)->key != key)
		pp = &(*pp)->next;
	return pp;
}

/* Unlink @e from its chain and the list; readers may still hold it: defer. */
static void
entry_remove(struct sl_mac_table *t, struct mac_entry *e)
{
	struct mac_entry **pp = chain_slot(t, e->key);

	if (*pp == e)
		STORE(*pp, e->next);
	lru_unlink(t, e);
	t->n--;
	port_count(t, e->port, -1);
	sl_rcu_defer(t->rcu, NULL, e);
}

/* ------------------------------------------------------ writer API ---- */

enum sl_mac_learn_result
sl_pipeline_mac_learn(struct sl_pipeline *pl, uint32_t port, uint16_t vlan,
		      const uint8_t mac[6], uint64_t now_ns)
{
	struct sl_mac_table *t = pl->mac;
	uint64_t key = mac_key(vlan, mac);
	struct mac_entry **pp, *old, *e;

	if ((mac[0] & 1) || port == 0 || port >= OFPP_MAX)
		return SL_MAC_UNCHANGED;
	pp = chain_slot(t, key);
	old = *pp;
	if (old && old->port == port) {
		old->used_ns = now_ns;
		__atomic_store_n(&old->stale, 0, __ATOMIC_RELAXED);
		lru_unlink(t, old);
		lru_append(t, old);
		t->st.refreshed++;
		return SL_MAC_REFRESHED;
	}
	if (port_full(t, port)) {
		/* new on this port (or moving to it): the port holds its share */
		t->st.limit_refused++;
		return SL_MAC_UNCHANGED;
	}
	if (old == NULL && t->n >= t->max) {
		uint64_t evicted = t->lru_head->key;

		entry_remove(t, t->lru_head);
		t->st.evicted++;
		pl_log_mac(pl, evicted);
		pp = chain_slot(t, key); /* the chain may have changed */
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return SL_MAC_UNCHANGED; /* reported again by the next translation */
	e->key = key;
	e->port = port;
	e->used_ns = now_ns;
	if (old) {
		/* A move: the new entry takes the old one's place in the chain. */
		e->next = old->next;
		STORE(*pp, e);
		lru_unlink(t, old);
		port_count(t, old->port, -1);
		sl_rcu_defer(t->rcu, NULL, old);
		t->st.moved++;
	} else {
		e->next = NULL;
		STORE(*pp, e);
		t->n++;
		t->st.learned++;
	}
	lru_append(t, e);
	port_count(t, port, +1);
	t->st.n_entries = t->n;
	pl_log_mac(pl, key);
	return old ? SL_MAC_MOVED : SL_MAC_LEARNED;
}

unsigned int
sl_pipeline_mac_expire(struct sl_pipeline *pl, uint64_t now_ns)
{
	struct sl_mac_table *t = pl->mac;
	uint64_t mark_ns = t->aging_ns - t->aging_ns / 4;
	unsigned int removed = 0, changed = 0;

	for (struct mac_entry *e = t->lru_head, *n; e; e = n) {
		uint64_t age = now_ns > e->used_ns ? now_ns - e->used_ns : 0;
		uint64_t key = e->key;

		n = e->lru_next;
		if (age < mark_ns)
			break; /* the list is in refresh order: the rest are younger */
		if (age >= t->aging_ns) {
			entry_remove(t, e);
			t->st.aged++;
			removed++;
		} else if (!__atomic_load_n(&e->stale, __ATOMIC_RELAXED)) {
			__atomic_store_n(&e->stale, 1, __ATOMIC_RELAXED);
		} else {
			continue;
		}
		/* One record per entry while they are few; past that, one record
		 * for all (logged below) costs readers less than a ring of them. */
		if (++changed <= SL_MAC_EXPIRE_RECORDS)
			pl_log_mac(pl, key);
	}
	t->st.n_entries = t->n;
	if (changed > SL_MAC_EXPIRE_RECORDS)
		pl_bump_mac_all(pl);
	return removed;
}

unsigned int
sl_pipeline_mac_flush(struct sl_pipeline *pl, uint32_t port)
{
	struct sl_mac_table *t = pl->mac;
	unsigned int removed = 0;

	for (struct mac_entry *e = t->lru_head, *n; e; e = n) {
		n = e->lru_next;
		if (port == OFPP_ANY || e->port == port) {
			entry_remove(t, e);
			removed++;
		}
	}
	t->st.flushed += removed;
	t->st.n_entries = t->n;
	if (removed)
		pl_bump_mac_all(pl);
	return removed;
}

void
sl_pipeline_mac_reports_lost(struct sl_pipeline *pl)
{
	pl_bump_mac_all(pl);
}

void
sl_pipeline_mac_stats(const struct sl_pipeline *pl, struct sl_mac_stats *st)
{
	*st = pl->mac->st;
}

unsigned int
sl_pipeline_mac_foreach(const struct sl_pipeline *pl, uint64_t now_ns,
			void (*fn)(void *ctx, const struct sl_mac_info *e), void *ctx)
{
	unsigned int n = 0;

	for (const struct mac_entry *e = pl->mac->lru_head; e; e = e->lru_next, n++) {
		struct sl_mac_info info;

		info.vlan = (uint16_t)(e->key >> 48);
		for (unsigned int i = 0; i < 6; i++)
			info.mac[i] = (uint8_t)(e->key >> (40 - 8 * i));
		info.port = e->port;
		info.age_s = (uint32_t)((now_ns > e->used_ns ? now_ns - e->used_ns : 0) /
					1000000000ull);
		info.stale = e->stale;
		fn(ctx, &info);
	}
	return n;
}

void
sl_pipeline_set_fail_open_mode(struct sl_pipeline *pl, enum sl_fail_open_mode mode)
{
	if (sl_pipeline_fail_open_mode(pl) == mode)
		return;
	__atomic_store_n(&pl->fail_open, (uint8_t)mode, __ATOMIC_RELEASE);
	pl_bump(pl);
}

void
sl_pipeline_set_fail_open(struct sl_pipeline *pl, bool on)
{
	sl_pipeline_set_fail_open_mode(pl, on ? SL_FAIL_OPEN_MISS : SL_FAIL_OPEN_OFF);
}

enum sl_fail_open_mode
sl_pipeline_fail_open_mode(const struct sl_pipeline *pl)
{
	return (enum sl_fail_open_mode)__atomic_load_n(&pl->fail_open, __ATOMIC_ACQUIRE);
}

bool
sl_pipeline_fail_open(const struct sl_pipeline *pl)
{
	return sl_pipeline_fail_open_mode(pl) != SL_FAIL_OPEN_OFF;
}

/* ------------------------------------------------------ reader API ---- */

uint32_t
sl_pipeline_mac_lookup(const struct sl_pipeline *pl, uint16_t vlan, const uint8_t mac[6],
		       bool *stale)
{
	const struct sl_mac_table *t = pl->mac;
	uint64_t key = mac_key(vlan, mac);

	for (const struct mac_entry *e = LOAD(t->buckets[mac_bucket(t, key)]); e;
	     e = LOAD(e->next)) {
		if (e->key == key) {
			if (stale)
				*stale = __atomic_load_n(&e->stale, __ATOMIC_RELAXED);
			return e->port;
		}
	}
	if (stale)
		*stale = false;
	return OFPP_ANY;
}
