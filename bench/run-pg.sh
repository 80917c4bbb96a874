#!/usr/bin/env bash
# The PostgreSQL column of the benchmarks: the same requests against one
# `eimza serve` on SQLite and against two `eimza serve` nodes on one
# PostgreSQL database behind HAProxy, all on this machine, in one run.
# Writes docs/BENCHMARKS-PG.md (and prints it).
#
#   bench/run-pg.sh                   about 2 minutes
#   BENCH_DURATION=5 BENCH_REPS=3 BENCH_THREADS=2 BENCH_CONNECTIONS=32
#   BENCH_OUT=FILE                    where the report goes
#   EIMZA=PATH                        binary (default build-bench/eimza, release)
#
# Needs: wrk, haproxy, PostgreSQL 15 (postgresql-15), openssl, curl. The
# PostgreSQL cluster is a throwaway one (scripts/pg-cluster.sh). Everything
# listens on 127.0.0.1; every process started here is stopped by its PID.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${BENCH_DURATION:-4}
REPS=${BENCH_REPS:-3}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
OUT=${BENCH_OUT:-$ROOT/docs/BENCHMARKS-PG.md}
EIMZA=${EIMZA:-}

T=""
PIDS=()

note() { printf 'bench-pg: %s\n' "$*" >&2; }
die() { note "error: $*"; exit 1; }

stop_pid() {
	local pid=$1
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	for p in "${PIDS[@]}"; do
		stop_pid "$p"
	done
	PIDS=()
	if [ -n "$T" ] && [ -d "$T" ]; then
		[ -d "$T/pg" ] && "$ROOT/scripts/pg-cluster.sh" stop "$T/pg"
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "bench-pg: installing $2" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" >/dev/null ||
		die "$1 is missing (apt-get install $2)"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print ""; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_ready() {
	local url=$1 pid=$2
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 1
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

need wrk wrk
need haproxy haproxy
need curl curl
need openssl openssl
[ -x /usr/lib/postgresql/15/bin/initdb ] || need /usr/lib/postgresql/15/bin/initdb postgresql-15
if [ -z "$EIMZA" ]; then
	if [ ! -d "$ROOT/build-bench" ]; then
		meson setup "$ROOT/build-bench" "$ROOT" --buildtype=release >/dev/null ||
			die "meson setup build-bench failed"
	fi
	ninja -C "$ROOT/build-bench" eimza >/dev/null || die "ninja -C build-bench eimza failed"
	EIMZA=$ROOT/build-bench/eimza
fi

T=$(mktemp -d /tmp/eimza-bench-pg.XXXXXX)
chmod 755 "$T"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
PGURL=$("$ROOT/scripts/pg-cluster.sh" start "$T/pg") || die "PostgreSQL did not start"
psql -q "$PGURL/postgres" -c "CREATE DATABASE bench" || die "CREATE DATABASE failed"

# Two installations, each with its own CA directory: SQLite and PostgreSQL.
for i in isq ipg; do
	mkdir -p "$T/$i"
	cat >"$T/$i/eimza.conf" <<EOF
[ca]
dir = $T/$i/ca
key_type = p256
[server]
secret_file = $T/$i/secret.key
EOF
done
SQ=("$EIMZA" --db "$T/isq/eimza.db" --config "$T/isq/eimza.conf")
PG=("$EIMZA" --db "$PGURL/bench" --config "$T/ipg/eimza.conf")
note "creating the demo databases in $T"
"${SQ[@]}" init --demo --key-storage file >"$T/init.log" 2>&1 || die "init (SQLite) failed"
"${PG[@]}" init --demo --key-storage file >>"$T/init.log" 2>&1 || die "init (PostgreSQL) failed"

# A holder certificate in each, for the OCSP request.
read -r TCKN AD SOYAD < <(psql -At -F ' ' "$PGURL/bench" \
	-c "SELECT tckn, ad, soyad FROM registry ORDER BY tckn LIMIT 1")
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$T/holder.key" -subj "/CN=bench" -out "$T/holder.csr" 2>/dev/null
for i in isq ipg; do
	if [ "$i" = isq ]; then cmd=("${SQ[@]}"); else cmd=("${PG[@]}"); fi
	"${cmd[@]}" ca issue --tckn "$TCKN" --ad "$AD" --soyad "$SOYAD" "$T/holder.csr" \
		>"$T/$i/holder.pem" 2>>"$T/issue.log" || die "ca issue ($i) failed"
	openssl ocsp -issuer "$T/$i/ca/issuing.pem" -cert "$T/$i/holder.pem" -no_nonce \
		-reqout "$T/$i/ocsp.req" >/dev/null 2>&1 || die "no OCSP request ($i)"
done

# Starts one serve in the background (not in a subshell, so that its PID
# is ours to stop); sets PORT.
PORT=""
start_serve() { # log, command...
	local log=$1
	shift
	PORT=$(free_port)
	"$@" serve --listen "127.0.0.1:$PORT" >>"$log" 2>&1 &
	PIDS+=($!)
	wait_ready "http://127.0.0.1:$PORT/healthz" "$!" || { tail "$log" >&2; die "serve did not start"; }
}
start_serve "$T/sq.log" "${SQ[@]}"
SQ_PORT=$PORT
start_serve "$T/pg1.log" "${PG[@]}"
PG1_PORT=$PORT
start_serve "$T/pg2.log" "${PG[@]}"
PG2_PORT=$PORT
HA_PORT=$(free_port)
cat >"$T/haproxy.cfg" <<EOF
global
	maxconn 4096
defaults
	mode http
	timeout connect 5s
	timeout client 30s
	timeout server 30s
frontend f
	bind 127.0.0.1:$HA_PORT
	default_backend nodes
backend nodes
	balance roundrobin
	http-reuse safe
	server n1 127.0.0.1:$PG1_PORT
	server n2 127.0.0.1:$PG2_PORT
EOF
haproxy -f "$T/haproxy.cfg" -db >"$T/haproxy.log" 2>&1 &
PIDS+=($!)
wait_ready "http://127.0.0.1:$HA_PORT/healthz" "$!" || { cat "$T/haproxy.log" >&2; die "haproxy did not start"; }

SQ_URL="http://127.0.0.1:$SQ_PORT"
PG_URL="http://127.0.0.1:$HA_PORT"
sid_of() { curl -s -D - -o /dev/null "$1/basvuru" | sed -n 's/^[Ss]et-[Cc]ookie: *sid=\([^;]*\).*/\1/p' | head -n 1; }
PD_URL="http://127.0.0.1:$PG1_PORT"
SQ_SID=$(sid_of "$SQ_URL")
PG_SID=$(sid_of "$PG_URL")
PD_SID=$(sid_of "$PD_URL")

# id|path|label
TARGETS=(
	"basvuru|/basvuru|GET /basvuru, new visitor (render + new session row)"
	"basvuru_sid|/basvuru|GET /basvuru with a session cookie (session read)"
	"ocsp|/ocsp|POST /ocsp (one certificate, good, cached answer)"
	"healthz|/healthz|GET /healthz (SELECT 1: one database round trip)"
)

run_wrk() { # id setup path rep
	local id=$1 setup=$2 path=$3 rep=$4 base sid req line
	local -a extra=()
	if [ "$setup" = sqlite ]; then
		base=$SQ_URL sid=$SQ_SID req=$T/isq/ocsp.req
	elif [ "$setup" = pgdirect ]; then
		base=$PD_URL sid=$PD_SID req=$T/ipg/ocsp.req
	else
		base=$PG_URL sid=$PG_SID req=$T/ipg/ocsp.req
	fi
	[ "$id" = basvuru_sid ] && extra=(-H "Cookie: sid=$sid")
	if [ "$id" = ocsp ]; then
		export BENCH_BODY=$req BENCH_CTYPE=application/ocsp-request
	else
		export BENCH_BODY="" BENCH_CTYPE=""
	fi
	line=$(timeout $((DURATION + 20)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" \
		"${extra[@]}" -s "$ROOT/bench/report.lua" "$base$path" | grep '^RESULT ' || true)
	[ -n "$line" ] || die "wrk failed on $setup $path"
	echo "$id $setup $rep ${line#RESULT }" >>"$T/wrk.txt"
	: >"$T/sq.log"
	: >"$T/pg1.log"
	: >"$T/pg2.log"
}

: >"$T/wrk.txt"
note "HTTP: ${#TARGETS[@]} targets x 3 setups x $REPS runs x ${DURATION}s"
for rep in $(seq "$REPS"); do
	for t in "${TARGETS[@]}"; do
		IFS='|' read -r id path label <<<"$t"
		run_wrk "$id" sqlite "$path" "$rep"
		run_wrk "$id" pgdirect "$path" "$rep"
		run_wrk "$id" pg "$path" "$rep"
	done
	note "run $rep/$REPS done (${SECONDS}s)"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

col() { # id setup field(4=rps 5=p50us 6=p99us)
	awk -v id="$1" -v s="$2" -v f="$3" '$1 == id && $2 == s { print $f }' "$T/wrk.txt" | median
}
errs() {
	awk -v id="$1" -v s="$2" '$1 == id && $2 == s { e += $8 + $9 } END { print e + 0 }' "$T/wrk.txt"
}
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

{
	cat <<EOF
# Benchmarks: SQLite and PostgreSQL

Generated by \`bench/run-pg.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). One
\`eimza serve\` on SQLite, one on PostgreSQL 15 (a local throwaway cluster,
fsync off) reached directly, and two on that PostgreSQL database behind
HAProxy (round robin), everything on this one machine: $(nproc) CPUs, the load
generator (\`wrk -t$THREADS -c$CONNS -d${DURATION}s\`, median of $REPS runs)
included; eimza from \`$(basename "$(dirname "$EIMZA")")/\` (commit
$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')). Load average $LOAD_START at the start, $LOAD_END at the end. On
one machine the two nodes share the same CPUs, so this shows the cost of
the PostgreSQL round trips and of the proxy hop, not the gain of a second
machine; read the ratios.

req/s (median), and the ratio of each PostgreSQL column to SQLite:

| request | SQLite, 1 node | PostgreSQL, 1 node direct | ratio | PostgreSQL, 2 nodes + HAProxy | ratio |
|---|--:|--:|--:|--:|--:|
EOF
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }
	for t in "${TARGETS[@]}"; do
		IFS='|' read -r id path label <<<"$t"
		a=$(col "$id" sqlite 4)
		d=$(col "$id" pgdirect 4)
		b=$(col "$id" pg 4)
		printf '| %s | %.0f | %.0f | %s | %.0f | %s |\n' "$label" "$a" "$d" "$(ratio "$a" "$d")" \
			"$b" "$(ratio "$a" "$b")"
	done
	cat <<EOF

Latency (p50 / p99 in ms) and errors (socket errors + non-2xx/3xx, all runs):

| request | SQLite | PostgreSQL direct | PostgreSQL + HAProxy | errors S / D / H |
|---|--:|--:|--:|--:|
EOF
	for t in "${TARGETS[@]}"; do
		IFS='|' read -r id path label <<<"$t"
		printf '| %s | %s / %s | %s / %s | %s / %s | %s / %s / %s |\n' "$label" \
			"$(ms "$(col "$id" sqlite 5)")" "$(ms "$(col "$id" sqlite 6)")" \
			"$(ms "$(col "$id" pgdirect 5)")" "$(ms "$(col "$id" pgdirect 6)")" \
			"$(ms "$(col "$id" pg 5)")" "$(ms "$(col "$id" pg 6)")" \
			"$(errs "$id" sqlite)" "$(errs "$id" pgdirect)" "$(errs "$id" pg)"
	done
	cat <<EOF

- **new visitor**: each request inserts a session row: one SQLite write
  (serialised by the file lock) against one PostgreSQL INSERT over a
  socket, from either node.
- **with a session cookie**: a session read and its \`seen_at\` update.
- **POST /ocsp**: the signed answer comes from the node's memory; the
  node still reads the issuing CRL number from the database on each
  request (so a revocation made on another node is seen at once).
- **/healthz**: a \`SELECT 1\` and nothing else, so the cost of one
  database round trip: an in-process SQLite call against a message to a
  PostgreSQL backend process over loopback TCP, which here competes for
  the same 2 CPUs as eimza and wrk. The HAProxy column adds the proxy hop,
  also on those CPUs. On separate machines the nodes gain the CPUs that
  PostgreSQL and the proxy take here.

Rerun: \`bench/run-pg.sh\` (installs wrk and haproxy with apt if missing).
Not part of \`scripts/test.sh\`: tests assert behaviour, never speed.
EOF
} >"$OUT"
cat "$OUT"
