/* SPDX-License-Identifier: BSD-3-Clause */
#include "tunnel_dp_fixture.h"

#include <stdio.h>

#include <rte_eal.h>

#include "sl_fastpath.h"
#include "sl_tables.h"
#include "sl_tunnel_dp.h"

int
tdp_setup(struct sl_datapath *dp, struct sl_config *cfg, const char *prefix, const char *text)
{
	/* --no-shconf: no shared files, so concurrent runs do not meet */
	char pfx[64];
	char *argv[] = { "test", "-l", "0,1", "--no-huge", "-m", "512", "--no-pci",
			 "--no-shconf", pfx, "--log-level=error", NULL };
	struct sl_fastpath_config fc = { .emc_inv_prob = 1 };
	char err[256] = "";

	snprintf(pfx, sizeof(pfx), "--file-prefix=%s", prefix);
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0 ||
	    sl_config_load_string(cfg, text, "<test>", err, sizeof(err)) < 0 ||
	    sl_datapath_init(dp, cfg) < 0 || sl_tables_init(dp, NULL, NULL) < 0 ||
	    sl_tunnel_datapath_bind(dp) < 0) {
		fprintf(stderr, "%s: setup failed %s\n", prefix, err);
		return -1;
	}
	for (unsigned int p = 0; p < dp->n_ports; p++) {
		if (dp->ports[p]->ops->start(dp->ports[p]) != 0) {
			fprintf(stderr, "%s: port %u does not start\n", prefix, p);
			return -1;
		}
		dp->ports[p]->started = true;
	}
	dp->workers[0]->fp = sl_fastpath_create(dp->workers[0], dp->pipeline, &fc);
	return dp->workers[0]->fp != NULL ? 0 : -1;
}

int
tdp_run(struct sl_datapath *dp, const char *name, const struct cunit_test *tests, unsigned int n)
{
	int rc = cunit_run_suite(name, tests, n);

	sl_fastpath_destroy(dp->workers[0]->fp);
	dp->workers[0]->fp = NULL;
	return rc;
}
