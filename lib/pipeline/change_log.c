/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The change log (sl_change_log.h): one record per tables version bump, so
 * that a worker holding a megaflow built at version `since` can prove that
 * nothing up to `now` changes its translation, and keep it without paying
 * for sl_xlate (~2000-2500 cycles) when unrelated rules churn.
 *
 * Why a skip is sound. A megaflow covers the region
 * R = {p : (p & m) == (k & m)}, and every packet of R takes the same path:
 * the same tables looked up, the same rule hit in each, the same actions
 * (the megaflow invariant: the mask holds every bit any decision consulted).
 * Take a change logged as TABLE (table T, match (rk, rm)):
 *  - T was not looked up on the path: no decision on the path read T, so
 *    the path and the result are unchanged (the path is a function of the
 *    answers of the tables it visits, and of GLOBAL state, which did not
 *    change or the record would be GLOBAL).
 *  - T was looked up, and R is disjoint from the match, i.e. some bit b set
 *    in both masks has k_b != rk_b. Every rule added, removed or modified by
 *    the change lies inside (rk, rm) (a flow-mod's match contains every rule
 *    it selects), so none of them matches any packet of R. Provided the key
 *    looked up in T agrees with the packet on b, T's answer (the highest
 *    priority rule that matches) is the same for every packet of R before
 *    and after. That proviso is `key_pure`: no action wrote a packet bit
 *    before any lookup (set-field, push/pop) and the packet did not
 *    recirculate. Metadata (write-metadata) does not matter: the megaflow
 *    mask never holds metadata bits, and the reader below never uses the
 *    metadata word as the witness bit b, so b is a packet bit the lookup
 *    key still has. When the key is not pure, only "T not on the path" is
 *    used.
 *  - One more way a change outside (rk, rm) can alter T's answer: among
 *    equal-priority rules that both match a packet, the one in the subtable
 *    sorted first wins (sl_classifier.h), and subtables sort by their best
 *    priority. A change that moves an existing subtable's best priority may
 *    flip such a tie for packets it does not match, so table.c logs it with
 *    a catch-all match (sl_classifier.order_changes): never disjoint.
 * By induction over the tables of the path (each answer unchanged ->
 * the next table and its key unchanged), the whole translation is
 * unchanged, for every version in (since, now]. Rule deletions are covered
 * too: the rule an entry hit in T matches all of R, so deleting (or
 * modifying) it is never disjoint, and entries never keep the counter
 * slot (stats_idx) of a freed rule. The megaflow mask a new translation
 * would compute may differ (e.g. a new subtable probed), but the old mask
 * still proves the old result for all of R, which is all the cache needs.
 *
 * MAC records. NORMAL (xlate_normal.c) reads the MAC table twice, for
 * (vlan, eth_src) (is the source to be reported?) and (vlan, eth_dst)
 * (where to?), after putting in_port, vlan_vid, eth_src and eth_dst in the
 * mask. With a pure key those are the packet's own fields, the same for
 * every packet of the region, so a change of any other entry leaves both
 * answers, and the translation, as they were. A translation that never
 * reached NORMAL (uses_mac clear) does not depend on the table at all. This
 * is what keeps one VM's MAC churn (learning, moves, aging) from making
 * every other tenant's megaflows translate again.
 *
 * Concurrency: one writer (the control lcore), many wait-free readers. The
 * version is the sequence number of a seqlock over the ring: the writer
 * stores the version v, issues a release fence, writes slot v % N and
 * tags it with v (release). A reader reads records (tag first, acquire,
 * then the words, relaxed), issues an acquire fence and reads the version
 * again: if a record it read was being rewritten for v + N, the writer's
 * fence synchronises with the reader's, so the reader sees a version
 * >= v + N and gives up. A slot whose tag is not v (older: not written yet,
 * or newer: overwritten) gives up too.
 */
#include <stddef.h>

#include <rte_byteorder.h>

#include "openflow.h"
#include "pipeline_private.h"

/* The metadata word: pipeline state, never a witness of disjointness. */
#define MD_WORD (offsetof(struct sl_flow_key, metadata) / sizeof(uint64_t))

/* Write the record of version v = version + 1 and publish v. */
static void
log_record(struct sl_pipeline *pl, enum sl_change_kind kind, uint8_t table_id,
	   const struct sl_match *m, uint64_t mac_key)
{
	/* One writer, so a store, not a locked add: every worker reads the
	 * version on every iteration, and a locked add waits until the line
	 * has come back from their cores (the largest single cost of a
	 * flow-mod burst on the control lcore); a store waits in the store
	 * buffer. Release: a worker that reads v sees the tables as changed. */
	uint64_t v = __atomic_load_n(&pl->version, __ATOMIC_RELAXED) + 1;
	struct pl_change *c = &pl->changes[v % SL_CHANGE_LOG_SIZE];

	/* Before the version: a reader that sees v (acquire) sees the hard
	 * version of every change up to v (sl_pipeline_learning_only_since). */
	if (kind != SL_CHANGE_MAC && kind != SL_CHANGE_MAC_ALL)
		__atomic_store_n(&pl->hard_version, v, __ATOMIC_RELAXED);
	__atomic_store_n(&pl->version, v, __ATOMIC_RELEASE);
	/* Readers that see any word written below also see the version >= v. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&c->kind, (uint64_t)kind, __ATOMIC_RELAXED);
	__atomic_store_n(&c->table_id, table_id, __ATOMIC_RELAXED);
	__atomic_store_n(&c->mac, mac_key, __ATOMIC_RELAXED);
	if (kind == SL_CHANGE_TABLE) {
		/* Only the words the match constrains, packed: a typical match has
		 * 2-4 of 23, and readers compare each record for every stale entry. */
		uint64_t n = 0;

		for (unsigned int i = 0; i < SL_FLOW_KEY_WORDS; i++) {
			if (i == MD_WORD || m->mask.w[i] == 0)
				continue;
			__atomic_store_n(&c->word_idx[n], (uint8_t)i, __ATOMIC_RELAXED);
			__atomic_store_n(&c->km[n][0], m->key.w[i] & m->mask.w[i], __ATOMIC_RELAXED);
			__atomic_store_n(&c->km[n][1], m->mask.w[i], __ATOMIC_RELAXED);
			n++;
		}
		__atomic_store_n(&c->n_words, n, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&c->version, v, __ATOMIC_RELEASE);
}

void
pl_log_change(struct sl_pipeline *pl, enum sl_change_kind kind, uint8_t table_id,
	      const struct sl_match *m)
{
	if (pl->txn != NULL)
		return; /* the commit bumps once for all (txn.c) */
	if (kind == SL_CHANGE_MAC || (kind == SL_CHANGE_TABLE && m == NULL))
		kind = SL_CHANGE_GLOBAL; /* undescribed: pl_log_mac() gives the MAC */
	log_record(pl, kind, table_id, m, 0);
}

void
pl_log_mac(struct sl_pipeline *pl, uint64_t mac_key)
{
	log_record(pl, SL_CHANGE_MAC, 0, NULL, mac_key);
}

bool
sl_pipeline_learning_only_since(const struct sl_pipeline *pl, uint64_t since)
{
	return __atomic_load_n(&pl->hard_version, __ATOMIC_ACQUIRE) <= since;
}

/* The MAC table keys NORMAL looked up for a packet of the region: (vlan,
 * eth_src) and (vlan, eth_dst), vlan as xlate_normal.c computes it. */
static bool
mac_disjoint(uint64_t mac_key, const struct sl_flow_key *key)
{
	uint16_t vid = rte_be_to_cpu_16(key->vlan_vid);
	uint64_t k = (uint64_t)((vid & OFPVID_PRESENT) ? (vid & 0x0fff) : 0) << 48;
	uint64_t src = k, dst = k;

	for (unsigned int i = 0; i < 6; i++) {
		src |= (uint64_t)key->eth_src[i] << (40 - 8 * i);
		dst |= (uint64_t)key->eth_dst[i] << (40 - 8 * i);
	}
	return mac_key != src && mac_key != dst;
}

/* Some bit set in both masks (metadata aside: the writer leaves it out)
 * where the keys differ? A record being rewritten may give torn indexes:
 * they are kept in range here, and the seqlock check rejects the answer. */
static bool
region_disjoint(const struct pl_change *c, const struct sl_flow_key *key,
		const struct sl_flow_key *mask)
{
	uint64_t n = __atomic_load_n(&c->n_words, __ATOMIC_RELAXED);

	for (uint64_t j = 0; j < n && j < SL_FLOW_KEY_WORDS; j++) {
		unsigned int i = __atomic_load_n(&c->word_idx[j], __ATOMIC_RELAXED);
		uint64_t rk = __atomic_load_n(&c->km[j][0], __ATOMIC_RELAXED);
		uint64_t rm = __atomic_load_n(&c->km[j][1], __ATOMIC_RELAXED);

		if (i < SL_FLOW_KEY_WORDS && ((key->w[i] ^ rk) & mask->w[i] & rm) != 0)
			return true;
	}
	return false;
}

static bool
on_path(const uint8_t *tables, unsigned int n_tables, uint64_t t)
{
	for (unsigned int i = 0; i < n_tables; i++)
		if (tables[i] == t)
			return true;
	return false;
}

bool
sl_pipeline_changes_disjoint(const struct sl_pipeline *pl, uint64_t since, uint64_t now,
			     const struct sl_flow_key *key, const struct sl_flow_key *mask,
			     const uint8_t *tables, unsigned int n_tables, unsigned int flags)
{
	bool key_pure = flags & SL_CHANGES_KEY_PURE, uses_mac = flags & SL_CHANGES_USES_MAC;

	if (now < since || now - since > SL_CHANGE_LOG_SIZE)
		return false;
	for (uint64_t v = since + 1; v <= now; v++) {
		const struct pl_change *c = &pl->changes[v % SL_CHANGE_LOG_SIZE];

		if (__atomic_load_n(&c->version, __ATOMIC_ACQUIRE) != v)
			return false; /* not written yet, or overwritten */
		uint64_t kind = __atomic_load_n(&c->kind, __ATOMIC_RELAXED);

		if (kind == SL_CHANGE_MAC || kind == SL_CHANGE_MAC_ALL) {
			if (!uses_mac)
				continue;
			if (kind == SL_CHANGE_MAC_ALL || !key_pure ||
			    !mac_disjoint(__atomic_load_n(&c->mac, __ATOMIC_RELAXED), key))
				return false;
			continue;
		}
		if (kind != SL_CHANGE_TABLE)
			return false;
		if (!on_path(tables, n_tables, __atomic_load_n(&c->table_id, __ATOMIC_RELAXED)))
			continue;
		if (!key_pure || !region_disjoint(c, key, mask))
			return false;
	}
	/* Seqlock check: no record read above may have been rewritten meanwhile
	 * (slot of since + 1 is rewritten for since + 1 + N first). */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&pl->version, __ATOMIC_RELAXED) - since <= SL_CHANGE_LOG_SIZE;
}

int
sl_pipeline_change_kind(const struct sl_pipeline *pl, uint64_t version)
{
	const struct pl_change *c = &pl->changes[version % SL_CHANGE_LOG_SIZE];
	int kind;

	if (version == 0 || __atomic_load_n(&c->version, __ATOMIC_ACQUIRE) != version)
		return -1;
	kind = (int)__atomic_load_n(&c->kind, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&pl->version, __ATOMIC_RELAXED) - version >= SL_CHANGE_LOG_SIZE)
		return -1;
	return kind;
}
