/* SPDX-License-Identifier: BSD-3-Clause */
/* The neighbour table's control lcore side: what workers queued (ARP / ND
 * frames, parked packets), answers, requests with retries and back-off,
 * learning, aging and refresh, and the views (sl_neigh.h). */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_malloc.h>

#include "neigh_private.h"
#include "sl_neigh_proto.h"

#define PORT_ANY UINT16_MAX
#define SCAN_MS 50           /* timers are looked at this often */
#define INPUT_READ 512       /* an ND frame longer than this is refused (short) */
#define BATCH 64             /* records taken per worker per run */

static const char *const state_names[] = {
	[NEIGH_FREE] = "free", [NEIGH_STATIC] = "static", [NEIGH_RESOLVING] = "resolving",
	[NEIGH_REACHABLE] = "reachable", [NEIGH_REFRESHING] = "refreshing",
	[NEIGH_FAILED] = "failed",
};

static inline bool
resolved(const struct neigh_entry *e)
{
	return e->state == NEIGH_STATIC || e->state == NEIGH_REACHABLE ||
	       e->state == NEIGH_REFRESHING;
}

/* The worker that sends this run's frames: one per run, so that a
 * neighbour's parked packets leave in the order they came. */
static struct rte_ring *
tx_ring(struct sl_neigh_table *t)
{
	if (t->p.n_workers == 0)
		return NULL;
	return t->to_wrk[t->tx_next % t->p.n_workers];
}

static void
send_mbuf(struct sl_neigh_table *t, uint16_t port, struct rte_mbuf *m)
{
	struct neigh_tx tx = { .m = m, .port = port };
	struct rte_ring *r = tx_ring(t);

	if (r == NULL || rte_ring_sp_enqueue_elem(r, &tx, sizeof(tx)) != 0) {
		t->st.drop_tx_ring_full++;
		rte_pktmbuf_free(m);
	}
}

void
neigh_send(struct sl_neigh_table *t, uint16_t port, const uint8_t *frame, size_t len)
{
	struct rte_mbuf *m = t->p.pool ? rte_pktmbuf_alloc(t->p.pool) : NULL;
	char *d = m ? rte_pktmbuf_append(m, (uint16_t)len) : NULL;

	if (d == NULL) {
		t->st.drop_no_memory++;
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(d, frame, len);
	send_mbuf(t, port, m);
}

void
neigh_drop_parked(struct sl_neigh_table *t, struct neigh_entry *e)
{
	for (unsigned int i = 0; i < e->n_parked; i++)
		rte_pktmbuf_free(e->parked[i]);
	t->st.drop_unresolved += e->n_parked;
	e->n_parked = 0;
}

/* A packet for a resolved neighbour: its outer Ethernet destination, then out. */
static void
send_to(struct sl_neigh_table *t, const struct neigh_entry *e, uint16_t port, struct rte_mbuf *m)
{
	if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_ADDR_LEN)) {
		t->st.drop_unresolved++; /* no Ethernet header: cannot be sent */
		rte_pktmbuf_free(m);
		return;
	}
	rte_memcpy(rte_pktmbuf_mtod(m, void *), &e->mac, RTE_ETHER_ADDR_LEN);
	t->st.parked_sent++;
	send_mbuf(t, port, m);
}

static void
flush_parked(struct sl_neigh_table *t, struct neigh_entry *e)
{
	for (unsigned int i = 0; i < e->n_parked; i++)
		send_to(t, e, e->port, e->parked[i]);
	e->n_parked = 0;
}

/* Ask for @e: broadcast (solicited-node multicast) while resolving,
 * unicast to the known MAC while refreshing. */
static void
send_request(struct sl_neigh_table *t, struct neigh_entry *e)
{
	static const struct rte_ether_addr bcast = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	static const struct rte_ether_addr zero;
	const struct neigh_local *l = NULL;
	const struct rte_ether_addr *dst = e->state == NEIGH_REFRESHING ? &e->mac : NULL;
	uint8_t f[SL_NEIGH_FRAME_MAX];
	size_t len;

	for (unsigned int i = 0; i < t->n_local && l == NULL; i++)
		if (t->local[i].valid && t->local[i].port == e->port &&
		    t->local[i].family == e->ip.family)
			l = &t->local[i];
	e->tries++;
	if (l == NULL) {
		t->st.no_local++; /* no address to ask from: counts as a try */
		return;
	}
	if (e->ip.family == AF_INET)
		len = sl_neigh_build_arp(f, false, dst ? dst : &bcast, &l->mac, l->addr, &zero,
					 e->ip.addr);
	else
		len = sl_neigh_build_ns(f, &l->mac, l->addr, e->ip.addr, dst);
	t->st.requests_sent++;
	neigh_send(t, e->port, f, len);
}

static void
entry_fail(struct sl_neigh_table *t, unsigned int slot, uint64_t now)
{
	struct neigh_entry *e = &t->e[slot];

	neigh_unpublish(t, slot);
	neigh_drop_parked(t, e);
	e->state = NEIGH_FAILED;
	e->tries = 0;
	/* hold-down: packets for it are dropped at once for a while rather
	 * than each starting a new round of requests */
	e->next_ms = now + (uint64_t)t->p.retry_ms * 2;
	t->st.failed++;
}

/* Resolved or confirmed: publish, send what waited. */
static void
learn(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
      const struct rte_ether_addr *mac, bool create, uint64_t now)
{
	int slot = neigh_entry_get(t, port, ip, create, now);
	struct neigh_entry *e;

	if (slot < 0)
		return;
	e = &t->e[slot];
	if (e->state == NEIGH_STATIC)
		return;
	if (!e->in_hash || !rte_is_same_ether_addr(&e->mac, mac)) {
		e->mac = *mac;
		e->state = NEIGH_REACHABLE;
		neigh_publish(t, (unsigned int)slot);
	}
	e->state = NEIGH_REACHABLE;
	e->tries = 0;
	e->confirmed_ms = now;
	/* looked at again at 3/4 of the timeout: refreshed if in use */
	e->next_ms = now + (uint64_t)t->p.timeout_ms * 3 / 4;
	__atomic_store_n(&t->used[slot], 0, __ATOMIC_RELAXED);
	t->st.learned++;
	flush_parked(t, e);
}

int
sl_neigh_learned_add(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
		     const struct rte_ether_addr *mac, uint32_t age_ms, uint64_t now_ms)
{
	int slot;

	if ((ip->family != AF_INET && ip->family != AF_INET6) || !rte_is_unicast_ether_addr(mac) ||
	    rte_is_zero_ether_addr(mac))
		return -EINVAL;
	if (age_ms >= t->p.timeout_ms || now_ms < age_ms)
		return -ETIMEDOUT;
	rte_spinlock_lock(&t->lock);
	slot = neigh_entry_get(t, port, ip, true, now_ms - age_ms);
	if (slot >= 0) /* confirmed then: refreshed at 3/4 of the timeout from then */
		learn(t, port, ip, mac, false, now_ms - age_ms);
	rte_spinlock_unlock(&t->lock);
	return slot >= 0 ? 0 : slot;
}

/* Update an entry we have from news nobody asked for (gratuitous ARP,
 * unsolicited NA, a reply that crossed a failure): never creates one. */
static void
update(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
       const struct rte_ether_addr *mac, bool override, uint64_t now)
{
	int slot = neigh_entry_get(t, port, ip, false, now);

	if (slot < 0)
		return;
	/* RFC 4861 7.2.5: without O, an advertisement does not replace a
	 * known link-layer address */
	if (!override && resolved(&t->e[slot]) && !rte_is_same_ether_addr(&t->e[slot].mac, mac))
		return;
	learn(t, port, ip, mac, false, now);
}

static void
answer_arp(struct sl_neigh_table *t, uint16_t port, const struct neigh_local *l,
	   const struct sl_neigh_msg *msg)
{
	uint8_t f[SL_NEIGH_FRAME_MAX];
	size_t len = sl_neigh_build_arp(f, true, &msg->lladdr, &l->mac, l->addr, &msg->lladdr,
					msg->sender.addr);

	t->st.replies_sent++;
	neigh_send(t, port, f, len);
}

static void
answer_ns(struct sl_neigh_table *t, uint16_t port, const struct neigh_local *l,
	  const struct sl_neigh_msg *msg)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
	static const struct rte_ether_addr all_nodes_mac = { { 0x33, 0x33, 0, 0, 0, 1 } };
	bool dad = msg->sender.addr[0] == 0 && !memcmp(msg->sender.addr, msg->sender.addr + 1, 15);
	uint8_t f[SL_NEIGH_FRAME_MAX];
	size_t len;

	/* a duplicate address probe is answered to all nodes (RFC 4861 7.2.4) */
	if (dad)
		len = sl_neigh_build_na(f, &l->mac, l->addr, &all_nodes_mac, all_nodes, false);
	else
		len = sl_neigh_build_na(f, &l->mac, l->addr,
					msg->has_lladdr ? &msg->lladdr : &msg->eth_src,
					msg->sender.addr, true);
	t->st.replies_sent++;
	neigh_send(t, port, f, len);
}

static void
handle_input(struct sl_neigh_table *t, uint16_t port, struct rte_mbuf *m, uint64_t now)
{
	uint8_t buf[INPUT_READ];
	uint32_t len = RTE_MIN(m->pkt_len, (uint32_t)sizeof(buf));
	const uint8_t *f = rte_pktmbuf_read(m, 0, len, buf);
	struct sl_neigh_msg msg;
	int li;

	t->st.input++;
	if (f == NULL || sl_neigh_parse(f, len, &msg) != SL_NEIGH_OK) {
		t->st.bad_input++;
		rte_pktmbuf_free(m);
		return;
	}
	rte_pktmbuf_free(m);
	switch (msg.kind) {
	case SL_NEIGH_ARP_REQUEST:
	case SL_NEIGH_ARP_REPLY:
		li = neigh_local_find(t, port, AF_INET, msg.target.addr);
		if (msg.gratuitous || li < 0)
			update(t, port, &msg.sender, &msg.lladdr, true, now);
		else if (msg.kind == SL_NEIGH_ARP_REQUEST) {
			answer_arp(t, port, &t->local[li], &msg);
			/* RFC 826: the asker is about to talk to us */
			if (msg.sender.addr[0] || memcmp(msg.sender.addr, msg.sender.addr + 1, 3))
				learn(t, port, &msg.sender, &msg.lladdr, true, now);
		} else
			update(t, port, &msg.sender, &msg.lladdr, true, now);
		break;
	case SL_NEIGH_NS:
		li = neigh_local_find(t, port, AF_INET6, msg.target.addr);
		if (li < 0)
			break;
		answer_ns(t, port, &t->local[li], &msg);
		if (msg.has_lladdr)
			learn(t, port, &msg.sender, &msg.lladdr, true, now);
		break;
	case SL_NEIGH_NA:
		if (msg.has_lladdr)
			update(t, port, &msg.target, &msg.lladdr, msg.override, now);
		break;
	}
}

static void
handle_park(struct sl_neigh_table *t, const struct neigh_rec *rec, uint64_t now)
{
	struct sl_ip_addr ip = { .family = rec->family };
	struct neigh_entry *e;
	int slot = -1;

	memcpy(ip.addr, rec->addr, sizeof(ip.addr));
	t->st.parked++;
	if (t->n_static_any)
		slot = neigh_entry_get(t, PORT_ANY, &ip, false, now);
	if (slot < 0)
		slot = neigh_entry_get(t, rec->port, &ip, true, now);
	if (slot < 0) {
		t->st.drop_table_full++;
		rte_pktmbuf_free(rec->m);
		return;
	}
	e = &t->e[slot];
	if (resolved(e)) /* resolved since the worker looked */
		send_to(t, e, rec->port, rec->m);
	else if (e->state == NEIGH_FAILED) {
		t->st.drop_unresolved++;
		rte_pktmbuf_free(rec->m);
	} else if (e->n_parked >= t->p.queue_len) {
		t->st.drop_queue_full++;
		rte_pktmbuf_free(rec->m);
	} else {
		e->parked[e->n_parked++] = rec->m;
		if (e->tries == 0) /* new: ask now, not at the next scan */
			e->next_ms = now;
		t->scan_now = true;
	}
}

/* One entry's timer (its next_ms has come). */
static void
entry_timer(struct sl_neigh_table *t, unsigned int slot, uint64_t now)
{
	struct neigh_entry *e = &t->e[slot];
	uint64_t expiry = e->confirmed_ms + t->p.timeout_ms;

	switch (e->state) {
	case NEIGH_RESOLVING:
	case NEIGH_REFRESHING:
		if (e->tries >= t->p.retries) {
			entry_fail(t, slot, now);
			return;
		}
		send_request(t, e);
		/* back-off: retry_ms, 2 x, 4 x ... */
		e->next_ms = now + ((uint64_t)t->p.retry_ms << RTE_MIN(e->tries - 1, 16u));
		return;
	case NEIGH_REACHABLE:
		if (e->wanted || __atomic_load_n(&t->used[slot], __ATOMIC_RELAXED)) {
			e->state = NEIGH_REFRESHING;
			e->tries = 0;
			entry_timer(t, slot, now);
		} else if (now >= expiry) {
			t->st.aged++;
			neigh_entry_free(t, slot);
		} else
			e->next_ms = expiry;
		return;
	case NEIGH_FAILED:
		if (e->wanted) {
			e->state = NEIGH_RESOLVING;
			entry_timer(t, slot, now);
		} else
			neigh_entry_free(t, slot);
		return;
	default:
		return;
	}
}

static void
scan(struct sl_neigh_table *t, uint64_t now)
{
	t->last_scan_ms = now;
	t->scan_now = false;
	for (unsigned int i = 0; i < SL_NEIGH_MAX && t->n_entries; i++) {
		struct neigh_entry *e = &t->e[i];

		if (e->state == NEIGH_STATIC && e->n_parked)
			flush_parked(t, e);
		else if (e->state > NEIGH_STATIC && now >= e->next_ms)
			entry_timer(t, i, now);
	}
}

unsigned int
sl_neigh_run(struct sl_neigh_table *t, uint64_t now_ms)
{
	unsigned int nw = t->p.n_workers, done = 0;

	rte_spinlock_lock(&t->lock);
	for (unsigned int w = 0; w < nw; w++) {
		struct neigh_rec recs[BATCH];
		unsigned int n = rte_ring_sc_dequeue_burst_elem(t->to_ctl[w], recs, sizeof(recs[0]),
							       BATCH, NULL);

		for (unsigned int i = 0; i < n; i++) {
			if (recs[i].kind == NEIGH_REC_INPUT)
				handle_input(t, recs[i].port, recs[i].m, now_ms);
			else
				handle_park(t, &recs[i], now_ms);
		}
		done += n;
	}
	if (t->scan_now || now_ms - t->last_scan_ms >= SCAN_MS)
		scan(t, now_ms);
	t->tx_next++;
	rte_spinlock_unlock(&t->lock);
	return done;
}

bool
sl_neigh_pending(const struct sl_neigh_table *t)
{
	for (unsigned int w = 0; w < t->p.n_workers; w++)
		if (!rte_ring_empty(t->to_ctl[w]))
			return true;
	return false;
}

void
sl_neigh_stats_get(const struct sl_neigh_table *t, struct sl_neigh_stats *out)
{
	struct sl_neigh_table *tw = (struct sl_neigh_table *)(uintptr_t)t; /* the lock */

	rte_spinlock_lock(&tw->lock);
	*out = t->st;
	out->entries = t->n_entries;
	out->resolved = 0;
	for (unsigned int i = 0; i < SL_NEIGH_MAX; i++)
		out->resolved += resolved(&t->e[i]);
	rte_spinlock_unlock(&tw->lock);
	for (unsigned int w = 0; w < RTE_MAX(t->p.n_workers, 1u); w++) {
		const struct neigh_wstats *ws = &t->wstats[w];

		out->input_taken += __atomic_load_n(&ws->input, __ATOMIC_RELAXED);
		out->input_shared += __atomic_load_n(&ws->shared, __ATOMIC_RELAXED);
		out->drop_ring_full += __atomic_load_n(&ws->ring_full, __ATOMIC_RELAXED);
	}
}

void
sl_neigh_walk(const struct sl_neigh_table *t, uint64_t now_ms,
	      int (*fn)(const struct sl_neigh_entry_info *e, void *arg), void *arg)
{
	struct sl_neigh_table *tw = (struct sl_neigh_table *)(uintptr_t)t; /* the lock */

	rte_spinlock_lock(&tw->lock);
	for (unsigned int i = 0; i < SL_NEIGH_MAX; i++) {
		const struct neigh_entry *e = &t->e[i];
		struct sl_neigh_entry_info info = {
			.port = e->port, .ip = e->ip, .state = state_names[e->state],
			.parked = e->n_parked, .tries = e->tries, .wanted = e->wanted,
		};

		if (e->state == NEIGH_FREE)
			continue;
		if (resolved(e))
			info.mac = e->mac;
		info.age_ms = e->state == NEIGH_STATIC || now_ms < e->confirmed_ms ? 0 :
			      now_ms - e->confirmed_ms;
		if (fn(&info, arg) != 0)
			break;
	}
	rte_spinlock_unlock(&tw->lock);
}
