#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# One-way throughput of sluiced with pktgen-dpdk on vhost-user ports, for
# hosts that have pktgen (not packaged in Debian; build it from
# https://github.com/pktgen/Pktgen-DPDK against the same DPDK).
#
#   run-pktgen.sh [--sluiced PATH] [--pktgen PATH] [--flows N]
#                 [--warmup S] [--duration S] [--lua | --pkt]
#
# sluiced gets two vhost-user ports in SERVER mode (it creates the
# sockets), cross-connected (or, with SL_OF_RULES=FILE and an OpenFlow
# listener, whatever rules you load); pktgen connects two virtio_user ports
# as a client, sends on port 0 and counts on port 1.
# CPUs: sluiced's worker on SW_CPU (1), its control lcore and pktgen on
# PKTGEN_CPUS (0; on a real host give pktgen its own cores, e.g. "2,3,4").
# For NIC ports see README.md in this folder.
set -u

HERE=$(dirname "$(readlink -f "$0")")
REPO=$(readlink -f "$HERE/../../..")
SLUICED=$REPO/build/sluiced/sluiced
PKTGEN=$(command -v pktgen || true)
FLOWS=1024
WARMUP=3
DURATION=10
SCRIPT=lua
SW_CPU=${SW_CPU:-1}
PKTGEN_CPUS=${PKTGEN_CPUS:-0}

while [ $# -gt 0 ]; do
	case $1 in
	--sluiced) SLUICED=$2; shift ;;
	--pktgen) PKTGEN=$2; shift ;;
	--flows) FLOWS=$2; shift ;;
	--warmup) WARMUP=$2; shift ;;
	--duration) DURATION=$2; shift ;;
	--lua) SCRIPT=lua ;;
	--pkt) SCRIPT=pkt ;;
	*) sed -n '2,/^set -u/p' "$0" | sed -e 's/^# \{0,1\}//' -e '/^set -u/d'; exit 2 ;;
	esac
	shift
done

[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
[ -n "$PKTGEN" ] && [ -x "$PKTGEN" ] || {
	echo "pktgen not found: build pktgen-dpdk and pass --pktgen PATH"
	exit 1
}
[ -x "$SLUICED" ] || { echo "no sluiced at $SLUICED (--sluiced PATH)"; exit 1; }

WORK=$(mktemp -d /tmp/sluice-pktgen.XXXXXX)
SL_PID=
cleanup() {
	[ -n "$SL_PID" ] && kill -INT "$SL_PID" 2>/dev/null && wait "$SL_PID"
	rm -rf "$WORK" /var/run/dpdk/slpg-sl-$$ /var/run/dpdk/slpg-pg-$$
	rm -f /dev/hugepages/slpg-*-$$map_*
}
trap cleanup EXIT
trap 'exit 1' INT TERM

first_cpu=${PKTGEN_CPUS%%,*}
cat > "$WORK/sluiced.ini" <<INI
[switch]
main_lcore = $first_cpu
workers = $SW_CPU
[dpdk]
eal_args = --file-prefix=slpg-sl-$$ --no-pci -m 256 --single-file-segments
[port:vm1]
type = vhost-user
path = $WORK/vm1.sock
mode = server
ofport = 1
[port:vm2]
type = vhost-user
path = $WORK/vm2.sock
mode = server
ofport = 2
[xconnect]
vm1 = vm2
vm2 = vm1
INI
"$SLUICED" -c "$WORK/sluiced.ini" > "$WORK/sluiced.log" 2>&1 &
SL_PID=$!
for _ in $(seq 100); do
	grep -q 'sluiced: forwarding' "$WORK/sluiced.log" && break
	sleep 0.1
done
grep -q 'sluiced: forwarding' "$WORK/sluiced.log" || { cat "$WORK/sluiced.log"; exit 1; }

# pktgen needs a main lcore and one lcore per port: lcore 1 drives port 0
# (tx), lcore 2 port 1 (rx), all mapped onto PKTGEN_CPUS.
cpus=${PKTGEN_CPUS//,/ }
read -r -a cpu <<< "$cpus"
c() { echo "${cpu[$(( $1 % ${#cpu[@]} ))]}"; }
LCORES="0@$(c 0),1@$(c 1),2@$(c 2)"
if [ "$SCRIPT" = lua ]; then
	SCRIPT_FILE=$HERE/sluice-oneway.lua
else
	SCRIPT_FILE=$HERE/sluice-oneway.pkt
fi
echo "sluiced up; starting pktgen (${SCRIPT_FILE##*/}, $FLOWS flows)"
cd "$WORK" || exit 1
SL_FLOWS=$FLOWS SL_WARMUP=$WARMUP SL_DURATION=$DURATION \
	"$PKTGEN" --lcores="$LCORES" --main-lcore 0 --no-pci --single-file-segments \
	--file-prefix="slpg-pg-$$" -m 512 \
	--vdev="net_virtio_user0,path=$WORK/vm1.sock,queues=1,queue_size=1024" \
	--vdev="net_virtio_user1,path=$WORK/vm2.sock,queues=1,queue_size=1024" \
	-- -P -T -m "1.0,2.1" -f "$SCRIPT_FILE"
echo "sluiced's view:"
grep -v VHOST_CONFIG "$WORK/sluiced.log" | tail -5
