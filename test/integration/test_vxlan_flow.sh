#!/bin/bash
# Flow-based VXLAN (issue 23): ONE sluiced port with remote_ip = flow and
# key = flow talks to TWO Linux kernel vxlan devices (two VTEP addresses,
# VNIs 100 and 200). Rules choose the remote and VNI per packet
# (set_field:IP->tun_dst,set_field:VNI->tun_id,output:P) and tell the way
# back apart by tun_src and tun_id; ovs-ofctl prints the rules back as it
# sent them; tshark on the underlay sees VNI 100 to 192.0.2.2 and VNI 200 to
# 192.0.2.3; a packet-in carries tun_src / tun_dst; an output to the port
# without a tun_dst is dropped and counted (tnl_no_remote).
#
#   netns tfvm: tap tfvm 10.99.1.1, 10.99.2.1, 10.99.3.1 -- sluiced [vm]
#                                                  | rules
#                                    [vf] vxlan 192.0.2.1, remote/key = flow
#   root: tfu0 (af_packet) === veth === tfu1 192.0.2.2 + .3 (netns tful)
#          vxlan tfvx  id 100 local .2 -> 10.99.1.2
#          vxlan tfvx2 id 200 local .3 -> 10.99.2.2
# usage: test_vxlan_flow.sh SLUICED   (VXLAN_FLOW_KEEP=DIR keeps logs and captures)
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
it_vxlan_needs
T=$(mktemp -d /tmp/tf-vxlan-flow.XXXXXX)
OF="ovs-ofctl -O OpenFlow13"
PID=
trap 'it_vxlan_cleanup tf "${VXLAN_FLOW_KEEP:-}"' EXIT
ip netns del tfvm 2>/dev/null || true

# two kernel VTEPs behind one underlay veth: 192.0.2.2 (VNI 100) and
# 192.0.2.3 (VNI 200), each with its own inner subnet
it_kernel_vtep tf 100 10.99.1.2/24 02:99:00:00:01:02
$NS ip addr add 192.0.2.3/24 dev tfu1
$NS ip link add tfvx2 type vxlan id 200 remote 192.0.2.1 local 192.0.2.3 dstport 4789 dev tfu1
$NS ip link set tfvx2 address 02:99:00:00:02:02 up
$NS ip addr add 10.99.2.2/24 dev tfvx2
it_vtep_pin tf

it_vxlan_ini "$T/sl.ini" tf
it_vxlan_port "$T/sl.ini" vf flow flow 3
cat >> "$T/sl.ini" <<INI
[neighbours]
192.0.2.2 = $U1_MAC@und
192.0.2.3 = $U1_MAC@und
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"
it_of_listener
it_tap_ns tfvm 10.99.1.1/24 02:99:00:00:00:01
VM="ip netns exec tfvm"
$VM ip addr add 10.99.2.1/24 dev tfvm
$VM ip addr add 10.99.3.1/24 dev tfvm

for n in 1 2; do
	r=192.0.2.$((n + 1))
	vni=$((n * 100))
	$OF add-flow "$SW" "priority=10,in_port=2,ip,nw_dst=10.99.$n.0/24,actions=set_field:$r->tun_dst,set_field:$vni->tun_id,output:3"
	$OF add-flow "$SW" "priority=10,in_port=2,arp,arp_tpa=10.99.$n.0/24,actions=set_field:$r->tun_dst,set_field:$vni->tun_id,output:3"
	$OF add-flow "$SW" "priority=10,in_port=3,tun_src=$r,tun_id=$vni,actions=output:2"
done
# no tun_dst: the flow port has no remote for these
$OF add-flow "$SW" "priority=10,in_port=2,arp,arp_tpa=10.99.3.0/24,actions=output:3"
# a masked tun_dst match (the decapsulated packet's tun_dst is our VTEP)
$OF add-flow "$SW" "priority=5,in_port=3,tun_dst=192.0.2.0/24,actions=drop"
$OF dump-flows "$SW" > "$T/flows.txt"
for want in "tun_id=0x64,tun_src=192.0.2.2,in_port=3" "tun_id=0xc8,tun_src=192.0.2.3,in_port=3" \
	"set_field:192.0.2.2->tun_dst,set_field:0x64->tun_id,output:3" \
	"set_field:192.0.2.3->tun_dst,set_field:0xc8->tun_id,output:3" "tun_dst=192.0.2.0/24"; do
	grep -qF "$want" "$T/flows.txt" || it_fail "dump-flows lost '$want': $(cat "$T/flows.txt")"
done

$NS tshark -q -i tfu1 -f "udp port 4789" -w "$T/ul.pcap" > "$T/tshark.log" 2>&1 &
TS=$!
it_await_capture "$T/tshark.log"
for n in 1 2; do
	$VM ping -c 4 -i 0.3 -W 2 10.99.$n.2 > "$T/ping$n.log" 2>&1 ||
		it_fail "VM -> kernel VTEP $n: ping failed: $(cat "$T/ping$n.log"); $($OF dump-flows "$SW")"
done
$NS ping -c 3 -i 0.3 -W 2 -I tfvx2 10.99.2.1 > "$T/ping3.log" 2>&1 ||
	it_fail "kernel VTEP 2 -> VM: ping failed: $(cat "$T/ping3.log")"
$VM ping -c 2 -i 0.3 -W 1 10.99.3.2 > /dev/null 2>&1 || true
sleep 1
kill "$TS"
wait "$TS" 2>/dev/null || true

# what sluiced sent: VNI 100 to .2, 200 to .3, never crossed
tshark -r "$T/ul.pcap" -Y "ip.src == 192.0.2.1 && vxlan" -T fields -e ip.dst -e vxlan.vni \
	> "$T/ours.txt" 2>/dev/null
awk '{ split($1, d, ","); print d[1], $2 }' "$T/ours.txt" | sort | uniq -c > "$T/pairs.txt"
grep -q " 192.0.2.2 100$" "$T/pairs.txt" || it_fail "no VNI 100 to 192.0.2.2: $(cat "$T/pairs.txt")"
grep -q " 192.0.2.3 200$" "$T/pairs.txt" || it_fail "no VNI 200 to 192.0.2.3: $(cat "$T/pairs.txt")"
[ "$(wc -l < "$T/pairs.txt")" = 2 ] || it_fail "other (remote, VNI) pairs: $(cat "$T/pairs.txt")"
# the way back matched tun_src + tun_id: those rules counted packets
for r in 192.0.2.2 192.0.2.3; do
	n=$($OF dump-flows "$SW" | grep "tun_src=$r" | sed -n 's/.*n_packets=\([0-9]*\).*/\1/p')
	[ "${n:-0}" -gt 0 ] || it_fail "tun_src=$r matched nothing: $($OF dump-flows "$SW")"
done
# a packet-in of a decapsulated packet carries tun_src / tun_dst (NXM)
$OF add-flow "$SW" "priority=20,in_port=3,tun_id=200,udp,tp_dst=9,actions=controller"
stdbuf -oL $OF --unixctl="$T/ofctl.ctl" monitor "$SW" 65534 > "$T/monitor.txt" 2>&1 &
MON=$!
sleep 1.5
for _ in $(seq 20); do
	$NS bash -c 'echo tunfields > /dev/udp/10.99.2.1/9' 2>/dev/null || true
	sleep 0.3
	grep -q "tun_src=" "$T/monitor.txt" && break
done
kill "$MON" 2>/dev/null || true
wait "$MON" 2>/dev/null || true
grep -q "tun_src=192.0.2.3,tun_dst=192.0.2.1" "$T/monitor.txt" ||
	it_fail "packet-in without tun_src / tun_dst: $(cat "$T/monitor.txt")"
SLCTL=$(dirname "$SLUICED")/../sluicectl/sluicectl
if [ -x "$SLCTL" ]; then
	"$SLCTL" -s "$T/ctl" drops > "$T/drops.txt" 2>&1 || true
	grep -q "tnl_no_remote" "$T/drops.txt" || it_fail "no tnl_no_remote counted: $(cat "$T/drops.txt")"
fi
echo "tshark: $(tr '\n' ' ' < "$T/pairs.txt")"
it_stop_sluiced_in 10
echo "PASS: vxlan flow-based port (two kernel VTEPs, two VNIs, one port)"
