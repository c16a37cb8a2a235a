#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Alternating A/B of sluiced variants in the PVP harness: on a noisy
# machine only variants measured in turn, minutes apart at most, compare
# (docs/benchmark.md). Each round runs every variant once, in order, as
# its own pvp.sh measurement (fresh processes, Sluice only), and prints a
# line per variant with the received rate and the worker's own counters
# from sluiced's exit lines: busy cycles per packet, classification cycles
# per packet (parse + EMC + megaflow lookup, the stable metric when the
# vhost copies swing), packets through the EMC and megaflow cache, EMC
# bypassed.
#
#   ab.sh [--scenario S] [--rounds N] [--warmup S] [--duration S] LABEL=SLUICED[:VAR=VALUE...] ...
#     --scenario S    one pvp.sh scenario with traffic: S1, S2:N, S3:N, S4 or
#                     S6 (default S3:1000)
#     --rounds N      rounds (default 3)
#     LABEL=SLUICED   a variant: a sluiced binary, optionally with pvp.sh
#                     environment settings, e.g. noemc=build/sluiced/sluiced:SLUICE_EMC_INV_PROB=0
#
# The CPU layout and everything else come from pvp.sh's environment (GEN_CPU,
# SW_CPU, CTL_CPU, ...). Needs what pvp.sh needs (root, hugepages,
# dpdk-testpmd). Work directories: $AB_OUT (default /tmp/sl-ab), kept.
set -u
set -o pipefail

BENCH_DIR=$(dirname "$(readlink -f "$0")")
SCEN=S3:1000
ROUNDS=3
WARMUP=2
DURATION=5
OUT=${AB_OUT:-/tmp/sl-ab}
VARIANTS=()

# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
usage() { header_help "$0"; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--scenario) SCEN=$2; shift ;;
	--rounds) ROUNDS=$2; shift ;;
	--warmup) WARMUP=$2; shift ;;
	--duration) DURATION=$2; shift ;;
	-h|--help) usage ;;
	-*) echo "unknown option $1"; usage ;;
	*=*) VARIANTS+=("$1") ;;
	*) echo "not a variant (LABEL=SLUICED): $1"; usage ;;
	esac
	shift
done
[ "${#VARIANTS[@]}" -ge 1 ] || usage
case $SCEN in
S5) echo "ab.sh: S5 has no traffic; run pvp.sh --scenarios S5" >&2; exit 2 ;;
esac

# exit_field LOG REGEX: the first capture of REGEX on sluiced's last
# matching exit line, or "-".
exit_field() {
	local v
	v=$(grep -h "worker lcore" "$1" 2>/dev/null | sed -n -E "s|.*$2.*|\\1|p" | tail -1)
	echo "${v:--}"
}

mkdir -p "$OUT"
printf '%-5s %-10s %9s %6s %7s %12s %12s %12s\n' round variant Mpps busy lookup emc_hits \
	megaflow_hits emc_bypassed
for r in $(seq "$ROUNDS"); do
	for v in "${VARIANTS[@]}"; do
		label=${v%%=*} rest=${v#*=}
		bin=${rest%%:*} envs=()
		[ "$rest" = "$bin" ] || IFS=: read -r -a envs <<< "${rest#*:}"
		work=$OUT/$r-$label
		rm -rf "$work"
		env ${envs[@]+"${envs[@]}"} "$BENCH_DIR/pvp.sh" --sluiced "$bin" --switches sluice \
			--scenarios "$SCEN" --reps 1 --warmup "$WARMUP" --duration "$DURATION" \
			--out "$work" > "$work.log" 2>&1
		rc=$?
		mpps=$(sed -n -E 's/.* rep 1: ([0-9.]+) Mpps.*/\1/p' "$work.log" | tail -1)
		# S6 measures three windows: its steady one
		[ -n "$mpps" ] || mpps=$(sed -n -E 's/.*S6.steady.* rep 1: ([0-9.]+) Mpps.*/\1/p' "$work.log" | tail -1)
		logs=("$work"/S*/sluiced.log)
		log=${logs[0]}
		printf '%-5s %-10s %9s %6s %7s %12s %12s %12s%s\n' "$r" "$label" "${mpps:--}" \
			"$(exit_field "$log" 'busy cycles/pkt ([0-9]+)')" \
			"$(exit_field "$log" 'lookup cycles/pkt ([0-9]+)')" \
			"$(exit_field "$log" 'emc_hits ([0-9]+)')" \
			"$(exit_field "$log" 'megaflow_hits ([0-9]+)')" \
			"$(exit_field "$log" 'emc_bypassed ([0-9]+)')" \
			"$([ "$rc" = 0 ] || echo "  (pvp.sh exit $rc: $work.log)")"
	done
done
