/* SPDX-License-Identifier: BSD-3-Clause */
/* The pipeline object: creation, destruction, its version and RCU
 * reclamation, port liveness, the invalid-TTL flag (see sl_pipeline.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline_private.h"
#include "pl_alloc.h"

struct sl_pipeline *
sl_pipeline_create(const struct sl_pipeline_config *cfg)
{
	struct sl_pipeline *pl = pl_calloc(1, sizeof(*pl));
	if (pl == NULL)
		return NULL;
	if (cfg)
		pl->cfg = *cfg;
	if (pl->cfg.max_readers == 0)
		pl->cfg.max_readers = 64;
	if (pl->cfg.max_rules_per_table == 0)
		pl->cfg.max_rules_per_table = 1000000;
	if (pl->cfg.max_rules == 0)
		pl->cfg.max_rules = 1000000;
	if (pl->cfg.max_groups == 0)
		pl->cfg.max_groups = 65536;
	pl->rcu = sl_rcu_create(pl->cfg.qsbr, pl->cfg.max_readers);
	pl->stats = pl_stats_create(pl->cfg.n_stats_shards, pl->rcu);
	if (pl->rcu != NULL)
		pl->mac = pl_mac_create(pl->rcu, pl->cfg.mac_max_entries, pl->cfg.mac_aging_s,
				pl->cfg.mac_limit_per_port);
	pl->recirc = pl_recirc_create(pl->cfg.max_recirc);
	if (pl->rcu == NULL || pl->stats == NULL || pl->mac == NULL || pl->recirc == NULL) {
		sl_rcu_destroy(pl->rcu);
		pl_mac_destroy(pl->mac);
		pl_recirc_destroy(pl->recirc);
		pl_stats_destroy(pl->stats);
		free(pl);
		return NULL;
	}
	for (unsigned int t = 0; t < SL_N_TABLES; t++) {
		sl_cls_init(&pl->tables[t].cls, pl->rcu);
		sl_cls_set_staged(&pl->tables[t].cls, !pl->cfg.unstaged);
		sl_cls_set_prefix_tracking(&pl->tables[t].cls, !pl->cfg.no_prefix_tracking);
		pl->tables[t].max_rules = pl->cfg.max_rules_per_table;
	}
	return pl;
}

void
sl_pipeline_destroy(struct sl_pipeline *pl)
{
	if (pl == NULL)
		return;
	for (unsigned int t = 0; t < SL_N_TABLES; t++) {
		struct sl_cls_rule *cr = sl_cls_first(&pl->tables[t].cls);
		while (cr) {
			struct sl_cls_rule *next = cr->all_next;
			pl_rule_free_final(cr);
			cr = next;
		}
		sl_cls_destroy(&pl->tables[t].cls);
	}
	pl_groups_destroy(pl);
	sl_rcu_destroy(pl->rcu); /* frees deferred MAC and recirculation entries */
	pl_mac_destroy(pl->mac);
	pl_recirc_destroy(pl->recirc);
	pl_stats_destroy(pl->stats);
	free(pl);
}

struct rte_rcu_qsbr *
sl_pipeline_qsbr(struct sl_pipeline *pl)
{
	return sl_rcu_qsbr(pl->rcu);
}

uint64_t
sl_pipeline_version(const struct sl_pipeline *pl)
{
	return __atomic_load_n(&pl->version, __ATOMIC_ACQUIRE);
}

unsigned int
sl_pipeline_reclaim(struct sl_pipeline *pl)
{
	pl_recirc_sweep(pl);
	return sl_rcu_reclaim(pl->rcu);
}

void
sl_pipeline_synchronize(struct sl_pipeline *pl)
{
	pl_recirc_sweep(pl);
	sl_rcu_synchronize(pl->rcu);
}

void
sl_pipeline_set_port_live(struct sl_pipeline *pl, uint32_t port, bool live)
{
	if (port >= SL_LIVE_PORTS)
		return;
	uint64_t bit = 1ull << (port % 64);
	uint64_t *w = &pl->port_down[port / 64];
	bool was_live = !(*w & bit);
	if (was_live == live)
		return;
	__atomic_store_n(w, live ? (*w & ~bit) : (*w | bit), __ATOMIC_RELEASE);
	pl_bump(pl);
}

void
sl_pipeline_ports_changed(struct sl_pipeline *pl)
{
	pl_bump(pl);
}

bool
sl_pipeline_port_live(const struct sl_pipeline *pl, uint32_t port)
{
	if (port >= SL_LIVE_PORTS)
		return true;
	return !(__atomic_load_n(&pl->port_down[port / 64], __ATOMIC_ACQUIRE) & (1ull << (port % 64)));
}

void
sl_pipeline_set_invalid_ttl_to_controller(struct sl_pipeline *pl, bool on)
{
	if (sl_pipeline_invalid_ttl_to_controller(pl) == on)
		return;
	/* Written before the bump: a translation that read the old value was
	 * made under an older version and is redone. */
	__atomic_store_n(&pl->cfg.invalid_ttl_to_controller, on, __ATOMIC_RELEASE);
	pl_bump(pl);
}

bool
sl_pipeline_invalid_ttl_to_controller(const struct sl_pipeline *pl)
{
	return __atomic_load_n(&pl->cfg.invalid_ttl_to_controller, __ATOMIC_ACQUIRE);
}
