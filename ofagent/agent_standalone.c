/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fail mode standalone = OVS's fail-open: while no *primary* controller
 * (a "controllers = tcp:..." target) is connected, a packet that misses
 * table 0 runs the NORMAL action, i.e. the switch is a MAC-learning L2
 * switch (lib/pipeline/xlate_normal.c, learning in mac_learning.c).
 *
 * The table-miss entry is hidden (sl_pipeline_set_fail_open): it is not a
 * rule, so dump-flows does not list it and del-flows cannot remove it, the
 * way OVS keeps its fail-open flow out of the OpenFlow table. Rules that an
 * operator adds with ovs-ofctl meanwhile take precedence over it. When a
 * primary controller connects, fail-open ends (the controller owns the
 * tables; its table-miss behaviour applies), as OVS removes its fail-open
 * flows; learned MACs stay for the controller's own NORMAL rules. Service connections (ovs-ofctl on the
 * listener) never change the mode. Secure mode never turns it on.
 */
#include "agent_flow.h"
#include "sl_mac_learning.h"

void
agent_flows_controller_present(struct sl_agent *a, bool present)
{
	struct agent_flows *f = a->flows;
	bool open;

	if (f == NULL || a->destroying)
		return;
	f->controller_present = present;
	if (a->cfg.fail_mode != SL_AGENT_FAIL_STANDALONE || a->pl == NULL)
		return;
	open = !present;
	if (open == f->standalone_active)
		return;
	f->standalone_active = open;
	sl_pipeline_set_fail_open(a->pl, open);
	a->ops->tables_changed(a->dp);
}
