#!/bin/bash
# Geneve ports (RFC 8926) against independent peers (issue 23): an IPv4
# Geneve port from the file (VNI 5) and an IPv6 one added with `sluicectl
# add-port` (VNI 6), each with a tap "VM". The peer on the underlay is
# scapy (scapy.contrib.geneve, always) and, where the kernel has it, a
# Linux `geneve` device:
#  - scapy sends ICMP echo requests inside Geneve, without and with
#    non-critical options: the VM's replies come back as Geneve with the
#    VNI, protocol type 0x6558 and no options;
#  - the same requests with the C bit (a critical option) or the O bit
#    (control) get no reply and count tnl_geneve_critical /
#    tnl_geneve_control on the underlay;
#  - the kernel geneve devices (if any) ping the VMs and are pinged back;
#  - tshark decodes the underlay as Geneve with VNI 5 over IPv4 and 6 over
#    IPv6, UDP source ports 49152-65535;
#  - a vxlan port on the Geneve VTEP's address and UDP port is refused.
#
#   netns gnvm4: tap gnvm4 10.97.0.1 --- [vm4] sluiced [gn4] 192.0.2.1 -> .2, key 5
#   netns gnvm6: tap gnvm6 10.96.0.1 --- [vm6]         [gn6] 2001:db8:2::1 -> ::2, key 6 (add-port)
#   root: gnu0 (af_packet, [und]) === veth === gnu1 (netns gnul) 192.0.2.2, 2001:db8:2::2
#         scapy; kernel geneve gnk4 id 5 (10.97.0.2), gnk6 id 6 (10.96.0.2) where available
# usage: test_geneve_interop.sh SLUICED   (GN_KEEP=1 keeps logs and captures in /tmp/gn-keep)
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
for c in ovs-ofctl tshark; do
	command -v $c >/dev/null || { echo "SKIP: $c missing"; exit 77; }
done
/usr/bin/python3 -c "import scapy.contrib.geneve" 2>/dev/null ||
	{ echo "SKIP: python3-scapy (scapy.contrib.geneve) missing"; exit 77; }
T=$(mktemp -d /tmp/gn-geneve.XXXXXX)
OF="ovs-ofctl -O OpenFlow13"
SLCTL=$(dirname "$SLUICED")/../sluicectl/sluicectl
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	for n in gnul gnvm4 gnvm6; do ip netns del $n 2>/dev/null || true; done
	it_del_veths gnu
	[ -n "${GN_KEEP:-}" ] && cp -r "$T" /tmp/gn-keep 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
for n in gnul gnvm4 gnvm6; do ip netns del $n 2>/dev/null || true; done

it_veths gnu
ip netns add gnul
ip link set gnu1 netns gnul
NS="ip netns exec gnul"
$NS sysctl -qw net.ipv6.conf.gnu1.disable_ipv6=0
$NS ip link set lo up
$NS ip link set gnu1 up
$NS ip addr add 192.0.2.2/24 dev gnu1
$NS ip addr add 2001:db8:2::2/64 dev gnu1 nodad
KERNEL=0
if $NS ip link add gnk4 type geneve id 5 remote 192.0.2.1 2>/dev/null; then
	KERNEL=1
	$NS ip link add gnk6 type geneve id 6 remote 2001:db8:2::1
	$NS ip link set gnk4 address 02:97:00:00:00:02 up
	$NS ip link set gnk6 address 02:96:00:00:00:02 up
	$NS ip addr add 10.97.0.2/24 dev gnk4
	$NS ip addr add 10.96.0.2/24 dev gnk6
else
	echo "note: this kernel has no geneve device: scapy is the only peer"
fi
U0_MAC=$(cat /sys/class/net/gnu0/address)
U1_MAC=$($NS cat /sys/class/net/gnu1/address)

it_tnl_ini "$T/sl.ini" gn
it_tap_port "$T/sl.ini" vm4 gnvm4 2
it_tap_port "$T/sl.ini" vm6 gnvm6 3
cat >> "$T/sl.ini" <<INI
[port:gn4]
type = geneve
underlay = und
local_ip = 192.0.2.1
remote_ip = 192.0.2.2
key = 5
ofport = 4
[neighbours]
192.0.2.2 = $U1_MAC@und
2001:db8:2::2 = $U1_MAC@und
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"
it_of_listener
it_tap_ns gnvm4 10.97.0.1/24 02:97:00:00:00:01
it_tap_ns gnvm6 10.96.0.1/24 02:96:00:00:00:01
# the peers' inner MACs: scapy answers no ARP
ip netns exec gnvm4 ip neigh replace 10.97.0.2 lladdr 02:97:00:00:00:02 dev gnvm4
ip netns exec gnvm6 ip neigh replace 10.96.0.2 lladdr 02:96:00:00:00:02 dev gnvm6

# run time: the IPv6 port added; a vxlan port on the Geneve VTEP refused
"$SLCTL" -s "$T/ctl" add-port gn6 type=geneve underlay=und local_ip=2001:db8:2::1 \
	remote_ip=2001:db8:2::2 key=6 ofport=5 > "$T/add.txt" 2>&1 ||
	it_fail "add-port gn6 failed: $(cat "$T/add.txt")"
if "$SLCTL" -s "$T/ctl" add-port vxbad type=vxlan underlay=und local_ip=192.0.2.1 \
	remote_ip=192.0.2.9 key=9 dst_port=6081 > "$T/bad.txt" 2>&1; then
	it_fail "a vxlan port on the Geneve VTEP's UDP port was accepted"
fi
grep -q "'gn4' is a geneve port" "$T/bad.txt" || it_fail "refusal without its reason: $(cat "$T/bad.txt")"
"$SLCTL" -s "$T/ctl" show > "$T/show.txt" 2>&1
grep -Eq "^gn4 +4 +geneve" "$T/show.txt" && grep -Eq "^gn6 +5 +geneve" "$T/show.txt" ||
	it_fail "show does not say geneve: $(cat "$T/show.txt")"

$OF add-flow "$SW" "priority=10,in_port=2,actions=output:4"
$OF add-flow "$SW" "priority=10,in_port=4,tun_id=5,actions=output:2"
$OF add-flow "$SW" "priority=10,in_port=3,actions=output:5"
$OF add-flow "$SW" "priority=10,in_port=5,tun_id=6,actions=output:3"

$NS tshark -q -i gnu1 -w "$T/ul.pcap" > "$T/tshark.log" 2>&1 &
TS=$!
it_await_capture "$T/tshark.log"

# scapy as the remote VTEP (geneve_peer.py: what it sends and expects)
$NS /usr/bin/python3 "$HERE/geneve_peer.py" gnu1 "$U1_MAC" "$U0_MAC" > "$T/peer.log" 2>&1 ||
	it_fail "scapy peer: $(cat "$T/peer.log")"
cat "$T/peer.log"
if [ "$KERNEL" = 1 ]; then
	ip netns exec gnvm4 ping -c 3 -i 0.3 -W 2 10.97.0.2 > "$T/p4.log" 2>&1 ||
		it_fail "VM -> kernel geneve (IPv4): $(cat "$T/p4.log")"
	ip netns exec gnvm6 ping -c 3 -i 0.3 -W 2 10.96.0.2 > "$T/p6.log" 2>&1 ||
		it_fail "VM -> kernel geneve (IPv6): $(cat "$T/p6.log")"
	$NS ping -c 3 -i 0.3 -W 2 10.97.0.1 > "$T/k4.log" 2>&1 || it_fail "kernel -> VM (v4): $(cat "$T/k4.log")"
	$NS ping -c 3 -i 0.3 -W 2 10.96.0.1 > "$T/k6.log" 2>&1 || it_fail "kernel -> VM (v6): $(cat "$T/k6.log")"
fi
sleep 1
kill "$TS"
wait "$TS" 2>/dev/null || true

tshark -r "$T/ul.pcap" -Y "ip.src == 192.0.2.1 && geneve" -T fields -e geneve.vni \
	-e geneve.proto_type -e udp.srcport -e geneve.options > "$T/v4.txt" 2>/dev/null
tshark -r "$T/ul.pcap" -Y "ipv6.src == 2001:db8:2::1 && geneve" -T fields -e geneve.vni \
	-e geneve.proto_type -e udp.srcport -e geneve.options > "$T/v6.txt" 2>/dev/null
for f in v4:5 v6:6; do
	file=$T/${f%:*}.txt vni=${f#*:}
	[ "$(wc -l < "$file")" -ge 2 ] || it_fail "tshark saw $(wc -l < "$file") Geneve frames from sluiced over ${f%:*}"
	awk -v v="$vni" -F'\t' '{ split($1, a, ","); split($2, p, ","); split($3, s, ",") }
		a[1] != v || p[1] != "0x6558" || s[1] < 49152 || s[1] > 65535 || $4 != "" { exit 1 }' \
		"$file" || it_fail "Geneve over ${f%:*}: want VNI $vni, Ethernet, no options: $(sort -u "$file")"
done
"$SLCTL" -s "$T/ctl" drops > "$T/drops.txt" 2>&1 || true
for r in tnl_geneve_critical tnl_geneve_control; do
	grep -Eq "^und +1 +$r +[1-9]" "$T/drops.txt" || it_fail "no $r counted: $(cat "$T/drops.txt")"
done
echo "tshark: $(wc -l < "$T/v4.txt") Geneve/IPv4 frames (VNI 5), $(wc -l < "$T/v6.txt") Geneve/IPv6 (VNI 6); kernel peer: $KERNEL"
it_stop_sluiced_in 10
echo "PASS: geneve interop (scapy$([ "$KERNEL" = 1 ] && echo ", kernel geneve"))"
