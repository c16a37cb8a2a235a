#!/bin/bash
# VXLAN interop with Linux kernel vxlan devices, neighbours resolved on the
# wire (issue 23): no static entry on either side. The kernel finds
# sluiced's VTEP addresses by ARP and IPv6 neighbour discovery (sluiced's
# responder, dataplane/neigh), sluiced finds the kernel's the same way (its
# requests, parked packets sent once resolved). An IPv4 underlay (VNI 5) and
# an IPv6 one (VNI 6) at once, each with a tap "VM": both ping their kernel
# peer both ways, neither VM sees the other VNI's frames, tshark decodes the
# underlay as VXLAN with the right VNIs, `sluicectl dump-neighbours` lists
# both peers as learned and the kernel lists sluiced's VTEPs as reachable.
#
#   netns v2vm4: tap v2vm4 10.97.0.1 --- [vm4] sluiced [vx4] 192.0.2.1 -> .2, key 5
#   netns v2vm6: tap v2vm6 10.96.0.1 --- [vm6]         [vx6] 2001:db8:2::1 -> ::2, key 6
#   root: v2u0 (af_packet, [und]) === veth === v2u1 (netns v2ul) 192.0.2.2, 2001:db8:2::2
#         kernel vxlan v2kx4 id 5 (10.97.0.2), v2kx6 id 6 over IPv6 (10.96.0.2)
# usage: test_vxlan_kernel_interop.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
for c in ovs-ofctl tshark; do
	command -v $c >/dev/null || { echo "SKIP: $c missing"; exit 77; }
done
modprobe vxlan 2>/dev/null || true
T=$(mktemp -d /tmp/v2-vxlan.XXXXXX)
OF="ovs-ofctl -O OpenFlow13"
SLCTL=$(dirname "$SLUICED")/../sluicectl/sluicectl
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	for n in v2ul v2vm4 v2vm6; do ip netns del $n 2>/dev/null || true; done
	it_del_veths v2u
	[ -n "${V2_KEEP:-}" ] && cp -r "$T" /tmp/v2-keep 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
for n in v2ul v2vm4 v2vm6; do ip netns del $n 2>/dev/null || true; done

it_veths v2u # IPv6 off on both ends: the root namespace's kernel keeps out of v2u0
ip netns add v2ul
ip link set v2u1 netns v2ul
NS="ip netns exec v2ul"
$NS sysctl -qw net.ipv6.conf.v2u1.disable_ipv6=0
$NS ip link set lo up
$NS ip link set v2u1 up
$NS ip addr add 192.0.2.2/24 dev v2u1
$NS ip addr add 2001:db8:2::2/64 dev v2u1 nodad
$NS ip link add v2kx4 type vxlan id 5 remote 192.0.2.1 local 192.0.2.2 dstport 4789 dev v2u1
$NS ip link add v2kx6 type vxlan id 6 remote 2001:db8:2::1 local 2001:db8:2::2 dstport 4789 \
	dev v2u1 udp6zerocsumrx
$NS ip link set v2kx4 address 02:97:00:00:00:02 up
$NS ip link set v2kx6 address 02:96:00:00:00:02 up
$NS ip addr add 10.97.0.2/24 dev v2kx4
$NS ip addr add 10.96.0.2/24 dev v2kx6
U0_MAC=$(cat /sys/class/net/v2u0/address)
U1_MAC=$($NS cat /sys/class/net/v2u1/address)

it_tnl_ini "$T/sl.ini" v2 "neighbour_timeout = 30"
it_tap_port "$T/sl.ini" vm4 v2vm4 2
it_tap_port "$T/sl.ini" vm6 v2vm6 3
cat >> "$T/sl.ini" <<INI
[port:vx4]
type = vxlan
underlay = und
local_ip = 192.0.2.1
remote_ip = 192.0.2.2
key = 5
ofport = 4
[port:vx6]
type = vxlan
underlay = und
local_ip = 2001:db8:2::1
remote_ip = 2001:db8:2::2
key = 6
ofport = 5
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"
it_of_listener

it_tap_ns v2vm4 10.97.0.1/24 02:97:00:00:00:01
it_tap_ns v2vm6 10.96.0.1/24 02:96:00:00:00:01

$OF add-flow "$SW" "priority=10,in_port=2,actions=output:4"
$OF add-flow "$SW" "priority=10,in_port=4,tun_id=5,actions=output:2"
$OF add-flow "$SW" "priority=10,in_port=3,actions=output:5"
$OF add-flow "$SW" "priority=10,in_port=5,tun_id=6,actions=output:3"

$NS tshark -q -i v2u1 -w "$T/ul.pcap" > "$T/tshark.log" 2>&1 &
TS=$!
ip netns exec v2vm4 tshark -q -i v2vm4 -w "$T/vm4.pcap" > "$T/tshark4.log" 2>&1 &
T4=$!
it_await_capture "$T/tshark.log" "$T/tshark4.log"

# VM -> kernel first: sluiced parks the first frames until its ARP / NS is
# answered; the kernel's answer to them needs sluiced's VTEP, which it asks
# for by ARP / NS in turn. A lost first ping is allowed, a failed run is not.
ip netns exec v2vm4 ping -c 5 -i 0.3 -W 2 10.97.0.2 > "$T/p4.log" 2>&1 ||
	it_fail "IPv4 underlay: VM -> kernel ping failed: $(cat "$T/p4.log"); $("$SLCTL" -s "$T/ctl" dump-neighbours 2>&1)"
ip netns exec v2vm6 ping -c 5 -i 0.3 -W 2 10.96.0.2 > "$T/p6.log" 2>&1 ||
	it_fail "IPv6 underlay: VM -> kernel ping failed: $(cat "$T/p6.log"); $("$SLCTL" -s "$T/ctl" dump-neighbours 2>&1)"
# the kernel learned sluiced's VTEPs from its requests (Linux keeps the
# asker of a request for itself): forget them, so that the kernel must ask
# and sluiced's responder answer
$NS ip neigh flush dev v2u1
$NS ping -c 3 -i 0.3 -W 2 10.97.0.1 > "$T/k4.log" 2>&1 || it_fail "kernel -> VM (v4): $(cat "$T/k4.log")"
$NS ping -c 3 -i 0.3 -W 2 10.96.0.1 > "$T/k6.log" 2>&1 || it_fail "kernel -> VM (v6): $(cat "$T/k6.log")"
sleep 1
kill "$TS" "$T4"
wait "$TS" "$T4" 2>/dev/null || true

# both sides learned each other on the wire
"$SLCTL" -s "$T/ctl" dump-neighbours > "$T/neigh.txt" 2>&1 || it_fail "dump-neighbours: $(cat "$T/neigh.txt")"
"$SLCTL" -s "$T/ctl" --json dump-neighbours > "$T/neigh.json" 2>&1 ||
	it_fail "dump-neighbours --json: $(cat "$T/neigh.json")"
/usr/bin/python3 - "$T/neigh.json" "$U1_MAC" <<'PY' || it_fail "neighbours: $(cat "$T/neigh.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["ip"]: r for r in d["neighbours"]}
for ip in ("192.0.2.2", "2001:db8:2::2"):
    r = rows.get(ip)
    assert r, ip + " missing"
    assert r["state"] in ("reachable", "refreshing"), r
    assert r["mac"] == sys.argv[2], r
c = d["counters"][0]
assert c["requests_sent"] >= 2 and c["replies_sent"] >= 2 and c["learned"] >= 2, c
print("neighbours:", {k: (v["mac"], v["state"]) for k, v in rows.items()}, c)
PY
$NS ip neigh show > "$T/kneigh.txt"
grep -qi "192.0.2.1 dev v2u1 lladdr $U0_MAC" "$T/kneigh.txt" || it_fail "kernel has no ARP entry for sluiced's VTEP: $(cat "$T/kneigh.txt")"
grep -qi "2001:db8:2::1 dev v2u1 lladdr $U0_MAC" "$T/kneigh.txt" || it_fail "kernel has no ND entry for sluiced's VTEP: $(cat "$T/kneigh.txt")"

# the underlay as tshark reads it: ARP and ND answered by sluiced, VXLAN over
# both IP versions with the VNI of each
tshark -r "$T/ul.pcap" -Y "arp.opcode == 2 && arp.src.proto_ipv4 == 192.0.2.1" 2>/dev/null | grep -q . ||
	it_fail "no ARP reply from sluiced's VTEP on the underlay"
tshark -r "$T/ul.pcap" -Y "icmpv6.type == 136 && icmpv6.nd.na.target_address == 2001:db8:2::1" 2>/dev/null | grep -q . ||
	it_fail "no neighbour advertisement from sluiced's VTEP on the underlay"
tshark -r "$T/ul.pcap" -Y "ip.src == 192.0.2.1 && vxlan" -T fields -e vxlan.vni > "$T/v4.txt" 2>/dev/null
tshark -r "$T/ul.pcap" -Y "ipv6.src == 2001:db8:2::1 && vxlan" -T fields -e vxlan.vni -e udp.srcport \
	> "$T/v6.txt" 2>/dev/null
[ "$(wc -l < "$T/v4.txt")" -ge 4 ] && [ "$(sort -u "$T/v4.txt")" = 5 ] ||
	it_fail "VXLAN over IPv4 from sluiced: want VNI 5, got $(sort -u "$T/v4.txt" | tr '\n' ' ')"
[ "$(wc -l < "$T/v6.txt")" -ge 4 ] && [ "$(cut -f1 "$T/v6.txt" | sort -u)" = 6 ] ||
	it_fail "VXLAN over IPv6 from sluiced: want VNI 6, got $(cut -f1 "$T/v6.txt" | sort -u | tr '\n' ' ')"
# no frame of VNI 6's network reached the VNI 5 VM
[ "$(tshark -r "$T/vm4.pcap" -Y "ip.addr == 10.96.0.0/24 || arp.dst.proto_ipv4 == 10.96.0.2 || arp.src.proto_ipv4 == 10.96.0.2" 2>/dev/null | wc -l)" = 0 ] ||
	it_fail "a frame of VNI 6 reached the VNI 5 VM"
echo "tshark: $(wc -l < "$T/v4.txt") VXLAN/IPv4 frames (VNI 5), $(wc -l < "$T/v6.txt") VXLAN/IPv6 (VNI 6)"
it_stop_sluiced_in 10
echo "PASS: vxlan interop with kernel vxlan, ARP and ND resolved both ways"
