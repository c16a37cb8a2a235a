#!/bin/bash
# The host scripts (scripts/host/) on fake sysfs/procfs trees, so that no
# NIC is touched: make-vfs.sh creates VFs through sriov_numvfs and lists
# them, refuses too many and a PF bound to vfio-pci; bind-nic.sh refuses a
# NIC that carries the host's traffic, a missing device and a missing
# IOMMU, and binds through dpdk-devbind.py (a fake one that moves the
# driver link in the fake tree); check-host.sh reports missing hugepages
# and hugetlbfs and exits 1, and passes a ready host.
# usage: test_host_scripts.sh [SOURCE_ROOT]
set -euo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
H=$ROOT/scripts/host
T=$(mktemp -d /tmp/sl-host-scripts.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { cat "$T/out" 2>/dev/null; echo "FAIL: $*"; exit 1; }
export SYSFS=$T/sys PROCFS=$T/proc
P=$SYSFS/bus/pci/devices

# A PF 0000:03:00.0 on ixgbe with up to 8 VFs (VF devices pre-made: the
# kernel makes them when sriov_numvfs is written), a NIC 0000:04:00.0 on
# ixgbe whose interface ethx0 is down, hugepages on node 0.
mkdir -p "$SYSFS/bus/pci/drivers/ixgbe" "$SYSFS/bus/pci/drivers/ixgbevf" \
	"$SYSFS/bus/pci/drivers/vfio-pci" "$PROCFS" "$SYSFS/kernel/iommu_groups"
for d in 0000:03:00.0 0000:04:00.0; do
	mkdir -p "$P/$d"
	echo 0x020000 > "$P/$d/class"
	ln -s ../../../bus/pci/drivers/ixgbe "$P/$d/driver"
done
echo 8 > "$P/0000:03:00.0/sriov_totalvfs"
echo 0 > "$P/0000:03:00.0/sriov_numvfs"
for i in 0 1 2; do
	vf=0000:03:10.$i
	mkdir -p "$P/$vf"
	echo 0x020000 > "$P/$vf/class"
	ln -s ../../../bus/pci/drivers/ixgbevf "$P/$vf/driver"
	ln -s "../$vf" "$P/0000:03:00.0/virtfn$i"
done
mkdir -p "$P/0000:04:00.0/net/ethx0"
echo "proc /proc proc rw 0 0" > "$PROCFS/mounts"

# make-vfs.sh
"$H/make-vfs.sh" 03:00.0 3 > "$T/out" || fail "make-vfs 3"
[ "$(cat "$P/0000:03:00.0/sriov_numvfs")" = 3 ] || fail "sriov_numvfs not written"
grep -q "VF 2: 0000:03:10.2 (driver: ixgbevf)" "$T/out" || fail "VFs not listed"
rc=0; "$H/make-vfs.sh" 0000:03:00.0 9 > "$T/out" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "offers at most 8 VFs, asked for 9" "$T/out" || fail "too many VFs: rc $rc"
rc=0; "$H/make-vfs.sh" 0000:04:00.0 2 > "$T/out" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "has no SR-IOV" "$T/out" || fail "non-PF: rc $rc"

# bind-nic.sh with a fake dpdk-devbind.py: moves the driver link
cat > "$T/devbind" <<DB
#!/bin/bash
[ "\$1" = -b ] || exit 2
ln -sfn "../../../bus/pci/drivers/\$2" "$P/\$3/driver"
DB
chmod +x "$T/devbind"
export DEVBIND=$T/devbind
rc=0; "$H/bind-nic.sh" 0000:09:00.0 > "$T/out" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "no PCI device 0000:09:00.0" "$T/out" || fail "missing device: rc $rc"
rc=0; "$H/bind-nic.sh" not-an-address > "$T/out" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "is not a PCI address" "$T/out" || fail "bad address: rc $rc"
# no IOMMU and no no-IOMMU mode: refused with the kernel parameters to set
rc=0; "$H/bind-nic.sh" 0000:03:10.1 > "$T/out" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "no IOMMU: add intel_iommu=on iommu=pt" "$T/out" || fail "no IOMMU: rc $rc"
mkdir -p "$SYSFS/kernel/iommu_groups/12"
"$H/bind-nic.sh" 0000:03:10.1 > "$T/out" 2>&1 || fail "bind a VF"
grep -q "0000:03:10.1 is bound to vfio-pci (it was on ixgbevf)" "$T/out" || fail "bind message"
[ "$(basename "$(readlink "$P/0000:03:10.1/driver")")" = vfio-pci ] || fail "not bound"
"$H/bind-nic.sh" 0000:03:10.1 | grep -q "already bound" || fail "second bind"
# the PF of VFs may not go to vfio-pci while make-vfs.sh manages VFs
ln -sfn ../../../bus/pci/drivers/vfio-pci "$P/0000:03:00.0/driver"
rc=0; "$H/make-vfs.sh" 0000:03:00.0 2 > "$T/out" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "give the PF back to its kernel driver" "$T/out" || fail "PF on vfio: rc $rc"

# check-host.sh: nothing reserved, nothing mounted -> exit 1 with the fixes
rc=0; "$H/check-host.sh" > "$T/out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "check-host on an unready host: rc $rc"
grep -q "^FAIL  no hugepages reserved: echo 2048 >" "$T/out" || fail "hugepages"
grep -q "^FAIL  no hugetlbfs mounted" "$T/out" || fail "hugetlbfs"
grep -q "^note  NIC 0000:04:00.0 (ethx0 ) on ixgbe" "$T/out" || fail "NIC listing"
grep -q "^ok    NIC 0000:03:10.1 on vfio-pci: ready for DPDK" "$T/out" || fail "bound VF"
mkdir -p "$SYSFS/devices/system/node/node0/hugepages/hugepages-2048kB"
echo 1024 > "$SYSFS/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"
echo 1000 > "$SYSFS/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages"
echo "nodev /dev/hugepages hugetlbfs rw 0 0" >> "$PROCFS/mounts"
"$H/check-host.sh" > "$T/out" 2>&1 || fail "check-host on a ready host"
grep -q "^ok    node0: 1024 hugepages of 2048kB reserved, 1000 free" "$T/out" || fail "pages"
echo "PASS host scripts"
