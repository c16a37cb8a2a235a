/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's OpenFlow fast path (see sl_fastpath.h for the invariants).
 *
 * One burst goes through four passes, each over the whole burst so that the
 * hash/prefetch work of the caches is batched:
 *   1. parse every packet into a flow key;
 *   2. EMC, then megaflow lookup for the keys the EMC missed;
 *   3. fix-ups in packet order: stale entries are revalidated, misses are
 *      translated and installed (inline: at most miss_budget per iteration)
 *      or handed to the miss handler (handler mode, miss_handler.c);
 *   4. execute in packet order (so a flow's packets keep their order),
 *      crediting the entry once per run of packets that share it (its
 *      rules and tables later: fastpath_stats.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "fastpath_private.h"
#include "sl_change_log.h"
#include "sl_learn.h"
#include "sl_meter.h"
#include "sl_miss_handler.h"
#include "sl_tunnel_dp.h"
#include "sl_worker_tx.h"

/* ------------------------------------------------------- handles ---- */

/* Same forwarding and same things to credit? Then an entry can be kept. */
static bool
handle_same(const struct fp_actions *h, const struct sl_xlate_result *r)
{
	if (h->n_actions != r->n_actions || h->n_rules != r->n_rules ||
	    h->n_buckets != r->n_buckets || h->n_tables != r->n_tables)
		return false;
	/* A slot index names one live rule (indexes are reused only after
	 * the rule is freed): same indexes, same rules. */
	for (unsigned int i = 0; i < r->n_rules; i++)
		if (h->stats_idx[i] != r->rules[i]->stats_idx)
			return false;
	return memcmp(h->tables, r->tables, r->n_tables) == 0 &&
	       memcmp(h->buckets, r->buckets, r->n_buckets * sizeof(struct sl_xlate_bucket)) == 0 &&
	       memcmp(h->acts, r->actions, r->n_actions * sizeof(struct sl_exec_action)) == 0;
}

/* A handle's output shortcut (FPA_OUTPUT) names its port by index in
 * dp->ports, and ports added and removed at run time (sl_datapath_port_add,
 * _del) change which index a number has, and reuse indexes: a kept handle
 * must still name the port its action's number now has. */
static inline bool
handle_ports_current(const struct sl_datapath *dp, const struct fp_actions *h)
{
	int idx;

	if (h->n_actions != 1 || h->acts[0].type != SL_EXEC_OUTPUT)
		return true;
	idx = sl_datapath_port_idx(dp, h->acts[0].output.port);
	return h->kind == FPA_OUTPUT ? idx == (int)h->out_idx : idx < 0;
}

static void
handle_release(struct sl_megaflow *mf, void *actions,
	       enum sl_megaflow_release_reason why, void *ctx)
{
	(void)why;
	/* What the entry has not pushed yet was forwarded through this
	 * handle: it goes to the handle's rules before the handle goes (the
	 * rules are alive while there is anything to push: fastpath_stats.c). */
	fp_push_entry(ctx, mf, actions);
	free(actions);
}

static void env_recirc(void *ctx, struct rte_mbuf *m, uint32_t recirc_id, uint32_t in_port);

/* ---------------------------------------------------- lifecycle ---- */

struct sl_fastpath *
sl_fastpath_create(struct sl_worker *w, struct sl_pipeline *pl,
		   const struct sl_fastpath_config *cfg)
{
	struct sl_megaflow_config mcfg = { 0 };
	struct sl_fastpath *fp;
	struct timespec ts;

	fp = rte_zmalloc_socket("sl_fastpath", sizeof(*fp), RTE_CACHE_LINE_SIZE, w->socket);
	if (fp == NULL)
		return NULL;
	fp->w = w;
	fp->dp = w->dp;
	fp->pl = pl;
	fp->miss = cfg ? cfg->miss_channel : NULL;
	fp->miss_budget = cfg && cfg->miss_budget ? cfg->miss_budget : 64;
	fp->idle_tsc = (cfg && cfg->idle_ms ? cfg->idle_ms : 10000) * (rte_get_tsc_hz() / 1000);
	mcfg.max_entries = cfg && cfg->max_megaflows ? cfg->max_megaflows : 65536;
	mcfg.release = handle_release;
	mcfg.release_ctx = fp;
	mcfg.hash_basis = 0x5eed0000u + w->idx;
	fp->mfc = sl_megaflow_cache_create(&mcfg);
	fp->shard = sl_pipeline_stats_shard(pl, w->idx);
	/* one slot per entry: a list that holds the working set pushes each
	 * entry once per period, not once per few packets */
	fp->dirty_cap = RTE_MIN(mcfg.max_entries, 1u << 20);
	fp->dirty = rte_malloc_socket("sl_fp_dirty", sizeof(*fp->dirty) * fp->dirty_cap,
				      RTE_CACHE_LINE_SIZE, w->socket);
	if (!(cfg && cfg->emc_off)) {
		struct sl_emc_config ecfg = {
			.n_entries = cfg ? cfg->emc_entries : 0,
			.insert_inv_prob = cfg && cfg->emc_inv_prob ? cfg->emc_inv_prob
								     : SL_EMC_DEFAULT_INV_PROB,
			.seed = 0x9e3779b97f4a7c15ull ^ w->idx,
		};

		fp->emc = sl_emc_create(&ecfg);
		if (fp->emc == NULL) {
			sl_fastpath_destroy(fp);
			return NULL;
		}
	}
	fp->xr = rte_zmalloc_socket("sl_xlate_result", sizeof(*fp->xr), RTE_CACHE_LINE_SIZE,
				    w->socket);
	if (fp->mfc == NULL || fp->xr == NULL || fp->shard == NULL || fp->dirty == NULL) {
		sl_fastpath_destroy(fp);
		return NULL;
	}
	fp->port_burst_off = cfg && cfg->port_burst_off;
	fp->spill = fp->miss && !(cfg && cfg->no_spill);
	fp->gate.on = true;
	fp->gate.off_every = FP_GATE_OFF_SAMPLE;
	fp->emc_ungated = cfg && cfg->emc_ungated;
	fp_env_init(fp, env_recirc);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fp->tsc0 = rte_rdtsc();
	fp->mono0 = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	sl_meter_clock_init(&fp->clock, rte_get_tsc_hz());
	fp->flush_period_tsc = rte_get_tsc_hz() / 1000 * SL_FASTPATH_PUSH_MS;
	fp->next_flush_tsc = fp->tsc0 + fp->flush_period_tsc;
	return fp;
}

void
sl_fastpath_destroy(struct sl_fastpath *fp)
{
	if (fp == NULL)
		return;
	/* The EMC points into the megaflow pool: it goes first. The entries'
	 * counts are not pushed: the pipeline may be gone already (a worker
	 * pushes everything before it stops: sl_fastpath_flush_stats()). */
	fp->no_push = true;
	sl_emc_destroy(fp->emc);
	sl_megaflow_cache_destroy(fp->mfc);
	rte_free(fp->dirty);
	rte_free(fp->xr);
	rte_free(fp);
}

#define FP_SWEEP_SLICE 256u
#define FP_SWEEPS_PER_IDLE 8u

void
sl_fastpath_begin(struct sl_fastpath *fp, uint64_t now_tsc)
{
	fp->version = sl_pipeline_version(fp->pl);
	/* The whole iteration is of this version: its translations look rules
	 * up as of it, and its port checks pick the configuration of it (a
	 * bundle's port-mods switch with its rules: sl_port_config()). */
	fp->w->iter_version = fp->version;
	fp->now_tsc = now_tsc;
	fp->now_ns = fp->mono0 + sl_meter_clock_ns(&fp->clock, now_tsc - fp->tsc0);
	fp->env.now_ns = fp->now_ns;
	fp->misses_left = fp->miss_budget;
	/* Idle eviction in slices of FP_SWEEP_SLICE slots (at most one every
	 * 64 iterations, to keep each short), paced to pass over the whole
	 * cache FP_SWEEPS_PER_IDLE times per idle time: an idle megaflow goes
	 * within about 1.125 idle times (later in caches of some 100k entries
	 * on a busy worker, where one slice per 64 iterations is the limit,
	 * as it always was before). Unpaced, a PVP worker at 2000 megaflows
	 * swept them 160 times a second, each visit a likely cache miss behind
	 * the vhost copies: 2.5 % of its cycles (perf, PVP S3 at 64k flows). */
	if ((++fp->iter & 63) == 0) {
		/* a dump asked for (sl_fastpath_dump_post): 63 iterations in 64
		 * pay nothing for it, this one a call and a load */
		sl_megaflow_dump_serve(fp->mfc, fp_dump_describe, fp);
		if (now_tsc >= fp->next_sweep_tsc) {
			uint32_t slices = sl_megaflow_sweep_slots(fp->mfc) / FP_SWEEP_SLICE + 1;

			fp->stats.evictions += sl_megaflow_evict_idle(fp->mfc, now_tsc,
								       fp->idle_tsc, FP_SWEEP_SLICE);
			fp->next_sweep_tsc = now_tsc + fp->idle_tsc / FP_SWEEPS_PER_IDLE / slices;
		}
	}
	if (fp->miss)
		fp_drain_returns(fp);
}

/* --------------------------------------------- translate/install ---- */

static int
translate(struct sl_fastpath *fp, const struct sl_flow_key *key)
{
	uint64_t t0 = rte_rdtsc();
	/* as of the iteration's version (sl_fastpath_begin) */
	int rc = sl_xlate_at(fp->pl, key, fp->xr, fp->version);

	if (unlikely(fp->xr->n_learn))
		sl_learn_report(fp->w, &fp->xr->learn); /* NORMAL: the control lcore learns */
	fp->stats.translations++;
	fp->stats.xlate_cycles += rte_rdtsc() - t0;
	return rc;
}

/* Install handle @h (translated at fp->version) for @key/@mask. NULL if the
 * cache cannot take it; *tmp then holds a handle the caller runs once and
 * frees. @h is the cache's, or *tmp, or (the same entry is already cached at
 * this version) given to @unused when not NULL, freed otherwise. */
struct sl_megaflow *
fp_install_handle(struct sl_fastpath *fp, const struct sl_flow_key *key,
		  const struct sl_flow_key *mask, struct fp_actions *h, struct fp_actions **tmp,
		  void **unused)
{
	struct sl_megaflow *mf = NULL;
	int rc;

	*tmp = NULL;
	if (h == NULL) {
		fp->stats.install_failures++;
		return NULL;
	}
	rc = sl_megaflow_insert(fp->mfc, key, mask, h, fp->version, fp->now_tsc, &mf);
	if (rc == 0)
		return mf;
	if (rc == -EEXIST && mf) {
		/* The same (key & mask, mask) is cached already. If it was built
		 * at an older version, the translation just made is the right
		 * one for its whole region (same mask): it takes the entry over. */
		if (mf->version != fp->version)
			sl_megaflow_set_actions(fp->mfc, mf, h, fp->version);
		else if (unused != NULL)
			*unused = h;
		else
			free(h);
		return mf;
	}
	fp->stats.install_failures++;
	*tmp = h;
	return NULL;
}

/* Install the translation in fp->xr for @key. */
static struct sl_megaflow *
install_translated(struct sl_fastpath *fp, const struct sl_flow_key *key,
		   struct fp_actions **tmp)
{
	return fp_install_handle(fp, key, &fp->xr->mask, fp_handle_compile(fp->dp, fp->xr), tmp,
				 NULL);
}

/* Translate a missed key and install the result. */
struct sl_megaflow *
fp_install(struct sl_fastpath *fp, const struct sl_flow_key *key, struct fp_actions **tmp)
{
	translate(fp, key);
	return install_translated(fp, key, tmp);
}

/* Versions behind beyond which a stale entry is translated without reading
 * the change log. A record costs a compare of the few words its match
 * constrains, and records stay cached while a batch of entries reads them:
 * 256 records cost about one sl_xlate. Controllers send flow-mods in batches
 * (the S6 benchmark: 100 every 100 ms), so the gap is often past 64. */
#define FP_REVAL_SKIP_MAX_GAP 256

/* Can the change log prove that nothing since @p mf's version reaches it?
 * (sl_change_log.h has the argument; recirculations are never skipped:
 * their ids stay alive only while translations refresh them.) */
static inline bool
reval_can_skip(const struct sl_fastpath *fp, const struct sl_megaflow *mf,
	       const struct fp_actions *h, const struct sl_flow_key *key)
{
	return (h->reval & FPA_REVAL_SKIP) && key->recirc_id == 0 &&
	       fp->version - mf->version <= FP_REVAL_SKIP_MAX_GAP &&
	       sl_pipeline_changes_disjoint(fp->pl, mf->version, fp->version, &mf->key,
					    sl_megaflow_mask(mf), h->tables, h->n_tables,
					    (h->reval & FPA_REVAL_PURE ? SL_CHANGES_KEY_PURE : 0) |
					    (h->reval & FPA_REVAL_MAC ? SL_CHANGES_USES_MAC : 0));
}

/* A stale entry the change log could not keep: may it wait? Only when every
 * change since it was made is MAC learning, which no barrier covers: then
 * re-translating it shares the miss budget with misses, so that one VM's
 * MAC churn costs each worker at most that budget per iteration (other
 * tenants' entries were kept above). Over budget the entry forwards as it
 * did (a flood where a unicast is now known, at worst to a port a MAC has
 * left) until a later hit revalidates it, as OVS's datapath flows do until
 * its revalidators get to them. */
static inline bool
reval_defer(struct sl_fastpath *fp, const struct sl_megaflow *mf, const struct fp_actions *h,
	    const struct sl_flow_key *key)
{
	if (!(h->reval & FPA_REVAL_DEFER) || key->recirc_id != 0 ||
	    !sl_pipeline_learning_only_since(fp->pl, mf->version))
		return false;
	if (fp->misses_left == 0)
		return true;
	fp->misses_left--;
	return false;
}

/* A hit on an entry built at an older version. If the change log proves no
 * change since reached it, move it to this version as it is (*xl = 0: not
 * translated, the packet's table lookups are credited from the handle).
 * Otherwise translate this packet again (*xl = 1). Same mask and result:
 * keep the entry. Same mask, new result: swap the handle. Other mask: the
 * entry covers packets the new rules treat differently, so it is replaced
 * by one for the new mask. */
static struct sl_megaflow *
revalidate(struct sl_fastpath *fp, struct sl_megaflow *mf, const struct sl_flow_key *key,
	   struct fp_actions **tmp, bool *removed, uint8_t *xl)
{
	*removed = false;
	*tmp = NULL;
	if (reval_can_skip(fp, mf, mf->actions, key)) {
		fp->stats.reval_skipped++;
		sl_megaflow_set_actions(fp->mfc, mf, mf->actions, fp->version);
		*xl = 0;
		return mf;
	}
	if (reval_defer(fp, mf, mf->actions, key)) {
		fp->stats.reval_deferred++;
		*xl = 0; /* forwarded and credited like a hit; still stale */
		return mf;
	}
	*xl = 1;
	fp->stats.revalidations++;
	translate(fp, key);
	if (memcmp(&fp->xr->mask, sl_megaflow_mask(mf), sizeof(fp->xr->mask)) == 0) {
		struct fp_actions *h = mf->actions;

		if (handle_same(h, fp->xr) && handle_ports_current(fp->dp, h)) {
			fp->stats.reval_kept++;
		} else if ((h = fp_handle_compile(fp->dp, fp->xr)) == NULL) {
			sl_megaflow_remove(fp->mfc, mf);
			*removed = true;
			fp->stats.install_failures++;
			return NULL;
		}
		sl_megaflow_set_actions(fp->mfc, mf, h, fp->version);
		return mf;
	}
	sl_megaflow_remove(fp->mfc, mf);
	*removed = true;
	return install_translated(fp, key, tmp);
}

/* ------------------------------------------------------ execute ---- */

/* -------------------------------------------------- recirculate ---- */

/* SL_EXEC_RECIRC: the packet comes back after a pop exposed new headers. It is
 * rare, so it takes a simple per-packet path (no EMC, no batching) that
 * leaves the burst loop alone: parse again, recirc_id in the key, megaflow
 * lookup, translate + install on a miss or a stale entry, credit, run. The
 * entries touched here all have recirc_id != 0 in their key, so they are never
 * the ones the burst (recirc_id 0) or an outer recirculation is running. */
static void
env_recirc(void *ctx, struct rte_mbuf *m, uint32_t recirc_id, uint32_t in_port)
{
	struct sl_fastpath *fp = ctx;
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	struct fp_actions *tmp = NULL, *h;
	struct sl_megaflow *mf;
	uint32_t len = rte_pktmbuf_pkt_len(m);
	bool removed;
	uint8_t xl = 1;

	if (fp->recirc_depth >= SL_RECIRC_MAX_DEPTH) {
		fp_drop_count(fp, SL_DROP_RECIRC_DEPTH, 1);
		rte_pktmbuf_free(m);
		return;
	}
	fp->stats.recirculations++;
	sl_flow_parse_mbuf(m, in_port, in_port,
			   sl_tunnel_pkt_id(fp->cur_in < SL_MAX_PORTS ? fp->dp->ports[fp->cur_in]
					    : NULL, m), &key, &lay); /* packet-outs: no tunnel */
	sl_tunnel_pkt_addrs(fp->cur_in < SL_MAX_PORTS ? fp->dp->ports[fp->cur_in] : NULL, m, &key);
	key.recirc_id = recirc_id;
	mf = sl_megaflow_lookup(fp->mfc, &key);
	if (mf == NULL)
		mf = fp_install(fp, &key, &tmp);
	else if (mf->version != fp->version)
		mf = revalidate(fp, mf, &key, &tmp, &removed, &xl);
	else
		xl = 0;
	h = mf ? mf->actions : tmp;
	if (h == NULL) {
		fp_drop_count(fp, SL_DROP_NO_MEMORY, 1);
		rte_pktmbuf_free(m);
		return;
	}
	fp_credit_now(fp, mf, h, 1, len, xl ? 0 : 1);
	fp->recirc_depth++;
	fp_run(fp, h, m, &key, &lay);
	fp->recirc_depth--;
	free(tmp);
}

/* ------------------------------------------------------ process ---- */

/* fp_burst.xl of a miss dropped before translation */
#define XL_DROP_BUDGET 3  /* over the miss budget */
#define XL_DROP_HANDLER 4 /* handler behind and no spill possible */
#define XL_GONE 5         /* no miss record free: sl_miss_send() freed it */

/* One burst on its way through the passes below. */
struct fp_burst {
	uint16_t n;
	uint64_t hit;                    /* bit i: mf[i] came from a cache lookup */
	uint64_t emc_hit;                /* bit i: ... from the EMC (live trace) */
	struct rte_mbuf **pkts;
	struct sl_flow_key keys[SL_BURST];
	struct sl_pkt_layout lay[SL_BURST];
	const struct sl_flow_key *kp[SL_BURST];
	struct sl_megaflow *mf[SL_BURST];
	struct fp_actions *tmp[SL_BURST]; /* handle run once, not cached */
	uint32_t hashes[SL_BURST];
	/* 1: translated in this burst (tables counted by sl_xlate);
	 * 2: handed to the miss handler (handler mode); with no entry and no
	 * handle, XL_DROP_*: dropped for that reason (1: no memory) */
	uint8_t xl[SL_BURST];
};

/* Passes 1 and 2: parse, EMC (when it pays), megaflow cache. Only the
 * gate's sample bursts are timed in detail: a TSC read costs about 30
 * cycles here, too much to pay three more times on every burst. */
static __rte_always_inline void
burst_classify(struct sl_fastpath *fp, struct fp_burst *b, uint32_t in_port)
{
	struct fp_emc_gate *g = &fp->gate;
	const struct sl_port *in = fp->cur_in < SL_MAX_PORTS ? fp->dp->ports[fp->cur_in] : NULL;
	uint64_t t0 = rte_rdtsc(), t1 = 0, t2 = 0, t3, before;
	bool on = g->on || fp->emc_ungated;
	/* timed: the EMC (then the megaflow cache for its misses) ... */
	bool emc_sample = fp->emc &&
			  (g->win.bursts & ((on ? FP_GATE_SAMPLE : g->off_every) - 1)) == 0;
	/* ... and the megaflow cache alone (fastpath_gate.c says why) */
	bool mf_sample = fp->emc && !fp->emc_ungated &&
			 (g->win.bursts & (FP_GATE_SAMPLE - 1)) == FP_GATE_SAMPLE / 2;
	bool sample = emc_sample || mf_sample;
	bool use_emc = fp->emc && (on || emc_sample) && !mf_sample;
	/* while the gate is off, only its EMC samples fill the EMC, as fast
	 * as every burst would */
	uint32_t fill_scale = on ? 1 : g->off_every;
	unsigned int emc_hits = 0, mf_hits;

	for (uint16_t i = 0; i < b->n; i++) {
		if (i + 1 < b->n)
			rte_prefetch0(rte_pktmbuf_mtod(b->pkts[i + 1], void *));
		sl_flow_parse_mbuf(b->pkts[i], in_port, in_port, sl_tunnel_pkt_id(in, b->pkts[i]),
				   &b->keys[i], &b->lay[i]);
		sl_tunnel_pkt_addrs(in, b->pkts[i], &b->keys[i]);
		b->kp[i] = &b->keys[i];
		b->tmp[i] = NULL;
		b->xl[i] = 0;
	}
	b->hit = 0;
	if (sample)
		t1 = rte_rdtsc();
	if (use_emc)
		emc_hits = sl_emc_lookup_batch(fp->emc, b->kp, b->n, b->hashes, b->mf, &b->hit);
	else if (fp->emc)
		fp->stats.emc_bypassed += b->n;
	before = b->hit;
	b->emc_hit = before;
	if (sample)
		t2 = rte_rdtsc();
	mf_hits = sl_megaflow_lookup_batch(fp->mfc, b->kp, b->n, b->mf, &b->hit);
	t3 = rte_rdtsc();
	if (use_emc) {
		for (uint64_t nh = b->hit & ~before; nh; nh &= nh - 1) {
			unsigned int i = (unsigned int)__builtin_ctzll(nh);

			sl_emc_maybe_insert_scaled(fp->emc, b->kp[i], b->hashes[i], b->mf[i],
						   fill_scale);
		}
	}
	if (sample) {
		/* the inserts as they would cost with the EMC on */
		uint64_t emc_cyc = mf_sample ? 0 : (t2 - t1) + (rte_rdtsc() - t3) / fill_scale;

		/* A sample the CPU was taken away in (an interrupt, the
		 * hypervisor) outweighs a window of honest ones: 100 us
		 * stolen from one burst of 32 adds 100 cycles per packet to
		 * the window's M. No lookup costs FP_GATE_OUTLIER_CYC per
		 * packet even from DRAM: drop such a sample. */
		if (emc_cyc + (t3 - t2) < (uint64_t)b->n * FP_GATE_OUTLIER_CYC) {
			if (!mf_sample) {
				g->win.emc_cyc += emc_cyc;
				g->win.emc_pkts += b->n;
				g->win.emc_hits += emc_hits;
			}
			g->win.mf_cyc += t3 - t2;
			g->win.mf_pkts += b->n - emc_hits;
		}
	}
	if (fp->emc && ++g->win.bursts == FP_GATE_WINDOW)
		fp_emc_gate_decide(fp);
	fp->stats.emc_hits += emc_hits;
	fp->stats.megaflow_hits += mf_hits;
	fp->stats.lookup_cycles += t3 - t0;
	fp->stats.packets += b->n;
	/* The actions handles are separate allocations: start fetching them
	 * while the fix-ups below check versions. */
	for (uint64_t h = b->hit; h; h &= h - 1)
		rte_prefetch0(b->mf[__builtin_ctzll(h)]->actions);
}

/* A packet without a cache entry: translate it here (within the budget)
 * or hand it to the miss handler; when the handler is behind, translate it
 * here after all (spill) if that cannot reorder its flow. */
static __rte_always_inline struct sl_megaflow *
burst_miss(struct sl_fastpath *fp, struct fp_burst *b, uint16_t i)
{
	if (fp->miss) {
		uint16_t slot = sl_miss_flow_slot(&b->keys[i]);

		/* A record of this very flow is out: wait behind it, in order,
		 * for its translation (sl_miss_handler.h, Parking). */
		if (sl_miss_park(fp->miss, slot, b->pkts[i], &b->keys[i], &b->lay[i]) == 0) {
			b->xl[i] = 2;
			fp->stats.handler_parked++;
			return NULL;
		}
		if (likely(!sl_miss_full(fp->miss)) || !fp->spill) {
			/* the packet is the handler's now */
			b->xl[i] = 2;
			if (sl_miss_send(fp->miss, slot, b->pkts[i], &b->keys[i], &b->lay[i]) == 0) {
				fp->stats.handler_sent++;
			} else {
				fp_drop_count(fp, SL_DROP_MISS_HANDLER, 1);
				b->xl[i] = XL_GONE;
			}
			return NULL;
		}
		/* The handler is behind: spill, i.e. translate here within the
		 * budget, unless an earlier packet of this flow is still out at
		 * the handler and must leave first (sl_miss_handler.h, Spill). */
		if (fp->misses_left == 0 || sl_miss_flow_out(fp->miss, slot)) {
			b->xl[i] = XL_DROP_HANDLER;
			return NULL;
		}
		fp->stats.handler_spills++;
	} else if (fp->misses_left == 0) {
		b->xl[i] = XL_DROP_BUDGET;
		return NULL;
	}
	fp->misses_left--;
	b->xl[i] = 1;
	return fp_install(fp, &b->keys[i], &b->tmp[i]);
}

/* Pass 3: fix-ups in packet order. An entry removed here may be referenced
 * by later packets of the burst (and its slot may already hold a new
 * entry): those packets look their key up again. */
static __rte_always_inline void
burst_fixups(struct sl_fastpath *fp, struct fp_burst *b)
{
	for (uint16_t i = 0; i < b->n; i++) {
		struct sl_megaflow *old = NULL;
		bool removed = false;

		if (b->hit & (1ull << i)) {
			old = b->mf[i];
			if (likely(old->version == fp->version))
				continue;
			b->mf[i] = revalidate(fp, old, &b->keys[i], &b->tmp[i], &removed, &b->xl[i]);
		} else {
			fp->stats.misses++;
			old = sl_megaflow_lookup(fp->mfc, &b->keys[i]);
			if (old != NULL && old->version == fp->version) {
				b->mf[i] = old;
				continue;
			}
			if (old != NULL) {
				b->mf[i] = revalidate(fp, old, &b->keys[i], &b->tmp[i], &removed,
						      &b->xl[i]);
			} else {
				b->mf[i] = burst_miss(fp, b, i);
			}
		}
		if (removed)
			for (uint16_t j = i + 1; j < b->n; j++)
				if ((b->hit & (1ull << j)) && b->mf[j] == old)
					b->hit &= ~(1ull << j);
	}
}

/* A run of packets through @mf ends: credit it. A run with translated
 * packets (@xl of them, whose table lookups sl_xlate counted) is credited
 * everywhere now; a run of hits, the entry only (fastpath_stats.c). */
static __rte_always_inline void
credit_run(struct sl_fastpath *fp, struct sl_megaflow *mf, uint32_t pkts, uint32_t bytes,
	   uint32_t xl)
{
	if (likely(xl == 0))
		fp_credit_hit(fp, mf, pkts, bytes);
	else
		fp_credit_now(fp, mf, mf->actions, pkts, bytes, pkts - xl);
}

/* How a traced packet of the burst was classified (sl_live_trace.h). */
static uint8_t
burst_path(const struct fp_burst *b, uint16_t i)
{
	if (b->xl[i] == 1)
		return (b->hit >> i) & 1 ? SL_LT_REVALIDATED : SL_LT_TRANSLATED;
	return (b->emc_hit >> i) & 1 ? SL_LT_EMC : SL_LT_MEGAFLOW;
}

/* A packet of the burst with no entry and no handle: the handler's now, or
 * dropped (counted; reported when traced). */
static void
burst_no_handle(struct sl_fastpath *fp, struct fp_burst *b, uint16_t i, bool traced)
{
	enum sl_drop_reason why = b->xl[i] == XL_DROP_BUDGET ? SL_DROP_MISS_BUDGET
				  : b->xl[i] == XL_DROP_HANDLER || b->xl[i] == XL_GONE
				  ? SL_DROP_MISS_HANDLER : SL_DROP_NO_MEMORY;

	if (b->xl[i] == 2)
		return; /* reported when it comes back, if traced */
	if (unlikely(traced)) /* a freed packet's length is not read: 0 */
		fp_trace_dropped(fp, b->xl[i] == 1 ? SL_LT_TRANSLATED : SL_LT_MISS_DROPPED, why,
				 &b->keys[i],
				 b->xl[i] == XL_GONE ? 0 : rte_pktmbuf_pkt_len(b->pkts[i]));
	if (b->xl[i] == XL_GONE)
		return; /* freed and counted already */
	fp_drop_count(fp, why, 1);
	rte_pktmbuf_free(b->pkts[i]);
}

/* Pass 4: execute in order; credit runs of packets sharing an entry at once.
 * The first @traced packets are reported (live trace); a constant 0 leaves
 * the untraced loop as it was. */
static __rte_always_inline void
burst_execute(struct sl_fastpath *fp, struct fp_burst *b, uint16_t traced)
{
	struct sl_megaflow *run_mf = NULL;
	uint32_t run_pkts = 0, run_bytes = 0, run_xl = 0;

	for (uint16_t i = 0; i < b->n; i++) {
		struct rte_mbuf *m = b->pkts[i];

		/* No read of m before we know it is still ours: a miss may
		 * already be with the miss handler's lcore, or freed. */
		if (b->mf[i] == NULL) {
			if (b->tmp[i]) {
				fp_credit_now(fp, NULL, b->tmp[i], 1, rte_pktmbuf_pkt_len(m), 0);
				if (unlikely(i < traced))
					fp_trace_run(fp, SL_LT_TRANSLATED, b->tmp[i], m, &b->keys[i],
						     &b->lay[i]);
				else
					fp_run(fp, b->tmp[i], m, &b->keys[i], &b->lay[i]);
				free(b->tmp[i]);
			} else {
				burst_no_handle(fp, b, i, i < traced);
			}
			continue;
		}
		if (b->mf[i] != run_mf) {
			if (run_mf)
				credit_run(fp, run_mf, run_pkts, run_bytes, run_xl);
			run_mf = b->mf[i];
			run_pkts = 0;
			run_bytes = 0;
			run_xl = 0;
		}
		run_pkts++;
		run_bytes += rte_pktmbuf_pkt_len(m);
		run_xl += b->xl[i];
		if (unlikely(i < traced))
			fp_trace_run(fp, burst_path(b, i), b->mf[i]->actions, m, &b->keys[i],
				     &b->lay[i]);
		else
			fp_run(fp, b->mf[i]->actions, m, &b->keys[i], &b->lay[i]);
	}
	if (run_mf)
		credit_run(fp, run_mf, run_pkts, run_bytes, run_xl);
}

/*
 * Whole-burst classification, tried before the passes above.
 *
 * Every packet of a burst comes from one port, and on a first pass the key
 * fields the port alone decides (in_port, in_phy_port; metadata, tunnel_id
 * and recirc_id, which are 0) are the same for the whole burst. When no
 * megaflow mask has a bit outside those fields, (key & mask) is the same for
 * every packet of the burst in every subtable, so the per-packet lookups would
 * all return the entry that one lookup of the port's key returns: the burst is
 * classified without parsing a packet or touching the EMC (the idea of OVS's
 * "simple match", taken to the general megaflow cache). That covers rule sets
 * that forward by port (in_port -> output, NFV service chains) whatever the
 * traffic. The entry must be current (else the passes revalidate it) and its
 * actions must not read the packet (output or drop): anything else runs the
 * passes, which parse. The mask union changes only when a subtable comes or
 * goes, so a new flow that needs deeper fields turns this off by itself.
 */
/* Key fields a first pass gets from the port alone (a mask). */
static const struct sl_flow_key port_fields = {
	.metadata = UINT64_MAX, .tunnel_id = UINT64_MAX, .in_port = UINT32_MAX,
	.in_phy_port = UINT32_MAX, .recirc_id = UINT32_MAX,
};

static bool
burst_by_port(struct sl_fastpath *fp, uint32_t in_port, struct rte_mbuf **pkts, uint16_t n,
	      uint16_t traced)
{
	const struct sl_flow_key *u = sl_megaflow_mask_union(fp->mfc);
	struct sl_flow_key key;
	struct sl_megaflow *mf;
	struct fp_actions *h;
	uint64_t deeper = 0;
	uint32_t bytes = 0;

	for (unsigned int w = 0; w < SL_FLOW_KEY_WORDS; w++)
		deeper |= u->w[w] & ~port_fields.w[w];
	if (deeper != 0 || fp->port_burst_off)
		return false;
	memset(&key, 0, sizeof(key));
	key.in_port = rte_cpu_to_be_32(in_port); /* as sl_flow_parse() writes it */
	key.in_phy_port = key.in_port;
	mf = sl_megaflow_lookup(fp->mfc, &key);
	if (mf == NULL || mf->version != fp->version)
		return false;
	h = mf->actions;
	if (h->kind == FPA_EXEC)
		return false;
	for (uint16_t i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	fp->stats.packets += n;
	fp->stats.megaflow_hits += n;
	fp->stats.port_burst_hits += n;
	fp_credit_hit(fp, mf, n, bytes);
	if (unlikely(traced))
		fp_trace_port_burst(fp, h, pkts, traced, in_port);
	if (h->kind == FPA_OUTPUT) {
		for (uint16_t i = 0; i < n; i++)
			sl_worker_output(fp->w, h->out_idx, pkts[i]);
	} else {
		fp_drop_count(fp, (enum sl_drop_reason)h->drop_why, n);
		rte_pktmbuf_free_bulk(pkts, n);
	}
	return true;
}

void
sl_fastpath_process(struct sl_fastpath *fp, uint16_t in_idx, struct rte_mbuf **pkts,
		    uint16_t n)
{
	uint32_t in_port = fp->dp->ports[in_idx]->params.ofport;
	struct fp_burst b;
	uint16_t traced = 0;

	fp->cur_in = in_idx;
	/* live trace: a load and a predictable branch while none is armed */
	if (sl_live_trace_armed(in_idx) && (traced = sl_live_trace_claim(in_idx, n)) != 0)
		fp_trace_mark(pkts, traced);
	/* a tunnel port's packets differ in tunnel_id: never one key a burst */
	if (fp->dp->ports[in_idx]->params.type != SL_PORT_TUNNEL &&
	    burst_by_port(fp, in_port, pkts, n, traced))
		return;
	b.n = n;
	b.pkts = pkts;
	burst_classify(fp, &b, in_port);
	burst_fixups(fp, &b);
	if (fp->miss)
		sl_miss_flush(fp->miss);
	if (unlikely(traced))
		burst_execute(fp, &b, traced);
	else
		burst_execute(fp, &b, 0);
}

bool
sl_fastpath_end(struct sl_fastpath *fp, bool idle)
{
	if (!fp_stats_push_due(fp, idle))
		return false; /* not quiescent until the push is complete */
	rte_rcu_qsbr_quiescent(fp->dp->qsbr, fp->w->idx);
	return true;
}
