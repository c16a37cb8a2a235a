#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run a test guest (scripts/vm/build-guest.sh) in QEMU with one virtio-net
# card on a vhost-user socket; exec's QEMU, so run it in the background.
#
#   run-guest.sh GUESTDIR WORKDIR NAME VHOST_SOCK MODE IP/LEN [MTU]
#
# MODE: "server": QEMU creates VHOST_SOCK and sluiced connects (sluiced's
# port mode = client, the default); "client": sluiced creates it (mode =
# server) and QEMU connects, and reconnects every second when sluiced goes
# away (reconnect=1). QEMU waits for the vhost-user connection before the
# guest starts.
# WORKDIR gets NAME.console (the guest's console: kernel log, ready line)
# and NAME.ctl (the control socket of scripts/vm/guest.py).
#
# Facts that shape the command line (Debian 12's QEMU 7.2 on the CI VMs):
# - no nested KVM there, so TCG (SL_VM_ACCEL=kvm to try KVM elsewhere);
# - -kernel with an ELF vmlinux boots through its PVH note: no decompression;
# - no_timer_check: on a loaded host the emulated IO-APIC timer check fails
#   and the kernel panics at boot ("IO-APIC + timer doesn't work");
# - a vhost-user virtio-net card with MSI-X crashes QEMU 7.2 under TCG:
#   vectors=0 (legacy INTx interrupts: the guest is interrupt-driven);
# - guest memory must be shared with sluiced: memfd, share=on;
# - the guest's checksum and TSO offloads are left on the card: the guest
#   gets those the vhost-user port offers (sluiced: [port:X] offloads =
#   yes; dataplane/port/port_vhost.c).
# Env: SL_VM_MEM (MiB, default 256), SL_VM_MAC (default by NAME's digits),
#      SL_VM_ACCEL (tcg), SL_VM_QUEUE_SIZE (virtqueue size, 256),
#      SL_VM_HOST_MTU (virtio-net's host_mtu: the MTU the card advertises
#      with VIRTIO_NET_F_MTU, the guest's largest; default none),
#      SL_VM_IPV6=1 (IPv6 compiled in but disabled on every interface).
set -euo pipefail

GUEST=${1:?usage: run-guest.sh GUESTDIR WORKDIR NAME VHOST_SOCK MODE IP/LEN [MTU]}
WORK=${2:?}
NAME=${3:?}
SOCK=${4:?}
MODE=${5:?}
IP=${6:?}
MTU=${7:-1500}
MEM=${SL_VM_MEM:-256}
NUM=$(echo "$NAME" | tr -cd '0-9' | tail -c 2)
MAC=${SL_VM_MAC:-52:54:00:00:00:$(printf '%02x' "$((10#${NUM:-0} & 255))")}
QS=${SL_VM_QUEUE_SIZE:-256}

case "$MODE" in
server) VU_CHR="socket,id=vu,path=$SOCK,server=on,wait=off" ;;
client) VU_CHR="socket,id=vu,path=$SOCK,reconnect=1" ;;
*) echo "run-guest.sh: MODE is server or client, not $MODE" >&2; exit 2 ;;
esac
for f in kernel initrd.img; do
	[ -f "$GUEST/$f" ] || { echo "run-guest.sh: $GUEST/$f missing (build-guest.sh)" >&2; exit 2; }
done
rm -f "$WORK/$NAME.ctl" "$WORK/$NAME.console"
# No IPv6 chatter (ND, MLD) on the tests' exact counters: IPv6 is off, or,
# with SL_VM_IPV6=1, there but disabled on every interface until a test
# turns it on for one (sysctl net.ipv6.conf.eth0.disable_ipv6=0).
V6=ipv6.disable=1
[ "${SL_VM_IPV6:-0}" = 1 ] &&
	V6="sysctl.net.ipv6.conf.all.disable_ipv6=1 sysctl.net.ipv6.conf.default.disable_ipv6=1"

exec qemu-system-x86_64 \
	-name "$NAME" -nodefaults -no-user-config -display none -monitor none \
	-machine "pc,accel=${SL_VM_ACCEL:-tcg},memory-backend=mem" \
	-cpu max -smp 1 -m "${MEM}M" \
	-object "memory-backend-memfd,id=mem,size=${MEM}M,share=on" \
	-kernel "$GUEST/kernel" -initrd "$GUEST/initrd.img" \
	-append "console=ttyS0 quiet $V6 panic=-1 no_timer_check sl.name=$NAME sl.ip=$IP sl.mtu=$MTU" \
	-no-reboot \
	-serial "file:$WORK/$NAME.console" \
	-chardev "socket,id=ctl,path=$WORK/$NAME.ctl,server=on,wait=off" \
	-serial chardev:ctl \
	-chardev "$VU_CHR" \
	-netdev vhost-user,id=net0,chardev=vu \
	-device "virtio-net-pci,netdev=net0,mac=$MAC,vectors=0,mrg_rxbuf=on,rx_queue_size=$QS,tx_queue_size=$QS${SL_VM_HOST_MTU:+,host_mtu=$SL_VM_HOST_MTU}"
