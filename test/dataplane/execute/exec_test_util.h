/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers for the executor tests: EAL without hugepages, a small mbuf pool,
 * a byte-by-byte packet builder, a capturing sl_exec_env and checksum checks
 * by full recomputation.
 */
#ifndef SL_EXEC_TEST_UTIL_H
#define SL_EXEC_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_execute.h"
#include "sl_flow_parse.h"

#include "cunit_main.h"


/**
 * The whole main() of a test_execute* program (exec_test_main.c, CUnit):
 * xt_init(), @p setup once (NULL: none), the suite's @p n tests in order,
 * @p teardown (NULL: none), xt_fini().
 * @return the exit status: 0 when every test passed, 1 otherwise.
 */
int xt_run_suite(const char *suite, const struct cunit_test *tests, unsigned int n,
		 void (*setup)(void), void (*teardown)(void));

/** Start EAL (--no-huge, no PCI, no shared config) and create the test pool. 0 on success. */
int xt_init(void);
/** Free the pool, stop EAL and remove its (empty) runtime directory. */
void xt_fini(void);
/** The test pool (cache size 0, so its available count is exact). */
struct rte_mempool *xt_pool(void);
/** Free mbufs in the pool. */
unsigned int xt_avail(void);

/** Packet builder: append headers in order, then xt_pb_finish() fixes lengths and checksums. */
struct xt_pb {
	uint8_t d[1600];
	uint16_t len;
	uint16_t l3, l4;  /* 0: none */
	int ipver;        /* 4, 6 or 0 */
	uint8_t proto;
	bool udp_no_csum; /* IPv4 UDP: leave the checksum 0 */
};
void xt_pb_eth(struct xt_pb *b, uint8_t dst_last, uint8_t src_last);
void xt_pb_u16(struct xt_pb *b, uint16_t v);
void xt_pb_bytes(struct xt_pb *b, const void *p, unsigned int n);
void xt_pb_vlan(struct xt_pb *b, uint16_t tpid, uint16_t tci);
void xt_pb_mpls(struct xt_pb *b, uint32_t label, uint8_t tc, uint8_t bos, uint8_t ttl);
/** IPv4 header (ethertype must already be written); @frag: flags+offset word. */
void xt_pb_ipv4(struct xt_pb *b, uint8_t proto, uint32_t src, uint32_t dst, uint8_t ttl,
		uint8_t tos, uint16_t frag);
void xt_pb_ipv6(struct xt_pb *b, uint8_t nh, uint8_t src_last, uint8_t dst_last, uint8_t hlim,
		uint8_t tc, uint32_t flabel);
void xt_pb_tcp(struct xt_pb *b, uint16_t sport, uint16_t dport, uint16_t flags);
void xt_pb_udp(struct xt_pb *b, uint16_t sport, uint16_t dport);
void xt_pb_sctp(struct xt_pb *b, uint16_t sport, uint16_t dport);
void xt_pb_icmp(struct xt_pb *b, uint8_t type, uint8_t code);
/** ICMPv6 NS (135) / NA (136) with one option of @opt_type (1 SLL / 2 TLL), 0 = none. */
void xt_pb_nd(struct xt_pb *b, uint8_t type, uint8_t target_last, uint8_t opt_type,
	      uint8_t mac_last);
void xt_pb_arp(struct xt_pb *b, uint16_t op, uint32_t spa, uint32_t tpa);
/** Append @n payload bytes (a counting pattern). */
void xt_pb_payload(struct xt_pb *b, unsigned int n);
/** Fill IP lengths and all checksums. */
void xt_pb_finish(struct xt_pb *b);

/** Ready-made frames for table-driven tests (xt_build). */
enum xt_kind {
	XK_TCP4, XK_UDP4, XK_UDP4_NOCSUM, XK_ICMP4, XK_SCTP4, XK_TCP6, XK_UDP6, XK_ICMP6, XK_SCTP6,
	XK_NS_SLL, XK_NA_TLL, XK_ARP, XK_VLAN_TCP4, XK_MPLS, XK_PBB, XK_FRAG4_LATER,
	XK_TCP4_OPTS, /* IPv4 header with options, odd payload length */
};
/** Build a complete, valid frame of kind @k (checksums right). */
void xt_build(enum xt_kind k, struct xt_pb *b);
/** A standalone pkt/s meter (id 1, rate 1, burst 1 packet) with one band of @band_type. */
struct sl_meter *xt_meter(uint16_t band_type, uint8_t prec_level);

/** Captured outputs and packet-ins. */
struct xt_out {
	uint32_t port, in_port;
	struct rte_mbuf *m;
};
struct xt_pin {
	struct rte_mbuf *m;
	uint8_t reason, table_id;
	uint16_t max_len;
	uint64_t cookie, metadata, tunnel_id;
	uint32_t in_port;
};
struct xt_cap {
	unsigned int n_out, n_pin;
	struct xt_out out[256];
	struct xt_pin pin[32];
	struct sl_meter *meter; /* returned for meter id 1 */
};
/** An env that records into @c (pool: the test pool). */
void xt_env(struct sl_exec_env *env, struct xt_cap *c);
/** Free every captured mbuf and reset. */
void xt_cap_free(struct xt_cap *c);

/** A test's packet, capture, environment and counters, and the pool's free
 *  count at its start: the set-up most executor tests share (with
 *  xt_run_suite(), in exec_test_main.c: the CUnit side). */
struct xt_fx {
	struct xt_pb b;         /**< the packet (the test builds it) */
	struct xt_cap c;        /**< what the executor sent */
	struct sl_exec_env env; /**< records into c */
	struct sl_exec_stats st;
	unsigned int avail0;    /**< free mbufs at xt_fx_start() */
};
/** Before the test's first mbuf: counters zero, the env recording, the
 *  pool's free count noted. */
void xt_fx_start(struct xt_fx *f);
/** Free what was captured and check that every mbuf is back in the pool. */
void xt_fx_end(struct xt_fx *f);

#define XT_CANARY 0xa5
/** True iff the tailroom of @m (made by xt_mbuf) still holds the canary. */
bool xt_canary_ok(const struct rte_mbuf *m);
/** mbuf holding @len bytes of @pkt (single segment). */
struct rte_mbuf *xt_mbuf(const uint8_t *pkt, unsigned int len);
/** Parse @m (in_port 7, metadata from @md) and execute @acts on it. */
void xt_exec(const struct sl_exec_action *acts, unsigned int n, struct rte_mbuf *m,
	     const struct sl_exec_env *env, struct sl_exec_stats *st);

/** Bytes of a captured mbuf (must be single segment). */
static inline const uint8_t *
xt_data(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, const uint8_t *);
}

/**
 * Check every checksum of the frame by full recomputation (IPv4 header,
 * TCP/UDP/ICMPv6 with pseudo-header, ICMPv4, SCTP CRC32c). Returns the number
 * of checksums that are wrong (0 = all right); a UDP checksum of 0 is accepted.
 */
int xt_check_csums(const uint8_t *pkt, unsigned int len);
/**
 * True iff the L4 checksum of the IP packet at @l3 verifies with @proto in
 * the pseudo-header (whatever the header's protocol field says).
 */
bool xt_l4_ok_as(const uint8_t *pkt, uint16_t l3, int ipver, uint8_t proto);
/** Bitwise reference CRC32c (no tables, no SSE): the standard final value. */
uint32_t xt_crc32c_ref(const uint8_t *p, unsigned int len);

/** Actions. */
struct sl_exec_action xt_output(uint32_t port);
struct sl_exec_action xt_clone(uint16_t n);
/** SET_FIELD from raw placement (value/mask already positioned). */
struct sl_exec_action xt_set(uint8_t field, uint8_t layer, uint16_t offset, uint8_t len,
			   uint8_t csum, const void *value, const void *mask);
struct sl_exec_action xt_simple(uint8_t type, uint16_t ethertype);
struct sl_exec_action xt_ttl(uint8_t type, uint8_t ttl, uint8_t to_controller);

#endif /* SL_EXEC_TEST_UTIL_H */
