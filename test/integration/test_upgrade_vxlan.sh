#!/bin/bash
# Hand-over upgrade and restart with a VXLAN tunnel port (docs/upgrade.md,
# "Tunnel ports"): vxlan_smoke's set-up (an af_packet underlay on a veth, a
# kernel vxlan device as the remote VTEP in netns utul, a net_tap moved into
# netns utvm as a "VM") plus a second "VM" on an af_packet veth (netns
# utv2); no static neighbour: sluiced learns the remote VTEP's MAC by ARP.
# Both VMs ping the kernel side every 10 ms through rules (in_port=VM ->
# vx; in_port=vx,tun_id=5 -> both VMs), installed once, while
#  1. `sluicectl upgrade` hands the switch to a new sluiced: lost pings and
#     blackout printed per VM; it fails when either VM loses more than
#     MAX_LOST (20; why below), when pings stop, when the tap VM's
#     interface is not the same one after it (it lives in another network
#     namespace: before the fix the hand-over made a new one in ours), or
#     when the learned neighbour (the remote VTEP's MAC) is not handed over;
#  2. the new sluiced is restarted (SIGTERM, start: the state file): the tap
#     is made again (a plain restart cannot keep it) and moved into its
#     namespace again by the test; the rules and the learned neighbour come
#     back and both VMs' pings must resume;
#  the rules' counters go on across both (at least what they were plus the
#  pings answered), and neither new sluiced received a flow-mod.
# usage: test_upgrade_vxlan.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v ovs-ofctl > /dev/null || { echo "SKIP: no ovs-ofctl"; exit 77; }
modprobe vxlan 2>/dev/null || true
T=$(mktemp -d /tmp/upgradetun-it.XXXXXX)
LST=17201
FLT_PREFIX=ut-upg-$$
MAX_LOST=${UPGRADE_VXLAN_MAX_LOST:-20}
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	for p in $(cat "$T"/pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del utul 2>/dev/null || true
	ip netns del utvm 2>/dev/null || true
	ip netns del utv2 2>/dev/null || true
	it_del_veths utu utv
	[ -n "${UPGRADE_VXLAN_KEEP:-}" ] && cp -r "$T" "$UPGRADE_VXLAN_KEEP" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
ofctl() { ovs-ofctl -O OpenFlow13 "$1" "tcp:127.0.0.1:$LST" "${@:2}"; }
ctl() { "$CTL" -s "$T/sl.ctl" "$@"; }
VM="ip netns exec utvm"
V2="ip netns exec utv2"
# 10 ms pings to the kernel side: from the tap VM ($T/ping) and from the
# af_packet VM ($T/ping2)
ping_start() {
	$VM ping -i 0.01 -c "$1" -W 1 10.99.0.2 > "$T/ping" 2>&1 &
	PING=$!
	$V2 ping -i 0.01 -c "$1" -W 1 10.99.0.2 > "$T/ping2" 2>&1 &
	PING2=$!
}
# LOST, GAP (longest run of missing replies) and LAST (last answered) of $2
ping_count() {
	local sent
	read -r sent LOST GAP < <(it_ping_lost "$2")
	[ "$sent" -gt 0 ] || it_fail "ping: $(tail -3 "$2")"
	LAST=$(sed -nE 's/.*icmp_seq=([0-9]+) .*/\1/p' "$2" | tail -1)
	echo "  $1: $sent pings, $LOST lost (blackout ${LOST}0 ms; longest gap ${GAP}0 ms)"
}
ping_result() {
	wait "$PING" "$PING2" || true
	ping_count "$1, af_packet VM" "$T/ping2"
	LOST2=$LOST LAST2=$LAST
	ping_count "$1, tap VM" "$T/ping"
}
# the tap "VM" into its namespace (again after a restart: a new interface;
# the namespace is deleted before each)
vm_setup() { it_tap_ns utvm 10.99.0.1/24 02:99:00:00:00:01; }
# counters of the rules went on: at least what they were plus the pings
# answered since (the tap VM's crossed vm->vx, both VMs' replies vx->VMs)
goes_on() {
	local a b
	a=$(it_flow_field 0x11 n_packets); b=$(it_flow_field 0x22 n_packets)
	echo "  $1: rule vm->vx $a (was $2), rule vx->VMs $b (was $3), $4 + $5 pings answered"
	[ "$a" -ge $(( $2 + $4 )) ] && [ "$b" -ge $(( $3 + $4 + $5 )) ] ||
		it_fail "$1: rule counters did not go on"
}

ip netns del utvm 2>/dev/null || true
it_kernel_vtep ut 5 10.99.0.2/24 02:99:00:00:00:02
# the second "VM": an af_packet port on a veth whose other end is in utv2
ip netns del utv2 2>/dev/null || true
it_veths utv
ip netns add utv2
ip link set utv1 netns utv2
$V2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
$V2 ip link set lo up
$V2 ip link set utv1 address 02:99:00:00:00:03 up
$V2 ip addr add 10.99.0.3/24 dev utv1
it_upgrade_ini "$T/sl.ini"
cat >> "$T/sl.ini" <<INI
[port:und]
type = afpacket
iface = utu0
ofport = 1
[port:vm]
type = dpdk
devargs = net_tap_utvm$$,iface=utvm
ofport = 2
[port:vm2]
type = afpacket
iface = utv0
ofport = 4
[port:vx]
type = vxlan
underlay = und
local_ip = 192.0.2.1
remote_ip = 192.0.2.2
key = 5
ofport = 3
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"
it_await_ofctl
vm_setup
ofctl add-flow "cookie=0x11,priority=10,in_port=2,actions=output:3"
ofctl add-flow "cookie=0x12,priority=10,in_port=4,actions=output:3"
# from the tunnel to both VMs (each kernel drops what is not for its MAC)
ofctl add-flow "cookie=0x22,priority=10,in_port=3,tun_id=5,actions=output:2,output:4"
$VM ping -c 3 -i 0.3 -W 2 10.99.0.2 > "$T/ping0" 2>&1 ||
	it_fail "no ping through the tunnel before: $(cat "$T/ping0"); $(ctl drops 2>&1)"
$V2 ping -c 3 -i 0.3 -W 2 10.99.0.2 > "$T/ping0" 2>&1 ||
	it_fail "no ping from the af_packet VM before: $(cat "$T/ping0")"
IFX=$($VM cat /sys/class/net/utvm/ifindex)

echo "1. hand-over upgrade (sluicectl upgrade)"
A0=$(it_flow_field 0x11 n_packets); B0=$(it_flow_field 0x22 n_packets)
ping_start 500
sleep 1.5
it_upgrade
grep upgraded "$T/log2"
it_await_pid "$NEW"
ping_result upgrade
UP_LOST=$LOST UP_LOST2=$LOST2
grep "sluiced: upgrade: port" "$T/log" | sed 's/^/  old: /'
grep "sluiced: upgrade:" "$T/log2" | sed 's/^/  new: /'
[ "$($VM cat /sys/class/net/utvm/ifindex 2>/dev/null)" = "$IFX" ] ||
	it_fail "the VM's tap is not the same interface after the hand-over (ifindex $IFX before)"
[ "${LAST:-0}" -ge 490 ] || it_fail "pings stopped after the hand-over (last answered $LAST)"
ctl show > "$T/show2" 2>&1 || true
grep -q "meters, 1 underlay neighbours in" "$T/log2" ||
	it_fail "the learned neighbour (the remote VTEP) was not handed over"
[ "${LAST2:-0}" -ge 490 ] || it_fail "af_packet VM: pings stopped after the hand-over"
# the bound (MAX_LOST, docs/upgrade.md "Tunnel ports"): ports move one at a
# time, so while a VM's port and the tunnel's are in different processes
# what one reads for the other is dropped (counted no_output / tx_dropped):
# the hand-over steps between them take 100-350 ms on the loaded 2-vCPU
# test VM, of which 30-110 ms saw pings lost; 20 (200 ms) leaves room for
# the load and still fails the 83 % of before
[ "$UP_LOST2" -le "$MAX_LOST" ] || it_fail "$UP_LOST2 pings lost by the af_packet VM in the hand-over"
[ "$UP_LOST" -le "$MAX_LOST" ] || it_fail "$UP_LOST pings lost by the tap VM in the hand-over"
sleep 1
goes_on "after the upgrade" "$A0" "$B0" $(( 500 - UP_LOST )) $(( 500 - UP_LOST2 ))

echo "2. plain restart with the state file"
A0=$(it_flow_field 0x11 n_packets); B0=$(it_flow_field 0x22 n_packets)
it_stop_new
grep -q "agent: flow_mods 0 " "$T/log2" || it_fail "the upgraded sluiced received flow-mods"
it_start_sluiced "$SLUICED" "$T/sl.ini"
grep -q "state: restored 3 rules" "$T/log" || it_fail "rules not restored: $(grep state: "$T/log")"
grep -q "state: 1 underlay neighbours learned again" "$T/log" ||
	it_fail "the learned neighbour not restored: $(grep state: "$T/log")"
ip netns del utvm 2>/dev/null || true
vm_setup
ping_start 300
ping_result restart
[ "${LAST:-0}" -ge 290 ] && [ "${LAST2:-0}" -ge 290 ] ||
	it_fail "pings did not resume after the restart (last answered $LAST, $LAST2)"
[ "$LOST" -le 30 ] || it_fail "$LOST pings lost after the restart: $(ctl drops 2>&1)"
sleep 1
goes_on "after the restart" "$A0" "$B0" $(( 300 - LOST )) $(( 300 - LOST2 ))
it_stop_sluiced
grep -q "agent: flow_mods 0 " "$T/log" || it_fail "the restarted sluiced received flow-mods"
echo "blackout (lost pings x 10 ms): upgrade $(( UP_LOST2 * 10 )) ms (af_packet VM), $(( UP_LOST * 10 )) ms (tap VM)"
echo "PASS"
