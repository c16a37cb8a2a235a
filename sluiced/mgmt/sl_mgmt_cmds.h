/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_mgmt_cmds.h
 * sluiced's management commands (the table the management socket answers
 * with, sl_mgmt.h), over the running switch's state.
 */
#ifndef SL_MGMT_CMDS_H
#define SL_MGMT_CMDS_H

#include "sl_mgmt.h"

struct sl_datapath;
struct sl_agent;

/** What the commands look at and act on. */
struct sl_mgmt_ctx {
	struct sl_datapath *dp;  /**< the runtime (ports, workers, pipeline) */
	struct sl_agent *agent;  /**< the OpenFlow agent; NULL in cross-connect mode */
	uint64_t started_ms;     /**< monotonic time the switch started forwarding */
	/** where add-port records the ports it adds and their numbers, del-port
	 *  forgets them but for their numbers (sl_runtime_ports.h); "": nowhere */
	char runtime_ports[300];
};

/** The commands, in `sluicectl help` order. */
extern const struct sl_mgmt_cmd sl_mgmt_cmds[];
/** Entries in sl_mgmt_cmds. */
extern const unsigned int sl_mgmt_n_cmds;

/**
 * Commands of show and drops (cmd_show.c): `show`, `drops`.
 * @{
 */
/** `show`: ports, workers, controllers. @param ctx struct sl_mgmt_ctx
 *  @param argc words @param argv words @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_show(void *ctx, int argc, char **argv, struct sl_out *out);
/** `drops`: every named drop counter, per port and per worker. @param ctx
 *  struct sl_mgmt_ctx @param argc words @param argv words @param out the
 *  answer @return 0 or -1 */
int sl_mgmt_cmd_drops(void *ctx, int argc, char **argv, struct sl_out *out);
/** `dump-macs`: NORMAL's MAC table. @param ctx struct sl_mgmt_ctx @param
 *  argc words @param argv words @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_dump_macs(void *ctx, int argc, char **argv, struct sl_out *out);
/** `dump-neighbours`: the underlay neighbour table (sl_neigh.h) and its
 *  counters. @param ctx struct sl_mgmt_ctx @param argc words @param argv
 *  words @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_dump_neighbours(void *ctx, int argc, char **argv, struct sl_out *out);
/** `reset-stats`: show and drops count from 0 from now on. @param ctx
 *  struct sl_mgmt_ctx @param argc words @param argv words @param out the
 *  answer @return 0 or -1 */
int sl_mgmt_cmd_reset_stats(void *ctx, int argc, char **argv, struct sl_out *out);
/** `log-levels`: each module's log level. @param ctx struct sl_mgmt_ctx
 *  @param argc words @param argv words @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_log_levels(void *ctx, int argc, char **argv, struct sl_out *out);
/** `set log-level MODULE LEVEL`. @param ctx struct sl_mgmt_ctx @param argc
 *  words @param argv words @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_set(void *ctx, int argc, char **argv, struct sl_out *out);
/** @} */

/**
 * Commands over the OpenFlow tables and the fast path's caches
 * (cmd_flows.c, cmd_megaflows.c, cmd_trace.c).
 * @{
 */
/** `dump-flows [table=N] [MATCH]`: rules as ovs-ofctl dump-flows prints
 *  them. @param ctx struct sl_mgmt_ctx @param argc words @param argv words
 *  @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_dump_flows(void *ctx, int argc, char **argv, struct sl_out *out);
/** `dump-groups [GROUP_ID]`: groups as ovs-ofctl dump-groups prints them.
 *  @param ctx struct sl_mgmt_ctx @param argc words @param argv words
 *  @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_dump_groups(void *ctx, int argc, char **argv, struct sl_out *out);
/** `dump-meters [METER_ID]`: meters as ovs-ofctl dump-meters prints them.
 *  @param ctx struct sl_mgmt_ctx @param argc words @param argv words
 *  @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_dump_meters(void *ctx, int argc, char **argv, struct sl_out *out);
/** `dump-megaflows [--worker LCORE] [--limit N]`: each worker's megaflow
 *  cache, with the rules that made each entry. @param ctx struct
 *  sl_mgmt_ctx @param argc words @param argv words @param out the answer
 *  @return 0 or -1 */
int sl_mgmt_cmd_dump_megaflows(void *ctx, int argc, char **argv, struct sl_out *out);
/** `trace FLOW [--packet HEX]`: a translation step by step; `trace --live
 *  PORT N`: real packets (cmd_trace_live.c). @param ctx
 *  struct sl_mgmt_ctx @param argc words @param argv words @param out the
 *  answer @return 0 or -1 */
int sl_mgmt_cmd_trace(void *ctx, int argc, char **argv, struct sl_out *out);
/** @} */

struct sl_pipeline;

/**
 * What `trace` does, over a pipeline alone (the command passes the
 * switch's; test_trace a pipeline of its own).
 * @param pl   the pipeline
 * @param argc words, "trace" first
 * @param argv the words
 * @param out  the answer
 * @return 0, or -1 when @p out holds an error.
 */
int sl_mgmt_trace(const struct sl_pipeline *pl, int argc, char **argv, struct sl_out *out);

struct sl_flow_key;

/**
 * The fields worth showing of a parsed packet, as a mask for
 * sl_format_match(): those whose prerequisites it meets (the IPv4 ones for
 * an IPv4 packet...), without zero metadata, tunnel id or VLAN (cmd_trace.c).
 * @param k the packet's key
 * @param m out: the mask
 */
void sl_mgmt_flow_mask(const struct sl_flow_key *k, struct sl_flow_key *m);

/** `rebalance`: rx queues to workers by measured load, now; prints the
 *  moves (cmd_rebalance.c). @param ctx struct sl_mgmt_ctx @param argc
 *  words @param argv words @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_rebalance(void *ctx, int argc, char **argv, struct sl_out *out);

/**
 * Ports changed at run time (cmd_port.c).
 * @{
 */
/** `add-port NAME KEY=VALUE...`: a port as a [port:NAME] section describes
 *  it. @param ctx struct sl_mgmt_ctx @param argc words @param argv words
 *  @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_add_port(void *ctx, int argc, char **argv, struct sl_out *out);
/** `del-port NAME`. @param ctx struct sl_mgmt_ctx @param argc words @param
 *  argv words @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_del_port(void *ctx, int argc, char **argv, struct sl_out *out);
/** `set-port NAME up|down|mtu=N...`. @param ctx struct sl_mgmt_ctx @param
 *  argc words @param argv words @param out the answer @return 0 or -1 */
int sl_mgmt_cmd_set_port(void *ctx, int argc, char **argv, struct sl_out *out);
/** @} */

/** `capture PORT [--count N] [--rx|--tx|--both] [--snaplen S] FILE`,
 *  `capture --status ID`, `capture --stop ID` (cmd_capture.c). @param ctx
 *  struct sl_mgmt_ctx @param argc words @param argv words @param out the
 *  answer @return 0 or -1 */
int sl_mgmt_cmd_capture(void *ctx, int argc, char **argv, struct sl_out *out);

/**
 * show's "rx_queues" list: each (port, queue), its worker and its load in
 * the last interval (cmd_rebalance.c).
 * @param dp  the runtime
 * @param out the answer
 */
void sl_mgmt_show_rx_queues(const struct sl_datapath *dp, struct sl_out *out);

#endif /* SL_MGMT_CMDS_H */
