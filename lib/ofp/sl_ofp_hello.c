/* Version negotiation (OF1.3 section 6.3.1). */
#include "openflow_v14.h"
#include "sl_ofp_hello.h"

uint32_t sl_ofp_supported_versions(void)
{
	return 1u << OFP13_VERSION | 1u << OFP14_VERSION | 1u << OFP15_VERSION;
}

static int highest_bit(uint32_t v)
{
	int h = -1;
	for (int i = 0; i < 32; i++)
		if (v >> i & 1)
			h = i;
	return h;
}

int sl_ofp_hello_build(struct sl_ofp_msg *msg, uint32_t versions, uint32_t xid)
{
	int top = highest_bit(versions);
	if (top < 1)
		return -1;
	sl_ofp_msg_init(msg, OFPT_HELLO, xid);
	msg->version = (uint8_t)top;
	struct sl_ofp_hello_elem *e = sl_ofp_msg_alloc(msg, sizeof(*e));
	uint32_t *bitmap = sl_ofp_msg_alloc(msg, sizeof(*bitmap));
	if (e == NULL || bitmap == NULL) {
		sl_ofp_msg_free(msg);
		return -1;
	}
	*bitmap = versions;
	e->type = OFPHET_VERSIONBITMAP;
	e->bitmaps = bitmap;
	e->n_bitmaps = 1;
	msg->u.hello.elements = e;
	msg->u.hello.n_elements = 1;
	return 0;
}

int sl_ofp_hello_negotiate(uint32_t ours, const struct sl_ofp_msg *peer, uint8_t *version,
			   struct sl_ofp_error *err)
{
	const struct sl_ofp_hello_elem *bm = NULL;
	for (uint32_t i = 0; peer->type == OFPT_HELLO && i < peer->u.hello.n_elements; i++)
		if (peer->u.hello.elements[i].type == OFPHET_VERSIONBITMAP) {
			bm = &peer->u.hello.elements[i];
			break;
		}
	int chosen;
	if (bm != NULL && bm->n_bitmaps > 0) {
		/* versions above 31 live in later words; we speak none of them */
		chosen = highest_bit(ours & bm->bitmaps[0]);
	} else {
		int top = highest_bit(ours);
		chosen = peer->version < top ? peer->version : top;
		if (chosen < 0 || chosen > 31 || !(ours >> chosen & 1))
			chosen = -1;
	}
	if (chosen < 1)
		return sl_ofp_fail(err, OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE, 0);
	*version = (uint8_t)chosen;
	return 0;
}
