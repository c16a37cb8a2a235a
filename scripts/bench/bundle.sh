#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Pack what pvp.sh runs into one folder, to benchmark on a lab host that has
# no DPDK or OVS packages and cannot reach a package mirror (same CPU
# architecture, a glibc at least as new as this one's):
#
#   bundle.sh OUTDIR [SLUICED]
#
# OUTDIR/libexec  sluiced (default build-release/sluiced/sluiced),
#                 dpdk-testpmd, ovs-vswitchd-dpdk and the OVS tools
# OUTDIR/lib      every shared library they load, except glibc's own
#                 (the host's glibc loads them), plus the DPDK drivers
#                 pvp.sh needs (vdev bus, vhost, virtio_user, ring mempool)
# OUTDIR/pmds     those drivers again: the EAL's plugin folder
# OUTDIR/bin      wrappers of the same names that set LD_LIBRARY_PATH and
#                 run the real program, so nothing else on the host (its
#                 python3, say) sees these libraries
# OUTDIR/share    OVS's database schema
# OUTDIR/env.sh   sourced (bash) before pvp.sh: PATH, TESTPMD, OVS_VSWITCHD,
#                 OVS_SCHEMA, OVS_PKGDATADIR, SLUICE_BENCH_VERSIONS
#
# On the host: "OUTDIR/install-plugins.sh" links OUTDIR/pmds into Debian's
# EAL plugin folder (the programs were built to look there; the folder is
# created, nothing of the host's is replaced), then
#   . OUTDIR/env.sh; scripts/bench/pvp.sh --sluiced OUTDIR/bin/sluiced ...
set -eu
set -o pipefail

OUT=${1:?usage: bundle.sh OUTDIR [SLUICED]}
REPO=$(readlink -f "$(dirname "$(readlink -f "$0")")/../..")
SLUICED=${2:-$REPO/build-release/sluiced/sluiced}
PLUGIN_DIR=/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0
DRIVERS="librte_bus_vdev librte_net_vhost librte_net_virtio librte_mempool_ring"

progs=(
	"$SLUICED"
	"$(command -v dpdk-testpmd)"
	/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
	"$(command -v ovsdb-server)" "$(command -v ovsdb-tool)"
	"$(command -v ovs-vsctl)" "$(command -v ovs-ofctl)" "$(command -v ovs-appctl)"
)
for p in "${progs[@]}"; do
	[ -x "$p" ] || { echo "bundle.sh: missing $p" >&2; exit 1; }
done

rm -rf "$OUT"
mkdir -p "$OUT/libexec" "$OUT/lib" "$OUT/pmds" "$OUT/bin" "$OUT/share"
OUT=$(readlink -f "$OUT")

# glibc's libraries come from the host: its loader needs its own libc.
is_glibc() {
	case $(basename "$1") in
	libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux*|\
	libresolv.so.*|libutil.so.*|libmvec.so.*|linux-vdso*) return 0 ;;
	esac
	return 1
}

# libs_of FILE...: the resolved shared libraries they need, one per line.
libs_of() { ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u; }

drivers=()
for d in $DRIVERS; do
	drivers+=("$(readlink -f "$PLUGIN_DIR/$d.so.23")")
done
for p in "${progs[@]}"; do
	cp -L "$p" "$OUT/libexec/$(basename "$p")"
done
for l in $(libs_of "${progs[@]}" "${drivers[@]}"); do
	is_glibc "$l" && continue
	cp -L "$l" "$OUT/lib/$(basename "$l")"
done
# A driver is one file whether a program links it (testpmd links the vdev
# bus) or the EAL loads it as a plugin: the loader tells loaded objects
# apart by file, and a second copy would register the bus twice.
for d in $DRIVERS; do
	[ -e "$OUT/lib/$d.so.23" ] || cp -L "$PLUGIN_DIR/$d.so.23" "$OUT/lib/$d.so.23"
	# The EAL loads from its plugin folder only names ending in .so or
	# .so.<ABI version> (23.0).
	ln -s "../lib/$d.so.23" "$OUT/pmds/$d.so.23.0"
done
cp /usr/share/openvswitch/vswitch.ovsschema "$OUT/share/"

for p in "${progs[@]}"; do
	n=$(basename "$p")
	cat > "$OUT/bin/$n" <<EOF
#!/bin/sh
b=\$(dirname "\$(readlink -f "\$0")")/..
LD_LIBRARY_PATH="\$b/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "\$b/libexec/$n" "\$@"
EOF
	chmod +x "$OUT/bin/$n"
done

cat > "$OUT/install-plugins.sh" <<EOF
#!/bin/sh
# Links the bundled DPDK drivers into the EAL's plugin folder ($PLUGIN_DIR).
set -e
b=\$(dirname "\$(readlink -f "\$0")")
if [ -e "$PLUGIN_DIR/librte_net_vhost.so.23.0" ] &&
   [ ! -L "$PLUGIN_DIR/librte_net_vhost.so.23.0" ]; then
	echo "$PLUGIN_DIR exists (DPDK installed): nothing to do"; exit 0
fi
mkdir -p "$PLUGIN_DIR"
for f in "\$b"/pmds/*.so.23.0; do ln -sf "\$f" "$PLUGIN_DIR/"; done
EOF
chmod +x "$OUT/install-plugins.sh"

versions="DPDK $(dpkg-query -W -f '${Version}' dpdk 2>/dev/null), OVS $(dpkg-query -W -f '${Version}' openvswitch-switch-dpdk 2>/dev/null) (bundled on $(uname -n))"
cat > "$OUT/env.sh" <<EOF
b=\$(dirname "\$(readlink -f "\${BASH_SOURCE[0]}")")
export PATH="\$b/bin:\$PATH"
export TESTPMD="\$b/bin/dpdk-testpmd"
export OVS_VSWITCHD="\$b/bin/ovs-vswitchd-dpdk"
export OVS_SCHEMA="\$b/share/vswitch.ovsschema"
export OVS_PKGDATADIR="\$b/share"
export SLUICE_BENCH_VERSIONS="$versions"
EOF
du -sh "$OUT" | sed 's/^/bundle.sh: /'
