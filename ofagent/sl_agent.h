/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_H
#define SL_AGENT_H

/**
 * @file
 * The OpenFlow 1.3 agent: controller sessions (handshake, roles, async
 * config), flow/group/meter/table/port mods applied to the pipeline,
 * packet-in/out, port status, flow expiry and multipart statistics.
 *
 * Everything runs on the control lcore: sl_agent_run() is called from its
 * loop and does all socket I/O, timers and packet-in draining. The runtime
 * is reached only through struct sl_agent_dp_ops, so the agent is tested
 * against a fake runtime without EAL or hugepages.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_agent_dp.h"
#include "sl_ofconn.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_AGENT_MAX_TARGETS 16 /**< controllers and listeners, in all */

/** What the switch does while no controller is connected. */
enum sl_agent_fail_mode {
	SL_AGENT_FAIL_SECURE = 0,   /**< keep rules; table misses are dropped */
	SL_AGENT_FAIL_STANDALONE,   /**< no primary controller: table-0 misses run NORMAL */
};

/** Agent configuration; zero fields take the defaults in brackets. */
struct sl_agent_config {
	uint64_t datapath_id;        /**< the switch's datapath id */
	const char *targets[SL_AGENT_MAX_TARGETS]; /**< "ptcp:6653", "tcp:IP:PORT"... (sl_ofconn.h) */
	struct sl_ofconn_tls tls;    /**< key, certificate and CA of ssl and pssl targets */
	unsigned int n_targets;      /**< entries in targets */
	enum sl_agent_fail_mode fail_mode; /**< [SL_AGENT_FAIL_SECURE] */
	uint8_t n_tables;            /**< tables the pipeline has [254] */
	uint16_t miss_send_len;      /**< initial per-connection miss_send_len [128] */
	uint32_t pin_rate_pps;       /**< packet-ins per second per controller [1000] */
	uint32_t pin_burst;          /**< token bucket depth [pin_rate_pps / 4, >= 1] */
	unsigned int probe_interval_ms; /**< echo keepalive [5000] */
	unsigned int max_backoff_ms; /**< reconnect backoff cap [8000] */
	/** sessions accepted on a listen target (service connections: ovs-ofctl,
	 *  a local tool) may become MASTER or SLAVE; false: a role request from
	 *  one is refused (OFPRRFC_UNSUP) and it stays EQUAL [false] */
	bool service_roles;
	size_t max_tx_bytes;         /**< per-connection send queue level that pauses its requests [4 MiB] */
	const char *dp_desc;         /**< OFPMP_DESC dp_desc ["sluice"] */
	/** The runtime's meter table (lib/meter), which meter-mods change and
	 *  the fast path reads; NULL: the agent makes and owns one. */
	struct sl_meter_table *meters;
};

/** Agent counters, for telemetry. */
struct sl_agent_stats {
	unsigned int n_connections;   /**< established OpenFlow sessions */
	unsigned int n_controllers;   /**< ... of which primary (to "controllers" targets) */
	uint64_t msgs_rx;             /**< messages handled */
	uint64_t errors_sent;         /**< OFPT_ERROR replies */
	uint64_t flow_mods;           /**< flow-mods applied without error */
	/** group-mods and meter-mods applied without error @{ */
	uint64_t group_mods, meter_mods;
	/** @} */
	uint64_t packet_outs;         /**< packet-outs run without error */
	uint64_t packet_ins_sent;     /**< messages queued to controllers */
	uint64_t packet_ins_rate_dropped; /**< refused by a controller's token bucket */
	uint64_t packet_ins_meter_dropped; /**< dropped by the OFPM_CONTROLLER meter */
	uint64_t packet_ins_queue_dropped; /**< refused by a full send queue */
	uint64_t packet_ins_no_controller; /**< polled while nobody wanted them */
	uint64_t packet_ins_ring_dropped; /**< lost in full worker rings (runtime's count) */
	uint64_t port_status_sent;    /**< OFPT_PORT_STATUS messages queued */
	uint64_t flow_removed_sent;   /**< OFPT_FLOW_REMOVED messages queued */
	uint64_t rules_expired;       /**< idle or hard timeouts */
	uint64_t barriers;            /**< barrier requests answered */
	uint64_t bundles_committed;   /**< bundles applied (agent_bundle.c) */
	uint64_t bundles_failed;      /**< bundle commits rolled back: a message failed */
	uint64_t monitor_updates;     /**< flow-monitor updates queued (agent_monitor.c) */
	uint64_t monitor_pauses;      /**< flow-monitor sessions paused: send queue half full */
	uint64_t requests_forwarded;  /**< OFPT_REQUESTFORWARD messages queued */
	uint64_t table_status_sent;   /**< OFPT_TABLE_STATUS (vacancy) messages queued */
};

struct sl_agent;
struct sl_pipeline;
struct sl_meter_table;
struct sl_rule;

/**
 * Create the agent and open its targets (listeners bind at once).
 * @param cfg     configuration
 * @param ops     runtime operations; @p dp_ctx is passed back to them.
 * @param dp_ctx  the runtime's context for @p ops
 * @param pl      the pipeline whose tables, groups and meters the agent owns
 *                on the control side.
 * @param err     on failure: the message
 * @param errlen  bytes at @p err
 * @return the agent, or NULL with a message in @p err on failure (bad target,
 *         bind error).
 */
struct sl_agent *sl_agent_create(const struct sl_agent_config *cfg,
				 const struct sl_agent_dp_ops *ops, void *dp_ctx,
				 struct sl_pipeline *pl, char *err, size_t errlen);

/**
 * Do everything pending: socket I/O, handshakes, requests, packet-ins,
 * port status, rule timeouts. Waits at most @p timeout_ms for socket
 * activity or the wake fd (0: poll and return). Packet-ins that workers
 * queue during that wait are only seen after it unless they make the wake
 * fd readable (sl_agent_set_wake_fd()); without one, @p timeout_ms bounds
 * their added latency: keep it small (1 ms) when reactive controllers
 * matter. The wait is skipped while packet-ins keep coming.
 * @param a          the agent
 * @param timeout_ms longest wait, in milliseconds
 */
void sl_agent_run(struct sl_agent *a, int timeout_ms);

/**
 * An eventfd (non-blocking) that ends sl_agent_run()'s wait when it becomes
 * readable, e.g. written by whoever queues packet-ins; the agent reads it
 * empty.
 * @param a  the agent
 * @param fd the eventfd, or -1: none (the default)
 */
void sl_agent_set_wake_fd(struct sl_agent *a, int fd);

/**
 * Close every connection and free the agent (not the pipeline).
 * @param a the agent
 */
void sl_agent_destroy(struct sl_agent *a);

/**
 * The pipeline's on_removed callback (struct sl_pipeline_config): sends
 * OFPT_FLOW_REMOVED for rules with OFPFF_SEND_FLOW_REM. The pipeline is
 * created before the agent, so @p agent_slot is the address of a
 * `struct sl_agent *` that holds the agent once created (NULL before:
 * nothing is sent).
 * @param agent_slot address of the `struct sl_agent *`
 * @param rule       the rule being removed
 * @param reason     why: OFPRR_*
 */
void sl_agent_rule_removed(void *agent_slot, const struct sl_rule *rule, uint8_t reason);

/**
 * Copy the agent's counters into @p out.
 * @param a   the agent
 * @param out out: the counters
 */
void sl_agent_get_stats(const struct sl_agent *a, struct sl_agent_stats *out);

/**
 * TCP port of the @p target_idx-th target if it is a listener (for "ptcp:0").
 * @param a          the agent
 * @param target_idx the target, in config order
 * @return the port, else 0.
 */
uint16_t sl_agent_listen_port(const struct sl_agent *a, unsigned int target_idx);

#ifdef __cplusplus
}
#endif
#endif /* SL_AGENT_H */
