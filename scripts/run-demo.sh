#!/usr/bin/env bash
# First README command: set everything up, create the demo database once,
# and run the portal in dev mode on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ ! -f var/eimza.db ]; then
	./build/eimza init --demo
fi
echo
echo "eimza: http://127.0.0.1:8080/basvuru  (geliştirici kutusu: /dev/outbox)"
echo "konsol: http://127.0.0.1:8080/konsol  (personel parolası unutulduysa:"
echo "        ./build/eimza user add zonguldak.yetkili --role yetkili --scope ZONGULDAK-MEM)"
exec ./build/eimza serve --dev --listen 127.0.0.1:8080
