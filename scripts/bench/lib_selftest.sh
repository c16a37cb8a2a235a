#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Self-test of the PVP harness's shell pieces (no root, no hugepages): CPU
# lists, testpmd options, scenario spellings, the counters check, the
# sluiced configuration pvp.sh writes, which sluiced --check-config must
# accept, and the version the results header reports.
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

# The counters check reads sluiced's exit statistics and dump-flows.
cat > "$work/log" <<'LOG'
sluiced: worker lcore 1: rx 1000 tx 990 tx_dropped 10 no_output 0 busy cycles/pkt 200
sluiced: worker lcore 1: fast path: emc_hits 0 megaflow_hits 990 handler_sent 10 handler_drops 4 handler_spills 0 handler_parked 0 budget_drops 1 stats_pushes 3
sluiced: worker lcore 2: rx 500 tx 500 tx_dropped 0 no_output 0 busy cycles/pkt 200
LOG
cat > "$work/flows" <<'FLOWS'
 cookie=0x0, duration=9.0s, table=0, n_packets=900, n_bytes=54000, priority=10,ip,in_port=1 actions=goto_table:1
 cookie=0x0, duration=9.0s, table=0, n_packets=595, n_bytes=35700, priority=10,ip,in_port=2 actions=goto_table:2
 cookie=0x0, duration=9.0s, table=1, n_packets=7, n_bytes=420, priority=0 actions=output:2
FLOWS
check "counters check: exact" "$(sluice_counters_check "$work/flows" "$work/log" 2>&1 | grep -o 'exact: .*')" \
	"exact: table-0 rules 1495 packets = 1500 received - 5 dropped before a lookup"
sed -i 's/n_packets=595/n_packets=594/' "$work/flows"
check "counters check: one packet short" "$(sluice_counters_check "$work/flows" "$work/log" 2>&1 | grep -c MISMATCH)" 1

# sluiced must accept what pvp.sh writes (one worker: this host may have
# only two CPUs).
if [ -n "${1:-}" ]; then
	WORKERS=1 SW_CPUS=1
	sluice_config "$work" "$work/a.sock" "$work/b.sock" agent > "$work/w1.ini"
	out=$("$1" -c "$work/w1.ini" --check-config 2>&1)
	check "sluiced --check-config accepts the agent configuration" "$?" 0
	[ "$failures" = 0 ] || echo "$out"
	# the results header names the binary's build, not the checkout's
	SLUICED=$1
	check "sluice_version from sluiced --version" \
		"$(sluice_version | grep -c '^[0-9][0-9.]* (build [^ ]*), DPDK ')" 1
fi

echo "$failures failure(s)"
[ "$failures" = 0 ]
