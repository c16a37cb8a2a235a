# Shared helpers of the integration tests (sourced, not run).
# Each test sets T (its temp dir) and PID (sluiced's pid) and calls
# it_cleanup from its EXIT trap.

# it_veths NAME...: a veth pair NAME0/NAME1 per name, up, without IPv6
# (so the kernel's own ND/MLD chatter stays off the wire).
it_veths() {
	for v in "$@"; do
		ip link del "${v}0" 2>/dev/null || true
		ip link add "${v}0" type veth peer name "${v}1"
		for e in 0 1; do
			sysctl -qw "net.ipv6.conf.${v}${e}.disable_ipv6=1" || true
			ip link set "${v}${e}" up
		done
	done
}

# it_del_veths NAME...
it_del_veths() {
	for v in "$@"; do ip link del "${v}0" 2>/dev/null || true; done
}

# it_fail MESSAGE: print sluiced's log and the message, exit 1.
it_fail() {
	cat "$T/log" 2>/dev/null
	echo "FAIL: $*"
	exit 1
}

# it_start_sluiced SLUICED CONFIG: start it in the background (PID) and wait
# until it forwards.
it_start_sluiced() {
	"$1" -c "$2" > "$T/log" 2>&1 &
	PID=$!
	for _ in $(seq 100); do
		grep -q "sluiced: forwarding" "$T/log" && return 0
		kill -0 "$PID" 2>/dev/null || it_fail "sluiced exited"
		sleep 0.1
	done
	it_fail "sluiced did not start forwarding"
}

# it_stop_sluiced: SIGTERM, and sluiced must exit 0.
it_stop_sluiced() {
	local rc=0
	kill -TERM "$PID"
	wait "$PID" || rc=$?
	PID=
	[ "$rc" = 0 ] || it_fail "sluiced exited with $rc"
}

# ---- fault-injection tests (test_fault_*.sh) and scripts/soak.sh ----------
# Traffic, counters and OpenFlow clients are in fault_tool.py (its --help
# lists the commands); a test sets FLT_PREFIX, sluiced's EAL file prefix.
IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
it_ft() { /usr/bin/python3 "$IT_DIR/fault_tool.py" "$@"; }

# it_tel CMD KEY...: one value (or JSON) from sluiced's telemetry.
it_tel() { it_ft tel "$FLT_PREFIX" "$@"; }

# it_wsum FIELD: FIELD summed over the workers (/sluice/workers).
it_wsum() { it_ft telsum "$FLT_PREFIX" /sluice/workers "$1"; }

# it_ifc IFACE FIELD: a kernel interface counter (sysfs).
it_ifc() { cat "/sys/class/net/$1/statistics/$2"; }

# it_snap NAME IFACE...: sluiced's and the interfaces' counters to $T/NAME.json
it_snap() { local n=$1; shift; it_ft snap "$FLT_PREFIX" "$T/$n.json" "$@"; }

# it_acct TITLE BEFORE AFTER ARGS...: the accounting table (fault_tool.py
# acct); fails the test when a frame is unaccounted for.
it_acct() {
	local title=$1 b=$2 a=$3
	shift 3
	echo "accounting: $title"
	it_ft acct "$T/$b.json" "$T/$a.json" "$@" || it_fail "$title: frames unaccounted for"
}

# it_wait_quiet SECONDS: wait until the workers' rx counter stops moving
# (at least 0.5 s), so that every frame in flight has landed.
it_wait_quiet() {
	local last=-1 now i
	for i in $(seq $(( $1 * 4 ))); do
		now=$(it_wsum rx_packets)
		[ "$now" = "$last" ] && return 0
		last=$now
		sleep 0.25
	done
	it_fail "traffic did not stop within $1 s"
}

# it_flt_ini FILE LISTEN_PORT [EXTRA_OPENFLOW_LINES [EXTRA_SWITCH_LINES]]:
# the head of a fault test's config (one worker on lcore 1), ports follow.
it_flt_ini() {
	cat > "$1" <<INI
[switch]
main_lcore = 0
workers = 1
${4:-}
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=$FLT_PREFIX --log-level=lib.eal:warning
[openflow]
listen = ptcp:$2
${3:-}
INI
}

# it_afp_port FILE NAME IFACE OFPORT [EXTRA]: an af_packet port section.
it_afp_port() {
	printf '[port:%s]\ntype = dpdk\ndevargs = net_af_packet_%s%s,iface=%s%s\nofport = %s\n' \
		"$2" "$2" "$$" "$3" "${5:-}" "$4" >> "$1"
}

# it_stop_sluiced_in SECONDS: SIGTERM; sluiced must exit 0 within SECONDS
# and without a sanitizer report. Prints how long it took.
it_stop_sluiced_in() {
	local t0 rc=0 i
	t0=$(date +%s%N)
	kill -TERM "$PID"
	for i in $(seq $(( $1 * 10 ))); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$PID" 2>/dev/null && it_fail "sluiced still running $1 s after SIGTERM"
	wait "$PID" || rc=$?
	PID=
	echo "sluiced exited $rc after SIGTERM in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
	[ "$rc" = 0 ] || it_fail "sluiced exited with $rc"
	! grep -E -q 'runtime error:|AddressSanitizer|LeakSanitizer' "$T/log" ||
		it_fail "sanitizer report in sluiced's log"
}

# it_sget NAME KEY...: one value of snapshot $T/NAME.json (it_snap).
it_sget() { local n=$1; shift; it_ft snapget "$T/$n.json" "$@"; }

# it_need_testpmd: what the vhost fault tests need, or SKIP (exit 77):
# dpdk-testpmd (sets TESTPMD), ovs-ofctl, 400 free 2 MiB hugepages.
it_need_testpmd() {
	local free_hp
	TESTPMD=$(command -v dpdk-testpmd || true)
	[ -n "$TESTPMD" ] || { echo "SKIP: dpdk-testpmd not installed (package dpdk)"; exit 77; }
	command -v ovs-ofctl >/dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }
	free_hp=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	[ "${free_hp:-0}" -ge 400 ] ||
		{ echo "SKIP: needs 400 free 2 MiB hugepages, has ${free_hp:-0}"; exit 77; }
}

# it_ping_lost FILE: "SENT LOST GAP" of a (busybox or iputils) ping's output:
# echo requests, those unanswered, the longest run of them.
it_ping_lost() {
	awk '/seq=/ { s = $0; sub(/.*seq=/, "", s); sub(/[^0-9].*/, "", s); s += 0
			if (n == 0) { last = s - 1 }
			if (s - last - 1 > gap) gap = s - last - 1; last = s; n++ }
		/packets transmitted/ { sent = $1 }
		END { if (sent - 1 - last > gap) gap = sent - 1 - last
			printf "%d %d %d\n", sent, sent - n, gap }' "$1"
}

# ---- VXLAN tests ----------------------------------------------------------
# it_kernel_vtep P VNI INNER_IP/LEN INNER_MAC: a Linux VTEP facing sluiced:
# veths ${P}u0 (stays here for sluiced's af_packet underlay, no address: the
# kernel keeps out of it) and ${P}u1 in netns ${P}ul with 192.0.2.2/24, and
# there a kernel vxlan device ${P}vx (VNI, remote 192.0.2.1, UDP 4789) with
# INNER_MAC and INNER_IP. Sets NS ("ip netns exec ${P}ul").
it_kernel_vtep() {
	local p=$1
	ip netns del "${p}ul" 2>/dev/null || true
	it_veths "${p}u"
	ip netns add "${p}ul"
	ip link set "${p}u1" netns "${p}ul"
	NS="ip netns exec ${p}ul"
	$NS ip link set lo up
	$NS ip link set "${p}u1" up
	$NS ip addr add 192.0.2.2/24 dev "${p}u1"
	$NS ip link add "${p}vx" type vxlan id "$2" remote 192.0.2.1 local 192.0.2.2 dstport 4789 \
		dev "${p}u1"
	$NS ip link set "${p}vx" address "$4" up
	$NS ip addr add "$3" dev "${p}vx"
}
