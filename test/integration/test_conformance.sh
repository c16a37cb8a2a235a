#!/bin/bash
# OpenFlow 1.3.5 conformance end to end (issue 25 items 5 and 6), as an
# OpenFlow test tool would try it: sluiced between two veth pairs
# (net_af_packet), ovs-ofctl on its listener, an os-ken controller
# (osken/conformance.py) counting packet-ins by reason, scapy making and
# judging the packets (conformance_tool.py):
#  1. set_field sctp_dst: every SCTP packet that leaves carries the CRC32c
#     scapy computes for it (IPv4 and IPv6, 20..1400 payload bytes);
#  2. set_queue is refused with OFPBAC_BAD_QUEUE (flow-mod, packet-out);
#     queue stats / queue config answer for ports without queues, and
#     OFPQOFC_BAD_PORT for a port that does not exist;
#  3. dec_ttl on TTL 1 drops without a packet-in until the controller asks
#     for OFPR_INVALID_TTL in its async config; then each such packet is
#     one packet-in with that reason, the rule's table and cookie;
#  4. the OFPM_CONTROLLER meter (1 packet/s, burst 5) limits the packet-ins
#     of an output:CONTROLLER rule, its stats account for each; OFPM_SLOWPATH
#     is refused.
# Needs root, python3-scapy, python3-os-ken and ovs-ofctl (exit 77 without).
# usage: test_conformance.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/osken/lib_osken.sh"
os_require
/usr/bin/python3 -c "import scapy" 2>/dev/null ||
	{ echo "SKIP: python3-scapy missing"; exit 77; }

T=$(mktemp -d /tmp/h1-it-conf.XXXXXX)
PORT=${CONF_PORT:-16610}
CTL=$((PORT + 1))
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
TOOL="/usr/bin/python3 $HERE/conformance_tool.py"
PID=
cleanup() { # set -e holds in the EXIT trap too: nothing here may fail
	[ -z "$PID" ] || kill "$PID" 2>/dev/null || true
	for p in "${OS_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	it_del_veths h1cfa h1cfb
	rm -rf "$T"
}
trap cleanup EXIT
# pin KEY: the controller's packet-in count (or field) KEY
pin() { /usr/bin/python3 -c "import json; print(json.load(open('$T/ctl.pins'))['$1'])"; }

os_start_app ctl "$CTL" conformance.py
it_veths h1cfa h1cfb
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $T/sl.ctl
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=h1-it-conf-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT
controllers = tcp:127.0.0.1:$CTL
max_backoff = 1
fail_mode = secure
[port:a]
type = dpdk
devargs = net_af_packet_h1cfa$$,iface=h1cfa0
ofport = 1
[port:b]
type = dpdk
devargs = net_af_packet_h1cfb$$,iface=h1cfb0
ofport = 2
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"
os_wait_file "$T/ctl.ready" 60
os_wait_file "$T/ctl.pins" 10

# ---- 1. SCTP set-field, judged by scapy
$OF add-flow $SW "priority=10,in_port=1,sctp,actions=set_field:48879->sctp_dst,output:2"
$OF add-flow $SW "priority=10,in_port=1,sctp6,actions=set_field:48879->sctp_dst,output:2"
$TOOL sctp h1cfa1 h1cfb1 > "$T/sctp" || { cat "$T/sctp"; it_fail "SCTP checksums"; }
cat "$T/sctp"

# ---- 2. set_queue and queues
expect_err() { # WHAT ERROR CMD...: the switch must answer CMD with ERROR
	local what=$1 err=$2
	shift 2
	"$@" > "$T/out" 2>&1 || true # ovs-ofctl exits 0 for some error replies
	grep -q "$err" "$T/out" || { cat "$T/out"; it_fail "$what: no $err"; }
}
expect_err "flow-mod set_queue" OFPBAC_BAD_QUEUE \
	$OF add-flow $SW "priority=20,in_port=1,actions=set_queue:1,output:2"
expect_err "packet-out set_queue" OFPBAC_BAD_QUEUE \
	$OF packet-out $SW CONTROLLER "set_queue:0,output:2" \
	02000000000202000000000108004500001400010000401100000a0000010a000002
$OF dump-flows $SW | grep -q set_queue && it_fail "a set_queue rule exists"
$OF queue-stats $SW > "$T/qs" || { cat "$T/qs"; it_fail "queue-stats"; }
grep -q "OFPST_QUEUE reply" "$T/qs" && ! grep -q "queue=" "$T/qs" ||
	{ cat "$T/qs"; it_fail "queue-stats: want an empty reply"; }
$OF queue-get-config $SW 1 > "$T/qc" || { cat "$T/qc"; it_fail "queue-get-config"; }
grep -q "QUEUE_GET_CONFIG_REPLY" "$T/qc" && ! grep -q "queue " "$T/qc" ||
	{ cat "$T/qc"; it_fail "queue-get-config 1: want no queues"; }
expect_err "queue-get-config 99" OFPQOFC_BAD_PORT $OF queue-get-config $SW 99

# ---- 3. invalid TTL: dropped without a packet-in until the controller
# asks for them with set-async (OF1.3 has no set-config flag for it)
$OF add-flow $SW "cookie=0x77,priority=10,in_port=1,udp,tp_dst=7,actions=dec_ttl,output:2"
$TOOL count h1cfb1 5 7 "$T/cap.ready" > "$T/ttl_fwd" &
cp=$!
os_wait_file "$T/cap.ready" 30
$TOOL udp h1cfa1 5 64 7
$TOOL udp h1cfa1 5 1 7
wait $cp
[ "$(cat "$T/ttl_fwd")" = 5 ] || it_fail "dec_ttl: $(cat "$T/ttl_fwd") of 5 TTL-64 packets forwarded"
sleep 0.5
[ "$(pin invalid_ttl)" = 0 ] || it_fail "invalid-TTL packet-ins nobody asked for"
touch "$T/want_invalid_ttl"
os_wait_file "$T/ctl.async" 30
echo "controller's packet-in masks now: $(cat "$T/ctl.async")"
$TOOL udp h1cfa1 5 1 7 0.05
for _ in $(seq 100); do
	[ "$(pin invalid_ttl)" -ge 5 ] && break
	sleep 0.1
done
sleep 0.5
[ "$(pin invalid_ttl)" = 5 ] || { cat "$T/ctl.pins"; it_fail "5 TTL-1 packets made $(pin invalid_ttl) packet-ins"; }
[ "$(pin ttl_table)" = 0 ] && [ "$(pin ttl_cookie)" = $((0x77)) ] ||
	{ cat "$T/ctl.pins"; it_fail "invalid-TTL packet-in: wrong table_id or cookie"; }
echo "invalid TTL: 5 TTL-1 packets, 5 packet-ins (reason OFPR_INVALID_TTL, table 0, cookie 0x77)"

# ---- 4. virtual meters
expect_err "meter slowpath" OFPMMFC_INVALID_METER \
	$OF add-meter $SW "meter=slowpath,pktps,burst,stats,bands=type=drop,rate=10,burst_size=10"
$OF add-meter $SW "meter=controller,pktps,burst,stats,bands=type=drop,rate=1,burst_size=5"
$OF add-flow $SW "priority=10,in_port=1,udp,tp_dst=9,actions=CONTROLLER:128"
N=100
$TOOL udp h1cfa1 $N 64 9
sleep 1
$OF meter-stats $SW > "$T/ms"
cat "$T/ms"
pins=$(pin action)
offered=$(sed -nE 's/.*packet_in_count:([0-9]+).*/\1/p' "$T/ms" | head -1)
dropped=$(sed -nE 's/.*0: packet_count:([0-9]+).*/\1/p' "$T/ms" | head -1)
echo "controller meter: $N sent, $offered packet-ins offered, $dropped dropped, $pins received"
[ -n "$offered" ] && [ -n "$dropped" ] || it_fail "no meter stats for meter=controller"
[ "$offered" -ge $((N * 9 / 10)) ] || it_fail "only $offered of $N packet-ins reached the meter"
[ "$pins" -ge 5 ] && [ "$pins" -lt $((N / 2)) ] || it_fail "$pins packet-ins through a 1/s meter"
[ $((offered - dropped)) = "$pins" ] || it_fail "offered - dropped != received"

it_stop_sluiced
grep "sluiced: agent:" "$T/log"
grep -q "packet_ins_meter_dropped $dropped " "$T/log" ||
	it_fail "packet_ins_meter_dropped is not $dropped"
! grep -E -q 'runtime error:|AddressSanitizer|LeakSanitizer' "$T/log" ||
	it_fail "sanitizer report in sluiced's log"
echo "ok: SCTP CRC32c, set_queue/queues, invalid-TTL packet-ins, controller meter"
