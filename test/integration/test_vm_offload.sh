#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Guest offloads, MTU and software segmentation with real QEMU guests
# (scripts/vm/, TCG) on vhost-user ports with `offloads = yes`:
#   vm1 10.0.0.1  QEMU listens, sluiced connects; offloads = yes
#   vm2 10.0.0.2  sluiced listens; offloads = yes, mtu = 9000, and QEMU's
#                 host_mtu=9000 (VIRTIO_NET_F_MTU: the guest's largest MTU)
#   tap 10.0.0.3  a net_tap port in a network namespace of its own: the
#                 host kernel is a receiver without any offload
# Rules (fail_mode secure): ip,nw_dst=10.0.0.N -> port N.
# Phases:
#   1. features: vm1's ethtool -k shows TSO and tx checksumming on, sluiced
#      logs what each guest negotiated, vm2 refuses an MTU above 9000
#   2. iperf3 vm1 -> vm2 with the guests' offloads: TSO super-frames pass
#      whole (sluiced's vm1 rx averages more than 1514 bytes a frame);
#      counters exact (guest tx = sluiced rx = sluiced tx (+ ring full) =
#      guest rx, both ways)
#   3. iperf3 again with vm1's offloads off (ethtool -K tx off: the guest
#      cuts and checksums itself): rates of 2 and 3 reported, not judged
#   4. vm1 sends 8 MiB over TCP (busybox nc) to a receiver in the tap's
#      namespace: sluiced cuts vm1's TSO frames (rte_gso) and computes the
#      checksums; every byte arrives (the kernel checks each segment's
#      checksum), more frames leave on tap than vm1 sent (the segments,
#      counted as replicas), no frame dropped for its MTU
#   5. 9000-byte pings vm1 <-> vm2; then vm1 at MTU 9100 sends 3 pings of
#      9028 bytes: dropped for vm2's mtu (drop reason "mtu" = 3, exact)
#   6. the accounting identity over all ports (rx + replicas = tx +
#      to_controller + drops), sluiced exits 0
# usage: test_vm_offload.sh SLUICED
# Env: SL_VM_PREFIX (names, EAL prefix; default slvmo), SL_VM_OFPORT
#      (OpenFlow listener, default 16652), SL_VM_IPERF_SECONDS (4),
#      SL_VM_KEEP=1 keeps the work directory.
set -euo pipefail
SLUICED=$(readlink -f "${1:?usage: test_vm_offload.sh SLUICED}")
HERE=$(cd "$(dirname "$0")" && pwd)
VMDIR=$(cd "$HERE/../../scripts/vm" && pwd)
. "$HERE/lib.sh"
. "$HERE/vm_lib.sh"
vm_need 300

PFX=${SL_VM_PREFIX:-slvmo}
T=$(mktemp -d "/tmp/$PFX-test.XXXXXX")
FLT_PREFIX=$PFX-$$
PORT=${SL_VM_OFPORT:-16652}
SW=tcp:127.0.0.1:$PORT
OF="ovs-ofctl -O OpenFlow13"
SECS=${SL_VM_IPERF_SECONDS:-4}
TAP=${PFX}t$$
TAP=${TAP:0:15}
NS=$PFX-ns-$$
PID=
cleanup() {
	vm_kill
	[ -n "$PID" ] && kill "$PID" 2> /dev/null || true
	wait 2> /dev/null || true
	ip netns del "$NS" 2> /dev/null || true
	rm -rf "/var/run/dpdk/$FLT_PREFIX"
	if [ "${SL_VM_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap '' PIPE
fail() {
	local f
	for f in "$T"/vm*.console "$T"/qemu-*.log; do
		[ -s "$f" ] && { echo "----- $f"; tail -20 "$f"; }
	done
	grep -v '^VHOST_CONFIG' "$T/log" | tail -40
	echo "FAIL: $*"
	exit 1
}
it_fail() { fail "$@"; }
drops() { it_tel /sluice/drops "$1" "$2"; }
pstat() { it_tel /sluice/ports "$1" "$2"; }

# ---- set-up -------------------------------------------------------------------
it_flt_ini "$T/sluiced.ini" "$PORT" "fail_mode = secure" "mgmt_socket = $T/sluiced.ctl"
cat >> "$T/sluiced.ini" <<INI
[port:vm1]
type = vhost-user
path = $T/vm1.sock
mode = client
offloads = yes
ofport = 1
[port:vm2]
type = vhost-user
path = $T/vm2.sock
mode = server
offloads = yes
mtu = 9000
ofport = 2
[port:tap]
type = dpdk
devargs = net_tap_$PFX,iface=$TAP,mac=52:54:00:00:00:03
ofport = 3
INI
it_start_sluiced "$SLUICED" "$T/sluiced.ini"
vm_start vm1 "$T/vm1.sock" server 10.0.0.1/24
SL_VM_HOST_MTU=9000 vm_start vm2 "$T/vm2.sock" client 10.0.0.2/24
ip netns add "$NS"
ip link set "$TAP" netns "$NS"
ip netns exec "$NS" sh -c "sysctl -qw net.ipv6.conf.$TAP.disable_ipv6=1 &&
	ip addr add 10.0.0.3/24 dev $TAP && ip link set $TAP up &&
	ip neigh replace 10.0.0.1 lladdr 52:54:00:00:00:01 dev $TAP" || fail "netns set-up"
t0=$SECONDS
vm_ready vm1 vm2
echo "guests up in $((SECONDS - t0)) s"
vm_g vm1 -- "arp -s 10.0.0.2 52:54:00:00:00:02 && arp -s 10.0.0.3 52:54:00:00:00:03" &&
	vm_g vm2 -- "arp -s 10.0.0.1 52:54:00:00:00:01" || fail "arp -s failed"
vm_wait_links 2
for n in 1 2 3; do
	$OF add-flow "$SW" "ip,nw_dst=10.0.0.$n,actions=output:$n" || fail "add-flow failed"
done

# ---- counters -------------------------------------------------------------------
declare -A S
wait_quiet() {
	local last="" now
	for _ in $(seq 60); do
		now="$(pstat vm1 rx_packets) $(pstat vm2 rx_packets) $(pstat tap rx_packets)"
		[ "$now" = "$last" ] && return 0
		last=$now
		sleep 1
	done
	fail "traffic did not stop within 60 s"
}
snap() {
	local n=$1 rx tx p k
	wait_quiet
	read -r rx tx _ < <(vm_gstat vm1) && S[$n.g1rx]=$rx S[$n.g1tx]=$tx
	read -r rx tx _ < <(vm_gstat vm2) && S[$n.g2rx]=$rx S[$n.g2tx]=$tx
	for p in vm1 vm2 tap; do
		for k in rx_packets tx_packets tx_dropped rx_bytes; do
			S[$n.$p.$k]=$(pstat "$p" "$k")
		done
	done
}
sdelta() { echo $((${S[$2.$3]} - ${S[$1.$3]})); }
# check_exact TITLE A B: vm1 <-> vm2 frames, exact on all four sides; only
# a full guest rx ring may drop, and only into sluiced's tx_dropped.
check_exact() {
	local t=$1 a=$2 b=$3 g1tx g1rx g2tx g2rx s1rx s1tx s2rx s2tx d1 d2
	delta() { sdelta "$a" "$b" "$1"; }
	g1tx=$(delta g1tx) g1rx=$(delta g1rx) g2tx=$(delta g2tx) g2rx=$(delta g2rx)
	s1rx=$(delta vm1.rx_packets) s1tx=$(delta vm1.tx_packets) d1=$(delta vm1.tx_dropped)
	s2rx=$(delta vm2.rx_packets) s2tx=$(delta vm2.tx_packets) d2=$(delta vm2.tx_dropped)
	echo "  counters ($t): vm1 tx $g1tx -> sluiced vm1 rx $s1rx -> vm2 tx $s2tx" \
		"(+ $d2 ring full) -> vm2 rx $g2rx; vm2 tx $g2tx -> sluiced vm2 rx $s2rx ->" \
		"vm1 tx $s1tx (+ $d1) -> vm1 rx $g1rx"
	[ "$g1tx" = "$s1rx" ] && [ "$s1rx" = $((s2tx + d2)) ] && [ "$s2tx" = "$g2rx" ] ||
		fail "$t: vm1 -> vm2 counters differ"
	[ "$g2tx" = "$s2rx" ] && [ "$s2rx" = $((s1tx + d1)) ] && [ "$s1tx" = "$g1rx" ] ||
		fail "$t: vm2 -> vm1 counters differ"
}

# ---- phases ------------------------------------------------------------------------
echo "phase 1: negotiated features"
feat=$(vm_g vm1 -- "ethtool -k eth0") || fail "ethtool -k failed"
echo "$feat" | grep -E '^(tx-checksumming|tcp-segmentation-offload|scatter-gather):' |
	sed 's/^/  vm1 /'
echo "$feat" | grep -q '^tcp-segmentation-offload: on' || fail "vm1: TSO is not on"
echo "$feat" | grep -q '^tx-checksumming: on' || fail "vm1: tx checksumming is not on"
grep -o 'port vm[12]: guest offloads:.*' "$T/log" | sed 's/^/  sluiced: /' || true
[ "$(grep -c 'guest offloads: csum host_tso4 guest_csum guest_tso4 guest_tso6' "$T/log")" -ge 2 ] ||
	fail "sluiced did not log both guests' offloads"
vm_g vm2 -- "ip link set eth0 mtu 9001" > /dev/null 2>&1 &&
	fail "vm2 took MTU 9001 above its host_mtu 9000 (VIRTIO_NET_F_MTU not negotiated)"
echo "  vm2 refuses MTU 9001 (host_mtu 9000 through VIRTIO_NET_F_MTU)"
vm_g vm2 -- "iperf3 -s -D" || fail "iperf3 server did not start"
sleep 1

echo "phase 2: iperf3 vm1 -> vm2, guest offloads on ($SECS s)"
snap p2a
vm_iperf vm1 10.0.0.2 "$SECS" "offloads on"
rate_on=$IPERF_RATE
snap p2b
check_exact "offloads on" p2a p2b
avg=$(($(sdelta p2a p2b vm1.rx_bytes) / $(sdelta p2a p2b vm1.rx_packets)))
echo "  sluiced vm1 rx: $(sdelta p2a p2b vm1.rx_packets) frames, $avg bytes on average"
[ "$avg" -gt 1514 ] || fail "no TSO frame from vm1 (average $avg bytes)"

echo "phase 3: iperf3 vm1 -> vm2, vm1's offloads off ($SECS s)"
vm_g vm1 -- "ethtool -K eth0 tx off sg off tso off" > /dev/null || fail "ethtool -K off failed"
snap p3a
vm_iperf vm1 10.0.0.2 "$SECS" "offloads off"
rate_off=$IPERF_RATE
snap p3b
check_exact "offloads off" p3a p3b
avg=$(($(sdelta p3a p3b vm1.rx_bytes) / $(sdelta p3a p3b vm1.rx_packets)))
[ "$avg" -le 1514 ] || fail "frames above the MTU from vm1 with its offloads off"
vm_g vm1 -- "ethtool -K eth0 tx on sg on tso on" > /dev/null || fail "ethtool -K on failed"

echo "phase 4: vm1 -> the host kernel on tap: TSO cut in sluiced"
BYTES=$((8 * 1024 * 1024))
ip netns exec "$NS" /usr/bin/python3 - "$BYTES" > "$T/sink.out" 2>&1 <<'PY' &
import socket, sys
want = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('10.0.0.3', 5001))
s.listen(1)
s.settimeout(120)
c, _ = s.accept()
c.settimeout(60)
got = 0
while got < want:
    b = c.recv(1 << 16)
    if not b:
        break
    got += len(b)
c.close()
print(got)
PY
SINK=$!
sleep 1
snap p4a
d4a=$(drops tap replicas) m4a=$(drops tap mtu) x4a=$(drops tap tso_malformed)
vm_g vm1 180 -- "dd if=/dev/zero bs=65536 count=$((BYTES / 65536)) 2>/dev/null | nc 10.0.0.3 5001" ||
	fail "nc to the tap's receiver failed"
wait "$SINK" || fail "the receiver failed: $(cat "$T/sink.out")"
snap p4b
got=$(cat "$T/sink.out")
seg=$(sdelta p4a p4b tap.tx_packets)
rep=$(($(drops tap replicas) - d4a))
echo "  received $got of $BYTES bytes; vm1 sent $(sdelta p4a p4b vm1.rx_packets) frames" \
	"($(($(sdelta p4a p4b vm1.rx_bytes) / $(sdelta p4a p4b vm1.rx_packets))) bytes on average)," \
	"tap took $seg, $rep of them segments beyond a frame's first"
[ "$got" = "$BYTES" ] || fail "the receiver got $got bytes, not $BYTES"
[ "$rep" -gt 0 ] || fail "sluiced cut no TSO frame for the tap"
[ "$(($(drops tap mtu) - m4a))" = 0 ] || fail "frames above the tap's MTU"
[ "$(($(drops tap tso_malformed) - x4a))" = 0 ] || fail "well-formed TSO frames refused"

echo "phase 5: 9000-byte frames, and above vm2's mtu"
vm_g vm1 -- "ip link set eth0 mtu 9000" && vm_g vm2 -- "ip link set eth0 mtu 9000" ||
	fail "MTU 9000 refused"
for vm in vm1 vm2; do
	dst=10.0.0.2
	[ $vm = vm2 ] && dst=10.0.0.1
	out=$(vm_g $vm 90 -- "ping -c 5 -s 8972 -i 0.2 -W 5 $dst" 2>&1) ||
		fail "9000-byte ping from $vm failed: $out"
	echo "  $vm -> $dst: $(echo "$out" | grep received)"
done
vm_g vm1 -- "ip link set eth0 mtu 9100" || fail "vm1 refuses MTU 9100"
m5a=$(drops vm2 mtu)
vm_g vm1 60 -- "ping -c 3 -s 9000 -i 0.2 -W 2 10.0.0.2" > /dev/null 2>&1 &&
	fail "9028-byte frames crossed vm2's mtu of 9000"
wait_quiet
m5=$(($(drops vm2 mtu) - m5a))
echo "  3 frames of 9042 bytes to vm2 (mtu 9000): $m5 dropped as mtu"
[ "$m5" = 3 ] || fail "expected 3 mtu drops on vm2, got $m5"

echo "phase 6: accounting"
vm_alive
it_tel /sluice/drops > "$T/drops.json"
/usr/bin/python3 - "$T/drops.json" <<'PY' || fail "the accounting identity does not hold"
import json, sys
d = json.load(open(sys.argv[1]))
rows = {k: v for k, v in d.items() if isinstance(v, dict) and k != 'total'}
left = sum(v['rx'] + v['replicas'] for v in rows.values())
right = sum(v['tx'] + v['to_controller'] + v['drops'] for v in rows.values())
for k, v in sorted(rows.items()):
    nz = {n: c for n, c in v.items() if c and n not in ('rx', 'tx', 'replicas', 'drops', 'to_controller')}
    print(f"  {k}: rx {v['rx']} replicas {v['replicas']} tx {v['tx']} drops {v['drops']} {nz}")
print(f"  rx + replicas {left} = tx + to_controller + drops {right}")
sys.exit(0 if left == right else 1)
PY
it_stop_sluiced_in 30
echo "iperf3 vm1 -> vm2: offloads on ${rate_on:-?} Gbit/s, off ${rate_off:-?} Gbit/s"
echo "PASS: guest offloads (TSO through, cut in software for the tap), MTU, exact counters"
