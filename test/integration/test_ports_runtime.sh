#!/bin/bash
# The LOCAL port and ports added and removed at run time (sluicectl add-port,
# del-port, set-port), with a controller that writes down every
# OFPT_PORT_STATUS (portstatus_ctl.py) and ovs-ofctl for rules and counters:
#  1. LOCAL ([switch] local_port, a net_tap): in port desc; output:LOCAL
#     reaches the kernel interface (not for a frame that came from it), and
#     what the host sends on it enters the pipeline as in_port=LOCAL (exact
#     counts: interfaces and rule counters);
#  2. a port added at run time without a number gets the lowest free one,
#     the controller sees PORT_STATUS ADD, and a rule installed before the
#     port existed forwards to it (exact);
#  3. a port removed while two streams run: PORT_STATUS DELETE; the stream
#     between the other ports loses nothing (exact), and every frame of the
#     stream to the removed port was delivered or is in a named drop counter;
#  4. bad add-ports (missing device, bad devargs, duplicate name, number or
#     device, unknown key) fail with the reason and change nothing (port
#     desc, controller); the removed port added again gets its old number
#     (remembered in the run directory) and forwards;
#  5. set-port down/up: PORT_STATUS MODIFY with OFPPC_PORT_DOWN; mtu=N.
# sluiced then exits 0 with no sanitizer report.
# usage: test_ports_runtime.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
command -v ovs-ofctl >/dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }
T=$(mktemp -d /tmp/h3-it-ports.XXXXXX)
SOCK=$T/run/sluiced.ctl
FLT_PREFIX=h3-it-ports-$$
# OpenFlow listener and controller (this test's TCP ports)
LPORT=16634
CPORT=16635
OF=tcp:127.0.0.1:$LPORT
LOCAL_IF=h3lcl0
PID=
CPID=
cleanup() {
	# (the controller exits by itself when sluiced hangs up: kill may fail)
	[ -z "$PID" ] || kill "$PID" 2>/dev/null || true
	[ -z "$CPID" ] || kill "$CPID" 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths h3pa h3pb h3pc h3pd
	rm -rf "$T"
}
trap cleanup EXIT
ctl() { "$CTL" -s "$SOCK" "$@"; }
ofc() { ovs-ofctl -O OpenFlow13 "$@"; }
rx() { it_ifc "$1" rx_packets; }
send() { it_ft send "$@"; }
# n_packets of the rule whose dump-flows line contains $1
rule_packets() { ofc dump-flows "$OF" | grep -F "$1" | sed -n 's/.*n_packets=\([0-9]*\).*/\1/p'; }
# every named drop counter of the workers, summed
wdrops() {
	/usr/bin/python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
import fault_tool as f
w = f.telemetry(sys.argv[2], "/sluice/workers")
print(sum(int(e.get(k, 0)) for e in w.values() for k in f.WORKER_DROPS))' "$HERE" "$FLT_PREFIX"
}
# wait until the controller's file has $2 (default 1) lines matching $1
await_status() {
	for _ in $(seq 50); do
		[ "$(grep -Ec "$1" "$T/status")" -ge "${2:-1}" ] && return 0
		sleep 0.1
	done
	cat "$T/status"
	it_fail "controller: no port status like '$1'"
}
afp() { echo "net_af_packet_$1$$,iface=$2"; }

it_veths h3pa h3pb h3pc h3pd
it_flt_ini "$T/sl.ini" "$LPORT" "controllers = tcp:127.0.0.1:$CPORT
fail_mode = secure" "mgmt_socket = $SOCK
local_port = $LOCAL_IF
rxq_rebalance = manual"
it_afp_port "$T/sl.ini" a h3pa0 1
it_afp_port "$T/sl.ini" c h3pc0 3
it_afp_port "$T/sl.ini" d h3pd0 4
: > "$T/status"
/usr/bin/python3 "$HERE/portstatus_ctl.py" "$CPORT" "$T/status" 240 &
CPID=$!
it_start_sluiced "$SLUICED" "$T/sl.ini"
await_status '^connected'
# the kernel's own IPv6 chatter stays off the LOCAL interface
sysctl -qw "net.ipv6.conf.$LOCAL_IF.disable_ipv6=1"

# 1. LOCAL
ofc dump-ports-desc "$OF" > "$T/desc0"
grep -q "LOCAL($LOCAL_IF): addr:02:4c:00:00:00:01" "$T/desc0" || { cat "$T/desc0"; it_fail "no LOCAL port"; }
ofc add-flow "$OF" "in_port=1,dl_type=0x88b5,actions=LOCAL"
# output:LOCAL of a frame from LOCAL is dropped, as to any ingress port
ofc add-flow "$OF" "in_port=LOCAL,dl_type=0x88b5,actions=output:1,LOCAL"
r0=$(rx $LOCAL_IF); a0=$(rx h3pa1)
sent=$(send h3pa1 100 --pps 2000)
sent_l=$(send $LOCAL_IF 100 --pps 2000 --src 7)
sleep 1.5
echo "LOCAL: sent $sent to it, received $(( $(rx $LOCAL_IF) - r0 )); sent $sent_l from it, received $(( $(rx h3pa1) - a0 ))"
[ "$(( $(rx $LOCAL_IF) - r0 ))" = "$sent" ] || it_fail "output:LOCAL: $sent sent, $(( $(rx $LOCAL_IF) - r0 )) on $LOCAL_IF"
[ "$(( $(rx h3pa1) - a0 ))" = "$sent_l" ] || it_fail "in_port=LOCAL: $sent_l sent, $(( $(rx h3pa1) - a0 )) on h3pa1"
[ "$(rule_packets in_port=LOCAL)" = "$sent_l" ] || it_fail "in_port=LOCAL rule: $(rule_packets in_port=LOCAL)"
ofc dump-ports "$OF" LOCAL | grep -q "tx pkts=$sent," || { ofc dump-ports "$OF" LOCAL; it_fail "LOCAL port stats"; }
ofc del-flows "$OF"

# 2. add-port b at run time; the rule to it was there before it
ofc add-flow "$OF" "in_port=1,actions=output:2"
ofc add-flow "$OF" "in_port=3,actions=output:4"
ctl add-port b type=dpdk devargs="$(afp b h3pb0)" > "$T/add" || it_fail "add-port b"
cat "$T/add"
grep -Eq "^b +2 +dpdk" "$T/add" || it_fail "add-port b: not ofport 2"
await_status '^ADD 2 b '
grep -q "^port b type=dpdk .*ofport=2$" "$SOCK.ports" || it_fail "b not recorded: $(cat "$SOCK.ports")"
b0=$(rx h3pb1)
sent=$(send h3pa1 200 --pps 2000)
sleep 1.5
[ "$(( $(rx h3pb1) - b0 ))" = "$sent" ] || it_fail "added port: $sent sent, $(( $(rx h3pb1) - b0 )) received"
echo "added port b forwards: $sent of $sent"

# 3. del-port b under traffic a->b and c->d
b0=$(rx h3pb1); d0=$(rx h3pd1); w0=$(wdrops)
pa0=$(rule_packets in_port=1); arx0=$(it_tel /sluice/ports a rx_dropped)
send h3pa1 6000 --pps 1000 > "$T/sent_a" &
SA=$!
send h3pc1 6000 --pps 1000 --src 3 --dst 4 > "$T/sent_c" &
SC=$!
# the delete once the stream to b flows (a loaded host starts senders late)
for _ in $(seq 100); do [ "$(( $(rx h3pb1) - b0 ))" -ge 200 ] && break; sleep 0.1; done
ctl del-port b || it_fail "del-port b"
wait $SA $SC
it_wait_quiet 10
await_status '^DELETE 2 b '
sent_a=$(cat "$T/sent_a"); sent_c=$(cat "$T/sent_c")
got_b=$(( $(rx h3pb1) - b0 )); got_d=$(( $(rx h3pd1) - d0 )); drops=$(( $(wdrops) - w0 ))
arx=$(( $(it_tel /sluice/ports a rx_dropped) - arx0 )); rules_a=$(( $(rule_packets in_port=1) - pa0 ))
echo "del-port under traffic: c->d sent $sent_c received $got_d; a->b sent $sent_a:" \
	"received $got_b before the delete, dropped $drops after (named), a rx_dropped $arx," \
	"rule in_port=1 counted $rules_a"
[ "$got_d" = "$sent_c" ] || it_fail "the other ports lost frames: $sent_c sent, $got_d received"
[ "$got_b" -gt 0 ] && [ "$drops" -gt 0 ] || it_fail "the delete did not happen under traffic"
[ "$(( got_b + drops + arx ))" = "$sent_a" ] ||
	it_fail "a->b: $sent_a sent = $got_b received + $drops dropped + $arx rx_dropped does not hold"
[ "$rules_a" = "$(( got_b + drops ))" ] || it_fail "rule in_port=1: $rules_a, not $((got_b + drops))"
ofc dump-ports-desc "$OF" | grep -q "(b)" && it_fail "b still in port desc"
ctl show | grep -Eq "^b " && it_fail "b still in show"
grep -q "port b (ofport 2) deleted" "$T/log" || it_fail "no log line for the delete"
grep -q "^gone b ofport=2$" "$SOCK.ports" || it_fail "b's number not kept: $(cat "$SOCK.ports")"

# 4. bad add-ports: each says why and changes nothing
ofc dump-ports-desc "$OF" | grep -v "xid=" > "$T/desc1"
n_status=$(wc -l < "$T/status")
bad() {
	local why=$1; shift
	if ctl add-port "$@" 2> "$T/err"; then it_fail "add-port $* succeeded"; fi
	grep -q -- "$why" "$T/err" || { cat "$T/err"; it_fail "add-port $*: not '$why'"; }
	echo "refused as it should: $(cat "$T/err")"
}
bad "No such device" x type=dpdk devargs="$(afp x h3nosuch0)"
bad "invalid qpairs value" x type=dpdk devargs="net_af_packet_x$$,qpairs=zz,iface=h3pb0"
bad "port c exists already" c type=dpdk devargs="$(afp x h3pb0)"
bad "ofport 3 is already used by port c" x type=dpdk devargs="$(afp x h3pb0)" ofport=3
bad "is already used by port a" x type=dpdk devargs="$(afp a h3pa0)"
bad "unknown key 'colour'" x type=dpdk devargs="$(afp x h3pb0)" colour=red
bad "a dpdk port needs 'devargs'" x type=dpdk
sleep 0.5
ofc dump-ports-desc "$OF" | grep -v "xid=" | diff "$T/desc1" - || it_fail "a bad add-port changed the ports"
[ "$(wc -l < "$T/status")" = "$n_status" ] || it_fail "a bad add-port sent a port status"
# b again, without a number: the one it had
ctl add-port b type=dpdk devargs="$(afp b h3pb0)" | grep -Eq "^b +2 " || it_fail "b again: not ofport 2"
await_status '^ADD 2 b ' 2
b0=$(rx h3pb1)
sent=$(send h3pa1 100 --pps 2000)
sleep 1.5
[ "$(( $(rx h3pb1) - b0 ))" = "$sent" ] || it_fail "b again: $sent sent, $(( $(rx h3pb1) - b0 )) received"

# 5. set-port
ctl set-port b down > /dev/null || it_fail "set-port b down"
await_status '^MODIFY 2 b config=0x1 '
ofc dump-ports-desc "$OF" | grep -A1 "(b)" | grep -q PORT_DOWN || it_fail "b not PORT_DOWN"
ctl set-port b up mtu=1400 | grep -Eq "^b +2 .* up +1400$" || it_fail "set-port b up mtu=1400"
await_status '^MODIFY 2 b config=0x0 '
ctl set-port b sideways 2> "$T/err" && it_fail "set-port b sideways succeeded"
grep -q "expected up, down or mtu=N" "$T/err" || it_fail "set-port b sideways: $(cat "$T/err")"
ctl del-port "$LOCAL_IF" 2> "$T/err" && it_fail "del-port LOCAL succeeded"
grep -q "is the LOCAL port" "$T/err" || it_fail "del-port LOCAL: $(cat "$T/err")"

it_stop_sluiced_in 20
echo "PASS"
