#!/bin/bash
# The layering rule of docs/architecture.md, checked on the includes:
#   lib/X       includes lib/ headers only (and none of the layers above);
#   ofagent/    includes lib/ and ofagent/ headers, never dataplane/ or sluiced/;
#   dataplane/  includes lib/ and dataplane/ headers, never ofagent/ or sluiced/;
#   sluiced/    may include them all (the composition root);
#   include/    (include/openflow/openflow.h: the OpenFlow constants) is below
#               every layer: any of them may include it, it includes none.
# Headers are matched by file name, as the build's include paths find them.
# Prints each violation as FILE:LINE: HEADER (from LAYER) and exits 1 if any.
# Usage: check-layers.sh [SOURCE_ROOT]
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

headers() { find "$@" -name '*.h' -printf '%f\n' 2>/dev/null | sort -u; }
lib_h=$(headers lib)
ofagent_h=$(headers ofagent)
dataplane_h=$(headers dataplane)
sluiced_h=$(headers sluiced; echo sl_version.h)
include_h=$(headers include)

bad=0
# check DIR FORBIDDEN_LAYER_NAME HEADER_LIST...
check() {
	local dir=$1 name=$2 list=$3 hit
	hit=$(grep -rnoE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[^"]+"' "$dir" --include='*.[ch]' |
		sed -E 's/^([^:]+:[0-9]+):.*"([^"]+)"$/\1 \2/' |
		awk -v name="$name" 'NR == FNR { forbidden[$0] = 1; next }
			{ n = split($2, part, "/"); if (part[n] in forbidden) print $1 ": " $2 " (from " name ")" }' \
			<(printf '%s\n' "$list") -)
	if [ -n "$hit" ]; then
		echo "$hit"
		bad=1
	fi
}
check lib ofagent/ "$ofagent_h"
check lib dataplane/ "$dataplane_h"
check lib sluiced/ "$sluiced_h"
check ofagent dataplane/ "$dataplane_h"
check ofagent sluiced/ "$sluiced_h"
check dataplane ofagent/ "$ofagent_h"
check dataplane sluiced/ "$sluiced_h"
check include lib/ "$lib_h"
check include ofagent/ "$ofagent_h"
check include dataplane/ "$dataplane_h"
check include sluiced/ "$sluiced_h"
# A header name used in two layers would make the check (and the build) ambiguous.
dup=$(printf '%s\n' "$include_h" "$lib_h" "$ofagent_h" "$dataplane_h" "$(headers sluiced)" |
	grep . | sort | uniq -d)
if [ -n "$dup" ]; then
	echo "header names in more than one layer: $dup"
	bad=1
fi
if [ $bad = 0 ]; then
	echo "layers: include <- lib <- {ofagent, dataplane} <- sluiced, no include crosses them"
fi
exit $bad
