#!/usr/bin/env bash
# Times the province dossier list and searches in it on a ledger that is already built (issue 17
# item 2; not part of the tests), without re-importing it as scripts/bench-scale.sh does: for the
# list and each TEXT, a new `cchc serve` on the ledger (an SQLite file first dropped from the
# operating system's cache; PostgreSQL's buffers are not), then four requests of
# /dossiers?unit=99&period=2024-Y[&q=TEXT] by one leader of the province: the first is the cold
# one. Prints "what: status:seconds ×4". A leader's search matches the codes alone; with
# CCHC_PROBE_OFFICER_UNIT=CODE it is a unit officer of that unit instead, listing its own
# dossiers (/dossiers?unit=CODE…), whose search matches the applicants' names too.
#
# Usage: scripts/probe-list.sh BIN DB_URL [TEXT...]
#   BIN     a release build of cchc (e.g. target/release/cchc)
#   DB_URL  a ledger built by scripts/bench-scale.sh --keep (sqlite://DIR/ledger-N.db or
#           postgres://…/cchc_bench_N); the leader bench01 is added or updated on it
# Environment: CCHC_PROBE_PORT (default 18555), CCHC_PROBE_OFFICER_UNIT (see above),
#   CCHC_PROBE_COLD (a shell command run before each server start, to make PostgreSQL cold too,
#   e.g. 'pg_ctlcluster 15 main restart && sync && echo 3 > /proc/sys/vm/drop_caches' as root).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
BIN=$1 URL=$2
shift 2
PORT=${CCHC_PROBE_PORT:-18555}
BASE="http://127.0.0.1:$PORT"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
PASSWORD="bench-lanh-dao@2026"
UNIT=${CCHC_PROBE_OFFICER_UNIT:-99}
if [ -n "${CCHC_PROBE_OFFICER_UNIT:-}" ]; then
  USER=bench-officer
  CCHC_PASSWORD=$PASSWORD "$BIN" --db "$URL" users add "$USER" --role unit-officer --unit "$UNIT" --name "Cán bộ thử tải" >/dev/null
else
  USER=bench01
  CCHC_PASSWORD=$PASSWORD "$BIN" --db "$URL" users add "$USER" --role leader --unit 99 --name "Lãnh đạo thử tải 01" >/dev/null
fi
for kind in list "$@"; do
  path="/dossiers?unit=$UNIT&period=2024-Y"
  [ "$kind" = list ] || path="$path&q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$kind")"
  case "$URL" in sqlite://*) python3 scripts/evict.py "${URL#sqlite://}" "${URL#sqlite://}-wal" ;; esac
  [ -z "${CCHC_PROBE_COLD:-}" ] || bash -c "$CCHC_PROBE_COLD"
  RUST_LOG=warn "$BIN" --db "$URL" serve --bind "127.0.0.1:$PORT" >>"$W/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do curl -sf -o /dev/null "$BASE/healthz" && break; sleep 0.5; done
  curl -sf -o /dev/null "$BASE/healthz" || { cat "$W/server.log" >&2; echo "the server did not start" >&2; exit 1; }
  curl -sS -o /dev/null -D "$W/headers" -H 'content-type: application/json' \
    -d "{\"username\":\"$USER\",\"password\":\"$PASSWORD\"}" "$BASE/api/login"
  cookie=$(tr -d '\r' <"$W/headers" | awk 'tolower($1) == "set-cookie:" { split($2, a, ";"); print a[1]; exit }')
  times=""
  for _ in 1 2 3 4; do
    times="$times $(curl -sS -o /dev/null -w '%{http_code}:%{time_total}' -H "Cookie: $cookie" "$BASE$path")"
  done
  echo "$kind:$times"
  kill "$server"
  wait "$server" 2>/dev/null || true
done
