#!/usr/bin/env bash
# The test stages of `make test`, after lint, types and checks, one after the other:
#
#   1. the suite on SQLite with the process clock on a hard day (scripts/test-hard-day.sh,
#      Debian's faketime; default 2027-01-04): a test that reads the wall clock instead
#      of the frozen one fails here. Outside CI, when faketime cannot be had, the suite
#      runs on the real clock instead, and says so.
#   2. the API fuzz run (schemathesis, SQLite, frozen clock);
#   3. under CI=true, the suite on PostgreSQL on the real clock: the tests that use the
#      database (ZHIFA_DATABASE_TESTS_ONLY=1; the others cannot tell one database from
#      another and ran in stage 1 — pytest reports them as deselected; so are the
#      browser tests not marked `postgres`: conftest.second_database_run).
#
# Each suite run is scripts/pytest-stages.sh: the tests in parallel (pytest-xdist, one
# worker per CPU), then the `solo` tests alone. So both databases and both clocks are
# covered: SQLite on a hard day, PostgreSQL on the real day. `make test-sqlite` runs the
# SQLite suite on the real clock alone.
set -uo pipefail
cd "$(dirname "$0")/.."
MAKE_CMD=${MAKE:-make}
start=$(date +%s)

stage() {
  local name=$1
  shift
  local t0
  t0=$(date +%s)
  "$@"
  local status=$?
  echo "test-stages: $name: exit $status in $(( $(date +%s) - t0 )) s"
  return $status
}

ZHIFA_HARD_DAY_FALLBACK=1 stage "SQLite suite on a hard day" \
  "$MAKE_CMD" --no-print-directory test-hard-day || exit 1
stage "API fuzz" "$MAKE_CMD" --no-print-directory test-api-fuzz || exit 1
if [ "${CI:-}" = "true" ]; then
  ZHIFA_DATABASE_TESTS_ONLY=1 stage "PostgreSQL suite (the tests that use the database)" \
    scripts/test-postgres.sh || exit 1
fi
echo "test-stages: all passed in $(( $(date +%s) - start )) s"
