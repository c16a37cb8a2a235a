#!/bin/bash
# os-ken learning switch (osken/l2switch.py) driving the real sluiced: two
# network namespaces ping each other through sluiced (af_packet ports on
# veths); the app's in_port+eth_dst rules are then seen with ovs-ofctl on
# the listener, with packets counted.
# usage: test_osken_l2.sh SLUICED
. "$(dirname "$0")/osken/lib_osken.sh"
os_begin okl "${1:-}" sl-okla sl-oklb

CTL=$(os_free_port)
LST=$(os_free_port)
os_start_app ctl "$CTL" l2switch.py
os_netns_pair sl-okl1 sl-okl2 $VETHS
os_sluiced_ini "$T/sl.ini" "sl-okla0 sl-oklb0" \
	"controllers = tcp:127.0.0.1:$CTL
listen = ptcp:$LST
max_backoff = 1"
it_start_sluiced "$SLUICED" "$T/sl.ini"
os_wait_file "$T/ctl.connected" 60
[ "$(cat "$T/ctl.connected")" = $((0x5100)) ] || it_fail "datapath id $(cat "$T/ctl.connected")"

ip netns exec sl-okl1 ping -c 3 -i 0.2 -W 2 10.77.0.2 > "$T/ping" 2>&1 || true
cat "$T/ping"
grep -q " 3 received" "$T/ping" || it_fail "ping through the learning switch"

ovs-ofctl -O OpenFlow13 dump-flows "tcp:127.0.0.1:$LST" "cookie=0x5111/-1" > "$T/flows"
cat "$T/flows"
for want in "in_port=1,dl_dst=02:00:00:00:77:02 actions=output:2" \
	    "in_port=2,dl_dst=02:00:00:00:77:01 actions=output:1"; do
	line=$(grep -F "$want" "$T/flows") || it_fail "no rule '$want' from the app"
	[[ $line =~ n_packets=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 2 ] ||
		it_fail "rule '$want' did not count the ping: $line"
done
it_stop_sluiced
echo "ok: os-ken learning switch makes the namespaces ping through sluiced"
