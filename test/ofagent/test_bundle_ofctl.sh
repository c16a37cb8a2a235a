#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Bundles from a real `ovs-ofctl --bundle` against the agent harness (agent,
# real pipeline, fake runtime), in OpenFlow 1.3 (the ONF extension) and 1.4
# (native): a bundle of 200 flows commits whole; a bundle that deletes,
# modifies and adds and whose last flow-mod fails (an unknown group) leaves
# dump-flows exactly as it was and names the failing flow-mod; replace-flows
# --bundle likewise; a flow-mod refused when added (unknown meter) fails the
# bundle before anything is applied; `ovs-ofctl bundle` with group-mods and
# flow-mods that use them commits whole, and one that modifies, adds and
# deletes groups (and the flows the delete takes) and whose last flow-mod
# fails leaves dump-groups and dump-flows exactly as they were; meter-mods
# in an OpenFlow 1.4 bundle (built by os-ken: bundle_meter_osken.py) commit
# whole with the flow that uses them, or not at all.
#   test_bundle_ofctl.sh HARNESS_BINARY
set -u
HARNESS=${1:?usage: $0 agent_harness}
DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/../common/ofctl.sh"
fail() { echo "FAIL: $*"; exit 1; }
ofctl_harness "$HARNESS" 300
T=$OFCTL_TARGET

flows() { ovs-ofctl -O "$1" --no-stats --rsort dump-flows "$T"; }

for V in OpenFlow13 OpenFlow14; do
	ovs-ofctl -O $V del-flows "$T" || fail "$V del-flows"
	# 200 flows, as one bundle
	for i in $(seq 1 200); do
		echo "priority=100,ip,nw_dst=10.1.$((i / 250)).$((i % 250)),actions=output:1"
	done >"$WORK/a.txt"
	ovs-ofctl -O $V --bundle add-flows "$T" "$WORK/a.txt" || fail "$V: bundle of 200"
	[ "$(flows $V | grep -c 'actions=output:1')" = 200 ] || fail "$V: not 200 flows"
	flows $V >"$WORK/before.txt"

	# delete all, modify, add 200 elsewhere, then a flow-mod that fails at commit
	{
		echo "delete ip"
		echo "add priority=5,in_port=2,actions=output:3"
		for i in $(seq 1 200); do
			echo "add priority=100,ip,nw_dst=10.1.$((i / 250)).$((i % 250)),actions=output:2"
		done
		echo "modify priority=5,in_port=2,actions=output:1"
		echo "add priority=7,in_port=3,actions=group:99"
	} >"$WORK/b.txt"
	if ovs-ofctl -O $V --bundle add-flows "$T" "$WORK/b.txt" >"$WORK/out.txt" 2>&1; then
		fail "$V: a bundle with a failing flow-mod was accepted"
	fi
	grep -q 'OFPBAC_BAD_OUT_GROUP.*priority=7,in_port=3' "$WORK/out.txt" ||
		{ cat "$WORK/out.txt"; fail "$V: no error naming the failing flow-mod"; }
	grep -q 'OFPBFC_MSG_FAILED' "$WORK/out.txt" ||
		{ cat "$WORK/out.txt"; fail "$V: no MSG_FAILED for the commit"; }
	flows $V >"$WORK/after.txt"
	diff "$WORK/before.txt" "$WORK/after.txt" || fail "$V: failed bundle left changes"

	# replace-flows --bundle, with the same failing flow last
	{ sed 's/output:1/output:3/' "$WORK/a.txt"; echo "priority=7,in_port=3,actions=group:99"; } \
		>"$WORK/c.txt"
	ovs-ofctl -O $V --bundle replace-flows "$T" "$WORK/c.txt" >"$WORK/out.txt" 2>&1 &&
		fail "$V: replace-flows with a failing flow was accepted"
	flows $V >"$WORK/after.txt"
	diff "$WORK/before.txt" "$WORK/after.txt" || fail "$V: failed replace-flows left changes"
	sed -i '$d' "$WORK/c.txt"
	ovs-ofctl -O $V --bundle replace-flows "$T" "$WORK/c.txt" || fail "$V: replace-flows"
	[ "$(flows $V | grep -c 'actions=output:3')" = 200 ] || fail "$V: replace-flows not applied"
	flows $V >"$WORK/before.txt"

	# refused when added: nothing is applied, the bundle is not committed
	printf 'priority=1,in_port=1,actions=output:2\npriority=2,in_port=1,actions=meter:7,output:2\n' \
		>"$WORK/d.txt"
	ovs-ofctl -O $V --bundle add-flows "$T" "$WORK/d.txt" >"$WORK/out.txt" 2>&1 &&
		fail "$V: a flow-mod with an unknown meter was accepted"
	grep -q 'OFPMMFC_UNKNOWN_METER' "$WORK/out.txt" || { cat "$WORK/out.txt"; fail "$V: meter error"; }
	flows $V >"$WORK/after.txt"
	diff "$WORK/before.txt" "$WORK/after.txt" || fail "$V: refused bundle left changes"

	# group-mods and the flow-mods that use them, in one bundle
	ovs-ofctl -O $V del-groups "$T" || fail "$V del-groups"
	cat >"$WORK/g1.txt" <<-EOF
	group add group_id=10,type=indirect,bucket=output:2
	group add group_id=11,type=all,bucket=output:1,bucket=output:2
	flow add priority=20,in_port=5,actions=group:10
	flow add priority=20,in_port=6,actions=group:11
	EOF
	ovs-ofctl -O $V bundle "$T" "$WORK/g1.txt" || fail "$V: bundle of groups and flows"
	groups() { ovs-ofctl -O "$1" dump-groups "$T" | sed 1d | sort; }
	[ "$(groups $V | grep -c 'group_id=1[01],')" = 2 ] || fail "$V: groups not added"
	[ "$(flows $V | grep -c 'actions=group:1[01]')" = 2 ] || fail "$V: group flows not added"
	groups $V >"$WORK/gbefore.txt"
	flows $V >"$WORK/before.txt"
	# modify 10, add 12 and a flow to it, delete 11 (and its flow), then a failure
	cat >"$WORK/g2.txt" <<-EOF
	group modify group_id=10,type=indirect,bucket=output:3
	group add group_id=12,type=indirect,bucket=output:4
	flow add priority=20,in_port=7,actions=group:12
	group delete group_id=11
	flow add priority=7,in_port=3,actions=group:99
	EOF
	if ovs-ofctl -O $V bundle "$T" "$WORK/g2.txt" >"$WORK/out.txt" 2>&1; then
		fail "$V: a bundle of groups with a failing flow-mod was accepted"
	fi
	grep -q 'OFPBAC_BAD_OUT_GROUP' "$WORK/out.txt" ||
		{ cat "$WORK/out.txt"; fail "$V: no error naming the failing flow-mod"; }
	groups $V >"$WORK/gafter.txt"
	diff "$WORK/gbefore.txt" "$WORK/gafter.txt" || fail "$V: failed bundle left group changes"
	flows $V >"$WORK/after.txt"
	diff "$WORK/before.txt" "$WORK/after.txt" || fail "$V: failed bundle left flow changes"
	# the same without the failure commits whole
	sed -i '$d' "$WORK/g2.txt"
	ovs-ofctl -O $V bundle "$T" "$WORK/g2.txt" || fail "$V: bundle of group changes"
	groups $V | grep -q 'group_id=10,type=indirect,bucket=.*output:3' ||
		{ groups $V; fail "$V: group 10 not modified"; }
	groups $V | grep -q 'group_id=11,' && fail "$V: group 11 not deleted"
	flows $V | grep -q 'actions=group:11' && fail "$V: group 11's flow not deleted"
	flows $V | grep -q 'in_port=7 actions=group:12\|in_port=7,actions=group:12' ||
		{ flows $V; fail "$V: flow to group 12 not added"; }
	ovs-ofctl -O $V del-groups "$T" || fail "$V del-groups"
	echo "$V: ok"
done
# meter-mods in bundles: ovs-ofctl 3.1 sends no bundled meter-mod (--bundle
# add-meter is a plain one), so os-ken's encoder builds them
if /usr/bin/python3 -c 'import os_ken' 2>/dev/null; then
	/usr/bin/python3 "$DIR/bundle_meter_osken.py" "${T##*:}" || fail "meter-mods in bundles"
else
	echo "python3-os-ken not installed: meter-mods in bundles not checked"
fi
kill -0 "$HPID" 2>/dev/null || { cat "$WORK/harness.err"; fail "harness died"; }
echo "PASS"
