/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration loading. See sl_config.h for why there are two passes
 * (a line scanner for locations, then rte_cfgfile for content); what each
 * section means is in config_sections.c.
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

#include "config_private.h"
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
	"state_file = " SL_CONFIG_STATE_FILE "\n"
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

int
sl_cfg_fail_at(struct cfg_ctx *c, unsigned int line, const char *fmt, ...)
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

unsigned int
sl_cfg_loc_line(const struct cfg_ctx *c, const char *section, const char *key)
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
	unsigned int prev = sl_cfg_loc_line(c, section, key);

	if (prev != 0) {
		if (key[0] == '\0')
			return sl_cfg_fail_at(c, line, "section [%s] already defined at line %u",
				       section, prev);
		return sl_cfg_fail_at(c, line, "key '%s' already set in [%s] at line %u",
			       key, section, prev);
	}
	if (c->n_locs == c->cap_locs) {
		unsigned int cap = c->cap_locs ? 2 * c->cap_locs : 64;
		struct cfg_loc *n = realloc(c->locs, cap * sizeof(*n));

		if (n == NULL)
			return sl_cfg_fail_at(c, line, "out of memory");
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
			return sl_cfg_fail_at(c, line, "line longer than %zu characters", sizeof(buf) - 2);
		semi = strchr(buf, ';');
		if (semi)
			*semi = '\0';
		s = trim(buf);
		if (*s == '\0')
			continue;
		if (*s == '#')
			return sl_cfg_fail_at(c, line, "comments start with ';', not '#'");
		if (*s == '[') {
			char *end = strchr(s, ']');

			if (end == NULL || end[1] != '\0')
				return sl_cfg_fail_at(c, line, "expected '[section]'");
			*end = '\0';
			s = trim(s + 1);
			if (*s == '\0' || strlen(s) >= CFG_NAME_LEN)
				return sl_cfg_fail_at(c, line, "section name empty or longer than %d characters",
					       CFG_NAME_LEN - 1);
			snprintf(section, sizeof(section), "%s", s);
			if (loc_add(c, section, "", line) < 0)
				return -1;
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL)
			return sl_cfg_fail_at(c, line, "expected 'key = value' or '[section]', got '%s'", s);
		if (section[0] == '\0')
			return sl_cfg_fail_at(c, line, "'key = value' before any [section]");
		*eq = '\0';
		s = trim(s);
		if (*s == '\0' || strlen(s) >= CFG_NAME_LEN)
			return sl_cfg_fail_at(c, line, "key empty or longer than %d characters", CFG_NAME_LEN - 1);
		if (strlen(trim(eq + 1)) >= CFG_VALUE_LEN)
			return sl_cfg_fail_at(c, line, "value of '%s' longer than %d characters", s,
				       CFG_VALUE_LEN - 1);
		if (loc_add(c, section, s, line) < 0)
			return -1;
	}
	return 0;
}

int
sl_cfg_parse_u64(const char *v, uint64_t min, uint64_t max, uint64_t *out)
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
		if (sl_cfg_parse_u64(trim(tok), 0, SL_CONFIG_MAX_LCORE - 1, &lo) < 0 ||
		    (dash && sl_cfg_parse_u64(trim(dash + 1), 0, SL_CONFIG_MAX_LCORE - 1, &hi) < 0)) {
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

static int
load_cfgfile(struct cfg_ctx *c, const char *path, FILE *f)
{
	struct rte_cfgfile *cf;
	int rc;

	if (scan_lines(c, f) < 0)
		return -1;
	cf = rte_cfgfile_load(path, 0);
	if (cf == NULL)
		return sl_cfg_fail_at(c, 0, "rte_cfgfile could not parse the file");
	rc = sl_cfg_interpret(c, cf);
	if (rc == 0)
		c->cfg->xconnect_only = rte_cfgfile_has_section(cf, "xconnect");
	/* Like "ovs-vsctl set-controller br0 ptcp:6653": ovs-ofctl on this host
	 * can manage the switch; loopback only, since OpenFlow has no auth here. */
	if (rc == 0 && !rte_cfgfile_has_entry(cf, "openflow", "listen")) {
		if (c->cfg->n_of_targets == SL_CONFIG_MAX_OF_TARGETS)
			return sl_cfg_fail_at(c, 0, "[openflow]: too many targets");
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
	snprintf(cfg->mgmt_socket, sizeof(cfg->mgmt_socket), "%s", SL_CONFIG_MGMT_SOCKET);
	cfg->emc_insert_inv_prob = SL_CONFIG_EMC_DEFAULT_INV_PROB;
	cfg->rxq_rebalance_threshold = 25;
	cfg->miss_send_len = 128;
	cfg->mac_table_size = 8192;
	cfg->mac_aging_s = 300;
	cfg->neigh_timeout_ms = 300000;
	cfg->neigh_retries = 3;
	cfg->neigh_queue_len = 16;
	cfg->miss_handler = true; /* docs/fastpath.md, "Miss handling" */
	cfg->packet_in_rate = 1000;
	cfg->packet_in_burst = 100;
	cfg->probe_interval_ms = 5000;
	cfg->max_rules = 1000000;
	cfg->max_backoff_ms = 8000;
	cfg->ssl_verify_peer = true;
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
		return sl_cfg_fail_at(&c, 0, "cannot open: %s", strerror(errno));
	rc = load_cfgfile(&c, path, f);
	fclose(f);
	free(c.locs);
	return rc;
}

/* sl_config_load_string(); @port_only: add-port's one [port:NAME] (cfg_ctx) */
static int
load_string(struct sl_config *cfg, const char *text, const char *name, bool port_only,
	    char *err, size_t errlen)
{
	struct cfg_ctx c = { .cfg = cfg, .name = name, .err = err, .errlen = errlen,
			     .port_only = port_only };
	char fdpath[64];
	FILE *f;
	int fd, rc;

	config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	/* rte_cfgfile only reads named files: hand it an anonymous memfd. */
	fd = memfd_create("sluice-config", MFD_CLOEXEC);
	if (fd < 0)
		return sl_cfg_fail_at(&c, 0, "memfd_create: %s", strerror(errno));
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return sl_cfg_fail_at(&c, 0, "cannot write the configuration to a memfd");
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	f = fopen(fdpath, "r");
	if (f == NULL) {
		close(fd);
		return sl_cfg_fail_at(&c, 0, "cannot reopen %s: %s", fdpath, strerror(errno));
	}
	rc = load_cfgfile(&c, fdpath, f);
	fclose(f);
	close(fd);
	free(c.locs);
	return rc;
}

int
sl_config_load_string(struct sl_config *cfg, const char *text, const char *name,
		      char *err, size_t errlen)
{
	return load_string(cfg, text, name, false, err, errlen);
}

void
sl_config_local_devargs(const char *ifname, uint64_t datapath_id, char *out, size_t size)
{
	/* 0x02: locally administered; 'L' keeps it apart from vhost ports'
	 * 02:51:... (sl_port_identify) */
	snprintf(out, size, "net_tap_sl_local,iface=%s,mac=02:4c:%02x:%02x:%02x:%02x", ifname,
		 (unsigned int)(datapath_id >> 24) & 0xff, (unsigned int)(datapath_id >> 16) & 0xff,
		 (unsigned int)(datapath_id >> 8) & 0xff, (unsigned int)datapath_id & 0xff);
}

/* The message of a failed parse without its "add-port:LINE: " head: the
 * lines are the command's words, which the message names anyway. */
static void
strip_location(char *err, const char *name)
{
	size_t n = strlen(name);
	char *colon;

	if (strncmp(err, name, n) != 0 || err[n] != ':' ||
	    (colon = strstr(err + n + 1, ": ")) == NULL)
		return;
	memmove(err, colon + 2, strlen(colon + 2) + 1);
}

int
sl_config_parse_port(const char *name, char *const *words, unsigned int n_words,
		     struct sl_port_params *out, char *err, size_t errlen)
{
	static const char who[] = "add-port";
	struct sl_config *cfg = NULL;
	bool has_ofport = false;
	size_t len = 32 + strlen(name), off;
	char *text;
	int rc = -1;

	for (unsigned int i = 0; i < n_words; i++)
		len += strlen(words[i]) + 4;
	text = malloc(len);
	if (text == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	off = (size_t)snprintf(text, len, "[port:%s]\n", name);
	for (unsigned int i = 0; i < n_words; i++) {
		const char *eq = strchr(words[i], '=');

		/* ';' starts a comment and '\n' a line in the file format */
		if (eq == NULL || eq == words[i] || strpbrk(words[i], ";\n[") != NULL) {
			snprintf(err, errlen, "expected KEY=VALUE (the keys of a [port:NAME] "
				 "section), got \"%s\"", words[i]);
			goto out;
		}
		has_ofport |= strncmp(words[i], "ofport=", 7) == 0;
		off += (size_t)snprintf(text + off, len - off, "%.*s = %s\n", (int)(eq - words[i]),
					words[i], eq + 1);
	}
	cfg = malloc(sizeof(*cfg));
	if (cfg == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (load_string(cfg, text, who, true, err, errlen) < 0) {
		strip_location(err, who);
		goto out;
	}
	if (cfg->n_ports != 1) {
		snprintf(err, errlen, "expected one port");
		goto out;
	}
	*out = cfg->ports[0];
	if (!has_ofport)
		out->ofport = 0; /* the caller picks one (sl_ofport_state.h) */
	rc = 0;
out:
	free(cfg);
	free(text);
	return rc;
}

bool
sl_config_port_pci_address(const struct sl_port_params *p, char *addr, size_t size)
{
	unsigned int d = 0, b, s, f;
	int n = 0;

	if (p->type != SL_PORT_ETHDEV)
		return false;
	if (sscanf(p->args, "%x:%x:%x.%x%n", &d, &b, &s, &f, &n) == 4 && n > 0 &&
	    (p->args[n] == '\0' || p->args[n] == ',')) {
		/* DDDD:BB:SS.F */
	} else if (sscanf(p->args, "%x:%x.%x%n", &b, &s, &f, &n) == 3 && n > 0 &&
		   (p->args[n] == '\0' || p->args[n] == ',')) {
		d = 0;
	} else {
		return false;
	}
	if (d > 0xffff || b > 0xff || s > 0x1f || f > 7)
		return false;
	snprintf(addr, size, "%04x:%02x:%02x.%x", d, b, s, f);
	return true;
}
