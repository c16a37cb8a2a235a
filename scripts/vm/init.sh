#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: BSD-3-Clause
#
# /init of the test guest (scripts/vm/build-guest.sh puts it in the
# initramfs). Kernel command line:
#   sl.ip=ADDR/LEN   eth0's IPv4 address (none: eth0 stays down)
#   sl.mtu=N         eth0's MTU (default 1500)
#   sl.name=NAME     the host name, shown in the ready line
# Console (ttyS0) gets "SLUICE-GUEST-READY NAME" once eth0 is configured.
# Then every line "ID COMMAND" read on ttyS1 runs as `sh -c COMMAND` (stdin
# /dev/null, output to ttyS1), followed by a line "__SL_DONE__ ID STATUS".
# Without a ttyS1, the guest powers off after the ready line.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp

ip=""
mtu=1500
name=guest
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	sl.ip=*) ip=${arg#sl.ip=} ;;
	sl.mtu=*) mtu=${arg#sl.mtu=} ;;
	sl.name=*) name=${arg#sl.name=} ;;
	esac
done
hostname "$name"

for m in $(cat /lib/modules/load-order); do
	insmod "/lib/modules/$m.ko" || echo "init: insmod $m failed" > /dev/console
done
ip link set lo up
if [ -n "$ip" ]; then
	# virtio_net registers eth0 during its probe; give a slow guest time.
	n=0
	while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	ip link set eth0 mtu "$mtu" || echo "init: mtu $mtu refused" > /dev/console
	ip addr add "$ip" dev eth0
	ip link set eth0 up
fi
echo "SLUICE-GUEST-READY $name $(cat /sys/class/net/eth0/address 2> /dev/null)" > /dev/console

if [ ! -e /dev/ttyS1 ] || ! stty -F /dev/ttyS1 raw -echo 2> /dev/null; then
	poweroff -f
fi
exec < /dev/ttyS1 > /dev/ttyS1 2>&1
while IFS= read -r line; do
	id=${line%% *}
	cmd=${line#* }
	sh -c "$cmd" < /dev/null
	echo "__SL_DONE__ $id $?"
done
# ttyS1 closed (it should not): keep PID 1 alive for the console.
while :; do sleep 3600; done
