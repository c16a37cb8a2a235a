/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AGENT_BUNDLE_H
#define SL_AGENT_BUNDLE_H

/**
 * @file
 * INTERNAL to ofagent/: OpenFlow bundles (OF1.4.1 6.8, 7.3.9), natively
 * in OpenFlow 1.4+ and as the ONF extension in 1.3 (lib/ofp/sl_ofp_bundle.h).
 * Each connection has its own bundles; a commit applies all of a bundle's
 * flow-mods and group-mods in one pipeline transaction
 * (lib/pipeline/sl_pipeline_txn.h): the fast path sees all or none of
 * them; its meter-mods are ordered around that transaction (agent_bundle.c).
 * ofagent/README.md, "Bundles".
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent_private.h"

/** Open bundles one connection may hold (more: OFPBFC_OUT_OF_BUNDLES). */
#define AGENT_BUNDLES_MAX 16u
/** Messages one bundle may hold (more: OFPBFC_MSG_TOO_MANY). */
#define AGENT_BUNDLE_MSGS_MAX 65536u
/** A bundle no message reached for this long is discarded (OFPBFC_TIMEOUT). */
#define AGENT_BUNDLE_IDLE_NS (10ull * 1000000000ull)

/**
 * Take @p raw if it is a bundle message of @p ac's version (OF1.3: the ONF
 * experimenter framing; OF1.4+: OFPT_BUNDLE_CONTROL/ADD_MESSAGE) and act
 * on it: replies and errors go to @p ac.
 * @param ac  the session
 * @param raw the message, its header version already checked
 * @param len its length
 * @return true if it was a bundle message (handled), false otherwise.
 */
bool agent_bundle_message(struct agent_conn *ac, const uint8_t *raw, size_t len);

/**
 * The session closes: discard its bundles (nothing of them is applied).
 * @param ac the session
 */
void agent_bundle_conn_closed(struct agent_conn *ac);

/**
 * Discard bundles idle for AGENT_BUNDLE_IDLE_NS, with OFPBFC_TIMEOUT to
 * their session. Call from the agent's loop.
 * @param a the agent
 */
void agent_bundle_expire(struct sl_agent *a);

#endif /* SL_AGENT_BUNDLE_H */
