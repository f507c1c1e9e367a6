#!/usr/bin/env bash
# Prepares a fresh machine for the test suite: the Rust toolchain is expected (rustup); this
# makes sure PostgreSQL is up for the storage contract tests. It is idempotent and quiet when
# everything is already there.
set -euo pipefail

pg_url="${CCHC_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"

if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "PostgreSQL is not answering; trying to start it" >&2
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

if command -v psql >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
  # The contract tests create their own schema in this database.
  psql "${pg_url%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
    || psql "${pg_url%/*}/postgres" -c "CREATE DATABASE test" >/dev/null
  export CCHC_TEST_POSTGRES="$pg_url"
elif [ "${CI:-}" = "true" ] || [ "${CCHC_REQUIRE_POSTGRES:-}" = "1" ]; then
  # In CI the PostgreSQL half of the contract tests is required: a run without it must not pass.
  echo "error: PostgreSQL is required (CI=true or CCHC_REQUIRE_POSTGRES=1) but does not answer at $pg_url." >&2
  echo "       Start it (pg_ctlcluster <version> main start) or install it (apt-get install postgresql)." >&2
  exit 1
else
  echo "warning: PostgreSQL not available; the PostgreSQL half of the storage contract tests will be skipped" >&2
fi

# LibreOffice converts the generated reports to PDF (cchc report --pdf, and its test); Liberation
# Serif has the metrics of Times New Roman, so the PDF breaks lines as Word would: version 2
# (fonts-liberation2) has the Vietnamese letters (U+1EE6 Ủ), which version 1 sets in a wider
# fallback font; poppler's pdftotext and pdftocairo read the PDF's text and lines back for the
# layout test.
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftocairo >/dev/null 2>&1 \
  || ! fc-list ':charset=1ee6' family 2>/dev/null | grep -i "Liberation Serif" >/dev/null; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing LibreOffice Writer, fonts-liberation2 and poppler-utils for the PDF test" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui fonts-liberation2 poppler-utils >/dev/null \
      || echo "warning: could not install LibreOffice; the PDF test will fail" >&2
  else
    echo "warning: LibreOffice (soffice) missing and apt-get unavailable; the PDF test will fail" >&2
  fi
fi

# The schema validator of the DOCX test (PyPI openxml-audit, pure Python), in a virtual
# environment of its own; the test finds it through CCHC_OPENXML_AUDIT.
oxa_dir="${HOME:-/root}/.cache/cchc/openxml-audit"
if [ ! -x "$oxa_dir/bin/openxml-audit" ]; then
  echo "Installing openxml-audit (PyPI) for the DOCX schema test" >&2
  { python3 -m venv "$oxa_dir" && "$oxa_dir/bin/pip" install -q "openxml-audit==0.8.0"; } >/dev/null 2>&1 \
    || echo "warning: could not install openxml-audit; the DOCX schema test will fail in CI" >&2
fi
export CCHC_OPENXML_AUDIT="$oxa_dir/bin/openxml-audit"
