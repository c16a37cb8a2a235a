#!/bin/bash
# Fault injection on the ports. Each phase ends with an exact account: every
# frame sent is received at a sink or in a named drop counter (fault_tool.py
# acct prints the table; 0 unaccounted or the test fails).
#   1. a port's peer gone under traffic: a -> b runs all along while the
#      veth peer of port c goes down under d -> c traffic (the port must
#      turn LINK_DOWN in dump-ports-desc and telemetry) and comes back (what
#      the kernel held meanwhile is delivered), then the veth is deleted and
#      d -> c traffic meets the vanished interface (worker tx_dropped, port
#      tx_errors). a -> b loses nothing beyond port a's counted rx drops.
#   2. mbuf pool exhausted at rx, then recovery: a pool of 2048 mbufs, a
#      flood of new flows to the controller from a tap port while the
#      control lcore is stopped (ptrace) for 2.5 s: the miss records, parked
#      frames and the packet-in ring hold the pool, telemetry's
#      /sluice/pools shows it (nearly) empty, the tap's receive counts
#      rx_nombuf (port rx_dropped); after the stop, the pool refills and
#      a -> b forwards every frame again.
#   3. SIGTERM under load: a -> b at full speed, SIGTERM: exit 0 within
#      STOP_BOUND_S, no sanitizer report; every frame the workers received
#      was sent or counted, and what they sent arrived.
# usage: test_fault_ports.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/flt-ports.XXXXXX)
PORT=${FLT_PORTS_PORT:-16660}
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
STOP_BOUND_S=${FLT_STOP_BOUND_S:-10}
PID=
BG=()
VETHS="fltpa fltpb fltpc fltpd"
TAP=fltpt
cleanup() {
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths $VETHS
	rm -rf "/var/run/dpdk/flt-pg-$$" "/var/run/dpdk/flt-pool-$$"
	if [ "${FLT_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
command -v ovs-ofctl >/dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }

# c_state: port c's state in dump-ports-desc
c_state() { $OF dump-ports-desc $SW | awk '/ 3\(c\)/ { f = 1 } f && /state:/ { print $2; exit }'; }

# ---- 1. a port's peer gone under traffic -------------------------------------
FLT_PREFIX=flt-pg-$$
it_veths $VETHS
it_flt_ini "$T/pg.ini" "$PORT"
it_afp_port "$T/pg.ini" a fltpa0 1
it_afp_port "$T/pg.ini" b fltpb0 2
it_afp_port "$T/pg.ini" c fltpc0 3
it_afp_port "$T/pg.ini" d fltpd0 4
it_start_sluiced "$SLUICED" "$T/pg.ini"
$OF add-flow $SW "in_port=1,actions=output:2"
$OF add-flow $SW "in_port=4,actions=output:3"
[ "$(c_state)" = LIVE ] || it_fail "port c not LIVE at start: $(c_state)"
IFS1="fltpa1 fltpb1 fltpd1 fltpa0 fltpb0 fltpd0"
it_snap pg0 $IFS1 fltpc0 fltpc1
it_ft send fltpa1 27000 --pps 3000 > "$T/sent.ab" &
BG+=($!)
it_ft send fltpd1 9000 --pps 3000 --src 4 --dst 3 > "$T/sent.dc1" &
BG+=($!)
sleep 1.5
ip link set fltpc1 down
echo "fltpc1 (port c's peer) down under traffic"
wait "${BG[-1]}"
sleep 1.5 # link polling: once a second
state=$(c_state)
tel_state=$(it_tel /sluice/ports c state)
echo "port c with its peer down: dump-ports-desc state $state, telemetry state $tel_state"
[ "$state" = LINK_DOWN ] || it_fail "port c's peer is down, dump-ports-desc says $state"
[ "$tel_state" = down ] || it_fail "port c's peer is down, telemetry says $tel_state"
# The peer comes back: what the kernel held in port c's af_packet tx ring
# while it was down (the kernel retries the ring's head frame, and counts
# each try in fltpc0 tx_dropped: tries, not frames) is delivered by the
# next frames sent to c.
ip link set fltpc1 up
sleep 1.5
[ "$(c_state)" = LIVE ] || it_fail "port c's peer is up again, dump-ports-desc says $(c_state)"
it_ft send fltpd1 200 --pps 1000 --src 4 --dst 3 > "$T/sent.dc1b"
sleep 1
it_snap pg1 $IFS1 fltpc0 fltpc1
c_rx=$(( $(it_sget pg1 if fltpc1 rx_packets) - $(it_sget pg0 if fltpc1 rx_packets) ))
c_tries=$(( $(it_sget pg1 if fltpc0 tx_dropped) - $(it_sget pg0 if fltpc0 tx_dropped) ))
echo "port c: fltpc1 received $c_rx; the kernel's tries refused while the peer was down: $c_tries"
ip link del fltpc0
echo "fltpc0 (port c's interface) deleted under a -> b traffic"
it_ft send fltpd1 9000 --pps 3000 --src 4 --dst 3 > "$T/sent.dc2" &
BG+=($!)
wait "${BG[-1]}" "${BG[-2]}"
it_wait_quiet 10
it_snap pg2 $IFS1
[ "$(c_state)" = LINK_DOWN ] || it_fail "port c's interface is gone, dump-ports-desc says $(c_state)"
kill -0 "$PID" 2>/dev/null || it_fail "sluiced died"
# OpenFlow's tx_dropped for port c holds what the workers dropped on its
# way out (the device never saw those frames), as OVS counts them
c_wdrop=0
for r in port_down tx_full mtu runt segments tx_prepare tso_malformed gso_no_mbuf; do
	c_wdrop=$((c_wdrop + $(it_tel /sluice/drops,c c "$r")))
done
c_ofdrop=$($OF dump-ports $SW 3 | awk '/tx / { for (i = 1; i <= NF; i++)
	if ($i ~ /^drop=/) { sub(/^drop=/, "", $i); sub(/,$/, "", $i); print $i } }')
echo "port c: workers dropped $c_wdrop on the way out; OpenFlow tx drop=$c_ofdrop"
[ "$c_wdrop" -gt 0 ] && [ "$c_ofdrop" = "$c_wdrop" ] ||
	it_fail "port c: OpenFlow tx drop=$c_ofdrop, the workers dropped $c_wdrop"
# a -> b alone: port a receives nothing else
sent_ab=$(cat "$T/sent.ab")
got_ab=$(( $(it_sget pg2 if fltpb1 rx_packets) - $(it_sget pg0 if fltpb1 rx_packets) ))
a_drop=$(( $(it_sget pg2 ports a rx_dropped) - $(it_sget pg0 ports a rx_dropped) ))
echo "a -> b: sent $sent_ab, received $got_ab, port a rx_dropped $a_drop"
[ $((got_ab + a_drop)) = "$sent_ab" ] || it_fail "a -> b lost $((sent_ab - got_ab - a_drop)) frames uncounted"
it_acct "phase 1 (port c's peer down and up, then its interface deleted)" pg0 pg2 \
	--sent "$sent_ab" --sent "$(cat "$T/sent.dc1")" --sent "$(cat "$T/sent.dc1b")" \
	--sent "$(cat "$T/sent.dc2")" --sink fltpb1 --row "received at fltpc1 (rx_packets)=$c_rx"
it_stop_sluiced_in "$STOP_BOUND_S"

# ---- 2. mbuf pool exhausted at rx, then recovery -----------------------------
FLT_PREFIX=flt-pool-$$
it_veths fltpa fltpb
it_flt_ini "$T/pool.ini" "$PORT" "" "mbufs_per_socket = 2048"
it_afp_port "$T/pool.ini" a fltpa0 1
it_afp_port "$T/pool.ini" b fltpb0 2
printf '[port:t]\ntype = dpdk\ndevargs = net_tap_t%s,iface=%s\nofport = 3\nrxd = 64\n' $$ $TAP >> "$T/pool.ini"
it_start_sluiced "$SLUICED" "$T/pool.ini"
sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1" || true
$OF add-flow $SW "priority=1,in_port=1,actions=output:2"
$OF add-flow $SW "priority=0,actions=CONTROLLER:65535"
# a rule on one source MAC: each source MAC of the flood is a new megaflow
$OF add-flow $SW "priority=2,in_port=3,dl_src=02:00:00:ff:ff:03,actions=drop"
sleep 1 # the tap's own start-up chatter, before the counts begin
mp() { it_tel /sluice/pools sl_mbuf_s0 "$1"; }
size=$(mp size)
IFS2="fltpa1 fltpb1 fltpa0 fltpb0 $TAP"
it_snap po0 $IFS2
it_ft send fltpa1 16000 --pps 2000 > "$T/sent.ab" &
BG+=($!)
it_ft send $TAP 0 --seconds 4 --flows 60000 --src 3 --dst 9 > "$T/sent.t" &
BG+=($!)
sleep 1
it_ft freeze "$PID" 2.5 > "$T/freeze" &
BG+=($!)
avail=$size
for _ in $(seq 10); do # the fewest free while the control lcore is stopped
	sleep 0.25
	a=$(mp available)
	[ "$a" -lt "$avail" ] && avail=$a
done
echo "mempool sl_mbuf_s0 while the control lcore is stopped: down to $avail of $size mbufs available"
wait "${BG[-1]}" || it_fail "cannot stop the control lcore: $(cat "$T/freeze")"
wait "${BG[-2]}" "${BG[-3]}"
it_wait_quiet 10
it_snap po1 $IFS2
t_nombuf=$(( $(it_tel /sluice/ports t rx_dropped) ))
echo "port t rx_dropped (tap rx_nombuf) $t_nombuf"
# exhausted: an rx allocation failed (the tap's rx_nombuf) while the
# control lcore held the mbufs; the lowest free count sampled every 250 ms
# is printed, not judged (on a quiet host the trough falls between samples:
# 915 free was read in a CI run whose pool did run dry)
[ "$t_nombuf" -gt 0 ] || it_fail "the pool was not exhausted: no rx allocation failed (port t rx_dropped 0, $avail of $size free at the lowest sample)"
[ "$avail" -lt "$size" ] || it_fail "no mbuf was in use while the control lcore was stopped"
# Recovery: the pool refills, a -> b forwards every frame, and the tap
# receives again (DPDK 22.11's net_tap stops reading after an mbuf
# allocation failure until its signal is raised again: sluiced's port
# upkeep does that, port_ethdev.c).
it_ft send $TAP 2000 --pps 2000 --src 3 --dst 9 --flows 60000 > "$T/sent.rect" &
BG+=($!)
it_ft send fltpa1 6000 --pps 3000 > "$T/sent.rec"
wait "${BG[-1]}"
it_wait_quiet 10
it_snap po2 $IFS2
avail=$(mp available)
echo "mempool after the stop: $avail of $size available"
got=$(( $(it_sget po2 if fltpb1 rx_packets) - $(it_sget po1 if fltpb1 rx_packets) ))
echo "after recovery a -> b: sent $(cat "$T/sent.rec"), received $got"
[ "$got" = "$(cat "$T/sent.rec")" ] || it_fail "after recovery a -> b got $got of $(cat "$T/sent.rec")"
[ "$avail" -gt $((size / 2)) ] || it_fail "the pool did not refill: $avail of $size available"
t_rx=$(( $(it_sget po2 ports t rx_packets) - $(it_sget po1 ports t rx_packets) ))
echo "after recovery the tap: sent $(cat "$T/sent.rect"), port t received $t_rx"
[ "$t_rx" -gt 0 ] || it_fail "port t receives nothing after the pool refilled"

# ---- 3. SIGTERM under load ---------------------------------------------------
it_snap st0 $IFS2
it_ft send fltpa1 0 --seconds 4 > "$T/sent.st" &
BG+=($!)
sleep 1.5
it_stop_sluiced_in "$STOP_BOUND_S"
wait "${BG[-1]}"
# phase 2's account needs the agent's counters, printed at exit
it_acct "phase 2 (pool exhausted by a flood to a stopped control lcore, and recovery)" po0 po2 \
	--sent "$(cat "$T/sent.ab")" --sent "$(cat "$T/sent.t")" --sent "$(cat "$T/sent.rec")" \
	--sent "$(cat "$T/sent.rect")" --sink fltpb1 --ktxdrop $TAP --agent "$T/log"
# under load: what the worker received (exit counters minus the snapshot)
# was sent or counted, and what it sent arrived at fltpb1
read -r rx tx txd noout < <(sed -nE 's/.*worker lcore [0-9]+: rx ([0-9]+) tx ([0-9]+) tx_dropped ([0-9]+) no_output ([0-9]+).*/\1 \2 \3 \4/p' "$T/log")
rx0=$(it_sget st0 workers rx_packets)
tx0=$(it_sget st0 workers tx_packets)
txd0=$(it_sget st0 workers tx_dropped)
noout0=$(it_sget st0 workers no_output)
b0=$(it_sget st0 if fltpb1 rx_packets)
b_rx=$(( $(it_ifc fltpb1 rx_packets) - b0 ))
echo "SIGTERM under load: generator sent $(cat "$T/sent.st") (some after the exit); worker rx $((rx - rx0)) tx $((tx - tx0)) tx_dropped $((txd - txd0)) no_output $((noout - noout0)); fltpb1 received $b_rx"
[ $((rx - rx0)) = $((tx - tx0 + txd - txd0 + noout - noout0)) ] ||
	it_fail "under SIGTERM the worker received $((rx - rx0)) but sent or dropped $((tx - tx0 + txd - txd0 + noout - noout0))"
[ "$b_rx" = $((tx - tx0)) ] || it_fail "the worker sent $((tx - tx0)) frames to b, fltpb1 got $b_rx"
echo "ok: peer gone, pool exhausted and recovered, SIGTERM under load: all counted"
