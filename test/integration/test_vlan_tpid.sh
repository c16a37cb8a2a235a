#!/bin/bash
# 802.1ad outer tags through kernel-interface ports (issue 25, defect 3):
# scapy sends 802.1Q, 802.1ad, QinQ (88a8/8100, 8100/8100), 0x9100, a
# priority-tagged 802.1ad and a PBB frame into one port's interface and
# judges, byte for byte, what leaves the other (both directions); then rules
# that match vlan_vid and pop or push tags (push_vlan 0x8100 on an 802.1ad
# frame, push_vlan 0x88a8 out of the port).
#
# The kernel takes the outer 802.1Q/802.1ad tag off every frame it receives
# and reports it beside the frame (tp_vlan_tci, tp_vlan_tpid); DPDK 22.11's
# net_af_packet puts it back as 0x8100 whatever the TPID was.
#
# usage: test_vlan_tpid.sh SLUICED [afpacket|pmd|tap]
#   afpacket (default): [port] type = afpacket (Sluice's own PACKET_MMAP port)
#   pmd: type = dpdk, devargs net_af_packet (fails: the defect)
#   tap: type = dpdk, devargs net_tap (the tap PMD reads frames in-line)
set -euo pipefail
SLUICED=${1:?path to sluiced}
MODE=${2:-afpacket}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
/usr/bin/python3 -c 'import scapy' 2>/dev/null ||
	{ echo "SKIP: scapy missing (package python3-scapy)"; exit 77; }
command -v ovs-ofctl >/dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }
T=$(mktemp -d /tmp/h6-tpid.XXXXXX)
OF="ovs-ofctl -O OpenFlow13"
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	it_del_veths h6tpa h6tpb
	rm -rf "$T"
}
trap cleanup EXIT

port_section() { # NAME IFACE OFPORT
	case $MODE in
	# port a: two rx queues (a fanout group); both: a 9000-byte MTU
	afpacket) printf '[port:%s]\ntype = afpacket\niface = %s0\nofport = %s\nmtu = 9000\n%s\n' \
		"$1" "$2" "$3" "$([ "$1" = a ] && echo 'queues = 2')" ;;
	pmd) printf '[port:%s]\ntype = dpdk\ndevargs = net_af_packet_%s%s,iface=%s0\nofport = %s\n' \
		"$1" "$2" "$$" "$2" "$3" ;;
	tap) printf '[port:%s]\ntype = dpdk\ndevargs = net_tap_%s%s,iface=%s1\nofport = %s\n' \
		"$1" "$2" "$$" "$2" "$3" ;;
	*) echo "unknown mode $MODE"; exit 2 ;;
	esac
}

# The kernel side scapy talks to: the veth peers NAME1, or (tap) the tap
# interfaces themselves, which the tap PMD names NAME1.
[ "$MODE" = tap ] || it_veths h6tpa h6tpb
if [ "$MODE" = afpacket ]; then # the switch's side gets its MTU from sluiced
	for i in h6tpa1 h6tpb1; do ip link set "$i" mtu 9000; done
fi
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $T/ctl
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=h6-tpid-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:0
fail_mode = secure
$(port_section a h6tpa 1)
$(port_section b h6tpb 2)
INI
# afpacket: a port on an interface that does not exist fails alone
[ "$MODE" = afpacket ] && printf '[port:c]\ntype = afpacket\niface = h6tpnone0\nofport = 3\n' >> "$T/sl.ini"
it_start_sluiced "$SLUICED" "$T/sl.ini"
[ "$MODE" != afpacket ] || grep -q 'port c .*failed: no network interface "h6tpnone0"' "$T/log" ||
	it_fail "port c on a missing interface: no clear error"
# ptcp:0: the kernel chose the listener's port; ss knows it
it_of_listener
if [ "$MODE" = tap ]; then
	for i in h6tpa1 h6tpb1; do
		sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1" || true
		ip link set "$i" up
	done
fi

$OF add-flow $SW "priority=10,in_port=1,actions=output:2"
$OF add-flow $SW "priority=10,in_port=2,actions=output:1"
$OF add-flow $SW "priority=30,in_port=1,dl_vlan=555,actions=pop_vlan,output:2"
$OF add-flow $SW "priority=30,in_port=1,dl_vlan=556,actions=push_vlan:0x8100,output:2"
$OF add-flow $SW "priority=30,in_port=1,dl_vlan=557,actions=push_vlan:0x88a8,output:2"
$OF add-flow $SW "priority=30,in_port=1,ip,nw_dst=10.6.6.9,actions=push_vlan:0x88a8,set_field:4138->vlan_vid,output:2"

fails=0
PH1="q ad ad0 qinq qq x9100 pbb adbig"
[ "$MODE" = afpacket ] && PH1="$PH1 adjumbo"
echo "== $MODE: port 1 -> port 2, as they are"
/usr/bin/python3 "$HERE/tpid_tool.py" run h6tpa1 h6tpb1 $PH1 || fails=$((fails + 1))
echo "== $MODE: port 2 -> port 1, as they are"
/usr/bin/python3 "$HERE/tpid_tool.py" run h6tpb1 h6tpa1 $PH1 || fails=$((fails + 1))
echo "== $MODE: port 1 -> port 2, rules on vlan_vid: pop_vlan, push_vlan 0x8100 / 0x88a8"
/usr/bin/python3 "$HERE/tpid_tool.py" run h6tpa1 h6tpb1 pop pushq pushad pushad0 ||
	fails=$((fails + 1))
$OF dump-flows $SW | grep -v "n_packets=0," || true

[ "$fails" = 0 ] || it_fail "$MODE: $fails phase(s) saw frames with a wrong tag stack"

# the port's counters reach sluicectl: each frame received on one port was
# sent on the other (phase 1 both ways, phase 3 one way; a tap interface
# also carries what the kernel itself sent on it before IPv6 was off)
n1=$(echo $PH1 | wc -w)
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
"$CTL" -s "$T/ctl" --json show | /usr/bin/python3 -c '
import json, sys
mode, n1 = sys.argv[1], int(sys.argv[2])
p = {r["port"]: r for r in json.load(sys.stdin)["ports"]}
want = "afpacket" if mode == "afpacket" else "dpdk"
assert p["a"]["type"] == want and p["b"]["type"] == want, p
if mode == "afpacket":
    assert p["a"]["rx_packets"] == p["b"]["tx_packets"] == n1 + 4, p
    assert p["b"]["rx_packets"] == p["a"]["tx_packets"] == n1, p
assert p["a"]["rx_packets"] >= n1 + 4 and p["b"]["rx_packets"] >= n1, p
assert p["a"]["rx_dropped"] == 0 and p["b"]["rx_dropped"] == 0, p
print("ok: sluicectl show:", {k: (v["type"], v["rx_packets"], v["tx_packets"]) for k, v in p.items()})
' "$MODE" "$n1" || it_fail "sluicectl show: $("$CTL" -s "$T/ctl" show)"
it_stop_sluiced
echo "ok: $MODE ports keep every frame's tags and TPIDs, both ways"
