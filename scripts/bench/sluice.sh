# SPDX-License-Identifier: BSD-3-Clause
#
# sluiced in the PVP benchmark. Its configuration is built from
# templates/sluiced-pvp.ini.in (two vhost-user client ports, ofports 1 and 2,
# control lcore CTL_CPU, a worker on each CPU of SW_CPUS, WORKERS queue
# pairs per port) plus either
# templates/sluiced-xconnect.ini.in (S1/S2 while there is no OpenFlow agent)
# or templates/sluiced-agent.ini.in (a ptcp listener: the scenario's rules
# are then loaded with ovs-ofctl, exactly as for OVS).
#
# sluice_probe_agent WORKDIR: sets SLUICE_AGENT=1 when sluiced accepts the
#   agent configuration and answers "ovs-ofctl show"; else SLUICE_AGENT=0
#   and SLUICE_AGENT_WHY.
# sluice_start WORKDIR SOCK0 SOCK1 MODE: MODE "xconnect" or "agent";
#   SLUICE_OF is the ovs-ofctl target in agent mode.
# sluice_begin / sluice_end: telemetry snapshots of /sluice/workers;
#   sluice_end prints the worker's busy cycles per packet in between.

SLUICED=${SLUICED:-}
SLUICE_OFPORT=${SLUICE_OFPORT:-16653}
SLUICE_PID=

# sluice_version: what the results header says about the sluiced under
# test: its own --version (the build it was made from), or for a binary
# older than that option the checkout's git describe, marked as such.
sluice_version() {
	local v
	v=$("$SLUICED" --version 2>/dev/null | sed -n 's/^sluiced //p' | head -1)
	[ -n "$v" ] && { echo "$v"; return; }
	echo "$(git -C "$REPO" describe --always --dirty 2>/dev/null) (the checkout's; $SLUICED has no --version)"
}

# sluice_config WORKDIR SOCK0 SOCK1 MODE > FILE
sluice_config() {
	local tpl=$BENCH_DIR/templates extra
	case $4 in
	xconnect) extra=$tpl/sluiced-xconnect.ini.in ;;
	agent) extra=$tpl/sluiced-agent.ini.in ;;
	*) die "sluice_config: mode $4" ;;
	esac
	# [switch] keys the environment adds, one line each, after "workers":
	# S4 (SLUICE_NO_PREFIXES=1): no prefix tracking, as OVS gets prefixes=none,
	# so that every new nw_dst needs its own decision in both switches.
	# SLUICE_MISS_HANDLING=inline|handler overrides the default, to compare.
	# SLUICE_HEAP_RESERVE_MB (default 256; 0: sluiced's default, and a
	# configuration that sluiced builds older than the key accept): the
	# rule heap faulted in at start, so that S5 times flow-mods, not the
	# VM's first-touch page faults (docs/tuning.md, heap_reserve_mb).
	# SLUICE_EMC_INV_PROB=N sets emc_insert_inv_prob (0: no EMC), to
	# compare the EMC's gate with no EMC at all.
	local keys='' mb=${SLUICE_HEAP_RESERVE_MB:-256}
	[ "${SLUICE_NO_PREFIXES:-0}" != 1 ] || keys+="prefix_tracking = no\n"
	[ -z "${SLUICE_MISS_HANDLING:-}" ] || keys+="miss_handling = $SLUICE_MISS_HANDLING\n"
	[ "$mb" = 0 ] || keys+="heap_reserve_mb = $mb\n"
	[ -z "${SLUICE_EMC_INV_PROB:-}" ] || keys+="emc_insert_inv_prob = $SLUICE_EMC_INV_PROB\n"
	local add='s|^$||'
	[ -z "$keys" ] || add="/^workers = /a ${keys%\\n}"
	cat "$tpl/sluiced-pvp.ini.in" "$extra" | sed \
		-e "$add" \
		-e "s|@CTL_CPU@|$CTL_CPU|g" -e "s|@SW_CPUS@|${SW_CPUS:-$SW_CPU}|g" \
		-e "s|@QUEUES@|${WORKERS:-1}|g" -e "s|@MEM@|$((128 + 128 * ${WORKERS:-1}))|g" \
		-e "s|@PREFIX@|$SLUICE_PREFIX|g" -e "s|@SOCK0@|$2|g" \
		-e "s|@SOCK1@|$3|g" -e "s|@OFPORT@|$SLUICE_OFPORT|g"
}

# Returns 1 with SLUICE_ERR set when sluiced does not come up.
sluice_start() {
	local work=$1 mode=$4 t=300
	SLUICE_PREFIX=$BENCH_TAG-sl-$$
	SLUICE_LOG=$work/sluiced.log
	SLUICE_OF=tcp:127.0.0.1:$SLUICE_OFPORT
	SLUICE_ERR=
	sluice_config "$work" "$2" "$3" "$mode" > "$work/sluiced.ini"
	track_prefix "$SLUICE_PREFIX"
	: > "$SLUICE_LOG" # exists before the loop below greps it
	"$SLUICED" -c "$work/sluiced.ini" > "$SLUICE_LOG" 2>&1 &
	SLUICE_PID=$!
	track_pid "$SLUICE_PID"
	until grep -q 'sluiced: forwarding' "$SLUICE_LOG"; do
		kill -0 "$SLUICE_PID" 2>/dev/null || { SLUICE_ERR="sluiced exited ($SLUICE_LOG)"; return 1; }
		t=$((t - 1))
		[ "$t" -gt 0 ] || { SLUICE_ERR="sluiced did not start forwarding in 30 s ($SLUICE_LOG)"; return 1; }
		sleep 0.1
	done
	[ "$mode" = agent ] || return 0
	t=50
	until ofctl_do "$SLUICE_OF" show > /dev/null 2>&1; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || { SLUICE_ERR="sluiced does not answer ovs-ofctl on $SLUICE_OF"; return 1; }
		sleep 0.1
	done
	ofctl_do "$SLUICE_OF" del-flows
}

sluice_stop() {
	[ -n "$SLUICE_PID" ] || return 0
	kill -INT "$SLUICE_PID" 2>/dev/null
	stop_pid "$SLUICE_PID"
	untrack_pid "$SLUICE_PID"
	SLUICE_PID=
	cleanup_prefix "$SLUICE_PREFIX"
}

sluice_probe_agent() {
	local work=$1 out
	SLUICE_AGENT=0
	SLUICE_PREFIX=$BENCH_TAG-sl-$$
	sluice_config "$work" "$work/none0.sock" "$work/none1.sock" agent > "$work/probe.ini"
	if ! out=$("$SLUICED" -c "$work/probe.ini" --check-config 2>&1); then
		SLUICE_AGENT_WHY="needs the OpenFlow agent (sluiced rejects the listener in templates/sluiced-agent.ini.in: $(echo "$out" | grep -m1 -v '^ *$' | sed -E 's/.*error: [^:]*:[0-9]+: //' | cut -c1-80))"
		return 0
	fi
	if sluice_start "$work" "$work/none0.sock" "$work/none1.sock" agent; then
		SLUICE_AGENT=1
	else
		SLUICE_AGENT_WHY="needs the OpenFlow agent ($SLUICE_ERR)"
	fi
	sluice_stop
}

# sluice_counters_check FLOWS LOG: once the traffic stopped, every packet
# a worker received and did not drop before its lookup went through a
# table-0 rule, and sluiced's counters must say so exactly (lazy crediting
# pushes a worker's counts when it runs dry). FLOWS: dump-flows read then;
# LOG: sluiced's log with its exit statistics. Logs what it found: a
# mismatch is a bug to report, not a number compared with a target.
sluice_counters_check() {
	local rules rx drops
	rules=$(awk '/ table=0,/ && match($0, /n_packets=[0-9]+/) {
		s += substr($0, RSTART + 10, RLENGTH - 10) } END { print s + 0 }' "$1")
	rx=$(awk '/worker lcore [0-9]+: rx / { for (i = 1; i < NF; i++) if ($i == "rx") s += $(i + 1) }
		END { print s + 0 }' "$2")
	drops=$(awk '/fast path:/ { for (i = 1; i < NF; i++)
		if ($i == "handler_drops" || $i == "budget_drops") s += $(i + 1) } END { print s + 0 }' "$2")
	if [ "$rules" = $((rx - drops)) ]; then
		log "sluice counters exact: table-0 rules $rules packets = $rx received - $drops dropped before a lookup"
	else
		log "sluice counters MISMATCH: table-0 rules $rules packets, $rx received, $drops dropped before a lookup ($1, $2)"
	fi
}

# Telemetry snapshots: "busy_cycles rx_packets" of the worker(s).
sluice_begin() {
	SLUICE_SNAP=$("$PY" "$BENCH_DIR/pvp_stats.py" sluice-workers "$SLUICE_PREFIX" 2>/dev/null)
}

sluice_end() {
	local after
	after=$("$PY" "$BENCH_DIR/pvp_stats.py" sluice-workers "$SLUICE_PREFIX" 2>/dev/null)
	if [ -n "$SLUICE_SNAP" ] && [ -n "$after" ]; then
		"$PY" "$BENCH_DIR/pvp_stats.py" cpp "$SLUICE_SNAP" "$after"
	else
		echo -
	fi
}
