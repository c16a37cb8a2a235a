#!/bin/bash
# VXLAN ports added and removed while sluiced runs (issue 23, `sluicectl
# add-port NAME type=vxlan ...` / `del-port`): a switch started with an
# af_packet underlay and a tap "VM" but no tunnel port gets one from
# sluicectl; the controller sees OFPT_PORT_STATUS ADD; sluiced answers ARP
# for the new local VTEP address and resolves the remote (no static
# neighbour), so the VM pings a Linux kernel vxlan device (VNI 5) both ways
# and tshark decodes VNI 5 on the underlay. Refused, with the reason and
# nothing changed: a second port that would take the same packets, an
# unknown underlay, deleting the underlay while the tunnel uses it (the
# other refusals are test_tunnel_runtime's). Then
# del-port: PORT_STATUS DELETE, the VM no longer reaches the kernel side;
# the same port added again forwards again (the decap table and the
# neighbour table's local address are rebuilt each time).
#
#   netns vavm: tap vavm 10.97.0.1 ---- sluiced [port vm] (net_tap)
#                                          |  rules
#                                       vx0 (added at run time) 192.0.2.1 -> .2, key 5
#                                          |
#   root: vau0 (af_packet underlay) === veth === vau1 192.0.2.2 (netns vaul)
#                                                  vxlan vavx id 5, 10.97.0.2
# usage: test_vxlan_add_port.sh SLUICED   (VXLAN_ADD_KEEP=DIR keeps logs and captures)
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
it_vxlan_needs
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
[ -x "$CTL" ] || { echo "SKIP: no sluicectl beside sluiced"; exit 77; }
T=$(mktemp -d /tmp/vxadd.XXXXXX)
OF="ovs-ofctl -O OpenFlow13"
CPORT=${VXLAN_ADD_CPORT:-17101}
PID=
CPID=
cleanup() {
	# the controller leaves when sluiced hangs up: a kill may find no one
	[ -n "$CPID" ] && kill "$CPID" 2>/dev/null || true
	it_vxlan_cleanup va "${VXLAN_ADD_KEEP:-}"
}
trap cleanup EXIT
ip netns del vavm 2>/dev/null || true

it_kernel_vtep va 5 10.97.0.2/24 02:97:00:00:00:02

it_vxlan_ini "$T/sl.ini" va "controllers = tcp:127.0.0.1:$CPORT"

# wait for a line in the controller's record (ERE), 60 s at most
await_status() {
	for _ in $(seq 600); do
		grep -Eq "$1" "$T/status" 2>/dev/null && return 0
		sleep 0.1
	done
	it_fail "the controller never saw '$1': $(cat "$T/status" 2>/dev/null)"
}

/usr/bin/python3 "$HERE/portstatus_ctl.py" "$CPORT" "$T/status" 240 &
CPID=$!
it_start_sluiced "$SLUICED" "$T/sl.ini"
await_status '^connected'
it_of_listener

it_tap_ns vavm 10.97.0.1/24 02:97:00:00:00:01
VM="ip netns exec vavm"

# rules first: output to a port that does not exist yet goes nowhere
$OF add-flow "$SW" "priority=10,in_port=2,actions=output:3"
$OF add-flow "$SW" "priority=10,in_port=3,tun_id=5,actions=output:2"

VX="type=vxlan underlay=und local_ip=192.0.2.1 remote_ip=192.0.2.2 key=5"
# refused, naming why: an underlay the switch does not have
if "$CTL" -s "$T/ctl" add-port vxbad type=vxlan underlay=nope local_ip=192.0.2.1 \
	remote_ip=192.0.2.2 key=5 > "$T/bad1.txt" 2>&1; then
	it_fail "add-port with an unknown underlay was accepted: $(cat "$T/bad1.txt")"
fi
grep -q "'nope' is not a port of this switch" "$T/bad1.txt" ||
	it_fail "unknown underlay: unexpected answer: $(cat "$T/bad1.txt")"

# shellcheck disable=SC2086 # VX is words
"$CTL" -s "$T/ctl" add-port vx0 $VX ofport=3 > "$T/add.txt" 2>&1 ||
	it_fail "add-port vx0 failed: $(cat "$T/add.txt")"
grep -q "vxlan" "$T/add.txt" || it_fail "add-port's record does not say vxlan: $(cat "$T/add.txt")"
await_status '^ADD 3 vx0 '
# shellcheck disable=SC2086
if "$CTL" -s "$T/ctl" add-port vx1 $VX ofport=4 > "$T/bad3.txt" 2>&1; then
	it_fail "a second port taking the same packets was accepted: $(cat "$T/bad3.txt")"
fi
grep -q "port 'vx0' has the same underlay" "$T/bad3.txt" ||
	it_fail "clash: unexpected answer: $(cat "$T/bad3.txt")"
if "$CTL" -s "$T/ctl" del-port und > "$T/bad4.txt" 2>&1; then
	it_fail "the underlay was deleted under its tunnel: $(cat "$T/bad4.txt")"
fi
grep -q "underlay of vxlan port vx0" "$T/bad4.txt" ||
	it_fail "del-port und: unexpected answer: $(cat "$T/bad4.txt")"
$OF dump-ports-desc "$SW" | grep -q "3(vx0)" || it_fail "vx0 not in port desc: $($OF dump-ports-desc "$SW")"

$NS tshark -q -i vau1 -f "udp port 4789" -w "$T/ul.pcap" > "$T/tshark.log" 2>&1 &
TS=$!
it_await_capture "$T/tshark.log"
# the first pings may wait for ARP of both VTEPs (sluiced's and the kernel's)
$VM ping -c 8 -i 0.3 -W 2 10.97.0.2 > "$T/ping.log" 2>&1 ||
	it_fail "VM -> kernel vxlan over the added port: $(cat "$T/ping.log"); $($OF dump-flows "$SW")"
$NS ping -c 3 -i 0.3 -W 2 10.97.0.1 > "$T/ping2.log" 2>&1 ||
	it_fail "kernel vxlan -> VM over the added port: $(cat "$T/ping2.log")"
sleep 1
kill "$TS"
wait "$TS" 2>/dev/null || true
tshark -r "$T/ul.pcap" -Y "ip.src == 192.0.2.1 && vxlan" -T fields -e vxlan.vni \
	> "$T/ours.txt" 2>/dev/null
N=$(wc -l < "$T/ours.txt")
[ "$N" -ge 3 ] || it_fail "tshark saw $N VXLAN frames from sluiced (want >= 3)"
awk '$1 != 5 { exit 1 }' "$T/ours.txt" || it_fail "a VNI other than 5: $(sort -u "$T/ours.txt")"
# the kernel learned sluiced's VTEP by ARP (no static entry on either side)
$NS ip neigh show 192.0.2.1 dev vau1 | grep -Eq "lladdr $(cat /sys/class/net/vau0/address)" ||
	it_fail "the kernel did not resolve sluiced's VTEP: $($NS ip neigh show dev vau1)"
"$CTL" -s "$T/ctl" dump-neighbours > "$T/neigh.txt" 2>&1 || true
grep -q "192.0.2.2" "$T/neigh.txt" || it_fail "sluiced did not resolve the remote: $(cat "$T/neigh.txt")"
echo "added: $N VXLAN frames from sluiced, VNI 5"

"$CTL" -s "$T/ctl" del-port vx0 > "$T/del.txt" 2>&1 || it_fail "del-port vx0: $(cat "$T/del.txt")"
await_status '^DELETE 3 vx0 '
if $VM ping -c 3 -i 0.3 -W 1 10.97.0.2 > "$T/ping3.log" 2>&1; then
	it_fail "the VM still reaches the kernel side after del-port: $(cat "$T/ping3.log")"
fi
# shellcheck disable=SC2086
"$CTL" -s "$T/ctl" add-port vx0 $VX ofport=3 > "$T/add2.txt" 2>&1 ||
	it_fail "add-port vx0 again failed: $(cat "$T/add2.txt")"
for _ in $(seq 60); do [ "$(grep -c '^ADD 3 vx0 ' "$T/status")" = 2 ] && break; sleep 0.5; done
[ "$(grep -c '^ADD 3 vx0 ' "$T/status")" = 2 ] || it_fail "no second PORT_STATUS ADD: $(cat "$T/status")"
$VM ping -c 5 -i 0.3 -W 2 10.97.0.2 > "$T/ping4.log" 2>&1 ||
	it_fail "VM -> kernel vxlan after the port came back: $(cat "$T/ping4.log")"
it_stop_sluiced
echo "PASS: vxlan ports added and removed at run time"
