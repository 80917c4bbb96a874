#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (scripts/test.sh).
#   scripts/pg-cluster.sh start DIR   initdb in DIR (an empty directory),
#                                     start postgres on 127.0.0.1 with a free
#                                     port and its socket in DIR; prints the
#                                     URL to use (postgresql://...)
#   scripts/pg-cluster.sh stop DIR    stops that server by the PID in
#                                     DIR/data/postmaster.pid, removes DIR
# Run as root, the cluster belongs to the unprivileged `postgres` user (made
# by Debian's postgresql-common); otherwise to the calling user. Durability
# is switched off (fsync, synchronous_commit): the data is thrown away.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$cmd" in
start)
	mkdir -p "$dir"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
	as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
		--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	port=$(free_port)
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "postgresql://postgres@127.0.0.1:$port"
	;;
stop)
	pidfile="$dir/data/postmaster.pid"
	if [ -f "$pidfile" ]; then
		pid=$(head -1 "$pidfile")
		# SIGINT: PostgreSQL's "fast" shutdown (ends sessions, then exits).
		kill -INT "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
