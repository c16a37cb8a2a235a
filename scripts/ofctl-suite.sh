#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# ovs-ofctl suite against a running switch (sluiced, or the agent harness):
# flows, groups, meters, tables, ports, packet-out, errors. Checks what must
# hold whatever the ports are, so it runs against any Sluice instance.
#
#   scripts/ofctl-suite.sh tcp:127.0.0.1:6653 PORT_A PORT_B
#
# PORT_A/PORT_B: two OpenFlow port numbers of the switch. With
# TRAFFIC_CMD set, it is run after installing "in_port=PORT_A -> PORT_B"
# and the rule's n_packets must then be > 0 (counters after traffic).
# Leaves the switch with no rules, groups or meters. Exit 0 = all passed.
set -u
T=${1:?usage: $0 TARGET PORT_A PORT_B}
A=${2:?port A}
B=${3:?port B}
OFCTL="ovs-ofctl -O OpenFlow13"
PASS=0 FAIL=0

check() { # description, command output, extended regex it must match
	if grep -Eq -- "$3" <<<"$2"; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
		echo "FAIL: $1: no /$3/ in:"; sed 's/^/    /' <<<"$2"
	fi
}
absent() { # description, output, regex it must not match
	if grep -Eq -- "$3" <<<"$2"; then
		FAIL=$((FAIL + 1)); echo "FAIL: $1: unexpected /$3/"
	else
		PASS=$((PASS + 1))
	fi
}
of() { $OFCTL "$@" 2>&1; }

$OFCTL del-flows "$T" >/dev/null 2>&1
$OFCTL del-groups "$T" >/dev/null 2>&1
$OFCTL del-meters "$T" >/dev/null 2>&1

check "show" "$(of show "$T")" "n_tables:254"
check "show ports" "$(of show "$T")" "^ *$A\("
check "dump-ports" "$(of dump-ports "$T" "$A")" "port +$A: rx pkts="
check "dump-ports-desc" "$(of dump-ports-desc "$T")" "^ *$B\("
check "get-frags" "$(of get-frags "$T")" "normal"

of add-flow "$T" "priority=100,in_port=$A,actions=output:$B" >/dev/null
of add-flow "$T" "priority=50,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:9,output:$A" >/dev/null
of add-flow "$T" "table=1,priority=5,udp,tp_dst=53,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:$B" >/dev/null
of add-flow "$T" "priority=0,actions=controller:128" >/dev/null
D=$(of --rsort dump-flows "$T")
check "add-flow" "$D" "priority=100,in_port=$A actions=output:$B"
check "add-flow ip" "$D" "priority=50,ip,nw_dst=10.0.0.0/8 actions=mod_nw_ttl:9,output:$A"
check "add-flow table 1" "$D" "table=1.*udp,tp_dst=53 actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:$B"
check "table-miss" "$D" "priority=0 actions=CONTROLLER:128"
check "overlap" "$(of add-flow "$T" "check_overlap,priority=50,ip,actions=drop")" "OFPFMFC_OVERLAP"
check "bad table" "$(of add-flow "$T" "table=254,actions=drop")" "OFPFMFC_BAD_TABLE_ID|OFPBRC_BAD_TABLE_ID|table"

if [ -n "${TRAFFIC_CMD:-}" ]; then
	eval "$TRAFFIC_CMD"
	check "counters after traffic" "$(of dump-flows "$T" "in_port=$A")" "n_packets=[1-9]"
	check "port counters" "$(of dump-ports "$T" "$A")" "rx pkts=[1-9]"
fi

of mod-flows "$T" "in_port=$A,actions=output:IN_PORT" >/dev/null
check "mod-flows" "$(of dump-flows "$T" "in_port=$A")" "actions=IN_PORT"
of --strict del-flows "$T" "priority=50,ip,nw_dst=10.0.0.0/8" >/dev/null
absent "del-flows --strict" "$(of dump-flows "$T")" "nw_dst=10.0.0.0/8"
check "aggregate" "$(of dump-aggregate "$T")" "flow_count=3"

of add-group "$T" "group_id=1,type=all,bucket=output:$A,bucket=output:$B" >/dev/null
of add-group "$T" "group_id=2,type=select,bucket=weight=10,output:$A,bucket=weight=20,output:$B" >/dev/null
check "group exists" "$(of add-group "$T" "group_id=1,type=all,bucket=output:$A")" "OFPGMFC_GROUP_EXISTS"
check "unknown group" "$(of mod-group "$T" "group_id=9,type=all,bucket=output:$A")" "OFPGMFC_UNKNOWN_GROUP"
of add-flow "$T" "priority=20,in_port=$B,actions=group:2" >/dev/null
G=$(of dump-groups "$T")
check "dump-groups" "$G" "group_id=1,type=all,bucket=actions=output:$A,bucket=actions=output:$B"
check "dump-groups select" "$G" "group_id=2,type=select"
check "group stats" "$(of dump-group-stats "$T")" "group_id=2,.*ref_count=1"
of del-groups "$T" group_id=2 >/dev/null
absent "group delete removes its rules" "$(of dump-flows "$T")" "group:2"

of add-meter "$T" "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100" >/dev/null
check "meter exists" "$(of add-meter "$T" "meter=1,kbps,band=type=drop,rate=5")" "OFPMMFC_METER_EXISTS"
of add-flow "$T" "priority=30,in_port=$B,actions=meter:1,output:$A" >/dev/null
check "dump-meters" "$(of dump-meters "$T")" "type=drop rate=1000 burst_size=100"
check "meter-stats" "$(of meter-stats "$T")" "meter:1 flow_count:1"
check "meter-features" "$(of meter-features "$T")" "max_meter:[1-9]"
check "dump-tables" "$(of dump-tables "$T")" "table 0:"
check "group features" "$(of dump-group-features "$T")" "Types: +0xf"

PKT=ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002
absent "packet-out" "$(of packet-out "$T" "in_port=controller packet=$PKT actions=output:$B")" "OFPT_ERROR"
absent "packet-out table" "$(of packet-out "$T" "in_port=$A packet=$PKT actions=table")" "OFPT_ERROR"

of del-flows "$T" >/dev/null; of del-groups "$T" >/dev/null; of del-meters "$T" >/dev/null
check "all deleted" "$(of dump-flows "$T")" "^OFPST_FLOW reply[^\n]*$"
absent "no flows left" "$(of dump-flows "$T")" "cookie="
echo "ofctl-suite: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
