/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fail mode standalone = OVS's fail-open: while no *primary* controller
 * (a "controllers = tcp:..." target) is connected, a packet that misses
 * table 0 runs the NORMAL action, i.e. the switch is a MAC-learning L2
 * switch (lib/pipeline/xlate_normal.c, learning in mac_learning.c).
 *
 * The table-miss entry is hidden (sl_pipeline_set_fail_open): it is not a
 * rule, so dump-flows does not list it and del-flows cannot remove it, the
 * way OVS keeps its fail-open flow out of the OpenFlow table. Where it
 * stands follows OVS: with no controller configured it is below every rule
 * (OVS's default NORMAL flow; rules an operator adds with ovs-ofctl take
 * precedence); with controllers configured but none connected it is above
 * every rule (OVS's fail-open flow at priority 0xf0f0f0), so the rules a
 * controller left behind, such as its table-miss to CONTROLLER, cannot
 * black-hole traffic while it is away. When a
 * primary controller connects, fail-open ends (the controller owns the
 * tables; its table-miss behaviour applies), as OVS removes its fail-open
 * flows; learned MACs stay for the controller's own NORMAL rules. Service connections (ovs-ofctl on the
 * listener) never change the mode. Secure mode never turns it on.
 */
#include <string.h>

#include "agent_flow.h"
#include "sl_mac_learning.h"

/* Controllers configured ("tcp:" targets, not "ptcp:" listeners)? */
static bool
agent_has_primary_targets(const struct sl_agent *a)
{
	for (unsigned int i = 0; i < a->cfg.n_targets; i++)
		if (strncmp(a->cfg.targets[i], "ptcp:", 5) != 0 &&
		    strncmp(a->cfg.targets[i], "punix:", 6) != 0)
			return true;
	return false;
}

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
	SL_LOG(SL_LOG_OFAGENT, SL_LOG_NOTICE, "ofagent: %s", open ?
	       "no controller: fail mode standalone, unmatched packets take NORMAL" :
	       "a controller is connected: standalone forwarding off");
	sl_pipeline_set_fail_open_mode(a->pl, !open ? SL_FAIL_OPEN_OFF
					 : agent_has_primary_targets(a) ? SL_FAIL_OPEN_OVERRIDE
					 : SL_FAIL_OPEN_MISS);
	a->ops->tables_changed(a->dp);
}
