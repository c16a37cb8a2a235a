/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cycles per packet of VXLAN decap and encap on 64-byte inner frames: the
 * work a worker adds to a megaflow hit for a packet that enters through, or
 * leaves by, a tunnel port (dataplane/tunnel, target <= 40 cycles each).
 *  decap: as sl_tunnel_rx: the burst cache (sl_tunnel_rx_cache.h), else
 *         sl_vxlan_parse_mbuf + sl_tunnel_rx_match (which fill it), then
 *         sl_vxlan_strip, on a 114-byte IPv4 VXLAN frame; among 8 ports (the
 *         match last) and 256; with the frames of two remotes alternating
 *         (the cache misses on every frame); and without the cache (parse
 *         and lookup for every frame, as before it);
 *  encap: sl_vxlan_inner_hash + sl_vxlan_encap (IPv4, DF; IPv6 separately:
 *         its UDP checksum reads the whole frame);
 *  encap of a flow-based port (remote_ip = flow, key = flow), as
 *         flush_flow does it: each packet's (remote, VNI) compared with the
 *         previous one's, the template retargeted (sl_vxlan_encap_retarget)
 *         when they differ; one (remote, VNI) per burst, and two remotes
 *         alternating (a retarget per packet; and, for comparison, a full
 *         sl_vxlan_encap_init per packet, as before the retarget). The
 *         next hop's lookup that goes with a change (dataplane/neigh, an
 *         rte_hash) is not in these numbers.
 * Bursts of 32 are timed with the TSC; the mbufs are put back between
 * bursts, untimed. Prints the median of R runs of N packets of the mean
 * per packet and, beside it, of the median burst's cost per packet.
 * On a shared machine the TSC also counts the time other tasks ran, which
 * lands on a few bursts (a time slice is hundreds of bursts): the median
 * burst is what a packet costs, the mean what this run got. Where the CPU
 * has counters, perf counts this task's cycles only: run one operation
 * alone and subtract the same run with no operation (the put-back work):
 *   perf stat -e cycles:u bench_tunnel N 1 OP     (OP: a name below, or none)
 * usage: bench_tunnel [N packets per run (2000000)] [R runs (7)] [only OP]
 * OP: decap decap256 decap_alt decap_nocache encap4 encap6 flow_same
 *     flow_alt flow_alt_init
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "sl_tunnel.h"
#include "sl_tunnel_rx_cache.h"
#include "sl_vxlan.h"
#include "tunnel_test_util.h"

#define BURST 32

static struct sl_tunnel_table tab;
static struct rte_mbuf *pk[BURST];
static const char *only; /* one operation (or "none") for perf stat */
static uint64_t *burst_cyc; /* one run's bursts, for their median */
static uint64_t n_burst;

/* One run's result: mean cycles per packet and the median burst's. */
struct run_res {
	double mean, burst;
};

static bool
doing(const char *op)
{
	return only == NULL || strcmp(only, op) == 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Close a run: its mean, and its median burst per packet. */
static struct run_res
run_end(uint64_t cycles, uint64_t done)
{
	struct run_res r = { (double)cycles / (double)done, 0 };

	qsort(burst_cyc, n_burst, sizeof(burst_cyc[0]), cmp_u64);
	r.burst = (double)burst_cyc[n_burst / 2] / BURST;
	n_burst = 0;
	return r;
}

/* Decap the burst pk[] (frames built from @p frame[i % 2]) against @p t. */
static struct run_res
run_decap(uint64_t n, const struct sl_tunnel_table *t, uint8_t *const frame[2],
	  const uint32_t len[2], bool cache, const char *op)
{
	uint64_t cycles = 0, done = 0;
	volatile uint32_t sink = 0;

	for (int i = 0; i < BURST; i++)
		pk[i] = tt_mbuf(frame[i % 2], len[i % 2], 0);
	while (done < n) {
		struct sl_tunnel_rx_cache rc;
		uint64_t t0 = rte_rdtsc();
		sl_tunnel_rx_cache_init(&rc);
		for (int i = 0; i < BURST && doing(op); i++) {
			const struct sl_tunnel_entry *e = NULL;
			struct sl_vxlan_outer o;
			/* as sl_tunnel_rx */
			if (!cache || !sl_tunnel_rx_cached(&rc, t, 1, pk[i], &o, &e)) {
				if (sl_vxlan_parse_mbuf(pk[i], &o) != SL_TNL_OK ||
				    sl_tunnel_rx_match(t, 1, &o, &e) != SL_TNL_OK)
					abort();
				if (cache)
					sl_tunnel_rx_cache_fill(&rc, t, 1, pk[i], &o, e);
			}
			if (sl_vxlan_strip(&pk[i], &o, tt_pool()) != SL_TNL_OK)
				abort();
			sink += e->slot;
		}
		burst_cyc[n_burst] = rte_rdtsc() - t0;
		cycles += burst_cyc[n_burst++];
		for (int i = 0; i < BURST && doing(op); i++) /* untimed: headers back */
			rte_pktmbuf_prepend(pk[i], SL_VXLAN_OUTER4_LEN);
		done += BURST;
	}
	for (int i = 0; i < BURST; i++)
		rte_pktmbuf_free(pk[i]);
	return run_end(cycles, done);
}

static struct run_res
run_encap(uint64_t n, const struct sl_vxlan_encap *e, const uint8_t *inner, const char *op)
{
	static const struct rte_ether_addr mac = { { 2, 0, 0, 0, 0, 9 } };
	uint64_t cycles = 0, done = 0;

	for (int i = 0; i < BURST; i++)
		pk[i] = tt_mbuf(inner, 64, 0);
	while (done < n) {
		uint64_t t0 = rte_rdtsc();
		for (int i = 0; i < BURST && doing(op); i++)
			if (sl_vxlan_encap(&pk[i], e, &mac, sl_vxlan_inner_hash(pk[i]), (uint16_t)i,
					   1500, tt_pool()) != SL_TNL_OK)
				abort();
		burst_cyc[n_burst] = rte_rdtsc() - t0;
		cycles += burst_cyc[n_burst++];
		for (int i = 0; i < BURST && doing(op); i++)
			rte_pktmbuf_adj(pk[i], e->len);
		done += BURST;
	}
	for (int i = 0; i < BURST; i++)
		rte_pktmbuf_free(pk[i]);
	return run_end(cycles, done);
}

/* How a flow-based port's template follows the packets' (remote, VNI). */
enum flow_mode { FLOW_RETARGET, FLOW_INIT };

/* A flow-based port's encap (tunnel_dp.c, flush_flow): packet i goes to
 * dst[i % 2] with VNI vni[i % 2]; the template changes when they differ
 * from the previous packet's. */
static struct run_res
run_flow(uint64_t n, const struct sl_vxlan_encap *base, const struct sl_ip_addr *local,
	 const struct sl_ip_addr dst[2], const uint32_t vni[2], enum flow_mode mode,
	 const uint8_t *inner, const char *op)
{
	static const struct rte_ether_addr smac = { { 2, 0, 0, 0, 0, 1 } };
	static const struct rte_ether_addr mac = { { 2, 0, 0, 0, 0, 9 } };
	uint64_t cycles = 0, done = 0;

	for (int i = 0; i < BURST; i++)
		pk[i] = tt_mbuf(inner, 64, 0);
	while (done < n) {
		struct sl_vxlan_encap enc = *base;
		struct sl_ip_addr cur = { 0 };
		uint32_t cur_vni = 0;
		bool have = false;
		uint64_t t0 = rte_rdtsc();
		for (int i = 0; i < BURST && doing(op); i++) {
			const struct sl_ip_addr *r = &dst[i % 2];
			uint32_t v = vni[i % 2];
			if (!have || v != cur_vni || !sl_ip_addr_eq(r, &cur)) {
				if (mode == FLOW_RETARGET)
					sl_vxlan_encap_retarget(&enc, r, v);
				else
					sl_vxlan_encap_init(&enc, local, r, v, 4789, 64, true, &smac);
				memcpy(enc.hdr, &mac, 6); /* the next hop's (looked up: not timed here) */
				cur = *r;
				cur_vni = v;
				have = true;
			}
			if (sl_vxlan_encap(&pk[i], &enc, NULL, sl_vxlan_inner_hash(pk[i]), (uint16_t)i,
					   1500, tt_pool()) != SL_TNL_OK)
				abort();
		}
		burst_cyc[n_burst] = rte_rdtsc() - t0;
		cycles += burst_cyc[n_burst++];
		for (int i = 0; i < BURST && doing(op); i++)
			rte_pktmbuf_adj(pk[i], enc.len);
		done += BURST;
	}
	for (int i = 0; i < BURST; i++)
		rte_pktmbuf_free(pk[i]);
	return run_end(cycles, done);
}

/* One operation's line: the runs' means (median, min-max), their bursts' median. */
static void
report(const char *what, const struct run_res *r, int runs)
{
	double mean[64], burst[64];

	for (int i = 0; i < runs; i++) {
		mean[i] = r[i].mean;
		burst[i] = r[i].burst;
	}
	qsort(mean, (size_t)runs, sizeof(mean[0]), cmp_double);
	qsort(burst, (size_t)runs, sizeof(burst[0]), cmp_double);
	printf("  %s %6.1f (%.1f-%.1f)  burst %6.1f\n", what, mean[runs / 2], mean[0],
	       mean[runs - 1], burst[runs / 2]);
}

/* A table of @p nports ports on VTEP 10.0.0.1: the last two take remotes
 * 10.0.0.3 and 10.0.0.2 (VNI 5), the others remotes 10.0.0.100 and up. */
static void
table_fill(struct sl_tunnel_table *t, unsigned int nports)
{
	for (unsigned int i = 0; i < nports; i++) {
		struct sl_tunnel_params p = { .local = tt_ip("10.0.0.1"), .vni = 5,
					      .dst_port = 4789 };
		p.remote = tt_ip(i == nports - 1 ? "10.0.0.2" : i == nports - 2 ? "10.0.0.3"
										   : "10.0.0.9");
		if (i < nports - 2) {
			p.remote.addr[2] = (uint8_t)(i / 100);
			p.remote.addr[3] = (uint8_t)(100 + i % 100);
		}
		if (sl_tunnel_table_add(t, &p, (uint16_t)(10 + i), 1, 0) != 0)
			abort();
	}
}

/* A VXLAN frame from @p remote to 10.0.0.1, VNI 5, around @p inner. */
static uint32_t
frame_from(const char *remote, const uint8_t *inner, uint8_t *out)
{
	static const struct rte_ether_addr smac = { { 2, 0, 0, 0, 0, 1 } };
	struct sl_ip_addr r = tt_ip(remote), l = tt_ip("10.0.0.1");
	struct sl_vxlan_encap back;
	struct rte_mbuf *m = tt_mbuf(inner, 64, 0);
	uint32_t len;

	sl_vxlan_encap_init(&back, &r, &l, 5, 4789, 64, true, &smac);
	sl_vxlan_encap(&m, &back, &smac, 7, 0, 1500, tt_pool());
	len = tt_flat(m, out);
	rte_pktmbuf_free(m);
	return len;
}

enum { OP_DECAP, OP_DECAP256, OP_DECAP_ALT, OP_DECAP_NOCACHE, OP_ENCAP4, OP_ENCAP6,
       OP_FLOW_SAME, OP_FLOW_ALT, OP_FLOW_ALT_INIT, OP_N };

static const char *const op_line[OP_N] = {
	"decap IPv4, 8 ports (burst cache, strip):          ",
	"decap IPv4, 256 ports:                             ",
	"decap IPv4, 2 remotes alternating (cache misses):  ",
	"decap IPv4, 8 ports, no cache (parse, match, strip):",
	"encap IPv4 (inner hash, push, checksum):           ",
	"encap IPv6 (inner hash, push, UDP checksum):       ",
	"encap IPv4 flow port, one (remote, VNI) per burst: ",
	"encap IPv4 flow port, 2 remotes alternating:       ",
	"  the same, template rebuilt (encap_init) per change:",
};

int
main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000000;
	int runs = argc > 2 ? atoi(argv[2]) : 7;
	only = argc > 3 ? argv[3] : NULL;
	static const char *const op_name[OP_N] = {
		"decap", "decap256", "decap_alt", "decap_nocache", "encap4", "encap6",
		"flow_same", "flow_alt", "flow_alt_init",
	};
	static const struct rte_ether_addr smac = { { 2, 0, 0, 0, 0, 1 } };
	static struct sl_tunnel_table tab256;
	static uint8_t fa[256], fb[256];
	static struct run_res res[OP_N][64];
	struct sl_ip_addr l4 = tt_ip("10.0.0.1"), r4 = tt_ip("10.0.0.2");
	struct sl_ip_addr l6 = tt_ip("2001:db8::1"), r6 = tt_ip("2001:db8::2");
	struct sl_ip_addr same[2] = { r4, r4 }, alt[2] = { r4, tt_ip("10.0.0.3") };
	struct sl_ip_addr none4 = { .family = AF_INET };
	const uint32_t vni_same[2] = { 5, 5 }, vni_alt[2] = { 5, 6 };
	struct sl_vxlan_encap e4, e6, flow4;
	uint8_t inner[64];
	uint8_t *const f_one[2] = { fa, fa }, *const f_alt[2] = { fa, fb };
	uint32_t l_one[2], l_alt[2];

	burst_cyc = malloc((n / BURST + 1) * sizeof(*burst_cyc));
	if (runs < 1 || runs > 64 || n < BURST || burst_cyc == NULL ||
	    tt_init("sl-bench-tunnel") != 0) {
		fprintf(stderr, "usage: bench_tunnel [packets per run] [runs 1..64] [only OP]\n");
		return 2;
	}
	table_fill(&tab, 8);
	table_fill(&tab256, 256);
	tt_inner_frame(inner, 64, 1234);
	sl_vxlan_encap_init(&e4, &l4, &r4, 5, 4789, 64, true, &smac);
	sl_vxlan_encap_init(&e6, &l6, &r6, 5, 4789, 64, false, &smac);
	sl_vxlan_encap_init(&flow4, &l4, &none4, 0, 4789, 64, true, &smac); /* as bind_port */
	l_one[0] = l_one[1] = l_alt[0] = frame_from("10.0.0.2", inner, fa);
	l_alt[1] = frame_from("10.0.0.3", inner, fb);
	for (int r = 0; r < runs; r++) {
		res[OP_DECAP][r] = run_decap(n, &tab, f_one, l_one, true, op_name[OP_DECAP]);
		res[OP_DECAP256][r] = run_decap(n, &tab256, f_one, l_one, true,
						op_name[OP_DECAP256]);
		res[OP_DECAP_ALT][r] = run_decap(n, &tab, f_alt, l_alt, true,
						 op_name[OP_DECAP_ALT]);
		res[OP_DECAP_NOCACHE][r] = run_decap(n, &tab, f_one, l_one, false,
						     op_name[OP_DECAP_NOCACHE]);
		res[OP_ENCAP4][r] = run_encap(n, &e4, inner, op_name[OP_ENCAP4]);
		res[OP_ENCAP6][r] = run_encap(n, &e6, inner, op_name[OP_ENCAP6]);
		res[OP_FLOW_SAME][r] = run_flow(n, &flow4, &l4, same, vni_same, FLOW_RETARGET,
						inner, op_name[OP_FLOW_SAME]);
		res[OP_FLOW_ALT][r] = run_flow(n, &flow4, &l4, alt, vni_alt, FLOW_RETARGET, inner,
					       op_name[OP_FLOW_ALT]);
		res[OP_FLOW_ALT_INIT][r] = run_flow(n, &flow4, &l4, alt, vni_alt, FLOW_INIT, inner,
						    op_name[OP_FLOW_ALT_INIT]);
	}
	printf("bench_tunnel: %d runs of %llu packets, 64-byte inner frames, cycles per packet "
	       "at %.2f GHz: median run's mean (min-max), median run's median burst\n", runs,
	       (unsigned long long)n, (double)rte_get_tsc_hz() / 1e9);
	for (int i = 0; i < OP_N; i++)
		if (doing(op_name[i]))
			report(op_line[i], res[i], runs);
	tt_fini();
	return 0;
}
