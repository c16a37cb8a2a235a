#!/bin/bash
# A vhost-user guest that stops reading its rx ring, under traffic. The
# guest is dpdk-testpmd's virtio_user (rxonly), frozen with SIGSTOP for
# 4 s while port c floods toward it and a -> b (af_packet veths) runs:
#   - a -> b loses nothing (every frame sent arrives: the worker never
#     stalls on the full guest ring; port a has a deep af_packet ring);
#   - the guest port drops what its full ring refuses, counted as the vhost
#     port's tx_dropped (telemetry) and the workers' tx_dropped;
#   - after SIGCONT the guest gets what its ring held, and the account of
#     c -> vm is exact: sent = testpmd's RX-packets + counted drops.
# Needs root, hugepages and dpdk-testpmd; exits 77 (skipped) without them.
# usage: test_fault_vhost.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
it_need_testpmd

T=$(mktemp -d /tmp/flt-vhost.XXXXXX)
FLT_PREFIX=flt-vh-$$
TP_PREFIX=flt-vhtp-$$
PORT=${FLT_VHOST_PORT:-16670}
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
PID=
TP_PID=
BG=()
VETHS="fltva fltvb fltvc"
cleanup() {
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -n "$TP_PID" ] && { kill -CONT "$TP_PID"; kill -KILL "$TP_PID"; } 2>/dev/null || true
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	exec 9>&- 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths $VETHS
	rm -rf "/var/run/dpdk/$FLT_PREFIX" "/var/run/dpdk/$TP_PREFIX"
	rm -f /dev/hugepages/"$FLT_PREFIX"* /dev/hugepages/"$TP_PREFIX"*
	if [ "${FLT_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap '' PIPE

tp_cmd() { echo "$*" >&9 || it_fail "testpmd is gone (command: $*)"; }
# tp_wait REGEX COUNT: until testpmd's log has COUNT lines matching
tp_wait() {
	for _ in $(seq 200); do
		[ "$(grep -c -E -- "$1" "$T/tp.log" || true)" -ge "$2" ] && return 0
		sleep 0.1
	done
	cat "$T/tp.log"
	it_fail "testpmd: no '$1' (x$2)"
}
# tp_rx: testpmd's RX-packets of its port 0 (after "show port stats 0")
tp_rx() {
	local n
	n=$(grep -c 'NIC statistics for port 0' "$T/tp.log" || true)
	tp_cmd "show port stats 0"
	tp_wait 'NIC statistics for port 0' $((n + 1))
	sleep 0.3
	awk '/NIC statistics for port 0/ { f = 1 } f && /RX-packets:/ { v = $2 } END { print v }' "$T/tp.log"
}

# The guest: testpmd listens (virtio_user server=1), sluiced connects.
mkfifo "$T/tp.fifo"
stdbuf -oL "$TESTPMD" -l 0,1 --main-lcore 1 --no-pci --single-file-segments \
	--file-prefix="$TP_PREFIX" -m 256 \
	"--vdev=net_virtio_user0,path=$T/vm.sock,server=1,queues=1,queue_size=1024" -- \
	-i --forward-mode=rxonly --total-num-mbufs=8192 --rxd=1024 --txd=1024 \
	< "$T/tp.fifo" > "$T/tp.log" 2>&1 &
TP_PID=$!
exec 9> "$T/tp.fifo"

it_veths $VETHS
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --no-pci --file-prefix=$FLT_PREFIX -m 256 --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT
[port:vm]
type = vhost-user
path = $T/vm.sock
mode = client
ofport = 3
INI
# port a: a deep af_packet ring (8192 frames: seconds at this rate), so a
# worker that stalls would show as loss here, not as counted rx drops
it_afp_port "$T/sl.ini" a fltva0 1 ",framecnt=8192"
it_afp_port "$T/sl.ini" b fltvb0 2
it_afp_port "$T/sl.ini" c fltvc0 4
it_start_sluiced "$SLUICED" "$T/sl.ini"
for _ in $(seq 300); do grep -q 'port vm: link up' "$T/log" && break; sleep 0.1; done
grep -q 'port vm: link up' "$T/log" || it_fail "the vhost port did not come up"
tp_wait '^testpmd> ' 1
tp_cmd "start"
$OF add-flow $SW "in_port=1,actions=output:2"
$OF add-flow $SW "in_port=4,actions=output:3"

IFS1="fltva1 fltvb1 fltvc1 fltva0 fltvb0 fltvc0"
tp0=$(tp_rx)
it_snap v0 $IFS1
it_ft send fltva1 24000 --pps 3000 > "$T/sent.ab" &
BG+=($!)
it_ft send fltvc1 0 --seconds 6 --src 4 --dst 3 > "$T/sent.c" &
BG+=($!)
sleep 1
kill -STOP "$TP_PID"
echo "guest (testpmd) stopped: it reads its rx ring no more"
b_at_stop=$(it_ifc fltvb1 rx_packets)
sleep 4
b_at_cont=$(it_ifc fltvb1 rx_packets)
vm_drop=$(it_tel /sluice/ports vm tx_dropped)
kill -CONT "$TP_PID"
echo "guest resumed; while it was stopped: a -> b delivered $((b_at_cont - b_at_stop)) frames, the vhost port dropped $vm_drop"
wait "${BG[-1]}" "${BG[-2]}"
it_wait_quiet 10
sleep 1 # testpmd drains its ring
it_snap v1 $IFS1
tp1=$(tp_rx)
guest_rx=$((tp1 - tp0))

sent_ab=$(cat "$T/sent.ab")
got_ab=$(( $(it_sget v1 if fltvb1 rx_packets) - $(it_sget v0 if fltvb1 rx_packets) ))
a_drop=$(( $(it_sget v1 ports a rx_dropped) - $(it_sget v0 ports a rx_dropped) ))
vm_drop=$(( $(it_sget v1 ports vm tx_dropped) - $(it_sget v0 ports vm tx_dropped) ))
w_drop=$(( $(it_sget v1 workers tx_dropped) - $(it_sget v0 workers tx_dropped) ))
vm_tx=$(( $(it_sget v1 ports vm tx_packets) - $(it_sget v0 ports vm tx_packets) ))
echo "a -> b: sent $sent_ab, received $got_ab (port a rx_dropped $a_drop)"
echo "c -> vm: sent $(cat "$T/sent.c"); vhost port vm: tx_packets $vm_tx tx_dropped $vm_drop (workers tx_dropped $w_drop); the guest received $guest_rx"
[ "$b_at_cont" -gt "$b_at_stop" ] || it_fail "a -> b stalled while the guest was stopped"
[ "$got_ab" = "$sent_ab" ] || it_fail "a -> b: $got_ab of $sent_ab frames arrived while the guest stopped reading"
[ "$vm_drop" -gt 0 ] || it_fail "the stopped guest's port dropped nothing (tx_dropped 0): was its ring ever full?"
[ "$vm_drop" = "$w_drop" ] || it_fail "vhost port tx_dropped $vm_drop != workers tx_dropped $w_drop"
[ "$guest_rx" = "$vm_tx" ] || it_fail "the vhost port sent $vm_tx frames, the guest got $guest_rx"
it_acct "guest stopped reading for 4 s" v0 v1 --sent "$sent_ab" --sent "$(cat "$T/sent.c")" \
	--sink fltvb1 --row "received by the guest (testpmd RX-packets)=$guest_rx"
tp_cmd "stop"
tp_cmd "quit"
it_stop_sluiced_in 10
for _ in $(seq 50); do kill -0 "$TP_PID" 2>/dev/null || break; sleep 0.1; done
echo "ok: a guest that stops reading costs only its own port, counted"
