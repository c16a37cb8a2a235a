/* SPDX-License-Identifier: BSD-3-Clause */
/* `dump-neighbours`: the underlay neighbour table (dataplane/neigh), each
 * entry with its state, and the table's counters. Runs on the control
 * lcore, the table's owner. */
#include <string.h>
#include <time.h>

#include "sl_datapath.h"
#include "sl_mgmt_cmds.h"
#include "sl_mgmt_out.h"
#include "sl_neigh.h"

struct neigh_row_ctx {
	struct sl_out *out;
	const struct sl_datapath *dp;
};

static int
neigh_row(const struct sl_neigh_entry_info *e, void *arg)
{
	struct neigh_row_ctx *rc = arg;
	struct sl_out *out = rc->out;
	const struct rte_ether_addr *m = &e->mac;
	char ip[SL_IP_ADDR_STRLEN];

	sl_out_record(out);
	if (e->port == UINT16_MAX)
		sl_out_str(out, "port", "*");
	else if (e->port < rc->dp->n_ports)
		sl_out_str(out, "port", "%s", rc->dp->cfg->ports[e->port].name);
	else
		sl_out_str(out, "port", "%u", e->port);
	sl_out_str(out, "ip", "%s", sl_ip_addr_format(&e->ip, ip, sizeof(ip)));
	sl_out_str(out, "mac", "%02x:%02x:%02x:%02x:%02x:%02x", m->addr_bytes[0], m->addr_bytes[1],
		   m->addr_bytes[2], m->addr_bytes[3], m->addr_bytes[4], m->addr_bytes[5]);
	sl_out_str(out, "state", "%s", e->state);
	sl_out_u64(out, "age_ms", e->age_ms);
	sl_out_u64(out, "parked", e->parked);
	sl_out_u64(out, "tries", e->tries);
	return 0;
}

int
sl_mgmt_cmd_dump_neighbours(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	struct neigh_row_ctx rc = { .out = out, .dp = c->dp };
	struct sl_neigh_stats st;
	struct timespec ts;

	(void)argc; (void)argv;
	if (c->dp->neigh == NULL)
		return sl_out_error(out, "no neighbour table (static cross-connect)");
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sl_out_list(out, "neighbours");
	sl_neigh_walk(c->dp->neigh, (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000,
		      neigh_row, &rc);
	sl_neigh_stats_get(c->dp->neigh, &st);
	sl_out_list(out, "counters");
	sl_out_record(out);
	sl_out_u64(out, "requests_sent", st.requests_sent);
	sl_out_u64(out, "replies_sent", st.replies_sent);
	sl_out_u64(out, "learned", st.learned);
	sl_out_u64(out, "aged", st.aged);
	sl_out_u64(out, "failed", st.failed);
	sl_out_u64(out, "parked", st.parked);
	sl_out_u64(out, "parked_sent", st.parked_sent);
	sl_out_u64(out, "drop_queue_full", st.drop_queue_full);
	sl_out_u64(out, "drop_unresolved", st.drop_unresolved);
	sl_out_u64(out, "drop_ring_full", st.drop_ring_full);
	sl_out_u64(out, "drop_tx_ring_full", st.drop_tx_ring_full);
	sl_out_u64(out, "drop_no_memory", st.drop_no_memory);
	sl_out_u64(out, "drop_table_full", st.drop_table_full);
	sl_out_u64(out, "bad_input", st.bad_input);
	sl_out_u64(out, "input", st.input);
	return 0;
}
