/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Byte vectors of the VXLAN code for an independent judge (vxlan_scapy.py):
 *   vxlan_vectors encap   prints "NAME INNER_HEX FRAME_HEX" for frames our
 *                         encap built (IPv4 with and without DF, IPv6, flat,
 *                         chained at odd offsets, shared inner packets);
 *   vxlan_vectors decap   reads "NAME FRAME_HEX" lines (frames scapy built)
 *                         and prints "NAME VERDICT VNI INNER_HEX" as our
 *                         parser, table (local 10.0.0.1 and 2001:db8::1,
 *                         port 4789, remote and key flow) and trim judge them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "sl_tunnel.h"
#include "sl_vxlan.h"
#include "tunnel_test_util.h"

#define MAX 9400

static uint8_t buf[MAX], inner[MAX];

static void
hex(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void
encap_one(const char *name, bool v6, bool df, uint32_t vni, uint32_t len, uint32_t seg,
	  bool shared)
{
	static const struct rte_ether_addr smac = { { 0x02, 0x10, 0, 0, 0, 1 } };
	static const struct rte_ether_addr dmac = { { 0x02, 0x20, 0, 0, 0, 2 } };
	struct sl_ip_addr l = tt_ip(v6 ? "2001:db8::1" : "10.0.0.1");
	struct sl_ip_addr r = tt_ip(v6 ? "2001:db8::2" : "10.0.0.2");
	struct sl_vxlan_encap e;
	struct rte_mbuf *m, *orig;

	if (sl_vxlan_encap_init(&e, &l, &r, vni, 4789, 33, df, &smac) != 0)
		abort();
	tt_inner_frame(inner, len, (uint16_t)len);
	orig = m = tt_mbuf(inner, len, seg);
	if (shared)
		rte_pktmbuf_refcnt_update(orig, 1);
	if (sl_vxlan_encap(&m, &e, &dmac, len * 2654435761u, (uint16_t)len, 9600, tt_pool()) !=
	    SL_TNL_OK)
		abort();
	printf("%s ", name);
	hex(inner, len);
	printf(" ");
	hex(buf, tt_flat(m, buf));
	printf("\n");
	rte_pktmbuf_free(m);
	if (shared)
		rte_pktmbuf_free(orig);
}

static int
unhex(const char *s, uint8_t *out, uint32_t max)
{
	uint32_t n = 0;
	unsigned int b;

	while (s[0] && s[1] && n < max && sscanf(s, "%2x", &b) == 1) {
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return (int)n;
}

static void
decap_all(void)
{
	static struct sl_tunnel_table t;
	static char line[2 * MAX + 128];
	char name[64];

	for (int i = 0; i < 2; i++) {
		struct sl_tunnel_params p = { .dst_port = 4789, .remote_flow = true,
					      .key_flow = true };
		p.local = tt_ip(i ? "2001:db8::1" : "10.0.0.1");
		if (sl_tunnel_table_add(&t, &p, (uint16_t)(10 + i), 1, 0) != 0)
			abort();
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		const struct sl_tunnel_entry *hit = NULL;
		struct sl_vxlan_outer o;
		char *sp = strchr(line, ' ');
		enum sl_tnl_verdict v;
		struct rte_mbuf *m;
		int n;

		if (sp == NULL)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(sp - line), line);
		n = unhex(sp + 1, buf, MAX);
		m = tt_mbuf(buf, (uint32_t)n, 100); /* chained: the trim's slow path too */
		v = sl_vxlan_parse_mbuf(m, &o);
		if (v == SL_TNL_OK)
			v = sl_tunnel_rx_match(&t, 1, &o, &hit);
		if (v == SL_TNL_OK)
			v = sl_vxlan_strip(&m, &o, tt_pool());
		printf("%s %s %u ", name, sl_tnl_verdict_name(v), v == SL_TNL_OK ? o.vni : 0);
		if (v == SL_TNL_OK)
			hex(buf, tt_flat(m, buf));
		printf("\n");
		rte_pktmbuf_free(m);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2 || tt_init("sl-vxlan-vectors") != 0) {
		fprintf(stderr, "usage: vxlan_vectors encap|decap\n");
		return 2;
	}
	if (strcmp(argv[1], "encap") == 0) {
		encap_one("v4_df", false, true, 5, 98, 0, false);
		encap_one("v4_nodf", false, false, 0xabcdef, 1500, 0, false);
		encap_one("v4_chained", false, true, 1, 777, 61, false);
		encap_one("v4_shared", false, true, 2, 64, 0, true);
		encap_one("v6", true, false, 7, 98, 0, false);
		encap_one("v6_odd", true, false, 16777215, 1501, 0, false);
		encap_one("v6_chained_odd", true, false, 9, 999, 37, false);
		encap_one("v6_shared", true, false, 10, 200, 51, true);
	} else if (strcmp(argv[1], "decap") == 0) {
		decap_all();
	} else {
		return 2;
	}
	tt_fini();
	return 0;
}
