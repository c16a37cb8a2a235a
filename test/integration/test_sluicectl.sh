#!/bin/bash
# sluicectl against a running sluiced (two veth pairs, standalone NORMAL):
# the management socket's mode and owner check, show/drops/dump-macs in text
# and JSON (counters match the traffic sent), errors (unknown command, bad
# arguments), a non-root user refused, and clients that send garbage, too
# much, or nothing at all while holding the connection: the switch keeps
# answering. At exit the socket file is gone.
# usage: test_sluicectl.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/sl-it-ctl.XXXXXX)
SOCK=$T/run/sluiced.ctl
PORT=$((20000 + $$ % 20000))
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	it_del_veths sl-cta sl-ctb
	rm -rf "$T"
}
trap cleanup EXIT
[ -x "$CTL" ] || it_fail "no sluicectl at $CTL"
ctl() { "$CTL" -s "$SOCK" "$@"; }

it_veths sl-cta sl-ctb
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $SOCK
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=sl-it-ctl-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT:127.0.0.1
fail_mode = standalone
[port:a]
type = dpdk
devargs = net_af_packet_cta$$,iface=sl-cta0
ofport = 1
[port:b]
type = dpdk
devargs = net_af_packet_ctb$$,iface=sl-ctb0
ofport = 2
INI
# systemd's side of Type=notify: a datagram socket that records what comes
/usr/bin/python3 - "$T/notify.sock" "$T/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
with open(sys.argv[2], "a") as log:
    for _ in range(2):
        log.write(s.recv(4096).decode() + "\n")
        log.flush()
PY
for _ in $(seq 50); do [ -S "$T/notify.sock" ] && break; sleep 0.1; done
NOTIFY_SOCKET=$T/notify.sock it_start_sluiced "$SLUICED" "$T/sl.ini"
for _ in $(seq 50); do grep -q READY=1 "$T/notify.log" 2>/dev/null && break; sleep 0.1; done
grep -q "^READY=1" "$T/notify.log" || it_fail "no READY=1 to NOTIFY_SOCKET"

# 1. the socket: root's, mode 0600
[ "$(stat -c '%a %U' "$SOCK")" = "600 root" ] || it_fail "socket mode: $(stat -c '%a %U' "$SOCK")"

# 2. help, show (text): both ports, the worker
ctl help | grep -q "^dump-macs" || it_fail "help does not list dump-macs"
ctl show > "$T/show" || it_fail "show failed"
grep -Eq "^a +1 +dpdk +up" "$T/show" && grep -Eq "^b +2 +dpdk +up" "$T/show" ||
	{ cat "$T/show"; it_fail "show: ports missing"; }
grep -q "^workers:" "$T/show" || it_fail "show: no workers"

# 3. traffic: 40 frames from a host on a, which NORMAL floods to b; the
# MAC table has the host, show's counters have the frames.
/usr/bin/python3 "$HERE/rawsock.py" send sl-cta1 40
sleep 1.5
ctl dump-macs > "$T/macs"
grep -Eq "^1 +0 +02:00:00:00:00:01" "$T/macs" || { cat "$T/macs"; it_fail "MAC not learned"; }
ctl --json show > "$T/show.json"
/usr/bin/python3 - "$T/show.json" <<'PY' || it_fail "show --json: wrong counters"
import json, sys
d = json.load(open(sys.argv[1]))
ports = {p["port"]: p for p in d["ports"]}
assert ports["a"]["rx_packets"] >= 40, ports
assert ports["b"]["tx_packets"] >= 40, ports
assert d["workers"][0]["lcore"] == 1, d["workers"]
assert isinstance(d["workers"][0]["busy_pct"], float)
PY

# reset-stats: show counts from 0; 10 more frames are 10 more
ctl reset-stats | grep -q "start from 0" || it_fail "reset-stats"
/usr/bin/python3 "$HERE/rawsock.py" send sl-cta1 10
sleep 1.5
ctl --json show | /usr/bin/python3 -c '
import json, sys
p = {r["port"]: r for r in json.load(sys.stdin)["ports"]}
assert p["a"]["rx_packets"] == 10 and p["b"]["tx_packets"] == 10, p' ||
	it_fail "show after reset-stats: $(ctl show)"

# 4. drops: every named counter with --all, in JSON too
ctl drops --all > "$T/drops"
for r in rx_dropped tx_full mtu runt miss_budget packet_in_ring_full ttl meter copy_failed; do
	grep -q " $r " "$T/drops" || { cat "$T/drops"; it_fail "drops: no $r"; }
done
ctl --json drops --all | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert sum(r["packets"] for r in d["drops"]) == d["total"][0]["packets"], d' ||
	it_fail "drops --json: total is not the sum"

# 5. log levels: per module, changed at run time; the state changes logged
# an ovs-ofctl session is logged at info: not at the default level, then yes
ovs-ofctl -O OpenFlow13 show tcp:127.0.0.1:$PORT > /dev/null || it_fail "ovs-ofctl show"
sleep 0.3
grep -q "service session connected" "$T/log" && it_fail "info line at level notice"
ctl set log-level ofagent info > /dev/null || it_fail "set log-level ofagent info"
ovs-ofctl -O OpenFlow13 show tcp:127.0.0.1:$PORT > /dev/null || it_fail "ovs-ofctl show"
for _ in $(seq 20); do grep -q "service session lost" "$T/log" && break; sleep 0.1; done
grep -q "ofagent: ptcp:$PORT:127.0.0.1<-127.0.0.1:[0-9]*: service session connected" "$T/log" ||
	{ grep ofagent "$T/log"; it_fail "no 'service session connected' line at level info"; }
ctl set log-level ofagent notice > /dev/null
ctl log-levels | grep -Eq "^port +sluice.port +notice" || it_fail "log-levels"
ctl set log-level port debug | grep -Eq "^port +sluice.port +debug" || it_fail "set log-level"
ctl --json log-levels | grep -q '"module": "ofagent", "rte_log_type": "sluice.ofagent", "level": "notice"' ||
	it_fail "log-levels --json"
rc=0; ctl set log-level nosuch debug 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q 'unknown module "nosuch"' "$T/err" || it_fail "bad module: rc $rc"
ctl set log-level all notice > /dev/null || it_fail "set log-level all"

# 6. errors: exit 1 and the switch's message
rc=0; ctl bogus 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q 'unknown command "bogus"' "$T/err" || it_fail "bogus: rc $rc $(cat "$T/err")"
rc=0; ctl drops --sideways 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q "usage: drops" "$T/err" || it_fail "bad argument: rc $rc $(cat "$T/err")"
rc=0; "$CTL" -s "$T/nothing.ctl" show 2> "$T/err" || rc=$?
[ $rc = 2 ] && grep -q "no sluiced answers" "$T/err" || it_fail "no socket: rc $rc"

# 7. a non-root user cannot connect
cp "$CTL" "$T/sluicectl" && chmod 755 "$T" "$T/sluicectl" "$T/run"
rc=0; runuser -u nobody -- "$T/sluicectl" -s "$SOCK" show 2> "$T/err" || rc=$?
[ $rc = 2 ] && grep -q "permission denied" "$T/err" || it_fail "nobody: rc $rc $(cat "$T/err")"

# 8. bad clients: silent ones holding connections, garbage, an oversized
# line, a half-closed one; the switch answers meanwhile and after.
/usr/bin/python3 - "$SOCK" "$CTL" <<'PY' || it_fail "bad clients"
import socket, subprocess, sys, time
path, ctl = sys.argv[1], sys.argv[2]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s
def answer(s):
    s.settimeout(3)
    out = b""
    while True:
        b = s.recv(65536)
        if not b:
            return out
        out += b
silent = [conn() for _ in range(8)]         # say nothing, hold a slot
g = conn(); g.sendall(b"\x00\x01\x02garbage\n")
assert answer(g).startswith(b"ERROR control character"), "garbage"
big = conn()
try:
    big.sendall(b"x" * 40000)
except OSError:
    pass
assert answer(big).startswith(b"ERROR request longer"), "oversized"
h = conn(); h.sendall(b"show"); h.shutdown(socket.SHUT_WR)
assert answer(h) == b"", "half-closed before a line: closed without answer"
t0 = time.time()
r = subprocess.run([ctl, "-s", path, "show"], capture_output=True, timeout=10)
assert r.returncode == 0 and b"ports:" in r.stdout, r
print(f"show answered in {time.time() - t0:.3f} s with 8 silent clients connected")
time.sleep(5.5)                              # past SL_MGMT_TIMEOUT_MS
for s in silent:
    s.settimeout(2)
    assert s.recv(10) == b"", "silent client not dropped after the timeout"
print("silent clients dropped after the timeout")
PY
ctl show > /dev/null || it_fail "show after bad clients"

# 9. SIGTERM: exit 0, the socket file removed
it_stop_sluiced
[ ! -e "$SOCK" ] || it_fail "socket file left behind"
grep -q "^STOPPING=1" "$T/notify.log" || it_fail "no STOPPING=1 to NOTIFY_SOCKET"
echo "PASS sluicectl"
