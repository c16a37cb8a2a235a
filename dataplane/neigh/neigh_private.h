/* SPDX-License-Identifier: BSD-3-Clause */
/* The neighbour table's insides, shared by neigh.c (creation, the
 * workers' side, local and static entries) and neigh_ctl.c (the control
 * lcore's side). */
#ifndef SL_NEIGH_PRIVATE_H
#define SL_NEIGH_PRIVATE_H

#include <rte_common.h>
#include <rte_hash.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include "sl_neigh.h"

/* The key of both hashes: (port, address). */
struct neigh_key {
	uint16_t port;
	uint8_t family;
	uint8_t pad;
	uint8_t addr[16];
};

/* The workers' hash maps a key to one 64-bit word, written atomically by
 * rte_hash: the MAC in the low 48 bits, the entry's slot above, so that a
 * lookup needs no second load that could be torn or stale. */
#define NEIGH_WORD(mac48, slot) ((mac48) | ((uint64_t)(slot) << 48))
#define NEIGH_WORD_SLOT(w) ((unsigned int)((w) >> 48) & (SL_NEIGH_MAX - 1))

/* What a worker queues for the control lcore. */
enum neigh_rec_kind { NEIGH_REC_INPUT, NEIGH_REC_PARK };

struct neigh_rec {
	struct rte_mbuf *m;
	uint16_t port;
	uint8_t kind;
	uint8_t family;
	uint8_t addr[16];
};

/* What the control lcore queues for a worker to send. */
struct neigh_tx {
	struct rte_mbuf *m;
	uint16_t port;
	uint16_t pad[3];
};

enum neigh_state {
	NEIGH_FREE,
	NEIGH_STATIC,
	NEIGH_RESOLVING, /* asked, no answer yet: not in the workers' hash */
	NEIGH_REACHABLE,
	NEIGH_REFRESHING, /* asked again before expiry; the MAC still used */
	NEIGH_FAILED,     /* no answer: parked packets dropped until next_ms */
};

struct neigh_entry {
	uint8_t state;           /* enum neigh_state */
	bool wanted;             /* sl_neigh_want */
	bool in_hash;            /* published to the workers */
	uint16_t port;
	uint16_t n_parked;
	uint32_t tries;          /* requests since last confirmed */
	struct sl_ip_addr ip;
	struct rte_ether_addr mac;
	uint64_t confirmed_ms;   /* learned or confirmed (RESOLVING: created) */
	uint64_t next_ms;        /* next timer action */
	struct rte_mbuf **parked; /* queue_len slots, FIFO */
};

/* A local VTEP address; read by workers without a lock: valid is stored
 * last (release) and cleared first, so a worker sees a whole entry or an
 * invalid one, except while the control lcore reuses a slot (then a frame
 * may be misjudged once; the control lcore checks again). */
struct neigh_local {
	uint8_t valid;
	uint8_t family;
	uint16_t port;
	uint8_t addr[16];
	struct rte_ether_addr mac;
};

/* A worker's counters in the table, on a line of its own. */
struct neigh_wstats {
	uint64_t input;
	uint64_t parked;
	uint64_t ring_full;
	uint64_t shared; /* gratuitous frames handed over by reference */
} __rte_cache_aligned;

struct sl_neigh_table {
	struct sl_neigh_params p;
	struct rte_hash *lookup;    /* workers: key -> NEIGH_WORD, lock-free reads */
	struct rte_hash *index;     /* control lcore: key -> entry slot */
	struct rte_ring **to_ctl;   /* per worker, SP/SC, struct neigh_rec */
	struct rte_ring **to_wrk;   /* per worker, SP/SC, struct neigh_tx */
	struct neigh_wstats *wstats; /* per worker */
	uint8_t *used;              /* per entry: a worker looked it up (cleared by the control lcore) */
	struct neigh_entry *e;      /* SL_NEIGH_MAX */
	struct rte_mbuf **parked_store; /* SL_NEIGH_MAX * queue_len */
	unsigned int n_static_any;  /* static entries for any port: looked up first */
	unsigned int n_local;       /* slots of local[] ever used */
	struct neigh_local local[SL_NEIGH_MAX_LOCAL];
	unsigned int n_entries;     /* entries not FREE */
	bool scan_now;              /* an entry wants its timer run at once */
	unsigned int tx_next;       /* round robin over to_wrk */
	uint64_t last_scan_ms;
	/* held by the control lcore while it changes entries and by readers
	 * on other threads (telemetry); never by workers */
	rte_spinlock_t lock;
	struct sl_neigh_stats st;   /* the control lcore's counters */
};

/* neigh.c */
void neigh_key_make(struct neigh_key *k, uint16_t port, const struct sl_ip_addr *ip);
int neigh_local_find(const struct sl_neigh_table *t, uint16_t port, uint8_t family,
		     const uint8_t *addr);
void neigh_publish(struct sl_neigh_table *t, unsigned int slot);
void neigh_unpublish(struct sl_neigh_table *t, unsigned int slot);
int neigh_entry_get(struct sl_neigh_table *t, uint16_t port, const struct sl_ip_addr *ip,
		    bool create, uint64_t now_ms);
void neigh_entry_free(struct sl_neigh_table *t, unsigned int slot);

/* neigh_ctl.c */
void neigh_send(struct sl_neigh_table *t, uint16_t port, const uint8_t *frame, size_t len);
void neigh_drop_parked(struct sl_neigh_table *t, struct neigh_entry *e);

#endif /* SL_NEIGH_PRIVATE_H */
