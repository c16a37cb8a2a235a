/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the VXLAN and Geneve decap classifier and trim
 * (dataplane/tunnel/vxlan.c, sl_geneve.h, tunnel_table.c). The input is an underlay
 * frame; its first byte chooses how it is cut into segments and whether
 * the frame is shared. For every frame:
 *  - the parse reads nothing outside the frame (ASan: an exact-size copy);
 *  - flat and chained frames parse the same;
 *  - a frame judged OK has its inner frame inside it, at least an Ethernet
 *    header long, and the trim leaves exactly those bytes, in a well-formed
 *    chain, whatever the segments and sharing; a shared frame's other
 *    holder still sees the whole frame;
 *  - the table match gives OK only for a VTEP, a remote and a VNI it holds,
 *    of the header's protocol (the port is VXLAN or Geneve by the input);
 *  - the inner frame encapsulated again parses back to the same VNI and bytes;
 *  - no mbuf is lost on any path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "sl_geneve.h"
#include "sl_tunnel.h"
#include "sl_vxlan.h"
#include "tunnel_test_util.h"

#define MAX_FRAME 4096

static uint8_t flat_out[MAX_FRAME + 128];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (tt_init("sl-fuzz-vxlan") != 0)
		abort();
	return 0;
}

static void
same_outer(const struct sl_vxlan_outer *a, const struct sl_vxlan_outer *b)
{
	if (!sl_ip_addr_eq(&a->src, &b->src) || !sl_ip_addr_eq(&a->dst, &b->dst) ||
	    a->udp_dst != b->udp_dst || a->verdict != b->verdict ||
	    a->geneve_verdict != b->geneve_verdict ||
	    (a->verdict == SL_TNL_OK && a->proto != b->proto) ||
	    (a->verdict == SL_TNL_OK && (a->vni != b->vni || a->hdr_len != b->hdr_len ||
					 a->inner_len != b->inner_len)))
		abort();
}

/* Encapsulate the inner frame again and check that it parses back. */
static void
re_encap(struct rte_mbuf *m, const struct sl_vxlan_outer *o, const uint8_t *inner)
{
	struct sl_vxlan_encap e;
	struct sl_vxlan_outer o2;
	static const struct rte_ether_addr mac = { { 2, 0, 0, 0, 0, 1 } };

	if (sl_tnl_encap_init(o->proto, &e, &o->dst, &o->src, o->vni, o->udp_dst, 64, true,
			      &mac) != 0)
		abort();
	if (sl_vxlan_encap(&m, &e, &mac, o->vni, 1, 9600, tt_pool()) != SL_TNL_OK) {
		rte_pktmbuf_free(m);
		return;
	}
	if (rte_mbuf_check(m, 1, NULL) != 0 || sl_vxlan_parse_mbuf(m, &o2) != SL_TNL_OK ||
	    o2.verdict != SL_TNL_OK || o2.proto != o->proto || o2.vni != o->vni ||
	    o2.inner_len != o->inner_len)
		abort();
	if (tt_flat(m, flat_out) != o->inner_len + o2.hdr_len ||
	    memcmp(flat_out + o2.hdr_len, inner, o->inner_len) != 0)
		abort();
	rte_pktmbuf_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_tunnel_table t;
	const struct sl_tunnel_entry *hit = NULL;
	struct sl_vxlan_outer o1, o2;
	unsigned int avail = tt_avail();
	struct rte_mbuf *m, *orig;
	enum sl_tnl_verdict v;
	uint8_t *frame;
	uint32_t len, seg;
	bool shared;

	if (size < 1 || size > MAX_FRAME + 1)
		return 0;
	seg = data[0] & 0x7f; /* 0: one segment */
	shared = (data[0] & 0x80) != 0;
	len = (uint32_t)size - 1;
	if (seg != 0 && len / seg > 64) /* at most 65 segments: the pool stays ample */
		seg = len / 64 + 1;
	frame = malloc(len ? len : 1);
	memcpy(frame, data + 1, len);

	v = sl_vxlan_parse(frame, len, len, false, &o1);
	m = tt_mbuf(frame, len, seg);
	if (sl_vxlan_parse_mbuf(m, &o2) != v)
		abort();
	if (v == SL_TNL_OK)
		same_outer(&o1, &o2);
	if (v == SL_TNL_OK && o1.verdict == SL_TNL_OK &&
	    (o1.inner_len < 14 || (uint64_t)o1.hdr_len + o1.inner_len > len))
		abort();

	/* a table with this VTEP, and a remote / VNI taken from the input */
	if (v == SL_TNL_OK) {
		struct sl_tunnel_params tp = { .local = o1.dst, .dst_port = o1.udp_dst };

		tp.remote_flow = (len & 1) != 0;
		if (!tp.remote_flow)
			tp.remote = o1.src;
		tp.key_flow = (len & 2) != 0;
		tp.vni = (len & 4) ? o1.vni : o1.vni ^ 1;
		/* the port speaks the header's protocol, or the other one */
		tp.proto = (uint8_t)((len & 8) ? o1.proto : o1.proto ^ SL_TNL_PROTO_GENEVE);
		memset(&t, 0, sizeof(t));
		if (sl_tunnel_table_add(&t, &tp, 1, 3, 1) != 0)
			abort();
		enum sl_tnl_verdict mv = sl_tunnel_rx_match(&t, 3, &o1, &hit);
		bool want_ok = o1.verdict == SL_TNL_OK && o1.proto == tp.proto &&
			       (tp.key_flow || (len & 4));
		if ((mv == SL_TNL_OK) != want_ok || sl_tunnel_rx_match(&t, 4, &o1, &hit) != SL_TNL_NOT_OURS)
			abort();
		/* a malformed header's verdict is the VTEP's protocol's */
		if (o1.verdict != SL_TNL_OK || o1.proto != tp.proto) {
			enum sl_tnl_verdict want = tp.proto == SL_TNL_PROTO_GENEVE
				? (enum sl_tnl_verdict)o1.geneve_verdict
				: o1.verdict != SL_TNL_OK ? (enum sl_tnl_verdict)o1.verdict
							  : SL_TNL_BAD_FLAGS;
			if (mv != want)
				abort();
		}
	}

	orig = m;
	if (shared)
		rte_pktmbuf_refcnt_update(orig, 1);
	if (v == SL_TNL_OK && o1.verdict == SL_TNL_OK) {
		enum sl_tnl_verdict sv = sl_vxlan_strip(&m, &o1, tt_pool());
		if (sv == SL_TNL_OK) {
			if (rte_mbuf_check(m, 1, NULL) != 0 || tt_flat(m, flat_out) != o1.inner_len ||
			    memcmp(flat_out, frame + o1.hdr_len, o1.inner_len) != 0)
				abort();
			re_encap(m, &o1, frame + o1.hdr_len);
			m = NULL;
		} else if (sv != SL_TNL_BAD_OUTER && sv != SL_TNL_NO_MBUF) {
			abort();
		}
	}
	if (shared) {
		if (tt_flat(orig, flat_out) != len || memcmp(flat_out, frame, len) != 0)
			abort();
		rte_pktmbuf_free(orig);
	}
	if (m != NULL)
		rte_pktmbuf_free(m);
	if (tt_avail() != avail)
		abort(); /* an mbuf lost */
	free(frame);
	return 0;
}
