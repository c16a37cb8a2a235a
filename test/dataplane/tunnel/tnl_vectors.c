/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Byte vectors of the tunnel code for an independent judge (vxlan_scapy.py,
 * geneve_scapy.py), for either protocol (PROTO: vxlan or geneve):
 *   tnl_vectors PROTO encap  prints "NAME INNER_HEX FRAME_HEX" for frames our
 *                            encap built for a port of PROTO (IPv4 with and
 *                            without DF, IPv6, flat, chained at odd offsets,
 *                            shared inner packets, a template retargeted to
 *                            another remote and VNI as a flow-based port's);
 *   tnl_vectors PROTO decap  reads "NAME FRAME_HEX" lines (frames scapy built)
 *                            and prints "NAME VERDICT VNI SLOT INNER_HEX" as
 *                            our parser, table and trim judge them.
 * The decap table: VTEPs 10.0.0.1 and 2001:db8::1 on PROTO's port (remote
 * and key flow: slots 10, 11); for geneve also a fixed port of remote
 * 10.0.0.3 VNI 77 (slot 12) and a VXLAN VTEP 10.0.0.1 on port 4789 (flow:
 * slot 13), so that each protocol meets the other's header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "sl_geneve.h"
#include "sl_tunnel.h"
#include "tunnel_test_util.h"

#define MAX 9400

static uint8_t buf[MAX], inner[MAX];
static uint8_t proto;      /* enum sl_tnl_proto under test */
static uint16_t udp_port;  /* its UDP port */

static void
hex(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* @p retarget: the template is built for another remote and VNI 0, then
 * retargeted (a flow-based port's encap, sl_vxlan_encap_retarget). */
static void
encap_one(const char *name, bool v6, bool df, uint32_t vni, uint32_t len, uint32_t seg,
	  bool shared, bool retarget)
{
	static const struct rte_ether_addr smac = { { 0x02, 0x10, 0, 0, 0, 1 } };
	static const struct rte_ether_addr dmac = { { 0x02, 0x20, 0, 0, 0, 2 } };
	struct sl_ip_addr l = tt_ip(v6 ? "2001:db8::1" : "10.0.0.1");
	struct sl_ip_addr r = tt_ip(v6 ? "2001:db8::2" : "10.0.0.2");
	struct sl_ip_addr other = tt_ip(v6 ? "2001:db8::77" : "10.0.0.77");
	struct sl_vxlan_encap e;
	struct rte_mbuf *m, *orig;

	if (sl_tnl_encap_init(proto, &e, &l, retarget ? &other : &r, retarget ? 0 : vni,
			      udp_port, 33, df, &smac) != 0)
		abort();
	if (retarget && sl_vxlan_encap_retarget(&e, &r, vni) != 0)
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
table_add(struct sl_tunnel_table *t, const struct sl_tunnel_params *p, uint16_t slot)
{
	if (sl_tunnel_table_add(t, p, slot, 1, 0) != 0)
		abort();
}

static void
table_fill(struct sl_tunnel_table *t)
{
	struct sl_tunnel_params p = { .dst_port = udp_port, .remote_flow = true,
				      .key_flow = true, .proto = proto };

	p.local = tt_ip("10.0.0.1");
	table_add(t, &p, 10);
	p.local = tt_ip("2001:db8::1");
	table_add(t, &p, 11);
	if (proto != SL_TNL_PROTO_GENEVE)
		return;
	p = (struct sl_tunnel_params){ .dst_port = SL_GENEVE_UDP_PORT, .vni = 77,
				       .proto = SL_TNL_PROTO_GENEVE };
	p.local = tt_ip("10.0.0.1");
	p.remote = tt_ip("10.0.0.3");
	table_add(t, &p, 12);
	p = (struct sl_tunnel_params){ .dst_port = SL_VXLAN_UDP_PORT, .remote_flow = true,
				       .key_flow = true, .proto = SL_TNL_PROTO_VXLAN };
	p.local = tt_ip("10.0.0.1");
	table_add(t, &p, 13);
}

static void
decap_all(void)
{
	static struct sl_tunnel_table t;
	static char line[2 * MAX + 128];
	char name[64];

	table_fill(&t);
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
		printf("%s %s %u %u ", name, sl_tnl_verdict_name(v), v == SL_TNL_OK ? o.vni : 0,
		       v == SL_TNL_OK ? hit->slot : 0);
		if (v == SL_TNL_OK)
			hex(buf, tt_flat(m, buf));
		printf("\n");
		rte_pktmbuf_free(m);
	}
}

static void
encap_all(void)
{
	encap_one("v4_df", false, true, 5, 98, 0, false, false);
	encap_one("v4_nodf", false, false, 0xabcdef, 1500, 0, false, false);
	encap_one("v4_chained", false, true, 1, 777, 61, false, false);
	encap_one("v4_shared", false, true, 2, 64, 0, true, false);
	encap_one("v4_retarget_df", false, true, 11, 300, 0, false, true);
	encap_one("v6", true, false, 7, 98, 0, false, false);
	encap_one("v6_odd", true, false, 16777215, 1501, 0, false, false);
	encap_one("v6_chained_odd", true, false, 9, 999, 37, false, false);
	encap_one("v6_shared", true, false, 10, 200, 51, true, false);
	encap_one("v6_retarget", true, false, 12, 301, 0, false, true);
}

int
main(int argc, char **argv)
{
	bool geneve = argc == 3 && strcmp(argv[1], "geneve") == 0;

	if (argc != 3 || (!geneve && strcmp(argv[1], "vxlan") != 0) ||
	    tt_init("sl-tnl-vectors") != 0) {
		fprintf(stderr, "usage: tnl_vectors vxlan|geneve encap|decap\n");
		return 2;
	}
	proto = geneve ? SL_TNL_PROTO_GENEVE : SL_TNL_PROTO_VXLAN;
	udp_port = geneve ? SL_GENEVE_UDP_PORT : SL_VXLAN_UDP_PORT;
	if (strcmp(argv[2], "encap") == 0)
		encap_all();
	else if (strcmp(argv[2], "decap") == 0)
		decap_all();
	else
		return 2;
	tt_fini();
	return 0;
}
