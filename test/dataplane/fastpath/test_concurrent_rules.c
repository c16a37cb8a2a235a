/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cache transparency while rules change underneath a running worker.
 *
 * The real worker loop (sl_worker_main) runs on its own lcore and forwards
 * random traffic between four net_null ports (no-rx=1) whose rx callbacks
 * feed packets from a ring per port and whose tx callbacks copy every packet
 * sent into another ring, while this thread, the writer, applies random
 * flow-mods (add/modify/delete, three tables, goto, four groups of every
 * type), group-mods and port liveness changes, and answers "barriers" with
 * the datapath's sync (sl_datapath_sync, what the agent's barrier calls). A shadow pipeline
 * gets the same changes and is the reference: translation and execution
 * without any cache, one packet at a time.
 *
 * Every packet carries a sequence number in its last 4 bytes (no action used
 * here moves or rewrites them), so the outputs of each packet are known: the
 * multiset of (port, bytes) it produced, summarised as a sum of hashes.
 *  (a) packets injected after a barrier returned must produce exactly what the
 *      reference says for the current rules;
 *  (b) packets injected while changes were being applied must produce what the
 *      reference says for SOME rule-set version between the two barriers;
 *  (c) after the barrier that ends a window, table 0 counted each of its
 *      packets once (the worker pushed its cache entries' counts).
 *
 * Changes applied with packets in flight are each atomic for a reader (one
 * rule, strict commands; one group object; one liveness flag) and the
 * flow-mods of one window go to distinct tables in descending order. A
 * translation reads tables in ascending order, so whatever it sees is one of
 * the versions of the window: a mismatch is a cache that served a stale or
 * wrong entry, not a translation racing the writer. (One exception is left:
 * a translation that runs the same group twice, or reads the same port's
 * liveness twice, could straddle a group-mod or liveness change landing
 * between those two reads, nanoseconds apart; not seen in practice.) Bigger
 * changes (non-strict modify/delete, group deletes) are applied with no
 * packets in flight.
 *
 * The writer's changes and the barrier are in concurrent_changes.c.
 *
 * SL_TEST_MISS=handler runs the worker in miss_handling = handler mode, with
 * a handler pthread (an RCU reader, sl_miss_handler.h) translating its misses.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "cunit_main.h"
#include "test_rng.h"

#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_tables.h"
#include "sl_execute.h"
#include "sl_fastpath.h"
#include "sl_match.h"
#include "sl_pipeline.h"
#include "sl_miss_handler.h"
#include "sl_xlate.h"
#include "concurrent_rules.h"

#define PKT_LEN 64
#define MAX_PKTS 256      /* packets checked per window */
#define MAX_VERS 8        /* versions one window can span */

struct sl_datapath dp;
static struct sl_config cfg;
struct sl_pipeline *shadow;
static struct rte_ring *rx_ring[N_PORTS], *tx_ring[N_PORTS];
static uint64_t rng = 88172645463325252ull;
static uint32_t next_seq;
static uint64_t outputs_seen;
static uint64_t saw_older; /* in-flight packets that matched a version before the last */

uint32_t
rnd(uint32_t n)
{
	return test_rng_below(&rng, n);
}

/* ------------------------------------------------- output hashing ---- */

/* One output: the port it left by and its bytes. Outputs of one packet are
 * summed, so the order between ports does not matter. */
static uint64_t
out_hash(uint32_t port, const struct rte_mbuf *m)
{
	uint8_t buf[256];
	uint32_t len = RTE_MIN(rte_pktmbuf_pkt_len(m), (uint32_t)sizeof(buf));
	const uint8_t *d = rte_pktmbuf_read(m, 0, len, buf);
	uint64_t h = 0xcbf29ce484222325ull ^ port ^ ((uint64_t)rte_pktmbuf_pkt_len(m) << 32);

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ d[i]) * 0x100000001b3ull;
	h ^= h >> 31;
	h *= 0x7fb5d329728ea185ull;
	return h ^ (h >> 27);
}

static uint32_t
pkt_seq(const struct rte_mbuf *m)
{
	uint32_t len = rte_pktmbuf_pkt_len(m), v;
	uint8_t buf[4];
	const uint8_t *d = len >= 4 ? rte_pktmbuf_read(m, len - 4, 4, buf) : NULL;

	if (d == NULL)
		return UINT32_MAX;
	memcpy(&v, d, 4);
	return v;
}

/* The packets of the window being checked. */
static struct {
	struct rte_mbuf *m;         /* pristine copy, for the reference */
	uint16_t in_idx;
	uint8_t n_allowed;
	uint8_t min_v;              /* first allowed version (index into allowed[]) */
	uint64_t allowed[MAX_VERS]; /* reference output sums, one per version */
	uint64_t got;               /* fast-path output sum */
	uint32_t n_got;
} win[MAX_PKTS];
static unsigned int n_win;
static uint32_t win_seq0;
static uint64_t *ref_sum;       /* where the reference executor adds */

static void
ref_output(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m)
{
	(void)ctx;
	if (ofport == OFPP_IN_PORT)
		ofport = in_port;
	if (ofport == OFPP_FLOOD || ofport == OFPP_ALL) {
		for (uint32_t p = 1; p <= N_PORTS; p++)
			if (p != in_port)
				*ref_sum += out_hash(p, m);
	} else if (ofport >= 1 && ofport <= N_PORTS) {
		*ref_sum += out_hash(ofport, m);
	}
	rte_pktmbuf_free(m);
}

static void
ref_packet_in(void *ctx, struct rte_mbuf *m, uint8_t reason, uint8_t table_id, uint64_t cookie,
	      uint16_t max_len, uint32_t in_port, uint64_t metadata, uint64_t tunnel_id)
{
	(void)ctx; (void)reason; (void)table_id; (void)cookie; (void)max_len;
	(void)in_port; (void)metadata; (void)tunnel_id;
	*ref_sum += out_hash(0, m); /* port 0: the controller */
	rte_pktmbuf_free(m);
}

static struct sl_meter *
ref_meter(void *ctx, uint32_t id)
{
	(void)ctx; (void)id;
	return NULL;
}

/* Add the reference result of every window packet under the shadow
 * pipeline as it is now (one more allowed version). */
static void
reference_version(void)
{
	static struct sl_xlate_result xr;
	struct sl_exec_env env = { .output = ref_output, .packet_in = ref_packet_in,
				   .meter = ref_meter, .pool = dp.pools[0] };
	struct sl_exec_stats est = { 0 };

	for (unsigned int i = 0; i < n_win; i++) {
		uint32_t in_port = (uint32_t)win[i].in_idx + 1;
		struct rte_mbuf *copy = rte_pktmbuf_copy(win[i].m, dp.pools[0], 0, UINT32_MAX);
		struct sl_flow_key key;
		struct sl_pkt_layout lay;
		uint64_t sum = 0;

		CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
		sl_flow_parse_mbuf(copy, in_port, in_port, 0, &key, &lay);
		sl_xlate(shadow, &key, &xr);
		ref_sum = &sum;
		env.now_ns = 1;
		sl_execute(xr.actions, xr.n_actions, copy, &key, &lay, &env, &est);
		if (win[i].n_allowed < MAX_VERS)
			win[i].allowed[win[i].n_allowed++] = sum;
	}
}

/* ------------------------------------------------------- traffic ---- */

static struct rte_mbuf *
make_packet(uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pools[0]);
	uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, PKT_LEN) : NULL;
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
	memset(p, 0, PKT_LEN);
	memcpy(eth->dst_addr.addr_bytes, (uint8_t[]){ 2, 0, 0, 0, 0, (uint8_t)(1 + rnd(4)) }, 6);
	memcpy(eth->src_addr.addr_bytes, (uint8_t[]){ 2, 0, 0, 0, 1, (uint8_t)(1 + rnd(4)) }, 6);
	eth->ether_type = rte_cpu_to_be_16(rnd(8) ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_ARP);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(PKT_LEN - 14);
	ip->time_to_live = (uint8_t)(1 + rnd(3));
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0x0a000000u | rnd(4));
	ip->dst_addr = rte_cpu_to_be_32(0x0a000100u | rnd(8));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(1000 + rnd(3)));
	udp->dst_port = rte_cpu_to_be_16((uint16_t)(80 + rnd(3)));
	udp->dgram_len = rte_cpu_to_be_16(PKT_LEN - 34);
	memcpy(p + PKT_LEN - 4, &seq, 4);
	return m;
}

/* New window of @n packets (generated now, injected by inject_chunk). */
static void
window_new(unsigned int n)
{
	n_win = n;
	win_seq0 = next_seq;
	for (unsigned int i = 0; i < n; i++) {
		win[i].m = make_packet(next_seq++);
		win[i].in_idx = (uint16_t)rnd(N_PORTS);
		win[i].n_allowed = 0;
		win[i].min_v = 0;
		win[i].got = 0;
		win[i].n_got = 0;
	}
}

/* Inject window packets [from, to). Each goes in as a copy; at most one
 * burst is queued at a time so that the worker's per-iteration miss budget
 * (64) is never what decides a packet's fate. */
static void
inject(unsigned int from, unsigned int to)
{
	for (unsigned int i = from; i < to; i++) {
		struct rte_ring *r = rx_ring[win[i].in_idx];
		struct rte_mbuf *c = rte_pktmbuf_copy(win[i].m, dp.pools[0], 0, UINT32_MAX);

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		while (rte_ring_count(r) >= SL_BURST / 2)
			rte_pause();
		while (rte_ring_enqueue(r, c) != 0)
			rte_pause();
	}
}

static void
wait_drained(void)
{
	for (unsigned int p = 0; p < N_PORTS; p++)
		while (!rte_ring_empty(rx_ring[p]))
			rte_pause();
	/* The worker dequeued everything; one grace period later it has
	 * finished the iterations that processed it and flushed its tx. In
	 * handler mode, misses may still be at the handler: wait for them to
	 * come back, and for the iteration that ran them. That grace period
	 * is needed even when none is in flight any more by now: the worker
	 * recycles a record right after running its packets, at the start of
	 * an iteration, and sends their outputs at the end of it. A thread
	 * that finds all records back (this one was preempted, the handler
	 * and the worker were not) may be between the two; collecting then
	 * missed those outputs, and the next window saw them, as packets with
	 * an unknown sequence number. */
	sl_datapath_sync(&dp);
	if (dp.workers[0]->miss_channel) {
		while (sl_miss_in_flight(dp.workers[0]->miss_channel))
			rte_pause();
		sl_datapath_sync(&dp);
	}
}

static void
collect_one(uint32_t port, struct rte_mbuf *m)
{
	uint32_t seq = pkt_seq(m), s = seq - win_seq0;

	if (s < n_win) {
		win[s].got += out_hash(port, m);
		win[s].n_got++;
		outputs_seen++;
	} else {
		/* an earlier window's packet came late, or its bytes changed */
		fprintf(stderr, "\n  output on port %u: sequence number %u, this window's are "
			"%u..%u\n", port, seq, win_seq0, win_seq0 + n_win - 1);
		CU_FAIL("output packet with an unknown sequence number");
	}
	rte_pktmbuf_free(m);
}

/* Collect what the worker sent and compare each packet with its allowed
 * reference results. Returns the number of packets that match none. */
static unsigned int
window_check(const char *what)
{
	struct rte_mbuf *m;
	unsigned int bad = 0;

	for (unsigned int p = 0; p < N_PORTS; p++)
		while (rte_ring_dequeue(tx_ring[p], (void **)&m) == 0)
			collect_one(p + 1, m);
	while (rte_ring_dequeue(dp.workers[0]->pin_ring, (void **)&m) == 0)
		collect_one(0, m);
	for (unsigned int i = 0; i < n_win; i++) {
		bool ok = false;

		for (unsigned int v = win[i].min_v; v < win[i].n_allowed && !ok; v++)
			ok = win[i].got == win[i].allowed[v];
		if (ok && win[i].got != win[i].allowed[win[i].n_allowed - 1])
			saw_older++;
		if (!ok && bad++ == 0)
			fprintf(stderr, "\n  %s: packet %u (in port %u) gave %u outputs matching none "
				"of the reference versions %u..%u\n", what, i, win[i].in_idx + 1,
				win[i].n_got, win[i].min_v, win[i].n_allowed - 1);
		rte_pktmbuf_free(win[i].m);
	}
	n_win = 0;
	return bad;
}

/* ------------------------------------------------------ windows ---- */

static unsigned int windows_checked;

/* Table 0's lookups: every packet of a window adds one (cache hit or
 * translation), and once the barrier after it returned the worker has
 * pushed what its cache entries gathered (lazy crediting). */
static uint64_t
table0_lookups(void)
{
	uint64_t lookups, matched;

	sl_pipeline_table_stats(dp.pipeline, 0, &lookups, &matched);
	return lookups;
}

/* (a): after a barrier, exactly the current rules. */
static void
window_after_barrier(void)
{
	unsigned int bad;

	uint64_t lk0 = table0_lookups();
	unsigned int n = 32 + rnd(96);

	window_new(n);
	reference_version();
	inject(0, n_win);
	wait_drained();
	bad = window_check("after barrier");
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(table0_lookups() - lk0, n);
	windows_checked++;
}

/* (b): packets injected while 1-3 changes are applied: each matches one of
 * the versions between the barriers. The barrier is taken while the worker
 * may still be busy with them, and more packets are injected right after it
 * returns: those (a) must see the final version only, which holds only if
 * the barrier waited for the iteration the worker was in. */
static void
window_in_flight(void)
{
	uint8_t tables[N_TABLES];
	unsigned int kind = rnd(6), n_changes = 1, bad;
	unsigned int n_flight = 64 + rnd(MAX_PKTS - 160), n_after = 32 + rnd(64);
	uint64_t lk0 = table0_lookups();

	window_new(n_flight + n_after);
	reference_version();
	if (kind < 4) {
		/* 1-3 distinct tables (a random non-empty subset), highest first */
		unsigned int set = 1 + rnd((1u << N_TABLES) - 1);

		n_changes = 0;
		for (int t = N_TABLES - 1; t >= 0; t--)
			if (set & (1u << t))
				tables[n_changes++] = (uint8_t)t;
	}
	for (unsigned int c = 0; c < n_changes; c++) {
		inject(n_flight * c / n_changes, n_flight * (c + 1) / n_changes);
		if (kind < 4)
			atomic_flow_mod(tables[c]);
		else if (kind == 4)
			group_mod(1 + rnd(N_GROUPS), OFPGC_MODIFY);
		else
			toggle_liveness();
		if (c + 1 < n_changes)
			reference_version();
	}
	/* The last change lands while the worker is busy with the packets
	 * just queued: barrier, then more packets at once. The reference of
	 * the final version is computed afterwards, not to give it time. */
	barrier();
	for (unsigned int i = n_flight; i < n_win; i++)
		win[i].min_v = (uint8_t)n_changes;
	inject(n_flight, n_win);
	reference_version();
	wait_drained();
	bad = window_check("in flight, then after a barrier");
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(table0_lookups() - lk0, n_flight + n_after);
	windows_checked++;
}

/* Changes applied with no packet in flight: anything goes. */
static void
quiet_changes(void)
{
	for (unsigned int c = 0; c < 1 + rnd(3); c++) {
		switch (rnd(8)) {
		case 0:
			group_mod(1 + rnd(N_GROUPS), OFPGC_MODIFY);
			break;
		case 1: {
			uint32_t g = 1 + rnd(N_GROUPS);

			group_delete(g); /* deletes the rules that use it */
			group_mod(g, OFPGC_ADD);
			break;
		}
		case 2:
			toggle_liveness();
			break;
		default:
			any_flow_mod();
		}
	}
	barrier();
}

static volatile bool handler_stop;

static void *
handler_main(void *arg)
{
	sl_miss_handler_loop(arg, &handler_stop);
	return NULL;
}

static void
test_concurrent_writer(void)
{
	struct sl_miss_handler *h = cfg.miss_handler ? sl_miss_handler_create(&dp) : NULL;
	const struct sl_fastpath_stats *st;
	pthread_t ht;
	unsigned int sets = getenv("SL_TEST_SETS") ? (unsigned int)atoi(getenv("SL_TEST_SETS")) : 40;

	CU_ASSERT_FATAL(!cfg.miss_handler || (h && pthread_create(&ht, NULL, handler_main, h) == 0));
	CU_ASSERT_EQUAL_FATAL(sl_datapath_start(&dp), 0);
	for (unsigned int set = 0; set < sets; set++) {
		new_rule_set();
		window_after_barrier();
		for (unsigned int round = 0; round < 6; round++) {
			window_in_flight();
			window_after_barrier();
			quiet_changes();
			window_after_barrier();
		}
	}
	st = sl_fastpath_stats(dp.workers[0]->fp);
	/* every packet's fate was decided by rules, never by the miss budget */
	CU_ASSERT_EQUAL(sl_fastpath_drops(dp.workers[0]->fp, SL_DROP_MISS_BUDGET), 0);
	CU_ASSERT_EQUAL(sl_fastpath_drops(dp.workers[0]->fp, SL_DROP_MISS_HANDLER), 0);
	/* handler mode: the worker translated only to revalidate */
	CU_ASSERT(!h || (st->handler_sent > 0 &&
			 st->translations == st->revalidations + st->stale_returns));
	handler_stop = true;
	if (h && pthread_join(ht, NULL) == 0)
		sl_miss_handler_destroy(h);
	CU_ASSERT(st->revalidations > 0);
	CU_ASSERT(st->megaflow_hits > 0);
	CU_ASSERT(outputs_seen > st->packets / 2);
	printf("(%u windows, %llu outputs, %llu in-flight packets forwarded by an older version, "
	       "%llu packets: %llu megaflow hits, %llu EMC hits, %llu misses, "
	       "%llu revalidations, %llu kept, %llu skipped) ", windows_checked,
	       (unsigned long long)outputs_seen, (unsigned long long)saw_older,
	       (unsigned long long)st->packets,
	       (unsigned long long)st->megaflow_hits, (unsigned long long)st->emc_hits,
	       (unsigned long long)st->misses, (unsigned long long)st->revalidations,
	       (unsigned long long)st->reval_kept, (unsigned long long)st->reval_skipped);
}

/* ------------------------------------------------------- set-up ---- */

static uint16_t
rx_feed(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t nb, uint16_t max,
	void *arg)
{
	(void)port_id; (void)queue;
	return (uint16_t)(nb + rte_ring_dequeue_burst(rx_ring[(uintptr_t)arg],
						      (void **)(pkts + nb), max - nb, NULL));
}

/* Runs in the worker: keep a copy of every packet sent (net_null frees it). */
static uint16_t
tx_keep(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	(void)port_id; (void)queue;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *c = rte_pktmbuf_copy(pkts[i], dp.pools[0], 0, UINT32_MAX);

		if (c == NULL || rte_ring_enqueue(tx_ring[(uintptr_t)arg], c) != 0) {
			fprintf(stderr, "tx capture full\n");
			abort();
		}
	}
	return n;
}

static int
setup(void)
{
	char *argv[] = { "test", "-l", "0,1", "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
			 "--file-prefix=sl-fpc", "--log-level=error", NULL };
	static char text[1024];
	static const char fmt[] =
		"[switch]\nmain_lcore = 0\nworkers = 1\nmbufs_per_socket = 16384\n"
		"miss_handling = %s\n"
		"[openflow]\nlisten = none\n"
		"[port:p1]\ntype = dpdk\ndevargs = net_null_fc1,no-rx=1\nofport = 1\n"
		"[port:p2]\ntype = dpdk\ndevargs = net_null_fc2,no-rx=1\nofport = 2\n"
		"[port:p3]\ntype = dpdk\ndevargs = net_null_fc3,no-rx=1\nofport = 3\n"
		"[port:p4]\ntype = dpdk\ndevargs = net_null_fc4,no-rx=1\nofport = 4\n";
	struct sl_pipeline_config pc = { 0 };
	char err[256], name[32];

	snprintf(text, sizeof(text), fmt, getenv("SL_TEST_MISS") ? getenv("SL_TEST_MISS") : "inline");
	if (rte_eal_init(10, argv) < 0 ||
	    sl_config_load_string(&cfg, text, "<test>", err, sizeof(err)) < 0 ||
	    sl_datapath_init(&dp, &cfg) < 0 || sl_tables_init(&dp, NULL, NULL) < 0)
		return -1;
	shadow = sl_pipeline_create(&pc);
	if (shadow == NULL || dp.n_ports != N_PORTS)
		return -1;
	for (unsigned int p = 0; p < N_PORTS; p++) {
		snprintf(name, sizeof(name), "fpc_rx%u", p);
		rx_ring[p] = rte_ring_create(name, 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "fpc_tx%u", p);
		tx_ring[p] = rte_ring_create(name, 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (rx_ring[p] == NULL || tx_ring[p] == NULL ||
		    dp.ports[p] == NULL || dp.ports[p]->params.ofport != p + 1 ||
		    rte_eth_add_rx_callback(dp.ports[p]->port_id, 0, rx_feed,
					    (void *)(uintptr_t)p) == NULL ||
		    rte_eth_add_tx_callback(dp.ports[p]->port_id, 0, tx_keep,
					    (void *)(uintptr_t)p) == NULL)
			return -1;
	}
	return 0;
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "worker lcore vs writer with barriers", test_concurrent_writer },
	};
	int rc;

	rng = test_rng_seed(rng);
	if (setup() < 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	rc = cunit_run_suite("fast path under a concurrent writer", tests, CUNIT_N_TESTS(tests));
	sl_datapath_stop(&dp, NULL);
	sl_tables_fini(&dp);
	sl_pipeline_destroy(shadow);
	return rc;
}
