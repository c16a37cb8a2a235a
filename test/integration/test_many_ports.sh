#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Many vhost-user ports through the OpenFlow pipeline (issue 20), and every
# /sluice/* telemetry command read with Debian's dpdk-telemetry.py (issue 22).
#
# sluiced has NPORTS (42) vhost-user server ports, more than Debian's
# RTE_MAX_ETHPORTS (32): two testpmd processes (testpmd itself is capped at
# 32 ethdevs) connect half each with virtio_user. ovs-ofctl adds one rule
# per port, in_port=2k-1 -> 2k and back (pairs that cross the two testpmds
# too), fail mode secure (a miss is a drop). Each testpmd port sends 32
# frames; then, exactly:
#   - testpmd: every port sent 32 and received 32;
#   - ovs-ofctl dump-flows: every rule matched 32;
#   - /sluice/ports: every port up, rx 32, tx 32, nothing dropped;
#   - /sluice/drops: every port rx 32 tx 32 no drop; the total adds up
#     (rx + replicas = tx + to_controller + drops, unaccounted 0);
#   - /sluice/workers: the worker's rx and tx are the total, its drop
#     counters (derived from the accounting) 0;
#   - /sluice/rxqs: one queue per port on the worker; /sluice/pools and
#     /sluice/mac answer with their fields.
#
# The same with SL_MANY_WORKERS=2 SL_MANY_QUEUES=2 SL_MANY_PORTS=2 is the
# multi-worker test (meson: multi_worker_vhost): two workers (EAL --lcores
# maps them onto the 2 CPUs), 2 queue pairs per port spread over both
# (/sluice/rxqs), 32 frames per queue, the same exact counters summed over
# the workers.
#
# Needs root, hugepages (~700 free), dpdk-testpmd, dpdk-telemetry.py and
# ovs-ofctl; exits 77 without them. usage: test_many_ports.sh SLUICED
set -u
SLUICED=$(readlink -f "${1:?usage: test_many_ports.sh PATH/TO/sluiced}")
TESTPMD=$(command -v dpdk-testpmd || true)
TEL=$(command -v dpdk-telemetry.py || true)
NPORTS=${SL_MANY_PORTS:-42}
HALF=$((NPORTS / 2))
WORKERS=${SL_MANY_WORKERS:-1}
QUEUES=${SL_MANY_QUEUES:-1}
PER=$((32 * QUEUES)) # frames each testpmd port sends (and gets back)
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (hugepages, vhost sockets)"
{ [ -n "$TESTPMD" ] && [ -n "$TEL" ]; } || skip "dpdk-testpmd or dpdk-telemetry.py missing (package dpdk)"
command -v ovs-ofctl > /dev/null || skip "ovs-ofctl missing (package openvswitch-common)"
free_hp=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
[ "${free_hp:-0}" -ge 700 ] || skip "needs 700 free 2 MiB hugepages, has ${free_hp:-0}"
{ [ $((NPORTS % 2)) = 0 ] && [ $((HALF % 2)) = 1 ]; } || skip "NPORTS must be 2 x an odd number"

T=$(mktemp -d /tmp/"${SL_IT_PREFIX:-sl}"-many.XXXXXX)
PREFIX=${SL_IT_PREFIX:-sl}-many-$$
PID=
TP=()
cleanup() {
	exec 8>&- 9>&- 2>/dev/null
	for p in "${TP[@]}" $PID; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf /var/run/dpdk/"$PREFIX"-* "$T"
	rm -f /dev/hugepages/"$PREFIX"-*
}
trap cleanup EXIT
trap '' PIPE
fail() {
	echo "FAIL: $*"
	for f in "$T"/*.log; do
		[ -f "$f" ] && { echo "----- $f"; grep -v '^VHOST_CONFIG' "$f" | tail -15; }
	done
	exit 1
}
wait_for() { # SECONDS FILE REGEX [COUNT]
	local t=$(( $1 * 10 )) n
	while [ "$t" -gt 0 ]; do
		n=$(grep -c -E -- "$3" "$2" 2>/dev/null)
		[ "${n:-0}" -ge "${4:-1}" ] && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}
OF=unix:$T/of.sock
ofctl() { ovs-ofctl -O OpenFlow13 "$@"; }

{
	if [ "$WORKERS" = 2 ]; then
		# worker lcore 1 on CPU 1, worker lcore 2 on CPU 0 (with main)
		printf '[switch]\nmain_lcore = 0\nworkers = 1,2\n'
		lcores="--lcores=0@0,1@1,2@0"
	else
		printf '[switch]\nmain_lcore = 0\nworkers = 1\n'
		lcores=
	fi
	printf 'state_file = none\nmgmt_socket = none\n'
	printf '[dpdk]\neal_args = %s --no-pci --file-prefix=%s-sl -m 512 --log-level=lib.eal:warning\n' \
		"$lcores" "$PREFIX"
	printf '[openflow]\nlisten = punix:%s/of.sock\nfail_mode = secure\n' "$T"
	for i in $(seq "$NPORTS"); do
		printf '[port:p%d]\ntype = vhost-user\npath = %s/p%d.sock\nmode = server\nofport = %d\n' \
			"$i" "$T" "$i" "$i"
		printf 'queues = %d\n' "$QUEUES"
	done
} > "$T/sl.ini"
"$SLUICED" -c "$T/sl.ini" > "$T/sluiced.log" 2>&1 &
PID=$!
wait_for 60 "$T/sluiced.log" 'sluiced: forwarding' || fail "sluiced did not start"
for i in $(seq 1 2 "$NPORTS"); do
	echo "in_port=$i,actions=output:$((i + 1))"
	echo "in_port=$((i + 1)),actions=output:$i"
done > "$T/flows"
ofctl add-flows "$OF" "$T/flows" || fail "ovs-ofctl add-flows"

# start_testpmd N FIRST: testpmd N (fd 8 + N) on ports FIRST..FIRST+HALF-1
start_testpmd() {
	local n=$1 first=$2 vdevs=() i
	for i in $(seq 0 $((HALF - 1))); do
		vdevs+=("--vdev=net_virtio_user$i,path=$T/p$((first + i)).sock,queues=$QUEUES,queue_size=256")
	done
	mkfifo "$T/tp$n.fifo"
	stdbuf -oL "$TESTPMD" -l 0,1 --main-lcore 1 --no-pci --single-file-segments \
		--file-prefix="$PREFIX-tp$n" -m 256 "${vdevs[@]}" -- -i --forward-mode=rxonly \
		--rxq="$QUEUES" --txq="$QUEUES" --total-num-mbufs=16384 < "$T/tp$n.fifo" > "$T/tp$n.log" 2>&1 &
	TP+=($!)
	eval "exec $((8 + n))> \"$T/tp$n.fifo\""
}
tp_cmd() { echo "$2" >&$((8 + $1)) || fail "testpmd $1 is gone"; }
start_testpmd 0 1
start_testpmd 1 $((HALF + 1))
for n in 0 1; do
	wait_for 60 "$T/tp$n.log" '^testpmd> ' || fail "no prompt from testpmd $n"
done
t0=$SECONDS
# Ports up as the controller sees them (the log's "link up" lines are
# rate-limited per call site: 10 per 5 s). Generous: on a loaded 2-CPU VM
# rte_vhost sets each device up in turn.
live_ports() { ofctl dump-ports-desc "$OF" 2>/dev/null | grep -c 'state: *LIVE'; }
t=2400
while [ "$(live_ports)" -lt "$NPORTS" ] && [ "$t" -gt 0 ]; do
	sleep 0.1
	t=$((t - 1))
done
[ "$(live_ports)" -ge "$NPORTS" ] || fail "$(live_ports) of $NPORTS ports came up"
echo "  $NPORTS ports up in $((SECONDS - t0)) s"

for n in 0 1; do tp_cmd $n "start tx_first 1"; done
sleep 2
for n in 0 1; do tp_cmd $n stop; done
for n in 0 1; do
	wait_for 20 "$T/tp$n.log" 'Done\.$' || fail "testpmd $n did not stop"
	tp_cmd $n "show port stats all"
	wait_for 20 "$T/tp$n.log" "NIC statistics for port $((HALF - 1))" ||
		fail "testpmd $n printed no statistics"
done
sleep 0.5
# every testpmd port: "RX TX" = "32 32"
for n in 0 1; do
	awk '/NIC statistics for port/ { p = $(NF-1); next }
	     /statistics/ { p = "" }
	     p != "" && /RX-packets:/ { rx[p] = $2 } p != "" && /TX-packets:/ { tx[p] = $2 }
	     END { for (p in rx) print p, rx[p], tx[p] }' "$T/tp$n.log" > "$T/tp$n.stats"
	bad=$(awk -v per="$PER" '$2 != per || $3 != per' "$T/tp$n.stats")
	[ "$(wc -l < "$T/tp$n.stats")" = "$HALF" ] && [ -z "$bad" ] ||
		fail "testpmd $n: ports not at $PER received, $PER sent: $(cat "$T/tp$n.stats")"
done
echo "  testpmd: $NPORTS ports sent $PER and received $PER each"

ofctl dump-flows "$OF" > "$T/flows.out" || fail "dump-flows"
n=$(grep -c "n_packets=$PER," "$T/flows.out")
[ "$n" = "$NPORTS" ] || fail "$n of $NPORTS rules matched $PER frames: $(head -5 "$T/flows.out")"
echo "  ovs-ofctl: $NPORTS rules matched $PER frames each"

# /sluice/drops port by port: one answer holds about 20 ports' rows
{
	printf '%s\n' /sluice/ports /sluice/workers /sluice/rxqs /sluice/pools /sluice/mac
	for i in $(seq "$NPORTS"); do echo "/sluice/drops,p$i"; done
} | "$TEL" -f "$PREFIX-sl" > "$T/tel.jsonl" 2> "$T/tel.err" ||
	fail "dpdk-telemetry.py: $(cat "$T/tel.err")"
/usr/bin/python3 - "$T/tel.jsonl" "$NPORTS" "$QUEUES" "$WORKERS" <<'PY' || fail "telemetry: $(head -c 600 "$T/tel.jsonl")"
import json, sys
n, nq, nw = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
per = 32 * nq
t = {}
drops = {}
for line in open(sys.argv[1]):
    for k, v in json.loads(line).items():
        if k == "/sluice/drops":  # the answer's key has no parameter
            drops.update(v)
        else:
            t[k] = v
ports = t["/sluice/ports"]
assert len(ports) == n, len(ports)
for name, p in ports.items():
    assert p["state"] == "up", (name, p)
    assert (p["rx_packets"], p["tx_packets"], p["tx_dropped"], p["rx_dropped"]) == (per, per, 0, 0), (name, p)
assert set(drops) == {"p%d" % i for i in range(1, n + 1)} | {"total"}, sorted(drops)
for i in range(1, n + 1):
    d = drops["p%d" % i]
    assert (d["rx"], d["tx"], d["drops"], d["to_controller"]) == (per, per, 0, 0), (i, d)
tot = drops["total"]
assert (tot["rx"], tot["tx"], tot["drops"], tot["replicas"]) == (per * n, per * n, 0, 0), tot
assert tot["unaccounted"] == 0, tot
ws = t["/sluice/workers"]
assert len(ws) == nw, ws.keys()
assert sum(w["rx_packets"] for w in ws.values()) == per * n, ws
assert sum(w["tx_packets"] for w in ws.values()) == per * n, ws
for w in ws.values():
    for k in ("tx_dropped", "no_output", "packet_in_drops", "port_config_drops", "mtu_drops"):
        assert w[k] == 0, (k, w[k])
rxqs = t["/sluice/rxqs"]
assert sorted(rxqs) == sorted("p%d/%d" % (i, q) for i in range(1, n + 1) for q in range(nq)), \
    sorted(rxqs)[:4]
assert {q["lcore"] for q in rxqs.values()} == set(range(1, nw + 1)), rxqs
pools = t["/sluice/pools"]
assert pools and all(p["size"] > 0 and p["available"] + p["in_use"] == p["size"]
                     for p in pools.values()), pools
assert {"entries", "learned", "aged", "fail_open"} <= set(t["/sluice/mac"]), t["/sluice/mac"]
print("  telemetry: %d ports exact, total rx %d tx %d drops 0, %d rx queues, %d pool(s)"
      % (n, tot["rx"], tot["tx"], len(rxqs), len(pools)))
PY
for n in 0 1; do tp_cmd $n quit; done
kill -INT "$PID"
wait "$PID" || fail "sluiced exited $?"
PID=
! grep -E -q 'runtime error:|AddressSanitizer|LeakSanitizer' "$T/sluiced.log" ||
	fail "sanitizer report in sluiced's log"
echo "PASS many_ports: $NPORTS vhost-user ports x $QUEUES queues, $WORKERS worker(s), OpenFlow rules, exact counters"
