/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SET_FIELD and checksum fix-ups for the executor (see sl_execute.h).
 *
 * Checksums are updated incrementally (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m'))
 * over the bytes a write changed, never recomputed over the payload: a worker
 * must not touch payload cache lines to rewrite a port. The one exception is
 * SCTP, whose CRC32c has no incremental form.
 *
 * Odd offsets: a one's-complement sum is over 16-bit words aligned to the
 * start of the checksummed region. A changed byte at an even distance from
 * that start is the high byte of its word, at an odd distance the low byte;
 * summing each byte in its place is the same as summing the changed words,
 * which is what makes masked and odd-offset writes (ECN, ICMP code, TCP
 * flags) come out right.
 */
#include <string.h>

#ifdef __SSE4_2__
#include <nmmintrin.h>
#endif

#include <rte_byteorder.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <sys/socket.h>

#include "execute_private.h"
#include "sl_flow_consts.h"
#include "sl_meter.h"

/* ------------------------------------------------------------ checksums ---- */

/* One's-complement sum (unfolded) of @len bytes whose first byte is a low byte iff @odd. */
static uint32_t
sum_bytes(const uint8_t *b, unsigned int len, unsigned int odd)
{
	uint32_t s = 0;
	unsigned int i = 0;
	if (odd & 1) {
		s += b[0];
		i = 1;
	}
	for (; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (i < len)
		s += (uint32_t)b[i] << 8;
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

void
exec_csum_fix(uint8_t *ck, const uint8_t *old, const uint8_t *new_bytes, unsigned int len,
	      unsigned int odd, bool udp)
{
	uint16_t hc = exec_rd16(ck);
	if (udp && hc == 0)
		return; /* UDP over IPv4 without a checksum stays without one */
	uint32_t s = (uint16_t)~hc;
	s += (uint16_t)~fold(sum_bytes(old, len, odd));
	s += fold(sum_bytes(new_bytes, len, odd));
	uint16_t res = (uint16_t)~fold(s);
	if (udp && res == 0)
		res = 0xffff; /* 0 would mean "no checksum" */
	exec_wr16(ck, res);
}

/* A partial checksum (a guest's offload request, sl_tx_offload.h) holds the
 * pseudo-header's sum itself, not its complement: a changed address word
 * moves it the other way round, S' = S + ~m + m'. */
static void
csum_fix_partial(uint8_t *ck, const uint8_t *old, const uint8_t *new_bytes, unsigned int len,
		 unsigned int odd)
{
	uint32_t s = exec_rd16(ck);
	s += (uint16_t)~fold(sum_bytes(old, len, odd));
	s += fold(sum_bytes(new_bytes, len, odd));
	exec_wr16(ck, fold(s));
}

/* -------------------------------------------------------------- CRC32c ---- */

static uint32_t
crc32c_update(uint32_t crc, const uint8_t *b, uint32_t len)
{
#ifdef __SSE4_2__
	uint64_t c = crc;
	for (; len >= 8; len -= 8, b += 8) {
		uint64_t w;
		memcpy(&w, b, 8); /* no alignment assumption */
		c = _mm_crc32_u64(c, w);
	}
	crc = (uint32_t)c;
	for (; len > 0; len--, b++)
		crc = _mm_crc32_u8(crc, *b);
	return crc;
#else
	for (; len > 0; len--, b++) {
		crc ^= *b;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return crc;
#endif
}

uint32_t
sl_exec_crc32c(const void *data, uint32_t len)
{
	return ~crc32c_update(0xffffffffu, data, len);
}

/* CRC32c of packet bytes [ofs, ofs + len), across segments. */
static uint32_t
crc32c_mbuf(const struct rte_mbuf *m, uint32_t ofs, uint32_t len)
{
	uint32_t crc = 0xffffffffu;
	for (const struct rte_mbuf *s = m; s != NULL && len > 0; s = s->next) {
		if (ofs >= s->data_len) {
			ofs -= s->data_len;
			continue;
		}
		uint32_t n = s->data_len - ofs;
		if (n > len)
			n = len;
		crc = crc32c_update(crc, rte_pktmbuf_mtod_offset(s, const uint8_t *, ofs), n);
		len -= n;
		ofs = 0;
	}
	return ~crc;
}

/* ------------------------------------------------------------- layout ---- */

int
exec_ip_version(const struct exec_pkt *p)
{
	if (p->lay.l3_ofs == SL_OFS_NONE || p->lay.eth_type_ofs == SL_OFS_NONE)
		return 0;
	const uint8_t *et = exec_at(p, p->lay.eth_type_ofs, 2);
	const uint8_t *ip = exec_at(p, p->lay.l3_ofs, 1);
	if (et == NULL || ip == NULL)
		return 0;
	uint16_t type = exec_rd16(et);
	if (type == SL_ETH_IPV4 && (ip[0] >> 4) == 4)
		return 4;
	if (type == SL_ETH_IPV6 && (ip[0] >> 4) == 6)
		return 6;
	return 0;
}

/* End of the IP payload from the IP header's length, capped by the packet. */
static uint32_t
ip_payload_end(const struct exec_pkt *p, int ipver)
{
	uint32_t end = rte_pktmbuf_pkt_len(p->m);
	const uint8_t *ip = exec_at(p, p->lay.l3_ofs, ipver == 4 ? 20 : 40);
	if (ip == NULL)
		return p->lay.l3_ofs;
	uint32_t want = ipver == 4 ? p->lay.l3_ofs + (uint32_t)exec_rd16(ip + 2)
				   : p->lay.l3_ofs + 40u + exec_rd16(ip + 4);
	return want < end ? want : end;
}

/* The ND option of @type (1 SLL, 2 TLL) after the NS/NA message, or SL_OFS_NONE. */
static uint32_t
nd_option(const struct exec_pkt *p, uint8_t type)
{
	if (p->lay.l4_ofs == SL_OFS_NONE || p->ipver != 6 ||
	    p->l4_proto != SL_IPPROTO_ICMPV6)
		return SL_OFS_NONE;
	uint32_t end = ip_payload_end(p, 6);
	if (end > p->m->data_len)
		end = p->m->data_len;
	uint32_t o = (uint32_t)p->lay.l4_ofs + 24;
	while (o + 8 <= end) {
		const uint8_t *opt = exec_at(p, o, 2);
		uint32_t olen = (uint32_t)opt[1] * 8;
		if (olen == 0)
			break; /* malformed: would loop forever */
		if (opt[0] == type && o + olen <= end)
			return o;
		o += olen;
	}
	return SL_OFS_NONE;
}

static uint32_t
layer_base(const struct exec_pkt *p, const struct sl_exec_action *a)
{
	switch (a->set_field.layer) {
	case SL_LAYER_ETH: return 0;
	case SL_LAYER_VLAN: return p->lay.vlan_ofs;
	case SL_LAYER_MPLS: return p->lay.mpls_ofs;
	case SL_LAYER_PBB: return p->lay.pbb_ofs;
	case SL_LAYER_L3: return p->lay.l3_ofs;
	case SL_LAYER_L4: return p->lay.l4_ofs;
	case SL_LAYER_ETHTYPE: return p->lay.eth_type_ofs;
	case SL_LAYER_ND_OPT:
		return nd_option(p, a->set_field.field == OFPXMT_OFB_IPV6_ND_SLL ? SL_ND_OPT_SLL
									   : SL_ND_OPT_TLL);
	default: return SL_OFS_NONE;
	}
}

/* ----------------------------------------------------------- fix-ups ---- */

/* Offset of the 16-bit L4 checksum that covers the IP pseudo-header, or -1. */
static int
l4_csum_ofs(const struct exec_pkt *p, int ipver)
{
	switch (p->l4_proto) {
	case SL_IPPROTO_TCP: return 16;
	case SL_IPPROTO_UDP: return 6;
	case SL_IPPROTO_ICMPV6: return ipver == 6 ? 2 : -1;
	default: return -1; /* ICMPv4 and SCTP have no pseudo-header */
	}
}

static bool
has_l4(const struct exec_pkt *p)
{
	return p->lay.l4_ofs != SL_OFS_NONE && !(p->nw_frag & SL_FRAG_LATER);
}

/* SL_CSUM_L4: TCP/UDP/ICMPv6 checksum, for a write at @pos in L3 (pseudo-header) or L4. */
static void
fix_l4(struct exec_pkt *p, const struct sl_exec_action *a, uint32_t pos, const uint8_t *old,
       const uint8_t *cur, int ipver)
{
	int co = l4_csum_ofs(p, ipver);
	if (!has_l4(p) || co < 0)
		return;
	/* A checksum left to the device covers the pseudo-header only so far:
	 * the L4 bytes are summed when it is computed (at the out port). */
	bool partial = (p->m->ol_flags & RTE_MBUF_F_TX_L4_MASK) != 0;
	if (partial && a->set_field.layer != SL_LAYER_L3)
		return;
	uint8_t *ck = exec_at(p, p->lay.l4_ofs + (uint32_t)co, 2);
	if (ck == NULL)
		return;
	unsigned int odd;
	if (a->set_field.layer != SL_LAYER_L3)
		odd = (pos - p->lay.l4_ofs) & 1;
	else if (ipver == 6 && a->set_field.field == OFPXMT_OFB_IP_PROTO)
		odd = 1; /* next header is the low byte of its pseudo-header word */
	else
		odd = (pos - p->lay.l3_ofs) & 1; /* addresses/proto keep their IPv4 parity */
	if (partial)
		csum_fix_partial(ck, old, cur, a->set_field.len, odd);
	else
		exec_csum_fix(ck, old, cur, a->set_field.len, odd, p->l4_proto == SL_IPPROTO_UDP);
}

/* SL_CSUM_ICMP: the ICMPv4/ICMPv6 message checksum. */
static void
fix_icmp(struct exec_pkt *p, const struct sl_exec_action *a, uint32_t pos, const uint8_t *old,
	 const uint8_t *cur, int ipver)
{
	bool icmp = (ipver == 4 && p->l4_proto == SL_IPPROTO_ICMP) ||
		    (ipver == 6 && p->l4_proto == SL_IPPROTO_ICMPV6);
	if (!icmp || !has_l4(p) || pos < p->lay.l4_ofs)
		return;
	uint8_t *ck = exec_at(p, p->lay.l4_ofs + 2u, 2);
	if (ck != NULL)
		exec_csum_fix(ck, old, cur, a->set_field.len, (pos - p->lay.l4_ofs) & 1, false);
}

/* SL_CSUM_SCTP: recompute the CRC32c over the SCTP packet (not for fragments). */
static void
fix_sctp(struct exec_pkt *p, int ipver)
{
	if (ipver == 0 || p->l4_proto != SL_IPPROTO_SCTP || p->lay.l4_ofs == SL_OFS_NONE ||
	    (p->nw_frag & SL_FRAG_ANY))
		return;
	uint32_t end = ip_payload_end(p, ipver);
	uint8_t *ck = exec_at(p, p->lay.l4_ofs + 8u, 4);
	if (ck == NULL || end < p->lay.l4_ofs + 12u)
		return;
	memset(ck, 0, 4);
	uint32_t crc = crc32c_mbuf(p->m, p->lay.l4_ofs, end - p->lay.l4_ofs);
	ck[0] = (uint8_t)crc; /* little-endian, as RFC 9260 appendix A stores it */
	ck[1] = (uint8_t)(crc >> 8);
	ck[2] = (uint8_t)(crc >> 16);
	ck[3] = (uint8_t)(crc >> 24);
}

static void
fix_checksums(struct exec_pkt *p, const struct sl_exec_action *a, uint32_t pos,
	      const uint8_t *old, const uint8_t *cur)
{
	uint8_t csum = a->set_field.csum;
	int ipver = p->ipver;
	if ((csum & SL_CSUM_IP4) && ipver == 4 && a->set_field.layer == SL_LAYER_L3) {
		uint8_t *ck = exec_at(p, p->lay.l3_ofs + 10u, 2);
		if (ck != NULL)
			exec_csum_fix(ck, old, cur, a->set_field.len, (pos - p->lay.l3_ofs) & 1,
				      false);
	}
	if ((csum & SL_CSUM_L4) && ipver != 0)
		fix_l4(p, a, pos, old, cur, ipver);
	if (csum & SL_CSUM_ICMP)
		fix_icmp(p, a, pos, old, cur, ipver);
	if (csum & SL_CSUM_SCTP)
		fix_sctp(p, ipver);
}

enum exec_verdict
exec_set_field(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a)
{
	unsigned int len = a->set_field.len;
	if (a->set_field.layer == SL_LAYER_META) {
		exec_set_tunnel(r, p, a); /* metadata, not packet bytes */
		return EXEC_CONTINUE;
	}
	if (len == 0 || len > sizeof(a->set_field.value)) {
		r->st->bad_layout++;
		return EXEC_CONTINUE;
	}
	uint32_t base = layer_base(p, a);
	if (base == SL_OFS_NONE) {
		r->st->bad_layout++;
		return EXEC_CONTINUE;
	}
	uint32_t pos = base + a->set_field.offset;
	uint8_t *d = exec_at(p, pos, len);
	if (d == NULL && pos + len <= rte_pktmbuf_pkt_len(p->m)) {
		/* Deeper than exec_make_writable's span (a raw action's offset):
		 * the bytes are in the chain, gather them into the first segment. */
		if (exec_pullup(r, p, pos + len) != 0) {
			r->st->pullup_failures++;
			return EXEC_STOP;
		}
		d = exec_at(p, pos, len);
	}
	if (d == NULL) {
		r->st->truncated++;
		return EXEC_CONTINUE;
	}
	/* Byte loops, not memcpy/memcmp: len <= 16, and library calls cost more. */
	uint8_t old[sizeof(a->set_field.value)], diff = 0;
	for (unsigned int i = 0; i < len; i++) {
		uint8_t mask = a->set_field.mask[i];
		uint8_t nb = (uint8_t)((d[i] & ~mask) | (a->set_field.value[i] & mask));
		old[i] = d[i];
		diff |= (uint8_t)(nb ^ d[i]);
		d[i] = nb;
	}
	if (diff == 0)
		return EXEC_CONTINUE;
	/* An ip_proto rewrite leaves p->l4_proto alone: the bytes behind the IP
	 * header are still the header that was parsed, and its checksum field is
	 * the one that must follow the pseudo-header (so a rewrite and its undo
	 * give back the original packet). */
	fix_checksums(p, a, pos, old, d);
	if (a->set_field.layer == SL_LAYER_ETHTYPE)
		exec_reparse(p); /* a new ethertype changes what the headers behind it are */
	return EXEC_CONTINUE;
}

void
exec_dscp_remark(struct exec_run *r, struct exec_pkt *p, uint8_t prec_level)
{
	/* Writable first: until then p->ipver only knows the first segment. */
	if (exec_make_writable(r, p) == EXEC_STOP)
		return; /* forward unremarked rather than drop a conforming packet */
	int ipver = p->ipver;
	if (ipver == 0)
		return; /* not IP: nothing to remark */
	uint8_t *ip = exec_at(p, p->lay.l3_ofs, ipver == 4 ? 20 : 40);
	if (ip == NULL) {
		r->st->truncated++;
		return;
	}
	if (ipver == 4) {
		uint8_t old = ip[1], tos = sl_meter_tos_remark(old, prec_level);
		if (tos == old)
			return;
		ip[1] = tos;
		exec_csum_fix(ip + 10, &old, &tos, 1, 1, false);
		return;
	}
	uint8_t tc = (uint8_t)(((ip[0] & 0x0f) << 4) | (ip[1] >> 4));
	tc = sl_meter_tos_remark(tc, prec_level);
	ip[0] = (uint8_t)((ip[0] & 0xf0) | (tc >> 4));
	ip[1] = (uint8_t)((ip[1] & 0x0f) | (uint8_t)(tc << 4));
}

/* ------------------------------------------------------------ tunnel ---- */

/* Bytes @p v under @p mk into @p dst (a set_field may write part of a field). */
static void
put_masked(uint8_t *dst, const uint8_t *v, const uint8_t *mk, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		dst[i] = (uint8_t)((dst[i] & ~mk[i]) | (v[i] & mk[i]));
}

void
exec_set_tunnel(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a)
{
	const uint8_t *v = a->set_field.value, *mk = a->set_field.mask;
	struct sl_tunnel_md *md = &p->tmd;
	uint8_t b[8];

	if (!p->tmd_set) {
		/* from the packet as it came: its VNI; a decapsulated packet's
		 * tun_dst is this host's own address, never a remote to send to */
		memset(md, 0, sizeof(*md));
		md->vni = (uint32_t)rte_be_to_cpu_64(r->key->tunnel_id);
		p->tmd_set = true;
	}
	switch (a->set_field.field) {
	case OFPXMT_OFB_TUNNEL_ID: {
		uint64_t id = rte_cpu_to_be_64(md->vni);

		memcpy(b, &id, 8);
		put_masked(b, v, mk, 8);
		memcpy(&id, b, 8);
		md->vni = (uint32_t)rte_be_to_cpu_64(id); /* the encap takes the low 24 bits */
		break;
	}
	case SL_OXM_TUN_IPV4_DST:
		if (md->family != AF_INET)
			memset(md->addr, 0, sizeof(md->addr));
		md->family = AF_INET;
		put_masked(md->addr, v, mk, 4);
		break;
	case SL_OXM_TUN_IPV6_DST:
		if (md->family != AF_INET6)
			memset(md->addr, 0, sizeof(md->addr));
		md->family = AF_INET6;
		put_masked(md->addr, v, mk, 16);
		break;
	default:
		break; /* tun_src / tun_ipv6_src: the outer source is the port's local_ip */
	}
}

void
exec_tnl_md_put(const struct exec_run *r, const struct exec_pkt *p, struct rte_mbuf *m)
{
	const struct sl_tunnel_md_reg *reg = r->env->tnl;

	if (likely(!p->tmd_set) || reg == NULL || reg->ofs < 0)
		return;
	*RTE_MBUF_DYNFIELD(m, reg->ofs, struct sl_tunnel_md *) = p->tmd;
	m->ol_flags = (m->ol_flags & ~reg->rx_flag) | reg->tx_flag;
}
