/* SPDX-License-Identifier: BSD-3-Clause */
/* The fast-path tests' datapath (fp_testbed.h). */
#include "fp_testbed.h"

#include <stdio.h>

#include <rte_eal.h>

#include "sl_tables.h"

int
fp_testbed_init(struct sl_datapath *dp, struct sl_config *cfg, const char *tag,
		unsigned int n_ports, const char *switch_extra,
		sl_rule_removed_cb removed, rte_tx_callback_fn tx_cb)
{
	char prefix[64], text[2048], err[256] = "";
	char *argv[] = { "test", "-l", "0,1", "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
			 prefix, "--log-level=error", NULL };
	int len;

	snprintf(prefix, sizeof(prefix), "--file-prefix=sl-%s", tag);
	len = snprintf(text, sizeof(text),
		       "[switch]\nmain_lcore = 0\nworkers = 1\nmbufs_per_socket = 16384\n%s"
		       "[openflow]\nlisten = none\n", switch_extra);
	for (unsigned int p = 1; p <= n_ports && len > 0 && (size_t)len < sizeof(text); p++)
		len += snprintf(text + len, sizeof(text) - (size_t)len,
				"[port:p%u]\ntype = dpdk\ndevargs = net_null_%s%u\nofport = %u\nmtu = 9000\n",
				p, tag, p, p);
	if (len <= 0 || (size_t)len >= sizeof(text)) {
		fprintf(stderr, "fp_testbed: configuration too long\n");
		return -1;
	}
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0 ||
	    sl_config_load_string(cfg, text, "<test>", err, sizeof(err)) < 0 ||
	    sl_datapath_init(dp, cfg) < 0 || sl_tables_init(dp, removed, NULL) < 0) {
		fprintf(stderr, "fp_testbed: setup failed %s\n", err);
		return -1;
	}
	if (dp->n_ports != n_ports)
		return -1;
	for (unsigned int p = 0; p < dp->n_ports; p++) {
		if (dp->ports[p] == NULL || dp->ports[p]->ops->start(dp->ports[p]) != 0 ||
		    (tx_cb && rte_eth_add_tx_callback(dp->ports[p]->port_id, 0, tx_cb,
			     (void *)(uintptr_t)dp->ports[p]->params.ofport) == NULL))
			return -1;
		dp->ports[p]->started = true;
	}
	return 0;
}

void
fp_testbed_idle(struct sl_fastpath *fp)
{
	while (!sl_fastpath_end(fp, true))
		;
}
