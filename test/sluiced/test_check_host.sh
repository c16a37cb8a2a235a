#!/bin/bash
# sluiced --check-host on fake sysfs/procfs trees (SLUICE_SYSFS_ROOT): a
# host that cannot run the config (no hugetlbfs, too few hugepages, a worker
# CPU that does not exist, a NIC still on its kernel driver, on another NUMA
# node than every worker) gets a FAIL or warn line for each, saying what to
# change, and exit 1; a host that can gets exit 0. Needs no hugepages.
# usage: test_check_host.sh SLUICED
set -euo pipefail
SLUICED=${1:?path to sluiced}
T=$(mktemp -d /tmp/sl-check-host.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { cat "$T/out" 2>/dev/null; echo "FAIL: $*"; exit 1; }

# fake_host DIR FREE_2M: CPUs 0-3 on node 0 (2-3 isolated), 3 on node 1,
# FREE_2M free 2 MiB pages on node 0, a NIC 0000:03:00.0 on node 1 bound to ixgbe
fake_host() {
	local r=$1
	mkdir -p "$r/sys/devices/system/cpu" "$r/proc" "$r/sys/kernel/iommu_groups/7"
	echo 0-3 > "$r/sys/devices/system/cpu/online"
	echo 2-3 > "$r/sys/devices/system/cpu/isolated"
	for c in 0 1 2; do mkdir -p "$r/sys/devices/system/cpu/cpu$c/node0"; done
	mkdir -p "$r/sys/devices/system/cpu/cpu3/node1"
	for n in 0 1; do
		local hp=$r/sys/devices/system/node/node$n/hugepages/hugepages-2048kB
		mkdir -p "$hp"
		echo 1024 > "$hp/nr_hugepages"
		echo "$2" > "$hp/free_hugepages"
	done
	echo "proc /proc proc rw 0 0" > "$r/proc/mounts"
	mkdir -p "$r/sys/bus/pci/devices/0000:03:00.0" "$r/sys/bus/pci/drivers/ixgbe"
	echo 1 > "$r/sys/bus/pci/devices/0000:03:00.0/numa_node"
	ln -s ../../../bus/pci/drivers/ixgbe "$r/sys/bus/pci/devices/0000:03:00.0/driver"
}

cat > "$T/nic.ini" <<INI
[switch]
main_lcore = 0
workers = 2,9
[port:nic]
type = dpdk
devargs = 0000:03:00.0
ofport = 1
INI
fake_host "$T/bad" 10
rc=0; SLUICE_SYSFS_ROOT=$T/bad "$SLUICED" -c "$T/nic.ini" --check-host > "$T/out" || rc=$?
[ $rc = 1 ] || fail "exit $rc on a host that cannot run it"
grep -q "^FAIL  worker lcore 9: no such online CPU" "$T/out" || fail "missing CPU not found"
grep -q "^FAIL  no hugetlbfs mounted" "$T/out" || fail "hugetlbfs not checked"
grep -q "^FAIL  NUMA node 0: about 92 MiB of hugepages needed.*20 MiB free.*echo" "$T/out" ||
	fail "hugepage shortage not found"
grep -q "^FAIL  port nic: 0000:03:00.0 is driven by \"ixgbe\": bind it to vfio-pci" "$T/out" ||
	fail "kernel driver not found"
grep -q "^warn  port nic: 0000:03:00.0 is on NUMA node 1, no worker is" "$T/out" ||
	fail "NUMA mismatch not found"
grep -q "^ok    IOMMU groups present" "$T/out" || fail "IOMMU not checked"
grep -q "^FAIL: 4 problem(s)" "$T/out" || fail "wrong count"

# the same config on a host that fits: workers 2 (isolated, node 0) and 3
# (node 1, next to the NIC), hugetlbfs, pages, vfio-pci
fake_host "$T/good" 1000
echo "nodev /dev/hugepages hugetlbfs rw,pagesize=2M 0 0" >> "$T/good/proc/mounts"
mkdir -p "$T/good/sys/bus/pci/drivers/vfio-pci"
ln -sfn ../../../bus/pci/drivers/vfio-pci "$T/good/sys/bus/pci/devices/0000:03:00.0/driver"
sed -i 's/^workers = 2,9/workers = 2,3/' "$T/nic.ini"
rc=0; SLUICE_SYSFS_ROOT=$T/good "$SLUICED" -c "$T/nic.ini" --check-host > "$T/out" || rc=$?
[ $rc = 0 ] || fail "exit $rc on a host that fits"
grep -q "^ok    worker CPUs isolated" "$T/out" || fail "isolation"
grep -q "^ok    NUMA node 1: about 56 MiB" "$T/out" || fail "node 1 pool not counted"
grep -q "^ok: 0 problem(s)" "$T/out" || fail "summary"
cat "$T/out"
echo "PASS check-host"
