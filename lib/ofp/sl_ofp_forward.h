/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_ofp_forward.h
 * OFPT_REQUESTFORWARD (OF1.4.1 7.4.6): a switch-to-controller message that
 * carries a group-mod or meter-mod another controller sent, whole, after
 * its own header (struct ofp_requestforward_header). Not a row of the
 * message tables: the switch only writes it (the tables refuse it from a
 * controller with OFPBRC_BAD_TYPE, as any message sent the wrong way).
 */
#ifndef SL_OFP_FORWARD_H
#define SL_OFP_FORWARD_H

#include <stddef.h>
#include <stdint.h>

#include "sl_ofp.h"

/** @name Request forward reasons (enum ofp_requestforward_reason) and the
 *  OF1.4 async-config property types that ask for them
 * @{ */
#define SL_OFPRFR_GROUP_MOD 0u               /**< a group-mod was forwarded */
#define SL_OFPRFR_METER_MOD 1u               /**< a meter-mod was forwarded */
#define SL_OFPACPT_REQUESTFORWARD_SLAVE 10u  /**< async property: slave's mask */
#define SL_OFPACPT_REQUESTFORWARD_MASTER 11u /**< async property: master/equal's mask */
/** @} */

/**
 * Append an OFPT_REQUESTFORWARD carrying @p req.
 * @param version wire version of the outer header (1.4 or later)
 * @param xid     its xid
 * @param req     the request, a whole message (its own header first)
 * @param req_len its length
 * @param out     appended to
 * @return 0, or a negative errno (too long, no memory, not a message).
 */
int sl_ofp_requestforward_encode(uint8_t version, uint32_t xid, const uint8_t *req,
				 size_t req_len, struct sl_ofp_buf *out);

/**
 * The request inside an OFPT_REQUESTFORWARD.
 * @param buf     a whole message
 * @param len     its length
 * @param req_len set to the request's length
 * @return the request (inside @p buf), or NULL if @p buf is not a
 *         well-formed request forward (lengths disagree).
 */
const uint8_t *sl_ofp_requestforward_inner(const uint8_t *buf, size_t len, size_t *req_len);

#endif /* SL_OFP_FORWARD_H */
