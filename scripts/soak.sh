#!/bin/bash
# Soak: sluiced under mixed traffic, flow churn and controller reconnects
# for MINUTES (default 2), under AddressSanitizer when an ASan build is
# there. Then:
#   - every frame sent is received or in a named drop counter (the table:
#     sent, received at each sink, each drop counter, unaccounted = 0);
#   - the stable rules' counters equal the traffic they saw;
#   - no sanitizer report (leaks included) in sluiced's log, exit 0;
#   - RSS is flat: sampled every 10 s, the last minute's highest is at most
#     10 % over the first sample after the warm-up (30 s).
# Exits non-zero on any violation.
#
#   scripts/soak.sh [MINUTES] [SLUICED]
#
# SLUICED defaults to build-asan/sluiced/sluiced when it exists, else
# build/sluiced/sluiced. Needs root, hugepages, ovs-ofctl and dpdk-testpmd
# (exits 77 without them).
#
# Ports: a and b (af_packet on veths ska/skb), t (net_tap skt), vm (vhost-user,
# dpdk-testpmd's virtio_user as the guest, rxonly). Traffic (0x88b5 frames
# unless said):
#   a -> b      2000/s    rule R1 in_port=a,dl_dst=..:02 -> b
#   t -> a      1000/s    rule R2 in_port=t,0x88b5 -> a
#   b -> vm     1000/s    rule R3 in_port=b -> vm          (guest counts RX)
#   vm -> t     64 every 5 s from the guest (testpmd tx_first, IPv4)
#                         rule R4 in_port=vm -> t
#   a -> ctl    100/s     rule R5 in_port=a,dl_dst=..:0c -> CONTROLLER
# Churn: 50 flow-mods added and deleted every half second (rules that no
# frame matches; each change still makes the workers revalidate). The
# controller (fault_tool.py pinctl) disconnects every 10 s and comes back;
# packet-ins meanwhile are counted as "no controller".
set -uo pipefail
MINUTES=${1:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${2:-}" ]; then
	SLUICED=$2
elif [ -x "$ROOT/build-asan/sluiced/sluiced" ]; then
	SLUICED=$ROOT/build-asan/sluiced/sluiced
else
	SLUICED=$ROOT/build/sluiced/sluiced
fi
SLUICED=$(readlink -f "$SLUICED")
. "$ROOT/test/integration/lib.sh"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root"
[ -x "$SLUICED" ] || { echo "FAIL: $SLUICED is not executable"; exit 1; }
TESTPMD=$(command -v dpdk-testpmd || true)
[ -n "$TESTPMD" ] || skip "dpdk-testpmd not installed (package dpdk)"
command -v ovs-ofctl >/dev/null || skip "ovs-ofctl missing"
free_hp=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
[ "${free_hp:-0}" -ge 400 ] || skip "needs 400 free 2 MiB hugepages, has ${free_hp:-0}"
# A small quarantine: ASan's default (256 MiB of freed memory held back)
# would read as RSS growth for the whole run. Appended, so that it holds
# when the caller set ASAN_OPTIONS too (scripts/test.sh sets detect_leaks=1:
# the first CI run read +39 % RSS from the quarantine filling up).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=16"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

DURATION=$(awk -v m="$MINUTES" 'BEGIN { printf "%d", m * 60 }')
[ "$DURATION" -ge 60 ] || { echo "FAIL: at least 1 minute"; exit 2; }
T=$(mktemp -d /tmp/sk-soak.XXXXXX)
FLT_PREFIX=sk-soak-$$
TP_PREFIX=sk-soaktp-$$
PORT=${SK_SOAK_PORT:-16690}
CTL=$((PORT + 1))
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
TAP=skt
PID=
TP_PID=
BG=()
cleanup() {
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -n "$TP_PID" ] && kill -KILL "$TP_PID" 2>/dev/null || true
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	exec 9>&- 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths ska skb
	rm -rf "/var/run/dpdk/$FLT_PREFIX" "/var/run/dpdk/$TP_PREFIX"
	rm -f /dev/hugepages/"$FLT_PREFIX"* /dev/hugepages/"$TP_PREFIX"*
	if [ "${SK_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
trap '' PIPE
echo "soak: $MINUTES min, $SLUICED"

# ---- the guest --------------------------------------------------------------
mkfifo "$T/tp.fifo"
stdbuf -oL "$TESTPMD" -l 0,1 --main-lcore 1 --no-pci --single-file-segments \
	--file-prefix="$TP_PREFIX" -m 256 \
	"--vdev=net_virtio_user0,path=$T/vm.sock,server=1,queues=1,queue_size=1024" -- \
	-i --forward-mode=rxonly --total-num-mbufs=8192 --rxd=1024 --txd=1024 \
	< "$T/tp.fifo" > "$T/tp.log" 2>&1 &
TP_PID=$!
exec 9> "$T/tp.fifo"
tp_cmd() { echo "$*" >&9 || it_fail "testpmd is gone (command: $*)"; }
# tp_stat FIELD: testpmd's FIELD (RX-packets, TX-packets) of port 0, now
tp_stat() {
	local n
	n=$(grep -c 'NIC statistics for port 0' "$T/tp.log" || true)
	tp_cmd "show port stats 0"
	for _ in $(seq 100); do
		[ "$(grep -c 'NIC statistics for port 0' "$T/tp.log" || true)" -gt "$n" ] && break
		sleep 0.1
	done
	sleep 0.3
	awk -v f="$1:" '/NIC statistics for port 0/ { b = 1 } b { for (i = 1; i < NF; i++) if ($i == f) v = $(i + 1) } END { print v + 0 }' "$T/tp.log"
}

# ---- sluiced ----------------------------------------------------------------
it_veths ska skb
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --no-pci --file-prefix=$FLT_PREFIX -m 512 --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT
controllers = tcp:127.0.0.1:$CTL
max_backoff = 1
[port:vm]
type = vhost-user
path = $T/vm.sock
mode = client
ofport = 4
[port:t]
type = dpdk
devargs = net_tap_sk$$,iface=$TAP
ofport = 3
INI
it_afp_port "$T/sl.ini" a ska0 1 ",framecnt=4096"
it_afp_port "$T/sl.ini" b skb0 2 ",framecnt=4096"
it_start_sluiced "$SLUICED" "$T/sl.ini"
sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1" || true
for _ in $(seq 300); do grep -q 'port vm: link up' "$T/log" && break; sleep 0.1; done
grep -q 'port vm: link up' "$T/log" || it_fail "the vhost port did not come up"
for _ in $(seq 100); do grep -q '^testpmd> ' "$T/tp.log" && break; sleep 0.1; done
tp_cmd "start"
$OF add-flow $SW "cookie=0x51,priority=10,in_port=1,dl_dst=02:00:00:00:00:02,actions=output:2"
$OF add-flow $SW "cookie=0x52,priority=10,in_port=3,dl_type=0x88b5,actions=output:1"
$OF add-flow $SW "cookie=0x53,priority=10,in_port=2,actions=output:4"
$OF add-flow $SW "cookie=0x54,priority=10,in_port=4,actions=output:3"
$OF add-flow $SW "cookie=0x55,priority=10,in_port=1,dl_dst=02:00:00:00:00:0c,actions=CONTROLLER:65535"
sleep 2 # the tap's start-up chatter is over

# rules: "R1 R2 R3 R4 R5" packet counts
rules() {
	$OF dump-flows $SW "cookie=0x50/0xf0" | /usr/bin/python3 -c '
import re, sys
n = {}
for l in sys.stdin:
    m = re.search(r"cookie=0x5(\d).*n_packets=(\d+)", l)
    if m:
        n[int(m.group(1))] = int(m.group(2))
print(*(n.get(i, -1) for i in range(1, 6)))'
}
IFS_ALL="ska1 skb1 ska0 skb0 $TAP"
read -r r1a r2a r3a r4a r5a < <(rules)
it_snap s0 $IFS_ALL
gtx0=$(tp_stat TX-packets)
grx0=$(tp_stat RX-packets)

# ---- load -------------------------------------------------------------------
it_ft send ska1 0 --seconds "$DURATION" --pps 2000 --dst 2 > "$T/sent.ab" &
BG+=($!)
it_ft send $TAP 0 --seconds "$DURATION" --pps 1000 --src 3 --dst 1 > "$T/sent.ta" &
BG+=($!)
it_ft send skb1 0 --seconds "$DURATION" --pps 1000 --src 2 --dst 4 > "$T/sent.bv" &
BG+=($!)
it_ft send ska1 0 --seconds "$DURATION" --pps 100 --src 1 --dst 12 > "$T/sent.ac" &
BG+=($!)
GENS=("${BG[@]}")
END=$(( $(date +%s) + DURATION ))
( # flow churn
	i=0
	while [ "$(date +%s)" -lt "$END" ]; do
		for k in $(seq 50); do
			printf 'cookie=0x77,priority=20,dl_src=02:99:00:00:%02x:%02x,actions=output:2\n' \
				$((i % 256)) "$k"
		done > "$T/churn.flows"
		$OF add-flows $SW "$T/churn.flows" >/dev/null 2>&1 || echo "churn: add-flows failed" >> "$T/errors"
		sleep 0.25
		$OF del-flows $SW "cookie=0x77/-1" >/dev/null 2>&1 || echo "churn: del-flows failed" >> "$T/errors"
		sleep 0.25
		i=$((i + 1))
	done
	echo "$i" > "$T/churn.rounds"
) &
BG+=($!)
( # the controller comes and goes
	n=0
	while [ $(( END - $(date +%s) )) -gt 12 ]; do
		it_ft pinctl "listen:$CTL" 8 "$T/pins.$n" > "$T/pinctl.$n" 2>&1 || true
		n=$((n + 1))
		sleep 2
	done
	echo "$n" > "$T/ctl.sessions"
) &
BG+=($!)
# the guest's own traffic, and RSS, every 5 s
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status"; }
: > "$T/rss"
t=0
while [ "$t" -lt "$DURATION" ]; do
	sleep 5
	t=$((t + 5))
	tp_cmd "stop"
	tp_cmd "start tx_first 2"
	[ $((t % 10)) = 0 ] && echo "$t $(rss)" >> "$T/rss"
	kill -0 "$PID" 2>/dev/null || it_fail "sluiced died after $t s"
done
wait "${GENS[@]}"
for p in "${BG[@]}"; do wait "$p" 2>/dev/null || true; done
BG=()
it_wait_quiet 20
sleep 1 # the guest's ring
it_snap s1 $IFS_ALL
gtx=$(( $(tp_stat TX-packets) - gtx0 ))
grx=$(( $(tp_stat RX-packets) - grx0 ))
read -r r1 r2 r3 r4 r5 < <(rules)
echo "$((DURATION + 5)) $(rss)" >> "$T/rss"
FAIL=()

# ---- rule counters equal traffic ----------------------------------------------
d() { echo $(( $(it_sget s1 "$@") - $(it_sget s0 "$@") )); }
ab=$(cat "$T/sent.ab"); ta=$(cat "$T/sent.ta"); bv=$(cat "$T/sent.bv"); ac=$(cat "$T/sent.ac")
a_in=$(( ab + ac - $(d ports a rx_dropped) ))
t_in=$(( ta - $(d if $TAP tx_dropped) - $(d ports t rx_dropped) ))
b_in=$(( bv - $(d ports b rx_dropped) ))
echo "rule counters (delta) vs the frames that reached sluiced:"
printf '  R1+R5 (a)  %8d %8d\n  R2    (t)  %8d %8d\n  R3    (b)  %8d %8d\n  R4    (vm) %8d %8d\n' \
	$(( r1 - r1a + r5 - r5a )) "$a_in" $(( r2 - r2a )) "$t_in" $(( r3 - r3a )) "$b_in" $(( r4 - r4a )) "$gtx"
[ $(( r1 - r1a + r5 - r5a )) = "$a_in" ] || FAIL+=("rules R1+R5 != frames received on a")
[ $(( r2 - r2a )) = "$t_in" ] || FAIL+=("rule R2 != frames received on t")
[ $(( r3 - r3a )) = "$b_in" ] || FAIL+=("rule R3 != frames received on b")
[ $(( r4 - r4a )) = "$gtx" ] || FAIL+=("rule R4 != frames the guest sent")

# ---- the account (needs the agent's counters: printed at exit) ----------------
t0=$(date +%s%N)
kill -TERM "$PID"
rc=0
for _ in $(seq 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && { kill -KILL "$PID"; FAIL+=("sluiced still running 30 s after SIGTERM"); }
wait "$PID" || rc=$?
PID=
echo "sluiced exited $rc, $(( ($(date +%s%N) - t0) / 1000000 )) ms after SIGTERM"
[ "$rc" = 0 ] || FAIL+=("sluiced exited $rc")
echo "churn rounds $(cat "$T/churn.rounds" 2>/dev/null) (50 adds + a delete each), controller sessions $(cat "$T/ctl.sessions" 2>/dev/null)"
[ -s "$T/errors" ] && { cat "$T/errors"; FAIL+=("flow churn commands failed"); }
echo "accounting: $MINUTES min soak"
it_ft acct "$T/s0.json" "$T/s1.json" --sent "$ab" --sent "$ta" --sent "$bv" --sent "$ac" \
	--sent "$gtx" --sink skb1 --sink ska1 --sink $TAP --ktxdrop $TAP \
	--row "received by the guest (testpmd RX-packets)=$grx" --agent "$T/log" ||
	FAIL+=("frames unaccounted for")
grep "sluiced: agent:" "$T/log"

# ---- sanitizers, RSS -------------------------------------------------------------
if grep -E -q 'runtime error:|AddressSanitizer|LeakSanitizer' "$T/log"; then
	grep -E -A30 'runtime error:|AddressSanitizer|LeakSanitizer' "$T/log" | head -60
	FAIL+=("sanitizer report")
fi
echo "RSS samples (s kB): $(tr '\n' ',' < "$T/rss" | sed 's/,$//; s/,/, /g')"
/usr/bin/python3 - "$T/rss" "$DURATION" <<'PY' || FAIL+=("RSS not flat")
import sys
s = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
dur = int(sys.argv[2])
base = next((r for t, r in s if t >= 30), None)
last = [r for t, r in s if t > dur - 60]
if base is None or not last:
    sys.exit('too few RSS samples')
peak = max(last)
print(f'RSS after the warm-up {base} kB, last minute up to {peak} kB ({(peak - base) * 100 / base:+.1f} %, limit +10 %)')
sys.exit(0 if peak <= base * 1.10 else 1)
PY
if [ ${#FAIL[@]} != 0 ]; then
	tail -40 "$T/log"
	printf 'FAIL: %s\n' "${FAIL[@]}"
	exit 1
fi
echo "PASS: $MINUTES min soak: every frame counted, rule counters exact, no sanitizer report, RSS flat"
