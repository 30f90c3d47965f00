#!/usr/bin/env bash
# Run the test suite on PostgreSQL. Uses DATABASE_URL when set; otherwise starts the
# machine's PostgreSQL 15 cluster (as root) and creates a `zhifa` role for the tests.
# Exits non-zero when no PostgreSQL can be reached: under CI that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
# The database server and its admin commands run on the machine's real clock, outside a
# libfaketime environment (a CI run under faketime sets the clock of the tests, not of
# PostgreSQL; libfaketime's shared memory, created by root, is not open to `postgres`).
SERVICE=(env -u LD_PRELOAD -u FAKETIME -u FAKETIME_NO_CACHE -u DONT_FAKE_MONOTONIC)

if [ -z "${DATABASE_URL:-}" ]; then
  if ! command -v pg_isready >/dev/null 2>&1 && [ ! -x /usr/lib/postgresql/15/bin/pg_isready ]; then
    echo "test-postgres: PostgreSQL is not installed and DATABASE_URL is not set" >&2
    exit 1
  fi
  PG_ISREADY=$(command -v pg_isready || echo /usr/lib/postgresql/15/bin/pg_isready)
  if ! "$PG_ISREADY" -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
      "${SERVICE[@]}" pg_ctlcluster --skip-systemctl-redirect 15 main start || true
    fi
    for _ in $(seq 1 30); do "$PG_ISREADY" -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    if ! "$PG_ISREADY" -q -h 127.0.0.1 -p 5432; then
      echo "test-postgres: PostgreSQL on 127.0.0.1:5432 did not start" >&2
      exit 1
    fi
  fi
  if [ "$(id -u)" = "0" ]; then
    exists=$("${SERVICE[@]}" su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='zhifa'\"")
    if [ "$exists" != "1" ]; then
      "${SERVICE[@]}" su postgres -c "psql -q -c \"CREATE ROLE zhifa LOGIN PASSWORD 'zhifa' CREATEDB CREATEROLE\""
    fi
    # CREATEROLE: the test that an application role without table ownership can neither
    # truncate the record tables nor drop their triggers creates such a role.
    "${SERVICE[@]}" su postgres -c "psql -q -c \"ALTER ROLE zhifa CREATEROLE\""
  fi
  export DATABASE_URL=postgres://zhifa:zhifa@127.0.0.1:5432/zhifa
fi

echo "test-postgres: running the suite on PostgreSQL"
VENV=${VENV:-.venv} exec scripts/pytest-stages.sh "$@"
