/**
 * @file sl_ofp_error.h
 * Decode/validation failures expressed as the OFPT_ERROR the spec names.
 */
#ifndef SL_OFP_ERROR_H
#define SL_OFP_ERROR_H

#include <stddef.h>
#include <stdint.h>

/**
 * Why a message was refused: the OFPT_ERROR (type, code) to send back, and
 * the byte offset in the offending message where the first problem was found.
 */
struct sl_ofp_error {
	uint16_t type;   /**< OFPET_* */
	uint16_t code;   /**< OFPBRC_*, OFPBMC_*, ... */
	uint32_t offset; /**< first offending byte, from the start of the message */
};

/**
 * Fill @p err (if not NULL) and return -1, so callers can `return sl_ofp_fail(...)`.
 * @param err    out: the error, or NULL
 * @param type   OFPET_*
 * @param code   the code within @p type
 * @param offset first offending byte, from the start of the message
 * @return -1.
 */
int sl_ofp_fail(struct sl_ofp_error *err, uint16_t type, uint16_t code, size_t offset);

/**
 * Symbolic name of an error type.
 * @param type OFPET_*
 * @return e.g. "OFPET_BAD_MATCH" ("?" if unknown).
 */
const char *sl_ofp_error_type_name(uint16_t type);

/**
 * Symbolic name of an error code within its type.
 * @param type OFPET_*
 * @param code the code within @p type
 * @return e.g. "OFPBMC_BAD_PREREQ" ("?" if unknown).
 */
const char *sl_ofp_error_code_name(uint16_t type, uint16_t code);

struct sl_ofp_msg;

/**
 * Build the OFPT_ERROR reply for a refused request: type/code from @p err,
 * xid copied from the request, data = the first 64 bytes of the request
 * (OF1.3 7.4.4).  @p reply's data points into @p request; no allocation.
 * @param err         why the request was refused
 * @param request     the request as received
 * @param request_len its length
 * @param reply       out: the OFPT_ERROR message
 */
void sl_ofp_error_reply(const struct sl_ofp_error *err, const uint8_t *request,
			size_t request_len, struct sl_ofp_msg *reply);

#endif /* SL_OFP_ERROR_H */
