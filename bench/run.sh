#!/usr/bin/env bash
# eimza benchmarks: HTTP throughput and latency against an nginx peer run on
# the same machine in the same run, and CRL generation against
# `openssl ca -gencrl`. Writes docs/BENCHMARKS.md (and prints it).
#
#   bench/run.sh                      everything, about 4 minutes
#   BENCH_DURATION=5 bench/run.sh     seconds per wrk run (default 4)
#   BENCH_REPS=5                      wrk repetitions per target (median taken)
#   BENCH_THREADS=2 BENCH_CONNECTIONS=32
#   BENCH_CRL_SIZES="100000 1000000"  revoked entries per CRL measurement
#   BENCH_CRL_REPS=3                  repetitions per CRL size (median taken)
#   BENCH_OUT=FILE                    where the report goes (default docs/BENCHMARKS.md)
#   EIMZA=PATH                        binary to measure (default: build-bench/eimza,
#                                     built with --buildtype=release if missing)
#
# Needs: wrk, nginx (Debian nginx-light or nginx), openssl, sqlite3, curl.
# Everything listens on 127.0.0.1 only; every process started here is stopped
# by its PID on exit; temporary files live in one mktemp directory.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${BENCH_DURATION:-4}
REPS=${BENCH_REPS:-5}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
CRL_SIZES=${BENCH_CRL_SIZES:-"100000 1000000"}
CRL_REPS=${BENCH_CRL_REPS:-3}
OUT=${BENCH_OUT:-$ROOT/docs/BENCHMARKS.md}
MAX_SECONDS=${BENCH_MAX_SECONDS:-420}
EIMZA=${EIMZA:-}

T=""
EPID=""
NPID=""

note() { printf 'bench: %s\n' "$*" >&2; }
die() { note "error: $*"; exit 1; }

# Stops one process we started, by PID: TERM, up to 5 s, then KILL.
stop_pid() {
	local pid=$1
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	stop_pid "$EPID"
	# nginx: QUIT is its graceful stop; stop_pid follows with TERM/KILL.
	if [ -n "$NPID" ] && kill -0 "$NPID" 2>/dev/null; then
		kill -QUIT "$NPID" 2>/dev/null || true
		sleep 0.3
	fi
	stop_pid "$NPID"
	EPID=""
	NPID=""
	if [ -n "$T" ] && [ -d "$T" ]; then
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_budget() {
	if [ "$SECONDS" -gt "$MAX_SECONDS" ]; then
		die "over the time budget of ${MAX_SECONDS}s; stopping"
	fi
}

need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "bench: installing $2" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" >/dev/null ||
		die "$1 is missing (apt-get install $2)"
}

# Median of the numbers on stdin (one per line); empty input prints "".
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print ""; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A loopback TCP port nobody listens on.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		if ! ss -Htln "sport = :$p" | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

# Waits (at most 10 s) until URL answers 200 while PID lives.
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

# ---- tools and binary --------------------------------------------------------

need wrk wrk
need nginx nginx-light
need openssl openssl
need sqlite3 sqlite3
need curl curl
need ss iproute2
if [ -z "$EIMZA" ]; then
	if [ ! -d "$ROOT/build-bench" ]; then
		meson setup "$ROOT/build-bench" "$ROOT" --buildtype=release >/dev/null \
			|| die "meson setup build-bench failed"
	fi
	ninja -C "$ROOT/build-bench" eimza >/dev/null || die "ninja -C build-bench eimza failed"
	EIMZA=$ROOT/build-bench/eimza
fi
[ -x "$EIMZA" ] || die "$EIMZA is not executable"
TIMECMD=""
if [ -x /usr/bin/time ]; then
	TIMECMD=/usr/bin/time
fi

T=$(mktemp -d /tmp/eimza-bench.XXXXXX)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
E=("$EIMZA" --db "$T/eimza.db" --config "$T/eimza.conf")

# ---- demo instance -------------------------------------------------------------

cat >"$T/eimza.conf" <<EOF
[ca]
dir = $T/ca
key_type = p256

[server]
secret_file = $T/secret.key
EOF
note "creating the demo database in $T"
"${E[@]}" init --demo --key-storage file >"$T/init.log" 2>&1 || { tail "$T/init.log" >&2; die "init --demo failed"; }

# A holder certificate from the issuing CA, for the OCSP request.
read -r TCKN AD SOYAD < <(sqlite3 -separator ' ' "$T/eimza.db" \
	"SELECT tckn, ad, soyad FROM registry ORDER BY tckn LIMIT 1" || true)
HAVE_CERT=0
if [ -n "${TCKN:-}" ] &&
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/holder.key" -subj "/CN=bench" -out "$T/holder.csr" 2>/dev/null &&
	"${E[@]}" ca issue --tckn "$TCKN" --ad "$AD" --soyad "$SOYAD" "$T/holder.csr" \
		>"$T/holder.pem" 2>"$T/issue.log" &&
	openssl ocsp -issuer "$T/ca/issuing.pem" -cert "$T/holder.pem" -no_nonce \
		-reqout "$T/ocsp.req" >/dev/null 2>&1; then
	HAVE_CERT=1
else
	note "could not issue a holder certificate; the OCSP row is skipped"
fi

EPORT=$(free_port)
"${E[@]}" serve --listen "127.0.0.1:$EPORT" >>"$T/serve.log" 2>&1 &
EPID=$!
wait_ready "http://127.0.0.1:$EPORT/healthz" "$EPID" ||
	{ tail "$T/serve.log" >&2; die "eimza serve did not start"; }
EURL="http://127.0.0.1:$EPORT"

# ---- nginx peer: the same bytes, served as static files -------------------------

N="$T/nginx"
mkdir -p "$N/www/static" "$N/tmp"
cp "$ROOT/static/app.css" "$N/www/static/app.css"
cmp -s "$N/www/static/app.css" <(curl -s "$EURL/static/app.css") ||
	note "warning: /static/app.css from eimza differs from static/app.css on disk"
curl -s -D "$T/basvuru.hdr" -o "$N/www/basvuru.html" "$EURL/basvuru"
SID=$(sed -n 's/^[Ss]et-[Cc]ookie: *sid=\([^;]*\).*/\1/p' "$T/basvuru.hdr" | head -n 1)
chmod 755 "$T" "$N" "$N/www" "$N/www/static"
chmod 644 "$N/www/basvuru.html" "$N/www/static/app.css"
NUSER=""
if [ "$(id -u)" = 0 ]; then
	# nginx would switch its workers to "nobody"; keep the files' owner.
	NUSER="user root;"
fi
NPORT=$(free_port)
cat >"$N/nginx.conf" <<EOF
$NUSER
worker_processes auto;
pid $N/nginx.pid;
error_log $N/error.log warn;
events { worker_connections 1024; }
http {
	access_log $N/access.log;
	client_body_temp_path $N/tmp/body;
	proxy_temp_path $N/tmp/proxy;
	fastcgi_temp_path $N/tmp/fastcgi;
	uwsgi_temp_path $N/tmp/uwsgi;
	scgi_temp_path $N/tmp/scgi;
	types { text/css css; text/html html; }
	sendfile on;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$NPORT;
		root $N/www;
		location = /healthz { default_type text/plain; return 200 "ok\n"; }
		location = /basvuru { default_type text/html; try_files /basvuru.html =404; }
		location /static/ { }
	}
}
EOF
nginx -t -q -p "$N" -e "$N/error.log" -c "$N/nginx.conf" || die "nginx config rejected"
nginx -p "$N" -e "$N/error.log" -c "$N/nginx.conf" -g 'daemon off;' &
NPID=$!
wait_ready "http://127.0.0.1:$NPORT/healthz" "$NPID" ||
	{ cat "$N/error.log" >&2; die "nginx did not start"; }
NURL="http://127.0.0.1:$NPORT"

# ---- HTTP measurements ------------------------------------------------------------

# id|server|path|label (server: eimza or nginx); POST /ocsp is id ocsp.
TARGETS=(
	"e_healthz|eimza|/healthz|GET /healthz"
	"n_healthz|nginx|/healthz|GET /healthz (nginx: return 200)"
	"e_basvuru|eimza|/basvuru|GET /basvuru, new visitor (render + new session)"
	"e_basvuru_sid|eimza|/basvuru|GET /basvuru with a session cookie (render)"
	"n_basvuru|nginx|/basvuru|GET /basvuru (nginx: static copy)"
	"e_css|eimza|/static/app.css|GET /static/app.css"
	"n_css|nginx|/static/app.css|GET /static/app.css"
)
code=$(curl -s -o /dev/null -w '%{http_code}' "$EURL/crl/issuing.crl" || true)
if [ "$code" = 200 ]; then
	TARGETS+=("e_crl|eimza|/crl/issuing.crl|GET /crl/issuing.crl (empty CRL, cached)")
else
	note "GET /crl/issuing.crl answered $code; skipped"
fi
if [ "$HAVE_CERT" = 1 ]; then
	code=$(curl -s -o "$T/ocsp.resp" -w '%{http_code}' --data-binary @"$T/ocsp.req" \
		-H 'Content-Type: application/ocsp-request' "$EURL/ocsp" || true)
	if [ "$code" = 200 ] && openssl ocsp -respin "$T/ocsp.resp" -issuer "$T/ca/issuing.pem" \
		-CAfile "$T/ca/root.pem" -cert "$T/holder.pem" 2>/dev/null | grep -q ': good'; then
		TARGETS+=("ocsp|eimza|/ocsp|POST /ocsp (one certificate, good)")
	else
		note "POST /ocsp answered $code or did not verify; skipped"
	fi
fi

# One wrk run; appends "id rep rps p50us p99us requests sockerr non2xx".
run_wrk() {
	local id=$1 server=$2 path=$3 rep=$4 base line
	local -a extra=()
	base=$EURL
	[ "$server" = nginx ] && base=$NURL
	[ "$id" = e_basvuru_sid ] && extra=(-H "Cookie: sid=$SID")
	if [ "$id" = ocsp ]; then
		export BENCH_BODY=$T/ocsp.req BENCH_CTYPE=application/ocsp-request
	else
		export BENCH_BODY="" BENCH_CTYPE=""
	fi
	line=$(timeout $((DURATION + 20)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" \
		"${extra[@]}" -s "$ROOT/bench/report.lua" "$base$path" | grep '^RESULT ' || true)
	[ -n "$line" ] || die "wrk failed on $server $path"
	echo "$id $rep ${line#RESULT }" >>"$T/wrk.txt"
	# Both servers log every request; keep the logs from filling the disk.
	: >"$T/serve.log"
	: >"$N/access.log"
}

if [ -z "$SID" ]; then
	note "no session cookie from /basvuru; the cookie row is skipped"
	TARGETS=("${TARGETS[@]/e_basvuru_sid|*/}")
fi
: >"$T/wrk.txt"
note "HTTP: ${#TARGETS[@]} targets x $REPS runs x ${DURATION}s (wrk -t$THREADS -c$CONNS)"
for rep in $(seq "$REPS"); do
	for t in "${TARGETS[@]}"; do
		[ -n "$t" ] || continue
		IFS='|' read -r id server path label <<<"$t"
		check_budget
		run_wrk "$id" "$server" "$path" "$rep"
	done
	note "HTTP run $rep/$REPS done (${SECONDS}s)"
done

# Peak memory after the load: VmHWM of the process, and of it plus its children.
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_tree() {
	local sum c
	sum=$(hwm "$1")
	for c in $(pgrep -P "$1" || true); do
		sum=$((sum + $(hwm "$c")))
	done
	echo "$sum"
}
E_HWM=$(hwm "$EPID")
E_HWM_ALL=$(hwm_tree "$EPID")
N_HWM_ALL=$(hwm_tree "$NPID")
E_SESSIONS=$(sqlite3 "$T/eimza.db" "SELECT count(*) FROM sessions" 2>/dev/null || echo "?")
cleanup_servers() {
	stop_pid "$EPID"
	EPID=""
	kill -QUIT "$NPID" 2>/dev/null || true
	stop_pid "$NPID"
	NPID=""
}
cleanup_servers

# ---- CRL generation ------------------------------------------------------------------

# Rows FROM..TO (inclusive) of synthetic revoked certificates, reasons 0..5
# and every 7th without a reason.
add_revoked() {
	sqlite3 "$T/eimza.db" "WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n
		WHERE i < $2) INSERT INTO certificates (serial_hex, tckn, subject, not_before,
		not_after, der, status, revoked_at, reason, created_at)
		SELECT printf('5B%030X', i), '10000000146', 'CN=bench ' || i, 1700000000,
		1900000000, x'00', 'revoked', 1750000000 + i,
		CASE WHEN i % 7 = 0 THEN NULL ELSE i % 6 END, 1700000000 FROM n"
}

# The same revoked rows as an OpenSSL index.txt (reason 0 omitted, as eimza does).
export_index() {
	sqlite3 -separator $'\t' "$T/eimza.db" "SELECT 'R', '300101000000Z',
		substr(strftime('%Y%m%d%H%M%S', revoked_at, 'unixepoch'), 3) || 'Z' ||
		CASE reason WHEN 1 THEN ',keyCompromise' WHEN 2 THEN ',CACompromise'
		WHEN 3 THEN ',affiliationChanged' WHEN 4 THEN ',superseded'
		WHEN 5 THEN ',cessationOfOperation' WHEN 6 THEN ',certificateHold' ELSE '' END,
		serial_hex, 'unknown', '/CN=bench' FROM certificates
		WHERE status IN ('revoked', 'hold')" >"$T/oca/index.txt"
}

# Runs a command, appending "wall_ms maxrss_kB" to FILE (maxrss 0 without
# /usr/bin/time; it covers the command and the children it waited for).
timed() {
	local file=$1 t0 t1 rss=0
	shift
	t0=$(date +%s%N)
	if [ -n "$TIMECMD" ]; then
		timeout 120 "$TIMECMD" -f '%M' -o "$T/rss.txt" "$@"
		rss=$(tail -n 1 "$T/rss.txt")
	else
		timeout 120 "$@"
	fi
	t1=$(date +%s%N)
	echo "$(((t1 - t0) / 1000000)) $rss" >>"$file"
}

mkdir -p "$T/oca"
cat >"$T/oca/ca.cnf" <<EOF
[ ca ]
default_ca = bench
[ bench ]
database = $T/oca/index.txt
crlnumber = $T/oca/crlnumber
default_md = sha256
default_crl_hours = 24
unique_subject = no
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
echo 01 >"$T/oca/crlnumber"

: >"$T/crl.txt"
have=0
for size in $CRL_SIZES; do
	check_budget
	note "CRL: $size revoked entries"
	add_revoked $((have + 1)) "$size"
	have=$size
	export_index
	: >"$T/e_crl.$size"
	: >"$T/o_crl.$size"
	: >"$T/e_parts.$size"
	for rep in $(seq "$CRL_REPS"); do
		check_budget
		timed "$T/e_crl.$size" "${E[@]}" ca crl >"$T/crl.log" 2>&1 ||
			{ tail "$T/crl.log" >&2; die "eimza ca crl failed"; }
		# "CRL 7 with N entries (B bytes): built in X ms, signed and stored in Y ms"
		grep ' entries (' "$T/crl.log" | tail -n 1 | tr -c '0-9\n' ' ' |
			awk '{ print $(NF - 3), $(NF - 2), $(NF - 1), $NF }' >>"$T/e_parts.$size"
		timed "$T/o_crl.$size" openssl ca -batch -gencrl -config "$T/oca/ca.cnf" \
			-keyfile "$T/ca/issuing.key" -passin "file:$T/ca/keys.pass" \
			-cert "$T/ca/issuing.pem" \
			-out "$T/oca/o.crl" >"$T/oca/gencrl.log" 2>&1 ||
			{ tail "$T/oca/gencrl.log" >&2; die "openssl ca -gencrl failed"; }
	done
	# Check both CRLs once: signature, and the DER size of each.
	sqlite3 "$T/eimza.db" "SELECT writefile('$T/e.crl', der) FROM crl_state
		WHERE ca = 'issuing'" >/dev/null
	e_ok=no
	openssl crl -inform DER -in "$T/e.crl" -CAfile "$T/ca/issuing.pem" -noout 2>&1 |
		grep -q 'verify OK' && e_ok=yes
	e_der=$(stat -c %s "$T/e.crl")
	o_der=$(openssl crl -in "$T/oca/o.crl" -outform DER | wc -c)
	e_entries=$(awk '{ print $1 }' "$T/e_parts.$size" | tail -n 1)
	echo "$size $e_entries $e_der $o_der $e_ok" >>"$T/crl.txt"
done

# ---- report ---------------------------------------------------------------------------

# Median of column COL (1-based after id and rep) of wrk.txt rows with ID.
wmed() { awk -v id="$1" -v c="$2" '$1 == id { print $(c + 2) }' "$T/wrk.txt" | median; }
wrange() {
	awk -v id="$1" '$1 == id { v = $3; if (n++ == 0 || v < lo) lo = v; if (v > hi) hi = v }
		END { if (n) printf "%.0f–%.0f", lo, hi; else printf "–" }' "$T/wrk.txt"
}
wsum() { awk -v id="$1" -v c="$2" '$1 == id { s += $(c + 2) } END { print s + 0 }' "$T/wrk.txt"; }
ms() { [ -n "$1" ] && awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }' || printf '–'; }
int() { [ -n "$1" ] && awk -v v="$1" 'BEGIN { printf "%.0f", v }' || printf '–'; }
ratio() {
	if [ -n "$1" ] && [ -n "$2" ]; then
		awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "–" }'
	else
		printf '–'
	fi
}
mib() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; }

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MEM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=""
if [ -n "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null | head -n 1)" ]; then
	DIRTY=" (with uncommitted changes in src/)"
fi
pkgver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo "?"; }
NGINX_V=$(nginx -v 2>&1 | sed 's/.*nginx\///')
WRK_V=$(pkgver wrk)
OPENSSL_V=$(openssl version | awk '{ print $2 }')
MHD_V=$(pkgver libmicrohttpd12)
SQLITE_V=$(sqlite3 --version | awk '{ print $1 }')
CC_V=$(cc --version 2>/dev/null | head -n 1)

{
	cat <<EOF
# Benchmarks

Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Numbers are
medians of repeated runs on one machine, and every comparison is against a
peer measured in the same run on the same machine, so read the **ratios**;
the absolute numbers only describe this machine.

## Machine

| | |
|---|---|
| CPU | $CPU, $(nproc) CPUs online |
| memory | $MEM |
| kernel | $(uname -sr) |
| eimza | commit $COMMIT$DIRTY, release build (\`meson --buildtype=release\`), $CC_V |
| libraries | libmicrohttpd $MHD_V, SQLite $SQLITE_V, OpenSSL $OPENSSL_V |
| peers | nginx $NGINX_V, \`openssl ca\` $OPENSSL_V |
| load generator | wrk $WRK_V, on the same machine (it competes for the same CPUs) |
| load average | $LOAD_START at the start, $LOAD_END at the end (1/5/15 min; other work on the machine shows here) |

## HTTP

\`wrk -t$THREADS -c$CONNS -d${DURATION}s\`, $REPS runs per row, interleaved (each run
goes over every row once, so drift hits all rows alike). req/s, p50 and p99
are each the median over the runs of that run's value; latency in ms.
eimza runs \`eimza serve\` (not \`--dev\`, default \`server.threads\`, SQLite,
P-256 CA) on a fresh \`init --demo\` database; nginx runs with
\`worker_processes auto\`. Both write one access-log line per request.
"min–max" is the spread of req/s over the runs: a wide one means the
machine was busy with other work. "errors" counts socket errors and
non-2xx/3xx answers over all runs.

| request | server | req/s | req/s min–max | p50 ms | p99 ms | errors |
|---|---|--:|--:|--:|--:|--:|
EOF
	for t in "${TARGETS[@]}"; do
		[ -n "$t" ] || continue
		IFS='|' read -r id server path label <<<"$t"
		err=$(( $(wsum "$id" 5) + $(wsum "$id" 6) ))
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$server" \
			"$(int "$(wmed "$id" 1)")" "$(wrange "$id")" "$(ms "$(wmed "$id" 2)")" \
			"$(ms "$(wmed "$id" 3)")" "$err"
	done
	cat <<EOF

### eimza / nginx

A ratio of req/s below 1 means eimza serves fewer requests per second than
nginx; a p50 ratio above 1 means it answers more slowly.

| request | req/s eimza/nginx | p50 eimza/nginx | p99 eimza/nginx |
|---|--:|--:|--:|
EOF
	for pair in "healthz|/healthz (minimal answer)" \
		"basvuru|/basvuru, new visitor vs. static copy" \
		"basvuru_sid|/basvuru, with session vs. static copy" \
		"css|/static/app.css"; do
		IFS='|' read -r k label <<<"$pair"
		e=e_$k
		n=n_$k
		[ "$k" = basvuru_sid ] && n=n_basvuru
		grep -q "^$e " "$T/wrk.txt" || continue
		printf '| %s | %s | %s | %s |\n' "$label" \
			"$(ratio "$(wmed "$e" 1)" "$(wmed "$n" 1)")" \
			"$(ratio "$(wmed "$e" 2)" "$(wmed "$n" 2)")" \
			"$(ratio "$(wmed "$e" 3)" "$(wmed "$n" 3)")"
	done
	cat <<EOF

### Memory after the load

| | peak RSS (VmHWM) |
|---|--:|
| eimza serve process | $(mib "$E_HWM") MiB |
| eimza serve + its signer process | $(mib "$E_HWM_ALL") MiB |
| nginx master + workers | $(mib "$N_HWM_ALL") MiB |

The eimza database held $E_SESSIONS sessions at that point (one per
new-visitor request to /basvuru).

## CRL generation

Synthetic revoked rows are inserted into \`certificates\` with sqlite3
(16-byte serials, revocation dates, reason codes 1–5 and none); \`eimza ca
crl\` builds, signs (P-256, through the signer process) and stores the full
CRL. The peer is \`openssl ca -gencrl\` over an \`index.txt\` holding the same
entries, same key, same reasons. Times are wall-clock for the whole command
(process start, key load, read, build, sign, write), median of $CRL_REPS;
"built"/"signed+stored" are eimza's own log figures (reading rows and DER
encoding; signing, checking the signature and writing the CRL to the
database). Peak RSS is /usr/bin/time's maximum resident set size.

| revoked entries | eimza ca crl | built | signed+stored | eimza peak RSS | openssl ca -gencrl | openssl peak RSS | time eimza/openssl | DER size eimza / openssl | eimza CRL verifies |
|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|
EOF
	while read -r size entries e_der o_der e_ok; do
		e_ms=$(awk '{ print $1 }' "$T/e_crl.$size" | median)
		o_ms=$(awk '{ print $1 }' "$T/o_crl.$size" | median)
		e_rss=$(awk '{ print $2 }' "$T/e_crl.$size" | median)
		o_rss=$(awk '{ print $2 }' "$T/o_crl.$size" | median)
		b_ms=$(awk '{ print $3 }' "$T/e_parts.$size" | median)
		s_ms=$(awk '{ print $4 }' "$T/e_parts.$size" | median)
		printf '| %s | %s ms | %s ms | %s ms | %s MiB | %s ms | %s MiB | %s | %s / %s bytes | %s |\n' \
			"$entries" "$(int "$e_ms")" "$(int "$b_ms")" "$(int "$s_ms")" \
			"$(mib "$e_rss")" "$(int "$o_ms")" "$(mib "$o_rss")" \
			"$(ratio "$e_ms" "$o_ms")" "$e_der" "$o_der" "$e_ok"
	done <"$T/crl.txt"
	cat <<EOF

## Rerunning

\`\`\`
apt-get install wrk nginx-light     # once; openssl, sqlite3, curl are already needed
bench/run.sh                        # builds build-bench/ (release) if needed
\`\`\`

It takes about four minutes, listens on 127.0.0.1 only (two free ports), works
in one \`mktemp -d\` directory that it removes, stops the servers it started by
their PIDs, and overwrites this file. \`BENCH_DURATION\`, \`BENCH_REPS\`,
\`BENCH_THREADS\`, \`BENCH_CONNECTIONS\`, \`BENCH_CRL_SIZES\`, \`BENCH_CRL_REPS\`,
\`BENCH_OUT\` and \`EIMZA\` change what it does (see the head of the script).
It is not part of \`scripts/test.sh\`: tests assert behaviour, never speed.

## What the numbers mean

- **GET /healthz**: the smallest answer; the cost of libmicrohttpd, the
  router, the request arena and the access log. nginx answers with a
  \`return 200\`.
- **GET /basvuru, new visitor**: the login page as a first visit sees it:
  a new session row in SQLite (a write, serialised by the database), the
  CSRF token, and template rendering. nginx serves a saved copy of the same
  HTML, so this ratio is the whole price of a dynamic, stateful page.
- **GET /basvuru with a session cookie**: the same page for a returning
  visitor (the session is looked up, not created); the gap to the
  new-visitor row is mostly the session insert.
- **GET /static/app.css**: a compiled-in file served from memory (eimza
  hashes it for the ETag on each request) against nginx's sendfile.
- **GET /crl/issuing.crl**: the stored CRL read from the database (empty
  here; a large CRL is a download, so its cost is measured as generation
  time below).
- **POST /ocsp**: one nonce-less request for one good certificate; eimza
  answers it from its in-memory cache of signed responses (src/pki/ocsp.c).
- **req/s**: completed requests per second over a run; **p50/p99**: the
  median and 99th-percentile latency of one request under that load.
- **peak RSS**: the highest resident memory the process reached (VmHWM), read
  after all HTTP runs.
EOF
} >"$T/report.md"

mkdir -p "$(dirname "$OUT")"
cp "$T/report.md" "$OUT"
cat "$T/report.md"
note "wrote $OUT in ${SECONDS}s"
