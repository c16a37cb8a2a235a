/* SPDX-License-Identifier: BSD-3-Clause */
/* The neighbour table: creation, the workers' side (lookup, park, input,
 * drain) and the entries' bookkeeping (sl_neigh.h; the control lcore's
 * protocol work is in neigh_ctl.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_malloc.h>

#include "neigh_private.h"
#include "sl_neigh_proto.h"
#include "sl_worker.h"

#define PORT_ANY UINT16_MAX

void
sl_neigh_params_default(struct sl_neigh_params *p)
{
	memset(p, 0, sizeof(*p));
	p->timeout_ms = 300000;
	p->retry_ms = 1000;
	p->retries = 3;
	p->queue_len = 16;
	p->ring_size = 256;
}

void
neigh_key_make(struct neigh_key *k, uint16_t port, const struct sl_ip_addr *ip)
{
	memset(k, 0, sizeof(*k));
	k->port = port;
	k->family = ip->family;
	memcpy(k->addr, ip->addr, ip->family == AF_INET ? 4 : 16);
}

static struct rte_hash *
hash_make(const char *name, const char *what, int socket, bool concurrent)
{
	char hname[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
		.name = hname, .entries = SL_NEIGH_MAX * 2, .key_len = sizeof(struct neigh_key),
		.hash_func = rte_jhash, .socket_id = socket,
		/* extendable buckets: an insert below the capacity never fails */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE |
			      (concurrent ? RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF : 0),
	};

	snprintf(hname, sizeof(hname), "%s_%s", name, what);
	return rte_hash_create(&hp);
}

static struct rte_ring *
ring_make(const char *name, const char *what, unsigned int i, unsigned int esize,
	  unsigned int size, int socket)
{
	char rname[RTE_RING_NAMESIZE];

	snprintf(rname, sizeof(rname), "%s_%s%u", name, what, i);
	return rte_ring_create_elem(rname, esize, size, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
}

static int
table_alloc(struct sl_neigh_table *t, const char *name)
{
	const struct sl_neigh_params *p = &t->p;
	unsigned int nw = p->n_workers ? p->n_workers : 1;

	t->to_ctl = rte_zmalloc_socket(NULL, nw * sizeof(*t->to_ctl), 0, p->socket);
	t->to_wrk = rte_zmalloc_socket(NULL, nw * sizeof(*t->to_wrk), 0, p->socket);
	t->wstats = rte_zmalloc_socket(NULL, nw * sizeof(*t->wstats), RTE_CACHE_LINE_SIZE,
				       p->socket);
	t->used = rte_zmalloc_socket(NULL, SL_NEIGH_MAX, RTE_CACHE_LINE_SIZE, p->socket);
	t->e = rte_zmalloc_socket(NULL, SL_NEIGH_MAX * sizeof(*t->e), 0, p->socket);
	t->parked_store = rte_zmalloc_socket(NULL, (size_t)SL_NEIGH_MAX * p->queue_len *
					     sizeof(struct rte_mbuf *), 0, p->socket);
	t->lookup = hash_make(name, "l", p->socket, true);
	t->index = hash_make(name, "i", p->socket, false);
	if (!t->to_ctl || !t->to_wrk || !t->wstats || !t->used || !t->e || !t->parked_store ||
	    !t->lookup || !t->index)
		return -1;
	for (unsigned int i = 0; i < nw; i++) {
		t->to_ctl[i] = ring_make(name, "c", i, sizeof(struct neigh_rec), p->ring_size,
					 p->socket);
		t->to_wrk[i] = ring_make(name, "w", i, sizeof(struct neigh_tx), p->ring_size,
					 p->socket);
		if (!t->to_ctl[i] || !t->to_wrk[i])
			return -1;
	}
	for (unsigned int i = 0; i < SL_NEIGH_MAX; i++)
		t->e[i].parked = &t->parked_store[(size_t)i * p->queue_len];
	return 0;
}

struct sl_neigh_table *
sl_neigh_create(const char *name, const struct sl_neigh_params *p)
{
	struct sl_neigh_table *t;

	if (p->queue_len == 0 || p->queue_len > UINT16_MAX || p->retry_ms == 0 ||
	    p->timeout_ms == 0 || !rte_is_power_of_2(p->ring_size) || p->ring_size < 2) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = rte_zmalloc_socket(NULL, sizeof(*t), RTE_CACHE_LINE_SIZE, p->socket);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	t->p = *p;
	rte_spinlock_init(&t->lock);
	if (table_alloc(t, name) != 0)
		goto fail;
	if (p->qsbr) {
		/* key slots deleted by the control lcore are reused only after
		 * every worker has passed a quiescent state: a worker in the
		 * middle of a lookup never reads a reused slot */
		struct rte_hash_rcu_config rc = { .v = p->qsbr, .mode = RTE_HASH_QSBR_MODE_DQ };

		if (rte_hash_rcu_qsbr_add(t->lookup, &rc) != 0)
			goto fail;
	}
	return t;
fail:
	sl_neigh_free(t);
	rte_errno = ENOMEM;
	return NULL;
}

static void
ring_free_mbufs(struct rte_ring *r, unsigned int esize)
{
	/* both record kinds start with the mbuf pointer */
	union { struct neigh_rec rec; struct neigh_tx tx; } u;

	while (rte_ring_dequeue_elem(r, &u, esize) == 0)
		rte_pktmbuf_free(u.rec.m);
	rte_ring_free(r);
}

void
sl_neigh_free(struct sl_neigh_table *t)
{
	unsigned int nw;

	if (t == NULL)
		return;
	nw = t->p.n_workers ? t->p.n_workers : 1;
	for (unsigned int i = 0; t->e && i < SL_NEIGH_MAX; i++)
		if (t->e[i].state != NEIGH_FREE)
			neigh_drop_parked(t, &t->e[i]);
	for (unsigned int i = 0; i < nw; i++) {
		if (t->to_ctl && t->to_ctl[i])
			ring_free_mbufs(t->to_ctl[i], sizeof(struct neigh_rec));
		if (t->to_wrk && t->to_wrk[i])
			ring_free_mbufs(t->to_wrk[i], sizeof(struct neigh_tx));
	}
	rte_hash_free(t->lookup);
	rte_hash_free(t->index);
	rte_free(t->to_ctl);
	rte_free(t->to_wrk);
	rte_free(t->wstats);
	rte_free(t->used);
	rte_free(t->e);
	rte_free(t->parked_store);
	rte_free(t);
}

/* ---- workers ---- */

static inline int
lookup_word(const struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
	    uint64_t *word)
{
	struct neigh_key k;
	void *data;

	if (unlikely(__atomic_load_n(&t->n_static_any, __ATOMIC_RELAXED) != 0)) {
		neigh_key_make(&k, PORT_ANY, ip);
		if (rte_hash_lookup_data(t->lookup, &k, &data) >= 0)
			goto hit;
	}
	neigh_key_make(&k, port, ip);
	if (rte_hash_lookup_data(t->lookup, &k, &data) < 0)
		return -ENOENT;
hit:
	*word = (uint64_t)(uintptr_t)data;
	return 0;
}

int
sl_neigh_lookup(const struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
		struct rte_ether_addr *mac)
{
	uint64_t word;
	uint8_t *used;

	if (lookup_word(t, port, ip, &word) != 0)
		return -ENOENT;
	for (unsigned int i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		mac->addr_bytes[i] = (uint8_t)(word >> (8 * i));
	/* in use: the control lcore refreshes it before it expires; written
	 * only when clear, so a busy entry's line stays shared */
	used = &t->used[NEIGH_WORD_SLOT(word)];
	if (unlikely(__atomic_load_n(used, __ATOMIC_RELAXED) == 0))
		__atomic_store_n(used, 1, __ATOMIC_RELAXED);
	return 0;
}

/* The worker's side of a frame's fate (sl_drops.h): handed to the
 * control lcore, or dropped because the ring to it is full. */
static inline void
acct_fate(struct sl_neigh_table *t, unsigned int worker, uint16_t port, bool queued)
{
	struct sl_port_acct *a;

	if (t->p.workers == NULL || port >= SL_MAX_PORTS)
		return;
	a = &t->p.workers[worker]->acct[port];
	if (queued)
		a->to_controller++;
	else
		a->drops[SL_DROP_NEIGH_RING]++;
}

static inline bool
to_ctl(struct sl_neigh_table *t, unsigned int worker, struct neigh_rec *rec)
{
	if (rte_ring_sp_enqueue_elem(t->to_ctl[worker], rec, sizeof(*rec)) != 0) {
		t->wstats[worker].ring_full++;
		return false;
	}
	if (t->p.wake)
		sl_ctl_wake_kick(t->p.wake);
	return true;
}

void
sl_neigh_park(struct sl_neigh_table *t, unsigned int worker, uint16_t port,
	      const struct sl_ip_addr *ip, struct rte_mbuf *m)
{
	struct neigh_rec rec = { .m = m, .port = port, .kind = NEIGH_REC_PARK,
				 .family = ip->family };

	memcpy(rec.addr, ip->addr, sizeof(rec.addr));
	/* the caller counted the packet as handed to the control lcore
	 * (to_controller of the tunnel port): what happens to it from here is
	 * counted in the table, as for a packet-in the agent drops */
	if (to_ctl(t, worker, &rec))
		t->wstats[worker].parked++;
	else
		rte_pktmbuf_free(m);
}

int
neigh_local_find(const struct sl_neigh_table *t, uint16_t port, uint8_t family,
		 const uint8_t *addr)
{
	unsigned int n = __atomic_load_n(&t->n_local, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++) {
		const struct neigh_local *l = &t->local[i];

		if (__atomic_load_n(&l->valid, __ATOMIC_ACQUIRE) && l->port == port &&
		    l->family == family && memcmp(l->addr, addr, family == AF_INET ? 4 : 16) == 0)
			return (int)i;
	}
	return -1;
}

/* Whether (port, address) is a resolved neighbour, for gratuitous frames. */
static bool
known(const struct sl_neigh_table *t, uint16_t port, uint8_t family, const uint8_t *addr)
{
	struct sl_ip_addr ip = { .family = family };
	uint64_t word;

	memcpy(ip.addr, addr, family == AF_INET ? 4 : 16);
	return lookup_word(t, port, &ip, &word) == 0;
}

/* 1: ours, take it; 2: a known neighbour's gratuitous news, share it; 0: not ours. */
static int
input_verdict(const struct sl_neigh_table *t, uint16_t port, const uint8_t *f, uint32_t len)
{
	if (f[12] == 0x08) { /* ARP: target at 38, sender at 28 */
		if (len < 42)
			return 0;
		if (neigh_local_find(t, port, AF_INET, f + 38) >= 0)
			return 1;
		return memcmp(f + 28, f + 38, 4) == 0 && known(t, port, AF_INET, f + 28) ? 2 : 0;
	}
	if (len < 78) /* IPv6 ND: destination at 38, ICMPv6 type at 54, target at 62 */
		return 0;
	if (f[54] == 135)
		return neigh_local_find(t, port, AF_INET6, f + 62) >= 0;
	if (neigh_local_find(t, port, AF_INET6, f + 38) >= 0)
		return 1;
	return f[38] == 0xff && known(t, port, AF_INET6, f + 62) ? 2 : 0;
}

bool
sl_neigh_input(struct sl_neigh_table *t, unsigned int worker, uint16_t port, struct rte_mbuf *m)
{
	uint8_t buf[78];
	uint32_t len = RTE_MIN(m->pkt_len, (uint32_t)sizeof(buf));
	const uint8_t *f = rte_pktmbuf_read(m, 0, len, buf);
	struct neigh_rec rec = { .m = m, .port = port, .kind = NEIGH_REC_INPUT };
	bool queued;
	int verdict;

	if (f == NULL || !sl_neigh_maybe(f, len))
		return false;
	verdict = input_verdict(t, port, f, len);
	if (verdict == 0)
		return false;
	if (verdict == 2) {
		/* the switch forwards it too: the control lcore gets its own
		 * reference, on every segment */
		rte_pktmbuf_refcnt_update(m, 1);
		if (!to_ctl(t, worker, &rec)) {
			rte_pktmbuf_refcnt_update(m, -1);
			return false;
		}
		t->wstats[worker].shared++;
		if (t->p.workers && port < SL_MAX_PORTS) {
			t->p.workers[worker]->acct[port].replicas++;
			t->p.workers[worker]->acct[port].to_controller++;
		}
		return false;
	}
	queued = to_ctl(t, worker, &rec);
	if (queued)
		t->wstats[worker].input++;
	else
		rte_pktmbuf_free(m);
	acct_fate(t, worker, port, queued);
	return true;
}

unsigned int
sl_neigh_worker_drain(struct sl_neigh_table *t, unsigned int worker, struct rte_mbuf **pkts,
		      uint16_t *ports, unsigned int max)
{
	struct neigh_tx tx[32];
	unsigned int n;

	n = rte_ring_sc_dequeue_burst_elem(t->to_wrk[worker], tx, sizeof(tx[0]),
					   RTE_MIN(max, RTE_DIM(tx)), NULL);
	for (unsigned int i = 0; i < n; i++) {
		pkts[i] = tx[i].m;
		ports[i] = tx[i].port;
	}
	return n;
}

/* ---- entries (control lcore) ---- */

void
neigh_publish(struct sl_neigh_table *t, unsigned int slot)
{
	struct neigh_entry *e = &t->e[slot];
	struct neigh_key k;
	uint64_t mac48 = 0;

	for (unsigned int i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		mac48 |= (uint64_t)e->mac.addr_bytes[i] << (8 * i);
	neigh_key_make(&k, e->port, &e->ip);
	/* an existing key's data word is replaced atomically: a worker reads
	 * the old MAC or the new one */
	if (rte_hash_add_key_data(t->lookup, &k, (void *)(uintptr_t)NEIGH_WORD(mac48, slot)) == 0)
		e->in_hash = true;
}

void
neigh_unpublish(struct sl_neigh_table *t, unsigned int slot)
{
	struct neigh_entry *e = &t->e[slot];
	struct neigh_key k;
	int32_t pos;

	if (!e->in_hash)
		return;
	neigh_key_make(&k, e->port, &e->ip);
	pos = rte_hash_del_key(t->lookup, &k);
	/* with the workers' QSBR the hash frees the slot after a grace
	 * period itself; without (tests: no reader) at once */
	if (pos >= 0 && t->p.qsbr == NULL)
		rte_hash_free_key_with_position(t->lookup, pos);
	e->in_hash = false;
}

int
neigh_entry_get(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip, bool create,
		uint64_t now_ms)
{
	struct neigh_key k;
	void *data;
	unsigned int slot;

	neigh_key_make(&k, port, ip);
	if (rte_hash_lookup_data(t->index, &k, &data) >= 0)
		return (int)(uintptr_t)data;
	if (!create || t->n_entries >= SL_NEIGH_MAX)
		return -ENOSPC;
	for (slot = 0; slot < SL_NEIGH_MAX; slot++)
		if (t->e[slot].state == NEIGH_FREE)
			break;
	if (slot == SL_NEIGH_MAX || rte_hash_add_key_data(t->index, &k, (void *)(uintptr_t)slot) != 0)
		return -ENOSPC;
	t->e[slot] = (struct neigh_entry){ .state = NEIGH_RESOLVING, .port = port, .ip = *ip,
					   .confirmed_ms = now_ms, .next_ms = now_ms,
					   .parked = t->e[slot].parked };
	neigh_key_make(&k, 0, ip); /* normalise the copy: bytes past an IPv4 address 0 */
	memset(t->e[slot].ip.addr, 0, sizeof(t->e[slot].ip.addr));
	memcpy(t->e[slot].ip.addr, k.addr, sizeof(k.addr));
	__atomic_store_n(&t->used[slot], 0, __ATOMIC_RELAXED);
	t->n_entries++;
	return (int)slot;
}

void
neigh_entry_free(struct sl_neigh_table *t, unsigned int slot)
{
	struct neigh_entry *e = &t->e[slot];
	struct neigh_key k;

	neigh_unpublish(t, slot);
	neigh_drop_parked(t, e);
	neigh_key_make(&k, e->port, &e->ip);
	rte_hash_del_key(t->index, &k);
	if (e->state == NEIGH_STATIC && e->port == PORT_ANY)
		__atomic_store_n(&t->n_static_any, t->n_static_any - 1, __ATOMIC_RELAXED);
	e->state = NEIGH_FREE;
	t->n_entries--;
}

/* ---- local addresses and static entries (control lcore) ---- */

int
sl_neigh_local_add(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
		   const struct rte_ether_addr *mac)
{
	struct neigh_local *l = NULL;
	int rc = 0;

	if (ip->family != AF_INET && ip->family != AF_INET6)
		return -EINVAL;
	rte_spinlock_lock(&t->lock);
	if (neigh_local_find(t, port, ip->family, ip->addr) >= 0) {
		rc = -EEXIST;
		goto out;
	}
	for (unsigned int i = 0; i < SL_NEIGH_MAX_LOCAL && l == NULL; i++)
		if (!t->local[i].valid)
			l = &t->local[i];
	if (l == NULL) {
		rc = -ENOSPC;
		goto out;
	}
	l->port = port;
	l->family = ip->family;
	memcpy(l->addr, ip->addr, sizeof(l->addr));
	l->mac = *mac;
	__atomic_store_n(&l->valid, 1, __ATOMIC_RELEASE);
	if ((unsigned int)(l - t->local) + 1 > t->n_local)
		__atomic_store_n(&t->n_local, (unsigned int)(l - t->local) + 1, __ATOMIC_RELEASE);
out:
	rte_spinlock_unlock(&t->lock);
	return rc;
}

int
sl_neigh_local_del(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip)
{
	int i;

	rte_spinlock_lock(&t->lock);
	i = neigh_local_find(t, port, ip->family, ip->addr);
	if (i >= 0)
		__atomic_store_n(&t->local[i].valid, 0, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&t->lock);
	return i >= 0 ? 0 : -ENOENT;
}

static bool
ip_bad_neighbour(const struct sl_ip_addr *ip)
{
	static const uint8_t zero[16];

	if (ip->family == AF_INET)
		return ip->addr[0] >= 224 || memcmp(ip->addr, zero, 4) == 0;
	if (ip->family == AF_INET6)
		return ip->addr[0] == 0xff || memcmp(ip->addr, zero, 16) == 0;
	return true;
}

int
sl_neigh_static_add(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
		    const struct rte_ether_addr *mac)
{
	int slot;

	if (ip_bad_neighbour(ip) || !rte_is_unicast_ether_addr(mac) || rte_is_zero_ether_addr(mac))
		return -EINVAL;
	rte_spinlock_lock(&t->lock);
	slot = neigh_entry_get(t, port, ip, true, 0);
	if (slot >= 0) {
		struct neigh_entry *e = &t->e[slot];

		if (e->state != NEIGH_STATIC && port == PORT_ANY)
			__atomic_store_n(&t->n_static_any, t->n_static_any + 1, __ATOMIC_RELAXED);
		e->state = NEIGH_STATIC;
		e->mac = *mac;
		neigh_publish(t, (unsigned int)slot);
		/* packets parked before a run-time static entry go now */
		t->scan_now = true;
	}
	rte_spinlock_unlock(&t->lock);
	return slot >= 0 ? 0 : slot;
}

int
sl_neigh_want(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip, bool want)
{
	int slot;

	if (ip_bad_neighbour(ip))
		return -EINVAL;
	rte_spinlock_lock(&t->lock);
	slot = neigh_entry_get(t, port, ip, want, 0);
	if (slot >= 0) {
		t->e[slot].wanted = want;
		if (want && t->e[slot].state == NEIGH_RESOLVING && t->e[slot].tries == 0)
			t->scan_now = true; /* asked at the next sl_neigh_run */
	}
	rte_spinlock_unlock(&t->lock);
	return slot >= 0 || !want ? 0 : slot;
}
