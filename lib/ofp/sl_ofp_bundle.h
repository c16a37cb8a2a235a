/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_ofp_bundle.h
 * Bundle messages (OF1.4.1 7.3.9) in their two framings:
 * - native, OpenFlow 1.4 and later: OFPT_BUNDLE_CONTROL (33) and
 *   OFPT_BUNDLE_ADD_MESSAGE (34);
 * - the ONF extension for OpenFlow 1.3 (what `ovs-ofctl -O OpenFlow13
 *   --bundle` sends): OFPT_EXPERIMENTER with experimenter ONF_EXPERIMENTER_ID
 *   and exp_type ONFT_BUNDLE_CONTROL (2300) / ONFT_BUNDLE_ADD_MESSAGE (2301),
 *   the same body after the 16-byte experimenter header.
 *
 * The codec works on the raw bytes: the decoded message points into the
 * input (the inner message of an add, the properties), nothing is copied.
 * Properties are kept as bytes, checked only for their TLV framing;
 * `encode(decode(b)) == b` for every well-formed message.
 */
#ifndef SL_OFP_BUNDLE_H
#define SL_OFP_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_ofp.h"
#include "sl_ofp_error.h"

/** @name Wire constants (OF1.4.1 spec names; ONF names for the extension)
 * @{ */
#define SL_ONF_EXPERIMENTER_ID 0x4f4e4600u /**< "ONF\0" */
#define SL_ONFT_BUNDLE_CONTROL 2300u       /**< ONF exp_type: bundle control */
#define SL_ONFT_BUNDLE_ADD_MESSAGE 2301u   /**< ONF exp_type: bundle add */
#define SL_OFPT_BUNDLE_CONTROL 33u         /**< OF1.4+ message type */
#define SL_OFPT_BUNDLE_ADD_MESSAGE 34u     /**< OF1.4+ message type */
#define SL_OFPET_BUNDLE_FAILED 17u         /**< OF1.4+ error type */
#define SL_OFPET_BAD_PROPERTY 14u          /**< OF1.4+ error type */
#define SL_OFPBPC_BAD_TYPE 0u              /**< OFPET_BAD_PROPERTY code */
#define SL_OFPBPC_BAD_LEN 1u               /**< OFPET_BAD_PROPERTY code */
#define SL_OFPBPC_BAD_EXPERIMENTER 5u      /**< OFPET_BAD_PROPERTY code */
#define SL_OFPBPT_EXPERIMENTER 0xffffu     /**< the only bundle property type */
/** @} */

/** Bundle control types (enum ofp_bundle_ctrl_type). */
enum sl_ofp_bundle_ctrl_type {
	SL_OFPBCT_OPEN_REQUEST = 0,    /**< open a bundle */
	SL_OFPBCT_OPEN_REPLY = 1,      /**< answer to open */
	SL_OFPBCT_CLOSE_REQUEST = 2,   /**< no more messages */
	SL_OFPBCT_CLOSE_REPLY = 3,     /**< answer to close */
	SL_OFPBCT_COMMIT_REQUEST = 4,  /**< apply the bundle */
	SL_OFPBCT_COMMIT_REPLY = 5,    /**< answer to commit */
	SL_OFPBCT_DISCARD_REQUEST = 6, /**< drop the bundle */
	SL_OFPBCT_DISCARD_REPLY = 7,   /**< answer to discard */
};

/** Bundle flags (enum ofp_bundle_flags). */
enum sl_ofp_bundle_flags {
	SL_OFPBF_ATOMIC = 1 << 0,  /**< all or nothing */
	SL_OFPBF_ORDERED = 1 << 1, /**< in the order added */
};

/** OFPET_BUNDLE_FAILED codes (enum ofp_bundle_failed_code); the ONF
 *  extension sends code c as experimenter error exp_type 2300 + c. */
enum sl_ofp_bundle_failed_code {
	SL_OFPBFC_UNKNOWN = 0,             /**< unspecified */
	SL_OFPBFC_EPERM = 1,               /**< permissions */
	SL_OFPBFC_BAD_ID = 2,              /**< no such bundle */
	SL_OFPBFC_BUNDLE_EXIST = 3,        /**< id already open */
	SL_OFPBFC_BUNDLE_CLOSED = 4,       /**< add to a closed bundle */
	SL_OFPBFC_OUT_OF_BUNDLES = 5,      /**< too many open bundles */
	SL_OFPBFC_BAD_TYPE = 6,            /**< unknown control type */
	SL_OFPBFC_BAD_FLAGS = 7,           /**< unknown or inconsistent flags */
	SL_OFPBFC_MSG_BAD_LEN = 8,         /**< inner message length */
	SL_OFPBFC_MSG_BAD_XID = 9,         /**< inner xid differs */
	SL_OFPBFC_MSG_UNSUP = 10,          /**< message not allowed in a bundle */
	SL_OFPBFC_MSG_CONFLICT = 11,       /**< conflicting messages */
	SL_OFPBFC_MSG_TOO_MANY = 12,       /**< bundle full */
	SL_OFPBFC_MSG_FAILED = 13,         /**< a message failed at commit */
	SL_OFPBFC_TIMEOUT = 14,            /**< open too long */
	SL_OFPBFC_BUNDLE_IN_PROGRESS = 15, /**< resource locked */
};

/** Framing of a bundle message. */
enum sl_ofp_bundle_framing {
	SL_OFP_BUNDLE_NATIVE = 1, /**< OF1.4+ message types 33/34 */
	SL_OFP_BUNDLE_ONF = 2,    /**< OF1.3 ONF experimenter 2300/2301 */
};

/** A bundle control or add message, decoded. Pointers are into the input. */
struct sl_ofp_bundle {
	uint8_t version;      /**< header version */
	uint8_t framing;      /**< enum sl_ofp_bundle_framing */
	bool is_add;          /**< BUNDLE_ADD_MESSAGE (else BUNDLE_CONTROL) */
	bool msg_padded;      /**< add: the inner message was padded to 8 bytes */
	uint32_t xid;         /**< header xid */
	uint32_t bundle_id;   /**< the bundle */
	uint16_t type;        /**< control: enum sl_ofp_bundle_ctrl_type */
	uint16_t flags;       /**< enum sl_ofp_bundle_flags */
	const uint8_t *msg;   /**< add: the inner message (its own header first) */
	size_t msg_len;       /**< add: its length (from its header) */
	const uint8_t *props; /**< properties, as on the wire (TLVs, each padded) */
	size_t props_len;     /**< bytes at props */
};

/**
 * Is @p raw a bundle message (either framing)? Looks at the header (and
 * the experimenter header) only; sl_ofp_bundle_decode() checks the rest.
 * @param raw a whole message (at least its 8-byte header)
 * @param len its length
 * @return SL_OFP_BUNDLE_NATIVE, SL_OFP_BUNDLE_ONF or 0.
 */
int sl_ofp_bundle_framing(const uint8_t *raw, size_t len);

/**
 * Decode a bundle message (one sl_ofp_bundle_framing() recognised).
 * Refusals: BAD_REQUEST/BAD_LEN (too short, lengths that disagree),
 * BUNDLE_FAILED/MSG_BAD_LEN (inner message length), and for property
 * framing BAD_PROPERTY/BAD_LEN (OF1.4+) or BAD_REQUEST/BAD_LEN (ONF).
 * A BUNDLE_FAILED refusal has err->type SL_OFPET_BUNDLE_FAILED in either
 * framing: send it with sl_ofp_bundle_error(), which writes the ONF
 * experimenter form for OpenFlow 1.3.
 * @param raw the message
 * @param len its length
 * @param out out: the fields (pointing into @p raw)
 * @param err out: the error to send on failure (may be NULL)
 * @return 0, or -1 with @p err filled.
 */
int sl_ofp_bundle_decode(const uint8_t *raw, size_t len, struct sl_ofp_bundle *out,
			 struct sl_ofp_error *err);

/**
 * Append the bundle message @p b (version, framing, xid, fields) to @p out.
 * @param b   the message
 * @param out the buffer (appended to)
 * @return 0, or -1 (no memory, or a message over 65535 bytes).
 */
int sl_ofp_bundle_encode(const struct sl_ofp_bundle *b, struct sl_ofp_buf *out);

/**
 * Append an OFPT_ERROR for a bundle failure in the framing of the
 * version: OF1.4+ OFPET_BUNDLE_FAILED (17) / @p code; OF1.3 (the ONF
 * extension) an experimenter error: type 0xffff, exp_type 2300 + @p code,
 * experimenter ONF_EXPERIMENTER_ID (as Open vSwitch sends and parses it).
 * Data: the first 64 bytes of @p req.
 * @param version the connection's version
 * @param xid     the xid to answer
 * @param code    enum sl_ofp_bundle_failed_code
 * @param req     the request (may be NULL)
 * @param req_len its length
 * @param out     the buffer (appended to)
 * @return 0, or -1 on no memory.
 */
int sl_ofp_bundle_error(uint8_t version, uint32_t xid, uint16_t code, const uint8_t *req,
			size_t req_len, struct sl_ofp_buf *out);

/**
 * Name of a bundle control type.
 * @param type enum sl_ofp_bundle_ctrl_type
 * @return e.g. "OPEN_REQUEST" ("?" if unknown).
 */
const char *sl_ofp_bundle_ctrl_name(uint16_t type);

#endif /* SL_OFP_BUNDLE_H */
