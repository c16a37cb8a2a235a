/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pcapng (draft-ietf-opsawg-pcapng) blocks for sluicectl capture, in host
 * byte order (the section header's magic says which). Not rte_pcapng: the
 * DPDK 22.11 writer declares one interface per ethdev port and takes the
 * ethdev port id as the interface, so a vhost-user port, which is no
 * ethdev, could not appear in its files.
 */
#include <errno.h>
#include <string.h>

#include "sl_capture.h"

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_MAGIC 0x1A2B3C4Du
#define LINKTYPE_ETHERNET 1
#define OPT_END 0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME 2
#define OPT_IF_DESCRIPTION 3
#define OPT_IF_TSRESOL 9
#define OPT_EPB_FLAGS 2
#define EPB_INBOUND 1u
#define EPB_OUTBOUND 2u

static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Size of a string option, header and padding included. */
static size_t
opt_str_size(const char *s)
{
	return 4 + pad4(strlen(s));
}

static int
put(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -1;
}

static int
put_u32(FILE *f, uint32_t v)
{
	return put(f, &v, 4);
}

static int
put_opt(FILE *f, uint16_t code, const void *v, size_t len)
{
	static const uint8_t zero[4];
	uint16_t h[2] = { code, (uint16_t)len };

	if (put(f, h, 4) || (len && put(f, v, len)))
		return -1;
	return put(f, zero, pad4(len) - len);
}

static int
put_opt_str(FILE *f, uint16_t code, const char *s)
{
	return put_opt(f, code, s, strlen(s));
}

int
sl_pcapng_write_shb(FILE *f, const char *app)
{
	uint32_t len = (uint32_t)(28 + opt_str_size(app) + 4);
	uint16_t ver[2] = { 1, 0 };
	int64_t section_len = -1; /* not known: the file grows */

	if (put_u32(f, PCAPNG_SHB) || put_u32(f, len) || put_u32(f, PCAPNG_MAGIC) ||
	    put(f, ver, 4) || put(f, &section_len, 8) || put_opt_str(f, OPT_SHB_USERAPPL, app) ||
	    put_opt(f, OPT_END, NULL, 0) || put_u32(f, len))
		return -1;
	return 0;
}

int
sl_pcapng_write_idb(FILE *f, const char *name, const char *descr, uint32_t snaplen)
{
	uint32_t len = (uint32_t)(20 + opt_str_size(name) + opt_str_size(descr) + 8 + 4);
	uint16_t lt[2] = { LINKTYPE_ETHERNET, 0 };
	uint8_t tsresol = 9; /* 10^-9 s */

	if (put_u32(f, PCAPNG_IDB) || put_u32(f, len) || put(f, lt, 4) || put_u32(f, snaplen) ||
	    put_opt_str(f, OPT_IF_NAME, name) || put_opt_str(f, OPT_IF_DESCRIPTION, descr) ||
	    put_opt(f, OPT_IF_TSRESOL, &tsresol, 1) || put_opt(f, OPT_END, NULL, 0) ||
	    put_u32(f, len))
		return -1;
	return 0;
}

int
sl_pcapng_write_epb(FILE *f, uint32_t ifid, uint64_t ts_ns, const struct rte_mbuf *m,
		    uint32_t orig_len, unsigned int dir)
{
	static const uint8_t zero[4];
	uint32_t cap = rte_pktmbuf_pkt_len(m);
	uint32_t len = (uint32_t)(28 + pad4(cap) + 8 + 4 + 4);
	uint32_t flags = dir == SL_CAPTURE_RX ? EPB_INBOUND : EPB_OUTBOUND;

	if (put_u32(f, PCAPNG_EPB) || put_u32(f, len) || put_u32(f, ifid) ||
	    put_u32(f, (uint32_t)(ts_ns >> 32)) || put_u32(f, (uint32_t)ts_ns) ||
	    put_u32(f, cap) || put_u32(f, orig_len))
		return -1;
	for (const struct rte_mbuf *s = m; s != NULL; s = s->next)
		if (put(f, rte_pktmbuf_mtod(s, const void *), s->data_len))
			return -1;
	if (put(f, zero, pad4(cap) - cap) || put_opt(f, OPT_EPB_FLAGS, &flags, 4) ||
	    put_opt(f, OPT_END, NULL, 0) || put_u32(f, len))
		return -1;
	return 0;
}
