/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_ofp_monitor.h
 * Flow monitoring (OF1.4.1 7.3.5.18 / 7.3.5.19): the OFPMP_FLOW_MONITOR
 * multipart request (one or more ofp_flow_monitor_request) and reply (a
 * list of ofp_flow_update_* entries: full, abbreviated, paused/resumed),
 * in OpenFlow 1.4 and 1.5, whose layouts are the same.
 *
 * OpenFlow 1.3 has the ONF extension that Open vSwitch speaks there
 * (`ovs-ofctl -O OpenFlow13 monitor`): an OFPMP_EXPERIMENTER multipart with
 * the ONF id and exp_type ONFMP_FLOW_MONITOR (1870), requests without a
 * command or out_group (each adds monitors; ONFT_FLOW_MONITOR_CANCEL
 * removes one), updates in their own layout and numbering (no INITIAL:
 * ADDED), PAUSED / RESUMED as experimenter messages of their own. The same
 * C structures carry both framings, with the OF1.4 names and numbers.
 *
 * Like the bundle messages (sl_ofp_bundle.h), these are not rows of the
 * message tables: struct sl_ofp_msg is kept OF1.3-shaped, and the agent takes
 * flow-monitor requests out of the stream before sl_ofp_decode() (which
 * still answers OFPBRC_BAD_MULTIPART for them). The match and instruction
 * lists inside use the codec's own layouts (the same tables as flow-mods
 * and flow stats), so what a monitor reports is encoded exactly as
 * dump-flows would show it; `encode(decode(b)) == b` for os-ken's vectors.
 */
#ifndef SL_OFP_MONITOR_H
#define SL_OFP_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_ofp.h"

/** @name Flow monitor constants (OF1.4 spec names, os-ken's values)
 * @{ */
#define SL_OFPFMF_INITIAL (1u << 0)      /**< initially matching flows */
#define SL_OFPFMF_ADD (1u << 1)          /**< new matching flows as they are added */
#define SL_OFPFMF_REMOVED (1u << 2)      /**< old matching flows as they are removed */
#define SL_OFPFMF_MODIFY (1u << 3)       /**< matching flows as they are changed */
#define SL_OFPFMF_INSTRUCTIONS (1u << 4) /**< include instructions in full updates */
#define SL_OFPFMF_NO_ABBREV (1u << 5)    /**< own changes in full, not abbreviated */
#define SL_OFPFMF_ONLY_OWN (1u << 6)     /**< only this controller's own changes */
#define SL_OFPFMF_ALL 0x7fu              /**< every flag defined */

#define SL_OFPFMC_ADD 0u    /**< new monitor */
#define SL_OFPFMC_MODIFY 1u /**< replace an existing monitor */
#define SL_OFPFMC_DELETE 2u /**< remove a monitor */

#define SL_OFPFME_INITIAL 0u  /**< flow present when the monitor was made */
#define SL_OFPFME_ADDED 1u    /**< flow added */
#define SL_OFPFME_REMOVED 2u  /**< flow removed */
#define SL_OFPFME_MODIFIED 3u /**< flow instructions changed */
#define SL_OFPFME_ABBREV 4u   /**< abbreviated: the controller's own change (xid) */
#define SL_OFPFME_PAUSED 5u   /**< monitoring paused: out of buffer space */
#define SL_OFPFME_RESUMED 6u  /**< monitoring resumed */

/** OFPET_FLOW_MONITOR_FAILED codes (enum ofp_flow_monitor_failed_code). */
#define SL_OFPMOFC_UNKNOWN 0u
#define SL_OFPMOFC_MONITOR_EXISTS 1u
#define SL_OFPMOFC_INVALID_MONITOR 2u
#define SL_OFPMOFC_UNKNOWN_MONITOR 3u
#define SL_OFPMOFC_BAD_COMMAND 4u
#define SL_OFPMOFC_BAD_FLAGS 5u
#define SL_OFPMOFC_BAD_TABLE_ID 6u
#define SL_OFPMOFC_BAD_OUT 7u

#define SL_ONF_EXPERIMENTER 0x4f4e4600u      /**< "ONF\0" */
#define SL_ONFMP_FLOW_MONITOR 1870u          /**< ONF multipart exp_type */
#define SL_ONFT_FLOW_MONITOR_CANCEL 1870u    /**< ONF message: cancel one monitor */
#define SL_ONFT_FLOW_MONITOR_PAUSED 1871u    /**< ONF message: updates paused */
#define SL_ONFT_FLOW_MONITOR_RESUMED 1872u   /**< ONF message: updates resumed */
#define SL_ONF_FMF_ALL 0x3fu /**< ONF flags: the OF1.4 ones below ONLY_OWN, same bits */
/** OpenFlow 1.3 errors of the ONF extension, as Open vSwitch sends them:
 *  OFPET_EXPERIMENTER with the Nicira id 0x2320 and this exp_type. */
#define SL_NX_EXPERIMENTER 0x00002320u
#define SL_NXERR_MONITOR_EXISTS 6u
#define SL_NXERR_MONITOR_BAD_FLAGS 7u
#define SL_NXERR_UNKNOWN_MONITOR 8u
/** @} */

/** Framing of a flow-monitor message. */
enum sl_ofp_monitor_framing {
	SL_OFP_MONITOR_NATIVE = 0, /**< OF1.4+: OFPMP_FLOW_MONITOR */
	SL_OFP_MONITOR_ONF = 1,    /**< OF1.3: ONF experimenter multipart 1870 */
};

/** One ofp_flow_monitor_request (a multipart request carries one or more). */
struct sl_ofp_flow_monitor_request {
	uint32_t monitor_id;        /**< controller-chosen id */
	uint32_t out_port;          /**< OFPP_ANY: no filter */
	uint32_t out_group;         /**< OFPG_ANY: no filter */
	uint16_t flags;             /**< SL_OFPFMF_* */
	uint8_t table_id;           /**< OFPTT_ALL: every table */
	uint8_t command;            /**< SL_OFPFMC_* */
	struct sl_ofp_match match;  /**< flows whose match lies inside this one */
};

/** One ofp_flow_update_* entry of a reply, by event. */
struct sl_ofp_flow_update {
	uint16_t event;       /**< SL_OFPFME_* */
	/** Full updates (INITIAL, ADDED, REMOVED, MODIFIED) @{ */
	uint8_t table_id;
	uint8_t reason;       /**< OFPRR_* for REMOVED, else 0 */
	uint16_t idle_timeout, hard_timeout, priority;
	uint64_t cookie;
	struct sl_ofp_match match;
	struct sl_ofp_instruction *instructions; /**< none without OFPFMF_INSTRUCTIONS */
	uint32_t n_instructions;
	/** @} */
	uint32_t xid;         /**< ABBREV: the xid of the controller's own request */
};

/** A decoded OFPMP_FLOW_MONITOR request or reply. */
struct sl_ofp_flow_monitor_msg {
	uint8_t version;      /**< wire version: 5 (1.4) or 6 (1.5) */
	uint8_t type;         /**< OFPT_MULTIPART_REQUEST or OFPT_MULTIPART_REPLY */
	uint32_t xid;         /**< the request's (a reply's: its request's; updates: 0) */
	uint16_t flags;       /**< OFPMPF_* of the multipart header */
	uint8_t framing;      /**< enum sl_ofp_monitor_framing */
	struct sl_ofp_flow_monitor_request *requests; /**< request: its entries */
	uint32_t n_requests;                          /**< entries in requests */
	struct sl_ofp_flow_update *updates;           /**< reply: its entries */
	uint32_t n_updates;                           /**< entries in updates */
	struct sl_ofp_msg arena; /**< owns what decode allocated (sl_ofp_msg_free) */
};

/**
 * Is @p buf a flow-monitor request or reply: OFPMP_FLOW_MONITOR of 1.4/1.5,
 * or the ONF multipart of 1.3? Reads only the headers.
 * @param buf a whole message
 * @param len its length
 * @return true if it is one.
 */
bool sl_ofp_is_flow_monitor(const uint8_t *buf, size_t len);

/**
 * Decode an OFPMP_FLOW_MONITOR request or reply.
 * @param buf a whole message (sl_ofp_is_flow_monitor() true)
 * @param len its length
 * @param out filled; free with sl_ofp_flow_monitor_free() (also on failure)
 * @param err on failure: the OFPT_ERROR type/code and offset
 * @return 0, or -1.
 */
int sl_ofp_flow_monitor_decode(const uint8_t *buf, size_t len,
			       struct sl_ofp_flow_monitor_msg *out, struct sl_ofp_error *err);

/**
 * Free what decode allocated.
 * @param m the message
 */
void sl_ofp_flow_monitor_free(struct sl_ofp_flow_monitor_msg *m);

/**
 * Append @p m to @p out: a request as one message; a reply as one or more
 * messages of at most 64 KiB, split between updates, OFPMPF_REPLY_MORE on
 * all but the last (an empty reply is one message with no update).
 * @param m   the message (version, type, xid, flags and its list)
 * @param out appended to
 * @return the number of messages appended, or a negative errno (out unchanged).
 */
int sl_ofp_flow_monitor_encode(const struct sl_ofp_flow_monitor_msg *m, struct sl_ofp_buf *out);

/**
 * Encode one update on its own (a flow-update entry, no header): the
 * agent builds unsolicited replies from such pieces.
 * @param u       the update
 * @param version the wire version it is written in
 * @param framing enum sl_ofp_monitor_framing: the layout
 * @param out     appended to
 * @return 0, or a negative errno (out unchanged).
 */
int sl_ofp_flow_update_encode(const struct sl_ofp_flow_update *u, uint8_t version,
			      uint8_t framing, struct sl_ofp_buf *out);

/**
 * An ONF experimenter message of OpenFlow 1.3 (ONFT_FLOW_MONITOR_*).
 * @param buf a whole message
 * @param len its length
 * @return its exp_type, or 0 if it is not an ONF experimenter message.
 */
uint32_t sl_ofp_onf_exp_type(const uint8_t *buf, size_t len);

/**
 * Append an ONFT_FLOW_MONITOR_PAUSED / _RESUMED message (OpenFlow 1.3).
 * @param exp_type SL_ONFT_FLOW_MONITOR_PAUSED or _RESUMED
 * @param out      appended to
 * @return 0, or a negative errno.
 */
int sl_ofp_onf_monitor_marker(uint32_t exp_type, struct sl_ofp_buf *out);

#endif /* SL_OFP_MONITOR_H */
