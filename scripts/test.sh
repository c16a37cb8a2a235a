#!/bin/bash
# Set up this machine (packages, hugepages) and run every test suite:
#   - a -Werror debug-optimised build: unit, integration and fuzz suites;
#   - an ASan+UBSan build: the unit suite.
# Prints one closing line "tests: N passed, N failed, N skipped" and exits
# non-zero when anything failed. Run as root from anywhere.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

bash scripts/setup.sh || { echo "tests: 0 passed, 1 failed (setup)"; exit 1; }

build() { # dir, meson options...
	local dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi && ninja -C "$dir"
}

status=0
build build-test || status=1
build build-asan -Db_sanitize=address,undefined -Db_lundef=false || status=1
if [ $status != 0 ]; then
	echo "tests: 0 passed, 1 failed (build)"
	exit 1
fi

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
meson test -C build-test --num-processes 1 --print-errorlogs \
	--suite unit --suite integration --suite fuzz || status=1
meson test -C build-asan --num-processes 2 --print-errorlogs --suite unit || status=1

/usr/bin/python3 - build-test/meson-logs/testlog.json build-asan/meson-logs/testlog.json <<'PY'
import json, sys
p = f = s = 0
for path in sys.argv[1:]:
    for line in open(path):
        r = json.loads(line)['result']
        if r in ('OK', 'EXPECTEDFAIL'):
            p += 1
        elif r == 'SKIP':
            s += 1
        else:
            f += 1
print(f'tests: {p} passed, {f} failed, {s} skipped')
PY
exit $status
