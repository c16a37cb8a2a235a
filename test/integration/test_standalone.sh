#!/bin/bash
# sluiced in fail mode standalone with no controller connected: a table-0
# miss runs the NORMAL action (OVS fail-open), a MAC-learning switch.
# Unknown destinations are flooded; once a MAC is learned, its traffic goes
# to its port only. ovs-ofctl sessions on the listener (service
# connections, one held open by `ovs-ofctl monitor` during the traffic) do
# not count as controllers, so forwarding goes on, and the fail-open entry
# is hidden from dump-flows.
# usage: test_standalone.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/sl-it-sa.XXXXXX)
PORT=$((20000 + ($$ + 7919) % 20000))
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
PID=
MON=
VETHS="sl-saa sl-sab sl-sac"
cleanup() {
	[ -n "$MON" ] && kill "$MON" 2>/dev/null || true
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths $VETHS
	rm -rf "$T"
}
trap cleanup EXIT

it_veths $VETHS
FLT_PREFIX=sl-it-sa-$$
it_flt_ini "$T/sl.ini" "$PORT" "fail_mode = standalone"
it_afp_port "$T/sl.ini" a sl-saa0 1
it_afp_port "$T/sl.ini" b sl-sab0 2
it_afp_port "$T/sl.ini" c sl-sac0 3
it_start_sluiced "$SLUICED" "$T/sl.ini"

# send N frames SRC->DST from veth peer $1; print counts seen on b and c
traffic() { # from-iface src-last-byte dst-last-byte n -> counts on a b c
	it_raw_counts "$1" "$2" "$3" "$4" sl-saa1 sl-sab1 sl-sac1
}

# A service session stays open during the traffic (it would have withdrawn
# the standalone behaviour when every session counted as a controller).
$OF --unixctl="$T/ofctl.ctl" monitor $SW > "$T/monitor" 2>&1 &
MON=$!
sleep 0.5
kill -0 "$MON" 2>/dev/null || it_fail "ovs-ofctl monitor did not stay connected: $(cat "$T/monitor")"

# 1. a (MAC 01) -> unknown 02: flooded to b and c
got=$(traffic sl-saa1 1 2 20)
[ "$got" = "0 20 20" ] || it_fail "flood of unknown destination: a/b/c got '$got', want '0 20 20'"
# 2. b (MAC 02) -> 01, learned on a: only a gets it
got=$(traffic sl-sab1 2 1 20)
[ "$got" = "20 0 0" ] || it_fail "learned destination: a/b/c got '$got', want '20 0 0'"
# 3. a -> 02, now learned on b: only b
got=$(traffic sl-saa1 1 2 20)
[ "$got" = "0 20 0" ] || it_fail "learned destination: a/b/c got '$got', want '0 20 0'"
kill -0 "$MON" 2>/dev/null || it_fail "ovs-ofctl monitor lost its session"
kill "$MON"
wait "$MON" 2>/dev/null || true
MON=

# The fail-open entry is hidden; short ovs-ofctl sessions do not stop it.
$OF dump-flows $SW > "$T/flows" || it_fail "ovs-ofctl dump-flows"
[ "$(grep -c "actions=" "$T/flows" || true)" = 0 ] || { cat "$T/flows"; it_fail "fail-open rule listed"; }
got=$(traffic sl-sab1 2 1 20)
[ "$got" = "20 0 0" ] || it_fail "after ovs-ofctl sessions: a/b/c got '$got', want '20 0 0'"

it_stop_sluiced
echo "ok: standalone (fail-open NORMAL) floods, learns, forwards unicast, ignores service sessions"
