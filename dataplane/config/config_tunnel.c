/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * [port:NAME] type = vxlan | geneve: a tunnel port's keys, their ranges and error
 * texts (dataplane/tunnel/sl_tunnel.h), and the checks across ports run
 * once every [port:...] is loaded: the underlay is a dpdk or afpacket port
 * of the same file, and no two tunnel ports take the same packets.
 */
#include <stdio.h>
#include <string.h>

#include "config_private.h"
#include "sl_geneve.h"
#include "sl_tunnel.h"

_Static_assert(SL_TUNNEL_NAME_MAX == SL_PORT_NAME_MAX, "an underlay name is a port name");

static int
h_type(struct cfg_ctx *c, const char *sec, const char *k, const char *v, unsigned int line,
       void *obj)
{
	struct sl_port_params *p = obj;

	(void)c; (void)sec; (void)k; (void)line;
	if (strcmp(v, "geneve") == 0)
		p->tnl.proto = SL_TNL_PROTO_GENEVE;
	else if (strcmp(v, "vxlan") == 0)
		p->tnl.proto = SL_TNL_PROTO_VXLAN;
	else
		return -1;
	return 0;
}

static int
h_underlay(struct cfg_ctx *c, const char *sec, const char *k, const char *v, unsigned int line,
	   void *obj)
{
	struct sl_port_params *p = obj;

	(void)c; (void)sec; (void)k; (void)line;
	if (*v == '\0' || strlen(v) >= sizeof(p->tnl.underlay))
		return -1;
	snprintf(p->tnl.underlay, sizeof(p->tnl.underlay), "%s", v);
	return 0;
}

static int
h_ip(struct cfg_ctx *c, const char *sec, const char *k, const char *v, unsigned int line,
     void *obj)
{
	struct sl_port_params *p = obj;

	(void)c; (void)sec; (void)line;
	if (strcmp(k, "remote_ip") == 0) {
		if (strcmp(v, "flow") == 0) {
			p->tnl.remote_flow = true;
			return 0;
		}
		return sl_ip_addr_parse(v, &p->tnl.remote);
	}
	return sl_ip_addr_parse(v, &p->tnl.local);
}

static int
h_num(struct cfg_ctx *c, const char *sec, const char *k, const char *v, unsigned int line,
      void *obj)
{
	struct sl_port_params *p = obj;
	uint64_t x;

	(void)c; (void)sec; (void)line;
	if (strcmp(k, "key") == 0) {
		if (strcmp(v, "flow") == 0) {
			p->tnl.key_flow = true;
			return 0;
		}
		if (sl_cfg_parse_u64(v, 0, SL_VXLAN_VNI_MAX, &x) < 0)
			return -1;
		p->tnl.vni = (uint32_t)x;
	} else if (strcmp(k, "dst_port") == 0) {
		if (sl_cfg_parse_u64(v, 1, 65535, &x) < 0)
			return -1;
		p->tnl.dst_port = (uint16_t)x;
	} else if (strcmp(k, "ttl") == 0) {
		if (sl_cfg_parse_u64(v, 1, 255, &x) < 0)
			return -1;
		p->tnl.ttl = (uint8_t)x;
	} else { /* ofport: numbers above OFPP_MAX are reserved ports */
		if (sl_cfg_parse_u64(v, 1, OFPP_MAX, &x) < 0)
			return -1;
		p->ofport = (uint32_t)x;
	}
	return 0;
}

static int
h_df(struct cfg_ctx *c, const char *sec, const char *k, const char *v, unsigned int line,
     void *obj)
{
	struct sl_port_params *p = obj;

	(void)c; (void)sec; (void)k; (void)line;
	return sl_cfg_parse_pair(v, "no", "yes", &p->tnl.df);
}

const struct key_spec sl_cfg_tunnel_keys[] = {
	{ "type", h_type, "\"vxlan\" or \"geneve\"" },
	{ "underlay", h_underlay, "the name of a dpdk or afpacket [port:NAME]" },
	{ "local_ip", h_ip, "an IPv4 or IPv6 address" },
	{ "remote_ip", h_ip, "an IPv4 or IPv6 address, or \"flow\"" },
	{ "key", h_num, "a VNI between 0 and 16777215, or \"flow\"" },
	{ "dst_port", h_num, "a UDP port between 1 and 65535" },
	{ "ttl", h_num, "a TTL between 1 and 255" },
	{ "df", h_df, "\"yes\" or \"no\"" },
	{ "ofport", h_num, "an OpenFlow port number between 1 and 0xffffff00" },
	{ NULL, NULL, NULL },
};

bool
sl_cfg_is_tunnel(struct rte_cfgfile *cf, const char *sec)
{
	const char *t = rte_cfgfile_get_entry(cf, sec, "type");

	return t != NULL && (strcmp(t, "vxlan") == 0 || strcmp(t, "geneve") == 0);
}

void
sl_cfg_tunnel_defaults(struct sl_port_params *p)
{
	p->type = SL_PORT_TUNNEL;
	p->tnl.dst_port = SL_VXLAN_UDP_PORT;
	p->tnl.ttl = SL_TUNNEL_DEFAULT_TTL;
	p->tnl.df = true;
}

int
sl_cfg_check_tunnel_port(struct cfg_ctx *c, struct rte_cfgfile *cf, const char *sec,
			 struct sl_port_params *p)
{
	char why[160];

	/* the default UDP port is the protocol's (type may follow dst_port) */
	if (p->tnl.proto == SL_TNL_PROTO_GENEVE && !rte_cfgfile_has_entry(cf, sec, "dst_port"))
		p->tnl.dst_port = SL_GENEVE_UDP_PORT;
	if (sl_tunnel_params_check(&p->tnl, why, sizeof(why)) != 0)
		return sl_cfg_fail_at(c, sl_cfg_loc_line(c, sec, ""), "[%s]: %s", sec, why);
	if (rte_cfgfile_has_entry(cf, sec, "df") && p->tnl.local.family == AF_INET6)
		return sl_cfg_fail_at(c, sl_cfg_loc_line(c, sec, "df"), "[%s] df: IPv6 has no "
				      "Don't Fragment bit (routers never fragment it)", sec);
	return 0;
}

/* The underlay of tunnel port i: a port of the file that has a device. */
static int
check_underlay(struct cfg_ctx *c, unsigned int i)
{
	const struct sl_config *cfg = c->cfg;
	const struct sl_port_params *p = &cfg->ports[i];
	char sec[CFG_NAME_LEN];
	int u = sl_config_port_index(cfg, p->tnl.underlay);

	if (c->port_only)
		return 0; /* add-port: sl_tunnel_port_check, against the running switch */
	snprintf(sec, sizeof(sec), "port:%s", p->name);
	if (u < 0)
		return sl_cfg_fail_at(c, sl_cfg_loc_line(c, sec, "underlay"), "[%s] underlay: "
				      "'%s' is not a configured port", sec, p->tnl.underlay);
	if (cfg->ports[u].type != SL_PORT_ETHDEV && cfg->ports[u].type != SL_PORT_AFPACKET)
		return sl_cfg_fail_at(c, sl_cfg_loc_line(c, sec, "underlay"), "[%s] underlay: "
				      "'%s' is a %s port; expected a dpdk or afpacket port", sec,
				      p->tnl.underlay, sl_port_type_name(cfg->ports[u].type));
	return 0;
}

/* Tunnel port i against the earlier ones: a VTEP (underlay, local_ip,
 * dst_port) speaks one protocol. */
static int
check_proto(struct cfg_ctx *c, unsigned int i)
{
	const struct sl_config *cfg = c->cfg;
	const struct sl_port_params *p = &cfg->ports[i];
	char sec[CFG_NAME_LEN];

	for (unsigned int j = 0; j < i; j++) {
		const struct sl_port_params *o = &cfg->ports[j];

		if (o->type != SL_PORT_TUNNEL || !sl_tunnel_params_proto_clash(&p->tnl, &o->tnl))
			continue;
		snprintf(sec, sizeof(sec), "port:%s", p->name);
		return sl_cfg_fail_at(c, sl_cfg_loc_line(c, sec, "type"), "[%s] type: port '%s' "
				      "is a %s port on the same underlay, local_ip and dst_port: a "
				      "VTEP speaks one protocol (give this one another dst_port)",
				      sec, o->name, sl_tnl_proto_name(o->tnl.proto));
	}
	return 0;
}

int
sl_cfg_check_tunnels(struct cfg_ctx *c)
{
	const struct sl_config *cfg = c->cfg;

	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		const struct sl_port_params *p = &cfg->ports[i];

		if (p->type != SL_PORT_TUNNEL)
			continue;
		if (check_underlay(c, i) != 0)
			return -1;
		for (unsigned int j = 0; j < i; j++) {
			char sec[CFG_NAME_LEN];

			if (cfg->ports[j].type != SL_PORT_TUNNEL ||
			    !sl_tunnel_params_clash(&p->tnl, &cfg->ports[j].tnl))
				continue;
			snprintf(sec, sizeof(sec), "port:%s", p->name);
			return sl_cfg_fail_at(c, sl_cfg_loc_line(c, sec, ""), "[%s]: port '%s' has "
					      "the same underlay, local_ip, dst_port, remote_ip "
					      "and key: a packet could not tell them apart", sec,
					      cfg->ports[j].name);
		}
		if (check_proto(c, i) != 0)
			return -1;
	}
	return 0;
}

unsigned int
sl_config_vteps(const struct sl_config *cfg, const char *underlay, struct sl_ip_addr *out,
		unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		const struct sl_port_params *p = &cfg->ports[i];
		bool seen = false;

		if (p->type != SL_PORT_TUNNEL || strcmp(p->tnl.underlay, underlay) != 0)
			continue;
		for (unsigned int j = 0; j < n && !seen; j++)
			seen = sl_ip_addr_eq(&out[j], &p->tnl.local);
		if (!seen && n < max)
			out[n++] = p->tnl.local;
	}
	return n;
}
