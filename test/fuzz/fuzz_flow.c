/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the packet parser (lib/flow). The input is a frame
 * (its first byte also chooses where to cut it into segments). Every frame
 * must parse without a bad read (ASan) and:
 *  - the shortcut parser (sl_flow_parse) and the general one
 *    (sl_flow_parse_slow) give the same key and layout;
 *  - the frame as one mbuf and as a chain of up to three mbufs give the same
 *    key (sl_flow_parse_mbuf): a chained or shared packet is the same packet;
 *  - every header offset of the layout lies inside the frame;
 *  - the flow hash is a function of the key.
 * The mbufs are built by hand around the input (no EAL, no mempool).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "sl_flow_key.h"
#include "sl_flow_parse.h"

#define MAX_FRAME 4096

static void
mbuf_on(struct rte_mbuf *m, uint8_t *buf, uint16_t len)
{
	memset(m, 0, sizeof(*m));
	m->buf_addr = buf;
	m->buf_len = len;
	m->data_off = 0;
	m->data_len = len;
	m->pkt_len = len;
	m->nb_segs = 1;
	m->next = NULL;
	rte_mbuf_refcnt_set(m, 1);
}

static void
check_layout(const struct sl_pkt_layout *lay, size_t len)
{
	const uint16_t *f = (const uint16_t *)lay;

	/* every field of the layout is an offset (0xffff: absent) */
	for (size_t i = 0; i < sizeof(*lay) / sizeof(uint16_t); i++)
		if (f[i] != 0xffff && f[i] > len)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t flat[MAX_FRAME], seg[3][MAX_FRAME];
	struct sl_flow_key k1, k2, k3, k4;
	struct sl_pkt_layout l1, l2;
	struct rte_mbuf one, parts[3];
	uint16_t len, cut1, cut2;

	if (size < 1)
		return 0;
	len = (uint16_t)(size - 1 < MAX_FRAME ? size - 1 : MAX_FRAME);
	memcpy(flat, data + 1, len);
	memset(&l1, 0xff, sizeof(l1));
	memset(&l2, 0xff, sizeof(l2));
	int r1 = sl_flow_parse(flat, len, 7, 7, 0, &k1, &l1);
	int r2 = sl_flow_parse_slow(flat, len, 7, 7, 0, &k2, &l2);
	if (r1 != r2 || memcmp(&k1, &k2, sizeof(k1)) != 0 || memcmp(&l1, &l2, sizeof(l1)) != 0)
		abort();
	check_layout(&l1, len);
	if (sl_flow_hash(&k1, 0) != sl_flow_hash(&k2, 0))
		abort();

	/* one segment, then up to three cut where the first byte says */
	mbuf_on(&one, flat, len);
	sl_flow_parse_mbuf(&one, 7, 7, 0, &k3, NULL);
	cut1 = len ? (uint16_t)(data[0] % (len + 1)) : 0;
	cut2 = (uint16_t)(cut1 + (len - cut1) / 2);
	memcpy(seg[0], flat, cut1);
	memcpy(seg[1], flat + cut1, cut2 - cut1);
	memcpy(seg[2], flat + cut2, len - cut2);
	mbuf_on(&parts[0], seg[0], cut1);
	mbuf_on(&parts[1], seg[1], (uint16_t)(cut2 - cut1));
	mbuf_on(&parts[2], seg[2], (uint16_t)(len - cut2));
	parts[0].next = &parts[1];
	parts[1].next = &parts[2];
	parts[0].nb_segs = 3;
	parts[0].pkt_len = len;
	sl_flow_parse_mbuf(&parts[0], 7, 7, 0, &k4, NULL);
	if (memcmp(&k3, &k4, sizeof(k3)) != 0)
		abort();
	return 0;
}
