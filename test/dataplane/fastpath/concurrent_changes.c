/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_concurrent_rules' writer: the rule, group and liveness changes it
 * applies to the datapath's pipeline and to the reference alike, and the
 * agent's barrier (concurrent_rules.h).
 */
#include <netinet/in.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "test_flow_mod.h"

#include "sl_tables.h"
#include "sl_match.h"
#include "concurrent_rules.h"

static struct {
	uint8_t table;
	uint16_t priority;
	struct sl_match match;
} added[MAX_ADDED];
static unsigned int n_added;

static void
apply_flow_mod(const struct sl_flow_mod *fm)
{
	int a = sl_pipeline_flow_mod(dp.pipeline, fm, NULL);
	int b = sl_pipeline_flow_mod(shadow, fm, NULL);

	CU_ASSERT_EQUAL(a, b);
	if (a == 0 && fm->command == OFPFC_ADD) {
		unsigned int slot = n_added < MAX_ADDED ? n_added++ : rnd(MAX_ADDED);

		added[slot].table = fm->table_id;
		added[slot].priority = fm->priority;
		added[slot].match = fm->match;
	}
}

static void
random_match(struct sl_match *m)
{
	uint16_t ip = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	sl_match_init_catchall(m);
	if (rnd(2)) {
		uint32_t in = rte_cpu_to_be_32(1 + rnd(N_PORTS));

		sl_match_set_oxm(m, OFPXMT_OFB_IN_PORT, &in, NULL, 4);
	}
	if (rnd(3) == 0) {
		uint8_t mac[6] = { 2, 0, 0, 0, 0, (uint8_t)(1 + rnd(4)) };

		sl_match_set_oxm(m, OFPXMT_OFB_ETH_DST, mac, NULL, 6);
	}
	if (rnd(2)) {
		uint32_t a = rte_cpu_to_be_32(0x0a000100u | rnd(8));
		uint32_t mask = rte_cpu_to_be_32(0xffffffffu << rnd(4));

		sl_match_set_oxm(m, OFPXMT_OFB_ETH_TYPE, &ip, NULL, 2);
		sl_match_set_oxm(m, OFPXMT_OFB_IPV4_DST, &a, &mask, 4);
		if (rnd(2)) {
			uint8_t proto = IPPROTO_UDP;
			uint16_t port = rte_cpu_to_be_16((uint16_t)(80 + rnd(3)));

			sl_match_set_oxm(m, OFPXMT_OFB_IP_PROTO, &proto, NULL, 1);
			sl_match_set_oxm(m, OFPXMT_OFB_UDP_DST, &port, NULL, 2);
		}
	}
}

/* Random instructions for a rule of @table matching @m: drop, output,
 * rewrite + output, dec_ttl + output, a group, the controller; maybe goto. */
static void
random_instructions(struct sl_flow_mod *fm, struct sl_action acts[2])
{
	memset(acts, 0, 2 * sizeof(*acts));
	memset(&fm->ins, 0, sizeof(fm->ins));
	if (fm->table_id < N_TABLES - 1 && rnd(3) == 0) {
		fm->ins.has_goto = true;
		fm->ins.goto_table = (uint8_t)(fm->table_id + 1 + rnd(N_TABLES - 1 - fm->table_id));
	}
	fm->ins.apply = acts;
	switch (rnd(7)) {
	case 0: /* drop (or only goto) */
		return;
	case 1:
		if (fm->match.present & (1ull << OFPXMT_OFB_ETH_TYPE)) {
			acts[0].type = OFPAT_DEC_NW_TTL;
			acts[1].type = OFPAT_OUTPUT;
			acts[1].output.port = 1 + rnd(N_PORTS);
			fm->ins.n_apply = 2;
			return;
		}
		/* fall through */
	case 2:
		acts[0].type = OFPAT_SET_FIELD;
		acts[0].set_field.field = OFPXMT_OFB_ETH_SRC;
		acts[0].set_field.len = 6;
		memcpy(acts[0].set_field.value, (uint8_t[]){ 2, 9, 9, 9, 9, (uint8_t)rnd(9) }, 6);
		acts[1].type = OFPAT_OUTPUT;
		acts[1].output.port = rnd(4) ? 1 + rnd(N_PORTS) : OFPP_IN_PORT;
		fm->ins.n_apply = 2;
		return;
	case 3:
	case 4:
		acts[0].type = OFPAT_GROUP;
		acts[0].group_id = 1 + rnd(N_GROUPS);
		fm->ins.n_apply = 1;
		return;
	case 5:
		acts[0].type = OFPAT_OUTPUT;
		acts[0].output.port = rnd(3) ? OFPP_CONTROLLER : OFPP_FLOOD;
		acts[0].output.max_len = 0xffff;
		fm->ins.n_apply = 1;
		return;
	default:
		acts[0].type = OFPAT_OUTPUT;
		acts[0].output.port = 1 + rnd(N_PORTS);
		fm->ins.n_apply = 1;
	}
}

/* One change a reader sees atomically: an ADD (new rule, or new
 * instructions of an identical rule), or a strict modify/delete of a rule
 * added earlier to @table. */
void
atomic_flow_mod(uint8_t table)
{
	struct sl_action acts[2];
	struct sl_flow_mod fm;
	unsigned int pick = n_added ? rnd(n_added) : 0;
	unsigned int what = rnd(3);

	if (what && (n_added == 0 || added[pick].table != table))
		what = 0;
	fm = fm_new(what == 0 ? OFPFC_ADD : what == 1 ? OFPFC_MODIFY_STRICT
						       : OFPFC_DELETE_STRICT, table, 0);
	if (what == 0) {
		fm.priority = (uint16_t)rnd(4);
		random_match(&fm.match);
	} else {
		fm.priority = added[pick].priority;
		fm.match = added[pick].match;
	}
	random_instructions(&fm, acts);
	apply_flow_mod(&fm);
}

/* Anything, including changes that touch many rules at once. */
void
any_flow_mod(void)
{
	struct sl_action acts[2];
	struct sl_flow_mod fm;
	uint8_t cmd = (uint8_t)(rnd(3) == 0 ? OFPFC_DELETE : rnd(2) ? OFPFC_MODIFY
								       : OFPFC_ADD);

	fm = fm_new(cmd, (uint8_t)rnd(N_TABLES), 0);
	fm.priority = (uint16_t)rnd(4);
	random_match(&fm.match);
	if (cmd == OFPFC_DELETE && rnd(4) == 0)
		fm.out_group = 1 + rnd(N_GROUPS);
	random_instructions(&fm, acts);
	apply_flow_mod(&fm);
}

/* Group g has type (g - 1): 1 ALL, 2 SELECT, 3 INDIRECT, 4 FAST_FAILOVER. */
void
group_mod(uint32_t g, uint16_t cmd)
{
	struct sl_action acts[3][2];
	struct sl_bucket b[3];
	struct sl_group_mod gm = { .command = cmd, .type = (uint8_t)(g - 1), .group_id = g,
				   .buckets = b };
	int rc1, rc2;

	gm.n_buckets = gm.type == OFPGT_INDIRECT ? 1 : (uint16_t)(1 + rnd(3));
	memset(acts, 0, sizeof(acts));
	for (unsigned int i = 0; i < gm.n_buckets; i++) {
		uint32_t port = 1 + rnd(N_PORTS);
		uint16_t n = 0;

		if (rnd(2)) {
			acts[i][n].type = OFPAT_SET_FIELD;
			acts[i][n].set_field.field = OFPXMT_OFB_ETH_SRC;
			acts[i][n].set_field.len = 6;
			memcpy(acts[i][n++].set_field.value,
			       (uint8_t[]){ 2, 8, 8, 8, (uint8_t)g, (uint8_t)i }, 6);
		}
		acts[i][n].type = OFPAT_OUTPUT;
		acts[i][n++].output.port = port;
		b[i] = (struct sl_bucket){ .weight = gm.type == OFPGT_SELECT ? 1 + rnd(3) : 0,
			.watch_port = gm.type == OFPGT_FF ? port : OFPP_ANY,
			.watch_group = OFPG_ANY, .n_actions = n, .actions = acts[i] };
	}
	rc1 = sl_pipeline_group_mod(dp.pipeline, &gm);
	rc2 = sl_pipeline_group_mod(shadow, &gm);
	CU_ASSERT_EQUAL(rc1, rc2);
}

void
toggle_liveness(void)
{
	uint32_t port = 1 + rnd(N_PORTS);
	bool live = !sl_pipeline_port_live(shadow, port);

	sl_pipeline_set_port_live(dp.pipeline, port, live);
	sl_pipeline_set_port_live(shadow, port, live);
}

void
group_delete(uint32_t g)
{
	struct sl_group_mod gm = { .command = OFPGC_DELETE, .group_id = g };

	CU_ASSERT_EQUAL(sl_pipeline_group_mod(dp.pipeline, &gm), sl_pipeline_group_mod(shadow, &gm));
}

/* The barrier of the agent: sync, then free what the workers cannot see. */
void
barrier(void)
{
	sl_datapath_sync(&dp);
	sl_tables_reclaim(&dp);
	sl_pipeline_reclaim(shadow);
}

/* A fresh random rule set on both pipelines. */
void
new_rule_set(void)
{
	struct sl_flow_mod del = fm_new(OFPFC_DELETE, OFPTT_ALL, 0);

	apply_flow_mod(&del);
	n_added = 0;
	for (uint32_t g = 1; g <= N_GROUPS; g++) {
		group_delete(g);
		group_mod(g, OFPGC_ADD);
	}
	for (uint32_t p = 1; p <= N_PORTS; p++) {
		sl_pipeline_set_port_live(dp.pipeline, p, true);
		sl_pipeline_set_port_live(shadow, p, true);
	}
	for (unsigned int r = 0; r < 8 + rnd(30); r++)
		atomic_flow_mod((uint8_t)rnd(N_TABLES));
	barrier();
}

