# Shared by the host scripts (sourced). SYSFS (default /sys) and PROCFS
# (default /proc) may point at fake trees: test/integration/test_host_scripts.sh.
SYSFS=${SYSFS:-/sys}
PROCFS=${PROCFS:-/proc}
PCI=$SYSFS/bus/pci/devices

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
say() { echo "$(basename "$0"): $*"; }

# pci_full ADDR: "03:00.0" -> "0000:03:00.0"; exit 1 if not a PCI address
pci_full() {
	case $1 in
	[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]:[0-9a-fA-F][0-9a-fA-F]:[0-9a-fA-F][0-9a-fA-F].[0-7])
		echo "$1" | tr 'A-F' 'a-f' ;;
	[0-9a-fA-F][0-9a-fA-F]:[0-9a-fA-F][0-9a-fA-F].[0-7])
		echo "0000:$1" | tr 'A-F' 'a-f' ;;
	*) return 1 ;;
	esac
}

# pci_driver ADDR: the driver bound to the device, or "" when none
pci_driver() {
	local l
	l=$(readlink "$PCI/$1/driver" 2>/dev/null) || { echo ""; return 0; }
	basename "$l"
}

# pci_netdevs ADDR: the kernel interfaces of the device (empty if none);
# virtio NICs have theirs one level down (virtioN/net)
pci_netdevs() {
	local n
	for n in "$PCI/$1"/net/* "$PCI/$1"/*/net/*; do
		[ -e "$n" ] && printf '%s ' "$(basename "$n")"
	done
	return 0
}

# iommu_on: some IOMMU group exists
iommu_on() { [ -n "$(ls "$SYSFS/kernel/iommu_groups" 2>/dev/null)" ]; }
