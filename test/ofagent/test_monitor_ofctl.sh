#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Flow monitoring seen by a real `ovs-ofctl -O OpenFlow13 monitor TARGET
# watch:` (the ONF extension) and `-O OpenFlow14/15 ... 'watch:!own'`
# (OFPMP_FLOW_MONITOR) against the agent harness (agent, real pipeline, fake
# runtime): the initial reply lists the rule already there, then another
# connection's add, modify (mod-flows and an add replacing a rule), delete
# and a hard-timeout expiry arrive as ADDED / MODIFIED / DELETED updates,
# in order. The whole monitor output (xids and timestamps filtered) must
# equal monitor_ofctl_expected.txt (OFCTL_REGEN=1 rewrites it).
# `!own`: ovs-ofctl's "own" is OFPFMF_ONLY_OWN in OpenFlow 1.4+ (only the
# monitoring connection's own changes), so plain `watch:` would see none of
# the other connection's changes (ofagent/README.md, "Flow monitoring").
#   test_monitor_ofctl.sh HARNESS_BINARY
set -u
HARNESS=${1:?usage: $0 agent_harness}
DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/../common/ofctl.sh"
fail() { echo "FAIL: $*"; cat "$WORK"/mon.* 2>/dev/null; exit 1; }
ofctl_harness "$HARNESS" 300
T=$OFCTL_TARGET
MPID=

# wait_for FILE TEXT: up to 60 s for TEXT to show in FILE.
wait_for() {
	for _ in $(seq 600); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

stop_monitor() {
	[ -n "$MPID" ] && kill "$MPID" 2>/dev/null && wait "$MPID" 2>/dev/null
	MPID=
}
trap 'stop_monitor; ofctl_harness_cleanup' EXIT

for V in OpenFlow13 OpenFlow14 OpenFlow15; do
	W='watch:!own'
	[ $V = OpenFlow13 ] && W='watch:' # ONF "own" = own changes in full
	ovs-ofctl -O $V del-flows "$T" || fail "$V del-flows"
	ovs-ofctl -O $V add-flow "$T" "priority=5,in_port=1,actions=output:2" || fail "$V add"
	ovs-ofctl -O $V --unixctl="$WORK/ctl.$V" monitor "$T" "$W" \
		>"$WORK/mon.$V" 2>&1 &
	MPID=$!
	wait_for "$WORK/mon.$V" "FLOW_MONITOR reply" || fail "$V: no initial reply"
	ovs-ofctl -O $V add-flow "$T" "priority=6,in_port=2,actions=output:1" || fail "$V add 2"
	ovs-ofctl -O $V mod-flows "$T" "in_port=2,actions=output:3" || fail "$V mod"
	ovs-ofctl -O $V add-flow "$T" "priority=6,in_port=2,cookie=0x7,actions=output:2" ||
		fail "$V replace"
	ovs-ofctl -O $V del-flows "$T" "in_port=2" || fail "$V del"
	ovs-ofctl -O $V add-flow "$T" "priority=9,in_port=3,hard_timeout=1,actions=output:1" ||
		fail "$V timed"
	wait_for "$WORK/mon.$V" "reason=hard" || fail "$V: no expiry"
	stop_monitor
	echo "#### $V"
	grep -v -e ECHO -e 'payload$' -e '^ovs-ofctl' -e 'fatal_signal' "$WORK/mon.$V" |
		ofctl_filter | sed -E 's/ \(OF1\.[345]\)//'
done >"$WORK/actual.txt"

# Both versions print the same updates.
awk '/^#### OpenFlow14/{on=1;next} /^####/{on=0} on' "$WORK/actual.txt" >"$WORK/v14"
awk '/^#### OpenFlow15/{on=1;next} /^####/{on=0} on' "$WORK/actual.txt" >"$WORK/v15"
[ -s "$WORK/v14" ] || fail "no monitor output"
diff -u "$WORK/v14" "$WORK/v15" || fail "OpenFlow15 updates differ from OpenFlow14"
ofctl_expect "$DIR/monitor_ofctl_expected.txt" "$WORK/actual.txt" ||
	fail "ovs-ofctl monitor output differs from monitor_ofctl_expected.txt"
echo "ok: $(grep -c 'event=' "$WORK/actual.txt") flow-monitor updates in OpenFlow 1.3/1.4/1.5 as expected"
