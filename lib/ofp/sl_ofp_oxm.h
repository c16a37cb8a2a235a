/* OXM (OpenFlow Extensible Match) TLVs: plain representation + validation.
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

#include "sl_ofp_error.h"

/** OpenFlow-basic OXM field numbers (OF1.3 section 7.2.3.7). */
enum sl_ofp_oxm_basic_field {
	SL_OFPXMT_IN_PORT = 0, SL_OFPXMT_IN_PHY_PORT, SL_OFPXMT_METADATA, SL_OFPXMT_ETH_DST,
	SL_OFPXMT_ETH_SRC, SL_OFPXMT_ETH_TYPE, SL_OFPXMT_VLAN_VID, SL_OFPXMT_VLAN_PCP,
	SL_OFPXMT_IP_DSCP, SL_OFPXMT_IP_ECN, SL_OFPXMT_IP_PROTO, SL_OFPXMT_IPV4_SRC,
	SL_OFPXMT_IPV4_DST, SL_OFPXMT_TCP_SRC, SL_OFPXMT_TCP_DST, SL_OFPXMT_UDP_SRC,
	SL_OFPXMT_UDP_DST, SL_OFPXMT_SCTP_SRC, SL_OFPXMT_SCTP_DST, SL_OFPXMT_ICMPV4_TYPE,
	SL_OFPXMT_ICMPV4_CODE, SL_OFPXMT_ARP_OP, SL_OFPXMT_ARP_SPA, SL_OFPXMT_ARP_TPA,
	SL_OFPXMT_ARP_SHA, SL_OFPXMT_ARP_THA, SL_OFPXMT_IPV6_SRC, SL_OFPXMT_IPV6_DST,
	SL_OFPXMT_IPV6_FLABEL, SL_OFPXMT_ICMPV6_TYPE, SL_OFPXMT_ICMPV6_CODE,
	SL_OFPXMT_IPV6_ND_TARGET, SL_OFPXMT_IPV6_ND_SLL, SL_OFPXMT_IPV6_ND_TLL,
	SL_OFPXMT_MPLS_LABEL, SL_OFPXMT_MPLS_TC, SL_OFPXMT_MPLS_BOS, SL_OFPXMT_PBB_ISID,
	SL_OFPXMT_TUNNEL_ID, SL_OFPXMT_IPV6_EXTHDR,
	SL_OFPXMT_BASIC_COUNT
};

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
	uint16_t oxm_class;
	uint8_t field;       /**< 7-bit field number */
	uint8_t hasmask;     /**< 0 or 1 */
	uint8_t payload_len; /**< wire length byte (value + mask [+ experimenter]) */
	uint8_t value_len;   /**< bytes in value (and in mask when hasmask) */
	uint16_t wire_off;   /**< offset of the TLV in the message (decode only) */
	uint8_t value[SL_OFP_OXM_MAX_VALUE];
	uint8_t mask[SL_OFP_OXM_MAX_VALUE];
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
	uint16_t oxm_class;
	uint8_t field;
	uint8_t size;       /**< value size in bytes */
	uint8_t format;     /**< enum sl_ofp_oxm_format */
	bool maskable;
	uint32_t experimenter; /**< for OFPXMC_EXPERIMENTER fields */
};

/** How a field's value is printed (matches os-ken's JSON). */
enum sl_ofp_oxm_format { SL_OXM_FMT_INT, SL_OXM_FMT_MAC, SL_OXM_FMT_IPV4, SL_OXM_FMT_IPV6 };

/**
 * Look up the description of an OXM.
 * @return the field info, or NULL when the (class, field) is unknown.
 */
const struct sl_ofp_oxm_info *sl_ofp_oxm_info(const struct sl_ofp_oxm *oxm);

/** Look up an OpenFlow-basic field by number; NULL if out of range. */
const struct sl_ofp_oxm_info *sl_ofp_oxm_basic_info(uint8_t field);

/**
 * Fill @p oxm as an OpenFlow-basic field from a host-order integer
 * (value_len bytes, big-endian on the wire).  @p mask may be NULL.
 * @return 0, or -1 for an unknown field.
 */
int sl_ofp_oxm_set_basic(struct sl_ofp_oxm *oxm, uint8_t field, uint64_t value,
			 const uint64_t *mask);

/**
 * Fill @p oxm as an OpenFlow-basic field from raw big-endian bytes
 * (the field's size each).  @p mask may be NULL.
 * @return 0, or -1 for an unknown field.
 */
int sl_ofp_oxm_set_bytes(struct sl_ofp_oxm *oxm, uint8_t field, const uint8_t *value,
			 const uint8_t *mask);

/** The value of a basic OXM of at most 8 bytes as a host integer. */
uint64_t sl_ofp_oxm_value_u64(const struct sl_ofp_oxm *oxm);

/**
 * Validate a match (list of OXMs) as a flow-mod match, per OF1.3 7.2.3.6-8:
 * unknown/experimenter field -> OFPBMC_BAD_FIELD, wrong length -> BAD_LEN,
 * mask on a non-maskable field -> BAD_MASK, value bits outside the mask ->
 * BAD_WILDCARDS, duplicate -> DUP_FIELD, missing prerequisite -> BAD_PREREQ.
 * @return 0 if valid, else -1 with @p err filled (offset = TLV offset).
 */
int sl_ofp_match_validate(const struct sl_ofp_oxm *fields, uint32_t n, struct sl_ofp_error *err);

/**
 * Validate the OXM of a set-field action: known basic field, no mask, and
 * prerequisites satisfied by @p match (OFPBAC_BAD_SET_TYPE / BAD_SET_ARGUMENT
 * / MATCH_INCONSISTENT).  @p match may be NULL (packet-out without match).
 * @return 0 if valid, else -1 with @p err filled.
 */
int sl_ofp_set_field_validate(const struct sl_ofp_oxm *oxm, const struct sl_ofp_oxm *match,
			      uint32_t n_match, struct sl_ofp_error *err);

#endif /* SL_OFP_OXM_H */
