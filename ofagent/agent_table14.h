/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_TABLE14_H
#define SL_AGENT_TABLE14_H

/**
 * @file
 * INTERNAL to ofagent/: OpenFlow 1.4/1.5 table descriptions and vacancy
 * events (OF1.4 7.3.3, 7.3.5.9, 7.4.5). Each table keeps its vacancy
 * thresholds and whether OFPTC_VACANCY_EVENTS is on; the vacancy (free
 * entries in percent of max_entries, as table features report it) is
 * evaluated on the control lcore after the rules change (flow-mod, expiry,
 * group/meter delete, bundle commit), never per packet.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent_private.h"
#include "sl_ofp_table14.h"

/** Per-table vacancy configuration and hysteresis state. */
struct agent_tables14 {
	uint8_t down[256]; /**< vacancy_down threshold (percent) */
	uint8_t up[256];   /**< vacancy_up threshold (percent) */
	/** 0: events off; else the SL_OFPTR_* reason armed (the next one sent) */
	uint8_t armed[256];
	unsigned int n_on; /**< tables with events on (0: nothing to check) */
};

/**
 * Take an OFPMP_TABLE_DESC request of a 1.4/1.5 session out of the stream,
 * before the codec, which does not know it, and answer it.
 * @param ac  the session
 * @param raw the message
 * @param len its length
 * @return true if it was one (answered: reply or error), false otherwise.
 */
bool agent_table14_message(struct agent_conn *ac, const uint8_t *raw, size_t len);

/**
 * Apply a validated OF1.4/1.5 table-mod's config (OFPTC_VACANCY_EVENTS) and
 * vacancy property to its table (or all, OFPTT_ALL); answers an error
 * itself if it cannot.
 * @param ac  the session
 * @param tm  the table-mod (table id and config already checked)
 * @param raw the request, for an error reply
 * @param len its length
 */
void agent_table14_mod(struct agent_conn *ac, const struct sl_ofp_table_mod *tm,
		       const uint8_t *raw, size_t len);

/**
 * The rules changed: send OFPT_TABLE_STATUS for each table with events on
 * whose vacancy crossed its armed threshold, to the 1.4+ sessions whose
 * async config wants the reason.
 * @param a the agent
 */
void agent_table14_check(struct sl_agent *a);

#endif /* SL_AGENT_TABLE14_H */
