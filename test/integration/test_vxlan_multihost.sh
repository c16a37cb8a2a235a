#!/bin/bash
# VXLAN across hosts (issue 23): three sluiced, each in its own network
# namespace ("host"), their af_packet underlay ports veths joined by a Linux
# bridge; each host has two tap "VMs" in namespaces of their own, one per
# tenant network, and the two tenants use the SAME addresses (10.95.0.H),
# kept apart by their VNI (5 and 6) alone. Fixed-remote tunnel ports, one per
# (peer host, VNI). One os-ken controller (osken/vxlan_tenants.py, in a
# namespace of its own reached over a management veth per host) programs
# the three hosts: it knows from its inventory (topology.json, written here)
# which VM of which tenant runs where, and learns each host's datapath id
# and port numbers from the switch; its rules send a VM's unicast to the
# tunnel of the host that VM runs on, flood broadcast to its VNI's tunnels
# and deliver a tunnel's frames to that VNI's VM. Checked: the controller
# confirmed every host's rules (barrier) without an error; every VM pings
# the other hosts' VM of its VNI; every unicast rule of the controller
# counted packets; no frame of a VM reaches a VM of the other VNI (captures
# on the VM ports, by source MAC); tshark decodes the underlay as VXLAN with
# VNIs 5 and 6 only and several UDP source ports. Twice: over IPv4 with
# neighbours resolved by ARP (no static entry), and over IPv6 with a static
# [neighbours] table (no ND needed, none answered needed).
#
#   v2vmHa (VNI 5) --tap-- [sluiced in v2hH] --tap-- v2vmHb (VNI 6)     H = 1, 2, 3
#                           |                 \ v2cH -- v2kH: os-ken in v2ctl
#                           | af_packet v2hH (veth v2hH / v2bH)
#                    bridge v2br (root namespace), tcpdump on it
# usage: test_vxlan_multihost.sh SLUICED [CASE...]   CASE: 4:0 (IPv4, ARP), 6:1 (IPv6, static)
# Env: VXMH_NET: the two-letter prefix of every namespace, interface and
# EAL file prefix (default v2), so that two runs on one machine do not meet.
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
OSKEN=/usr/bin/osken-manager
for c in ovs-ofctl tshark tcpdump "$OSKEN"; do
	command -v $c >/dev/null || { echo "SKIP: $c missing"; exit 77; }
done
modprobe vxlan 2>/dev/null || true
N=${VXMH_NET:-v2}
CTLPORT=17300 # inside the controller's own namespace
T=$(mktemp -d /tmp/$N-mh.XXXXXX)
SLCTL=$(dirname "$SLUICED")/../sluicectl/sluicectl
PIDS=()
APP=
TSP=
NSS=(${N}h1 ${N}h2 ${N}h3 ${N}vm1a ${N}vm1b ${N}vm2a ${N}vm2b ${N}vm3a ${N}vm3b ${N}ctl)
stop_pids() { # PID...: SIGTERM, up to 10 s each, then SIGKILL (a wedged child must not hang the test)
	local p i
	for p in "$@"; do kill "$p" 2>/dev/null || true; done
	for p in "$@"; do
		for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}
cleanup() {
	stop_pids "${PIDS[@]}" $APP $TSP
	for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
	for h in 1 2 3; do ip link del ${N}b$h 2>/dev/null || true; rm -rf /var/run/dpdk/$N-mh$h-$$; done
	ip link del ${N}br 2>/dev/null || true
	[ -n "${V2_KEEP:-}" ] && cp -r "$T" /tmp/$N-keep 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
fail() { for h in 1 2 3; do echo "--- host $h"; cat "$T/h$h.log" 2>/dev/null; done; echo "--- controller"; tail -30 "$T/app.log" 2>/dev/null; echo "FAIL: $*"; exit 1; }
phase() { echo "[${SECONDS}s] $*"; }
dpid() { echo $((0x950000 + $1)); } # HOST: its datapath id
mac() { echo "02:95:00:00:0$1:0$([ "$2" = a ] && echo 5 || echo 6)"; } # HOST VM

underlay() { # the bridge and one veth per host, its end in the host's namespace;
	# the controller's namespace with a management veth to each host
	for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
	ip link del ${N}br 2>/dev/null || true
	ip link add ${N}br type bridge
	sysctl -qw net.ipv6.conf.${N}br.disable_ipv6=1 || true
	ip link set ${N}br up
	ip netns add ${N}ctl
	ip -n ${N}ctl link set lo up
	for h in 1 2 3; do
		ip link del ${N}b$h 2>/dev/null || true
		ip link add ${N}b$h type veth peer name ${N}h$h
		sysctl -qw net.ipv6.conf.${N}b$h.disable_ipv6=1 || true
		ip link set ${N}b$h master ${N}br up
		ip netns add ${N}h$h
		ip link set ${N}h$h netns ${N}h$h
		ip netns exec ${N}h$h sysctl -qw net.ipv6.conf.${N}h$h.disable_ipv6=1 || true
		ip -n ${N}h$h link set lo up
		ip -n ${N}h$h link set ${N}h$h up
		ip -n ${N}h$h link add ${N}c$h type veth peer name ${N}k$h netns ${N}ctl
		ip -n ${N}h$h addr add 10.96.$h.2/24 dev ${N}c$h
		ip -n ${N}h$h link set ${N}c$h up
		ip -n ${N}ctl addr add 10.96.$h.1/24 dev ${N}k$h
		ip -n ${N}ctl link set ${N}k$h up
	done
}

vtep() { # FAMILY HOST
	[ "$1" = 4 ] && echo "192.0.2.1$2" || echo "2001:db8:5::1$2"
}

config() { # FAMILY HOST STATIC(0/1): tunnel ports without an ofport, the controller learns them
	local f=$1 h=$2 p
	cat <<INI
[switch]
main_lcore = 0
workers = 1
datapath_id = $(printf '0x%x' "$(dpid "$h")")
mbufs_per_socket = 4096
mgmt_socket = $T/ctl$h
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=$N-mh$h-$$ --log-level=lib.eal:warning
[openflow]
controllers = tcp:10.96.$h.1:$CTLPORT
max_backoff = 1
listen = ptcp:0
fail_mode = secure
[port:und]
type = afpacket
iface = ${N}h$h
ofport = 1
[port:vma]
type = dpdk
devargs = net_tap_${N}vm${h}a$$,iface=${N}vm${h}a
[port:vmb]
type = dpdk
devargs = net_tap_${N}vm${h}b$$,iface=${N}vm${h}b
INI
	for p in 1 2 3; do
		[ "$p" = "$h" ] && continue
		for vni in 5 6; do
			printf '[port:vx%s_%s]\ntype = vxlan\nunderlay = und\nlocal_ip = %s\nremote_ip = %s\nkey = %s\n' \
				"$p" "$vni" "$(vtep "$f" "$h")" "$(vtep "$f" "$p")" "$vni"
		done
	done
	if [ "$3" = 1 ]; then
		echo "[neighbours]"
		for p in 1 2 3; do
			[ "$p" = "$h" ] || echo "$(vtep "$f" "$p") = $(ip netns exec ${N}h$p cat /sys/class/net/${N}h$p/address)@und"
		done
	fi
}

topology() { # the controller's inventory: which VM runs where, which tunnel leads where
	local h p l vni sep1="" sep2 sep3
	printf '{"hosts": {'
	for h in 1 2 3; do
		printf '%s"%s": {"vms": [' "$sep1" "$(dpid $h)"
		sep1=", " sep2=""
		for l in a b; do
			printf '%s{"port": "vm%s", "vni": %s, "mac": "%s"}' "$sep2" $l \
				"$([ $l = a ] && echo 5 || echo 6)" "$(mac $h $l)"
			sep2=", "
		done
		printf '], "tunnels": ['
		sep3=""
		for p in 1 2 3; do
			[ "$p" = "$h" ] && continue
			for vni in 5 6; do
				printf '%s{"port": "vx%s_%s", "peer": "%s", "vni": %s}' "$sep3" $p $vni "$(dpid $p)" $vni
				sep3=", "
			done
		done
		printf ']}'
	done
	printf '}}\n'
}

start_hosts() { # FAMILY STATIC: the three at once, then the VMs' namespaces
	local h i of l
	for h in 1 2 3; do
		config "$1" "$h" "$2" > "$T/h$h.ini"
		ip netns exec ${N}h$h "$SLUICED" -c "$T/h$h.ini" > "$T/h$h.log" 2>&1 &
		PIDS+=($!)
	done
	for h in 1 2 3; do
		for i in $(seq 600); do
			grep -q "sluiced: forwarding" "$T/h$h.log" && break
			kill -0 "${PIDS[$((h - 1))]}" 2>/dev/null || fail "host $h exited"
			sleep 0.1
		done
		grep -q "sluiced: forwarding" "$T/h$h.log" || fail "host $h did not start"
		of=$(ip netns exec ${N}h$h ss -Htlnp | sed -n "s/.*127.0.0.1:\([0-9]*\) .*sluiced.*/\1/p" | head -1)
		[ -n "$of" ] || fail "host $h: no OpenFlow listener"
		echo "$of" > "$T/of$h"
		for l in a b; do # the VMs: taps into namespaces of their own, same addresses in both tenants
			ip netns add ${N}vm$h$l
			ip netns exec ${N}h$h ip link set ${N}vm$h$l netns ${N}vm$h$l
			ip -n ${N}vm$h$l link set lo up
			ip -n ${N}vm$h$l link set ${N}vm$h$l address "$(mac $h $l)" up
			ip -n ${N}vm$h$l addr add 10.95.0.$h/24 dev ${N}vm$h$l
		done
	done
}

ofctl() { # HOST VERB ARGS...: ovs-ofctl on the host's listener (a service connection)
	local h=$1 v=$2
	shift 2
	ip netns exec ${N}h$h ovs-ofctl -O OpenFlow13 "$v" "tcp:127.0.0.1:$(cat "$T/of$h")" "$@"
}

controller() { # the os-ken app in its namespace, listening before the hosts start
	rm -f "$T/app.programmed" "$T/app.errors"
	topology > "$T/topology.json"
	ip netns exec ${N}ctl env SL_OSKEN_DIR="$T" SL_OSKEN_NAME=app PYTHONPATH="$HERE/osken" \
		/usr/bin/python3 "$OSKEN" --ofp-listen-host 0.0.0.0 --ofp-tcp-listen-port $CTLPORT \
		"$HERE/osken/vxlan_tenants.py" > "$T/app.log" 2>&1 &
	APP=$!
}

wait_programmed() { # until the controller confirmed every host's rules (barrier replies)
	local i
	for i in $(seq 600); do
		[ -s "$T/app.errors" ] && fail "controller: $(cat "$T/app.errors")"
		[ -s "$T/app.programmed" ] && [ "$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/app.programmed")" = 3 ] && return 0
		kill -0 "$APP" 2>/dev/null || fail "the controller exited"
		sleep 0.1
	done
	fail "the controller did not program the three hosts: $(cat "$T/app.programmed" 2>/dev/null)"
}

run_case() { # FAMILY STATIC
	local f=$1 st=$2 h p l x pid hl
	underlay
	PIDS=()
	# the underlay capture first: the hosts resolve their fixed remotes as
	# soon as they start (ARP/ND), before any ping
	tcpdump -U -n -i ${N}br -w "$T/ul$f.pcap" "udp port 4789 or arp or icmp6" > "$T/ts.log" 2>&1 &
	TSP=$!
	controller
	for _ in $(seq 600); do
		grep -q "listening on" "$T/ts.log" 2>/dev/null && break
		sleep 0.1
	done
	phase "IPv$f: underlay capture running"
	start_hosts "$f" "$st"
	phase "IPv$f: hosts forwarding"
	wait_programmed
	phase "IPv$f: controller confirmed the three hosts' rules"
	# the VMs' captures (tcpdump, as the underlay's: it starts in a blink,
	# where tshark takes seconds of CPU each on a loaded machine; tshark
	# decodes the underlay's afterwards)
	for h in 1 2 3; do for l in a b; do
		ip netns exec ${N}vm$h$l tcpdump -U -n -i ${N}vm$h$l -w "$T/vm$h$l.pcap" > "$T/td$h$l.log" 2>&1 &
		PIDS+=($!)
	done; done
	for _ in $(seq 600); do
		[ "$(cat "$T"/td*.log 2>/dev/null | grep -c "listening on")" -ge 6 ] && break
		sleep 0.1
	done
	phase "IPv$f: captures running"
	# the twelve pings at once (each VM to the other hosts' VM of its VNI)
	local pings=()
	for h in 1 2 3; do for p in 1 2 3; do for l in a b; do
		[ "$h" = "$p" ] && continue
		ip netns exec ${N}vm$h$l ping -c 2 -i 0.3 -W 5 10.95.0.$p > "$T/ping$h$l$p.log" 2>&1 &
		pings+=("$!:$h$l:$p")
	done; done; done
	for x in "${pings[@]}"; do
		IFS=: read -r pid hl p <<< "$x"
		wait "$pid" ||
			fail "IPv$f: VM $hl cannot ping 10.95.0.$p (its VNI's VM on host $p): $(cat "$T/ping$hl$p.log"); $("$SLCTL" -s "$T/ctl${hl%?}" dump-neighbours 2>&1)"
	done
	# the controller's unicast rules (priority 100: a VM to a remote VM's
	# MAC, a tunnel to a local VM's MAC) carried the pings: no unicast was
	# flooded; and no other controller's rule is there
	for h in 1 2 3; do
		ofctl $h dump-flows --no-names > "$T/flows$h.txt"
		[ "$(grep -c "priority=100" "$T/flows$h.txt")" = 8 ] || fail "host $h: want 8 unicast rules: $(cat "$T/flows$h.txt")"
		! grep "priority=100" "$T/flows$h.txt" | grep -q "n_packets=0," ||
			fail "host $h: a unicast rule of the controller carried nothing: $(cat "$T/flows$h.txt")"
		! grep -v "cookie=0x7e23" "$T/flows$h.txt" | grep -q "priority=" ||
			fail "host $h: a rule not from the controller: $(cat "$T/flows$h.txt")"
	done
	sleep 1 # the last replies onto the captures
	stop_pids "$TSP" "${PIDS[@]:3}"
	TSP=
	phase "IPv$f: pings done"
	# no frame from a VNI 5 VM reaches a VNI 6 VM and the other way (the
	# source MACs each VM port saw; and each saw its peers' frames)
	for h in 1 2 3; do for l in a b; do
		tcpdump -r "$T/vm$h$l.pcap" -nn -e 2>/dev/null | awk '{ print $2 }' | sort -u > "$T/src$h$l.txt"
		for p in 1 2 3; do
			[ "$p" = "$h" ] && continue
			grep -qx "$(mac $p $l)" "$T/src$h$l.txt" ||
				fail "IPv$f: VM $h$l saw no frame of VM $p$l: $(tr '\n' ' ' < "$T/src$h$l.txt")"
			! grep -qx "$(mac $p "$([ $l = a ] && echo b || echo a)")" "$T/src$h$l.txt" ||
				fail "IPv$f: a frame of the other VNI's VM on host $p reached VM $h$l"
		done
	done; done
	# one read of the underlay: VXLAN frames (VNI, outer and inner UDP
	# source ports) and the outer ARP / NS (no VNI on their line)
	tshark -r "$T/ul$f.pcap" -Y "vxlan || arp || icmpv6.type == 135" -T fields \
		-e vxlan.vni -e udp.srcport -e arp.opcode -e icmpv6.type > "$T/ul.txt" 2>/dev/null
	awk -F'\t' '$1 != ""' "$T/ul.txt" > "$T/vx.txt"
	[ "$(cut -f1 "$T/vx.txt" | sort -u | tr '\n' ' ')" = "5 6 " ] ||
		fail "IPv$f underlay: want VNIs 5 and 6, got $(cut -f1 "$T/vx.txt" | sort -u | tr '\n' ' ')"
	[ "$(cut -f2 "$T/vx.txt" | cut -d, -f1 | sort -u | wc -l)" -ge 2 ] ||
		fail "IPv$f underlay: one UDP source port for every flow"
	if [ "$st" = 0 ]; then
		# outer frames only: the VMs' own ARP rides inside VXLAN
		[ "$(awk -F'\t' '$1 == "" && $3 == "2"' "$T/ul.txt" | wc -l)" -ge 2 ] ||
			fail "IPv$f: no ARP replies between the hosts"
	else
		[ "$(awk -F'\t' '$1 == "" && ($3 != "" || $4 ~ /135/)' "$T/ul.txt" | wc -l)" = 0 ] ||
			fail "IPv$f with static neighbours: ARP / NS on the underlay"
	fi
	for h in 1 2 3; do
		"$SLCTL" -s "$T/ctl$h" dump-neighbours > "$T/n$h.txt" 2>&1
		[ "$(grep -cE "reachable|static" "$T/n$h.txt")" -ge 2 ] || fail "host $h neighbours: $(cat "$T/n$h.txt")"
	done
	echo "IPv$f ($([ "$st" = 1 ] && echo static || echo ARP) neighbours): controller rules $(grep -c priority= "$T/flows1.txt") per host, $(wc -l < "$T/vx.txt") VXLAN frames, VNIs 5 6, $(cut -f2 "$T/vx.txt" | cut -d, -f1 | sort -u | wc -l) UDP source ports"
	stop_pids "${PIDS[@]:0:3}" "$APP"
	APP=
}

shift
for c in ${*:-4:0 6:1}; do # FAMILY:STATIC
	run_case "${c%:*}" "${c#*:}"
done
echo "PASS: vxlan across three hosts programmed by an os-ken controller, two tenants with the same addresses, IPv4 (ARP) and IPv6 (static)"
