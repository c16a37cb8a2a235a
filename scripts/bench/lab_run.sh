#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The whole comparison on a lab host, in phases that fit a time budget:
# (1) S1, S2 and S3 against OVS and the ceiling, (2) S6 against OVS, (3) S4
# and S5 against OVS; a phase that would start too late is skipped. With
# --bundle, the programs come from a scripts/bench/bundle.sh folder (a host
# without DPDK or OVS packages). Results: OUTDIR/lab.log (the host, the
# tables) and OUTDIR/results.tgz (each phase's log, results.tsv and
# sluiced's exit lines).
#
#   lab_run.sh [--bundle DIR] [--sluiced PATH] [--reps N] [--budget SECONDS] OUTDIR
#
# CPUs: with 10 or more, the generator gets CPU 2, the switch datapath
# CPU 8, and sluiced's control lcore, OVS's other threads and the OpenFlow
# clients CPU 1 (GEN_CPUS, SW_CPUS and CTL_CPU override); with fewer,
# pvp.sh's defaults. Reserves 4096 2 MiB hugepages (SLUICE_HUGEPAGES) with
# scripts/setup.sh, packages left alone.
# Defaults: 2 repetitions (S6: one more), a 480 s budget.
set -u
set -o pipefail

BENCH_DIR=$(dirname "$(readlink -f "$0")")
REPO=$(readlink -f "$BENCH_DIR/../..")
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
BUNDLE='' SLUICED=$REPO/build/sluiced/sluiced REPS=2 BUDGET=480 OUTDIR=''

while [ $# -gt 0 ]; do
	case $1 in
	--bundle) BUNDLE=$(readlink -f "$2"); SLUICED=$BUNDLE/bin/sluiced; shift ;;
	--sluiced) SLUICED=$(readlink -f "$2"); shift ;;
	--reps) REPS=$2; shift ;;
	--budget) BUDGET=$2; shift ;;
	-h|--help) header_help "$0"; exit 0 ;;
	-*) echo "unknown option $1" >&2; exit 2 ;;
	*) OUTDIR=$1 ;;
	esac
	shift
done
[ -n "$OUTDIR" ] || { echo "usage: lab_run.sh [options] OUTDIR (--help)" >&2; exit 2; }
mkdir -p "$OUTDIR/work"
OUTDIR=$(readlink -f "$OUTDIR")
exec > >(tee "$OUTDIR/lab.log") 2>&1
T0=$(date +%s)
elapsed() { echo $(($(date +%s) - T0)); }

echo "== host $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
uname -r
head -1 /etc/os-release
if [ -n "$BUNDLE" ]; then
	"$BUNDLE/install-plugins.sh" || exit 1
	# shellcheck source=/dev/null
	. "$BUNDLE/env.sh"
	if ! command -v stdbuf > /dev/null; then # pvp.sh line-buffers testpmd with it
		printf '#!/bin/sh\nshift\nexec "$@"\n' > "$BUNDLE/bin/stdbuf"
		chmod +x "$BUNDLE/bin/stdbuf"
	fi
fi
# hugepages and hugetlbfs as for the tests (no packages: a bundle has them)
SLUICE_SKIP_APT=1 SLUICE_HUGEPAGES=${SLUICE_HUGEPAGES:-4096} bash "$REPO/scripts/setup.sh" || exit 1
grep -E 'HugePages_(Total|Free)' /proc/meminfo
"$SLUICED" --version
if [ "$(nproc)" -ge 10 ]; then
	export CTL_CPU=${CTL_CPU:-1} GEN_CPUS=${GEN_CPUS:-2} SW_CPUS=${SW_CPUS:-8}
fi

# phase NAME LATEST_START_S PVP_ARGS...
phase() {
	local name=$1 latest=$2
	shift 2
	if [ "$(elapsed)" -gt "$latest" ]; then
		echo "== $name: skipped at $(elapsed) s (the budget)"
		return
	fi
	echo "== $name at $(elapsed) s: pvp.sh $*"
	"$BENCH_DIR/pvp.sh" --sluiced "$SLUICED" --warmup 2 --duration 4 \
		--out "$OUTDIR/work/$name" "$@" > "$OUTDIR/work/$name.log" 2>&1
	echo "   exit $? at $(elapsed) s"
	sed -n '/^PVP results/,$p' "$OUTDIR/work/$name.log" | grep -v 'logs and results kept'
	grep -h "worker lcore" "$OUTDIR/work/$name"/S*/sluiced.log \
		> "$OUTDIR/work/$name.exit-lines" 2>/dev/null
	tar -C "$OUTDIR/work" -czf "$OUTDIR/results.tgz" --exclude='*.fifo' --exclude='*.sock' \
		--exclude='ovs' --exclude='*.pcap' .
}

phase core 0 --switches "sluice ovs ceiling" --scenarios "S1 S2 S3" --reps "$REPS"
phase s6 $((BUDGET * 55 / 100)) --switches "sluice ovs" --scenarios S6 --reps $((REPS + 1))
phase rest $((BUDGET * 80 / 100)) --switches "sluice ovs" --scenarios "S4 S5" --reps "$REPS"
echo "== done at $(elapsed) s"
