#!/bin/bash
# A NIC removed under a running sluiced and given back (issue 21): in the
# QEMU 10 guest of test_nic_vf.sh (TCG, q35, intel-iommu, two emulated Intel
# 82576, scripts/vm/), sluiced has three ports:
#   pf  (ofport 1): NIC 1's PF on vfio-pci (net_e1000_igb), wire 1;
#   vf  (ofport 2): VF 0 of NIC 2 on vfio-pci (net_e1000_igb_vf), wire 2;
#   nl  (ofport 3): a net_null port (no-rx=1): what it is given, its device
#                   counts as sent (the guest has no veth or tun module).
# Rules: in_port=1 -> 2; in_port=2 -> 1 and 3. Checked:
#   1. wire 2 -> vf -> pf -> wire 1 and -> nl, every frame;
#   2. `echo 1 > /sys/bus/pci/devices/PF/remove`: vfio-pci asks its user to
#      let the device go (DPDK's RTE_DEV_EVENT_REMOVE), sluiced does, so the
#      removal finishes; the controller gets PORT_STATUS MODIFY pf LINK_DOWN,
#      and vf -> nl keeps forwarding every frame meanwhile;
#   3. `echo 1 > /sys/bus/pci/rescan` (the kernel's igb takes the NIC back)
#      and scripts/host/bind-nic.sh: pf comes back by itself, same ofport
#      and rules (PORT_STATUS MODIFY pf LIVE), and forwards both ways again;
#   4. sluicectl show says what happened on the way (removed, then up).
# usage: test_nic_hotplug.sh SLUICED
set -euo pipefail
SLUICED=$(readlink -f "${1:?path to sluiced}")
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/lib.sh"
VM=$REPO/scripts/vm
GUEST=${SLUICE_NIC_GUEST:-/var/cache/sluice-vm/nicguest}
BASE=${NIC_UDP_BASE:-17800} # wires: UDP BASE .. BASE+3 on 127.0.0.1
VF_MAC=02:00:00:00:0f:01
QPID=
BG=()

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x /opt/qemu10/usr/bin/qemu-system-x86_64 ] ||
	{ echo "SKIP: no QEMU 10 in /opt/qemu10 (scripts/setup.sh runs scripts/vm/install-qemu10.sh)"; exit 77; }
command -v ovs-ofctl > /dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }
T=$(mktemp -d /tmp/hpnic.XXXXXX)
cleanup() {
	for p in "${BG[@]}"; do kill "$p" 2> /dev/null || true; done
	if [ "${NIC_KEEP:-0}" = 1 ] && [ -n "$QPID" ]; then
		echo "kept $T (and the guest, QEMU pid $QPID)"
		return
	fi
	[ -n "$QPID" ] && kill "$QPID" 2> /dev/null || true
	wait 2> /dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
fail() {
	echo "--- guest console (tail)"; tail -20 "$T/console" 2> /dev/null || true
	echo "--- port status seen by the controller"; g 'cat /run/sl/ps.txt' 2> /dev/null || true
	echo "--- sluiced log in the guest (tail)"
	g 'tail -60 /run/sl/sluiced.log' > "$T/log" 2> /dev/null || true
	it_fail "$*" # prints $T/log
}
g() { /usr/bin/python3 "$VM/guest.py" run "$T/ctl" --timeout "${GT:-180}" -- "$*"; }
wire() { /usr/bin/python3 "$VM/nic_wire.py" "$@"; }
W1_IN=$BASE W1_OUT=$((BASE + 1)) W2_IN=$((BASE + 2)) W2_OUT=$((BASE + 3))
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:6653
CTL=$(dirname "$SLUICED")/../sluicectl/sluicectl

# settle WHAT EXPECT COMMAND...: wait (up to 90 s) until COMMAND prints EXPECT
settle() {
	local what=$1 want=$2 got=""
	shift 2
	for _ in $(seq 180); do
		got=$("$@")
		[ "$got" = "$want" ] && return 0
		sleep 0.5
	done
	fail "$what: got \"$got\", expected \"$want\""
}
# frames port nl (ofport 3) sent
nl_tx() {
	g "$OF dump-ports $SW 3" | awk 'match($0, /tx pkts=[0-9]+/) { print substr($0, RSTART + 8, RLENGTH - 8) }'
}
# port status lines about pf with state S (0x1 LINK_DOWN, 0x4 LIVE)
ps_count() { g "grep -c 'MODIFY 1 pf .*state=$1\$' /run/sl/ps.txt || true"; }

bash "$VM/build-nic-guest.sh" "$GUEST"
"$VM/run-nic-guest.sh" "$GUEST" "$T" "$BASE" > "$T/qemu.log" 2>&1 &
QPID=$!
/usr/bin/python3 "$VM/guest.py" ready "$T/console" --timeout 300 || {
	cat "$T/qemu.log"; fail "the NIC guest did not boot"; }
echo "guest up"

PFS=$(g 'grep -l 0x10c9 /sys/bus/pci/devices/*/device | xargs -n1 dirname | xargs -n1 basename | sort')
set -- $PFS
[ $# = 2 ] || fail "expected two 82576 PFs in the guest, found: $PFS"
PF1=$1 PF2=$2
PF2_IF=$(g "ls /sys/bus/pci/devices/$PF2/net")
g "cd $REPO && bash scripts/host/make-vfs.sh $PF2 1" || fail "make-vfs.sh failed"
VF=$(g "basename \$(readlink /sys/bus/pci/devices/$PF2/virtfn0)")
g "ip link set $PF2_IF up && ip link set $PF2_IF vf 0 mac $VF_MAC spoofchk off" ||
	fail "the PF driver refused the VF's MAC"
g "cd $REPO && bash scripts/host/bind-nic.sh $VF && bash scripts/host/bind-nic.sh $PF1" ||
	fail "bind-nic.sh failed"
g "ip link set $PF2_IF up; for i in \$(seq 60); do grep -q up /sys/class/net/$PF2_IF/operstate && exit 0; sleep 0.5; done; exit 1" ||
	fail "$PF2_IF (PF2) does not come up"
echo "PF1 $PF1 (pf), VF $VF (vf)"

cat > "$T/nic.ini" << INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --in-memory --file-prefix=hotplug --log-level=lib.eal:warning ${NIC_EAL_ARGS:-}
[openflow]
listen = ptcp:6653
controllers = tcp:127.0.0.1:6633
fail_mode = secure
[port:pf]
type = dpdk
devargs = $PF1
ofport = 1
[port:vf]
type = dpdk
devargs = $VF
ofport = 2
[port:nl]
type = dpdk
devargs = net_null_hp0,no-rx=1
ofport = 3
INI
g "mkdir -p /run/sl && cd /run/sl && (setsid python3 $HERE/portstatus_ctl.py 6633 /run/sl/ps.txt 900 > ctl.log 2>&1 &) && (setsid $SLUICED -c $T/nic.ini > sluiced.log 2>&1 & echo \$! > sluiced.pid)"
g "for i in \$(seq 240); do grep -q connected /run/sl/ps.txt 2> /dev/null && $OF show $SW > /dev/null 2>&1 && exit 0; sleep 1; done; exit 1" ||
	fail "sluiced did not start with the PF, the VF and net_null"
g "$OF add-flow $SW in_port=1,actions=output:2 && $OF add-flow $SW in_port=2,actions=output:1,output:3"
/usr/bin/python3 "$VM/nic_wire.py" capture "$W1_OUT" "$T/w1.txt" 900 & BG+=($!)
/usr/bin/python3 "$VM/nic_wire.py" capture "$W2_OUT" "$T/w2.txt" 900 & BG+=($!)
sleep 1

# ---- 1. before: wire 2 -> vf -> pf -> wire 1, and -> nl -----------------------
N=100
nl0=$(nl_tx)
wire send "$W2_IN" $N $VF_MAC 02:00:00:00:00:b1 A
settle "wire 2 -> vf -> pf -> wire 1" $N wire count "$T/w1.txt" A
settle "vf -> nl" $((nl0 + N)) nl_tx

# ---- 2. the PF removed under sluiced ------------------------------------------
down0=$(ps_count 0x1) live0=$(ps_count 0x4) # the links' first moves, if any
t0=$(date +%s)
# in the background: it returns only once sluiced has let the device go
g "(echo 1 > /sys/bus/pci/devices/$PF1/remove &)"
settle "PORT_STATUS pf LINK_DOWN" $((down0 + 1)) ps_count 0x1
settle "the kernel finished removing $PF1" gone \
	g "[ -e /sys/bus/pci/devices/$PF1 ] && echo there || echo gone"
echo "pf removed and let go in $(($(date +%s) - t0)) s"
g "$CTL show" | tee "$T/show1.txt"
grep -q removed "$T/show1.txt" || fail "sluicectl show does not say pf is removed"
nl0=$(nl_tx)
wire send "$W2_IN" $N $VF_MAC 02:00:00:00:00:b1 B
settle "vf -> nl while pf is gone" $((nl0 + N)) nl_tx
[ "$(wire count "$T/w1.txt" B)" = 0 ] || fail "frames B reached wire 1 with pf removed"

# ---- 3. the PF back: rescan, bind, the port returns by itself -----------------
t0=$(date +%s)
g "echo 1 > /sys/bus/pci/rescan; for i in \$(seq 60); do [ -e /sys/bus/pci/devices/$PF1 ] && exit 0; sleep 0.5; done; exit 1" ||
	fail "$PF1 did not come back on a rescan"
g "cd $REPO && bash scripts/host/bind-nic.sh $PF1" || fail "bind-nic.sh $PF1 failed after the rescan"
t1=$(date +%s)
settle "PORT_STATUS pf LIVE" $((live0 + 1)) ps_count 0x4
echo "pf back and up $(($(date +%s) - t0)) s after the rescan, $(($(date +%s) - t1)) s after bind-nic.sh"
wire send "$W2_IN" $N $VF_MAC 02:00:00:00:00:b1 C
settle "wire 2 -> vf -> pf -> wire 1 after the return" $N wire count "$T/w1.txt" C
wire send "$W1_IN" $N 02:00:00:00:00:b1 02:00:00:00:00:a1 D
settle "wire 1 -> pf -> vf -> wire 2 after the return" $N wire count "$T/w2.txt" D
g "$OF dump-ports-desc $SW" | grep -A6 ' 1(pf)' | grep -q 'state:.*LIVE' ||
	fail "pf is not LIVE in port desc"
g "$CTL show" | tee "$T/show2.txt"
g "grep -E 'port pf|device event' /run/sl/sluiced.log" || true
g "cat /run/sl/ps.txt"

g "kill -TERM \$(cat /run/sl/sluiced.pid); for i in \$(seq 60); do kill -0 \$(cat /run/sl/sluiced.pid) 2> /dev/null || exit 0; sleep 1; done; exit 1" ||
	fail "sluiced did not stop on SIGTERM"
if g "grep -E -q 'runtime error:|AddressSanitizer|LeakSanitizer' /run/sl/sluiced.log"; then
	fail "sanitizer report in sluiced's log"
fi
echo "PASS: a PF removed under sluiced is let go (LINK_DOWN, other ports forward), and back after a rescan and bind it forwards again by itself (LIVE)"
