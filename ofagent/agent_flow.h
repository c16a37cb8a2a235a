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
	/** a bundle's commit: the meters it deletes (OFPM_ALL: all); removed
	 *  rules that use one are OFPRR_METER_DELETE (agent_bundle.c) @{ */
	const uint32_t *commit_meter_deletes;
	uint32_t n_commit_meter_deletes;
	/** @} */
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
 *  free @p ai with agent_ins_free() either way. @p meter_exists false:
 *  a meter instruction's meter is not looked up (the bundle checks it
 *  against its own meter-mods). */
int agent_flow_mod_prepare(struct sl_agent *a, const struct sl_ofp_flow_mod *o,
			   struct sl_flow_mod *fm, struct agent_ins *ai, bool meter_exists);

/**
 * Convert a meter-mod request for sl_meter_table_mod() and check what it
 * says alone (band count, bands, the virtual meters), without applying it.
 * @param o      the meter-mod
 * @param mm     out: the converted mod; its bands point into @p bands
 * @param bands  SL_METER_MAX_BANDS entries, filled
 * @return 0, or the OFPMMFC_* code (error type OFPET_METER_MOD_FAILED).
 */
uint16_t agent_meter_mod_prepare(const struct sl_ofp_meter_mod *o, struct sl_meter_mod *mm,
				 struct sl_meter_band *bands);

/**
 * Delete every rule whose instructions use meter @p meter_id (OFPM_ALL:
 * any meter), flow-removed reason OFPRR_METER_DELETE; inside a pipeline
 * transaction the deletions are part of it.
 * @param a         the agent
 * @param meter_id  the deleted meter, or OFPM_ALL
 */
void agent_meter_rules_delete(struct sl_agent *a, uint32_t meter_id);

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
