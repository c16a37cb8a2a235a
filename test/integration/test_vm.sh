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

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (hugepages, vhost sockets)"
command -v qemu-system-x86_64 > /dev/null || skip "qemu-system-x86_64 missing (package qemu-system-x86)"
command -v ovs-ofctl > /dev/null || skip "ovs-ofctl missing"
free_hp=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
[ "${free_hp:-0}" -ge 300 ] || skip "needs 300 free 2 MiB hugepages, has ${free_hp:-0}"
GUEST=${SL_VM_GUEST:-/var/cache/sluice-vm/guest}
bash "$VMDIR/build-guest.sh" "$GUEST" ||
	skip "cannot build the guest image (no Debian mirror?)"

PFX=${SL_VM_PREFIX:-slvm}
T=$(mktemp -d "/tmp/$PFX-test.XXXXXX")
FLT_PREFIX=$PFX-$$
PORT=${SL_VM_OFPORT:-16650}
SW=tcp:127.0.0.1:$PORT
OF="ovs-ofctl -O OpenFlow13"
SECS=${SL_VM_IPERF_SECONDS:-5}
PID=
QPID1=
QPID2=
cleanup() {
	local p
	for p in "$QPID1" "$QPID2" "$PID"; do
		[ -n "$p" ] && kill "$p" 2> /dev/null || true
	done
	wait 2> /dev/null || true
	rm -rf "/var/run/dpdk/$FLT_PREFIX"
	if [ "${SL_VM_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap '' PIPE

# fail MESSAGE: the guests' consoles, QEMU's and sluiced's logs (without
# rte_vhost's message trace), the message; exit 1.
fail() {
	local f
	for f in "$T"/vm1.console "$T"/vm2.console "$T"/qemu*.log "$T"/sluiced1.log "$T"/log; do
		[ -s "$f" ] && { echo "----- $f"; grep -v '^VHOST_CONFIG' "$f" | tail -30; }
	done
	echo "FAIL: $*"
	exit 1
}

# g VM [TIMEOUT] -- COMMAND: run COMMAND in guest VM (scripts/vm/guest.py).
g() {
	local vm=$1 to=60
	shift
	[ "$1" != "--" ] && { to=$1; shift; }
	shift
	/usr/bin/python3 "$VMDIR/guest.py" run "$T/$vm.ctl" --timeout "$to" -- "$*"
}

# ping_ok VM COUNT SIZE: COUNT pings of SIZE data bytes to the other guest,
# every one answered (prints the summary and round-trip times).
ping_ok() {
	local vm=$1 dst=10.0.0.2 out
	[ "$vm" = vm2 ] && dst=10.0.0.1
	out=$(g "$vm" 90 -- "ping -c $2 -s $3 -i 0.2 -W 5 $dst" 2>&1) ||
		fail "ping from $vm ($2 x $3 bytes) failed: $out"
	echo "$out" | grep -q "$2 packets received" || fail "ping from $vm lost packets: $out"
	echo "  $vm -> $dst: $(echo "$out" | grep -E 'received|round-trip' | tr '\n' ' ')"
}

# ---- counters ---------------------------------------------------------------
# gstat VM: "rx_packets tx_packets rx_bytes tx_bytes" of the guest's eth0.
gstat() {
	g "$1" -- 'cd /sys/class/net/eth0/statistics && echo $(cat rx_packets tx_packets rx_bytes tx_bytes)'
}
pstat() { it_tel /sluice/ports "$1" "$2"; }

# wait_quiet: sluiced's ports stop moving for a second (frames in flight
# have landed: the guests' counters and sluiced's agree only then).
wait_quiet() {
	local last="" now
	for _ in $(seq 60); do
		now="$(pstat vm1 rx_packets) $(pstat vm2 rx_packets)"
		[ "$now" = "$last" ] && return 0
		last=$now
		sleep 1
	done
	fail "traffic did not stop within 60 s"
}

# snap NAME: the guests' and sluiced's packet counters, into S[NAME.KEY]
# (KEY: g1rx g1tx g2rx g2tx, vm1.rx_packets vm1.tx_packets vm1.tx_dropped
# vm1.rx_bytes, the same for vm2).
declare -A S
snap() {
	local n=$1 rx tx p k
	wait_quiet
	read -r rx tx _ < <(gstat vm1) && S[$n.g1rx]=$rx S[$n.g1tx]=$tx
	read -r rx tx _ < <(gstat vm2) && S[$n.g2rx]=$rx S[$n.g2tx]=$tx
	for p in vm1 vm2; do
		for k in rx_packets tx_packets tx_dropped rx_bytes; do
			S[$n.$p.$k]=$(pstat "$p" "$k")
		done
	done
	[ -n "${S[$n.g1tx]:-}" ] && [ -n "${S[$n.g2tx]:-}" ] || fail "snapshot $n: no guest counters"
}

# check_exact TITLE A B [RING_FULL_OK]: from snapshot A to B every frame a
# guest sent went through sluiced to the other guest, and the counters on
# all four sides agree. With RING_FULL_OK (bulk TCP into a slow TCG guest),
# frames the receiving guest had no rx buffer for may be dropped, but only
# into sluiced's tx_dropped of that port: guest tx = sluiced rx = sluiced
# tx + tx_dropped, sluiced tx = guest rx.
# sdelta A B KEY: S[B.KEY] - S[A.KEY]
sdelta() { echo $((${S[$2.$3]} - ${S[$1.$3]})); }

check_exact() {
	local t=$1 a=$2 b=$3 g1tx g1rx g2tx g2rx s1rx s1tx s2rx s2tx d1 d2
	delta() { sdelta "$a" "$b" "$1"; }
	g1tx=$(delta g1tx) g1rx=$(delta g1rx) g2tx=$(delta g2tx) g2rx=$(delta g2rx)
	s1rx=$(delta vm1.rx_packets) s1tx=$(delta vm1.tx_packets) d1=$(delta vm1.tx_dropped)
	s2rx=$(delta vm2.rx_packets) s2tx=$(delta vm2.tx_packets) d2=$(delta vm2.tx_dropped)
	echo "  counters ($t): vm1 tx $g1tx -> sluiced vm1 rx $s1rx -> vm2 tx $s2tx" \
		"(+ $d2 guest ring full) -> guest vm2 rx $g2rx;" \
		"vm2 tx $g2tx -> sluiced vm2 rx $s2rx -> vm1 tx $s1tx (+ $d1) -> guest vm1 rx $g1rx"
	[ "$g1tx" -gt 0 ] && [ "$g2tx" -gt 0 ] || fail "$t: a guest sent nothing"
	if [ -z "${4:-}" ]; then
		[ "$d1" = 0 ] && [ "$d2" = 0 ] || fail "$t: sluiced dropped frames on tx to a guest"
	fi
	[ "$g1tx" = "$s1rx" ] && [ "$s1rx" = $((s2tx + d2)) ] && [ "$s2tx" = "$g2rx" ] ||
		fail "$t: vm1 -> vm2 counters differ"
	[ "$g2tx" = "$s2rx" ] && [ "$s2rx" = $((s1tx + d1)) ] && [ "$s1tx" = "$g1rx" ] ||
		fail "$t: vm2 -> vm1 counters differ"
}

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
		$OF add-flow "$SW" "in_port=2,actions=output:1" || fail "add-flow failed"
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

# wait_links LOG N: N "link up" lines in sluiced's LOG.
wait_links() {
	for _ in $(seq 600); do
		[ "$(grep -c -E 'port vm[12]: link up' "$1")" -ge "$2" ] && return 0
		kill -0 "$PID" 2> /dev/null || fail "sluiced exited"
		sleep 0.1
	done
	fail "vhost ports not up after 60 s ($(grep -c 'link up' "$1") of $2 link-up lines)"
}

start_guests() {
	# vm2's QEMU is the vhost-user client of sluiced's server socket.
	"$VMDIR/run-guest.sh" "$GUEST" "$T" vm1 "$T/vm1.sock" server 10.0.0.1/24 \
		> "$T/qemu1.log" 2>&1 &
	QPID1=$!
	"$VMDIR/run-guest.sh" "$GUEST" "$T" vm2 "$T/vm2.sock" client 10.0.0.2/24 \
		> "$T/qemu2.log" 2>&1 &
	QPID2=$!
	local t0=$SECONDS vm
	for vm in vm1 vm2; do
		/usr/bin/python3 "$VMDIR/guest.py" ready "$T/$vm.console" --timeout 240 ||
			fail "guest $vm did not boot"
	done
	echo "guests up in $((SECONDS - t0)) s"
	g vm1 -- "arp -s 10.0.0.2 52:54:00:00:00:02" || fail "vm1: arp -s failed"
	g vm2 -- "arp -s 10.0.0.1 52:54:00:00:00:01" || fail "vm2: arp -s failed"
}

guests_alive() {
	kill -0 "$QPID1" 2> /dev/null || fail "vm1's QEMU died"
	kill -0 "$QPID2" 2> /dev/null || fail "vm2's QEMU died"
}

# ---- phases -----------------------------------------------------------------
phase_rules() {
	echo "phase 1: ping through the OpenFlow rules"
	add_rules
	ping_ok vm1 3 56 # first frames after boot
	snap p1a
	ping_ok vm1 20 56
	ping_ok vm2 20 56
	snap p1b
	check_exact "phase 1" p1a p1b

	echo "phase 2: rules deleted: table misses are dropped"
	$OF del-flows "$SW" || fail "del-flows failed"
	local m0 m1 out
	m0=$(table0_misses)
	snap p2a
	out=$(g vm1 60 -- "ping -c 5 -i 0.2 -W 2 10.0.0.2" 2>&1) &&
		fail "phase 2: pings answered without rules: $out"
	echo "  $(echo "$out" | grep received)"
	snap p2b
	m1=$(table0_misses)
	local rx tx
	rx=$(sdelta p2a p2b vm1.rx_packets)
	tx=$(sdelta p2a p2b vm2.tx_packets)
	echo "  table 0 misses $m0 -> $m1; sluiced vm1 rx +$rx, vm2 tx +$tx"
	[ "$rx" -ge 5 ] || fail "phase 2: sluiced did not receive vm1's pings"
	[ "$tx" = 0 ] || fail "phase 2: frames reached vm2 without a rule"
	[ "$m1" -gt "$m0" ] || fail "phase 2: table 0 counted no miss"

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
	g vm1 -- "ping -i 0.1 -W 5 10.0.0.2 > /tmp/ping.log 2>&1 &" || fail "background ping"
	sleep 2
	local t0 t1 gap
	t0=$(date +%s%N)
	it_stop_sluiced_in 30
	mv "$T/log" "$T/sluiced1.log"
	it_start_sluiced "$SLUICED" "$T/sluiced.ini"
	wait_links "$T/log" 2
	add_rules
	t1=$(date +%s%N)
	echo "  sluiced down at SIGTERM until rules are back: $(((t1 - t0) / 1000000)) ms"
	sleep 3
	g vm1 -- "kill -INT \$(pidof ping); sleep 1; cat /tmp/ping.log" > "$T/ping-restart.log" ||
		fail "phase 4: reading the ping log"
	guests_alive
	gap=$(ping_gap "$T/ping-restart.log" 0.1)
	echo "  ping during the restart: $gap"
	grep -E 'transmitted|round-trip' "$T/ping-restart.log" | sed 's/^/  /'
	# Replies after the gap: both reconnected (vm1's QEMU is the server).
	[ "$(echo "$gap" | sed 's/.*, \([0-9]*\) replies after it/\1/')" -ge 5 ] ||
		fail "phase 4: pings did not resume after the restart"
	ping_ok vm1 10 56
	ping_ok vm2 10 56
}

phase_jumbo() {
	echo "phase 5: MTU 9000, 9000-byte pings"
	g vm1 -- "ip link set eth0 mtu 9000" || fail "vm1 refuses MTU 9000"
	g vm2 -- "ip link set eth0 mtu 9000" || fail "vm2 refuses MTU 9000"
	snap p5a
	ping_ok vm1 10 8972
	ping_ok vm2 10 8972
	snap p5b
	check_exact "phase 5 (9000-byte frames)" p5a p5b
	# 10 echo requests and 10 replies of 9014 bytes each way, unfragmented
	# (14 Ethernet + 20 IP + 8 ICMP + 8972).
	local bytes
	bytes=$(sdelta p5a p5b vm1.rx_bytes)
	echo "  sluiced vm1 rx: $bytes bytes in $(sdelta p5a p5b vm1.rx_packets) frames"
	[ "$bytes" = $((20 * 9014)) ] || fail "phase 5: expected 20 frames of 9014 bytes from vm1"
}

# iperf NAME: TCP vm1 -> vm2 for SECS seconds; prints the receiver's rate.
iperf() {
	local out rate
	out=$(g vm1 $((SECS + 60)) -- "iperf3 -c 10.0.0.2 -t $SECS -f g" 2>&1) ||
		fail "iperf3 ($1) failed: $out"
	rate=$(echo "$out" | awk '/receiver/ { for (i = 1; i < NF; i++)
		if ($(i + 1) == "Gbits/sec") print $i }')
	echo "  iperf3 vm1 -> vm2, $1: ${rate:-?} Gbit/s"
	echo "iperf3 $1: ${rate:-?} Gbit/s" >> "$T/results"
}

phase_iperf() {
	echo "phase 6: iperf3 vm1 -> vm2 ($SECS s each)"
	g vm2 -- "iperf3 -s -D" || fail "iperf3 server did not start"
	sleep 1
	snap p6a
	iperf "MTU 9000"
	g vm1 -- "ip link set eth0 mtu 1500" && g vm2 -- "ip link set eth0 mtu 1500" ||
		fail "MTU back to 1500 refused"
	iperf "MTU 1500, GSO/GRO on"
	g vm1 -- "ethtool -K eth0 gso off gro off" && g vm2 -- "ethtool -K eth0 gso off gro off" ||
		fail "ethtool -K failed"
	iperf "MTU 1500, GSO/GRO off"
	snap p6b
	check_exact "phase 6 (iperf3)" p6a p6b ring-full-ok
	g vm1 -- "ethtool -k eth0" | grep -E '^(tx-checksumming|scatter-gather|tcp-segmentation-offload|generic-)' |
		sed 's/^/  vm1 features: /'
}

write_config
it_start_sluiced "$SLUICED" "$T/sluiced.ini"
start_guests
wait_links "$T/log" 2
phase_rules
phase_restart
phase_jumbo
phase_iperf
guests_alive
it_stop_sluiced_in 30
cat "$T/results"
echo "PASS: two QEMU guests through the OpenFlow pipeline (vhost-user client and server modes)"
