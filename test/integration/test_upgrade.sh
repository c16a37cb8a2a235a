#!/bin/bash
# Hand-over upgrade without an outage (docs/upgrade.md), on af_packet ports:
# two network namespaces ping each other every 10 ms through two OpenFlow
# rules (installed once with ovs-ofctl, no controller) while
#  1. `sluicectl upgrade` hands the switch to a new sluiced (same binary):
#     no ping lost (the rx sockets are passed, their rings keep filling),
#     the rules' and ports' counters equal exactly what the namespaces'
#     interfaces sent since the rules went in (nothing lost, nothing
#     counted twice), and so does the meter on rule b->a (meter-stats'
#     packet_in_count: what the old process metered after its first state
#     continues too), durations go on (no rule reinstalled), the old
#     process exits 0, the management socket and the OpenFlow listener
#     answer at the same addresses;
#  2. the new sluiced is restarted (SIGTERM, start: the state file): the
#     lost pings are reported, the rules come back with their counters;
#  3. a hand-over where the new process is killed (SIGKILL) when the second
#     port reaches it: sluicectl fails, the old process rolls back and keeps
#     forwarding, the rules keep their counters and durations;
#  4. a host without the free hugepages for a second process: refused
#     before anything starts;
#  5. a port added at run time (sluicectl add-port c ... ofport=7, before
#     step 1) is handed over in 1 and back after the restart of 2 with its
#     number, its rule's counter going on (exact); del-port forgets it, and
#     a record naming a port of the configuration file loses to it;
#  6. the LOCAL port (a net_tap) in 1: the same kernel interface after the
#     hand-over (ifindex), with the address the host gave it, and the host's
#     pings through it to namespace c go on (lost reported); (a static route
#     through it is not kept: net_tap sets the link down when it closes,
#     docs/upgrade.md);
#  and at the end, the last sluiced received no flow-mod from anyone.
# Prints the blackout of each (lost pings x 10 ms).
# usage: test_upgrade.sh SLUICED
# Env: UPGRADE_TO=PATH: step 1 hands over to that binary (another release;
#      default: SLUICED itself).
set -euo pipefail
SLUICED=${1:?path to sluiced}
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v ovs-ofctl > /dev/null || { echo "SKIP: no ovs-ofctl"; exit 77; }
T=$(mktemp -d /tmp/u1-it-upgrade.XXXXXX)
LST=16641
FLT_PREFIX=u1-upg-$$
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	for p in $(cat "$T"/pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del u1-nsa 2>/dev/null || true
	ip netns del u1-nsb 2>/dev/null || true
	ip netns del u1-nsc 2>/dev/null || true
	it_del_veths u1-ua u1-ub u1-uc
	rm -rf "$T"
}
trap cleanup EXIT
ofctl() { ovs-ofctl -O OpenFlow13 "$1" "tcp:127.0.0.1:$LST" "${@:2}"; }
ctl() { "$CTL" -s "$T/sl.ctl" "$@"; }
# n_packets and duration (s) of the rule with cookie $1
# OpenFlow port $1's rx_packets
port_rx() { ofctl dump-ports "$1" | sed -nE 's/.*rx pkts=([0-9]+),.*/\1/p'; }
# packets the namespace's end of veth $1 sent
peer_tx() { ip netns exec "$2" cat "/sys/class/net/$1/statistics/tx_packets"; }
# a 10 ms ping from a to b in the background, N echo requests
ping_start() {
	ip netns exec u1-nsa ping -i 0.01 -c "$1" -W 1 10.77.1.2 > "$T/ping" 2>&1 &
	PING=$!
}
# wait for it; LOST and GAP (the longest run of missing replies)
ping_result() {
	local sent
	wait "$PING" || true
	read -r sent LOST GAP < <(it_ping_lost "$T/ping")
	[ "$sent" -gt 0 ] || it_fail "ping: $(tail -3 "$T/ping")"
	echo "  $1: $sent pings, $LOST lost (blackout ${LOST}0 ms; longest gap ${GAP}0 ms)"
}
# the counters of the upgrade: exact against the interfaces
exact() {
	local a b pa pb m
	a=$(it_flow_field 0x11 n_packets)
	b=$(it_flow_field 0x22 n_packets)
	pa=$(( $(peer_tx u1-ua1 u1-nsa) - TXA0 ))
	pb=$(( $(peer_tx u1-ub1 u1-nsb) - TXB0 ))
	echo "  $1: rule a->b $a, rule b->a $b; sent by a $pa, by b $pb; port 1 rx $(port_rx 1)"
	[ "$a" = "$pa" ] && [ "$b" = "$pb" ] || it_fail "$1: rule counters $a/$b, sent $pa/$pb"
	[ "$(port_rx 1)" = "$(( pa + PRX0 ))" ] || it_fail "$1: port 1 rx $(port_rx 1), sent $pa + $PRX0"
	m=$(ofctl meter-stats | sed -nE 's/.*packet_in_count:([0-9]+).*/\1/p')
	[ "$m" = "$b" ] || { ofctl meter-stats; it_fail "$1: meter 1 counted $m, rule b->a $b"; }
}
# duration of the rules went on: at least $1 + the seconds since
goes_on() {
	local d
	d=$(it_flow_field 0x11 duration)
	awk -v d="$d" -v was="$1" -v dt="$2" 'BEGIN{exit !(d + 0.5 >= was + dt)}' ||
		it_fail "rule duration $d s after $1 s + $2 s: reinstalled?"
}
settle() { sleep 1.5; } # frames in flight land; lazy counters pushed by the dump's grace period
# the run-time port c: still OpenFlow port 7, and 5 more frames from its
# peer counted by its rule (exact: $1 in all)
runtime_port() {
	ofctl show | grep -q " 7(c): " || { ofctl show; it_fail "$2: no run-time port 7(c)"; }
	ip netns exec u1-nsc /usr/bin/python3 "$HERE/rawsock.py" send u1-uc1 5
	settle
	[ "$(it_flow_field 0x33 n_packets)" = "$1" ] ||
		it_fail "$2: the run-time port's rule counted $(it_flow_field 0x33 n_packets), not $1"
	echo "  $2: run-time port 7(c) forwards, its rule counted $1"
}

ip netns del u1-nsa 2>/dev/null || true
ip netns del u1-nsb 2>/dev/null || true
it_veths u1-ua u1-ub u1-uc
for s in a b; do
	ip netns add "u1-ns$s"
	ip link set "u1-u${s}1" netns "u1-ns$s"
	ip netns exec "u1-ns$s" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "u1-ns$s" ip link set lo up
	ip netns exec "u1-ns$s" ip link set "u1-u${s}1" up
done
ip netns exec u1-nsa ip addr add 10.77.1.1/24 dev u1-ua1
ip netns exec u1-nsb ip addr add 10.77.1.2/24 dev u1-ub1
ip netns del u1-nsc 2>/dev/null || true
ip netns add u1-nsc
ip link set u1-uc1 netns u1-nsc
ip netns exec u1-nsc ip link set u1-uc1 up
ip netns exec u1-nsc ip addr add 10.77.3.2/24 dev u1-uc1
it_upgrade_ini "$T/sl.ini" "local_port = u1lcl0"
cat >> "$T/sl.ini" <<INI
[port:a]
type = afpacket
iface = u1-ua0
ofport = 1
[port:b]
type = afpacket
iface = u1-ub0
ofport = 2
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"
OLD=$PID
it_await_ofctl
ofctl add-flow "cookie=0x11,priority=10,in_port=1,actions=output:2"
ofctl add-meter "meter=1,pktps,stats,band=type=drop,rate=1000000"
ofctl add-flow "cookie=0x22,priority=10,in_port=2,actions=meter:1,output:1"
TXA0=$(peer_tx u1-ua1 u1-nsa)
TXB0=$(peer_tx u1-ub1 u1-nsb)
PRX0=$(port_rx 1)
ip netns exec u1-nsa ping -c 3 -i 0.2 -W 2 10.77.1.2 > /dev/null || it_fail "no ping before"
ctl add-port c type=afpacket iface=u1-uc0 ofport=7 > /dev/null
grep -q "^port c type=afpacket iface=u1-uc0 ofport=7\$" "$T/sl.ctl.ports" ||
	{ cat "$T/sl.ctl.ports"; it_fail "add-port c not recorded"; }
ofctl add-flow "cookie=0x33,priority=10,in_port=7,dl_type=0x88b5,actions=drop"
runtime_port 5 "added"
# the host's address and route on the LOCAL tap; c's namespace behind it
ip link set u1lcl0 up
ip addr add 10.77.3.1/24 dev u1lcl0
ofctl add-flow "cookie=0x44,priority=5,in_port=LOCAL,actions=output:7"
ofctl add-flow "cookie=0x45,priority=5,in_port=7,actions=LOCAL"
IFX=$(cat /sys/class/net/u1lcl0/ifindex)
ping -c 3 -i 0.2 -W 2 10.77.3.2 > /dev/null || it_fail "no ping through LOCAL before"

echo "1. hand-over upgrade (sluicectl upgrade)"
D0=$(it_flow_field 0x11 duration); T0=$(date +%s.%N)
ping_start 500
# and b -> a every 2 ms, so that the old process surely forwards (and
# counts) between the state it sends first and its ports' release
ip netns exec u1-nsb ping -q -i 0.002 -c 2000 -W 1 10.77.1.1 > "$T/ping2" 2>&1 &
PING2=$!
ping -i 0.01 -c 500 -W 1 10.77.3.2 > "$T/ping3" 2>&1 &
PING3=$!
sleep 1.5
it_upgrade ${UPGRADE_TO:+"$UPGRADE_TO"}
grep upgraded "$T/log2"
grep -q "sluiced: upgrade: handed over to pid $NEW" "$T/log" || it_fail "old: no hand-over line"
! grep -q "state: .* written to" "$T/log" || it_fail "the old sluiced wrote a state file"
it_await_pid "$NEW"
ping_result upgrade
UP_LOST=$LOST
wait "$PING2" || true
grep -E "transmitted" "$T/ping2" | sed 's/^/  b -> a every 2 ms: /'
settle
exact "after the upgrade"
goes_on "$D0" "$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{print b - a - 1}')"
[ "$UP_LOST" -le 2 ] || it_fail "$UP_LOST pings lost in an af_packet hand-over"
grep "sluiced: upgrade:" "$T/log2" | sed 's/^/  new: /'
runtime_port 10 "after the upgrade"
wait "$PING3" || true
echo "  host -> c through LOCAL: $(grep transmitted "$T/ping3")"
[ "$(cat /sys/class/net/u1lcl0/ifindex 2>/dev/null)" = "$IFX" ] ||
	it_fail "LOCAL: a new kernel interface after the hand-over (ifindex $IFX before)"
ip -br addr show u1lcl0 | grep -q " 10.77.3.1/24" || it_fail "LOCAL: the host's address is gone"
ping -c 3 -i 0.2 -W 2 10.77.3.2 > /dev/null || it_fail "no ping through LOCAL after the hand-over"
grep "sluiced: upgrade: port" "$T/log" | sed 's/^/  old: /'

echo "2. plain restart with the state file"
A1=$(it_flow_field 0x11 n_packets)
ping_start 500
sleep 1.5
it_stop_new
grep -q "agent: flow_mods 0 " "$T/log2" || it_fail "the upgraded sluiced received flow-mods"
it_start_sluiced "$SLUICED" "$T/sl.ini"
OLD=$PID
ping_result restart
RS_LOST=$LOST
grep -q "state: restored 5 rules" "$T/log" || it_fail "rules not restored"
settle
[ "$(it_flow_field 0x11 n_packets)" -gt "$A1" ] || it_fail "rule counters did not continue"
grep -q "sluiced: run-time port c: ofport 7, recorded in $T/sl.ctl.ports" "$T/log" ||
	it_fail "the run-time port not brought back"
runtime_port 15 "after the restart"

echo "3. rollback: the new sluiced killed when port b reaches it"
A1=$(it_flow_field 0x11 n_packets); D0=$(it_flow_field 0x11 duration); T0=$(date +%s.%N)
ping_start 500
sleep 1.5
rc=0
SLUICE_UPGRADE_KILL_AT=b "$CTL" -s "$T/sl.ctl" upgrade > "$T/log3" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/log3"; it_fail "sluicectl upgrade: exit $rc, expected 1"; }
kill -0 "$OLD" 2>/dev/null || it_fail "the old sluiced died in the rollback"
grep -q "upgrade: rolled back" "$T/log" || it_fail "no rollback line"
it_await_pid "$OLD"
ping_result rollback
settle
ip netns exec u1-nsa ping -c 3 -i 0.2 -W 2 10.77.1.2 > /dev/null || it_fail "no ping after the rollback"
[ "$(it_flow_field 0x11 n_packets)" -gt "$A1" ] || it_fail "rule counters after the rollback"
goes_on "$D0" "$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{print b - a - 1}')"

echo "4. pre-flight: no free hugepages for a second sluiced"
mkdir -p "$T/root/proc"
printf 'HugePages_Total:    2048\nHugePages_Free:        0\nHugepagesize:       2048 kB\n' \
	> "$T/root/proc/meminfo"
rc=0
SLUICE_SYSFS_ROOT="$T/root" "$CTL" -s "$T/sl.ctl" upgrade > "$T/log4" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "upgrade refused: not enough free hugepages" "$T/log4" ||
	{ cat "$T/log4"; it_fail "pre-flight did not refuse (exit $rc)"; }
sed 's/^/  /' "$T/log4"
it_await_pid "$OLD"

echo "5. del-port forgets a run-time port; the configuration's port of a name wins"
ctl del-port c > /dev/null
! grep -q "^port c " "$T/sl.ctl.ports" || it_fail "del-port c: still recorded"
grep -q "^gone c ofport=7\$" "$T/sl.ctl.ports" || it_fail "del-port c: its number not kept"
echo "port a type=afpacket iface=u1-uc0 ofport=9" >> "$T/sl.ctl.ports"
it_stop_sluiced_in 20
it_start_sluiced "$SLUICED" "$T/sl.ini"
OLD=$PID
grep -qF "sluiced: run-time port a ($T/sl.ctl.ports: \"type=afpacket iface=u1-uc0 ofport=9\") left out and forgotten: the configuration has a port of that name, which wins" "$T/log" ||
	it_fail "no line for the configuration's port winning"
it_await_ofctl
! ofctl show | grep -Eq " (7|9)\(" || { ofctl show; it_fail "a deleted or losing port is back"; }
! grep -q "^port a " "$T/sl.ctl.ports" || it_fail "the losing record is not forgotten"
ip netns exec u1-nsa ping -c 3 -i 0.2 -W 2 10.77.1.2 > /dev/null || it_fail "no ping at the end"

it_stop_sluiced_in 20
echo "blackout (lost pings x 10 ms): upgrade $(( UP_LOST * 10 )) ms, restart $(( RS_LOST * 10 )) ms"
echo "PASS"
