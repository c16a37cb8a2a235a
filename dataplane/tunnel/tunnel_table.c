/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tunnel port table: settings checks, clashes, and the decap match
 * (sl_tunnel.h). A linear scan: a switch has a handful of VTEPs and the
 * entries of one underlay are contiguous in practice; README.md says when
 * that should become a hash.
 */
#include "sl_tunnel.h"

#include <stdio.h>
#include <string.h>

int
sl_tunnel_params_check(const struct sl_tunnel_params *p, char *err, size_t len)
{
	if (p->underlay[0] == '\0') {
		snprintf(err, len, "a vxlan port needs 'underlay' (a dpdk or afpacket port)");
		return -1;
	}
	if (p->local.family != AF_INET && p->local.family != AF_INET6) {
		snprintf(err, len, "a vxlan port needs 'local_ip' (an IPv4 or IPv6 address)");
		return -1;
	}
	if (!p->remote_flow && p->remote.family == 0) {
		snprintf(err, len, "a vxlan port needs 'remote_ip' (an address or \"flow\")");
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

bool
sl_tunnel_params_clash(const struct sl_tunnel_params *a, const struct sl_tunnel_params *b)
{
	return strcmp(a->underlay, b->underlay) == 0 && sl_ip_addr_eq(&a->local, &b->local) &&
	       a->dst_port == b->dst_port && a->remote_flow == b->remote_flow &&
	       (a->remote_flow || sl_ip_addr_eq(&a->remote, &b->remote)) &&
	       a->key_flow == b->key_flow && (a->key_flow || a->vni == b->vni);
}

/* An address in 64 bits (IPv4: itself; IPv6: its halves xored), never 0
 * for an address: a tag match is confirmed on the whole address. */
static inline uint64_t
addr_tag(const struct sl_ip_addr *a)
{
	uint64_t x[2];

	memcpy(x, a->addr, 16);
	return (x[0] ^ x[1]) | (uint64_t)a->family << 56 | 1;
}

static inline uint64_t
vtep_tag(uint16_t underlay, uint16_t port, const struct sl_ip_addr *local)
{
	return addr_tag(local) ^ ((uint64_t)underlay << 32 | (uint64_t)port << 16);
}

int
sl_tunnel_table_add(struct sl_tunnel_table *t, const struct sl_tunnel_params *p,
		    uint16_t slot, uint16_t underlay, uint32_t ofport)
{
	struct sl_tunnel_entry *e;

	if (t->n == SL_TUNNEL_MAX || underlay >= SL_TUNNEL_MAX_SLOTS)
		return -1;
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->p = *p;
	e->slot = slot;
	e->underlay_slot = underlay;
	e->ofport = ofport;
	e->vtep_tag = vtep_tag(underlay, p->dst_port, &p->local);
	e->remote_tag = p->remote_flow ? 0 : addr_tag(&p->remote);
	t->underlay[underlay] = true;
	return 0;
}

static inline bool
is_vtep(const struct sl_tunnel_entry *e, uint64_t tag, uint16_t underlay,
	const struct sl_vxlan_outer *o)
{
	return e->vtep_tag == tag && e->underlay_slot == underlay && e->p.dst_port == o->udp_dst &&
	       sl_ip_addr_eq(&e->p.local, &o->dst);
}

enum sl_tnl_verdict
sl_tunnel_rx_match(const struct sl_tunnel_table *t, uint16_t underlay,
		   const struct sl_vxlan_outer *o, const struct sl_tunnel_entry **entry)
{
	const struct sl_tunnel_entry *best = NULL, *maybe = NULL;
	uint64_t tag = vtep_tag(underlay, o->udp_dst, &o->dst), rtag = addr_tag(&o->src);
	bool vtep = false, remote_known = false;
	int best_score = -1;

	for (unsigned int i = 0; i < t->n; i++) {
		const struct sl_tunnel_entry *e = &t->e[i];
		bool key_ok;
		int score;

		if (e->vtep_tag != tag)
			continue;
		/* one port per remote host: most entries of a VTEP fail here, on
		 * two 64-bit compares; whether the VTEP is ours waits till the end */
		if (e->remote_tag != 0 && e->remote_tag != rtag) {
			maybe = maybe ? maybe : e;
			continue;
		}
		if (!is_vtep(e, tag, underlay, o))
			continue;
		vtep = true;
		if (!e->p.remote_flow && !sl_ip_addr_eq(&e->p.remote, &o->src))
			continue;
		remote_known = true;
		key_ok = e->p.key_flow || e->p.vni == o->vni;
		if (!key_ok)
			continue;
		score = (e->p.remote_flow ? 0 : 2) + (e->p.key_flow ? 0 : 1);
		if (score > best_score) {
			best_score = score;
			best = e;
		}
	}
	for (unsigned int i = (unsigned int)(maybe ? maybe - t->e : t->n); !vtep && i < t->n; i++)
		vtep = is_vtep(&t->e[i], tag, underlay, o);
	if (!vtep)
		return SL_TNL_NOT_OURS;
	if (o->verdict != SL_TNL_OK)
		return (enum sl_tnl_verdict)o->verdict;
	if (best == NULL)
		return remote_known ? SL_TNL_UNKNOWN_VNI : SL_TNL_UNKNOWN_REMOTE;
	*entry = best;
	return SL_TNL_OK;
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
	for (unsigned int i = 0; i < t->n; i++)
		if (t->e[i].underlay_slot == slot)
			return true;
	return false;
}
