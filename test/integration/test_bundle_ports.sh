#!/bin/bash
# Issue 25, port-mods in bundles: a bundle's port-mods switch at the same
# instant as its rules. 200 UDP flows come in on port a of the real sluiced
# (af_packet ports on veths); each rule rewrites the TOS and outputs to
# both b and c, and the ports' NO_FWD decides where frames go: at first c
# is NO_FWD and the TOS 4. One bundle (os-ken: bundle_port_osken.py) sets
# NO_FWD on b, clears it on c and modifies every rule to TOS 8, under
# traffic (bundle_traffic.py): a frame forwarded by the old rules with the
# new port configuration would come out of c with TOS 4, one forwarded by
# the new rules with the old configuration out of b with TOS 8 (mixed),
# both ports forwarding would duplicate it, neither lose it. Then the way
# back, and a bundle whose flow-mod fails at commit (its error, MSG_FAILED,
# ports and traffic unchanged, no port-status). OpenFlow 1.4 native bundles
# and the OpenFlow 1.3 ONF extension. `ovs-ofctl --bundle` cannot be used:
# it bundles flow-mods and group-mods only, and mod-port takes no --bundle.
# BP_NO_BUNDLE=1 sends the first swap as plain messages: the test must then
# fail (it checks that it can fail).
# usage: test_bundle_ports.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
/usr/bin/python3 -c 'import os_ken' 2>/dev/null || { echo "SKIP: python3-os-ken missing"; exit 77; }
T=$(mktemp -d /tmp/bp-ports.XXXXXX)
OFPORT=${BP_OF_PORT:-6911}
FLOWS=200
ROUNDS=${BP_ROUNDS:-4}
FLT_PREFIX=bpports-$$
PID=
VETHS="bpa bpb bpc"
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	it_del_veths $VETHS
	rm -rf /var/run/dpdk/$FLT_PREFIX
	if [ "${BP_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

it_veths $VETHS
it_flt_ini "$T/s.ini" "$OFPORT"
it_afp_port "$T/s.ini" a bpa0 1
it_afp_port "$T/s.ini" b bpb0 2
it_afp_port "$T/s.ini" c bpc0 3
it_start_sluiced "$SLUICED" "$T/s.ini"
OSK="/usr/bin/python3 $HERE/bundle_port_osken.py $OFPORT"
PLAIN=
[ "${BP_NO_BUNDLE:-0}" = 1 ] && PLAIN=--plain

# traffic OLD_IF OLD_TOS NEW_IF NEW_TOS ROUNDS COMMIT_CMD WHAT [failed]:
# frames into bpa1 (bundle_traffic.py) while COMMIT_CMD runs; every frame forwarded by all-old or all-new
# rules and ports, none duplicated, and both seen (with "failed": none new,
# the bundle must change nothing). Frames the kernel never handed to sluiced
# (its af_packet ring on bpa0 overran: this VM is shared) are no loss of
# the switch's: "lost" must be exactly sent minus what the worker received.
traffic() {
	it_snap before bpa1 bpb1 bpc1
	/usr/bin/python3 "$HERE/bundle_traffic.py" bpa1 "$1" "$2" "$3" "$4" $FLOWS "$5" \
		"$6" >"$T/res.json" || true
	it_snap after bpa1 bpb1 bpc1
	python3 -c 'import json,sys; r,b,a=(json.load(open(f)) for f in sys.argv[1:4])
rx = a["workers"]["rx_packets"] - b["workers"]["rx_packets"]
r["not_received_by_sluiced"] = r["sent"] - rx
print(json.dumps(r))
new_ok = r["new"] == 0 if sys.argv[4] == "failed" else r["new"] > 0
sys.exit(0 if r["commit_rc"] == 0 and r["mixed"] == 0 and r["dup"] == 0 and
         r["unknown_tos"] == 0 and r["old"] > 0 and new_ok and
         r["lost"] == r["not_received_by_sluiced"] else 1)' \
		"$T/res.json" "$T/before.json" "$T/after.json" "${8:-}" >"$T/res2.json" ||
		{ cat "$T/res2.json"; it_fail "$7: frames mixed, lost or changed"; }
	echo "$7: $(cat "$T/res2.json")"
}

for V in 14 13; do
	$OSK $V setup $FLOWS >/dev/null || it_fail "OF$V: setup"
	traffic bpb1 4 bpc1 8 "$ROUNDS" "$OSK $V swap $FLOWS 8 2 3 $PLAIN >&2" "OF$V: b->c"
	traffic bpc1 8 bpb1 4 "$ROUNDS" "$OSK $V swap $FLOWS 4 3 2 >&2" "OF$V: c->b"
	# a failing bundle: traffic keeps its rules and ports (all on b, TOS 4)
	traffic bpb1 4 bpc1 8 2 "$OSK $V bad $FLOWS >&2" "OF$V: failing bundle" failed
done
it_stop_sluiced_in 30
echo PASS
