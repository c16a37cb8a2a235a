/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the fast path (fastpath*.c, packet_out.c, miss_handler.c): the fast path's state,
 * its actions handles, and the two hot helpers both use.
 */
#ifndef SL_FASTPATH_PRIVATE_H
#define SL_FASTPATH_PRIVATE_H

#include <rte_mbuf.h>

#include "sl_fastpath.h"
#include "sl_live_trace.h"
#include "sl_meter.h"
#include "sl_miss_handler.h"
#include "sl_worker_tx.h"

/* What a megaflow's actions handle holds: the compiled datapath actions plus
 * everything to credit. kind lets the common cases skip the executor. */
enum fpa_kind { FPA_DROP, FPA_OUTPUT, FPA_EXEC };

/* fp_actions.reval: a stale entry may be kept without translating when the
 * change log proves no change reached it (sl_change_log.h). SKIP: allowed at
 * all (no recirculation, no error, no MAC to learn); PURE: the translation
 * looked its tables up with the packet's own bits, so changes in those
 * tables whose match is disjoint from the entry do not count either. MAC:
 * NORMAL consulted the MAC table (MAC records of other entries do not count;
 * without it no MAC record does). DEFER: no recirculation (its ids live only
 * while translations refresh them), so the entry may keep forwarding for a
 * while after learning-only changes when the miss budget is spent. */
#define FPA_REVAL_SKIP 0x1
#define FPA_REVAL_PURE 0x2
#define FPA_REVAL_MAC 0x4
#define FPA_REVAL_DEFER 0x8

struct fp_actions {
	uint8_t kind;
	uint8_t n_rules;
	uint8_t n_buckets;
	uint8_t n_tables;                /* tables looked up; the first n_rules matched */
	uint16_t n_actions;
	uint16_t out_idx;                /* FPA_OUTPUT: port index */
	uint8_t reval;                   /* FPA_REVAL_*: what revalidate() may skip */
	uint8_t drop_why;                /* FPA_DROP: its enum sl_drop_reason */
	uint16_t lines;                  /* size of the block in cache lines (reuse) */
	uint8_t *tables;
	uint32_t *stats_idx;             /* the rules' slots in the worker shards */
	struct sl_xlate_bucket *buckets;
	struct sl_exec_action *acts;
};

/* The EMC gate (fastpath_gate.c says why and how) */
#define FP_GATE_WINDOW 1024u     /* bursts per decision */
#define FP_GATE_SAMPLE 16u       /* sample interval while on (and of megaflow-only samples) */
#define FP_GATE_OFF_SAMPLE 64u   /* off_every after a window turned the EMC off */
#define FP_GATE_OUTLIER_CYC 2000u /* a sample costlier per packet lost its CPU: dropped */

/* Intervals are powers of two: burst_classify tests them with a mask, not
 * a division per burst (off_every only doubles, up to FP_GATE_WINDOW). */
_Static_assert((FP_GATE_SAMPLE & (FP_GATE_SAMPLE - 1)) == 0 &&
	       (FP_GATE_OFF_SAMPLE & (FP_GATE_OFF_SAMPLE - 1)) == 0 &&
	       (FP_GATE_WINDOW & (FP_GATE_WINDOW - 1)) == 0, "gate intervals: powers of two");

/* The gate's decision, and the cost/benefit measured on the sample bursts
 * of the current window. */
struct fp_emc_gate {
	bool on;
	/* while off: one burst in this many consults the EMC (doubles with
	 * each window that keeps it off) */
	uint32_t off_every;
	struct {
		uint64_t emc_cyc, emc_pkts, emc_hits; /* EMC lookups + inserts */
		/* megaflow lookups: the EMC's misses, and every packet of
		 * the samples that leave the EMC out */
		uint64_t mf_cyc, mf_pkts;
		uint32_t bursts;                      /* all bursts, sampled or not */
	} win;
};

struct sl_fastpath {
	struct sl_worker *w;
	struct sl_datapath *dp;
	struct sl_pipeline *pl;
	struct sl_megaflow_cache *mfc;
	struct sl_emc *emc;              /* NULL when disabled */
	struct sl_miss_channel *miss;           /* handler mode; NULL: inline */
	uint64_t version;                /* pipeline version read this iteration */
	uint64_t now_tsc, now_ns;
	uint64_t idle_tsc;
	uint64_t next_sweep_tsc;         /* the next idle-eviction slice, not before */
	uint32_t miss_budget, misses_left;
	bool spill;                      /* handler mode: translate here when it is behind */
	uint32_t iter;
	uint64_t tsc0, mono0;            /* TSC -> CLOCK_MONOTONIC ns */
	struct sl_meter_clock clock;     /* multiply-shift, no division per burst */
	struct sl_xlate_result *xr;      /* scratch, too big for the stack */
	struct sl_exec_env env;
	/* the packet being run came in here: the slot of w->acct its fate is
	 * counted in (sl_drops.h); the burst's port, a returned record's, or
	 * SL_ACCT_CONTROLLER for packet-outs */
	uint16_t cur_in;
	/* live trace (fastpath_trace.c): env with an output hook that records,
	 * and the record of the traced packet being run */
	struct sl_exec_env trace_env;
	struct sl_live_trace_rec *trace_rec;
	struct sl_fastpath_stats stats;
	struct sl_rule_stats_shard *shard; /* this worker's rule/table counters */
	unsigned int recirc_depth;       /* nesting of env_recirc() */
	bool port_burst_off;
	bool emc_ungated;
	struct fp_emc_gate gate;
	/* Lazy crediting (fastpath_stats.c): entries with counts not yet
	 * pushed to their rules and tables, and when to push them. */
	struct sl_megaflow **dirty;
	uint32_t n_dirty, dirty_cap;
	bool flushing;                   /* a push of the dirty list is under way */
	bool no_push;                    /* tearing down: the rules may be gone */
	uint64_t flush_token;            /* QSBR token the last push (or the one
					    under way) began at */
	uint64_t next_flush_tsc, flush_period_tsc;
};

/* fastpath_gate.c: a window of FP_GATE_WINDOW bursts has ended: decide
 * whether the EMC is consulted in the next one. */
void fp_emc_gate_decide(struct sl_fastpath *fp);

/* fastpath_env.c: point fp->env at the worker's output, packet-in and
 * meter hooks, with @recirc for SL_EXEC_RECIRC. */
void fp_env_init(struct sl_fastpath *fp,
		 void (*recirc)(void *ctx, struct rte_mbuf *m, uint32_t recirc_id, uint32_t in_port));

/* Compile a translation into a new actions handle (fastpath_handle.c;
 * the miss handler's compiles into a spare: sl_fastpath_handle_compile). */
static inline struct fp_actions *
fp_handle_compile(const struct sl_datapath *dp, const struct sl_xlate_result *r)
{
	return sl_fastpath_handle_compile(dp, r, NULL);
}

/* Credit @packets/@bytes to the rules and tables @h went through, in this
 * worker's shard, as last used at @used_ns. Table lookups are credited for
 * @table_packets only: a packet that was translated has been counted by
 * sl_xlate already. */
static inline void
fp_credit_rules(struct sl_fastpath *fp, const struct fp_actions *h, uint64_t packets,
		uint64_t bytes, uint64_t table_packets, uint64_t used_ns)
{
	struct sl_rule_stats_shard *s = fp->shard;

	for (unsigned int r = 0; r < h->n_rules; r++)
		sl_rule_stats_credit(s, h->stats_idx[r], packets, bytes, used_ns);
	for (unsigned int t = 0; table_packets && t < h->n_tables; t++)
		sl_rule_stats_credit_table(s, h->tables[t], table_packets,
					   t < h->n_rules ? table_packets : 0);
}

/* Credit a packet run through @h now, everywhere: entry @mf (if any; as
 * counts already pushed, see fastpath_stats.c), rules, tables, group
 * buckets. The slow paths (translated, recirculated, handler's) use it. */
static inline void
fp_credit_now(struct sl_fastpath *fp, struct sl_megaflow *mf, const struct fp_actions *h,
	      uint32_t packets, uint32_t bytes, uint32_t table_packets)
{
	if (mf)
		sl_megaflow_credit_reported(mf, packets, bytes, fp->now_tsc);
	fp_credit_rules(fp, h, packets, bytes, table_packets, fp->now_ns);
	if (h->n_buckets)
		sl_pipeline_credit_buckets(h->buckets, h->n_buckets, packets, bytes);
}

/* fastpath_stats.c: push @mf's counts not yet pushed through handle @h
 * (its own, or the one it is letting go of). */
void fp_push_entry(struct sl_fastpath *fp, struct sl_megaflow *mf, const struct fp_actions *h);

/* fastpath_stats.c: the dirty list is full: push a slice of it. */
void fp_dirty_overflow(struct sl_fastpath *fp);

/* fastpath_stats.c: push what is due at the end of an iteration (@idle: it
 * received nothing). False while a push is incomplete: the worker must not
 * report quiescent yet. */
bool fp_stats_push_due(struct sl_fastpath *fp, bool idle);

/* Credit a run of cache hits on @mf: the entry only, and its rules and
 * tables later, when it is pushed (fastpath_stats.c explains why and when).
 * Group buckets are credited now (they are few; their counters live in the
 * group). */
static __rte_always_inline void
fp_credit_hit(struct sl_fastpath *fp, struct sl_megaflow *mf, uint32_t packets, uint32_t bytes)
{
	const struct fp_actions *h = mf->actions;

	if (unlikely(!sl_megaflow_unreported(mf))) { /* once per entry per push */
		if (unlikely(fp->n_dirty == fp->dirty_cap))
			fp_dirty_overflow(fp);
		fp->dirty[fp->n_dirty++] = mf;
	}
	sl_megaflow_credit(mf, packets, bytes, fp->now_tsc);
	if (unlikely(h->n_buckets))
		sl_pipeline_credit_buckets(h->buckets, h->n_buckets, packets, bytes);
}

static inline void
fp_run(struct sl_fastpath *fp, struct fp_actions *h, struct rte_mbuf *m,
    const struct sl_flow_key *key, const struct sl_pkt_layout *lay)
{
	switch (h->kind) {
	case FPA_OUTPUT:
		sl_worker_output(fp->w, h->out_idx, m);
		break;
	case FPA_DROP:
		fp->w->acct[fp->cur_in].drops[h->drop_why]++;
		rte_pktmbuf_free(m);
		break;
	default:
		sl_execute(h->acts, h->n_actions, m, key, lay, &fp->env,
			   &fp->w->acct[fp->cur_in].exec);
	}
}

/* Count a packet of the current one's port dropped for @why. */
static inline void
fp_drop_count(struct sl_fastpath *fp, enum sl_drop_reason why, uint32_t n)
{
	fp->w->acct[fp->cur_in].drops[why] += n;
}

/* fastpath.c: install handle @h (translated at fp->version) for
 * @key/@mask. NULL if the cache cannot take it: *tmp then holds a handle
 * the caller runs once and frees. @h is the cache's, or *tmp, or (the same
 * entry is cached already at this version) given to @unused when not NULL,
 * freed otherwise. */
struct sl_megaflow *fp_install_handle(struct sl_fastpath *fp, const struct sl_flow_key *key,
				      const struct sl_flow_key *mask, struct fp_actions *h,
				      struct fp_actions **tmp, void **unused);

/* fastpath.c: translate a missed key and install the result (as above). */
struct sl_megaflow *fp_install(struct sl_fastpath *fp, const struct sl_flow_key *key,
			       struct fp_actions **tmp);

/* fastpath_returns.c: install and run what the miss handler sent back. */
void fp_drain_returns(struct sl_fastpath *fp);

/* fastpath_trace.c (sl_live_trace.h): mark the first @k packets of a burst
 * as traced (the miss handler sends them back marked). */
void fp_trace_mark(struct rte_mbuf **pkts, uint16_t k);

/* fastpath_trace.c: fp->trace_env, after fp->env is set. */
void fp_trace_env_init(struct sl_fastpath *fp);

/* fastpath_trace.c: run traced packet @m with @h as fp_run() does, and
 * report it (classified by @path, enum sl_live_trace_path). */
void fp_trace_run(struct sl_fastpath *fp, uint8_t path, struct fp_actions *h, struct rte_mbuf *m,
		  const struct sl_flow_key *key, const struct sl_pkt_layout *lay);

/* fastpath_trace.c: report a traced packet dropped for @why before it ran. */
void fp_trace_dropped(struct sl_fastpath *fp, uint8_t path, enum sl_drop_reason why,
		      const struct sl_flow_key *key, uint32_t len);

/* fastpath_trace.c: report the first @k packets of a burst classified by
 * in port with @h. */
void fp_trace_port_burst(struct sl_fastpath *fp, const struct fp_actions *h, struct rte_mbuf **pkts,
			 uint16_t k, uint32_t in_port);

/* Is @m a traced packet back from the miss handler? */
static inline bool
fp_trace_marked(const struct rte_mbuf *m)
{
	return unlikely(m->ol_flags & __atomic_load_n(&sl_live_trace.flag, __ATOMIC_RELAXED));
}

/* fastpath_dump.c: copy what a dump shows of @mf into @extra (a struct
 * sl_fastpath_dump_entry); the worker's callback of sl_megaflow_dump_serve. */
void fp_dump_describe(const struct sl_megaflow *mf, void *extra, void *ctx);

#endif /* SL_FASTPATH_PRIVATE_H */
