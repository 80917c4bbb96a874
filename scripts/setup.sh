#!/usr/bin/env bash
# Installs what eimza needs on Debian 12 (only the packages that are missing),
# then builds it. Safe to run again: it does nothing that is already done.
#   scripts/setup.sh            runtime + build dependencies, release build;
#                               as root also the system users eimza and
#                               eimza-signer
#   scripts/setup.sh --test     also the test tools (cmocka, pytest, SMTP
#                               server, Chromium, OpenSC pkcs11-tool, clang runtimes,
#                               clang-format, PostgreSQL 15 for the
#                               PostgreSQL test runs)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_PKGS="build-essential pkg-config meson ninja-build python3
 libmicrohttpd-dev libsqlite3-dev libpq-dev libssl-dev openssl libsodium-dev
 libcurl4-openssl-dev libxml2-dev libcairo2-dev libpango1.0-dev libqrencode-dev
 libp11-dev libp11-kit-dev libseccomp-dev libcjose-dev libjansson-dev softhsm2 fonts-dejavu-core sqlite3 ca-certificates
 espeak-ng"
TEST_PKGS="libcmocka-dev python3-pytest python3-aiosmtpd poppler-utils chromium
 clang libclang-rt-14-dev clang-format opensc curl faketime
 postgresql-15 python3-psycopg2 python3-cryptography"

want="$BUILD_PKGS"
if [ "${1:-}" = "--test" ]; then
	want="$want $TEST_PKGS"
fi

missing=""
# Node.js may come from another packaging (with npm inside the nodejs
# package); only ask apt for it when the commands are missing.
if [ "${1:-}" = "--test" ] && ! command -v npm >/dev/null 2>&1; then
	want="$want nodejs npm"
fi
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	echo "setup: installing:$missing"
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then
		SUDO="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# The system users of `eimza serve` started as root (server.user = eimza,
# ca.signer_user = eimza-signer; docs/SECURITY.md "Process and sandbox"):
# the web process and the signer each under its own uid.
if [ "$(id -u)" -eq 0 ]; then
	for u in eimza eimza-signer; do
		if ! getent passwd "$u" >/dev/null; then
			echo "setup: creating system user $u"
			useradd --system --no-create-home --shell /usr/sbin/nologin "$u"
		fi
	done
fi

if [ ! -f build/build.ninja ]; then
	meson setup build --buildtype=debugoptimized
fi
ninja -C build
