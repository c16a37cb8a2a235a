#!/bin/bash
# Packet-in rate limit with the real sluiced: packet_in_rate/burst low, an
# os-ken app (osken/counter.py) counts what it gets for N table misses;
# it must stay within burst + rate * duration, and sluiced's counters
# (printed at exit) must account for every miss: sent + rate-dropped == N.
# usage: test_osken_pinrate.sh SLUICED
. "$(dirname "$0")/osken/lib_osken.sh"
os_begin okp "${1:-}" sl-okpa sl-okpb
RATE=20 BURST=10 N=300 PPS=200

CTL=$(os_free_port)
os_start_app ctl "$CTL" counter.py
it_veths $VETHS
os_sluiced_ini "$T/sl.ini" "sl-okpa0 sl-okpb0" \
	"controllers = tcp:127.0.0.1:$CTL
listen = none
max_backoff = 1
packet_in_rate = $RATE
packet_in_burst = $BURST"
it_start_sluiced "$SLUICED" "$T/sl.ini"
os_wait_file "$T/ctl.ready" 60

t0=$(date +%s.%N)
/usr/bin/python3 "$OS_DIR/seqtraffic.py" send sl-okpa1 $N $PPS
t1=$(date +%s.%N)
sleep 1 # let the last packet-ins reach the app
read -r all ours < <(tr -d '[],' < "$T/ctl.pins")
it_stop_sluiced
stats=$(grep "sluiced: agent:" "$T/log") || it_fail "no agent counters at exit"
echo "$stats"
sent=$(sed -E 's/.*packet_ins_sent ([0-9]+).*/\1/' <<<"$stats")
rdrop=$(sed -E 's/.*packet_ins_rate_dropped ([0-9]+).*/\1/' <<<"$stats")
max=$(awk -v b=$BURST -v r=$RATE -v a="$t0" -v z="$t1" 'BEGIN { printf "%d", b + r * (z - a + 1) }')
echo "misses $N in $(awk -v a="$t0" -v z="$t1" 'BEGIN{printf "%.2f", z - a}') s: app got $ours (all $all), limit $max; agent sent $sent, rate-dropped $rdrop"
[ "$ours" -le "$max" ] || it_fail "app got $ours packet-ins, more than burst + rate * duration = $max"
[ "$ours" -ge "$BURST" ] || it_fail "app got $ours packet-ins, less than the burst $BURST"
[ "$all" = "$sent" ] || it_fail "agent sent $sent packet-ins, the app got $all"
[ $((sent + rdrop)) = "$N" ] || it_fail "sent $sent + rate-dropped $rdrop != $N misses"
echo "ok: packet-in rate limit holds and every miss is counted"
