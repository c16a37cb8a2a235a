#!/bin/bash
# sluiced in OpenFlow mode between two veth pairs (net_af_packet), driven by
# ovs-ofctl over its ptcp listener: a rule forwards, counters are exact,
# deleting the rule stops forwarding, port-mod no-forward stops it too.
# usage: test_openflow.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/sl-it-of.XXXXXX)
PORT=$((20000 + $$ % 20000))
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	it_del_veths sl-ofa sl-ofb
	rm -rf "$T"
}
trap cleanup EXIT

it_veths sl-ofa sl-ofb
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=sl-it-of-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT
[port:a]
type = dpdk
devargs = net_af_packet_ofa$$,iface=sl-ofa0
ofport = 1
[port:b]
type = dpdk
devargs = net_af_packet_ofb$$,iface=sl-ofb0
ofport = 2
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"

send_count() { # n -> frames received on sl-ofb1
	/usr/bin/python3 "$HERE/rawsock.py" recv sl-ofb1 2.5 > "$T/rx" &
	local rp=$!
	sleep 0.5
	/usr/bin/python3 "$HERE/rawsock.py" send sl-ofa1 "$1"
	wait $rp
	cat "$T/rx"
}

$OF show $SW > "$T/show" || it_fail "ovs-ofctl show"
grep -q "1(a)" "$T/show" && grep -q "2(b)" "$T/show" || { cat "$T/show"; it_fail "ports missing in show"; }

# 1. no rule: table miss drops (fail mode secure)
got=$(send_count 50)
[ "$got" = 0 ] || it_fail "forwarded $got frames without a rule"

# 2. a rule forwards; counters are exact after a barrier
$OF add-flow $SW "in_port=1,actions=output:2"
got=$(send_count 200)
[ "$got" = 200 ] || it_fail "rule in_port=1->2: received $got of 200"
$OF dump-flows $SW > "$T/flows"
cat "$T/flows"
grep -q "n_packets=200, n_bytes=12800,.*in_port=1 actions=output:2" "$T/flows" ||
	it_fail "flow counters are not exact"

# 3. port-mod no-forward on the output port stops it
$OF mod-port $SW 2 no-forward
got=$(send_count 50)
[ "$got" = 0 ] || it_fail "no-forward port still forwarded $got"
$OF mod-port $SW 2 forward

# 4. deleting the rule stops forwarding (barrier: ovs-ofctl waits for it)
$OF del-flows $SW "in_port=1"
got=$(send_count 50)
[ "$got" = 0 ] || it_fail "deleted rule still forwards ($got)"

it_stop_sluiced
echo "ok: OpenFlow rules, counters, port-mod and delete through ovs-ofctl"
