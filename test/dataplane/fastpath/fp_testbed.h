/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The datapath the fast-path tests run against: EAL without hugepages, one
 * worker (lcore 1) whose fast path the test thread drives itself, and
 * net_null ports (MTU 9000: jumbo frames go through) whose tx callbacks let
 * the test see what is transmitted.
 */
#ifndef FP_TESTBED_H
#define FP_TESTBED_H

#include <rte_ethdev.h>

#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_fastpath.h"
#include "sl_pipeline.h"

/**
 * Bring up EAL (lcores 0-1, no hugepages, --file-prefix=sl-@p tag) and
 * @p dp from a configuration of @p n_ports net_null ports (ofports 1..n,
 * devices net_null_@p tag 1..n) plus @p switch_extra ([switch] lines, ""
 * for none), with the OpenFlow pipeline (rule-removed callback @p removed,
 * may be NULL). Every port is started and, when @p tx_cb is not NULL, gets
 * it on tx queue 0 with its ofport as the argument.
 * @return 0, or -1 (with a message on stderr).
 */
int fp_testbed_init(struct sl_datapath *dp, struct sl_config *cfg, const char *tag,
		    unsigned int n_ports, const char *switch_extra,
		    sl_rule_removed_cb removed, rte_tx_callback_fn tx_cb);

/**
 * The traffic stopped: idle iteration ends until every entry's counts
 * reached its rules and tables and the worker reported quiescent (what a
 * worker does when its queues run dry). Call before reading rule or table
 * counters.
 */
void fp_testbed_idle(struct sl_fastpath *fp);

#endif /* FP_TESTBED_H */
