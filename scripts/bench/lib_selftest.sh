#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Self-test of the PVP harness's shell pieces (no root, no hugepages): CPU
# lists, testpmd options, scenario spellings, and the sluiced configuration
# pvp.sh writes, which sluiced --check-config must accept.
#
#   lib_selftest.sh [SLUICED]
set -u
BENCH_DIR=$(dirname "$(readlink -f "$0")")
. "$BENCH_DIR/lib.sh"
. "$BENCH_DIR/testpmd.sh"
. "$BENCH_DIR/sluice.sh"
. "$BENCH_DIR/scenarios.sh"

failures=0
check() { # WHAT GOT WANT
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$2', want '$3'"
		failures=$((failures + 1))
	fi
}

check "cpu_list_take 2 of 3" "$(cpu_list_take 2 8,9,10)" "8,9"
check "cpu_list_take more than the list" "$(cpu_list_take 3 8,9 || echo failed)" "failed"
check "cpu_mask" "$(cpu_mask 8,9,10,11)" "0xf00"
check "cpu_mask one CPU" "$(cpu_mask 1)" "0x2"
check "testpmd_lcores" "$(testpmd_lcores 2 2,3)" "0@2,1@2,2@3"

WORKERS=2
testpmd_args 2 2,3 pfx
check "testpmd_args EAL" "${TP_EAL[*]}" \
	"--lcores=0@2,1@2,2@3 --main-lcore 0 --no-pci --single-file-segments --file-prefix=pfx -m 320"
check "testpmd_args queues" "${TP_APP[*]:0:3}" "--nb-cores=2 --rxq=2 --txq=2"

check "scenario S3:N" "$(scenario_cases "S1 S3:65536" | tr '\n' ';')" "S1 1;S3 65536;"
check "scenario S2 both counts" "$(scenario_cases S2 | tr '\n' ';')" "S2 1000;S2 65536;"
check "scenario S3:junk refused" "$( (scenario_cases S3:12x) > /dev/null 2>&1 && echo accepted || echo refused)" "refused"
check "scenario S4:N refused" "$( (scenario_cases S4:5) > /dev/null 2>&1 && echo accepted || echo refused)" "refused"

# The configuration of a 2-worker run: workers, queue pairs, memory.
work=$(mktemp -d /tmp/sl-bench-selftest.XXXXXX)
trap 'rm -rf "$work"' EXIT
CTL_CPU=0 SW_CPUS=1,2 SLUICE_PREFIX=selftest
sluice_config "$work" "$work/a.sock" "$work/b.sock" agent > "$work/w2.ini"
check "config workers" "$(grep -c '^workers = 1,2$' "$work/w2.ini")" 1
check "config queue pairs" "$(grep -c '^queues = 2$' "$work/w2.ini")" 2
check "config memory" "$(grep -c -- '-m 384 ' "$work/w2.ini")" 1

# sluiced must accept what pvp.sh writes (one worker: this host may have
# only two CPUs).
if [ -n "${1:-}" ]; then
	WORKERS=1 SW_CPUS=1
	sluice_config "$work" "$work/a.sock" "$work/b.sock" agent > "$work/w1.ini"
	out=$("$1" -c "$work/w1.ini" --check-config 2>&1)
	check "sluiced --check-config accepts the agent configuration" "$?" 0
	[ "$failures" = 0 ] || echo "$out"
fi

echo "$failures failure(s)"
[ "$failures" = 0 ]
