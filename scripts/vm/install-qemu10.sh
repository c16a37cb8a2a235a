#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Put QEMU 10 (Debian's bookworm-backports) under /opt/qemu10 beside the
# system's QEMU 7.2, which stays the default qemu-system-x86_64: the vhost-user
# guests (test_vm.sh) run on what Debian 12 hosts have, while the NIC guest
# (test_nic_vf.sh) needs QEMU 10's igb device (Intel 82576 with SR-IOV, QEMU
# 8.0 and later). Adds the backports suite to apt's sources (same mirror as
# the main suite; backports are never picked by default), downloads
# qemu-system-x86, -common, -data and seabios from it (apt-get download) and
# unpacks them (dpkg-deb -x): nothing is installed or replaced. The other
# libraries it needs are those of the system's QEMU 7.2. Safe to run twice.
#
#   install-qemu10.sh [PREFIX]    (default /opt/qemu10)
#
# Run it as:  PREFIX/usr/bin/qemu-system-x86_64 -L PREFIX/usr/share/qemu
#             -L PREFIX/usr/share/seabios ...   (scripts/vm/run-nic-guest.sh)
set -euo pipefail
PREFIX=${1:-/opt/qemu10}
SRC=/etc/apt/sources.list.d/bookworm-backports.sources
PKGS="qemu-system-x86 qemu-system-common qemu-system-data seabios"
die() { echo "install-qemu10.sh: $*" >&2; exit 1; }

if [ -x "$PREFIX/usr/bin/qemu-system-x86_64" ] &&
	"$PREFIX/usr/bin/qemu-system-x86_64" -device help 2> /dev/null | grep -q '"igb"'; then
	echo "install-qemu10.sh: $PREFIX has $("$PREFIX/usr/bin/qemu-system-x86_64" --version | head -1)"
	exit 0
fi
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	# the main suite's mirror (a deb822 or one-line source), else Debian's
	uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/debian.sources | head -1 | awk '{ print $2 }')
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
		/etc/apt/sources.list 2> /dev/null || true)
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
		"${uri:-http://deb.debian.org/debian}" /usr/share/keyrings/debian-archive-keyring.gpg > "$SRC"
	echo "install-qemu10.sh: added $SRC"
fi
apt-get update -q > /dev/null
W=$(mktemp -d /tmp/qemu10.XXXXXX)
trap 'rm -rf "$W"' EXIT
args=()
for p in $PKGS; do
	v=$(apt-cache madison "$p" | awk -F'|' '/bookworm-backports/ { gsub(/ /, "", $2); print $2; exit }')
	[ -n "$v" ] || die "$p is not in bookworm-backports (apt-get update?)"
	args+=("$p=$v")
done
(cd "$W" && apt-get download -q -o APT::Sandbox::User=root "${args[@]}" > /dev/null) ||
	die "apt-get download ${args[*]} failed"
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
for d in "$W"/*.deb; do
	dpkg-deb -x "$d" "$PREFIX.new"
done
if ldd "$PREFIX.new/usr/bin/qemu-system-x86_64" | grep 'not found'; then
	die "libraries missing for QEMU 10 (install Debian's qemu-system-x86 first: scripts/setup.sh)"
fi
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"
echo "install-qemu10.sh: $PREFIX has $("$PREFIX/usr/bin/qemu-system-x86_64" --version | head -1)"
