/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_match.h
 * Match = (key, mask) over struct sl_flow_key, built from and converted back to
 * OpenFlow OXM fields given as (field number, raw network-order bytes). No
 * dependency on the wire codec: the agent glues OXM TLVs to these calls.
 */
#ifndef SL_MATCH_H
#define SL_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_flow_key.h"

/** OpenFlow 1.3 OXM_OF_* basic class field numbers (plus TCP_FLAGS from OF1.5). */
enum sl_oxm_field {
	SL_OXM_IN_PORT = 0, SL_OXM_IN_PHY_PORT = 1, SL_OXM_METADATA = 2,
	SL_OXM_ETH_DST = 3, SL_OXM_ETH_SRC = 4, SL_OXM_ETH_TYPE = 5,
	SL_OXM_VLAN_VID = 6, SL_OXM_VLAN_PCP = 7, SL_OXM_IP_DSCP = 8,
	SL_OXM_IP_ECN = 9, SL_OXM_IP_PROTO = 10, SL_OXM_IPV4_SRC = 11,
	SL_OXM_IPV4_DST = 12, SL_OXM_TCP_SRC = 13, SL_OXM_TCP_DST = 14,
	SL_OXM_UDP_SRC = 15, SL_OXM_UDP_DST = 16, SL_OXM_SCTP_SRC = 17,
	SL_OXM_SCTP_DST = 18, SL_OXM_ICMPV4_TYPE = 19, SL_OXM_ICMPV4_CODE = 20,
	SL_OXM_ARP_OP = 21, SL_OXM_ARP_SPA = 22, SL_OXM_ARP_TPA = 23,
	SL_OXM_ARP_SHA = 24, SL_OXM_ARP_THA = 25, SL_OXM_IPV6_SRC = 26,
	SL_OXM_IPV6_DST = 27, SL_OXM_IPV6_FLABEL = 28, SL_OXM_ICMPV6_TYPE = 29,
	SL_OXM_ICMPV6_CODE = 30, SL_OXM_IPV6_ND_TARGET = 31, SL_OXM_IPV6_ND_SLL = 32,
	SL_OXM_IPV6_ND_TLL = 33, SL_OXM_MPLS_LABEL = 34, SL_OXM_MPLS_TC = 35,
	SL_OXM_MPLS_BOS = 36, SL_OXM_PBB_ISID = 37, SL_OXM_TUNNEL_ID = 38,
	SL_OXM_IPV6_EXTHDR = 39,
	SL_OXM_TCP_FLAGS = 42, /**< OF1.5 number; OF1.3 carries it as an ONF experimenter */
	SL_OXM_N_FIELDS = 43,
};

/** OFPBMC_* error codes (OFPET_BAD_MATCH) returned by match construction. */
enum sl_ofpbmc {
	SL_OFPBMC_BAD_TYPE = 0, SL_OFPBMC_BAD_LEN = 1, SL_OFPBMC_BAD_TAG = 2,
	SL_OFPBMC_BAD_DL_ADDR_MASK = 3, SL_OFPBMC_BAD_NW_ADDR_MASK = 4,
	SL_OFPBMC_BAD_WILDCARDS = 5, SL_OFPBMC_BAD_FIELD = 6, SL_OFPBMC_BAD_VALUE = 7,
	SL_OFPBMC_BAD_MASK = 8, SL_OFPBMC_BAD_PREREQ = 9, SL_OFPBMC_DUP_FIELD = 10,
	SL_OFPBMC_EPERM = 11,
};

/** Return value of sl_match_set_oxm() etc.: 0 on success, else 1 + OFPBMC code. */
#define SL_MATCH_ERR(code) (1 + (int)(code))
/** The OFPBMC code carried by a non-zero return value. */
#define SL_MATCH_ERR_CODE(rc) ((rc) - 1)

/** Static description of one matchable field. */
struct sl_field_desc {
	const char *name;     /**< OVS-style name, e.g. "tcp_dst" */
	uint16_t ofs;         /**< byte offset in struct sl_flow_key */
	uint8_t oxm;          /**< enum sl_oxm_field */
	uint8_t len;          /**< value length in bytes (OXM payload, network order) */
	bool maskable;        /**< OXM HASMASK allowed */
	bool writable;        /**< allowed in a set_field action */
	uint64_t valid_bits;  /**< valid value bits for len <= 8 (host order), else 0 = all */
};

/** Description of OXM field @p oxm, or NULL if Sluice does not know it. */
const struct sl_field_desc *sl_field_by_oxm(unsigned int oxm);

/** Description of a field by its name ("ipv4_src"), or NULL. */
const struct sl_field_desc *sl_field_by_name(const char *name);

/** A match: key holds only bits set in mask (normalised); present = OXM bitmap. */
struct sl_match {
	struct sl_flow_key key;
	struct sl_flow_key mask;
	uint64_t present; /**< bit i set: OXM field i was given */
};

/** Make @p m match everything. */
void sl_match_init_catchall(struct sl_match *m);

/**
 * Add one OXM field. @p value and @p mask are @p len raw network-order bytes
 * (mask NULL = exact). Returns 0 or SL_MATCH_ERR(OFPBMC_*): BAD_FIELD (unknown),
 * BAD_LEN, DUP_FIELD, BAD_MASK (mask on a non-maskable field), BAD_VALUE (bits
 * outside the field), BAD_WILDCARDS (value bit set where the mask is 0).
 * Prerequisites are checked once the match is complete by sl_match_validate().
 */
int sl_match_set_oxm(struct sl_match *m, unsigned int oxm, const void *value, const void *mask,
		     unsigned int len);

/**
 * Check OpenFlow prerequisites (OF1.3 table 11): e.g. tcp_dst needs ip_proto=6,
 * which needs eth_type 0x0800 or 0x86dd. Returns 0 or SL_MATCH_ERR(SL_OFPBMC_BAD_PREREQ).
 */
int sl_match_validate(const struct sl_match *m);

/**
 * True iff match @p m pins the whole prerequisite chain of field @p oxm (used
 * to check set_field actions against the rule's match: OFPBAC_MATCH_INCONSISTENT).
 */
bool sl_match_prereq_satisfied(const struct sl_match *m, unsigned int oxm);

/** True iff the prerequisites of field @p oxm hold for packet key @p k (for set_field). */
bool sl_field_prereq_ok(unsigned int oxm, const struct sl_flow_key *k);

/**
 * Mark in @p mask the bits that sl_field_prereq_ok(oxm, k) looked at (so a
 * megaflow built from the answer is only reused when the answer is the same).
 */
void sl_field_prereq_mask(unsigned int oxm, struct sl_flow_key *mask);

/** One OXM TLV as (field, value, mask). */
struct sl_oxm {
	uint8_t field;
	uint8_t len;
	bool has_mask;      /**< false: exact match (mask is all valid bits) */
	uint8_t value[16];
	uint8_t mask[16];
};

/**
 * Iterate the fields of @p m in field-number order: start with *pos = 0; returns
 * true and fills @p out while there are fields left.
 */
bool sl_match_next_oxm(const struct sl_match *m, unsigned int *pos, struct sl_oxm *out);

/** True iff packet key @p k matches @p m. */
static inline bool
sl_match_matches(const struct sl_match *m, const struct sl_flow_key *k)
{
	return sl_flow_key_equal_masked(k, &m->key, &m->mask);
}

/** Read field @p d of key @p k into @p out (d->len bytes, network order). */
void sl_field_get(const struct sl_field_desc *d, const struct sl_flow_key *k, void *out);

/** Write @p val (d->len bytes) into field @p d of key @p k, only the bits of @p mask (NULL = all). */
void sl_field_set(const struct sl_field_desc *d, struct sl_flow_key *k, const void *val,
		  const void *mask);

/** Set every bit of field @p d in mask @p mask (an exact match on the field). */
void sl_field_mask_all(const struct sl_field_desc *d, struct sl_flow_key *mask);

/** Format @p m as "field=value/mask,..." into @p buf (for logs and tests). */
int sl_match_format(const struct sl_match *m, char *buf, unsigned int size);

#endif /* SL_MATCH_H */
