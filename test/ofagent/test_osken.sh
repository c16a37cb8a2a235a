#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# os-ken controller (osken_agent_check.py) against the agent harness, which
# connects to it actively (tcp:127.0.0.1:PORT): handshake, flow-mods,
# barrier, stats, roles, packet-out -> pipeline -> packet-in.
#   test_osken.sh HARNESS_BINARY
set -u
HARNESS=${1:?usage: $0 agent_harness}
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
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export SL_OSKEN_RESULT=$WORK/result
/usr/bin/python3 "$OSKEN" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$PORT" \
	"$DIR/osken_agent_check.py" >"$WORK/osken.log" 2>&1 &
OPID=$!
"$HARNESS" 0 --active "tcp:127.0.0.1:$PORT" --seconds 60 >"$WORK/harness.out" 2>&1 &
HPID=$!
for _ in $(seq 300); do
	[ -s "$WORK/result" ] && break
	sleep 0.1
done
if [ ! -s "$WORK/result" ]; then
	echo "FAIL: no result from the os-ken app"; tail -20 "$WORK/osken.log"; exit 1
fi
cat "$WORK/result"
grep -q '^PASS' "$WORK/result"
