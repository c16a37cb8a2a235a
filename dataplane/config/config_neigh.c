/* SPDX-License-Identifier: BSD-3-Clause */
/* Underlay neighbours in the configuration: the [switch] neighbour_* keys
 * and the [neighbours] section of static entries, `IP = MAC` or
 * `IP = MAC@PORT` (dataplane/neigh/sl_neigh.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>

#include "config_private.h"

int
sl_cfg_h_neigh(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	       unsigned int line, void *obj)
{
	uint64_t x;

	(void)sec; (void)obj; (void)line;
	if (strcmp(k, "neighbour_timeout") == 0) {
		if (sl_cfg_parse_u64(v, 1, 86400, &x) < 0)
			return -1;
		c->cfg->neigh_timeout_ms = (uint32_t)x * 1000;
	} else if (strcmp(k, "neighbour_retries") == 0) {
		if (sl_cfg_parse_u64(v, 1, 10, &x) < 0)
			return -1;
		c->cfg->neigh_retries = (uint32_t)x;
	} else {
		if (sl_cfg_parse_u64(v, 1, 1024, &x) < 0)
			return -1;
		c->cfg->neigh_queue_len = (uint32_t)x;
	}
	return 0;
}

/* "MAC" or "MAC@PORT": the port an underlay one (not a tunnel port). */
static int
parse_entry(struct cfg_ctx *c, const char *key, const char *value, unsigned int line,
	    struct sl_config_neigh *n)
{
	char mac[32];
	const char *at = strchr(value, '@');
	size_t mlen = at ? (size_t)(at - value) : strlen(value);
	struct rte_ether_addr ea;

	if (sl_ip_addr_parse(key, &n->ip) != 0)
		return sl_cfg_fail_at(c, line, "[neighbours]: expected an IPv4 or IPv6 address as "
				      "the key, got \"%s\"", key);
	if ((n->ip.family == AF_INET && (n->ip.addr[0] >= 224 || n->ip.addr[0] == 0)) ||
	    (n->ip.family == AF_INET6 && n->ip.addr[0] == 0xff))
		return sl_cfg_fail_at(c, line, "[neighbours] %s: a multicast, broadcast or zero "
				      "address has no neighbour entry", key);
	if (mlen >= sizeof(mac) || (memcpy(mac, value, mlen), mac[mlen] = '\0',
				    rte_ether_unformat_addr(mac, &ea) != 0) ||
	    !rte_is_unicast_ether_addr(&ea) || rte_is_zero_ether_addr(&ea))
		return sl_cfg_fail_at(c, line, "[neighbours] %s: expected a unicast MAC address like "
				      "02:00:00:00:00:01, optionally @PORT, got \"%s\"", key, value);
	memcpy(n->mac, ea.addr_bytes, sizeof(n->mac));
	n->port = -1;
	if (at) {
		n->port = sl_config_port_index(c->cfg, at + 1);
		if (n->port < 0)
			return sl_cfg_fail_at(c, line, "[neighbours] %s: '%s' is not a configured port",
					      key, at + 1);
		if (c->cfg->ports[n->port].type == SL_PORT_TUNNEL ||
		    c->cfg->ports[n->port].type == SL_PORT_VHOST)
			return sl_cfg_fail_at(c, line, "[neighbours] %s: port '%s' is a %s port, not an "
					      "underlay (dpdk or afpacket)", key, at + 1,
					      sl_port_type_name(c->cfg->ports[n->port].type));
	}
	return 0;
}

int
sl_cfg_load_neighbours(struct cfg_ctx *c, struct rte_cfgfile *cf)
{
	int n = rte_cfgfile_section_num_entries(cf, "neighbours");
	struct rte_cfgfile_entry *e;
	int rc = 0;

	if (n <= 0)
		return 0;
	e = calloc(n, sizeof(*e));
	if (e == NULL)
		return sl_cfg_fail_at(c, 0, "out of memory");
	n = rte_cfgfile_section_entries(cf, "neighbours", e, n);
	for (int i = 0; i < n && rc == 0; i++) {
		unsigned int line = sl_cfg_loc_line(c, "neighbours", e[i].name);
		struct sl_config_neigh nb;

		if (c->cfg->n_neighbours == SL_CONFIG_MAX_NEIGH) {
			rc = sl_cfg_fail_at(c, line, "[neighbours]: more than %d entries",
					    SL_CONFIG_MAX_NEIGH);
			break;
		}
		rc = parse_entry(c, e[i].name, e[i].value, line, &nb);
		/* the same address written two ways ("10.0.0.1", "2001:db8::1" and
		 * "2001:db8:0::1") passes the scanner's duplicate key check */
		for (unsigned int j = 0; rc == 0 && j < c->cfg->n_neighbours; j++)
			if (sl_ip_addr_eq(&c->cfg->neighbours[j].ip, &nb.ip) &&
			    c->cfg->neighbours[j].port == nb.port)
				rc = sl_cfg_fail_at(c, line, "[neighbours] %s: this address is already "
						    "given", e[i].name);
		if (rc == 0)
			c->cfg->neighbours[c->cfg->n_neighbours++] = nb;
	}
	free(e);
	return rc;
}
