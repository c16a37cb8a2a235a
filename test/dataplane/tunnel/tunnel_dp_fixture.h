/* SPDX-License-Identifier: BSD-3-Clause */
/* The datapath fixture of the tunnel tests that run the worker's code
 * (test_tunnel_dp, test_tunnel_flow, test_tunnel_runtime): EAL without
 * hugepages, a datapath of net_null ports from a config text, the test
 * thread acting as worker 0. */
#ifndef TUNNEL_DP_FIXTURE_H
#define TUNNEL_DP_FIXTURE_H

#include "cunit_main.h"
#include "sl_config.h"
#include "sl_datapath.h"

/**
 * Start EAL (lcores 0-1, 512 MiB without hugepages, file prefix @p prefix),
 * load @p text into @p cfg, build @p dp with its tables and tunnels bound,
 * start every port and give worker 0 a fast path (EMC insert always).
 * @return 0, or -1 with the reason on stderr.
 */
int tdp_setup(struct sl_datapath *dp, struct sl_config *cfg, const char *prefix,
	      const char *text);

/**
 * Run the CUnit suite @p name of @p n @p tests, then destroy worker 0's
 * fast path. @return cunit_run_suite's result.
 */
int tdp_run(struct sl_datapath *dp, const char *name, const struct cunit_test *tests,
	    unsigned int n);

#endif /* TUNNEL_DP_FIXTURE_H */
