#!/usr/bin/env bash
# The whole test suite (the README's test command; CI runs exactly this).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-env.sh
export CCHC_TEST_POSTGRES="${CCHC_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
# The code is kept formatted and clippy-clean: either failing fails the run.
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked --quiet -- -D warnings
cargo test --workspace --locked
# Browser tests of the web application (installs Debian's chromium and playwright-core if missing),
# on the binary `cargo test` just built for the CLI's tests (building `-p cchc` alone would
# resolve features differently and compile the dependency graph a second time).
CCHC_BIN=target/debug/cchc bash scripts/browser-test.sh
