#!/usr/bin/env bash
# The one command that runs the whole test suite against all three dialects
# (PostgreSQL, MariaDB/MySQL, SQLite):
#
#   bash scripts/test.sh [extra cargo test args...]   e.g. bash scripts/test.sh -- --nocapture
#
# Starts (or reuses) throwaway database servers via scripts/test-dbs.sh, installs
# the Node packages the interop tests use (if tests/node exists), then runs
# `cargo test --workspace --all-features`. Exits with cargo's exit code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Two steps on purpose: in `eval "$(bash scripts/test-dbs.sh)"` a failure of the
# substitution is swallowed (eval of an empty string succeeds), even under set -e.
if ! db_env=$(bash scripts/test-dbs.sh); then
  echo "test.sh: could not start the test databases (see messages above)" >&2
  exit 1
fi
eval "$db_env"

mask() { sed -E 's#(://[^:/@]*:)[^@]*@#\1****@#' <<<"$1"; }
echo "== test databases" >&2
echo "   DATABASE_URL_POSTGRES=$(mask "$DATABASE_URL_POSTGRES")" >&2
echo "   DATABASE_URL_MYSQL=$(mask "$DATABASE_URL_MYSQL")" >&2
echo "   DATABASE_URL_SQLITE=$DATABASE_URL_SQLITE" >&2
echo "   DATABASE_URL_PGBOUNCER=$(mask "${DATABASE_URL_PGBOUNCER:-}")" >&2
echo "   DATABASE_URL_PG_FAILOVER=$(mask "${DATABASE_URL_PG_FAILOVER:-}")" >&2

if [[ -f tests/node/package.json ]]; then
  command -v npm >/dev/null ||
    { echo "test.sh: npm not found; the interop tests in tests/node need Node.js + npm" >&2; exit 1; }
  echo "== installing Node packages for the interop tests (tests/node)" >&2
  if [[ -f tests/node/package-lock.json ]]; then
    (cd tests/node && npm ci --no-audit --no-fund) >&2
  else
    (cd tests/node && npm install --no-audit --no-fund) >&2
  fi
fi

# rustup installs into ~/.cargo/bin, which non-login shells (CI) may lack on PATH.
if ! command -v cargo >/dev/null && [[ -x ${CARGO_HOME:-$HOME/.cargo}/bin/cargo ]]; then
  PATH=${CARGO_HOME:-$HOME/.cargo}/bin:$PATH
fi
echo "== cargo test --workspace --all-features --no-fail-fast $*" >&2
exec cargo test --workspace --all-features --no-fail-fast "$@"
