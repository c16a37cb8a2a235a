#!/bin/bash
# Render the public headers' reference (docs/Doxyfile.in, configured by meson)
# into OUTDIR and fail on any Doxygen warning: an undocumented public
# function, parameter, return value, type, field or macro, or a malformed
# comment. Prints the warnings and their count.
# Used by `ninja -C BUILD doc` and by the unit test 'doc'; each passes its own
# OUTDIR inside the build directory, so two runs never write the same files.
# Usage: doxygen-check.sh DOXYGEN DOXYFILE OUTDIR [--test]
#   DOXYGEN  path of doxygen, or '' when meson did not find it
#   --test   exit 77 (meson's "skipped") instead of 1 when doxygen is missing
set -uo pipefail
doxygen=$1 doxyfile=$2 out=$3 mode=${4:-}

if [ -z "$doxygen" ] || ! command -v "$doxygen" >/dev/null; then
	echo "doc: doxygen not found; install it (apt-get install doxygen, or scripts/setup.sh) and re-run meson setup --reconfigure" >&2
	[ "$mode" = --test ] && exit 77
	exit 1
fi

mkdir -p "$out" || exit 1
log=$out/warnings.log
rm -f "$log"
# The configured Doxyfile, with this caller's output folder and log.
{
	cat "$doxyfile"
	echo "OUTPUT_DIRECTORY = \"$out\""
	echo "WARN_LOGFILE = \"$log\""
} | "$doxygen" -
rc=$?

n=0
if [ -s "$log" ]; then
	cat "$log" >&2
	n=$(grep -c ': warning: \|: error: ' "$log")
fi
if [ $rc != 0 ] || [ -s "$log" ]; then
	echo "doc: FAILED, $n warning(s) (doxygen exit $rc); document what they name" >&2
	exit 1
fi
echo "doc: 0 warnings; $out/html/index.html"
