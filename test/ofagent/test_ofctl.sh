#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Drive the agent harness (agent + real pipeline + fake runtime with ports
# p1..p3) with real `ovs-ofctl -O OpenFlow13` and compare what it prints
# with the expected text (durations and xids filtered out).
#   test_ofctl.sh HARNESS_BINARY
set -u
HARNESS=${1:?usage: $0 agent_harness}
if ! command -v ovs-ofctl >/dev/null; then
	echo "ovs-ofctl not installed (openvswitch-common): skipped"
	exit 77
fi
WORK=$(mktemp -d)
HPID=
cleanup() {
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null && wait "$HPID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

"$HARNESS" 0 --seconds 120 >"$WORK/harness.out" 2>"$WORK/harness.err" &
HPID=$!
for _ in $(seq 100); do
	grep -q listening "$WORK/harness.out" && break
	sleep 0.05
done
PORT=$(awk '/listening/{print $3}' "$WORK/harness.out")
[ -n "$PORT" ] || { echo "harness did not start"; cat "$WORK/harness.err"; exit 1; }
T=tcp:127.0.0.1:$PORT

# Each step: a title line, then ovs-ofctl's stdout and stderr, filtered.
step() {
	echo "## $*"
	ovs-ofctl -O OpenFlow13 "$@" "$T" 2>&1 | filter
}
step2() { # [--option] command args-after-the-target...
	local opt=()
	if [[ $1 == --* ]]; then opt=("$1"); shift; fi
	local cmd=$1; shift
	echo "## ${opt[*]} $cmd $*"
	ovs-ofctl -O OpenFlow13 "${opt[@]}" "$cmd" "$T" "$@" 2>&1 | filter
}
filter() {
	sed -E -e 's/duration=[0-9.]+s/duration=X/g' -e 's/duration:[0-9.]+s/duration:X/g' \
	    -e 's/ \(xid=0x[0-9a-f]+\)//g' -e 's/^[0-9T:Z-]+\|[0-9]+\|([a-z_]+)\|/\1|/' \
	    -e 's/, +$//'
}

{
	step show
	step dump-ports
	step2 dump-ports-desc
	step2 add-flow "priority=100,in_port=1,actions=output:2"
	step2 add-flow "table=0,priority=50,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:5,output:3"
	step2 add-flow "table=1,priority=10,cookie=0x20,udp,tp_dst=53,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:1"
	step2 add-flow "table=0,priority=0,actions=controller:128"
	step2 add-flow "table=0,priority=7,in_port=2,actions=goto_table:1"
	step2 add-flow "table=0,priority=50,ip,nw_dst=10.0.0.0/8,actions=drop"
	step2 --strict add-flow "table=0,priority=50,ip,nw_dst=10.1.0.0/16,actions=drop"
	echo "## add-flow overlap check"
	ovs-ofctl -O OpenFlow13 add-flow "$T" "check_overlap,priority=50,ip,actions=drop" 2>&1 | filter | head -1
	step2 --rsort dump-flows
	step2 mod-flows "in_port=1,actions=output:3"
	step2 --strict mod-flows "priority=50,ip,nw_dst=10.1.0.0/16,actions=output:1"
	step2 --rsort dump-flows "table=0"
	step2 del-flows "cookie=0x20/-1"
	step2 --strict del-flows "priority=50,ip,nw_dst=10.1.0.0/16"
	step2 --rsort dump-flows
	step2 dump-aggregate
	step2 add-group "group_id=1,type=all,bucket=output:1,bucket=output:2"
	step2 add-group "group_id=2,type=select,bucket=weight=10,output:2,bucket=weight=20,output:3"
	step2 add-group "group_id=1,type=all,bucket=output:1"
	step2 add-flow "table=0,priority=20,in_port=3,actions=group:2"
	step dump-groups
	step dump-group-stats
	step2 del-groups "group_id=2"
	step2 --rsort dump-flows
	step2 add-meter "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100"
	step2 add-meter "meter=1,kbps,band=type=drop,rate=1000"
	step2 add-flow "table=0,priority=30,in_port=3,actions=meter:1,output:1"
	step dump-meters
	step meter-stats
	step meter-features
	step dump-tables
	step2 packet-out "in_port=controller packet=ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002 actions=output:2"
	step2 packet-out "in_port=1 packet=ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002 actions=table"
	step2 --rsort dump-flows
	step2 mod-port 2 down
	step2 dump-ports-desc 2
	step2 dump-ports 3
	step queue-stats
	step get-frags
	step2 del-flows
	step2 dump-flows
} >"$WORK/actual.txt"

DIR=$(cd "$(dirname "$0")" && pwd)
if [ "${OFCTL_REGEN:-0}" = 1 ]; then
	cp "$WORK/actual.txt" "$DIR/ofctl_expected.txt"
	echo "regenerated $DIR/ofctl_expected.txt"
	exit 0
fi
if ! diff -u "$DIR/ofctl_expected.txt" "$WORK/actual.txt"; then
	echo "FAIL: ovs-ofctl output differs from ofctl_expected.txt"
	exit 1
fi
if ! kill -0 "$HPID" 2>/dev/null; then
	echo "FAIL: harness died"; cat "$WORK/harness.err"; exit 1
fi
echo "PASS: $(grep -c '^## ' "$WORK/actual.txt") ovs-ofctl steps"
