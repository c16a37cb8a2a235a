#!/bin/bash
# Hand-over upgrade with two QEMU guests (TCG) on vhost-user client ports
# (QEMU listens, sluiced connects): vm1 pings vm2 every 10 ms through two
# OpenFlow rules (ovs-ofctl, no controller) while
#  1. `sluicectl upgrade` hands the switch to a new sluiced: the pings lost
#     are reported (blackout = lost x 10 ms; the target is under 100 ms),
#     the rules' counters hold what the guests sent but for the frames
#     QEMU dropped while no backend was connected (no more than the pings
#     lost), their durations go on (no rule reinstalled), the old process
#     exits 0;
#  2. the new sluiced restarts (SIGTERM, start with the state file): lost
#     pings reported, rules back with their counters;
#  3. a hand-over whose new process is killed (SIGKILL) when the second port
#     reaches it: the old one rolls back and forwards on (lost pings
#     reported), counters and durations go on;
#  and at the end the last sluiced received no flow-mod.
# usage: test_vm_upgrade.sh SLUICED
set -euo pipefail
SLUICED=$(readlink -f "${1:?usage: test_vm_upgrade.sh SLUICED}")
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
VMDIR=$(cd "$HERE/../../scripts/vm" && pwd)
. "$HERE/lib.sh"
. "$HERE/vm_lib.sh"
vm_need 300
T=$(mktemp -d /tmp/u1-vmup.XXXXXX)
FLT_PREFIX=u1-vmup-$$
LST=16642
PID=
cleanup() {
	local p
	vm_kill
	for p in $(cat "$T"/pids 2>/dev/null) $PID; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ "${SL_VM_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap '' PIPE
ofctl() { ovs-ofctl -O OpenFlow13 "$1" "tcp:127.0.0.1:$LST" "${@:2}"; }
gtx() { vm_g "$1" -- 'cat /sys/class/net/eth0/statistics/tx_packets'; }
# ping vm1 -> vm2 every 10 ms in the guest while "$@" runs; LOST, GAP
during_ping() {
	vm_g vm1 -- "ping -i 0.01 -c $1 -W 1 10.0.0.2 > /tmp/ping.log 2>&1 &" > /dev/null
	shift
	sleep 2
	"$@"
	for _ in $(seq 120); do
		vm_g vm1 -- "grep -c transmitted /tmp/ping.log" 2>/dev/null | grep -q 1 && break
		sleep 1
	done
	vm_g vm1 -- "cat /tmp/ping.log" > "$T/ping.log"
	read -r SENT LOST GAP < <(it_ping_lost "$T/ping.log")
	echo "  $SENT pings, $LOST lost: blackout $(( LOST * 10 )) ms (longest gap $(( GAP * 10 )) ms)"
}
# The rules counted all the guests sent but what QEMU dropped while no
# backend was connected (its link is down then: virtio_net_drop_tx_queue_data),
# which is no more than the pings lost: counters continued, none lost.
continued() {
	local a b ga gb
	sleep 2
	a=$(it_flow_field 0x11 n_packets); b=$(it_flow_field 0x22 n_packets)
	ga=$(( $(gtx vm1) - G1 )); gb=$(( $(gtx vm2) - G2 ))
	echo "  rules: vm1->vm2 $a, vm2->vm1 $b; guests sent $ga, $gb"
	[ "$a" -le "$ga" ] && [ $((ga - a)) -le "$LOST" ] && [ "$b" -le "$gb" ] &&
		[ $((gb - b)) -le "$LOST" ] || it_fail "$1: rule counters do not continue"
}
upgrade_killed() {
	local rc=0
	SLUICE_UPGRADE_KILL_AT=vm2 "$CTL" -s "$T/sl.ctl" upgrade > "$T/log3" 2>&1 || rc=$?
	[ "$rc" = 1 ] || { cat "$T/log3"; it_fail "killed upgrade: exit $rc, expected 1"; }
}
restart() {
	it_stop_new
	grep -q "agent: flow_mods 0 " "$T/log2" || it_fail "the upgraded sluiced got flow-mods"
	it_start_sluiced "$SLUICED" "$T/sl.ini"
}

it_upgrade_ini "$T/sl.ini"
for n in 1 2; do
	printf '[port:vm%s]\ntype = vhost-user\npath = %s/vm%s.sock\nmode = client\nofport = %s\n' \
		"$n" "$T" "$n" "$n" >> "$T/sl.ini"
done
vm_start vm1 "$T/vm1.sock" server 10.0.0.1/24
vm_start vm2 "$T/vm2.sock" server 10.0.0.2/24
sleep 1
it_start_sluiced "$SLUICED" "$T/sl.ini"
vm_ready vm1 vm2
vm_g vm1 -- "arp -s 10.0.0.2 52:54:00:00:00:02" > /dev/null
vm_g vm2 -- "arp -s 10.0.0.1 52:54:00:00:00:01" > /dev/null
ofctl add-flow "cookie=0x11,in_port=1,actions=output:2"
ofctl add-flow "cookie=0x22,in_port=2,actions=output:1"
G1=$(gtx vm1); G2=$(gtx vm2)
vm_g vm1 90 -- "ping -c 3 -i 0.2 -W 5 10.0.0.2" > /dev/null || it_fail "no ping before"

echo "1. hand-over upgrade, vhost-user client ports"
D0=$(it_flow_field 0x11 duration); T0=$SECONDS
during_ping 1000 it_upgrade
UP_LOST=$LOST
grep "sluiced: upgrade:" "$T/log2" | sed 's/^/  new: /'
continued "upgrade"
awk -v d="$(it_flow_field 0x11 duration)" -v w="$D0" -v dt=$((SECONDS - T0 - 1)) \
	'BEGIN{exit !(d >= w + dt)}' || it_fail "rule durations restarted: reinstalled?"

echo "2. plain restart with the state file"
during_ping 1000 restart
RS_LOST=$LOST
grep -q "state: restored 2 rules" "$T/log" || it_fail "rules not restored"

echo "3. rollback: the new sluiced killed when port vm2 reaches it"
A=$(it_flow_field 0x11 n_packets)
during_ping 1000 upgrade_killed
RB_LOST=$LOST
kill -0 "$PID" || it_fail "the old sluiced died"
grep -q "upgrade: rolled back" "$T/log" || it_fail "no rollback"
it_await_pid "$PID"
[ "$(it_flow_field 0x11 n_packets)" -gt "$A" ] || it_fail "counters after the rollback"
vm_g vm1 90 -- "ping -c 3 -i 0.2 -W 5 10.0.0.2" > /dev/null || it_fail "no ping after rollback"

it_stop_sluiced_in 30
echo "blackout (lost pings x 10 ms): upgrade $((UP_LOST * 10)) ms, restart" \
	"$((RS_LOST * 10)) ms, rollback $((RB_LOST * 10)) ms"
echo "PASS"
