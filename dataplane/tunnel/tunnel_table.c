/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tunnel port table: settings checks, clashes, and the decap match
 * (sl_tunnel.h), a hash index built with the table (below).
 */
#include "sl_tunnel.h"

#include "sl_geneve.h"

#include <stdio.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_hash_crc.h>

int
sl_tunnel_params_check(const struct sl_tunnel_params *p, char *err, size_t len)
{
	const char *type = sl_tnl_proto_name(p->proto);

	if (p->proto != SL_TNL_PROTO_VXLAN && p->proto != SL_TNL_PROTO_GENEVE) {
		snprintf(err, len, "tunnel protocol %u: expected vxlan or geneve", p->proto);
		return -1;
	}
	if (p->underlay[0] == '\0') {
		snprintf(err, len, "a %s port needs 'underlay' (a dpdk or afpacket port)", type);
		return -1;
	}
	if (p->local.family != AF_INET && p->local.family != AF_INET6) {
		snprintf(err, len, "a %s port needs 'local_ip' (an IPv4 or IPv6 address)", type);
		return -1;
	}
	if (!p->remote_flow && p->remote.family == 0) {
		snprintf(err, len, "a %s port needs 'remote_ip' (an address or \"flow\")", type);
		return -1;
	}
	if (!p->remote_flow && p->remote.family != p->local.family) {
		snprintf(err, len, "'local_ip' and 'remote_ip' mix IPv4 and IPv6");
		return -1;
	}
	if (!p->key_flow && p->vni > SL_VXLAN_VNI_MAX) {
		snprintf(err, len, "'key' above 16777215");
		return -1;
	}
	return 0;
}

/* Whether two ports' frames arrive at one VTEP: underlay, local address
 * and UDP port. */
static bool
same_vtep(const struct sl_tunnel_params *a, const struct sl_tunnel_params *b)
{
	return strcmp(a->underlay, b->underlay) == 0 && sl_ip_addr_eq(&a->local, &b->local) &&
	       a->dst_port == b->dst_port;
}

bool
sl_tunnel_params_clash(const struct sl_tunnel_params *a, const struct sl_tunnel_params *b)
{
	return same_vtep(a, b) && a->remote_flow == b->remote_flow &&
	       (a->remote_flow || sl_ip_addr_eq(&a->remote, &b->remote)) &&
	       a->key_flow == b->key_flow && (a->key_flow || a->vni == b->vni);
}

bool
sl_tunnel_params_proto_clash(const struct sl_tunnel_params *a, const struct sl_tunnel_params *b)
{
	return a->proto != b->proto && same_vtep(a, b);
}

/*
 * The decap index: an open-addressed hash (linear probing) over records of
 * four kinds, built by sl_tunnel_table_add before the table is published
 * and only read afterwards. A port with a fixed remote and key is one
 * REC_PORT record, found in one probe on (VTEP, outer source, VNI): the
 * common case costs one hash and one key compare, however many ports the
 * table has. What wildcard ports (remote_ip = flow, key = flow) a VTEP has
 * is on its REC_VTEP record, looked up second, so that a table without them
 * pays for a miss only the probes that tell "not ours" (two) from "unknown
 * remote" or "unknown VNI" (three).
 *   REC_PORT    (local, remote, VNI): a fixed remote and key -> entry
 *   REC_PORT_VNI (local, -, VNI): remote_ip = flow, fixed key -> entry
 *   REC_VTEP    (local, -, -): the VTEP exists; wild: its remote_ip = flow,
 *               key = flow port; flags: which wildcard ports it has
 *   REC_REMOTE  (local, remote, -): a fixed-remote port of that remote
 *               exists; wild: its key = flow port
 * A VTEP speaks one protocol (the configuration refuses a VXLAN and a
 * Geneve port on one VTEP): its record says which (VTEP_GENEVE), and the
 * REC_PORT / REC_PORT_VNI keys have the protocol of the header they take
 * (REC_GENEVE), so a Geneve header never hits a VXLAN port's record nor
 * the reverse; the miss then finds the VTEP and says why.
 */
enum { REC_PORT = 0, REC_PORT_VNI = 1, REC_VTEP = 2, REC_REMOTE = 3, REC_V6 = 4,
       REC_GENEVE = 8 };
enum { VTEP_REMOTE_ANY = 1, VTEP_PORT_VNI = 2, VTEP_GENEVE = 4 };
_Static_assert(REC_GENEVE == SL_TNL_PROTO_GENEVE << 3, "a header's protocol is its key's bit");
#define NO_ENTRY UINT16_MAX
#define SLOT_MASK (SL_TUNNEL_HASH_SLOTS - 1)

static inline uint64_t
key_meta(uint32_t vni, unsigned int kind, uint8_t family, uint16_t port, uint16_t underlay)
{
	kind |= family == AF_INET6 ? REC_V6 : 0;
	return vni | (uint64_t)kind << 24 | (uint64_t)port << 32 | (uint64_t)underlay << 48;
}

static inline void
key_addr(uint64_t out[2], const struct sl_ip_addr *a)
{
	memcpy(out, a->addr, 16);
}

/* One CRC over the key's words folded together: collisions only cost a key
 * compare, and the fold is a few cycles where a CRC per word is three each.
 * The words are passed in registers: a key on the stack, loaded back as
 * 16 bytes, would wait on the stores that made it. */
static inline uint32_t
key_hash_w(uint64_t l0, uint64_t l1, uint64_t r0, uint64_t r1, uint64_t meta)
{
	uint64_t x = l0 ^ (l1 << 13 | l1 >> 51) ^ (r0 << 29 | r0 >> 35) ^ (r1 << 43 | r1 >> 21);

	return rte_hash_crc_8byte(x ^ meta * 0x9e3779b97f4a7c15ull, 0);
}

static inline uint32_t
key_hash(const struct sl_tunnel_key *k)
{
	return key_hash_w(k->local[0], k->local[1], k->remote[0], k->remote[1], k->meta);
}

static __rte_always_inline const struct sl_tunnel_rec *
rec_find_w(const struct sl_tunnel_table *t, uint64_t l0, uint64_t l1, uint64_t r0, uint64_t r1,
	   uint64_t meta)
{
	uint32_t h = key_hash_w(l0, l1, r0, r1, meta), sig = h & 0xffff0000u;

	/* ends: fewer records than half the slots, so an empty slot comes */
	for (uint32_t i = h & SLOT_MASK;; i = (i + 1) & SLOT_MASK) {
		uint32_t s = t->slots[i];
		const struct sl_tunnel_rec *r;

		if (s == 0)
			return NULL;
		r = &t->recs[(s & 0xffff) - 1];
		if ((s & 0xffff0000u) == sig &&
		    ((r->k.local[0] ^ l0) | (r->k.local[1] ^ l1) | (r->k.remote[0] ^ r0) |
		     (r->k.remote[1] ^ r1) | (r->k.meta ^ meta)) == 0)
			return r;
	}
}

static inline const struct sl_tunnel_rec *
rec_find(const struct sl_tunnel_table *t, const struct sl_tunnel_key *k)
{
	return rec_find_w(t, k->local[0], k->local[1], k->remote[0], k->remote[1], k->meta);
}

/* The record of @k, made (entry and wild unset) when it is not there. */
static struct sl_tunnel_rec *
rec_get(struct sl_tunnel_table *t, const struct sl_tunnel_key *k)
{
	uint32_t h = key_hash(k), i;
	struct sl_tunnel_rec *r = (struct sl_tunnel_rec *)rec_find(t, k);

	if (r != NULL)
		return r;
	if (t->n_recs == SL_TUNNEL_RECS)
		return NULL;
	for (i = h & SLOT_MASK; t->slots[i] != 0; i = (i + 1) & SLOT_MASK)
		;
	r = &t->recs[t->n_recs++];
	*r = (struct sl_tunnel_rec){ .k = *k, .entry = NO_ENTRY, .wild = NO_ENTRY };
	t->slots[i] = (h & 0xffff0000u) | t->n_recs;
	return r;
}

static void
key_make(struct sl_tunnel_key *k, const struct sl_ip_addr *local,
	 const struct sl_ip_addr *remote, uint32_t vni, unsigned int kind, uint16_t port,
	 uint16_t underlay)
{
	key_addr(k->local, local);
	if (remote != NULL)
		key_addr(k->remote, remote);
	else
		k->remote[0] = k->remote[1] = 0;
	k->meta = key_meta(vni, kind, local->family, port, underlay);
}

/* Index entry @idx: its VTEP, its remote, its own record. Among ports that
 * take the same packets (refused by the configuration) the first wins. */
static int
index_entry(struct sl_tunnel_table *t, uint16_t idx)
{
	const struct sl_tunnel_entry *e = &t->e[idx];
	const struct sl_tunnel_params *p = &e->p;
	struct sl_tunnel_rec *vtep, *r;
	struct sl_tunnel_key k;

	key_make(&k, &p->local, NULL, 0, REC_VTEP, p->dst_port, e->underlay_slot);
	if ((vtep = rec_get(t, &k)) == NULL)
		return -1;
	if (p->proto == SL_TNL_PROTO_GENEVE)
		vtep->flags |= VTEP_GENEVE;
	if (p->remote_flow) {
		vtep->flags |= VTEP_REMOTE_ANY;
		if (p->key_flow) {
			if (vtep->wild == NO_ENTRY)
				vtep->wild = idx;
			return 0;
		}
		vtep->flags |= VTEP_PORT_VNI;
		key_make(&k, &p->local, NULL, p->vni, REC_PORT_VNI | (unsigned int)p->proto << 3,
			 p->dst_port, e->underlay_slot);
	} else {
		key_make(&k, &p->local, &p->remote, 0, REC_REMOTE, p->dst_port, e->underlay_slot);
		if ((r = rec_get(t, &k)) == NULL)
			return -1;
		if (p->key_flow) {
			if (r->wild == NO_ENTRY)
				r->wild = idx;
			return 0;
		}
		key_make(&k, &p->local, &p->remote, p->vni, REC_PORT | (unsigned int)p->proto << 3,
			 p->dst_port, e->underlay_slot);
	}
	if ((r = rec_get(t, &k)) == NULL)
		return -1;
	if (r->entry == NO_ENTRY)
		r->entry = idx;
	return 0;
}

int
sl_tunnel_table_add(struct sl_tunnel_table *t, const struct sl_tunnel_params *p,
		    uint16_t slot, uint16_t underlay, uint32_t ofport)
{
	struct sl_tunnel_entry *e;

	if (t->n == SL_TUNNEL_MAX || underlay >= SL_TUNNEL_MAX_SLOTS)
		return -1;
	e = &t->e[t->n];
	memset(e, 0, sizeof(*e));
	e->p = *p;
	e->slot = slot;
	e->underlay_slot = underlay;
	e->ofport = ofport;
	if (index_entry(t, (uint16_t)t->n) != 0)
		return -1; /* cannot happen: 3 records per port at most */
	t->n++;
	t->underlay[underlay] = true;
	return 0;
}

/* The misses of the first probe: is it a VTEP at all, a malformed datagram,
 * a wildcard port's, or which drop. */
static enum sl_tnl_verdict __rte_noinline
rx_match_slow(const struct sl_tunnel_table *t, struct sl_tunnel_key *k,
	      const struct sl_vxlan_outer *o, const struct sl_tunnel_entry **entry)
{
	uint64_t remote[2] = { k->remote[0], k->remote[1] };
	uint64_t meta = k->meta & ~(uint64_t)(SL_VXLAN_VNI_MAX | (uint64_t)(3 | REC_GENEVE) << 24);
	const struct sl_tunnel_rec *vtep, *r, *rr;

	k->remote[0] = k->remote[1] = 0;
	k->meta = meta | (uint64_t)REC_VTEP << 24;
	vtep = rec_find(t, k);
	if (vtep == NULL)
		return SL_TNL_NOT_OURS;
	if (vtep->flags & VTEP_GENEVE) {
		if (o->verdict != SL_TNL_OK || o->proto != SL_TNL_PROTO_GENEVE)
			return (enum sl_tnl_verdict)o->geneve_verdict;
	} else if (o->verdict != SL_TNL_OK || o->proto != SL_TNL_PROTO_VXLAN) {
		return o->verdict != SL_TNL_OK ? (enum sl_tnl_verdict)o->verdict : SL_TNL_BAD_FLAGS;
	}
	k->remote[0] = remote[0];
	k->remote[1] = remote[1];
	k->meta = meta | (uint64_t)REC_REMOTE << 24;
	rr = rec_find(t, k);
	if (rr != NULL && rr->wild != NO_ENTRY) {
		*entry = &t->e[rr->wild];
		return SL_TNL_OK;
	}
	if (vtep->flags & VTEP_PORT_VNI) {
		k->remote[0] = k->remote[1] = 0;
		k->meta = meta | o->vni | (uint64_t)(REC_PORT_VNI | o->proto << 3) << 24;
		r = rec_find(t, k);
		if (r != NULL) {
			*entry = &t->e[r->entry];
			return SL_TNL_OK;
		}
	}
	if (vtep->wild != NO_ENTRY) {
		*entry = &t->e[vtep->wild];
		return SL_TNL_OK;
	}
	return rr != NULL || (vtep->flags & VTEP_REMOTE_ANY) ? SL_TNL_UNKNOWN_VNI
							      : SL_TNL_UNKNOWN_REMOTE;
}

/* 8 bytes of an address, loaded as such: merged into a 16-byte load, it
 * would span the two 8-byte stores the parser made of an IPv4 address and
 * wait for them to leave the store buffer. */
static inline uint64_t
addr_word(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	__asm__("" : "+r"(v)); /* keeps the load on its own */
	return v;
}

enum sl_tnl_verdict
sl_tunnel_rx_match(const struct sl_tunnel_table *t, uint16_t underlay,
		   const struct sl_vxlan_outer *o, const struct sl_tunnel_entry **entry)
{
	uint64_t l0 = addr_word(o->dst.addr), l1 = addr_word(o->dst.addr + 8);
	uint64_t r0 = addr_word(o->src.addr), r1 = addr_word(o->src.addr + 8);
	uint64_t meta = key_meta(o->vni, REC_PORT | (unsigned int)o->proto << 3, o->dst.family,
				 o->udp_dst, underlay);
	const struct sl_tunnel_rec *rec;
	struct sl_tunnel_key k;

	if (likely(o->verdict == SL_TNL_OK) && (rec = rec_find_w(t, l0, l1, r0, r1, meta)) != NULL) {
		*entry = &t->e[rec->entry];
		return SL_TNL_OK;
	}
	k = (struct sl_tunnel_key){ { l0, l1 }, { r0, r1 }, meta };
	return rx_match_slow(t, &k, o, entry); /* out of line: the hit needs no stack frame */
}

unsigned int
sl_tunnel_vteps(const struct sl_tunnel_table *t, uint16_t underlay, struct sl_ip_addr *out,
		unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < t->n; i++) {
		const struct sl_tunnel_entry *e = &t->e[i];
		bool seen = false;

		if (e->underlay_slot != underlay)
			continue;
		for (unsigned int j = 0; j < i && !seen; j++)
			seen = t->e[j].underlay_slot == underlay &&
			       sl_ip_addr_eq(&t->e[j].p.local, &e->p.local);
		if (seen)
			continue;
		if (n < max)
			out[n] = e->p.local;
		n++;
	}
	return n;
}

bool
sl_tunnel_is_underlay(const struct sl_tunnel_table *t, uint16_t slot)
{
	return slot < SL_TUNNEL_MAX_SLOTS && t->underlay[slot];
}
