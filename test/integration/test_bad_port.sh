#!/bin/bash
# A port that cannot be opened fails alone, with the device's error, and the
# other ports keep forwarding. A bad config fails with file:line; a start
# without usable hugepages fails with a message that says what to do.
# usage: test_bad_port.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/sl-it-bad.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { cat "$T/log" 2>/dev/null; echo "FAIL: $*"; exit 1; }

# 1. configuration errors name the file and line, and exit 2 before EAL
printf '[switch]\nworkers = 1\n[port:p]\ntype = dpdk\ndevarg = net_null0\n' > "$T/bad.ini"
rc=0; "$SLUICED" -c "$T/bad.ini" > "$T/log" 2>&1 || rc=$?
[ $rc = 2 ] || fail "bad config: exit $rc, expected 2"
grep -q "$T/bad.ini:5: unknown key 'devarg' in \[port:p\]" "$T/log" || fail "bad config message"

# 2. no hugepages where EAL looks for them: a clear message, exit non-zero
mkdir -p "$T/nohuge"
printf '[switch]\nworkers = 1\n[openflow]\nlisten = none\n[port:n]\ntype = dpdk\ndevargs = net_null0\n' > "$T/nohuge.ini"
rc=0; timeout 60 "$SLUICED" -c "$T/nohuge.ini" -- --huge-dir "$T/nohuge" --file-prefix "sl-it-nohuge-$$" \
	> "$T/log" 2>&1 || rc=$?
[ $rc = 1 ] || fail "no hugepages: exit $rc, expected 1"
grep -q "sluiced: EAL initialisation failed" "$T/log" || fail "no hugepages: no EAL message"
grep -Eq "hugetlbfs|no hugepages are reserved|hugepages are in use" "$T/log" ||
	fail "no hugepages: no hint about hugepages"

# 3. two broken ports among working ones
N=200
/usr/bin/python3 "$HERE/pcap_tool.py" gen "$T/in.pcap" $N
/usr/bin/python3 "$HERE/pcap_tool.py" gen "$T/empty.pcap" 0
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=sl-it-bad-$$ --log-level=lib.eal:warning
[port:nosuchdriver]
type = dpdk
devargs = net_nosuchdriver0
[port:in]
type = dpdk
devargs = net_pcap_bi$$,rx_pcap=$T/in.pcap,tx_pcap=$T/in-tx.pcap
[port:badfile]
type = dpdk
devargs = net_pcap_bf$$,rx_pcap=$T/does-not-exist.pcap
[port:out]
type = dpdk
devargs = net_pcap_bo$$,rx_pcap=$T/empty.pcap,tx_pcap=$T/out.pcap
[xconnect]
in = out
badfile = out
INI
"$SLUICED" -c "$T/sl.ini" > "$T/log" 2>&1 &
PID=$!
for _ in $(seq 100); do
	grep -q "sluiced: forwarding" "$T/log" && break
	kill -0 $PID 2>/dev/null || fail "sluiced exited"
	sleep 0.1
done
sleep 1.5
kill -TERM $PID
rc=0; wait $PID || rc=$?
PID=
cat "$T/log"
[ "$rc" = 0 ] || fail "sluiced exited with $rc on SIGTERM"
grep -q 'port nosuchdriver (ofport 1, dpdk "net_nosuchdriver0"): failed: cannot probe device' "$T/log" ||
	fail "no clear error for the unknown driver"
grep -q 'port badfile (ofport 3, .*): failed: cannot probe device' "$T/log" ||
	fail "no clear error for the missing pcap file"
/usr/bin/python3 "$HERE/pcap_tool.py" cmp "$T/in.pcap" "$T/out.pcap"

# 4. the PCI allow-list comes from the config: a config without PCI ports
# probes no PCI device (--no-pci); PCI ports are the only ones allowed (-a),
# with their devargs when well-formed; a malformed devargs string fails its
# port alone (and is not handed to EAL, which would stop for every port).
cat > "$T/pci.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = none
[dpdk]
eal_args = --in-memory --file-prefix=sl-it-pci-$$ --log-level=lib.eal:warning
[openflow]
listen = none
[port:n]
type = dpdk
devargs = net_null_pn$$
INI
"$SLUICED" -c "$T/pci.ini" > "$T/log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "sluiced: forwarding" "$T/log" && break; sleep 0.1; done
kill -TERM $PID; rc=0; wait $PID || rc=$?; PID=
[ "$rc" = 0 ] || fail "no-PCI config: exit $rc"
grep -Eq "^sluiced: EAL arguments: .* --no-pci$" "$T/log" || fail "no --no-pci without PCI ports"
cat >> "$T/pci.ini" <<INI
[port:nic]
type = dpdk
devargs = 0000:00:1f.7,representor=[0-3]
[port:badnic]
type = dpdk
devargs = 0000:00:1e.7,bogus=[
INI
"$SLUICED" -c "$T/pci.ini" > "$T/log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "sluiced: forwarding" "$T/log" && break; sleep 0.1; done
grep -q "sluiced: forwarding" "$T/log" || fail "PCI config: not forwarding"
kill -TERM $PID; rc=0; wait $PID || rc=$?; PID=
[ "$rc" = 0 ] || fail "PCI config: exit $rc"
grep -Eq "^sluiced: EAL arguments: .* -a 0000:00:1f.7,representor=\[0-3\] -a 0000:00:1e.7$" "$T/log" ||
	fail "allow-list not built from the PCI ports"
grep -q 'port badnic (ofport 3, dpdk "0000:00:1e.7,bogus=\["): failed' "$T/log" ||
	fail "the malformed PCI port did not fail alone"
echo "PASS bad ports, bad config, no hugepages, PCI allow-list"
