#!/usr/bin/env bash
# Restores a backup made by eimza-backup.sh into an EMPTY database.
#   eimza-restore.sh BACKUP DATABASE
# BACKUP *.pgdump goes into a postgresql:// DATABASE (an empty database,
# made with createdb) with pg_restore; BACKUP *.db becomes the SQLite file
# DATABASE (which must not exist). Then check it: eimza --db DATABASE audit
# verify.
set -euo pipefail

backup=${1:-}
db=${2:-}
[ -n "$backup" ] && [ -n "$db" ] || { echo "usage: $0 BACKUP DATABASE" >&2; exit 2; }
case "$backup" in
*.pgdump)
	case "$db" in
	postgresql://* | postgres://*) ;;
	*) echo "$0: a .pgdump restores into a postgresql:// database" >&2; exit 2 ;;
	esac
	pg_restore --no-owner --exit-on-error --single-transaction --dbname="$db" "$backup"
	;;
*.db)
	if [ -e "$db" ]; then
		echo "$0: $db exists; restore into a new file" >&2
		exit 1
	fi
	sqlite3 "$backup" ".backup '$db'"
	;;
*)
	echo "$0: unknown backup kind: $backup" >&2
	exit 2
	;;
esac
echo "restored into $db"
