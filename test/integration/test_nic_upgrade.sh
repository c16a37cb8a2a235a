#!/bin/bash
# A hand-over upgrade with NIC ports (issue 24): in the QEMU 10 NIC guest of
# test_nic_vf.sh (TCG, q35, intel-iommu, two emulated Intel 82576, scripts/vm/),
# sluiced has NIC 1's PF (port pf, ofport 1, net_e1000_igb) and VF 0 of NIC 2
# (port vf, ofport 2, net_e1000_igb_vf), both on vfio-pci, and two rules
# between them. Frames flow both ways at a steady rate on the wires
# (nic_wire.py send --rate: wire 1 -> pf -> vf -> wire 2 and back) while
# `sluicectl upgrade` (the same binary) runs in the guest. Checked:
#   1. the upgrade succeeds and the old sluiced exits 0;
#   2. forwarding resumes both ways: frames sent after the upgrade arrive;
#   3. the frames lost (the ports' gap: the PMD's stop and close in the old
#      process, probe, queue set-up and start in the new, the link) are
#      reported, and each direction's longest gap is no longer than the two
#      ports' hand-overs that the old process logs, plus 1 s, and all other
#      loss is under a second's frames (the loss is the hand-over's, not a
#      later or steady one);
#   4. the rules were not reinstalled: their packet counters go on (no fewer
#      than before plus what arrived since, no more than was sent), their
#      durations go on, and the new sluiced got no flow-mod.
# Timing numbers are TCG's (docs/vm-test.md): the test prints them.
# usage: test_nic_upgrade.sh SLUICED
set -euo pipefail
SLUICED=$(readlink -f "${1:?path to sluiced}")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/nic_lib.sh"
RATE=${NIC_UPGRADE_RATE:-100} # frames a second, each way
nic_init nuup "${NIC_UDP_BASE:-17850}"
CTL=$(dirname "$SLUICED")/../sluicectl/sluicectl
CTL=$(readlink -f "$CTL")
MG=/run/sl/sl.ctl

# flow COOKIE FIELD: a field of the rule with that cookie (n_packets, duration)
flow() {
	g "$OF dump-flows $SW cookie=$1/-1" | sed -nE "s/.* $2=([0-9.]+)s?,.*/\1/p"
}

nic_boot
nic_vf 2 "vlan 10 spoofchk off"

# sluiced with the PF and the VF, a management socket (sluicectl upgrade),
# started by a shell in the guest that keeps its exit status (sluiced.rc)
nic_ini "$T/nic.ini" nuup
sed -i "/^\[switch\]/a mgmt_socket = $MG" "$T/nic.ini"
g "mkdir -p /run/sl && cd /run/sl && (setsid python3 $HERE/portstatus_ctl.py 6633 /run/sl/ps.txt 900 > ctl.log 2>&1 &) && (setsid sh -c '$SLUICED -c $T/nic.ini > sluiced.log 2>&1 & echo \$! > sluiced.pid; wait \$!; echo \$? > sluiced.rc' > /dev/null 2>&1 &)"
nic_wait_sluiced "the PF and the VF" ctl
OLD=$(g "cat /run/sl/sluiced.pid")
g "$OF add-flow $SW cookie=0x11,in_port=1,actions=output:2 && $OF add-flow $SW cookie=0x22,in_port=2,actions=output:1"

nic_capture
# before: both ways forward
wire send "$W1_IN" 20 02:00:00:00:00:b1 02:00:00:00:00:a1 P
wire send "$W2_IN" 20 $VF_MAC 02:00:00:00:00:b1 Q --vlan 10
settle "wire 1 -> pf -> vf -> wire 2 before the upgrade" 20 wire count "$T/w2.txt" P --vlan 10
settle "wire 2 -> vf -> pf -> wire 1 before the upgrade" 20 wire count "$T/w1.txt" Q --untagged
A0=$(flow 0x11 n_packets) B0=$(flow 0x22 n_packets) D0=$(flow 0x11 duration) T0=$SECONDS
echo "rules before: pf->vf $A0, vf->pf $B0 frames, duration $D0 s"

# steady traffic both ways; the senders stop when $T/stop exists (10 min at
# most); python itself in the background, not the function: cleanup kills it
/usr/bin/python3 "$VM/nic_wire.py" send "$W1_IN" $((RATE * 600)) 02:00:00:00:00:b1 \
	02:00:00:00:00:a1 A --rate "$RATE" --until "$T/stop" > "$T/sentA" & SA=$! BG+=($!)
/usr/bin/python3 "$VM/nic_wire.py" send "$W2_IN" $((RATE * 600)) $VF_MAC \
	02:00:00:00:00:b1 B --vlan 10 --rate "$RATE" --until "$T/stop" > "$T/sentB" & SB=$! BG+=($!)
sleep 8 # the senders are up (python starts slowly here) and frames flow
[ "$(wire count "$T/w2.txt" A --vlan 10)" -gt 0 ] || fail "no steady traffic before the upgrade"

# ---- the upgrade ---------------------------------------------------------------
U0=$(date +%s%N)
GT=400 g "$CTL -s $MG upgrade > /run/sl/up.log 2>&1; echo rc \$?" > "$T/up.rc" || true
U1=$(date +%s%N)
UP_MS=$(((U1 - U0) / 1000000))
g "cat /run/sl/up.log" | tee "$T/up.log" | grep -E "^upgraded|upgrade" | head -20 || true
grep -q "^rc 0" "$T/up.rc" || fail "sluicectl upgrade failed: $(cat "$T/up.rc")"
echo "sluicectl upgrade took $UP_MS ms (in the guest, host clock)"
# the old process's steps per port; HO_MS: the ports' hand-overs, summed
g "grep -E 'upgrade: port' /run/sl/sluiced.log" | tee "$T/steps.txt" || true
HO_MS=$(sed -nE 's/.* handed over in ([0-9]+) ms.*/\1/p' "$T/steps.txt" | awk '{ s += $1 } END { print s + 0 }')
[ "$(grep -c 'handed over in' "$T/steps.txt")" = 2 ] || fail "the old sluiced did not log two ports handed over"

# 1. the old process exited 0
settle "the old sluiced's exit status" 0 g "cat /run/sl/sluiced.rc 2> /dev/null || true"
NEW=$(sed -nE 's/^upgraded: pid [0-9]+ -> pid ([0-9]+).*/\1/p' "$T/up.log")
[ -n "$NEW" ] && [ "$NEW" != "$OLD" ] || fail "no new pid in sluicectl's output"

# 2. forwarding resumes: traffic for a while after, then stop the senders
sleep 10
touch "$T/stop"
wait "$SA" "$SB" || fail "a sender failed"
sleep 3
SENT_A=$(cat "$T/sentA") SENT_B=$(cat "$T/sentB")
read -r RA NA MA LA <<< "$(wire gaps "$T/w2.txt" A)"
read -r RB NB MB LB <<< "$(wire gaps "$T/w1.txt" B)"
echo "pf -> vf: sent $SENT_A, received $RA, lost $MA (of the first $NA), longest gap $LA frames = $((LA * 1000 / RATE)) ms"
echo "vf -> pf: sent $SENT_B, received $RB, lost $MB (of the first $NB), longest gap $LB frames = $((LB * 1000 / RATE)) ms"
# frames sent 10 s after the upgrade arrive (the last index seen is close to
# the last one sent: 2 s of slack at the end)
[ "$NA" -ge $((SENT_A - 2 * RATE)) ] || fail "pf -> vf does not forward after the upgrade"
[ "$NB" -ge $((SENT_B - 2 * RATE)) ] || fail "vf -> pf does not forward after the upgrade"
# 3. the loss is the hand-over's: one gap, no longer than the two ports'
# hand-overs (from the first one leaving the old workers to the last one
# started in the new process) + 1 s
MAXGAP=$(((HO_MS + 1000) * RATE / 1000))
[ "$LA" -le "$MAXGAP" ] && [ "$LB" -le "$MAXGAP" ] ||
	fail "a gap longer than the ports' hand-overs ($LA, $LB frames; at most $MAXGAP: $HO_MS ms + 1 s)"
[ "$MA" -le $((LA + RATE)) ] && [ "$MB" -le $((LB + RATE)) ] ||
	fail "frames lost outside the hand-over's gap ($MA, $MB lost; gaps $LA, $LB)"

# 4. the rules go on: counters and durations
A1=$(flow 0x11 n_packets) B1=$(flow 0x22 n_packets) D1=$(flow 0x11 duration)
echo "rules after: pf->vf $A1, vf->pf $B1 frames, duration $D1 s"
[ "$A1" -ge $((A0 + RA)) ] && [ "$A1" -le $((A0 + SENT_A)) ] ||
	fail "rule pf->vf: $A1 frames, expected $A0 + between $RA and $SENT_A"
[ "$B1" -ge $((B0 + RB)) ] && [ "$B1" -le $((B0 + SENT_B)) ] ||
	fail "rule vf->pf: $B1 frames, expected $B0 + between $RB and $SENT_B"
awk -v d="$D1" -v w="$D0" -v dt=$((SECONDS - T0 - 2)) 'BEGIN { exit !(d >= w + dt) }' ||
	fail "rule duration $D1 s, was $D0 s $((SECONDS - T0)) s ago: reinstalled?"

nic_stop_sluiced "$NEW" /run/sl/sluiced.log /run/sl/up.log
g "grep -q 'agent: flow_mods 0 ' /run/sl/up.log" || fail "the new sluiced got flow-mods: rules reinstalled?"
echo "PASS: hand-over upgrade with a PF and a VF: lost $MA + $MB frames at $RATE/s each way (longest gaps $((LA * 1000 / RATE)), $((LB * 1000 / RATE)) ms; ports' hand-overs $HO_MS ms, sluicectl upgrade $UP_MS ms), rules and counters continued, old sluiced exited 0"
