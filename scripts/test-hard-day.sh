#!/usr/bin/env bash
# Run the SQLite suite (scripts/pytest-stages.sh) with the process clock set to a hard
# day (Debian's faketime, LD_PRELOAD of libfaketime), to find the tests that read the wall clock
# instead of the frozen one (the `frozen_clock`/`today` fixtures, src/zhifa/conftest.py).
#
#   scripts/test-hard-day.sh [DAY]     DAY: YYYY-MM-DD, or "YYYY-MM-DD HH:MM:SS" (UTC)
#
# The default, Monday 2027-01-04, is the first working day of a year whose official
# holiday schedule the pinned chinesecalendar package does not hold. A bare day runs at
# 10:00 UTC (18:00 in Asia/Shanghai, the site's time zone: the same day in both).
#
# faketime is installed with apt-get when missing (as root). Under CI=true a missing
# faketime fails the run; elsewhere the run is skipped with a message.
#
# The browser tests run too: Chromium under LD_PRELOAD starts, sees the faked day
# (new Date()) and passes. FAKETIME_DONT_FAKE_MONOTONIC is NOT set: with libfaketime
# 0.9.10 it makes every time.sleep() fail with EINVAL (Python sleeps on an absolute
# CLOCK_MONOTONIC deadline); the faked monotonic clock is only shifted, it still ticks
# at the real rate, so timeouts keep working.
set -euo pipefail
cd "$(dirname "$0")/.."
DAY=${1:-2027-01-04}
EXTRA=("${@:2}")  # pytest arguments
if [[ "$DAY" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  STAMP="$DAY 10:00:00"
elif [[ "$DAY" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}(:[0-9]{2})?$ ]]; then
  STAMP="$DAY"
else
  echo "test-hard-day: expected YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\", got '$DAY'" >&2
  exit 2
fi
PYTHON=${VENV:-.venv}/bin/python

skip_or_fail() {
  echo "test-hard-day: $1" >&2
  if [ "${CI:-}" = "true" ]; then
    exit 1
  fi
  if [ "${ZHIFA_HARD_DAY_FALLBACK:-}" = "1" ]; then
    # `make test` outside CI: the suite still runs, on the real clock.
    echo "test-hard-day: running the SQLite suite on the real clock instead (outside CI)" >&2
    exec env -u DATABASE_URL scripts/pytest-stages.sh "${EXTRA[@]}"
  fi
  echo "test-hard-day: skipped (outside CI)" >&2
  exit 0
}

if ! command -v faketime >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-hard-day: installing Debian's faketime package"
    apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends faketime \
      >/dev/null || true
  fi
  command -v faketime >/dev/null 2>&1 || skip_or_fail "faketime not found (install Debian's faketime package)"
fi

# The clock is read as UTC, like a CI machine's; Django then sets the process's time zone
# to the site's (Asia/Shanghai).
export TZ=UTC
# A run that is itself under faketime (CI with its whole clock set to a day) must not
# stack a second libfaketime on the first: the inner one starts from a clean environment.
FRESH=(env -u LD_PRELOAD -u FAKETIME -u FAKETIME_NO_CACHE -u DONT_FAKE_MONOTONIC)
seen=$("${FRESH[@]}" faketime "$STAMP" "$PYTHON" -c 'import datetime; print(datetime.date.today())')
if [ "$seen" != "${STAMP:0:10}" ]; then
  skip_or_fail "under faketime '$STAMP' Python's today is $seen, not ${STAMP:0:10}"
fi
echo "test-hard-day: the SQLite suite with the process clock at $STAMP UTC"
exec "${FRESH[@]}" -u DATABASE_URL faketime "$STAMP" scripts/pytest-stages.sh "${EXTRA[@]}"
