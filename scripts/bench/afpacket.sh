#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Kernel-interface ports: Sluice's own af_packet port (type = afpacket)
# against DPDK's net_af_packet (type = dpdk), forwarding over veths.
#   sudo scripts/bench/afpacket.sh [SLUICED [REPS [SECONDS [SIZE]]]]
# dpdk-testpmd (txonly, its own net_af_packet port, on CPU 0) offers
# SIZE-byte frames (64) into veth h6bna1 as fast as it can; sluiced (one
# worker on lcore 1, [xconnect] a = b, so the ports' cost is what is
# measured, not the pipeline's) forwards them from h6bna0 to h6bnb0; what
# leaves is counted at the far end, h6bnb1 (kernel rx counter). Each rep
# runs both port kinds, alternating which goes first. Prints one line per
# run (offered and forwarded packets/s, the worker's busy cycles per
# packet from sluicectl show) and the medians per kind. No assertion: a
# 2-CPU VM shared with others is noisy. SLUICECTL: sluicectl's path.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SLUICED=${1:-$HERE/../../build/sluiced/sluiced}
REPS=${2:-3}
SECS=${3:-5}
SIZE=${4:-64}
CTL=${SLUICECTL:-$(dirname "$SLUICED")/../sluicectl/sluicectl}
T=$(mktemp -d /tmp/h6-bench-afp.XXXXXX)
PID= GEN=
cleanup() {
	[ -n "$GEN" ] && kill "$GEN" 2>/dev/null
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	ip link del h6bna0 2>/dev/null || true
	ip link del h6bnb0 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
mkfifo "$T/in"
exec 3<>"$T/in"
command -v dpdk-testpmd >/dev/null || { echo "dpdk-testpmd missing (package dpdk)"; exit 1; }
for v in h6bna h6bnb; do
	ip link del "${v}0" 2>/dev/null || true
	ip link add "${v}0" type veth peer name "${v}1"
	for e in 0 1; do
		sysctl -qw "net.ipv6.conf.${v}${e}.disable_ipv6=1" || true
		ip link set "${v}${e}" up
	done
done

ports() { # KIND
	if [ "$1" = afpacket ]; then
		printf '[port:a]\ntype = afpacket\niface = h6bna0\nrxd = 4096\n'
		printf '[port:b]\ntype = afpacket\niface = h6bnb0\ntxd = 4096\n'
	else
		printf '[port:a]\ntype = dpdk\ndevargs = net_af_packet_h6bna,iface=h6bna0,framecnt=4096\n'
		printf '[port:b]\ntype = dpdk\ndevargs = net_af_packet_h6bnb,iface=h6bnb0,framecnt=4096\n'
	fi
}

ifc() { cat "/sys/class/net/$1/statistics/$2"; }

run() { # KIND -> one result line, and the forwarded pps in $T/KIND.pps
	local kind=$1 tx0 rx0 tx1 rx1
	cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $T/ctl
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=h6-bench-sl-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:0
$(ports "$kind")
[xconnect]
a = b
INI
	"$SLUICED" -c "$T/sl.ini" > "$T/sl.log" 2>&1 &
	PID=$!
	for _ in $(seq 100); do
		grep -q "sluiced: forwarding" "$T/sl.log" && break
		sleep 0.1
	done
	grep -q "sluiced: forwarding" "$T/sl.log" || { cat "$T/sl.log"; exit 1; }
	# stdin a FIFO this script holds open: testpmd runs until killed
	dpdk-testpmd --lcores=0@0,1@0 --no-pci --in-memory \
		--file-prefix=h6-bench-gen-$$ --log-level=lib.eal:warning \
		--vdev "net_af_packet_h6gen,iface=h6bna1,framecnt=4096" -- \
		--forward-mode=txonly --txpkts="$SIZE" --total-num-mbufs=8192 \
		--auto-start < "$T/in" > "$T/gen.log" 2>&1 &
	GEN=$!
	sleep 3
	"$CTL" -s "$T/ctl" reset-stats > /dev/null
	tx0=$(ifc h6bna1 tx_packets); rx0=$(ifc h6bnb1 rx_packets)
	sleep "$SECS"
	tx1=$(ifc h6bna1 tx_packets); rx1=$(ifc h6bnb1 rx_packets)
	# the worker's busy TSC cycles per packet received: rx, tx and the
	# kick's sendto (the kernel's veth transmit runs inside it)
	"$CTL" -s "$T/ctl" --json show > "$T/show.json"
	cpp=$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["workers"][0]["cycles_per_packet"])' "$T/show.json")
	# where the rest went: a's rx drops (ring full: the worker was slower or
	# descheduled), b's tx drops (its tx ring full)
	drops=$(/usr/bin/python3 -c '
import json, sys
p = {r["port"]: r for r in json.load(open(sys.argv[1]))["ports"]}
print("a rx_dropped %d, b tx_dropped %d" % (p["a"]["rx_dropped"], p["b"]["tx_dropped"]))' "$T/show.json")
	kill "$GEN" 2>/dev/null || true
	wait "$GEN" 2>/dev/null || true
	GEN=
	kill -TERM "$PID"
	wait "$PID" || true
	PID=
	awk -v k="$kind" -v t=$((tx1 - tx0)) -v r=$((rx1 - rx0)) -v s="$SECS" 'BEGIN {
		printf "%-9s offered %9.0f pps  forwarded %9.0f pps  (%5.1f %%)", k, t / s, r / s,
			100 * r / (t ? t : 1) }'
	echo "  worker $cpp cycles/packet; $drops"
	echo $(( (rx1 - rx0) / SECS )) >> "$T/$kind.pps"
	echo "$cpp" >> "$T/$kind.cpp"
}

echo "afpacket bench: $SIZE-byte frames, $SECS s per run, $REPS reps, $(nproc) CPUs"
for r in $(seq "$REPS"); do
	if [ $((r % 2)) = 1 ]; then run afpacket; run pmd; else run pmd; run afpacket; fi
done
median() { sort -n "$1" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for k in afpacket pmd; do
	printf 'median %-9s %9s pps forwarded, %6s worker cycles/packet\n' "$k" \
		"$(median "$T/$k.pps")" "$(median "$T/$k.cpp")"
done
