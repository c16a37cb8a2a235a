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
# Usage: scripts/fuzz.sh TARGET [WORKDIR] [SECONDS (30)]
# Prints libFuzzer's final stats (inputs tried: stat::number_of_executed_units).
# Exit status: 0 clean, non-zero on a crash, a leak or a sanitizer report.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: fuzz.sh ofp|flow|config [WORKDIR] [SECONDS]}
work=${2:-${TMPDIR:-/tmp}/sluice-fuzz-$target}
secs=${3:-30}
cc=${CLANG:-clang}
max_len=4096
dpdk=
case $target in
ofp)	src="$root/lib/ofp/*.c"
	inc="-I$root/lib/ofp"
	max_len=70000 ;;
flow)	src="$root/lib/flow/flow_parse.c $root/lib/flow/flow_key.c"
	inc="-I$root/lib/flow"
	dpdk=yes ;;
config)	src="$root/dataplane/config/config.c $root/dataplane/config/config_sections.c $root/dataplane/worker/sched.c"
	inc="-I$root/dataplane/config -I$root/dataplane/port -I$root/dataplane/worker"
	dpdk=yes ;;
*)	echo "fuzz.sh: unknown target '$target' (ofp, flow, config)" >&2; exit 2 ;;
esac
mkdir -p "$work/corpus" "$work/artifacts"
# shellcheck disable=SC2046,SC2086
"$cc" -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	${dpdk:+$(pkg-config --cflags libdpdk)} -I"$root/include/openflow" $inc \
	$src "$root/test/fuzz/fuzz_$target.c" ${dpdk:+$(pkg-config --libs libdpdk)} \
	-o "$work/fuzz_$target"
if [ -d "$root/test/fuzz/corpus/$target" ]; then
	cp "$root/test/fuzz/corpus/$target"/* "$work/corpus/" 2>/dev/null || true
fi
if [ "$target" = ofp ]; then
	vectors=$root/test/data/openflow-vectors/of13
	# every vector, and all of them back to back as one stream
	cp "$vectors"/*.packet "$work/corpus/" 2>/dev/null || true
	cat "$vectors"/4-*.packet > "$work/corpus/stream-all" 2>/dev/null || true
	if [ -n "${CORPUS_GEN:-}" ] && [ -x "$CORPUS_GEN" ]; then
		seeds=$(mktemp -d)
		"$CORPUS_GEN" "$seeds" >/dev/null && cp "$seeds"/*.bin "$work/corpus/"
		rm -rf "$seeds"
	fi
fi
cd "$work"
exec ./"fuzz_$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len="$max_len" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus"
