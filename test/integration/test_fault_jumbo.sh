#!/bin/bash
# Jumbo (9000-byte) frames in chained mbufs through every kind of action.
# sluiced's mbufs hold 2 KiB, so a 9000-byte frame is a chain of five
# wherever it lives: built by a packet-out, dequeued from a vhost-user guest
# (mergeable rx buffers), copied for a flood or a group. (af_packet and tap
# ports cannot carry jumbo frames with DPDK 22.11: their drivers cap the
# frame at the mbuf, resp. 1522 bytes.) The guests are dpdk-testpmd's
# virtio_user ports in io forwarding with loop topology: each sends back
# what it receives. A controller (fault_tool.py jumboctl) sends N frames of
# random content as packet-outs to vm1; vm1's guest returns them into
# sluiced, where the case's rules act on them, out to vm2/vm3 whose guests
# return them again, and rules send them to the controller (packet-in, full
# frame). The controller's frames must be exactly the expected ones, byte
# for byte (multiset of SHA-256 digests):
#   plain   vm1 -> controller                            N frames
#   flood   vm1 -> FLOOD (vm2, vm3) -> controller        2N
#   all     vm1 -> group all (vm2, vm3) -> controller    2N
#   select  vm1 -> group select (vm2 | vm3) -> ctl       N, buckets sum N
#   setf    vm1 -> set eth_dst -> vm2 -> controller      N, eth_dst changed
#   vlan    vm1 -> push VLAN 100 -> vm2 -> pop -> ctl    N, unchanged
#   mpls    vm1 -> push MPLS 77 -> vm2 -> pop -> ctl     N, unchanged
#   ip      vm1 -> set ip_dst, dec_ttl -> vm2 -> ctl     N, as scapy rewrites them
# and nothing is dropped on the way (the workers' drop counters stay 0).
# Needs root, hugepages and dpdk-testpmd; exits 77 (skipped) without them.
# usage: test_fault_jumbo.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
it_need_testpmd

T=$(mktemp -d /tmp/flt-jumbo.XXXXXX)
FLT_PREFIX=flt-jb-$$
TP_PREFIX=flt-jbtp-$$
PORT=${FLT_JUMBO_PORT:-16680}
CTL=$((PORT + 1))
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
N=${FLT_JUMBO_N:-20}
SIZE=9000
PID=
TP_PID=
CTL_PID=
cleanup() {
	[ -n "$CTL_PID" ] && kill "$CTL_PID" 2>/dev/null || true
	[ -n "$TP_PID" ] && kill -KILL "$TP_PID" 2>/dev/null || true
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	exec 8>&- 9>&- 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "/var/run/dpdk/$FLT_PREFIX" "/var/run/dpdk/$TP_PREFIX"
	rm -f /dev/hugepages/"$FLT_PREFIX"* /dev/hugepages/"$TP_PREFIX"*
	if [ "${FLT_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap '' PIPE

# three guests in one testpmd, each returning what it receives
mkfifo "$T/tp.fifo"
vdevs=()
for i in 1 2 3; do
	vdevs+=("--vdev=net_virtio_user$i,path=$T/vm$i.sock,server=1,queues=1,queue_size=1024,mrg_rxbuf=1")
done
stdbuf -oL "$TESTPMD" -l 0,1 --main-lcore 1 --no-pci --single-file-segments \
	--file-prefix="$TP_PREFIX" -m 512 "${vdevs[@]}" -- \
	-i --forward-mode=io --port-topology=loop --total-num-mbufs=16384 \
	--max-pkt-len=9600 --enable-scatter --rxd=1024 --txd=1024 \
	< "$T/tp.fifo" > "$T/tp.log" 2>&1 &
TP_PID=$!
exec 9> "$T/tp.fifo"

cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --no-pci --file-prefix=$FLT_PREFIX -m 256 --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT
controllers = tcp:127.0.0.1:$CTL
max_backoff = 1
INI
for i in 1 2 3; do
	printf '[port:vm%d]\ntype = vhost-user\npath = %s/vm%d.sock\nmode = client\nofport = %d\n' \
		"$i" "$T" "$i" "$i" >> "$T/sl.ini"
done
it_start_sluiced "$SLUICED" "$T/sl.ini"
for _ in $(seq 300); do [ "$(grep -c 'port vm[123]: link up' "$T/log")" -ge 3 ] && break; sleep 0.1; done
[ "$(grep -c 'port vm[123]: link up' "$T/log")" -ge 3 ] || it_fail "the vhost ports did not come up"
echo "start" >&9

# the controller, driven through a fifo
mkfifo "$T/ctl.fifo"
it_ft jumboctl "listen:$CTL" "$T/ctl.done" < "$T/ctl.fifo" > "$T/ctl.log" 2>&1 &
CTL_PID=$!
exec 8> "$T/ctl.fifo"
ctl_wait() { # COUNT: until the controller has finished COUNT commands
	for _ in $(seq 600); do
		[ "$( (cat "$T/ctl.done" 2>/dev/null || true) | wc -l)" -ge "$1" ] && return 0
		kill -0 "$CTL_PID" 2>/dev/null || { cat "$T/ctl.log"; it_fail "the controller died"; }
		sleep 0.1
	done
	it_fail "the controller did not finish its command"
}
ctl_wait 1
DONE=1

it_ft gen "$T/frames" "$N" "$SIZE" --ipv4
# the frames as set-field eth_dst=02:aa:bb:cc:dd:ee leaves them
/usr/bin/python3 - "$T/frames" "$T/frames.setf" "$HERE" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
import fault_tool as ft
ft.write_records(sys.argv[2], [bytes.fromhex('02aabbccddee') + f[6:] for f in ft.read_records(sys.argv[1])])
PY
/usr/bin/python3 - "$T/frames" "$T/frames.x2" "$HERE" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
import fault_tool as ft
ft.write_records(sys.argv[2], ft.read_records(sys.argv[1]) * 2)
PY
# the frames as set ip_dst=10.9.8.7 and dec_ttl leave them (scapy's IPv4 checksum)
/usr/bin/python3 - "$T/frames" "$T/frames.ip" "$HERE" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
import fault_tool as ft
from scapy.layers.l2 import Ether
from scapy.layers.inet import IP
out = []
for f in ft.read_records(sys.argv[1]):
    p = Ether(f)
    p[IP].dst = '10.9.8.7'
    p[IP].ttl -= 1
    del p[IP].chksum  # the UDP checksum is 0 (none) and stays so
    out.append(bytes(p))
ft.write_records(sys.argv[2], out)
PY

# run_case NAME EXPECTED FLOWS...: the case's flows, N packet-outs to vm1,
# and the controller's frames compared with EXPECTED
FAILS=()
run_case() {
	local name=$1 want=$2 drops0 drops1 short
	shift 2
	$OF del-flows $SW
	$OF del-groups $SW 2>/dev/null || true
	$OF add-flow $SW "priority=10,in_port=2,actions=CONTROLLER:65535"
	$OF add-flow $SW "priority=10,in_port=3,actions=CONTROLLER:65535"
	for f in "$@"; do
		case $f in
		group:*) $OF add-group $SW "${f#group:}" ;;
		*) $OF add-flow $SW "$f" ;;
		esac
	done
	drops0=$(wdrops)
	echo "out $T/frames 1" >&8
	echo "collect 2 $T/got.$name" >&8
	DONE=$((DONE + 2))
	ctl_wait $DONE
	drops1=$(wdrops)
	short=$(cat "$T/got.$name.short")
	if res=$(it_ft cmp "$want" "$T/got.$name"); then
		echo "  $name: ok: $res"
	else
		echo "  $name: FAIL: $res; packet-ins with part of the frame: $short; drops: $drops0 -> $drops1"
		FAILS+=("$name")
	fi
	[ "$drops0" = "$drops1" ] || { echo "  $name: FAIL: drops $drops0 -> $drops1"; FAILS+=("$name-drops"); }
}
# wdrops: the workers' drop counters that are not 0, as one word
wdrops() {
	it_tel /sluice/workers | /usr/bin/python3 -c '
import json, sys
from fault_tool import WORKER_DROPS
w = json.load(sys.stdin)
print(",".join(f"{k}={sum(int(v.get(k, 0)) for v in w.values())}" for k in WORKER_DROPS
               if sum(int(v.get(k, 0)) for v in w.values())) or "none")'
}
export PYTHONPATH=$HERE

echo "jumbo frames: $N x $SIZE bytes per case"
run_case plain "$T/frames" "priority=5,in_port=1,actions=CONTROLLER:65535"
run_case flood "$T/frames.x2" "priority=5,in_port=1,actions=FLOOD"
run_case all "$T/frames.x2" "group:group_id=1,type=all,bucket=output:2,bucket=output:3" \
	"priority=5,in_port=1,actions=group:1"
run_case select "$T/frames" "group:group_id=2,type=select,bucket=output:2,bucket=output:3" \
	"priority=5,in_port=1,actions=group:2"
$OF dump-group-stats $SW > "$T/gstats" 2>&1 || true
# Header writes keep the chain: the executor pulls the headers up into a
# fresh first segment where needed (exec_pullups), never the whole frame.
run_case setf "$T/frames.setf" "priority=5,in_port=1,actions=set_field:02:aa:bb:cc:dd:ee->eth_dst,output:2"
run_case vlan "$T/frames" "priority=5,in_port=1,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:2" \
	"priority=20,in_port=2,dl_vlan=100,actions=pop_vlan,CONTROLLER:65535"
run_case mpls "$T/frames" "priority=5,in_port=1,actions=push_mpls:0x8847,set_field:77->mpls_label,output:2" \
	"priority=20,in_port=2,dl_type=0x8847,mpls_label=77,actions=pop_mpls:0x0800,CONTROLLER:65535"
run_case ip "$T/frames.ip" "priority=5,in_port=1,ip,actions=set_field:10.9.8.7->ip_dst,dec_ttl,output:2"
grep -A3 'group_id=2' "$T/gstats" | head -4 || true
buckets=$(grep -o 'bucket[0-9]*:packet_count=[0-9]*' "$T/gstats" | awk -F= '{ s += $2 } END { print s + 0 }')
echo "  select group: buckets counted $buckets of $N"
[ "$buckets" = "$N" ] || FAILS+=("select-buckets")
echo "quit" >&8
it_stop_sluiced_in 10
[ ${#FAILS[@]} = 0 ] || it_fail "jumbo frames: ${FAILS[*]}"
echo "ok: 9000-byte chained frames intact through flood, groups, set-field, push/pop, packet-in and packet-out"
