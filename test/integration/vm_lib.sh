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
