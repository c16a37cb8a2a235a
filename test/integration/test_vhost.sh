#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vhost-user integration test: the real sluiced between two virtio_user
# ports of dpdk-testpmd (standing in for two VMs), cross-connected.
#
#   test_vhost.sh PATH/TO/sluiced
#
# Phases (each fails the test on any lost or extra packet or byte):
#   1. client mode (the default): testpmd listens (virtio_user server=1),
#      sluiced connects. testpmd sends ROUNDS x BURSTS x 32 64-byte packets
#      per queue from each port ("start tx_first"), forwarding mode rxonly;
#      every packet sent on one port must arrive on the other, and sluiced's
#      port counters (telemetry /sluice/ports) must equal testpmd's.
#   2. sluiced restarts while testpmd stays: forwarding resumes, exact.
#   3. testpmd is killed (SIGKILL) while packets loop through sluiced, then
#      restarted: sluiced survives, reconnects by itself (client mode) and
#      forwards again, exact.
#   4. server mode, more vhost ports than Debian's RTE_MAX_ETHPORTS (32),
#      multiqueue: sluiced creates EXTRA+2 sockets; testpmd connects as a
#      client to the last two with 2 queue pairs each, where sluiced has 2
#      and 1 (that rx queue then polls both guest queues). Traffic and port
#      counters must be exact, and the sockets gone after sluiced exits.
#      A stale socket file is replaced; a second sluiced on the same paths
#      refuses the live sockets and leaves them in place when it exits.
#
# Needs root, hugepages and dpdk-testpmd; exits 77 (skipped) without them.
# Env: SL_VHOST_ROUNDS (default 8), SL_VHOST_BURSTS (8), SL_VHOST_EXTRA (34),
#      SL_VHOST_KEEP=1 keeps the work directory.
set -u

SLUICED=${1:?usage: test_vhost.sh PATH/TO/sluiced}
SLUICED=$(readlink -f "$SLUICED")
ROUNDS=${SL_VHOST_ROUNDS:-8}
BURSTS=${SL_VHOST_BURSTS:-8}
EXTRA=${SL_VHOST_EXTRA:-34}
PER_QUEUE=$((ROUNDS * BURSTS * 32))
TP_QUEUES=1 # queue pairs of testpmd's ports in the current phase
TESTPMD=$(command -v dpdk-testpmd || true)

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (hugepages, vhost sockets)"
[ -x "$SLUICED" ] || { echo "FAIL: $SLUICED is not executable"; exit 1; }
[ -n "$TESTPMD" ] || skip "dpdk-testpmd not installed (package dpdk)"
free_hp=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
[ "${free_hp:-0}" -ge 400 ] || skip "needs 400 free 2 MiB hugepages, has ${free_hp:-0}"

WORK=$(mktemp -d /tmp/sl-vhost-test.XXXXXX)
PREFIX=sl-vhtest-$$
SL_PID=
SL4_PID= # phase 4's first sluiced while a second one runs
TP_PID=
FIFO_FD=

stop_pid() { # pid: SIGTERM, then SIGKILL after 5 s
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

cleanup() {
	[ -n "$FIFO_FD" ] && exec 9>&-
	stop_pid "$TP_PID"
	stop_pid "$SL_PID"
	[ "$SL4_PID" != "$SL_PID" ] && stop_pid "$SL4_PID"
	rm -rf "/var/run/dpdk/$PREFIX-sl" "/var/run/dpdk/$PREFIX-sl2" \
		"/var/run/dpdk/$PREFIX-sl3" "/var/run/dpdk/$PREFIX-tp"
	rm -f /dev/hugepages/"$PREFIX"-*
	if [ "${SL_VHOST_KEEP:-0}" = 1 ]; then
		echo "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# A dead testpmd must fail the test through its checks, not kill this
# script with SIGPIPE (which would skip the cleanup trap).
trap '' PIPE

fail() {
	echo "FAIL: $*"
	for f in "$WORK"/*.log; do
		[ -f "$f" ] || continue
		echo "----- last lines of $f"
		grep -v '^VHOST_CONFIG' "$f" | tail -25
	done
	exit 1
}

# wait_for SECONDS FILE REGEX [COUNT]: until FILE has COUNT lines matching.
wait_for() {
	local t=$(( $1 * 10 )) file=$2 re=$3 want=${4:-1} n
	while [ "$t" -gt 0 ]; do
		n=$(grep -c -E -- "$re" "$file" 2>/dev/null)
		[ "${n:-0}" -ge "$want" ] && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

# start_sluiced CONFIG LOG
start_sluiced() {
	local t=300
	"$SLUICED" -c "$1" > "$2" 2>&1 &
	SL_PID=$!
	until grep -q 'sluiced: forwarding' "$2" 2>/dev/null; do
		kill -0 "$SL_PID" 2>/dev/null || { SL_PID=; fail "sluiced exited ($2)"; }
		t=$((t - 1))
		[ "$t" -gt 0 ] || fail "sluiced did not start forwarding in 30 s ($2)"
		sleep 0.1
	done
}

# stop_sluiced LOG: SIGINT must stop it with status 0.
stop_sluiced() {
	local rc
	kill -INT "$SL_PID"
	wait "$SL_PID"
	rc=$?
	SL_PID=
	[ "$rc" = 0 ] || fail "sluiced exited with status $rc on SIGINT ($1)"
	# UBSan only prints; a sanitizer build must not pass with reports.
	! grep -E -q 'runtime error:|AddressSanitizer|LeakSanitizer' "$1" ||
		fail "sanitizer report in $1"
}

# start_testpmd LOG VDEV_ARGS...: interactive testpmd reading commands
# from a fifo on fd 9. Forwarding lcore 0, main lcore 1 (mostly idle at the
# prompt), while sluiced's worker polls on lcore 1.
start_testpmd() {
	local log=$1
	shift
	rm -f "$WORK/tp.fifo"
	mkfifo "$WORK/tp.fifo"
	stdbuf -oL "$TESTPMD" -l 0,1 --main-lcore 1 --no-pci \
		--single-file-segments --file-prefix="$PREFIX-tp" -m 512 "$@" -- \
		-i --forward-mode=rxonly --total-num-mbufs=16384 \
		--rxq="$TP_QUEUES" --txq="$TP_QUEUES" \
		--rxd=1024 --txd=1024 < "$WORK/tp.fifo" > "$log" 2>&1 &
	TP_PID=$!
	exec 9> "$WORK/tp.fifo"
	FIFO_FD=9
}

tp_cmd() { echo "$*" >&9 2>/dev/null || fail "testpmd is gone (command: $*)"; }

# quit_testpmd LOG: quit and wait; the log then holds all output.
quit_testpmd() {
	tp_cmd quit
	exec 9>&-
	FIFO_FD=
	local i
	for i in $(seq 100); do
		kill -0 "$TP_PID" 2>/dev/null || break
		sleep 0.1
	done
	stop_pid "$TP_PID"
	TP_PID=
}

# run_traffic LOG: clear the counters, ROUNDS x "start tx_first BURSTS"
# on every port and queue, then print the ethdev counters; testpmd stays.
run_traffic() {
	local log=$1 r stops blocks
	wait_for 30 "$log" '^testpmd> ' || fail "testpmd prompt never came ($log)"
	stops=$(grep -c 'Done\.$' "$log")
	blocks=$(grep -c 'NIC statistics for port 1' "$log")
	tp_cmd "clear port stats all"
	for r in $(seq "$ROUNDS"); do
		tp_cmd "start tx_first $BURSTS"
		sleep 0.5
		tp_cmd "stop"
		wait_for 10 "$log" 'Done\.$' $((stops + r)) ||
			fail "testpmd round $r did not stop ($log)"
	done
	# Drain: receive what was still in flight (a slow sluiced on a loaded
	# machine) before the counters are read.
	tp_cmd "start"
	sleep 1
	tp_cmd "stop"
	wait_for 10 "$log" 'Done\.$' $((stops + ROUNDS + 1)) ||
		fail "testpmd drain round did not stop ($log)"
	tp_cmd "show port stats all"
	wait_for 10 "$log" 'NIC statistics for port 1' $((blocks + 1)) ||
		fail "testpmd did not print port statistics ($log)"
	sleep 0.3
}

# port_stat LOG PORT FIELD: last value of FIELD (RX-packets, TX-packets,
# RX-bytes, TX-bytes) in the last "NIC statistics for port PORT" block.
port_stat() {
	awk -v port="$2" -v field="$3:" '
		/NIC statistics for port/ { inblk = ($(NF-1) == port) }
		inblk { for (i = 1; i < NF; i++) if ($i == field) v = $(i+1) }
		END { print (v == "" ? "missing" : v) }' "$1"
}

# check_exact LOG WHAT: every packet and byte sent on one port arrived on
# the other, and exactly PER_QUEUE packets per queue were sent each way.
check_exact() {
	local log=$1 what=$2 a b PER_PORT=$((PER_QUEUE * TP_QUEUES))
	local tx0 tx1 rx0 rx1 tb0 tb1 rb0 rb1
	tx0=$(port_stat "$log" 0 TX-packets); rx0=$(port_stat "$log" 0 RX-packets)
	tx1=$(port_stat "$log" 1 TX-packets); rx1=$(port_stat "$log" 1 RX-packets)
	tb0=$(port_stat "$log" 0 TX-bytes);   rb0=$(port_stat "$log" 0 RX-bytes)
	tb1=$(port_stat "$log" 1 TX-bytes);   rb1=$(port_stat "$log" 1 RX-bytes)
	echo "$what: port0 tx $tx0 rx $rx0, port1 tx $tx1 rx $rx1 (expected $PER_PORT each)"
	for a in "$tx0" "$tx1"; do
		[ "$a" = "$PER_PORT" ] || fail "$what: testpmd sent $a packets on a port, expected $PER_PORT"
	done
	[ "$rx1" = "$tx0" ] || fail "$what: port 1 received $rx1 of $tx0 packets sent on port 0"
	[ "$rx0" = "$tx1" ] || fail "$what: port 0 received $rx0 of $tx1 packets sent on port 1"
	for b in "$tb0:$rb1" "$tb1:$rb0"; do
		[ "${b%%:*}" = "${b##*:}" ] || fail "$what: bytes sent/received differ ($b)"
	done
}

# sluiced_port_stats PREFIX PORT: "rx_packets rx_bytes tx_packets tx_bytes
# tx_dropped" of one sluiced port, read over DPDK telemetry (/sluice/ports).
sluiced_port_stats() {
	/usr/bin/python3 - "/var/run/dpdk/$1/dpdk_telemetry.v2" "$2" <<'EOF' 2>&1
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
json.loads(s.recv(16384))
s.send(b"/sluice/ports")
p = json.loads(s.recv(65536))["/sluice/ports"][sys.argv[2]]
print(*(p.get(k, "missing") for k in
        ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "tx_dropped")))
EOF
}

# check_port_counters LOG PREFIX PORT_A PORT_B: sluiced's counters of the
# ports facing testpmd's port 0 (A) and 1 (B) equal what testpmd counted
# (exact stats), for a sluiced that saw only this traffic.
check_port_counters() {
	local log=$1 prefix=$2 want got tp=0 name
	for name in "$3" "$4"; do
		want="$(port_stat "$log" $tp TX-packets) $(port_stat "$log" $tp TX-bytes)"
		want="$want $(port_stat "$log" $tp RX-packets) $(port_stat "$log" $tp RX-bytes) 0"
		got=$(sluiced_port_stats "$prefix" "$name")
		echo "  sluiced port $name: rx_packets rx_bytes tx_packets tx_bytes tx_dropped = $got"
		[ "$got" = "$want" ] ||
			fail "sluiced counters of $name are '$got', testpmd port $tp says '$want'"
		tp=1
	done
}

write_client_config() { # FILE
	cat > "$1" <<EOF
; two vhost-user client ports, cross-connected
[switch]
workers = 1
main_lcore = 0
[dpdk]
eal_args = --file-prefix=$PREFIX-sl --no-pci -m 256
[port:vm1]
type = vhost-user
path = $WORK/vm1.sock
mode = client
queues = 1
ofport = 1
[port:vm2]
type = vhost-user
path = $WORK/vm2.sock
mode = client
queues = 1
ofport = 2
[xconnect]
vm1 = vm2
vm2 = vm1
EOF
}

write_server_config() { # FILE PREFIX: EXTRA+2 server ports, cross-connected in pairs
	local i n=$((EXTRA + 2))
	{
		printf '[switch]\nworkers = 1\nmain_lcore = 0\n[dpdk]\n'
		printf 'eal_args = --file-prefix=%s --no-pci -m 256\n' "$2"
		for i in $(seq "$n"); do
			printf '[port:p%d]\ntype = vhost-user\npath = %s/p%d.sock\n' \
				"$i" "$WORK" "$i"
			# 2 queue pairs on the first port testpmd uses, 1 elsewhere
			# (the second then polls both pairs of its guest on one queue)
			printf 'mode = server\nqueues = %d\nofport = %d\n' \
				$((i == n - 1 ? 2 : 1)) "$i"
		done
		printf '[xconnect]\n'
		for i in $(seq 1 2 "$n"); do
			printf 'p%d = p%d\np%d = p%d\n' "$i" $((i + 1)) $((i + 1)) "$i"
		done
	} > "$1"
}

VDEV_SERVER=(
	"--vdev=net_virtio_user0,path=$WORK/vm1.sock,server=1,queues=1,queue_size=1024"
	"--vdev=net_virtio_user1,path=$WORK/vm2.sock,server=1,queues=1,queue_size=1024"
)

# ---- phase 1: client mode ------------------------------------------------
write_client_config "$WORK/client.ini"
# testpmd's virtio_user server blocks in probe until a client connects, so
# it starts first; sluiced reconnects every second until the sockets exist.
start_testpmd "$WORK/tp1.log" "${VDEV_SERVER[@]}"
start_sluiced "$WORK/client.ini" "$WORK/sluiced1.log"
wait_for 30 "$WORK/sluiced1.log" 'port vm[12]: link up' 2 ||
	fail "phase 1: vhost ports did not come up"
run_traffic "$WORK/tp1.log"
check_exact "$WORK/tp1.log" "phase 1 (client mode)"
check_port_counters "$WORK/tp1.log" "$PREFIX-sl" vm1 vm2

# ---- phase 2: sluiced restarts, the VMs stay -------------------------------
stop_sluiced "$WORK/sluiced1.log"
start_sluiced "$WORK/client.ini" "$WORK/sluiced2.log"
wait_for 30 "$WORK/sluiced2.log" 'port vm[12]: link up' 2 ||
	fail "phase 2: vhost ports did not come up again"
run_traffic "$WORK/tp1.log"
check_exact "$WORK/tp1.log" "phase 2 (sluiced restarted)"

# ---- phase 3: the VMs die under load, sluiced reconnects -------------------
# io forwarding bounces the tx_first packets between the two ports through
# sluiced for ever; SIGKILL then tears both devices down while sluiced's
# worker is busy in bursts on them.
tp_cmd "set fwd io"
tp_cmd "start tx_first 8"
sleep 1
kill -KILL "$TP_PID"
wait "$TP_PID" 2>/dev/null
TP_PID=
exec 9>&-
FIFO_FD=
wait_for 20 "$WORK/sluiced2.log" 'port vm[12]: link down' 2 ||
	fail "phase 3: sluiced did not see the guests go away"
kill -0 "$SL_PID" 2>/dev/null || { SL_PID=; fail "phase 3: sluiced died"; }
# A killed virtio_user server leaves its socket files behind (as a killed
# QEMU would); its replacement cannot bind until they are removed.
rm -f "$WORK/vm1.sock" "$WORK/vm2.sock"
start_testpmd "$WORK/tp3.log" "${VDEV_SERVER[@]}"
wait_for 30 "$WORK/sluiced2.log" 'port vm[12]: link up' 4 ||
	fail "phase 3: sluiced did not reconnect"
run_traffic "$WORK/tp3.log"
quit_testpmd
check_exact "$WORK/tp3.log" "phase 3 (VMs killed under load, restarted)"
stop_sluiced "$WORK/sluiced2.log"

# ---- phase 4: server mode, more vhost ports than RTE_MAX_ETHPORTS ----------
write_server_config "$WORK/server.ini" "$PREFIX-sl2"
write_server_config "$WORK/server-dup.ini" "$PREFIX-sl3"
TP_QUEUES=2
n=$((EXTRA + 2))
# A stale socket (its process died) must be replaced, not fail the port.
/usr/bin/python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$WORK/p1.sock" || fail "phase 4: cannot create a stale socket"
start_sluiced "$WORK/server.ini" "$WORK/sluiced4.log"
for i in $(seq "$n"); do
	[ -S "$WORK/p$i.sock" ] || fail "phase 4: socket p$i.sock missing"
done
# A second sluiced with the same sockets must refuse them and, when it
# exits, leave the first one's sockets alone.
SL4_PID=$SL_PID
start_sluiced "$WORK/server-dup.ini" "$WORK/sluiced4-dup.log"
stop_sluiced "$WORK/sluiced4-dup.log"
SL_PID=$SL4_PID
[ "$(grep -c 'is in use: another process listens on it' "$WORK/sluiced4-dup.log")" = "$n" ] ||
	fail "phase 4: the second sluiced did not refuse all $n live sockets"
for i in $(seq "$n"); do
	[ -S "$WORK/p$i.sock" ] || fail "phase 4: the second sluiced removed p$i.sock"
done
start_testpmd "$WORK/tp4.log" \
	"--vdev=net_virtio_user0,path=$WORK/p$((n - 1)).sock,queues=2,queue_size=1024" \
	"--vdev=net_virtio_user1,path=$WORK/p$n.sock,queues=2,queue_size=1024"
wait_for 30 "$WORK/sluiced4.log" "port p($((n - 1))|$n): link up" 2 ||
	fail "phase 4: ports p$((n - 1)) and p$n did not come up"
run_traffic "$WORK/tp4.log"
quit_testpmd
check_exact "$WORK/tp4.log" "phase 4 (server mode, $n vhost ports, 2 guest queue pairs)"
check_port_counters "$WORK/tp4.log" "$PREFIX-sl2" "p$((n - 1))" "p$n"
stop_sluiced "$WORK/sluiced4.log"
for i in $(seq "$n"); do
	[ -e "$WORK/p$i.sock" ] && fail "phase 4: sluiced left p$i.sock behind"
done

echo "PASS: vhost-user forwarding exact in client, reconnect and server mode"
exit 0
