#!/bin/bash
# Issue 25, defect 1: a frame sent right after (delete every flow, group
# and meter; add one rule; barrier reply) must come out where the rule
# sends it, every time. barrier_rounds.py runs thousands of such rounds
# over kinds of rules and frames (IPv6, IPv6 multicast and extension
# headers, ICMPv6, VLAN PCP, TCP ports, broadcast, pop_vlan, pop_mpls with
# IPv4/IPv6/MPLS inside, pop_pbb also S-tagged as test tools send it), one
# frame per round; a quarter of the rounds send
# the kind's frames to the controller (a packet-in with the frame is
# expected) and one in twenty drop them, so that cached decisions flip from
# round to round. Any frame lost, late, changed, duplicated or sent
# elsewhere fails, and a lost one is explained from sluiced's telemetry
# and the kernel's counters (did port a receive it? which counter moved?).
# On af_packet ports every frame is also counted at both ends: sluiced's
# ports received exactly what their veth peers sent, and each round the
# host sends a copy of the frame out of the switch's own end of port a's
# veth (as the kernel's IPv6 DAD/MLD do), which must not enter the switch.
#   1. 2000 rounds, af_packet ports a(1) -> b(2), c(3) watched; the driver
#      is a primary controller (fail mode secure), misses go to the miss
#      handler.
#   2. 1000 rounds, the same with the driver on the ptcp listener (a
#      service connection: fail mode standalone runs NORMAL for table
#      misses) and inline miss handling.
#   3. 2000 rounds, vhost-user ports vm1(1) -> vm2(2): dpdk-testpmd is the guest side
#      (virtio_user), io-forwarding frames between each virtio port and an
#      af_packet port on a veth that the driver sends into and reads
#      (skipped without dpdk-testpmd).
# BR_ROUNDS=N sets the rounds of every phase, BR_PHASES="1 3" picks
# phases, BR_SEED the random order, BR_ARGS adds driver options (--gap,
# --delay: barrier_rounds.py's help).
# usage: test_barrier_rounds.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/h2-br.XXXXXX)
# rounds per phase: BR_ROUNDS, else 2000, 1000 and 2000 (about 2.5 minutes
# on an idle 2-vCPU VM; 3 to 4 times that on a loaded one)
rounds() { echo "${BR_ROUNDS:-$1}"; }
PHASES=${BR_PHASES:-1 2 3}
SEED=${BR_SEED:-1}
OFPORT=${BR_OF_PORT:-16620}
CTLPORT=${BR_CTL_PORT:-16621}
# run ... --wait 5: a frame may take 5 s on a loaded VM (only a lost one waits)
DRV="/usr/bin/python3 $HERE/barrier_rounds.py"
PID=
TP_PID=
VETHS="h2bra h2brb h2brc h2brv h2brw"
cleanup() {
	[ -n "$TP_PID" ] && kill -KILL "$TP_PID" 2>/dev/null || true
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	exec 9>&- 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths $VETHS
	rm -rf /var/run/dpdk/h2br-*-$$
	rm -f /dev/hugepages/h2br-*-$$*
	if [ "${BR_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap '' PIPE

# afp_phase NAME MISS_HANDLING CONTROLLER(yes|no)
afp_phase() {
	local name=$1 miss=$2 ctl=$3 ROUNDS=$4 of
	FLT_PREFIX=h2br-$name-$$
	it_veths $VETHS
	if [ "$ctl" = yes ]; then
		it_flt_ini "$T/$name.ini" "$OFPORT" \
			"controllers = tcp:127.0.0.1:$CTLPORT
fail_mode = secure" "miss_handling = $miss
mgmt_socket = $T/ctl"
		of=listen:$CTLPORT
	else
		it_flt_ini "$T/$name.ini" "$OFPORT" "" "miss_handling = $miss
mgmt_socket = $T/ctl"
		of=127.0.0.1:$OFPORT
	fi
	it_afp_port "$T/$name.ini" a h2bra0 1
	it_afp_port "$T/$name.ini" b h2brb0 2
	it_afp_port "$T/$name.ini" c h2brc0 3
	it_start_sluiced "$SLUICED" "$T/$name.ini"
	echo "phase $name: $ROUNDS rounds over af_packet, miss_handling $miss, controller $ctl"
	$DRV run "$of" h2bra1 h2brb1 "$ROUNDS" --wait 5 --watch h2brc1 \
		--prefix "$FLT_PREFIX" --in-port a --ports a=h2bra1,b=h2brb1,c=h2brc1 \
		--host-out h2bra0 --kif h2bra0,h2brb0,h2brc0 --ctl 0.25 --drop 0.05 \
		--seed "$SEED" --json "$T/$name.json" ${BR_ARGS:-} ||
		it_fail "phase $name: frames lost or misrouted"
	it_stop_sluiced_in 10
	it_del_veths $VETHS
}

# vhost_phase: sluiced's vhost-user ports vm1 (1) and vm2 (2) in client mode;
# testpmd serves both (virtio_user, server=1) and io-forwards each to an
# af_packet port: veth h2brv <-> vm1 (its ports 0, 1), vm2 <-> veth h2brw
# (ports 2, 3). The driver sends into h2brv1 and reads h2brw1.
vhost_phase() {
	local tp ROUNDS
	ROUNDS=$(rounds 2000)
	tp=$(command -v dpdk-testpmd || true)
	[ -n "$tp" ] || { echo "phase vhost: SKIP (dpdk-testpmd not installed)"; return 0; }
	[ "$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)" -ge 400 ] ||
		{ echo "phase vhost: SKIP (needs 400 free 2 MiB hugepages)"; return 0; }
	FLT_PREFIX=h2br-vh-$$
	it_veths $VETHS
	rm -f "$T/tp.fifo"
	mkfifo "$T/tp.fifo"
	stdbuf -oL "$tp" -l 0,1 --main-lcore 1 --no-pci --single-file-segments \
		--file-prefix="h2br-tp-$$" -m 256 \
		--vdev=net_af_packet0,iface=h2brv0 \
		"--vdev=net_virtio_user0,path=$T/vm1.sock,server=1,queues=1,queue_size=1024" \
		"--vdev=net_virtio_user1,path=$T/vm2.sock,server=1,queues=1,queue_size=1024" \
		--vdev=net_af_packet1,iface=h2brw0 -- \
		-i --forward-mode=io --port-topology=paired --total-num-mbufs=8192 \
		< "$T/tp.fifo" > "$T/tp.log" 2>&1 &
	TP_PID=$!
	exec 9> "$T/tp.fifo"
	cat > "$T/vh.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $T/ctl
[dpdk]
eal_args = --no-pci --file-prefix=$FLT_PREFIX -m 256 --log-level=lib.eal:warning
[openflow]
listen = ptcp:$OFPORT
controllers = tcp:127.0.0.1:$CTLPORT
fail_mode = secure
[port:vm1]
type = vhost-user
path = $T/vm1.sock
mode = client
ofport = 1
[port:vm2]
type = vhost-user
path = $T/vm2.sock
mode = client
ofport = 2
INI
	it_start_sluiced "$SLUICED" "$T/vh.ini"
	for _ in $(seq 300); do
		[ "$(grep -c 'port vm[12]: link up' "$T/log" || true)" = 2 ] && break
		sleep 0.1
	done
	[ "$(grep -c 'port vm[12]: link up' "$T/log" || true)" = 2 ] ||
		{ cat "$T/tp.log"; it_fail "the vhost ports did not come up"; }
	echo "start" >&9
	for _ in $(seq 100); do
		grep -q 'packet forwarding - ports=4' "$T/tp.log" && break
		sleep 0.1
	done
	grep -q 'packet forwarding - ports=4' "$T/tp.log" ||
		{ cat "$T/tp.log"; it_fail "testpmd did not start forwarding on its 4 ports"; }
	echo "phase vhost: $ROUNDS rounds over vhost-user (testpmd io-forwarding the guest side)"
	$DRV run "listen:$CTLPORT" h2brv1 h2brw1 "$ROUNDS" --wait 5 --prefix "$FLT_PREFIX" --in-port vm1 \
		--ctl 0.25 --drop 0.05 --seed "$SEED" --json "$T/vh.json" ${BR_ARGS:-} ||
		{ echo "show port stats all" >&9; sleep 1; cat "$T/tp.log";
		  it_fail "phase vhost: frames lost or misrouted"; }
	it_stop_sluiced_in 10
	echo "quit" >&9
	exec 9>&-
	for _ in $(seq 50); do kill -0 "$TP_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$TP_PID" 2>/dev/null || true
	TP_PID=
	it_del_veths $VETHS
}

for p in $PHASES; do
	case $p in
	1) afp_phase afp-ctl handler yes "$(rounds 2000)" ;;
	2) afp_phase afp-svc inline no "$(rounds 1000)" ;;
	3) vhost_phase ;;
	esac
done
echo "ok: every frame sent after a barrier reply came out by the new rule"
