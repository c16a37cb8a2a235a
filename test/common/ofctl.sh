# The ovs-ofctl side of the golden-output tests (sourced, not run):
# test/ofagent/test_ofctl.sh (the agent harness: agent, real pipeline, fake
# runtime with fixed port counters) and test/integration/test_ofctl_suite.sh
# (the real sluiced, with traffic through veths between the steps). Each
# step prints a title line and what `ovs-ofctl -O OpenFlow13` printed,
# stdout and stderr, with what changes from run to run filtered out; the
# whole is compared with the test's expected text.
# The caller sets OFCTL_TARGET (tcp:127.0.0.1:PORT), and OFCTL_VERSION
# (default OpenFlow13) for another protocol version.

# ofctl_filter: durations, xids and log-line timestamps out.
ofctl_filter() {
	sed -E -e 's/duration=[0-9.]+s/duration=X/g' -e 's/duration:[0-9.]+s/duration:X/g' \
	    -e 's/duration=X?[0-9.]*s?$/duration=X/' \
	    -e 's/ \(xid=0x[0-9a-f]+\)//g' -e 's/^[0-9T:Z-]+\|[0-9]+\|([a-z_]+)\|/\1|/' \
	    -e 's/, +$//'
}

# ofctl_run [--OPTION] CMD [ARGS...]: ovs-ofctl [--OPTION] CMD TARGET ARGS,
# stdout and stderr, filtered.
ofctl_run() {
	local opt=()
	if [[ $1 == --* ]]; then opt=("$1"); shift; fi
	local cmd=$1; shift
	ovs-ofctl -O "${OFCTL_VERSION:-OpenFlow13}" "${opt[@]}" "$cmd" "$OFCTL_TARGET" "$@" 2>&1 |
		ofctl_filter
}

# ofctl_step [--OPTION] CMD [ARGS...]: the title "## --OPTION CMD ARGS"
# (an absent option or no ARGS leave their space: "##  dump-flows " is what
# the expected files hold), then ofctl_run.
ofctl_step() {
	local opt=()
	if [[ $1 == --* ]]; then opt=("$1"); shift; fi
	local cmd=$1; shift
	echo "## ${opt[*]} $cmd $*"
	ofctl_run "${opt[@]}" "$cmd" "$@"
}

# ofctl_expect EXPECTED ACTUAL: 0 if ACTUAL is EXPECTED (else the diff, and
# 1); with OFCTL_REGEN=1, ACTUAL becomes EXPECTED.
ofctl_expect() {
	if [ "${OFCTL_REGEN:-0}" = 1 ]; then
		cp "$2" "$1"
		echo "regenerated $1"
		return 0
	fi
	diff -u "$1" "$2"
}

# ofctl_harness HARNESS SECONDS: skip (exit 77) without ovs-ofctl; else start
# the agent harness (test/ofagent/agent_harness) for SECONDS on an ephemeral
# port, with a work folder $WORK, both cleaned up at exit (an EXIT trap),
# and set OFCTL_TARGET to it (tcp:127.0.0.1:PORT).
ofctl_harness() {
	if ! command -v ovs-ofctl >/dev/null; then
		echo "ovs-ofctl not installed (openvswitch-common): skipped"
		exit 77
	fi
	WORK=$(mktemp -d)
	HPID=
	trap ofctl_harness_cleanup EXIT
	"$1" 0 --seconds "$2" >"$WORK/harness.out" 2>"$WORK/harness.err" &
	HPID=$!
	for _ in $(seq 200); do
		grep -q listening "$WORK/harness.out" && break
		sleep 0.05
	done
	local port
	port=$(awk '/listening/{print $3}' "$WORK/harness.out")
	[ -n "$port" ] || { echo "harness did not start"; cat "$WORK/harness.err"; exit 1; }
	OFCTL_TARGET=tcp:127.0.0.1:$port
}

ofctl_harness_cleanup() {
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null && wait "$HPID" 2>/dev/null
	rm -rf "$WORK"
}
