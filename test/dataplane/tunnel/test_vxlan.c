/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN encap and decap on real mbufs (dataplane/tunnel/vxlan.c): IPv4 and
 * IPv6 underlays, flat, chained, shared and headroom-less packets, the
 * checksums, and every malformed outer header a VTEP may see. Each test
 * ends with the pool as full as it began: no mbuf leaks on any path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "sl_tunnel.h"
#include "sl_vxlan.h"
#include "tunnel_test_util.h"

#define BIG 9216

static const struct rte_ether_addr smac = { { 0x02, 0xaa, 0, 0, 0, 1 } };
static const struct rte_ether_addr dmac = { { 0x02, 0xbb, 0, 0, 0, 2 } };
static uint8_t flat[BIG + 128], inner[BIG];

static void
encap_tmpl(struct sl_vxlan_encap *e, bool v6, uint32_t vni, bool df)
{
	struct sl_ip_addr l = tt_ip(v6 ? "2001:db8::1" : "10.0.0.1");
	struct sl_ip_addr r = tt_ip(v6 ? "2001:db8::2" : "10.0.0.2");
	CU_ASSERT_EQUAL_FATAL(sl_vxlan_encap_init(e, &l, &r, vni, 4789, 64, df, &smac), 0);
}

/* The outer headers of a flat VXLAN frame are right for an inner frame of
 * inner_len bytes; the inner frame follows unchanged. */
static void
check_outer(const uint8_t *f, uint32_t len, bool v6, uint32_t vni, uint32_t inner_len)
{
	uint32_t l4 = v6 ? 54 : 34;
	uint16_t sport = (uint16_t)(f[l4] << 8 | f[l4 + 1]);

	CU_ASSERT_EQUAL(len, inner_len + (v6 ? 70 : 50));
	CU_ASSERT_EQUAL(memcmp(f, dmac.addr_bytes, 6), 0);
	CU_ASSERT_EQUAL(memcmp(f + 6, smac.addr_bytes, 6), 0);
	CU_ASSERT(sport >= 49152);
	CU_ASSERT_EQUAL(f[l4 + 2] << 8 | f[l4 + 3], 4789);
	CU_ASSERT_EQUAL((uint32_t)(f[l4 + 4] << 8 | f[l4 + 5]), inner_len + 16);
	CU_ASSERT_EQUAL(f[l4 + 8], 0x08);
	CU_ASSERT_EQUAL((uint32_t)(f[l4 + 12] << 16 | f[l4 + 13] << 8 | f[l4 + 14]), vni);
	CU_ASSERT_EQUAL(f[l4 + 15], 0);
	if (v6) {
		const struct rte_ipv6_hdr *ip = (const void *)(f + 14);
		CU_ASSERT_EQUAL(rte_be_to_cpu_16(ip->payload_len), inner_len + 16);
		CU_ASSERT_EQUAL(ip->hop_limits, 64);
		CU_ASSERT_NOT_EQUAL(f[l4 + 6] | f[l4 + 7], 0);
		uint32_t sum = (uint32_t)rte_ipv6_phdr_cksum(ip, 0) + rte_raw_cksum(f + l4, inner_len + 16);
		sum = (sum & 0xffff) + (sum >> 16);
		CU_ASSERT_EQUAL((sum & 0xffff) + (sum >> 16), 0xffff);
	} else {
		const struct rte_ipv4_hdr *ip = (const void *)(f + 14);
		CU_ASSERT_EQUAL(rte_be_to_cpu_16(ip->total_length), inner_len + 36);
		CU_ASSERT_EQUAL(ip->time_to_live, 64);
		CU_ASSERT_EQUAL(rte_raw_cksum(ip, 20), 0xffff);
		CU_ASSERT_EQUAL(f[l4 + 6] | f[l4 + 7], 0); /* UDP checksum 0 over IPv4 */
	}
	CU_ASSERT_EQUAL(memcmp(f + (v6 ? 70 : 50), inner, inner_len), 0);
}

/* Encap then decap, at every segment size given: the inner frame comes back. */
static void
round_trip(bool v6, uint32_t inner_len, uint32_t seg)
{
	struct sl_vxlan_encap e;
	struct sl_vxlan_outer o;
	unsigned int avail = tt_avail();
	struct rte_mbuf *m;
	uint32_t n;

	encap_tmpl(&e, v6, 0x123456, true);
	tt_inner_frame(inner, inner_len, (uint16_t)(inner_len * 7));
	m = tt_mbuf(inner, inner_len, seg);
	CU_ASSERT_EQUAL_FATAL(sl_vxlan_encap(&m, &e, &dmac, inner_len * 2654435761u, 7, 9600,
					     tt_pool()), SL_TNL_OK);
	CU_ASSERT_EQUAL(rte_mbuf_check(m, 1, NULL), 0);
	n = tt_flat(m, flat);
	check_outer(flat, n, v6, 0x123456, inner_len);

	CU_ASSERT_EQUAL_FATAL(sl_vxlan_parse_mbuf(m, &o), SL_TNL_OK);
	CU_ASSERT_EQUAL(o.verdict, SL_TNL_OK);
	CU_ASSERT_EQUAL(o.vni, 0x123456);
	CU_ASSERT_EQUAL(o.udp_dst, 4789);
	CU_ASSERT(sl_ip_addr_eq(&o.src, &(struct sl_ip_addr){ 0 }) == false);
	struct sl_ip_addr want_src = tt_ip(v6 ? "2001:db8::1" : "10.0.0.1");
	CU_ASSERT(sl_ip_addr_eq(&o.src, &want_src));
	CU_ASSERT_EQUAL(o.inner_len, inner_len);
	CU_ASSERT_EQUAL_FATAL(sl_vxlan_strip(&m, &o, tt_pool()), SL_TNL_OK);
	CU_ASSERT_EQUAL(rte_mbuf_check(m, 1, NULL), 0);
	CU_ASSERT_EQUAL(tt_flat(m, flat), inner_len);
	CU_ASSERT_EQUAL(memcmp(flat, inner, inner_len), 0);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(tt_avail(), avail);
}

static void
test_round_trip_flat(void)
{
	round_trip(false, 64, 0);
	round_trip(true, 64, 0);
	round_trip(false, 1500, 0);
	round_trip(true, 1501, 0); /* odd length: the checksum's last byte */
}

static void
test_round_trip_chained(void)
{
	/* segments cut inside the outer headers (decap) and at odd offsets (checksum) */
	for (uint32_t seg = 7; seg <= 300; seg += 31) {
		round_trip(false, 600, seg);
		round_trip(true, 601, seg);
	}
	round_trip(true, 9000, 2048); /* a jumbo chain */
}

/* A shared inner packet (another holder, e.g. a flood's other port) is never
 * written: the outer headers go into a fresh head. */
static void
test_encap_shared(void)
{
	struct sl_vxlan_encap e;
	unsigned int avail = tt_avail();
	struct rte_mbuf *m, *orig;
	uint16_t off;

	for (int v6 = 0; v6 < 2; v6++) {
		encap_tmpl(&e, v6, 5, true);
		tt_inner_frame(inner, 100, 1);
		orig = m = tt_mbuf(inner, 100, 0);
		rte_pktmbuf_refcnt_update(orig, 1);
		off = orig->data_off;
		CU_ASSERT_EQUAL_FATAL(sl_vxlan_encap(&m, &e, &dmac, 1, 0, 1500, tt_pool()), SL_TNL_OK);
		CU_ASSERT_PTR_NOT_EQUAL(m, orig);
		CU_ASSERT_EQUAL(m->nb_segs, 2);
		CU_ASSERT_EQUAL(orig->data_off, off);
		CU_ASSERT_EQUAL(orig->pkt_len, 100);
		CU_ASSERT_EQUAL(memcmp(rte_pktmbuf_mtod(orig, uint8_t *), inner, 100), 0);
		check_outer(flat, tt_flat(m, flat), v6, 5, 100);
		rte_pktmbuf_free(m);
		CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(orig), 1);
		rte_pktmbuf_free(orig);
	}
	CU_ASSERT_EQUAL(tt_avail(), avail);
}

/* No headroom: a fresh head; an empty pool: refused, packet unchanged. */
static void
test_encap_no_headroom(void)
{
	struct sl_vxlan_encap e;
	unsigned int avail = tt_avail();
	struct rte_mbuf *m, *orig, *hold[600];
	unsigned int n = 0;

	encap_tmpl(&e, false, 5, false);
	tt_inner_frame(inner, 80, 1);
	orig = m = rte_pktmbuf_alloc(tt_pool());
	m->data_off = 0;
	memcpy(rte_pktmbuf_append(m, 80), inner, 80);
	CU_ASSERT_EQUAL_FATAL(sl_vxlan_encap(&m, &e, &dmac, 1, 0x1234, 1500, tt_pool()), SL_TNL_OK);
	CU_ASSERT_PTR_NOT_EQUAL(m, orig);
	tt_flat(m, flat);
	CU_ASSERT_EQUAL(flat[14 + 4], 0x12); /* no DF: the id is the caller's */
	CU_ASSERT_EQUAL(flat[14 + 6], 0);
	check_outer(flat, 130, false, 5, 80);
	rte_pktmbuf_free(m);

	m = tt_mbuf(inner, 80, 0);
	m->data_off = 0;
	while (n < 600 && (hold[n] = rte_pktmbuf_alloc(tt_pool())) != NULL)
		n++;
	orig = m;
	CU_ASSERT_EQUAL(sl_vxlan_encap(&m, &e, &dmac, 1, 0, 1500, tt_pool()), SL_TNL_NO_MBUF);
	CU_ASSERT_PTR_EQUAL(m, orig);
	CU_ASSERT_EQUAL(m->pkt_len, 80);
	while (n > 0)
		rte_pktmbuf_free(hold[--n]);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(tt_avail(), avail);
}

static void
test_encap_mtu(void)
{
	struct sl_vxlan_encap e;
	struct rte_mbuf *m;

	for (int v6 = 0; v6 < 2; v6++) {
		uint32_t fits = 1500 - (v6 ? 70 : 50) + 14; /* inner frame whose outer IP is 1500 */
		encap_tmpl(&e, v6, 1, true);
		tt_inner_frame(inner, fits + 1, 1);
		m = tt_mbuf(inner, fits + 1, 0);
		CU_ASSERT_EQUAL(sl_vxlan_encap(&m, &e, &dmac, 1, 0, 1500, tt_pool()), SL_TNL_TOO_BIG);
		CU_ASSERT_EQUAL(m->pkt_len, fits + 1);
		rte_pktmbuf_free(m);
		m = tt_mbuf(inner, fits, 0);
		CU_ASSERT_EQUAL(sl_vxlan_encap(&m, &e, &dmac, 1, 0, 1500, tt_pool()), SL_TNL_OK);
		CU_ASSERT_EQUAL(m->pkt_len, 1514);
		rte_pktmbuf_free(m);
	}
}

static void
test_src_port_spread(void)
{
	uint32_t seen[4] = { 0 };
	for (uint32_t h = 0; h < 4096; h++) {
		uint16_t p = sl_vxlan_src_port(h * 2654435761u);
		CU_ASSERT(p >= 49152);
		seen[(p >> 12) & 3]++;
	}
	for (int i = 0; i < 4; i++)
		CU_ASSERT(seen[i] > 512); /* all four quarters of the range are used */
}

/* The inner hash: the same for one flow whatever its IPv4 id, checksum or
 * segmentation; another port, another hash. (Under UBSan: no misaligned load.) */
static void
test_inner_hash(void)
{
	uint32_t h[4];

	for (int i = 0; i < 4; i++) {
		struct rte_mbuf *m;
		tt_inner_frame(inner, 100, i == 3 ? 99 : 1);
		inner[18] = (uint8_t)(i * 17); /* IPv4 id */
		inner[24] = (uint8_t)(i * 5);  /* header checksum */
		m = tt_mbuf(inner, 100, i == 2 ? 7 : 0);
		h[i] = sl_vxlan_inner_hash(m);
		rte_pktmbuf_free(m);
	}
	CU_ASSERT_EQUAL(h[0], h[1]);
	CU_ASSERT_EQUAL(h[0], h[2]);
	CU_ASSERT_NOT_EQUAL(h[0], h[3]);
}

/* A well-formed IPv4 VXLAN frame to 10.0.0.1 from 10.0.0.2, VNI 5. */
static uint32_t
vxlan4_frame(uint8_t *f, uint32_t inner_len)
{
	struct sl_vxlan_encap e;
	struct sl_ip_addr l = tt_ip("10.0.0.2"), r = tt_ip("10.0.0.1");
	struct rte_mbuf *m;
	uint32_t n;

	sl_vxlan_encap_init(&e, &l, &r, 5, 4789, 64, true, &smac);
	tt_inner_frame(inner, inner_len, 9);
	m = tt_mbuf(inner, inner_len, 0);
	sl_vxlan_encap(&m, &e, &dmac, 3, 0, 9600, tt_pool());
	n = tt_flat(m, f);
	rte_pktmbuf_free(m);
	return n;
}

static uint8_t
verdict_of(const uint8_t *f, uint32_t len)
{
	struct sl_vxlan_outer o;
	if (sl_vxlan_parse(f, len, len, false, &o) == SL_TNL_NOT_OURS)
		return SL_TNL_NOT_OURS;
	return o.verdict;
}

static void
fix_ip4_csum(uint8_t *f)
{
	f[24] = f[25] = 0;
	uint16_t c = rte_ipv4_cksum((const struct rte_ipv4_hdr *)(f + 14));
	memcpy(f + 24, &c, 2);
}

static void
test_decap_malformed(void)
{
	uint8_t f[256];
	uint32_t n = vxlan4_frame(f, 64);

	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_OK);
	/* every cut: before the UDP header not a datagram we can see, after it truncated */
	for (uint32_t cut = 0; cut < n; cut++) {
		uint8_t v = verdict_of(f, cut);
		CU_ASSERT(cut < 42 ? v == SL_TNL_NOT_OURS : v == SL_TNL_TRUNCATED);
	}
	f[42] = 0x0c; /* an extra flag */
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_BAD_FLAGS);
	f[42] = 0x00; /* no I flag */
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_BAD_FLAGS);
	f[42] = 0x08;
	f[44] = 1; /* reserved bits */
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_BAD_FLAGS);
	f[44] = 0;
	f[49] = 0xff; /* the VNI's reserved byte is ignored */
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_OK);
	f[24] ^= 1; /* IPv4 header checksum */
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_BAD_OUTER);
	f[24] ^= 1;
	f[20] = 0x20; /* more fragments */
	fix_ip4_csum(f);
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_BAD_OUTER);
	f[20] = 0x20, f[21] = 0x10; /* a later fragment: no UDP header, not ours to judge */
	fix_ip4_csum(f);
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_NOT_OURS);
	f[20] = 0x40, f[21] = 0;
	fix_ip4_csum(f);
	f[39]++; /* UDP length disagrees with the IP length */
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_BAD_OUTER);
	f[39]--;
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_OK);
	f[23] = 6; /* TCP */
	fix_ip4_csum(f);
	CU_ASSERT_EQUAL(verdict_of(f, n), SL_TNL_NOT_OURS);
}

/* Ethernet padding behind the datagram is trimmed; on a shared frame the
 * original holder's view does not move. */
static void
test_decap_padding_and_shared(void)
{
	uint8_t f[256];
	unsigned int avail = tt_avail();
	struct sl_vxlan_outer o;
	struct rte_mbuf *m, *orig;
	uint32_t n = vxlan4_frame(f, 64);

	memset(f + n, 0xee, 6);
	m = tt_mbuf(f, n + 6, 0);
	CU_ASSERT_EQUAL_FATAL(sl_vxlan_parse_mbuf(m, &o), SL_TNL_OK);
	CU_ASSERT_EQUAL(sl_vxlan_strip(&m, &o, tt_pool()), SL_TNL_OK);
	CU_ASSERT_EQUAL(m->pkt_len, 64);
	CU_ASSERT_EQUAL(memcmp(rte_pktmbuf_mtod(m, uint8_t *), inner, 64), 0);
	rte_pktmbuf_free(m);

	for (uint32_t seg = 0; seg <= 90; seg += 30) {
		orig = m = tt_mbuf(f, n, seg);
		rte_pktmbuf_refcnt_update(orig, 1);
		CU_ASSERT_EQUAL_FATAL(sl_vxlan_parse_mbuf(m, &o), SL_TNL_OK);
		CU_ASSERT_EQUAL_FATAL(sl_vxlan_strip(&m, &o, tt_pool()), SL_TNL_OK);
		CU_ASSERT_PTR_NOT_EQUAL(m, orig);
		CU_ASSERT_EQUAL(tt_flat(m, flat), 64);
		CU_ASSERT_EQUAL(memcmp(flat, inner, 64), 0);
		CU_ASSERT_EQUAL(tt_flat(orig, flat), n); /* the other holder's frame is whole */
		CU_ASSERT_EQUAL(memcmp(flat, f, n), 0);
		rte_pktmbuf_free(m);
		rte_pktmbuf_free(orig);
	}
	CU_ASSERT_EQUAL(tt_avail(), avail);
}

static struct sl_tunnel_params
params(const char *remote, long vni)
{
	struct sl_tunnel_params p = { .dst_port = 4789 };
	snprintf(p.underlay, sizeof(p.underlay), "phy");
	p.local = tt_ip("10.0.0.1");
	if (remote == NULL)
		p.remote_flow = true;
	else
		p.remote = tt_ip(remote);
	if (vni < 0)
		p.key_flow = true;
	else
		p.vni = (uint32_t)vni;
	return p;
}

static void
add(struct sl_tunnel_table *t, const char *remote, long vni, uint16_t slot)
{
	struct sl_tunnel_params p = params(remote, vni);
	CU_ASSERT_EQUAL_FATAL(sl_tunnel_table_add(t, &p, slot, 1, slot), 0);
}

static void
test_table_match(void)
{
	static struct sl_tunnel_table t;
	const struct sl_tunnel_entry *hit = NULL;
	struct sl_vxlan_outer o;
	struct sl_ip_addr v[4];
	uint8_t f[256];
	uint32_t n = vxlan4_frame(f, 64); /* 10.0.0.2 -> 10.0.0.1, VNI 5 */

	CU_ASSERT_EQUAL_FATAL(sl_vxlan_parse(f, n, n, false, &o), SL_TNL_OK);
	memset(&t, 0, sizeof(t));
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_NOT_OURS);
	add(&t, "10.0.0.3", 5, 10);
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_UNKNOWN_REMOTE);
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 2, &o, &hit), SL_TNL_NOT_OURS); /* other underlay */
	add(&t, "10.0.0.2", 6, 11);
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_UNKNOWN_VNI);
	add(&t, NULL, -1, 12);
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_OK);
	CU_ASSERT_EQUAL(hit->slot, 12);
	add(&t, NULL, 5, 13); /* flow remote, fixed key: better */
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_OK);
	CU_ASSERT_EQUAL(hit->slot, 13);
	add(&t, "10.0.0.2", -1, 14); /* fixed remote beats a fixed key */
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_OK);
	CU_ASSERT_EQUAL(hit->slot, 14);
	add(&t, "10.0.0.2", 5, 15);
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_OK);
	CU_ASSERT_EQUAL(hit->slot, 15);
	f[42] = 0; /* malformed: its verdict, once the VTEP is known */
	CU_ASSERT_EQUAL_FATAL(sl_vxlan_parse(f, n, n, false, &o), SL_TNL_OK);
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_BAD_FLAGS);
	o.udp_dst = 4790; /* another UDP port: an ordinary datagram */
	CU_ASSERT_EQUAL(sl_tunnel_rx_match(&t, 1, &o, &hit), SL_TNL_NOT_OURS);

	CU_ASSERT_EQUAL(sl_tunnel_vteps(&t, 1, v, 4), 1);
	struct sl_tunnel_params p6 = params(NULL, 7);
	p6.local = tt_ip("2001:db8::1");
	CU_ASSERT_EQUAL(sl_tunnel_table_add(&t, &p6, 16, 1, 16), 0);
	CU_ASSERT_EQUAL(sl_tunnel_vteps(&t, 1, v, 4), 2);
	CU_ASSERT(sl_ip_addr_eq(&v[1], &t.e[t.n - 1].p.local));
	CU_ASSERT(sl_tunnel_is_underlay(&t, 1));
	CU_ASSERT(!sl_tunnel_is_underlay(&t, 10));
}

/* The match as the linear scan it replaced did it: among a VTEP's ports the
 * best of fixed remote (2) and fixed key (1), the first of equals. */
static enum sl_tnl_verdict
ref_match(const struct sl_tunnel_table *t, uint16_t underlay, const struct sl_vxlan_outer *o,
	  const struct sl_tunnel_entry **entry)
{
	const struct sl_tunnel_entry *best = NULL;
	bool vtep = false, remote_known = false;
	int best_score = -1;

	for (unsigned int i = 0; i < t->n; i++) {
		const struct sl_tunnel_entry *e = &t->e[i];
		int score;

		if (e->underlay_slot != underlay || e->p.dst_port != o->udp_dst ||
		    !sl_ip_addr_eq(&e->p.local, &o->dst))
			continue;
		vtep = true;
		if (!e->p.remote_flow && !sl_ip_addr_eq(&e->p.remote, &o->src))
			continue;
		remote_known = true;
		if (!e->p.key_flow && e->p.vni != o->vni)
			continue;
		score = (e->p.remote_flow ? 0 : 2) + (e->p.key_flow ? 0 : 1);
		if (score > best_score) {
			best_score = score;
			best = e;
		}
	}
	if (!vtep)
		return SL_TNL_NOT_OURS;
	if (o->verdict != SL_TNL_OK)
		return (enum sl_tnl_verdict)o->verdict;
	if (best == NULL)
		return remote_known ? SL_TNL_UNKNOWN_VNI : SL_TNL_UNKNOWN_REMOTE;
	*entry = best;
	return SL_TNL_OK;
}

static uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1664525u + 1013904223u;
	return *x >> 8;
}

/* One of 40 remotes (and 4 unknown ones) of @family. */
static struct sl_ip_addr
some_remote(uint32_t *x, uint8_t family, unsigned int n)
{
	struct sl_ip_addr a = tt_ip(family == AF_INET6 ? "2001:db8:1::" : "10.1.0.0");
	uint32_t r = lcg(x) % n;

	a.addr[family == AF_INET6 ? 15 : 3] = (uint8_t)r;
	a.addr[family == AF_INET6 ? 14 : 2] = (uint8_t)(r >> 3); /* spread over both words */
	return a;
}

/* The hash index against the linear scan: a full table of random ports
 * (fixed and flow remotes and keys, two families, underlays and UDP
 * ports), random datagrams, the same verdict and port every time. */
static void
test_table_model(void)
{
	static struct sl_tunnel_table t;
	static const char *const locals[] = { "10.0.0.1", "2001:db8::1" };
	uint32_t x = 12345, bad = 0, ok = 0;

	memset(&t, 0, sizeof(t));
	for (unsigned int tries = 0; t.n < SL_TUNNEL_MAX && tries < 4000; tries++) {
		unsigned int u = 1 + lcg(&x) % 2;
		struct sl_tunnel_params p = { .dst_port = lcg(&x) % 2 ? 4789 : 8472 };
		bool clash = false;

		snprintf(p.underlay, sizeof(p.underlay), "u%u", u);
		p.local = tt_ip(locals[lcg(&x) % 2]);
		p.remote_flow = lcg(&x) % 5 == 0;
		if (!p.remote_flow)
			p.remote = some_remote(&x, p.local.family, 40);
		p.key_flow = lcg(&x) % 5 == 0;
		p.vni = p.key_flow ? 0 : lcg(&x) % 10;
		for (unsigned int i = 0; i < t.n && !clash; i++)
			clash = sl_tunnel_params_clash(&t.e[i].p, &p);
		if (!clash)
			CU_ASSERT_EQUAL_FATAL(sl_tunnel_table_add(&t, &p, (uint16_t)(10 + t.n),
								 (uint16_t)u, t.n), 0);
	}
	CU_ASSERT(t.n > 150);
	for (unsigned int q = 0; q < 20000; q++) {
		const struct sl_tunnel_entry *e1 = NULL, *e2 = NULL;
		struct sl_vxlan_outer o = { .verdict = lcg(&x) % 20 ? SL_TNL_OK : SL_TNL_BAD_FLAGS };
		uint16_t u = (uint16_t)(1 + lcg(&x) % 3);
		enum sl_tnl_verdict v1, v2;

		o.dst = lcg(&x) % 10 ? tt_ip(locals[lcg(&x) % 2]) : tt_ip("10.0.0.9");
		o.src = some_remote(&x, o.dst.family, 44);
		o.udp_dst = (uint16_t)(lcg(&x) % 10 ? (lcg(&x) % 2 ? 4789 : 8472) : 53);
		o.vni = o.verdict == SL_TNL_OK ? lcg(&x) % 12 : 0;
		v1 = sl_tunnel_rx_match(&t, u, &o, &e1);
		v2 = ref_match(&t, u, &o, &e2);
		bad += v1 != v2 || (v1 == SL_TNL_OK && e1 != e2);
		ok += v1 == SL_TNL_OK;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(ok > 1000); /* the queries reach ports, not only misses */
}

/* A template retargeted to another remote and VNI is the one built for them
 * (bytes and checksum base), and frames pushed with it are right. */
static void
test_encap_retarget(void)
{
	for (int v6 = 0; v6 < 2; v6++) {
		struct sl_ip_addr l = tt_ip(v6 ? "2001:db8::1" : "10.0.0.1");
		struct sl_ip_addr r0 = { .family = l.family };
		struct sl_ip_addr r = tt_ip(v6 ? "2001:db8::2" : "10.0.0.2");
		struct sl_ip_addr other = tt_ip(v6 ? "10.0.0.2" : "2001:db8::2");
		struct sl_vxlan_encap e, want, keep;
		unsigned int avail = tt_avail();
		struct rte_mbuf *m;

		CU_ASSERT_EQUAL_FATAL(sl_vxlan_encap_init(&e, &l, &r0, 0, 4789, 64, true, &smac), 0);
		CU_ASSERT_EQUAL_FATAL(sl_vxlan_encap_init(&want, &l, &r, 0x123456, 4789, 64, true,
							  &smac), 0);
		CU_ASSERT_EQUAL(sl_vxlan_encap_retarget(&e, &r, 0x123456), 0);
		CU_ASSERT_EQUAL(memcmp(e.hdr, want.hdr, sizeof(e.hdr)), 0);
		CU_ASSERT_EQUAL(e.csum_base, want.csum_base);
		keep = e;
		CU_ASSERT_EQUAL(sl_vxlan_encap_retarget(&e, &other, 7), -EINVAL);
		CU_ASSERT_EQUAL(sl_vxlan_encap_retarget(&e, &r, SL_VXLAN_VNI_MAX + 1), -EINVAL);
		CU_ASSERT_EQUAL(memcmp(&e, &keep, sizeof(e)), 0);
		tt_inner_frame(inner, 99, 3);
		m = tt_mbuf(inner, 99, 0);
		CU_ASSERT_EQUAL_FATAL(sl_vxlan_encap(&m, &e, &dmac, 5, 0, 1500, tt_pool()),
				      SL_TNL_OK);
		check_outer(flat, tt_flat(m, flat), v6, 0x123456, 99);
		rte_pktmbuf_free(m);
		CU_ASSERT_EQUAL(tt_avail(), avail);
	}
}

/* The IPv6 UDP checksum of flat frames (8-byte words with carries) at
 * every tail length, on bytes that carry out of every word (0xff). */
static void
test_encap6_csum_flat(void)
{
	struct sl_vxlan_encap e;
	unsigned int avail = tt_avail();

	encap_tmpl(&e, true, 0xabcdef, false);
	for (uint32_t len = 14; len <= 300; len++) {
		for (int ones = 0; ones < 2; ones++) {
			struct rte_mbuf *m;

			tt_inner_frame(inner, len < 42 ? 42 : len, (uint16_t)len);
			if (ones)
				memset(inner + 14, 0xff, len - 14);
			m = tt_mbuf(inner, len, 0);
			CU_ASSERT_EQUAL_FATAL(sl_vxlan_encap(&m, &e, &dmac, len, 0, 9000,
							     tt_pool()), SL_TNL_OK);
			check_outer(flat, tt_flat(m, flat), true, 0xabcdef, len);
			rte_pktmbuf_free(m);
		}
	}
	CU_ASSERT_EQUAL(tt_avail(), avail);
}

static void
test_params(void)
{
	struct sl_tunnel_params a = params("10.0.0.2", 5), b = params("10.0.0.2", 5);
	char err[128];

	CU_ASSERT_EQUAL(sl_tunnel_params_check(&a, err, sizeof(err)), 0);
	CU_ASSERT(sl_tunnel_params_clash(&a, &b));
	b.vni = 6;
	CU_ASSERT(!sl_tunnel_params_clash(&a, &b));
	b.key_flow = true;
	CU_ASSERT(!sl_tunnel_params_clash(&a, &b));
	a.remote = tt_ip("2001:db8::2");
	CU_ASSERT_EQUAL(sl_tunnel_params_check(&a, err, sizeof(err)), -1);
	CU_ASSERT(strstr(err, "mix") != NULL);
	CU_ASSERT_STRING_EQUAL(sl_tnl_verdict_name(SL_TNL_BAD_FLAGS), "tnl_bad_flags");
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "round_trip_flat", test_round_trip_flat },
		{ "round_trip_chained", test_round_trip_chained },
		{ "encap_shared", test_encap_shared },
		{ "encap_no_headroom", test_encap_no_headroom },
		{ "encap_mtu", test_encap_mtu },
		{ "src_port_spread", test_src_port_spread },
		{ "inner_hash", test_inner_hash },
		{ "decap_malformed", test_decap_malformed },
		{ "decap_padding_and_shared", test_decap_padding_and_shared },
		{ "table_match", test_table_match },
		{ "table_model", test_table_model },
		{ "params", test_params },
		{ "encap_retarget", test_encap_retarget },
		{ "encap6_csum_flat", test_encap6_csum_flat },
	};
	int rc;

	if (tt_init("sl-tunnel-test") != 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	rc = cunit_run_suite("vxlan", tests, sizeof(tests) / sizeof(tests[0]));
	tt_fini();
	return rc;
}
