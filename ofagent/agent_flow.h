/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_FLOW_H
#define SL_AGENT_FLOW_H

/**
 * @file
 * INTERNAL to ofagent/: table-side state shared by agent_flow.c (mods) and
 * agent_flow_mp.c (statistics).
 */

#include "agent_private.h"
#include "sl_pipeline.h"
#include "sl_meter.h"

#define AGENT_MAX_METERS 65536u /* own meter table's capacity (no runtime table) */
#define AGENT_MAX_GROUPS 65536u /* the pipeline's default max_groups */

struct agent_flows {
	struct sl_meter_table *meters;
	bool own_meters;
	uint32_t *group_ids;     /**< sorted ids of existing groups */
	unsigned int n_groups, cap_groups;
	uint64_t next_expire_ns;
	bool controller_present;
	bool standalone_active;  /**< fail-open: table-0 misses run NORMAL */
	bool meter_deleting;     /**< removals now are a meter's: OFPRR_METER_DELETE */
};

/** A rule's packet count as OpenFlow reports it (all ones with NO_PKT_COUNTS). */
uint64_t agent_rule_packets(const struct sl_rule *r);
/** A rule's byte count as OpenFlow reports it (all ones with NO_BYT_COUNTS). */
uint64_t agent_rule_bytes(const struct sl_rule *r);

/** OFPMP_TABLE_FEATURES: describe every table (a request with a body,
 *  i.e. a table reconfiguration, is refused: tables are fixed). */
void agent_reply_table_features(struct agent_conn *ac, const struct sl_ofp_multipart *q,
				struct sl_ofp_msg *r, const uint8_t *raw, size_t len);

struct agent_ins;
/** Bundles (agent_bundle.c): check and convert a flow-mod as a flow-mod
 *  request would be, without applying it. 0 or SL_OFPERR(type, code);
 *  free @p ai with agent_ins_free() either way. */
int agent_flow_mod_prepare(struct sl_agent *a, const struct sl_ofp_flow_mod *o,
			   struct sl_flow_mod *fm, struct agent_ins *ai);

/** Convert a group-mod request (its buckets copied into @p b) for
 *  sl_pipeline_group_mod(), without applying it; 0 or SL_OFPERR(type,
 *  code). Free @p b with agent_buckets_free(b, g->n_buckets) either way. */
int agent_group_mod_prepare(const struct sl_ofp_group_mod *g, struct sl_group_mod *gm,
			    struct sl_bucket **b);
/** Free buckets made by agent_group_mod_prepare() (NULL is fine). */
void agent_buckets_free(struct sl_bucket *b, uint32_t n);
/** After group @p id changed (OFPG_ALL: any), bring the agent's sorted
 *  list of group ids (group stats/desc of all groups) in step. */
void agent_group_ids_sync(struct sl_agent *a, uint32_t id);

#endif /* SL_AGENT_FLOW_H */
