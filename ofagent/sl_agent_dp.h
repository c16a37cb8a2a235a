/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_DP_H
#define SL_AGENT_DP_H

/**
 * @file
 * What the OpenFlow agent needs from the runtime (dataplane/), as a table
 * of operations, so that the agent is unit-tested against a fake runtime
 * and run for real inside sluiced. Every operation is called on the
 * control lcore only.
 *
 * The OpenFlow tables themselves are the pipeline library's (lib/pipeline):
 * the agent changes them directly through the pipeline API, then calls
 * tables_changed() and, for a barrier, sync(). See docs/architecture.md,
 * "Barrier truth".
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One switch port as OpenFlow sees it (ofp_port + ofp_port_stats). */
struct sl_agent_port {
	uint32_t ofport;      /**< OpenFlow port number */
	char name[16];        /**< NUL-terminated name */
	uint8_t hw_addr[6];   /**< MAC address */
	uint32_t config;      /**< OFPPC_* bits currently applied */
	uint32_t state;       /**< OFPPS_* (LINK_DOWN, LIVE) */
	uint32_t curr_speed;  /**< kbps, 0 if unknown */
	uint32_t max_speed;   /**< kbps, 0 if unknown */
	/** counters, as in ofp_port_stats @{ */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
	/** @} */
	uint64_t created_ns;  /**< CLOCK_MONOTONIC when the port was added (durations) */
};

/** A packet the fast path sends to the controller, taken from a worker ring. */
struct sl_agent_packet_in {
	uint8_t reason;       /**< OFPR_NO_MATCH, OFPR_ACTION, OFPR_INVALID_TTL */
	uint8_t table_id;     /**< table of the rule that sent it */
	uint64_t cookie;      /**< of the rule that sent it (all ones for table-miss in OF1.3 = rule cookie) */
	uint32_t in_port;     /**< OpenFlow ingress port */
	uint64_t metadata;    /**< pipeline metadata when it was sent */
	uint64_t tunnel_id;   /**< the packet's tunnel id */
	uint8_t tun_family;   /**< AF_INET / AF_INET6 of tun_src, tun_dst; 0: none */
	uint8_t tun_src[16];  /**< a decapsulated packet's outer source (IPv4: 4 bytes) */
	uint8_t tun_dst[16];  /**< ... and destination (its tunnel port's local_ip) */
	uint16_t max_len;     /**< from the output action; OFPCML_NO_BUFFER = whole packet */
	uint32_t total_len;   /**< length of the packet */
	const uint8_t *data;  /**< packet bytes (at least min(total_len, max_len) of them) */
	uint32_t data_len;    /**< bytes at data */
	void *opaque;         /**< runtime's handle, returned by packet_in_release */
};

struct sl_action;

/** The action list of a packet-out, in the pipeline's representation
 *  (struct sl_action from lib/pipeline/sl_action.h). */
struct sl_agent_actions {
	const struct sl_action *actions; /**< the actions, in order */
	unsigned int n_actions;          /**< entries in actions */
};

/** Runtime operations for the agent. ctx is the runtime's. */
struct sl_agent_dp_ops {
	/** Number of ports (including failed ones, which are absent: see port_get). */
	unsigned int (*n_ports)(void *ctx);
	/** Port by index 0..n_ports-1; false if there is none at that index. */
	bool (*port_get)(void *ctx, unsigned int idx, struct sl_agent_port *out);
	/** Index of the port with OpenFlow number @p ofport, or -1. */
	int (*port_by_ofport)(void *ctx, uint32_t ofport);
	/**
	 * Sequence number bumped on every port add/remove/link/config change:
	 * the agent compares it with what it last saw to send OFPT_PORT_STATUS.
	 */
	uint64_t (*port_seq)(void *ctx);
	/** Apply OFPPC_* @p config bits under @p mask (PORT_DOWN, NO_RECV,
	 *  NO_FWD, NO_PACKET_IN). Returns 0, or -1 with the OFPPMFC_* code
	 *  (error type OFPET_PORT_MOD_FAILED) in @p err_code. */
	int (*port_mod)(void *ctx, uint32_t ofport, uint32_t config, uint32_t mask,
			uint16_t *err_code);
	/**
	 * A bundle's port-mod (checked already): OFPPC_* @p config under
	 * @p mask, over what this commit staged for the port already, becomes
	 * the port's configuration for packets forwarded at tables version
	 * @p version and later, the version the commit's transaction
	 * publishes, so that it switches with the bundle's rules. Called
	 * before the commit; port_mods_settle() after the sync that follows
	 * it. NULL: port-mods in bundles are refused (MSG_UNSUP).
	 */
	void (*port_mod_stage)(void *ctx, uint32_t ofport, uint32_t config, uint32_t mask,
			       uint64_t version);
	/**
	 * After a commit's sync: what port_mod_stage() staged becomes the
	 * ports' configuration; port_seq moves if one changed (port-status).
	 * Returns the number of ports whose configuration changed.
	 */
	unsigned int (*port_mods_settle)(void *ctx);
	/**
	 * The tables changed (rules, groups, meters). Cheap; call after every
	 * change. (sluiced's workers need nothing from it: the pipeline's
	 * version, bumped by the change itself, makes them revalidate.)
	 */
	void (*tables_changed)(void *ctx);
	/**
	 * Barrier: return once every worker has revalidated against the
	 * current tables version and passed a quiescent state (rte_rcu_qsbr
	 * grace period), and once every counter from cache hits has been
	 * credited to rules, groups and meters. May take a few milliseconds;
	 * never waits on a controller.
	 */
	void (*sync)(void *ctx);
	/**
	 * Take up to @p max packet-ins from the workers' rings. Each one must
	 * be given back with packet_in_release() once encoded.
	 */
	unsigned int (*packet_in_poll)(void *ctx, struct sl_agent_packet_in *out,
				       unsigned int max);
	/** Give back a packet-in's buffer. */
	void (*packet_in_release)(void *ctx, struct sl_agent_packet_in *pin);
	/** Packet-ins dropped because a worker's ring was full. */
	uint64_t (*packet_in_ring_drops)(void *ctx);
	/**
	 * Packet-out: run @p data through the OpenFlow actions already
	 * converted and validated by the agent (@p actions points to a
	 * struct sl_agent_actions; e.g. feed it to sl_xlate_actions()), as if received on @p in_port (which may
	 * be OFPP_CONTROLLER). Output to OFPP_TABLE runs the whole pipeline.
	 * Returns 0, or -1 with the OpenFlow error type and code to send.
	 */
	int (*packet_out)(void *ctx, uint32_t in_port, const void *actions,
			  const uint8_t *data, uint32_t len, uint16_t *err_type,
			  uint16_t *err_code);
};

#ifdef __cplusplus
}
#endif
#endif /* SL_AGENT_DP_H */
