#!/bin/bash
# vhost-user ports follow their guest's memory, on two NUMA nodes for real:
# sluiced runs inside a QEMU 10 guest (TCG) with two NUMA nodes (node 0:
# CPU 0 and half the memory, node 1: CPU 1 and the other half;
# run-nic-guest.sh with SL_VM_NUMA=1) and 2 MiB hugepages on both, with
# workers on lcore 1 (CPU 0, socket 0) and lcore 2 (CPU 1, socket 1) and two
# vhost-user ports vm1 and vm2 in server mode. dpdk-testpmd in the same
# guest stands in for a VM: its two virtio_user ports, memory and lcores on
# one node only, send one burst each (--tx-first) and then only receive.
# Checked:
#   1. guest on node 1: sluiced logs "guest memory on NUMA node 1: rx mbufs
#      from socket 1" for both ports, and their rx queues move to the worker
#      of socket 1 (lcore 2; the log line and sluicectl show);
#   2. every frame through the rules in_port=1 -> 2, 2 -> 1, exactly: 32
#      each way in sluiced's port counters and testpmd's;
#   3. testpmd again with its memory on node 0: the ports' pools and rx
#      queues move back to socket 0 (lcore 1), counts exact again.
# The guest's userland is this host's root over 9p (the NIC guest,
# build-nic-guest.sh; its igb NICs idle here).
# usage: test_numa_vhost.sh SLUICED
set -euo pipefail
SLUICED=$(readlink -f "${1:?path to sluiced}")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/nic_lib.sh"
nic_init nmnuma "${NUMA_UDP_BASE:-17550}"
command -v dpdk-testpmd > /dev/null || { echo "SKIP: dpdk-testpmd missing"; exit 77; }
CTL="$(dirname "$SLUICED")/../sluicectl/sluicectl -s /run/sl/ctl"
BURST=32

SL_VM_NUMA=1 SL_VM_MEM=1536 SL_VM_HUGEPAGES=0 nic_boot
[ "$(g 'ls /sys/devices/system/node | grep -c "^node[0-9]"')" = 2 ] ||
	fail "the guest does not have two NUMA nodes"
# 200 2 MiB pages on each node; DPDK reads an lcore's socket from the node
# its CPU is in
g "ls -d /sys/devices/system/node/node1/cpu1" > /dev/null || fail "CPU 1 is not on node 1"
for n in 0 1; do
	hp=/sys/devices/system/node/node$n/hugepages/hugepages-2048kB/nr_hugepages
	got=$(g "echo 200 > $hp; cat $hp")
	echo "node $n: $got hugepages"
	[ "$got" = 200 ] || fail "node $n has $got hugepages, not 200"
done

# ---- sluiced: workers on both sockets, two vhost-user ports in server mode ----
cat > "$T/numa.ini" << INI
[switch]
main_lcore = 0
workers = 1,2
mbufs_per_socket = 2048
rxq_rebalance = manual
mgmt_socket = /run/sl/ctl
[dpdk]
eal_args = --lcores=0@0,1@0,2@1 --in-memory --no-pci --file-prefix=nmsl --log-level=lib.eal:warning
[openflow]
listen = ptcp:6653
fail_mode = secure
[port:vm1]
type = vhost-user
path = /run/sl/vm1.sock
mode = server
ofport = 1
[port:vm2]
type = vhost-user
path = /run/sl/vm2.sock
mode = server
ofport = 2
INI
g "mkdir -p /run/sl && cd /run/sl && (setsid $SLUICED -c $T/numa.ini > sluiced.log 2>&1 & echo \$! > sluiced.pid)"
nic_wait_sluiced "two vhost-user ports"
g "grep -E 'rxq port|worker' /run/sl/sluiced.log" || true
g "$OF add-flow $SW in_port=1,actions=output:2 && $OF add-flow $SW in_port=2,actions=output:1"

# port_lcores PORT: the lcores polling PORT's rx queues (sluicectl show)
port_lcores() {
	g "$CTL --json show" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(p["workers"] for p in d["ports"] if p["port"] == sys.argv[1]))' "$1"
}
# guest_on NODE ROUND: testpmd with its lcores and memory on NODE sends a
# burst on each port; sluiced must move both ports to socket NODE's worker
# (lcore NODE + 1) and forward every frame; testpmd's own counts at its exit.
guest_on() {
	local node=$1 round=$2 mem want_lc=$(($1 + 1)) c
	mem=$([ "$node" = 1 ] && echo 0,64 || echo 64,0)
	g "cd /run/sl && (setsid dpdk-testpmd --lcores=0@$node,1@$node --main-lcore 0 --in-memory --single-file-segments --no-pci --file-prefix=nmtp$round --socket-mem=$mem --log-level=lib.eal:warning --vdev=net_virtio_user0,path=/run/sl/vm1.sock,queues=1 --vdev=net_virtio_user1,path=/run/sl/vm2.sock,queues=1 -- --forward-mode=rxonly --tx-first --burst=$BURST --total-num-mbufs=2048 --stats-period=1 > tp$round.log 2>&1 & echo \$! > tp.pid)"
	for p in vm1 vm2; do
		settle "$p: the log says its guest is on node $node" 1 \
			g "grep -c 'port $p: guest memory on NUMA node $node: rx mbufs from socket $node' /run/sl/sluiced.log"
	done
	c=$((BURST * round))
	settle "exact counts, round $round (guest on node $node)" "$c $c $c $c" nic_counts vm1 vm2
	for p in vm1 vm2; do
		settle "$p's rx queue on lcore $want_lc (socket $node)" "$want_lc" port_lcores $p
	done
	g "grep -E 'guest memory on' /run/sl/sluiced.log"
	g "$CTL show"
	g "kill -INT \$(cat /run/sl/tp.pid); for i in \$(seq 60); do kill -0 \$(cat /run/sl/tp.pid) 2> /dev/null || exit 0; sleep 1; done; exit 1" ||
		fail "testpmd did not stop on SIGINT"
	g "grep 'mbuf pool' /run/sl/tp$round.log; grep -E 'RX-packets|TX-packets' /run/sl/tp$round.log | tail -6" |
		tee "$T/tp$round.txt"
	grep -q "mbuf pool.*socket=$node" "$T/tp$round.txt" ||
		fail "testpmd's mbufs are not on socket $node (round $round)"
	# its last statistics: port 0, port 1, both ports
	[ "$(awk '/RX-packets:/ { printf "%s%s", n++ ? " " : "", $2 }' "$T/tp$round.txt")" = \
		"$BURST $BURST $((2 * BURST))" ] ||
		fail "testpmd did not receive $BURST frames on each port (round $round)"
	settle "links down after testpmd left (round $round)" 0 \
		g "$OF dump-ports-desc $SW | grep -c 'state:.*LIVE' || true"
}

guest_on 1 1
guest_on 0 2

nic_stop_sluiced
echo "PASS: a vhost-user port's pool and rx queues follow its guest's memory to node 1 and back to node 0, every frame counted"
