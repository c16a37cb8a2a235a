#!/bin/bash
# Flow-based VXLAN (issue 23): ports with remote_ip = flow and key = flow,
# one over IPv4 and one over IPv6, each talking to TWO Linux kernel vxlan
# devices (two VTEP addresses, two VNIs). Rules choose the remote and VNI
# per packet (set_field:IP->tun_dst / tun_ipv6_dst, set_field:VNI->tun_id,
# output:P) and tell the way back apart by tun_src / tun_ipv6_src and
# tun_id; ovs-ofctl prints the rules back as it sent them; tshark on the
# underlay sees each VNI only to its remote (IPv4: 100 to 192.0.2.2, 200 to
# .3; IPv6: 300 to 2001:db8:1::2, 400 to ::3), and a broadcast flooded by
# one rule to both IPv6 remotes with their VNIs; packet-ins carry tun_src /
# tun_dst and tun_ipv6_src / tun_ipv6_dst; an output without a remote of
# the port's family is dropped and counted (tnl_no_remote). The IPv4 side
# has static neighbours, the IPv6 side resolves on demand by ND. Then, at
# run time: `sluicectl del-port` of the IPv6 port (its traffic stops) and
# `add-port` of it with remote_ip=flow key=flow (both remotes reached
# again, the kernel's ND for sluiced's VTEP answered again, the way back
# matched again).
#
#   netns tfvm: tap tfvm 10.99.{1..6}.1 -- sluiced [vm]
#                                                  | rules
#                   [vf]  vxlan 192.0.2.1,     remote/key = flow (ofport 3)
#                   [vf6] vxlan 2001:db8:1::1, remote/key = flow (ofport 4)
#   root: tfu0 (af_packet) === veth === tfu1 (netns tful) 192.0.2.2 + .3,
#                                        2001:db8:1::2 + ::3
#          vxlan tfvx  id 100 local 192.0.2.2     -> 10.99.1.2
#          vxlan tfvx2 id 200 local 192.0.2.3     -> 10.99.2.2
#          vxlan tfvx6 id 300 local 2001:db8:1::2 -> 10.99.4.2
#          vxlan tfvx7 id 400 local 2001:db8:1::3 -> 10.99.5.2
# usage: test_vxlan_flow.sh SLUICED   (VXLAN_FLOW_KEEP=DIR keeps logs and captures;
#        VXLAN_FLOW_PREFIX=P names the netns and veths P... instead of tf...)
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
it_vxlan_needs
SLCTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
[ -x "$SLCTL" ] || { echo "SKIP: no sluicectl beside sluiced"; exit 77; }
P=${VXLAN_FLOW_PREFIX:-tf}
T=$(mktemp -d "/tmp/$P-vxlan-flow.XXXXXX")
OF="ovs-ofctl -O OpenFlow13"
V6=2001:db8:1
PID=
trap 'it_vxlan_cleanup "$P" "${VXLAN_FLOW_KEEP:-}"' EXIT
ip netns del "${P}vm" 2>/dev/null || true

# IPv4: two kernel VTEPs behind one underlay veth, 192.0.2.2 (VNI 100) and
# 192.0.2.3 (VNI 200), each with its own inner subnet
it_kernel_vtep "$P" 100 10.99.1.2/24 02:99:00:00:01:02
$NS ip addr add 192.0.2.3/24 dev "${P}u1"
$NS ip link add "${P}vx2" type vxlan id 200 remote 192.0.2.1 local 192.0.2.3 dstport 4789 dev "${P}u1"
$NS ip link set "${P}vx2" address 02:99:00:00:02:02 up
$NS ip addr add 10.99.2.2/24 dev "${P}vx2"
it_vtep_pin "$P"
# IPv6: two more on the same veth, $V6::2 (VNI 300) and ::3 (VNI 400). No
# static entry on either side: sluiced resolves them by ND when a rule first
# sends there, the kernel learns sluiced's $V6::1 from those solicitations
# (and asks for it itself after the add-port below). The kernel checks the
# UDP checksum of what sluiced sends (no udp6zerocsumrx).
$NS sysctl -qw "net.ipv6.conf.${P}u1.disable_ipv6=0"
for n in 2 3; do
	$NS ip addr add "$V6::$n/64" dev "${P}u1" nodad
done
# kernel_vtep6 DEV VNI LOCAL NET: DEV with 10.99.NET.2/24
kernel_vtep6() {
	$NS ip link add "$1" type vxlan id "$2" remote "$V6::1" local "$3" dstport 4789 dev "${P}u1"
	$NS ip link set "$1" address "02:99:00:00:0$4:02" up
	$NS ip addr add "10.99.$4.2/24" dev "$1"
}
kernel_vtep6 "${P}vx6" 300 "$V6::2" 4
kernel_vtep6 "${P}vx7" 400 "$V6::3" 5

it_vxlan_ini "$T/sl.ini" "$P"
it_vxlan_port "$T/sl.ini" vf flow flow 3
VF6="type=vxlan underlay=und local_ip=$V6::1 remote_ip=flow key=flow"
cat >> "$T/sl.ini" <<INI
[port:vf6]
type = vxlan
underlay = und
local_ip = $V6::1
remote_ip = flow
key = flow
ofport = 4
[neighbours]
192.0.2.2 = $U1_MAC@und
192.0.2.3 = $U1_MAC@und
INI
# the underlay capture starts now: tshark takes seconds to, sluiced too
$NS tshark -q -i "${P}u1" -f "udp port 4789" -w "$T/ul.pcap" > "$T/tshark.log" 2>&1 &
TS=$!
it_start_sluiced "$SLUICED" "$T/sl.ini"
it_of_listener
it_tap_ns "${P}vm" 10.99.1.1/24 02:99:00:00:00:01
VM="ip netns exec ${P}vm"
for n in 2 3 4 5 6; do
	$VM ip addr add "10.99.$n.1/24" dev "${P}vm"
done

# rules_to NET REMOTE_FIELD REMOTE VNI PORT: VM -> (REMOTE, VNI) for the
# inner subnet 10.99.NET.0/24, and the way back by the outer source and VNI
# (lines of one add-flows: an ovs-ofctl run costs a second on a loaded CI)
rules_to() {
	local to="set_field:$3->$2,set_field:$4->tun_id,output:$5"
	local src=${2/dst/src}
	echo "priority=10,in_port=2,ip,nw_dst=10.99.$1.0/24,actions=$to"
	echo "priority=10,in_port=2,arp,arp_tpa=10.99.$1.0/24,actions=$to"
	echo "priority=10,in_port=$5,$src=$3,tun_id=$4,actions=output:2"
}
{
	rules_to 1 tun_dst 192.0.2.2 100 3
	rules_to 2 tun_dst 192.0.2.3 200 3
	rules_to 4 tun_ipv6_dst "$V6::2" 300 4
	rules_to 5 tun_ipv6_dst "$V6::3" 400 4
	# no remote of the port's family: none at all to the IPv4 port, an
	# IPv4 one to the IPv6 port
	echo "priority=10,in_port=2,arp,arp_tpa=10.99.3.0/24,actions=output:3"
	echo "priority=11,in_port=2,arp,arp_tpa=10.99.3.99,actions=set_field:192.0.2.2->tun_dst,output:4"
	# a broadcast to both IPv6 remotes, each with its VNI (flooding)
	echo "priority=10,in_port=2,arp,arp_tpa=10.99.6.0/24,actions=set_field:$V6::2->tun_ipv6_dst,set_field:300->tun_id,output:4,set_field:$V6::3->tun_ipv6_dst,set_field:400->tun_id,output:4"
	# masked tun_dst / tun_ipv6_dst matches (a decapsulated packet's is our VTEP)
	echo "priority=5,in_port=3,tun_dst=192.0.2.0/24,actions=drop"
	echo "priority=5,in_port=4,tun_ipv6_dst=$V6::/64,actions=drop"
	# packet-ins of decapsulated packets (UDP port 9)
	echo "priority=20,in_port=3,tun_id=200,udp,tp_dst=9,actions=controller"
	echo "priority=20,in_port=4,tun_id=400,udp,tp_dst=9,actions=controller"
} > "$T/rules.txt"
$OF add-flows "$SW" "$T/rules.txt"
$OF dump-flows "$SW" > "$T/flows.txt"
[ "$(grep -c priority= "$T/flows.txt")" = 19 ] || it_fail "want 19 rules: $(cat "$T/flows.txt")"
for want in "tun_id=0x64,tun_src=192.0.2.2,in_port=3" "tun_id=0xc8,tun_src=192.0.2.3,in_port=3" \
	"set_field:192.0.2.2->tun_dst,set_field:0x64->tun_id,output:3" \
	"set_field:192.0.2.3->tun_dst,set_field:0xc8->tun_id,output:3" "tun_dst=192.0.2.0/24" \
	"tun_id=0x12c,tun_ipv6_src=$V6::2,in_port=4" "tun_id=0x190,tun_ipv6_src=$V6::3,in_port=4" \
	"set_field:$V6::2->tun_ipv6_dst,set_field:0x12c->tun_id,output:4" \
	"set_field:$V6::3->tun_ipv6_dst,set_field:0x190->tun_id,output:4" "tun_ipv6_dst=$V6::/64"; do
	grep -qF "$want" "$T/flows.txt" || it_fail "dump-flows lost '$want': $(cat "$T/flows.txt")"
done

it_await_capture "$T/tshark.log"
# VM -> each kernel VTEP (IPv6: the first frames wait for ND), then back
for n in 1 2 4 5; do
	$VM ping -c 4 -i 0.3 -W 2 "10.99.$n.2" > "$T/ping$n.log" 2>&1 ||
		it_fail "VM -> kernel VTEP of 10.99.$n.2: ping failed: $(cat "$T/ping$n.log"); $($OF dump-flows "$SW"); $("$SLCTL" -s "$T/ctl" dump-neighbours 2>&1)"
done
for dn in vx2:2 vx7:5; do
	$NS ping -c 3 -i 0.3 -W 2 -I "$P${dn%:*}" "10.99.${dn#*:}.1" > "$T/back${dn#*:}.log" 2>&1 ||
		it_fail "kernel $P${dn%:*} -> VM: ping failed: $(cat "$T/back${dn#*:}.log")"
done
$VM ping -c 2 -i 0.3 -W 1 10.99.3.2 > /dev/null 2>&1 || true
$VM ping -c 2 -i 0.3 -W 1 10.99.3.99 > /dev/null 2>&1 || true
$VM ping -c 1 -W 1 10.99.6.2 > /dev/null 2>&1 || true

# a packet-in of a decapsulated packet carries the tunnel's addresses (NXM)
stdbuf -oL $OF --unixctl="$T/ofctl.ctl" monitor "$SW" 65534 > "$T/monitor.txt" 2>&1 &
MON=$!
sleep 1.5
for _ in $(seq 20); do
	$NS bash -c 'echo tunfields > /dev/udp/10.99.2.1/9; echo tunfields > /dev/udp/10.99.5.1/9' \
		2>/dev/null || true
	sleep 0.3
	grep -q "tun_src=" "$T/monitor.txt" && grep -q "tun_ipv6_src=" "$T/monitor.txt" && break
done
kill "$MON" 2>/dev/null || true
wait "$MON" 2>/dev/null || true
grep -q "tun_src=192.0.2.3,tun_dst=192.0.2.1" "$T/monitor.txt" ||
	it_fail "packet-in without tun_src / tun_dst: $(cat "$T/monitor.txt")"
grep -q "tun_ipv6_src=$V6::3,tun_ipv6_dst=$V6::1" "$T/monitor.txt" ||
	it_fail "packet-in without tun_ipv6_src / tun_ipv6_dst: $(cat "$T/monitor.txt")"
"$SLCTL" -s "$T/ctl" drops > "$T/drops.txt" 2>&1 || true
for port in vf vf6; do
	grep -Eq "^$port +[0-9]+ +tnl_no_remote +[1-9]" "$T/drops.txt" ||
		it_fail "no tnl_no_remote counted on $port: $(cat "$T/drops.txt")"
done

# the way back matched the outer source + VNI: those rules counted packets
$OF dump-flows "$SW" > "$T/flows2.txt"
for r in "tun_src=192.0.2.2" "tun_src=192.0.2.3" "tun_ipv6_src=$V6::2" "tun_ipv6_src=$V6::3"; do
	n=$(grep "$r," "$T/flows2.txt" | sed -n 's/.*n_packets=\([0-9]*\).*/\1/p')
	[ "${n:-0}" -gt 0 ] || it_fail "$r matched nothing: $(cat "$T/flows2.txt")"
done

# run time: the IPv6 flow port deleted (its traffic stops) and added back
# with sluicectl's words (remote_ip=flow key=flow); the rules stay
"$SLCTL" -s "$T/ctl" del-port vf6 > "$T/del.txt" 2>&1 || it_fail "del-port vf6: $(cat "$T/del.txt")"
$OF dump-ports-desc "$SW" | grep -q "4(vf6)" && it_fail "vf6 still in port desc after del-port"
if $VM ping -c 2 -i 0.3 -W 1 10.99.4.2 > "$T/gone.log" 2>&1; then
	it_fail "the VM still reaches 10.99.4.2 after del-port vf6: $(cat "$T/gone.log")"
fi
# shellcheck disable=SC2086 # VF6 is words
"$SLCTL" -s "$T/ctl" add-port vf6 $VF6 ofport=4 > "$T/add.txt" 2>&1 ||
	it_fail "add-port vf6 $VF6: $(cat "$T/add.txt")"
$OF dump-ports-desc "$SW" | grep -q "4(vf6)" || it_fail "added vf6 not in port desc: $($OF dump-ports-desc "$SW")"
# the kernel forgets sluiced's VTEP: the added port's local_ip must be
# answered for again (ND), or no reply comes back
$NS ip -6 neigh flush dev "${P}u1"
[ -z "$($NS ip -6 neigh show "$V6::1")" ] || it_fail "ip neigh flush left $($NS ip -6 neigh show "$V6::1")"
for n in 4 5; do
	$VM ping -c 3 -i 0.3 -W 2 "10.99.$n.2" > "$T/again$n.log" 2>&1 ||
		it_fail "VM -> 10.99.$n.2 over the added flow port: $(cat "$T/again$n.log"); $("$SLCTL" -s "$T/ctl" dump-neighbours 2>&1)"
done
$NS ping -c 2 -i 0.3 -W 2 -I "${P}vx7" 10.99.5.1 > "$T/back5b.log" 2>&1 ||
	it_fail "kernel VTEP -> VM over the added flow port: $(cat "$T/back5b.log")"
$NS ip -6 neigh show "$V6::1" | grep -q "lladdr $U0_MAC" ||
	it_fail "the kernel did not find sluiced's VTEP again: $($NS ip -6 neigh show)"
sleep 0.5
kill "$TS"
wait "$TS" 2>/dev/null || true

# what sluiced sent: each VNI to its remote only, over both IP versions
tshark -r "$T/ul.pcap" -Y "(ip.src == 192.0.2.1 || ipv6.src == $V6::1) && vxlan" \
	-T fields -e ip.dst -e ipv6.dst -e vxlan.vni > "$T/ours.txt" 2>/dev/null
# (ip.dst lists the inner IPv4 destination too, after the outer one)
awk -F'\t' '{ split($1, d, ","); print ($2 != "" ? $2 : d[1]), $3 }' "$T/ours.txt" |
	sort | uniq -c > "$T/pairs.txt"
for want in "192.0.2.2 100" "192.0.2.3 200" "$V6::2 300" "$V6::3 400"; do
	grep -q " $want$" "$T/pairs.txt" || it_fail "no VNI ${want#* } to ${want% *}: $(cat "$T/pairs.txt")"
done
[ "$(wc -l < "$T/pairs.txt")" = 4 ] || it_fail "other (remote, VNI) pairs: $(cat "$T/pairs.txt")"
# the flooded ARP reached both remotes, each with its own VNI
tshark -r "$T/ul.pcap" -Y "ipv6.src == $V6::1 && vxlan && arp.dst.proto_ipv4 == 10.99.6.2" \
	-T fields -e ipv6.dst -e vxlan.vni 2>/dev/null | sort -u | tr '\t\n' '  ' > "$T/flood.txt"
[ "$(cat "$T/flood.txt")" = "$V6::2 300 $V6::3 400 " ] ||
	it_fail "the ARP flooded to both IPv6 remotes went to: $(cat "$T/flood.txt")"
echo "tshark: $(tr '\n' ' ' < "$T/pairs.txt")"
it_stop_sluiced_in 10
echo "PASS: vxlan flow-based ports (IPv4 and IPv6, two kernel VTEPs each, one added at run time)"
