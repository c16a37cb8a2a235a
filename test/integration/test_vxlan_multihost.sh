#!/bin/bash
# VXLAN across hosts (issue 23): three sluiced, each in its own network
# namespace ("host"), their af_packet underlay ports veths joined by a Linux
# bridge; each host has two tap "VMs" in namespaces of their own, one per
# tenant network, and the two tenants use the SAME addresses (10.95.0.H),
# kept apart by their VNI (5 and 6) alone. Fixed-remote tunnel ports, one per
# (peer host, VNI); the rules flood a VM's frames to its VNI's tunnels and
# deliver a tunnel's frames to that VNI's VM. Checked: every VM pings the
# other hosts' VM of its VNI; no frame of a VM reaches a VM of the other VNI
# (captures on the VM ports, by source MAC); tshark decodes the underlay as
# VXLAN with VNIs 5 and 6 only and several UDP source ports. Twice: over
# IPv4 with neighbours resolved by ARP (no static entry), and over IPv6 with
# a static [neighbours] table (no ND needed, none answered needed).
#
#   v2vmHa (VNI 5) --tap-- [sluiced in v2hH] --tap-- v2vmHb (VNI 6)     H = 1, 2, 3
#                               | af_packet v2hH (veth v2hH / v2bH)
#                        bridge v2br (root namespace), tshark on it
# usage: test_vxlan_multihost.sh SLUICED [CASE...]   CASE: 4:0 (IPv4, ARP), 6:1 (IPv6, static)
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
for c in ovs-ofctl tshark; do
	command -v $c >/dev/null || { echo "SKIP: $c missing"; exit 77; }
done
modprobe vxlan 2>/dev/null || true
T=$(mktemp -d /tmp/v2-mh.XXXXXX)
SLCTL=$(dirname "$SLUICED")/../sluicectl/sluicectl
PIDS=()
NSS=(v2h1 v2h2 v2h3 v2vm1a v2vm1b v2vm2a v2vm2b v2vm3a v2vm3b)
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
	for h in 1 2 3; do ip link del v2b$h 2>/dev/null || true; done
	ip link del v2br 2>/dev/null || true
	[ -n "${V2_KEEP:-}" ] && cp -r "$T" /tmp/v2-keep 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
fail() { for h in 1 2 3; do echo "--- host $h"; cat "$T/h$h.log" 2>/dev/null; done; echo "FAIL: $*"; exit 1; }

underlay() { # FAMILY: the bridge and one veth per host, its end in the host's namespace
	for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
	ip link del v2br 2>/dev/null || true
	ip link add v2br type bridge
	sysctl -qw net.ipv6.conf.v2br.disable_ipv6=1 || true
	ip link set v2br up
	for h in 1 2 3; do
		ip link del v2b$h 2>/dev/null || true
		ip link add v2b$h type veth peer name v2h$h
		sysctl -qw net.ipv6.conf.v2b$h.disable_ipv6=1 || true
		ip link set v2b$h master v2br up
		ip netns add v2h$h
		ip link set v2h$h netns v2h$h
		ip netns exec v2h$h sysctl -qw net.ipv6.conf.v2h$h.disable_ipv6=1 || true
		ip netns exec v2h$h ip link set lo up
		ip netns exec v2h$h ip link set v2h$h up
	done
}

vtep() { # FAMILY HOST
	[ "$1" = 4 ] && echo "192.0.2.1$2" || echo "2001:db8:5::1$2"
}

config() { # FAMILY HOST STATIC(0/1)
	local f=$1 h=$2 p n=3
	cat <<INI
[switch]
main_lcore = 0
workers = 1
mbufs_per_socket = 4096
mgmt_socket = $T/ctl$h
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=v2-mh$h-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:0
fail_mode = secure
[port:und]
type = afpacket
iface = v2h$h
ofport = 1
[port:vma]
type = dpdk
devargs = net_tap_v2vm${h}a$$,iface=v2vm${h}a
ofport = 2
[port:vmb]
type = dpdk
devargs = net_tap_v2vm${h}b$$,iface=v2vm${h}b
ofport = 3
INI
	for p in 1 2 3; do
		[ "$p" = "$h" ] && continue
		for vni in 5 6; do
			n=$((n + 1))
			printf '[port:vx%s_%s]\ntype = vxlan\nunderlay = und\nlocal_ip = %s\nremote_ip = %s\nkey = %s\nofport = %s\n' \
				"$p" "$vni" "$(vtep "$f" "$h")" "$(vtep "$f" "$p")" "$vni" "$n"
		done
	done
	if [ "$3" = 1 ]; then
		echo "[neighbours]"
		for p in 1 2 3; do
			[ "$p" = "$h" ] || echo "$(vtep "$f" "$p") = $(ip netns exec v2h$p cat /sys/class/net/v2h$p/address)@und"
		done
	fi
}

start_host() { # FAMILY HOST STATIC
	local h=$2 of i
	config "$1" "$h" "$3" > "$T/h$h.ini"
	ip netns exec v2h$h "$SLUICED" -c "$T/h$h.ini" > "$T/h$h.log" 2>&1 &
	PIDS+=($!)
	for i in $(seq 200); do
		grep -q "sluiced: forwarding" "$T/h$h.log" && break
		sleep 0.1
	done
	grep -q "sluiced: forwarding" "$T/h$h.log" || fail "host $h did not start"
	of=$(ip netns exec v2h$h ss -Htlnp | sed -n "s/.*127.0.0.1:\([0-9]*\) .*sluiced.*/\1/p" | head -1)
	[ -n "$of" ] || fail "host $h: no OpenFlow listener"
	echo "$of" > "$T/of$h"
	for l in a b; do # the VMs: taps into namespaces of their own, same addresses in both tenants
		ip netns add v2vm$h$l
		ip netns exec v2h$h ip link set v2vm$h$l netns v2vm$h$l
		ip netns exec v2vm$h$l ip link set lo up
		ip netns exec v2vm$h$l ip link set v2vm$h$l address 02:95:00:00:0$h:0$([ $l = a ] && echo 5 || echo 6) up
		ip netns exec v2vm$h$l ip addr add 10.95.0.$h/24 dev v2vm$h$l
	done
}

rules() { # HOST: a VM floods to its VNI's tunnels; a tunnel delivers to its VNI's VM
	local h=$1 sw n=3 p a5="" a6=""
	sw=tcp:127.0.0.1:$(cat "$T/of$h")
	for p in 1 2 3; do
		[ "$p" = "$h" ] && continue
		a5="$a5,output:$((n + 1))"
		a6="$a6,output:$((n + 2))"
		ip netns exec v2h$h ovs-ofctl -O OpenFlow13 add-flow "$sw" "in_port=$((n + 1)),tun_id=5,actions=output:2"
		ip netns exec v2h$h ovs-ofctl -O OpenFlow13 add-flow "$sw" "in_port=$((n + 2)),tun_id=6,actions=output:3"
		n=$((n + 2))
	done
	ip netns exec v2h$h ovs-ofctl -O OpenFlow13 add-flow "$sw" "in_port=2,actions=${a5#,}"
	ip netns exec v2h$h ovs-ofctl -O OpenFlow13 add-flow "$sw" "in_port=3,actions=${a6#,}"
}

run_case() { # FAMILY STATIC
	local f=$1 st=$2 h p l tsp
	underlay
	if [ "$f" = 6 ]; then
		for h in 1 2 3; do ip netns exec v2h$h sysctl -qw net.ipv6.conf.v2h$h.disable_ipv6=1; done
	fi
	PIDS=()
	# the underlay capture first: the hosts resolve their fixed remotes as
	# soon as they start (ARP/ND), before any ping
	tshark -q -i v2br -f "udp port 4789 or arp or icmp6" -w "$T/ul$f.pcap" > "$T/ts.log" 2>&1 &
	tsp=$!
	for _ in $(seq 200); do
		grep -q "Capture started" "$T/ts.log" 2>/dev/null && break
		sleep 0.1
	done
	for h in 1 2 3; do start_host "$f" "$h" "$st"; rules "$h"; done
	for h in 1 2 3; do for l in a b; do
		ip netns exec v2vm$h$l tshark -q -i v2vm$h$l -w "$T/vm$h$l.pcap" > "$T/ts$h$l.log" 2>&1 &
		PIDS+=($!)
	done; done
	for _ in $(seq 200); do
		[ "$(cat "$T"/ts*.log 2>/dev/null | grep -c "Capture started")" -ge 7 ] && break
		sleep 0.1
	done
	for h in 1 2 3; do for p in 1 2 3; do for l in a b; do
		[ "$h" = "$p" ] && continue
		ip netns exec v2vm$h$l ping -c 2 -i 0.3 -W 3 10.95.0.$p > "$T/ping.log" 2>&1 ||
			fail "IPv$f: VM $h$l cannot ping 10.95.0.$p (its VNI's VM on host $p): $(cat "$T/ping.log"); $("$SLCTL" -s "$T/ctl$h" dump-neighbours 2>&1)"
	done; done; done
	sleep 1
	kill "$tsp"; wait "$tsp" 2>/dev/null || true
	for p in "${PIDS[@]:3}"; do kill "$p" 2>/dev/null || true; done
	sleep 1
	# no frame from a VNI 5 VM reaches a VNI 6 VM and the other way
	for h in 1 2 3; do for p in 1 2 3; do
		[ "$(tshark -r "$T/vm${h}b.pcap" -Y "eth.src == 02:95:00:00:0$p:05" 2>/dev/null | wc -l)" = 0 ] ||
			fail "IPv$f: a frame of VM ${p}a (VNI 5) reached VM ${h}b (VNI 6)"
		[ "$(tshark -r "$T/vm${h}a.pcap" -Y "eth.src == 02:95:00:00:0$p:06" 2>/dev/null | wc -l)" = 0 ] ||
			fail "IPv$f: a frame of VM ${p}b (VNI 6) reached VM ${h}a (VNI 5)"
	done; done
	tshark -r "$T/ul$f.pcap" -Y vxlan -T fields -e vxlan.vni -e udp.srcport > "$T/vx.txt" 2>/dev/null
	[ "$(cut -f1 "$T/vx.txt" | sort -u | tr '\n' ' ')" = "5 6 " ] ||
		fail "IPv$f underlay: want VNIs 5 and 6, got $(cut -f1 "$T/vx.txt" | sort -u | tr '\n' ' ')"
	[ "$(cut -f2 "$T/vx.txt" | cut -d, -f1 | sort -u | wc -l)" -ge 2 ] ||
		fail "IPv$f underlay: one UDP source port for every flow"
	if [ "$st" = 0 ]; then
		# outer frames only: the VMs' own ARP rides inside VXLAN
		[ "$(tshark -r "$T/ul$f.pcap" -Y "!vxlan && arp.opcode == 2" 2>/dev/null | wc -l)" -ge 2 ] ||
			fail "IPv$f: no ARP replies between the hosts"
	else
		[ "$(tshark -r "$T/ul$f.pcap" -Y "!vxlan && (arp || icmpv6.type == 135)" 2>/dev/null | wc -l)" = 0 ] ||
			fail "IPv$f with static neighbours: ARP / NS on the underlay"
	fi
	for h in 1 2 3; do
		"$SLCTL" -s "$T/ctl$h" dump-neighbours > "$T/n$h.txt" 2>&1
		[ "$(grep -cE "reachable|static" "$T/n$h.txt")" -ge 2 ] || fail "host $h neighbours: $(cat "$T/n$h.txt")"
	done
	echo "IPv$f ($([ "$st" = 1 ] && echo static || echo ARP) neighbours): $(wc -l < "$T/vx.txt") VXLAN frames, VNIs 5 6, $(cut -f2 "$T/vx.txt" | cut -d, -f1 | sort -u | wc -l) UDP source ports"
	for p in "${PIDS[@]:0:3}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}

shift
for c in ${*:-4:0 6:1}; do # FAMILY:STATIC
	run_case "${c%:*}" "${c#*:}"
done
echo "PASS: vxlan across three hosts, two tenants with the same addresses, IPv4 (ARP) and IPv6 (static)"
