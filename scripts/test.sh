#!/usr/bin/env bash
# Second README command: set everything up and run the whole test suite:
#   1. unit tests (cmocka) of a warning-free (-Werror) build
#   2. integration tests (pytest) against the real binary on loopback ports,
#      once on SQLite and once on PostgreSQL (a throwaway cluster made by
#      scripts/pg-cluster.sh, stopped by its PID when this script exits)
#   3. the same unit + integration tests under ASan + UBSan
#   4. libFuzzer targets, a short run each
#   5. end-to-end tests in headless Chromium (Node test runner + playwright-core),
#      on SQLite and on PostgreSQL
# and first of all the formatting check (scripts/check-format.sh).
# Set EIMZA_FUZZ_SECONDS (default 20) to fuzz longer; EIMZA_SKIP_E2E=1 or
# EIMZA_SKIP_ASAN=1 to leave a layer out while developing (CI runs them all).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

scripts/setup.sh --test || exit 1

declare -A PASSED FAILED
FAIL=0
note() { printf '\n==== %s ====\n' "$*"; }

# Counts "passed"/"failed" of one layer from its runner's own summary.
record() {
	local layer=$1 rc=$2 passed=$3 failed=$4
	PASSED[$layer]=${passed:-0}
	FAILED[$layer]=${failed:-0}
	if [ "$rc" -ne 0 ] && [ "${FAILED[$layer]}" -eq 0 ]; then
		FAILED[$layer]=1
	fi
	[ "$rc" -eq 0 ] || FAIL=1
}

meson_counts() { # meson test output file -> "passed failed"
	local ok fail
	ok=$(grep -E '^Ok:' "$1" | awk '{print $2}' | tail -1)
	fail=$(grep -E '^(Fail|Unexpected Pass|Timeout):' "$1" | awk '{s+=$2} END {print s+0}')
	echo "${ok:-0} ${fail:-0}"
}

pytest_counts() {
	local line p f e
	line=$(grep -E '(passed|failed|error)' "$1" | tail -1)
	p=$(echo "$line" | grep -oE '[0-9]+ passed' | awk '{print $1}')
	f=$(echo "$line" | grep -oE '[0-9]+ failed' | awk '{print $1}')
	e=$(echo "$line" | grep -oE '[0-9]+ error' | awk '{print $1}')
	echo "${p:-0} $(( ${f:-0} + ${e:-0} ))"
}

run_unit() { # build dir, layer name
	local out rc
	out=$(mktemp)
	meson test -C "$1" --print-errorlogs --num-processes 2 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	read -r p f < <(meson_counts "$out")
	record "$2" "$rc" "$p" "$f"
	rm -f "$out"
}

run_integration() { # binary, layer name
	local out rc
	out=$(mktemp)
	# The local OpenID provider of test_edevlet.py (npm's oidc-provider).
	(cd tests/oidc && { [ -d node_modules/oidc-provider ] || npm ci --no-audit --no-fund; })
	EIMZA_BIN="$1" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/integration 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	read -r p f < <(pytest_counts "$out")
	record "$2" "$rc" "$p" "$f"
	rm -f "$out"
}

# Formatting (.clang-format): any difference fails the run
# (`scripts/check-format.sh -v` shows them, `clang-format -i FILE` fixes one).
note "format (clang-format)"
scripts/check-format.sh
rc=$?
if [ "$rc" -eq 0 ]; then
	record format 0 1 0
else
	record format "$rc" 0 1
fi

note "build (-Werror)"
if [ ! -f build/build.ninja ]; then
	meson setup build --buildtype=debugoptimized -Dwerror=true || exit 1
else
	meson configure build -Dwerror=true || exit 1
fi
ninja -C build || { echo "build failed"; exit 1; }

note "unit tests"
run_unit build unit

note "integration tests"
run_integration "$ROOT/build/eimza" integration

note "integration tests (PostgreSQL)"
PGDIR=$(mktemp -d /tmp/eimza-pgtest-XXXXXX)
trap 'scripts/pg-cluster.sh stop "$PGDIR"' EXIT
PGURL=""
if PGURL=$(scripts/pg-cluster.sh start "$PGDIR"); then
	EIMZA_TEST_DB=pg EIMZA_TEST_PG_URL="$PGURL" run_integration "$ROOT/build/eimza" integration-pg
else
	PGURL=""
	record pg-cluster 1 0 1
fi

if [ "${EIMZA_SKIP_ASAN:-0}" != 1 ]; then
	note "sanitizer build (ASan + UBSan)"
	if [ ! -f build-asan/build.ninja ]; then
		meson setup build-asan --buildtype=debug -Db_sanitize=address,undefined \
			-Db_lundef=false -Dwerror=true || exit 1
	fi
	if ninja -C build-asan; then
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
		export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
		export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
		note "unit tests (ASan + UBSan)"
		run_unit build-asan unit-asan
		note "integration tests (ASan + UBSan)"
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 run_integration "$ROOT/build-asan/eimza" integration-asan
		unset ASAN_OPTIONS UBSAN_OPTIONS
	else
		record asan-build 1 0 1
	fi
fi

note "fuzz targets (libFuzzer)"
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz --buildtype=debug -Dfuzz=true -Db_lundef=false || exit 1
fi
if ninja -C build-fuzz; then
	fuzz_ok=0 fuzz_fail=0
	for t in build-fuzz/tests/fuzz/fuzz_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=$(basename "$t")
		corpus=$(mktemp -d)
		seeds="tests/fuzz/corpus/${name#fuzz_}"
		[ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/ 2>/dev/null
		if "$t" -max_total_time="${EIMZA_FUZZ_SECONDS:-20}" -rss_limit_mb=2048 \
			-print_final_stats=0 "$corpus" >"$corpus.log" 2>&1; then
			echo "fuzz $name: ok"
			fuzz_ok=$((fuzz_ok + 1))
		else
			echo "fuzz $name: FAILED"; tail -40 "$corpus.log"
			fuzz_fail=$((fuzz_fail + 1))
		fi
		rm -rf "$corpus" "$corpus.log"
	done
	record fuzz $(( fuzz_fail > 0 )) "$fuzz_ok" "$fuzz_fail"
else
	record fuzz-build 1 0 1
fi

if [ "${EIMZA_SKIP_E2E:-0}" != 1 ]; then
	note "end-to-end tests (headless Chromium)"
	out=$(mktemp)
	(cd tests/e2e && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund; } &&
		EIMZA_BIN="$ROOT/build/eimza" node --test --test-concurrency=1 ./) 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -E '^# pass ' "$out" | awk '{print $3}' | tail -1)
	f=$(grep -E '^# fail ' "$out" | awk '{print $3}' | tail -1)
	record e2e "$rc" "${p:-0}" "${f:-0}"
	rm -f "$out"
	if [ -n "${PGURL:-}" ]; then
		note "end-to-end tests (headless Chromium, PostgreSQL)"
		out=$(mktemp)
		(cd tests/e2e && EIMZA_TEST_DB=pg EIMZA_TEST_PG_URL="$PGURL" \
			EIMZA_BIN="$ROOT/build/eimza" node --test --test-concurrency=1 ./) 2>&1 | tee "$out"
		rc=${PIPESTATUS[0]}
		p=$(grep -E '^# pass ' "$out" | awk '{print $3}' | tail -1)
		f=$(grep -E '^# fail ' "$out" | awk '{print $3}' | tail -1)
		record e2e-pg "$rc" "${p:-0}" "${f:-0}"
		rm -f "$out"
	fi
fi

note "summary"
tp=0 tf=0
for layer in "${!PASSED[@]}"; do
	printf '  %-18s %4d passed, %d failed\n' "$layer" "${PASSED[$layer]}" "${FAILED[$layer]}"
	tp=$((tp + PASSED[$layer])); tf=$((tf + FAILED[$layer]))
done
echo "total: $tp passed, $tf failed"
exit $FAIL
