#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# OpenFlow 1.4 and 1.5 sessions with real `ovs-ofctl -O OpenFlow14/15`
# against the agent harness (agent + real pipeline + fake runtime, ports
# p1..p3): show, dump-ports(-desc), mod-port, add/dump/del flows,
# aggregate, groups, meters, packet-out, and what is refused. The same
# round runs in OpenFlow 1.3 first; every dump-flows of the 1.4 and 1.5
# rounds must print exactly what the 1.3 round printed for the same rules
# (ovs-ofctl formats flows the same way in every version), and the whole
# output must equal ofctl_v14_expected.txt (OFCTL_REGEN=1 rewrites it).
#   test_ofctl_v14.sh HARNESS_BINARY
set -u
HARNESS=${1:?usage: $0 agent_harness}
DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/../common/ofctl.sh"
ofctl_harness "$HARNESS" 120
FRAME=0200000000020200000000010800450000140000000040000000000000000000000000

# OpenFlow 1.4+: vacancy thresholds set by mod-table show in
# dump-table-desc (tables 0 and 1 of 254; table 0 holds 3 rules of a
# million, so 99 %); eviction is refused.
table_desc_round() {
	ofctl_step mod-table 0 vacancy:20,80
	ofctl_step mod-table 1 evict
	echo "## dump-table-desc (tables 0 and 1)"
	ofctl_run dump-table-desc | awk '/^  table 2:/ { exit } { print }'
	ofctl_step mod-table 0 novacancy
	echo "## dump-table-desc (table 0)"
	ofctl_run dump-table-desc | awk '/^  table 1:/ { exit } { print }'
}

# One round of commands in $OFCTL_VERSION.
round() {
	echo "#### $OFCTL_VERSION"
	ofctl_step show
	ofctl_step dump-ports-desc
	ofctl_step dump-ports 2
	ofctl_step mod-port p2 down
	ofctl_step dump-ports-desc 2
	ofctl_step mod-port p2 up
	ofctl_step add-meter "meter=1,pktps,band=type=drop,rate=1000"
	ofctl_step add-flow "priority=100,in_port=1,actions=output:2"
	ofctl_step add-flow "priority=90,in_port=3,actions=meter:1,output:2"
	ofctl_step add-flow "table=0,priority=50,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:5,output:3"
	ofctl_step add-flow "table=1,priority=10,cookie=0x20,udp,tp_dst=53,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:1"
	ofctl_step add-flow "table=0,priority=7,in_port=2,actions=goto_table:1"
	# OF1.5 actset_output (OF1.3: OVS's ONF field), written and dumped back
	ofctl_step add-flow "table=1,priority=20,actset_output=2,actions=output:3"
	ofctl_step --rsort dump-flows
	ofctl_step mod-flows "in_port=1,actions=output:3"
	ofctl_step del-flows "cookie=0x20/-1"
	ofctl_step --rsort dump-flows
	ofctl_step dump-aggregate
	ofctl_step add-group "group_id=1,type=all,bucket=output:1,bucket=output:2"
	ofctl_step add-group "group_id=2,type=select,bucket=weight=10,output:2,bucket=weight=20,output:3"
	ofctl_step add-group "group_id=3,type=ff,bucket=watch_port:1,output:1,bucket=watch_port:2,output:2"
	ofctl_step dump-groups
	[ "$OFCTL_VERSION" = OpenFlow15 ] &&
		ofctl_step insert-buckets "group_id=1,command_bucket_id=first,bucket=output:3"
	[ "$OFCTL_VERSION" != OpenFlow13 ] && table_desc_round
	ofctl_step dump-meters
	ofctl_step packet-out "in_port=1 packet=$FRAME actions=output:3"
	ofctl_step del-flows
	ofctl_step del-groups
	ofctl_step del-meters
	ofctl_step dump-flows
}

{
	for OFCTL_VERSION in OpenFlow13 OpenFlow14 OpenFlow15; do
		round
	done
	# a peer with no version in common: HELLO_FAILED, then closed
	OFCTL_VERSION=OpenFlow12
	ofctl_step show
} 2>&1 | sed -E 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' > "$WORK/actual.txt"

# Each dump-flows of the 1.4/1.5 rounds = the 1.3 round's, version aside.
flows() {
	awk -v v="#### $1" '$0 == v { on = 1; next } /^#### / { on = 0 }
		on && /^## .*dump-flows/ { d = 1; print; next } on && /^## / { d = 0 }
		on && d' "$WORK/actual.txt" | sed -E 's/ \(OF1\.[0-9]\)//'
}
flows OpenFlow13 > "$WORK/f13"
[ -s "$WORK/f13" ] || { echo "no dump-flows output"; exit 1; }
for v in OpenFlow14 OpenFlow15; do
	flows $v > "$WORK/f$v"
	diff -u "$WORK/f13" "$WORK/f$v" || { echo "FAIL: $v dump-flows differs from 1.3"; exit 1; }
done
ofctl_expect "$DIR/ofctl_v14_expected.txt" "$WORK/actual.txt" || {
	echo "FAIL: ovs-ofctl output differs from ofctl_v14_expected.txt"
	exit 1
}
echo "ok: $(grep -c '^## ' "$WORK/actual.txt") ovs-ofctl steps in OpenFlow 1.3/1.4/1.5 as expected"
