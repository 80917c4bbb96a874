#!/usr/bin/env bash
# Backs up eimza's database (not the CA directory: its keys live in the HSM
# and its certificates and journal are backed up with the host, see
# docs/DEPLOY.md).
#   eimza-backup.sh DATABASE OUTDIR
# DATABASE is the database.url of the installation: a SQLite file path
# (copied online with sqlite3's .backup, consistent while serve runs) or a
# postgresql:// URL (pg_dump's custom format, one consistent snapshot).
# Prints the path of the file it wrote.
set -euo pipefail

db=${1:-}
out=${2:-}
[ -n "$db" ] && [ -n "$out" ] || { echo "usage: $0 DATABASE OUTDIR" >&2; exit 2; }
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
case "$db" in
postgresql://* | postgres://*)
	file="$out/eimza-$stamp.pgdump"
	pg_dump --format=custom --no-owner --file="$file.tmp" "$db"
	;;
*)
	file="$out/eimza-$stamp.db"
	sqlite3 "$db" ".backup '$file.tmp'"
	;;
esac
mv "$file.tmp" "$file"
echo "$file"
