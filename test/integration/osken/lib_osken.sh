# Helpers of the os-ken integration tests (sourced; sources ../lib.sh).
# A test starts with
#     . "$(dirname "$0")/osken/lib_osken.sh"
#     os_begin NAME "$1" VETH...
# which sets T (temp dir), NAME (short unique prefix, <= 6 chars), SLUICED
# and VETHS, and cleans up on exit (os_cleanup). Apps run with
# /usr/bin/osken-manager and talk to the test through files in $T (see
# sl_common.py).

OSKEN=/usr/bin/osken-manager
OS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OS_PIDS=()
OS_NETNS=()
PID=
. "$OS_DIR/../lib.sh"

# os_require: skip (77) without os-ken or ovs-ofctl.
os_require() {
	[ -x "$OSKEN" ] || { echo "osken-manager not installed (python3-os-ken): skipped"; exit 77; }
	os_require_ofctl
}

# os_begin [--ofctl-only] NAME SLUICED VETH...: the start of every test
# here: strict mode (set -euo pipefail), SLUICED (the test's argument,
# required), skip (77) without os-ken and ovs-ofctl (--ofctl-only: without
# ovs-ofctl), then NAME, VETHS (the veth pairs the test will create, as
# it_veths names), T = a new temp dir /tmp/sl-it-NAME.*, and an EXIT trap
# that stops what the test started and removes VETHS and T (os_cleanup).
os_begin() {
	local need=os_require
	set -euo pipefail
	if [ "${1:-}" = --ofctl-only ]; then need=os_require_ofctl; shift; fi
	NAME=${1:?test name}
	SLUICED=${2:?path to sluiced}
	shift 2
	VETHS="$*"
	$need
	T=$(mktemp -d "/tmp/sl-it-$NAME.XXXXXX")
	trap 'os_cleanup $VETHS' EXIT
}

# os_require_ofctl: skip (77) without ovs-ofctl.
os_require_ofctl() {
	command -v ovs-ofctl >/dev/null || { echo "ovs-ofctl missing: skipped"; exit 77; }
}

# os_free_port: a free TCP port on 127.0.0.1.
os_free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# os_start_app APPNAME PORT APP.py [ENV=VALUE...]: osken-manager listening on
# 127.0.0.1:PORT running APP.py; its files are $T/APPNAME.*. Sets OS_LAST.
os_start_app() {
	local name=$1 port=$2 app=$3
	shift 3
	env SL_OSKEN_DIR="$T" SL_OSKEN_NAME="$name" PYTHONPATH="$OS_DIR" "$@" \
		/usr/bin/python3 "$OSKEN" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" \
		"$OS_DIR/$app" >>"$T/$name.log" 2>&1 &
	OS_LAST=$!
	OS_PIDS+=("$OS_LAST")
}

# os_stop_app PID: stop one controller (and reap it).
os_stop_app() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# os_wait_file FILE SECONDS: wait until FILE exists, else fail.
os_wait_file() {
	local n=$(( $2 * 10 ))
	for _ in $(seq "$n"); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	cat "$T"/*.log 2>/dev/null | tail -30
	it_fail "timed out waiting for $(basename "$1")"
}

# os_netns_pair NS1 NS2 VETH1 VETH2: namespaces NS1/NS2 with 10.77.0.1/.2 on
# VETH{1,2}1; the VETH{1,2}0 ends stay in the root namespace for sluiced.
os_netns_pair() {
	local i=1
	it_veths "$3" "$4"
	for pair in "$1:$3" "$2:$4"; do
		local ns=${pair%%:*} v=${pair##*:}
		ip netns del "$ns" 2>/dev/null || true
		ip netns add "$ns"
		OS_NETNS+=("$ns")
		ip link set "${v}1" netns "$ns"
		ip -n "$ns" link set lo up
		ip -n "$ns" link set "${v}1" address "02:00:00:00:77:0$i"
		ip -n "$ns" addr add "10.77.0.$i/24" dev "${v}1"
		ip -n "$ns" link set "${v}1" up
		ip netns exec "$ns" sysctl -qw "net.ipv6.conf.all.disable_ipv6=1" || true
		i=$((i + 1))
	done
}

# os_sluiced_ini FILE PORTLIST [OPENFLOW-LINES]: write a config with one
# af_packet port per root-side veth end (ofport 1, 2, ...) and the given
# [openflow] lines.
os_sluiced_ini() {
	local file=$1 ports=$2 of=$3 n=1
	{
		printf '[switch]\nmain_lcore = 0\nworkers = 1\ndatapath_id = 0x5100\n'
		printf '[dpdk]\neal_args = --no-pci --in-memory --file-prefix=%s-%s --log-level=lib.eal:warning\n' "$NAME" "$$"
		printf '[openflow]\n%s\n' "$of"
		for v in $ports; do
			printf '[port:p%s]\ntype = dpdk\ndevargs = net_af_packet_%s%s%s,iface=%s\nofport = %s\n' \
				"$n" "$NAME" "$n" "$$" "$v" "$n"
			n=$((n + 1))
		done
	} > "$file"
}

# os_cleanup VETH...: stop sluiced and the controllers, remove namespaces
# and veths.
os_cleanup() {
	# set -e is still on in the EXIT trap: nothing here may fail
	[ -z "$PID" ] || kill "$PID" 2>/dev/null || true
	for p in "${OS_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for ns in "${OS_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
	it_del_veths "$@"
	rm -rf "$T"
}
