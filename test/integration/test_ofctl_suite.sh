#!/bin/bash
# ovs-ofctl -O OpenFlow13 suite against the real sluiced (three af_packet
# ports on veths, ptcp listener): add-flow, mod-flows, del-flows,
# dump-flows with counters after real traffic, dump-ports, dump-tables,
# add-group/dump-groups/group stats, add-meter/dump-meters/meter stats,
# packet-out. Output (durations normalised) is compared with
# ofctl_suite_expected.txt; OFCTL_REGEN=1 rewrites it. Each traffic step
# also checks what arrived on the veth peers. The ovs-ofctl driver is
# ../common/ofctl.sh, shared with test/ofagent/test_ofctl.sh (the agent
# harness with a fake runtime: more commands and their error replies, port
# modification, fixed counters, no traffic).
# usage: test_ofctl_suite.sh SLUICED
. "$(dirname "$0")/osken/lib_osken.sh"
os_begin --ofctl-only ocs "${1:-}" sl-ocsa sl-ocsb sl-ocsc
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../common/ofctl.sh"
LST=$(os_free_port)
OFCTL_TARGET=tcp:127.0.0.1:$LST

it_veths $VETHS
i=1
for v in $VETHS; do ip link set "${v}0" address "02:00:00:00:0c:0$i"; i=$((i + 1)); done
os_sluiced_ini "$T/sl.ini" "sl-ocsa0 sl-ocsb0 sl-ocsc0" "listen = ptcp:$LST"
it_start_sluiced "$SLUICED" "$T/sl.ini"

# Each step: ofctl_step [--OPTION] CMD [ARGS...] (../common/ofctl.sh), a
# title line and ovs-ofctl's output, filtered.
# traffic N [COMMAND...]: N frames into port 1 (veth peer sl-ocsa1), or
# COMMAND; prints what the peers of ports 2 and 3 received
traffic() {
	local what="$1 frames"
	/usr/bin/python3 "$OS_DIR/seqtraffic.py" recv sl-ocsb1 1.5 > "$T/rb" &
	local pb=$!
	/usr/bin/python3 "$OS_DIR/seqtraffic.py" recv sl-ocsc1 1.5 > "$T/rc" &
	local pc=$!
	sleep 0.3
	if [ "$1" = 0 ]; then
		shift
		what=$2
		"$@"
	else
		/usr/bin/python3 "$OS_DIR/seqtraffic.py" send sl-ocsa1 "$1" 2000
	fi
	wait $pb $pc
	echo "## traffic: $what -> port 2: $(cat "$T/rb"), port 3: $(cat "$T/rc")"
}
FRAME=0200000000020200000000 # 64-byte 0x88b5 frame for packet-out
FRAME=${FRAME}0188b500000000$(printf '0%.0s' $(seq 92))

{
	ofctl_step show
	ofctl_step dump-tables
	ofctl_step add-flow "priority=100,in_port=1,actions=output:2"
	ofctl_step add-flow "priority=50,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:5,output:3"
	ofctl_step add-flow "priority=0,actions=drop"
	traffic 100
	ofctl_step --rsort dump-flows
	ofctl_step dump-aggregate
	ofctl_step dump-ports
	ofctl_step mod-flows "in_port=1,actions=output:3"
	traffic 50
	ofctl_step --rsort dump-flows
	ofctl_step --strict del-flows "priority=100,in_port=1"
	traffic 10
	ofctl_step --rsort dump-flows
	ofctl_step add-group "group_id=1,type=all,bucket=output:2,bucket=output:3"
	ofctl_step add-flow "priority=100,in_port=1,actions=group:1"
	traffic 20
	ofctl_step dump-groups
	ofctl_step dump-group-stats
	ofctl_step add-meter "meter=1,pktps,stats,band=type=drop,rate=100000"
	ofctl_step mod-flows "in_port=1,actions=meter:1,output:2"
	traffic 30
	ofctl_step dump-meters
	ofctl_step meter-stats
	ofctl_step --rsort dump-flows
	traffic 0 ofctl_step packet-out "in_port=controller packet=$FRAME actions=output:3"
	traffic 0 ofctl_step packet-out "in_port=1 packet=$FRAME actions=table"
	ofctl_step del-flows
	ofctl_step del-groups
	ofctl_step del-meters
	ofctl_step dump-flows
	ofctl_step dump-tables
	ofctl_step dump-ports 2
} > "$T/actual.txt" 2>&1

ofctl_expect "$HERE/ofctl_suite_expected.txt" "$T/actual.txt" ||
	it_fail "ovs-ofctl output differs from ofctl_suite_expected.txt"
it_stop_sluiced
echo "ok: $(grep -c '^## ' "$T/actual.txt") ovs-ofctl steps against sluiced as expected"
