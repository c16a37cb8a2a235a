# SPDX-License-Identifier: BSD-3-Clause
#
# Shared helpers of the PVP benchmark (sourced by pvp.sh and the switch
# drivers). Everything a run starts is recorded here so that one EXIT trap
# stops it: process ids, network namespaces, DPDK file prefixes and files.

BENCH_PIDS=()     # processes to stop on exit (SIGTERM, then SIGKILL)
BENCH_NETNS=()    # network namespaces to delete on exit
BENCH_PREFIXES=() # DPDK --file-prefix values: runtime dirs and hugepage files
# The start of every DPDK file prefix and network namespace a run creates
# (SLUICE_BENCH_TAG, default slb), so that runs sharing a machine keep apart.
BENCH_TAG=${SLUICE_BENCH_TAG:-slb}

# The Python that runs the helpers (stdlib only): the system's, not a
# user's pyenv or venv; SLUICE_BENCH_PYTHON overrides, e.g. on a host whose
# only python3 is elsewhere.
PY=${SLUICE_BENCH_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=$(command -v python3 || echo /usr/bin/python3)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# header_help SCRIPT: SCRIPT's header comment (line 2 up to "set -u"),
# without the comment marks: the scripts' --help.
header_help() { sed -n '2,/^set -u/p' "$1" | sed -e 's/^# \{0,1\}//' -e '/^set -u/d'; }
die() { log "ERROR: $*"; exit 1; }

# missing WHAT: a prerequisite is absent: an error, or "skipped" (77) for
# --smoke (SMOKE=1), the way test suites expect.
missing() {
	[ "${SMOKE:-0}" = 1 ] && { echo "SKIP: $*"; exit 77; }
	die "$*"
}

# bench_need_pvp HUGEPAGES: what a PVP run needs (missing() otherwise):
# root, dpdk-testpmd (TESTPMD), ovs-ofctl, HUGEPAGES free 2 MiB hugepages.
bench_need_pvp() {
	local free_hp
	[ "$(id -u)" = 0 ] || missing "needs root (hugepages, vhost-user sockets, network namespaces)"
	[ -n "$TESTPMD" ] || missing "dpdk-testpmd not found (Debian package dpdk)"
	command -v ovs-ofctl > /dev/null || missing "ovs-ofctl not found (Debian package openvswitch-common)"
	free_hp=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	[ "${free_hp:-0}" -ge "$1" ] || missing "needs about $1 free 2 MiB hugepages, has ${free_hp:-0}"
}

# bench_run_dir TEMPLATE: the run's directory, OUT (made) when set, else a
# new one (mktemp -d TEMPLATE); sets RUN_DIR and RESULTS (results.tsv
# there) and the traps: at exit everything recorded here is stopped
# (bench_cleanup) and the directory removed, unless KEEP=1 or the run
# failed (its logs are kept).
bench_run_dir() {
	if [ -n "${OUT:-}" ]; then
		mkdir -p "$OUT" || die "cannot create $OUT"
		RUN_DIR=$(readlink -f "$OUT")
	else
		RUN_DIR=$(mktemp -d "$1")
	fi
	RESULTS=$RUN_DIR/results.tsv
	trap bench_on_exit EXIT
	trap 'exit 1' INT TERM
	trap '' PIPE # a dead testpmd is reported by its checks, not by SIGPIPE
}
bench_on_exit() {
	local rc=$?
	bench_cleanup
	if [ "${KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then
		log "logs and results kept in $RUN_DIR"
	else
		rm -rf "$RUN_DIR"
	fi
}

# stop_pid PID: SIGTERM, wait up to 5 s, then SIGKILL. Only processes this
# run started are ever passed here.
stop_pid() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

track_pid() { BENCH_PIDS+=("$1"); }
untrack_pid() {
	local i
	for i in "${!BENCH_PIDS[@]}"; do
		[ "${BENCH_PIDS[$i]}" = "$1" ] && unset 'BENCH_PIDS[i]'
	done
}
track_netns() { BENCH_NETNS+=("$1"); }
track_prefix() { BENCH_PREFIXES+=("$1"); }

# cleanup_prefix PREFIX: what a killed DPDK process leaves behind.
cleanup_prefix() {
	rm -rf "/var/run/dpdk/$1"
	rm -f /dev/hugepages/"$1"map_* /dev/hugepages/"$1"-* 2>/dev/null
}

bench_cleanup() {
	local pid ns p
	# Newest first: switches before generators, so nobody reconnects.
	for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
		pid=${BENCH_PIDS[$i]:-}
		[ -n "$pid" ] && stop_pid "$pid"
	done
	BENCH_PIDS=()
	for ns in "${BENCH_NETNS[@]}"; do
		ip netns delete "$ns" 2>/dev/null
	done
	BENCH_NETNS=()
	for p in "${BENCH_PREFIXES[@]}"; do
		cleanup_prefix "$p"
	done
	BENCH_PREFIXES=()
}

# wait_for SECONDS FILE REGEX [COUNT]: until FILE has COUNT matching lines.
wait_for() {
	local t=$(( $1 * 10 )) file=$2 re=$3 want=${4:-1} n
	while [ "$t" -gt 0 ]; do
		n=$(grep -c -E -- "$re" "$file" 2>/dev/null)
		[ "${n:-0}" -ge "$want" ] && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

now() { date +%s.%N; }

# ofctl_do TARGET VERB [ARGS...]: ovs-ofctl in OpenFlow 1.3 against any switch
# (OVS through its unix socket, sluiced through tcp:127.0.0.1:PORT).
ofctl_do() { # TARGET VERB [ARGS...]
	local target=$1 verb=$2
	shift 2
	ovs-ofctl -O OpenFlow13 "$verb" "$target" "$@"
}

# cpu_list_take N LIST: the first N CPUs of a comma-separated LIST, comma-
# separated; fails when LIST has fewer.
cpu_list_take() {
	local n=$1 out= c i=0
	local IFS=,
	for c in $2; do
		[ "$i" -lt "$n" ] || break
		out=${out:+$out,}$c
		i=$((i + 1))
	done
	[ "$i" = "$n" ] || return 1
	echo "$out"
}

# cpu_mask LIST: the hex mask of a comma-separated CPU list.
cpu_mask() {
	local m=0 c
	local IFS=,
	for c in $1; do
		m=$((m | (1 << c)))
	done
	printf '0x%x' "$m"
}
