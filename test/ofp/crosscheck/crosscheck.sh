#!/bin/sh
# Cross-check the codec against real OpenFlow implementations: build the
# corpus (one message per OF1.3 message/multipart type) with our encoder,
# then have ovs-ofctl and os-ken parse it (see ovs_check.py, osken_check.py).
# Usage: crosscheck.sh PATH/TO/ofp_corpus_gen   (exit 77 = skipped)
set -eu
gen=$1
here=$(dirname "$0")
if ! command -v ovs-ofctl >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import os_ken' 2>/dev/null; then
	echo "ovs-ofctl or python3-os-ken missing: skipped"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$gen" "$dir"
rc=0
/usr/bin/python3 "$here/ovs_check.py" "$dir" || rc=1
/usr/bin/python3 "$here/osken_check.py" "$dir" 2>&1 || rc=1
exit $rc
