/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EMC gate of the worker's fast path: when to consult the EMC. The
 * per-burst part (which bursts are samples, their timing) is inlined in
 * fastpath.c, burst_classify; the decision, once a window, is here.
 *
 * An EMC hit saves a megaflow lookup, but every lookup pays
 * for the EMC: a hash over the whole 184-byte key, two slot probes that
 * miss the CPU caches once the EMC outgrows them, and the inserts. With few
 * subtables, or with many more flows than slots, it costs more than it
 * saves (bench_datapath -E 100: 3-table set, 100k flows, 5 % EMC hits: about
 * twice the cycles of the megaflow cache alone). So the worker measures both
 * per window of FP_GATE_WINDOW bursts, with the TSC around each lookup:
 * E = EMC cycles per packet looked up there, M = megaflow cycles per packet
 * looked up there, h = EMC hit ratio; the EMC pays iff E < h * M.
 *
 * M needs megaflow lookups to time, and when the EMC hits everything it
 * has none: so one burst in FP_GATE_SAMPLE (from the middle) leaves the
 * EMC out and times the megaflow cache on the whole burst. Without those,
 * an EMC that hit everything stayed on even where the megaflow cache alone
 * was cheaper: PVP S3 at 1k flows (one subtable; the EMC's 200-byte slots
 * compete with the vhost copies for the caches) classified in 48-50
 * cycles per packet with the EMC and 40-43 without it.
 *
 * While the EMC does not pay, one burst in off_every consults it, so that E
 * and h stay current and it comes back when the traffic changes. Those
 * samples are costly (the EMC has gone cold: about 200 cycles per packet in
 * PVP S3 against 22 for the megaflow lookup; one in 16 bursts was 3 % of
 * the worker), hence rare: one in FP_GATE_OFF_SAMPLE after the window that
 * turned the EMC off, half as often after each window that keeps it off,
 * down to one a window. On a 16-CPU Intel host, PVP S3 at 64k flows (EMC
 * hit ratio about 50 %, the EMC off for 97 % of the packets) classified in
 * 101-122 cycles per packet with one sample in 64 and in 90 with no EMC at
 * all. A window that decides from that few samples waits until it has
 * enough (fp_emc_gate_decide), so the EMC still comes back within a few
 * windows once it would pay. Samples insert their misses off_every times
 * as often as the insertion probability says, so that the EMC fills as
 * fast as it would if it were on and the sampled hit ratio is the one it
 * would have then (their insert cycles count that much less in E). The
 * bursts in between leave the EMC alone: filling it from every burst cost
 * a draw per packet and an insert per hundred, as much as the lookups the
 * gate had saved.
 *
 * A wrong decision costs cycles, never correctness: both caches give the
 * same entry.
 */
#include <string.h>

#include "fastpath_private.h"

void
fp_emc_gate_decide(struct sl_fastpath *fp)
{
	struct fp_emc_gate *g = &fp->gate;

	if (g->win.emc_pkts >= 128 && g->win.mf_pkts >= 64) {
		double e = (double)g->win.emc_cyc / (double)g->win.emc_pkts;
		double m = (double)g->win.mf_cyc / (double)g->win.mf_pkts;
		double h = (double)g->win.emc_hits / (double)g->win.emc_pkts;
		bool was_on = g->on;

		g->on = e < h * m;
		if (g->on)
			g->off_every = FP_GATE_OFF_SAMPLE;
		else if (!was_on && g->off_every < FP_GATE_WINDOW)
			g->off_every *= 2;
	} else if (g->win.emc_pkts >= 128 && g->win.emc_hits == g->win.emc_pkts) {
		/* everything hits, too few megaflow samples to compare (bursts
		 * of a packet or two): the EMC answers all, keep it */
		g->on = true;
		g->off_every = FP_GATE_OFF_SAMPLE;
	} else {
		/* too few samples of either cost (small bursts, or the EMC's
		 * rare samples while off): keep the choice, go on counting */
		g->win.bursts = 0;
		return;
	}
	memset(&g->win, 0, sizeof(g->win));
}
