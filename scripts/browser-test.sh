#!/usr/bin/env bash
# Browser tests of the web application (part of the README's test command, scripts/test.sh).
# Installs what they need when missing (Debian's chromium, playwright-core from npm), starts
# `cchc serve --demo` on a fresh SQLite file and a free loopback port, runs the Node test files in
# tests/browser against it with Playwright driving Chromium, and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

# The binary under test: the one the caller built (scripts/test.sh passes `cargo test`'s), else
# a build of it now.
bin="${CCHC_BIN:-}"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  cargo build -p cchc --locked --quiet
  bin=target/debug/cchc
fi
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export CCHC_URL="http://127.0.0.1:$port"
"$bin" --db "sqlite://$work/demo.db" serve --demo --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 180); do
  curl -sf -o /dev/null "$CCHC_URL/login" && break
  if ! kill -0 $server 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
  sleep 1
done
curl -sf -o /dev/null "$CCHC_URL/login" || { echo "cchc serve did not answer on $CCHC_URL" >&2; cat "$work/server.log" >&2; exit 1; }

export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
export CCHC_DOWNLOADS="$work/downloads"
# CCHC_BROWSER_TESTS="compile.test.mjs" runs some of the files only (while working on a page).
(cd tests/browser && node --test --test-concurrency=1 ${CCHC_BROWSER_TESTS:-./*.test.mjs})
