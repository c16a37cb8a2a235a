/**
 * @file sl_ofp_copy_field.h
 * The copy-field action in its three wire forms: OF1.5's OFPAT_COPY_FIELD
 * (decoded by the OF1.5 layout into sl_ofp_action.u.copy_field), and the two
 * experimenter actions OpenFlow 1.3 peers send for it, kept opaque by decode
 * (so they re-encode byte for byte) and read here: ONF's extension
 * ONFACT_ET_COPY_FIELD (experimenter 0x4f4e4600, exp_type 3200) and
 * Nicira's NXAST_REG_MOVE (experimenter 0x2320, subtype 6, what
 * `ovs-ofctl -O OpenFlow13` sends for `move:`). Their fields are named by
 * OXM headers (NXM ones too for NXAST_REG_MOVE), mapped here to the
 * OpenFlow-basic field numbers.
 */
#ifndef SL_OFP_COPY_FIELD_H
#define SL_OFP_COPY_FIELD_H

#include <stdint.h>

#include "sl_ofp_error.h"
#include "sl_ofp_oxm.h"

/** ONF's experimenter action type of copy-field (OpenFlow 1.3 extension). */
#define SL_ONF_ET_COPY_FIELD 3200u
/** Nicira's action subtype of NXAST_REG_MOVE. */
#define SL_NXAST_REG_MOVE 6u

/** Copy-field arguments: n_bits bits of src, from bit src_offset (bit 0 is
 *  the field's least significant), into dst from bit dst_offset. */
struct sl_ofp_copy_field {
	uint16_t n_bits;     /**< bits copied */
	uint16_t src_offset; /**< first source bit */
	uint16_t dst_offset; /**< first destination bit */
	struct sl_ofp_oxm_id src; /**< source field's OXM header */
	struct sl_ofp_oxm_id dst; /**< destination field's OXM header */
};

struct sl_ofp_action;
struct sl_ofp_msg;

/**
 * Read a copy-field from an action in any of its forms.
 * @param a    the action (OFPAT_COPY_FIELD or OFPAT_EXPERIMENTER)
 * @param out  filled when the action is a copy-field
 * @param err  out: the error for a malformed experimenter body, or NULL
 * @return 1 when @p a is a copy-field (filled), 0 when it is another action,
 *         -1 when it is a copy-field experimenter action whose body is cut or
 *         too long (OFPBAC_BAD_LEN, at the action).
 */
int sl_ofp_copy_field_get(const struct sl_ofp_action *a, struct sl_ofp_copy_field *out,
			  struct sl_ofp_error *err);

/**
 * The OpenFlow-basic field an OXM header of a copy-field names: a basic
 * header, tcp_flags in its ONF or NXM form, or one of the NXM_OF / NXM_NX
 * headers whose field is an OXM field of the same size.
 * @param id     the header (and experimenter id for class 0xffff)
 * @param field  out: OFPXMT_OFB_*
 * @return 0, or -1 for a header that names no field Sluice knows, that has
 *         the mask bit, or whose length is not the field's.
 */
int sl_ofp_copy_field_field(const struct sl_ofp_oxm_id *id, uint8_t *field);

/**
 * The OXM header a copy-field names OpenFlow-basic field @p field with, in
 * wire version @p version (tcp_flags before OF1.5: the ONF form).
 * @param field    OFPXMT_OFB_*
 * @param version  the wire version
 * @param out      filled
 * @return 0, or -1 for a field the codec does not know.
 */
int sl_ofp_copy_field_header(uint8_t field, uint8_t version, struct sl_ofp_oxm_id *out);

/**
 * Write a copy-field as an action of wire version @p version: OFPAT_COPY_FIELD
 * from OF1.5 on, before it the ONF experimenter action (exp_type 3200), whose
 * body is allocated in @p owner.
 * @param cf       the arguments (headers already in the version's form)
 * @param version  the wire version
 * @param owner    the message whose arena holds the experimenter body
 * @param a        filled
 * @return 0, or -1 when the arena is out of memory.
 */
int sl_ofp_copy_field_put(const struct sl_ofp_copy_field *cf, uint8_t version,
			  struct sl_ofp_msg *owner, struct sl_ofp_action *a);

#endif /* SL_OFP_COPY_FIELD_H */
