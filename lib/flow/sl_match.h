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

#include "openflow.h" /* OFPXMT_OFB_* field numbers, OFPBMC_* error codes */
#include "sl_flow_key.h"

/** Size of the tables indexed by OXM field number (OFPXMT_OFB_*, up to
 *  OFPXMT_OFB_ACTSET_OUTPUT, then the tunnel address fields). */
#define SL_OXM_N_FIELDS (SL_OXM_TUN_IPV6_DST + 1)

/** @name Tunnel address fields
 * Nicira's NXM tun_src / tun_dst (NXM_NX_TUN_IPV4_SRC/DST, _IPV6_SRC/DST)
 * have no OXM number: the tables give them these, past the basic ones.
 * @{ */
#define SL_OXM_TUN_IPV4_SRC 45u /**< tun_src */
#define SL_OXM_TUN_IPV4_DST 46u /**< tun_dst */
#define SL_OXM_TUN_IPV6_SRC 47u /**< tun_ipv6_src */
#define SL_OXM_TUN_IPV6_DST 48u /**< tun_ipv6_dst */
/** @} */

/** Return value of sl_match_set_oxm() etc.: 0 on success, else 1 + OFPBMC code. */
#define SL_MATCH_ERR(code) (1 + (int)(code))
/** The OFPBMC code carried by a non-zero return value. */
#define SL_MATCH_ERR_CODE(rc) ((rc) - 1)

/** Static description of one matchable field. */
struct sl_field_desc {
	const char *name;     /**< OVS-style name, e.g. "tcp_dst" */
	uint16_t ofs;         /**< byte offset in struct sl_flow_key */
	uint8_t oxm;          /**< OFPXMT_OFB_* */
	uint8_t len;          /**< value length in bytes (OXM payload, network order) */
	bool maskable;        /**< OXM HASMASK allowed */
	bool writable;        /**< allowed in a set_field action */
	uint64_t valid_bits;  /**< valid value bits for len <= 8 (host order), else 0 = all */
};

/**
 * Description of an OXM field.
 * @param oxm  the field number (OFPXMT_OFB_*)
 * @return its description, or NULL if Sluice does not know it.
 */
const struct sl_field_desc *sl_field_by_oxm(unsigned int oxm);

/**
 * Width of field @p d in bits, as copy-field offsets count it: the valid
 * value bits of a narrow field, 8 per byte of a wide one; vlan_vid is its
 * 12 VID bits (OFPVID_PRESENT says whether a tag exists: not copyable).
 * @param d  the field
 * @return the width.
 */
static inline unsigned int
sl_field_n_bits(const struct sl_field_desc *d)
{
	if (d->oxm == OFPXMT_OFB_VLAN_VID)
		return 12;
	if (d->len > 8 || d->valid_bits == 0)
		return 8u * d->len;
	return 64u - (unsigned int)__builtin_clzll(d->valid_bits);
}

/**
 * Description of a field by its name.
 * @param name  the field's name, e.g. "ipv4_src"
 * @return its description, or NULL for an unknown name.
 */
const struct sl_field_desc *sl_field_by_name(const char *name);

/** A match: key holds only bits set in mask (normalised); present = OXM bitmap. */
struct sl_match {
	struct sl_flow_key key;  /**< values of the matched bits (0 elsewhere) */
	struct sl_flow_key mask; /**< bits that must match */
	uint64_t present; /**< bit i set: OXM field i was given */
};

/**
 * Make @p m match everything.
 * @param m  the match to reset
 */
void sl_match_init_catchall(struct sl_match *m);

/**
 * Add one OXM field. @p value and @p mask are @p len raw network-order bytes
 * (mask NULL = exact). Returns 0 or SL_MATCH_ERR(OFPBMC_*): BAD_FIELD (unknown),
 * BAD_LEN, DUP_FIELD, BAD_MASK (mask on a non-maskable field), BAD_VALUE (bits
 * outside the field), BAD_WILDCARDS (value bit set where the mask is 0).
 * Prerequisites are checked once the match is complete by sl_match_validate().
 * @param m      the match to add to
 * @param oxm    the field number (OFPXMT_OFB_*)
 * @param value  @p len bytes, network order
 * @param mask   @p len bytes, network order, or NULL for an exact match
 * @param len    bytes in @p value (and @p mask): must be the field's length
 * @return 0, or SL_MATCH_ERR(OFPBMC_*) (the match is then unchanged).
 */
int sl_match_set_oxm(struct sl_match *m, unsigned int oxm, const void *value, const void *mask,
		     unsigned int len);

/**
 * Check OpenFlow prerequisites (OF1.3 table 11): e.g. tcp_dst needs ip_proto=6,
 * which needs eth_type 0x0800 or 0x86dd.
 * @param m  the complete match
 * @return 0, or SL_MATCH_ERR(OFPBMC_BAD_PREREQ).
 */
int sl_match_validate(const struct sl_match *m);

/**
 * True iff match @p m pins the whole prerequisite chain of field @p oxm (used
 * to check set_field actions against the rule's match: OFPBAC_MATCH_INCONSISTENT).
 * @param m    the rule's match
 * @param oxm  the field number (OFPXMT_OFB_*)
 * @return true iff every prerequisite of @p oxm is pinned by @p m.
 */
bool sl_match_prereq_satisfied(const struct sl_match *m, unsigned int oxm);

/**
 * True iff the prerequisites of field @p oxm hold for packet key @p k (for set_field).
 * @param oxm  the field number (OFPXMT_OFB_*)
 * @param k    the packet's key
 * @return true iff they hold.
 */
bool sl_field_prereq_ok(unsigned int oxm, const struct sl_flow_key *k);

/**
 * Mark in @p mask the bits that sl_field_prereq_ok(oxm, k) looked at (so a
 * megaflow built from the answer is only reused when the answer is the same).
 * @param oxm   the field number (OFPXMT_OFB_*)
 * @param mask  the megaflow mask to widen
 */
void sl_field_prereq_mask(unsigned int oxm, struct sl_flow_key *mask);

/** One OXM TLV as (field, value, mask). */
struct sl_oxm {
	uint8_t field;      /**< OFPXMT_OFB_* */
	uint8_t len;        /**< bytes in value and mask */
	bool has_mask;      /**< false: exact match (mask is all valid bits) */
	uint8_t value[16];  /**< network order */
	uint8_t mask[16];   /**< network order */
};

/**
 * Iterate the fields of @p m in field-number order: start with *pos = 0; returns
 * true and fills @p out while there are fields left.
 * @param m    the match
 * @param pos  iteration state, 0 to start
 * @param out  receives the next field
 * @return true if @p out was filled, false when no field is left.
 */
bool sl_match_next_oxm(const struct sl_match *m, unsigned int *pos, struct sl_oxm *out);

/**
 * True iff packet key @p k matches @p m.
 * @param m  the match
 * @param k  the packet's key
 * @return true iff it matches.
 */
static inline bool
sl_match_matches(const struct sl_match *m, const struct sl_flow_key *k)
{
	return sl_flow_key_equal_masked(k, &m->key, &m->mask);
}

/**
 * Read field @p d of key @p k into @p out (d->len bytes, network order).
 * @param d    the field
 * @param k    the key
 * @param out  receives d->len bytes
 */
void sl_field_get(const struct sl_field_desc *d, const struct sl_flow_key *k, void *out);

/**
 * Write @p val (d->len bytes) into field @p d of key @p k, only the bits of @p mask (NULL = all).
 * @param d     the field
 * @param k     the key
 * @param val   d->len bytes, network order
 * @param mask  d->len bytes, network order, or NULL for all bits
 */
void sl_field_set(const struct sl_field_desc *d, struct sl_flow_key *k, const void *val,
		  const void *mask);

/**
 * Set every bit of field @p d in mask @p mask (an exact match on the field).
 * @param d     the field
 * @param mask  the mask
 */
void sl_field_mask_all(const struct sl_field_desc *d, struct sl_flow_key *mask);

/**
 * Format @p m as "field=value/mask,..." into @p buf (for logs and tests).
 * @param m     the match
 * @param buf   receives the text, NUL-terminated when @p size > 0
 * @param size  size of @p buf
 * @return the length of the whole text, as snprintf(): @p size or more
 *         means it was cut.
 */
int sl_match_format(const struct sl_match *m, char *buf, unsigned int size);

#endif /* SL_MATCH_H */
