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
# the head of a test's config (one worker on lcore 1, EAL file prefix
# FLT_PREFIX), ports follow (it_afp_port).
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

# it_raw_counts FROM SRC DST N RECV...: N frames (ethertype 0x88b5, MACs
# ending in SRC and DST) sent from interface FROM while each RECV interface
# counts what it gets for 2.5 s; prints the counts in RECV order.
it_raw_counts() {
	local from=$1 src=$2 dst=$3 n=$4 i out=
	local -a pids=()
	shift 4
	for i in "$@"; do
		/usr/bin/python3 "$IT_DIR/rawsock.py" recv "$i" 2.5 > "$T/raw.$i" &
		pids+=($!)
	done
	sleep 0.5
	/usr/bin/python3 "$IT_DIR/rawsock.py" send "$from" "$n" 0x88b5 "$src" "$dst"
	wait "${pids[@]}"
	for i in "$@"; do out="$out${out:+ }$(cat "$T/raw.$i")"; done
	echo "$out"
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
# echo requests, those unanswered, the longest run of them (at the start and
# the end too). Replies are the "bytes from" lines but duplicates; iputils
# numbers from 1 (its first line says "bytes of data"), busybox from 0.
it_ping_lost() {
	awk 'NR == 1 { last = /bytes of data/ ? 0 : -1; first = last }
		/bytes from/ && /seq=/ && !/DUP/ {
			s = $0; sub(/.*seq=/, "", s); sub(/[^0-9].*/, "", s); s += 0
			if (s - last - 1 > gap) gap = s - last - 1; last = s; n++ }
		/packets transmitted/ { sent = $1 }
		END { if (first + sent - last > gap) gap = first + sent - last
			printf "%d %d %d\n", sent, sent - n, gap }' "$1"
}

# ---- upgrade and state tests (test_upgrade*.sh, test_state.sh, test_vm_upgrade.sh)
# They set LST (sluiced's OpenFlow listener: ptcp:$LST:127.0.0.1) and CTL
# (sluicectl); their management socket is $T/sl.ctl.

# it_upgrade_ini FILE [EXTRA_SWITCH_LINES]: the head of such a test's config
# (it_flt_ini): OpenFlow on LST (fail_mode secure), the management socket,
# the state file $T/sl.state; ports follow.
it_upgrade_ini() {
	it_flt_ini "$1" "$LST:127.0.0.1" "fail_mode = secure" \
		"mgmt_socket = $T/sl.ctl
state_file = $T/sl.state${2:+
$2}"
}

# it_flow_field COOKIE FIELD: FIELD (n_packets, duration in seconds...) of
# the rule with that cookie.
it_flow_field() {
	ovs-ofctl -O OpenFlow13 dump-flows "tcp:127.0.0.1:$LST" "cookie=$1/-1" |
		sed -nE "s/.* $2=([0-9.]+)s?,.*/\1/p"
}

# it_await_pid PID: wait (10 s at most) until the sluiced that answers on the
# management socket is PID (after a hand-over or a rollback).
it_await_pid() {
	for _ in $(seq 100); do
		"$CTL" -s "$T/sl.ctl" upgrade-info 2>/dev/null | grep -q "^pid $1\$" && return 0
		sleep 0.1
	done
	it_fail "pid $1 does not answer on the management socket"
}

# it_await_ofctl: wait (5 s at most) until the OpenFlow listener answers.
it_await_ofctl() {
	for _ in $(seq 50); do
		ovs-ofctl -O OpenFlow13 show "tcp:127.0.0.1:$LST" > /dev/null 2>&1 && return 0
		sleep 0.1
	done
	it_fail "no OpenFlow listener on $LST"
}

# it_upgrade [ARGS...]: `sluicectl upgrade ARGS` (its output in $T/log2)
# hands the switch over from sluiced PID, which must exit 0. Sets NEW, the
# new process (not this shell's child: also listed in $T/pids, which the
# test's EXIT trap kills), and OLD; empties PID.
it_upgrade() {
	"$CTL" -s "$T/sl.ctl" upgrade "$@" > "$T/log2" 2>&1 || { cat "$T/log2"; it_fail "upgrade failed"; }
	NEW=$(sed -nE 's/^upgraded: pid [0-9]+ -> pid ([0-9]+).*/\1/p' "$T/log2")
	[ -n "$NEW" ] || { cat "$T/log2"; it_fail "sluicectl upgrade named no new pid"; }
	echo "$NEW" >> "$T/pids"
	OLD=$PID
	wait "$OLD" || it_fail "the old sluiced exited with $?"
	PID=
}

# it_stop_new: SIGTERM to NEW (it_upgrade); it must be gone within 10 s.
# (Not this shell's child: its exit status is not known here.)
it_stop_new() {
	kill -TERM "$NEW"
	for _ in $(seq 100); do kill -0 "$NEW" 2>/dev/null || return 0; sleep 0.1; done
	it_fail "the new sluiced did not stop"
}

# it_of_listener: sluiced (PID) listens on ptcp:0, the kernel chose the
# port; ss knows it. Sets OFPORT and SW (tcp:127.0.0.1:OFPORT).
it_of_listener() {
	OFPORT=$(ss -Htlnp | sed -n "s/.*127.0.0.1:\([0-9]*\) .*pid=$PID,.*/\1/p" | head -1)
	[ -n "$OFPORT" ] || it_fail "cannot find sluiced's OpenFlow listener (ss -tlnp)"
	SW=tcp:127.0.0.1:$OFPORT
}

# it_tap_ns NAME IP/LEN MAC: the tap PMD's interface NAME moved into a
# namespace of that name (a "VM"), up with MAC and IP.
it_tap_ns() {
	ip netns add "$1"
	ip link set "$1" netns "$1" || it_fail "cannot move the tap $1 into a namespace"
	ip netns exec "$1" ip link set lo up
	ip netns exec "$1" ip link set "$1" address "$3" up
	ip netns exec "$1" ip addr add "$2" dev "$1"
}

# it_await_capture LOG...: wait (15 s at most: tshark takes seconds to
# start on a loaded machine) until each tshark LOG says its capture started.
it_await_capture() {
	local log
	for log in "$@"; do
		for _ in $(seq 150); do
			grep -q "Capture started" "$log" && break
			sleep 0.1
		done
		grep -q "Capture started" "$log" || it_fail "tshark did not start: $(cat "$log")"
	done
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

# it_vtep_pin P: sluiced answers no ARP for its VTEP in these tests, so the
# kernel VTEP of it_kernel_vtep P is told sluiced's underlay MAC. Sets U0_MAC
# and U1_MAC (the MACs of ${P}u0 and ${P}u1).
it_vtep_pin() {
	U0_MAC=$(cat "/sys/class/net/${1}u0/address")
	U1_MAC=$($NS cat "/sys/class/net/${1}u1/address")
	$NS ip neigh replace 192.0.2.1 lladdr "$U0_MAC" dev "${1}u1" nud permanent
}

# it_vxlan_needs: SKIP (exit 77) without ovs-ofctl or tshark; the vxlan
# module loaded where the kernel has it as one.
it_vxlan_needs() {
	local c
	for c in ovs-ofctl tshark; do
		command -v $c >/dev/null || { echo "SKIP: $c missing"; exit 77; }
	done
	modprobe vxlan 2>/dev/null || true
}

# it_vxlan_cleanup P [KEEP]: a VXLAN test's EXIT trap: stop sluiced (PID)
# and the test's other background jobs (a capture a failed check left
# running would keep the wait, and the test, from ending), wait for them,
# remove the netns ${P}ul and ${P}vm and the veths ${P}u; $T copied to KEEP
# when that is given, then removed.
it_vxlan_cleanup() {
	local j
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del "${1}ul" 2>/dev/null || true
	ip netns del "${1}vm" 2>/dev/null || true
	it_del_veths "${1}u"
	[ -n "${2:-}" ] && cp -r "$T" "$2" 2>/dev/null; rm -rf "$T"
}

# it_tnl_ini FILE P [EXTRA_SWITCH_LINES] [EXTRA_OPENFLOW_LINES]: the head of
# a tunnel test's config: management socket $T/ctl, OpenFlow on ptcp:0
# (fail_mode secure), [port:und] af_packet on ${P}u0 (ofport 1); the test
# appends its VM and tunnel ports (it_tap_port, it_vxlan_port).
it_tnl_ini() {
	cat > "$1" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $T/ctl
${3:-}
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=$2-tnl-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:0
fail_mode = secure
${4:-}
[port:und]
type = afpacket
iface = ${2}u0
ofport = 1
INI
}

# it_tap_port FILE NAME IFACE OFPORT: a net_tap port section (the "VM" of a
# tunnel test; it_tap_ns moves IFACE into its namespace) appended to FILE.
it_tap_port() {
	printf '[port:%s]\ntype = dpdk\ndevargs = net_tap_%s%s,iface=%s\nofport = %s\n' \
		"$2" "$3" "$$" "$3" "$4" >> "$1"
}

# it_vxlan_ini FILE P [EXTRA_OPENFLOW_LINES]: it_tnl_ini's head and
# [port:vm], the tap ${P}vm (ofport 2); the test appends its vxlan port(s).
it_vxlan_ini() {
	it_tnl_ini "$1" "$2" "" "${3:-}"
	it_tap_port "$1" vm "${2}vm" 2
}

# it_vxlan_port FILE NAME REMOTE KEY OFPORT: a vxlan port section (VTEP
# 192.0.2.1 on the underlay und of it_vxlan_ini) appended to FILE.
it_vxlan_port() {
	printf '[port:%s]\ntype = vxlan\nunderlay = und\nlocal_ip = 192.0.2.1\n' "$2" >> "$1"
	printf 'remote_ip = %s\nkey = %s\nofport = %s\n' "$3" "$4" "$5" >> "$1"
}
