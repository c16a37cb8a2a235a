#!/bin/bash
# The 2-minute soak (scripts/soak.sh) as an integration test. It runs the
# AddressSanitizer build's sluiced when the tree has one (build-asan, which
# scripts/test.sh builds before the tests), else the one it is given.
# Env: SL_SOAK_MINUTES (default 2), SL_SOAK_SLUICED (the binary to soak).
# usage: test_soak.sh SLUICED
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S=${1:?path to sluiced}
[ -x "$ROOT/build-asan/sluiced/sluiced" ] && S=$ROOT/build-asan/sluiced/sluiced
exec bash "$ROOT/scripts/soak.sh" "${SL_SOAK_MINUTES:-2}" "${SL_SOAK_SLUICED:-$S}"
