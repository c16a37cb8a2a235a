#!/bin/sh
# Bounded libFuzzer run of one of the harnesses in test/fuzz, built with clang
# -fsanitize=fuzzer,address,undefined straight from the sources it needs (the
# meson objects are gcc's), seeded from test/fuzz/corpus/TARGET:
#   ofp     the OpenFlow codec (lib/ofp): decode, validate, re-encode, reassemble;
#           also seeded with the OF1.3 vectors and, when CORPUS_GEN names the
#           ofp_corpus_gen tool, one message of every type
#   flow    the packet parser (lib/flow): fast vs. general parser, flat vs.
#           chained mbufs, layouts inside the frame
#   config  the configuration parser (dataplane/config)
#   agent   the OpenFlow agent (ofagent/) with the real pipeline behind it and
#           the test runtime (test/ofagent/fake_dp.c), fed over loopback TCP:
#           message streams, barrier order, dumps equal to what was installed
#   xlate   translation (lib/pipeline) over random rule sets and group graphs:
#           bounded work per packet, the reference translator of
#           test/pipeline/xlate_ref.c, megaflow transparency
#   exec    the action executor (dataplane/execute) on flat, chained, shared
#           and truncated mbufs: every action, no mbuf lost, nothing changed
#           after it was handed over, chained == flat
#   mgmt    the management socket (sluiced/mgmt): request lines, answers as
#           text and JSON (well-formed), and scripts of garbage, slow,
#           half-closed and vanishing clients against a live server
#   snapshot the state snapshot (lib/snapshot): the container with its
#           length and checksum made right, every record decoder and the
#           OpenFlow messages inside; what opens, rebuilt, opens again
#   vxlan   the VXLAN and Geneve decap classifier and trim (dataplane/tunnel) on flat,
#           chained and shared frames: inner frame inside the frame, trim
#           exact, table match, encap again parses back, no mbuf lost
#   neigh   the underlay ARP / ND parser (dataplane/neigh): any bytes parse or
#           are refused in bounds; what parses is built again and parses back
# Usage: scripts/fuzz.sh ofp|flow|config|agent|xlate|exec|mgmt|snapshot|vxlan|neigh [WORKDIR] [SECONDS (30)]
# Prints libFuzzer's final stats (inputs tried: stat::number_of_executed_units).
# Exit status: 0 clean, non-zero on a crash, a leak or a sanitizer report.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
usage='usage: fuzz.sh ofp|flow|config|agent|xlate|exec|mgmt|snapshot|vxlan|neigh [WORKDIR] [SECONDS]'
target=${1:?$usage}
work=${2:-${TMPDIR:-/tmp}/sluice-fuzz-$target}
secs=${3:-30}
cc=${CLANG:-clang}
max_len=4096
dpdk=
cflags=
ldflags=
# what the pipeline needs (lib/pipeline sits on lib/flow and lib/meter; the
# logging library, where there is one, goes with it)
log_src=$(ls "$root"/lib/log/*.c 2>/dev/null || true)
pl_src="$log_src $root/lib/flow/*.c $root/lib/meter/*.c $root/lib/pipeline/*.c"
pl_inc="${log_src:+-I$root/lib/log} -I$root/lib/flow -I$root/lib/meter -I$root/lib/pipeline"
case $target in
ofp)	src="$root/lib/ofp/*.c"
	inc="-I$root/lib/ofp"
	max_len=70000 ;;
flow)	src="$root/lib/flow/flow_parse.c $root/lib/flow/flow_key.c"
	inc="-I$root/lib/flow"
	dpdk=yes ;;
config)	src="$root/dataplane/config/config.c $root/dataplane/config/config_sections.c $root/dataplane/config/config_openflow.c $root/dataplane/config/config_tunnel.c $root/dataplane/config/config_neigh.c $root/dataplane/tunnel/tunnel_table.c $root/dataplane/worker/sched.c"
	inc="-I$root/dataplane/config -I$root/dataplane/port -I$root/dataplane/worker -I$root/dataplane/tunnel"
	dpdk=yes ;;
agent)	src="$root/lib/ofp/*.c $pl_src $root/lib/snapshot/*.c $root/ofagent/*.c $root/test/ofagent/fake_dp.c $root/test/ofagent/of_client.c $root/test/fuzz/agent_fuzz_*.c"
	inc="-I$root/lib/ofp $pl_inc -I$root/lib/snapshot -I$root/ofagent -I$root/test/ofagent"
	cflags=-mcx16
	# the transport's TLS targets (ssl:, pssl:) link OpenSSL where it is used
	ldflags=$(pkg-config --libs openssl 2>/dev/null || true)
	max_len=16384
	dpdk=yes ;;
xlate)	# test/fuzz/cunit_shim: the reference's CUnit checks abort instead.
	# The wraps count the translator's table and group lookups (its work).
	src="$pl_src $root/test/pipeline/xlate_ref.c $root/test/pipeline/xlate_gen.c $root/test/fuzz/xlate_fuzz_*.c"
	inc="-I$root/test/fuzz/cunit_shim $pl_inc -I$root/test/pipeline -I$root/test/common"
	cflags=-mcx16
	ldflags="-Wl,--wrap=sl_cls_lookup_at -Wl,--wrap=sl_pipeline_group_at"
	dpdk=yes ;;
exec)	src="$pl_src $root/dataplane/execute/*.c $root/test/dataplane/execute/exec_test_util.c"
	inc="-I$root/test/fuzz/cunit_shim $pl_inc -I$root/dataplane/execute -I$root/dataplane/tunnel -I$root/test/dataplane/execute -I$root/test/common"
	cflags=-mcx16
	dpdk=yes ;;
snapshot) src="$root/lib/snapshot/*.c $root/lib/ofp/*.c"
	inc="-I$root/lib/snapshot -I$root/lib/ofp"
	max_len=65536 ;;
vxlan)	src="$root/dataplane/tunnel/vxlan.c $root/dataplane/tunnel/geneve.c $root/dataplane/tunnel/tunnel_table.c $root/test/dataplane/tunnel/tunnel_test_util.c"
	inc="-I$root/dataplane/tunnel -I$root/dataplane/worker -I$root/test/dataplane/tunnel"
	dpdk=yes ;;
neigh)	src="$root/dataplane/neigh/neigh_proto.c"
	inc="-I$root/dataplane/neigh -I$root/dataplane/worker -I$root/dataplane/tunnel"
	max_len=1024
	dpdk=yes ;;
mgmt)	src="$root/sluiced/mgmt/mgmt.c $root/sluiced/mgmt/mgmt_request.c $root/sluiced/mgmt/mgmt_out.c"
	inc="-I$root/sluiced/mgmt"
	max_len=8192 ;;
*)	echo "fuzz.sh: unknown target '$target' (ofp, flow, config, agent, xlate, exec, mgmt, snapshot, vxlan, neigh)" >&2; exit 2 ;;
esac
mkdir -p "$work/corpus" "$work/artifacts" "$work/obj"
rm -f "$work/obj/"*.o
san="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
# Compile the sources in parallel (the agent's are some sixty files), then
# link. FUZZ_FLAGS is split into words on purpose, as the paths are; the
# quoted script expands in the shell xargs starts.
# shellcheck disable=SC2086,SC2016
for f in $src "$root/test/fuzz/fuzz_$target.c"; do echo "$f"; done |
	FUZZ_CC=$cc FUZZ_OBJ=$work/obj \
	FUZZ_FLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $san ${dpdk:+$(pkg-config --cflags libdpdk)} $cflags -I$root/include/openflow $inc" \
	xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} sh -c \
	'o=$(echo "$1" | tr / _); exec $FUZZ_CC $FUZZ_FLAGS -c "$1" -o "$FUZZ_OBJ/${o%.c}.o"' sh {}
# shellcheck disable=SC2086
"$cc" $san "$work/obj/"*.o ${dpdk:+$(pkg-config --libs libdpdk)} $ldflags -lm -o "$work/fuzz_$target"
if [ -d "$root/test/fuzz/corpus/$target" ]; then
	cp "$root/test/fuzz/corpus/$target"/* "$work/corpus/" 2>/dev/null || true
fi
if [ "$target" = ofp ]; then
	vectors=$root/test/data/openflow-vectors
	# every OF1.3/1.4/1.5 vector, and each version's back to back as one stream
	for v in of13 of14 of15; do
		cp "$vectors/$v"/*.packet "$work/corpus/" 2>/dev/null || true
		cat "$vectors/$v"/*.packet > "$work/corpus/stream-$v" 2>/dev/null || true
	done
	if [ -n "${CORPUS_GEN:-}" ] && [ -x "$CORPUS_GEN" ]; then
		seeds=$(mktemp -d)
		"$CORPUS_GEN" "$seeds" >/dev/null && cp "$seeds"/*.bin "$work/corpus/"
		rm -rf "$seeds"
	fi
fi
cd "$work"
# -error_exitcode/-timeout_exitcode: libFuzzer exits 77 on a crash by default,
# which meson reads as SKIP (a CI run reported a fuzz_exec crash as skipped).
exec ./"fuzz_$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 \
	-max_len="$max_len" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus"
