#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build a tiny test guest for QEMU from Debian packages only: Debian's
# bookworm cloud kernel (booted uncompressed through its PVH note; the cloud
# flavour is a 27 MB download, the generic one 70 MB, and both carry the
# same virtio modules) and an initramfs
# with busybox, the kernel's virtio-net modules, iperf3 and ethtool. Its /init
# (scripts/vm/init.sh) configures eth0 from the kernel command line, says
# "SLUICE-GUEST-READY" on the console (ttyS0) and runs the commands it reads
# on its second serial port (ttyS1); scripts/vm/guest.py talks to it.
#
#   build-guest.sh OUTDIR
#
# OUTDIR gets kernel (the ELF vmlinux; the bzImage when it cannot be
# extracted), initrd.img and guest.stamp (the packages it was built
# from). Nothing is installed on the host: the packages are fetched with
# apt-get download (the host's Debian mirror, so run apt-get update first)
# into a cache directory, kept between runs, and unpacked with dpkg-deb -x.
# A second run with the same packages changes nothing and downloads nothing.
#
# Env: SLUICE_VM_CACHE  package cache (default /var/cache/sluice-vm)
#      SLUICE_VM_KERNEL kernel package (default: what linux-image-cloud-amd64
#                       depends on, e.g. linux-image-6.1.0-57-cloud-amd64)
#      SLUICE_VM_MODULES kernel modules to load, in order (default: virtio-net's)
#      SLUICE_VM_INIT   the guest's /init (default scripts/vm/init.sh)
# Needs: apt-get, dpkg-deb, cpio, readelf (binutils), lz4 (without it the
# guests boot the compressed kernel, slower).
set -euo pipefail

OUT=${1:?usage: build-guest.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SLUICE_VM_CACHE:-/var/cache/sluice-vm}
# Kernel modules the guest loads, in dependency order (Debian builds them as
# modules; virtio_net pulls in failover/net_failover).
MODULES=${SLUICE_VM_MODULES:-"virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
failover net_failover virtio_net"}
# The guest's /init (build-nic-guest.sh gives its own).
INIT=${SLUICE_VM_INIT:-$HERE/init.sh}
# Userland beyond busybox: iperf3 and ethtool with the libraries they need.
USER_PKGS="busybox-static iperf3 libiperf0 libsctp1 libssl3 libc6 ethtool libmnl0"

die() { echo "build-guest.sh: $*" >&2; exit 1; }
for t in apt-get apt-cache dpkg-deb cpio readelf; do
	command -v "$t" > /dev/null || die "$t missing (scripts/setup.sh installs it)"
done

# kernel_pkg: the kernel package; without apt's lists, the cached one.
kernel_pkg() {
	local k
	if [ -n "${SLUICE_VM_KERNEL:-}" ]; then
		echo "$SLUICE_VM_KERNEL"
		return
	fi
	k=$(apt-cache depends linux-image-cloud-amd64 2> /dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$k" ] || k=$(cached linux-image-[0-9]*-cloud-amd64)
	echo "${k%%_*}"
}

# cached PKG_GLOB: the newest cached .deb of a package (its file name).
cached() {
	(cd "$CACHE" && ls -1 $1_*.deb 2> /dev/null | sort -V | tail -1) || true
}

# fetch PKG: the .deb of PKG's candidate version, from the cache or
# downloaded (replacing older ones); without apt's lists (no apt-get update
# on this machine), the cached one. Prints its path.
fetch() {
	local pkg=$1 ver=${CANDIDATE[$1]:-} deb
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		deb=$(cached "$pkg")
		[ -n "$deb" ] || die "package $pkg unknown to apt (run apt-get update) and not in $CACHE"
		echo "$CACHE/$deb"
		return
	fi
	# The file name has the version with ':' escaped as %3a.
	deb=$(cached "${pkg}_${ver/:/%3a}")
	if [ -z "$deb" ]; then
		rm -f "$CACHE/${pkg}_"*.deb # an older version
		# _apt cannot write into a root-owned cache: download unsandboxed.
		(cd "$CACHE" && apt-get download -q -o APT::Sandbox::User=root \
			"$pkg=$ver" > /dev/null) || die "apt-get download $pkg=$ver failed"
		deb=$(cached "${pkg}_${ver/:/%3a}")
		[ -n "$deb" ] || die "downloaded $pkg=$ver but no .deb in $CACHE"
	fi
	echo "$CACHE/$deb"
}

# extract_vmlinux VMLINUZ OUT: the kernel's ELF image from the bzImage (as
# the kernel's scripts/extract-vmlinux): try each lz4, xz, gzip or zstd stream
# start until one unpacks to an ELF file (the cloud kernel is lz4, the
# generic one xz). QEMU boots an ELF kernel through
# its PVH entry note, which skips the decompression (about 10 s under TCG).
extract_vmlinux() {
	local in=$1 out=$2 magic tool off
	for magic in 'lz4:\x02\x21\x4c\x18' 'xz:\xfd7zXZ\x00' 'gzip:\x1f\x8b\x08' \
		'zstd:\x28\xb5\x2f\xfd'; do
		tool=${magic%%:*}
		command -v "$tool" > /dev/null || continue
		for off in $(LC_ALL=C grep -abo -P "${magic#*:}" "$in" | cut -d: -f1); do
			tail -c +$((off + 1)) "$in" | "$tool" -dc > "$out" 2> /dev/null || true
			if readelf -h "$out" > /dev/null 2>&1; then
				return 0
			fi
		done
	done
	return 1
}

# needed_libs ROOT FILE...: the shared libraries (paths under ROOT) that the
# files need, recursively, found in ROOT's library directories.
needed_libs() {
	local root=$1 todo seen="" f lib p
	shift
	todo="$*"
	while [ -n "$todo" ]; do
		set -- $todo
		f=$1
		shift
		todo="$*"
		for lib in $(readelf -d "$f" 2> /dev/null |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case " $seen " in *" $lib "*) continue ;; esac
			seen="$seen $lib"
			p=""
			for d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu; do
				[ -e "$root/$d/$lib" ] && { p=$d/$lib; break; }
			done
			[ -n "$p" ] || die "library $lib (needed by ${f#"$root"/}) not in the packages"
			echo "$p"
			todo="$todo $root/$p"
		done
	done
}

mkdir -p "$CACHE" "$OUT"
KPKG=$(kernel_pkg)
[ -n "$KPKG" ] || die "cannot tell which kernel linux-image-cloud-amd64 depends on"
# Candidate versions in one apt-cache call (each call reads apt's whole cache).
declare -A CANDIDATE
while read -r p v; do
	CANDIDATE[$p]=$v
done < <(apt-cache policy $KPKG $USER_PKGS 2> /dev/null |
	awk '/^[^ ].*:$/ { p = substr($1, 1, length($1) - 1) } /Candidate:/ { print p, $2 }')
DEBS=()
for p in $KPKG $USER_PKGS; do
	DEBS+=("$(fetch "$p")")
done
STAMP=$(printf '%s\n' "${DEBS[@]##*/}"; cat "$0" "$INIT" | sha256sum | cut -c1-16)
if [ -f "$OUT/guest.stamp" ] && [ -f "$OUT/kernel" ] && [ -f "$OUT/initrd.img" ] &&
	[ "$(cat "$OUT/guest.stamp")" = "$STAMP" ]; then
	echo "build-guest.sh: $OUT is up to date"
	exit 0
fi

WORK=$(mktemp -d /tmp/sluice-guest.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
X=$WORK/x
R=$WORK/root
mkdir -p "$X" "$R"
for d in "${DEBS[@]}"; do
	dpkg-deb -x "$d" "$X"
done

KVER=${KPKG#linux-image-}
if ! extract_vmlinux "$X/boot/vmlinuz-$KVER" "$WORK/kernel"; then
	echo "build-guest.sh: no ELF kernel found in vmlinuz-$KVER (lz4 missing?):" \
		"the guests boot the bzImage, seconds slower under TCG" >&2
	cp "$X/boot/vmlinuz-$KVER" "$WORK/kernel"
fi

# The root file system: busybox (its applet links are made by /init), the
# modules, iperf3 and ethtool with their libraries and the dynamic loader.
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,lib/modules,lib64}
cp "$X/bin/busybox" "$R/bin/busybox"
for m in $MODULES; do
	f=$(find "$X/lib/modules/$KVER" -name "$m.ko" -o -name "$m.ko.xz" | head -1)
	[ -n "$f" ] || die "module $m not in $KPKG"
	case "$f" in
	*.xz) xz -dc "$f" > "$R/lib/modules/$m.ko" ;;
	*) cp "$f" "$R/lib/modules/$m.ko" ;;
	esac
done
echo "$MODULES" | tr ' ' '\n' | grep . > "$R/lib/modules/load-order"
cp "$X/usr/bin/iperf3" "$R/usr/bin/iperf3"
cp "$X/sbin/ethtool" "$R/sbin/ethtool"
for p in $(needed_libs "$X" "$X/usr/bin/iperf3" "$X/sbin/ethtool"); do
	mkdir -p "$R/$(dirname "$p")"
	cp -L "$X/$p" "$R/$p"
done
# (the package's /lib64 link is absolute: it would name the host's loader)
cp "$X/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$R/lib64/"
printf 'root:x:0:0:root:/:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\n' > "$R/etc/group"
install -m 0755 "$INIT" "$R/init"

(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$WORK/initrd.img"
mv "$WORK/kernel" "$OUT/kernel"
mv "$WORK/initrd.img" "$OUT/initrd.img"
echo "$STAMP" > "$OUT/guest.stamp"
echo "build-guest.sh: $OUT: kernel ($KVER, $(du -m "$OUT/kernel" | cut -f1) MiB)," \
	"initrd.img ($(du -k "$OUT/initrd.img" | cut -f1) KiB)"
