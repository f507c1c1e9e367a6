#!/usr/bin/env bash
# Scale benchmark of the dossier ledger (issue 17 item 6; not part of the tests). For each ledger
# size it generates the province's dossiers of 2024 (`cchc dossiers generate --unit 99`), imports
# them into SQLite and PostgreSQL, and measures, each as min / median / max over several runs:
#   bieu06     Biểu 06 of the province-year (`cchc dossiers stats --unit 99 --period 2024-Y`), the
#              whole process timed by hyperfine, on each backend; the reference in the same run:
#              DuckDB's CLI and psql, each a whole process running plain SQL over the same
#              per-dossier facts (crates/dossiers/examples/bench_tables.rs writes them); the
#              tables must agree figure by figure (cchc SQLite = cchc PostgreSQL = DuckDB = psql);
#   dashboard  the province dashboard (/dashboard?unit=99&period=2024-Y) under 20 concurrent
#              leaders (wrk, each request with one of 20 leaders' sessions): requests/s, p50,
#              p99, the server's peak memory (VmHWM), and the first request after a server start;
#   list       the province dossier list (/dossiers?unit=99&period=2024-Y) and searches in it
#              (&q=TEXT; by default 2024-000123, a part of a receipt code, 000123, its end, and
#              Nguyễn Văn An, an applicant's name): the first request
#              after a server start (cold: on SQLite the ledger's file is first dropped from the
#              operating system's cache) and the next three (warm);
#   calendar   one day off added to 2024 (`cchc calendar import FILE`), the whole command, then
#              removed again (the year as shipped imported back);
#   import     `cchc dossiers import FILE.jsonl` into a new database: elapsed and max resident
#              memory of the whole command (PostgreSQL: the client's memory, not the server's).
# The ledger of --history-size then gets five earlier years (2019–2023, as many dossiers each)
# and bieu06, dashboard, list and calendar are measured again on it ("+5y" in the summary, with
# the ratio to the same ledger without them).
#
# Usage: scripts/bench-scale.sh [--sizes 1000000,3000000,10000000] [--history-size 3000000]
#          [--runs 5] [--slow-runs 3] [--backends sqlite,postgres]
#          [--only bieu06,dashboard,list,calendar,import] [--search TEXT] [--duration 20s]
#          [--leaders 20] [--keep]
#   --runs       runs of bieu06, dashboard and list; --slow-runs: of import and calendar
#   --only       the measures to take (biểu06 is also accepted); the ledgers are built anyway
#   --search     a search of the list to time; may be given more than once
#   --history-size 0: no earlier years
#   --keep       keep the work directory, the ledgers and their PostgreSQL databases
# Also checked: Biểu 06 after the calendar change taken back equals the table before it; also
# printed: each ledger's size on disk. At the default sizes the run needs about 50 GB of free
# disk (the largest: the 3.000.000 ledger with its five earlier years on both backends, with
# their files) and takes hours; --only and --slow-runs 1 make it shorter.
# Environment: CCHC_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test; the script
#   creates and drops the databases cchc_bench_<size> and cchc_bench_ref beside it),
#   CCHC_BENCH_DIR (work directory, default a new /tmp directory removed at the end; the
#   generated files in it are reused by a later run given the same directory).
# Installs what it lacks (wrk, hyperfine, time, curl, psql with apt-get; the DuckDB CLI, PyPI
# `duckdb-cli`, into a venv) and builds the release binary, copied into the work directory so
# that other builds in target/ do not change it during the run. Paths must not contain spaces.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=1000000,3000000,10000000
HISTORY_SIZE=3000000
RUNS=5
SLOW_RUNS=3
BACKENDS=sqlite,postgres
ONLY=bieu06,dashboard,list,calendar,import
DURATION=20s
LEADERS=20
KEEP=0
SEARCHES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --history-size) HISTORY_SIZE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --slow-runs) SLOW_RUNS=$2; shift 2 ;;
    --backends) BACKENDS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --search) SEARCHES+=("$2"); shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --leaders) LEADERS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
ONLY=${ONLY//biểu06/bieu06}
for m in ${ONLY//,/ }; do
  case "$m" in bieu06 | dashboard | list | calendar | import) ;; *) echo "--only: unknown measure $m" >&2; exit 2 ;; esac
done
for b in ${BACKENDS//,/ }; do
  case "$b" in sqlite | postgres) ;; *) echo "--backends: unknown backend $b" >&2; exit 2 ;; esac
done
has() { [[ ",$ONLY," == *",$1,"* ]]; }
uses() { [[ ",$BACKENDS," == *",$1,"* ]]; }

PG=${CCHC_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
PG_SERVER=${PG%/*}
if [ -n "${CCHC_BENCH_DIR:-}" ]; then W=$CCHC_BENCH_DIR; OWN_DIR=0; else W=$(mktemp -d /tmp/cchc-bench-scale.XXXXXX); OWN_DIR=1; fi
mkdir -p "$W"
W=$(cd "$W" && pwd)
VENV=${XDG_CACHE_HOME:-$HOME/.cache}/cchc-bench-venv
PASSWORD="bench-lanh-dao@2026"
RESULTS=$W/results.tsv
AGREE=$W/agree.tsv
: >"$RESULTS"
: >"$AGREE"
rm -f "$W/summary.txt"
SERVER=""
PG_DBS=()

cleanup() {
  stop_server
  if [ -s "$W/summary.txt" ]; then
    if [ "$OWN_DIR" = 1 ] && [ "$KEEP" = 0 ]; then
      local saved
      saved=/tmp/cchc-bench-scale-$(date -u +%Y%m%dT%H%M%S).txt
      { cat "$W/summary.txt"; echo; echo "Raw values (section, ledger, what, unit, runs, note):"; cat "$W/results.tsv"; } >"$saved"
      echo "The summary and the raw values: $saved"
    else
      echo "The summary: $W/summary.txt; the raw values: $W/results.tsv"
    fi
  fi
  if [ "$KEEP" = 0 ]; then
    for db in "${PG_DBS[@]}"; do pg_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
    if [ "$OWN_DIR" = 1 ]; then rm -rf "$W"; else rm -f "$W"/ledger-*.db* "$W"/ref.duckdb* "$W"/ref-*.csv; fi
  fi
}
trap cleanup EXIT

log() { printf '== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# --- tools -------------------------------------------------------------------------------------
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v curl >/dev/null || missing+=(curl)
[ -x /usr/bin/time ] || missing+=(time)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import duckdb_cli' 2>/dev/null; then
  log "installing the DuckDB CLI (PyPI duckdb-cli) into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q duckdb-cli
fi
# The native binary the package ships, not its Python launcher: a whole process like cchc's.
DUCKDB=$("$VENV/bin/python" -c 'import duckdb_cli, os; print(os.path.join(os.path.dirname(duckdb_cli.__file__), "duckdb"))')
[ -x "$DUCKDB" ] || DUCKDB=$VENV/bin/duckdb

log "building (release)"
cargo build --release -q --locked -p cchc
if has bieu06; then cargo build --release -q --locked -p cchc-dossiers --example bench_tables; fi
TARGET=${CARGO_TARGET_DIR:-target}
cp "$TARGET/release/cchc" "$W/cchc"
BIN=$W/cchc
if has bieu06; then cp "$TARGET/release/examples/bench_tables" "$W/bench_tables"; fi
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then COMMIT="$COMMIT + uncommitted changes"; fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%d/%m/%Y %H:%M UTC')

# --- helpers -----------------------------------------------------------------------------------
pg_admin() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$PG_SERVER/postgres" "$@"; }
db_url() { # SIZE BACKEND
  case "$2" in
    sqlite) echo "sqlite://$W/ledger-$1.db" ;;
    postgres) echo "$PG_SERVER/cchc_bench_$1" ;;
  esac
}
fresh_db() { # SIZE BACKEND: an empty database with the demo province's units
  case "$2" in
    sqlite) rm -f "$W/ledger-$1.db" "$W/ledger-$1.db-wal" "$W/ledger-$1.db-shm" ;;
    postgres)
      pg_admin -c "DROP DATABASE IF EXISTS cchc_bench_$1 WITH (FORCE)" -c "CREATE DATABASE cchc_bench_$1"
      [[ " ${PG_DBS[*]} " == *" cchc_bench_$1 "* ]] || PG_DBS+=("cchc_bench_$1")
      ;;
  esac
  "$BIN" --db "$(db_url "$1" "$2")" units import data/demo/units.json >/dev/null
}
drop_db() { # SIZE BACKEND
  [ "$KEEP" = 0 ] || return 0
  case "$2" in
    sqlite) rm -f "$W/ledger-$1.db" "$W/ledger-$1.db-wal" "$W/ledger-$1.db-shm" ;;
    postgres) pg_admin -c "DROP DATABASE IF EXISTS cchc_bench_$1 WITH (FORCE)" ;;
  esac
}
backend_name() { case "$1" in sqlite) echo SQLite ;; postgres) echo PostgreSQL ;; esac; }
record() { # SECTION LEDGER WHAT UNIT "VALUES" [NOTE]
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" >>"$RESULTS"
}
timed() { # CMD...: runs it; sets EL (elapsed seconds) and RSS (max resident memory, kB)
  /usr/bin/time -f '%e %M' -o "$W/time.out" "$@" >>"$W/commands.log" 2>&1
  read -r EL RSS < <(tail -n1 "$W/time.out")
}
hf() { # OUT.json CMD: whole-process times of CMD (no shell), RUNS runs after one warm-up
  hyperfine -N --style none --warmup 1 --runs "$RUNS" --export-json "$1" "$2" >/dev/null
  python3 -c 'import json,sys; print(" ".join(f"{t:.6f}" for t in json.load(open(sys.argv[1]))["results"][0]["times"]))' "$1"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_server() { # URL: starts `cchc serve` on it, sets SERVER and BASE
  local port
  port=$(free_port)
  BASE="http://127.0.0.1:$port"
  RUST_LOG=warn "$BIN" --db "$1" serve --bind "127.0.0.1:$port" >>"$W/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 1200); do
    curl -sf -o /dev/null "$BASE/healthz" && return 0
    kill -0 "$SERVER" 2>/dev/null || { tail -20 "$W/server.log" >&2; echo "the server stopped" >&2; exit 1; }
    sleep 0.5
  done
  echo "the server did not answer in 10 minutes" >&2
  exit 1
}
stop_server() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
  fi
}
login() { # USER: prints the session cookie (name=value)
  local code
  code=$(curl -sS -o "$W/login.json" -D "$W/login.headers" -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE/api/login")
  [ "$code" = 200 ] || { echo "login $1: HTTP $code $(cat "$W/login.json")" >&2; exit 1; }
  tr -d '\r' <"$W/login.headers" | awk 'tolower($1) == "set-cookie:" { split($2, a, ";"); print a[1]; exit }'
}
get() { # COOKIE PATH: prints the seconds of the whole request; fails unless HTTP 200
  local out
  out=$(curl -sS -o "$W/page.html" -w '%{http_code} %{time_total}' -H "Cookie: $1" "$BASE$2")
  [ "${out% *}" = 200 ] || { echo "GET $2: HTTP ${out% *}" >&2; exit 1; }
  echo "${out#* }"
}
leaders() { # URL: the leader accounts of the province (added or updated)
  for i in $(seq -f '%02g' 1 "$LEADERS"); do
    CCHC_PASSWORD=$PASSWORD "$BIN" --db "$1" users add "bench$i" --role leader --unit 99 --name "Lãnh đạo thử tải $i" >/dev/null
  done
}
generate() { # FILE YEAR N SEED (kept and reused in CCHC_BENCH_DIR)
  if [ -s "$1" ] && [ -f "$1.done" ]; then return 0; fi
  if [ ! -f "$W/gen.db" ]; then "$BIN" --db "sqlite://$W/gen.db" units import data/demo/units.json >/dev/null; fi
  log "generating $3 dossiers of $2"
  "$BIN" --db "sqlite://$W/gen.db" dossiers generate --dossiers "$3" --unit 99 --year "$2" --seed "$4" --out "$1" >/dev/null
  touch "$1.done"
}
evict() { # FILE: its pages dropped from the operating system's cache (posix_fadvise DONTNEED; the
  # file's pages are clean after the import's checkpoint), so that a first request reads from disk
  python3 scripts/evict.py "$1" "$1-wal"
}
vn() { python3 -c 'import sys; print(f"{int(sys.argv[1]):,}".replace(",", "."))' "$1"; }

# The calendar change: the shipped 2024 entry with one more day off (a Friday, a working day in
# the shipped schedule), and the entry as shipped to take it back.
python3 - "$W" <<'PY'
import sys, tomllib
w = sys.argv[1]
year = next(y for y in tomllib.load(open("data/calendar/vn.toml", "rb"))["year"] if y["year"] == 2024)
def q(s): return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'
def entry(extra):
    days = year.get("days_off", []) + extra
    out = ["[[year]]", "year = 2024"]
    out.append("days_off = [" + ", ".join(f"{{ date = {q(str(d['date']))}, name = {q(d['name'])} }}" for d in days) + "]")
    out.append("not_off = [" + ", ".join(q(str(d)) for d in year.get("not_off", [])) + "]")
    out.append("working_days = [" + ", ".join(f"{{ date = {q(str(d['date']))}, name = {q(d['name'])} }}" for d in year.get("working_days", [])) + "]")
    return "\n".join(out) + "\n"
open(f"{w}/calendar-add.toml", "w").write(entry([{"date": "2024-06-14", "name": "Nghỉ thêm (thử đo)"}]))
open(f"{w}/calendar-remove.toml", "w").write(entry([]))
PY

# --- measures ----------------------------------------------------------------------------------
import_ledger() { # SIZE BACKEND FILE: the ledger, imported SLOW_RUNS times when import is measured
  local url secs="" mem=""
  url=$(db_url "$1" "$2")
  if has import; then
    for r in $(seq 1 "$SLOW_RUNS"); do
      log "import $(vn "$1") into $(backend_name "$2"), run $r/$SLOW_RUNS"
      fresh_db "$1" "$2"
      timed "$BIN" --db "$url" dossiers import "$3"
      secs="$secs $EL"
      mem="$mem $((RSS / 1024))"
    done
    record import "$(vn "$1")" "cchc $(backend_name "$2")" s "$secs"
    record import-memory "$(vn "$1")" "cchc $(backend_name "$2")" MB "$mem"
  else
    log "import $(vn "$1") into $(backend_name "$2") (not measured)"
    fresh_db "$1" "$2"
    "$BIN" --db "$url" dossiers import "$3" >>"$W/commands.log" 2>&1
  fi
}

bieu06() { # SIZE LABEL FILE...: cchc on each backend, DuckDB and psql over the same facts
  local size=$1 label=$2 b url tag times
  shift 2
  for b in ${BACKENDS//,/ }; do
    url=$(db_url "$size" "$b")
    log "Biểu 06 ($label, $(backend_name "$b")), $RUNS runs"
    times=$(hf "$W/hf.json" "$BIN --db $url dossiers stats --unit 99 --period 2024-Y")
    record bieu06 "$label" "cchc $(backend_name "$b")" s "$times"
    "$BIN" --db "$url" dossiers stats --unit 99 --period 2024-Y --format json >"$W/stats-$b.json"
    "$BIN" --db "$url" dossiers stats --unit 99 --period 2024-Y >"$W/stats.txt"
  done
  log "facts of $label for DuckDB and PostgreSQL"
  mkdir -p "$W/ref"
  cat "$@" | "$W/bench_tables" data/demo/units.json /dev/stdin "$W/ref"
  python3 - "$W" >"$W/ref.sql" <<'PY'
import re, sys, datetime as dt
w = sys.argv[1]
m = re.search(r"từ (\d\d)/(\d\d)/(\d{4}) đến (\d\d)/(\d\d)/(\d{4})", open(f"{w}/stats.txt", encoding="utf-8").read())
d1, m1, y1, d2, m2, y2 = map(int, m.groups())
epoch = dt.datetime(1970, 1, 1)
S = int((dt.datetime(y1, m1, d1) - epoch).total_seconds())
E = int((dt.datetime(y2, m2, d2, 23, 59, 59) - epoch).total_seconds())
# The open dossiers' state at the window end needs their last clock change before it (due NULL:
# the clock stopped, awaiting a supplement).
print(f"""
WITH last_change AS (
  SELECT c.id, c.due FROM changes c
  JOIN (SELECT id, MAX(seq) AS seq FROM changes WHERE moment <= {E} GROUP BY id) m ON m.id = c.id AND m.seq = c.seq
), scope AS (
  SELECT d.level, d.field, d.received >= {S} AS is_new, d.channel,
         (d.finished IS NOT NULL AND d.finished <= {E}) AS ended, d.outcome,
         lc.id IS NOT NULL AS changed, CASE WHEN lc.id IS NULL THEN d.initial_due ELSE lc.due END AS due
  FROM dossiers d LEFT JOIN last_change lc ON lc.id = d.id
  WHERE d.received <= {E} AND NOT (d.received < {S} AND d.finished IS NOT NULL AND d.finished < {S})
)
SELECT level, field,
  SUM(CASE WHEN is_new AND channel = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN is_new AND channel = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN is_new AND channel = 2 THEN 1 ELSE 0 END),
  SUM(CASE WHEN NOT is_new THEN 1 ELSE 0 END),
  SUM(CASE WHEN ended AND outcome = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN ended AND outcome = 2 THEN 1 ELSE 0 END),
  SUM(CASE WHEN ended AND outcome = 3 THEN 1 ELSE 0 END),
  SUM(CASE WHEN NOT ended AND NOT (changed AND due IS NULL) AND due >= {E} THEN 1 ELSE 0 END),
  SUM(CASE WHEN NOT ended AND NOT (changed AND due IS NULL) AND due < {E} THEN 1 ELSE 0 END),
  SUM(CASE WHEN NOT ended AND changed AND due IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN ended AND outcome = 4 THEN 1 ELSE 0 END)
FROM scope GROUP BY level, field ORDER BY level, field;""")
PY
  local ddl="CREATE TABLE dossiers (id BIGINT, level TEXT, field TEXT, received BIGINT, channel INT, finished BIGINT, outcome INT, initial_due BIGINT); CREATE TABLE changes (id BIGINT, seq INT, moment BIGINT, due BIGINT);"
  rm -f "$W/ref.duckdb" "$W/ref.duckdb.wal"
  "$DUCKDB" -no-init "$W/ref.duckdb" -c "$ddl COPY dossiers FROM '$W/ref/dossiers.csv' (HEADER false); COPY changes FROM '$W/ref/changes.csv' (HEADER false); CHECKPOINT;" >/dev/null
  log "Biểu 06 ($label, DuckDB CLI), $RUNS runs"
  times=$(hf "$W/hf.json" "$DUCKDB -no-init -readonly $W/ref.duckdb -csv -noheader -f $W/ref.sql")
  record bieu06 "$label" "DuckDB" s "$times"
  "$DUCKDB" -no-init -readonly "$W/ref.duckdb" -list -noheader -separator '|' -f "$W/ref.sql" >"$W/duckdb.out"
  tag=""
  if uses postgres; then
    pg_admin -c "DROP DATABASE IF EXISTS cchc_bench_ref WITH (FORCE)" -c "CREATE DATABASE cchc_bench_ref"
    [[ " ${PG_DBS[*]} " == *" cchc_bench_ref "* ]] || PG_DBS+=(cchc_bench_ref)
    psql -X -q -v ON_ERROR_STOP=1 "$PG_SERVER/cchc_bench_ref" -c "$ddl" \
      -c "\\copy dossiers FROM '$W/ref/dossiers.csv' WITH (FORMAT csv)" -c "\\copy changes FROM '$W/ref/changes.csv' WITH (FORMAT csv)" \
      -c "ANALYZE dossiers" -c "ANALYZE changes"
    log "Biểu 06 ($label, psql), $RUNS runs"
    times=$(hf "$W/hf.json" "psql -X -q -A -t -F , -f $W/ref.sql $PG_SERVER/cchc_bench_ref")
    record bieu06 "$label" "psql" s "$times"
    psql -X -q -A -t -F '|' -f "$W/ref.sql" "$PG_SERVER/cchc_bench_ref" >"$W/psql.out"
    pg_admin -c "DROP DATABASE cchc_bench_ref"
  fi
  rm -rf "$W/ref" "$W/ref.duckdb" "$W/ref.duckdb.wal"
  # Figure by figure: cchc on each backend, DuckDB, psql.
  python3 - "$W" "$label" "$BACKENDS" >>"$AGREE" <<'PY' || tag=failed
import json, sys
w, label, backends = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
COLS = ["received_online", "received_direct", "received_postal", "carried_over", "resolved_early", "resolved_on_due",
        "resolved_late", "in_progress_within", "in_progress_overdue", "awaiting_supplement", "returned"]
tables = {}
for b in backends:
    rows = json.load(open(f"{w}/stats-{b}.json", encoding="utf-8"))["rows"]
    tables[f"cchc {dict(sqlite='SQLite', postgres='PostgreSQL')[b]}"] = {(r["level"], r["field"]): [r["counts"][k] for k in COLS] for r in rows}
def sql(path):
    return {(p[0], p[1]): [int(x) for x in p[2:]] for p in (l.split("|") for l in open(path, encoding="utf-8").read().splitlines() if l.strip())}
tables["DuckDB"] = sql(f"{w}/duckdb.out")
if "postgres" in backends:
    tables["psql"] = sql(f"{w}/psql.out")
first = next(iter(tables.values()))
ok = all(t == first for t in tables.values())
figures = sum(len(v) for v in first.values())
detail = "Biểu 06 figure by figure, " + " = ".join(tables) + f": {len(first)} (level, field) rows, {figures} figures"
if not ok:
    for k in sorted(set().union(*tables.values())):
        seen = {n: t.get(k) for n, t in tables.items()}
        if len({json.dumps(v) for v in seen.values()}) > 1:
            detail += f"; differs at {k}: {seen}"
print(f"{label}\t{'YES' if ok else 'NO'}\t{detail}")
sys.exit(0 if ok else 1)
PY
  if [ "$tag" = failed ]; then log "Biểu 06 ($label): the tables DIFFER (see the summary)"; fi
}

dashboard() { # SIZE LABEL
  local b url r first rps p50 p99 hwm errors out parsed logged
  for b in ${BACKENDS//,/ }; do
    url=$(db_url "$1" "$b")
    leaders "$url"
    local s_rps="" s_p50="" s_p99="" s_hwm="" s_first="" s_err="" s_logged=0
    for r in $(seq 1 "$RUNS"); do
      log "dashboard ($2, $(backend_name "$b")), $LEADERS leaders for $DURATION, run $r/$RUNS"
      logged=0
      [ ! -f "$W/server.log" ] || logged=$(wc -l <"$W/server.log")
      start_server "$url"
      : >"$W/cookies"
      for i in $(seq -f '%02g' 1 "$LEADERS"); do login "bench$i" >>"$W/cookies"; done
      first=$(get "$(head -1 "$W/cookies")" "/dashboard?unit=99&period=2024-Y")
      out=$(CCHC_BENCH_COOKIES=$W/cookies wrk -t2 -c"$LEADERS" -d"$DURATION" --timeout 120s --latency -s "$W/leaders.lua" "$BASE/dashboard?unit=99&period=2024-Y")
      echo "$out" >>"$W/wrk.log"
      hwm=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$SERVER/status")
      stop_server
      logged=$(tail -n +$((logged + 1)) "$W/server.log" | grep -c -E 'ERROR|WARN' || true)
      parsed=$(python3 -c '
import re, sys
t = sys.stdin.read()
def ms(v, u): return float(v) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000, "h": 3600000}[u]
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", t, re.M)}
rps = re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)
# No request answered within the run (--duration too short for the ledger): no latency.
lat.setdefault("50", "nan"); lat.setdefault("99", "nan")
err = [f"{k} {v}" for k, v in re.findall(r"(connect|read|write|timeout) (\d+)", t) if v != "0"]
err += [f"non-2xx/3xx {v}" for v in re.findall(r"Non-2xx or 3xx responses: (\d+)", t)]
print(rps, lat["50"], lat["99"], ",".join(err).replace(" ", "_") or "-")' <<<"$out")
      read -r rps p50 p99 errors <<<"$parsed"
      s_rps="$s_rps $rps"; s_p50="$s_p50 $p50"; s_p99="$s_p99 $p99"; s_hwm="$s_hwm $hwm"; s_first="$s_first $first"
      [ "$errors" = - ] || s_err="$s_err run $r: ${errors//_/ };"
      s_logged=$((s_logged + logged))
    done
    local what
    what="cchc $(backend_name "$b")"
    local note=""
    [ -z "$s_err" ] || note="wrk errors:$s_err"
    [ "$s_logged" = 0 ] || note="$note server log: $s_logged warnings or errors (server.log)"
    record dashboard-rps "$2" "$what" "req/s" "$s_rps" "$note"
    record dashboard-p50 "$2" "$what" ms "$s_p50"
    record dashboard-p99 "$2" "$what" ms "$s_p99"
    record dashboard-memory "$2" "$what" MB "$s_hwm"
    record dashboard-first "$2" "$what" s "$s_first"
  done
}

list_search() { # SIZE LABEL
  local b url r kind path c cold warm q what
  for b in ${BACKENDS//,/ }; do
    url=$(db_url "$1" "$b")
    leaders "$url"
    for kind in list "${SEARCHES[@]}"; do
      path="/dossiers?unit=99&period=2024-Y"
      what="cchc $(backend_name "$b")"
      if [ "$kind" != list ]; then
        q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$kind")
        path="$path&q=$q"
        what="$what, q=$kind"
      fi
      cold=""; warm=""
      for r in $(seq 1 "$RUNS"); do
        log "${kind} ($2, $(backend_name "$b")), run $r/$RUNS"
        [ "$b" != sqlite ] || evict "$W/ledger-$1.db"
        start_server "$url"
        c=$(login bench01)
        cold="$cold $(get "$c" "$path")"
        for _ in 1 2 3; do warm="$warm $(get "$c" "$path")"; done
        stop_server
      done
      if [ "$kind" = list ]; then kind=list; else kind=search; fi
      record "$kind-cold" "$2" "$what" s "$cold"
      record "$kind-warm" "$2" "$what" s "$warm"
    done
  done
}

calendar() { # SIZE LABEL
  local b url r add="" remove=""
  for b in ${BACKENDS//,/ }; do
    url=$(db_url "$1" "$b")
    add=""; remove=""
    "$BIN" --db "$url" dossiers stats --unit 99 --period 2024-Y --format json >"$W/before-calendar.json"
    for r in $(seq 1 "$SLOW_RUNS"); do
      log "calendar ($2, $(backend_name "$b")): one day off added and removed, run $r/$SLOW_RUNS"
      timed "$BIN" --db "$url" calendar import "$W/calendar-add.toml"
      add="$add $EL"
      timed "$BIN" --db "$url" calendar import "$W/calendar-remove.toml"
      remove="$remove $EL"
    done
    record calendar-add "$2" "cchc $(backend_name "$b")" s "$add"
    record calendar-remove "$2" "cchc $(backend_name "$b")" s "$remove"
    # With the day taken back, Biểu 06 is the table measured before the change.
    "$BIN" --db "$url" dossiers stats --unit 99 --period 2024-Y --format json >"$W/after-calendar.json"
    python3 - "$W/before-calendar.json" "$W/after-calendar.json" "$2" "$(backend_name "$b")" >>"$AGREE" <<'PY'
import json, sys
before, after = (json.load(open(f, encoding="utf-8"))["rows"] for f in sys.argv[1:3])
print(f"{sys.argv[3]}\t{'YES' if before == after else 'NO'}\tcchc {sys.argv[4]}: Biểu 06 after the day off was added and removed = before")
PY
  done
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f\n", b / 1048576 }'; }
ledger_disk() { # SIZE LABEL: the size of each backend's ledger
  local b bytes wal
  for b in ${BACKENDS//,/ }; do
    case "$b" in
      sqlite)
        bytes=$(stat -c %s "$W/ledger-$1.db")
        wal=$(stat -c %s "$W/ledger-$1.db-wal" 2>/dev/null || echo 0)
        record ledger-disk "$2" "cchc SQLite" MB "$(mb "$bytes")" "WAL $(mb "$wal" | tr . ,) MB"
        ;;
      postgres)
        bytes=$(psql -X -A -t -c "SELECT pg_database_size('cchc_bench_$1')" "$PG_SERVER/postgres")
        record ledger-disk "$2" "cchc PostgreSQL" MB "$(mb "$bytes")"
        ;;
    esac
  done
}

measure() { # SIZE LABEL FILE...
  local size=$1 label=$2
  shift 2
  if has bieu06; then bieu06 "$size" "$label" "$@"; fi
  if has dashboard; then dashboard "$size" "$label"; fi
  if has list; then list_search "$size" "$label"; fi
  if has calendar; then calendar "$size" "$label"; fi
}

# wrk: each request with the session of one of the leaders, in turn.
cat >"$W/leaders.lua" <<'LUA'
local cookies = {}
for line in io.lines(os.getenv("CCHC_BENCH_COOKIES")) do cookies[#cookies + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", nil, { ["Cookie"] = cookies[(n % #cookies) + 1] })
end
LUA

# --- run ---------------------------------------------------------------------------------------
log "work directory $W; sizes $SIZES; history $HISTORY_SIZE; runs $RUNS (import, calendar: $SLOW_RUNS); backends $BACKENDS; measures $ONLY"
# The searches (--search): by default a part of a receipt code as a clerk types it, which the
# generated codes (UNIT-2024-NNNNNNN) match in every commune at every size, its end (in the ID
# numbers too), and an applicant's name.
[ ${#SEARCHES[@]} -gt 0 ] || SEARCHES=("2024-000123" "000123" "Nguyễn Văn An")
for N in ${SIZES//,/ }; do
  F=$W/dossiers-$N-2024.jsonl
  generate "$F" 2024 "$N" 1
  for b in ${BACKENDS//,/ }; do import_ledger "$N" "$b" "$F"; done
  ledger_disk "$N" "$(vn "$N")"
  if has bieu06 || has dashboard || has list || has calendar; then
    measure "$N" "$(vn "$N")" "$F"
    if [ "$N" = "$HISTORY_SIZE" ]; then
      files=("$F")
      for y in 2019 2020 2021 2022 2023; do
        generate "$W/dossiers-$N-$y.jsonl" "$y" "$N" $((y - 2017))
        files+=("$W/dossiers-$N-$y.jsonl")
        for b in ${BACKENDS//,/ }; do
          log "import of $y ($(vn "$N")) into the $(backend_name "$b") ledger"
          timed "$BIN" --db "$(db_url "$N" "$b")" dossiers import "$W/dossiers-$N-$y.jsonl"
          echo "   $EL s, $((RSS / 1024)) MB"
        done
      done
      ledger_disk "$N" "$(vn "$N")+5y"
      measure "$N" "$(vn "$N")+5y" "${files[@]}"
    fi
  fi
  for b in ${BACKENDS//,/ }; do drop_db "$N" "$b"; done
  [ "$OWN_DIR" = 0 ] || rm -f "$W"/dossiers-"$N"-*.jsonl*
done

# --- summary -----------------------------------------------------------------------------------
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo | tr . ,) memory"
python3 - "$RESULTS" "$AGREE" "$MACHINE" "$LOAD_START" "$LOAD_END" "$STARTED" "$COMMIT" "$RUNS" "$SLOW_RUNS" "$LEADERS" "$DURATION" <<'PY' | tee "$W/summary.txt"
import statistics, sys
results, agree, machine, load0, load1, started, commit, runs, slow, leaders, duration = sys.argv[1:12]
def vn(x, d=0):
    return f"{x:,.{d}f}".replace(",", "_").replace(".", ",").replace("_", ".")
def fmt(x, unit):
    if unit == "s":
        return vn(x, 3 if x < 1 else 2 if x < 100 else 1)
    if unit == "ms":
        return vn(x, 1 if x < 1000 else 0)
    if unit == "req/s":
        return vn(x, 1)
    if unit == "MB" and x < 10:
        return vn(x, 1)
    return vn(x)
rows = []
for line in open(results, encoding="utf-8"):
    sec, ledger, what, unit, values, note = line.rstrip("\n").split("\t")
    v = [x for x in (float(x) for x in values.split()) if x == x]  # no NaN: a run without a figure
    rows.append(dict(sec=sec, ledger=ledger, what=what, unit=unit, v=v, med=statistics.median(v) if v else None, note=note))
def find(sec, ledger, what):
    return next((r for r in rows if r["sec"] == sec and r["ledger"] == ledger and r["what"] == what), None)
def ratio(a, b):
    return f"×{vn(a['med'] / b['med'], 2)}" if a and b and a["med"] and b["med"] else "–"
for r in rows:
    notes = [r["note"]] if r["note"] else []
    if r["sec"] == "bieu06" and r["what"].startswith("cchc"):
        if d := find("bieu06", r["ledger"], "DuckDB"):
            notes.append(f"vs DuckDB {ratio(r, d)}")
        if r["what"] == "cchc PostgreSQL" and (s := find("bieu06", r["ledger"], "cchc SQLite")):
            notes.append(f"vs SQLite {ratio(r, s)}")
    if r["ledger"].endswith("+5y") and (b := find(r["sec"], r["ledger"][:-3], r["what"])):
        notes.append(f"vs without the 5 years {ratio(r, b)}")
    r["notes"] = "; ".join(notes)
TITLES = {
    "bieu06": "Biểu 06 of unit 99, 2024-Y, whole process (hyperfine), s",
    "import": "Import of the year's JSON lines into a new database, whole command, s",
    "import-memory": "Import: max resident memory of the cchc process, MB",
    "ledger-disk": "The ledger on disk after the imports, MB",
    "dashboard-rps": f"Province dashboard, {leaders} leaders at once (wrk -t2 -c{leaders} -d{duration}): requests/s",
    "dashboard-p50": "  latency p50, ms",
    "dashboard-p99": "  latency p99, ms",
    "dashboard-memory": "  server peak memory (VmHWM), MB",
    "dashboard-first": "Province dashboard, one leader, first request after a server start, s",
    "list-cold": "Province dossier list (/dossiers?unit=99&period=2024-Y), first request after a server start, s",
    "list-warm": "  the next requests (warm), s",
    "search-cold": "Searches in it (&q=), first request after a server start, s",
    "search-warm": "  the next requests (warm), s",
    "calendar-add": "Calendar: one day off added to 2024 (cchc calendar import), whole command, s",
    "calendar-remove": "  the day off removed again, s",
}
print()
print(f"cchc scale benchmark, {started}, commit {commit}")
print(f"Machine: {machine}")
print(f"Load average (1, 5, 15 min): at start {load0.replace('.', ',')}, at end {load1.replace('.', ',')}")
print(f"Runs: {runs} (import and calendar: {slow}); each figure min / median / max")
for sec in TITLES:
    sel = [r for r in rows if r["sec"] == sec]
    if not sel:
        continue
    print()
    print(TITLES[sec])
    for r in sel:
        v = r["v"]
        lo, mid, hi = (fmt(x, r["unit"]) for x in (min(v), r["med"], max(v))) if v else ("–", "–", "–")
        print(f"  {r['ledger']:<16} {r['what']:<18} {lo:>10} {mid:>10} {hi:>10}  ({len(v)})  {r['notes']}".rstrip())
ok = True
lines = [l.rstrip("\n").split("\t") for l in open(agree, encoding="utf-8") if l.strip()]
if lines:
    print()
    print("Checks:")
    for ledger, res, detail in lines:
        ok &= res == "YES"
        print(f"  {ledger:<16} {'ok' if res == 'YES' else 'FAILED'}  {detail}")
sys.exit(0 if ok else 1)
PY
