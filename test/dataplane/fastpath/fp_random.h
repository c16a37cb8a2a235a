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
