/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration loading. See sl_config.h for why there are two passes
 * (a line scanner for locations, then rte_cfgfile for content).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_cfgfile.h>

#include "sl_config.h"

const char sl_config_embedded_default[] =
	"; Embedded default: an OpenFlow switch with two vhost-user ports for VMs\n"
	"; (QEMU is the vhost-user server; sluiced connects and reconnects) and a\n"
	"; kernel tap port for the host. With no controller it is a MAC-learning\n"
	"; switch (fail mode standalone); ovs-ofctl manages it on 127.0.0.1:6653.\n"
	"[switch]\n"
	"datapath_id = 0x1\n"
	"main_lcore = 0\n"
	"workers = 1\n"
	"[dpdk]\n"
	"eal_args = --file-prefix=sluice\n"
	"[openflow]\n"
	"listen = ptcp:6653:127.0.0.1\n"
	"fail_mode = standalone\n"
	"[port:vm1]\n"
	"type = vhost-user\n"
	"path = /var/run/sluice/vm1.sock\n"
	"ofport = 1\n"
	"[port:vm2]\n"
	"type = vhost-user\n"
	"path = /var/run/sluice/vm2.sock\n"
	"ofport = 2\n"
	"[port:tap0]\n"
	"type = dpdk\n"
	"devargs = net_tap0,iface=sluice-tap0\n"
	"ofport = 3\n";

/* Where each (section, key) was seen, for error messages. */
struct cfg_loc {
	char section[CFG_NAME_LEN];
	char key[CFG_NAME_LEN]; /* "" for the section header itself */
	unsigned int line;
};

struct cfg_ctx {
	struct sl_config *cfg;
	const char *name;
	char *err;
	size_t errlen;
	struct cfg_loc *locs;
	unsigned int n_locs, cap_locs;
};

static int __attribute__((format(printf, 3, 4)))
fail_at(struct cfg_ctx *c, unsigned int line, const char *fmt, ...)
{
	char msg[SL_CONFIG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(c->err, c->errlen, "%s:%u: %s", c->name, line, msg);
	else
		snprintf(c->err, c->errlen, "%s: %s", c->name, msg);
	return -1;
}

static unsigned int
loc_line(const struct cfg_ctx *c, const char *section, const char *key)
{
	for (unsigned int i = 0; i < c->n_locs; i++)
		if (strcmp(c->locs[i].section, section) == 0 &&
		    strcmp(c->locs[i].key, key ? key : "") == 0)
			return c->locs[i].line;
	return 0;
}

static int
loc_add(struct cfg_ctx *c, const char *section, const char *key,
	unsigned int line)
{
	unsigned int prev = loc_line(c, section, key);

	if (prev != 0) {
		if (key[0] == '\0')
			return fail_at(c, line, "section [%s] already defined at line %u",
				       section, prev);
		return fail_at(c, line, "key '%s' already set in [%s] at line %u",
			       key, section, prev);
	}
	if (c->n_locs == c->cap_locs) {
		unsigned int cap = c->cap_locs ? 2 * c->cap_locs : 64;
		struct cfg_loc *n = realloc(c->locs, cap * sizeof(*n));

		if (n == NULL)
			return fail_at(c, line, "out of memory");
		c->locs = n;
		c->cap_locs = cap;
	}
	snprintf(c->locs[c->n_locs].section, CFG_NAME_LEN, "%s", section);
	snprintf(c->locs[c->n_locs].key, CFG_NAME_LEN, "%s", key);
	c->locs[c->n_locs].line = line;
	c->n_locs++;
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Pass 1: syntax, duplicates and locations, with line numbers. */
static int
scan_lines(struct cfg_ctx *c, FILE *f)
{
	char buf[2048], section[CFG_NAME_LEN] = "";
	unsigned int line = 0;

	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s, *semi, *eq;

		line++;
		if (strchr(buf, '\n') == NULL && !feof(f))
			return fail_at(c, line, "line longer than %zu characters", sizeof(buf) - 2);
		semi = strchr(buf, ';');
		if (semi)
			*semi = '\0';
		s = trim(buf);
		if (*s == '\0')
			continue;
		if (*s == '#')
			return fail_at(c, line, "comments start with ';', not '#'");
		if (*s == '[') {
			char *end = strchr(s, ']');

			if (end == NULL || end[1] != '\0')
				return fail_at(c, line, "expected '[section]'");
			*end = '\0';
			s = trim(s + 1);
			if (*s == '\0' || strlen(s) >= CFG_NAME_LEN)
				return fail_at(c, line, "section name empty or longer than %d characters",
					       CFG_NAME_LEN - 1);
			snprintf(section, sizeof(section), "%s", s);
			if (loc_add(c, section, "", line) < 0)
				return -1;
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL)
			return fail_at(c, line, "expected 'key = value' or '[section]', got '%s'", s);
		if (section[0] == '\0')
			return fail_at(c, line, "'key = value' before any [section]");
		*eq = '\0';
		s = trim(s);
		if (*s == '\0' || strlen(s) >= CFG_NAME_LEN)
			return fail_at(c, line, "key empty or longer than %d characters", CFG_NAME_LEN - 1);
		if (strlen(trim(eq + 1)) >= CFG_VALUE_LEN)
			return fail_at(c, line, "value of '%s' longer than %d characters", s,
				       CFG_VALUE_LEN - 1);
		if (loc_add(c, section, s, line) < 0)
			return -1;
	}
	return 0;
}

static int
parse_u64(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (*v == '\0' || *v == '-')
		return -1;
	errno = 0;
	x = strtoull(v, &end, 0);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

int
sl_config_parse_lcores(const char *s, unsigned int *out, unsigned int max,
		       char *err, size_t errlen)
{
	bool seen[SL_CONFIG_MAX_LCORE] = { false };
	char tmp[CFG_VALUE_LEN], *save = NULL, *tok;
	unsigned int n = 0;

	snprintf(tmp, sizeof(tmp), "%s", s);
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		uint64_t lo, hi;

		tok = trim(tok);
		if (dash)
			*dash = '\0';
		if (parse_u64(trim(tok), 0, SL_CONFIG_MAX_LCORE - 1, &lo) < 0 ||
		    (dash && parse_u64(trim(dash + 1), 0, SL_CONFIG_MAX_LCORE - 1, &hi) < 0)) {
			snprintf(err, errlen, "expected an lcore list like \"1\" or \"1-3,5\" "
				 "with lcores below %d, got \"%s\"", SL_CONFIG_MAX_LCORE, s);
			return -1;
		}
		if (!dash)
			hi = lo;
		if (hi < lo) {
			snprintf(err, errlen, "lcore range %" PRIu64 "-%" PRIu64 " is reversed", lo, hi);
			return -1;
		}
		for (uint64_t l = lo; l <= hi; l++)
			seen[l] = true;
	}
	for (unsigned int l = 0; l < SL_CONFIG_MAX_LCORE; l++) {
		if (!seen[l])
			continue;
		if (n == max) {
			snprintf(err, errlen, "more than %u lcores", max);
			return -1;
		}
		out[n++] = l;
	}
	if (n == 0) {
		snprintf(err, errlen, "empty lcore list");
		return -1;
	}
	return n;
}

int
sl_config_port_index(const struct sl_config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Section interpretation: each section kind knows its keys. */
typedef int (*key_handler)(struct cfg_ctx *c, const char *section,
			   const char *key, const char *value, unsigned int line,
			   void *obj);

struct key_spec {
	const char *key;
	key_handler fn;
	const char *expect; /* what a valid value looks like, for errors */
};

static int
h_dpid(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
       unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	return parse_u64(v, 0, UINT64_MAX, &c->cfg->datapath_id);
}

static int
h_main_lcore(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	     unsigned int line, void *obj)
{
	uint64_t x;

	(void)sec; (void)k; (void)obj; (void)line;
	if (parse_u64(v, 0, SL_CONFIG_MAX_LCORE - 1, &x) < 0)
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
		fail_at(c, line, "[%s] %s: %s", sec, k, msg);
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
	if (parse_u64(v, 1024, 16u << 20, &x) < 0)
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

static int
h_prefix_tracking(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		  unsigned int line, void *obj)
{
	(void)sec; (void)k; (void)obj; (void)line;
	if (strcmp(v, "yes") == 0)
		c->cfg->no_prefix_tracking = false;
	else if (strcmp(v, "no") == 0)
		c->cfg->no_prefix_tracking = true;
	else
		return -1;
	return 0;
}

static const struct key_spec switch_keys[] = {
	{ "datapath_id", h_dpid, "a 64-bit number (decimal or 0x hex)" },
	{ "main_lcore", h_main_lcore, "an lcore id below 128" },
	{ "workers", h_workers, "an lcore list like \"1\" or \"1-3,5\"" },
	{ "mbufs_per_socket", h_mbufs, "a number of mbufs between 1024 and 16777216" },
	{ "prefix_tracking", h_prefix_tracking, "\"yes\" or \"no\"" },
	{ NULL, NULL, NULL },
};

static int
add_targets(struct cfg_ctx *c, const char *v, bool passive)
{
	char tmp[CFG_VALUE_LEN], *save = NULL, *tok;

	snprintf(tmp, sizeof(tmp), "%s", v);
	for (tok = strtok_r(tmp, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		struct sl_config *cfg = c->cfg;

		if (strncmp(tok, passive ? "ptcp:" : "tcp:", passive ? 5 : 4) != 0 ||
		    cfg->n_of_targets == SL_CONFIG_MAX_OF_TARGETS)
			return -1;
		snprintf(cfg->of_targets[cfg->n_of_targets++], sizeof(cfg->of_targets[0]), "%s", tok);
	}
	return 0;
}

static int
h_of_target(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	    unsigned int line, void *obj)
{
	(void)sec; (void)obj; (void)line;
	if (strcmp(v, "none") == 0 && strcmp(k, "listen") == 0)
		return 0;
	return add_targets(c, v, strcmp(k, "listen") == 0);
}

static int
h_of_num(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	 unsigned int line, void *obj)
{
	struct sl_config *cfg = c->cfg;
	uint64_t x;

	(void)sec; (void)obj; (void)line;
	if (strcmp(k, "fail_mode") == 0) {
		if (strcmp(v, "secure") && strcmp(v, "standalone"))
			return -1;
		cfg->fail_standalone = strcmp(v, "standalone") == 0;
		return 0;
	}
	if (strcmp(k, "miss_send_len") == 0) {
		if (parse_u64(v, 0, 0xffff, &x) < 0)
			return -1;
		cfg->miss_send_len = (uint16_t)x;
	} else if (strcmp(k, "packet_in_rate") == 0 || strcmp(k, "packet_in_burst") == 0) {
		if (parse_u64(v, 1, 10000000, &x) < 0)
			return -1;
		*(k[10] == 'r' ? &cfg->packet_in_rate : &cfg->packet_in_burst) = (uint32_t)x;
	} else {
		if (parse_u64(v, 1, 3600, &x) < 0)
			return -1;
		*(k[0] == 'p' ? &cfg->probe_interval_ms : &cfg->max_backoff_ms) =
			(uint32_t)x * 1000;
	}
	return 0;
}

static const struct key_spec openflow_keys[] = {
	{ "listen", h_of_target, "\"none\" or passive targets like \"ptcp:6653\" or "
	  "\"ptcp:6653:0.0.0.0\", comma-separated" },
	{ "controllers", h_of_target, "active targets like \"tcp:192.0.2.1:6653\", comma-separated" },
	{ "fail_mode", h_of_num, "\"secure\" or \"standalone\"" },
	{ "miss_send_len", h_of_num, "a byte count between 0 and 65535" },
	{ "packet_in_rate", h_of_num, "packets per second per controller, 1 to 10000000" },
	{ "packet_in_burst", h_of_num, "a packet count, 1 to 10000000" },
	{ "probe_interval", h_of_num, "seconds between 1 and 3600" },
	{ "max_backoff", h_of_num, "seconds between 1 and 3600" },
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
	else
		return -1;
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
h_port_num(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	   unsigned int line, void *obj)
{
	struct sl_port_params *p = obj;
	uint64_t x;

	(void)c; (void)sec; (void)line;
	if (strcmp(k, "ofport") == 0) {
		/* OFPP_MAX: numbers above are reserved ports (IN_PORT, LOCAL...) */
		if (parse_u64(v, 1, 0xffffff00, &x) < 0)
			return -1;
		p->ofport = (uint32_t)x;
		return 0;
	}
	if (strcmp(k, "mtu") == 0) {
		if (parse_u64(v, 68, 9600, &x) < 0)
			return -1;
		p->mtu = (uint16_t)x;
		return 0;
	}
	if (strcmp(k, "rxd") == 0 || strcmp(k, "txd") == 0) {
		if (parse_u64(v, 64, 32768, &x) < 0 || (x & (x - 1)) != 0)
			return -1;
		*(k[0] == 'r' ? &p->rxd : &p->txd) = (uint16_t)x;
		return 0;
	}
	if (parse_u64(v, 1, SL_PORT_MAX_QUEUES, &x) < 0)
		return -1;
	if (strcmp(k, "tx_queues") == 0)
		p->n_txq = (uint16_t)x;
	else
		p->n_rxq = (uint16_t)x; /* rx_queues, or queues (vhost pairs) */
	return 0;
}

static const struct key_spec port_keys[] = {
	{ "type", h_port_type, "\"dpdk\" or \"vhost-user\"" },
	{ "devargs", h_port_args, "a DPDK devargs string (dpdk ports)" },
	{ "path", h_port_args, "a vhost-user socket path (vhost-user ports)" },
	{ "mode", h_port_mode, "\"client\" or \"server\"" },
	{ "ofport", h_port_num, "an OpenFlow port number between 1 and 0xffffff00" },
	{ "queues", h_port_num, "a queue-pair count between 1 and 16" },
	{ "rx_queues", h_port_num, "an rx queue count between 1 and 16" },
	{ "tx_queues", h_port_num, "a tx queue count between 1 and 16" },
	{ "rxd", h_port_num, "a power of two between 64 and 32768" },
	{ "txd", h_port_num, "a power of two between 64 and 32768" },
	{ "mtu", h_port_num, "an MTU between 68 and 9600" },
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
		return fail_at(c, 0, "out of memory");
	n = rte_cfgfile_section_entries(cf, sec, e, n);
	for (int i = 0; i < n; i++) {
		unsigned int line = loc_line(c, sec, e[i].name);
		const struct key_spec *ks = spec;
		int rc;

		while (ks->key && strcmp(ks->key, e[i].name) != 0)
			ks++;
		if (ks->key == NULL) {
			fail_at(c, line, "unknown key '%s' in [%s]", e[i].name, sec);
			free(e);
			return -1;
		}
		rc = ks->fn(c, sec, e[i].name, e[i].value, line, obj);
		if (rc == -1)
			fail_at(c, line, "[%s] %s: expected %s, got \"%s\"", sec,
				e[i].name, ks->expect, e[i].value);
		if (rc < 0) {
			free(e);
			return -1;
		}
	}
	free(e);
	return 0;
}

static int
check_port(struct cfg_ctx *c, struct rte_cfgfile *cf, const char *sec,
	   struct sl_port_params *p)
{
	unsigned int line = loc_line(c, sec, "");
	bool vhost_keys = rte_cfgfile_has_entry(cf, sec, "path") ||
			  rte_cfgfile_has_entry(cf, sec, "mode") ||
			  rte_cfgfile_has_entry(cf, sec, "queues");

	if (!rte_cfgfile_has_entry(cf, sec, "type"))
		return fail_at(c, line, "[%s]: missing 'type' (\"dpdk\" or \"vhost-user\")", sec);
	if (p->type == SL_PORT_ETHDEV) {
		if (!rte_cfgfile_has_entry(cf, sec, "devargs"))
			return fail_at(c, line, "[%s]: a dpdk port needs 'devargs'", sec);
		if (vhost_keys)
			return fail_at(c, line, "[%s]: 'path', 'mode' and 'queues' are for "
				       "vhost-user ports; use 'rx_queues'/'tx_queues'", sec);
	} else {
		if (!rte_cfgfile_has_entry(cf, sec, "path"))
			return fail_at(c, line, "[%s]: a vhost-user port needs 'path'", sec);
		if (rte_cfgfile_has_entry(cf, sec, "devargs") ||
		    rte_cfgfile_has_entry(cf, sec, "rx_queues") ||
		    rte_cfgfile_has_entry(cf, sec, "tx_queues"))
			return fail_at(c, line, "[%s]: 'devargs', 'rx_queues' and 'tx_queues' "
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
	unsigned int line = loc_line(c, sec, "");

	if (*name == '\0' || strlen(name) >= SL_PORT_NAME_MAX)
		return fail_at(c, line, "[%s]: expected [port:NAME] with a name of 1 to %d characters",
			       sec, SL_PORT_NAME_MAX - 1);
	if (cfg->n_ports == SL_MAX_PORTS)
		return fail_at(c, line, "[%s]: more than %d ports", sec, SL_MAX_PORTS);
	p = &cfg->ports[cfg->n_ports];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (apply_keys(c, cf, sec, port_keys, p) < 0 || check_port(c, cf, sec, p) < 0)
		return -1;
	cfg->n_ports++;
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
				return fail_at(c, loc_line(c, sec, "ofport"),
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
		return fail_at(c, 0, "out of memory");
	n = rte_cfgfile_section_entries(cf, "xconnect", e, n);
	for (int i = 0; i < n && rc == 0; i++) {
		int a = sl_config_port_index(c->cfg, e[i].name);
		int b = sl_config_port_index(c->cfg, e[i].value);
		unsigned int line = loc_line(c, "xconnect", e[i].name);

		if (a < 0)
			rc = fail_at(c, line, "[xconnect]: '%s' is not a configured port", e[i].name);
		else if (b < 0)
			rc = fail_at(c, line, "[xconnect] %s: expected a configured port name, got \"%s\"",
				     e[i].name, e[i].value);
		else
			c->cfg->xconnect[a] = b;
	}
	free(e);
	return rc;
}

static int
interpret(struct cfg_ctx *c, struct rte_cfgfile *cf)
{
	int n = rte_cfgfile_num_sections(cf, NULL, 0);
	char (*names)[CFG_NAME_LEN];
	int rc = 0;

	if (n < 0)
		return fail_at(c, 0, "rte_cfgfile could not list sections");
	names = calloc(n ? n : 1, sizeof(*names));
	if (names == NULL)
		return fail_at(c, 0, "out of memory");
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
			rc = apply_keys(c, cf, s, openflow_keys, NULL);
		else if (strncmp(s, "port:", 5) == 0)
			rc = load_port(c, cf, s);
		else if (strcmp(s, "xconnect") != 0)
			rc = fail_at(c, loc_line(c, s, ""), "unknown section [%s]: expected [switch], "
				     "[dpdk], [openflow], [port:NAME] or [xconnect]", s);
	}
	if (rc == 0)
		rc = assign_ofports(c);
	if (rc == 0)
		rc = load_xconnect(c, cf);
	for (unsigned int i = 0; rc == 0 && i < c->cfg->n_workers; i++)
		if (c->cfg->worker_lcores[i] == c->cfg->main_lcore)
			rc = fail_at(c, loc_line(c, "switch", "workers"),
				     "[switch] workers: lcore %u is the main (control) lcore",
				     c->cfg->main_lcore);
	free(names);
	return rc;
}

static int
load_cfgfile(struct cfg_ctx *c, const char *path, FILE *f)
{
	struct rte_cfgfile *cf;
	int rc;

	if (scan_lines(c, f) < 0)
		return -1;
	cf = rte_cfgfile_load(path, 0);
	if (cf == NULL)
		return fail_at(c, 0, "rte_cfgfile could not parse the file");
	rc = interpret(c, cf);
	if (rc == 0)
		c->cfg->xconnect_only = rte_cfgfile_has_section(cf, "xconnect");
	/* Like "ovs-vsctl set-controller br0 ptcp:6653": ovs-ofctl on this host
	 * can manage the switch; loopback only, since OpenFlow has no auth here. */
	if (rc == 0 && !rte_cfgfile_has_entry(cf, "openflow", "listen")) {
		if (c->cfg->n_of_targets == SL_CONFIG_MAX_OF_TARGETS)
			return fail_at(c, 0, "[openflow]: too many targets");
		snprintf(c->cfg->of_targets[c->cfg->n_of_targets++], sizeof(c->cfg->of_targets[0]),
			 "ptcp:6653:127.0.0.1");
	}
	rte_cfgfile_close(cf);
	return rc;
}

static void
config_defaults(struct sl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->datapath_id = 1;
	cfg->main_lcore = 0;
	cfg->n_workers = 1;
	cfg->worker_lcores[0] = 1;
	cfg->mbufs_per_socket = 16384;
	cfg->miss_send_len = 128;
	cfg->packet_in_rate = 1000;
	cfg->packet_in_burst = 100;
	cfg->probe_interval_ms = 5000;
	cfg->max_backoff_ms = 8000;
	for (unsigned int i = 0; i < SL_MAX_PORTS; i++)
		cfg->xconnect[i] = -1;
}

int
sl_config_load(struct sl_config *cfg, const char *path, char *err, size_t errlen)
{
	struct cfg_ctx c = { .cfg = cfg, .name = path, .err = err, .errlen = errlen };
	FILE *f;
	int rc;

	config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	f = fopen(path, "r");
	if (f == NULL)
		return fail_at(&c, 0, "cannot open: %s", strerror(errno));
	rc = load_cfgfile(&c, path, f);
	fclose(f);
	free(c.locs);
	return rc;
}

int
sl_config_load_string(struct sl_config *cfg, const char *text, const char *name,
		      char *err, size_t errlen)
{
	struct cfg_ctx c = { .cfg = cfg, .name = name, .err = err, .errlen = errlen };
	char fdpath[64];
	FILE *f;
	int fd, rc;

	config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	/* rte_cfgfile only reads named files: hand it an anonymous memfd. */
	fd = memfd_create("sluice-config", MFD_CLOEXEC);
	if (fd < 0)
		return fail_at(&c, 0, "memfd_create: %s", strerror(errno));
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return fail_at(&c, 0, "cannot write the configuration to a memfd");
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	f = fopen(fdpath, "r");
	if (f == NULL) {
		close(fd);
		return fail_at(&c, 0, "cannot reopen %s: %s", fdpath, strerror(errno));
	}
	rc = load_cfgfile(&c, fdpath, f);
	fclose(f);
	close(fd);
	free(c.locs);
	return rc;
}
