#!/bin/bash
# Install everything Sluice needs to build, run and test on Debian 12, reserve
# hugepages and mount hugetlbfs. Safe to run twice. Run as root.
#   SLUICE_HUGEPAGES=N   2 MiB hugepages to reserve (default 2048 = 4 GiB)
#   SLUICE_SKIP_APT=1    skip package installation (and QEMU 10's, below)
#   SLUICE_BENCH=1       also install OVS-DPDK (openvswitch-switch-dpdk), which
#                        scripts/bench/pvp.sh compares Sluice with
set -euo pipefail

PACKAGES=(
	build-essential meson ninja-build pkg-config doxygen
	libdpdk-dev dpdk dpdk-dev libnuma-dev libpcap-dev libcunit1-dev
	clang libclang-rt-14-dev llvm
	openvswitch-common python3-os-ken python3-scapy libssl-dev openssl
	iproute2 iputils-ping tcpdump tshark procps psmisc
	lua5.4
	qemu-system-x86 cpio lz4 # test_vm.sh's QEMU guests (scripts/vm/)
)

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "setup.sh: must run as root (packages, hugepages)" >&2
		exit 1
	fi
}

install_packages() {
	local missing=()
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "setup.sh: all packages present"
		return
	fi
	echo "setup.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}

reserve_hugepages() {
	local want=${SLUICE_HUGEPAGES:-2048}
	local f=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
	local have
	have=$(cat "$f")
	if [ "$have" -lt "$want" ]; then
		echo "$want" > "$f"
		have=$(cat "$f")
		echo "setup.sh: reserved $have 2 MiB hugepages (asked for $want)"
		if [ "$have" -lt 512 ]; then
			echo "setup.sh: fewer than 512 hugepages could be reserved" >&2
			exit 1
		fi
	else
		echo "setup.sh: $have 2 MiB hugepages already reserved"
	fi
	if ! grep -q '^[^ ]* /dev/hugepages hugetlbfs' /proc/mounts; then
		mkdir -p /dev/hugepages
		mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages
		echo "setup.sh: mounted hugetlbfs on /dev/hugepages"
	fi
	mkdir -p /var/run/sluice
}

need_root
if [ "${SLUICE_BENCH:-0}" = 1 ]; then
	PACKAGES+=(openvswitch-switch-dpdk)
fi
[ "${SLUICE_SKIP_APT:-0}" = 1 ] || install_packages
# QEMU 10 from bookworm-backports under /opt/qemu10, beside the default 7.2
# (its igb NIC with SR-IOV: test_nic_vf.sh)
[ "${SLUICE_SKIP_APT:-0}" = 1 ] || bash "$(dirname "$0")/vm/install-qemu10.sh"
reserve_hugepages
