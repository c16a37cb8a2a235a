/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Recirculation after pop_mpls / pop_pbb: packets built byte by byte go
 * through translation, a small byte-level executor (pop, set ipv4_dst,
 * output, RECIRC = parse again + translate the key with recirc_id), through
 * several tables; rules/tables reported once per packet; ids interned by
 * content; ids swept after two version bumps.
 */
#include <pthread.h>
#include <stdio.h>

#include <rte_rcu_qsbr.h>

#include "cunit_main.h"

#include "pipeline_test_util.h"

/* Ethernet + IPv4/UDP to 10.0.0.<d>, UDP dst port 53. */
static size_t
ipv4_frame(uint8_t *p, uint8_t d, const uint8_t mac_dst[6])
{
	static const uint8_t ip[] = {
		0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 9, 10, 0, 0, 0,
		0x30, 0x39, 0, 53, 0, 8, 0, 0,
	};
	memcpy(p, mac_dst, 6);
	memcpy(p + 6, "\x02\0\0\0\0\x01", 6);
	p[12] = 0x08;
	p[13] = 0x00;
	memcpy(p + 14, ip, sizeof(ip));
	p[14 + 19] = d;
	return 14 + sizeof(ip);
}

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0xaa };

/* MPLS (label 100, BoS) around an IPv4 packet to 10.0.0.<d>. */
static size_t
mpls_frame(uint8_t *p, uint8_t d)
{
	uint8_t inner[64];
	size_t n = ipv4_frame(inner, d, MAC_A);
	memcpy(p, inner, 12);
	p[12] = 0x88;
	p[13] = 0x47;
	uint32_t lse = (100u << 12) | (1u << 8) | 64u;
	p[14] = (uint8_t)(lse >> 24);
	p[15] = (uint8_t)(lse >> 16);
	p[16] = (uint8_t)(lse >> 8);
	p[17] = (uint8_t)lse;
	memcpy(p + 18, inner + 14, n - 14);
	return n + 4;
}

/* PBB: B-DA, B-SA, 0x88e7, I-TAG (I-SID 0x123456), then the customer frame. */
static size_t
pbb_frame(uint8_t *p, uint8_t d, const uint8_t cmac[6])
{
	memcpy(p, "\x02\0\0\0\0\xbb\x02\0\0\0\0\xbc", 12);
	p[12] = 0x88;
	p[13] = 0xe7;
	p[14] = 0;
	p[15] = 0x12;
	p[16] = 0x34;
	p[17] = 0x56;
	return 18 + ipv4_frame(p + 18, d, cmac);
}

/* What a worker does with one packet; outputs recorded as "port:dst-octet". */
struct run_log {
	char out[256];
	unsigned int n_rules, n_tables, n_recirc;
	uint32_t recirc_ids[8];
};

static void
run_pkt(uint8_t *p, size_t len, uint32_t recirc_id, struct run_log *lg, unsigned int depth)
{
	struct sl_flow_key k;
	struct sl_pkt_layout lay;
	struct sl_xlate_result r;
	CU_ASSERT_FATAL(depth < 4);
	sl_flow_parse(p, len, 1, 1, 0, &k, &lay);
	k.recirc_id = recirc_id;
	sl_xlate(pl, &k, &r);
	CU_ASSERT_EQUAL(r.mask.recirc_id, UINT32_MAX); /* every megaflow matches it */
	lg->n_rules += r.n_rules;
	lg->n_tables += r.n_tables;
	for (unsigned int i = 0; i < r.n_actions; i++) {
		const struct sl_exec_action *a = &r.actions[i];
		switch (a->type) {
		case SL_EXEC_POP_MPLS:
			memmove(p + 14, p + 18, len - 18);
			len -= 4;
			p[12] = (uint8_t)(a->push.ethertype >> 8);
			p[13] = (uint8_t)a->push.ethertype;
			break;
		case SL_EXEC_POP_PBB:
			memmove(p, p + 18, len - 18);
			len -= 18;
			break;
		case SL_EXEC_SET_FIELD:
			CU_ASSERT_EQUAL_FATAL(a->set_field.field, OFPXMT_OFB_IPV4_DST);
			memcpy(p + lay.l3_ofs + 16, a->set_field.value, 4);
			break;
		case SL_EXEC_OUTPUT: {
			size_t n = strlen(lg->out);
			snprintf(lg->out + n, sizeof(lg->out) - n, "%s%u:%u", n ? "," : "",
				 a->output.port, p[len - 9]);
			break;
		}
		case SL_EXEC_RECIRC:
			if (lg->n_recirc < 8)
				lg->recirc_ids[lg->n_recirc] = a->recirc_id;
			lg->n_recirc++;
			run_pkt(p, len, a->recirc_id, lg, depth + 1);
			return; /* the last action of its scope */
		default:
			CU_FAIL("unexpected datapath action");
		}
	}
}

static struct run_log
run_frame(const uint8_t *frame, size_t len)
{
	uint8_t buf[256];
	struct run_log lg;
	memset(&lg, 0, sizeof(lg));
	memcpy(buf, frame, len);
	run_pkt(buf, len, 0, &lg, 0);
	return lg;
}

static void
add_rule(uint8_t table, uint16_t prio, struct sl_match *m, struct sl_action *apply, uint16_t n,
	 int goto_table)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, table, prio);
	if (m)
		fm.match = *m;
	fm.ins.apply = apply;
	fm.ins.n_apply = n;
	if (goto_table >= 0) {
		fm.ins.has_goto = true;
		fm.ins.goto_table = (uint8_t)goto_table;
	}
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
}

static void
match_ip_dst(struct sl_match *m, uint8_t d)
{
	sl_match_init_catchall(m);
	m16(m, OFPXMT_OFB_ETH_TYPE, 0x0800);
	m32(m, OFPXMT_OFB_IPV4_DST, 0x0a000000u | d);
}

/* table 0: mpls -> pop_mpls:0x0800, goto 1; table 1: nw_dst -> write_metadata,
 * goto 2; table 2: metadata + udp_dst -> output. */
static void
test_mpls_to_ipv4(void)
{
	setup();
	struct sl_match m;
	struct sl_action pop = { .type = OFPAT_POP_MPLS, .ethertype = 0x0800 };
	sl_match_init_catchall(&m);
	m16(&m, OFPXMT_OFB_ETH_TYPE, 0x8847);
	add_rule(0, 10, &m, &pop, 1, 1);
	match_ip_dst(&m, 1);
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 1, 10);
	fm.match = m;
	fm.ins.has_write_metadata = true;
	fm.ins.metadata = 5;
	fm.ins.metadata_mask = 0xff;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 2;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	struct sl_action o2 = out(2), o3 = out(3), o4 = out(4);
	add_rule(1, 1, NULL, &o3, 1, -1); /* other destinations */
	sl_match_init_catchall(&m);
	uint64_t md = rte_cpu_to_be_64(5);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_METADATA, &md, NULL, 8), 0);
	m16(&m, OFPXMT_OFB_ETH_TYPE, 0x0800);
	uint8_t udp = 17;
	sl_match_set_oxm(&m, OFPXMT_OFB_IP_PROTO, &udp, NULL, 1);
	m16(&m, OFPXMT_OFB_UDP_DST, 53);
	add_rule(2, 10, &m, &o2, 1, -1);
	add_rule(2, 1, NULL, &o4, 1, -1);

	uint8_t f[128];
	size_t n = mpls_frame(f, 1);
	struct run_log a = run_frame(f, n);
	CU_ASSERT_STRING_EQUAL(a.out, "2:1");
	CU_ASSERT_EQUAL(a.n_recirc, 1);
	CU_ASSERT_EQUAL(a.n_rules, 3);  /* each rule once */
	CU_ASSERT_EQUAL(a.n_tables, 3); /* 0 on the first pass, 1 and 2 after */
	n = mpls_frame(f, 7);
	struct run_log b = run_frame(f, n);
	CU_ASSERT_STRING_EQUAL(b.out, "3:7");
	CU_ASSERT_EQUAL(b.recirc_ids[0], a.recirc_ids[0]); /* same frozen state, same id */
	CU_ASSERT_EQUAL(sl_pipeline_n_recirc(pl), 1);
	/* the first pass's megaflow does not depend on the inner headers */
	struct sl_flow_key k;
	sl_flow_parse(f, n, 1, 1, 0, &k, NULL);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "pop_mpls,recirc:1");
	CU_ASSERT_EQUAL(res.mask.ipv4_dst, 0);
	/* a plain IPv4 packet never recirculates and misses table 0 */
	n = ipv4_frame(f, 1, MAC_A);
	CU_ASSERT_STRING_EQUAL(run_frame(f, n).out, "");
	/* an unknown id is a clean drop */
	k.recirc_id = 999;
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), SL_XLATE_RECIRC_LOST);
	CU_ASSERT_EQUAL(res.n_actions, 0);
	teardown();
}

/* pop in the action set (frozen mid-set) and in a group bucket (frozen inside
 * the clone); a pop followed only by outputs does not recirculate. */
static void
test_mpls_action_set_and_bucket(void)
{
	setup();
	struct sl_match m;
	sl_match_init_catchall(&m);
	m16(&m, OFPXMT_OFB_ETH_TYPE, 0x8847);
	uint32_t dst = rte_cpu_to_be_32(0x0a000063); /* 10.0.0.99 */
	struct sl_action w[3] = { { .type = OFPAT_POP_MPLS, .ethertype = 0x0800 },
				  setf(OFPXMT_OFB_IPV4_DST, &dst, 4), out(2) };
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 10);
	fm.match = m;
	fm.ins.has_write = true;
	fm.ins.write = w;
	fm.ins.n_write = 3;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	uint8_t f[128];
	size_t n = mpls_frame(f, 1);
	struct run_log a = run_frame(f, n);
	CU_ASSERT_STRING_EQUAL(a.out, "2:99"); /* set_field reached the inner IPv4 */
	CU_ASSERT_EQUAL(a.n_recirc, 1);
	CU_ASSERT_EQUAL(a.n_rules, 1);

	/* pop then output only: nothing reads the inner headers */
	struct sl_action plain[2] = { { .type = OFPAT_POP_MPLS, .ethertype = 0x0800 }, out(3) };
	fm.command = OFPFC_MODIFY_STRICT;
	fm.ins.has_write = false;
	fm.ins.n_write = 0;
	fm.ins.apply = plain;
	fm.ins.n_apply = 2;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	struct sl_flow_key k;
	sl_flow_parse(f, n, 1, 1, 0, &k, NULL);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "pop_mpls,output:3");

	/* group ALL: bucket 0 pops and rewrites (recirculates its copy), bucket 1 outputs */
	struct sl_action b0[3] = { { .type = OFPAT_POP_MPLS, .ethertype = 0x0800 },
				   setf(OFPXMT_OFB_IPV4_DST, &dst, 4), out(2) };
	struct sl_action b1 = out(4);
	struct sl_bucket bk[2] = {
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 3, .actions = b0 },
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &b1 },
	};
	struct sl_group_mod gm = { .command = OFPGC_ADD, .type = OFPGT_ALL, .group_id = 1,
				   .n_buckets = 2, .buckets = bk };
	CU_ASSERT_EQUAL(sl_pipeline_group_mod(pl, &gm), 0);
	struct sl_action g = { .type = OFPAT_GROUP, .group_id = 1 };
	fm.ins.apply = &g;
	fm.ins.n_apply = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "clone(2),pop_mpls,recirc:2,clone(1),output:4");
	CU_ASSERT_EQUAL(res.n_buckets, 2);
	teardown();
}

/* PBB -> customer Ethernet/IPv4, matched on the customer MAC and IP. */
static void
test_pbb_to_ethernet_ipv4(void)
{
	setup();
	struct sl_match m;
	sl_match_init_catchall(&m);
	m16(&m, OFPXMT_OFB_ETH_TYPE, 0x88e7);
	struct sl_action pop = { .type = OFPAT_POP_PBB };
	add_rule(0, 10, &m, &pop, 1, 1);
	match_ip_dst(&m, 1);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_ETH_DST, MAC_A, NULL, 6), 0);
	struct sl_action o3 = out(3);
	add_rule(1, 10, &m, &o3, 1, -1);
	uint8_t f[160];
	size_t n = pbb_frame(f, 1, MAC_A);
	struct run_log a = run_frame(f, n);
	CU_ASSERT_STRING_EQUAL(a.out, "3:1");
	CU_ASSERT_EQUAL(a.n_rules, 2);
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0xcc };
	n = pbb_frame(f, 1, other);
	CU_ASSERT_STRING_EQUAL(run_frame(f, n).out, ""); /* other customer MAC: table 1 misses */
	teardown();
}

/* Lifetime: ids unused for two version bumps are swept by reclaim. */
static void
test_recirc_sweep(void)
{
	setup();
	struct sl_match m;
	sl_match_init_catchall(&m);
	m16(&m, OFPXMT_OFB_ETH_TYPE, 0x8847);
	struct sl_action pop = { .type = OFPAT_POP_MPLS, .ethertype = 0x0800 };
	add_rule(0, 10, &m, &pop, 1, 1);
	uint8_t f[128];
	size_t n = mpls_frame(f, 1);
	struct sl_flow_key k;
	sl_flow_parse(f, n, 1, 1, 0, &k, NULL);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "pop_mpls,recirc:1");
	CU_ASSERT_EQUAL(sl_pipeline_n_recirc(pl), 1);
	struct sl_action o2 = out(2);
	add_rule(1, 1, NULL, &o2, 1, -1); /* version +1: still kept */
	sl_pipeline_synchronize(pl);
	CU_ASSERT_EQUAL(sl_pipeline_n_recirc(pl), 1);
	add_rule(2, 1, NULL, &o2, 1, -1); /* version +2: swept */
	sl_pipeline_synchronize(pl);
	CU_ASSERT_EQUAL(sl_pipeline_n_recirc(pl), 0);
	k.recirc_id = 1;
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), SL_XLATE_RECIRC_LOST);
	k.recirc_id = 0;
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "pop_mpls,recirc:2"); /* interned again */
	teardown();
}

/* Labels 0..7 each freeze a different state (write_metadata = label), table 1
 * routes on metadata: port 2 + label % 3. */
static void
label_rules(void)
{
	for (uint32_t l = 0; l < 8; l++) {
		struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 10);
		m16(&fm.match, OFPXMT_OFB_ETH_TYPE, 0x8847);
		m32(&fm.match, OFPXMT_OFB_MPLS_LABEL, l);
		static struct sl_action pop = { .type = OFPAT_POP_MPLS, .ethertype = 0x0800 };
		fm.ins.apply = &pop;
		fm.ins.n_apply = 1;
		fm.ins.has_write_metadata = true;
		fm.ins.metadata = l;
		fm.ins.metadata_mask = 0xff;
		fm.ins.has_goto = true;
		fm.ins.goto_table = 1;
		CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
		struct sl_flow_mod f1 = fm_new(OFPFC_ADD, 1, 10);
		uint64_t md = rte_cpu_to_be_64(l);
		CU_ASSERT_EQUAL(sl_match_set_oxm(&f1.match, OFPXMT_OFB_METADATA, &md, NULL, 8), 0);
		struct sl_action o = out(2 + l % 3); /* never in_port 1 */
		f1.ins.apply = &o;
		f1.ins.n_apply = 1;
		CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &f1, NULL), 0);
	}
}

static struct sl_flow_key
label_key(uint32_t l)
{
	uint8_t f[128];
	size_t n = mpls_frame(f, 1);
	f[14] = (uint8_t)(l >> 12);
	f[15] = (uint8_t)(l >> 4);
	f[16] = (uint8_t)((l << 4) | 1); /* BoS */
	struct sl_flow_key k;
	sl_flow_parse(f, n, 1, 1, 0, &k, NULL);
	return k;
}

/* A full table refuses new states with a clean drop. */
static void
test_recirc_full(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2, .max_recirc = 2 };
	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	label_rules();
	for (uint32_t l = 0; l < 2; l++) {
		struct sl_flow_key k = label_key(l);
		CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), 0);
	}
	struct sl_flow_key k = label_key(2);
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), SL_XLATE_RECIRC_FULL);
	CU_ASSERT_EQUAL(res.n_actions, 0);
	k = label_key(1); /* known states still resolve */
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), 0);
	teardown();
}

struct rc_reader {
	unsigned int id;
	int *stop;
	unsigned long n, lost, full, bad;
};

/* One packet like a worker: first pass, then the recirculated pass. */
static void
rc_packet(struct rc_reader *c, struct sl_xlate_result *r)
{
	uint32_t l = (uint32_t)(c->n++ % 8);
	struct sl_flow_key k = label_key(l);
	int rc = sl_xlate(pl, &k, r);
	if (rc == SL_XLATE_RECIRC_FULL) { /* live + not yet reusable ids */
		c->full++;
		return;
	}
	if (rc != 0 || r->n_actions != 2 || r->actions[1].type != SL_EXEC_RECIRC) {
		c->bad++;
		return;
	}
	uint8_t f[128];
	size_t n = ipv4_frame(f, 1, MAC_A);
	sl_flow_parse(f, n, 1, 1, 0, &k, NULL);
	k.recirc_id = r->actions[1].recirc_id;
	rc = sl_xlate(pl, &k, r);
	if (rc == SL_XLATE_RECIRC_LOST)
		c->lost++;
	else if (rc != 0 || r->n_actions != 1 || r->actions[0].output.port != 2 + l % 3)
		c->bad++; /* resumed someone else's state */
}

/* Like a worker: quiescent only between packets. */
static void *
rc_reader_main(void *p)
{
	struct rc_reader *c = p;
	struct rte_rcu_qsbr *q = sl_pipeline_qsbr(pl);
	static __thread struct sl_xlate_result r;
	rte_rcu_qsbr_thread_register(q, c->id);
	rte_rcu_qsbr_thread_online(q, c->id);
	while (!__atomic_load_n(c->stop, __ATOMIC_ACQUIRE)) {
		rc_packet(c, &r);
		rte_rcu_qsbr_quiescent(q, c->id); /* between "bursts" only */
	}
	rte_rcu_qsbr_thread_offline(q, c->id);
	rte_rcu_qsbr_thread_unregister(q, c->id);
	return NULL;
}

/* Two readers intern and resume while the writer bumps the version and
 * sweeps: ids churn (a table of 12 for 8 states), a resumed id is never
 * another state's, freed entries go through RCU (ASan build). */
static void
test_recirc_concurrent(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2, .max_recirc = 12 };
	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	label_rules();
	int stop = 0;
	struct rc_reader rd[2] = { { 0, &stop, 0, 0, 0, 0 }, { 1, &stop, 0, 0, 0, 0 } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, rc_reader_main, &rd[i]);
	struct sl_action o = out(4);
	for (unsigned int it = 0; it < 20000; it++) {
		struct sl_flow_mod fm = fm_new(it % 2 ? OFPFC_DELETE : OFPFC_ADD, 2, 1);
		fm.ins.apply = &o;
		fm.ins.n_apply = fm.command == OFPFC_ADD;
		sl_pipeline_flow_mod(pl, &fm, NULL); /* bumps the version */
		sl_pipeline_reclaim(pl);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CU_ASSERT_EQUAL(rd[0].bad + rd[1].bad, 0);
	/* the churn is extreme (a version bump every few microseconds), yet
	 * packets still get through: refusals are transient */
	CU_ASSERT(rd[0].full + rd[1].full + rd[0].lost + rd[1].lost < rd[0].n + rd[1].n);
	printf("(%lu packets, %lu lost to sweeps, %lu refused: table full) ", rd[0].n + rd[1].n,
	       rd[0].lost + rd[1].lost, rd[0].full + rd[1].full);
	sl_pipeline_synchronize(pl);
	teardown();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "mpls_to_ipv4_through_tables", test_mpls_to_ipv4 },
		{ "mpls_action_set_and_bucket", test_mpls_action_set_and_bucket },
		{ "pbb_to_ethernet_ipv4", test_pbb_to_ethernet_ipv4 },
		{ "recirc_sweep", test_recirc_sweep },
		{ "recirc_full", test_recirc_full },
		{ "recirc_concurrent", test_recirc_concurrent },
	};

	return cunit_run_suite("recirc", tests, CUNIT_N_TESTS(tests));
}
