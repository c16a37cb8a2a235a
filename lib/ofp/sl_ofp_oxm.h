/**
 * @file sl_ofp_oxm.h
 * OXM (OpenFlow Extensible Match) TLVs: plain representation + validation.
 *
 * A match is kept as the ordered list of TLVs found on the wire, not as a
 * flow key: the pipeline converts it to its own match, and keeping the wire
 * order is what makes encode(decode(b)) == b hold.
 */
#ifndef SL_OFP_OXM_H
#define SL_OFP_OXM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openflow.h" /* OFPXMT_OFB_* field numbers */
#include "sl_ofp_error.h"

/** OpenFlow-basic field numbers the codec's table spans: the OF1.3 ones,
 *  OFPXMT_OFB_IN_PORT..OFPXMT_OFB_IPV6_EXTHDR (OF1.3 section 7.2.3.7), and
 *  OF1.5's tcp_flags (42), actset_output (43) and packet_type (44). 40
 *  (pbb_uca) and 41 have no entry: they stay opaque and are refused. */
#define SL_OFPXMT_BASIC_COUNT (OFPXMT_OFB_PACKET_TYPE + 1)

/** How an OXM that has several wire encodings was (or is to be) written.
 *  tcp_flags is a basic field only from OF1.5 on; OF1.3 peers (Open vSwitch,
 *  os-ken) carry it as an ONF experimenter field (class 0xffff, field 42,
 *  experimenter id 0x4f4e4600 before the value) or as Nicira's
 *  NXM_NX_TCP_FLAGS (class 1, field 34). Decode turns all three into the
 *  basic field and records the form, so a message re-encodes byte for byte. */
enum sl_ofp_oxm_form {
	SL_OXM_FORM_AUTO = 0, /**< the version's own: basic from OF1.5, else ONF */
	SL_OXM_FORM_BASIC,    /**< class OFPXMC_OPENFLOW_BASIC */
	SL_OXM_FORM_ONF,      /**< class OFPXMC_EXPERIMENTER, ONF experimenter id */
	SL_OXM_FORM_NXM,      /**< class OFPXMC_NXM_1 (Nicira's own number) */
};

/**
 * Is @p field an OF1.5 basic field that OF1.3 peers (Open vSwitch) carry as
 * an ONF experimenter field of the same number: tcp_flags, actset_output?
 * @param field  a basic field number (OFPXMT_OFB_*)
 * @return true for those two.
 */
static inline bool
sl_ofp_oxm_onf_field(uint8_t field)
{
	return field == OFPXMT_OFB_TCP_FLAGS || field == OFPXMT_OFB_ACTSET_OUTPUT;
}

/** Nicira's NXM_NX_TCP_FLAGS field number (class OFPXMC_NXM_1). */
#define SL_NXM_NX_TCP_FLAGS 34u

/** @name Tunnel address fields
 * Nicira's NXM_NX_TUN_IPV4_SRC / _DST (class OFPXMC_NXM_1, fields 31, 32)
 * and NXM_NX_TUN_IPV6_SRC / _DST (109, 110): ovs-ofctl's tun_src, tun_dst,
 * tun_ipv6_src, tun_ipv6_dst, which have no OXM number in any OpenFlow
 * version. Decode makes them class OFPXMC_OPENFLOW_BASIC with these field
 * numbers and form SL_OXM_FORM_NXM; being above the 7-bit wire space, no
 * basic TLV on the wire can name them, and encode always writes the NXM form.
 * @{ */
#define SL_OFPXMT_TUN_IPV4_SRC 128u /**< tun_src, decoded */
#define SL_OFPXMT_TUN_IPV4_DST 129u /**< tun_dst, decoded */
#define SL_OFPXMT_TUN_IPV6_SRC 130u /**< tun_ipv6_src, decoded */
#define SL_OFPXMT_TUN_IPV6_DST 131u /**< tun_ipv6_dst, decoded */
#define SL_NXM_NX_TUN_IPV4_SRC 31u  /**< NXM_NX_TUN_IPV4_SRC on the wire (class 1) */
#define SL_NXM_NX_TUN_IPV4_DST 32u  /**< NXM_NX_TUN_IPV4_DST on the wire */
#define SL_NXM_NX_TUN_IPV6_SRC 109u /**< NXM_NX_TUN_IPV6_SRC on the wire */
#define SL_NXM_NX_TUN_IPV6_DST 110u /**< NXM_NX_TUN_IPV6_DST on the wire */
/** @} */

/**
 * Is @p field one of the tunnel address fields (SL_OFPXMT_TUN_*)?
 * @param field  a field number of class OFPXMC_OPENFLOW_BASIC, as decoded
 * @return true for those four.
 */
static inline bool
sl_ofp_oxm_tun_field(unsigned int field)
{
	return field >= SL_OFPXMT_TUN_IPV4_SRC && field <= SL_OFPXMT_TUN_IPV6_DST;
}
/** ONF's experimenter id (OXM fields, actions, errors). */
#define SL_OFP_ONF_EXPERIMENTER 0x4f4e4600u

/** Largest value of an OpenFlow-basic field (IPv6 addresses). */
#define SL_OFP_OXM_MAX_VALUE 16

/**
 * One OXM TLV.  For class OFPXMC_OPENFLOW_BASIC with a known field, value
 * (and mask when hasmask) hold the big-endian field bytes, value_len long.
 * Every other class (NXM_0/1, experimenter, unknown basic fields) is kept
 * opaque in @c payload so the switch can refuse it with the right error and
 * still re-encode it byte for byte.
 */
struct sl_ofp_oxm {
	uint16_t oxm_class;  /**< OFPXMC_* */
	uint8_t field;       /**< 7-bit field number */
	uint8_t hasmask;     /**< 0 or 1 */
	uint8_t payload_len; /**< wire length byte (value + mask [+ experimenter]) */
	uint8_t value_len;   /**< bytes in value (and in mask when hasmask) */
	uint16_t wire_off;   /**< offset of the TLV in the message (decode only) */
	uint8_t form;        /**< enum sl_ofp_oxm_form: wire encoding of a basic field */
	uint8_t value[SL_OFP_OXM_MAX_VALUE]; /**< known basic field: the value, big-endian */
	uint8_t mask[SL_OFP_OXM_MAX_VALUE];  /**< known basic field with hasmask: the mask */
	const uint8_t *payload; /**< opaque classes: payload_len raw bytes */
};

/** An OXM header as listed in table-features properties. */
struct sl_ofp_oxm_id {
	uint32_t header;       /**< class << 16 | field << 9 | hasmask << 8 | length */
	uint32_t experimenter; /**< only when class == OFPXMC_EXPERIMENTER */
};

/** Static description of an OXM field (basic or a known extension). */
struct sl_ofp_oxm_info {
	const char *name;   /**< os-ken / Ryu name, e.g. "eth_dst" */
	uint16_t oxm_class; /**< OFPXMC_* */
	uint8_t field;      /**< 7-bit field number within the class */
	uint8_t size;       /**< value size in bytes */
	uint8_t format;     /**< enum sl_ofp_oxm_format */
	bool maskable;      /**< a mask is allowed */
	uint32_t experimenter; /**< for OFPXMC_EXPERIMENTER fields */
};

/** How a field's value is printed (matches os-ken's JSON). */
enum sl_ofp_oxm_format { SL_OXM_FMT_INT, SL_OXM_FMT_MAC, SL_OXM_FMT_IPV4, SL_OXM_FMT_IPV6 };

/**
 * Look up the description of an OXM.
 * @param oxm  the OXM (class, field, and for experimenter fields the payload)
 * @return the field info, or NULL when the (class, field) is unknown.
 */
const struct sl_ofp_oxm_info *sl_ofp_oxm_info(const struct sl_ofp_oxm *oxm);

/**
 * Look up an OpenFlow-basic field by number.
 * @param field  the field number (OFPXMT_OFB_*)
 * @return the field info, or NULL if out of range.
 */
const struct sl_ofp_oxm_info *sl_ofp_oxm_basic_info(uint8_t field);

/**
 * Fill @p oxm as an OpenFlow-basic field from a host-order integer
 * (value_len bytes, big-endian on the wire).  @p mask may be NULL.
 * @param oxm    filled in
 * @param field  the field number (OFPXMT_OFB_*)
 * @param value  the value, host order
 * @param mask   the mask, host order, or NULL (no mask)
 * @return 0, or -1 for an unknown field or one longer than 8 bytes.
 */
int sl_ofp_oxm_set_basic(struct sl_ofp_oxm *oxm, uint8_t field, uint64_t value,
			 const uint64_t *mask);

/**
 * Fill @p oxm as an OpenFlow-basic field from raw big-endian bytes
 * (the field's size each).  @p mask may be NULL.
 * @param oxm    filled in
 * @param field  the field number (OFPXMT_OFB_*)
 * @param value  the field's size in bytes, big-endian
 * @param mask   as many bytes, or NULL (no mask)
 * @return 0, or -1 for an unknown field.
 */
int sl_ofp_oxm_set_bytes(struct sl_ofp_oxm *oxm, uint8_t field, const uint8_t *value,
			 const uint8_t *mask);

/**
 * The value of a basic OXM of at most 8 bytes as a host integer.
 * @param oxm  the OXM
 * @return its value (of a longer one: the first 8 bytes).
 */
uint64_t sl_ofp_oxm_value_u64(const struct sl_ofp_oxm *oxm);

/**
 * Validate a match (list of OXMs) as a flow-mod match, per OF1.3 7.2.3.6-8:
 * unknown/experimenter field -> OFPBMC_BAD_FIELD, wrong length -> BAD_LEN,
 * mask on a non-maskable field -> BAD_MASK, value bits outside the mask ->
 * BAD_WILDCARDS, duplicate -> DUP_FIELD, missing prerequisite -> BAD_PREREQ.
 * @param fields  the match's OXMs, in wire order
 * @param n       number of entries in @p fields
 * @param err     out: the error, or NULL
 * @return 0 if valid, else -1 with @p err filled (offset = TLV offset).
 */
int sl_ofp_match_validate(const struct sl_ofp_oxm *fields, uint32_t n, struct sl_ofp_error *err);

/**
 * Validate the OXM of a set-field action: known basic field, no mask, and
 * prerequisites satisfied by @p match (OFPBAC_BAD_SET_TYPE / BAD_SET_ARGUMENT
 * / MATCH_INCONSISTENT).  @p match may be NULL (packet-out without match).
 * @param oxm      the set-field action's OXM
 * @param match    the rule's match OXMs, or NULL
 * @param n_match  number of entries in @p match
 * @param err      out: the error, or NULL
 * @return 0 if valid, else -1 with @p err filled.
 */
int sl_ofp_set_field_validate(const struct sl_ofp_oxm *oxm, const struct sl_ofp_oxm *match,
			      uint32_t n_match, struct sl_ofp_error *err);

#endif /* SL_OFP_OXM_H */
