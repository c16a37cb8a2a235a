#!/bin/bash
# Is this host ready for sluiced? Hugepages (2 MiB and 1 GiB, per NUMA
# node), hugetlbfs, the vfio-pci driver and an IOMMU, CPU isolation, and the
# NICs DPDK can use; then, with a config, sluiced's own check of what that
# config needs (sluiced --check-host). Each problem says how to fix it.
# Exit 0 when nothing stops a start, 1 otherwise.
# usage: check-host.sh [SLUICED_CONFIG]
set -uo pipefail
. "$(dirname "$0")/common.sh"
problems=0
ok() { echo "ok    $*"; }
warn() { echo "warn  $*"; }
fail() { echo "FAIL  $*"; problems=$((problems + 1)); }

# Hugepages per node and size
any=0
for node in "$SYSFS"/devices/system/node/node*; do
	[ -d "$node" ] || continue
	for hp in "$node"/hugepages/hugepages-*; do
		[ -d "$hp" ] || continue
		nr=$(cat "$hp/nr_hugepages") free=$(cat "$hp/free_hugepages")
		size=${hp##*hugepages-}
		[ "$nr" -gt 0 ] && any=1
		[ "$nr" -gt 0 ] && ok "$(basename "$node"): $nr hugepages of $size reserved, $free free"
	done
done
[ $any = 1 ] || fail "no hugepages reserved: echo 2048 > $SYSFS/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages (4 GiB; per NUMA node under $SYSFS/devices/system/node/nodeN/hugepages/), or hugepages=2048 on the kernel command line; scripts/setup.sh does it"
if grep -q " hugetlbfs " "$PROCFS/mounts" 2>/dev/null; then
	ok "hugetlbfs mounted at $(awk '$3 == "hugetlbfs" { print $2 }' "$PROCFS/mounts" | tr '\n' ' ')"
else
	fail "no hugetlbfs mounted: mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages"
fi

# vfio-pci and the IOMMU (needed for NICs; vhost-user and vdev ports need neither)
if [ -d "$SYSFS/bus/pci/drivers/vfio-pci" ] || modprobe -n vfio-pci 2>/dev/null; then
	ok "vfio-pci available"
else
	warn "vfio-pci not available: NICs cannot be bound (modprobe vfio-pci; package linux-image-*)"
fi
if iommu_on; then
	ok "IOMMU on ($(ls "$SYSFS/kernel/iommu_groups" | wc -l) groups)"
else
	warn "no IOMMU: vfio-pci needs intel_iommu=on iommu=pt (or amd_iommu=on) on the kernel command line; without, only no-IOMMU mode (unsafe) or uio"
fi

# CPU isolation
iso=$(cat "$SYSFS/devices/system/cpu/isolated" 2>/dev/null)
if [ -n "$iso" ]; then
	ok "isolated CPUs: $iso (give them to [switch] workers)"
else
	warn "no isolated CPUs: workers share their CPUs with the kernel's tasks; isolcpus=, nohz_full= and rcu_nocbs= on the kernel command line"
fi

# NICs: Ethernet-class devices and their drivers
for dev in "$PCI"/*; do
	[ -e "$dev/class" ] || continue
	case $(cat "$dev/class") in 0x0200*) ;; *) continue ;; esac
	a=$(basename "$dev") d=$(pci_driver "$a") ifs=$(pci_netdevs "$a")
	case $d in
	vfio-pci|uio_pci_generic|igb_uio) ok "NIC $a on $d: ready for DPDK (devargs = $a)" ;;
	mlx4_core|mlx5_core) ok "NIC $a ($ifs) on $d: DPDK uses it on the kernel driver (devargs = $a)" ;;
	*) echo "note  NIC $a (${ifs:-no interface}) on ${d:-no driver}: the host's; scripts/host/bind-nic.sh $a to give it to sluiced" ;;
	esac
	[ -e "$dev/sriov_totalvfs" ] && [ "$(cat "$dev/sriov_totalvfs")" -gt 0 ] &&
		echo "note  NIC $a can have $(cat "$dev/sriov_totalvfs") VFs ($(cat "$dev/sriov_numvfs") now): scripts/host/make-vfs.sh $a N"
done

# What the config needs
if [ $# -ge 1 ]; then
	SLUICED=${SLUICED:-$(command -v sluiced || echo "$(dirname "$0")/../../build/sluiced/sluiced")}
	if [ -x "$SLUICED" ]; then
		echo "--- sluiced --check-host -c $1"
		SLUICE_SYSFS_ROOT=${SLUICE_SYSFS_ROOT:-$( [ "$SYSFS" = /sys ] || dirname "$SYSFS")} \
			"$SLUICED" -c "$1" --check-host || problems=$((problems + 1))
	else
		warn "no sluiced binary to check $1 with (build it, or SLUICED=PATH)"
	fi
fi
[ $problems = 0 ] && echo "ok: nothing stops a start" || echo "FAIL: $problems problem(s)"
[ $problems = 0 ]
