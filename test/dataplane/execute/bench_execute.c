/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Benchmark of sl_execute(): cycles and ns per packet for typical action
 * lists, bursts of 32 packets (64-byte TCP/IPv4 frames). The timed part is
 * sl_execute() alone, including the frees its output callback does for
 * dropped copies; preparing the burst and freeing the sent packets is not
 * timed. Each burst is timed on its own and the median burst is reported
 * (the minimum too): on a loaded machine the mean mostly measures preemption.
 * Not a test: prints numbers only.
 *
 * Usage: bench_execute [iterations [scenario index]]   (EAL runs with --no-huge)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "exec_test_util.h"
#include "sl_flow_consts.h"

#define BURST 32

struct sink {
	struct rte_mbuf *m[BURST * 4];
	unsigned int n;
};

static void
sink_output(void *ctx, uint32_t port, uint32_t in_port, struct rte_mbuf *m)
{
	struct sink *s = ctx;
	(void)port;
	(void)in_port;
	s->m[s->n++] = m;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct scenario {
	const char *name;
	struct sl_exec_action acts[8];
	unsigned int n;
};

int
main(int argc, char **argv)
{
	unsigned int iters = argc > 1 ? (unsigned int)atoi(argv[1]) : 20000;
	int only = argc > 2 ? atoi(argv[2]) : -1;
	if (xt_init() != 0)
		return 1;
	struct xt_pb b;
	xt_pb_eth(&b, 1, 2);
	xt_pb_u16(&b, SL_ETH_IPV4);
	xt_pb_ipv4(&b, SL_IPPROTO_TCP, 0x0a000001, 0x0a000002, 64, 0, 0);
	xt_pb_tcp(&b, 1234, 80, 0x10);
	xt_pb_payload(&b, 10);
	xt_pb_finish(&b);

	uint8_t dst[4] = { 10, 9, 9, 9 }, port[2] = { 0x1f, 0x90 }, vid[2] = { 0x00, 0x2a };
	uint8_t vmask[2] = { 0x0f, 0xff }, mac[6] = { 2, 3, 4, 5, 6, 7 };
	struct sl_exec_action set_dst = xt_set(OFPXMT_OFB_IPV4_DST, SL_LAYER_L3, 16, 4,
					     SL_CSUM_IP4 | SL_CSUM_L4, dst, NULL);
	struct sl_exec_action set_port = xt_set(OFPXMT_OFB_TCP_DST, SL_LAYER_L4, 2, 2, SL_CSUM_L4, port,
					      NULL);
	struct sl_exec_action set_vid = xt_set(OFPXMT_OFB_VLAN_VID, SL_LAYER_VLAN, 2, 2, 0, vid, vmask);
	struct sl_exec_action set_mac = xt_set(OFPXMT_OFB_ETH_DST, SL_LAYER_ETH, 0, 6, 0, mac, NULL);
	struct scenario sc[] = {
		{ "output", { xt_output(1) }, 1 },
		{ "set ipv4_dst+tcp_dst, output", { set_dst, set_port, xt_output(1) }, 3 },
		{ "dec_ttl, push_vlan, set vid, output",
		  { xt_ttl(SL_EXEC_DEC_NW_TTL, 0, 0), xt_simple(SL_EXEC_PUSH_VLAN, SL_ETH_VLAN), set_vid,
		    xt_output(1) }, 4 },
		{ "push_mpls, output", { xt_simple(SL_EXEC_PUSH_MPLS, SL_ETH_MPLS), xt_output(1) }, 2 },
		{ "output x2 (shared)", { xt_output(1), xt_output(2) }, 2 },
		{ "output, set eth_dst, output (1 copy)", { xt_output(1), set_mac, xt_output(2) }, 3 },
		{ "group all: clone{set,out} x2, output (2 copies)",
		  { xt_clone(2), set_mac, xt_output(3), xt_clone(2), set_dst, xt_output(4),
		    xt_output(5) }, 7 },
	};
	struct sink sink;
	struct sl_exec_env env = { .ctx = &sink, .output = sink_output, .pool = xt_pool() };
	struct sl_exec_stats st = { 0 };
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	sl_flow_parse(b.d, b.len, 1, 1, 0, &key, &lay);
	double hz = (double)rte_get_tsc_hz();

	printf("# sl_execute, %u bursts of %d x %u-byte TCP/IPv4, tsc %.2f GHz\n", iters, BURST,
	       b.len, hz / 1e9);
	printf("%-50s %10s %10s %10s\n", "action list", "cyc/pkt", "ns/pkt", "min cyc");
	for (unsigned int s = 0; s < sizeof(sc) / sizeof(sc[0]); s++) {
		if (only >= 0 && (unsigned int)only != s)
			continue;
		uint64_t *cycles = malloc(sizeof(*cycles) * iters);
		for (unsigned int it = 0; it < iters; it++) {
			struct rte_mbuf *ms[BURST];
			if (rte_pktmbuf_alloc_bulk(xt_pool(), ms, BURST) != 0)
				return 1;
			for (int i = 0; i < BURST; i++)
				memcpy(rte_pktmbuf_append(ms[i], b.len), b.d, b.len);
			sink.n = 0;
			uint64_t t0 = rte_rdtsc_precise();
			for (int i = 0; i < BURST; i++)
				sl_execute(sc[s].acts, sc[s].n, ms[i], &key, &lay, &env, &st);
			cycles[it] = rte_rdtsc_precise() - t0;
			rte_pktmbuf_free_bulk(sink.m, sink.n);
		}
		qsort(cycles, iters, sizeof(*cycles), cmp_u64);
		double med = (double)cycles[iters / 2] / BURST, min = (double)cycles[0] / BURST;
		printf("%-50s %10.1f %10.1f %10.1f\n", sc[s].name, med, med * 1e9 / hz, min);
		free(cycles);
	}
	printf("# copies %lu copy_failures %lu\n", (unsigned long)st.copies,
	       (unsigned long)st.copy_failures);
	xt_fini();
	return 0;
}
