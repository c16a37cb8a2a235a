# SPDX-License-Identifier: BSD-3-Clause
#
# The PVP scenarios as OpenFlow rule sets in ovs-ofctl syntax: the same
# file goes to OVS (unix:.../br0.mgmt) and to sluiced (tcp:127.0.0.1:PORT)
# with "ovs-ofctl -O OpenFlow13 add-flows". OpenFlow ports: 1 and 2 are the
# two vhost-user ports of every switch.
#
# Traffic: testpmd flowgen, 64-byte UDP, nw_src 10.254.0.0, nw_dst
# 10.253.0.0 + i for i in 0..FLOWS-1 (cycling), on both ports.
#
#   S1  1 flow;            in_port=1->2, in_port=2->1
#   S2  1k and 64k flows;  the same rules
#   S3  1k and 64k flows;  table 0: in_port,ip -> goto 1 (port 1) or 2
#       (port 2); tables 1 and 2: 1000 nw_dst=/32 rules (the first 1000
#       flows' addresses) + a priority-0 default, all forwarding across
#   S4  16M flows, every packet a new 5-tuple (no cache can hold them):
#       a never-matching nw_dst=/32 rule above in_port forwarding makes
#       every megaflow exact on nw_dst, so each new flow needs its own
#       slow-path decision (prefix tracking off in both: OVS prefixes=none,
#       see ovs.sh; sluiced [switch] prefix_tracking = no, see sluice.sh)
#   S5  100k flow-mods (new nw_dst rules in table 0, never hit) then one
#       barrier: flow-mods per second (ovs-ofctl add-flows sends them all,
#       then a barrier, and returns on the barrier reply)
#   S6  S3 traffic at 1k flows; then 1k flow-mods per second rewrite 1000
#       unrelated rules (nw_dst 192.168.x.y in tables 1 and 2, never hit):
#       the rate under churn against the steady rate; then the same
#       client sending echo requests instead (S6.echo, the control)

S4_FLOWS=${S4_FLOWS:-16777216}

# scenario_cases LIST: "SCENARIO FLOWS" lines for the given scenarios.
scenario_cases() {
	local s
	for s in $1; do
		case $s in
		S1) echo "S1 1" ;;
		S2) echo "S2 1000"; echo "S2 65536" ;;
		S3) echo "S3 1000"; echo "S3 65536" ;;
		S4) echo "S4 $S4_FLOWS" ;;
		S5) echo "S5 100000" ;;
		S6) echo "S6 1000" ;;
		S2:[1-9]*|S3:[1-9]*) # one flow count only, e.g. S3:65536
			case ${s#*:} in *[!0-9]*) die "unknown scenario $s (S2:FLOWS, S3:FLOWS)" ;; esac
			echo "${s%%:*} ${s#*:}" ;;
		*) die "unknown scenario $s (S1..S6, S2:FLOWS, S3:FLOWS)" ;;
		esac
	done
}

# scenario_needs_rules SCENARIO: 0 (true) when the scenario cannot be
# expressed by sluiced's static cross-connect.
scenario_needs_rules() { case $1 in S1|S2) return 1 ;; *) return 0 ;; esac; }

rules_s1() {
	echo "table=0,priority=10,in_port=1,actions=output:2"
	echo "table=0,priority=10,in_port=2,actions=output:1"
}

rules_s3() {
	echo "table=0,priority=10,ip,in_port=1,actions=goto_table:1"
	echo "table=0,priority=10,ip,in_port=2,actions=goto_table:2"
	"$PY" - <<'PY'
for table, out in ((1, 2), (2, 1)):
    for i in range(1000):
        print("table=%d,priority=100,ip,nw_dst=10.253.%d.%d,actions=output:%d"
              % (table, i // 256, i % 256, out))
    print("table=%d,priority=0,actions=output:%d" % (table, out))
PY
}

rules_s4() {
	echo "table=0,priority=100,ip,nw_dst=10.0.0.1,actions=drop"
	rules_s1
}

# rules_s5: the 100k flow-mods (172.16.0.0 + i, table 0, never hit).
rules_s5() {
	"$PY" - <<'PY'
for i in range(100000):
    print("table=0,priority=50,ip,nw_dst=172.%d.%d.%d,actions=output:2"
          % (16 + i // 65536, i // 256 % 256, i % 256))
PY
}

# rules_s6_churn GENERATION: 1000 rules that no packet hits, rewritten each
# second with the output port flipping (an add of an existing rule is a
# modification).
rules_s6_churn() {
	"$PY" - "$1" <<'PY'
import sys
gen = int(sys.argv[1])
for i in range(1000):
    table = 1 + i % 2
    print("table=%d,priority=100,ip,nw_dst=192.168.%d.%d,actions=output:%d"
          % (table, i // 256, i % 256, 1 + (gen + i) % 2))
PY
}

# scenario_rules SCENARIO > FILE: the rules loaded before traffic starts.
scenario_rules() {
	case $1 in
	S1|S2|S5) rules_s1 ;;
	S3|S6) rules_s3 ;;
	S4) rules_s4 ;;
	esac
}
