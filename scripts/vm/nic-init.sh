#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: BSD-3-Clause
#
# /init of the NIC test guest (scripts/vm/build-nic-guest.sh). It loads the
# igb, igbvf, vfio and 9p modules, mounts the host's root file system (shared
# read-only by QEMU as 9p tag "hostroot", run-nic-guest.sh) on /host with a
# writable /run, /var/tmp and hugepages of the guest's own over it, and then
# runs every command inside that root (chroot /host): the guest uses the
# host's DPDK, sluiced build, iproute2, python3 and scripts/host/ as they are.
# Kernel command line: sl.name=NAME, sl.hugepages=N (2 MiB pages, default 256).
# Console (ttyS0) gets "SLUICE-GUEST-READY NAME"; then every line
# "ID COMMAND" read on ttyS1 runs as `chroot /host sh -c COMMAND` (stdin
# /dev/null, output to ttyS1), followed by "__SL_DONE__ ID STATUS"
# (scripts/vm/guest.py speaks this).
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

name=nicguest
pages=256
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	sl.name=*) name=${arg#sl.name=} ;;
	sl.hugepages=*) pages=${arg#sl.hugepages=} ;;
	esac
done
hostname "$name"

# The vIOMMU has no interrupt remapping (run-nic-guest.sh says why), which
# vfio refuses unless told that this guest accepts it.
for m in $(cat /lib/modules/load-order); do
	args=""
	[ "$m" = vfio_iommu_type1 ] && args=allow_unsafe_interrupts=1
	insmod "/lib/modules/$m.ko" $args || echo "init: insmod $m failed" > /dev/console
done
ip link set lo up
echo "$pages" > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages

mkdir -p /host
H=/host
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot $H ||
	echo "init: cannot mount the host's root (9p hostroot)" > /dev/console
mount -t proc proc $H/proc
mount -t sysfs sysfs $H/sys
mount -t devtmpfs devtmpfs $H/dev
mkdir -p $H/dev/hugepages $H/dev/pts
mount -t hugetlbfs -o pagesize=2M nodev $H/dev/hugepages
mount -t tmpfs tmpfs $H/run
mount -t tmpfs tmpfs $H/var/tmp
echo "SLUICE-GUEST-READY $name" > /dev/console

if [ ! -e /dev/ttyS1 ] || ! stty -F /dev/ttyS1 raw -echo 2> /dev/null; then
	poweroff -f
fi
exec < /dev/ttyS1 > /dev/ttyS1 2>&1
while IFS= read -r line; do
	id=${line%% *}
	cmd=${line#* }
	PYTHONDONTWRITEBYTECODE=1 HOME=/run chroot $H /bin/sh -c "$cmd" < /dev/null
	echo "__SL_DONE__ $id $?"
done
while :; do sleep 3600; done
