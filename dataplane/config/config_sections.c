/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What each configuration section and key means: [switch], [dpdk],
 * [port:NAME], [xconnect] ([openflow]: config_openflow.c). Every handler either fills the
 * configuration or returns -1, and the caller writes the error with the
 * file, line and what the key expects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_private.h"

static int
h_dpid(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
       unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	return sl_cfg_parse_u64(v, 0, UINT64_MAX, &c->cfg->datapath_id);
}

static int
h_main_lcore(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	     unsigned int line, void *obj)
{
	uint64_t x;

	(void)sec; (void)k; (void)obj; (void)line;
	if (sl_cfg_parse_u64(v, 0, SL_CONFIG_MAX_LCORE - 1, &x) < 0)
		return -1;
	c->cfg->main_lcore = (unsigned int)x;
	return 0;
}

static int
h_workers(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	  unsigned int line, void *obj)
{
	char msg[SL_CONFIG_ERR_MAX];
	int n;

	(void)obj;
	n = sl_config_parse_lcores(v, c->cfg->worker_lcores, SL_CONFIG_MAX_LCORE,
				   msg, sizeof(msg));
	if (n < 0) {
		sl_cfg_fail_at(c, line, "[%s] %s: %s", sec, k, msg);
		return -2; /* message already written */
	}
	c->cfg->n_workers = (unsigned int)n;
	return 0;
}

static int
h_mbufs(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	unsigned int line, void *obj)
{
	uint64_t x;

	(void)sec; (void)k; (void)obj; (void)line;
	if (sl_cfg_parse_u64(v, 1024, 16u << 20, &x) < 0)
		return -1;
	c->cfg->mbufs_per_socket = (unsigned int)x;
	return 0;
}

static int
h_eal_args(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	   unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	snprintf(c->cfg->eal_args, sizeof(c->cfg->eal_args), "%s", v);
	return 0;
}

/* config_private.h */
int
sl_cfg_parse_pair(const char *v, const char *no, const char *yes, bool *out)
{
	if (strcmp(v, yes) == 0)
		*out = true;
	else if (strcmp(v, no) == 0)
		*out = false;
	else
		return -1;
	return 0;
}

static int
h_prefix_tracking(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		  unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	return sl_cfg_parse_pair(v, "yes", "no", &c->cfg->no_prefix_tracking);
}

static int
h_miss_handling(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	return sl_cfg_parse_pair(v, "inline", "handler", &c->cfg->miss_handler);
}

static int
h_handler_spill(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	return sl_cfg_parse_pair(v, "yes", "no", &c->cfg->no_handler_spill);
}

static int
h_heap_reserve(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	       unsigned int line, void *obj)
{
	uint64_t x;

	(void)sec; (void)k; (void)obj; (void)line;
	if (sl_cfg_parse_u64(v, 0, 65536, &x) < 0)
		return -1;
	c->cfg->heap_reserve_mb = (unsigned int)x;
	return 0;
}

/* A Unix socket path (sun_path holds 108 bytes) or "none". */
static int
h_mgmt_socket(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	      unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	if (strcmp(v, "none") == 0) {
		c->cfg->mgmt_socket[0] = '\0';
		return 0;
	}
	if (v[0] != '/' || strlen(v) >= 108)
		return -1;
	snprintf(c->cfg->mgmt_socket, sizeof(c->cfg->mgmt_socket), "%s", v);
	return 0;
}

static int
h_emc_insert_inv_prob(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		      unsigned int line, void *obj)
{
	uint64_t x;

	(void)sec; (void)k; (void)obj; (void)line;
	if (sl_cfg_parse_u64(v, 0, UINT32_MAX, &x) < 0)
		return -1;
	c->cfg->emc_insert_inv_prob = (unsigned int)x;
	return 0;
}

static int
h_rxq_rebalance(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	return sl_cfg_parse_pair(v, "auto", "manual", &c->cfg->rxq_rebalance_manual);
}

static int
h_rxq_rebalance_threshold(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
			  unsigned int line, void *obj)
{
	uint64_t x;

	(void)sec; (void)k; (void)obj; (void)line;
	if (sl_cfg_parse_u64(v, 1, 99, &x) < 0)
		return -1;
	c->cfg->rxq_rebalance_threshold = (unsigned int)x;
	return 0;
}

/* A kernel interface name that also fits in devargs (no ',' or '='), or
 * "none". */
static int
h_local_port(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	     unsigned int line, void *obj)
{
	size_t n = strlen(v);

	(void)sec; (void)k; (void)obj; (void)line;
	if (strcmp(v, "none") == 0) {
		c->cfg->local_port[0] = '\0';
		return 0;
	}
	if (n == 0 || n >= SL_CONFIG_IFNAME_MAX || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != n)
		return -1;
	snprintf(c->cfg->local_port, sizeof(c->cfg->local_port), "%s", v);
	return 0;
}

/* An absolute path or "none"; room left for the ".tmp" and ".bad" next to it. */
static int
h_state_file(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	     unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	if (strcmp(v, "none") == 0) {
		c->cfg->state_file[0] = '\0';
		return 0;
	}
	if (v[0] != '/' || strlen(v) + 4 >= sizeof(c->cfg->state_file))
		return -1;
	snprintf(c->cfg->state_file, sizeof(c->cfg->state_file), "%s", v);
	return 0;
}

static int
h_state_restore(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	return sl_cfg_parse_pair(v, "yes", "no", &c->cfg->no_state_restore);
}

static const struct key_spec switch_keys[] = {
	{ "datapath_id", h_dpid, "a 64-bit number (decimal or 0x hex)" },
	{ "main_lcore", h_main_lcore, "an lcore id below 128" },
	{ "workers", h_workers, "an lcore list like \"1\" or \"1-3,5\"" },
	{ "mbufs_per_socket", h_mbufs, "a number of mbufs between 1024 and 16777216" },
	{ "prefix_tracking", h_prefix_tracking, "\"yes\" or \"no\"" },
	{ "miss_handling", h_miss_handling, "\"inline\" or \"handler\"" },
	{ "handler_spill", h_handler_spill, "\"yes\" or \"no\"" },
	{ "heap_reserve_mb", h_heap_reserve, "a number of MiB between 0 and 65536" },
	{ "mgmt_socket", h_mgmt_socket,
	  "\"none\" or an absolute path of at most 107 characters" },
	{ "emc_insert_inv_prob", h_emc_insert_inv_prob,
	  "0 (no EMC) or N for an insertion probability of 1/N, N up to 4294967295" },
	{ "rxq_rebalance", h_rxq_rebalance, "\"auto\" or \"manual\"" },
	{ "rxq_rebalance_threshold", h_rxq_rebalance_threshold,
	  "a percentage between 1 and 99" },
	{ "local_port", h_local_port, "\"none\" or an interface name of 1 to 15 letters, "
	  "digits, '-', '_' or '.'" },
	{ "state_file", h_state_file, "\"none\" or an absolute path of at most 251 characters" },
	{ "state_restore", h_state_restore, "\"yes\" or \"no\"" },
	{ "neighbour_timeout", sl_cfg_h_neigh, "seconds between 1 and 86400" },
	{ "neighbour_retries", sl_cfg_h_neigh, "a number of requests between 1 and 10" },
	{ "neighbour_queue", sl_cfg_h_neigh, "a number of packets between 1 and 1024" },
	{ NULL, NULL, NULL },
};

static const struct key_spec dpdk_keys[] = {
	{ "eal_args", h_eal_args, "EAL arguments" },
	{ NULL, NULL, NULL },
};

static int
h_port_type(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	    unsigned int line, void *obj)
{
	struct sl_port_params *p = obj;

	(void)c; (void)sec; (void)k; (void)line;
	if (strcmp(v, "dpdk") == 0)
		p->type = SL_PORT_ETHDEV;
	else if (strcmp(v, "vhost-user") == 0)
		p->type = SL_PORT_VHOST;
	else if (strcmp(v, "afpacket") == 0)
		p->type = SL_PORT_AFPACKET;
	else
		return -1;
	return 0;
}

/* afpacket: a kernel interface name (IFNAMSIZ, no '/' nor space, as the
 * kernel's dev_valid_name) */
static int
h_port_iface(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	     unsigned int line, void *obj)
{
	struct sl_port_params *p = obj;
	size_t n = strlen(v);

	(void)c; (void)sec; (void)k; (void)line;
	if (n == 0 || n >= 16 || strcmp(v, ".") == 0 || strcmp(v, "..") == 0 ||
	    strpbrk(v, "/: \t") != NULL)
		return -1;
	snprintf(p->args, sizeof(p->args), "%s", v);
	return 0;
}

static int
h_port_args(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	    unsigned int line, void *obj)
{
	struct sl_port_params *p = obj;

	(void)c; (void)sec; (void)k; (void)line;
	if (*v == '\0')
		return -1;
	snprintf(p->args, sizeof(p->args), "%s", v);
	return 0;
}

static int
h_port_mode(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	    unsigned int line, void *obj)
{
	struct sl_port_params *p = obj;

	(void)c; (void)sec; (void)k; (void)line;
	if (strcmp(v, "client") == 0)
		p->vhost_server = false;
	else if (strcmp(v, "server") == 0)
		p->vhost_server = true;
	else
		return -1;
	return 0;
}

static int
h_port_offloads(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		unsigned int line, void *obj)
{
	(void)c; (void)sec; (void)k; (void)line;
	return sl_cfg_parse_pair(v, "no", "yes", &((struct sl_port_params *)obj)->offloads);
}

static int
h_port_num(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	   unsigned int line, void *obj)
{
	struct sl_port_params *p = obj;
	uint64_t x;

	(void)c; (void)sec; (void)line;
	if (strcmp(k, "ofport") == 0) {
		/* numbers above OFPP_MAX are reserved ports (IN_PORT, LOCAL...) */
		if (sl_cfg_parse_u64(v, 1, OFPP_MAX, &x) < 0)
			return -1;
		p->ofport = (uint32_t)x;
		return 0;
	}
	if (strcmp(k, "mtu") == 0) {
		if (sl_cfg_parse_u64(v, 68, 9600, &x) < 0)
			return -1;
		p->mtu = (uint16_t)x;
		return 0;
	}
	if (strcmp(k, "tx_retries") == 0) {
		if (sl_cfg_parse_u64(v, 0, 32, &x) < 0)
			return -1;
		p->tx_retries = (uint8_t)x;
		return 0;
	}
	if (strcmp(k, "rxd") == 0 || strcmp(k, "txd") == 0) {
		if (sl_cfg_parse_u64(v, 64, 32768, &x) < 0 || (x & (x - 1)) != 0)
			return -1;
		*(k[0] == 'r' ? &p->rxd : &p->txd) = (uint16_t)x;
		return 0;
	}
	if (sl_cfg_parse_u64(v, 1, SL_PORT_MAX_QUEUES, &x) < 0)
		return -1;
	if (strcmp(k, "tx_queues") == 0)
		p->n_txq = (uint16_t)x;
	else
		p->n_rxq = (uint16_t)x; /* rx_queues, or queues (vhost pairs) */
	return 0;
}

static const struct key_spec port_keys[] = {
	/* "vxlan" and "geneve" sections never get here (sl_cfg_is_tunnel): named for the message */
	{ "type", h_port_type, "\"dpdk\", \"vhost-user\", \"afpacket\", \"vxlan\" or \"geneve\"" },
	{ "devargs", h_port_args, "a DPDK devargs string (dpdk ports)" },
	{ "iface", h_port_iface, "a kernel interface name of 1 to 15 characters, "
	  "no '/', ':' or blank (afpacket ports)" },
	{ "path", h_port_args, "a vhost-user socket path (vhost-user ports)" },
	{ "mode", h_port_mode, "\"client\" or \"server\"" },
	{ "ofport", h_port_num, "an OpenFlow port number between 1 and 0xffffff00" },
	{ "queues", h_port_num, "a queue-pair count between 1 and 16" },
	{ "rx_queues", h_port_num, "an rx queue count between 1 and 16" },
	{ "tx_queues", h_port_num, "a tx queue count between 1 and 16" },
	{ "rxd", h_port_num, "a power of two between 64 and 32768" },
	{ "txd", h_port_num, "a power of two between 64 and 32768" },
	{ "mtu", h_port_num, "an MTU between 68 and 9600" },
	{ "offloads", h_port_offloads, "\"yes\" or \"no\" (vhost-user and dpdk ports)" },
	{ "tx_retries", h_port_num, "a retry count between 0 and 32 (vhost-user ports)" },
	{ NULL, NULL, NULL },
};

static int
apply_keys(struct cfg_ctx *c, struct rte_cfgfile *cf, const char *sec,
	   const struct key_spec *spec, void *obj)
{
	int n = rte_cfgfile_section_num_entries(cf, sec);
	struct rte_cfgfile_entry *e;

	if (n <= 0)
		return 0;
	e = calloc(n, sizeof(*e));
	if (e == NULL)
		return sl_cfg_fail_at(c, 0, "out of memory");
	n = rte_cfgfile_section_entries(cf, sec, e, n);
	for (int i = 0; i < n; i++) {
		unsigned int line = sl_cfg_loc_line(c, sec, e[i].name);
		const struct key_spec *ks = spec;
		int rc;

		while (ks->key && strcmp(ks->key, e[i].name) != 0)
			ks++;
		if (ks->key == NULL) {
			sl_cfg_fail_at(c, line, "unknown key '%s' in [%s]", e[i].name, sec);
			free(e);
			return -1;
		}
		rc = ks->fn(c, sec, e[i].name, e[i].value, line, obj);
		if (rc == -1)
			sl_cfg_fail_at(c, line, "[%s] %s: expected %s, got \"%s\"", sec,
				e[i].name, ks->expect, e[i].value);
		if (rc < 0) {
			free(e);
			return -1;
		}
	}
	free(e);
	return 0;
}

/* afpacket: 'iface', and 'queues' rx queues (a fanout group); tx queues
 * are one per worker, there is nothing to choose. */
static int
check_afpacket_port(struct cfg_ctx *c, struct rte_cfgfile *cf, const char *sec,
		    struct sl_port_params *p)
{
	static const char *const refused[] = { "devargs", "path", "mode", "rx_queues",
					       "tx_queues", "offloads", "tx_retries" };
	unsigned int line = sl_cfg_loc_line(c, sec, "");

	if (!rte_cfgfile_has_entry(cf, sec, "iface"))
		return sl_cfg_fail_at(c, line, "[%s]: an afpacket port needs 'iface' (the kernel "
				      "interface)", sec);
	for (unsigned int i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (rte_cfgfile_has_entry(cf, sec, refused[i]))
			return sl_cfg_fail_at(c, sl_cfg_loc_line(c, sec, refused[i]),
					      "[%s]: '%s' is not a key of afpacket ports (iface, "
					      "queues, rxd, txd, mtu, ofport)", sec, refused[i]);
	p->n_txq = 0; /* one per worker */
	return 0;
}

static int
check_port(struct cfg_ctx *c, struct rte_cfgfile *cf, const char *sec,
	   struct sl_port_params *p)
{
	unsigned int line = sl_cfg_loc_line(c, sec, "");
	bool vhost_keys = rte_cfgfile_has_entry(cf, sec, "path") ||
			  rte_cfgfile_has_entry(cf, sec, "mode") ||
			  rte_cfgfile_has_entry(cf, sec, "queues");

	if (!rte_cfgfile_has_entry(cf, sec, "type"))
		return sl_cfg_fail_at(c, line, "[%s]: missing 'type' (\"dpdk\", \"vhost-user\", "
				      "\"afpacket\", \"vxlan\" or \"geneve\")", sec);
	if (p->type == SL_PORT_AFPACKET)
		return check_afpacket_port(c, cf, sec, p);
	if (rte_cfgfile_has_entry(cf, sec, "iface"))
		return sl_cfg_fail_at(c, line, "[%s]: 'iface' is for afpacket ports (a dpdk port "
				      "names its device in 'devargs')", sec);
	if (p->type == SL_PORT_ETHDEV) {
		if (!rte_cfgfile_has_entry(cf, sec, "devargs"))
			return sl_cfg_fail_at(c, line, "[%s]: a dpdk port needs 'devargs'", sec);
		if (vhost_keys)
			return sl_cfg_fail_at(c, line, "[%s]: 'path', 'mode' and 'queues' are for "
				       "vhost-user ports; use 'rx_queues'/'tx_queues'", sec);
		if (rte_cfgfile_has_entry(cf, sec, "tx_retries"))
			return sl_cfg_fail_at(c, line, "[%s]: 'tx_retries' is for vhost-user ports",
					      sec);
	} else {
		if (!rte_cfgfile_has_entry(cf, sec, "path"))
			return sl_cfg_fail_at(c, line, "[%s]: a vhost-user port needs 'path'", sec);
		if (rte_cfgfile_has_entry(cf, sec, "devargs") ||
		    rte_cfgfile_has_entry(cf, sec, "rx_queues") ||
		    rte_cfgfile_has_entry(cf, sec, "tx_queues"))
			return sl_cfg_fail_at(c, line, "[%s]: 'devargs', 'rx_queues' and 'tx_queues' "
				       "are for dpdk ports; use 'path' and 'queues'", sec);
		if (p->n_rxq)
			p->n_txq = p->n_rxq;
	}
	return 0;
}

static int
load_port(struct cfg_ctx *c, struct rte_cfgfile *cf, const char *sec)
{
	struct sl_config *cfg = c->cfg;
	const char *name = sec + strlen("port:");
	struct sl_port_params *p;
	unsigned int line = sl_cfg_loc_line(c, sec, "");

	if (*name == '\0' || strlen(name) >= SL_PORT_NAME_MAX)
		return sl_cfg_fail_at(c, line, "[%s]: expected [port:NAME] with a name of 1 to %d characters",
			       sec, SL_PORT_NAME_MAX - 1);
	if (cfg->n_ports == SL_MAX_PORTS)
		return sl_cfg_fail_at(c, line, "[%s]: more than %d ports", sec, SL_MAX_PORTS);
	p = &cfg->ports[cfg->n_ports];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->tx_retries = SL_PORT_TX_RETRIES_DEFAULT;
	if (sl_cfg_is_tunnel(cf, sec)) { /* its own keys: config_tunnel.c */
		sl_cfg_tunnel_defaults(p);
		if (apply_keys(c, cf, sec, sl_cfg_tunnel_keys, p) < 0 ||
		    sl_cfg_check_tunnel_port(c, cf, sec, p) < 0)
			return -1;
	} else if (apply_keys(c, cf, sec, port_keys, p) < 0 || check_port(c, cf, sec, p) < 0) {
		return -1;
	}
	cfg->n_ports++;
	return 0;
}

/* [switch] local_port: OpenFlow's LOCAL port, a net_tap, after the
 * [port:NAME] ports. Its name is its interface's, as OVS names the local
 * port after the bridge. */
static int
add_local_port(struct cfg_ctx *c)
{
	struct sl_config *cfg = c->cfg;
	unsigned int line = sl_cfg_loc_line(c, "switch", "local_port");
	struct sl_port_params *p;

	if (cfg->local_port[0] == '\0')
		return 0;
	if (sl_config_port_index(cfg, cfg->local_port) >= 0)
		return sl_cfg_fail_at(c, line, "[switch] local_port: '%s' is already the name of "
				      "a [port:%s]", cfg->local_port, cfg->local_port);
	if (cfg->n_ports == SL_MAX_PORTS)
		return sl_cfg_fail_at(c, line, "[switch] local_port: more than %d ports",
				      SL_MAX_PORTS);
	p = &cfg->ports[cfg->n_ports++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", cfg->local_port);
	p->type = SL_PORT_ETHDEV;
	p->ofport = OFPP_LOCAL;
	sl_config_local_devargs(cfg->local_port, cfg->datapath_id, p->args, sizeof(p->args));
	return 0;
}

/* OpenFlow port numbers: explicit ones must be unique; the others get the
 * lowest free numbers in file order, so adding a port keeps old numbers. */
static int
assign_ofports(struct cfg_ctx *c)
{
	struct sl_config *cfg = c->cfg;
	uint32_t next = 1;

	for (unsigned int i = 0; i < cfg->n_ports; i++)
		for (unsigned int j = 0; j < i; j++)
			if (cfg->ports[i].ofport && cfg->ports[i].ofport == cfg->ports[j].ofport) {
				char sec[CFG_NAME_LEN];

				snprintf(sec, sizeof(sec), "port:%s", cfg->ports[i].name);
				return sl_cfg_fail_at(c, sl_cfg_loc_line(c, sec, "ofport"),
					       "[%s] ofport: %u is already used by port '%s'",
					       sec, cfg->ports[i].ofport, cfg->ports[j].name);
			}
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		bool used;

		if (cfg->ports[i].ofport)
			continue;
		do {
			used = false;
			for (unsigned int j = 0; j < cfg->n_ports; j++)
				used |= cfg->ports[j].ofport == next;
		} while (used && ++next);
		cfg->ports[i].ofport = next++;
	}
	return 0;
}

static int
load_xconnect(struct cfg_ctx *c, struct rte_cfgfile *cf)
{
	int n = rte_cfgfile_section_num_entries(cf, "xconnect");
	struct rte_cfgfile_entry *e;
	int rc = 0;

	if (n <= 0)
		return 0;
	e = calloc(n, sizeof(*e));
	if (e == NULL)
		return sl_cfg_fail_at(c, 0, "out of memory");
	n = rte_cfgfile_section_entries(cf, "xconnect", e, n);
	for (int i = 0; i < n && rc == 0; i++) {
		int a = sl_config_port_index(c->cfg, e[i].name);
		int b = sl_config_port_index(c->cfg, e[i].value);
		unsigned int line = sl_cfg_loc_line(c, "xconnect", e[i].name);

		if (a < 0)
			rc = sl_cfg_fail_at(c, line, "[xconnect]: '%s' is not a configured port", e[i].name);
		else if (b < 0)
			rc = sl_cfg_fail_at(c, line, "[xconnect] %s: expected a configured port name, got \"%s\"",
				     e[i].name, e[i].value);
		else
			c->cfg->xconnect[a] = b;
	}
	free(e);
	return rc;
}

int
sl_cfg_interpret(struct cfg_ctx *c, struct rte_cfgfile *cf)
{
	int n = rte_cfgfile_num_sections(cf, NULL, 0);
	char (*names)[CFG_NAME_LEN];
	int rc = 0;

	if (n < 0)
		return sl_cfg_fail_at(c, 0, "rte_cfgfile could not list sections");
	names = calloc(n ? n : 1, sizeof(*names));
	if (names == NULL)
		return sl_cfg_fail_at(c, 0, "out of memory");
	{
		char *ptrs[n ? n : 1];

		for (int i = 0; i < n; i++)
			ptrs[i] = names[i];
		rte_cfgfile_sections(cf, ptrs, n);
	}
	/* Ports first, so [xconnect] may come before or after them. */
	for (int i = 0; i < n && rc == 0; i++) {
		const char *s = names[i];

		if (strcmp(s, "switch") == 0)
			rc = apply_keys(c, cf, s, switch_keys, NULL);
		else if (strcmp(s, "dpdk") == 0)
			rc = apply_keys(c, cf, s, dpdk_keys, NULL);
		else if (strcmp(s, "openflow") == 0)
			rc = apply_keys(c, cf, s, sl_cfg_openflow_keys, NULL);
		else if (strncmp(s, "port:", 5) == 0)
			rc = load_port(c, cf, s);
		else if (strcmp(s, "xconnect") != 0 && strcmp(s, "neighbours") != 0)
			rc = sl_cfg_fail_at(c, sl_cfg_loc_line(c, s, ""), "unknown section [%s]: expected [switch], "
				     "[dpdk], [openflow], [port:NAME], [neighbours] or [xconnect]", s);
	}
	if (rc == 0)
		rc = sl_cfg_check_tls(c);
	if (rc == 0)
		rc = sl_cfg_check_tunnels(c);
	if (rc == 0)
		rc = add_local_port(c);
	if (rc == 0)
		rc = assign_ofports(c);
	if (rc == 0)
		rc = load_xconnect(c, cf);
	if (rc == 0)
		rc = sl_cfg_load_neighbours(c, cf);
	for (unsigned int i = 0; rc == 0 && i < c->cfg->n_workers; i++)
		if (c->cfg->worker_lcores[i] == c->cfg->main_lcore)
			rc = sl_cfg_fail_at(c, sl_cfg_loc_line(c, "switch", "workers"),
				     "[switch] workers: lcore %u is the main (control) lcore",
				     c->cfg->main_lcore);
	free(names);
	return rc;
}

