/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `add-port`, `del-port` and `set-port`: ports changed while the switch
 * forwards (dataplane/datapath_ports.c does the work; the agent tells the
 * controllers with OFPT_PORT_STATUS). A refused request changes nothing and
 * says why. Run-time ports are not written to the configuration file:
 * they are recorded beside the management socket (sl_runtime_ports.h) and
 * come back at the next start with their numbers; what survives a
 * del-port is the number each name got, in the same file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_log.h"
#include "sl_mgmt_cmds.h"
#include "sl_runtime_ports.h"

/* The number of a port added without one: recorded for its name, else
 * the lowest free one (sl_runtime_ports.h). */
static int
pick_ofport(const struct sl_mgmt_ctx *c, struct sl_port_params *pp, struct sl_out *out)
{
	const struct sl_datapath *dp = c->dp;
	uint32_t used[SL_MAX_PORTS];
	unsigned int n = 0;

	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (sl_datapath_slot_used(dp, i))
			used[n++] = dp->cfg->ports[i].ofport;
	if (sl_runtime_ports_pick(c->runtime_ports, pp->name, used, n, &pp->ofport) < 0)
		return sl_out_error(out, "no OpenFlow port number is free");
	return 0;
}

/* A port's MTU; a tunnel port's: its underlay's less the outer headers
 * (docs/tunnels.md, "MTU"). */
static uint64_t
port_mtu(const struct sl_datapath *dp, const struct sl_port *p)
{
	int u;

	if (p->params.type != SL_PORT_TUNNEL)
		return p->max_frame - sl_port_max_frame(0);
	u = sl_datapath_port_find(dp, p->params.tnl.underlay);
	if (u < 0 || dp->ports[u] == NULL)
		return 0;
	return dp->ports[u]->max_frame - sl_port_max_frame(0) -
	       (p->params.tnl.local.family == AF_INET6 ? 70 : 50);
}

/* The port at @idx as a record: what it is, where its queues went. */
static void
port_record(const struct sl_datapath *dp, unsigned int idx, struct sl_out *out)
{
	const struct sl_port *p = dp->ports[idx];
	char lcores[128] = "";
	size_t n = 0;

	for (unsigned int q = 0; q < p->n_rxq; q++)
		n += (size_t)snprintf(lcores + n, n < sizeof(lcores) ? sizeof(lcores) - n : 0,
				      "%s%u", q ? "," : "",
				      dp->workers[dp->assign[idx * SL_SCHED_MAX_RXQ + q]]->lcore);
	sl_out_record(out);
	sl_out_str(out, "port", "%s", p->params.name);
	sl_out_u64(out, "ofport", p->params.ofport);
	sl_out_str(out, "type", "%s", sl_port_params_type_name(&p->params));
	sl_out_str(out, "queues", "%u/%u", p->n_rxq, p->n_txq);
	sl_out_str(out, "rxq_lcores", "%s", lcores);
	sl_out_str(out, "link", "%s", p->link ? "up" : "down");
	sl_out_str(out, "admin", "%s", p->of_config & OFPPC_PORT_DOWN ? "down" : "up");
	sl_out_u64(out, "mtu", port_mtu(dp, p));
}

int
sl_mgmt_cmd_add_port(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	struct sl_port_params pp;
	char err[1024];
	int idx;

	if (sl_config_parse_port(argv[1], argv + 2, (unsigned int)argc - 2, &pp, err,
				 sizeof(err)) < 0)
		return sl_out_error(out, "add-port %.64s: %s", argv[1], err);
	if (pp.ofport == 0 && pick_ofport(c, &pp, out) < 0)
		return -1;
	idx = sl_datapath_port_add(c->dp, &pp, err, sizeof(err));
	if (idx < 0)
		return sl_out_error(out, "add-port %.64s: %s", argv[1], err);
	/* the port forwards already: a file that cannot be written costs its
	 * return at the next start, said here and in the answer */
	if (c->runtime_ports[0] &&
	    sl_runtime_ports_record(c->runtime_ports, pp.name, argv + 2, (unsigned int)argc - 2,
				    pp.ofport, err, sizeof(err)) < 0) {
		SL_LOG(SL_LOG_PORT, SL_LOG_WARNING, "sluiced: port %s: not recorded for the next "
		       "start: %s", pp.name, err);
		return sl_out_error(out, "add-port %.64s: added (ofport %u), but not recorded for "
				    "the next start: %s", pp.name, pp.ofport, err);
	}
	sl_out_list(out, "added");
	port_record(c->dp, (unsigned int)idx, out);
	return 0;
}

int
sl_mgmt_cmd_del_port(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	int idx = sl_datapath_port_find(c->dp, argv[1]);
	uint32_t ofport;
	char err[512];

	(void)argc;
	if (idx < 0)
		return sl_out_error(out, "del-port: no port %.64s", argv[1]);
	ofport = c->dp->cfg->ports[idx].ofport;
	if (sl_datapath_port_del(c->dp, (unsigned int)idx, err, sizeof(err)) < 0)
		return sl_out_error(out, "del-port %.64s: %s", argv[1], err);
	/* a port of the configuration file is in no record: it comes back at
	 * the next start, as the file says */
	if (c->runtime_ports[0] && sl_runtime_ports_forget(c->runtime_ports, argv[1], err,
							    sizeof(err)) < 0)
		return sl_out_error(out, "del-port %.64s: deleted (ofport %u), but still recorded "
				    "for the next start: %s", argv[1], ofport, err);
	sl_out_line(out, "port %s (ofport %u) deleted", argv[1], ofport);
	return 0;
}

/* One set-port word: "up", "down" or "mtu=N"; -1 if it is none of them. */
static int
parse_setting(const char *w, int *down, long *mtu)
{
	char *end;

	if (strcmp(w, "up") == 0 || strcmp(w, "down") == 0) {
		*down = w[0] == 'd';
		return 0;
	}
	if (strncmp(w, "mtu=", 4) != 0)
		return -1;
	*mtu = strtol(w + 4, &end, 10);
	return *end == '\0' && w[4] != '\0' && *mtu >= 68 && *mtu <= 9600 ? 0 : -1;
}

int
sl_mgmt_cmd_set_port(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	int idx = sl_datapath_port_find(c->dp, argv[1]), down = -1;
	long mtu = 0;
	char err[512];

	if (idx < 0)
		return sl_out_error(out, "set-port: no port %.64s", argv[1]);
	for (int i = 2; i < argc; i++)
		if (parse_setting(argv[i], &down, &mtu) < 0)
			return sl_out_error(out, "set-port %.64s: expected up, down or mtu=N (68 to "
					    "9600), got \"%.64s\"", argv[1], argv[i]);
	if (c->dp->ports[idx] == NULL)
		return sl_out_error(out, "set-port %.64s: the port failed to open", argv[1]);
	/* the MTU first: a refused one leaves the port as it was */
	if (mtu && sl_datapath_port_set_mtu(c->dp, (unsigned int)idx, (uint16_t)mtu, err,
					    sizeof(err)) < 0)
		return sl_out_error(out, "set-port %.64s: %s", argv[1], err);
	if (down >= 0)
		sl_datapath_port_set_down(c->dp, (unsigned int)idx, down);
	sl_out_list(out, "port");
	port_record(c->dp, (unsigned int)idx, out);
	return 0;
}
