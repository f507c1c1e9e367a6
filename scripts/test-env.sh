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
else
  echo "warning: PostgreSQL not available; the PostgreSQL half of the storage contract tests will be skipped" >&2
fi
