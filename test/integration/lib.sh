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
