/**
 * @file sl_ofp_hello.h
 * OpenFlow version negotiation with hello version bitmaps (OF1.3 6.3.1).
 */
#ifndef SL_OFP_HELLO_H
#define SL_OFP_HELLO_H

#include <stdint.h>

#include "sl_ofp.h"

/**
 * The wire versions this codec build speaks.
 * @return a bitmap: bit v set = wire version v (OF1.3, 1.4 and 1.5: bits 4, 5, 6).
 */
uint32_t sl_ofp_supported_versions(void);

/**
 * Build an OFPT_HELLO advertising @p versions (bit v = wire version v): the
 * header carries the highest one and a version-bitmap element lists them all.
 * @param msg      out: the message (freed with sl_ofp_msg_free())
 * @param versions bitmap of versions to advertise
 * @param xid      transaction id of the hello
 * @return 0, or -1 if @p versions is empty or allocation fails.
 */
int sl_ofp_hello_build(struct sl_ofp_msg *msg, uint32_t versions, uint32_t xid);

/**
 * Pick the version to speak after receiving the peer's hello.  Both sides
 * sent bitmaps: the highest common version.  Otherwise the smaller of the
 * two header versions, if we support it.
 * @param ours       bitmap of the versions we speak
 * @param peer_hello the hello the peer sent (decoded)
 * @param version    out: the version chosen
 * @param err        out: the error to send when there is none in common
 * @return 0 with *version set, or -1 with @p err = OFPET_HELLO_FAILED /
 * OFPHFC_INCOMPATIBLE.
 */
int sl_ofp_hello_negotiate(uint32_t ours, const struct sl_ofp_msg *peer_hello, uint8_t *version,
			   struct sl_ofp_error *err);

#endif /* SL_OFP_HELLO_H */
