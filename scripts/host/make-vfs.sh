#!/bin/bash
# Create N SR-IOV virtual functions on a physical NIC (PF) through sysfs and
# list their PCI addresses, to use as sluiced ports (devargs = VF address,
# after bind-nic.sh, or as they are for mlx5) or to give to VMs. The PF
# stays on its kernel driver (which manages the VFs); N = 0 removes them.
# usage: make-vfs.sh PF_PCI_ADDRESS N
set -euo pipefail
. "$(dirname "$0")/common.sh"
pf=$(pci_full "${1:?usage: make-vfs.sh PF_PCI_ADDRESS N}") ||
	die "\"$1\" is not a PCI address (like 0000:03:00.0)"
n=${2:?usage: make-vfs.sh PF_PCI_ADDRESS N}
case $n in ''|*[!0-9]*) die "N must be a number, got \"$n\"" ;; esac
[ -e "$PCI/$pf" ] || die "no PCI device $pf"
[ -e "$PCI/$pf/sriov_totalvfs" ] ||
	die "$pf has no SR-IOV (no sriov_totalvfs): not a PF, SR-IOV off in the BIOS, or its driver does not do it"
total=$(cat "$PCI/$pf/sriov_totalvfs")
[ "$n" -le "$total" ] || die "$pf offers at most $total VFs, asked for $n"
drv=$(pci_driver "$pf")
case $drv in vfio-pci|uio_pci_generic|igb_uio)
	die "$pf is bound to $drv: give the PF back to its kernel driver (bind-nic.sh --unbind $pf DRIVER) so that it manages the VFs" ;;
esac
# The count only changes from 0: set 0 first.
echo 0 > "$PCI/$pf/sriov_numvfs"
[ "$n" = 0 ] && { say "$pf: VFs removed"; exit 0; }
echo "$n" > "$PCI/$pf/sriov_numvfs" ||
	die "the kernel refused $n VFs on $pf (dmesg says why: often too few bus numbers or MSI-X vectors)"
got=$(cat "$PCI/$pf/sriov_numvfs")
[ "$got" = "$n" ] || die "$pf has $got VFs after asking for $n"
say "$pf: $n VFs:"
for i in $(seq 0 $((n - 1))); do
	vf=$(basename "$(readlink "$PCI/$pf/virtfn$i")")
	echo "  VF $i: $vf (driver: $(pci_driver "$vf"))"
done
say "bind a VF for sluiced: scripts/host/bind-nic.sh ADDRESS; then [port:X] devargs = ADDRESS"
