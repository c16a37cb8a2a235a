#!/bin/bash
# RSS over several rx queues with per-queue counters (issue 21): port a is
# net_af_packet with 2 queue pairs on a veth (the kernel spreads flows over
# the queues' sockets by their hash, as a NIC's RSS does), port b a sink.
# 64 UDP flows, 400 frames, into a; then, exactly:
#   - `sluicectl show` lists a/0 and a/1 with rx_packets, rx_bytes and
#     rx_dropped, both queues got frames, and the queues' packets add up to
#     port a's rx_packets (the 400 sent, and any frame the veth's kernel
#     sent by itself), their bytes to its rx_bytes (ovs-ofctl dump-ports);
#   - telemetry's /sluice/rxqs gives the same sums;
#   - b (1 queue) lists its queue, equal to b's rx, and every frame left
#     through b.
# usage: test_rxq_stats.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/n1rxq.XXXXXX)
SOCK=$T/sluiced.ctl
PORT=${RXQ_OF_PORT:-16661}
OF="ovs-ofctl -O OpenFlow13"
SW=tcp:127.0.0.1:$PORT
FLT_PREFIX=n1rxq-$$
N=400
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2> /dev/null
	wait 2> /dev/null || true
	it_del_veths n1qa n1qb
	rm -rf "$T"
}
trap cleanup EXIT
[ -x "$CTL" ] || it_fail "no sluicectl at $CTL"
command -v ovs-ofctl > /dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }
ctl() { "$CTL" -s "$SOCK" "$@"; }

it_veths n1qa n1qb
cat > "$T/sl.ini" << INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $SOCK
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=$FLT_PREFIX --log-level=lib.eal:warning
[openflow]
listen = ptcp:$PORT
fail_mode = secure
[port:a]
type = dpdk
devargs = net_af_packet_n1qa$$,iface=n1qa0,qpairs=2
rx_queues = 2
tx_queues = 2
ofport = 1
[port:b]
type = dpdk
devargs = net_af_packet_n1qb$$,iface=n1qb0
ofport = 2
INI
it_start_sluiced "$SLUICED" "$T/sl.ini"
$OF add-flow $SW "in_port=1,actions=output:2"

# 64 flows (source ports), sent from a's peer
/usr/bin/python3 - "$N" << 'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, sendp
n = int(sys.argv[1])
frames = [Ether(src='02:00:00:00:01:01', dst='02:00:00:00:01:02') /
          IP(src='10.21.0.1', dst='10.21.0.2') / UDP(sport=20000 + i % 64, dport=4789) /
          Raw(b'x' * (i % 50)) for i in range(n)]
sendp(frames, iface='n1qa1', verbose=False)
PY

# a's rx_packets reaches N (the worker may still be on its way)
for _ in $(seq 100); do
	got=$($OF dump-ports $SW 1 | awk '/rx pkts=/ { split($2, a, "[=,]"); print a[2] }')
	[ "${got:-0}" -ge "$N" ] && break
	sleep 0.2
done
$OF dump-ports $SW > "$T/ports.txt"
cat "$T/ports.txt"
ctl show
ctl --json show > "$T/show.json"
it_ft tel "$FLT_PREFIX" /sluice/rxqs > "$T/tel.json"
cat "$T/tel.json"
/usr/bin/python3 - "$N" "$T/show.json" "$T/tel.json" "$T/ports.txt" << 'PY' || it_fail "per-queue counters do not add up"
import json, re, sys
n = int(sys.argv[1])
show = json.load(open(sys.argv[2]))
tel = json.load(open(sys.argv[3]))
tel = tel.get('/sluice/rxqs', tel)
ports = open(sys.argv[4]).read()
m = re.search(r'port +"?(?:a|1)"?: rx pkts=(\d+), bytes=(\d+)', ports)
a_pkts, a_bytes = int(m.group(1)), int(m.group(2))
b_tx = int(re.search(r'port +"?(?:b|2)"?:.*?\n.*?tx pkts=(\d+)', ports).group(1))
q = {(r['port'], r['queue']): r for r in show['rx_queues']}
ok = True
def check(what, cond):
    global ok
    print(('ok   ' if cond else 'FAIL ') + what)
    ok &= bool(cond)
check('queues a/0, a/1, b/0 listed, no more', sorted(q) == [('a', 0), ('a', 1), ('b', 0)])
qa = [q[('a', i)] for i in (0, 1)]
check('both of a\'s queues received (RSS spread the flows): %s' %
      [r['rx_packets'] for r in qa], all(r['rx_packets'] > 0 for r in qa))
# the veths' kernels may send a frame of their own now and then: counted too
check('a/0 + a/1 packets = port a rx %d (%d sent, %d from the kernel)' % (a_pkts, n, a_pkts - n),
      sum(r['rx_packets'] for r in qa) == a_pkts and 0 <= a_pkts - n <= 10)
check('a/0 + a/1 bytes = port a rx bytes %d' % a_bytes,
      sum(r['rx_bytes'] for r in qa) == a_bytes)
check('a\'s queues count drops per queue (af_packet sockets): 0',
      all(r['rx_dropped'] == 0 for r in qa))
m = re.search(r'port +"?(?:b|2)"?: rx pkts=(\d+), bytes=(\d+)', ports)
check('b/0 = port b rx %s' % m.group(1), q[('b', 0)]['rx_packets'] == int(m.group(1)))
check('all %d left through b (tx %d)' % (n, b_tx), b_tx >= n)
t = [tel['a/%d' % i] for i in (0, 1)]
check('telemetry: same per-queue packets and bytes',
      [r['rx_packets'] for r in t] == [r['rx_packets'] for r in qa] and
      [r['rx_bytes'] for r in t] == [r['rx_bytes'] for r in qa])
sys.exit(0 if ok else 1)
PY
echo "PASS: per-queue rx counters of an RSS port add up exactly"
