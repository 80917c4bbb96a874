#!/bin/sh
# The CA end to end, checked with OpenSSL's own tools over HTTP:
# hierarchy, issuance, the published chain, CRLs, OCSP (POST and GET, good,
# revoked, unknown, malformed), caching headers.
#
# usage: pki_openssl.sh PKI_TOOL
#   PKI_TOOL is build/tests/unit/pki/pki_tool (`ca ...` and `serve`), or a
#   wrapper with the same interface around `eimza`.
set -eu
TOOL=${1:?usage: pki_openssl.sh PKI_TOOL}
T=$(mktemp -d /tmp/eimza-pki-it-XXXXXX)
PID=
cleanup() {
	if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
has() { grep -q -- "$2" "$1" || { cat "$1" >&2; fail "'$2' missing in $1"; }; }

PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
run() { "$TOOL" --ca "$T/ca" --db "$T/eimza.db" --public-url "$URL" "$@"; }

run ca create --key-type p256 >/dev/null
# Started directly (not through the shell function) so that $! is the server.
"$TOOL" --ca "$T/ca" --db "$T/eimza.db" --public-url "$URL" serve "127.0.0.1:$PORT" \
	2>"$T/server.log" &
PID=$!
i=0
until curl -sf "$URL/depo/root.pem" -o "$T/root.pem"; do
	i=$((i + 1)); [ $i -lt 50 ] || fail "server did not start"; sleep 0.1
done
curl -sf "$URL/depo/issuing.pem" -o "$T/issuing.pem"
curl -sf "$URL/depo/issuing.crt" -o "$T/issuing.crt"
openssl x509 -inform DER -in "$T/issuing.crt" -noout || fail "issuing.crt is not DER"
openssl verify -CAfile "$T/root.pem" "$T/issuing.pem" >/dev/null

# Repository pages.
curl -sf "$URL/depo/" -o "$T/depo.html"
has "$T/depo.html" "Sertifika Deposu"
has "$T/depo.html" "/crl/issuing.crl"
curl -sf "$URL/depo/pds-tr.txt" -o "$T/pds.txt"
has "$T/pds.txt" "KAMUYA AÇIKLAMA BEYANI"

# Issue from a P-256 CSR.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/a.key" \
	-subj /CN=x -out "$T/a.csr" 2>/dev/null
run ca issue --tckn 10000000146 --ad AYŞE --soyad IŞIK --years 2 "$T/a.csr" \
	>"$T/a.pem" 2>"$T/issue.log" || { cat "$T/issue.log"; fail "issue"; }
SERIAL=$(openssl x509 -in "$T/a.pem" -noout -serial | cut -d= -f2)
openssl verify -CAfile "$T/root.pem" -untrusted "$T/issuing.pem" "$T/a.pem" >/dev/null
openssl x509 -in "$T/a.pem" -noout -text -nameopt utf8 >"$T/a.txt"
has "$T/a.txt" "serialNumber=PNOTR-10000000146"
has "$T/a.txt" "qcStatements"
has "$T/a.txt" "Non Repudiation"
has "$T/a.txt" "OCSP - URI:$URL/ocsp"

# A refused CSR (RSA 1024).
openssl req -new -newkey rsa:1024 -nodes -keyout "$T/w.key" -subj /CN=x -out "$T/w.csr" 2>/dev/null
if run ca issue --tckn 10000000146 --ad A --soyad B "$T/w.csr" >/dev/null 2>"$T/w.log"; then
	fail "RSA 1024 accepted"
fi
has "$T/w.log" "RSA anahtar uzunluğu"

# OCSP over POST: good.
ocsp() { openssl ocsp -issuer "$T/issuing.pem" -CAfile "$T/root.pem" -url "$URL/ocsp" "$@" 2>&1; }
ocsp -cert "$T/a.pem" >"$T/o1.txt"
has "$T/o1.txt" "Response verify OK"
has "$T/o1.txt" "a.pem: good"

# OCSP over GET with caching headers, and a conditional request.
openssl ocsp -issuer "$T/issuing.pem" -cert "$T/a.pem" -no_nonce -reqout "$T/req.der" >/dev/null
B64=$(base64 -w0 "$T/req.der" | sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g')
curl -sf -D "$T/h.txt" "$URL/ocsp/$B64" -o "$T/get.der"
has "$T/h.txt" "application/ocsp-response"
has "$T/h.txt" "max-age="
has "$T/h.txt" "ETag: "
has "$T/h.txt" "Last-Modified: "
openssl ocsp -respin "$T/get.der" -issuer "$T/issuing.pem" -cert "$T/a.pem" -no_nonce \
	-CAfile "$T/root.pem" -verify_other "$T/issuing.pem" >"$T/o2.txt" 2>&1
has "$T/o2.txt" "a.pem: good"
ETAG=$(grep -i '^etag:' "$T/h.txt" | cut -d' ' -f2 | tr -d '\r')
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$URL/ocsp/$B64")
[ "$CODE" = 304 ] || fail "conditional GET gave $CODE"

# Unknown serial.
ocsp -serial 0x0123456789ABCDEF >"$T/o3.txt"
has "$T/o3.txt" ": unknown"

# Malformed request: malformedRequest, and the server lives on.
printf 'not an ocsp request' | curl -sf --data-binary @- -H 'Content-Type: application/ocsp-request' \
	"$URL/ocsp" -o "$T/bad.der"
[ "$(od -An -tx1 "$T/bad.der" | tr -d ' \n')" = 30030a0101 ] || fail "malformed request"
openssl ocsp -respin "$T/bad.der" -resp_text >"$T/o4.txt" 2>&1 || true
has "$T/o4.txt" "malformedrequest"

# CRLs.
curl -sf -D "$T/ch.txt" "$URL/crl/issuing.crl" -o "$T/issuing.crl"
has "$T/ch.txt" "application/pkix-crl"
has "$T/ch.txt" "ETag: "
openssl crl -inform DER -in "$T/issuing.crl" -CAfile "$T/issuing.pem" -noout >/dev/null 2>&1 ||
	fail "issuing CRL does not verify"
curl -sf "$URL/crl/root.crl" -o "$T/root.crl"
openssl crl -inform DER -in "$T/root.crl" -CAfile "$T/root.pem" -noout -text >"$T/rc.txt" 2>&1
has "$T/rc.txt" "verify OK"

# Revocation: visible in the CRL and OCSP within a second.
run ca revoke "$SERIAL" keyCompromise >/dev/null
START=$(date +%s%N)
curl -sf "$URL/crl/issuing.crl" -o "$T/issuing2.crl"
openssl crl -inform DER -in "$T/issuing2.crl" -noout -text >"$T/crl2.txt"
has "$T/crl2.txt" "Serial Number: $SERIAL"
has "$T/crl2.txt" "Key Compromise"
ocsp -cert "$T/a.pem" >"$T/o5.txt"
END=$(date +%s%N)
has "$T/o5.txt" "a.pem: revoked"
has "$T/o5.txt" "Reason: keyCompromise"
[ $(((END - START) / 1000000)) -lt 1000 ] || fail "revocation took over a second to show"

# Hold and release.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout "$T/b.key" \
	-subj /CN=x -out "$T/b.csr" 2>/dev/null
run ca issue --tckn 12345678950 --ad ALİ --soyad ÇELİK "$T/b.csr" >"$T/b.pem" 2>/dev/null
SB=$(openssl x509 -in "$T/b.pem" -noout -serial | cut -d= -f2)
run ca hold "$SB" >/dev/null
ocsp -cert "$T/b.pem" >"$T/o6.txt"
has "$T/o6.txt" "Reason: certificateHold"
run ca release "$SB" >/dev/null
ocsp -cert "$T/b.pem" >"$T/o7.txt"
has "$T/o7.txt" "b.pem: good"

kill "$PID"
wait "$PID" 2>/dev/null || true
PID=
echo "pki_openssl: all checks passed"
