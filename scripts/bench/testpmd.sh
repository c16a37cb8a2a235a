# SPDX-License-Identifier: BSD-3-Clause
#
# dpdk-testpmd in the PVP benchmark, in two roles:
#
# - the generator (gen_*): two virtio_user ports in vhost-user SERVER mode
#   (it creates the sockets; every switch under test connects as a client,
#   like to QEMU), --forward-mode=flowgen: it transmits 64-byte UDP packets
#   on both ports (nw_dst = 10.253.0.0 + i, i cycling over --flowgen-flows)
#   and counts what comes back on each, so traffic is bidirectional.
#   Interactive, driven through a FIFO on its stdin (fd 9).
# - the ceiling switch (ceil_*): an io forwarder between two net_vhost
#   ports in client mode: the vhost copies and nothing else, the upper bound
#   of any switch in this harness. Interactive through a FIFO on fd 8.
#
# Each process is small (-m 256, --single-file-segments, its own
# --file-prefix) and its lcores are pinned: the generator's main lcore and
# first forwarding lcore on GEN_CPU, one forwarding lcore per CPU of
# GEN_CPUS; the ceiling's forwarding lcores on SW_CPUS and its (idle) main
# lcore on CTL_CPU. With WORKERS > 1 every port has WORKERS queue pairs
# and each forwarding lcore serves queue i of both ports.

TESTPMD=${TESTPMD:-$(command -v dpdk-testpmd || true)}
GEN_PID=
CEIL_PID=

# testpmd_args MAIN_CPU CPU_LIST PREFIX: the options both roles share, for
# WORKERS queues per port: TP_EAL (before the vdevs), TP_APP (after --).
testpmd_args() {
	local q=${WORKERS:-1}
	TP_EAL=(--lcores="$(testpmd_lcores "$1" "$2")" --main-lcore 0 --no-pci
		--single-file-segments --file-prefix="$3" -m $((192 + 64 * q)))
	TP_APP=(--nb-cores="$q" --rxq="$q" --txq="$q" --burst=32
		--total-num-mbufs=$((16384 * q)) --rxd=1024 --txd=1024 --record-core-cycles)
}

# testpmd_lcores MAIN_CPU CPU_LIST: "0@MAIN,1@C1,2@C2,...".
testpmd_lcores() {
	local out="0@$1" c i=1
	local IFS=,
	for c in $2; do
		out="$out,$i@$c"
		i=$((i + 1))
	done
	echo "$out"
}

# gen_start WORKDIR FLOWS: start the generator; it blocks in probe until a
# switch connects to both sockets, then shows its prompt (gen_wait_ready).
gen_start() {
	local work=$1 flows=$2
	GEN_LOG=$work/generator.log
	GEN_PREFIX=$BENCH_TAG-gen-$$
	GEN_SOCK0=$work/gen0.sock
	GEN_SOCK1=$work/gen1.sock
	rm -f "$work/gen.fifo" "$GEN_SOCK0" "$GEN_SOCK1"
	mkfifo "$work/gen.fifo"
	track_prefix "$GEN_PREFIX"
	local q=${WORKERS:-1}
	testpmd_args "$GEN_CPU" "$GEN_CPUS" "$GEN_PREFIX"
	stdbuf -oL "$TESTPMD" "${TP_EAL[@]}" \
		"--vdev=net_virtio_user0,path=$GEN_SOCK0,server=1,queues=$q,queue_size=1024" \
		"--vdev=net_virtio_user1,path=$GEN_SOCK1,server=1,queues=$q,queue_size=1024" \
		-- -i --forward-mode=flowgen --flowgen-flows="$flows" --txpkts=64 "${TP_APP[@]}" \
		< "$work/gen.fifo" > "$GEN_LOG" 2>&1 &
	GEN_PID=$!
	track_pid "$GEN_PID"
	exec 9> "$work/gen.fifo"
	# virtio_user in server mode blocks in probe until its client comes:
	# the second socket appears only once the switch took the first one
	# (every switch here reconnects until it finds its sockets).
	local t=200
	until [ -S "$GEN_SOCK0" ]; do
		kill -0 "$GEN_PID" 2>/dev/null || die "generator exited (see $GEN_LOG)"
		t=$((t - 1))
		[ "$t" -gt 0 ] || die "generator socket missing after 20 s ($GEN_LOG)"
		sleep 0.1
	done
}

gen_cmd() { echo "$*" >&9 2>/dev/null || die "generator is gone (command: $*)"; }

# gen_wait_ready SECONDS: the prompt appears once both vhost-user
# connections are up (virtio_user server blocks in probe until then).
gen_wait_ready() {
	wait_for "$1" "$GEN_LOG" '^testpmd> ' ||
		die "generator never got its two vhost-user connections ($GEN_LOG)"
}

# gen_measure_begin: reset the port counters; GEN_T0 = the start time.
gen_measure_begin() {
	GEN_BLOCKS=$(grep -c 'NIC statistics for port 1' "$GEN_LOG")
	gen_cmd "clear port stats all"
	GEN_T0=$(now)
}

# gen_measure_end: print the port counters; GEN_T1 = the end time. The
# numbers are read afterwards by pvp_stats.py from the last block.
gen_measure_end() {
	gen_cmd "show port stats all"
	GEN_T1=$(now)
	wait_for 10 "$GEN_LOG" 'NIC statistics for port 1' $((GEN_BLOCKS + 1)) ||
		die "generator did not print its statistics ($GEN_LOG)"
	sleep 0.2 # the rest of the block
}

gen_stop() {
	[ -n "$GEN_PID" ] || return 0
	echo "stop" >&9 2>/dev/null
	echo "quit" >&9 2>/dev/null
	exec 9>&-
	local i
	for i in $(seq 50); do
		kill -0 "$GEN_PID" 2>/dev/null || break
		sleep 0.1
	done
	stop_pid "$GEN_PID"
	untrack_pid "$GEN_PID"
	GEN_PID=
	cleanup_prefix "$GEN_PREFIX"
}

# ---- the ceiling: testpmd io forwarding between two net_vhost ports -------

# ceil_start WORKDIR SOCK0 SOCK1
ceil_start() {
	local work=$1
	CEIL_LOG=$work/ceiling.log
	CEIL_PREFIX=$BENCH_TAG-ceil-$$
	rm -f "$work/ceil.fifo"
	mkfifo "$work/ceil.fifo"
	track_prefix "$CEIL_PREFIX"
	local q=${WORKERS:-1}
	testpmd_args "$CTL_CPU" "$SW_CPUS" "$CEIL_PREFIX"
	stdbuf -oL "$TESTPMD" "${TP_EAL[@]}" \
		"--vdev=net_vhost0,iface=$2,client=1,queues=$q" \
		"--vdev=net_vhost1,iface=$3,client=1,queues=$q" \
		-- -i --forward-mode=io "${TP_APP[@]}" \
		< "$work/ceil.fifo" > "$CEIL_LOG" 2>&1 &
	CEIL_PID=$!
	track_pid "$CEIL_PID"
	exec 8> "$work/ceil.fifo"
	wait_for 30 "$CEIL_LOG" '^testpmd> ' || die "ceiling testpmd did not start ($CEIL_LOG)"
	echo "start" >&8
}

ceil_begin() {
	echo "clear fwd stats all" >&8
}

# ceil_end: prints busy cycles per packet of the forwarding lcore.
ceil_end() {
	local n
	n=$(grep -c 'CPU cycles/packet' "$CEIL_LOG")
	echo "show fwd stats all" >&8
	wait_for 10 "$CEIL_LOG" 'CPU cycles/packet' $((n + 1)) || { echo -; return; }
	grep 'CPU cycles/packet' "$CEIL_LOG" | tail -1 |
		sed -E 's/.*CPU cycles\/packet=([0-9.]+).*/\1/'
}

ceil_stop() {
	[ -n "$CEIL_PID" ] || return 0
	echo "stop" >&8 2>/dev/null
	echo "quit" >&8 2>/dev/null
	exec 8>&-
	local i
	for i in $(seq 50); do
		kill -0 "$CEIL_PID" 2>/dev/null || break
		sleep 0.1
	done
	stop_pid "$CEIL_PID"
	untrack_pid "$CEIL_PID"
	CEIL_PID=
	cleanup_prefix "$CEIL_PREFIX"
}
