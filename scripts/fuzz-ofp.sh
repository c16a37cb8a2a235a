#!/bin/sh
# Bounded libFuzzer run over the OpenFlow codec (lib/ofp) with ASan+UBSan.
# Builds test/fuzz/fuzz_ofp.c with clang -fsanitize=fuzzer,address,undefined
# straight from the lib/ofp sources (no meson objects: those are gcc-built),
# seeds the corpus with the OF1.3 vectors (and, when CORPUS_GEN names the
# ofp_corpus_gen tool, one message of every type), runs for SECONDS (default 60).
# Usage: scripts/fuzz-ofp.sh [WORKDIR] [SECONDS] [VECTORS_DIR]
# Exit status: 0 clean, non-zero on a crash / leak / sanitizer report.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/sluice-fuzz-ofp}
secs=${2:-60}
vectors=${3:-$root/test/data/openflow-vectors/of13}
cc=${CLANG:-clang}
mkdir -p "$work/corpus" "$work/artifacts"
"$cc" -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$root/lib/ofp" -I"$root/include/openflow" "$root"/lib/ofp/*.c "$root/test/fuzz/fuzz_ofp.c" -o "$work/fuzz_ofp"
if [ -d "$vectors" ]; then
	# seeds: every vector, and all of them back to back as one stream
	cp "$vectors"/*.packet "$work/corpus/" 2>/dev/null || true
	cat "$vectors"/4-*.packet > "$work/corpus/stream-all" 2>/dev/null || true
fi
if [ -n "${CORPUS_GEN:-}" ] && [ -x "$CORPUS_GEN" ]; then
	seeds=$(mktemp -d)
	"$CORPUS_GEN" "$seeds" >/dev/null && cp "$seeds"/*.bin "$work/corpus/"
	rm -rf "$seeds"
fi
cd "$work"
exec ./fuzz_ofp -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=70000 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus"
