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
#   tapo 10.0.0.4 another net_tap port, in a namespace of its own, with
#                 `offloads = yes`: a DPDK device that takes checksum
#                 requests (net_tap computes the checksums itself)
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
#      counted as replicas), no frame dropped for its MTU; then the same
#      over IPv6 (HOST_TSO6: sluiced's own TCP/IPv6 cutter); then (4c) over
#      IPv4 to tapo with vm1's TSO off (its tx checksumming on): every frame
#      carries a partial checksum that sluiced leaves to the device, and
#      every byte arrives (the kernel drops a segment with a wrong sum)
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
TAPO=${PFX}o$$
TAPO=${TAPO:0:15}
NS=$PFX-ns-$$
NSO=$PFX-nso-$$
PID=
cleanup() {
	vm_kill
	[ -n "$PID" ] && kill "$PID" 2> /dev/null || true
	wait 2> /dev/null || true
	ip netns del "$NS" 2> /dev/null || true
	ip netns del "$NSO" 2> /dev/null || true
	rm -rf "/var/run/dpdk/$FLT_PREFIX"
	if [ "${SL_VM_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap '' PIPE
drops() { it_tel /sluice/drops "$1" "$2"; }
VM_PORTS+=(tap tapo)

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
[port:tapo]
type = dpdk
devargs = net_tap_${PFX}o,iface=$TAPO,mac=52:54:00:00:00:04
offloads = yes
ofport = 4
INI
it_start_sluiced "$SLUICED" "$T/sluiced.ini"
SL_VM_IPV6=1 vm_start vm1 "$T/vm1.sock" server 10.0.0.1/24
SL_VM_HOST_MTU=9000 vm_start vm2 "$T/vm2.sock" client 10.0.0.2/24
ip netns add "$NS"
ip link set "$TAP" netns "$NS"
ip netns exec "$NS" sh -c "sysctl -qw net.ipv6.conf.$TAP.disable_ipv6=1 &&
	ip addr add 10.0.0.3/24 dev $TAP && ip link set $TAP up &&
	ip neigh replace 10.0.0.1 lladdr 52:54:00:00:00:01 dev $TAP" || vm_fail "netns set-up"
ip netns add "$NSO"
ip link set "$TAPO" netns "$NSO"
ip netns exec "$NSO" sh -c "sysctl -qw net.ipv6.conf.$TAPO.disable_ipv6=1 &&
	ip addr add 10.0.0.4/24 dev $TAPO && ip link set $TAPO up &&
	ip neigh replace 10.0.0.1 lladdr 52:54:00:00:00:01 dev $TAPO" || vm_fail "netns set-up (tapo)"
grep -q "port tapo: device tx offloads: checksums" "$T/log" ||
	vm_fail "tapo: the device's offloads are not in use: $(grep tapo "$T/log")"
t0=$SECONDS
vm_ready vm1 vm2
echo "guests up in $((SECONDS - t0)) s"
vm_g vm1 -- "arp -s 10.0.0.2 52:54:00:00:00:02 && arp -s 10.0.0.3 52:54:00:00:00:03 && arp -s 10.0.0.4 52:54:00:00:00:04" &&
	vm_g vm2 -- "arp -s 10.0.0.1 52:54:00:00:00:01" || vm_fail "arp -s failed"
vm_wait_links 2
for n in 1 2 3 4; do
	$OF add-flow "$SW" "ip,nw_dst=10.0.0.$n,actions=output:$n" || vm_fail "add-flow failed"
done

# ---- phases ------------------------------------------------------------------------
echo "phase 1: negotiated features"
feat=$(vm_g vm1 -- "ethtool -k eth0") || vm_fail "ethtool -k failed"
echo "$feat" | grep -E '^(tx-checksumming|tcp-segmentation-offload|scatter-gather):' |
	sed 's/^/  vm1 /'
echo "$feat" | grep -q '^tcp-segmentation-offload: on' || vm_fail "vm1: TSO is not on"
echo "$feat" | grep -q '^tx-checksumming: on' || vm_fail "vm1: tx checksumming is not on"
grep -o 'port vm[12]: guest offloads:.*' "$T/log" | sed 's/^/  sluiced: /' || true
[ "$(grep -c 'guest offloads: csum host_tso4 host_tso6 guest_csum guest_tso4 guest_tso6' "$T/log")" -ge 2 ] ||
	vm_fail "sluiced did not log both guests' offloads"
vm_g vm2 -- "ip link set eth0 mtu 9001" > /dev/null 2>&1 &&
	vm_fail "vm2 took MTU 9001 above its host_mtu 9000 (VIRTIO_NET_F_MTU not negotiated)"
echo "  vm2 refuses MTU 9001 (host_mtu 9000 through VIRTIO_NET_F_MTU)"
vm_g vm2 -- "iperf3 -s -D" || vm_fail "iperf3 server did not start"
sleep 1

echo "phase 2: iperf3 vm1 -> vm2, guest offloads on ($SECS s)"
vm_snap p2a
vm_iperf vm1 10.0.0.2 "$SECS" "offloads on"
rate_on=$IPERF_RATE
vm_snap p2b
vm_check_exact "offloads on" p2a p2b ring-full-ok
avg=$(($(vm_sdelta p2a p2b vm1.rx_bytes) / $(vm_sdelta p2a p2b vm1.rx_packets)))
echo "  sluiced vm1 rx: $(vm_sdelta p2a p2b vm1.rx_packets) frames, $avg bytes on average"
[ "$avg" -gt 1514 ] || vm_fail "no TSO frame from vm1 (average $avg bytes)"

echo "phase 3: iperf3 vm1 -> vm2, vm1's offloads off ($SECS s)"
vm_g vm1 -- "ethtool -K eth0 tx off sg off tso off" > /dev/null || vm_fail "ethtool -K off failed"
vm_snap p3a
vm_iperf vm1 10.0.0.2 "$SECS" "offloads off"
rate_off=$IPERF_RATE
vm_snap p3b
vm_check_exact "offloads off" p3a p3b ring-full-ok
avg=$(($(vm_sdelta p3a p3b vm1.rx_bytes) / $(vm_sdelta p3a p3b vm1.rx_packets)))
[ "$avg" -le 1514 ] || vm_fail "frames above the MTU from vm1 with its offloads off"
vm_g vm1 -- "ethtool -K eth0 tx on sg on tso on" > /dev/null || vm_fail "ethtool -K on failed"

# sink_phase TITLE FAMILY ADDR [PORT NETNS]: vm1 sends 8 MiB over TCP
# (busybox nc) to a receiver at ADDR in PORT's namespace (tap's by
# default): for tap, sluiced cuts vm1's TSO frames (TCP/IPv4: rte_gso;
# TCP/IPv6: its own cutter) and checksums them, more frames leave on tap
# than vm1 sent; for tapo (offloads = yes) vm1 sends no TSO frame, sluiced
# cuts nothing and leaves the checksums to the device, which takes every
# frame (no tx_full). Every byte arrives (the kernel checks each segment's
# checksum), none dropped for its MTU or refused.
sink_phase() {
	local title=$1 fam=$2 addr=$3 tp=${4:-tap} ns=${5:-$NS} sink got seg rep d4a m4a x4a f4a
	echo "$title"
	BYTES=$((8 * 1024 * 1024))
	ip netns exec "$ns" /usr/bin/python3 - "$BYTES" "$fam" "$addr" > "$T/sink.out" 2>&1 <<'PY' &
import socket, sys
want, fam, addr = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_INET6 if fam == '6' else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, 5001))
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
	sink=$!
	sleep 1
	vm_snap "${fam}a"
	d4a=$(drops $tp replicas) m4a=$(drops $tp mtu) x4a=$(drops $tp tso_malformed)
	f4a=$(drops $tp tx_full)
	vm_g vm1 180 -- "dd if=/dev/zero bs=65536 count=$((BYTES / 65536)) 2>/dev/null | nc $addr 5001" ||
		vm_fail "nc to the tap's receiver failed"
	wait "$sink" || vm_fail "the receiver failed: $(cat "$T/sink.out")"
	vm_snap "${fam}b"
	got=$(cat "$T/sink.out")
	seg=$(vm_sdelta "${fam}a" "${fam}b" $tp.tx_packets)
	rep=$(($(drops $tp replicas) - d4a))
	echo "  received $got of $BYTES bytes; vm1 sent $(vm_sdelta "${fam}a" "${fam}b" vm1.rx_packets) frames" \
		"($(($(vm_sdelta "${fam}a" "${fam}b" vm1.rx_bytes) / $(vm_sdelta "${fam}a" "${fam}b" vm1.rx_packets))) bytes on average)," \
		"$tp took $seg, $rep of them segments beyond a frame's first"
	[ "$got" = "$BYTES" ] || vm_fail "the receiver got $got bytes, not $BYTES"
	if [ "$tp" = tap ]; then
		[ "$rep" -gt 0 ] || vm_fail "sluiced cut no TSO frame for the tap"
	else
		[ "$rep" = 0 ] || vm_fail "sluiced cut $rep segments for $tp (vm1's TSO is off)"
		[ "$(($(drops $tp tx_full) - f4a))" = 0 ] || vm_fail "$tp's device refused frames"
	fi
	[ "$(($(drops $tp mtu) - m4a))" = 0 ] || vm_fail "frames above $tp's MTU"
	[ "$(($(drops $tp tso_malformed) - x4a))" = 0 ] || vm_fail "well-formed TSO frames refused"
}
sink_phase "phase 4: vm1 -> the host kernel on tap: TCP/IPv4 TSO cut in sluiced" 4 10.0.0.3
vm_g vm1 -- "ethtool -K eth0 tso off" || vm_fail "vm1: ethtool -K tso off"
sink_phase "phase 4c: vm1 (TSO off) -> tapo (offloads = yes): checksums by the device" \
	4 10.0.0.4 tapo "$NSO"
vm_g vm1 -- "ethtool -K eth0 tso on" || vm_fail "vm1: ethtool -K tso on"

# IPv6 on vm1's eth0 only now (no chatter on the exact counters before);
# no DAD, no router solicitations; vm1 resolves the tap's address by ND
# (its neighbour solicitation is sent to the tap by a rule), the tap's
# kernel has a static entry for vm1.
# (one line: guest.py sends a command per line)
V6CONF=net.ipv6.conf.eth0
vm_g vm1 -- "sysctl -qw $V6CONF.accept_dad=0 $V6CONF.router_solicitations=0 && sysctl -qw $V6CONF.disable_ipv6=0 && ip -6 addr add fd00::1/64 dev eth0" ||
	vm_fail "vm1: IPv6 set-up failed"
ip netns exec "$NS" sh -c "sysctl -qw net.ipv6.conf.$TAP.disable_ipv6=0 &&
	ip -6 addr add fd00::3/64 dev $TAP nodad &&
	ip -6 neigh replace fd00::1 lladdr 52:54:00:00:00:01 dev $TAP" || vm_fail "tap: IPv6 set-up failed"
$OF add-flow "$SW" "ipv6,ipv6_dst=fd00::3,actions=output:3" &&
	$OF add-flow "$SW" "ipv6,ipv6_dst=fd00::1,actions=output:1" &&
	$OF add-flow "$SW" "icmp6,icmpv6_type=135,nd_target=fd00::3,actions=output:3" ||
	vm_fail "add-flow (IPv6) failed"
sink_phase "phase 4b: the same over IPv6: TCP/IPv6 TSO (HOST_TSO6) cut in sluiced" 6 fd00::3

echo "phase 5: 9000-byte frames, and above vm2's mtu"
vm_g vm1 -- "ip link set eth0 mtu 9000" && vm_g vm2 -- "ip link set eth0 mtu 9000" ||
	vm_fail "MTU 9000 refused"
for vm in vm1 vm2; do
	dst=10.0.0.2
	[ $vm = vm2 ] && dst=10.0.0.1
	out=$(vm_g $vm 90 -- "ping -c 5 -s 8972 -i 0.2 -W 5 $dst" 2>&1) ||
		vm_fail "9000-byte ping from $vm failed: $out"
	echo "  $vm -> $dst: $(echo "$out" | grep received)"
done
vm_g vm1 -- "ip link set eth0 mtu 9100" || vm_fail "vm1 refuses MTU 9100"
m5a=$(drops vm2 mtu)
vm_g vm1 60 -- "ping -c 3 -s 9000 -i 0.2 -W 2 10.0.0.2" > /dev/null 2>&1 &&
	vm_fail "9028-byte frames crossed vm2's mtu of 9000"
vm_wait_quiet
m5=$(($(drops vm2 mtu) - m5a))
echo "  3 frames of 9042 bytes to vm2 (mtu 9000): $m5 dropped as mtu"
[ "$m5" = 3 ] || vm_fail "expected 3 mtu drops on vm2, got $m5"

echo "phase 6: accounting"
vm_alive
it_tel /sluice/drops > "$T/drops.json"
/usr/bin/python3 - "$T/drops.json" <<'PY' || vm_fail "the accounting identity does not hold"
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
