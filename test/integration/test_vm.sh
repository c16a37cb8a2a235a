#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Two real QEMU guests through sluiced's OpenFlow pipeline over vhost-user.
# The guests (scripts/vm/build-guest.sh: Debian's kernel, busybox, iperf3)
# run under TCG, interrupt-driven (no busy polling: sluiced must kick their
# call fd when it delivers), one in each vhost-user mode:
#   vm1 10.0.0.1  QEMU listens (server), sluiced connects (mode = client)
#   vm2 10.0.0.2  sluiced listens (mode = server), QEMU connects (reconnect=1)
# sluiced runs fail_mode secure with rules from ovs-ofctl (ptcp listener):
# in_port=1 -> 2 and in_port=2 -> 1, nothing else.
# Phases:
#   1. ping vm1 -> vm2 through the rules: every echo answered; the port
#      counters equal the guests' own (vm1 tx = sluiced vm1 rx = sluiced
#      vm2 tx = vm2 rx and back: exact, the guests have static ARP entries
#      and no IPv6, so nothing else is on the wire)
#   2. del-flows: pings fail, vm1's frames reach sluiced (port rx) and die
#      as table misses (table 0 lookups without a match), vm2 gets nothing
#   3. rules restored: pings work again
#   4. sluiced restarts (SIGTERM, start, rules again) under a running
#      ping -i 0.1: both guests stay up, both reconnect (sluiced to vm1's
#      QEMU, vm2's QEMU to sluiced), pings resume; the gap is reported
#   5. MTU 9000 in both guests: 9000-byte pings (8972 bytes of ICMP data,
#      chained mbufs in sluiced), counters exact again
#   6. iperf3 vm1 -> vm2 (TCP, 5 s) at MTU 9000 and 1500, the latter with the
#      guests' software offloads (GSO/GRO) on and off; Gbit/s reported, not
#      judged; counters exact after each.
# Needs root, qemu-system-x86_64, ovs-ofctl, 300 free 2 MiB hugepages and
# the guest image (built here on first use: apt-get download from the
# Debian mirror, cached); exits 77 (skipped) without them.
# usage: test_vm.sh SLUICED
# Env: SL_VM_GUEST  guest image directory (default /var/cache/sluice-vm/guest)
#      SL_VM_OFPORT OpenFlow listener port (default 16650)
#      SL_VM_PREFIX EAL file prefix and temp dir prefix (default slvm)
#      SL_VM_IPERF_SECONDS (5), SL_VM_KEEP=1 keeps the work directory
set -euo pipefail
SLUICED=$(readlink -f "${1:?usage: test_vm.sh SLUICED}")
HERE=$(cd "$(dirname "$0")" && pwd)
VMDIR=$(cd "$HERE/../../scripts/vm" && pwd)
. "$HERE/lib.sh"

. "$HERE/vm_lib.sh"
vm_need 300

PFX=${SL_VM_PREFIX:-slvm}
T=$(mktemp -d "/tmp/$PFX-test.XXXXXX")
FLT_PREFIX=$PFX-$$
PORT=${SL_VM_OFPORT:-16650}
SW=tcp:127.0.0.1:$PORT
OF="ovs-ofctl -O OpenFlow13"
SECS=${SL_VM_IPERF_SECONDS:-5}
PID=
cleanup() {
	vm_kill
	[ -n "$PID" ] && kill "$PID" 2> /dev/null || true
	wait 2> /dev/null || true
	rm -rf "/var/run/dpdk/$FLT_PREFIX"
	if [ "${SL_VM_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap '' PIPE

# ping_ok VM COUNT SIZE: COUNT pings of SIZE data bytes to the other guest,
# every one answered (prints the summary and round-trip times).
ping_ok() {
	local vm=$1 dst=10.0.0.2 out
	[ "$vm" = vm2 ] && dst=10.0.0.1
	out=$(vm_g "$vm" 90 -- "ping -c $2 -s $3 -i 0.2 -W 5 $dst" 2>&1) ||
		vm_fail "ping from $vm ($2 x $3 bytes) failed: $out"
	echo "$out" | grep -q "$2 packets received" || vm_fail "ping from $vm lost packets: $out"
	echo "  $vm -> $dst: $(echo "$out" | grep -E 'received|round-trip' | tr '\n' ' ')"
}

# ---- counters (vm_snap, vm_check_exact: vm_lib.sh) -------------------------
# table0_misses: table 0's lookups that matched nothing (ovs-ofctl
# dump-tables: lookup=N, matched=M).
table0_misses() {
	$OF dump-tables "$SW" | awk '
		/table 0:/ { t0 = 1; next } /table [0-9]+:/ { t0 = 0 }
		t0 { for (i = 1; i <= NF; i++) {
			if ($i ~ /^lookup=/) l = substr($i, 8) + 0
			if ($i ~ /^matched=/) m = substr($i, 9) + 0 } }
		END { print l - m }'
}

add_rules() {
	$OF add-flow "$SW" "in_port=1,actions=output:2" &&
		$OF add-flow "$SW" "in_port=2,actions=output:1" || vm_fail "add-flow failed"
}

# ---- sluiced and the guests -------------------------------------------------
write_config() {
	it_flt_ini "$T/sluiced.ini" "$PORT" "fail_mode = secure" "mgmt_socket = $T/sluiced.ctl"
	cat >> "$T/sluiced.ini" <<INI
[port:vm1]
type = vhost-user
path = $T/vm1.sock
mode = client
ofport = 1
[port:vm2]
type = vhost-user
path = $T/vm2.sock
mode = server
ofport = 2
INI
}

start_guests() {
	# vm2's QEMU is the vhost-user client of sluiced's server socket.
	vm_start vm1 "$T/vm1.sock" server 10.0.0.1/24
	vm_start vm2 "$T/vm2.sock" client 10.0.0.2/24
	local t0=$SECONDS
	vm_ready vm1 vm2
	echo "guests up in $((SECONDS - t0)) s"
	vm_g vm1 -- "arp -s 10.0.0.2 52:54:00:00:00:02" || vm_fail "vm1: arp -s failed"
	vm_g vm2 -- "arp -s 10.0.0.1 52:54:00:00:00:01" || vm_fail "vm2: arp -s failed"
}

# ---- phases -----------------------------------------------------------------
phase_rules() {
	echo "phase 1: ping through the OpenFlow rules"
	add_rules
	ping_ok vm1 3 56 # first frames after boot
	vm_snap p1a
	ping_ok vm1 20 56
	ping_ok vm2 20 56
	vm_snap p1b
	vm_check_exact "phase 1" p1a p1b

	echo "phase 2: rules deleted: table misses are dropped"
	$OF del-flows "$SW" || vm_fail "del-flows failed"
	local m0 m1 out
	m0=$(table0_misses)
	vm_snap p2a
	out=$(vm_g vm1 60 -- "ping -c 5 -i 0.2 -W 2 10.0.0.2" 2>&1) &&
		vm_fail "phase 2: pings answered without rules: $out"
	echo "  $(echo "$out" | grep received)"
	vm_snap p2b
	m1=$(table0_misses)
	local rx tx
	rx=$(vm_sdelta p2a p2b vm1.rx_packets)
	tx=$(vm_sdelta p2a p2b vm2.tx_packets)
	echo "  table 0 misses $m0 -> $m1; sluiced vm1 rx +$rx, vm2 tx +$tx"
	[ "$rx" -ge 5 ] || vm_fail "phase 2: sluiced did not receive vm1's pings"
	[ "$tx" = 0 ] || vm_fail "phase 2: frames reached vm2 without a rule"
	[ "$m1" -gt "$m0" ] || vm_fail "phase 2: table 0 counted no miss"

	echo "phase 3: rules restored"
	add_rules
	ping_ok vm1 10 56
}

# ping_gap LOG INTERVAL: the longest run of unanswered sequence numbers in a
# busybox ping log, what it lasted, and how many replies came after it.
ping_gap() {
	awk -v iv="$2" '
		/seq=/ { s = $0; sub(/.*seq=/, "", s); sub(/ .*/, "", s); s += 0
			if (s - last - 1 > gap) { gap = s - last - 1; from = last + 1; after = 0 }
			last = s; n++; after++ }
		END { printf "%d replies, longest gap %d pings (seq %d-%d) = %.1f s, %d replies after it\n",
			n, gap, from, from + gap - 1, gap * iv, after }' "$1"
}

phase_restart() {
	echo "phase 4: sluiced restarts under a running ping (interval 0.1 s)"
	vm_g vm1 -- "ping -i 0.1 -W 5 10.0.0.2 > /tmp/ping.log 2>&1 &" || vm_fail "background ping"
	sleep 2
	local t0 t1 gap
	t0=$(date +%s%N)
	it_stop_sluiced_in 30
	mv "$T/log" "$T/sluiced1.log"
	it_start_sluiced "$SLUICED" "$T/sluiced.ini"
	vm_wait_links 2
	add_rules
	t1=$(date +%s%N)
	echo "  sluiced down at SIGTERM until rules are back: $(((t1 - t0) / 1000000)) ms"
	sleep 3
	vm_g vm1 -- "kill -INT \$(pidof ping); sleep 1; cat /tmp/ping.log" > "$T/ping-restart.log" ||
		vm_fail "phase 4: reading the ping log"
	vm_alive
	gap=$(ping_gap "$T/ping-restart.log" 0.1)
	echo "  ping during the restart: $gap"
	grep -E 'transmitted|round-trip' "$T/ping-restart.log" | sed 's/^/  /'
	# Replies after the gap: both reconnected (vm1's QEMU is the server).
	[ "$(echo "$gap" | sed 's/.*, \([0-9]*\) replies after it/\1/')" -ge 5 ] ||
		vm_fail "phase 4: pings did not resume after the restart"
	ping_ok vm1 10 56
	ping_ok vm2 10 56
}

phase_jumbo() {
	echo "phase 5: MTU 9000, 9000-byte pings"
	vm_g vm1 -- "ip link set eth0 mtu 9000" || vm_fail "vm1 refuses MTU 9000"
	vm_g vm2 -- "ip link set eth0 mtu 9000" || vm_fail "vm2 refuses MTU 9000"
	vm_snap p5a
	ping_ok vm1 10 8972
	ping_ok vm2 10 8972
	vm_snap p5b
	vm_check_exact "phase 5 (9000-byte frames)" p5a p5b
	# 10 echo requests and 10 replies of 9014 bytes each way, unfragmented
	# (14 Ethernet + 20 IP + 8 ICMP + 8972).
	local bytes
	bytes=$(vm_sdelta p5a p5b vm1.rx_bytes)
	echo "  sluiced vm1 rx: $bytes bytes in $(vm_sdelta p5a p5b vm1.rx_packets) frames"
	[ "$bytes" = $((20 * 9014)) ] || vm_fail "phase 5: expected 20 frames of 9014 bytes from vm1"
}

# iperf NAME: TCP vm1 -> vm2 for SECS seconds; prints the receiver's rate.
iperf() {
	local out rate
	out=$(vm_g vm1 $((SECS + 60)) -- "iperf3 -c 10.0.0.2 -t $SECS -f g" 2>&1) ||
		vm_fail "iperf3 ($1) failed: $out"
	rate=$(echo "$out" | awk '/receiver/ { for (i = 1; i < NF; i++)
		if ($(i + 1) == "Gbits/sec") print $i }')
	echo "  iperf3 vm1 -> vm2, $1: ${rate:-?} Gbit/s"
	echo "iperf3 $1: ${rate:-?} Gbit/s" >> "$T/results"
}

phase_iperf() {
	echo "phase 6: iperf3 vm1 -> vm2 ($SECS s each)"
	vm_g vm2 -- "iperf3 -s -D" || vm_fail "iperf3 server did not start"
	sleep 1
	vm_snap p6a
	iperf "MTU 9000"
	vm_g vm1 -- "ip link set eth0 mtu 1500" && vm_g vm2 -- "ip link set eth0 mtu 1500" ||
		vm_fail "MTU back to 1500 refused"
	iperf "MTU 1500, GSO/GRO on"
	vm_g vm1 -- "ethtool -K eth0 gso off gro off" && vm_g vm2 -- "ethtool -K eth0 gso off gro off" ||
		vm_fail "ethtool -K failed"
	iperf "MTU 1500, GSO/GRO off"
	vm_snap p6b
	vm_check_exact "phase 6 (iperf3)" p6a p6b ring-full-ok
	vm_g vm1 -- "ethtool -k eth0" | grep -E '^(tx-checksumming|scatter-gather|tcp-segmentation-offload|generic-)' |
		sed 's/^/  vm1 features: /'
}

write_config
it_start_sluiced "$SLUICED" "$T/sluiced.ini"
start_guests
vm_wait_links 2
phase_rules
phase_restart
phase_jumbo
phase_iperf
vm_alive
it_stop_sluiced_in 30
cat "$T/results"
echo "PASS: two QEMU guests through the OpenFlow pipeline (vhost-user client and server modes)"
