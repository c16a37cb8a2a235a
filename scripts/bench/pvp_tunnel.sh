#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# PVP through a VXLAN tunnel (issue 23): Sluice against OVS-DPDK, beside
# the plain PVP, same machine, same run, variants rotated rep by rep. See
# docs/performance.md ("PVP through a tunnel").
#
#   pvp_tunnel.sh [options]
#     --sluiced PATH      sluiced binary (default: build/sluiced/sluiced)
#     --variants LIST     any of "sluice-tnl ovs-tnl sluice-pvp ovs-pvp"
#                         (default: all four)
#     --reps N            repetitions, the variants' order rotating (default 6)
#     --flows N           generator flows, nw_dst cycling over N addresses
#                         (default 256: the outer UDP source ports vary)
#     --warmup S          seconds of traffic before measuring (default 3)
#     --duration S        seconds measured (default 10)
#     --out DIR           keep logs and results.tsv there (default: a temp
#                         dir, removed unless --keep)
#     --keep              keep the work directory
#     --smoke             1 rep, 1 s warm-up, 2 s windows; a missing
#                         prerequisite exits 77 (skipped)
#
# Two "hosts" A and B, each one switch process, joined by a memif underlay
# (net_memif, A the server, B the client: the physical network between two
# hosts); the generator (dpdk-testpmd flowgen, 64-byte UDP, two virtio_user
# server sockets, as in pvp.sh) is the VM on A (its port 0) and the VM on B
# (its port 1). Every packet is encapsulated by one host, crosses the memif
# and is decapsulated by the other, both directions at once:
#
#   gen0 --vhost-user-- [A: vm1 <-> vxlan VNI 5] --memif-- [B: vxlan <-> vm2] --vhost-user-- gen1
#
#   sluice-tnl  two sluiced, each: vhost-user port (ofport 1), a vxlan port
#               (ofport 2, fixed remote, key 5) over a dpdk memif underlay
#               (ofport 3) with a static [neighbours] entry; rules
#               in_port=1 -> 2, in_port=2,tun_id=5 -> 1 (ovs-ofctl)
#   ovs-tnl     two ovs-vswitchd-dpdk, each as the OVS-DPDK userspace
#               tunnelling guide sets up a host: br-int (the vhost-user
#               port, a type=vxlan port with remote_ip and key 5, the same
#               two rules) and br-phy (the memif as a dpdk port, NORMAL,
#               the VTEP address on its internal port, a static tunnel
#               neighbour, tnl/neigh/set)
#   sluice-pvp  plain PVP, one sluiced, in_port=1 -> 2, 2 -> 1 (pvp.sh's S1)
#   ovs-pvp     plain PVP, one OVS-DPDK, the same rules
#
# CPUs: the generator on GEN_CPU (0); the datapath of every switch process
# on SW_CPU (1): in the tunnel variants A's and B's workers / PMDs share
# that one core (SW_CPU_B puts B's elsewhere), so a tunnel rate is the rate
# one core gives to encapsulation and decapsulation together; control
# threads on CTL_CPU (= GEN_CPU). Env as pvp.sh (SLUICE_BENCH_PYTHON,
# SLUICE_BENCH_TAG: the start of every DPDK file prefix and namespace),
# OVS_SOCKET_MEM (256 per OVS process here), TNL_OFPORT (17310: A's
# listener, B's is one more, plain Sluice's two more).
#
# Needs root, about 700 free 2 MiB hugepages, dpdk-testpmd, ovs-ofctl and
# the Debian package openvswitch-switch-dpdk (scripts/setup.sh with
# SLUICE_BENCH=1). Numbers are printed, never asserted. Exit status: 0, 1 on
# an error, 3 when a variant forwarded nothing.
set -u
set -o pipefail
{

BENCH_DIR=$(dirname "$(readlink -f "$0")")
REPO=$(readlink -f "$BENCH_DIR/../..")
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
. "$BENCH_DIR/testpmd.sh"
. "$BENCH_DIR/ovs.sh"
. "$BENCH_DIR/sluice.sh"

SLUICED=$REPO/build/sluiced/sluiced
VARIANTS="sluice-tnl ovs-tnl sluice-pvp ovs-pvp"
REPS=6
FLOWS=256
WARMUP=3
DURATION=10
OUT=
KEEP=0
SMOKE=0
# WORKERS, GEN_CPUS, SW_CPUS, SLUICE_OFPORT: read by testpmd.sh, ovs.sh and
# sluice.sh (one switch core, one queue pair per port)
WORKERS=1
GEN_CPU=${GEN_CPU:-0}
SW_CPU=${SW_CPU:-1}
SW_CPU_B=${SW_CPU_B:-$SW_CPU}
CTL_CPU=${CTL_CPU:-$GEN_CPU}
GEN_CPUS=$GEN_CPU
SW_CPUS=$SW_CPU
OVS_SOCKET_MEM=${OVS_SOCKET_MEM:-256}
TNL_OFPORT=${TNL_OFPORT:-17310}
SLUICE_OFPORT=$((TNL_OFPORT + 2))
VNI=5
IP_A=192.0.2.1 IP_B=192.0.2.2
MAC_A=02:54:00:00:23:0a MAC_B=02:54:00:00:23:0b

usage() { header_help "$0"; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--sluiced) SLUICED=$2; shift ;;
	--variants) VARIANTS=$2; shift ;;
	--reps) REPS=$2; shift ;;
	--flows) FLOWS=$2; shift ;;
	--warmup) WARMUP=$2; shift ;;
	--duration) DURATION=$2; shift ;;
	--out) OUT=$2; KEEP=1; shift ;;
	--keep) KEEP=1 ;;
	--smoke) SMOKE=1 ;;
	-h|--help) usage ;;
	*) echo "unknown option $1"; usage ;;
	esac
	shift
done
[ "$SMOKE" = 0 ] || { REPS=1; WARMUP=1; DURATION=2; }

for v in $VARIANTS; do
	case $v in
	sluice-tnl|ovs-tnl|sluice-pvp|ovs-pvp) ;;
	*) die "unknown variant '$v' (sluice-tnl, ovs-tnl, sluice-pvp, ovs-pvp)" ;;
	esac
done
bench_need_pvp 700
case " $VARIANTS " in *" sluice-"*)
	[ -x "$SLUICED" ] || missing "no sluiced at $SLUICED (build it, or --sluiced PATH)"
	SLUICED=$(readlink -f "$SLUICED") ;;
esac
case " $VARIANTS " in *" ovs-"*)
	ovs_available || missing "OVS-DPDK missing: SLUICE_BENCH=1 bash scripts/setup.sh (openvswitch-switch-dpdk)" ;;
esac

bench_run_dir /tmp/sluice-pvp-tnl.XXXXXX

# ---- Sluice hosts ---------------------------------------------------------

TS_PIDS=()

# tsl_config HOST(A|B) WORK SOCK > FILE: one host's sluiced: the VM's
# vhost-user port, the memif underlay, the tunnel to the other host.
tsl_config() {
	local h=$1 work=$2 sock=$3 role=server me=$IP_A peer=$IP_B mac=$MAC_A pmac=$MAC_B
	local cpu=$SW_CPU port=$TNL_OFPORT
	if [ "$h" = B ]; then
		role=client me=$IP_B peer=$IP_A mac=$MAC_B pmac=$MAC_A cpu=$SW_CPU_B port=$((TNL_OFPORT + 1))
	fi
	cat <<INI
[switch]
main_lcore = $CTL_CPU
workers = $cpu
datapath_id = 0x23$([ "$h" = A ] && echo 0a || echo 0b)
[dpdk]
eal_args = --file-prefix=$BENCH_TAG-tsl$h-$$ --no-pci -m 256 --single-file-segments
[openflow]
listen = ptcp:$port:127.0.0.1
fail_mode = secure
[port:vm]
type = vhost-user
path = $sock
mode = client
ofport = 1
[port:und]
type = dpdk
devargs = net_memif0,role=$role,id=0,socket=$work/memif.sock,socket-abstract=no,mac=$mac
ofport = 3
[port:vx]
type = vxlan
underlay = und
local_ip = $me
remote_ip = $peer
key = $VNI
ofport = 2
[neighbours]
$peer = $pmac@und
INI
}

# tsl_start HOST WORK SOCK: start it, wait for its listener, load the rules.
tsl_start() {
	local h=$1 work=$2 log=$2/sluiced-$1.log t=600 of pid
	of=tcp:127.0.0.1:$([ "$h" = A ] && echo "$TNL_OFPORT" || echo $((TNL_OFPORT + 1)))
	tsl_config "$h" "$work" "$3" > "$work/sluiced-$h.ini"
	track_prefix "$BENCH_TAG-tsl$h-$$"
	"$SLUICED" -c "$work/sluiced-$h.ini" > "$log" 2>&1 &
	pid=$!
	track_pid "$pid"
	TS_PIDS+=("$pid")
	until ofctl_do "$of" show > /dev/null 2>&1; do
		kill -0 "$pid" 2>/dev/null || die "sluiced $h exited ($log)"
		t=$((t - 1))
		[ "$t" -gt 0 ] || die "sluiced $h does not answer on $of ($log)"
		sleep 0.1
	done
	ofctl_do "$of" add-flow "in_port=1,actions=output:2" &&
		ofctl_do "$of" add-flow "in_port=2,tun_id=$VNI,actions=output:1" ||
		die "sluiced $h rejected the tunnel rules ($log)"
}

tsl_stop() {
	local p
	for p in "${TS_PIDS[@]}"; do
		kill -INT "$p" 2>/dev/null
		stop_pid "$p"
		untrack_pid "$p"
	done
	TS_PIDS=()
	cleanup_prefix "$BENCH_TAG-tslA-$$"
	cleanup_prefix "$BENCH_TAG-tslB-$$"
}

# ---- OVS hosts ------------------------------------------------------------

TO_VS=() TO_DB=() TO_NS=()

# tovs HOST ARGS...: ovs-vsctl / ovs-appctl / ovs-ofctl of one OVS host.
tovs_vsctl() { ovs-vsctl --db="unix:$TO_DIR/$1/db.sock" --timeout=120 "${@:2}"; }
tovs_appctl() { ovs-appctl -t "$TO_DIR/$1/ovs-vswitchd.ctl" "${@:2}"; }

# tovs_start HOST WORK SOCK: ovsdb-server and ovs-vswitchd-dpdk in a
# namespace of its own, br-int and br-phy as above.
tovs_start() {
	local h=$1 sock=$3 dir role=server me=$IP_A peer=$IP_B mac=$MAC_A pmac=$MAC_B cpu=$SW_CPU
	[ "$h" = B ] && { role=client me=$IP_B peer=$IP_A mac=$MAC_B pmac=$MAC_A cpu=$SW_CPU_B; }
	TO_DIR=$2/ovs
	dir=$TO_DIR/$h
	mkdir -p "$dir"
	local ns=$BENCH_TAG-tovs$h-$$ prefix=$BENCH_TAG-tovs$h-$$ t=100
	(
		export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir
		ovsdb-tool create "$dir/conf.db" "$OVS_SCHEMA" || exit 1
	) || die "ovsdb-tool create failed"
	OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir \
		taskset -c "$CTL_CPU" ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" \
		--unixctl="$dir/ovsdb-server.ctl" --log-file="$dir/ovsdb-server.log" \
		--pidfile="$dir/ovsdb-server.pid" > /dev/null 2>&1 &
	track_pid $!
	TO_DB+=($!)
	until [ -S "$dir/db.sock" ]; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || die "ovsdb-server $h did not start ($dir)"
		sleep 0.1
	done
	tovs_vsctl "$h" --no-wait init
	tovs_vsctl "$h" --no-wait set Open_vSwitch . other_config:dpdk-init=true \
		other_config:dpdk-socket-mem="$OVS_SOCKET_MEM" \
		other_config:dpdk-extra="--file-prefix=$prefix --no-pci --single-file-segments" \
		other_config:pmd-cpu-mask="$(cpu_mask "$cpu")"
	track_prefix "$prefix"
	ip netns add "$ns" || die "cannot create namespace $ns"
	track_netns "$ns"
	TO_NS+=("$ns")
	OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir \
		OVS_PKGDATADIR=${OVS_PKGDATADIR:-/usr/share/openvswitch} \
		taskset -c "$CTL_CPU" ip netns exec "$ns" "$OVS_VSWITCHD" "unix:$dir/db.sock" \
		--unixctl="$dir/ovs-vswitchd.ctl" --log-file="$dir/ovs-vswitchd.log" \
		--pidfile="$dir/ovs-vswitchd.pid" > "$dir/ovs-vswitchd.out" 2>&1 &
	track_pid $!
	TO_VS+=($!)
	# n_rxq=2: OVS gives a dpdk port a tx queue per PMD and one more (2);
	# a memif connects only when each side's rx queues match the other's tx
	tovs_vsctl "$h" add-br br-phy -- set bridge br-phy datapath_type=netdev \
		"other_config:hwaddr=\"$mac\"" -- add-port br-phy phy0 -- set Interface phy0 type=dpdk \
		"options:dpdk-devargs=\"net_memif0,role=$role,id=0,socket=$2/memif.sock,socket-abstract=no,mac=$mac\"" options:n_rxq=2 ||
		die "OVS $h: br-phy failed ($dir/ovs-vswitchd.log)"
	tovs_vsctl "$h" add-br br-int -- set bridge br-int datapath_type=netdev \
		protocols=OpenFlow13 fail_mode=secure \
		-- add-port br-int vh0 -- set Interface vh0 type=dpdkvhostuserclient \
		options:vhost-server-path="$sock" ofport_request=1 \
		-- add-port br-int vx0 -- set Interface vx0 type=vxlan options:remote_ip="$peer" \
		options:local_ip="$me" options:key=$VNI ofport_request=2 ||
		die "OVS $h: br-int failed ($dir/ovs-vswitchd.log)"
	# the VTEP address on br-phy's internal port (a tap in OVS's namespace):
	# OVS's tunnel routing takes the route from there; the peer's MAC is
	# static, as Sluice's [neighbours] entry
	ip -n "$ns" addr add "$me/24" dev br-phy && ip -n "$ns" link set br-phy up ||
		die "OVS $h: no br-phy tap in $ns"
	t=100
	until tovs_appctl "$h" ovs/route/show 2>/dev/null | grep -q "192.0.2.0/24 dev br-phy"; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || die "OVS $h: no route to $peer on br-phy: $(tovs_appctl "$h" ovs/route/show 2>&1)"
		sleep 0.1
	done
	tovs_appctl "$h" tnl/neigh/set br-phy "$peer" "$pmac" > /dev/null ||
		die "OVS $h: tnl/neigh/set failed"
	t=300
	until [ -S "$dir/br-int.mgmt" ]; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || die "OVS $h: br-int has no management socket"
		sleep 0.1
	done
	ofctl_do "unix:$dir/br-int.mgmt" del-flows
	ofctl_do "unix:$dir/br-int.mgmt" add-flow "in_port=1,actions=output:2" &&
		ofctl_do "unix:$dir/br-int.mgmt" add-flow "in_port=2,tun_id=$VNI,actions=output:1" ||
		die "OVS $h rejected the tunnel rules"
}

tovs_stop() {
	local i
	for i in "${!TO_VS[@]}"; do
		tovs_appctl "$([ "$i" = 0 ] && echo A || echo B)" exit > /dev/null 2>&1
		stop_pid "${TO_VS[$i]}"
		untrack_pid "${TO_VS[$i]}"
	done
	for i in "${TO_DB[@]}"; do
		stop_pid "$i"
		untrack_pid "$i"
	done
	for i in "${TO_NS[@]}"; do ip netns delete "$i" 2>/dev/null; done
	TO_VS=() TO_DB=() TO_NS=()
	cleanup_prefix "$BENCH_TAG-tovsA-$$"
	cleanup_prefix "$BENCH_TAG-tovsB-$$"
}

# ---- one measurement ------------------------------------------------------

# tunnel_counts VARIANT WORK: "A's tunnel tx / B's tunnel rx" in packets
# (OpenFlow port stats of the tunnel ports), for the log: the traffic did
# take the tunnel.
tunnel_counts() {
	local a b
	case $1 in
	sluice-tnl)
		a=tcp:127.0.0.1:$TNL_OFPORT b=tcp:127.0.0.1:$((TNL_OFPORT + 1)) ;;
	ovs-tnl)
		a=unix:$2/ovs/A/br-int.mgmt b=unix:$2/ovs/B/br-int.mgmt ;;
	esac
	echo "$(ofctl_do "$a" dump-ports 2 2>/dev/null | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p') /" \
		"$(ofctl_do "$b" dump-ports 2 2>/dev/null | sed -n 's/.*rx pkts=\([0-9]*\).*/\1/p')"
	# what each host saw, for whoever reads the logs
	for h in A B; do
		if [ "$1" = ovs-tnl ]; then
			for c in ovs/route/show tnl/neigh/show dpctl/dump-flows dpif-netdev/pmd-stats-show; do
				echo "== $c"; tovs_appctl $h $c 2>&1
			done
			ofctl_do "unix:$2/ovs/$h/br-int.mgmt" dump-ports 2>&1
			ovs-ofctl dump-ports "unix:$2/ovs/$h/br-phy.mgmt" 2>&1
		else
			ofctl_do "tcp:127.0.0.1:$([ $h = A ] && echo "$TNL_OFPORT" || echo $((TNL_OFPORT + 1)))" dump-ports 2>&1
		fi > "$2/diag-$h.txt"
	done
}

measure() { # VARIANT REP
	local v=$1 rep=$2 work res mpps loss note=""
	work=$RUN_DIR/$v-$rep
	mkdir -p "$work"
	gen_start "$work" "$FLOWS"
	case $v in
	sluice-tnl) tsl_start A "$work" "$GEN_SOCK0"; tsl_start B "$work" "$GEN_SOCK1" ;;
	ovs-tnl) tovs_start A "$work" "$GEN_SOCK0"; tovs_start B "$work" "$GEN_SOCK1" ;;
	sluice-pvp)
		sluice_start "$work" "$GEN_SOCK0" "$GEN_SOCK1" agent || die "$SLUICE_ERR"
		ofctl_do "$SLUICE_OF" add-flows - <<< $'in_port=1,actions=output:2\nin_port=2,actions=output:1' ||
			die "sluiced rejected the PVP rules" ;;
	ovs-pvp)
		ovs_start "$work" "$GEN_SOCK0" "$GEN_SOCK1"
		ofctl_do "$OVS_OF" add-flows - <<< $'in_port=1,actions=output:2\nin_port=2,actions=output:1' ||
			die "OVS rejected the PVP rules" ;;
	esac
	gen_wait_ready 120
	gen_cmd start
	sleep "$WARMUP"
	gen_measure_begin
	sleep "$DURATION"
	gen_measure_end
	res=$("$PY" "$BENCH_DIR/pvp_stats.py" gen "$GEN_LOG" "$GEN_T0" "$GEN_T1") ||
		die "cannot parse the generator's counters ($GEN_LOG)"
	read -r mpps loss _ <<< "$res"
	case $v in
	*-tnl) note="tunnel A tx / B rx pkts: $(tunnel_counts "$v" "$work")" ;;
	esac
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$rep" "${mpps:-0}" "${loss:--}" \
		"$(cut -d' ' -f1 /proc/loadavg)" "$note" >> "$RESULTS"
	log "$(printf '%-10s rep %s: %s Mpps, loss %s %%, load %s %s' "$v" "$rep" "${mpps:-0}" \
		"${loss:--}" "$(cut -d' ' -f1 /proc/loadavg)" "$note")"
	gen_stop
	case $v in
	sluice-tnl) tsl_stop ;;
	ovs-tnl) tovs_stop ;;
	sluice-pvp) sluice_stop ;;
	ovs-pvp) ovs_stop ;;
	esac
}

# ---- main -----------------------------------------------------------------

log "PVP through a tunnel in $RUN_DIR: variants '$VARIANTS', $REPS reps, $FLOWS flows," \
	"${WARMUP}s warm-up, ${DURATION}s windows; generator CPU $GEN_CPU, switch CPU" \
	"$SW_CPU (host B: $SW_CPU_B), control CPU $CTL_CPU"
printf '# %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC') $(uname -n) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); generator CPU $GEN_CPU, switch CPU $SW_CPU (B $SW_CPU_B); DPDK $(dpkg-query -W -f '${Version}' dpdk 2>/dev/null), OVS $(dpkg-query -W -f '${Version}' openvswitch-switch-dpdk 2>/dev/null), sluice $(sluice_version)" > "$RESULTS"

read -r -a V_LIST <<< "$VARIANTS"
for rep in $(seq "$REPS"); do
	n=${#V_LIST[@]}
	for i in $(seq 0 $((n - 1))); do
		measure "${V_LIST[$(((i + rep - 1) % n))]}" "$rep"
	done
done

echo
echo "PVP through a VXLAN tunnel: Mpps received (both directions), 64-byte UDP, $FLOWS flows," \
	"${DURATION}s windows, $REPS reps; tunnel variants: both hosts' datapaths on CPU $SW_CPU$([ "$SW_CPU_B" = "$SW_CPU" ] || echo " and $SW_CPU_B")"
head -1 "$RESULTS"
awk -F'\t' '!/^#/ { v[$1] = v[$1] " " $3; l[$1] = l[$1] " " $5 }
	function med(s,  a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function best(s,  a, n, i, b) { n = split(s, a, " "); b = 0; for (i = 1; i <= n; i++) if (a[i] + 0 > b) b = a[i] + 0; return b }
	END {
		printf "%-11s %8s %8s  %s\n", "variant", "median", "best", "all (load average at each)"
		split("sluice-tnl ovs-tnl sluice-pvp ovs-pvp", order, " ")
		for (k = 1; k <= 4; k++) { x = order[k]; if (!(x in v)) continue
			m[x] = med(v[x]); b[x] = best(v[x])
			printf "%-11s %8.3f %8.3f %s (%s)\n", x, m[x], b[x], v[x], l[x] }
		if (("sluice-tnl" in m) && ("ovs-tnl" in m) && m["ovs-tnl"] > 0)
			printf "tunnel Sluice/OVS: median %.2fx, best %.2fx\n", m["sluice-tnl"] / m["ovs-tnl"], b["sluice-tnl"] / b["ovs-tnl"]
		if (("sluice-pvp" in m) && ("ovs-pvp" in m) && m["ovs-pvp"] > 0)
			printf "plain  Sluice/OVS: median %.2fx, best %.2fx\n", m["sluice-pvp"] / m["ovs-pvp"], b["sluice-pvp"] / b["ovs-pvp"]
	}' "$RESULTS"
dead=$(awk -F'\t' '!/^#/ && $3 + 0 == 0 { print $1, "rep", $2 }' "$RESULTS")
if [ -n "$dead" ]; then
	echo "FAIL: no packet came back in:"
	echo "$dead"
	exit 3
fi
exit 0
}
