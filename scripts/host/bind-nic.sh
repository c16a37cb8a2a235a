#!/bin/bash
# Bind a NIC (or VF) to a DPDK-capable driver so that sluiced can use it
# as a port ([port:X] devargs = ADDRESS), after checking what would go
# wrong: the address exists, the NIC does not carry the host's own traffic
# (an interface with an address or the default route: refused unless
# --force), the driver's module is loaded, and vfio-pci has an IOMMU.
# usage: bind-nic.sh [--force] [--driver vfio-pci|uio_pci_generic] PCI_ADDRESS
#        bind-nic.sh --unbind PCI_ADDRESS KERNEL_DRIVER   (give it back)
set -euo pipefail
. "$(dirname "$0")/common.sh"
force=0 driver=vfio-pci unbind=0
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1; shift ;;
	--driver) driver=${2:?--driver needs a name}; shift 2 ;;
	--unbind) unbind=1; shift ;;
	-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
	*) break ;;
	esac
done
addr=$(pci_full "${1:?usage: bind-nic.sh [--force] [--driver D] PCI_ADDRESS}") ||
	die "\"$1\" is not a PCI address (like 0000:03:00.0; lspci -D lists them)"
[ -e "$PCI/$addr" ] || die "no PCI device $addr on this host (lspci -D lists them)"
DEVBIND=${DEVBIND:-dpdk-devbind.py}
command -v "$DEVBIND" > /dev/null ||
	die "$DEVBIND not found: apt-get install dpdk (Debian), or scripts/setup.sh"

if [ $unbind = 1 ]; then
	kdrv=${2:?--unbind needs the kernel driver to give the NIC back to (e.g. ixgbe, ice, mlx5_core)}
	"$DEVBIND" -b "$kdrv" "$addr"
	say "$addr is back on $kdrv"
	exit 0
fi

current=$(pci_driver "$addr")
if [ "$current" = "$driver" ]; then
	say "$addr is already bound to $driver"
	exit 0
fi
case $current in mlx4_core|mlx5_core)
	say "$addr is a Mellanox/NVIDIA NIC ($current): DPDK's mlx drivers work on the kernel driver; do not rebind it, use devargs = $addr as it is"
	exit 0 ;;
esac

# The host's own traffic: an interface with an IPv4/IPv6 address or a route.
for ifc in $(pci_netdevs "$addr"); do
	if [ "$force" = 0 ] && { ip -o addr show dev "$ifc" 2>/dev/null | grep -q inet ||
		ip route show default 2>/dev/null | grep -q "dev $ifc "; }; then
		die "$addr is $ifc, which has addresses or the default route: binding it cuts the host's traffic on it; move them off, or --force"
	fi
	ip link set "$ifc" down 2>/dev/null || true
done

case $driver in
vfio-pci)
	modprobe vfio-pci 2>/dev/null || [ -d "$SYSFS/bus/pci/drivers/vfio-pci" ] ||
		die "cannot load vfio-pci: is the module installed (linux-image's modules)?"
	if ! iommu_on; then
		noiommu=$SYSFS/module/vfio/parameters/enable_unsafe_noiommu_mode
		if [ "$(cat "$noiommu" 2>/dev/null)" != Y ]; then
			die "no IOMMU: add intel_iommu=on iommu=pt (or amd_iommu=on) to the kernel command line and reboot; or, on a host that accepts it (VMs, labs), echo Y > $noiommu first"
		fi
		say "warning: vfio-pci without an IOMMU (no-IOMMU mode): the device can reach all memory"
	fi ;;
uio_pci_generic)
	modprobe uio_pci_generic 2>/dev/null || [ -d "$SYSFS/bus/pci/drivers/uio_pci_generic" ] ||
		die "cannot load uio_pci_generic" ;;
*) die "driver \"$driver\": vfio-pci (recommended) or uio_pci_generic" ;;
esac
"$DEVBIND" -b "$driver" "$addr" || die "$DEVBIND could not bind $addr to $driver (its message is above)"
[ "$(pci_driver "$addr")" = "$driver" ] || die "$addr is still on \"$(pci_driver "$addr")\" after binding"
say "$addr is bound to $driver (it was on ${current:-no driver}); port config: devargs = $addr"
