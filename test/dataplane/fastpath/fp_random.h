/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the fast-path tests that compare the real fast path with
 * translation and execution without caches (test_cache_transparency,
 * test_miss_handler): the datapath under test, random packets and rules from a
 * small value space (so rules match often), per-port captures of what the
 * net_null ports transmit and of what the reference executor outputs, and
 * the rule counts the reference says the fast path must add.
 */
#ifndef FP_RANDOM_H
#define FP_RANDOM_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_execute.h"
#include "sl_fastpath.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"

#define N_PORTS 4
#define MAX_OUT 4096

/** What one port received: packet bytes in order (index 0: packet-ins). */
struct capture {
	unsigned int n;
	uint16_t len[MAX_OUT];
	uint8_t data[MAX_OUT][128];
};

extern struct sl_datapath dp;
extern struct sl_config cfg;
extern uint64_t rng;                                   /**< xorshift state (seed) */
extern struct capture got[N_PORTS + 1], want[N_PORTS + 1]; /**< fast path / reference */

/** Uniform in [0, n). */
uint32_t rnd(uint32_t n);
/** Append @p m's bytes to @p c and free it. */
void capture_add(struct capture *c, struct rte_mbuf *m);
/** net_null tx callback: captures into got[(uintptr_t)arg]. */
uint16_t tx_capture(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n,
		    void *arg);
/** Reference executor hooks: outputs and packet-ins go to want[]. */
void ref_output(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m);
void ref_packet_in(void *ctx, struct rte_mbuf *m, uint8_t reason, uint8_t table_id,
		   uint64_t cookie, uint16_t max_len, uint32_t in_port, uint64_t metadata,
		   uint64_t tunnel_id);
struct sl_meter *ref_meter(void *ctx, uint32_t id);
/** A random 64-byte packet (IPv4 UDP/TCP or ARP) from dp.pools[0]. */
struct rte_mbuf *random_packet(void);
/**
 * A random packet for the fast path, after running a copy of it through the
 * reference (translation in @p xr, then the executor without caches, outputs
 * into want[], the rules it hits into the expected counts).
 */
struct rte_mbuf *random_packet_referenced(uint32_t in_port, struct sl_xlate_result *xr);
/** Do got[] and want[] hold the same packets, port by port, in order? */
bool captures_equal(void);
/** Apply a random flow-mod @p cmd to dp.pipeline (errors are fine). */
void random_flow_mod(uint8_t cmd);
/** Replace every rule of dp.pipeline by what @p add puts in (NULL: none),
 *  worker 0 offline meanwhile (RCU), the pipeline synchronized after. */
void rules_replace(void (*add)(void));
/** 5 to 34 random rules (random_flow_mod() adds): an argument of rules_replace(). */
void random_rules(void);
/**
 * One round of @p n_pkts random packets, a burst at a time from a random
 * port, through the fast path @p fp and, one by one, through the reference
 * translation into @p xr; got[], want[] and the expected hits start empty.
 * After each burst's output is collected, @p settle (NULL: nothing) runs,
 * then NORMAL's learn reports reach the MAC table, so that the reference
 * of the next burst sees what the caches must revalidate to.
 */
void random_round(struct sl_fastpath *fp, struct sl_xlate_result *xr, unsigned int n_pkts,
		  void (*settle)(struct sl_fastpath *fp));
/**
 * Eight random_round()s of 256 packets on @p fp, each compared with the
 * reference: table 0 looked up twice a packet (by the reference translation
 * and by the fast path, translated or not), the same packets on every port
 * (@p before_compare, NULL: none, may put got[] and want[] in one order
 * first), rule counters exact. Between rounds rules change under the
 * caches (add, modify, delete; none when NOCHG is set).
 * @return rounds compared.
 */
unsigned int random_rounds_compared(struct sl_fastpath *fp, struct sl_xlate_result *xr,
				    void (*settle)(struct sl_fastpath *fp),
				    void (*before_compare)(void));
/** CLOCK_MONOTONIC in ns. */
uint64_t now_ns(void);
/** Flush @p w's tx buffers and move its packet-ins into got[0]. */
void collect_fastpath_output(struct sl_worker *w);
/** Forget the expected rule counts (start of a round). */
void expect_hits_reset(void);
/** The reference hit @p r with a packet of @p len bytes. */
void expect_hit(struct sl_rule *r, uint32_t len);
/** Did every rule expected gain exactly its packets and bytes? */
bool rule_counters_exact(void);

#endif /* FP_RANDOM_H */
