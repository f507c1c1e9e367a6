#!/usr/bin/env bash
# Load command (not part of the test suite): 100 concurrent users saving forms on loopback.
#   bash scripts/load.sh [USERS] [SECONDS] [DB_URL]
# Builds the release binary, starts `cchc serve --demo` on a fresh SQLite file (or DB_URL),
# creates USERS unit-officer accounts, each with its own (commune, period) report, runs
# scripts/load.mjs against it and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
users="${1:-100}"; seconds="${2:-30}"
work=$(mktemp -d)
db="${3:-sqlite://$work/load.db}"
password="tai-khoan-tai@2026"
cargo build --release -p cchc --locked --quiet
bin=target/release/cchc
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn $bin --db "$db" serve --demo --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 1; done

# Every (commune, period) pair of the demo year gets its own user, so no two users share a report
# (sharing one would be an optimistic-locking conflict by design, not a load error).
communes=(99101N 99103N 99201N 99203N 99301N 99303N)
periods=(2026-M01 2026-M02 2026-M03 2026-M04 2026-M05 2026-M06 2026-M07 2026-M08 2026-M09 2026-M10 2026-M11 2026-M12 2026-Q2 2026-Q3 2026-Q4 2026-Y 2025-Y 2025-H1 2025-9M)
targets="["
for i in $(seq 0 $((users - 1))); do
  unit=${communes[$((i % ${#communes[@]}))]}
  period=${periods[$((i / ${#communes[@]}))]}
  name=$(printf "load%03d" $((i + 1)))
  CCHC_PASSWORD="$password" $bin --db "$db" users add "$name" --role unit-officer --unit "$unit" --name "Người dùng thử tải $name" >/dev/null
  targets="$targets[\"$unit\",\"$period\"],"
done
targets="${targets%,}]"
echo "Máy: $(nproc) lõi, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
node scripts/load.mjs --url "http://127.0.0.1:$port" --users "$users" --seconds "$seconds" --password "$password" --targets "$targets"
