/* SPDX-License-Identifier: BSD-3-Clause */
/* The management commands sluiced answers (sl_mgmt_cmds.h), in help order. */
#include "sl_mgmt_cmds.h"
#include "sl_upgrade.h"

const struct sl_mgmt_cmd sl_mgmt_cmds[] = {
	{ "show", "", "ports, workers and OpenFlow counters", 0, 0, sl_mgmt_cmd_show },
	{ "drops", "[--all]", "named drop counters, per port and per worker (--all: zeros too)",
	  0, 1, sl_mgmt_cmd_drops },
	{ "dump-macs", "", "NORMAL's MAC learning table", 0, 0, sl_mgmt_cmd_dump_macs },
	{ "dump-neighbours", "", "underlay neighbours (ARP / ND, static) of the tunnel ports, "
	  "and their counters", 0, 0, sl_mgmt_cmd_dump_neighbours },
	{ "reset-stats", "", "count show's and drops' counters from 0 (not OpenFlow's)", 0, 0,
	  sl_mgmt_cmd_reset_stats },
	{ "log-levels", "", "each module's log level (rte_log type sluice.MODULE)", 0, 0,
	  sl_mgmt_cmd_log_levels },
	{ "set", "log-level MODULE|all LEVEL", "change a module's log level", 3, 3,
	  sl_mgmt_cmd_set },
	{ "dump-flows", "[table=N] [MATCH]", "OpenFlow rules, as ovs-ofctl dump-flows", 0, -1,
	  sl_mgmt_cmd_dump_flows },
	{ "dump-groups", "[GROUP_ID]", "groups, as ovs-ofctl dump-groups", 0, 1,
	  sl_mgmt_cmd_dump_groups },
	{ "dump-meters", "[METER_ID]", "meters, as ovs-ofctl dump-meters", 0, 1,
	  sl_mgmt_cmd_dump_meters },
	{ "dump-megaflows", "[--worker LCORE] [--limit N]",
	  "each worker's megaflow cache, with the rules behind each entry", 0, 4,
	  sl_mgmt_cmd_dump_megaflows },
	{ "trace", "in_port=N[,FIELD=VALUE...] [--packet HEX] | --live PORT N",
	  "a packet's way through the tables, step by step (changes nothing); --live: what "
	  "the fast path did to the next N packets of PORT", 1, -1,
	  sl_mgmt_cmd_trace },
	{ "rebalance", "", "rx queues to workers by measured load, now; prints the moves", 0, 0,
	  sl_mgmt_cmd_rebalance },
	{ "add-port", "NAME type=dpdk|vhost-user KEY=VALUE...",
	  "add a port while forwarding (the keys of a [port:NAME] section)", 2, -1,
	  sl_mgmt_cmd_add_port },
	{ "del-port", "NAME", "remove a port while forwarding", 1, 1, sl_mgmt_cmd_del_port },
	{ "set-port", "NAME up|down|mtu=N...", "a port administratively up or down, its MTU", 2,
	  3, sl_mgmt_cmd_set_port },
	{ "capture", "PORT [--count N] [--rx|--tx|--both] [--snaplen S] FILE",
	  "copies of a port's packets into a pcapng file, any port kind (docs/capture.md)", 1,
	  8, sl_mgmt_cmd_capture },
	{ "upgrade-info", "", "what a sluiced taking over needs (sluiced --take-over)", 0, 0,
	  sl_mgmt_cmd_upgrade_info },
	{ "upgrade-handover", "@NAME", "hand the switch to the sluiced on abstract socket NAME "
	  "(sluiced --take-over sends it; docs/upgrade.md)", 1, 1, sl_mgmt_cmd_upgrade_handover },
};

const unsigned int sl_mgmt_n_cmds = sizeof(sl_mgmt_cmds) / sizeof(sl_mgmt_cmds[0]);
