#!/bin/bash
# Fault injection on the control side, with traffic running between two
# veths (af_packet ports a -> b) all along. Every phase ends with an exact
# account: each frame sent is received at a sink or in a named drop counter
# (fault_tool.py acct prints the table; 0 unaccounted or the test fails).
#   1. controllers lost mid-message: clients send half an OpenFlow message
#      (or two flow-mods and half a third) and disconnect (FIN or RST), 30
#      times; forwarding goes on, the whole flow-mods are applied and the
#      halves are not, and the next client works.
#   2. a flow-mod flood (30000 at 10000/s) while traffic runs; the barrier
#      after it answers within BARRIER_BOUND_MS; the forwarding rule's
#      counters equal the traffic it saw.
#   3. a packet-in flood (table miss -> controller, a new flow per frame)
#      toward a controller that never reads, while the control lcore is
#      stopped for 2 s (ptrace): the worker-to-control rings fill (miss
#      handler, packet-in), and their drops are counted (handler_drops,
#      packet_in_drops), the agent's too (queue/rate/no controller), and
#      a -> b loses nothing inside sluiced.
# usage: test_fault_control.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/flt-ctl.XXXXXX)
FLT_PREFIX=flt-ctl-$$
PORT=${FLT_CTL_PORT:-16650}
CTL=$((PORT + 1))
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
# A barrier during and after the flood of 30000 flow-mods at 10000/s:
# measured 0.2-30 ms on the 2-vCPU VM (ASan build: up to 15 ms after it);
# the bound leaves headroom for a loaded CI machine, and still catches a
# control lcore that queues flow-mods instead of keeping up.
BARRIER_BOUND_MS=${FLT_BARRIER_BOUND_MS:-1000}
PID=
BG=()
VETHS="fltca fltcb fltcc"
cleanup() {
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths $VETHS
	rm -rf "/var/run/dpdk/$FLT_PREFIX"
	if [ "${FLT_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
command -v ovs-ofctl >/dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }

it_veths $VETHS
# handler_spill = no: a full miss-handler ring drops (handler_drops)
# rather than translating on the worker, so phase 3 sees the ring full.
it_flt_ini "$T/sl.ini" "$PORT" "controllers = tcp:127.0.0.1:$CTL
max_backoff = 1
packet_in_rate = 1000000
packet_in_burst = 1000000" "handler_spill = no"
it_afp_port "$T/sl.ini" a fltca0 1
it_afp_port "$T/sl.ini" b fltcb0 2
it_afp_port "$T/sl.ini" c fltcc0 3
it_start_sluiced "$SLUICED" "$T/sl.ini"
IFS_ALL="fltca1 fltcb1 fltcc1 fltca0 fltcb0 fltcc0"

$OF add-flow $SW "priority=1,in_port=1,actions=output:2" || it_fail "add-flow"

# traffic N PPS: N frames a -> b in the background (its count in $T/sent.a)
traffic() {
	it_ft send fltca1 "$1" --pps "$2" > "$T/sent.a" &
	BG+=($!)
}

# ---- 1. controllers lost mid-message ----------------------------------------
it_snap p1a $IFS_ALL
traffic 15000 5000
it_ft halfmsg 127.0.0.1:$PORT 30 > /dev/null || it_fail "half-message clients"
wait "${BG[-1]}"
it_wait_quiet 10
it_snap p1b $IFS_ALL
kill -0 "$PID" 2>/dev/null || it_fail "sluiced died"
it_acct "phase 1 (30 controllers lost mid-message)" p1a p1b \
	--sent "$(cat "$T/sent.a")" --sink fltcb1
$OF dump-flows $SW > "$T/flows" || it_fail "ovs-ofctl after the half messages"
halves=$(grep -c "dl_src=02:00:00:00:[0-9a-f]*:77" "$T/flows" || true)
echo "rules from the whole flow-mods before a cut: $halves (want 10)"
[ "$halves" = 10 ] || { cat "$T/flows"; it_fail "the whole flow-mods before a cut: $halves rules, want 10"; }
$OF del-flows $SW "dl_src=02:00:00:00:00:77/ff:ff:ff:ff:00:ff"

# ---- 2. flow-mod flood while traffic runs ------------------------------------
it_snap p2a $IFS_ALL
traffic 20000 5000
# barriers from another session while the flood runs: the worst round trip
it_ft barrier 127.0.0.1:$PORT 12 0.25 > "$T/barriers" &
BG+=($!)
it_ft flood 127.0.0.1:$PORT 30000 10000 10 > "$T/flood" || it_fail "flow-mod flood: $(cat "$T/flood")"
wait "${BG[-1]}" "${BG[-2]}"
it_wait_quiet 10
it_snap p2b $IFS_ALL
cat "$T/flood"
read -r _ n _ secs _ rate _ bms < "$T/flood"
during=$(cat "$T/barriers")
echo "flow-mod flood: $n in $secs s ($rate/s); barrier after it: $bms ms, worst of 12 during it: $during ms (bound $BARRIER_BOUND_MS ms)"
for b in "$bms" "$during"; do
	awk -v b="$b" -v m="$BARRIER_BOUND_MS" 'BEGIN { exit !(b < m) }' ||
		it_fail "a barrier took $b ms with the flood, bound $BARRIER_BOUND_MS ms"
done
ms=$(it_ft barrier 127.0.0.1:$PORT)
echo "barrier on a quiet switch holding 30000 more rules: $ms ms"
it_acct "phase 2 (flow-mod flood)" p2a p2b --sent "$(cat "$T/sent.a")" --sink fltcb1
$OF dump-flows $SW "in_port=1" > "$T/flows"
rx_a=$(it_tel /sluice/ports a rx_packets)
grep -q "n_packets=$rx_a,.*priority=1,in_port=1 actions=output:2" "$T/flows" ||
	{ cat "$T/flows"; it_fail "rule counters differ from port a's rx_packets $rx_a"; }
echo "rule in_port=1: n_packets=$rx_a = port a rx_packets"
$OF del-flows $SW "cookie=0xf100d/-1"
left=$($OF dump-flows $SW | grep -c "actions=" || true)
[ "$left" = 1 ] || it_fail "$left rules after deleting the flood's, want 1"

# ---- 3. packet-in flood, deaf controller, control lcore stopped -------------
it_ft deaf listen:$CTL 40 "$T/deaf.ready" > "$T/deaf.log" 2>&1 &
BG+=($!)
for _ in $(seq 100); do [ -e "$T/deaf.ready" ] && break; sleep 0.1; done
[ -e "$T/deaf.ready" ] || it_fail "sluiced did not connect to the controller"
$OF add-flow $SW "priority=0,actions=CONTROLLER:65535"
# A rule on one source MAC makes every source MAC of port c a megaflow of
# its own: each frame of the flood below is a table miss.
$OF add-flow $SW "priority=2,in_port=3,dl_src=02:00:00:ff:ff:03,actions=drop"
it_snap p3a $IFS_ALL
# Careful: no other OpenFlow session from here to the end (a service
# session could get packet-ins too and the agent's counts would double).
traffic 30000 5000
it_ft send fltcc1 0 --seconds 6 --flows 60000 --src 3 --dst 9 > "$T/sent.c" &
BG+=($!)
sleep 1
it_ft freeze "$PID" 2 > "$T/freeze" || it_fail "cannot stop the control lcore: $(cat "$T/freeze")"
wait "${BG[-1]}" "${BG[-2]}"
sleep 1
it_wait_quiet 10
it_snap p3b $IFS_ALL
pdrops=$(it_wsum packet_in_drops)
hdrops=$(it_wsum handler_drops)
a_rx=$(( $(it_tel /sluice/ports a rx_packets) ))
b_tx=$(( $(it_tel /sluice/ports b tx_packets) ))
it_stop_sluiced_in 10
echo "packet-in ring drops $pdrops, miss-handler ring drops $hdrops"
# The worker-to-control rings: the packet-in ring must fill while the
# control lcore is stopped; the miss-handler ring fills too when the new
# flows outrun it, which depends on the senders' speed (a CI run sent
# 60240 misses within the ring's room: handler_drops 0), so it is reported,
# and the accounting above holds either way.
[ "$pdrops" -gt 0 ] || it_fail "the packet-in ring never filled (packet_in_drops 0)"
# a -> b (established rule): nothing lost inside sluiced
[ "$a_rx" = "$b_tx" ] || it_fail "a -> b: port a received $a_rx, port b sent $b_tx"
it_acct "phase 3 (packet-in flood, control lcore stopped 2 s)" p3a p3b \
	--sent "$(cat "$T/sent.a")" --sent "$(cat "$T/sent.c")" --sink fltcb1 \
	--agent "$T/log"
grep "sluiced: agent:" "$T/log"
echo "ok: half messages, flow-mod flood, packet-in flood and full rings are survived and counted"
