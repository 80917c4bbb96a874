#!/usr/bin/env bash
# Checks that the C sources (src/, tests/unit/, tests/fuzz/) are formatted
# as the project's .clang-format says: runs `clang-format --dry-run --Werror`
# on every .c and .h file and exits non-zero when any would change.
#   scripts/check-format.sh        summary: each file that differs, and how often
#   scripts/check-format.sh -v     clang-format's own report of every difference
# Exit: 0 clean, 1 differences, 2 clang-format missing.
# To reformat one file: clang-format -i FILE (the same version, see below).
set -uo pipefail
cd "$(dirname "$0")/.."

CF=${CLANG_FORMAT:-clang-format}
if ! command -v "$CF" >/dev/null 2>&1; then
	echo "check-format: $CF not found (scripts/setup.sh --test installs it)" >&2
	exit 2
fi

mapfile -d '' files < <(find src tests/unit tests/fuzz -type f \( -name '*.c' -o -name '*.h' \) \
	-print0 | sort -z)

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$CF" --dry-run --Werror "${files[@]}" >"$out" 2>&1
rc=$?

if [ "${1:-}" = "-v" ]; then
	cat "$out"
fi
# clang-format reports each difference as "FILE:LINE:COL: error: code should
# be clang-formatted", then the line; list the files and their count.
pat='^[^:]+:[0-9]+:[0-9]+: (error|warning): code should be clang-formatted'
if [ "${1:-}" != "-v" ]; then
	grep -oE "$pat" "$out" | cut -d: -f1 | uniq -c | awk '{printf "  %s: %d\n", $2, $1}'
fi
n=$(grep -cE "$pat" "$out")
nfiles=$(grep -oE "$pat" "$out" | cut -d: -f1 | sort -u | wc -l)
version=$("$CF" --version | head -1)
if [ "$rc" -eq 0 ]; then
	echo "check-format: ${#files[@]} files formatted ($version)"
	exit 0
fi
if [ "$n" -eq 0 ]; then # failed for another reason: an unreadable .clang-format, say
	head -20 "$out" >&2
	echo "check-format: clang-format failed ($version)" >&2
	exit 1
fi
echo "check-format: $n differences in $nfiles of ${#files[@]} files ($version)"
exit 1
