/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The decap's burst cache (dataplane/tunnel/sl_tunnel_rx_cache.h) against
 * the slow path it stands for: for frames of the cached tunnel with random
 * bytes changed (checksum fixed up or not), lengths cut or padded, chained,
 * on another underlay or table, whenever the cache answers, parse + match
 * answer the same (verdict OK, port, every outer field); and it does
 * answer for the frames it is meant for. Then which tunnel a burst keeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "sl_tunnel.h"
#include "sl_tunnel_rx_cache.h"
#include "sl_vxlan.h"
#include "tunnel_test_util.h"

static const struct rte_ether_addr mac = { { 0x02, 0xaa, 0, 0, 0, 1 } };
static struct sl_tunnel_table tab, other;

static uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1664525u + 1013904223u;
	return *x >> 8;
}

/* A VXLAN frame from @p src to @p dst, VNI @p vni, inner frame of @p len. */
static uint32_t
frame(uint8_t *out, const char *src, const char *dst, uint32_t vni, uint32_t len)
{
	struct sl_ip_addr s = tt_ip(src), d = tt_ip(dst);
	struct sl_vxlan_encap e;
	uint8_t inner[256];
	struct rte_mbuf *m;
	uint32_t n;

	CU_ASSERT_FATAL(sl_vxlan_encap_init(&e, &s, &d, vni, 4789, 64, true, &mac) == 0);
	tt_inner_frame(inner, len, 77);
	m = tt_mbuf(inner, len, 0);
	CU_ASSERT_FATAL(sl_vxlan_encap(&m, &e, &mac, len, 0, 9000, tt_pool()) == SL_TNL_OK);
	n = tt_flat(m, out);
	rte_pktmbuf_free(m);
	return n;
}

static void
add(struct sl_tunnel_table *t, const char *local, const char *remote, long vni, uint16_t slot)
{
	struct sl_tunnel_params p = { .dst_port = 4789, .local = tt_ip(local) };

	p.remote_flow = remote == NULL;
	if (remote != NULL)
		p.remote = tt_ip(remote);
	p.key_flow = vni < 0;
	p.vni = vni < 0 ? 0 : (uint32_t)vni;
	CU_ASSERT_FATAL(sl_tunnel_table_add(t, &p, slot, 1, slot) == 0);
}

/* Parse + match, as sl_tunnel_rx does without the cache. */
static enum sl_tnl_verdict
slow(const struct sl_tunnel_table *t, uint16_t u, const struct rte_mbuf *m,
     struct sl_vxlan_outer *o, const struct sl_tunnel_entry **e)
{
	enum sl_tnl_verdict v = sl_vxlan_parse_mbuf(m, o);

	return v == SL_TNL_OK ? sl_tunnel_rx_match(t, u, o, e) : v;
}

static bool
same_outer(const struct sl_vxlan_outer *a, const struct sl_vxlan_outer *b)
{
	return sl_ip_addr_eq(&a->src, &b->src) && sl_ip_addr_eq(&a->dst, &b->dst) &&
	       a->vni == b->vni && a->udp_dst == b->udp_dst && a->hdr_len == b->hdr_len &&
	       a->inner_len == b->inner_len && a->verdict == b->verdict &&
	       a->proto == b->proto && a->geneve_verdict == b->geneve_verdict;
}

/* Rewrite an IPv4 frame's header checksum after a change. */
static void
fix_ip4_sum(uint8_t *f)
{
	uint16_t sum;

	f[24] = f[25] = 0;
	sum = (uint16_t)~rte_raw_cksum(f + 14, 20);
	memcpy(f + 24, &sum, 2);
}

/* One family: fill from the base frame, then random variants of it. */
static void
model(bool v6, uint32_t seed)
{
	const char *src = v6 ? "2001:db8::2" : "10.0.0.2", *dst = v6 ? "2001:db8::1" : "10.0.0.1";
	struct sl_tunnel_rx_cache c;
	struct sl_vxlan_outer o1, o2;
	const struct sl_tunnel_entry *e1 = NULL, *e2 = NULL;
	uint8_t base[512], f[512];
	uint32_t x = seed, n = frame(base, src, dst, 5, 100), hits = 0, bad = 0, ok_slow = 0;
	unsigned int avail = tt_avail();
	struct rte_mbuf *m = tt_mbuf(base, n, 0);

	sl_tunnel_rx_cache_init(&c);
	CU_ASSERT_FALSE(sl_tunnel_rx_cached(&c, &tab, 1, m, &o1, &e1));
	CU_ASSERT_EQUAL_FATAL(slow(&tab, 1, m, &o2, &e2), SL_TNL_OK);
	sl_tunnel_rx_cache_fill(&c, &tab, 1, m, &o2, e2);
	CU_ASSERT_TRUE(sl_tunnel_rx_cached(&c, &tab, 1, m, &o1, &e1));
	CU_ASSERT_PTR_EQUAL(e1, e2);
	CU_ASSERT_TRUE(same_outer(&o1, &o2));
	CU_ASSERT_FALSE(sl_tunnel_rx_cached(&c, &tab, 2, m, &o1, &e1));   /* other underlay */
	CU_ASSERT_FALSE(sl_tunnel_rx_cached(&c, &other, 1, m, &o1, &e1)); /* other table */
	rte_pktmbuf_free(m);

	memset(f, 0xee, sizeof(f)); /* the padding's bytes */
	for (unsigned int i = 0; i < 6000; i++) {
		uint32_t len = n, k = lcg(&x) % 4;
		enum sl_tnl_verdict v;
		bool hit;

		memcpy(f, base, n);
		for (uint32_t j = 0; j < k; j++) { /* bytes of the outer headers */
			uint32_t at = lcg(&x) % (v6 ? 84 : 64);
			f[at] = lcg(&x) % 3 == 0 ? (uint8_t)(f[at] ^ (1u << (lcg(&x) % 8)))
						 : (uint8_t)lcg(&x);
		}
		if (lcg(&x) % 8 == 0) { /* a shorter datagram, its lengths agreeing */
			uint32_t ul = lcg(&x) % 61;

			f[v6 ? 18 : 16] = (uint8_t)((ul + (v6 ? 0 : 20)) >> 8);
			f[v6 ? 19 : 17] = (uint8_t)(ul + (v6 ? 0 : 20));
			f[v6 ? 58 : 38] = (uint8_t)(ul >> 8);
			f[v6 ? 59 : 39] = (uint8_t)ul;
		}
		if (!v6 && lcg(&x) % 2)
			fix_ip4_sum(f);
		if (lcg(&x) % 8 == 0) /* cut, or Ethernet padding behind */
			len = lcg(&x) % 2 ? n - 1 - lcg(&x) % 40 : n + lcg(&x) % 30;
		m = tt_mbuf(f, len, lcg(&x) % 10 == 0 ? 1 + lcg(&x) % 90 : 0);
		if (lcg(&x) % 4 == 0)
			m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
		hit = sl_tunnel_rx_cache_hit(&c, &tab, 1, m, &o1, &e1);
		v = slow(&tab, 1, m, &o2, &e2);
		ok_slow += v == SL_TNL_OK;
		hits += hit;
		bad += hit && (v != SL_TNL_OK || e1 != e2 || !same_outer(&o1, &o2));
		rte_pktmbuf_free(m);
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(hits > 1000); /* changes to per-packet bytes, a good checksum */
	CU_ASSERT(ok_slow > hits); /* some good frames the cache cannot judge: it says no */
	CU_ASSERT_EQUAL(tt_avail(), avail);
}

static void
test_model(void)
{
	memset(&tab, 0, sizeof(tab));
	memset(&other, 0, sizeof(other));
	add(&tab, "10.0.0.1", "10.0.0.2", 5, 10);
	add(&tab, "10.0.0.1", "10.0.0.2", -1, 11); /* the other VNIs of that remote */
	add(&tab, "10.0.0.1", NULL, 5, 12);        /* VNI 5 of any remote */
	add(&tab, "2001:db8::1", "2001:db8::2", 5, 13);
	add(&tab, "2001:db8::1", NULL, -1, 14);
	add(&other, "10.0.0.1", "10.0.0.2", 5, 20);
	add(&other, "2001:db8::1", "2001:db8::2", 5, 21);
	model(false, 1);
	model(false, 2);
	model(true, 3);
}

/* Which tunnel a burst keeps: the first, until two frames in a row are
 * another's; two tunnels interleaved frame by frame keep the first. */
static void
test_fill_policy(void)
{
	struct sl_tunnel_rx_cache c;
	struct sl_vxlan_outer o;
	const struct sl_tunnel_entry *e = NULL;
	uint8_t fa[256], fb[256];
	uint32_t na = frame(fa, "10.0.0.2", "10.0.0.1", 5, 64);
	uint32_t nb = frame(fb, "10.0.0.7", "10.0.0.1", 5, 64); /* port 12: any remote */
	struct rte_mbuf *a = tt_mbuf(fa, na, 0), *b = tt_mbuf(fb, nb, 0);
	struct rte_mbuf *seq[] = { a, b, a, b, a, b, b, b, a };
	/* answered by the cache: a fills; b, b miss (the second refills) */
	const bool want[] = { false, false, true, false, true, false, false, true, false };

	sl_tunnel_rx_cache_init(&c);
	for (unsigned int i = 0; i < RTE_DIM(seq); i++) {
		bool hit = sl_tunnel_rx_cached(&c, &tab, 1, seq[i], &o, &e);

		CU_ASSERT_EQUAL(hit, want[i]);
		if (!hit && slow(&tab, 1, seq[i], &o, &e) == SL_TNL_OK)
			sl_tunnel_rx_cache_fill(&c, &tab, 1, seq[i], &o, e);
		CU_ASSERT_EQUAL(e->slot, seq[i] == a ? 10 : 12);
	}
	rte_pktmbuf_free(a);
	rte_pktmbuf_free(b);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "model", test_model },
		{ "fill_policy", test_fill_policy },
	};
	int rc;

	if (tt_init("sl-tunnel-rxc") != 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	rc = cunit_run_suite("tunnel_rx_cache", tests, sizeof(tests) / sizeof(tests[0]));
	tt_fini();
	return rc;
}
