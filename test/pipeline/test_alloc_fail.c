/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Allocation-failure injection: for each operation (flow-mod add / replace /
 * modify / delete, group-mod add / modify / delete, a translation that
 * recirculates), on a fresh pipeline, allocation N fails for N = 1, 2, ...
 * until the operation makes fewer than N allocations. Each run either fails
 * with the documented error and leaves the tables exactly as they were
 * (rules, instructions, groups, recirculation ids, and the translations of a
 * set of probe packets), or succeeds with exactly the result of a run without
 * injection. Leaks show up in the ASan build (every pipeline is destroyed).
 */
#include <stdio.h>

#include "cunit_main.h"

#include "pipeline_test_util.h"

#define ERR_FLOW SL_OFPERR(OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN)
#define ERR_GROUPS SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_GROUPS)
#define ERR_BUCKETS SL_OFPERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_OUT_OF_BUCKETS)

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static uint64_t
acts_hash(uint64_t h, const struct sl_action *a, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		h = fnv(h, &a[i].type, sizeof(a[i].type));
		h = fnv(h, &a[i].set_field, sizeof(a[i].set_field)); /* the union's bytes */
	}
	return h;
}

/* The probe packets: IPv4 TCP/UDP to a few addresses, on two ports. */
static struct sl_flow_key
probe(unsigned int i)
{
	struct sl_flow_key k = pkt_key(1 + i % 2);
	k.ipv4_dst = rte_cpu_to_be_32((i & 4) ? 0x0a000105u : 0x0a000000u | (i & 3));
	k.ipv4_src = rte_cpu_to_be_32((i & 8) ? 0xc0a80001u : 0x0a000009u);
	k.tcp_dst = rte_cpu_to_be_16((i & 16) ? 80 : 22);
	return k;
}

/* Everything a failed operation must leave as it was, as text. */
static void
dump(char *buf, size_t size)
{
	size_t n = 0;
	for (uint8_t t = 0; t < 3; t++) {
		uint64_t sum = 0;
		unsigned int cnt = 0;
		for (const struct sl_cls_rule *cr = sl_cls_first(sl_pipeline_table_cls(pl, t)); cr;
		     cr = cr->all_next) {
			const struct sl_rule *r = (const struct sl_rule *)cr;
			const struct sl_instructions *ins = r->ins;
			uint64_t h = fnv(14695981039346656037ull, &cr->priority, sizeof(cr->priority));
			h = fnv(h, &r->cookie, sizeof(r->cookie));
			h = fnv(h, &cr->match.key, sizeof(cr->match.key));
			h = fnv(h, &cr->match.mask, sizeof(cr->match.mask));
			h = acts_hash(h, ins->apply, ins->n_apply);
			h = acts_hash(h, ins->write, ins->n_write);
			h = fnv(h, &ins->goto_table, 1);
			sum += h; /* order-independent */
			cnt++;
		}
		CU_ASSERT_EQUAL(cnt, sl_pipeline_table_count(pl, t));
		n += (size_t)snprintf(buf + n, size - n, "t%u:%u:%016llx ", t, cnt,
				      (unsigned long long)sum);
	}
	for (uint32_t id = 1; id <= 4; id++) {
		const struct sl_group *g = sl_pipeline_group(pl, id);
		uint64_t h = 0;
		for (uint16_t b = 0; g && b < g->n_buckets; b++) {
			h = fnv(h, &g->buckets[b].weight, sizeof(g->buckets[b].weight));
			h = acts_hash(h, g->buckets[b].actions, g->buckets[b].n_actions);
		}
		n += (size_t)snprintf(buf + n, size - n, "g%u:%d:%u:%u:%016llx ", id,
				      g ? g->type : -1, g ? g->n_buckets : 0,
				      g ? g->stats->ref_count : 0, (unsigned long long)h);
	}
	n += (size_t)snprintf(buf + n, size - n, "recirc:%u n_groups:%u\n", sl_pipeline_n_recirc(pl),
			      sl_pipeline_n_groups(pl));
	for (unsigned int i = 0; i < 32 && n < size; i++) {
		struct sl_flow_key k = probe(i);
		n += (size_t)snprintf(buf + n, size - n, "%s;", xlate_str(&k));
	}
}

static int
flow(uint8_t cmd, uint8_t table, uint16_t prio, struct sl_match *m, struct sl_action *a,
     uint16_t n, int goto_table)
{
	struct sl_flow_mod fm = fm_new(cmd, table, prio);
	if (m)
		fm.match = *m;
	fm.cookie = 100u + prio;
	fm.ins.apply = a;
	fm.ins.n_apply = n;
	if (goto_table >= 0) {
		fm.ins.has_goto = true;
		fm.ins.goto_table = (uint8_t)goto_table;
	}
	return sl_pipeline_flow_mod(pl, &fm, NULL);
}

static int
group(uint16_t cmd, uint32_t id, uint8_t type, uint32_t p1, uint32_t p2)
{
	static struct sl_action o[2];
	o[0] = out(p1);
	o[1] = out(p2);
	struct sl_bucket b[2] = {
		{ .weight = 1, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &o[0] },
		{ .weight = 2, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &o[1] },
	};
	if (type != OFPGT_SELECT)
		b[0].weight = b[1].weight = 0;
	struct sl_group_mod gm = { .command = cmd, .type = type, .group_id = id, .n_buckets = 2,
				   .buckets = b };
	return sl_pipeline_group_mod(pl, &gm);
}

static void
match_ip(struct sl_match *m, unsigned int field, uint32_t addr, uint32_t mask)
{
	sl_match_init_catchall(m);
	m16(m, OFPXMT_OFB_ETH_TYPE, 0x0800);
	uint32_t a = rte_cpu_to_be_32(addr), mk = rte_cpu_to_be_32(mask);
	CU_ASSERT_EQUAL(sl_match_set_oxm(m, field, &a, mask == UINT32_MAX ? NULL : &mk, 4), 0);
}

/* Groups 1 (ALL) and 2 (SELECT); table 0: in_port, /24, /32, MPLS pop,
 * table-miss; table 1: TCP 80, catch-all to group 2. */
static void
build_world(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2 };
	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	CU_ASSERT_EQUAL(group(OFPGC_ADD, 1, OFPGT_ALL, 1, 2), 0);
	CU_ASSERT_EQUAL(group(OFPGC_ADD, 2, OFPGT_SELECT, 3, 4), 0);
	struct sl_match m;
	struct sl_action o3 = out(3), o4 = out(4), o2 = out(2);
	struct sl_action g1 = { .type = OFPAT_GROUP, .group_id = 1 };
	struct sl_action g2 = { .type = OFPAT_GROUP, .group_id = 2 };
	struct sl_action pop = { .type = OFPAT_POP_MPLS, .ethertype = 0x0800 };
	sl_match_init_catchall(&m);
	m32(&m, OFPXMT_OFB_IN_PORT, 1);
	CU_ASSERT_EQUAL(flow(OFPFC_ADD, 0, 10, &m, NULL, 0, 1), 0);
	match_ip(&m, OFPXMT_OFB_IPV4_DST, 0x0a000000, 0xffffff00);
	CU_ASSERT_EQUAL(flow(OFPFC_ADD, 0, 20, &m, &g1, 1, -1), 0);
	match_ip(&m, OFPXMT_OFB_IPV4_DST, 0x0a000105, UINT32_MAX);
	CU_ASSERT_EQUAL(flow(OFPFC_ADD, 0, 30, &m, &o3, 1, -1), 0);
	sl_match_init_catchall(&m);
	m16(&m, OFPXMT_OFB_ETH_TYPE, 0x8847);
	CU_ASSERT_EQUAL(flow(OFPFC_ADD, 0, 40, &m, &pop, 1, 1), 0);
	CU_ASSERT_EQUAL(flow(OFPFC_ADD, 0, 0, NULL, &o4, 1, -1), 0);
	sl_match_init_catchall(&m);
	m16(&m, OFPXMT_OFB_ETH_TYPE, 0x0800);
	uint8_t tcp = 6;
	sl_match_set_oxm(&m, OFPXMT_OFB_IP_PROTO, &tcp, NULL, 1);
	m16(&m, OFPXMT_OFB_TCP_DST, 80);
	CU_ASSERT_EQUAL(flow(OFPFC_ADD, 1, 5, &m, &o2, 1, -1), 0);
	CU_ASSERT_EQUAL(flow(OFPFC_ADD, 1, 0, NULL, &g2, 1, -1), 0);
}

enum op { OP_ADD_NEW, OP_ADD_SAME_MASK, OP_ADD_REPLACE, OP_MODIFY, OP_DELETE, OP_GROUP_ADD,
	  OP_GROUP_MODIFY, OP_GROUP_DELETE, OP_XLATE_RECIRC, OP_N };
static const char *const op_names[OP_N] = { "add (new mask)", "add (same mask)", "add (replace)",
	"modify", "delete", "group add", "group modify", "group delete", "xlate (recirc)" };

static int
run_op(enum op op)
{
	struct sl_match m;
	struct sl_action o1 = out(1), o2 = out(2), o4 = out(4);
	switch (op) {
	case OP_ADD_NEW:
		match_ip(&m, OFPXMT_OFB_IPV4_SRC, 0xc0a80000, 0xffff0000);
		return flow(OFPFC_ADD, 0, 25, &m, &o1, 1, -1);
	case OP_ADD_SAME_MASK:
		match_ip(&m, OFPXMT_OFB_IPV4_DST, 0x0a000106, UINT32_MAX);
		return flow(OFPFC_ADD, 0, 30, &m, &o2, 1, -1);
	case OP_ADD_REPLACE:
		match_ip(&m, OFPXMT_OFB_IPV4_DST, 0x0a000105, UINT32_MAX);
		return flow(OFPFC_ADD, 0, 30, &m, &o4, 1, -1);
	case OP_MODIFY: /* every rule of table 0 */
		return flow(OFPFC_MODIFY, 0, 0, NULL, &o1, 1, -1);
	case OP_DELETE: /* the /24 and /32 rules: their subtables go */
		sl_match_init_catchall(&m);
		m16(&m, OFPXMT_OFB_ETH_TYPE, 0x0800);
		return flow(OFPFC_DELETE, 0, 0, &m, NULL, 0, -1);
	case OP_GROUP_ADD:
		return group(OFPGC_ADD, 3, OFPGT_ALL, 2, 4);
	case OP_GROUP_MODIFY:
		return group(OFPGC_MODIFY, 1, OFPGT_SELECT, 4, 1);
	case OP_GROUP_DELETE: /* also deletes the rule forwarding to it */
		return group(OFPGC_DELETE, 1, 0, 0, 0);
	default: {
		static const uint8_t mpls[] = {
			0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x88, 0x47, 0, 0x06, 0x41, 0x40,
			0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		};
		struct sl_flow_key k;
		sl_flow_parse(mpls, sizeof(mpls), 1, 1, 0, &k, NULL);
		int rc = sl_xlate(pl, &k, &res);
		CU_ASSERT(rc != 0 || res.n_actions == 2);
		CU_ASSERT(rc == 0 || res.n_actions == 0); /* a failed translation is a drop */
		return rc;
	}
	}
}

static bool
expected_error(enum op op, int rc)
{
	switch (op) {
	case OP_GROUP_ADD: case OP_GROUP_MODIFY:
		return rc == ERR_GROUPS || rc == ERR_BUCKETS;
	case OP_GROUP_DELETE:
		return rc == ERR_GROUPS;
	case OP_XLATE_RECIRC:
		return rc == SL_XLATE_RECIRC_FULL;
	default:
		return rc == ERR_FLOW;
	}
}

static char before[8192], after[8192], want[8192];

static void
test_alloc_failures(void)
{
	unsigned int total_failed = 0;
	for (int op = 0; op < OP_N; op++) {
		build_world();
		CU_ASSERT_EQUAL_FATAL(run_op((enum op)op), 0);
		dump(want, sizeof(want));
		sl_pipeline_destroy(pl);
		unsigned int failed = 0, n;
		for (n = 1;; n++) {
			build_world();
			dump(before, sizeof(before));
			unsigned long c0 = sl_pipeline_alloc_count();
			sl_pipeline_fail_alloc(n);
			int rc = run_op((enum op)op);
			sl_pipeline_fail_alloc(0);
			bool injected = sl_pipeline_alloc_count() - c0 >= n;
			dump(after, sizeof(after));
			if (rc != 0) {
				failed++;
				CU_ASSERT(expected_error((enum op)op, rc));
				if (strcmp(before, after) != 0) {
					printf("\n  %s, allocation %u failed: tables changed\n%s\n%s\n",
					       op_names[op], n, before, after);
					CU_FAIL("failed operation changed the tables");
				}
			} else if (strcmp(want, after) != 0) {
				printf("\n  %s, allocation %u failed: wrong result\n", op_names[op], n);
				CU_FAIL("operation succeeded with a different result");
			}
			sl_pipeline_synchronize(pl);
			sl_pipeline_destroy(pl);
			if (!injected)
				break; /* the operation made fewer than n allocations */
			CU_ASSERT_FATAL(n < 1000);
		}
		/* every operation allocates; only deletes never fail (they fall
		 * back; a group delete changes the group map in place) */
		CU_ASSERT(n > 1);
		CU_ASSERT(op == OP_DELETE || op == OP_GROUP_DELETE || failed > 0);
		total_failed += failed;
		printf("\n  %-16s %3u allocations, %3u failed cleanly", op_names[op], n - 1, failed);
	}
	printf("\n");
	CU_ASSERT(total_failed > 0);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "every allocation failure is clean", test_alloc_failures },
	};

	return cunit_run_suite("alloc_fail", tests, CUNIT_N_TESTS(tests));
}
