#!/bin/bash
# Drop reasons that add up, and the live trace (issue 22), on the real
# sluiced with three af_packet ports a, b, c and ovs-ofctl:
#   1. table misses (fail mode secure, no rule), explicit drops (a rule
#      with no actions), output to a port taken down by port-mod, and a
#      flood to b and the down port c: `sluicectl drops` names each reason
#      with its exact count, `show --json` and telemetry's /sluice/drops
#      say rx + replicas = tx + to_controller + drops, with nothing
#      unaccounted for once traffic stops;
#   2. `sluicectl trace --live a 3` follows a miss (translated by the miss
#      handler, output to b), a hit on the entry it made, and an explicit
#      drop, in text; `--json trace --live a 1` a table miss.
# usage: test_drops_trace.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/h4-it-drops.XXXXXX)
SOCK=$T/sluiced.ctl
PORT=16640
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
FLT_PREFIX=h4-drops-$$
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	it_del_veths h4dra h4drb h4drc
	rm -rf "$T"
}
trap cleanup EXIT
[ -x "$CTL" ] || it_fail "no sluicectl at $CTL"
ctl() { "$CTL" -s "$SOCK" "$@"; }
send() { /usr/bin/python3 "$HERE/rawsock.py" send h4dra1 "$2" "$1"; } # ETHERTYPE N

it_veths h4dra h4drb h4drc
it_flt_ini "$T/sl.ini" "$PORT" "fail_mode = secure" "mgmt_socket = $SOCK"
it_afp_port "$T/sl.ini" a h4dra0 1
it_afp_port "$T/sl.ini" b h4drb0 2
it_afp_port "$T/sl.ini" c h4drc0 3
it_start_sluiced "$SLUICED" "$T/sl.ini"

# 1. every reason, each with its own ethertype
$OF add-flow $SW "priority=10,in_port=1,dl_type=0x88b6,actions=drop"
$OF add-flow $SW "priority=10,in_port=1,dl_type=0x88b7,actions=output:3"
$OF add-flow $SW "priority=10,in_port=1,dl_type=0x88b8,actions=FLOOD"
$OF add-flow $SW "priority=10,in_port=1,dl_type=0x88b9,actions=output:2"
$OF mod-port $SW 3 down
sleep 0.5
ctl reset-stats > /dev/null
send 0x88b5 20   # no rule: table_miss
send 0x88b6 10   # actions=drop: explicit_drop
send 0x88b7 10   # output to c, PORT_DOWN: port_down
send 0x88b8 10   # FLOOD: b gets them, c (down) drops them: 10 replicas
send 0x88b9 5    # output to b
it_wait_quiet 10
sleep 0.5
ctl drops > "$T/drops"
cat "$T/drops"
want() { # PORT REASON N: one line of `drops`
	local got
	got=$(awk -v p="$1" -v r="$2" '$1 == p && $3 == r { s += $4 } END { print s + 0 }' "$T/drops")
	[ "$got" = "$3" ] || it_fail "drops: $1 $2 is $got, not $3"
}
want a table_miss 20
want a explicit_drop 10
want c port_down 20
ctl --json show > "$T/show.json"
ctl show | sed -n '/^accounting/,/^rx + replicas/p'
/usr/bin/python3 - "$T/show.json" <<'PY' || it_fail "show --json: accounting"
import json, sys
d = json.load(open(sys.argv[1]))
acct = {r["port"]: r for r in d["accounting"]}
idt = d["identity"][0]
assert idt["holds"] == "yes" and idt["unaccounted"] == 0, idt
assert idt["rx"] == idt["tx"] + idt["to_controller"] + idt["drops"] - idt["replicas"], idt
a, b, c = acct["a"], acct["b"], acct["c"]
assert a["rx"] == 55 and a["replicas"] == 10 and a["drops"] == 30, a
assert b["tx"] == 15 and c["tx"] == 0 and c["drops"] == 20, (b, c)
assert "table_miss=20" in a["reasons"] and "explicit_drop=10" in a["reasons"], a
assert c["reasons"] == "port_down=20", c
PY
# telemetry says the same (absolute counts: reset-stats does not touch it)
it_tel /sluice/drops > "$T/tel.json"
/usr/bin/python3 - "$T/tel.json" <<'PY' || it_fail "/sluice/drops"
import json, sys
d = json.load(open(sys.argv[1]))
d = d.get("/sluice/drops", d)
assert d["total"]["unaccounted"] == 0, d["total"]
assert d["a"]["table_miss"] >= 20 and d["a"]["explicit_drop"] == 10, d["a"]
assert d["c"]["port_down"] == 20, d["c"]
PY

# 2. live trace: a miss, a hit, an explicit drop (the entries of the last
# two used again first: an idle one goes after 10 s)
send 0x88b9 1
send 0x88b6 1
sleep 0.3
ctl -t 20 trace --live a 3 > "$T/trace" 2> "$T/trace.err" &
TP=$!
for _ in $(seq 50); do
	ctl trace --live-status 2>/dev/null | grep -q "^live-trace 0 3" && break
	sleep 0.1
done
send 0x88ba 1   # no entry yet: a miss (no rule: table miss, dropped)
sleep 0.5
send 0x88b9 1   # output:2, its entry made in part 1: a hit
sleep 0.3
send 0x88b6 1   # explicit drop
wait $TP || { cat "$T/trace" "$T/trace.err"; it_fail "trace --live a 3"; }
cat "$T/trace"
grep -q "live trace of port a: 3 of 3 packets" "$T/trace" || it_fail "trace: not 3 packets"
sed -n '/^packet 1:/,/^packet 2:/p' "$T/trace" > "$T/p1"
sed -n '/^packet 2:/,/^packet 3:/p' "$T/trace" > "$T/p2"
sed -n '/^packet 3:/,$p' "$T/trace" > "$T/p3"
grep -q "dl_type=0x88ba" "$T/p1" && grep -q "cache: *miss, translated by the miss handler" "$T/p1" &&
	grep -q "result: *dropped: table_miss" "$T/p1" || it_fail "trace: packet 1 (miss)"
grep -q "dl_type=0x88b9" "$T/p2" && grep -Eq "cache: *(EMC|megaflow) hit" "$T/p2" &&
	grep -q "actions: output:2" "$T/p2" && grep -q "result: *output:2" "$T/p2" ||
	it_fail "trace: packet 2 (hit)"
grep -q "dl_type=0x88b6" "$T/p3" && grep -q "result: *dropped: explicit_drop" "$T/p3" ||
	it_fail "trace: packet 3 (drop)"

ctl --json -t 20 trace --live a 1 > "$T/trace.json" &
TP=$!
for _ in $(seq 50); do
	ctl trace --live-status 2>/dev/null | grep -q "^live-trace 0 1" && break
	sleep 0.1
done
send 0x88b5 1
wait $TP || it_fail "--json trace --live a 1"
/usr/bin/python3 - "$T/trace.json" <<'PY' || it_fail "trace --live --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["live_trace"][0]["packets"] == 1, d
p = d["packets"][0]
assert p["port"] == "a" and p["drop_reason"] == "table_miss", p
assert "dl_type=0x88b5" in p["flow"] and p["bytes"] == 64, p
PY
# no packets: the client gives up after its timeout and says so
rc=0; ctl -t 1 trace --live b 1 > /dev/null 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q "0 of 1 packets" "$T/err" || it_fail "trace timeout: rc $rc $(cat "$T/err")"
rc=0; ctl trace --live nosuch 1 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q 'no port "nosuch"' "$T/err" || it_fail "trace --live nosuch: rc $rc"
it_stop_sluiced_in 10
echo "PASS"
