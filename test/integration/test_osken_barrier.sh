#!/bin/bash
# Barrier truth under traffic, then flow-removed on idle timeout, with the
# real sluiced and os-ken (osken/barrier.py).
#  1. frames with sequence numbers go in port 1 at a steady rate, out port 2
#     by the app's rule; mid-stream the app adds a higher-priority rule to
#     port 3 and a barrier and notes when the reply arrived: no frame sent
#     after that may come out of port 2 (osken/check_barrier.py).
#  2. a rule with idle_timeout 2 and SEND_FLOW_REM forwards N frames for
#     ~3 s; after the traffic stops the app gets flow-removed with reason
#     IDLE_TIMEOUT and packet_count N.
# usage: test_osken_barrier.sh SLUICED
. "$(dirname "$0")/osken/lib_osken.sh"
os_begin okb "${1:-}" sl-okba sl-okbb sl-okbc
TR="/usr/bin/python3 $OS_DIR/seqtraffic.py"

CTL=$(os_free_port)
it_veths $VETHS
os_sluiced_ini "$T/sl.ini" "sl-okba0 sl-okbb0 sl-okbc0" \
	"controllers = tcp:127.0.0.1:$CTL
listen = none
max_backoff = 1"

# --- 1. barrier truth: 4000 frames at 2000/s, the switch after ~0.8 s
os_start_app bar "$CTL" barrier.py SL_MODE=barrier
BPID=$OS_LAST
it_start_sluiced "$SLUICED" "$T/sl.ini"
os_wait_file "$T/bar.ready" 60
$TR recv sl-okbb1 3.5 "$T/old" > /dev/null &
r1=$!
$TR recv sl-okbc1 3.5 "$T/new" > /dev/null &
r2=$!
sleep 0.3
$TR send sl-okba1 4000 2000 "$T/times" &
s1=$!
sleep 0.8
touch "$T/switch"
wait $s1 $r1 $r2
os_wait_file "$T/bar.barrier" 5
/usr/bin/python3 "$OS_DIR/check_barrier.py" "$T/times" "$T/old" "$T/new" "$T/bar.barrier" ||
	it_fail "barrier truth"
it_stop_sluiced
os_stop_app "$BPID"

# --- 2. flow-removed on idle timeout: 150 frames at 50/s (3 s > idle 2 s)
os_start_app rem "$CTL" barrier.py SL_MODE=flowrem
it_start_sluiced "$SLUICED" "$T/sl.ini"
os_wait_file "$T/rem.ready" 60
$TR recv sl-okbb1 3.8 > "$T/rx" &
r1=$!
sleep 0.3
$TR send sl-okba1 150 50
wait $r1
[ "$(cat "$T/rx")" = 150 ] || it_fail "idle-timeout rule forwarded $(cat "$T/rx") of 150"
[ ! -e "$T/rem.removed" ] || it_fail "flow removed while traffic flowed: $(cat "$T/rem.removed")"
os_wait_file "$T/rem.removed" 8
cat "$T/rem.removed"
# OFPRR_IDLE_TIMEOUT = 0; 150 frames of 64 bytes
want='{"reason": 0, "cookie": 3358, "packet_count": 150, "byte_count": 9600, "idle_timeout": 2, "priority": 10,'
grep -qF "$want" "$T/rem.removed" || it_fail "flow-removed: want $want..."
it_stop_sluiced
echo "ok: barrier reply means the new rule is in effect; idle timeout sends flow-removed"
