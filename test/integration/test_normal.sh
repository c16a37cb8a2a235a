#!/bin/bash
# The NORMAL output action as an ordinary OpenFlow action: sluiced in fail
# mode secure (misses drop), a rule "actions=NORMAL" added with ovs-ofctl
# makes it a MAC-learning switch: unknown destinations flood, learned ones
# go to their port only, the rule's counters are exact, and telemetry
# /sluice/mac shows the two MACs learned.
# usage: test_normal.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/sl-it-nm.XXXXXX)
PORT=$((20000 + ($$ + 3571) % 20000))
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
PID=
VETHS="sl-nma sl-nmb sl-nmc"
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths $VETHS
	rm -rf "$T"
}
trap cleanup EXIT

it_veths $VETHS
FLT_PREFIX=sl-it-nm-$$
it_flt_ini "$T/sl.ini" "$PORT" "fail_mode = secure"
it_afp_port "$T/sl.ini" a sl-nma0 1
it_afp_port "$T/sl.ini" b sl-nmb0 2
it_afp_port "$T/sl.ini" c sl-nmc0 3
it_start_sluiced "$SLUICED" "$T/sl.ini"

traffic() { # from-iface src-last-byte dst-last-byte n -> counts on a b c
	it_raw_counts "$1" "$2" "$3" "$4" sl-nma1 sl-nmb1 sl-nmc1
}

# 0. secure, no rule: nothing forwarded
got=$(traffic sl-nma1 1 2 20)
[ "$got" = "0 0 0" ] || it_fail "secure without rules: a/b/c got '$got', want '0 0 0'"

$OF add-flow $SW "priority=10,dl_type=0x88b5,actions=NORMAL" || it_fail "add-flow NORMAL refused"
# 1. a (01) -> unknown 02: flooded to b and c
got=$(traffic sl-nma1 1 2 20)
[ "$got" = "0 20 20" ] || it_fail "NORMAL flood: a/b/c got '$got', want '0 20 20'"
# 2. b (02) -> 01, learned on a: only a
got=$(traffic sl-nmb1 2 1 20)
[ "$got" = "20 0 0" ] || it_fail "NORMAL unicast: a/b/c got '$got', want '20 0 0'"
# 3. a -> 02, learned on b: only b
got=$(traffic sl-nma1 1 2 20)
[ "$got" = "0 20 0" ] || it_fail "NORMAL unicast: a/b/c got '$got', want '0 20 0'"

$OF dump-flows $SW > "$T/flows"
grep -q "n_packets=60, .*actions=NORMAL" "$T/flows" || { cat "$T/flows"; it_fail "NORMAL rule counters"; }
# MAC table over DPDK telemetry: 01 and 02 learned, nothing moved, fail-open off
mac=$(/usr/bin/python3 - "/var/run/dpdk/sl-it-nm-$$/dpdk_telemetry.v2" <<'PY' 2>&1
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
json.loads(s.recv(16384))
s.send(b"/sluice/mac")
m = json.loads(s.recv(65536))["/sluice/mac"]
print(*(m.get(k, "missing") for k in ("entries", "learned", "moved", "fail_open")))
PY
)
[ "$mac" = "2 2 0 0" ] || it_fail "telemetry /sluice/mac: entries learned moved fail_open = '$mac', want '2 2 0 0'"
it_stop_sluiced
echo "ok: actions=NORMAL in secure mode floods, learns and forwards unicast"
