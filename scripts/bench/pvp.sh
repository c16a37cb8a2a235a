#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# PVP benchmark: Sluice against OVS-DPDK and the harness ceiling, same
# machine, same run. See docs/benchmark.md.
#
#   pvp.sh [options]
#     --sluiced PATH      sluiced binary (default: build/sluiced/sluiced)
#     --switches LIST     any of "sluice ovs ceiling" (default: all three),
#                         plus "sluice-xc": sluiced on its static
#                         [xconnect] (S1/S2 only), the forwarding cost
#                         without the OpenFlow pipeline
#     --scenarios LIST    any of "S1 S2 S3 S4 S5 S6" (default: all); S2:N
#                         or S3:N runs S2 or S3 at N flows only
#     --reps N            repetitions, switches alternating (default 3)
#     --warmup S          seconds of traffic before measuring (default 3)
#     --duration S        seconds measured (default 10)
#     --out DIR           keep logs and results.tsv there (default: a temp
#                         dir, removed unless --keep)
#     --keep              keep the work directory
#     --workers N         switch datapath cores (default 1): sluiced
#                         workers, OVS PMDs, ceiling forwarding lcores;
#                         the generator gets N cores too and every
#                         vhost-user port N queue pairs. The first N CPUs
#                         of SW_CPUS and GEN_CPUS (below) are used
#     --smoke             a quick check that the harness works (1 rep, 1 s
#                         warm-up, 2 s windows, default scenarios "S1 S3
#                         S5"): missing prerequisites exit 77 (skipped)
#
# Exit status: 0, or 1 on an error, or 3 when a switch forwarded nothing
# in a traffic scenario (a broken setup, never a slow one: no number is
# compared with a target).
# Topology of one measurement: dpdk-testpmd (the generator, GEN_CPU) owns
# two vhost-user sockets (virtio_user, server=1) and sends 64-byte UDP
# flows on both; the switch under test (datapath on SW_CPU, its control on
# CTL_CPU) connects to both as a vhost-user client and forwards 1<->2; the
# generator counts what comes back. Every measurement starts fresh
# processes. Env: GEN_CPU (0), SW_CPU (1), CTL_CPU (= GEN_CPU); for
# --workers N, GEN_CPUS and SW_CPUS (comma lists, default GEN_CPU and
# SW_CPU); SLUICE_BENCH_PYTHON (the helpers' python3, default /usr/bin/python3);
# SLUICE_HEAP_RESERVE_MB (256; 0 for sluiced's default: see sluice.sh),
# SLUICE_MISS_HANDLING (inline|handler: override sluiced's default),
# SLUICE_EMC_INV_PROB (N: [switch] emc_insert_inv_prob, 0 = no EMC).
#
# Needs root, 2 MiB hugepages (about 600 free), dpdk-testpmd, and for OVS
# the Debian package openvswitch-switch-dpdk. Numbers are printed, never
# asserted.
set -u
set -o pipefail
# The braces make bash read the whole script before running any of it, so
# that editing this file during a run cannot change the running one.
{

BENCH_DIR=$(dirname "$(readlink -f "$0")")
REPO=$(readlink -f "$BENCH_DIR/../..")
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
. "$BENCH_DIR/testpmd.sh"
. "$BENCH_DIR/ovs.sh"
. "$BENCH_DIR/sluice.sh"
. "$BENCH_DIR/scenarios.sh"

SLUICED=$REPO/build/sluiced/sluiced
SWITCHES="sluice ovs ceiling"
SCENARIOS="S1 S2 S3 S4 S5 S6"
REPS=3
WARMUP=3
DURATION=10
OUT=
KEEP=0
SMOKE=0
SCENARIOS_SET=0
WORKERS=1
GEN_CPU=${GEN_CPU:-0}
SW_CPU=${SW_CPU:-1}
CTL_CPU=${CTL_CPU:-$GEN_CPU}
GEN_CPUS=${GEN_CPUS:-$GEN_CPU}
SW_CPUS=${SW_CPUS:-$SW_CPU}

usage() { header_help "$0"; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--sluiced) SLUICED=$2; shift ;;
	--switches) SWITCHES=$2; shift ;;
	--scenarios) SCENARIOS=$2; SCENARIOS_SET=1; shift ;;
	--reps) REPS=$2; shift ;;
	--warmup) WARMUP=$2; shift ;;
	--duration) DURATION=$2; shift ;;
	--workers) WORKERS=$2; shift ;;
	--out) OUT=$2; KEEP=1; shift ;;
	--keep) KEEP=1 ;;
	--smoke) SMOKE=1 ;;
	-h|--help) usage ;;
	*) echo "unknown option $1"; usage ;;
	esac
	shift
done

if [ "$SMOKE" = 1 ]; then
	REPS=1 WARMUP=1 DURATION=2
	[ "$SCENARIOS_SET" = 1 ] || SCENARIOS="S1 S3 S5"
fi

for sw in $SWITCHES; do
	case $sw in
	sluice|ovs|ceiling|sluice-xc) ;;
	*) die "unknown switch '$sw' (sluice, ovs, ceiling, sluice-xc)" ;;
	esac
done
scenario_cases "$SCENARIOS" > /dev/null || exit 1
case $WORKERS in
''|*[!0-9]*|0) die "--workers: a count from 1 to 16, not '$WORKERS'" ;;
esac
[ "$WORKERS" -le 16 ] || die "--workers: at most 16 (sluiced's queues per port)"
# From here on GEN_CPUS and SW_CPUS hold exactly WORKERS CPUs each; GEN_CPU
# and SW_CPU are their first (the generator's main lcore, OVS's stats).
GEN_CPUS=$(cpu_list_take "$WORKERS" "$GEN_CPUS") ||
	die "--workers $WORKERS needs $WORKERS CPUs in GEN_CPUS (has '${GEN_CPUS}')"
SW_CPUS=$(cpu_list_take "$WORKERS" "$SW_CPUS") ||
	die "--workers $WORKERS needs $WORKERS CPUs in SW_CPUS (has '${SW_CPUS}')"
GEN_CPU=${GEN_CPUS%%,*}
SW_CPU=${SW_CPUS%%,*}

bench_need_pvp 600
case " $SWITCHES " in *" sluice "*|*" sluice-xc "*)
	[ -x "$SLUICED" ] || missing "no sluiced at $SLUICED (build it, or --sluiced PATH)"
	SLUICED=$(readlink -f "$SLUICED") ;;
esac
case " $SWITCHES " in *" ovs "*)
	if ! ovs_available; then
		# A smoke run checks what it can; a benchmark needs its baseline.
		[ "$SMOKE" = 1 ] || die "OVS-DPDK missing: apt-get install openvswitch-switch-dpdk"
		log "OVS-DPDK missing (openvswitch-switch-dpdk): smoke run without it"
		SWITCHES=$(echo " $SWITCHES " | sed 's/ ovs / /')
	fi ;;
esac

bench_run_dir /tmp/sluice-pvp.XXXXXX

# record SCENARIO FLOWS SWITCH REP MPPS LOSS CPP METRIC NOTE
record() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS"
	log "$(printf '%-9s %-8s %-7s rep %s: %s Mpps, loss %s %%, %s cycles/pkt %s %s' "$@")"
}

# ---- one measurement ------------------------------------------------------

# switch_start SWITCH WORK SCENARIO: connect the switch to the generator's
# sockets and load the scenario's rules. Sets OF_TARGET ("" for none).
switch_start() {
	local sw=$1 work=$2 scen=$3
	OF_TARGET=
	case $sw in
	sluice)
		SLUICE_NO_PREFIXES=0
		[ "$scen" = S4 ] && SLUICE_NO_PREFIXES=1
		if [ "$SLUICE_AGENT" = 1 ]; then
			sluice_start "$work" "$GEN_SOCK0" "$GEN_SOCK1" agent || die "$SLUICE_ERR"
			OF_TARGET=$SLUICE_OF
		else
			sluice_start "$work" "$GEN_SOCK0" "$GEN_SOCK1" xconnect || die "$SLUICE_ERR"
		fi ;;
	sluice-xc)
		sluice_start "$work" "$GEN_SOCK0" "$GEN_SOCK1" xconnect || die "$SLUICE_ERR" ;;
	ovs)
		ovs_start "$work" "$GEN_SOCK0" "$GEN_SOCK1"
		[ "$scen" = S4 ] && ovs_table_prefixes_off
		OF_TARGET=$OVS_OF ;;
	ceiling)
		ceil_start "$work" "$GEN_SOCK0" "$GEN_SOCK1" ;;
	esac
	if [ -n "$OF_TARGET" ]; then
		local t0
		scenario_rules "$scen" > "$work/rules.txt"
		t0=$(now)
		ofctl_do "$OF_TARGET" add-flows "$work/rules.txt" ||
			die "$sw rejected the $scen rules ($work/rules.txt)"
		log "$sw: $(wc -l < "$work/rules.txt") $scen rules loaded with ovs-ofctl in" \
			"$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }') s"
	fi
}

switch_stop() {
	case $1 in
	sluice|sluice-xc) sluice_stop ;;
	ovs) ovs_stop ;;
	ceiling) ceil_stop ;;
	esac
}

switch_begin() {
	case $1 in
	sluice|sluice-xc) sluice_begin ;;
	ovs) ovs_begin ;;
	ceiling) ceil_begin ;;
	esac
}

# switch_end SWITCH: prints the switch's own cycles per packet ("-").
switch_end() {
	case $1 in
	sluice|sluice-xc) sluice_end ;;
	ovs) ovs_end | cut -d' ' -f1 ;;
	ceiling) ceil_end ;;
	esac
}

# window SWITCH WORK: measure DURATION seconds of traffic; prints
# "mpps loss cpp".
window() {
	local sw=$1 cpp res
	switch_begin "$sw"
	gen_measure_begin
	sleep "$DURATION"
	gen_measure_end
	cpp=$(switch_end "$sw")
	res=$("$PY" "$BENCH_DIR/pvp_stats.py" gen "$GEN_LOG" "$GEN_T0" "$GEN_T1") ||
		die "cannot parse the generator's counters ($GEN_LOG)"
	[ -n "$res" ] || return 1
	echo "$(echo "$res" | cut -d' ' -f1,2) ${cpp:--}"
}

# s5_flowmods: 100k flow-mods then a barrier (ofp_flowmods.py: messages
# pre-encoded, so the client's parsing is not timed); prints flow-mods/s.
s5_flowmods() {
	local out
	out=$(taskset -c "$CTL_CPU" "$PY" "$BENCH_DIR/ofp_flowmods.py" \
		burst "$OF_TARGET" "$1") || die "S5 flow-mods failed"
	set -- $out
	[ "$4" = 0 ] || log "S5: the switch answered $4 flow-mods with an error"
	echo "$3"
}

# s6_client_window MODE SWITCH WORKDIR: a window while ofp_flowmods.py
# MODE (churn or echo) sends 1000 messages a second; sets S6_R (the
# window's numbers) and S6_RATE (what the client's barriers confirmed).
s6_client_window() {
	local pid
	taskset -c "$CTL_CPU" "$PY" "$BENCH_DIR/ofp_flowmods.py" "$1" \
		"$OF_TARGET" 1000 $((DURATION + 30)) > "$3/$1.out" 2>&1 &
	pid=$!
	track_pid "$pid"
	sleep 2
	S6_R=$(window "$2") || die "measurement failed ($3)"
	stop_pid "$pid" # SIGTERM: it prints what it did and exits
	untrack_pid "$pid"
	S6_RATE=$(awk '{ print $3 }' "$3/$1.out")
	S6_RATE=${S6_RATE:-?}
}

measure() { # SWITCH SCENARIO FLOWS REP
	local sw=$1 scen=$2 flows=$3 rep=$4 work r rate
	work=$RUN_DIR/$scen-$flows-$sw-$rep
	mkdir -p "$work"
	if [ "$sw" = sluice ] && [ "$SLUICE_AGENT" = 0 ] && scenario_needs_rules "$scen"; then
		if [ "$scen" = S6 ]; then
			record S6.steady "$flows" "$sw" "$rep" - - - - "$SLUICE_AGENT_WHY"
			record S6.churn "$flows" "$sw" "$rep" - - - - "$SLUICE_AGENT_WHY"
			record S6.echo "$flows" "$sw" "$rep" - - - - "$SLUICE_AGENT_WHY"
		else
			record "$scen" "$flows" "$sw" "$rep" - - - - "$SLUICE_AGENT_WHY"
		fi
		return
	fi
	if [ "$sw" = ceiling ] && { [ "$scen" = S5 ] || [ "$scen" = S6 ]; }; then
		return # no OpenFlow: nothing to measure
	fi
	if [ "$sw" = sluice-xc ] && scenario_needs_rules "$scen"; then
		return # a cross-connect is S1's rule set and nothing else
	fi
	# S5 counts flow-mods: one flow, no traffic; FLOWS is the flow-mods.
	gen_start "$work" "$([ "$scen" = S5 ] && echo 1 || echo "$flows")"
	switch_start "$sw" "$work" "$scen"
	gen_wait_ready 60
	case $scen in
	S5)
		rate=$(s5_flowmods "$flows")
		record S5 "$flows" "$sw" "$rep" - - - "$rate" "flow-mods/s (100k + barrier)"
		;;
	S6)
		gen_cmd start
		sleep "$WARMUP"
		# Three windows: steady; churn, 1000 flow-mods/s on unrelated
		# rules from before the window to its end (the client reports
		# what barriers confirmed); and the control, echo, the same
		# client sending the same bytes as echo requests, which change
		# no rule. Their order rotates with the repetition, so that the
		# machine drifting within a repetition (it does, by up to 2x in
		# minutes) favours no window in the medians.
		local kinds=(steady churn echo) k i
		for i in 0 1 2; do
			k=${kinds[$(((rep - 1 + i) % 3))]}
			case $k in
			steady)
				r=$(window "$sw") || die "measurement failed ($work)"
				record S6.steady "$flows" "$sw" "$rep" $r "" "" ;;
			churn)
				s6_client_window churn "$sw" "$work"
				record S6.churn "$flows" "$sw" "$rep" $S6_R "" "$S6_RATE flow-mods/s confirmed by barriers" ;;
			echo)
				s6_client_window echo "$sw" "$work"
				record S6.echo "$flows" "$sw" "$rep" $S6_R "" "$S6_RATE echo requests/s confirmed by barriers" ;;
			esac
		done
		;;
	*)
		gen_cmd start
		sleep "$WARMUP"
		r=$(window "$sw") || die "measurement failed ($work)"
		if [ "$scen" = S4 ] && [ "$sw" != ceiling ]; then # no flow setup in io fwd
			record S4 "$flows" "$sw" "$rep" $r \
				"$(echo "$r" | awk '{ printf "%.0f", $1 * 1e6 }')" "flow setups/s"
		else
			record "$scen" "$flows" "$sw" "$rep" $r "" ""
		fi
		;;
	esac
	# Which rules the packets hit, for whoever reads the logs, read once
	# the traffic stopped: then every packet a switch received went
	# through a table-0 rule, or was dropped before it.
	gen_stop
	if [ -n "$OF_TARGET" ] && [ "$scen" != S5 ]; then
		ofctl_do "$OF_TARGET" dump-flows > "$work/flows-after.txt" 2>&1
	fi
	switch_stop "$sw"
	if [ "$sw" = sluice ] && [ -n "$OF_TARGET" ] && [ "$scen" != S5 ]; then
		sluice_counters_check "$work/flows-after.txt" "$SLUICE_LOG"
	fi
}

# ---- main -----------------------------------------------------------------

log "PVP benchmark in $RUN_DIR: switches '$SWITCHES', scenarios '$SCENARIOS'," \
	"$REPS reps, ${WARMUP}s warm-up, ${DURATION}s windows; generator CPUs $GEN_CPUS," \
	"switch datapath CPUs $SW_CPUS, control CPU $CTL_CPU"
printf '# %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC') $(uname -n) $(nproc) CPUs; $WORKERS switch core(s) (CPUs $SW_CPUS), generator CPUs $GEN_CPUS, control CPU $CTL_CPU; ${SLUICE_BENCH_VERSIONS:-DPDK $(dpkg-query -W -f '${Version}' dpdk 2>/dev/null), OVS $(dpkg-query -W -f '${Version}' openvswitch-switch-dpdk 2>/dev/null)}, sluice $(sluice_version)" > "$RESULTS"

SLUICE_AGENT=0
SLUICE_AGENT_WHY="needs the OpenFlow agent"
case " $SWITCHES " in *" sluice "*)
	mkdir -p "$RUN_DIR/probe"
	sluice_probe_agent "$RUN_DIR/probe"
	if [ "$SLUICE_AGENT" = 1 ]; then
		log "sluiced answers OpenFlow: scenarios load rules with ovs-ofctl"
	else
		log "sluiced: $SLUICE_AGENT_WHY; S1/S2 use its [xconnect], S3-S6 are skipped for it"
	fi ;;
esac

read -r -a SW_LIST <<< "$SWITCHES"
while read -r scen flows; do
	for rep in $(seq "$REPS"); do
		# Alternate the order: rep 1 runs a b c, rep 2 b c a, ...
		n=${#SW_LIST[@]}
		for i in $(seq 0 $((n - 1))); do
			measure "${SW_LIST[$(( (i + rep - 1) % n ))]}" "$scen" "$flows" "$rep"
		done
	done
done < <(scenario_cases "$SCENARIOS")

echo
if [ "$WORKERS" = 1 ]; then
	echo "PVP results: median of $REPS, Mpps received per switch core (both directions)," \
		"64-byte UDP, ${DURATION}s windows"
else
	echo "PVP results: median of $REPS, Mpps received per switch core with $WORKERS switch" \
		"cores (both directions; in all: x $WORKERS; setups/s and flow-mods/s are totals)," \
		"64-byte UDP, ${DURATION}s windows"
fi
head -1 "$RESULTS"
"$PY" "$BENCH_DIR/pvp_stats.py" table "$RESULTS" "$WORKERS"

# A switch that forwarded nothing is broken, whatever the machine's load.
dead=$(awk -F'\t' '!/^#/ && $5 != "-" && $5 != "" && $5 + 0 == 0 { print $1, $2, $3, "rep", $4 }' "$RESULTS")
if [ -n "$dead" ]; then
	echo "FAIL: no packet came back in:"
	echo "$dead"
	exit 3
fi
exit 0
}
