#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# sluicectl capture on vhost-user ports (issue 22), which dpdk-dumpcap
# cannot see (rte_vhost ports are no ethdevs; test_capture.sh covers it on
# ethdevs). testpmd's two virtio_user ports stand in for two VMs on
# sluiced's vhost-user ports a and b; NORMAL (standalone, no controller)
# floods each frame to the other port. testpmd sends one burst of 32 frames
# from each port; tshark, an independent parser, reads the files back:
#   1. two captures at once: a, both directions, 64 frames into a file;
#      b, rx only, 32 frames to stdout. Each file holds exactly the frames
#      sent, with the port's name as the interface, the right direction
#      (pcapng epb_flags) and source address, and sluicectl exits 0.
#   2. --count 40 of 64 frames, --json: exactly 40 written, the state says
#      so, and the capture is over (a second capture of a works at once).
#   3. refusals: an unknown port, a bad count, no such session, a request
#      with a relative path straight to sluiced, the same port twice.
#
# Needs root, hugepages, dpdk-testpmd and tshark; exits 77 without them.
# usage: test_capture_vhost.sh SLUICED
set -u
SLUICED=$(readlink -f "${1:?usage: test_capture_vhost.sh PATH/TO/sluiced}")
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
TESTPMD=$(command -v dpdk-testpmd || true)
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (hugepages, vhost sockets)"
[ -n "$TESTPMD" ] || skip "dpdk-testpmd not installed (package dpdk)"
command -v tshark > /dev/null || skip "tshark not installed"
free_hp=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
[ "${free_hp:-0}" -ge 400 ] || skip "needs 400 free 2 MiB hugepages, has ${free_hp:-0}"

T=$(mktemp -d /tmp/"${SL_IT_PREFIX:-sl}"-capv.XXXXXX)
PREFIX=${SL_IT_PREFIX:-sl}-capv-$$
SOCK=$T/mgmt.sock
MAC0=02:c0:00:00:00:01
MAC1=02:c0:00:00:00:02
PID=
TP_PID=
BG=
cleanup() {
	exec 9>&- 2>/dev/null
	for p in $BG $TP_PID $PID; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "/var/run/dpdk/$PREFIX-sl" "/var/run/dpdk/$PREFIX-tp" "$T"
	rm -f /dev/hugepages/"$PREFIX"-*
}
trap cleanup EXIT
trap '' PIPE
fail() {
	echo "FAIL: $*"
	for f in "$T"/*.log "$T"/*.err; do
		[ -f "$f" ] && { echo "----- $f"; grep -v '^VHOST_CONFIG' "$f" | tail -20; }
	done
	exit 1
}
# wait_for SECONDS FILE REGEX [COUNT]
wait_for() {
	local t=$(( $1 * 10 )) n
	while [ "$t" -gt 0 ]; do
		n=$(grep -c -E -- "$3" "$2" 2>/dev/null)
		[ "${n:-0}" -ge "${4:-1}" ] && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}
ctl() { "$CTL" -s "$SOCK" "$@"; }
tp_cmd() { echo "$*" >&9 || fail "testpmd is gone"; }
# tp_burst N: testpmd sends N bursts of 32 frames from each port at once
# (tx_first), then only receives.
TP_DONE=0
tp_burst() {
	tp_cmd "start tx_first $1"
	sleep 1
	tp_cmd stop
	TP_DONE=$((TP_DONE + 1))
	wait_for 20 "$T/tp.log" 'Done\.$' "$TP_DONE" || fail "testpmd did not stop"
}

mkfifo "$T/tp.fifo"
stdbuf -oL "$TESTPMD" -l 0,1 --main-lcore 1 --no-pci --single-file-segments \
	--file-prefix="$PREFIX-tp" -m 256 \
	"--vdev=net_virtio_user0,path=$T/a.sock,server=1,queues=1,mac=$MAC0" \
	"--vdev=net_virtio_user1,path=$T/b.sock,server=1,queues=1,mac=$MAC1" -- \
	-i --forward-mode=rxonly --total-num-mbufs=8192 < "$T/tp.fifo" > "$T/tp.log" 2>&1 &
TP_PID=$!
exec 9> "$T/tp.fifo"

cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $SOCK
state_file = none
[dpdk]
eal_args = --no-pci --file-prefix=$PREFIX-sl -m 256 --log-level=lib.eal:warning
[openflow]
listen = ptcp:0
fail_mode = standalone
[port:a]
type = vhost-user
path = $T/a.sock
mode = client
ofport = 1
[port:b]
type = vhost-user
path = $T/b.sock
mode = client
ofport = 2
INI
"$SLUICED" -c "$T/sl.ini" > "$T/sluiced.log" 2>&1 &
PID=$!
wait_for 60 "$T/sluiced.log" 'port [ab]: link up' 2 || fail "vhost ports did not come up"
wait_for 30 "$T/tp.log" '^testpmd> ' || fail "no testpmd prompt"

# ---- 1. two captures at once ---------------------------------------------
ctl -t 60 capture a --count 64 --both "$T/a.pcapng" > "$T/cap_a.out" 2> "$T/cap_a.err" &
CA=$!
ctl -t 60 capture b --rx --count 32 - > "$T/b.pcapng" 2> "$T/cap_b.err" &
CB=$!
BG="$CA $CB"
wait_for 20 "$T/sluiced.log" 'capture [0-9]: port [ab] ' 2 || fail "captures not armed"
tp_burst 1
wait "$CA" || fail "capture of a exited $? ($(cat "$T/cap_a.err"))"
wait "$CB" || fail "capture of b exited $? ($(cat "$T/cap_b.err"))"
BG=
grep -q 'count reached' "$T/cap_a.out" || fail "capture a: $(cat "$T/cap_a.out")"

# check_file FILE IFACE EXPECTED...: tshark's interface, direction (pcapng
# epb_flags: IN, OUT), source and length of each frame, counted, equal
# EXPECTED ("COUNT DIR SRC" lines, sorted)
IN=0x00000001
OUT=0x00000002
check_file() {
	local f=$1 ifc=$2 got
	shift 2
	tshark -r "$f" -T fields -e frame.interface_name -e frame.packet_flags_direction \
		-e eth.src -e frame.len > "$f.txt" 2> "$f.terr" || fail "tshark $f: $(cat "$f.terr")"
	awk -v ifc="$ifc" '$1 != ifc || $4 != 64 { print "bad frame: " $0; exit 1 }' "$f.txt" ||
		fail "$f: $(head -3 "$f.txt")"
	got=$(awk '{ print $2, $3 }' "$f.txt" | sort | uniq -c | awk '{ print $1, $2, $3 }')
	[ "$got" = "$(printf '%s\n' "$@")" ] || fail "$f holds '$got', expected '$*'"
	echo "  $f: $(wc -l < "$f.txt") frames: $(echo $got)"
}
check_file "$T/a.pcapng" a "32 $IN $MAC0" "32 $OUT $MAC1"
check_file "$T/b.pcapng" b "32 $IN $MAC1"
echo "PASS 1: two captures at once, a both ways into a file, b rx to stdout"

# ---- 2. the capture stops after N; --json ----------------------------------
ctl --json -t 60 capture a --count 40 --rx "$T/c.pcapng" > "$T/cap_c.json" 2> "$T/cap_c.err" &
CA=$!
BG=$CA
wait_for 20 "$T/sluiced.log" 'capture [0-9]: port a rx,' 1 || fail "capture not armed"
tp_burst 2
wait "$CA" || fail "capture --count 40 exited $? ($(cat "$T/cap_c.err"))"
BG=
/usr/bin/python3 - "$T/cap_c.json" <<'PY' || fail "JSON answer: $(cat "$T/cap_c.json")"
import json, sys
c = json.load(open(sys.argv[1]))["capture"][0]
assert c["port"] == "a" and c["direction"] == "rx", c
assert c["count"] == 40 and c["written"] == 40, c
assert c["state"] == "count reached", c
assert c["ring_full"] == 0 and c["no_mbuf"] == 0 and c["write_errors"] == 0, c
PY
check_file "$T/c.pcapng" a "40 $IN $MAC0"
echo "PASS 2: --count 40 of 64 frames, JSON answer"

# ---- 3. refusals ------------------------------------------------------------
refused() { # WHAT REGEX CMD...: exit 1 and the message
	local what=$1 re=$2 rc=0
	shift 2
	"$@" > /dev/null 2> "$T/ref.err" || rc=$?
	[ "$rc" = 1 ] && grep -q -E "$re" "$T/ref.err" ||
		fail "$what: exit $rc, '$(cat "$T/ref.err")'"
}
refused "unknown port" 'no port "nosuch"' ctl capture nosuch --count 1 "$T/x.pcapng"
refused "count 0" 'count is 1 to' ctl capture a --count 0 "$T/x.pcapng"
refused "bad session" 'no session 3' ctl capture --stop 3
refused "relative path" 'absolute path' /usr/bin/env SLUICE_MGMT_SOCKET="$SOCK" \
	/usr/bin/python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(os.environ["SLUICE_MGMT_SOCKET"])
s.sendall(b"capture a rel.pcapng\n"); a = s.makefile().read()
sys.stderr.write(a); sys.exit(1 if a.startswith("ERROR") else 0)'
ctl -t 30 capture a --count 1 "$T/d.pcapng" > /dev/null 2>&1 &
BG=$!
wait_for 20 "$T/sluiced.log" 'capture [0-9]: port a rx\+tx,' 2 || fail "capture not armed"
refused "same port twice" 'being captured already' ctl capture a --count 1 "$T/e.pcapng"
tp_burst 1
wait "$BG" || fail "capture of 1 frame failed"
BG=
echo "PASS 3: refusals"

kill -INT "$PID"
wait "$PID" || fail "sluiced exited $?"
PID=
! grep -E -q 'runtime error:|AddressSanitizer|LeakSanitizer' "$T/sluiced.log" ||
	fail "sanitizer report in sluiced's log"
echo "PASS capture_vhost"
