#!/usr/bin/env bash
# One run of the suite in two stages (pytest arguments pass through):
#
#   1. every test not marked `solo`, in parallel: pytest-xdist with ZHIFA_TEST_JOBS
#      workers (default: one per CPU; 1 runs in this process), the tests of one module
#      or class on one worker (--dist loadscope, so their fixtures are built once);
#   2. the `solo` tests, alone: they time real servers by the wall clock, which other
#      tests running beside them would slow.
#
# The parallel stage prints its 25 slowest tests (--durations), so a CI run that grows
# towards its 30 minutes says where the time went.
#
# Each xdist worker has its own test database (pytest-django names it after the worker),
# its own temporary files (settings.test) and free ports. Exit status: non-zero when
# either stage failed; a stage with no test selected (e.g. the PostgreSQL run keeps no
# `solo` test) counts as passed.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${VENV:-.venv}/bin/pytest
JOBS=${ZHIFA_TEST_JOBS:-auto}

parallel=()
if [ "$JOBS" != "1" ]; then
  parallel=(-n "$JOBS" --dist loadscope)
fi

"$PYTEST" "${parallel[@]}" -m "not solo" --durations=25 "$@"
first=$?
[ "$first" = 5 ] && first=0
"$PYTEST" -m solo "$@"
second=$?
[ "$second" = 5 ] && second=0
[ "$first" = 0 ] && [ "$second" = 0 ]
