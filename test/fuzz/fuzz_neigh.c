/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness of the underlay ARP / ND parser (dataplane/neigh,
 * sl_neigh_parse): any bytes, at any length, parse or are refused without
 * reading past the end; the worker's quick test never refuses what the
 * parser accepts; an accepted message, built again by our builders, parses
 * back to the same addresses (scripts/fuzz.sh neigh). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_neigh_proto.h"

static void
rebuild(const struct sl_neigh_msg *m)
{
	uint8_t f[SL_NEIGH_FRAME_MAX];
	struct sl_neigh_msg back;
	size_t len;

	switch (m->kind) {
	case SL_NEIGH_ARP_REQUEST:
	case SL_NEIGH_ARP_REPLY:
		len = sl_neigh_build_arp(f, m->kind == SL_NEIGH_ARP_REPLY, &m->eth_dst, &m->lladdr,
					 m->sender.addr, &m->eth_src, m->target.addr);
		break;
	case SL_NEIGH_NS:
		if (!m->has_lladdr)
			return;
		len = sl_neigh_build_ns(f, &m->lladdr, m->sender.addr, m->target.addr, NULL);
		break;
	default:
		if (!m->has_lladdr || m->gratuitous)
			return;
		len = sl_neigh_build_na(f, &m->lladdr, m->target.addr, &m->eth_src, m->sender.addr,
					m->solicited);
		break;
	}
	if (sl_neigh_parse(f, len, &back) != SL_NEIGH_OK)
		abort();
	if (back.kind != m->kind || memcmp(&back.target, &m->target, sizeof(m->target)) != 0 ||
	    !rte_is_same_ether_addr(&back.lladdr, &m->lladdr))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes: ASan sees any read past the end */
	uint8_t *f = malloc(size ? size : 1);
	struct sl_neigh_msg msg;
	enum sl_neigh_bad bad;

	memcpy(f, data, size);
	bad = sl_neigh_parse(f, size, &msg);
	if (bad >= SL_NEIGH_BAD_N)
		abort();
	if (bad == SL_NEIGH_OK) {
		if (!sl_neigh_maybe(f, size) && size >= 14 + 40 + 1)
			abort();
		rebuild(&msg);
	}
	free(f);
	return 0;
}
