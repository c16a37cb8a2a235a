# SPDX-License-Identifier: BSD-3-Clause
# Helpers of the tests that run sluiced inside the QEMU 10 NIC guest
# (scripts/vm/build-nic-guest.sh: TCG, q35, intel-iommu, two emulated Intel
# 82576 NICs on UDP wires, the host's root over 9p). The caller sets SLUICED
# and HERE, sources this file (it sources lib.sh and sets REPO), then calls
# nic_init.
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/lib.sh"
# the MAC that NIC 2's PF gives VF 0 (nic_vf)
VF_MAC=02:00:00:00:0f:01

# nic_need: skip (exit 77) without root, QEMU 10 or ovs-ofctl.
nic_need() {
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
	[ -x /opt/qemu10/usr/bin/qemu-system-x86_64 ] ||
		{ echo "SKIP: no QEMU 10 in /opt/qemu10 (scripts/setup.sh runs scripts/vm/install-qemu10.sh)"; exit 77; }
	command -v ovs-ofctl > /dev/null || { echo "SKIP: ovs-ofctl missing"; exit 77; }
}

# nic_init NAME UDP_BASE: nic_need, the work directory T (/tmp/NAME.XXXXXX),
# its EXIT trap, and the wires: NIC n receives on BASE+2n-2 and sends to
# BASE+2n-1 (W1_IN W1_OUT W2_IN W2_OUT). NIC_KEEP=1 keeps the guest and T.
nic_init() {
	nic_need
	VM=$REPO/scripts/vm
	GUEST=${SLUICE_NIC_GUEST:-/var/cache/sluice-vm/nicguest}
	BASE=$2
	W1_IN=$BASE W1_OUT=$((BASE + 1)) W2_IN=$((BASE + 2)) W2_OUT=$((BASE + 3))
	OF="ovs-ofctl -O OpenFlow13"
	SW=tcp:127.0.0.1:6653
	QPID=
	BG=()
	T=$(mktemp -d "/tmp/$1.XXXXXX")
	trap nic_cleanup EXIT
}

nic_cleanup() {
	local p
	for p in "${BG[@]}"; do kill "$p" 2> /dev/null || true; done
	if [ "${NIC_KEEP:-0}" = 1 ] && [ -n "$QPID" ]; then
		echo "kept $T (and the guest, QEMU pid $QPID: scripts/vm/guest.py run $T/ctl -- ...)"
		return
	fi
	[ -n "$QPID" ] && kill "$QPID" 2> /dev/null || true
	wait 2> /dev/null || true
	rm -rf "$T"
}

# fail MESSAGE: the guest's console, the port status the controller saw,
# sluicectl show (where the test set CTL), sluiced's log in the guest, the
# message; exit 1.
fail() {
	echo "--- guest console (tail)"; tail -20 "$T/console" 2> /dev/null || true
	echo "--- port status seen by the controller"; g 'cat /run/sl/ps.txt' 2> /dev/null || true
	if [ -n "${CTL:-}" ]; then
		echo "--- sluicectl show"; g "$CTL show" 2> /dev/null || true
	fi
	echo "--- sluiced log in the guest (tail)"
	g 'tail -60 /run/sl/sluiced.log' > "$T/log" 2> /dev/null || true
	it_fail "$*" # prints $T/log
}

# g COMMAND: run a one-line shell command in the guest (inside the host's
# root); GT seconds at most (180).
g() { /usr/bin/python3 "$VM/guest.py" run "$T/ctl" --timeout "${GT:-180}" -- "$*"; }
wire() { /usr/bin/python3 "$VM/nic_wire.py" "$@"; }

# nic_boot: build the guest image (cached) and boot it (QEMU's pid: QPID).
nic_boot() {
	bash "$VM/build-nic-guest.sh" "$GUEST"
	"$VM/run-nic-guest.sh" "$GUEST" "$T" "$BASE" > "$T/qemu.log" 2>&1 &
	QPID=$!
	/usr/bin/python3 "$VM/guest.py" ready "$T/console" --timeout 300 || {
		cat "$T/qemu.log"; fail "the NIC guest did not boot"; }
	echo "guest up"
}

# nic_vf N VF_OPTS: with the host scripts, for real: N VFs on NIC 2's PF
# (make-vfs.sh), VF 0 given VF_MAC and "ip link ... vf 0" options VF_OPTS by
# the PF driver, VF 0 and NIC 1's PF bound to vfio-pci (bind-nic.sh), NIC 2's
# PF up (its VFs pass traffic only while it is: igb resets the PF when VFs
# are made, which can leave it down). Sets PF1, PF2, PF2_IF and VF.
nic_vf() {
	local pfs
	pfs=$(g 'grep -l 0x10c9 /sys/bus/pci/devices/*/device | xargs -n1 dirname | xargs -n1 basename | sort')
	set -- "$1" "$2" $pfs
	[ $# = 4 ] || fail "expected two 82576 PFs in the guest, found: $pfs"
	PF1=$3 PF2=$4
	PF2_IF=$(g "ls /sys/bus/pci/devices/$PF2/net")
	echo "PF1 $PF1, PF2 $PF2 ($PF2_IF)"
	g "cd $REPO && bash scripts/host/make-vfs.sh $PF2 $1" || fail "make-vfs.sh failed"
	VF=$(g "basename \$(readlink /sys/bus/pci/devices/$PF2/virtfn0)")
	g "ip link set $PF2_IF up && ip link set $PF2_IF vf 0 mac $VF_MAC $2" ||
		fail "the PF driver refused the VF's MAC ($2)"
	g "cd $REPO && bash scripts/host/bind-nic.sh $VF 2> /dev/null && bash scripts/host/bind-nic.sh $PF1 2> /dev/null" ||
		fail "bind-nic.sh failed"
	g "ip link set $PF2_IF up; for i in \$(seq 60); do grep -q up /sys/class/net/$PF2_IF/operstate && exit 0; sleep 0.5; done; exit 1" ||
		fail "$PF2_IF (PF2) does not come up"
}

# nic_ini FILE FILE_PREFIX: sluiced's configuration in the guest, NIC 1's
# PF (port pf, ofport 1) and the VF (port vf, ofport 2) by PCI address, a
# secure switch whose controller is the port-status one (nic_start_sluiced);
# more port sections may follow.
nic_ini() {
	cat > "$1" << INI
[switch]
main_lcore = 0
workers = 1
[dpdk]
eal_args = --in-memory --file-prefix=$2 --log-level=lib.eal:warning ${NIC_EAL_ARGS:-}
[openflow]
listen = ptcp:6653
controllers = tcp:127.0.0.1:6633
fail_mode = secure
[port:pf]
type = dpdk
devargs = $PF1
ofport = 1
[port:vf]
type = dpdk
devargs = $VF
ofport = 2
INI
}

# nic_start_sluiced INI WHAT: in the guest, a port-status controller on
# 6633 (portstatus_ctl.py, lines in /run/sl/ps.txt) and sluiced with INI;
# waits until the controller is connected and sluiced answers ovs-ofctl.
nic_start_sluiced() {
	g "mkdir -p /run/sl && cd /run/sl && (setsid python3 $HERE/portstatus_ctl.py 6633 /run/sl/ps.txt 900 > ctl.log 2>&1 &) && (setsid $SLUICED -c $1 > sluiced.log 2>&1 & echo \$! > sluiced.pid)"
	nic_wait_sluiced "$2" ctl
}

# ps_count S: the port-status controller's lines about pf (ofport 1) with
# state S (0x1 LINK_DOWN, 0x4 LIVE)
ps_count() { g "grep -c 'MODIFY 1 pf .*state=$1\$' /run/sl/ps.txt || true"; }

# nic_wait_sluiced WHAT [ctl]: wait until sluiced answers ovs-ofctl (and,
# with "ctl", the port-status controller is connected).
nic_wait_sluiced() {
	local c=
	[ "${2:-}" = ctl ] && c="grep -q connected /run/sl/ps.txt 2> /dev/null && "
	g "for i in \$(seq 240); do $c$OF show $SW > /dev/null 2>&1 && exit 0; sleep 1; done; exit 1" ||
		fail "sluiced did not start with $1"
}

# nic_stop_sluiced [PID [LOG...]]: SIGTERM to sluiced (PID, default the one
# in /run/sl/sluiced.pid), wait for it to exit, and fail on a sanitizer
# report in LOG... (default /run/sl/sluiced.log).
nic_stop_sluiced() {
	local pid=${1:-\$(cat /run/sl/sluiced.pid)}
	shift || true
	local logs="${*:-/run/sl/sluiced.log}"
	g "kill -TERM $pid; for i in \$(seq 60); do kill -0 $pid 2> /dev/null || exit 0; sleep 1; done; exit 1" ||
		fail "sluiced did not stop on SIGTERM"
	if g "grep -E -q 'runtime error:|AddressSanitizer|LeakSanitizer' $logs"; then
		fail "sanitizer report in sluiced's log"
	fi
}

# nic_capture: what NIC 1 and NIC 2 send, in $T/w1.txt and $T/w2.txt
# (nic_wire.py capture for 15 min; python itself in the background, not a
# function, so that the cleanup kills it), from a second later.
nic_capture() {
	/usr/bin/python3 "$VM/nic_wire.py" capture "$W1_OUT" "$T/w1.txt" 900 & BG+=($!)
	/usr/bin/python3 "$VM/nic_wire.py" capture "$W2_OUT" "$T/w2.txt" 900 & BG+=($!)
	sleep 1
}

# settle WHAT EXPECT COMMAND...: wait (up to 90 s: a command in the guest
# takes seconds under TCG) until COMMAND prints EXPECT; a failing COMMAND
# counts as not yet.
settle() {
	local what=$1 want=$2 got= end=$((SECONDS + 90))
	shift 2
	while :; do
		got=$("$@" || true)
		[ "$got" = "$want" ] && return 0
		[ "$SECONDS" -lt "$end" ] || break
		sleep 0.5
	done
	fail "$what: got \"$got\", expected \"$want\""
}

# nic_counts NAME1 NAME2: "rx1 tx1 rx2 tx2", the packets of ofports 1 and 2
# (named NAME1 and NAME2) in dump-ports.
nic_counts() {
	g "$OF dump-ports $SW" | awk -v a="$1" -v b="$2" '
		$1 == "port" { p = "" }
		$0 ~ "port +\"?(1|" a ")\"?:" { p = "a" } $0 ~ "port +\"?(2|" b ")\"?:" { p = "b" }
		p != "" && match($0, /rx pkts=[0-9]+/) { rx[p] = substr($0, RSTART + 8, RLENGTH - 8) }
		p != "" && match($0, /tx pkts=[0-9]+/) { tx[p] = substr($0, RSTART + 8, RLENGTH - 8) }
		END { print rx["a"] + 0, tx["a"] + 0, rx["b"] + 0, tx["b"] + 0 }'
}
