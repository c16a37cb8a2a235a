#!/bin/bash
# sluicectl's table commands against a running sluiced (three af_packet
# veth ports): a multi-table pipeline with select, all, indirect and
# fast-failover groups and two meters, installed with ovs-ofctl; then
#  - dump-flows (whole, and under several filters), dump-groups and
#    dump-meters are what `ovs-ofctl -O OpenFlow13` prints for the same
#    switch (durations aside, lines sorted);
#  - after traffic, dump-megaflows shows the worker's entries with their
#    packets and the rules behind them;
#  - trace: a frame through goto_table and a select group to an output, one
#    dropped by a table miss, an IPv4/TCP frame given in hex through a
#    write_actions group (and JSON); a trace changes no counter;
#  - what cannot be parsed is refused, never ignored.
# usage: test_sluicectl_flows.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
CTL=$(cd "$(dirname "$SLUICED")/.." && pwd)/sluicectl/sluicectl
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/sl-it-cf.XXXXXX)
SOCK=$T/sluiced.ctl
LST=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	wait 2>/dev/null || true
	it_del_veths sl-cfa sl-cfb sl-cfc
	rm -rf "$T"
}
trap cleanup EXIT
[ -x "$CTL" ] || it_fail "no sluicectl at $CTL"
ctl() { "$CTL" -s "$SOCK" "$@"; }
ofctl() { ovs-ofctl -O OpenFlow13 "$1" "tcp:127.0.0.1:$LST" "${@:2}"; }
# flow lines without durations, sorted: what both dumps must agree on
norm() { sed -E 's/duration=[0-9.]+s, //' | grep -v '^OFPST' | sort; }

it_veths sl-cfa sl-cfb sl-cfc
cat > "$T/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $SOCK
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=sl-it-cf-$$ --log-level=lib.eal:warning
[openflow]
listen = ptcp:$LST:127.0.0.1
INI
i=1
for v in a b c; do
	printf '[port:%s]\ntype = dpdk\ndevargs = net_af_packet_cf%s%s,iface=sl-cf%s0\nofport = %s\n' \
		"$v" "$v" "$$" "$v" "$i" >> "$T/sl.ini"
	i=$((i + 1))
done
it_start_sluiced "$SLUICED" "$T/sl.ini"

# 1. the pipeline: 3 tables, 4 groups, 2 meters
ofctl add-meter "meter=1,pktps,stats,band=type=drop,rate=100000"
ofctl add-meter "meter=2,kbps,burst,band=type=drop,rate=10000,burst_size=1000"
ofctl add-group "group_id=1,type=select,bucket=weight:50,actions=output:2,bucket=weight:50,actions=output:3"
ofctl add-group "group_id=2,type=all,bucket=output:2,bucket=output:3"
ofctl add-group "group_id=3,type=indirect,bucket=output:2"
ofctl add-group "group_id=4,type=ff,bucket=watch_port:2,actions=output:2,bucket=watch_port:3,actions=output:3"
while read -r f; do ofctl add-flow "$f"; done <<'FLOWS'
table=0,priority=100,in_port=1,actions=meter:1,goto_table:1
table=0,priority=50,ip,nw_dst=10.0.0.0/8,actions=write_metadata:0x1/0xff,goto_table:1
table=0,priority=40,in_port=3,dl_vlan=10,actions=pop_vlan,group:4
table=0,cookie=0x42,priority=20,in_port=3,udp,tp_src=53,idle_timeout=300,actions=set_field:10.0.0.9->ip_dst,output:2
table=0,priority=10,arp,arp_op=1,actions=CONTROLLER:128
table=1,priority=100,dl_dst=02:00:00:00:00:02,dl_type=0x88b5,actions=group:1
table=1,priority=90,dl_type=0x88b5,actions=group:2
table=1,priority=50,tcp,tp_dst=80,actions=set_field:02:00:00:00:00:09->eth_dst,write_actions(group:3),goto_table:2
table=2,send_flow_rem,priority=10,ip,actions=dec_ttl,push_vlan:0x8100,set_field:4196->vlan_vid
FLOWS

# 2. traffic: 60 frames into port 1 -> meter, goto 1, select group
/usr/bin/python3 "$HERE/rawsock.py" recv sl-cfb1 2 > "$T/rb" &
rb=$!
/usr/bin/python3 "$HERE/rawsock.py" recv sl-cfc1 2 > "$T/rc" &
rc=$!
sleep 0.3
/usr/bin/python3 "$HERE/rawsock.py" send sl-cfa1 60
wait $rb $rc
# (at least: af_packet's tx may send a frame twice when the host is busy)
[ $(( $(cat "$T/rb") + $(cat "$T/rc") )) -ge 60 ] ||
	it_fail "select group: $(cat "$T/rb") + $(cat "$T/rc") frames out, 60 sent"

# 3. dump-megaflows, right away (an entry idle for 10 s is evicted): the
# worker's entries, with packets and rules
ctl dump-megaflows > "$T/mf"
grep -Eq "^recirc_id=0,in_port=1,.*dl_dst=02:00:00:00:00:02.* packets:[1-9][0-9]* .*actions:meter:1,clone\(output:[23]\) rules:table0:prio100:cookie0x0,table1:prio100:cookie0x0$" "$T/mf" ||
	{ cat "$T/mf"; it_fail "dump-megaflows: no entry for the traffic"; }
ctl --json dump-megaflows --worker 1 | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)["megaflows"]
assert sum(e["packets"] for e in d) == 60 and all(e["lcore"] == 1 for e in d), d' ||
	it_fail "dump-megaflows --json"

# 4. dump-flows, -groups, -meters: what ovs-ofctl prints
ofctl dump-flows | norm > "$T/ovs.flows"
ctl dump-flows | norm > "$T/sl.flows"
diff -u "$T/ovs.flows" "$T/sl.flows" || it_fail "dump-flows differs from ovs-ofctl's"
[ "$(wc -l < "$T/sl.flows")" = 9 ] || it_fail "dump-flows: $(wc -l < "$T/sl.flows") rules"
grep -q "n_packets=60, .*priority=100,in_port=1 actions=meter:1,goto_table:1" "$T/sl.flows" ||
	it_fail "dump-flows: table 0's counters are not the traffic's"
for f in table=1 ip in_port=1 "table=0,ip,nw_dst=10.0.0.0/8" dl_dst=02:00:00:00:00:02 \
	 udp,tp_src=53 out_port=2 "dl_type=0x88b5" "table=2"; do
	ofctl dump-flows "$f" | norm > "$T/ovs.f"
	ctl dump-flows "$f" | norm > "$T/sl.f"
	diff -u "$T/ovs.f" "$T/sl.f" || it_fail "dump-flows $f differs from ovs-ofctl's"
done
ofctl dump-groups | norm > "$T/ovs.groups"
ctl dump-groups | norm > "$T/sl.groups"
diff -u "$T/ovs.groups" "$T/sl.groups" || it_fail "dump-groups differs from ovs-ofctl's"
ofctl dump-meters | grep -v '^OFPST' > "$T/ovs.meters"
ctl dump-meters > "$T/sl.meters"
diff -u "$T/ovs.meters" "$T/sl.meters" || it_fail "dump-meters differs from ovs-ofctl's"
ctl --json dump-flows table=1 | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)["flows"]
assert len(d) == 3 and d[0]["table"] == 1 and d[0]["priority"] == 100, d
assert d[0]["match"] == "dl_dst=02:00:00:00:00:02,dl_type=0x88b5", d[0]
assert d[0]["actions"] == "group:1" and d[0]["packets"] > 0 and d[0]["cookie"] == "0x0", d[0]
assert isinstance(d[0]["duration"], float)' || it_fail "dump-flows --json"

# 5. trace: goto_table and a select group to an output
ctl dump-flows | norm > "$T/before"
ctl trace in_port=1,dl_dst=02:00:00:00:00:02,dl_type=0x88b5 > "$T/t1"
grep -q "^table 0: priority=100,in_port=1 cookie=0x0$" "$T/t1" &&
	grep -q "^table 1: priority=100,dl_dst=02:00:00:00:00:02,dl_type=0x88b5 cookie=0x0$" "$T/t1" &&
	grep -Eq "^    group 1 \(select\): bucket [01] of 2: actions=output:[23]$" "$T/t1" &&
	grep -Eq "^Datapath actions: meter:1,clone\(output:[23]\)$" "$T/t1" &&
	! grep -q dropped "$T/t1" || { cat "$T/t1"; it_fail "trace through a group"; }
# ... dropped: a table miss
ctl trace in_port=2 dl_type=0x88b5 > "$T/t2"
grep -q "^table 0: table miss" "$T/t2" && grep -q "^dropped: table miss in table 0$" "$T/t2" &&
	grep -q "^Datapath actions: drop$" "$T/t2" || { cat "$T/t2"; it_fail "trace of a miss"; }
# ... a real frame: IPv4/TCP to 10.0.0.2:80 on port 3, through write_actions(group:3)
HEX=02000000000202000000000308004500002800004000400600000a0000030a000002
HEX=${HEX}04d200500000000000000000500200ff00000000
ctl trace in_port=3 --packet "$HEX" > "$T/t3"
grep -q "^Flow: tcp,in_port=3,dl_src=02:00:00:00:00:03,dl_dst=02:00:00:00:00:02,nw_src=10.0.0.3,nw_dst=10.0.0.2,nw_proto=6" "$T/t3" ||
	grep -q "^Flow: tcp,in_port=3," "$T/t3" || { cat "$T/t3"; it_fail "trace --packet: flow"; }
grep -q "^table 2: priority=10,ip cookie=0x0$" "$T/t3" &&
	grep -q "^action set: group:3$" "$T/t3" &&
	grep -q "^    group 3 (indirect): bucket 0 of 1: actions=output:2$" "$T/t3" &&
	grep -q "^Datapath actions: set_field(eth_dst=02:00:00:00:00:09),dec_ttl,push_vlan:0x8100,set_field(vlan_vid=100),clone(output:2)$" "$T/t3" ||
	{ cat "$T/t3"; it_fail "trace --packet"; }
ctl --json trace in_port=1 dl_dst=02:00:00:00:00:02 dl_type=0x88b5 | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["steps"]
assert [x["step"] for x in s] == ["table", "table", "group"], s
assert s[0]["priority"] == 100 and s[1]["table"] == 1 and s[2]["type"] == "select", s
r = d["result"][0]
assert r["dropped"] == "" and "output" in r["datapath_actions"], r
assert r["megaflow"].startswith("recirc_id=0,in_port=1"), r' || it_fail "trace --json"
ctl dump-flows | norm > "$T/after"
diff -u "$T/before" "$T/after" || it_fail "a trace changed the counters"

# 6. refusals: exit 1 with the reason
for bad in "dump-flows bogus=1" "dump-flows tp_dst=80" "trace dl_type=0x0800" \
	   "trace in_port=1,nw_dst=10.0.0.0/8" "trace in_port=1 --packet 0x12" \
	   "dump-megaflows --worker" "dump-groups x"; do
	rc=0; ctl $bad 2> "$T/err" > /dev/null || rc=$?
	[ $rc = 1 ] && [ -s "$T/err" ] || it_fail "$bad: rc $rc $(cat "$T/err")"
done
ctl dump-flows tp_dst=80 2> "$T/err" || true
grep -q "tp_dst needs tcp, udp or sctp" "$T/err" || it_fail "no reason given: $(cat "$T/err")"

it_stop_sluiced
echo "PASS sluicectl_flows"
