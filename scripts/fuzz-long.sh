#!/bin/sh
# The long fuzz run (issue 12): every libFuzzer target for a given time
# (default 600 s = 10 minutes each), one after the other, NOT part of CI
# (scripts/test.sh runs each target for EIMZA_FUZZ_SECONDS, 20 s).
#
#   scripts/fuzz-long.sh [SECONDS] [TARGET...]
#
# Builds build-fuzz (clang, -Dfuzz=true) when missing. Each target starts
# from its seeds (tests/fuzz/corpus/<name>) and keeps what it finds in
# fuzz-out/<target>/corpus, so a later run goes on from there; crashes are
# written to fuzz-out/<target>/ (crash-*, leak-*, timeout-*). A summary line
# per target (executions, coverage, corpus size, crashes) is printed and
# kept in fuzz-out/summary.txt: copy it into docs/SECURITY.md "Fuzzing".
# Exit status 1 when any target found a crash.
set -u
cd "$(dirname "$0")/.." || exit 2
secs=${1:-600}
[ $# -gt 0 ] && shift
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz --buildtype=debug -Dfuzz=true -Db_lundef=false || exit 2
fi
targets=$*
if [ -n "$targets" ]; then
	nice ninja -C build-fuzz $(for t in $targets; do echo "tests/fuzz/$t"; done) || exit 2
else
	nice ninja -C build-fuzz || exit 2
	targets=$(cd build-fuzz/tests/fuzz && ls fuzz_* | grep -v '\.p$')
fi
mkdir -p fuzz-out
summary=fuzz-out/summary.txt
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), ${secs} s per target" >>"$summary"
failed=0
for name in $targets; do
	bin=build-fuzz/tests/fuzz/$name
	[ -x "$bin" ] || { echo "no target $name" >&2; failed=1; continue; }
	out=fuzz-out/$name
	mkdir -p "$out/corpus"
	seeds=tests/fuzz/corpus/${name#fuzz_}
	[ -d "$seeds" ] && cp -r "$seeds"/. "$out/corpus"/ 2>/dev/null
	log=$out/run.log
	nice "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/" "$out/corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	units=$(ls "$out/corpus" | wc -l)
	crashes=$(ls "$out" | grep -c -E '^(crash|leak|timeout|oom)-')
	line="$name: ${execs:-?} execs, cov ${cov:-?}, corpus $units, crashes $crashes, exit $rc"
	echo "$line" | tee -a "$summary"
	[ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ] || failed=1
done
exit $failed
