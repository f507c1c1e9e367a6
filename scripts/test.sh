#!/usr/bin/env bash
# The whole test suite (the README's test command; CI runs exactly this).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-env.sh
export CCHC_TEST_POSTGRES="${CCHC_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
cargo test --workspace --locked
# Browser tests of the web application (installs Debian's chromium and playwright-core if missing).
bash scripts/browser-test.sh
