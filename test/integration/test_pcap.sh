#!/bin/bash
# net_pcap in, net_pcap out: frames from a pcap file cross sluiced's static
# cross-connect and arrive byte-identical on the other port.
# usage: test_pcap.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/sl-it-pcap.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

N=500
/usr/bin/python3 "$HERE/pcap_tool.py" gen "$T/in.pcap" $N
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=sl-it-pcap-$$ --log-level=lib.eal:warning
[port:in]
type = dpdk
devargs = net_pcap_in$$,rx_pcap=$T/in.pcap,tx_pcap=$T/in-tx.pcap
[port:out]
type = dpdk
devargs = net_pcap_out$$,rx_pcap=$T/empty.pcap,tx_pcap=$T/out.pcap
[xconnect]
in = out
INI
/usr/bin/python3 "$HERE/pcap_tool.py" gen "$T/empty.pcap" 0
"$SLUICED" -c "$T/sl.ini" > "$T/log" 2>&1 &
PID=$!
for _ in $(seq 100); do
	grep -q "sluiced: forwarding" "$T/log" && break
	kill -0 $PID 2>/dev/null || { cat "$T/log"; echo "FAIL: sluiced exited"; exit 1; }
	sleep 0.1
done
grep -q "sluiced: forwarding" "$T/log" || { cat "$T/log"; echo "FAIL: not forwarding"; exit 1; }
sleep 1.5
kill -INT $PID
rc=0; wait $PID || rc=$?
PID=
cat "$T/log"
[ "$rc" = 0 ] || { echo "FAIL: sluiced exited with $rc on SIGINT"; exit 1; }
grep -q "rx $N tx $N tx_dropped 0" "$T/log" || { echo "FAIL: worker counters"; exit 1; }
/usr/bin/python3 "$HERE/pcap_tool.py" cmp "$T/in.pcap" "$T/out.pcap"
