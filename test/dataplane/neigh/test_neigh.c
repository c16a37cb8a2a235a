/* SPDX-License-Identifier: BSD-3-Clause */
/* The underlay neighbour table (dataplane/neigh): resolution by ARP and ND
 * with the frames a worker hands over, parked packets and their bound,
 * retries with back-off, failure, aging and refresh, static entries, the
 * answers to requests for local addresses, bad input. The workers' side and
 * the control lcore's run in one thread, in the order a test chooses (EAL
 * --no-huge; the clock is the test's). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "cunit_main.h"
#include "sl_neigh.h"
#include "sl_neigh_proto.h"

static struct rte_mempool *pool;
static const char *scapy_dir; /* test/fuzz/corpus/neigh: frames scapy built */

static const struct rte_ether_addr mac_local = { { 0x02, 0, 0, 0, 0, 0x01 } };
static const struct rte_ether_addr mac_peer = { { 0x02, 0, 0, 0, 0, 0x02 } };
static const struct rte_ether_addr mac_peer2 = { { 0x02, 0, 0, 0, 0, 0x03 } };
static const struct rte_ether_addr bcast = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
static const struct rte_ether_addr zero_mac;

static struct sl_ip_addr
ip(const char *s)
{
	struct sl_ip_addr a;

	CU_ASSERT_FATAL(sl_ip_addr_parse(s, &a) == 0);
	return a;
}

static struct sl_neigh_table *
table(unsigned int queue_len, unsigned int ring_size)
{
	static unsigned int n;
	struct sl_neigh_params p;
	char name[32];
	struct sl_neigh_table *t;

	sl_neigh_params_default(&p);
	p.n_workers = 1;
	p.socket = SOCKET_ID_ANY;
	p.pool = pool;
	p.timeout_ms = 4000;
	p.retry_ms = 1000;
	p.retries = 3;
	p.queue_len = queue_len;
	p.ring_size = ring_size;
	snprintf(name, sizeof(name), "nt%u", n++);
	t = sl_neigh_create(name, &p);
	CU_ASSERT_FATAL(t != NULL);
	return t;
}

static struct rte_mbuf *
frame(const uint8_t *f, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	CU_ASSERT_FATAL(m != NULL);
	memcpy(rte_pktmbuf_append(m, (uint16_t)len), f, len);
	return m;
}

/* An encapsulated packet: outer Ethernet with a zero destination, a tag byte. */
static struct rte_mbuf *
encap_pkt(uint8_t tag)
{
	uint8_t f[64] = { 0 };

	memcpy(f + 6, &mac_local, 6);
	f[12] = 0x08;
	f[20] = tag;
	return frame(f, sizeof(f));
}

/* What the control lcore asked a worker to send. */
static unsigned int
drain(struct sl_neigh_table *t, struct rte_mbuf **pkts, unsigned int max)
{
	uint16_t ports[64];

	return sl_neigh_worker_drain(t, 0, pkts, ports, max);
}

static void
free_all(struct rte_mbuf **pkts, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
}

static void
parse_mbuf(struct rte_mbuf *m, struct sl_neigh_msg *msg)
{
	CU_ASSERT_FATAL(m->nb_segs == 1);
	CU_ASSERT_EQUAL_FATAL(sl_neigh_parse(rte_pktmbuf_mtod(m, uint8_t *), m->pkt_len, msg),
			      SL_NEIGH_OK);
}

static void
arp_reply_in(struct sl_neigh_table *t, const char *from, const struct rte_ether_addr *mac,
	     const char *to)
{
	uint8_t f[SL_NEIGH_FRAME_MAX];
	struct sl_ip_addr s = ip(from), d = ip(to);
	size_t len = sl_neigh_build_arp(f, true, &mac_local, mac, s.addr, &mac_local, d.addr);

	CU_ASSERT_TRUE(sl_neigh_input(t, 0, 0, frame(f, len)));
}

static int
peek_fn(const struct sl_neigh_entry_info *e, void *arg)
{
	struct sl_neigh_entry_info *want = arg;

	if (memcmp(&e->ip, &want->ip, sizeof(e->ip)) == 0) {
		*want = *e;
		return 1;
	}
	return 0;
}

/* An entry as the control lcore sees it, without marking it used as a
 * worker's lookup does; state NULL when there is none. */
static struct sl_neigh_entry_info
peek(struct sl_neigh_table *t, const struct sl_ip_addr *a)
{
	struct sl_neigh_entry_info e = { .ip = *a };

	sl_neigh_walk(t, 0, peek_fn, &e);
	return e;
}

static void
test_proto_roundtrip(void)
{
	uint8_t f[SL_NEIGH_FRAME_MAX];
	struct sl_ip_addr a = ip("2001:db8::1"), b = ip("2001:db8::2");
	struct sl_neigh_msg msg;
	size_t len;

	len = sl_neigh_build_arp(f, false, &bcast, &mac_local, ip("10.0.0.1").addr, &zero_mac,
				 ip("10.0.0.2").addr);
	CU_ASSERT_EQUAL(len, 60);
	CU_ASSERT_EQUAL(sl_neigh_parse(f, len, &msg), SL_NEIGH_OK);
	CU_ASSERT_EQUAL(msg.kind, SL_NEIGH_ARP_REQUEST);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&msg.lladdr, &mac_local));
	CU_ASSERT_EQUAL(memcmp(msg.target.addr, ip("10.0.0.2").addr, 16), 0);
	CU_ASSERT_TRUE(sl_neigh_maybe(f, len));

	len = sl_neigh_build_ns(f, &mac_local, a.addr, b.addr, NULL);
	CU_ASSERT_EQUAL(sl_neigh_parse(f, len, &msg), SL_NEIGH_OK);
	CU_ASSERT_EQUAL(msg.kind, SL_NEIGH_NS);
	CU_ASSERT_TRUE(msg.has_lladdr);
	/* solicited-node group of 2001:db8::2 */
	CU_ASSERT_EQUAL(f[0], 0x33);
	CU_ASSERT_EQUAL(f[2], 0xff);
	CU_ASSERT_EQUAL(f[5], 0x02);
	CU_ASSERT_EQUAL(msg.ip_dst.addr[0], 0xff);
	CU_ASSERT_EQUAL(msg.ip_dst.addr[15], 0x02);

	len = sl_neigh_build_na(f, &mac_peer, b.addr, &mac_local, a.addr, true);
	CU_ASSERT_EQUAL(sl_neigh_parse(f, len, &msg), SL_NEIGH_OK);
	CU_ASSERT_EQUAL(msg.kind, SL_NEIGH_NA);
	CU_ASSERT_TRUE(msg.solicited && msg.override && !msg.gratuitous);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&msg.lladdr, &mac_peer));
}

static void
test_proto_bad_input(void)
{
	uint8_t f[SL_NEIGH_FRAME_MAX], g[SL_NEIGH_FRAME_MAX];
	struct sl_ip_addr a = ip("2001:db8::1"), b = ip("2001:db8::2");
	struct sl_neigh_msg msg;
	size_t len;

	len = sl_neigh_build_na(f, &mac_peer, b.addr, &mac_local, a.addr, true);
	/* every truncation is refused, none read past the end (ASan) */
	for (size_t l = 0; l < len; l++) {
		uint8_t *cut = malloc(l ? l : 1);

		memcpy(cut, f, l);
		CU_ASSERT_NOT_EQUAL(sl_neigh_parse(cut, l, &msg), SL_NEIGH_OK);
		free(cut);
	}
	memcpy(g, f, len);
	g[14 + 7] = 64; /* hop limit: from off-link */
	CU_ASSERT_EQUAL(sl_neigh_parse(g, len, &msg), SL_NEIGH_BAD_HOPLIMIT);
	memcpy(g, f, len);
	g[14 + 40 + 20] ^= 1; /* a byte of the target: checksum wrong */
	CU_ASSERT_EQUAL(sl_neigh_parse(g, len, &msg), SL_NEIGH_BAD_CSUM);
	memcpy(g, f, len);
	g[14 + 40 + 24 + 1] = 0; /* option length 0 (checksum fixed up below) */
	g[14 + 40 + 2] = 0;
	g[14 + 40 + 3] = 0;
	{
		/* recompute: build the same frame through the parser's rule */
		uint32_t sum = 0;
		const uint8_t *ip6 = g + 14;

		for (int i = 8; i < 40; i += 2)
			sum += (uint32_t)(ip6[i] << 8 | ip6[i + 1]);
		sum += 32 + 58;
		for (int i = 0; i < 32; i += 2)
			sum += (uint32_t)(ip6[40 + i] << 8 | ip6[40 + i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		g[14 + 40 + 2] = (uint8_t)(~sum >> 8);
		g[14 + 40 + 3] = (uint8_t)~sum;
	}
	CU_ASSERT_EQUAL(sl_neigh_parse(g, len, &msg), SL_NEIGH_BAD_OPTION);

	len = sl_neigh_build_arp(f, true, &mac_local, &mac_peer, ip("10.0.0.2").addr, &mac_local,
				 ip("10.0.0.1").addr);
	memcpy(g, f, len);
	g[14 + 4] = 7; /* hardware address length */
	CU_ASSERT_EQUAL(sl_neigh_parse(g, len, &msg), SL_NEIGH_BAD_ARP);
	memcpy(g, f, len);
	g[14 + 7] = 9; /* operation */
	CU_ASSERT_EQUAL(sl_neigh_parse(g, len, &msg), SL_NEIGH_BAD_ARP);
	memcpy(g, f, len);
	g[14 + 8] = 0x01; /* multicast sender MAC */
	CU_ASSERT_EQUAL(sl_neigh_parse(g, len, &msg), SL_NEIGH_BAD_ADDRESS);
	memcpy(g, f, len);
	g[14 + 14] = 224; /* multicast sender IP */
	CU_ASSERT_EQUAL(sl_neigh_parse(g, len, &msg), SL_NEIGH_BAD_ADDRESS);
	memcpy(g, f, len);
	g[12] = 0x81; /* a VLAN tag: not looked through */
	g[13] = 0x00;
	CU_ASSERT_EQUAL(sl_neigh_parse(g, len, &msg), SL_NEIGH_BAD_ETHERTYPE);
	CU_ASSERT_FALSE(sl_neigh_maybe(g, len));
}

static size_t
read_frame(const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", scapy_dir, name);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* Frames scapy built (test/fuzz/corpus/neigh, the fuzz target's seeds)
 * parse as they should, and ours are byte for byte scapy's. */
static void
test_scapy_frames(void)
{
	static const struct { const char *name; enum sl_neigh_msg_kind kind; bool grat; } v[] = {
		{ "arp_request", SL_NEIGH_ARP_REQUEST, false }, { "arp_reply", SL_NEIGH_ARP_REPLY, false },
		{ "garp", SL_NEIGH_ARP_REQUEST, true }, { "ns", SL_NEIGH_NS, false },
		{ "ns_dad", SL_NEIGH_NS, false }, { "na", SL_NEIGH_NA, false },
		{ "na_unsolicited", SL_NEIGH_NA, true },
	};
	struct sl_ip_addr l6 = ip("2001:db8::1"), p6 = ip("2001:db8::2");
	uint8_t buf[256], ours[SL_NEIGH_FRAME_MAX];
	struct sl_neigh_msg msg;
	size_t n, len;

	for (unsigned int i = 0; i < RTE_DIM(v); i++) {
		n = read_frame(v[i].name, buf, sizeof(buf));
		CU_ASSERT_EQUAL(sl_neigh_parse(buf, n, &msg), SL_NEIGH_OK);
		CU_ASSERT_EQUAL(msg.kind, v[i].kind);
		CU_ASSERT_EQUAL(msg.gratuitous, v[i].grat);
		CU_ASSERT_TRUE(sl_neigh_maybe(buf, n));
	}
	n = read_frame("arp_reply", buf, sizeof(buf));
	len = sl_neigh_build_arp(ours, true, &mac_local, &mac_peer, ip("10.0.0.2").addr, &mac_local,
				 ip("10.0.0.1").addr);
	CU_ASSERT_EQUAL(n, 42); /* scapy does not pad; we do, with zeros */
	CU_ASSERT_EQUAL(memcmp(buf, ours, n), 0);
	n = read_frame("na", buf, sizeof(buf));
	len = sl_neigh_build_na(ours, &mac_peer, p6.addr, &mac_local, l6.addr, true);
	CU_ASSERT_EQUAL(n, len);
	CU_ASSERT_EQUAL(memcmp(buf, ours, n), 0); /* the ICMPv6 checksum too */
	n = read_frame("ns", buf, sizeof(buf));
	len = sl_neigh_build_ns(ours, &mac_peer, p6.addr, l6.addr, NULL);
	CU_ASSERT_EQUAL(n, len);
	CU_ASSERT_EQUAL(memcmp(buf, ours, n), 0);
}

/* Packets parked for an unknown next hop: one ARP request, then the
 * reply sends them in order with the learned MAC; the bound holds. */
static void
test_resolve_arp_and_queue_bound(void)
{
	struct sl_neigh_table *t = table(4, 256);
	struct sl_ip_addr peer = ip("10.0.0.2");
	struct rte_mbuf *out[64];
	struct rte_ether_addr mac;
	struct sl_neigh_stats st;
	struct sl_neigh_msg msg;
	unsigned int n;

	CU_ASSERT_EQUAL(sl_neigh_local_add(t, 0, &(struct sl_ip_addr){ 0 }, &mac_local), -EINVAL);
	CU_ASSERT_EQUAL(sl_neigh_local_add(t, 0, &(struct sl_ip_addr){ .family = AF_INET,
				.addr = { 10, 0, 0, 1 } }, &mac_local), 0);
	CU_ASSERT_EQUAL(sl_neigh_local_add(t, 0, &(struct sl_ip_addr){ .family = AF_INET,
				.addr = { 10, 0, 0, 1 } }, &mac_local), -EEXIST);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &peer, &mac), -ENOENT);
	for (uint8_t i = 0; i < 6; i++)
		sl_neigh_park(t, 0, 0, &peer, encap_pkt(i));
	CU_ASSERT_TRUE(sl_neigh_pending(t));
	CU_ASSERT_EQUAL(sl_neigh_run(t, 0), 6);
	n = drain(t, out, 64);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	parse_mbuf(out[0], &msg);
	CU_ASSERT_EQUAL(msg.kind, SL_NEIGH_ARP_REQUEST);
	CU_ASSERT_TRUE(rte_is_broadcast_ether_addr(&msg.eth_dst));
	CU_ASSERT_EQUAL(memcmp(msg.sender.addr, (uint8_t[]){ 10, 0, 0, 1 }, 4), 0);
	CU_ASSERT_EQUAL(memcmp(msg.target.addr, peer.addr, 4), 0);
	free_all(out, n);

	arp_reply_in(t, "10.0.0.2", &mac_peer, "10.0.0.1");
	sl_neigh_run(t, 10);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &peer, &mac), 0);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&mac, &mac_peer));
	n = drain(t, out, 64);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	for (unsigned int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(memcmp(rte_pktmbuf_mtod(out[i], uint8_t *), &mac_peer, 6), 0);
		CU_ASSERT_EQUAL(rte_pktmbuf_mtod(out[i], uint8_t *)[20], i); /* in order */
	}
	free_all(out, n);
	sl_neigh_stats_get(t, &st);
	CU_ASSERT_EQUAL(st.drop_queue_full, 2);
	CU_ASSERT_EQUAL(st.parked_sent, 4);
	CU_ASSERT_EQUAL(st.requests_sent, 1);
	CU_ASSERT_EQUAL(st.learned, 1);
	CU_ASSERT_EQUAL(st.resolved, 1);
	sl_neigh_free(t);
}

static void
add_local4(struct sl_neigh_table *t)
{
	CU_ASSERT_EQUAL(sl_neigh_local_add(t, 0, &(struct sl_ip_addr){ .family = AF_INET,
				.addr = { 10, 0, 0, 1 } }, &mac_local), 0);
}

/* No answer: requests at 0, 1 s, 3 s (back-off), given up at 7 s; the
 * parked packets dropped and counted; the entry freed after a hold-down. */
static void
test_retries_backoff_and_failure(void)
{
	struct sl_neigh_table *t = table(4, 256);
	struct sl_ip_addr peer = ip("10.0.0.9");
	struct rte_mbuf *out[64];
	struct sl_neigh_stats st;
	const uint64_t times[] = { 0, 500, 1000, 2000, 2900, 3000, 6900, 7000 };
	const unsigned int sent[] = { 1, 0, 1, 0, 0, 1, 0, 0 };
	unsigned int count = 0;

	add_local4(t);
	sl_neigh_park(t, 0, 0, &peer, encap_pkt(1));
	sl_neigh_park(t, 0, 0, &peer, encap_pkt(2));
	for (unsigned int i = 0; i < RTE_DIM(times); i++) {
		unsigned int n;

		sl_neigh_run(t, times[i] + 100); /* + SCAN_MS: the scan is due */
		n = drain(t, out, 64);
		CU_ASSERT_EQUAL(n, sent[i]);
		count += n;
		free_all(out, n);
	}
	CU_ASSERT_EQUAL(count, 3);
	sl_neigh_stats_get(t, &st);
	CU_ASSERT_EQUAL(st.failed, 1);
	CU_ASSERT_EQUAL(st.drop_unresolved, 2);
	/* during the hold-down a new packet is dropped, not asked for */
	sl_neigh_park(t, 0, 0, &peer, encap_pkt(3));
	sl_neigh_run(t, 7200);
	CU_ASSERT_EQUAL(drain(t, out, 64), 0);
	sl_neigh_stats_get(t, &st);
	CU_ASSERT_EQUAL(st.drop_unresolved, 3);
	CU_ASSERT_EQUAL(st.entries, 1);
	sl_neigh_run(t, 9200);
	sl_neigh_stats_get(t, &st);
	CU_ASSERT_EQUAL(st.entries, 0);
	sl_neigh_free(t);
}

static void
learn_peer(struct sl_neigh_table *t, struct sl_ip_addr *peer, uint64_t now)
{
	struct rte_mbuf *out[64];

	CU_ASSERT_EQUAL(sl_neigh_want(t, 0, peer, true), 0);
	sl_neigh_run(t, now);
	free_all(out, drain(t, out, 64));
	arp_reply_in(t, "10.0.0.2", &mac_peer, "10.0.0.1");
	sl_neigh_run(t, now);
	CU_ASSERT_EQUAL(sl_neigh_want(t, 0, peer, false), 0);
}

/* An entry nobody uses expires at the timeout; one in use is asked for
 * again (unicast) at 3/4 of it and lives on when answered. */
static void
test_aging_and_refresh(void)
{
	struct sl_neigh_table *t = table(4, 256);
	struct sl_ip_addr peer = ip("10.0.0.2");
	struct rte_ether_addr mac;
	struct rte_mbuf *out[64];
	struct sl_neigh_stats st;
	struct sl_neigh_entry_info e;
	struct sl_neigh_msg msg;
	unsigned int n;

	add_local4(t);
	learn_peer(t, &peer, 0);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &peer, &mac), 0); /* used */
	sl_neigh_run(t, 3100); /* past 3/4 of 4 s */
	n = drain(t, out, 64);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	parse_mbuf(out[0], &msg);
	CU_ASSERT_EQUAL(msg.kind, SL_NEIGH_ARP_REQUEST);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&msg.eth_dst, &mac_peer)); /* unicast */
	free_all(out, n);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &peer, &mac), 0); /* still usable */
	arp_reply_in(t, "10.0.0.2", &mac_peer2, "10.0.0.1"); /* and it moved */
	sl_neigh_run(t, 3200);
	e = peek(t, &peer);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&e.mac, &mac_peer2));
	CU_ASSERT_STRING_EQUAL(peek(t, &peer).state, "reachable");
	/* not used since: no request at 3/4, gone at the timeout */
	sl_neigh_run(t, 3200 + 3100);
	CU_ASSERT_EQUAL(drain(t, out, 64), 0);
	sl_neigh_run(t, 3200 + 3900);
	CU_ASSERT_PTR_NOT_NULL(peek(t, &peer).state);
	sl_neigh_run(t, 3200 + 4100);
	CU_ASSERT_PTR_NULL(peek(t, &peer).state);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &peer, &mac), -ENOENT);
	sl_neigh_stats_get(t, &st);
	CU_ASSERT_EQUAL(st.aged, 1);
	CU_ASSERT_EQUAL(st.entries, 0);
	sl_neigh_free(t);
}

/* ARP requests and neighbour solicitations for a local address are taken
 * and answered; others are left to the switch. */
static void
test_answers(void)
{
	struct sl_neigh_table *t = table(4, 256);
	struct sl_ip_addr l6 = ip("2001:db8::1"), p6 = ip("2001:db8::2"), other = ip("10.0.0.7");
	uint8_t f[SL_NEIGH_FRAME_MAX];
	struct rte_mbuf *out[64], *m;
	struct rte_ether_addr mac;
	struct sl_neigh_msg msg;
	size_t len;
	unsigned int n;

	add_local4(t);
	CU_ASSERT_EQUAL(sl_neigh_local_add(t, 0, &l6, &mac_local), 0);
	len = sl_neigh_build_arp(f, false, &bcast, &mac_peer, ip("10.0.0.2").addr, &zero_mac,
				 ip("10.0.0.1").addr);
	CU_ASSERT_TRUE(sl_neigh_input(t, 0, 0, frame(f, len)));
	CU_ASSERT_FALSE(sl_neigh_input(t, 0, 1, m = frame(f, len))); /* not on port 1 */
	rte_pktmbuf_free(m);
	len = sl_neigh_build_arp(f, false, &bcast, &mac_peer, ip("10.0.0.2").addr, &zero_mac,
				 other.addr);
	CU_ASSERT_FALSE(sl_neigh_input(t, 0, 0, m = frame(f, len))); /* not ours */
	rte_pktmbuf_free(m);
	len = sl_neigh_build_ns(f, &mac_peer, p6.addr, l6.addr, NULL);
	CU_ASSERT_TRUE(sl_neigh_input(t, 0, 0, frame(f, len)));
	sl_neigh_run(t, 0);
	n = drain(t, out, 64);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	parse_mbuf(out[0], &msg);
	CU_ASSERT_EQUAL(msg.kind, SL_NEIGH_ARP_REPLY);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&msg.eth_dst, &mac_peer));
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&msg.lladdr, &mac_local));
	CU_ASSERT_EQUAL(memcmp(msg.sender.addr, (uint8_t[]){ 10, 0, 0, 1 }, 4), 0);
	CU_ASSERT_EQUAL(memcmp(msg.target.addr, (uint8_t[]){ 10, 0, 0, 2 }, 4), 0);
	parse_mbuf(out[1], &msg); /* checksum checked by the parser */
	CU_ASSERT_EQUAL(msg.kind, SL_NEIGH_NA);
	CU_ASSERT_TRUE(msg.solicited && msg.override);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&msg.eth_dst, &mac_peer));
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&msg.lladdr, &mac_local));
	CU_ASSERT_EQUAL(memcmp(msg.target.addr, l6.addr, 16), 0);
	CU_ASSERT_EQUAL(memcmp(msg.ip_dst.addr, p6.addr, 16), 0);
	free_all(out, n);
	/* the askers were learned on the way (RFC 826, RFC 4861 7.2.3) */
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &p6, &mac), 0);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &(struct sl_ip_addr){ .family = AF_INET,
				.addr = { 10, 0, 0, 2 } }, &mac), 0);
	sl_neigh_free(t);
}

/* IPv6: an NS to the solicited-node group, the NA learned; a chained
 * frame read across its segments. */
static void
test_resolve_nd_chained(void)
{
	struct sl_neigh_table *t = table(4, 256);
	struct sl_ip_addr l6 = ip("2001:db8::1"), p6 = ip("2001:db8::2");
	uint8_t f[SL_NEIGH_FRAME_MAX];
	struct rte_mbuf *out[64], *m, *tail;
	struct rte_ether_addr mac;
	struct sl_neigh_msg msg;
	size_t len;
	unsigned int n;

	CU_ASSERT_EQUAL(sl_neigh_local_add(t, 0, &l6, &mac_local), 0);
	sl_neigh_park(t, 0, 0, &p6, encap_pkt(7));
	sl_neigh_run(t, 0);
	n = drain(t, out, 64);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	parse_mbuf(out[0], &msg);
	CU_ASSERT_EQUAL(msg.kind, SL_NEIGH_NS);
	CU_ASSERT_EQUAL(memcmp(msg.target.addr, p6.addr, 16), 0);
	free_all(out, n);
	len = sl_neigh_build_na(f, &mac_peer, p6.addr, &mac_local, l6.addr, true);
	m = frame(f, 30);
	tail = frame(f + 30, len - 30);
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_chain(m, tail), 0);
	CU_ASSERT_TRUE(sl_neigh_input(t, 0, 0, m));
	sl_neigh_run(t, 5);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &p6, &mac), 0);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&mac, &mac_peer));
	n = drain(t, out, 64);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(memcmp(rte_pktmbuf_mtod(out[0], uint8_t *), &mac_peer, 6), 0);
	free_all(out, n);
	sl_neigh_free(t);
}

/* Gratuitous ARP of a known neighbour: the switch keeps the frame (the
 * control lcore had a reference of its own) and the entry moves; a static
 * entry does not, and never ages. */
static void
test_gratuitous_and_static(void)
{
	struct sl_neigh_table *t = table(4, 256);
	struct sl_ip_addr peer = ip("10.0.0.2"), st_ip = ip("10.0.0.3");
	uint8_t f[SL_NEIGH_FRAME_MAX];
	struct rte_ether_addr mac;
	struct rte_mbuf *m, *out[64];
	size_t len;

	add_local4(t);
	learn_peer(t, &peer, 0);
	len = sl_neigh_build_arp(f, false, &bcast, &mac_peer2, peer.addr, &zero_mac, peer.addr);
	m = frame(f, len);
	CU_ASSERT_FALSE(sl_neigh_input(t, 0, 0, m));
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 2);
	sl_neigh_run(t, 10);
	CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1);
	rte_pktmbuf_free(m);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 0, &peer, &mac), 0);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&mac, &mac_peer2));

	CU_ASSERT_EQUAL(sl_neigh_static_add(t, UINT16_MAX, &st_ip, &mac_peer), 0);
	CU_ASSERT_EQUAL(sl_neigh_static_add(t, 0, &st_ip, &bcast), -EINVAL);
	CU_ASSERT_EQUAL(sl_neigh_static_add(t, 0, &(struct sl_ip_addr){ .family = AF_INET,
				.addr = { 239, 1, 1, 1 } }, &mac_peer), -EINVAL);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 5, &st_ip, &mac), 0); /* any port */
	len = sl_neigh_build_arp(f, false, &bcast, &mac_peer2, st_ip.addr, &zero_mac, st_ip.addr);
	m = frame(f, len);
	CU_ASSERT_FALSE(sl_neigh_input(t, 0, 5, m));
	sl_neigh_run(t, 20);
	rte_pktmbuf_free(m);
	sl_neigh_run(t, 1000000);
	CU_ASSERT_EQUAL(sl_neigh_lookup(t, 5, &st_ip, &mac), 0);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&mac, &mac_peer));
	free_all(out, drain(t, out, 64)); /* the refresh of 10.0.0.2 */
	/* a packet parked in a race with the static entry goes out */
	sl_neigh_park(t, 0, 2, &st_ip, encap_pkt(9));
	sl_neigh_run(t, 1000001);
	CU_ASSERT_EQUAL(drain(t, out, 64), 1);
	CU_ASSERT_EQUAL(memcmp(rte_pktmbuf_mtod(out[0], uint8_t *), &mac_peer, 6), 0);
	rte_pktmbuf_free(out[0]);
	sl_neigh_free(t);
}

/* A full ring to the control lcore drops and counts; malformed frames
 * that look like ours are refused by the control lcore and counted. */
static void
test_ring_full_and_bad_frames(void)
{
	struct sl_neigh_table *t = table(4, 4); /* 3 records */
	struct sl_ip_addr peer = ip("10.0.0.2");
	uint8_t f[SL_NEIGH_FRAME_MAX];
	struct rte_mbuf *out[64], *m;
	struct sl_neigh_stats st;
	size_t len;

	add_local4(t);
	for (uint8_t i = 0; i < 5; i++)
		sl_neigh_park(t, 0, 0, &peer, encap_pkt(i));
	sl_neigh_stats_get(t, &st);
	CU_ASSERT_EQUAL(st.drop_ring_full, 2);
	sl_neigh_run(t, 0);
	free_all(out, drain(t, out, 64));
	len = sl_neigh_build_arp(f, true, &mac_local, &mac_peer, peer.addr, &mac_local,
				 (uint8_t[]){ 10, 0, 0, 1 });
	f[14 + 5] = 16; /* protocol address length */
	CU_ASSERT_TRUE(sl_neigh_input(t, 0, 0, frame(f, len)));
	m = frame(f, 41); /* truncated: not even looked at, the switch has it */
	CU_ASSERT_FALSE(sl_neigh_input(t, 0, 0, m));
	rte_pktmbuf_free(m);
	sl_neigh_run(t, 1);
	sl_neigh_stats_get(t, &st);
	CU_ASSERT_EQUAL(st.bad_input, 1);
	CU_ASSERT_EQUAL(st.input_taken, 1);
	sl_neigh_free(t); /* parked packets freed with it (ASan: no leak) */
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "64", "--no-pci", "--no-shconf",
			"--log-level=lib.eal:error" };
	const struct cunit_test tests[] = {
		{ "ARP / ND frames built and parsed back", test_proto_roundtrip },
		{ "bad ARP / ND frames refused by reason", test_proto_bad_input },
		{ "scapy's frames parse; ours are scapy's bytes", test_scapy_frames },
		{ "ARP resolves parked packets, in order, bounded", test_resolve_arp_and_queue_bound },
		{ "no answer: retries with back-off, failure, hold-down", test_retries_backoff_and_failure },
		{ "aging, and refresh while in use", test_aging_and_refresh },
		{ "ARP and NS for local addresses answered", test_answers },
		{ "ND resolves, chained frames read", test_resolve_nd_chained },
		{ "gratuitous ARP shared and learned; static entries", test_gratuitous_and_static },
		{ "ring full and malformed frames counted", test_ring_full_and_bad_frames },
	};
	int rc;

	scapy_dir = argc > 1 ? argv[1] : "test/fuzz/corpus/neigh";
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0)
		return 1;
	pool = rte_pktmbuf_pool_create("neigh_t", 1024, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		return 1;
	rc = cunit_run_suite("neigh", tests, CUNIT_N_TESTS(tests));
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return rc;
}
