#!/usr/bin/env bash
# Comparison benchmark (not part of the test suite): the Biểu 06 table of the demo province for
# 2024-Y, on the same generated ledger, computed
#   1. by cchc: `cchc dossiers stats` reading the facts stored by `cchc dossiers import` (SQLite);
#   2. by DuckDB (PyPI `duckdb`, installed into a venv by this script): plain SQL over the
#      per-dossier facts loaded from CSV;
#   3. by the PostgreSQL server: the same SQL over the same tables loaded with COPY.
# The three tables must agree figure by figure; the times and ratios are printed.
#
# Usage: scripts/bench-dossiers.sh [N]   (N dossiers, default 1000000)
# Environment: CCHC_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test),
#              CCHC_BENCH_DIR (work directory, default a new /tmp directory).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
PG=${CCHC_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
W=${CCHC_BENCH_DIR:-$(mktemp -d /tmp/cchc-bench.XXXXXX)}
mkdir -p "$W"
VENV=${XDG_CACHE_HOME:-$HOME/.cache}/cchc-bench-venv

echo "== building (release)"
cargo build --release -q -p cchc
cargo build --release -q -p cchc-dossiers --example bench_tables
BIN=target/release/cchc
DB="sqlite://$W/bench.db"
rm -f "$W/bench.db"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
  echo "== installing duckdb into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q duckdb
fi

now() { date +%s.%N; }
"$BIN" --db "$DB" units import data/demo/units.json >/dev/null
echo "== generating $N dossiers"
"$BIN" --db "$DB" dossiers generate --dossiers "$N" --unit 99 --year 2024 --seed 1 --out "$W/dossiers.jsonl"

echo "== cchc dossiers import (JSON lines, SQLite)"
t0=$(now); "$BIN" --db "$DB" dossiers import "$W/dossiers.jsonl"; t1=$(now)
IMPORT_S=$(echo "$t1 - $t0" | bc -l)

echo "== cchc dossiers import (CSV, SQLite, another database)"
"$BIN" --db "$DB" dossiers generate --dossiers "$N" --unit 99 --year 2024 --seed 1 --out "$W/export.csv"
rm -f "$W/bench-csv.db"
"$BIN" --db "sqlite://$W/bench-csv.db" units import data/demo/units.json >/dev/null
t0=$(now); "$BIN" --db "sqlite://$W/bench-csv.db" dossiers import "$W/export.csv"; t1=$(now)
CSV_S=$(echo "$t1 - $t0" | bc -l)
rm -f "$W/bench-csv.db"* "$W/export.csv"

echo "== cchc dossiers import (JSON lines, PostgreSQL, a new database)"
PG_IMPORT="${PG%/*}/cchc_bench_import"
psql -X -q "${PG%/*}/postgres" -c "DROP DATABASE IF EXISTS cchc_bench_import" -c "CREATE DATABASE cchc_bench_import"
"$BIN" --db "$PG_IMPORT" units import data/demo/units.json >/dev/null
t0=$(now); "$BIN" --db "$PG_IMPORT" dossiers import "$W/dossiers.jsonl"; t1=$(now)
PG_IMPORT_S=$(echo "$t1 - $t0" | bc -l)
psql -X -q "${PG%/*}/postgres" -c "DROP DATABASE cchc_bench_import"

echo "== cchc dossiers stats (best of 3 runs of the whole command)"
"$BIN" --db "$DB" dossiers stats --unit 99 --period 2024-Y > "$W/cchc.txt"
BEST=""
for _ in 1 2 3; do
  t0=$(now); "$BIN" --db "$DB" dossiers stats --unit 99 --period 2024-Y --format json > "$W/cchc.json"; t1=$(now)
  t=$(echo "$t1 - $t0" | bc -l)
  if [ -z "$BEST" ] || [ "$(echo "$t < $BEST" | bc -l)" = 1 ]; then BEST=$t; fi
done

echo "== flat facts tables for DuckDB and PostgreSQL"
target/release/examples/bench_tables data/demo/units.json "$W/dossiers.jsonl" "$W"

"$VENV/bin/python" - "$W" "$PG" "$N" "$IMPORT_S" "$BEST" "$CSV_S" "$PG_IMPORT_S" <<'PY'
import json, re, subprocess, sys, time, datetime as dt
import duckdb

w, pg, n, import_s, cchc_s = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
csv_s, pg_import_s = float(sys.argv[6]), float(sys.argv[7])
m = re.search(r"từ (\d\d)/(\d\d)/(\d{4}) đến (\d\d)/(\d\d)/(\d{4})", open(f"{w}/cchc.txt", encoding="utf-8").read())
d1, m1, y1, d2, m2, y2 = map(int, m.groups())
epoch = dt.datetime(1970, 1, 1)
S = int((dt.datetime(y1, m1, d1) - epoch).total_seconds())
E = int((dt.datetime(y2, m2, d2, 23, 59, 59) - epoch).total_seconds())

COLS = ["received_online", "received_direct", "received_postal", "carried_over", "resolved_early", "resolved_on_due",
        "resolved_late", "in_progress_within", "in_progress_overdue", "awaiting_supplement", "returned"]
SQL = f"""
WITH last_change AS (
  SELECT c.id, c.due FROM changes c
  JOIN (SELECT id, MAX(seq) AS seq FROM changes WHERE moment <= {E} GROUP BY id) m ON m.id = c.id AND m.seq = c.seq
), scope AS (
  SELECT d.level, d.field, d.received >= {S} AS is_new, d.channel,
         (d.finished IS NOT NULL AND d.finished <= {E}) AS ended, d.outcome,
         lc.id IS NOT NULL AS changed, COALESCE(lc.due, d.initial_due) AS due
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
FROM scope GROUP BY level, field ORDER BY level, field
"""
# In `last_change`, a stopped clock has due NULL, so COALESCE would fall back to the initial due:
# keep the NULL for changed rows.
SQL = SQL.replace("COALESCE(lc.due, d.initial_due) AS due", "CASE WHEN lc.id IS NULL THEN d.initial_due ELSE lc.due END AS due")
DDL_D = "CREATE TABLE dossiers (id BIGINT, level TEXT, field TEXT, received BIGINT, channel INT, finished BIGINT, outcome INT, initial_due BIGINT)"
DDL_C = "CREATE TABLE changes (id BIGINT, seq INT, moment BIGINT, due BIGINT)"

def table(rows):
    return {(r[0], r[1]): [int(x) for x in r[2:]] for r in rows}

cchc = json.load(open(f"{w}/cchc.json", encoding="utf-8"))
cchc_t = {(r["level"], r["field"]): [r["counts"][k] for k in COLS] for r in cchc["rows"]}

# DuckDB, in memory, default threads (both cores).
con = duckdb.connect()
con.execute(DDL_D); con.execute(DDL_C)
con.execute(f"COPY dossiers FROM '{w}/dossiers.csv' (HEADER false)")
con.execute(f"COPY changes FROM '{w}/changes.csv' (HEADER false)")
best = None
for _ in range(3):
    t0 = time.perf_counter(); rows = con.execute(SQL).fetchall(); t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
duck_t, duck_s = table(rows), best

# PostgreSQL: load with COPY, ANALYZE, time the query in the server session (psql \timing).
script = f"""
\\set ON_ERROR_STOP 1
DROP SCHEMA IF EXISTS cchc_bench CASCADE; CREATE SCHEMA cchc_bench; SET search_path = cchc_bench;
{DDL_D}; {DDL_C};
\\copy dossiers FROM '{w}/dossiers.csv' WITH (FORMAT csv)
\\copy changes FROM '{w}/changes.csv' WITH (FORMAT csv)
ANALYZE dossiers; ANALYZE changes;
\\timing on
\\o {w}/pg.out
{SQL};
{SQL};
{SQL};
\\o
\\timing off
DROP SCHEMA cchc_bench CASCADE;
"""
out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", ",", pg], input=script, capture_output=True, text=True, check=True)
times = [float(x) / 1000 for x in re.findall(r"Time: ([\d.]+) ms", out.stdout + out.stderr)]
pg_s = min(times[-3:])
pg_rows = [l.split(",") for l in open(f"{w}/pg.out").read().splitlines() if l.strip()]
pg_t = table(pg_rows[: len(pg_rows) // 3])

ok = cchc_t == duck_t == pg_t
print()
print(f"Biểu 06, {n:,} dossiers, window {d1:02}/{m1:02}/{y1}–{d2:02}/{m2:02}/{y2}, {len(cchc_t)} (level, field) rows")
print(f"  tables agree figure by figure: {'YES' if ok else 'NO'}")
print(f"  cchc import JSON lines, SQLite  {import_s:8.2f} s  = {n / import_s:,.0f} dossiers/s (whole command)")
print(f"  cchc import CSV, SQLite         {csv_s:8.2f} s  = {n / csv_s:,.0f} dossiers/s")
print(f"  cchc import JSON lines, PG      {pg_import_s:8.2f} s  = {n / pg_import_s:,.0f} dossiers/s")
print(f"  cchc stats (whole command)      {cchc_s:8.3f} s")
print(f"  DuckDB query (in memory)        {duck_s:8.3f} s   cchc/DuckDB = {cchc_s / duck_s:.2f}")
print(f"  PostgreSQL query (server)       {pg_s:8.3f} s   cchc/PostgreSQL = {cchc_s / pg_s:.2f}")
if not ok:
    for k in sorted(set(cchc_t) | set(duck_t) | set(pg_t)):
        if not (cchc_t.get(k) == duck_t.get(k) == pg_t.get(k)):
            print("  differs:", k, cchc_t.get(k), duck_t.get(k), pg_t.get(k))
    sys.exit(1)
PY
