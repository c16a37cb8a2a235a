/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The [openflow] section: controller and listener targets (tcp:, ssl:,
 * unix: and their passive forms), the TLS files, and the agent's numbers.
 * Its own file because config_sections.c had grown past 800 lines; the
 * handlers follow the same contract (fill the configuration or return -1,
 * the caller names file, line and what the key expects).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_private.h"

/* The prefix of @tok if it is one of @kind's ("tcp:", "ssl:", "unix:" and
 * the passive "p" forms), followed by something; else NULL. */
static const char *
target_prefix(const char *tok, bool passive)
{
	static const char *const kinds[] = { "tcp:", "ssl:", "unix:" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i]);

		if (passive && tok[0] == 'p' && strncmp(tok + 1, kinds[i], n) == 0 && tok[n + 1])
			return kinds[i];
		if (!passive && strncmp(tok, kinds[i], n) == 0 && tok[n])
			return kinds[i];
	}
	return NULL;
}

static int
add_targets(struct cfg_ctx *c, const char *v, bool passive)
{
	char tmp[CFG_VALUE_LEN], *save = NULL, *tok;

	snprintf(tmp, sizeof(tmp), "%s", v);
	for (tok = strtok_r(tmp, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		struct sl_config *cfg = c->cfg;

		if (target_prefix(tok, passive) == NULL ||
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
	if (strcmp(k, "service_roles") == 0)
		return sl_cfg_parse_pair(v, "no", "yes", &cfg->service_roles);
	if (strcmp(k, "miss_send_len") == 0) {
		if (sl_cfg_parse_u64(v, 0, 0xffff, &x) < 0)
			return -1;
		cfg->miss_send_len = (uint16_t)x;
	} else if (strcmp(k, "packet_in_rate") == 0 || strcmp(k, "packet_in_burst") == 0) {
		if (sl_cfg_parse_u64(v, 1, 10000000, &x) < 0)
			return -1;
		*(k[10] == 'r' ? &cfg->packet_in_rate : &cfg->packet_in_burst) = (uint32_t)x;
	} else if (strcmp(k, "max_rules") == 0) {
		if (sl_cfg_parse_u64(v, 1, 100000000, &x) < 0)
			return -1;
		cfg->max_rules = (uint32_t)x;
	} else if (strcmp(k, "mac_limit_per_port") == 0) {
		if (sl_cfg_parse_u64(v, 0, 1u << 24, &x) < 0)
			return -1;
		cfg->mac_limit_per_port = (uint32_t)x;
	} else if (strcmp(k, "mac_table_size") == 0) {
		if (sl_cfg_parse_u64(v, 16, 1u << 24, &x) < 0)
			return -1;
		cfg->mac_table_size = (uint32_t)x;
	} else if (strcmp(k, "mac_aging_time") == 0) {
		if (sl_cfg_parse_u64(v, 1, 86400, &x) < 0)
			return -1;
		cfg->mac_aging_s = (uint32_t)x;
	} else {
		if (sl_cfg_parse_u64(v, 1, 3600, &x) < 0)
			return -1;
		*(k[0] == 'p' ? &cfg->probe_interval_ms : &cfg->max_backoff_ms) =
			(uint32_t)x * 1000;
	}
	return 0;
}

static int
h_of_ssl(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
	 unsigned int line, void *obj)
{
	struct sl_config *cfg = c->cfg;

	(void)sec; (void)obj; (void)line;
	if (strcmp(k, "ssl_verify_peer") == 0)
		return sl_cfg_parse_pair(v, "no", "yes", &cfg->ssl_verify_peer);
	if (*v == '\0')
		return -1;
	snprintf(strcmp(k, "ssl_private_key") == 0 ? cfg->ssl_private_key :
		 strcmp(k, "ssl_certificate") == 0 ? cfg->ssl_certificate : cfg->ssl_ca_cert,
		 SL_CONFIG_PATH_MAX, "%s", v);
	return 0;
}

/* The ssl_* keys and the ssl and pssl targets go together: a TLS target
 * names each file it lacks, and a TLS key that nothing would use is an
 * error, like an unknown key (it would be silently ignored). */
int
sl_cfg_check_tls(struct cfg_ctx *c)
{
	static const char *const keys[] = { "ssl_private_key", "ssl_certificate", "ssl_ca_cert" };
	const struct sl_config *cfg = c->cfg;
	const char *vals[] = { cfg->ssl_private_key, cfg->ssl_certificate, cfg->ssl_ca_cert };
	const char *tls_target = NULL;

	for (unsigned int i = 0; i < cfg->n_of_targets && !tls_target; i++)
		if (strncmp(cfg->of_targets[i], "ssl:", 4) == 0 ||
		    strncmp(cfg->of_targets[i], "pssl:", 5) == 0)
			tls_target = cfg->of_targets[i];
	for (size_t i = 0; i < 3; i++) {
		unsigned int line = sl_cfg_loc_line(c, "openflow", keys[i]);
		bool ca = i == 2;

		if (tls_target == NULL && vals[i][0])
			return sl_cfg_fail_at(c, line, "[openflow] %s: set, but no ssl: or pssl: "
					      "target in listen or controllers uses it", keys[i]);
		if (tls_target && ca && vals[i][0] && !cfg->ssl_verify_peer)
			return sl_cfg_fail_at(c, line, "[openflow] ssl_ca_cert: unused with "
					      "ssl_verify_peer = no; remove one of them");
		if (tls_target && !vals[i][0] && (!ca || cfg->ssl_verify_peer))
			return sl_cfg_fail_at(c, sl_cfg_loc_line(c, "openflow",
					      tls_target[0] == 'p' ? "listen" : "controllers"),
					      "[openflow] %s: TLS target %s needs %s (a PEM file)%s",
					      tls_target[0] == 'p' ? "listen" : "controllers",
					      tls_target, keys[i], ca ? " or ssl_verify_peer = no" : "");
	}
	if (tls_target == NULL && sl_cfg_loc_line(c, "openflow", "ssl_verify_peer"))
		return sl_cfg_fail_at(c, sl_cfg_loc_line(c, "openflow", "ssl_verify_peer"),
				      "[openflow] ssl_verify_peer: set, but no ssl: or pssl: "
				      "target in listen or controllers uses it");
	return 0;
}

const struct key_spec sl_cfg_openflow_keys[] = {
	{ "listen", h_of_target, "\"none\" or passive targets like \"ptcp:6653\", "
	  "\"ptcp:6653:0.0.0.0\", \"pssl:6653:0.0.0.0\" or \"punix:/run/sluice/of.sock\", "
	  "comma-separated" },
	{ "controllers", h_of_target, "active targets like \"tcp:192.0.2.1:6653\", "
	  "\"ssl:192.0.2.1:6653\" or \"unix:/run/ctl.sock\", comma-separated" },
	{ "ssl_private_key", h_of_ssl, "the path of a PEM private key" },
	{ "ssl_certificate", h_of_ssl, "the path of a PEM certificate (chain)" },
	{ "ssl_ca_cert", h_of_ssl, "the path of a PEM CA certificate" },
	{ "ssl_verify_peer", h_of_ssl, "\"yes\" or \"no\"" },
	{ "fail_mode", h_of_num, "\"secure\" or \"standalone\"" },
	{ "service_roles", h_of_num, "\"yes\" or \"no\"" },
	{ "miss_send_len", h_of_num, "a byte count between 0 and 65535" },
	{ "packet_in_rate", h_of_num, "packets per second per controller, 1 to 10000000" },
	{ "packet_in_burst", h_of_num, "a packet count, 1 to 10000000" },
	{ "probe_interval", h_of_num, "seconds between 1 and 3600" },
	{ "max_backoff", h_of_num, "seconds between 1 and 3600" },
	{ "max_rules", h_of_num, "a rule count, 1 to 100000000" },
	{ "mac_limit_per_port", h_of_num, "MAC entries one port may hold, 0 (no limit) to 16777216" },
	{ "mac_table_size", h_of_num, "NORMAL's MAC table entries, 16 to 16777216" },
	{ "mac_aging_time", h_of_num, "seconds between 1 and 86400" },
	{ NULL, NULL, NULL },
};

