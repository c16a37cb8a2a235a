# SPDX-License-Identifier: BSD-3-Clause
# Helpers for the tests that run QEMU guests (scripts/vm/) on sluiced's
# vhost-user ports; sourced after lib.sh. The caller sets T (its work
# directory), VMDIR (scripts/vm) and, before vm_start, GUEST.

# vm_need HUGEPAGES: skip (exit 77) without root, QEMU, ovs-ofctl, HUGEPAGES
# free 2 MiB pages or the guest image (built here on first use); sets GUEST.
vm_need() {
	local free_hp
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (hugepages, vhost sockets)"; exit 77; }
	command -v qemu-system-x86_64 > /dev/null ||
		{ echo "SKIP: qemu-system-x86_64 missing (package qemu-system-x86)"; exit 77; }
	command -v ovs-ofctl > /dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }
	free_hp=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	[ "${free_hp:-0}" -ge "$1" ] ||
		{ echo "SKIP: needs $1 free 2 MiB hugepages, has ${free_hp:-0}"; exit 77; }
	GUEST=${SL_VM_GUEST:-/var/cache/sluice-vm/guest}
	bash "$VMDIR/build-guest.sh" "$GUEST" ||
		{ echo "SKIP: cannot build the guest image (no Debian mirror?)"; exit 77; }
}

# vm_g VM [TIMEOUT] -- COMMAND: run COMMAND in guest VM (scripts/vm/guest.py).
vm_g() {
	local vm=$1 to=60
	shift
	[ "$1" != "--" ] && { to=$1; shift; }
	shift
	/usr/bin/python3 "$VMDIR/guest.py" run "$T/$vm.ctl" --timeout "$to" -- "$*"
}

# vm_gstat VM: "rx_packets tx_packets rx_bytes tx_bytes" of the guest's eth0.
vm_gstat() {
	vm_g "$1" -- 'cd /sys/class/net/eth0/statistics && echo $(cat rx_packets tx_packets rx_bytes tx_bytes)'
}

# vm_start NAME SOCK MODE IP/LEN: start a guest in the background (QEMU's
# output in $T/qemu-NAME.log); its QEMU's pid is appended to VM_PIDS.
# SL_VM_HOST_MTU and the other run-guest.sh variables pass through.
VM_PIDS=()
vm_start() {
	"$VMDIR/run-guest.sh" "$GUEST" "$T" "$1" "$2" "$3" "$4" > "$T/qemu-$1.log" 2>&1 &
	VM_PIDS+=($!)
}

# vm_ready VM...: every guest printed its ready line (240 s each at most).
vm_ready() {
	local vm
	for vm in "$@"; do
		/usr/bin/python3 "$VMDIR/guest.py" ready "$T/$vm.console" --timeout 240 ||
			it_fail "guest $vm did not boot"
	done
}

# vm_alive: every guest's QEMU still runs.
vm_alive() {
	local p
	for p in "${VM_PIDS[@]}"; do
		kill -0 "$p" 2> /dev/null || it_fail "a QEMU (pid $p) died"
	done
}

# vm_kill: stop the guests (cleanup).
vm_kill() {
	local p
	for p in "${VM_PIDS[@]}"; do
		kill "$p" 2> /dev/null || true
	done
}

# vm_wait_links N: N "link up" lines of vhost-user ports in sluiced's log.
vm_wait_links() {
	for _ in $(seq 600); do
		[ "$(grep -c -E 'port vm[0-9]+: link up' "$T/log")" -ge "$1" ] && return 0
		kill -0 "$PID" 2> /dev/null || it_fail "sluiced exited"
		sleep 0.1
	done
	it_fail "ports not up after 60 s ($(grep -c 'link up' "$T/log") of $1 link-up lines)"
}

# vm_iperf FROM TO_IP SECONDS TITLE: TCP from guest FROM; prints and returns
# (in IPERF_RATE) the receiver's Gbit/s.
vm_iperf() {
	local out
	out=$(vm_g "$1" $(($3 + 60)) -- "iperf3 -c $2 -t $3 -f g" 2>&1) ||
		it_fail "iperf3 ($4) failed: $out"
	IPERF_RATE=$(echo "$out" | awk '/receiver/ { for (i = 1; i < NF; i++)
		if ($(i + 1) == "Gbits/sec") print $i }')
	echo "  iperf3 $1 -> $2, $4: ${IPERF_RATE:-?} Gbit/s"
}

# vm_fail MESSAGE: the guests' consoles, QEMU's and sluiced's logs (without
# rte_vhost's message trace), the message; exit 1. It is it_fail for the
# tests that source this file (lib.sh's helpers call it_fail).
vm_fail() {
	local f
	for f in "$T"/vm*.console "$T"/qemu*.log "$T"/sluiced1.log "$T"/log; do
		[ -s "$f" ] && { echo "----- $f"; grep -v '^VHOST_CONFIG' "$f" | tail -30; }
	done
	echo "FAIL: $*"
	exit 1
}
it_fail() { vm_fail "$@"; }

# ---- counters: the guests' eth0 and sluiced's ports --------------------------
# VM_PORTS: the sluiced ports vm_snap reads (the test may add its own).
VM_PORTS=(vm1 vm2)

# vm_pstat PORT FIELD: a port counter from telemetry (/sluice/ports).
vm_pstat() { it_tel /sluice/ports "$1" "$2"; }

# vm_wait_quiet: VM_PORTS' rx counters stop moving for a second (frames in
# flight have landed: the guests' counters and sluiced's agree only then).
vm_wait_quiet() {
	local last="" now p
	for _ in $(seq 60); do
		now=""
		for p in "${VM_PORTS[@]}"; do now="$now $(vm_pstat "$p" rx_packets)"; done
		[ "$now" = "$last" ] && return 0
		last=$now
		sleep 1
	done
	vm_fail "traffic did not stop within 60 s"
}

# vm_snap NAME: the guests' and sluiced's packet counters, into S[NAME.KEY]
# (KEY: g1rx g1tx g2rx g2tx for guests vm1 and vm2; PORT.rx_packets,
# PORT.tx_packets, PORT.tx_dropped, PORT.rx_bytes for each of VM_PORTS).
declare -A S
vm_snap() {
	local n=$1 rx tx p k
	vm_wait_quiet
	read -r rx tx _ < <(vm_gstat vm1) && S[$n.g1rx]=$rx S[$n.g1tx]=$tx
	read -r rx tx _ < <(vm_gstat vm2) && S[$n.g2rx]=$rx S[$n.g2tx]=$tx
	for p in "${VM_PORTS[@]}"; do
		for k in rx_packets tx_packets tx_dropped rx_bytes; do
			S[$n.$p.$k]=$(vm_pstat "$p" "$k")
		done
	done
	[ -n "${S[$n.g1tx]:-}" ] && [ -n "${S[$n.g2tx]:-}" ] || vm_fail "snapshot $n: no guest counters"
}

# vm_sdelta A B KEY: S[B.KEY] - S[A.KEY]
vm_sdelta() { echo $((${S[$2.$3]} - ${S[$1.$3]})); }

# vm_check_exact TITLE A B [ring-full-ok]: from snapshot A to B every frame
# a guest sent went through sluiced to the other guest, and the counters on
# all four sides agree. With ring-full-ok (bulk TCP into a slow TCG guest),
# frames the receiving guest had no rx buffer for may be dropped, but only
# into sluiced's tx_dropped of that port: guest tx = sluiced rx = sluiced
# tx + tx_dropped, sluiced tx = guest rx.
vm_check_exact() {
	local t=$1 a=$2 b=$3 g1tx g1rx g2tx g2rx s1rx s1tx s2rx s2tx d1 d2
	g1tx=$(vm_sdelta "$a" "$b" g1tx) g1rx=$(vm_sdelta "$a" "$b" g1rx)
	g2tx=$(vm_sdelta "$a" "$b" g2tx) g2rx=$(vm_sdelta "$a" "$b" g2rx)
	s1rx=$(vm_sdelta "$a" "$b" vm1.rx_packets) s1tx=$(vm_sdelta "$a" "$b" vm1.tx_packets)
	s2rx=$(vm_sdelta "$a" "$b" vm2.rx_packets) s2tx=$(vm_sdelta "$a" "$b" vm2.tx_packets)
	d1=$(vm_sdelta "$a" "$b" vm1.tx_dropped) d2=$(vm_sdelta "$a" "$b" vm2.tx_dropped)
	echo "  counters ($t): vm1 tx $g1tx -> sluiced vm1 rx $s1rx -> vm2 tx $s2tx" \
		"(+ $d2 guest ring full) -> guest vm2 rx $g2rx;" \
		"vm2 tx $g2tx -> sluiced vm2 rx $s2rx -> vm1 tx $s1tx (+ $d1) -> guest vm1 rx $g1rx"
	[ "$g1tx" -gt 0 ] && [ "$g2tx" -gt 0 ] || vm_fail "$t: a guest sent nothing"
	if [ "${4:-}" != ring-full-ok ]; then
		[ "$d1" = 0 ] && [ "$d2" = 0 ] || vm_fail "$t: sluiced dropped frames on tx to a guest"
	fi
	[ "$g1tx" = "$s1rx" ] && [ "$s1rx" = $((s2tx + d2)) ] && [ "$s2tx" = "$g2rx" ] ||
		vm_fail "$t: vm1 -> vm2 counters differ"
	[ "$g2tx" = "$s2rx" ] && [ "$s2rx" = $((s1tx + d1)) ] && [ "$s1tx" = "$g1rx" ] ||
		vm_fail "$t: vm2 -> vm1 counters differ"
}
