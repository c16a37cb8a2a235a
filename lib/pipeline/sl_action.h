/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_action.h
 * OpenFlow 1.3 actions and instructions as plain structs (decoded by the agent
 * from the wire codec), their validation, and OpenFlow constants the pipeline
 * needs. Numbers are the OF1.3 wire values.
 */
#ifndef SL_ACTION_H
#define SL_ACTION_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_match.h"

/* Reserved ports (ofp_port_no) */
#define SL_OFPP_MAX 0xffffff00u
#define SL_OFPP_IN_PORT 0xfffffff8u
#define SL_OFPP_TABLE 0xfffffff9u
#define SL_OFPP_NORMAL 0xfffffffau
#define SL_OFPP_FLOOD 0xfffffffbu
#define SL_OFPP_ALL 0xfffffffcu
#define SL_OFPP_CONTROLLER 0xfffffffdu
#define SL_OFPP_LOCAL 0xfffffffeu
#define SL_OFPP_ANY 0xffffffffu
#define SL_OFPCML_NO_BUFFER 0xffffu

/* Groups */
#define SL_OFPG_MAX 0xffffff00u
#define SL_OFPG_ALL 0xfffffffcu
#define SL_OFPG_ANY 0xffffffffu

/* Tables */
#define SL_N_TABLES 254u
#define SL_OFPTT_ALL 0xffu

/** Action types (enum ofp_action_type). */
enum sl_ofpat {
	SL_OFPAT_OUTPUT = 0, SL_OFPAT_COPY_TTL_OUT = 11, SL_OFPAT_COPY_TTL_IN = 12,
	SL_OFPAT_SET_MPLS_TTL = 15, SL_OFPAT_DEC_MPLS_TTL = 16, SL_OFPAT_PUSH_VLAN = 17,
	SL_OFPAT_POP_VLAN = 18, SL_OFPAT_PUSH_MPLS = 19, SL_OFPAT_POP_MPLS = 20,
	SL_OFPAT_SET_QUEUE = 21, SL_OFPAT_GROUP = 22, SL_OFPAT_SET_NW_TTL = 23,
	SL_OFPAT_DEC_NW_TTL = 24, SL_OFPAT_SET_FIELD = 25, SL_OFPAT_PUSH_PBB = 26,
	SL_OFPAT_POP_PBB = 27,
};

/** One OpenFlow action. */
struct sl_action {
	uint16_t type; /**< enum sl_ofpat */
	union {
		struct {
			uint32_t port;
			uint16_t max_len;
		} output;
		uint32_t group_id;
		uint32_t queue_id;
		uint8_t ttl;          /**< SET_MPLS_TTL, SET_NW_TTL */
		uint16_t ethertype;   /**< PUSH_*, POP_MPLS (host order) */
		struct {
			uint8_t field;    /**< enum sl_oxm_field */
			uint8_t len;
			uint8_t value[16]; /**< network order */
		} set_field;
	};
};

/** Instructions of a rule (enum ofp_instruction_type order of execution). */
struct sl_instructions {
	bool has_meter;
	uint32_t meter_id;
	uint16_t n_apply;
	struct sl_action *apply;   /**< apply-actions list */
	bool clear_actions;
	bool has_write;            /**< write-actions present (n_write may be 0) */
	uint16_t n_write;
	struct sl_action *write;   /**< write-actions */
	bool has_write_metadata;
	uint64_t metadata;         /**< host order */
	uint64_t metadata_mask;
	bool has_goto;
	uint8_t goto_table;
};

/** OpenFlow error (type, code) packed as type << 16 | code; 0 = success. */
#define SL_OFPERR(type, code) ((int)(((uint32_t)(type) << 16) | (uint16_t)(code)))
#define SL_OFPERR_TYPE(e) ((uint32_t)(e) >> 16)
#define SL_OFPERR_CODE(e) ((uint32_t)(e) & 0xffff)

enum {
	SL_OFPET_BAD_REQUEST = 1, SL_OFPET_BAD_ACTION = 2, SL_OFPET_BAD_INSTRUCTION = 3,
	SL_OFPET_BAD_MATCH = 4, SL_OFPET_FLOW_MOD_FAILED = 5, SL_OFPET_GROUP_MOD_FAILED = 6,
	SL_OFPET_METER_MOD_FAILED = 12,
};
enum { /* OFPBAC_* */
	SL_OFPBAC_BAD_TYPE = 0, SL_OFPBAC_BAD_LEN = 1, SL_OFPBAC_BAD_OUT_PORT = 4,
	SL_OFPBAC_BAD_ARGUMENT = 5, SL_OFPBAC_TOO_MANY = 7, SL_OFPBAC_BAD_OUT_GROUP = 9,
	SL_OFPBAC_MATCH_INCONSISTENT = 10, SL_OFPBAC_BAD_SET_TYPE = 13, SL_OFPBAC_BAD_SET_LEN = 14,
	SL_OFPBAC_BAD_SET_ARGUMENT = 15,
};
enum { /* OFPBIC_* */
	SL_OFPBIC_UNSUP_INST = 1, SL_OFPBIC_BAD_TABLE_ID = 2, SL_OFPBIC_UNSUP_METADATA_MASK = 4,
};
enum { /* OFPFMFC_* */
	SL_OFPFMFC_UNKNOWN = 0, SL_OFPFMFC_TABLE_FULL = 1, SL_OFPFMFC_BAD_TABLE_ID = 2,
	SL_OFPFMFC_OVERLAP = 3, SL_OFPFMFC_EPERM = 4, SL_OFPFMFC_BAD_TIMEOUT = 5,
	SL_OFPFMFC_BAD_COMMAND = 6, SL_OFPFMFC_BAD_FLAGS = 7,
};
/* OFPMMFC_UNKNOWN_METER (OF1.3 7.4.4.13); the same value as lib/meter/sl_meter.h */
#ifndef SL_OFPMMFC_UNKNOWN_METER
#define SL_OFPMMFC_UNKNOWN_METER 3
#endif

enum { /* OFPGMFC_* */
	SL_OFPGMFC_GROUP_EXISTS = 0, SL_OFPGMFC_INVALID_GROUP = 1, SL_OFPGMFC_WEIGHT_UNSUPPORTED = 2,
	SL_OFPGMFC_OUT_OF_GROUPS = 3, SL_OFPGMFC_OUT_OF_BUCKETS = 4, SL_OFPGMFC_LOOP = 7,
	SL_OFPGMFC_UNKNOWN_GROUP = 8, SL_OFPGMFC_CHAINED_GROUP = 9, SL_OFPGMFC_BAD_TYPE = 10,
	SL_OFPGMFC_BAD_COMMAND = 11, SL_OFPGMFC_BAD_BUCKET = 12, SL_OFPGMFC_BAD_WATCH = 13,
};

/**
 * Validate an action list against the match it will run under (set_field
 * prerequisites, ports, TTL/ethertype arguments). Group existence is checked
 * by the pipeline. Returns 0 or SL_OFPERR(SL_OFPET_BAD_ACTION, code) /
 * SL_OFPERR(SL_OFPET_BAD_MATCH,...). Output to SL_OFPP_TABLE is only valid when
 * @p packet_out is true. @p m NULL (group buckets): set_field prerequisites are
 * not checked (they are checked per packet at translation).
 */
int sl_actions_validate(const struct sl_action *acts, unsigned int n, const struct sl_match *m,
			bool packet_out);

#endif /* SL_ACTION_H */
