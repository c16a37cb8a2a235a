#!/bin/bash
# State across a restart ([switch] state_file, sluiced/sl_state.h): two
# af_packet veth ports, a meter, two groups (one naming the other) and
# rules with cookies, idle and hard timeouts installed with ovs-ofctl,
# traffic through them and a MAC learned by NORMAL; then SIGTERM, a pause,
# and a start with the same configuration:
#  - ovs-ofctl dump-flows, dump-group-stats and meter-stats show the same
#    rules, groups and meters with the same counters, durations carried on
#    by at least the time stopped; sluicectl dump-macs the same MAC;
#  - OpenFlow 1.4 dump-table-desc shows table 1's vacancy config (set by
#    mod-table before the stop) after it;
#  - the file is consumed (a crash later must not bring it back);
#  - traffic goes through the restored rules at once and adds to the counters;
#  - a file with one byte changed is refused with its reason, kept as
#    PATH.bad, and the switch starts empty; so does another datapath's
#    file; state_restore = no starts empty.
# usage: test_state.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v ovs-ofctl > /dev/null || { echo "SKIP: no ovs-ofctl"; exit 77; }
T=$(mktemp -d /tmp/h7-it-state.XXXXXX)
LST=16670
FLT_PREFIX=h7-it-state-$$
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	it_del_veths h7-sa h7-sb
	rm -rf "$T"
}
trap cleanup EXIT
ofctl() { ovs-ofctl -O OpenFlow13 "$1" "tcp:127.0.0.1:$LST" "${@:2}"; }
# a dump without its durations (the one thing a restart moves on)
norm() { sed -E 's/duration[=:][0-9.]+s,? ?//' | grep -v '^OFPST' | sort; }
# the duration, in seconds, of the rule with cookie $1
duration() { ofctl dump-flows "cookie=$1/-1" | sed -nE 's/.*duration=([0-9.]+)s.*/\1/p'; }
# send N frames (ethertype 0x88b5) from port a's peer, count them at b's peer
traffic() {
	local n
	n=$(it_raw_counts h7-sa1 1 2 "$1" h7-sb1)
	[ "$n" -ge "$1" ] || it_fail "$n of $1 frames through the rules"
}
# SIGTERM: exit 0, and no sanitizer report (an ASan build)
stop() { it_stop_sluiced_in 20; }
start() {
	it_start_sluiced "$SLUICED" "$T/sl.ini"
	it_await_ofctl
}

it_veths h7-sa h7-sb
it_upgrade_ini "$T/sl.ini"
it_afp_port "$T/sl.ini" a h7-sa0 1
it_afp_port "$T/sl.ini" b h7-sb0 2
start
grep -q "sluiced: state: no $T/sl.state, starting empty" "$T/log" || it_fail "first start"

# 1. the state: a meter, group 2 -> group 1 -> port 2, four rules, a MAC
ofctl add-meter "meter=1,pktps,stats,band=type=drop,rate=100000"
ofctl add-group "group_id=1,type=all,bucket=output:2"
ofctl add-group "group_id=2,type=indirect,bucket=group:1"
while read -r f; do ofctl add-flow "$f"; done <<'FLOWS'
table=0,cookie=0x1234,priority=100,in_port=1,dl_type=0x88b5,idle_timeout=600,actions=meter:1,goto_table:1
table=0,cookie=0x77,priority=5,in_port=2,dl_type=0x88b5,hard_timeout=900,send_flow_rem,actions=drop
table=0,cookie=0x88,priority=1,dl_type=0x88b6,actions=NORMAL
table=1,cookie=0x99,priority=10,dl_type=0x88b5,actions=group:2
FLOWS
traffic 50
/usr/bin/python3 "$HERE/rawsock.py" send h7-sb1 3 0x88b6 5 6
sleep 0.5
ofctl dump-flows | norm > "$T/flows.1"
ofctl dump-group-stats | norm > "$T/groups.1"
ofctl meter-stats | norm > "$T/meters.1"
"$CTL" -s "$T/sl.ctl" dump-macs > "$T/macs.1"
grep -q "n_packets=50, .*priority=100,in_port=1,dl_type=0x88b5 actions=meter:1,goto_table:1" \
	"$T/flows.1" || { cat "$T/flows.1"; it_fail "no counters before the restart"; }
grep -Eq "^2 +0 +02:00:00:00:00:05" "$T/macs.1" || { cat "$T/macs.1"; it_fail "MAC not learned"; }
d1=$(duration 0x1234)
# table 1's OF1.4 vacancy config (table-mod) goes with the state too
tdesc() {
	ovs-ofctl -O OpenFlow14 dump-table-desc "tcp:127.0.0.1:$LST" |
		awk '/^  table 1:/ { on = 1 } /^  table 2:/ { exit } on'
}
ovs-ofctl -O OpenFlow14 mod-table "tcp:127.0.0.1:$LST" 1 vacancy:20,80
tdesc > "$T/tdesc.1"
grep -q "vacancy=on vacancy_down=20% vacancy_up=80%" "$T/tdesc.1" ||
	{ cat "$T/tdesc.1"; it_fail "mod-table 1 vacancy:20,80 not in dump-table-desc"; }

# 2. SIGTERM writes the state; 2 s later the same switch starts with it
stop
grep -Eq "sluiced: state: 12 records, [0-9]+ bytes written to $T/sl.state" "$T/log" ||
	it_fail "state not written at the stop"
sleep 2
start
grep -q "sluiced: state: restored 4 rules, 2 groups, 1 meters, 1 MACs from $T/sl.state" "$T/log" ||
	it_fail "state not restored"
[ ! -e "$T/sl.state" ] || it_fail "the state file is not consumed by the restore"
ofctl dump-flows | norm > "$T/flows.2"
ofctl dump-group-stats | norm > "$T/groups.2"
ofctl meter-stats | norm > "$T/meters.2"
diff -u "$T/flows.1" "$T/flows.2" || it_fail "dump-flows differs after the restart"
diff -u "$T/groups.1" "$T/groups.2" || it_fail "dump-group-stats differs after the restart"
diff -u "$T/meters.1" "$T/meters.2" || it_fail "meter-stats differs after the restart"
tdesc > "$T/tdesc.2"
diff -u "$T/tdesc.1" "$T/tdesc.2" || it_fail "dump-table-desc (table 1's vacancy) differs after the restart"
grep -q "packet_count=50" "$T/groups.2" && grep -q "packet_in_count:50" "$T/meters.2" ||
	{ cat "$T/groups.2" "$T/meters.2"; it_fail "group or meter counters not carried over"; }
d2=$(duration 0x1234)
/usr/bin/python3 -c "import sys; sys.exit(0 if $d2 >= $d1 + 2 else 1)" ||
	it_fail "duration $d1 s before the stop, $d2 s after: the time stopped is missing"
"$CTL" -s "$T/sl.ctl" dump-macs > "$T/macs.2"
grep -Eq "^2 +0 +02:00:00:00:00:05" "$T/macs.2" || { cat "$T/macs.2"; it_fail "MAC not restored"; }
echo "restored: duration ${d1}s -> ${d2}s; $(grep 'sluiced: state: restored' "$T/log")"

# 3. traffic through the restored rules, counted on top
traffic 50
ofctl dump-flows "cookie=0x1234/-1" | grep -q "n_packets=100," ||
	{ ofctl dump-flows; it_fail "counters do not carry on"; }
ofctl dump-group-stats | grep -q "group_id=1,.*packet_count=100" ||
	{ ofctl dump-group-stats; it_fail "group counters do not carry on"; }

# 4. one byte changed: refused with the reason, kept aside, empty start
stop
/usr/bin/python3 - "$T/sl.state" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[len(b) // 2] ^= 0x10
open(p, 'wb').write(b)
PY
start
grep -q "sluiced: state: $T/sl.state: corrupt: checksum 0x[0-9a-f]*, the content's is 0x[0-9a-f]*; kept as $T/sl.state.bad, starting empty" "$T/log" ||
	it_fail "a corrupt file is not reported"
[ -f "$T/sl.state.bad" ] && [ ! -e "$T/sl.state" ] || it_fail "the corrupt file is not kept aside"
[ "$(ofctl dump-flows | grep -vc '^OFPST')" = 0 ] || it_fail "rules after a corrupt file"
ofctl add-flow "table=0,cookie=0x5,priority=1,actions=drop"

# 5. state_restore = no: written at the stop, not read at the start
stop
[ -f "$T/sl.state" ] || it_fail "not written after an empty start"
sed -i "s|^state_file = .*|&\nstate_restore = no|" "$T/sl.ini"
start
grep -q "sluiced: state: $T/sl.state not read (state_restore = no)" "$T/log" ||
	it_fail "state_restore = no"
[ "$(ofctl dump-flows | grep -vc '^OFPST')" = 0 ] || it_fail "rules with state_restore = no"
stop

# 6. another switch's file (another datapath id): refused, kept aside
sed -i -e '/^state_restore = no$/d' -e 's/^main_lcore = 0$/&\ndatapath_id = 0x2/' "$T/sl.ini"
start
grep -q "sluiced: state: $T/sl.state: written by datapath 0x0000000000000001, this is 0x0000000000000002; kept as $T/sl.state.bad, starting empty" "$T/log" ||
	it_fail "another datapath's file is not refused"
stop
echo "PASS"
