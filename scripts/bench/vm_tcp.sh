#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Guest-to-guest TCP through a switch: two QEMU guests (scripts/vm/, TCG
# unless SL_VM_ACCEL=kvm) run iperf3 vm1 -> vm2 through
#   sluice-on   sluiced, vhost-user ports with offloads = yes, the guests'
#               offloads on (TSO super-frames and partial checksums pass)
#   sluice-off  the same sluiced ports, the guests' offloads off
#               (ethtool -K tx off sg off tso off: they cut and checksum)
#   ovs         OVS-DPDK (dpdkvhostuserclient ports, other_config:
#               userspace-tso-enable=true), the guests' offloads on
# Every rep runs each variant once, in an order rotated rep by rep, with
# the same two guests: QEMU is the vhost-user server and each switch
# connects in turn (the guests reconnect, their features negotiated once:
# with sluiced first, whose offer is a subset of OVS's). Rules: port 1 <->
# port 2.
#
#   vm_tcp.sh [--reps N] [--seconds S] [--no-ovs] SLUICED
#
# Prints one line per measurement and a summary (median Gbit/s per variant,
# the ratios the issue asks about). Under TCG the guests' own TCP stacks,
# emulated on the same CPUs, are the bottleneck: read the numbers as that.
# Env: SW_CPU (sluiced's worker and OVS's PMD, default 1), CTL_CPU (0),
#      VM_TCP_OUT (work directory, default /tmp/sl-vm-tcp, kept),
#      SL_VM_GUEST (guest image), OVS_* (ovs.sh).
set -u
set -o pipefail

BENCH_DIR=$(dirname "$(readlink -f "$0")")
VMDIR=$(cd "$BENCH_DIR/../vm" && pwd)
REPS=3
SECS=10
WITH_OVS=1
OUT=${VM_TCP_OUT:-/tmp/sl-vm-tcp}
SW_CPU=${SW_CPU:-1}
CTL_CPU=${CTL_CPU:-0}
OFPORT_TCP=${VM_TCP_OFPORT:-16653}

# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
# shellcheck source=ovs.sh
. "$BENCH_DIR/ovs.sh"
usage() { header_help "$0"; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--reps) REPS=$2; shift ;;
	--seconds) SECS=$2; shift ;;
	--no-ovs) WITH_OVS=0 ;;
	-h|--help) usage ;;
	-*) echo "unknown option $1"; usage ;;
	*) SLUICED=$(readlink -f "$1") ;;
	esac
	shift
done
[ -n "${SLUICED:-}" ] && [ -x "$SLUICED" ] || usage
[ "$(id -u)" = 0 ] || die "needs root"
command -v qemu-system-x86_64 > /dev/null || die "qemu-system-x86_64 missing"
GUEST=${SL_VM_GUEST:-/var/cache/sluice-vm/guest}
bash "$VMDIR/build-guest.sh" "$GUEST" > /dev/null || die "no guest image (build-guest.sh)"
if [ "$WITH_OVS" = 1 ] && ! ovs_available; then
	log "OVS-DPDK missing (SLUICE_BENCH=1 bash scripts/setup.sh): no ovs variant"
	WITH_OVS=0
fi
trap bench_cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"
T=$OUT
PFX=slvt-$$
track_prefix "$PFX"

g() { "$PY" "$VMDIR/guest.py" run "$T/$1.ctl" --timeout "${3:-60}" -- "$2"; }

sluiced_start() {
	cat > "$T/sluiced.ini" <<INI
[switch]
main_lcore = $CTL_CPU
workers = $SW_CPU
mgmt_socket = $T/sluiced.ctl
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=$PFX --log-level=lib.eal:warning
[openflow]
listen = ptcp:$OFPORT_TCP
fail_mode = secure
[port:vm1]
type = vhost-user
path = $T/vm1.sock
offloads = yes
ofport = 1
[port:vm2]
type = vhost-user
path = $T/vm2.sock
offloads = yes
ofport = 2
INI
	"$SLUICED" -c "$T/sluiced.ini" > "$T/sluiced.log" 2>&1 &
	SL_PID=$!
	track_pid "$SL_PID"
	wait_for 30 "$T/sluiced.log" "sluiced: forwarding" ||
		die "sluiced did not start ($T/sluiced.log)"
	OF=tcp:127.0.0.1:$OFPORT_TCP
}

sluiced_stop() {
	stop_pid "$SL_PID"
	untrack_pid "$SL_PID"
	SL_PID=
}

switch_start() { # VARIANT
	case $1 in
	sluice-*)
		sluiced_start
		wait_for 60 "$T/sluiced.log" 'port vm[12]: link up' 2 ||
			die "guests did not connect to sluiced"
		;;
	ovs)
		OVS_EXTRA_CONFIG="other_config:userspace-tso-enable=true" ovs_start "$T" \
			"$T/vm1.sock" "$T/vm2.sock"
		OF=$OVS_OF
		wait_for 60 "$T/ovs/ovs-vswitchd.log" "vHost Device .* has been added" 2 ||
			log "OVS: guests not seen in its log after 60 s (continuing)"
		;;
	esac
	ofctl_do "$OF" add-flow "in_port=1,actions=output:2"
	ofctl_do "$OF" add-flow "in_port=2,actions=output:1"
}

switch_stop() { # VARIANT
	case $1 in
	sluice-*) sluiced_stop ;;
	ovs) ovs_stop ;;
	esac
}

guest_offloads() { # on|off
	local vm
	for vm in vm1 vm2; do
		g "$vm" "ethtool -K eth0 tx $1 sg $1 tso $1" > /dev/null 2>&1 ||
			die "ethtool -K $1 in $vm"
	done
}

# measure VARIANT: iperf3 vm1 -> vm2 for SECS, the receiver's Gbit/s (or
# "fail"); the first second is the TCP ramp and is left out (-O 1).
measure() {
	local out rate
	out=$(g vm1 "iperf3 -c 10.0.0.2 -t $SECS -O 1 -f g" $((SECS + 60)) 2>&1) || {
		echo fail
		return
	}
	rate=$(echo "$out" | awk '/receiver/ { for (i = 1; i < NF; i++)
		if ($(i + 1) == "Gbits/sec") print $i }')
	echo "${rate:-fail}"
}

# ---- guests: QEMU listens, the switches connect --------------------------------
sluiced_start # the guests negotiate their features with sluiced first
for n in 1 2; do
	"$VMDIR/run-guest.sh" "$GUEST" "$T" "vm$n" "$T/vm$n.sock" server "10.0.0.$n/24" \
		> "$T/qemu$n.log" 2>&1 &
	track_pid $!
done
for n in 1 2; do
	"$PY" "$VMDIR/guest.py" ready "$T/vm$n.console" --timeout 300 > /dev/null || die "vm$n did not boot"
done
wait_for 60 "$T/sluiced.log" 'port vm[12]: link up' 2 || die "guests did not connect"
g vm1 "arp -s 10.0.0.2 52:54:00:00:00:02" && g vm2 "arp -s 10.0.0.1 52:54:00:00:00:01" ||
	die "arp -s"
g vm2 "iperf3 -s -D" || die "iperf3 server"
sluiced_stop
log "guests up; guest features: $(g vm1 'ethtool -k eth0' |
	grep -E '^(tx-checksumming|tcp-segmentation-offload):' | tr '\n' ' ')"

VARIANTS=(sluice-on sluice-off)
[ "$WITH_OVS" = 1 ] && VARIANTS+=(ovs)
declare -A R
nv=${#VARIANTS[@]}
for rep in $(seq "$REPS"); do
	for i in $(seq 0 $((nv - 1))); do
		v=${VARIANTS[$(((i + rep - 1) % nv))]}
		switch_start "$v"
		if [ "$v" = sluice-off ]; then guest_offloads off; else guest_offloads on; fi
		sleep 1
		rate=$(measure "$v")
		switch_stop "$v"
		R[$v]="${R[$v]:-} $rate"
		log "rep $rep $v: $rate Gbit/s"
		echo "rep $rep $v $rate" >> "$T/results.txt"
	done
done

echo "# vm_tcp.sh: iperf3 vm1 -> vm2, $SECS s, $REPS reps, $(nproc) CPUs," \
	"SW_CPU $SW_CPU, accel ${SL_VM_ACCEL:-tcg}; $("$SLUICED" --version 2>/dev/null | head -1)"
median() { tr ' ' '\n' | grep -E '^[0-9.]+$' | sort -g | awk '{ a[NR] = $1 }
	END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2];
	      else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -A M
for v in "${VARIANTS[@]}"; do
	M[$v]=$(echo "${R[$v]}" | median)
	printf '%-11s median %6s Gbit/s   reps:%s\n' "$v" "${M[$v]}" "${R[$v]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
echo "sluice-on / sluice-off: $(ratio "${M[sluice-on]}" "${M[sluice-off]}") (target >= 3)"
[ "$WITH_OVS" = 1 ] && echo "sluice-on / ovs: $(ratio "${M[sluice-on]}" "${M[ovs]}") (target >= 1)"
exit 0
