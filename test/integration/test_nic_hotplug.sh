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
. "$HERE/nic_lib.sh"
nic_init hpnic "${NIC_UDP_BASE:-17800}"
CTL=$(dirname "$SLUICED")/../sluicectl/sluicectl

# frames port nl (ofport 3) sent
nl_tx() {
	g "$OF dump-ports $SW 3" | awk 'match($0, /tx pkts=[0-9]+/) { print substr($0, RSTART + 8, RLENGTH - 8) }'
}

nic_boot

nic_vf 1 "spoofchk off"
echo "PF1 $PF1 (pf), VF $VF (vf)"

nic_ini "$T/nic.ini" hotplug
printf '[port:nl]\ntype = dpdk\ndevargs = net_null_hp0,no-rx=1\nofport = 3\n' >> "$T/nic.ini"
nic_start_sluiced "$T/nic.ini" "the PF, the VF and net_null"
g "$OF add-flow $SW in_port=1,actions=output:2 && $OF add-flow $SW in_port=2,actions=output:1,output:3"
nic_capture

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

nic_stop_sluiced
echo "PASS: a PF removed under sluiced is let go (LINK_DOWN, other ports forward), and back after a rescan and bind it forwards again by itself (LIVE)"
