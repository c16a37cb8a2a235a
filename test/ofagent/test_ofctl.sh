#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Drive the agent harness (agent + real pipeline + fake runtime with ports
# p1..p3) with real `ovs-ofctl -O OpenFlow13` and compare what it prints
# with the expected text (durations and xids filtered out); OFCTL_REGEN=1
# rewrites it. The same driver (../common/ofctl.sh) runs the ovs-ofctl
# suite against the real sluiced (test/integration/test_ofctl_suite.sh).
#   test_ofctl.sh HARNESS_BINARY
set -u
HARNESS=${1:?usage: $0 agent_harness}
DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/../common/ofctl.sh"
ofctl_harness "$HARNESS" 120

# Each step: a title line, then ovs-ofctl's stdout and stderr, filtered
# (../common/ofctl.sh). step CMD: a command with no argument, titled "## CMD".
step() {
	echo "## $1"
	ofctl_run "$1"
}

{
	step show
	step dump-ports
	ofctl_step dump-ports-desc
	ofctl_step add-flow "priority=100,in_port=1,actions=output:2"
	ofctl_step add-flow "table=0,priority=50,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:5,output:3"
	ofctl_step add-flow "table=1,priority=10,cookie=0x20,udp,tp_dst=53,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:1"
	ofctl_step add-flow "table=0,priority=0,actions=controller:128"
	ofctl_step add-flow "table=0,priority=7,in_port=2,actions=goto_table:1"
	ofctl_step add-flow "table=0,priority=50,ip,nw_dst=10.0.0.0/8,actions=drop"
	ofctl_step --strict add-flow "table=0,priority=50,ip,nw_dst=10.1.0.0/16,actions=drop"
	echo "## add-flow overlap check"
	ofctl_run add-flow "check_overlap,priority=50,ip,actions=drop" | head -1
	ofctl_step --rsort dump-flows
	ofctl_step mod-flows "in_port=1,actions=output:3"
	ofctl_step --strict mod-flows "priority=50,ip,nw_dst=10.1.0.0/16,actions=output:1"
	ofctl_step --rsort dump-flows "table=0"
	ofctl_step del-flows "cookie=0x20/-1"
	ofctl_step --strict del-flows "priority=50,ip,nw_dst=10.1.0.0/16"
	ofctl_step --rsort dump-flows
	ofctl_step dump-aggregate
	ofctl_step add-group "group_id=1,type=all,bucket=output:1,bucket=output:2"
	ofctl_step add-group "group_id=2,type=select,bucket=weight=10,output:2,bucket=weight=20,output:3"
	ofctl_step add-group "group_id=1,type=all,bucket=output:1"
	ofctl_step add-flow "table=0,priority=20,in_port=3,actions=group:2"
	step dump-groups
	step dump-group-stats
	ofctl_step del-groups "group_id=2"
	ofctl_step --rsort dump-flows
	ofctl_step add-meter "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100"
	ofctl_step add-meter "meter=1,kbps,band=type=drop,rate=1000"
	ofctl_step add-flow "table=0,priority=30,in_port=3,actions=meter:1,output:1"
	step dump-meters
	step meter-stats
	step meter-features
	step dump-tables
	ofctl_step packet-out "in_port=controller packet=ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002 actions=output:2"
	ofctl_step packet-out "in_port=1 packet=ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002 actions=table"
	ofctl_step --rsort dump-flows
	ofctl_step mod-port 2 down
	ofctl_step dump-ports-desc 2
	ofctl_step dump-ports 3
	step queue-stats
	step get-frags
	ofctl_step del-flows
	ofctl_step dump-flows
} >"$WORK/actual.txt"

if ! ofctl_expect "$DIR/ofctl_expected.txt" "$WORK/actual.txt"; then
	echo "FAIL: ovs-ofctl output differs from ofctl_expected.txt"
	exit 1
fi
[ "${OFCTL_REGEN:-0}" = 1 ] && exit 0
if ! kill -0 "$HPID" 2>/dev/null; then
	echo "FAIL: harness died"; cat "$WORK/harness.err"; exit 1
fi
echo "PASS: $(grep -c '^## ' "$WORK/actual.txt") ovs-ofctl steps"
