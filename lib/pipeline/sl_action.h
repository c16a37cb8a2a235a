/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_action.h
 * OpenFlow 1.3 actions and instructions as plain structs (decoded by the agent
 * from the wire codec) and their validation. Numbers are the OF1.3 wire
 * values, named as in the spec by openflow.h (OFPAT_*, OFPP_*, OFPET_*...).
 */
#ifndef SL_ACTION_H
#define SL_ACTION_H

#include <stdbool.h>
#include <stdint.h>

#include "openflow.h"
#include "openflow_v14.h" /* OFPAT_COPY_FIELD */
#include "sl_match.h"

/** Number of flow tables in the pipeline: table ids 0..SL_N_TABLES - 1. */
#define SL_N_TABLES 254u

/** One OpenFlow action. */
struct sl_action {
	uint16_t type; /**< OFPAT_* */
	union {
		/** OUTPUT */
		struct {
			uint32_t port;    /**< port number or OFPP_* */
			uint16_t max_len; /**< bytes sent to the controller (OFPCML_*) */
		} output;
		uint32_t group_id;    /**< GROUP */
		uint32_t queue_id;    /**< SET_QUEUE */
		uint8_t ttl;          /**< SET_MPLS_TTL, SET_NW_TTL */
		uint16_t ethertype;   /**< PUSH_*, POP_MPLS (host order) */
		/** SET_FIELD */
		struct {
			uint8_t field;    /**< OFPXMT_OFB_* */
			uint8_t len;      /**< bytes in value */
			uint8_t value[16]; /**< network order */
		} set_field;
		/** COPY_FIELD (OF1.5; ONF / Nicira extensions in OF1.3): n_bits
		 *  bits of src from bit src_ofs into dst from bit dst_ofs, bit 0
		 *  being a field's least significant */
		struct {
			uint8_t src;      /**< OFPXMT_OFB_* read */
			uint8_t dst;      /**< OFPXMT_OFB_* written */
			uint16_t n_bits;  /**< bits copied */
			uint16_t src_ofs; /**< first bit read */
			uint16_t dst_ofs; /**< first bit written */
		} copy_field;
	};
};

/** Instructions of a rule (enum ofp_instruction_type order of execution). */
struct sl_instructions {
	bool has_meter;            /**< meter instruction present */
	uint32_t meter_id;         /**< the meter (has_meter) */
	uint16_t n_apply;          /**< entries in apply */
	struct sl_action *apply;   /**< apply-actions list */
	bool clear_actions;        /**< clear-actions present */
	bool has_write;            /**< write-actions present (n_write may be 0) */
	uint16_t n_write;          /**< entries in write */
	struct sl_action *write;   /**< write-actions */
	bool has_write_metadata;   /**< write-metadata present */
	uint64_t metadata;         /**< host order */
	uint64_t metadata_mask;    /**< metadata bits written (host order) */
	bool has_goto;             /**< goto-table present */
	uint8_t goto_table;        /**< next table (has_goto), above the rule's own */
};

/** OpenFlow error (type, code) packed as type << 16 | code; 0 = success. */
#define SL_OFPERR(type, code) ((int)(((uint32_t)(type) << 16) | (uint16_t)(code)))
/** The error type (OFPET_*) of an SL_OFPERR() value @p e. */
#define SL_OFPERR_TYPE(e) ((uint32_t)(e) >> 16)
/** The error code (OFPBAC_*...) of an SL_OFPERR() value @p e. */
#define SL_OFPERR_CODE(e) ((uint32_t)(e) & 0xffff)

/**
 * Validate an action list against the match it will run under (set_field
 * prerequisites, ports, TTL/ethertype arguments). Group existence is checked
 * by the pipeline.
 * @param acts        the actions, in order
 * @param n           number of entries in @p acts
 * @param m           the match they run under, or NULL (group buckets): then
 *                    set_field prerequisites are not checked (they are checked
 *                    per packet at translation)
 * @param packet_out  true for a packet-out's actions: only there is output to
 *                    OFPP_TABLE valid
 * @return 0, or SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_*) for the first bad action.
 */
int sl_actions_validate(const struct sl_action *acts, unsigned int n, const struct sl_match *m,
			bool packet_out);

#endif /* SL_ACTION_H */
