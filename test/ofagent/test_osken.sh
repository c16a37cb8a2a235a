#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# os-ken controller (osken_agent_check.py) against the agent harness, which
# connects to it actively (tcp:127.0.0.1:PORT): handshake, flow-mods,
# barrier, stats, roles, packet-out -> pipeline -> packet-in. One session
# per VERSION (13, 14 or 15: the app speaks only that OpenFlow version;
# default 13).
#   test_osken.sh HARNESS_BINARY [VERSION...]
set -u
HARNESS=${1:?usage: $0 agent_harness [13|14|15...]}
shift
OSKEN=/usr/bin/osken-manager
if [ ! -x "$OSKEN" ]; then
	echo "osken-manager not installed (python3-os-ken): skipped"
	exit 77
fi
DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
OPID= HPID=
cleanup() {
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null
	[ -n "$OPID" ] && kill "$OPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
# run VERSION: one session; its result line printed, 0 if it passed
run() {
	local port
	port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	export SL_OSKEN_RESULT=$WORK/result$1 SL_OSKEN_OFP=$1
	/usr/bin/python3 "$OSKEN" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" \
		"$DIR/osken_agent_check.py" >"$WORK/osken$1.log" 2>&1 &
	OPID=$!
	"$HARNESS" 0 --active "tcp:127.0.0.1:$port" --seconds 60 >"$WORK/harness$1.out" 2>&1 &
	HPID=$!
	for _ in $(seq 300); do
		[ -s "$SL_OSKEN_RESULT" ] && break
		sleep 0.1
	done
	kill "$HPID" "$OPID" 2>/dev/null
	wait 2>/dev/null
	OPID= HPID=
	if [ ! -s "$SL_OSKEN_RESULT" ]; then
		echo "FAIL: OpenFlow $1: no result from the os-ken app"; tail -20 "$WORK/osken$1.log"
		return 1
	fi
	echo "OpenFlow $1: $(cat "$SL_OSKEN_RESULT")"
	grep -q '^PASS' "$SL_OSKEN_RESULT"
}
[ $# -gt 0 ] || set -- 13
for v in "$@"; do
	run "$v" || exit 1
done
