#!/bin/bash
# Link events end to end on veth (issue 21): ports a and b are net_af_packet
# on veths, a -> b by a rule, a controller (portstatus_ctl.py) records
# OFPT_PORT_STATUS. b's peer goes down: the controller gets MODIFY b with
# OFPPS_LINK_DOWN, b is LINK_DOWN in port desc, and frames for b no longer
# reach its peer; b's peer comes back: MODIFY b LIVE, and the next frames
# all arrive. (The emulated NIC's link, through a real PMD: test_nic_vf.sh.)
# usage: test_link_events.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/n1lnk.XXXXXX)
PORT=${LINK_OF_PORT:-16662}
CPORT=${LINK_CTL_PORT:-16663}
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
PID=
CPID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2> /dev/null
	[ -n "$CPID" ] && kill "$CPID" 2> /dev/null
	wait 2> /dev/null || true
	it_del_veths n1la n1lb
	rm -rf "$T"
}
trap cleanup EXIT
command -v ovs-ofctl > /dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }

it_veths n1la n1lb
cat > "$T/sl.ini" << INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $T/ctl.sock
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=n1lnk-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT
controllers = tcp:127.0.0.1:$CPORT
fail_mode = secure
[port:a]
type = dpdk
devargs = net_af_packet_n1la$$,iface=n1la0
ofport = 1
[port:b]
type = dpdk
devargs = net_af_packet_n1lb$$,iface=n1lb0
ofport = 2
INI
/usr/bin/python3 "$HERE/portstatus_ctl.py" "$CPORT" "$T/status" 120 &
CPID=$!
it_start_sluiced "$SLUICED" "$T/sl.ini"
for _ in $(seq 100); do grep -q connected "$T/status" 2> /dev/null && break; sleep 0.1; done
grep -q connected "$T/status" || it_fail "the controller did not connect"
$OF add-flow $SW "in_port=1,actions=output:2"

# send N TAG: N frames into a; peer_rx: frames b's peer has received
send() {
	/usr/bin/python3 - "$1" "$2" << 'PY'
import sys
from scapy.all import Ether, Raw, sendp
sendp([Ether(src='02:00:00:00:02:01', dst='02:00:00:00:02:02', type=0x88b5) /
       Raw(f'{sys.argv[2]} {i}'.encode()) for i in range(int(sys.argv[1]))],
      iface='n1la1', verbose=False)
PY
}
peer_rx() { it_ifc n1lb1 rx_packets; }
# wait_line PATTERN: until the controller's record has a line matching it
wait_line() {
	for _ in $(seq 300); do grep -q -E "$1" "$T/status" && return 0; sleep 0.1; done
	cat "$T/status"
	it_fail "no PORT_STATUS matching \"$1\" within 30 s"
}
b_state() { $OF dump-ports-desc $SW | awk '/ 2\(b\)/ { f = 1 } f && /state:/ { print $2; exit }'; }

send 50 A
for _ in $(seq 100); do [ "$(peer_rx)" -ge 50 ] && break; sleep 0.1; done
[ "$(peer_rx)" = 50 ] || it_fail "b's peer got $(peer_rx) of 50 frames with the link up"

ip link set n1lb1 down
wait_line '^MODIFY 2 b config=0x0 state=0x1$' # OFPPS_LINK_DOWN
[ "$(b_state)" = LINK_DOWN ] || it_fail "b is $(b_state) in port desc, not LINK_DOWN"
send 50 B
sleep 1
[ "$(peer_rx)" = 50 ] || it_fail "frames reached b's peer while it was down"

ip link set n1lb1 up
wait_line '^MODIFY 2 b config=0x0 state=0x4$' # OFPPS_LIVE
[ "$(b_state)" = LIVE ] || it_fail "b is $(b_state) in port desc, not LIVE"
# The 50 frames B sent while b's peer was down wait in the PMD's tx ring
# (the kernel did not take them), and leave with the next frames: after
# the link is back the peer gets the 50 C frames and at most those 50 B.
before=$(peer_rx)
send 50 C
for _ in $(seq 100); do [ "$(peer_rx)" -ge $((before + 50)) ] && break; sleep 0.1; done
sleep 1
got=$(($(peer_rx) - before))
[ "$got" -ge 50 ] && [ "$got" -le 100 ] ||
	it_fail "after the link came back b's peer got $got frames, expected the 50 sent (+ up to 50 held)"
echo "after the link came back: $got frames at b's peer (50 sent now, $((got - 50)) held while down)"
cat "$T/status"
grep -q '^MODIFY 1 ' "$T/status" && it_fail "port a's status changed: $(cat "$T/status")"
echo "PASS: link down/up reaches the controller as PORT_STATUS, traffic stops and resumes"
