#!/bin/bash
# Controller disconnect with the real sluiced and an os-ken controller
# (osken/counter.py, active connection), in both fail modes:
#  secure: the app's ARP/IPv4 rules keep the namespaces pinging after the
#    controller is killed; table misses are dropped (they reached the app
#    before); the restarted controller is reconnected (backoff) and gets
#    the misses again.
#  standalone: the app installs no forwarding rule, so ping fails while it
#    is connected; killed, sluiced forwards on its own and ping works;
#    restarted, it is reconnected and the switch is its again (no ping).
# usage: test_osken_failmode.sh SLUICED
. "$(dirname "$0")/osken/lib_osken.sh"
os_begin okf "${1:-}" sl-okfa sl-okfb

os_netns_pair sl-okf1 sl-okf2 $VETHS
CTL=$(os_free_port)

pings() { # count -> replies received from ns1 to ns2
	ip netns exec sl-okf1 ping -c "$1" -i 0.2 -W 1 10.77.0.2 2>&1 |
		sed -nE 's/.* ([0-9]+) received.*/\1/p'
}
misses() { # n frames to an unknown MAC from ns1 -> how many reached ns2
	ip netns exec sl-okf2 /usr/bin/python3 "$OS_DIR/seqtraffic.py" recv sl-okfb1 1.5 > "$T/rx" &
	local rp=$!
	sleep 0.3
	ip netns exec sl-okf1 /usr/bin/python3 "$OS_DIR/seqtraffic.py" send sl-okfa1 "$1" 200 - 1 9
	wait $rp
	cat "$T/rx"
}
app_pins() { tr -d '[],' < "$T/ctl.pins" | awk '{print $2}'; }
start_ctl() { # static(0/1): start the app
	rm -f "$T"/ctl.*
	os_start_app ctl "$CTL" counter.py SL_STATIC="$1"
	CPID=$OS_LAST
}
wait_ctl() { # until the switch is connected and the app's rules are in
	os_wait_file "$T/ctl.ready" 60
	os_wait_file "$T/ctl.pins" 5
}
kill_ctl() {
	os_stop_app "$CPID"
	sleep 0.5 # sluiced sees the connection close
}
start_sw() { # fail mode
	ip -n sl-okf1 neigh flush all; ip -n sl-okf2 neigh flush all
	os_sluiced_ini "$T/sl.ini" "sl-okfa0 sl-okfb0" \
		"controllers = tcp:127.0.0.1:$CTL
listen = none
max_backoff = 1
fail_mode = $1"
	it_start_sluiced "$SLUICED" "$T/sl.ini"
}

# --- secure
start_ctl 1
start_sw secure
wait_ctl
[ "$(pings 2)" = 2 ] || it_fail "secure: no ping with the app's rules"
[ "$(misses 20)" = 0 ] || it_fail "secure: a miss was forwarded"
[ "$(app_pins)" = 20 ] || it_fail "secure: app got $(app_pins) of 20 misses"
kill_ctl
[ "$(pings 2)" = 2 ] || it_fail "secure: rules stopped forwarding without the controller"
[ "$(misses 20)" = 0 ] || it_fail "secure: a miss was forwarded without the controller"
start_ctl 1
wait_ctl
[ "$(misses 20)" = 0 ] || it_fail "secure: a miss was forwarded after the reconnect"
[ "$(app_pins)" = 20 ] || it_fail "secure: reconnected app got $(app_pins) of 20 misses"
it_stop_sluiced
grep -qE "packet_ins_no_controller ([2-9][0-9]|[1-9][0-9][0-9]+)" "$T/log" ||
	it_fail "secure: misses without a controller not counted"
echo "secure: rules kept, misses dropped, reconnected"
os_stop_app "$CPID"

# --- standalone
start_ctl 0
start_sw standalone
wait_ctl
[ "$(pings 1)" = 0 ] || it_fail "standalone: ping works with a controller that forwards nothing"
kill_ctl
[ "$(pings 3)" = 3 ] || it_fail "standalone: no ping without the controller"
start_ctl 0
wait_ctl
ip -n sl-okf1 neigh flush all
[ "$(pings 1)" = 0 ] || it_fail "standalone: still forwarding on its own after the reconnect"
it_stop_sluiced
echo "ok: controller disconnect in fail modes secure and standalone, reconnect"
