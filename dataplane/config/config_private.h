/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_CONFIG_PRIVATE_H
#define SL_CONFIG_PRIVATE_H

/* Shared by config.c (scanning, loading) and config_sections.c (what each
 * section and key means). Not installed. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_cfgfile.h>

#include "sl_config.h"

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
	/* one [port:NAME] for add-port: the other ports (a tunnel's underlay)
	 * are the running switch's, which the datapath checks against */
	bool port_only;
};

/* Write "NAME:LINE: message" (or "NAME: message" when line is 0) into
 * c->err; returns -1. */
int sl_cfg_fail_at(struct cfg_ctx *c, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Line of (section, key) in the file; key "" or NULL: the section header. */
unsigned int sl_cfg_loc_line(const struct cfg_ctx *c, const char *section, const char *key);

/* Decimal or 0x number in [min, max]; 0 or -1. */
int sl_cfg_parse_u64(const char *v, uint64_t min, uint64_t max, uint64_t *out);

/* Interpret every section of a loaded file into c->cfg; 0 or -1. */
int sl_cfg_interpret(struct cfg_ctx *c, struct rte_cfgfile *cf);

/* Section interpretation: each section kind knows its keys (a table of
 * key_spec ending with a NULL key). */
typedef int (*key_handler)(struct cfg_ctx *c, const char *section,
			   const char *key, const char *value, unsigned int line,
			   void *obj);

struct key_spec {
	const char *key;
	key_handler fn;
	const char *expect; /* what a valid value looks like, for errors */
};

/* @v is @no (*out = false) or @yes (*out = true); else -1. */
int sl_cfg_parse_pair(const char *v, const char *no, const char *yes, bool *out);
/* config_openflow.c: the [openflow] keys, and the TLS cross-checks run once
 * the whole section is read. */
extern const struct key_spec sl_cfg_openflow_keys[];
int sl_cfg_check_tls(struct cfg_ctx *c);
/* config_tunnel.c: [port:NAME] type = vxlan. Its keys; whether a section is
 * one (its 'type'); the defaults set before its keys; the checks of the
 * port alone, after its keys; the checks across ports (underlay, clashes),
 * once all ports are loaded. */
extern const struct key_spec sl_cfg_tunnel_keys[];
bool sl_cfg_is_tunnel(struct rte_cfgfile *cf, const char *sec);
void sl_cfg_tunnel_defaults(struct sl_port_params *p);
int sl_cfg_check_tunnel_port(struct cfg_ctx *c, struct rte_cfgfile *cf, const char *sec,
			     struct sl_port_params *p);
int sl_cfg_check_tunnels(struct cfg_ctx *c);

/* config_neigh.c: [switch] neighbour_timeout, neighbour_retries,
 * neighbour_queue (one handler for the three); the [neighbours] section,
 * read once the ports are loaded (an entry may name one). */
int sl_cfg_h_neigh(struct cfg_ctx *c, const char *sec, const char *k, const char *v,
		   unsigned int line, void *obj);
int sl_cfg_load_neighbours(struct cfg_ctx *c, struct rte_cfgfile *cf);

#endif /* SL_CONFIG_PRIVATE_H */
