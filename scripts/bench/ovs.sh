# SPDX-License-Identifier: BSD-3-Clause
#
# A private OVS-DPDK for the PVP benchmark (Debian package
# openvswitch-switch-dpdk): its own ovsdb-server on a private socket, its own
# OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR under the run's work directory, DPDK with
# its own --file-prefix and a small --socket-mem, a PMD on each CPU of
# SW_CPUS, the other threads on CTL_CPU, in its own network namespace (the
# netdev bridge's internal port is a tap device named after the bridge;
# where "ip netns" is unavailable, with a warning, in the host's). The
# host's own OVS, if any, is never touched.
#
# ovs_start WORKDIR SOCK0 SOCK1: bridge br0 (datapath_type=netdev) with two
#   dpdkvhostuserclient ports, OpenFlow ports 1 and 2, connecting to the
#   generator's server sockets. OVS_OF is the ovs-ofctl target.
# ovs_begin / ovs_end: clear and read the PMD statistics; ovs_end prints
#   "cycles_per_packet upcalls" over the PMDs of SW_CPUS.
# ovs_stop: exit, kill what is left, delete the namespace.
#
# Env: OVS_SOCKET_MEM (512), OVS_EXTRA_CONFIG (more Open_vSwitch
# other_config settings, e.g. "other_config:emc-insert-inv-prob=0"; the
# defaults are OVS's own, as a user would run it).

OVS_VSWITCHD=${OVS_VSWITCHD:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
OVS_SOCKET_MEM=${OVS_SOCKET_MEM:-512}
OVSDB_PID=
OVSVS_PID=

ovs_available() {
	[ -x "$OVS_VSWITCHD" ] && command -v ovsdb-server >/dev/null &&
		command -v ovs-vsctl >/dev/null && [ -f "$OVS_SCHEMA" ]
}

vsctl() { ovs-vsctl --db="unix:$OVS_DIR/db.sock" --timeout=30 "$@"; }
ovs_appctl() { ovs-appctl -t "$OVS_DIR/ovs-vswitchd.ctl" "$@"; }

ovs_start() {
	local work=$1 sock0=$2 sock1=$3 t
	OVS_DIR=$work/ovs
	OVS_PREFIX=$BENCH_TAG-ovs-$$
	OVS_NETNS=$BENCH_TAG-ovs-$$
	rm -rf "$OVS_DIR"
	mkdir -p "$OVS_DIR"
	export OVS_RUNDIR=$OVS_DIR OVS_DBDIR=$OVS_DIR OVS_LOGDIR=$OVS_DIR \
		OVS_SYSCONFDIR=$OVS_DIR OVS_PKGDATADIR=${OVS_PKGDATADIR:-/usr/share/openvswitch}
	ovsdb-tool create "$OVS_DIR/conf.db" "$OVS_SCHEMA" || die "ovsdb-tool create failed"
	# Foreground processes (no --detach) so that their ids are ours.
	taskset -c "$CTL_CPU" ovsdb-server "$OVS_DIR/conf.db" \
		--remote="punix:$OVS_DIR/db.sock" --unixctl="$OVS_DIR/ovsdb-server.ctl" \
		--log-file="$OVS_DIR/ovsdb-server.log" --pidfile="$OVS_DIR/ovsdb-server.pid" \
		> /dev/null 2>&1 &
	OVSDB_PID=$!
	track_pid "$OVSDB_PID"
	t=100
	until [ -S "$OVS_DIR/db.sock" ]; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || die "ovsdb-server did not start ($OVS_DIR/ovsdb-server.log)"
		sleep 0.1
	done
	vsctl --no-wait init
	vsctl --no-wait set Open_vSwitch . \
		other_config:dpdk-init=true \
		other_config:dpdk-socket-mem="$OVS_SOCKET_MEM" \
		other_config:dpdk-extra="--file-prefix=$OVS_PREFIX --no-pci --single-file-segments" \
		other_config:pmd-cpu-mask="$(cpu_mask "${SW_CPUS:-$SW_CPU}")" \
		${OVS_EXTRA_CONFIG:-} # extra "other_config:k=v" words, split on purpose
	track_prefix "$OVS_PREFIX"
	local in_ns=(ip netns exec "$OVS_NETNS")
	if command -v ip > /dev/null && ip netns add "$OVS_NETNS"; then
		track_netns "$OVS_NETNS"
	else
		log "WARNING: no network namespace for OVS (ip netns): its br0 tap is the host's"
		in_ns=()
	fi
	taskset -c "$CTL_CPU" "${in_ns[@]}" "$OVS_VSWITCHD" \
		"unix:$OVS_DIR/db.sock" --unixctl="$OVS_DIR/ovs-vswitchd.ctl" \
		--log-file="$OVS_DIR/ovs-vswitchd.log" --pidfile="$OVS_DIR/ovs-vswitchd.pid" \
		> "$OVS_DIR/ovs-vswitchd.out" 2>&1 &
	OVSVS_PID=$!
	track_pid "$OVSVS_PID"
	vsctl add-br br0 -- set bridge br0 datapath_type=netdev \
		protocols=OpenFlow10,OpenFlow13 fail_mode=secure ||
		die "OVS bridge creation failed ($OVS_DIR/ovs-vswitchd.log)"
	vsctl add-port br0 vh0 -- set Interface vh0 type=dpdkvhostuserclient \
		options:vhost-server-path="$sock0" ofport_request=1 &&
		vsctl add-port br0 vh1 -- set Interface vh1 type=dpdkvhostuserclient \
			options:vhost-server-path="$sock1" ofport_request=2 ||
		die "OVS vhost port creation failed ($OVS_DIR/ovs-vswitchd.log)"
	OVS_OF=unix:$OVS_DIR/br0.mgmt
	t=300
	until [ -S "$OVS_DIR/br0.mgmt" ]; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || die "OVS br0 has no management socket"
		sleep 0.1
	done
	ofctl_do "$OVS_OF" del-flows
}

# ovs_table_prefixes_off: no prefix tracking on any table (S4: every
# nw_dst must need its own slow-path decision, as the scenario says).
ovs_table_prefixes_off() {
	local t args=()
	for t in 0 1 2; do
		args+=(-- "--id=@ft$t" create Flow_Table prefixes=none
			-- set Bridge br0 "flow_tables:$t=@ft$t")
	done
	vsctl "${args[@]}" > /dev/null
}

ovs_begin() { ovs_appctl dpif-netdev/pmd-stats-clear > /dev/null; }

ovs_end() {
	ovs_appctl dpif-netdev/pmd-stats-show > "$OVS_DIR/pmd-stats.txt" 2>&1
	"$PY" "$BENCH_DIR/pvp_stats.py" ovs-pmd "$OVS_DIR/pmd-stats.txt" "${SW_CPUS:-$SW_CPU}"
}

ovs_stop() {
	[ -n "$OVSVS_PID" ] && ovs_appctl exit > /dev/null 2>&1
	stop_pid "$OVSVS_PID"
	untrack_pid "$OVSVS_PID"
	OVSVS_PID=
	stop_pid "$OVSDB_PID"
	untrack_pid "$OVSDB_PID"
	OVSDB_PID=
	ip netns delete "$OVS_NETNS" 2>/dev/null || true
	cleanup_prefix "$OVS_PREFIX"
}
