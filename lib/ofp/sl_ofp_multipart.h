/**
 * @file sl_ofp_multipart.h
 * Multipart requests spread over several messages (OFPMPF_REQ_MORE).
 */
#ifndef SL_OFP_MULTIPART_H
#define SL_OFP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "sl_ofp.h"

/**
 * Reassembly state for one connection: parts with the MORE flag are held
 * until the last one arrives, then returned as one message whose body list
 * (or experimenter data) is the concatenation of all parts.
 */
struct sl_ofp_mp_reasm {
	struct sl_ofp_msg acc; /**< merged so far (owns every part's arena) */
	bool active;           /**< a part with the MORE flag is held */
	size_t bytes;          /**< memory held so far */
	size_t max_bytes;      /**< bound before OFPBRC_MULTIPART_BUFFER_OVERFLOW */
};

/**
 * Start with nothing held.
 * @param r         the state to initialise
 * @param max_bytes bounds the memory held (0 = 16 MiB)
 */
void sl_ofp_mp_reasm_init(struct sl_ofp_mp_reasm *r, size_t max_bytes);

/**
 * Drop whatever is held.
 * @param r the reassembly state
 */
void sl_ofp_mp_reasm_clear(struct sl_ofp_mp_reasm *r);

/**
 * Feed one decoded multipart message; takes ownership of @p part.
 * @param r    the connection's reassembly state
 * @param part a decoded multipart request or reply
 * @param out  out: the complete message, when 1 is returned
 * @param err  out: the error, when -1 is returned
 * @return 1 when @p out holds a complete message (caller frees it), 0 when
 * more parts are needed, -1 with @p err set (OFPBRC_BAD_MULTIPART for a part
 * that does not continue the held one or a body that cannot be merged,
 * OFPBRC_MULTIPART_BUFFER_OVERFLOW beyond max_bytes); state is cleared then.
 */
int sl_ofp_mp_reasm_feed(struct sl_ofp_mp_reasm *r, struct sl_ofp_msg *part,
			 struct sl_ofp_msg *out, struct sl_ofp_error *err);

#endif /* SL_OFP_MULTIPART_H */
