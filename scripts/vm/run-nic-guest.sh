#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run the NIC test guest (build-nic-guest.sh) in QEMU 10 (install-qemu10.sh)
# on a q35 machine with two emulated Intel 82576 NICs (QEMU's igb: a PF
# with SR-IOV, up to 7 VFs), each on its own PCIe root port, and an
# intel-iommu vIOMMU, so that vfio-pci works in the guest; exec's QEMU, so
# run it in the background.
#
#   run-nic-guest.sh GUESTDIR WORKDIR UDP_BASE
#
# The NICs' wires are UDP sockets on the host's loopback (-netdev dgram: one
# frame per datagram, scripts/vm/nic_wire.py speaks it): NIC n (1, 2) sends
# to 127.0.0.1:UDP_BASE+2n-1 and listens on 127.0.0.1:UDP_BASE+2n-2. Their
# QEMU netdev ids are wire1 and wire2 (the monitor's set_link takes them).
# WORKDIR gets console (the guest's console), ctl (scripts/vm/guest.py's
# control socket) and mon (the QEMU monitor, a Unix socket).
#
# Facts that shape the command line:
# - no nested KVM on the CI VMs: TCG (SL_VM_ACCEL=kvm to try KVM elsewhere);
# - the vIOMMU has no interrupt remapping: with it, the kernel's check that
#   the timer interrupt works through the remapped IO-APIC fails on a loaded
#   host under TCG (a panic at boot); so the guest lets vfio accept
#   unremapped interrupts (vfio_iommu_type1 allow_unsafe_interrupts=1,
#   nic-init.sh; Debian's kernel has no vfio no-IOMMU mode to use instead),
#   and no_timer_check skips the same check of the plain IO-APIC;
# - the 9p device bypasses the vIOMMU (no iommu_platform), as the host's
#   root is not the guest's DMA;
# - romfile= (empty): no iPXE option ROM, none is needed to boot -kernel.
# Env: SL_VM_MEM (MiB, default 1024), SL_VM_SMP (default 2), SL_VM_HUGEPAGES
#      (2 MiB pages in the guest, default 256), SL_QEMU10 (default /opt/qemu10),
#      SL_VM_NUMA=1: two NUMA nodes (test_numa_vhost.sh), half the memory
#      and CPU 0 on node 0, the other half and CPU 1 on node 1 (SL_VM_SMP 2).
set -euo pipefail

GUEST=${1:?usage: run-nic-guest.sh GUESTDIR WORKDIR UDP_BASE}
WORK=${2:?}
BASE=${3:?}
Q=${SL_QEMU10:-/opt/qemu10}
for f in kernel initrd.img; do
	[ -f "$GUEST/$f" ] || { echo "run-nic-guest.sh: $GUEST/$f missing (build-nic-guest.sh)" >&2; exit 2; }
done
[ -x "$Q/usr/bin/qemu-system-x86_64" ] ||
	{ echo "run-nic-guest.sh: no QEMU 10 in $Q (scripts/vm/install-qemu10.sh)" >&2; exit 2; }
rm -f "$WORK/ctl" "$WORK/console" "$WORK/mon"

numa=()
if [ "${SL_VM_NUMA:-0}" = 1 ]; then
	half=$((${SL_VM_MEM:-1024} / 2))
	numa=(-object "memory-backend-ram,id=mem0,size=${half}M"
		-object "memory-backend-ram,id=mem1,size=${half}M"
		-numa "node,nodeid=0,cpus=0,memdev=mem0" -numa "node,nodeid=1,cpus=1,memdev=mem1")
fi

# wire N: the dgram netdev of NIC N
wire() {
	echo "dgram,id=wire$1,local.type=inet,local.host=127.0.0.1,local.port=$((BASE + 2 * $1 - 2)),remote.type=inet,remote.host=127.0.0.1,remote.port=$((BASE + 2 * $1 - 1))"
}

exec "$Q/usr/bin/qemu-system-x86_64" -L "$Q/usr/share/qemu" -L "$Q/usr/share/seabios" \
	-name nicguest -nodefaults -no-user-config -display none \
	-machine "q35,accel=${SL_VM_ACCEL:-tcg}" \
	-cpu max -smp "${SL_VM_SMP:-2}" -m "${SL_VM_MEM:-1024}M" "${numa[@]}" \
	-device intel-iommu,intremap=off \
	-kernel "$GUEST/kernel" -initrd "$GUEST/initrd.img" \
	-append "console=ttyS0 quiet intel_iommu=on no_timer_check ipv6.disable=1 panic=-1 sl.name=nicguest sl.hugepages=${SL_VM_HUGEPAGES:-256}" \
	-no-reboot \
	-serial "file:$WORK/console" \
	-chardev "socket,id=ctl,path=$WORK/ctl,server=on,wait=off" \
	-serial chardev:ctl \
	-monitor "unix:$WORK/mon,server=on,wait=off" \
	-fsdev local,id=hostroot,path=/,security_model=none,readonly=on \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-device pcie-root-port,id=rp1,chassis=1,slot=1 \
	-device pcie-root-port,id=rp2,chassis=2,slot=2 \
	-netdev "$(wire 1)" -device igb,netdev=wire1,bus=rp1,mac=52:54:00:5e:00:01,romfile= \
	-netdev "$(wire 2)" -device igb,netdev=wire2,bus=rp2,mac=52:54:00:5e:00:02,romfile=
