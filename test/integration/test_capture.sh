#!/bin/bash
# Packet capture with Debian's dpdk-dumpcap on a running sluiced (which calls
# rte_pdump_init): 30 frames sent in on port a go out on port b (NORMAL
# floods them); dumpcap attached to b as a secondary process captures
# exactly those 30, and tshark, an independent parser, reads them back
# with their source, destination, ethertype and sequence numbers.
# usage: test_capture.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/sl-it-cap.XXXXXX)
PORT=$((20000 + $$ % 20000))
PREFIX=sl-it-cap-$$
PID=
DC=
cleanup() {
	[ -n "$DC" ] && kill "$DC" 2>/dev/null
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	it_del_veths sl-cpa sl-cpb
	rm -rf "$T"
}
trap cleanup EXIT
command -v dpdk-dumpcap > /dev/null || it_fail "dpdk-dumpcap missing (Debian package dpdk)"

it_veths sl-cpa sl-cpb
# No --in-memory: dumpcap, a secondary process, maps the primary's memory.
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = none
[dpdk]
eal_args = --no-pci --file-prefix=$PREFIX --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT:127.0.0.1
fail_mode = standalone
[port:a]
type = dpdk
devargs = net_af_packet_cpa$$,iface=sl-cpa0
ofport = 1
[port:b]
type = dpdk
devargs = net_af_packet_cpb$$,iface=sl-cpb0
ofport = 2
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"

dpdk-dumpcap --file-prefix="$PREFIX" -D > "$T/ifaces" 2>&1 || it_fail "dumpcap -D: $(cat "$T/ifaces")"
grep -q "net_af_packet_cpb$$" "$T/ifaces" || { cat "$T/ifaces"; it_fail "dumpcap does not see port b"; }
stdbuf -oL dpdk-dumpcap --file-prefix="$PREFIX" -i "net_af_packet_cpb$$" -c 30 -w "$T/b.pcapng" \
	> "$T/dumpcap.log" 2>&1 &
DC=$!
for _ in $(seq 100); do
	grep -q "Capturing on" "$T/dumpcap.log" && break
	kill -0 "$DC" 2>/dev/null || break
	sleep 0.1
done
grep -q "Capturing on" "$T/dumpcap.log" || { cat "$T/dumpcap.log"; it_fail "dumpcap did not start"; }
/usr/bin/python3 "$HERE/rawsock.py" send sl-cpa1 30
for _ in $(seq 100); do
	kill -0 "$DC" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$DC" 2>/dev/null && { cat "$T/dumpcap.log"; it_fail "dumpcap did not get 30 packets"; }
wait "$DC" || { cat "$T/dumpcap.log"; it_fail "dumpcap failed"; }
DC=

# tshark reads the file: 30 frames 02:..:01 -> 02:..:02, ethertype 0x88b5,
# sequence numbers 0..29 in the first payload word.
tshark -r "$T/b.pcapng" -T fields -e eth.src -e eth.dst -e eth.type -e data.data \
	> "$T/fields" 2> "$T/tshark.err" || it_fail "tshark: $(cat "$T/tshark.err")"
n=$(wc -l < "$T/fields")
[ "$n" = 30 ] || { cat "$T/fields"; it_fail "captured $n frames, sent 30"; }
/usr/bin/python3 - "$T/fields" <<'PY' || it_fail "captured frames differ from those sent"
import sys
seqs = []
for line in open(sys.argv[1]):
    src, dst, etype, data = line.rstrip("\n").split("\t")
    assert src == "02:00:00:00:00:01" and dst == "02:00:00:00:00:02", line
    assert etype == "0x88b5", line
    seqs.append(int(data[:8], 16))
assert seqs == list(range(30)), seqs
PY
it_stop_sluiced
echo "PASS capture: 30 frames through dpdk-dumpcap, read back by tshark"
