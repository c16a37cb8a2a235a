#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Blackout of replacing the switch under traffic, in one run: Sluice's
# hand-over upgrade (sluicectl upgrade), Sluice's restart (SIGTERM + start,
# the state file puts the rules back), and OVS-DPDK's restart (ovs-vswitchd
# stopped and started, its bridge and ports from its database, the flows
# reinstalled with ovs-ofctl as a controller would). Traffic: two network
# namespaces ping each other every 10 ms through two OpenFlow rules on
# af_packet ports (Sluice's own afpacket ports; DPDK net_af_packet ports for
# OVS-DPDK); blackout = lost pings x 10 ms. Writes a Markdown table to
# stdout (docs/results/upgrade.md is one).
#
# usage: scripts/bench/upgrade.sh BUILD_DIR [ROUNDS]
# Env: OVS_VSWITCHD (openvswitch-switch-dpdk's), OVS_SOCKET_MEM (256),
#      UPG_PREFIX (name prefix of veths, namespaces, EAL files: u1b).
set -u
BUILD=$(cd "${1:?usage: upgrade.sh BUILD_DIR [ROUNDS]}" && pwd)
ROUNDS=${2:-3}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
. "$BENCH_DIR/lib.sh"
OVS_VSWITCHD=${OVS_VSWITCHD:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
P=${UPG_PREFIX:-u1b}
W=$(mktemp -d "/tmp/$P-bench.XXXXXX")
LST=16643
trap 'bench_cleanup; ip netns del $P-a 2>/dev/null; ip netns del $P-b 2>/dev/null;
	ip link del $P-a0 2>/dev/null; ip link del $P-b0 2>/dev/null; rm -rf "$W"' EXIT

# upg_wait SECONDS COMMAND: until COMMAND (a string) succeeds, or fail
upg_wait() {
	local t=$(( $1 * 10 ))
	until eval "$2" > /dev/null 2>&1; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || return 1
		sleep 0.1
	done
}

net_setup() {
	local s
	for s in a b; do
		ip netns del "$P-$s" 2>/dev/null; ip link del "$P-${s}0" 2>/dev/null
		ip netns add "$P-$s" && track_netns "$P-$s"
		ip link add "$P-${s}0" type veth peer name "$P-${s}1"
		sysctl -qw "net.ipv6.conf.$P-${s}0.disable_ipv6=1"
		ip link set "$P-${s}0" up
		ip link set "$P-${s}1" netns "$P-$s"
		ip netns exec "$P-$s" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip netns exec "$P-$s" ip link set "$P-${s}1" up
	done
	ip netns exec "$P-a" ip addr add 10.78.0.1/24 dev "$P-a1"
	ip netns exec "$P-b" ip addr add 10.78.0.2/24 dev "$P-b1"
}

# blackout_of CMD...: BO = lost pings x 10 ms while CMD runs (in this shell:
# CMD may change SLPID), pinging from 1.5 s before
blackout_of() {
	ip netns exec "$P-a" ping -i 0.01 -c 800 -W 1 10.78.0.2 > "$W/ping" 2>&1 &
	local pp=$! sent got
	sleep 1.5
	"$@" >> "$W/actions.log" 2>&1
	wait "$pp"
	sent=$(sed -nE 's/^([0-9]+) packets transmitted.*/\1/p' "$W/ping")
	got=$(sed -nE 's/.* ([0-9]+) received.*/\1/p' "$W/ping")
	BO=$(( (sent - got) * 10 ))
}

flows() { # TARGET: the two rules
	ovs-ofctl -O OpenFlow13 add-flow "$1" "priority=10,in_port=1,actions=output:2" &&
		ovs-ofctl -O OpenFlow13 add-flow "$1" "priority=10,in_port=2,actions=output:1"
}

# ---- Sluice
sl_start() {
	"$BUILD/sluiced/sluiced" -c "$W/sl.ini" >> "$W/sluiced.log" 2>&1 &
	SLPID=$!
	track_pid "$SLPID"
	upg_wait 30 "grep -q 'sluiced: forwarding' '$W/sluiced.log'" || die "sluiced did not start"
}
sl_upgrade() {
	"$BUILD/sluicectl/sluicectl" -s "$W/sl.ctl" upgrade >> "$W/sluiced.log" 2>&1 ||
		die "upgrade failed ($W/sluiced.log)"
	SLPID=$(sed -nE 's/^upgraded: pid [0-9]+ -> pid ([0-9]+).*/\1/p' "$W/sluiced.log" | tail -1)
	track_pid "$SLPID"
}
sl_restart() {
	stop_pid "$SLPID"
	: > "$W/sluiced.log"
	sl_start
}

# ---- OVS-DPDK
ovs_vsctl() { ovs-vsctl --db="unix:$W/ovs/db.sock" --timeout=30 "$@"; }
ovs_vswitchd_start() {
	"$OVS_VSWITCHD" "unix:$W/ovs/db.sock" --unixctl="$W/ovs/vswitchd.ctl" \
		--log-file="$W/ovs/vswitchd.log" > /dev/null 2>&1 &
	OVSPID=$!
	track_pid "$OVSPID"
	upg_wait 60 "[ -S '$W/ovs/br0.mgmt' ] && ovs-ofctl -O OpenFlow13 show unix:$W/ovs/br0.mgmt" ||
		die "ovs-vswitchd did not start ($W/ovs/vswitchd.log)"
}
ovs_setup() {
	mkdir -p "$W/ovs"
	export OVS_RUNDIR=$W/ovs OVS_DBDIR=$W/ovs OVS_LOGDIR=$W/ovs OVS_SYSCONFDIR=$W/ovs
	ovsdb-tool create "$W/ovs/conf.db" "$OVS_SCHEMA" || die "ovsdb-tool"
	ovsdb-server "$W/ovs/conf.db" --remote="punix:$W/ovs/db.sock" \
		--unixctl="$W/ovs/db.ctl" > /dev/null 2>&1 &
	track_pid $!
	upg_wait 10 "[ -S '$W/ovs/db.sock' ]" || die "ovsdb-server"
	ovs_vsctl --no-wait init
	ovs_vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
		other_config:dpdk-socket-mem="${OVS_SOCKET_MEM:-256}" \
		other_config:dpdk-extra="--file-prefix=$P-ovs --no-pci"
	track_prefix "$P-ovs"
	ovs_vsctl --no-wait add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=secure \
		protocols=OpenFlow13
	for s in a b; do
		ovs_vsctl --no-wait add-port br0 "p$s" -- set Interface "p$s" type=dpdk \
			"options:dpdk-devargs=net_af_packet_$s,iface=$P-${s}0" \
			"ofport_request=$([ $s = a ] && echo 1 || echo 2)"
	done
	ovs_vswitchd_start
	flows "unix:$W/ovs/br0.mgmt"
}
ovs_restart() {
	stop_pid "$OVSPID"
	untrack_pid "$OVSPID"
	ovs_vswitchd_start
	flows "unix:$W/ovs/br0.mgmt" # OVS keeps no flows across a restart
}

net_setup
cat > "$W/sl.ini" <<INI
[switch]
main_lcore = 0
workers = 1
mgmt_socket = $W/sl.ctl
state_file = $W/sl.state
[dpdk]
eal_args = --no-pci --in-memory --file-prefix=$P-sl --log-level=lib.eal:warning
[openflow]
listen = ptcp:$LST:127.0.0.1
fail_mode = secure
[port:a]
type = afpacket
iface = $P-a0
ofport = 1
[port:b]
type = afpacket
iface = $P-b0
ofport = 2
INI
log "Sluice: $("$BUILD/sluiced/sluiced" --version)"
sl_start
flows "tcp:127.0.0.1:$LST" || die "flows"
declare -a UP RS OV
for r in $(seq "$ROUNDS"); do
	blackout_of sl_upgrade
	UP+=("$BO")
	blackout_of sl_restart
	RS+=("$BO")
	log "round $r: Sluice upgrade ${UP[-1]} ms, restart ${RS[-1]} ms"
done
stop_pid "$SLPID"
if [ -x "$OVS_VSWITCHD" ] && command -v ovsdb-server > /dev/null; then
	ovs_setup
	for r in $(seq "$ROUNDS"); do
		blackout_of ovs_restart
		OV+=("$BO")
		log "round $r: OVS-DPDK restart ${OV[-1]} ms"
	done
else
	log "no OVS-DPDK ($OVS_VSWITCHD): its column stays empty"
fi
echo "| round | Sluice hand-over upgrade | Sluice restart (state file) | OVS-DPDK restart (flows reinstalled) |"
echo "|---|---|---|---|"
for r in $(seq 0 $((ROUNDS - 1))); do
	echo "| $((r + 1)) | ${UP[$r]} ms | ${RS[$r]} ms | ${OV[$r]:-n/a} ms |"
done
