#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vhost-user throughput benchmark (not a test: it asserts nothing).
#
# dpdk-testpmd stands in for two VMs: two virtio_user ports (vhost-user
# servers, server=1), forwarding mode flowgen (sends 64-byte UDP packets of
# varying flows on both ports and counts and frees what it receives), its
# forwarding lcore pinned to lcore 0. sluiced, one worker on lcore 1,
# connects to both sockets as a vhost-user client and cross-connects them.
# The number printed is what testpmd receives back through sluiced, both
# directions summed: the switch's forwarding rate. Each repetition samples
# testpmd's per-port Rx-pps over DURATION seconds; the median is reported.
#
# usage: bench-vhost.sh [PATH/TO/sluiced]   (default: build/sluiced/sluiced)
# env:   REPS (5), DURATION (5 s), WARMUP (2 s), PKT_LEN (64), QUEUE_SIZE (1024)
#        KEEP=1 keeps the work directory with the logs.
#
# On a 2-core machine the two control lcores (testpmd's and sluiced's main)
# share the cores with the two pollers, and other tenants' load shows up as
# noise: compare numbers only between runs on the same machine.
set -u

SLUICED=${1:-build/sluiced/sluiced}
REPS=${REPS:-5}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
PKT_LEN=${PKT_LEN:-64}
QUEUE_SIZE=${QUEUE_SIZE:-1024}
TESTPMD=$(command -v dpdk-testpmd) || { echo "dpdk-testpmd not found (package dpdk)" >&2; exit 1; }
[ -x "$SLUICED" ] || { echo "usage: $0 PATH/TO/sluiced ($SLUICED not executable)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "$0: run as root (hugepages)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/sl-bench-vhost.XXXXXX)
PREFIX=sl-bench-vhost-$$
SL_PID=
TP_PID=
trap '' PIPE

stop_pid() {
	local pid=$1
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

cleanup() {
	exec 9>&- 2>/dev/null
	stop_pid "$TP_PID"
	stop_pid "$SL_PID"
	wait 2>/dev/null
	rm -rf "/var/run/dpdk/$PREFIX-sl" "/var/run/dpdk/$PREFIX-tp"
	rm -f /dev/hugepages/"$PREFIX"-*
	if [ "${KEEP:-0}" = 1 ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "bench-vhost: $*" >&2; exit 1; }

wait_for() { # SECONDS FILE REGEX [COUNT]
	local t=$(($1 * 10)) n
	while [ "$t" -gt 0 ]; do
		n=$(grep -c -E -- "$3" "$2" 2>/dev/null)
		[ "${n:-0}" -ge "${4:-1}" ] && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

cat > "$WORK/sluiced.ini" <<EOF
[switch]
workers = 1
main_lcore = 0
[dpdk]
eal_args = --file-prefix=$PREFIX-sl --no-pci -m 512
[port:vm1]
type = vhost-user
path = $WORK/vm1.sock
queues = 1
ofport = 1
[port:vm2]
type = vhost-user
path = $WORK/vm2.sock
queues = 1
ofport = 2
[xconnect]
vm1 = vm2
vm2 = vm1
EOF

mkfifo "$WORK/tp.fifo"
# Main lcore 1 (idle at the prompt), forwarding lcore 0.
stdbuf -oL "$TESTPMD" -l 0,1 --main-lcore 1 --no-pci --single-file-segments \
	--file-prefix="$PREFIX-tp" -m 1024 \
	--vdev="net_virtio_user0,path=$WORK/vm1.sock,server=1,queues=1,queue_size=$QUEUE_SIZE" \
	--vdev="net_virtio_user1,path=$WORK/vm2.sock,server=1,queues=1,queue_size=$QUEUE_SIZE" \
	-- -i --forward-mode=flowgen --txpkts="$PKT_LEN" --burst=32 \
	--rxd="$QUEUE_SIZE" --txd="$QUEUE_SIZE" --total-num-mbufs=32768 \
	< "$WORK/tp.fifo" > "$WORK/testpmd.log" 2>&1 &
TP_PID=$!
exec 9> "$WORK/tp.fifo"
"$SLUICED" -c "$WORK/sluiced.ini" > "$WORK/sluiced.log" 2>&1 &
SL_PID=$!
wait_for 30 "$WORK/sluiced.log" 'port vm[12]: link up' 2 ||
	die "vhost ports did not come up (see $WORK/sluiced.log; KEEP=1)"
wait_for 30 "$WORK/testpmd.log" '^testpmd> ' || die "testpmd did not start"

tp() { echo "$*" >&9 || die "testpmd is gone"; }

# rx_pps: sum of Rx-pps over both ports in the newest statistics block pair.
stats_blocks=0
sample_rx_pps() {
	tp "show port stats all"
	stats_blocks=$((stats_blocks + 1))
	wait_for 10 "$WORK/testpmd.log" 'Tx-pps' $((stats_blocks * 2)) || die "no stats"
	grep 'Rx-pps' "$WORK/testpmd.log" | tail -2 | awk '{ s += $2 } END { print s }'
}

echo "bench-vhost: testpmd flowgen ${PKT_LEN}B x2 <-> sluiced (1 worker, vhost-user client)"
echo "bench-vhost: $REPS x ${DURATION}s, host $(hostname), $(nproc) cores, $(date -u +%FT%TZ)"
results=()
tp "start"
sleep "$WARMUP"
for r in $(seq "$REPS"); do
	sample_rx_pps > /dev/null         # starts the interval
	sleep "$DURATION"
	pps=$(sample_rx_pps)
	mpps=$(awk -v p="$pps" 'BEGIN { printf "%.3f", p / 1e6 }')
	echo "  rep $r: $mpps Mpps received"
	results+=("$mpps")
done
# The worker's own view: cycles per packet while busy, and how often it
# found nothing to do (a worker near 0% idle is the bottleneck).
/usr/bin/python3 - "/var/run/dpdk/$PREFIX-sl/dpdk_telemetry.v2" <<'EOF' || echo "  (telemetry unavailable)"
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
json.loads(s.recv(16384))
s.send(b"/sluice/workers")
for name, w in json.loads(s.recv(65536))["/sluice/workers"].items():
    busy, idle = w.get("busy_cycles", 0), w.get("idle_cycles", 0)
    print("  sluiced worker %s: %s busy cycles/packet, %.1f%% of cycles idle, "
          "tx_dropped %s" % (name, w.get("busy_cycles_per_packet"),
                             100.0 * idle / max(busy + idle, 1), w.get("tx_dropped")))
EOF
tp "stop"
wait_for 10 "$WORK/testpmd.log" 'Accumulated forward statistics' ||
	die "testpmd did not stop"
sleep 0.3
sed -n '/Accumulated forward statistics/,/+++++$/p' "$WORK/testpmd.log" | sed -n 2,3p |
	sed 's/^/  testpmd total: /'
median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{ v[NR] = $1 } END {
	print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "bench-vhost: median $median Mpps (min $(printf '%s\n' "${results[@]}" | sort -n | head -1), max $(printf '%s\n' "${results[@]}" | sort -n | tail -1))"
