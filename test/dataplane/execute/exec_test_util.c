/* SPDX-License-Identifier: BSD-3-Clause */
#include "exec_test_util.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mempool.h>

#include "sl_flow_consts.h"
#include "sl_meter.h"

static struct rte_mempool *pool;

int
xt_init(void)
{
	/* --no-shconf: no shared files and no IPC socket, so one fixed prefix is safe
	 * for concurrent runs; only an empty runtime directory is made (removed in
	 * xt_fini). */
	char prefix[] = "--file-prefix=sl-exec-test";
	char *argv[] = {
		"test_execute", "--no-huge", "-m", "128", "--no-pci", "--no-shconf",
		"--no-telemetry", "--log-level=warning", "-l", "0", prefix, NULL,
	};
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	/* Cache 0: the available count is exact, which the leak checks need. */
	pool = rte_pktmbuf_pool_create("xt_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	return pool ? 0 : -1;
}

void
xt_fini(void)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_mempool_free(pool);
	pool = NULL;
	rte_eal_cleanup();
	rmdir(dir); /* fails harmlessly while another run still uses it */
}

struct rte_mempool *
xt_pool(void)
{
	return pool;
}

unsigned int
xt_avail(void)
{
	return rte_mempool_avail_count(pool);
}

/* ------------------------------------------------------------ builder ---- */

void
xt_pb_bytes(struct xt_pb *b, const void *p, unsigned int n)
{
	memcpy(b->d + b->len, p, n);
	b->len = (uint16_t)(b->len + n);
}

void
xt_pb_u16(struct xt_pb *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	xt_pb_bytes(b, x, 2);
}

static void
pb_u32(struct xt_pb *b, uint32_t v)
{
	xt_pb_u16(b, (uint16_t)(v >> 16));
	xt_pb_u16(b, (uint16_t)v);
}

void
xt_pb_eth(struct xt_pb *b, uint8_t dst_last, uint8_t src_last)
{
	memset(b, 0, sizeof(*b));
	uint8_t mac[12] = { 0x02, 0, 0, 0, 0, dst_last, 0x02, 0, 0, 0, 0, src_last };
	xt_pb_bytes(b, mac, 12);
}

void
xt_pb_vlan(struct xt_pb *b, uint16_t tpid, uint16_t tci)
{
	xt_pb_u16(b, tpid);
	xt_pb_u16(b, tci);
}

void
xt_pb_mpls(struct xt_pb *b, uint32_t label, uint8_t tc, uint8_t bos, uint8_t ttl)
{
	pb_u32(b, label << 12 | (uint32_t)tc << 9 | (uint32_t)bos << 8 | ttl);
}

void
xt_pb_ipv4(struct xt_pb *b, uint8_t proto, uint32_t src, uint32_t dst, uint8_t ttl, uint8_t tos,
	   uint16_t frag)
{
	b->l3 = b->len;
	b->ipver = 4;
	b->proto = proto;
	uint8_t h[20] = { 0x45, tos, 0, 0, 0x12, 0x34, (uint8_t)(frag >> 8), (uint8_t)frag,
			  ttl, proto, 0, 0 };
	xt_pb_bytes(b, h, 12);
	pb_u32(b, src);
	pb_u32(b, dst);
}

void
xt_pb_ipv6(struct xt_pb *b, uint8_t nh, uint8_t src_last, uint8_t dst_last, uint8_t hlim,
	   uint8_t tc, uint32_t flabel)
{
	b->l3 = b->len;
	b->ipver = 6;
	b->proto = nh;
	pb_u32(b, 6u << 28 | (uint32_t)tc << 20 | (flabel & 0xfffff));
	uint8_t h[4] = { 0, 0, nh, hlim };
	xt_pb_bytes(b, h, 4);
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	a[15] = src_last;
	xt_pb_bytes(b, a, 16);
	a[15] = dst_last;
	xt_pb_bytes(b, a, 16);
}

void
xt_pb_tcp(struct xt_pb *b, uint16_t sport, uint16_t dport, uint16_t flags)
{
	b->l4 = b->len;
	xt_pb_u16(b, sport);
	xt_pb_u16(b, dport);
	pb_u32(b, 0x01020304);
	pb_u32(b, 0x0a0b0c0d);
	xt_pb_u16(b, (uint16_t)(0x5000 | (flags & 0x0fff)));
	xt_pb_u16(b, 0xffff); /* window */
	xt_pb_u16(b, 0);      /* checksum */
	xt_pb_u16(b, 0);
}

void
xt_pb_udp(struct xt_pb *b, uint16_t sport, uint16_t dport)
{
	b->l4 = b->len;
	xt_pb_u16(b, sport);
	xt_pb_u16(b, dport);
	pb_u32(b, 0);
}

void
xt_pb_sctp(struct xt_pb *b, uint16_t sport, uint16_t dport)
{
	b->l4 = b->len;
	xt_pb_u16(b, sport);
	xt_pb_u16(b, dport);
	pb_u32(b, 0xdeadbeef); /* verification tag */
	pb_u32(b, 0);          /* checksum */
}

void
xt_pb_icmp(struct xt_pb *b, uint8_t type, uint8_t code)
{
	b->l4 = b->len;
	uint8_t h[8] = { type, code, 0, 0, 0x12, 0x34, 0, 1 };
	xt_pb_bytes(b, h, 8);
}

void
xt_pb_nd(struct xt_pb *b, uint8_t type, uint8_t target_last, uint8_t opt_type, uint8_t mac_last)
{
	b->l4 = b->len;
	uint8_t h[24] = { type, 0, 0, 0, type == 136 ? 0x60 : 0, 0, 0, 0,
			  0xfe, 0x80 };
	h[23] = target_last;
	xt_pb_bytes(b, h, 24);
	if (opt_type) {
		uint8_t o[8] = { opt_type, 1, 0x02, 0, 0, 0, 0, mac_last };
		xt_pb_bytes(b, o, 8);
	}
}

void
xt_pb_arp(struct xt_pb *b, uint16_t op, uint32_t spa, uint32_t tpa)
{
	b->l3 = b->len;
	b->ipver = 0;
	uint8_t h[8] = { 0, 1, 0x08, 0, 6, 4, (uint8_t)(op >> 8), (uint8_t)op };
	xt_pb_bytes(b, h, 8);
	uint8_t sha[6] = { 0x02, 0, 0, 0, 0, 0x11 }, tha[6] = { 0 };
	xt_pb_bytes(b, sha, 6);
	pb_u32(b, spa);
	xt_pb_bytes(b, tha, 6);
	pb_u32(b, tpa);
}

void
xt_pb_payload(struct xt_pb *b, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		b->d[b->len++] = (uint8_t)(i * 7 + 3);
}

uint32_t
xt_crc32c_ref(const uint8_t *p, unsigned int len)
{
	uint32_t crc = 0xffffffffu;
	for (unsigned int i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Internet checksum of the L4 segment with its pseudo-header (checksum field as is). */
static uint16_t
l4_sum(const uint8_t *ip, int ipver, const uint8_t *l4, unsigned int l4len, uint8_t proto)
{
	uint32_t s = 0;
	if (ipver == 4) {
		s = rte_raw_cksum(ip + 12, 8);
	} else {
		s = rte_raw_cksum(ip + 8, 32);
	}
	s += rte_cpu_to_be_16((uint16_t)l4len) + rte_cpu_to_be_16(proto);
	s += rte_raw_cksum(l4, l4len);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

bool
xt_l4_ok_as(const uint8_t *pkt, uint16_t l3, int ipver, uint8_t proto)
{
	const uint8_t *ip = pkt + l3;
	unsigned int hl = ipver == 4 ? (ip[0] & 0x0fu) * 4 : 40;
	unsigned int l4len = ipver == 4 ? rd16(ip + 2) - hl : rd16(ip + 4);
	return l4_sum(ip, ipver, ip + hl, l4len, proto) == 0xffff;
}

void
xt_pb_finish(struct xt_pb *b)
{
	if (b->ipver == 0)
		return;
	uint8_t *ip = b->d + b->l3;
	if (b->ipver == 4) {
		wr16(ip + 2, (uint16_t)(b->len - b->l3));
		wr16(ip + 10, 0);
		/* rte_ipv4_cksum() returns the value in memory (network) order. */
		uint16_t ck = rte_ipv4_cksum((const struct rte_ipv4_hdr *)ip);
		memcpy(ip + 10, &ck, 2);
	} else {
		wr16(ip + 4, (uint16_t)(b->len - b->l3 - 40));
	}
	if (!b->l4)
		return;
	uint8_t *l4 = b->d + b->l4;
	unsigned int l4len = b->len - b->l4;
	int co = -1;
	bool pseudo = true;
	switch (b->proto) {
	case 6: co = 16; break;
	case 17: co = 6; wr16(l4 + 4, (uint16_t)l4len); break;
	case 58: co = 2; break;
	case 1: co = 2; pseudo = false; break;
	case 132: {
		memset(l4 + 8, 0, 4);
		uint32_t c = xt_crc32c_ref(l4, l4len);
		l4[8] = (uint8_t)c; l4[9] = (uint8_t)(c >> 8);
		l4[10] = (uint8_t)(c >> 16); l4[11] = (uint8_t)(c >> 24);
		return;
	}
	default: return;
	}
	if (b->proto == 17 && b->udp_no_csum)
		return;
	wr16(l4 + co, 0);
	uint16_t s = pseudo ? l4_sum(ip, b->ipver, l4, l4len, b->proto)
			    : (uint16_t)rte_raw_cksum(l4, l4len);
	uint16_t ck = (uint16_t)~rte_be_to_cpu_16(s);
	if (b->proto == 17 && ck == 0)
		ck = 0xffff;
	wr16(l4 + co, ck);
}

/* Second opinion from DPDK: recompute with rte_ipv{4,6}_udptcp_cksum and compare. */
static bool
dpdk_l4_ok(uint8_t *ip, int ipver, uint8_t *l4, unsigned int co)
{
	uint16_t stored, calc;
	memcpy(&stored, l4 + co, 2);
	memset(l4 + co, 0, 2);
	calc = ipver == 4 ? rte_ipv4_udptcp_cksum((const struct rte_ipv4_hdr *)ip, l4)
			  : rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)ip, l4);
	memcpy(l4 + co, &stored, 2);
	/* DPDK writes a zero result as 0xffff (same value in one's complement). */
	return stored == calc || (calc == 0xffff && stored == 0);
}

int
xt_check_csums(const uint8_t *pkt, unsigned int len)
{
	struct sl_flow_key k;
	struct sl_pkt_layout lay;
	uint8_t buf[2048];
	int bad = 0;
	if (len > sizeof(buf))
		return 1;
	memcpy(buf, pkt, len);
	sl_flow_parse(buf, len, 0, 0, 0, &k, &lay);
	if (lay.l3_ofs == SL_OFS_NONE)
		return 0;
	uint8_t *ip = buf + lay.l3_ofs;
	int ipver = k.eth_type == rte_cpu_to_be_16(SL_ETH_IPV4) ? 4
		  : k.eth_type == rte_cpu_to_be_16(SL_ETH_IPV6) ? 6 : 0;
	if (ipver == 4) {
		uint16_t stored;
		memcpy(&stored, ip + 10, 2);
		wr16(ip + 10, 0);
		if (rte_ipv4_cksum((const struct rte_ipv4_hdr *)ip) != stored)
			bad++;
		memcpy(ip + 10, &stored, 2);
	}
	if (ipver == 0 || lay.l4_ofs == SL_OFS_NONE || (k.nw_frag & SL_FRAG_ANY))
		return bad;
	uint8_t *l4 = buf + lay.l4_ofs;
	unsigned int l4len = lay.l3_end - lay.l4_ofs;
	switch (k.ip_proto) {
	case 6: case 17: case 58:
		if (k.ip_proto == 17 && rd16(l4 + 6) == 0)
			break;
		if (k.ip_proto == 58 && ipver != 6)
			break;
		/* A correct checksum makes the whole sum 0xffff. */
		if (l4_sum(ip, ipver, l4, l4len, k.ip_proto) != 0xffff)
			bad++;
		if (k.ip_proto != 58 && !dpdk_l4_ok(ip, ipver, l4, k.ip_proto == 6 ? 16 : 6))
			bad++;
		break;
	case 1:
		if (ipver == 4 && rte_raw_cksum(l4, l4len) != 0xffff)
			bad++;
		break;
	case 132: {
		uint8_t c[4];
		memcpy(c, l4 + 8, 4);
		memset(l4 + 8, 0, 4);
		uint32_t crc = xt_crc32c_ref(l4, l4len);
		if (c[0] != (uint8_t)crc || c[1] != (uint8_t)(crc >> 8) ||
		    c[2] != (uint8_t)(crc >> 16) || c[3] != (uint8_t)(crc >> 24))
			bad++;
		break;
	}
	default:
		break;
	}
	return bad;
}

/* ------------------------------------------------------- packet kinds ---- */

void
xt_build(enum xt_kind k, struct xt_pb *b)
{
	xt_pb_eth(b, 1, 2);
	if (k == XK_VLAN_TCP4)
		xt_pb_vlan(b, SL_ETH_VLAN, 0xa123);
	if (k == XK_MPLS) {
		xt_pb_u16(b, SL_ETH_MPLS);
		xt_pb_mpls(b, 1000, 5, 1, 9);
		xt_pb_payload(b, 30);
		return;
	}
	if (k == XK_PBB) {
		/* B-DA, B-SA, 0x88e7, I-TAG, then the customer frame (C-DA, C-SA, type, data). */
		uint8_t itag[4] = { 0x40, 0x01, 0x02, 0x03 };
		uint8_t cmac[12] = { 0x02, 0, 0, 0, 0, 0x31, 0x02, 0, 0, 0, 0, 0x32 };
		xt_pb_u16(b, SL_ETH_PBB);
		xt_pb_bytes(b, itag, 4);
		xt_pb_bytes(b, cmac, 12);
		xt_pb_u16(b, SL_ETH_IPV4);
		xt_pb_payload(b, 20);
		return;
	}
	if (k == XK_ARP) {
		xt_pb_u16(b, SL_ETH_ARP);
		xt_pb_arp(b, 1, 0x0a000001, 0x0a000002);
		return;
	}
	bool v6 = k == XK_TCP6 || k == XK_UDP6 || k == XK_ICMP6 || k == XK_SCTP6 || k == XK_NS_SLL ||
		  k == XK_NA_TLL;
	uint8_t proto = k == XK_UDP4 || k == XK_UDP4_NOCSUM || k == XK_UDP6 ? SL_IPPROTO_UDP
		      : k == XK_ICMP4 ? SL_IPPROTO_ICMP
		      : k == XK_SCTP4 || k == XK_SCTP6 ? SL_IPPROTO_SCTP
		      : k == XK_ICMP6 || k == XK_NS_SLL || k == XK_NA_TLL ? SL_IPPROTO_ICMPV6
		      : SL_IPPROTO_TCP;
	xt_pb_u16(b, v6 ? SL_ETH_IPV6 : SL_ETH_IPV4);
	if (v6)
		xt_pb_ipv6(b, proto, 0x11, 0x22, 64, 0x28, 0x12345);
	else
		xt_pb_ipv4(b, proto, 0x0a000001, 0xc0a80102, 64, 0x29,
			   k == XK_FRAG4_LATER ? 0x2010 : 0);
	if (k == XK_TCP4_OPTS) {
		/* IHL 6: four NOP option bytes move the L4 header to offset 38. */
		static const uint8_t nops[4] = { 1, 1, 1, 1 };
		b->d[b->l3] = 0x46;
		xt_pb_bytes(b, nops, 4);
	}
	switch (proto) {
	case SL_IPPROTO_TCP:
		if (k == XK_FRAG4_LATER) {
			b->l4 = 0;
			break;
		}
		xt_pb_tcp(b, 1234, 80, 0x012);
		break;
	case SL_IPPROTO_UDP: xt_pb_udp(b, 5353, 53); break;
	case SL_IPPROTO_SCTP: xt_pb_sctp(b, 2905, 2906); break;
	case SL_IPPROTO_ICMP: xt_pb_icmp(b, 8, 0); break;
	default:
		if (k == XK_NS_SLL)
			xt_pb_nd(b, SL_ND_NS, 0x33, SL_ND_OPT_SLL, 0x44);
		else if (k == XK_NA_TLL)
			xt_pb_nd(b, SL_ND_NA, 0x33, SL_ND_OPT_TLL, 0x44);
		else
			xt_pb_icmp(b, 128, 0);
	}
	if (k == XK_UDP4_NOCSUM)
		b->udp_no_csum = true;
	xt_pb_payload(b, k == XK_TCP4_OPTS ? 33 : 41);
	xt_pb_finish(b);
}

struct sl_meter *
xt_meter(uint16_t band_type, uint8_t prec)
{
	struct sl_meter_band band = { .type = band_type, .prec_level = prec, .rate = 1,
				      .burst_size = 1 };
	struct sl_meter_mod mm = { .command = OFPMC_ADD, .meter_id = 1,
				   .flags = OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS,
				   .n_bands = 1, .bands = &band };
	uint16_t err = 0;
	struct sl_meter *m = sl_meter_create(&mm, 0, &err);
	return m;
}

/* ---------------------------------------------------------------- env ---- */

static void
cap_output(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m)
{
	struct xt_cap *c = ctx;
	if (c->n_out >= sizeof(c->out) / sizeof(c->out[0])) {
		rte_pktmbuf_free(m);
		return;
	}
	c->out[c->n_out++] = (struct xt_out){ ofport, in_port, m };
}

static void
cap_packet_in(void *ctx, struct rte_mbuf *m, uint8_t reason, uint8_t table_id, uint64_t cookie,
	      uint16_t max_len, uint32_t in_port, uint64_t metadata, uint64_t tunnel_id)
{
	struct xt_cap *c = ctx;
	if (c->n_pin >= sizeof(c->pin) / sizeof(c->pin[0])) {
		rte_pktmbuf_free(m);
		return;
	}
	c->pin[c->n_pin++] = (struct xt_pin){ m, reason, table_id, max_len, cookie, metadata,
					      tunnel_id, in_port };
}

static struct sl_meter *
cap_meter(void *ctx, uint32_t id)
{
	struct xt_cap *c = ctx;
	return id == 1 ? c->meter : NULL;
}

void
xt_env(struct sl_exec_env *env, struct xt_cap *c)
{
	memset(c, 0, sizeof(*c));
	memset(env, 0, sizeof(*env));
	env->ctx = c;
	env->output = cap_output;
	env->packet_in = cap_packet_in;
	env->meter = cap_meter;
	env->pool = pool;
	env->now_ns = 1000000000ull;
}

void
xt_cap_free(struct xt_cap *c)
{
	for (unsigned int i = 0; i < c->n_out; i++)
		rte_pktmbuf_free(c->out[i].m);
	for (unsigned int i = 0; i < c->n_pin; i++)
		rte_pktmbuf_free(c->pin[i].m);
	c->n_out = c->n_pin = 0;
}

struct rte_mbuf *
xt_mbuf(const uint8_t *pkt, unsigned int len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	if (m == NULL)
		return NULL;
	uint8_t *d = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(d, pkt, len);
	/* Canary in the tailroom: tests check nothing was written past the packet. */
	memset(d + len, XT_CANARY, rte_pktmbuf_tailroom(m));
	return m;
}

bool
xt_canary_ok(const struct rte_mbuf *m)
{
	const uint8_t *end = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->data_len);
	for (uint16_t i = 0; i < rte_pktmbuf_tailroom((struct rte_mbuf *)(uintptr_t)m); i++)
		if (end[i] != XT_CANARY)
			return false;
	return true;
}

void
xt_exec(const struct sl_exec_action *acts, unsigned int n, struct rte_mbuf *m,
	const struct sl_exec_env *env, struct sl_exec_stats *st)
{
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	sl_flow_parse_mbuf(m, 7, 7, 0x55, &key, &lay);
	key.metadata = rte_cpu_to_be_64(0x1122334455667788ull);
	sl_execute(acts, n, m, &key, &lay, env, st);
}

/* ------------------------------------------------------------ actions ---- */

struct sl_exec_action
xt_output(uint32_t port)
{
	struct sl_exec_action a;
	memset(&a, 0, sizeof(a));
	a.type = SL_EXEC_OUTPUT;
	a.output.port = port;
	return a;
}

struct sl_exec_action
xt_clone(uint16_t n)
{
	struct sl_exec_action a;
	memset(&a, 0, sizeof(a));
	a.type = SL_EXEC_CLONE;
	a.clone.n = n;
	return a;
}

struct sl_exec_action
xt_set(uint8_t field, uint8_t layer, uint16_t offset, uint8_t len, uint8_t csum,
       const void *value, const void *mask)
{
	struct sl_exec_action a;
	memset(&a, 0, sizeof(a));
	a.type = SL_EXEC_SET_FIELD;
	a.set_field.field = field;
	a.set_field.layer = layer;
	a.set_field.offset = offset;
	a.set_field.len = len;
	a.set_field.csum = csum;
	memcpy(a.set_field.value, value, len);
	if (mask)
		memcpy(a.set_field.mask, mask, len);
	else
		memset(a.set_field.mask, 0xff, len);
	return a;
}

struct sl_exec_action
xt_simple(uint8_t type, uint16_t ethertype)
{
	struct sl_exec_action a;
	memset(&a, 0, sizeof(a));
	a.type = type;
	a.push.ethertype = ethertype;
	return a;
}

struct sl_exec_action
xt_ttl(uint8_t type, uint8_t ttl, uint8_t to_controller)
{
	struct sl_exec_action a;
	memset(&a, 0, sizeof(a));
	a.type = type;
	a.ttl.ttl = ttl;
	a.ttl.to_controller = to_controller;
	a.ttl.table_id = 3;
	a.ttl.cookie = 0xc00c1e;
	return a;
}
