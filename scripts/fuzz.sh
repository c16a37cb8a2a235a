#!/bin/sh
# Bounded libFuzzer run of one of the harnesses in test/fuzz other than the
# codec's (scripts/fuzz-ofp.sh): built with clang -fsanitize=fuzzer,address,
# undefined straight from the sources it needs (the meson objects are gcc's),
# on DPDK's headers and libraries, seeded from test/fuzz/corpus/TARGET.
#   flow    the packet parser (lib/flow): fast vs. general parser, flat vs.
#           chained mbufs, layouts inside the frame
#   config  the configuration parser (dataplane/config)
# Usage: scripts/fuzz.sh TARGET [WORKDIR] [SECONDS]
# Prints libFuzzer's final stats (number of inputs tried: stat::number_of_executed_units).
# Exit status: 0 clean, non-zero on a crash, a leak or a sanitizer report.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: fuzz.sh flow|config [WORKDIR] [SECONDS]}
work=${2:-${TMPDIR:-/tmp}/sluice-fuzz-$target}
secs=${3:-30}
cc=${CLANG:-clang}
case $target in
flow)	src="$root/lib/flow/flow_parse.c $root/lib/flow/flow_key.c"
	inc="-I$root/lib/flow" ;;
config)	src="$root/dataplane/config/config.c $root/dataplane/config/config_sections.c $root/dataplane/worker/sched.c"
	inc="-I$root/dataplane/config -I$root/dataplane/port -I$root/dataplane/worker" ;;
*)	echo "fuzz.sh: unknown target '$target' (flow, config)" >&2; exit 2 ;;
esac
mkdir -p "$work/corpus" "$work/artifacts"
# shellcheck disable=SC2046,SC2086
"$cc" -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	$(pkg-config --cflags libdpdk) -I"$root/include/openflow" $inc \
	$src "$root/test/fuzz/fuzz_$target.c" $(pkg-config --libs libdpdk) -o "$work/fuzz_$target"
if [ -d "$root/test/fuzz/corpus/$target" ]; then
	cp "$root/test/fuzz/corpus/$target"/* "$work/corpus/" 2>/dev/null || true
fi
cd "$work"
exec ./"fuzz_$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=4096 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus"
