/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAKE_DP_H
#define FAKE_DP_H

/*
 * A fake runtime for the OpenFlow agent: a few ports with settable
 * counters and link state, a packet-in queue the test fills, and records of
 * what the agent asked (packet-outs, port-mods, tables_changed, sync).
 * No EAL, no threads: tests and the harness drive everything.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sl_agent_dp.h"

#define FAKE_MAX_PORTS 8
#define FAKE_MAX_PINS 4096
#define FAKE_MAX_POUTS 64

struct fake_pout {
	uint32_t in_port;
	unsigned int n_actions;
	uint16_t first_type;
	uint32_t first_port;   /* first action's output port, if an output */
	uint32_t len;
	unsigned int n_dp_actions; /* datapath actions translation produced */
	uint32_t first_dp_port;    /* first datapath OUTPUT port, or 0 */
};

struct fake_dp {
	struct sl_agent_port ports[FAKE_MAX_PORTS];
	bool present[FAKE_MAX_PORTS];
	unsigned int n_ports;
	uint64_t seq;
	struct sl_agent_packet_in pins[FAKE_MAX_PINS];
	unsigned int pin_head, pin_tail;
	uint8_t pin_data[2048];
	uint64_t pin_released, ring_drops;
	struct fake_pout pouts[FAKE_MAX_POUTS];
	unsigned int n_pouts;
	unsigned int n_sync, n_tables_changed, n_port_mods;
	unsigned int tables_changed_at_sync; /* n_tables_changed seen by the last sync */
	/* port-mods of bundles: staged (with the tables version they switch
	 * at), applied by port_mods_settle; n_syncs_at_settle: n_sync then */
	uint32_t staged_config[FAKE_MAX_PORTS];
	uint64_t staged_version[FAKE_MAX_PORTS]; /* 0: nothing staged */
	unsigned int n_port_stages, n_settles, n_syncs_at_settle;
	uint64_t last_staged_version; /* of the last port_mod_stage */
	/* With a pipeline, packet-outs are translated (sl_xlate_actions):
	 * rules and group buckets hit are credited, CONTROLLER actions become
	 * packet-ins. That is a whole fast path for one packet, minus caches. */
	struct sl_pipeline *pl;
};

extern const struct sl_agent_dp_ops fake_dp_ops;

/** @p n ports numbered 1..n named "p1".., MAC 02:00:00:00:00:0i, link up. */
void fake_dp_init(struct fake_dp *d, unsigned int n);
/** Add one more port (ofport given); bumps the sequence. */
void fake_dp_add_port(struct fake_dp *d, uint32_t ofport);
/** Remove the port at @p idx; bumps the sequence. */
void fake_dp_remove_port(struct fake_dp *d, unsigned int idx);
/** Set the link down/up of port at @p idx; bumps the sequence. */
void fake_dp_set_link(struct fake_dp *d, unsigned int idx, bool up);
/** Queue a packet-in of @p len bytes (pattern data). */
void fake_dp_inject_pin(struct fake_dp *d, uint8_t reason, uint8_t table_id, uint64_t cookie,
			uint32_t in_port, uint64_t metadata, uint16_t max_len, uint32_t len);

#endif /* FAKE_DP_H */
