#!/bin/bash
# ovs-ofctl -O OpenFlow13 suite against the real sluiced (three af_packet
# ports on veths, ptcp listener): add-flow, mod-flows, del-flows,
# dump-flows with counters after real traffic, dump-ports, dump-tables,
# add-group/dump-groups/group stats, add-meter/dump-meters/meter stats,
# packet-out. Output (durations normalised) is compared with
# ofctl_suite_expected.txt; OFCTL_REGEN=1 rewrites it. Each traffic step
# also checks what arrived on the veth peers.
# usage: test_ofctl_suite.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/osken/lib_osken.sh"
command -v ovs-ofctl >/dev/null || { echo "ovs-ofctl missing: skipped"; exit 77; }
T=$(mktemp -d /tmp/sl-it-ocs.XXXXXX)
NAME=ocs
VETHS="sl-ocsa sl-ocsb sl-ocsc"
trap 'os_cleanup $VETHS' EXIT
LST=$(os_free_port)
SW=tcp:127.0.0.1:$LST

it_veths $VETHS
i=1
for v in $VETHS; do ip link set "${v}0" address "02:00:00:00:0c:0$i"; i=$((i + 1)); done
os_sluiced_ini "$T/sl.ini" "sl-ocsa0 sl-ocsb0 sl-ocsc0" "listen = ptcp:$LST"
it_start_sluiced "$SLUICED" "$T/sl.ini"

filter() {
	sed -E -e 's/duration=[0-9.]+s/duration=X/g' -e 's/duration:[0-9.]+s/duration:X/g' \
	    -e 's/duration=X?[0-9.]*s?$/duration=X/' \
	    -e 's/ \(xid=0x[0-9a-f]+\)//g' -e 's/, +$//'
}
of() { # ovs-ofctl [--opt] CMD [ARGS...], titled and filtered
	local opt=()
	if [[ $1 == --* ]]; then opt=("$1"); shift; fi
	local cmd=$1; shift
	echo "## ${opt[*]} $cmd $*"
	ovs-ofctl -O OpenFlow13 "${opt[@]}" "$cmd" "$SW" "$@" 2>&1 | filter
}
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
	of show
	of dump-tables
	of add-flow "priority=100,in_port=1,actions=output:2"
	of add-flow "priority=50,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:5,output:3"
	of add-flow "priority=0,actions=drop"
	traffic 100
	of --rsort dump-flows
	of dump-aggregate
	of dump-ports
	of mod-flows "in_port=1,actions=output:3"
	traffic 50
	of --rsort dump-flows
	of --strict del-flows "priority=100,in_port=1"
	traffic 10
	of --rsort dump-flows
	of add-group "group_id=1,type=all,bucket=output:2,bucket=output:3"
	of add-flow "priority=100,in_port=1,actions=group:1"
	traffic 20
	of dump-groups
	of dump-group-stats
	of add-meter "meter=1,pktps,stats,band=type=drop,rate=100000"
	of mod-flows "in_port=1,actions=meter:1,output:2"
	traffic 30
	of dump-meters
	of meter-stats
	of --rsort dump-flows
	traffic 0 of packet-out "in_port=controller packet=$FRAME actions=output:3"
	traffic 0 of packet-out "in_port=1 packet=$FRAME actions=table"
	of del-flows
	of del-groups
	of del-meters
	of dump-flows
	of dump-tables
	of dump-ports 2
} > "$T/actual.txt" 2>&1

if [ "${OFCTL_REGEN:-0}" = 1 ]; then
	cp "$T/actual.txt" "$HERE/ofctl_suite_expected.txt"
	echo "regenerated $HERE/ofctl_suite_expected.txt"
elif ! diff -u "$HERE/ofctl_suite_expected.txt" "$T/actual.txt"; then
	it_fail "ovs-ofctl output differs from ofctl_suite_expected.txt"
fi
it_stop_sluiced
echo "ok: $(grep -c '^## ' "$T/actual.txt") ovs-ofctl steps against sluiced as expected"
