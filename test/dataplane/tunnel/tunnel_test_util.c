/* SPDX-License-Identifier: BSD-3-Clause */
#include "tunnel_test_util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mempool.h>

static struct rte_mempool *pool;

int
tt_init(const char *prefix)
{
	/* --no-shconf: no shared files, so concurrent runs do not meet */
	char pfx[64];
	snprintf(pfx, sizeof(pfx), "--file-prefix=%s", prefix);
	char *argv[] = {
		"test_tunnel", "--no-huge", "-m", "64", "--no-pci", "--no-shconf",
		"--no-telemetry", "--log-level=warning", "-l", "0", pfx, NULL,
	};
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("tt_pool", 511, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	return pool ? 0 : -1;
}

void
tt_fini(void)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_mempool_free(pool);
	pool = NULL;
	rte_eal_cleanup();
	rmdir(dir);
}

struct rte_mempool *
tt_pool(void)
{
	return pool;
}

unsigned int
tt_avail(void)
{
	return rte_mempool_avail_count(pool);
}

struct rte_mbuf *
tt_mbuf(const uint8_t *data, uint32_t len, uint32_t seg)
{
	struct rte_mbuf *head = NULL, *last = NULL;
	uint32_t off = 0;

	if (seg == 0 || seg > 2048) /* one segment, as far as a default mbuf holds */
		seg = 2048;
	do {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint32_t n = len - off < seg ? len - off : seg;
		if (m == NULL)
			abort();
		memcpy(rte_pktmbuf_append(m, (uint16_t)n), data + off, n);
		off += n;
		if (head == NULL) {
			head = m;
		} else {
			last->next = m;
			head->nb_segs++;
			head->pkt_len += n;
		}
		last = m;
	} while (off < len);
	return head;
}

uint32_t
tt_flat(const struct rte_mbuf *m, uint8_t *out)
{
	uint32_t n = 0;
	for (const struct rte_mbuf *s = m; s != NULL; s = s->next) {
		memcpy(out + n, rte_pktmbuf_mtod(s, const uint8_t *), s->data_len);
		n += s->data_len;
	}
	if (n != m->pkt_len)
		abort(); /* a chain whose lengths disagree */
	return n;
}

uint32_t
tt_inner_frame(uint8_t *out, uint32_t len, uint16_t sport)
{
	static const uint8_t hdr[42] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
		0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 192, 168, 1, 1, 192, 168, 1, 2,
		0, 0, 0x13, 0x88, 0, 0, 0, 0,
	};
	memcpy(out, hdr, sizeof(hdr));
	for (uint32_t i = sizeof(hdr); i < len; i++)
		out[i] = (uint8_t)i;
	out[16] = (uint8_t)((len - 14) >> 8);
	out[17] = (uint8_t)(len - 14);
	out[34] = (uint8_t)(sport >> 8);
	out[35] = (uint8_t)sport;
	out[38] = (uint8_t)((len - 34) >> 8);
	out[39] = (uint8_t)(len - 34);
	return len;
}

struct sl_ip_addr
tt_ip(const char *s)
{
	struct sl_ip_addr a;
	if (sl_ip_addr_parse(s, &a) != 0)
		abort();
	return a;
}
