/* SPDX-License-Identifier: BSD-3-Clause */
/* The neighbour table in the datapath: made from the configuration
 * (settings, static entries) once the ports are open, the workers' drain
 * of the frames the control lcore sends, freed after the workers stop
 * (sl_neigh_dp.h). */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_telemetry.h>

#include "sl_datapath.h"
#include "sl_neigh_dp.h"
#include "sl_worker_tx.h"

int
sl_neigh_datapath_init(struct sl_datapath *dp)
{
	const struct sl_config *cfg = dp->cfg;
	struct sl_neigh_params p;
	int socket = 0;

	while (socket < SL_MAX_SOCKETS && dp->pools[socket] == NULL)
		socket++;
	if (dp->n_workers == 0 || socket == SL_MAX_SOCKETS)
		return 0; /* nothing sends or receives */
	sl_neigh_params_default(&p);
	p.n_workers = dp->n_workers;
	p.socket = socket;
	p.pool = dp->pools[socket];
	p.qsbr = dp->qsbr;
	p.wake = &dp->ctl_wake;
	p.workers = dp->workers;
	p.timeout_ms = cfg->neigh_timeout_ms;
	p.retries = cfg->neigh_retries;
	p.queue_len = cfg->neigh_queue_len;
	dp->neigh = sl_neigh_create("sl_neigh", &p);
	if (dp->neigh == NULL) {
		fprintf(stderr, "sluiced: cannot create the neighbour table: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	for (unsigned int i = 0; i < cfg->n_neighbours; i++) {
		const struct sl_config_neigh *n = &cfg->neighbours[i];
		struct rte_ether_addr mac;
		char ip[SL_IP_ADDR_STRLEN];
		int rc;

		memcpy(mac.addr_bytes, n->mac, sizeof(n->mac));
		rc = sl_neigh_static_add(dp->neigh, n->port < 0 ? UINT16_MAX : (uint16_t)n->port,
					 &n->ip, &mac);
		if (rc != 0) /* the configuration checked the entry: only a full table */
			fprintf(stderr, "sluiced: static neighbour %s not added: %s\n",
				sl_ip_addr_format(&n->ip, ip, sizeof(ip)), strerror(-rc));
	}
	return 0;
}

void
sl_neigh_datapath_free(struct sl_datapath *dp)
{
	sl_neigh_free(dp->neigh);
	dp->neigh = NULL;
}

void
sl_neigh_worker_run(struct sl_worker *w)
{
	struct sl_neigh_table *t = w->dp->neigh;
	struct rte_mbuf *pkts[32];
	uint16_t ports[32];
	unsigned int n;

	if (t == NULL)
		return;
	n = sl_neigh_worker_drain(t, w->idx, pkts, ports, RTE_DIM(pkts));
	for (unsigned int i = 0; i < n; i++) {
		/* they enter the switch from the control lcore, as packet-outs
		 * do (sl_drops.h: the controller slot's rx) */
		w->acct[SL_ACCT_CONTROLLER].rx++;
		if (unlikely(ports[i] >= w->dp->n_ports || w->dp->ports[ports[i]] == NULL)) {
			w->acct[SL_ACCT_CONTROLLER].drops[SL_DROP_NO_OUTPUT]++;
			rte_pktmbuf_free(pkts[i]);
			continue;
		}
		sl_worker_output(w, ports[i], pkts[i]);
	}
}

/* ---- telemetry ---- */

static const struct sl_datapath *tel_dp;

struct tel_rows {
	struct rte_tel_data *list;
	unsigned int n;
};

static int
tel_row(const struct sl_neigh_entry_info *e, void *arg)
{
	struct tel_rows *r = arg;
	const uint8_t *m = e->mac.addr_bytes;
	char ip[SL_IP_ADDR_STRLEN], row[RTE_TEL_MAX_STRING_LEN];

	snprintf(row, sizeof(row), "%d %s %02x:%02x:%02x:%02x:%02x:%02x %s %" PRIu64,
		 e->port == UINT16_MAX ? -1 : (int)e->port, sl_ip_addr_format(&e->ip, ip, sizeof(ip)),
		 m[0], m[1], m[2], m[3], m[4], m[5], e->state, e->age_ms);
	rte_tel_data_add_array_string(r->list, row);
	return ++r->n >= 200;
}

static int
tel_neighbours(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct sl_neigh_stats st;
	struct tel_rows rows;
	struct timespec ts;

	(void)cmd; (void)params;
	if (tel_dp->neigh == NULL)
		return -1;
	sl_neigh_stats_get(tel_dp->neigh, &st);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "entries", st.entries);
	rte_tel_data_add_dict_u64(d, "resolved", st.resolved);
	rte_tel_data_add_dict_u64(d, "requests_sent", st.requests_sent);
	rte_tel_data_add_dict_u64(d, "replies_sent", st.replies_sent);
	rte_tel_data_add_dict_u64(d, "learned", st.learned);
	rte_tel_data_add_dict_u64(d, "aged", st.aged);
	rte_tel_data_add_dict_u64(d, "failed", st.failed);
	rte_tel_data_add_dict_u64(d, "parked", st.parked);
	rte_tel_data_add_dict_u64(d, "parked_sent", st.parked_sent);
	rte_tel_data_add_dict_u64(d, "drop_queue_full", st.drop_queue_full);
	rte_tel_data_add_dict_u64(d, "drop_unresolved", st.drop_unresolved);
	rte_tel_data_add_dict_u64(d, "drop_ring_full", st.drop_ring_full);
	rte_tel_data_add_dict_u64(d, "drop_tx_ring_full", st.drop_tx_ring_full);
	rte_tel_data_add_dict_u64(d, "drop_no_memory", st.drop_no_memory);
	rte_tel_data_add_dict_u64(d, "drop_table_full", st.drop_table_full);
	rte_tel_data_add_dict_u64(d, "bad_input", st.bad_input);
	rows.list = rte_tel_data_alloc();
	if (rows.list == NULL)
		return 0;
	rows.n = 0;
	rte_tel_data_start_array(rows.list, RTE_TEL_STRING_VAL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sl_neigh_walk(tel_dp->neigh, (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000,
		      tel_row, &rows);
	rte_tel_data_add_dict_container(d, "table", rows.list, 0);
	return 0;
}

void
sl_neigh_telemetry_register(struct sl_datapath *dp)
{
	tel_dp = dp;
	rte_telemetry_register_cmd("/sluice/neighbours", tel_neighbours,
				   "Underlay neighbours (ARP / ND): counters and entries. No parameters");
}
