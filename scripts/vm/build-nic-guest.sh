#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build the NIC test guest (test/integration/test_nic_vf.sh): Debian's
# generic kernel (the cloud flavour has no igb, igbvf or 9p), the modules for
# an emulated Intel 82576 (igb) and its SR-IOV VFs (igbvf), vfio-pci and 9p,
# and scripts/vm/nic-init.sh as /init. Its userland is the host's root,
# shared read-only over 9p. build-guest.sh does the work; this names what
# differs.
#
#   build-nic-guest.sh OUTDIR
#
# Env: SLUICE_VM_CACHE as for build-guest.sh; SLUICE_VM_KERNEL (default:
#      what linux-image-amd64 depends on, e.g. linux-image-6.1.0-57-amd64).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SLUICE_VM_CACHE:-/var/cache/sluice-vm}
k=${SLUICE_VM_KERNEL:-$(apt-cache depends linux-image-amd64 2> /dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')}
if [ -z "$k" ]; then # no apt lists: the cached generic kernel
	k=$(cd "$CACHE" 2> /dev/null && ls -1 linux-image-[0-9]*-amd64_*.deb 2> /dev/null |
		grep -v -e -cloud- -e -rt- | sort -V | tail -1)
	k=${k%%_*}
fi
[ -n "$k" ] || { echo "build-nic-guest.sh: no generic kernel package (apt-get update)" >&2; exit 1; }
# In dependency order (modules.dep of Debian's 6.1 kernel).
SLUICE_VM_MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
netfs fscache 9pnet 9pnet_virtio 9p dca i2c-algo-bit igb igbvf
vfio vfio_iommu_type1 irqbypass vfio_virqfd vfio-pci-core vfio-pci" \
	SLUICE_VM_INIT="$HERE/nic-init.sh" SLUICE_VM_KERNEL="$k" \
	exec bash "$HERE/build-guest.sh" "$@"
