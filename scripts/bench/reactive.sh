#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Reactive flow setup: sluiced (two af_packet ports on veths, packet-in
# rate limit out of the way) connected to reactive_flows.py, which
# installs one rule per packet-in for N new flows offered at PPS.
#   sudo scripts/bench/reactive.sh [SLUICED [N [PPS]]]
# With --latency first: packet-in latency at rest instead, N frames (200)
# sent one at a time GAP_MS (20) apart; with --first-packet, the switch's
# own latency for the first packet of a new flow (a cache miss it decides
# itself), N frames (100) GAP_MS (150) apart:
#   sudo scripts/bench/reactive.sh --latency|--first-packet [SLUICED [N [GAP_MS]]]
# Prints reactive_flows.py's line (see there) and sluiced's counters.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
MODE=flows
case "${1:-}" in
--latency) MODE=latency; shift ;;
--first-packet) MODE=first-packet; shift ;;
esac
SLUICED=${1:-$HERE/../../build/sluiced/sluiced}
if [ $MODE = latency ]; then
	N=${2:-200}
	GAP_MS=${3:-20}
elif [ $MODE = first-packet ]; then
	N=${2:-100}
	GAP_MS=${3:-150}
else
	N=${2:-20000}
	PPS=${3:-20000}
fi
T=$(mktemp -d /tmp/sl-bench-re.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	ip link del sl-rfa0 2>/dev/null || true
	ip link del sl-rfb0 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
for v in sl-rfa sl-rfb; do
	ip link del "${v}0" 2>/dev/null || true
	ip link add "${v}0" type veth peer name "${v}1"
	for e in 0 1; do
		sysctl -qw "net.ipv6.conf.${v}${e}.disable_ipv6=1" || true
		ip link set "${v}${e}" up
	done
done
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=sl-bench-re-$$ --log-level=lib.eal:warning
[openflow]
controllers = tcp:127.0.0.1:$PORT
listen = none
packet_in_rate = 10000000
packet_in_burst = 10000000
[port:a]
type = dpdk
devargs = net_af_packet_rfa$$,iface=sl-rfa0
ofport = 1
[port:b]
type = dpdk
devargs = net_af_packet_rfb$$,iface=sl-rfb0
ofport = 2
INI
if [ $MODE = latency ]; then
	/usr/bin/python3 "$HERE/reactive_flows.py" latency "$PORT" sl-rfa1 "$N" "$GAP_MS" &
elif [ $MODE = first-packet ]; then
	/usr/bin/python3 "$HERE/reactive_flows.py" first-packet "$PORT" sl-rfa1 sl-rfb1 "$N" "$GAP_MS" &
else
	/usr/bin/python3 "$HERE/reactive_flows.py" "$PORT" sl-rfa1 sl-rfb1 "$N" "$PPS" &
fi
CPID=$!
sleep 0.5
"$SLUICED" -c "$T/sl.ini" > "$T/log" 2>&1 &
PID=$!
wait $CPID
kill -TERM "$PID"
wait "$PID" || true
PID=
grep -E "sluiced: (agent|worker)" "$T/log"
