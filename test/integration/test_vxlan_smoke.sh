#!/bin/bash
# VXLAN smoke test (issue 23, one host): a sluiced vxlan port on an
# af_packet veth underlay talks to a Linux kernel vxlan device (VNI 5) in a
# network namespace; a tap "VM" port in another namespace pings the kernel
# side through OpenFlow rules (in_port=vm -> vx; in_port=vx,tun_id=5 -> vm),
# and tshark decodes the underlay as VXLAN with VNI 5 and UDP source ports in
# 49152-65535. A frame with the wrong VNI must not reach the VM (counted as
# tnl_unknown_vni). The multi-host and IPv6 cases are v2's
# (test_vxlan_multihost.sh, test_vxlan_kernel_interop.sh).
#
#   netns v1vm: tap v1vm 10.99.0.1 ---- sluiced [port vm] (net_tap)
#                                          |  rules
#                                       [port vx] vxlan 192.0.2.1 -> .2, key 5
#                                          |
#   root: v1u0 (af_packet underlay) === veth === v1u1 192.0.2.2 (netns v1ul)
#                                                  vxlan v1vx id 5, 10.99.0.2
# usage: test_vxlan_smoke.sh SLUICED   (VXLAN_SMOKE_KEEP=DIR keeps logs and captures)
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
it_vxlan_needs
T=$(mktemp -d /tmp/v1-vxlan.XXXXXX)
OF="ovs-ofctl -O OpenFlow13"
PID=
trap 'it_vxlan_cleanup v1 "${VXLAN_SMOKE_KEEP:-}"' EXIT
ip netns del v1vm 2>/dev/null || true

# the underlay: v1u0 stays here for sluiced (no address: the kernel keeps
# out of it), v1u1 goes into v1ul with the remote VTEP and the vxlan device
it_kernel_vtep v1 5 10.99.0.2/24 02:99:00:00:00:02
it_vtep_pin v1

it_vxlan_ini "$T/sl.ini" v1
it_vxlan_port "$T/sl.ini" vx 192.0.2.2 5 3
cat >> "$T/sl.ini" <<INI
[neighbours]
192.0.2.2 = $U1_MAC@und
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"
it_of_listener

# the "VM": the tap PMD's interface, moved into its own namespace
it_tap_ns v1vm 10.99.0.1/24 02:99:00:00:00:01
VM="ip netns exec v1vm"

$OF add-flow "$SW" "priority=10,in_port=2,actions=output:3"
$OF add-flow "$SW" "priority=10,in_port=3,tun_id=5,actions=output:2"
$OF dump-flows "$SW" | grep -q "tun_id=0x5" || it_fail "dump-flows lost tun_id: $($OF dump-flows "$SW")"

$NS tshark -q -i v1u1 -f "udp port 4789" -w "$T/ul.pcap" > "$T/tshark.log" 2>&1 &
TS=$!
it_await_capture "$T/tshark.log"
$VM ping -c 5 -i 0.3 -W 2 10.99.0.2 > "$T/ping.log" 2>&1 ||
	it_fail "VM -> kernel vxlan: ping failed: $(cat "$T/ping.log"); $($OF dump-flows "$SW")"
grep -q " 0% packet loss" "$T/ping.log" || echo "note: $(grep 'packet loss' "$T/ping.log")"
# and the other way: the kernel side pings the VM
$NS ping -c 3 -i 0.3 -W 2 10.99.0.1 > "$T/ping2.log" 2>&1 ||
	it_fail "kernel vxlan -> VM: ping failed: $(cat "$T/ping2.log")"
sleep 1
kill "$TS"
wait "$TS" 2>/dev/null || true

# tshark decodes what sluiced sent (source 192.0.2.1) as VXLAN, VNI 5
tshark -r "$T/ul.pcap" -Y "ip.src == 192.0.2.1 && vxlan" -T fields -e vxlan.vni \
	-e udp.srcport -e ip.flags.df -e udp.checksum > "$T/ours.txt" 2>/dev/null
N=$(wc -l < "$T/ours.txt")
[ "$N" -ge 5 ] || it_fail "tshark saw $N VXLAN frames from sluiced (want >= 5)"
awk '$1 != 5 { exit 1 }' "$T/ours.txt" || it_fail "a VNI other than 5: $(sort -u "$T/ours.txt")"
# fields with an outer and an inner value list the outer one first
awk '{ split($2, p, ",") } p[1] < 49152 || p[1] > 65535 { exit 1 }' "$T/ours.txt" ||
	it_fail "UDP source port outside 49152-65535: $(cut -f2 "$T/ours.txt" | sort -u)"
awk '{ split($3, d, ",") } d[1] != 1 && d[1] != "True" { exit 1 }' "$T/ours.txt" || it_fail "DF not set: $(head -3 "$T/ours.txt")"
awk '{ split($4, c, ",") } c[1] != "0x0000" { exit 1 }' "$T/ours.txt" || it_fail "UDP checksum not 0: $(head -3 "$T/ours.txt")"
tshark -r "$T/ul.pcap" -Y "ip.src == 192.0.2.1 && icmp" -T fields -e ip.src -e ip.dst \
	> "$T/inner.txt" 2>/dev/null
grep -q "10.99.0.1" "$T/inner.txt" || it_fail "tshark did not decode the inner ICMP"
echo "tshark: $N VXLAN frames from sluiced, VNI 5, source ports $(cut -f2 "$T/ours.txt" | sort -u | tr '\n' ' ')"

# a kernel vxlan device with VNI 6 to the same VTEP: no port takes VNI 6
$NS ip link add v1vx6 type vxlan id 6 remote 192.0.2.1 local 192.0.2.2 dstport 4789 dev v1u1
$NS ip link set v1vx6 up
$NS ip addr add 10.98.0.2/24 dev v1vx6
$VM tshark -q -i v1vm -a duration:6 -w "$T/vm.pcap" > "$T/tshark2.log" 2>&1 &
TV=$!
for _ in $(seq 150); do
	grep -q "Capture started" "$T/tshark2.log" && break
	sleep 0.1
done
$NS ping -c 3 -i 0.3 -W 1 10.98.0.1 > /dev/null 2>&1 || true
wait "$TV" 2>/dev/null || true
[ "$(tshark -r "$T/vm.pcap" -Y "arp.dst.proto_ipv4 == 10.98.0.1" 2>/dev/null | wc -l)" = 0 ] ||
	it_fail "a VNI 6 frame reached the VM port"
SLCTL=$(dirname "$SLUICED")/../sluicectl/sluicectl
if [ -x "$SLCTL" ]; then
	"$SLCTL" -s "$T/ctl" drops > "$T/drops.txt" 2>&1 || true
	grep -q "tnl_unknown_vni" "$T/drops.txt" || it_fail "no tnl_unknown_vni drop counted: $(cat "$T/drops.txt")"
fi
it_stop_sluiced_in 10
echo "PASS: vxlan smoke (VM <-> kernel vxlan through sluiced)"
