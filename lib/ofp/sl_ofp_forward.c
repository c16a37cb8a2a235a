/* SPDX-License-Identifier: BSD-3-Clause */
/* OFPT_REQUESTFORWARD (sl_ofp_forward.h). */
#include <errno.h>
#include <string.h>

#include "openflow_v14.h"
#include "sl_ofp_desc.h"
#include "sl_ofp_forward.h"
#include "sl_ofp_wire.h"

int
sl_ofp_requestforward_encode(uint8_t version, uint32_t xid, const uint8_t *req, size_t req_len,
			     struct sl_ofp_buf *out)
{
	if (req_len < OFP_HEADER_SIZE || sl_rd16(req + 2) != req_len)
		return -EINVAL;
	if (req_len + OFP_HEADER_SIZE > UINT16_MAX)
		return -EMSGSIZE;
	if (sl_ofp_buf_ensure(out, req_len + OFP_HEADER_SIZE) != 0)
		return -ENOMEM;
	uint8_t *p = out->data + out->len;
	p[0] = version;
	p[1] = OFPT_REQUESTFORWARD;
	sl_wr16(p + 2, (uint16_t)(req_len + OFP_HEADER_SIZE));
	sl_wr32(p + 4, xid);
	memcpy(p + OFP_HEADER_SIZE, req, req_len);
	out->len += req_len + OFP_HEADER_SIZE;
	return 0;
}

const uint8_t *
sl_ofp_requestforward_inner(const uint8_t *buf, size_t len, size_t *req_len)
{
	if (len < 2 * OFP_HEADER_SIZE || buf[1] != OFPT_REQUESTFORWARD || sl_rd16(buf + 2) != len ||
	    sl_rd16(buf + OFP_HEADER_SIZE + 2) != len - OFP_HEADER_SIZE)
		return NULL;
	*req_len = len - OFP_HEADER_SIZE;
	return buf + OFP_HEADER_SIZE;
}
