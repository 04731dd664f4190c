#!/usr/bin/env bash
# Makes sure what the tests need from the OS is here: Debian's Chromium (or $CHROMIUM_PATH),
# redis-server, PostgreSQL (the PostgreSQL ledger and multi-host tests start their own server
# from /usr/lib/postgresql/*/bin, or $POSTGRES_BIN), and nginx + openssl (test/docs/deploy.test.ts
# runs deploy/nginx.conf). Installs
# them with apt-get when missing and we are root; otherwise says exactly what to run. Never downloads a browser of its own.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ -n "${POSTGRES_BIN:-}" ]; then
  [ -x "$POSTGRES_BIN/initdb" ] || missing+=(postgresql)
else
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
fi
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]}." >&2
  echo "On Debian/Ubuntu run: sudo apt-get install -y ${missing[*]}" >&2
  echo "Or point CHROMIUM_PATH at a Chromium/Chrome binary you already have." >&2
  exit 1
fi
