/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the fast-path tests that compare the real fast path with
 * translation without caches: random packets and rule sets, net_null tx
 * captures, the reference executor's hooks, expected rule counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "test_rng.h"
#include "test_flow_mod.h"

#include "fp_random.h"
#include "fp_testbed.h"
#include "sl_learn.h"
#include "sl_match.h"
#include "sl_worker_tx.h"

struct sl_datapath dp;
struct sl_config cfg;
uint64_t rng = 88172645463325252ull;
struct capture got[N_PORTS + 1], want[N_PORTS + 1];

uint32_t
rnd(uint32_t n)
{
	return test_rng_below(&rng, n);
}

static void
capture_copy(struct capture *c, const struct rte_mbuf *m)
{
	if (c->n < MAX_OUT) {
		c->len[c->n] = (uint16_t)rte_pktmbuf_pkt_len(m);
		rte_pktmbuf_read(m, 0, RTE_MIN(c->len[c->n], 128u), c->data[c->n]);
		c->n++;
	}
}

void
capture_add(struct capture *c, struct rte_mbuf *m)
{
	capture_copy(c, m);
	rte_pktmbuf_free(m);
}

/* Every packet the fast path transmits passes here before net_null drops it. */
uint16_t
tx_capture(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	(void)port_id; (void)queue;
	for (uint16_t i = 0; i < n; i++)
		capture_copy(&got[(uintptr_t)arg], pkts[i]);
	return n;
}

/* Reference executor hooks: record per OpenFlow port (1..N_PORTS). */
void
ref_output(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m)
{
	(void)ctx;
	if (ofport == OFPP_IN_PORT)
		ofport = in_port;
	if (ofport == OFPP_FLOOD || ofport == OFPP_ALL) {
		for (uint32_t p = 1; p <= N_PORTS; p++)
			if (p != in_port) {
				rte_mbuf_refcnt_update(m, 1);
				capture_add(&want[p], m);
			}
		rte_pktmbuf_free(m);
		return;
	}
	if (ofport >= 1 && ofport <= N_PORTS)
		capture_add(&want[ofport], m);
	else
		rte_pktmbuf_free(m);
}

void
ref_packet_in(void *ctx, struct rte_mbuf *m, uint8_t reason, uint8_t table_id, uint64_t cookie,
	      uint16_t max_len, uint32_t in_port, uint64_t metadata, uint64_t tunnel_id)
{
	(void)ctx; (void)reason; (void)table_id; (void)cookie; (void)max_len;
	(void)in_port; (void)metadata; (void)tunnel_id;
	capture_add(&want[0], m); /* index 0: the controller */
}

struct sl_meter *
ref_meter(void *ctx, uint32_t id)
{
	(void)ctx; (void)id;
	return NULL;
}

/* A random packet from a small value space, so that rules match often. */
struct rte_mbuf *
random_packet(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, 64) : NULL;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;

	if (p == NULL) {
		fprintf(stderr, "mempool empty\n");
		abort();
	}
	eth = (struct rte_ether_hdr *)p;
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	udp = (struct rte_udp_hdr *)(ip + 1);
	memset(p, 0, 64);
	memcpy(eth->dst_addr.addr_bytes, (uint8_t[]){ 2, 0, 0, 0, 0, (uint8_t)(1 + rnd(4)) }, 6);
	memcpy(eth->src_addr.addr_bytes, (uint8_t[]){ 2, 0, 0, 0, 1, (uint8_t)(1 + rnd(4)) }, 6);
	eth->ether_type = rte_cpu_to_be_16(rnd(8) ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_ARP);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(50);
	ip->time_to_live = (uint8_t)(1 + rnd(3));
	ip->next_proto_id = rnd(2) ? IPPROTO_UDP : IPPROTO_TCP;
	ip->src_addr = rte_cpu_to_be_32(0x0a000000u | rnd(4));
	ip->dst_addr = rte_cpu_to_be_32(0x0a000100u | rnd(8));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(1000 + rnd(3)));
	udp->dst_port = rte_cpu_to_be_16((uint16_t)(80 + rnd(3)));
	udp->dgram_len = rte_cpu_to_be_16(30);
	return m;
}

void
rules_replace(void (*add)(void))
{
	struct sl_flow_mod del;

	rte_rcu_qsbr_thread_offline(dp.qsbr, 0);
	memset(&del, 0, sizeof(del));
	del.command = OFPFC_DELETE;
	del.table_id = OFPTT_ALL;
	del.out_port = OFPP_ANY;
	del.out_group = OFPG_ANY;
	sl_match_init_catchall(&del.match);
	sl_pipeline_flow_mod(dp.pipeline, &del, NULL);
	if (add)
		add();
	sl_pipeline_synchronize(dp.pipeline);
	rte_rcu_qsbr_thread_online(dp.qsbr, 0);
}

void
random_rules(void)
{
	for (unsigned int r = 0; r < 5 + rnd(30); r++)
		random_flow_mod(OFPFC_ADD);
}

void
random_round(struct sl_fastpath *fp, struct sl_xlate_result *xr, unsigned int n_pkts,
	     void (*settle)(struct sl_fastpath *fp))
{
	struct sl_worker *w = dp.workers[0];
	struct rte_mbuf *burst[SL_BURST];

	memset(got, 0, sizeof(got));
	memset(want, 0, sizeof(want));
	expect_hits_reset();
	for (unsigned int done = 0; done < n_pkts; done += SL_BURST) {
		uint16_t in_idx = (uint16_t)rnd(N_PORTS);
		uint32_t in_port = dp.ports[in_idx]->params.ofport;

		for (unsigned int i = 0; i < SL_BURST; i++)
			burst[i] = random_packet_referenced(in_port, xr);
		sl_fastpath_begin(fp, rte_rdtsc());
		sl_fastpath_process(fp, in_idx, burst, SL_BURST);
		collect_fastpath_output(w);
		if (settle)
			settle(fp);
		sl_learn_run(&dp, now_ns());
		sl_fastpath_end(fp, false);
	}
	fp_testbed_idle(fp);
}

unsigned int
random_rounds_compared(struct sl_fastpath *fp, struct sl_xlate_result *xr,
		       void (*settle)(struct sl_fastpath *fp), void (*before_compare)(void))
{
	unsigned int round;

	for (round = 0; round < 8; round++) {
		uint64_t lk0, lk1, m0, m1;

		sl_pipeline_table_stats(dp.pipeline, 0, &lk0, &m0);
		random_round(fp, xr, 256, settle);
		sl_pipeline_table_stats(dp.pipeline, 0, &lk1, &m1);
		CU_ASSERT_EQUAL(lk1 - lk0, 2 * 256);
		if (lk1 - lk0 != 2 * 256)
			fprintf(stderr, "\n  table 0 lookups +%llu for 256 packets\n",
				(unsigned long long)(lk1 - lk0));
		if (before_compare)
			before_compare();
		CU_ASSERT_TRUE(captures_equal());
		CU_ASSERT_TRUE(rule_counters_exact());
		for (unsigned int c = 0; getenv("NOCHG") == NULL && c < 1 + rnd(3); c++)
			random_flow_mod((uint8_t)(rnd(3) == 0 ? OFPFC_DELETE :
						  rnd(2) ? OFPFC_MODIFY : OFPFC_ADD));
	}
	return round;
}

/* A random flow-mod: random subset of fields, random action. */
void
random_flow_mod(uint8_t cmd)
{
	struct sl_action acts[2];
	struct sl_flow_mod fm;
	uint16_t ip = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	memset(acts, 0, sizeof(acts));
	fm = fm_new(cmd, (uint8_t)rnd(3), 0);
	fm.priority = (uint16_t)rnd(4); /* drawn after the table */
	if (rnd(2)) {
		uint32_t in = rte_cpu_to_be_32(1 + rnd(N_PORTS));

		sl_match_set_oxm(&fm.match, OFPXMT_OFB_IN_PORT, &in, NULL, 4);
	}
	if (rnd(3) == 0) {
		uint8_t mac[6] = { 2, 0, 0, 0, 0, (uint8_t)(1 + rnd(4)) };

		sl_match_set_oxm(&fm.match, OFPXMT_OFB_ETH_DST, mac, NULL, 6);
	}
	if (rnd(2)) {
		uint32_t a = rte_cpu_to_be_32(0x0a000100u | rnd(8));
		uint32_t mask = rte_cpu_to_be_32(0xffffffffu << rnd(4));

		sl_match_set_oxm(&fm.match, OFPXMT_OFB_ETH_TYPE, &ip, NULL, 2);
		sl_match_set_oxm(&fm.match, OFPXMT_OFB_IPV4_DST, &a, &mask, 4);
		if (rnd(2)) {
			uint8_t proto = IPPROTO_UDP;
			uint16_t port = rte_cpu_to_be_16((uint16_t)(80 + rnd(3)));

			sl_match_set_oxm(&fm.match, OFPXMT_OFB_IP_PROTO, &proto, NULL, 1);
			sl_match_set_oxm(&fm.match, OFPXMT_OFB_UDP_DST, &port, NULL, 2);
		}
	}
	if (fm.table_id < 2 && rnd(3) == 0) {
		fm.ins.has_goto = true;
		fm.ins.goto_table = (uint8_t)(fm.table_id + 1 + rnd(2 - fm.table_id));
	}
	switch (rnd(6)) {
	case 0: /* drop */
		break;
	case 5: /* NORMAL: MAC learning; set eth_dst to a source so it unicasts once learned */
		acts[0].type = OFPAT_OUTPUT;
		acts[0].output.port = OFPP_NORMAL;
		fm.ins.n_apply = 1;
		if (rnd(2)) {
			acts[1] = acts[0];
			acts[0].type = OFPAT_SET_FIELD;
			acts[0].set_field.field = OFPXMT_OFB_ETH_DST;
			acts[0].set_field.len = 6;
			memcpy(acts[0].set_field.value, (uint8_t[]){ 2, 0, 0, 0, 1, (uint8_t)(1 + rnd(4)) }, 6);
			fm.ins.n_apply = 2;
		}
		break;
	case 1:
		if ((fm.match.present & (1ull << OFPXMT_OFB_ETH_TYPE)) && fm.ins.has_goto && rnd(2)) {
			/* rewrite a field the next tables match on: they look up
			 * another key than the packet's (change log: not pure) */
			uint32_t a = rte_cpu_to_be_32(0x0a000100u | rnd(8));

			acts[0].type = OFPAT_SET_FIELD;
			acts[0].set_field.field = OFPXMT_OFB_IPV4_DST;
			acts[0].set_field.len = 4;
			memcpy(acts[0].set_field.value, &a, 4);
			fm.ins.n_apply = 1;
			break;
		}
		if (fm.match.present & (1ull << OFPXMT_OFB_ETH_TYPE)) {
			acts[0].type = OFPAT_DEC_NW_TTL;
			acts[1].type = OFPAT_OUTPUT;
			acts[1].output.port = 1 + rnd(N_PORTS);
			fm.ins.n_apply = 2;
			break;
		}
		/* fall through */
	case 2:
		acts[0].type = OFPAT_SET_FIELD;
		acts[0].set_field.field = OFPXMT_OFB_ETH_SRC;
		acts[0].set_field.len = 6;
		memcpy(acts[0].set_field.value, (uint8_t[]){ 2, 9, 9, 9, 9, (uint8_t)rnd(9) }, 6);
		acts[1].type = OFPAT_OUTPUT;
		acts[1].output.port = rnd(4) ? 1 + rnd(N_PORTS) : OFPP_IN_PORT;
		fm.ins.n_apply = 2;
		break;
	default:
		acts[0].type = OFPAT_OUTPUT;
		acts[0].output.port = rnd(6) ? 1 + rnd(N_PORTS) : OFPP_FLOOD;
		fm.ins.n_apply = 1;
	}
	fm.ins.apply = acts;
	sl_pipeline_flow_mod(dp.pipeline, &fm, NULL); /* errors (overlap...) are fine */
}

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void
collect_fastpath_output(struct sl_worker *w)
{
	sl_worker_flush_all(w);
	{
		struct rte_mbuf *m;

		while (rte_ring_dequeue(w->pin_ring, (void **)&m) == 0)
			capture_add(&got[0], m);
	}
}

/* Rules the reference translations hit this round, with the count each
 * must gain from the fast path's packets. */
#define MAX_HIT_RULES 512
static struct { struct sl_rule *r; uint64_t base, want_pkts, want_bytes, base_bytes; } hits[MAX_HIT_RULES];
static unsigned int n_hits;

void
expect_hits_reset(void)
{
	n_hits = 0;
}

void
expect_hit(struct sl_rule *r, uint32_t len)
{
	unsigned int i;

	for (i = 0; i < n_hits && hits[i].r != r; i++)
		;
	if (i == n_hits) {
		if (n_hits == MAX_HIT_RULES)
			return;
		struct sl_rule_counts c;

		sl_rule_get_counts(r, &c);
		hits[i].r = r;
		hits[i].base = c.packets;
		hits[i].base_bytes = c.bytes;
		hits[i].want_pkts = hits[i].want_bytes = 0;
		n_hits++;
	}
	hits[i].want_pkts++;
	hits[i].want_bytes += len;
}

bool
rule_counters_exact(void)
{
	for (unsigned int i = 0; i < n_hits; i++) {
		struct sl_rule_counts c;

		sl_rule_get_counts(hits[i].r, &c);
		if (c.packets - hits[i].base != hits[i].want_pkts ||
		    c.bytes - hits[i].base_bytes != hits[i].want_bytes) {
			fprintf(stderr, "\n  rule counted %llu packets, expected %llu\n",
				(unsigned long long)(c.packets - hits[i].base),
				(unsigned long long)hits[i].want_pkts);
			return false;
		}
	}
	return true;
}


struct rte_mbuf *
random_packet_referenced(uint32_t in_port, struct sl_xlate_result *xr)
{
	struct sl_exec_env env = { .output = ref_output, .packet_in = ref_packet_in,
				   .meter = ref_meter, .pool = dp.pools[0] };
	struct sl_exec_stats est = { 0 };
	struct rte_mbuf *m = random_packet(), *copy;
	struct sl_flow_key key;
	struct sl_pkt_layout lay;

	copy = rte_pktmbuf_copy(m, dp.pools[0], 0, UINT32_MAX);
	sl_flow_parse_mbuf(copy, in_port, in_port, 0, &key, &lay);
	sl_xlate(dp.pipeline, &key, xr);
	for (unsigned int r = 0; r < xr->n_rules; r++)
		expect_hit(xr->rules[r], rte_pktmbuf_pkt_len(copy));
	sl_execute(xr->actions, xr->n_actions, copy, &key, &lay, &env, &est);
	return m;
}

bool
captures_equal(void)
{
	for (int p = 0; p <= N_PORTS; p++) {
		if (got[p].n != want[p].n) {
			fprintf(stderr, "\n  port %d: fast path sent %u packets, reference %u\n", p,
				got[p].n, want[p].n);
			return false;
		}
		for (unsigned int k = 0; k < got[p].n; k++)
			if (got[p].len[k] != want[p].len[k] ||
			    memcmp(got[p].data[k], want[p].data[k], RTE_MIN(got[p].len[k], 128)) != 0) {
				fprintf(stderr, "\n  port %d packet %u differs\n", p, k);
				return false;
			}
	}
	return true;
}

