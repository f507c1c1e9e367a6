#!/usr/bin/env bash
# Probe of a trigram index for the dossier list's search (issue 17 item 2; not part of the tests,
# and not what cchc runs: the search is still a `LIKE '%…%'` over the window's rows). It asks
# whether SQLite's FTS5 `trigram` tokenizer would page the search by index at a province's
# scale: it builds an FTS5 trigram index over the search texts (`search_text`, the dossier's own
# words normalised as `cchc_dossiers::search::dossier_text` writes them), then times, for each
# needle, the index's phrase query and the plain `LIKE` scan of the same texts, each with the
# file dropped from the operating system's cache first (cold, `posix_fadvise(DONTNEED)`) and
# again at once (warm), as min / median / max over --runs.
#
# Usage: scripts/search-index-probe.sh [--rows 10000000 | --ledger FILE] [--runs 3]
#          [--dir DIR] [--needle TEXT]...
#   --rows    synthetic texts shaped as the generator's (`crates/dossiers/src/generate.rs`:
#             receipt codes UNIT-YEAR-NNNNNNN over 150 units, a procedure code, a Vietnamese
#             name without diacritics, a 12-digit ID number)
#   --ledger  the texts of a cchc SQLite ledger instead (its `dossiers.search_text`)
#   --needle  default: 2024-000123 (part of a receipt code, the scale benchmark's), 000123,
#             nguyen van an
#   --postgres URL  also load the texts into PostgreSQL (table search_probe, dropped first) with
#             a pg_trgm GIN index, and time the same `LIKE` there through psql (warm only: the
#             server's own buffers are not dropped)
# Needs python3 and the sqlite3 CLI (3.34 or later, with FTS5 and dbstat; installed with
# apt-get when missing). DIR (default a new /tmp directory) keeps probe.db for a later run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

ROWS=10000000
LEDGER=""
RUNS=3
DIR=""
POSTGRES=""
NEEDLES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --ledger) LEDGER=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --needle) NEEDLES+=("$2"); shift 2 ;;
    --postgres) POSTGRES=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ ${#NEEDLES[@]} -gt 0 ] || NEEDLES=("2024-000123" "000123" "nguyen van an")
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
DIR=${DIR:-$(mktemp -d)}
mkdir -p "$DIR"
DB="$DIR/probe.db"

if [ ! -f "$DB" ]; then
  rm -f "$DB.part"
  start=$(date +%s.%N)
  if [ -n "$LEDGER" ]; then
    sqlite3 "$DB.part" "ATTACH '$LEDGER' AS l; CREATE TABLE dossiers (search_text TEXT); INSERT INTO dossiers (search_text) SELECT search_text FROM l.dossiers;"
  else
    python3 - "$DB.part" "$ROWS" <<'PY'
import random, sqlite3, sys
random.seed(17)
family = ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong", "ly"]
middle = ["van", "thi", "huu", "duc", "minh", "thanh", "ngoc"]
given = ["an", "binh", "cuong", "dung", "giang", "ha", "hai", "hung", "lan", "linh", "mai", "nam", "phuong", "quang", "son", "tam", "thao", "trang", "tuan", "viet", "xuan", "yen"]
units = [f"{u:05d}" for u in range(26000, 26150)]
procedures = [f"1.{random.randint(1000, 9999):06d}" for _ in range(300)]
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode = OFF")
db.execute("CREATE TABLE dossiers (search_text TEXT)")
def rows(n):
    for i in range(n):
        unit, k = units[i % len(units)], i // len(units)
        person = f"{random.choice(family)} {random.choice(middle)} {random.choice(given)}"
        number = f"0{random.randint(1, 96):02d}{random.randint(0, 1)}{random.randint(0, 99):02d}{random.randint(0, 999999):06d}"
        yield (f"{unit}-2024-{k:07d} {random.choice(procedures)} {person} {number}",)
db.executemany("INSERT INTO dossiers VALUES (?)", rows(int(sys.argv[2])))
db.commit()
PY
  fi
  texts=$(date +%s.%N)
  sqlite3 "$DB.part" "CREATE VIRTUAL TABLE words USING fts5(search_text, content='dossiers', content_rowid='rowid', tokenize='trigram case_sensitive 1'); INSERT INTO words (words) VALUES ('rebuild');"
  built=$(date +%s.%N)
  mv "$DB.part" "$DB"
  python3 -c 'import sys; a, b, c = map(float, sys.argv[1:]); print(f"texts written in {b - a:.1f} s; the trigram index built in {c - b:.1f} s")' "$start" "$texts" "$built"
fi
sqlite3 "$DB" "SELECT 'rows: ' || (SELECT COUNT(*) FROM dossiers) || '; the texts ' || (SELECT SUM(pgsize) / 1048576 FROM dbstat WHERE name = 'dossiers') || ' MB, the trigram index ' || (SELECT SUM(pgsize) / 1048576 FROM dbstat WHERE name LIKE 'words%') || ' MB'"

# Seconds of one statement, read from the CLI's timer (`Run Time: real …`).
timed() { # SQL
  printf '.timer on\n%s\n' "$1" | sqlite3 "$DB" | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' | tail -1
}
spread() { # VALUES…: min / median / max
  python3 -c 'import sys; v = sorted(map(float, sys.argv[1:])); print(f"{v[0]:.3f} / {v[len(v) // 2]:.3f} / {v[-1]:.3f} s")' "$@"
}
for needle in "${NEEDLES[@]}"; do
  quoted=${needle//\'/\'\'}
  phrase="SELECT COUNT(*) FROM words WHERE words MATCH '\"${quoted//\"/\"\"}\"'"
  scan="SELECT COUNT(*) FROM dossiers WHERE search_text LIKE '%${quoted}%'"
  matches=$(sqlite3 "$DB" "$phrase")
  for kind in index scan; do
    if [ $kind = index ]; then sql=$phrase; else sql=$scan; fi
    cold=() warm=()
    for _ in $(seq "$RUNS"); do
      python3 "$HERE/evict.py" "$DB"
      cold+=("$(timed "$sql")")
      warm+=("$(timed "$sql")")
    done
    echo "'$needle' ($matches matches), $kind: cold $(spread "${cold[@]}"), warm $(spread "${warm[@]}")"
  done
done

[ -n "$POSTGRES" ] || exit 0
pg() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$POSTGRES" "$@"; }
start=$(date +%s.%N)
pg -c "DROP TABLE IF EXISTS search_probe; CREATE TABLE search_probe (search_text TEXT)"
sqlite3 -csv "$DB" "SELECT search_text FROM dossiers" | pg -c "COPY search_probe FROM STDIN WITH (FORMAT csv)"
loaded=$(date +%s.%N)
pg -c "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX search_probe_words ON search_probe USING gin (search_text gin_trgm_ops); ANALYZE search_probe"
built=$(date +%s.%N)
python3 -c 'import sys; a, b, c = map(float, sys.argv[1:]); print(f"PostgreSQL: texts loaded in {b - a:.1f} s; the pg_trgm GIN index built in {c - b:.1f} s")' "$start" "$loaded" "$built"
pg -At -c "SELECT 'PostgreSQL: the texts ' || pg_relation_size('search_probe') / 1048576 || ' MB, the GIN index ' || pg_relation_size('search_probe_words') / 1048576 || ' MB'"
for needle in "${NEEDLES[@]}"; do
  quoted=${needle//\'/\'\'}
  sql="SELECT COUNT(*) FROM search_probe WHERE search_text LIKE '%${quoted}%'"
  times=()
  for _ in $(seq "$RUNS"); do
    times+=("$(printf '\\timing on\n%s;\n' "$sql" | pg -At | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | python3 -c 'import sys; print(float(sys.stdin.read()) / 1000)')")
  done
  echo "PostgreSQL '$needle' ($(pg -At -c "$sql") matches), GIN: warm $(spread "${times[@]}")"
done
pg -c "DROP TABLE search_probe"
