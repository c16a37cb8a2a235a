/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Push/pop of VLAN, MPLS and PBB headers and the TTL actions (see sl_execute.h).
 *
 * Pushes take the bytes from the mbuf headroom and slide the headers in
 * front of the insertion point down (at most 30 bytes moved, never the
 * payload); only when there is no headroom do we slide the rest of the frame
 * into the tailroom. After a push/pop the packet is re-parsed so later
 * actions see where its headers now are; fields of new headers are taken as
 * OpenFlow 1.3 (5.12.1, "Push/pop tag default field values") says.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "execute_private.h"
#include "sl_flow_consts.h"

#define VLAN_TAG_LEN 4
#define MPLS_LSE_LEN 4
#define PBB_PUSH_LEN 18 /* ethertype 0x88e7 + I-TAG + customer DA/SA */
#define ETH_ADDRS_LEN 12

void
exec_reparse(struct exec_pkt *p)
{
	struct sl_flow_key k;
	sl_flow_parse_mbuf(p->m, 0, 0, 0, &k, &p->lay);
	p->l4_proto = k.ip_proto;
	p->nw_frag = k.nw_frag;
	p->ipver = (uint8_t)exec_ip_version(p);
}

/* Open an @n byte gap at offset @at of the first segment; returns it, or NULL
 * (counted) when there is no room. Room is, in order: the headroom (headers
 * in front slide down), the first segment's tailroom (the bytes behind slide
 * up: a chain's first segment is ours too), or a fresh first segment that
 * the headers are pulled up into, which has a full headroom. */
static uint8_t *
open_gap(struct exec_run *r, struct exec_pkt *p, uint32_t at, uint32_t n)
{
	struct rte_mbuf *m = p->m;
	if (at > m->data_len) {
		r->st->truncated++;
		return NULL;
	}
	if (rte_pktmbuf_headroom(m) < n && rte_pktmbuf_tailroom(m) < n) {
		if (exec_pullup(r, p, RTE_MAX(at, (uint32_t)m->data_len)) != 0) {
			r->st->push_failures++;
			return NULL;
		}
		m = p->m;
	}
	if (rte_pktmbuf_headroom(m) >= n) {
		uint8_t *start = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)n);
		memmove(start, start + n, at);
		return start + at;
	}
	uint8_t *start = rte_pktmbuf_mtod(m, uint8_t *);
	memmove(start + at + n, start + at, m->data_len - at);
	m->data_len = (uint16_t)(m->data_len + n);
	m->pkt_len += n;
	return start + at;
}

/* Remove @n bytes at offset @at (headers in front slide up). */
static bool
close_gap(struct exec_run *r, struct exec_pkt *p, uint32_t at, uint32_t n)
{
	uint8_t *start = exec_at(p, 0, at + n);
	if (start == NULL) {
		r->st->truncated++;
		return false;
	}
	memmove(start + n, start, at);
	rte_pktmbuf_adj(p->m, (uint16_t)n);
	return true;
}

/* ---------------------------------------------------------------- VLAN ---- */

enum exec_verdict
exec_push_vlan(struct exec_run *r, struct exec_pkt *p, uint16_t tpid)
{
	uint16_t tci = 0;
	if (p->lay.vlan_ofs != SL_OFS_NONE) {
		const uint8_t *tag = exec_at(p, p->lay.vlan_ofs, VLAN_TAG_LEN);
		if (tag != NULL)
			tci = exec_rd16(tag + 2) & 0xefff; /* outer PCP and VID; DEI is not copied */
	}
	uint8_t *gap = open_gap(r, p, ETH_ADDRS_LEN, VLAN_TAG_LEN);
	if (gap == NULL)
		return EXEC_STOP;
	exec_wr16(gap, tpid);
	exec_wr16(gap + 2, tci);
	exec_reparse(p);
	return EXEC_CONTINUE;
}

enum exec_verdict
exec_pop_vlan(struct exec_run *r, struct exec_pkt *p)
{
	if (p->lay.vlan_ofs == SL_OFS_NONE) {
		r->st->bad_layout++;
		return EXEC_CONTINUE;
	}
	if (close_gap(r, p, p->lay.vlan_ofs, VLAN_TAG_LEN))
		exec_reparse(p);
	return EXEC_CONTINUE;
}

/* ---------------------------------------------------------------- MPLS ---- */

/* TTL of the IP header at @ofs (IPv4 TTL / IPv6 hop limit), or -1. */
static int
ip_ttl_at(const struct exec_pkt *p, uint32_t ofs)
{
	const uint8_t *ver = exec_at(p, ofs, 1);
	const uint8_t *ip;
	if (ver == NULL)
		return -1;
	if ((ver[0] >> 4) == 4 && (ip = exec_at(p, ofs, 20)) != NULL)
		return ip[8];
	if ((ver[0] >> 4) == 6 && (ip = exec_at(p, ofs, 40)) != NULL)
		return ip[7];
	return -1;
}

enum exec_verdict
exec_push_mpls(struct exec_run *r, struct exec_pkt *p, uint16_t ethertype)
{
	uint8_t lse[MPLS_LSE_LEN] = { 0, 0, 0x01, 0 }; /* label 0, TC 0, BOS */
	uint32_t at;
	if (p->lay.eth_type_ofs == SL_OFS_NONE) {
		r->st->bad_layout++;
		return EXEC_CONTINUE;
	}
	if (p->lay.mpls_ofs != SL_OFS_NONE) {
		/* The new outer label copies label, TC and TTL; it is not the bottom. */
		const uint8_t *old = exec_at(p, p->lay.mpls_ofs, MPLS_LSE_LEN);
		if (old == NULL) {
			r->st->truncated++;
			return EXEC_CONTINUE;
		}
		memcpy(lse, old, MPLS_LSE_LEN);
		lse[2] &= 0xfe;
		at = p->lay.mpls_ofs;
	} else {
		int ttl = p->lay.l3_ofs != SL_OFS_NONE ? ip_ttl_at(p, p->lay.l3_ofs) : -1;
		lse[3] = ttl >= 0 ? (uint8_t)ttl : 0;
		at = p->lay.eth_type_ofs + 2u; /* after the Ethernet header and VLAN tags */
	}
	uint8_t *et = exec_at(p, p->lay.eth_type_ofs, 2);
	if (et == NULL) {
		r->st->truncated++;
		return EXEC_CONTINUE;
	}
	exec_wr16(et, ethertype);
	uint8_t *gap = open_gap(r, p, at, MPLS_LSE_LEN);
	if (gap == NULL)
		return EXEC_STOP;
	memcpy(gap, lse, MPLS_LSE_LEN);
	exec_reparse(p);
	return EXEC_CONTINUE;
}

enum exec_verdict
exec_pop_mpls(struct exec_run *r, struct exec_pkt *p, uint16_t ethertype)
{
	if (p->lay.mpls_ofs == SL_OFS_NONE || p->lay.eth_type_ofs == SL_OFS_NONE) {
		r->st->bad_layout++;
		return EXEC_CONTINUE;
	}
	uint8_t *et = exec_at(p, p->lay.eth_type_ofs, 2);
	if (et == NULL || exec_at(p, p->lay.mpls_ofs, MPLS_LSE_LEN) == NULL) {
		r->st->truncated++;
		return EXEC_CONTINUE;
	}
	exec_wr16(et, ethertype);
	if (close_gap(r, p, p->lay.mpls_ofs, MPLS_LSE_LEN))
		exec_reparse(p);
	return EXEC_CONTINUE;
}

/* ----------------------------------------------------------------- PBB ---- */

enum exec_verdict
exec_push_pbb(struct exec_run *r, struct exec_pkt *p, uint16_t ethertype)
{
	uint8_t pcp = 0;
	if (p->lay.vlan_ofs != SL_OFS_NONE) {
		const uint8_t *tag = exec_at(p, p->lay.vlan_ofs, VLAN_TAG_LEN);
		if (tag != NULL)
			pcp = tag[2] >> 5; /* I-PCP <- VLAN PCP */
	}
	if (exec_at(p, 0, ETH_ADDRS_LEN) == NULL) {
		r->st->truncated++;
		return EXEC_CONTINUE;
	}
	/* The whole customer frame becomes the payload behind the new header. */
	uint8_t *h = open_gap(r, p, 0, PBB_PUSH_LEN);
	if (h == NULL)
		return EXEC_STOP;
	memcpy(h, h + PBB_PUSH_LEN, ETH_ADDRS_LEN); /* B-DA/B-SA <- customer DA/SA */
	exec_wr16(h + ETH_ADDRS_LEN, ethertype);
	uint8_t *itag = h + ETH_ADDRS_LEN + 2;
	itag[0] = (uint8_t)(pcp << 5); /* I-PCP, DEI 0, UCA 0 */
	itag[1] = itag[2] = itag[3] = 0; /* I-SID 0, as translation assumes */
	exec_reparse(p);
	return EXEC_CONTINUE;
}

enum exec_verdict
exec_pop_pbb(struct exec_run *r, struct exec_pkt *p)
{
	if (p->lay.pbb_ofs == SL_OFS_NONE) {
		r->st->bad_layout++;
		return EXEC_CONTINUE;
	}
	uint32_t outer = p->lay.pbb_ofs + 4u; /* B-DA, B-SA, [B-TAG], 0x88e7, I-TAG */
	if (exec_at(p, outer, 14) == NULL) {
		r->st->truncated++; /* no complete customer frame behind the I-TAG */
		return EXEC_CONTINUE;
	}
	rte_pktmbuf_adj(p->m, (uint16_t)outer);
	exec_reparse(p);
	return EXEC_CONTINUE;
}

/* ---------------------------------------------------------------- TTLs ---- */

/* Write the TTL of the IP header at @ofs, keeping an IPv4 checksum right. */
static bool
set_ip_ttl(struct exec_pkt *p, uint32_t ofs, uint8_t ttl)
{
	const uint8_t *ver = exec_at(p, ofs, 1);
	uint8_t *ip;
	if (ver == NULL)
		return false;
	if ((ver[0] >> 4) == 4 && (ip = exec_at(p, ofs, 20)) != NULL) {
		uint8_t old = ip[8];
		ip[8] = ttl;
		exec_csum_fix(ip + 10, &old, &ip[8], 1, 0, false);
		return true;
	}
	if ((ver[0] >> 4) == 6 && (ip = exec_at(p, ofs, 40)) != NULL) {
		ip[7] = ttl;
		return true;
	}
	return false;
}

static enum exec_verdict
nw_ttl(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a)
{
	if (p->ipver == 0) {
		r->st->bad_layout++;
		return EXEC_CONTINUE;
	}
	int ttl = ip_ttl_at(p, p->lay.l3_ofs);
	if (ttl < 0) {
		r->st->truncated++;
		return EXEC_CONTINUE;
	}
	if (a->type == SL_EXEC_SET_NW_TTL) {
		set_ip_ttl(p, p->lay.l3_ofs, a->ttl.ttl);
		return EXEC_CONTINUE;
	}
	if (ttl <= 1) {
		exec_ttl_expired(r, p, a);
		return EXEC_STOP;
	}
	set_ip_ttl(p, p->lay.l3_ofs, (uint8_t)(ttl - 1));
	return EXEC_CONTINUE;
}

/* COPY_TTL_OUT / COPY_TTL_IN between the outer label and the header below it. */
static enum exec_verdict
copy_ttl(struct exec_run *r, struct exec_pkt *p, uint8_t *lse, bool out)
{
	uint32_t below = p->lay.mpls_ofs + (uint32_t)MPLS_LSE_LEN;
	if (!(lse[2] & 0x01)) {
		uint8_t *next = exec_at(p, below, MPLS_LSE_LEN);
		if (next == NULL) {
			r->st->truncated++;
		} else if (out) {
			lse[3] = next[3];
		} else {
			next[3] = lse[3];
		}
		return EXEC_CONTINUE;
	}
	int ttl = ip_ttl_at(p, below);
	if (ttl < 0) {
		r->st->bad_layout++; /* bottom of stack without an IP header behind it */
		return EXEC_CONTINUE;
	}
	if (out)
		lse[3] = (uint8_t)ttl;
	else
		set_ip_ttl(p, below, lse[3]);
	return EXEC_CONTINUE;
}

static enum exec_verdict
mpls_ttl(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a)
{
	if (p->lay.mpls_ofs == SL_OFS_NONE) {
		r->st->bad_layout++;
		return EXEC_CONTINUE;
	}
	uint8_t *lse = exec_at(p, p->lay.mpls_ofs, MPLS_LSE_LEN);
	if (lse == NULL) {
		r->st->truncated++;
		return EXEC_CONTINUE;
	}
	switch (a->type) {
	case SL_EXEC_SET_MPLS_TTL:
		lse[3] = a->ttl.ttl;
		return EXEC_CONTINUE;
	case SL_EXEC_DEC_MPLS_TTL:
		if (lse[3] <= 1) {
			exec_ttl_expired(r, p, a);
			return EXEC_STOP;
		}
		lse[3]--;
		return EXEC_CONTINUE;
	case SL_EXEC_COPY_TTL_OUT:
		return copy_ttl(r, p, lse, true);
	default:
		return copy_ttl(r, p, lse, false);
	}
}

enum exec_verdict
exec_ttl(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a)
{
	if (a->type == SL_EXEC_DEC_NW_TTL || a->type == SL_EXEC_SET_NW_TTL)
		return nw_ttl(r, p, a);
	return mpls_ttl(r, p, a);
}
